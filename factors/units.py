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

Cold start: pint is imported and its registry built (~0.35 s) only on first need
(:func:`registry`, exactly one per process).  Checks and conversions go through :func:`unit_info`,
which reads a memo of unit strings met before (exact factor to pint's root units and dimension),
kept in the user cache folder (:mod:`factors.usercache`; ``ECO_DAMAGE_ASSESS_CACHE=off`` disables
it): a process meeting only memoised units never imports pint.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import re
import threading
import tokenize
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from factors import usercache, vocabulary
from factors.errors import UnitError
from factors.paths import data_dir

if TYPE_CHECKING:  # pint is imported only when a unit string is not in the memo (see registry())
    import pint

_LOCK = threading.RLock()
_REGISTRY: list[Any] = []


def registry() -> "pint.UnitRegistry":
    """The project's single pint :class:`~pint.UnitRegistry`, built on first use (pint's defaults plus
    ``data/units.txt``).  Building it takes ~0.35 s, so a cold process that only meets units already
    in the memo (:func:`unit_info`) never builds it."""
    if not _REGISTRY:
        with _LOCK:
            if not _REGISTRY:
                import pint

                reg = pint.UnitRegistry(autoconvert_offset_to_baseunit=False, on_redefinition="raise")
                reg.load_definitions(str(data_dir() / "units.txt"))
                _REGISTRY.append(reg)
    return _REGISTRY[0]


def __getattr__(name: str) -> Any:
    """``ureg`` and ``Quantity`` (the registry and its quantity class) resolve to :func:`registry`."""
    if name == "ureg":
        return registry()
    if name == "Quantity":
        return registry().Quantity
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


class UnitInfo(NamedTuple):
    """What the calculator needs of a parsed unit: its exact factor to pint's root units and its
    dimension (sorted ``(dimension, exponent)`` pairs; ``dim_text`` as pint writes it, for messages)."""

    factor: Fraction
    dims: tuple[tuple[str, int], ...]
    dim_text: str


def _pint_parse(text: str, path: str, unit: Any) -> "pint.Unit":
    """Parse ``text`` (already bounded) with pint and the project's aliases; refuse what the
    calculator cannot use (see :func:`parse_unit`)."""
    import pint

    ureg = registry()
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


def _bounded(unit: Any, path: str) -> str:
    try:
        return vocabulary.unit_text(unit)
    except vocabulary.Refused as exc:
        raise UnitError(path, exc.expected, exc.got, msgid=exc.msgid, fields=exc.fields) from None


@lru_cache(maxsize=512)
def parse_unit(unit: str, path: str = "unit") -> "pint.Unit":
    """Parse a unit string with the project's aliases; raise :class:`UnitError` naming ``path``.

    The text is bounded first (:func:`factors.vocabulary.unit_text`: pint's parser is quadratic in
    the length); a division by zero (``元/0``), a logarithmic or offset unit (``dB``, ``°C``) and a
    unit pint cannot read are refused.  This builds the pint registry; to check a unit, or to
    convert, use :func:`check_unit` / :func:`exact_factor`, which read the memo first.
    """
    text = _bounded(unit, path)
    return _pint_parse(text, path, unit)


# ------------------------------------------------------------------ memo of parsed unit strings
#
# {unit text: [factor "p/q", [[dimension, exponent], ...], dimension text]}, kept in the user cache
# folder (factors/usercache.py) and stamped with the hashes of data/units.txt, of this module and of
# pint's own definition file: a change to any of them discards the memo.  Only units that parsed
# are memoised (a refused unit goes through pint every time, with its error).

_MEMO_FILE = "units-memo.json"
_MEMO_MAX = 4096
_MEMO: dict[str, list[Any]] = {}
_MEMO_STATE = {"loaded": False, "dirty": False}


@lru_cache(maxsize=1)
def _memo_stamp() -> str:
    h = hashlib.sha256(b"units-memo/1")
    h.update((data_dir() / "units.txt").read_bytes())
    h.update(Path(__file__).read_bytes())
    spec = importlib.util.find_spec("pint")
    if spec is not None and spec.origin:
        defaults = Path(spec.origin).parent / "default_en.txt"
        h.update(defaults.read_bytes() if defaults.is_file() else spec.origin.encode())
    return h.hexdigest()[:24]


def _memo_load() -> None:
    _MEMO_STATE["loaded"] = True
    data = usercache.load(_MEMO_FILE, _memo_stamp())
    if not data:
        return
    for key, entry in data.items():
        try:
            num, _, den = entry[0].partition("/")
            dims = tuple((str(d), int(e)) for d, e in entry[1])
            info = UnitInfo(Fraction(int(num), int(den or 1)), dims, str(entry[2]))
        except (TypeError, ValueError, IndexError, ZeroDivisionError, AttributeError):
            _MEMO_STATE["dirty"] = True  # a corrupt entry: dropped, the file rewritten at exit
            continue
        _MEMO[key] = entry
        _INFO[key] = info


def _memo_save() -> None:
    if _MEMO_STATE["dirty"]:
        _MEMO_STATE["dirty"] = False
        usercache.save(_MEMO_FILE, _memo_stamp(), dict(_MEMO))


atexit.register(_memo_save)

_INFO: dict[str, UnitInfo] = {}


def _exact(value: Any) -> Fraction:
    """A pint root factor (a float for a defined ratio of small integers) as the exact ratio."""
    return Fraction(value).limit_denominator(10**9) if isinstance(value, float) else Fraction(value)


def _info_from_pint(text: str, path: str, unit: Any) -> UnitInfo:
    parsed = _pint_parse(text, path, unit)
    ureg = registry()
    factor = Fraction(1)
    for name, exponent in parsed._units.items():
        root, _ = ureg.get_root_units(name)
        atom = _exact(root)
        exp = Fraction(exponent)
        factor *= atom ** int(exp) if exp.denominator == 1 else _exact(float(atom) ** float(exp))
    dims = tuple(sorted((str(d), int(e)) for d, e in dict(parsed.dimensionality).items()))
    return UnitInfo(factor, dims, str(parsed.dimensionality) or "dimensionless")


def unit_info(unit: str, path: str = "unit") -> UnitInfo:
    """Factor and dimension of ``unit`` (checked as :func:`parse_unit` checks it), from the memo
    when this text was met before (no pint), else parsed with pint and memoised."""
    info = _INFO.get(unit) if isinstance(unit, str) else None
    if info is not None:
        return info
    text = _bounded(unit, path)
    with _LOCK:
        if not _MEMO_STATE["loaded"]:
            _memo_load()
        info = _INFO.get(text)
        if info is None:
            info = _info_from_pint(text, path, unit)
            if len(_MEMO) < _MEMO_MAX:
                _MEMO[text] = [f"{info.factor.numerator}/{info.factor.denominator}", [list(d) for d in info.dims],
                               info.dim_text]
                _MEMO_STATE["dirty"] = True
            _INFO[text] = info
        if unit != text and len(_INFO) < 4 * _MEMO_MAX:
            _INFO[unit] = info
    return info


def check_unit(unit: str, path: str = "unit") -> UnitInfo:
    """Check ``unit`` is a unit the calculator reads (raise :class:`UnitError` naming ``path``)."""
    return unit_info(unit, path)


def check_dimension(unit: str, expected: str, path: str) -> UnitInfo:
    """Check ``unit`` parses and has the dimensionality of ``expected`` (a unit string)."""
    parsed = unit_info(unit, path)
    want = unit_info(expected, path)
    if parsed.dims != want.dims:
        raise UnitError(path, f"a unit convertible to {expected} ({want.dim_text})", unit,
                        msgid="a unit convertible to {unit}", fields={"unit": f"{expected} ({want.dim_text})"})
    return parsed


@lru_cache(maxsize=1024)
def exact_factor(from_unit: str, to_unit: str, path: str = "unit") -> Fraction:
    """Exact rational factor f with ``x [from_unit] == x*f [to_unit]``.

    Every unit in ``data/units.txt`` is a ratio of small integers to pint's root units (1 亩 =
    2000/3 m², 1 年 = 31 536 000 s): each unit name's root factor (a float from pint) is recovered
    as that ratio (bounded denominator) and the names' factors multiplied exactly, so 元/(亩·年)
    keeps its exact value.  Used by the exact-money (Decimal) path.
    """
    check_dimension(from_unit, to_unit, path)
    return unit_info(from_unit, path).factor / unit_info(to_unit, path).factor


def float_factor(from_unit: str, to_unit: str, path: str = "unit") -> float:
    """The same factor as a float (correctly rounded), for the vectorised kernels."""
    return float(exact_factor(from_unit, to_unit, path))


def magnitude_in(value: Any, unit: str, target: str, path: str):
    """Convert ``value`` (scalar or numpy array) given in ``unit`` to a float magnitude in ``target``."""
    return value * float_factor(unit, target, path)


def pretty(unit: str) -> str:
    """A short display form of a unit as the user wrote it (kept verbatim in traces)."""
    return unit.strip()
