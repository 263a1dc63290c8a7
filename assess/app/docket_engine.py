"""The vectorised docket engine 向量化计算: the cases of a docket it fully supports, table by table on arrays.

Supported (anything else, or any cell the column readers of :mod:`assess.app.docket_columns` do not read
exactly, sends the whole case to the single path; see :mod:`assess.app.docket`):

* ``cases``: case id, schema version, title, description, jurisdiction, the three key dates, and the
  routing and clue facts (``facts.*`` booleans and codes, ``facts.major.*``, ``facts.non_initiation.*``,
  ``facts.location.*``), a punitive claim; no procedure events, law dates, alternative restoration, plan or
  scope facts;
* ``credits`` (:func:`_credits`: ``apply_credits`` on arrays, against the fen owed per destination of
  :func:`assess.law.funds.fund_lines`);
* ``obligors`` (id, name, kind, size, ``share``: :func:`assess.app.docket_methods.check_shares`), ``cost_items``;
* ``damage_items`` valued by ``restoration_cost`` (``damage_items.inputs.lines`` and
  ``damage_items.inputs.surcharges``), ``virtual_treatment_cost`` with γ (no density, no 2014 multiplier,
  no own damage date), ``value_loss`` (interim, ``start_year``–``end_year``), ``given_amount`` and
  ``ratio_of`` (a ratio of a counted damage item or cost item of the case that is not itself a ratio:
  :func:`assess.law.valuation.ratio.ratio_fen`; a ratio of a ledger line ``D2.x`` goes to the single path);
  ``cross_check`` items are evaluated and not counted; double counting sends the case to the single path;
  a permanent ``value_loss`` (``inputs.permanent``: :func:`~assess.law.valuation.value_loss.permanent_loss_fen`
  per (method, horizon, first year, timing)); ``habitat_equivalency`` with linear paths and ``expert_panel``
  of one category (:mod:`assess.app.docket_methods`).

Every amount comes from the function the single path calls on a column of length one (``line_fen``,
``surcharge_fen``, ``vtc_fen``, ``annual_values`` + ``interim_loss_fen_by_span``, ``product_fen``); per-case
sums are exact int64 (``np.add.at``); totals are :func:`assess.law.ledger.category_sum`; the six routing
decisions are the ``decide_*`` functions of :mod:`assess.law.routing`; the deadlines of a case without
procedure events are :mod:`assess.law.deadlines`' decisions with :func:`factors.calendar.period_end` per
distinct start date.  Parameters: :meth:`factors.store.ParameterStore.lookup_array`; the rule set in
force: :meth:`~factors.store.ParameterStore.rule_set_for` once per distinct (jurisdiction, date).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Iterator, Mapping, get_args

import numpy as np
import pandas as pd

from assess.app import docket_columns as col
from assess.app.docket_methods import EXPERT_COLUMNS, HEA_INPUTS, check_shares, expert_items, hea_items
from assess.app.docket_tables import check_docket
from assess.law.categories import KEYS as CATEGORY_KEYS
from assess.law.deadlines import (CONSULTATION_STATES, DEEMED_FAILURE_RULE, STATUSES, decide_consultation_state,
                                  decide_initial_verification_binds, decide_rounds)
from assess.law.credits import Credit
from assess.law.facts import ClueChannel, EmergencyLevel, LocationFacts
from assess.law.funds import DESTINATIONS as FUND_DESTINATIONS, damage_to_treasury
from assess.law.ledger import EXCLUDING_ASSESSMENT_COSTS, PUNITIVE_BASE, category_sum
from assess.law.punitive import CAP, CC_1232_FROM, FACTS as PUNITIVE_FACTS
from assess.law.routing import (JS_MAJOR_CRITERIA, SH14_GROUNDS, SIMPLE_CASE_FACTS, decide_assessment_path,
                                decide_consultation_path, decide_cost_ratio, decide_major_case, decide_non_initiation,
                                decide_who_acts, emergency_is_major)
from assess.law.valuation.base import ELEMENT_LABELS
from assess.law.valuation.common import TIMING_BY_OFFSET, TIMINGS
from assess.law.valuation.ratio import ratio_fen
from assess.law.valuation.restoration import line_factor, line_fen, surcharge_fen
from assess.law.valuation.value_loss import annual_factor, annual_values, interim_loss_fen_by_span, permanent_loss_fen
from methods.value import PERMANENT_METHODS
from assess.law.valuation.virtual_cost import CATEGORIES as VTC_CATEGORIES, PROVENANCE, basis_of, vtc_fen
from factors.calendar import DEADLINE_STATUSES, period_end
from factors.errors import AssessError
from factors.money import Decimals, Fen, product_fen
from factors.store import CodedArray, ParameterStore, default_store
from factors.units import check_unit as parse_unit, exact_factor  # the memo first: no pint when it has the unit

__all__ = ["run_engine", "EngineResult", "SUPPORTED"]

_FACT_BOOLS = ("simple_facts", "undisputed_liability", "small_damage", "obligor_agreed_simplified",
               "obligor_refused_simplified", "obligor_agrees_simplified_consultation", "clue_referred",
               "citizen_report_requests_claim")
_MAJOR_BOOLS = tuple(k for k in JS_MAJOR_CRITERIA if k != "emergency_level") + ("declared_major",)
_NI_BOOLS = tuple(k for k in SH14_GROUNDS if k != "other_ground") + ("self_repaired", "losses_paid")
_SPANS = get_args(LocationFacts.model_fields["spans"].annotation)

#: The columns of each table the engine handles (a filled cell anywhere else: the single path).
SUPPORTED: dict[str, set[str]] = {
    "cases": {"case_id", "schema_version", "title", "description", "jurisdiction", "dates.incident", "dates.clue_received",
              "dates.assessment_base", "facts.clue_channel", "facts.major.emergency_level", "facts.location.spans",
              "facts.location.districted_city", "facts.location.district", "facts.non_initiation.other_ground",
              "facts.location.national_major_impact", "facts.location.escalation_requested",
              *(f"facts.{k}" for k in _FACT_BOOLS), *(f"facts.major.{k}" for k in _MAJOR_BOOLS),
              *(f"facts.non_initiation.{k}" for k in _NI_BOOLS), "punitive.multiple", "punitive.override.reason",
              *(f"punitive.facts.{k}.{x}" for k in PUNITIVE_FACTS for x in ("established", "evidence"))},
    "punitive.reasons": {"case_id", "punitive.reasons#", "value"},
    "credits": {"case_id", "credits#", "id", "label", "ordered_by", "document", "base_amount.value", "base_amount.unit",
                "rate", "cap.value", "cap.unit", "conditions", "deadline", "met_on", "against"},
    "obligors": {"case_id", "obligors#", "id", "name", "kind", "size", "share"},
    "cost_items": {"case_id", "cost_items#", "id", "category", "label", "amount.value", "amount.unit", "date", "evidence"},
    "damage_items": {"case_id", "damage_items#", "id", "label", "element", "restorable", "category", "method", "basis",
                     "damage_ref", "cross_check",
                     "inputs.quantity.value", "inputs.quantity.unit", "inputs.unit_cost.value", "inputs.unit_cost.unit",
                     "inputs.unit_cost_provenance", "inputs.unit_cost_basis", "inputs.gamma.value", "inputs.gamma.basis",
                     "inputs.method_version",
                     "inputs.unit_value.value", "inputs.unit_value.unit", "inputs.loss_fraction", "inputs.start_year",
                     "inputs.end_year", "inputs.base_year", "inputs.discount_rate", "inputs.timing",
                     "inputs.amount.value", "inputs.amount.unit", "inputs.source", "inputs.document", "inputs.evidence",
                     "inputs.of", "inputs.ratio", "inputs.basis", "inputs.permanent.method", "inputs.permanent.first_year",
                     "inputs.permanent.horizon_years", "inputs.aggregation", *HEA_INPUTS},
    "damage_items.inputs.experts": EXPERT_COLUMNS,
    "damage_items.inputs.lines": {"case_id", "damage_items#", "damage_items.inputs.lines#", "label", "quantity.value",
                                  "quantity.unit", "unit_price.value", "unit_price.unit", "basis"},
    "damage_items.inputs.surcharges": {"case_id", "damage_items#", "damage_items.inputs.surcharges#", "label", "rate",
                                       "basis"},
}
#: The inputs columns of each supported method (a filled inputs column of another method: the single path).
METHOD_INPUTS = {
    "restoration_cost": set(),
    "virtual_treatment_cost": {"inputs.quantity.value", "inputs.quantity.unit", "inputs.unit_cost.value",
                               "inputs.unit_cost.unit", "inputs.unit_cost_provenance", "inputs.unit_cost_basis",
                               "inputs.gamma.value", "inputs.gamma.basis", "inputs.method_version"},
    "value_loss": {"inputs.unit_value.value", "inputs.unit_value.unit", "inputs.quantity.value", "inputs.quantity.unit",
                   "inputs.loss_fraction", "inputs.start_year", "inputs.end_year", "inputs.base_year",
                   "inputs.discount_rate", "inputs.timing", "inputs.permanent.method", "inputs.permanent.first_year",
                   "inputs.permanent.horizon_years"},
    "given_amount": {"inputs.amount.value", "inputs.amount.unit", "inputs.source", "inputs.document", "inputs.evidence"},
    "ratio_of": {"inputs.of", "inputs.ratio", "inputs.basis"},
    "habitat_equivalency": HEA_INPUTS,
    "expert_panel": {"inputs.aggregation"},
}
METHODS = tuple(METHOD_INPUTS)
GIVEN_SOURCES = ("appraisal_report", "expert_opinion", "judgment", "agreement")
VTC_VERSIONS = ("gbt39793_2_2020", "hbzf_2017_1488")     # with γ (hb_2014_90 goes with the 2014 multiplier)
COST_CATEGORIES = ("assessment_costs", "remediation_costs", "prevention_costs")
OBLIGOR_KINDS = ("enterprise", "individual", "other_organisation")
OBLIGOR_SIZES = ("large", "medium", "small", "micro")


@dataclass
class EngineResult:
    """Positions (into the ``cases`` table) of the cases computed here, and their result columns."""

    rows: np.ndarray
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    missing: dict[str, np.ndarray] = field(default_factory=dict)   # fen columns: rows without a value (NA)


class _Docket:
    """The cases table, the case position of every child row, and the cases sent to the single path."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], positions: Mapping[str, np.ndarray]):
        self.tables = tables
        self.cases = tables["cases"]
        self.n = len(self.cases)
        self.positions = {id(df): positions[name] for name, df in tables.items()}
        self.out = np.zeros(self.n, bool)     # sent to the single path

    def refuse(self, case_pos: np.ndarray, mask: np.ndarray | None = None) -> None:
        self.out[case_pos if mask is None else case_pos[mask]] = True

    def pos(self, df: pd.DataFrame) -> np.ndarray:
        return self.positions[id(df)]

    def column(self, df: pd.DataFrame, name: str) -> pd.Series | None:
        return df[name] if name in df.columns else None


