"""What typed text means 输入词汇: one answer for every entry path.

A case reaches the calculator four ways (a JSON case file, a workbook cell, a batch column, a court
claim); each one used to read "true", a date or a number its own way (``对`` was true in a workbook
and refused in the batch, a JSON date took a Unix timestamp, ``assess check`` took ``1_000``).  This
module decides once; the case model's validators, the workbook reader, the batch and the claim
reader all call it, and a parametrised test feeds the same text to every path
(``tests/test_vocabulary.py``).

The vocabulary (decided here, documented in the README "Input values"):

* **empty** (:func:`is_empty`): ``None``, NaN/NA/NaT, or text of white space only: "not given".
* **boolean** (:func:`to_bool`): ``true``/``false``, ``yes``/``no``, ``1``/``0`` (any letter case),
  是/否, 对/错, 真/假; a real boolean; the numbers 0 and 1.  Nothing else (``t``, ``y``, ``on``
  are refused: short forms are where readers used to disagree).
* **date** (:func:`to_date`): text ``YYYY-MM-DD`` exactly, a ``date``, or a ``datetime``/timestamp
  at midnight (a time zone, if any, is kept: the calendar date as written, never converted).  A
  plain number is refused (no Unix timestamps, no spreadsheet serial numbers), and so is a time of
  day (the law counts days).
* **decimal** (:func:`to_decimal`): exact, never through a float: ASCII digits with an optional
  sign, point and exponent (``1200``, ``-3.5``, ``1.2e3``), thousands grouped by commas in threes
  (``80,650.00``); ints and Decimals as they are; a float by its shortest ``repr``.  Refused:
  ``1_000``, non-ASCII digits (全角 １００), NaN and infinities, booleans, complex numbers, bytes;
  a magnitude of 10^20 or more (the amount bound of :data:`factors.money.MAX_AMOUNT`), a non-zero
  magnitude below 10^-30, more than 28 significant digits (the default decimal context's
  precision): the bound is checked on the typed value, *before* any arithmetic can trap
  (``1E+1000000``, ``1e999999 × 1e999999``, ``1E-1000000``).
* **unit** (:func:`unit_text`): text of at most :data:`MAX_UNIT_CHARS` characters, checked before
  the (quadratic) unit parser runs; the meaning is :func:`factors.units.parse_unit`'s.
* **jurisdiction** (:func:`jurisdiction`): one of the codes of ``data/jurisdictions.toml``.
* **code** (:func:`code`): one of an enumeration's codes, as typed (white space around it ignored);
  the enumerations themselves come from the case model (:mod:`assess.law.codes`).
* **JSON text** (:func:`loads_json`): numbers as Decimal (``1.00499999999999999999`` stays that),
  nesting at most :data:`MAX_JSON_DEPTH` deep.

A refusal raises :class:`Refused` (a ``ValueError``, so pydantic validators can raise it) carrying
an English message id of the ``errors`` catalogue and its fields, so the CLI can print it in Chinese.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable

import numpy as np

from factors.errors import ECHO_CHARS
from factors.money import MAX_AMOUNT

#: Words for true and false (compared after stripping, case-insensitively).
TRUE_WORDS = ("true", "yes", "1", "是", "对", "真")
FALSE_WORDS = ("false", "no", "0", "否", "错", "假")
#: Significant digits a typed number may have (the default decimal context's 28).
MAX_DIGITS = 28
#: Smallest power of ten of a non-zero typed number (10^-30): no exponent that could underflow.
MIN_ADJUSTED = -30
#: Longest number text read (a longer one is refused unread).
MAX_NUMBER_CHARS = 100
#: Longest unit text parsed (real units are a few characters: 元/(hm²·年) is 8).
MAX_UNIT_CHARS = 40
#: Deepest JSON nesting read, by every JSON reader (case files, claims, payments, the service, JSON
#: cells): a case needs about 8 levels, an ``assess run --json`` result 13.  The one constant (issue 13).
MAX_JSON_DEPTH = 64

BOOL_EXPECTED = "true or false (是/否, 对/错, 真/假, true/false, yes/no, 1/0)"
DATE_EXPECTED = "a date as YYYY-MM-DD"
NUMBER_EXPECTED = 'a number (e.g. 1200 or "35.50")'

#: A plain decimal and one with thousands grouped in threes (ASCII only: no 全角 or other digits).
DECIMAL_PATTERN = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
GROUPED_PATTERN = r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?"
_DECIMAL = re.compile(DECIMAL_PATTERN)
_GROUPED = re.compile(GROUPED_PATTERN)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Refused(ValueError):
    """Typed input that does not mean a value of the kind asked for.

    ``msgid`` is the English "expected …" text (a message id of the ``errors`` catalogue, with
    ``{fields}``); ``got`` the value as typed (echoed shortened), or :data:`NOTHING`.
    """

    def __init__(self, msgid: str, got: Any = None, **fields: Any):
        self.msgid, self.got, self.fields = msgid, got, fields
        super().__init__(f"expected {self.expected}" + ("" if got is NOTHING else f", got {shown(got)}"))

    @property
    def expected(self) -> str:
        return self.msgid.format(**self.fields) if self.fields else self.msgid


class _Nothing:
    def __repr__(self) -> str:
        return "NOTHING"


#: ``got`` of a refusal that echoes no value.
NOTHING: Any = _Nothing()


def shown(value: Any, limit: int = ECHO_CHARS) -> str:
    """The repr of a refused value, cut to ``limit`` characters (a 1 MB unit is not echoed whole)."""
    if isinstance(value, Decimal):
        text = str(value)
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------------------------------- empty

def is_empty(value: Any) -> bool:
    """``None``, NaN / NA / NaT, or text of white space only."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    if type(value).__name__ in ("NAType", "NaTType"):
        return True
    try:
        return bool(value != value)   # numpy NaN scalars and the like
    except (TypeError, ValueError):
        return False


