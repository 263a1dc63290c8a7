"""Relational dockets (issue 18): realistic cases assessed, routed and with deadlines by the vectorised engine.

Run from the repository root::

    python benchmarks/bench_docket.py [--cases 1000000] [--sample 10000] [--seed 0] [--four-methods]
                                      [--chunk 100000] [--jobs 2] [--repeat 3]

The docket: :func:`assess.app.synthetic.synthetic_docket_tables` with ``every_method`` — both jurisdictions,
1–5 damage items a case over every method (restoration cost with 1–4 lines and 0–2 surcharges, virtual
treatment cost, interim and permanent value loss, an amount taken as given, a ratio of another item,
habitat equivalency with a permanent part for a fifth of them, expert panels of 3–5 experts), 1–3 cost
items, 1–2 obligors with shares where there is a claim, routing and clue facts, a punitive claim on 30 % of
the cases (``--four-methods``: the earlier docket of the four per-line methods only).  Prints: the rows of
each table; wall time and cases/s of :func:`assess.app.docket.assess_docket`; the peak RSS of a fresh process that reads the docket's parquet files,
assesses and writes the result; the share of cases that fell back to the single path; the time of a plain-numpy
kernel of the per-line arithmetic (float products, half-up fen, the value-loss sum, per-case sums; no units,
no validation, no exact money, no routing or deadlines; the HEA, permanent and expert items left out, so
the ratio flatters the kernel) and the ratio; the streamed ``assess batch`` in one process and with ``--jobs``,
``--repeat`` times each, interleaved (median and every wall time), then once more with the memory of the whole
process tree (parent and workers: peak PSS and RSS) sampled; the I/O floor (reading the docket's
parquet files and writing the result once) and the ratio; and a check of ``--sample`` random
cases against the single path (every output column equal).  Target on a 2-core machine: < 10 s, < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from assess.app.docket import OUTPUT_COLUMNS, assess_docket  # noqa: E402
from assess.app.docket_tables import check_docket  # noqa: E402
from assess.app.synthetic import synthetic_docket_tables  # noqa: E402
from assess.formats.docket_io import BLOCK_ROWS  # noqa: E402

TODAY = date(2026, 12, 1)


def peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM (reset by exec, unlike ru_maxrss, which a child inherits from its parent)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # kB on Linux


def plain_numpy(t: dict[str, pd.DataFrame], pos: dict[str, np.ndarray], n: int) -> np.ndarray:
    """The same arithmetic on bare float arrays: per-line products, surcharges, VTC, value loss, sums per case."""
    def f(df: pd.DataFrame, c: str) -> np.ndarray:
        return df[c].to_numpy(np.float64, na_value=np.nan)

    def fen(x: np.ndarray) -> np.ndarray:
        return np.floor(x * 100 + 0.5).astype(np.int64)

    total = np.zeros(n, np.int64)
    lines, items = t["damage_items.inputs.lines"], t["damage_items"]
    line_fen = fen(f(lines, "quantity.value") * f(lines, "unit_price.value"))
    item_key = pos["damage_items"] * 8 + items["damage_items#"].to_numpy(np.int64)
    line_item = np.searchsorted(item_key, pos["damage_items.inputs.lines"] * 8
                                + lines["damage_items#"].to_numpy(np.int64))
    sub = np.zeros(len(items), np.int64)
    np.add.at(sub, line_item, line_fen)
    s = t["damage_items.inputs.surcharges"]
    s_item = np.searchsorted(item_key, pos["damage_items.inputs.surcharges"] * 8 + s["damage_items#"].to_numpy(np.int64))
    np.add.at(sub, s_item, fen(sub[s_item] / 100 * f(s, "rate")))
    vtc = fen(np.nan_to_num(f(items, "inputs.quantity.value") / 1000 * f(items, "inputs.unit_cost.value") * f(items, "inputs.gamma.value")))
    y0 = items["inputs.start_year"].to_numpy(np.float64, na_value=np.nan)
    y1 = items["inputs.end_year"].to_numpy(np.float64, na_value=np.nan)
    yb = items["inputs.base_year"].to_numpy(np.float64, na_value=np.nan)
    r = f(items, "inputs.discount_rate")
    a = f(items, "inputs.unit_value.value") * f(items, "inputs.quantity.value") / 15 * f(items, "inputs.loss_fraction")
    g = 1 + r
    with np.errstate(invalid="ignore"):   # Σ_{t=y0..y1} a·g^(yb−t−0.5): a geometric series
        vl = a * g ** (yb - y1 - 0.5) * (g ** (y1 - y0 + 1) - 1) / np.where(r > 0, r, 1)
    given = f(items, "inputs.amount.value")
    amount = np.where(~np.isnan(vtc.astype(float)) & (vtc != 0), vtc, sub) + fen(np.nan_to_num(vl)) + fen(np.nan_to_num(given))
    np.add.at(total, pos["damage_items"], amount)
    costs = t["cost_items"]
    np.add.at(total, pos["cost_items"], fen(f(costs, "amount.value")))
    return total


def plain_parquet(df: pd.DataFrame) -> pd.DataFrame:
    """A column mixing text with whole numbers (``recovery_year``: ``"never"`` beside 2029) as text: the case
    model and the engine read the text ``"2029"`` as the year (``assess docket`` instead tags such a column
    as JSON text, :data:`assess.formats.docket_io.JSON_TAG`)."""
    out = df
    for c in df.columns:
        if df[c].dtype == object:
            v = df[c]
            kinds = set(v.dropna().map(type))
            if str in kinds and len(kinds) > 1:
                out = out.copy() if out is df else out
                out[c] = v.map(lambda x: None if x is None or x != x else str(x)).astype("string")
    return out


def run_on_parquet(d: str) -> dict[str, float]:
    """In this (fresh) process: read the docket's parquet files, assess, write the result; times and peak RSS."""
    import pyarrow.parquet as pq

    rss0 = peak_rss_mb()
    t0 = time.perf_counter()
    import pyarrow as pa

    text = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow")}.get
    tables = {f[:-len(".parquet")]: pq.read_table(os.path.join(d, f)).to_pandas(types_mapper=text)
              for f in sorted(os.listdir(d)) if f.endswith(".parquet") and f != "result.parquet"}
    read = time.perf_counter() - t0
    rss_read = peak_rss_mb()          # the peak so far: reading the tables into pandas
    t0 = time.perf_counter()
    out = assess_docket(tables, today=TODAY)
    run = time.perf_counter() - t0
    t0 = time.perf_counter()
    out.to_parquet(os.path.join(d, "result.parquet"), index=False)
    write = time.perf_counter() - t0
    return {"read": read, "run": run, "write": write, "rss_start": rss0, "rss_read": rss_read, "rss": peak_rss_mb(),
            "n": len(out),
            "single": int((out["engine"] == "single").sum()), "errors": int(out["error"].notna().sum())}


