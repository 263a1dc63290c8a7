"""Column readers of the docket engine: a docket column → arrays, and the rows it cannot read exactly.

Each reader is deliberately narrow: it accepts the forms the case model reads in one obvious way
(booleans as booleans, dates as dates or ``YYYY-MM-DD``, plain decimals of at most 15 digits and 6
places, whole years as integers, text as text) and marks every other filled cell ``odd``.  The engine
sends a case with an odd cell to the single path, whose input vocabulary (:mod:`factors.vocabulary`)
then decides, and words any error: the engine never holds a second reading rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from factors.money import Decimals

#: Plain decimals the engine reads itself: no sign, no leading zero, ≤ 15 digits before and ≤ 6 after the point.
PLAIN_DECIMAL = r"(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,6})?"
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
YEAR_TEXT = re.compile(r"[1-9][0-9]{3}")
_EPOCH = np.datetime64("1970-01-01", "D")


def filled(s: pd.Series) -> np.ndarray:
    """Cells holding a value (not null/NaN/NaT): the case file has the field (an empty text is a value)."""
    return s.notna().to_numpy(bool).copy()


def blank(s: pd.Series) -> np.ndarray:
    """Text cells that are empty or white space only (the case model decides those: odd here)."""
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype) or isinstance(s.dtype, pd.CategoricalDtype):
        t = s.astype("string")
        return (t.str.strip() == "").to_numpy(bool, na_value=False)
    return np.zeros(len(s), bool)


@dataclass
class Text:
    """A text column factorised once: a code per row into ``uniques`` (-1: empty), and odd (non-text) rows."""

    codes: np.ndarray
    uniques: list[Any]
    odd: np.ndarray

    def isin(self, allowed: Sequence[str] | set[str] | dict[str, Any]) -> np.ndarray:
        ok = np.array([u in allowed for u in self.uniques] + [False], bool)
        return ok[self.codes]

    def index_in(self, names: Sequence[str]) -> np.ndarray:
        pos = {v: i for i, v in enumerate(names)}
        table = np.array([pos.get(u, -1) if isinstance(u, str) else -1 for u in self.uniques] + [-1], np.int64)
        return table[self.codes]

    def values(self) -> np.ndarray:
        return np.array(list(self.uniques) + [None], object)[self.codes]

    @property
    def given(self) -> np.ndarray:
        return self.codes != len(self.uniques)


def text(s: pd.Series | None, n: int) -> Text:
    if s is None:
        return Text(np.zeros(n, np.int64), [], np.zeros(n, bool))
    codes, uniq = pd.factorize(s, use_na_sentinel=True)
    uniques = list(uniq)
    codes = np.where(codes < 0, len(uniques), codes)
    odd_u = np.array([not isinstance(u, str) or not u.strip() for u in uniques] + [False], bool)
    return Text(codes.astype(np.int64), uniques, odd_u[codes])


def bools(s: pd.Series | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(tri-state int8: -1 absent, 0 false, 1 true; odd rows) — booleans only."""
    if s is None:
        return np.full(n, -1, np.int8), np.zeros(n, bool)
    if s.dtype == bool:
        return s.to_numpy().astype(np.int8), np.zeros(n, bool)
    if isinstance(s.dtype, pd.BooleanDtype):
        return s.to_numpy(dtype=np.int8, na_value=-1), np.zeros(n, bool)
    given = filled(s)
    v = s.to_numpy(object)
    is_true = np.fromiter((x is True or x is np.True_ for x in v), bool, n)
    is_false = np.fromiter((x is False or x is np.False_ for x in v), bool, n)
    out = np.where(is_true, 1, np.where(is_false, 0, -1)).astype(np.int8)
    return out, given & ~(is_true | is_false)


