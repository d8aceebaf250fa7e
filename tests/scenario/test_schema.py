"""The scenario schema: documented field by field, and its JSON Schema agrees with pydantic."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import BaseModel

from silkroad_routing.scenario import schema
from silkroad_routing.scenario.load import load_scenario
from silkroad_routing.scenario.schema import Scenario, scenario_json_schema

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
#: Models of the network reused inside a scenario (add_links, add_services) document themselves
#: in networks/README.md; every scenario section must describe each field here.
SECTIONS = [obj for obj in vars(schema).values()
            if isinstance(obj, type) and issubclass(obj, schema.Spec) and obj is not schema.Spec]


def _json_ready(value: Any) -> Any:
    """YAML values as a JSON document carries them (dates as ISO text)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()
                                 if isinstance(v, date | datetime) else str(v)))


@pytest.mark.parametrize("model", SECTIONS, ids=lambda m: m.__name__)
def test_every_field_is_documented(model: type[BaseModel]) -> None:
    assert model.__doc__ and model.__doc__.strip()
    for name, info in model.model_fields.items():
        assert info.description and len(info.description) > 10, f"{model.__name__}.{name}"
    assert model.model_config.get("extra") == "forbid"


def test_json_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(scenario_json_schema())


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_scenarios_pass_both_validators(path: Path) -> None:
    load_scenario(path)
    document = _json_ready(yaml.safe_load(path.read_text(encoding="utf-8")))
    jsonschema.validate(document, scenario_json_schema())


@pytest.mark.parametrize("edit", [
    lambda d: d["horizon"].update(timezon="UTC"),  # unknown key
    lambda d: d.pop("name"),  # missing required field
    lambda d: d["demand"]["shipments"][1].update(weight_kg=-1),  # negative weight
    lambda d: d["task"].update(kind="optimise"),  # unknown task
    lambda d: d["horizon"].update(start="2 November 2026"),  # not a date
])
def test_json_schema_rejects_what_pydantic_rejects(edit: Any) -> None:
    document = _json_ready(yaml.safe_load((Path(__file__).resolve().parents[1] / "data" /
                                           "mini_scenario.yaml").read_text(encoding="utf-8")))
    Scenario.model_validate(document)
    jsonschema.validate(document, scenario_json_schema())
    edit(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, scenario_json_schema())
    with pytest.raises(ValueError):
        Scenario.model_validate(document)


def test_flow_overrides_take_precedence_over_profile_defaults() -> None:
    flow = schema.Flow(profile=schema.Profile.ECOMMERCE, shipments=1, origins=("CGO",),
                       destinations=("LUX",), median_weight_kg=999.0)
    params = flow.params()
    defaults = schema.PROFILE_DEFAULTS[schema.Profile.ECOMMERCE]
    assert params.median_weight_kg == 999.0
    assert params.model_dump(exclude={"median_weight_kg"}) == defaults.model_dump(
        exclude={"median_weight_kg"})
