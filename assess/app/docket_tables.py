"""Docket tables 案件表 for the engine: grouping child rows by case, and the case file of one case.

A docket (``/work/wt/briefs/DOCKET_SCHEMA.md``, issue 18) is ``table name -> DataFrame``: ``cases`` (one row
per case) and one table per list of objects, keyed by ``case_id`` and a ``<list>#`` position column per
list on the way down.  :func:`case_files` rebuilds the case-file dicts the single path takes
(``assess run``), generically from the column names; :func:`flatten` is its inverse (tests, benchmark).
The formats layer (``assess.formats.docket``) holds the full readers and writers.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable, Iterator, Mapping

import numpy as np
import pandas as pd

from factors.errors import InputError

__all__ = ["flatten", "case_files", "keys_of", "cell_value", "check_docket"]


def keys_of(table: str, df: pd.DataFrame) -> list[str]:
    """The position columns of ``table`` (outermost first), its own last when present."""
    return sorted((c for c in df.columns if str(c).endswith("#")), key=lambda c: (str(c).count("."), str(c)))


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
    if pc.count_distinct(ids).as_py() != len(ids):
        s = pd.Series(ids.to_pandas())
        dup = s.duplicated(keep=False).to_numpy(bool)
        rows = np.flatnonzero(dup)
        first = s.iloc[rows[0]]
        both = [int(r) for r in rows if s.iloc[r] == first][:2]
        raise InputError(f"cases rows {both[0]} and {both[1]} case_id", "unique case ids over the whole docket", first)
    out = {"cases": np.arange(len(ids), dtype=np.int64)}
    for name, df in tables.items():
        if name == "cases":
            continue
        if not isinstance(df, pd.DataFrame) or "case_id" not in df.columns:
            raise InputError(f"{name}", "a table with a case_id column", ", ".join(map(str, getattr(df, "columns", []))))
        pos = pc.index_in(_ids(df["case_id"]), value_set=ids)
        missing = np.asarray(pos.is_null().to_numpy(zero_copy_only=False), bool)
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise InputError(f"{name} row {row} case_id", "a case id of the cases table", df["case_id"].iloc[row])
        out[name] = np.asarray(pos.to_numpy(zero_copy_only=False), np.int64)
    return out


def cell_value(v: Any) -> Any:
    """A cell as the case file holds it: None for empty; float → its shortest decimal text; dates ISO."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        if math.isnan(v):
            return None
        f = float(v)   # a whole float (an int column with gaps) is the int; else its shortest decimal
        return int(f) if f.is_integer() and abs(f) < 2 ** 53 else repr(f)
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, (pd.Timestamp, datetime)):
        return v.date().isoformat()
    if isinstance(v, np.datetime64):
        return None if np.isnat(v) else str(v.astype("datetime64[D]"))
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, str):
        return v if v.strip() else None
    return v


def _put(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for p in parts[:-1]:
        nxt = target.get(p)
        if not isinstance(nxt, dict):
            nxt = target[p] = {}
        target = nxt
    target[parts[-1]] = value


def _element(row: Mapping[str, Any], skip: set[str]) -> Any:
    out: dict[str, Any] = {}
    for col, v in row.items():
        if col in skip:
            continue
        value = cell_value(v)
        if value is not None:
            _put(out, str(col), value)
    return out


def case_files(tables: Mapping[str, pd.DataFrame], ids: Iterable[str] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(case_id, case file)`` for the cases ``ids`` (default: all, in the cases table's order)."""
    cases = tables["cases"]
    wanted = None if ids is None else set(ids)
    case_ids = cases["case_id"].astype("string").to_numpy(object)
    rows = [i for i, c in enumerate(case_ids) if wanted is None or c in wanted]
    # child tables, outermost first, their rows grouped by case id
    children = []
    for name in sorted((t for t in tables if t != "cases"), key=lambda t: len(keys_of(t, tables[t]))):
        df = tables[name]
        cid = df["case_id"].astype("string")
        sel = df[cid.isin(wanted)] if wanted is not None else df
        children.append((name, sel, keys_of(name, sel)))
    built: dict[str, dict[str, Any]] = {}
    cols = list(cases.columns)
    for i in rows:
        record = dict(zip(cols, cases.iloc[i].tolist(), strict=True))
        cid = str(case_ids[i])
        doc = _element(record, set())
        doc["case_id"] = cid
        built[cid] = doc
    # lists: element objects by (case_id, positions), placed into their parent in position order
    containers: dict[tuple[Any, ...], dict[str, Any]] = {("cases", c): d for c, d in built.items()}
    for name, df, keys in children:
        own = name + "#"
        parent_keys = [k for k in keys if k != own]
        parent_name = parent_keys[-1][:-1] if parent_keys else None
        rel = name[len(parent_name) + 1:] if parent_name else name
        if df.empty:
            continue
        d = df.copy()
        if own not in d.columns:
            d[own] = d.groupby(["case_id", *parent_keys], sort=False).cumcount()
        d = d.sort_values(["case_id", *parent_keys, own], kind="stable")
        skip = {"case_id", *keys, own}
        scalar_list = [c for c in d.columns if c not in skip] == ["value"]
        cols_d = list(d.columns)
        for rec in d.itertuples(index=False, name=None):
            row = dict(zip(cols_d, rec, strict=True))
            pkey = (str(row["case_id"]), *(int(row[k]) for k in parent_keys))
            parent = containers.get((parent_name or "cases", *pkey))
            if parent is None:
                raise InputError(f"{name} {pkey}", "a parent element for this row", None)
            value = cell_value(row["value"]) if scalar_list else _element(row, skip)
            _list_at(parent, rel).append(value)
            if not scalar_list:
                containers[(name, *pkey, int(row[own]))] = value
    for cid in built:
        yield cid, built[cid]


def _list_at(target: dict[str, Any], dotted: str) -> list[Any]:
    parts = dotted.split(".")
    for p in parts[:-1]:
        nxt = target.get(p)
        if not isinstance(nxt, dict):
            nxt = target[p] = {}
        target = nxt
    lst = target.get(parts[-1])
    if not isinstance(lst, list):
        lst = target[parts[-1]] = []
    return lst


def flatten(cases: Iterable[Mapping[str, Any]]) -> dict[str, pd.DataFrame]:
    """Case-file dicts → docket tables (generic over the JSON; lists of objects become tables)."""
    rows: dict[str, list[dict[str, Any]]] = {"cases": []}

    def walk(obj: Mapping[str, Any], prefix: str, table: str, keys: dict[str, Any], out: dict[str, Any]) -> None:
        for k, v in obj.items():
            path = f"{prefix}{k}"
            if isinstance(v, Mapping):
                walk(v, path + ".", table, keys, out)
            elif isinstance(v, list):
                name = (table + "." if table != "cases" else "") + path
                lst = rows.setdefault(name, [])
                for pos, el in enumerate(v):
                    ek = {**keys, name + "#": pos}
                    if isinstance(el, Mapping):
                        rec: dict[str, Any] = dict(ek)
                        walk(el, "", name, ek, rec)
                        lst.append(rec)
                    else:
                        lst.append({**ek, "value": el})
            else:
                out[path] = v

    for case in cases:
        rec: dict[str, Any] = {"case_id": case["case_id"]}
        walk({k: v for k, v in case.items() if k != "case_id"}, "", "cases", {"case_id": case["case_id"]}, rec)
        rows["cases"].append(rec)
    return {name: pd.DataFrame(recs) for name, recs in rows.items()}
