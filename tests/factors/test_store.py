"""Parameter store: lookup by name, jurisdiction and date; inheritance; loader checks; data health."""

import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from factors.errors import InputError, ParameterError, RuleNotApplicable, RuleNotInForce
from factors.paths import data_dir
from factors.store import KINDS, ParameterStore, default_store, lookup

JS_FROM, JS_TO = date(2023, 3, 1), date(2028, 2, 29)
SH_FROM, SH_TO = date(2024, 4, 10), date(2029, 4, 9)


def test_js_direct_sign_max_in_force():
    p = lookup("consultation.simplified.direct_sign_max", "CN-JS", date(2024, 9, 30))
    assert p.value == Decimal("500000")
    assert (p.unit, p.op, p.kind, p.rule) == ("元", "<=", "law", "JS-(八)")
    assert "五十万元以下" in p.quote
    assert p.citation["zh"].endswith("（八）")


@pytest.mark.parametrize("on, in_force", [
    (JS_FROM - timedelta(days=1), False),   # 2023-02-28: before the Jiangsu opinions
    (JS_FROM, True),                        # first day (inclusive)
    (JS_TO, True),                          # last day 2028-02-29 (inclusive; a leap day)
    (JS_TO + timedelta(days=1), False),     # 2028-03-01
])
def test_js_validity_boundaries(on, in_force):
    name = "consultation.simplified.report_max"
    if in_force:
        assert lookup(name, "CN-JS", on).value == Decimal("1000000")
    else:
        with pytest.raises(RuleNotInForce) as ei:
            lookup(name, "CN-JS", on)
        assert "CN-JS 2023-03-01–2028-02-29" in str(ei.value)   # says which periods exist
        assert not isinstance(ei.value, RuleNotApplicable)


@pytest.mark.parametrize("on, in_force", [
    (SH_FROM - timedelta(days=1), False), (SH_FROM, True), (SH_TO, True), (SH_TO + timedelta(days=1), False)])
def test_sh_validity_boundaries(on, in_force):
    if in_force:
        assert lookup("consultation.max_days", "CN-SH", on).value == 90
    else:
        with pytest.raises(RuleNotInForce):
            lookup("consultation.max_days", "CN-SH", on)


def test_shanghai_has_no_money_tier():
    with pytest.raises(RuleNotApplicable) as ei:
        lookup("consultation.simplified.direct_sign_max", "CN-SH", date(2025, 1, 1))
    assert "not applicable" in str(ei.value) and "Art. 21" in str(ei.value)


def test_province_inherits_national_value_only_without_own_entry():
    # experts.min_count: Shanghai has its own law entry (SH-16); Jiangsu has none → CN policy default
    sh = lookup("experts.min_count", "CN-SH", date(2025, 1, 1))
    js = lookup("experts.min_count", "CN-JS", date(2025, 1, 1))
    assert (sh.kind, sh.jurisdiction, sh.inherited) == ("law", "CN-SH", False)
    assert (js.kind, js.jurisdiction, js.inherited) == ("policy_default", "CN", True)
    assert js.reason and js.to_dict()["inherited_by"] == "CN-JS"
    # …but Shanghai before its rules: its own entries exist, none in force → error, no fallback to CN
    with pytest.raises(RuleNotInForce):
        lookup("experts.min_count", "CN-SH", SH_FROM - timedelta(days=1))


def test_national_value_with_open_end():
    p = lookup("consultation.judicial_confirmation_notice_days", "CN-JS", date(2030, 1, 1))
    assert p.value == 30 and p.jurisdiction == "CN" and p.rule == "SPC-EDC-20"


def test_unknown_jurisdiction_and_name():
    with pytest.raises(InputError, match="jurisdiction: expected one of CN, CN-JS, CN-SH"):
        lookup("consultation.max_days", "CN-ZJ", date(2025, 1, 1))
    with pytest.raises(ParameterError, match="unknown parameter"):
        lookup("no.such.param", "CN", date(2025, 1, 1))


def test_in_force_lists_every_parameter():
    rows = dict(default_store().in_force("CN-SH", date(2025, 1, 1)))
    assert set(rows) == set(default_store().params)
    assert isinstance(rows["consultation.simplified.direct_sign_max"], RuleNotApplicable)


