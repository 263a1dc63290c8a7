"""The vectorised docket engine (placeholder: every case to the single path)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Mapping

import numpy as np
import pandas as pd


@dataclass
class EngineResult:
    rows: np.ndarray
    columns: dict[str, np.ndarray] = field(default_factory=dict)


def run_engine(tables: Mapping[str, pd.DataFrame], on: date | None, today: date) -> EngineResult:
    return EngineResult(np.zeros(0, np.int64))
