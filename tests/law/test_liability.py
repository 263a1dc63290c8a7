"""Liability and payment (issue 6): punitive damages, expert panels, alternative restoration and
credits, instalments with doubled interest, destinations.  Every expected value is worked by hand
in the comment above it.  (The daily rate is written 1.75‱ = 日万分之一点七五 here; its value lives
in data/parameters/liability.toml only.)"""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess import assess_case, parse_case
from assess.app.cli import main
from assess.law.punitive import check_award
from factors.errors import InputError
from factors.money import allocate
from factors.paths import data_dir
from factors.store import default_store


def money(v: str) -> dict:
    return {"value": v, "unit": "元"}


def cost(i: str, cat: str, v: str) -> dict:
    return {"id": i, "category": cat, "label": i, "amount": money(v), "date": "2024-06-01", "evidence": "invoice"}


FACTS = {k: {"established": True, "evidence": "criminal judgment"}
         for k in ("intentional_violation", "pollution_or_destruction", "serious_consequences")}


def e2_case(cat1="120000.00", cat2="30000.00", multiple="1.5", shares=("0.7", "0.3")) -> dict:
    """E2 of law_and_methods.md §4: cats 1–4 = 120 000 / 30 000 / 20 000 / 400 000 元."""
    obligors = [{"id": f"O{i + 1}", "name": f"obligor {i + 1}", "kind": "enterprise", "size": "small",
                 **({"share": s} if s else {})} for i, s in enumerate(shares)]
    return {
        "case_id": "E2", "jurisdiction": "CN-JS", "dates": {"incident": "2024-05-12"}, "obligors": obligors,
        "damage_items": [{
            "id": "P", "label": "panel", "element": "surface_water", "restorable": False, "method": "expert_panel",
            "inputs": {"experts": [{"name": n, "pool": "JS pool", "amounts": {"interim_service_loss": money(cat1),
                                                                               "permanent_loss": money(cat2)}}
                                   for n in ("a", "b", "c")]}}],
        "cost_items": [cost("C3", "assessment_costs", "20000.00"), cost("C4", "remediation_costs", "400000.00")],
        "punitive": {"facts": copy.deepcopy(FACTS), "multiple": multiple, "reasons": ["malice", "gains"],
                     "fines": [{"kind": "administrative_fine", "amount": money("50000.00"), "date": "2024-07-01",
                                "authority": "EEB"}]},
    }


# -- punitive damages ----------------------------------------------------------------------------

def test_e2_punitive_award_and_shares():
    r = assess_case(e2_case())
    p = r.liability.punitive
    # base = cat 1 + cat 2 = 120 000.00 + 30 000.00 = 150 000.00 (cats 3–5 excluded)
    assert p.base == D("150000.00")
    # 150 000.00 × 1.5 = 225 000.00
    assert p.award == D("225000.00")
    # 225 000.00 × 0.7 = 157 500.00; × 0.3 = 67 500.00
    assert [(s.obligor, s.award) for s in p.shares] == [("O1", D("157500.00")), ("O2", D("67500.00"))]
    assert [s.base for s in p.shares] == [D("105000.00"), D("45000.00")]
    # the 50 000.00 fine is recorded, not deducted: gross = 570 000.00 + 225 000.00 = 795 000.00
    assert p.fines[0]["amount"] == "50000.00"
    assert r.liability.gross == D("795000.00") and r.liability.net == D("795000.00")
    assert r.liability.trace.find("punitive.fines").rule == "SH-8"
    # the cap parameter is unverified and the trace says so
    cap = r.liability.trace.find("punitive.multiple_cap")
    assert "unverified" in cap.note["en"] and cap.rule == "SPC-PUN"


def test_e2_cap_amount_via_check():
    # cap at m = 2: 150 000.00 × 2 = 300 000.00; m = 2.5 is flagged
    out = check_award(D("150000.00"), D("2.5"), date(2024, 6, 1), "CN-JS", default_store(), today=date(2025, 1, 1))
    assert out["then"]["max_award"] == "300000.00" and out["then"]["fits"] is False
    assert out["award"] == "375000.00"


