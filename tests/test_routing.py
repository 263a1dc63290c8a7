"""Routing: JS-(八) tiers, JS-(七) cost ratio and refusal, assessment path, SH-14 / JS-(五) grounds,
JS-(五) major-case criteria, who acts (JS-(一),(四); SH-6), rule windows.  Hand-worked amounts."""

from datetime import date

import pytest

from _cases import SIMPLE, case_dict, run
from assess.app.api import assess_case
from assess.app.cli import main
from factors.errors import InputError, RuleNotInForce

AGREED = {**SIMPLE, "obligor_agreed_simplified": True, "obligor_agrees_simplified_consultation": True}


# -- JS-(八) consultation tiers: amount excluding category 3, op "<=" from the data ----------------
@pytest.mark.parametrize("cat4, cat5, outcome", [
    # 450000.00 + 50000.00 = 500000.00 ≤ 500000 (五十万元以下 includes the number, CC-1259) → sign directly
    ("450000.00", "50000.00", "direct_sign"),
    # 450000.01 + 50000.00 = 500000.01 > 500000 (超过五十万元) and ≤ 1000000 → simplified with 一事一报
    ("450000.01", "50000.00", "simplified_report"),
    # 950000.00 + 50000.00 = 1000000.00 ≤ 1000000 (一百万元以下) → still the report tier
    ("950000.00", "50000.00", "simplified_report"),
    # 950000.01 + 50000.00 = 1000000.01 > 1000000 → full consultation
    ("950000.01", "50000.00", "full"),
])
def test_js_consultation_tiers(cat4, cat5, outcome):
    # category 3 is large and must not count: 20000.00 added to every case
    r = run(cat3="20000.00", cat4=cat4, cat5=cat5, facts=AGREED)
    d = r.routing.get("consultation_path")
    assert d.outcome == outcome and d.rule == "JS-(八)"
    assert r.ledger.excluding_assessment_costs == r.ledger.total - 20000
    tier1 = d.node.find("routing.consultation_path.direct_sign")
    assert tier1.kind == "decision" and tier1.formula.endswith("<= 500000 元")
    assert "以下（含本数）" in tier1.note["zh"] and tier1.find("routing.consultation_path.direct_sign.threshold").kind == "parameter"
    assert "conditional" not in d.figures


def test_js_category_3_excluded_even_when_huge():
    # 999999.99 of category 3 beside 500000.00 of the rest: the tier looks at 500000.00 only → direct signing
    r = run(cat3="999999.99", cat4="500000.00", facts=AGREED)
    assert r.routing.get("consultation_path").outcome == "direct_sign"
    assert r.routing.get("consultation_path").figures["amount_excluding_category_3"] == "500000.00"


@pytest.mark.parametrize("facts, outcome, conditional", [
    ({**SIMPLE, "obligor_agrees_simplified_consultation": False}, "full", False),   # no agreement: JS-(八) needs it
    ({**SIMPLE, "obligor_refused_simplified": True}, "full", False),                # not fixed by simplified assessment
    ({"simple_facts": False}, "full", False),
    ({}, "direct_sign", True),                                                      # facts unknown: tier shown with conditions
])
def test_js_consultation_prerequisites(facts, outcome, conditional):
    d = run(cat4="100000.00", facts=facts).routing.get("consultation_path")
    assert d.outcome == outcome
    assert ("conditional" in d.figures) == conditional


def test_sh_has_no_money_threshold():
    d = run("CN-SH", cat4="5000000.00", facts=SIMPLE).routing.get("consultation_path")
    assert (d.outcome, d.rule) == ("simplified_allowed", "SH-21")
    assert "no money threshold in this jurisdiction" in d.reason["en"]
    d = run("CN-SH", cat4="1.00", facts={**SIMPLE, "undisputed_liability": False}).routing.get("consultation_path")
    assert d.outcome == "full" and "no money threshold" in d.reason["en"]


def test_national_only_case_says_no_national_rule():
    r = run("CN", cat4="100.00", facts=SIMPLE)
    assert r.routing.get("consultation_path").outcome == "no_rule"
    assert "no national rule recorded" in r.routing.get("consultation_path").outcome_label["en"]
    assert "national rules only" in r.routing.notes[0]["en"]
    assert r.routing.get("assessment_path").rule == "NR-20"          # national rule used where recorded
    assert r.routing.get("major_case").outcome == "no_rule"


