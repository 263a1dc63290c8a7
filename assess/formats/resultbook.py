"""The result workbook 结果工作簿 (``assess run CASE -o result.xlsx``): a document an assessor can file.

Sheets (titled in the language asked for; both: "赔偿清单 Ledger"): 赔偿清单 Ledger (five categories, lines,
total; amounts as numbers with thousands separators
and as exact text), 程序路径 Routing and 期限 Deadlines as tables (decision, outcome, reason, rule),
责任 Liability and 履行计划 Schedule where present, 提示 Warnings, 计算过程 Trace (every trace of
the result as one indented tree) and 版本 Version (tool and parameter-set versions, rules date, input
file and its SHA-256).

Every sheet: row 1 hidden machine keys (``assess check`` and :func:`assess.formats.excel.read_table`
read columns by them), row 2 headers in ``lang`` (zh, en or both on two lines), data from row 3;
column widths from the content (CJK characters count double), long text wrapped; A4 print setup:
fit to one page wide, header row repeated on every page, running header and 第 n 页 / 共 N 页.

Written with openpyxl, the library the project already uses to read workbooks: it sets widths,
number formats, print titles, page setup, headers/footers, comments and validations, which is all
this needs.  XlsxWriter (write-only, with an ``autofit``) was considered: its autofit measures
characters, not CJK display width, and a second workbook library would double the code paths for
no gain here.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator, Sequence

from assess.formats.excel import HEAD_ROW, KEY_ROW, RESULT_DATA_ROW, header_text, put, sha256_file

MONEY = "#,##0.00"
MAX_WIDTH = 30          # characters (a CJK character counts 2) for a column of long text, wrapped beyond
MIN_WIDTH = 6
#: Widths (characters) beyond which a column wraps, where the default does not suit.
CAPS = {"label_zh": 44, "label_en": 44, "label": 24, "reason": 44, "detail": 40, "inputs": 40, "note_zh": 40, "note_en": 40,
        "id": 26, "value": 36, "zh": 50, "en": 50, "path": 40}
LINE_HEIGHT = 14.5      # points per line of 11-point text

SECTION_LABELS: dict[str, tuple[str, str]] = {
    "ledger": ("赔偿清单", "Ledger"),
    "trace": ("计算过程", "Trace"),
    "version": ("版本", "Version"),
    "warnings": ("提示", "Warnings"),
    "routing": ("程序路径", "Routing"),
    "deadlines": ("期限", "Deadlines"),
    "liability": ("责任", "Liability"),
    "schedule": ("履行计划", "Schedule"),
    "uncertainty": ("不确定性", "Uncertainty"),
    "punitive": ("惩罚性赔偿", "Punitive"),
    "duties": ("程序步骤与案卷", "Duties"),
    "statement": ("履行情况", "Payments and penalties"),
    "law_in_force": ("适用规则", "Law in force"),
}

LEDGER_COLUMNS = [
    ("kind", "行类型", "Row"), ("number", "类别序号", "No."), ("category", "类别", "Category"), ("id", "编号", "Id"),
    ("label_zh", "名称", "Label (zh)"), ("label_en", "名称（英文）", "Label (en)"), ("rule", "依据", "Rule"),
    ("source", "来源", "Source"), ("counted", "计入", "Counted"), ("amount", "金额（元）", "Amount (yuan)"),
    ("amount_text", "金额（精确文本）", "Amount (exact text)"),
]
TRACE_COLUMNS = [
    ("id", "步骤编号", "Step id"), ("depth", "层级", "Depth"), ("kind", "类型", "Kind"), ("label_zh", "名称", "Label (zh)"),
    ("label_en", "名称（英文）", "Label (en)"), ("value", "结果", "Result"), ("unit", "单位", "Unit"),
    ("formula", "公式", "Formula"), ("inputs", "输入", "Inputs"), ("exact", "精确值", "Exact"),
    ("rounding", "取整", "Rounding"), ("rule", "规则", "Rule"), ("citation_zh", "依据", "Citation (zh)"),
    ("citation_en", "依据（英文）", "Citation (en)"), ("note_zh", "说明", "Note (zh)"), ("note_en", "说明（英文）", "Note (en)"),
]
ROUTING_COLUMNS = [
    ("key", "键", "Key"), ("label", "事项", "Decision"), ("outcome", "结论", "Outcome"), ("reason", "理由", "Reason"),
    ("rule", "依据", "Rule"), ("citation", "出处", "Citation"), ("outcome_code", "结论代码", "Outcome code"),
]
DEADLINE_COLUMNS = [
    ("key", "键", "Key"), ("label", "事项", "Step"), ("status", "状态", "Status"), ("due", "期限日", "Due"),
    ("due_kind", "期限类型", "Kind of date"), ("start", "起算", "Start"), ("period", "期间", "Period"),
    ("done", "完成", "Done"), ("rule", "依据", "Rule"), ("detail", "说明", "Detail"), ("status_code", "状态代码", "Status code"),
]
SCHEDULE_COLUMNS = [
    ("number", "期次", "No."), ("due", "到期日", "Due"), ("amount", "金额（元）", "Amount (yuan)"),
    ("paid", "已付（元）", "Paid (yuan)"), ("unpaid", "未付（元）", "Unpaid (yuan)"),
    ("interest", "迟延履行利息（元）", "Delay interest (yuan)"), ("accrued_interest", "计至对账日利息（元）", "Interest accrued (yuan)"),
]
KV_COLUMNS = [("path", "项目", "Item"), ("value", "值", "Value")]
LAW_COLUMNS = [("family", "规则类别", "Rules"), ("date", "适用日期", "Date applied"), ("from", "日期来源", "Date from"),
               ("jurisdiction", "法域", "Jurisdiction"), ("rule_set", "全国规则", "National rule set"), ("key", "键", "Key")]

#: Columns not shown (still in the workbook, for machines): per sheet, per language.
HIDDEN: dict[str, dict[str, set[str]]] = {
    "ledger": {"zh": {"kind", "category", "label_en", "amount_text"}, "en": {"kind", "category", "label_zh", "amount_text"},
               "both": {"kind", "category", "amount_text"}},
    "trace": {"zh": {"depth", "label_en", "exact", "rounding", "citation_zh", "citation_en", "note_en"},
              "en": {"depth", "label_zh", "exact", "rounding", "citation_zh", "citation_en", "note_zh"},
              "both": {"depth", "exact", "rounding", "citation_zh", "citation_en"}},
    "routing": {lang: {"key", "outcome_code"} for lang in ("zh", "en", "both")},
    "deadlines": {lang: {"key", "status_code"} for lang in ("zh", "en", "both")},
    "law_in_force": {lang: {"key"} for lang in ("zh", "en", "both")},
}
MONEY_KEYS = {"amount", "paid", "unpaid", "interest", "accrued_interest"}
WRAP_KEYS = {"label_zh", "label_en", "reason", "citation", "detail", "formula", "inputs", "note_zh", "note_en",
             "citation_zh", "citation_en", "label", "outcome", "value", "start", "period", "done", "zh", "en"}
STATUS = {"met": ("已遵守", "met"), "missed": ("已逾期", "missed"), "pending": ("待办", "pending"),
          "cannot_compute": ("无法计算", "cannot compute"), "not_applicable": ("不适用", "not applicable")}


def sheet_title(key: str, lang: str) -> str:
    """The sheet's title: Chinese alone (zh), English alone (en), both when they fit in 31 characters."""
    zh, en = SECTION_LABELS.get(key, (key, key))
    both = f"{zh} {en}"
    name = zh if lang == "zh" else en if lang == "en" else both if len(both) <= 31 else zh
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31]


