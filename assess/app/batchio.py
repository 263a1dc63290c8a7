"""``assess batch``: read a cases file, assess it in chunks with a progress bar, write the results, summarise.

Reading: ``.parquet`` (pyarrow), ``.csv`` (text columns kept as text so ``case_id`` ``007`` stays
``007``; numbers parsed with round-trip precision; UTF-8, with or without a byte-order mark, or
GB18030/GBK as zh-CN Excel saves "CSV (逗号分隔)" — said on stderr — anything else refused),
``.xlsx`` (the case-workbook reader's safe path: size limits, DTDs refused, formula cells without a
cached value refused by cell; python-calamine when installed, else openpyxl), ``.xls`` and ``.ods``
(python-calamine: the ``fast`` extra).  CSV results: text that a spreadsheet would run as a formula
gets a leading ``'`` (:func:`csv_safe`).  Writing: ``.parquet`` or ``.csv`` (UTF-8 with a byte-order mark by default, so
Excel on zh-CN Windows shows the Chinese; ``--no-bom`` for plain UTF-8) through a temp file and
``os.replace``, never over the input.  The progress bar (tqdm) shows on long runs only when stderr is
a terminal.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from assess.law.categories import BY_KEY
from assess.app.batch import CATEGORY_KEYS, COLUMNS, ROUTING_CODES, check_frame, assess_frame, fen_to_yuan
from factors.errors import InputError

READERS = (".parquet", ".csv", ".xlsx", ".xls", ".ods")
CALAMINE_ONLY = (".xls", ".ods")
FAST_HINT = ("读取 .xls / .ods 需要 fast 扩展（python-calamine）：pip install 'eco-damage-assess[fast]'，"
             "或在 Excel/WPS 中另存为 .xlsx / reading .xls or .ods needs the `fast` extra (python-calamine)")
WRITERS = (".parquet", ".csv")
TOTAL_LABEL = {"zh": "合计", "en": "total"}


def read_cases(path: Path, notes: list[dict[str, str]] | None = None) -> pd.DataFrame:
    """The cases of a cases file as a DataFrame; any reader failure is an InputError (exit 2).

    ``.xlsx`` goes through the case-workbook reader's safe path (:func:`assess.formats.excel.read_rows`):
    bounded size, DTDs refused, a formula cell without a cached value refused by sheet and cell (a
    cached value is used and noted in ``notes``), the header in row 1 and data from row 2.  Ids are
    read as text (a column of numbers and text could not be written to parquet).
    """
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise InputError(str(path), "a .parquet, .csv, .xlsx, .xls or .ods file", suffix or "no extension")
    if not path.is_file():
        raise InputError(str(path), "an existing file", "no such file")
    text_cols = {c.name: str for c in COLUMNS.values() if c.kind in ("text", "unit", "date", "bool")}
    if suffix == ".xlsx":
        return _read_xlsx(path, notes)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if suffix == ".parquet":
                df = pd.read_parquet(path)
            elif suffix == ".csv":
                df = pd.read_csv(path, dtype=text_cols, encoding=csv_encoding(path),
                                 keep_default_na=False, na_values=[""])
            else:
                try:
                    import python_calamine  # noqa: F401
                except ImportError:
                    raise InputError(str(path), FAST_HINT, "python-calamine not installed") from None
                df = pd.read_excel(path, engine="calamine", dtype={k: object for k in text_cols})
    except (InputError, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - pyarrow / the csv parser / calamine on a damaged file: bad input
        raise InputError(str(path), f"a readable {suffix} file",
                         f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}") from None
    if notes is not None:
        notes.extend({"path": path.name, "zh": f"读取时的提示：{w.message}", "en": f"reader warning: {w.message}"}
                     for w in caught if not issubclass(w.category, ResourceWarning))
    return df


def _read_xlsx(path: Path, notes: list[dict[str, str]] | None) -> pd.DataFrame:
    from assess.formats.excel import read_rows, sheet_ref

    keys, rows = read_rows(path, 0, first_row=2, notes=notes)
    width = max([len(keys)] + [len(r) for r in rows])
    names = list(keys) + [""] * (width - len(keys))
    from openpyxl.utils import get_column_letter

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
    return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in cols.items()}, index=pd.RangeIndex(len(rows)))


def _text_cell(v: Any) -> Any:
    """A text cell of a workbook: numbers as Excel shows them (7.0 → "7"), so ids stay text."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if isinstance(v, (int, float)):
        return repr(v) if isinstance(v, float) else str(v)
    return v


def csv_encoding(path: Path) -> str:
    """'utf-8-sig' for UTF-8 text (with or without a BOM); 'gb18030' for the GBK/GB18030 text zh-CN Excel
    writes (said on stderr); anything else refused with the way out."""
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(str(path), "CSV text in UTF-8 or GB18030/GBK (在 Excel 中另存为“CSV UTF-8（逗号分隔）”)",
                         f"neither (byte {utf8_error.start}: {data[utf8_error.start:utf8_error.start + 4]!r})") from None
    print(f"note: {path.name} 不是 UTF-8，按 GB18030（GBK，中文 Excel 的“CSV（逗号分隔）”）读取 / "
          "not UTF-8: read as GB18030 (GBK)", file=sys.stderr)
    return "gb18030"


