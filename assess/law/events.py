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
    return out

