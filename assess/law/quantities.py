"""Quantities as they arrive in a case file: ``{"value": "1200", "unit": "t"}``.

The value is kept as the exact decimal the user typed (string or number → ``Decimal``), the unit
as written; the dimension is checked here, at the boundary, against the field's expected unit
(pint registry in :mod:`factors.units`).  Kernels later receive plain floats.

A quantity may carry an optional ``distribution`` for the Monte Carlo band (``assess run
--uncertainty``), in the quantity's own unit::

    {"value": "35.5", "unit": "元/t",
     "distribution": {"type": "triangular", "low": "30", "mode": "35.5", "high": "42"}}

Types: ``point`` (no spread), ``uniform`` (low, high), ``triangular`` (low, mode, high),
``lognormal`` (median, gsd: geometric standard deviation ≥ 1).  The point ``value`` must lie inside
the range (and be > 0 for a lognormal); an optional ``unit`` in the distribution must equal the
quantity's unit.  The ledger always uses ``value``; the distribution only feeds the band.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BeforeValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from factors import vocabulary
from factors.errors import UnitError
from factors.money import scale_exact
from factors.units import check_dimension, exact_factor


def finite_decimal(v: Any) -> Decimal:
    """The exact decimal typed (the input vocabulary's :func:`factors.vocabulary.to_decimal`)."""
    return vocabulary.to_decimal(v)


#: A finite decimal typed as a number or a string (exact).
Num = Annotated[Decimal, BeforeValidator(finite_decimal)]


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: str | None = Field(default=None, description="Optional; must equal the quantity's unit")

    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """(low, high) of the support, None for an open end."""
        return None, None

    def to_kernel(self, value: Decimal) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError


class PointDist(_Dist):
    """No spread: the value itself in every draw."""

    type: Literal["point"]

    def to_kernel(self, value: Decimal) -> Any:
        from methods.uncertainty import Point

        return Point(float(value))


class UniformDist(_Dist):
    type: Literal["uniform"]
    low: Num
    high: Num

    @model_validator(mode="after")
    def _order(self) -> "UniformDist":
        if self.low > self.high:
            raise ValueError(f"expected low ≤ high, got low {self.low} > high {self.high}")
        return self

    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        return self.low, self.high

    def to_kernel(self, value: Decimal) -> Any:
        from methods.uncertainty import Uniform

        return Uniform(float(self.low), float(self.high))


class TriangularDist(_Dist):
    type: Literal["triangular"]
    low: Num
    mode: Num
    high: Num

    @model_validator(mode="after")
    def _order(self) -> "TriangularDist":
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(f"expected low ≤ mode ≤ high with low < high, got {self.low}, {self.mode}, {self.high}")
        return self

    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        return self.low, self.high

    def to_kernel(self, value: Decimal) -> Any:
        from methods.uncertainty import Triangular

        return Triangular(float(self.low), float(self.mode), float(self.high))


class LogNormalDist(_Dist):
    """ln X ~ Normal(ln median, ln gsd): about 68 % of draws in [median/gsd, median·gsd]."""

    type: Literal["lognormal"]
    median: Num = Field(gt=0)
    gsd: Num = Field(ge=1, description="geometric standard deviation ≥ 1")

    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        return Decimal(0), None

    def to_kernel(self, value: Decimal) -> Any:
        from methods.uncertainty import LogNormal

        return LogNormal(float(self.median), float(self.gsd))


Distribution = Annotated[Union[PointDist, UniformDist, TriangularDist, LogNormalDist], Field(discriminator="type")]
DISTRIBUTION_TAGS = ("point", "uniform", "triangular", "lognormal")


def check_point_in_distribution(value: Decimal, dist: Any, unit: str | None = None) -> None:
    """The point value must lie in the distribution's support; its unit (if given) must be ``unit``."""
    if dist is None:
        return
    if dist.unit is not None and unit is not None and dist.unit.strip() != unit.strip():
        raise ValueError(f"expected the distribution in the quantity's unit {unit!r}, got {dist.unit!r}")
    low, high = dist.bounds()
    if isinstance(dist, LogNormalDist):
        if value <= 0:
            raise ValueError(f"expected a value > 0 with a lognormal distribution, got {value}")
    elif (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"expected the value {value} inside its distribution's range [{low}, {high}]")


class Qty(BaseModel):
    """A physical quantity or an amount of money (数量/金额) with its unit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Decimal
    unit: str
    distribution: Distribution | None = Field(
        default=None, description="Optional spread for the Monte Carlo band (same unit as value)")

    @field_validator("value", mode="before")
    @classmethod
    def _exact_value(cls, v: Any) -> Decimal:
        return finite_decimal(v)

    @model_validator(mode="after")
    def _distribution(self) -> "Qty":
        check_point_in_distribution(self.value, self.distribution, self.unit)
        return self

    def lowest(self) -> Decimal:
        """The smallest value the quantity may take (the distribution's lower bound, else the value)."""
        low = self.distribution.bounds()[0] if self.distribution is not None else None
        return self.value if low is None else min(low, self.value)

    def in_unit(self, target: str) -> Decimal:
        """The value converted exactly to ``target`` (rational unit factor, 60-digit Decimal)."""
        return convert_exact(self.value, exact_factor(self.unit, target))

    def as_float(self, target: str) -> float:
        return float(self.in_unit(target))

    def spec(self, source: str) -> dict[str, Any]:
        out = {"value": str(self.value), "unit": self.unit, "from": source}
        if self.distribution is not None:
            out["distribution"] = self.distribution.model_dump(mode="json", exclude_none=True)
        return out


def convert_exact(value: Decimal, factor: Fraction) -> Decimal:
    """``value × factor`` with a rational unit factor (multiply, then divide; 60-digit Decimal).

    The one conversion rule of the exact-money path, shared by :meth:`Qty.in_unit`, the restoration
    lines and the batch path (:mod:`assess.app.batch`), so both paths produce the same Decimal.
    """
    return scale_exact(value, factor)


def _dimension_check(expected: str, *, non_negative: bool = True):
    def check(q: Qty) -> Qty:
        try:
            check_dimension(q.unit, expected, "unit")
        except UnitError as exc:
            raise ValueError(f"expected a unit convertible to {expected}, got {q.unit!r}") from exc
        if non_negative and q.lowest() < 0:
            raise ValueError(f"expected a non-negative quantity (and distribution), got {q.lowest()}")
        return q

    return AfterValidator(check)


# Typed quantity fields: the annotation names the dimension the field needs.
Money = Annotated[Qty, _dimension_check("元")]
Mass = Annotated[Qty, _dimension_check("t")]
Volume = Annotated[Qty, _dimension_check("m³")]
Area = Annotated[Qty, _dimension_check("hm²")]
Duration = Annotated[Qty, _dimension_check("年")]


def _non_negative(q: Qty) -> Qty:
    if q.lowest() < 0:
        raise ValueError(f"expected a non-negative quantity (and distribution), got {q.lowest()}")
    try:
        check_dimension(q.unit, q.unit, "unit")  # parses the unit (unknown units rejected here)
    except UnitError as exc:
        raise ValueError(str(exc).removeprefix("unit: ")) from exc
    return q


#: Any non-negative physical quantity (engineering line items: m³, t, m², 株, 项 …); its unit is
#: checked against the unit price's denominator when the line is evaluated.
AnyQty = Annotated[Qty, AfterValidator(_non_negative)]
