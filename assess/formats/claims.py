"""Claims and judgments as filed 起诉状、判决书所列金额: read into claim lines, each with where it was read.

A claim is a list of figures, each as printed: a label (``（三）调查鉴定评估费用``, ``惩罚性赔偿``,
``张某应承担``, ``第3期``), optionally the id of the step it states (``D1.lines[2]``, ``punitive.base``), an
amount as printed (``320.3728万元``, ``5.7万余元``, ``壹仟肆佰肆拾壹万陆仟柒佰柒拾陆元整``), a plain number
(a multiple, ``1.5``) or a date (an instalment's due date).  A line with a label and nothing else is a
heading: the lines after it belong to that section (``二、惩罚性赔偿``) until the next heading.

JSON::

    {"case_id": "JS-NT-2024-031",                  # optional; must match the case when one is given
     "precision": "yuan",                          # optional: every whole-number amount is to the yuan
     "lines": [
        {"label": "一、生态环境损害赔偿费用"},                      # a heading
        {"label": "（三）调查鉴定评估费用", "amount": "2万元"},
        {"label": "合计", "amount": "17万元", "sum_of": ["（一）…", "（二）…", "（三）…"]},
        {"label": "二、惩罚性赔偿"},
        {"label": "基数", "amount": "150000元"}, {"label": "倍数", "value": "1.5"},
        {"label": "惩罚性赔偿", "amount": "22.5万元"},
        {"label": "张某应承担", "amount": "157500元"},
        {"id": "instalments[1]", "label": "第1期", "amount": "25416.67", "date": "2024-11-30"}]}

The earlier ledger form is still read: ``total``, ``categories`` ({key or 1–5: amount}), ``items``
([{id, amount, parts: {step id: amount}}] or {id: amount}) and ``parts``; so is ``assess run --json``
output (its ``ledger``).  Workbooks: the first sheet (or one named 申报清单 / 判决金额 / Claimed / 赔偿清单),
a header row within the first three rows with a label column (项目 / 名称 / label) or an id column
(编号 / id), an amount column (金额 / 申报金额 / amount), optionally 数值 / value, 日期 / date and
汇总 / sum_of; a row with a label and no figure is a heading.  A result workbook of ``assess run -o
result.xlsx`` is a valid claim.  Formats only: which figure a line names is decided by
:mod:`assess.reports.figures`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from assess.formats.jsonio import loads_json_file
from assess.law.categories import CATEGORIES, KEYS
from factors import vocabulary
from factors.errors import InputError
from factors.printed import PrintedAmount, parse_printed_amount

MAX_LINES = 10_000
PRECISIONS = ("fen", "yuan")
TOTAL_NAMES = {"total", "合计", "总额", "赔偿总额", "总计"}
LABEL_HEADERS = ("label", "项目", "名称", "项目名称", "label_zh", "名称（中文）")
ID_HEADERS = ("id", "编号", "item", "项目编号", "step", "步骤编号")
AMOUNT_HEADERS = ("amount_text", "amount", "金额", "申报金额", "claimed", "金额（元）", "判决金额")
VALUE_HEADERS = ("value", "数值", "倍数")
DATE_HEADERS = ("date", "日期", "到期日")
SUM_HEADERS = ("sum_of", "汇总", "由以下各项相加")
CLAIM_SHEETS = ("申报清单 Claimed", "申报清单", "判决金额", "Claimed", "赔偿清单 Ledger", "赔偿清单", "Ledger")


@dataclass
class ClaimLine:
    """One figure of a claim as printed, and where it was read (``claim.json: lines[3]``, ``'判决'!C7``)."""

    where: str
    label: str | None = None
    id: str | None = None
    amount: PrintedAmount | None = None
    value: Decimal | None = None
    date: date | None = None
    section: str | None = None
    sum_of: list[str] = field(default_factory=list)
    parent: str | None = None       # for the legacy ``items[i].parts``: the line these are steps of

    @property
    def name(self) -> str:
        """How the report names the line: its label as printed, else its id."""
        return self.label or self.id or self.where


@dataclass
class Claim:
    """A claim or judgment: its lines in the order printed."""

    name: str
    lines: list[ClaimLine]
    case_id: str | None = None
    precision: str | None = None


# ----------------------------------------------------------------------------- helpers

def _text(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _number(value: Any, where: str) -> Decimal:
    """A number of a claim line (a multiple, a rate): the input vocabulary's decimal."""
    try:
        return vocabulary.to_decimal(value)
    except vocabulary.Refused as exc:
        raise InputError.refused(where, exc) from None


