"""The valuation line amounts as array functions: one call per column, the single case a column of length one.

The single case (assess_case) and the batch (assess_frame) both call these; here they are checked
directly: element by element equal to the Decimal path, ties half-up, groups of a batch equal to
one call per case.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from assess.law.ledger import EXCLUDING_ASSESSMENT_COSTS, PUNITIVE_BASE, category_sum
from assess.law.valuation.common import Coefficient, outside_bounds
from assess.law.valuation.restoration import line_exact, line_fen, surcharge_fen
from assess.law.valuation.value_loss import (ValueLossInputs, annual_values, interim_loss, interim_loss_fen, permanent_loss_fen,
                                             interim_loss_fen_by_span)
from assess.law.valuation.virtual_cost import vtc_fen
from factors.money import Decimals, to_fen

D = Decimals.of


def test_restoration_lines_by_hand():
    # 2.675 m³ × 1 元/m³ = 2.675 → 2.68 (tie, half-up); 0.5 m³ × 0.01 元/m³ = 0.005 → 0.01;
    # 12.5 万元/hm² × 0.001 hm² (factor 10^4) = 125 元; 3 × 33.333 = 99.999 → 100.00
    fen = line_fen(D(["2.675", "0.5", "3"]), D(["1", "0.01", "33.333"]), Fraction(1))
    assert fen.fen.tolist() == [268, 1, 10000]
    assert line_fen(D(["0.001"]), D(["12.5"]), Fraction(10000)).amount() == Decimal("125.00")


def test_restoration_line_column_equals_exact_per_line():
    rng = np.random.default_rng(3)
    q = [Decimal(int(v)) / 100 for v in rng.integers(0, 10 ** 6, 300)]
    p = [Decimal(int(v)) / 1000 for v in rng.integers(0, 10 ** 6, 300)]
    f = Fraction(1, 3)   # not a finite decimal: every tie candidate goes to Decimal
    fen = line_fen(Decimals.from_floats(np.array([float(v) for v in q])), Decimals.of(p), f)
    want = [int(to_fen(line_exact(Decimal(repr(float(a))), b, f)).scaleb(2)) for a, b in zip(q, p, strict=True)]
    assert fen.fen.tolist() == want


def test_surcharge_on_the_subtotal():
    # 5 % of 1 234.50 元 = 61.725 → 61.73 (tie); 0 % → 0
    fen = surcharge_fen(Decimals.of_fen(np.array([123450, 123450])), D(["0.05", "0"]))
    assert fen.fen.tolist() == [6173, 0]


def test_vtc_with_unit_factors_by_hand():
    # 1 500 kg = 1.5 t; × 35.50 元/t = 53.25 元; × γ 1.5 = 79.875 → 79.88 (a tie, half-up)
    # 0.0355 元/kg = 35.50 元/t: the same amount with C in 元/kg (factor 1000)
    assert vtc_fen(D(["1500"]), D(["35.50"]), D(["1.5"]), Fraction(1, 1000)).amount() == Decimal("79.88")
    assert vtc_fen(D(["1.5"]), D(["0.0355"]), D(["1.5"]), Fraction(1), Fraction(1000)).amount() == Decimal("79.88")


def test_interim_loss_single_equals_kernel_and_to_fen():
    # V×Q = 1 000 元/年, f = 0.25, years 2021–2023, base 2024, r = 0.03 (start of year):
    # 250 × (1.03³ + 1.03² + 1.03) = 250 × 3.183627 = 795.90675 → 795.91
    x, fen = interim_loss_fen(D(["1000"]), D(["0.25"]), [2021, 2022, 2023], np.array([2024]), D(["0.03"]), "start")
    assert x[0] == interim_loss(1000.0, 0.25, [2021, 2022, 2023], 2024, 0.03, "start")
    assert fen.amount() == to_fen(float(x[0])) == Decimal("795.91")


def test_interim_loss_groups_equal_one_call_per_case():
    rng = np.random.default_rng(7)
    n = 400
    v = Decimals.from_floats(rng.integers(100, 60000, n) / 100)
    q = Decimals.from_floats(rng.integers(1, 3000, n) / 10)
    f = Decimals.from_floats(rng.integers(0, 101, n) / 100)
    r = Decimals.from_floats(rng.integers(0, 9, n) / 100)
    start = rng.integers(2015, 2020, n)
    end = start + rng.integers(0, 4, n)
    base = np.full(n, 2024)
    timing = rng.integers(0, 3, n)
    annual = annual_values(v, q, Fraction(1, 15))   # 元/(亩·年) × hm²: 1 hm² = 15 亩
    got = interim_loss_fen_by_span(annual, f, start, end, base, r, timing)
    for i in range(0, n, 37):
        one = np.array([i])
        _, want = interim_loss_fen(annual.take(one), f.take(one), list(range(start[i], end[i] + 1)), base[one],
                                   r.take(one), ("start", "mid", "end")[timing[i]])
        assert got.fen[i] == want.fen[0]


@pytest.mark.parametrize("x, bad", [(-0.01, True), (0.0, False), (1.0, False), (1.0001, True), (float("nan"), False)])
def test_loss_fraction_bounds_are_the_case_files(x, bad):
    # ValueLossInputs.loss_fraction: Field(ge=0, le=1): 0 and 1 included, NaN left to the finite check
    assert outside_bounds(np.array([x]), ValueLossInputs, "loss_fraction")[0] == bad


def test_rate_year_and_gamma_bounds():
    # discount_rate: 0 ≤ r < 1 (1 refused); years 1900–2200 inclusive; γ ≥ 0
    assert outside_bounds(np.array([0.0, 0.999, 1.0]), ValueLossInputs, "discount_rate").tolist() == [False, False, True]
    assert outside_bounds(np.array([1899, 1900, 2200, 2201.0]), ValueLossInputs, "start_year").tolist() == [True, False, False, True]
    assert outside_bounds(np.array([-1e-9, 0.0]), Coefficient, "value").tolist() == [True, False]


def test_category_sums_on_decimals_and_fen_arrays():
    # (1) 10.00 + (2) 0.01 + (3) 5.00 + (4) 100.00 + (5) 0.99 = 116.00; without (3): 111.00; (1)+(2) = 10.01
    keys = ("interim_service_loss", "permanent_loss", "assessment_costs", "remediation_costs", "prevention_costs")
    dec = dict(zip(keys, map(Decimal, ["10.00", "0.01", "5.00", "100.00", "0.99"]), strict=True))
    fen = {k: np.array([int(v * 100)] * 2) for k, v in dec.items()}
    assert category_sum(dec) == Decimal("116.00") and category_sum(fen).tolist() == [11600, 11600]
    assert category_sum(dec, EXCLUDING_ASSESSMENT_COSTS) == Decimal("111.00")
    assert category_sum(fen, EXCLUDING_ASSESSMENT_COSTS).tolist() == [11100, 11100]
    assert category_sum(dec, PUNITIVE_BASE) == Decimal("10.01")


def test_permanent_loss_by_hand():
    # A = V×Q × f = 1 000 × 0.2 = 200 元/年; perpetuity, end of year, r = 4 %: 200 / 0.04 = 5 000 元 at
    # first_year 2024 = base year → 5 000.00; a horizon of 3 years at r = 0: 3 × 200 = 600.00;
    # first_year 2025, base 2024 (discounted one year): 5 000 / 1.04 = 4 807.692… → 4 807.69
    a, f, base = D(["1000"]), D(["0.2"]), np.array([2024])
    assert permanent_loss_fen(a, f, D(["0.04"]), "perpetuity", None, 2024, base, "end")[1].amount() == Decimal("5000.00")
    assert permanent_loss_fen(a, f, D(["0"]), "horizon", 3, 2024, base, "start")[1].amount() == Decimal("600.00")
    assert permanent_loss_fen(a, f, D(["0.04"]), "perpetuity", None, 2025, base, "end")[1].amount() == Decimal("4807.69")
