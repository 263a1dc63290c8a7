"""The law of the case's own dates 适用法律的时间: which date governs which rule, and what was in force.

Three families of rules, each looked up on its own governing date:

* ``substantive`` — the loss categories, the valuation methods and their parameters: the date of the
  act or the damage, ``dates.incident`` (a damage item's own ``damage_date`` still picks the
  virtual-treatment-cost version, :mod:`assess.law.valuation.virtual_cost`).  Basis: the SPC's
  temporal-effect provisions (法释〔2020〕15号) Art. 1 para. 2, verbatim: 「民法典施行前的法律事实引起的
  民事纠纷案件，适用当时的法律、司法解释的规定，但是法律、司法解释另有规定的除外。」
* ``punitive`` — punitive eligibility (CC Art. 1232, in force 2021-01-01) and the multiple cap
  (法释〔2022〕1号, from 2022-01-20): the date of the act, by default the substantive date.  An act
  before 2021-01-01 whose damage appeared after it is a judgment call (Art. 1 para. 3, Art. 3, and the
  Art. 24 the SPC is reported to have on torts whose damage appears after the Code — not seen): the
  user states the date with a reason in ``law_dates.punitive``.
* ``procedural`` — routing (who acts, major case, assessment path, cost ratio) on the date of the step,
  ``dates.assessment_base`` (else ``clue_received``, else ``incident``); each deadline on its own start
  date (:mod:`assess.law.deadlines`).
* ``consultation`` — the consultation path (JS-(八) tiers, SH-21), when consultation may start (SH-18)
  and when it is deemed failed (SH-25): on the consultation's own start date, the delivery of the
  notice (the day SH-22 counts from), else the first meeting, else the signing of the agreement
  (:func:`assess.law.preconditions.consultation_started`).  Present only when that date is given (or
  stated in ``law_dates.consultation``); otherwise consultation follows the procedural date.  A stated
  ``law_dates.procedural`` covers consultation too (the user chose one date for every procedural rule).

Each family may be set per case with a reason (``law_dates.<family>: {date, reason}``); ``--on``
overrides all of them for one run.  A date before a province's implementing rules is assessed under
the national rules in force then, with a warning that the provincial rules were not yet in force
(:meth:`factors.store.ParameterStore.rule_set_for`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import Field

from assess.law.preconditions import consultation_started
from assess.law.valuation.base import StrictModel
from factors.store import ParameterStore
from factors.trace import TraceNode, value_spec

FAMILIES = ("substantive", "punitive", "procedural")
#: The family present only when the consultation has its own date (else it follows ``procedural``).
CONSULTATION = "consultation"
FAMILY_LABEL = {
    "substantive": {"zh": "实体规则（赔偿范围、估值方法）", "en": "substantive rules (categories, methods)"},
    "punitive": {"zh": "惩罚性赔偿（适用条件、倍数上限）", "en": "punitive damages (eligibility, multiple cap)"},
    "procedural": {"zh": "程序规则（路径、磋商、期限）", "en": "procedural rules (routing, consultation, deadlines)"},
    "consultation": {"zh": "磋商规则（磋商路径、启动条件、视为磋商不成）",
                     "en": "consultation rules (path, start, deemed failure)"},
}
CIVIL_CODE = date(2021, 1, 1)
#: Before the Civil Code the ledger keeps CC Art. 1235's five numbered categories as its structure; the
#: law then in force: the 2017 reform plan's scope (second-hand) and, from 2019-06-05, SPC-EDC Arts. 12–14.
PRE_CODE_CATEGORIES = {
    "zh": "；民法典施行前：清单沿用第一千二百三十五条五类编号列示，当时的依据为《生态环境损害赔偿制度改革方案》的赔偿范围"
          "（二手资料）及最高法若干规定第十二条至第十四条（2019年6月5日起）——本软件的对应",
    "en": "; before the Civil Code: the ledger keeps Art. 1235's five numbered categories; the law then was the 2017 reform "
          "plan's scope (second-hand) and, from 2019-06-05, SPC-EDC Arts. 12–14 — our mapping",
}
#: The rule behind the default governing date of each family.
FAMILY_RULE = {"substantive": "SPC-TE-1", "punitive": "SPC-TE-1", "procedural": None, "consultation": None}


class LawDate(StrictModel):
    """A governing date stated by the user, with the reason (a judgment call, shown in the trace)."""

    date: date
    reason: str = Field(min_length=1, description="适用理由 Why this date governs (e.g. the damage appeared after 2021-01-01)")


class LawDates(StrictModel):
    """Per-case governing dates 适用法律的日期 (all optional; default: see assess/law/lawdates.py)."""

    substantive: LawDate | None = Field(default=None, description="date for categories and methods (default dates.incident)")
    punitive: LawDate | None = Field(default=None, description="date for punitive eligibility and cap (default: the substantive date)")
    procedural: LawDate | None = Field(
        default=None, description="date for routing and consultation (default dates.assessment_base, else clue_received, else incident)")
    consultation: LawDate | None = Field(
        default=None, description="date for the consultation rules (default: the consultation's own start date, "
                                  "procedure.consultation_notice_delivered, else the first meeting, else the agreement)")


@dataclass
class Governing:
    """The governing date of one family of rules and the rule set in force on it."""

    family: str
    date: date
    field: str                      # where the date came from: dates.incident, law_dates.punitive, --on …
    reason: str | None
    jurisdiction: str               # the jurisdiction whose rule set applies (a parent before the province's own)
    asked: str                      # the case's jurisdiction
    skipped: list[dict[str, Any]]   # provincial rule sets not yet in force on the date
    period: dict[str, Any] | None   # the national period (documents in force), when recorded

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"family": self.family, "label": FAMILY_LABEL[self.family], "date": self.date.isoformat(),
                               "from": self.field, "jurisdiction_applied": self.jurisdiction}
        if self.reason:
            out["reason"] = self.reason
        if self.skipped:
            out["not_yet_in_force"] = [{"jurisdiction": s["jurisdiction"], "rule_set": s["rule_set"],
                                        "valid_from": s["valid_from"].isoformat()} for s in self.skipped]
        if self.period:
            out["national_rule_set"] = {"zh": self.period["zh"], "en": self.period["en"],
                                        "documents": list(self.period["docs"])}
        return out


@dataclass
class LawInForce:
    """The governing date of each family of rules, with warnings for rule sets not yet in force."""

    families: dict[str, Governing]
    warnings: list[dict[str, str]] = field(default_factory=list)

    def get(self, family: str) -> Governing:
        """The governing date of ``family``; ``consultation`` without its own date follows ``procedural``."""
        if family == CONSULTATION and CONSULTATION not in self.families:
            return self.families["procedural"]
        return self.families[family]

    @property
    def unusual(self) -> bool:
        """True when something other than the default applies (a fallback, a stated date, --on, pre-Code law)."""
        return any(g.skipped or g.reason or g.field == "--on" or g.date < date(2021, 1, 1) for g in self.families.values())

    def to_dict(self) -> dict[str, Any]:
        return {k: g.to_dict() for k, g in self.families.items()}

    def trace(self, store: ParameterStore) -> TraceNode:
        children = []
        for k, g in self.families.items():
            docs = ""
            if g.period:
                names_zh = "、".join(store.documents[d]["zh"] for d in g.period["docs"] if d in store.documents)
                names_en = "; ".join(store.documents[d]["en"] for d in g.period["docs"] if d in store.documents)
                docs_zh, docs_en = f"；国家层面有效：{names_zh}", f"; national documents in force: {names_en}"
            else:
                docs_zh = docs_en = ""
            skipped_zh = "".join(f"；{s['rule_set']['zh']}自{s['valid_from']}起施行，当时尚未施行，适用国家规则"
                                 for s in g.skipped)
            skipped_en = "".join(f"; {s['rule_set']['en']} in force only from {s['valid_from']}: not yet in force, "
                                 "national rules applied" for s in g.skipped)
            why = {"zh": f"；理由：{g.reason}", "en": f"; reason: {g.reason}"} if g.reason else {"zh": "", "en": ""}
            if k == "substantive" and g.date < CIVIL_CODE:
                why = {lang: why[lang] + PRE_CODE_CATEGORIES[lang] for lang in ("zh", "en")}
            docs = {"zh": docs_zh + skipped_zh + why["zh"], "en": docs_en + skipped_en + why["en"]}
            children.append(TraceNode(
                id=f"law.{k}", kind="decision", label=FAMILY_LABEL[k],
                inputs={"date": value_spec(g.date.isoformat(), None, g.field)},
                result=value_spec(g.jurisdiction), rule=FAMILY_RULE[k] if g.field.startswith("dates.") else None,
                note={"zh": f"按 {g.field} 的日期 {g.date} 适用 {g.jurisdiction} 当时有效的规则" + docs["zh"],
                      "en": f"rules of {g.jurisdiction} in force on {g.date} ({g.field})" + docs["en"]},
            ))
        return TraceNode(id="law", kind="note", label={"zh": "适用法律（按日期）", "en": "Law in force (by date)"},
                         children=children,
                         note={"zh": "实体规则按行为或损害发生日，程序规则按各程序步骤之日；每案可在 law_dates 中说明理由另定，--on 覆盖全部",
                               "en": "substantive rules by the date of the act or damage, procedural rules by the date of each "
                                     "step; a case may state other dates with a reason in law_dates; --on overrides all"})


def national_period(store: ParameterStore, jurisdiction: str, on: date) -> dict[str, Any] | None:
    """The recorded national period (documents in force) covering ``on``, if any."""
    for code in store.chain(jurisdiction):
        for p in store.jurisdictions[code].get("periods", []):
            if p["valid_from"] <= on <= p["valid_to"]:
                return p
    return None


def consultation_date(case: Any, stated: LawDates, on: date | None) -> tuple[date, str, str | None] | None:
    """The consultation's own governing date, or None when it follows the procedural date (--on, a stated
    ``law_dates.procedural``, or no consultation event given).  Procedural rules go by the date of each
    step (issue 14 §1): consultation by the day it starts."""
    if on is not None:
        return None
    if stated.consultation is not None:
        return stated.consultation.date, "law_dates.consultation", stated.consultation.reason
    if stated.procedural is not None:
        return None
    started = consultation_started(case.procedure)
    return (started[1], started[0], None) if started else None


def resolve_law(case: Any, store: ParameterStore, on: date | None = None) -> LawInForce:
    """The governing date of each family for ``case`` (``on``: the ``--on`` override of all of them)."""
    stated: LawDates = getattr(case, "law_dates", None) or LawDates()
    raw: dict[str, tuple[date, str, str | None]] = {}
    for family in FAMILIES:
        given = getattr(stated, family)
        if on is not None:
            raw[family] = (on, "--on", None)
        elif given is not None:
            raw[family] = (given.date, f"law_dates.{family}", given.reason)
        elif family == "substantive":
            raw[family] = (case.dates.incident, "dates.incident", None)
        elif family == "punitive":
            raw[family] = raw["substantive"][:2] + (raw["substantive"][2],)
        else:
            d = case.dates
            src = "dates.assessment_base" if d.assessment_base else "dates.clue_received" if d.clue_received else "dates.incident"
            raw[family] = (d.rules_date, src, None)
    cons = consultation_date(case, stated, on)
    if cons is not None:
        raw[CONSULTATION] = cons
    families: dict[str, Governing] = {}
    warnings: list[dict[str, str]] = []
    seen: set[tuple[str, date]] = set()
    for family, (d, src, reason) in raw.items():
        code, skipped = store.rule_set_for(case.jurisdiction, d)
        families[family] = Governing(family, d, src, reason, code, case.jurisdiction, skipped,
                                     national_period(store, code, d))
        for s in skipped:
            key = (s["jurisdiction"], d)
            if key in seen:
                continue
            seen.add(key)
            warnings.append({
                "path": src,
                "zh": f"{s['rule_set']['zh']}自{s['valid_from']}起施行，{d}尚未施行：按当时有效的国家规则办理（{FAMILY_LABEL[family]['zh']}）",
                "en": f"{s['rule_set']['en']} in force only from {s['valid_from']}, not yet on {d}: assessed under the "
                      f"national rules then in force ({FAMILY_LABEL[family]['en']})",
            })
    return LawInForce(families, warnings)


__all__ = ["LawDate", "LawDates", "LawInForce", "Governing", "resolve_law", "consultation_date", "national_period",
           "FAMILIES", "CONSULTATION"]
