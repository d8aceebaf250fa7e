"""Typed parameter objects shared by every task: what things cost, and how a solver runs.

:class:`Costs` prices a plan beyond its tariffs (value of time, CO2, lateness, unserved freight)
and fixes the air chargeable-weight divisor; :class:`SolverParams` holds the stopping criteria
and settings of the OR-Tools models. Both are frozen and checked when built: a bad value raises
:class:`~silkroad_routing.errors.InputError` naming the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Final, Literal

from ..errors import InputError
from ..units import AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG

#: Defaults of the penalties. A day late costs 2.4 USD per kg: three days late cost more than
#: flying instead of taking the train (air rates in the bundled network are 5.52-6.83 USD per
#: chargeable kg, rail part loads about 1 USD/kg). Leaving a kg unserved costs 20 USD, more than
#: any air rate, so a plan serves whatever it can.
DEFAULT_LATENESS_USD_PER_T_H: Final[float] = 100.0
DEFAULT_UNSERVED_USD_PER_KG: Final[float] = 20.0
HOURS_PER_YEAR: Final[float] = 8760.0
#: Emission bases a plan can be priced and minimised on: well-to-wheel, tank-to-wheel.
CO2E_BASES: Final[tuple[str, ...]] = ("WTW", "TTW")
#: MIP solvers reached through OR-Tools MathOpt.
SOLVERS: Final[tuple[str, ...]] = ("highs", "scip")
#: Most pricing rounds of one column generation (design, optimal assignment), and the default.
MAX_ROUNDS: Final[int] = 500


def _check_number(name: str, value: object, positive: bool = False) -> None:
    """A finite number >= 0 (> 0 when ``positive``); a bool is not a number here."""
    if not (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value) and value >= 0 and (value > 0 or not positive)):
        kind = "positive" if positive else "non-negative"
        raise InputError(f"must be a finite {kind} number", field=name, value=value)


@dataclass(frozen=True, slots=True)
class Costs:
    """What a plan costs beyond its tariffs, and how air freight is weighed.

    ``value_of_time_usd_per_h`` plus ``declared_value_usd x value_of_time_pct_per_year / 100 /
    8760`` is a shipment's value of time, USD per hour from ready to arrival;
    ``co2_price_usd_per_t`` prices each tonne of CO2e; ``lateness_penalty_usd_per_t_h`` each
    tonne and hour past the due time and ``unserved_penalty_usd_per_kg`` each kg left unserved
    (both used where a model may deliver late or not at all: design and capacity-aware
    assignment). Air prices use chargeable weight ``max(kg, m3 x 1e6 /
    chargeable_divisor_cm3_per_kg)``. ``co2e_basis`` (``"WTW"``, well-to-wheel, or ``"TTW"``,
    tank-to-wheel) is the emission basis that the CO2 price, the ``greenest`` objective and the
    Pareto front use, and that a plan's ``co2e_kg`` is on; plans report both bases either way.
    """

    value_of_time_usd_per_h: float = 0.0
    value_of_time_pct_per_year: float = 0.0
    co2_price_usd_per_t: float = 0.0
    lateness_penalty_usd_per_t_h: float = DEFAULT_LATENESS_USD_PER_T_H
    unserved_penalty_usd_per_kg: float = DEFAULT_UNSERVED_USD_PER_KG
    chargeable_divisor_cm3_per_kg: float = AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG
    co2e_basis: str = "WTW"

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name != "co2e_basis":
                _check_number(f.name, getattr(self, f.name),
                              positive=f.name == "chargeable_divisor_cm3_per_kg")
        if self.co2e_basis not in CO2E_BASES:
            raise InputError(f"must be one of {', '.join(CO2E_BASES)}", field="co2e_basis",
                             value=self.co2e_basis)

    @property
    def co2_price_usd_per_kg(self) -> float:
        """The CO2 price per kg CO2e, USD."""
        return self.co2_price_usd_per_t / 1000.0


@dataclass(frozen=True, slots=True)
class SolverParams:
    """How an OR-Tools model runs: ``time_limit_s`` (wall seconds for the whole solve, every
    phase included), ``mip_gap`` (relative gap at which a MIP stops), ``seed``, ``threads``
    (the caller's cap: the library sets none of its own), ``solver`` (``"highs"`` or
    ``"scip"``), ``log`` (the solver's search log on stdout) and ``max_rounds`` (pricing rounds
    of each column generation of a design or optimal assignment, at most :data:`MAX_ROUNDS`: a
    work limit that, unlike the time limit, stops every run at the same point)."""

    time_limit_s: float = 60.0
    mip_gap: float = 1e-4
    seed: int = 0
    threads: int = 1
    solver: Literal["highs", "scip"] = "highs"
    log: bool = False
    max_rounds: int = MAX_ROUNDS

    def __post_init__(self) -> None:
        _check_number("time_limit_s", self.time_limit_s, positive=True)
        _check_number("mip_gap", self.mip_gap)
        for name, low in (("seed", 0), ("threads", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise InputError(f"must be an integer from {low} up", field=name, value=value)
        rounds = self.max_rounds
        if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= MAX_ROUNDS:
            raise InputError(f"must be an integer from 1 to {MAX_ROUNDS}", field="max_rounds",
                             value=rounds)
        if self.solver not in SOLVERS:
            raise InputError(f"unknown solver (use {' or '.join(SOLVERS)})", field="solver",
                             value=self.solver)
        if not isinstance(self.log, bool):
            raise InputError("must be true or false", field="log", value=self.log)
