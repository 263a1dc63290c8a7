"""methods.restoration: lines, subtotal, non-compounding surcharges."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factors.errors import InputError
from methods.restoration import RestorationCost, line_costs, restoration_cost


def test_worked_example_with_surcharges():
    # Lines of a plan:
    #   soil excavation and disposal  1 200 m³ × 35.50 元/m³ = 42 600.00 元
    #   replanting                        8 hm² × 12 000 元/hm² = 96 000.00 元
    #   monitoring during restoration     2 项 × 5 000 元/项   = 10 000.00 元
    # subtotal = 42 600 + 96 000 + 10 000 = 148 600.00 元
    # design 5 %:       148 600 × 0.05 = 7 430.00 元
    # supervision 2 %:  148 600 × 0.02 = 2 972.00 元
    # contingency 10 %: 148 600 × 0.10 = 14 860.00 元   (on the subtotal, not compounded)
    # total = 148 600 + 7 430 + 2 972 + 14 860 = 173 862.00 元
    r = restoration_cost([1200, 8, 2], [35.50, 12000, 5000], [0.05, 0.02, 0.10])
    assert isinstance(r, RestorationCost)
    assert r.lines.tolist() == [42600.0, 96000.0, 10000.0]
    assert r.subtotal == 148600.0 and type(r.subtotal) is float
    assert r.surcharges.tolist() == pytest.approx([7430.0, 2972.0, 14860.0], rel=1e-15)
    assert r.total == pytest.approx(173862.0, rel=1e-15)
    # compounding would give 148 600 × 1.05 × 1.02 × 1.10 = 175 066.66 — not what we do
    assert abs(r.total - 148600 * 1.05 * 1.02 * 1.10) > 1000


def test_no_surcharges():
    r = restoration_cost([1, 2], [10.0, 20.0])
    assert r.subtotal == r.total == 50.0
    assert r.surcharges.shape == (0,)


def test_cases_by_lines_and_shared_price_list():
    q = np.array([[1.0, 2.0], [3.0, 4.0]])
    r = restoration_cost(q, [10.0, 100.0], [0.1])
    # case 0: 10 + 200 = 210, +21 = 231; case 1: 30 + 400 = 430, +43 = 473
    assert r.subtotal.tolist() == [210.0, 430.0]
    assert r.total.tolist() == pytest.approx([231.0, 473.0], rel=1e-15)
    assert r.surcharges.shape == (2, 1)
    # per-case surcharge rates
    r2 = restoration_cost(q, [10.0, 100.0], [[0.1], [0.0]])
    assert r2.total.tolist() == pytest.approx([231.0, 430.0], rel=1e-15)


def test_scalar_equals_same_row_of_array_run():
    rng = np.random.default_rng(3)
    q, p = rng.uniform(0, 1e3, (500, 5)), rng.uniform(0, 1e3, (500, 5))
    s = [0.05, 0.02, 0.1]
    batch = restoration_cost(q, p, s)
    for i in (0, 123, 499):
        one = restoration_cost(q[i], p[i], s)
        assert one.subtotal == batch.subtotal[i]
        assert one.total == batch.total[i]
        assert (one.surcharges == batch.surcharges[i]).all()


def test_line_costs():
    # 1200 m³ × 35.50 元/m³ = 42 600.00 元
    assert line_costs(1200, 35.5) == 42600.0
    assert line_costs([1, 2], 3.0).tolist() == [3.0, 6.0]


@settings(max_examples=60, deadline=None)
@given(q=st.lists(st.floats(0, 1e6), min_size=1, max_size=6), k=st.integers(0, 100),
       s=st.lists(st.floats(0, 1), max_size=3))
def test_linear_in_quantity_and_parts_add_up(q, k, s):
    p = [7.25] * len(q)
    r1 = restoration_cost(q, p, s)
    rk = restoration_cost([k * x for x in q], p, s)
    assert math.isclose(rk.total, k * r1.total, rel_tol=1e-9, abs_tol=1e-6)
    assert math.isclose(r1.total, r1.subtotal + sum(r1.surcharges), rel_tol=1e-12, abs_tol=1e-9)


@settings(max_examples=60, deadline=None)
@given(q=st.lists(st.floats(0, 1e6), min_size=2, max_size=6), extra=st.floats(0, 1e6))
def test_monotone_in_quantity(q, extra):
    p = [3.0] * len(q)
    more = list(q)
    more[0] += extra
    assert restoration_cost(q, p, [0.1]).total <= restoration_cost(more, p, [0.1]).total


def test_errors():
    with pytest.raises(InputError) as e:
        restoration_cost([1.0, -2.0], [1.0, 1.0])
    assert e.value.path == "quantities[1]"
    q = np.ones((20, 3))
    q[17, 2] = np.inf
    with pytest.raises(InputError) as e:
        restoration_cost(q, [1.0, 1.0, 1.0])
    assert e.value.path == "quantities[17, 2]"
    with pytest.raises(InputError, match=r"surcharge_rates\[1\]"):
        restoration_cost([1.0], [1.0], [0.05, 1.2])
    with pytest.raises(InputError, match="surcharge_rates"):
        restoration_cost([1.0], [1.0], 0.05)  # a scalar, not a sequence
    with pytest.raises(InputError, match="quantities"):
        restoration_cost(1.0, 1.0)
    with pytest.raises(InputError, match="quantities, unit_prices"):
        restoration_cost([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="unit_prices"):
        restoration_cost([1.0], ["35.50"])


def test_many_lines_scalar_equals_row():
    rng = np.random.default_rng(8)
    q, p = rng.uniform(0, 1e3, (20, 200)), rng.uniform(0, 1e3, (20, 200))
    batch = restoration_cost(q, p, [0.05, 0.1])
    for i in range(20):
        one = restoration_cost(q[i], p[i], [0.05, 0.1])
        assert one.total == batch.total[i] and one.subtotal == batch.subtotal[i]
