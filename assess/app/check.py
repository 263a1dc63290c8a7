"""Checking a claim or judgment against the recomputed case 核对起诉状、判决书金额 (``assess check``).

A judge or procurator holds a claim (起诉状) or a judgment with figures in 元 and 万元.  ``assess check
CASE --claimed CLAIM`` compares every figure it states with the recomputed one: the five categories and
their lines, intermediate steps (E × C, the engineering subtotal, a multiplier or γ, a discounted sum),
the punitive base, multiple, award and each obligor's share, alternative restoration, credits and the net
owed, instalment amounts and due dates, delayed-performance interest.  Each figure is matched to its
trace step by an id or by the label printed (:func:`assess.reports.figures.resolve`), and compared at the
precision it was printed with (``320.3728万元`` to the 元; ``5.7万余元`` as a lower bound), which the
report states, so rounding never shows as a difference.

First the claim's own arithmetic is checked, with no case at all: do its categories add up to its total,
its shares to the award, base × multiple to the award, gross − offsets − credits to the net, its
instalments to their total, and every line to the lines it says it sums (``sum_of``)?  A clerk with only
the claim gets that check alone (``assess check --claimed CLAIM``).

A real difference is reported once: a figure whose difference is only that of its parts (the claim's
own arithmetic holds given its differing parts) is marked *follows* and points to the figure where the
computation parts; that root names the first differing trace step with its formula and citation.
Statuses: ``match``, ``differs``, ``follows`` (from another difference), ``missing`` (recomputed, not
claimed), ``extra`` (claimed, no such figure), ``not_recomputable`` (the case lacks the input, named).
Exit codes: 0 every figure matches; 1 any other status; 2 bad input.  The claim formats are in
:mod:`assess.formats.claims`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from assess.app.api import assess_case, assess_workbook
from assess.formats.claims import Claim, ClaimLine, category_key, claim_from_dict, load_claim
from assess.formats.excel import is_workbook
from assess.law.categories import BY_KEY, CATEGORIES, KEYS
from assess.law.punitive import obligor_weights
from assess.law.rounding import step_label
from assess.reports.figures import (
    ADJUSTMENT,
    RELATIONS,
    Figure,
    Relation,
    collect,
    evaluate,
    expand,
    obligor_names,
    resolve,
    trace_relations,
)
from factors.errors import InputError
from factors.i18n import t
from factors.money import FEN, allocate, fmt, fmt_grouped, to_display_step, to_step
from factors.printed import PrintedAmount
from factors.trace import TraceNode


@dataclass
class Finding:
    kind: str                # total | category | item | step | figure
    id: str                  # the figure's id (a trace step id, ledger.<key>, punitive.multiple …) or the name printed
    label: dict[str, str]
    status: str              # match | differs | follows | missing | extra | not_recomputable
    claimed: str | None = None
    recomputed: str | None = None
    difference: str | None = None     # claimed − recomputed
    step: dict[str, Any] | None = None  # for a difference: the first step where the figures part
    where: str | None = None           # where the claimed figure was read
    printed: str | None = None         # the label as printed
    precision: dict[str, str] | None = None
    follows_from: list[str] | None = None
    reason: dict[str, str] | None = None
    unit: str | None = "元"            # None for a number (a multiple) or a date


@dataclass
class Arithmetic:
    """One relation of the claim's own figures: does it hold at the printed precision?"""

    relation: dict[str, str]
    result: str                  # the line whose figure is checked
    operands: list[str]
    claimed: str
    computed: str
    holds: bool
    difference: str | None = None
    where: str | None = None
    lines: list[str] = field(default_factory=list)       # where each figure involved was read
    explained_by: list[str] | None = None                 # differing figures (against the case) that explain it
    rounding: dict[str, str] | None = None                # holds at the case's stated rounding of the total (尾数调整 not listed)


@dataclass
class Report:
    case_id: str | None
    rules_date: str | None
    findings: list[Finding]
    arithmetic: list[Arithmetic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.status == "match" for f in self.findings) and all(a.holds for a in self.arithmetic)

    @property
    def differences(self) -> int:
        """Real differences: each counted once (a figure that follows from another is not counted)."""
        return sum(f.status in ("differs", "missing", "extra") for f in self.findings) + \
            sum(not a.holds and not a.explained_by for a in self.arithmetic)

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "rules_date": self.rules_date, "all_match": self.ok,
                "differences": self.differences,
                "not_recomputable": sum(f.status == "not_recomputable" for f in self.findings),
                "arithmetic": [asdict(a) for a in self.arithmetic],
                "findings": [asdict(f) for f in self.findings]}


