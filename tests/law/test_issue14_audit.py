"""Issue 14 audit: gaps closed — both sides of dated boundaries tested on one side only, and a criminal fine.

* CC-1232 (punitive damages) in force from 2021-01-01 (民法典第一千二百六十条: 「本法自2021年1月1日起施行」);
* SPC-EDC-20's 30-day public notice from 2019-06-05 (法释〔2019〕8号 in force 2019-06-05);
* NR2025-9's simple-case amount (环法规〔2025〕6号, document dated 2025-01-13; ``unverified``, information only).

The day before each date and the day itself.
"""

import json
from datetime import date
from decimal import Decimal as D

import pytest

from _cases import run
from assess import assess_case
from factors.paths import data_dir

TODAY = date(2026, 12, 1)


def punitive_case(incident: str) -> dict:
    data = json.loads((data_dir() / "examples" / "js_punitive_2021.json").read_text(encoding="utf-8"))
    data["dates"]["incident"] = incident
    return data


@pytest.mark.parametrize("incident, available, award", [
    ("2020-12-31", False, D("0.00")),         # the day before the Civil Code: not available
    ("2021-01-01", True, D("135000.00")),     # the first day: base (1) + (2) = 54 000.00 + 36 000.00 = 90 000.00 × 1.5
])
def test_punitive_on_both_sides_of_the_civil_code(incident, available, award):
    p = assess_case(punitive_case(incident), today=TODAY).liability.punitive
    assert (p.available, p.award) == (available, award)
    if available:
        # 法释〔2022〕1号 only from 2022-01-20: no multiple cap, and the output says so
        assert p.cap is None and p.finding["en"].startswith("no multiple cap in force on 2021-01-01")
    else:
        assert p.finding["en"].startswith("not available: Civil Code Art. 1232 not yet in force (in force from 2021-01-01)")


@pytest.mark.parametrize("published, status, rule", [
    ("2019-06-04", "not_applicable", None),          # before 法释〔2019〕8号: no notice period recorded
    ("2019-06-05", "cannot_compute", "SPC-EDC-20"),  # the first day: the 30 days apply (2019 not in the shipped calendar)
])
def test_confirmation_notice_on_both_sides_of_2019_06_05(published, status, rule):
    proc = {"agreement_signed": "2019-05-20", "confirmation_notice_published": published}
    d = run("CN", cat4="1.00", incident="2019-03-01", procedure=proc, today="2019-06-10").deadlines.get("confirmation_notice")
    assert (d.status, d.rule) == (status, rule)
    if status == "cannot_compute":   # the due date is not guessed: the roll needs the 2019 calendar
        assert "no data for 2019" in d.detail["en"] and d.due is None


@pytest.mark.parametrize("incident, shown", [("2025-01-12", False), ("2025-01-13", True)])
def test_simple_case_amount_on_both_sides_of_its_date(incident, shown):
    # small_damage not stated: the path stays undetermined on both days; from 2025-01-13 the 300 000 元 amount
    # (1.00 元 ≤ 300 000) is shown beside it as information only, never as the fact
    d = run("CN", cat4="1.00", facts={"simple_facts": True, "undisputed_liability": True},
            incident=incident).routing.get("assessment_path")
    assert d.outcome == "undetermined" and "facts.small_damage" in d.reason["en"]
    node = d.node.find("routing.simple_case")
    assert (node is not None) is shown
    if shown:
        assert node.rule == "NR2025-9" and "for information only, not used to decide" in d.reason["en"]
    else:
        assert "no simple-case amount recorded for this date" in d.reason["en"]


def test_criminal_and_administrative_fines_without_a_punitive_claim_are_never_deducted(example_dict):
    # js_water_pollution.json: 68 000.00 + 12 650.00 + 425 714.79 + 36 820.50 = 543 185.29, no punitive claim.
    # A 20 万元 administrative fine and a 10 万元 criminal fine (罚金) are shown; nothing is subtracted:
    # still owed = 543 185.29 (SH-8 / JS-(三): 不得以罚代赔; CC-187: civil liability is not affected)
    case = dict(example_dict)
    case["fines"] = [
        {"kind": "administrative_fine", "amount": {"value": "20", "unit": "万元"}, "date": "2024-05-20",
         "authority": "盐城市生态环境局", "reference": "盐环罚〔2024〕88号"},
        {"kind": "criminal_fine", "amount": {"value": "10", "unit": "万元"}, "date": "2024-08-15",
         "authority": "盐城市中级人民法院", "reference": "（2024）苏09刑初5号"},
    ]
    res = assess_case(case)
    assert res.liability is None and res.ledger.total == D("543185.29")
    st = res.statement
    assert [(f["kind"], f["amount"]) for f in st.fines] == [("administrative_fine", "200000.00"), ("criminal_fine", "100000.00")]
    assert st.still_owed == D("543185.29")
    node = st.trace.children[-1]
    assert node.rule == "SH-8" and "刑事罚金不减少生态环境损害赔偿" in node.note["zh"] and "江苏实施意见（三）" in node.note["zh"]
