"""Human-readable text of a result, in Chinese (zh), English (en) or both (bilingual labels)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from assess.law.categories import CATEGORIES
from assess.law.findings import ITEM_STATES
from assess.law.lawdates import CIVIL_CODE, FAMILY_LABEL, PRE_CODE_CATEGORIES
from factors.money import fmt_grouped
from factors.i18n import LANGS, t
from factors.store import default_store
from factors.version import parameter_set_version, tool_version



def render_result(result: Any, lang: str = "both", trace: bool = True) -> str:
    """The text of ``result``: :func:`result_lines` joined, trailing blank space cut, one final newline."""
    return "\n".join(result_lines(result, lang, trace)).rstrip() + "\n"


def write_result(result: Any, fh: Any, lang: str = "both", trace: bool = True, size: int = 1 << 16) -> None:
    """Write :func:`render_result`'s text to ``fh`` as it is made (a large trace is never held whole)."""
    buf: list[str] = []
    held = 0
    pending = ""      # trailing blank space: written only if more text follows (render_result's rstrip)
    for i, line in enumerate(result_lines(result, lang, trace)):
        piece = pending + ("\n" if i else "") + line
        kept = piece.rstrip()
        if kept:
            buf.append(kept)
            held += len(kept)
            pending = piece[len(kept):]
        else:
            pending = piece
        if held >= size:
            fh.write("".join(buf))
            buf.clear()
            held = 0
    buf.append("\n")
    fh.write("".join(buf))


