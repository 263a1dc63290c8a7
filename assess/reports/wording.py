"""English the lower layers leave in a result, put into Chinese for the zh report (issue 16, section 1).

The trace is built once, in the law layer, with formulas written as formulas (``quantity × unit_price``)
and a few of them, the decision codes and the parameters' recorded reasons in English.  A Chinese report
must not print English prose, so the report translates them on the way out, through the ``report``
catalogue (``data/locale/zh/LC_MESSAGES/report.po``) like every other word it prints:

* :data:`PHRASES` — English phrases inside formulas, roundings and notes, replaced where they occur
  (longest first); ``{name}`` in a phrase stands for any text without spaces, kept as it is;
* :data:`VALUES` — whole values (decision results, booleans, status and kind codes), replaced only
  when the value is exactly one of them.

Symbols (``quantity``, ``discount_factor``), field paths (``damage_items[0].inputs``), rule IDs and
units stay as they are: they are names the reader looks up, not wording.
"""

from __future__ import annotations

import re
from functools import lru_cache

from factors.i18n import N_, message

PHRASES: tuple[str, ...] = (
    # formulas (assess/law/deadlines.py, punitive.py, credits.py, settlement.py, liability.py, ledger.py)
    N_("due = start + period (CC Arts. 201–203)"),
    N_("period end = start + period; next step after it"),
    N_("latest = n-th working day before the meeting"),
    N_("allocate(award, q_i / Σq): largest remainder, ties to the obligor listed first"),
    N_("allocate(award, shares): largest remainder, ties to the obligor listed first"),
    N_(" equal parts): largest remainder, odd fen to the earliest"),
    N_("allocate("),
    N_(", weights) → "),
    N_("; recourse if it pays the whole = "),
    N_("unrepairable damage still owed"),
    N_("capacity insufficient ∧ guarantees "),
    N_(" ≥ deferred "),
    N_("guarantees {amount} ≥ deferred "),
    N_("not eligible: missing "),
    N_("gross − alternative restoration − credits = "),
    N_("Σ P × r × days (principal first, SPC-DPI-4)"),
    N_("P × r × days = "),
    N_("P_unpaid × r × days = "),
    N_("ratio × amount of "),
    N_("owed − paid − deposited in escrow = "),
    N_("; no cap in force"),
    N_("each line: half-up to the step; totals are exact sums of the rounded lines"),
    N_("category (1) + category (2)"),
    N_("shown to the fen; the amount uses the exact product"),
    N_("shown to the fen; the amount uses the exact figure"),
    N_("lapsed: conditions met {met_on} after the deadline {deadline}"),
    N_("equal shares (default)"),
    N_(" (JS-(三) binds only a department receiving a referred clue)"),
    # the reasons and second-hand sources recorded with parameters (data/parameters/*.toml)
    N_("No national or Jiangsu text seen fixes the number; Shanghai's SH-16 minimum of 3 is applied elsewhere as "
       "the project default."),
    N_("「一般不超过」基数的2倍: applied in a 2022 judgment (judgment digest, GitHub "
       "pankechen0605/punitive-damages-research-harness); base × multiple reading of Arts. 10 and 12: 江淮论坛 "
       "2024(5). Primary text of 法释〔2022〕1号 not seen; effective date 2022-01-20 also unverified."),
    N_("No national or Shanghai text seen fixes the cover (SH-8 allows 分期赔付 without naming a guarantee); "
       "Jiangsu's 全额有效财产担保 (JS-(十一)) is applied elsewhere as the project default."),
    N_("No text fixes how expert opinions combine (law_and_methods.md §5 q.12). MAD = median of absolute "
       "deviations from the median (unscaled); an amount further than 3 × MAD from the median is flagged, not "
       "dropped. With MAD = 0 every amount other than the median is flagged."),
    N_("No text sets an acceptable spread; a coefficient of variation (population standard deviation / mean) "
       "above 0.3 is flagged for review, nothing is refused."),
    N_("Trimmed mean option only: floor(n × 0.2) opinions dropped at each end (none for 3 or 4 experts, one "
       "each for 5 to 9)."),
    N_("quoted from a published public-interest judgment, newton.com.tw wiki 「虛擬治理成本」 "
       "(law_and_methods.md §3.2); document number 环办〔2014〕90号 also second-hand"),
    N_("GB/T 39791.1 App. B was not read and no Chinese text fixes the timing (law_and_methods.md §3.4, §5 "
       "item 5). Counting each year's loss at its start (t' = t, whole years) keeps the per-year table redoable "
       "on a desk calculator; a case may set timing to start, mid or end."),
    N_("JS-(七) gives no number for 明显高于 (clearly higher); nor does any national text seen "
       "(law_and_methods.md §5 q. 11). 'Higher' alone would be a ratio above 1; 'clearly' asks for a margin, "
       "taken as half again (ratio ≥ 1.5). The ratio is always reported; change the threshold per run with "
       "--cost-ratio-threshold."),
    N_("reportify.cn/news/1122855780102574080 (law_and_methods.md §2.7): 损害事实简单、责任认定无争议、"
       "「损害数额不超过30万元（可调整至50万元）」"),
    N_("No national text seen makes insufficient capacity a condition of agreed or administrative instalments; the "
       "condition is Jiangsu's (JS-(十一)), applied only where and while it is in force."),
    N_("Whether 环法规〔2025〕6号 Art. 9 counts category 3 in the 损害数额 is unverified (law_and_methods.md §5 "
       "q. 7). The whole Art. 1235 total is compared, the reading under which fewer cases pass as small; set 1 "
       "to compare the amount excluding category 3 as JS-(八) does."),
)

