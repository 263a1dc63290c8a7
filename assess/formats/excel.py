"""Workbooks 表格: the case template, the case reader and the result workbook (design note §10).

* :func:`case_workbook` writes a case (or a blank template) in the layout of :mod:`assess.formats.sheetmap`:
  row 1 hidden machine keys (field paths), row 2 headers (zh, en or both), row 3 notes (meaning,
  rule ID, expected form), data from row 4; dropdowns, number and date checks, frozen headers.
* :func:`read_case_workbook` reads it back (openpyxl ``read_only`` + ``reset_dimensions``) into the
  same dict a JSON case file holds and validates it with :func:`assess.law.case.parse_case`, so JSON and
  Excel inputs give identical results; every problem names its sheet and cell (``工程量!D7``), all at
  once.  Sheets are found by title in either language; columns by the hidden key row.
* the result workbook is written by :mod:`assess.formats.resultbook`; :func:`read_table` reads it back.
* :func:`read_rows` is the large-batch path (python-calamine when the ``fast`` extra is installed).

Safety: XML entities are refused (defusedxml; :class:`UnsafeWorkbook`); a formula cell without a
cached value is refused, a cached value is used and noted; text that could run as a formula is
written as text; the input is never modified and outputs are replaced atomically.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator, Sequence

from assess.formats.calamine_book import is_calamine_book, to_xlsx_bytes
from assess.formats.sheetlabels import KIND_ZH, choice_code, choice_label, zh_label
from assess.formats.sheetmap import KV_HEADERS, KV_KEYS, Column, SheetSpec, layout
from assess.law.codes import code_label
from assess.formats.xlsxguard import check_workbook, diagnose, hidden_data_errors, hidden_marks
from factors import vocabulary
from factors.errors import AssessError, InputError, UnsafeWorkbook

KEY_ROW, HEAD_ROW, NOTE_ROW, DATA_ROW = 1, 2, 3, 4
RESULT_DATA_ROW = 3
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUM_FORMAT = re.compile(r"^[#,]*0(?:\.(0+))?$")

#: Suggested units per dimension (the unit dropdown also accepts any other unit).
UNITS: dict[str, tuple[str, ...]] = {
    "元": ("元", "万元"),
    "t": ("t", "kg", "吨"),
    "m³": ("m³", "L", "立方米"),
    "hm²": ("hm²", "m²", "亩", "公顷", "km²"),
    "年": ("年", "d"),
    "": ("m³", "t", "kg", "m²", "hm²", "亩", "km", "m", "株", "项", "个", "台", "套", "次", "年", "元", "万元",
         "元/m³", "元/t", "元/m²", "元/亩", "元/hm²", "万元/hm²", "元/株", "元/项", "元/次", "元/个", "元/年"),
}


# ============================================================================ safety helpers

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def escape_illegal(text: str) -> str:
    """Control characters XML (so a workbook) cannot hold, written as visible escapes: ``a\x01b`` → ``a\\x01b``."""
    return _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _exact_number_text(value: Any) -> str:
    """A number cell's XML text, exact: a float by its shortest round-trip ``repr`` (9.8 → ``9.8``), a
    Decimal by its own digits; openpyxl's ``"%.16g"`` writes 9.8 as ``9.800000000000001`` and 0.3 + 0.7
    style values as long tails, which Excel, LibreOffice and WPS then show."""
    if isinstance(value, bool) or not isinstance(value, (float, Decimal)):
        return _OPENPYXL_SAFE_STRING(value)
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else ""
    return repr(value) if value == value and value not in (float("inf"), float("-inf")) else ""


def _install_exact_numbers() -> Any:
    """Make openpyxl's cell writer use :func:`_exact_number_text` (it imports ``safe_string`` by name)."""
    from openpyxl.cell import _writer

    original = getattr(_writer.safe_string, "_assess_original", _writer.safe_string)
    _exact_number_text._assess_original = original  # type: ignore[attr-defined]
    _writer.safe_string = _exact_number_text
    return original


_OPENPYXL_SAFE_STRING = _install_exact_numbers()


def put(ws: Any, row: int, col: int, value: Any, number_format: str | None = None) -> Any:
    """Write a cell; text that Excel could run as a formula stays text (data_type s + quotePrefix).

    Control characters (which openpyxl refuses with IllegalCharacterError) are written as visible
    escapes (``\\x01``) and the cell is listed in ``escaped_cells(wb)``; :func:`save_atomic` warns.
    """
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        if _ILLEGAL.search(value):
            value = escape_illegal(value)
            escaped_cells(ws.parent).append(sheet_ref(ws.title, cell.coordinate))
        cell.value = value
        if value.startswith(DANGEROUS):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def sheet_ref(title: str, coord: str = "") -> str:
    """``工程量!D7`` or ``'损害项 Damage'!D7`` (quoted as Excel does when needed)."""
    name = title if re.fullmatch(r"[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff]*", title) else "'" + title.replace("'", "''") + "'"
    return f"{name}!{coord}" if coord else name


@contextmanager
def _guard(path: Path) -> Iterator[None]:
    """Turn defusedxml's refusals into UnsafeWorkbook and unreadable files into InputError."""
    from defusedxml import DefusedXmlException

    try:
        yield
    except (DefusedXmlException, ValueError) as exc:
        inner: BaseException | None = exc
        while inner is not None and not isinstance(inner, DefusedXmlException):
            inner = inner.__cause__ or inner.__context__
        if inner is None:
            if isinstance(exc, ValueError) and "Unable to read workbook" in str(exc):
                raise InputError(str(path), "a readable .xlsx workbook", str(exc).splitlines()[0]) from None
            raise
        raise UnsafeWorkbook(f"{path.name}: the workbook contains XML entity or DTD declarations, which are "
                             f"refused (XML bomb protection); re-save it from Excel") from inner
    except (zipfile.BadZipFile, KeyError, EOFError) as exc:
        raise InputError(str(path), "an .xlsx workbook", f"unreadable ({type(exc).__name__})") from None


def _open(path: Path, data_only: bool) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.is_file():
        raise InputError(str(path), "an existing workbook (.xlsx)", "no such file")
    check_workbook(path)
    try:
        with _guard(path), _parsing(path):
            return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except InvalidFileException as exc:
        raise InputError(str(path), "an .xlsx workbook", str(exc)) from None