# -- JS-(七) cost ratio: category 3 / (1 + 2 + 4 + 5) against the policy default 1.5, op ">=" ------
@pytest.mark.parametrize("cat3, outcome, shown", [
    ("150000.00", "remind", "1.5000"),        # 150000.00 / 100000.00 = 1.5 exactly ≥ 1.5 (at the threshold)
    ("149999.99", "no_reminder", "1.5000"),   # 1.4999999 < 1.5 (shown rounded, compared exactly)
    ("150000.01", "remind", "1.5000"),        # 1.5000001 ≥ 1.5
    ("80000.00", "no_reminder", "0.8000"),
])
def test_cost_ratio_at_policy_threshold(cat3, outcome, shown):
    d = run(cat3=cat3, cat4="100000.00").routing.get("cost_ratio")
    assert (d.outcome, d.figures["ratio"], d.rule) == (outcome, shown, "JS-(七)")
    p = d.node.find("routing.cost_ratio.threshold")
    assert p.kind == "parameter" and "policy" in p.note["en"]
    assert "以上（含本数）" in d.node.note["zh"]


def test_cost_ratio_override_per_run():
    # threshold 2: 150000.00 / 100000.00 = 1.5 < 2 → no reminder; 200000.00 / 100000.00 = 2 ≥ 2 → remind
    assert run(cat3="150000.00", cat4="100000.00", threshold="2").routing.get("cost_ratio").outcome == "no_reminder"
    d = run(cat3="200000.00", cat4="100000.00", threshold="2").routing.get("cost_ratio")
    assert d.outcome == "remind" and "overridden" in d.node.find("routing.cost_ratio.threshold").note["en"]


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "NaN"])
def test_cost_ratio_override_must_be_positive(bad):
    with pytest.raises(InputError) as ei:
        run(cat3="1.00", cat4="1.00", threshold=bad)
    assert ei.value.path == "--cost-ratio-threshold"


def test_cost_ratio_with_nothing_else_and_refusal():
    d = run(cat3="5000.00", facts={"obligor_refused_simplified": True}).routing.get("cost_ratio")
    assert d.outcome == "remind" and d.figures["ratio"] == "∞"
    assert "jointly commissioned" in d.reason["en"]


def test_cost_ratio_elsewhere_reported_only():
    d = run("CN-SH", cat3="300000.00", cat4="100000.00", threshold="2").routing.get("cost_ratio")
    assert d.outcome == "no_rule" and d.figures["ratio"] == "3.0000" and "not used" in d.reason["en"]


# -- assessment path (JS-(六),(七); SH-16; NR-20) ------------------------------------------------
def test_simplified_path_names_expert_minimum():
    d = run(cat4="1000.00", facts=SIMPLE).routing.get("assessment_path")
    assert (d.outcome, d.rule) == ("simplified", "JS-(七)")
    assert "at least (inclusive) 3 experts" in d.reason["en"]


@pytest.mark.parametrize("fact", ["simple_facts", "undisputed_liability", "small_damage"])
@pytest.mark.parametrize("jur, rule", [("CN-JS", "JS-(六)"), ("CN-SH", "SH-16")])
def test_full_path_when_a_fact_fails(fact, jur, rule):
    d = run(jur, cat4="1000.00", facts={**SIMPLE, fact: False}).routing.get("assessment_path")
    assert (d.outcome, d.rule) == ("full", rule)
    assert d.triggers[0]["field"] == f"facts.{fact}"


def test_js_refusal_sends_case_to_full_path_sh_only_notes_it():
    d = run(cat4="1000.00", facts={**SIMPLE, "obligor_refused_simplified": True}).routing.get("assessment_path")
    assert (d.outcome, d.rule) == ("full", "JS-(七)")
    d = run("CN-SH", cat4="1000.00", facts={**SIMPLE, "obligor_refused_simplified": True}).routing.get("assessment_path")
    assert d.outcome == "simplified" and "no consequence recorded in CN-SH" in d.reason["en"]


def test_missing_facts_undetermined():
    d = run(cat4="1000.00", facts={"simple_facts": True}).routing.get("assessment_path")
    assert d.outcome == "undetermined"
    assert "facts.undisputed_liability, facts.small_damage" in d.reason["en"]