def test_two_obligors_uneven_shares():
    # base = 120 000.01 + 30 000.00 = 150 000.01; × 1.5 = 225 000.015 → 225 000.02 (half-up)
    # quotas in fen: 22 500 002 × 0.7 = 15 750 001.4, × 0.3 = 6 750 000.6
    # floors 15 750 001 + 6 750 000 = 22 500 001; the 1 fen left goes to the larger remainder (.6 → O2)
    r = assess_case(e2_case(cat1="120000.01"))
    p = r.liability.punitive
    assert p.award == D("225000.02")
    assert [s.award for s in p.shares] == [D("157500.01"), D("67500.01")]
    assert sum(s.award for s in p.shares) == p.award
    # base 15 000 001 fen: 10 500 000.7 / 4 500 000.3 → O1 gets the odd fen
    assert [s.base for s in p.shares] == [D("105000.01"), D("45000.00")]


def test_equal_shares_by_default_tie_to_first():
    # three obligors, no shares: 225 000.00 / 3 = 75 000.00 each; 150 000.00 / 3 = 50 000.00
    r = assess_case(e2_case(shares=(None, None, None)))
    assert [s.award for s in r.liability.punitive.shares] == [D("75000.00")] * 3
    # 100.00 / 3: 33.34, 33.33, 33.33 — equal remainders, the odd fen to the first listed
    assert allocate(D("100.00"), [1, 1, 1]) == [D("33.34"), D("33.33"), D("33.33")]


def test_cap_boundary_exactly_at_cap():
    # m = 2 = cap: 不超过 includes the number → 150 000.00 × 2 = 300 000.00, not flagged
    p = assess_case(e2_case(multiple="2")).liability.punitive
    assert p.award == D("300000.00") and not p.over_cap


def test_cap_exceeded_without_override_is_error():
    with pytest.raises(InputError) as e:
        assess_case(e2_case(multiple="2.01"))
    assert e.value.path == "punitive.multiple" and "override" in str(e.value)


def test_cap_exceeded_with_override_is_flagged():
    case = e2_case(multiple="2.5")
    case["punitive"]["override"] = {"reason": "repeat offender, concealed pipe"}
    r = assess_case(case)
    p = r.liability.punitive
    # 150 000.00 × 2.5 = 375 000.00
    assert p.award == D("375000.00") and p.over_cap and p.override_reason.startswith("repeat")
    assert "override" in r.liability.trace.find("punitive.cap").note["en"]
    assert any("above the usual cap" in w["en"] for w in r.warnings)


def test_not_eligible_names_missing_fact():
    case = e2_case()
    del case["punitive"]["facts"]["serious_consequences"]
    case["punitive"]["facts"]["intentional_violation"]["established"] = False
    r = assess_case(case)
    p = r.liability.punitive
    assert not p.eligible and p.award == D("0.00")
    assert p.missing == ["intentional_violation", "serious_consequences"]
    assert "not eligible: missing intentional_violation, serious_consequences" in r.liability.trace.render("en")


@pytest.mark.parametrize("shares", [("0.7", "0.2"), ("0.7", None)])
def test_shares_must_sum_to_one(shares):
    with pytest.raises(InputError) as e:
        parse_case(e2_case(shares=shares))
    assert e.value.path == "obligors"


def test_punitive_check_before_and_after_interpretation():
    store = default_store()
    before = check_award(D("100"), D("3"), date(2020, 6, 1), "CN", store, today=date(2025, 1, 1))
    assert before["then"]["statutory_basis"] is False
    gap = check_award(D("100"), D("3"), date(2021, 6, 1), "CN", store, today=date(2025, 1, 1))
    assert gap["then"]["cap"] is None and gap["now"]["fits"] is False


# -- expert panel ---------------------------------------------------------------------------------

