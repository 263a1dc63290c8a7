"""Atomic output files: write to a temp file beside the target, then ``os.replace``.

The input file is never modified: a target that is one of the inputs is refused.  Used by every
command that writes (text, JSON, workbooks, parquet/csv batches).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Sequence

from factors.errors import InputError


def write_atomic(path: str | Path, text: str | bytes, inputs: Sequence[str | Path] = ()) -> None:
    """Write ``text`` (or bytes) to ``path`` via a temp file beside it and ``os.replace``; never over an input."""
    def write(tmp: Path) -> None:
        if isinstance(text, bytes):
            tmp.write_bytes(text)
        else:
            tmp.write_text(text, encoding="utf-8")

    replace_atomic(path, write, inputs)


def replace_atomic(path: str | Path, write: Callable[[Path], None], inputs: Sequence[str | Path] = ()) -> None:
    """Let ``write`` fill a temp file beside ``path``, then ``os.replace`` it; never over an input."""
    target = Path(path)
    for src in inputs:
        if Path(src).exists() and target.exists() and target.resolve() == Path(src).resolve():
            raise InputError("--output", "a file other than the input (the input file is never modified)", str(path))
    if not target.parent.exists():
        raise InputError("--output", "a path in an existing folder", str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