def _own_positions(df: pd.DataFrame, own: str, parents: list[str]) -> np.ndarray:
    """The list position of each row: its own ``#`` column, else file order within its parent."""
    if own in df.columns:
        return pd.to_numeric(df[own], errors="coerce").fillna(-1).to_numpy(np.int64)
    return df.groupby(["case_id", *parents], sort=False).cumcount().to_numpy(np.int64)


def _unsupported(d: _Docket) -> None:
    """Cases with rows in tables the engine does not handle, or filled cells in columns it does not."""
    for name, df in d.tables.items():
        if df.empty:
            continue
        pos = d.pos(df)
        allowed = SUPPORTED.get(name)
        if allowed is None:
            d.refuse(pos)
            continue
        for c in df.columns:
            if c not in allowed:
                d.refuse(pos, col.filled(df[c]))


# -- amounts -------------------------------------------------------------------------------------------

def _per_distinct(keys: list[np.ndarray], make: Callable[..., Any], memo: dict[Any, Any] | None = None
                  ) -> tuple[np.ndarray, list[Any]]:
    """``make(*key values)`` once per distinct key tuple: (group code per row, result per group; an
    :class:`AssessError` or ValueError is kept as the result).  Keys are numeric arrays.  With ``memo`` (a
    :meth:`factors.store.ParameterStore.memo`), a key tuple answered before (an earlier chunk) is not asked
    again: ``make`` must then depend on the key values alone."""
    n = keys[0].shape[0]
    if n == 0:
        return np.zeros(0, np.int64), []
    combined = np.zeros(n, np.int64)
    for k in keys:
        codes, uniq = pd.factorize(k)
        combined = combined * (len(uniq) + 1) + (codes + 1)
    codes, uniq = pd.factorize(combined)
    first = np.zeros(len(uniq), np.int64)
    first[codes[::-1]] = np.arange(n - 1, -1, -1)    # a row of each group
    results = []
    for g in range(len(uniq)):
        i = first[g]
        key = tuple(k[i].item() for k in keys) if memo is not None else None
        if memo is not None and key in memo:
            results.append(memo[key])
            continue
        try:
            r = make(*(k[i] for k in keys))
        except (AssessError, ValueError) as exc:
            # kept without its traceback: the traceback's frames hold this function's arrays in a reference
            # cycle, which only the cyclic collector frees (a streamed batch grew by chunks of memory)
            r = exc.with_traceback(None)
        if memo is not None:
            memo[key] = r
        results.append(r)
    return codes.astype(np.int64), results


