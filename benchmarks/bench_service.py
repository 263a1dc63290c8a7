"""The HTTP service under load, and the CLI for comparison (a benchmark, not a test).

Run from the repository root (needs the extra: ``pip install '.[serve]' httpx``)::

    python benchmarks/bench_service.py [--requests 1000] [--concurrency 16] [--workers 1] [--cli-runs 20]

Starts ``assess serve`` on a free loopback port, sends ``--requests`` ``POST /v1/assess`` requests with
the shipped examples (round robin) from ``--concurrency`` concurrent clients (asyncio + httpx, one
connection each, keep-alive), checks every answer (status 200 and the library's total), and prints
throughput and p50/p99 latency.  Then the same cases through the CLI, one ``assess run --json``
subprocess per case (``--cli-runs`` runs, sequential and at the same concurrency), as a
case-management system that shells out would.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import httpx  # noqa: E402

from _server import running_server  # noqa: E402
from assess import assess_case  # noqa: E402
from factors.paths import data_dir  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s)) - 1))]


def report(name: str, latencies: list[float], wall: float) -> None:
    print(f"{name}: {len(latencies)} requests in {wall:.2f} s = {len(latencies) / wall:.1f} req/s; "
          f"latency p50 {percentile(latencies, 50) * 1000:.1f} ms, p99 {percentile(latencies, 99) * 1000:.1f} ms, "
          f"mean {statistics.mean(latencies) * 1000:.1f} ms")


async def drive(base: str, bodies: list[tuple[bytes, str]], n: int, concurrency: int) -> tuple[list[float], float]:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)
    latencies: list[float] = []

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=120, limits=httpx.Limits(max_connections=1)) as c:
            while True:
                try:
                    i = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                body, total = bodies[i % len(bodies)]
                t = time.perf_counter()
                r = await c.post("/v1/assess", content=body, headers={"Content-Type": "application/json"})
                latencies.append(time.perf_counter() - t)
                if r.status_code != 200 or r.json()["ledger"]["total"] != total:
                    raise SystemExit(f"wrong answer: {r.status_code} {r.text[:300]}")

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return latencies, time.perf_counter() - start


def cli_once(path: Path, total: str) -> float:
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "assess.app.cli", "run", str(path), "--json"], capture_output=True, text=True)
    if p.returncode != 0 or f'"total": "{total}"' not in p.stdout:
        raise SystemExit(f"CLI failed: {p.stderr[:300]}")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--cli-runs", type=int, default=20)
    args = ap.parse_args()
    examples = sorted((data_dir() / "examples").glob("*.json"))
    cases = [(p, str(assess_case(p).ledger.total)) for p in examples]
    bodies = [(p.read_bytes(), total) for p, total in cases]
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
          f"{len(examples)} example cases round robin; load average {os.getloadavg()[0]:.1f} before the run")
    with running_server("--workers", str(args.workers), "--max-body", str(10 * 1024 * 1024)) as base:
        asyncio.run(drive(base, bodies, 2 * args.concurrency, args.concurrency))  # warm-up (imports, caches)
        latencies, wall = asyncio.run(drive(base, bodies, args.requests, args.concurrency))
    report(f"service ({args.workers} worker{'s' if args.workers > 1 else ''}, {args.concurrency} concurrent clients)",
           latencies, wall)

    runs = [cases[i % len(cases)] for i in range(args.cli_runs)]
    start = time.perf_counter()
    seq = [cli_once(p, t) for p, t in runs]
    report("CLI, one subprocess per case, sequential", seq, time.perf_counter() - start)
    start = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        par = list(pool.map(lambda c: cli_once(*c), runs))
    report(f"CLI, one subprocess per case, {args.concurrency} at a time", par, time.perf_counter() - start)


if __name__ == "__main__":
    main()
