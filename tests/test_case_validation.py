"""Bad input: every problem is named by its field path, and all are reported at once."""

import copy
from datetime import date

import pytest

from assess import assess_case, load_case, parse_case
from factors.errors import InputError, RuleNotInForce


def problems(data) -> list[str]:
    with pytest.raises(InputError) as ei:
        parse_case(data)
    return [str(p) for p in (ei.value.problems or [ei.value])]


def test_valid_minimal_case(minimal_case):
    case = parse_case(minimal_case)
    assert case.case_id == "T-1" and case.dates.rules_date == date(2024, 5, 12)


def test_missing_field(minimal_case):
    del minimal_case["dates"]["incident"]
    assert problems(minimal_case) == ["dates.incident: expected this required field"]


def test_unknown_field_rejected(minimal_case):
    minimal_case["damage_items"][0]["inputs"]["lines"][0]["qty"] = 3
    assert problems(minimal_case) == ["damage_items[0].inputs.lines[0].qty: expected no such field (unknown fields are rejected), got 3"]


def test_negative_quantity(minimal_case):
    minimal_case["damage_items"][0]["inputs"]["lines"][0]["quantity"]["value"] = "-5"
    (msg,) = problems(minimal_case)
    assert msg.startswith("damage_items[0].inputs.lines[0].quantity: expected a non-negative quantity")


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "abc", True, None])
def test_non_finite_or_non_numeric_amount(minimal_case, bad):
    minimal_case["cost_items"][0]["amount"]["value"] = bad
    (msg,) = problems(minimal_case)
    assert msg.startswith("cost_items[0].amount.value: expected")


def test_float_nan_from_json(minimal_case):
    minimal_case["cost_items"][0]["amount"]["value"] = float("nan")
    (msg,) = problems(minimal_case)
    assert "finite" in msg


def test_money_in_wrong_unit(minimal_case):
    minimal_case["cost_items"][0]["amount"]["unit"] = "t"
    (msg,) = problems(minimal_case)
    assert msg.startswith("cost_items[0].amount: expected a unit convertible to 元")


def test_price_unit_not_matching_quantity(minimal_case):
    minimal_case["damage_items"][0]["inputs"]["lines"][0]["unit_price"]["unit"] = "元/t"   # quantity in m³
    with pytest.raises(InputError) as ei:
        assess_case(minimal_case)
    assert str(ei.value).startswith("damage_items[0].inputs.lines[0].unit_price.unit: expected a price per m³")


def test_unknown_unit(minimal_case):
    minimal_case["damage_items"][0]["inputs"]["lines"][0]["quantity"]["unit"] = "furlongz"
    (msg,) = problems(minimal_case)
    assert msg.startswith("damage_items[0].inputs.lines[0].quantity: expected")


def test_unknown_jurisdiction(minimal_case):
    minimal_case["jurisdiction"] = "CN-ZJ"
    (msg,) = problems(minimal_case)
    assert msg == "jurisdiction: expected one of CN, CN-JS, CN-SH, got 'CN-ZJ'"


def test_unknown_method(minimal_case):
    minimal_case["damage_items"][0]["method"] = "magic"
    (msg,) = problems(minimal_case)
    assert msg.startswith("damage_items[0]: expected method to be one of")


def test_bad_date(minimal_case):
    minimal_case["dates"]["incident"] = "12/05/2024"
    (msg,) = problems(minimal_case)
    assert msg.startswith("dates.incident: expected a date as YYYY-MM-DD")


def test_dates_out_of_order(minimal_case):
    minimal_case["dates"]["clue_received"] = "2024-01-01"
    (msg,) = problems(minimal_case)
    assert "clue_received must not be before incident" in msg


def test_duplicate_ids(minimal_case):
    minimal_case["cost_items"].append(copy.deepcopy(minimal_case["cost_items"][0]))
    (msg,) = problems(minimal_case)
    assert "duplicate id 'C1'" in msg


def test_cost_item_in_service_loss_category(minimal_case):
    minimal_case["cost_items"][0]["category"] = "interim_service_loss"
    (msg,) = problems(minimal_case)
    assert msg.startswith("cost_items[0].category: expected a cost item goes to")


def test_all_problems_reported_at_once(minimal_case):
    minimal_case["jurisdiction"] = "XX"
    minimal_case["cost_items"][0]["amount"]["unit"] = "kg"
    minimal_case["damage_items"][0]["inputs"]["lines"][0]["quantity"]["value"] = "-1"
    paths = [p.split(":")[0] for p in problems(minimal_case)]
    assert paths == ["jurisdiction", "damage_items[0].inputs.lines[0].quantity", "cost_items[0].amount"]


def test_not_an_object():
    with pytest.raises(InputError, match=r"\(case\): expected a JSON object"):
        parse_case([1, 2])


@pytest.mark.parametrize("on, ok", [(date(2023, 2, 28), "CN"), (date(2023, 3, 1), "CN-JS"),
                                     (date(2028, 2, 29), "CN-JS"), (date(2028, 3, 1), None)])
def test_rules_date_inside_jiangsu_window(minimal_case, on, ok):
    if ok:
        r = assess_case(minimal_case, on=on)
        assert r.on == on and r.law.get("procedural").jurisdiction == ok
    else:   # after the Jiangsu rules expired nothing is assumed
        with pytest.raises(RuleNotInForce, match="CN-JS 2023-03-01–2028-02-29"):
            assess_case(minimal_case, on=on)


def test_national_case_before_civil_code(minimal_case):
    # national rules are recorded back to the 2014 Environmental Protection Law (in force 2015-01-01)
    minimal_case["jurisdiction"] = "CN"
    minimal_case["dates"]["incident"] = "2020-12-31"
    r = assess_case(minimal_case)
    assert r.law.get("substantive").period["docs"] == ["EPL", "TLL", "REFORM2017", "SPC-EDC"]
    minimal_case["dates"]["incident"] = "2014-12-31"
    with pytest.raises(RuleNotInForce, match="CN 2015-01-01"):
        assess_case(minimal_case)


def test_malformed_json_file(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('{"case_id": "x",,}', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.json:1:\d+: expected valid JSON"):
        load_case(p)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="expected an existing case file"):
        load_case(tmp_path / "nope.json")


def test_cost_item_id_may_not_repeat_a_damage_item_id(minimal_case):
    # Ledger lines are keyed by id (check --claimed, trace nodes, funds): a cost item "D1" beside the
    # damage item "D1" made `assess check` compare a claim for the restoration item (42 600.00 =
    # 1200 × 35.50) with the cost item (20 000.00) and report a false difference.
    minimal_case["cost_items"][0]["id"] = "D1"
    (msg,) = problems(minimal_case)
    assert "duplicate id 'D1'" in msg
