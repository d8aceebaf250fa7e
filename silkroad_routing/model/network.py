"""The network: hubs, links, services, transfer rules and the sources of their numbers."""

from __future__ import annotations

from collections import Counter
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import Field, model_validator

from ..units import Mode, emission_km
from ._base import Record
from .cargo_rules import ANY_REF, ClassRule, RuleScope
from .hub import Hub
from .link import Link
from .process import GENERAL_REGIME, ProcessRule, ProcessStage
from .service import Service
from .transfer import ANY_HUB, TransferRule

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx


class Source(Record):
    """Where a number came from: a publication, a data set or a computation."""

    key: str = Field(min_length=1)
    citation: str = Field(min_length=1)
    url: str = ""
    year: int | None = None
    note: str = ""


def _source_entries(field: str) -> list[tuple[str, str]]:
    """(column, key) of each ``;``-separated entry of a ``source`` field; column "" for a bare key."""
    out = []
    for part in (p.strip() for p in field.split(";")):
        if part:
            column, _, key = part.rpartition("=")
            out.append((column.strip(), key.strip()))
    return out


def source_keys(field: str) -> list[str]:
    """The source keys of a ``source`` field (``lat=geonames;dwell_h=railtech-2018;derived``).

    An entry is ``column=key`` (the source of that column's figure) or a bare ``key`` (a source
    the row draws on as a whole, such as the inputs of a derived figure).
    """
    return [key for _, key in _source_entries(field)]


def source_columns(field: str) -> dict[str, str]:
    """The ``column=key`` entries of a ``source`` field: the one source of each column's figure.

    Raises ``ValueError`` when a column is given twice (a figure traces to one source).
    """
    out: dict[str, str] = {}
    for column, key in _source_entries(field):
        if column:
            if column in out:
                raise ValueError(f"column {column!r} is given two sources ({out[column]}, {key})")
            out[column] = key
    return out


