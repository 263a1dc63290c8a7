"""Hostile workbooks: bounds checked before a workbook is parsed, and parser failures named by cell.

An ``.xlsx`` is a zip of XML parts.  Before openpyxl or calamine sees one:

* every part's declared uncompressed size (the zip central directory) must be at most
  ``ASSESS_XLSX_MAX_PART_MB`` (default 256 MiB) and all parts together at most 4 × that;
* the worksheet parts are streamed through Python's bounded zip reader (which stops at the declared
  size and checks the CRC, so a part that inflates beyond what it declares is refused) and their
  ``<c>`` cells and ``<row>`` elements counted: at most ``ASSESS_XLSX_MAX_CELLS`` cells (default
  20,000,000) and ``ASSESS_XLSX_MAX_ROWS`` rows (default 2,000,000) over the whole workbook;
* a part flagged as encrypted is refused (zipfile would raise "password required" inside the parser);
* (XML DTD and entity declarations are refused by the readers themselves: defusedxml, and a prescan
  before calamine.)

A 1.2 MB workbook whose shared strings inflated to 1.1 GB was killed at 6 GiB; it is now refused
in milliseconds.  The limits are environment variables so that a real large batch can raise them
(README, "Limits").

When a parser still fails on a part (``<v>1e</v>`` in a number cell, a boolean cell holding ``x``,
``2024-02-30`` in a date cell, a shared-string index that does not exist, ``&#1;`` in the XML, a
damaged deflate stream), :func:`diagnose` finds the cell: it scans the sheet XML for the first cell
whose value does not fit its type, or maps an XML parse position to the cell around it.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Collection, Iterable, Sequence

from factors.errors import InputError, UnsafeWorkbook

MiB = 1 << 20
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")


@dataclass(frozen=True)
class Limits:
    part_bytes: int
    total_bytes: int
    cells: int
    rows: int


def _env_int(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise InputError(name, "a whole number (environment variable)", text) from None
    if value < 1:
        raise InputError(name, "a whole number ≥ 1 (environment variable)", text)
    return value


def limits() -> Limits:
    """The caps in force (environment variables, else the defaults of the module docstring)."""
    part = _env_int("ASSESS_XLSX_MAX_PART_MB", 256) * MiB
    return Limits(part, 4 * part, _env_int("ASSESS_XLSX_MAX_CELLS", 20_000_000),
                  _env_int("ASSESS_XLSX_MAX_ROWS", 2_000_000))


def _too_big(path: Path, what: str, got: str, env: str) -> UnsafeWorkbook:
    return UnsafeWorkbook(f"{path.name}: {what} ({got}) exceeds the limit for a workbook (zip-bomb protection); "
                          f"for a real large file raise {env} (README, 'Limits')")


_checked: dict[tuple[str, int, int, Limits], bool] = {}


def check_workbook(path: Path, lim: Limits | None = None) -> None:
    """Refuse a workbook whose parts are too large, too many cells/rows, or XML declarations (see module doc)."""
    lim = lim or limits()
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_mtime_ns, st.st_size, lim)
    except OSError:
        key = None
    if key is not None and key in _checked:
        return
    _scan(path, lim)
    if key is not None:
        if len(_checked) > 64:
            _checked.clear()
        _checked[key] = True


def _scan(path: Path, lim: Limits) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except Exception as exc:  # noqa: BLE001 - BadZipFile, NotImplementedError ("zip file version 18.2") …
        raise InputError(str(path), "an .xlsx workbook (a zip file)", f"unreadable ({type(exc).__name__})") from None
    with zf:
        infos = zf.infolist()
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:   # zipfile raised RuntimeError ("password required") deep in the reader
                raise InputError(f"{path}: {info.filename}", "a workbook without encrypted parts (save it from Excel "
                                 "without a password)", "an encrypted zip part")
            if info.file_size > lim.part_bytes:
                raise _too_big(path, f"part {info.filename} inflates to", f"{info.file_size / MiB:,.0f} MiB",
                               "ASSESS_XLSX_MAX_PART_MB")
            total += info.file_size
        if total > lim.total_bytes:
            raise _too_big(path, "the parts together inflate to", f"{total / MiB:,.0f} MiB", "ASSESS_XLSX_MAX_PART_MB")
        cells = rows = 0
        for info in infos:
            if not info.filename.endswith((".xml", ".rels", ".vml")) or info.is_dir():
                continue
            sheet = info.filename.startswith("xl/worksheets/")
            try:
                with zf.open(info) as fh:
                    head = fh.read(4096)
                    if not sheet:
                        while fh.read(MiB):   # the bounded reader: stops at the declared size, checks the CRC
                            pass
                        continue
                    tail, chunk = b"", head
                    while chunk:
                        buf = tail + chunk
                        cells += len(_CELL.findall(buf, len(tail) - 8 if tail else 0))
                        rows += len(_ROW.findall(buf, len(tail) - 8 if tail else 0))
                        tail = buf[-8:]
                        chunk = fh.read(MiB)
                        if cells > lim.cells:
                            raise _too_big(path, "the number of cells", f"more than {lim.cells:,}", "ASSESS_XLSX_MAX_CELLS")
                        if rows > lim.rows:
                            raise _too_big(path, "the number of rows", f"more than {lim.rows:,}", "ASSESS_XLSX_MAX_ROWS")
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
                raise InputError(f"{path.name}: {info.filename}", "an undamaged workbook part",
                                 f"{type(exc).__name__}: {str(exc)[:80]}") from None


# -- naming the cell a parser failed on -------------------------------------------------------------

_C_ELEM = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb'\b(r|t)="([^"]*)"')
_V = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _bad_value(t: str, v: str, shared: int | None) -> str | None:
    """What a cell of type ``t`` should hold, when ``v`` does not fit; None when it fits."""
    if t in ("n", ""):
        return None if _NUMBER.fullmatch(v.strip()) else "a number in a number cell"
    if t == "b":
        return None if v.strip() in ("0", "1") else "0 or 1 in a boolean cell"
    if t == "d":
        from datetime import datetime

        try:
            datetime.fromisoformat(v.strip().replace("Z", "+00:00"))
            return None
        except ValueError:
            return "an ISO date in a date cell"
    if t == "s":
        try:
            k = int(v)
        except ValueError:
            return "a shared-string index"
        return None if shared is not None and 0 <= k < shared else "an existing shared-string index"
    return None


def _shared_count(zf: zipfile.ZipFile) -> int | None:
    try:
        data = zf.read("xl/sharedStrings.xml")
    except KeyError:
        return 0
    except Exception:  # noqa: BLE001 - a damaged part: the count is unknown
        return None
    return len(re.findall(rb"<(?:\w+:)?si[\s>/]", data))


def diagnose(path: Path, part: str | None, exc: BaseException) -> tuple[str | None, str, str | None]:
    """(cell reference or None, what was expected, what was found) for a parser failure ``exc`` on sheet ``part``."""
    what = "a readable sheet"
    got = f"{type(exc).__name__}: {str(exc).splitlines()[0][:80]}" if str(exc) else type(exc).__name__
    if part is None:
        return None, what, got
    try:
        with zipfile.ZipFile(path) as zf:
            data = zf.read(part.lstrip("/"))
            shared = _shared_count(zf)
    except Exception:  # noqa: BLE001 - the part itself is damaged (e.g. its deflate stream)
        return None, "an undamaged sheet", got
    position = getattr(exc, "position", None)
    if position:  # an XML parse error: the cell that encloses the position
        line, col = position
        lines = data.split(b"\n")
        if not 1 <= line <= len(lines):
            return None, "well-formed XML", got
        head = b"\n".join(lines[:line - 1]) + (b"\n" if line > 1 else b"")
        offset = len(head) + len(lines[line - 1].decode("utf-8", "replace")[:col].encode("utf-8"))
        starts = [m for m in re.finditer(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"', data[:offset])]
        coord = starts[-1].group(1).decode() if starts else None
        return coord, "well-formed XML (no control characters or other characters XML does not allow)", got
    for m in _C_ELEM.finditer(data):
        attrs = dict((k.decode(), v.decode("utf-8", "replace")) for k, v in _ATTR.findall(m.group(1)))
        inner = m.group(2) or b""
        vm = _V.search(inner)
        if vm is None:
            continue
        value = vm.group(1).decode("utf-8", "replace")
        expected = _bad_value(attrs.get("t", "n"), value, shared)
        if expected:
            return attrs.get("r"), expected, value[:40]
    return None, what, got


# -- hidden data: one rule for case workbooks, batch workbooks and claim workbooks ----------------------

#: Why hidden data are refused (the message names the cell; README, "Workbooks").
HIDDEN_WHY = ("hidden data are not counted silently: unhide it to count it, or delete it (a filter that hides rows "
              "hides them here too)")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b([^>]*?)/?>")
_XATTR = re.compile(rb'\b(r|min|max|hidden)="([^"]*)"')
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*?)/?>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*?)/?>")
_ANY_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')


@dataclass(frozen=True)
class HiddenMarks:
    """What a sheet hides: its state (``visible``, ``hidden``, ``veryHidden``), hidden rows and columns (1-based)."""
    title: str
    state: str
    rows: frozenset[int]
    cols: frozenset[int]


def _attrs(raw: bytes) -> dict[str, str]:
    """Attributes of one XML tag; a relationship id (``r:id``, any prefix) is ``r:id``, other prefixes dropped."""
    from html import unescape

    out = {}
    for k, v in _ANY_ATTR.findall(raw):
        name = k.decode()
        name = "r:id" if ":" in name and name.endswith(":id") else name.split(":")[-1]
        out[name] = unescape(v.decode("utf-8", "replace"))
    return out


def _sheet_part(zf: zipfile.ZipFile, sheet: str | int) -> tuple[str, str, str] | None:
    """(title, state, part name) of ``sheet`` (a title or a 0-based index) from ``xl/workbook.xml``."""
    try:
        book = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    targets = {a.get("Id"): a.get("Target", "") for a in (_attrs(m.group(1)) for m in _REL_TAG.finditer(rels))}
    sheets = [_attrs(m.group(1)) for m in _SHEET_TAG.finditer(book)]
    if isinstance(sheet, int):
        if not 0 <= sheet < len(sheets):
            return None
        a = sheets[sheet]
    else:
        a = next((s for s in sheets if s.get("name") == sheet), None)
        if a is None:
            return None
    target = targets.get(a.get("r:id"), "")
    part = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return a.get("name", ""), a.get("state", "visible"), part


def hidden_marks(path: Path, sheet: str | int) -> HiddenMarks | None:
    """The hidden state, rows and columns of ``sheet`` of the workbook ``path`` (None: not found).

    Engine-independent (the zip is read here), and streamed: the sheet part is scanned a MiB at a
    time for ``<row … hidden="1">`` and ``<col … hidden="1">``, so a large batch costs no more memory.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            found = _sheet_part(zf, sheet)
            if found is None:
                return None
            title, state, part = found
            rows: set[int] = set()
            cols: set[int] = set()
            with zf.open(part) as fh:
                tail = b""
                while True:
                    chunk = fh.read(MiB)
                    if not chunk:
                        break
                    buf = tail + chunk
                    end = buf.rfind(b"<")          # a tag cut by the chunk boundary waits for the next chunk
                    if end <= 0 or b">" in buf[end:]:
                        end = len(buf)
                    for m in _ROW_TAG.finditer(buf, 0, end):
                        a = dict(_XATTR.findall(m.group(1)))
                        if a.get(b"hidden") in (b"1", b"true") and a.get(b"r", b"").isdigit():
                            rows.add(int(a[b"r"]))
                    for m in _COL_TAG.finditer(buf, 0, end):
                        a = dict(_XATTR.findall(m.group(1)))
                        if a.get(b"hidden") in (b"1", b"true") and a.get(b"min", b"").isdigit():
                            lo = int(a[b"min"])
                            hi = int(a[b"max"]) if a.get(b"max", b"").isdigit() else lo
                            cols.update(range(lo, min(hi, 16384) + 1))
                    tail = buf[end:]
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
        return None        # a damaged part: the reader itself refuses it, by cell where it can
    return HiddenMarks(title, state, frozenset(rows), frozenset(cols))


