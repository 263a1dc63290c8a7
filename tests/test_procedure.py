"""Deadlines and consultation tracking: Civil Code Arts. 200–204 on the State Council calendar,
SH-19 working days, SH-22 period and rounds, SH-25 deemed failure, SPC-EDC-20 notice, bad events."""

import json
from datetime import date

import pytest

from _cases import case_dict, run
from assess.app.api import assess_case
from assess.app.cli import main
from factors.errors import InputError

SH_NOTICE = {"consultation_notice_delivered": "2024-07-01"}


# -- initial verification, 30 natural days (JS-(三), SH-13) ---------------------------------------
def test_initial_verification_across_spring_festival():
    # clue Mon 2024-01-15; start day not counted (CC 201): +30 days = Wed 2024-02-14, inside the 2024
    # Spring Festival holiday (02-10..02-17, 国办发明电〔2023〕7号) → next working day is Sun 2024-02-18,
    # a 调休 make-up working day (CC 203)
    r = run(cat4="1.00", incident="2024-01-10", clue="2024-01-15", today="2024-02-01", facts={"clue_referred": True})
    d = r.deadlines.get("initial_verification")
    assert (d.due, d.counting["nominal_end"], d.counting["rolled"], d.status) == (date(2024, 2, 18), "2024-02-14", True, "pending")
    assert d.rule == "JS-(三)" and "春节" in d.counting["steps"][2]["zh"]


@pytest.mark.parametrize("done, today, status", [
    ("2024-10-08", "2024-12-01", "met"),      # on the due day itself (届满 includes it)
    ("2024-10-09", "2024-12-01", "missed"),
    (None, "2024-10-08", "pending"),
    (None, "2024-10-09", "missed"),
])
def test_initial_verification_across_national_day(done, today, status):
    # clue Sun 2024-09-01 (SH): +30 = Tue 2024-10-01, National Day (10-01..10-07) → Tue 2024-10-08
    proc = {"initial_verification_done": done} if done else {}
    d = run("CN-SH", cat4="1.00", clue="2024-09-01", procedure=proc, today=today).deadlines.get("initial_verification")
    assert (d.due, d.status, d.rule) == (date(2024, 10, 8), status, "SH-13")


def test_initial_verification_missing_clue_date():
    d = run(cat4="1.00", facts={"clue_referred": True}).deadlines.get("initial_verification")
    assert d.status == "cannot_compute" and d.detail["en"] == "cannot compute: missing dates.clue_received"


# -- JS-(三) binds the department receiving a REFERRED clue; SH-13 binds every clue (issue 14 §3) --------
# JS-(三): 「涉及其他部门或机构职能的线索，要及时移送。接受线索移送的相关部门或机构，要在三十日内就是否造成生态环境损害进行初步核查。」
# SH-13: 「赔偿权利人指定的部门或机构筛查发现或者接到生态环境损害赔偿案件线索后，应当在三十日内……组织开展初步核查。」
@pytest.mark.parametrize("facts, status, due", [
    ({"clue_referred": True}, "pending", date(2024, 6, 19)),        # 2024-05-20 + 30 = Wed 2024-06-19 (working day)
    ({"clue_channel": "procuratorate"}, "pending", date(2024, 6, 19)),  # SH-12 (九) 检察机关移送: a referral by definition
    ({"clue_channel": "court"}, "pending", date(2024, 6, 19)),
    ({"clue_referred": False}, "not_applicable", None),             # found by the department itself: no JS period
    ({"clue_channel": "routine_supervision"}, "cannot_compute", None),  # not stated: the fact is asked for
    ({}, "cannot_compute", None),
])
def test_js_initial_verification_only_for_referred_clues(facts, status, due):
    d = run("CN-JS", cat4="1.00", clue="2024-05-20", facts=facts, today="2024-06-01").deadlines.get("initial_verification")
    assert (d.status, d.due, d.rule) == (status, due, "JS-(三)")
    if status == "not_applicable":
        assert "接受线索移送" in d.detail["zh"]
    if status == "cannot_compute":
        assert "facts.clue_referred" in d.detail["en"]


@pytest.mark.parametrize("facts", [{"clue_referred": False}, {}, {"clue_channel": "routine_supervision"}])
def test_sh_initial_verification_binds_every_clue(facts):
    # Shanghai: found by screening or received, referred or not: 2024-05-20 + 30 = 2024-06-19
    d = run("CN-SH", cat4="1.00", clue="2024-05-20", facts=facts, today="2024-06-01").deadlines.get("initial_verification")
    assert (d.status, d.due, d.rule) == ("pending", date(2024, 6, 19), "SH-13")


