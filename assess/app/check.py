"""Checking a claimed ledger against the recomputed one 核对申报金额 (``assess check``).

A court or procurator files the amounts a claim states; the case is recomputed and compared line by
line, to the fen: each category, each line item, the total and any intermediate step the claim
states (a trace step id such as ``D1.lines[2]`` or ``D1.subtotal``).  For a line that differs, the
report names the first step of its calculation (depth-first, in the order the steps are computed)
where the claim's figures part from the recomputed ones; without claimed sub-amounts, the line's
own step.

Claimed-ledger format (JSON)::

    {
      "case_id": "JS-YC-2024-017",                       # optional; must match the case if given
      "total": "543185.29",
      "categories": {"assessment_costs": "80650.00", "4": "425714.79"},   # key, number 1–5 or CC-1235(n)
      "items": [{"id": "D1", "amount": "425714.79",
                 "parts": {"D1.lines[0]": "280497.60", "D1.subtotal": "402759.60"}},
                {"id": "C1", "amount": "68000.00"}],    # or {"D1": "425714.79", "C1": "68000.00"}
      "parts": {"D1.surcharges[0]": "14096.59"}          # optional, steps of any line
    }

``assess run --json`` output (a ``ledger`` section) is accepted as a claim too.  Amounts are strings
or numbers with at most two decimals (commas and a trailing 元 are allowed in strings).

Claimed-ledger format (xlsx): the first sheet (or one named 申报清单 / Claimed / 赔偿清单 Ledger) with a
header row (within the first three rows) holding an id column (``id``, 编号, 项目, item) and an
amount column (``amount_text``, ``amount``, 金额, 申报金额, claimed); one row per category key or number,
line item id, trace step id, or ``total`` / 合计.  A result workbook of ``assess run -o result.xlsx`` is
a valid claim.

Every listed category with a non-zero recomputed amount, and (when the claim lists line items) every
counted line, must be claimed: an unclaimed one is *missing*; a claimed id the recomputed ledger does
not have is *extra*.  Exit codes: 0 everything matches to the fen, 1 differences, 2 bad input.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator

from assess.law.categories import BY_KEY, CATEGORIES, KEYS
from factors.errors import InputError
from factors.money import FEN, MAX_AMOUNT, fmt, fmt_grouped
from factors.trace import TraceNode

TOTAL_NAMES = {"total", "合计", "总额", "赔偿总额", "总计"}
ID_HEADERS = ("id", "编号", "项目", "item", "项目编号")
AMOUNT_HEADERS = ("amount_text", "amount", "金额", "申报金额", "claimed", "金额（元）")
CLAIM_SHEETS = ("申报清单 Claimed", "申报清单", "Claimed", "赔偿清单 Ledger", "赔偿清单", "Ledger")


@dataclass
class Claim:
    """A claimed ledger, normalised: amounts by category key, line or step id; where each was read."""

    case_id: str | None = None
    total: Decimal | None = None
    categories: dict[str, Decimal] = field(default_factory=dict)
    items: dict[str, Decimal] = field(default_factory=dict)
    parts: dict[str, Decimal] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)


def amount(value: Any, where: str) -> Decimal:
    """A claimed amount: exact, finite, at most two decimals."""
    if isinstance(value, bool) or value is None:
        raise InputError(where, "an amount such as \"42600.00\"", value)
    try:
        if isinstance(value, float):
            d = Decimal(repr(value))
        elif isinstance(value, str):
            d = Decimal(value.strip().replace(",", "").replace("，", "").removesuffix("元").removeprefix("¥").strip())
        else:
            d = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        raise InputError(where, "an amount such as \"42600.00\"", value) from None
    if d.is_finite() and abs(d) >= MAX_AMOUNT:
        raise InputError(where, "an amount below 10^20 元", value)
    if not d.is_finite() or d != d.quantize(FEN):
        raise InputError(where, "an amount to the fen (at most two decimals)", value)
    return d


def category_key(name: Any) -> str | None:
    text = str(name).strip()
    if text in KEYS:
        return text
    m = re.fullmatch(r"(?:CC-1235)?[(（]?([1-5一二三四五])[)）]?", text)
    if m:
        n = "一二三四五".find(m.group(1)) + 1 or int(m.group(1))
        return CATEGORIES[n - 1].key
    return None


def load_claim(path: str | Path) -> Claim:
    p = Path(path)
    if not p.is_file():
        raise InputError(str(path), "an existing claimed-ledger file (.json or .xlsx)", "no such file")
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return _claim_xlsx(p)
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise InputError(str(path), "a UTF-8 JSON file") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{p.name}:{exc.lineno}:{exc.colno}", f"valid JSON ({exc.msg})") from None
    return claim_from_dict(data, p.name)


def claim_from_dict(data: Any, name: str = "claim") -> Claim:
    if not isinstance(data, dict):
        raise InputError(name, "a JSON object with total, categories and/or items", type(data).__name__)
    if isinstance(data.get("ledger"), dict):  # an `assess run --json` result
        data = _from_result(data, name)
    problems: list[InputError] = []
    claim = Claim(case_id=data.get("case_id"))
    unknown = set(data) - {"case_id", "total", "categories", "items", "parts", "note", "comment"}
    for k in sorted(unknown):
        problems.append(InputError(f"{name}: {k}", "one of case_id, total, categories, items, parts", "unknown field"))

    def take(target: dict[str, Decimal], key: str, value: Any, where: str) -> None:
        try:
            if key in target or (target is claim.items and key in claim.parts):
                raise InputError(where, "each id once", key)
            target[key] = amount(value, where)
            claim.refs[key] = where
        except InputError as exc:
            problems.append(exc)

    if data.get("total") is not None:
        try:
            claim.total = amount(data["total"], f"{name}: total")
        except InputError as exc:
            problems.append(exc)
    cats = data.get("categories") or {}
    if not isinstance(cats, dict):
        problems.append(InputError(f"{name}: categories", "an object {category: amount}", type(cats).__name__))
        cats = {}
    for k, v in cats.items():
        key = category_key(k)
        if key is None:
            problems.append(InputError(f"{name}: categories.{k}", "a category key (" + ", ".join(KEYS) + ") or number 1–5", k))
        else:
            take(claim.categories, key, v, f"{name}: categories.{k}")
    items = data.get("items") or []
    if isinstance(items, dict):
        items = [{"id": k, "amount": v} for k, v in items.items()]
    if not isinstance(items, list):
        problems.append(InputError(f"{name}: items", "a list of {id, amount, parts}", type(items).__name__))
        items = []
    for i, it in enumerate(items):
        where = f"{name}: items[{i}]"
        if not isinstance(it, dict) or not _is_id(it.get("id")) or "amount" not in it:
            problems.append(InputError(where, "an object with id and amount", _short(it)))
            continue
        take(claim.items, str(it["id"]).strip(), it["amount"], f"{where}.amount")
        item_parts = it.get("parts") or {}
        if not isinstance(item_parts, dict):
            problems.append(InputError(f"{where}.parts", "an object {step id: amount}", type(item_parts).__name__))
            continue
        for k, v in item_parts.items():
            take(claim.parts, str(k), v, f"{where}.parts.{k}")
    parts = data.get("parts") or {}
    if not isinstance(parts, dict):
        problems.append(InputError(f"{name}: parts", "an object {step id: amount}", type(parts).__name__))
        parts = {}
    for k, v in parts.items():
        take(claim.parts, str(k), v, f"{name}: parts.{k}")
    if not problems and claim.total is None and not (claim.categories or claim.items or claim.parts):
        problems.append(InputError(name, "a claimed ledger with a total, categories or items", "nothing claimed"))
    if problems:
        raise InputError.collect(problems)
    return claim


def _is_id(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool) and bool(str(value).strip())


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= 80 else text[:80] + " …"


def _from_result(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The claim held by an ``assess run --json`` result (its ledger section); malformed parts are named."""
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
            problems.append(InputError(where, "an object with amount and items", _short(cat)))
            continue
        cats[k] = cat["amount"]
        lines = cat.get("items", [])
        if not isinstance(lines, list):
            problems.append(InputError(f"{where}.items", "a list of {id, amount}", type(lines).__name__))
            continue
        for i, line in enumerate(lines):
            if not isinstance(line, dict) or not _is_id(line.get("id")) or "amount" not in line:
                problems.append(InputError(f"{where}.items[{i}]", "an object with id and amount", _short(line)))
                continue
            items.append({"id": line["id"], "amount": line["amount"]})
    if problems:
        raise InputError.collect(problems)
    return {"case_id": data.get("case_id"), "total": led.get("total"), "categories": cats, "items": items}