class Network(Record):
    """Hubs, links, services, transfer, process and cargo-class rules, checked for consistency on
    construction.

    Ids are unique per kind; every link end, service stop and transfer- or process-rule hub is a
    known hub;
    every ``source`` key is in ``sources`` (when ``sources`` is given).
    """

    name: str = "network"
    hubs: tuple[Hub, ...]
    links: tuple[Link, ...] = ()
    services: tuple[Service, ...] = ()
    transfers: tuple[TransferRule, ...] = ()
    processes: tuple[ProcessRule, ...] = ()
    class_rules: tuple[ClassRule, ...] = ()
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Network:
        self._unique_ids()
        self._known_hubs()
        self._known_sources()
        return self

    def _unique_ids(self) -> None:
        for kind, ids in (
            ("hub code", [h.code for h in self.hubs]),
            ("link id", [x.id for x in self.links]),
            ("service id", [s.id for s in self.services]),
            ("source key", [s.key for s in self.sources]),
            ("transfer rule", [f"{t.hub} {t.from_mode}->{t.to_mode}" for t in self.transfers]),
            ("process rule", [" ".join(p.key) for p in self.processes]),
            ("class rule", [" ".join(r.key) for r in self.class_rules]),
        ):
            dup = [k for k, n in Counter(ids).items() if n > 1]
            if dup:
                raise ValueError(f"duplicate {kind} {dup[0]!r}")

    def _known_hubs(self) -> None:
        codes = {h.code for h in self.hubs}
        for link in self.links:
            for end in (link.from_hub, link.to_hub):
                if end not in codes:
                    raise ValueError(f"link {link.id} refers to unknown hub {end!r}")
        for service in self.services:
            for stop in service.stops:
                if stop not in codes:
                    raise ValueError(f"service {service.id} calls at unknown hub {stop!r}")
        rules: tuple[TransferRule | ProcessRule, ...] = (*self.transfers, *self.processes)
        for rule in rules:
            if rule.hub != ANY_HUB and rule.hub not in codes:
                raise ValueError(f"{_label(rule)} refers to unknown hub {rule.hub!r}")
        # A class rule of a service or link that is not in the network applies to nothing
        # (networks are often filtered; classes.csv is checked against its own files).
        for c in self.class_rules:
            if c.scope == RuleScope.HUB and c.ref != ANY_REF and c.ref not in codes:
                raise ValueError(f"class rule for {c.cargo_class} refers to unknown hub "
                                 f"{c.ref!r}")

    def _known_sources(self) -> None:
        if not self.sources:
            return
        known = {s.key for s in self.sources}
        items: tuple[Hub | Link | Service | TransferRule | ProcessRule | ClassRule, ...] = (
            *self.hubs, *self.links, *self.services, *self.transfers, *self.processes,
            *self.class_rules)
        for item in items:
            for key in source_keys(item.source):
                if key not in known:
                    raise ValueError(f"unknown source key {key!r} on {_label(item)}")

    @cached_property
    def hub_by_code(self) -> dict[str, Hub]:
        """Hubs keyed by code."""
        return {h.code: h for h in self.hubs}

    @cached_property
    def service_by_id(self) -> dict[str, Service]:
        """Services keyed by id."""
        return {s.id: s for s in self.services}

    @cached_property
    def link_by_id(self) -> dict[str, Link]:
        """Links keyed by id."""
        return {x.id: x for x in self.links}

    @cached_property
    def source_by_key(self) -> dict[str, Source]:
        """Sources keyed by key."""
        return {s.key: s for s in self.sources}

    def hub(self, code: str) -> Hub:
        """The hub with this code; ``KeyError`` naming the code if there is none."""
        try:
            return self.hub_by_code[code]
        except KeyError:
            raise KeyError(f"unknown hub code {code!r}") from None

    def transfer_rule(self, hub: str, from_mode: Mode, to_mode: Mode) -> TransferRule | None:
        """The rule for this mode change at ``hub``: its own rule, else the ``*`` rule, else None."""
        return self._rules.get((hub, from_mode, to_mode)) or self._rules.get(
            (ANY_HUB, from_mode, to_mode)
        )

    def process_rule(self, hub: str, mode: Mode, stage: ProcessStage,
                     regime: str = GENERAL_REGIME) -> ProcessRule | None:
        """The process rule at ``hub`` for freight of ``mode``: its own, else the ``*`` rule, else
        None (no time, no charge)."""
        return self._processes.get((hub, mode, stage, regime)) or self._processes.get(
            (ANY_HUB, mode, stage, regime))

    @cached_property
    def _processes(self) -> dict[tuple[str, Mode, ProcessStage, str], ProcessRule]:
        return {p.key: p for p in self.processes}

    @cached_property
    def _rules(self) -> dict[tuple[str, Mode, Mode], TransferRule]:
        return {(t.hub, t.from_mode, t.to_mode): t for t in self.transfers}

    def to_networkx(self) -> nx.MultiDiGraph[str]:
        """A ``networkx.MultiDiGraph`` view: hubs as nodes, links and service legs as edges.

        Node attributes: name, kind, country, lat, lon, dwell_h, capacity_t_day.
        Edge attributes: kind ('link' or 'service'), id, mode, distance_km, duration_h,
        price_usd, price_basis, co2e_kg_per_t (kg CO2e WTW per tonne carried over the edge, air
        with GLEC's +95 km),
        optional, via (passages used); service legs also carry stop_dwell_h. A service
        contributes one edge per leg (key ``<service id>:<leg>``), whose price is the distance
        share of the run's price.
        """
        import networkx as nx

        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name=self.name)
        for h in self.hubs:
            graph.add_node(
                h.code, name=h.name, kind=str(h.kind), country=h.country, lat=h.lat, lon=h.lon,
                dwell_h=h.dwell_h, capacity_t_day=h.capacity_t_day,
            )
        for x in self.links:
            graph.add_edge(
                x.from_hub, x.to_hub, key=x.id, kind="link", id=x.id, mode=str(x.mode),
                distance_km=x.distance_km, duration_h=x.duration_h, price_usd=x.price_usd,
                price_basis=str(x.price_basis),
                co2e_kg_per_t=x.co2e_kg_per_tkm * emission_km(x.mode, x.distance_km),
                optional=False, via=tuple(sorted(x.via)),
            )
        for s in self.services:
            total_km = s.distance_km or 1.0
            for i, (a, b) in enumerate(zip(s.stops[:-1], s.stops[1:], strict=True)):
                graph.add_edge(
                    a, b, key=f"{s.id}:{i}", kind="service", id=s.id, mode=str(s.mode),
                    distance_km=s.leg_km[i], duration_h=s.leg_h[i],
                    price_usd=s.price_usd * s.leg_km[i] / total_km, price_basis=str(s.price_basis),
                    co2e_kg_per_t=s.co2e_kg_per_tkm * emission_km(s.mode, s.leg_km[i]),
                    optional=s.optional,
                    via=tuple(sorted(s.via)), stop_dwell_h=s.stop_dwell_h,
                )
        return graph

    def to_geodataframe(self, **kwargs: Any) -> gpd.GeoDataFrame:
        """Hubs as points and links and service legs as lines, EPSG:4326.

        Air legs are great circles and sea legs follow the sea lanes (``searoute``); rail and road
        legs follow their waypoints. See :func:`silkroad_routing.geometry.network_geodataframe`.
        """
        # Geometry lives in a higher layer (geopandas, searoute); import it only when asked.
        from ..geometry import network_geodataframe

        return network_geodataframe(self, **kwargs)


def _label(item: Record) -> str:
    for attr in ("code", "id"):
        if hasattr(item, attr):
            return f"{type(item).__name__.lower()} {getattr(item, attr)}"
    return type(item).__name__.lower()
