"""Deadlines 程序期限: the dates that follow from a case's events, and consultation tracking.

Input: ``Case.procedure`` (:class:`assess.law.events.ProcedureEvents`).  Output: :class:`Deadlines` (``Result.deadlines``):

* initial verification within 30 days of the clue (JS-(三), SH-13);
* reply to a citizen's report within two months (JS-(三); SH-13 says only "promptly");
* consultation notice 5 working days before the first meeting (SH-19);
* consultation at most 90 days from the notice and at most 3 rounds (SH-22);
* public notice of at least 30 days before judicial confirmation (SPC-EDC-20);
* consultation deemed failed (SH-25) and why.

Periods follow Civil Code Arts. 200–204 through :func:`factors.calendar.period_end` (start day
not counted; month-end; a last day on a rest day rolls to the next working day); SH-46 counts
natural days except SH-19's working days.  Every count, unit and rule comes from ``data/``; a
deadline whose start date is missing is listed as ``cannot_compute`` with the missing field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from assess.law.case import Case
from assess.law.decisions import compare, decision_node, no_rule_text
from factors.calendar import deadline_status, nth_working_day_before, period_end
from factors.errors import CalendarNotCovered, RuleNotInForce
from factors.store import OP_WORDING, Param, ParameterStore
from factors.trace import TraceNode, parameter_node, value_spec

# -- output ---------------------------------------------------------------------------------

Status = Literal["met", "missed", "pending", "cannot_compute", "not_applicable"]
STATUS_LABEL = {
    "met": {"zh": "已遵守", "en": "met"},
    "missed": {"zh": "已逾期", "en": "missed"},
    "pending": {"zh": "待办", "en": "pending"},
    "cannot_compute": {"zh": "无法计算", "en": "cannot compute"},
    "not_applicable": {"zh": "不适用", "en": "not applicable"},
}


@dataclass
class Deadline:
    """One procedural date: its start event, counting rule, due date and status on ``today``."""

    key: str
    label: dict[str, str]
    status: Status
    rule: str | None = None
    start: dict[str, str] | None = None       # {"field": ..., "date": ...}
    done: dict[str, str] | None = None        # the event that meets it
    due: date | None = None
    due_kind: Literal["by", "not_after", "after"] = "by"   # by: done on or before; after: done strictly after
    counting: dict[str, Any] | None = None    # count, unit, day_kind, roll, nominal_end, steps
    detail: dict[str, str] | None = None
    node: TraceNode | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "label": self.label, "status": self.status,
                               "status_label": STATUS_LABEL[self.status]}
        for k in ("rule", "start", "done", "counting", "detail"):
            if getattr(self, k) is not None:
                out[k] = getattr(self, k)
        if self.due is not None:
            out["due"] = self.due.isoformat()
            out["due_kind"] = self.due_kind
        return out


@dataclass
class ConsultationTracking:
    """SH-25: whether consultation is deemed failed, and why."""

    state: Literal["not_started", "in_progress", "agreed", "deemed_failed"]
    rounds_held: int
    reasons: list[dict[str, Any]]
    rule: str | None
    detail: dict[str, str]
    node: TraceNode

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state, "rounds_held": self.rounds_held, "reasons": self.reasons, "rule": self.rule,
                "detail": self.detail}


@dataclass
class Deadlines:
    """Every procedural date of a case on ``today``, and the consultation's state."""

    today: date
    items: list[Deadline]
    consultation: ConsultationTracking

    def get(self, key: str) -> Deadline:
        return next(d for d in self.items if d.key == key)

    def to_dict(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "items": [d.to_dict() for d in self.items],
                "consultation": self.consultation.to_dict()}

    def trace(self) -> TraceNode:
        return TraceNode(id="deadlines", kind="note", label={"zh": "程序期限", "en": "Procedural deadlines"},
                         children=[d.node for d in self.items if d.node] + [self.consultation.node])



#: The last day of a court's period rolls under the Civil Procedure Law too (SPC-EDC-20 notice): Art. 82 of the
#: 2017 text (节假日), Art. 85 from the 2021 amendment (法定休假日), both verbatim in data/rules.toml comments.
CPL_ROLL = ((date(2022, 1, 1), "CPL-85", "《民事诉讼法》第八十五条：期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期。",
             "CPL Art. 85: a period whose last day is a statutory rest day ends on the first day after it"),
            (date.min, "CPL2017-82", "《民事诉讼法》（2017年修正）第八十二条：期间届满的最后一日是节假日的，以节假日后的第一日为期间届满的日期。",
             "CPL (2017) Art. 82: a period whose last day is a holiday ends on the first day after it"))
