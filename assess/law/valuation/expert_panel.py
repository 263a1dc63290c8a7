"""Expert panel 专家意见 in place of a valuation method (simplified assessment, SH-16 / JS-(七)).

Each expert (drawn from an expert pool, SH-16) gives an amount per Art. 1235 category and
optionally a range; the panel needs at least ``experts.min_count`` experts (SH-16: 不少于 3 人).
For each category the amounts are combined by :func:`assess.law.experts.aggregate` (median by default)
and the result, rounded to the fen, becomes one ledger line traced to every expert.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from assess.law.categories import BY_KEY
from assess.law.experts import AGGREGATION_LABEL, Aggregation, aggregate
from assess.law.quantities import Money
from assess.law.valuation.base import CategoryKey, DamageItemBase, EvalContext, LineItem, StrictModel, warning
from factors.errors import InputError
from factors.money import ROUNDING_NOTE, fmt, to_fen
from factors.trace import TraceNode, parameter_node, value_spec


class AmountRange(StrictModel):
    low: Money
    high: Money

    @model_validator(mode="after")
    def _ordered(self) -> "AmountRange":
        if self.low.in_unit("元") > self.high.in_unit("元"):
            raise ValueError("expected low ≤ high")
        return self


class Expert(StrictModel):
    """One expert's opinion 专家意见."""

    name: str = Field(min_length=1)
    pool: str = Field(min_length=1, description="Expert pool or committee drawn from (专家库/专家委员会, SH-16)")
    amounts: dict[CategoryKey, Money] = Field(min_length=1, description="Amount per Art. 1235 category")
    ranges: dict[CategoryKey, AmountRange] = Field(default_factory=dict, description="Optional range per category")

    @model_validator(mode="after")
    def _ranges_match(self) -> "Expert":
        for cat, r in self.ranges.items():
            if cat not in self.amounts:
                raise ValueError(f"expected a range only for a category with an amount, got ranges.{cat}")
            a = self.amounts[cat].in_unit("元")
            if not r.low.in_unit("元") <= a <= r.high.in_unit("元"):
                raise ValueError(f"expected ranges.{cat} to contain the amount {a}")
        return self


class ExpertPanelInputs(StrictModel):
    experts: list[Expert] = Field(min_length=1)
    aggregation: Aggregation = Field(default="median", description="median (default), trimmed_mean or mean")

    @field_validator("experts")
    @classmethod
    def _same_categories(cls, experts: list[Expert]) -> list[Expert]:
        first = set(experts[0].amounts)
        for i, e in enumerate(experts[1:], start=1):
            if set(e.amounts) != first:
                raise ValueError(f"expected every expert to give the same categories: experts[{i}] gives "
                                 f"{sorted(e.amounts)}, experts[0] gives {sorted(first)}")
        return experts


class ExpertPanelItem(DamageItemBase):
    """A damage item valued by an expert panel (专家评估) instead of a method."""

    method: Literal["expert_panel"]
    category: CategoryKey | None = Field(  # type: ignore[assignment]
        default=None, description="Optional: if given, the experts' amounts must be for this category only")
    inputs: ExpertPanelInputs

    @model_validator(mode="after")
    def _category_matches(self) -> "ExpertPanelItem":
        if self.category is not None:
            for e in self.inputs.experts:
                if set(e.amounts) != {self.category}:
                    raise ValueError(f"expected the experts' amounts for category {self.category} only")
        return self

    def evaluate(self, ctx: EvalContext, path: str) -> list[LineItem]:
        return evaluate_panel(self, ctx, path)

    def sample_amounts(self, ctx: EvalContext, path: str, draws: Any) -> list[tuple[str, Any]]:
        """Monte Carlo band: the panel has no sampled input, so each category enters at its point amount."""
        return [(line.category, float(line.amount)) for line in evaluate_panel(self, ctx, path)]


