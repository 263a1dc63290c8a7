"""Money: one rounding rule (half-up to the fen, per line item) and exact totals."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factors.money import exact_product, fmt, money_sum, to_fen


@pytest.mark.parametrize("x, expected", [
    ("2.675", "2.68"),      # half-up, not banker's (half-even would give 2.68 too; next case differs)
    ("2.665", "2.67"),      # half-even would give 2.66
    (1.005, "1.01"),        # float via repr: '1.005' (Decimal(1.005) would be 1.00499… → 1.00)
    (-2.675, "-2.68"),      # away from zero at the half
    ("0.004", "0.00"),
    ("0.005", "0.01"),
    (Fraction(1, 3), "0.33"),
    (Fraction(2, 3), "0.67"),
    (42600, "42600.00"),
])
def test_to_fen_half_up(x, expected):
    assert to_fen(x) == Decimal(expected)


def test_numpy_round_would_be_wrong_but_to_fen_is_right():
    import numpy as np

    assert np.round(1.005, 2) == 1.0          # the trap the design note warns about
    assert to_fen(1.005) == Decimal("1.01")


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", float("nan"), float("inf")])
def test_to_fen_rejects_non_amounts(bad):
    with pytest.raises(ValueError):
        to_fen(bad)


def test_exact_product_e1():
    # E1 (law_and_methods.md §4): 1200 t × 35.50 元/t × 1.5 = 42 600.00 × 1.5 = 63 900.00 元
    assert to_fen(exact_product("1200", "35.50", "1.5")) == Decimal("63900.00")


def test_fmt_two_decimals():
    assert fmt(Decimal("42600")) == "42600" or fmt(to_fen("42600")) == "42600.00"
    assert fmt(to_fen("42600")) == "42600.00"


amounts = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), allow_nan=False, allow_infinity=False,
                      places=6)


@given(st.lists(amounts, max_size=40))
def test_total_is_exact_sum_of_rounded_items(xs):
    items = [to_fen(x) for x in xs]
    total = money_sum(items)
    # every printed part has two decimals and the parts add up to the printed total exactly
    assert all(i == i.quantize(Decimal("0.01")) for i in items)
    assert total == sum(items, Decimal("0.00"))
    assert fmt(total) == fmt(sum((Decimal(fmt(i)) for i in items), Decimal("0.00")))


@given(amounts)
def test_rounding_error_at_most_half_fen(x):
    assert abs(to_fen(x) - x) <= Decimal("0.005")


@pytest.mark.parametrize("x", ["-0.004", "-0", -1e-13, "-0.00"])
def test_to_fen_never_gives_negative_zero(x):
    # -0.004 rounds half-up to zero; Decimal keeps the sign ("-0.00"), which was printed as an amount
    # (a float residue of -1e-13 from a discounted kernel, a typed "-0"): zero is "0.00".
    assert fmt(to_fen(x)) == "0.00"


def test_negative_zero_cost_is_printed_as_zero(write_json, minimal_case):
    from assess.app.api import assess_case

    minimal_case["cost_items"][0]["amount"]["value"] = "-0"
    d = assess_case(minimal_case).to_dict()["ledger"]
    assert d["assessment_costs"]["items"][0]["amount"] == "0.00"
    assert d["assessment_costs"]["amount"] == "0.00"
