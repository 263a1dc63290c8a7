"""interim_loss_fen_by_span (the batch's value-loss grouping) against the single case's calendar years.

The batch groups cases by (number of loss years, timing) and counts each case's years from its first
loss year (years 0 … H−1, base year t_b − start).  The discount exponent t_b − (t + s) is the same
whole or half number either way, so the floats and the fen must be bit-for-bit the single path's.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from assess.law.valuation.common import TIMINGS
from assess.law.valuation.value_loss import interim_loss, interim_loss_fen, interim_loss_fen_by_span
from factors.money import Decimals


def _cases(n: int, seed: int):
    rng = np.random.default_rng(seed)
    annual = [Decimal(str(round(v, 2))) for v in rng.uniform(0, 5e6, n)]
    frac = [Decimal(str(round(v, 3))) for v in rng.uniform(0, 1, n)]
    rate = [Decimal(str(v)) for v in rng.choice([0, 0.02, 0.03, 0.035, 0.08], n)]
    start = rng.integers(1990, 2031, n)
    end = start + rng.integers(0, 40, n)
    base = rng.integers(1980, 2041, n)
    timing = rng.integers(0, len(TIMINGS), n)
    return annual, frac, rate, start, end, base, timing


def test_grouped_spans_give_the_single_case_s_fen_and_floats():
    annual, frac, rate, start, end, base, timing = _cases(3000, 18)
    got = interim_loss_fen_by_span(Decimals.of(annual), Decimals.of(frac), start, end, base, Decimals.of(rate), timing)
    for i in range(len(annual)):
        years = list(range(int(start[i]), int(end[i]) + 1))   # the single case: calendar years
        x, want = interim_loss_fen(Decimals.of([annual[i]]), Decimals.of([frac[i]]), years, np.array([base[i]]),
                                   Decimals.of([rate[i]]), TIMINGS[int(timing[i])])
        assert got.amount(i) == want.amount(), i
        shifted = interim_loss(float(annual[i]), float(frac[i]), list(range(len(years))), int(base[i] - start[i]),
                               float(rate[i]), TIMINGS[int(timing[i])])
        assert float(shifted) == float(x[0]), i                 # bit for bit, not merely to the fen


def test_hand_worked_span():
    # 2 000 元/(hm²·年) × 10 hm² = 20 000 元/年, 30 % lost in 2022 and 2023, base 2024, 3 %, start of year:
    # 6000 × 1.03² + 6000 × 1.03 = 6365.40 + 6180.00 = 12 545.40 元; the same loss in 2030–2031 with base
    # 2032 (same distance to the base year) is the same amount; mid-year 2022–2023: 6000 × (1.03^1.5 + 1.03^0.5)
    # = 6000 × (1.045336… + 1.014889…) = 12 361.35 元
    a, f, r = Decimals.of([Decimal(20000)] * 3), Decimals.of([Decimal("0.3")] * 3), Decimals.of([Decimal("0.03")] * 3)
    fen = interim_loss_fen_by_span(a, f, np.array([2022, 2030, 2022]), np.array([2023, 2031, 2023]),
                                   np.array([2024, 2032, 2024]), r, np.array([TIMINGS.index("start")] * 2
                                                                             + [TIMINGS.index("mid")]))
    assert [fen.amount(i) for i in range(3)] == [Decimal("12545.40"), Decimal("12545.40"), Decimal("12361.35")]
