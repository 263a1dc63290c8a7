"""Where the parameter tables live.

In a checkout they are the top-level ``data/`` folder; in an installed wheel the same folder is
shipped as ``factors/data`` (see ``pyproject.toml``).  Nothing else in the code knows a path.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def data_dir() -> Path:
    """The folder holding ``units.txt``, ``parameters/``, ``calendar/`` and ``examples/``."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "data"):
        if (candidate / "units.txt").is_file():
            return candidate
    raise FileNotFoundError("parameter data folder not found (expected factors/data or ../data)")
