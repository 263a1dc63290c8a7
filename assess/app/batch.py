"""Batch assessment 批量计算: a DataFrame of cases (one per row) → a DataFrame of results.

:func:`assess_frame` is a pure ``DataFrame → DataFrame`` function, so ``dask.dataframe``'s
``map_partitions`` runs it unchanged (:func:`assess_dask`).  It gives, for every row, the same fen
amounts and routing outcome codes as the single-case path ``assess_case(row_to_case(row))``.

Input columns (one case per row; names follow the case-file fields; unknown columns are refused)
-------------------------------------------------------------------------------------------------

================================================ ======== ===================================================
column                                           kind     case-file field / meaning
================================================ ======== ===================================================
``case_id``                                      text     ``case_id`` (required, unique in the frame)
``jurisdiction``                                 text     ``CN``, ``CN-JS`` or ``CN-SH`` (required)
``incident``                                     date     ``dates.incident`` (required)
``clue_received``, ``assessment_base``           date     ``dates.*``; rules date = ``--on`` else assessment_base
                                                          else clue_received else incident
``element``                                      text     ``element`` of every damage item of the row
``assessment_costs``                             number   cost item, category (3), in 元
``prevention_costs``                             number   cost item, category (5), in 元
``remediation_costs_incurred``                   number   cost item, category (4), in 元 (costs already paid)
``restoration_quantity`` / ``_unit``             num/unit one restoration line (category 4): quantity
``restoration_unit_price`` / ``_unit``           num/unit … × unit price (units must multiply to 元)
``vtc_quantity`` / ``_unit``                     num/unit virtual treatment cost E (t or m³ dimension)
``vtc_unit_cost`` / ``_unit``                    num/unit C (元 per the quantity's dimension; no density)
``vtc_gamma``, ``vtc_gamma_basis``               num/text γ ``{value, basis}``
``vtc_cost_provenance``                          text     ``unit_cost_provenance`` (actual_survey, cost_function,
                                                          reference_cost, literature)
``vtc_category``                                 text     remediation_costs, interim_service_loss, permanent_loss
``vl_unit_value`` / ``_unit``                    num/unit interim value loss V (e.g. 元/(hm²·年)), category (1)
``vl_quantity`` / ``_unit``                      num/unit Q (e.g. hm², 亩)
``vl_loss_fraction``                             number   f in [0, 1]
``vl_start_year``, ``vl_end_year``               year     loss years start … end
``vl_base_year``, ``vl_discount_rate``           yr/num   t_b; r (plain number, 0 ≤ r < 1)
``vl_timing``                                    text     start / mid / end (optional; default: the parameter)
``simple_facts``, ``undisputed_liability``,      bool     ``facts.*`` as nullable booleans (true/false/1/0/
``small_damage``, ``obligor_refused_simplified``,         yes/no/是/否; empty = not established)
``obligor_agrees_simplified_consultation``                (是/否, 对/错, 真/假 as well: the input vocabulary)
================================================ ======== ===================================================

Only ``case_id``, ``jurisdiction`` and ``incident`` are required.  The restoration (``restoration_*``),
VTC (``vtc_*``) and value-loss (``vl_*``) columns come as groups: with one column of a group in the
frame, all of it must be there (``vl_timing`` optional).  A row has an item when any value column of
its group is filled.  Numbers may be numeric columns (their decimal is ``repr`` of the float, the
shortest round-trip form) or text (the decimal as typed).  Empty cells are "not given".

Units: a unit column holds **one unit for the whole frame** (empty cells allowed).  It is checked and
converted once (one factor per column).  A second unit in a column, an unknown unit, or units that
do not multiply to money is a frame error naming the column and the units found: one batch applies
one set of factors, and a mixed column is almost always a sheet assembled from different sources
that should be looked at before it is assessed.

Output columns
--------------

``case_id``; ``rules_date``; ``interim_service_loss_fen``, ``permanent_loss_fen``,
``assessment_costs_fen``, ``remediation_costs_fen``, ``prevention_costs_fen`` and ``total_fen``:
exact amounts in **fen** (分, 0.01 元) as nullable ``Int64`` (NA on a row with an error; use
:func:`fen_to_yuan` for ``"543185.29"`` strings); ``assessment_path`` (simplified / full /
undetermined), ``cost_ratio`` (remind / no_reminder / no_rule) and ``consultation_path``
(direct_sign / simplified_report / full / simplified_allowed / undetermined / no_rule) with the codes
of the single-case path; ``error``: None, or every problem of the row, e.g.
``"row 17: vtc_quantity: expected a non-negative number, got -3"`` (``row`` is the frame's index label).
A bad row never stops the batch.

Routing: the ``assessment_path``, ``cost_ratio`` and ``consultation_path`` codes come from the single
path's own decision functions (:func:`assess.law.routing.decide_assessment_path`,
:func:`~assess.law.routing.decide_cost_ratio`, :func:`~assess.law.routing.decide_consultation_path`) called
on the columns, with their thresholds looked up by :meth:`factors.store.ParameterStore.lookup_array`:
the batch holds no routing rule of its own.

Frame errors (:class:`InputError`): not a DataFrame, missing or unknown columns, duplicate case ids,
a unit column with several units or an unusable unit.

Money: the batch holds no valuation rule of its own.  Each line amount comes from the function the
single case calls on a column of length one: :func:`assess.law.valuation.restoration.line_fen`,
:func:`assess.law.valuation.virtual_cost.vtc_fen`, :func:`assess.law.valuation.value_loss.interim_loss_fen_by_span`
(one sort groups the rows by loss years and timing) and, for a cost item, :func:`factors.money.product_fen`;
all round with :func:`factors.money.round_fen` (float64 away from a half fen, exact at or near one), so
every row equals the Decimal path to the fen.  Totals and "excluding category 3" are
:func:`assess.law.ledger.category_sum`; the value-loss and γ bounds are the case file's
(:func:`assess.law.valuation.common.outside_bounds`).  Thresholds are looked up once per (jurisdiction, period) group: the
periods are cut at every date where an entry used here starts or ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Callable

import numpy as np
import pandas as pd

from assess.app import caseids
from assess.law import codes as model_codes
from assess.law.categories import KEYS as CATEGORY_KEYS
from assess.law.ledger import EXCLUDING_ASSESSMENT_COSTS, category_sum
from assess.law.routing import ROUTING_CODES as ALL_ROUTING_CODES
from assess.law.routing import SIMPLE_CASE_FACTS, decide_assessment_path, decide_consultation_path, decide_cost_ratio
from assess.law.valuation.common import TIMING_BY_OFFSET, Coefficient, outside_bounds
from assess.law.valuation.restoration import line_factor, line_fen
from assess.law.valuation.value_loss import ValueLossInputs, annual_factor, annual_values, interim_loss_fen_by_span
from assess.law.valuation.virtual_cost import CATEGORIES as VTC_ITEM_CATEGORIES, VirtualCostInputs, vtc_fen
from factors import vocabulary
from factors.errors import InputError
from factors.i18n import message
from factors.money import LINE_AMOUNT_EXPECTED, Decimals, Fen, product_fen
from factors.store import CodedArray

__all__ = ["assess_frame", "assess_dask", "row_to_case", "fen_to_yuan", "result_meta", "result_schema", "typed_result",
           "case_id_keys", "INPUT_COLUMNS",
           "OUTPUT_COLUMNS", "FEN_COLUMNS", "ROUTING_CODES"]

# -- the column format -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    kind: str      # text | date | number | unit | year | bool
    group: str     # case | optional | restoration | vtc | value_loss | facts
    required: bool = True   # within its group (case: always)


_COLS = [
    Column("case_id", "text", "case"), Column("jurisdiction", "text", "case"), Column("incident", "date", "case"),
    Column("clue_received", "date", "optional"), Column("assessment_base", "date", "optional"),
    Column("element", "text", "optional"),
    Column("assessment_costs", "number", "optional"), Column("prevention_costs", "number", "optional"),
    Column("remediation_costs_incurred", "number", "optional"),
    Column("restoration_quantity", "number", "restoration"), Column("restoration_quantity_unit", "unit", "restoration"),
    Column("restoration_unit_price", "number", "restoration"),
    Column("restoration_unit_price_unit", "unit", "restoration"),
    Column("vtc_quantity", "number", "vtc"), Column("vtc_quantity_unit", "unit", "vtc"),
    Column("vtc_unit_cost", "number", "vtc"), Column("vtc_unit_cost_unit", "unit", "vtc"),
    Column("vtc_gamma", "number", "vtc"), Column("vtc_gamma_basis", "text", "vtc"),
    Column("vtc_cost_provenance", "text", "vtc"), Column("vtc_category", "text", "vtc"),
    Column("vl_unit_value", "number", "value_loss"), Column("vl_unit_value_unit", "unit", "value_loss"),
    Column("vl_quantity", "number", "value_loss"), Column("vl_quantity_unit", "unit", "value_loss"),
    Column("vl_loss_fraction", "number", "value_loss"), Column("vl_start_year", "year", "value_loss"),
    Column("vl_end_year", "year", "value_loss"), Column("vl_base_year", "year", "value_loss"),
    Column("vl_discount_rate", "number", "value_loss"), Column("vl_timing", "text", "value_loss", required=False),
    *(Column(f, "bool", "facts") for f in ("simple_facts", "undisputed_liability", "small_damage",
                                           "obligor_refused_simplified", "obligor_agrees_simplified_consultation")),
]
COLUMNS = {c.name: c for c in _COLS}
INPUT_COLUMNS = tuple(COLUMNS)
FACT_COLUMNS = tuple(c.name for c in _COLS if c.group == "facts")
#: Value columns whose presence in a row means the row has that item.
ITEM_VALUES = {
    "restoration": ("restoration_quantity", "restoration_unit_price"),
    "vtc": ("vtc_quantity", "vtc_unit_cost", "vtc_gamma"),
    "value_loss": ("vl_unit_value", "vl_quantity", "vl_loss_fraction", "vl_start_year", "vl_end_year",
                   "vl_base_year", "vl_discount_rate"),
}
ITEM_REQUIRED = {
    "restoration": ITEM_VALUES["restoration"] + ("restoration_quantity_unit", "restoration_unit_price_unit"),
    "vtc": ITEM_VALUES["vtc"] + ("vtc_quantity_unit", "vtc_unit_cost_unit", "vtc_gamma_basis", "vtc_cost_provenance",
                                 "vtc_category"),
    "value_loss": ITEM_VALUES["value_loss"] + ("vl_unit_value_unit", "vl_quantity_unit"),
}
COST_COLUMNS = {"assessment_costs": "assessment_costs", "prevention_costs": "prevention_costs",
                "remediation_costs_incurred": "remediation_costs"}

FEN_COLUMNS = tuple(f"{k}_fen" for k in CATEGORY_KEYS) + ("total_fen",)
#: The routing columns and their codes (the outcome codes of :mod:`assess.law.routing`, in its order).
ROUTING_CODES = {name: ALL_ROUTING_CODES[name] for name in ("assessment_path", "cost_ratio", "consultation_path")}
OUTPUT_COLUMNS = ("case_id", "rules_date") + FEN_COLUMNS + tuple(ROUTING_CODES) + ("error",)

TRUE_WORDS, FALSE_WORDS = vocabulary.TRUE_WORDS, vocabulary.FALSE_WORDS   # one list: factors/vocabulary.py
# the codes the model accepts, from the model (assess/law/codes.py)
TIMINGS = model_codes.TIMINGS
VTC_CATEGORIES = VTC_ITEM_CATEGORIES
PROVENANCES = model_codes.choices(VirtualCostInputs, "unit_cost_provenance")
ITEM_IDS = {"restoration": "R1", "vtc": "V1", "value_loss": "L1"}

_EPOCH = date(1970, 1, 1)

# -- helpers on columns --------------------------------------------------------------------------


def _day(d: date) -> int:
    return (d - _EPOCH).days


def _date_of(day: int) -> date:
    return _EPOCH + timedelta(days=int(day))


class _Text:
    """A text column, factorized once: the stripped distinct values (None for empty) and a code per row.

    Checks run on the few distinct values and are spread to the rows through the codes, so a
    million-row column of units or categories costs one hash pass.
    """

    def __init__(self, s: pd.Series | None, n: int):
        if s is None:
            self.codes, self.uniques = np.full(n, -1, np.int64), np.array([None], object)
            return
        codes, uniq = pd.factorize(s, use_na_sentinel=True)
        stripped = [str(u).strip() for u in uniq]
        # code -1 (NA) maps to the appended None
        self.uniques = np.array([u if u else None for u in stripped] + [None], object)
        self.codes = np.where(codes < 0, len(uniq), codes)

    def values(self) -> np.ndarray:
        return self.uniques[self.codes]

    def given(self) -> np.ndarray:
        return np.array([u is not None for u in self.uniques], bool)[self.codes]

    def isin(self, allowed: Any) -> np.ndarray:
        allowed = set(allowed)
        return np.array([u in allowed for u in self.uniques], bool)[self.codes]

    def equals(self, value: str) -> np.ndarray:
        return np.array([u == value for u in self.uniques], bool)[self.codes]

    def distinct(self) -> list[str]:
        # every code of the factorisation occurs in the column: no pass over the rows
        return [u for u in self.uniques if u is not None]

    def index_in(self, categories: tuple[str, ...] | list[str]) -> np.ndarray:
        """Position of each row's value in ``categories`` (-1: empty or not one of them)."""
        pos = {c: i for i, c in enumerate(categories)}
        return np.array([pos.get(u, -1) for u in self.uniques], np.int64)[self.codes]


