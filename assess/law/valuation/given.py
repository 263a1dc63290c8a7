"""An assessed amount taken as given 采信的鉴定评估金额: the figure of an appraisal report, an expert opinion
or a judgment, when only that figure is available (not its bill of quantities or its method).

The amount enters the ledger as stated, in the category the item names, with the document it comes
from and its evidence in the trace: a judicial choice the user states with its basis, never a figure
the tool derives.  Rounded once to the fen like every line (an amount given in 元 to the fen is kept).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from assess.law.categories import BY_KEY
from assess.law.quantities import Money
from assess.law.valuation.base import DamageItemBase, EvalContext, LineItem, StrictModel
from factors.money import ROUNDING_NOTE, fmt, to_fen
from factors.trace import TraceNode, value_spec

SOURCES = {
    "appraisal_report": {"zh": "鉴定意见书／评估报告", "en": "appraisal opinion or assessment report"},
    "expert_opinion": {"zh": "专家意见", "en": "expert opinion"},
    "judgment": {"zh": "裁判文书", "en": "judgment"},
    "agreement": {"zh": "赔偿协议", "en": "compensation agreement"},
}


class GivenAmountInputs(StrictModel):
    amount: Money = Field(description="The amount as the document states it (元 or 万元)")
    source: Literal["appraisal_report", "expert_opinion", "judgment", "agreement"] = Field(
        description="Where the figure comes from 金额来源")
    document: str = Field(min_length=1, description="The document, e.g. 苏环鉴字〔2023〕12号鉴定意见书第5页")
    evidence: str | None = Field(default=None, description="Why it is taken as given 采信理由")


class GivenAmountItem(DamageItemBase):
    """A damage item whose amount is taken as given from a document (method ``given_amount``)."""

    method: Literal["given_amount"]
    inputs: GivenAmountInputs

    def evaluate(self, ctx: EvalContext, path: str) -> list[LineItem]:
        inp = self.inputs
        amount = to_fen(inp.amount.in_unit("元"))
        src = SOURCES[inp.source]
        node = TraceNode(
            id=self.id, kind="input", label={"zh": f"采信金额：{self.label}", "en": f"Amount taken as given: {self.label}"},
            inputs={"amount": inp.amount.spec(f"{path}.inputs.amount")},
            result=value_spec(fmt(amount), "元", rounding=ROUNDING_NOTE), rule=BY_KEY[self.category].rule,
            note={"zh": f"金额采自{src['zh']}（{inp.document}）" + (f"；采信理由：{inp.evidence}" if inp.evidence else ""),
                  "en": f"taken as given from the {src['en']} ({inp.document})" +
                        (f"; basis: {inp.evidence}" if inp.evidence else "")},
        )
        return [LineItem(id=self.id, category=self.category, label={"zh": self.label, "en": self.label},
                         amount=amount, source=path, trace=node)]

    def sample_amounts(self, ctx: EvalContext, path: str, draws: Any) -> list[tuple[str, Any]]:
        """Monte Carlo band: the stated amount, or its draws when it carries a distribution."""
        return [(self.category, draws.qty(self.inputs.amount, f"{path}.inputs.amount", "元"))]