# ----------------------------------------------------------------------------------------- boolean

def to_bool(value: Any) -> bool:
    """A boolean from typed text, a boolean or the number 0/1 (see the module docstring)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise Refused(BOOL_EXPECTED, value)
    if _is_real(value):
        if value == 1:
            return True
        if value == 0:
            return False
    raise Refused(BOOL_EXPECTED, value)


def _is_real(value: Any) -> bool:
    """An int, float or Decimal (numpy's included), not a bool, complex or text."""
    if isinstance(value, (bool, complex, str, bytes)):
        return False
    if isinstance(value, (int, float, Decimal)):
        return True
    kind = getattr(getattr(value, "dtype", None), "kind", "")
    return kind in ("i", "u", "f") and getattr(value, "ndim", 1) == 0


# -------------------------------------------------------------------------------------------- date

def to_date(value: Any) -> date:
    """A date from ``YYYY-MM-DD`` text, a ``date``, or a timestamp at midnight (any time zone)."""
    if isinstance(value, datetime):   # pandas.Timestamp is a datetime
        if (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0) or getattr(
                value, "nanosecond", 0):
            raise Refused("a date without a time of day", value.isoformat(sep=" "))
        return date(value.year, value.month, value.day)
    if isinstance(value, date):
        return value
    if isinstance(value, np.datetime64):
        import pandas as pd

        return to_date(pd.Timestamp(value).to_pydatetime())
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise Refused(DATE_EXPECTED, value) from None   # 2024-02-30: no such day
        raise Refused(DATE_EXPECTED, value)
    if _is_real(value):
        raise Refused("a date as YYYY-MM-DD, not a number (no Unix timestamps or spreadsheet serial numbers)", value)
    raise Refused(DATE_EXPECTED, value)


# ----------------------------------------------------------------------------------------- decimal

def to_decimal(value: Any) -> Decimal:
    """An exact, finite, bounded Decimal from typed text or a number (see the module docstring)."""
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, (bool, np.bool_)):
        raise Refused(NUMBER_EXPECTED, value)
    elif isinstance(value, int):
        if value.bit_length() > 80:      # |v| ≥ 2^80 > 10^20: no need to print a 5,000-digit int
            raise Refused("a number below 10^20 in size", NOTHING)
        d = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise Refused("a finite number", value)
        d = Decimal(repr(float(value)))
    elif isinstance(value, str):
        d = _decimal_text(value)
    elif _is_real(value):                # numpy scalars
        kind = value.dtype.kind
        return to_decimal(int(value) if kind in ("i", "u") else float(value))
    else:
        raise Refused(NUMBER_EXPECTED, value)
    return _bounded(d, value)


def _decimal_text(value: str) -> Decimal:
    text = value.strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise Refused(NUMBER_EXPECTED, value)
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    elif not _DECIMAL.fullmatch(text):
        # also refuses "1_000", non-ASCII digits, "NaN", "Infinity", "1+2j", "0x10"
        raise Refused(NUMBER_EXPECTED, value)
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):   # an exponent beyond the implementation's range
        raise Refused("a number below 10^20 in size", value) from None


