"""Read and write network folders (``networks/<name>/``: CSV files plus ``sources.csv``).

The format is documented in ``networks/README.md``. Every error names the file, the data row
(1-based, header excluded), the column and the value.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from ..errors import MAX_LISTED_ERRORS, NetworkError, NetworkErrors, raise_all
from ..model import (
    ANY_HUB,
    ClassRule,
    Hub,
    Link,
    Network,
    ProcessRule,
    Service,
    Source,
    TransferRule,
    source_columns,
    source_keys,
)
from .csv_table import build_record, read_rows, split_list

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Files of a network folder, the record each row becomes, and which columns must be present.
HUBS_FILE, LINKS_FILE, SERVICES_FILE = "hubs.csv", "links.csv", "services.csv"
TRANSFERS_FILE, SOURCES_FILE, PROCESS_FILE = "transfers.csv", "sources.csv", "process.csv"
CLASSES_FILE = "classes.csv"


def _bool(cell: str) -> bool:
    value = cell.strip().lower()
    if value in ("true", "yes", "1", "y"):
        return True
    if value in ("false", "no", "0", "n", ""):
        return False
    raise ValueError(f"expected true or false, got {cell!r}")


def _weekdays(cell: str) -> frozenset[int]:
    days = set()
    for part in split_list(cell):
        key = part[:3].lower()
        if key in WEEKDAY_NAMES:
            days.add(WEEKDAY_NAMES.index(key))
        elif part.isdigit():
            days.add(int(part))
        else:
            raise ValueError(f"unknown weekday {part!r} (use Mon;Tue;... or 0-6, Monday = 0)")
    return frozenset(days)


def _waypoints(cell: str) -> tuple[tuple[float, float], ...]:
    points = []
    for part in split_list(cell):
        xy = part.split()
        if len(xy) != 2:
            raise ValueError(f"waypoint {part!r} is not 'lon lat'")
        points.append((float(xy[0]), float(xy[1])))
    return tuple(points)


def _floats(cell: str) -> tuple[float, ...]:
    return tuple(float(p) for p in split_list(cell))


# Cell parsers by column; other columns are passed as text (empty text means "use the default").
PARSERS: dict[str, Callable[[str], Any]] = {
    "gauge_change": _bool,
    "optional": _bool,
    "accepts": _bool,
    "both_ways": _bool,
    "weekdays": _weekdays,
    "dates": lambda c: tuple(date.fromisoformat(p) for p in split_list(c)),
    "departure_time_utc": time.fromisoformat,
    "stops": lambda c: tuple(p.upper() for p in split_list(c)),
    "leg_h": _floats,
    "leg_km": _floats,
    "via": lambda c: frozenset(p.lower() for p in split_list(c)),
    "countries": lambda c: frozenset(split_list(c)),
    "waypoints": _waypoints,
}


def _record(cls: type, path: Path, number: int, cells: dict[str, str], skip: frozenset[str]) -> Any:
    return build_record(cls, path, number, cells, parsers=PARSERS, skip=skip, error=NetworkError)


def _reverse_link(link: Link) -> Link:
    return link.model_copy(update={
        "id": f"{link.id}-R", "from_hub": link.to_hub, "to_hub": link.from_hub,
        "waypoints": tuple(reversed(link.waypoints)),
    })


def _reverse_service(service: Service) -> Service:
    return service.model_copy(update={
        "id": f"{service.id}-R", "stops": tuple(reversed(service.stops)),
        "leg_h": tuple(reversed(service.leg_h)), "leg_km": tuple(reversed(service.leg_km)),
        "name": f"{service.name} (return)" if service.name else "",
    })


def _each_row(path: Path, required: tuple[str, ...],
              handle: Callable[[int, dict[str, str]], None]) -> None:
    """Call ``handle`` on every data row of ``path``; raise every row's error at once (up to
    :data:`MAX_LISTED_ERRORS`) as :class:`NetworkErrors`, or the one error alone."""
    problems: list[NetworkError] = []
    for number, cells in read_rows(path, required, NetworkError):
        try:
            handle(number, cells)
        except NetworkError as exc:
            problems.append(exc)
            if len(problems) >= MAX_LISTED_ERRORS:
                break
    raise_all(problems, NetworkErrors)


def read_network_folder(folder: str | os.PathLike[str], name: str | None = None) -> Network:
    """Read a network folder; raise :class:`NetworkError` naming file, row, column and value
    (every bad row of the first file with problems, as :class:`NetworkErrors`)."""
    root = Path(folder)
    if not root.is_dir():
        raise NetworkError("network folder does not exist", file=str(root))
    hubs_path = root / HUBS_FILE
    if not hubs_path.is_file():
        raise NetworkError(f"a network folder needs {HUBS_FILE}", file=str(hubs_path))
    sources = _read_sources(root / SOURCES_FILE)
    checks = _Checks({s.key for s in sources})
    hubs = _read_hubs(hubs_path, checks)
    links = _read_both_ways(root / LINKS_FILE, _LINK_COLUMNS, Link, _reverse_link,
                            _check_link_hubs, "link id", checks)
    services = _read_both_ways(root / SERVICES_FILE, _SERVICE_COLUMNS, Service,
                               _reverse_service, _check_stops, "service id", checks)
    transfers = _read_rules(root / TRANSFERS_FILE, _RULE_COLUMNS, TransferRule,
                            lambda r: f"{r.hub} {r.from_mode}->{r.to_mode}", "transfer rule", checks)
    processes = _read_rules(root / PROCESS_FILE, _PROCESS_COLUMNS, ProcessRule,
                            lambda r: " ".join(r.key), "process rule", checks)
    class_rules = _read_class_rules(root / CLASSES_FILE, checks, {
        "service": {s.id for s in services}, "link": {x.id for x in links}})
    try:
        return Network(
            name=name or root.name, hubs=tuple(hubs), links=tuple(links), services=tuple(services),
            transfers=tuple(transfers), processes=tuple(processes), class_rules=tuple(class_rules),
            sources=tuple(sources),
        )
    except ValidationError as exc:
        raise NetworkError(exc.errors()[0]["msg"].removeprefix("Value error, "), file=str(root)) from None


_HUB_COLUMNS = ("code", "name", "kind", "country", "lat", "lon")
_LINK_COLUMNS = ("id", "from_hub", "to_hub", "mode", "distance_km", "duration_h", "price_usd",
                 "price_basis", "co2e_kg_per_tkm")
_SERVICE_COLUMNS = ("id", "mode", "stops", "leg_h", "leg_km", "price_usd", "price_basis",
                    "co2e_kg_per_tkm")
_RULE_COLUMNS = ("hub", "from_mode", "to_mode", "min_connection_h")
_PROCESS_COLUMNS = ("hub", "mode", "stage")
_Both = TypeVar("_Both", Link, Service)
_Rule = TypeVar("_Rule", TransferRule, ProcessRule)


@dataclass
class _Checks:
    """What the rows of the later files are checked against: the source keys of
    ``sources.csv`` (none: any key) and the hub codes read so far, with their rows."""

    known_sources: set[str]
    hub_rows: dict[str, int] = field(default_factory=dict)

    def source(self, path: Path, number: int, cells: dict[str, str]) -> None:
        """Every key in the row's ``source`` cell is a known source, and every ``column=key``
        entry names a column of the file, once."""
        cell = cells.get("source", "")
        try:
            columns = source_columns(cell)
        except ValueError as exc:
            raise NetworkError(str(exc), file=str(path), row=number, field="source",
                               value=cell) from None
        for column in columns:
            if column not in cells or column in ("source", "note"):
                raise NetworkError("source names a column this file does not have",
                                   file=str(path), row=number, field="source", value=column)
        for key in source_keys(cell):
            if self.known_sources and key not in self.known_sources:
                raise NetworkError(f"unknown source key (not in {SOURCES_FILE})", file=str(path),
                                   row=number, field="source", value=key)

    def hub(self, path: Path, number: int, column: str, code: str) -> None:
        """``code`` (from ``column``) is a hub of ``hubs.csv``, or ``*`` in a rule's hub."""
        if code not in self.hub_rows and not (column == "hub" and code == ANY_HUB):
            raise NetworkError("unknown hub code", file=str(path), row=number, field=column, value=code)


