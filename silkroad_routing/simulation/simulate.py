"""How sure is the plan: replay its legs under drawn dwell, running times and cancellations.

:func:`simulate` turns a :class:`~silkroad_routing.plan.Plan` and its prepared
:class:`~silkroad_routing.compile.Problem` into the flat arrays of
:mod:`silkroad_routing.core.replay`, draws the scenario's ``uncertainty`` section, runs the
kernel and summarises it per shipment and per departure (:class:`Reliability`).

What is drawn (the distributions of :class:`~silkroad_routing.scenario.schema.Uncertainty`):

- ``modes.<mode>.duration_factor`` and ``services.<id>.duration_factor``: one factor per
  departure (trip), their product scaling its running times; ``services.<id>.extra_h``: extra
  hours per departure, spread over its legs by running time;
- ``modes.<mode>.cancel_probability``: each departure of the mode is cancelled with it;
- ``hubs.<code>.extra_dwell_h``: extra dwell at the hub, one draw per sample, for every vehicle
  stopping there and every shipment changing vehicle or arriving there;
- ``links.<id>`` (and ``modes.<mode>.duration_factor`` of the link's mode): one draw per link and
  sample.

The draws come on top of the timetable the plan was made on (which already holds the scenario's
``edits``), whereas a sweep's draws replace the edit value they mirror: a scenario with
``edits.hubs.BRE-MAL.extra_dwell_h: 240`` and a BRE-MAL distribution replays the distribution
on top of those 240 hours.

Common random numbers: every draw has its own NumPy stream seeded with ``(seed, crc32(field
path), crc32(departure id))`` for departures and ``(seed, crc32(field path))`` for hubs and
links, giving sample ``s`` its ``s``-th value. Draws therefore do not depend on which shipments
the plan holds or in what order: two plans replayed with one seed meet the same delays on every
departure they share, so their difference is not noise between samples.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..comparison.draws import draw_array
from ..comparison.executors import open_executor
from ..compile import Problem
from ..core.replay import (
    LEG_LINK,
    LEG_SERVICE,
    REBOOK_SAME_SERVICE_FIRST,
    ReplayCapacity,
    ReplayDraws,
    ReplayOut,
    ReplayPlan,
    replay,
)
from ..errors import InputError
from ..plan import Plan, vehicle_legs
from ..scenario.network_edits import check_uncertainty
from ..scenario.schema import MAX_RELIABILITY_SAMPLES, Distribution, Uncertainty
from ..units import MODE_INDEX, TIME_TOLERANCE_H, Mode

#: The arrival percentiles reported per shipment.
PERCENTILES: tuple[int, ...] = (50, 90, 95)
#: The transit-time percentiles reported per corridor.
CORRIDOR_PERCENTILES: tuple[int, ...] = (10, 50, 90, 95)
#: Most samples one call draws (10,000 shipments x 100,000 samples is 8 GB of arrivals).
MAX_SAMPLES: int = MAX_RELIABILITY_SAMPLES

SHIPMENT_RELIABILITY_COLUMNS: tuple[str, ...] = (
    "shipment_id", "on_time_planned", "due_h", "planned_arrival_h", "p_on_time", "p_stranded",
    "arrival_p50_h", "arrival_p90_h", "arrival_p95_h", "lateness_mean_h", "extra_cost_mean_usd",
    "rebooked_share",
)
DEPARTURE_RELIABILITY_COLUMNS: tuple[str, ...] = (
    "departure_id", "service_id", "planned_kg", "p_missed", "spilled_kg_mean",
)
#: Samples per replay task: the unit of work handed to a process pool or a Dask cluster. Fixed,
#: and used in this process too, so that every worker count sums the same parts in the same
#: order and gives the same figures to the last bit.
CHUNK_SAMPLES: int = 250
#: How rebookings are limited: ``respect`` (only onto departures with space left after the
#: plan's own loads and earlier rebookings; :mod:`silkroad_routing.core.replay`) or ``ignore``.
REPLAY_CAPACITY_MODES: tuple[str, ...] = ("respect", "ignore")
#: A corridor: the plan's origin, destination and ``modes`` (``road+rail+road``).
CORRIDOR_KEYS: tuple[str, ...] = ("origin", "destination", "modes")
CORRIDOR_RELIABILITY_COLUMNS: tuple[str, ...] = (
    *CORRIDOR_KEYS, "shipments", "p_on_time", "p_stranded",
    *(f"transit_p{p}_days" for p in CORRIDOR_PERCENTILES), "lateness_mean_h",
)


@dataclass(frozen=True, slots=True, eq=False)
class Reliability:
    """A plan replayed ``samples`` times with ``seed`` under ``policy`` (hours from the
    problem's start, USD, kg).

    ``shipments`` (:data:`SHIPMENT_RELIABILITY_COLUMNS`, one row per routed shipment):
    ``on_time_planned`` (the plan's flag), ``due_h``, ``planned_arrival_h``, ``p_on_time``
    (share of samples arriving by the due date), ``p_stranded`` (no departure left after a
    miss), ``arrival_p50_h`` / ``p90`` / ``p95`` (sample percentiles, ``inf`` when stranded
    that often), ``lateness_mean_h`` (mean hours past the due date, over the samples that
    arrive; NaN if none does), ``extra_cost_mean_usd`` (rebooked legs paid again) and
    ``rebooked_share`` (samples with a leg off the plan).
    ``departures`` (:data:`DEPARTURE_RELIABILITY_COLUMNS`, one row per departure the plan boards
    freight onto): ``planned_kg``, ``p_missed`` (samples in which some of it missed the
    departure), ``spilled_kg_mean`` (kg that missed it, mean over samples).
    ``corridors`` (:data:`CORRIDOR_RELIABILITY_COLUMNS`, one row per origin, destination and
    ``modes`` of the plan's routed shipments, sorted by them): the samples of its ``shipments``
    pooled, each shipment-sample weighing the same: ``p_on_time``, ``p_stranded``,
    ``transit_p10_days`` / ``p50`` / ``p90`` / ``p95`` (days from ready to arrival, ``inf`` when
    stranded that often) and ``lateness_mean_h`` (over the pooled samples that arrive).
    ``arrival_h``: the arrivals themselves, samples x shipments in the order of ``shipments``.
    ``capacity``: ``respect`` when rebookings were held to the space departures had left
    (:data:`REPLAY_CAPACITY_MODES`), ``ignore`` when every later departure could take them.
    """

    shipments: pd.DataFrame
    departures: pd.DataFrame
    corridors: pd.DataFrame
    arrival_h: NDArray[np.float64]
    samples: int
    seed: int
    policy: str = REBOOK_SAME_SERVICE_FIRST
    capacity: str = "ignore"

    @property
    def on_time_share(self) -> float:
        """Expected share of the routed shipments that arrive on time; NaN if none is routed."""
        if self.shipments.empty:
            return float("nan")
        return float(self.shipments["p_on_time"].mean())


def simulate(problem: Problem, plan: Plan, uncertainty: Uncertainty | None, samples: int,
             seed: int = 0, capacity: str | None = None, workers: int = 0,
             scheduler: str | None = None) -> Reliability:
    """Replay ``plan`` (routed on ``problem``) ``samples`` times under ``uncertainty`` with
    ``seed`` (module docstring; rebooking by :data:`~silkroad_routing.core.replay.
    REBOOK_SAME_SERVICE_FIRST`). ``uncertainty`` None replays the plan as timetabled.
    ``capacity`` ``"respect"`` rebooks only onto departures with space left after the plan's
    own loads and the sample's earlier rebookings (first come, first served; a shipment that
    finds none is stranded), ``"ignore"`` onto any; None follows ``plan.capacity``.

    The samples are replayed in parts of :data:`CHUNK_SAMPLES`: in this process
    (``workers=0``, the default), on a local pool of ``workers`` processes, or on the Dask
    cluster at ``scheduler``. The draws are made once, here (common random numbers), and the
    parts summed in order, so the result is the same to the last bit for any of them.

    Raises :class:`~silkroad_routing.errors.InputError` naming the field and value for a bad
    ``samples``, ``seed``, ``capacity`` or ``workers``, a plan leg the problem's timetable does
    not have, an ``uncertainty`` target the network does not have, or a scheduler that cannot
    be reached."""
    check_replay_inputs(problem, uncertainty, samples, seed)
    mode = replay_capacity_mode(plan, capacity)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise InputError("must be a whole number >= 0 (0: this process)", field="workers",
                         value=workers)
    chosen = plan.selected()
    arrays, ship_rows, boarded = replay_arrays(problem, chosen)
    space = replay_capacity(problem, arrays, ship_rows) if mode == "respect" else None
    out = replay_parts(arrays, draw_replay(problem, uncertainty, samples, seed), space,
                       workers, scheduler)
    return Reliability(shipments=_shipment_table(ship_rows, out),
                       departures=_departure_table(problem, arrays, boarded, out, samples),
                       corridors=_corridor_table(ship_rows, out.arrival_h),
                       arrival_h=out.arrival_h, samples=samples, seed=seed, capacity=mode)


def replay_parts(arrays: ReplayPlan, draws: ReplayDraws, capacity: ReplayCapacity | None,
                 workers: int = 0, scheduler: str | None = None) -> ReplayOut:
    """:func:`~silkroad_routing.core.replay.replay` of ``draws`` in parts of
    :data:`CHUNK_SAMPLES` samples, run where ``workers`` / ``scheduler`` say
    (:func:`~silkroad_routing.comparison.executors.open_executor`; 0 workers: this process),
    put back together in sample order. A local pool gets one task per worker (consecutive
    parts, so the plan's arrays travel once to each), a cluster one task per part."""
    n = draws.trip_factor.shape[0]
    starts = list(range(0, n, CHUNK_SAMPLES))
    tasks = len(starts) if scheduler is not None else max(1, min(workers, len(starts)))
    groups = [starts[k * len(starts) // tasks:(k + 1) * len(starts) // tasks]
              for k in range(tasks)]
    with open_executor(workers, scheduler) as executor:
        futures = [executor.submit(_replay_group, arrays, ReplayDraws(
            *(np.ascontiguousarray(a[group[0]:min(group[-1] + CHUNK_SAMPLES, n)])
              for a in draws)), capacity) for group in groups]
        parts = [part for future in futures for part in future.result()]
    if len(parts) == 1:
        return parts[0]
    summed = [np.zeros_like(a) for a in parts[0][1:]]
    for part in parts:  # in sample order, whatever finished first
        for total, a in zip(summed, part[1:], strict=True):
            total += a
    return ReplayOut(np.concatenate([p.arrival_h for p in parts]), *summed)


def _replay_group(arrays: ReplayPlan, draws: ReplayDraws, capacity: ReplayCapacity | None
                  ) -> list[ReplayOut]:
    """One task of :func:`replay_parts`: its consecutive parts, each replayed on its own."""
    n = draws.trip_factor.shape[0]
    return [replay(arrays, ReplayDraws(*(a[lo:lo + CHUNK_SAMPLES] for a in draws)),
                   TIME_TOLERANCE_H, capacity) for lo in range(0, n, CHUNK_SAMPLES)]


def replay_capacity_mode(plan: Plan, capacity: str | None) -> str:
    """``capacity`` checked against :data:`REPLAY_CAPACITY_MODES`, or ``plan.capacity`` when
    None."""
    if capacity is None:
        return "respect" if plan.capacity == "respect" else "ignore"
    if capacity not in REPLAY_CAPACITY_MODES:
        raise InputError(f"must be one of {', '.join(REPLAY_CAPACITY_MODES)}", field="capacity",
                         value=capacity)
    return capacity


def plan_loads(problem: Problem, arrays: ReplayPlan, ship_rows: pd.DataFrame
               ) -> NDArray[np.float64]:
    """What the plan (as replayed: ``arrays`` and its ``ship_rows``) takes on every connection
    of the timetable, n_conn x 3 (kg, TEU, positions): each shipment its
    :attr:`~silkroad_routing.compile.ShipmentArrays.use` on every service leg it rides."""
    use = _use(problem, ship_rows)
    service = arrays.leg_kind == LEG_SERVICE
    leg_use = np.repeat(use, np.diff(arrays.ship_indptr), axis=0)[service]
    loads = np.zeros((problem.timetable.n_connections, 3), dtype=np.float64)
    np.add.at(loads, arrays.leg_conn[service], leg_use)
    return loads


def replay_capacity(problem: Problem, arrays: ReplayPlan, ship_rows: pd.DataFrame
                    ) -> ReplayCapacity:
    """The space rebookings may take: each departure leg's capacity minus the plan's loads
    (:func:`plan_loads`), the shipments' use, and their rank in the priority order the plan was
    booked in (due date, none last, then ready time, then id)."""
    left = np.ascontiguousarray(problem.conn_capacity - plan_loads(problem, arrays, ship_rows))
    order = np.lexsort((ship_rows["shipment_id"].astype(str).to_numpy(),
                        ship_rows["ready_h"].to_numpy(), ship_rows["due_h"].to_numpy()))
    rank = np.empty(len(ship_rows), dtype=np.int64)
    rank[order] = np.arange(len(ship_rows), dtype=np.int64)
    return ReplayCapacity(left, np.ascontiguousarray(_use(problem, ship_rows)), rank)


def _use(problem: Problem, ship_rows: pd.DataFrame) -> NDArray[np.float64]:
    index = {sid: i for i, sid in enumerate(problem.shipments.ids.tolist())}
    idx = np.array([index[s] for s in ship_rows["shipment_id"]], dtype=np.int64)
    return problem.shipments.use[idx].astype(np.float64).reshape(-1, 3)


def check_replay_inputs(problem: Problem, uncertainty: Uncertainty | None, samples: int,
                        seed: int) -> None:
    """Raise :class:`~silkroad_routing.errors.InputError` unless ``samples`` is a whole number
    from 1 to :data:`MAX_SAMPLES`, ``seed`` one >= 0 and every target of ``uncertainty`` one
    the problem's network has (passages are not replayed)."""
    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= MAX_SAMPLES:
        raise InputError(f"must be a whole number from 1 to {MAX_SAMPLES:,}", field="samples",
                         value=samples)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("must be a whole number >= 0", field="seed", value=seed)
    if uncertainty is not None:
        if uncertainty.passages:
            raise InputError("simulate does not replay passages yet; give their links or "
                             "services instead", field="uncertainty.passages",
                             value=sorted(uncertainty.passages))
        check_uncertainty(problem.network, uncertainty)


def _hours(problem: Problem, times: pd.Series) -> NDArray[np.float64]:
    start = pd.Timestamp(problem.timetable.start)
    return ((pd.to_datetime(times, utc=True) - start) / pd.Timedelta(hours=1)).to_numpy(float)


def replay_arrays(problem: Problem, plan: Plan) -> tuple[ReplayPlan, pd.DataFrame, NDArray[np.float64]]:
    """The kernel's arrays for the one-option ``plan`` on ``problem``, the routed shipments'
    rows (id, due, planned arrival, on-time flag, corridor, ready) in replay order, and the kg the plan boards
    onto each trip."""
    tt = problem.timetable
    hub_index = {code: i for i, code in enumerate(tt.hub_codes)}
    link_index = {link_id: i for i, link_id in enumerate(tt.link_ids)}
    conn_of = {(tt.departure_ids[t], tt.hub_codes[f]): c for c, (t, f) in
               enumerate(zip(tt.conn_trip.tolist(), tt.conn_from.tolist(), strict=True))}
    ship_index = {sid: i for i, sid in enumerate(problem.shipments.ids.tolist())}

    rows = plan.shipments[plan.shipments["routed"]].reset_index(drop=True)
    unknown = sorted(set(rows["shipment_id"]) - set(ship_index))
    if unknown:
        raise InputError("the plan has shipments the problem does not", field="shipment_id",
                         value=unknown[:5])
    legs = vehicle_legs(plan.legs).sort_values(["shipment_id", "leg"], kind="stable")
    legs = rows[["shipment_id"]].merge(legs, on="shipment_id", how="left", sort=False)
    n_legs = len(legs)
    counts = legs.groupby("shipment_id", sort=False).size().reindex(rows["shipment_id"])
    ship_indptr = np.concatenate([[0], np.cumsum(counts.to_numpy())]).astype(np.int64)

    dep_h, arr_h = _hours(problem, legs["departure"]), _hours(problem, legs["arrival"])
    kinds = legs["kind"].to_numpy()
    modes = np.array([MODE_INDEX[Mode(m)] for m in legs["mode"]], dtype=np.int64)
    leg_from = np.array([hub_index[h] for h in legs["from_hub"]], dtype=np.int64)
    leg_to = np.array([hub_index[h] for h in legs["to_hub"]], dtype=np.int64)
    leg_conn = np.full(n_legs, -1, dtype=np.int64)
    leg_link = np.full(n_legs, -1, dtype=np.int64)
    for k, (kind, dep_id, hub, link_id) in enumerate(zip(
            kinds, legs["departure_id"], legs["from_hub"], legs["link_id"], strict=True)):
        if kind == "service":
            c = conn_of.get((dep_id, hub))
            if c is None:
                raise InputError("the plan's departure is not in the problem's timetable",
                                 field="departure_id", value=f"{dep_id} from {hub}")
            leg_conn[k] = c
        else:
            if link_id not in link_index:
                raise InputError("the plan's link is not in the problem's timetable",
                                 field="link_id", value=link_id)
            leg_link[k] = link_index[link_id]

    first = np.zeros(n_legs, dtype=bool)
    first[ship_indptr[:-1]] = True
    prev_mode = np.roll(modes, 1)
    gap_h = tt.hub_dwell_h[leg_from] + tt.transfer_h[leg_from, prev_mode, modes]
    gap_h[first] = 0.0
    dep_ids = legs["departure_id"].to_numpy()
    leg_stay = ((kinds == "service") & ~first & (np.roll(kinds, 1) == "service")
                & (dep_ids == np.roll(dep_ids, 1))).astype(np.int64)

    # Candidates per (from, to, mode) of the plan's service legs, in timetable order.
    leg_pair = np.full(n_legs, -1, dtype=np.int64)
    leg_pos = np.zeros(n_legs, dtype=np.int64)
    pair_lists: list[NDArray[np.int64]] = []
    pair_of: dict[tuple[int, int, int], int] = {}
    position: list[dict[int, int]] = []
    for k in np.flatnonzero(kinds == "service"):
        key = (int(leg_from[k]), int(leg_to[k]), int(modes[k]))
        if key not in pair_of:
            conns = np.flatnonzero((tt.conn_from == key[0]) & (tt.conn_to == key[1])
                                   & (tt.conn_mode == key[2])).astype(np.int64)
            pair_of[key] = len(pair_lists)
            pair_lists.append(conns)
            position.append({int(c): j for j, c in enumerate(conns)})
        leg_pair[k] = pair_of[key]
        leg_pos[k] = position[pair_of[key]][int(leg_conn[k])]
    pair_indptr = np.concatenate([[0], np.cumsum([len(p) for p in pair_lists])]).astype(np.int64)
    pair_conn = (np.concatenate(pair_lists) if pair_lists else np.zeros(0)).astype(np.int64)

    last = ship_indptr[1:] - 1
    ship_arr_h = _hours(problem, rows["arrival"])
    idx = np.array([ship_index[s] for s in rows["shipment_id"]], dtype=np.int64)
    sa = problem.shipments
    kg = sa.weight_kg[idx].astype(np.float64)

    run_h = tt.conn_arr_h - tt.conn_dep_h
    n_trips = len(tt.departure_ids)
    trip_run_h = np.bincount(tt.conn_trip, weights=run_h, minlength=n_trips)
    share = np.divide(run_h, trip_run_h[tt.conn_trip], out=np.zeros_like(run_h),
                      where=trip_run_h[tt.conn_trip] > 0)
    is_next = np.zeros(tt.n_connections, dtype=bool)
    is_next[tt.conn_next[tt.conn_next >= 0]] = True
    trip_first = np.full(n_trips, -1, dtype=np.int64)
    heads = np.flatnonzero(~is_next)
    trip_first[tt.conn_trip[heads]] = heads

    boarding = (kinds == "service") & (leg_stay == 0)
    boarded = np.bincount(tt.conn_trip[leg_conn[boarding]],
                          weights=np.repeat(kg, np.diff(ship_indptr))[boarding],
                          minlength=n_trips)
    arrays = ReplayPlan(
        ship_indptr=ship_indptr,
        ship_tail_h=np.ascontiguousarray(ship_arr_h - arr_h[last]),
        ship_dest=np.array([hub_index[h] for h in rows["destination"]], dtype=np.int64),
        ship_kg=np.ascontiguousarray(kg), ship_q=np.ascontiguousarray(sa.q[idx], dtype=np.float64),
        leg_kind=np.where(kinds == "service", LEG_SERVICE, LEG_LINK).astype(np.int64),
        leg_conn=leg_conn, leg_from=leg_from, leg_to=leg_to, leg_stay=leg_stay,
        leg_gap_h=np.ascontiguousarray(gap_h, dtype=np.float64), leg_pair=leg_pair,
        leg_pos=leg_pos, leg_dep_h=dep_h, leg_run_h=np.ascontiguousarray(arr_h - dep_h),
        leg_link=leg_link, pair_indptr=pair_indptr, pair_conn=pair_conn,
        conn_dep_h=tt.conn_dep_h, conn_arr_h=tt.conn_arr_h, conn_from=tt.conn_from,
        conn_to=tt.conn_to, conn_trip=tt.conn_trip, conn_service=tt.conn_service,
        conn_next=tt.conn_next, conn_share=share,
        conn_rate=np.ascontiguousarray(tt.conn_rate, dtype=np.float64), trip_first=trip_first)
    table = pd.DataFrame({
        "shipment_id": rows["shipment_id"].to_numpy(),
        "on_time_planned": rows["on_time"].astype(bool).to_numpy(),
        "due_h": sa.due_h[idx].astype(np.float64),
        "planned_arrival_h": ship_arr_h,
        **{key: rows[key].to_numpy() for key in CORRIDOR_KEYS},
        "ready_h": sa.ready_h[idx].astype(np.float64),
    })
    return arrays, table, boarded


def _stream(seed: int, *keys: str) -> np.random.Generator:
    return np.random.default_rng([seed, *(zlib.crc32(key.encode()) for key in keys)])


def draw_replay(problem: Problem, uncertainty: Uncertainty | None, samples: int,
                seed: int) -> ReplayDraws:
    """The draws of ``samples`` samples for every trip, hub and link of ``problem``
    (common random numbers: module docstring)."""
    tt = problem.timetable
    n_trips, n_hubs, n_links = len(tt.departure_ids), tt.n_hubs, len(tt.link_ids)
    draws = ReplayDraws(
        trip_factor=np.ones((samples, n_trips)), trip_extra_h=np.zeros((samples, n_trips)),
        trip_cancelled=np.zeros((samples, n_trips), dtype=np.int64),
        hub_extra_h=np.zeros((samples, n_hubs)), link_factor=np.ones((samples, n_links)),
        link_extra_h=np.zeros((samples, n_links)))
    if uncertainty is not None:
        _draw_trips(problem, uncertainty, samples, seed, draws)
        _draw_hubs_and_links(problem, uncertainty, samples, seed, draws)
    return draws


def _per_trip(problem: Problem, seed: int, path: str, distribution: Distribution | None,
              trips: NDArray[np.int64], into: NDArray[np.float64], multiply: bool) -> None:
    """Draw ``distribution`` for each of ``trips`` into its column of ``into``."""
    if distribution is None:
        return
    ids, samples = problem.timetable.departure_ids, into.shape[0]
    for t in trips.tolist():
        values = draw_array(distribution, _stream(seed, path, ids[t]), samples)
        into[:, t] = into[:, t] * values if multiply else into[:, t] + values


def _draw_trips(problem: Problem, uncertainty: Uncertainty, samples: int, seed: int,
                draws: ReplayDraws) -> None:
    tt = problem.timetable
    n_trips, n_links = len(tt.departure_ids), len(tt.link_ids)
    trip_mode = np.full(n_trips, -1, dtype=np.int64)
    trip_mode[tt.conn_trip] = tt.conn_mode
    link_mode = np.full(n_links, -1, dtype=np.int64)
    link_mode[tt.link_ref] = tt.link_mode
    for mode, spec in uncertainty.modes.items():
        trips = np.flatnonzero(trip_mode == MODE_INDEX[mode]).astype(np.int64)
        path = f"edits.modes.{mode}"
        _per_trip(problem, seed, f"{path}.duration_factor", spec.duration_factor, trips,
                  draws.trip_factor, True)
        if spec.cancel_probability > 0.0:
            for t in trips.tolist():
                u = _stream(seed, f"{path}.cancel_probability", tt.departure_ids[t]).random(samples)
                draws.trip_cancelled[:, t] = u < spec.cancel_probability
        if spec.duration_factor is not None:
            for j in np.flatnonzero(link_mode == MODE_INDEX[mode]).tolist():
                draws.link_factor[:, j] *= draw_array(
                    spec.duration_factor, _stream(seed, f"{path}.duration_factor", tt.link_ids[j]),
                    samples)
    service_of = np.array([tt.service_ids[s] for s in tt.trip_service.tolist()], dtype=object)
    for service_id, service_spec in uncertainty.services.items():
        trips = np.flatnonzero(service_of == service_id).astype(np.int64)
        path = f"edits.services.{service_id}"
        _per_trip(problem, seed, f"{path}.duration_factor", service_spec.duration_factor, trips,
                  draws.trip_factor, True)
        _per_trip(problem, seed, f"{path}.extra_h", service_spec.extra_h, trips,
                  draws.trip_extra_h, False)


def _draw_hubs_and_links(problem: Problem, uncertainty: Uncertainty, samples: int, seed: int,
                         draws: ReplayDraws) -> None:
    tt = problem.timetable
    hub_index = {code: i for i, code in enumerate(tt.hub_codes)}
    for code, hub_spec in uncertainty.hubs.items():
        if hub_spec.extra_dwell_h is not None and code in hub_index:
            draws.hub_extra_h[:, hub_index[code]] = draw_array(
                hub_spec.extra_dwell_h, _stream(seed, f"edits.hubs.{code}.extra_dwell_h"), samples)
    link_index = {link_id: i for i, link_id in enumerate(tt.link_ids)}
    for link_id, spec in uncertainty.links.items():
        if link_id not in link_index:
            continue
        j, path = link_index[link_id], f"edits.links.{link_id}"
        if spec.duration_factor is not None:
            draws.link_factor[:, j] *= draw_array(spec.duration_factor,
                                                  _stream(seed, f"{path}.duration_factor"), samples)
        if spec.extra_h is not None:
            draws.link_extra_h[:, j] += draw_array(spec.extra_h, _stream(seed, f"{path}.extra_h"),
                                                   samples)


def _shipment_table(rows: pd.DataFrame, out: ReplayOut) -> pd.DataFrame:
    arrival = out.arrival_h
    due = rows["due_h"].to_numpy()
    arrived = np.isfinite(arrival)
    on_time = arrival <= due[None, :] + TIME_TOLERANCE_H
    late_h = np.where(arrived, np.maximum(arrival - due[None, :], 0.0), 0.0)
    n_arrived = arrived.sum(axis=0)
    table = rows.assign(
        p_on_time=on_time.mean(axis=0), p_stranded=1.0 - arrived.mean(axis=0),
        **dict(zip((f"arrival_p{p}_h" for p in PERCENTILES), np.percentile(
            arrival, PERCENTILES, axis=0, method="inverted_cdf"), strict=True)),
        lateness_mean_h=np.divide(late_h.sum(axis=0), n_arrived,
                                  out=np.full(len(rows), np.nan), where=n_arrived > 0),
        extra_cost_mean_usd=out.extra_cost_usd / arrival.shape[0],
        rebooked_share=out.rebooked / arrival.shape[0])
    return table[list(SHIPMENT_RELIABILITY_COLUMNS)]


def _corridor_table(rows: pd.DataFrame, arrival_h: NDArray[np.float64]) -> pd.DataFrame:
    """Per corridor of ``rows`` (:data:`CORRIDOR_KEYS`), the samples x shipments ``arrival_h``
    of its shipments pooled (:class:`Reliability`)."""
    out: list[dict[str, object]] = []
    for key, group in rows.groupby(list(CORRIDOR_KEYS), sort=True):
        cols = group.index.to_numpy()
        arrival = arrival_h[:, cols]
        due = group["due_h"].to_numpy()[None, :]
        transit_days = ((arrival - group["ready_h"].to_numpy()[None, :]) / 24.0).ravel()
        arrived = np.isfinite(arrival)
        late_h = np.maximum(arrival - due, 0.0)[arrived]
        corridor: dict[str, object] = dict(zip(CORRIDOR_KEYS, key, strict=True))
        out.append({
            **corridor, "shipments": len(cols),
            "p_on_time": float((arrival <= due + TIME_TOLERANCE_H).mean()),
            "p_stranded": 1.0 - float(arrived.mean()),
            **{f"transit_p{p}_days": float(q) for p, q in zip(CORRIDOR_PERCENTILES, np.percentile(
                transit_days, CORRIDOR_PERCENTILES, method="inverted_cdf"), strict=True)},
            "lateness_mean_h": float(late_h.mean()) if late_h.size else float("nan"),
        })
    return pd.DataFrame(out, columns=list(CORRIDOR_RELIABILITY_COLUMNS))


def _departure_table(problem: Problem, arrays: ReplayPlan, boarded: NDArray[np.float64],
                     out: ReplayOut, samples: int) -> pd.DataFrame:
    tt = problem.timetable
    trips = np.flatnonzero(boarded > 0)
    return pd.DataFrame({
        "departure_id": [tt.departure_ids[t] for t in trips],
        "service_id": [tt.service_ids[tt.trip_service[t]] for t in trips],
        "planned_kg": boarded[trips],
        "p_missed": out.trip_missed[trips] / samples,
        "spilled_kg_mean": out.trip_spilled_kg[trips] / samples,
    }, columns=list(DEPARTURE_RELIABILITY_COLUMNS))