def panel_case(amounts: list[str], aggregation: str = "median", jurisdiction: str = "CN-SH") -> dict:
    return {
        "case_id": "X", "jurisdiction": jurisdiction, "dates": {"incident": "2024-06-01"},
        "damage_items": [{"id": "E", "label": "wetland", "element": "wetland", "restorable": True,
                          "method": "expert_panel", "category": "interim_service_loss",
                          "inputs": {"aggregation": aggregation, "experts": [
                              {"name": f"x{i}", "pool": "SH pool", "amounts": {"interim_service_loss": money(a)}}
                              for i, a in enumerate(amounts)]}}],
    }


def test_three_expert_panel_with_outlier():
    r = assess_case(panel_case(["100000", "110000", "200000"]))
    # median of 100 000, 110 000, 200 000 = 110 000.00
    assert r.ledger.amount("interim_service_loss") == D("110000.00")
    # deviations 10 000, 0, 90 000 → MAD = 10 000; 90 000 > 3 × 10 000 → x2 is an outlier
    outl = r.trace.find("E.interim_service_loss.outliers")
    assert outl.result["value"] == "x2"
    # mean 136 666.67; squared deviations 1 344 444 444 + 711 111 111 + 4 011 111 111 = 6 066 666 667
    # sd = sqrt(6 066 666 667 / 3) = 44 969.43; CV = 44 969.43 / 136 666.67 = 0.329042 > 0.3 → flagged
    spread = r.trace.find("E.interim_service_loss.spread")
    assert spread.result["value"] == "0.329042"
    assert any("spread" in w["en"] for w in r.warnings) and any("outlier" in w["en"] for w in r.warnings)
    # traced to every expert and to SH-16
    assert r.trace.find("E.experts[2].interim_service_loss").inputs["amount"]["from"] == \
        "damage_items[0].inputs.experts[2].amounts.interim_service_loss"
    assert r.trace.find("E.min_count").rule == "SH-16"


def test_five_expert_panel_with_outlier_median_and_trimmed_mean():
    amounts = ["100000", "104000", "98000", "102000", "160000"]
    r = assess_case(panel_case(amounts))
    # sorted 98 000, 100 000, 102 000, 104 000, 160 000 → median 102 000.00
    assert r.ledger.amount("interim_service_loss") == D("102000.00")
    # deviations 2 000, 2 000, 4 000, 0, 58 000 → sorted 0, 2 000, 2 000, 4 000, 58 000 → MAD 2 000
    # 58 000 > 6 000 → x4 flagged; 4 000 ≤ 6 000 → x2 not flagged
    assert r.trace.find("E.interim_service_loss.outliers").result["value"] == "x4"
    # trimmed mean: floor(5 × 0.2) = 1 dropped each end → (100 000 + 102 000 + 104 000)/3 = 102 000.00
    assert assess_case(panel_case(amounts, "trimmed_mean")).ledger.amount("interim_service_loss") == D("102000.00")
    # mean: 564 000 / 5 = 112 800.00
    assert assess_case(panel_case(amounts, "mean")).ledger.amount("interim_service_loss") == D("112800.00")


def test_panel_median_even_count_and_rounding():
    # four experts: middle two 100 000.01 and 100 000.02 → 100 000.015 → 100 000.02 (half-up)
    r = assess_case(panel_case(["100000.01", "100000.02", "90000", "110000"]))
    assert r.ledger.amount("interim_service_loss") == D("100000.02")


@pytest.mark.parametrize("jurisdiction", ["CN-SH", "CN-JS"])
def test_fewer_than_three_experts_cites_sh16(jurisdiction):
    with pytest.raises(InputError) as e:
        assess_case(panel_case(["100000", "110000"], jurisdiction=jurisdiction))
    assert e.value.path == "damage_items[0].inputs.experts"
    assert "at least 3" in str(e.value)
    assert ("SH-16" in str(e.value) and "不少于 3 人" in str(e.value)) if jurisdiction == "CN-SH" else "POLICY" in str(e.value)


