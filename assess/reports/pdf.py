"""The case report as an A4 PDF, with fpdf2 and an embedded CJK font (extra ``report``).

Why fpdf2 (2.8, LGPL-3.0, maintained, pure Python): it installs with pip alone on Windows, macOS and
Linux (assessors' machines are mostly zh-CN Windows), embeds and subsets an OpenType/TrueType CJK
font, and its tables move a row that does not fit to the next page whole and repeat the heading row
there.  WeasyPrint would print the HTML directly but needs the Pango system libraries (not
installable with pip on Windows); ReportLab's built-in Chinese fonts are not embedded, so a viewer
without them shows blanks.

Layout: cover page, then numbered sections; a running header (case, title, parameter set) on every
page after the cover and "第 n 页 / 共 N 页" at the foot of every page.
"""

from __future__ import annotations

from typing import Any

from assess.reports.document import Chart, Heading, PageBreak, Para, Report, Table, Tree
from assess.reports.fonts import INSTALL_HINT, ReportDependencyMissing, cjk_font
from assess.reports.svgchart import WIDTH, geometry
from factors.i18n import message

BLUE = (31, 78, 121)
HEAD_FILL = (232, 238, 245)
TOTAL_FILL = (243, 243, 243)
SUB_FILL = (250, 250, 250)


def render_pdf(report: Report) -> bytes:
    """The PDF file's bytes."""
    try:
        from fpdf import FPDF
        from fpdf.enums import TextMode, WrapMode, XPos, YPos
        from fpdf.fonts import FontFace
    except ImportError:
        raise ReportDependencyMissing(INSTALL_HINT) from None

    path, index = cjk_font()
    wrap = WrapMode.CHAR if report.lang == "zh" else WrapMode.WORD

    class _Doc(FPDF):
        def header(self) -> None:
            if self.page_no() == 1:
                return
            self.set_font("cjk", size=7.5)
            self.set_text_color(90, 90, 90)
            self.set_y(7)
            self.cell(0, 4, report.running_header, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_draw_color(170, 170, 170)
            self.line(self.l_margin, 11.5, self.w - self.r_margin, 11.5)
            self.set_text_color(0, 0, 0)
            self.set_y(15)

        def footer(self) -> None:
            self.set_y(-11)
            self.set_font("cjk", size=7.5)
            self.set_text_color(90, 90, 90)
            text = message("report", "Page {page} of {pages}", "en" if report.lang == "en" else "zh",
                           page=self.page_no(), pages="{nb}")
            self.cell(0, 4, text, align="C")
            self.set_text_color(0, 0, 0)

    pdf = _Doc(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"{report.title} {report.running_header}")
    pdf.set_creator("eco-damage-assess")
    pdf.set_lang("en" if report.lang == "en" else "zh-CN")
    pdf.add_font("cjk", "", str(path), collection_font_number=index)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("cjk", size=9.5)
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def bold_text(size: float, text: str, h: float, align: str = "L", color: tuple[int, int, int] = (0, 0, 0)) -> None:
        pdf.set_font("cjk", size=size)
        pdf.set_text_color(*color)
        pdf.set_draw_color(*color)
        pdf.set_line_width(0.12 if size < 12 else 0.2)
        pdf.text_mode = TextMode.FILL_STROKE   # the font has one weight: a stroked outline reads as bold
        pdf.multi_cell(0, h, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=wrap)
        pdf.text_mode = TextMode.FILL
        pdf.set_text_color(0, 0, 0)
        pdf.set_line_width(0.2)

    for i, b in enumerate(report.blocks):
        if isinstance(b, Heading):
            need = 45 if b.level == 1 else 35   # a heading never ends a page: room for it and a few rows
            if pdf.will_page_break(need):
                pdf.add_page()
            pdf.ln(3 if b.level == 1 else 2)
            if b.level == 1:
                bold_text(12.5, b.text, 7, color=BLUE)
                pdf.set_draw_color(*BLUE)
                pdf.set_line_width(0.4)
                pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
                pdf.set_line_width(0.2)
                pdf.ln(2.5)
            else:
                bold_text(10.5, b.text, 6)
                pdf.ln(0.5)
        elif isinstance(b, Para):
            if b.style == "title":   # plain large type: a stroked title leaves the cover table stroked in fpdf2
                pdf.ln(30)
                pdf.set_font("cjk", size=22)
                pdf.multi_cell(0, 12, b.text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=wrap)
                pdf.ln(12)
                continue
            size = {"small": 8, "note": 8.5}.get(b.style, 9.5)
            pdf.set_font("cjk", size=size)
            pdf.set_text_color(*((70, 70, 70) if b.style in ("small", "note") else (0, 0, 0)))
            pdf.multi_cell(0, size * 0.5, b.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=wrap)
            pdf.set_text_color(0, 0, 0)
            pdf.ln(1)
        elif isinstance(b, Table):
            _table(pdf, b, FontFace, wrap)
        elif isinstance(b, Chart):
            _chart(pdf, b, width)
        elif isinstance(b, Tree):
            _tree(pdf, b, wrap, bold_text, XPos, YPos)
        elif isinstance(b, PageBreak) and i + 1 < len(report.blocks):
            pdf.add_page()
    return bytes(pdf.output())


def _table(pdf: Any, t: Table, FontFace: Any, wrap: Any) -> None:
    size = 8.5
    pdf.set_font("cjk", size=size)
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.15)
    styles = {"total": FontFace(fill_color=TOTAL_FILL), "sub": FontFace(fill_color=SUB_FILL, color=(50, 50, 50))}
    with pdf.table(col_widths=tuple(c.weight for c in t.columns), text_align=tuple(c.align for c in t.columns),
                   line_height=size * 0.5, padding=(1, 1.2), headings_style=FontFace(emphasis="", fill_color=HEAD_FILL),
                   wrapmode=wrap, repeat_headings=1, cell_fill_mode="NONE") as table:
        head = table.row()
        for c in t.columns:
            head.cell(c.title, align="C")
        for r in t.rows:
            row = table.row()
            for v in r.cells:
                row.cell(v, style=styles.get(r.style))
    pdf.ln(3)


