"""Routing 程序路径: which path the law sends a case down, each decision with its reason and rule.

Decisions (``Result.routing``), in order:

* ``who_acts`` — the level of government: JS-(一),(四) (province / districted city; escalation of
  major or difficult cases); SH-6 (municipality / district; cross-border cases jointly);
* ``non_initiation`` — grounds not to start or to terminate the claim: SH-14 (1)–(6); JS-(五)
  (simple, undisputed, small, already repaired and paid); NR-18 (显著轻微, second-hand);
* ``major_case`` — JS-(五)'s five criteria; SH-39 (the rights holder's declaration);
* ``assessment_path`` — simplified (expert opinion by ≥ ``experts.min_count`` experts, or
  comprehensive determination) or full: JS-(六),(七); SH-16; NR-20; the JS-(七) express refusal;
  the 环法规〔2025〕6号 Art. 9 amount (``routing.simple_case_max``, ``unverified``: second-hand, document
  dated 2025-01-13) shown as information only — it never fills an absent ``small_damage`` fact (a case
  without it is ``undetermined``);
* ``cost_ratio`` — JS-(七): category 3 / (categories 1 + 2 + 4 + 5) against the policy threshold
  (``routing.cost_ratio_reminder``, overridable per run);
* ``consultation_path`` — JS-(八) tiers on the amount excluding category 3; SH-21 (no money threshold).

Each decision is made ONCE, on arrays, by a ``decide_*`` function (one case is an array of length
one; :func:`assess.app.batch.assess_frame` calls the same functions for a million rows): it returns
the outcome codes and the flags behind them.  :func:`route_case` calls them for one case and then
*explains* each outcome (reason, rule ID, trace nodes) with the wording of the ``law`` message
catalogue (:mod:`factors.i18n`).  Facts are tri-state int8 arrays: -1 not established, 0 false, 1 true.

Every threshold, operator and citation comes from ``data/``; comparisons are exact
(:func:`factors.thresholds.compare_array`: int64 fen against a Fraction) with the operator stored
beside the number, worded as CC-1259 words it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from assess.law.decisions import decision_node, no_rule_text
from factors.errors import RuleNotInForce
from factors.i18n import label
from factors.money import fmt
from factors.store import OP_WORDING, CodedArray, Param, ParamArray, ParameterStore
from factors.thresholds import compare_array
from factors.trace import TraceNode, parameter_node, value_spec

if TYPE_CHECKING:
    from assess.law.case import Case
    from assess.law.ledger import Ledger

SIMPLE_CASE_FACTS = ("simple_facts", "undisputed_liability", "small_damage")
SIMPLE_FACT_LABEL = {
    "simple_facts": label("law", "simple facts"),
    "undisputed_liability": label("law", "undisputed liability"),
    "small_damage": label("law", "small damage"),
}
#: The rule of each decision, by jurisdiction (CN: national rules; None = no national rule recorded).
ASSESSMENT_RULE = {"CN-JS": "JS-(七)", "CN-SH": "SH-16", "CN": "NR-20"}
FULL_ASSESSMENT_RULE = {"CN-JS": "JS-(六)", "CN-SH": "SH-16", "CN": "NR-20"}

#: Outcome codes of each decision; the ``decide_*`` functions return indices into these tuples.
WHO_ACTS = ("province_jointly", "province", "province_escalated", "districted_city", "municipality",
            "municipality_jointly", "undetermined", "district", "no_rule")
NON_INITIATION = ("start", "may_not_start", "may_terminate")
MAJOR_CASE = ("major", "not_established", "not_major", "undetermined", "no_rule")
ASSESSMENT_PATH = ("simplified", "full", "undetermined")
COST_RATIO = ("remind", "no_reminder", "no_rule")
CONSULTATION_PATH = ("direct_sign", "simplified_report", "full", "simplified_allowed", "undetermined", "no_rule")
ROUTING_CODES = {"who_acts": WHO_ACTS, "non_initiation": NON_INITIATION, "major_case": MAJOR_CASE,
                 "assessment_path": ASSESSMENT_PATH, "cost_ratio": COST_RATIO, "consultation_path": CONSULTATION_PATH}

#: SH-14's grounds (1)–(6), in order, with their item.
SH14_GROUNDS = {"already_compensated": "SH-14(1)", "judgment_covers_claims": "SH-14(2)", "significantly_minor": "SH-14(3)",
                "obligor_gone_no_assets": "SH-14(4)", "lawful_permitted_discharge": "SH-14(5)", "other_ground": "SH-14(6)"}
#: JS-(五)'s five criteria of a major case, in order.
JS_MAJOR_CRITERIA = ("emergency_level", "in_key_zone", "assigned_by_inspection", "part_of_assigned_major_matter",
                     "serious_consequences_determined")
#: JS-(五)1: an environmental emergency of 'larger' level or above.
MAJOR_EMERGENCY_LEVELS = ("larger", "major", "especially_major")


# -- arrays in, outcome codes and flags out --------------------------------------------------------

def tri(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Optional facts as int8: -1 not established (None), 0 false, 1 true (already int8: unchanged)."""
    a = np.asarray(values)
    if a.dtype == np.int8:
        return a
    return np.array([-1 if v is None else int(bool(v)) for v in a.reshape(-1)], np.int8)


def _jur(jurisdiction: CodedArray | Sequence[str] | np.ndarray) -> CodedArray:
    return CodedArray.of(jurisdiction)


def _codes(table: tuple[str, ...], *names: str) -> tuple[int, ...]:
    return tuple(table.index(n) for n in names)


def decide_who_acts(jurisdiction: Any, spans: Any, national_major_impact: np.ndarray, escalation_requested: np.ndarray,
                    major_case: np.ndarray) -> np.ndarray:
    """JS-(一),(四); SH-6: the level of government (indices into :data:`WHO_ACTS`).

    ``spans``: one_area / several_areas / beyond_province; ``major_case``: indices into :data:`MAJOR_CASE`.
    """
    jur, where = _jur(jurisdiction), _jur(spans)
    beyond, several = where.equals("beyond_province"), where.equals("several_areas")
    js_code = np.select([beyond, several, (major_case == MAJOR_CASE.index("major")) & (tri(escalation_requested) == 1)],
                        [WHO_ACTS.index("province_jointly"), WHO_ACTS.index("province"), WHO_ACTS.index("province_escalated")],
                        WHO_ACTS.index("districted_city"))
    sh_code = np.select([tri(national_major_impact) == 1, beyond, several],
                        [WHO_ACTS.index("municipality"), WHO_ACTS.index("municipality_jointly"), WHO_ACTS.index("undetermined")],
                        WHO_ACTS.index("district"))
    return np.where(jur.equals("CN-JS"), js_code, np.where(jur.equals("CN-SH"), sh_code, WHO_ACTS.index("no_rule")))