def _claim_xlsx(path: Path) -> Claim:
    from assess.formats.excel import is_empty, read_sheet, sheet_ref

    name, rows = read_sheet(path, CLAIM_SHEETS)
    head = None
    for r, row in enumerate(rows[:3]):
        labels = [str(c.value).strip().lower() if not is_empty(c.value) else "" for c in row]
        id_col = next((labels.index(h) for h in ID_HEADERS if h in labels), None)
        am_col = next((labels.index(h) for h in AMOUNT_HEADERS if h in labels), None)
        if id_col is not None and am_col is not None:
            head = (r, id_col, am_col)
            break
    if head is None:
        raise InputError(sheet_ref(name, "A1"), "a header row (rows 1–3) with an id column (id / 编号 / 项目) and an "
                         "amount column (amount / 金额 / 申报金额)", "none found")
    r0, id_col, am_col = head
    data_rows = rows[r0 + 1:]
    if r0 == 0 and data_rows and any(str(c.value).strip() in ("编号\nId", "编号", "Id") for c in data_rows[0] if c.value):
        data_rows = data_rows[1:]  # a result workbook: hidden keys, then the visible header
    claim = Claim()
    problems: list[InputError] = []
    for row in data_rows:
        if id_col >= len(row) or is_empty(row[id_col].value):
            continue
        key = str(row[id_col].value).strip()
        cell = row[am_col] if am_col < len(row) else None
        where = sheet_ref(name, cell.coord if cell else row[id_col].coord)
        try:
            if key.lower() in TOTAL_NAMES:
                if claim.total is not None:
                    raise InputError(where, "one total row", key)
                claim.total = amount(cell.value if cell else None, where)
                continue
            cat = category_key(key)
            target = claim.categories if cat else claim.items
            key = cat or key
            if key in target:
                raise InputError(where, "each id once", key)
            target[key] = amount(cell.value if cell else None, where)
            claim.refs[key] = where
        except InputError as exc:
            problems.append(exc)
    if not problems and claim.total is None and not (claim.categories or claim.items):
        problems.append(InputError(sheet_ref(name), "rows with claimed amounts", "none"))
    if problems:
        raise InputError.collect(problems)
    return claim


