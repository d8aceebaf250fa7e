"""Read and write network folders (``networks/<name>/``: CSV files plus ``sources.csv``).

The format is documented in ``networks/README.md``. Every error names the file, the data row
(1-based, header excluded), the column and the value.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, time
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import NetworkError
from ..model import (
    ANY_HUB,
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


def read_network_folder(folder: str | os.PathLike[str], name: str | None = None) -> Network:
    """Read a network folder; raise :class:`NetworkError` naming file, row, column and value."""
    root = Path(folder)
    if not root.is_dir():
        raise NetworkError("network folder does not exist", file=str(root))
    hubs_path = root / HUBS_FILE
    if not hubs_path.is_file():
        raise NetworkError(f"a network folder needs {HUBS_FILE}", file=str(hubs_path))

    sources: list[Source] = []
    if (root / SOURCES_FILE).is_file():
        path = root / SOURCES_FILE
        sources = [_record(Source, path, n, c, frozenset())
                   for n, c in read_rows(path, ("key", "citation"), NetworkError)]
    known_sources = {s.key for s in sources}
    seen_sources: set[str] = set()
    for s in sources:
        if s.key in seen_sources:
            raise NetworkError("duplicate source key", file=str(root / SOURCES_FILE), field="key",
                               value=s.key)
        seen_sources.add(s.key)

    def check_source(path: Path, number: int, cells: dict[str, str]) -> None:
        field = cells.get("source", "")
        try:
            columns = source_columns(field)
        except ValueError as exc:
            raise NetworkError(str(exc), file=str(path), row=number, field="source",
                               value=field) from None
        for column in columns:
            if column not in cells or column in ("source", "note"):
                raise NetworkError("source names a column this file does not have",
                                   file=str(path), row=number, field="source", value=column)
        for key in source_keys(field):
            if known_sources and key not in known_sources:
                raise NetworkError(f"unknown source key (not in {SOURCES_FILE})", file=str(path),
                                   row=number, field="source", value=key)

    hubs: list[Hub] = []
    codes: dict[str, int] = {}
    hub_columns = ("code", "name", "kind", "country", "lat", "lon")
    for number, cells in read_rows(hubs_path, hub_columns, NetworkError):
        hub = _record(Hub, hubs_path, number, cells, frozenset())
        if hub.code in codes:
            raise NetworkError(f"duplicate hub code (first on row {codes[hub.code]})",
                               file=str(hubs_path), row=number, field="code", value=hub.code)
        check_source(hubs_path, number, cells)
        codes[hub.code] = number
        hubs.append(hub)

    def check_hub(path: Path, number: int, column: str, code: str) -> None:
        if code not in codes and not (column == "hub" and code == ANY_HUB):
            raise NetworkError("unknown hub code", file=str(path), row=number, field=column, value=code)

    links: list[Link] = []
    if (root / LINKS_FILE).is_file():
        path = root / LINKS_FILE
        seen: dict[str, int] = {}
        required = ("id", "from_hub", "to_hub", "mode", "distance_km", "duration_h", "price_usd",
                    "price_basis", "co2e_kg_per_tkm")
        for number, cells in read_rows(path, required, NetworkError):
            for column in ("from_hub", "to_hub"):
                check_hub(path, number, column, cells[column].upper())
            cells["from_hub"], cells["to_hub"] = cells["from_hub"].upper(), cells["to_hub"].upper()
            link = _record(Link, path, number, cells, frozenset({"both_ways"}))
            check_source(path, number, cells)
            both = _bool(cells.get("both_ways", ""))
            for item in (link, _reverse_link(link)) if both else (link,):
                if item.id in seen:
                    raise NetworkError(f"duplicate link id (first on row {seen[item.id]})",
                                       file=str(path), row=number, field="id", value=item.id)
                seen[item.id] = number
                links.append(item)

    services: list[Service] = []
    if (root / SERVICES_FILE).is_file():
        path = root / SERVICES_FILE
        seen = {}
        required = ("id", "mode", "stops", "leg_h", "leg_km", "price_usd", "price_basis",
                    "co2e_kg_per_tkm")
        for number, cells in read_rows(path, required, NetworkError):
            for stop in split_list(cells["stops"]):
                check_hub(path, number, "stops", stop.upper())
            service = _record(Service, path, number, cells, frozenset({"both_ways"}))
            check_source(path, number, cells)
            both = _bool(cells.get("both_ways", ""))
            for item in (service, _reverse_service(service)) if both else (service,):
                if item.id in seen:
                    raise NetworkError(f"duplicate service id (first on row {seen[item.id]})",
                                       file=str(path), row=number, field="id", value=item.id)
                seen[item.id] = number
                services.append(item)

    transfers: list[TransferRule] = []
    if (root / TRANSFERS_FILE).is_file():
        path = root / TRANSFERS_FILE
        seen = {}
        rule_columns = ("hub", "from_mode", "to_mode", "min_connection_h")
        for number, cells in read_rows(path, rule_columns, NetworkError):
            check_hub(path, number, "hub", cells["hub"].upper())
            rule = _record(TransferRule, path, number, cells, frozenset())
            check_source(path, number, cells)
            key = f"{rule.hub} {rule.from_mode}->{rule.to_mode}"
            if key in seen:
                raise NetworkError(f"duplicate transfer rule (first on row {seen[key]})",
                                   file=str(path), row=number, field="hub", value=key)
            seen[key] = number
            transfers.append(rule)

    processes: list[ProcessRule] = []
    if (root / PROCESS_FILE).is_file():
        path = root / PROCESS_FILE
        seen = {}
        for number, cells in read_rows(path, ("hub", "mode", "stage"), NetworkError):
            check_hub(path, number, "hub", cells["hub"].upper())
            process = _record(ProcessRule, path, number, cells, frozenset())
            check_source(path, number, cells)
            key = " ".join(process.key)
            if key in seen:
                raise NetworkError(f"duplicate process rule (first on row {seen[key]})",
                                   file=str(path), row=number, field="hub", value=key)
            seen[key] = number
            processes.append(process)

    try:
        return Network(
            name=name or root.name, hubs=tuple(hubs), links=tuple(links), services=tuple(services),
            transfers=tuple(transfers), processes=tuple(processes), sources=tuple(sources),
        )
    except ValidationError as exc:
        raise NetworkError(exc.errors()[0]["msg"].removeprefix("Value error, "), file=str(root)) from None


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


def load_network(name_or_path: str | os.PathLike[str]) -> Network:
    """Load a bundled network by name (``"four_roads"``) or a network folder by path.

    Raises :class:`~silkroad_routing.errors.NetworkError` when the folder is missing or a file is
    malformed; the message names the file, row, column and value.
    """
    text = os.fspath(name_or_path)
    path = Path(text)
    if path.is_dir():
        return read_network_folder(path)
    bundled = bundled_networks_root() / text
    if (bundled / HUBS_FILE).is_file():
        return read_network_folder(bundled, name=text)
    raise NetworkError(
        f"no network folder or bundled network by this name (bundled: {', '.join(list_networks())})",
        value=text,
    )