# -- reply to a report: two calendar months (JS-(三)); SH-13 "promptly"; CN none --------------------
@pytest.mark.parametrize("received, due, rolled", [
    ("2023-12-31", date(2024, 2, 29), False),   # no 31 February: month-end, a leap day (Thu, working) — CC 202
    ("2024-12-31", date(2025, 2, 28), False),   # not a leap year: 02-28 (Fri)
    ("2024-01-31", date(2024, 4, 1), True),     # 2024-03-31 is a Sunday → Mon 04-01 (CC 203)
])
def test_report_reply_months(received, due, rolled):
    d = run(cat4="1.00", incident="2023-06-01", procedure={"report_received": received}).deadlines.get("report_reply")
    assert (d.due, d.counting["rolled"], d.counting["unit"], d.rule) == (due, rolled, "month", "JS-(三)")


def test_report_reply_elsewhere_and_missing():
    d = run("CN-SH", cat4="1.00", procedure={"report_received": "2024-06-03"}).deadlines.get("report_reply")
    assert d.status == "not_applicable" and "not applicable in this jurisdiction" in d.detail["en"]
    d = run("CN", cat4="1.00", procedure={"report_received": "2024-06-03"}).deadlines.get("report_reply")
    assert d.status == "not_applicable" and "no national rule recorded" in d.detail["en"]
    d = run(cat4="1.00", facts={"citizen_report_requests_claim": True}).deadlines.get("report_reply")
    assert d.status == "cannot_compute" and "missing procedure.report_received" in d.detail["en"]
    assert run(cat4="1.00").deadlines.get("report_reply").status == "not_applicable"


# -- SH-19: notice 5 working days before the first meeting -----------------------------------------
@pytest.mark.parametrize("meeting, latest", [
    # Fri 2026-10-09: working days before it 10-08 (1), 09-30 (2), 09-29 (3), 09-28 (4), then 09-25..27
    # 中秋节 and 10-01..07 国庆节 skipped (国办发明电〔2025〕7号), 09-24 (5)
    ("2026-10-09", date(2026, 9, 24)),
    # Wed 2025-02-05: 02-04..01-28 Spring Festival skipped; 01-27 (1), Sun 01-26 make-up day (2), 01-24 (3),
    # 01-23 (4), 01-22 (5)
    ("2025-02-05", date(2025, 1, 22)),
])
def test_sh19_notice_working_days(meeting, latest):
    for delivered, status in ((latest.isoformat(), "met"), (None, "missed")):
        proc = {"meetings": [{"date": meeting, "outcome": "planned"}]}
        if delivered:
            proc["consultation_notice_delivered"] = delivered
        d = run("CN-SH", cat4="1.00", procedure=proc, today="2026-12-31").deadlines.get("consultation_notice")
        assert (d.due, d.due_kind, d.status, d.rule) == (latest, "not_after", status, "SH-19")
        assert d.counting["day_kind"] == "working"


def test_sh19_notice_one_day_late():
    proc = {"consultation_notice_delivered": "2026-09-25", "meetings": [{"date": "2026-10-09"}]}
    assert run("CN-SH", cat4="1.00", procedure=proc).deadlines.get("consultation_notice").status == "missed"


def test_sh19_needs_a_meeting_date():
    d = run("CN-SH", cat4="1.00", procedure=SH_NOTICE).deadlines.get("consultation_notice")
    assert d.detail["en"] == "cannot compute: missing procedure.meetings[0].date"


# -- SH-22: 90 natural days from the notice, at most 3 rounds; SH-25 deemed failure ---------------
def test_consultation_period_ends_on_makeup_sunday():
    # notice Mon 2024-07-01: +90 days = 07-31 (30) + 08-31 (31) + 09-29 (29) → Sun 2024-09-29, a 调休
    # working day (National Day notice), so it does not roll
    d = run("CN-SH", cat4="1.00", procedure=SH_NOTICE, today="2024-09-29").deadlines.get("consultation_period")
    assert (d.due, d.counting["rolled"], d.status) == (date(2024, 9, 29), False, "pending")
    assert "调休" in d.counting["steps"][2]["zh"]


@pytest.mark.parametrize("today, state", [("2024-09-29", "in_progress"), ("2024-09-30", "deemed_failed")])
def test_deemed_failed_days_exceeded(today, state):
    proc = {**SH_NOTICE, "meetings": [{"date": "2024-07-10"}]}
    c = run("CN-SH", cat4="1.00", procedure=proc, today=today).deadlines.consultation
    assert c.state == state
    if state == "deemed_failed":
        assert [(r["code"], r["rule"]) for r in c.reasons] == [("days_exceeded", "SH-25(3)")]
        assert "sue promptly" in c.detail["en"]


