"""Deadlines 程序期限: the dates that follow from a case's events, and consultation tracking.

Input: ``Case.procedure`` (:class:`assess.law.events.ProcedureEvents`).  Output: :class:`Deadlines` (``Result.deadlines``):

* initial verification within 30 days of the clue: SH-13 binds every clue; JS-(三) binds the
  department that receives a *referred* clue (接受线索移送的相关部门或机构): ``facts.clue_referred``,
  true by definition for the procuratorate and court channels (:data:`REFERRED_CHANNELS`);
* reply to a citizen's report within two months (JS-(三); SH-13 says only "promptly");
* consultation notice 5 working days before the first meeting (SH-19);
* consultation at most 90 days from the notice and at most 3 rounds (SH-22);
* public notice of at least 30 days before judicial confirmation (SPC-EDC-20);
* consultation deemed failed (SH-25) and why.

Periods follow Civil Code Arts. 200–204 through :func:`factors.calendar.period_end` (start day
not counted; month-end; a last day on a rest day rolls to the next working day); SH-46 counts
natural days except SH-19's working days.  Every count, unit and rule comes from ``data/``; a
deadline whose start date is missing is listed as ``cannot_compute`` with the missing field.

Each decision (whether JS-(三) binds, the status of a date against its deadline, the rounds against
SH-22's maximum, the consultation's state) is made once, on arrays (``decide_*``,
:func:`factors.calendar.deadline_status_array`); :func:`compute_deadlines` calls them for one case
(arrays of length one) and explains the outcome with the wording of the ``law`` catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Sequence, get_args

import numpy as np

from assess.law.case import Case
from assess.law.decisions import decision_node, no_rule_text
from factors.calendar import DEADLINE_STATUSES, deadline_status_array, nth_working_day_before, period_end
from factors.errors import CalendarNotCovered, RuleNotInForce
from factors.i18n import label
from factors.store import OP_WORDING, CodedArray, Param, ParamArray, ParameterStore
from factors.thresholds import compare_array
from factors.trace import TraceNode, parameter_node, value_spec

# -- output ---------------------------------------------------------------------------------

Status = Literal["met", "missed", "pending", "cannot_compute", "not_applicable"]
#: Every status of a deadline, in order (the first three are :data:`factors.calendar.DEADLINE_STATUSES`).
STATUSES: tuple[str, ...] = get_args(Status)
STATUS_LABEL = {
    "met": label("law", "met"),
    "missed": label("law", "missed"),
    "pending": label("law", "pending"),
    "cannot_compute": label("law", "cannot compute"),
    "not_applicable": label("law", "not applicable"),
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
        return TraceNode(id="deadlines", kind="note", label=label("law", "Procedural deadlines"),
                         children=[d.node for d in self.items if d.node] + [self.consultation.node])



#: The last day of a court's period rolls under the Civil Procedure Law too (SPC-EDC-20 notice): Art. 82 of the
#: 2017 text (节假日), Art. 85 from the 2021 amendment (法定休假日), both verbatim in data/rules.toml comments.
CPL_ROLL = ((date(2022, 1, 1), "CPL-85", "《民事诉讼法》第八十五条：期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期。",
             "CPL Art. 85: a period whose last day is a statutory rest day ends on the first day after it"),
            (date.min, "CPL2017-82", "《民事诉讼法》（2017年修正）第八十二条：期间届满的最后一日是节假日的，以节假日后的第一日为期间届满的日期。",
             "CPL (2017) Art. 82: a period whose last day is a holiday ends on the first day after it"))


# -- decisions on arrays ---------------------------------------------------------------------

#: JS-(三): "涉及其他部门或机构职能的线索，要及时移送。接受线索移送的相关部门或机构，要在三十日内就是否造成
#: 生态环境损害进行初步核查。" — the 30 days bind only the department that receives a referred clue
#: (``facts.clue_referred``).  SH-13 binds every clue ("筛查发现或者接到…线索后").  Apply each as written.
REFERRED_ONLY_RULES = ("JS-(三)",)
#: Clue channels that are referrals by definition (SH-12 (九)(十): 检察机关移送, 法院移送).
REFERRED_CHANNELS = ("procuratorate", "court")


def decide_initial_verification_binds(rule: Sequence[str | None], clue_referred: np.ndarray,
                                      clue_channel: Sequence[str | None]) -> np.ndarray:
    """Whether the initial-verification period in force (its ``rule``) binds the clue: 1 yes, 0 no, -1 unknown.

    Under JS-(三) only a referred clue is bound: ``clue_referred`` (tri-state), true by definition for the
    procuratorate and court channels when not stated; SH-13 (and any other rule): every clue.
    """
    referred = np.asarray(clue_referred, np.int8)
    by_channel = np.array([c in REFERRED_CHANNELS for c in clue_channel], bool)
    referred = np.where((referred < 0) & by_channel, 1, referred)
    only_referred = np.array([r in REFERRED_ONLY_RULES for r in rule], bool)
    return np.where(only_referred, referred, 1).astype(np.int8)


def decide_rounds(held: np.ndarray, max_rounds: ParamArray, agreement_signed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SH-22: rounds held against the maximum (op from the data) → (within, status code in :data:`DEADLINE_STATUSES`).

    Not within: missed; within: met once the agreement is signed, else pending.
    """
    held = np.asarray(held, np.int64)
    within = max_rounds.found & compare_array(held, max_rounds.op, *max_rounds.fraction()) if max_rounds.params \
        else np.zeros(held.shape, bool)
    status = np.where(~within, DEADLINE_STATUSES.index("missed"),
                      np.where(np.asarray(agreement_signed, bool), DEADLINE_STATUSES.index("met"), DEADLINE_STATUSES.index("pending")))
    return within, status.astype(np.int8)


