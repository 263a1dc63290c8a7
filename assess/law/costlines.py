"""Cost items as ledger lines 费用项 (CC-1235 categories 3, 4, 5), held compactly for large cases.

A cost actually incurred is one ledger line: its amount in 元 rounded to the fen (:func:`factors.money.to_fen`)
and, in the trace, an input leaf naming the field, the date and the evidence.  That leaf is
written here once (:func:`cost_node`).  A case may hold 100,000 cost items (issue 13, "large honest
inputs"); a :class:`CostLine` keeps only the id, category and amount and builds its label, source and
trace node when they are asked for, so the ledger of such a case costs about 0.2 KiB per item instead
of a full node tree (the trace is the same, node for node, with its citation filled in).  The
category node of the ledger holds such lines' nodes as a :class:`LazyNodes` sequence.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Callable, Iterator

from pydantic import ValidationError

from assess.law.categories import BY_KEY
from assess.law.valuation.base import LineItem
from factors.money import ROUNDING_NOTE, fmt
from factors.trace import TraceNode, value_spec


#: Cost items validated per chunk (a case of 100,000 items never holds 100,000 fresh models at once).
CHUNK = 1024


def compact_costs(value: Any, handler: Callable[[Any], list[Any]]) -> list[Any]:
    """Validate a case's ``cost_items`` (a pydantic wrap validator): the same models and errors as
    ``list[CostItem]``, with less memory per item for a large case.

    The list is validated in chunks of :data:`CHUNK`; on any error the whole list is validated once
    more, so the errors and their indices are exactly pydantic's.  Equal dates, texts, amounts and
    sets of fields given are then shared between items: the models are frozen, so a shared value
    cannot change under another item (about 1 KiB less per item).
    """
    if not isinstance(value, list) or len(value) <= CHUNK:
        return _share(handler(value))
    out: list[Any] = []
    memo: dict[Any, Any] = {}
    start = 0
    try:
        for start in range(0, len(value), CHUNK):
            out += _share(handler(value[start:start + CHUNK]), memo)
            if isinstance(value, Consumable):      # the parsed file's own list: each chunk let go once read
                value[start:start + CHUNK] = [None] * len(value[start:start + CHUNK])
    except ValidationError:
        if isinstance(value, Consumable):          # the items read so far, as data again: they validate as before
            value[:start] = [item.model_dump(exclude_unset=True) for item in out]
        return handler(value)          # raises, with the indices of the whole list
    return out


class Consumable(list):
    """The ``cost_items`` list of a case file read by :func:`assess.app.api.load_case` (nobody else holds it):
    :func:`compact_costs` drops each chunk of raw items once validated, so the parsed JSON and the
    models are never both held whole (issue 13, "releasing the parsed JSON once validated")."""

    __slots__ = ()


def consumable(data: Any) -> Any:
    """``data`` (parsed case JSON that only the caller holds) with its cost items marked :class:`Consumable`."""
    if isinstance(data, dict) and type(data.get("cost_items")) is list:
        data["cost_items"] = Consumable(data["cost_items"])
    return data


def _share(items: list[Any], memo: dict[Any, Any] | None = None) -> list[Any]:
    """``items`` with their equal field sets, dates, texts and amounts made one shared object each."""
    memo = {} if memo is None else memo
    for name in ("date", "category", "label", "evidence", "amount"):
        memo.setdefault(name, {})
    for item in items:
        object.__setattr__(item, "__pydantic_fields_set__", _shared_set(item.__pydantic_fields_set__, memo))
        values = item.__dict__
        for name in ("date", "category", "label", "evidence"):
            v = values.get(name)
            if v is not None:
                values[name] = memo[name].setdefault(v, v)
        amount = values.get("amount")
        if amount is not None and amount.distribution is None:
            shared = memo["amount"].setdefault((str(amount.value), amount.unit), amount)
            if shared is amount:
                object.__setattr__(amount, "__pydantic_fields_set__", _shared_set(amount.__pydantic_fields_set__, memo))
            values["amount"] = shared
    return items


def _shared_set(fields: set[str], memo: dict[Any, Any]) -> set[str]:
    """One set object for equal sets of given fields.  Safe because the models are frozen: pydantic
    changes the set only on assignment (refused) and copies it before ``model_copy(update=...)``."""
    return memo.setdefault(frozenset(fields), fields)


def cost_node(cost: Any, path: str, amount: Decimal) -> TraceNode:
    """The trace leaf of the cost item ``cost`` at ``path`` whose line amount is ``amount`` (to the fen)."""
    return TraceNode(
        id=cost.id, kind="input", label={"zh": cost.label, "en": cost.label},
        inputs={"amount": cost.amount.spec(f"{path}.amount")},
        result=value_spec(fmt(amount), "元", rounding=ROUNDING_NOTE),
        rule=BY_KEY[cost.category].rule,
        note={"zh": f"费用日期 {cost.date.isoformat()}；证据：{cost.evidence}",
              "en": f"incurred {cost.date.isoformat()}; evidence: {cost.evidence}"},
    )


class CostLine(LineItem):
    """The ledger line of ``costs[index]``: id, category and amount held; label, source, warnings and the
    trace node (cited with ``store``) made when asked for.  Read-only: a rounding that rewrites lines
    (``rounding.at = line``) uses plain :class:`LineItem` objects instead."""

    __slots__ = ("_costs", "_index", "_store")

    def __init__(self, costs: Sequence[Any], index: int, amount: Decimal, store: Any = None) -> None:
        cost = costs[index]
        self.id = cost.id
        self.category = cost.category
        self.amount = amount
        self.counted = True
        self._costs, self._index, self._store = costs, index, store

    @property  # type: ignore[override]
    def label(self) -> dict[str, str]:
        text = self._costs[self._index].label
        return {"zh": text, "en": text}

    @property  # type: ignore[override]
    def source(self) -> str:
        return f"cost_items[{self._index}]"

    @property  # type: ignore[override]
    def warnings(self) -> list[dict[str, str]]:
        return []

    def __reduce__(self) -> Any:
        """Pickled or copied as the plain :class:`LineItem` it stands for."""
        return (LineItem, (self.id, self.category, self.label, self.amount, self.source, self.trace, self.counted,
                           self.warnings))

    @property  # type: ignore[override]
    def trace(self) -> TraceNode:
        node = cost_node(self._costs[self._index], self.source, self.amount)
        if self._store is not None and node.rule:
            node.citation = self._store.citation(node.rule)
        return node


class LazyNodes(Sequence):
    """The trace nodes of ledger lines, made one at a time when the sequence is read."""

    __slots__ = ("_items",)

    def __init__(self, items: Sequence[LineItem]) -> None:
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [item.trace for item in self._items[i]]
        return self._items[i].trace

    def __iter__(self) -> Iterator[TraceNode]:
        for item in self._items:
            yield item.trace

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (list, LazyNodes)) else NotImplemented

    def __repr__(self) -> str:
        return f"<LazyNodes of {len(self)} ledger lines>"


def line_nodes(items: Sequence[LineItem]) -> Sequence[TraceNode]:
    """The children of a category node: a list, or a :class:`LazyNodes` when the lines are :class:`CostLine`."""
    if any(isinstance(i, CostLine) for i in items):
        return LazyNodes(list(items))
    return [i.trace for i in items]


__all__ = ["compact_costs", "consumable", "Consumable", "cost_node", "CostLine", "LazyNodes", "line_nodes"]