def stream_on_parquet(d: str, out: str, chunk: int, jobs: int) -> dict[str, float]:
    """In this (fresh) process: ``assess batch DIR -o OUT --chunk-size CHUNK --jobs JOBS`` (read, assess and
    write chunk by chunk: :mod:`assess.app.docket_batch`, :mod:`assess.app.docket_jobs`); wall time and peak RSS
    of this process (the workers' memory: :func:`tree_memory_mb`)."""
    import contextlib
    import io

    from assess.app.cli import main as cli

    rss0 = peak_rss_mb()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli(["batch", d, "-o", out, "--chunk-size", str(chunk), "--today", TODAY.isoformat(), "--jobs", str(jobs)])
    return {"code": code, "wall": time.perf_counter() - t0, "rss_start": rss0, "rss": peak_rss_mb()}


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """(PSS, RSS) in MB summed over process ``pid`` and its descendants (Linux ``/proc``; zeros elsewhere).  PSS
    counts a page shared by forked workers once, split between them: the memory the run takes from the machine."""
    kids: dict[int, list[int]] = {}
    for q in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if q.isdigit():
            try:
                with open(f"/proc/{q}/stat", encoding="ascii") as f:
                    kids.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(q))
            except (OSError, ValueError, IndexError):
                pass
    pss = rss = 0
    todo = [pid]
    while todo:
        q = todo.pop()
        todo.extend(kids.get(q, []))
        try:
            with open(f"/proc/{q}/smaps_rollup", encoding="ascii") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            pass
    return pss / 1024, rss / 1024


def run_sampled(cmd: list[str], every: float = 0.2) -> tuple[str, float, float]:
    """Run ``cmd``; (its standard output, peak PSS, peak RSS of its process tree in MB, sampled every ``every`` s)."""
    import threading

    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0, 0.0]

    def sample() -> None:
        while proc.poll() is None:
            pss, rss = tree_memory_mb(proc.pid)
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            time.sleep(every)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    stdout, stderr = proc.communicate()
    t.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr.strip()[-500:]}")
    return stdout, peak[0], peak[1]


