"""Per-class views of a compiled timetable: the legs and hubs a cargo class may use.

A :class:`ClassView` is the timetable as freight of one cargo class sees it
(:mod:`silkroad_routing.model.cargo_rules`), with the **same connection, trip and link indices**
as the shared timetable, so that capacity, departures and plans index both alike and capacity
counts across classes. It differs in four ways, and the kernels need no change:

* a connection of a service that refuses the class (or has no reefer space for it), and a link
  that refuses it, arrives :data:`REFUSED_DELAY_H` hours late: no route through it can arrive
  before :data:`REFUSED_AFTER_H`, which every search of a view treats as never (deadlines are
  cut there, later arrivals dropped);
* at a hub that does not handle the class (or where a transfer keeps it out of temperature
  control longer than the class allows) no transfer is allowed, from any arriving state: the
  freight can neither start, change vehicle nor, by :meth:`ClassViews.blocked`, end there;
  freight that stays aboard through such a hub is not handled and passes;
* the class's extra minimum connection time and cut-off (``extra_connection_h``) are added to
  every transfer at the hub, its handling charge (``handling_usd_per_t``) to every transfer's
  rate;
* the class's surcharges (``surcharge_usd`` per ``surcharge_basis`` per run, the distance
  share per leg; part loads of a per-FEU or per-truck surcharge pay the volume share of an
  FEU per W/M) are added to the leg rates.

The surcharges are kept apart too (:meth:`ClassView.extra_usd`), so that plan tables add
them to the shared timetable's prices leg by leg.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final

import numpy as np
from numpy.typing import NDArray

from ..errors import InputError
from ..model import CargoClass, ClassRule, Network, RuleScope
from ..model.cargo_rules import RESTRICTED_CLASSES, accepted, is_restricted, rule_for
from ..units import FEU_USABLE_M3, PricingBasis
from .tariffs import N_QUANTITIES, handling_rate_vector, rate_vector
from .timetable import Timetable

#: Hours a refused leg arrives late in a class view (finite: the kernels' arrays stay valid).
REFUSED_DELAY_H: Final[float] = 1e12
#: Any time past this in a class view came through a refused leg: it never happens.
REFUSED_AFTER_H: Final[float] = REFUSED_DELAY_H / 2

_RuleKey = tuple[RuleScope, str, CargoClass]


def surcharge_rate(rule: ClassRule | None, share: float = 1.0) -> NDArray[np.float64]:
    """Rate vector of a rule's surcharge, times ``share`` (zero without one)."""
    if rule is None or not rule.surcharge_usd or rule.surcharge_basis is None:
        return np.zeros(N_QUANTITIES)
    basis = rule.surcharge_basis
    part = (rule.surcharge_usd / FEU_USABLE_M3
            if basis in (PricingBasis.FEU, PricingBasis.TRUCK) else None)
    return rate_vector(rule.surcharge_usd, basis, part, share)


