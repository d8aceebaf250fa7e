"""Scenario files: the schema, loading with line numbers, demand, network edits and the runner."""

from .load import load_scenario as load_scenario
from .runner import ScenarioResult as ScenarioResult
from .runner import run_scenario as run_scenario
from .schema import Scenario as Scenario
from .schema import scenario_json_schema as scenario_json_schema
