"""methods.equivalency: HEA worked by hand, paths, properties, error paths."""

import functools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factors.errors import InputError
from methods.equivalency import (
    credit_per_unit,
    debit,
    equivalency_cost,
    hea,
    linear_path,
    project_size,
    stepwise_path,
)

REL = 1e-9

# Hand-worked HEA (invented inputs).  A = 10 hm², b = 100, injury 2019, recovery year 2023 at 90 % (never
# fully recovers), horizon 2025; base year 2024; r = 3 %; timing "start" (DF = 1.03^(2024 − t)).
#
#  year  x_t  loss f=(100−x)/100  DF = 1.03^(2024−t)      A × f × DF
#  2019   40     0.60             1.03^5 = 1.1592740743    10 × 0.60 × 1.1592740743 = 6.955644445 8
#  2020   55     0.45             1.03^4 = 1.12550881      10 × 0.45 × 1.12550881   = 5.064789645
#  2021   70     0.30             1.03^3 = 1.092727        10 × 0.30 × 1.092727     = 3.278181
#  2022   85     0.15             1.03^2 = 1.0609          10 × 0.15 × 1.0609       = 1.591350
#  2023   90     0.10             1.03^1 = 1.03            10 × 0.10 × 1.03         = 1.030
#  ---- interim (2019–2023) = 17.9199650908 hm²·年
#  2024   90     0.10             1.03^0 = 1               10 × 0.10 × 1            = 1.0
#  2025   90     0.10             1.03^-1 = 0.970873786408 10 × 0.10 × 0.9708737864 = 0.970873786408
#  ---- permanent (2024–2025) = 1.970873786408 hm²·年;  total debit = 19.890838877208 hm²·年
#
# Project: bare land (b_R = 0) turned to wetland 2024–2028, v = 25, 50, 75, 100, 100:
#  2024  0.25 × 1                   = 0.25
#  2025  0.50 × 1/1.03   (0.970873786408) = 0.485436893204
#  2026  0.75 × 1/1.0609 (0.942595909134) = 0.706946931850
#  2027  1.00 × 1/1.092727 (0.915141659353) = 0.915141659353
#  2028  1.00 × 1/1.12550881 (0.888487047916) = 0.888487047916
#  credit per hm² = 3.246012532323 年
# size = 19.890838877208 / 3.246012532323 = 6.127776365353 hm²
# cost at 200 000 元/hm² = 1 225 555.27 元
YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025]
LEVELS = [40, 55, 70, 85, 90, 90, 90]
PYEARS = [2024, 2025, 2026, 2027, 2028]
PLEVELS = [25, 50, 75, 100, 100]
DEBIT_INTERIM = 17.9199650908
DEBIT_PERMANENT = 1.970873786407767
DEBIT = 19.890838877207767
CREDIT = 3.246012532323048
SIZE = 6.127776365352678
COST = 1225555.2730705356


def test_hand_worked_debit_credit_size_cost():
    d = debit(10, 100, LEVELS, YEARS, 2024, 0.03)
    assert math.isclose(d, DEBIT, rel_tol=REL)
    c = credit_per_unit(100, PLEVELS, 0, PYEARS, 2024, 0.03)
    assert math.isclose(c, CREDIT, rel_tol=REL)
    s = project_size(d, c)
    assert math.isclose(s, SIZE, rel_tol=REL)
    assert math.isclose(equivalency_cost(s, 200_000), COST, rel_tol=REL)


