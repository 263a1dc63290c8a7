"""Virtual treatment cost item through the case path (law_and_methods.md §3.2, §4 E1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assess import assess_case
from factors.errors import InputError, UnitError
from valuation_cases import case_with, vtc_item


def amount(case: dict, item_id: str = "D1") -> Decimal:
    return next(i.amount for i in assess_case(case).ledger.items() if i.id == item_id)


def test_e1_through_a_case_file(write_json):
    # E1: 1200 t × 35.50 元/t = 42 600.00 元; × γ 1.5 = 63 900.00 元 (category chosen: 4)
    result = assess_case(write_json(case_with(vtc_item())))
    assert result.ledger.amount("remediation_costs") == Decimal("63900.00")
    node = result.trace.find("D1")
    assert node.formula == "E × C × γ"
    assert node.inputs["C"]["provenance"].startswith("实际调查法")
    assert "not transcribed" in node.note["en"]
    assert result.trace.find("D1.category").kind == "decision"
    assert result.warnings == []


def test_e1_into_interim_category_is_traced():
    item = vtc_item()
    item["category"] = "interim_service_loss"
    result = assess_case(case_with(item))
    assert result.ledger.amount("interim_service_loss") == Decimal("63900.00")
    assert "punitive" in result.trace.find("D1.category").note["en"]


def test_units_converted_exactly():
    # 1 200 000 kg = 1200 t; 0.0355 元/kg = 35.50 元/t → 63 900.00 元
    item = vtc_item(quantity={"value": "1200000", "unit": "kg"}, unit_cost={"value": "0.0355", "unit": "元/kg"})
    assert amount(case_with(item)) == Decimal("63900.00")


def test_m3_against_per_t_needs_density():
    item = vtc_item(quantity={"value": "1000", "unit": "m³"})
    with pytest.raises(UnitError) as e:
        assess_case(case_with(item))
    assert e.value.path == "damage_items[0].inputs.quantity.unit"
    assert "density" in str(e.value)
    # with 1.2 t/m³: 1000 m³ × 1.2 = 1200 t → 63 900.00 元
    item["inputs"]["density"] = {"value": "1.2", "unit": "t/m³"}
    assert amount(case_with(item)) == Decimal("63900.00")


def test_gamma_missing_lookup_raises_the_table_message():
    item = vtc_item()
    del item["inputs"]["gamma"]
    with pytest.raises(InputError) as e:
        assess_case(case_with(item))
    assert e.value.path == "damage_items[0].inputs.gamma"
    assert "γ table of GB/T 39793.2-2020 not transcribed: pass gamma" in str(e.value)


def rec2014(multiplier: str, env: str = "surface_water", cls: str = "III", **extra) -> dict:
    return {"multiplier": {"value": multiplier, "basis": "judgment"}, "receiving_environment": env,
            "function_class": cls, **extra}


@pytest.mark.parametrize("k, expected", [("4.5", "191700.00"), ("6", "255600.00")])
def test_2014_multiplier_at_both_bounds(k, expected):
    # 42 600.00 × 4.5 = 191 700.00; 42 600.00 × 6 = 255 600.00 (surface water III, 4.5–6, second-hand)
    item = vtc_item(recommended_2014=rec2014(k))
    del item["inputs"]["gamma"]
    result = assess_case(case_with(item))
    assert result.ledger.amount("remediation_costs") == Decimal(expected)
    assert result.trace.find("D1.range.low").result["value"] == "4.5"
    assert "unverified" in result.trace.find("D1.range.high").note["en"]
    assert result.trace.find("D1.multiplier").kind == "decision"


@pytest.mark.parametrize("k", ["4.49", "6.01"])
def test_2014_multiplier_just_outside(k):
    item = vtc_item(recommended_2014=rec2014(k))
    del item["inputs"]["gamma"]
    with pytest.raises(InputError) as e:
        assess_case(case_with(item))
    assert e.value.path == "damage_items[0].inputs.recommended_2014.multiplier.value"
    assert "[4.5, 6]" in str(e.value)


def test_2014_unverified_cell_needs_a_range_with_basis():
    item = vtc_item(recommended_2014=rec2014("7", cls="II"))
    del item["inputs"]["gamma"]
    with pytest.raises(InputError) as e:
        assess_case(case_with(item))
    assert e.value.path == "damage_items[0].inputs.recommended_2014.range"
    item["inputs"]["recommended_2014"]["range"] = {"low": "6", "high": "8", "basis": "primary text, p. 12"}
    # 42 600.00 × 7 = 298 200.00
    assert amount(case_with(item)) == Decimal("298200.00")


def test_damage_before_cutover_is_flagged():
    result = assess_case(case_with(vtc_item(), incident="2020-11-03"))
    assert result.ledger.amount("remediation_costs") == Decimal("63900.00")
    # substantive rules on the damage date (2020-11-03): the Jiangsu rules (2023-03-01) were not yet in force
    assert [w["path"] for w in result.warnings] == ["dates.incident", "damage_items[0].inputs.method_version"]
    assert "1488" in result.warnings[1]["zh"]
    assert result.trace.find("D1.version").rule == "HBZF2017-VTC"
    # the user picks: no method warning then, and the choice is traced
    item = vtc_item(method_version="hbzf_2017_1488")
    assert [w["path"] for w in assess_case(case_with(item, incident="2020-11-03")).warnings] == ["dates.incident"]


@pytest.mark.parametrize("field, value, path", [
    ("quantity", {"value": "-1", "unit": "t"}, "damage_items[0].inputs.quantity"),
    ("unit_cost", {"value": "35.5", "unit": "元/hm²"}, "damage_items[0].inputs.unit_cost"),
    ("unit_cost_provenance", "guess", "damage_items[0].inputs.unit_cost_provenance"),
    ("gamma", {"value": "-0.5", "basis": "x"}, "damage_items[0].inputs.gamma.value"),
])
def test_bad_inputs_name_the_field(field, value, path):
    with pytest.raises(InputError) as e:
        assess_case(case_with(vtc_item(**{field: value})))
    assert e.value.path == path


# -- E × C given as one amount (issue 14 §2: the report's figure when only that is available) ---------------

def one_amount(value="42600.00", unit="元", **extra):
    item = vtc_item()
    for k in ("quantity", "unit_cost", "unit_cost_provenance"):
        del item["inputs"][k]
    item["inputs"].update({"treatment_cost": {"value": value, "unit": unit},
                           "treatment_cost_basis": "鉴定评估报告第4.3节表4-3", **extra})
    return item


def test_treatment_cost_as_one_amount_is_cited_in_the_trace():
    # the report's E × C = 42 600.00 元 (1200 t × 35.50 元/t there); × γ 1.5 = 63 900.00 元 (GBT39793.2)
    result = assess_case(case_with(one_amount()))
    assert result.ledger.amount("remediation_costs") == Decimal("63900.00")
    node = result.trace.find("D1")
    assert node.formula == "(E × C) × γ" and node.rule == "GBT39793.2"
    ec = result.trace.find("D1.e_times_c")
    assert ec.kind == "input" and ec.result["value"] == "42600.00"
    assert "鉴定评估报告第4.3节表4-3" in ec.note["zh"] and ec.inputs["E×C"]["basis"] == "鉴定评估报告第4.3节表4-3"
    # the same as E and C given separately
    assert amount(case_with(vtc_item())) == Decimal("63900.00")


def test_treatment_cost_in_wan_yuan_and_half_fen():
    # 4.26 万元 = 42 600 元 → 63 900.00; 0.03 元 × 1.5 = 0.045 → 0.05 (half-up at the fen)
    assert amount(case_with(one_amount("4.26", "万元"))) == Decimal("63900.00")
    assert amount(case_with(one_amount("0.03"))) == Decimal("0.05")
    assert amount(case_with(one_amount("0.02"))) == Decimal("0.03")   # 0.03 exactly
    assert amount(case_with(one_amount("0.01"))) == Decimal("0.02")   # 0.015 → 0.02


def test_treatment_cost_with_the_2014_multiplier():
    # (E × C) 42 600.00 × k 5 = 213 000.00 元 (surface water III, range 4.5–6, HB2014-VTC)
    item = one_amount(method_version="hb_2014_90")
    del item["inputs"]["gamma"]
    item["inputs"]["recommended_2014"] = {"multiplier": {"value": "5", "basis": "报告表5"},
                                          "receiving_environment": "surface_water", "function_class": "III"}
    result = assess_case(case_with(item))
    assert result.ledger.amount("remediation_costs") == Decimal("213000.00")
    assert result.trace.find("D1").formula == "(E × C) × k"


@pytest.mark.parametrize("change, path_part, text", [
    ({"quantity": {"value": "1200", "unit": "t"}}, "inputs", "not both"),
    ({"treatment_cost_basis": None}, "inputs", "treatment_cost_basis"),
    ({"treatment_cost": {"value": "-1", "unit": "元"}}, "inputs", "non-negative"),
    ({"treatment_cost": {"value": "100", "unit": "t"}}, "inputs.treatment_cost", "元"),
])
def test_treatment_cost_errors_name_the_field(change, path_part, text):
    item = one_amount()
    for k, v in change.items():
        if v is None:
            del item["inputs"][k]
        else:
            item["inputs"][k] = v
    with pytest.raises(InputError) as e:
        assess_case(case_with(item))
    assert f"damage_items[0].{path_part}" in str(e.value) and text in str(e.value)


def test_neither_e_and_c_nor_one_amount():
    item = vtc_item()
    del item["inputs"]["unit_cost"]
    with pytest.raises(InputError) as e:
        assess_case(case_with(item))
    assert "damage_items[0].inputs" in str(e.value) and "unit_cost" in str(e.value)


def test_treatment_cost_monte_carlo_runs():
    from assess.app.api import UncertaintyOptions

    item = one_amount()
    item["inputs"]["treatment_cost"]["distribution"] = {"type": "uniform", "low": "40000", "high": "45200"}
    res = assess_case(case_with(item), uncertainty=UncertaintyOptions(draws=200, seed=1))
    assert res.ledger.amount("remediation_costs") == Decimal("63900.00")
    assert res.uncertainty is not None
