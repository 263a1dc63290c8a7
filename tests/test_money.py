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


# -- the array path (factors.money.round_fen / product_fen): equal to the Decimal path row by row -----

import numpy as np  # noqa: E402

from factors.money import Decimals, product_fen, round_fen  # noqa: E402


def fen_of(d: Decimal) -> int:
    return int(to_fen(d).scaleb(2))


@pytest.mark.parametrize("x, fen", [
    (1.005, 101),      # repr '1.005' → 1.01 (np.round gives 1.0)
    (2.675, 268),      # repr '2.675' → 2.68 (the float is 2.67499999…)
    (-2.675, -268),    # away from zero at the half
    (0.004, 0), (0.005, 1), (-0.004, 0), (42600.0, 4260000),
])
def test_round_fen_array_hand_values(x, fen):
    assert round_fen(np.array([x])).fen.tolist() == [fen]


def test_round_fen_array_failures_and_big():
    out = round_fen(np.array([np.nan, np.inf, 1e20, 2e15, 3.0]))
    assert sorted(out.failed) == [0, 1, 2]
    assert out.big == {3: 200000000000000000}       # 2·10^15 元 = 2·10^17 fen > MAX_INT_FEN (10^17)
    assert out.fen[4] == 300 and out.ok().tolist() == [False, False, False, False, True]
    with pytest.raises(ValueError):
        out.amount(0)
    assert out.amount(3) == Decimal("2000000000000000.00")


half_fens = st.builds(lambda n, neg: (-1 if neg else 1) * (Decimal(n) + Decimal("0.5")) / 100,
                      st.integers(0, 10 ** 12), st.booleans())
decimals_6 = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), allow_nan=False,
                         allow_infinity=False, places=6)


@given(st.lists(st.one_of(decimals_6, half_fens), min_size=1, max_size=30))
def test_round_fen_floats_equal_decimal_path(xs):
    # a float enters as repr (to_fen's reading); exact half fens (1.005, 2.675, −2.675) included
    floats = np.array([float(x) for x in xs])
    out = round_fen(floats)
    assert out.fen.tolist() == [fen_of(Decimal(repr(float(x)))) for x in xs]


@given(st.lists(st.one_of(decimals_6, half_fens), min_size=1, max_size=30))
def test_round_fen_exact_decimals_equal_decimal_path(xs):
    # the exact value given beside its float: every element equals to_fen of the Decimal
    out = round_fen(np.array([float(x) for x in xs]), exact=lambda i: xs[i])
    assert out.fen.tolist() == [fen_of(x) for x in xs]


factor_st = st.sampled_from([Fraction(1), Fraction(1, 1000), Fraction(10000, 15), Fraction(1, 3), Fraction(10000)])
non_neg = st.decimals(min_value=Decimal(0), max_value=Decimal("1e6"), allow_nan=False, allow_infinity=False, places=3)


@given(st.lists(st.tuples(non_neg, non_neg, st.decimals(min_value=Decimal(0), max_value=Decimal(10), places=2)),
                min_size=1, max_size=30), factor_st, st.sampled_from(["floats", "text", "of"]))
def test_product_fen_equals_decimal_product(rows, factor, kind):
    cols = list(zip(*rows, strict=True))
    if kind == "floats":      # a numeric column: the decimal of each float is its repr
        arrays = [Decimals.from_floats(np.array([float(v) for v in c])) for c in cols]
        decs = [[Decimal(repr(float(v))) for v in c] for c in cols]
    elif kind == "text":
        arrays = [Decimals.from_text(np.array([float(v) for v in c]), [str(v) for v in c]) for c in cols]
        decs = [list(c) for c in cols]
    else:
        arrays = [Decimals.of(c) for c in cols]
        decs = [list(c) for c in cols]
    out = product_fen(arrays, factor)
    got = [out.big.get(i, int(out.fen[i])) for i in range(len(rows))]   # beyond 10^15 元: exact, kept aside
    want = []
    for i in range(len(rows)):
        p = exact_product(*(d[i] for d in decs))
        want.append(fen_of(p * factor.numerator / factor.denominator if factor.denominator != 1 else p * factor.numerator))
    assert got == want and not out.failed


@pytest.mark.parametrize("a, b, fen", [
    ("1.005", "1", 101), ("2.675", "1", 268), ("0.5", "0.01", 1), ("1.25", "0.02", 3), ("12.5", "0.001", 1),
])
def test_product_fen_exact_half_fens(a, b, fen):
    # 0.5 × 0.01 = 0.005 元 → 1 fen; 1.25 × 0.02 = 0.025 → 3 fen; 12.5 × 0.001 = 0.0125 → 1 fen
    for make in (lambda v: Decimals.of([v]), lambda v: Decimals.from_floats(np.array([float(v)])),
                 lambda v: Decimals.from_text(np.array([float(v)]), [v])):
        assert product_fen([make(a), make(b)]).fen.tolist() == [fen]
