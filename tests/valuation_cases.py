"""Case builders shared by the valuation tests (not a test module)."""

from __future__ import annotations

import copy
from typing import Any


def case_with(*items: dict[str, Any], incident: str = "2024-05-12", cost_items: list | None = None) -> dict[str, Any]:
    return {
        "case_id": "T-V", "jurisdiction": "CN-JS", "dates": {"incident": incident, "assessment_base": "2024-09-30"},
        "damage_items": [copy.deepcopy(i) for i in items], "cost_items": cost_items or [],
    }


def vtc_item(**inputs: Any) -> dict[str, Any]:
    base = {
        "quantity": {"value": "1200", "unit": "t"},
        "unit_cost": {"value": "35.50", "unit": "元/t"},
        "unit_cost_provenance": "actual_survey",
        "gamma": {"value": "1.5", "basis": "report table 4-3"},
    }
    base.update(inputs)
    return {"id": "D1", "label": "discharge", "element": "surface_water", "restorable": False,
            "category": "remediation_costs", "method": "virtual_treatment_cost", "inputs": base}


def hea_item(**inputs: Any) -> dict[str, Any]:
    base = {
        "injured_quantity": {"value": "10", "unit": "hm²"},
        "baseline": "100",
        "injured_path": {"type": "linear", "start_level": "40", "end_level": "100"},
        "injury_year": 2020,
        "recovery_year": 2024,
        "project": {
            "baseline_level": "0",
            "path": {"type": "explicit", "levels": [{"year": y, "level": str(lv)} for y, lv in
                                                    zip(range(2022, 2027), (20, 40, 60, 80, 100), strict=False)]},
            "start_year": 2022, "end_year": 2026,
            "unit_cost": {"value": "150000", "unit": "元/hm²"},
        },
        "base_year": 2022,
        "discount_rate": "0.03",
    }
    base.update(inputs)
    return {"id": "D2", "label": "wetland", "element": "wetland", "restorable": True,
            "method": "habitat_equivalency", "inputs": base}


def value_item(**inputs: Any) -> dict[str, Any]:
    base = {
        "unit_value": {"value": "2000", "unit": "元/(hm²·年)"},
        "quantity": {"value": "10", "unit": "hm²"},
        "loss_fraction": "0.3",
        "years": [2022, 2023],
        "base_year": 2024,
        "discount_rate": "0.03",
    }
    base.update(inputs)
    return {"id": "D3", "label": "grassland services", "element": "grassland", "restorable": True,
            "category": "interim_service_loss", "method": "value_loss", "inputs": base}