# ----------------------------------------------------------------------------- the claim's own arithmetic

def _claimed_values(claim: Claim, ids: list[str | None]) -> dict[str, tuple[ClaimLine, Decimal]]:
    out: dict[str, tuple[ClaimLine, Decimal]] = {}
    for ln, fid in zip(claim.lines, ids, strict=True):
        if fid is None or fid in out:
            continue
        if ln.amount is not None and not ln.amount.lower_bound:
            out[fid] = (ln, ln.amount.value)
        elif ln.value is not None:
            out[fid] = (ln, ln.value)
    return out


def _at_stated_rounding(ln: ClaimLine, computed: Decimal, rounded: Any) -> dict[str, str] | None:
    """Why a claimed total that is not the sum of its printed parts still holds: the case rounds the award at
    the total (``rounding: {step, at: total, basis}``, assess/law/rounding.py) and the claim does not print the
    尾数调整 line; the sum rounded half-up to the step is what the claim states, at its printed precision."""
    if rounded is None or rounded.rounding.at != "total" or ln.amount is None or ln.amount.lower_bound:
        return None
    r = rounded.rounding
    target = to_step(computed, r.step)
    if not ln.amount.matches(target):
        return None
    adj, lab = target - computed, step_label(r.step)
    return {"zh": f"按案件所述合计取整（至{lab['zh']}，四舍五入；依据：{r.basis}）：{fmt_grouped(computed)} → "
                  f"{fmt_grouped(target)}，尾数调整 {adj:+.2f}（申报未单列）",
            "en": f"at the case's stated rounding of the total (half-up to {lab['en']}; basis: {r.basis}): "
                  f"{fmt_grouped(computed)} → {fmt_grouped(target)}, rounding adjustment {adj:+.2f} (not listed in the claim)"}


def claim_arithmetic(claim: Claim, ids: list[str | None], rounded: Any = None) -> list[Arithmetic]:
    """The claim's own relations (no case needed): sums, base × multiple, net, instalments, ``sum_of``.

    ``rounded``: the case's stated rounding (``Ledger.rounded``); a total rounded at the total holds when
    its printed parts, rounded to the step, give it (the claim may or may not list the 尾数调整)."""
    values = _claimed_values(claim, ids)
    nums = {k: v for k, (_, v) in values.items()}
    out: list[Arithmetic] = []
    for rel in RELATIONS:
        if rel.result not in values:
            continue
        ln, _ = values[rel.result]
        ops = expand(rel.operands, set(values))
        names = [o.removeprefix("-") for o in ops]
        fixed = [o.removeprefix("-") for o in rel.operands if not o.endswith("*")]
        if rel.result == "ledger.total":
            have = [o for o in names if o in values]
            if not have:
                continue
            computed = evaluate(rel, {**nums, **{o: Decimal(0) for o in names if o not in values}}, ops)  # nil if not printed
            names = have
        else:
            if any(o not in values for o in fixed) or not names or any(o not in values for o in names):
                continue
            computed = evaluate(rel, nums, ops)
        if computed is None or ln.amount is None:
            continue
        holds = ln.amount.matches(computed)
        note = None
        if not holds and rel.result == "ledger.total" and ADJUSTMENT not in values:
            note = _at_stated_rounding(ln, computed, rounded)
            holds = note is not None
        out.append(Arithmetic(rel.label, ln.name, [values[o][0].name for o in names], fmt(ln.amount.value), fmt(computed),
                              holds, None if holds else f"{ln.amount.value - computed:+.2f}", ln.where,
                              [ln.where] + [values[o][0].where for o in names], rounding=note))
    by_name = {}
    by_id = {id(ln): fid for ln, fid in zip(claim.lines, ids, strict=True)}
    for ln, fid in zip(claim.lines, ids, strict=True):
        by_name.setdefault(ln.label, ln)
        if ln.id:
            by_name.setdefault(ln.id, ln)
        if fid:
            by_name.setdefault(fid, ln)
    for ln, fid in zip(claim.lines, ids, strict=True):
        if not ln.sum_of or ln.amount is None:
            continue
        parts = [by_name.get(s) for s in ln.sum_of]
        unknown = [s for s, p in zip(ln.sum_of, parts, strict=True) if p is None or p.amount is None]
        if unknown:
            raise InputError(f"{ln.where}.sum_of", "the labels or ids of other lines of the claim that carry an amount",
                             ", ".join(unknown))
        computed = sum((p.amount.value for p in parts), Decimal(0))
        holds = ln.amount.matches(computed)
        note = None
        if not holds and fid == "ledger.total" and not any(by_id.get(id(p)) == ADJUSTMENT for p in parts):
            note = _at_stated_rounding(ln, computed, rounded)
            holds = note is not None
        out.append(Arithmetic({"zh": "所列各项之和", "en": "the lines it sums"}, ln.name, [p.name for p in parts],
                              fmt(ln.amount.value), fmt(computed), holds,
                              None if holds else f"{ln.amount.value - computed:+.2f}", ln.where,
                              [ln.where] + [p.where for p in parts], rounding=note))
    failing = [a for a in out if not a.holds]
    for a in failing:   # a relation that fails only through another failing relation's figure repeats it
        hit = [b.result for b in failing if b is not a and b.where in a.lines[1:]]
        if hit:
            a.explained_by = hit
    return out


