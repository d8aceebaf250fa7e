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

from ..errors import NetworkError, NetworkErrors, raise_all
from ..model import ANY_HUB, Hub, Link, Network, Service, Source, TransferRule
from .csv_table import build_record, read_rows, split_list

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Most problems listed from one network file (the first ones, in row order).
MAX_LISTED_ERRORS = 20

#: Files of a network folder, the record each row becomes, and which columns must be present.
HUBS_FILE, LINKS_FILE, SERVICES_FILE = "hubs.csv", "links.csv", "services.csv"
TRANSFERS_FILE, SOURCES_FILE = "transfers.csv", "sources.csv"


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
        for key in split_list(cells.get("source", "")):
            if known_sources and key not in known_sources:
                raise NetworkError(f"unknown source key (not in {SOURCES_FILE})", file=str(path),
                                   row=number, field="source", value=key)

    hubs: list[Hub] = []
    codes: dict[str, int] = {}

    def hub_row(number: int, cells: dict[str, str]) -> None:
        hub = _record(Hub, hubs_path, number, cells, frozenset())
        if hub.code in codes:
            raise NetworkError(f"duplicate hub code (first on row {codes[hub.code]})",
                               file=str(hubs_path), row=number, field="code", value=hub.code)
        check_source(hubs_path, number, cells)
        codes[hub.code] = number
        hubs.append(hub)

    _each_row(hubs_path, ("code", "name", "kind", "country", "lat", "lon"), hub_row)

    def check_hub(path: Path, number: int, column: str, code: str) -> None:
        if code not in codes and not (column == "hub" and code == ANY_HUB):
            raise NetworkError("unknown hub code", file=str(path), row=number, field=column, value=code)

    links: list[Link] = []
    if (root / LINKS_FILE).is_file():
        path = root / LINKS_FILE
        seen: dict[str, int] = {}
        required = ("id", "from_hub", "to_hub", "mode", "distance_km", "duration_h", "price_usd",
                    "price_basis", "co2e_kg_per_tkm")

        def link_row(number: int, cells: dict[str, str], path: Path = path) -> None:
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

        _each_row(path, required, link_row)

    services: list[Service] = []
    if (root / SERVICES_FILE).is_file():
        path = root / SERVICES_FILE
        seen = {}
        required = ("id", "mode", "stops", "leg_h", "leg_km", "price_usd", "price_basis",
                    "co2e_kg_per_tkm")

        def service_row(number: int, cells: dict[str, str], path: Path = path) -> None:
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

        _each_row(path, required, service_row)

    transfers: list[TransferRule] = []
    if (root / TRANSFERS_FILE).is_file():
        path = root / TRANSFERS_FILE
        seen = {}

        def rule_row(number: int, cells: dict[str, str], path: Path = path) -> None:
            check_hub(path, number, "hub", cells["hub"].upper())
            rule = _record(TransferRule, path, number, cells, frozenset())
            check_source(path, number, cells)
            key = f"{rule.hub} {rule.from_mode}->{rule.to_mode}"
            if key in seen:
                raise NetworkError(f"duplicate transfer rule (first on row {seen[key]})",
                                   file=str(path), row=number, field="hub", value=key)
            seen[key] = number
            transfers.append(rule)

        _each_row(path, ("hub", "from_mode", "to_mode", "min_connection_h"), rule_row)

    try:
        return Network(
            name=name or root.name, hubs=tuple(hubs), links=tuple(links), services=tuple(services),
            transfers=tuple(transfers), sources=tuple(sources),
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