def _date(value: Any, where: str) -> date:
    """A date of a claim line: the input vocabulary's date (YYYY-MM-DD, a date cell; no time, no number)."""
    try:
        return vocabulary.to_date(value)
    except vocabulary.Refused as exc:
        raise InputError.refused(where, exc) from None


def _amount(value: Any, where: str, precision: str | None) -> PrintedAmount:
    a = parse_printed_amount(value, where)
    if precision == "fen" and not a.lower_bound and a.quantum == 1:
        a = PrintedAmount(a.value, Decimal("0.01"), False, a.text)
    return a


# ----------------------------------------------------------------------------- JSON

def load_claim(path: str | Path) -> Claim:
    """Read a claim file (.json or .xlsx)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(str(path), "an existing claim file (.json or .xlsx)", "no such file")
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return claim_from_workbook(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(path), "a UTF-8 JSON file") from None
    return claim_from_dict(loads_json_file(text, p.name), p.name)   # numbers exact, nesting bounded


def _is_id(value: Any) -> bool:
    """An id is text or a whole number (a list or dict id used to be read as its Python repr)."""
    return isinstance(value, (str, int)) and not isinstance(value, bool) and bool(str(value).strip())


def _from_result(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The claim held by an ``assess run --json`` result (its ledger section); malformed parts are named
    (a category without an amount, items that are not a list of {id, amount} used to raise KeyError)."""
    led = data["ledger"]
    problems: list[InputError] = []
    cats: dict[str, Any] = {}
    items: list[Any] = []
    for k in KEYS:
        cat = led.get(k)
        if cat is None:
            continue
        where = f"{name}: ledger.{k}"
        if not isinstance(cat, dict) or "amount" not in cat:
            problems.append(InputError(where, "an object with amount and items", repr(cat)[:80]))
            continue
        cats[k] = cat["amount"]
        lines = cat.get("items", [])
        if not isinstance(lines, list):
            problems.append(InputError(f"{where}.items", "a list of {id, amount}", type(lines).__name__))
            continue
        for i, line in enumerate(lines):
            if not isinstance(line, dict) or not _is_id(line.get("id")) or "amount" not in line:
                problems.append(InputError(f"{where}.items[{i}]", "an object with id and amount", repr(line)[:80]))
                continue
            items.append({"id": line["id"], "amount": line["amount"]})
    if problems:
        raise InputError.collect(problems)
    return {"case_id": data.get("case_id"), "total": led.get("total"), "categories": cats, "items": items}


