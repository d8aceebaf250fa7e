"""Edits of a network: pure functions ``Network -> Network`` for scenarios and what-if studies.

Each function returns a new, re-validated :class:`~silkroad_routing.model.Network` and leaves its
argument untouched. Each checks its target first: an unknown hub code, link id, service id or
passage raises :class:`~silkroad_routing.errors.InputError` naming the parameter and the value
(with the known values when there are few), so a typo never edits nothing silently.

Times are hours, prices USD per the record's pricing basis, emission factors kg CO2e per
tonne-km. Factors multiply; ``extra_h`` adds. Extra hours on a scheduled service are spread over
its legs in proportion to their distance (a delay accrues along the way).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError
from .model import Link, Network, Service
from .units import Mode

R = TypeVar("R", bound=BaseModel)  # a record of the network (Hub, Link, Service)


def _rebuild(network: Network, **changes: Any) -> Network:
    fields = {name: getattr(network, name) for name in type(network).model_fields}
    fields = {**fields, **changes}
    # A cargo-class rule of a removed link or service goes with it.
    kept = {"service": {s.id for s in fields["services"]}, "link": {x.id for x in fields["links"]}}
    fields["class_rules"] = tuple(r for r in fields["class_rules"]
                                  if r.ref == "*" or r.ref in kept.get(r.scope, (r.ref,)))
    try:
        return Network(**fields)
    except ValidationError as exc:
        raise InputError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None


def _replace(record: R, field: str, value: object, **update: Any) -> R:
    """``record`` with ``update`` applied, re-validated (a bad value raises InputError)."""
    try:
        return type(record).model_validate({**record.model_dump(), **update})
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(err["msg"].removeprefix("Value error, "), field=field, value=value) from None


def _known(values: Iterable[str]) -> str:
    values = sorted(values)
    shown = ", ".join(values[:12]) + (", ..." if len(values) > 12 else "")
    return f" (known: {shown})" if values else " (the network has none)"


def _check_hub(network: Network, code: str, field: str = "code") -> None:
    if code not in network.hub_by_code:
        raise InputError(f"unknown hub code{_known(network.hub_by_code)}", field=field, value=code)


def _check_link(network: Network, link_id: str, field: str = "link_id") -> None:
    if link_id not in network.link_by_id:
        raise InputError(f"unknown link id{_known(network.link_by_id)}", field=field, value=link_id)


def _check_service(network: Network, service_id: str, field: str = "service_id") -> None:
    if service_id not in network.service_by_id:
        raise InputError(f"unknown service id{_known(network.service_by_id)}", field=field,
                         value=service_id)


def passages(network: Network) -> frozenset[str]:
    """Names of the passages (``via``) used by any link or service of ``network``."""
    records: tuple[Link | Service, ...] = (*network.links, *network.services)
    return frozenset().union(*(x.via for x in records))


def _check_passage(network: Network, name: str, field: str = "name") -> None:
    if name not in passages(network):
        raise InputError(f"no link or service uses this passage{_known(passages(network))}",
                         field=field, value=name)


def _check_number(value: float, field: str, *, positive: bool) -> None:
    """A factor must be positive, an amount non-negative; both finite (NaN fails both tests)."""
    if not (value > 0.0 if positive else value >= 0.0) or not math.isfinite(value):
        raise InputError(f"must be {'positive' if positive else 'non-negative'} and finite",
                         field=field, value=value)


def _map_records(network: Network, pick: Callable[[Link | Service], bool],
                 edit: Callable[[Any], Any]) -> Network:
    links = tuple(edit(x) if pick(x) else x for x in network.links)
    services = tuple(edit(s) if pick(s) else s for s in network.services)
    return _rebuild(network, links=links, services=services)


# ---------------------------------------------------------------------------------------------
# Closures and additions
# ---------------------------------------------------------------------------------------------


def close_passage(network: Network, name: str) -> Network:
    """Remove every link and service whose ``via`` names the passage (``suez``, ``cape``, ...)."""
    name = name.lower()
    _check_passage(network, name)
    return _rebuild(network, links=tuple(x for x in network.links if name not in x.via),
                    services=tuple(s for s in network.services if name not in s.via))


def avoid_country(network: Network, code: str) -> Network:
    """Remove every link and service that passes country ``code`` (ISO 3166 alpha-2) on the
    ground: a shipment or carrier that must not transit it then routes around it.

    Raises :class:`InputError` naming ``code`` when no hub, link or service of the network is in
    that country (a typo would otherwise change nothing).
    """
    country = code.strip().upper()
    known = {c for h in network.hubs for c in h.country.split("-")}
    known |= {c for x in network.links for c in x.countries}
    known |= {c for s in network.services for c in s.countries}
    if country not in known:
        raise InputError(f"no hub, link or service of the network is in this country{_known(known)}",
                         field="code", value=code)
    return _rebuild(network, links=tuple(x for x in network.links if country not in x.countries),
                    services=tuple(s for s in network.services if country not in s.countries))


def close_hub(network: Network, code: str) -> Network:
    """Remove every link touching hub ``code`` and every service calling at it.

    The hub itself stays, so shipments that start or end there are reported as unroutable
    rather than rejected.
    """
    _check_hub(network, code)
    return _rebuild(
        network,
        links=tuple(x for x in network.links if code not in (x.from_hub, x.to_hub)),
        services=tuple(s for s in network.services if code not in s.stops))


def close_link(network: Network, link_id: str) -> Network:
    """Remove the link ``link_id``."""
    _check_link(network, link_id)
    return _rebuild(network, links=tuple(x for x in network.links if x.id != link_id))


def close_service(network: Network, service_id: str) -> Network:
    """Remove the service ``service_id`` (every departure of it)."""
    _check_service(network, service_id)
    return _rebuild(network, services=tuple(s for s in network.services if s.id != service_id))


def add_link(network: Network, link: Link) -> Network:
    """Add an unscheduled link; its ends must be hubs of the network and its id new."""
    for field, code in (("from_hub", link.from_hub), ("to_hub", link.to_hub)):
        _check_hub(network, code, field)
    if link.id in network.link_by_id:
        raise InputError("a link with this id already exists", field="id", value=link.id)
    return _rebuild(network, links=(*network.links, link))


def add_service(network: Network, service: Service) -> Network:
    """Add a scheduled service; its stops must be hubs of the network and its id new."""
    for stop in service.stops:
        _check_hub(network, stop, "stops")
    if service.id in network.service_by_id:
        raise InputError("a service with this id already exists", field="id", value=service.id)
    return _rebuild(network, services=(*network.services, service))


# ---------------------------------------------------------------------------------------------
# Hubs
# ---------------------------------------------------------------------------------------------


def set_hub_capacity(network: Network, code: str, capacity_t_day: float | None = None,
                     factor: float = 1.0) -> Network:
    """Set hub ``code``'s handling capacity (tonnes per day; ``None`` keeps it), then multiply it
    by ``factor``. An unlimited capacity stays unlimited under a factor."""
    _check_hub(network, code)
    _check_number(factor, "factor", positive=True)
    if capacity_t_day is not None:
        _check_number(capacity_t_day, "capacity_t_day", positive=False)
    hub = network.hub_by_code[code]
    capacity = hub.capacity_t_day if capacity_t_day is None else capacity_t_day
    capacity = None if capacity is None else capacity * factor
    new = _replace(hub, "capacity_t_day", capacity_t_day, capacity_t_day=capacity)
    return _rebuild(network, hubs=tuple(new if h.code == code else h for h in network.hubs))


def set_crossing_capacity(network: Network, code: str, trains_day: float | None) -> Network:
    """Set how many trains a day may cross at hub ``code`` (``None`` leaves it unchanged)."""
    _check_hub(network, code)
    if trains_day is None:
        return network
    _check_number(trains_day, "crossing_capacity_trains_day", positive=False)
    hub = network.hub_by_code[code]
    new = _replace(hub, "crossing_capacity_trains_day", trains_day,
                   crossing_capacity_trains_day=trains_day)
    return _rebuild(network, hubs=tuple(new if h.code == code else h for h in network.hubs))


def add_hub_dwell(network: Network, code: str, extra_h: float) -> Network:
    """Add ``extra_h`` hours to the dwell every shipment passing through hub ``code`` spends
    there (congestion at a border crossing, a customs backlog)."""
    _check_hub(network, code)
    _check_number(extra_h, "extra_h", positive=False)
    hub = network.hub_by_code[code]
    new = _replace(hub, "extra_h", extra_h, dwell_h=hub.dwell_h + extra_h)
    return _rebuild(network, hubs=tuple(new if h.code == code else h for h in network.hubs))


# ---------------------------------------------------------------------------------------------
# Running times, tariffs and capacities of links and services
# ---------------------------------------------------------------------------------------------


def _slowed(record: Link | Service, duration_factor: float, extra_h: float) -> Link | Service:
    if isinstance(record, Link):
        hours = record.duration_h * duration_factor + extra_h
        return _replace(record, "duration_factor", duration_factor, duration_h=hours)
    total_km = record.distance_km
    legs = len(record.leg_h)
    shares = [km / total_km for km in record.leg_km] if total_km > 0 else [1.0 / legs] * legs
    leg_h = tuple(h * duration_factor + extra_h * share for h, share in zip(record.leg_h, shares,
                                                                             strict=True))
    return _replace(record, "duration_factor", duration_factor, leg_h=leg_h)


def _repriced(record: Link | Service, price_usd: float | None, price_factor: float,
              co2e_kg_per_tkm: float | None, co2e_factor: float) -> Link | Service:
    price = (record.price_usd if price_usd is None else price_usd) * price_factor
    part_load = record.part_load_usd_per_wm
    co2e = (record.co2e_kg_per_tkm if co2e_kg_per_tkm is None else co2e_kg_per_tkm) * co2e_factor
    ttw = record.co2e_ttw_kg_per_tkm
    # A new WTW factor leaves the TTW unknown; a factor scales both bases.
    ttw = None if ttw is None or co2e_kg_per_tkm is not None else ttw * co2e_factor
    # Per-TEU factors scale too; a new per-tonne-km factor replaces them (it is what applies).
    per_teu, ttw_teu = record.co2e_kg_per_teu_km, record.co2e_ttw_kg_per_teu_km
    if co2e_kg_per_tkm is not None:
        per_teu = ttw_teu = None
    per_teu = None if per_teu is None else per_teu * co2e_factor
    ttw_teu = None if ttw_teu is None else ttw_teu * co2e_factor
    return _replace(record, "price_usd", price_usd, price_usd=price, co2e_kg_per_tkm=co2e,
                    co2e_ttw_kg_per_tkm=ttw, co2e_kg_per_teu_km=per_teu,
                    co2e_ttw_kg_per_teu_km=ttw_teu,
                    part_load_usd_per_wm=None if part_load is None else part_load * price_factor)


def _check_tariff(price_usd: float | None, price_factor: float, co2e_kg_per_tkm: float | None,
                  co2e_factor: float) -> None:
    for value, field in ((price_usd, "price_usd"), (co2e_kg_per_tkm, "co2e_kg_per_tkm"),
                         (price_factor, "price_factor"), (co2e_factor, "co2e_factor")):
        if value is not None:
            _check_number(value, field, positive=False)


def slow_link(network: Network, link_id: str, duration_factor: float = 1.0,
              extra_h: float = 0.0) -> Network:
    """Multiply link ``link_id``'s running time by ``duration_factor`` and add ``extra_h``."""
    _check_link(network, link_id)
    _check_number(duration_factor, "duration_factor", positive=True)
    _check_number(extra_h, "extra_h", positive=False)
    return _map_records(network, lambda x: isinstance(x, Link) and x.id == link_id,
                        lambda x: _slowed(x, duration_factor, extra_h))


