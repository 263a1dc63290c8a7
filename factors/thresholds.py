"""Threshold comparisons 门槛比较: ``amount op threshold`` with the operator stored in the data.

One home for the comparison of an amount with a threshold (CC Art. 1259: 以上/以下/以内 include the
number, 超过/不满 exclude it; the wording of each operator is :data:`factors.store.OP_WORDING`).

* :func:`compare` — one value (Decimal, Fraction or int), used where a single number is compared;
* :func:`compare_array` — arrays, exact: ``left / left_den  op  num / den`` on integers (int64, e.g.
  amounts in fen against a Fraction threshold scaled to fen), falling back to Python integers where
  a cross product could overflow int64.  Never through floats.
"""

from __future__ import annotations

import operator
from fractions import Fraction
from typing import Any

import numpy as np

from factors.store import OPS

_INT64_SAFE = 2 ** 62


def compare(amount: Any, op: str, threshold: Any) -> bool:
    """``amount op threshold`` with the operator stored in the data (one of ``<=``, ``<``, ``>=``, ``>``).

    >>> compare(500000, "<=", 500000), compare(500001, "<", 500001)
    (True, False)
    """
    return bool(_operator(op)(amount, threshold))


#: The operators of the data (``op`` in ``data/parameters``), each once.
_OPERATORS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}


def _operator(op: str) -> Any:
    if op not in OPS:
        raise ValueError(f"unknown operator {op!r}; expected one of {OPS}")
    return _OPERATORS[op]


def _apply(a: Any, op: str, b: Any) -> np.ndarray:
    return np.asarray(_operator(op)(a, b), bool)


def _ints(x: Any, n: int) -> np.ndarray:
    a = np.asarray(x)
    if a.dtype == object:
        a = np.array([int(v) for v in a.ravel()], object).reshape(a.shape)
    return np.broadcast_to(a, (n,)) if a.ndim == 0 else a


def _max_abs(a: np.ndarray) -> int:
    if a.size == 0:
        return 0
    return max(abs(int(a.max())), abs(int(a.min())))


def compare_array(left: Any, op: str, num: Any, den: Any = 1, left_den: Any = 1) -> np.ndarray:
    """Exact ``left / left_den  op  num / den`` element-wise (denominators positive; scalars broadcast).

    ``left`` is typically int64 fen and ``num/den`` a threshold in fen (``Fraction(value) * 100``);
    ``left_den`` divides the left side (a ratio ``a / b`` of two fen amounts).  The comparison is
    ``left × den  op  num × left_den`` in int64 when every product stays below 2⁶², else in Python ints.

    >>> compare_array(np.array([50000000, 50000001]), "<=", 50000000)      # 500000.00 元 vs 500000 元, in fen
    array([ True, False])
    >>> compare_array(np.array([3, 2]), ">=", 3, 2, left_den=np.array([2, 2]))   # 3/2 ≥ 1.5, 2/2 ≥ 1.5
    array([ True, False])
    """
    left = np.asarray(left)
    n = left.shape[0] if left.ndim else 1
    left = _ints(left.reshape(-1) if left.ndim == 0 else left, n)
    num, den, ld = _ints(num, n), _ints(den, n), _ints(left_den, n)
    if n == 0:
        return np.zeros(0, bool)
    small = (left.dtype != object and num.dtype != object and den.dtype != object and ld.dtype != object
             and _max_abs(left) * _max_abs(den) < _INT64_SAFE and _max_abs(num) * _max_abs(ld) < _INT64_SAFE)
    if small:
        return _apply(left.astype(np.int64) * den.astype(np.int64), op, num.astype(np.int64) * ld.astype(np.int64))
    obj = lambda a: np.array([int(v) for v in a], object)  # noqa: E731
    return _apply(obj(left) * obj(den), op, obj(num) * obj(ld))


def fraction_parts(value: Any, scale: int = 1) -> tuple[int, int]:
    """``value × scale`` as an exact (numerator, denominator) pair (a Decimal threshold in 元 → fen with 100)."""
    f = Fraction(value) * scale
    return f.numerator, f.denominator


__all__ = ["compare", "compare_array", "fraction_parts"]
