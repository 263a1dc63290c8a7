"""Every rule ID covered (issue 14 §4): each ID of ``data/rules.toml`` is named by a test file or a rule
scenario (``tests/scenarios/*.toml``), this file excepted, so a new rule cannot land untested.

An ID counts where it stands on its own: ``SH-4`` is not cited by ``SH-42``, nor ``SPC-PUN`` by
``SPC-PUN-12``; ``SH-14(1)`` cites ``SH-14``.  The README prints the figure (``coverage_line``).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from factors import duties
from factors.paths import data_dir

TESTS = Path(__file__).parent
ROOT = TESTS.parent


def rule_ids() -> list[str]:
    with open(data_dir() / "rules.toml", "rb") as fh:
        return list(tomllib.load(fh)["rules"])


def citing_files() -> dict[Path, str]:
    files = [p for p in TESTS.glob("test_*.py") if p.name != Path(__file__).name] + sorted((TESTS / "scenarios").glob("*.toml"))
    return {p: p.read_text(encoding="utf-8") for p in files}


def cited(rule_id: str, texts: dict[Path, str]) -> list[Path]:
    rx = re.compile(r"(?<![A-Za-z0-9.\-])" + re.escape(rule_id) + r"(?![0-9A-Za-z.\-])")
    return [p for p, text in texts.items() if rx.search(text)]


def coverage_line() -> str:
    ids, texts = rule_ids(), citing_files()
    covered = sum(1 for i in ids if cited(i, texts))
    return f"{covered} / {len(ids)} rule IDs of data/rules.toml named by a test or scenario"


def test_every_rule_id_has_a_citing_test():
    texts = citing_files()
    missing = [i for i in rule_ids() if not cited(i, texts)]
    assert not missing, f"rule IDs with no citing test or scenario: {missing}"


def test_readme_prints_the_coverage():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert coverage_line() in readme, f"README's rules section should say: {coverage_line()}"


def test_boundary_matching():
    texts = {Path("a"): "cites SH-42 and SPC-PUN-12 and SH-14(1)"}
    assert cited("SH-4", texts) == [] and cited("SPC-PUN", texts) == []
    assert cited("SH-14", texts) == [Path("a")] and cited("SH-42", texts) == [Path("a")]


def test_duty_rules_are_catalogued():
    assert duties.rule_ids() <= set(rule_ids())