#: States of consultation tracking (SH-25).
CONSULTATION_STATES = ("not_started", "in_progress", "agreed", "deemed_failed")


def decide_consultation_state(agreed: np.ndarray, any_reason: np.ndarray, has_rule: np.ndarray,
                              started: np.ndarray) -> np.ndarray:
    """SH-25: agreed (an agreement is signed); deemed failed (a listed reason, where a rule deems it);
    in progress (reasons without such a rule, or consultation started); not started."""
    agreed, reason, rule, started = (np.asarray(x, bool) for x in (agreed, any_reason, has_rule, started))
    return np.select([agreed, reason & rule, reason, ~started],
                     [CONSULTATION_STATES.index(s) for s in ("agreed", "deemed_failed", "in_progress", "not_started")],
                     CONSULTATION_STATES.index("in_progress")).astype(np.int8)


# -- one case: the decisions on arrays of length one, explained ----------------------------------

def _cat(a: dict[str, str], b: dict[str, str]) -> dict[str, str]:
    return {lang: a[lang] + b[lang] for lang in ("zh", "en")}


def _day(d: date | None) -> np.ndarray:
    return np.array([np.datetime64("NaT") if d is None else np.datetime64(d, "D")], "datetime64[D]")


class _Builder:
    def __init__(self, case: Case, on: date, today: date, store: ParameterStore, per_step: bool = True):
        self.case, self.on, self.today, self.store = case, on, today, store
        self.per_step = per_step   # False: every deadline on ``on`` (--on, or law_dates.procedural stated)
        self.p = case.procedure
        self.jur = case.jurisdiction

    def lookup(self, name: str, step: date | None = None) -> ParamArray | dict[str, str]:
        """The parameter in force on the date of the step (procedural rules by the date of each step),
        under the rule set then in force (national rules before the province's own); ``step`` None:
        the case's procedural date.  The wording of why there is none, where there is none."""
        on = (step if self.per_step else None) or self.on
        try:
            jur, skipped = self.store.rule_set_for(self.jur, on)
        except RuleNotInForce as exc:
            return no_rule_text(name, self.jur, exc)
        found = self.store.lookup_array(name, CodedArray.of([jur]), _day(on))
        if found.found[0]:
            return found
        text = no_rule_text(name, jur, found.why(0))
        for s in skipped:   # say why the provincial rule does not apply on that date
            text = _cat(text, label("law", "; {rule_set} in force only from {valid_from}, not yet on {on}",
                                    rule_set=s["rule_set"], valid_from=s["valid_from"], on=on))
        return text

    def param(self, name: str, step: date | None = None) -> Param | dict[str, str]:
        found = self.lookup(name, step)
        return found if isinstance(found, dict) else found.params[int(found.slot[0])]

    def note(self, key: str, dlabel: dict[str, str], status: Status, detail: dict[str, str], rule: str | None) -> Deadline:
        return Deadline(key, dlabel, status, rule=rule, detail=detail,
                        node=TraceNode(id=f"deadlines.{key}", kind="note", label=dlabel, rule=rule, note=detail))

    def missing(self, key: str, dlabel: dict[str, str], rule: str | None, fields: list[str]) -> Deadline:
        return self.note(key, dlabel, "cannot_compute", label("law", "cannot compute: missing {fields}", fields=", ".join(fields)), rule)

    def not_applicable(self, key: str, dlabel: dict[str, str], detail: dict[str, str], rule: str | None = None) -> Deadline:
        return self.note(key, dlabel, "not_applicable", detail, rule)

    def period(self, key: str, dlabel: dict[str, str], param: Param, start_field: str, start: date,
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
            return self.note(key, dlabel, "cannot_compute", label("law", "cannot compute: {error}", error=str(exc)), param.rule)
        code = deadline_status_array(_day(due), _day(done), _day(self.today), after=due_kind == "after")[0]
        status: Status = DEADLINE_STATUSES[int(code)]
        counting: dict[str, Any] = {"count": int(param.value), "unit": unit, "day_kind": day_kind,
                                    # procedural rules by the date of each step: the rule in force on the start date
                                    "rules_on": {"date": (start if self.per_step else self.on).isoformat(),
                                                 "jurisdiction": param.jurisdiction}}
        if pe is not None:
            counting.update(roll=pe.roll, nominal_end=pe.nominal_end.isoformat(), rolled=pe.rolled, steps=pe.steps,
                            rules=list(pe.rule))
        else:
            counting["steps"] = [label("law", "meeting day {start} excluded; the {count}th working day before it is {due} "
                                              "(State Council notice: rest days skipped, make-up days counted)",
                                       start=start.isoformat(), count=int(param.value), due=due.isoformat())]
        node = TraceNode(
            id=f"deadlines.{key}", kind="formula", label=dlabel,
            formula={"by": "due = start + period (CC Arts. 201–203)", "after": "period end = start + period; next step after it",
                     "not_after": "latest = n-th working day before the meeting"}[due_kind],
            inputs={"start": value_spec(start.isoformat(), None, start_field),
                    **({"done": value_spec(done.isoformat(), None, done_field)} if done else {})},
            result=value_spec(due.isoformat()), rule=param.rule,
            note={lang: " / ".join(s[lang] for s in counting["steps"]) + f" → {STATUS_LABEL[status][lang]}"
                  for lang in ("zh", "en")},
            children=[parameter_node(f"deadlines.{key}.param", param)],
        )
        return Deadline(key, dlabel, status, rule=param.rule, start={"field": start_field, "date": start.isoformat()},
                        done={"field": done_field, "date": done.isoformat()} if done else None, due=due,
                        due_kind=due_kind, counting=counting, node=node)

    # -- the deadlines ----------------------------------------------------------------------
    def initial_verification(self) -> Deadline:
        """30 days: JS-(三) binds the department receiving a REFERRED clue (接受线索移送的相关部门或机构);
        SH-13 binds every clue (筛查发现或者接到).  Each as written (issue 14 §3)."""
        dlabel = label("law", "Initial verification of the clue")
        param = self.param("procedure.initial_verification_days", self.case.dates.clue_received)
        if isinstance(param, dict):
            return self.not_applicable("initial_verification", dlabel, param)
        facts = self.case.facts
        binds = int(decide_initial_verification_binds([param.rule], np.array([-1 if facts.clue_referred is None else
                                                                              int(facts.clue_referred)], np.int8),
                                                      [facts.clue_channel])[0])
        if binds == 0:
            return self.not_applicable("initial_verification", dlabel, label(
                "law", "JS-(三)'s 30 days bind only the department 'receiving a referred clue' (接受线索移送); this clue was "
                       "not referred (facts.clue_referred = false)"), rule=param.rule)
        if binds < 0:
            return self.missing("initial_verification", dlabel, param.rule,
                                ["facts.clue_referred (JS-(三) binds only a department receiving a referred clue)"])
        if self.case.dates.clue_received is None:
            return self.missing("initial_verification", dlabel, param.rule, ["dates.clue_received"])
        return self.period("initial_verification", dlabel, param, "dates.clue_received", self.case.dates.clue_received,
                           "procedure.initial_verification_done", self.p.initial_verification_done)

    def report_reply(self) -> Deadline:
        dlabel = label("law", "Reply to the citizen's report")
        asked = self.case.facts.citizen_report_requests_claim
        if not asked and self.p.report_received is None:
            return self.not_applicable("report_reply", dlabel, label(
                "law", "no report asking for a claim (facts.citizen_report_requests_claim not true, procedure.report_received empty)"))
        param = self.param("procedure.report_reply_months", self.p.report_received)
        if isinstance(param, dict):
            return self.not_applicable("report_reply", dlabel, param)
        if self.p.report_received is None:
            return self.missing("report_reply", dlabel, param.rule, ["procedure.report_received"])
        return self.period("report_reply", dlabel, param, "procedure.report_received", self.p.report_received,
                           "procedure.report_replied", self.p.report_replied, unit="month")

    def consultation_notice(self) -> Deadline:
        dlabel = label("law", "Consultation notice before the first meeting")
        param = self.param("consultation.notice_working_days", self.p.meetings[0].date if self.p.meetings else None)
        if isinstance(param, dict):
            return self.not_applicable("consultation_notice", dlabel, param)
        if not self.p.meetings:
            return self.missing("consultation_notice", dlabel, param.rule, ["procedure.meetings[0].date"])
        return self.period("consultation_notice", dlabel, param, "procedure.meetings[0].date", self.p.meetings[0].date,
                           "procedure.consultation_notice_delivered", self.p.consultation_notice_delivered,
                           day_kind="working", due_kind="not_after")

    def consultation_period(self) -> Deadline:
        dlabel = label("law", "Consultation period")
        param = self.param("consultation.max_days", self.p.consultation_notice_delivered)
        if isinstance(param, dict):
            return self.not_applicable("consultation_period", dlabel, param)
        if self.p.consultation_notice_delivered is None:
            return self.missing("consultation_period", dlabel, param.rule, ["procedure.consultation_notice_delivered"])
        return self.period("consultation_period", dlabel, param, "procedure.consultation_notice_delivered",
                           self.p.consultation_notice_delivered, "procedure.agreement_signed", self.p.agreement_signed)

    def consultation_rounds(self) -> Deadline:
        dlabel = label("law", "Consultation rounds")
        rounds = self.lookup("consultation.max_rounds", self.p.consultation_notice_delivered)
        if isinstance(rounds, dict):
            return self.not_applicable("consultation_rounds", dlabel, rounds)
        param = rounds.param(0)
        held = len(self.p.rounds_held)
        within_a, status_a = decide_rounds(np.array([held]), rounds, np.array([self.p.agreement_signed is not None]))
        within = bool(within_a[0])
        status: Status = DEADLINE_STATUSES[int(status_a[0])]
        fields = {"held": held, "op": OP_WORDING[param.op], "value": param.value}
        detail = (label("law", "{held} round(s) held; within '{op} {value}'", **fields) if within
                  else label("law", "{held} round(s) held; not within '{op} {value}'", **fields))
        node = decision_node("deadlines.consultation_rounds", dlabel, held, "procedure.meetings (held)", param, within,
                             None, detail)
        return Deadline("consultation_rounds", dlabel, status, rule=param.rule, detail=detail, node=node)

    def confirmation_notice(self) -> Deadline:
        dlabel = label("law", "Public notice before judicial confirmation")
        param = self.param("consultation.judicial_confirmation_notice_days", self.p.confirmation_notice_published)
        if isinstance(param, dict):
            return self.not_applicable("confirmation_notice", dlabel, param)
        if self.p.confirmation_notice_published is None:
            if self.p.agreement_signed is None:
                return self.not_applicable("confirmation_notice", dlabel,
                                           label("law", "no agreement signed yet (procedure.agreement_signed empty)"), rule=param.rule)
            return self.missing("confirmation_notice", dlabel, param.rule, ["procedure.confirmation_notice_published"])
        d = self.period("confirmation_notice", dlabel, param, "procedure.confirmation_notice_published",
                        self.p.confirmation_notice_published, "procedure.confirmation_ruling",
                        self.p.confirmation_ruling, due_kind="after")
        if d.counting is not None and "rules" in d.counting:   # a court's period: the CPL rolls it as well as CC 203
            _, rule, zh, en = next(x for x in CPL_ROLL if self.p.confirmation_notice_published >= x[0])
            cpl = {"zh": zh, "en": en}
            d.counting["rules"].append(f"{rule} {zh}")
            d.counting["steps"].append(label("law", "a court's period rolls as well under {rule}", rule=cpl))
            d.node.note = {lang: d.node.note[lang] + " / " + d.counting["steps"][-1][lang] for lang in ("zh", "en")}
            d.node.children.append(TraceNode(id="deadlines.confirmation_notice.cpl", kind="note",
                                             label=label("law", "Civil Procedure Law period"), rule=rule, note=cpl))
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

    def add(code: str, item: str, rlabel: dict[str, str], path: str, when: date | None = None) -> None:
        reasons.append({"code": code, "rule": f"{rule}({item})" if rule else None, "field": path,
                        "date": when.isoformat() if when else None, "label": rlabel})

    if p.obligor_reply == "refused":
        add("refusal", "1", label("law", "the obligor expressly refused consultation"), "procedure.obligor_reply", p.obligor_reply_date)
    if p.obligor_reply == "no_reply":
        add("no_reply", "1", label("law", "no reply within the reply period, deemed a refusal (Art. 19)"), "procedure.obligor_reply",
            p.obligor_reply_date)
    for i, m in enumerate(p.meetings):
        if m.outcome == "obligor_absent":
            add("absence", "2", label("law", "the obligor stayed away from the meeting without reason"), f"procedure.meetings[{i}]", m.date)
        if m.outcome == "obligor_withdrew":
            add("withdrawal", "2", label("law", "the obligor withdrew from the meeting"), f"procedure.meetings[{i}]", m.date)
    if rounds.status == "missed":
        add("rounds_exceeded", "3", label("law", "rounds exceeded without agreement ({detail})", detail=rounds.detail),
            "procedure.meetings")
    if period.status == "missed" and p.agreement_signed is None:
        add("days_exceeded", "3", label("law", "consultation period (due {due}) exceeded without agreement", due=period.due),
            "procedure.consultation_notice_delivered", period.due)
    if p.consultation_failed_other:
        add("other", "4", label("law", "other reason agreement is impossible: {reason}", reason=p.consultation_failed_other),
            "procedure.consultation_failed_other")

    held = len(p.rounds_held)
    started = p.consultation_notice_delivered is not None or bool(p.meetings)
    state = CONSULTATION_STATES[int(decide_consultation_state(np.array([p.agreement_signed is not None]), np.array([bool(reasons)]),
                                                              np.array([rule is not None]), np.array([started]))[0])]
    if state == "agreed":
        detail = label("law", "agreement signed on {date}", date=p.agreement_signed)
        if reasons:
            detail = {lang: detail[lang] + more[lang] for more in
                      [label("law", " (earlier events would have allowed treating consultation as failed, see below)")]
                      for lang in ("zh", "en")}
    elif state == "deemed_failed":
        detail = label("law", "consultation may be deemed failed; sue promptly (SH Art. 25)")
    elif reasons:
        detail = label("law", "no rule recorded in {jurisdiction} deeming consultation failed; the events are listed", jurisdiction=jur)
        if SUE_RULE.get(jur):
            detail = {lang: detail[lang] + more[lang] for more in [label("law", "; where consultation fails, sue promptly (JS section (5))")]
                      for lang in ("zh", "en")}
    elif state == "not_started":
        detail = label("law", "no consultation notice delivered yet")
    else:
        detail = label("law", "consultation in progress, {held} round(s) held", held=held)
    node = TraceNode(id="deadlines.consultation", kind="decision", label=label("law", "Consultation state"), result={"value": state},
                     rule=rule, note={lang: detail[lang] + "".join(f"；{r['label'][lang]}" if lang == "zh" else f"; {r['label'][lang]}"
                                                                   for r in reasons) for lang in ("zh", "en")})
    return ConsultationTracking(state=state, rounds_held=held, reasons=reasons, rule=rule, detail=detail, node=node)


def compute_deadlines(case: Case, on: date, today: date, store: ParameterStore, per_step: bool = True,
                      consultation_on: date | None = None) -> Deadlines:
    """Every procedural date of ``case``, with its status on ``today``: each under the rules in force on its own
    start date (``per_step``), or all under those in force on ``on`` (``per_step=False``: --on, law_dates.procedural).
    Whether consultation is deemed failed (SH-25) goes by the rules in force on ``consultation_on`` (the
    consultation's own governing date, :func:`assess.law.lawdates.resolve_law`), else on ``on``."""
    b = _Builder(case, on, today, store, per_step)
    period, rounds = b.consultation_period(), b.consultation_rounds()
    items = [b.initial_verification(), b.report_reply(), b.consultation_notice(), period, rounds, b.confirmation_notice()]
    try:
        jur = store.rule_set_for(case.jurisdiction, consultation_on or on)[0]
    except RuleNotInForce:
        jur = case.jurisdiction
    return Deadlines(today=today, items=items, consultation=consultation_tracking(case, period, rounds, jur))


__all__ = ["Deadline", "Deadlines", "ConsultationTracking", "compute_deadlines"]
