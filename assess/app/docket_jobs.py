"""``assess batch --jobs N`` on a docket (issue 18): N worker processes assess its chunks, the parent writes them.

The whole-docket id pass (:func:`assess.formats.docket_io.plan_docket`: duplicate ids, child rows without a
case, the rows of every chunk) runs first, and the chunks are handed out in order:

* a **directory of parquet tables**: the id pass runs in a process of its own while the workers warm up (its
  working memory, every table's ids, leaves with it: the parent keeps the plan, ≈ 4 bytes a child row); each
  worker reads its chunks' rows itself, from the row groups that hold them (it skips the other workers' row
  groups without decoding them; a row group that straddles two chunks is decoded by both, but each converts
  to pandas only its own rows: :meth:`assess.formats.docket_io._ParquetSource.blocks`);
* any other docket (CSV tables, a workbook, JSON Lines): the parent reads each chunk
  (:func:`assess.formats.docket_io.read_docket`) and sends its tables to a worker.

Each worker runs the same :func:`assess.app.docket.assess_docket` as the one-process batch, so the results
are the same, row for row.  The parent writes them in chunk order (one parquet row group or CSV block a chunk)
and adds them to the summary; at most two chunks a worker are in flight (memory: about 2 × jobs chunks beside
the parent's own).  The first chunk that fails stops the run: bad input is the one-line error of the
one-process batch (exit 2), anything else an internal error; the output file is not written (atomic).

Every process of the run lets Arrow allocate with ``malloc``
(:func:`assess.formats.docket_io.use_system_arrow_pool`).  Workers are forked on Linux and spawned
elsewhere.  Forked, they inherit the parent's warm engine (imported and run once on a small docket while
the id pass runs: a worker starts in ≈ 0.2 s, not ≈ 1 s) and freeze it out of the garbage collector's
scans.  A worker that dies (killed, out of memory) stops the run: :class:`factors.errors.RunAborted`
(exit 71) naming the chunks that were in flight.
"""

from __future__ import annotations

import gc
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Callable, Iterator

from assess.app.batchio import GC_ROWS, ResultWriter, Tally, csv_encoding, encode_results, error_column_lang
from assess.formats import docket_io
from factors.errors import RunAborted

__all__ = ["run_jobs", "IN_FLIGHT"]

#: chunks in flight per worker (sent and not yet written by the parent)
IN_FLIGHT = 2

# -- in a worker -------------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _warm() -> None:
    """Import and warm the engine (parameter store, unit registry, the methods' tables) on a small docket."""
    from assess.app.docket import assess_docket
    from assess.app.synthetic import synthetic_docket_tables

    assess_docket(synthetic_docket_tables(8, 0, every_method=True))


def _start(parquet_dir: str | None) -> None:
    """Worker initializer: open the parquet tables it reads its chunks from (``None``: chunks are sent), and
    warm the engine (parameter store, unit registry, readers) while the parent runs the id pass."""
    _STATE.clear()
    _STATE["since_gc"] = 0
    docket_io.use_system_arrow_pool()     # spawned: not inherited
    if parquet_dir is not None:
        sources = docket_io._dir_sources(Path(parquet_dir), "parquet", docket_io.utf8_only)
        _STATE["tables"] = docket_io.open_tables(sources)
    _warm()             # forked from a warm parent: 0.06 s; spawned: the imports and the first run
    # what lives as long as the worker (modules, parameter store, unit registry) leaves the collector's scans:
    # a full collection after a chunk then looks at that chunk's objects alone (0.03 s → 0.001 s)
    gc.collect()
    gc.freeze()


def _assess(task: tuple[str, Any], on: Any, today: Any, lang: str, suffix: str) -> tuple[Any, Tally]:
    """One chunk: ``("rows", rows of each table)`` read here, or ``("tables", docket)`` as sent → its results
    encoded for the output file (:func:`assess.app.batchio.encode_results`) and their tally."""
    from assess.app.docket import assess_docket

    kind, payload = task
    tables = docket_io.take_chunk(_STATE["tables"], payload) if kind == "rows" else payload
    out = assess_docket(tables, on=on, today=today, lang=lang)
    del tables, payload
    tally = Tally()
    tally.add(out)
    encoded = encode_results(out, suffix)
    _STATE["since_gc"] += len(out)
    del out
    if _STATE["since_gc"] >= GC_ROWS:    # as the one-process batch: cycles freed while memory is still one chunk
        gc.collect()
        _STATE["since_gc"] = 0
    return encoded, tally


# -- in the parent -----------------------------------------------------------------------------------


