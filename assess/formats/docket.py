"""Relational dockets 案件库表: case files as the tables a case system's database holds (issue 18).

A **docket** is a mapping ``table name → pandas.DataFrame``; the schema is the shared one of
``DOCKET_SCHEMA.md`` (issue 18), generic over the case-file JSON that ``assess run`` takes: no field
of the case model is named here, the tables follow the JSON itself.

* ``cases``: one row per case; ``case_id`` plus every scalar of the case file that is not inside a
  list, named by its dotted path from the root (``dates.incident``, ``punitive.multiple``, …).
* every list gives a table named by the dotted path of the list with the list hops left out
  (``damage_items``, ``damage_items.inputs.lines``, ``punitive.reasons``, …).  Its keys are
  ``case_id`` and one ``<list table>#`` column (0-based position) for every list on the way down,
  its own included; its other columns are dotted scalar paths relative to the list element; a list
  of scalars has the single column ``value``.
* values are kept as they are (str, int, Decimal, bool); on the way back a float cell is the shortest
  ``repr`` of the float as a Decimal, a date or datetime without a time part is ISO text, numpy
  scalars are Python ones; an empty cell (None, NaN, NA, NaT) is an absent field.

What a docket cannot hold (and so :func:`flatten` drops, :func:`prune` says exactly what): ``null``
fields, empty objects and empty lists outside a list (a list element is always a row, so ``[{}]``
and ``[null]`` in a list of scalars are kept).  A key with a ``.`` (or a ``#``, the key-column mark),
a list inside a list, a list mixing objects with other values, a list of objects whose only key is
``value`` (it would read back as a list of scalars) and a root list named ``cases`` are refused.

Errors are :class:`factors.errors.InputError`, one line naming the table, the row (the frame's index
label: readers label rows as the file shows them) and the column.
"""

from __future__ import annotations

import math
import re
import types
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Iterable, Iterator, Literal, Mapping, Sequence, Union, get_args, get_origin

import numpy as np
import pandas as pd

from factors.errors import InputError

CASES = "cases"
CASE_ID = "case_id"
VALUE = "value"
POS = "#"
NESTING = "the same nesting in every case (a path that is a list in one case and an object in another)"

__all__ = ["flatten", "unflatten", "prune", "cell_value", "case_key", "position_column", "number_or_code_fields",
           "text_cell", "CASES", "CASE_ID", "VALUE"]


def position_column(table: str) -> str:
    """The key column holding an element's 0-based position in the list of ``table``."""
    return table + POS


# -- flatten ----------------------------------------------------------------------------------------


class _Table:
    """Rows of one table while flattening: a dict per row, columns in first-seen order."""

    def __init__(self, keys: list[str]):
        self.keys = keys
        self.columns: dict[str, None] = dict.fromkeys(keys)
        self.rows: list[dict[str, Any]] = []
        self.kind = "objects"

    def add(self, row: dict[str, Any]) -> None:
        for k in row:
            if k not in self.columns:
                self.columns[k] = None
        self.rows.append(row)

    def frame(self) -> pd.DataFrame:
        cols = list(self.columns)
        data = {c: pd.Series([r.get(c) for r in self.rows], dtype=object) for c in cols}
        return pd.DataFrame(data, columns=cols, index=pd.RangeIndex(len(self.rows)))


