"""Issue 14 §1: procedural rules by the date of each step — consultation on its own start date.

The consultation path (JS-(八) tiers, SH-21), when consultation may start (SH-18) and when it is deemed
failed (SH-25) are judged under the rules in force on the day consultation starts: the delivery of the
consultation notice (SH-22 counts from it), else the first meeting, else the agreement
(assess/law/lawdates.py ``consultation``), not on the assessment base date.  Boundaries: the first day of
each provincial rule set (data/jurisdictions.toml ``rule_set_valid_from``): Jiangsu 2023-03-01, Shanghai
2024-04-10 — the day before is national rules only, the day itself the province's.
"""

from datetime import date

import pytest

from _cases import SIMPLE, case_dict
from assess import assess_case
from assess.reports.contract import validate_result

TODAY = date(2026, 12, 1)
NOTICE = "procedure.consultation_notice_delivered"


def consultation_case(jurisdiction: str, base: str, procedure: dict, **extra) -> dict:
    """Damage 400 000.00 (category 4) + 20 000.00 of category 3; simple case, obligor agrees to simplified
    consultation; the assessment base date ``base`` (before the province's rules in every test below)."""
    incident = "2022-10-10" if jurisdiction == "CN-JS" else "2024-01-05"
    c = case_dict(jurisdiction, cat3="20000.00", cat4="400000.00", incident=incident,
                  facts={**SIMPLE, "obligor_agrees_simplified_consultation": True}, procedure=procedure)
    c["dates"]["assessment_base"] = base
    c.update(extra)
    return c


def notice_on(day: str, base: str) -> dict:
    return {"consultation_notice_delivered": day, "obligor_reply": "refused", "obligor_reply_date": day,
            "investigation_concluded": base, "assessment_concluded": base, "restoration_plan_prepared": base}


# -- Jiangsu: JS-(八) tiers from 2023-03-01 ----------------------------------------------------------
@pytest.mark.parametrize("day, jur, outcome, rule", [
    ("2023-02-28", "CN", "no_rule", None),            # the day before the Jiangsu opinions: national rules, no tier
    ("2023-03-01", "CN-JS", "direct_sign", "JS-(八)"),  # the first day: 400 000.00 ≤ 500 000 (以下, inclusive) → direct
])
def test_js_consultation_tiers_on_the_notice_date(day, jur, outcome, rule):
    # assessment base 2023-01-15 (< 2023-03-01): every other routing decision is under the national rules
    r = assess_case(consultation_case("CN-JS", "2023-01-15", notice_on(day, "2023-01-15")), today=TODAY)
    assert r.law.get("procedural").date == date(2023, 1, 15) and r.law.get("procedural").jurisdiction == "CN"
    assert r.routing.jurisdiction == "CN" and r.routing.get("assessment_path").rule != "JS-(六)"
    cons = r.law.get("consultation")
    assert (cons.date, cons.jurisdiction, cons.field) == (date.fromisoformat(day), jur, NOTICE)
    d = r.routing.get("consultation_path")
    assert (d.outcome, d.rule) == (outcome, rule)
    # the trace says which date governed, on the decision and in the law of the case's dates
    assert d.figures["governing_date"] == day and d.figures["governing_date_from"] == NOTICE
    assert d.figures["jurisdiction_applied"] == jur
    node = d.node.children[0]
    assert node.id == "routing.consultation_path.date" and node.inputs["date"]["value"] == day
    assert node.inputs["date"]["from"] == NOTICE and "2023-01-15" in node.note["en"]
    law_node = r.law_trace.find("law.consultation")
    assert f"rules of {jur} in force on {day} ({NOTICE})" in law_node.note["en"]
    if jur == "CN":
        # 400 000.00 excluding category 3; the national rules record no consultation tier
        assert any("not yet on 2023-02-28" in w["en"] and "consultation rules" in w["en"] for w in r.warnings)
    else:
        assert d.figures["amount_excluding_category_3"] == "400000.00"
        assert not any("not yet on 2023-03-01" in w["en"] for w in r.warnings)
    validate_result(r.to_dict())
    assert r.to_dict()["law_in_force"]["consultation"]["from"] == NOTICE


