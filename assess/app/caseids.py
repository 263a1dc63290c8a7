"""Case ids unique over a whole docket read in chunks (``assess batch``) or partitions (:func:`assess_dask`).

Memory grows with the number of ids only, never with the rows' other columns: each id is kept as its
64-bit hash (:func:`pandas.util.hash_array`, SipHash-2-4 with pandas' fixed key: the same on every
machine and run) and its row number, 16 bytes an id, in sorted runs merged as they grow (the runs of a
binary counter: O(n log n) over the docket, each new chunk looked up with ``searchsorted``).  Equal
hashes are confirmed exactly: within a chunk against the chunk's own ids; across chunks against the
earlier id fetched again by the caller (``lookup``), which happens only on a real duplicate or on a
hash collision (about n²/2⁶⁵: 3 × 10⁻⁶ for ten million ids), so a clean docket is read once.

The caller gives the ids as :func:`assess.app.batch.check_frame` compares them within a frame
(:func:`assess.app.batch.case_id_keys`: stripped text; None for an empty cell, a row error, not a duplicate).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from factors.errors import InputError

__all__ = ["SeenIds", "hash_keys", "duplicate_error", "sorted_hashes", "colliding", "rows_with", "confirm"]


def hash_keys(keys: np.ndarray) -> np.ndarray:
    """uint64 hashes of text ids (an object array of str); deterministic across processes and machines."""
    if not len(keys):
        return np.empty(0, np.uint64)
    return pd.util.hash_array(np.asarray(keys, dtype=object), categorize=False)


def duplicate_error(key: str, first: str, second: str) -> InputError:
    """The frame error for a case id given twice, naming both rows."""
    return InputError(f"case_id ({first} and {second})", "unique case ids", key)


class _Sorted:
    """``keys[order]`` read lazily (most chunks never need an id back, only their hashes)."""

    def __init__(self, keys: np.ndarray, order: np.ndarray):
        self.keys, self.order = keys, order

    def __getitem__(self, j: int) -> Any:
        return self.keys[self.order[j]]


class SeenIds:
    """The case ids of the chunks seen so far (module docstring); :meth:`add` one chunk at a time."""

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []   # (sorted hashes, their row numbers)

    def __len__(self) -> int:
        return sum(len(h) for h, _ in self._runs)

    def add(self, keys: np.ndarray, rows: np.ndarray,
            lookup: Callable[[np.ndarray], Sequence[Any]]) -> tuple[str, int, int] | None:
        """Add one chunk's ids (``keys``: text or None; ``rows``: their row numbers, increasing over chunks).

        Returns ``(id, earlier row, row)`` of the first duplicate found, else None (the ids are then kept).
        ``lookup(rows)`` gives the ids of earlier rows (called only when a hash matches one seen before).
        """
        keys = np.asarray(keys, dtype=object)
        rows = np.asarray(rows, dtype=np.int64)
        given = ~pd.isna(keys)
        if not given.all():
            keys, rows = keys[given], rows[given]
        h = hash_keys(keys)
        order = np.argsort(h, kind="stable")
        hs, rs = h[order], rows[order]
        ks = _Sorted(keys, order)     # the ids in hash order, taken only where hashes match
        # within the chunk: equal neighbours after the sort, confirmed on the text
        found: list[tuple[int, int, str]] = []
        for j in np.flatnonzero(hs[1:] == hs[:-1]):
            lo, hi = np.searchsorted(hs, hs[j], "left"), np.searchsorted(hs, hs[j], "right")
            pair = next(((a, b) for a in range(lo, hi) for b in range(a + 1, hi) if ks[a] == ks[b]), None)
            if pair is not None:
                a, b = sorted(pair, key=lambda p: rs[p])
                found.append((int(rs[a]), int(rs[b]), ks[a]))
                break
        # across chunks: the same hash in an earlier run, confirmed on the earlier id
        for run_h, run_r in self._runs:
            pos = np.searchsorted(run_h, hs)
            inside = pos < len(run_h)
            hit = np.flatnonzero(inside & (run_h[np.where(inside, pos, 0)] == hs))
            if not len(hit):
                continue
            earlier_rows, mine = [], []
            for j in hit:   # every earlier row with that hash (equal hashes sit together in a run)
                p = pos[j]
                while p < len(run_h) and run_h[p] == hs[j]:
                    earlier_rows.append(int(run_r[p]))
                    mine.append(j)
                    p += 1
            earlier = list(lookup(np.array(earlier_rows, np.int64)))
            for e_row, e_key, j in zip(earlier_rows, earlier, mine, strict=True):
                if e_key == ks[j]:
                    found.append((e_row, int(rs[j]), ks[j]))
        if found:
            first, second, key = min(found, key=lambda f: (f[1], f[0]))
            return key, first, second
        self._runs.append((hs, rs))
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (h1, r1), (h2, r2) = self._runs.pop(), self._runs.pop()
            hh, rr = np.concatenate([h2, h1]), np.concatenate([r2, r1])
            o = np.argsort(hh, kind="stable")
            self._runs.append((hh[o], rr[o]))
        return None


# -- the same check on dask partitions (tasks of the graph; module-level so a cluster can pickle them) -----

def sorted_hashes(keys: np.ndarray) -> np.ndarray:
    """The sorted hashes of one partition's ids (8 bytes an id travel to the reducing task)."""
    keys = np.asarray(keys, dtype=object)
    return np.sort(hash_keys(keys[np.fromiter((k is not None for k in keys), bool, len(keys))]))


def colliding(parts: list[np.ndarray]) -> np.ndarray:
    """The hashes that occur more than once over all partitions (usually none)."""
    if not parts:
        return np.empty(0, np.uint64)
    h = np.sort(np.concatenate(parts))
    return np.unique(h[1:][h[1:] == h[:-1]])


def rows_with(keys: np.ndarray, labels: pd.Index, partition: int, hashes: np.ndarray) -> list[tuple[str, int, Any]]:
    """(id, partition, index label) of the rows of one partition whose id hashes to one of ``hashes``."""
    if not len(hashes):
        return []
    keys = np.asarray(keys, dtype=object)
    given = np.flatnonzero(np.fromiter((k is not None for k in keys), bool, len(keys)))
    hit = given[np.isin(hash_keys(keys[given]), hashes)]
    return [(keys[i], partition, labels[i]) for i in hit]


def confirm(found: list[list[tuple[str, int, Any]]]) -> bool:
    """Raise the frame error for the first id that two rows share (the same text, not only the hash)."""
    first: dict[str, tuple[int, Any]] = {}
    for rows in found:
        for key, partition, label in rows:
            if key in first:
                p0, l0 = first[key]
                raise duplicate_error(key, f"partition {p0} row {l0}", f"partition {partition} row {label}")
            first[key] = (partition, label)
    return True