def write_results(out: pd.DataFrame, target: Path, inputs: list[Path], bom: bool = True) -> None:
    """Write the results; a CSV gets a UTF-8 byte-order mark unless ``bom`` is False (Excel on zh-CN
    Windows reads a CSV without one as GBK and shows the Chinese as mojibake)."""
    from assess.formats.atomic import replace_atomic

    suffix = target.suffix.lower()
    if suffix not in WRITERS:
        raise InputError("--output", "a .parquet or .csv file", suffix or "no extension")

    def write(tmp: Path) -> None:
        if suffix == ".parquet":
            out.to_parquet(tmp, index=False)
        else:
            csv_safe(out).to_csv(tmp, index=False, encoding="utf-8-sig" if bom else "utf-8")

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


def _t(pair: dict[str, str], lang: str) -> str:
    return pair["en"] if lang == "en" else pair["zh"] if lang == "zh" else f"{pair['zh']} {pair['en']}"


def _yuan(total: int) -> str:
    s = fen_to_yuan(total)
    whole, frac = s.split(".")
    return f"{int(whole):,}.{frac}"


def summary(out: pd.DataFrame, seconds: float, lang: str) -> str:
    ok = out["error"].isna()
    lines = [f"{_t({'zh': '行数', 'en': 'rows'}, lang)}: {len(out):,} · {_t({'zh': '有错误', 'en': 'with errors'}, lang)}: "
             f"{int((~ok).sum()):,} · {_t({'zh': '用时', 'en': 'time'}, lang)}: {seconds:.2f} s", ""]
    lines.append(_t({"zh": "各类别合计（元，无错误的行）", "en": "Totals by category (元, rows without errors)"}, lang))
    for k in CATEGORY_KEYS + ("total",):
        label = TOTAL_LABEL if k == "total" else {lang_: f"({BY_KEY[k].number}) {BY_KEY[k].label[lang_]}" for lang_ in ("zh", "en")}
        lines.append(f"  {_t(label, lang)}: {_yuan(int(out.loc[ok, f'{k}_fen'].astype(object).sum()))}")
    for name, head in (("assessment_path", {"zh": "鉴定评估路径", "en": "Assessment path"}),
                       ("consultation_path", {"zh": "磋商路径", "en": "Consultation path"}),
                       ("cost_ratio", {"zh": "费用比提醒", "en": "Cost-ratio reminder"})):
        lines += ["", _t(head, lang) + f" ({_t({'zh': '案件数 / 合计元', 'en': 'cases / total 元'}, lang)})"]
        grouped = out.loc[ok].groupby(name, observed=True)["total_fen"]
        counts, sums = grouped.size(), grouped.apply(lambda s: int(s.astype(object).sum()))
        for code in ROUTING_CODES[name]:
            if code in counts.index:
                lines.append(f"  {code}: {int(counts[code]):,} / {_yuan(int(sums[code]))}")
    errors = out.loc[~ok, "error"]
    if len(errors):
        lines += ["", _t({"zh": "错误（前10条）", "en": "Errors (first 10)"}, lang)]
        lines += [f"  {e}" for e in errors.head(10)]
    return "\n".join(lines) + "\n"


def run_batch(args: Any) -> int:
    source, target = Path(args.cases), Path(args.output)
    if target.suffix.lower() not in WRITERS:
        raise InputError("--output", "a .parquet or .csv file", target.suffix or "no extension")
    from assess.formats.atomic import check_output

    check_output(target, [source])   # a directory, FIFO or the input itself: refused before the batch runs
    start = time.perf_counter()
    notes: list[dict[str, str]] = []
    df = read_cases(source, notes)
    check_frame(df)          # whole-frame checks (duplicate ids across chunks) before chunking
    from tqdm import tqdm

    size = args.chunk_size
    parts = []
    show = sys.stderr.isatty() and len(df) > size
    with tqdm(total=len(df), unit="case", disable=not show, file=sys.stderr) as bar:
        for lo in range(0, max(len(df), 1), size):
            parts.append(assess_frame(df.iloc[lo:lo + size], on=args.on, today=args.today,
                                      cost_ratio_threshold=args.cost_ratio_threshold))
            bar.update(min(size, len(df) - lo))
    out = pd.concat(parts) if len(parts) > 1 else parts[0]
    write_results(out, target, [source], bom=getattr(args, "bom", True))
    text = summary(out, time.perf_counter() - start, args.lang)
    if notes:
        text += "\n" + _t({"zh": "提示", "en": "Notes"}, args.lang) + "\n"
        text += "".join(f"  {n['path']}: {_t({'zh': n['zh'], 'en': n['en']}, args.lang)}\n" for n in notes)
    sys.stdout.write(text)
    return 0


__all__ = ["run_batch", "read_cases", "write_results", "summary", "csv_encoding", "csv_safe"]