def claim_from_dict(data: Any, name: str = "claim") -> Claim:
    """A claim from its JSON form (or an ``assess run --json`` result)."""
    if not isinstance(data, dict):
        raise InputError(name, "a JSON object with lines (or total, categories, items)", type(data).__name__)
    if vocabulary.value_depth(data) > vocabulary.MAX_JSON_DEPTH:   # the one JSON depth limit
        raise InputError(name, "JSON nested at most {n} deep", msgid="JSON nested at most {n} deep",
                         fields={"n": vocabulary.MAX_JSON_DEPTH})
    if isinstance(data.get("ledger"), dict):  # an `assess run --json` result
        data = _from_result(data, name)
    problems: list[InputError] = []
    known = {"case_id", "precision", "lines", "total", "categories", "items", "parts", "note", "comment", "title"}
    for k in sorted(set(data) - known):
        problems.append(InputError(f"{name}: {k}", "one of " + ", ".join(sorted(known)), "unknown field"))
    precision = data.get("precision")
    if precision is not None and precision not in PRECISIONS:
        problems.append(InputError(f"{name}: precision", "fen or yuan", precision))
        precision = None
    case_id = _text(data.get("case_id"))
    lines: list[ClaimLine] = []

    def add(where: str, **kw: Any) -> None:
        try:
            lines.append(_line(where, precision, legacy=kw.pop("legacy", False), **kw))
        except InputError as exc:
            problems.append(exc)

    raw_lines = data.get("lines") or []
    if not isinstance(raw_lines, list):
        problems.append(InputError(f"{name}: lines", "a list of {label, amount | value | date}", type(raw_lines).__name__))
        raw_lines = []
    if len(raw_lines) > MAX_LINES:
        problems.append(InputError(f"{name}: lines", f"at most {MAX_LINES} lines", len(raw_lines)))
        raw_lines = []
    section = None
    for i, it in enumerate(raw_lines):
        where = f"{name}: lines[{i}]"
        if not isinstance(it, dict):
            problems.append(InputError(where, "an object {label, amount | value | date}", it))
            continue
        extra = set(it) - {"label", "id", "amount", "value", "date", "section", "sum_of", "note"}
        if extra:
            problems.append(InputError(f"{where}.{sorted(extra)[0]}", "label, id, amount, value, date, section, sum_of",
                                       "unknown field"))
            continue
        label, ident = _text(it.get("label")), _text(it.get("id"))
        if not label and not ident:
            problems.append(InputError(where, "a label (as printed) or an id", "neither"))
            continue
        figure = any(it.get(k) is not None for k in ("amount", "value", "date"))
        if not figure:
            section = label
            continue
        sum_of = it.get("sum_of") or []
        if not isinstance(sum_of, list) or not all(isinstance(s, str) for s in sum_of):
            problems.append(InputError(f"{where}.sum_of", "a list of the labels or ids of other lines", sum_of))
            continue
        add(where, label=label, id=ident, amount=it.get("amount"), value=it.get("value"), date=it.get("date"),
            section=_text(it.get("section")) or section, sum_of=sum_of)

    # the earlier ledger form
    if data.get("total") is not None:
        add(f"{name}: total", id="total", amount=data["total"], legacy=True)
    cats = data.get("categories") or {}
    if not isinstance(cats, dict):
        problems.append(InputError(f"{name}: categories", "an object {category: amount}", type(cats).__name__))
        cats = {}
    for k, v in cats.items():
        key = category_key(k)
        if key is None:
            problems.append(InputError(f"{name}: categories.{k}", "a category key (" + ", ".join(KEYS) + ") or number 1–5", k))
        else:
            add(f"{name}: categories.{k}", id=key, amount=v, legacy=True)
    items = data.get("items") or []
    if isinstance(items, dict):
        items = [{"id": k, "amount": v} for k, v in items.items()]
    if not isinstance(items, list):
        problems.append(InputError(f"{name}: items", "a list of {id, amount, parts}", type(items).__name__))
        items = []
    for i, it in enumerate(items):
        where = f"{name}: items[{i}]"
        if not isinstance(it, dict) or not _is_id(it.get("id")) or "amount" not in it:
            problems.append(InputError(where, "an object with id and amount", it if not isinstance(it, dict) else
                                       "no id/amount" if it.get("id") is None or "amount" not in it else repr(it)[:80]))
            continue
        ident = _text(it["id"])
        add(f"{where}.amount", id=ident, amount=it["amount"], legacy=True)
        parts = it.get("parts") or {}
        if not isinstance(parts, dict):
            problems.append(InputError(f"{where}.parts", "an object {step id: amount}", type(parts).__name__))
            continue
        for k, v in parts.items():
            add(f"{where}.parts.{k}", id=str(k), amount=v, parent=ident, legacy=True)
    parts = data.get("parts") or {}
    if not isinstance(parts, dict):
        problems.append(InputError(f"{name}: parts", "an object {step id: amount}", type(parts).__name__))
        parts = {}
    for k, v in parts.items():
        add(f"{name}: parts.{k}", id=str(k), amount=v, legacy=True)
    if not problems and not lines:
        problems.append(InputError(name, "a claim with at least one figure (lines, total, categories or items)", "nothing claimed"))
    seen: dict[str, str] = {}
    for ln in lines:
        key = ln.id or f"{ln.section or ''}\u0000{ln.label}"
        if key in seen:
            problems.append(InputError(ln.where, "each figure once (the same label in the same section twice)",
                                       f"{ln.name} (also {seen[key]})"))
        seen.setdefault(key, ln.where)
    if problems:
        raise InputError.collect(problems)
    return Claim(name=name, lines=lines, case_id=case_id, precision=precision)


