"""``assess batch``: read a cases file in chunks, assess each chunk, write the results as they come, summarise.

Streaming: the input is read ``--chunk-rows`` rows at a time (default :data:`DEFAULT_CHUNK_ROWS`) and
each chunk's results are written before the next chunk is read, so memory is bounded by the chunk
whatever the file's size (``benchmarks/bench_stream.py`` measures it).  A chunk's rows keep their
row numbers over the whole file (the ``row N`` of the ``error`` column), so the result is the same
whatever the chunk size.

Reading: ``.parquet`` (pyarrow, ``iter_batches``: one chunk of row groups at a time), ``.csv`` (pandas
in chunks; text columns kept as text so ``case_id`` ``007`` stays ``007``; UTF-8, with or without a
byte-order mark, or GB18030/GBK as zh-CN Excel saves "CSV (逗号分隔)" — said on stderr — anything else
refused; the encoding is found by an incremental decoder, a block at a time), ``.xlsx`` (the
case-workbook reader's safe path: size limits, DTDs refused, formula cells without a cached value
refused by cell; streamed row by row by openpyxl read-only (:func:`assess.formats.excel.iter_row_chunks`),
except that a sheet inflating to at most :data:`WHOLE_XLSX_BYTES` is read whole by python-calamine when
installed), ``.xls`` and ``.ods`` (python-calamine, read whole: the ``fast`` extra).

Duplicate case ids: checked over the whole input, chunk by chunk, before a chunk is assessed
(:mod:`assess.app.caseids`: 16 bytes an id); a duplicate is an error naming both rows (exit 2).

Writing: ``.parquet`` (pyarrow ``ParquetWriter``, one row group per chunk, the typed
:func:`assess.app.batch.result_schema`) or ``.csv`` (UTF-8 with a byte-order mark by default, so Excel
on zh-CN Windows shows the Chinese; ``--no-bom`` for plain UTF-8; text a spreadsheet would run as a
formula gets a leading ``'``: :func:`csv_safe`), into a temp file beside the target that replaces it
only when every chunk is written (:mod:`assess.formats.atomic`): on any error (exit 2) nothing is left.
A progress line (tqdm, rows and rows/s) on stderr when stderr is a terminal; quiet otherwise.

Another kind of input (a relational docket, JSON Lines) is one more :class:`BatchInput`: a source of
chunks, each with its case ids, and a function chunk → result frame; :func:`open_input` picks it.
"""

from __future__ import annotations

import codecs
import gc
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol, Sequence

import numpy as np
import pandas as pd

from assess.law.categories import BY_KEY
from assess.app.batch import (CATEGORY_KEYS, COLUMNS, ROUTING_CODES, assess_frame, case_id_keys, check_frame,
                              fen_to_yuan, result_schema)
from assess.app.caseids import SeenIds, duplicate_error
from factors.errors import AssessError, InputError

READERS = (".parquet", ".csv", ".xlsx", ".xls", ".ods")
CALAMINE_ONLY = (".xls", ".ods")
FAST_HINT = ("读取 .xls / .ods 需要 fast 扩展（python-calamine）：pip install 'eco-damage-assess[fast]'，"
             "或在 Excel/WPS 中另存为 .xlsx / reading .xls or .ods needs the `fast` extra (python-calamine)")
WRITERS = (".parquet", ".csv")
TOTAL_LABEL = {"zh": "合计", "en": "total"}
#: Rows per chunk of ``assess batch`` (``--chunk-rows``): ~100 MB at the peak for the flat columns
#: (benchmarks/bench_stream.py), large enough that the per-chunk overhead is lost in the noise.
DEFAULT_CHUNK_ROWS = 100_000
#: An .xlsx whose worksheet part inflates to at most this is read whole (python-calamine, when installed:
#: fast); a larger one is streamed by openpyxl read-only (memory bounded by the chunk, slower).
WHOLE_XLSX_BYTES = 16 << 20
_TEXT_KINDS = ("text", "unit", "date", "bool")


# -- inputs: a source of chunks and a chunk → result function ---------------------------------------

@dataclass
class Chunk:
    """One chunk of an input: what its kind's ``assess`` takes, and its case ids (index: row numbers)."""

    data: Any
    ids: pd.Series


