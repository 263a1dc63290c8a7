"""methods._validate: conversion, index-reported checks, output convention."""

from decimal import Decimal

import numpy as np
import pytest

from factors.errors import InputError
from methods._validate import (
    Checks,
    as_float_array,
    broadcast_shape,
    require_finite,
    require_fraction,
    require_in_range,
    require_non_negative,
    result,
)


def test_as_float_array_scalars_lists_decimals():
    assert as_float_array(3, "q").shape == ()
    assert as_float_array([1, 2], "q").dtype == np.float64
    assert as_float_array([Decimal("35.50"), Decimal("1")], "q").tolist() == [35.5, 1.0]
    a = np.arange(3.0)
    assert as_float_array(a, "q") is a  # no copy for float64


@pytest.mark.parametrize("bad", ["3%", "0.03", b"1", True, np.bool_(False), [True, False], ["1", "2"], 1 + 2j,
                                 [[1, 2], [3]], None, [1, None], np.datetime64("2024-01-01")])
def test_as_float_array_refuses_non_numbers(bad):
    with pytest.raises(InputError) as e:
        as_float_array(bad, "quantity")
    assert e.value.path.startswith("quantity")


def test_as_float_array_refuses_pint_quantity():
    from factors.units import ureg

    with pytest.raises(InputError, match="boundary"):
        as_float_array(ureg.Quantity(3.0, "t"), "quantity")


def test_require_finite_reports_row_index():
    x = np.ones(30)
    x[17] = np.nan
    with pytest.raises(InputError) as e:
        require_finite(x, "quantity")
    assert e.value.path == "quantity[17]"


def test_require_finite_lists_at_most_five_rows_and_counts_the_rest():
    x = np.ones(100)
    bad = [3, 10, 11, 40, 41, 42, 99]
    x[bad] = np.inf
    with pytest.raises(InputError) as e:
        require_finite(x, "quantity")
    paths = [p.path for p in e.value.problems]
    assert paths[:5] == ["quantity[3]", "quantity[10]", "quantity[11]", "quantity[40]", "quantity[41]"]
    assert "2 more" in str(e.value) and "7 in total" in str(e.value)


def test_require_finite_2d_index():
    x = np.ones((4, 3))
    x[2, 1] = -np.inf
    with pytest.raises(InputError) as e:
        require_finite(x, "levels")
    assert e.value.path == "levels[2, 1]"


def test_require_non_negative_and_fraction():
    assert require_non_negative(np.array([0.0, 1.0]), "a") is not None
    with pytest.raises(InputError, match=r"area\[1\]"):
        require_non_negative(np.array([0.0, -0.0001]), "area")
    with pytest.raises(InputError, match=r"f\[0\]"):
        require_fraction(np.array([-0.1, 0.5]), "f")
    with pytest.raises(InputError, match=r"f\[1\].*\[0, 1\]"):
        require_fraction(np.array([0.1, 1.0000001]), "f")
    require_fraction(np.array([0.0, 1.0]), "f")  # bounds included


def test_require_in_range_inclusive_and_names_source():
    require_in_range(np.array([4.5, 6.0]), 4.5, 6.0, "k", "src")
    with pytest.raises(InputError) as e:
        require_in_range(np.array([4.49]), 4.5, 6.0, "k", "环办〔2014〕90号 surface water III")
    assert "[4.5, 6]" in str(e.value) and "环办〔2014〕90号" in str(e.value)
    require_in_range(np.array([100.0]), 8.0, np.inf, "k", "class I")  # open upper end
    with pytest.raises(InputError, match=r"k\[1\]"):  # per-element bounds
        require_in_range(np.array([1.0, 1.0]), np.array([0.0, 2.0]), np.array([2.0, 3.0]), "k", "x")


def test_broadcast_shape_error_names_fields():
    with pytest.raises(InputError, match="quantity, unit_cost"):
        broadcast_shape(quantity=np.ones(3), unit_cost=np.ones(4))


def test_result_convention():
    assert type(result(np.array(1.5))) is float
    assert isinstance(result(np.ones(2)), np.ndarray)


def test_checks_collects_all_problems():
    c = Checks()
    c.array([1.0, np.nan], "quantity", "non_negative")
    c.array(-2, "unit_cost", "non_negative")
    c.array(2.0, "gamma", "fraction")
    with pytest.raises(InputError) as e:
        c.done()
    assert [p.path for p in e.value.problems] == ["quantity[1]", "unit_cost", "gamma"]
