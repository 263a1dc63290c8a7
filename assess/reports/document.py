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
from assess.law.credits import ALT_LABEL
from assess.reports.wording import translate
from factors.i18n import N_, label, message
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

    def __call__(self, msgid: str, /, **fields: Any) -> str:
        """A message of the ``report`` catalogue (English id, Chinese in report.po): zh, en, or 'zh / en'."""
        return message("report", msgid, self.lang, **fields)

    def d(self, label: dict[str, str] | None, sep: str = " / ") -> str:
        """A {zh, en} label (user text often has the same string in both)."""
        if not label:
            return ""
        zh, en = label.get("zh") or label.get("en") or "", label.get("en") or label.get("zh") or ""
        zh = translate(zh, "zh", values=False)    # English the law layer left in a Chinese text (wording.py)
        if self.lang == "both":
            return zh if zh == en else f"{zh}{sep}{en}"
        return zh if self.lang == "zh" else en

    def p(self, label: dict[str, str] | None) -> str:
        """A sentence: in ``both`` the English goes on its own line."""
        return self.d(label, "\n")

    @property
    def colon(self) -> str:
        """The colon after a label: full-width in Chinese."""
        return "：" if self.lang == "zh" else ": "

    def x(self, text: Any) -> str:
        """A formula, code or value of the trace with its English words in the report's language (wording.py)."""
        text = "" if text is None else str(text)
        zh = translate(text, "zh")
        if self.lang == "both":
            return text if zh == text else f"{zh} / {text}"
        return zh if self.lang == "zh" else text


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
    out = [(label("report", "Ledger"), d.get("trace"))]
    if d.get("law_trace"):
        out.append((label("report", "Law in force"), d["law_trace"]))
    if d.get("routing_trace"):
        out.append((label("report", "Routing"), d["routing_trace"]))
    if d.get("deadlines_trace"):
        out.append((label("report", "Deadlines"), d["deadlines_trace"]))
    if d.get("liability"):
        out.append((label("report", "Liability"), d["liability"].get("trace")))
    if d.get("schedule"):
        out.append((label("report", "Instalments"), d["schedule"].get("trace")))
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

STATUS = {"met": N_("met"), "missed": N_("missed"), "pending": N_("pending"),
          "cannot_compute": N_("cannot compute"), "not_applicable": N_("not applicable")}


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
    title = t("Ecological damage compensation assessment report")
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
    header = f"{d['case_id']} · {t('Compensation assessment report')} · " \
             f"{t('parameter set')} {d['parameter_set']}"
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
        Row([t("Case"), d["case_id"]]),
        *([Row([t("Title"), case_title])] if case_title else []),
        Row([t("Jurisdiction"), f"{t.d(jur)} ({d['jurisdiction']})" if jur else d["jurisdiction"]]),
        Row([t("Rules in force on"), d["rules_date"]]),
        *[Row([t.d(v.get("label")) or k, f"{v.get('date')}（{v.get('from')}）"])
          for k, v in (d.get("law_in_force") or {}).items() if isinstance(v, dict)],
        Row([t("Report date (deadline status as of)"), on.isoformat()]),
        Row([t("Tool version"), f"eco-damage-assess {d['tool_version']}"]),
        Row([t("Parameter set (SHA-256 of the rule data, first 12)"),
             d["parameter_set"]]),
    ]
    for name, digest in inputs:
        rows.append(Row([t("Input fingerprint SHA-256") + f"\n{name}", digest]))
    rows += [Row([t("Total (figures)"), f"¥{total} " + t("yuan")], "total"),
             Row([t("Total (in words)"), f"人民币{daxie}"], "total")]
    return [
        Para(title, "title"),
        Table([Column(t("Item"), 1.2), Column(t("Value"), 2.2)], rows, key="cover"),
        Para(t("Generated by the calculator from the input files and parameter set listed; a printed page can be "
               "matched to its inputs by the fingerprints and the parameter-set version. Each line is rounded "
               "half-up to the fen; totals are exact sums of the lines."), "note"),
        PageBreak(),
    ]


