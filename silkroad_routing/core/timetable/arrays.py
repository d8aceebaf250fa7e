"""The timetable arrays shared by the connection-scan kernels, their checks and small helpers.

The public wrappers take a timetable as one :class:`TimetableArrays` (19 named, contiguous
arrays, validated once when it is built; ``compile.timetable.Timetable.arrays`` is one); the
jitted kernels take the same arrays as separate leading parameters (``kernel(*arrays, ...)``),
because a tuple argument costs about a second of compile time per function::

    conn_from, conn_to (int64, n_conn)       hub indices, connections sorted by departure
    conn_dep_h, conn_arr_h (float64)         vehicle departure / arrival, hours
    conn_trip (int64)                        trip (one departure of a service), < n_conn
    conn_mode (int64)                        mode index 0..3
    conn_rate (float64, n_conn x n_q)        USD per unit of each shipment quantity
    conn_co2e_rate (float64, n_conn x n_q)   kg CO2e per unit of each shipment quantity
    conn_next (int64)                        the trip's next connection, -1 at its end
    link_indptr (int64, n_hubs + 1)          links (any-time legs) as CSR by from-hub
    link_to, link_duration_h, link_mode, link_rate, link_co2e_rate (n_links x n_q)
    hub_dwell_h (float64, n_hubs)            dwell when freight leaves a vehicle at the hub
    transfer_allowed (bool, n_hubs x 5 x 4)  [hub, arriving state, departing mode]
    transfer_h (float64, n_hubs x 5 x 4)     minimum connection time, hours
    transfer_rate (float64, n_hubs x 5 x 4 x n_q)

A *state* is ``hub * N_STATES + arriving mode``; arriving mode ``START`` (4) is a shipment that
has not moved yet. Transfer rules depend on the arriving mode, so every label is per state.
``mode_mask`` is a bit set of allowed modes (bit ``m`` for mode index ``m``).
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

#: Modes (air, rail, sea, road) and arriving states (the modes plus START).
N_MODES: Final[int] = 4
START: Final[int] = 4
N_STATES: Final[int] = 5
ALL_MODES: Final[int] = (1 << N_MODES) - 1

#: Leg kinds in journeys and label provenance.
KIND_ORIGIN: Final[int] = 0
KIND_CONNECTION: Final[int] = 1
KIND_LINK: Final[int] = 2


class _TimetableFields(NamedTuple):
    conn_from: NDArray[np.int64]
    conn_to: NDArray[np.int64]
    conn_dep_h: NDArray[np.float64]
    conn_arr_h: NDArray[np.float64]
    conn_trip: NDArray[np.int64]
    conn_mode: NDArray[np.int64]
    conn_rate: NDArray[np.float64]
    conn_co2e_rate: NDArray[np.float64]
    conn_next: NDArray[np.int64]
    link_indptr: NDArray[np.int64]
    link_to: NDArray[np.int64]
    link_duration_h: NDArray[np.float64]
    link_mode: NDArray[np.int64]
    link_rate: NDArray[np.float64]
    link_co2e_rate: NDArray[np.float64]
    hub_dwell_h: NDArray[np.float64]
    transfer_allowed: NDArray[np.bool_]
    transfer_h: NDArray[np.float64]
    transfer_rate: NDArray[np.float64]


class TimetableArrays(_TimetableFields):
    """The 19 timetable arrays of the kernels (module docstring), checked when built.

    Building one (positionally, by name, or with ``_replace``) runs :func:`check_timetable`
    and raises ``ValueError`` naming the array at fault; the wrappers then trust it.
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> TimetableArrays:
        """The arrays, checked (:func:`check_timetable`)."""
        self = super().__new__(cls, *args, **kwargs)
        check_timetable(self)
        return self

    def _replace(self, **changes: Any) -> TimetableArrays:
        return type(self)(**{**self._asdict(), **changes})

    @property
    def n_hubs(self) -> int:
        """Number of hubs."""
        return int(self.hub_dwell_h.shape[0])

    @property
    def n_connections(self) -> int:
        """Number of connections."""
        return int(self.conn_dep_h.shape[0])

    @property
    def n_quantities(self) -> int:
        """Length of the quantity vectors the rates apply to."""
        return int(self.conn_rate.shape[1])


