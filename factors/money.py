"""Exact money (金额精确到分).

Rounding rule (the only one in the project): an amount is rounded **once, per line item**, to
0.01 元 with ROUND_HALF_UP (四舍五入, away from zero at the half: 2.675 → 2.68, −2.675 → −2.68).
Totals are sums of rounded line items and are never rounded again, so the parts printed always add
up to the printed total exactly.

Floats enter through ``repr`` (the shortest string that round-trips), never ``Decimal(float)``:
``Decimal(1.005)`` is 1.00499999…, while ``repr(1.005)`` is ``'1.005'`` → 1.01.  Products of entered
decimals are computed in Decimal from the input strings (:func:`exact_product`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from typing import Iterable, Union

FEN = Decimal("0.01")
#: High-precision context for intermediate products (no rounding before the final fen).
EXACT = Context(prec=60)
ROUNDING_NOTE = {"zh": "四舍五入至分（0.01元）", "en": "half-up to 0.01 yuan"}

Number = Union[Decimal, int, float, str, Fraction]


def to_decimal(x: Number) -> Decimal:
    """An exact Decimal for ``x``: str/int/Decimal as given, float via ``repr``, Fraction to 60 digits."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, float):
        return Decimal(repr(x))
    if isinstance(x, Fraction):
        return EXACT.divide(Decimal(x.numerator), Decimal(x.denominator))
    if isinstance(x, str):
        return Decimal(x.strip())
    # numpy scalars and the like
    return Decimal(repr(float(x)))


def to_fen(x: Number) -> Decimal:
    """Round an amount in 元 to the fen, half-up.  The one rounding point of the project."""
    try:
        d = to_decimal(x)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {x!r}") from exc
    if not d.is_finite():
        raise ValueError(f"not a finite amount: {x!r}")
    return d.quantize(FEN, rounding=ROUND_HALF_UP)


def exact_product(*factors: Number) -> Decimal:
    """Product of entered decimals in Decimal (60 digits), not rounded."""
    out = Decimal(1)
    for f in factors:
        out = EXACT.multiply(out, to_decimal(f))
    return out


def money_sum(amounts: Iterable[Decimal]) -> Decimal:
    """Sum of already-rounded amounts (exact; no rounding)."""
    total = Decimal("0.00")
    for a in amounts:
        total += a
    return total


def fmt(amount: Decimal) -> str:
    """JSON form of an amount: a string with two decimals (``"42600.00"``)."""
    return f"{amount:.2f}"


def fmt_grouped(amount: Decimal) -> str:
    """Display form with thousands separators (``42,600.00``)."""
    return f"{amount:,.2f}"


def to_display_step(x: Number, step: Decimal = Decimal(100)) -> Decimal:
    """Round to a display step (default 百元, 100 元), half-up: Monte Carlo bands only, never a ledger amount."""
    d = to_decimal(x)
    if not d.is_finite():
        raise ValueError(f"not a finite amount: {x!r}")
    return (d / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def plain(d: Decimal) -> str:
    """A Decimal without exponent or trailing zeros, for traces (``1E+1`` → ``10``)."""
    return format(d.normalize(), "f")
