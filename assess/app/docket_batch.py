"""``assess batch`` on a relational docket (issue 18): a directory of parquet or CSV tables, a docket
workbook (a ``cases`` sheet) or JSON Lines of case files, streamed in chunks of whole cases.

:class:`DocketInput` is one more :class:`assess.app.batchio.BatchInput`: its chunks come from
:func:`assess.formats.docket_io.read_docket` (``--chunk-size`` whole cases each, with their rows of every
table), each is assessed by :func:`assess.app.docket.assess_docket` and written before the next is read
(:func:`assess.app.batchio.stream_batch`: one parquet row group or CSV block a chunk, into a temp file that
replaces the target only when every chunk is written).  Memory: one chunk of rows and its results, plus
the docket's ids (the reader's id pass; 16 bytes an id in the batch's own check of
:mod:`assess.app.caseids`).  Case ids are unique over the whole docket: the reader refuses a duplicate
naming both rows (table row, or file:line) before the first chunk is assessed.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pandas as pd

from assess.app.batch import case_id_keys
from assess.app.batchio import Chunk, Tally, csv_encoding, error_column_lang, stream_batch
from assess.app.docket import assess_docket
from assess.formats.docket_io import DEFAULT_CHUNK, read_docket, use_system_arrow_pool
from factors.errors import InputError

__all__ = ["DocketInput", "run_docket_batch"]


@dataclass
class DocketInput:
    """A docket as an ``assess batch`` input: chunks of whole cases (rows numbered over the docket)."""

    path: Path
    notes: list[dict[str, str]] = field(default_factory=list)
    total: int | None = None

    def chunks(self, chunk_rows: int) -> Iterator[Chunk]:
        start = 0
        for tables in read_docket(self.path, chunk_rows, self.notes, csv_encoding=csv_encoding):
            ids = self._ids(tables["cases"])
            ids.index = pd.RangeIndex(start, start + len(ids))
            start += len(ids)
            yield Chunk(tables, ids)

    @staticmethod
    def _ids(cases: pd.DataFrame) -> pd.Series:
        return pd.Series(case_id_keys(cases["case_id"]) if len(cases) else np.empty(0, object), dtype=object)

    def ids_at(self, rows: np.ndarray) -> list[Any]:
        """The ids of earlier cases, read again (only on a hash collision of the batch's id check)."""
        want = {int(r): None for r in rows}
        start = 0
        for tables in read_docket(self.path, DEFAULT_CHUNK, [], csv_encoding=csv_encoding):
            ids = self._ids(tables["cases"]).to_numpy(object)
            for r in want:
                if start <= r < start + len(ids):
                    want[r] = ids[r - start]
            start += len(ids)
        return [want[int(r)] for r in rows]

    def assess(self, data: Any, args: Any) -> pd.DataFrame:
        return assess_docket(data, on=args.on, today=args.today, lang=error_column_lang(args))

    def schema(self) -> Any:
        return None     # from the first chunk's results (the columns of assess.app.docket.OUTPUT_COLUMNS)


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
    use_system_arrow_pool()
    docket = DocketInput(source)
    tally = Tally()
    from tqdm import tqdm

    jobs = getattr(args, "jobs", 1) or 1
    chunk = args.chunk_size or DEFAULT_CHUNK
    with tqdm(unit=" cases", unit_scale=True, disable=not sys.stderr.isatty(), file=sys.stderr, delay=1.0,
              dynamic_ncols=True) as bar:
        if jobs > 1:
            from assess.app.docket_jobs import run_jobs
            from assess.formats.atomic import replace_atomic

            replace_atomic(target, lambda tmp: run_jobs(source, tmp, target.suffix.lower(), args, chunk, jobs, tally,
                                                        docket.notes, bar.update), [source])
        else:
            stream_batch(docket, target, args, chunk, tally, bar.update)
    text = tally.text(time.perf_counter() - start, args.lang)
    if docket.notes:
        text += "\n注意 / Notes\n" + "".join(f"  {n['path']}: {n['zh']} / {n['en']}\n" for n in docket.notes)
    sys.stdout.write(text)
    return 0