def timetable_arrays(tt: TimetableArrays | tuple[np.ndarray, ...]) -> TimetableArrays:
    """``tt`` as :class:`TimetableArrays`: checked now if it is a plain tuple of 19 arrays."""
    if isinstance(tt, TimetableArrays):
        return tt
    if len(tt) != len(TT_FIELDS):
        raise ValueError(f"timetable tuple needs {len(TT_FIELDS)} arrays, got {len(tt)}")
    return TimetableArrays(*tt)


TT_FIELDS: Final[tuple[str, ...]] = _TimetableFields._fields
_INT_FIELDS = frozenset({"conn_from", "conn_to", "conn_trip", "conn_mode", "conn_next",
                         "link_indptr", "link_to", "link_mode"})


def check_timetable(tt: tuple[np.ndarray, ...]) -> tuple[int, int, int]:
    """Validate 19 timetable arrays (in :data:`TT_FIELDS` order); return ``(n_hubs,
    n_connections, n_quantities)``.

    Raises ``ValueError`` naming the array at fault (dtype, contiguity, shape, order, range).
    """
    if len(tt) != len(TT_FIELDS):
        raise ValueError(f"timetable tuple needs {len(TT_FIELDS)} arrays, got {len(tt)}")
    arrays = dict(zip(TT_FIELDS, tt, strict=True))
    for name, a in arrays.items():
        if not isinstance(a, np.ndarray) or not a.flags.c_contiguous:
            raise ValueError(f"{name} must be a C-contiguous numpy array")
        want = np.int64 if name in _INT_FIELDS else (
            np.bool_ if name == "transfer_allowed" else np.float64)
        if a.dtype != want:
            raise ValueError(f"{name} must be {np.dtype(want).name}, got {a.dtype}")
    n_conn = arrays["conn_dep_h"].shape[0]
    n_hubs = arrays["hub_dwell_h"].shape[0]
    n_q = arrays["conn_rate"].shape[1] if arrays["conn_rate"].ndim == 2 else -1
    for name in ("conn_from", "conn_to", "conn_arr_h", "conn_trip", "conn_mode", "conn_next"):
        if arrays[name].shape != (n_conn,):
            raise ValueError(f"{name} must have shape ({n_conn},)")
    for name in ("conn_rate", "conn_co2e_rate"):
        if arrays[name].shape != (n_conn, n_q) or n_q < 1:
            raise ValueError(f"{name} must have shape (n_connections, n_quantities)")
    if arrays["link_indptr"].shape != (n_hubs + 1,):
        raise ValueError(f"link_indptr must have shape ({n_hubs + 1},)")
    n_links = arrays["link_to"].shape[0]
    if arrays["link_indptr"][0] != 0 or arrays["link_indptr"][-1] != n_links or np.any(
        np.diff(arrays["link_indptr"]) < 0
    ):
        raise ValueError("link_indptr must rise from 0 to the number of links")
    for name in ("link_duration_h", "link_mode"):
        if arrays[name].shape != (n_links,):
            raise ValueError(f"{name} must have shape ({n_links},)")
    for name in ("link_rate", "link_co2e_rate"):
        if arrays[name].shape != (n_links, n_q):
            raise ValueError(f"{name} must have shape (n_links, n_quantities)")
    for name in ("transfer_allowed", "transfer_h"):
        if arrays[name].shape != (n_hubs, N_STATES, N_MODES):
            raise ValueError(f"{name} must have shape ({n_hubs}, {N_STATES}, {N_MODES})")
    if arrays["transfer_rate"].shape != (n_hubs, N_STATES, N_MODES, n_q):
        raise ValueError("transfer_rate must have shape (n_hubs, 5, 4, n_quantities)")
    if n_conn:
        dep, arr = arrays["conn_dep_h"], arrays["conn_arr_h"]
        if np.any(np.diff(dep) < 0):
            raise ValueError("connections must be sorted by conn_dep_h")
        if not np.all(arr > dep):
            raise ValueError("every connection must arrive after it departs (conn_arr_h > dep)")
        for name in ("conn_from", "conn_to"):
            if arrays[name].min() < 0 or arrays[name].max() >= n_hubs:
                raise ValueError(f"{name} holds a hub index out of range")
        if arrays["conn_trip"].min() < 0 or arrays["conn_trip"].max() >= n_conn:
            raise ValueError("conn_trip must lie in [0, n_connections)")
        if arrays["conn_mode"].min() < 0 or arrays["conn_mode"].max() >= N_MODES:
            raise ValueError("conn_mode must lie in [0, 4)")
        nxt = arrays["conn_next"]
        if np.any((nxt != -1) & ((nxt <= np.arange(n_conn)) | (nxt >= n_conn))):
            raise ValueError("conn_next must point to a later connection or be -1")
    if n_links:
        if arrays["link_to"].min() < 0 or arrays["link_to"].max() >= n_hubs:
            raise ValueError("link_to holds a hub index out of range")
        if arrays["link_mode"].min() < 0 or arrays["link_mode"].max() >= N_MODES:
            raise ValueError("link_mode must lie in [0, 4)")
    for name in ("conn_rate", "conn_co2e_rate", "link_duration_h", "link_rate",
                 "link_co2e_rate", "hub_dwell_h", "transfer_h", "transfer_rate"):
        a = arrays[name]
        if a.size and not (np.all(np.isfinite(a)) and a.min() >= 0):
            raise ValueError(f"{name} must be finite and non-negative")
    return n_hubs, n_conn, n_q


