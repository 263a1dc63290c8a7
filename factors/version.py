"""Versions that identify a result: the tool's and the parameter set's (a hash of the rule data)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata

from factors.paths import data_dir


@lru_cache(maxsize=1)
def tool_version() -> str:
    """The installed package version (looked up once per process)."""
    try:
        return metadata.version("eco-damage-assess")
    except metadata.PackageNotFoundError:  # running from a checkout without install
        return "0+checkout"


@lru_cache(maxsize=1)
def parameter_set_version() -> str:
    """Short SHA-256 of every parameter, rule and jurisdiction file: identifies the rule data used."""
    h = hashlib.sha256()
    root = data_dir()
    files = sorted([root / "rules.toml", root / "jurisdictions.toml", root / "units.txt",
                    *(root / "parameters").glob("*.toml")])
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]
