"""Human-readable text of a result, in Chinese (zh), English (en) or both (bilingual labels)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assess.categories import CATEGORIES
from factors.money import fmt_grouped
from factors.store import default_store

if TYPE_CHECKING:
    from assess.result import Result

LANGS = ("zh", "en", "both")


def t(label: dict[str, str], lang: str) -> str:
    """A label in ``lang``; ``both`` gives 'zh / en'."""
    if lang == "both":
        return label["zh"] if label["zh"] == label["en"] else f"{label['zh']} / {label['en']}"
    return label[lang]


def render_result(result: "Result", lang: str = "both", trace: bool = True) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}")
    from assess.result import parameter_set_version, tool_version

    case = result.case
    jur = default_store().jurisdictions[case.jurisdiction]["name"]
    lines = [
        f"{t({'zh': '案件', 'en': 'Case'}, lang)}: {case.case_id}" + (f" — {case.title}" if case.title else ""),
        f"{t({'zh': '法域', 'en': 'Jurisdiction'}, lang)}: {t(jur, lang)} ({case.jurisdiction})",
        f"{t({'zh': '适用规则日期', 'en': 'Rules in force on'}, lang)}: {result.on.isoformat()}",
        f"{t({'zh': '版本', 'en': 'Version'}, lang)}: {tool_version()} · "
        f"{t({'zh': '参数集', 'en': 'parameter set'}, lang)} {parameter_set_version()}",
        "",
        t({"zh": "赔偿清单（《民法典》第一千二百三十五条）", "en": "Compensation ledger (Civil Code Art. 1235)"}, lang),
    ]
    width = max(len(fmt_grouped(result.ledger.amount(c.key))) for c in CATEGORIES)
    width = max(width, len(fmt_grouped(result.ledger.total)))
    for c in CATEGORIES:
        ct = result.ledger.categories[c.key]
        lines.append(f"  ({c.number}) {fmt_grouped(ct.amount):>{width}} 元  {t(c.label, lang)}")
        for item in ct.items:
            flag = "" if item.counted else "  [" + t({"zh": "仅作核对，不计入", "en": "cross-check, not counted"}, lang) + "]"
            lines.append(f"      {fmt_grouped(item.amount):>{width}} 元  {item.id} {t(item.label, lang)}{flag}")
    lines.append(f"  {'=' * (width + 8)}")
    lines.append(f"      {fmt_grouped(result.ledger.total):>{width}} 元  {t({'zh': '合计', 'en': 'Total'}, lang)}")
    lines.append("  " + t({"zh": "金额按行四舍五入至分，合计为各行之和", "en": "each line rounded half-up to the fen; totals are exact sums"}, lang))
    if result.uncertainty is not None:
        lines += [""] + result.uncertainty.render(lang)
    if result.warnings:
        lines += ["", t({"zh": "提示", "en": "Warnings"}, lang)]
        lines += [f"  - {w['path']}: {w[lang] if lang != 'both' else w['zh'] + ' / ' + w['en']}" for w in result.warnings]
    if trace:
        lines += ["", t({"zh": "计算过程", "en": "Calculation trace"}, lang)]
        for tl in ("zh", "en") if lang == "both" else (lang,):
            lines.append(result.trace.render(tl))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"

