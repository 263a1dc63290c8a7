"""The project's single pint registry (单位注册表) and unit checks at the input boundary.

Units the domain uses: 元 / 万元 / 分 (``[currency]``), 亩 (mu), m², hm² (公顷), t, kg, m³, L,
day, 年 (a service year of 365 days) and rates built from them (元/t, 元/(hm²·年)).

Input rules (design note §3):

* ``亩`` or a bare ``mu`` is the Chinese mu (10000/15 m²); pint alone would read ``mu`` as a
  milli-atomic-mass-unit.
* ``a``, ``yr``, ``year``, ``years``, ``annum`` and ``年`` all mean the service year ``year_cn``
  (365 days).  Pint's own Julian year (365.25 d) never enters a computation.
* ``²``/``³`` superscripts and ``·`` are accepted.

Kernels never see pint: values are checked and converted here once (:func:`magnitude_in`) and the
methods run on plain floats / numpy arrays.
"""

from __future__ import annotations

import re
import tokenize
from fractions import Fraction
from functools import lru_cache
from typing import Any

import pint

from factors import vocabulary
from factors.errors import UnitError
from factors.paths import data_dir

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=False, on_redefinition="raise")
ureg.load_definitions(str(data_dir() / "units.txt"))
Quantity = ureg.Quantity

# Whole-token aliases rewritten before pint parses a unit string.
_TOKEN_ALIASES = {
    "mu": "chinese_mu",
    "a": "year_cn",
    "yr": "year_cn",
    "year": "year_cn",
    "years": "year_cn",
    "annum": "year_cn",
    "d": "day",
    "days": "day",
}
_TOKEN = re.compile(r"[A-Za-z_]+")

#: Dimensions by the name used in error messages and input schemas.
DIMENSIONS: dict[str, str] = {
    "money": "[currency]",
    "mass": "[mass]",
    "volume": "[length] ** 3",
    "area": "[length] ** 2",
    "time": "[time]",
    "dimensionless": "",
}


def _normalise(unit: str) -> str:
    text = unit.strip().replace("·", "*").replace("⋅", "*")
    return _TOKEN.sub(lambda m: _TOKEN_ALIASES.get(m.group(0), m.group(0)), text)


@lru_cache(maxsize=512)
def parse_unit(unit: str, path: str = "unit") -> pint.Unit:
    """Parse a unit string with the project's aliases; raise :class:`UnitError` naming ``path``.

    The text is bounded first (:func:`factors.vocabulary.unit_text`: pint's parser is quadratic in
    the length); a division by zero (``元/0``), a logarithmic or offset unit (``dB``, ``°C``) and a
    unit pint cannot read are refused.
    """
    try:
        text = vocabulary.unit_text(unit)
    except vocabulary.Refused as exc:
        raise UnitError(path, exc.expected, exc.got, msgid=exc.msgid, fields=exc.fields) from None
    known = "a known unit (e.g. 元, 万元, t, kg, m³, L, m², hm², 亩, 年, 元/t)"
    try:
        parsed = ureg.parse_units(_normalise(text))
    except ZeroDivisionError:
        raise UnitError(path, "a unit without division by zero", text) from None
    except (pint.errors.PintError, AttributeError, TypeError, ValueError, SyntaxError, AssertionError,
            tokenize.TokenError, RecursionError, KeyError) as exc:
        raise UnitError(path, known, text) from exc
    if "year" in str(parsed) and "year_cn" not in str(parsed):  # e.g. 'julian_year' typed in full
        raise UnitError(path, "years as 年/a/year (365-day service year), not pint's Julian year", unit)
    try:
        multiplicative = ureg.Quantity(1, parsed)._is_multiplicative
    except (pint.errors.PintError, KeyError):
        multiplicative = False
    if not multiplicative:
        raise UnitError(path, "a multiplicative unit (not a logarithmic unit such as dB or an offset unit such as °C)",
                        text)
    return parsed


def check_dimension(unit: str, expected: str, path: str) -> pint.Unit:
    """Parse ``unit`` and check it has the dimensionality of ``expected`` (a unit string)."""
    parsed = parse_unit(unit, path)
    want = parse_unit(expected, path)
    if parsed.dimensionality != want.dimensionality:
        raise UnitError(path, f"a unit convertible to {expected} ({_dim_name(want)})", unit,
                        msgid="a unit convertible to {unit}", fields={"unit": f"{expected} ({_dim_name(want)})"})
    return parsed


def _dim_name(unit: pint.Unit) -> str:
    dim = str(unit.dimensionality) or "dimensionless"
    return dim


@lru_cache(maxsize=1024)
def exact_factor(from_unit: str, to_unit: str, path: str = "unit") -> Fraction:
    """Exact rational factor f with ``x [from_unit] == x*f [to_unit]``.

    Pint gives the factor as a float (1 亩 = 0.0666… hm²); every unit in ``data/units.txt`` is a
    ratio of small integers, so the best rational approximation with a bounded denominator
    recovers it exactly (1/15).  Used by the exact-money (Decimal) path.
    """
    check_dimension(from_unit, to_unit, path)
    f = ureg.Quantity(1, parse_unit(from_unit, path)).to(parse_unit(to_unit, path)).magnitude
    return Fraction(f).limit_denominator(10**9)


def float_factor(from_unit: str, to_unit: str, path: str = "unit") -> float:
    """The same factor as a float, for the vectorised kernels."""
    check_dimension(from_unit, to_unit, path)
    return float(ureg.Quantity(1, parse_unit(from_unit, path)).to(parse_unit(to_unit, path)).magnitude)


def magnitude_in(value: Any, unit: str, target: str, path: str):
    """Convert ``value`` (scalar or numpy array) given in ``unit`` to a float magnitude in ``target``."""
    return value * float_factor(unit, target, path)


def pretty(unit: str) -> str:
    """A short display form of a unit as the user wrote it (kept verbatim in traces)."""
    return unit.strip()
