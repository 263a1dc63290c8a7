"""JSON case files: read the text of a case file into the dict that :func:`assess.law.case.parse_case`
validates.  Formats only; validation is the case model's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from factors.errors import InputError


def read_case_json(path: str | Path) -> Any:
    """The parsed JSON of a case file (UTF-8, a BOM allowed); errors name the file, line and column."""
    p = Path(path)
    if not p.is_file():
        raise InputError(str(path), "an existing case file (.json)", "no such file")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(path), "a UTF-8 JSON file") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{p.name}:{exc.lineno}:{exc.colno}", f"valid JSON ({exc.msg})") from None
