"""Peak memory of ``assess batch`` streaming: flat in the file's size, bounded by the chunk.

Writes a synthetic docket (:func:`assess.app.synthetic.synthetic_docket`) of 1×, 3× and 10× the chunk
as parquet and as CSV in a temp folder, runs ``python -m assess.app.cli batch IN -o OUT --chunk-rows C``
in a fresh child for each, and reads the child's peak resident set (``getrusage(RUSAGE_CHILDREN)``).
For contrast the 10× file is also run as one chunk (``--chunk-rows`` = its size: what ``assess batch``
did before it streamed)::

    python benchmarks/bench_stream.py                # chunk 20,000 rows: files of 20k, 60k, 200k rows
    python benchmarks/bench_stream.py 50000          # chunk 50,000 rows: 50k, 150k, 500k

Measured on the 2-core reference machine (4 December 2026, heavily shared with other jobs: load
average ~10, so the seconds are indicative only), chunk 20,000 rows, peak RSS in MiB (the interpreter
with numpy, pandas, pyarrow and pint loaded is ~170 MiB of it)::

    input      rows     chunked           one chunk (as before streaming)
    parquet    20,000     221   11.8 s
    parquet    60,000     251   12.2 s
    parquet   200,000     262   20.3 s     481   18.6 s
    csv        20,000     193   11.4 s
    csv        60,000     204   15.9 s
    csv       200,000     217   29.5 s     400   23.5 s

Ten times the rows: +41 MiB (parquet) and +24 MiB (CSV) chunked, of which the duplicate-id check
keeps 16 bytes an id (3 MiB here); +260 / +207 MiB when the file is one chunk.  A parquet file is
decoded a record batch at a time within a row group; files written with row groups no larger than
the chunk keep the bound tightest.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_mib(argv: list[str]) -> tuple[float, float]:
    """(peak RSS in MiB, seconds) of one fresh child running ``argv``."""
    code = ("import resource, subprocess, sys; "
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *argv], check=True, capture_output=True, text=True, cwd=ROOT)
    return int(out.stdout.strip()) / 1024, time.perf_counter() - start


def main(argv: list[str]) -> None:
    from assess.app.synthetic import synthetic_docket

    chunk = int(argv[0]) if argv else 20_000
    sizes = (chunk, 3 * chunk, 10 * chunk)
    docket = synthetic_docket(sizes[-1], seed=1)
    print(f"chunk {chunk:,} rows; peak RSS of `assess batch` (MiB) and time (s)")
    print(f"{'input':8} {'rows':>9}  {'chunked':>16}  {'one chunk':>16}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for suffix in (".parquet", ".csv"):
            for n in sizes:
                src = folder / f"cases_{n}{suffix}"
                part = docket.head(n)
                part.to_parquet(src) if suffix == ".parquet" else part.to_csv(src, index=False)
                cmd = [sys.executable, "-m", "assess.app.cli", "batch", str(src), "-o", str(folder / "out.parquet")]
                mib, secs = peak_mib(cmd + ["--chunk-rows", str(chunk)])
                line = f"{suffix[1:]:8} {n:>9,}  {mib:>8.0f} {secs:>6.1f} s"
                if n == sizes[-1]:
                    mib1, secs1 = peak_mib(cmd + ["--chunk-rows", str(n)])
                    line += f"  {mib1:>8.0f} {secs1:>6.1f} s"
                print(line, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
