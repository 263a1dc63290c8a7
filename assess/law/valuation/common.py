"""Input types and trace steps shared by the valuation methods (coefficients, rates, years, categories)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt

import numpy as np
from pydantic import BaseModel, BeforeValidator, Field, model_validator

from assess.law.categories import BY_KEY
from assess.law.quantities import Distribution, Num, finite_decimal, check_point_in_distribution
from assess.law.valuation.base import EvalContext, StrictModel
from factors.errors import InputError
from factors.money import ROUNDING_NOTE, fmt, round_fen
from factors.trace import TraceNode, parameter_node, value_spec


def _plain_rate(v: Any) -> Any:
    """A rate is a plain number (0.03 for 3 %); a string like "3%" is refused with a hint."""
    if isinstance(v, bool) or v is None:
        raise ValueError("expected a plain number per year such as 0.03 (for 3 %)")
    if isinstance(v, str) and v.strip().endswith("%"):
        raise ValueError(f"expected a plain number per year such as 0.03 (for 3 %), not a percentage string, got {v!r}")
    try:
        return finite_decimal(v)
    except ValueError:
        raise ValueError(f"expected a plain number per year such as 0.03 (for 3 %), got {v!r}") from None


#: Annual discount rate r [1/年]: required (no Chinese figure found, law_and_methods.md §3.4), 0 ≤ r < 1.
DiscountRate = Annotated[Decimal, BeforeValidator(_plain_rate), Field(ge=0, lt=1)]
#: A whole calendar year (e.g. 2021).
Year = Annotated[int, Field(ge=1900, le=2200, strict=True)]
Timing = Literal["start", "mid", "end"]
TIMINGS: tuple[str, ...] = get_args(Timing)
TIMING_BY_OFFSET = {Decimal("0"): "start", Decimal("0.5"): "mid", Decimal("1"): "end"}


def field_bounds(model: type[BaseModel], name: str) -> list[Any]:
    """The bound constraints (``Ge``/``Gt``/``Le``/``Lt``) of a model field, through ``Optional``/``Annotated``."""
    def walk(meta: Any) -> list[Any]:
        out = []
        for m in meta:
            if isinstance(m, (Ge, Gt, Le, Lt)):
                out.append(m)
            elif hasattr(m, "metadata"):      # a FieldInfo inside Annotated
                out += walk(m.metadata)
        return out

    info = model.model_fields[name]
    found = walk(info.metadata)
    todo = [info.annotation]
    while todo:
        t = todo.pop()
        if get_origin(t) is Annotated:
            found += walk(t.__metadata__)
        todo += list(get_args(t)) if get_origin(t) is not Annotated else [get_args(t)[0]]
    return found


def outside_bounds(x: np.ndarray, model: type[BaseModel], name: str) -> np.ndarray:
    """Mask of the values a model field's bounds refuse (NaN: False), so the batch checks a column by the
    same bounds as the case file (e.g. ``loss_fraction`` in [0, 1], ``discount_rate`` 0 ≤ r < 1, years 1900–2200)."""
    bad = np.zeros(np.shape(x), bool)
    with np.errstate(invalid="ignore"):
        for b in field_bounds(model, name):
            if isinstance(b, Ge):
                bad |= x < float(b.ge)
            elif isinstance(b, Gt):
                bad |= x <= float(b.gt)
            elif isinstance(b, Le):
                bad |= x > float(b.le)
            else:
                bad |= x >= float(b.lt)
    return bad


class Coefficient(StrictModel):
    """A dimensionless coefficient supplied by the user with its basis (γ, a multiplier)."""

    value: Num = Field(ge=0)
    basis: str = Field(min_length=1, description="Where the value comes from (report section, table, judgment)")
    distribution: Distribution | None = None

    @model_validator(mode="after")
    def _dist(self) -> "Coefficient":
        check_point_in_distribution(self.value, self.distribution)
        if self.distribution is not None and (self.distribution.bounds()[0] or 0) < 0:
            raise ValueError("expected a distribution with low ≥ 0")
        return self

    def spec(self, source: str) -> dict[str, Any]:
        out = value_spec(self.value, "1", source, basis=self.basis)
        if self.distribution is not None:
            out["distribution"] = self.distribution.model_dump(mode="json", exclude_none=True)
        return out


def check_category(v: str, allowed: tuple[str, ...], what: str) -> str:
    if v not in allowed:
        raise ValueError(f"a {what} item goes to {' / '.join(allowed)}, not {v}")
    return v


def category_node(node_id: str, category: str, why: dict[str, str]) -> TraceNode:
    """Decision node naming the ledger category of an amount, and why it goes there."""
    c = BY_KEY[category]
    return TraceNode(
        id=node_id, kind="decision",
        label={"zh": f"计入类别：（{c.number}）{c.zh}", "en": f"Ledger category: ({c.number}) {c.en}"},
        rule=c.rule, note=why,
    )


def float_amount_node(node_id: str, label: dict[str, str], formula: str, x: float, inputs: dict[str, Any],
                      rule: str | None = None, children: list[TraceNode] | None = None,
                      amount: Decimal | None = None) -> tuple[Decimal, TraceNode]:
    """Trace a kernel's float amount ``x`` and its fen: ``amount`` where an array function gave it,
    else the array rounding (:func:`factors.money.round_fen`, Decimal via repr, half-up) on ``[x]``."""
    if amount is None:
        amount = round_fen(np.array([float(x)])).amount()
    node = TraceNode(id=node_id, kind="formula", label=label, formula=formula, inputs=inputs,
                     result=value_spec(fmt(amount), "元", float=repr(float(x)), rounding=ROUNDING_NOTE),
                     rule=rule, children=children or [])
    return amount, node


def resolve_timing(ctx: EvalContext, given: str | None, path: str, node_id: str = "timing") -> tuple[str, TraceNode]:
    """The timing convention: the case's own, else the ``policy_default`` parameter (traced either way)."""
    if given is not None:
        node = TraceNode(id=node_id, kind="input", label={"zh": "贴现计年时点", "en": "Discounting timing"},
                         inputs={"timing": value_spec(given, None, f"{path}.timing")})
        return given, node
    p = ctx.store.lookup("valuation.discounting.timing_offset", ctx.jurisdiction, ctx.on)
    timing = TIMING_BY_OFFSET.get(p.value)
    if timing is None:
        raise InputError(f"{path}.timing", "start, mid or end (the timing parameter has no such offset)", str(p.value))
    return timing, parameter_node(node_id, p)


def damage_date(ctx: EvalContext, own: date | None) -> date:
    return own or ctx.incident or ctx.on


def discount_spec(rate: Decimal, base_year: int, path: str) -> dict[str, Any]:
    return {"discount_rate": value_spec(rate, "1/年", f"{path}.discount_rate"),
            "base_year": value_spec(base_year, "年", f"{path}.base_year")}


class kernel_errors:
    """Context manager: re-raise a kernel's InputError with the case field path (``{prefix}.{field}``).

    ``names`` maps a kernel argument name to the case field (relative to ``prefix``); an index
    suffix (``[3]``) is kept.
    """

    def __init__(self, prefix: str, names: dict[str, str]):
        self.prefix, self.names = prefix, names

    def __enter__(self) -> "kernel_errors":
        return self

    def __exit__(self, typ, exc, tb) -> bool:
        if exc is None or not isinstance(exc, InputError):
            return False

        def one(e: InputError) -> InputError:
            head, sep, rest = e.path.partition("[")
            field = self.names.get(head.strip(), head.strip())
            return InputError(f"{self.prefix}.{field}{sep}{rest}", e.expected, e.got)

        raise InputError.collect([one(e) for e in (exc.problems or [exc])]) from None
