"""Languages of the text people read: Chinese first (zh), English (en), or both side by side.

Messages live in one catalogue per language and domain, in the gettext format that every translation
tool reads: ``data/locale/<lang>/LC_MESSAGES/<domain>.po`` (the source a translator edits) compiled to
``.mo`` (what the program reads, with the standard library's :mod:`gettext`; no run-time dependency).
The message id is the English text (the gettext convention), so English needs no catalogue and a new
language is a new ``.po`` file, not an edit of every rule.  Babel (test extra) compiles and checks the
catalogues: ``python -m factors.i18n compile`` after editing a ``.po``; a test fails when a ``.mo`` is
stale, a message used in the code is missing from a catalogue, or a translation is empty or fuzzy.

Domains: ``law`` (routing, deadlines, liability wording), ``errors`` (input error texts), ``cli``
(help and console messages), ``report`` (printed reports and workbooks).

Use::

    from factors.i18n import label, message, t
    label("law", "simple facts")            # {"zh": "损害事实简单", "en": "simple facts"}
    message("errors", "expected {what}", "zh", what="…")
    t({"zh": "合计", "en": "Total"}, "both")  # '合计 / Total'
"""

from __future__ import annotations

import gettext as _gettext
from functools import lru_cache
from typing import Any

from factors.paths import data_dir

LANGS = ("zh", "en", "both")
#: Languages with a catalogue (English is the message ids themselves).
CATALOGUE_LANGS = ("zh",)
DOMAINS = ("law", "errors", "cli", "report")


def N_(msgid: str) -> str:
    """Mark a message for extraction without translating it yet (gettext's ``N_``)."""
    return msgid


@lru_cache(maxsize=None)
def _catalogue(domain: str, lang: str) -> _gettext.NullTranslations:
    if domain not in DOMAINS:
        raise ValueError(f"unknown message domain {domain!r}; expected one of {DOMAINS}")
    if lang == "en":
        return _gettext.NullTranslations()
    try:
        return _gettext.translation(domain, localedir=str(data_dir() / "locale"), languages=[lang])
    except FileNotFoundError:
        return _gettext.NullTranslations()


def message(domain: str, msgid: str, lang: str, /, **fields: Any) -> str:
    """``msgid`` in ``lang`` (``zh`` or ``en``; ``both`` gives 'zh / en'), with ``{fields}`` filled in.

    A field may be a label ``{"zh": …, "en": …}``: each language gets its own text.
    """
    if lang == "both":
        return t(label(domain, msgid, **fields), "both")
    text = _catalogue(domain, lang).gettext(msgid)
    if not fields:
        return text
    # a field that is itself a label ({"zh": …, "en": …}) is filled in the message's language
    return text.format(**{k: v[lang] if isinstance(v, dict) and lang in v else v for k, v in fields.items()})


def label(domain: str, msgid: str, /, **fields: Any) -> dict[str, str]:
    """The ``{"zh": …, "en": …}`` label of a message (the shape traces and results carry)."""
    return {"zh": message(domain, msgid, "zh", **fields), "en": message(domain, msgid, "en", **fields)}


def t(label: dict[str, str], lang: str) -> str:
    """A label in ``lang``; ``both`` gives 'zh / en' (one text when they are the same).

    >>> t({"zh": "合计", "en": "Total"}, "both")
    '合计 / Total'
    """
    if lang == "both":
        return label["zh"] if label["zh"] == label["en"] else f"{label['zh']} / {label['en']}"
    return label[lang]


def compile_catalogues() -> list[str]:
    """Compile every ``.po`` under ``data/locale`` to its ``.mo`` (needs Babel: the test extra)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted((data_dir() / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as f:
            cat = read_po(f)
        with po.with_suffix(".mo").open("wb") as f:
            write_mo(f, cat, use_fuzzy=False)
        written.append(str(po.with_suffix(".mo")))
    _catalogue.cache_clear()
    return written


if __name__ == "__main__":  # python -m factors.i18n compile
    import sys

    if sys.argv[1:] != ["compile"]:
        sys.exit("usage: python -m factors.i18n compile")
    for path in compile_catalogues():
        print(path)
