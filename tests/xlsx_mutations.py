"""Byte-level damage to a workbook's parts (shared by test_hardening and test_fuzz).

Each mutation rewrites one cell of a sheet's XML, as a broken or hostile writer would leave it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Callable

NUMBER_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"((?: s="\d+")?)(?: t="n")?><v>([^<]*)</v></c>')

#: name → the replacement of a number cell ``<c r="C4"><v>3246.5</v></c>``
CELL_MUTATIONS: dict[str, Callable[[re.Match], bytes]] = {
    "number 1e": lambda m: b'<c r="%s"><v>1e</v></c>' % m.group(1),
    "boolean x": lambda m: b'<c r="%s" t="b"><v>x</v></c>' % m.group(1),
    "date 2024-02-30": lambda m: b'<c r="%s" t="d"><v>2024-02-30</v></c>' % m.group(1),
    "shared string 999": lambda m: b'<c r="%s" t="s"><v>999</v></c>' % m.group(1),
    "#DIV/0! in a number cell": lambda m: b'<c r="%s"><v>#DIV/0!</v></c>' % m.group(1),
    "error cell #DIV/0!": lambda m: b'<c r="%s" t="e"><v>#DIV/0!</v></c>' % m.group(1),
    "&#1; in the XML": lambda m: b'<c r="%s" t="inlineStr"><is><t>a&#1;b</t></is></c>' % m.group(1),
}


def rewrite(src: Path, dst: Path, parts: dict[str, Callable[[bytes], bytes]], drop: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            if info.filename in parts:
                data = parts[info.filename](data)
            zout.writestr(info, data)
    return dst


def mutate_number_cell(src: Path, dst: Path, part: str, mutation: str, nth: int = 0) -> tuple[Path, str]:
    """``dst`` with the ``nth`` number cell of ``part`` replaced by ``mutation``; (path, cell coordinate)."""
    coord: list[str] = []

    def fn(data: bytes) -> bytes:
        matches = list(NUMBER_CELL.finditer(data))
        m = matches[nth]
        coord.append(m.group(1).decode())
        return data[:m.start()] + CELL_MUTATIONS[mutation](m) + data[m.end():]

    rewrite(src, dst, {part: fn})
    return dst, coord[0]


def damage_deflate(src: Path, dst: Path, part: str) -> Path:
    """``dst`` with bytes in the middle of ``part``'s compressed stream flipped."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(min(20, max(info.compress_size - 8, 1))):
        data[start + 4 + k] ^= 0x55
    dst.write_bytes(bytes(data))
    return dst


def sheet_part(path: Path, title: str) -> str:
    """The zip part of the sheet titled ``title``."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return wb[title]._worksheet_path.lstrip("/")
    finally:
        wb.close()


def mark_encrypted(src: Path, dst: Path, part: str) -> Path:
    """``dst`` with ``part`` flagged as encrypted (general-purpose bit 0, in its local header and its
    central-directory entry), as a workbook with an encrypted zip member reaches the reader."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(part)
    data[info.header_offset + 6] |= 0x01
    name = part.encode()
    k = data.find(b"PK\x01\x02")
    while k != -1:
        n = int.from_bytes(data[k + 28:k + 30], "little")
        if bytes(data[k + 46:k + 46 + n]) == name:
            data[k + 8] |= 0x01
        k = data.find(b"PK\x01\x02", k + 4)
    dst.write_bytes(bytes(data))
    return dst
