"""An amount set as a ratio of another item 按比例确定的金额: e.g. the interim service loss as a percentage
of the restoration cost, as courts have done when no separate valuation exists.

``amount = round_fen(ratio × amount of the referenced item)`` (exact Decimal product, rounded half-up
once).  The referenced item is a damage item (the sum of its counted lines), one of its ledger lines
(``D2.interim_service_loss``) or a cost item, evaluated first; the ratio and its basis (the judgment or
report that sets it) are the user's, shown in the trace.  No ratio is ever supplied by the tool.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from assess.law.categories import BY_KEY
from assess.law.valuation.base import DamageItemBase, EvalContext, LineItem, StrictModel
from factors.errors import InputError
from factors.money import ROUNDING_NOTE, Decimals, Fen, fmt, money_sum, product_fen
from factors.trace import TraceNode, value_spec


class RatioInputs(StrictModel):
    of: str = Field(min_length=1, description="所依据的项目 Id of the item it is a ratio of: a damage item, one of its ledger lines, "
                                              "or a cost item (evaluated first)")
    ratio: Decimal = Field(gt=0, description="比例 The ratio as a plain number (0.3 for 30 %)")
    basis: str = Field(min_length=1, description="Who set the ratio and why (judgment, report, section) 比例依据")


class RatioItem(DamageItemBase):
    """A damage item whose amount is a stated ratio of another item's amount (method ``ratio_of``)."""

    method: Literal["ratio_of"]
    inputs: RatioInputs

    def evaluate(self, ctx: EvalContext, path: str) -> list[LineItem]:
        raise TypeError("a ratio item is evaluated by evaluate_ratio, after the items it refers to (a bug if called)")

    def sample_amounts(self, ctx: EvalContext, path: str, draws: Any) -> list[tuple[str, Any]]:
        raise TypeError("a ratio item is sampled by ratio_samples, after the items it refers to (a bug if called)")


def referenced_lines(item: RatioItem, lines: list[LineItem], path: str, ratio_ids: frozenset[str] = frozenset()
                     ) -> list[LineItem]:
    """The counted lines the ratio applies to: a line id, or every counted line of an item id."""
    of = item.inputs.of
    if of in ratio_ids:
        raise InputError(f"{path}.inputs.of", "the id of a damage item, ledger line or cost item valued on its own "
                         "(a ratio of a ratio is not taken)", of)
    exact = [ln for ln in lines if ln.id == of]
    found = exact or [ln for ln in lines if ln.id.startswith(f"{of}.") and ln.counted]
    if not found:
        raise InputError(f"{path}.inputs.of", "the id of a damage item, ledger line or cost item evaluated before it "
                         "(a ratio of a ratio is not taken)", of)
    if any(not ln.counted for ln in found):
        raise InputError(f"{path}.inputs.of", "a counted item (not a cross-check)", of)
    return found


def ratio_fen(base: Decimals, ratio: Decimals) -> Fen:
    """Each ratio item's amount ``round(ratio × amount of the referenced item)`` in fen (half-up, the
    exact product rounded once; ``base`` already to the fen, e.g. :meth:`Decimals.of_fen`).  One rule for
    the single case (a column of length one) and the docket engine (a column per docket)."""
    return product_fen([base, ratio])


def evaluate_ratio(item: RatioItem, lines: list[LineItem], path: str, ratio_ids: frozenset[str] = frozenset()
                   ) -> list[LineItem]:
    """The ratio item's ledger line, from the already evaluated ``lines`` of the case."""
    ref = referenced_lines(item, lines, path, ratio_ids)
    base = money_sum(ln.amount for ln in ref)
    amount = ratio_fen(Decimals.of([base]), Decimals.of([item.inputs.ratio])).amount()
    node = TraceNode(
        id=item.id, kind="formula", label={"zh": f"按比例确定：{item.label}", "en": f"Set as a ratio: {item.label}"},
        formula=f"ratio × amount of {item.inputs.of} = {item.inputs.ratio} × {fmt(base)}",
        inputs={"ratio": value_spec(item.inputs.ratio, "1", f"{path}.inputs.ratio"),
                "amount": value_spec(fmt(base), "元", ", ".join(ln.id for ln in ref))},
        result=value_spec(fmt(amount), "元", rounding=ROUNDING_NOTE), rule=BY_KEY[item.category].rule,
        note={"zh": f"比例由使用者给出，依据：{item.inputs.basis}", "en": f"ratio stated by the user; basis: {item.inputs.basis}"},
    )
    return [LineItem(id=item.id, category=item.category, label={"zh": item.label, "en": item.label}, amount=amount,
                     source=path, trace=node)]


def ratio_samples(item: RatioItem, samples: dict[str, Any], path: str) -> list[tuple[str, Any]]:
    """Monte Carlo band: the ratio times the referenced item's sampled amount."""
    of = item.inputs.of
    if of not in samples:
        raise InputError(f"{path}.inputs.of", "the id of a damage item or cost item evaluated before it", of)
    return [(item.category, samples[of] * float(item.inputs.ratio))]
