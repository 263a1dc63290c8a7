"""Cold start of ``assess example``: fresh processes, against ``python -c "import numpy, pandas"``.

Run from the repository root::

    python benchmarks/bench_startup.py [--runs 15]

Each run is a new interpreter (nothing imported, nothing cached in the process).  The two commands
alternate so that a change of machine load hits both; the median wall-clock time of each is printed
with their ratio (target, issue 18: ``assess example`` within 1.3× of importing numpy and pandas).
A first, unmeasured ``assess example`` fills the unit memo in the user cache (factors/units.py);
``--no-memo`` measures with the cache switched off (``ECO_DAMAGE_ASSESS_CACHE=off``: pint's registry is
built in every process).  Not a timed test: figures go to the README, not into assertions.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wall(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15, help="fresh processes per command (median; default 15)")
    ap.add_argument("--no-memo", action="store_true", help="switch the unit memo off (ECO_DAMAGE_ASSESS_CACHE=off)")
    args = ap.parse_args(argv)

    env = dict(os.environ)
    if args.no_memo:
        env["ECO_DAMAGE_ASSESS_CACHE"] = "off"
    py = sys.executable
    commands = {
        "python -c 'import numpy, pandas'": [py, "-c", "import numpy, pandas"],
        "assess example": [py, "-m", "assess.app.cli", "example"],
        "assess example --json": [py, "-m", "assess.app.cli", "example", "--json"],
    }
    for cmd in commands.values():  # warm the OS file cache (and the unit memo)
        wall(cmd, env)
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            times[name].append(wall(cmd, env))

    base_name = next(iter(commands))
    base = statistics.median(times[base_name])
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
          f"{args.runs} runs each, unit memo {'off' if args.no_memo else 'on'}")
    print(f"{'command':<36} {'median s':>9} {'min s':>7} {'ratio':>6}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:<36} {med:9.3f} {min(ts):7.3f} {med / base:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
