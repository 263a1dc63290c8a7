"""The case report as one self-contained HTML file: inline CSS and SVG, no script, no network fetch.

Printed from a browser it is an A4 document (CSS paged media: ``@page`` size, margins, running
header and page numbers where the browser supports margin boxes; a table row never splits and table
headers repeat on every page).
"""

from __future__ import annotations

from html import escape

from assess.reports.document import Chart, Heading, PageBreak, Para, Report, Table, Tree
from assess.reports.svgchart import svg_chart
from factors.i18n import message

FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
              '"WenQuanYi Micro Hei", "SimHei", sans-serif')

CSS = """
@page { size: A4; margin: 16mm 14mm 16mm 14mm;
  @top-center { content: var(--running); font-size: 8pt; color: #555; }
  @bottom-center { content: PAGE_NUMBERS; font-size: 8pt; color: #555; } }
* { box-sizing: border-box; }
html { background: #fff; }
body { font-family: FONTS; font-size: 10pt; line-height: 1.5; color: #111; margin: 0 auto; padding: 8mm 6mm;
  max-width: 210mm; overflow-wrap: anywhere; }
h1.title { font-size: 20pt; text-align: center; margin: 18mm 0 10mm; letter-spacing: 0.1em; }
h2 { font-size: 13pt; border-bottom: 1.5px solid #1f4e79; color: #1f4e79; margin: 8mm 0 3mm; padding-bottom: 1mm;
  break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; color: #222; break-after: avoid; }
p { margin: 1.5mm 0; white-space: pre-line; }
p.small, p.note { font-size: 8.5pt; color: #444; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0 4mm; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.6px solid #999; padding: 1mm 1.5mm; vertical-align: top; white-space: pre-line; }
th { background: #e8eef5; font-weight: bold; text-align: center; }
td.R { text-align: right; font-variant-numeric: tabular-nums; }
td.C { text-align: center; }
tr.total td { background: #f3f3f3; font-weight: bold; }
tr.sub td { color: #333; background: #fafafa; }
figure { margin: 2mm 0 5mm; break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 9pt; color: #333; margin-bottom: 1mm; }
div.pb { break-after: page; page-break-after: always; height: 0; }
div.tree { font-size: 8.5pt; margin: 1mm 0 4mm; }
div.node { break-inside: avoid; border-left: 1px solid #ccc; padding-left: 2mm; margin: 0.6mm 0; }
div.node .head { font-weight: bold; }
div.node .det { color: #444; white-space: pre-line; }
@media screen { body { box-shadow: 0 0 4px #ccc; } }
""".replace("FONTS", FONT_STACK)


def render_html(report: Report) -> str:
    """The whole document as a string (UTF-8 when written)."""
    body = []
    for b in report.blocks:
        if isinstance(b, Heading):
            tag = "h2" if b.level == 1 else "h3"
            body.append(f"<{tag}>{escape(b.text)}</{tag}>")
        elif isinstance(b, Para):
            if b.style == "title":
                body.append(f'<h1 class="title">{escape(b.text)}</h1>')
            else:
                body.append(f'<p class="{b.style}">{escape(b.text)}</p>')
        elif isinstance(b, Table):
            body.append(_table(b))
        elif isinstance(b, Chart):
            body.append(f'<figure><figcaption>{escape(b.title)}</figcaption>{svg_chart(b)}</figure>')
        elif isinstance(b, Tree):
            body.append(_tree(b))
        elif isinstance(b, PageBreak):
            body.append('<div class="pb"></div>')
    lang = "en" if report.lang == "en" else "zh-CN"
    running = '"' + report.running_header.replace('"', "'") + '"'
    css = CSS.replace("PAGE_NUMBERS", _page_numbers(report.lang))
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(report.title)} {escape(report.running_header)}</title>\n"
            f"<style>:root {{ --running: {escape(running, quote=False)}; }}\n{css}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _page_numbers(lang: str) -> str:
    """The CSS ``content`` of the page-number margin box: report.po's "Page {page} of {pages}" with counters."""
    text = message("report", "Page {page} of {pages}", "en" if lang == "en" else "zh")
    parts = []
    for piece in text.replace("{pages}", "\0pages\0").replace("{page}", "\0page\0").split("\0"):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece})")
        elif piece:
            parts.append('"' + piece.replace('"', "'") + '"')
    return " ".join(parts)


def _table(t: Table) -> str:
    total = sum(c.weight for c in t.columns)
    cols = "".join(f'<col style="width:{100 * c.weight / total:.1f}%">' for c in t.columns)
    head = "".join(f"<th>{escape(c.title)}</th>" for c in t.columns)
    rows = []
    for r in t.rows:
        cells = "".join(f'<td class="{c.align}">{escape(v)}</td>' for c, v in zip(t.columns, r.cells, strict=True))
        rows.append(f'<tr class="{r.style}">{cells}</tr>')
    key = f' data-key="{escape(t.key)}"' if t.key else ""
    return f"<table{key}><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _tree(tree: Tree) -> str:
    out = [f'<h3>{escape(tree.title)}</h3><div class="tree">']
    for line in tree.lines:
        det = "\n".join(line.details)
        out.append(f'<div class="node" style="margin-left:{min(line.depth, 8) * 4}mm">'
                   f'<div class="head">{escape(line.head)}</div>'
                   + (f'<div class="det">{escape(det)}</div>' if det else "") + "</div>")
    out.append("</div>")
    return "".join(out)
