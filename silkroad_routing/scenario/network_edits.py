"""Apply a scenario's ``edits`` section to a network, and check what ``uncertainty`` draws for,
pointing errors at the scenario line."""

from __future__ import annotations

from collections.abc import Callable

from .. import edits as ed
from ..errors import InputError, ScenarioError, ScenarioErrors, raise_all
from ..io.yaml_lines import YamlPath
from ..model import Network
from .load import Where
from .schema import Edits, Uncertainty

#: Parameters of the edit functions that name the edited item (an unknown one points at the key).
_TARGET_PARAMETERS = frozenset({"code", "link_id", "service_id", "name", "mode"})


def _step(network: Network, where: Where, loc: YamlPath, edit: Callable[[Network], Network]
          ) -> Network:
    """Run one edit; an :class:`InputError` is re-raised pointing at ``loc`` in the scenario."""
    try:
        return edit(network)
    except ScenarioError:
        raise
    except InputError as exc:
        field = exc.field
        at = loc if field is None or field in _TARGET_PARAMETERS else (*loc, field)
        raise where.error(exc.reason, at, exc.value) from None


def apply_edits(network: Network, edits: Edits, where: Where | None = None,
                loc: YamlPath = ("edits",)) -> Network:
    """``network`` with the scenario's edits applied, in the documented order: additions; mode,
    link, service, passage and hub edits; closures. Raises :class:`ScenarioError` naming the
    scenario line and field of an unknown target or a bad value."""
    where = where or Where()
    net = network
    for i, link in enumerate(edits.add_links):
        net = _step(net, where, (*loc, "add_links", i), lambda n, x=link: ed.add_link(n, x))
    for i, service in enumerate(edits.add_services):
        net = _step(net, where, (*loc, "add_services", i), lambda n, s=service: ed.add_service(n, s))
    for mode, m in edits.modes.items():
        net = _step(net, where, (*loc, "modes", str(mode)), lambda n, mode=mode, m=m: ed.edit_mode(
            n, mode, m.duration_factor, m.price_factor, m.co2e_kg_per_tkm, m.co2e_factor))
    for link_id, e in edits.links.items():
        at = (*loc, "links", link_id)
        net = _step(net, where, at, lambda n, i=link_id, e=e: ed.set_link_tariff(
            ed.slow_link(n, i, e.duration_factor, e.extra_h),
            i, e.price_usd, e.price_factor, e.co2e_kg_per_tkm, e.co2e_factor))
    for service_id, e in edits.services.items():
        at = (*loc, "services", service_id)
        net = _step(net, where, at, lambda n, i=service_id, e=e: ed.set_service_capacity(
            ed.set_service_tariff(ed.slow_service(n, i, e.duration_factor, e.extra_h),
                                  i, e.price_usd, e.price_factor, e.co2e_kg_per_tkm, e.co2e_factor),
            i, e.capacity_kg, e.capacity_positions, e.capacity_teu, e.capacity_factor))
    for name, p in edits.passages.items():
        net = _step(net, where, (*loc, "passages", name),
                    lambda n, name=name, p=p: ed.slow_passage(n, name, p.duration_factor, p.extra_h))
    for code, h in edits.hubs.items():
        net = _step(net, where, (*loc, "hubs", code), lambda n, c=code, h=h: ed.add_hub_dwell(
            ed.set_crossing_capacity(ed.set_hub_capacity(n, c, h.capacity_t_day,
                                                         h.capacity_factor),
                                     c, h.crossing_capacity_trains_day), c, h.extra_dwell_h))
    closures: tuple[tuple[str, tuple[str, ...], Callable[[Network, str], Network]], ...] = (
        ("close_passages", edits.close_passages, ed.close_passage),
        ("close_hubs", edits.close_hubs, ed.close_hub),
        ("avoid_countries", edits.avoid_countries, ed.avoid_country),
        ("close_links", edits.close_links, ed.close_link),
        ("close_services", edits.close_services, ed.close_service),
    )
    for key, targets, close in closures:
        for i, target in enumerate(targets):
            net = _step(net, where, (*loc, key, i), lambda n, t=target, c=close: c(n, t))
    return net


def check_uncertainty(network: Network, uncertainty: Uncertainty | None, where: Where | None = None,
                      loc: YamlPath = ("uncertainty",)) -> None:
    """Raise :class:`ScenarioError` at the key of each hub, link, service or passage that
    ``uncertainty`` draws for but ``network`` (after the edits) does not have; all at once."""
    if uncertainty is None:
        return
    where = where or Where()
    # A neutral edit of each target: the edit functions know how to say a target is unknown.
    neutral: dict[str, Callable[[Network, str], Network]] = {
        "hubs": lambda n, c: ed.add_hub_dwell(n, c, 0.0),
        "links": lambda n, i: ed.slow_link(n, i, 1.0, 0.0),
        "services": lambda n, i: ed.slow_service(n, i, 1.0, 0.0),
        "passages": lambda n, p: ed.slow_passage(n, p, 1.0, 0.0),
    }
    problems: list[ScenarioError] = []
    for section, edit in neutral.items():
        for key in getattr(uncertainty, section):
            try:
                _step(network, where, (*loc, section, key), lambda n, k=key, e=edit: e(n, k))
            except ScenarioError as exc:
                problems.append(exc)
    raise_all(problems, ScenarioErrors)
