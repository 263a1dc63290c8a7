"""Exact money (金额精确到分).

Rounding rule (the only one in the project): an amount is rounded **once, per line item**, to
0.01 元 with ROUND_HALF_UP (四舍五入, away from zero at the half: 2.675 → 2.68, −2.675 → −2.68).
Totals are sums of rounded line items and are never rounded again, so the parts printed always add
up to the printed total exactly.

Floats enter through ``repr`` (the shortest string that round-trips), never ``Decimal(float)``:
``Decimal(1.005)`` is 1.00499999…, while ``repr(1.005)`` is ``'1.005'`` → 1.01.  Products of entered
decimals are computed in Decimal from the input strings (:func:`exact_product`).

Arrays (the batch, and every valuation line amount): :func:`round_fen` rounds float64 amounts to int64
fen and sends each amount at or near a half fen to :func:`to_fen` (the tie rule lives there only);
:func:`product_fen` rounds exact products of decimal columns (:class:`Decimals`), in int64 where it
fits and Decimal otherwise.  The single case calls them on columns of length one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from typing import Callable, Iterable, Sequence, Union

import numpy as np

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
    fen and the sums could not be held exactly).  The array path (:func:`round_fen`) sends every
    amount at or near a half fen here, so the tie rule lives in this function only.
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


def to_step(x: Number, step: Number = FEN) -> Decimal:
    """Round an amount in 元 to a stated step (0.01, 1, 10, 100 … 元), half-up: the award's rounding as a
    judicial choice (:mod:`assess.law.rounding`).  The result keeps two decimals (``12346.00``).

    The tie rule is :func:`to_fen`'s (half-up, away from zero, never ``-0.00``); ``to_step(x, "0.01")``
    is ``to_fen(x)``.  ``step`` must be a positive power of ten no finer than the fen.
    """
    s = to_decimal(step)
    if not s.is_finite() or s < FEN or s.normalize().as_tuple().digits != (1,):
        raise ValueError(f"a rounding step is a power of ten from 0.01 元 up, got {step!r}")
    to_fen(x)   # validates the amount (finite, below MAX_AMOUNT); the step is taken on the exact value
    q = (to_decimal(x) / s).quantize(Decimal(1), rounding=ROUND_HALF_UP) * s
    return q.quantize(FEN) if q else FEN * 0


def to_display_step(x: Number, step: Decimal = Decimal(100)) -> Decimal:
    """Round to a display step (default 百元, 100 元), half-up: Monte Carlo bands, or a figure compared at the
    precision it was printed (``factors.printed``); never a ledger amount."""
    d = to_decimal(x)
    if not d.is_finite():
        raise ValueError(f"not a finite amount: {x!r}")
    return (d / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def plain(d: Decimal) -> str:
    """A Decimal without exponent or trailing zeros, for traces (``1E+1`` → ``10``)."""
    return format(d.normalize(), "f")


# -- arrays: the same rounding on many amounts at once ----------------------------------------------
#
# A million line items cannot each go through Decimal (~1 µs) and still screen a docket in a second,
# so amounts travel as float64 and are rounded to int64 fen.  Away from a half fen every rounding rule
# gives the same fen, and a float64 product or kernel sum of a few decimals is off by < 1e-15
# relative, so the float decides those.  An amount within :data:`MARGIN` (relative) of a half fen,
# above :data:`BIG_FEN`, or not finite is decided exactly: by integer arithmetic on the decimals where
# it fits in int64, otherwise by :func:`to_fen` on the exact Decimal, the scalar path itself.  Hence
# array result == Decimal result, row by row (tests/test_money.py checks it by property).

#: A float amount this close (relative) to a half fen is decided exactly.  float64 products of a few
#: decimals are off by < 1e-15 relative, so 1e-12 leaves a thousandfold margin.
MARGIN = 1e-12
#: Above this many fen a float no longer resolves the fen safely: decided exactly.
BIG_FEN = 2.0 ** 50
#: Largest ledger line amount, in 元, that either path accepts (以下: 10^15 元 itself is accepted), the
#: single case and the batch alike (issue 13): held as int64 fen, sums of up to ~90 such lines stay far
#: from overflow.  Not a legal number: a bound of the calculator (README, "Limits").
MAX_LINE_AMOUNT = Decimal(10) ** 15
#: The message id (``errors`` catalogue) of a line above :data:`MAX_LINE_AMOUNT`, on both paths.
LINE_AMOUNT_EXPECTED = "an amount of at most 10^15 元 per ledger line"
#: :data:`MAX_LINE_AMOUNT` in fen; larger (exact) amounts are kept aside in :attr:`Fen.big` (refused).
MAX_INT_FEN = int(MAX_LINE_AMOUNT) * 100


def _fen_int(q: Decimal) -> int:
    """A Decimal already to the fen → its whole number of fen."""
    return int(q.scaleb(2))


@dataclass
class Fen:
    """Amounts rounded to the fen (half-up): int64 fen per element, and the elements that have none.

    ``failed``: position → the error (not finite, ``|x| ≥ 10^20`` 元 as :class:`AmountTooLarge`);
    ``big``: position → fen (a Python int) of an exact amount beyond :data:`MAX_INT_FEN`.  ``fen`` is
    0 at both.
    """

    fen: np.ndarray
    failed: dict[int, ValueError] = field(default_factory=dict)
    big: dict[int, int] = field(default_factory=dict)

    def amount(self, i: int = 0) -> Decimal:
        """Element ``i`` as a Decimal to the fen (the single path's ledger amount); raises its error."""
        if i in self.failed:
            raise self.failed[i]
        f = self.big.get(i, int(self.fen[i]))
        return to_fen(Decimal(f).scaleb(-2))

    @classmethod
    def zeros(cls, n: int) -> "Fen":
        return cls(np.zeros(n, np.int64))

    def put(self, pos: np.ndarray, part: "Fen") -> None:
        """Write ``part`` (computed on the elements ``pos`` of this array) into place."""
        self.fen[pos] = part.fen
        self.failed.update({int(pos[k]): e for k, e in part.failed.items()})
        self.big.update({int(pos[k]): f for k, f in part.big.items()})

    def take(self, pos: np.ndarray) -> "Fen":
        """The elements ``pos`` as an array of their own."""
        out = Fen(self.fen[pos])
        if self.failed or self.big:
            index = {int(p): k for k, p in enumerate(pos)}
            out.failed = {index[i]: e for i, e in self.failed.items() if i in index}
            out.big = {index[i]: f for i, f in self.big.items() if i in index}
        return out

    def ok(self) -> np.ndarray:
        """Mask of the elements with an int64 fen."""
        out = np.ones(self.fen.shape, bool)
        out[list(self.failed)] = False
        out[list(self.big)] = False
        return out


def round_fen(x: np.ndarray, exact: Callable[[int], Number] | None = None,
              exact_int: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None) -> Fen:
    """Half-up fen of the amounts ``x`` [元] (float64 array); elements at or near a half fen are exact.

    ``exact(i)``: the exact amount of element ``i`` (default: ``repr`` of the float ``x[i]``, as
    :func:`to_fen` reads a float).  ``exact_int(positions)``: optional ``(fen, ok)`` in integer
    arithmetic for the positions where it applies (see :meth:`Decimals.product_int`).

    >>> round_fen(np.array([1.005, 2.675, -2.675, 0.004])).fen.tolist()
    [101, 268, -268, 0]
    """
    x = np.asarray(x, dtype=np.float64)
    y = x * 100.0
    with np.errstate(invalid="ignore", over="ignore"):
        fl = np.floor(y)
        frac = y - fl
        ay = np.abs(y)
        near = ~np.isfinite(y) | (ay >= BIG_FEN) | (np.abs(frac - 0.5) <= MARGIN * np.maximum(ay, 1.0))
    fen = np.where(near, 0, fl + (frac >= 0.5)).astype(np.int64)
    out = Fen(fen)
    todo = np.flatnonzero(near)
    if exact_int is not None and todo.size:
        f_int, ok = exact_int(todo)
        fen[todo[ok]] = f_int[ok]
        todo = todo[~ok]
    for k in todo:
        i = int(k)
        try:
            f = _fen_int(to_fen(exact(i) if exact is not None else float(x[i])))
        except (ArithmeticError, ValueError) as exc:
            out.failed[i] = exc if isinstance(exc, ValueError) else ValueError(str(exc))
            continue
        if abs(f) > MAX_INT_FEN:
            out.big[i] = f
        else:
            fen[i] = f
    return out


def _decimal_ints(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(t, d) with ``v == t / 10**d`` for the decimal ``repr(v)`` (0 ≤ t < 10^15, d ≤ 6); d = -1 where none.

    A decimal of at most 15 significant digits is the only one of that length that rounds to its
    float, so ``t / 10**d`` is exactly ``Decimal(repr(v))``.
    """
    ints, scale = np.zeros(v.shape, np.int64), np.full(v.shape, -1, np.int64)
    for d in range(7):
        todo = np.flatnonzero(scale < 0)
        if todo.size == 0:
            break
        with np.errstate(invalid="ignore", over="ignore"):
            t = np.rint(v[todo] * 10.0 ** d)
            ok = (t >= 0) & (t < 1e15) & (t / 10.0 ** d == v[todo])
        ints[todo[ok]] = t[ok].astype(np.int64)
        scale[todo[ok]] = d
    return ints, scale


def terminating(f: Fraction) -> bool:
    """Whether ``f`` is a finite decimal (its denominator has no prime factor but 2 and 5)."""
    d = f.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


class Decimals:
    """A column of exact decimals: float64 values for the fast path, the exact decimal of any element on demand.

    * :meth:`from_floats`: the decimal of a float is its ``repr`` (the shortest round-trip form);
    * :meth:`from_text`: the decimal as typed (``x`` its nearest float);
    * :meth:`of`: given decimals (the single path: a column of length one).
    """

    def __init__(self, x: np.ndarray, dec: Callable[[int], Decimal], ints: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None):
        self.x = np.asarray(x, dtype=np.float64)
        self.dec = dec
        self._ints = ints

    @classmethod
    def from_floats(cls, x: np.ndarray, dec: Callable[[int], Decimal] | None = None) -> "Decimals":
        """Numbers read as floats: the decimal of each is its ``repr`` (or ``dec(i)``, e.g. a large int,
        which must agree with the float wherever that has at most 15 significant digits)."""
        x = np.asarray(x, dtype=np.float64)
        return cls(x, dec or (lambda i: Decimal(repr(float(x[i])))), lambda pos: _decimal_ints(x[pos]))

    @classmethod
    def from_text(cls, x: np.ndarray, text: Sequence[str]) -> "Decimals":
        return cls(x, lambda i: Decimal(str(text[i]).strip()), None)

    @classmethod
    def of(cls, values: Iterable[Number]) -> "Decimals":
        decs = [to_decimal(v) for v in values]
        ints, scale = np.zeros(len(decs), np.int64), np.full(len(decs), -1, np.int64)
        for k, d in enumerate(decs):
            if d.is_finite() and d >= 0:
                e = min(int(d.as_tuple().exponent), 0)
                if e >= -6:
                    t = int(d.scaleb(-e))
                    if t < 10 ** 15:
                        ints[k], scale[k] = t, -e
        x = np.array([float(d) for d in decs], dtype=np.float64)
        return cls(x, lambda i: decs[i], lambda pos: (ints[pos], scale[pos]))

    @classmethod
    def of_fen(cls, fen: np.ndarray) -> "Decimals":
        """Amounts already in fen (int64) as decimals of 元 (``fen / 100`` exactly)."""
        fen = np.asarray(fen, dtype=np.int64)
        x = fen / 100.0
        return cls(x, lambda i: Decimal(int(fen[i])).scaleb(-2),
                   lambda pos: (np.where(fen[pos] >= 0, fen[pos], 0), np.where((fen[pos] >= 0) & (fen[pos] < 10 ** 15), 2, -1)))

    def take(self, pos: np.ndarray) -> "Decimals":
        """The elements ``pos`` as a column of their own."""
        pos = np.asarray(pos, dtype=np.int64)
        ints = None if self._ints is None else (lambda p: self._ints(pos[p]))
        return Decimals(self.x[pos], lambda i: self.dec(int(pos[i])), ints)

    def ints(self, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(t, d) with the decimal of element ``pos`` = ``t / 10**d`` in int64; d = -1 where it is not held so."""
        if self._ints is None:
            return np.zeros(pos.size, np.int64), np.full(pos.size, -1, np.int64)
        return self._ints(pos)

    @staticmethod
    def product_int(columns: Sequence["Decimals"], factor: Fraction) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """Exact half-up fen of ``Π columns × factor`` in int64 at given positions, with the mask where it fits."""
        def run(pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            num = np.ones(pos.size, np.int64) * factor.numerator
            scale = np.zeros(pos.size, np.int64)
            ok = np.ones(pos.size, bool)
            est = np.full(pos.size, float(factor.numerator))
            for col in columns:
                t, d = col.ints(pos)
                ok &= d >= 0
                est *= t
                num = num * np.where(ok, t, 0)
                scale += np.maximum(d, 0)
            ok &= (est * 200.0 < 2.0 ** 61) & (scale <= 14)
            den = np.where(ok, 10 ** np.minimum(scale, 14), 1) * factor.denominator
            ok &= den < 2 ** 60 // 2
            num, den = np.where(ok, num, 0), np.where(ok, den, 1)
            return (200 * num + den) // (2 * den), ok   # floor(100·num/den + 1/2): half-up for num ≥ 0
        return run


def scale_exact(value: Decimal, factor: Fraction) -> Decimal:
    """``value × factor`` for a rational factor, exactly as far as 60 digits go (multiply, then divide)."""
    if factor == 1:
        return value
    return EXACT.divide(EXACT.multiply(value, Decimal(factor.numerator)), Decimal(factor.denominator))


def product_fen(columns: Sequence[Decimals], factor: Fraction = Fraction(1),
                exact: Callable[[int], Number] | None = None) -> Fen:
    """Half-up fen of ``Π columns × factor`` per element: the exact decimal product, rounded once.

    ``factor`` is an exact rational (a unit conversion); ``exact(i)`` the exact product of element
    ``i`` where integers do not hold it (default: :func:`exact_product` of the decimals, then
    :func:`scale_exact` by the factor).  Integer arithmetic applies where every decimal has at most
    15 digits and 6 places and the factor is a finite decimal.

    >>> d = Decimals.of
    >>> product_fen([d(["1200"]), d(["35.50"]), d(["1.5"])]).amount()     # E1: 1200 t × 35.50 元/t × 1.5
    Decimal('63900.00')
    >>> product_fen([d(["2.675"]), d(["1"])]).amount(), product_fen([d(["1.005"])]).amount()
    (Decimal('2.68'), Decimal('1.01'))
    """
    x = np.asarray(columns[0].x, dtype=np.float64)
    for col in columns[1:]:
        x = x * col.x
    if factor != 1:
        x = x * float(factor)
    if exact is None:
        def exact(i: int) -> Decimal:
            return scale_exact(exact_product(*(col.dec(i) for col in columns)), factor)
    usable = terminating(Fraction(factor)) and all(col._ints is not None for col in columns)
    return round_fen(x, exact, Decimals.product_int(columns, Fraction(factor)) if usable else None)
