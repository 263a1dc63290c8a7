"""The printed report's layout (issue 16, section 1): A4 pages, no table row split by a page break (PDF and
HTML), the cover's facts, routing with reasons, deadlines with their status on the report date."""

from __future__ import annotations

import re

import pytest

from assess.app.api import assess_case
from assess.reports.document import Column, Report, Row, Table, build_report
from assess.reports.html import render_html
from factors.paths import data_dir

TEMPLATE_EXAMPLE = data_dir() / "examples" / "template" / "template_example.json"


def _pages(data: bytes) -> list[tuple[float, float, str]]:
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument(data)
    try:
        return [(doc[i].get_width(), doc[i].get_height(), doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    finally:
        doc.close()


def test_pdf_pages_are_a4_and_no_table_row_is_split():
    """60 rows of 5 lines each cannot fit on one page: every row's five lines land on one page."""
    pytest.importorskip("fpdf")
    from assess.reports.pdf import render_pdf

    rows = [Row([f"R{i:02d}", "\n".join(f"R{i:02d}L{k}" for k in range(1, 6)), "1.00"]) for i in range(60)]
    report = Report(lang="zh", title="版式测试", running_header="版式测试", total="1.00", total_daxie="壹元整", rule_ids=[],
                    blocks=[Table([Column("编号", 1), Column("内容", 3), Column("金额", 1, "R")], rows, key="t")])
    pages = _pages(render_pdf(report))
    assert len(pages) >= 3
    # A4 is 210 × 297 mm: 595.3 × 841.9 pt
    assert all(w == pytest.approx(595.28, abs=0.5) and h == pytest.approx(841.89, abs=0.5) for w, h, _ in pages)
    for i in range(60):
        where = {n for n, (_, _, text) in enumerate(pages) for k in range(1, 6) if f"R{i:02d}L{k}" in text}
        assert len(where) == 1, (i, where)
    # the heading row is repeated on every page
    assert all("内容" in text for _, _, text in pages)


def test_html_rows_never_split_and_headers_repeat():
    report = build_report(assess_case(TEMPLATE_EXAMPLE).to_dict(), lang="zh")
    html = render_html(report)
    assert "tr { break-inside: avoid; page-break-inside: avoid; }" in html
    assert "@page { size: A4;" in html and "<thead>" in html       # thead rows repeat on printed pages


def test_cover_routing_and_deadlines_on_the_report_date():
    from datetime import date

    d = assess_case(TEMPLATE_EXAMPLE, today=date(2026, 12, 1)).to_dict()
    report = build_report(d, lang="zh", inputs=[("case.json", "cd" * 32)], report_date=date(2026, 12, 1))
    html = render_html(report)
    cover = re.search(r'<table data-key="cover">.*?</table>', html, re.S).group(0)
    for fact in ("SH-JS-2024-058", "上海市 (CN-SH)", "适用规则日期", "2024-09-20", "实体规则", "2024-04-16",
                 f"eco-damage-assess {d['tool_version']}", d["parameter_set"], "cd" * 32, "1,856,055.80",
                 "人民币壹佰捌拾伍万陆仟零伍拾伍元捌角"):
        assert fact in cover, fact
    routing = re.search(r'<table data-key="routing">.*?</table>', html, re.S).group(0)
    # a decision, its outcome, its reason and its rule with the citation
    assert "磋商路径" in routing and "一般磋商程序" in routing and "本法域无金额标准" in routing and "SH-21" in routing
    deadlines = re.search(r'<table data-key="deadlines">.*?</table>', html, re.S).group(0)
    assert "程序期限（状态截至 2026-12-01）" in html
    # initial verification: clue 2024-04-17 + 30 days → 2024-05-17, done 2024-05-06 → met
    assert "2024-05-17" in deadlines and "2024-05-06" in deadlines and "已遵守" in deadlines


def test_warnings_section_lists_each_warning_with_its_field():
    d = assess_case(TEMPLATE_EXAMPLE).to_dict()
    assert d["warnings"]
    html = render_html(build_report(d, lang="zh"))
    table = re.search(r'<table data-key="warnings">.*?</table>', html, re.S).group(0)
    for w in d["warnings"]:
        assert w["path"] in table and w["zh"].split("\n")[0][:20] in table
    # a result without warnings says so
    html = render_html(build_report({**d, "warnings": []}, lang="zh"))
    assert '<table data-key="warnings">' not in html and "<p class=\"normal\">无。</p>" in html
