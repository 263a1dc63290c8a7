"""Common parts of every damage item (损害项) and the evaluation context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
import types
from typing import Annotated, Any, Callable, Iterator, Literal, Mapping, Union, get_args, get_origin

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from factors import vocabulary

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
    """Base of every input model: unknown fields are rejected, never ignored.

    Every boolean, date, decimal, whole number and enumerated code of every input model is read by
    the one input vocabulary (:mod:`factors.vocabulary`), so a JSON case, a workbook cell and a batch
    column mean the same by the same text (the field's type, found by :func:`typed_reader`, picks the
    reader).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _vocabulary(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out = None
        for name, read in field_readers(cls).items():
            if data.get(name) is not None:
                if out is None:
                    out = dict(data)
                out[name] = read(data[name])
        return data if out is None else out


class Refusal:
    """A value the vocabulary refused, left in the field so that pydantic reports it at its path
    (:func:`assess.law.case.parse_case` then prints the vocabulary's message, ``refused``)."""

    __slots__ = ("refused",)

    def __init__(self, refused: vocabulary.Refused):
        self.refused = refused

    def __repr__(self) -> str:
        return f"<{self.refused}>"


def _reading(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def run(v: Any) -> Any:
        try:
            return read(v)
        except vocabulary.Refused as exc:
            return Refusal(exc)

    return run


_READERS: dict[Any, Callable[[Any], Any]] = {bool: vocabulary.to_bool, date: vocabulary.to_date,
                                              Decimal: vocabulary.to_decimal, int: vocabulary.to_int}


@lru_cache(maxsize=None)
def field_readers(model: type[BaseModel]) -> dict[str, Callable[[Any], Any]]:
    """The vocabulary reader of each field of ``model`` that has one (see :func:`typed_reader`)."""
    out = {}
    for name, info in model.model_fields.items():
        read = typed_reader(info.annotation)
        if read is not None:
            out[info.alias or name] = read
    return out


@lru_cache(maxsize=None)
def typed_reader(annotation: Any) -> Callable[[Any], Any] | None:
    """The vocabulary reader of a field's type (bool, date, Decimal, int, a Literal of codes, a list of
    them; ``Optional`` and ``Annotated`` looked through), or None for any other type.  ``None`` and
    values of other shapes pass through to pydantic unchanged."""
    tp = annotation
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return _number_or_code(args)
            tp = args[0]
        else:
            break
    if origin is Literal:
        codes = get_args(tp)
        if not all(isinstance(c, str) for c in codes):
            return None
        return _reading(lambda v: v if not isinstance(v, str) else vocabulary.code(v, codes))
    if origin is list:
        inner = typed_reader(get_args(tp)[0]) if get_args(tp) else None
        if inner is None:
            return None
        return lambda v: [x if x is None else inner(x) for x in v] if isinstance(v, list) else v
    read = _READERS.get(tp)
    if read is None:
        return None
    return _reading(lambda v: v if isinstance(v, (dict, list)) else read(v))


def _number_or_code(args: list[Any]) -> Callable[[Any], Any] | None:
    """The reader of a whole number *or* a code (``Year | Literal["never"]``: ``recovery_year``): a code as
    the code, anything else as the whole number, so the text ``"2029"`` means 2029 here as in every other
    year field (a JSON case, a CSV cell and a workbook cell alike); None for any other union."""
    if len(args) != 2:
        return None
    kinds = sorted(args, key=lambda a: get_origin(a) is Literal)
    number, codes_t = kinds
    while get_origin(number) is Annotated:
        number = get_args(number)[0]
    codes = get_args(codes_t)
    if number is not int or get_origin(codes_t) is not Literal or not all(isinstance(c, str) for c in codes):
        return None

    def read(v: Any) -> Any:
        if isinstance(v, str) and v.strip() in codes:
            return vocabulary.code(v, codes)
        if isinstance(v, str) and not any(ch.isdigit() for ch in v):
            return vocabulary.code(v, codes)        # refused: names the codes
        return vocabulary.to_int(v)

    return _reading(lambda v: v if isinstance(v, (dict, list)) else read(v))


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
