"""The batch path on a synthetic docket: 1 000 000 cases assessed and routed, checked against the single path.

Run from the repository root::

    python benchmarks/bench_batch.py [--rows 1000000] [--sample 10000] [--repeat 3]

Prints: wall time (best of ``--repeat``) and rows/s of :func:`assess.assess_frame`; the peak memory
(process maximum RSS, and the peak of Python/numpy allocations during one call by tracemalloc);
the time of a plain-numpy kernel doing the same arithmetic (float products, half-up fen, the
value-loss sum, the three routing comparisons; no units, no validation, no exact fallback, no
errors) and the ratio; the I/O floor (reading the docket from parquet and writing the result to parquet
once, as ``assess batch`` does) and the ratio; a check of ``--sample`` random rows against ``assess_case(row_to_case(row))``
(every category and total to the fen, the three routing codes); and the cold start of ``assess
example`` as a fresh process (best of 3).  Targets: < 5 s and < 2 GB for 1e6 rows; cold start < 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from assess import assess_case, assess_frame, row_to_case  # noqa: E402
from assess.app.batch import CATEGORY_KEYS, result_schema, typed_result  # noqa: E402
from assess.app.synthetic import synthetic_docket  # noqa: E402
from bench_methods import best  # noqa: E402  (warm-up, then the best of `repeat`)


def plain_numpy(a: dict[str, np.ndarray]) -> np.ndarray:
    """The same arithmetic on bare float arrays: what units, validation, exact money and routing cost."""
    def fen(x):
        return np.floor(np.nan_to_num(x) * 100.0 + 0.5).astype(np.int64)

    cat3 = fen(a["assessment_costs"])
    cat5 = fen(a["prevention_costs"])
    cat4 = fen(a["remediation_costs_incurred"]) + fen(a["restoration_quantity"] * a["restoration_unit_price"])
    vtc = fen(a["vtc_quantity"] * 0.001 * a["vtc_unit_cost"] * a["vtc_gamma"])
    years = np.arange(10)[None, :]
    live = years <= (a["vl_end_year"] - a["vl_start_year"])[:, None]
    t = a["vl_start_year"][:, None] + years
    disc = np.power(1.0 + a["vl_discount_rate"][:, None], a["vl_base_year"][:, None] - t)
    annual = a["vl_unit_value"] * a["vl_quantity"] / 15.0 * a["vl_loss_fraction"]
    cat1 = fen((np.where(live, disc, 0.0) * annual[:, None]).sum(axis=1))
    total = cat1 + cat3 + cat4 + cat5 + vtc
    excl = total - cat3
    simple = total <= 30_000_000
    remind = cat3 * 2 >= excl * 3
    tier = np.where(excl <= 50_000_000, 0, np.where(excl <= 100_000_000, 1, 2))
    return total + simple + remind + tier


def arrays(df: pd.DataFrame) -> dict[str, np.ndarray]:
    names = ["assessment_costs", "prevention_costs", "remediation_costs_incurred", "restoration_quantity",
             "restoration_unit_price", "vtc_quantity", "vtc_unit_cost", "vtc_gamma", "vl_unit_value", "vl_quantity",
             "vl_loss_fraction", "vl_start_year", "vl_end_year", "vl_base_year", "vl_discount_rate"]
    return {n: df[n].to_numpy(dtype=np.float64, na_value=np.nan) for n in names}


def verify(df: pd.DataFrame, out: pd.DataFrame, sample: int, seed: int = 0) -> tuple[int, int, float]:
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(df), size=min(sample, len(df)), replace=False)
    wrong = 0
    t0 = time.perf_counter()
    for i in idx:
        row, o = df.iloc[int(i)], out.iloc[int(i)]
        try:
            r = assess_case(row_to_case(row), today=date(2026, 1, 1))
        except Exception:
            wrong += o["error"] is None
            continue
        want = [int(r.ledger.amount(k) * 100) for k in CATEGORY_KEYS] + [int(r.ledger.total * 100)]
        got = [int(o[f"{k}_fen"]) for k in CATEGORY_KEYS] + [int(o["total_fen"])]
        codes = [r.routing.get(k).outcome for k in ("assessment_path", "cost_ratio", "consultation_path")]
        wrong += got != want or codes != [str(o[k]) for k in ("assessment_path", "cost_ratio", "consultation_path")]
    return len(idx), wrong, time.perf_counter() - t0


def io_floor(df: pd.DataFrame, out: pd.DataFrame, repeat: int) -> tuple[float, float]:
    """Best seconds to read the docket from a parquet file and to write the result to one (pyarrow, the
    typed result schema, as :class:`assess.app.batchio.ResultWriter` writes it)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "docket.parquet"), os.path.join(d, "result.parquet")
        df.to_parquet(src, index=False)
        typed = typed_result(out)
        read = best(lambda: pd.read_parquet(src), repeat)
        write = best(lambda: pq.write_table(pa.Table.from_pandas(typed, schema=result_schema(), preserve_index=False),
                                            dst), repeat)
    return read, write


def cold_start(repeat: int = 3) -> float:
    cmd = [sys.executable, "-c", "import sys; from assess.app.cli import main; sys.exit(main(['example']))"]
    env = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(os.path.abspath(__file__)))}
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    print(f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    t0 = time.perf_counter()
    df = synthetic_docket(args.rows, seed=0)
    print(f"docket: {len(df):,} rows × {df.shape[1]} columns generated in {time.perf_counter() - t0:.1f} s "
          f"({df.memory_usage(deep=True).sum() / 2**20:,.0f} MiB)")
    out = assess_frame(df)
    seconds = best(lambda: assess_frame(df), args.repeat)
    tracemalloc.start()
    assess_frame(df)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    a = arrays(df)
    plain = best(lambda: plain_numpy(a), args.repeat)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"assess_frame: {seconds:.2f} s, {len(df) / seconds / 1e6:.2f} M rows/s "
          f"(errors: {int(out['error'].notna().sum())})")
    print(f"peak memory: process max RSS {maxrss:,.0f} MiB (docket included); "
          f"allocations during one call {peak / 2**20:,.0f} MiB")
    print(f"plain numpy kernel of the same arithmetic: {plain:.3f} s → ratio {seconds / plain:.1f}×")
    read, write = io_floor(df, out, args.repeat)
    print(f"I/O floor: read the docket's parquet {read:.2f} s + write the result {write:.2f} s = {read + write:.2f} s "
          f"→ ratio {seconds / (read + write):.1f}×")
    n, wrong, vt = verify(df, out, args.sample)
    print(f"verified {n:,} random rows against assess_case(row_to_case(row)): {wrong} differ ({vt:.1f} s)")
    print(f"cold start `assess example` (fresh process): {cold_start():.2f} s")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (a machine shared with other jobs: rerun alone for "
          "figures to quote)")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
