"""Case facts that decide the procedural path 程序路径所依据的案件事实 (``Case.facts``).

Every flag is optional: ``None`` means "not established", and routing then says which fact it
lacks instead of guessing.  Unknown flags are rejected (StrictModel); contradictory facts are
reported by :func:`fact_problems` with the field path.

Sources: JS-(五) (major cases; not starting a claim), JS-(七)/SH-16 (simplified assessment),
JS-(八)/SH-21 (simplified consultation), SH-14 (grounds not to start), JS-(一),(四)/SH-6 (who acts),
SH-12 (clue channels).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from assess.law.scope import ScopeFacts
from assess.law.valuation.base import StrictModel

#: SH-12's eleven clue channels (JS-(三) refers to the national rules' ten, the same list less (11)).
ClueChannel = Literal[
    "inspection",            # (一) 中央和市级生态环境保护督察
    "emergency",             # (二) 突发生态环境事件
    "administrative_penalty",  # (三) 资源与环境行政处罚案件
    "crime",                 # (四) 涉嫌构成破坏环境资源保护犯罪
    "protected_zone",        # (五) 生态保护红线等禁止开发区域、重点生态功能区
    "routine_supervision",   # (六) 日常监管、执法巡查、专项行动
    "petition_report",       # (七) 信访投诉、举报和媒体曝光
    "assigned_by_superior",  # (八) 上级机关交办
    "procuratorate",         # (九) 检察机关移送
    "court",                 # (十) 法院移送
    "other",                 # (十一) 赔偿权利人确定的其他线索渠道
]
CLUE_CHANNEL_LABELS = {
    "inspection": {"zh": "（一）中央和市级生态环境保护督察发现", "en": "(1) central/municipal environmental inspection"},
    "emergency": {"zh": "（二）突发生态环境事件", "en": "(2) environmental emergency"},
    "administrative_penalty": {"zh": "（三）资源与环境行政处罚案件", "en": "(3) administrative penalty case"},
    "crime": {"zh": "（四）涉嫌构成破坏环境资源保护犯罪的案件", "en": "(4) suspected environmental crime"},
    "protected_zone": {"zh": "（五）禁止开发区域、重点生态功能区内的事件", "en": "(5) incident in a protected zone"},
    "routine_supervision": {"zh": "（六）日常监管、执法巡查、专项行动", "en": "(6) routine supervision, patrols, campaigns"},
    "petition_report": {"zh": "（七）信访投诉、举报和媒体曝光", "en": "(7) petition, complaint, report or media"},
    "assigned_by_superior": {"zh": "（八）上级机关交办", "en": "(8) assigned by a higher authority"},
    "procuratorate": {"zh": "（九）检察机关移送", "en": "(9) referred by a procuratorate"},
    "court": {"zh": "（十）法院移送", "en": "(10) referred by a court"},
    "other": {"zh": "（十一）赔偿权利人确定的其他线索渠道", "en": "(11) other channel fixed by the rights holder"},
}

EmergencyLevel = Literal["none", "general", "larger", "major", "especially_major"]  # 无/一般/较大/重大/特别重大


class MajorCaseFacts(StrictModel):
    """JS-(五)'s five criteria of a 重大案件 (any one suffices), and SH-39's declaration."""

    emergency_level: EmergencyLevel | None = Field(
        default=None, description="JS-(五)1 level of the environmental emergency: none/general 一般/larger 较大/major 重大/especially_major 特别重大")
    in_key_zone: bool | None = Field(
        default=None,
        description="JS-(五)2 in a national or provincial key ecological function zone, prohibited development zone "
                    "or ecological red-line area")
    assigned_by_inspection: bool | None = Field(
        default=None, description="JS-(五)3 found and expressly assigned by central or provincial environmental inspection")
    part_of_assigned_major_matter: bool | None = Field(
        default=None, description="JS-(五)4 part of a major matter assigned by the state or the province")
    serious_consequences_determined: bool | None = Field(
        default=None, description="JS-(五)5 the city government or a provincial department determined serious consequences")
    declared_major: bool | None = Field(
        default=None, description="SH-39 the rights holder treats the case as a major case (Shanghai fixes no criteria)")


class NonInitiationFacts(StrictModel):
    """Grounds not to start (or to terminate) a claim: SH-14 (1)–(6) and JS-(五)."""

    already_compensated: bool | None = Field(default=None, description="SH-14(1) obligor has already fulfilled the compensation")
    judgment_covers_claims: bool | None = Field(
        default=None, description="SH-14(2) an effective judgment on the same damage covers all the claims")
    significantly_minor: bool | None = Field(
        default=None, description="SH-14(3) / NR-18 damage significantly minor (显著轻微) and needing no compensation")
    obligor_gone_no_assets: bool | None = Field(
        default=None, description="SH-14(4) legal person terminated / organisation dissolved / person dead, no property to enforce against")
    lawful_permitted_discharge: bool | None = Field(
        default=None, description="SH-14(5) lawful discharge under a permit, in line with national rules")
    other_ground: str | None = Field(default=None, min_length=1, description="SH-14(6) another ground, stated in words")
    self_repaired: bool | None = Field(
        default=None, description="JS-(五) the obligor has already repaired (or alternatively repaired) on its own")
    losses_paid: bool | None = Field(
        default=None, description="JS-(五) the obligor has already paid the Art. 1235 losses and costs")


class LocationFacts(StrictModel):
    """Where the damage occurred (JS-(一),(四); SH-6)."""

    districted_city: str | None = Field(default=None, min_length=1, description="Jiangsu: the districted city 设区市")
    district: str | None = Field(default=None, min_length=1, description="Shanghai: the district 区")
    spans: Literal["one_area", "several_areas", "beyond_province"] = Field(
        default="one_area",
        description="one_area: within one districted city (JS) / district (SH); several_areas: across several; "
                    "beyond_province: across the provincial/municipal border")
    national_major_impact: bool | None = Field(default=None, description="SH-6 a case with major national impact")
    escalation_requested: bool | None = Field(
        default=None, description="JS-(四) the city government asks the province to take a major or difficult case")


class Facts(StrictModel):
    """The facts routing needs (all optional; unknown ones are ``None``)."""

    simple_facts: bool | None = Field(default=None, description="损害事实简单 (JS-(七), SH-16, SH-21)")
    undisputed_liability: bool | None = Field(default=None, description="责任认定无争议 (JS-(七), SH-16, SH-21)")
    small_damage: bool | None = Field(
        default=None, description="损害较小 (JS-(七), SH-16, SH-21); if absent, the 〔2025〕6号 Art. 9 amount is used as an indicator")
    obligor_agreed_simplified: bool | None = Field(
        default=None, description="the obligor agreed to the simplified assessment (JS-(七))")
    obligor_refused_simplified: bool | None = Field(
        default=None, description="the obligor expressly refused the simplified assessment (JS-(七): joint commission, full path)")
    obligor_agrees_simplified_consultation: bool | None = Field(
        default=None, description="the obligor agrees to simplified consultation (JS-(八) 经与赔偿义务人协商一致)")
    clue_channel: ClueChannel | None = Field(default=None, description="SH-12 clue channel")
    clue_referred: bool | None = Field(
        default=None, description="the clue was referred (移送) to this department by another department or body: "
                                  "JS-(三)'s 30-day initial verification binds only the department receiving a referred clue "
                                  "(default: true for clue_channel procuratorate / court, else not established)")
    citizen_report_requests_claim: bool | None = Field(
        default=None, description="a citizen's or organisation's report asked for a claim (JS-(三): reply within two months)")
    major: MajorCaseFacts = Field(default_factory=MajorCaseFacts)
    non_initiation: NonInitiationFacts = Field(default_factory=NonInitiationFacts)
    location: LocationFacts = Field(default_factory=LocationFacts)
    scope: ScopeFacts = Field(default_factory=ScopeFacts, description="facts that put a case outside the rules (SH-4)")


def fact_problems(facts: Facts, jurisdiction: str) -> list[tuple[str, str, object]]:
    """Contradictions between facts, as (field path, expected, got) triples."""
    out: list[tuple[str, str, object]] = []
    if facts.obligor_agreed_simplified and facts.obligor_refused_simplified:
        out.append(("facts.obligor_refused_simplified",
                    "not true together with facts.obligor_agreed_simplified (the obligor cannot both agree to and "
                    "expressly refuse the simplified assessment)", True))
    loc = facts.location
    if jurisdiction == "CN-JS" and loc.district is not None:
        out.append(("facts.location.district", "absent in a Jiangsu case (use facts.location.districted_city)", loc.district))
    if jurisdiction == "CN-SH" and loc.districted_city is not None:
        out.append(("facts.location.districted_city", "absent in a Shanghai case (use facts.location.district)",
                    loc.districted_city))
    ni = facts.non_initiation
    if ni.losses_paid and ni.already_compensated is False:
        out.append(("facts.non_initiation.already_compensated",
                    "not false when facts.non_initiation.losses_paid is true (paying the losses is compensating)", False))
    return out