def test_expert_amount_negative_or_not_money_all_reported():
    case = panel_case(["100000", "-5", "110000"])
    case["damage_items"][0]["inputs"]["experts"][0]["amounts"]["interim_service_loss"]["unit"] = "kg"
    with pytest.raises(InputError) as e:
        parse_case(case)
    paths = {p.path for p in e.value.problems}
    assert paths == {"damage_items[0].inputs.experts[0].amounts.interim_service_loss",
                     "damage_items[0].inputs.experts[1].amounts.interim_service_loss"}


# -- alternative restoration and credits ---------------------------------------------------------

def alt_case() -> dict:
    case = panel_case(["100000", "100000", "100000"], jurisdiction="CN-JS")
    case["damage_items"][0].update(restorable=False, category="permanent_loss")
    for e in case["damage_items"][0]["inputs"]["experts"]:
        e["amounts"] = {"permanent_loss": money("100000")}
    case["cost_items"] = [cost("C1", "assessment_costs", "8000.00")]
    case["alternative_restoration"] = [
        {"id": "A1", "kind": "off_site_planting", "description": "2 亩 trees", "equivalent_value": money("45000.00"),
         "basis": "plan"},
        {"id": "A2", "kind": "carbon_sink_purchase", "description": "CCER", "equivalent_value": money("15000.50"),
         "basis": "invoice"}]
    return case


def test_alternative_restoration_short_of_damage():
    li = assess_case(alt_case()).liability
    # unrepairable damage 100 000.00; offsets 45 000.00 + 15 000.50 = 60 000.50
    assert [a.credited for a in li.alternatives[:2]] == [D("45000.00"), D("15000.50")]
    # shortfall still owed (JS-(十一)): 100 000.00 − 60 000.50 = 39 999.50
    assert li.shortfall == D("39999.50")
    assert li.alternatives[-1].trace.rule == "JS-(十一)"
    # gross 108 000.00 − 60 000.50 = net 47 999.50: 39 999.50 to the treasury, 8 000.00 recovered
    assert li.gross == D("108000.00") and li.net == D("47999.50")
    by = {x.destination: x.net for x in li.funds}
    assert by == {"treasury": D("39999.50"), "department_recovery": D("8000.00")}


def test_credits_capped_pending_and_lapsed():
    case = alt_case()
    case["alternative_restoration"] = []
    base = {"ordered_by": "court", "document": "judgment §3", "conditions": "upgrade accepted"}
    case["credits"] = [
        # 120 000.00 × 0.35 = 42 000.00, capped at 30 000.00
        {**base, "id": "K1", "label": "tech upgrade", "base_amount": money("120000"), "rate": "0.35",
         "cap": money("30000"), "met_on": "2024-12-01", "deadline": "2024-12-31"},
        {**base, "id": "K2", "label": "pending", "base_amount": money("10000")},
        {**base, "id": "K3", "label": "late", "base_amount": money("10000"), "met_on": "2025-02-01",
         "deadline": "2025-01-31"},
    ]
    li = assess_case(case).liability
    assert [c.credited for c in li.credits] == [D("30000.00"), D("0.00"), D("0.00")]
    assert li.credits[1].status.startswith("pending") and li.credits[2].status.startswith("lapsed")
    # 108 000.00 − 30 000.00 = 78 000.00
    assert li.net == D("78000.00")


# -- instalments ------------------------------------------------------------------------------------

def plan_case(plan: dict, payments: list | None = None, amount="100000.00", size="small") -> dict:
    return {
        "case_id": "I", "jurisdiction": "CN-JS", "dates": {"incident": "2024-05-12"},
        "obligors": [{"id": "O1", "name": "o", "kind": "enterprise", "size": size}],
        "cost_items": [cost("C4", "remediation_costs", amount)],
        "instalment_plan": plan, "payments": payments or [],
    }


AGREED = {"basis": "confirmed_agreement", "agreement_date": "2024-01-10",
          "capacity": {"insufficient": True, "basis": "accounts"}}


