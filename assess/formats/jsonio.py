"""JSON case files: read the text of a case file into the dict that :func:`assess.law.case.parse_case`
validates.  Formats only; validation is the case model's.  Numbers are read as exact decimals
(``1.00499999999999999999`` is not rounded through a float) and nesting is bounded
(:func:`factors.vocabulary.loads_json`), for case files, claims and payments alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from factors import vocabulary
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
    return loads_json_file(text, p.name)


def loads_json_file(text: str, name: str) -> Any:
    """JSON text of the file ``name`` read by the input vocabulary (:func:`factors.vocabulary.loads_json`:
    numbers exact as Decimal, nesting bounded); errors name the file (and line and column)."""
    try:
        return vocabulary.loads_json(text)
    except vocabulary.Refused as exc:
        raise InputError.refused(name, exc) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}:{exc.lineno}:{exc.colno}", f"valid JSON ({exc.msg})", msgid="valid JSON ({reason})",
                         fields={"reason": exc.msg}) from None
