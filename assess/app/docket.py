"""Relational dockets 案件库批量计算 (issue 18): every case of a docket, vectorised table by table.

:func:`assess_docket` takes a docket (``table name -> DataFrame``: a ``cases`` table and one table per list of
the case file, keyed by ``case_id`` and ``<list>#`` positions; ``/work/wt/briefs/DOCKET_SCHEMA.md``) and gives
one row per case with the single path's figures (:func:`assess.app.api.assess_case`):

* ``case_id``; ``substantive_date`` and ``rules_date`` (the procedural date: routing, consultation tiers);
* the five category amounts, ``rounding_adjustment_fen`` (the 尾数调整 of a total rounded to a stated step, else 0)
  and ``total_fen``, exact in fen (``Int64``), the first six adding up to the total;
* the six routing decision codes (``who_acts`` … ``consultation_path``, codes of :mod:`assess.law.routing`);
* the deadlines: ``<key>_status`` and ``<key>_due`` for each procedural date of :mod:`assess.law.deadlines`,
  and ``consultation_state``;
* liability where the case has one: ``punitive_fen`` (the award) and ``net_owed_fen``;
* ``engine``: ``vectorised`` (computed on arrays by :mod:`assess.app.docket_engine`) or ``single`` (the case
  holds a field outside the engine's supported set, so it ran through ``assess_case``: correctness first);
* ``error``: None, or the single path's own one-line message for a case it refuses (the batch goes on).

The vectorised engine calls the SAME array-first rule functions as the single path (``line_fen``,
``vtc_fen``, ``interim_loss_fen_by_span``, ``product_fen``, ``category_sum``, the ``decide_*`` functions of
routing and deadlines, ``lookup_array``): one rule, one implementation.  A case it is not sure of (a field
it does not handle, a value it does not read exactly as the case model does, an input the model would
refuse) goes to the single path, which decides and words the error.

:func:`explain` gives the single path's full :class:`~assess.reports.result.Result` of one case of a
docket (its trace), identical to ``assess run`` of the same case file.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterator, Mapping

import numpy as np
import pandas as pd

from assess.app.api import assess_case
from assess.app.clihelp import error_text
from assess.app.docket_engine import run_engine
from assess.app.docket_tables import case_files, check_docket
from assess.law.categories import KEYS as CATEGORY_KEYS
from assess.law.deadlines import CONSULTATION_STATES, STATUSES
from assess.law.routing import ROUTING_CODES
from assess.reports.result import Result
from factors.errors import AssessError, InputError, one_line

__all__ = ["assess_docket", "explain", "OUTPUT_COLUMNS", "DEADLINE_KEYS", "FEN_COLUMNS"]

#: The procedural dates of :func:`assess.law.deadlines.compute_deadlines`, in its order.
DEADLINE_KEYS = ("initial_verification", "report_reply", "consultation_notice", "consultation_period",
                 "consultation_rounds", "confirmation_notice")
#: the five categories, the 尾数调整 of a total rounded to a stated step (0 otherwise; assess.law.rounding) and
#: the total: the first six always add up exactly to ``total_fen``
FEN_COLUMNS = tuple(f"{k}_fen" for k in CATEGORY_KEYS) + ("rounding_adjustment_fen", "total_fen")
LIABILITY_COLUMNS = ("punitive_fen", "net_owed_fen")
OUTPUT_COLUMNS = (("case_id", "substantive_date", "rules_date") + FEN_COLUMNS + tuple(ROUTING_CODES)
                  + tuple(c for k in DEADLINE_KEYS for c in (f"{k}_status", f"{k}_due")) + ("consultation_state",)
                  + LIABILITY_COLUMNS + ("engine", "error"))
ENGINES = ("vectorised", "single")


def assess_docket(tables: Mapping[str, pd.DataFrame], on: date | None = None, today: date | None = None,
                  lang: str = "en", *, vectorise: bool = True) -> pd.DataFrame:
    """Every case of the docket ``tables`` → one result row per case (columns :data:`OUTPUT_COLUMNS`).

    ``on`` applies the rules in force on that date to every case (``assess run --on``); ``today`` is the
    date deadlines are judged on (default: the system date).  ``lang`` (``en``, ``zh`` or ``both``) is the
    language of the ``error`` column, the single path's messages from the errors catalogue, as
    :func:`assess.app.batch.assess_frame` (codes and fen are language-free).  A docket unusable as a
    whole (no cases table, duplicate case ids, a child row of no case) raises :class:`InputError`.
    ``vectorise=False`` runs every case through the single path (the differential test's reference).
    """
    positions = check_docket(tables)
    today = today or date.today()
    cases = tables["cases"]
    ids = cases["case_id"].astype("string").to_numpy(object)
    n = len(ids)
    out = _empty(n)
    out["case_id"] = ids
    # the vectorised cases, ENGINE_CASES at a time: positions into ``cases`` and their columns
    todo = np.ones(n, bool)
    for start, part, part_positions in (_engine_parts(tables, positions, n) if vectorise else ()):
        done = run_engine(part, on, today, positions=part_positions)
        pos = done.rows + start
        for name, values in done.columns.items():
            _assign(out, name, pos, values)
        for name, missing in done.missing.items():
            out[name + "#na"][pos] = missing
        out["engine"][pos] = 0
        todo[pos] = False
        del done
    rest = np.flatnonzero(todo)
    if rest.size:
        for k, (_cid, doc) in zip(rest, case_files(tables, positions, rest), strict=True):
            _single(out, int(k), doc, on, today, lang)
    return _frame(out, n)


#: cases the vectorised engine computes at a time: its working arrays are bounded by this many cases, the
#: results are the same (1M every-method cases in one call: the engine's memory over the tables' ~0.9 GB →
#: ~0.2 GB, and 6.0 s → 5.4 s: the arrays of a part stay in the processor's caches longer)
ENGINE_CASES = 250_000


def _engine_parts(tables: Mapping[str, pd.DataFrame], positions: Mapping[str, np.ndarray],
                  n: int) -> Iterator[tuple[int, Mapping[str, pd.DataFrame], dict[str, np.ndarray]]]:
    """(first case, tables, row → case position) of each run of :data:`ENGINE_CASES` cases.  A table in the
    order of the cases (a database export, ``assess docket``) is cut into slices (views, no copy); another
    is taken row by row."""
    if n <= ENGINE_CASES:
        yield 0, tables, dict(positions)
        return
    ordered = {name: bool(p.size < 2 or (p[1:] >= p[:-1]).all()) for name, p in positions.items()}
    for start in range(0, n, ENGINE_CASES):
        stop = min(n, start + ENGINE_CASES)
        part: dict[str, pd.DataFrame] = {}
        part_positions: dict[str, np.ndarray] = {}
        for name, df in tables.items():
            p = positions[name]
            if ordered[name]:
                lo, hi = np.searchsorted(p, [start, stop])
                part[name], part_positions[name] = df.iloc[lo:hi], p[lo:hi] - start
            else:
                rows = np.flatnonzero((p >= start) & (p < stop))
                part[name], part_positions[name] = df.iloc[rows], p[rows] - start
        yield start, part, part_positions


def explain(tables: Mapping[str, pd.DataFrame], case_id: str, on: date | None = None, today: date | None = None) -> Result:
    """The single path's full result (ledger, trace, routing, deadlines, liability) of one case of a docket."""
    positions = check_docket(tables)
    where = np.flatnonzero(tables["cases"]["case_id"].astype("string").to_numpy(object) == str(case_id))
    if where.size == 0:
        raise InputError("case_id", "a case id of the docket", case_id)
    _, doc = next(iter(case_files(tables, positions, where)))
    return assess_case(doc, on, today=today)


# -- result columns ---------------------------------------------------------------------------------

def _empty(n: int) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for c in OUTPUT_COLUMNS:
        if c.endswith("_fen"):
            out[c] = np.zeros(n, np.int64)
            out[c + "#na"] = np.ones(n, bool)
        elif c.endswith("_date") or c.endswith("_due"):
            out[c] = np.full(n, np.datetime64("NaT"), "datetime64[D]")
        elif c in ROUTING_CODES or c.endswith("_status") or c in ("consultation_state", "engine"):
            out[c] = np.full(n, -1, np.int64)
        else:
            out[c] = np.full(n, None, object)
    return out


def _assign(out: dict[str, np.ndarray], name: str, pos: np.ndarray, values: np.ndarray) -> None:
    out[name][pos] = values
    if name.endswith("_fen"):
        out[name + "#na"][pos] = False


def _codes(name: str) -> tuple[str, ...]:
    if name in ROUTING_CODES:
        return ROUTING_CODES[name]
    if name.endswith("_status"):
        return STATUSES
    if name == "consultation_state":
        return CONSULTATION_STATES
    return ENGINES


def _frame(out: dict[str, np.ndarray], n: int) -> pd.DataFrame:
    cols: dict[str, Any] = {}
    for c in OUTPUT_COLUMNS:
        v = out[c]
        if c.endswith("_fen"):
            cols[c] = pd.arrays.IntegerArray(v, out[c + "#na"])
        elif c.endswith("_date") or c.endswith("_due"):
            cols[c] = v.astype("datetime64[s]")
        elif v.dtype == np.int64:
            cols[c] = pd.Categorical.from_codes(v, categories=list(_codes(c)))
        else:
            cols[c] = v
    return pd.DataFrame(cols, index=pd.RangeIndex(n))


def _fen(amount: Any) -> int:
    return int(amount.scaleb(2))


def _single(out: dict[str, np.ndarray], k: int, doc: dict[str, Any], on: date | None, today: date,
            lang: str = "en") -> None:
    """One case through the single path, its figures written into row ``k`` (an error in ``lang``)."""
    out["engine"][k] = 1
    try:
        result = assess_case(doc, on, today=today)
    except AssessError as exc:
        text = exc.render(lang) if isinstance(exc, InputError) else error_text(exc, lang)
        out["error"][k] = one_line(text) if text else type(exc).__name__
        return
    except Exception as exc:   # an internal error never looks like a result
        out["error"][k] = f"internal error: {type(exc).__name__}: {exc}"
        return
    put_result(out, k, result)


def put_result(out: dict[str, np.ndarray], k: int, result: Result) -> None:
    """Row ``k`` of the result columns from a single-path :class:`Result`."""
    law = result.law
    out["substantive_date"][k] = np.datetime64(law.get("substantive").date, "D")
    out["rules_date"][k] = np.datetime64(result.on, "D")
    ledger = result.ledger
    for key in CATEGORY_KEYS:
        _assign(out, f"{key}_fen", np.array([k]), np.array([_fen(ledger.amount(key))]))
    _assign(out, "rounding_adjustment_fen", np.array([k]), np.array([_fen(ledger.adjustment)]))
    _assign(out, "total_fen", np.array([k]), np.array([_fen(ledger.total)]))
    for d in result.routing.decisions:
        out[d.key][k] = ROUTING_CODES[d.key].index(d.outcome)
    for item in result.deadlines.items:
        out[f"{item.key}_status"][k] = STATUSES.index(item.status)
        if item.due is not None:
            out[f"{item.key}_due"][k] = np.datetime64(item.due, "D")
    out["consultation_state"][k] = CONSULTATION_STATES.index(result.deadlines.consultation.state)
    if result.liability is not None:
        if result.liability.punitive is not None:
            _assign(out, "punitive_fen", np.array([k]), np.array([_fen(result.liability.punitive.award)]))
        _assign(out, "net_owed_fen", np.array([k]), np.array([_fen(result.liability.net)]))