def slow_service(network: Network, service_id: str, duration_factor: float = 1.0,
                 extra_h: float = 0.0) -> Network:
    """Multiply service ``service_id``'s leg times by ``duration_factor`` and add ``extra_h``
    hours to the run (spread over the legs by distance)."""
    _check_service(network, service_id)
    _check_number(duration_factor, "duration_factor", positive=True)
    _check_number(extra_h, "extra_h", positive=False)
    return _map_records(network, lambda x: isinstance(x, Service) and x.id == service_id,
                        lambda x: _slowed(x, duration_factor, extra_h))


def slow_passage(network: Network, name: str, duration_factor: float = 1.0,
                 extra_h: float = 0.0) -> Network:
    """Slow every link and service through passage ``name`` as :func:`slow_link` and
    :func:`slow_service` do (a canal queue, a longer detour)."""
    name = name.lower()
    _check_passage(network, name)
    _check_number(duration_factor, "duration_factor", positive=True)
    _check_number(extra_h, "extra_h", positive=False)
    return _map_records(network, lambda x: name in x.via,
                        lambda x: _slowed(x, duration_factor, extra_h))


def set_link_tariff(network: Network, link_id: str, price_usd: float | None = None,
                    price_factor: float = 1.0, co2e_kg_per_tkm: float | None = None,
                    co2e_factor: float = 1.0) -> Network:
    """Override link ``link_id``'s price (USD per its basis; the part-load price scales with
    ``price_factor``) and emission factor (kg CO2e per tonne-km, well-to-wheel; the tank-to-wheel
    factor then becomes unknown); ``co2e_factor`` scales both bases; ``None`` keeps a value."""
    _check_link(network, link_id)
    _check_tariff(price_usd, price_factor, co2e_kg_per_tkm, co2e_factor)
    return _map_records(network, lambda x: isinstance(x, Link) and x.id == link_id,
                        lambda x: _repriced(x, price_usd, price_factor, co2e_kg_per_tkm, co2e_factor))