class _Texts(dict):
    """The text columns of one frame, each factorised once per call (:class:`_Text`; an absent column: all empty)."""

    def __init__(self, df: pd.DataFrame):
        super().__init__()
        self.df = df

    def __missing__(self, name: str) -> _Text:
        t = self[name] = _Text(self.df[name] if name in self.df.columns else None, len(self.df))
        return t


def _text(s: pd.Series) -> pd.Series:
    """Stripped text with NA for empty cells (for date and number columns)."""
    t = s.astype("string").str.strip()
    return t.mask(t == "")


@dataclass
class _Num:
    """A numeric column: float64 values, masks, and the exact decimal text of each cell."""

    x: np.ndarray
    given: np.ndarray
    bad: np.ndarray          # given but not a number of the input vocabulary
    raw: Any                 # the column as typed (for messages and the Decimal path)
    is_text: bool
    reasons: tuple[tuple[np.ndarray, str], ...] = ()   # bad rows with a specific vocabulary message

    def text(self, i: int) -> str:
        v = self.raw[i]
        if self.is_text:
            return str(v).strip()
        if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
            return str(int(v))
        return repr(float(v))

    def dec(self, i: int) -> Decimal:
        return Decimal(self.text(i))


class _Expected(str):
    """A refusal's "expected …" text that keeps its message id and fields, so the error column can give
    it in Chinese (errors.po) as the single case's errors do."""

    msgid: str
    fields: dict[str, Any]

    def __new__(cls, refused: vocabulary.Refused) -> "_Expected":
        out = super().__new__(cls, refused.expected)
        out.msgid, out.fields = refused.msgid, dict(refused.fields)
        return out