class BatchInput(Protocol):
    """One kind of ``assess batch`` input (a flat cases file; a docket; JSON Lines)."""

    path: Path
    total: int | None                       # rows (cases) in the input when known cheaply, for the progress line

    def chunks(self, chunk_rows: int) -> Iterator[Chunk]: ...

    def ids_at(self, rows: np.ndarray) -> list[Any]:
        """The case ids (as :func:`assess.app.batch.case_id_keys` gives them) of earlier rows: read again."""
        ...

    def assess(self, data: Any, args: Any) -> pd.DataFrame: ...

    def schema(self) -> Any:
        """The Arrow schema of the results (None: from the first chunk's results)."""
        ...


def _failure(path: Path, suffix: str, exc: Exception) -> InputError:
    return InputError(str(path), f"a readable {suffix} file",
                      f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}")


@dataclass
class CasesFile:
    """A flat cases file (one case per row; the columns of :mod:`assess.app.batch`), read in chunks."""

    path: Path
    notes: list[dict[str, str]] | None = None
    suffix: str = ""
    encoding: str | None = None
    total: int | None = None
    whole_xlsx: bool = False
    range_index: tuple[int, int] | None = None   # a parquet file's own RangeIndex (start, step), kept over the chunks

    def __post_init__(self) -> None:
        path = self.path
        self.suffix = suffix = path.suffix.lower()
        if suffix not in READERS:
            raise InputError(str(path), "a .parquet, .csv, .xlsx, .xls or .ods file", suffix or "no extension")
        if not path.is_file():
            raise InputError(str(path), "an existing file", "no such file")
        if suffix == ".csv":
            self.encoding = csv_encoding(path)
        elif suffix == ".parquet":
            try:
                import pyarrow.parquet as pq

                pf = pq.ParquetFile(path)
                self.total = pf.metadata.num_rows
                meta = pf.schema_arrow.pandas_metadata or {}
                kinds = [i for i in meta.get("index_columns", []) if isinstance(i, dict) and i.get("kind") == "range"]
                self.range_index = (int(kinds[0]["start"]), int(kinds[0]["step"])) if kinds else None
            except Exception as exc:  # noqa: BLE001 - a damaged footer: bad input
                raise _failure(path, suffix, exc) from None
        elif suffix == ".xlsx":
            self.whole_xlsx = _small_sheet(path)
        elif suffix in CALAMINE_ONLY:
            try:
                import python_calamine  # noqa: F401
            except ImportError:
                raise InputError(str(path), FAST_HINT, "python-calamine not installed") from None

    # the chunks ------------------------------------------------------------------------------
    def frames(self, chunk_rows: int | None, columns: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
        """The input as frames of at most ``chunk_rows`` rows (None: one frame), row numbers as the index."""
        if self.suffix == ".xlsx" and not self.whole_xlsx:
            yield from self._xlsx_frames(chunk_rows)
            return
        offset = 0
        reader = self._read(chunk_rows, columns)
        while True:
            # warnings are taken for notes while the reader runs only (never while the caller assesses a chunk)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    df = next(reader, None)
                except (AssessError, MemoryError, KeyboardInterrupt):   # the safe reader's own refusals
                    raise
                except Exception as exc:  # noqa: BLE001 - pyarrow / the csv parser / calamine on a damaged file: bad input
                    raise _failure(self.path, self.suffix, exc) from None
            self._note(caught)
            if df is None:
                return
            df.index = _positions(df.index, offset, self.range_index)
            offset += len(df)
            yield df

    def _read(self, chunk_rows: int | None, columns: Sequence[str] | None) -> Iterator[pd.DataFrame]:
        path, suffix = self.path, self.suffix
        text_cols = {c.name: str for c in COLUMNS.values() if c.kind in _TEXT_KINDS}
        if suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            if chunk_rows is None and columns is None:
                table = pq.read_table(path)
                table.validate(full=True)   # a damaged page: invalid UTF-8 text is refused here, naming the file
                yield table.to_pandas()
                return
            pf = pq.ParquetFile(path)
            batches = pf.iter_batches(batch_size=chunk_rows or max(pf.metadata.num_rows, 1), columns=columns)
            empty, read = True, 0
            for batch in batches:
                empty = False
                batch.validate(full=True)   # (pyarrow does not check UTF-8 when it reads a page)
                read += batch.num_rows
                yield pa.Table.from_batches([batch]).to_pandas()
            if read != pf.metadata.num_rows:   # a damaged column chunk ends the batches early, silently
                raise ValueError(f"{read} of {pf.metadata.num_rows} rows readable (a damaged column or page)")
            if empty:
                yield pf.schema_arrow.empty_table().to_pandas()
        elif suffix == ".csv":
            usecols = [c for c in columns] if columns is not None else None
            reader = pd.read_csv(path, dtype=text_cols, encoding=self.encoding, keep_default_na=False, na_values=[""],
                                 chunksize=chunk_rows or (1 << 62), usecols=usecols)
            with reader:
                empty = True
                for df in reader:
                    empty = False
                    yield df
            if empty:   # a header alone: one empty frame with the columns
                yield pd.read_csv(path, dtype=text_cols, encoding=self.encoding, keep_default_na=False, na_values=[""],
                                  usecols=usecols)
        elif suffix == ".xlsx":   # small: read whole (calamine when installed), then cut
            yield from _cut(_read_xlsx(path, self.notes), chunk_rows)
        else:
            yield from _cut(pd.read_excel(path, engine="calamine", dtype={k: object for k in text_cols}), chunk_rows)

    def _xlsx_frames(self, chunk_rows: int | None) -> Iterator[pd.DataFrame]:
        from assess.formats.excel import iter_row_chunks

        offset = 0
        for keys, rows in iter_row_chunks(self.path, 0, first_row=2, chunk_rows=chunk_rows, notes=self.notes):
            df = _xlsx_frame(keys, rows, offset)
            offset += len(df)
            yield df

    def _note(self, caught: list[Any]) -> None:
        if self.notes is not None:
            self.notes.extend({"path": self.path.name, "zh": f"读取时的提示：{w.message}", "en": f"reader warning: {w.message}"}
                              for w in caught if not issubclass(w.category, ResourceWarning))

    def chunks(self, chunk_rows: int) -> Iterator[Chunk]:
        offset = 0
        for df in self.frames(chunk_rows):
            if "case_id" not in df.columns:
                check_frame(df)   # the frame error naming every missing column
            yield Chunk(df, pd.Series(case_id_keys(df["case_id"]), index=pd.RangeIndex(offset, offset + len(df))))
            offset += len(df)

    def ids_at(self, rows: np.ndarray) -> list[Any]:
        wanted = {int(r) for r in rows}
        found: dict[int, Any] = {}
        offset = 0
        narrow = ["case_id"] if self.suffix in (".parquet", ".csv") else None
        saved, self.notes = self.notes, None   # the notes were taken on the first reading
        try:
            for df in self.frames(DEFAULT_CHUNK_ROWS, narrow):
                keys = case_id_keys(df["case_id"])
                for k in range(len(df)):
                    if offset + k in wanted:
                        found[offset + k] = keys[k]
                offset += len(df)
        finally:
            self.notes = saved
        return [found.get(int(r)) for r in rows]

    def assess(self, data: pd.DataFrame, args: Any) -> pd.DataFrame:
        return assess_frame(data, on=getattr(args, "on", None), today=getattr(args, "today", None),
                            cost_ratio_threshold=getattr(args, "cost_ratio_threshold", None), lang=error_column_lang(args))

    def schema(self) -> Any:
        return result_schema()


def _positions(index: pd.Index, offset: int, range_index: tuple[int, int] | None) -> pd.Index:
    """Row labels over the whole input: a default index continues from ``offset``; a stored index is kept."""
    if isinstance(index, pd.RangeIndex):
        start, step = range_index or (0, 1)
        return pd.RangeIndex(start + step * offset, start + step * (offset + len(index)), step)
    return index


def _cut(df: pd.DataFrame, chunk_rows: int | None) -> Iterator[pd.DataFrame]:
    if chunk_rows is None or len(df) <= chunk_rows:
        yield df
        return
    for lo in range(0, len(df), chunk_rows):
        yield df.iloc[lo:lo + chunk_rows]


def _small_sheet(path: Path) -> bool:
    """Whether the first worksheet is small enough to read whole (:data:`WHOLE_XLSX_BYTES`)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            sheets = [i for i in zf.infolist() if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
            return sum(i.file_size for i in sheets) <= WHOLE_XLSX_BYTES
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):  # "zip file version 24.5"
        return True   # the reader names the problem


def read_cases(path: Path, notes: list[dict[str, str]] | None = None) -> pd.DataFrame:
    """The cases of a cases file as one DataFrame (for a file that fits in memory; ``assess batch`` streams).

    ``.xlsx`` goes through the case-workbook reader's safe path (:func:`assess.formats.excel.read_rows`):
    bounded size, DTDs refused, a formula cell without a cached value refused by sheet and cell (a
    cached value is used and noted in ``notes``), the header in row 1 and data from row 2.  Ids are
    read as text (a column of numbers and text could not be written to parquet).  Any reader failure
    is an InputError (exit 2).
    """
    frames = list(CasesFile(path, notes).frames(None))
    return frames[0] if len(frames) == 1 else pd.concat(frames)


def _read_xlsx(path: Path, notes: list[dict[str, str]] | None) -> pd.DataFrame:
    from assess.formats.excel import read_rows

    keys, rows = read_rows(path, 0, first_row=2, notes=notes)
    return _xlsx_frame(keys, rows, 0)


def _xlsx_frame(keys: list[str], rows: list[list[Any]], offset: int) -> pd.DataFrame:
    """The rows of a sheet (header ``keys``) as a frame with row numbers from ``offset``."""
    from assess.formats.excel import sheet_ref
    from openpyxl.utils import get_column_letter

    width = max([len(keys)] + [len(r) for r in rows])
    names = list(keys) + [""] * (width - len(keys))
    cols: dict[str, list[Any]] = {}
    for j, name in enumerate(names):
        values = [r[j] if j < len(r) else None for r in rows]
        if not name:
            if all(v in (None, "") for v in values):
                continue
            raise InputError(sheet_ref("(sheet 1)", f"{get_column_letter(j + 1)}1"),
                             "a column name in row 1 for every column with values", "empty")
        if name in cols:
            raise InputError("(columns)", "each column once", name)
        if name in COLUMNS and COLUMNS[name].kind in ("text", "unit"):
            values = [_text_cell(v) for v in values]
        cols[name] = values
    index = pd.RangeIndex(offset, offset + len(rows))
    return pd.DataFrame({k: pd.Series(v, dtype=object, index=index) for k, v in cols.items()}, index=index)


def _text_cell(v: Any) -> Any:
    """A text cell of a workbook: numbers as Excel shows them (7.0 → "7"), so ids stay text."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if isinstance(v, (int, float)):
        return repr(v) if isinstance(v, float) else str(v)
    return v


def open_input(path: Path, notes: list[dict[str, str]] | None = None) -> BatchInput:
    """The input kind of ``path``: a flat cases file (.parquet, .csv, .xlsx, .xls, .ods)."""
    return CasesFile(path, notes)


def _decode_error(path: Path, encoding: str) -> tuple[int, bytes] | None:
    """(byte offset, the bytes there) of the first byte ``encoding`` cannot decode, else None; a block at a time."""
    dec = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with path.open("rb") as fh:
        while True:
            block = fh.read(1 << 20)
            pending = dec.getstate()[0]
            try:
                dec.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                data = pending + block
                return offset - len(pending) + exc.start, data[exc.start:exc.start + 4]
            if not block:
                return None
            offset += len(block)


def csv_encoding(path: Path) -> str:
    """'utf-8-sig' for UTF-8 text (with or without a BOM); 'gb18030' for the GBK/GB18030 text zh-CN Excel
    writes (said on stderr); anything else refused with the way out.  Read a block at a time (a large
    file is never held in memory)."""
    utf8_error = _decode_error(path, "utf-8-sig")
    if utf8_error is None:
        return "utf-8-sig"
    if _decode_error(path, "gb18030") is not None:
        at, got = utf8_error
        raise InputError(str(path), "CSV text in UTF-8 or GB18030/GBK (在 Excel 中另存为“CSV UTF-8（逗号分隔）”)",
                         f"neither (byte {at}: {got!r})") from None
    print(f"note: {path.name} 不是 UTF-8，按 GB18030（GBK，中文 Excel 的“CSV（逗号分隔）”）读取 / "
          "not UTF-8: read as GB18030 (GBK)", file=sys.stderr)
    return "gb18030"


# -- outputs: written chunk by chunk into the temp file of an atomic replace ---------------------------

class ResultWriter:
    """Results appended chunk by chunk to ``tmp``: parquet (one row group a chunk) or CSV (one header)."""

    def __init__(self, tmp: Path, suffix: str, bom: bool = True, schema: Any = None):
        self.tmp, self.suffix, self.bom, self.schema = tmp, suffix, bom, schema
        self._parquet: Any = None
        self._csv: Any = None
        self.rows = 0

    def write(self, out: pd.DataFrame) -> None:
        self.write_encoded(encode_results(out, self.suffix, self.schema))

    def write_encoded(self, data: Any) -> None:
        """Append a chunk encoded by :func:`encode_results` (in a worker process: ``assess batch --jobs``)."""
        if self.suffix == ".parquet":
            import pyarrow.parquet as pq

            if self.schema is None:
                self.schema = data.schema
            elif data.schema != self.schema:
                data = data.cast(self.schema)    # a column empty in the first chunk: text there, as typed here
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.tmp, self.schema, use_dictionary=_text_columns(self.schema))
            self._parquet.write_table(data)
            self.rows += data.num_rows
        else:
            header, body, rows = data
            if self._csv is None:
                self._csv = open(self.tmp, "w", encoding="utf-8-sig" if self.bom else "utf-8", newline="")
                self._csv.write(header)
            self._csv.write(body)
            self.rows += rows

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._csv is not None:
            self._csv.close()

    def __enter__(self) -> "ResultWriter":
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None and self._parquet is None and self._csv is None and self.schema is not None:
            self.write(self.schema.empty_table().to_pandas())    # an input without a chunk: the columns alone
        self.close()