def sample_check(t: dict[str, pd.DataFrame], out: pd.DataFrame, k: int, seed: int) -> tuple[int, int]:
    """(cases checked, cases differing) of ``k`` random cases against the single path."""
    n = len(t["cases"])
    pick = np.sort(np.random.default_rng(seed).choice(n, size=min(k, n), replace=False))
    pos = check_docket(t)
    sub = {name: df[np.isin(pos[name], pick)].reset_index(drop=True) for name, df in t.items()}
    slow = assess_docket(sub, today=TODAY, vectorise=False)
    fast = out.iloc[pick].reset_index(drop=True)
    bad = np.zeros(len(pick), bool)
    for c in OUTPUT_COLUMNS:
        if c == "engine":
            continue
        x, y = fast[c].astype(object), slow[c].astype(object)
        x, y = x.where(x.notna(), None), y.where(y.notna(), None)
        bad |= np.array([not ((u is None and v is None) or u == v) for u, v in zip(x, y, strict=True)], bool)
    return len(pick), int(bad.sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--liability", type=float, default=0.3)
    ap.add_argument("--four-methods", action="store_true", help="the earlier docket of the four per-line methods")
    ap.add_argument("--chunk", type=int, default=100_000, help="cases per chunk of the streamed `assess batch` run")
    ap.add_argument("--repeat", type=int, default=3, help="streamed runs of each kind (the median is quoted)")
    ap.add_argument("--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)),
                    help="worker processes of the parallel `assess batch --jobs` run (default: 2, or 1 on one CPU)")
    ap.add_argument("--run", help=argparse.SUPPRESS)   # internal: assess the parquet docket in DIR
    ap.add_argument("--stream", nargs=2, help=argparse.SUPPRESS)   # internal: `assess batch` DIR -o OUT
    args = ap.parse_args()
    if args.run:
        print(json.dumps(run_on_parquet(args.run)))
        return
    if args.stream:
        print(json.dumps(stream_on_parquet(args.stream[0], args.stream[1], args.chunk, args.jobs)))
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1 / 5 / 15 min)")
    t0 = time.perf_counter()
    tables = synthetic_docket_tables(args.cases, args.seed, liability=args.liability, every_method=not args.four_methods)
    print(f"docket generated in {time.perf_counter() - t0:.1f} s: "
          + ", ".join(f"{name} {len(df):,}" for name, df in tables.items()))
    pos = check_docket(tables)
    t0 = time.perf_counter()
    plain_numpy(tables, pos, len(tables["cases"]))
    kernel = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as d:
        for name, df in tables.items():
            # row groups of 65 536 rows, as `assess docket` writes them (a reader decodes a row group at a time)
            plain_parquet(df).to_parquet(os.path.join(d, f"{name}.parquet"), index=False, row_group_size=BLOCK_ROWS)
        # `assess batch` on the parquet directory, streamed chunk by chunk, in a fresh process: in one process,
        # then on --jobs worker processes (the memory of the whole process tree sampled)
        # timed runs are not sampled (reading a process's smaps_rollup walks its page tables under the lock its
        # page faults take: sampling slowed a run by 0.4 s); one more run of each kind is sampled for memory
        streamed: dict[int, list[dict[str, float]]] = {}
        sampled: dict[int, dict[str, float]] = {}
        for k in range(args.repeat + 1):     # interleaved: a slow spell of the machine touches both kinds
            for jobs in sorted({1, args.jobs}):
                cmd = [sys.executable, __file__, "--stream", d, d + ".result.parquet", "--chunk", str(args.chunk),
                       "--jobs", str(jobs)]
                if k < args.repeat:
                    streamed.setdefault(jobs, []).append(json.loads(subprocess.run(
                        cmd, check=True, capture_output=True, text=True).stdout))
                else:
                    text, pss, rss = run_sampled(cmd)
                    sampled[jobs] = {**json.loads(text), "tree_pss": pss, "tree_rss": rss}
                os.remove(d + ".result.parquet")
        # a fresh process: its peak RSS is the engine's (reading, assessing, writing), not the generator's
        got = json.loads(subprocess.run([sys.executable, __file__, "--run", d], check=True, capture_output=True,
                                        text=True).stdout)
        out = pd.read_parquet(os.path.join(d, "result.parquet"))
    wall, n, floor = got["run"], got["n"], got["read"] + got["write"]
    print(f"assess_docket: {wall:.2f} s, {n / wall:,.0f} cases/s; peak RSS of the process reading the parquet docket, "
          f"assessing it and writing the result {got['rss']:,.0f} MB (after imports {got['rss_start']:,.0f} MB; after "
          f"reading the tables {got['rss_read']:,.0f} MB)")
    for jobs, runs in streamed.items():
        walls = sorted(r["wall"] for r in runs)
        med, m = float(np.median(walls)), sampled[jobs]
        print(f"assess batch --jobs {jobs} (streamed, {args.chunk:,} cases a chunk; reads, assesses, writes), "
              f"{len(runs)} runs: median {med:.2f} s ({n / med:,.0f} cases/s), each "
              f"{', '.join(f'{w:.2f}' for w in walls)} s; memory of the process tree in one more run (sampled every "
              f"0.2 s; it took {m['wall']:.2f} s): peak PSS {m['tree_pss']:,.0f} MB, peak RSS {m['tree_rss']:,.0f} MB "
              f"(the parent's own peak RSS {m['rss']:,.0f} MB, after imports {m['rss_start']:,.0f} MB); exit codes "
              f"{sorted({r['code'] for r in [*runs, m]})}")
    print(f"fell back to the single path: {got['single']:,} of {n:,} ({got['single'] / n:.1%}); error rows {got['errors']:,}")
    print(f"plain-numpy kernel of the same arithmetic: {kernel:.2f} s (engine / kernel = {wall / kernel:.1f}×)")
    print(f"I/O floor: read the docket's parquet {got['read']:.2f} s + write the result {got['write']:.2f} s = {floor:.2f} s "
          f"(engine / I/O = {wall / floor:.1f}×)")
    print(f"load average after the run {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("note: on a machine shared with other jobs these times vary; rerun alone for figures to quote")
    if args.sample:
        t0 = time.perf_counter()
        checked, differing = sample_check(tables, out, args.sample, args.seed + 1)
        print(f"sample vs single path: {checked:,} cases, {differing} differing ({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