# ----------------------------------------------------------------------------- comparing with the case

def _kind(fid: str, ln: ClaimLine) -> str:
    if fid == "ledger.total":
        return "total"
    if fid.startswith("ledger.") and fid[7:] in KEYS:
        return "category"
    if ln.label is None and ln.parent is None and "." not in fid and "[" not in fid:
        return "item"
    return "step" if ln.label is None else "figure"


def _public_id(fid: str) -> str:
    """The id shown for a figure: category keys and ``total`` as the ledger names them."""
    if fid == "ledger.total":
        return "total"
    if fid.startswith("ledger.") and fid[7:] in KEYS:
        return fid[7:]
    return fid


def _step(node: TraceNode | None, claimed: Decimal | None = None) -> dict[str, Any] | None:
    if node is None:
        return None
    out: dict[str, Any] = {"id": node.id, "label": node.label, "recomputed": (node.result or {}).get("value"),
                           "unit": (node.result or {}).get("unit")}
    if claimed is not None:
        out["claimed"] = fmt(claimed)
    for k in ("formula", "rule"):
        if getattr(node, k):
            out[k] = getattr(node, k)
    if node.citation:
        out["citation"] = node.citation
    if node.inputs:
        out["inputs"] = {k: {kk: vv for kk, vv in v.items() if kk in ("value", "unit", "from")} for k, v in node.inputs.items()}
    return out


_MISSING_INPUT = (
    ("punitive.", {"zh": "案件未提出惩罚性赔偿请求（punitive）", "en": "the case has no punitive claim (punitive)"}),
    ("instalments", {"zh": "案件无分期赔付计划（instalment_plan）", "en": "the case has no instalment plan (instalment_plan)"}),
    ("alternative.", {"zh": "案件无替代修复（alternative_restoration）", "en": "the case has no alternative restoration "
                                                                         "(alternative_restoration)"}),
    ("credit.", {"zh": "案件无抵扣项（credits）", "en": "the case has no credits (credits)"}),
    (ADJUSTMENT, {"zh": "案件未说明合计取整（rounding: {step, at: total, basis}），没有尾数调整",
                  "en": "the case states no rounding at the total (rounding: {step, at: total, basis}): no rounding adjustment"}),
    ("liability.", {"zh": "案件无惩罚性赔偿、替代修复、抵扣或分期（无应付净额）",
                    "en": "the case has no punitive claim, alternative restoration, credits or instalments (no net owed)"}),
)


