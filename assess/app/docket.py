"""Relational dockets in the batch (issue 18): :func:`assess_docket`, one result row per case.

Placeholder of the ``docket`` branch with the signature of the ``engine`` branch's module of the same
name (which computes on arrays and replaces this one on merge): every case of the docket goes through
the single path, :func:`assess.app.api.assess_case`, so the batch gives exactly ``assess run``'s figures.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping

import pandas as pd

from assess.app.api import assess_case
from assess.formats.docket import unflatten
from assess.law.categories import KEYS as CATEGORY_KEYS
from assess.law.routing import ROUTING_CODES
from factors.errors import AssessError
from factors.money import to_fen

__all__ = ["assess_docket", "OUTPUT_COLUMNS", "FEN_COLUMNS"]

FEN_COLUMNS = tuple(f"{k}_fen" for k in CATEGORY_KEYS) + ("total_fen",)
OUTPUT_COLUMNS = ("case_id", "rules_date") + FEN_COLUMNS + tuple(ROUTING_CODES) + ("error",)


def _fen(amount: Any) -> int:
    return int(to_fen(amount).scaleb(2))


def assess_docket(tables: Mapping[str, pd.DataFrame], on: date | None = None, today: date | None = None,
                  lang: str = "zh") -> pd.DataFrame:
    """Every case of the docket ``tables`` → one row (columns :data:`OUTPUT_COLUMNS`); a case the single
    path refuses gets its one-line message in ``error`` (the batch goes on).  A docket unusable as a whole
    raises :class:`factors.errors.InputError`."""
    rows: list[dict[str, Any]] = []
    for cid, case in unflatten(tables):
        row: dict[str, Any] = dict.fromkeys(OUTPUT_COLUMNS)
        row["case_id"] = cid
        try:
            result = assess_case(case, on, today=today)
        except AssessError as exc:
            text = exc.render(lang) if hasattr(exc, "render") else str(exc)
            row["error"] = (text.splitlines() or [type(exc).__name__])[0]
        except Exception as exc:  # noqa: BLE001 - an internal error never looks like a result
            row["error"] = f"internal error: {type(exc).__name__}: {exc}"
        else:
            row["rules_date"] = result.on
            for k in CATEGORY_KEYS:
                row[f"{k}_fen"] = _fen(result.ledger.amount(k))
            row["total_fen"] = _fen(result.ledger.total)
            for d in result.routing.decisions:
                row[d.key] = d.outcome
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
    for c in FEN_COLUMNS:
        out[c] = out[c].astype("Int64")
    for c in ("case_id", "rules_date", "error", *ROUTING_CODES):
        out[c] = out[c].astype(object)
    return out
