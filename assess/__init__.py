"""生态环境损害赔偿计算器 — ecological-environment damage compensation under Chinese law.

Public API::

    from assess import assess_case, load_case, parse_case
    result = assess_case("case.json")        # or a dict, or a Case
    result.ledger.total                      # Decimal, exact to the fen
    result.to_dict()                         # JSON-ready; money as strings
    print(result.render("zh"))               # text summary with the trace

    from assess import assess_frame          # many cases: DataFrame → DataFrame (assess/batch.py)

    assess.__version__                       # the package version (read once from its metadata)
    except assess.InputError as exc: exc.path # bad input names the field (AssessError: every user error)
"""

from assess.app.api import assess_case, load_case
from assess.law.case import Case, case_json_schema, parse_case
from assess.reports.contract import SCHEMA_VERSION, result_json_schema
from assess.reports.result import Result
from factors.errors import (AssessError, CalendarNotCovered, InputError, ParameterError, RuleNotApplicable, RuleNotInForce,
                            UnitError, UnsafeWorkbook)

__all__ = ["assess_case", "load_case", "parse_case", "Case", "Result", "case_json_schema", "result_json_schema",
           "SCHEMA_VERSION", "assess_frame", "assess_dask", "row_to_case", "__version__",
           "AssessError", "InputError", "UnitError", "ParameterError", "RuleNotInForce", "RuleNotApplicable",
           "CalendarNotCovered", "UnsafeWorkbook"]

_BATCH = ("assess_frame", "assess_dask", "row_to_case")


def __getattr__(name: str):
    """The batch API is imported on first use (pandas stays out of a single-case cold start)."""
    if name in _BATCH:
        from assess.app import batch

        return getattr(batch, name)
    if name == "__version__":  # looked up once per process (factors.version.tool_version is cached)
        from factors.version import tool_version

        return tool_version()
    raise AttributeError(f"module 'assess' has no attribute {name!r}")