def compare(result: Any, claim: Claim) -> Report:
    """Compare every figure of ``claim`` with ``result`` (an :class:`assess.reports.result.Result`)."""
    if claim.case_id and claim.case_id != result.case.case_id:
        raise InputError(f"{claim.name}: case_id", f"the case id {result.case.case_id!r}", claim.case_id)
    figs = collect(result)
    obligors = obligor_names(result)
    ids = [resolve(ln.label, ln.id, ln.section, figs, obligors) for ln in claim.lines]
    arithmetic = claim_arithmetic(claim, [resolve(ln.label, ln.id, ln.section, None) for ln in claim.lines],
                                  result.ledger.rounded)
    findings: list[Finding] = []
    claimed: dict[str, tuple[ClaimLine, Finding]] = {}
    for ln, fid in zip(claim.lines, ids, strict=True):
        findings.append(_compare_line(ln, fid, figs, claimed))
    _mark_follows(claimed, figs, result)
    findings += _missing(result, claim, claimed, figs)
    differing = {f.where: f for f in findings if f.status in ("differs", "follows") and f.where}
    for a in arithmetic:
        if not a.holds:
            hit = [differing[w].printed or differing[w].id for w in a.lines if w in differing]
            a.explained_by = hit or None
    return Report(result.case.case_id, result.on.isoformat(), findings, arithmetic)


def _compare_line(ln: ClaimLine, fid: str | None, figs: dict[str, Figure],
                  claimed: dict[str, tuple[ClaimLine, Finding]]) -> Finding:
    name = {"zh": ln.name, "en": ln.name}
    shown = ln.amount.text if ln.amount is not None else (str(ln.value) if ln.value is not None else
                                                           ln.date.isoformat() if ln.date else None)
    if fid is None:
        return Finding("figure", ln.name, name, "extra", shown, where=ln.where, printed=ln.label,
                       reason={"zh": "没有此名称的数字；请给出其编号（如 D1.lines[2]、punitive.base）",
                               "en": "no figure of this name; give its id (e.g. D1.lines[2], punitive.base)"})
    fig = figs.get(fid)
    kind = _kind(fid, ln)
    if fig is None:
        reason = next((r for prefix, r in _MISSING_INPUT if fid.startswith(prefix)), None)
        status = "not_recomputable" if reason else "extra"
        return Finding(kind, _public_id(fid), name, status, shown, where=ln.where, printed=ln.label,
                       reason=reason or {"zh": "复算结果中没有此项或此步骤", "en": "no such line or step in the recomputed case"})
    f = Finding(kind, _public_id(fid), fig.label, "match", shown, where=ln.where, printed=ln.label)
    if fid in claimed:
        raise InputError(ln.where, "each figure once", f"{ln.name} (also {claimed[fid][0].where})")
    claimed[fid] = (ln, f)
    if fig.kind == "date":
        f.unit = None
        f.recomputed = fig.value.isoformat()
        if ln.date is None:
            f.status = "not_recomputable"
            f.reason = {"zh": "此项为日期，申报行没有日期", "en": "this figure is a date; the claim line gives none"}
            return f
        f.claimed = ln.date.isoformat()
        f.status = "match" if ln.date == fig.value else "differs"
        if f.status == "differs":
            f.difference = f"{(ln.date - fig.value).days:+d} days"
            f.step = _step(fig.node)
        return f
    if fig.kind == "number" or (ln.amount is None and ln.value is not None):
        value = ln.value if ln.value is not None else (ln.amount.value if ln.amount else None)
        f.unit = None
        f.recomputed = str(fig.value)
        f.claimed = None if value is None else str(value)
        if value is None or not isinstance(fig.value, Decimal):
            f.status = "not_recomputable"
            f.reason = {"zh": "申报数字的类型与复算结果不同", "en": "the claimed figure is not of the recomputed kind"}
            return f
        # a number is compared at the decimals printed: 7.13 hm² matches 7.1252… hm² rounded half-up to 0.01
        exp = min(value.as_tuple().exponent, 0)
        shown = to_display_step(fig.value, Decimal(1).scaleb(exp)) if exp < 0 else fig.value
        if exp < 0 and shown != fig.value:
            f.precision = {"zh": f"按申报所列小数位（{-exp}位）比较", "en": f"compared at the {-exp} decimals printed"}
        f.unit = None
        f.status = "match" if value == shown or value == fig.value else "differs"
        if f.status == "differs":
            f.difference = f"{value - fig.value:+}"
            f.step = _step(fig.node)
        return f
    if ln.amount is None:
        f.status = "not_recomputable"
        f.reason = {"zh": "申报行没有金额", "en": "the claim line has no amount"}
        return f
    if ln.date is not None:   # an instalment printed with amount and date: the date is a figure too
        due = figs.get(f"{fid}.due")
        if due is not None and due.value != ln.date:
            f.reason = {"zh": f"到期日不符：申报 {ln.date}，复算 {due.value}", "en": f"due date differs: claimed {ln.date}, "
                                                                           f"recomputed {due.value}"}
            f.status = "differs"
    rec = fig.value
    f.recomputed = fmt(rec)
    f.claimed = fmt(ln.amount.value)
    f.precision = ln.amount.precision_text
    if not ln.amount.matches(rec):
        f.status = "differs"
        f.difference = f"{ln.amount.value - rec:+.2f}"
        f.step = _step(fig.node, ln.amount.value)
    return f