def _line(where: str, precision: str | None, *, legacy: bool = False, label: str | None = None, id: str | None = None, amount: Any = None,
          value: Any = None, date: Any = None, section: str | None = None, sum_of: list[str] | None = None,
          parent: str | None = None) -> ClaimLine:
    ln = ClaimLine(where=where, label=label, id=id, section=section, sum_of=list(sum_of or []), parent=parent)
    if amount is not None:
        ln.amount = _amount(amount, where if legacy or where.endswith(".amount") or "!" in where else f"{where}.amount",
                            precision)
    if value is not None:
        ln.value = _number(value, f"{where}.value")
    if date is not None:
        ln.date = _date(date, f"{where}.date")
    return ln


def category_key(name: Any) -> str | None:
    """A category key from its key, number 1–5, （三）, or CC-1235(3)."""
    import re

    text = str(name).strip()
    if text in KEYS:
        return text
    m = re.fullmatch(r"(?:CC-1235)?[(（]?([1-5一二三四五])[)）]?", text)
    if m:
        n = "一二三四五".find(m.group(1)) + 1 or int(m.group(1))
        return CATEGORIES[n - 1].key
    return None


# ----------------------------------------------------------------------------- workbook

def claim_from_workbook(path: Path) -> Claim:
    """A claim from a workbook sheet: label/id, amount, value, date and sum_of columns; headings as rows."""
    from assess.formats.excel import is_empty, read_sheet, sheet_ref
    from assess.formats.resultbook import HIDDEN
    from assess.formats.xlsxguard import hidden_data_errors, hidden_marks

    name, rows = read_sheet(path, CLAIM_SHEETS)

    def find(labels: list[str], names: tuple[str, ...]) -> int | None:
        return next((labels.index(h) for h in names if h in labels), None)

    head = None
    for r, row in enumerate(rows[:3]):
        labels = [str(c.value).strip().lower() if not is_empty(c.value) else "" for c in row]
        cols = {k: find(labels, names) for k, names in (("label", LABEL_HEADERS), ("id", ID_HEADERS),
                                                         ("amount", AMOUNT_HEADERS), ("value", VALUE_HEADERS),
                                                         ("date", DATE_HEADERS), ("sum_of", SUM_HEADERS))}
        if (cols["label"] is not None or cols["id"] is not None) and (cols["amount"] is not None or cols["value"] is not None):
            head = (r, cols)
            break
    if head is None:
        raise InputError(sheet_ref(name, "A1"), "a header row (rows 1–3) with a label column (项目 / label) or an id column "
                         "(编号 / id) and an amount column (金额 / amount)", "none found")
    r0, cols = head
    data_rows = rows[r0 + 1:]
    if r0 == 0 and data_rows and any(str(c.value).strip() in ("编号\nId", "编号", "Id") for c in data_rows[0] if c.value):
        data_rows = data_rows[1:]  # a result workbook: hidden keys, then the visible header
    # the one hidden-data rule of every workbook reader; the machine columns a result workbook hides
    # by design (amount_text beside the visible amount …) are the writer's, not hidden data
    machine = set().union(*HIDDEN["ledger"].values()) if r0 == 0 else set()
    heads = [str(c.value).strip() if not is_empty(c.value) else "" for c in rows[r0]]
    counted = {j + 1 for j in cols.values() if j is not None and (j >= len(heads) or heads[j] not in machine)}
    hidden = hidden_data_errors(hidden_marks(Path(path), name),
                                ((int(re.sub(r"[A-Z]+", "", row[0].coord)), [c.value for c in row]) for row in data_rows if row),
                                sheet_ref, is_empty, columns=counted)
    if hidden:
        raise InputError.collect(hidden)
    problems: list[InputError] = []
    lines: list[ClaimLine] = []
    section = None

    def cell(row: list[Any], key: str) -> Any:
        j = cols[key]
        return row[j] if j is not None and j < len(row) else None

    for row in data_rows:
        lab_c, id_c, am_c, val_c, dt_c, sum_c = (cell(row, k) for k in ("label", "id", "amount", "value", "date", "sum_of"))
        label = None if lab_c is None or is_empty(lab_c.value) else str(lab_c.value).strip()
        ident = None if id_c is None or is_empty(id_c.value) else str(id_c.value).strip()
        if label is None and ident is None:
            continue
        got = {k: (c.value if c is not None and not is_empty(c.value) else None)
               for k, c in (("amount", am_c), ("value", val_c), ("date", dt_c))}
        anchor = next((c for c in (am_c, val_c, dt_c, lab_c, id_c) if c is not None), None)
        where = sheet_ref(name, anchor.coord if anchor is not None else "")
        if all(v is None for v in got.values()):
            if label is not None:
                section = label
            continue
        if ident is not None and ident.lower() in TOTAL_NAMES:
            ident = "total"
        elif ident is not None and category_key(ident):
            ident = category_key(ident)
        sums = [] if sum_c is None or is_empty(sum_c.value) else [s.strip() for s in str(sum_c.value).replace("，", ",").split(",")
                                                                  if s.strip()]
        try:
            lines.append(_line(where, None, label=label, id=ident, amount=got["amount"], value=got["value"],
                               date=got["date"], section=section, sum_of=sums))
        except InputError as exc:
            problems.append(exc)
    if not problems and not lines:
        problems.append(InputError(sheet_ref(name), "rows with claimed figures", "none"))
    if problems:
        raise InputError.collect(problems)
    return Claim(name=path.name, lines=lines)





