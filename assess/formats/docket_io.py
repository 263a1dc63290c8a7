"""Reading and writing relational dockets (issue 18): parquet or CSV directories, workbooks, JSON Lines.

Every reader yields dockets (``table → DataFrame``, :mod:`assess.formats.docket`) in **chunks of
whole cases**: chunk ``k`` holds the rows ``k·n … k·n+n-1`` of the ``cases`` table and every row of
the other tables whose ``case_id`` is one of theirs, in file order.

Formats
-------
* **directory of parquet files**, one per table, ``<table>.parquet`` (``cases.parquet``,
  ``damage_items.inputs.lines.parquet``, …), read with pyarrow in record batches; a column is bool,
  int64 or text when all its cells are, else JSON text tagged in the field metadata (:data:`JSON_TAG`)
  so that each cell reads back with its own JSON type (``"never"`` beside ``2029``, exact decimals);
* **directory of CSV files**, ``<table>.csv``: UTF-8 (a byte-order mark allowed) or GB18030/GBK as
  zh-CN Excel saves "CSV (逗号分隔)" (said on stderr), anything else refused; every cell is text
  (``007`` stays ``007``; the case model reads ``"12"`` and ``"true"`` as the number and the truth
  value; a field it types as a number *or* a code, ``recovery_year``, is read here by that type:
  :func:`assess.formats.docket.text_cell`), an empty cell is an absent field;
* **workbook** (``.xlsx``): one sheet per table, column names in row 1, data from row 2, read with
  openpyxl read-only through the project's safe reader (:func:`assess.formats.excel.read_rows`: the
  size caps of :mod:`assess.formats.xlsxguard`, DTDs refused, formulas without a cached value
  refused by cell).  A sheet name holds at most 31 characters, so a sheet ``_tables`` (columns
  ``sheet``, ``table``) may name the table of a sheet; without it a sheet is the table of its name.
  A workbook is a docket when it has a sheet ``cases`` (or ``_tables``);
* **JSON Lines** (``.jsonl``): one case file per line, exactly as ``assess run`` takes it, each line
  read by the case-file reader (:func:`factors.vocabulary.loads_json`: exact decimals, bounded
  nesting); errors name the file and line; blank lines are skipped;
* **DataFrames** in memory (a mapping ``table → DataFrame``).

Rows are labelled as the file shows them: parquet by the 0-based row number, CSV and workbook by the
row number in the sheet (the header is row 1; a workbook's blank rows are skipped), JSON Lines by
the line number; errors name table, row and column with these labels.

Streaming and memory
--------------------
Before the first chunk, the ``case_id`` column of every table is read once (only that column):
the whole-docket checks (a duplicate case id anywhere in ``cases``, both rows named; a child row
whose case is not in ``cases``) and an index ``row → chunk`` come from it.  Memory: 16 bytes a case
(the 64-bit hash of its id and its position, sorted; equal hashes confirmed on the ids read again) and
4 bytes a child row (its chunk number), plus one chunk of rows plus one block per table being read
(:data:`BLOCK_ROWS` rows of CSV, an Arrow batch of :data:`SCAN_ROWS` rows of parquet).

For **true streaming** (each file read once after the id pass) a child table must be in the order of
the ``cases`` table: its rows grouped by case, the cases in the order of ``cases`` (any order within
a case).  :func:`write_docket` writes them so.  A table not in that order is still read right, but
rescanned for each chunk (time ∝ chunks × file size; memory still bounded).  A workbook and a mapping
of DataFrames are already in memory: they are chunked by index, without rescans.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from assess.formats.docket import CASE_ID, CASES, case_key, cell_value, flatten, number_or_code_fields, text_cell, unflatten
from factors import vocabulary
from factors.errors import InputError

DEFAULT_CHUNK = 10_000
BLOCK_ROWS = 65_536
#: rows of the Arrow batches a parquet table's rows are scanned in (:meth:`_ParquetSource.blocks`)
SCAN_ROWS = 16_384
#: threads reading the ``case_id`` columns of a parquet docket's tables in the id pass (:func:`_arrow_index`)
ID_THREADS = 2
#: Parquet field metadata of a column whose cells are JSON text, each cell keeping its own JSON type
#: (a column mixing text with numbers, decimals, integers beyond int64).
JSON_TAG = (b"docket", b"json")
INDEX_SHEET = "_tables"
SHEET_CHARS = 31
_BAD_SHEET = set('[]:*?/\\')
DIR_FORMATS = ("parquet", "csv")

__all__ = ["JSON_TAG", "read_docket", "read_docket_workbook", "read_jsonl", "read_cases", "is_docket", "iter_jsonl", "write_docket",
           "write_jsonl", "dumps_case", "chunks", "utf8_only", "DEFAULT_CHUNK",
           "BLOCK_ROWS", "INDEX_SHEET"]


# -- what is a docket ----------------------------------------------------------------------------------


def is_docket(path: str | Path) -> bool:
    """A directory, a ``.jsonl`` file, or a workbook with a ``cases`` (or ``_tables``) sheet."""
    p = Path(path)
    if p.is_dir():
        return True
    suffix = p.suffix.lower()
    if suffix == ".jsonl":
        return True
    if suffix == ".xlsx" and p.is_file():
        names = _sheet_names(p)
        return CASES in names or INDEX_SHEET in names
    return False


def _sheet_names(path: Path) -> list[str]:
    """Sheet names from ``xl/workbook.xml`` (defusedxml: no DTDs), without loading any sheet."""
    import zipfile

    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 16 << 20:
                return []
            root = ElementTree.fromstring(zf.read(info))
    except Exception:  # noqa: BLE001 - not a readable workbook: not a docket (the case reader says why)
        return []
    return [el.get("name", "") for el in root.iter() if el.tag.endswith("}sheet") or el.tag == "sheet"]


# -- table sources: the case_id column, and rows by position ---------------------------------------------


class _Source:
    """One table of a docket: its columns, its ``case_id`` column in blocks, its rows in blocks."""

    name: str
    columns: list[str]

    def ids(self) -> Iterator[Any]:
        """The ``case_id`` cells in blocks: lists of cells, or Arrow arrays (:func:`_cells`, :func:`_runs`)."""
        raise NotImplementedError

    def blocks(self, start: int = 0) -> Iterator[Any]:
        """The rows from ``start`` (a :meth:`seek_start`) in file order, in blocks (anything with a length that
        :meth:`piece` cuts): DataFrames labelled (index) as the file shows them, by default."""
        raise NotImplementedError

    def seek_start(self, row: int) -> int:
        """The first row of the block holding ``row`` that :meth:`blocks` can start at without reading the
        rows before it (0: none but the first)."""
        return 0

    def piece(self, block: Any, rows: np.ndarray) -> Any:
        """The rows at ``rows`` (ascending positions within ``block``) of one block."""
        return block.iloc[rows]

    def combine(self, pieces: list[Any], positions: np.ndarray) -> pd.DataFrame:
        """The rows at ``positions`` of the table, from their :meth:`piece` of each block, in order."""
        return pieces[0] if len(pieces) == 1 else pd.concat(pieces)

    def label(self, pos: int) -> Any:
        raise NotImplementedError


class _FrameSource(_Source):
    def __init__(self, name: str, frame: pd.DataFrame):
        self.name, self.frame = name, frame
        self.columns = [str(c) for c in frame.columns]

    def ids(self) -> Iterator[list[Any]]:
        yield self.frame[CASE_ID].tolist() if CASE_ID in self.frame.columns else []

    def take(self, positions: np.ndarray) -> pd.DataFrame:
        return self.frame.iloc[positions]

    def label(self, pos: int) -> Any:
        return self.frame.index[pos]


class _ParquetSource(_Source):
    def __init__(self, name: str, path: Path):
        import pyarrow.parquet as pq

        self.name, self.path = name, path
        try:
            self.file = pq.ParquetFile(path)
            self.columns = list(self.file.schema_arrow.names)
        except Exception as exc:  # noqa: BLE001 - pyarrow on a damaged file: bad input
            raise _unreadable(path, exc) from None

    def ids(self) -> Iterator[list[Any]]:
        if CASE_ID not in self.columns:
            return
        tagged = _json_tagged(self.file.schema_arrow.field(CASE_ID))
        start = 0
        try:
            for batch in self.file.iter_batches(batch_size=BLOCK_ROWS, columns=[CASE_ID]):
                # an Arrow array: its runs are found without a Python object per row; JSON-tagged cells are their values
                yield (_json_cells(batch.column(0).to_pylist(), self.path, CASE_ID, range(start, start + batch.num_rows))
                       if tagged else batch.column(0))
                start += batch.num_rows
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise _unreadable(self.path, exc) from None

    def plain_ids(self) -> bool:
        """Whether the ``case_id`` column is text or whole numbers, not JSON-tagged (:func:`_arrow_index`)."""
        f = self.file.schema_arrow.field(CASE_ID)
        return _plain_id_type(f.type) and not _json_tagged(f)

    @cached_property
    def _group_starts(self) -> np.ndarray:
        """The first row of each row group, and the number of rows."""
        md = self.file.metadata
        return np.cumsum([0] + [md.row_group(i).num_rows for i in range(md.num_row_groups)])

    def seek_start(self, row: int) -> int:
        """The first row of the row group holding ``row``: row groups are read on their own (a worker of
        ``assess batch --jobs`` reads its chunks' row groups only)."""
        starts = self._group_starts
        return int(starts[max(int(np.searchsorted(starts, row, "right")) - 1, 0)])

    def blocks(self, start: int = 0) -> Iterator[Any]:
        """Arrow record batches of :data:`SCAN_ROWS` rows from ``start``: a batch is converted to pandas only for
        the rows a chunk takes (:meth:`combine`), so the rows of a row group that belong to another chunk, or
        to another worker's, are decoded but not converted."""
        starts = self._group_starts
        first = int(np.searchsorted(starts, start, "left"))
        if first >= len(starts) - 1 or starts[first] != start:
            if start == 0 or start == starts[-1]:
                return
            raise ValueError(f"{self.path}: row {start} does not start a row group")
        try:
            yield from self.file.iter_batches(batch_size=SCAN_ROWS, row_groups=range(first, len(starts) - 1))
        except Exception as exc:  # noqa: BLE001 - pyarrow on a damaged file: bad input
            raise _unreadable(self.path, exc) from None

    def piece(self, block: Any, rows: np.ndarray) -> Any:
        if _is_run(rows):     # a run of rows: a view, not a copy
            return block.slice(int(rows[0]), len(rows))
        return block.take(rows)

    def combine(self, pieces: list[Any], positions: np.ndarray) -> pd.DataFrame:
        """One pandas frame of the pieces, labelled by row number: typed columns stay typed (bool, Int64, float,
        timestamps, Arrow text: read by the engine as arrays, by the case model cell by cell); a JSON-tagged
        column is its cells' JSON values."""
        import pyarrow as pa

        try:
            table = pa.Table.from_batches(pieces)
            df = table.to_pandas(types_mapper=_pandas_types().get)
        except Exception as exc:  # noqa: BLE001
            raise _unreadable(self.path, exc) from None
        for f in table.schema:
            if _json_tagged(f):
                df[f.name] = pd.Series(_json_cells(table.column(f.name).to_pylist(), self.path, f.name, positions),
                                       dtype=object)
        p0 = int(positions[0])
        df.index = pd.RangeIndex(p0, p0 + len(positions)) if _is_run(positions) else pd.Index(positions)
        return df

    def label(self, pos: int) -> Any:
        return pos


def _is_run(rows: np.ndarray) -> bool:
    """Whether ascending, distinct positions are one run of consecutive rows."""
    return int(rows[-1]) - int(rows[0]) + 1 == len(rows)


def _json_tagged(field: Any) -> bool:
    """Whether a parquet field is a column of JSON text (:data:`JSON_TAG` in its metadata)."""
    return (field.metadata or {}).get(JSON_TAG[0]) == JSON_TAG[1]


def _json_cells(cells: list[Any], path: Path, column: str, rows: Sequence[int]) -> list[Any]:
    """The cells of a JSON-tagged parquet column (:data:`JSON_TAG`) at row numbers ``rows``, each read as a
    case file's value is (exact decimals); a cell that is not one JSON scalar names file, row and column."""
    out = []
    for i, c in enumerate(cells):
        if c is None:
            out.append(None)
            continue
        try:
            x = vocabulary.loads_json(c)
        except (vocabulary.Refused, json.JSONDecodeError, TypeError):
            x = [c]
        if isinstance(x, (dict, list)) or x is None:
            raise InputError(f"{path} row {rows[i]}, column {column}", "one JSON value (a column tagged docket=json)", c)
        out.append(x)
    return out


def utf8_only(path: Path) -> str:
    """The CSV encoding of a docket read without the app's detector: UTF-8 (a BOM allowed); other
    text is refused when the parser meets it (``assess batch`` passes its own detector, which also
    reads GB18030/GBK)."""
    return "utf-8-sig"


class _CsvSource(_Source):
    def __init__(self, name: str, path: Path, encoding: Callable[[Path], str] = utf8_only):
        self.name, self.path = name, path
        self.encoding = encoding(path)
        try:
            head = pd.read_csv(path, dtype=str, nrows=0, encoding=self.encoding)
        except UnicodeDecodeError:
            raise InputError(str(path), "CSV text in UTF-8 (在 Excel 中另存为“CSV UTF-8（逗号分隔）”)",
                             f"not {self.encoding}") from None
        except Exception as exc:  # noqa: BLE001 - the csv parser on a damaged file: bad input
            raise _unreadable(path, exc) from None
        self.columns = [str(c) for c in head.columns]

    def _read(self, **kw: Any) -> Iterator[pd.DataFrame]:
        try:
            yield from pd.read_csv(self.path, dtype=str, encoding=self.encoding, keep_default_na=False, na_values=[""],
                                   chunksize=BLOCK_ROWS, **kw)
        except (InputError, MemoryError, KeyboardInterrupt):
            raise
        except UnicodeDecodeError:
            raise InputError(str(self.path), "CSV text in UTF-8 (在 Excel 中另存为“CSV UTF-8（逗号分隔）”)",
                             f"not {self.encoding}") from None
        except Exception as exc:  # noqa: BLE001
            raise _unreadable(self.path, exc) from None

    def ids(self) -> Iterator[list[Any]]:
        if CASE_ID not in self.columns:
            return
        for df in self._read(usecols=[CASE_ID]):
            yield df[CASE_ID].tolist()

    def blocks(self, start: int = 0) -> Iterator[pd.DataFrame]:
        assert start == 0, "a CSV table is read from its first row"
        typed = [c for c in self.columns if c.rsplit(".", 1)[-1] in number_or_code_fields()]
        for df in self._read():
            df = df.astype(object)
            for c in typed:     # a CSV cell is text: a number-or-code field is read by its type
                df[c] = [text_cell(c, x) for x in df[c].tolist()]
            df.index = pd.RangeIndex(start + 2, start + 2 + len(df))
            start += len(df)
            yield df

    def label(self, pos: int) -> Any:
        return pos + 2


def _unreadable(path: Path, exc: BaseException) -> InputError:
    first = str(exc).splitlines()[0][:120] if str(exc) else ""
    return InputError(str(path), f"a readable {path.suffix} file", f"{type(exc).__name__}: {first}")


def use_system_arrow_pool() -> None:
    """Let Arrow allocate through the C library's ``malloc`` in this process (``assess batch`` on a docket, its
    workers and its id pass), unless ``ARROW_DEFAULT_MEMORY_POOL`` names a pool.

    pyarrow's default pool on Linux, mimalloc, hands freed pages back to the kernel at once, so the buffers of
    every row group and chunk are faulted in (zeroed) anew: on a million-case docket the id pass spent 0.7–1.3 s
    of system time (1.1–1.8 s wall; 0.2 s and 0.9–1.0 s with this pool) and the first chunk's read 0.36 s (0.15 s),
    measured with ``benchmarks/bench_docket.py``'s docket.  jemalloc measured the same, but not every pyarrow
    build has it; the system pool is in all."""
    import os

    import pyarrow as pa

    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        pa.set_memory_pool(pa.system_memory_pool())


@lru_cache(maxsize=1)
def _pandas_types() -> dict[Any, Any]:
    """Arrow → pandas column types of a parquet block (pyarrow imported only when a parquet docket is read)."""
    import pyarrow as pa

    text = pd.StringDtype("pyarrow")
    return {pa.bool_(): pd.BooleanDtype(), pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int64Dtype(),
            pa.string(): text, pa.large_string(): text}


class _Scan:
    """Rows of a file source by position, scanning its blocks forward and cutting from each block the rows
    taken (:meth:`_Source.piece`, joined by :meth:`_Source.combine`); a position before the current
    block restarts the scan (a table not in the order of ``cases``), at the row group that holds it in a
    parquet file, which also skips row groups ahead without reading them."""

    def __init__(self, source: _Source):
        self.source = source
        self.it: Iterator[Any] | None = None
        self.buf: Any = None
        self.buf_start = 0
        self.next_start = 0

    def _restart(self, start: int) -> None:
        self.it, self.buf, self.buf_start, self.next_start = self.source.blocks(start), None, start, start

    def _advance(self) -> None:
        assert self.it is not None
        self.buf = next(self.it)
        self.buf_start, self.next_start = self.next_start, self.next_start + len(self.buf)

    def take(self, positions: np.ndarray) -> pd.DataFrame:
        if not len(positions):
            return pd.DataFrame({c: pd.Series([], dtype=object) for c in self.source.columns})
        p0 = int(positions[0])
        if self.it is None or p0 < self.buf_start:
            self._restart(self.source.seek_start(p0))
        elif p0 >= self.next_start and (at := self.source.seek_start(p0)) > self.next_start:
            self._restart(at)
        parts, i = [], 0
        while i < len(positions):
            while self.buf is None or positions[i] >= self.next_start:
                self._advance()
            j = int(np.searchsorted(positions, self.next_start, "left"))
            parts.append(self.source.piece(self.buf, positions[i:j] - self.buf_start))
            i = j
        return self.source.combine(parts, positions)


# -- chunking ------------------------------------------------------------------------------------


@dataclass
class DocketPlan:
    """The rows of every table in each chunk of whole cases, from the id pass (:func:`plan_docket`)."""

    cases: int
    chunk_cases: int
    index: dict[str, np.ndarray]       # child table → the chunk of each row
    aligned: dict[str, bool]           # child table → its rows in chunk order (each chunk one slice)

    @property
    def count(self) -> int:
        """The number of chunks (one, empty, for a docket without cases)."""
        return max(1, -(-self.cases // self.chunk_cases))

    def rows(self, k: int) -> dict[str, tuple[int, int] | np.ndarray]:
        """The rows of chunk ``k`` of each table: a slice ``(first, end)`` or the positions."""
        c = self.chunk_cases
        out: dict[str, tuple[int, int] | np.ndarray] = {CASES: (k * c, min(self.cases, (k + 1) * c))}
        for name, idx in self.index.items():
            if self.aligned[name]:
                lo, hi = np.searchsorted(idx, [k, k + 1], "left")
                out[name] = (int(lo), int(hi))
            else:
                out[name] = np.flatnonzero(idx == k)
        return out


def plan_docket(sources: Mapping[str, _Source], chunk_cases: int) -> DocketPlan:
    """The whole-docket checks and the :class:`DocketPlan` of a docket's tables (module docstring)."""
    if chunk_cases < 1:
        raise InputError("--chunk-size", "a whole number ≥ 1", chunk_cases)
    if CASES not in sources:
        raise InputError("(docket)", f"a table named {CASES!r}", ", ".join(sources) or "no tables")
    for name, src in sources.items():
        if CASE_ID not in src.columns:
            raise InputError(f"{name}, column {CASE_ID}", "a case_id column in every table")
    index, n = _arrow_index(sources, chunk_cases) or _hash_index(sources, chunk_cases)
    aligned = {name: bool(np.all(idx[1:] >= idx[:-1])) if len(idx) > 1 else True for name, idx in index.items()}
    return DocketPlan(n, chunk_cases, index, aligned)


def open_tables(sources: Mapping[str, _Source]) -> dict[str, Any]:
    """Readers of rows by position for :func:`take_chunk` (a file is scanned forward, :class:`_Scan`)."""
    return {name: (src if isinstance(src, _FrameSource) else _Scan(src)) for name, src in sources.items()}


def take_chunk(tables: Mapping[str, Any], rows: Mapping[str, tuple[int, int] | np.ndarray]) -> dict[str, pd.DataFrame]:
    """The docket of one chunk: the rows (:meth:`DocketPlan.rows`) of each table (:func:`open_tables`)."""
    return {name: tables[name].take(np.arange(*r) if isinstance(r, tuple) else r) for name, r in rows.items()}


def _as_sources(sources: Mapping[str, _Source | pd.DataFrame]) -> dict[str, _Source]:
    return {str(n): (_FrameSource(str(n), s) if isinstance(s, pd.DataFrame) else s) for n, s in sources.items()}


def chunks(sources: Mapping[str, _Source | pd.DataFrame], chunk_cases: int = DEFAULT_CHUNK) -> Iterator[dict[str, pd.DataFrame]]:
    """Dockets of at most ``chunk_cases`` whole cases each (module docstring: the id pass, the memory bound)."""
    srcs = _as_sources(sources)
    plan = plan_docket(srcs, chunk_cases)
    tables = open_tables(srcs)
    for k in range(plan.count):
        yield take_chunk(tables, plan.rows(k))


def _hash_index(srcs: Mapping[str, _Source], chunk_cases: int) -> tuple[dict[str, np.ndarray], int]:
    """The id pass over any tables (module docstring): ``({child table: the chunk of each row}, number of
    cases)`` by the 64-bit hashes of the case ids."""
    cases = srcs[CASES]
    hashes, order, n = _case_index(cases)
    # the sorted hashes as a hash table when they are distinct (two ids of one 64-bit hash: the binary search)
    lookup = pd.Index(hashes) if n and bool((hashes[1:] != hashes[:-1]).all()) else None
    index: dict[str, np.ndarray] = {}
    for name, src in srcs.items():
        if name == CASES:
            continue
        parts, pos = [], 0
        for block in src.ids():
            # a table grouped by case (a database export) has one run of equal cells a case: only the first
            # cell of each run is keyed and hashed, and its rows follow it
            heads, starts = _runs(block)
            keys = _keys(src, name, heads, pos + starts)
            h = _hash(keys)
            if lookup is not None:       # a hash table: ~3× a binary search over hashes in random order
                at = lookup.get_indexer(h)
                found = at >= 0
                at = np.maximum(at, 0)
            else:
                at = np.minimum(np.searchsorted(hashes, h), max(len(hashes) - 1, 0))
                found = (hashes[at] == h) if len(hashes) else np.zeros(len(h), bool)
            if not found.all():
                i = int(np.argmin(found))
                raise InputError(f"{name} row {src.label(pos + int(starts[i]))}, column {CASE_ID}",
                                 f"a case id of the {CASES} table", heads[i])
            # the case of each row by its id's hash; an id equal in hash only to another case's (~n²/2⁶⁵) puts the
            # row in that case's chunk, where the exact check of the chunk (check_docket) refuses it
            run = np.zeros(len(block), np.int64)
            run[starts[1:]] = 1
            parts.append((order[at] // chunk_cases)[np.cumsum(run)])
            pos += len(block)
        idx = np.concatenate(parts).astype(np.int32) if parts else np.empty(0, np.int32)
        index[name] = idx
    return index, n


def _arrow_index(srcs: Mapping[str, _Source], chunk_cases: int) -> tuple[dict[str, np.ndarray], int] | None:
    """The id pass of :func:`_hash_index` in one dictionary encoding (Arrow's hash table, in C++), when every
    table is parquet with ``case_id`` cells of text or whole numbers (the text of a whole number is its id:
    :func:`assess.formats.docket.case_key`); ``None`` otherwise, and for an empty or missing id (the hash pass
    then names its row).  The case ids come first, so a case's code is its position when the ids are distinct;
    the first code that is not names the first id given again.  Memory: the case ids and the first cell of each
    run of equal ids of every table (Arrow text), their codes and run starts, while the pass runs."""
    if not all(isinstance(s, _ParquetSource) and s.plain_ids() for s in srcs.values()):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    cases = srcs[CASES]
    children = [name for name in srcs if name != CASES]

    def read(name: str) -> tuple[list[Any], list[tuple[int, np.ndarray]]]:
        if name == CASES:
            return [_arrow_text(block) for block in cases.ids()], []
        heads, sizes = [], []
        for block in srcs[name].ids():
            first, starts = _arrow_runs(block)
            heads.append(_arrow_text(first))
            sizes.append((len(block), starts))
        return heads, sizes

    # the tables are read side by side (parquet decoding and Arrow's kernels release the GIL)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(ID_THREADS) as pool:
        done = list(pool.map(read, [CASES, *children]))
    parts: list[Any] = [p for heads, _ in done for p in heads]
    n = sum(len(p) for p in done[0][0])
    runs = {name: sizes for name, (_, sizes) in zip(children, done[1:], strict=True)}
    del done
    if any(p.null_count or (len(p) and pc.min(pc.binary_length(p)).as_py() == 0) for p in parts):
        return None
    encoded = pc.dictionary_encode(pa.chunked_array(parts, type=pa.large_string()))
    del parts
    codes = iter(np.asarray(c.indices.to_numpy(), np.int64) for c in encoded.chunks)
    k = 0
    while k < n:
        c = next(codes)
        repeat = np.flatnonzero(c != np.arange(k, k + len(c)))
        if repeat.size:
            p = k + int(repeat[0])
            raise InputError(f"{CASES} row {cases.label(p)}, column {CASE_ID}",
                             f"a case id used once in the docket (also on {CASES} row {cases.label(int(c[repeat[0]]))})",
                             encoded.chunks[0].dictionary[int(c[repeat[0]])].as_py())
        k += len(c)
    index: dict[str, np.ndarray] = {}
    for name, blocks in runs.items():
        out, pos = [], 0
        for size, starts in blocks:
            at = next(codes)
            if (at >= n).any():
                i = int(np.argmax(at >= n))
                raise InputError(f"{name} row {srcs[name].label(pos + int(starts[i]))}, column {CASE_ID}",
                                 f"a case id of the {CASES} table", encoded.chunks[0].dictionary[int(at[i])].as_py())
            run = np.zeros(size, np.int64)
            run[starts[1:]] = 1
            out.append((at // chunk_cases).astype(np.int32)[np.cumsum(run)])
            pos += size
        index[name] = np.concatenate(out) if out else np.empty(0, np.int32)
    return index, n


def _arrow_text(arr: Any) -> Any:
    """Arrow ``case_id`` cells (text or whole numbers) as large text: the id of each cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return arr if arr.type == pa.large_string() else pc.cast(arr, pa.large_string())


def _hash(keys: list[Any]) -> np.ndarray:
    """uint64 hashes of case-id texts (SipHash with pandas' fixed key: the same on every run)."""
    return pd.util.hash_array(np.array(keys, dtype=object), categorize=False) if keys else np.empty(0, np.uint64)


def _keys(src: _Source, name: str, cells: list[Any], rows: np.ndarray) -> list[Any]:
    """The id texts of ``case_id`` cells at file rows ``rows`` (an unusable cell: the error names its table
    and row)."""
    if all(type(v) is str and v for v in cells):   # every cell a non-empty text: case_key's answer is the cell
        return cells
    out = []
    for i, v in enumerate(cells):
        try:
            out.append(case_key(v, ""))
        except InputError:
            case_key(v, f"{name} row {src.label(int(rows[i]))}, column {CASE_ID}")   # raises, naming the row
            raise
    return out


def _cells(block: Any) -> list[Any]:
    """The Python values of a block of ``case_id`` cells (a list, or an Arrow array)."""
    return block.to_pylist() if hasattr(block, "to_pylist") else list(block)


def _runs(block: Any) -> tuple[list[Any], np.ndarray]:
    """(the first cell of each run of equal cells, the rows where the runs start) of a block of ``case_id``
    cells.  Equal cells have one key (:func:`assess.formats.docket.case_key`); cells that differ but share a
    key (``7`` and ``"7"``) start two runs of the same case.  An empty cell starts a run of its own."""
    n = len(block)
    if n == 0:
        return [], np.zeros(0, np.int64)
    if hasattr(block, "to_pylist"):
        if _plain_id_type(block.type):
            heads, starts = _arrow_runs(block)
            return heads.to_pylist(), starts
        cells = block.to_pylist()
    else:
        cells = list(block)
    # other cells (a CSV's or a frame's): equal only when both are text and the same text
    new = np.ones(n, bool)
    prev = cells[0]
    for i in range(1, n):
        v = cells[i]
        new[i] = not (type(v) is str and type(prev) is str and v == prev)
        prev = v
    starts = np.flatnonzero(new)
    return [cells[i] for i in starts], starts


def _plain_id_type(t: Any) -> bool:
    """An Arrow type whose cells are compared as they are: text or whole numbers (or a dictionary of them)."""
    import pyarrow as pa

    t = t.value_type if pa.types.is_dictionary(t) else t
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t))


def _arrow_runs(block: Any) -> tuple[Any, np.ndarray]:
    """:func:`_runs` of an Arrow array of :func:`_plain_id_type`: (the first cells as an Arrow array, starts)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = block.dictionary_decode() if pa.types.is_dictionary(block.type) else block
    n = len(arr)
    if n == 0:
        return arr, np.zeros(0, np.int64)
    diff = pc.fill_null(pc.not_equal(arr.slice(1), arr.slice(0, n - 1)), True)
    new = np.concatenate([[True], np.asarray(diff.to_numpy(zero_copy_only=False), bool)])   # null: its own run
    starts = np.flatnonzero(new)
    return arr.take(pa.array(starts)), starts


def _case_index(cases: _Source) -> tuple[np.ndarray, np.ndarray, int]:
    """(sorted hashes of the case ids, the case position of each, number of cases): 16 bytes a case.  Equal
    hashes are confirmed on the ids read again; a real duplicate is refused naming both rows (the first
    repeated id in file order)."""
    parts, n = [], 0
    for block in cases.ids():
        parts.append(_hash(_keys(cases, CASES, _cells(block), np.arange(n, n + len(block)))))
        n += len(block)
    h = np.concatenate(parts) if parts else np.empty(0, np.uint64)
    order = np.argsort(h, kind="stable")
    hashes = h[order]
    del h, parts
    same = np.flatnonzero(hashes[1:] == hashes[:-1]) if n > 1 else np.empty(0, np.int64)
    if same.size:
        suspects = np.unique(np.concatenate([order[same], order[same + 1]]))
        keys: dict[int, Any] = {}
        raw: dict[int, Any] = {}
        pos = 0
        for block in cases.ids():
            lo, hi = np.searchsorted(suspects, [pos, pos + len(block)])
            cells = _cells(block) if hi > lo else []
            for p in suspects[lo:hi]:
                raw[int(p)] = cells[int(p) - pos]
                keys[int(p)] = case_key(cells[int(p) - pos], "")
            pos += len(block)
        first: dict[Any, int] = {}
        for p in sorted(keys):                 # file order: the first id given again
            if keys[p] in first:
                raise InputError(f"{CASES} row {cases.label(p)}, column {CASE_ID}",
                                 f"a case id used once in the docket (also on {CASES} row {cases.label(first[keys[p]])})",
                                 raw[p])
            first[keys[p]] = p
    return hashes, order, n


# -- readers -------------------------------------------------------------------------------------


def read_docket(source: str | Path | Mapping[str, pd.DataFrame], chunk_cases: int = DEFAULT_CHUNK,
                notes: list[dict[str, str]] | None = None, fmt: str | None = None,
                csv_encoding: Callable[[Path], str] = utf8_only) -> Iterator[dict[str, pd.DataFrame]]:
    """Dockets in chunks of at most ``chunk_cases`` whole cases from ``source``: a mapping of
    DataFrames, a directory (``<table>.parquet`` or ``<table>.csv`` files; ``fmt`` picks one when
    both are there), a ``.jsonl`` file or a workbook (module docstring).  ``csv_encoding(path)`` names
    the encoding of a CSV table (default: UTF-8 only)."""
    if isinstance(source, Mapping):
        yield from chunks(source, chunk_cases)
        return
    p = Path(source)
    if p.is_dir():
        yield from chunks(_dir_sources(p, fmt, csv_encoding), chunk_cases)
    elif p.suffix.lower() == ".jsonl":
        yield from read_jsonl(p, chunk_cases)
    elif p.suffix.lower() == ".xlsx":
        yield from chunks(read_docket_workbook(p, notes), chunk_cases)
    elif not p.exists():
        raise InputError(str(p), "an existing docket (a directory, .jsonl or .xlsx)", "no such file")
    else:
        raise InputError(str(p), "a docket: a directory of .parquet or .csv tables, a .jsonl or an .xlsx file",
                         p.suffix or "no extension")


def _dir_sources(path: Path, fmt: str | None, csv_encoding: Callable[[Path], str]) -> dict[str, _Source]:
    found = {f: sorted(q for q in path.iterdir() if q.is_file() and q.suffix.lower() == f".{f}") for f in DIR_FORMATS}
    if fmt is None:
        have = [f for f in DIR_FORMATS if found[f]]
        if len(have) > 1:
            raise InputError(str(path), "one kind of table file in a docket directory (.parquet or .csv)",
                             " and ".join(have))
        fmt = have[0] if have else None
    if fmt is None or not found.get(fmt):
        raise InputError(str(path), f"a docket directory with {CASES}.parquet or {CASES}.csv", "no table files")
    if fmt == "parquet":
        return {q.stem: _ParquetSource(q.stem, q) for q in found[fmt]}
    return {q.stem: _CsvSource(q.stem, q, csv_encoding) for q in found[fmt]}


def read_docket_workbook(path: Path, notes: list[dict[str, str]] | None = None) -> dict[str, pd.DataFrame]:
    """The tables of a docket workbook (one sheet per table), read whole (bounded by the workbook caps)."""
    from assess.formats.excel import read_rows

    names = _sheet_names(path)
    sheet_table = {s: s for s in names if s != INDEX_SHEET}
    if INDEX_SHEET in names:
        keys, rows = read_rows(path, INDEX_SHEET, engine="openpyxl", first_row=2, notes=notes)
        if "sheet" not in keys or "table" not in keys:
            raise InputError(f"{INDEX_SHEET}!A1", "the columns sheet and table", ", ".join(k for k in keys if k))
        si, ti = keys.index("sheet"), keys.index("table")
        for r in rows:
            s, t = (r[si] if si < len(r) else None), (r[ti] if ti < len(r) else None)
            if s not in sheet_table or not t:
                raise InputError(f"{INDEX_SHEET}!{s}", "a sheet of this workbook and its table name", t)
            sheet_table[str(s)] = str(t)
    tables: dict[str, pd.DataFrame] = {}
    for sheet, table in sheet_table.items():
        keys, rows = read_rows(path, sheet, engine="openpyxl", first_row=2, notes=notes)
        width = max([len(keys)] + [len(r) for r in rows])
        cols: dict[str, list[Any]] = {}
        for j in range(width):
            name = keys[j] if j < len(keys) else ""
            values = [r[j] if j < len(r) else None for r in rows]
            if not name:
                if all(v in (None, "") for v in values):
                    continue
                raise InputError(f"{sheet} column {j + 1}", "a column name in row 1 for every column with values", "empty")
            if name in cols:
                raise InputError(f"{sheet} column {name}", "each column once", name)
            cols[name] = values
        if table in tables:
            raise InputError(f"{sheet}", "one sheet per table", table)
        labels = pd.RangeIndex(2, 2 + len(rows))
        tables[table] = pd.DataFrame({k: pd.Series(v, dtype=object, index=labels) for k, v in cols.items()},
                                     index=labels)
    return tables


def iter_jsonl(path: str | Path) -> Iterator[tuple[str, Any]]:
    """``(file:line, case dict)`` for each non-blank line of a JSON Lines file, each line read as a case
    file is (exact decimals, bounded nesting); errors name the file and line (and column)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(str(path), "an existing JSON Lines file (.jsonl)", "no such file")
    with p.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            where = f"{p.name}:{n}"
            try:
                text = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError:
                raise InputError(where, "UTF-8 text (JSON Lines are UTF-8)") from None
            if not text.strip():
                continue
            try:
                case = vocabulary.loads_json(text)
            except vocabulary.Refused as exc:
                raise InputError.refused(where, exc) from None
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}:{exc.colno}", f"valid JSON ({exc.msg})", msgid="valid JSON ({reason})",
                                 fields={"reason": exc.msg}) from None
            if not isinstance(case, dict):
                raise InputError(where, "a JSON object (one case file per line)", type(case).__name__)
            yield where, case


def read_jsonl(path: str | Path, chunk_cases: int = DEFAULT_CHUNK) -> Iterator[dict[str, pd.DataFrame]]:
    """Dockets of ``chunk_cases`` cases from a JSON Lines file, streamed; duplicate ids over the whole file
    are refused naming both lines; the ``cases`` rows are labelled by line."""
    seen: dict[Any, str] = {}
    batch: list[tuple[str, Any]] = []

    def flush() -> dict[str, pd.DataFrame]:
        tables = flatten([c for _, c in batch], where=[w for w, _ in batch])
        tables[CASES].index = pd.Index([w for w, _ in batch])
        batch.clear()
        return tables

    any_case = False
    for where, case in iter_jsonl(path):
        cid = case.get(CASE_ID)
        if cid is not None and not isinstance(cid, (dict, list)):
            key = case_key(cid, f"{where}: {CASE_ID}")
            if key in seen:
                raise InputError(f"{where}: {CASE_ID}", f"a case id used once in the docket (also on {seen[key]})", cid)
            seen[key] = where
        batch.append((where, case))
        any_case = True
        if len(batch) >= chunk_cases:
            yield flush()
    if batch or not any_case:
        yield flush()


def read_cases(source: str | Path | Mapping[str, pd.DataFrame], chunk_cases: int = DEFAULT_CHUNK
               ) -> Iterator[tuple[Any, dict[str, Any]]]:
    """``(case_id, case dict)`` for every case of a docket, chunk by chunk."""
    for tables in read_docket(source, chunk_cases):
        yield from unflatten(tables)


# -- writers -------------------------------------------------------------------------------------


def write_docket(tables: Mapping[str, pd.DataFrame], target: str | Path, fmt: str | None = None, bom: bool = True,
                 inputs: Iterable[str | Path] = (), row_group: int = BLOCK_ROWS) -> None:
    """Write a docket: ``x.xlsx`` (one sheet per table), ``x.jsonl`` (one case per line) or a directory
    (``fmt`` parquet, the default, in row groups of ``row_group`` rows — 65 536: ``assess batch --jobs 2`` read
    a million cases about 1 s faster than from groups of 10 000 —, or csv: UTF-8 with a byte-order mark unless
    ``bom`` is False).
    Child tables are written in the order of ``cases`` (what the streaming readers want).  Files are
    written atomically: a directory is built beside the target and renamed into place, and must not
    exist or be empty."""
    inputs = list(inputs)
    p = Path(target)
    if CASES not in tables:
        raise InputError("(docket)", f"a table named {CASES!r}", ", ".join(map(str, tables)) or "no tables")
    ordered = _in_case_order(tables)
    suffix = p.suffix.lower()
    if suffix == ".jsonl":
        write_jsonl((c for _, c in unflatten(ordered)), p, inputs)
    elif suffix == ".xlsx":
        _write_workbook(ordered, p, inputs)
    elif suffix:
        raise InputError("--output", "a directory, an .xlsx or a .jsonl file", suffix)
    else:
        fmt = fmt or "parquet"
        if fmt not in DIR_FORMATS:
            raise InputError("--format", "parquet or csv", fmt)
        _write_dir(ordered, p, fmt, bom, inputs, row_group)


def _in_case_order(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Child tables sorted (stably) by the position of their case in ``cases``."""
    cases = tables[CASES]
    order = {case_key(v, f"{CASES} row {label}, column {CASE_ID}"): i
             for i, (v, label) in enumerate(zip(cases[CASE_ID].tolist(), cases.index, strict=True))}
    out = {CASES: cases}
    for name, frame in tables.items():
        if name == CASES:
            continue
        codes = np.array([order.get(case_key(v, f"{name} row {label}, column {CASE_ID}"), -1)
                          for v, label in zip(frame[CASE_ID].tolist(), frame.index, strict=True)], dtype=np.int64)
        out[str(name)] = frame if np.all(codes[1:] >= codes[:-1]) else frame.iloc[np.argsort(codes, kind="stable")]
    return out


def _text(v: Any) -> Any:
    """A cell as text for a CSV or a mixed column: true/false, exact decimals, ISO dates."""
    x = cell_value(v, "")
    if x is None or isinstance(x, str):
        return x
    if isinstance(x, bool):
        return "true" if x else "false"
    return str(x)


def _arrow_column(name: str, values: list[Any]) -> tuple[Any, Any]:
    """One column for parquet, ``(field, array)``: bool, int64 or text, nulls for empty cells; any other
    column (text mixed with numbers, decimals, integers beyond int64) is JSON text tagged
    :data:`JSON_TAG`, so that every cell reads back with its own JSON type (``"never"`` beside ``2029``)."""
    import pyarrow as pa

    cells = [cell_value(v, "") for v in values]
    filled = [x for x in cells if x is not None]
    if filled and all(isinstance(x, bool) for x in filled):
        return pa.field(name, pa.bool_()), pa.array(cells, type=pa.bool_())
    if filled and all(isinstance(x, int) and not isinstance(x, bool) and -2**63 <= x < 2**63 for x in filled):
        return pa.field(name, pa.int64()), pa.array(cells, type=pa.int64())
    if all(isinstance(x, str) for x in filled):
        return pa.field(name, pa.string()), pa.array(cells, type=pa.string())
    return (pa.field(name, pa.string(), metadata=dict([JSON_TAG])),
            pa.array([None if x is None else dumps_case(x) for x in cells], type=pa.string()))


def _write_dir(tables: Mapping[str, pd.DataFrame], target: Path, fmt: str, bom: bool, inputs: list[Path],
               row_group: int) -> None:
    import os
    import shutil
    import tempfile

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError("--output", "a new or empty directory for the docket tables", str(target))
    if not target.parent.is_dir():
        raise InputError("--output", "a path in an existing folder", str(target))
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, frame in tables.items():
            if "/" in name or "\\" in name or name.startswith("."):
                raise InputError(f"table {name}", "a table name usable as a file name")
            f = tmp / f"{name}.{fmt}"
            if fmt == "parquet":
                import pyarrow as pa
                import pyarrow.parquet as pq

                cols = [_arrow_column(str(c), frame[c].tolist()) for c in frame.columns]
                table = (pa.Table.from_arrays([a for _, a in cols], schema=pa.schema([f for f, _ in cols]))
                         if cols else pa.table({}))
                pq.write_table(table, f, row_group_size=max(1, row_group))
            else:
                frame.map(_text).to_csv(f, index=False, encoding="utf-8-sig" if bom else "utf-8")
        os.chmod(tmp, 0o777 & ~_umask())
        if target.exists():
            target.rmdir()
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sheet_name(table: str, used: set[str]) -> str:
    name = "".join("_" if ch in _BAD_SHEET else ch for ch in table)
    if len(name) > SHEET_CHARS or name != table or name.lower() in used:
        base, k = name[:SHEET_CHARS - 3], 1
        while (name := f"{base}~{k}").lower() in used:
            k += 1
    used.add(name.lower())
    return name


def _write_workbook(tables: Mapping[str, pd.DataFrame], target: Path, inputs: list[Path]) -> None:
    from openpyxl import Workbook

    from assess.formats.excel import put, save_atomic

    wb = Workbook()
    wb.remove(wb.active)
    used = {INDEX_SHEET.lower()}
    renamed: list[tuple[str, str]] = []
    for name, frame in tables.items():
        sheet = _sheet_name(str(name), used)
        if sheet != name:
            renamed.append((sheet, str(name)))
        ws = wb.create_sheet(sheet)
        for j, c in enumerate(frame.columns, start=1):
            put(ws, 1, j, str(c))
        for i, row in enumerate(frame.itertuples(index=False, name=None), start=2):
            for j, v in enumerate(row, start=1):
                x = cell_value(v, f"{name} row {i}")
                if x is None:
                    continue
                if isinstance(x, int) and not isinstance(x, bool) and abs(x) >= 2**53:
                    x = str(x)          # beyond a float's exact integers: text, as typed
                elif isinstance(x, Decimal):
                    x = str(x)          # decimals exact, as text
                put(ws, i, j, x)
    if renamed:
        ws = wb.create_sheet(INDEX_SHEET)
        put(ws, 1, 1, "sheet")
        put(ws, 1, 2, "table")
        for i, (s, t) in enumerate(renamed, start=2):
            put(ws, i, 1, s)
            put(ws, i, 2, t)
    save_atomic(wb, target, inputs)


def dumps_case(case: Any) -> str:
    """One line of JSON with every Decimal written as the exact number it is."""
    if isinstance(case, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {dumps_case(v)}" for k, v in case.items()) + "}"
    if isinstance(case, (list, tuple)):
        return "[" + ", ".join(dumps_case(v) for v in case) + "]"
    if isinstance(case, Decimal):
        if not case.is_finite():
            raise InputError("(case)", "a finite number", case)
        return str(case)
    return json.dumps(case, ensure_ascii=False)


def write_jsonl(cases: Iterable[Any], target: str | Path, inputs: Iterable[str | Path] = ()) -> None:
    """JSON Lines: one case file per line (UTF-8), written atomically."""
    from assess.formats.atomic import replace_atomic

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            for c in cases:
                fh.write(dumps_case(c) + "\n")

    replace_atomic(target, write, list(inputs))

