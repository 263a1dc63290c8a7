"""methods.virtual_cost: E1, the 2014 range-bounded method, properties, error paths."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factors.errors import InputError
from factors.money import to_fen
from methods.virtual_cost import virtual_treatment_cost, virtual_treatment_cost_2014

finite = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)


def test_e1_worked_example():
    # law_and_methods.md §4 E1: E = 1200 t, C = 35.50 元/t, γ = 1.5
    # 1200 × 35.50 = 42 600.00 元; 42 600.00 × 1.5 = 63 900.00 元
    d = virtual_treatment_cost(1200, 35.50, 1.5)
    assert type(d) is float
    assert d == 63900.0
    assert str(to_fen(d)) == "63900.00"


def test_scalar_equals_same_row_of_array_run():
    rng = np.random.default_rng(1)
    e, c, g = rng.uniform(0, 1e4, 1000), rng.uniform(0, 500, 1000), rng.uniform(0.5, 3, 1000)
    arr = virtual_treatment_cost(e, c, g)
    for i in (0, 17, 999):
        assert virtual_treatment_cost(float(e[i]), float(c[i]), float(g[i])) == arr[i]  # exact


def test_broadcasting_and_zero():
    out = virtual_treatment_cost([1200, 0], 35.5, 1.5)
    assert out.tolist() == [63900.0, 0.0]


@settings(max_examples=60, deadline=None)
@given(e=finite, c=finite, g=st.floats(0, 10), k=st.integers(0, 1000))
def test_linear_in_quantity(e, c, g, k):
    # D(k·E) == k·D(E) up to float rounding
    assert math.isclose(virtual_treatment_cost(k * e, c, g), k * virtual_treatment_cost(e, c, g),
                        rel_tol=1e-12, abs_tol=1e-300)


@settings(max_examples=60, deadline=None)
@given(e1=finite, e2=finite, c=finite, g=st.floats(0, 10))
def test_monotone_in_quantity(e1, e2, c, g):
    lo, hi = sorted((e1, e2))
    assert virtual_treatment_cost(lo, c, g) <= virtual_treatment_cost(hi, c, g)


def test_2014_method_inside_range_and_bounds_inclusive():
    # 1200 t × 35.50 元/t = 42 600 元; × 5 = 213 000 元 (surface water III 4.5–6, SECOND-HAND range)
    assert virtual_treatment_cost_2014(1200, 35.50, 5.0, (4.5, 6.0)) == 213000.0
    # bounds included: 42 600 × 4.5 = 191 700; 42 600 × 6 = 255 600
    assert virtual_treatment_cost_2014(1200, 35.50, 4.5, (4.5, 6.0)) == 191700.0
    assert virtual_treatment_cost_2014(1200, 35.50, 6.0, (4.5, 6.0)) == 255600.0
    # open upper end (class I ">8")
    assert virtual_treatment_cost_2014(1, 1.0, 9.0, (8.0, math.inf)) == 9.0


def test_2014_per_case_ranges():
    out = virtual_treatment_cost_2014([1, 1], [10.0, 10.0], [5.0, 2.0], ([4.5, 1.5], [6.0, 3.0]))
    assert out.tolist() == [50.0, 20.0]
    with pytest.raises(InputError) as e:
        virtual_treatment_cost_2014([1, 1], [10.0, 10.0], [5.0, 5.0], ([4.5, 1.5], [6.0, 3.0]))
    assert e.value.path == "multiplier[1]"


def test_2014_multiplier_outside_range_names_range_and_source():
    with pytest.raises(InputError) as e:
        virtual_treatment_cost_2014(1200, 35.5, 6.01, (4.5, 6.0), range_source="环办〔2014〕90号 地表水III类")
    assert e.value.path == "multiplier"
    assert "[4.5, 6]" in str(e.value) and "环办〔2014〕90号 地表水III类" in str(e.value)
    with pytest.raises(InputError, match="multiplier"):
        virtual_treatment_cost_2014(1200, 35.5, 4.49, (4.5, 6.0))


@pytest.mark.parametrize("rng_", [(6.0, 4.5), (4.5,), "4.5-6", (np.nan, 6.0), (4.5, np.nan), (-1.0, 2.0)])
def test_2014_malformed_range(rng_):
    with pytest.raises(InputError, match="multiplier_range"):
        virtual_treatment_cost_2014(1200, 35.5, 5.0, rng_)


def test_errors_negative_nonfinite_by_row_and_all_reported():
    q = np.full(20, 100.0)
    q[17] = np.nan
    with pytest.raises(InputError) as e:
        virtual_treatment_cost(q, 35.5, 1.5)
    assert e.value.path == "quantity[17]"
    with pytest.raises(InputError) as e:
        virtual_treatment_cost(-1, -35.5, "1.5")
    assert [p.path for p in e.value.problems] == ["quantity", "unit_cost", "gamma"]
    with pytest.raises(InputError, match="quantity, unit_cost"):
        virtual_treatment_cost([1, 2, 3], [1, 2], 1.0)