@pytest.mark.parametrize("cat3, cat4, small", [
    ("0", "300000.00", True),        # 300000.00 ≤ 300000 (不超过 includes the number)
    ("0", "300000.01", False),
    ("20000.01", "280000.00", False),  # category 3 counted by the policy default: 300000.01 > 300000
])
def test_2025_simple_case_indicator(cat3, cat4, small):
    # issue 14 §3: the 300 000 元 of 〔2025〕6号 Art. 9 (a news summary, unverified) is shown as information and
    # never fills an absent small_damage: the path stays undetermined whichever side of the amount the case is on
    facts = {"simple_facts": True, "undisputed_liability": True}
    d = run("CN", cat3=cat3, cat4=cat4, facts=facts, incident="2025-03-01").routing.get("assessment_path")
    assert d.outcome == "undetermined" and "facts.small_damage" in d.reason["en"]
    assert "for information only" in d.reason["en"]
    node = d.node.find("routing.simple_case")
    assert node.rule == "NR2025-9" and "unverified" in node.find("routing.simple_case.threshold").note["en"]
    assert node.result["value"] == str(small).lower()   # the comparison itself is still shown


def test_2025_amount_does_not_override_the_js_tiers():
    # A Jiangsu case, 400 000.00 元 of damage (category 4), small_damage not stated, simple facts, undisputed
    # liability, obligor agrees.  Before: 400 000 > 300 000 → small_damage taken as false → full assessment →
    # full consultation, against JS-(八) (五十万元以下 → direct signing).  Now: assessment undetermined (the
    # fact is missing), consultation in the direct-signing tier (400 000.00 ≤ 500 000) provided the amount is
    # fixed by the simplified assessment.
    facts = {"simple_facts": True, "undisputed_liability": True, "obligor_agrees_simplified_consultation": True}
    r = run("CN-JS", cat4="400000.00", facts=facts, incident="2025-03-01")
    assert r.routing.get("assessment_path").outcome == "undetermined"
    c = r.routing.get("consultation_path")
    assert c.outcome == "direct_sign" and c.figures.get("conditional") == "true"


def test_2025_amount_does_not_split_shanghai_paths():
    # Shanghai, 400 000.00 元, small_damage not stated: before, the assessment path read the Art. 9 amount
    # (→ full) while the consultation path (SH-21) did not (→ undetermined).  Now both are undetermined.
    facts = {"simple_facts": True, "undisputed_liability": True}
    r = run("CN-SH", cat4="400000.00", facts=facts, incident="2025-03-01")
    assert r.routing.get("assessment_path").outcome == "undetermined"
    assert r.routing.get("consultation_path").outcome == "undetermined"


def test_2025_indicator_not_before_its_date():
    d = run("CN", cat4="1.00", facts={"simple_facts": True, "undisputed_liability": True},
            incident="2024-12-31").routing.get("assessment_path")
    assert d.outcome == "undetermined" and "no simple-case amount recorded" in d.reason["en"]


# -- grounds not to start / terminate (SH-14; JS-(五); NR-18) ---------------------------------------
@pytest.mark.parametrize("field, value, item", [
    ("already_compensated", True, "SH-14(1)"),
    ("judgment_covers_claims", True, "SH-14(2)"),
    ("significantly_minor", True, "SH-14(3)"),
    ("obligor_gone_no_assets", True, "SH-14(4)"),
    ("lawful_permitted_discharge", True, "SH-14(5)"),
    ("other_ground", "已由刑事附带民事公益诉讼判决处理", "SH-14(6)"),
])
def test_each_sh14_ground(field, value, item):
    d = run("CN-SH", cat4="1.00", facts={"non_initiation": {field: value}}).routing.get("non_initiation")
    assert (d.outcome, d.rule) == ("may_not_start", "SH-14")
    assert d.triggers == [{"code": field, "rule": item, "field": f"facts.non_initiation.{field}", "value": value,
                           "label": d.triggers[0]["label"]}]
    # found after the case was opened: terminate (SH-14 para. 2)
    d = run("CN-SH", cat4="1.00", facts={"non_initiation": {field: value}},
            procedure={"case_opened": "2024-06-01"}).routing.get("non_initiation")
    assert d.outcome == "may_terminate"