SHORT = {  # chart labels
    "interim_service_loss": N_("Interim loss"),
    "permanent_loss": N_("Permanent loss"),
    "assessment_costs": N_("Assessment costs"),
    "remediation_costs": N_("Clean-up & restoration"),
    "prevention_costs": N_("Prevention costs"),
}
CAT_NO = "一二三四五"


def _ledger(d: dict[str, Any], t: _Lang, total: str, daxie: str) -> list[Block]:
    led = d["ledger"]
    yuan = t("Amount (yuan)")
    rows = [Row([f"（{CAT_NO[c.number - 1]}）", t.d({"zh": c.zh, "en": c.en}), c.rule, money(led[c.key]["amount"])]) for c in CATEGORIES]
    if (led.get("rounding") or {}).get("adjustment") is not None:   # a total rounded to a stated step
        rows.append(Row(["", t("Rounding adjustment") + f"（{led['rounding']['basis']}）", "",
                         money(led["rounding"]["adjustment"])]))
    rows.append(Row(["", t("Total"), "CC-1235", total], "total"))
    rows.append(Row(["", t("Total in words") + f"：人民币{daxie}", "", ""], "total"))
    out: list[Block] = [
        Heading(1, t("Compensation ledger (Civil Code Art. 1235)")),
        Table([Column(t("No."), 0.55, "C"), Column(t("Category"), 4.2), Column(t("Rule"), 1.1),
               Column(yuan, 1.6, "R")], rows, key="ledger"),
        Chart(t("Amount per category (yuan)"),
              [Bar(t(SHORT[c.key]), Decimal(led[c.key]["amount"]), text=money(led[c.key]["amount"])) for c in CATEGORIES]),
    ]
    trace = d.get("trace") or {}
    for c in CATEGORIES:
        cat = led[c.key]
        out.append(Heading(2, f"（{CAT_NO[c.number - 1]}）{t.d({'zh': c.zh, 'en': c.en})}　{money(cat['amount'])} {t('yuan')}"
                              f"　[{c.rule}]"))
        if not cat["items"]:
            out.append(Para(t("No line in this category."), "small"))
            continue
        items = [Row([i["id"], t.d(i["label"]), i.get("source") or "",
                      t("yes") if i.get("counted", True) else t("no (cross-check)"),
                      money(i["amount"])]) for i in cat["items"]]
        items.append(Row(["", t("Subtotal"), "", "", money(cat["amount"])], "total"))
        out.append(Table([Column(t("Id"), 1.0), Column(t("Line"), 3.3), Column(t("Source"), 1.6),
                          Column(t("Counted"), 1.0, "C"), Column(yuan, 1.5, "R")], items, key=f"items-{c.key}"))
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
    yuan = t("Amount (yuan)")
    if boq:
        rows = []
        for n in boq:
            ins = _inputs(n)
            rows.append(Row([_strip_prefix(t.d(n["label"])), str(ins["quantity"].get("value")),
                             ins["quantity"].get("unit") or "", _val(ins["unit_price"]),
                             money(n["result"]["value"])]))
        subtotal = next((n for n in nodes if n.get("id", "").endswith(".subtotal")), None)
        if subtotal is not None:
            rows.append(Row([t("Works subtotal"), "", "", "", money(subtotal["result"]["value"])], "sub"))
        for n in nodes:
            ins = _inputs(n)
            if "rate" in ins and n not in boq:
                base = next((v for k, v in ins.items() if k != "rate"), None)
                rows.append(Row([_strip_prefix(t.d(n["label"])), _val(base), t("rate"), _val(ins["rate"]),
                                 money(n["result"]["value"])]))
        rows.append(Row([t("Total") + f" {item['id']}", "", "", "", money(node["result"]["value"])], "total"))
        return [Table([Column(t("Bill of quantities") + f" {item['id']}", 3.2),
                       Column(t("Quantity / base"), 1.3, "R"), Column(t("Unit"), 0.8, "C"),
                       Column(t("Unit price / rate"), 1.4, "R"), Column(yuan, 1.4, "R")],
                      rows, key=f"boq-{item['id']}")]
    rows = []
    for n in node.get("children", []):
        res = n.get("result") or {}
        rows.append(Row([t.d(n["label"]), t.x(n.get("formula") or ""), t.x(_val(res))]))
    return [Table([Column(t("Calculation step") + f" {item['id']}", 3.0), Column(t("Formula"), 2.4),
                   Column(t("Result"), 1.6, "R")], rows, key=f"steps-{item['id']}")]