# ----------------------------------------------------------------------------- comparing

@dataclass
class Finding:
    kind: str          # total | category | item | step
    id: str
    label: dict[str, str]
    status: str        # match | differs | missing | extra
    claimed: str | None = None
    recomputed: str | None = None
    difference: str | None = None     # claimed − recomputed
    step: dict[str, Any] | None = None  # for a differing line: where the figures part
    where: str | None = None           # where the claimed figure was read


@dataclass
class Report:
    case_id: str
    rules_date: str
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return all(f.status == "match" for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "rules_date": self.rules_date, "all_match": self.ok,
                "differences": sum(f.status != "match" for f in self.findings),
                "findings": [asdict(f) for f in self.findings]}


def _postorder(node: TraceNode) -> Iterator[TraceNode]:
    for c in node.children:
        yield from _postorder(c)
    yield node


def _node_value(node: TraceNode) -> Decimal | None:
    try:
        return Decimal(str((node.result or {}).get("value")))
    except (InvalidOperation, ValueError):
        return None


def _step(node: TraceNode, claimed: Decimal | None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "label": node.label, "recomputed": (node.result or {}).get("value"),
                           "unit": (node.result or {}).get("unit")}
    if claimed is not None:
        out["claimed"] = fmt(claimed)
    for k in ("formula", "rule"):
        if getattr(node, k):
            out[k] = getattr(node, k)
    if node.inputs:
        out["inputs"] = {k: {kk: vv for kk, vv in v.items() if kk in ("value", "unit", "from")} for k, v in node.inputs.items()}
    return out


