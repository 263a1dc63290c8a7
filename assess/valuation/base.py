"""Common parts of every damage item (损害项) and the evaluation context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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


@dataclass(frozen=True)
class EvalContext:
    """What an evaluator may know besides the item: where, when, and the parameter store."""

    jurisdiction: str
    on: date
    store: ParameterStore
    #: Findings an evaluator reports beside its amounts (``{"path", "zh", "en"}``), copied to the result.
    warnings: list[dict[str, str]] = field(default_factory=list)


@dataclass
class LineItem:
    """One ledger line: an amount rounded to the fen, its category, source and trace."""

    id: str
    category: str
    label: dict[str, str]
    amount: Decimal
    source: str
    trace: TraceNode
    counted: bool = True   # False for a cross-check shown beside the counted figure