def encode_results(out: pd.DataFrame, suffix: str, schema: Any = None) -> Any:
    """A chunk of results as :meth:`ResultWriter.write_encoded` appends it: an Arrow table (``schema``, else
    inferred: :func:`_inferred_schema`) for parquet; for CSV ``(header line, rows as text, number of rows)``,
    the one form :meth:`ResultWriter.write` and the workers of ``--jobs`` hand over (formula-like text cells
    quoted, :func:`csv_safe`)."""
    if suffix == ".parquet":
        import pyarrow as pa

        return pa.Table.from_pandas(out, schema=schema if schema is not None else _inferred_schema(out),
                                    preserve_index=False)
    safe = csv_safe(out)
    return safe.iloc[:0].to_csv(index=False), safe.to_csv(index=False, header=False), len(out)


def _text_columns(schema: Any) -> list[str]:
    """The columns a results file dictionary-encodes: text and codes (case ids, routing outcomes, errors).
    Amounts and dates are written plain: their dictionary page would hold nearly every value, and trying it
    took a third of the time of writing a chunk."""
    import pyarrow as pa

    return [f.name for f in schema
            if pa.types.is_dictionary(f.type) or pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]


def _inferred_schema(out: pd.DataFrame) -> Any:
    """The Arrow schema of a result frame of another input kind: a column with no value yet is text."""
    import pyarrow as pa

    schema = pa.Schema.from_pandas(out, preserve_index=False)
    for i, f in enumerate(schema):
        if pa.types.is_null(f.type):
            schema = schema.set(i, pa.field(f.name, pa.string()))
    return schema


