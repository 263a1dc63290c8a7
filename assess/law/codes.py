"""The enumerated codes of the case model 枚举代码, derived from the model (never listed twice).

Every place that offers or checks a code (the workbook's dropdowns and notes, the batch columns,
the sheet labels) asks this module, which reads the ``Literal`` types of the model's fields, so a
code added to the model is accepted everywhere at once.  How typed text is matched against a code
is the input vocabulary's (:func:`factors.vocabulary.code`: as typed, white space around it ignored).
"""

from __future__ import annotations

import types
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from assess.law.case import METHOD_ITEMS
from assess.law.valuation.base import ELEMENT_LABELS, Element
from assess.law.valuation.common import TIMINGS as VALUATION_TIMINGS


def literal_codes(annotation: Any) -> tuple[Any, ...]:
    """The codes of a ``Literal`` type (``Optional`` and ``Annotated`` looked through; unions merged)."""
    origin = get_origin(annotation)
    if origin is Literal:
        return get_args(annotation)
    if origin in (Union, types.UnionType) or (origin is not None and getattr(origin, "__name__", "") == "Annotated"):
        out: list[Any] = []
        for a in get_args(annotation):
            out += [c for c in literal_codes(a) if c not in out]
        return tuple(out)
    if hasattr(annotation, "__metadata__"):      # typing.Annotated
        return literal_codes(get_args(annotation)[0])
    return ()


def choices(model: type[BaseModel], field: str) -> tuple[Any, ...]:
    """The codes field ``field`` of ``model`` accepts."""
    return literal_codes(model.model_fields[field].annotation)


def method_tags() -> tuple[str, ...]:
    """The ``method`` codes of the damage items (one per valuation method)."""
    return tuple(choices(m, "method")[0] for m in METHOD_ITEMS)


#: Environmental elements and the timing conventions, with their labels where the model has them.
ELEMENTS: tuple[str, ...] = get_args(Element)
TIMINGS: tuple[str, ...] = VALUATION_TIMINGS   # one definition: assess.law.valuation.common
LABELS: dict[str, dict[str, dict[str, str]]] = {"element": ELEMENT_LABELS}