def check_query(n_hubs: int, n_q: int, origin: int, ready_h: float, mode_mask: int,
                q: np.ndarray | None = None) -> None:
    """Validate one query's origin hub, ready time, mode mask and quantity vector."""
    if not 0 <= origin < n_hubs:
        raise ValueError(f"origin hub index {origin} is out of range [0, {n_hubs})")
    if not np.isfinite(ready_h):
        raise ValueError(f"ready time must be finite, got {ready_h}")
    if not 0 < mode_mask <= ALL_MODES:
        raise ValueError(f"mode_mask must be a non-empty bit set of modes 0..3, got {mode_mask}")
    if q is not None and (q.shape != (n_q,) or q.dtype != np.float64 or not np.all(q >= 0)
                          or not np.all(np.isfinite(q))):
        raise ValueError(f"q must be a finite non-negative float64 vector of length {n_q}")


@njit(cache=True)
def dot_row(matrix: np.ndarray, row: int, q: np.ndarray) -> float:
    """``matrix[row] @ q`` for a 2-D rate matrix."""
    total = 0.0
    for j in range(q.shape[0]):
        total += matrix[row, j] * q[j]
    return total


@njit(cache=True)
def transfer_cost(transfer_rate: np.ndarray, hub: int, state_in: int, mode_out: int,
                  q: np.ndarray) -> float:
    """Handling cost in USD of the transfer ``state_in -> mode_out`` at ``hub``."""
    total = 0.0
    for j in range(q.shape[0]):
        total += transfer_rate[hub, state_in, mode_out, j] * q[j]
    return total


@njit(cache=True)
def reverse_links(link_indptr: np.ndarray, link_to: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                         np.ndarray]:
    """Links grouped by to-hub: ``(rev_indptr, rev_link, rev_from)`` (link ids and tails)."""
    n_hubs = link_indptr.shape[0] - 1
    n_links = link_to.shape[0]
    rev_indptr = np.zeros(n_hubs + 1, dtype=np.int64)
    for link in range(n_links):
        rev_indptr[link_to[link] + 1] += 1
    for h in range(n_hubs):
        rev_indptr[h + 1] += rev_indptr[h]
    fill = rev_indptr[:-1].copy()
    rev_link = np.empty(n_links, dtype=np.int64)
    rev_from = np.empty(n_links, dtype=np.int64)
    for h in range(n_hubs):
        for link in range(link_indptr[h], link_indptr[h + 1]):
            v = link_to[link]
            rev_link[fill[v]] = link
            rev_from[fill[v]] = h
            fill[v] += 1
    return rev_indptr, rev_link, rev_from
