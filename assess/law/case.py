"""The case model 案件 (JSON in; validation errors name the field path).

A case holds its id, jurisdiction, key dates, facts, obligors, damage items (each valued by a
method, see :mod:`assess.law.valuation`) and cost line items (categories 3, 4 and 5 from invoices and
contracts).  Unknown fields are rejected.  :func:`parse_case` validates a dict (files are read by
:mod:`assess.formats` and :func:`assess.app.api.load_case`).  Every problem of the input is reported at once, each with its path
(``damage_items[0].inputs.lines[1].quantity.unit``) and what was expected.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import Field, ValidationError, WrapValidator, field_validator, model_validator

from assess.law.aftercare import WholeLiability, assumption_problems
from assess.law.casefile import CaseDocument
from assess.law.costlines import compact_costs
from assess.law.credits import AlternativeRestoration, Credit
from assess.law.facts import Facts, fact_problems
from assess.law.instalments import InstalmentPlan, Payment
from assess.law.joint import JointAndSeveral, joint_problems
from assess.law.lawdates import LawDates
from assess.law.events import ProcedureEvents, procedure_problems
from assess.law.punitive import Fine, PunitiveClaim
from assess.law.quantities import DISTRIBUTION_TAGS, Money, Qty
from assess.law.rounding import Rounding
from assess.law.valuation.base import CategoryKey, Refusal, StrictModel
from assess.law.valuation.equivalency import PATH_TAGS, EquivalencyItem
from assess.law.valuation.expert_panel import ExpertPanelItem
from assess.law.valuation.given import GivenAmountItem
from assess.law.valuation.ratio import RatioItem
from assess.law.valuation.restoration import RestorationCostItem
from assess.law.valuation.value_loss import ValueLossItem
from assess.law.valuation.virtual_cost import VirtualCostItem
from factors.errors import InputError
from factors import vocabulary
from factors.vocabulary import Refused

SCHEMA_VERSION = "1"

#: Every damage-item type, discriminated by its ``method`` field.
METHOD_ITEMS = (RestorationCostItem, VirtualCostItem, EquivalencyItem, ValueLossItem, ExpertPanelItem, GivenAmountItem,
                RatioItem)
DamageItem = Annotated[Union[METHOD_ITEMS], Field(discriminator="method")]  # type: ignore[valid-type]


class CaseDates(StrictModel):
    """Key dates 关键日期."""

    incident: date = Field(description="Date the damage occurred or was discovered 损害发生（发现）日")
    clue_received: date | None = Field(default=None, description="Date the clue was received 线索接收日")
    assessment_base: date | None = Field(
        default=None,
        description="Base date of the assessment 评估基准日: the rules in force on it are applied "
                    "(default: clue_received, else incident)",
    )

    @model_validator(mode="after")
    def _order(self) -> "CaseDates":
        if self.clue_received and self.clue_received < self.incident:
            raise ValueError("clue_received must not be before incident")
        return self

    @property
    def rules_date(self) -> date:
        return self.assessment_base or self.clue_received or self.incident


class Obligor(StrictModel):
    """A compensation obligor 赔偿义务人."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: Literal["enterprise", "individual", "other_organisation"] = Field(description="企业 / 个人 / 其他组织")
    size: Literal["large", "medium", "small", "micro"] | None = Field(default=None, description="企业规模（大中小微）")
    share: Decimal | None = Field(default=None, gt=0, le=1, description="Share of liability (CC 1231), e.g. 0.7; "
                                  "all obligors or none; they must sum to 1 exactly (default: equal)")
    quantity: Qty | None = Field(default=None, description="Apportion by a quantity instead (tonnes mined, volume "
                                 "discharged, days): shares = q_i / Σq exactly; all obligors or none, one dimension, "
                                 "not with share; basis in quantity_basis")
    quantity_basis: str | None = Field(default=None, description="数量依据 Where the quantities come from (judgment, report)")


class CostItem(StrictModel):
    """A cost actually incurred or contracted 费用项 (invoice, contract): categories 3, 4 or 5."""

    id: str = Field(min_length=1)
    category: CategoryKey
    label: str = Field(min_length=1)
    amount: Money
    date: date
    evidence: str = Field(min_length=1, description="Invoice, contract or receipt reference 证据")

    @field_validator("category")
    @classmethod
    def _cost_category(cls, v: str) -> str:
        if v not in ("assessment_costs", "remediation_costs", "prevention_costs"):
            raise ValueError("a cost item goes to assessment_costs (3), remediation_costs (4) or prevention_costs (5); "
                             "service losses (1, 2) come from damage items")
        return v


