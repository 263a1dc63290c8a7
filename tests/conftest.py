"""Shared fixtures: a minimal valid case dict to mutate in error-path tests."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path as _Path

# the unit memo (factors/units.py) of a test run goes to a fresh folder, not the user's cache
os.environ.setdefault("ECO_DAMAGE_ASSESS_CACHE", tempfile.mkdtemp(prefix="eco-damage-assess-test-cache-"))

# the shared helpers (_cases, _server, valuation_cases) live here; tests sit in folders by layer
sys.path.insert(0, str(_Path(__file__).resolve().parent))

import copy
import json
from pathlib import Path

import pytest

from factors.paths import data_dir


@pytest.fixture
def example_dict() -> dict:
    return json.loads((data_dir() / "examples" / "js_water_pollution.json").read_text(encoding="utf-8"))


@pytest.fixture
def minimal_case() -> dict:
    return copy.deepcopy({
        "case_id": "T-1",
        "jurisdiction": "CN-JS",
        "dates": {"incident": "2024-05-12"},
        "damage_items": [{
            "id": "D1", "label": "dredging", "element": "sediment", "restorable": True,
            "category": "remediation_costs", "method": "restoration_cost",
            "inputs": {"lines": [{"label": "dredge", "quantity": {"value": "1200", "unit": "m³"},
                                  "unit_price": {"value": "35.50", "unit": "元/m³"}}]},
        }],
        "cost_items": [{"id": "C1", "category": "assessment_costs", "label": "report",
                        "amount": {"value": "20000", "unit": "元"}, "date": "2024-06-01", "evidence": "invoice 1"}],
    })


@pytest.fixture
def write_json(tmp_path: Path):
    def write(data, name: str = "case.json") -> Path:
        p = tmp_path / name
        p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return p

    return write