def _float_bounds(x: np.ndarray, given: np.ndarray) -> tuple[np.ndarray, tuple[tuple[np.ndarray, str], ...]]:
    """Rows of a float column outside the vocabulary's bounds (10^-30 ≤ |x| < 10^20, or 0), with messages."""
    with np.errstate(invalid="ignore"):
        big = given & np.isfinite(x) & (np.abs(x) >= 1e20)
        tiny = given & np.isfinite(x) & (x != 0) & (np.abs(x) < 10.0 ** vocabulary.MIN_ADJUSTED)
    reasons = tuple((m, e) for m, e in ((big, _Expected(vocabulary.Refused("a number below 10^20 in size"))),
                                        (tiny, _Expected(vocabulary.Refused("zero or a number of at least 10^{e} in size",
                                                                            e=vocabulary.MIN_ADJUSTED)))) if m.any())
    return big | tiny, reasons


def _numbers(s: pd.Series | None, n: int) -> _Num:
    """A number column read by the input vocabulary (:func:`factors.vocabulary.to_decimal`), vectorised:
    numeric columns as they are, text by the vocabulary's patterns (long text or an exponent: value by value)."""
    if s is None:
        z = np.zeros(n, bool)
        return _Num(np.full(n, np.nan), z, z, np.full(n, None, object), False)
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_complex_dtype(s.dtype):
        given = s.notna().to_numpy()
        return _Num(np.full(n, np.nan), given, given.copy(), s.to_numpy(object), False)
    if pd.api.types.is_numeric_dtype(s.dtype):
        x = s.to_numpy(dtype=np.float64, na_value=np.nan)
        given = ~np.isnan(x)
        if pd.api.types.is_integer_dtype(s.dtype) and not s.hasnans:   # exact ints; an unsigned one never wraps
            raw = s.to_numpy(dtype=object) if pd.api.types.is_unsigned_integer_dtype(s.dtype) else s.to_numpy(dtype=np.int64)
        else:
            raw = x
        out, reasons = _float_bounds(x, given)
        return _Num(x, given, given & (~np.isfinite(x) | out), raw, False, reasons)
    t = _text(s)
    given = t.notna().to_numpy()
    plain = t.str.fullmatch(vocabulary.DECIMAL_PATTERN).fillna(False).to_numpy(bool)
    grouped = t.str.fullmatch(vocabulary.GROUPED_PATTERN).fillna(False).to_numpy(bool)
    if grouped.any():
        t = t.where(~grouped, t.str.replace(",", "", regex=False))
    ok = given & (plain | grouped)
    x = pd.to_numeric(t.where(ok), errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = given & (~ok | ~np.isfinite(x))
    # beyond 19 characters or with an exponent, the float cannot tell the bounds: the vocabulary decides
    careful = np.flatnonzero(ok & ((t.str.len().fillna(0).to_numpy() > 19) | t.str.contains("[eE]", regex=True)
                                   .fillna(False).to_numpy(bool)))
    reasons: dict[str, np.ndarray] = {}
    raw = t.to_numpy(object, na_value=None)
    for i in careful:
        try:
            vocabulary.to_decimal(raw[i])
        except vocabulary.Refused as exc:
            bad[i] = True
            reasons.setdefault(_Expected(exc), np.zeros(n, bool))[i] = True
    if s.dtype == object:   # cells typed as Python objects: a bool, bytes or a complex number is not a number
        bad |= s.map(lambda v: isinstance(v, (bool, np.bool_, bytes, complex, np.complexfloating))).to_numpy(bool)
    return _Num(x, given, bad, raw, True, tuple((m, e) for e, m in reasons.items()))


def _per_value(s: pd.Series, read: Callable[[Any], Any]) -> tuple[np.ndarray, list[Any]]:
    """``read`` applied once per distinct cell: (code per row, result per code); -1 codes for empty cells.

    A result is the value read, or the :class:`factors.vocabulary.Refused` of a refused cell."""
    try:
        codes, uniq = pd.factorize(s, use_na_sentinel=True)
        values = list(uniq)
    except TypeError:                        # unhashable cells (a list): value by value
        codes, values = np.arange(len(s)), list(s)
    out: list[Any] = []
    for v in values:
        if vocabulary.is_empty(v):
            out.append(None)
            continue
        try:
            out.append(read(v))
        except vocabulary.Refused as exc:
            out.append(exc.with_traceback(None))     # no frames kept alive (a reference cycle: docket_engine)
    return np.where(codes < 0, len(out), codes), out + [None]


def _refusals(codes: np.ndarray, results: list[Any], n: int) -> tuple[np.ndarray, tuple[tuple[np.ndarray, str], ...]]:
    """(bad rows, (rows, message) per distinct refusal message) of :func:`_per_value`'s results."""
    by_msg: dict[str, list[int]] = {}
    for k, r in enumerate(results):
        if isinstance(r, vocabulary.Refused):
            by_msg.setdefault(_Expected(r), []).append(k)
    bad = np.zeros(n, bool)
    reasons = []
    for msg, ks in by_msg.items():
        mask = np.isin(codes, ks)
        bad |= mask
        reasons.append((mask, msg))
    return bad, tuple(reasons)


def _dates(s: pd.Series | None, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any, tuple[tuple[np.ndarray, str], ...]]:
    """(day numbers, given, bad, raw, (rows, message) per refusal) of a date column read by the input
    vocabulary (:func:`factors.vocabulary.to_date`): datetime64 (any unit, time zones kept as written),
    date objects or YYYY-MM-DD text; never a number, never a time of day; no datetime64[ns] round trip,
    so any year 1–9999 keeps its day."""
    if s is None:
        z = np.zeros(n, bool)
        return np.zeros(n, np.int64), z, z, None, ()
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        v = (s.dt.tz_localize(None) if getattr(s.dtype, "tz", None) is not None else s).to_numpy()
        given = ~np.isnat(v)
        day = v.astype("datetime64[D]")
        timed = given & (day.astype(v.dtype) != v)
        raw = np.array([None if not t else pd.Timestamp(x).isoformat(sep=" ") for x, t in zip(v, timed, strict=True)],
                       object) if timed.any() else None
        reasons = ((timed, "a date without a time of day"),) if timed.any() else ()
        return np.where(given & ~timed, day.astype(np.int64), 0), given & ~timed, timed, raw, reasons
    codes, results = _per_value(s, lambda v: _day(vocabulary.to_date(v)))
    table = np.array([r if isinstance(r, int) else 0 for r in results], np.int64)
    ok = np.array([isinstance(r, int) for r in results], bool)
    bad, reasons = _refusals(codes, results, n)
    raw = s.to_numpy(object)
    raw = np.array([v.strip() if isinstance(v, str) else v for v in raw], object) if bad.any() else raw
    return table[codes], ok[codes], bad, raw, reasons


#: ``pandas.api.types.infer_dtype`` kinds whose cells are all plain values (no per-cell check needed).
_PLAIN_KINDS = {"string", "empty", "integer", "floating", "mixed-integer-float", "decimal", "boolean", "date",
                "datetime", "datetime64"}
_CELL_TYPES = (str, bool, int, float, Decimal, date, np.bool_, np.integer, np.floating, np.datetime64)


def _odd(v: Any) -> bool:
    """A cell no batch column can hold: a list, dict, bytes, a complex number or any other object."""
    if v is None or v is pd.NA or v is pd.NaT:
        return False
    return not isinstance(v, _CELL_TYPES)


def _scrub(df: pd.DataFrame, err: "_Errors") -> pd.DataFrame:
    """Per-row errors for cells that are not one plain value; those cells then count as empty.

    A list or dict in a cell raised TypeError (unhashable) out of the frame; a complex number lost
    its imaginary part (numpy's ComplexWarning) and bytes were read as a number.  Returns ``df``
    itself when every cell is plain (the caller's frame is never modified).
    """
    out = df
    for name in df.columns:
        s = df[name]
        if pd.api.types.is_complex_dtype(s.dtype):
            mask = s.notna().to_numpy(bool)
            err.add(mask, str(name), "a real number", s.to_numpy(object))
            clean: pd.Series = pd.Series(np.nan, index=df.index, dtype=np.float64)
        elif s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) not in _PLAIN_KINDS:
            mask = s.map(_odd).to_numpy(bool)
            if not mask.any():
                continue
            vals = s.to_numpy(object)
            err.add(mask, str(name), "one value (a number, text or date)",
                    lambda i, vals=vals: f"{type(vals[i]).__name__} {str(vals[i])[:40]}")
            clean = s.mask(mask, None)
        else:
            continue
        if out is df:
            out = df.copy(deep=False)
        out[name] = clean
    return out


