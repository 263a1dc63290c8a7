"""The versioned JSON contract of a result 结果 JSON 契约 (``assess schema --result``, the HTTP service).

:class:`ResultDocument` describes the JSON of :meth:`assess.reports.result.Result.to_dict` as pydantic
models, so the published JSON Schema and the service's OpenAPI document come from one place.  Every
object forbids unknown keys: a new key in ``to_dict`` fails validation (tests validate every shipped
example), and a changed model changes the schema, which the committed snapshot
(``tests/snapshots/result_shape.json``: each model's fields and types) then refuses unless
:data:`SCHEMA_VERSION` changes too.

Versioning (semantic): a new optional key is a minor change (1.0 → 1.1); a removed or renamed key or
a changed type is a major change (1.x → 2.0).  Money amounts are strings with two decimals (exact
to the fen, ``ROUND_HALF_UP``), never JSON numbers.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: Version of the result JSON shape (not of the tool, not of the rule data).
#: 1.1: ``statement`` (payments without a plan, fines), ``law_in_force`` and ``law_trace`` (the law of each date),
#: ``duties`` (findings of the rules without a number).  1.2: ``ledger.rounding`` (a stated rounding of the award),
#: ``liability.joint_and_several`` (连带责任).
SCHEMA_VERSION = "1.2"

Money = str
Bilingual = dict[str, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TraceNodeModel(_Strict):
    """One step of the calculation trace (factors/trace.py)."""

    id: str
    kind: Literal["input", "parameter", "formula", "decision", "rounding", "sum", "note"]
    label: Bilingual
    formula: str | None = None
    result: dict[str, Any] | None = None
    rule: str | None = None
    citation: Bilingual | None = None
    note: Bilingual | None = None
    inputs: dict[str, dict[str, Any]] | None = None
    children: list["TraceNodeModel"]


class LedgerLine(_Strict):
    id: str
    label: Bilingual
    amount: Money
    source: str | None = None
    counted: bool


class LedgerCategory(_Strict):
    number: int = Field(ge=1, le=5)
    label: Bilingual
    rule: str
    amount: Money
    items: list[LedgerLine]


class RoundingModel(_Strict):
    """A stated rounding of the award (assess/law/rounding.py): at ``total`` its 尾数调整 is part of the total."""

    step: str
    at: Literal["line", "total"]
    basis: str | None = None
    adjustment: Money | None = None


class LedgerModel(_Strict):
    """The five Civil Code Art. 1235 categories and the total (components sum to the total exactly)."""

    interim_service_loss: LedgerCategory
    permanent_loss: LedgerCategory
    assessment_costs: LedgerCategory
    remediation_costs: LedgerCategory
    prevention_costs: LedgerCategory
    rounding: RoundingModel | None = None
    total: Money


class DecisionModel(_Strict):
    key: str
    label: Bilingual
    outcome: str
    outcome_label: Bilingual
    reason: Bilingual
    rule: str | None = None
    citation: Bilingual | None = None
    triggers: list[dict[str, Any]] | None = None
    figures: dict[str, Any] | None = None


class RoutingModel(_Strict):
    jurisdiction: str
    rules_date: str
    notes: list[dict[str, Any]]
    decisions: list[DecisionModel]


class DeadlineModel(_Strict):
    key: str
    label: Bilingual
    status: str
    status_label: Bilingual
    rule: str | None = None
    start: dict[str, Any] | None = None
    done: dict[str, Any] | None = None
    counting: dict[str, Any] | None = None
    detail: Bilingual | None = None
    due: str | None = None
    due_kind: str | None = None


class ConsultationModel(_Strict):
    state: Literal["not_started", "in_progress", "agreed", "deemed_failed"]
    rounds_held: int
    reasons: list[dict[str, Any]]
    rule: str | None = None
    detail: Bilingual


class DeadlinesModel(_Strict):
    today: str
    items: list[DeadlineModel]
    consultation: ConsultationModel


class Band(_Strict):
    p5: str
    p50: str
    p95: str
    mean: str


class UncertaintyModel(_Strict):
    seed: int
    draws: int
    inputs: list[str]
    percentiles: str
    display: str
    numpy_version: str
    scipy_version: str
    categories: dict[str, Band]
    total: Band


class FundsModel(_Strict):
    lines: list[dict[str, Any]]
    by_destination: Any


class JointLineModel(_Strict):
    obligor: str
    name: str
    owes_rights_holder_up_to: Money
    internal_share: Money
    recourse_if_pays_whole: Money


class JointModel(_Strict):
    """Joint and several liability 连带责任 (assess/law/joint.py; CC Arts. 178, 1168, 1171)."""

    ground: Literal["joint_tort", "each_sufficient", "agreement"]
    rule: str
    basis: str
    amount: Money
    internal_shares_from: str
    obligors: list[JointLineModel]


class LiabilityModel(_Strict):
    compensation: Money
    punitive: dict[str, Any] | None = None
    gross: Money
    alternative_restoration: list[dict[str, Any]]
    shortfall_still_owed: Money
    credits: list[dict[str, Any]]
    net_owed: Money
    funds: FundsModel
    trace: TraceNodeModel
    joint_and_several: JointModel | None = None


class StatementModel(_Strict):
    as_of: str
    principal_outstanding: Money
    interest_on_late_payments: Money
    interest_paid: Money
    interest_accrued_on_unpaid: Money
    outstanding: Money


class InstalmentModel(_Strict):
    number: int
    due: str
    amount: Money
    paid: Money
    unpaid: Money
    interest: Money
    accrued_interest: Money
    payments: list[dict[str, Any]]


class ScheduleModel(_Strict):
    amount: Money
    cash_deposit_counted_as_paid: Money
    deferred: Money
    daily_rate: str | None = None
    instalments: list[InstalmentModel]
    statement: StatementModel
    trace: TraceNodeModel


class PaymentRow(_Strict):
    date: str
    amount: Money
    kind: Literal["payment", "escrow"]
    reference: str | None = None


class SettlementModel(_Strict):
    """Fines recorded (never deducted) and payments made without an instalment plan (assess/law/settlement.py)."""

    owed: Money
    owed_source: Literal["liability.net", "ledger.total"]
    payments: list[PaymentRow]
    paid: Money
    deposited_in_escrow: Money
    still_owed: Money
    fines_not_deducted: list[dict[str, Any]]
    trace: TraceNodeModel


class NationalRuleSet(_Strict):
    zh: str
    en: str
    documents: list[str]


class LawFamilyModel(_Strict):
    """The governing date of one family of rules and the rule set applied on it (assess/law/lawdates.py)."""

    family: str
    label: Bilingual
    date: str
    from_: str = Field(alias="from", description="the case field (or --on) the date was taken from")
    jurisdiction_applied: str
    reason: str | None = None
    not_yet_in_force: list[dict[str, Any]] | None = None
    national_rule_set: NationalRuleSet | None = None


class FindingModel(_Strict):
    """One finding of a rule without a number: scope, steps, duties, the case file (assess/law/findings.py)."""

    key: str
    label: Bilingual
    status: str
    status_label: Bilingual
    detail: Bilingual
    rule: str | None = None
    citation: Bilingual | None = None
    quote: str | None = Field(default=None, description="the rule's words, verbatim (data/duties.toml)")
    items: list[dict[str, Any]] | None = None
    figures: dict[str, str] | None = None


class ResultDocument(_Strict):
    """The result of assessing one case (``assess run --json``; ``POST /v1/assess``)."""

    schema_version: str = Field(description="version of this JSON shape (semantic: major.minor)")
    tool_version: str = Field(description="version of the eco-damage-assess package that computed it")
    parameter_set: str = Field(description="fingerprint (short SHA-256) of the rule and parameter data used")
    case_id: str
    jurisdiction: str
    rules_date: str = Field(description="the rules in force on this date were applied (YYYY-MM-DD)")
    law_in_force: dict[str, LawFamilyModel] | None = Field(None, description="per family of rules (substantive, "
                                                                             "punitive, procedural; consultation when it "
                                                                             "has its own date): its date and rule set")
    rounding: str
    currency: Literal["CNY"]
    ledger: LedgerModel
    routing: RoutingModel | None = None
    deadlines: DeadlinesModel | None = None
    warnings: list[dict[str, Any]]
    uncertainty: UncertaintyModel | None = None
    trace: TraceNodeModel
    liability: LiabilityModel | None = None
    schedule: ScheduleModel | None = None
    statement: SettlementModel | None = None
    duties: list[FindingModel] | None = Field(
        default=None, description="steps, duties and the case file (SH-4, SH-18, JS-(十)/SH-28, JS-(十三)/SH-29, SH-24, "
                                  "SH-30, SH-23, SH-42, SH-35, SH-15, SH-17), only when the case holds their facts")
    routing_trace: TraceNodeModel | None = None
    deadlines_trace: TraceNodeModel | None = None
    law_trace: TraceNodeModel | None = None


def result_json_schema() -> dict[str, Any]:
    """The published JSON Schema of a result (``assess schema --result``)."""
    schema = ResultDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "生态环境损害赔偿计算结果 Eco-environmental damage compensation result"
    schema["version"] = SCHEMA_VERSION
    return schema


def validate_result(data: dict[str, Any]) -> ResultDocument:
    """Check a result dict against the contract (raises pydantic.ValidationError)."""
    return ResultDocument.model_validate(data)


__all__ = ["SCHEMA_VERSION", "ResultDocument", "result_json_schema", "validate_result"]