@pytest.mark.parametrize("n, state, status", [(3, "in_progress", "pending"), (4, "deemed_failed", "missed")])
def test_deemed_failed_rounds_exceeded(n, state, status):
    meetings = [{"date": f"2024-07-{10 + 7 * i:02d}"} for i in range(n)]    # 07-10, 07-17, 07-24, 07-31
    r = run("CN-SH", cat4="1.00", procedure={**SH_NOTICE, "meetings": meetings}, today="2024-08-01")
    assert r.deadlines.get("consultation_rounds").status == status
    c = r.deadlines.consultation
    assert (c.state, c.rounds_held) == (state, n)
    if state == "deemed_failed":
        assert c.reasons[0]["code"] == "rounds_exceeded" and c.reasons[0]["rule"] == "SH-25(3)"


@pytest.mark.parametrize("proc, code, item", [
    ({"obligor_reply": "refused", "obligor_reply_date": "2024-07-03"}, "refusal", "SH-25(1)"),
    ({"obligor_reply": "no_reply"}, "no_reply", "SH-25(1)"),
    ({"meetings": [{"date": "2024-07-10", "outcome": "obligor_absent"}]}, "absence", "SH-25(2)"),
    ({"meetings": [{"date": "2024-07-10", "outcome": "obligor_withdrew"}]}, "withdrawal", "SH-25(2)"),
    ({"consultation_failed_other": "义务人下落不明"}, "other", "SH-25(4)"),
])
def test_deemed_failed_each_reason(proc, code, item):
    c = run("CN-SH", cat4="1.00", procedure={**SH_NOTICE, **proc}, today="2024-07-20").deadlines.consultation
    assert c.state == "deemed_failed" and [(r["code"], r["rule"]) for r in c.reasons] == [(code, item)]


def test_agreement_within_period_and_rounds():
    proc = {**SH_NOTICE, "meetings": [{"date": "2024-07-10"}, {"date": "2024-07-20", "outcome": "agreement"}],
            "agreement_signed": "2024-07-25"}
    r = run("CN-SH", cat4="1.00", procedure=proc, today="2024-12-31")
    assert r.deadlines.get("consultation_period").status == "met"
    assert r.deadlines.get("consultation_rounds").status == "met"
    assert r.deadlines.consultation.state == "agreed"


def test_js_has_no_deemed_failure_rule():
    r = run(cat4="1.00", procedure={"consultation_notice_delivered": "2024-07-01", "obligor_reply": "refused"})
    c = r.deadlines.consultation
    assert c.state == "in_progress" and c.rule is None and "no rule recorded in CN-JS" in c.detail["en"]
    assert r.deadlines.get("consultation_period").status == "not_applicable"


def test_missing_notice_cannot_compute_period():
    d = run("CN-SH", cat4="1.00", procedure={"meetings": [{"date": "2024-07-10"}]}).deadlines.get("consultation_period")
    assert d.detail["en"] == "cannot compute: missing procedure.consultation_notice_delivered"


# -- SPC-EDC-20: public notice of at least 30 days before judicial confirmation --------------------
@pytest.mark.parametrize("ruling, status", [("2024-12-04", "missed"), ("2024-12-05", "met"), (None, "pending")])
def test_confirmation_notice(ruling, status):
    # published Mon 2024-11-04: +30 days = Wed 2024-12-04, the last day of the notice; the ruling comes after it
    proc = {"agreement_signed": "2024-10-28", "confirmation_notice_published": "2024-11-04"}
    if ruling:
        proc["confirmation_ruling"] = ruling
    d = run(cat4="1.00", procedure=proc).deadlines.get("confirmation_notice")
    assert (d.due, d.due_kind, d.status, d.rule) == (date(2024, 12, 4), "after", status, "SPC-EDC-20")


def test_confirmation_notice_missing_publication():
    d = run("CN", cat4="1.00", procedure={"agreement_signed": "2024-10-28"}).deadlines.get("confirmation_notice")
    assert d.detail["en"] == "cannot compute: missing procedure.confirmation_notice_published"


def test_uncovered_calendar_year_is_explicit():
    # clue 2026-12-20 + 30 = 2027-01-19: the calendar has no 2027 notice → cannot compute, never a guess
    d = run("CN-SH", cat4="1.00", incident="2026-12-01", clue="2026-12-20").deadlines.get("initial_verification")
    assert d.status == "cannot_compute" and "2027" in d.detail["en"]


