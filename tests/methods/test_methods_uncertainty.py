"""methods.uncertainty: distributions, reproducibility by seed, percentiles, errors."""

import subprocess
import sys

import numpy as np
import pytest

from factors.errors import InputError
from methods.restoration import restoration_cost
from methods.uncertainty import (
    PERCENTILE_METHOD,
    Frozen,
    LogNormal,
    Point,
    Triangular,
    Uniform,
    monte_carlo,
    sample,
)
from methods.virtual_cost import virtual_treatment_cost

INPUTS = {"quantity": Uniform(1100, 1300), "unit_cost": LogNormal(35.5, 1.2), "gamma": Triangular(1.2, 1.5, 2.0)}


def test_reproducible_bit_for_bit_by_seed():
    a = monte_carlo(virtual_treatment_cost, INPUTS, n=5000, seed=123)
    b = monte_carlo(virtual_treatment_cost, dict(reversed(list(INPUTS.items()))), n=5000, seed=123)
    assert (a.p5, a.p50, a.p95, a.mean) == (b.p5, b.p50, b.p95, b.mean)  # exact, order of dict irrelevant
    assert np.array_equal(a.values, b.values)
    assert a.order == ("gamma", "quantity", "unit_cost")


def test_different_seeds_differ():
    a = monte_carlo(virtual_treatment_cost, INPUTS, n=5000, seed=1)
    b = monte_carlo(virtual_treatment_cost, INPUTS, n=5000, seed=2)
    assert a.p50 != b.p50 and not np.array_equal(a.values, b.values)


def test_draw_order_is_sorted_by_name():
    # the same single generator draws gamma, then quantity, then unit_cost
    rng = np.random.default_rng(7)
    g = rng.triangular(1.2, 1.5, 2.0, 100)
    q = rng.uniform(1100, 1300, 100)
    c = rng.lognormal(np.log(35.5), np.log(1.2), 100)
    r = monte_carlo(virtual_treatment_cost, INPUTS, n=100, seed=7)
    assert np.array_equal(r.values, q * c * g)


def test_result_metadata_and_percentiles():
    r = monte_carlo(virtual_treatment_cost, {"quantity": 1200, "unit_cost": Point(35.5), "gamma": Uniform(1.0, 2.0)},
                    n=10_000, seed=2024)
    assert r.n == 10_000 and r.seed == 2024
    assert r.numpy_version == np.__version__
    import scipy

    assert r.scipy_version == scipy.__version__
    assert r.percentile_method == PERCENTILE_METHOD == "linear"
    assert r.p5 == np.percentile(r.values, 5) and r.p95 == np.percentile(r.values, 95)
    # γ ~ U(1, 2): P50 ≈ 42 600 × 1.5 = 63 900 within sampling noise (~1 %)
    assert r.p5 < r.p50 < r.p95
    assert abs(r.p50 / 63900 - 1) < 0.01


def test_seed_generated_and_recorded_when_omitted():
    r = monte_carlo(virtual_treatment_cost, INPUTS, n=1000)
    again = monte_carlo(virtual_treatment_cost, INPUTS, n=1000, seed=r.seed)
    assert np.array_equal(r.values, again.values)


def test_result_object_total_is_used():
    r = monte_carlo(lambda q: restoration_cost(np.stack([q, q], axis=-1), [10.0, 5.0], [0.1]),
                    {"q": Uniform(0, 10)}, n=1000, seed=3)
    assert r.values.shape == (1000,) and 0 <= r.p5 <= r.p95 <= 165.0


def test_frozen_scipy_distribution_reproducible():
    from scipy import stats

    a = monte_carlo(lambda x: x, {"x": Frozen(stats.norm(10, 2))}, n=2000, seed=9)
    b = monte_carlo(lambda x: x, {"x": Frozen(stats.norm(10, 2))}, n=2000, seed=9)
    assert np.array_equal(a.values, b.values)
    assert abs(a.p50 - 10) < 0.2


def test_lognormal_parametrisation():
    x = sample(LogNormal(100.0, 2.0), 200_000, np.random.default_rng(0))
    # ln X ~ N(ln 100, ln 2): median 100; P84.13 ≈ 100 × 2
    assert abs(np.median(x) / 100 - 1) < 0.01
    assert abs(np.percentile(x, 84.134) / 200 - 1) < 0.02
    assert (sample(LogNormal(5.0, 1.0), 10, np.random.default_rng(0)) == 5.0).all()


def test_scipy_not_imported_by_methods():
    code = ("import sys, methods.uncertainty, methods.virtual_cost, methods.restoration, methods.discounting, "
            "methods.equivalency, methods.value; "
            "bad = [m for m in ('scipy', 'pint', 'pandas', 'assess') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("dist, path", [
    (Uniform(2.0, 1.0), "inputs.x.high"),
    (Triangular(1.0, 3.0, 2.0), "inputs.x.mode"),
    (Triangular(1.0, 1.0, 1.0), "inputs.x.high"),
    (LogNormal(0.0, 2.0), "inputs.x.median"),
    (LogNormal(1.0, 0.5), "inputs.x.gsd"),
    (Uniform(0.0, np.inf), "inputs.x.high"),
    (Point("3"), "inputs.x.value"),
    ("3%", "inputs.x"),
    (Frozen(object()), "inputs.x"),
])
def test_bad_distributions(dist, path):
    with pytest.raises(InputError) as e:
        monte_carlo(lambda x: x, {"x": dist}, n=10, seed=0)
    assert e.value.path == path


def test_bad_n_seed_and_output():
    with pytest.raises(InputError, match="^n"):
        monte_carlo(lambda x: x, {"x": 1.0}, n=0, seed=0)
    with pytest.raises(InputError, match="seed"):
        monte_carlo(lambda x: x, {"x": 1.0}, n=10, seed=-1)
    with pytest.raises(InputError, match="seed"):
        monte_carlo(lambda x: x, {"x": 1.0}, n=10, seed=1.5)
    with pytest.raises(InputError, match="func"), np.errstate(divide="ignore", invalid="ignore"):
        monte_carlo(lambda x: x / 0.0, {"x": Uniform(-1, 1)}, n=10, seed=0)