def flatten(cases: Iterable[Any], where: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
    """The docket of ``cases`` (case-file dicts, as :func:`assess.formats.jsonio.read_case_json` gives
    them).  Lossless up to :func:`prune` (and a case id is text): ``unflatten(flatten(cs))`` gives
    ``prune(c)`` for each case.  Duplicate case ids are refused naming both cases: by ``where[n]``
    (e.g. ``file:line``) when given, else ``case n`` (0-based)."""
    tables: dict[str, _Table] = {CASES: _Table([CASE_ID])}
    seen: dict[Any, str] = {}
    for n, case in enumerate(cases):
        here = where[n] if where is not None else f"case {n}"
        if not isinstance(case, dict):
            raise InputError(here, "a JSON object (a case file)", type(case).__name__)
        cid = case.get(CASE_ID)
        if cid is None or isinstance(cid, (dict, list, bool)) or cid == "":
            raise InputError(f"{here}: {CASE_ID}", "a case id (text) to key the docket's rows", cid)
        key = case_key(cid, f"{here}: {CASE_ID}")
        if key in seen:
            raise InputError(f"{here}: {CASE_ID}", f"a case id used once in the docket (also in {seen[key]})", cid)
        seen[key] = here
        row: dict[str, Any] = {}
        _walk(case, "", row, CASES, (), cid, tables, here)
        tables[CASES].add(row)
    for name, t in tables.items():
        for other in tables:
            if other != CASES and name.startswith(other + ".") and position_column(other) not in t.keys:
                raise InputError(f"table {name}", f"{NESTING}: {other} is a list of some cases")
    return {name: t.frame() for name, t in tables.items()}


def _id_key(cid: Any) -> Any:
    """Ids compare as text (``7`` and ``"7"`` are one case in a CSV)."""
    return cid if isinstance(cid, str) else str(cid)


def _walk(obj: dict[str, Any], prefix: str, row: dict[str, Any], table: str, keys: tuple[tuple[str, int], ...],
          cid: Any, tables: dict[str, _Table], where: str) -> None:
    for k, v in obj.items():
        if not isinstance(k, str) or "." in k or POS in k:
            raise InputError(f"{where}: {prefix}{k}", "a key without '.' or '#' (a docket column is the dotted path)", k)
        path = prefix + k
        if v is None:
            continue
        if isinstance(v, dict):
            _walk(v, path + ".", row, table, keys, cid, tables, where)
        elif isinstance(v, list):
            _list(v, path, table, keys, cid, tables, f"{where}: {path}")
        else:
            row[path] = v


def _list(items: list[Any], rel: str, parent: str, keys: tuple[tuple[str, int], ...], cid: Any,
          tables: dict[str, _Table], where: str) -> None:
    name = rel if parent == CASES else f"{parent}.{rel}"
    if name == CASES:
        raise InputError(where, f"no list named {CASES!r} at the root (the name of the cases table)")
    if not items:
        return
    objects = [isinstance(e, dict) for e in items]
    if any(isinstance(e, list) for e in items):
        raise InputError(where, "no list inside a list (a docket table is a list of objects or of values)")
    if any(objects) and not all(objects):
        raise InputError(where, "a list of objects or a list of values, not both")
    table = tables.get(name)
    kind = "objects" if all(objects) else "values"
    if table is None:
        table = tables[name] = _Table([CASE_ID] + [position_column(t) for t, _ in keys] + [position_column(name)])
        table.kind = kind
        if kind == "values":
            table.columns[VALUE] = None
    elif table.keys[1:-1] != [position_column(t) for t, _ in keys]:
        raise InputError(where, f"{NESTING} (table {name})")
    elif table.kind != kind:
        raise InputError(where, f"a list of {table.kind} as in the other cases (table {name})")
    base = {CASE_ID: cid, **{position_column(t): i for t, i in keys}}
    for i, e in enumerate(items):
        row = dict(base)
        row[position_column(name)] = i
        if all(objects):
            if e and set(e) == {VALUE}:
                raise InputError(f"{where}[{i}]", "an object with more than the one key 'value' "
                                 "(it would read back as a list of values)")
            _walk(e, "", row, name, keys + ((name, i),), cid, tables, f"{where}[{i}]")
        elif e is not None:
            row[VALUE] = e
        table.add(row)


def prune(case: Any) -> Any:
    """The case as a docket holds it: ``null`` fields, empty objects and empty lists dropped (an object
    left empty by that too); list elements kept (``[{}]`` stays)."""
    if isinstance(case, dict):
        out = {}
        for k, v in case.items():
            p = prune(v)
            if p is None or (isinstance(p, (dict, list)) and not p):
                continue
            out[k] = p
        return out
    if isinstance(case, list):
        return [prune(e) for e in case]
    if isinstance(case, float):
        return None if math.isnan(case) else Decimal(repr(case))
    return case


# -- text cells of number-or-code fields ------------------------------------------------------------


@lru_cache(maxsize=1)
def number_or_code_fields() -> dict[str, frozenset[str]]:
    """Field names the case model types as *a whole number or a code* (``Year | Literal["never"]``:
    ``recovery_year``), each with its codes, found by walking the model's types (no field named here).

    The vocabulary reads the text of a number for a number field, but such a union is left to pydantic,
    which refuses ``"2029"``: a CSV cell (always text) or a column mixing ``"never"`` with ``2029`` must
    therefore be read back by the field's type (:func:`text_cell`).  A name typed otherwise in any model
    is left out (never guessed)."""
    from pydantic import BaseModel

    from assess.law.case import Case

    found: dict[str, set[frozenset[str]]] = defaultdict(set)
    other: set[str] = set()
    seen: set[type] = set()

    def strip(tp: Any) -> Any:
        while get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        return tp

    def models(tp: Any) -> Iterator[type]:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            yield tp
            return
        for a in get_args(tp):
            yield from models(a)

    def kind(tp: Any) -> frozenset[str] | None:
        tp = strip(tp)
        if get_origin(tp) not in (Union, types.UnionType):
            return None
        args = [strip(a) for a in get_args(tp) if a is not type(None)]
        codes = [c for a in args if get_origin(a) is Literal for c in get_args(a)]
        rest = [a for a in args if get_origin(a) is not Literal]
        if rest == [int] and codes and all(isinstance(c, str) for c in codes):
            return frozenset(codes)
        return None

    def visit(m: type) -> None:
        if m in seen:
            return
        seen.add(m)
        for name, info in m.model_fields.items():
            key = info.alias or name
            k = kind(info.annotation)
            if k is None:
                other.add(key)
            else:
                found[key].add(k)
            for sub in models(info.annotation):
                visit(sub)

    visit(Case)
    return {k: next(iter(v)) for k, v in found.items() if k not in other and len(v) == 1}


_WHOLE = re.compile(r"[+-]?[0-9]+")


def text_cell(column: str, x: Any) -> Any:
    """A docket cell as the case model types it when the table lost the type (a CSV cell is text; a
    parquet column mixing text with numbers holds text): the text of a whole number in a
    number-or-code field (:func:`number_or_code_fields`) is that number; anything else unchanged."""
    if not isinstance(x, str):
        return x
    codes = number_or_code_fields().get(column.rsplit(".", 1)[-1])
    if codes is None:
        return x
    t = x.strip()
    return int(t) if t not in codes and _WHOLE.fullmatch(t) else x


# -- unflatten --------------------------------------------------------------------------------------


def cell_value(v: Any, where: str) -> Any:
    """The JSON value of a docket cell, or ``None`` for an empty cell (the field is absent)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, str):
        return str(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return None
        if math.isinf(f):
            raise InputError(where, "a finite number", v)
        return Decimal(repr(f))
    if isinstance(v, Decimal):
        if not v.is_finite():
            if v.is_nan():
                return None
            raise InputError(where, "a finite number", v)
        return v
    if isinstance(v, (datetime, pd.Timestamp, np.datetime64)):
        ts = pd.Timestamp(v)
        if ts is pd.NaT or pd.isna(ts):
            return None
        if ts.tzinfo is not None or ts != ts.normalize():
            raise InputError(where, "a date without a time of day", str(v))
        return ts.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    raise InputError(where, "a text, number, true/false or date cell", type(v).__name__)


def _where(table: str, label: Any, column: str) -> str:
    return f"{table} row {label}, column {column}"


class _Layout:
    """How a table hangs in its case: its parent table, the path of its list in the parent element,
    the parent key columns, its own position column (may be absent) and its value columns."""

    def __init__(self, name: str, frame: pd.DataFrame, names: set[str]):
        self.name = name
        cols = [str(c) for c in frame.columns]
        if len(set(cols)) != len(cols):
            dup = next(c for c in cols if cols.count(c) > 1)
            raise InputError(f"{name}, column {dup}", "each column once", dup)
        if CASE_ID not in cols:
            raise InputError(f"{name}, column {CASE_ID}", "a case_id column in every table")
        self.own = position_column(name) if name != CASES else None
        parents = []
        for c in cols:
            if c.endswith(POS) and c != self.own:
                t = c[:-1]
                if name == CASES or not name.startswith(t + "."):
                    raise InputError(f"{name}, column {c}", f"a position column of a list that {name} is nested in")
                parents.append(t)
        parents.sort(key=len)
        if name != CASES:
            for t in names:
                if t != CASES and name.startswith(t + ".") and t not in parents:
                    raise InputError(f"{name}, column {position_column(t)}",
                                     f"the position in {t} (table {name} is nested in table {t})")
        self.parents = parents
        self.parent = parents[-1] if parents else CASES
        self.rel = name if not parents else name[len(self.parent) + 1:]
        self.has_own = self.own is not None and self.own in cols
        keyset = {CASE_ID, *(position_column(t) for t in parents)} | ({self.own} if self.own else set())
        if name == CASES:
            keyset = set()          # case_id is a field of the case file too
        self.fields = [c for c in cols if c not in keyset]
        self.scalars = name != CASES and self.fields == [VALUE]
        self.depth = len(parents)


def _position(v: Any, where: str) -> int:
    x = cell_value(v, where)
    if isinstance(x, bool) or x is None:
        raise InputError(where, "a position (a whole number ≥ 0)", v)
    if isinstance(x, str):
        try:
            x = int(x.strip())
        except ValueError:
            raise InputError(where, "a position (a whole number ≥ 0)", v) from None
    if isinstance(x, Decimal):
        if x != x.to_integral_value():
            raise InputError(where, "a position (a whole number ≥ 0)", v)
        x = int(x)
    if x < 0:
        raise InputError(where, "a position (a whole number ≥ 0)", v)
    return int(x)


def case_key(v: Any, where: str) -> str:
    """The text of a case id cell (an id is text: ``7``, ``7.0`` and ``"7"`` are the case ``"7"``)."""
    x = cell_value(v, where)
    if x is None or x == "":
        raise InputError(where, "a case id", None)
    if isinstance(x, Decimal):     # a float id cell: 7.0 is the id 7
        x = int(x) if x == x.to_integral_value() else x
    return _id_key(x)


def _set(target: dict[str, Any], path: str, value: Any, where: str) -> None:
    parts = path.split(".")
    node = target
    for j, p in enumerate(parts[:-1]):
        nxt = node.get(p)
        if nxt is None:
            nxt = node[p] = {}
        elif not isinstance(nxt, dict):
            raise InputError(where, f"either {'.'.join(parts[:j + 1])} or the fields inside it, not both")
        node = nxt
    last = parts[-1]
    if last in node:
        raise InputError(where, f"either {path} or the fields inside it, not both")
    node[last] = value


def _element(frame_cols: list[str], values: list[Any], layout: _Layout, label: Any) -> Any:
    if layout.scalars:
        return cell_value(values[0], _where(layout.name, label, VALUE))
    out: dict[str, Any] = {}
    for c, v in zip(frame_cols, values, strict=True):
        where = _where(layout.name, label, c)
        x = cell_value(v, where)
        if x is not None:
            _set(out, c, x, where)
    return out


def unflatten(tables: Mapping[str, pd.DataFrame]) -> Iterator[tuple[Any, dict[str, Any]]]:
    """``(case_id, case-file dict)`` for every row of ``tables["cases"]``, in its order.

    Refused (one :class:`InputError` naming table, row and column): no ``cases`` table or no
    ``case_id`` column; a duplicate case id (both rows named); a child row whose case id is not in
    ``cases`` or whose parent positions name no row of the parent table; a missing parent position
    column; duplicate positions in one list; a column that is both a value and the parent of dotted
    columns with both filled; an unreadable cell.  A table without its own ``#`` column keeps the
    file order within its parent.
    """
    if CASES not in tables:
        raise InputError("(docket)", f"a table named {CASES!r}", ", ".join(map(str, tables)) or "no tables")
    names = {str(n) for n in tables}
    layouts = {str(n): _Layout(str(n), f, names) for n, f in tables.items()}
    for n, lay in layouts.items():
        if lay.parent not in layouts:
            raise InputError(f"{n}, column {position_column(lay.parent)}", f"a table {lay.parent} for the positions")
    cases = tables[CASES]
    ids = cases[CASE_ID].tolist()
    labels = cases.index.tolist()
    order: dict[Any, int] = {}
    for i, (v, label) in enumerate(zip(ids, labels, strict=True)):
        key = case_key(v, _where(CASES, label, CASE_ID))
        if key in order:
            raise InputError(_where(CASES, label, CASE_ID),
                             f"a case id used once in the docket (also on {CASES} row {labels[order[key]]})", v)
        order[key] = i
    roots: list[dict[str, Any]] = []
    lay = layouts[CASES]
    for values, label in zip(cases[lay.fields].itertuples(index=False, name=None), labels, strict=True):
        roots.append(_element(lay.fields, list(values), lay, label))
    # elements by (table, case index, parent positions..., own position)
    elements: dict[str, dict[tuple[int, ...], Any]] = {CASES: {(i,): r for i, r in enumerate(roots)}}
    for name in sorted((n for n in layouts if n != CASES), key=lambda n: (layouts[n].depth, n)):
        lay = layouts[name]
        frame = tables[name]
        _attach(name, frame, lay, order, elements)
    keys = list(order)
    for i, root in enumerate(roots):
        root[CASE_ID] = keys[i]      # an id is text (a float cell 7.0 is the case "7")
        yield keys[i], root


def _attach(name: str, frame: pd.DataFrame, lay: _Layout, order: dict[Any, int],
            elements: dict[str, dict[tuple[int, ...], Any]]) -> None:
    labels = frame.index.tolist()
    pcols = [position_column(t) for t in lay.parents]
    key_cols = [CASE_ID] + pcols + ([lay.own] if lay.has_own else [])
    keys = frame[key_cols].itertuples(index=False, name=None)
    vals = frame[lay.fields].itertuples(index=False, name=None)
    groups: dict[tuple[int, ...], list[tuple[int, Any, Any]]] = defaultdict(list)
    parent_elems = elements[lay.parent]
    for label, k, v in zip(labels, keys, vals, strict=True):
        cid = case_key(k[0], _where(name, label, CASE_ID))
        ci = order.get(cid)
        if ci is None:
            raise InputError(_where(name, label, CASE_ID), f"a case id of the {CASES} table", k[0])
        ppos = tuple(_position(x, _where(name, label, c)) for x, c in zip(k[1:1 + len(pcols)], pcols, strict=True))
        pkey = (ci,) + ppos
        if pkey not in parent_elems:
            raise InputError(_where(name, label, pcols[-1] if pcols else CASE_ID),
                             f"the position of a row of {lay.parent} of this case", ppos[-1] if ppos else k[0])
        group = groups[pkey]
        own = _position(k[-1], _where(name, label, lay.own)) if lay.has_own else len(group)
        group.append((own, label, _element(lay.fields, list(v), lay, label)))
    mine = elements[name] = {}
    for pkey, group in groups.items():
        group.sort(key=lambda g: g[0])
        for a, b in zip(group, group[1:], strict=False):
            if a[0] == b[0]:
                raise InputError(_where(name, b[1], lay.own), f"a position used once in its list (also on row {a[1]})", a[0])
        parent = parent_elems[pkey]
        if not isinstance(parent, dict):
            raise InputError(_where(name, group[0][1], CASE_ID), f"a parent row of {lay.parent} that is an object")
        _set(parent, lay.rel, [g[2] for g in group], _where(name, group[0][1], lay.rel))
        for own, _, e in group:
            mine[pkey + (own,)] = e
