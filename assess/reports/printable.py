"""``assess report``: the printable case report of one result, as HTML or PDF (issue 16).

:func:`report_bytes` builds the report from a :class:`~assess.result.Result` and prints it in the
format the output file name asks for (``.pdf`` or ``.html``/``.htm``).  File handling (reading the
case, hashing the inputs, writing atomically) stays with the caller in the app layer.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Iterable

from assess.reports.document import Report, build_report

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


def report_format(path: str | Path) -> str | None:
    """'pdf', 'html' or None from a file name."""
    return FORMATS.get(Path(str(path)).suffix.lower())


def build(result: Any, lang: str = "zh", inputs: Iterable[tuple[str, str]] = (), report_date: date | None = None) -> Report:
    d = result.to_dict()
    d["case_title"] = getattr(result.case, "title", None) or ""
    return build_report(d, lang=lang, inputs=inputs, report_date=report_date)


def report_bytes(result: Any, fmt: str, lang: str = "zh", inputs: Iterable[tuple[str, str]] = (),
                 report_date: date | None = None) -> bytes:
    """The report file's bytes in ``fmt`` ('pdf' or 'html')."""
    report = build(result, lang=lang, inputs=inputs, report_date=report_date)
    if fmt == "html":
        from assess.reports.html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        from assess.reports.pdf import render_pdf

        return render_pdf(report)
    raise ValueError(f"unknown report format {fmt!r}")