def test_js5_repaired_and_paid():
    full = {**SIMPLE, "non_initiation": {"self_repaired": True, "losses_paid": True}}
    d = run(cat4="1.00", facts=full).routing.get("non_initiation")
    assert (d.outcome, d.rule, d.triggers[0]["rule"]) == ("may_not_start", "JS-(五)", "JS-(五)")
    for missing in ("simple_facts", "undisputed_liability", "small_damage"):
        assert run(cat4="1.00", facts={**full, missing: None}).routing.get("non_initiation").outcome == "start"
    assert run(cat4="1.00", facts={**SIMPLE, "non_initiation": {"self_repaired": True}}).routing.get("non_initiation").outcome == "start"


def test_sh_grounds_not_recorded_in_js_but_minor_is_national():
    d = run(cat4="1.00", facts={"non_initiation": {"already_compensated": True}}).routing.get("non_initiation")
    assert d.outcome == "start" and "no ground recorded in CN-JS" in d.reason["en"]
    d = run(cat4="1.00", facts={"non_initiation": {"significantly_minor": True}}).routing.get("non_initiation")
    assert d.outcome == "may_not_start" and d.triggers[0]["rule"] == "NR-18"


# -- major cases (JS-(五) five criteria; SH-39) ------------------------------------------------------
@pytest.mark.parametrize("field, value", [
    ("emergency_level", "larger"), ("emergency_level", "especially_major"), ("in_key_zone", True),
    ("assigned_by_inspection", True), ("part_of_assigned_major_matter", True), ("serious_consequences_determined", True),
])
def test_each_js5_major_criterion(field, value):
    d = run(cat4="1.00", facts={"major": {field: value}}).routing.get("major_case")
    assert (d.outcome, d.rule) == ("major", "JS-(五)")
    assert d.triggers[0]["field"] == f"facts.major.{field}"
    assert "ledger and a timetable" in d.reason["en"]


def test_general_emergency_is_not_major():
    facts = {"major": {"emergency_level": "general", "in_key_zone": False, "assigned_by_inspection": False,
                       "part_of_assigned_major_matter": False, "serious_consequences_determined": False}}
    assert run(cat4="1.00", facts=facts).routing.get("major_case").outcome == "not_major"
    assert run(cat4="1.00").routing.get("major_case").outcome == "not_established"


def test_sh39_declared_major():
    d = run("CN-SH", cat4="1.00", facts={"major": {"declared_major": True}}).routing.get("major_case")
    assert (d.outcome, d.rule) == ("major", "SH-39") and "higher authority" in d.reason["en"]
    assert run("CN-SH", cat4="1.00", facts={"major": {"in_key_zone": True}}).routing.get("major_case").outcome == "undetermined"


# -- who acts (JS-(一),(四); SH-6) -------------------------------------------------------------------
@pytest.mark.parametrize("jur, facts, outcome, rule", [
    ("CN-JS", {"location": {"districted_city": "盐城市"}}, "districted_city", "JS-(四)"),
    ("CN-JS", {"location": {"spans": "several_areas"}}, "province", "JS-(一)"),
    ("CN-JS", {"location": {"spans": "beyond_province"}}, "province_jointly", "NR-cross-border"),
    ("CN-JS", {"major": {"in_key_zone": True}, "location": {"escalation_requested": True}}, "province_escalated", "JS-(四)"),
    ("CN-JS", {"location": {"escalation_requested": True}}, "districted_city", "JS-(四)"),   # not major: no escalation
    ("CN-SH", {"location": {"district": "浦东新区"}}, "district", "SH-6"),
    ("CN-SH", {"location": {"national_major_impact": True}}, "municipality", "SH-6"),
    ("CN-SH", {"location": {"spans": "beyond_province"}}, "municipality_jointly", "SH-6"),
    ("CN-SH", {"location": {"spans": "several_areas"}}, "undetermined", "SH-6"),
    ("CN", {}, "no_rule", None),
])
def test_who_acts(jur, facts, outcome, rule):
    d = run(jur, cat4="1.00", facts=facts).routing.get("who_acts")
    assert (d.outcome, d.rule) == (outcome, rule)