def _read_sources(path: Path) -> list[Source]:
    if not path.is_file():
        return []
    sources = [_record(Source, path, n, c, frozenset())
               for n, c in read_rows(path, ("key", "citation"), NetworkError)]
    seen: set[str] = set()
    for s in sources:
        if s.key in seen:
            raise NetworkError("duplicate source key", file=str(path), field="key", value=s.key)
        seen.add(s.key)
    return sources


def _read_hubs(path: Path, checks: _Checks) -> list[Hub]:
    hubs: list[Hub] = []

    def row(number: int, cells: dict[str, str]) -> None:
        hub = _record(Hub, path, number, cells, frozenset())
        if hub.code in checks.hub_rows:
            raise NetworkError(f"duplicate hub code (first on row {checks.hub_rows[hub.code]})",
                               file=str(path), row=number, field="code", value=hub.code)
        checks.source(path, number, cells)
        checks.hub_rows[hub.code] = number
        hubs.append(hub)

    _each_row(path, _HUB_COLUMNS, row)
    return hubs


def _check_link_hubs(checks: _Checks, path: Path, number: int, cells: dict[str, str]) -> None:
    for column in ("from_hub", "to_hub"):
        checks.hub(path, number, column, cells[column].upper())
    cells["from_hub"], cells["to_hub"] = cells["from_hub"].upper(), cells["to_hub"].upper()