def _groups(codes: np.ndarray, rows: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(group, its rows) for each group code (one sort, not one scan per group)."""
    if codes.size == 0:
        return []
    order = np.argsort(codes, kind="stable")
    cuts = np.flatnonzero(np.diff(codes[order])) + 1
    return [(int(codes[part[0]]), rows[part]) for part in np.split(order, cuts)]


def _fen_into(target: np.ndarray, where: np.ndarray, amounts: Fen, d_out: Callable[[np.ndarray], None]) -> np.ndarray:
    """int64 fen of ``amounts``; the rows without one (too large, not finite) are refused (single path)."""
    ok = amounts.ok()
    if not ok.all():
        d_out(np.flatnonzero(~ok))
    target[where] = np.where(ok, amounts.fen, 0)
    return ok


def _money_factor(unit: Any) -> Fraction:
    if not isinstance(unit, str):
        raise ValueError("no unit")
    parse_unit(unit, "unit")
    return exact_factor(unit, "元", "unit")


def _money_fen(d: _Docket, rows: np.ndarray, case_pos: np.ndarray, value: col.Num, unit: col.Text,
               times: col.Num | None = None) -> np.ndarray:
    """The fen of a Money field (元, 万元 …: the unit factor once per distinct unit) on ``rows``; with ``times``,
    of the field times that number (the exact product rounded once)."""
    out = np.zeros(value.given.shape[0], np.int64)
    codes, factors = _per_distinct([unit.codes[rows]], lambda c: _money_factor((unit.uniques + [None])[int(c)]))
    for g, sel in _groups(codes, rows):
        factor = factors[g]
        if isinstance(factor, Exception):
            d.refuse(case_pos[sel])
            continue
        fen = product_fen([value.dec.take(sel)] + ([times.dec.take(sel)] if times is not None else []), factor)
        _fen_into(out, sel, fen, lambda bad, sel=sel: d.refuse(case_pos[sel[bad]]))
    return out


def _required_text(d: _Docket, df: pd.DataFrame, name: str, pos: np.ndarray, rows: np.ndarray | None = None) -> col.Text:
    t = col.text(d.column(df, name), len(df))
    need = np.ones(len(df), bool) if rows is None else rows
    d.refuse(pos, need & (~t.given | t.odd))
    return t


def _optional_text(d: _Docket, df: pd.DataFrame, name: str, pos: np.ndarray) -> col.Text:
    t = col.text(d.column(df, name), len(df))
    d.refuse(pos, t.odd)
    return t


@dataclass
class _Costs:
    """The cost items read once: case position, id, fen of each row (for a ratio of a cost item)."""

    pos: np.ndarray
    ids: col.Text
    amount: np.ndarray


def _cost_items(d: _Docket, fen: dict[str, np.ndarray], ids: list[tuple[np.ndarray, col.Text]]) -> _Costs | None:
    df = d.tables.get("cost_items")
    if df is None or df.empty:
        return None
    pos, n = d.pos(df), len(df)
    item_id = _required_text(d, df, "id", pos)
    for name in ("label", "evidence"):
        _required_text(d, df, name, pos)
    cat = col.text(d.column(df, "category"), n)
    which = cat.index_in(COST_CATEGORIES)
    d.refuse(pos, which < 0)
    day, odd = col.dates(d.column(df, "date"), n)
    d.refuse(pos, odd | np.isnat(day))
    value = col.numbers(d.column(df, "amount.value"), n)
    unit = col.text(d.column(df, "amount.unit"), n)
    d.refuse(pos, ~value.given | value.odd | ~unit.given | unit.odd)
    rows = np.flatnonzero(value.given & unit.given & (which >= 0))
    amount = _money_fen(d, rows, pos, value, unit)
    for k, category in enumerate(COST_CATEGORIES):
        sel = rows[which[rows] == k]
        np.add.at(fen[category], pos[sel], amount[sel])
    ids.append((pos, item_id))
    return _Costs(pos, item_id, amount)


def _obligors(d: _Docket) -> None:
    df = d.tables.get("obligors")
    if df is None or df.empty:
        return
    pos, n = d.pos(df), len(df)
    ident = _required_text(d, df, "id", pos)
    _required_text(d, df, "name", pos)
    kind = col.text(d.column(df, "kind"), n)
    d.refuse(pos, kind.index_in(OBLIGOR_KINDS) < 0)
    size = col.text(d.column(df, "size"), n)
    d.refuse(pos, size.given & (size.index_in(OBLIGOR_SIZES) < 0))
    _unique_ids(d, [(pos, ident)])
    check_shares(d, df, pos)


def _shared_codes(texts: list[col.Text]) -> list[np.ndarray]:
    """The codes of several text columns in one code space (-1: empty), through their few distinct values."""
    names: dict[Any, int] = {}
    out = []
    for t in texts:
        table = np.array([names.setdefault(u, len(names)) for u in t.uniques] + [-1], np.int64)
        out.append(table[t.codes])
    return out


def _sorted_order(key: np.ndarray) -> np.ndarray | None:
    """None when ``key`` is already non-decreasing (a docket's rows in case order), else a stable sort order
    (numpy's stable sort is a radix/tim sort: near-linear on the nearly sorted keys of a docket)."""
    if key.size < 2 or bool((key[1:] >= key[:-1]).all()):
        return None
    return np.argsort(key, kind="stable")


def _duplicated(*keys: np.ndarray) -> np.ndarray:
    """Rows whose key tuple (non-negative int64 columns) occurs more than once."""
    key = np.zeros(keys[0].shape[0], np.int64)
    for k in keys:
        key = key * (int(k.max(initial=0)) + 2) + (k + 1)
    order = _sorted_order(key)
    ordered = key if order is None else key[order]
    same = ordered[1:] == ordered[:-1]
    dup = np.zeros(key.shape[0], bool)
    dup[1:] |= same
    dup[:-1] |= same
    if order is None:
        return dup
    out = np.empty_like(dup)
    out[order] = dup
    return out


def _index_of(keys: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """The row of ``keys`` (int64) holding each query, the first such row; -1 where none does."""
    order = _sorted_order(keys)
    ordered = keys if order is None else keys[order]
    if ordered.size == 0:
        return np.full(queries.shape[0], -1, np.int64)
    at = np.minimum(np.searchsorted(ordered, queries, side="left"), ordered.size - 1)
    found = ordered[at] == queries
    rows = at if order is None else order[at]     # a stable order: the first row of equal keys comes first
    return np.where(found, rows, -1).astype(np.int64)


def _unique_ids(d: _Docket, parts: list[tuple[np.ndarray, col.Text]]) -> None:
    """Duplicate ids within a case (damage and cost items share one id space: ledger lines)."""
    if not parts:
        return
    pos = np.concatenate([p for p, _ in parts])
    ids = np.concatenate(_shared_codes([t for _, t in parts]))
    d.refuse(pos, _duplicated(pos, ids) & (ids >= 0))


@dataclass
class _Items:
    """The damage items table read once: case position, method, category, counted."""

    df: pd.DataFrame
    pos: np.ndarray
    key: np.ndarray          # (case position, item position) as one int64
    method: np.ndarray       # index into METHODS (-1: another method)
    category: np.ndarray     # index into CATEGORY_KEYS
    counted: np.ndarray
    amount: np.ndarray       # fen of each item
    ids: col.Text
    amount2: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))     # a second line (HEA: permanent)
    category2: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))   # its category (-1: none)
    restorable: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))      # restorable: true

    def __post_init__(self) -> None:
        self.amount2 = np.zeros(self.pos.size, np.int64)
        self.category2 = np.full(self.pos.size, -1, np.int64)


def _item_key(pos: np.ndarray, item: np.ndarray) -> np.ndarray:
    return pos.astype(np.int64) * (1 << 20) + item


def _damage_items(d: _Docket, ctx: "_Context", costs: _Costs | None = None) -> _Items | None:
    df = d.tables.get("damage_items")
    if df is None or df.empty:
        return None
    pos, n = d.pos(df), len(df)
    own = _own_positions(df, "damage_items#", [])
    d.refuse(pos, (own < 0) | (own >= 1 << 20) | _duplicated(pos, np.maximum(own, 0)))   # one row per position
    ident = _required_text(d, df, "id", pos)
    _required_text(d, df, "label", pos)
    element = col.text(d.column(df, "element"), n)
    d.refuse(pos, ~element.isin(ELEMENT_LABELS))
    restorable, odd = col.bools(d.column(df, "restorable"), n)
    d.refuse(pos, odd | (restorable < 0))
    cross, odd = col.bools(d.column(df, "cross_check"), n)
    d.refuse(pos, odd)
    for name in ("basis", "damage_ref"):
        _optional_text(d, df, name, pos)
    method = col.text(d.column(df, "method"), n).index_in(METHODS)
    d.refuse(pos, method < 0)
    category = col.text(d.column(df, "category"), n).index_in(CATEGORY_KEYS)
    d.refuse(pos, category < 0)
    # an inputs column of another method is an unknown field there (the model refuses it)
    for c in df.columns:
        if str(c).startswith("inputs."):
            foreign = np.array([c not in METHOD_INPUTS[m] for m in METHODS] + [True], bool)
            d.refuse(pos, foreign[method] & col.filled(df[c]))   # method -1 (another method): the single path
    items = _Items(df, pos, _item_key(pos, own), method, category, cross != 1, np.zeros(n, np.int64), ident)
    items.restorable = restorable == 1
    # each method on its own rows (the columns of a method are read over its items only, not the whole table)
    with _method_view(items, "restoration_cost") as view:
        _restoration(d, view)
    with _method_view(items, "virtual_treatment_cost") as view:
        _vtc(d, view, ctx)
    with _method_view(items, "value_loss") as view:
        _value_loss(d, view, ctx)
    with _method_view(items, "given_amount") as view:
        _given(d, view)
    with _method_view(items, "habitat_equivalency") as view:
        hea_items(d, view, ctx, METHODS.index("habitat_equivalency"),
                  lambda need, t, v=view: _timing_codes(d, v, ctx, need, t))
    with _method_view(items, "expert_panel") as view:
        expert_items(d, view, ctx, METHODS.index("expert_panel"), _children, _money_factor)
    _double_counting(d, df, items)
    _ratio(d, items, costs)      # after every other item and the cost items (api.assess_case's order)
    return items


#: the columns of the damage items every method reads (besides its own inputs: METHOD_INPUTS)
_ITEM_COLUMNS = ("case_id", "damage_items#", "id", "label", "element", "restorable", "category", "method", "basis",
                 "damage_ref", "cross_check")