def _relations(figs: dict[str, Figure]) -> list[tuple[Relation, list[str]]]:
    out = []
    steps = {k for k, f in figs.items() if not f.is_input}   # a wildcard stands for steps, never their inputs
    for rel in (*RELATIONS, *trace_relations(figs)):
        out.append((rel, expand(rel.operands, steps)))
    return out


def _mark_follows(claimed: dict[str, tuple[ClaimLine, Finding]], figs: dict[str, Figure], result: Any) -> None:
    """A differing figure whose claimed value the claim's own parts explain follows from those parts."""
    rels = _relations(figs)
    _mark_shares(claimed, result)
    differing = {fid for fid, (_, f) in claimed.items() if f.status == "differs" and f.difference and "days" not in f.difference}

    def value(fid: str) -> Decimal | None:
        if fid in claimed:
            ln, _ = claimed[fid]
            if ln.amount is not None and not ln.amount.lower_bound:
                return ln.amount.value
            if ln.value is not None:
                return ln.value
        f = figs.get(fid)
        if f is None and fid == ADJUSTMENT:   # no rounding at the total: the total is the plain sum
            return Decimal(0)
        return f.value if f is not None and isinstance(f.value, Decimal) else None

    for fid in list(differing):
        ln, finding = claimed[fid]
        if ln.amount is None or finding.status == "follows":
            continue
        for rel, ops in rels:
            if rel.result != fid or not ops:
                continue
            names = [o.removeprefix("-") for o in ops]
            vals = {o: value(o) for o in names}
            if any(v is None for v in vals.values()):
                continue
            parts = [o for o in names if o in differing]
            if not parts:
                continue
            computed = evaluate(rel, vals, ops)  # type: ignore[arg-type]
            if computed is not None and ln.amount.matches(computed):
                finding.status = "follows"
                finding.follows_from = [_public_id(p) for p in parts]
                break
    # each follower points at the step where its root parts
    for fid, (_, finding) in claimed.items():
        if finding.status != "follows":
            continue
        seen, cur = set(), fid
        while claimed.get(cur) and claimed[cur][1].status == "follows" and cur not in seen:
            seen.add(cur)
            nxt = claimed[cur][1].follows_from[0]
            cur = next((k for k in claimed if _public_id(k) == nxt), nxt)
        root = claimed.get(cur)
        if root is not None and root[1].step is not None:
            finding.step = root[1].step


def _mark_shares(claimed: dict[str, tuple[ClaimLine, Finding]], result: Any) -> None:
    """An obligor's share that is the claimed (differing) award split by the case's shares follows from the award."""
    li = result.liability
    if li is None or li.punitive is None or "punitive.award" not in claimed:
        return
    award_ln, award_f = claimed["punitive.award"]
    if award_f.status != "differs" or award_ln.amount is None or award_ln.amount.lower_bound:
        return
    shares = li.punitive.shares
    try:
        split = allocate(award_ln.amount.value.quantize(FEN), obligor_weights(result.case.obligors)[0])
    except ValueError:
        return
    for s, part in zip(shares, split, strict=True):
        fid = f"punitive.apportion.{s.obligor}"
        if fid in claimed:
            ln, f = claimed[fid]
            if f.status == "differs" and ln.amount is not None and ln.amount.matches(part):
                f.status, f.follows_from = "follows", ["punitive.award"]