def write_results(out: pd.DataFrame, target: Path, inputs: list[Path], bom: bool = True) -> None:
    """Write a whole result frame (atomically); a CSV gets a UTF-8 byte-order mark unless ``bom`` is False
    (Excel on zh-CN Windows reads a CSV without one as GBK and shows the Chinese as mojibake)."""
    from assess.formats.atomic import replace_atomic

    suffix = target.suffix.lower()
    if suffix not in WRITERS:
        raise InputError("--output", "a .parquet or .csv file", suffix or "no extension")

    def write(tmp: Path) -> None:
        with ResultWriter(tmp, suffix, bom, result_schema() if list(out.columns) == list(result_schema().names) else None) as w:
            w.write(out)

    replace_atomic(target, write, inputs)


def csv_safe(out: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first)
    get a leading ``'``, as the workbook writers keep them text (OWASP "CSV injection")."""
    from assess.formats.excel import DANGEROUS

    safe = out
    for name in out.columns:
        s = out[name]
        if s.dtype != object and not pd.api.types.is_string_dtype(s.dtype):
            continue
        hit = s.map(lambda v: isinstance(v, str) and v.startswith(DANGEROUS)).to_numpy(bool)
        if hit.any():
            if safe is out:
                safe = out.copy()
            vals = s.to_numpy(object).copy()
            vals[hit] = ["'" + v for v in vals[hit]]
            safe[name] = pd.Series(vals, index=s.index, dtype=object)
    return safe


