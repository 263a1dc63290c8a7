"""methods.discounting: factors, timing, r = 0, rate validation."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factors.errors import InputError
from methods.discounting import discount_factors


def test_hand_worked_factors():
    # base year 2024, r = 3 %, start of year:
    # 2022: 1.03² = 1.0609 (compounded); 2024: 1; 2026: 1.03⁻² = 1/1.0609 = 0.942595909133754
    df = discount_factors([2022, 2024, 2026], 2024, 0.03)
    assert df[0] == pytest.approx(1.0609, rel=1e-12)
    assert df[1] == 1.0
    assert df[2] == pytest.approx(1 / 1.0609, rel=1e-12)


def test_timing_conventions():
    # year 2023, base 2024, 3 %: start t'=2023 → 1.03; mid t'=2023.5 → 1.03^0.5; end t'=2024 → 1
    assert discount_factors(2023, 2024, 0.03, "start") == pytest.approx(1.03, rel=1e-15)
    assert discount_factors(2023, 2024, 0.03, "mid") == pytest.approx(math.sqrt(1.03), rel=1e-15)
    assert discount_factors(2023, 2024, 0.03, "end") == 1.0


def test_zero_rate_is_exactly_one():
    df = discount_factors(np.arange(1990, 2060), 2024, 0.0, "mid")
    assert (df == 1.0).all()
    assert discount_factors(1990, 2024, 0.0) == 1.0
    out = discount_factors([2000, 2000], 2024, np.array([0.0, 0.03]))
    assert out[0] == 1.0 and out[1] > 1


def test_per_case_rates_against_year_axis():
    rates = np.array([0.0, 0.03, 0.05])
    df = discount_factors(np.array([2023, 2024, 2025]), 2024, rates[:, None])
    assert df.shape == (3, 3)
    assert (df[:, 1] == 1.0).all()
    assert df[2, 0] == pytest.approx(1.05)


def test_scalar_equals_same_row_of_array_run():
    years = np.arange(2000, 2050)
    arr = discount_factors(years, 2024, 0.035, "mid")
    for i in (0, 24, 49):
        assert discount_factors(int(years[i]), 2024, 0.035, "mid") == arr[i]


@settings(max_examples=80, deadline=None)
@given(tb=st.integers(1950, 2100), r=st.floats(-0.5, 0.5), timing=st.sampled_from(["start", "mid", "end"]))
def test_factor_at_base_year_is_one(tb, r, timing):
    offset = {"start": 0, "mid": 0.5, "end": 1}[timing]
    assert discount_factors(tb - offset, tb, r, timing) == 1.0


@settings(max_examples=80, deadline=None)
@given(r=st.floats(0.0, 0.2), t1=st.integers(1980, 2060), t2=st.integers(1980, 2060))
def test_later_years_never_worth_more(r, t1, t2):
    lo, hi = sorted((t1, t2))
    assert discount_factors(hi, 2024, r) <= discount_factors(lo, 2024, r)


@pytest.mark.parametrize("bad", ["3%", "0.03", -1.0, -1.5, np.nan, np.inf, True, None, [0.03, -2.0]])
def test_bad_rate_names_discount_rate(bad):
    with pytest.raises(InputError) as e:
        discount_factors([2020, 2021], 2024, bad)
    assert "discount_rate" in str(e.value)


def test_bad_timing_and_years():
    with pytest.raises(InputError, match="timing"):
        discount_factors(2020, 2024, 0.03, "middle")
    with pytest.raises(InputError, match=r"years\[1\]"):
        discount_factors([2020, np.nan], 2024, 0.03)
    with pytest.raises(InputError, match="base_year"):
        discount_factors(2020, "2024", 0.03)