# -- bad input -----------------------------------------------------------------------------------
def test_contradictory_facts_name_the_field():
    with pytest.raises(InputError) as ei:
        run(cat4="1.00", facts={"obligor_agreed_simplified": True, "obligor_refused_simplified": True})
    assert ei.value.path == "facts.obligor_refused_simplified"


def test_unknown_flag_and_wrong_location_field(write_json, capsys):
    data = case_dict("CN-SH", cat4="1.00", facts={"urgent": True, "location": {"districted_city": "盐城市"}})
    assert main(["route", str(write_json(data))]) == 2
    err = capsys.readouterr().err
    assert "facts.urgent: expected no such field" in err


def test_js_field_in_sh_case_is_refused():
    with pytest.raises(InputError) as ei:
        run("CN-SH", cat4="1.00", facts={"location": {"districted_city": "盐城市"}})
    assert ei.value.path == "facts.location.districted_city"


# -- rule windows: first and last day in force, the day outside ---------------------------------------
@pytest.mark.parametrize("jur, day, ok", [
    ("CN-JS", "2023-03-01", True), ("CN-JS", "2028-02-29", True), ("CN-JS", "2023-02-28", "national"), ("CN-JS", "2028-03-01", False),
    ("CN-SH", "2024-04-10", True), ("CN-SH", "2029-04-09", True), ("CN-SH", "2024-04-09", "national"), ("CN-SH", "2029-04-10", False),
])
def test_rule_windows(jur, day, ok):
    data = case_dict(jur, cat4="1.00", facts=SIMPLE, incident=day)
    if ok is True:
        r = assess_case(data, today=date(2024, 1, 1))
        assert r.on == date.fromisoformat(day)
        assert r.routing.get("consultation_path").outcome in ("direct_sign", "simplified_allowed")
    elif ok == "national":
        # the day before the provincial rules: national rules, with a line saying the provincial ones were not
        # yet in force (issue 14 §1; before, this was refused)
        r = assess_case(data, today=date(2024, 1, 1))
        assert r.routing.jurisdiction == "CN" and r.routing.get("consultation_path").outcome == "no_rule"
        assert r.law.get("procedural").jurisdiction == "CN" and r.law.get("procedural").skipped[0]["jurisdiction"] == jur
        assert any("not yet on " + day in w["en"] for w in r.warnings)
    else:   # after the provincial rules expired: nothing is assumed about a successor
        with pytest.raises(RuleNotInForce) as ei:
            assess_case(data)
        assert jur in str(ei.value)


# -- CLI and result ------------------------------------------------------------------------------------
def test_route_cli_json_and_text(write_json, capsys):
    p = write_json(case_dict(cat3="20000.00", cat4="500000.01", facts=AGREED))
    assert main(["route", str(p), "--json"]) == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert {d["key"]: d["outcome"] for d in out["routing"]["decisions"]}["consultation_path"] == "simplified_report"
    assert main(["route", str(p), "--lang", "en", "--cost-ratio-threshold", "0.01"]) == 0
    text = capsys.readouterr().out
    assert "Consultation path: simplified, with a case-by-case report" in text and "[JS-(八)]" in text
    assert "remind the obligor" in text
    assert main(["route", str(p), "--cost-ratio-threshold", "x"]) == 2


def test_example_shows_routing(capsys):
    assert main(["example", "--no-trace"]) == 0
    out = capsys.readouterr().out
    assert "543,185.29 元" in out
    assert "直接签署赔偿协议" in out and "[JS-(八)]" in out and "盐城市人民政府" in out
    assert out.index("赔偿清单") < out.index("程序路径") < out.index("程序期限")


def test_result_to_dict_carries_routing_and_deadlines():
    from assess.app.cli import example_path

    d = assess_case(example_path(), today=date(2024, 12, 31)).to_dict()
    assert d["ledger"]["total"] == "543185.29"
    outcomes = {x["key"]: x["outcome"] for x in d["routing"]["decisions"]}
    assert outcomes["consultation_path"] == "direct_sign" and outcomes["assessment_path"] == "simplified"
    assert {i["key"]: i["status"] for i in d["deadlines"]["items"]}["report_reply"] == "met"
    # every decision node of the routing trace cites its rule
    for node in d["routing_trace"]["children"]:
        assert node["kind"] == "decision" and (node.get("rule") is None or node["citation"]["zh"])