def test_twelve_instalments_uneven_with_month_end():
    plan = {**AGREED, "first_due": "2024-01-31", "count": 12, "frequency": "monthly",
            "guarantees": [{"kind": "cash_deposit", "value": money("0.11"), "description": "deposit"},
                           {"kind": "mortgage", "value": money("100000"), "description": "plant"}]}
    s = assess_case(plan_case(plan, amount="100000.11")).schedule
    # deferred = 100 000.11 − 0.11 deposit (counted as paid) = 100 000.00; 10 000 000 fen / 12 = 833 333.33…
    # floor 833 333 fen × 12 = 9 999 996 → 4 fen left, to instalments 1–4 (equal remainders, earliest first)
    assert s.deferred == D("100000.00") and s.deposit == D("0.11")
    assert [i.amount for i in s.instalments] == [D("8333.34")] * 4 + [D("8333.33")] * 8
    assert sum(i.amount for i in s.instalments) == D("100000.00")
    # CC 202 from 2024-01-31: Feb has no 31st → 02-29; then 03-31 — a Sunday, rolled to Mon 04-01 (CC 203, the
    # default since issue 14 §3: an instalment is a period of performance, SPC-DPI Art. 2) — then 04-30
    assert [i.due.isoformat() for i in s.instalments[:4]] == ["2024-01-31", "2024-02-29", "2024-04-01", "2024-04-30"]
    # roll: "none" (CC 204: the agreement fixes the very day) keeps Sunday 03-31
    s = assess_case(plan_case({**plan, "roll": "none"}, amount="100000.11")).schedule
    assert s.instalments[2].due.isoformat() == "2024-03-31"


def test_quarterly_schedule():
    plan = {**AGREED, "first_due": "2024-02-29", "count": 3, "frequency": "quarterly",
            "guarantees": [{"kind": "surety", "value": money("100000"), "description": "parent company"}]}
    s = assess_case(plan_case(plan)).schedule
    assert [i.due.isoformat() for i in s.instalments] == ["2024-02-29", "2024-05-29", "2024-08-29"]
    # 10 000 000 fen / 3 → 3 333 334 + 3 333 333 + 3 333 333
    assert [i.amount for i in s.instalments] == [D("33333.34"), D("33333.33"), D("33333.33")]


E3_PLAN = {"basis": "judgment", "agreement_date": "2024-01-02",
           "dates": ["2024-01-31", "2024-03-29", "2024-06-28"]}
E3_PAYMENTS = [{"date": "2024-02-05", "amount": money("100000.00")},
               {"date": "2024-02-26", "amount": money("100000.00")},
               {"date": "2024-05-08", "amount": money("200000.00")},
               {"date": "2024-06-28", "amount": money("200000.00")}]


def test_e3_doubled_interest_exact():
    s = assess_case(plan_case(E3_PLAN, E3_PAYMENTS, amount="600000.00")).schedule
    assert [i.amount for i in s.instalments] == [D("200000.00")] * 3
    # instalment 1: 100 000 × 1.75‱ × 5 (02-05 − 01-31) = 87.50; 100 000 × 1.75‱ × 26 (02-26 − 01-31) = 455.00
    assert [p["interest"] for p in s.instalments[0].parts] == ["87.50", "455.00"]
    # instalment 2: 200 000 × 1.75‱ × 40 (05-08 − 03-29) = 1 400.00; instalment 3 on time: 0
    assert [i.interest for i in s.instalments] == [D("542.50"), D("1400.00"), D("0.00")]
    # total 87.50 + 455.00 + 1 400.00 = 1 942.50, all principal paid, interest still owed
    assert s.interest == D("1942.50") and s.principal_outstanding == 0 and s.outstanding == D("1942.50")
    rate = s.trace.find("instalments.rate")
    assert rate.rule == "SPC-DPI-1" and "日万分之一点七五" in rate.note["zh"]