def _bounded(d: Decimal, typed: Any) -> Decimal:
    if not d.is_finite():
        raise Refused("a finite number", typed)
    if not d:
        return d
    if d.adjusted() >= 20 or abs(d) >= MAX_AMOUNT:
        raise Refused("a number below 10^20 in size", typed)
    if d.adjusted() < MIN_ADJUSTED:
        raise Refused("zero or a number of at least 10^{e} in size", typed, e=MIN_ADJUSTED)
    digits = "".join(map(str, d.as_tuple().digits)).rstrip("0")   # not normalize(): it rounds to 28 digits
    if len(digits) > MAX_DIGITS:
        raise Refused("a number with at most {n} significant digits", typed, n=MAX_DIGITS)
    return d


def to_int(value: Any) -> int:
    """A whole number: an int, or a decimal (text or number) without a fractional part."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int(to_decimal(value))
    d = to_decimal(value)
    if d != d.to_integral_value():
        raise Refused("a whole number", value)
    return int(d)


# ------------------------------------------------------------------------------- unit, codes, place

def unit_text(value: Any) -> str:
    """Unit text, stripped, bounded in length before anything parses it."""
    if not isinstance(value, str) or not value.strip():
        raise Refused("a unit such as 元, t, m³, 亩 or 元/t", value)
    text = value.strip()
    if len(text) > MAX_UNIT_CHARS:
        raise Refused("a unit of at most {n} characters", text, n=MAX_UNIT_CHARS)
    return text


def code(value: Any, allowed: Iterable[Any]) -> Any:
    """One of ``allowed`` (an enumeration's codes), as typed; white space around text is ignored."""
    allowed = tuple(allowed)
    key = value.strip() if isinstance(value, str) else value
    for a in allowed:
        if key == a and type(key) is type(a):
            return a
    raise Refused("one of {choices}", value, choices=", ".join(map(str, allowed)))


def jurisdiction(value: Any, known: Iterable[str]) -> str:
    """A jurisdiction code (``known``: the codes of ``data/jurisdictions.toml``, CN, CN-JS, CN-SH …)."""
    return code(value, sorted(known))


# -------------------------------------------------------------------------------------------- JSON

_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


def json_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` in JSON text (strings skipped); linear, no recursion."""
    depth = deepest = 0
    for m in _JSON_TOKENS.finditer(text):
        c = m.group(0)
        if c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return deepest
        elif c in "]}":
            depth -= 1
    return deepest


def value_depth(value: Any, limit: int = MAX_JSON_DEPTH) -> int:
    """The nesting depth of parsed JSON (dicts and lists; a scalar is 0), iterative (a value built in
    Python and handed to the library cannot exhaust the stack here); stops once beyond ``limit``."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list)):
            if d > deepest:
                deepest = d
                if deepest > limit:
                    return deepest
            stack.extend((x, d + 1) for x in (v.values() if isinstance(v, dict) else v))
    return deepest


def json_int(text: str) -> int | Decimal:
    """A JSON whole number: an int, or a Decimal when longer than 30 digits (refused later, never
    ``int()`` of 5,000 digits, which Python refuses with a ValueError of its own)."""
    return int(text) if len(text) <= 30 else Decimal(text)


def loads_json(text: str) -> Any:
    """JSON with every number exact (Decimal for a fraction or exponent, int for a whole number) and
    nesting bounded; raises :class:`Refused` for too deep a nesting, ``json.JSONDecodeError`` for bad JSON."""
    if json_depth(text) > MAX_JSON_DEPTH:
        raise Refused("JSON nested at most {n} deep", NOTHING, n=MAX_JSON_DEPTH)
    return json.loads(text, parse_float=Decimal, parse_int=json_int, parse_constant=_no_constant,
                      object_pairs_hook=_interning())


def _interning() -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """An object hook that makes equal string values of one document one object (a case of 100,000 cost
    items repeats its categories, units, dates and labels: issue 13, "large honest inputs").  The dict
    is the one ``json.loads`` makes (the last of duplicate keys wins)."""
    memo: dict[str, str] = {}

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        return {k: memo.setdefault(v, v) if type(v) is str and len(v) <= 256 else v for k, v in pairs}

    return hook


def _no_constant(name: str) -> Any:
    raise Refused("a finite number (JSON has no {name})", NOTHING, name=name)
