"""Double-counting guard, cross-checks, distributions and the Monte Carlo band of a case."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pytest

from assess import assess_case
from assess.law.case import parse_case
from assess.app.cli import main
from assess.law.uncertainty import UncertaintyOptions
from factors.errors import InputError
from factors.paths import data_dir
from valuation_cases import case_with, hea_item, value_item, vtc_item

EXAMPLE2 = data_dir() / "examples" / "js_vtc_hea.json"


def test_same_damage_same_category_twice_is_an_error():
    a = value_item()
    b = value_item(loss_fraction="0.4")
    b["id"], b["damage_ref"] = "D4", "D3"
    with pytest.raises(InputError) as e:
        assess_case(case_with(a, b))
    assert e.value.path == "damage_items[1].damage_ref"
    assert "D3" in str(e.value) and "D4" in str(e.value)


def test_hea_and_value_loss_of_one_damage_double_count():
    v = value_item()
    v["damage_ref"] = "D2"  # values the same wetland as the HEA item D2, into the same category (1)
    with pytest.raises(InputError) as e:
        assess_case(case_with(hea_item(), v))
    assert "D2" in str(e.value) and "D3" in str(e.value)


def test_cross_check_is_shown_not_counted():
    # HEA 835 646.20 (test_valuation_equivalency) counted; the value loss 12 545.40 only shown
    v = value_item()
    v["damage_ref"], v["cross_check"] = "D2", True
    result = assess_case(case_with(hea_item(), v))
    assert result.ledger.amount("interim_service_loss") == Decimal("835646.20")
    shown = {i.id: (i.amount, i.counted) for i in result.ledger.items()}
    assert shown["D3"] == (Decimal("12545.40"), False)
    assert "cross-check, not counted" in result.render("en", trace=False)
    assert result.to_dict()["ledger"]["interim_service_loss"]["items"][1]["counted"] is False


def test_distribution_validation_paths():
    item = vtc_item(unit_cost={"value": "35.5", "unit": "元/t",
                               "distribution": {"type": "triangular", "low": "36", "mode": "37", "high": "42"}})
    with pytest.raises(InputError) as e:
        parse_case(case_with(item))
    assert e.value.path == "damage_items[0].inputs.unit_cost"
    item["inputs"]["unit_cost"]["distribution"] = {"type": "uniform", "low": "30", "high": "x"}
    with pytest.raises(InputError) as e:
        parse_case(case_with(item))
    assert e.value.path == "damage_items[0].inputs.unit_cost.distribution.high"
    item["inputs"]["unit_cost"]["distribution"] = {"type": "uniform", "low": "30", "high": "40", "unit": "元/kg"}
    with pytest.raises(InputError) as e:
        parse_case(case_with(item))
    assert "unit" in str(e.value)


def symmetric_case() -> dict:
    item = vtc_item(unit_cost={"value": "35.50", "unit": "元/t",
                               "distribution": {"type": "triangular", "low": "30", "mode": "35.5", "high": "41"}},
                    quantity={"value": "1200", "unit": "t", "distribution": {"type": "uniform", "low": "1100", "high": "1300"}})
    return case_with(item, hea_item(), cost_items=[
        {"id": "C1", "category": "assessment_costs", "label": "fee", "date": "2024-06-01", "evidence": "inv",
         "amount": {"value": "20000", "unit": "元", "distribution": {"type": "lognormal", "median": "20000", "gsd": "1.1"}}}])


def test_band_reproducible_ordered_and_around_the_point():
    opts = UncertaintyOptions(draws=4000, seed=11)
    r1 = assess_case(symmetric_case(), uncertainty=opts)
    r2 = assess_case(symmetric_case(), uncertainty=opts)
    u1, u2 = r1.uncertainty, r2.uncertainty
    assert u1.to_dict() == u2.to_dict()
    assert all(np.array_equal(u1.values[k], u2.values[k]) for k in u1.values)  # bit for bit
    assert u1.inputs == ["cost_items[0].amount", "damage_items[0].inputs.quantity", "damage_items[0].inputs.unit_cost"]
    for band in [*u1.categories.values(), u1.total]:
        assert band.p5 <= band.p50 <= band.p95
    # symmetric VTC inputs: the point 63 900.00 lies inside the band; HEA has no distribution: a point
    vtc = u1.categories["remediation_costs"]
    assert vtc.p5 < 63900 < vtc.p95
    assert u1.categories["interim_service_loss"].p5 == u1.categories["interim_service_loss"].p95 == pytest.approx(835646.20)
    # the ledger keeps the point values
    assert r1.ledger.amount("remediation_costs") == Decimal("63900.00")
    d = r1.to_dict()["uncertainty"]
    assert d["seed"] == 11 and d["draws"] == 4000 and d["numpy_version"] == np.__version__
    assert all(Decimal(v) % 100 == 0 for v in d["total"].values())  # displayed to 百元
    other = assess_case(symmetric_case(), uncertainty=UncertaintyOptions(draws=4000, seed=12)).uncertainty
    assert not np.array_equal(other.values["total"], u1.values["total"])


def test_restoration_lines_enter_the_band(minimal_case):
    minimal_case["damage_items"][0]["inputs"]["lines"][0]["unit_price"]["distribution"] = {
        "type": "uniform", "low": "30", "high": "41"}
    u = assess_case(minimal_case, uncertainty=UncertaintyOptions(draws=2000, seed=3)).uncertainty
    band = u.categories["remediation_costs"]
    assert 1200 * 30 <= band.p5 < band.p95 <= 1200 * 41
    assert u.categories["assessment_costs"].p50 == 20000


def test_no_band_unless_asked():
    assert assess_case(case_with(vtc_item())).to_dict()["uncertainty"] is None


def test_cli_uncertainty_on_the_second_example(capsys):
    assert main(["run", str(EXAMPLE2), "--uncertainty", "--draws", "2000", "--seed", "5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["uncertainty"]["seed"] == 5 and out["uncertainty"]["draws"] == 2000
    assert out["uncertainty"]["inputs"] == ["damage_items[0].inputs.unit_cost"]
    assert out["ledger"]["remediation_costs"]["amount"] == "63900.00"
    assert {i["id"]: i["counted"] for i in out["ledger"]["interim_service_loss"]["items"]} == {"D2.interim": True, "D3": False}


def test_cli_rejects_bad_draws(capsys):
    with pytest.raises(SystemExit):
        main(["run", str(EXAMPLE2), "--uncertainty", "--draws", "0"])


def test_first_example_unchanged(example_dict):
    assert assess_case(example_dict).ledger.total == Decimal("543185.29")