class Case(StrictModel):
    """A 生态环境损害赔偿 case."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    case_id: str = Field(min_length=1, description="Case id 案件编号")
    title: str | None = Field(default=None, description="Case title 案件名称")
    jurisdiction: str = Field(description="CN, CN-JS (江苏) or CN-SH (上海)")
    dates: CaseDates
    description: str | None = None
    obligors: list[Obligor] = Field(default_factory=list)
    damage_items: list[DamageItem] = Field(default_factory=list)  # type: ignore[valid-type]
    cost_items: Annotated[list[CostItem], WrapValidator(compact_costs)] = Field(default_factory=list)  # costlines
    facts: Facts = Field(default_factory=Facts, description="Facts that decide the procedural path 程序事实 (assess/facts.py)")
    law_dates: LawDates = Field(default_factory=LawDates,
                                description="Governing dates stated with a reason 适用法律的日期 (assess/law/lawdates.py)")
    procedure: ProcedureEvents = Field(default_factory=ProcedureEvents,
                                       description="Dated procedural events 程序事件 (assess/procedure.py)")
    punitive: PunitiveClaim | None = Field(default=None, description="Punitive-damages claim 惩罚性赔偿 (JS-(九), SH-26)")
    alternative_restoration: list[AlternativeRestoration] = Field(default_factory=list, description="替代修复 (SH-27)")
    credits: list[Credit] = Field(default_factory=list, description="Court- or agreement-ordered credits 抵扣")
    instalment_plan: InstalmentPlan | None = Field(default=None, description="分期赔付 (JS-(十一), SH-8)")
    payments: list[Payment] = Field(default_factory=list, description="Payments made: under the instalment plan, or "
                                    "without one (lump sum, partial payment, escrow 提存: assess/law/settlement.py)")
    fines: list[Fine] = Field(default_factory=list, description="Fines and criminal penalties imposed for the same "
                              "conduct, recorded on the case: shown, never deducted (SH-8; JS-(三))")
    whole_liability: WholeLiability | None = Field(
        default=None, description="one obligor assumes the whole liability and may seek recourse 部分赔偿义务人承担全部责任 (SH-23)")
    joint_and_several: JointAndSeveral | None = Field(
        default=None, description="the obligors are jointly and severally liable 连带责任, with the ground and basis "
                                  "(CC Arts. 178, 1168, 1171; assess/law/joint.py)")
    rounding: Rounding | None = Field(
        default=None, description="rounding of the award 金额取整, a judicial choice with its basis (default: each line "
                                  "to the fen; assess/law/rounding.py)")
    case_file: list[CaseDocument] = Field(
        default_factory=list, description="documents of the case file 案卷材料 (SH-42 一案一卷; SH-15, SH-17)")

    @field_validator("obligors")
    @classmethod
    def _shares(cls, obligors: list[Obligor]) -> list[Obligor]:
        given = [o.share is not None for o in obligors]
        if any(given) and not all(given):
            raise ValueError("expected a share for every obligor or for none (equal shares)")
        qty = [o.quantity is not None for o in obligors]
        if any(qty):
            if any(given):
                raise ValueError("expected either shares or quantities to apportion by, not both")
            if not all(qty):
                raise ValueError("expected a quantity for every obligor or for none")
            unit = obligors[0].quantity.unit
            for i, o in enumerate(obligors):
                try:
                    value = o.quantity.in_unit(unit)
                except InputError:
                    raise ValueError(f"expected the quantities in one dimension: obligors[{i}].quantity is "
                                     f"{o.quantity.unit!r}, obligors[0] is {unit!r}") from None
                if value < 0:
                    raise ValueError(f"expected non-negative quantities, got {o.quantity.value} at obligors[{i}]")
            if sum((o.quantity.in_unit(unit) for o in obligors), Decimal(0)) <= 0:
                raise ValueError("expected quantities with a positive sum")
        if all(given) and obligors:
            total = sum((o.share for o in obligors), Decimal(0))
            if total != 1:
                raise ValueError(f"expected shares summing to 1 exactly, got {total}")
        return obligors

    @field_validator("case_file")
    @classmethod
    def _document_ids(cls, docs: list[CaseDocument]) -> list[CaseDocument]:
        ids = [d.id for d in docs]
        for i in ids:
            if ids.count(i) > 1:
                raise ValueError(f"a unique id per document, got duplicate id {i!r}")
        return docs

    @field_validator("jurisdiction")
    @classmethod
    def _known_jurisdiction(cls, v: str) -> str:
        from factors.store import default_store

        return vocabulary.jurisdiction(v, default_store().jurisdictions)

    @model_validator(mode="after")
    def _unique_ids(self) -> "Case":
        for field_name, items in (("obligors", self.obligors), ("damage_items", self.damage_items),
                                  ("cost_items", self.cost_items)):
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    raise ValueError(f"{field_name}: duplicate id {item.id!r}")
                seen.add(item.id)
        # damage and cost items are both ledger lines, keyed by id (trace, funds, `assess check`)
        damage_ids = {item.id for item in self.damage_items}
        for item in self.cost_items:
            if item.id in damage_ids:
                raise ValueError(f"cost_items: duplicate id {item.id!r} (also a damage item's id; ledger line ids "
                                 "must be unique)")
        plan = self.instalment_plan
        if plan and plan.obligor and plan.obligor not in {o.id for o in self.obligors}:
            raise ValueError(f"instalment_plan.obligor: expected one of the obligors' ids, got {plan.obligor!r}")
        if plan is not None and any(p.kind == "escrow" for p in self.payments):
            raise ValueError("payments: an escrow deposit (kind escrow) is recorded without an instalment plan")
        return self


def check_consistency(case: Case) -> None:
    """Contradictory facts and events out of order: one InputError naming every field, or nothing."""
    problems = [InputError(path, expected, got)
                for path, expected, got in fact_problems(case.facts, case.jurisdiction) + procedure_problems(case)
                                      + assumption_problems(case) + joint_problems(case)]
    if problems:
        raise InputError.collect(problems)


def _loc_to_path(loc: tuple[Any, ...]) -> str:
    """('damage_items', 0, 'restoration_cost', 'inputs') → 'damage_items[0].inputs'."""
    out = ""
    tags = {m.model_fields["method"].annotation.__args__[0] for m in METHOD_ITEMS}
    prev_index = False
    prev: Any = None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            prev_index = True
            prev = part
            continue
        # the discriminator tags pydantic inserts (item method, distribution type, service-path type)
        if (prev_index and part in tags) or (prev == "distribution" and part in DISTRIBUTION_TAGS) or (
                prev in ("injured_path", "path") and part in PATH_TAGS):
            prev_index = False
            prev = None
            continue
        prev = part
        if part in ("function-after", "function-before"):  # pydantic's validator markers
            continue
        prev_index = False
        out += ("." if out else "") + str(part)
    return out or "(case)"


def _friendly(err: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(message id of the ``errors`` catalogue, its fields) for a pydantic error."""
    t = err["type"]
    ctx = err.get("ctx", {})
    if t == "extra_forbidden":
        return "no such field (unknown fields are rejected)", {}
    if t == "missing":
        return "this required field", {}
    if t == "union_tag_invalid":
        return "{field} to be one of {choices}", {"field": str(ctx.get("discriminator", "method")).strip("'"),
                                                  "choices": ctx.get("expected_tags")}
    if t == "union_tag_not_found":
        return "a {field!r} field", {"field": ctx.get("discriminator", "'method'").strip("'")}
    if t.startswith("literal_error"):
        return "one of {choices}", {"choices": ctx.get("expected")}
    if t in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return "a date as YYYY-MM-DD", {}
    msg = err["msg"].removeprefix("Value error, ").removeprefix("value error, ")
    return msg.removeprefix("expected "), {}