def _check_stops(checks: _Checks, path: Path, number: int, cells: dict[str, str]) -> None:
    for stop in split_list(cells["stops"]):
        checks.hub(path, number, "stops", stop.upper())


def _read_both_ways(
    path: Path, required: tuple[str, ...], cls: type[_Both], reverse: Callable[[_Both], _Both],
    check_hubs: Callable[[_Checks, Path, int, dict[str, str]], None], what: str, checks: _Checks,
) -> list[_Both]:
    """Links or services (none without the file); a row with ``both_ways`` adds its reverse."""
    if not path.is_file():
        return []
    seen: dict[str, int] = {}
    items: list[_Both] = []

    def row(number: int, cells: dict[str, str]) -> None:
        check_hubs(checks, path, number, cells)
        record = _record(cls, path, number, cells, frozenset({"both_ways"}))
        checks.source(path, number, cells)
        both = _bool(cells.get("both_ways", ""))
        for item in (record, reverse(record)) if both else (record,):
            if item.id in seen:
                raise NetworkError(f"duplicate {what} (first on row {seen[item.id]})",
                                   file=str(path), row=number, field="id", value=item.id)
            seen[item.id] = number
            items.append(item)

    _each_row(path, required, row)
    return items


def _read_rules(
    path: Path, required: tuple[str, ...], cls: type[_Rule], key_of: Callable[[_Rule], str],
    what: str, checks: _Checks,
) -> list[_Rule]:
    """Transfer or process rules (none without the file), one per key."""
    if not path.is_file():
        return []
    seen: dict[str, int] = {}
    rules: list[_Rule] = []

    def row(number: int, cells: dict[str, str]) -> None:
        checks.hub(path, number, "hub", cells["hub"].upper())
        rule = _record(cls, path, number, cells, frozenset())
        checks.source(path, number, cells)
        key = key_of(rule)
        if key in seen:
            raise NetworkError(f"duplicate {what} (first on row {seen[key]})",
                               file=str(path), row=number, field="hub", value=key)
        seen[key] = number
        rules.append(rule)

    _each_row(path, required, row)
    return rules