def _bools(s: pd.Series | None, n: int) -> tuple[np.ndarray, np.ndarray, Any]:
    """(-1 not given / 0 false / 1 true as int8, bad, raw) of a facts column, read by the input
    vocabulary (:func:`factors.vocabulary.to_bool`: 是/否, 对/错, 真/假, true/false, yes/no, 1/0)."""
    if s is None:
        return np.full(n, -1, np.int8), np.zeros(n, bool), None
    if s.dtype == bool:
        return s.to_numpy().astype(np.int8), np.zeros(n, bool), None
    if isinstance(s.dtype, pd.BooleanDtype):
        v = s.to_numpy(dtype=np.int8, na_value=-1)
        return v, np.zeros(n, bool), None
    codes, results = _per_value(s, vocabulary.to_bool)
    table = np.array([int(r) if isinstance(r, bool) else -1 for r in results], np.int8)
    bad, _ = _refusals(codes, results, n)
    raw = s.to_numpy(object)
    return table[codes], bad, np.array([v.strip() if isinstance(v, str) else v for v in raw], object) if bad.any() else raw


def _shown(v: Any) -> str:
    if isinstance(v, str):
        return repr(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)
    return str(v)


class _Errors:
    """Per-row problems: recorded by mask (vectorised), formatted only for the rows that have one.

    ``expected`` and a single problem are message ids of the ``errors`` catalogue (``{field}``s filled
    from ``fields``), so the error column is in the language asked for (:meth:`messages`)."""

    def __init__(self, n: int, lang: str = "en"):
        self.n, self.lang = n, lang
        self.checks: list[tuple[np.ndarray, str, str, Callable[[int], Any] | None, dict[str, Any]]] = []
        self.single: dict[int, list[tuple[str, dict[str, Any]]]] = {}

    def add(self, mask: np.ndarray, column: str, expected: str, got: Callable[[int], Any] | Any = None,
            **fields: Any) -> None:
        if mask.any():
            self.checks.append((mask, column, expected, got if callable(got) or got is None else (lambda i, g=got: g[i]),
                                fields))

    def one(self, i: int, msgid: str, **fields: Any) -> None:
        self.single.setdefault(i, []).append((msgid, fields))

    def any(self) -> np.ndarray:
        out = np.zeros(self.n, bool)
        for mask, *_ in self.checks:
            out |= mask
        out[list(self.single)] = True
        return out

    def messages(self, index: pd.Index, lang: str = "en") -> np.ndarray:
        """The ``error`` column: None, or 'row 17: column: expected …, got …; …' in ``lang`` (``zh``:
        '第 17 行：…；…'; ``both``: the Chinese, then ' / ' and the English)."""
        if lang == "both":
            zh, en = self.messages(index, "zh"), self.messages(index, "en")
            return np.array([z if z is None or z == e else f"{z} / {e}" for z, e in zip(zh, en, strict=True)] or [], object)
        out = np.full(self.n, None, object)
        rows = np.flatnonzero(self.any())
        if rows.size == 0:
            return out
        parts: dict[int, list[str]] = {int(i): [] for i in rows}
        for mask, column, expected, got, fields in self.checks:
            if isinstance(expected, _Expected) and expected.fields:   # a vocabulary refusal: its own message id
                expected, fields = expected.msgid, {**expected.fields, **fields}
            exp = message("errors", expected, lang, **fields) if fields else message("errors", expected, lang)
            for i in np.flatnonzero(mask):
                if got is None:
                    parts[int(i)].append(message("errors", "{path}: expected {expected}", lang, path=column, expected=exp))
                else:
                    parts[int(i)].append(message("errors", "{path}: expected {expected}, got {got}", lang, path=column,
                                                 expected=exp, got=_shown(got(int(i)))))
        for i, texts in self.single.items():
            parts[i].extend(message("errors", msgid, lang, **fields) for msgid, fields in texts)
        sep = "；" if lang == "zh" else "; "
        for i, texts in parts.items():
            out[i] = message("errors", "row {row}: {problems}", lang, row=index[i], problems=sep.join(texts))
        return out


# -- amounts: the valuation functions on columns --------------------------------------------------

def _decimals(num: _Num) -> Decimals:
    """A number column as exact decimals (typed text as typed; a float by its repr; an int exactly)."""
    if num.is_text:
        return Decimals.from_text(num.x, num.raw)
    return Decimals.from_floats(num.x, num.dec)


def _add(target: np.ndarray, rows: np.ndarray, amounts: Fen, err: _Errors, column: str) -> None:
    """Add the line amounts of ``rows`` to a category column; a row without an int64 fen gets an error."""
    target[rows] += amounts.fen
    for k, exc in amounts.failed.items():
        err.one(int(rows[k]), "{column}: cannot compute the amount ({reason})", column=column, reason=exc)
    for k, f in amounts.big.items():   # as assess_case
        err.one(int(rows[k]), "{path}: expected {expected}, got {got}", path=column,
                expected={"zh": message("errors", LINE_AMOUNT_EXPECTED, "zh"), "en": LINE_AMOUNT_EXPECTED}, got=f"{f / 100:.6g} 元")


# -- rules looked up once per (jurisdiction, period) -----------------------------------------------

# -- the batch ---------------------------------------------------------------------------------------

def check_frame(df: Any) -> None:
    """Raise :class:`InputError` for a frame unusable as a whole (not a frame, unknown, duplicated or missing
    columns, duplicate case ids)."""
    _check_frame(df)


def _check_frame(df: Any) -> bool | None:
    """:func:`check_frame`; returns whether a case id is padded with white space when it had to find out
    (None: not looked at), so that :func:`_id_text` need not scan the ids again."""
    if not isinstance(df, pd.DataFrame):
        raise InputError("(frame)", "a pandas DataFrame with one case per row", type(df).__name__)
    cols = [str(c) for c in df.columns]
    dup_cols = sorted({c for c in cols if cols.count(c) > 1})
    if dup_cols:
        raise InputError("(columns)", "each column once", ", ".join(dup_cols))
    unknown = [c for c in cols if c not in COLUMNS]
    if unknown:
        raise InputError("(columns)", f"only the batch columns ({', '.join(INPUT_COLUMNS)})", ", ".join(unknown))
    present = set(cols)
    missing = [c.name for c in _COLS if c.group == "case" and c.name not in present]
    for group in ("restoration", "vtc", "value_loss"):
        members = [c for c in _COLS if c.group == group]
        if any(c.name in present for c in members):
            missing += [c.name for c in members if c.required and c.name not in present]
    if missing:
        raise InputError("(columns)", "the required columns (case_id, jurisdiction, incident; and the whole group of "
                         "an item's columns)", "missing " + ", ".join(missing))
    raw = df["case_id"]
    if raw.dtype == object and pd.api.types.infer_dtype(raw, skipna=True) not in _PLAIN_KINDS:
        raw = raw.mask(raw.map(_odd).to_numpy(bool), None)   # a list or dict id: a row error, later
    if raw.is_unique:
        padded = _padded(raw)
        if not padded:
            return padded
    ids = _text(raw)
    dups = ids[ids.duplicated(keep=False) & ids.notna()]
    if len(dups):
        shown = ", ".join(map(str, pd.unique(dups)[:10]))
        raise InputError("case_id", "unique case ids", f"{dups.nunique()} duplicated: {shown}")
    return None


