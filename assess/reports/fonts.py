"""The CJK font the PDF report embeds, installed by the project's own files (extra ``report``).

Choice: Noto Sans CJK SC (SIL Open Font License 1.1; Google/Adobe's Source Han design, simplified
Chinese glyph forms) as shipped on PyPI by ``noto-cjk-sans-otc`` (one OpenType collection, 19 MB,
no dependencies, exposes ``FONT_PATH``).  A system font is not an answer: a fresh Windows or Linux
machine may have none, and the PDF must look the same everywhere.  fpdf2 embeds only the glyphs a
report uses (subset), so a report PDF stays small.

``ASSESS_CJK_FONT=/path/to/font.ttf`` (optionally ``...ttc#N`` for face N of a collection) uses
another font instead, e.g. a licensed 宋体 an office prefers.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from factors.errors import AssessError

INSTALL_HINT = ("PDF 报告需要安装 report 扩展：pip install 'eco-damage-assess[report]'（fpdf2 与 Noto Sans CJK 字体）"
                " / the PDF report needs the `report` extra: pip install 'eco-damage-assess[report]'")


class ReportDependencyMissing(AssessError):
    """The optional PDF dependencies are not installed."""


@lru_cache(maxsize=1)
def cjk_font() -> tuple[Path, int]:
    """(font file, face index in a collection) for the simplified-Chinese face."""
    override = os.environ.get("ASSESS_CJK_FONT")
    if override:
        path, _, idx = override.partition("#")
        if not Path(path).is_file():
            raise ReportDependencyMissing(f"ASSESS_CJK_FONT: no such font file {path!r}")
        return Path(path), int(idx or 0)
    try:
        import noto_cjk_sans_otc
    except ImportError:
        raise ReportDependencyMissing(INSTALL_HINT) from None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path, _sc_face(path)


def _sc_face(path: Path) -> int:
    """The index of 'Noto Sans CJK SC' in the collection (2 in Noto's published order)."""
    from fontTools.ttLib import TTCollection

    with TTCollection(str(path), lazy=True) as coll:
        for i, font in enumerate(coll.fonts):
            if font["name"].getDebugName(4) == "Noto Sans CJK SC":
                return i
    return 2