#: Clue channels that are referrals by definition (SH-12 (九)(十): 检察机关移送, 法院移送).
REFERRED_CHANNELS = ("procuratorate", "court")


class _Builder:
    def __init__(self, case: Case, on: date, today: date, store: ParameterStore, per_step: bool = True):
        self.case, self.on, self.today, self.store = case, on, today, store
        self.per_step = per_step   # False: every deadline on ``on`` (--on, or law_dates.procedural stated)
        self.p = case.procedure
        self.jur = case.jurisdiction

    def param(self, name: str, step: date | None = None) -> Param | dict[str, str]:
        """The parameter in force on the date of the step (procedural rules by the date of each step),
        under the rule set then in force (national rules before the province's own); ``step`` None:
        the case's procedural date."""
        on = (step if self.per_step else None) or self.on
        try:
            jur, skipped = self.store.rule_set_for(self.jur, on)
        except RuleNotInForce as exc:
            return no_rule_text(name, self.jur, exc)
        try:
            return self.store.lookup(name, jur, on)
        except RuleNotInForce as exc:
            text = no_rule_text(name, jur, exc)
            for s in skipped:   # say why the provincial rule does not apply on that date
                text = {"zh": text["zh"] + f"；{s['rule_set']['zh']}自{s['valid_from']}起施行，{on}尚未施行",
                        "en": text["en"] + f"; {s['rule_set']['en']} in force only from {s['valid_from']}, not yet on {on}"}
            return text

    def missing(self, key: str, label: dict[str, str], rule: str | None, fields: list[str]) -> Deadline:
        names = ", ".join(fields)
        detail = {"zh": f"无法计算：缺少 {names}", "en": f"cannot compute: missing {names}"}
        return Deadline(key, label, "cannot_compute", rule=rule, detail=detail,
                        node=TraceNode(id=f"deadlines.{key}", kind="note", label=label, rule=rule, note=detail))

    def not_applicable(self, key: str, label: dict[str, str], detail: dict[str, str], rule: str | None = None) -> Deadline:
        return Deadline(key, label, "not_applicable", rule=rule, detail=detail,
                        node=TraceNode(id=f"deadlines.{key}", kind="note", label=label, rule=rule, note=detail))

    def period(self, key: str, label: dict[str, str], param: Param, start_field: str, start: date,
               done_field: str, done: date | None, *, unit: str = "day", day_kind: str = "natural",
               due_kind: str = "by") -> Deadline:
        """A period of ``param.value`` units from ``start`` (CC Arts. 200–204), compared with ``done``."""
        try:
            if day_kind == "working":  # SH-19: n working days *before* the start event
                due = nth_working_day_before(start, int(param.value))
                pe = None
            else:
                pe = period_end(start, int(param.value), unit, day_kind)
                due = pe.due
        except CalendarNotCovered as exc:
            detail = {"zh": f"无法计算：{exc}", "en": f"cannot compute: {exc}"}
            return Deadline(key, label, "cannot_compute", rule=param.rule, detail=detail,
                            node=TraceNode(id=f"deadlines.{key}", kind="note", label=label, rule=param.rule, note=detail))
        if due_kind == "after":   # a minimum period: the next step may come only after it has run
            status = ("met" if done > due else "missed") if done else "pending"
        else:
            status = deadline_status(due, done, self.today)
        counting: dict[str, Any] = {"count": int(param.value), "unit": unit, "day_kind": day_kind,
                                    # procedural rules by the date of each step: the rule in force on the start date
                                    "rules_on": {"date": (start if self.per_step else self.on).isoformat(),
                                                 "jurisdiction": param.jurisdiction}}
        if pe is not None:
            counting.update(roll=pe.roll, nominal_end=pe.nominal_end.isoformat(), rolled=pe.rolled, steps=pe.steps,
                            rules=list(pe.rule))
        else:
            counting["steps"] = [{
                "zh": f"会议日{start.isoformat()}不计入，向前数第{int(param.value)}个工作日为{due.isoformat()}（依国务院办公厅节假日安排通知，跳过休息日，调休上班日计入）",
                "en": f"meeting day {start.isoformat()} excluded; the {int(param.value)}th working day before it is {due.isoformat()} (State Council notice: rest days skipped, make-up days counted)",
            }]
        node = TraceNode(
            id=f"deadlines.{key}", kind="formula", label=label,
            formula={"by": "due = start + period (CC Arts. 201–203)", "after": "period end = start + period; next step after it",
                     "not_after": "latest = n-th working day before the meeting"}[due_kind],
            inputs={"start": value_spec(start.isoformat(), None, start_field),
                    **({"done": value_spec(done.isoformat(), None, done_field)} if done else {})},
            result=value_spec(due.isoformat()), rule=param.rule,
            note={lang: " / ".join(s[lang] for s in counting["steps"]) + f" → {STATUS_LABEL[status][lang]}"
                  for lang in ("zh", "en")},
            children=[parameter_node(f"deadlines.{key}.param", param)],
        )
        return Deadline(key, label, status, rule=param.rule, start={"field": start_field, "date": start.isoformat()},
                        done={"field": done_field, "date": done.isoformat()} if done else None, due=due,
                        due_kind=due_kind, counting=counting, node=node)

    # -- the deadlines ----------------------------------------------------------------------
    def initial_verification(self) -> Deadline:
        """30 days: JS-(三) binds the department receiving a REFERRED clue (接受线索移送的相关部门或机构);
        SH-13 binds every clue (筛查发现或者接到).  Each as written (issue 14 §3)."""
        label = {"zh": "线索初步核查", "en": "Initial verification of the clue"}
        param = self.param("procedure.initial_verification_days", self.case.dates.clue_received)
        if isinstance(param, dict):
            return self.not_applicable("initial_verification", label, param)
        if param.rule == "JS-(三)":
            referred = self.case.facts.clue_referred
            channel = self.case.facts.clue_channel
            if referred is None and channel in REFERRED_CHANNELS:
                referred = True   # SH-12 (九)(十): a referral by definition
            if referred is False:
                return self.not_applicable("initial_verification", label, {
                    "zh": "江苏实施意见（三）的三十日初步核查期限只约束“接受线索移送的相关部门或机构”；本线索非移送（facts.clue_referred = false）",
                    "en": "JS-(三)'s 30 days bind only the department 'receiving a referred clue' (接受线索移送); this clue was not "
                          "referred (facts.clue_referred = false)"}, rule="JS-(三)")
            if referred is None:
                return self.missing("initial_verification", label, "JS-(三)",
                                    ["facts.clue_referred (JS-(三) binds only a department receiving a referred clue)"])
        if self.case.dates.clue_received is None:
            return self.missing("initial_verification", label, param.rule, ["dates.clue_received"])
        return self.period("initial_verification", label, param, "dates.clue_received", self.case.dates.clue_received,
                           "procedure.initial_verification_done", self.p.initial_verification_done)

    def report_reply(self) -> Deadline:
        label = {"zh": "答复举报", "en": "Reply to the citizen's report"}
        asked = self.case.facts.citizen_report_requests_claim
        if not asked and self.p.report_received is None:
            return self.not_applicable("report_reply", label, {
                "zh": "无要求索赔的举报（facts.citizen_report_requests_claim 未设为 true，procedure.report_received 为空）",
                "en": "no report asking for a claim (facts.citizen_report_requests_claim not true, procedure.report_received empty)"})
        param = self.param("procedure.report_reply_months", self.p.report_received)
        if isinstance(param, dict):
            return self.not_applicable("report_reply", label, param)
        if self.p.report_received is None:
            return self.missing("report_reply", label, param.rule, ["procedure.report_received"])
        return self.period("report_reply", label, param, "procedure.report_received", self.p.report_received,
                           "procedure.report_replied", self.p.report_replied, unit="month")

    def consultation_notice(self) -> Deadline:
        label = {"zh": "磋商告知书提前送达", "en": "Consultation notice before the first meeting"}
        param = self.param("consultation.notice_working_days", self.p.meetings[0].date if self.p.meetings else None)
        if isinstance(param, dict):
            return self.not_applicable("consultation_notice", label, param)
        if not self.p.meetings:
            return self.missing("consultation_notice", label, param.rule, ["procedure.meetings[0].date"])
        return self.period("consultation_notice", label, param, "procedure.meetings[0].date", self.p.meetings[0].date,
                           "procedure.consultation_notice_delivered", self.p.consultation_notice_delivered,
                           day_kind="working", due_kind="not_after")

    def consultation_period(self) -> Deadline:
        label = {"zh": "磋商期限", "en": "Consultation period"}
        param = self.param("consultation.max_days", self.p.consultation_notice_delivered)
        if isinstance(param, dict):
            return self.not_applicable("consultation_period", label, param)
        if self.p.consultation_notice_delivered is None:
            return self.missing("consultation_period", label, param.rule, ["procedure.consultation_notice_delivered"])
        return self.period("consultation_period", label, param, "procedure.consultation_notice_delivered",
                           self.p.consultation_notice_delivered, "procedure.agreement_signed", self.p.agreement_signed)

    def consultation_rounds(self) -> Deadline:
        label = {"zh": "磋商次数", "en": "Consultation rounds"}
        param = self.param("consultation.max_rounds", self.p.consultation_notice_delivered)
        if isinstance(param, dict):
            return self.not_applicable("consultation_rounds", label, param)
        held = len(self.p.rounds_held)
        within = compare(held, param.op, param.value)
        status: Status = "missed" if not within else ("met" if self.p.agreement_signed else "pending")
        wording = OP_WORDING[param.op]
        detail = {"zh": f"已举行{held}次，{'符合' if within else '不符合'}“{wording['zh']}{param.value}次”",
                  "en": f"{held} round(s) held; {'within' if within else 'not within'} '{wording['en']} {param.value}'"}
        node = decision_node("deadlines.consultation_rounds", label, held, "procedure.meetings (held)", param, within,
                             None, detail)
        return Deadline("consultation_rounds", label, status, rule=param.rule, detail=detail, node=node)

    def confirmation_notice(self) -> Deadline:
        label = {"zh": "司法确认公告期间", "en": "Public notice before judicial confirmation"}
        param = self.param("consultation.judicial_confirmation_notice_days", self.p.confirmation_notice_published)
        if isinstance(param, dict):
            return self.not_applicable("confirmation_notice", label, param)
        if self.p.confirmation_notice_published is None:
            if self.p.agreement_signed is None:
                return self.not_applicable("confirmation_notice", label, {
                    "zh": "尚无赔偿协议（procedure.agreement_signed 为空）", "en": "no agreement signed yet (procedure.agreement_signed empty)"},
                    rule=param.rule)
            return self.missing("confirmation_notice", label, param.rule, ["procedure.confirmation_notice_published"])
        d = self.period("confirmation_notice", label, param, "procedure.confirmation_notice_published",
                        self.p.confirmation_notice_published, "procedure.confirmation_ruling",
                        self.p.confirmation_ruling, due_kind="after")
        if d.counting is not None and "rules" in d.counting:   # a court's period: the CPL rolls it as well as CC 203
            _, rule, zh, en = next(x for x in CPL_ROLL if self.p.confirmation_notice_published >= x[0])
            d.counting["rules"].append(f"{rule} {zh}")
            d.counting["steps"].append({"zh": f"人民法院的期间，最后一日遇法定休假日同样顺延：{zh}", "en": f"a court's period rolls as well under {en}"})
            d.node.note = {lang: d.node.note[lang] + " / " + d.counting["steps"][-1][lang] for lang in ("zh", "en")}
            d.node.children.append(TraceNode(id="deadlines.confirmation_notice.cpl", kind="note",
                                             label={"zh": "民事诉讼法期间", "en": "Civil Procedure Law period"},
                                             rule=rule, note={"zh": zh, "en": en}))
        return d