def test_hand_worked_hea_convenience_and_table():
    r = hea(area=10, baseline=100, injured_levels=LEVELS, injury_year=2019, recovery_year=2023, horizon_year=2025,
            base_year=2024, rate=0.03, project_levels=PLEVELS, project_baseline=0, project_start_year=2024,
            project_end_year=2028, unit_cost=200_000)
    assert math.isclose(r.debit_interim, DEBIT_INTERIM, rel_tol=REL)
    assert math.isclose(r.debit_permanent, DEBIT_PERMANENT, rel_tol=REL)
    assert math.isclose(r.debit, DEBIT, rel_tol=REL)
    assert math.isclose(r.credit_per_unit, CREDIT, rel_tol=REL)
    assert math.isclose(r.project_size, SIZE, rel_tol=REL)
    assert math.isclose(r.cost, COST, rel_tol=REL)
    assert math.isclose(r.residual_loss_fraction, 0.10, rel_tol=REL)
    t = r.injured
    assert t.year.tolist() == YEARS
    assert t.level.tolist() == LEVELS
    assert np.allclose(t.fraction, [0.6, 0.45, 0.3, 0.15, 0.1, 0.1, 0.1], rtol=REL)
    assert np.allclose(t.discount_factor, [1.1592740743, 1.12550881, 1.092727, 1.0609, 1.03, 1.0, 1 / 1.03],
                       rtol=REL)
    assert np.allclose(t.discounted, [6.9556444458, 5.064789645, 3.278181, 1.59135, 1.03, 1.0, 1 / 1.03], rtol=REL)
    assert np.allclose(r.project.discounted, [0.25, 0.5 / 1.03, 0.75 / 1.0609, 1 / 1.092727, 1 / 1.12550881],
                       rtol=REL)


def test_hea_without_horizon_counts_no_permanent_loss_and_reports_residual():
    r = hea(area=10, baseline=100, injured_levels=LEVELS[:5], injury_year=2019, recovery_year=2023,
            base_year=2024, rate=0.03, project_levels=PLEVELS, project_baseline=0, project_start_year=2024,
            project_end_year=2028, unit_cost=200_000)
    assert math.isclose(r.debit, DEBIT_INTERIM, rel_tol=REL)
    assert r.debit_permanent == 0.0
    assert r.residual_loss_fraction > 0  # caller flags "not recovered"


def test_hea_callable_paths_and_zero_rate():
    # r = 0: debit = Σ A f = 5 × (0.6 + 0.4 + 0.2 + 0) = 6; credit = 0.5 + 1 = 1.5; size 4; cost 4 × 250 = 1000
    r = hea(area=5, baseline=1.0, injured_levels=functools.partial(linear_path, start_year=2020, start_level=0.4,
                                                                       end_year=2023, end_level=1.0),
            injury_year=2020, recovery_year=2023, base_year=2022, rate=0.0,
            project_levels=functools.partial(stepwise_path, step_years=[2022, 2023], step_levels=[0.5, 1.0],
                                             initial_level=0.0),
            project_baseline=0.0, project_start_year=2022, project_end_year=2023, unit_cost=250)
    assert math.isclose(r.debit, 6.0, rel_tol=1e-12)
    assert r.credit_per_unit == 1.5
    assert math.isclose(r.project_size, 4.0, rel_tol=1e-12)
    assert math.isclose(r.cost, 1000.0, rel_tol=1e-12)
    assert (r.injured.discount_factor == 1.0).all()


def test_hea_vectorised_over_cases_matches_scalar_runs():
    areas = np.array([10.0, 3.0, 0.0])
    rates = np.array([0.03, 0.0, 0.05])
    costs = np.array([200_000.0, 1.0, 5.0])
    kw = dict(baseline=100, injured_levels=LEVELS, injury_year=2019, recovery_year=2023, horizon_year=2025,
              base_year=2024, project_levels=PLEVELS, project_baseline=0, project_start_year=2024,
              project_end_year=2028)
    batch = hea(area=areas, rate=rates, unit_cost=costs, **kw)
    assert batch.debit.shape == (3,)
    for i in range(3):
        one = hea(area=float(areas[i]), rate=float(rates[i]), unit_cost=float(costs[i]), **kw)
        assert one.debit == batch.debit[i]
        assert one.cost == batch.cost[i]
    assert math.isclose(batch.cost[0], COST, rel_tol=REL)