def _read_class_rules(path: Path, checks: _Checks, ids: dict[str, set[str]]) -> list[ClassRule]:
    """Cargo-class rules (none without the file), one per (scope, ref, class); ``ref`` must be a
    service id, link id or hub code of the network (by scope), or ``*``."""
    if not path.is_file():
        return []
    seen: dict[tuple[str, str, str], int] = {}
    rules: list[ClassRule] = []

    def row(number: int, cells: dict[str, str]) -> None:
        rule = _record(ClassRule, path, number, cells, frozenset())
        ref = rule.ref
        if ref != "*":
            if rule.scope == "hub":
                checks.hub(path, number, "ref", ref)
            elif ref not in ids.get(str(rule.scope), set()):
                raise NetworkError(f"unknown {rule.scope} id", file=str(path), row=number,
                                   field="ref", value=ref)
        checks.source(path, number, cells)
        key = (str(rule.scope), ref, str(rule.cargo_class))
        if key in seen:
            raise NetworkError(f"duplicate class rule (first on row {seen[key]})", file=str(path),
                               row=number, field="ref", value=" ".join(key))
        seen[key] = number
        rules.append(rule)

    _each_row(path, ("scope", "ref", "cargo_class"), row)
    return rules


def bundled_networks_root() -> Path:
    """Folder holding the bundled networks (inside the installed package, or the source tree)."""
    packaged = Path(str(resources.files("silkroad_routing"))) / "_networks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "networks"


def list_networks() -> list[str]:
    """Names of the bundled networks."""
    root = bundled_networks_root()
    return sorted(p.name for p in root.iterdir() if (p / HUBS_FILE).is_file()) if root.is_dir() else []


def is_bare_name(text: str) -> bool:
    """Whether ``text`` is a bare network name (``four_roads``) rather than a path
    (``./four_roads``, ``nets/x``, ``/abs/x``, ``~/x``)."""
    return bool(text) and text not in (".", "..") and not any(
        sep in text for sep in {"/", os.sep, os.altsep or "/"}) and not text.startswith("~")


def resolve_network(name_or_path: str | os.PathLike[str], base: str | os.PathLike[str] | None = None
                    ) -> tuple[Path, str | None]:
    """The folder a network reference means, and its bundled name (None for a folder).

    A path (``./my_net``, ``nets/my_net``, an absolute path, or any ``os.PathLike``) is a folder,
    relative to ``base`` (default: the current directory). A bare name (no ``/``) is a bundled
    network, or a folder of that name in ``base`` when no bundled network has it; when both
    exist the reference is ambiguous and raises :class:`NetworkError` naming both (write
    ``./name`` for the folder). Raises :class:`NetworkError` when neither exists.
    """
    text = os.fspath(name_or_path)
    folder = Path(base or ".") / Path(text).expanduser()
    if not isinstance(name_or_path, str) or not is_bare_name(text):
        if not folder.is_dir():
            raise NetworkError("network folder does not exist", value=text)
        return folder, None
    bundled = bundled_networks_root() / text
    has_bundled, has_folder = (bundled / HUBS_FILE).is_file(), folder.is_dir()
    if has_bundled and has_folder:
        raise NetworkError(
            f"ambiguous network name: both the bundled network {text!r} and the folder "
            f"{folder.resolve()} exist (write '{text}' for the bundled one after renaming the "
            f"folder, or './{text}' for the folder)", value=text)
    if has_bundled:
        return bundled, text
    if has_folder:
        return folder, None
    raise NetworkError(f"no network folder or bundled network by this name (bundled: "
                       f"{', '.join(list_networks())}; a folder path starts with ./ or /)",
                       value=text)


def load_network(name_or_path: str | os.PathLike[str], base: str | os.PathLike[str] | None = None
                 ) -> Network:
    """Load a bundled network by name (``"four_roads"``) or a network folder by path.

    See :func:`resolve_network` for how a name or a path is looked up (``base``, default the
    current directory, is where relative paths start). Raises
    :class:`~silkroad_routing.errors.NetworkError` when the reference is unknown or ambiguous, or
    a file is malformed; the message names the file, row, column and value.
    """
    folder, name = resolve_network(name_or_path, base)
    return read_network_folder(folder, name=name)
