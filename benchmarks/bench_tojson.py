"""A single case's ``to_json`` against its assessment (issue 18: "no slower than its assessment").

Run from the repository root::

    python benchmarks/bench_tojson.py [--runs 50]

For the shipped example case (``assess example``) and the template example
(``data/examples/template/template_example.json``, every sheet filled): the case file is parsed once,
then ``assess_case`` and ``Result.to_json()`` run in turn ``--runs`` times (after a warm-up); the
median of each is printed with their ratio, beside the standard library's indented
``json.dumps(result.to_dict(), ensure_ascii=False, indent=2)`` (the text ``to_json`` must equal, and
what it used before).  Not a timed test: figures go to the README, not into assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assess import assess_case, parse_case  # noqa: E402

CASES = {
    "example (js_water_pollution)": ROOT / "data" / "examples" / "js_water_pollution.json",
    "template example": ROOT / "data" / "examples" / "template" / "template_example.json",
}


def _ms(ts: list[float]) -> float:
    return 1e3 * statistics.median(ts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50, help="runs of each step (median; default 50)")
    args = ap.parse_args(argv)
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
          f"median of {args.runs} runs, milliseconds")
    print(f"{'case':<30} {'KiB':>5} {'assess':>7} {'to_json':>8} {'ratio':>6} {'json.dumps':>11} {'ratio':>6}")
    for name, path in CASES.items():
        case = parse_case(json.loads(path.read_text(encoding="utf-8")))
        result = assess_case(case)
        text = result.to_json()
        if text != json.dumps(result.to_dict(), ensure_ascii=False, indent=2):
            raise SystemExit(f"{name}: to_json differs from json.dumps")
        t_assess: list[float] = []
        t_json: list[float] = []
        t_std: list[float] = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            result = assess_case(case)
            t1 = time.perf_counter()
            result.to_json()
            t2 = time.perf_counter()
            json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
            t3 = time.perf_counter()
            t_assess.append(t1 - t0)
            t_json.append(t2 - t1)
            t_std.append(t3 - t2)
        a, j, s = _ms(t_assess), _ms(t_json), _ms(t_std)
        print(f"{name:<30} {len(text.encode()) / 1024:5.0f} {a:7.2f} {j:8.2f} {j / a:6.2f} {s:11.2f} {s / a:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