# ----------------------------------------------------------------------------- workbooks written

#: The usual sections of a judgment on eco-damage compensation, as the claim template offers them.
TEMPLATE_ROWS: tuple[tuple[str, str], ...] = (
    ("一、生态环境损害赔偿费用（《民法典》第一千二百三十五条）", ""),
    ("（一）生态环境受到损害至修复完成期间服务功能丧失导致的损失", "ledger.interim_service_loss"),
    ("（二）生态环境功能永久性损害造成的损失", "ledger.permanent_loss"),
    ("（三）生态环境损害调查、鉴定评估等费用", "ledger.assessment_costs"),
    ("（四）清除污染、修复生态环境费用", "ledger.remediation_costs"),
    ("（五）防止损害的发生和扩大所支出的合理费用", "ledger.prevention_costs"),
    ("合计", "total"),
    ("二、惩罚性赔偿（《民法典》第一千二百三十二条）", ""),
    ("惩罚性赔偿基数", "punitive.base"),
    ("倍数", "punitive.multiple"),
    ("惩罚性赔偿", "punitive.award"),
    ("（被告名称）应承担", ""),
    ("三、替代修复及抵扣", ""),
    ("替代修复抵扣", ""),
    ("应付净额", "liability.net"),
    ("四、分期履行", ""),
    ("第1期", "instalments[1]"),
    ("迟延履行利息", "instalments.interest"),
)
TEMPLATE_COLUMNS = (("label", "项目", "Label as printed", 46), ("id", "编号", "Id (optional)", 26),
                    ("amount", "金额", "Amount as printed", 22), ("value", "数值", "Number (a multiple)", 14),
                    ("date", "日期", "Date (YYYY-MM-DD)", 14), ("sum_of", "汇总", "Sum of (labels, comma-separated)", 30),
                    ("note", "说明", "Note", 30))