def error_column_lang(args: Any) -> str:
    """The language of the results' ``error`` column: ``--lang`` when given (zh, en or both), else English
    (a results file is data: it does not change with the locale of the machine that wrote it)."""
    return args.lang if getattr(args, "lang_given", False) and getattr(args, "lang", None) in ("zh", "en", "both") else "en"


def _t(pair: dict[str, str], lang: str) -> str:
    return pair["en"] if lang == "en" else pair["zh"] if lang == "zh" else f"{pair['zh']} {pair['en']}"


def _yuan(total: int) -> str:
    s = fen_to_yuan(total)
    whole, frac = s.split(".")
    return f"{int(whole):,}.{frac}"


def _exact_sum(fen: np.ndarray) -> int:
    """The exact sum of int64 fen as a Python int, without Python objects: the high and low 32-bit halves
    are summed apart (each half's sum fits in int64 below 2^31 rows), then joined."""
    return (int((fen >> 32).sum()) << 32) + int((fen & 0xFFFFFFFF).sum())


class Tally:
    """The summary of a batch, added up chunk by chunk (exact: fen summed as Python ints)."""

    def __init__(self) -> None:
        self.rows = self.errors = 0
        self.sums = {k: 0 for k in CATEGORY_KEYS + ("total",)}
        self.groups: dict[str, dict[str, list[int]]] = {name: {} for name in ROUTING_CODES}
        self.first_errors: list[str] = []

    def add(self, out: pd.DataFrame) -> None:
        ok_s = out["error"].isna()
        ok = ok_s.to_numpy(bool)
        self.rows += len(out)
        self.errors += int((~ok).sum())
        for k in self.sums:
            col = f"{k}_fen"
            if col in out.columns:
                self.sums[k] += _exact_sum(out[col].to_numpy(np.int64, na_value=0)[ok])
        for name, seen in self.groups.items():
            if name not in out.columns or "total_fen" not in out.columns:
                continue
            total = out["total_fen"].to_numpy(np.int64, na_value=0)[ok]
            codes, uniques = pd.factorize(out[name][ok_s], use_na_sentinel=True)   # NA: no group (as groupby)
            for c, code in enumerate(uniques):
                sel = codes == c
                entry = seen.setdefault(str(code), [0, 0])
                entry[0] += int(sel.sum())
                entry[1] += _exact_sum(total[sel])
        if len(self.first_errors) < 10:
            self.first_errors += [str(e) for e in out.loc[~ok, "error"].head(10 - len(self.first_errors))]

    def merge(self, other: "Tally") -> None:
        """Add the tally of a later chunk (counted in a worker process: ``assess batch --jobs``)."""
        self.rows += other.rows
        self.errors += other.errors
        for k, v in other.sums.items():
            self.sums[k] += v
        for name, seen in other.groups.items():
            mine = self.groups.setdefault(name, {})
            for code, (count, total) in seen.items():
                entry = mine.setdefault(code, [0, 0])
                entry[0] += count
                entry[1] += total
        self.first_errors += other.first_errors[:max(0, 10 - len(self.first_errors))]

    def text(self, seconds: float, lang: str) -> str:
        lines = [f"{_t({'zh': '行数', 'en': 'rows'}, lang)}: {self.rows:,} · {_t({'zh': '有错误', 'en': 'with errors'}, lang)}: "
                 f"{self.errors:,} · {_t({'zh': '用时', 'en': 'time'}, lang)}: {seconds:.2f} s", ""]
        lines.append(_t({"zh": "各类别合计（元，无错误的行）", "en": "Totals by category (元, rows without errors)"}, lang))
        for k in CATEGORY_KEYS + ("total",):
            label = TOTAL_LABEL if k == "total" else {lang_: f"({BY_KEY[k].number}) {BY_KEY[k].label[lang_]}" for lang_ in ("zh", "en")}
            lines.append(f"  {_t(label, lang)}: {_yuan(self.sums[k])}")
        for name, head in (("assessment_path", {"zh": "鉴定评估路径", "en": "Assessment path"}),
                           ("consultation_path", {"zh": "磋商路径", "en": "Consultation path"}),
                           ("cost_ratio", {"zh": "费用比提醒", "en": "Cost-ratio reminder"})):
            lines += ["", _t(head, lang) + f" ({_t({'zh': '案件数 / 合计元', 'en': 'cases / total 元'}, lang)})"]
            for code in ROUTING_CODES[name]:
                if code in self.groups[name]:
                    count, total = self.groups[name][code]
                    lines.append(f"  {code}: {count:,} / {_yuan(total)}")
        if self.first_errors:
            lines += ["", _t({"zh": "错误（前10条）", "en": "Errors (first 10)"}, lang)]
            lines += [f"  {e}" for e in self.first_errors]
        return "\n".join(lines) + "\n"