def _strip_prefix(label: str) -> str:
    for p in ("工程量×单价：", "费率：", "quantity × unit price: ", "surcharge: "):
        label = label.replace(p, "")
    return label


def _routing(routing: dict[str, Any], t: _Lang) -> list[Block]:
    out: list[Block] = [Heading(1, t("Routing"))]
    for n in routing.get("notes", []):
        out.append(Para(t.p(n), "note"))
    rows = [Row([t.d(dec["label"]), t.d(dec["outcome_label"]), t.p(dec["reason"]),
                 (dec.get("rule") or "") + (("\n" + _one(dec["citation"], t)) if dec.get("citation") else "")])
            for dec in routing.get("decisions", [])]
    out.append(Table([Column(t("Decision"), 1.4), Column(t("Outcome"), 1.6), Column(t("Reason"), 3.0),
                      Column(t("Rule"), 1.9)], rows, key="routing"))
    return out


def _one(label: dict[str, str], t: _Lang) -> str:
    """A long citation in one language (Chinese in a bilingual report; the appendix has both)."""
    return label.get("en" if t.lang == "en" else "zh") or ""


def _deadlines(dl: dict[str, Any], t: _Lang) -> list[Block]:
    due_word = {"by": N_("due"), "not_after": N_("latest"), "after": N_("notice ends")}
    rows = []
    for item in dl.get("items", []):
        st = STATUS.get(item["status"], item["status"])
        if item.get("due"):
            c = item.get("counting") or {}
            kind = {"natural": N_("natural days"), "working": N_("working days")}.get(c.get("day_kind"), "")
            unit = t(kind) if c.get("unit") == "day" else t("month(s)")
            period = f"{item['start']['date']} {t('from')} {c.get('count')} {unit}"
            if c.get("rolled"):
                period += "\n" + t("last day {day} a rest day, rolled", day=c['nominal_end'])
            due = f"{t(due_word.get(item.get('due_kind'), 'due'))}\n{item['due']}"
            done = item["done"]["date"] if item.get("done") else ""
        else:
            period, due, done = t.p(item.get("detail")), "", ""
        rows.append(Row([t.d(item["label"]), period, due, done, t(st), item.get("rule") or ""]))
    cons = dl.get("consultation")
    if cons:
        state = {"not_started": N_("not started"), "in_progress": N_("in progress"),
                 "agreed": N_("agreed"), "deemed_failed": N_("may be deemed failed")}
        rows.append(Row([t("Consultation"), t.p(cons.get("detail")), "", "",
                         t(state.get(cons["state"], cons["state"])), cons.get("rule") or ""]))
    return [Heading(1, t("Procedural deadlines (status as of {today})", today=dl['today'])),
            Table([Column(t("Step"), 1.5), Column(t("Start and period"), 2.2),
                   Column(t("Due"), 1.5), Column(t("Done"), 1.0, "C"), Column(t("Status"), 0.9, "C"),
                   Column(t("Rule"), 1.0)], rows, key="deadlines"),
            Para(t("Periods per Civil Code Arts. 200–204: the start day is not counted; a last day on a statutory rest "
                   "day rolls to the next day."), "small")]