def dates(s: pd.Series | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(datetime64[D], NaT where absent; odd rows) — dates without a time of day, or ``YYYY-MM-DD`` text."""
    if s is None:
        return np.full(n, np.datetime64("NaT"), "datetime64[D]"), np.zeros(n, bool)
    if pd.api.types.is_datetime64_any_dtype(s.dtype) and getattr(s.dtype, "tz", None) is None:
        v = s.to_numpy()
        d = v.astype("datetime64[D]")
        timed = ~np.isnat(v) & (d.astype(v.dtype) != v)
        return np.where(timed, np.datetime64("NaT"), d), timed
    given = filled(s)
    t = s.astype("string").str.strip()
    ok = t.str.fullmatch(ISO_DATE).fillna(False).to_numpy(bool)
    parsed = pd.to_datetime(t.where(ok), format="%Y-%m-%d", errors="coerce")
    d = parsed.to_numpy().astype("datetime64[D]")
    odd = given & np.isnat(d)
    if s.dtype == object:   # a cell typed as something else than a date or text (a number, a Timestamp)
        from datetime import date as _date, datetime as _datetime

        kinds = np.fromiter((isinstance(x, str) or (isinstance(x, _date) and not isinstance(x, _datetime))
                             for x in s.to_numpy(object)), bool, n)
        odd |= given & ~kinds
    return np.where(odd, np.datetime64("NaT"), d), odd


@dataclass
class Num:
    """A number column: exact :class:`Decimals` of every row, which rows hold one, and odd rows."""

    dec: Decimals
    given: np.ndarray
    odd: np.ndarray

    @property
    def x(self) -> np.ndarray:
        return self.dec.x


def numbers(s: pd.Series | None, n: int) -> Num:
    if s is None:
        z = np.zeros(n, bool)
        return Num(Decimals.from_floats(np.zeros(n)), z, z)
    if pd.api.types.is_bool_dtype(s.dtype):
        given = filled(s)
        return Num(Decimals.from_floats(np.zeros(n)), np.zeros(n, bool), given)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_complex_dtype(s.dtype):
        x = s.to_numpy(dtype=np.float64, na_value=np.nan)
        given = ~np.isnan(x)
        with np.errstate(invalid="ignore"):
            ok = given & np.isfinite(x) & (x >= 0) & (x < 1e15) & ((x == 0) | (x >= 1e-6))
        if pd.api.types.is_integer_dtype(s.dtype):
            ok &= np.abs(x) < 2 ** 53
        return Num(Decimals.from_floats(np.where(ok, x, 0.0)), given & ok, given & ~ok)
    given = filled(s)
    t = s.astype("string").str.strip()
    ok = given & t.str.fullmatch(PLAIN_DECIMAL).fillna(False).to_numpy(bool)
    if s.dtype == object:   # a bool is not a number (str(True) never matches, but be explicit)
        ok &= np.fromiter((not isinstance(v, (bool, np.bool_)) for v in s.to_numpy(object)), bool, n)
    texts = t.where(pd.Series(ok, index=t.index), "0").to_numpy(object, na_value="0")
    x = pd.to_numeric(pd.Series(texts), errors="coerce").to_numpy(np.float64)
    return Num(Decimals.from_text(x, texts), ok, given & ~ok)


def years(s: pd.Series | None, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(whole years int64, given, odd) — integers, or the text of four digits (as the vocabulary reads a year)."""
    if s is None:
        z = np.zeros(n, bool)
        return np.zeros(n, np.int64), z, z
    if pd.api.types.is_bool_dtype(s.dtype):
        g = filled(s)
        return np.zeros(n, np.int64), np.zeros(n, bool), g
    if pd.api.types.is_integer_dtype(s.dtype):   # a float cell is a decimal (2018.0): the strict Year refuses it
        x = s.to_numpy(dtype=np.float64, na_value=np.nan)
        given = ~np.isnan(x)
        with np.errstate(invalid="ignore"):
            ok = given & (x >= 1900) & (x <= 2200)
        return np.where(ok, x, 0).astype(np.int64), given & ok, given & ~ok
    given = filled(s)
    if _is_text_dtype(s):   # every filled cell is text: the four-digit years, read without a Python loop
        rows = np.flatnonzero(given)          # the filled cells only (a year of a rare method is mostly empty)
        t = s.iloc[rows].str.strip()
        digits = t.str.fullmatch(YEAR_TEXT.pattern).to_numpy(bool, na_value=False)
        out = np.zeros(n, np.int64)
        out[rows[digits]] = t[digits].astype(np.int64).to_numpy(np.int64)
        ints = np.zeros(n, bool)
        ints[rows] = digits
        ints &= (out >= 1900) & (out <= 2200)
        return np.where(ints, out, 0), ints, given & ~ints
    # an int, or the text of four digits (a CSV cell: the vocabulary reads "2019" as the year 2019, to_int)
    is_int, is_text = np.zeros(n, bool), np.zeros(n, bool)
    kinds = s[given].map(type)            # the filled cells only (a year column of a rare method is mostly empty)
    is_int[given] = kinds.isin([int, np.int64, np.int32, np.int16, np.int8]).to_numpy(bool)
    is_text[given] = kinds.isin([str]).to_numpy(bool)
    if is_text.any():
        t = s[is_text].astype(str).str.strip()
        is_text[is_text] = t.str.fullmatch(YEAR_TEXT.pattern).to_numpy(bool)
    keep = s.where(pd.Series(is_int | is_text, index=s.index))
    x = pd.to_numeric(keep.map(lambda v: v.strip() if isinstance(v, str) else v, na_action="ignore") if is_text.any() else keep,
                      errors="coerce").to_numpy(np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        ints = (is_int | is_text) & (x >= 1900) & (x <= 2200)
    out = np.where(ints, x, 0).astype(np.int64)
    return out, given & ints, given & ~ints


def _is_text_dtype(s: pd.Series) -> bool:
    """A pandas string column (every filled cell is text), not ``object`` (cells of any type)."""
    return isinstance(s.dtype, pd.StringDtype)


def equals(s: pd.Series, value: str) -> np.ndarray:
    """Cells that are exactly the text ``value`` (a number or other object never is)."""
    if _is_text_dtype(s):
        return (s == value).to_numpy(bool, na_value=False)
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = np.array([c == value and isinstance(c, str) for c in s.cat.categories] + [False], bool)
        return cats[s.cat.codes.to_numpy()]
    if s.dtype != object:
        return np.zeros(len(s), bool)
    return np.fromiter((isinstance(v, str) and v == value for v in s.to_numpy(object)), bool, len(s))


def days(d: np.ndarray) -> np.ndarray:
    """datetime64[D] → int64 day numbers since 1970-01-01 (NaT stays the NaT integer)."""
    return d.astype("datetime64[D]").astype(np.int64)