def summary(out: pd.DataFrame, seconds: float, lang: str) -> str:
    """The summary of a whole result frame (as ``assess batch`` prints it)."""
    tally = Tally()
    tally.add(out)
    return tally.text(seconds, lang)


#: rows assessed between two full garbage collections of a streamed batch (stream_batch)
GC_ROWS = 50_000


def stream_batch(source: BatchInput, target: Path, args: Any, chunk_rows: int, tally: Tally,
                 progress: Callable[[int], None] = lambda n: None) -> None:
    """Assess ``source`` chunk by chunk into ``target`` (atomically): ids checked over the whole input first."""
    from assess.formats.atomic import replace_atomic

    suffix = target.suffix.lower()

    def write(tmp: Path) -> None:
        seen = SeenIds()
        since = 0
        with ResultWriter(tmp, suffix, getattr(args, "bom", True), source.schema()) as writer:
            for chunk in source.chunks(chunk_rows):
                dup = seen.add(chunk.ids.to_numpy(object), chunk.ids.index.to_numpy(np.int64), source.ids_at)
                if dup is not None:
                    key, first, second = dup
                    raise duplicate_error(key, f"row {first}", f"row {second}")
                out = source.assess(chunk.data, args)
                writer.write(out)
                tally.add(out)
                progress(len(chunk.ids))
                since += len(chunk.ids)
                del out, chunk
                # memory bounded by the chunk: a reference cycle anywhere (a kept exception's traceback, a
                # library's own) would otherwise hold whole chunks' arrays until the cyclic collector ran,
                # which large arrays do not trigger (1M cases: peak 2.0 GB → 1.0 GB at 100 000 a chunk).  A
                # full collection costs ~0.1 s in a large process: once per GC_ROWS rows, not per small chunk
                if since >= GC_ROWS:
                    gc.collect()
                    since = 0

    replace_atomic(target, write, [source.path])


