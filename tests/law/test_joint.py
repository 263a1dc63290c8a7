"""Joint and several liability 连带责任 (CC-178, CC-1168, CC-1171; shares by CC-1231; assess/law/joint.py).

Base: the shipped water example, ledger total 543 185.29 元 (tests/conftest.py ``example_dict``).
"""

from __future__ import annotations

import copy
import tomllib
from decimal import Decimal as D

import pytest

from assess import assess_case
from assess.reports.contract import validate_result
from factors.errors import InputError
from factors.paths import data_dir

TWO = [{"id": "O1", "name": "甲公司", "kind": "enterprise", "share": "0.7"},
       {"id": "O2", "name": "乙公司", "kind": "enterprise", "share": "0.3"}]


def joint(example_dict, ground="joint_tort", obligors=TWO):
    case = copy.deepcopy(example_dict)
    case["obligors"] = copy.deepcopy(obligors)
    case["joint_and_several"] = {"ground": ground, "basis": "（2024）苏09民初1号判决：共同排放"}
    return case


def test_joint_tort_each_owes_the_whole_internal_shares_to_the_fen(example_dict):
    # 54 318 529 fen × 0.7 = 38 022 970.3 → 38 022 970, rem .3; × 0.3 = 16 295 558.7 → 16 295 558, rem .7;
    # one fen left goes to the larger remainder (O2): O1 380 229.70, O2 162 955.59; sum 543 185.29.
    # Recourse if O1 pays the whole: 543 185.29 − 380 229.70 = 162 955.59 (CC-178 para. 2)
    res = assess_case(joint(example_dict))
    d = res.to_dict()
    j = d["liability"]["joint_and_several"]
    assert j["rule"] == "CC-1168" and j["amount"] == "543185.29"
    by = {x["obligor"]: x for x in j["obligors"]}
    assert by["O1"]["internal_share"] == "380229.70" and by["O2"]["internal_share"] == "162955.59"
    assert by["O1"]["owes_rights_holder_up_to"] == by["O2"]["owes_rights_holder_up_to"] == "543185.29"
    assert by["O1"]["recourse_if_pays_whole"] == "162955.59" and by["O2"]["recourse_if_pays_whole"] == "380229.70"
    assert D(by["O1"]["internal_share"]) + D(by["O2"]["internal_share"]) == D("543185.29")
    assert res.liability.trace.find("joint.ground").rule == "CC-1168"
    validate_result(d)


def test_each_sufficient_equal_shares_when_not_determinable(example_dict):
    # CC-1171; no shares → 平均承担 (CC-178 para. 2): 54 318 529 / 3 = 18 106 176.33 → 18 106 176 each, 1 fen left
    # to the first listed: O1 181 061.77, O2 181 061.76, O3 181 061.76
    three = [{"id": f"O{i}", "name": n, "kind": "enterprise"} for i, n in ((1, "甲"), (2, "乙"), (3, "丙"))]
    j = assess_case(joint(example_dict, "each_sufficient", three)).liability.joint
    assert j.rule == "CC-1171"
    assert [x.internal for x in j.lines] == [D("181061.77"), D("181061.76"), D("181061.76")]


def test_agreement_ground_and_one_obligor_refused(example_dict):
    assert assess_case(joint(example_dict, "agreement")).liability.joint.rule == "CC-178"
    with pytest.raises(InputError) as e:
        assess_case(joint(example_dict, obligors=[{"id": "O1", "name": "甲公司", "kind": "enterprise"}]))
    assert "joint_and_several" in str(e.value)


def test_quotes_are_verbatim_in_data():
    with open(data_dir() / "rules.toml", "rb") as fh:
        rules = tomllib.load(fh)["rules"]
    assert rules["CC-1168"]["quote"] == "二人以上共同实施侵权行为，造成他人损害的，应当承担连带责任。"
    assert rules["CC-1171"]["quote"].startswith("二人以上分别实施侵权行为造成同一损害，每个人的侵权行为都足以造成全部损害的")
    assert "难以确定责任大小的，平均承担责任" in rules["CC-178"]["quote"]
    assert rules["CC-1231"]["quote"].startswith("两个以上侵权人污染环境、破坏生态的，承担责任的大小")
    # CC-1235 checked against law_and_methods.md §2.1 and the structured Civil Code text
    assert rules["CC-1235"]["quote"].endswith("（五）防止损害的发生和扩大所支出的合理费用。")