@contextmanager
def _parsing(path: Path, ws: Any = None) -> Iterator[None]:
    """Any exception of the workbook parser → InputError naming the sheet and, where found, the cell.

    openpyxl raises ValueError, IndexError, KeyError, zlib.error, ParseError … on a corrupt part
    (``<v>1e</v>``, a boolean ``x``, ``2024-02-30`` in a date cell, a missing shared string, ``&#1;``,
    a damaged deflate stream); :func:`assess.formats.xlsxguard.diagnose` finds the cell.
    """
    from defusedxml import DefusedXmlException

    try:
        yield
    except (AssessError, DefusedXmlException, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - the parser's failure on a hostile file is bad input
        inner: BaseException | None = exc
        while inner is not None:
            if isinstance(inner, DefusedXmlException):
                raise   # _guard names it: XML entities refused
            inner = inner.__cause__ or inner.__context__
        part = getattr(ws, "_worksheet_path", None) if ws is not None else None
        coord, expected, got = diagnose(path, part, exc)
        where = sheet_ref(ws.title, coord or "") if ws is not None else str(path)
        raise InputError(where, expected, got) from None


def _ws_cells(path: Path, wb: Any, ws: Any, notes: list[dict[str, str]] | None = None) -> list[list[_Cell]]:
    """:func:`_sheet_cells` with parser failures named by sheet and cell, and the parser's warnings
    (e.g. openpyxl's "marked as a date but the serial value … is outside the limits") as notes."""
    import warnings

    with warnings.catch_warnings(record=True) as caught, _parsing(path, ws):
        warnings.simplefilter("always")
        rows = _sheet_cells(wb, ws)
    if notes is not None:
        for w in caught:
            if issubclass(w.category, ResourceWarning):   # the garbage collector's, not the reader's: never a note
                continue
            text = " ".join(str(w.message).split())
            notes.append({"path": sheet_ref(ws.title), "zh": f"读取表格时的提示：{text}", "en": f"reader warning: {text}"})
    return rows


def _merged_ranges(wb: Any, ws: Any) -> list[str]:
    """Merged ranges of a read-only sheet (openpyxl does not parse them in read-only mode)."""
    try:
        with wb._archive.open(ws._worksheet_path) as fh:
            data = fh.read()
    except (AttributeError, KeyError):  # pragma: no cover - openpyxl internals moved
        return []
    return [m.decode() for m in re.findall(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"', data)]


def escaped_cells(wb: Any) -> list[str]:
    """Cells of ``wb`` whose control characters :func:`put` wrote as escapes."""
    if not hasattr(wb, "_assess_escaped"):
        wb._assess_escaped = []
    return wb._assess_escaped


def _hidden_data(path: Path, ws: Any, rows: list[list[_Cell]]) -> list[InputError]:
    """Refusals for data the user cannot see (the one rule of :func:`assess.formats.xlsxguard.hidden_data_errors`,
    shared with the batch and claim readers); rows 1–3 (keys, headers, notes) may be hidden."""
    marks = hidden_marks(path, ws.title)
    numbered = ((_row_number(row), [c.value for c in row]) for row in rows[DATA_ROW - 1:] if row)
    return hidden_data_errors(marks, numbered, sheet_ref, is_empty)


def _row_number(row: list[_Cell]) -> int:
    return int(re.sub(r"[A-Z]+", "", row[0].coord))


def save_atomic(wb: Any, path: str | Path, inputs: Sequence[str | Path] = ()) -> None:
    """Save a workbook via a temp file beside ``path`` and ``os.replace`` (never over an input).

    Warns (``UserWarning``, one line on the CLI) when control characters were written as escapes."""
    import warnings

    from assess.formats.atomic import write_atomic

    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(path, buf.getvalue(), inputs)
    cells = escaped_cells(wb)
    if cells:
        shown = ", ".join(cells[:5]) + (f" … ({len(cells)} cells)" if len(cells) > 5 else "")
        warnings.warn(f"控制字符已转义写入 control characters written as escapes (\\x01 …), which a workbook "
                      f"cannot hold: {shown}", UserWarning, stacklevel=2)


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ============================================================================ writing a case

def _get(d: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(part)
    return d


def _set(d: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        d = d.setdefault(part, {})
    d[parts[-1]] = value


def _number(value: Any) -> tuple[Any, str | None]:
    """A number cell for an exact decimal, with a format that keeps its decimals (86.40 → 0.00)."""
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return str(value), None
    if not d.is_finite() or len(d.as_tuple().digits) > 15:
        return str(value), "@"  # beyond a double's exact digits: keep the text
    exp = d.as_tuple().exponent
    places = -exp if isinstance(exp, int) and exp < 0 else 0
    num: Any = int(d) if d == d.to_integral_value() else float(d)
    return num, ("0." + "0" * places) if places else None


#: The display of a boolean cell.  Excel and WPS show a boolean as TRUE/FALSE whatever its format;
#: LibreOffice keeps a boolean as the number 1/0 and prints FALSE as "0" unless the cell's format says
#: otherwise: these formats make it print 是/否 (TRUE/FALSE); the cell still holds the boolean.
BOOL_FORMATS = {"zh": '"是";"是";"否"', "en": '"TRUE";"TRUE";"FALSE"', "both": '"是 TRUE";"是 TRUE";"否 FALSE"'}


def _cell_out(col: Column, value: Any, lang: str = "en") -> tuple[Any, str | None]:
    """The cell value (and number format) for a JSON value of column ``col`` (a choice as its ``lang`` label)."""
    if value is None:
        return None, None
    if col.kind == "choice" and col.key != "schema_version":
        return choice_label(col.key, value, lang), None
    if col.kind in ("decimal", "float", "int") and not isinstance(value, bool):
        return _number(value)
    if col.kind == "bool" and isinstance(value, bool):
        return value, BOOL_FORMATS.get(lang, BOOL_FORMATS["en"])
    if col.kind == "date" and isinstance(value, str) and _ISO_DATE.match(value):
        return date.fromisoformat(value), "yyyy-mm-dd"
    if col.kind == "datetime" and isinstance(value, str):
        try:
            return datetime.fromisoformat(value), "yyyy-mm-dd hh:mm:ss"
        except ValueError:
            return value, None
    if col.kind == "list" and isinstance(value, list):
        items = [str(v) for v in value]
        if any(";" in s or "；" in s for s in items) or (items and items[0].startswith("[")):
            return json.dumps(value, ensure_ascii=False, default=str), None
        return "; ".join(items), None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str), None   # a Decimal as its exact text
    return value, None


def _elements(spec: SheetSpec, data: dict[str, Any] | None) -> list[tuple[tuple[Any, ...], int, dict[str, Any]]]:
    """(ancestor keys, 1-based position in its list, element) of every row of ``spec``."""
    if not data:
        return []
    if spec.parent is None or spec.parent.kv:
        parents: list[tuple[tuple[Any, ...], dict[str, Any]]] = [((), data)]
    else:
        parents = [(keys + (elem.get(spec.parent.id_field) if spec.parent.id_field else seq,), elem)
                   for keys, seq, elem in _elements(spec.parent, data)]
    out = []
    for keys, parent in parents:
        items = _get(parent, spec.field) or []
        for i, elem in enumerate(items if isinstance(items, list) else []):
            if not isinstance(elem, dict):
                continue
            if spec.variant and elem.get(spec.variant[0]) != spec.variant[1]:
                continue
            out.append((keys, i + 1, elem))
    return out


def _kind_hint(col: Column) -> str:
    if col.kind == "choice":   # the model's codes, with the model's Chinese label where it has one
        field = col.key.split(".")[-1]
        return "可选 one of: " + ", ".join(
            f"{c} {lab['zh']}" if (lab := code_label(field, c)) else str(c) for c in col.choices)
    if col.kind == "unit":
        units = UNITS.get(col.dimension or "", UNITS[""])
        dim = f"可换算为 convertible to {col.dimension}; " if col.dimension else ""
        return f"单位 unit ({dim}e.g. {', '.join(units[:6])})"
    return {
        "decimal": "数字 number", "float": "数字 number", "int": "整数 whole number",
        "date": "日期 date (YYYY-MM-DD)", "datetime": "日期时间 date and time", "bool": "是/否 TRUE/FALSE（对/错、1/0）",
        "seq": "序号 1, 2, 3 …", "json": "JSON", "list": "列表 list: a; b",
    }.get(col.kind, "文本 text")


def column_note(col: Column, lang: str = "both") -> str:
    """The note under a header: meaning, expected form, rule ID, required or not; Chinese only for zh."""
    if lang == "zh":
        return _zh_note(col)
    parts = [col.note] if col.note else []
    parts.append(_kind_hint(col))
    if col.rule and col.rule not in col.note:
        parts.append(f"[{col.rule}]")
    parts.append("必填 required" if col.required else "选填 optional")
    return " · ".join(p for p in parts if p)


def _zh_note(col: Column) -> str:
    own = zh_label(col.key)
    parts = [own[1] if own else ""]
    if col.kind == "choice":
        parts.append("可选：" + "、".join(choice_label(col.key, c, "zh") for c in col.choices))
    elif col.kind == "unit":
        units = UNITS.get(col.dimension or "", UNITS[""])
        parts.append(f"单位{'，可换算为 ' + col.dimension if col.dimension else ''}（如 {'、'.join(units[:6])}）")
    else:
        parts.append(KIND_ZH.get(col.kind, "文本"))
    if col.rule and " " not in col.rule:   # a rule ID of data/rules.toml
        parts.append(f"[{col.rule}]")
    parts.append("必填" if col.required else "选填")
    return " · ".join(p for p in parts if p)


def column_header(col: Column, lang: str) -> str:
    """A column's header: the Chinese of :mod:`assess.formats.sheetlabels` where it has one."""
    own = zh_label(col.key) if lang != "en" else None
    return header_text(own[0] if own else col.zh, col.en, lang)


def header_text(zh: str, en: str, lang: str) -> str:
    """A header in ``lang``: zh, en, or both on two lines."""
    return zh if lang == "zh" else en if lang == "en" else (zh if zh == en else f"{zh}\n{en}")


def _dynamic_choices(col: Column) -> tuple[Any, ...]:
    if col.choices:
        return col.choices
    if col.key.split(".")[-1] == "jurisdiction" and col.kind == "str":
        from factors.store import default_store

        return tuple(sorted(default_store().jurisdictions))
    if col.kind == "bool":
        return ("TRUE", "FALSE")
    return ()


class _Validations:
    """Data validations of one workbook (long lists go to a hidden sheet 下拉 _lists)."""

    def __init__(self, wb: Any, lang: str = "both") -> None:
        self.wb = wb
        self.lang = lang
        self.lists: Any = None
        self.n = 0

    def add(self, ws: Any, col: Column, ref: str, prompt: str = "", title: str = "") -> None:
        """A check (list, number, date) on ``ref``; its input message shows the column's note."""
        from openpyxl.worksheet.datavalidation import DataValidation

        choices = _dynamic_choices(col)
        if col.kind == "choice" and col.key != "schema_version":
            choices = tuple(choice_label(col.key, c, self.lang) for c in choices)
        dv = None
        if col.kind == "unit":
            dv = DataValidation(type="list", formula1=self._list(UNITS.get(col.dimension or "", UNITS[""])),
                                allow_blank=True, showErrorMessage=False)  # a suggestion: other units allowed
        elif choices:
            dv = DataValidation(type="list", formula1=self._list(choices), allow_blank=True, showErrorMessage=True,
                                error="可选 one of: " + ", ".join(map(str, choices))[:200])
        elif col.kind in ("decimal", "float"):
            dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
                                allow_blank=True, showErrorMessage=True, error="数字 a number")
        elif col.kind in ("int", "seq"):
            dv = DataValidation(type="whole", operator="between", formula1="-1000000000", formula2="1000000000",
                                allow_blank=True, showErrorMessage=True, error="整数 a whole number")
        elif col.kind == "date":
            dv = DataValidation(type="date", operator="between", formula1="1", formula2="2958465",
                                allow_blank=True, showErrorMessage=True, error="日期 a date (YYYY-MM-DD)")
        if dv is None and prompt:   # free text: an input message only
            dv = DataValidation(type=None, allow_blank=True)
        if dv is not None:
            if prompt:
                dv.showInputMessage = True
                dv.prompt = prompt[:250]                                # Excel's limit: 255
                dv.promptTitle = (title or "说明").replace("\n", " ")[:30]   # Excel's limit: 32
            dv.add(ref)
            ws.add_data_validation(dv)

    def _list(self, values: Sequence[Any]) -> str:
        inline = '"' + ",".join(str(v) for v in values) + '"'
        if len(inline) <= 255 and not any("," in str(v) or '"' in str(v) for v in values):
            return inline
        if self.lists is None:
            self.lists = self.wb.create_sheet("_lists")
            self.lists.sheet_state = "hidden"
        self.n += 1
        for r, v in enumerate(values, start=1):
            put(self.lists, r, self.n, str(v))
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(self.n)
        return f"_lists!${letter}$1:${letter}${len(values)}"


def spec_method(spec: SheetSpec) -> str | None:
    """The damage-item method a sheet belongs to (its own variant or an ancestor's), None for other sheets."""
    s: SheetSpec | None = spec
    while s is not None:
        if s.variant and s.variant[0] == "method":
            return str(s.variant[1])
        s = s.parent
    return None


def case_methods(data: dict[str, Any] | None) -> list[str]:
    """The methods of the damage items of a case dict, in their order."""
    items = (data or {}).get("damage_items") or []
    out: list[str] = []
    for it in items if isinstance(items, list) else []:
        m = it.get("method") if isinstance(it, dict) else None
        if isinstance(m, str) and m not in out:
            out.append(m)
    return out


def case_workbook(data: dict[str, Any] | None = None, lang: str = "both", rows: int = 500,
                  methods: Sequence[str] | None = None) -> Any:
    """A case workbook: the layout of the case model, filled with ``data`` (a case dict) if given.

    ``methods``: the damage-item methods whose sheets are written (None: all); the sheets of the other
    methods are left out (the reader does not need them), so a case prints on the pages it uses.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    root = layout()
    wb = Workbook()
    wb.remove(wb.active)
    dvs = _Validations(wb, lang)
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    note_font = Font(italic=True, size=9, color="595959")
    wrap = Alignment(wrap_text=True, vertical="top")
    for spec in root.walk():
        method = spec_method(spec)
        if methods is not None and method is not None and method not in methods:
            continue
        ws = wb.create_sheet(spec.title(lang))
        if spec.kv:
            keys = list(KV_KEYS)
            heads = [header_text(*KV_HEADERS[k], lang) for k in keys]
            notes = {"zh": ["字段路径", "", "", "值", "单位", ""], "en": ["field path", "", "", "value", "unit", ""]}.get(
                lang, ["字段路径 field path", "", "", "值 value", "单位 unit", ""])
        else:
            keys = [c.key for c in spec.columns]
            heads = [column_header(c, lang) for c in spec.columns]
            notes = [column_note(c, lang) for c in spec.columns]
        for j, (k, h, n) in enumerate(zip(keys, heads, notes, strict=False), start=1):
            put(ws, KEY_ROW, j, k)
            put(ws, HEAD_ROW, j, h).font = head_font
            ws.cell(HEAD_ROW, j).fill = head_fill
            ws.cell(HEAD_ROW, j).alignment = wrap
            c = put(ws, NOTE_ROW, j, n)
            c.font, c.alignment = note_font, wrap
            ws.column_dimensions[get_column_letter(j)].width = 14 if spec.kv and j == 1 else 18
        ws.row_dimensions[KEY_ROW].hidden = True
        ws.freeze_panes = ws.cell(DATA_ROW, 1 if not spec.kv else 4)
        if spec.kv:
            _fill_kv(ws, spec, data, dvs, wrap, lang)
        else:
            _fill_list(ws, spec, data, dvs, rows, lang)
            _fit_widths(ws, len(keys))
        _print_setup(ws, spec, len(keys), lang)
    return wb


def display_width(text: str) -> int:
    """Characters a cell needs for ``text``'s longest line (CJK and full-width characters count double)."""
    import unicodedata

    return max((sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)
                for line in str(text).splitlines()), default=0)


def wrapped_height(ws: Any, row: int, cols: Sequence[int], points: float = 12.0, most: int = 10) -> None:
    """Give ``row`` the height its wrapped cells in ``cols`` need at their column widths (at most ``most``
    lines): LibreOffice and Excel keep the default height of a row written without one, and wrapped
    text then runs over the rows below it."""
    from openpyxl.utils import get_column_letter

    lines = 1
    for j in cols:
        v = ws.cell(row, j).value
        if v is None:
            continue
        width = max(4.0, (ws.column_dimensions[get_column_letter(j)].width or 10) - 1)
        n = sum(max(1, -(-display_width(part) // int(width))) for part in str(v).splitlines() or [""])
        lines = max(lines, n)
    if lines > 1:
        ws.row_dimensions[row].height = min(lines, most) * points + 3


def _fit_widths(ws: Any, ncols: int) -> None:
    """Column widths from the header and the example values (CJK counted double), 10 to 40 characters;
    the notes row wraps, as high as its longest note needs."""
    from openpyxl.utils import get_column_letter

    for j in range(1, ncols + 1):
        widest = 8
        for r in range(HEAD_ROW, ws.max_row + 1):
            if r == NOTE_ROW:
                continue
            v = ws.cell(r, j).value
            if v is not None:
                widest = max(widest, display_width(v))
        ws.column_dimensions[get_column_letter(j)].width = min(max(widest + 2, 10), 40)
    wrapped_height(ws, NOTE_ROW, range(1, ncols + 1), points=11.5)


def _print_setup(ws: Any, spec: SheetSpec, ncols: int, lang: str) -> None:
    """A4, fit to the page width, the header and note rows repeated on every page, page numbers;
    the print area ends a few rows under the last filled row (not at the 500 prepared rows)."""
    from openpyxl.utils import get_column_letter

    last_col = get_column_letter(6 if spec.kv else ncols)
    last_row = max((c.row for row in ws.iter_rows(min_row=DATA_ROW) for c in row if c.value is not None),
                   default=DATA_ROW - 1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if spec.kv or ncols > 6 else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW}" if spec.kv else f"{HEAD_ROW}:{NOTE_ROW}"
    ws.print_area = f"A{HEAD_ROW}:{last_col}{last_row + (0 if spec.kv else 5)}"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = ws.title.replace("&", "&&")
    ws.oddHeader.center.size = 8
    ws.oddFooter.center.text = "Page &P of &N" if lang == "en" else "第 &P 页 / 共 &N 页"


def _kv_rows(spec: SheetSpec) -> list[tuple[str, Column, Column | None]]:
    """(field path, value column, unit column) of each row of the key/value sheet."""
    out = []
    for col in spec.columns:
        if col.kind == "unit":
            continue
        if col.key.endswith(".value") and spec.column(col.key[:-6] + ".unit") is not None:
            out.append((col.key[:-6], col, spec.column(col.key[:-6] + ".unit")))
        else:
            out.append((col.key, col, None))
    return out


def _fill_kv(ws: Any, spec: SheetSpec, data: dict[str, Any] | None, dvs: _Validations, wrap: Any,
             lang: str = "both") -> None:
    from openpyxl.styles import Alignment, Font

    top = Alignment(vertical="top")

    for i, (path, vcol, ucol) in enumerate(_kv_rows(spec)):
        r = DATA_ROW + i
        put(ws, r, 1, path).font = Font(bold=vcol.required)
        own = zh_label(path)
        put(ws, r, 2, own[0] if own else vcol.zh.removesuffix(" 数值"))
        put(ws, r, 3, vcol.en.removesuffix(" value"))
        value, fmt = _cell_out(vcol, _get(data, vcol.key) if data else None, lang)
        if vcol.kind == "choice" and vcol.key == "schema_version" and value is None:
            value = vcol.choices[0]
        put(ws, r, 4, value, fmt)
        note = column_note(vcol, lang)
        dvs.add(ws, vcol, f"D{r}", prompt=note)
        if ucol is not None:
            put(ws, r, 5, _get(data, ucol.key) if data else None)
            dvs.add(ws, ucol, f"E{r}", prompt=column_note(ucol, lang))
        put(ws, r, 6, note).alignment = wrap
        for j in range(1, 6):    # a row as high as its note reads from the top; long text wraps in its cell
            ws.cell(r, j).alignment = wrap if j == 4 and isinstance(value, str) and display_width(value) > 38 else top
    paths = [display_width(path) for path, _, _ in _kv_rows(spec)]
    ws.column_dimensions["A"].width = min(max(paths, default=10) + 2, 64)   # the field path is read whole
    ws.column_dimensions["B"].width = ws.column_dimensions["C"].width = 22
    ws.column_dimensions["D"].width = 40
    ws.column_dimensions["F"].width = 60
    for i in range(len(paths)):
        wrapped_height(ws, DATA_ROW + i, (4, 6))


def _fill_list(ws: Any, spec: SheetSpec, data: dict[str, Any] | None, dvs: _Validations, rows: int,
               lang: str = "both") -> None:
    from openpyxl.utils import get_column_letter

    elements = _elements(spec, data)
    ancestors = spec.ancestors()
    for i, (keys, seq, elem) in enumerate(elements):
        r = DATA_ROW + i
        for j, col in enumerate(spec.columns, start=1):
            if col.kind == "parent":
                value, fmt = keys[ancestors.index(col.parent)], None
            elif col.kind == "seq":
                value, fmt = seq, None
            else:
                value, fmt = _cell_out(col, _get(elem, col.key), lang)
            put(ws, r, j, value, fmt)
    last = DATA_ROW + max(rows, len(elements) + 100) - 1
    for j, col in enumerate(spec.columns, start=1):
        letter = get_column_letter(j)
        dvs.add(ws, col, f"{letter}{DATA_ROW}:{letter}{last}", prompt=column_note(col, lang),
                title=column_header(col, lang))


# ============================================================================ reading a case

@dataclass
class _Cell:
    value: Any
    coord: str
    fmt: str = "General"


@dataclass
class _Rec:
    """One row of a list sheet as a partial element."""

    spec: SheetSpec
    row: int
    order: tuple[Any, ...]
    parent_key: tuple[Any, ...]
    own: Any
    data: dict[str, Any]
    cells: dict[str, str]
    children: dict[str, list["_Rec"]] = field(default_factory=dict)


@dataclass
class ReadCase:
    """A workbook read into a case dict, with where each field came from."""

    data: dict[str, Any]
    cells: dict[str, str]                      # JSON path → Sheet!A1
    notes: list[dict[str, str]] = field(default_factory=list)           # every finding, for the warnings
    formula_notes: list[dict[str, str]] = field(default_factory=list)   # formula cells whose cached value was used
    source: Path | None = None
    case: Any = None


def _sheet_cells(wb: Any, ws: Any) -> list[list[_Cell]]:
    """Every row of a read-only sheet from row 1, cells at their column positions (blanks included)."""
    from openpyxl.utils import get_column_letter

    ws.reset_dimensions()  # a wrong <dimension> tag must not drop rows
    out = []
    letters: list[str] = []
    for r, row in enumerate(ws.iter_rows(min_row=1, min_col=1), start=1):
        while len(letters) < len(row):
            letters.append(get_column_letter(len(letters) + 1))
        out.append([_Cell(c.value if c.data_type != "f" else formula_value(c.value), f"{letters[j]}{r}",
                          getattr(c, "number_format", "General") or "General") for j, c in enumerate(row)])
    return out


class _Formula(str):
    """The text of a formula cell (read with data_only=False)."""


#: LibreOffice has no boolean cell type: it saves TRUE/FALSE as the formulas =TRUE() / =FALSE().
BOOLEAN_FORMULAS = {"=TRUE()": True, "=FALSE()": False, "=TRUE": True, "=FALSE": False}


def formula_value(text: Any) -> Any:
    """A formula cell's content: a boolean constant for =TRUE() / =FALSE(), else the formula (its cached
    value is looked up later)."""
    key = str(text).replace(" ", "").upper()
    return BOOLEAN_FORMULAS[key] if key in BOOLEAN_FORMULAS else _Formula(text)


def _load_sheets(path: Path, root: SheetSpec, errors: list[InputError], notes: list[dict[str, str]],
                 formula_notes: list[dict[str, str]]) -> dict[str, tuple[str, list[list[_Cell]]]]:
    """spec key → (sheet title, rows of cells); formula cells replaced by their cached values."""
    titles = {t: spec for spec in root.walk() for t in spec.titles()}
    wb = _open(path, data_only=False)
    found: dict[str, tuple[str, list[list[_Cell]]]] = {}
    formulas: dict[str, list[_Cell]] = {}
    try:
        with _guard(path):
            for ws in wb.worksheets:
                spec = titles.get(ws.title.strip())
                if spec is None:  # the user's own notes sheet, or a part this version does not know
                    notes.append({"path": sheet_ref(ws.title),
                                  "zh": "未识别的工作表，未读取其内容（若为本工具的表格，请检查表名或版本）",
                                  "en": "sheet not recognised, its content was not read (if it is one of this "
                                        "tool's sheets, check its title or the tool version)"})
                    continue
                if spec.key in found:
                    errors.append(InputError(sheet_ref(ws.title), f"one sheet for {spec.en} (also in {found[spec.key][0]!r})"))
                    continue
                for ref in _merged_ranges(wb, ws):
                    errors.append(InputError(sheet_ref(ws.title, ref), "no merged cells (unmerge them: each column "
                                             "needs its own header and each row its own values)", "merged"))
                rows = _ws_cells(path, wb, ws, notes)
                errors.extend(_hidden_data(path, ws, rows))
                found[spec.key] = (ws.title, rows)
                fcells = [c for row in rows for c in row if isinstance(c.value, _Formula)]
                if fcells:
                    formulas[ws.title] = fcells
    finally:
        wb.close()
    if formulas:
        _cached_values(path, formulas, formula_notes)
        notes.extend(formula_notes)
    return found


def _cached_values(path: Path, formulas: dict[str, list[_Cell]], notes: list[dict[str, str]]) -> None:
    """Use the value Excel last computed for each formula cell; refuse cells without one."""
    wb = _open(path, data_only=True)
    missing = []
    try:
        with _guard(path):
            for title, cells in formulas.items():
                want = {c.coord: c for c in cells}
                ws = wb[title]
                ws.reset_dimensions()
                with _parsing(path, ws):
                    values = [(getattr(c, "coordinate", None), c.value) for row in ws.iter_rows() for c in row
                              if getattr(c, "coordinate", None) in want]
                for coord, value in values:
                    cell = want[coord]
                    formula = str(cell.value)
                    cell.value = value
                    if value is None:
                        missing.append(f"{sheet_ref(title, cell.coord)} ({formula})")
                    else:
                        notes.append({"path": sheet_ref(title, cell.coord),
                                      "zh": f"公式单元格 {formula}：使用 Excel 保存的计算结果 {value!r}",
                                      "en": f"formula cell {formula}: the value Excel cached, {value!r}, was used"})
    finally:
        wb.close()
    if missing:
        raise UnsafeWorkbook("formula cell(s) without a cached value (open the workbook in Excel, let it "
                             "calculate and save, or type the value): " + "; ".join(missing))


def _decimal_text(value: Any, fmt: str) -> str:
    """The exact decimal text of a number cell (float via repr; decimals kept from a 0.00 format)."""
    d = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    m = _NUM_FORMAT.match(fmt or "")
    places = len(m.group(1) or "") if m else 0
    exp = d.as_tuple().exponent
    if places and isinstance(exp, int) and -exp < places:
        d = d.quantize(Decimal(1).scaleb(-places))
    return str(d) if isinstance(exp, int) and exp <= 0 else format(d, "f")


class _Bad(Exception):
    def __init__(self, expected: str, got: Any = None, msgid: str | None = None, fields: dict[str, Any] | None = None):
        self.expected, self.got, self.msgid, self.fields = expected, got, msgid, fields

    @classmethod
    def of(cls, exc: vocabulary.Refused) -> "_Bad":
        got = None if exc.got is vocabulary.NOTHING else exc.got
        return cls(exc.expected, got, exc.msgid, exc.fields)

    def error(self, where: str) -> InputError:
        return InputError(where, self.expected, self.got, msgid=self.msgid, fields=self.fields)


def _json_cell(value: str, expected: str) -> Any:
    """A cell holding JSON, read by the input vocabulary (numbers exact, nesting bounded)."""
    try:
        return vocabulary.loads_json(value)
    except vocabulary.Refused as exc:
        raise _Bad.of(exc) from None
    except json.JSONDecodeError as exc:
        raise _Bad(f"{expected} ({exc.msg})", value) from None


def convert(col: Column, value: Any, fmt: str = "General") -> Any:
    """The JSON value of a cell for column ``col`` (raises _Bad for a reader-level problem)."""
    kind = col.kind
    if isinstance(value, str):
        value = value.strip()
    if isinstance(value, datetime) and kind not in ("datetime", "date"):
        value = value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    elif isinstance(value, date) and not isinstance(value, datetime) and kind != "date":
        value = value.isoformat()
    if kind in ("decimal",):
        if isinstance(value, bool):
            raise _Bad(vocabulary.NUMBER_EXPECTED, value)
        return _decimal_text(value, fmt) if isinstance(value, (int, float)) else value
    if kind in ("int", "seq"):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value):
            return int(value)
        if kind == "seq" and not isinstance(value, int):
            raise _Bad("a whole number (序号)", value)
        return value
    if kind == "float":
        return value
    if kind == "bool":   # the input vocabulary's words (是/否, 对/错, true/false, 1/0 …)
        try:
            return vocabulary.to_bool(value)
        except vocabulary.Refused as exc:
            raise _Bad.of(exc) from None
    if kind == "date":   # a date cell, or text YYYY-MM-DD (never a plain number: no serials)
        try:
            return vocabulary.to_date(value).isoformat()
        except vocabulary.Refused as exc:
            raise _Bad.of(exc) from None
    if kind == "datetime":
        return value.isoformat() if isinstance(value, datetime) else value
    if kind == "list":
        if isinstance(value, str):
            if value.startswith("["):
                return _json_cell(value, "a JSON array")
            return [s.strip() for s in re.split(r"[;；]", value) if s.strip()]
        return [value]
    if kind == "json":
        if isinstance(value, str) and value[:1] in ("{", "[", '"'):
            return _json_cell(value, "JSON text")
        return value
    # text-like: str, unit, choice, parent, any
    if isinstance(value, float):
        value = int(value) if value.is_integer() else repr(value)
    if kind == "choice" and value not in col.choices:
        return choice_code(col.key, value, col.choices)   # the code, '中文（code）' or the Chinese label
    if kind in ("str", "unit", "parent") and not isinstance(value, str):
        return str(value)
    return value


def is_empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _key_columns(title: str, rows: list[list[_Cell]], spec: SheetSpec, errors: list[InputError]
                 ) -> dict[int, Column | str]:
    """Column index → Column (list sheets) or KV key, from the hidden key row."""
    known: dict[str, Column | str] = {k: k for k in KV_KEYS} if spec.kv else {c.key: c for c in spec.columns}
    out: dict[int, Column | str] = {}
    if not rows:
        return out
    for j, cell in enumerate(rows[0]):
        key = cell.value
        if is_empty(key):
            continue
        key = str(key).strip()
        if key not in known:
            errors.append(InputError(sheet_ref(title, cell.coord), "a known column key in the hidden row 1 (unknown "
                                     "columns are rejected; start from `assess template`)", key))
            continue
        out[j] = known[key]
    need = ("field", "value") if spec.kv else [c.key for c in spec.columns if c.kind == "parent"]
    have = {c if isinstance(c, str) else c.key for c in out.values()}
    for k in need:
        if k not in have:
            errors.append(InputError(sheet_ref(title), f"a column {k!r} (hidden row 1 holds the column keys)", "missing"))
    return out


def _read_kv(title: str, rows: list[list[_Cell]], spec: SheetSpec, data: dict[str, Any], cells: dict[str, str],
             errors: list[InputError]) -> None:
    cols = _key_columns(title, rows, spec, errors)
    by_key = {v: j for j, v in cols.items() if isinstance(v, str)}
    fields = {path: (vcol, ucol) for path, vcol, ucol in _kv_rows(spec)}
    for row in rows[DATA_ROW - 1:]:
        def at(k: str, row: list[_Cell] = row) -> _Cell | None:
            j = by_key.get(k)
            return row[j] if j is not None and j < len(row) else None
        fcell, vcell, ucell = at("field"), at("value"), at("unit")
        if fcell is None or is_empty(fcell.value):
            continue
        path = str(fcell.value).strip()
        if path not in fields:
            errors.append(InputError(sheet_ref(title, fcell.coord), "a field of the case (see the template's rows)", path))
            continue
        vcol, ucol = fields[path]
        for col, cell in ((vcol, vcell), (ucol, ucell)):
            if col is None or cell is None:
                continue
            cells.setdefault(col.key, sheet_ref(title, cell.coord))
            cells.setdefault(path, sheet_ref(title, (vcell or cell).coord))
            if is_empty(cell.value):
                continue
            try:
                _set(data, col.key, convert(col, cell.value, cell.fmt))
            except _Bad as bad:
                errors.append(bad.error(sheet_ref(title, cell.coord) + f" [{col.key}]"))
            except (TypeError, AttributeError):
                errors.append(InputError(sheet_ref(title, cell.coord) + f" [{col.key}]", "a value consistent with the other rows"))


def _read_list(title: str, rows: list[list[_Cell]], spec: SheetSpec, sheet_no: int,
               errors: list[InputError]) -> list[_Rec]:
    cols = {j: c for j, c in _key_columns(title, rows, spec, errors).items() if isinstance(c, Column)}
    ancestors = spec.ancestors()
    out = []
    for row in rows[DATA_ROW - 1:]:
        present = [(j, c) for j, c in cols.items() if j < len(row) and not is_empty(row[j].value)]
        if not present:
            continue
        rnum = int(re.sub(r"[A-Z]+", "", row[present[0][0]].coord))
        data: dict[str, Any] = {}
        cells: dict[str, str] = {"": sheet_ref(title, row[0].coord if row else f"A{rnum}")}
        pkeys: dict[str, Any] = {}
        seq = None
        for j, col in cols.items():
            if j >= len(row):
                continue
            cell = row[j]
            ref = sheet_ref(title, cell.coord)
            parts = col.key.split(".")
            for n in range(1, len(parts) + 1):
                cells.setdefault(".".join(parts[:n]), ref)
            if is_empty(cell.value):
                continue
            try:
                value = convert(col, cell.value, cell.fmt)
            except _Bad as bad:
                errors.append(bad.error(f"{ref} [{spec.en}.{col.key}]"))
                continue
            if col.kind == "parent":
                pkeys[col.key] = value
            elif col.kind == "seq":
                seq = value
            else:
                try:
                    _set(data, col.key, value)
                except (TypeError, AttributeError):
                    errors.append(InputError(ref, "a value consistent with the other columns"))
        if spec.variant:
            data[spec.variant[0]] = spec.variant[1]
        parent_key = []
        for anc in ancestors:
            col = next(c for c in spec.columns if c.parent is anc)
            if col.key not in pkeys:
                errors.append(InputError(cells[""].split("!")[0] + f"!{rnum}:{rnum}",
                                         f"the {col.key} of the row of sheet {anc.en} this row belongs to", "empty"))
            parent_key.append(pkeys.get(col.key))
        own = data.get(spec.id_field) if spec.id_field else seq
        order = (seq if isinstance(seq, int) else float("inf"), sheet_no, rnum)
        out.append(_Rec(spec, rnum, order, tuple(parent_key), own, data, cells))
    return out


def read_case_workbook(path: str | Path) -> ReadCase:
    """Read a case workbook into a validated case; every problem is reported at once, by cell."""
    from assess.law.case import parse_case

    path = Path(path)
    if is_calamine_book(path):   # .ods / .xls: the same cells, read through an in-memory .xlsx
        return _read_calamine_book(path)
    root = layout()
    errors: list[InputError] = []
    notes: list[dict[str, str]] = []
    formula_notes: list[dict[str, str]] = []
    found = _load_sheets(path, root, errors, notes, formula_notes)
    data: dict[str, Any] = {}
    cells: dict[str, str] = {}
    specs = list(root.walk())
    recs: dict[str, list[_Rec]] = {}
    for n, spec in enumerate(specs):
        if spec.key not in found:
            has_parent_rows = spec.parent is not None and (spec.parent.kv or bool(recs.get(spec.parent.key)))
            if spec.kv or (spec.required and has_parent_rows):
                why = "" if spec.kv else f" (rows of sheet {spec.parent.title('both') if spec.parent else ''} need it)"
                errors.append(InputError(f"sheet {spec.title('both')!r}", f"this sheet{why}", "missing"))
            recs[spec.key] = []
            continue
        title, rows = found[spec.key]
        if spec.kv:
            _read_kv(title, rows, spec, data, cells, errors)
        else:
            recs[spec.key] = _read_list(title, rows, spec, n, errors)
    _assemble(root, recs, data, cells, found, errors)
    by_ref: dict[str, str] = {}
    for json_path, ref in cells.items():  # the JSON path of each cell (the longest one)
        if len(json_path) > len(by_ref.get(ref, "")):
            by_ref[ref] = json_path
    errors = [type(e)(f"{e.path.split(' [')[0]} [{by_ref[e.path.split(' [')[0]]}]", e.expected, e.got)
              if " [" in e.path and e.path.split(" [")[0] in by_ref else e for e in errors]
    problems = list(errors)
    case = None
    try:
        case = parse_case(data)
    except InputError as exc:
        taken = {p.path.split(" [")[0] for p in errors}
        for p in exc.problems or [exc]:
            located = locate(p, cells)
            if located.path.split(" [")[0] not in taken:
                problems.append(located)
    if problems:
        raise InputError.collect(problems)
    return ReadCase(data=data, cells=cells, notes=notes, formula_notes=formula_notes, source=path, case=case)


def _assemble(root: SheetSpec, recs: dict[str, list[_Rec]], data: dict[str, Any], cells: dict[str, str],
              found: dict[str, tuple[str, list[list[_Cell]]]], errors: list[InputError]) -> None:
    """Attach each row to its parent row, order the lists, then record every field's cell by JSON path."""
    top: dict[str, list[_Rec]] = {}
    index: dict[str, dict[tuple[Any, ...], _Rec]] = {}
    for spec in root.walk():
        if spec.kv:
            continue
        index[spec.key] = {}
        for rec in recs.get(spec.key, []):
            if spec.parent is None or spec.parent.kv:
                top.setdefault(spec.field, []).append(rec)
            else:
                parent = index[spec.parent.key].get(rec.parent_key)
                if parent is None:
                    if all(k is not None for k in rec.parent_key):
                        pcol = next(c for c in spec.columns if c.parent is spec.parent)
                        errors.append(InputError(rec.cells.get(pcol.key, rec.cells[""]),
                                                 f"the {spec.parent.own_key} of a row of sheet {spec.parent.title('both')!r}",
                                                 rec.parent_key[-1]))
                    continue
                parent.children.setdefault(spec.field, []).append(rec)
            index[spec.key].setdefault(rec.parent_key + (rec.own,), rec)

    def place(container: dict[str, Any], lists: dict[str, list[_Rec]], prefix: str) -> None:
        for fld, items in lists.items():
            items.sort(key=lambda r: r.order)
            values = []
            for i, rec in enumerate(items):
                p = f"{prefix}{fld}[{i}]"
                for rel, ref in rec.cells.items():
                    cells.setdefault(f"{p}.{rel}" if rel else p, ref)
                place(rec.data, rec.children, p + ".")
                values.append(rec.data)
            sheet_titles = {found[r.spec.key][0] for r in items if r.spec.key in found}
            cells.setdefault(prefix + fld, ", ".join(sorted(sheet_ref(t) for t in sheet_titles)))
            _set(container, fld, values)

    place(data, top, "")


def locate(err: InputError, cells: dict[str, str]) -> InputError:
    """The same error with its JSON path mapped to the sheet and cell it came from."""
    path = err.path
    ref = None
    if "unit" in (err.expected or "") and f"{path}.unit" in cells:
        ref = cells[f"{path}.unit"]
    p = path
    while ref is None and p:
        ref = cells.get(p)
        q = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", p)
        if q == p:
            break
        p = q
    if not ref:
        return err
    return type(err)(f"{ref} [{path}]", err.expected, err.got, msgid=err.msgid, fields=err.fields)


def relocate(exc: InputError, cells: dict[str, str]) -> InputError:
    return InputError.collect([locate(p, cells) for p in exc.problems or [exc]])


def load_workbook_case(path: str | Path) -> Any:
    """The validated :class:`assess.law.case.Case` of a workbook (``load_case`` for .xlsx)."""
    return read_case_workbook(path).case


def _read_calamine_book(path: Path) -> "ReadCase":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / (path.stem + ".xlsx")
        copy.write_bytes(to_xlsx_bytes(path))
        read = read_case_workbook(copy)
    read.source = path
    return read


def is_workbook(path: str | Path | None) -> bool:
    return bool(path) and Path(str(path)).suffix.lower() in (".xlsx", ".xlsm")


# ============================================================================ reading result tables
# (the result workbook itself is written by assess.formats.resultbook)

def read_sheet(path: Path, titles: Sequence[str] | None = None, sheet_index: int = 0) -> tuple[str, list[list[_Cell]]]:
    """(title, cells) of the first sheet named in ``titles`` (else sheet ``sheet_index``); formula
    cells carry their cached values (none cached: UnsafeWorkbook)."""
    wb = _open(path, data_only=False)
    try:
        with _guard(path):
            names = wb.sheetnames
            name = next((t for t in (titles or ()) if t in names), None) or names[sheet_index]
            rows = _ws_cells(path, wb, wb[name])
    finally:
        wb.close()
    formulas = [c for row in rows for c in row if isinstance(c.value, _Formula)]
    if formulas:
        _cached_values(path, {name: formulas}, [])
    return name, rows


def read_table(path: str | Path, titles: Sequence[str] | None = None, first_row: int = RESULT_DATA_ROW,
               sheet_index: int = 0) -> tuple[str, list[dict[str, Any]]]:
    """Rows of a keyed sheet (hidden key row 1) as dicts; the sheet is found by one of ``titles``."""
    path = Path(path)
    name, rows = read_sheet(path, titles, sheet_index)
    if not rows:
        return name, []
    keys = [None if is_empty(c.value) else str(c.value).strip() for c in rows[0]]
    out = []
    for row in rows[first_row - 1:]:
        rec = {k: c.value for k, c in zip(keys, row, strict=False) if k is not None and not is_empty(c.value)}
        rec["_ref"] = sheet_ref(name, row[0].coord) if row else name
        if len(rec) > 1:
            out.append(rec)
    return name, out


# ============================================================================ large batches

def _prescan(path: Path) -> bool:
    """Refuse DTDs/entities in any XML part (engine-independent); True if a sheet holds formulas."""
    has_formula = False
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                with zf.open(info) as fh:
                    head = fh.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise UnsafeWorkbook(f"{path.name}: XML entity or DTD declarations in {info.filename} are refused")
                    if info.filename.startswith("xl/worksheets/"):
                        tail = b""
                        chunk = head
                        while chunk:
                            buf = tail + chunk
                            if b"<f>" in buf or b"<f " in buf or b"<f/>" in buf:
                                has_formula = True
                                break
                            tail = buf[-4:]
                            chunk = fh.read(1 << 20)
    except zipfile.BadZipFile:
        raise InputError(str(path), "an .xlsx workbook", "not a zip file") from None
    return has_formula


def calamine_available() -> bool:
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


def read_rows(path: str | Path, sheet: str | int = 0, engine: str = "auto", first_row: int = DATA_ROW,
              notes: list[dict[str, str]] | None = None) -> tuple[list[str], list[list[Any]]]:
    """(keys of the hidden row 1, data rows) of a large keyed sheet, e.g. a batch with one case per row.

    ``engine``: ``calamine`` (the ``fast`` extra), ``openpyxl`` (read-only) or ``auto``.  Both refuse
    XML entities; a sheet with formulas is read through openpyxl so that cells without a cached
    value are refused by sheet and cell, never read as empty; a cached value is used and noted in
    ``notes`` (as the case-workbook reader does).  The workbook's size is bounded first
    (:mod:`assess.formats.xlsxguard`) and any parser failure is an :class:`InputError`.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "an existing workbook (.xlsx)", "no such file")
    check_workbook(path)
    if engine == "auto":
        engine = "calamine" if calamine_available() else "openpyxl"
    if engine == "calamine":
        if _prescan(path):
            engine = "openpyxl"
        else:
            from python_calamine import CalamineWorkbook

            try:
                wb = CalamineWorkbook.from_path(str(path))
                try:
                    names = wb.sheet_names
                    if isinstance(sheet, int) and not 0 <= sheet < len(names):
                        raise InputError(str(path), f"a workbook with a sheet {sheet + 1}", f"{len(names)} sheet(s)")
                    if isinstance(sheet, str) and sheet not in names:
                        raise InputError(str(path), f"a sheet named {sheet!r}", ", ".join(names))
                    sh = wb.get_sheet_by_index(sheet) if isinstance(sheet, int) else wb.get_sheet_by_name(sheet)
                    data = sh.to_python(skip_empty_area=False)
                finally:
                    wb.close()
            except (AssessError, MemoryError, KeyboardInterrupt):
                raise
            except Exception as exc:  # noqa: BLE001 - calamine's failure on a corrupt file is bad input
                raise InputError(str(path), "a readable .xlsx workbook",
                                 f"{type(exc).__name__}: {str(exc).splitlines()[0][:100] if str(exc) else ''}") from None
            if not data:
                return [], []
            _refuse_hidden(path, sheet, enumerate(data[first_row - 1:], start=first_row))
            keys = [str(k).strip() if k not in (None, "") else "" for k in data[0]]
            return keys, [r for r in data[first_row - 1:] if any(v not in (None, "") for v in r)]
    chunks = list(iter_row_chunks(path, sheet, first_row, None, notes))   # one chunk: the whole sheet
    return chunks[0][0], [r for _keys, part in chunks for r in part]


def _refuse_hidden(path: Path, sheet: str | int, rows: Iterator[tuple[int, Sequence[Any]]]) -> None:
    """Raise the hidden-data refusals (:func:`assess.formats.xlsxguard.hidden_data_errors`) of a batch sheet."""
    marks = hidden_marks(path, sheet)
    if marks is not None:
        _refuse_hidden_marks(marks, rows)


def _refuse_hidden_marks(marks: Any, rows: Any) -> None:
    if marks is None or not rows:
        return
    errors = hidden_data_errors(marks, rows, sheet_ref, is_empty)
    if errors:
        raise InputError.collect(errors)


def iter_row_chunks(path: str | Path, sheet: str | int = 0, first_row: int = DATA_ROW, chunk_rows: int | None = None,
                    notes: list[dict[str, str]] | None = None) -> Iterator[tuple[list[str], list[list[Any]]]]:
    """:func:`read_rows` through openpyxl read-only, ``chunk_rows`` data rows at a time (None: all at once).

    Yields (keys of row 1, rows) at least once.  Memory is bounded by the chunk, whatever the sheet's
    size: openpyxl's read-only mode parses the sheet XML as a stream.  The same safe path as
    :func:`read_rows`: the workbook's size bounded first, XML entities refused, a parser failure named
    by sheet and cell; rows holding a formula (or text starting with ``=``) are read again, per chunk,
    so a formula cell without a cached value is refused by cell and a cached value used and noted.
    """
    path = Path(path)
    wb = _open(path, data_only=False)
    try:
        with _guard(path):
            if isinstance(sheet, int) and not 0 <= sheet < len(wb.worksheets):
                raise InputError(str(path), f"a workbook with a sheet {sheet + 1}", f"{len(wb.worksheets)} sheet(s)")
            if isinstance(sheet, str) and sheet not in wb.sheetnames:
                raise InputError(str(path), f"a sheet named {sheet!r}", ", ".join(wb.sheetnames))
            ws = wb.worksheets[sheet] if isinstance(sheet, int) else wb[sheet]
            name = ws.title
            marks = hidden_marks(path, name)
            with _parsing(path, ws):
                ws.reset_dimensions()
                it = ws.iter_rows(values_only=True)
                head = next(it, ())
                keys = [str(k).strip() if k not in (None, "") else "" for k in head]
                numbered: list[tuple[int, list[Any]]] = []
                suspects: set[int] = set()
                hidden: list[tuple[int, Sequence[Any]]] = []
                yielded = False
                for i, r in enumerate(it, start=2):
                    if i < first_row or all(v is None for v in r):
                        continue
                    if any(isinstance(v, str) and v.startswith("=") for v in r):
                        suspects.add(i)
                    numbered.append((i, list(r)))
                    if marks is not None and (i in marks.rows or marks.cols or marks.state != "visible"):
                        hidden.append((i, r))   # refused (all cells named) before the chunk is handed on
                    if chunk_rows is not None and len(numbered) >= chunk_rows:
                        _refuse_hidden_marks(marks, hidden)
                        yield keys, _formulas_resolved(path, name, numbered, suspects, notes)
                        numbered, suspects, yielded = [], set(), True
                if numbered or not yielded:
                    _refuse_hidden_marks(marks, hidden)
                    yield keys, _formulas_resolved(path, name, numbered, suspects, notes)
    finally:
        wb.close()


def _formulas_resolved(path: Path, name: str, numbered: list[tuple[int, list[Any]]], suspects: set[int],
                       notes: list[dict[str, str]] | None) -> list[list[Any]]:
    """The rows with formula cells replaced by their cached values (a formula without one is refused)."""
    if suspects:  # a formula or a text starting with '=': re-read those rows to tell them apart
        formulas = [c for c in _rows_cells(path, name, suspects) if isinstance(c.value, _Formula)]
        if formulas:
            from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

            _cached_values(path, {name: formulas}, notes if notes is not None else [])
            at = {i: r for i, r in numbered}
            for c in formulas:
                col, row = coordinate_from_string(c.coord)
                at[row][column_index_from_string(col) - 1] = c.value
    return [r for _i, r in numbered]


def _rows_cells(path: Path, name: str, wanted: set[int]) -> list[_Cell]:
    wb = _open(path, data_only=False)
    try:
        with _guard(path), _parsing(path, wb[name]):
            ws = wb[name]
            ws.reset_dimensions()
            out = []
            for row in ws.iter_rows():
                for c in row:
                    if getattr(c, "row", None) in wanted:
                        out.append(_Cell(c.value if c.data_type != "f" else formula_value(c.value), c.coordinate))
            return out
    finally:
        wb.close()
