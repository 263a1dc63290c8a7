"""Read time of a large batch workbook: openpyxl read-only vs python-calamine (design note §10).

    python benchmarks/bench_excel.py [ROWS]      # default 100000 rows × 20 columns

Builds a keyed batch sheet (hidden key row, header, notes, then one case per row: ids, dates,
numbers, text) once in a temp folder, then times :func:`assess.formats.excel.read_rows` with each engine
(best of 3).  Target: < 5 s on the reference machine.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.formats.excel import calamine_available, read_rows  # noqa: E402

COLS = 20


def build(path: Path, rows: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("batch")
    keys = ["case_id", "jurisdiction", "dates.incident", "obligor", "element"] + [f"q{i}.value" for i in range(COLS - 5)]
    ws.append(keys)
    ws.append(keys)
    ws.append(["notes"] + [""] * (COLS - 1))
    d0 = date(2024, 1, 1)
    for i in range(rows):
        ws.append([f"B-{i:06d}", "CN-JS", d0 + timedelta(days=i % 365), f"企业{i % 977}", "surface_water"]
                  + [round(i * 0.37 + k, 2) for k in range(COLS - 5)])
    wb.save(path)


def timed(fn, repeat: int = 3) -> tuple[float, int]:
    best, n = float("inf"), 0
    for _ in range(repeat):
        t = time.perf_counter()
        _keys, rows = fn()
        best, n = min(best, time.perf_counter() - t), len(rows)
    return best, n


def main(rows: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.xlsx"
        t = time.perf_counter()
        build(path, rows)
        print(f"built {rows:,} rows × {COLS} columns in {time.perf_counter() - t:.1f} s "
              f"({path.stat().st_size / 1e6:.1f} MB)")
        for engine in ("openpyxl", "calamine"):
            if engine == "calamine" and not calamine_available():
                print("calamine: not installed (pip install 'eco-damage-assess[fast]')")
                continue
            secs, n = timed(lambda engine=engine: read_rows(path, engine=engine), repeat=1 if engine == "openpyxl" else 3)
            print(f"{engine:9s}: {secs:6.2f} s for {n:,} rows ({'meets' if secs < 5 else 'misses'} the 5 s target)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
