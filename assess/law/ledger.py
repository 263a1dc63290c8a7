"""The Art. 1235 ledger 赔偿清单: five categories of line items and their exact total (CC-1235).

Amounts are line items already rounded to the fen (:func:`factors.money.to_fen`); category
subtotals and the total are exact sums and are never rounded again, so the printed parts add up
to the printed total.  Derived figures used by other rules live here too:

* ``excluding_assessment_costs`` — everything but category 3 (JS-(八) consultation tiers);
* ``punitive_base`` — categories 1 + 2 (JS-(九)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Mapping

from assess.law.categories import BY_KEY, CATEGORIES, KEYS
from assess.law.costlines import line_nodes
from assess.law.valuation.base import LineItem
from factors.money import fmt, money_sum
from factors.trace import TraceNode, value_spec


#: Categories 1, 2, 4, 5: the JS-(八) 生态环境损害费用（不包括调查、鉴定评估等费用）.
EXCLUDING_ASSESSMENT_COSTS: tuple[str, ...] = tuple(k for k in KEYS if k != "assessment_costs")
#: Categories 1 + 2, the base of punitive damages (JS-(九)).
PUNITIVE_BASE: tuple[str, ...] = ("interim_service_loss", "permanent_loss")


def category_sum(amounts: Mapping[str, Any], keys: Iterable[str] = KEYS) -> Any:
    """Exact sum of the category amounts ``keys`` (default all five: the total).

    ``amounts`` maps a category key to its amount: a Decimal to the fen (the single case) or an
    int64 array of fen, one per case (the batch); either way the sum is exact, never rounded.
    """
    values = [amounts[k] for k in keys]
    return sum(values[1:], values[0])


@dataclass
class CategoryTotal:
    key: str
    items: list[LineItem] = field(default_factory=list)

    @property
    def counted(self) -> list[LineItem]:
        return [i for i in self.items if i.counted]

    @property
    def amount(self) -> Decimal:
        return money_sum(i.amount for i in self.counted)


@dataclass
class Ledger:
    categories: dict[str, CategoryTotal]
    #: a stated rounding of the award (:mod:`assess.law.rounding`); at the total, its 尾数调整 is part of ``total``
    rounded: Any = None

    @property
    def adjustment(self) -> Decimal:
        """The 尾数调整 (rounding adjustment) of a total rounded to a stated step; 0.00 otherwise."""
        return self.rounded.adjustment if self.rounded is not None else Decimal("0.00")

    @classmethod
    def from_items(cls, items: Iterable[LineItem]) -> "Ledger":
        ledger = cls({k: CategoryTotal(k) for k in KEYS})
        for item in items:
            ledger.categories[item.category].items.append(item)
        return ledger

    def amount(self, key: str) -> Decimal:
        return self.categories[key].amount

    def amounts(self) -> dict[str, Decimal]:
        return {k: self.amount(k) for k in KEYS}

    @property
    def total(self) -> Decimal:
        """The five categories' exact sum, plus the 尾数调整 when the total is rounded to a stated step."""
        return category_sum(self.amounts()) + self.adjustment

    @property
    def excluding_assessment_costs(self) -> Decimal:
        """Categories 1, 2, 4, 5: the JS-(八) 生态环境损害费用（不包括调查、鉴定评估等费用）."""
        return category_sum(self.amounts(), EXCLUDING_ASSESSMENT_COSTS)

    @property
    def punitive_base(self) -> Decimal:
        """Categories 1 + 2, the base of punitive damages (JS-(九))."""
        return category_sum(self.amounts(), PUNITIVE_BASE)

    def items(self) -> list[LineItem]:
        return [i for k in KEYS for i in self.categories[k].items]

    def trace(self) -> TraceNode:
        """The trace tree: total ← categories ← line items ← their steps."""
        cat_nodes = []
        for c in CATEGORIES:
            ct = self.categories[c.key]
            counted = ct.counted
            cat_nodes.append(TraceNode(
                id=f"ledger.{c.key}", kind="sum", label={"zh": f"（{_cn(c.number)}）{c.zh}", "en": f"({c.number}) {c.en}"},
                formula=" + ".join(fmt(i.amount) for i in counted) if counted else "0",
                result=value_spec(fmt(ct.amount), "元"), rule=c.rule,
                children=line_nodes(ct.items),   # type: ignore[arg-type]  # cost lines: made when read
            ))
        formula = " + ".join(f"({c.number})" for c in CATEGORIES)
        if self.rounded is not None:
            cat_nodes.append(self.rounded.trace)
            if self.rounded.rounding.at == "total":
                formula += " + 尾数调整 rounding adjustment"
        return TraceNode(
            id="ledger.total", kind="sum", label={"zh": "赔偿总额", "en": "Total compensation"},
            formula=formula, result=value_spec(fmt(self.total), "元"),
            rule="CC-1235", children=cat_nodes,
        )

    def to_dict(self, lazy: bool = False) -> dict[str, Any]:
        """The ledger as JSON data; ``lazy``: each category's items as a generator (streamed output)."""
        out: dict[str, Any] = {}
        for c in CATEGORIES:
            ct = self.categories[c.key]
            items = ({"id": i.id, "label": i.label, "amount": fmt(i.amount), "source": i.source, "counted": i.counted}
                     for i in ct.items)
            out[c.key] = {
                "number": c.number,
                "label": c.label,
                "rule": c.rule,
                "amount": fmt(ct.amount),
                "items": items if lazy else list(items),
            }
        if self.rounded is not None:
            out["rounding"] = self.rounded.to_dict()
        out["total"] = fmt(self.total)
        return out


def _cn(n: int) -> str:
    return "一二三四五"[n - 1]


__all__ = ["Ledger", "CategoryTotal", "LineItem", "BY_KEY"]
