"""``assess batch``: read a cases file, assess it in chunks with a progress bar, write the results, summarise.

Reading: ``.parquet`` (pyarrow), ``.csv`` (text columns kept as text so ``case_id`` ``007`` stays
``007``; numbers parsed with round-trip precision; UTF-8, with or without a byte-order mark, or
GB18030/GBK as zh-CN Excel saves "CSV (逗号分隔)" — said on stderr — anything else refused),
``.xlsx`` (python-calamine when installed, else openpyxl), ``.xls`` and ``.ods`` (python-calamine:
the ``fast`` extra).  Writing: ``.parquet`` or ``.csv`` (UTF-8 with a byte-order mark by default, so
Excel on zh-CN Windows shows the Chinese; ``--no-bom`` for plain UTF-8) through a temp file and
``os.replace``, never over the input.  The progress bar (tqdm) shows on long runs only when stderr is
a terminal.
"""

from __future__ import annotations

import sys
import time
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


def read_cases(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise InputError(str(path), "a .parquet, .csv, .xlsx, .xls or .ods file", suffix or "no extension")
    if not path.is_file():
        raise InputError(str(path), "an existing file", "no such file")
    text_cols = {c.name: str for c in COLUMNS.values() if c.kind in ("text", "unit", "date", "bool")}
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix == ".csv":
            return pd.read_csv(path, dtype=text_cols, encoding=csv_encoding(path),
                               keep_default_na=False, na_values=[""])
        try:
            import python_calamine  # noqa: F401
            engine = "calamine"
        except ImportError:
            if suffix in CALAMINE_ONLY:
                raise InputError(str(path), FAST_HINT, "python-calamine not installed") from None
            engine = "openpyxl"
        return pd.read_excel(path, engine=engine, dtype={k: object for k in text_cols})
    except (OSError, ValueError, ImportError) as exc:
        raise InputError(str(path), f"a readable {suffix} file", f"{type(exc).__name__}: {exc}") from None


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
            out.to_csv(tmp, index=False, encoding="utf-8-sig" if bom else "utf-8")

    replace_atomic(target, write, inputs)


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
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise InputError("--output", "a file other than the input (the input file is never modified)", str(target))
    start = time.perf_counter()
    df = read_cases(source)
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
    sys.stdout.write(summary(out, time.perf_counter() - start, args.lang))
    return 0


__all__ = ["run_batch", "read_cases", "write_results", "summary", "csv_encoding"]
