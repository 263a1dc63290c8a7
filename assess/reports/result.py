"""The typed result of assessing one case (JSON out via :meth:`Result.to_dict`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assess.law.case import Case
from assess.law.instalments import Schedule
from assess.law.lawdates import LawInForce
from assess.law.ledger import Ledger
from assess.law.liability import Liability
from assess.law.deadlines import Deadlines
from assess.law.findings import Finding
from assess.law.routing import Routing
from assess.law.settlement import Statement
from assess.reports import jsontext
from assess.reports.contract import SCHEMA_VERSION
from factors.version import parameter_set_version, tool_version
from factors import jsonout
from factors.trace import TraceNode



@dataclass
class Result:
    """Ledger, trace and findings for one case, under the rules in force on ``on``."""

    case: Case
    on: date
    ledger: Ledger
    trace: TraceNode
    routing: Routing | None = None
    deadlines: Deadlines | None = None
    warnings: list[dict[str, str]] = field(default_factory=list)
    #: Punitive award, offsets, credits, net owed and destinations (when the case has any of them).
    liability: Liability | None = None
    #: Instalment schedule and payment statement (when the case has an instalment plan).
    schedule: Schedule | None = None
    #: Fines recorded and payments made without an instalment plan (assess/law/settlement.py).
    statement: Statement | None = None
    uncertainty: Any = None   # assess.law.uncertainty.UncertaintyResult when asked for (never part of the ledger)
    #: The governing date of each family of rules and the rule set in force on it (assess.law.lawdates).
    law: LawInForce | None = None
    law_trace: TraceNode | None = None
    #: Steps, duties and the case file (SH-4, SH-18, JS-(十)/SH-28, JS-(十三)/SH-29, SH-24, SH-30, SH-23, SH-42,
    #: SH-35, SH-15, SH-17): only the findings whose facts or events the case holds.
    duties: list[Finding] = field(default_factory=list)

    @property
    def total(self):
        return self.ledger.total

    def __repr__(self) -> str:
        """Short: the case, the rules date and the total (the full result is :meth:`to_dict`)."""
        return (f"<Result case_id={self.case.case_id!r} jurisdiction={self.case.jurisdiction!r} "
                f"rules_date={self.on.isoformat()} total={self.ledger.total} 元 warnings={len(self.warnings)}>")

    def to_dict(self, lazy: bool = False) -> dict[str, Any]:
        """The result as JSON data; ``lazy``: trace nodes and ledger items left for :mod:`factors.jsonout`
        to expand as it writes (the same text, without holding the tree of a large case)."""
        def tree(node: TraceNode) -> Any:
            return node if lazy else node.to_dict()

        return {
            "schema_version": SCHEMA_VERSION,
            "case_id": self.case.case_id,
            "jurisdiction": self.case.jurisdiction,
            "rules_date": self.on.isoformat(),
            "law_in_force": self.law.to_dict() if self.law else None,
            "tool_version": tool_version(),
            "parameter_set": parameter_set_version(),
            "rounding": "ROUND_HALF_UP to 0.01 yuan per line item; totals are exact sums",
            "currency": "CNY",
            "ledger": self.ledger.to_dict(lazy),
            "routing": self.routing.to_dict() if self.routing else None,
            "deadlines": self.deadlines.to_dict() if self.deadlines else None,
            "warnings": self.warnings,
            "uncertainty": self.uncertainty.to_dict() if self.uncertainty is not None else None,
            "trace": tree(self.trace),
            **({"liability": {**self.liability.to_dict(), "trace": tree(self.liability.trace)}} if self.liability else {}),
            **({"schedule": {**self.schedule.to_dict(), "trace": tree(self.schedule.trace)}} if self.schedule else {}),
            **({"duties": [f.to_dict() for f in self.duties]} if self.duties else {}),
            **({"statement": {**self.statement.to_dict(), "trace": tree(self.statement.trace)}} if self.statement else {}),
            "routing_trace": tree(self.routing.trace()) if self.routing else None,
            "deadlines_trace": tree(self.deadlines.trace()) if self.deadlines else None,
            "law_trace": tree(self.law_trace) if self.law_trace else None,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """``json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)``, the same text, written by the
        fast indented encoder (:mod:`assess.reports.jsontext`)."""
        return jsontext.dumps(self.to_dict(), indent=indent)

    def write_json(self, fh: Any, indent: int | None = 2) -> None:
        """:meth:`to_json` (and a newline) written to ``fh`` chunk by chunk: the same text, without
        holding it or the tree (:mod:`factors.jsonout`: trace nodes and ledger items expanded as written)."""
        if indent is None:
            jsontext.write(self.to_dict(), fh, indent=None)
        else:
            jsonout.dump(self.to_dict(lazy=True), fh, indent=indent)
        fh.write("\n")

    def render(self, lang: str = "both", trace: bool = True) -> str:
        from assess.reports.render import render_result

        return render_result(self, lang=lang, trace=trace)

    def write_text(self, fh: Any, lang: str = "both", trace: bool = True) -> None:
        """:meth:`render`'s text written to ``fh`` as it is made (the trace is never held whole)."""
        from assess.reports.render import write_result

        write_result(self, fh, lang=lang, trace=trace)
