"""Common parts of every damage item (损害项) and the evaluation context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterator, Literal, Mapping, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from factors.money import EXACT, to_decimal
from factors.store import ParameterStore
from factors.trace import TraceNode

CategoryKey = Literal["interim_service_loss", "permanent_loss", "assessment_costs", "remediation_costs", "prevention_costs"]

#: Environmental elements (环境要素) of SH-4 / GB/T 39791 series.
Element = Literal[
    "surface_water",   # 地表水
    "groundwater",     # 地下水
    "sediment",        # 沉积物
    "soil",            # 土壤
    "air",             # 大气
    "forest",          # 森林
    "grassland",       # 草原
    "wetland",         # 湿地
    "wildlife",        # 野生动植物
    "ecosystem",       # 生态系统（综合）
    "other",           # 其他
]
ELEMENT_LABELS = {
    "surface_water": {"zh": "地表水", "en": "surface water"},
    "groundwater": {"zh": "地下水", "en": "groundwater"},
    "sediment": {"zh": "沉积物", "en": "sediment"},
    "soil": {"zh": "土壤", "en": "soil"},
    "air": {"zh": "大气", "en": "air"},
    "forest": {"zh": "森林", "en": "forest"},
    "grassland": {"zh": "草原", "en": "grassland"},
    "wetland": {"zh": "湿地", "en": "wetland"},
    "wildlife": {"zh": "野生动植物", "en": "wild plants and animals"},
    "ecosystem": {"zh": "生态系统", "en": "ecosystem"},
    "other": {"zh": "其他", "en": "other"},
}


class StrictModel(BaseModel):
    """Base of every input model: unknown fields are rejected, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class DamageItemBase(StrictModel):
    """Fields every damage item has, whatever its method."""

    id: str = Field(min_length=1, description="Item id, unique in the case (e.g. D1)")
    label: str = Field(min_length=1, description="What was damaged / what is restored (损害项名称)")
    element: Element = Field(description="Environmental element 环境要素")
    restorable: bool = Field(description="Whether the damage can be restored 是否可修复")
    category: CategoryKey = Field(description="Art. 1235 category the amount goes to (CC-1235)")
    basis: str | None = Field(default=None, description="Evidence or report section the figures come from")
    damage_ref: str | None = Field(
        default=None, min_length=1,
        description="Which damage this item values (default: its own id). Two counted items with the same "
                    "damage_ref may not feed the same category (double counting)")
    cross_check: bool = Field(
        default=False, description="Evaluated and shown beside the counted figure, but not counted in totals")

    @property
    def ref(self) -> str:
        return self.damage_ref or self.id

    def categories(self) -> tuple[str, ...]:
        """The ledger categories this item's lines feed (one, unless the method splits its amount)."""
        return (self.category,)

    def sample_amounts(self, ctx: "EvalContext", path: str, draws: "Draws") -> list[tuple[str, Any]]:
        """(category, amount) pairs for the Monte Carlo band: floats or arrays of the draws [元].

        Each method evaluates its vectorised kernel (:mod:`methods`) on the sampled inputs; an
        input without a distribution enters as its point value.  Not rounded (display only).
        """
        raise NotImplementedError


@dataclass(frozen=True)
class EvalContext:
    """What an evaluator may know besides the item: where, when, and the parameter store."""

    jurisdiction: str
    on: date
    store: ParameterStore
    incident: date | None = None   # the case's damage date (dates.incident): selects method versions


@dataclass(slots=True)
class LineItem:
    """One ledger line: an amount rounded to the fen, its category, source and trace."""

    id: str
    category: str
    label: dict[str, str]
    amount: Decimal
    source: str
    trace: TraceNode
    counted: bool = True   # False for a cross-check shown beside the counted figure
    warnings: list[dict[str, str]] = field(default_factory=list)   # {"path", "zh", "en"}


def warning(path: str, zh: str, en: str) -> dict[str, str]:
    return {"path": path, "zh": zh, "en": en}


# -- Monte Carlo support -------------------------------------------------------------------------

def distributions(model: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every (field path, kernel distribution) in an input model: a value with a ``distribution``.

    Walks nested models and lists; the distribution is in the value's own unit.
    """
    dist = getattr(model, "distribution", None)
    if dist is not None and hasattr(model, "value"):
        yield path, dist.to_kernel(model.value)
    if isinstance(model, BaseModel):
        for name in type(model).model_fields:
            yield from distributions(getattr(model, name), f"{path}.{name}")
    elif isinstance(model, (list, tuple)):
        for i, v in enumerate(model):
            yield from distributions(v, f"{path}[{i}]")


@dataclass(frozen=True)
class Draws:
    """The sampled input arrays of one Monte Carlo run, keyed by case field path."""

    arrays: Mapping[str, np.ndarray]

    def value(self, obj: Any, path: str, factor: Union[int, Decimal, Fraction] = 1) -> Any:
        """``obj.value`` × ``factor``: the draws if ``path`` has a distribution, else the point value as float."""
        if path in self.arrays:
            return self.arrays[path] * float(factor)
        return float(EXACT.multiply(obj.value, to_decimal(factor)))

    def qty(self, q: Any, path: str, target: str) -> Any:
        """A quantity in ``target`` units (exact point value as float, or converted draws)."""
        from factors.units import float_factor

        if path in self.arrays:
            return self.arrays[path] * float_factor(q.unit, target, path)
        return float(q.in_unit(target))
