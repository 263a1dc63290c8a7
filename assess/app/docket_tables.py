"""Docket tables 案件表 for the engine: each row's case position, and the case files of some cases.

A docket (DOCKET_SCHEMA.md, issue 18) is ``table name -> DataFrame``: ``cases`` (one row per case) and one
table per list of objects, keyed by ``case_id`` and a ``<list>#`` position column per list on the way down.
:func:`check_docket` finds each row's case in one hash pass per table; :func:`case_files` gives the case-file
dicts of chosen cases through :func:`assess.formats.docket.unflatten` (the one reading of a docket cell).
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

import numpy as np
import pandas as pd

from factors.errors import InputError

__all__ = ["check_docket", "case_files"]


def _ids(s: pd.Series) -> Any:
    """A case id column as a pyarrow string array (ids are text; a number column is read as its digits)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(s, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = pa.array(s.astype("string"), from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = pc.cast(arr, pa.string())
    return arr


def check_docket(tables: Mapping[str, pd.DataFrame]) -> dict[str, np.ndarray]:
    """Docket-wide errors (one line, naming table, row and column): no cases table, duplicate or empty
    case ids, a child row whose case_id is not in ``cases``.  Returns, per table, each row's case position
    in ``cases`` (one hash pass per table, pyarrow)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if "cases" not in tables:
        raise InputError("(docket)", "a 'cases' table", ", ".join(map(str, tables)) or "no tables")
    cases = tables["cases"]
    if not isinstance(cases, pd.DataFrame) or "case_id" not in cases.columns:
        raise InputError("cases", "a table with a case_id column", type(cases).__name__)
    ids = _ids(cases["case_id"])
    empty = np.asarray(pc.fill_null(pc.equal(pc.utf8_trim_whitespace(ids), ""), True).to_numpy(zero_copy_only=False), bool)
    if empty.any():
        raise InputError(f"cases row {int(np.flatnonzero(empty)[0])} case_id", "a non-empty case id", None)
    n = len(ids)
    out = {"cases": np.arange(n, dtype=np.int64)}
    # a child table grouped by case in the cases' order (a database export) needs no hashing: its runs are the
    # cases; other tables hash only the first id of each run, in one dictionary pass with the case ids
    heads: dict[str, tuple[Any, np.ndarray]] = {}
    for name, df in tables.items():
        if name == "cases":
            continue
        if not isinstance(df, pd.DataFrame) or "case_id" not in df.columns:
            raise InputError(f"{name}", "a table with a case_id column", ", ".join(map(str, getattr(df, "columns", []))))
        child = _ids(df["case_id"]).cast(ids.type)
        if len(child) == 0:
            out[name] = np.zeros(0, np.int64)
            continue
        new_run = np.ones(len(child), bool)
        if len(child) > 1:
            new_run[1:] = np.asarray(pc.fill_null(pc.not_equal(child.slice(1), child.slice(0, len(child) - 1)), True)
                                     .to_numpy(zero_copy_only=False), bool)
        run = np.cumsum(new_run) - 1
        first = child.take(pa.array(np.flatnonzero(new_run)))
        if len(first) == n and pc.all(pc.fill_null(pc.equal(first, ids), False)).as_py():
            out[name] = run
        else:
            heads[name] = (first, run)
    chunks = [ids] + [h for h, _ in heads.values()]
    enc = pc.dictionary_encode(pa.chunked_array(chunks, type=ids.type))
    own = np.asarray(enc.chunks[0].indices.to_numpy(zero_copy_only=False), np.int64)
    if not np.array_equal(own, np.arange(n)):   # a case id seen before on an earlier row
        row = int(np.flatnonzero(own != np.arange(n))[0])
        first_row = int(own[row])
        raise InputError(f"cases rows {first_row} and {row} case_id", "unique case ids over the whole docket",
                         ids[row].as_py())
    for k, (name, (_, run)) in enumerate(heads.items(), 1):
        head_pos = np.asarray(pc.fill_null(enc.chunks[k].indices, n).to_numpy(zero_copy_only=False), np.int64)
        pos = head_pos[run]
        missing = pos >= n
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise InputError(f"{name} row {row} case_id", "a case id of the cases table", tables[name]["case_id"].iloc[row])
        out[name] = pos
    return out


def case_files(tables: Mapping[str, pd.DataFrame], positions: Mapping[str, np.ndarray],
               cases: np.ndarray) -> Iterator[tuple[Any, dict[str, Any]]]:
    """``(case_id, case file)`` of the cases at ``cases`` (positions into the cases table, ascending)."""
    from assess.formats.docket import unflatten

    keep = {name: np.isin(positions[name], cases) for name in tables}
    sub = {name: df if keep[name].all() else df[keep[name]] for name, df in tables.items()}
    return unflatten(sub)