# -- Shanghai: SH-21 path, SH-18 start conditions, SH-25 deemed failure from 2024-04-10 ----------------
def test_sh_consultation_day_before_is_national():
    r = assess_case(consultation_case("CN-SH", "2024-03-20", notice_on("2024-04-09", "2024-03-20")), today=TODAY)
    assert (r.law.get("consultation").date, r.law.get("consultation").jurisdiction) == (date(2024, 4, 9), "CN")
    assert (r.routing.get("consultation_path").outcome, r.routing.get("consultation_path").rule) == ("no_rule", None)
    start = next(f for f in r.duties if f.key == "consultation_start")
    assert (start.status, start.rule) == ("no_rule", None)          # SH-18 not yet in force
    # the refusal is listed, but no national rule deems consultation failed on it
    assert (r.deadlines.consultation.state, r.deadlines.consultation.rule) == ("in_progress", None)


def test_sh_consultation_first_day_is_shanghai():
    r = assess_case(consultation_case("CN-SH", "2024-03-20", notice_on("2024-04-10", "2024-03-20")), today=TODAY)
    assert r.routing.jurisdiction == "CN"                            # the assessment base is still national
    assert (r.law.get("consultation").date, r.law.get("consultation").jurisdiction) == (date(2024, 4, 10), "CN-SH")
    d = r.routing.get("consultation_path")
    assert (d.outcome, d.rule) == ("simplified_allowed", "SH-21")   # simple case: SH-21, no money threshold
    start = next(f for f in r.duties if f.key == "consultation_start")
    # investigation, assessment and plan all 2024-03-20 ≤ notice 2024-04-10: SH-18 conditions met
    assert (start.status, start.rule) == ("conditions_met", "SH-18")
    # SH-25(1): an express refusal → may be deemed failed
    t = r.deadlines.consultation
    assert (t.state, t.rule) == ("deemed_failed", "SH-25")
    assert [x["rule"] for x in t.reasons][0] == "SH-25(1)"


# -- which date, and the overrides ----------------------------------------------------------------
def test_first_meeting_starts_consultation_when_no_notice():
    # no notice: the first meeting (2023-03-01) starts consultation → Jiangsu tiers
    r = assess_case(consultation_case("CN-JS", "2023-01-15", {"meetings": [{"date": "2023-03-01"}]}), today=TODAY)
    cons = r.law.get("consultation")
    assert (cons.date, cons.jurisdiction, cons.field) == (date(2023, 3, 1), "CN-JS", "procedure.meetings[0].date")
    assert r.routing.get("consultation_path").outcome == "direct_sign"


def test_no_consultation_event_follows_the_procedural_date():
    r = assess_case(consultation_case("CN-JS", "2023-01-15", {}), today=TODAY)
    assert "consultation" not in r.law.families and r.law.get("consultation") is r.law.get("procedural")
    d = r.routing.get("consultation_path")
    assert d.outcome == "no_rule" and "governing_date" not in d.figures
    assert r.law_trace.find("law.consultation") is None


def test_stated_procedural_date_covers_consultation():
    # the user chose one date for every procedural rule: the consultation follows it (no own date)
    c = consultation_case("CN-JS", "2023-01-15", notice_on("2023-03-01", "2023-01-15"),
                          law_dates={"procedural": {"date": "2023-02-28", "reason": "all steps under the old rules"}})
    r = assess_case(c, today=TODAY)
    assert "consultation" not in r.law.families
    assert r.routing.get("consultation_path").outcome == "no_rule"


def test_stated_consultation_date_with_reason():
    c = consultation_case("CN-JS", "2023-01-15", notice_on("2023-03-10", "2023-01-15"),
                          law_dates={"consultation": {"date": "2023-02-28", "reason": "talks began informally in February"}})
    r = assess_case(c, today=TODAY)
    cons = r.law.get("consultation")
    assert (cons.date, cons.jurisdiction, cons.field, cons.reason) == (
        date(2023, 2, 28), "CN", "law_dates.consultation", "talks began informally in February")
    assert r.routing.get("consultation_path").outcome == "no_rule"
    assert "talks began informally" in r.law_trace.find("law.consultation").note["en"]


def test_on_overrides_the_consultation_date_too():
    r = assess_case(consultation_case("CN-JS", "2023-01-15", notice_on("2023-03-01", "2023-01-15")), on=date(2023, 2, 28),
                    today=TODAY)
    assert "consultation" not in r.law.families and r.routing.get("consultation_path").outcome == "no_rule"
