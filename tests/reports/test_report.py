"""The printable case report (issue 16): 大写 amounts, PDF text, HTML in a real headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from assess.app.api import assess_case
from assess.app.cli import main
from assess.reports.document import build_report, cited_rules
from assess.reports.html import render_html
from factors.paths import data_dir
from factors.printed import daxie as money_daxie
from factors.printed import integer_daxie

EXAMPLES = data_dir() / "examples"
WATER = EXAMPLES / "js_water_pollution.json"
LIABILITY = EXAMPLES / "js_liability_instalments.json"
TOTAL = "543,185.29"
TOTAL_DAXIE = "伍拾肆万叁仟壹佰捌拾伍元贰角玖分"


# ---------------------------------------------------------------------------- 大写

@pytest.mark.parametrize("amount, words", [
    # 1441,6776 元: 壹仟肆佰肆拾壹 万, 陆仟柒佰柒拾陆 元, no jiao/fen → 整
    ("14416776", "壹仟肆佰肆拾壹万陆仟柒佰柒拾陆元整"),
    # 54,3185.29: 伍拾肆 万 叁仟壹佰捌拾伍 元, 2 角 9 分 (the example's total)
    ("543185.29", "伍拾肆万叁仟壹佰捌拾伍元贰角玖分"),
    # 《支付结算办法》附件 examples: a 0 inside → 零; 角 0 but 分 not → 元零…分
    ("1409.50", "壹仟肆佰零玖元伍角"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    # leading 拾 is written 壹拾
    ("10", "壹拾元整"),
    ("100000", "壹拾万元整"),
    ("15.00", "壹拾伍元整"),
    # zeros across a group: 100,0001 → 壹佰万 零 壹; 1001,0000 → 壹仟零壹万
    ("1000001", "壹佰万零壹元整"),
    ("10010000", "壹仟零壹万元整"),
    ("100010000", "壹亿零壹万元整"),
    ("100000000", "壹亿元整"),
    # 元位 0 with 角 not 0: no 零 (the rule allows either; this module writes none)
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("107000.53", "壹拾万柒仟元伍角叁分"),
    # below one yuan
    ("0.50", "伍角"),
    ("0.05", "伍分"),
    ("0.01", "壹分"),
    ("0", "零元整"),
])
def test_money_daxie_hand_worked(amount, words):
    assert money_daxie(amount) == words


def test_money_daxie_rounds_half_up_to_the_fen_and_signs():
    assert money_daxie(Decimal("0.005")) == "壹分"       # half-up: 0.005 → 0.01
    assert money_daxie(Decimal("0.0049")) == "零元整"    # below half → 0.00
    assert money_daxie(Decimal("1.005")) == "壹元零壹分"  # 1.005 → 1.01 (cn2an truncates to 壹元整)
    assert money_daxie("-20") == "负贰拾元整"


def test_integer_daxie_limits():
    assert integer_daxie(10 ** 16) == "壹亿亿"
    with pytest.raises(ValueError):
        integer_daxie(-1)
    with pytest.raises(ValueError):
        integer_daxie(10 ** 20)


# ---------------------------------------------------------------------------- the document

@pytest.fixture(scope="module")
def water():
    return assess_case(WATER)


def test_cited_rules_of_the_example(water):
    ids = cited_rules(water.to_dict())
    assert ids[:6] == ["CC-1235(1)", "CC-1235(2)", "CC-1235(3)", "CC-1235(4)", "CC-1235(5)", "CC-1235"]
    assert {"JS-(四)", "JS-(五)", "JS-(七)", "JS-(八)", "JS-(三)", "SPC-EDC-20", "POLICY"} <= set(ids)


def test_html_is_self_contained_and_states_everything(water):
    html = render_html(build_report(water.to_dict(), lang="zh", inputs=[("case.json", "ab" * 32)]))
    assert TOTAL in html and f"人民币{TOTAL_DAXIE}" in html
    assert "ab" * 32 in html and water.to_dict()["parameter_set"] in html
    for rid in cited_rules(water.to_dict()):
        assert rid in html
    # the bill of quantities of D1: 3246.5 m³ × 86.40 元/m³ = 280,497.60; surcharge 402,757.60 × 0.035 = 14,096.52
    assert "280,497.60" in html and "402,757.60 元" in html and "14,096.52" in html
    # the quoted text of JS-(八) and of CC-1235 is printed
    assert "五十万元以下的，经与赔偿义务人协商一致" in html
    assert "国家规定的机关或者法律规定的组织有权请求侵权人赔偿下列损失和费用" in html
    # no script, no external resource
    assert "<script" not in html and "<link" not in html and " src=" not in html
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html)
    assert "<svg" in html


def test_english_and_bilingual_reports(water):
    en = render_html(build_report(water.to_dict(), lang="en"))
    assert "Compensation ledger" in en and "赔偿清单" not in en and TOTAL_DAXIE in en  # 大写 stays Chinese
    both = render_html(build_report(water.to_dict(), lang="both"))
    assert "赔偿清单（《民法典》第一千二百三十五条） / Compensation ledger" in both
    with pytest.raises(ValueError):
        build_report(water.to_dict(), lang="fr")


def test_liability_instalments_and_uncertainty_sections():
    from assess.law.uncertainty import UncertaintyOptions

    r = assess_case(LIABILITY, uncertainty=UncertaintyOptions(draws=200, seed=1))
    html = render_html(build_report(r.to_dict(), lang="zh"))
    # net owed = gross 395,000.00 − alternative restoration 60,000.00 = 335,000.00
    assert "335,000.00" in html and "人民币叁拾叁万伍仟元整" in html
    assert "惩罚性赔偿" in html and "225,000.00" in html       # 150,000.00 × 1.5
    assert "分期履行" in html and "P5–P95" in html


# ---------------------------------------------------------------------------- CLI and PDF

def _pdf_text(path: Path) -> str:
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument(str(path))
    try:
        return "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def test_pdf_report_text_has_total_daxie_and_every_rule(tmp_path, water):
    out = tmp_path / "report.pdf"
    assert main(["report", str(WATER), "-o", str(out)]) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    flat = re.sub(r"\s+", "", _pdf_text(out))
    assert TOTAL in flat and TOTAL_DAXIE in flat
    missing = [rid for rid in cited_rules(water.to_dict()) if rid not in flat]
    assert not missing
    assert "第1页/共" in flat                                  # page numbers
    assert flat.count("JS-YC-2024-017·生态环境损害赔偿计算报告") >= 3   # running header after the cover


def test_run_to_pdf_writes_the_report_not_text(tmp_path):
    out = tmp_path / "x.pdf"
    assert main(["run", str(WATER), "-o", str(out), "--lang", "zh"]) == 0
    assert out.read_bytes()[:5] == b"%PDF-"


def test_report_refuses_other_suffixes(tmp_path, capsys):
    out = tmp_path / "x.txt"
    assert main(["report", str(WATER), "-o", str(out)]) == 2
    assert "--output" in capsys.readouterr().err and not out.exists()


def test_report_from_a_workbook(tmp_path):
    book, out = tmp_path / "case.xlsx", tmp_path / "r.html"
    assert main(["template", "-o", str(book), "--from", str(WATER)]) == 0
    assert main(["report", str(book), "-o", str(out)]) == 0
    assert TOTAL in out.read_text(encoding="utf-8") and "case.xlsx" in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- a real browser

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PROBE = """<script>
window.addEventListener('load', function () {
  var d = document.documentElement, out = {scroll: d.scrollWidth, client: d.clientWidth};
  var cell = Array.from(document.querySelectorAll('table[data-key=ledger] tr.total td'))
    .find(function (c) { return c.textContent.indexOf('TOTAL') >= 0; });
  if (cell) { var r = cell.getBoundingClientRect();
    out.total = {left: r.left, right: r.right, width: r.width, height: r.height,
                 visibility: getComputedStyle(cell).visibility, display: getComputedStyle(cell).display}; }
  var pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script></body>"""


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.environ.get("CI") == "true":
        pytest.fail("CI must have Chromium (.ci/run installs the Debian package `chromium`)")
    if found is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it and runs this test")
    return found


def test_html_report_renders_in_headless_chromium_at_a4_width(tmp_path):
    chromium = _chromium()
    out = tmp_path / "r.html"
    assert main(["report", str(WATER), "-o", str(out)]) == 0
    probe = tmp_path / "probe.html"
    probe.write_text(out.read_text(encoding="utf-8").replace("</body>", PROBE.replace("TOTAL", TOTAL)), encoding="utf-8")
    # A4 is 210 mm wide: 793.7 CSS px at 96 px/in
    cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=794,1123",
           "--dump-dom", probe.as_uri()]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    m = re.search(r'<pre id="probe">(.*?)</pre>', p.stdout)
    assert m, p.stderr[-2000:]
    got = json.loads(m.group(1))
    assert got["scroll"] <= got["client"], got            # no horizontal overflow at A4 width
    total = got["total"]
    assert total["width"] > 0 and total["height"] > 0 and total["visibility"] == "visible"
    assert 0 <= total["left"] and total["right"] <= got["client"]


def test_pdf_without_the_report_extra_says_which_extra(monkeypatch, tmp_path, capsys):
    import builtins

    from assess.reports import fonts

    real = builtins.__import__

    def no_font(name, *a, **kw):
        if name == "noto_cjk_sans_otc":
            raise ImportError(name)
        return real(name, *a, **kw)

    fonts.cjk_font.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_font)
    monkeypatch.delenv("ASSESS_CJK_FONT", raising=False)
    out = tmp_path / "r.pdf"
    try:
        assert main(["report", str(WATER), "-o", str(out)]) == 2
    finally:
        fonts.cjk_font.cache_clear()
    assert "eco-damage-assess[report]" in capsys.readouterr().err and not out.exists()