@contextmanager
def _method_view(items: _Items, method: str) -> Iterator[_Items]:
    """The items of one method as an :class:`_Items` of their own (their rows, the item columns and the
    method's inputs columns); their amounts are written back into ``items`` on leaving.  A method's function
    reads and writes its own rows only (another method's filled inputs column already refused its case)."""
    rows = np.flatnonzero(items.method == METHODS.index(method))
    df = items.df
    keep = [k for k, c in enumerate(df.columns) if c in _ITEM_COLUMNS or c in METHOD_INPUTS[method]]
    view = _Items(df.iloc[rows, keep], items.pos[rows], items.key[rows], items.method[rows], items.category[rows],
                  items.counted[rows], np.zeros(rows.size, np.int64),
                  col.Text(items.ids.codes[rows], items.ids.uniques, items.ids.odd[rows]))
    yield view
    items.amount[rows] = view.amount
    items.amount2[rows] = view.amount2
    items.category2[rows] = view.category2


def _double_counting(d: _Docket, df: pd.DataFrame, items: _Items) -> None:
    ref_t = col.text(d.column(df, "damage_ref"), len(df))
    ref, own = _shared_codes([ref_t, items.ids])
    ref = np.where(ref_t.given, ref, own)
    rows = np.flatnonzero(items.counted)
    two = rows[items.category2[rows] >= 0]          # an item feeding two categories (HEA never recovering)
    at = np.concatenate([rows, two])
    cat = np.concatenate([items.category[rows], items.category2[two]])
    dup = np.zeros(len(df), bool)
    dup[at] = _duplicated(items.pos[at], np.maximum(ref[at], 0), np.maximum(cat, 0))
    d.refuse(items.pos, dup)


def _children(d: _Docket, items: _Items, table: str, method: str) -> tuple[pd.DataFrame, np.ndarray, np.ndarray] | None:
    """(rows, case position, item row) of a child table of the damage items; rows of another method's item,
    or of no item, refuse their case."""
    df = d.tables.get(table)
    if df is None or df.empty:
        return None
    pos = d.pos(df)
    parent = pd.to_numeric(df["damage_items#"], errors="coerce").fillna(-1).to_numpy(np.int64) \
        if "damage_items#" in df.columns else np.full(len(df), -1, np.int64)
    item = _index_of(items.key, _item_key(pos, parent))
    d.refuse(pos, item < 0)
    ok = item >= 0
    d.refuse(pos, ok & (items.method[np.where(ok, item, 0)] != METHODS.index(method)))
    own = _own_positions(df, f"{table}#", ["damage_items#"])
    d.refuse(pos, _duplicated(np.maximum(item + 1, 0), np.maximum(own, 0)) | (own < 0))
    return df, pos, item


def _restoration(d: _Docket, items: _Items) -> None:
    is_r = items.method == METHODS.index("restoration_cost")
    d.refuse(items.pos, is_r & (items.category < 0) | is_r & ~np.isin(items.category, [
        CATEGORY_KEYS.index(k) for k in ("remediation_costs", "interim_service_loss", "permanent_loss")]))
    subtotal = np.zeros(len(items.pos), np.int64)
    has_line = np.zeros(len(items.pos), bool)
    got = _children(d, items, "damage_items.inputs.lines", "restoration_cost")
    if got is not None:
        df, pos, item = got
        n = len(df)
        _required_text(d, df, "label", pos)
        _optional_text(d, df, "basis", pos)
        q, p = col.numbers(d.column(df, "quantity.value"), n), col.numbers(d.column(df, "unit_price.value"), n)
        uq, up = col.text(d.column(df, "quantity.unit"), n), col.text(d.column(df, "unit_price.unit"), n)
        d.refuse(pos, ~q.given | q.odd | ~p.given | p.odd | ~uq.given | uq.odd | ~up.given | up.odd)
        rows = np.flatnonzero(q.given & p.given & uq.given & up.given & (item >= 0))
        uq_all, up_all = uq.uniques + [None], up.uniques + [None]

        def factor(a: int, b: int) -> Fraction:
            parse_unit(uq_all[a], "quantity.unit")
            return line_factor(uq_all[a], up_all[b], "unit_price.unit")

        codes, factors = _per_distinct([uq.codes[rows], up.codes[rows]], lambda a, b: factor(int(a), int(b)))
        line = np.zeros(n, np.int64)
        for g, sel in _groups(codes, rows):
            f = factors[g]
            if isinstance(f, Exception):
                d.refuse(pos[sel])
                continue
            _fen_into(line, sel, line_fen(q.dec.take(sel), p.dec.take(sel), f), lambda bad, sel=sel: d.refuse(pos[sel[bad]]))
        np.add.at(subtotal, item[rows], line[rows])
        has_line[item[rows]] = True
    d.refuse(items.pos, is_r & ~has_line)   # lines: at least one
    amount = subtotal.copy()
    got = _children(d, items, "damage_items.inputs.surcharges", "restoration_cost")
    if got is not None:
        df, pos, item = got
        n = len(df)
        _required_text(d, df, "label", pos)
        _required_text(d, df, "basis", pos)
        rate = col.numbers(d.column(df, "rate"), n)
        d.refuse(pos, ~rate.given | rate.odd | (rate.x > 1))
        rows = np.flatnonzero(rate.given & (item >= 0) & (rate.x <= 1))
        s = np.zeros(n, np.int64)
        _fen_into(s, rows, surcharge_fen(Decimals.of_fen(subtotal[item[rows]]), rate.dec.take(rows)),
                  lambda bad: d.refuse(pos[rows[bad]]))
        np.add.at(amount, item[rows], s[rows])
    items.amount[is_r] = amount[is_r]


def _vtc(d: _Docket, items: _Items, ctx: "_Context") -> None:
    is_v = items.method == METHODS.index("virtual_treatment_cost")
    if not is_v.any():
        return
    df, pos, n = items.df, items.pos, len(items.df)
    d.refuse(pos, is_v & ~np.isin(items.category, [CATEGORY_KEYS.index(k) for k in VTC_CATEGORIES]))
    e, c, g = (col.numbers(d.column(df, f"inputs.{k}.value"), n) for k in ("quantity", "unit_cost", "gamma"))
    ue, uc = col.text(d.column(df, "inputs.quantity.unit"), n), col.text(d.column(df, "inputs.unit_cost.unit"), n)
    prov = col.text(d.column(df, "inputs.unit_cost_provenance"), n)
    version = col.text(d.column(df, "inputs.method_version"), n)
    basis = col.text(d.column(df, "inputs.gamma.basis"), n)
    ubasis = col.text(d.column(df, "inputs.unit_cost_basis"), n)
    bad = (~e.given | e.odd | ~c.given | c.odd | ~g.given | g.odd | ~ue.given | ue.odd | ~uc.given | uc.odd
           | ~prov.isin(PROVENANCE) | (version.given & ~version.isin(VTC_VERSIONS)) | ~basis.given | basis.odd | ubasis.odd)
    # the version by the damage date (dates.incident): a date without a version in force goes to the single path
    found = ctx.store.lookup_array("vtc.method_version", CodedArray(ctx.sub_jur[np.maximum(pos, 0)], ctx.jur_names),
                                   ctx.sub_day[np.maximum(pos, 0)])
    bad |= ~found.found
    d.refuse(pos, is_v & bad)
    rows = np.flatnonzero(is_v & ~bad)
    ue_all, uc_all = ue.uniques + [None], uc.uniques + [None]

    def factors(a: int, b: int) -> tuple[Fraction, Fraction]:
        dim = basis_of(ue_all[a], "t", "m³", "a mass or a volume")
        cb = basis_of(uc_all[b], "元/t", "元/m³", "a cost per mass or volume")
        if cb != f"元/{dim}":
            raise ValueError("needs a density")
        return exact_factor(ue_all[a], dim), exact_factor(uc_all[b], cb)

    codes, found_f = _per_distinct([ue.codes[rows], uc.codes[rows]], lambda a, b: factors(int(a), int(b)))
    for k, sel in _groups(codes, rows):
        f = found_f[k]
        if isinstance(f, Exception):
            d.refuse(pos[sel])
            continue
        amount = vtc_fen(e.dec.take(sel), c.dec.take(sel), g.dec.take(sel), f[0], f[1])
        _fen_into(items.amount, sel, amount, lambda bad, sel=sel: d.refuse(pos[sel[bad]]))


