"""A small, disposable cache of derived data in the user's cache folder (用户缓存).

It holds only what can be recomputed (e.g. :mod:`factors.units`' memo of parsed unit strings), so
that a cold process need not build it again.  Rules:

* folder: ``$ECO_DAMAGE_ASSESS_CACHE`` if set (``off`` disables the cache), else the platform's user
  cache folder (``platformdirs.user_cache_dir("eco-damage-assess")``);
* every file carries a *stamp* (the package version and a hash of what it was derived from); a file
  with another stamp, unreadable or corrupt, is ignored (and rewritten on the next save);
* files are written atomically (a temporary file in the same folder, then :func:`os.replace`), and a
  folder that cannot be written is silently skipped: the cache never makes a run fail.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

ENV = "ECO_DAMAGE_ASSESS_CACHE"
APP = "eco-damage-assess"


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when the cache is switched off (``ECO_DAMAGE_ASSESS_CACHE=off``)."""
    env = os.environ.get(ENV)
    if env is not None and env.strip():
        if env.strip().lower() == "off":
            return None
        return Path(env).expanduser()
    try:
        import platformdirs
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def load(name: str, stamp: str) -> dict[str, Any] | None:
    """The ``data`` saved under ``name`` with this ``stamp``; ``None`` if absent, stale or corrupt."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        doc = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(doc, dict) or doc.get("stamp") != stamp or not isinstance(doc.get("data"), dict):
        return None
    return doc["data"]


def save(name: str, stamp: str, data: dict[str, Any]) -> bool:
    """Write ``data`` under ``name`` atomically; ``False`` (and nothing raised) if it cannot be written."""
    folder = cache_dir()
    if folder is None:
        return False
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"stamp": stamp, "data": data}, fh, ensure_ascii=False, sort_keys=True)
        os.replace(tmp, folder / name)
        return True
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False