def _liability(li: dict[str, Any], t: _Lang) -> list[Block]:
    yuan = t("Amount (yuan)")
    rows = [Row([t("Ledger total (Art. 1235)"), "", money(li["compensation"])])]
    p = li.get("punitive")
    if p:
        if p.get("eligible"):
            rows.append(Row([t("Punitive award"),
                             f"{money(p['base'])} × {p['multiple']}（" + (f"{t('cap')} {p['cap']}，{t.x(p['cap_kind'])}" if p.get("cap") is not None
                                                              else t.x("no cap in force")) + "）",
                             money(p["award"])]))
            for s in p.get("apportionment", []):
                rows.append(Row([f"　{t('of which')} {s['obligor']}", f"{t('share')} {s['share']}",
                                 money(s["award"])], "sub"))
        else:
            rows.append(Row([t("Punitive: not eligible"),
                             t("missing") + " " + "、".join(p.get("missing", [])), money(p.get("award", "0"))]))
        for f in p.get("fines_not_deducted", []):
            rows.append(Row([t("Fine imposed (not deducted)"),
                             f"{t.x(f.get('kind'))} {f.get('date')} {f.get('authority')} {f.get('reference') or ''}".strip(),
                             money(f["amount"])], "sub"))
    rows.append(Row([t("Gross"), "", money(li["gross"])], "total"))
    for a in li.get("alternative_restoration", []):
        if a.get("kind") == "shortfall":
            rows.append(Row([t("Shortfall of alternative restoration (still owed)"), "",
                             money(a["value"])], "sub"))
        else:
            rows.append(Row([t("Alternative restoration") + f" {a['id']}", f"{t.d(ALT_LABEL.get(a['kind'])) or a['kind']}（{t.x(a.get('status'))}）",
                             "-" + money(a["credited"])]))
    for c in li.get("credits", []):
        rows.append(Row([t("Credit") + f" {c.get('id')}", t.x(c.get("status") or ""), "-" + money(c["credited"])]))
    rows.append(Row([t("Net owed"), f"人民币{money_daxie(li['net_owed'])}", money(li["net_owed"])], "total"))
    out: list[Block] = [Heading(1, t("Liability and payment")),
                        Table([Column(t("Item"), 2.2), Column(t("Detail"), 3.0), Column(yuan, 1.5, "R")],
                              rows, key="liability")]
    funds = (li.get("funds") or {}).get("by_destination") or {}
    dest = {"restoration_fund": N_("restoration fund"), "treasury": N_("state treasury"),
            "department_recovery": N_("recovered by the department")}
    frows = [Row([t(dest.get(k, k)), money(v["gross"]), money(v["net"])]) for k, v in funds.items() if v.get("gross") != "0.00"]
    if frows:
        out.append(Table([Column(t("Destination"), 2.5), Column(t("Gross (yuan)"), 1.5, "R"),
                          Column(t("Net (yuan)"), 1.5, "R")], frows, key="funds"))
    return out


def _schedule(s: dict[str, Any], t: _Lang) -> list[Block]:
    rows = [Row([str(i["number"]), i["due"], money(i["amount"]), money(i["paid"]), money(i["unpaid"]),
                 money(Decimal(i["interest"]) + Decimal(i.get("accrued_interest") or "0"))]) for i in s.get("instalments", [])]
    rows.append(Row([t("Total"), "", money(s["deferred"]), "", "", ""], "total"))
    out: list[Block] = [Heading(1, t("Instalments"))]
    if s.get("cash_deposit_counted_as_paid") and Decimal(s["cash_deposit_counted_as_paid"]):
        out.append(Para(t("Cash deposit (counted as paid)") + f"：{money(s['cash_deposit_counted_as_paid'])} "
                        + t("yuan")))
    out.append(Table([Column(t("Instalment"), 0.6, "C"), Column(t("Due date"), 1.2, "C"), Column(t("Amount"), 1.4, "R"),
                      Column(t("Paid"), 1.4, "R"), Column(t("Unpaid"), 1.4, "R"),
                      Column(t("Delay interest"), 1.4, "R")], rows, key="schedule"))
    facts = [("principal_outstanding", N_("Principal outstanding")), ("interest", N_("Interest on late payments")),
             ("outstanding", N_("Outstanding balance"))]
    for key, fact in facts:
        if s.get(key) is not None:
            out.append(Para(f"{t(fact)}：{money(s[key])} {t('yuan')}"))
    return out