def _value_loss(d: _Docket, items: _Items, ctx: "_Context") -> None:
    is_l = items.method == METHODS.index("value_loss")
    if not is_l.any():
        return
    df, pos, n = items.df, items.pos, len(items.df)
    perm_t = col.text(d.column(df, "inputs.permanent.method"), n)
    perm = perm_t.given
    pmethod = perm_t.index_in(PERMANENT_METHODS)
    first, gf, of_ = col.years(d.column(df, "inputs.permanent.first_year"), n)
    hy = col.numbers(d.column(df, "inputs.permanent.horizon_years"), n)
    hy_ok = hy.given & (hy.x == np.floor(hy.x)) & (hy.x < 10_000)
    d.refuse(pos, is_l & (items.category != np.where(perm, CATEGORY_KEYS.index("permanent_loss"),
                                                      CATEGORY_KEYS.index("interim_service_loss"))))
    # a permanent loss (inputs.permanent): its method, first year, and a horizon only with the horizon method
    d.refuse(pos, is_l & perm & ((pmethod < 0) | ~gf | of_ | hy.odd | (hy.given & ~hy_ok)
                                 | ((pmethod == 0) & hy.given) | ((pmethod == 1) & ~hy.given)))
    d.refuse(pos, is_l & ~perm & (gf | of_ | hy.given | hy.odd))
    v, q = col.numbers(d.column(df, "inputs.unit_value.value"), n), col.numbers(d.column(df, "inputs.quantity.value"), n)
    f, r = col.numbers(d.column(df, "inputs.loss_fraction"), n), col.numbers(d.column(df, "inputs.discount_rate"), n)
    uv, uq = col.text(d.column(df, "inputs.unit_value.unit"), n), col.text(d.column(df, "inputs.quantity.unit"), n)
    y0, g0, o0 = col.years(d.column(df, "inputs.start_year"), n)
    y1, g1, o1 = col.years(d.column(df, "inputs.end_year"), n)
    yb, gb, ob = col.years(d.column(df, "inputs.base_year"), n)
    timing_t = col.text(d.column(df, "inputs.timing"), n)
    timing = timing_t.index_in(TIMINGS)
    bad = (~v.given | v.odd | ~q.given | q.odd | ~f.given | f.odd | (f.x > 1) | ~r.given | r.odd | (r.x >= 1)
           | ~uv.given | uv.odd | ~uq.given | uq.odd | o0 | o1 | ~gb | ob | (timing_t.given & (timing < 0))
           | ~perm & (~g0 | ~g1 | (y1 < y0))
           | perm & (pmethod == 0) & ~(r.x > 0))      # a perpetuity needs r > 0 (the kernel refuses it)
    timing = _timing_codes(d, items, ctx, is_l & ~bad, timing_t)
    bad |= is_l & (timing < 0)
    d.refuse(pos, is_l & bad)
    rows = np.flatnonzero(is_l & ~bad)
    uv_all, uq_all = uv.uniques + [None], uq.uniques + [None]

    def factor(a: int, b: int) -> Fraction:
        parse_unit(uq_all[b], "inputs.quantity.unit")
        parse_unit(uv_all[a], "inputs.unit_value.unit")
        return annual_factor(uv_all[a], uq_all[b], "inputs.unit_value.unit")

    codes, found_f = _per_distinct([uv.codes[rows], uq.codes[rows]], lambda a, b: factor(int(a), int(b)))
    for k, sel in _groups(codes, rows):
        fac = found_f[k]
        if isinstance(fac, Exception):
            d.refuse(pos[sel])
            continue
        interim = sel[~perm[sel]]
        annual = annual_values(v.dec.take(interim), q.dec.take(interim), fac)
        amount = interim_loss_fen_by_span(annual, f.dec.take(interim), y0[interim], y1[interim], yb[interim],
                                          r.dec.take(interim), timing[interim])
        _fen_into(items.amount, interim, amount, lambda bad, sel=interim: d.refuse(pos[sel[bad]]))
        # permanent: one kernel call per (method, horizon, first year, timing), as permanent_loss_fen takes them
        lasting = sel[perm[sel]]
        hyears = np.where(hy.given, hy.x, -1).astype(np.int64)
        codes_p, _ = _per_distinct([pmethod[lasting], hyears[lasting], first[lasting], timing[lasting]], lambda *k: None)
        for _, part in _groups(codes_p, lasting):
            k0 = part[0]
            method = PERMANENT_METHODS[int(pmethod[k0])]
            try:
                _, fen = permanent_loss_fen(annual_values(v.dec.take(part), q.dec.take(part), fac), f.dec.take(part),
                                            r.dec.take(part), method, int(hyears[k0]) if method == "horizon" else None,
                                            int(first[k0]), yb[part], TIMINGS[int(timing[k0])])
            except (AssessError, ValueError):
                d.refuse(pos[part])
                continue
            _fen_into(items.amount, part, fen, lambda bad, sel=part: d.refuse(pos[sel[bad]]))


def _timing_codes(d: _Docket, items: _Items, ctx: "_Context", rows: np.ndarray, timing_t: col.Text) -> np.ndarray:
    """The timing code (index into TIMINGS) of each item: its own, else the dated parameter on the substantive
    date (as :func:`assess.law.valuation.common.resolve_timing` looks it up); -1: none (the single path)."""
    timing = timing_t.index_in(TIMINGS)
    need = rows & ~timing_t.given
    if need.any():
        rows_d = np.flatnonzero(need)
        p = np.maximum(items.pos[rows_d], 0)
        found = ctx.store.lookup_array("valuation.discounting.timing_offset", CodedArray(ctx.sub_jur[p], ctx.jur_names),
                                       ctx.sub_day[p])
        table = np.array([TIMINGS.index(TIMING_BY_OFFSET[x.value]) if x.value in TIMING_BY_OFFSET else -1
                          for x in found.params] + [-1], np.int64)
        timing[rows_d] = table[np.where(found.slot >= 0, found.slot, len(found.params))]
    return timing


def _given(d: _Docket, items: _Items) -> None:
    is_g = items.method == METHODS.index("given_amount")
    if not is_g.any():
        return
    df, pos, n = items.df, items.pos, len(items.df)
    value, unit = col.numbers(d.column(df, "inputs.amount.value"), n), col.text(d.column(df, "inputs.amount.unit"), n)
    source = col.text(d.column(df, "inputs.source"), n)
    document = col.text(d.column(df, "inputs.document"), n)
    evidence = col.text(d.column(df, "inputs.evidence"), n)
    bad = (~value.given | value.odd | ~unit.given | unit.odd | ~source.isin(GIVEN_SOURCES) | ~document.given | document.odd
           | evidence.odd)
    d.refuse(pos, is_g & bad)
    rows = np.flatnonzero(is_g & ~bad)
    amount = _money_fen(d, rows, pos, value, unit)
    items.amount[rows] = amount[rows]


def _ratio(d: _Docket, items: _Items, costs: _Costs | None) -> None:
    """``ratio_of`` items: the ratio times the amount of the item ``inputs.of`` names in the same case
    (:func:`assess.law.valuation.ratio.evaluate_ratio`); a name that is not the id of a counted damage item
    or cost item valued on its own (a ledger line ``D2.x``, a cross-check, a ratio, none) goes to the
    single path, which decides or words the error."""
    is_q = items.method == METHODS.index("ratio_of")
    if not is_q.any():
        return
    df, pos, n = items.df, items.pos, len(items.df)
    of = col.text(d.column(df, "inputs.of"), n)
    basis = col.text(d.column(df, "inputs.basis"), n)
    ratio = col.numbers(d.column(df, "inputs.ratio"), n)
    bad = ~of.given | of.odd | ~basis.given | basis.odd | ~ratio.given | ratio.odd | ~(ratio.x > 0)
    # the referenced line: a damage item or a cost item of the same case, by id (one code space)
    texts = [items.ids, of] + ([costs.ids] if costs is not None else [])
    codes = _shared_codes(texts)
    ref_pos = np.concatenate([pos] + ([costs.pos] if costs is not None else []))
    ref_id = np.concatenate([codes[0]] + ([codes[2]] if costs is not None else []))
    ref_amount = np.concatenate([items.amount + items.amount2] + ([costs.amount] if costs is not None else []))
    ref_ok = np.concatenate([items.counted & (items.method != METHODS.index("ratio_of")) & (items.method >= 0)]
                            + ([np.ones(costs.pos.size, bool)] if costs is not None else []))
    width = max(len(c) for c in [t.uniques for t in texts]) + 2
    keys = ref_pos.astype(np.int64) * width + (ref_id + 1)
    # the first line of each key (duplicate ids refuse their case elsewhere: _unique_ids); the ratio rows only
    q = np.flatnonzero(is_q)
    found = np.full(n, -1, np.int64)
    found[q] = _index_of(keys, pos[q].astype(np.int64) * width + (codes[1][q] + 1))
    at = np.maximum(found, 0)
    bad |= (found < 0) | ~ref_ok[at] | (ref_id[at] < 0)
    d.refuse(pos, is_q & bad)
    rows = np.flatnonzero(is_q & ~bad)
    if rows.size:
        # the referenced amounts are final here: damage items valued above, cost items before them
        _fen_into(items.amount, rows, ratio_fen(Decimals.of_fen(ref_amount[at[rows]]), ratio.dec.take(rows)),
                  lambda bad_rows: d.refuse(pos[rows[bad_rows]]))