def compare(result: Any, claim: Claim) -> Report:
    """Compare ``claim`` with ``result`` (an :class:`assess.reports.result.Result`), line by line."""
    if claim.case_id and claim.case_id != result.case.case_id:
        raise InputError(claim.refs.get("case_id", "claim: case_id"), f"the case id {result.case.case_id!r}",
                         claim.case_id)
    ledger = result.ledger
    out: list[Finding] = []

    def diff(c: Decimal, r: Decimal) -> str:
        return f"{c - r:+.2f}"

    lines = {i.id: i for i in ledger.items()}
    nodes = {n.id: n for n in result.trace.walk()}
    for key in [k for k in claim.items if k not in lines and k in nodes]:  # a step id listed as a line
        claim.parts.setdefault(key, claim.items.pop(key))
    if claim.categories:
        for c in CATEGORIES:
            r = ledger.amount(c.key)
            label = {"zh": f"（{'一二三四五'[c.number - 1]}）{c.zh}", "en": f"({c.number}) {c.en}"}
            if c.key in claim.categories:
                cl = claim.categories[c.key]
                out.append(Finding("category", c.key, label, "match" if cl == r else "differs", fmt(cl), fmt(r),
                                   diff(cl, r), where=claim.refs.get(c.key)))
            elif r != 0:
                out.append(Finding("category", c.key, label, "missing", None, fmt(r)))
    if claim.items:
        for item in ledger.items():
            if item.id in claim.items:
                cl = claim.items[item.id]
                f = Finding("item", item.id, item.label, "match" if cl == item.amount else "differs", fmt(cl),
                            fmt(item.amount), diff(cl, item.amount), where=claim.refs.get(item.id))
                if f.status == "differs":
                    node = next((n for n in _postorder(item.trace) if n.id in claim.parts and n is not item.trace
                                 and _node_value(n) != claim.parts[n.id]), item.trace)
                    f.step = _step(node, claim.parts.get(node.id, cl if node is item.trace else None))
                out.append(f)
            elif item.counted:
                out.append(Finding("item", item.id, item.label, "missing", None, fmt(item.amount)))
    for key, cl in claim.items.items():
        if key in lines:
            continue
        out.append(Finding("item", key, {"zh": key, "en": key}, "extra", fmt(cl), None, where=claim.refs.get(key)))
    for key, cl in claim.parts.items():
        node = nodes.get(key)
        if node is None:
            out.append(Finding("step", key, {"zh": key, "en": key}, "extra", fmt(cl), None, where=claim.refs.get(key)))
            continue
        r = _node_value(node)
        status = "match" if r is not None and r == cl else "differs"
        out.append(Finding("step", key, node.label, status, fmt(cl), fmt(r) if r is not None else None,
                           diff(cl, r) if r is not None else None, where=claim.refs.get(key)))
    if claim.total is not None:
        r = ledger.total
        out.append(Finding("total", "total", {"zh": "赔偿总额", "en": "Total compensation"},
                           "match" if claim.total == r else "differs", fmt(claim.total), fmt(r), diff(claim.total, r)))
    return Report(result.case.case_id, result.on.isoformat(), out)