def _col_letter(j: int) -> str:
    s = ""
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def hidden_data_errors(marks: HiddenMarks | None, rows: Iterable[tuple[int, Sequence[Any]]],
                       ref: Callable[[str, str], str], is_empty: Callable[[Any], bool],
                       columns: Collection[int] | None = None, first_col: int = 1) -> list[InputError]:
    """Refusals for data the user cannot see: a hidden sheet, hidden rows or hidden columns holding values.

    The one rule of the case-workbook, batch-workbook and claim-workbook readers (issue 13).  A hidden
    copy of a cost item was added to the total with no note; whether hidden means "excluded" or only
    "out of view" cannot be told from the file, and either guess can change the amount, so the
    readers refuse and name the cells (README, "Workbooks").  ``rows``: the data rows only (row number,
    values from column ``first_col``); header rows may be hidden.  ``columns``: the 1-based columns the
    reader counts (None: all); a hidden column it does not read (a result workbook's machine columns)
    is no data.  ``ref(title, coord)`` names a cell as the reader does.
    """
    if marks is None:
        return []
    hidden_sheet = marks.state != "visible"
    if not hidden_sheet and not marks.rows and not marks.cols:
        return []
    out: list[InputError] = []
    in_hidden_cols: dict[int, list[str]] = {}
    for r, values in rows:
        filled = [j for j, v in enumerate(values, start=first_col)
                  if (columns is None or j in columns) and not is_empty(v)]
        if not filled:
            continue
        if hidden_sheet:
            return [InputError(ref(marks.title, ""), f"a visible sheet ({HIDDEN_WHY})", f"{marks.state} sheet with data")]
        if r in marks.rows:
            out.append(InputError(ref(marks.title, f"{_col_letter(filled[0])}{r}"), f"a visible row ({HIDDEN_WHY})",
                                  f"row {r} hidden"))
            continue
        for j in filled:
            if j in marks.cols:
                in_hidden_cols.setdefault(j, []).append(f"{_col_letter(j)}{r}")
    for coords in in_hidden_cols.values():
        span = coords[0] if len(coords) == 1 else f"{coords[0]}:{coords[-1]}"
        out.append(InputError(ref(marks.title, span), f"a visible column ({HIDDEN_WHY})", "hidden column"))
    return out