@dataclass
class NonInitiationArrays:
    """Outcome codes (:data:`NON_INITIATION`) and the grounds behind them (each a bool array)."""

    code: np.ndarray
    sh_grounds: dict[str, np.ndarray]      # SH-14 items established (Shanghai)
    national_minor: np.ndarray             # NR-18 显著轻微 (outside Shanghai)
    js_repaired_and_paid: np.ndarray       # JS-(五)
    unrecorded: dict[str, np.ndarray]      # facts given for which the jurisdiction records no ground


def decide_non_initiation(jurisdiction: Any, given: dict[str, np.ndarray], simple: dict[str, np.ndarray],
                          self_repaired: np.ndarray, losses_paid: np.ndarray, opened: np.ndarray) -> NonInitiationArrays:
    """SH-14 (1)–(6); JS-(五); NR-18: whether the claim need not start (or may be terminated).

    ``given``: each SH-14 fact as a bool array (true, or a stated ground); ``simple``: the three
    simple-case facts (tri-state); ``opened``: the case was opened (procedure.case_opened).
    """
    jur = _jur(jurisdiction)
    sh, js = jur.equals("CN-SH"), jur.equals("CN-JS")
    sr, lp = tri(self_repaired), tri(losses_paid)
    sh_grounds = {k: sh & np.asarray(v, bool) for k, v in given.items()}
    national_minor = ~sh & np.asarray(given["significantly_minor"], bool)
    unrecorded = {k: ~sh & np.asarray(v, bool) for k, v in given.items() if k != "significantly_minor"}
    unrecorded["self_repaired"] = ~js & (sr == 1)     # JS-(五) grounds, recorded in Jiangsu only
    unrecorded["losses_paid"] = ~js & (lp == 1)
    js_paid = js & (sr == 1) & (lp == 1) & np.logical_and.reduce([tri(v) == 1 for v in simple.values()])
    any_ground = np.logical_or.reduce([*sh_grounds.values(), national_minor, js_paid])
    code = np.where(~any_ground, NON_INITIATION.index("start"),
                    np.where(np.asarray(opened, bool), NON_INITIATION.index("may_terminate"), NON_INITIATION.index("may_not_start")))
    return NonInitiationArrays(code, sh_grounds, national_minor, js_paid, unrecorded)


@dataclass
class MajorCaseArrays:
    """Outcome codes (:data:`MAJOR_CASE`) and, for Jiangsu, each criterion met / not given."""

    code: np.ndarray
    met: dict[str, np.ndarray]
    unknown: dict[str, np.ndarray]


def decide_major_case(jurisdiction: Any, criteria: dict[str, np.ndarray], declared_major: np.ndarray) -> MajorCaseArrays:
    """JS-(五) (any one of five criteria; ``emergency_level`` as a tri-state 'larger or above'); SH-39 (declared)."""
    jur = _jur(jurisdiction)
    js, sh = jur.equals("CN-JS"), jur.equals("CN-SH")
    crit = {k: tri(criteria[k]) for k in JS_MAJOR_CRITERIA}
    met = {k: js & (v == 1) for k, v in crit.items()}
    unknown = {k: js & (v < 0) for k, v in crit.items()}
    any_met, any_unknown = np.logical_or.reduce(list(met.values())), np.logical_or.reduce(list(unknown.values()))
    js_code = np.where(any_met, MAJOR_CASE.index("major"),
                       np.where(any_unknown, MAJOR_CASE.index("not_established"), MAJOR_CASE.index("not_major")))
    d = tri(declared_major)
    sh_code = np.where(d == 1, MAJOR_CASE.index("major"), np.where(d == 0, MAJOR_CASE.index("not_major"), MAJOR_CASE.index("undetermined")))
    return MajorCaseArrays(np.where(js, js_code, np.where(sh, sh_code, MAJOR_CASE.index("no_rule"))), met, unknown)


def emergency_is_major(levels: Sequence[str | None]) -> np.ndarray:
    """JS-(五)1 as a tri-state: -1 level not given, 1 'larger' or above, 0 below."""
    return np.array([-1 if v is None else int(v in MAJOR_EMERGENCY_LEVELS) for v in levels], np.int8)


_INT64 = (-(1 << 63), (1 << 63) - 1)


def fen_array(values: Any) -> np.ndarray:
    """Amounts in fen as an array that never wraps: int64 while every amount fits, else Python ints.

    ``np.array([10**19])`` is uint64 and ``np.asarray(…, np.int64)`` of it wraps silently negative (a
    10^17 元 case once got "no reminder" for a ratio of 2×10^11); beyond int64 the amounts stay exact
    Python ints (an object array), which :func:`factors.thresholds.compare_array` compares exactly.
    Floats are refused: money never goes through a float.
    """
    a = np.asarray(values)
    if a.dtype.kind == "i":
        return a.astype(np.int64, copy=False)
    if a.dtype.kind == "f":
        raise TypeError("amounts in fen must be whole numbers, never floats")
    ints = [int(v) for v in a.reshape(-1)]
    if all(_INT64[0] <= v <= _INT64[1] for v in ints):
        return np.array(ints, np.int64).reshape(a.shape)
    out = np.empty(len(ints), object)
    out[:] = ints
    return out.reshape(a.shape)