#: The rule that lists when consultation is deemed failed, by jurisdiction (none recorded elsewhere).
DEEMED_FAILURE_RULE = {"CN-SH": "SH-25"}
SUE_RULE = {"CN-SH": "SH-25", "CN-JS": "JS-(五)"}


def consultation_tracking(case: Case, period: Deadline, rounds: Deadline, jur: str | None = None) -> ConsultationTracking:
    """SH-25: consultation deemed failed — refusal or no reply, absence or withdrawal, period or rounds exceeded, other.

    ``jur``: the jurisdiction whose rules are in force (default: the case's)."""
    p, jur = case.procedure, jur or case.jurisdiction
    rule = DEEMED_FAILURE_RULE.get(jur)
    reasons: list[dict[str, Any]] = []

    def add(code: str, item: str, zh: str, en: str, path: str, when: date | None = None) -> None:
        reasons.append({"code": code, "rule": f"{rule}({item})" if rule else None, "field": path,
                        "date": when.isoformat() if when else None, "label": {"zh": zh, "en": en}})

    if p.obligor_reply == "refused":
        add("refusal", "1", "赔偿义务人明确拒绝磋商", "the obligor expressly refused consultation", "procedure.obligor_reply",
            p.obligor_reply_date)
    if p.obligor_reply == "no_reply":
        add("no_reply", "1", "答复期限内逾期未答复，视为拒绝磋商（第十九条）",
            "no reply within the reply period, deemed a refusal (Art. 19)", "procedure.obligor_reply", p.obligor_reply_date)
    for i, m in enumerate(p.meetings):
        if m.outcome == "obligor_absent":
            add("absence", "2", "赔偿义务人无故不参与磋商会议", "the obligor stayed away from the meeting without reason",
                f"procedure.meetings[{i}]", m.date)
        if m.outcome == "obligor_withdrew":
            add("withdrawal", "2", "赔偿义务人退出磋商会议", "the obligor withdrew from the meeting", f"procedure.meetings[{i}]", m.date)
    if rounds.status == "missed":
        add("rounds_exceeded", "3", f"已超过磋商次数仍未达成一致（{rounds.detail['zh']}）",
            f"rounds exceeded without agreement ({rounds.detail['en']})", "procedure.meetings")
    if period.status == "missed" and p.agreement_signed is None:
        add("days_exceeded", "3", f"已超过磋商期限（{period.due}）仍未达成一致",
            f"consultation period (due {period.due}) exceeded without agreement", "procedure.consultation_notice_delivered",
            period.due)
    if p.consultation_failed_other:
        add("other", "4", f"其他无法达成磋商的情形：{p.consultation_failed_other}",
            f"other reason agreement is impossible: {p.consultation_failed_other}", "procedure.consultation_failed_other")

    held = len(p.rounds_held)
    if p.agreement_signed is not None:
        state = "agreed"
        detail = {"zh": f"已于{p.agreement_signed}签署赔偿协议", "en": f"agreement signed on {p.agreement_signed}"}
        if reasons:
            detail["zh"] += "（此前已出现可视为磋商未达成一致的情形，见下）"
            detail["en"] += " (earlier events would have allowed treating consultation as failed, see below)"
    elif reasons and rule:
        state = "deemed_failed"
        detail = {"zh": "可以视为磋商未达成一致，应当及时向人民法院提起诉讼（上海细则第二十五条）",
                  "en": "consultation may be deemed failed; sue promptly (SH Art. 25)"}
    elif reasons:
        state = "in_progress"
        sue = SUE_RULE.get(jur)
        detail = {"zh": f"{jur} 未记录“视为磋商未达成一致”的规定；相关事件已列出" + ("；磋商未达成一致的，应当及时提起诉讼（江苏实施意见（五））" if sue else ""),
                  "en": f"no rule recorded in {jur} deeming consultation failed; the events are listed"
                        + ("; where consultation fails, sue promptly (JS section (5))" if sue else "")}
    elif p.consultation_notice_delivered is None and not p.meetings:
        state = "not_started"
        detail = {"zh": "尚未送达磋商告知书", "en": "no consultation notice delivered yet"}
    else:
        state = "in_progress"
        detail = {"zh": f"磋商进行中，已举行{held}次", "en": f"consultation in progress, {held} round(s) held"}
    label = {"zh": "磋商状态", "en": "Consultation state"}
    node = TraceNode(id="deadlines.consultation", kind="decision", label=label, result={"value": state}, rule=rule,
                     note={lang: detail[lang] + "".join(f"；{r['label'][lang]}" if lang == "zh" else f"; {r['label'][lang]}"
                                                        for r in reasons) for lang in ("zh", "en")})
    return ConsultationTracking(state=state, rounds_held=held, reasons=reasons, rule=rule, detail=detail, node=node)


def compute_deadlines(case: Case, on: date, today: date, store: ParameterStore, per_step: bool = True) -> Deadlines:
    """Every procedural date of ``case``, with its status on ``today``: each under the rules in force on its own
    start date (``per_step``), or all under those in force on ``on`` (``per_step=False``: --on, law_dates.procedural)."""
    b = _Builder(case, on, today, store, per_step)
    period, rounds = b.consultation_period(), b.consultation_rounds()
    items = [b.initial_verification(), b.report_reply(), b.consultation_notice(), period, rounds, b.confirmation_notice()]
    try:
        jur = store.rule_set_for(case.jurisdiction, on)[0]
    except RuleNotInForce:
        jur = case.jurisdiction
    return Deadlines(today=today, items=items, consultation=consultation_tracking(case, period, rounds, jur))


__all__ = ["Deadline", "Deadlines", "ConsultationTracking", "compute_deadlines"]