# ----------------------------------------------------------------------------- text

_STATUS = {
    "match": ("✓", {"zh": "相符", "en": "match"}),
    "differs": ("✗", {"zh": "不符", "en": "differs"}),
    "missing": ("?", {"zh": "缺少", "en": "missing"}),
    "extra": ("+", {"zh": "多出", "en": "extra"}),
}


def _g(value: str | None) -> str:
    return fmt_grouped(Decimal(value)) if value is not None else "—"


def render_report(report: Report, lang: str = "both") -> str:
    from factors.i18n import t

    lines = [t({"zh": f"核对申报金额：案件 {report.case_id}（适用 {report.rules_date} 有效的规则）",
                "en": f"Checking the claimed amounts: case {report.case_id} (rules in force on {report.rules_date})"}, lang)]
    for f in report.findings:
        mark, word = _STATUS[f.status]
        head = f"  {mark} {t(word, lang):<8} {f.id}  {t(f.label, lang)}"
        if f.status in ("match",):
            lines.append(f"{head}: {_g(f.recomputed)}")
        elif f.status == "differs":
            lines.append(f"{head}: " + t({"zh": f"申报 {_g(f.claimed)}，复算 {_g(f.recomputed)}，相差 {f.difference}",
                                          "en": f"claimed {_g(f.claimed)}, recomputed {_g(f.recomputed)}, "
                                                f"difference {f.difference}"}, lang))
        elif f.status == "missing":
            lines.append(f"{head}: " + t({"zh": f"复算 {_g(f.recomputed)}，申报中没有", "en": f"recomputed "
                                          f"{_g(f.recomputed)}, not in the claim"}, lang))
        else:
            lines.append(f"{head}: " + t({"zh": f"申报 {_g(f.claimed)}，复算结果中没有此项", "en": f"claimed "
                                          f"{_g(f.claimed)}, no such line or step in the recomputed ledger"}, lang))
        if f.where and f.status != "match":
            lines.append("        " + t({"zh": f"申报位置 {f.where}", "en": f"claimed at {f.where}"}, lang))
        if f.step:
            s = f.step
            claimed = f"；申报 {_g(s['claimed'])}" if s.get("claimed") else ""
            claimed_en = f", claimed {_g(s['claimed'])}" if s.get("claimed") else ""
            lines.append("        " + t({"zh": f"分歧始于步骤 {s['id']} {s['label']['zh']}：复算 {_g(s['recomputed'])}{claimed}",
                                         "en": f"first step where they part: {s['id']} {s['label']['en']}: recomputed "
                                               f"{_g(s['recomputed'])}{claimed_en}"}, lang))
            if s.get("formula"):
                ins = "; ".join(f"{k} = {v.get('value')} {v.get('unit', '')}".rstrip() for k, v in s.get("inputs", {}).items())
                lines.append(f"          {s['formula']}" + (f"  ({ins})" if ins else ""))
    n = sum(f.status != "match" for f in report.findings)
    lines.append(t({"zh": "结论：全部相符（精确到分）", "en": "Result: everything matches to the fen"}, lang) if n == 0 else
                 t({"zh": f"结论：{n} 处不一致", "en": f"Result: {n} difference(s)"}, lang))
    return "\n".join(lines) + "\n"


def check(case_path: str | Path, claimed_path: str | Path, on: Any = None) -> Report:
    """Recompute the case (JSON or workbook) and compare the claimed ledger with it."""
    from assess.app.api import assess_case
    from assess.app.api import assess_workbook
    from assess.formats.excel import is_workbook

    claim = load_claim(claimed_path)
    result = assess_workbook(case_path, on=on) if is_workbook(case_path) else assess_case(Path(case_path), on=on)
    return compare(result, claim)


__all__ = ["Claim", "Finding", "Report", "load_claim", "claim_from_dict", "compare", "check", "render_report", "BY_KEY"]