def _text(label: dict[str, str] | None, lang: str) -> str:
    if not label:
        return ""
    zh, en = label.get("zh", ""), label.get("en", "")
    if lang == "both":
        return zh if zh == en else f"{zh}\n{en}"
    return zh if lang == "zh" else en


def _out(value: Any) -> Any:
    import json

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _money(text: Any) -> Any:
    """A money string as a number for display (exact text stays elsewhere); anything else unchanged."""
    try:
        d = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return text
    if not d.is_finite() or abs(d) >= Decimal(10) ** 15:   # beyond float's exact range: keep the text
        return text
    return (float(d), MONEY)


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: East Asian wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def write_table(ws: Any, columns: Sequence[tuple[str, str, str]], rows: Sequence[dict[str, Any]], lang: str) -> None:
    """Row 1 hidden keys, row 2 headers, data from row 3; frozen headers; a value may be ``(value, number_format)``."""
    from openpyxl.styles import Alignment, Font, PatternFill

    head_fill = PatternFill("solid", fgColor="E8EEF5")
    for j, (key, zh, en) in enumerate(columns, start=1):
        put(ws, KEY_ROW, j, key)
        cell = put(ws, HEAD_ROW, j, header_text(zh, en, lang))
        cell.font = Font(name="Calibri", size=11, bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.row_dimensions[KEY_ROW].hidden = True
    ws.freeze_panes = ws.cell(RESULT_DATA_ROW, 1)
    for i, row in enumerate(rows):
        for j, (key, _zh, _en) in enumerate(columns, start=1):
            value, fmt = row.get(key), None
            if isinstance(value, tuple):
                value, fmt = value
            put(ws, RESULT_DATA_ROW + i, j, _out(value), fmt)


def finish(ws: Any, sheet: str, lang: str, header: str, landscape: bool = False) -> None:
    """Column widths from the content, wrapping, hidden machine columns, A4 print setup."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    hidden = HIDDEN.get(sheet, {}).get(lang, set())
    keys = {c.column: c.value for c in ws[KEY_ROW]}
    widths: dict[int, int] = {}
    for col, key in keys.items():
        letter = get_column_letter(col)
        dim = ws.column_dimensions[letter]
        if key in hidden:
            dim.hidden = True
            continue
        widest = MIN_WIDTH
        for row in ws.iter_rows(min_row=HEAD_ROW, min_col=col, max_col=col):
            cell = row[0]
            if cell.value is None:
                continue
            if isinstance(cell.value, float) and cell.number_format == MONEY:
                text = f"{cell.value:,.2f}"
            else:
                text = str(cell.value)
            indent = int(cell.alignment.indent or 0) * 2 if cell.alignment is not None else 0
            lines = text.split("\n")
            widest = max(widest, indent + max(display_width(s) for s in lines))
        limit = CAPS.get(key, MAX_WIDTH if key in WRAP_KEYS else 60)
        dim.width = min(widest, limit) + 2
        widths[col] = min(widest, limit) + 1
        for row in ws.iter_rows(min_row=RESULT_DATA_ROW, min_col=col, max_col=col):
            a = row[0].alignment
            row[0].alignment = Alignment(wrap_text=widest > limit or key in WRAP_KEYS, vertical="top",
                                         indent=a.indent if a is not None else 0)
    _row_heights(ws, widths)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW}"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.oddHeader.center.text = header.replace("&", "&&")
    ws.oddHeader.center.size = 8
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页" if lang != "en" else "Page &P of &N"
    ws.oddFooter.center.size = 8


def _row_heights(ws: Any, widths: dict[int, int]) -> None:
    """Set each row's height to its tallest wrapped cell (LibreOffice and Excel keep a stored height)."""
    import math

    for row in ws.iter_rows(min_row=HEAD_ROW):
        lines = 1
        for cell in row:
            if cell.value is None or cell.column not in widths:
                continue
            text = f"{cell.value:,.2f}" if isinstance(cell.value, float) else str(cell.value)
            indent = int(cell.alignment.indent or 0) * 2 if cell.alignment is not None else 0
            room = max(widths[cell.column] - indent, 4)
            lines = max(lines, sum(max(1, math.ceil(display_width(part) / room)) for part in text.split("\n")))
        ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines + 2


# ---------------------------------------------------------------------------- rows

def ledger_rows(ledger: dict[str, Any], lang: str = "both") -> list[dict[str, Any]]:
    from assess.law.categories import CATEGORIES

    rows = []
    for c in CATEGORIES:
        cat = ledger[c.key]
        rows.append({"kind": "category", "number": c.number, "category": c.key, "id": c.key,
                     "label_zh": c.zh, "label_en": c.en, "rule": c.rule,
                     "amount": _money(cat["amount"]), "amount_text": cat["amount"]})
        for item in cat["items"]:
            rows.append({"kind": "item", "number": c.number, "category": c.key, "id": item["id"],
                         "label_zh": item["label"]["zh"], "label_en": item["label"]["en"], "source": item["source"],
                         "counted": _text({"zh": "是", "en": "yes"} if item["counted"] else {"zh": "否", "en": "no"}, lang).replace("\n", " / "),
                         "amount": _money(item["amount"]), "amount_text": item["amount"]})
    adj = (ledger.get("rounding") or {}).get("adjustment")
    if adj is not None:   # a total rounded to a stated step (assess/law/rounding.py)
        rows.append({"kind": "item", "id": "rounding_adjustment", "label_zh": "尾数调整", "label_en": "Rounding adjustment",
                     "source": "rounding", "amount": _money(adj), "amount_text": adj})
    rows.append({"kind": "total", "id": "total", "label_zh": "赔偿总额", "label_en": "Total compensation",
                 "rule": "CC-1235", "amount": _money(ledger["total"]), "amount_text": ledger["total"]})
    return rows


def trace_rows(node: dict[str, Any], depth: int = 0) -> Iterator[dict[str, Any]]:
    res = node.get("result") or {}
    rounding = res.get("rounding")
    cit, note = node.get("citation") or {}, node.get("note") or {}
    inputs = "\n".join(f"{k} = {v.get('value')} {v.get('unit') or ''}".rstrip() + (f" ← {v['from']}" if v.get("from") else "")
                       for k, v in (node.get("inputs") or {}).items())
    unit = res.get("unit")
    value = res.get("value")
    yield {"id": node["id"], "depth": depth, "kind": node["kind"], "label_zh": node["label"].get("zh"),
           "label_en": node["label"].get("en"), "formula": node.get("formula"), "inputs": inputs or None,
           "value": _money(value) if unit == "元" else value, "unit": None if unit == "1" else unit, "exact": res.get("exact"),
           "rounding": rounding.get("zh") + " / " + rounding.get("en") if isinstance(rounding, dict) else rounding,
           "rule": node.get("rule"), "citation_zh": cit.get("zh"), "citation_en": cit.get("en"),
           "note_zh": note.get("zh"), "note_en": note.get("en")}
    for child in node.get("children", []):
        yield from trace_rows(child, depth + 1)


def routing_rows(routing: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    rows = [{"key": "note", "label": _text({"zh": "说明", "en": "Note"}, lang), "reason": _text(n, lang)}
            for n in routing.get("notes", [])]
    for dec in routing.get("decisions", []):
        rows.append({"key": dec["key"], "label": _text(dec["label"], lang), "outcome": _text(dec["outcome_label"], lang),
                     "reason": _text(dec["reason"], lang), "rule": dec.get("rule"),
                     "citation": _text(dec.get("citation"), lang), "outcome_code": dec.get("outcome")})
    return rows


def deadline_rows(dl: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    due_word = {"by": ("届满日", "due"), "not_after": ("最迟送达日", "latest"), "after": ("公告期届满日", "notice period ends")}
    rows = []
    for item in dl.get("items", []):
        c = item.get("counting") or {}
        period = None
        if c:
            kind = {"natural": {"zh": "自然日", "en": "natural days"}, "working": {"zh": "工作日", "en": "working days"}}
            unit = kind.get(c.get("day_kind"), {"zh": "", "en": ""}) if c.get("unit") == "day" else {"zh": "个月", "en": "month(s)"}
            period = f"{c.get('count')} {_text(unit, lang)}"
            if c.get("rolled"):
                period += "\n" + _text({"zh": f"末日 {c['nominal_end']} 为休息日，顺延",
                                        "en": f"last day {c['nominal_end']} a rest day, rolled"}, lang)
        zh, en = STATUS.get(item["status"], (item["status"], item["status"]))
        dk = due_word.get(item.get("due_kind") or "")
        rows.append({"key": item["key"], "label": _text(item["label"], lang), "status": _text({"zh": zh, "en": en}, lang),
                     "due": item.get("due"), "due_kind": _text({"zh": dk[0], "en": dk[1]}, lang) if dk else None,
                     "start": f"{item['start']['date']}\n{item['start']['field']}" if item.get("start") else None,
                     "period": period,
                     "done": f"{item['done']['date']}\n{item['done']['field']}" if item.get("done") else None,
                     "rule": item.get("rule"), "detail": _text(item.get("detail"), lang), "status_code": item["status"]})
    cons = dl.get("consultation")
    if cons:
        state = {"not_started": ("未开始", "not started"), "in_progress": ("进行中", "in progress"),
                 "agreed": ("已达成协议", "agreed"), "deemed_failed": ("可视为磋商未达成一致", "may be deemed failed")}
        zh, en = state.get(cons["state"], (cons["state"], cons["state"]))
        rows.append({"key": "consultation", "label": _text({"zh": "磋商状态", "en": "Consultation"}, lang),
                     "status": _text({"zh": zh, "en": en}, lang), "rule": cons.get("rule"),
                     "detail": _text(cons.get("detail"), lang), "status_code": cons["state"]})
    return rows


def flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts → dotted keys; lists of dicts → ``key[i].sub``; lists of scalars joined by '; '."""
    out: dict[str, Any] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(obj, list) and any(isinstance(v, (dict, list)) for v in obj):
        for i, v in enumerate(obj):
            out.update(flatten(v, f"{prefix}[{i}]"))
    elif isinstance(obj, list):
        out[prefix] = "; ".join(str(v) for v in obj)
    else:
        out[prefix] = obj
    return out


# ---------------------------------------------------------------------------- the workbook

def _trees(d: dict[str, Any]) -> list[dict[str, Any]]:
    trees = [d.get("trace"), d.get("law_trace"), d.get("routing_trace"), d.get("deadlines_trace"),
             (d.get("liability") or {}).get("trace"), (d.get("schedule") or {}).get("trace")]
    return [t for t in trees if t]


def result_workbook(result: Any, lang: str = "both", source: str | Path | None = None) -> Any:
    """The result workbook of one result (see the module docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    d = result.to_dict()
    header = f"{d['case_id']} · {header_text('生态环境损害赔偿计算结果', 'Compensation assessment result', lang).replace(chr(10), ' / ')}" \
             f" · {d['parameter_set']}"
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title("ledger", lang)
    rows = ledger_rows(d["ledger"], lang)
    write_table(ws, LEDGER_COLUMNS, rows, lang)
    bold, total_fill = Font(name="Calibri", size=11, bold=True), PatternFill("solid", fgColor="F3F3F3")
    for i, r in enumerate(rows):
        for cell in ws[RESULT_DATA_ROW + i]:
            if r["kind"] != "item":
                cell.font = bold
            if r["kind"] == "total":
                cell.fill = total_fill
        if r["kind"] == "item":
            for col in (5, 6):
                ws.cell(RESULT_DATA_ROW + i, col).alignment = Alignment(indent=1)
    finish(ws, "ledger", lang, header, landscape=True)

    sections: list[tuple[str, Any]] = []
    for key, value in d.items():
        if key in ("ledger", "trace", "routing_trace", "deadlines_trace", "law_trace", "warnings") or value is None \
                or not isinstance(value, (dict, list)):
            continue
        sections.append((key, _section(key, value, lang)))
    warnings = d.get("warnings") or []
    sections.append(("warnings", ([("path", "字段", "Field"), ("zh", "提示", "Warning (zh)"), ("en", "提示（英文）", "Warning (en)")],
                                  warnings, False)))
    for key, (columns, rows, landscape) in sections:
        ws = wb.create_sheet(sheet_title(key, lang))
        write_table(ws, columns, rows, lang)
        finish(ws, key, lang, header, landscape)

    ws = wb.create_sheet(sheet_title("trace", lang))
    rows = [r for tree in _trees(d) for r in trace_rows(tree)]
    write_table(ws, TRACE_COLUMNS, rows, lang)
    label_cols = (4, 5)
    for i, r in enumerate(rows):
        for col in label_cols:
            ws.cell(RESULT_DATA_ROW + i, col).alignment = Alignment(indent=min(r["depth"], 15))
        if r["depth"] == 0:
            for cell in ws[RESULT_DATA_ROW + i]:
                cell.font = bold
    finish(ws, "trace", lang, header, landscape=True)

    version = {k: v for k, v in d.items() if not isinstance(v, (dict, list)) and v is not None}
    if source is not None:
        version["input_file"] = Path(source).name
        version["input_sha256"] = sha256_file(source)
    ws = wb.create_sheet(sheet_title("version", lang))
    write_table(ws, KV_COLUMNS, [{"path": k, "value": v} for k, v in version.items()], lang)
    finish(ws, "version", lang, header)
    return wb


def _section(key: str, value: Any, lang: str) -> tuple[list[tuple[str, str, str]], list[dict[str, Any]], bool]:
    """(columns, rows, landscape) of one section: a readable table where its shape is known, else item | value."""
    if key == "routing" and isinstance(value, dict) and "decisions" in value:
        return ROUTING_COLUMNS, routing_rows(value, lang), True
    if key == "deadlines" and isinstance(value, dict) and "items" in value:
        return DEADLINE_COLUMNS, deadline_rows(value, lang), True
    if key == "law_in_force" and isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
        rows = [{"family": _text(v.get("label"), lang), "date": v.get("date"), "from": v.get("from"),
                 "jurisdiction": v.get("jurisdiction_applied"), "rule_set": _text(v.get("national_rule_set"), lang),
                 "key": k} for k, v in value.items()]
        return LAW_COLUMNS, rows, True
    if key == "schedule" and isinstance(value, dict) and "instalments" in value:
        rows = [{k: (_money(i.get(k)) if k in MONEY_KEYS else i.get(k)) for k, _zh, _en in SCHEDULE_COLUMNS}
                for i in value["instalments"]]
        return SCHEDULE_COLUMNS, rows, False
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        rows = [flatten(v) for v in value]
        keys = list(dict.fromkeys(k for r in rows for k in r))
        return [(k, k, k) for k in keys], rows, len(keys) > 5
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "trace"}   # traces go to the trace sheet
    flat = flatten(value if isinstance(value, dict) else {key: value})
    return KV_COLUMNS, [{"path": k, "value": _money(v) if _is_money(k) else v} for k, v in flat.items()], False


def _is_money(path: str) -> bool:
    last = path.rsplit(".", 1)[-1]
    return last in {"compensation", "base", "award", "gross", "net", "net_owed", "value", "credited", "amount",
                    "shortfall_still_owed"}