def _padded(s: pd.Series) -> bool:
    """Whether any cell has leading or trailing white space (pyarrow kernels: no Python loop)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(s, from_pandas=True)
        if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
            arr = pc.cast(arr, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        return True   # mixed cells (or an int beyond 64 bits): take the careful path
    trimmed = pc.utf8_trim_whitespace(arr)
    return bool(pc.any(pc.not_equal(pc.utf8_length(trimmed), pc.utf8_length(arr))).as_py())


def _unit(texts: _Texts, name: str) -> str | None:
    """The one unit of a unit column (None if the column is absent or empty); several → frame error."""
    if name not in texts.df.columns:
        return None
    units = texts[name].distinct()
    if len(units) > 1:
        raise InputError(name, "one unit for the whole column (convert the rows, or split the batch)",
                         "several units: " + ", ".join(map(str, units)))
    return str(units[0]) if len(units) else None


def _factors(texts: _Texts) -> dict[str, Any]:
    """Unit checks and exact factors, once per column (frame errors)."""
    from assess.law.valuation.virtual_cost import basis_of
    from factors.errors import UnitError
    from factors.units import check_dimension, check_unit, exact_factor

    out: dict[str, Any] = {}
    uq, up = _unit(texts, "restoration_quantity_unit"), _unit(texts, "restoration_unit_price_unit")
    if uq and up:
        check_unit(uq, "restoration_quantity_unit")
        check_unit(up, "restoration_unit_price_unit")
        out["restoration"] = line_factor(uq, up, "restoration_unit_price_unit")
    ue, uc = _unit(texts, "vtc_quantity_unit"), _unit(texts, "vtc_unit_cost_unit")
    if ue and uc:
        try:
            e_dim = basis_of(ue, "t", "m³", "a mass (t, kg) or a volume (m³, L)")
        except ValueError as exc:
            raise UnitError("vtc_quantity_unit", str(exc).removeprefix("expected "), None) from None
        try:
            basis = basis_of(uc, "元/t", "元/m³", "a cost per mass or per volume (元/t, 元/m³)")
        except ValueError as exc:
            raise UnitError("vtc_unit_cost_unit", str(exc).removeprefix("expected "), None) from None
        basis = basis.removeprefix("元/")
        if basis != e_dim:
            raise UnitError("vtc_unit_cost_unit", f"a cost per {e_dim} to match vtc_quantity_unit {ue!r} (a batch has "
                            "no density column: convert t ↔ m³ before, or use assess run)", uc)
        out["vtc"] = (e_dim, exact_factor(ue, e_dim, "vtc_quantity_unit"),
                      exact_factor(uc, f"元/{e_dim}", "vtc_unit_cost_unit"))
    uv, uqv = _unit(texts, "vl_unit_value_unit"), _unit(texts, "vl_quantity_unit")
    if uv and uqv:
        check_dimension(uqv, uqv, "vl_quantity_unit")
        check_unit(uv, "vl_unit_value_unit")
        out["value_loss"] = annual_factor(uv, uqv, "vl_unit_value_unit")
    out["units"] = {"restoration": (uq, up), "vtc": (ue, uc), "value_loss": (uv, uqv)}
    return out


def assess_frame(df: pd.DataFrame, *, on: date | None = None, today: date | None = None,
                 cost_ratio_threshold: Decimal | str | None = None, lang: str = "en") -> pd.DataFrame:
    """Assess every row of ``df`` (the column format of this module's docstring) → one result row each.

    ``on`` applies the rules in force on that date to every row (default: each row's rules date);
    ``cost_ratio_threshold`` overrides the JS-(七) policy default for the run, as in
    :func:`assess.app.api.assess_case`.  ``today`` is accepted for symmetry with ``assess_case``; the batch
    output has no deadline columns, so it changes nothing.  Raises :class:`InputError` only for a
    frame that is unusable as a whole; row problems go to the ``error`` column, in ``lang`` (``en``,
    ``zh`` or ``both``: the errors catalogue, as the single case's errors).
    """
    from assess.app.api import parse_threshold
    from factors.store import default_store

    padded = _check_frame(df)
    threshold = parse_threshold(cost_ratio_threshold)
    store = default_store()
    n = len(df)
    err = _Errors(n, lang)
    scrubbed = _scrub(df, err)
    if scrubbed is not df:
        padded = None     # a case id cell was cleared: look again
    df = scrubbed
    texts = _Texts(df)
    factors = _factors(texts)
    col = lambda name: df[name] if name in df.columns else None  # noqa: E731

    # -- case, jurisdiction, dates --------------------------------------------------------------
    ids = df["case_id"]
    id_text = ids.astype("string")
    if padded is not False:        # white space only is empty too (no id is padded: nothing to strip)
        id_text = id_text.str.strip()
    err.add((ids.isna().to_numpy(bool) | (id_text == "").to_numpy(bool, na_value=False))
            & ~err_mask_of(err, "case_id"), "case_id", "a non-empty case id")
    jurs = sorted(store.jurisdictions)
    jtext = texts["jurisdiction"]
    jur = jtext.index_in(jurs)
    err.add(jur < 0, "jurisdiction", "one of {choices}", lambda i: jtext.values()[i], choices=", ".join(jurs))
    dates = {}
    for name in ("incident", "clue_received", "assessment_base"):
        days, given, bad, raw, reasons = _dates(col(name), n)
        for mask, expected in reasons:
            err.add(mask, name, expected, raw)
        dates[name] = (days, given)
    inc, inc_given = dates["incident"]
    err.add(~inc_given & ~err_mask_of(err, "incident"), "incident", "a date (dates.incident)")
    clue, clue_given = dates["clue_received"]
    base, base_given = dates["assessment_base"]
    err.add(clue_given & inc_given & (clue < inc), "clue_received", "a date on or after incident",
            lambda i: _date_of(clue[i]).isoformat())
    if on is not None:
        rules = np.full(n, _day(on), np.int64)
    else:
        rules = np.where(base_given, base, np.where(clue_given, clue, inc))
    rules_ok = inc_given | (on is not None)
    # before a province's own rule set, the national one applies (as in assess_case: ParameterStore.rule_set_for)
    def in_force(days: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, dict[int, np.ndarray]]:
        """The jurisdiction whose rule set is in force on each row's date, and per code the rows with none."""
        applied, outside = jur.copy(), {}
        for j, code in enumerate(jurs):
            info = store.jurisdictions[code]
            lo, hi = _day(info["rule_set_valid_from"]), _day(info["rule_set_valid_to"])
            rows = (jur == j) & mask
            todo = rows & (days < lo)
            for parent in store.chain(code)[1:]:
                pinfo = store.jurisdictions[parent]
                plo, phi = _day(pinfo["rule_set_valid_from"]), _day(pinfo["rule_set_valid_to"])
                hit = todo & (days >= plo) & (days <= phi)
                applied[hit] = jurs.index(parent)
                todo &= ~hit & (days < plo)
            outside[j] = rows & (todo | (days > hi))
        return applied, outside

    applied, outside = in_force(rules, rules_ok)
    # substantive rules (categories, methods) by the date of the damage, as the single path applies them
    _, outside_inc = in_force(inc, inc_given & (on is None))
    for j, code in enumerate(jurs):
        info = store.jurisdictions[code]
        window = {"code": code, "start": info["rule_set_valid_from"], "end": info["rule_set_valid_to"]}
        err.add(outside[j], "rules date", "a date in the {code} rule set window {start}–{end}, or before it in a parent's "
                "(--on / assessment_base / clue_received / incident)", lambda i: _date_of(rules[i]).isoformat(), **window)
        err.add(outside_inc[j] & ~outside[j], "incident", "a date in the {code} rule set window {start}–{end}, or before "
                "it in a parent's (substantive rules apply on the damage date)", lambda i: _date_of(inc[i]).isoformat(),
                **window)
    jur = applied
    jur0 = np.where(jur < 0, 0, jur)

    # -- facts ----------------------------------------------------------------------------------
    facts = {}
    for name in FACT_COLUMNS:
        v, bad, raw = _bools(col(name), n)
        err.add(bad, name, vocabulary.BOOL_EXPECTED, raw)
        facts[name] = v

    # -- line items -----------------------------------------------------------------------------
    fen = {k: np.zeros(n, np.int64) for k in CATEGORY_KEYS}
    nums = {c.name: _numbers(col(c.name), n) for c in _COLS if c.kind in ("number", "year")}
    for name, num in nums.items():
        generic = num.bad.copy()
        for mask, expected in num.reasons:
            err.add(mask, name, expected, num.raw)
            generic &= ~mask
        err.add(generic, name, "a finite number", num.raw)

    def non_negative(name: str, rows_mask: np.ndarray) -> None:
        num = nums[name]
        with np.errstate(invalid="ignore"):
            err.add(rows_mask & num.given & ~num.bad & (num.x < 0), name, "a non-negative number", num.x)

    def usable(*names: str) -> np.ndarray:
        ok = np.ones(n, bool)
        for name in names:
            ok &= nums[name].given & ~nums[name].bad
        return ok

    for name, category in COST_COLUMNS.items():
        num = nums[name]
        non_negative(name, np.ones(n, bool))
        rows = np.flatnonzero(usable(name) & (num.x >= 0))
        _add(fen[category], rows, product_fen([_decimals(num).take(rows)]), err, name)

    present = {}
    for group, values in ITEM_VALUES.items():
        has = np.zeros(n, bool)
        for name in values:
            has |= nums[name].given | nums[name].bad
        present[group] = has
        for name in ITEM_REQUIRED[group]:
            if name in nums:
                err.add(has & ~nums[name].given & ~nums[name].bad, name, "a value (the row has a {group} item)", group=group)
            elif name in df.columns:
                err.add(has & ~texts[name].given(), name, "a value (the row has a {group} item)", group=group)
    any_item = present["restoration"] | present["vtc"] | present["value_loss"]
    from assess.law.valuation.base import ELEMENT_LABELS

    elements = texts["element"]
    err.add(any_item & ~elements.given(), "element", "an environmental element for the damage items")
    err.add(any_item & elements.given() & ~elements.isin(ELEMENT_LABELS), "element",
            "one of {choices}", lambda i: elements.values()[i], choices=", ".join(ELEMENT_LABELS))

    # restoration line: q × p (category 4)
    if "restoration" in factors:
        f = factors["restoration"]
        non_negative("restoration_quantity", present["restoration"])
        non_negative("restoration_unit_price", present["restoration"])
        q, p = nums["restoration_quantity"], nums["restoration_unit_price"]
        ok = present["restoration"] & usable("restoration_quantity", "restoration_unit_price") & (q.x >= 0) & (p.x >= 0)
        rows = np.flatnonzero(ok)
        _add(fen["remediation_costs"], rows, line_fen(_decimals(q).take(rows), _decimals(p).take(rows), f), err,
             "restoration_unit_price")

    # virtual treatment cost: E × C × γ (the row's category)
    if "vtc" in factors:
        _, fe, fc = factors["vtc"]
        for name in ("vtc_quantity", "vtc_unit_cost"):
            non_negative(name, present["vtc"])
        has = present["vtc"]
        e, c, g = nums["vtc_quantity"], nums["vtc_unit_cost"], nums["vtc_gamma"]
        g_out = outside_bounds(g.x, Coefficient, "value")     # γ {value ≥ 0, basis} as in the case file
        err.add(has & g.given & ~g.bad & g_out, "vtc_gamma", "a non-negative number", g.x)
        basis, prov, cat = texts["vtc_gamma_basis"], texts["vtc_cost_provenance"], texts["vtc_category"]
        err.add(has & prov.given() & ~prov.isin(PROVENANCES), "vtc_cost_provenance",
                "one of {choices}", lambda i: prov.values()[i], choices=", ".join(PROVENANCES))
        err.add(has & cat.given() & ~cat.isin(VTC_CATEGORIES), "vtc_category",
                "one of {choices}", lambda i: cat.values()[i], choices=", ".join(VTC_CATEGORIES))
        err.add(has & inc_given & (inc < _day(date(1900, 1, 1))), "incident",
                "a damage date from 1900 (vtc.method_version)")
        ok = (has & usable("vtc_quantity", "vtc_unit_cost", "vtc_gamma") & (e.x >= 0) & (c.x >= 0) & ~g_out
              & basis.given() & prov.isin(PROVENANCES) & cat.isin(VTC_CATEGORIES))
        rows = np.flatnonzero(ok)
        amounts = vtc_fen(_decimals(e).take(rows), _decimals(c).take(rows), _decimals(g).take(rows), fe, fc)
        which = cat.index_in(VTC_CATEGORIES)[rows]
        for k, category in enumerate(VTC_CATEGORIES):
            part = np.flatnonzero(which == k)
            _add(fen[category], rows[part], amounts.take(part), err, "vtc_gamma")

    # interim value loss (category 1)
    if "value_loss" in factors:
        _value_loss(texts, nums, present["value_loss"], factors["value_loss"], err, fen, store, jurs, jur0, rules,
                    rules_ok & (jur >= 0))

    # -- ledger and routing ---------------------------------------------------------------------
    bad = err.any()
    total = category_sum(fen)
    cat3 = fen["assessment_costs"]
    excl = category_sum(fen, EXCLUDING_ASSESSMENT_COSTS)
    routing = _route(store, jurs, jur0, rules, facts, excl, cat3, threshold, err, ~bad & (jur >= 0))
    bad = err.any()
    return _result(df, padded, rules, rules_ok, fen, total, routing, bad, err)


def err_mask_of(err: _Errors, column: str) -> np.ndarray:
    """Rows already reported for ``column`` (so a bad date is not also reported as missing)."""
    out = np.zeros(err.n, bool)
    for mask, c, *_ in err.checks:
        if c == column:
            out |= mask
    return out


def _value_loss(texts: _Texts, nums: dict[str, _Num], has: np.ndarray, factor: Fraction,
                err: _Errors, fen: dict[str, np.ndarray], store: Any, jurs: list[str], jur: np.ndarray, rules: np.ndarray,
                rules_ok: np.ndarray) -> None:
    v, q, lf, r = nums["vl_unit_value"], nums["vl_quantity"], nums["vl_loss_fraction"], nums["vl_discount_rate"]
    for name in ("vl_unit_value", "vl_quantity"):
        with np.errstate(invalid="ignore"):
            err.add(has & nums[name].given & (nums[name].x < 0), name, "a non-negative number", nums[name].x)
    # the bounds of the case file's fields (ValueLossInputs), checked on the columns
    lf_out = outside_bounds(lf.x, ValueLossInputs, "loss_fraction")
    r_out = outside_bounds(r.x, ValueLossInputs, "discount_rate")
    err.add(has & lf.given & ~lf.bad & lf_out, "vl_loss_fraction", "a fraction in [0, 1]", lf.x)
    err.add(has & r.given & ~r.bad & r_out, "vl_discount_rate", "a plain rate per year with 0 ≤ r < 1 (0.03 for 3 %)", r.x)
    years = {}
    for name in ("vl_start_year", "vl_end_year", "vl_base_year"):
        y = nums[name]
        with np.errstate(invalid="ignore"):
            wrong = has & y.given & ~y.bad & ((y.x != np.floor(y.x)) | outside_bounds(y.x, ValueLossInputs, name[3:]))
        err.add(wrong, name, "a whole year from 1900 to 2200", y.x)
        years[name] = np.where(y.given & ~y.bad & ~wrong, y.x, 0).astype(np.int64)
    start, end, base = years["vl_start_year"], years["vl_end_year"], years["vl_base_year"]
    ok_years = (start > 0) & (end > 0) & (base > 0)
    err.add(has & ok_years & (end < start), "vl_end_year", "a year ≥ vl_start_year", nums["vl_end_year"].x)
    timing_text = texts["vl_timing"]
    err.add(has & timing_text.given() & ~timing_text.isin(TIMINGS), "vl_timing",
            "start, mid or end (or empty for the default)", lambda i: timing_text.values()[i])
    timing = timing_text.index_in(TIMINGS)   # -1: the parameter
    need_default = has & (timing < 0) & ~timing_text.given() & rules_ok
    if need_default.any():   # the dated parameter, looked up on arrays as the single path looks it up
        rows_d = np.flatnonzero(need_default)
        found = store.lookup_array("valuation.discounting.timing_offset",
                                   CodedArray(jur[rows_d].astype(np.int64), tuple(jurs)), rules[rows_d])
        codes = np.array([TIMINGS.index(TIMING_BY_OFFSET[p.value]) if p.value in TIMING_BY_OFFSET else -1
                          for p in found.params] + [-1], np.int64)
        timing[rows_d] = codes[np.where(found.slot >= 0, found.slot, len(found.params))]
        for k in np.flatnonzero(timing[rows_d] < 0):
            why = found.param_or_why(int(k))
            err.one(int(rows_d[k]), "vl_timing: expected start, mid or end ({reason})", reason=why)
    ok = (has & ok_years & (end >= start) & (timing >= 0) & v.given & q.given & lf.given & r.given
          & ~v.bad & ~q.bad & ~lf.bad & ~r.bad)
    with np.errstate(invalid="ignore"):
        ok &= (v.x >= 0) & (q.x >= 0) & ~lf_out & ~r_out
    rows = np.flatnonzero(ok)
    annual = annual_values(_decimals(v).take(rows), _decimals(q).take(rows), factor)
    amounts = interim_loss_fen_by_span(annual, _decimals(lf).take(rows), start[rows], end[rows], base[rows],
                                       _decimals(r).take(rows), timing[rows])
    _add(fen["interim_service_loss"], rows, amounts, err, "vl_unit_value")


def _route(store: Any, jurs: list[str], jur: np.ndarray, rules: np.ndarray, facts: dict[str, np.ndarray],
           excl: np.ndarray, cat3: np.ndarray, threshold: Decimal | None, err: _Errors, ok: np.ndarray) -> dict[str, np.ndarray]:
    """The three routing outcome codes: the ``decide_*`` functions of :mod:`assess.law.routing` on the columns."""
    j = CodedArray(jur.astype(np.int64), tuple(jurs))
    simple = {k: facts[k] for k in SIMPLE_CASE_FACTS}
    assessment = decide_assessment_path(j, simple, facts["obligor_refused_simplified"]).code
    cost_ratio = decide_cost_ratio(store, j, rules, cat3, excl, threshold).code
    consultation = decide_consultation_path(store, j, rules, excl, assessment, simple,
                                            facts["obligor_agrees_simplified_consultation"])
    for i in np.flatnonzero(ok & consultation.tiers_missing):
        for p in (consultation.direct_sign, consultation.report):
            if not p.found[i]:
                err.one(int(i), "consultation_path: {reason}", reason=p.why(int(i)))
    return {"assessment_path": assessment, "cost_ratio": cost_ratio, "consultation_path": consultation.code}


def _result(df: pd.DataFrame, padded: bool | None, rules: np.ndarray, rules_ok: np.ndarray, fen: dict[str, np.ndarray],
            total: np.ndarray, routing: dict[str, np.ndarray], bad: np.ndarray, err: _Errors) -> pd.DataFrame:
    # ids as text: a column mixing numbers and text (common in xlsx) could not be written to parquet
    out: dict[str, Any] = {"case_id": _id_text(df["case_id"], padded)}
    r = rules.astype("datetime64[D]").astype("datetime64[s]")
    r[bad | ~rules_ok] = np.datetime64("NaT")
    out["rules_date"] = r
    for k in CATEGORY_KEYS:
        out[f"{k}_fen"] = pd.arrays.IntegerArray(fen[k], bad.copy())
    out["total_fen"] = pd.arrays.IntegerArray(total, bad.copy())
    for name, codes in routing.items():
        out[name] = pd.Categorical.from_codes(np.where(bad, -1, codes), categories=list(ROUTING_CODES[name]))
    result = pd.DataFrame(out, index=df.index)
    result["error"] = pd.Series(err.messages(df.index, err.lang), index=df.index, dtype=object)
    return result


def _id_text(ids: pd.Series, padded: bool | None = None) -> Any:
    """Case ids as stripped text, typed ``string`` (NA for empty).  A text column without padding
    (``padded``: already known from :func:`_check_frame`) stays in its Arrow buffers: the ids never
    become Python objects (issue 18: that round trip was 18 % of the batch)."""
    if len(ids) == 0:
        return pd.array([], dtype="string")
    if isinstance(ids.dtype, pd.StringDtype) or pd.api.types.infer_dtype(ids, skipna=True) == "string":
        if padded is None:
            padded = _padded(ids)
        if not padded:
            text = ids.astype("string")
            return text.mask(text == "").array
    return pd.array(_Text(ids, len(ids)).values(), dtype="string")


def case_id_keys(ids: pd.Series) -> np.ndarray:
    """The case ids as :func:`check_frame` compares them (stripped text; None for an empty or unusable cell)."""
    raw = ids
    if raw.dtype == object and pd.api.types.infer_dtype(raw, skipna=True) not in _PLAIN_KINDS:
        raw = raw.mask(raw.map(_odd).to_numpy(bool), None)   # a list or dict id: a row error, not an id
    return _text(raw).to_numpy(object, na_value=None)


#: The text columns of a result: typed ``string`` where a result must be typed (Dask's meta, parquet).
TEXT_OUTPUT = ("case_id", "error")


def result_schema() -> Any:
    """The Arrow schema of a result frame: every column typed (an all-empty ``error`` chunk is still text)."""
    import pyarrow as pa

    fields = [pa.field("case_id", pa.string()), pa.field("rules_date", pa.timestamp("s"))]
    fields += [pa.field(c, pa.int64()) for c in FEN_COLUMNS]
    fields += [pa.field(c, pa.dictionary(pa.int8(), pa.string())) for c in ROUTING_CODES]
    fields.append(pa.field("error", pa.string()))
    return pa.schema(fields)


def typed_result(out: pd.DataFrame) -> pd.DataFrame:
    """A result frame with its text columns as pandas ``string`` (no untyped object column)."""
    return out.astype({c: "string" for c in TEXT_OUTPUT})


def result_meta(typed: bool = False) -> pd.DataFrame:
    """An empty result frame with the output dtypes (``meta`` for dask; ``typed``: as :func:`typed_result`)."""
    empty = pd.DataFrame({"case_id": pd.Series([], dtype=object), "jurisdiction": pd.Series([], dtype=object),
                          "incident": pd.Series([], dtype="datetime64[s]")})
    out = assess_frame(empty)
    return typed_result(out) if typed else out


def _assess_partition(df: pd.DataFrame, checked: bool = True, **kw: Any) -> pd.DataFrame:
    """One partition of :func:`assess_dask` (``checked``: the docket-wide id check, a task it waits for)."""
    return typed_result(assess_frame(df, **kw))


def _id_hashes(ids: pd.Series) -> np.ndarray:
    return caseids.sorted_hashes(case_id_keys(ids))


def _id_rows(ids: pd.Series, partition: int, hashes: np.ndarray) -> list[tuple[str, int, Any]]:
    return caseids.rows_with(case_id_keys(ids), ids.index, partition, hashes)


def assess_dask(ddf: Any, *, on: date | None = None, cost_ratio_threshold: Decimal | str | None = None,
                check_ids: bool = True) -> Any:
    """:func:`assess_frame` over a ``dask.dataframe`` partition by partition (``pip install '.[dask]'``).

    Lazy like any dask frame; the result is typed (``case_id`` and ``error`` as pandas ``string``,
    :func:`result_meta` ``typed=True``), so ``assess_dask(ddf).to_parquet(path)`` writes it.
    Duplicate case ids are checked over the whole docket (``check_ids``), as tasks of the same graph
    that every partition waits for (:mod:`assess.app.caseids`: 8 bytes an id reach one task; the rows
    of hashes seen twice are confirmed on their text), so a duplicate raises :class:`InputError` naming
    both partitions and rows before any partition is assessed or written.  Runs on the threaded
    scheduler or on a ``distributed`` cluster, the same code (design note §9).
    """
    import dask

    kw = {"on": on, "cost_ratio_threshold": cost_ratio_threshold}
    args: tuple[Any, ...] = ()
    if check_ids:
        ids = ddf["case_id"].to_delayed()
        hashes = dask.delayed(caseids.colliding)([dask.delayed(_id_hashes)(p) for p in ids])
        found = [dask.delayed(_id_rows)(p, i, hashes) for i, p in enumerate(ids)]
        args = (dask.delayed(caseids.confirm)(found),)
    return ddf.map_partitions(_assess_partition, *args, **kw, meta=result_meta(typed=True))


def fen_to_yuan(fen: Any) -> Any:
    """Fen (int) → a 元 string with two decimals (``54318529`` → ``"543185.29"``); a Series maps element-wise."""
    if isinstance(fen, pd.Series):
        return fen.map(lambda v: None if pd.isna(v) else fen_to_yuan(int(v)), na_action="ignore").astype(object)
    f = int(fen)
    sign = "-" if f < 0 else ""
    return f"{sign}{abs(f) // 100}.{abs(f) % 100:02d}"


# -- the equivalent case file -------------------------------------------------------------------------

def _cell(row: Any, name: str) -> Any:
    v = row.get(name) if hasattr(row, "get") else None
    if v is None or (not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v)):
        return None
    if isinstance(v, str) and not v.strip():
        return None
    return v


def _num_text(v: Any) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v).strip()


def _text_cell(v: Any) -> Any:
    """A text cell as the case file holds it; a list, dict or other object is passed on as it is (refused)."""
    if v is None or _odd(v):
        return v
    return str(v).strip()


def _year(v: Any) -> Any:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return int(v)
    if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, str):
        try:
            d = Decimal(v.strip())
            # "inf" or "1e999999" stay text (the case model refuses them); int() of those overflowed
            return int(d) if d.is_finite() and abs(d) < 10 ** 6 and d == d.to_integral_value() else v
        except InvalidOperation:
            return v
    return v


