"""Case workbooks saved as ``.ods`` (LibreOffice, WPS) or ``.xls`` (Excel 97–2003), read with python-calamine.

The cells of every sheet (values only: text, numbers, dates, booleans) are copied into an in-memory
``.xlsx`` with the same sheet names and cell addresses, which :func:`assess.formats.excel.read_case_workbook`
then reads like any other: the hidden key row, the checks and every error by sheet and cell work the
same.  Formulas arrive as the values their program last computed (calamine reads cached values).
python-calamine is the ``fast`` extra; without it a clear message says so.
"""

from __future__ import annotations

import io
from pathlib import Path

from factors.errors import InputError

SUFFIXES = (".ods", ".xls")
HINT = ("读取 .ods / .xls 需要 fast 扩展（python-calamine）：pip install 'eco-damage-assess[fast]'，"
        "或在 Excel/WPS/LibreOffice 中另存为 .xlsx / reading .ods or .xls needs the `fast` extra (python-calamine)")


def is_calamine_book(path: str | Path | None) -> bool:
    return bool(path) and Path(str(path)).suffix.lower() in SUFFIXES


def to_xlsx_bytes(path: str | Path) -> bytes:
    """The cells of ``path`` (.ods or .xls) as an .xlsx file's bytes."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise InputError(str(path), HINT, "python-calamine not installed") from None
    from openpyxl import Workbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise InputError(str(path), "a readable .ods or .xls workbook", f"{type(exc).__name__}: {exc}") from None
    wb = Workbook()
    wb.remove(wb.active)
    for name in book.sheet_names:
        ws = wb.create_sheet(name)
        for r, row in enumerate(book.get_sheet_by_name(name).to_python(skip_empty_area=False), start=1):
            for c, value in enumerate(row, start=1):
                if value == "" or value is None:
                    continue
                if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
                    value = int(value)
                ws.cell(r, c).value = value
                if isinstance(value, str) and value.startswith("="):
                    ws.cell(r, c).data_type = "s"   # text that looks like a formula stays text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
