"""Notebook runs (nbmake): the kernel uses the installed package; in a development checkout without an
install (``pip install -e .`` not run) the checkout is put on the kernel's PYTHONPATH instead."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if subprocess.run([sys.executable, "-c", "import assess"], cwd=Path(__file__).parent,
                  capture_output=True).returncode != 0:
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
os.environ.setdefault("MPLBACKEND", "Agg")
