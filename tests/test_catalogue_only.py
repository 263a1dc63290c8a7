"""Rule IDs catalogued for citation that decide nothing in code, each with the reason (issue 14 §4).

- SH-9 (上海细则第九条【案件承办单位】): which municipal departments handle a case "按职责分工" — the text
  gives no mapping from a damage to a department, so there is nothing to compute.
- NR2025-4 (环法规〔2025〕6号第四条, second-hand): the amount of 显著轻微 is set by each province; no
  province's amount has been read, so none is used (NR-18's 显著轻微 stays a stated fact).

If either gets code, a parameter or a duty that cites it, move it out of this list and give it a
scenario in tests/scenarios/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factors import duties
from factors.paths import data_dir
from factors.store import default_store

CATALOGUED_ONLY = ("SH-9", "NR2025-4")
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("rule_id", CATALOGUED_ONLY)
def test_catalogued_only(rule_id):
    store = default_store()
    assert store.citation(rule_id)["zh"]                      # it resolves to a citation
    assert rule_id not in duties.rule_ids()                   # no duty applies it
    params = "".join(p.read_text(encoding="utf-8") for p in (data_dir() / "parameters").glob("*.toml"))
    assert f'rule = "{rule_id}"' not in params                # no parameter cites it
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "assess").rglob("*.py"))
    assert f'"{rule_id}"' not in code                         # no decision names it
    assert rule_id in (ROOT / "README.md").read_text(encoding="utf-8")
