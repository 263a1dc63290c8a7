"""The shipped examples as docket tests use them (issue 18): every case file of data/examples/**/*.json,
plus variants that exercise what a table can lose (a column mixing ``"never"`` with ``2029``)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from assess.formats.jsonio import read_case_json
from factors.paths import data_dir

ROOT = data_dir() / "examples"
ALL_JSON = sorted(ROOT.rglob("*.json"))


def is_case_file(path: Path) -> bool:
    """A case file (``assess run``) rather than a judgment's claim lines (``assess check --judgment``)."""
    doc = json.loads(path.read_text("utf-8"))
    return isinstance(doc, dict) and "jurisdiction" in doc and "lines" not in doc


#: every shipped case file, in any folder of data/examples
CASE_EXAMPLES = [p for p in ALL_JSON if is_case_file(p)]
#: the other shipped JSON: judgments' claim lines (tests/app/test_check_judgment.py)
CLAIM_FILES = [p for p in ALL_JSON if not is_case_file(p)]


def variants() -> list[dict[str, Any]]:
    """Cases beside the examples in one docket: the HEA example with ``recovery_year: 2029`` (an int in
    the column where the example has ``"never"``; no interim_end_year/horizon_year then)."""
    hea = read_case_json(ROOT / "js_vtc_hea.json")
    v = copy.deepcopy(hea)
    v["case_id"] = hea["case_id"] + "-R2029"
    inputs = next(d for d in v["damage_items"] if d["inputs"].get("recovery_year") == "never")["inputs"]
    inputs["recovery_year"] = 2029
    inputs.pop("interim_end_year")
    inputs.pop("horizon_year")
    return [v]


def docket_cases() -> list[dict[str, Any]]:
    """Every shipped case file, then the variants."""
    return [read_case_json(p) for p in CASE_EXAMPLES] + variants()