def test_two_late_instalments_partial_payment_and_statement():
    # same judgment; instalment 1 paid 150 000 on 02-10 (10 days), 50 000 on 03-01 (30 days);
    # instalment 2 paid 120 000 on 04-08 (10 days late), 80 000 still unpaid on 2024-04-28 (30 days)
    pays = [{"date": "2024-02-10", "amount": money("150000")}, {"date": "2024-03-01", "amount": money("50000")},
            {"date": "2024-04-08", "amount": money("120000")}]
    s = assess_case(plan_case(E3_PLAN, pays, amount="600000.00"), as_of=date(2024, 4, 28)).schedule
    # 150 000 × 1.75‱ × 10 = 262.50; 50 000 × 1.75‱ × 30 = 262.50 → 525.00
    # 120 000 × 1.75‱ × 10 = 210.00
    assert [i.interest for i in s.instalments] == [D("525.00"), D("210.00"), D("0.00")]
    # running on the unpaid 80 000 × 1.75‱ × 30 (04-28 − 03-29) = 420.00
    assert s.instalments[1].accrued == D("420.00")
    # outstanding = principal 80 000 + 200 000 + interest 735.00 + 420.00 = 281 155.00
    assert s.outstanding == D("281155.00")


def test_payment_to_interest_then_overpayment():
    pays = [*E3_PAYMENTS, {"date": "2024-07-01", "amount": money("1942.50")}]
    s = assess_case(plan_case(E3_PLAN, pays, amount="600000.00")).schedule
    assert s.interest_paid == D("1942.50") and s.outstanding == 0
    pays[-1] = {"date": "2024-07-01", "amount": money("1942.51")}
    with pytest.raises(InputError) as e:
        assess_case(plan_case(E3_PLAN, pays, amount="600000.00"))
    assert e.value.path == "payments[4].amount" and "overpayment" in str(e.value)


def test_guarantee_shortfall_is_error_showing_it():
    plan = {**AGREED, "first_due": "2024-02-10", "count": 4, "frequency": "monthly",
            "guarantees": [{"kind": "cash_deposit", "value": money("10000"), "description": "deposit"},
                           {"kind": "mortgage", "value": money("85000"), "description": "plant"},
                           {"kind": "pledge", "value": money("50000"), "effective": False, "description": "void"}]}
    with pytest.raises(InputError) as e:
        assess_case(plan_case(plan))
    # deferred 100 000 − 10 000 = 90 000; effective other guarantees 85 000 → shortfall 5 000.00
    assert e.value.path == "instalment_plan.guarantees" and "shortfall 5000.00" in str(e.value)


def test_capacity_required_and_large_enterprise_warned():
    plan = {**AGREED, "capacity": {"insufficient": False, "basis": "accounts"}, "first_due": "2024-02-10",
            "count": 2, "frequency": "monthly", "guarantees": [{"kind": "surety", "value": money("100000"), "description": "s"}]}
    with pytest.raises(InputError) as e:
        assess_case(plan_case(plan))
    assert e.value.path == "instalment_plan.capacity.insufficient"
    plan["capacity"]["insufficient"] = True
    r = assess_case(plan_case(plan, size="large"))
    assert any("small/micro" in w["en"] for w in r.warnings)


