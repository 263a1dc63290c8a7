"""Languages of the text people read: Chinese first (zh), English (en), or both side by side.

``t(label, lang)`` picks a language from a ``{"zh": …, "en": …}`` label; it is the one place that knows
how ``both`` is shown.  Lowest layer, so every layer can label what it produces.
"""

from __future__ import annotations

LANGS = ("zh", "en", "both")


def t(label: dict[str, str], lang: str) -> str:
    """A label in ``lang``; ``both`` gives 'zh / en' (one text when they are the same).

    >>> t({"zh": "合计", "en": "Total"}, "both")
    '合计 / Total'
    """
    if lang == "both":
        return label["zh"] if label["zh"] == label["en"] else f"{label['zh']} / {label['en']}"
    return label[lang]
