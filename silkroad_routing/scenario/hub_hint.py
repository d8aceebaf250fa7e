"""'Did you mean' for hub codes: a city name or a near-miss code -> the network's hub codes."""

from __future__ import annotations

import difflib
import re

from ..model import Network

#: Most hubs suggested for one unknown code.
MAX_SUGGESTIONS = 3


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^A-Z0-9]+", text.upper()) if len(w) >= 3}


def suggest_hubs(network: Network, text: str) -> list[str]:
    """Hub codes ``text`` may have meant: hubs whose name holds it as a word (``DUISBURG`` ->
    ``DEDUI``), then codes spelt alike (``DEHAN`` -> ``DEHAM``); at most
    :data:`MAX_SUGGESTIONS`, in the network's order."""
    wanted = _words(text)
    by_name = [h.code for h in network.hubs if wanted and wanted <= _words(h.name)]
    if not by_name and wanted:  # a misspelt city: one word of the name close to the text
        by_name = [h.code for h in network.hubs
                   if any(difflib.get_close_matches(w, _words(h.name), n=1, cutoff=0.85)
                          for w in wanted)]
    close = difflib.get_close_matches(text.upper(), [h.code for h in network.hubs], n=MAX_SUGGESTIONS)
    return list(dict.fromkeys(by_name + close))[:MAX_SUGGESTIONS]


def unknown_hub_message(network: Network, text: str) -> str:
    """``unknown hub code (not in network 'four_roads'; did you mean DEDUI?)``."""
    found = suggest_hubs(network, text)
    hint = f"; did you mean {' or '.join(found)}?" if found else \
        f"; `silkroad network show {network.name}` lists its hubs"
    return f"unknown hub code (not in network {network.name!r}{hint})"