def _missing(result: Any, claim: Claim, claimed: dict[str, tuple[ClaimLine, Finding]], figs: dict[str, Figure]) -> list[Finding]:
    """Recomputed figures a complete claim should state: non-zero categories; every counted line once lines are listed."""
    out = []
    lists_categories = any(k.startswith("ledger.") and k[7:] in KEYS for k in claimed)
    if lists_categories:
        for c in CATEGORIES:
            fid = f"ledger.{c.key}"
            if fid not in claimed and result.ledger.amount(c.key) != 0:
                out.append(Finding("category", c.key, figs[fid].label, "missing", None, fmt(result.ledger.amount(c.key))))
    lines = {i.id: i for i in result.ledger.items()}
    lists_items = any(fid in lines for fid in claimed)
    if lists_items:
        for item in result.ledger.items():
            if item.id not in claimed and item.counted:
                out.append(Finding("item", item.id, item.label, "missing", None, fmt(item.amount)))
    return out


def check_claim_only(claim: Claim) -> Report:
    """The claim's own arithmetic, with no case (a clerk holding only the claim)."""
    ids = [resolve(ln.label, ln.id, ln.section, None) for ln in claim.lines]
    return Report(claim.case_id, None, [], claim_arithmetic(claim, ids))


# ----------------------------------------------------------------------------- text

_STATUS = {
    "match": ("✓", {"zh": "相符", "en": "match"}),
    "differs": ("✗", {"zh": "不符", "en": "differs"}),
    "follows": ("→", {"zh": "随之不符", "en": "follows"}),
    "missing": ("?", {"zh": "缺少", "en": "missing"}),
    "extra": ("+", {"zh": "多出", "en": "extra"}),
    "not_recomputable": ("·", {"zh": "无法复算", "en": "not recomputable"}),
}


def _g(value: str | None) -> str:
    if value is None:
        return "—"
    try:
        return fmt_grouped(Decimal(value))
    except ArithmeticError:
        return value


