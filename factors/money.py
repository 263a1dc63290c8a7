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


#: Largest line amount (exclusive), 10^20 元: fen amounts below it and their sums (up to 10^5 lines) stay
#: exact in the default 28-digit decimal context.
MAX_AMOUNT = Decimal(10) ** 20


class AmountTooLarge(ValueError):
    """An amount at or beyond :data:`MAX_AMOUNT` (callers turn it into an InputError naming the field)."""

    def __init__(self, amount: Decimal):
        self.amount = amount
        super().__init__(f"an amount below 10^20 元, got {amount:.6E} 元")


def to_fen(x: Number) -> Decimal:
    """Round an amount in 元 to the fen, half-up.  The one rounding point of the project.

    Raises :class:`AmountTooLarge` for ``|x| ≥ 10^20`` 元 (no real case comes near; beyond it the
    fen and the sums could not be held exactly).
    """
    try:
        d = to_decimal(x)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {x!r}") from exc
    if not d.is_finite():
        raise ValueError(f"not a finite amount: {x!r}")
    if abs(d) >= MAX_AMOUNT:
        raise AmountTooLarge(d)
    q = d.quantize(FEN, rounding=ROUND_HALF_UP)
    return q if q else FEN * 0  # never "-0.00" (from -0.004, a float residue or a typed "-0")


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


def allocate(total: Decimal, weights: Iterable[Number]) -> list[Decimal]:
    """Split ``total`` (already to the fen) by ``weights`` into fen amounts that sum to it exactly.

    Largest-remainder method (最大余额法), computed exactly in fractions of a fen:

    1. each part's exact quota is ``total × w_i / Σw`` (in fen, as a fraction);
    2. every part first gets the whole fen of its quota (rounded down);
    3. the fen left over (fewer than the number of parts) go one each to the parts with the
       largest fractional remainders; **ties go to the earlier part** (lower index: the obligor
       listed first, the earlier instalment).

    ``total`` must be a non-negative amount to the fen; weights non-negative with a positive sum.
    Equal weights give equal parts with the odd fen on the first parts:
    ``allocate(Decimal("100.00"), [1, 1, 1])`` → 33.34, 33.33, 33.33.
    """
    total = to_decimal(total)
    if total != total.quantize(FEN) or total < 0:
        raise ValueError(f"allocate: total must be a non-negative amount to the fen, got {total}")
    ws = [Fraction(to_decimal(w)) for w in weights]
    if not ws or any(w < 0 for w in ws) or sum(ws) <= 0:
        raise ValueError("allocate: weights must be non-negative with a positive sum")
    fen = int(total * 100)
    wsum = sum(ws)
    quotas = [fen * w / wsum for w in ws]
    parts = [q.numerator // q.denominator for q in quotas]
    left = fen - sum(parts)
    order = sorted(range(len(ws)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [(Decimal(p) / 100).quantize(FEN) for p in parts]


def to_display_step(x: Number, step: Decimal = Decimal(100)) -> Decimal:
    """Round to a display step (default 百元, 100 元), half-up: Monte Carlo bands only, never a ledger amount."""
    d = to_decimal(x)
    if not d.is_finite():
        raise ValueError(f"not a finite amount: {x!r}")
    return (d / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def plain(d: Decimal) -> str:
    """A Decimal without exponent or trailing zeros, for traces (``1E+1`` → ``10``)."""
    return format(d.normalize(), "f")