def test_debit_scalar_equals_same_row_of_array_run():
    rng = np.random.default_rng(5)
    levels = rng.uniform(0, 100, (50, 7))
    areas = rng.uniform(0, 20, 50)
    rates = rng.uniform(0, 0.07, 50)
    batch = debit(areas, 100, levels, YEARS, 2024, rates)
    for i in (0, 17, 49):
        assert debit(float(areas[i]), 100, levels[i], YEARS, 2024, float(rates[i])) == batch[i]


def test_paths():
    y = np.arange(2018, 2026)
    p = linear_path(y, 2020, 40, 2024, 100)
    assert p.tolist() == [40, 40, 40, 55, 70, 85, 100, 100]
    assert linear_path(y, 2021, 0, 2021, 1).tolist() == [0, 0, 0, 1, 1, 1, 1, 1]  # step
    cases = linear_path(y, 2020, np.array([40.0, 0.0]), 2024, 100)
    assert cases.shape == (2, 8) and cases[1].tolist() == [0, 0, 0, 25, 50, 75, 100, 100]
    assert stepwise_path(y, [2020, 2022], [10, 20], 5).tolist() == [5, 5, 10, 10, 20, 20, 20, 20]
    with pytest.raises(InputError, match="end_year"):
        linear_path(y, 2024, 40, 2020, 100)
    with pytest.raises(InputError, match="step_levels"):
        stepwise_path(y, [2020, 2022], [10], 5)
    with pytest.raises(InputError, match=r"step_years\[1\]"):
        stepwise_path(y, [2022, 2020], [10, 20], 5)


# ---------------------------------------------------------------- properties