def _refused(err: dict[str, Any]) -> Refused | None:
    """The input vocabulary's refusal behind a pydantic error, if it is one."""
    inp = err.get("input")
    if isinstance(inp, Refusal):
        return inp.refused
    cause = (err.get("ctx") or {}).get("error")
    return cause if isinstance(cause, Refused) else None


def parse_case(data: Any) -> Case:
    """Validate a dict (parsed JSON) into a :class:`Case`; all problems raise one InputError."""
    if not isinstance(data, dict):
        raise InputError("(case)", "a JSON object with case_id, jurisdiction, dates …", type(data).__name__)
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            refused = _refused(err)
            if refused is not None:
                problems.append(InputError.refused(_loc_to_path(tuple(err["loc"])), refused))
                continue
            msgid, fields = _friendly(err)
            expected = msgid.format(**fields) if fields else msgid
            got = err.get("input") if err["type"] != "missing" else None
            if isinstance(got, (dict, list)) or ", got " in expected:
                got = None
            problems.append(InputError(_loc_to_path(tuple(err["loc"])), expected, got, msgid=msgid, fields=fields))
        raise InputError.collect(problems) from None
    check_consistency(case)
    return case




def case_json_schema() -> dict[str, Any]:
    """The published JSON Schema of a case file (``assess schema``)."""
    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "生态环境损害赔偿案件 Eco-environmental damage compensation case"
    return schema
