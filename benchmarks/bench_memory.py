"""Peak memory per cost item of ``assess run`` (text and ``--json``) on a large honest case.

Builds the shipped example with N cost items (copies of its first one, ids C1 … CN) in a temp
folder, runs ``python -m assess.app.cli run CASE [--json]`` in a child process for each N and reads
the child's peak resident set (``getrusage(RUSAGE_CHILDREN).ru_maxrss``, one fresh child per run).
The slope between the two sizes is the memory per item, printed as MiB per 1,000 items::

    python benchmarks/bench_memory.py            # N = 2,000 and 20,000
    python benchmarks/bench_memory.py 10000 100000

Measured on the 2-core reference machine (issue 13, "large honest inputs"; the machine was shared
with other jobs, so time is indicative only), MiB per 1,000 cost items:

=================  ========  =======
output             before    after
=================  ========  =======
``run`` (text)       9.1       ~9.0
``run --json``      16.2       ~5.4
=================  ========  =======

*Before*: the indented ``json.dumps`` kept every chunk of the output in a list before joining them
(about 10 KiB per item); *after*: ``--json`` is streamed to the file or stdout, rule citations are
shared between trace nodes, and trace nodes and ledger lines use ``__slots__``.  What remains is
the case model (pydantic, ~1.7 KiB per item), the ledger lines with their trace (~2.5 KiB) and, for
the text output, the rendered lines.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factors.paths import data_dir  # noqa: E402


def make_case(n: int, folder: Path) -> Path:
    data = json.loads((data_dir() / "examples" / "js_water_pollution.json").read_text(encoding="utf-8"))
    first = data["cost_items"][0]
    items = []
    for i in range(n):
        c = copy.deepcopy(first)
        c["id"] = f"C{i + 1}"
        items.append(c)
    data["cost_items"] = items
    path = folder / f"case_{n}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def peak_mib(argv: list[str]) -> float:
    """Peak RSS (MiB) of one fresh child running ``argv``."""
    code = ("import resource, subprocess, sys; "
            "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT))})
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main(sizes: list[int]) -> None:
    small, large = sizes
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = {n: make_case(n, folder) for n in (small, large)}
        print(f"cost items: {small:,} and {large:,}; peak RSS of `assess run` in a fresh process")
        for label, extra in (("run (text)", []), ("run --json", ["--json"])):
            peaks = {n: peak_mib([sys.executable, "-m", "assess.app.cli", "run", str(paths[n]), *extra])
                     for n in (small, large)}
            per_1000 = (peaks[large] - peaks[small]) / (large - small) * 1000
            print(f"  {label:12s} {peaks[small]:8.1f} MiB / {peaks[large]:8.1f} MiB  →  "
                  f"{per_1000:6.2f} MiB per 1,000 items ({per_1000 * 1024 / 1000:.1f} KiB per item)")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]] or [2_000, 20_000]
    main(args if len(args) == 2 else [2_000, args[0]])
