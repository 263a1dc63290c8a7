"""Scale-out of the batch on Dask: a partitioned parquet docket on 1, 2, … N workers against a plain loop.

Writes a synthetic docket (:func:`assess.app.synthetic.synthetic_docket`) as ``--parts`` parquet files,
then times

* the **plain loop**: for each part, ``pd.read_parquet`` → :func:`assess.app.batch.assess_frame` →
  ``to_parquet`` in this process (the floor a scheduler has to beat: no graph, no transfer);
* ``assess_dask(dd.read_parquet(dir)).to_parquet(out)`` on a ``distributed.LocalCluster`` of 1, 2, … N
  worker processes (one thread each), the docket-wide duplicate-id check included (``--no-id-check``:
  without it);

and prints for each the seconds, rows/s, the speed-up over one worker, the parallel efficiency and the
overhead of one worker over the loop.  With ``--scheduler tcp://host:8786`` it runs once on that
cluster instead (its workers must see ``--data``, a folder on a shared file system)::

    python benchmarks/bench_scaleout.py                           # 400,000 rows, 8 parts, 1 … cpu_count workers
    python benchmarks/bench_scaleout.py --rows 8000000 --parts 64 --max-workers 16
    python benchmarks/bench_scaleout.py --scheduler tcp://10.0.0.5:8786 --data /shared/docket --rows 8000000

Measured on the 2-core reference machine (December 2026, shared with other jobs, so indicative only):
see the report of the ``stream`` branch; on 2 cores the speed-up is bounded by 2 and the per-task
overhead (graph, pickling each partition's result to the client) is what the figures show.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def write_docket(folder: Path, rows: int, parts: int, seed: int = 1) -> None:
    """The docket as ``parts`` parquet files part.000.parquet … (unique case ids over all of them)."""
    import numpy as np

    from assess.app.synthetic import synthetic_docket

    folder.mkdir(parents=True, exist_ok=True)
    df = synthetic_docket(rows, seed=seed)
    for i, idx in enumerate(np.array_split(np.arange(rows), parts)):
        df.iloc[idx].reset_index(drop=True).to_parquet(folder / f"part.{i:03d}.parquet", index=False)


def plain_loop(data: Path, out: Path) -> float:
    import pandas as pd

    from assess.app.batch import assess_frame, typed_result

    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for part in sorted(data.glob("*.parquet")):
        typed_result(assess_frame(pd.read_parquet(part))).to_parquet(out / part.name, index=False)
    return time.perf_counter() - start


def dask_run(client: object, data: Path, out: Path, check_ids: bool) -> float:
    import dask.dataframe as dd

    from assess import assess_dask

    start = time.perf_counter()
    assess_dask(dd.read_parquet(str(data)), check_ids=check_ids).to_parquet(str(out), write_index=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=400_000)
    ap.add_argument("--parts", type=int, default=8)
    ap.add_argument("--max-workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786): run on that cluster")
    ap.add_argument("--data", help="folder for the docket (default: a temp folder; with --scheduler: shared by the workers)")
    ap.add_argument("--no-id-check", dest="check_ids", action="store_false", help="skip the docket-wide duplicate-id check")
    args = ap.parse_args(argv)

    import distributed

    tmp = Path(tempfile.mkdtemp(prefix="scaleout-"))
    data = Path(args.data) if args.data else tmp / "docket"
    try:
        if not data.exists() or not any(data.glob("*.parquet")):
            t = time.perf_counter()
            write_docket(data, args.rows, args.parts)
            print(f"docket: {args.rows:,} rows in {args.parts} parquet parts ({time.perf_counter() - t:.1f} s to write)")
        rows = args.rows
        loop = plain_loop(data, tmp / "loop")
        print(f"{'run':24} {'seconds':>8} {'rows/s':>10} {'speed-up':>9} {'efficiency':>10} {'vs loop':>8}")
        print(f"{'plain loop (1 process)':24} {loop:>8.2f} {rows / loop:>10,.0f} {'':>9} {'':>10} {1.0:>8.2f}")
        if args.scheduler:
            with distributed.Client(args.scheduler) as client:
                n = len(client.scheduler_info()["workers"])
                secs = dask_run(client, data, tmp / "cluster", args.check_ids)
                print(f"{f'cluster ({n} workers)':24} {secs:>8.2f} {rows / secs:>10,.0f} {'':>9} {'':>10} {secs / loop:>8.2f}")
            return
        one = None
        for w in range(1, args.max_workers + 1):
            with distributed.LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                    distributed.Client(cluster) as client:
                dask_run(client, data, tmp / f"warm{w}", args.check_ids)      # imports and the registry on every worker
                secs = dask_run(client, data, tmp / f"w{w}", args.check_ids)
            one = one or secs
            print(f"{f'{w} worker(s)':24} {secs:>8.2f} {rows / secs:>10,.0f} {one / secs:>9.2f} {one / secs / w:>10.0%} "
                  f"{secs / loop:>8.2f}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