def test_capacity_condition_is_jiangsus_not_shanghais():
    """JS-(十一) makes insufficient capacity a condition (and names small/micro enterprises); SH-8 does not: the
    Shanghai department weighs fault and business condition (分类处置).  The same plan, capacity sufficient,
    a large enterprise: refused in Jiangsu, eligible with no small/micro warning in Shanghai."""
    plan = {**AGREED, "capacity": {"insufficient": False, "basis": "accounts"}, "first_due": "2024-06-10",
            "count": 2, "frequency": "monthly", "guarantees": [{"kind": "surety", "value": money("100000"), "description": "s"}]}
    with pytest.raises(InputError) as e:
        assess_case(plan_case(plan, size="large"))
    assert e.value.path == "instalment_plan.capacity.insufficient" and "JS-(十一)" in str(e.value)
    sh = {**plan_case(plan, size="large"), "jurisdiction": "CN-SH"}
    r = assess_case(sh)
    assert not any("small/micro" in w["en"] for w in r.warnings)
    # deferred 100 000.00 in 2 equal instalments; surety 100 000 ≥ 100 000 × 1 (the cover default)
    assert [i.amount for i in r.schedule.instalments] == [D("50000.00"), D("50000.00")]
    # no capacity stated at all: still eligible in Shanghai, shown as "not stated" in the trace
    plan.pop("capacity")
    r = assess_case({**sh, "instalment_plan": plan})
    node = next(n for n in r.schedule.trace.walk() if n.id == "instalments.eligibility")
    assert node.inputs["capacity"]["value"] == "not stated" and node.formula.startswith("guarantees")
    assert any(c.rule == "SH-8" for c in node.children)


def test_capacity_condition_follows_the_jiangsu_rules_dates():
    """JS-(十一) in force 2023-03-01 to 2028-02-29: the day before, national rules only (no capacity condition,
    policy default); on the day, the condition binds."""
    plan = {**AGREED, "capacity": {"insufficient": False, "basis": "accounts"}, "first_due": "2024-06-10",
            "count": 2, "frequency": "monthly", "guarantees": [{"kind": "surety", "value": money("100000"), "description": "s"}]}
    before = {**plan_case(plan), "dates": {"incident": "2023-02-28"}}
    assert [i.amount for i in assess_case(before).schedule.instalments] == [D("50000.00"), D("50000.00")]
    with pytest.raises(InputError) as e:
        assess_case({**plan_case(plan), "dates": {"incident": "2023-03-01"}})
    assert e.value.path == "instalment_plan.capacity.insufficient"


def test_bad_instalment_inputs_named():
    plan = {**AGREED, "first_due": "2024-02-10", "count": 2, "frequency": "monthly",
            "guarantees": [{"kind": "mortgage", "value": {"value": "100000", "unit": "kg"}, "description": "x"}]}
    with pytest.raises(InputError) as e:
        parse_case(plan_case(plan))
    assert e.value.path == "instalment_plan.guarantees[0].value"
    plan["guarantees"][0]["value"]["unit"] = "元"
    with pytest.raises(InputError) as e:
        assess_case(plan_case(plan, [{"date": "2024-01-09", "amount": money("10")}]))
    assert e.value.path == "payments[0].date"


def test_unconfirmed_agreement_no_statutory_interest():
    plan = {**AGREED, "basis": "agreement", "dates": ["2024-02-01"],
            "guarantees": [{"kind": "surety", "value": money("100000"), "description": "s"}]}
    r = assess_case(plan_case(plan, [{"date": "2024-03-01", "amount": money("100000")}]))
    assert r.schedule.interest == 0 and r.schedule.rate is None
    assert any("unconfirmed agreement" in w["en"] for w in r.warnings)


# -- properties ---------------------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**12), st.lists(st.integers(0, 10**6), min_size=1, max_size=12).filter(lambda w: sum(w) > 0))
def test_allocate_sums_exactly(fen, weights):
    total = D(fen) / 100
    parts = allocate(total, weights)
    assert sum(parts) == total and all(p >= 0 for p in parts)
    # each part within one fen of its exact quota
    for p, w in zip(parts, weights, strict=False):
        assert abs(p - total * w / sum(weights)) < D("0.01")


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 10**10), st.integers(1, 36), st.sampled_from(["monthly", "quarterly"]),
       st.dates(date(2024, 1, 10), date(2024, 12, 31)))
