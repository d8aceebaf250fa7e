"""Network + planning horizon -> a timetable of contiguous arrays for the connection-scan kernels.

Times are float64 hours from ``Timetable.start`` (a UTC datetime); the horizon start is converted
once, here. The compiled arrays:

* **Connections**, one per leg of each departure of a service, sorted by (departure, arrival,
  trip, leg). A *trip* is one departure of a service; its legs share the trip id. A departure
  leaves its first stop at ``departure_time_utc`` on each of the service's ``weekdays`` and
  ``dates`` and runs ``leg_h[i]`` per leg; at each intermediate stop it waits ``stop_dwell_h``
  plus the stop's own ``dwell_h`` (border dwell is inside the train's schedule). Departures
  whose first stop lies in the horizon are expanded whole (late legs may run past its end);
  a departure that left before the horizon contributes the legs that depart inside it.
* **Links** (unscheduled legs, trucks) as CSR by from-hub; they can start at any time.
* **Transfers** per hub x arriving state x departing mode: allowed, minimum connection time
  (hours) and handling rate. The arriving *state* is a mode index (``units.MODES``) or
  ``units.MODE_START`` for a shipment that has not moved yet (every mode allowed, after the
  export clearance and acceptance cut-off of :mod:`~silkroad_routing.compile.process`). A mode
  pair without a rule at a hub (and no ``*`` rule) is not allowed there.
* **Hub dwell**: freight that leaves a vehicle at a hub (alights from a service, ends a link)
  becomes available there ``dwell_h`` later, as in :mod:`silkroad_routing.compile.static`.

Prices are rate vectors over :data:`~silkroad_routing.compile.tariffs.QUANTITY_COLUMNS` (see
:mod:`~silkroad_routing.compile.tariffs`): the price of a shipment on a connection is
``conn_rate[c] @ q``. A leg of a service costs the distance share of the run's price; a rail
leg that arrives at an intermediate gauge-change stop adds the transshipment (per FEU, and per
W/M for part loads: ``usd_per_feu / FEU_USABLE_M3``), as in the static graph. CO2e is a rate
vector too (kg CO2e per unit of each quantity: ``conn_co2e_rate[c] @ q``, well-to-wheel, the
basis the kernels price and minimise; ``conn_co2e_ttw_rate`` tank-to-wheel, NaN where a record
gives none): per kg, ``co2e_kg_per_tkm * emission_km / 1000`` (``emission_km`` adds GLEC's 95 km
to air legs, :func:`~silkroad_routing.units.emission_km`), or, on a container leg with a per-TEU
factor, per FEU and per part-load W/M (:func:`~silkroad_routing.compile.tariffs.co2e_rate_vector`).

Closed passages, closed hubs or extra services are edits made on the Network before compiling
(:mod:`silkroad_routing.edits`); nothing here special-cases them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Final

import numpy as np

from ..core.timetable.arrays import TT_FIELDS, TimetableArrays
from ..errors import InputError, NetworkError
from ..model import Network, Service
from ..units import HOURS_PER_DAY, MODE_INDEX, MODE_START, MODES, Mode
from .process import apply_origin_and_acceptance, release_arrays
from .tariffs import (
    N_QUANTITIES,
    co2e_rates,
    handling_rate_vector,
    rate_vector,
    transshipment_rate_vector,
)

#: Number of arriving states at a hub: the modes plus ``MODE_START``.
N_STATES_PER_HUB: Final[int] = MODE_START + 1


@dataclass(frozen=True, slots=True, eq=False)
class Timetable:
    """A compiled timetable: contiguous NumPy arrays, hours from ``start`` (UTC).

    Connections (``n_conn``, sorted by departure): ``conn_from``, ``conn_to`` (hub index),
    ``conn_dep_h``, ``conn_arr_h`` (vehicle departure and arrival, hours), ``conn_trip`` (trip =
    one departure of a service), ``conn_service`` (index into ``service_ids``),
    ``conn_departure`` (ordinal of the departure within its service), ``conn_leg`` (leg index
    in the service), ``conn_mode`` (index into ``units.MODES``), ``conn_rate`` (n_conn x 6, USD
    per quantity), ``conn_co2e_rate`` (WTW) and ``conn_co2e_ttw_rate`` (TTW) (n_conn x 6, kg
    CO2e per quantity), ``conn_km``,
    ``conn_next`` (the trip's next leg, -1 at its last stop), capacities per departure ``conn_capacity_kg``,
    ``conn_capacity_positions``, ``conn_capacity_teu`` (``inf`` = unlimited).

    Trips (``n_trips``): ``trip_service``, ``trip_departure_h`` (first stop), ``departure_ids``
    (``"<service id>@<YYYY-MM-DD>"``, UTC date of the first-stop departure).

    Links as CSR by from-hub: ``link_indptr`` (n_hubs + 1), ``link_to``, ``link_duration_h``,
    ``link_mode``, ``link_rate`` (n_links x 6), ``link_co2e_rate``,
    ``link_co2e_ttw_rate`` (n_links x 6), ``link_km``,
    ``link_ref`` (index into ``link_ids``).

    Hubs: ``hub_dwell_h``. Transfers: ``transfer_allowed`` (bool), ``transfer_h`` and
    ``transfer_rate`` indexed ``[hub, arriving state, departing mode(, quantity)]``; the
    ``START`` state carries the origin's export clearance and acceptance cut-off
    (:mod:`~silkroad_routing.compile.process`). Destination: ``release_h`` and ``release_rate``
    indexed ``[hub, arriving mode(, quantity)]``, import clearance and release after arrival.

    ``arrays``: the kernels' :class:`~silkroad_routing.core.timetable.arrays.TimetableArrays`
    (the same arrays, checked once when the timetable is built).
    """

    start: datetime
    horizon_h: float
    hub_codes: tuple[str, ...]
    service_ids: tuple[str, ...]
    link_ids: tuple[str, ...]
    departure_ids: tuple[str, ...]
    conn_from: np.ndarray
    conn_to: np.ndarray
    conn_dep_h: np.ndarray
    conn_arr_h: np.ndarray
    conn_trip: np.ndarray
    conn_service: np.ndarray
    conn_departure: np.ndarray
    conn_leg: np.ndarray
    conn_mode: np.ndarray
    conn_rate: np.ndarray
    conn_co2e_rate: np.ndarray
    conn_co2e_ttw_rate: np.ndarray
    conn_km: np.ndarray
    conn_next: np.ndarray
    conn_capacity_kg: np.ndarray
    conn_capacity_positions: np.ndarray
    conn_capacity_teu: np.ndarray
    trip_service: np.ndarray
    trip_departure_h: np.ndarray
    link_indptr: np.ndarray
    link_to: np.ndarray
    link_duration_h: np.ndarray
    link_mode: np.ndarray
    link_rate: np.ndarray
    link_co2e_rate: np.ndarray
    link_co2e_ttw_rate: np.ndarray
    link_km: np.ndarray
    link_ref: np.ndarray
    hub_dwell_h: np.ndarray
    transfer_allowed: np.ndarray
    transfer_h: np.ndarray
    transfer_rate: np.ndarray
    release_h: np.ndarray
    release_rate: np.ndarray
    co2e_basis: str = "WTW"
    arrays: TimetableArrays = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The kernels' arrays, checked once here rather than at every search; their CO2e rates
        # are on the basis that is priced and minimised.
        values = {name: getattr(self, name) for name in TT_FIELDS}
        if self.co2e_basis == "TTW":
            values["conn_co2e_rate"] = self.conn_co2e_ttw_rate
            values["link_co2e_rate"] = self.link_co2e_ttw_rate
            self._check_ttw_given()
        elif self.co2e_basis != "WTW":
            raise InputError("must be WTW or TTW", field="co2e_basis", value=self.co2e_basis)
        object.__setattr__(self, "arrays", TimetableArrays(**values))

    def _check_ttw_given(self) -> None:
        """Pricing on TTW needs a tank-to-wheel factor on every service and link."""
        bad_conn = np.flatnonzero(np.isnan(self.conn_co2e_ttw_rate).any(axis=1))
        bad_link = np.flatnonzero(np.isnan(self.link_co2e_ttw_rate).any(axis=1))
        if bad_conn.size or bad_link.size:
            name = (self.service_ids[self.conn_service[bad_conn[0]]] if bad_conn.size
                    else self.link_ids[self.link_ref[bad_link[0]]])
            raise InputError("co2e_basis TTW needs a tank-to-wheel factor on every service and "
                             f"link; {name} has none", field="co2e_basis", value="TTW")

    @property
    def n_hubs(self) -> int:
        """Number of hubs."""
        return len(self.hub_codes)

    @property
    def n_connections(self) -> int:
        """Number of connections."""
        return int(self.conn_dep_h.shape[0])

    @property
    def n_trips(self) -> int:
        """Number of trips (departures of services)."""
        return int(self.trip_service.shape[0])

    @property
    def n_links(self) -> int:
        """Number of links."""
        return int(self.link_to.shape[0])

    def hub_index(self, code: str) -> int:
        """Index of a hub code; ``KeyError`` naming the code if there is none."""
        try:
            return self.hub_codes.index(code)
        except ValueError:
            raise KeyError(f"unknown hub code {code!r}") from None

    def hours(self, when: datetime) -> float:
        """Hours from the horizon start to a timezone-aware datetime."""
        if when.tzinfo is None:
            raise ValueError(f"datetime {when.isoformat()} must carry a timezone")
        return (when - self.start) / timedelta(hours=1)


def _utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError(f"horizon start {when.isoformat()} must carry a timezone")
    return when.astimezone(UTC)


def service_departures(service: Service, first: date, last: date) -> list[date]:
    """UTC dates in ``[first, last]`` on which ``service`` leaves its first stop."""
    dates = set(service.dates)
    out = []
    day = first
    while day <= last:
        if day.weekday() in service.weekdays or day in dates:
            out.append(day)
        day += timedelta(days=1)
    return out


def service_schedule_h(service: Service, network: Network) -> tuple[list[float], list[float]]:
    """Departure and arrival offsets (hours after the first-stop departure) of each leg."""
    dep: list[float] = []
    arr: list[float] = []
    t = 0.0
    last = len(service.stops) - 1
    for i, leg_h in enumerate(service.leg_h):
        dep.append(t)
        arr.append(t + leg_h)
        t += leg_h
        if i + 1 < last:
            t += service.stop_dwell_h + network.hub(service.stops[i + 1]).dwell_h
    return dep, arr


def compile_timetable(
    network: Network, start: datetime, days: float, *, include_optional: bool = False,
    co2e_basis: str = "WTW",
) -> Timetable:
    """Expand ``network`` over ``days`` days from ``start`` (timezone-aware) into a Timetable.

    ``include_optional=False`` leaves out candidate services (they run only when network design
    opens them). ``co2e_basis`` (``"WTW"`` or ``"TTW"``) is the emission basis of the kernels'
    CO2e rates (``arrays``); both bases stay in the timetable. Raises :class:`NetworkError` for
    a scheduled leg that takes no time (the connection scan needs every ride to move forward in
    time).
    """
    if not days > 0:
        raise ValueError(f"horizon must be positive, got {days} days")
    start_utc = _utc(start)
    horizon_h = float(days) * HOURS_PER_DAY
    codes = tuple(h.code for h in network.hubs)
    hub_index = {c: i for i, c in enumerate(codes)}
    services = [s for s in network.services if include_optional or not s.optional]
    legs = _Legs()
    for k, s in enumerate(services):
        _expand(network, k, s, start_utc, horizon_h, hub_index, legs)
    allowed, transfer_h, transfer_rate = _transfers(network, codes)
    release_h, release_rate = release_arrays(network, codes)
    return Timetable(
        start=start_utc,
        horizon_h=horizon_h,
        hub_codes=codes,
        service_ids=tuple(s.id for s in services),
        link_ids=tuple(x.id for x in network.links),
        departure_ids=tuple(legs.departure_ids),
        **_connections(legs, services),
        trip_service=_contiguous(legs.trip_service, np.int64),
        trip_departure_h=_contiguous(legs.trip_dep),
        **_links(network, hub_index),
        hub_dwell_h=_contiguous([h.dwell_h for h in network.hubs]),
        transfer_allowed=allowed,
        transfer_h=transfer_h,
        transfer_rate=transfer_rate,
        release_h=release_h,
        release_rate=release_rate,
        co2e_basis=co2e_basis,
    )


def _contiguous(values: Sequence[float] | np.ndarray, dtype: type = np.float64) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(values, dtype=dtype))


@dataclass
class _Legs:
    """The legs of every departure, as expanded (unsorted): per leg its row of
    (departure h, arrival h, trip, leg, from hub, to hub, service, departure ordinal), rate
    vector, CO2e per kg (WTW, TTW), km and capacities; per trip its service, departure and id."""

    rows: list[tuple[float, float, int, int, int, int, int, int]] = field(default_factory=list)
    rates: list[np.ndarray] = field(default_factory=list)
    co2: list[np.ndarray] = field(default_factory=list)
    co2_ttw: list[np.ndarray] = field(default_factory=list)
    km: list[float] = field(default_factory=list)
    capacity: list[tuple[float, float, float]] = field(default_factory=list)
    trip_service: list[int] = field(default_factory=list)
    trip_dep: list[float] = field(default_factory=list)
    departure_ids: list[str] = field(default_factory=list)


def _leg_rates(network: Network, s: Service) -> list[np.ndarray]:
    """Each leg's rate vector: its distance share of the run's price, plus the transshipment
    of a rail leg arriving at an intermediate gauge-change stop."""
    total_km = s.distance_km
    n_legs = len(s.leg_h)
    leg_rates = []
    for i in range(n_legs):
        share = s.leg_km[i] / total_km if total_km > 0 else 1.0 / n_legs
        r = rate_vector(s.price_usd, s.price_basis, s.part_load_usd_per_wm, share)
        stop = network.hub(s.stops[i + 1])
        if s.mode == Mode.RAIL and stop.gauge_change and i + 1 < n_legs:
            r = r + transshipment_rate_vector(stop.transshipment_usd_per_feu)
        leg_rates.append(r)
    return leg_rates


def _expand(network: Network, k: int, s: Service, start_utc: datetime, horizon_h: float,
            hub_index: dict[str, int], out: _Legs) -> None:
    """Add the legs of service ``s`` (index ``k``) that run in the horizon to ``out``."""
    if any(h <= 0 for h in s.leg_h):
        raise NetworkError(f"service {s.id} has a leg that takes no time (leg_h must be > 0)",
                           field="leg_h", value=s.leg_h)
    offsets_dep, offsets_arr = service_schedule_h(s, network)
    run_h = offsets_arr[-1]
    first = (start_utc - timedelta(hours=run_h)).date() - timedelta(days=1)
    last = (start_utc + timedelta(hours=horizon_h)).date()
    leg_rates = _leg_rates(network, s)
    leg_co2 = [co2e_rates(s, km) for km in s.leg_km]
    cap = (
        np.inf if s.capacity_kg is None else s.capacity_kg,
        np.inf if s.capacity_positions is None else float(s.capacity_positions),
        np.inf if s.capacity_teu is None else s.capacity_teu,
    )
    for ordinal, day in enumerate(service_departures(s, first, last)):
        t0 = (datetime.combine(day, s.departure_time_utc, tzinfo=UTC) - start_utc)
        t0_h = t0 / timedelta(hours=1)
        if t0_h >= horizon_h or t0_h + offsets_dep[-1] < 0:
            continue
        trip = len(out.trip_service)
        out.trip_service.append(k)
        out.trip_dep.append(t0_h)
        out.departure_ids.append(f"{s.id}@{day.isoformat()}")
        for i in range(len(s.leg_h)):
            dep = t0_h + offsets_dep[i]
            if dep < 0:
                continue
            out.rows.append((dep, t0_h + offsets_arr[i], trip, i, hub_index[s.stops[i]],
                             hub_index[s.stops[i + 1]], k, ordinal))
            out.rates.append(leg_rates[i])
            wtw, ttw = leg_co2[i]
            out.co2.append(wtw)
            out.co2_ttw.append(ttw)
            out.km.append(s.leg_km[i])
            out.capacity.append(cap)


def _connections(legs: _Legs, services: list[Service]) -> dict[str, np.ndarray]:
    """The ``conn_*`` arrays: the legs sorted by departure, then arrival, trip and leg (legs of
    a trip stay in calling order), each linked to its trip's next leg."""
    n_conn = len(legs.rows)
    table = np.array(legs.rows, dtype=np.float64).reshape(n_conn, 8)
    order = np.lexsort((table[:, 3], table[:, 2], table[:, 1], table[:, 0]))
    table = table[order]

    def ints(column: int) -> np.ndarray:
        return np.ascontiguousarray(table[:, column].astype(np.int64))

    conn_trip = ints(2)
    conn_leg = ints(3)
    conn_next = np.full(n_conn, -1, dtype=np.int64)
    by_trip_leg = np.lexsort((conn_leg, conn_trip))
    same_trip = conn_trip[by_trip_leg[1:]] == conn_trip[by_trip_leg[:-1]]
    conn_next[by_trip_leg[:-1][same_trip]] = by_trip_leg[1:][same_trip]
    caps = np.array(legs.capacity, dtype=np.float64).reshape(n_conn, 3)[order]
    service_mode = np.array([MODE_INDEX[s.mode] for s in services], dtype=np.int64)
    conn_service = ints(6)
    return {
        "conn_from": ints(4),
        "conn_to": ints(5),
        "conn_dep_h": np.ascontiguousarray(table[:, 0]),
        "conn_arr_h": np.ascontiguousarray(table[:, 1]),
        "conn_trip": conn_trip,
        "conn_service": conn_service,
        "conn_departure": ints(7),
        "conn_leg": conn_leg,
        "conn_mode": np.ascontiguousarray(service_mode[conn_service]),
        "conn_rate": _contiguous(np.array(legs.rates).reshape(n_conn, N_QUANTITIES)[order]),
        "conn_co2e_rate": _contiguous(np.array(legs.co2).reshape(n_conn, N_QUANTITIES)[order]),
        "conn_co2e_ttw_rate": _contiguous(
            np.array(legs.co2_ttw).reshape(n_conn, N_QUANTITIES)[order]),
        "conn_km": _contiguous(np.array(legs.km)[order] if n_conn else legs.km),
        "conn_next": conn_next,
        "conn_capacity_kg": _contiguous(caps[:, 0]),
        "conn_capacity_positions": _contiguous(caps[:, 1]),
        "conn_capacity_teu": _contiguous(caps[:, 2]),
    }


def _links(network: Network, hub_index: dict[str, int]) -> dict[str, np.ndarray]:
    """The ``link_*`` arrays: CSR by from-hub, in network order within a hub."""
    links = network.links
    link_from = np.array([hub_index[x.from_hub] for x in links], dtype=np.int64)
    link_order = np.argsort(link_from, kind="stable")
    link_indptr = np.zeros(len(hub_index) + 1, dtype=np.int64)
    np.add.at(link_indptr, link_from + 1, 1)
    np.cumsum(link_indptr, out=link_indptr)
    ordered = [links[i] for i in link_order]
    return {
        "link_indptr": link_indptr,
        "link_to": _contiguous([hub_index[x.to_hub] for x in ordered], np.int64),
        "link_duration_h": _contiguous([x.duration_h for x in ordered]),
        "link_mode": _contiguous([MODE_INDEX[x.mode] for x in ordered], np.int64),
        "link_rate": _contiguous(
            np.array([rate_vector(x.price_usd, x.price_basis, x.part_load_usd_per_wm)
                      for x in ordered]).reshape(len(ordered), N_QUANTITIES)
        ),
        "link_co2e_rate": _contiguous(np.array(
            [co2e_rates(x, x.distance_km)[0] for x in ordered]).reshape(len(ordered), N_QUANTITIES)),
        "link_co2e_ttw_rate": _contiguous(np.array(
            [co2e_rates(x, x.distance_km)[1] for x in ordered]).reshape(len(ordered), N_QUANTITIES)),
        "link_km": _contiguous([x.distance_km for x in ordered]),
        "link_ref": _contiguous(link_order, np.int64),
    }


def _transfers(network: Network, codes: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """Allowed, minimum connection hours and handling rate per [hub, arriving state,
    departing mode]."""
    n_modes = len(MODES)
    allowed = np.zeros((len(codes), N_STATES_PER_HUB, n_modes), dtype=np.bool_)
    transfer_h = np.zeros((len(codes), N_STATES_PER_HUB, n_modes), dtype=np.float64)
    transfer_rate = np.zeros((len(codes), N_STATES_PER_HUB, n_modes, N_QUANTITIES))
    allowed[:, MODE_START, :] = True
    for h, code in enumerate(codes):
        for a, mode_in in enumerate(MODES):
            for b, mode_out in enumerate(MODES):
                rule = network.transfer_rule(code, mode_in, mode_out)
                if rule is not None:
                    allowed[h, a, b] = True
                    transfer_h[h, a, b] = rule.min_connection_h
                    transfer_rate[h, a, b] = handling_rate_vector(rule.handling_usd_per_t)
    apply_origin_and_acceptance(network, codes, allowed, transfer_h, transfer_rate)
    return allowed, transfer_h, transfer_rate