def _date_text(v: Any) -> Any:
    """A date cell for the case file: a date as YYYY-MM-DD when the vocabulary reads one, else the cell as
    typed (the case model then refuses it with the vocabulary's message, as the batch does)."""
    try:
        return vocabulary.to_date(v).isoformat()
    except vocabulary.Refused:
        return v.strip() if isinstance(v, str) else v


def _fact(v: Any) -> Any:
    try:
        return vocabulary.to_bool(v)
    except vocabulary.Refused:
        return v


def row_to_case(row: Any) -> dict[str, Any]:
    """The case-file dict equivalent to one batch row (a Series or a dict): the single path's input.

    ``assess_case(row_to_case(row))`` gives the amounts and routing codes of the row's batch result.
    Values are passed as typed (numbers as decimal strings), so a bad cell fails validation there too.
    """
    g = lambda name: _cell(row, name)  # noqa: E731
    # A list, dict, bytes or complex cell has no case-file equivalent (the batch refuses the row);
    # it is carried as an unknown field, which the case model refuses too, naming the column.
    unusable = {name: f"{type(v).__name__} {str(v)[:40]}" for name in INPUT_COLUMNS
                if (v := _cell(row, name)) is not None and _odd(v)}
    gt = lambda name: _text_cell(g(name))  # noqa: E731  - a text column: as text, as the batch reads it
    qty = lambda name: {"value": _num_text(g(name)), "unit": gt(f"{name}_unit")}  # noqa: E731
    case_id = g("case_id")
    incident = g("incident")
    dates = {"incident": _date_text(incident) if incident is not None else None}
    for name in ("clue_received", "assessment_base"):
        if g(name) is not None:
            dates[name] = _date_text(g(name))
    jur = g("jurisdiction")
    case: dict[str, Any] = {"case_id": _text_cell(case_id), "jurisdiction": _text_cell(jur), "dates": dates}
    element = _text_cell(g("element"))
    items = []
    if any(g(n) is not None for n in ITEM_VALUES["restoration"]):
        items.append({"id": ITEM_IDS["restoration"], "label": "修复工程 restoration line", "element": element,
                      "restorable": True, "category": "remediation_costs", "method": "restoration_cost",
                      "inputs": {"lines": [{"label": "工程量×单价", "quantity": qty("restoration_quantity"),
                                            "unit_price": qty("restoration_unit_price")}]}})
    if any(g(n) is not None for n in ITEM_VALUES["vtc"]):
        items.append({"id": ITEM_IDS["vtc"], "label": "虚拟治理成本 virtual treatment cost", "element": element,
                      "restorable": False, "category": gt("vtc_category"), "method": "virtual_treatment_cost",
                      "inputs": {"quantity": qty("vtc_quantity"), "unit_cost": qty("vtc_unit_cost"),
                                 "unit_cost_provenance": gt("vtc_cost_provenance"),
                                 "gamma": {"value": _num_text(g("vtc_gamma")), "basis": gt("vtc_gamma_basis")}}})
    if any(g(n) is not None for n in ITEM_VALUES["value_loss"]):
        inputs = {"unit_value": qty("vl_unit_value"), "quantity": qty("vl_quantity"),
                  "loss_fraction": _num_text(g("vl_loss_fraction")), "start_year": _year(g("vl_start_year")),
                  "end_year": _year(g("vl_end_year")), "base_year": _year(g("vl_base_year")),
                  "discount_rate": _num_text(g("vl_discount_rate"))}
        if g("vl_timing") is not None:
            inputs["timing"] = _text_cell(g("vl_timing"))
        items.append({"id": ITEM_IDS["value_loss"], "label": "期间价值量损失 interim value loss", "element": element,
                      "restorable": True, "category": "interim_service_loss", "method": "value_loss",
                      "inputs": {k: v for k, v in inputs.items() if v is not None}})
    case["damage_items"] = items
    costs = []
    for k, (name, category) in enumerate(COST_COLUMNS.items(), 1):
        if g(name) is not None:
            costs.append({"id": f"C{k}", "category": category, "label": name,
                          "amount": {"value": _num_text(g(name)), "unit": "元"},
                          "date": dates["incident"], "evidence": "batch row"})
    case["cost_items"] = costs
    case["facts"] = {name: _fact(g(name)) for name in FACT_COLUMNS if g(name) is not None}
    if unusable:
        case["unusable_batch_cells"] = unusable
    return case