def test_schedule_sums_exactly(fen, count, freq, first):
    from assess.law.instalments import InstalmentPlan, build_schedule

    plan = InstalmentPlan(basis="judgment", agreement_date=date(2024, 1, 10), first_due=first, count=count, frequency=freq)
    amount = D(fen) / 100
    s = build_schedule(plan, [], amount, [], "CN-JS", date(2024, 6, 1), default_store())
    assert sum(i.amount for i in s.instalments) == amount and len(s.instalments) == count
    assert all(a.due < b.due for a, b in zip(s.instalments, s.instalments[1:], strict=False))


# -- CLI and examples -----------------------------------------------------------------------------------

def test_cli_schedule_statement(capsys, write_json):
    path = write_json(plan_case(E3_PLAN, E3_PAYMENTS, amount="600000.00"))
    assert main(["schedule", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "interest on late payments: 1,942.50 元" in out
    assert main(["schedule", str(path), "--json", "--as-of", "2024-06-28"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["schedule"]["statement"]["outstanding"] == "1942.50"


def test_cli_schedule_without_plan_and_bad_payment(capsys, write_json, minimal_case):
    assert main(["schedule", str(write_json(minimal_case))]) == 2
    assert "instalment_plan" in capsys.readouterr().err


def test_cli_punitive_check(capsys):
    assert main(["punitive-check", "--base", "150000", "--multiple", "2", "--date", "2024-06-01",
                 "-j", "CN-JS", "--json", "--today", "2025-01-01"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["then"]["fits"] is True and d["award"] == "300000.00"
    assert main(["punitive-check", "--base", "x", "--multiple", "2", "--date", "2024-06-01"]) == 2


def test_liability_example_file():
    r = assess_case(data_dir() / "examples" / "js_liability_instalments.json")
    # panel medians 120 000 / 30 000; cat 3 20 000 → ledger 170 000.00; punitive 150 000 × 1.5 = 225 000.00
    # gross 395 000.00 − off-site planting 60 000.00 = 335 000.00
    assert r.ledger.total == D("170000.00") and r.liability.net == D("335000.00")
    # 335 000.00 − 30 000.00 deposit = 305 000.00 in 12: 25 416.67 × 8 + 25 416.66 × 4
    assert r.schedule.deferred == D("305000.00") and sum(i.amount for i in r.schedule.instalments) == D("305000.00")
    d = r.to_dict()
    assert d["liability"]["net_owed"] == "335000.00" and d["schedule"]["deferred"] == "305000.00"
    text = r.render("both")
    assert "责任与支付 / Liability and payment" in text and "分期赔付计划 / Instalment schedule" in text


def test_first_example_unchanged():
    r = assess_case(data_dir() / "examples" / "js_water_pollution.json")
    assert r.ledger.total == D("543185.29") and r.liability is None and "liability" not in r.to_dict()


def test_expert_panel_in_the_uncertainty_band():
    # --uncertainty used to stop with NotImplementedError (exit 1) on any case with an expert panel.
    # The panel has no sampled input: it enters the band at its point aggregate, like a cost item.
    # Median of 100 000, 110 000, 200 000 = 110 000; plus a cost item 1 000 ~ uniform(900, 1 100)
    # → total band P5 ≈ 110 910, P50 ≈ 111 000, P95 ≈ 111 090, shown to 百元: 110 900 / 111 000 / 111 100.
    from assess.law.uncertainty import UncertaintyOptions

    case = panel_case(["100000", "110000", "200000"])
    case["cost_items"] = [{"id": "C", "category": "assessment_costs", "label": "fee", "date": "2024-06-01",
                           "evidence": "invoice", "amount": {"value": "1000", "unit": "元",
                                                             "distribution": {"type": "uniform", "low": "900", "high": "1100"}}}]
    r = assess_case(case, uncertainty=UncertaintyOptions(draws=2000, seed=7))
    band = r.uncertainty.to_dict()
    assert band["categories"]["interim_service_loss"] == {"p5": "110000", "p50": "110000", "p95": "110000",
                                                          "mean": "110000"}
    assert (band["total"]["p5"], band["total"]["p50"], band["total"]["p95"]) == ("110900", "111000", "111100")
    assert r.ledger.total == D("111000.00")
