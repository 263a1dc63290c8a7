"""Atomic output files: write to a temp file beside the target, then ``os.replace``.

The input file is never modified: a target that is one of the inputs is refused.  Used by every
command that writes (text, JSON, workbooks, parquet/csv batches).

* The new file gets the mode an ordinary ``open(path, "w")`` would give it: the mode of the file it
  replaces, else ``0666`` less the user's umask (the temp file alone is ``0600``).
* ``-o`` naming a directory, a FIFO, a socket or a device is refused (exit 2): the output is always
  a regular file.
* ``-o`` naming a symbolic link writes *through* it: the file the link points to is replaced
  (atomically, beside it) and the link stays, as ``open(path, "w")`` would write through it.  A link
  to an input is refused like the input itself.
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


def check_output(path: str | Path, inputs: Sequence[str | Path] = ()) -> Path:
    """The file an output to ``path`` replaces (a symlink resolved); InputError if it may not be written."""
    target = Path(path)
    for src in inputs:
        if Path(src).exists() and target.exists() and target.resolve() == Path(src).resolve():
            raise InputError("--output", "a file other than the input (the input file is never modified)", str(path))
    if target.is_symlink():
        target = target.resolve()      # write through the link (module docstring)
    if target.exists() and not target.is_file():
        kind = "a directory" if target.is_dir() else "not a regular file (a FIFO, socket or device)"
        raise InputError("--output", "a regular file name (not a directory, FIFO or device)", f"{path}: {kind}")
    if not target.parent.is_dir():
        raise InputError("--output", "a path in an existing folder", str(path))
    return target


def replace_atomic(path: str | Path, write: Callable[[Path], None], inputs: Sequence[str | Path] = ()) -> None:
    """Let ``write`` fill a temp file beside ``path``, then ``os.replace`` it; never over an input."""
    target = check_output(path, inputs)
    mode = _mode(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode(target: Path) -> int:
    """The mode the output gets: that of the file it replaces, else 0666 less the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