def render_report(report: Report, lang: str = "both") -> str:
    """The check as a judge reads it: Chinese first, one line per figure, then where the computation parts."""
    if report.rules_date:
        head = {"zh": f"核对申报金额：案件 {report.case_id}（适用 {report.rules_date} 有效的规则）",
                "en": f"Checking the claimed amounts: case {report.case_id} (rules in force on {report.rules_date})"}
    else:
        head = {"zh": "核对申报金额：仅核对申报文书自身的计算（未提供案件）",
                "en": "Checking the claim's own arithmetic (no case given)"}
    lines = [t(head, lang)]
    if report.arithmetic:
        lines.append("  " + t({"zh": "一、申报文书自身的计算", "en": "1. The claim's own arithmetic"}, lang))
        for a in report.arithmetic:
            mark = "✓" if a.holds else "✗"
            ops = " + ".join(a.operands)
            if a.holds:
                lines.append(f"    {mark} {t(a.relation, lang)}: {a.result} {_g(a.claimed)}")
                if a.rounding:
                    lines.append("        " + t(a.rounding, lang))
            else:
                lines.append(f"    {mark} {t(a.relation, lang)}: " + t(
                    {"zh": f"{a.result} 申报 {_g(a.claimed)}，按所列各项（{ops}）计算应为 {_g(a.computed)}，相差 {a.difference}",
                     "en": f"{a.result} claimed {_g(a.claimed)}, its lines ({ops}) give {_g(a.computed)}, "
                           f"difference {a.difference}"}, lang))
                if a.where:
                    lines.append("        " + t({"zh": f"申报位置 {a.where}", "en": f"claimed at {a.where}"}, lang))
    if report.findings:
        lines.append("  " + t({"zh": "二、与复算结果逐项核对", "en": "2. Figure by figure against the recomputed case"}, lang))
    for f in report.findings:
        g = _g if f.unit == "元" else (lambda v: "—" if v is None else v)
        mark, word = _STATUS[f.status]
        name = f.printed or t(f.label, lang)
        ident = f" [{f.id}]" if f.printed and f.id != f.printed else ""
        head = f"    {mark} {t(word, lang)}  {name}{ident}"
        prec = f"（{t(f.precision, lang)}）" if f.precision and lang != "en" else (f" ({t(f.precision, lang)})" if f.precision else "")
        if f.status == "match":
            lines.append(f"{head}: {g(f.recomputed)}{prec}")
        elif f.status in ("differs", "follows"):
            text = {"zh": f"申报 {g(f.claimed)}，复算 {g(f.recomputed)}，相差 {f.difference}",
                    "en": f"claimed {g(f.claimed)}, recomputed {g(f.recomputed)}, difference {f.difference}"}
            if f.difference is None and f.reason:
                text = f.reason
            lines.append(f"{head}: {t(text, lang)}{prec}")
            if f.follows_from:
                lines.append("        " + t({"zh": f"由 {', '.join(f.follows_from)} 的差异引起，不另计",
                                             "en": f"follows from {', '.join(f.follows_from)}; not counted again"}, lang))
        elif f.status == "missing":
            lines.append(f"{head}: " + t({"zh": f"复算 {g(f.recomputed)}，申报中没有", "en": f"recomputed "
                                          f"{g(f.recomputed)}, not in the claim"}, lang))
        elif f.status == "not_recomputable":
            lines.append(f"{head}: " + t({"zh": f"申报 {f.claimed or '—'}；无法复算：{f.reason['zh']}",
                                          "en": f"claimed {f.claimed or '—'}; cannot be recomputed: {f.reason['en']}"}, lang))
        else:
            reason = f.reason or {"zh": "复算结果中没有此项", "en": "no such line or step in the recomputed ledger"}
            lines.append(f"{head}: " + t({"zh": f"申报 {g(f.claimed)}，{reason['zh']}",
                                          "en": f"claimed {g(f.claimed)}, {reason['en']}"}, lang))
        if f.where and f.status != "match":
            lines.append("        " + t({"zh": f"申报位置 {f.where}", "en": f"claimed at {f.where}"}, lang))
        if f.step and f.status == "differs":
            s = f.step
            claimed = f"；申报 {_g(s['claimed'])}" if s.get("claimed") else ""
            claimed_en = f", claimed {_g(s['claimed'])}" if s.get("claimed") else ""
            lines.append("        " + t({"zh": f"分歧始于步骤 {s['id']} {s['label']['zh']}：复算 {_g(s['recomputed'])}{claimed}",
                                         "en": f"first step where they part: {s['id']} {s['label']['en']}: recomputed "
                                               f"{_g(s['recomputed'])}{claimed_en}"}, lang))
            if s.get("formula"):
                ins = "; ".join(f"{k} = {v.get('value')} {v.get('unit', '')}".rstrip() for k, v in s.get("inputs", {}).items())
                lines.append(f"          {s['formula']}" + (f"  ({ins})" if ins else ""))
            if s.get("citation"):
                lines.append(f"          {t({'zh': '依据', 'en': 'Rule'}, lang)}: [{s.get('rule')}] {t(s['citation'], lang)}")
    n = report.differences
    nr = sum(f.status == "not_recomputable" for f in report.findings)
    if n == 0 and nr == 0:
        lines.append(t({"zh": "结论：全部相符（按申报所列精度）", "en": "Result: everything matches (at the precision printed)"}, lang))
    else:
        lines.append(t({"zh": f"结论：{n} 处不一致" + (f"，{nr} 项无法复算" if nr else ""),
                        "en": f"Result: {n} difference(s)" + (f", {nr} figure(s) not recomputable" if nr else "")}, lang))
    return "\n".join(lines) + "\n"


def check(case_path: str | Path | None, claimed_path: str | Path, on: date | None = None) -> Report:
    """Recompute the case (JSON or workbook) and compare the claim with it; without a case, the claim's arithmetic."""
    claim = load_claim(claimed_path)
    if case_path is None:
        return check_claim_only(claim)
    result = assess_workbook(case_path, on=on) if is_workbook(case_path) else assess_case(Path(case_path), on=on)
    return compare(result, claim)


__all__ = ["Claim", "Finding", "Report", "Arithmetic", "load_claim", "claim_from_dict", "compare", "check",
           "check_claim_only", "claim_arithmetic", "render_report", "category_key", "BY_KEY", "PrintedAmount"]
