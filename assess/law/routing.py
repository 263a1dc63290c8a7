"""Routing 程序路径: which path the law sends a case down, each decision with its reason and rule.

Decisions (``Result.routing``), in order:

* ``who_acts`` — the level of government: JS-(一),(四) (province / districted city; escalation of
  major or difficult cases); SH-6 (municipality / district; cross-border cases jointly);
* ``non_initiation`` — grounds not to start or to terminate the claim: SH-14 (1)–(6); JS-(五)
  (simple, undisputed, small, already repaired and paid); NR-18 (显著轻微, second-hand);
* ``major_case`` — JS-(五)'s five criteria; SH-39 (the rights holder's declaration);
* ``assessment_path`` — simplified (expert opinion by ≥ ``experts.min_count`` experts, or
  comprehensive determination) or full: JS-(六),(七); SH-16; NR-20; the JS-(七) express refusal;
  the 环法规〔2025〕6号 Art. 9 amount (second-hand, document dated 2025-01-13) shown as information
  only — it never fills an absent ``small_damage`` fact (a case without it is ``undetermined``);
* ``cost_ratio`` — JS-(七): category 3 / (categories 1 + 2 + 4 + 5) against the policy threshold
  (``routing.cost_ratio_reminder``, overridable per run);
* ``consultation_path`` — JS-(八) tiers on the amount excluding category 3; SH-21 (no money threshold).

Every threshold, operator and citation comes from ``data/``; comparisons are exact (Decimal or
Fraction) with the operator stored beside the number, worded as CC-1259 words it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from assess.law.decisions import compare, decision_node, no_rule_text
from factors.errors import RuleNotInForce
from factors.money import fmt
from factors.store import OP_WORDING, Param, ParameterStore
from factors.trace import TraceNode, parameter_node, value_spec

if TYPE_CHECKING:
    from assess.law.case import Case
    from assess.law.ledger import Ledger

SIMPLE_CASE_FACTS = ("simple_facts", "undisputed_liability", "small_damage")
SIMPLE_FACT_LABEL = {
    "simple_facts": {"zh": "损害事实简单", "en": "simple facts"},
    "undisputed_liability": {"zh": "责任认定无争议", "en": "undisputed liability"},
    "small_damage": {"zh": "损害较小", "en": "small damage"},
}
#: The rule of each decision, by jurisdiction (CN: national rules; None = no national rule recorded).
ASSESSMENT_RULE = {"CN-JS": "JS-(七)", "CN-SH": "SH-16", "CN": "NR-20"}
FULL_ASSESSMENT_RULE = {"CN-JS": "JS-(六)", "CN-SH": "SH-16", "CN": "NR-20"}


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
        return TraceNode(id="routing", kind="note", label={"zh": "程序路径", "en": "Routing"},
                         children=[d.node for d in self.decisions])


def _both(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _decision(key: str, label: dict[str, str], outcome: str, outcome_label: dict[str, str], reason: dict[str, str],
              rule: str | None, children: list[TraceNode] | None = None, **extra: Any) -> Decision:
    node = TraceNode(id=f"routing.{key}", kind="decision", label=label, result={"value": outcome}, rule=rule,
                     note={lang: f"{outcome_label[lang]}：{reason[lang]}" if lang == "zh" else f"{outcome_label[lang]}: {reason[lang]}"
                           for lang in ("zh", "en")},
                     children=children or [])
    return Decision(key=key, label=label, outcome=outcome, outcome_label=outcome_label, reason=reason, rule=rule,
                    node=node, **extra)


def _trigger(path: str, value: Any, label: dict[str, str]) -> dict[str, Any]:
    return {"field": path, "value": value, "label": label}


class _Router:
    def __init__(self, case: "Case", ledger: "Ledger", on: date, store: ParameterStore,
                 cost_ratio_threshold: Decimal | None):
        self.case, self.ledger, self.on, self.store = case, ledger, on, store
        self.jur = case.jurisdiction
        self.f = case.facts
        self.override = cost_ratio_threshold

    def lookup(self, name: str) -> Param | RuleNotInForce:
        try:
            return self.store.lookup(name, self.jur, self.on)
        except RuleNotInForce as exc:
            return exc

    # -- who acts (JS-(一),(四); SH-6) --------------------------------------------------------
    def who_acts(self, major: Decision) -> Decision:
        label = _both("管辖（由哪一级政府办理）", "Who acts (level of government)")
        loc = self.f.location
        if self.jur == "CN-JS":
            city = loc.districted_city or "损害发生地设区市"
            city_en = loc.districted_city or "the districted city where the damage occurred"
            if loc.spans == "beyond_province":
                return _decision("who_acts", label, "province_jointly", _both("省政府会同相关省级政府", "the province jointly with the other province"),
                                 _both("损害范围跨省域，由省级政府共同管辖、协商开展赔偿工作（国家管理规定，条号未核实）",
                                       "damage across the provincial border: joint jurisdiction of the provincial governments (national rules; article not verified)"),
                                 "NR-cross-border", triggers=[_trigger("facts.location.spans", loc.spans, _both("跨省域", "cross-border"))])
            if loc.spans == "several_areas":
                return _decision("who_acts", label, "province", _both("省政府", "the provincial government"),
                                 _both("江苏实施意见（四）只规定设区市行政区域内的案件由设区市管辖；跨设区市的案件无明文规定，"
                                       "由另一赔偿权利人省政府办理（（一））——本软件的解读",
                                       "JS-(四) gives the districted city only cases within its area; for damage across several cities "
                                       "the text is silent, so the other rights holder named in JS-(一), the province, is shown (our reading)"),
                                 "JS-(一)", triggers=[_trigger("facts.location.spans", loc.spans, _both("跨设区市", "several cities"))])
            if major.outcome == "major" and loc.escalation_requested:
                return _decision("who_acts", label, "province_escalated", _both("省政府（提级管辖）", "the province (escalated)"),
                                 _both(f"{city}人民政府管辖的重大、疑难案件报请省人民政府提级管辖",
                                       f"a major or difficult case of {city_en} escalated to the province at the city's request"),
                                 "JS-(四)", triggers=[_trigger("facts.location.escalation_requested", True, _both("报请提级", "escalation requested"))])
            extra = (_both("；重大、疑难案件可以报请省人民政府提级管辖", "; as a major case it may be escalated to the province")
                     if major.outcome == "major" else _both("", ""))
            return _decision("who_acts", label, "districted_city", _both(f"{city}人民政府", f"the government of {city_en}"),
                             _both("设区市行政区域内的案件，由设区市人民政府管辖" + extra["zh"],
                                   "a case within a districted city is handled by the city government" + extra["en"]), "JS-(四)")
        if self.jur == "CN-SH":
            district = loc.district or "损害发生地的区"
            district_en = loc.district or "the district where the damage occurred"
            if loc.national_major_impact:
                return _decision("who_acts", label, "municipality", _both("市政府", "the municipal government"),
                                 _both("在全国有重大影响的案件由市政府管辖", "a case with major national impact is handled by the municipality"),
                                 "SH-6", triggers=[_trigger("facts.location.national_major_impact", True, _both("全国重大影响", "major national impact"))])
            if loc.spans == "beyond_province":
                return _decision("who_acts", label, "municipality_jointly", _both("市政府与相关省级政府共同管辖", "the municipality jointly with the other province"),
                                 _both("生态环境损害范围跨市域的，由市政府与相关省级政府共同管辖，协商开展赔偿工作",
                                       "damage across the municipal border: joint jurisdiction with the other provincial government"),
                                 "SH-6", triggers=[_trigger("facts.location.spans", loc.spans, _both("跨市域", "cross-border"))])
            if loc.spans == "several_areas":
                return _decision("who_acts", label, "undetermined", _both("待确定", "to be determined"),
                                 _both("第六条只规定由损害发生地的区政府管辖，未规定跨区案件；需由赔偿权利人确定",
                                       "Art. 6 gives the district where the damage occurred; damage across districts is not provided for: "
                                       "the rights holders must decide"),
                                 "SH-6", triggers=[_trigger("facts.location.spans", loc.spans, _both("跨区", "several districts"))])
            return _decision("who_acts", label, "district", _both(f"{district}人民政府", f"the government of {district_en}"),
                             _both("其他生态环境损害案件，由生态环境损害发生地的区政府管辖",
                                   "other cases are handled by the district where the damage occurred"), "SH-6")
        return _decision("who_acts", label, "no_rule", _both("未记录国家规定", "no national rule recorded"),
                         _both("仅适用国家规则：数据中未记录决定由哪一级政府办理的国家规定（省级、设区市级政府均为赔偿权利人）",
                               "national rules only: no national rule recorded on which level acts (provincial and districted-city "
                               "governments are both rights holders)"), None)

    # -- grounds not to start / to terminate (SH-14; JS-(五); NR-18) --------------------------
    def non_initiation(self) -> Decision:
        label = _both("不启动或终止索赔的情形", "Grounds not to start or to terminate the claim")
        ni = self.f.non_initiation
        grounds: list[tuple[str, str, str, Any, dict[str, str]]] = []   # (code, rule, field, value, label)
        unrecorded: list[str] = []
        sh = {
            "already_compensated": ("SH-14(1)", _both("赔偿义务人已经履行赔偿义务", "the obligor has already fulfilled the compensation")),
            "judgment_covers_claims": ("SH-14(2)", _both("生效裁判已全部涵盖索赔请求", "an effective judgment covers every claim")),
            "significantly_minor": ("SH-14(3)", _both("损害显著轻微，且不需要赔偿", "damage significantly minor, no compensation needed")),
            "obligor_gone_no_assets": ("SH-14(4)", _both("义务人终止、解散或死亡，且无财产可供执行", "obligor terminated, dissolved or dead, no property to enforce against")),
            "lawful_permitted_discharge": ("SH-14(5)", _both("依法持证排污，符合国家规定", "lawful permitted discharge in line with national rules")),
            "other_ground": ("SH-14(6)", _both("其他可以不启动索赔程序的情形", "another ground not to start")),
        }
        for name, (rule, glabel) in sh.items():
            value = getattr(ni, name)
            if not value:
                continue
            if self.jur == "CN-SH":
                grounds.append((name, rule, f"facts.non_initiation.{name}", value, glabel))
            elif name == "significantly_minor":   # the national ground, which JS-(五) refers to
                grounds.append((name, "NR-18", f"facts.non_initiation.{name}", value,
                                _both("损害显著轻微，且不需要赔偿（国家管理规定第十八条，二手资料）",
                                      "damage significantly minor, no compensation needed (NR Art. 18, second-hand)")))
            else:
                unrecorded.append(f"facts.non_initiation.{name}")
        if self.jur == "CN-JS":
            need = {**{k: getattr(self.f, k) for k in SIMPLE_CASE_FACTS},
                    "non_initiation.self_repaired": ni.self_repaired, "non_initiation.losses_paid": ni.losses_paid}
            if all(need.values()):
                grounds.append(("js_repaired_and_paid", "JS-(五)", "facts." + ", facts.".join(need), True,
                                _both("损害事实简单、责任认定无争议、损害较小，义务人已主动修复并赔偿第一千二百三十五条规定的损失和费用",
                                      "simple facts, undisputed liability, small damage, and the obligor has repaired and paid the Art. 1235 losses")))
        elif ni.self_repaired or ni.losses_paid:
            unrecorded += [f"facts.non_initiation.{k}" for k in ("self_repaired", "losses_paid") if getattr(ni, k)]
        triggers = [{"code": c, "rule": r, "field": p, "value": v, "label": lab} for c, r, p, v, lab in grounds]
        children = [TraceNode(id=f"routing.non_initiation.{c}", kind="input", label=lab,
                              inputs={"fact": value_spec(v, None, p)}, rule=r.split("(")[0] if r.startswith("SH") else r)
                    for c, r, p, v, lab in grounds]
        note = ""
        if unrecorded:
            where = "国家层面" if self.jur == "CN" else self.jur
            note_zh = f"；{where}未记录以下事实对应的不启动情形：{', '.join(unrecorded)}"
            note_en = f"; no ground recorded in {'national rules' if self.jur == 'CN' else self.jur} for: {', '.join(unrecorded)}"
        else:
            note_zh = note_en = note
        rule = {"CN-SH": "SH-14", "CN-JS": "JS-(五)", "CN": "NR-18"}[self.jur]
        if not grounds:
            return _decision("non_initiation", label, "start", _both("启动（继续）索赔", "start (continue) the claim"),
                             _both("未认定任何不启动或终止索赔的情形" + note_zh, "no ground not to start or to terminate is established" + note_en),
                             rule, children)
        started = self.case.procedure.case_opened is not None
        outcome = "may_terminate" if started else "may_not_start"
        olabel = _both("可以终止索赔", "the claim may be terminated") if started else _both("可以不启动索赔", "the claim need not be started")
        lead = (_both("已立案（procedure.case_opened）后发现下列情形，可以终止索赔程序",
                      "grounds found after the case was opened (procedure.case_opened): the claim may be terminated")
                if started else _both("经核查存在下列情形，可以不启动索赔程序", "after verification these grounds exist: the claim need not be started"))
        listed_zh = "；".join(f"{lab['zh']}（{r}，{p}）" for _, r, p, _, lab in grounds)
        listed_en = "; ".join(f"{lab['en']} ({r}, {p})" for _, r, p, _, lab in grounds)
        return _decision("non_initiation", label, outcome, olabel,
                         _both(f"{lead['zh']}：{listed_zh}{note_zh}", f"{lead['en']}: {listed_en}{note_en}"), rule, children,
                         triggers=triggers)

    # -- major case (JS-(五); SH-39) ----------------------------------------------------------
    def major_case(self) -> Decision:
        label = _both("重大案件", "Major case")
        m = self.f.major
        if self.jur == "CN-JS":
            level = m.emergency_level
            crit = {
                "emergency_level": (None if level is None else level in ("larger", "major", "especially_major"),
                                    _both("1. 发生较大及以上突发环境事件", "1. an environmental emergency of 'larger' level or above")),
                "in_key_zone": (m.in_key_zone, _both("2. 在国家和省级划定的重点生态功能区、禁止开发区和生态红线区域发生",
                                                     "2. in a national or provincial key ecological function zone, prohibited development zone or red-line area")),
                "assigned_by_inspection": (m.assigned_by_inspection, _both("3. 中央和省级生态环境保护督察发现并明确交办",
                                                                           "3. found and assigned by central or provincial inspection")),
                "part_of_assigned_major_matter": (m.part_of_assigned_major_matter, _both("4. 国家和省级交办的重大事项中涉及",
                                                                                         "4. part of a major matter assigned by the state or province")),
                "serious_consequences_determined": (m.serious_consequences_determined, _both(
                    "5. 设区市人民政府或省有关部门确定已造成严重影响生态环境后果", "5. serious consequences determined by the city or a provincial department")),
            }
            met = [(k, v, lab) for k, (v, lab) in crit.items() if v]
            unknown = [f"facts.major.{k}" for k, (v, _) in crit.items() if v is None]
            triggers = [_trigger(f"facts.major.{k}", getattr(m, k), lab) for k, _, lab in met]
            children = [TraceNode(id=f"routing.major_case.{k}", kind="input", label=lab,
                                  inputs={"fact": value_spec(getattr(m, k), None, f"facts.major.{k}")}, rule="JS-(五)")
                        for k, _, lab in met]
            if met:
                return _decision("major_case", label, "major", _both("重大案件", "major case"),
                                 _both("符合：" + "；".join(lab["zh"] for _, _, lab in met) +
                                       "。应建立台账，排出时间表，加快办理进度，定期向赔偿权利人报送工作进展；可以报请省人民政府提级管辖（（四））",
                                       "meets: " + "; ".join(lab["en"] for _, _, lab in met) +
                                       ". Keep a ledger and a timetable, speed up, report progress to the rights holder periodically; "
                                       "may be escalated to the province (JS-(四))"), "JS-(五)", children, triggers=triggers)
            if unknown:
                return _decision("major_case", label, "not_established", _both("未认定为重大案件", "not established as a major case"),
                                 _both(f"五项情形均未认定；未填写：{', '.join(unknown)}",
                                       f"none of the five criteria is established; not given: {', '.join(unknown)}"), "JS-(五)")
            return _decision("major_case", label, "not_major", _both("非重大案件", "not a major case"),
                             _both("五项情形均不符合", "none of the five criteria is met"), "JS-(五)")
        if self.jur == "CN-SH":
            if m.declared_major:
                return _decision("major_case", label, "major", _both("重大案件", "major case"),
                                 _both("对重大案件及时向上级部门报告并建立台账，排出时间表，加快推进",
                                       "report the major case to the higher authority, keep a ledger and a timetable, speed up"),
                                 "SH-39", triggers=[_trigger("facts.major.declared_major", True, _both("认定为重大案件", "declared major"))])
            outcome = "not_major" if m.declared_major is False else "undetermined"
            return _decision("major_case", label, outcome,
                             _both("非重大案件", "not a major case") if outcome == "not_major" else _both("未确定", "undetermined"),
                             _both("上海细则第三十九条未规定重大案件的认定标准；由 facts.major.declared_major 记录赔偿权利人的认定"
                                   "（江苏实施意见（五）的标准不适用于上海）",
                                   "SH Art. 39 fixes no criteria for a major case; facts.major.declared_major records the rights holder's "
                                   "view (Jiangsu's JS-(五) criteria are not Shanghai rules)"), "SH-39")
        return _decision("major_case", label, "no_rule", _both("未记录国家规定", "no national rule recorded"),
                         _both("仅适用国家规则：数据中未记录重大案件的国家认定标准（环法规〔2025〕6号第十条内容未核实）",
                               "national rules only: no national major-case criteria recorded (Huan Fa Gui [2025] No. 6 Art. 10: content not verified)"),
                         None)

    # -- simple-case indicator (环法规〔2025〕6号 Art. 9, unverified) ----------------------------
    def simple_case_indicator(self) -> tuple[bool | None, TraceNode | None, dict[str, str]]:
        cap = self.lookup("routing.simple_case_max")
        if isinstance(cap, RuleNotInForce):
            return None, None, _both("未记录此日期适用的简单案件数额（环法规〔2025〕6号第九条）",
                                     "no simple-case amount recorded for this date (Huan Fa Gui [2025] No. 6 Art. 9)")
        flag = self.lookup("routing.simple_case_excludes_category_3")
        excl = not isinstance(flag, RuleNotInForce) and flag.value == 1
        amount = self.ledger.excluding_assessment_costs if excl else self.ledger.total
        source = "ledger.excluding_assessment_costs" if excl else "ledger.total"
        holds = compare(amount, cap.op, cap.value)
        outcome = (_both("按该数额，属于损害较小（二手资料，仅作参考）", "by this amount the damage is small (second-hand; indicative only)") if holds
                   else _both("按该数额，不属于损害较小（二手资料，仅作参考）", "by this amount the damage is not small (second-hand; indicative only)"))
        children = [parameter_node("routing.simple_case.measure", flag)] if not isinstance(flag, RuleNotInForce) else []
        node = decision_node("routing.simple_case", _both("简单案件数额（环法规〔2025〕6号第九条）", "Simple-case amount (Huan Fa Gui [2025] No. 6 Art. 9)"),
                             fmt(amount), source, cap, holds, "元", outcome, children)
        return holds, node, outcome

    # -- assessment path (JS-(六),(七); SH-16; NR-20) -----------------------------------------
    def assessment_path(self) -> Decision:
        label = _both("鉴定评估路径", "Assessment path")
        rule = ASSESSMENT_RULE[self.jur]
        facts = {k: getattr(self.f, k) for k in SIMPLE_CASE_FACTS}
        children: list[TraceNode] = []
        notes_zh, notes_en = [], []
        derived, node, ind = self.simple_case_indicator()
        if node is None and facts["small_damage"] is None:
            notes_zh.append(ind["zh"])
            notes_en.append(ind["en"])
        if node is not None:
            children.append(node)
            if facts["small_damage"] is None:
                # information only (issue 14 §3): a second-hand figure never fills the fact
                notes_zh.append(f"facts.small_damage 未填；环法规〔2025〕6号第九条数额（二手资料，仅供参考，不据以认定）：{ind['zh']}")
                notes_en.append(f"facts.small_damage absent; the Huan Fa Gui [2025] No. 6 Art. 9 amount (second-hand, for "
                                f"information only, not used to decide): {ind['en']}")
            elif facts["small_damage"] != derived:
                notes_zh.append(f"注意：facts.small_damage 与环法规〔2025〕6号第九条数额不一致（{ind['zh']}）")
                notes_en.append(f"note: facts.small_damage differs from the Huan Fa Gui [2025] No. 6 Art. 9 amount ({ind['en']})")
        refused = self.f.obligor_refused_simplified
        if refused and self.jur != "CN-JS":
            where = "国家规则" if self.jur == "CN" else self.jur
            notes_zh.append(f"赔偿义务人明确拒绝简易评估：{where}未记录拒绝的法律后果（江苏实施意见（七）规定转入共同委托鉴定）")
            notes_en.append(f"the obligor refused the simplified assessment: no consequence recorded in "
                            f"{'national rules' if self.jur == 'CN' else self.jur} (JS-(七) sends such cases to a joint commission)")
        tail_zh = ("；" + "；".join(notes_zh)) if notes_zh else ""
        tail_en = ("; " + "; ".join(notes_en)) if notes_en else ""
        fact_nodes = [TraceNode(id=f"routing.assessment_path.{k}", kind="input", label=SIMPLE_FACT_LABEL[k],
                                inputs={"fact": value_spec(v, None, f"facts.{k}")}) for k, v in facts.items()]
        children = fact_nodes + children
        if self.jur == "CN-JS" and refused:
            return _decision("assessment_path", label, "full", _both("全面鉴定评估（共同委托鉴定机构）", "full assessment (joint commission)"),
                             _both("赔偿义务人明确表示不同意适用简易评估认定程序，以共同委托方式委托符合条件的鉴定机构开展鉴定评估" + tail_zh,
                                   "the obligor expressly refused the simplified assessment: a qualified institution is jointly commissioned" + tail_en),
                             "JS-(七)", children, triggers=[_trigger("facts.obligor_refused_simplified", True, _both("明确拒绝", "express refusal"))])
        failed = [k for k, v in facts.items() if v is False]
        unknown = [k for k, v in facts.items() if v is None]
        if failed:
            names_zh = "、".join(SIMPLE_FACT_LABEL[k]["zh"] for k in failed)
            names_en = ", ".join(SIMPLE_FACT_LABEL[k]["en"] for k in failed)
            return _decision("assessment_path", label, "full", _both("全面鉴定评估（委托鉴定机构）", "full assessment (qualified institution)"),
                             _both(f"不符合简易评估条件（{names_zh}不成立），委托鉴定机构出具鉴定意见或鉴定评估报告" + tail_zh,
                                   f"the simplified-path conditions fail ({names_en}): a qualified institution issues the appraisal" + tail_en),
                             FULL_ASSESSMENT_RULE[self.jur], children,
                             triggers=[_trigger(f"facts.{k}", False, SIMPLE_FACT_LABEL[k]) for k in failed])
        if unknown:
            return _decision("assessment_path", label, "undetermined", _both("未确定", "undetermined"),
                             _both(f"缺少事实：{', '.join('facts.' + k for k in unknown)}" + tail_zh,
                                   f"missing facts: {', '.join('facts.' + k for k in unknown)}" + tail_en), rule, children)
        experts = self.lookup("experts.min_count")
        if isinstance(experts, RuleNotInForce):
            how = _both("专家意见或综合认定", "expert opinion or comprehensive determination")
        else:
            children.append(parameter_node("routing.assessment_path.experts", experts))
            w = OP_WORDING[experts.op]
            how = _both(f"委托专家（{w['zh']}{experts.value}人）出具专家意见，或由部门根据法律文书、监测报告等综合认定",
                        f"an expert opinion ({w['en']} {experts.value} experts) or a comprehensive determination from legal documents and monitoring reports")
        return _decision("assessment_path", label, "simplified", _both("简易评估认定程序", "simplified assessment"),
                         _both("损害事实简单、责任认定无争议、损害较小：" + how["zh"] + tail_zh,
                               "simple facts, undisputed liability, small damage: " + how["en"] + tail_en), rule, children)

    # -- cost ratio (JS-(七)) -----------------------------------------------------------------
    def cost_ratio(self) -> Decision:
        label = _both("调查、鉴定评估费用占比", "Share of investigation and assessment costs")
        cat3, others = self.ledger.amount("assessment_costs"), self.ledger.excluding_assessment_costs
        figures = {"category_3": fmt(cat3), "other_categories": fmt(others)}
        ratio = None if others == 0 else Fraction(cat3) / Fraction(others)
        shown = "∞" if ratio is None and cat3 > 0 else ("—" if ratio is None else
                                                         str((Decimal(ratio.numerator) / Decimal(ratio.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)))
        figures["ratio"] = shown
        formula_node = TraceNode(
            id="routing.cost_ratio.ratio", kind="formula", label=_both("费用比值", "cost ratio"),
            formula="(3) / ((1) + (2) + (4) + (5))",
            inputs={"category_3": value_spec(fmt(cat3), "元", "ledger.assessment_costs"),
                    "others": value_spec(fmt(others), "元", "ledger.excluding_assessment_costs")},
            result=value_spec(shown, None, rounding={"zh": "显示保留四位小数，比较按精确值", "en": "shown to 4 places; compared exactly"}))
        param = self.lookup("routing.cost_ratio_reminder")
        if isinstance(param, RuleNotInForce):
            text = no_rule_text("routing.cost_ratio_reminder", self.jur, param)
            if self.override is not None:
                text = {lang: v + ("；本次指定的阈值未使用" if lang == "zh" else "; the threshold given for this run is not used")
                        for lang, v in text.items()}
            return _decision("cost_ratio", label, "no_rule", _both("仅报告比值", "ratio reported only"),
                             _both(f"比值 {shown}；{text['zh']}", f"ratio {shown}; {text['en']}"), None, [formula_node], figures=figures)
        if self.override is not None:
            param = replace(param, value=Decimal(self.override), kind="policy_default", quote=None,
                            reason=f"overridden for this run (--cost-ratio-threshold / cost_ratio_threshold); data default {param.value}")
        if ratio is None:
            holds = cat3 > 0
        else:
            holds = compare(ratio, param.op, Fraction(param.value))
        w = OP_WORDING[param.op]
        cmp = _both(f"比值 {shown}，阈值 {w['zh']}{param.value}（{param.kind}）",
                    f"ratio {shown}, threshold {w['en']} {param.value} ({param.kind})")
        if holds:
            outcome, olabel = "remind", _both("应提醒适用简易评估认定程序", "remind the obligor of the simplified assessment")
            text = _both("初步调查发现调查、鉴定评估等费用明显高于其他损失和费用，应及时提醒赔偿义务人适用简易评估认定程序",
                         "category 3 is clearly higher than the other losses and costs: the department must remind the obligor of the simplified assessment")
            if self.f.obligor_refused_simplified:
                text = {k: v + ("；赔偿义务人已明确拒绝，转入共同委托鉴定" if k == "zh" else "; the obligor expressly refused, so a qualified institution is jointly commissioned")
                        for k, v in text.items()}
        else:
            outcome, olabel = "no_reminder", _both("无需提醒", "no reminder required")
            text = _both("调查、鉴定评估等费用未达到“明显高于”的政策阈值", "category 3 is below the policy threshold for 'clearly higher'")
        text = {lang: f"{cmp[lang]}：{v}" if lang == "zh" else f"{cmp[lang]}: {v}" for lang, v in text.items()}
        node = decision_node("routing.cost_ratio", label, shown, "routing.cost_ratio.ratio", param, holds, None, text, [formula_node])
        return Decision("cost_ratio", label, outcome, olabel, text, param.rule, node, figures=figures)

    # -- consultation path (JS-(八); SH-21) ---------------------------------------------------
    def consultation_path(self, assessment: Decision) -> Decision:
        label = _both("磋商路径", "Consultation path")
        if self.jur == "CN-JS":
            return self._js_consultation(label, assessment)
        tier = self.lookup("consultation.simplified.direct_sign_max")
        no_tier = no_rule_text("consultation.simplified.direct_sign_max", self.jur, tier) if isinstance(tier, RuleNotInForce) else None
        if self.jur == "CN-SH":
            facts = {k: getattr(self.f, k) for k in SIMPLE_CASE_FACTS}
            msg = _both("本法域无金额标准（no money threshold in this jurisdiction）", "no money threshold in this jurisdiction")
            if all(facts.values()):
                return _decision("consultation_path", label, "simplified_allowed", _both("可简化磋商流程", "simplified consultation allowed"),
                                 _both("损害事实简单、责任认定无争议、损害较小的案件，可简化磋商流程，采取通讯沟通、线上会议及邮寄签约等方式；" + msg["zh"],
                                       "simple case: consultation may be simplified (correspondence, online meetings, signing by mail); " + msg["en"]),
                                 "SH-21")
            failed = [k for k, v in facts.items() if v is False]
            if failed:
                return _decision("consultation_path", label, "full", _both("一般磋商程序", "full consultation"),
                                 _both(f"非简单案件（{'、'.join(SIMPLE_FACT_LABEL[k]['zh'] for k in failed)}不成立）；" + msg["zh"],
                                       f"not a simple case ({', '.join(SIMPLE_FACT_LABEL[k]['en'] for k in failed)}); " + msg["en"]), "SH-21")
            missing = ", ".join(f"facts.{k}" for k, v in facts.items() if v is None)
            return _decision("consultation_path", label, "undetermined", _both("未确定", "undetermined"),
                             _both(f"缺少事实：{missing}；" + msg["zh"], f"missing facts: {missing}; " + msg["en"]), "SH-21")
        return _decision("consultation_path", label, "no_rule", _both("未记录国家规定", "no national rule recorded"),
                         _both("仅适用国家规则：" + no_tier["zh"], "national rules only: " + no_tier["en"]), None)

    def _js_consultation(self, label: dict[str, str], assessment: Decision) -> Decision:
        amount = self.ledger.excluding_assessment_costs
        p1 = self.store.lookup("consultation.simplified.direct_sign_max", self.jur, self.on)
        p2 = self.store.lookup("consultation.simplified.report_max", self.jur, self.on)
        in1 = compare(amount, p1.op, p1.value)
        in2 = compare(amount, p2.op, p2.value)
        tier = "direct_sign" if in1 else "simplified_report" if in2 else "full"
        tiers = {
            "direct_sign": _both("简易磋商：不召开磋商会议，直接签署赔偿协议", "simplified: sign the agreement directly, no meeting"),
            "simplified_report": _both("简易磋商，按“一事一报”向赔偿权利人汇报", "simplified, with a case-by-case report to the rights holder"),
            "full": _both("一般磋商程序", "full consultation"),
        }
        n1 = decision_node("routing.consultation_path.direct_sign", _both("直接签约档", "Direct-signing tier"), fmt(amount),
                           "ledger.excluding_assessment_costs", p1, in1, "元", tiers["direct_sign"] if in1 else _both("不在此档", "not this tier"))
        n2 = decision_node("routing.consultation_path.report", _both("“一事一报”档", "Case-by-case report tier"), fmt(amount),
                           "ledger.excluding_assessment_costs", p2, in2, "元",
                           tiers["simplified_report"] if (in2 and not in1) else _both("不在此档", "not this tier"))
        children = [n1] if in1 else [n1, n2]
        w1, w2 = OP_WORDING[p1.op], OP_WORDING[p2.op]
        basis = _both(f"不含调查、鉴定评估等费用的损害费用 {fmt(amount)} 元（直接签约档：{w1['zh']}{p1.value}元；“一事一报”档：{w2['zh']}{p2.value}元）",
                      f"damage excluding category 3: {fmt(amount)} yuan (direct signing: {w1['en']} {p1.value}; report: {w2['en']} {p2.value})")
        figures = {"amount_excluding_category_3": fmt(amount)}
        if tier == "full":
            return _decision("consultation_path", label, "full", tiers["full"],
                             _both(basis["zh"] + "，超过简易磋商上限", basis["en"] + ", above the simplified-consultation ceiling"),
                             "JS-(八)", children, figures=figures)
        blockers, conditions = [], []
        if assessment.outcome == "full":
            blockers.append(_both("损害费用未经简易评估认定（鉴定评估路径为全面鉴定评估）",
                                  "the amount was not fixed by the simplified assessment (the assessment path is full)"))
        elif assessment.outcome != "simplified":
            conditions.append(_both("损害费用经简易评估认定", "the amount is fixed by the simplified assessment"))
        agrees = self.f.obligor_agrees_simplified_consultation
        if agrees is False:
            blockers.append(_both("赔偿义务人不同意简易磋商", "the obligor does not agree to simplified consultation"))
        elif agrees is None:
            conditions.append(_both("经与赔偿义务人协商一致（facts.obligor_agrees_simplified_consultation）",
                                    "the obligor agrees (facts.obligor_agrees_simplified_consultation)"))
        if blockers:
            return _decision("consultation_path", label, "full", tiers["full"],
                             _both(basis["zh"] + "，属简易磋商金额档，但" + "；".join(b["zh"] for b in blockers),
                                   basis["en"] + ", within a simplified tier, but " + "; ".join(b["en"] for b in blockers)),
                             "JS-(八)", children, figures=figures)
        if conditions:
            return _decision("consultation_path", label, tier, tiers[tier],
                             _both(basis["zh"] + "；前提：" + "；".join(c["zh"] for c in conditions),
                                   basis["en"] + "; provided that " + "; ".join(c["en"] for c in conditions)),
                             "JS-(八)", children, figures={**figures, "conditional": "true"})
        return _decision("consultation_path", label, tier, tiers[tier], basis, "JS-(八)", children, figures=figures)


def route_case(case: "Case", ledger: "Ledger", on: date, store: ParameterStore,
               cost_ratio_threshold: Decimal | str | None = None) -> Routing:
    """Every routing decision for ``case`` (its ledger computed) under the rules in force on ``on``."""
    threshold = None if cost_ratio_threshold is None else Decimal(str(cost_ratio_threshold))
    r = _Router(case, ledger, on, store, threshold)
    major = r.major_case()
    assessment = r.assessment_path()
    decisions = [r.who_acts(major), r.non_initiation(), major, assessment, r.cost_ratio(),
                 r.consultation_path(assessment)]
    notes = []
    if case.jurisdiction == "CN":
        notes.append(_both("仅适用国家规则：数据中有国家规定的使用国家规定，只有江苏或上海有规定的注明“未记录国家规定”",
                           "national rules only: national rules are used where the data has them; where only Jiangsu or Shanghai "
                           "has a rule the output says 'no national rule recorded'"))
    return Routing(jurisdiction=case.jurisdiction, on=on, decisions=decisions, notes=notes)