VALUES: tuple[str, ...] = (
    N_("True"), N_("False"), N_("yes"), N_("no"), N_("(not given)"),
    N_("None"), N_("within the cap"), N_("above the cap (override)"), N_("no cap in force"),
    N_("insufficient"), N_("sufficient"), N_("unknown"), N_("not stated"), N_("eligible"),
    # the kind of a parameter (factors/store.py): a cap's standing
    N_("law"), N_("standard"), N_("policy_default"), N_("unverified"),
    # credits and alternative restoration (assess/law/credits.py)
    N_("offset"), N_("partly offset"), N_("nothing to offset"), N_("credited"), N_("credited up to the amount owed"),
    N_("pending: conditions not met"),
    # fines not deducted from the punitive award (assess/law/punitive.py)
    N_("administrative_fine"), N_("criminal_fine"), N_("confiscation"), N_("other"),
    # decision codes (assess/law/routing.py)
    N_("no_rule"), N_("undetermined"), N_("not_established"), N_("major"), N_("not_major"),
    N_("remind"), N_("no_reminder"), N_("direct_sign"), N_("simplified_report"), N_("full"),
    N_("simplified_allowed"), N_("district"), N_("municipality_jointly"),
)


@lru_cache(maxsize=None)
def _patterns(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, replacement) of every phrase, longest first; ``{name}`` matches a run without spaces."""
    out = []
    for phrase in sorted(PHRASES, key=len, reverse=True):
        target = message("report", phrase, lang)
        if target == phrase:
            continue
        fields = re.findall(r"\{(\w+)\}", phrase)
        rx = "".join(f"(?P<{p[1:-1]}>\\S+?)" if re.fullmatch(r"\{\w+\}", p) else re.escape(p)
                     for p in re.split(r"(\{\w+\})", phrase) if p)
        repl = target
        for name in fields:
            repl = repl.replace("{" + name + "}", f"\\g<{name}>")
        out.append((re.compile(rx + ("(?=\\s|$)" if phrase.endswith("}") else "")), repl))
    return tuple(out)


def translate(text: str, lang: str, values: bool = True) -> str:
    """``text`` with its known English in ``lang`` (``zh``); unchanged in ``en``.  ``values=False``: the
    phrases only (a whole label that happens to read "other" is the user's word, not a code)."""
    if lang == "en" or not text:
        return text
    if values and text in VALUES:
        return message("report", text, lang)
    for rx, repl in _patterns(lang):
        text = rx.sub(repl, text)
    return text