# -- data health: every shipped entry is complete and cited ---------------------------------
def test_data_health():
    store = default_store()
    assert store.params, "no parameters loaded"
    for name, d in store.params.items():
        assert d.label["zh"] and d.label["en"], name
        for e in d.entries:
            assert e.kind in KINDS
            assert e.rule in store.rules, (name, e.rule)
            if e.kind == "law":
                assert e.quote, name
            if e.kind == "policy_default":
                assert e.reason, name


def test_every_rule_has_bilingual_citation():
    for rule in default_store().rules.values():
        assert rule.citation["zh"] and rule.citation["en"]


# -- loader rejects malformed data -----------------------------------------------------------
GOOD_ENTRY = '''
[[param]]
name = "x.y"
label = { zh = "甲", en = "x" }
unit = "元"
[[param.values]]
jurisdiction = "CN"
valid_from = 2021-01-01
valid_to = 2021-12-31
value = 1
kind = "policy_default"
reason = "test"
source = { rule = "POLICY" }
checked_on = 2026-11-23
'''


def _store_with(tmp_path: Path, text: str) -> ParameterStore:
    root = tmp_path / "data"
    (root / "parameters").mkdir(parents=True)
    for f in ("rules.toml", "jurisdictions.toml", "units.txt"):
        shutil.copy(data_dir() / f, root / f)
    (root / "parameters" / "t.toml").write_text(text, encoding="utf-8")
    return ParameterStore.load(root)


def test_loader_accepts_good_entry(tmp_path):
    s = _store_with(tmp_path, GOOD_ENTRY)
    assert s.lookup("x.y", "CN-SH", date(2021, 6, 1)).value == 1


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.replace('checked_on = 2026-11-23', 'checked_on = 2026-11-23\nfoo = 1'), "unknown keys"),
    (lambda t: t.replace('rule = "POLICY"', 'rule = "XX-1"'), "unknown rule ID"),
    (lambda t: t.replace('kind = "policy_default"', 'kind = "law"'), "quote"),
    (lambda t: t.replace('reason = "test"\n', ''), "reason"),
    (lambda t: t.replace('jurisdiction = "CN"', 'jurisdiction = "CN-ZJ"'), "unknown jurisdiction"),
    (lambda t: t.replace('unit = "元"', 'unit = "furlong_yuan"'), "known unit"),
    (lambda t: t.replace('valid_to = 2021-12-31', 'valid_to = 2020-12-31'), "valid_from <= valid_to"),
    (lambda t: t + t.split("[[param.values]]")[1].join(["[[param.values]]", ""]), "overlap"),
    (lambda t: t + t, "defined twice"),
    (lambda t: t.replace('value = 1', 'value = "abc"'), "not a number"),
    (lambda t: t.replace('value = 1', 'value = 1\nvalue = 2'), "t.toml"),   # duplicate key: TOML parse error
])
def test_loader_rejects(tmp_path, mutate, message):
    with pytest.raises(ParameterError, match=message):
        _store_with(tmp_path, mutate(GOOD_ENTRY))


def test_unverified_without_value_raises_on_lookup(tmp_path):
    text = GOOD_ENTRY.replace('value = 1\n', '').replace('kind = "policy_default"', 'kind = "unverified"')
    s = _store_with(tmp_path, text)
    with pytest.raises(RuleNotInForce, match="supply it as an input"):
        s.lookup("x.y", "CN", date(2021, 6, 1))


def test_memo_is_kept_per_name_and_starts_again_when_full(monkeypatch):
    """A streamed batch asks the same rule set for the same (jurisdiction, day) chunk after chunk: the
    answer is kept in the store's memo of that name; a full memo is emptied, not grown."""
    store = ParameterStore.load()
    a = store.memo(("rule set", "x"))
    a[1] = "one"
    assert store.memo(("rule set", "x")) is a and store.memo(("rule set", "x"))[1] == "one"
    assert store.memo("other") == {}
    monkeypatch.setattr(ParameterStore, "MEMO_ENTRIES", 2)
    a[2] = "two"
    assert store.memo(("rule set", "x")) == {}          # full at 2 entries: starts again
    a[3] = "three"
    assert store == ParameterStore.load()               # memos take no part in a store's equality