def set_service_tariff(network: Network, service_id: str, price_usd: float | None = None,
                       price_factor: float = 1.0, co2e_kg_per_tkm: float | None = None,
                       co2e_factor: float = 1.0) -> Network:
    """Override service ``service_id``'s price and emission factor, as :func:`set_link_tariff`."""
    _check_service(network, service_id)
    _check_tariff(price_usd, price_factor, co2e_kg_per_tkm, co2e_factor)
    return _map_records(network, lambda x: isinstance(x, Service) and x.id == service_id,
                        lambda x: _repriced(x, price_usd, price_factor, co2e_kg_per_tkm, co2e_factor))


def set_service_capacity(network: Network, service_id: str, capacity_kg: float | None = None,
                         capacity_positions: int | None = None, capacity_teu: float | None = None,
                         factor: float = 1.0) -> Network:
    """Set service ``service_id``'s capacities per departure (``None`` keeps one), then multiply
    every capacity by ``factor`` (positions are rounded down). Unlimited stays unlimited."""
    _check_service(network, service_id)
    _check_number(factor, "factor", positive=True)
    service = network.service_by_id[service_id]
    kg = service.capacity_kg if capacity_kg is None else capacity_kg
    positions = service.capacity_positions if capacity_positions is None else capacity_positions
    teu = service.capacity_teu if capacity_teu is None else capacity_teu
    new = _replace(
        service, "factor", factor,
        capacity_kg=None if kg is None else kg * factor,
        capacity_positions=None if positions is None else int(positions * factor),
        capacity_teu=None if teu is None else teu * factor)
    return _rebuild(network, services=tuple(new if s.id == service_id else s
                                            for s in network.services))


def edit_mode(network: Network, mode: Mode | str, duration_factor: float = 1.0,
              price_factor: float = 1.0, co2e_kg_per_tkm: float | None = None,
              co2e_factor: float = 1.0) -> Network:
    """Apply a running-time factor and a tariff override to every link and service of ``mode``
    (an ocean-rate spike: ``edit_mode(net, "sea", price_factor=3)``)."""
    try:
        mode = Mode(mode)
    except ValueError:
        raise InputError(f"unknown mode (known: {', '.join(Mode)})", field="mode", value=mode) from None
    _check_number(duration_factor, "duration_factor", positive=True)
    _check_tariff(None, price_factor, co2e_kg_per_tkm, co2e_factor)

    def edit(record: Link | Service) -> Link | Service:
        slowed = _slowed(record, duration_factor, 0.0) if duration_factor != 1.0 else record
        return _repriced(slowed, None, price_factor, co2e_kg_per_tkm, co2e_factor)

    return _map_records(network, lambda x: x.mode == mode, edit)