def claim_template(lang: str = "zh") -> Any:
    """A claim workbook for clerks: the usual sections of a judgment, headers in Chinese (or both), notes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "判决金额"
    head = [c[1] if lang == "zh" else c[2] if lang == "en" else f"{c[1]}\n{c[2]}" for c in TEMPLATE_COLUMNS]
    ws.append(head)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for j, (_, _, _, width) in enumerate(TEMPLATE_COLUMNS, 1):
        cell = ws.cell(1, j)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = width
    ws.cell(1, 3).comment = Comment("照判决书原样填写：42960.00元、320.3728万元、5.7万余元、壹万元整均可；“约”字金额无法核对。"
                                    "\nAs printed: 42960.00元, 320.3728万元, 5.7万余元, 壹万元整; approximate figures cannot be checked.",
                                    "assess")
    ws.cell(1, 1).comment = Comment("只有项目、没有金额的行是标题：其下各行属于该部分（如“二、惩罚性赔偿”）。"
                                    "\nA row with a label and no figure is a heading.", "assess")
    for label, ident in TEMPLATE_ROWS:
        ws.append([label, ident or None])
        if not ident and label[:2] in ("一、", "二、", "三、", "四、"):
            ws.cell(ws.max_row, 1).font = bold
    for row in ws.iter_rows(min_row=2, max_col=len(TEMPLATE_COLUMNS)):
        for cell in row:
            cell.number_format = "@"   # amounts and dates kept as typed text
    ws.freeze_panes = "A2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    return wb


REPORT_COLUMNS = (("status", "结果", "Status", 12), ("printed", "申报项目", "Claimed line", 40), ("id", "对应步骤", "Step", 26),
                  ("claimed", "申报", "Claimed", 18), ("recomputed", "复算", "Recomputed", 18),
                  ("difference", "相差", "Difference", 14), ("precision", "比较精度", "Precision", 22),
                  ("explanation", "说明", "Explanation", 60), ("where", "申报位置", "Claimed at", 26))
STATUS_WORDS = {"match": ("相符", "match"), "differs": ("不符", "differs"), "follows": ("随之不符", "follows"),
                "missing": ("缺少", "missing"), "extra": ("多出", "extra"), "not_recomputable": ("无法复算", "not recomputable")}


def check_report_workbook(report: dict[str, Any], lang: str = "zh") -> Any:
    """The check result (``Report.to_dict()``) as a workbook: the claim's arithmetic, then one row per figure."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    def word(zh: str, en: str) -> str:
        return zh if lang == "zh" else en if lang == "en" else f"{zh} / {en}"

    wb = Workbook()
    ws = wb.active
    ws.title = "核对结果"
    ws.append([word("案件", "Case"), report.get("case_id") or "—", word("规则日期", "Rules date"), report.get("rules_date") or "—",
               word("不一致", "Differences"), report.get("differences")])
    ws.append([])
    ws.append([word(zh, en) for _, zh, en, _ in REPORT_COLUMNS])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for j, (_, _, _, width) in enumerate(REPORT_COLUMNS, 1):
        c = ws.cell(3, j)
        c.font, c.fill = bold, fill
        ws.column_dimensions[c.column_letter].width = width
    for a in report.get("arithmetic", []):
        ws.append([word("✓ 成立", "✓ holds") if a["holds"] else word("✗ 不成立", "✗ fails"), a["result"],
                   word("申报自身计算", "claim's own arithmetic"), a["claimed"], a["computed"], a.get("difference"), "",
                   word(a["relation"]["zh"], a["relation"]["en"]) + ": " + " + ".join(a["operands"]), a.get("where")])
    for f in report.get("findings", []):
        zh, en = STATUS_WORDS[f["status"]]
        expl = ""
        if f.get("follows_from"):
            expl = word(f"由 {', '.join(f['follows_from'])} 的差异引起", f"follows from {', '.join(f['follows_from'])}")
        elif f.get("reason"):
            expl = word(f["reason"]["zh"], f["reason"]["en"])
        elif f.get("step") and f["status"] == "differs":
            s = f["step"]
            expl = word(f"分歧始于 {s['id']}", f"parts at {s['id']}") + (f": {s.get('formula')}" if s.get("formula") else "")
        prec = word(f["precision"]["zh"], f["precision"]["en"]) if f.get("precision") else ""
        ws.append([word(zh, en), f.get("printed") or word(f["label"]["zh"], f["label"]["en"]), f["id"], f.get("claimed"),
                   f.get("recomputed"), f.get("difference"), prec, expl, f.get("where")])
    for row in ws.iter_rows(min_row=4):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(c.value, str) and c.value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                c.data_type, c.quotePrefix = "s", True
    ws.freeze_panes = "A4"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"
    return wb
__all__ = ["Claim", "ClaimLine", "load_claim", "claim_from_dict", "claim_from_workbook", "category_key", "TOTAL_NAMES",
           "claim_template", "check_report_workbook"]
