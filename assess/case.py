"""The case model 案件 (JSON in; validation errors name the field path).

A case holds its id, jurisdiction, key dates, facts, obligors, damage items (each valued by a
method, see :mod:`assess.valuation`) and cost line items (categories 3, 4 and 5 from invoices and
contracts).  Unknown fields are rejected.  :func:`parse_case` validates a dict; :func:`load_case`
reads a JSON file.  Every problem of the input is reported at once, each with its path
(``damage_items[0].inputs.lines[1].quantity.unit``) and what was expected.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import Field, ValidationError, field_validator, model_validator

from assess.quantities import Money
from assess.valuation.base import CategoryKey, StrictModel
from assess.valuation.restoration import RestorationCostItem
from factors.errors import InputError

SCHEMA_VERSION = "1"

#: Every damage-item type, discriminated by its ``method`` field.
METHOD_ITEMS = (RestorationCostItem,)
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
    cost_items: list[CostItem] = Field(default_factory=list)

    @field_validator("jurisdiction")
    @classmethod
    def _known_jurisdiction(cls, v: str) -> str:
        from factors.store import default_store

        known = default_store().jurisdictions
        if v not in known:
            raise ValueError(f"expected one of {', '.join(sorted(known))}, got {v!r}")
        return v

    @model_validator(mode="after")
    def _unique_ids(self) -> "Case":
        for field_name, items in (("obligors", self.obligors), ("damage_items", self.damage_items),
                                  ("cost_items", self.cost_items)):
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    raise ValueError(f"{field_name}: duplicate id {item.id!r}")
                seen.add(item.id)
        return self


def _loc_to_path(loc: tuple[Any, ...]) -> str:
    """('damage_items', 0, 'restoration_cost', 'inputs') → 'damage_items[0].inputs'."""
    out = ""
    tags = {m.model_fields["method"].annotation.__args__[0] for m in METHOD_ITEMS}
    prev_index = False
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            prev_index = True
            continue
        if prev_index and part in tags:  # the discriminator tag pydantic inserts
            prev_index = False
            continue
        if part in ("function-after", "function-before"):  # pydantic's validator markers
            continue
        prev_index = False
        out += ("." if out else "") + str(part)
    return out or "(case)"


def _friendly(err: dict[str, Any]) -> str:
    t = err["type"]
    ctx = err.get("ctx", {})
    if t == "extra_forbidden":
        return "no such field (unknown fields are rejected)"
    if t == "missing":
        return "this required field"
    if t == "union_tag_invalid":
        return f"method to be one of {ctx.get('expected_tags')}"
    if t == "union_tag_not_found":
        return "a 'method' field"
    if t.startswith("literal_error"):
        return f"one of {ctx.get('expected')}"
    if t in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return "a date as YYYY-MM-DD"
    msg = err["msg"].removeprefix("Value error, ").removeprefix("value error, ")
    return msg.removeprefix("expected ")


def parse_case(data: Any) -> Case:
    """Validate a dict (parsed JSON) into a :class:`Case`; all problems raise one InputError."""
    if not isinstance(data, dict):
        raise InputError("(case)", "a JSON object with case_id, jurisdiction, dates …", type(data).__name__)
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            expected = _friendly(err)
            got = err.get("input") if err["type"] != "missing" else None
            if isinstance(got, (dict, list)) or ", got " in expected:
                got = None
            problems.append(InputError(_loc_to_path(tuple(err["loc"])), expected, got))
        raise InputError.collect(problems) from None


def load_case(path: str | Path) -> Case:
    """Read and validate a case file: JSON, or an ``.xlsx`` workbook (:mod:`assess.excel`)."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from assess.excel import load_workbook_case

        return load_workbook_case(p)
    if not p.is_file():
        raise InputError(str(path), "an existing case file (.json)", "no such file")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(path), "a UTF-8 JSON file") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{p.name}:{exc.lineno}:{exc.colno}", f"valid JSON ({exc.msg})") from None
    return parse_case(data)


def case_json_schema() -> dict[str, Any]:
    """The published JSON Schema of a case file (``assess schema``)."""
    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "生态环境损害赔偿案件 Eco-environmental damage compensation case"
    return schema
