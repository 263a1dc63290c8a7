"""Case builders for the routing and procedure tests (ledgers hit exact amounts through cost items)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from assess.app.api import assess_case

SIMPLE = {"simple_facts": True, "undisputed_liability": True, "small_damage": True}
# First dates on which each rule set is in force (the incident date is the rules date below).
ON = {"CN-JS": "2024-05-12", "CN-SH": "2024-05-12", "CN": "2024-05-12"}


def case_dict(jurisdiction: str = "CN-JS", *, cat3: str = "0", cat4: str = "0", cat5: str = "0",
              facts: dict[str, Any] | None = None, procedure: dict[str, Any] | None = None,
              incident: str | None = None, clue: str | None = None) -> dict[str, Any]:
    """A case whose ledger is exactly cat3 + cat4 + cat5 (each a decimal string in 元)."""
    items = []
    for i, (cat, amount) in enumerate((("assessment_costs", cat3), ("remediation_costs", cat4), ("prevention_costs", cat5))):
        if Decimal(amount):
            items.append({"id": f"C{i}", "category": cat, "label": cat, "amount": {"value": amount, "unit": "元"},
                          "date": incident or ON[jurisdiction], "evidence": "invoice"})
    dates = {"incident": incident or ON[jurisdiction]}
    if clue:
        dates["clue_received"] = clue
    return {"case_id": "R-1", "jurisdiction": jurisdiction, "dates": dates, "cost_items": items,
            "facts": facts or {}, "procedure": procedure or {}}


def run(jurisdiction: str = "CN-JS", today: str = "2024-12-31", threshold: str | None = None, **kw: Any):
    return assess_case(case_dict(jurisdiction, **kw), today=date.fromisoformat(today), cost_ratio_threshold=threshold)
