"""Shared array checks for the valuation kernels (输入校验).

Every kernel in :mod:`methods` takes plain numbers or numpy array-likes (never pint quantities:
units are checked and converted once by the caller at the input boundary, see
:mod:`factors.units`) and validates them here before computing.

Conventions
-----------
* :func:`as_float_array` turns a scalar or array-like into a float64 ``numpy.ndarray``
  (0-d for a scalar).  Strings, booleans, complex numbers, dates and pint quantities are refused
  with :class:`~factors.errors.InputError`: ``"3%"`` or ``"0.03"`` is not a rate.
* The ``require_*`` checks return their argument unchanged so they can be chained, and report bad
  elements by **index in the array as passed**: ``quantity[17]`` for a 1-D input, ``levels[3, 2]``
  for a 2-D one (case 3, year 2), the bare name for a scalar.  At most five bad elements are listed;
  the error says how many there are in total.
* The error ``path`` is the kernel's argument name (e.g. ``quantity``, ``discount_rate``).  The
  caller (``assess``) maps it onto the case's own field path; kernels never see a case.
* :func:`result` gives the output convention of every kernel: a 0-d result (all inputs scalar)
  comes back as a Python ``float``, anything else as an ndarray of the broadcast shape.

Checks are vectorised and cost a few milliseconds per million elements; index lists are only
built when a check fails.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from factors.errors import InputError

__all__ = [
    "as_float_array",
    "require_finite",
    "require_non_negative",
    "require_positive",
    "require_fraction",
    "require_in_range",
    "broadcast_shape",
    "result",
    "MAX_LISTED",
    "Checks",
]

#: Bad elements listed individually in one error; the rest are counted.
MAX_LISTED = 5

_REFUSED_KINDS = {
    "b": "a number, not a boolean",
    "U": "a number, not a string",
    "S": "a number, not a string",
    "c": "a real number, not a complex number",
    "M": "a number, not a date",
    "m": "a number, not a time span",
    "V": "a number",
}


def _short(x: Any, limit: int = 60) -> str:
    text = repr(x)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_float_array(x: Any, path: str) -> np.ndarray:
    """Convert a scalar or array-like to a float64 ndarray (0-d for a scalar).

    Parameters
    ----------
    x : float, int, Decimal, sequence or numpy array-like
        The input.  Plain numbers only: units are converted before the kernel is called.
    path : str
        Field name used in the error message (e.g. ``"quantity"``).

    Returns
    -------
    numpy.ndarray
        float64 array, 0-d for a scalar input.  Not copied if already float64.

    Raises
    ------
    InputError
        ``x`` is a string, boolean, complex, date, pint quantity, ragged or otherwise non-numeric.

    Examples
    --------
    >>> as_float_array(3, "quantity")
    array(3.)
    >>> as_float_array([1, 2.5], "quantity")
    array([1. , 2.5])
    >>> as_float_array("3%", "discount_rate")
    Traceback (most recent call last):
    ...
    factors.errors.InputError: discount_rate: expected a number, not a string, got '3%'
    """
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        return x
    if isinstance(x, (str, bytes)):
        raise InputError(path, "a number, not a string", x)
    if isinstance(x, (bool, np.bool_)):
        raise InputError(path, "a number, not a boolean", x)
    if hasattr(x, "magnitude") and hasattr(x, "units"):
        raise InputError(path, "a plain number: convert units at the boundary (factors.units.magnitude_in)",
                         _short(x))
    try:
        raw = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested sequences
        raise InputError(path, "a number or a rectangular array of numbers", _short(x)) from exc
    kind = raw.dtype.kind
    if kind in _REFUSED_KINDS:
        raise InputError(path, _REFUSED_KINDS[kind], _short(x))
    if kind == "O":
        # e.g. a list of Decimals; refuse any element that is not a plain number.
        for idx, item in np.ndenumerate(raw):
            if isinstance(item, (str, bytes, bool, np.bool_, complex)) or item is None or (
                    hasattr(item, "magnitude") and hasattr(item, "units")):
                where = path if raw.ndim == 0 else f"{path}[{', '.join(map(str, idx))}]"
                raise InputError(where, "a number", _short(item))
    try:
        return np.asarray(raw, dtype=np.float64)
    except (ValueError, TypeError) as exc:
        raise InputError(path, "a number or an array of numbers", _short(x)) from exc


def fail(arr: np.ndarray, bad: np.ndarray, path: str, expected: str) -> InputError:
    """One InputError listing up to MAX_LISTED bad elements by index (raised by the caller)."""
    if arr.ndim == 0:
        return InputError(path, expected, float(arr))
    idx = np.argwhere(bad)
    total = len(idx)
    problems = []
    for row in idx[:MAX_LISTED]:
        key = ", ".join(str(int(i)) for i in row)
        problems.append(InputError(f"{path}[{key}]", expected, float(arr[tuple(row)])))
    if total > MAX_LISTED:
        problems.append(InputError(path, f"{expected} ({total - MAX_LISTED} more bad elements not listed, "
                                         f"{total} in total)"))
    return InputError.collect(problems)


def require_finite(arr: np.ndarray, path: str) -> np.ndarray:
    """Refuse NaN and ±inf, reporting each bad element by its index (up to five listed).

    Examples
    --------
    >>> import numpy as np
    >>> require_finite(np.array([1.0, 2.0]), "quantity")
    array([1., 2.])
    >>> require_finite(np.array([1.0, np.nan]), "quantity")
    Traceback (most recent call last):
    ...
    factors.errors.InputError: quantity[1]: expected a finite number, got nan
    """
    finite = np.isfinite(arr)
    if not finite.all():
        raise fail(arr, ~finite, path, "a finite number")
    return arr


def require_non_negative(arr: np.ndarray, path: str) -> np.ndarray:
    """Refuse negative elements (and NaN), by index.

    Examples
    --------
    >>> import numpy as np
    >>> require_non_negative(np.array([0.0, -1.0, 2.0]), "area")
    Traceback (most recent call last):
    ...
    factors.errors.InputError: area[1]: expected a number ≥ 0, got -1.0
    """
    if not (arr >= 0).all():
        raise fail(arr, ~(arr >= 0), path, "a number ≥ 0")
    return arr


def require_positive(arr: np.ndarray, path: str) -> np.ndarray:
    """Refuse elements ≤ 0 (and NaN), by index.

    Examples
    --------
    >>> require_positive(as_float_array(0.0, "baseline"), "baseline")
    Traceback (most recent call last):
    ...
    factors.errors.InputError: baseline: expected a number > 0, got 0.0
    """
    if not (arr > 0).all():
        raise fail(arr, ~(arr > 0), path, "a number > 0")
    return arr


def require_fraction(arr: np.ndarray, path: str) -> np.ndarray:
    """Refuse elements outside [0, 1] (and NaN), by index.

    Examples
    --------
    >>> import numpy as np
    >>> require_fraction(np.array([0.0, 0.5, 1.0]), "loss_fraction")
    array([0. , 0.5, 1. ])
    >>> require_fraction(np.array([0.2, 1.5]), "loss_fraction")
    Traceback (most recent call last):
    ...
    factors.errors.InputError: loss_fraction[1]: expected a fraction in [0, 1], got 1.5
    """
    ok = (arr >= 0) & (arr <= 1)
    if not ok.all():
        raise fail(arr, ~ok, path, "a fraction in [0, 1]")
    return arr


def _fmt_bound(x: Any) -> str:
    a = np.asarray(x, dtype=float)
    if a.ndim == 0:
        v = float(a)
        return "∞" if v == np.inf else ("−∞" if v == -np.inf else f"{v:g}")
    return "per-element bounds"


def require_in_range(arr: np.ndarray, low: Any, high: Any, path: str, what: str) -> np.ndarray:
    """Refuse elements outside the inclusive range ``[low, high]`` (bounds may be arrays).

    Parameters
    ----------
    arr : numpy.ndarray
        Values to check.
    low, high : float or array-like
        Inclusive bounds, broadcast against ``arr``; ``high`` may be ``inf`` for an open end.
    path : str
        Field name for the error.
    what : str
        What the range is and where it comes from (a citation string supplied by the caller,
        e.g. ``"multiplier range, 环办〔2014〕90号, surface water III (SECOND-HAND)"``).

    Examples
    --------
    >>> import numpy as np
    >>> require_in_range(np.array([5.0]), 4.5, 6.0, "multiplier", "surface water III")
    array([5.])
    >>> require_in_range(np.array([6.5]), 4.5, 6.0, "multiplier", "surface water III")
    Traceback (most recent call last):
    ...
    factors.errors.InputError: multiplier[0]: expected a value in [4.5, 6] (surface water III), got 6.5
    """
    ok = (arr >= low) & (arr <= high)
    if not np.all(ok):
        ok = np.broadcast_to(ok, np.broadcast_shapes(np.shape(arr), np.shape(ok)))
        full = np.broadcast_to(arr, ok.shape)
        raise fail(full, ~ok, path, f"a value in [{_fmt_bound(low)}, {_fmt_bound(high)}] ({what})")
    return arr


def broadcast_shape(**arrays: np.ndarray) -> tuple[int, ...]:
    """The common broadcast shape of named arrays, or an InputError naming them and their shapes.

    Examples
    --------
    >>> import numpy as np
    >>> broadcast_shape(quantity=np.ones(3), unit_cost=np.ones(()))
    (3,)
    >>> broadcast_shape(quantity=np.ones(3), unit_cost=np.ones(2))
    Traceback (most recent call last):
    ...
    factors.errors.InputError: quantity, unit_cost: expected arrays of broadcast-compatible shapes, got 'quantity (3,), unit_cost (2,)'
    """
    shapes = {k: np.shape(v) for k, v in arrays.items()}
    try:
        return tuple(np.broadcast_shapes(*shapes.values()))
    except ValueError:
        raise InputError(", ".join(shapes), "arrays of broadcast-compatible shapes",
                         ", ".join(f"{k} {s}" for k, s in shapes.items())) from None


def result(x: Any) -> Any:
    """Kernel output convention: 0-d → Python float, otherwise the ndarray itself.

    Examples
    --------
    >>> import numpy as np
    >>> result(np.float64(2.5)), type(result(np.array(2.5)))
    (2.5, <class 'float'>)
    >>> result(np.array([1.0, 2.0]))
    array([1., 2.])
    """
    if np.ndim(x) == 0:
        return float(x)
    return x


class Checks:
    """Collect input errors across several fields, then raise them together.

    Validation reports every problem at once (design note §8), not only the first one.

    Examples
    --------
    >>> c = Checks()
    >>> q = c.array(-1.0, "quantity", "non_negative")
    >>> p = c.array("x", "unit_cost", "non_negative")
    >>> c.done()
    Traceback (most recent call last):
    ...
    factors.errors.InputError: 2 input error(s): quantity: expected a number ≥ 0, got -1.0; unit_cost: expected a number, not a string, got 'x'
    """

    _KINDS = {
        "finite": lambda a, p: a,
        "non_negative": require_non_negative,
        "positive": require_positive,
        "fraction": require_fraction,
    }

    def __init__(self) -> None:
        self.problems: list[InputError] = []

    def add(self, exc: InputError) -> None:
        """Record an error (a collected error is flattened into its parts)."""
        self.problems.extend(exc.problems or [exc])

    def array(self, x: Any, path: str, kind: str = "finite") -> np.ndarray:
        """``as_float_array`` + ``require_finite`` + the check named by ``kind``; errors recorded.

        ``kind`` is one of ``"finite"``, ``"non_negative"``, ``"positive"``, ``"fraction"``.
        On error a NaN placeholder of the right shape (if known) is returned; call :meth:`done`
        before computing with it.
        """
        try:
            arr = as_float_array(x, path)
        except InputError as exc:
            self.add(exc)
            return np.full((), np.nan)
        try:
            require_finite(arr, path)
            self._KINDS[kind](arr, path)
        except InputError as exc:
            self.add(exc)
        return arr

    def run(self, check, *args) -> Any:
        """Call ``check(*args)``, recording an InputError instead of raising it."""
        try:
            return check(*args)
        except InputError as exc:
            self.add(exc)
            return None

    def done(self) -> None:
        """Raise all recorded errors as one InputError (nothing if there were none)."""
        if self.problems:
            problems, self.problems = self.problems, []
            raise InputError.collect(problems)