def _chart(pdf: Any, chart: Chart, width: float) -> None:
    g = geometry(chart)
    k = width / WIDTH                     # user units → mm
    height = g.height * k + 7
    if pdf.will_page_break(height):
        pdf.add_page()
    pdf.set_font("cjk", size=8.5)
    pdf.cell(0, 5, chart.title)
    pdf.ln(6)
    x0, y0 = pdf.l_margin, pdf.get_y()
    pdf.set_draw_color(100, 100, 100)
    pdf.line(x0 + g.bars[0][0] * k, y0, x0 + g.bars[0][0] * k, y0 + (g.height - 4) * k)
    pdf.set_fill_color(46, 109, 164)
    pdf.set_font("cjk", size=7.5)
    for (x, y, w, h), band, (lx, ly, lt), (vx, vy, vt) in zip(g.bars, g.bands, g.labels, g.values, strict=True):
        if w > 0:
            pdf.rect(x0 + x * k, y0 + y * k, max(w * k, 0.2), h * k, style="F")
        if band:
            lo, hi, ym = band
            pdf.set_draw_color(192, 57, 43)
            pdf.set_line_width(0.5)
            pdf.line(x0 + lo * k, y0 + ym * k, x0 + hi * k, y0 + ym * k)
            for xx in (lo, hi):
                pdf.line(x0 + xx * k, y0 + (ym - 5) * k, x0 + xx * k, y0 + (ym + 5) * k)
            pdf.set_line_width(0.2)
            pdf.set_draw_color(100, 100, 100)
        pdf.text(x0 + lx * k - pdf.get_string_width(lt), y0 + ly * k, lt)
        pdf.text(x0 + vx * k, y0 + vy * k, vt)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_y(y0 + g.height * k + 2)


def _tree(pdf: Any, tree: Tree, wrap: Any, bold_text: Any, XPos: Any, YPos: Any) -> None:
    if pdf.will_page_break(16):
        pdf.add_page()
    bold_text(10.5, tree.title, 6)
    size, lh = 7.5, 3.6
    left = pdf.l_margin
    for line in tree.lines:
        indent = min(line.depth, 8) * 4
        w = pdf.w - pdf.r_margin - left - indent - 1.5
        pdf.set_font("cjk", size=size)
        text = "\n".join([line.head, *line.details])
        height = pdf.multi_cell(w, lh, text, dry_run=True, output="HEIGHT", wrapmode=wrap) + 0.8
        if pdf.will_page_break(height):
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_draw_color(200, 200, 200)
        pdf.line(left + indent, y, left + indent, y + height - 0.8)
        pdf.set_xy(left + indent + 1.5, y)
        pdf.multi_cell(w, lh, line.head, new_x=XPos.LEFT, new_y=YPos.NEXT, wrapmode=wrap)
        if line.details:
            pdf.set_text_color(70, 70, 70)
            pdf.multi_cell(w, lh, "\n".join(line.details), new_x=XPos.LEFT, new_y=YPos.NEXT, wrapmode=wrap)
            pdf.set_text_color(0, 0, 0)
        pdf.set_xy(left, y + height)
    pdf.ln(2)
