"""The report's wording comes from report.po: no English in the zh report, no Chinese wording in the en one
(assess/reports/document.py, wording.py).

"English" here is a run of two or more English words (letters only, two or more each) separated only by
spaces: prose.  Rule IDs (JS-(八)), units (元/m³), case ids, numbers, formula symbols (``A × (b − x_t)``,
``discount_factor``), field paths (``damage_items[0].inputs``) and a single code word between Chinese
characters are not prose.  The case files' own text is the user's: the examples write it "中文 / English",
so the cases are first reduced to their Chinese half (the report prints the user's text as given).
"""

from __future__ import annotations

import ast
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assess.app.api import assess_case
from assess.app.cli import main
from assess.reports.document import build_report
from assess.reports.html import render_html
from assess.reports.wording import PHRASES, VALUES, translate
from factors.i18n import message
from factors.paths import data_dir

EXAMPLES = data_dir() / "examples"
CASES = sorted(EXAMPLES.glob("*.json")) + [EXAMPLES / "template" / "template_example.json"]
CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{2,}[,.;:]?")
REPORTS = Path(__file__).resolve().parents[2] / "assess" / "reports"


def chinese_half(value):
    """A case with its "中文 / English" texts cut to the Chinese (up to ", <digit>" or the end)."""
    if isinstance(value, str):
        if " / " in value and CJK.search(value.split(" / ")[0]):
            return re.sub(r" / [A-Za-z][^\u4e00-\u9fff]*?(?=, \d|$)", "", value)
        return value
    if isinstance(value, list):
        return [chinese_half(v) for v in value]
    if isinstance(value, dict):
        return {k: chinese_half(v) for k, v in value.items()}
    return value


def english_runs(text: str) -> list[str]:
    """Runs of two or more English words; Chinese characters and punctuation end a run."""
    runs = []
    for line in re.sub(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", "\n", text).splitlines():
        run: list[str] = []
        for tok in line.split() + [""]:
            if WORD.fullmatch(tok):
                run.append(tok)
                continue
            if len(run) >= 2:
                runs.append(" ".join(run))
            run = []
    return runs


def html_text(html: str) -> str:
    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("style", "title")

        def handle_endtag(self, tag):
            self.skip -= tag in ("style", "title")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    p = Text()
    p.feed(html)
    return "\n".join(p.parts)


def zh_case(path: Path, tmp_path: Path) -> Path:
    out = tmp_path / f"zh_{path.name}"
    out.write_text(json.dumps(chinese_half(json.loads(path.read_text(encoding="utf-8"))), ensure_ascii=False),
                   encoding="utf-8")
    return out


def test_english_runs_detector():
    assert english_runs("公式: due = start + period, CC Arts. 201–203") == ["period, CC Arts."]
    assert english_runs("结论 within the cap，依据") == ["within the cap"]
    # symbols, paths, rule IDs, units, one code word between Chinese characters: not prose
    assert english_runs("discount_factor = 0.97  ← damage_items[2].inputs.base_year [JS-(八)] 元/m³ "
                        "Σ_t V × Q 设为 start、mid 或 end GB/T 39791.1 GitHub pankechen0605/x") == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_zh_html_report_has_no_english(case, tmp_path):
    r = assess_case(zh_case(case, tmp_path))
    html = render_html(build_report(r.to_dict(), lang="zh"))
    assert english_runs(html_text(html)) == []


def test_zh_pdf_report_has_no_english(tmp_path):
    """The PDF's text as a reader extracts it: the template example (every section: liability, credits,
    instalments, experts, HEA) with its Chinese half."""
    pdfium = pytest.importorskip("pypdfium2")
    out = tmp_path / "report.pdf"
    assert main(["report", str(zh_case(CASES[-1], tmp_path)), "-o", str(out), "--today", "2026-12-01"]) == 0
    doc = pdfium.PdfDocument(str(out))
    try:
        pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
    text = "\n".join(pages)
    assert english_runs(text) == []
    assert "第 1 页 / 共" in pages[0] and "赔偿清单" in text and "附录二" in text


def test_en_report_is_english(tmp_path):
    """--lang en: the report's own words in English (the 大写 total, the quoted rule texts and the user's
    Chinese stay Chinese, as they are printed that way)."""
    r = assess_case(zh_case(CASES[-1], tmp_path))
    html = render_html(build_report(r.to_dict(), lang="en"))
    for en in ("Compensation ledger (Civil Code Art. 1235)", "Procedural deadlines (status as of", "Liability and payment",
               "Appendix 1 Calculation trace", "Appendix 2 Rules cited, with their text", '"Page " counter(page)',
               "Total (in words)", "Instalments", "[formula]", "criminal_fine"):
        assert en in html, en
    for zh in ("赔偿清单", "程序期限", "责任与支付", "附录", "第 \" counter(page)", "刑事罚金", "工程量清单", "[公式]"):
        assert zh not in html, zh


def test_both_puts_the_chinese_beside_the_english(tmp_path):
    r = assess_case(zh_case(CASES[-1], tmp_path))
    html = render_html(build_report(r.to_dict(), lang="both"))
    assert "刑事罚金 / criminal_fine" in html
    assert "按份额分配惩罚性赔偿金：最大余额法，余数相同的先归列在前的义务人 / allocate(award, shares)" in html


def test_translate_phrases_values_and_placeholders():
    assert translate("lapsed: conditions met 2025-07-01 after the deadline 2025-06-30", "zh") == \
        "已失效：条件于 2025-07-01 满足，晚于期限 2025-06-30"
    # 1859668.80 in 8 parts: the phrase around the numbers is translated, the numbers kept
    assert translate("allocate(1859668.80, 8 equal parts): largest remainder, odd fen to the earliest", "zh") == \
        "分配(1859668.80, 8 等份)：最大余额法，余下的分依次计入最早各期"
    assert translate("criminal_fine", "zh") == "刑事罚金" and translate("criminal_fine", "en") == "criminal_fine"
    assert translate("other", "zh") == "其他" and translate("other", "zh", values=False) == "other"


def test_every_report_word_is_in_the_catalogue():
    """Each message the report modules pass to t(…)/N_(…) has a Chinese translation in report.po."""
    used = set(PHRASES) | set(VALUES)
    for path in REPORTS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "N_") \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                used.add(node.args[0].value)
    untranslated = sorted(m for m in used if not CJK.search(message("report", m, "zh")))
    assert untranslated == []
    assert len(used) > 150


def test_codes_printed_in_the_liability_table_are_chinese(tmp_path):
    """A single code word between Chinese text (not caught as a run of English) is translated too: the cap's
    standing, the fine's kind, the alternative restoration's kind and status, a credit's status."""
    r = assess_case(zh_case(CASES[-1], tmp_path))
    html = render_html(build_report(r.to_dict(), lang="zh"))
    # punitive: base 298,613.00 × 1 (cap 2, an unverified parameter)
    assert "298,613.00 × 1（上限 2，未核实）" in html
    assert "刑事罚金 2024-08-30" in html and "异地补植（已抵扣）" in html
    # instalments: guarantees 2,400,000.00 ≥ deferred 1,859,668.80 × cover 1 → eligible
    assert "分期赔付条件 = 符合条件" in html and "担保 2400000.00 ≥ 分期金额 1859668.80 × 1" in html
    for code in ("unverified", "criminal_fine", "off_site_planting", "offset", "eligible"):
        assert code not in html_text(html), code
