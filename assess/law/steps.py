"""Steps, duties and the case file 程序步骤、义务与案卷: every finding of the rules without a number, in one call.

Order of the findings: scope (SH-4), consultation start (SH-18), early restoration (JS-(十), SH-28), effect
evaluation (JS-(十三), SH-29), enforcement (SH-24, SH-25), the dishonest-debtor list (SH-30), one obligor
assuming the whole liability (SH-23), the case file (SH-42), publication (SH-35), usable material (SH-15,
JS-(六)), assessment content (SH-17).  A finding appears only when the case holds the facts or events it
speaks about, so a case without them gets an empty list.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from assess.law.aftercare import dishonest_list, effect_evaluation, enforcement, whole_liability
from assess.law.casefile import assessment_content, case_file, publication, usable_evidence
from assess.law.findings import Finding
from assess.law.preconditions import consultation_start, early_restoration
from assess.law.scope import check_scope


def assess_steps(case: Any, ledger: Any, on: date, consultation: tuple[Any, date] | None = None) -> list[Finding]:
    """Every finding for the case under the rules in force on ``on`` (raises InputError for a case out of scope).

    ``consultation``: (the case as seen by the rules in force then, date) — SH-18 judged on the consultation's
    own start date (:func:`assess.law.lawdates.resolve_law`) instead of ``on``."""
    ccase, con = consultation or (case, on)
    found = [check_scope(case, on), consultation_start(ccase, con), early_restoration(case, on), effect_evaluation(case, on),
             enforcement(case, on), dishonest_list(case, on), whole_liability(case, ledger, on), case_file(case, on),
             publication(case, on), usable_evidence(case, on), assessment_content(case, on)]
    return [f for f in found if f is not None]


def warnings(findings: list[Finding]) -> list[dict[str, str]]:
    """A warning for each step taken before its conditions (``premature``) or material not usable."""
    return [{"path": f"duties.{f.key}", "zh": f"{f.detail['zh']}（{f.rule}）", "en": f"{f.detail['en']} ({f.rule})"}
            for f in findings if f.status in ("premature", "not_usable")]