def run_batch(args: Any) -> int:
    source, target = Path(args.cases), Path(args.output)
    if target.suffix.lower() not in WRITERS:
        raise InputError("--output", "a .parquet or .csv file", target.suffix or "no extension")
    from assess.formats.atomic import check_output

    check_output(target, [source])   # a directory, FIFO or the input itself: refused before the batch runs
    start = time.perf_counter()
    notes: list[dict[str, str]] = []
    cases = open_input(source, notes)
    if (getattr(args, "jobs", 1) or 1) > 1:     # the flat batch is one vectorised pass: no workers to share it
        notes.append({"path": "--jobs", "zh": "平表案件文件在一个进程中计算（--jobs 用于案件库）",
                      "en": "a flat cases file runs in one process (--jobs applies to a docket)"})
    chunk_rows = getattr(args, "chunk_size", None) or DEFAULT_CHUNK_ROWS   # --chunk-rows (alias --chunk-size)
    tally = Tally()
    from tqdm import tqdm

    # a progress line (rows, rows/s) on a terminal only, and only once a run has lasted a second
    with tqdm(total=cases.total, unit=" rows", unit_scale=True, disable=not sys.stderr.isatty(), file=sys.stderr,
              delay=1.0, dynamic_ncols=True) as bar:
        stream_batch(cases, target, args, chunk_rows, tally, bar.update)
    text = tally.text(time.perf_counter() - start, args.lang)
    if notes:
        text += "\n" + _t({"zh": "提示", "en": "Notes"}, args.lang) + "\n"
        text += "".join(f"  {n['path']}: {_t({'zh': n['zh'], 'en': n['en']}, args.lang)}\n" for n in notes)
    sys.stdout.write(text)
    return 0


__all__ = ["run_batch", "stream_batch", "open_input", "BatchInput", "Chunk", "CasesFile", "Tally", "ResultWriter",
           "read_cases", "write_results", "summary", "csv_encoding", "csv_safe", "DEFAULT_CHUNK_ROWS"]