def _parquet_dir(path: Path) -> bool:
    """A docket directory of parquet tables (the workers read them), not CSV, workbook or JSON Lines; a
    directory that is no docket fails here with the one-process batch's error, before a worker starts."""
    if not path.is_dir():
        return False
    sources = docket_io._dir_sources(path, None, csv_encoding)
    return all(isinstance(s, docket_io._ParquetSource) for s in sources.values())


def _plan(path: str, chunk_cases: int) -> docket_io.DocketPlan:
    """The id pass of a parquet docket (:func:`assess.formats.docket_io.plan_docket`), run in a process of its
    own: its working memory (every table's ids) leaves with the process, the parent keeps the plan alone."""
    docket_io.use_system_arrow_pool()
    return docket_io.plan_docket(docket_io._dir_sources(Path(path), "parquet", csv_encoding), chunk_cases)


def _tasks(path: Path, chunk_cases: int, notes: list[dict[str, str]], plan: Future[Any] | None
           ) -> Iterator[tuple[str, Any]]:
    if plan is not None:
        try:
            rows = plan.result()
        except BrokenProcessPool:
            raise RunAborted("the process of the id pass of `assess batch --jobs` died (killed, or out of memory): "
                             "nothing written",
                             "`assess batch --jobs` 的编号检查进程终止（被终止或内存不足）：未写出任何文件") from None
        for k in range(rows.count):
            yield "rows", rows.rows(k)
    else:
        for tables in docket_io.read_docket(path, chunk_cases, notes, csv_encoding=csv_encoding):
            yield "tables", tables


def _context() -> Any:
    """Fork on Linux (the workers inherit the imported modules), spawn elsewhere (fork is unsafe on macOS)."""
    import multiprocessing

    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def run_jobs(path: Path, tmp: Path, suffix: str, args: Any, chunk_cases: int, jobs: int, tally: Tally,
             notes: list[dict[str, str]], progress: Callable[[int], None] = lambda n: None) -> None:
    """Assess the docket at ``path`` on ``jobs`` worker processes into ``tmp`` (module docstring)."""
    parquet = _parquet_dir(path)
    lang = error_column_lang(args)
    ctx = _context()
    planner = ProcessPoolExecutor(1, mp_context=ctx) if parquet else None
    plan = planner.submit(_plan, str(path), chunk_cases) if planner is not None else None
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_start,
                               initargs=(str(path) if parquet else None,))
    try:
        if ctx.get_start_method() == "fork":
            _warm()      # once, while the id pass runs: the workers, forked at the first submit, inherit it
        pool.submit(int)                 # the workers start now, warming up while the id pass runs
        pending: deque[tuple[int, Future[tuple[Any, Tally]]]] = deque()
        with ResultWriter(tmp, suffix, getattr(args, "bom", True), None) as writer:
            def finish() -> None:
                k, fut = pending.popleft()
                try:
                    encoded, counted = fut.result()
                except BrokenProcessPool:
                    # every chunk in flight fails with the pool: the one the dead worker held is among them
                    last = pending[-1][0] + 1 if pending else k + 1
                    raise RunAborted(
                        f"a worker process of `assess batch --jobs` died while chunks {k + 1}–{last} were assessed "
                        "(killed, or out of memory): nothing written; try fewer --jobs or a smaller --chunk-size",
                        f"`assess batch --jobs` 的工作进程在计算第 {k + 1}–{last} 块时终止（被终止或内存不足）：未写出任何文件；"
                        "请减少 --jobs 或减小 --chunk-size") from None
                writer.write_encoded(encoded)
                tally.merge(counted)
                progress(counted.rows)

            for k, task in enumerate(_tasks(path, chunk_cases, notes, plan)):
                if planner is not None:
                    planner.shutdown()       # the id pass is done: its process exits, its memory with it
                    planner = None
                pending.append((k, pool.submit(_assess, task, args.on, args.today, lang, suffix)))
                del task
                if len(pending) >= IN_FLIGHT * jobs:
                    finish()
            while pending:
                finish()
    except BaseException:
        # the first failure (or an interrupt) stops the others now: no chunk after it is needed
        workers = list((getattr(pool, "_processes", None) or {}).values())
        if planner is not None:
            workers += list((getattr(planner, "_processes", None) or {}).values())
            planner.shutdown(wait=False, cancel_futures=True)
        pool.shutdown(wait=False, cancel_futures=True)
        for w in workers:
            w.terminate()
        for w in workers:
            w.join()
        raise
    pool.shutdown(wait=True)