levels_st = st.lists(st.floats(0, 100), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(levels=levels_st, k=st.floats(0, 1000), r=st.floats(0, 0.1))
def test_debit_linear_in_area(levels, k, r):
    years = list(range(2020, 2020 + len(levels)))
    d1 = debit(1.0, 100, levels, years, 2024, r)
    assert math.isclose(debit(k, 100, levels, years, 2024, r), k * d1, rel_tol=1e-12, abs_tol=1e-12)


@settings(max_examples=60, deadline=None)
@given(levels=levels_st, drop=st.floats(0, 100), i=st.integers(0, 7), r=st.floats(0, 0.1))
def test_debit_monotone_in_loss(levels, drop, i, r):
    # lowering one year's service level (a larger loss fraction) never lowers the debit
    years = list(range(2020, 2020 + len(levels)))
    worse = list(levels)
    j = i % len(levels)
    worse[j] = max(0.0, worse[j] - drop)
    assert debit(2.0, 100, worse, years, 2024, r) >= debit(2.0, 100, levels, years, 2024, r)


@settings(max_examples=60, deadline=None)
@given(levels=levels_st, extra=st.lists(st.floats(0, 100), min_size=1, max_size=5), r=st.floats(0, 0.1))
def test_debit_monotone_in_duration(levels, extra, r):
    # more years of loss never lower the debit (up to float64 summation order: a year with no loss may
    # change the last bit, e.g. 13.94 vs 13.940000000000001 found by hypothesis)
    longer = list(levels) + list(extra)
    years = list(range(2020, 2020 + len(longer)))
    shorter = debit(2.0, 100, levels, years[: len(levels)], 2024, r)
    assert debit(2.0, 100, longer, years, 2024, r) >= shorter - 1e-12 * abs(shorter)


# ---------------------------------------------------------------- error paths

def test_recovery_before_injury():
    with pytest.raises(InputError) as e:
        hea(area=1, baseline=1, injured_levels=[0.5], injury_year=2022, recovery_year=2021, base_year=2024,
            rate=0.03, project_levels=[1.0], project_baseline=0, project_start_year=2024, project_end_year=2024,
            unit_cost=1)
    assert e.value.path == "recovery_year"


def test_horizon_before_recovery_and_project_years():
    kw = dict(area=1, baseline=1, injured_levels=[0.5, 1.0], injury_year=2021, recovery_year=2022, base_year=2024,
              rate=0.03, project_levels=[1.0], project_baseline=0, project_start_year=2024, project_end_year=2024,
              unit_cost=1)
    with pytest.raises(InputError, match="horizon_year"):
        hea(**{**kw, "horizon_year": 2021})
    with pytest.raises(InputError, match="project_end_year"):
        hea(**{**kw, "project_end_year": 2023})
    with pytest.raises(InputError, match="injury_year"):
        hea(**{**kw, "injury_year": 2021.5})
    with pytest.raises(InputError, match="injured_levels"):
        hea(**{**kw, "injured_levels": [0.5, 1.0, 1.0]})  # 3 levels for 2 years
    with pytest.raises(InputError, match=r"injured_levels\[0\]"):
        hea(**{**kw, "injured_levels": [1.5, 1.0]})  # above baseline


def test_level_above_baseline_refused_unless_allowed():
    with pytest.raises(InputError) as e:
        debit(1, 100, [50, 120, 130], [2020, 2021, 2022], 2024, 0.03)
    assert [p.path for p in e.value.problems] == ["levels[1]", "levels[2]"]
    assert debit(1, 100, [50, 120], [2020, 2021], 2024, 0.0, allow_above_baseline=True) == pytest.approx(0.3)


def test_debit_error_paths():
    with pytest.raises(InputError, match=r"area\[1\]"):
        debit([1.0, -1.0], 100, [50], [2020], 2024, 0.03)
    with pytest.raises(InputError, match="baseline"):
        debit(1, 0, [0], [2020], 2024, 0.03)
    with pytest.raises(InputError, match=r"levels\[2\]"):
        debit(1, 100, [50, 60, np.nan], [2020, 2021, 2022], 2024, 0.03)
    with pytest.raises(InputError, match=r"years\[1\]"):
        debit(1, 100, [50, 60], [2021, 2020], 2024, 0.03)
    with pytest.raises(InputError, match="discount_rate"):
        debit(1, 100, [50], [2020], 2024, "3%")
    with pytest.raises(InputError, match="levels"):
        debit(1, 100, [50, 60, 70], [2020, 2021], 2024, 0.03)


def test_credit_error_paths():
    with pytest.raises(InputError, match=r"project_levels\[1\]"):
        credit_per_unit(100, [50, 10], 20, [2024, 2025], 2024, 0.03)  # below own baseline
    with pytest.raises(InputError, match=r"project_levels\[0\]"):
        credit_per_unit(100, [150], 0, [2024], 2024, 0.03)  # above injured baseline
    assert credit_per_unit(100, [150], 0, [2024], 2024, 0.03, allow_above_baseline=True) == 1.5
    with pytest.raises(InputError, match="project_baseline"):
        credit_per_unit(100, [150], 120, [2024], 2024, 0.03)


def test_zero_credit_refused():
    with pytest.raises(InputError) as e:
        project_size(5.0, 0.0)
    assert e.value.path == "credit_per_unit"
    with pytest.raises(InputError, match=r"credit_per_unit\[1\]"):
        project_size([5.0, 5.0], [1.0, -1.0])
    with pytest.raises(InputError, match="credit_per_unit"):
        hea(area=1, baseline=1, injured_levels=[0.5], injury_year=2022, recovery_year=2022, base_year=2024,
            rate=0.03, project_levels=[0.0], project_baseline=0, project_start_year=2024, project_end_year=2024,
            unit_cost=1)


def test_debit_scalar_equals_row_over_many_years():
    # 80 years: numpy's pairwise summation blocks must give the same order for one case and a batch
    rng = np.random.default_rng(6)
    years = list(range(1980, 2060))
    levels = rng.uniform(0, 100, (30, len(years)))
    areas, rates = rng.uniform(0, 20, 30), rng.uniform(0, 0.07, 30)
    batch = debit(areas, 100, levels, years, 2024, rates, "mid")
    for i in range(30):
        assert debit(float(areas[i]), 100, levels[i], years, 2024, float(rates[i]), "mid") == batch[i]
