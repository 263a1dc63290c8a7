"""Procedural events 程序事件: the dated steps of a case (``Case.procedure``) and their order.

Input only: what happened when (verification, report and reply, consultation notice, meetings,
agreement, judicial confirmation).  The deadlines that follow from them are in
:mod:`assess.law.deadlines`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from assess.law.valuation.base import StrictModel

# -- input ----------------------------------------------------------------------------------

MeetingOutcome = Literal["no_agreement", "agreement", "obligor_absent", "obligor_withdrew", "planned"]


class Meeting(StrictModel):
    """One consultation meeting (round) 磋商会议."""

    date: date
    outcome: MeetingOutcome = Field(
        default="no_agreement",
        description="no_agreement / agreement / obligor_absent (无故不参与) / obligor_withdrew (退出) / planned (not yet held)")


PublicationItem = Literal["agreement", "judgment", "fund_use", "restoration_effect", "major_public_interest_matter"]


class Publication(StrictModel):
    """One item made public 信息公开 (SH-35)."""

    item: PublicationItem = Field(description="agreement 赔偿协议 / judgment 诉讼裁判文书 / fund_use 赔偿资金使用情况 / "
                                              "restoration_effect 生态环境修复效果 / major_public_interest_matter 涉及公共利益的重大事项")
    date: date
    where: str | None = Field(default=None, min_length=1, description="公开途径 where it was published (website, notice board …)")


class ProcedureEvents(StrictModel):
    """Dated events of the case (the clue's date is ``dates.clue_received``)."""

    initial_verification_done: date | None = Field(default=None, description="初步核查完成日 (JS-(三), SH-13)")
    case_opened: date | None = Field(default=None, description="立案启动索赔日; a ground found after it terminates the claim (SH-14)")
    report_received: date | None = Field(default=None, description="举报接到日 (JS-(三))")
    report_replied: date | None = Field(default=None, description="举报答复日 (JS-(三))")
    consultation_notice_delivered: date | None = Field(default=None, description="磋商告知书送达日 (SH-19, SH-22)")
    obligor_reply: Literal["agreed", "refused", "no_reply"] | None = Field(
        default=None, description="reply to the notice: agreed / refused (明确拒绝) / no_reply (未答复, deemed refusal SH-19)")
    obligor_reply_date: date | None = None
    meetings: list[Meeting] = Field(default_factory=list, description="consultation meetings (rounds), in date order")
    consultation_failed_other: str | None = Field(
        default=None, min_length=1, description="SH-25(4) another reason the department finds agreement impossible")
    agreement_signed: date | None = Field(default=None, description="赔偿协议签署日 (SH-23, JS-(八))")
    confirmation_notice_published: date | None = Field(default=None, description="司法确认公告日 (SPC-EDC-20)")
    confirmation_ruling: date | None = Field(default=None, description="司法确认裁定日 (SPC-EDC-20)")
    # -- steps and duties without a number (assess/law/preconditions.py, aftercare.py, casefile.py) --
    investigation_concluded: date | None = Field(default=None, description="损害调查完成、形成调查结论日 (SH-15, SH-18(一))")
    assessment_concluded: date | None = Field(default=None, description="鉴定意见、评估报告或专家意见出具日 (SH-18(二))")
    restoration_plan_prepared: date | None = Field(default=None, description="初步修复方案（含替代修复）编制完成日 (SH-18(三))")
    obligor_proposed_consultation: date | None = Field(
        default=None, description="赔偿义务人在调查过程中主动提议磋商日 (SH-18 para. 2: consultation may start early)")
    facts_confirmed_in_writing: date | None = Field(default=None, description="书面确认损害事实日 (JS-(十), SH-28)")
    early_restoration_consented: date | None = Field(
        default=None, description="具体开展索赔工作的部门或机构同意先行修复日 (JS-(十))")
    early_restoration_started: date | None = Field(
        default=None, description="赔偿义务人先行开展修复日 (before agreement: JS-(十), SH-28)")
    restoration_completed: date | None = Field(default=None, description="修复完成日 (JS-(十三), SH-29)")
    effect_evaluation_done: date | None = Field(default=None, description="修复效果评估完成日 (JS-(十三), SH-29)")
    effect_evaluation_result: Literal["passed", "failed"] | None = Field(
        default=None, description="修复效果评估结论: passed 通过 / failed 未通过 (SH-29: restoration continues)")
    judgment_effective: date | None = Field(default=None, description="判决生效日 (SH-24, SH-30)")
    performance: Literal["full", "partial", "none"] | None = Field(
        default=None, description="赔偿义务人履行情况 (judgment or agreement): full 全面履行 / partial 不完全履行 / none 不履行 "
                                  "(SH-24, SH-25, SH-30)")
    performance_as_of: date | None = Field(default=None, description="履行情况认定日 the date the performance was established")
    enforcement_applied: date | None = Field(default=None, description="申请强制执行日 (SH-24)")
    dishonest_list_entered: date | None = Field(default=None, description="列入失信被执行人名单日 (SH-30)")
    publications: list[Publication] = Field(default_factory=list, description="items made public 信息公开 (SH-35)")

    @property
    def rounds_held(self) -> list[Meeting]:
        return [m for m in self.meetings if m.outcome != "planned"]


def procedure_problems(case: Any) -> list[tuple[str, str, object]]:
    """Events out of order, as (field path, expected, got) triples."""
    p, out = case.procedure, []

    def after(path: str, value: date | None, ref_path: str, ref: date | None, strict: bool = False) -> None:
        if value is not None and ref is not None and (value < ref or (strict and value == ref)):
            word = "after" if strict else "on or after"
            out.append((path, f"a date {word} {ref_path} ({ref.isoformat()})", value.isoformat()))

    clue = case.dates.clue_received
    after("procedure.initial_verification_done", p.initial_verification_done, "dates.clue_received", clue)
    after("procedure.case_opened", p.case_opened, "dates.clue_received", clue)
    after("procedure.report_replied", p.report_replied, "procedure.report_received", p.report_received)
    after("procedure.obligor_reply_date", p.obligor_reply_date, "procedure.consultation_notice_delivered",
          p.consultation_notice_delivered)
    if p.obligor_reply_date is not None and p.obligor_reply is None:
        out.append(("procedure.obligor_reply", "the reply (agreed, refused or no_reply) when obligor_reply_date is given", None))
    for i, m in enumerate(p.meetings):
        after(f"procedure.meetings[{i}].date", m.date, "procedure.consultation_notice_delivered (a meeting follows the notice)",
              p.consultation_notice_delivered)
        if i:
            after(f"procedure.meetings[{i}].date", m.date, f"procedure.meetings[{i - 1}].date", p.meetings[i - 1].date)
        if p.agreement_signed is not None and m.outcome != "planned" and m.date > p.agreement_signed:
            out.append((f"procedure.meetings[{i}].date", f"a date on or before procedure.agreement_signed "
                        f"({p.agreement_signed.isoformat()}): no round after the agreement", m.date.isoformat()))
    after("procedure.agreement_signed", p.agreement_signed, "procedure.consultation_notice_delivered",
          p.consultation_notice_delivered)
    if p.confirmation_notice_published is not None and p.agreement_signed is None:
        out.append(("procedure.agreement_signed", "a date: a judicial-confirmation notice (procedure.confirmation_notice_"
                    "published) presupposes a signed agreement", None))
    after("procedure.confirmation_notice_published", p.confirmation_notice_published, "procedure.agreement_signed",
          p.agreement_signed)
    if p.confirmation_ruling is not None and p.confirmation_notice_published is None:
        out.append(("procedure.confirmation_notice_published", "a date: a confirmation ruling follows the public notice "
                    "(SPC-EDC-20)", None))
    after("procedure.confirmation_ruling", p.confirmation_ruling, "procedure.confirmation_notice_published",
          p.confirmation_notice_published)
    return out + later_step_problems(case)


def later_step_problems(case: Any) -> list[tuple[str, str, object]]:
    """The steps after the investigation out of order (SH-18, JS-(十)/SH-28, JS-(十三)/SH-29, SH-24, SH-30)."""
    p, out = case.procedure, []

    def need(value: object, ref_path: str, ref: date | None, why: str) -> None:
        if value is not None and ref is None:
            out.append((ref_path, f"a date: {why}", None))

    def after(path: str, value: date | None, ref_path: str, ref: date | None) -> None:
        if value is not None and ref is not None and value < ref:
            out.append((path, f"a date on or after {ref_path} ({ref.isoformat()})", value.isoformat()))

    clue = case.dates.clue_received
    for name in ("investigation_concluded", "assessment_concluded", "restoration_plan_prepared", "obligor_proposed_consultation"):
        after(f"procedure.{name}", getattr(p, name), "dates.clue_received", clue)
    after("procedure.early_restoration_started", p.early_restoration_started, "dates.incident", case.dates.incident)
    if p.early_restoration_started and p.agreement_signed and p.early_restoration_started >= p.agreement_signed:
        out.append(("procedure.early_restoration_started", f"a date before procedure.agreement_signed ({p.agreement_signed.isoformat()}): "
                    "early restoration is restoration before agreement (磋商未达成一致前)", p.early_restoration_started.isoformat()))
    need(p.effect_evaluation_done, "procedure.restoration_completed", p.restoration_completed,
         "an effect evaluation (procedure.effect_evaluation_done) follows the completed restoration (修复完成后, SH-29)")
    after("procedure.effect_evaluation_done", p.effect_evaluation_done, "procedure.restoration_completed", p.restoration_completed)
    if p.effect_evaluation_result is not None and p.effect_evaluation_done is None:
        out.append(("procedure.effect_evaluation_done", "a date when procedure.effect_evaluation_result is given", None))
    decided = p.judgment_effective or p.confirmation_ruling
    for name, why in (("enforcement_applied", "enforcement is applied for on an effective judgment or a confirmed agreement (SH-24)"),
                      ("dishonest_list_entered", "the list follows an effective judgment or a confirmed agreement (SH-30)")):
        value = getattr(p, name)
        if value is not None and decided is None:
            out.append(("procedure.judgment_effective", f"a date (or procedure.confirmation_ruling): {why}", None))
        after(f"procedure.{name}", value, "the effective judgment or confirmation ruling", decided)
    if p.performance is not None and p.agreement_signed is None and p.judgment_effective is None:
        out.append(("procedure.performance", "a signed agreement (procedure.agreement_signed) or an effective judgment "
                    "(procedure.judgment_effective) to perform", p.performance))
    if p.performance_as_of is not None and p.performance is None:
        out.append(("procedure.performance", "the performance (full, partial or none) when performance_as_of is given", None))
    return out

