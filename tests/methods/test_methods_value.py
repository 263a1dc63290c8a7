"""methods.value: interim value loss and permanent loss (perpetuity / horizon)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factors.errors import InputError
from methods.discounting import discount_factors
from methods.value import permanent_value_loss, value_loss


def test_hand_worked_value_loss():
    # V = 2 000 元/(hm²·年), Q = 10 hm², loss fraction 30 % in 2021, 20 % in 2022, 10 % in 2023;
    # base year 2024, r = 3 %, start of year:
    #   2021: 2000 × 10 × 0.30 × 1.03³ (1.092727) = 6000 × 1.092727 = 6556.362
    #   2022: 2000 × 10 × 0.20 × 1.03² (1.0609)   = 4000 × 1.0609   = 4243.6
    #   2023: 2000 × 10 × 0.10 × 1.03             = 2000 × 1.03     = 2060
    #   total = 6556.362 + 4243.6 + 2060 = 12 859.962 元
    v = value_loss(2000, 10, [0.3, 0.2, 0.1], [2021, 2022, 2023], 2024, 0.03)
    assert type(v) is float
    assert math.isclose(v, 12859.962, rel_tol=1e-12)


def test_value_loss_zero_rate_and_mid_year():
    # r = 0: 6000 + 4000 + 2000 = 12 000 元, whatever the timing
    for timing in ("start", "mid", "end"):
        assert math.isclose(value_loss(2000, 10, [0.3, 0.2, 0.1], [2021, 2022, 2023], 2024, 0.0, timing), 12000.0,
                            rel_tol=1e-15)
    # mid-year, one year 2023 at base 2024: 2000 × 1.03^0.5 = 2029.7783…
    assert math.isclose(value_loss(2000, 10, 0.1, [2023], 2024, 0.03, "mid"), 2000 * math.sqrt(1.03), rel_tol=1e-12)


def test_value_loss_per_year_values_and_cases():
    # V_t varies by year; two cases with their own rates (case-axis) and quantities (cases, 1)
    out = value_loss([100.0, 200.0], np.array([[1.0], [2.0]]), 1.0, [2024, 2025], 2024, np.array([0.0, 0.0]))
    assert out.tolist() == [300.0, 600.0]
    for i, (q, r) in enumerate([(1.0, 0.0), (2.0, 0.0)]):
        assert value_loss([100.0, 200.0], q, 1.0, [2024, 2025], 2024, r) == out[i]


def test_scalar_equals_same_row_of_array_run():
    rng = np.random.default_rng(11)
    f = rng.uniform(0, 1, (40, 6))
    rates = rng.uniform(0, 0.08, 40)
    years = list(range(2018, 2024))
    batch = value_loss(1500.0, 3.0, f, years, 2024, rates)
    for i in (0, 20, 39):
        assert value_loss(1500.0, 3.0, f[i], years, 2024, float(rates[i])) == batch[i]


def test_permanent_perpetuity_and_horizon_by_hand():
    # annual loss A = 1 000 元/(hm²·年) × 5 hm² × 0.2 = 1 000 元/年
    # perpetuity (end of year): A / r = 1000 / 0.04 = 25 000 元
    assert math.isclose(permanent_value_loss(1000, 5, 0.2, 0.04), 25000.0, rel_tol=1e-12)
    # start of year: A (1 + r) / r = 1000 × 1.04 / 0.04 = 26 000 元
    assert math.isclose(permanent_value_loss(1000, 5, 0.2, 0.04, timing="start"), 26000.0, rel_tol=1e-12)
    # horizon 3 years, end of year: 1000/1.04 + 1000/1.04² + 1000/1.04³
    #   = 961.538462 + 924.556213 + 888.996359 = 2 775.091033 元
    h = permanent_value_loss(1000, 5, 0.2, 0.04, "horizon", 3)
    assert math.isclose(h, 1000 / 1.04 + 1000 / 1.04**2 + 1000 / 1.04**3, rel_tol=1e-12)
    assert math.isclose(h, 2775.091033, rel_tol=1e-9)
    # r = 0: A × H = 1000 × 30 = 30 000 元 exactly, any timing
    assert permanent_value_loss(1000, 5, 0.2, 0.0, "horizon", 30) == 30000.0
    assert permanent_value_loss(1000, 5, 0.2, 0.0, "horizon", 30, timing="mid") == 30000.0
    # H = 0 → 0
    assert permanent_value_loss(1000, 5, 0.2, 0.04, "horizon", 0) == 0.0


@settings(max_examples=60, deadline=None)
@given(r=st.floats(-0.5, 0.3), h=st.integers(0, 60), timing=st.sampled_from(["start", "mid", "end"]))
def test_horizon_equals_sum_of_discount_factors(r, h, timing):
    # closed form == Σ_{k=0}^{H−1} DF(t_v + k; base t_v) from methods.discounting
    expected = 500.0 * float(np.sum(discount_factors(np.arange(h), 0, r, timing))) if h else 0.0
    got = permanent_value_loss(500, 1, 1.0, r, "horizon", h, timing=timing)
    assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=60, deadline=None)
@given(r=st.floats(0.005, 0.2), h=st.integers(0, 200))
def test_horizon_below_perpetuity_and_monotone_in_duration(r, h):
    a = permanent_value_loss(100, 1, 1.0, r, "horizon", h)
    b = permanent_value_loss(100, 1, 1.0, r, "horizon", h + 1)
    assert a <= b <= permanent_value_loss(100, 1, 1.0, r) * (1 + 1e-12)


@settings(max_examples=60, deadline=None)
@given(f1=st.floats(0, 1), f2=st.floats(0, 1), q=st.floats(0, 1e6), k=st.integers(0, 100), r=st.floats(0, 0.1))
def test_value_loss_monotone_in_fraction_and_linear_in_quantity(f1, f2, q, k, r):
    lo, hi = sorted((f1, f2))
    years = [2020, 2021, 2022]
    assert value_loss(10, q, lo, years, 2024, r) <= value_loss(10, q, hi, years, 2024, r)
    assert math.isclose(value_loss(10, k * q, hi, years, 2024, r), k * value_loss(10, q, hi, years, 2024, r),
                        rel_tol=1e-12, abs_tol=1e-9)


@settings(max_examples=40, deadline=None)
@given(n1=st.integers(1, 10), n2=st.integers(1, 10), r=st.floats(0, 0.1))
def test_value_loss_monotone_in_duration(n1, n2, r):
    lo, hi = sorted((n1, n2))
    assert value_loss(10, 1, 0.5, list(range(2020, 2020 + lo)), 2024, r) <= \
        value_loss(10, 1, 0.5, list(range(2020, 2020 + hi)), 2024, r)


def test_error_paths():
    with pytest.raises(InputError, match=r"loss_fraction\[1\]"):
        value_loss(10, 1, [0.5, 1.2], [2020, 2021], 2024, 0.03)
    with pytest.raises(InputError, match=r"unit_value\[0\]"):
        value_loss([-1.0, 2.0], 1, 0.5, [2020, 2021], 2024, 0.03)
    with pytest.raises(InputError, match="discount_rate"):
        value_loss(10, 1, 0.5, [2020], 2024, -1.0)
    with pytest.raises(InputError, match="quantity"):
        value_loss(10, [1.0, 2.0, 3.0], 0.5, [2020, 2021], 2024, 0.03)  # 3 values for 2 years
    with pytest.raises(InputError, match="discount_rate"):
        permanent_value_loss(1000, 5, 0.2, 0.0)  # perpetuity needs r > 0
    with pytest.raises(InputError, match="discount_rate"):
        permanent_value_loss(1000, 5, 0.2, "4%")
    with pytest.raises(InputError, match="horizon_years"):
        permanent_value_loss(1000, 5, 0.2, 0.04, "horizon")
    with pytest.raises(InputError, match="horizon_years"):
        permanent_value_loss(1000, 5, 0.2, 0.04, "horizon", 2.5)
    with pytest.raises(InputError, match="horizon_years"):
        permanent_value_loss(1000, 5, 0.2, 0.04, "perpetuity", 30)
    with pytest.raises(InputError, match="method"):
        permanent_value_loss(1000, 5, 0.2, 0.04, "annuity")
    with pytest.raises(InputError, match="loss_fraction"):
        permanent_value_loss(1000, 5, 1.5, 0.04)
