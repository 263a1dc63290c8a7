"""The printable case report as a list of plain blocks, built from ``Result.to_dict()``.

One builder, two printers (:mod:`assess.reports.html` and :mod:`assess.reports.pdf`): every word and
number of the report is decided here, once, so the HTML and the PDF cannot disagree.  Chinese first
(``lang="zh"``, the default), English on request (``en``) or beside it (``both``).

Contents (issue 16; SH-42 一案一卷): cover (case, jurisdiction, rules date, tool and parameter-set
versions, SHA-256 of the inputs, the total in figures and in 大写); the ledger of CC-1235 with each
line's bill of quantities, subtotal and surcharges; a bar chart of the categories (and of the
uncertainty band when the result carries one); routing decisions; deadlines with their status on the
report date; liability and instalments where present; warnings; the full trace and the quoted text
of every rule cited as appendices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Iterable, Iterator

from assess.law.categories import CATEGORIES
from factors.money import fmt_grouped
from factors.printed import daxie as money_daxie
from factors.store import ParameterStore, default_store

LANGS = ("zh", "en", "both")


# ---------------------------------------------------------------------------- blocks

@dataclass
class Heading:
    level: int          # 1 section, 2 subsection
    text: str


@dataclass
class Para:
    text: str
    style: str = "normal"   # normal | small | note | total


@dataclass
class Column:
    title: str
    weight: float = 1.0     # share of the table width
    align: str = "L"        # L | R | C


@dataclass
class Row:
    cells: list[str]
    style: str = "normal"   # normal | sub | total


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row]
    caption: str = ""
    key: str = ""           # stable name (tests, CSS hooks)


@dataclass
class Bar:
    label: str
    value: Decimal
    low: Decimal | None = None    # uncertainty band (P5) when known
    high: Decimal | None = None   # (P95)
    text: str = ""                # the number printed beside the bar


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    note: str = ""


@dataclass
class TraceLine:
    depth: int
    head: str
    details: list[str] = field(default_factory=list)


@dataclass
class Tree:
    title: str
    lines: list[TraceLine]


@dataclass
class PageBreak:
    pass


Block = Heading | Para | Table | Chart | Tree | PageBreak


@dataclass
class Report:
    """What the printers need: the blocks, the running header and the facts a test checks."""

    lang: str
    title: str
    running_header: str
    blocks: list[Block]
    total: str            # grouped figures, e.g. 543,185.29
    total_daxie: str
    rule_ids: list[str]


# ---------------------------------------------------------------------------- language

class _Lang:
    def __init__(self, lang: str) -> None:
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}")
        self.lang = lang

    def __call__(self, zh: str, en: str) -> str:
        """A short label: zh, en, or 'zh / en'."""
        if self.lang == "both":
            return zh if zh == en else f"{zh} / {en}"
        return zh if self.lang == "zh" else en

    def d(self, label: dict[str, str] | None, sep: str = " / ") -> str:
        """A {zh, en} label (user text often has the same string in both)."""
        if not label:
            return ""
        zh, en = label.get("zh") or label.get("en") or "", label.get("en") or label.get("zh") or ""
        if self.lang == "both":
            return zh if zh == en else f"{zh}{sep}{en}"
        return zh if self.lang == "zh" else en

    def p(self, label: dict[str, str] | None) -> str:
        """A sentence: in ``both`` the English goes on its own line."""
        return self.d(label, "\n")


def money(value: Any) -> str:
    return fmt_grouped(Decimal(str(value)))


# ---------------------------------------------------------------------------- rule IDs

def _walk(node: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    if not node:
        return
    yield node
    for child in node.get("children", []):
        yield from _walk(child)


def _trees(d: dict[str, Any]) -> list[tuple[dict[str, str], dict[str, Any]]]:
    out = [({"zh": "赔偿清单", "en": "Ledger"}, d.get("trace"))]
    if d.get("law_trace"):
        out.append(({"zh": "适用规则", "en": "Law in force"}, d["law_trace"]))
    if d.get("routing_trace"):
        out.append(({"zh": "程序路径", "en": "Routing"}, d["routing_trace"]))
    if d.get("deadlines_trace"):
        out.append(({"zh": "程序期限", "en": "Deadlines"}, d["deadlines_trace"]))
    if d.get("liability"):
        out.append(({"zh": "责任与支付", "en": "Liability"}, d["liability"].get("trace")))
    if d.get("schedule"):
        out.append(({"zh": "分期履行", "en": "Instalments"}, d["schedule"].get("trace")))
    return [(t, n) for t, n in out if n]


def cited_rules(d: dict[str, Any]) -> list[str]:
    """Every rule ID the result cites (trace nodes, decisions, deadlines, fund lines), in first-seen order."""
    seen: dict[str, None] = {}

    def add(rule: Any) -> None:
        if isinstance(rule, str) and rule:
            seen.setdefault(rule, None)

    for c in CATEGORIES:
        add(d["ledger"][c.key].get("rule"))
    for _t, tree in _trees(d):
        for node in _walk(tree):
            add(node.get("rule"))
    routing = d.get("routing") or {}
    for dec in routing.get("decisions", []):
        add(dec.get("rule"))
    dl = d.get("deadlines") or {}
    for item in dl.get("items", []):
        add(item.get("rule"))
    cons = dl.get("consultation") or {}
    add(cons.get("rule"))
    for r in cons.get("reasons", []):
        add(r.get("rule"))
    for line in ((d.get("liability") or {}).get("funds") or {}).get("lines", []):
        add(line.get("rule"))
    return list(seen)


# ---------------------------------------------------------------------------- builder

STATUS = {"met": ("已遵守", "met"), "missed": ("已逾期", "missed"), "pending": ("待办", "pending"),
          "cannot_compute": ("无法计算", "cannot compute"), "not_applicable": ("不适用", "not applicable")}


def build_report(d: dict[str, Any], lang: str = "zh", inputs: Iterable[tuple[str, str]] = (),
                 report_date: date | None = None, store: ParameterStore | None = None) -> Report:
    """The report of one result (``Result.to_dict()``).

    ``inputs``: (file name, SHA-256 hex) of every input file, computed by the caller (the app layer
    owns files); ``report_date``: the date the deadlines' status refers to (default: the deadlines'
    own ``today``, else today).
    """
    t = _Lang(lang)
    store = store or default_store()
    dl = d.get("deadlines") or {}
    on = report_date or (date.fromisoformat(dl["today"]) if dl.get("today") else date.today())
    total = money(d["ledger"]["total"])
    daxie = money_daxie(d["ledger"]["total"])
    rules = cited_rules(d)
    title = t("生态环境损害赔偿计算报告", "Ecological damage compensation assessment report")
    blocks: list[Block] = []
    blocks += _cover(d, t, title, inputs, on, total, daxie, store)
    blocks += _ledger(d, t, total, daxie)
    if d.get("routing"):
        blocks += _routing(d["routing"], t)
    if dl:
        blocks += _deadlines(dl, t)
    if d.get("liability"):
        blocks += _liability(d["liability"], t)
    if d.get("schedule"):
        blocks += _schedule(d["schedule"], t)
    if d.get("uncertainty"):
        blocks += _uncertainty(d["uncertainty"], t)
    blocks += _warnings(d.get("warnings") or [], t)
    blocks += _appendix_trace(d, t)
    blocks += _appendix_rules(d, rules, t, store)
    header = f"{d['case_id']} · {t('生态环境损害赔偿计算报告', 'Compensation assessment report')} · " \
             f"{t('参数集', 'parameter set')} {d['parameter_set']}"
    return Report(lang=lang, title=title, running_header=header, blocks=_number_sections(blocks, lang),
                  total=total, total_daxie=daxie, rule_ids=rules)


_ZH_NUM = "一二三四五六七八九十"


def _number_sections(blocks: list[Block], lang: str) -> list[Block]:
    """一、二、… (zh) or 1. 2. … before the level-1 headings after the cover."""
    n = 0
    for b in blocks:
        if isinstance(b, Heading) and b.level == 1 and not b.text.startswith(("附录", "Appendix")):
            n += 1
            b.text = (f"{_ZH_NUM[n - 1]}、" if lang != "en" else f"{n}. ") + b.text
    return blocks


def _cover(d: dict[str, Any], t: _Lang, title: str, inputs: Iterable[tuple[str, str]], on: date,
           total: str, daxie: str, store: ParameterStore) -> list[Block]:
    jur = store.jurisdictions.get(d["jurisdiction"], {}).get("name") or {}
    case_title = d.get("case_title") or ""
    rows = [
        Row([t("案件编号", "Case"), d["case_id"]]),
        *([Row([t("案件名称", "Title"), case_title])] if case_title else []),
        Row([t("法域", "Jurisdiction"), f"{t.d(jur)} ({d['jurisdiction']})" if jur else d["jurisdiction"]]),
        Row([t("适用规则日期", "Rules in force on"), d["rules_date"]]),
        *[Row([t.d(v.get("label")) or k, f"{v.get('date')}（{v.get('from')}）"])
          for k, v in (d.get("law_in_force") or {}).items() if isinstance(v, dict)],
        Row([t("报告日期（期限状态截至）", "Report date (deadline status as of)"), on.isoformat()]),
        Row([t("工具版本", "Tool version"), f"eco-damage-assess {d['tool_version']}"]),
        Row([t("参数集版本（规则数据 SHA-256 前12位）", "Parameter set (SHA-256 of the rule data, first 12)"),
             d["parameter_set"]]),
    ]
    for name, digest in inputs:
        rows.append(Row([t("输入文件指纹 SHA-256", "Input fingerprint SHA-256") + f"\n{name}", digest]))
    rows += [Row([t("赔偿总额（小写）", "Total (figures)"), f"¥{total} " + t("元", "yuan")], "total"),
             Row([t("赔偿总额（大写）", "Total (in words)"), f"人民币{daxie}"], "total")]
    return [
        Para(title, "title"),
        Table([Column(t("项目", "Item"), 1.2), Column(t("内容", "Value"), 2.2)], rows, key="cover"),
        Para(t("本报告由计算工具依据所列输入文件和参数集自动生成；打印件可凭输入文件指纹与参数集版本核对来源。"
               "金额按行四舍五入至分，合计为各行之和。",
               "Generated by the calculator from the input files and parameter set listed; a printed page can be "
               "matched to its inputs by the fingerprints and the parameter-set version. Each line is rounded "
               "half-up to the fen; totals are exact sums of the lines."), "note"),
        PageBreak(),
    ]


def _short(zh: str, en: str, t: _Lang) -> str:
    return t(zh, en)


SHORT = {  # chart labels
    "interim_service_loss": ("期间服务功能损失", "Interim loss"),
    "permanent_loss": ("永久性损害损失", "Permanent loss"),
    "assessment_costs": ("调查、鉴定评估费用", "Assessment costs"),
    "remediation_costs": ("清除污染、修复费用", "Clean-up & restoration"),
    "prevention_costs": ("防止损害扩大费用", "Prevention costs"),
}
CAT_NO = "一二三四五"


def _ledger(d: dict[str, Any], t: _Lang, total: str, daxie: str) -> list[Block]:
    led = d["ledger"]
    yuan = t("金额（元）", "Amount (yuan)")
    rows = [Row([f"（{CAT_NO[c.number - 1]}）", t(c.zh, c.en), c.rule, money(led[c.key]["amount"])]) for c in CATEGORIES]
    if (led.get("rounding") or {}).get("adjustment") is not None:   # a total rounded to a stated step
        rows.append(Row(["", t("尾数调整", "Rounding adjustment") + f"（{led['rounding']['basis']}）", "",
                         money(led["rounding"]["adjustment"])]))
    rows.append(Row(["", t("合计", "Total"), "CC-1235", total], "total"))
    rows.append(Row(["", t("合计（大写）", "Total in words") + f"：人民币{daxie}", "", ""], "total"))
    out: list[Block] = [
        Heading(1, t("赔偿清单（《民法典》第一千二百三十五条）", "Compensation ledger (Civil Code Art. 1235)")),
        Table([Column(t("序号", "No."), 0.55, "C"), Column(t("类别", "Category"), 4.2), Column(t("依据", "Rule"), 1.1),
               Column(yuan, 1.6, "R")], rows, key="ledger"),
        Chart(t("各类别金额（元）", "Amount per category (yuan)"),
              [Bar(t(*SHORT[c.key]), Decimal(led[c.key]["amount"]), text=money(led[c.key]["amount"])) for c in CATEGORIES]),
    ]
    trace = d.get("trace") or {}
    for c in CATEGORIES:
        cat = led[c.key]
        out.append(Heading(2, f"（{CAT_NO[c.number - 1]}）{t(c.zh, c.en)}　{money(cat['amount'])} {t('元', 'yuan')}"
                              f"　[{c.rule}]"))
        if not cat["items"]:
            out.append(Para(t("本案无此类项目。", "No line in this category."), "small"))
            continue
        items = [Row([i["id"], t.d(i["label"]), i.get("source") or "",
                      t("是", "yes") if i.get("counted", True) else t("否（仅核对）", "no (cross-check)"),
                      money(i["amount"])]) for i in cat["items"]]
        items.append(Row(["", t("小计", "Subtotal"), "", "", money(cat["amount"])], "total"))
        out.append(Table([Column(t("编号", "Id"), 0.7), Column(t("名称", "Line"), 3.6), Column(t("来源", "Source"), 1.6),
                          Column(t("计入", "Counted"), 0.8, "C"), Column(yuan, 1.5, "R")], items, key=f"items-{c.key}"))
        for item in cat["items"]:
            node = next((n for n in _walk(trace) if n.get("id") == item["id"]), None)
            if node is not None and node.get("children"):
                out += _item_detail(item, node, t)
    return out


def _inputs(node: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return node.get("inputs") or {}


def _val(spec: dict[str, Any] | None) -> str:
    if not spec:
        return ""
    unit = spec.get("unit") or ""
    if unit == "元":
        try:
            return f"{money(spec.get('value'))} 元"
        except ArithmeticError:   # a range or a note, not one amount
            pass
    return f"{spec.get('value')} {'' if unit == '1' else unit}".strip()


def _item_detail(item: dict[str, Any], node: dict[str, Any], t: _Lang) -> list[Block]:
    """The bill of quantities (quantity × unit price), subtotal and surcharges of one line; else its steps."""
    nodes = list(_walk(node))[1:]
    boq = [n for n in nodes if {"quantity", "unit_price"} <= set(_inputs(n))]
    yuan = t("金额（元）", "Amount (yuan)")
    if boq:
        rows = []
        for n in boq:
            ins = _inputs(n)
            rows.append(Row([_strip_prefix(t.d(n["label"])), str(ins["quantity"].get("value")),
                             ins["quantity"].get("unit") or "", _val(ins["unit_price"]),
                             money(n["result"]["value"])]))
        subtotal = next((n for n in nodes if n.get("id", "").endswith(".subtotal")), None)
        if subtotal is not None:
            rows.append(Row([t("工程费用小计", "Works subtotal"), "", "", "", money(subtotal["result"]["value"])], "sub"))
        for n in nodes:
            ins = _inputs(n)
            if "rate" in ins and n not in boq:
                base = next((v for k, v in ins.items() if k != "rate"), None)
                rows.append(Row([_strip_prefix(t.d(n["label"])), _val(base), t("费率", "rate"), _val(ins["rate"]),
                                 money(n["result"]["value"])]))
        rows.append(Row([t("合计", "Total") + f" {item['id']}", "", "", "", money(node["result"]["value"])], "total"))
        return [Table([Column(t("工程量清单", "Bill of quantities") + f" {item['id']}", 3.2),
                       Column(t("工程量 / 基数", "Quantity / base"), 1.3, "R"), Column(t("单位", "Unit"), 0.8, "C"),
                       Column(t("单价 / 费率", "Unit price / rate"), 1.4, "R"), Column(yuan, 1.4, "R")],
                      rows, key=f"boq-{item['id']}")]
    rows = []
    for n in node.get("children", []):
        res = n.get("result") or {}
        rows.append(Row([t.d(n["label"]), n.get("formula") or "", _val(res)]))
    return [Table([Column(t("计算步骤", "Step") + f" {item['id']}", 3.0), Column(t("公式", "Formula"), 2.4),
                   Column(t("结果", "Result"), 1.6, "R")], rows, key=f"steps-{item['id']}")]


def _strip_prefix(label: str) -> str:
    for p in ("工程量×单价：", "费率：", "quantity × unit price: ", "surcharge: "):
        label = label.replace(p, "")
    return label


def _routing(routing: dict[str, Any], t: _Lang) -> list[Block]:
    out: list[Block] = [Heading(1, t("程序路径", "Routing"))]
    for n in routing.get("notes", []):
        out.append(Para(t.p(n), "note"))
    rows = [Row([t.d(dec["label"]), t.d(dec["outcome_label"]), t.p(dec["reason"]),
                 (dec.get("rule") or "") + (("\n" + _one(dec["citation"], t)) if dec.get("citation") else "")])
            for dec in routing.get("decisions", [])]
    out.append(Table([Column(t("事项", "Decision"), 1.4), Column(t("结论", "Outcome"), 1.6), Column(t("理由", "Reason"), 3.0),
                      Column(t("依据", "Rule"), 1.9)], rows, key="routing"))
    return out


def _one(label: dict[str, str], t: _Lang) -> str:
    """A long citation in one language (Chinese in a bilingual report; the appendix has both)."""
    return label.get("en" if t.lang == "en" else "zh") or ""


def _deadlines(dl: dict[str, Any], t: _Lang) -> list[Block]:
    due_word = {"by": ("届满日", "due"), "not_after": ("最迟送达日", "latest"), "after": ("公告期届满日", "notice ends")}
    rows = []
    for item in dl.get("items", []):
        st = STATUS.get(item["status"], (item["status"], item["status"]))
        if item.get("due"):
            c = item.get("counting") or {}
            kind = {"natural": ("自然日", "natural days"), "working": ("工作日", "working days")}.get(c.get("day_kind"), ("", ""))
            unit = t(*kind) if c.get("unit") == "day" else t("个月", "month(s)")
            period = f"{item['start']['date']} {t('起', 'from')} {c.get('count')} {unit}"
            if c.get("rolled"):
                period += "\n" + t(f"末日 {c['nominal_end']} 为休息日，顺延", f"last day {c['nominal_end']} a rest day, rolled")
            due = f"{t(*due_word.get(item.get('due_kind'), ('届满日', 'due')))}\n{item['due']}"
            done = item["done"]["date"] if item.get("done") else ""
        else:
            period, due, done = t.p(item.get("detail")), "", ""
        rows.append(Row([t.d(item["label"]), period, due, done, t(*st), item.get("rule") or ""]))
    cons = dl.get("consultation")
    if cons:
        state = {"not_started": ("未开始", "not started"), "in_progress": ("进行中", "in progress"),
                 "agreed": ("已达成协议", "agreed"), "deemed_failed": ("可视为磋商未达成一致", "may be deemed failed")}
        rows.append(Row([t("磋商状态", "Consultation"), t.p(cons.get("detail")), "", "",
                         t(*state.get(cons["state"], (cons["state"], cons["state"]))), cons.get("rule") or ""]))
    return [Heading(1, t(f"程序期限（状态截至 {dl['today']}）", f"Procedural deadlines (status as of {dl['today']})")),
            Table([Column(t("事项", "Step"), 1.5), Column(t("起算与期间", "Start and period"), 2.2),
                   Column(t("期限", "Due"), 1.5), Column(t("完成日", "Done"), 1.0, "C"), Column(t("状态", "Status"), 0.9, "C"),
                   Column(t("依据", "Rule"), 1.0)], rows, key="deadlines"),
            Para(t("期间依《民法典》第二百条至第二百零四条计算：起算日不计入；末日为法定休假日的，顺延至其后第一日。",
                   "Periods per Civil Code Arts. 200–204: the start day is not counted; a last day on a statutory rest "
                   "day rolls to the next day."), "small")]


def _liability(li: dict[str, Any], t: _Lang) -> list[Block]:
    yuan = t("金额（元）", "Amount (yuan)")
    rows = [Row([t("赔偿清单合计（第一千二百三十五条）", "Ledger total (Art. 1235)"), "", money(li["compensation"])])]
    p = li.get("punitive")
    if p:
        if p.get("eligible"):
            rows.append(Row([t("惩罚性赔偿", "Punitive award"),
                             f"{money(p['base'])} × {p['multiple']}（{t('上限', 'cap')} {p['cap']}，{p['cap_kind']}）",
                             money(p["award"])]))
            for s in p.get("apportionment", []):
                rows.append(Row([f"　{t('其中', 'of which')} {s['obligor']}", f"{t('份额', 'share')} {s['share']}",
                                 money(s["award"])], "sub"))
        else:
            rows.append(Row([t("惩罚性赔偿：不适用", "Punitive: not eligible"),
                             t("缺少", "missing") + " " + "、".join(p.get("missing", [])), money(p.get("award", "0"))]))
        for f in p.get("fines_not_deducted", []):
            rows.append(Row([t("已处罚款（不扣减）", "Fine imposed (not deducted)"),
                             f"{f.get('kind')} {f.get('date')} {f.get('authority')} {f.get('reference') or ''}".strip(),
                             money(f["amount"])], "sub"))
    rows.append(Row([t("应赔总额", "Gross"), "", money(li["gross"])], "total"))
    for a in li.get("alternative_restoration", []):
        if a.get("kind") == "shortfall":
            rows.append(Row([t("替代修复不足部分（仍须缴纳）", "Shortfall of alternative restoration (still owed)"), "",
                             money(a["value"])], "sub"))
        else:
            rows.append(Row([t("替代修复抵扣", "Alternative restoration") + f" {a['id']}", f"{a.get('kind')}（{a.get('status')}）",
                             "-" + money(a["credited"])]))
    for c in li.get("credits", []):
        rows.append(Row([t("抵扣", "Credit") + f" {c.get('id')}", str(c.get("status") or ""), "-" + money(c["credited"])]))
    rows.append(Row([t("应付净额", "Net owed"), f"人民币{money_daxie(li['net_owed'])}", money(li["net_owed"])], "total"))
    out: list[Block] = [Heading(1, t("责任与支付", "Liability and payment")),
                        Table([Column(t("项目", "Item"), 2.2), Column(t("说明", "Detail"), 3.0), Column(yuan, 1.5, "R")],
                              rows, key="liability")]
    funds = (li.get("funds") or {}).get("by_destination") or {}
    dest = {"restoration_fund": ("生态环境修复资金", "restoration fund"), "treasury": ("上缴国库", "state treasury"),
            "department_recovery": ("返还垫付部门", "recovered by the department")}
    frows = [Row([t(*dest.get(k, (k, k))), money(v["gross"]), money(v["net"])]) for k, v in funds.items() if v.get("gross") != "0.00"]
    if frows:
        out.append(Table([Column(t("资金去向", "Destination"), 2.5), Column(t("应缴（元）", "Gross (yuan)"), 1.5, "R"),
                          Column(t("净额（元）", "Net (yuan)"), 1.5, "R")], frows, key="funds"))
    return out


def _schedule(s: dict[str, Any], t: _Lang) -> list[Block]:
    rows = [Row([str(i["number"]), i["due"], money(i["amount"]), money(i["paid"]), money(i["unpaid"]),
                 money(Decimal(i["interest"]) + Decimal(i.get("accrued_interest") or "0"))]) for i in s.get("instalments", [])]
    rows.append(Row([t("合计", "Total"), "", money(s["deferred"]), "", "", ""], "total"))
    out: list[Block] = [Heading(1, t("分期履行", "Instalments"))]
    if s.get("cash_deposit_counted_as_paid") and Decimal(s["cash_deposit_counted_as_paid"]):
        out.append(Para(t("保证金（视同已付）", "Cash deposit (counted as paid)") + f"：{money(s['cash_deposit_counted_as_paid'])} "
                        + t("元", "yuan")))
    out.append(Table([Column(t("期次", "No."), 0.6, "C"), Column(t("到期日", "Due"), 1.2, "C"), Column(t("金额", "Amount"), 1.4, "R"),
                      Column(t("已付", "Paid"), 1.4, "R"), Column(t("未付", "Unpaid"), 1.4, "R"),
                      Column(t("迟延履行利息", "Delay interest"), 1.4, "R")], rows, key="schedule"))
    facts = [("principal_outstanding", ("未付本金", "Principal outstanding")), ("interest", ("迟延履行利息（已结）", "Interest on late payments")),
             ("outstanding", ("尚欠合计", "Outstanding balance"))]
    for key, label in facts:
        if s.get(key) is not None:
            out.append(Para(f"{t(*label)}：{money(s[key])} {t('元', 'yuan')}"))
    return out


def _uncertainty(u: dict[str, Any], t: _Lang) -> list[Block]:
    cats = u.get("categories") or {}
    rows = [Row([t(*SHORT[c.key]), money(cats[c.key]["p5"]), money(cats[c.key]["p50"]), money(cats[c.key]["p95"])])
            for c in CATEGORIES if c.key in cats]
    tot = u.get("total") or {}
    if tot:
        rows.append(Row([t("合计", "Total"), money(tot["p5"]), money(tot["p50"]), money(tot["p95"])], "total"))
    bars = [Bar(t(*SHORT[c.key]), Decimal(cats[c.key]["p50"]), Decimal(cats[c.key]["p5"]), Decimal(cats[c.key]["p95"]),
                f"{money(cats[c.key]['p5'])} – {money(cats[c.key]['p95'])}") for c in CATEGORIES if c.key in cats]
    return [Heading(1, t("不确定性（不计入赔偿清单）", "Uncertainty (not part of the ledger)")),
            Para(t(f"蒙特卡罗模拟 {u.get('draws')} 次，随机种子 {u.get('seed')}；P5 / P50 / P95，显示时四舍五入至百元。",
                   f"Monte Carlo, {u.get('draws')} draws, seed {u.get('seed')}; P5 / P50 / P95, shown rounded to 100 yuan."),
                 "small"),
            Table([Column(t("类别", "Category"), 2.2), Column("P5", 1.2, "R"), Column("P50", 1.2, "R"), Column("P95", 1.2, "R")],
                  rows, key="uncertainty"),
            Chart(t("各类别 P5–P95 区间（元）", "P5–P95 band per category (yuan)"), bars)]


def _warnings(warnings: list[dict[str, str]], t: _Lang) -> list[Block]:
    out: list[Block] = [Heading(1, t("提示", "Warnings"))]
    if not warnings:
        return out + [Para(t("无。", "None."))]
    rows = [Row([w.get("path", ""), t.p(w)]) for w in warnings]
    return out + [Table([Column(t("字段", "Field"), 1.5), Column(t("提示", "Warning"), 4.5)], rows, key="warnings")]


def _trace_lines(node: dict[str, Any], t: _Lang, depth: int = 0) -> Iterator[TraceLine]:
    kinds = {"input": ("输入", "input"), "parameter": ("参数", "parameter"), "formula": ("公式", "formula"),
             "decision": ("判断", "decision"), "rounding": ("取整", "rounding"), "sum": ("合计", "sum"), "note": ("说明", "note")}
    head = f"[{t(*kinds.get(node['kind'], (node['kind'], node['kind'])))}] {t.d(node['label'])}"
    if node.get("result"):
        head += f" = {_val(node['result'])}"
    details = []
    if node.get("formula"):
        details.append(f"{t('公式', 'formula')}: {node['formula']}")
    for sym, spec in _inputs(node).items():
        details.append(f"{sym} = {_val(spec)}" + (f"  ← {spec['from']}" if spec.get("from") else ""))
    if node.get("note"):
        details.append(t.p(node["note"]))
    rounding = (node.get("result") or {}).get("rounding")
    if rounding:
        details.append(f"{t('取整', 'rounding')}: {t.d(rounding) if isinstance(rounding, dict) else rounding}")
    if node.get("rule"):
        details.append(f"{t('依据', 'source')}: [{node['rule']}] {t.d(node.get('citation'))}")
    yield TraceLine(depth, head, details)
    for child in node.get("children", []):
        yield from _trace_lines(child, t, depth + 1)


def _appendix_trace(d: dict[str, Any], t: _Lang) -> list[Block]:
    out: list[Block] = [PageBreak(), Heading(1, t("附录一　计算过程", "Appendix 1 Calculation trace"))]
    for label, tree in _trees(d):
        out.append(Tree(t.d(label), list(_trace_lines(tree, t))))
    return out


def _appendix_rules(d: dict[str, Any], rules: list[str], t: _Lang, store: ParameterStore) -> list[Block]:
    on = date.fromisoformat(d["rules_date"])
    rows = []
    for rid in rules:
        cit = store.rules[rid].citation if rid in store.rules else {"zh": "", "en": ""}
        quotes = store.quotes(rid, d["jurisdiction"], on) if rid in store.rules else []
        text = "\n".join(f"“{q['quote']}”" for q in quotes) or t("（本工具数据未收录该条原文，请查阅所引文件。）",
                                                                 "(no verbatim text recorded in the tool's data; see the document cited.)")
        rows.append(Row([rid, t.d(cit), text]))
    return [Heading(1, t("附录二　所引规则及原文", "Appendix 2 Rules cited, with their text")),
            Para(t("原文摘自 data/parameters/*.toml 中随参数记录的条文；规则目录见 data/rules.toml。",
                   "Quotes are those recorded with the parameters (data/parameters/*.toml); the catalogue is data/rules.toml."),
                 "small"),
            Table([Column(t("规则编号", "Rule"), 1.0), Column(t("出处", "Citation"), 2.2), Column(t("原文", "Text"), 3.8)],
                  rows, key="rules")]
