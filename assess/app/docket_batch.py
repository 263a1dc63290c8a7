"""``assess batch`` on a relational docket (issue 18): a directory of parquet or CSV tables, a docket
workbook (a ``cases`` sheet) or JSON Lines of case files, read in chunks of whole cases
(:mod:`assess.formats.docket_io`), each chunk assessed by :func:`assess.app.docket.assess_docket`, the
results written as ``assess batch`` writes them (:func:`assess.app.batchio.write_results`)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

from assess.app.batchio import csv_encoding, summary, write_results
from assess.app.docket import assess_docket
from assess.formats.docket_io import read_docket
from factors.errors import InputError


def run_docket_batch(args: Any) -> int:
    source, target = Path(args.cases), Path(args.output)
    if getattr(args, "cost_ratio_threshold", None) is not None:
        raise InputError("--cost-ratio-threshold", "no threshold with a docket (its cases use the policy default "
                         "routing.cost_ratio_reminder; run the case with `assess run --cost-ratio-threshold`)",
                         args.cost_ratio_threshold)
    from assess.formats.atomic import check_output

    check_output(target, [source])
    if target.suffix.lower() not in (".parquet", ".csv"):
        raise InputError("--output", "a .parquet or .csv file", target.suffix or "no extension")
    start = time.perf_counter()
    notes: list[dict[str, str]] = []
    from tqdm import tqdm

    parts = []
    with tqdm(unit="case", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
        for tables in read_docket(source, args.chunk_size, notes, csv_encoding=csv_encoding):
            parts.append(assess_docket(tables, on=args.on, today=args.today, lang=args.lang))
            bar.update(len(parts[-1]))
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    write_results(out, target, [source], bom=getattr(args, "bom", True))
    text = summary(out, time.perf_counter() - start, args.lang)
    if notes:
        text += "\n注意 / Notes\n" + "".join(f"  {n['path']}: {n['zh']} / {n['en']}\n" for n in notes)
    sys.stdout.write(text)
    return 0


__all__ = ["run_docket_batch"]