@dataclass(frozen=True, eq=False)
class ClassView:
    """The timetable as one cargo class sees it (module docstring).

    ``timetable`` (the view), ``service_ok`` (per service of the timetable), ``conn_ok``,
    ``link_ok`` (per link in CSR order), ``hub_ok``; ``conn_extra_rate`` and ``link_extra_rate``
    (n x quantities, USD) and ``hub_extra_rate`` (per hub: the handling added to every transfer
    there), ``hub_extra_h``; ``hub_exposure_h`` (hours out of temperature control per transfer,
    NaN where not stated) and ``max_exposure_h`` (the class's limit, ``inf`` without one);
    ``why_hub``, ``why_service`` and ``why_link`` say in words why a hub, service or link
    refuses (``""``: it accepts). ``changed``: the view differs from the shared timetable.
    ``conn_reefer_teu``: per connection the reefer space of its departure for this class, TEU
    (``inf`` where the service's rule states none); capacity-aware routing counts it on top of
    the departure's own capacity.
    """

    cargo_class: CargoClass
    timetable: Timetable
    service_ok: NDArray[np.bool_]
    conn_ok: NDArray[np.bool_]
    link_ok: NDArray[np.bool_]
    hub_ok: NDArray[np.bool_]
    conn_extra_rate: NDArray[np.float64]
    link_extra_rate: NDArray[np.float64]
    hub_extra_rate: NDArray[np.float64]
    hub_extra_h: NDArray[np.float64]
    hub_exposure_h: NDArray[np.float64]
    max_exposure_h: float
    why_hub: tuple[str, ...]
    why_service: tuple[str, ...]
    why_link: tuple[str, ...]
    changed: bool
    conn_reefer_teu: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

    @property
    def pooled(self) -> bool:
        """Whether some departure gives this class reefer space of its own (a capacity that
        only its shipments use, in TEU: :attr:`conn_reefer_teu`, ``inf`` elsewhere)."""
        return bool(np.isfinite(self.conn_reefer_teu).any())

    def extra_usd(self, conn: NDArray[np.bool_], ref: NDArray[np.int64],
                  from_hub: NDArray[np.int64], handled: NDArray[np.bool_],
                  q: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Per leg the class's freight surcharge and extra handling (USD): ``conn`` marks
        connection legs (else links), ``ref`` their index, ``from_hub`` where they start,
        ``handled`` whether the freight is handled before the leg (not when it stays aboard),
        ``q`` the shipment's quantities per leg."""
        rates = np.zeros((ref.shape[0], N_QUANTITIES))
        rates[conn] = self.conn_extra_rate[ref[conn]]
        rates[~conn] = self.link_extra_rate[ref[~conn]]
        freight = np.einsum("ij,ij->i", rates, q)
        handling = np.einsum("ij,ij->i", self.hub_extra_rate[from_hub], q)
        return freight, np.where(handled, handling, 0.0)


def _hub_rules(network: Network, rules: dict[_RuleKey, ClassRule], cls: CargoClass,
               limit: float, restricted: bool) -> tuple[NDArray[np.bool_], NDArray[np.float64],
                                      NDArray[np.float64], NDArray[np.float64], list[str]]:
    n = len(network.hubs)
    ok = np.ones(n, dtype=bool)
    extra_h, exposure = np.zeros(n), np.full(n, np.nan)
    extra_rate = np.zeros((n, N_QUANTITIES))
    why = [""] * n
    for h, hub in enumerate(network.hubs):
        rule = rule_for(rules, RuleScope.HUB, hub.code, cls)
        if not accepted(rule, restricted):
            ok[h], why[h] = False, f"hub {hub.code} does not handle {cls}"
            continue
        if rule is None:
            continue
        extra_h[h] = rule.extra_connection_h
        extra_rate[h] = handling_rate_vector(rule.handling_usd_per_t)
        if rule.exposure_h is not None:
            exposure[h] = rule.exposure_h
        if np.isfinite(limit):
            if rule.exposure_h is None:
                ok[h], why[h] = False, (f"hub {hub.code} states no time out of temperature "
                                        f"control for {cls}")
            elif rule.exposure_h > limit:
                ok[h], why[h] = False, (f"hub {hub.code} keeps {cls} {rule.exposure_h:g} h out "
                                        f"of temperature control (limit {limit:g} h)")
    return ok, extra_h, exposure, extra_rate, why


def build_view(network: Network, tt: Timetable, cls: CargoClass) -> ClassView:
    """The view of ``tt`` (compiled from ``network``) for freight of class ``cls``."""
    if not any(r.cargo_class == cls for r in network.class_rules):
        return replace(_base_view(tt), cargo_class=cls)  # no rule for the class: no change
    rules = {r.key: r for r in network.class_rules}
    restricted = is_restricted(network.class_rules, cls)
    class_rule = rules.get((RuleScope.CLASS, "*", cls))
    limit = (np.inf if class_rule is None or class_rule.max_exposure_h is None
             else class_rule.max_exposure_h)
    by_id = network.service_by_id
    n_s = len(tt.service_ids)
    service_ok = np.ones(n_s, dtype=bool)
    service_reefer = np.full(n_s, np.inf)
    why_service = [""] * n_s
    leg_extra: list[list[NDArray[np.float64]]] = []
    for k, sid in enumerate(tt.service_ids):
        service = by_id[sid]
        rule = rule_for(rules, RuleScope.SERVICE, sid, cls)
        if not accepted(rule, restricted):
            service_ok[k], why_service[k] = False, f"service {sid} refuses {cls}"
        elif rule is not None and rule.reefer_teu == 0:
            service_ok[k], why_service[k] = False, f"service {sid} has no reefer space"
        elif rule is not None and rule.reefer_teu is not None:
            service_reefer[k] = rule.reefer_teu
        total = service.distance_km
        n_legs = len(service.leg_km)
        leg_extra.append([surcharge_rate(rule, service.leg_km[i] / total if total > 0
                                         else 1.0 / n_legs) for i in range(n_legs)])
    conn_ok = service_ok[tt.conn_service] if tt.n_connections else np.zeros(0, dtype=bool)
    # Each connection's surcharge: its (service, leg) row of one flat table.
    first_leg = np.concatenate(([0], np.cumsum([len(x) for x in leg_extra]))).astype(np.int64)
    flat = np.array([r for x in leg_extra for r in x]).reshape(-1, N_QUANTITIES)
    conn_extra = (flat[first_leg[tt.conn_service] + tt.conn_leg] if tt.n_connections
                  else np.zeros((0, N_QUANTITIES)))
    links = [network.link_by_id[tt.link_ids[r]] for r in tt.link_ref.tolist()]
    link_rules = [rule_for(rules, RuleScope.LINK, x.id, cls) for x in links]
    link_ok = np.array([accepted(r, restricted) for r in link_rules], dtype=bool)
    why_link = tuple("" if ok else f"link {x.id} refuses {cls}"
                     for x, ok in zip(links, link_ok.tolist(), strict=True))
    link_extra = np.array([surcharge_rate(r) for r in link_rules]).reshape(
        len(links), N_QUANTITIES)
    hub_ok, hub_h, exposure, hub_rate, why_hub = _hub_rules(network, rules, cls, limit, restricted)
    changed = bool((~conn_ok).any() or (~link_ok).any() or (~hub_ok).any() or hub_h.any()
                   or hub_rate.any() or conn_extra.any() or link_extra.any())
    view_tt = tt
    if changed:
        allowed = tt.transfer_allowed.copy()
        allowed[~hub_ok] = False
        view_tt = replace(
            tt,
            conn_arr_h=np.ascontiguousarray(np.where(conn_ok, tt.conn_arr_h,
                                                     tt.conn_arr_h + REFUSED_DELAY_H)),
            conn_rate=np.ascontiguousarray(tt.conn_rate + conn_extra),
            link_duration_h=np.ascontiguousarray(np.where(link_ok, tt.link_duration_h,
                                                          tt.link_duration_h + REFUSED_DELAY_H)),
            link_rate=np.ascontiguousarray(tt.link_rate + link_extra),
            transfer_allowed=allowed,
            transfer_h=np.ascontiguousarray(tt.transfer_h + hub_h[:, None, None]),
            transfer_rate=np.ascontiguousarray(tt.transfer_rate + hub_rate[:, None, None, :]))
    return ClassView(cls, view_tt, service_ok, conn_ok, link_ok, hub_ok,
                     np.ascontiguousarray(conn_extra), np.ascontiguousarray(link_extra),
                     hub_rate, hub_h, exposure, float(limit), tuple(why_hub),
                     tuple(why_service), why_link, changed,
                     np.ascontiguousarray(service_reefer[tt.conn_service]) if tt.n_connections
                     else np.zeros(0))


@dataclass(eq=False)
class ClassViews:
    """The class views of one prepared problem, built when first asked for.

    ``network`` and ``timetable`` are the problem's; :meth:`view` gives the view of a class,
    :meth:`split` the members of a batch by class.
    """

    network: Network
    timetable: Timetable
    _views: dict[CargoClass, ClassView] = field(default_factory=dict)
    _base: ClassView | None = None

    def view(self, cargo_class: str) -> ClassView:
        """The view of ``cargo_class`` (built once)."""
        cls = CargoClass(cargo_class)
        if cls not in self._views:
            self._views[cls] = build_view(self.network, self.timetable, cls)
        return self._views[cls]

    def split(self, classes: NDArray[np.object_], members: NDArray[np.int64]
              ) -> list[tuple[ClassView, NDArray[np.int64]]]:
        """``members`` (indices into ``classes``, one cargo class per shipment) by view: the
        members of every class whose view is the shared timetable together, first; then one
        group per class with a view of its own, in class order."""
        if members.size == 0:
            return []
        of = classes[members]
        base: list[NDArray[np.int64]] = []
        own: list[tuple[ClassView, NDArray[np.int64]]] = []
        for cls in sorted(set(of.tolist())):
            group = members[of == cls]
            view = self.view(cls)
            if view.changed:
                own.append((view, group))
            else:
                base.append(group)
        out = [(self.base(), np.sort(np.concatenate(base)))] if base else []
        return out + own

    def base(self) -> ClassView:
        """The shared timetable as a view: what classes that no rule changes see."""
        if self._base is None:
            self._base = _base_view(self.timetable)
        return self._base

    def changed_any(self, classes: NDArray[np.object_]) -> bool:
        """Whether some shipment's class has a view of its own."""
        return any(self.view(c).changed for c in set(classes.tolist()))

    def require_shared(self, classes: NDArray[np.object_], task: str) -> None:
        """Raise :class:`InputError` when ``task`` (which does not honour cargo-class rules
        yet) is asked for shipments of a class with rules (``classes``, one per shipment)."""
        if self.changed_any(classes):
            raise InputError(f"{task} does not honour cargo-class rules yet, and these "
                             "shipments have classes the network restricts: route them with "
                             "assign='sequential'", field="cargo_class")

    def blocked(self, classes: NDArray[np.object_], origin: NDArray[np.int64],
                destination: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Per shipment: its origin or destination hub does not handle its class."""
        out = np.zeros(classes.shape[0], dtype=bool)
        for cls in set(classes.tolist()):
            view = self.view(cls)
            if view.changed:
                rows = classes == cls
                out[rows] = ~view.hub_ok[origin[rows]] | ~view.hub_ok[destination[rows]]
        return out


def _base_view(tt: Timetable) -> ClassView:
    """The shared timetable as a view (nothing refused, nothing added)."""
    n_hubs = tt.n_hubs
    return ClassView(CargoClass.GENERAL, tt, np.ones(len(tt.service_ids), dtype=bool),
                     np.ones(tt.n_connections, dtype=bool), np.ones(tt.n_links, dtype=bool),
                     np.ones(n_hubs, dtype=bool), np.zeros((tt.n_connections, N_QUANTITIES)),
                     np.zeros((tt.n_links, N_QUANTITIES)), np.zeros((n_hubs, N_QUANTITIES)),
                     np.zeros(n_hubs), np.full(n_hubs, np.nan), np.inf, ("",) * n_hubs,
                     ("",) * len(tt.service_ids), ("",) * tt.n_links, False,
                     np.full(tt.n_connections, np.inf))


__all__ = ["REFUSED_AFTER_H", "REFUSED_DELAY_H", "RESTRICTED_CLASSES", "ClassView", "ClassViews",
           "build_view", "surcharge_rate"]