# -- events out of order ------------------------------------------------------------------------------
@pytest.mark.parametrize("proc, path", [
    ({**SH_NOTICE, "meetings": [{"date": "2024-06-30"}]}, "procedure.meetings[0].date"),
    ({**SH_NOTICE, "meetings": [{"date": "2024-07-10"}, {"date": "2024-07-09"}]}, "procedure.meetings[1].date"),
    ({"report_received": "2024-06-10", "report_replied": "2024-06-09"}, "procedure.report_replied"),
    ({"confirmation_ruling": "2024-12-01"}, "procedure.confirmation_notice_published"),
    ({"confirmation_notice_published": "2024-12-01"}, "procedure.agreement_signed"),
    ({"agreement_signed": "2024-07-05", "meetings": [{"date": "2024-07-10"}]}, "procedure.meetings[0].date"),
    ({"initial_verification_done": "2024-05-01"}, "procedure.initial_verification_done"),
    ({"obligor_reply_date": "2024-07-02"}, "procedure.obligor_reply"),
])
def test_events_out_of_order(proc, path):
    with pytest.raises(InputError) as ei:
        run("CN-SH", cat4="1.00", clue="2024-05-20", procedure=proc)
    assert ei.value.path == path


def test_deadlines_cli(write_json, capsys):
    proc = {**SH_NOTICE, "meetings": [{"date": "2024-07-10"}]}
    p = write_json(case_dict("CN-SH", cat4="1.00", clue="2024-05-20", procedure=proc))
    assert main(["deadlines", str(p), "--today", "2024-09-30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["deadlines"]["today"] == "2024-09-30"
    assert out["deadlines"]["consultation"]["state"] == "deemed_failed"
    assert main(["deadlines", str(p), "--today", "2024-09-30", "--lang", "en", "--no-trace"]) == 0
    text = capsys.readouterr().out
    assert "Consultation period: due 2024-09-29 — missed [SH-22]" in text
    assert "Initial verification of the clue: due 2024-06-19 — missed [SH-13]" in text
    bad = write_json(case_dict("CN-SH", cat4="1.00", procedure={**SH_NOTICE, "meetings": [{"date": "2024-06-01"}]}), "bad.json")
    assert main(["deadlines", str(bad)]) == 2
    assert "procedure.meetings[0].date: expected a date on or after" in capsys.readouterr().err


# A user-supplied calendar (--calendar FILE / calendar=) reaches every deadline.  The 2027 block below
# is TEST DATA ONLY (not a State Council notice): New Year 2027-01-01..03 off, no make-up days.
TEST_2027 = '''
[[year]]
year = 2027
checked_on = 2026-11-23

[year.notice]
number = "TEST-ONLY"
title = "test fixture, not a notice"
dated = 2026-11-01
published = 2026-11-01

[[year.holiday]]
zh = "元旦"
en = "New Year's Day"
first = 2027-01-01
last = 2027-01-03
days = 3
'''


@pytest.fixture
def calendar_2027(tmp_path):
    from factors.paths import data_dir

    p = tmp_path / "cal.toml"
    p.write_text((data_dir() / "calendar" / "cn_workdays.toml").read_text(encoding="utf-8") + TEST_2027, encoding="utf-8")
    return p


def test_user_calendar_covers_a_new_year(calendar_2027):
    # clue 2026-12-20 + 30 days = 2027-01-19 (Tuesday, a working day in the test calendar): computed, pending
    kw = dict(cat4="1.00", incident="2026-12-01", clue="2026-12-20")
    r = assess_case(case_dict("CN-SH", **kw), today=date(2027, 1, 5), calendar=calendar_2027)
    d = r.deadlines.get("initial_verification")
    assert (d.due, d.status) == (date(2027, 1, 19), "pending")
    # the shipped calendar is untouched afterwards: the same case again cannot be computed
    again = assess_case(case_dict("CN-SH", **kw), today=date(2027, 1, 5)).deadlines.get("initial_verification")
    assert again.status == "cannot_compute"


def test_cli_calendar_option(calendar_2027, write_json, capsys):
    path = write_json(case_dict("CN-SH", cat4="1.00", incident="2026-12-01", clue="2026-12-20"))
    assert main(["deadlines", str(path), "--today", "2027-01-05", "--json", "--calendar", str(calendar_2027)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "2027-01-19" in json.dumps(out)
    assert main(["deadlines", str(path), "--calendar", str(calendar_2027) + ".missing"]) == 2
    assert "calendar file not found" in capsys.readouterr().err
