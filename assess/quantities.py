"""Quantities as they arrive in a case file: ``{"value": "1200", "unit": "t"}``.

The value is kept as the exact decimal the user typed (string or number → ``Decimal``), the unit
as written; the dimension is checked here, at the boundary, against the field's expected unit
(pint registry in :mod:`factors.units`).  Kernels later receive plain floats.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator

from factors.errors import UnitError
from factors.money import EXACT, to_decimal
from factors.units import check_dimension, exact_factor


class Qty(BaseModel):
    """A physical quantity or an amount of money (数量/金额) with its unit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Decimal
    unit: str

    @field_validator("value", mode="before")
    @classmethod
    def _exact_value(cls, v: Any) -> Decimal:
        if isinstance(v, bool) or v is None:
            raise ValueError("expected a number (e.g. 1200 or \"35.50\")")
        try:
            d = to_decimal(v)
        except (InvalidOperation, ValueError, TypeError):
            raise ValueError(f"expected a number (e.g. 1200 or \"35.50\"), got {v!r}") from None
        if not d.is_finite():
            raise ValueError(f"expected a finite number, got {v!r}")
        return d

    def in_unit(self, target: str) -> Decimal:
        """The value converted exactly to ``target`` (rational unit factor, 60-digit Decimal)."""
        f: Fraction = exact_factor(self.unit, target)
        if f == 1:
            return self.value
        return EXACT.divide(EXACT.multiply(self.value, Decimal(f.numerator)), Decimal(f.denominator))

    def as_float(self, target: str) -> float:
        return float(self.in_unit(target))

    def spec(self, source: str) -> dict[str, Any]:
        return {"value": str(self.value), "unit": self.unit, "from": source}


def _dimension_check(expected: str, *, non_negative: bool = True):
    def check(q: Qty) -> Qty:
        try:
            check_dimension(q.unit, expected, "unit")
        except UnitError as exc:
            raise ValueError(f"expected a unit convertible to {expected}, got {q.unit!r}") from exc
        if non_negative and q.value < 0:
            raise ValueError(f"expected a non-negative quantity, got {q.value}")
        return q

    return AfterValidator(check)


# Typed quantity fields: the annotation names the dimension the field needs.
Money = Annotated[Qty, _dimension_check("元")]
Mass = Annotated[Qty, _dimension_check("t")]
Volume = Annotated[Qty, _dimension_check("m³")]
Area = Annotated[Qty, _dimension_check("hm²")]
Duration = Annotated[Qty, _dimension_check("年")]


def _non_negative(q: Qty) -> Qty:
    if q.value < 0:
        raise ValueError(f"expected a non-negative quantity, got {q.value}")
    try:
        check_dimension(q.unit, q.unit, "unit")  # parses the unit (unknown units rejected here)
    except UnitError as exc:
        raise ValueError(str(exc).removeprefix("unit: ")) from exc
    return q


#: Any non-negative physical quantity (engineering line items: m³, t, m², 株, 项 …); its unit is
#: checked against the unit price's denominator when the line is evaluated.
AnyQty = Annotated[Qty, AfterValidator(_non_negative)]