def evaluate_panel(item: ExpertPanelItem, ctx: EvalContext, path: str) -> list[LineItem]:
    experts = item.inputs.experts
    p_min = ctx.store.lookup("experts.min_count", ctx.jurisdiction, ctx.on)
    if len(experts) < p_min.value:
        raise InputError(
            f"{path}.inputs.experts",
            f"at least {p_min.value} experts ([{p_min.rule}] {p_min.citation['zh']}: "
            f"{p_min.quote or p_min.reason})", f"{len(experts)} expert(s)")
    k = ctx.store.lookup("experts.outlier_mad_k", ctx.jurisdiction, ctx.on)
    cv_max = ctx.store.lookup("experts.spread_cv_max", ctx.jurisdiction, ctx.on)
    trim = ctx.store.lookup("experts.trim_fraction", ctx.jurisdiction, ctx.on)
    method = item.inputs.aggregation
    count_node = TraceNode(
        id=f"{item.id}.count", kind="decision", label={"zh": "专家人数", "en": "Number of experts"},
        formula=f"{len(experts)} ≥ {p_min.value}", result=value_spec(len(experts), "1"), rule=p_min.rule,
        children=[parameter_node(f"{item.id}.min_count", p_min)],
    )
    out: list[LineItem] = []
    for cat in experts[0].amounts:
        values = [e.amounts[cat].in_unit("元") for e in experts]
        st = aggregate(values, method, k=k.value, cv_max=cv_max.value, trim_fraction=trim.value)
        amount = to_fen(st.aggregate)
        expert_nodes = []
        for i, e in enumerate(experts):
            ep = f"{path}.inputs.experts[{i}]"
            flag = i in st.outliers
            rng = e.ranges.get(cat)
            expert_nodes.append(TraceNode(
                id=f"{item.id}.experts[{i}].{cat}", kind="input",
                label={"zh": f"专家{e.name}（{e.pool}）", "en": f"expert {e.name} ({e.pool})"},
                inputs={"amount": e.amounts[cat].spec(f"{ep}.amounts.{cat}"),
                        **({"range": value_spec(f"{rng.low.value}–{rng.high.value}", rng.low.unit, f"{ep}.ranges.{cat}")}
                           if rng else {})},
                note=({"zh": "异常值：偏离中位数超过 k×MAD（仅提示，未剔除）",
                       "en": "outlier: further than k × MAD from the median (flagged, not dropped)"} if flag else None),
            ))
        outlier_node = TraceNode(
            id=f"{item.id}.{cat}.outliers", kind="decision",
            label={"zh": "异常值判定", "en": "Outlier rule"},
            formula=f"|x − median| > k × MAD = {k.value} × {st.mad.normalize()}",
            result=value_spec(", ".join(experts[i].name for i in st.outliers) or "—"),
            rule=k.rule, children=[parameter_node(f"{item.id}.{cat}.k", k)],
        )
        spread_node = TraceNode(
            id=f"{item.id}.{cat}.spread", kind="decision",
            label={"zh": "离散度（变异系数）", "en": "Spread (coefficient of variation)"},
            formula=f"CV = sd / mean = {_q(st.cv)} {'>' if st.spread_exceeded else '≤'} {cv_max.value}",
            inputs={"min": value_spec(_q(st.minimum), "元"), "max": value_spec(_q(st.maximum), "元"),
                    "range": value_spec(_q(st.range), "元"), "sd": value_spec(_q(st.sd), "元")},
            result=value_spec(_q(st.cv), "1"), rule=cv_max.rule,
            note=({"zh": "离散度超过政策阈值，请复核专家意见", "en": "spread above the policy threshold: review the opinions"}
                  if st.spread_exceeded else None),
            children=[parameter_node(f"{item.id}.{cat}.cv_max", cv_max)],
        )
        children = [count_node, *expert_nodes, outlier_node, spread_node]
        if method == "trimmed_mean":
            children.append(parameter_node(f"{item.id}.{cat}.trim", trim))
        lid = item.id if len(experts[0].amounts) == 1 else f"{item.id}.{cat}"
        trace = TraceNode(
            id=lid, kind="formula",
            label={"zh": f"专家评估（{AGGREGATION_LABEL[method]['zh']}）：{item.label}",
                   "en": f"Expert panel ({AGGREGATION_LABEL[method]['en']}): {item.label}"},
            formula=f"{method}({', '.join(_q(v) for v in st.used)})",
            result=value_spec(fmt(amount), "元", exact=_q(st.aggregate), rounding=ROUNDING_NOTE),
            rule="SH-16", children=children,
            note={"zh": "专家意见合成规则为本软件政策默认（无法律规定）", "en": "aggregation rule: policy default (no text fixes it)"},
        )
        found = [warning(f"{path}.inputs.experts ({cat})", zh, en)
                 for w_cond, zh, en in ((st.outliers, "存在异常专家意见", "an expert opinion is an outlier"),
                                        (st.spread_exceeded, "专家意见离散度超过阈值", "expert spread above the threshold"))
                 if w_cond]
        out.append(LineItem(id=lid, category=cat, label={"zh": f"{item.label}（{BY_KEY[cat].zh}）", "en": f"{item.label} ({BY_KEY[cat].en})"},
                            amount=amount, source=path, trace=trace, warnings=found))
    return out


def _q(d: Decimal) -> str:
    """Display form of an unrounded statistic (at most 6 decimals, trailing zeros dropped; display only)."""
    s = f"{d.quantize(Decimal('0.000001'), rounding=ROUND_HALF_UP):f}"
    return s.rstrip("0").rstrip(".") if "." in s else s