def result_lines(result: Any, lang: str = "both", trace: bool = True) -> Iterator[str]:
    """The lines of the text of ``result``, one at a time (the trace node by node)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}")

    case = result.case
    jur = default_store().jurisdictions[case.jurisdiction]["name"]
    lines = [
        f"{t({'zh': '案件', 'en': 'Case'}, lang)}: {case.case_id}" + (f" — {case.title}" if case.title else ""),
        f"{t({'zh': '法域', 'en': 'Jurisdiction'}, lang)}: {t(jur, lang)} ({case.jurisdiction})",
        f"{t({'zh': '适用规则日期', 'en': 'Rules in force on'}, lang)}: {result.on.isoformat()}",
        f"{t({'zh': '版本', 'en': 'Version'}, lang)}: {tool_version()} · "
        f"{t({'zh': '参数集', 'en': 'parameter set'}, lang)} {parameter_set_version()}",
    ]
    law = getattr(result, "law", None)
    if law is not None and law.unusual:   # the default (all on Civil Code dates, own rule set) prints nothing extra
        lines.append(t({"zh": "适用法律（按日期）", "en": "Law in force (by date)"}, lang) + ":")
        for g in law.families.values():
            fam = FAMILY_LABEL[g.family]
            extra = {"zh": f"，理由：{g.reason}", "en": f", reason: {g.reason}"} if g.reason else {"zh": "", "en": ""}
            lines.append("  " + t({"zh": f"{fam['zh']}：{g.date}（{g.field}）→ {g.jurisdiction}{extra['zh']}",
                                   "en": f"{fam['en']}: {g.date} ({g.field}) → {g.jurisdiction}{extra['en']}"}, lang))
            if g.period:
                lines.append("    " + t({"zh": g.period["zh"], "en": g.period["en"]}, lang))
            if g.family == "substantive" and g.date < CIVIL_CODE:
                lines.append("    " + t({k: v.lstrip("；; ") for k, v in PRE_CODE_CATEGORIES.items()}, lang))
    lines += [
        "",
        t({"zh": "赔偿清单（《民法典》第一千二百三十五条）", "en": "Compensation ledger (Civil Code Art. 1235)"}, lang),
    ]
    width = max(len(fmt_grouped(result.ledger.amount(c.key))) for c in CATEGORIES)
    width = max(width, len(fmt_grouped(result.ledger.total)))
    for c in CATEGORIES:
        ct = result.ledger.categories[c.key]
        lines.append(f"  ({c.number}) {fmt_grouped(ct.amount):>{width}} 元  {t(c.label, lang)}")
        for item in ct.items:
            flag = "" if item.counted else "  [" + t({"zh": "仅作核对，不计入", "en": "cross-check, not counted"}, lang) + "]"
            lines.append(f"      {fmt_grouped(item.amount):>{width}} 元  {item.id} {t(item.label, lang)}{flag}")
    rounded = result.ledger.rounded
    if rounded is not None and rounded.rounding.at == "total":
        lines.append(f"      {fmt_grouped(rounded.adjustment):>{width}} 元  {t({'zh': '尾数调整', 'en': 'Rounding adjustment'}, lang)}")
    lines.append(f"  {'=' * (width + 8)}")
    lines.append(f"      {fmt_grouped(result.ledger.total):>{width}} 元  {t({'zh': '合计', 'en': 'Total'}, lang)}")
    default_note = {"zh": "金额按行四舍五入至分，合计为各行之和", "en": "each line rounded half-up to the fen; totals are exact sums"}
    lines.append("  " + t(rounded.trace.note if rounded is not None else default_note, lang))
    if result.routing is not None:
        lines += [""] + render_routing(result.routing, lang)
    if result.deadlines is not None:
        lines += [""] + render_deadlines(result.deadlines, lang)
    lines += render_duties(result, lang)
    lines += render_liability(result, lang)
    lines += render_schedule(result, lang)
    lines += render_statement(result, lang)
    if result.uncertainty is not None:
        lines += [""] + result.uncertainty.render(lang)
    if result.warnings:
        lines += ["", t({"zh": "提示", "en": "Warnings"}, lang)]
        lines += [f"  - {w['path']}: {w[lang] if lang != 'both' else w['zh'] + ' / ' + w['en']}" for w in result.warnings]
    yield from lines
    if trace:
        yield from ["", t({"zh": "计算过程", "en": "Calculation trace"}, lang)]
        for tl in ("zh", "en") if lang == "both" else (lang,):
            if law is not None and law.unusual and getattr(result, "law_trace", None) is not None:
                yield from result.law_trace.render_lines(tl)
            yield from result.trace.render_lines(tl)
            for extra in (result.liability, result.schedule):
                if extra is not None:
                    yield from extra.trace.render_lines(tl)
            yield ""



def render_duties(result: Any, lang: str) -> list[str]:
    """Steps, duties and the case file: one block per finding (only when the case has any)."""
    findings = getattr(result, "duties", None)
    if not findings:
        return []
    lines = ["", t({"zh": "程序步骤、义务与案卷", "en": "Steps, duties and the case file"}, lang)]
    for f in findings:
        rule = f" [{f.rule}]" if f.rule else ""
        lines.append(f"  - {t(f.label, lang)}: {t(f.status_label, lang)}{rule}")
        for tl in ("zh", "en") if lang == "both" else (lang,):
            lines.append(f"      {f.detail[tl]}")
        for item in f.items:
            lines.append("      · " + render_finding_item(item, lang))
    return lines


def render_finding_item(item: dict[str, Any], lang: str) -> str:
    """One listed item of a finding: its name, its state in words, and the date, documents or reason."""
    if "obligor" in item:   # SH-23: what each obligor owes the rights holder, and the recourse against it
        back = f" ← {item['recourse_from']} 元" if item["recourse_from"] else ""
        return f"{item['obligor']} ({item['share']}): {item['owes_rights_holder']} 元{back}"
    name = t(item["label"], lang) if "label" in item else item.get("id", "")
    if "id" in item and "label" not in item and item.get("commissioned_by"):
        name += f" ({item['commissioned_by']})"
    text = name + (f": {t(ITEM_STATES[item['state']], lang)}" if item.get("state") in ITEM_STATES else "")
    tail = item.get("date") or item.get("published") or ", ".join(item.get("documents") or []) or ", ".join(item.get("missing") or [])
    if tail:
        text += f" ({tail})"
    if item.get("reason"):
        text += f" — {t(item['reason'], lang)}"
    return text


def render_liability(result: Any, lang: str) -> list[str]:
    """Gross → punitive → offsets and credits → net, and where the money goes."""
    from assess.law.funds import DESTINATIONS, totals

    li = result.liability
    if li is None:
        return []
    lines = ["", t({"zh": "责任与支付", "en": "Liability and payment"}, lang),
             f"  {fmt_grouped(li.compensation):>16} 元  {t({'zh': '赔偿清单合计（第一千二百三十五条）', 'en': 'Ledger total (Art. 1235)'}, lang)}"]
    p = li.punitive
    if p is not None:
        if not p.available:
            lines.append(f"  {fmt_grouped(p.award):>16} 元  {t({'zh': '惩罚性赔偿', 'en': 'Punitive'}, lang)}: {t(p.finding, lang)}")
        elif p.eligible:
            flag = "  [" + t({"zh": "超过一般上限，已说明理由", "en": "above the usual cap, reason given"}, lang) + "]" if p.over_cap else ""
            cap = (f"{t({'zh': '上限', 'en': 'cap'}, lang)} {p.cap}, {p.cap_kind}" if p.cap is not None
                   else t({"zh": "当时无倍数上限", "en": "no cap in force then"}, lang))
            lines.append(f"  {fmt_grouped(p.award):>16} 元  {t({'zh': '惩罚性赔偿', 'en': 'Punitive award'}, lang)}: "
                         f"{fmt_grouped(p.base)} × {p.multiple} ({cap}){flag}")
            for s in p.shares:
                share = s.share.normalize() if s.share < 1 else s.share
                if share.as_tuple().exponent < -6:   # a share by quantity: shown to 6 places, computed exactly
                    share = f"≈{s.share.quantize(Decimal('0.000001'))}"
                lines.append(f"      {fmt_grouped(s.award):>12} 元  {s.obligor} ({share})")
        else:
            lines.append(f"  {fmt_grouped(p.award):>16} 元  {t({'zh': '惩罚性赔偿：不适用，缺少', 'en': 'Punitive: not eligible, missing'}, lang)} "
                         + ", ".join(p.missing))
        for f in p.fines:
            lines.append(f"  {t({'zh': '已处罚款（不扣减）', 'en': 'fine imposed (not deducted)'}, lang)}: {f['amount']} 元 "
                         f"{f['kind']} {f['date']} {f['authority']}")
    lines.append(f"  {fmt_grouped(li.gross):>16} 元  {t({'zh': '应赔总额', 'en': 'Gross'}, lang)}")
    for a in li.alternatives:
        if a.kind == "shortfall":
            lines.append(f"  {t({'zh': '替代修复不足部分仍须缴纳', 'en': 'shortfall still owed'}, lang)}: {fmt_grouped(a.value)} 元")
        else:
            alt = t({'zh': '替代修复', 'en': 'alternative restoration'}, lang)
            lines.append(f"  {'-' + fmt_grouped(a.credited):>16} 元  {alt} {a.id} ({a.status})")
    for c in li.credits:
        lines.append(f"  {'-' + fmt_grouped(c.credited):>16} 元  {t({'zh': '抵扣', 'en': 'credit'}, lang)} {c.id} ({c.status})")
    lines.append(f"  {fmt_grouped(li.net):>16} 元  {t({'zh': '应付净额', 'en': 'Net owed'}, lang)}")
    if li.joint is not None:   # 连带责任 (CC-178): each owes up to the whole; internal shares and recourse
        lines.append("  " + t({"zh": "连带责任", "en": "Joint and several liability"}, lang) + f" [{li.joint.rule}]: {li.joint.basis}")
        for x in li.joint.lines:
            lines.append(f"      {fmt_grouped(x.internal):>12} 元  {x.obligor} "
                         + t({"zh": f"内部份额；对外至多 {fmt_grouped(x.owes_up_to)} 元，全额承担后可追偿 "
                                    f"{fmt_grouped(x.recourse_if_pays_whole)} 元",
                              "en": f"internal share; owes up to {fmt_grouped(x.owes_up_to)}, recourse "
                                    f"{fmt_grouped(x.recourse_if_pays_whole)} if it pays the whole"}, lang))
    lines.append("  " + t({"zh": "资金去向", "en": "Where the money goes"}, lang))
    for key, v in totals(li.funds).items():
        if v["gross"] != "0.00":
            lines.append(f"    {fmt_grouped(Decimal(v['net'])):>14} 元  {t(DESTINATIONS[key], lang)}")
    return lines


def render_schedule(result: Any, lang: str) -> list[str]:
    """The instalment schedule and, with payments, the statement."""
    s = result.schedule
    if s is None:
        return []
    lines = ["", t({"zh": "分期赔付计划", "en": "Instalment schedule"}, lang)]
    if s.deposit:
        lines.append(f"  {t({'zh': '保证金（视同已付）', 'en': 'cash deposit (counted as paid)'}, lang)}: {fmt_grouped(s.deposit)} 元")
    head = {"zh": "期  到期日        金额            已付            利息", "en": "#   due           amount          paid            interest"}
    lines.append("  " + t(head, lang) if lang != "both" else "  " + head["en"])
    for i in s.instalments:
        lines.append(f"  {i.number:<3} {i.due.isoformat()}  {fmt_grouped(i.amount):>14}  {fmt_grouped(i.paid):>14}  "
                     f"{fmt_grouped(i.interest + i.accrued):>10}")
    lines.append(f"      {t({'zh': '合计', 'en': 'total'}, lang):<10}  {fmt_grouped(s.deferred):>14}")
    if s.payments or s.accrued:
        lines += [f"  {t({'zh': '对账单截至', 'en': 'Statement as of'}, lang)} {s.as_of.isoformat()}",
                  f"    {t({'zh': '未付本金', 'en': 'principal outstanding'}, lang)}: {fmt_grouped(s.principal_outstanding)} 元",
                  f"    {t({'zh': '迟延履行利息（已结）', 'en': 'interest on late payments'}, lang)}: {fmt_grouped(s.interest)} 元",
                  f"    {t({'zh': '已付利息', 'en': 'interest paid'}, lang)}: {fmt_grouped(s.interest_paid)} 元",
                  f"    {t({'zh': '未付部分计至对账日的利息', 'en': 'interest running on unpaid parts'}, lang)}: {fmt_grouped(s.accrued)} 元",
                  f"    {t({'zh': '尚欠合计', 'en': 'outstanding balance'}, lang)}: {fmt_grouped(s.outstanding)} 元"]
    if s.rate is None:
        lines.append("    " + t({"zh": "不计迟延履行利息（未经司法确认的协议未约定利率）",
                                   "en": "no delay interest (unconfirmed agreement sets no rate)"}, lang))
    return lines


def render_statement(result: Any, lang: str) -> list[str]:
    """Fines recorded (never deducted) and payments made without an instalment plan."""
    s = getattr(result, "statement", None)
    if s is None:
        return []
    lines = ["", t({"zh": "履行情况", "en": "Payments and penalties"}, lang)]
    for f in s.fines:
        lines.append(f"  {t({'zh': '已处罚款（不扣减）', 'en': 'fine imposed (not deducted)'}, lang)}: {f['amount']} 元 "
                     f"{f['kind']} {f['date']} {f['authority']}")
    if s.payments:
        owed = {"liability.net": {"zh": "应付净额", "en": "net owed"}, "ledger.total": {"zh": "赔偿清单合计", "en": "ledger total"}}
        lines.append(f"  {t(owed[s.owed_source], lang)}: {fmt_grouped(s.owed)} 元")
        for p in s.payments:
            kind = {"payment": {"zh": "支付", "en": "paid"}, "escrow": {"zh": "提存", "en": "deposited in escrow"}}[p["kind"]]
            lines.append(f"    {p['date']}  {t(kind, lang)}  {fmt_grouped(Decimal(p['amount'])):>14} 元")
        lines.append(f"  {t({'zh': '尚欠', 'en': 'still owed'}, lang)}: {fmt_grouped(s.still_owed)} 元")
    return lines


def _line(label: dict[str, str], lang: str) -> str:
    return t(label, lang) if lang != "both" else f"{label['zh']} / {label['en']}"


def render_routing(routing, lang: str = "both") -> list[str]:
    """The routing decisions, one block per decision: outcome, reason, rule (``Result.routing``)."""
    lines = [t({"zh": "程序路径", "en": "Routing"}, lang)]
    for n in routing.notes:
        lines.append(f"  * {_line(n, lang)}")
    for d in routing.decisions:
        rule = f" [{d.rule}]" if d.rule else ""
        lines.append(f"  - {t(d.label, lang)}: {t(d.outcome_label, lang)}{rule}")
        for tl in ("zh", "en") if lang == "both" else (lang,):
            lines.append(f"      {d.reason[tl]}")
    return lines


def render_deadlines(deadlines, lang: str = "both") -> list[str]:
    """Every procedural date with its start event, due date and status on ``deadlines.today``."""
    head = {"zh": f"程序期限（截至 {deadlines.today.isoformat()}）", "en": f"Procedural deadlines (as of {deadlines.today.isoformat()})"}
    lines = [t(head, lang)]
    due_word = {"by": {"zh": "届满日", "en": "due"}, "not_after": {"zh": "最迟送达日", "en": "latest"},
                "after": {"zh": "公告期届满日（其后方可裁定）", "en": "notice period ends (ruling after it)"}}
    for d in deadlines.items:
        rule = f" [{d.rule}]" if d.rule else ""
        status = t({"zh": STATUS_LABEL_ZH[d.status], "en": d.status.replace("_", " ")}, lang)
        if d.due is None:
            lines.append(f"  - {t(d.label, lang)}: {status}{rule}")
            for tl in ("zh", "en") if lang == "both" else (lang,):
                lines.append(f"      {d.detail[tl]}")
            continue
        lines.append(f"  - {t(d.label, lang)}: {t(due_word[d.due_kind], lang)} {d.due.isoformat()} — {status}{rule}")
        start = f"{d.start['field']} {d.start['date']}"
        done = f"; {d.done['field']} {d.done['date']}" if d.done else ""
        c = d.counting
        kind = {"natural": {"zh": "自然日", "en": "natural days"}, "working": {"zh": "工作日", "en": "working days"}}[c["day_kind"]]
        unit = t(kind, lang) if c["unit"] == "day" else t({"zh": "个月", "en": "month(s)"}, lang)
        lines.append(f"      {start}; {c['count']} {unit}{done}")
        if c.get("rolled"):
            lines.append("      " + t({"zh": f"期间最后一日 {c['nominal_end']} 为休息日，顺延（民法典第二百零三条）",
                                       "en": f"last day {c['nominal_end']} is a rest day, rolled (CC Art. 203)"}, lang))
        if d.detail:
            lines.append(f"      {t(d.detail, lang)}")
    c = deadlines.consultation
    rule = f" [{c.rule}]" if c.rule else ""
    state = {"not_started": {"zh": "未开始", "en": "not started"}, "in_progress": {"zh": "进行中", "en": "in progress"},
             "agreed": {"zh": "已达成协议", "en": "agreed"}, "deemed_failed": {"zh": "可视为磋商未达成一致", "en": "may be deemed failed"}}
    lines.append(f"  - {t({'zh': '磋商状态', 'en': 'Consultation'}, lang)}: {t(state[c.state], lang)}{rule}")
    lines.append(f"      {t(c.detail, lang)}")
    for r in c.reasons:
        tag = f" [{r['rule']}]" if r["rule"] else ""
        when = f" {r['date']}" if r["date"] else ""
        lines.append(f"      · {t(r['label'], lang)}{tag} ← {r['field']}{when}")
    return lines


STATUS_LABEL_ZH = {"met": "已遵守", "missed": "已逾期", "pending": "待办", "cannot_compute": "无法计算", "not_applicable": "不适用"}