def _uncertainty(u: dict[str, Any], t: _Lang) -> list[Block]:
    cats = u.get("categories") or {}
    rows = [Row([t(SHORT[c.key]), money(cats[c.key]["p5"]), money(cats[c.key]["p50"]), money(cats[c.key]["p95"])])
            for c in CATEGORIES if c.key in cats]
    tot = u.get("total") or {}
    if tot:
        rows.append(Row([t("Total"), money(tot["p5"]), money(tot["p50"]), money(tot["p95"])], "total"))
    bars = [Bar(t(SHORT[c.key]), Decimal(cats[c.key]["p50"]), Decimal(cats[c.key]["p5"]), Decimal(cats[c.key]["p95"]),
                f"{money(cats[c.key]['p5'])} – {money(cats[c.key]['p95'])}") for c in CATEGORIES if c.key in cats]
    return [Heading(1, t("Uncertainty (not part of the ledger)")),
            Para(t("Monte Carlo, {draws} draws, seed {seed}; P5 / P50 / P95, shown rounded to 100 yuan.", draws=u.get('draws'),
                   seed=u.get('seed')),
                 "small"),
            Table([Column(t("Category"), 2.2), Column("P5", 1.2, "R"), Column("P50", 1.2, "R"), Column("P95", 1.2, "R")],
                  rows, key="uncertainty"),
            Chart(t("P5–P95 band per category (yuan)"), bars)]


def _warnings(warnings: list[dict[str, str]], t: _Lang) -> list[Block]:
    out: list[Block] = [Heading(1, t("Warnings"))]
    if not warnings:
        return out + [Para(t("None."))]
    rows = [Row([w.get("path", ""), t.p(w)]) for w in warnings]
    return out + [Table([Column(t("Field"), 1.5), Column(t("Warning"), 4.5)], rows, key="warnings")]


def _trace_lines(node: dict[str, Any], t: _Lang, depth: int = 0) -> Iterator[TraceLine]:
    kinds = {"input": N_("input"), "parameter": N_("parameter"), "formula": N_("formula"),
             "decision": N_("decision"), "rounding": N_("rounding"), "sum": N_("sum"), "note": N_("note")}
    head = f"[{t(kinds.get(node['kind'], node['kind']))}] {t.d(node['label'])}"
    if node.get("result"):
        head += f" = {t.x(_val(node['result']))}"
    details = []
    if node.get("formula"):
        details.append(f"{t('formula')}{t.colon}{t.x(node['formula'])}")
    for sym, spec in _inputs(node).items():
        details.append(f"{sym} = {t.x(_val(spec))}" + (f"  ← {t.x(spec['from'])}" if spec.get("from") else ""))
    if node.get("note"):
        details.append(t.p(node["note"]))
    rounding = (node.get("result") or {}).get("rounding")
    if rounding:
        details.append(f"{t('rounding')}{t.colon}{t.d(rounding) if isinstance(rounding, dict) else t.x(rounding)}")
    if node.get("rule"):
        details.append(f"{t('source')}{t.colon}[{node['rule']}] {t.d(node.get('citation'))}")
    yield TraceLine(depth, head, details)
    for child in node.get("children", []):
        yield from _trace_lines(child, t, depth + 1)


def _appendix_trace(d: dict[str, Any], t: _Lang) -> list[Block]:
    out: list[Block] = [PageBreak(), Heading(1, t("Appendix 1 Calculation trace"))]
    for title, tree in _trees(d):
        out.append(Tree(t.d(title), list(_trace_lines(tree, t))))
    return out


def _appendix_rules(d: dict[str, Any], rules: list[str], t: _Lang, store: ParameterStore) -> list[Block]:
    on = date.fromisoformat(d["rules_date"])
    rows = []
    for rid in rules:
        cit = store.rules[rid].citation if rid in store.rules else {"zh": "", "en": ""}
        quotes = store.quotes(rid, d["jurisdiction"], on) if rid in store.rules else []
        text = "\n".join(f"“{q['quote']}”" for q in quotes) or t("(no verbatim text recorded in the tool's data; see the document cited.)")
        rows.append(Row([rid, t.d(cit), text]))
    return [Heading(1, t("Appendix 2 Rules cited, with their text")),
            Para(t("Quotes are those recorded with the parameters (data/parameters/*.toml); the catalogue is data/rules.toml."),
                 "small"),
            Table([Column(t("Rule ID"), 1.0), Column(t("Citation"), 2.2), Column(t("Text"), 3.8)],
                  rows, key="rules")]
