"""HEA / REA and value-loss items through the case path (law_and_methods.md §3.4–3.5)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from assess import assess_case
from assess.law.case import parse_case
from assess.law.valuation.base import Draws, EvalContext
from factors.errors import InputError
from factors.store import default_store
from valuation_cases import case_with, hea_item, value_item


def lines(case: dict) -> dict[str, Decimal]:
    return {i.id: i.amount for i in assess_case(case).ledger.items()}


def test_hea_by_hand_five_years_discounted():
    # 10 hm², baseline 100, linear 40 (2020) → 100 (2024): levels 40, 55, 70, 85, 100.
    # Base year 2022, r = 3 %, start-of-year timing (policy default): DF = 1.03^(2022 − t).
    # debit = 10 × (0.60 × 1.0609 + 0.45 × 1.03 + 0.30 × 1 + 0.15 / 1.03 + 0 / 1.0609)
    #       = 10 × (0.63654 + 0.4635 + 0.3 + 0.145631068 + 0) = 15.45671068 hm²·年
    # project 2022–2026 on bare land, 20/40/60/80/100 %:
    # credit = 0.2 + 0.4/1.03 + 0.6/1.0609 + 0.8/1.092727 + 1/1.12550881
    #        = 0.2 + 0.388349515 + 0.565557546 + 0.732113327 + 0.888487048 = 2.774507435 年
    # size = 15.45671068 / 2.774507435 = 5.570974683 hm²; × 150 000 元/hm² = 835 646.2024 → 835 646.20 元
    result = assess_case(case_with(hea_item()))
    assert result.ledger.amount("interim_service_loss") == Decimal("835646.20")
    assert result.ledger.amount("permanent_loss") == Decimal("0.00")
    rows = result.trace.find("D2.debit_interim").children
    assert [r.inputs["year"]["value"] for r in rows] == ["2020", "2021", "2022", "2023", "2024"]
    assert rows[0].inputs["fraction"]["value"] == "0.6" and rows[0].inputs["discount_factor"]["value"] == "1.0609"
    assert result.trace.find("D2.timing").kind == "parameter"  # the policy default, traced


def test_hea_interim_and_permanent_lines():
    # 10 hm² at 50 % from 2022 on, never recovers; interim 2022–2023, permanent 2024–2025; base 2022, r = 0.
    # debit interim = 10 × 0.5 × 2 = 10; permanent = 10 × 0.5 × 2 = 10; project 2022–2023 full gain: credit = 2
    # interim = 10/2 × 1000 = 5 000.00 元 → (1); permanent = 10/2 × 1000 = 5 000.00 元 → (2)
    item = hea_item(injured_path={"type": "stepwise", "initial_level": "50", "steps": [{"year": 2030, "level": "100"}]},
                    injury_year=2022, recovery_year="never", interim_end_year=2023, horizon_year=2025,
                    discount_rate="0", project={"path": {"type": "linear", "start_level": "100", "end_level": "100"},
                                                "start_year": 2022, "end_year": 2023,
                                                "unit_cost": {"value": "1000", "unit": "元/hm²"}})
    result = assess_case(case_with(item))
    assert lines(case_with(item)) == {"D2.interim": Decimal("5000.00"), "D2.permanent": Decimal("5000.00")}
    assert result.ledger.amount("permanent_loss") == Decimal("5000.00")


def test_rea_resource_units():
    # REA: 200 株 lost entirely in 2024 (base 2024, r = 0) → debit 200; project gives 1 per 株 in 2024 → credit 1;
    # 200 × 35 元/株 = 7 000.00 元
    item = hea_item(analysis="REA", injured_quantity={"value": "200", "unit": "株"},
                    injured_path={"type": "explicit", "levels": [{"year": 2024, "level": "0"}]},
                    injury_year=2024, recovery_year=2024, base_year=2024, discount_rate="0",
                    project={"path": {"type": "explicit", "levels": [{"year": 2024, "level": "100"}]},
                             "start_year": 2024, "end_year": 2024, "unit_cost": {"value": "35", "unit": "元/株"}})
    assert lines(case_with(item)) == {"D2.interim": Decimal("7000.00")}


@settings(max_examples=25, deadline=None)
@given(hm2=st.decimals(min_value="0.01", max_value="5000", places=2),
       cost=st.decimals(min_value="1", max_value="900000", places=2))
def test_mu_and_hm2_give_the_same_yuan(hm2, cost):
    # 1 hm² = 15 亩 exactly: the same area and unit cost in either unit give the same yuan
    a = hea_item(injured_quantity={"value": str(hm2), "unit": "hm²"})
    a["inputs"]["project"]["unit_cost"] = {"value": str(cost), "unit": "元/hm²"}
    b = hea_item(injured_quantity={"value": str(hm2 * 15), "unit": "亩"})
    b["inputs"]["project"]["unit_cost"] = {"value": str(cost / 15), "unit": "元/亩"} if (cost / 15) * 15 == cost else \
        {"value": str(cost), "unit": "元/hm²"}
    assert lines(case_with(a)) == lines(case_with(b))
    va = value_item(quantity={"value": str(hm2), "unit": "hm²"})
    vb = value_item(quantity={"value": str(hm2 * 15), "unit": "亩"})
    assert lines(case_with(va)) == lines(case_with(vb))


def test_scalar_and_array_evaluation_identical():
    case = parse_case(case_with(hea_item(), value_item()))
    ctx = EvalContext("CN-JS", case.dates.rules_date, default_store(), case.dates.incident)
    for i, item in enumerate(case.damage_items):
        path = f"damage_items[{i}]"
        scalar = item.sample_amounts(ctx, path, Draws({}))
        ip = f"{path}.inputs"
        q = item.inputs.injured_quantity if hasattr(item.inputs, "injured_quantity") else item.inputs.quantity
        qpath = f"{ip}.injured_quantity" if hasattr(item.inputs, "injured_quantity") else f"{ip}.quantity"
        arrays = item.sample_amounts(ctx, path, Draws({qpath: np.full(7, float(q.value))}))
        for (c1, s), (c2, a) in zip(scalar, arrays, strict=False):
            assert c1 == c2 and np.all(a == s)
        ledger = {li.category: li.amount for li in item.evaluate(ctx, path)}
        assert all(ledger[c] == Decimal(repr(float(s))).quantize(Decimal("0.01"), "ROUND_HALF_UP") for c, s in scalar)


def test_value_loss_by_hand():
    # 2 000 元/(hm²·年) × 10 hm² × 0.3 = 6 000 元/年 in 2022 and 2023, base 2024, r = 3 %, start of year:
    # 6 000 × 1.03² + 6 000 × 1.03 = 6 365.40 + 6 180.00 = 12 545.40 元 → (1)
    result = assess_case(case_with(value_item()))
    assert result.ledger.amount("interim_service_loss") == Decimal("12545.40")
    # same with start_year/end_year
    item = value_item(years=None, start_year=2022, end_year=2023)
    assert lines(case_with(item)) == {"D3": Decimal("12545.40")}


def test_value_loss_permanent_perpetuity():
    # A = 1 000 元/(hm²·年) × 5 hm² × 0.2 = 1 000 元/年; perpetuity at end-of-year timing: A / r = 25 000 at 2026;
    # to base year 2024: 25 000 / 1.04² = 23 113.905… → 23 113.91 元 → (2)
    item = value_item(unit_value={"value": "1000", "unit": "元/(hm²·年)"}, quantity={"value": "5", "unit": "hm²"},
                      loss_fraction="0.2", years=None, discount_rate="0.04", timing="end",
                      permanent={"method": "perpetuity", "first_year": 2026})
    item["category"] = "permanent_loss"
    result = assess_case(case_with(item))
    assert result.ledger.amount("permanent_loss") == Decimal("23113.91")
    assert "UNVERIFIED" in result.trace.find("D3.permanent_method").note["en"]
    # finite horizon, r = 0: 1 000 × 30 years = 30 000.00
    item["inputs"].update(permanent={"method": "horizon", "first_year": 2026, "horizon_years": 30}, discount_rate="0")
    assert lines(case_with(item)) == {"D3": Decimal("30000.00")}
    # perpetuity needs r > 0
    item["inputs"].update(permanent={"method": "perpetuity", "first_year": 2026})
    with pytest.raises(InputError) as e:
        assess_case(case_with(item))
    assert e.value.path == "damage_items[0].inputs.discount_rate"


def test_value_loss_monotone_in_fraction_and_duration():
    a = lines(case_with(value_item(loss_fraction="0.3")))["D3"]
    b = lines(case_with(value_item(loss_fraction="0.4")))["D3"]
    c = lines(case_with(value_item(years=[2021, 2022, 2023])))["D3"]
    assert a < b and a < c


@pytest.mark.parametrize("make, path", [
    (lambda: hea_item(injured_quantity={"value": "-1", "unit": "hm²"}), "damage_items[0].inputs.injured_quantity"),
    (lambda: hea_item(recovery_year=2019), "damage_items[0].inputs.recovery_year"),
    (lambda: hea_item(discount_rate="3%"), "damage_items[0].inputs.discount_rate"),
    (lambda: hea_item(injured_path={"type": "linear", "start_level": "40", "end_level": "120"}),
     "damage_items[0].inputs.injured_path[4]"),
    (lambda: hea_item(injured_quantity={"value": "3", "unit": "株"}), "damage_items[0].inputs"),
    (lambda: value_item(loss_fraction="1.5"), "damage_items[0].inputs.loss_fraction"),
    (lambda: value_item(discount_rate="3%"), "damage_items[0].inputs.discount_rate"),
    (lambda: value_item(unit_value={"value": "2000", "unit": "元/hm²"}), "damage_items[0].inputs.unit_value.unit"),
])
def test_error_paths(make, path):
    with pytest.raises(InputError) as e:
        assess_case(case_with(make()))
    assert e.value.path == path, str(e.value)


@pytest.mark.parametrize("change, path, expected", [
    ({"years": None, "start_year": 2023, "end_year": 2022}, "damage_items[0].inputs.end_year", "a year ≥ start_year (2023)"),
    ({"years": None}, "damage_items[0].inputs.years", "the loss years"),
    ({"years": []}, "damage_items[0].inputs.years", "at least one loss year"),
])
def test_value_loss_year_errors_name_the_real_field(change, path, expected):
    # The year checks ran inside the kernel-error wrapper, which prefixed the path a second time:
    # "damage_items[0].inputs.damage_items[0].inputs.end_year" (a field that does not exist).
    inputs = {k: v for k, v in change.items() if v is not None}
    item = value_item(**inputs)
    for k, v in change.items():
        if v is None:
            item["inputs"].pop(k)
    with pytest.raises(InputError) as exc:
        assess_case(case_with(item))
    assert exc.value.path == path and expected in exc.value.expected