# -- the case: dates, rule sets, facts ------------------------------------------------------------------

@dataclass
class _Context:
    store: ParameterStore
    jur_names: tuple[str, ...]
    jur: np.ndarray          # the case's jurisdiction (index into jur_names)
    sub_day: np.ndarray      # datetime64[D]: the substantive date
    sub_jur: np.ndarray      # the rule set in force on it
    proc_day: np.ndarray
    proc_jur: np.ndarray
    clue: np.ndarray
    per_step: bool


def _rule_sets(store: ParameterStore, names: tuple[str, ...], jur: np.ndarray, day: np.ndarray,
               ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rule set in force (index into ``names``) per row, once per distinct (jurisdiction, date); found mask."""
    out = np.zeros(jur.shape[0], np.int64)
    found = np.zeros(jur.shape[0], bool)
    rows = np.flatnonzero(ok)
    codes, res = _per_distinct([jur[rows], col.days(day[rows])],
                               lambda j, x: names.index(store.rule_set_for(names[int(j)], date(1970, 1, 1) + timedelta(days=int(x)))[0]),
                               store.memo(("docket rule set", names)))
    table = np.array([-1 if isinstance(r, Exception) else r for r in res] + [-1], np.int64)
    got = table[codes] if rows.size else np.zeros(0, np.int64)
    out[rows], found[rows] = np.maximum(got, 0), got >= 0
    return out, found


def _context(d: _Docket, store: ParameterStore, on: date | None) -> tuple[_Context, dict[str, np.ndarray]]:
    cases, n = d.cases, d.n
    get = lambda name: d.column(cases, name)  # noqa: E731
    names = tuple(sorted(store.jurisdictions))
    jt = col.text(get("jurisdiction"), n)
    jur = jt.index_in(names)
    d.refuse(np.arange(n), jur < 0)
    version = col.text(get("schema_version"), n)
    d.refuse(np.arange(n), version.given & ~version.isin({"1"}))
    for name in ("title", "description", "facts.location.districted_city", "facts.location.district",
                 "facts.non_initiation.other_ground"):
        d.refuse(np.arange(n), col.text(get(name), n).odd)
    inc, o1 = col.dates(get("dates.incident"), n)
    clue, o2 = col.dates(get("dates.clue_received"), n)
    base, o3 = col.dates(get("dates.assessment_base"), n)
    d.refuse(np.arange(n), o1 | o2 | o3 | np.isnat(inc) | (~np.isnat(clue) & (clue < inc)))
    on_day = None if on is None else np.datetime64(on, "D")
    sub = np.where(np.isnat(inc), np.datetime64("1970-01-01"), inc) if on_day is None else np.full(n, on_day)
    proc = np.where(~np.isnat(base), base, np.where(~np.isnat(clue), clue, inc)) if on_day is None else np.full(n, on_day)
    proc = np.where(np.isnat(proc), np.datetime64("1970-01-01"), proc)
    usable = (jur >= 0) & ~np.isnat(inc)
    jur0 = np.maximum(jur, 0)
    sub_jur, f1 = _rule_sets(store, names, jur0, sub, usable)
    proc_jur, f2 = _rule_sets(store, names, jur0, proc, usable)
    d.refuse(np.arange(n), ~f1 | ~f2)
    facts: dict[str, np.ndarray] = {}
    for name in (*(f"facts.{k}" for k in _FACT_BOOLS), *(f"facts.major.{k}" for k in _MAJOR_BOOLS),
                 *(f"facts.non_initiation.{k}" for k in _NI_BOOLS), "facts.location.national_major_impact",
                 "facts.location.escalation_requested"):
        v, odd = col.bools(get(name), n)
        d.refuse(np.arange(n), odd)
        facts[name] = v
    channel = col.text(get("facts.clue_channel"), n)
    d.refuse(np.arange(n), channel.given & ~channel.isin(get_args(ClueChannel)))
    facts["facts.clue_channel"] = channel.values()
    level = col.text(get("facts.major.emergency_level"), n)
    d.refuse(np.arange(n), level.given & ~level.isin(get_args(EmergencyLevel)))
    facts["facts.major.emergency_level"] = level.values()
    spans = col.text(get("facts.location.spans"), n)
    d.refuse(np.arange(n), spans.given & ~spans.isin(_SPANS))
    facts["facts.location.spans"] = np.where(spans.given, spans.index_in(_SPANS), _SPANS.index("one_area"))
    other = col.text(get("facts.non_initiation.other_ground"), n)
    facts["facts.non_initiation.other_ground"] = other.given.astype(np.int8)
    # contradictions the case model reports (assess.law.facts.fact_problems): the single path words them
    district = col.text(get("facts.location.district"), n).given
    city = col.text(get("facts.location.districted_city"), n).given
    js, sh = jur == names.index("CN-JS"), jur == names.index("CN-SH")
    d.refuse(np.arange(n), (facts["facts.obligor_agreed_simplified"] == 1) & (facts["facts.obligor_refused_simplified"] == 1)
             | (js & district) | (sh & city)
             | (facts["facts.non_initiation.losses_paid"] == 1) & (facts["facts.non_initiation.already_compensated"] == 0))
    ctx = _Context(store, names, jur0, sub, sub_jur, proc, proc_jur, clue, per_step=on is None)
    return ctx, facts


# -- routing and deadlines ------------------------------------------------------------------------------

def _routing(ctx: _Context, facts: dict[str, np.ndarray], fen: dict[str, np.ndarray], rows: np.ndarray,
             d: _Docket) -> dict[str, np.ndarray]:
    """The six routing decisions of :func:`assess.law.routing.route_case`, on the rows' arrays."""
    store = ctx.store
    j = CodedArray(ctx.proc_jur[rows], ctx.jur_names)
    day = ctx.proc_day[rows]
    f = {k: v[rows] for k, v in facts.items()}
    simple = {k: f[f"facts.{k}"] for k in SIMPLE_CASE_FACTS}
    cat3 = fen["assessment_costs"][rows]
    excl = category_sum({k: fen[k][rows] for k in CATEGORY_KEYS}, EXCLUDING_ASSESSMENT_COSTS)
    criteria = {k: f[f"facts.major.{k}"] for k in JS_MAJOR_CRITERIA if k != "emergency_level"}
    criteria["emergency_level"] = emergency_is_major(list(f["facts.major.emergency_level"]))
    major = decide_major_case(j, criteria, f["facts.major.declared_major"]).code
    who = decide_who_acts(j, CodedArray(np.maximum(f["facts.location.spans"], 0), _SPANS), f["facts.location.national_major_impact"],
                          f["facts.location.escalation_requested"], major)
    given = {k: (f[f"facts.non_initiation.{k}"] == 1) for k in SH14_GROUNDS if k != "other_ground"}
    given["other_ground"] = f["facts.non_initiation.other_ground"] == 1
    non_init = decide_non_initiation(j, given, simple, f["facts.non_initiation.self_repaired"],
                                     f["facts.non_initiation.losses_paid"], np.zeros(rows.size, bool)).code
    assessment = decide_assessment_path(j, simple, f["facts.obligor_refused_simplified"]).code
    cost_ratio = decide_cost_ratio(store, j, day, cat3, excl).code
    consult = decide_consultation_path(store, j, day, excl, assessment, simple, f["facts.obligor_agrees_simplified_consultation"])
    d.refuse(rows, consult.tiers_missing)   # the single path refuses a Jiangsu case without both tiers in force
    return {"who_acts": who, "non_initiation": non_init, "major_case": major, "assessment_path": assessment,
            "cost_ratio": cost_ratio, "consultation_path": consult.code}


def _lookup_on(ctx: _Context, name: str, rows: np.ndarray, step: np.ndarray | None) -> tuple[np.ndarray, list[Any], np.ndarray]:
    """The parameter in force on each row's step date (its rule set then), or on the procedural date:
    (found, params, slot) as :meth:`_Builder.lookup` of :mod:`assess.law.deadlines` finds it."""
    day = ctx.proc_day[rows]
    jur = ctx.proc_jur[rows]
    if step is not None and ctx.per_step:
        given = ~np.isnat(step)
        day = np.where(given, step, day)
        if given.any():
            jur = jur.copy()
            sj, found = _rule_sets(ctx.store, ctx.jur_names, ctx.jur[rows], day, given)
            jur[given] = sj[given]
            missing = given & ~found
        else:
            missing = np.zeros(rows.size, bool)
    else:
        missing = np.zeros(rows.size, bool)
    p = ctx.store.lookup_array(name, CodedArray(jur, ctx.jur_names), day)
    return p.found & ~missing, list(p.params), p.slot


def _deadlines(ctx: _Context, facts: dict[str, np.ndarray], rows: np.ndarray, today: date) -> dict[str, np.ndarray]:
    """The procedural dates of a case without procedure events (:func:`assess.law.deadlines.compute_deadlines`)."""
    m = rows.size
    st = {s: STATUSES.index(s) for s in STATUSES}
    nat = np.full(m, np.datetime64("NaT"), "datetime64[D]")
    out: dict[str, np.ndarray] = {}
    # initial verification: the period of the clue (its rule by the date of the clue)
    clue = ctx.clue[rows]
    found, params, slot = _lookup_on(ctx, "procedure.initial_verification_days", rows, clue)
    rule = [params[s].rule if s >= 0 else None for s in slot]
    binds = decide_initial_verification_binds(rule, facts["facts.clue_referred"][rows], list(facts["facts.clue_channel"][rows]))
    status = np.where(~found, st["not_applicable"], np.where(binds == 0, st["not_applicable"],
                      np.where((binds < 0) | np.isnat(clue), st["cannot_compute"], -1)))
    due = nat.copy()
    todo = np.flatnonzero(status < 0)
    if todo.size:
        counts = np.array([int(params[s].value) for s in slot[todo]], np.int64)
        codes, ends = _per_distinct([col.days(clue[todo]), counts],
                                    lambda x, c: np.datetime64(period_end(date(1970, 1, 1) + timedelta(days=int(x)), int(c),
                                                                          "day", "natural").due, "D"),
                                    ctx.store.memo("docket natural-day period end"))
        for g, sel in _groups(codes, todo):
            e = ends[g]
            if isinstance(e, Exception):
                status[sel] = st["cannot_compute"]
            else:
                due[sel] = e
        ok = todo[~np.isnat(due[todo])]
        status[ok] = deadline_codes(due[ok], today)
    out["initial_verification_status"], out["initial_verification_due"] = status, due
    # report reply: only when a report asked for a claim (no report date: cannot compute)
    asked = facts["facts.citizen_report_requests_claim"][rows] == 1
    found, _, _ = _lookup_on(ctx, "procedure.report_reply_months", rows, None)
    out["report_reply_status"] = np.where(asked & found, st["cannot_compute"], st["not_applicable"])
    out["report_reply_due"] = nat.copy()
    for key, name in (("consultation_notice", "consultation.notice_working_days"),
                      ("consultation_period", "consultation.max_days")):
        found, _, _ = _lookup_on(ctx, name, rows, None)
        out[f"{key}_status"] = np.where(found, st["cannot_compute"], st["not_applicable"])
        out[f"{key}_due"] = nat.copy()
    p = ctx.store.lookup_array("consultation.max_rounds", CodedArray(ctx.proc_jur[rows], ctx.jur_names), ctx.proc_day[rows])
    _, rounds = decide_rounds(np.zeros(m, np.int64), p, np.zeros(m, bool))
    rounds_status = np.where(p.found, np.array([st[s] for s in DEADLINE_STATUSES])[rounds], st["not_applicable"])
    out["consultation_rounds_status"], out["consultation_rounds_due"] = rounds_status, nat.copy()
    out["confirmation_notice_status"] = np.full(m, st["not_applicable"])
    out["confirmation_notice_due"] = nat.copy()
    has_rule = np.array([ctx.jur_names[j] in DEEMED_FAILURE_RULE for j in ctx.proc_jur[rows]], bool)
    out["consultation_state"] = decide_consultation_state(np.zeros(m, bool), rounds_status == st["missed"], has_rule,
                                                          np.zeros(m, bool)).astype(np.int64)
    assert len(CONSULTATION_STATES) == 4
    return out


def deadline_codes(due: np.ndarray, today: date) -> np.ndarray:
    """Status codes (into :data:`STATUSES`) of deadlines not yet done, judged on ``today``."""
    from factors.calendar import deadline_status_array

    code = deadline_status_array(due, np.full(due.shape, np.datetime64("NaT"), "datetime64[D]"), np.datetime64(today, "D"))
    return np.array([STATUSES.index(s) for s in DEADLINE_STATUSES])[code]


# -- liability: the punitive award (no alternative restoration or plan: those go to the single path) --

def _punitive(d: _Docket, ctx: _Context, fen: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(has a claim, award in fen) per case: :func:`assess.law.punitive.compute_punitive`'s award on arrays —
    0 before CC Art. 1232 or when a fact is not established, else ``round(base × multiple)``; a multiple
    above the cap in force without an override is refused (the single path words it)."""
    cases, n = d.cases, d.n
    get = lambda name: d.column(cases, name)  # noqa: E731
    every = np.arange(n)
    has = np.zeros(n, bool)
    for c in cases.columns:
        if str(c).startswith("punitive."):
            has |= col.filled(cases[c])
    reasons = d.tables.get("punitive.reasons")
    n_reasons = np.zeros(n, np.int64)
    if reasons is not None and not reasons.empty:
        pos = d.pos(reasons)
        t = col.text(reasons["value"] if "value" in reasons.columns else None, len(reasons))
        d.refuse(pos, ~t.given | t.odd)
        np.add.at(n_reasons, pos, 1)
        has[pos] = True
    multiple = col.numbers(get("punitive.multiple"), n)
    d.refuse(every, has & (~multiple.given | multiple.odd | (n_reasons == 0)))
    d.refuse(every, col.text(get("punitive.override.reason"), n).odd)
    override = col.text(get("punitive.override.reason"), n).given
    eligible = np.ones(n, bool)
    for k in PUNITIVE_FACTS:
        est, odd = col.bools(get(f"punitive.facts.{k}.established"), n)
        ev = col.text(get(f"punitive.facts.{k}.evidence"), n)
        present = (est >= 0) | ev.given | odd
        d.refuse(every, present & (odd | (est < 0) | ~ev.given | ev.odd))
        eligible &= est == 1
    available = ctx.sub_day >= np.datetime64(CC_1232_FROM, "D")
    cap = ctx.store.lookup_array(CAP, CodedArray(ctx.sub_jur, ctx.jur_names), ctx.sub_day)
    rows = np.flatnonzero(has & available & eligible & cap.found)
    if rows.size:
        codes, over = _per_distinct([cap.slot[rows], multiple.x[rows]],
                                    lambda s, x: Decimal(repr(float(x))) > cap.params[int(s)].value)
        d.refuse(rows, np.array(over, bool)[codes] & ~override[rows])
    award = np.zeros(n, np.int64)
    rows = np.flatnonzero(has & available & eligible & multiple.given)
    base = category_sum({k: fen[k][rows] for k in PUNITIVE_BASE}, PUNITIVE_BASE)
    _fen_into(award, rows, product_fen([Decimals.of_fen(base), multiple.dec.take(rows)]), lambda bad: d.refuse(rows[bad]))
    return has, award


# -- credits 抵扣 (assess.law.credits.apply_credits on arrays) -------------------------------------------------

#: the destinations of money owed, in the order of the rows of _destinations; a credit's orders and default
DESTINATIONS = tuple(FUND_DESTINATIONS)
CREDIT_ORDERS = get_args(Credit.model_fields["ordered_by"].annotation)
CREDIT_DEFAULT_AGAINST = Credit.model_fields["against"].default


def _destinations(n: int, items: _Items | None, costs: _Costs | None, award: np.ndarray) -> np.ndarray:
    """Fen owed per destination and case (rows: :data:`DESTINATIONS`), as :func:`assess.law.funds.fund_lines`
    gives the lines: a counted damage line by :func:`~assess.law.funds.damage_to_treasury`; cost items to the
    department that advanced them; the punitive award to the treasury."""
    owed = np.zeros((len(DESTINATIONS), n), np.int64)
    treasury, fund, department = (DESTINATIONS.index(k) for k in ("treasury", "restoration_fund", "department_recovery"))
    permanent = CATEGORY_KEYS.index("permanent_loss")
    if items is not None:
        for amount, category in ((items.amount, items.category), (items.amount2, items.category2)):
            rows = np.flatnonzero(items.counted & (category >= 0) & (items.pos >= 0))
            to_treasury = damage_to_treasury(category[rows] == permanent, items.restorable[rows])
            np.add.at(owed[treasury], items.pos[rows[to_treasury]], amount[rows[to_treasury]])
            np.add.at(owed[fund], items.pos[rows[~to_treasury]], amount[rows[~to_treasury]])
    if costs is not None:
        np.add.at(owed[department], costs.pos, costs.amount)
    owed[treasury] += award
    return owed


def _credits(d: _Docket, owed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(has credits, fen credited) per case: :func:`assess.law.credits.apply_credits` — each credit in list
    order is ``min(round_fen(base_amount × rate), cap)`` once its conditions are met (``met_on``, no later
    than ``deadline``), else 0, and takes from what is still owed to its ``against`` destination, never below
    0 (the lines of a destination are non-negative here, so taking from them in order takes the same as
    taking from their sum)."""
    n = d.n
    has = np.zeros(n, bool)
    credited = np.zeros(n, np.int64)
    df = d.tables.get("credits")
    if df is None or df.empty:
        return has, credited
    pos, m = d.pos(df), len(df)
    has[pos] = True
    own = _own_positions(df, "credits#", [])
    d.refuse(pos, (own < 0) | _duplicated(pos, np.maximum(own, 0)))
    ident = _required_text(d, df, "id", pos)
    _unique_ids(d, [(pos, ident)])
    for name in ("label", "document", "conditions"):
        _required_text(d, df, name, pos)
    ordered_by = col.text(d.column(df, "ordered_by"), m)
    d.refuse(pos, ordered_by.index_in(CREDIT_ORDERS) < 0)
    against_t = col.text(d.column(df, "against"), m)
    against = np.where(against_t.given, against_t.index_in(DESTINATIONS), DESTINATIONS.index(CREDIT_DEFAULT_AGAINST))
    d.refuse(pos, (against < 0) | against_t.odd)
    base, base_unit = col.numbers(d.column(df, "base_amount.value"), m), col.text(d.column(df, "base_amount.unit"), m)
    d.refuse(pos, ~base.given | base.odd | ~base_unit.given | base_unit.odd)
    rate = col.numbers(d.column(df, "rate"), m)
    d.refuse(pos, rate.odd | (rate.given & (rate.x > 1)))
    cap, cap_unit = col.numbers(d.column(df, "cap.value"), m), col.text(d.column(df, "cap.unit"), m)
    d.refuse(pos, cap.odd | cap_unit.odd | (cap.given != cap_unit.given))
    deadline, odd_deadline = col.dates(d.column(df, "deadline"), m)
    met_on, odd_met = col.dates(d.column(df, "met_on"), m)
    d.refuse(pos, odd_deadline | odd_met)
    # round(base × rate) in fen (no rate: the model's default 1, the base alone)
    rows = np.flatnonzero(base.given & base_unit.given)
    value = np.where(rate.given, _money_fen(d, rows[rate.given[rows]], pos, base, base_unit, rate),
                     _money_fen(d, rows[~rate.given[rows]], pos, base, base_unit))
    capped = value.copy()
    rows = np.flatnonzero(cap.given & cap_unit.given)
    if rows.size:
        cap_fen = _money_fen(d, rows, pos, cap, cap_unit)
        capped[rows] = np.minimum(value[rows], cap_fen[rows])
    met = ~np.isnat(met_on) & (np.isnat(deadline) | (met_on <= deadline))
    # in list order within each case: the k-th credits of all cases at once, k = 0, 1, …
    order = np.lexsort((own, pos))
    rank = np.empty(m, np.int64)
    rank[order] = pd.Series(pos[order]).groupby(pos[order], sort=False).cumcount().to_numpy(np.int64)
    remaining = owed.copy()
    for k in range(int(rank.max(initial=-1)) + 1):
        rows = np.flatnonzero((rank == k) & met)        # at most one row a case
        take = np.minimum(capped[rows], np.maximum(remaining[against[rows], pos[rows]], 0))
        remaining[against[rows], pos[rows]] -= take
        np.add.at(credited, pos[rows], take)
    return has, credited


# -- the engine --------------------------------------------------------------------------------------------

def run_engine(tables: Mapping[str, pd.DataFrame], on: date | None, today: date,
               store: ParameterStore | None = None, positions: Mapping[str, np.ndarray] | None = None) -> EngineResult:
    """The cases of ``tables`` the engine supports, computed on arrays (the others are left to the single path)."""
    store = store or default_store()
    d = _Docket(tables, positions if positions is not None else check_docket(tables))
    n = d.n
    _unsupported(d)
    ctx, facts = _context(d, store, on)
    fen = {k: np.zeros(n, np.int64) for k in CATEGORY_KEYS}
    ids: list[tuple[np.ndarray, col.Text]] = []
    _obligors(d)
    costs = _cost_items(d, fen, ids)
    items = _damage_items(d, ctx, costs)
    if items is not None:
        ids.append((items.pos, items.ids))
        counted = np.flatnonzero(items.counted & (items.category >= 0) & (items.pos >= 0))
        for k, category in enumerate(CATEGORY_KEYS):
            sel = counted[items.category[counted] == k]
            np.add.at(fen[category], items.pos[sel], items.amount[sel])
            sel = counted[items.category2[counted] == k]
            np.add.at(fen[category], items.pos[sel], items.amount2[sel])
    _unique_ids(d, ids)
    claim, award = _punitive(d, ctx, fen)
    has_credits, credited = _credits(d, _destinations(n, items, costs, award))
    rows = np.flatnonzero(~d.out)
    routing = _routing(ctx, facts, fen, rows, d)
    keep = ~d.out[rows]
    rows_k = rows[keep]
    deadlines = _deadlines(ctx, facts, rows_k, today)
    cols: dict[str, np.ndarray] = {"substantive_date": ctx.sub_day[rows_k], "rules_date": ctx.proc_day[rows_k]}
    for k in CATEGORY_KEYS:
        cols[f"{k}_fen"] = fen[k][rows_k]
    cols["rounding_adjustment_fen"] = np.zeros(rows_k.size, np.int64)   # a stated rounding goes to the single path
    cols["total_fen"] = category_sum({k: fen[k][rows_k] for k in CATEGORY_KEYS})
    for name, codes in routing.items():
        cols[name] = np.asarray(codes, np.int64)[keep]
    for name, v in deadlines.items():
        cols[name] = np.asarray(v) if name.endswith("_due") else np.asarray(v, np.int64)
    cols["punitive_fen"] = award[rows_k]
    cols["net_owed_fen"] = cols["total_fen"] + award[rows_k] - credited[rows_k]   # gross − credits
    no_claim = ~claim[rows_k]
    return EngineResult(rows_k, cols, {"punitive_fen": no_claim, "net_owed_fen": no_claim & ~has_credits[rows_k]})
