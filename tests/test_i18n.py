"""The message catalogues: compiled, complete, and used by the code (factors/i18n.py)."""

from __future__ import annotations

import ast
import gettext
import pathlib

import pytest
from babel.messages.pofile import read_po

from factors.i18n import DOMAINS, label, message, t
from factors.paths import data_dir

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOCALE = data_dir() / "locale"
POS = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def read(po: pathlib.Path):
    with po.open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("po", POS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_mo_is_compiled_from_po(po):
    """The compiled catalogue holds exactly the .po's translations (header dates aside)."""
    with po.with_suffix(".mo").open("rb") as f:
        compiled = {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if k}
    source = {m.id: m.string for m in read(po) if m.id and m.string and not m.fuzzy}
    assert compiled == source, "stale .mo: run python -m factors.i18n compile"


@pytest.mark.parametrize("po", POS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_every_message_translated_and_not_fuzzy(po):
    bad = [m.id for m in read(po) if m.id and (not m.string or m.fuzzy)]
    assert bad == []


def used_messages() -> set[tuple[str, str]]:
    """(domain, msgid) of every ``label``/``message`` call with literal arguments in the code."""
    out = set()
    for pkg in ("factors", "methods", "assess"):
        for p in (ROOT / pkg).rglob("*.py"):
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                args = node.args
                if node.func.id in ("label", "message") and len(args) >= 2 and all(
                        isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args[:2]):
                    out.add((args[0].value, args[1].value))
    return out


def test_every_message_used_in_the_code_is_in_every_catalogue():
    cats = {(po.parent.parent.name, po.stem): {m.id for m in read(po) if m.id} for po in POS}
    langs = {lang for lang, _ in cats}
    missing = [f"{lang}/{d}: {m!r}" for d, m in sorted(used_messages()) for lang in sorted(langs)
               if m not in cats.get((lang, d), set())]
    assert missing == []


def test_label_message_and_both():
    # "Total" is in every domain's zh catalogue
    assert label("law", "Total") == {"zh": "合计", "en": "Total"}
    assert message("errors", "Total", "zh") == "合计"
    assert message("errors", "Total", "en") == "Total"
    assert message("cli", "Total", "both") == "合计 / Total"
    assert t({"zh": "同", "en": "同"}, "both") == "同"
    assert set(DOMAINS) == {p.stem for p in POS}


def test_unknown_domain_is_refused():
    with pytest.raises(ValueError, match="unknown message domain"):
        message("nope", "Total", "zh")


def test_an_untranslated_message_falls_back_to_english():
    assert message("law", "a message no catalogue has {x}", "zh", x=1) == "a message no catalogue has 1"
