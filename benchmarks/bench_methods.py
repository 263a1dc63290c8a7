"""Throughput of the pure valuation kernels on 1 000 000 rows of numpy inputs (validation included).

Run from the repository root::

    python benchmarks/bench_methods.py [--rows 1000000] [--repeat 5]

Prints the best of ``--repeat`` wall-clock runs per kernel (seconds and rows/s).  Targets (design note §9,
brief): virtual treatment cost and restoration (1e6 cases × 5 lines) under 0.1 s.  Not a timed test:
figures are recorded in reports, not asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from methods.discounting import discount_factors  # noqa: E402
from methods.equivalency import credit_per_unit, debit, hea, project_size  # noqa: E402
from methods.restoration import line_costs, restoration_cost  # noqa: E402
from methods.uncertainty import LogNormal, Triangular, Uniform, monte_carlo  # noqa: E402
from methods.value import permanent_value_loss, value_loss  # noqa: E402
from methods.virtual_cost import virtual_treatment_cost, virtual_treatment_cost_2014  # noqa: E402


def best(fn, repeat):
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    n, rep = args.rows, args.repeat
    rng = np.random.default_rng(0)
    e = rng.uniform(0, 1e4, n)
    c = rng.uniform(1, 500, n)
    g = rng.uniform(1, 3, n)
    k = rng.uniform(4.5, 6, n)
    q5 = rng.uniform(0, 1e3, (n, 5))
    p5 = rng.uniform(1, 1e3, (n, 5))
    years10 = np.arange(2015, 2025, dtype=float)
    lev10 = rng.uniform(0, 100, (n, 10))
    area = rng.uniform(0, 50, n)
    rate = rng.uniform(0, 0.07, n)
    frac10 = rng.uniform(0, 1, (n, 10))
    yrs_1e6 = rng.integers(1990, 2060, n).astype(float)

    cases = [
        ("virtual_treatment_cost", n, lambda: virtual_treatment_cost(e, c, g), "< 0.1 s"),
        ("virtual_treatment_cost_2014", n, lambda: virtual_treatment_cost_2014(e, c, k, (4.5, 6.0)), ""),
        ("line_costs", n, lambda: line_costs(e, c), ""),
        ("restoration_cost 5 lines + 3 surcharges", n,
         lambda: restoration_cost(q5, p5, [0.05, 0.02, 0.10]), "< 0.1 s"),
        ("discount_factors", n, lambda: discount_factors(yrs_1e6, 2024, 0.03, "mid"), ""),
        ("debit (× 10 years)", n, lambda: debit(area, 100, lev10, years10, 2024, rate), ""),
        ("credit_per_unit (× 10 years)", n, lambda: credit_per_unit(100, lev10, 0, years10, 2024, rate), ""),
        ("project_size", n, lambda: project_size(area, g), ""),
        ("hea (× 10 + 5 years)", n, lambda: hea(area=area, baseline=100, injured_levels=lev10, injury_year=2015,
                                                 recovery_year=2024, base_year=2024, rate=rate,
                                                 project_levels=[20, 40, 60, 80, 100], project_baseline=0,
                                                 project_start_year=2024, project_end_year=2028, unit_cost=c), ""),
        ("value_loss (× 10 years)", n, lambda: value_loss(c[:, None], area[:, None], frac10, years10, 2024, rate), ""),
        ("permanent_value_loss perpetuity", n, lambda: permanent_value_loss(c, area, g / 3, rate + 0.01), ""),
        ("permanent_value_loss horizon 30", n,
         lambda: permanent_value_loss(c, area, g / 3, rate, "horizon", 30), ""),
        ("monte_carlo VTC (n draws)", n, lambda: monte_carlo(
            virtual_treatment_cost,
            {"quantity": Uniform(1100, 1300), "unit_cost": LogNormal(35.5, 1.2), "gamma": Triangular(1.2, 1.5, 2)},
            n=n, seed=1), ""),
    ]
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"{n:,} rows, best of {rep}")
    print(f"{'kernel':44s} {'seconds':>9s} {'rows/s':>14s}  target")
    for name, rows, fn, target in cases:
        t = best(fn, rep)
        flag = ""
        if target:
            flag = target + (" ok" if t < 0.1 else " MISSED")
        print(f"{name:44s} {t:9.4f} {rows / t:14,.0f}  {flag}")


if __name__ == "__main__":
    main()