def _where(mask: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.where`` of two fen arrays without a float: object when either holds amounts beyond int64."""
    if a.dtype == object or b.dtype == object:
        return np.where(mask, a.astype(object), b.astype(object))
    return np.where(mask, a, b)


@dataclass
class SimpleCaseIndicator:
    """The 〔2025〕6号 Art. 9 amount compared with each row's damage: information only, never a fact."""

    cap: ParamArray
    excludes_category_3: ParamArray
    measure_excludes: np.ndarray   # the amount compared excludes category 3
    holds: np.ndarray              # amount within the cap (False where no cap is in force)


def simple_case_indicator(store: ParameterStore, jurisdiction: Any, on: Any, total: np.ndarray,
                          excluding_category_3: np.ndarray) -> SimpleCaseIndicator:
    """环法规〔2025〕6号 Art. 9 (``routing.simple_case_max``, unverified): damage within the amount, in fen."""
    jur = _jur(jurisdiction)
    cap = store.lookup_array("routing.simple_case_max", jur, on)
    flag = store.lookup_array("routing.simple_case_excludes_category_3", jur, on)
    excl = flag.found & np.array([v is not None and v == 1 for v in flag.value], bool)
    amount = _where(excl, fen_array(excluding_category_3), fen_array(total))
    holds = cap.found & compare_array(amount, cap.op, *cap.fraction(100))
    return SimpleCaseIndicator(cap, flag, excl, holds)


@dataclass
class AssessmentPathArrays:
    """Outcome codes (:data:`ASSESSMENT_PATH`) and the facts behind them."""

    code: np.ndarray
    js_refused: np.ndarray              # JS-(七) express refusal: full path
    failed: dict[str, np.ndarray]       # a simple-case fact is false
    unknown: dict[str, np.ndarray]      # a simple-case fact is not established


def decide_assessment_path(jurisdiction: Any, simple: dict[str, np.ndarray], refused: np.ndarray) -> AssessmentPathArrays:
    """JS-(六),(七); SH-16; NR-20: simplified when the three simple-case facts hold, full when one fails.

    ``simple``: simple_facts, undisputed_liability, small_damage (tri-state, as established: no
    amount stands in for a missing fact); ``refused``: the obligor expressly refused (JS-(七): full).
    """
    jur = _jur(jurisdiction)
    facts = {k: tri(simple[k]) for k in SIMPLE_CASE_FACTS}
    js_refused = jur.equals("CN-JS") & (tri(refused) == 1)
    failed = {k: v == 0 for k, v in facts.items()}
    unknown = {k: v < 0 for k, v in facts.items()}
    code = np.where(js_refused | np.logical_or.reduce(list(failed.values())), ASSESSMENT_PATH.index("full"),
                    np.where(np.logical_or.reduce(list(unknown.values())), ASSESSMENT_PATH.index("undetermined"),
                             ASSESSMENT_PATH.index("simplified")))
    return AssessmentPathArrays(code, js_refused, failed, unknown)


@dataclass
class CostRatioArrays:
    """Outcome codes (:data:`COST_RATIO`), whether the ratio reaches the threshold, and the threshold."""

    code: np.ndarray
    holds: np.ndarray
    param: ParamArray


def decide_cost_ratio(store: ParameterStore, jurisdiction: Any, on: Any, category_3: np.ndarray, others: np.ndarray,
                      threshold: Decimal | None = None) -> CostRatioArrays:
    """JS-(七): remind the obligor of the simplified path when (3) / ((1)+(2)+(4)+(5)) reaches the threshold.

    Amounts in fen (int64); the ratio is compared exactly; with nothing else, any category 3 counts.
    """
    param = store.lookup_array("routing.cost_ratio_reminder", _jur(jurisdiction), on)
    if threshold is not None:
        value = Decimal(threshold)
        param = param.map_params(lambda p: replace(
            p, value=value, kind="policy_default", quote=None,
            reason=f"overridden for this run (--cost-ratio-threshold / cost_ratio_threshold); data default {p.value}"))
    cat3, others = fen_array(category_3), fen_array(others)
    positive = others > 0
    if param.params:
        num, den = param.fraction()
        by_ratio = compare_array(cat3, param.op, num, den, left_den=np.where(positive, others, 1))
    else:
        by_ratio = np.zeros(cat3.shape, bool)
    holds = np.where(positive, by_ratio, cat3 > 0)
    code = np.where(~param.found, COST_RATIO.index("no_rule"), np.where(holds, COST_RATIO.index("remind"), COST_RATIO.index("no_reminder")))
    return CostRatioArrays(code, holds, param)


@dataclass
class ConsultationArrays:
    """Outcome codes (:data:`CONSULTATION_PATH`) and the JS-(八) tiers and conditions behind them."""

    code: np.ndarray
    direct_sign: ParamArray
    report: ParamArray
    in_direct: np.ndarray          # amount within the direct-signing tier
    in_report: np.ndarray          # amount within the case-by-case report tier
    tier: np.ndarray               # JS tier: direct_sign / simplified_report / full
    not_simplified: np.ndarray     # blocker: the assessment path is full
    refused: np.ndarray            # blocker: the obligor does not agree
    unsettled: np.ndarray          # condition: the assessment path is not yet simplified
    agreement_unknown: np.ndarray  # condition: the obligor's agreement not established
    tiers_missing: np.ndarray      # a Jiangsu row without both tiers in force


def decide_consultation_path(store: ParameterStore, jurisdiction: Any, on: Any, excluding_category_3: np.ndarray,
                             assessment: np.ndarray, simple: dict[str, np.ndarray], agrees: np.ndarray) -> ConsultationArrays:
    """JS-(八): tiers on the amount excluding category 3 (fen), given the simplified assessment and the
    obligor's agreement; SH-21: simple cases may simplify consultation (no money threshold)."""
    jur = _jur(jurisdiction)
    js, sh = jur.equals("CN-JS"), jur.equals("CN-SH")
    amount = fen_array(excluding_category_3)
    p1 = store.lookup_array("consultation.simplified.direct_sign_max", jur, on)
    p2 = store.lookup_array("consultation.simplified.report_max", jur, on)
    in1 = p1.found & compare_array(amount, p1.op, *p1.fraction(100)) if p1.params else np.zeros(amount.shape, bool)
    in2 = p2.found & compare_array(amount, p2.op, *p2.fraction(100)) if p2.params else np.zeros(amount.shape, bool)
    direct, report, full = _codes(CONSULTATION_PATH, "direct_sign", "simplified_report", "full")
    tier = np.where(in1, direct, np.where(in2, report, full))
    a = np.asarray(assessment)
    not_simplified = a == ASSESSMENT_PATH.index("full")
    unsettled = (a != ASSESSMENT_PATH.index("full")) & (a != ASSESSMENT_PATH.index("simplified"))
    ag = tri(agrees)
    refused, agreement_unknown = ag == 0, ag < 0
    js_code = np.where((tier != full) & ~not_simplified & ~refused, tier, full)
    facts = [tri(simple[k]) for k in SIMPLE_CASE_FACTS]
    sh_code = np.where(np.logical_and.reduce([v == 1 for v in facts]), CONSULTATION_PATH.index("simplified_allowed"),
                       np.where(np.logical_or.reduce([v == 0 for v in facts]), full, CONSULTATION_PATH.index("undetermined")))
    code = np.where(js, js_code, np.where(sh, sh_code, CONSULTATION_PATH.index("no_rule")))
    return ConsultationArrays(code, p1, p2, in1, in2, tier, not_simplified, refused, unsettled, agreement_unknown,
                              js & ~(p1.found & p2.found))


# -- one case: the same functions on arrays of length one, then the explanation ----------------

@dataclass
class Decision:
    """One routing decision: outcome code and label, the reason, the rule, the facts that triggered it."""

    key: str
    label: dict[str, str]
    outcome: str
    outcome_label: dict[str, str]
    reason: dict[str, str]
    rule: str | None
    node: TraceNode
    triggers: list[dict[str, Any]] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {"key": self.key, "label": self.label, "outcome": self.outcome, "outcome_label": self.outcome_label,
               "reason": self.reason, "rule": self.rule, "citation": self.node.citation}
        if self.triggers:
            out["triggers"] = self.triggers
        if self.figures:
            out["figures"] = self.figures
        return out


@dataclass
class Routing:
    """Every routing decision for a case under the rules in force on ``on``."""

    jurisdiction: str
    on: date
    decisions: list[Decision]
    notes: list[dict[str, str]] = field(default_factory=list)

    def get(self, key: str) -> Decision:
        return next(d for d in self.decisions if d.key == key)

    def to_dict(self) -> dict[str, Any]:
        return {"jurisdiction": self.jurisdiction, "rules_date": self.on.isoformat(), "notes": self.notes,
                "decisions": [d.to_dict() for d in self.decisions]}

    def trace(self) -> TraceNode:
        return TraceNode(id="routing", kind="note", label=label("law", "Routing"), children=[d.node for d in self.decisions])


def _cat(*parts: dict[str, str] | str) -> dict[str, str]:
    """Labels (and plain strings, the same in both languages) joined end to end, language by language."""
    return {lang: "".join(p if isinstance(p, str) else p[lang] for p in parts) for lang in ("zh", "en")}


def _join(items: list[dict[str, str]], zh: str, en: str) -> dict[str, str]:
    return {"zh": zh.join(i["zh"] for i in items), "en": en.join(i["en"] for i in items)}


def _colon(a: dict[str, str], b: dict[str, str]) -> dict[str, str]:
    """'a：b' in Chinese, 'a: b' in English."""
    return {"zh": f"{a['zh']}：{b['zh']}", "en": f"{a['en']}: {b['en']}"}


def _decision(key: str, dlabel: dict[str, str], code: str, outcome_label: dict[str, str], reason: dict[str, str],
              rule: str | None, children: list[TraceNode] | None = None, **extra: Any) -> Decision:
    node = TraceNode(id=f"routing.{key}", kind="decision", label=dlabel, result={"value": code}, rule=rule,
                     note=_colon(outcome_label, reason), children=children or [])
    return Decision(key=key, label=dlabel, outcome=code, outcome_label=outcome_label, reason=reason, rule=rule,
                    node=node, **extra)


def _trigger(path: str, value: Any, tlabel: dict[str, str]) -> dict[str, Any]:
    return {"field": path, "value": value, "label": tlabel}


class _Explainer:
    """Explains, for one case, the outcomes the ``decide_*`` functions return for it."""

    def __init__(self, case: "Case", ledger: "Ledger", on: date, store: ParameterStore, threshold: Decimal | None):
        self.case, self.ledger, self.on, self.store = case, ledger, on, store
        self.jur = case.jurisdiction
        self.f = case.facts
        self.override = threshold
        self.j = CodedArray.of([case.jurisdiction])
        self.day = np.array([on], "datetime64[D]")
        self.simple = {k: tri([getattr(self.f, k)]) for k in SIMPLE_CASE_FACTS}

    def lookup(self, name: str) -> Param | RuleNotInForce:
        return self.store.lookup_array(name, self.j, self.day).param_or_why(0)

    # -- who acts (JS-(一),(四); SH-6) --------------------------------------------------------
    def who_acts(self, major: Decision) -> Decision:
        dlabel = label("law", "Who acts (level of government)")
        loc = self.f.location
        code = WHO_ACTS[int(decide_who_acts(self.j, [loc.spans], tri([loc.national_major_impact]),
                                            tri([loc.escalation_requested]), np.array([MAJOR_CASE.index(major.outcome)]))[0])]
        spans = _trigger("facts.location.spans", loc.spans, {})
        if code == "province_jointly":
            return _decision("who_acts", dlabel, code, label("law", "the province jointly with the other province"),
                             label("law", "damage across the provincial border: joint jurisdiction of the provincial governments "
                                          "(national rules; article not verified)"),
                             "NR-cross-border", triggers=[{**spans, "label": label("law", "cross-border")}])
        if code == "province":
            return _decision("who_acts", dlabel, code, label("law", "the provincial government"),
                             label("law", "JS-(四) gives the districted city only cases within its area; for damage across several "
                                          "cities the text is silent, so the other rights holder named in JS-(一), the province, "
                                          "is shown (our reading)"),
                             "JS-(一)", triggers=[{**spans, "label": label("law", "several cities")}])
        city = {"zh": loc.districted_city or "损害发生地设区市",
                "en": loc.districted_city or "the districted city where the damage occurred"}
        if code == "province_escalated":
            return _decision("who_acts", dlabel, code, label("law", "the province (escalated)"),
                             label("law", "a major or difficult case of {city} escalated to the province at the city's request", city=city),
                             "JS-(四)", triggers=[_trigger("facts.location.escalation_requested", True,
                                                          label("law", "escalation requested"))])
        if code == "districted_city":
            extra = label("law", "; as a major case it may be escalated to the province") if major.outcome == "major" else _cat("")
            return _decision("who_acts", dlabel, code, label("law", "the government of {city}", city=city),
                             _cat(label("law", "a case within a districted city is handled by the city government"), extra), "JS-(四)")
        if code == "municipality":
            return _decision("who_acts", dlabel, code, label("law", "the municipal government"),
                             label("law", "a case with major national impact is handled by the municipality"),
                             "SH-6", triggers=[_trigger("facts.location.national_major_impact", True, label("law", "major national impact"))])
        if code == "municipality_jointly":
            return _decision("who_acts", dlabel, code, label("law", "the municipality jointly with the other province"),
                             label("law", "damage across the municipal border: joint jurisdiction with the other provincial government"),
                             "SH-6", triggers=[{**spans, "label": label("law", "across the municipal border")}])
        if code == "undetermined":
            return _decision("who_acts", dlabel, code, label("law", "to be determined"),
                             label("law", "Art. 6 gives the district where the damage occurred; damage across districts is not "
                                          "provided for: the rights holders must decide"),
                             "SH-6", triggers=[{**spans, "label": label("law", "several districts")}])
        if code == "district":
            district = {"zh": loc.district or "损害发生地的区", "en": loc.district or "the district where the damage occurred"}
            return _decision("who_acts", dlabel, code, label("law", "the government of {district}", district=district),
                             label("law", "other cases are handled by the district where the damage occurred"), "SH-6")
        return _decision("who_acts", dlabel, code, label("law", "no national rule recorded"),
                         label("law", "national rules only: no national rule recorded on which level acts (provincial and "
                                      "districted-city governments are both rights holders)"), None)

    # -- grounds not to start / to terminate (SH-14; JS-(五); NR-18) --------------------------
    def non_initiation(self) -> Decision:
        dlabel = label("law", "Grounds not to start or to terminate the claim")
        ni = self.f.non_initiation
        values = {name: getattr(ni, name) for name in SH14_GROUNDS}
        opened = self.case.procedure.case_opened is not None
        out = decide_non_initiation(self.j, {k: np.array([bool(v)]) for k, v in values.items()}, self.simple,
                                    tri([ni.self_repaired]), tri([ni.losses_paid]), np.array([opened]))
        sh_labels = {
            "already_compensated": label("law", "the obligor has already fulfilled the compensation"),
            "judgment_covers_claims": label("law", "an effective judgment covers every claim"),
            "significantly_minor": label("law", "damage significantly minor, no compensation needed"),
            "obligor_gone_no_assets": label("law", "obligor terminated, dissolved or dead, no property to enforce against"),
            "lawful_permitted_discharge": label("law", "lawful permitted discharge in line with national rules"),
            "other_ground": label("law", "another ground not to start"),
        }
        grounds: list[tuple[str, str, str, Any, dict[str, str]]] = []   # (code, rule, field, value, label)
        for name, rule in SH14_GROUNDS.items():
            if out.sh_grounds[name][0]:
                grounds.append((name, rule, f"facts.non_initiation.{name}", values[name], sh_labels[name]))
            elif name == "significantly_minor" and out.national_minor[0]:   # the national ground, which JS-(五) refers to
                grounds.append((name, "NR-18", f"facts.non_initiation.{name}", values[name],
                                label("law", "damage significantly minor, no compensation needed (NR Art. 18, second-hand)")))
        if out.js_repaired_and_paid[0]:
            need = [*SIMPLE_CASE_FACTS, "non_initiation.self_repaired", "non_initiation.losses_paid"]
            grounds.append(("js_repaired_and_paid", "JS-(五)", "facts." + ", facts.".join(need), True,
                            label("law", "simple facts, undisputed liability, small damage, and the obligor has repaired and "
                                         "paid the Art. 1235 losses")))
        unrecorded = [f"facts.non_initiation.{k}" for k, v in out.unrecorded.items() if v[0]]
        triggers = [{"code": c, "rule": r, "field": p, "value": v, "label": lab} for c, r, p, v, lab in grounds]
        children = [TraceNode(id=f"routing.non_initiation.{c}", kind="input", label=lab,
                              inputs={"fact": value_spec(v, None, p)}, rule=r.split("(")[0] if r.startswith("SH") else r)
                    for c, r, p, v, lab in grounds]
        fields = ", ".join(unrecorded)
        if not unrecorded:
            note = _cat("")
        elif self.jur == "CN":
            note = label("law", "; no ground recorded in national rules for: {fields}", fields=fields)
        else:
            note = label("law", "; no ground recorded in {where} for: {fields}", where=self.jur, fields=fields)
        rule = {"CN-SH": "SH-14", "CN-JS": "JS-(五)", "CN": "NR-18"}[self.jur]
        code = NON_INITIATION[int(out.code[0])]
        if code == "start":
            return _decision("non_initiation", dlabel, code, label("law", "start (continue) the claim"),
                             _cat(label("law", "no ground not to start or to terminate is established"), note), rule, children)
        if code == "may_terminate":
            olabel = label("law", "the claim may be terminated")
            lead = label("law", "grounds found after the case was opened (procedure.case_opened): the claim may be terminated")
        else:
            olabel = label("law", "the claim need not be started")
            lead = label("law", "after verification these grounds exist: the claim need not be started")
        listed = {"zh": "；".join(f"{lab['zh']}（{r}，{p}）" for _, r, p, _, lab in grounds),
                  "en": "; ".join(f"{lab['en']} ({r}, {p})" for _, r, p, _, lab in grounds)}
        return _decision("non_initiation", dlabel, code, olabel, _cat(_colon(lead, listed), note), rule, children,
                         triggers=triggers)

    # -- major case (JS-(五); SH-39) ----------------------------------------------------------
    def major_case(self) -> Decision:
        dlabel = label("law", "Major case")
        m = self.f.major
        criteria = {k: tri([getattr(m, k)]) for k in JS_MAJOR_CRITERIA}
        criteria["emergency_level"] = emergency_is_major([m.emergency_level])
        out = decide_major_case(self.j, criteria, tri([m.declared_major]))
        code = MAJOR_CASE[int(out.code[0])]
        if self.jur == "CN-JS":
            crit_labels = {
                "emergency_level": label("law", "1. an environmental emergency of 'larger' level or above"),
                "in_key_zone": label("law", "2. in a national or provincial key ecological function zone, prohibited development "
                                            "zone or red-line area"),
                "assigned_by_inspection": label("law", "3. found and assigned by central or provincial inspection"),
                "part_of_assigned_major_matter": label("law", "4. part of a major matter assigned by the state or province"),
                "serious_consequences_determined": label("law", "5. serious consequences determined by the city or a provincial "
                                                                "department"),
            }
            met = [k for k in JS_MAJOR_CRITERIA if out.met[k][0]]
            if code == "major":
                triggers = [_trigger(f"facts.major.{k}", getattr(m, k), crit_labels[k]) for k in met]
                children = [TraceNode(id=f"routing.major_case.{k}", kind="input", label=crit_labels[k],
                                      inputs={"fact": value_spec(getattr(m, k), None, f"facts.major.{k}")}, rule="JS-(五)")
                            for k in met]
                return _decision("major_case", dlabel, code, label("law", "major case"),
                                 label("law", "meets: {criteria}. Keep a ledger and a timetable, speed up, report progress to "
                                              "the rights holder periodically; may be escalated to the province (JS-(四))",
                                       criteria=_join([crit_labels[k] for k in met], "；", "; ")),
                                 "JS-(五)", children, triggers=triggers)
            if code == "not_established":
                unknown = ", ".join(f"facts.major.{k}" for k in JS_MAJOR_CRITERIA if out.unknown[k][0])
                return _decision("major_case", dlabel, code, label("law", "not established as a major case"),
                                 label("law", "none of the five criteria is established; not given: {fields}", fields=unknown), "JS-(五)")
            return _decision("major_case", dlabel, code, label("law", "not a major case"),
                             label("law", "none of the five criteria is met"), "JS-(五)")
        if self.jur == "CN-SH":
            if code == "major":
                return _decision("major_case", dlabel, code, label("law", "major case"),
                                 label("law", "report the major case to the higher authority, keep a ledger and a timetable, speed up"),
                                 "SH-39", triggers=[_trigger("facts.major.declared_major", True, label("law", "declared major"))])
            return _decision("major_case", dlabel, code,
                             label("law", "not a major case") if code == "not_major" else label("law", "undetermined"),
                             label("law", "SH Art. 39 fixes no criteria for a major case; facts.major.declared_major records the "
                                          "rights holder's view (Jiangsu's JS-(五) criteria are not Shanghai rules)"), "SH-39")
        return _decision("major_case", dlabel, code, label("law", "no national rule recorded"),
                         label("law", "national rules only: no national major-case criteria recorded (Huan Fa Gui [2025] No. 6 "
                                      "Art. 10: content not verified)"), None)

    # -- simple-case amount (环法规〔2025〕6号 Art. 9, unverified): information only ----------------
    def simple_case_indicator(self) -> tuple[bool | None, TraceNode | None, dict[str, str]]:
        total, excl = int(self.ledger.total / Decimal("0.01")), int(self.ledger.excluding_assessment_costs / Decimal("0.01"))
        ind = simple_case_indicator(self.store, self.j, self.day, fen_array([total]), fen_array([excl]))
        cap = ind.cap.param(0)
        if cap is None:
            return None, None, label("law", "no simple-case amount recorded for this date (Huan Fa Gui [2025] No. 6 Art. 9)")
        flag = ind.excludes_category_3.param(0)
        excludes = bool(ind.measure_excludes[0])
        amount = self.ledger.excluding_assessment_costs if excludes else self.ledger.total
        source = "ledger.excluding_assessment_costs" if excludes else "ledger.total"
        holds = bool(ind.holds[0])
        outcome = (label("law", "by this amount the damage is small (second-hand; indicative only)") if holds
                   else label("law", "by this amount the damage is not small (second-hand; indicative only)"))
        children = [parameter_node("routing.simple_case.measure", flag)] if flag is not None else []
        node = decision_node("routing.simple_case", label("law", "Simple-case amount (Huan Fa Gui [2025] No. 6 Art. 9)"),
                             fmt(amount), source, cap, holds, "元", outcome, children)
        return holds, node, outcome

    # -- assessment path (JS-(六),(七); SH-16; NR-20) -----------------------------------------
    def assessment_path(self) -> Decision:
        dlabel = label("law", "Assessment path")
        rule = ASSESSMENT_RULE[self.jur]
        refused = self.f.obligor_refused_simplified
        out = decide_assessment_path(self.j, self.simple, tri([refused]))
        code = ASSESSMENT_PATH[int(out.code[0])]
        facts = {k: getattr(self.f, k) for k in SIMPLE_CASE_FACTS}
        children: list[TraceNode] = []
        notes: list[dict[str, str]] = []
        derived, node, ind = self.simple_case_indicator()
        if node is None and facts["small_damage"] is None:
            notes.append(ind)
        if node is not None:
            children.append(node)
            if facts["small_damage"] is None:   # issue 14 §3: an unverified figure never fills the fact
                notes.append(label("law", "facts.small_damage absent; the Huan Fa Gui [2025] No. 6 Art. 9 amount (second-hand, for "
                                          "information only, not used to decide): {indicator}", indicator=ind))
            elif facts["small_damage"] != derived:
                notes.append(label("law", "note: facts.small_damage differs from the Huan Fa Gui [2025] No. 6 Art. 9 amount "
                                          "({indicator})", indicator=ind))
        if refused and self.jur == "CN":
            notes.append(label("law", "the obligor refused the simplified assessment: no consequence recorded in national rules "
                                      "(JS-(七) sends such cases to a joint commission)"))
        elif refused and self.jur != "CN-JS":
            notes.append(label("law", "the obligor refused the simplified assessment: no consequence recorded in {where} (JS-(七) "
                                      "sends such cases to a joint commission)", where=self.jur))
        tail = {"zh": "".join("；" + n["zh"] for n in notes), "en": "; ".join(n["en"] for n in notes)}
        tail["en"] = "; " + tail["en"] if notes else ""
        fact_nodes = [TraceNode(id=f"routing.assessment_path.{k}", kind="input", label=SIMPLE_FACT_LABEL[k],
                                inputs={"fact": value_spec(v, None, f"facts.{k}")}) for k, v in facts.items()]
        children = fact_nodes + children
        if out.js_refused[0]:
            return _decision("assessment_path", dlabel, code, label("law", "full assessment (joint commission)"),
                             _cat(label("law", "the obligor expressly refused the simplified assessment: a qualified institution "
                                               "is jointly commissioned"), tail),
                             "JS-(七)", children, triggers=[_trigger("facts.obligor_refused_simplified", True,
                                                                    label("law", "express refusal"))])
        failed = [k for k in SIMPLE_CASE_FACTS if out.failed[k][0]]
        if code == "full":
            return _decision("assessment_path", dlabel, code, label("law", "full assessment (qualified institution)"),
                             _cat(label("law", "the simplified-path conditions fail ({facts}): a qualified institution issues "
                                               "the appraisal", facts=_join([SIMPLE_FACT_LABEL[k] for k in failed], "、", ", ")), tail),
                             FULL_ASSESSMENT_RULE[self.jur], children,
                             triggers=[_trigger(f"facts.{k}", False, SIMPLE_FACT_LABEL[k]) for k in failed])
        if code == "undetermined":
            missing = ", ".join("facts." + k for k in SIMPLE_CASE_FACTS if out.unknown[k][0])
            return _decision("assessment_path", dlabel, code, label("law", "undetermined"),
                             _cat(label("law", "missing facts: {fields}", fields=missing), tail), rule, children)
        experts = self.lookup("experts.min_count")
        if isinstance(experts, RuleNotInForce):
            how = label("law", "expert opinion or comprehensive determination")
        else:
            children.append(parameter_node("routing.assessment_path.experts", experts))
            how = label("law", "an expert opinion ({op} {count} experts) or a comprehensive determination from legal documents "
                               "and monitoring reports", op=OP_WORDING[experts.op], count=experts.value)
        return _decision("assessment_path", dlabel, code, label("law", "simplified assessment"),
                         _cat(label("law", "simple facts, undisputed liability, small damage: "), how, tail), rule, children)

    # -- cost ratio (JS-(七)) -----------------------------------------------------------------
    def cost_ratio(self) -> Decision:
        dlabel = label("law", "Share of investigation and assessment costs")
        cat3, others = self.ledger.amount("assessment_costs"), self.ledger.excluding_assessment_costs
        out = decide_cost_ratio(self.store, self.j, self.day, fen_array([int(cat3 / Decimal("0.01"))]),
                                fen_array([int(others / Decimal("0.01"))]), self.override)
        figures = {"category_3": fmt(cat3), "other_categories": fmt(others)}
        ratio = None if others == 0 else Fraction(cat3) / Fraction(others)
        if ratio is None:
            shown = "∞" if cat3 > 0 else "—"
        else:
            shown = str((Decimal(ratio.numerator) / Decimal(ratio.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP))
        figures["ratio"] = shown
        formula_node = TraceNode(
            id="routing.cost_ratio.ratio", kind="formula", label=label("law", "cost ratio"),
            formula="(3) / ((1) + (2) + (4) + (5))",
            inputs={"category_3": value_spec(fmt(cat3), "元", "ledger.assessment_costs"),
                    "others": value_spec(fmt(others), "元", "ledger.excluding_assessment_costs")},
            result=value_spec(shown, None, rounding=label("law", "shown to 4 places; compared exactly")))
        code = COST_RATIO[int(out.code[0])]
        if code == "no_rule":
            text = no_rule_text("routing.cost_ratio_reminder", self.jur, out.param.why(0))
            if self.override is not None:
                text = _cat(text, label("law", "; the threshold given for this run is not used"))
            return _decision("cost_ratio", dlabel, code, label("law", "ratio reported only"),
                             label("law", "ratio {ratio}; {text}", ratio=shown, text=text), None, [formula_node], figures=figures)
        param = out.param.param(0)
        holds = bool(out.holds[0])
        cmp = label("law", "ratio {ratio}, threshold {op} {value} ({kind})", ratio=shown, op=OP_WORDING[param.op],
                    value=param.value, kind=param.kind)
        if code == "remind":
            olabel = label("law", "remind the obligor of the simplified assessment")
            text = label("law", "category 3 is clearly higher than the other losses and costs: the department must remind the "
                                "obligor of the simplified assessment")
            if self.f.obligor_refused_simplified:
                text = _cat(text, label("law", "; the obligor expressly refused, so a qualified institution is jointly commissioned"))
        else:
            olabel = label("law", "no reminder required")
            text = label("law", "category 3 is below the policy threshold for 'clearly higher'")
        text = _colon(cmp, text)
        node = decision_node("routing.cost_ratio", dlabel, shown, "routing.cost_ratio.ratio", param, holds, None, text, [formula_node])
        return Decision("cost_ratio", dlabel, code, olabel, text, param.rule, node, figures=figures)

    # -- consultation path (JS-(八); SH-21) ---------------------------------------------------
    def consultation_path(self, assessment: Decision) -> Decision:
        dlabel = label("law", "Consultation path")
        excl = self.ledger.excluding_assessment_costs
        out = decide_consultation_path(self.store, self.j, self.day, fen_array([int(excl / Decimal("0.01"))]),
                                       np.array([ASSESSMENT_PATH.index(assessment.outcome)]), self.simple,
                                       tri([self.f.obligor_agrees_simplified_consultation]))
        code = CONSULTATION_PATH[int(out.code[0])]
        if self.jur == "CN-JS":
            return self._js_consultation(dlabel, out, code)
        if self.jur == "CN-SH":
            msg = label("law", "no money threshold in this jurisdiction")
            if code == "simplified_allowed":
                return _decision("consultation_path", dlabel, code, label("law", "simplified consultation allowed"),
                                 _cat(label("law", "simple case: consultation may be simplified (correspondence, online meetings, "
                                                   "signing by mail); "), msg), "SH-21")
            if code == "full":
                failed = [k for k in SIMPLE_CASE_FACTS if self.simple[k][0] == 0]
                return _decision("consultation_path", dlabel, code, label("law", "full consultation"),
                                 _cat(label("law", "not a simple case ({facts}); ",
                                            facts=_join([SIMPLE_FACT_LABEL[k] for k in failed], "、", ", ")), msg), "SH-21")
            missing = ", ".join(f"facts.{k}" for k in SIMPLE_CASE_FACTS if self.simple[k][0] < 0)
            return _decision("consultation_path", dlabel, code, label("law", "undetermined"),
                             _cat(label("law", "missing facts: {fields}; ", fields=missing), msg), "SH-21")
        tier = out.direct_sign.param_or_why(0)
        no_tier = (no_rule_text("consultation.simplified.direct_sign_max", self.jur, tier)
                   if isinstance(tier, RuleNotInForce) else None)
        return _decision("consultation_path", dlabel, code, label("law", "no national rule recorded"),
                         label("law", "national rules only: {text}", text=no_tier), None)

    def _js_consultation(self, dlabel: dict[str, str], out: ConsultationArrays, code: str) -> Decision:
        if out.tiers_missing[0]:
            raise next(p.why(0) for p in (out.direct_sign, out.report) if not p.found[0])
        amount = self.ledger.excluding_assessment_costs
        p1, p2 = out.direct_sign.param(0), out.report.param(0)
        in1, in2 = bool(out.in_direct[0]), bool(out.in_report[0])
        tier = CONSULTATION_PATH[int(out.tier[0])]
        tiers = {
            "direct_sign": label("law", "simplified: sign the agreement directly, no meeting"),
            "simplified_report": label("law", "simplified, with a case-by-case report to the rights holder"),
            "full": label("law", "full consultation"),
        }
        not_this = label("law", "not this tier")
        n1 = decision_node("routing.consultation_path.direct_sign", label("law", "Direct-signing tier"), fmt(amount),
                           "ledger.excluding_assessment_costs", p1, in1, "元", tiers["direct_sign"] if in1 else not_this)
        n2 = decision_node("routing.consultation_path.report", label("law", "Case-by-case report tier"), fmt(amount),
                           "ledger.excluding_assessment_costs", p2, in2, "元",
                           tiers["simplified_report"] if (in2 and not in1) else not_this)
        children = [n1] if in1 else [n1, n2]
        basis = label("law", "damage excluding category 3: {amount} yuan (direct signing: {op1} {value1}; report: {op2} {value2})",
                      amount=fmt(amount), op1=OP_WORDING[p1.op], value1=p1.value, op2=OP_WORDING[p2.op], value2=p2.value)
        figures = {"amount_excluding_category_3": fmt(amount)}
        if tier == "full":
            return _decision("consultation_path", dlabel, code, tiers["full"],
                             _cat(basis, label("law", ", above the simplified-consultation ceiling")),
                             "JS-(八)", children, figures=figures)
        blockers, conditions = [], []
        if out.not_simplified[0]:
            blockers.append(label("law", "the amount was not fixed by the simplified assessment (the assessment path is full)"))
        elif out.unsettled[0]:
            conditions.append(label("law", "the amount is fixed by the simplified assessment"))
        if out.refused[0]:
            blockers.append(label("law", "the obligor does not agree to simplified consultation"))
        elif out.agreement_unknown[0]:
            conditions.append(label("law", "the obligor agrees (facts.obligor_agrees_simplified_consultation)"))
        if blockers:
            return _decision("consultation_path", dlabel, code, tiers["full"],
                             _cat(basis, label("law", ", within a simplified tier, but {blockers}",
                                               blockers=_join(blockers, "；", "; "))),
                             "JS-(八)", children, figures=figures)
        if conditions:
            return _decision("consultation_path", dlabel, code, tiers[tier],
                             _cat(basis, label("law", "; provided that {conditions}", conditions=_join(conditions, "；", "; "))),
                             "JS-(八)", children, figures={**figures, "conditional": "true"})
        return _decision("consultation_path", dlabel, code, tiers[tier], basis, "JS-(八)", children, figures=figures)


def route_case(case: "Case", ledger: "Ledger", on: date, store: ParameterStore,
               cost_ratio_threshold: Decimal | str | None = None,
               consultation: tuple[str, date, str] | None = None) -> Routing:
    """Every routing decision for ``case`` (its ledger computed) under the rules in force on ``on``.

    ``consultation``: the consultation's own governing date (procedural rules by the date of each step,
    :func:`assess.law.lawdates.resolve_law`) as (jurisdiction whose rules are in force then, date, the
    field it came from): the consultation path is decided under those rules, and the decision says so."""
    threshold = None if cost_ratio_threshold is None else Decimal(str(cost_ratio_threshold))
    r = _Explainer(case, ledger, on, store, threshold)
    major = r.major_case()
    assessment = r.assessment_path()
    if consultation is None:
        consult = r.consultation_path(assessment)
    else:
        cjur, con, cfield = consultation
        ccase = case if cjur == case.jurisdiction else case.model_copy(update={"jurisdiction": cjur})
        consult = _Explainer(ccase, ledger, con, store, threshold).consultation_path(assessment)
        consult.figures = {**consult.figures, "governing_date": con.isoformat(), "governing_date_from": cfield,
                           "jurisdiction_applied": cjur}
        consult.node.children.insert(0, TraceNode(
            id="routing.consultation_path.date", kind="input",
            label={"zh": "磋商规则适用日", "en": "Date of the consultation rules"},
            inputs={"date": value_spec(con.isoformat(), None, cfield)}, result=value_spec(cjur),
            note={"zh": f"磋商按其自身启动之日（{cfield}）{con} 适用 {cjur} 当时有效的规则，而非评估基准日 {on}",
                  "en": f"consultation is judged on its own start date ({cfield}) {con}, under the rules of {cjur} "
                        f"then in force, not on the procedural date {on}"}))
    decisions = [r.who_acts(major), r.non_initiation(), major, assessment, r.cost_ratio(), consult]
    notes = []
    if case.jurisdiction == "CN":
        notes.append(label("law", "national rules only: national rules are used where the data has them; where only Jiangsu "
                                  "or Shanghai has a rule the output says 'no national rule recorded'"))
    return Routing(jurisdiction=case.jurisdiction, on=on, decisions=decisions, notes=notes)
