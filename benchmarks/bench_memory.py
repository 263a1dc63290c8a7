"""Peak memory per cost item of ``assess run`` (text and ``--json``) on a large honest case.

Issue 13, "large honest inputs": 100,000 cost items took 1.5 GB (about 15 KiB per item).  This
script builds the shipped example ``js_water_pollution.json`` with N cost items (copies of its
first one, ids C1 … CN) in a temp folder and runs ``assess run CASE [--json] -o OUT`` in a fresh
Python process for each N; the child reads its own peak resident set (``VmHWM`` in
``/proc/self/status``) after the run.  Printed per output and per N: the peak, the peak minus the
peak of the same case with 0 cost items, that difference per item (KiB/item) and the ratio of the
peak to the 0-item peak::

    python benchmarks/bench_memory.py                 # N = 10,000, 50,000 and 100,000
    python benchmarks/bench_memory.py 20000           # other sizes
    python benchmarks/bench_memory.py --distinct      # every item with its own label, evidence, amount

The figures measured on the 2-core reference machine are in the README ("Memory per cost item").
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factors.paths import data_dir  # noqa: E402

#: The child: run the CLI in-process, then report VmHWM (KiB) of this process on stderr's last line.
CHILD = """
import sys
from assess.app.cli import main
code = main(sys.argv[1:])
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(code, int(hwm.split()[1]), file=sys.stderr)
"""


def make_case(n: int, folder: Path, distinct: bool = False) -> Path:
    """The shipped example with ``n`` cost items: copies of its first (ids C1 … Cn), or with
    ``distinct`` each with its own label, evidence, amount and one of 365 dates (nothing to share)."""
    data = json.loads((data_dir() / "examples" / "js_water_pollution.json").read_text(encoding="utf-8"))
    first = data["cost_items"][0]
    items = []
    for i in range(n):
        c = copy.deepcopy(first)
        c["id"] = f"C{i + 1}"
        if distinct:
            c["label"] = f"{c['label']} {i + 1}"
            c["evidence"] = f"{c['evidence']} {i + 1}"
            c["amount"] = {"value": f"{i + 1}.{i % 100:02d}", "unit": "元"}
            c["date"] = (date(2024, 1, 1) + timedelta(days=i % 365)).isoformat()
        items.append(c)
    data["cost_items"] = items
    path = folder / f"case_{n}{'_distinct' if distinct else ''}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def peak_kib(argv: list[str]) -> int:
    """Peak RSS (VmHWM, KiB) of one fresh Python process running ``assess`` with ``argv``."""
    proc = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT))})
    code, hwm = proc.stderr.strip().splitlines()[-1].split()
    if code != "0":
        raise SystemExit(f"assess {' '.join(argv)} ended with {code}:\n{proc.stderr[-2000:]}")
    return int(hwm)


def main(sizes: list[int], distinct: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = {n: make_case(n, folder, distinct) for n in [0, *sizes]}
        print("peak RSS (VmHWM) of `assess run CASE -o OUT` in a fresh process; "
              "KiB/item = (peak − peak with 0 items) / N; cost items "
              + ("each distinct" if distinct else "copies of the example's first"))
        for label, extra, suffix in (("run (text)", [], ".txt"), ("run --json", ["--json"], ".json")):
            base = peak_kib(["run", str(paths[0]), *extra, "-o", str(folder / f"out0{suffix}")])
            print(f"  {label}: 0 items {base / 1024:7.1f} MiB")
            for n in sizes:
                peak = peak_kib(["run", str(paths[n]), *extra, "-o", str(folder / f"out{n}{suffix}")])
                print(f"  {label}: {n:>7,} items {peak / 1024:7.1f} MiB  "
                      f"{(peak - base) / n:6.2f} KiB/item  ×{peak / base:.2f} the 0-item case")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--distinct"]
    main([int(a) for a in args] or [10_000, 50_000, 100_000], distinct="--distinct" in sys.argv[1:])
