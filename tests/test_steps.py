"""Rules without a number (issue 14 §4): the case-model fields, the loader of data/duties.toml, the text
and JSON of the findings, and what stays unchanged.  The rules' outcomes are in tests/scenarios/
(sh_04_scope, sh_18_consultation_start, early_restoration, effect_evaluation, sh_24_30_enforcement,
sh_23_whole_liability, sh_42_case_file, sh_35_publication, usable_evidence_and_content)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from _cases import case_dict
from assess import assess_case, case_json_schema
from assess.app.cli import main
from factors import duties
from factors.errors import InputError


def sh_case(**procedure) -> dict:
    case = case_dict("CN-SH", cat4="100000.00", procedure=procedure)
    case["obligors"] = [{"id": "O1", "name": "甲", "kind": "enterprise", "share": "0.7"},
                        {"id": "O2", "name": "乙", "kind": "enterprise", "share": "0.3"}]
    return case


def test_every_duty_in_force_with_a_verbatim_looking_quote():
    for name in duties.names():
        found = [duties.lookup(name, j, d) for j, d in (("CN-SH", date(2024, 4, 10)), ("CN-SH", date(2029, 4, 9)),
                                                         ("CN-JS", date(2023, 3, 1)), ("CN-JS", date(2028, 2, 29)))]
        assert any(found), name
        for duty in filter(None, found):
            # a quote is the seed's words: Chinese text, no English paraphrase
            assert duty.quote and not re.search(r"[A-Za-z]{3,}", duty.quote), (name, duty.quote)


@pytest.mark.parametrize("jurisdiction, day, rule", [
    ("CN-SH", date(2024, 4, 9), None), ("CN-SH", date(2024, 4, 10), "SH-28"),
    ("CN-SH", date(2029, 4, 9), "SH-28"), ("CN-SH", date(2029, 4, 10), None),
    ("CN-JS", date(2023, 2, 28), None), ("CN-JS", date(2023, 3, 1), "JS-(十)"),
    ("CN-JS", date(2028, 2, 29), "JS-(十)"), ("CN-JS", date(2028, 3, 1), None), ("CN", date(2025, 1, 1), None),
])
def test_duty_lookup_by_date_and_jurisdiction(jurisdiction, day, rule):
    duty = duties.lookup("early_restoration", jurisdiction, day)
    assert (duty.rule if duty else None) == rule


def test_new_fields_in_the_schema_and_unknown_ones_refused():
    schema = json.dumps(case_json_schema(), ensure_ascii=False)
    for name in ("whole_liability", "case_file", "publications", "restoration_completed", "historic_no_identifiable_party"):
        assert name in schema
    with pytest.raises(InputError) as ei:
        assess_case({**sh_case(), "facts": {"scope": {"nuclear": True}}})
    assert ei.value.path == "facts.scope.nuclear"
    with pytest.raises(InputError) as ei:
        assess_case(sh_case(restoration_finished="2024-12-01"))
    assert ei.value.path == "procedure.restoration_finished"


def test_scope_refusal_names_every_fact_at_once():
    case = {**sh_case(), "facts": {"scope": {"marine": True, "personal_injury_claim": True}}}
    with pytest.raises(InputError) as ei:
        assess_case(case)
    assert {p.path for p in ei.value.problems} == {"facts.scope.marine", "facts.scope.personal_injury_claim"}


def test_findings_in_json_and_text(capsys, write_json):
    case = sh_case(consultation_notice_delivered="2024-07-01", agreement_signed="2024-07-25",
                   restoration_completed="2024-11-30")
    case["whole_liability"] = {"obligor": "O1"}
    case["case_file"] = [{"id": "F1", "kind": "consultation", "title": "磋商记录"}]
    d = assess_case(case, today=date(2024, 12, 31)).to_dict()
    keys = [f["key"] for f in d["duties"]]
    assert keys == ["effect_evaluation", "enforcement", "whole_liability", "case_file", "publication"]
    assert [f["status"] for f in d["duties"]][1] == "may_apply_for_confirmation"   # SH-24 para. 1
    by = {f["key"]: f for f in d["duties"]}
    assert by["whole_liability"]["citation"]["zh"].endswith("第二十三条")
    assert by["case_file"]["items"][3]["state"] == "missing"          # agreement signed, not in the file
    assert by["publication"]["status"] == "due"
    assert main(["run", str(write_json(case)), "--lang", "zh", "--no-trace"]) == 0
    out = capsys.readouterr().out
    assert "程序步骤、义务与案卷" in out and "部分赔偿义务人承担全部责任: 一人承担全部责任 [SH-23]" in out
    text = assess_case(case, today=date(2024, 12, 31)).render("en", trace=False)
    assert "Steps, duties and the case file" in text
    assert "One obligor assumes the whole liability: one obligor assumes the whole liability [SH-23]" in text
    assert "restoration completed on 2024-11-30: the effect evaluation is due promptly (no period is fixed)" in text


def test_no_findings_without_their_facts():
    r = assess_case(case_dict("CN-SH", cat4="1.00", procedure={"consultation_notice_delivered": "2024-07-01"}),
                    today=date(2024, 12, 31))
    assert r.duties == [] and "duties" not in r.to_dict()
    assert "程序步骤" not in r.render("zh")


def test_example_has_no_findings():
    from assess.app.cli import example_path

    r = assess_case(example_path(), today=date(2024, 12, 31))
    assert r.duties == [] and "duties" not in r.to_dict()


def test_shanghai_steps_example():
    from factors.paths import data_dir

    r = assess_case(data_dir() / "examples" / "sh_steps_case_file.json", today=date(2025, 5, 1))
    # 46 000.00 + 318 500.00 + 12 400.00 = 376 900.00; O1 assumes it all, recourse 376 900.00 × 0.3 = 113 070.00 from O2
    assert r.ledger.total == 376900
    by = {f.key: f for f in r.duties}
    assert by["whole_liability"].figures == {"total": "376900.00", "assumed_by": "O1", "recourse_total": "113070.00"}
    assert [(k, f.status) for k, f in by.items()] == [
        ("scope", "in_scope"), ("consultation_start", "conditions_met"), ("effect_evaluation", "due"),
        ("enforcement", "performed"), ("dishonest_list", "mitigating"), ("whole_liability", "assumed"),
        ("case_file", "incomplete"), ("publication", "complete"), ("usable_evidence", "usable"),
        ("assessment_content", "complete")]
    assert [i["code"] for i in by["case_file"].items if i["state"] == "missing"] == ["restoration"]
