"""Punitive damages 惩罚性赔偿 (CC-1232; JS-(九); SH-26; SPC 法释〔2022〕1号).

* **Eligibility** (CC-1232, JS-(九), SH-26): 违反法律规定 **故意** 污染环境、破坏生态 **造成严重后果**.
  Three facts, each recorded with its evidence: ``intentional_violation``,
  ``pollution_or_destruction``, ``serious_consequences``.  A fact that is missing or not
  established means "not eligible: missing X" — never a guess; the award is then 0.
* **Base** = category 1 + category 2 of the ledger (JS-(九)); categories 3–5 excluded.
* **Award** = ``round_fen(base × m)``; the multiple ``m`` is an input with the reasons weighed.
  Cap: ``m ≤ punitive.multiple_cap`` (「一般不超过」2倍, SECOND-HAND, shipped ``unverified``; the trace
  says so).  ``m`` above the cap is an :class:`InputError` unless ``override.reason`` is given,
  and then the trace and the warnings flag it.
* **Fines** and criminal fines already imposed are listed beside the award, **never subtracted**
  (SH-8: 不得以罚代赔，也不得以赔代罚; CC-187: civil liability first when assets are short).
* **Several obligors**: base and award apportioned by ``obligors[].share`` (given, summing to 1
  exactly; else equal) with :func:`factors.money.allocate` (largest remainder, ties to the obligor
  listed first), so the parts add up to the fen.

:func:`check_award` answers "does this old award fit the rules in force on its date, and what would
today's rules allow?".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Sequence

from pydantic import Field

from assess.law.quantities import Money
from assess.law.valuation.base import StrictModel
from factors.errors import InputError, RuleNotInForce
from factors.money import EXACT, ROUNDING_NOTE, allocate, exact_product, fmt, to_fen
from factors.store import ParameterStore
from factors.trace import TraceNode, parameter_node, value_spec

CAP = "punitive.multiple_cap"
#: Civil Code Art. 1232 (the statutory basis) is in force from this date.
CC_1232_FROM = date(2021, 1, 1)

#: How the SPC's temporal-effect provisions (法释〔2020〕15号) treat facts before 2021-01-01.  Arts. 1 and 3
#: verbatim (66zhonglv.com/fagui/5826.html and n7o1p2.lfdnj.cn/fazhixuanchuan/63.html, both reproducing
#: the SPC text of 2020-12-29); Art. 24 not seen: it is cited as unverified, beside the verbatim clause of
#: its 2010 predecessor for the Tort Liability Law (法发〔2010〕23号 二, szmlawyers.com/showcustomer.php?id=1587).
TIME_EFFECT = [
    {"rule": "SPC-TE-1", "status": "verbatim",
     "zh": "第一条第二款：民法典施行前的法律事实引起的民事纠纷案件，适用当时的法律、司法解释的规定，但是法律、司法解释另有规定的除外。"
           "第三款：民法典施行前的法律事实持续至民法典施行后，该法律事实引起的民事纠纷案件，适用民法典的规定，但是法律、司法解释另有规定的除外。",
     "en": "Art. 1 paras. 2–3: facts before the Code → the law then in force; facts continuing past 2021-01-01 → the Code "
           "(unless law or interpretation provide otherwise)"},
    {"rule": "SPC-TE-3", "status": "verbatim",
     "zh": "第三条：民法典施行前的法律事实引起的民事纠纷案件，当时的法律、司法解释没有规定而民法典有规定的，可以适用民法典的规定，"
           "但是明显减损当事人合法权益、增加当事人法定义务或者背离当事人合理预期的除外。",
     "en": "Art. 3: where the old law was silent the Code may apply, except where it clearly increases a party's legal "
           "obligations (a punitive award does)"},
    {"rule": "SPC-TE-24", "status": "unverified",
     "zh": "第二十四条（原文未见，未核实）：侵权行为发生在民法典施行前、损害后果出现在民法典施行后的，据二手资料适用民法典；"
           "其前身法发〔2010〕23号第二条原文：侵权行为发生在侵权责任法施行前，但损害后果出现在侵权责任法施行后的民事纠纷案件，适用侵权责任法的规定。",
     "en": "Art. 24 (primary text not seen; unverified): an act before and damage after 2021-01-01 is reported to fall under the "
           "Code, as its 2010 predecessor (Fa Fa [2010] No. 23 item 2, verbatim) did for the Tort Liability Law"},
]

FACTS = ("intentional_violation", "pollution_or_destruction", "serious_consequences")
FACT_LABEL = {
    "intentional_violation": {"zh": "违反法律规定故意实施", "en": "intentional violation of law"},
    "pollution_or_destruction": {"zh": "污染环境、破坏生态", "en": "pollution of the environment or destruction of ecology"},
    "serious_consequences": {"zh": "造成严重后果", "en": "serious consequences"},
}


class Fact(StrictModel):
    established: bool
    evidence: str = Field(min_length=1, description="Evidence or finding the fact rests on 证据")


class PunitiveFacts(StrictModel):
    intentional_violation: Fact | None = None
    pollution_or_destruction: Fact | None = None
    serious_consequences: Fact | None = None


class Override(StrictModel):
    reason: str = Field(min_length=1, description="Why the multiple exceeds the usual cap (一般不超过)")


class Fine(StrictModel):
    """A fine or penalty already imposed for the same conduct (recorded, not deducted)."""

    kind: Literal["administrative_fine", "criminal_fine", "confiscation", "other"]
    amount: Money
    date: date
    authority: str = Field(min_length=1)
    reference: str | None = None


class PunitiveClaim(StrictModel):
    """The punitive-damages claim of a case (惩罚性赔偿请求)."""

    facts: PunitiveFacts
    multiple: Decimal = Field(ge=0, description="Multiple of the base (倍数), e.g. 1.5")
    reasons: list[str] = Field(min_length=1, description="Factors weighed for the multiple (恶意程度、后果、获利、修复 …)")
    override: Override | None = None
    fines: list[Fine] = Field(default_factory=list)


@dataclass
class ObligorShare:
    obligor: str
    share: Decimal
    base: Decimal
    award: Decimal


@dataclass
class PunitiveResult:
    eligible: bool
    missing: list[str]
    base: Decimal
    multiple: Decimal
    cap: Decimal | None
    cap_kind: str
    award: Decimal
    over_cap: bool
    override_reason: str | None
    shares: list[ObligorShare]
    fines: list[dict[str, Any]]
    trace: TraceNode
    warnings: list[dict[str, str]] = field(default_factory=list)
    available: bool = True                       # False before Civil Code Art. 1232 was in force
    finding: dict[str, str] | None = None        # "not available …" / "no cap in force …"
    on: date | None = None                       # the governing date (law_dates.punitive, else the act)

    def to_dict(self) -> dict[str, Any]:
        return {
            "available": self.available,
            "finding": self.finding,
            "governing_date": self.on.isoformat() if self.on else None,
            "eligible": self.eligible,
            "missing": self.missing,
            "base": fmt(self.base),
            "multiple": str(self.multiple),
            "cap": None if self.cap is None else str(self.cap),
            "cap_kind": self.cap_kind,
            "award": fmt(self.award),
            "over_cap": self.over_cap,
            "override_reason": self.override_reason,
            "apportionment": [{"obligor": s.obligor, "share": str(s.share), "base": fmt(s.base), "award": fmt(s.award)}
                              for s in self.shares],
            "fines_not_deducted": self.fines,
        }


def obligor_weights(obligors: Sequence[Any]) -> tuple[list[Decimal], dict[str, Any]]:
    """The weights to apportion by, and how they are shown: given shares, quantities, or equal shares.

    Quantities (tonnes mined, volume discharged, days) are converted exactly to the first obligor's unit
    and used as they are: ``allocate`` splits by ``q_i / Σq`` in exact fractions, so no pre-divided
    decimal can shift a share by a fen.
    """
    if all(o.share is not None for o in obligors):
        return [o.share for o in obligors], {"source": "obligors[].share"}
    if all(getattr(o, "quantity", None) is not None for o in obligors):
        unit = obligors[0].quantity.unit
        qs = [o.quantity.in_unit(unit) for o in obligors]
        return qs, {"source": "obligors[].quantity", "unit": unit, "total": sum(qs, Decimal(0)),
                    "basis": next((o.quantity_basis for o in obligors if getattr(o, "quantity_basis", None)), None)}
    return [Decimal(1)] * len(obligors), {"source": "equal shares (default)"}


def obligor_shares(obligors: Sequence[Any]) -> list[tuple[str, Decimal]]:
    """(id, share) per obligor: the given shares, shares by quantity, or equal shares (60-digit exact division)."""
    if not obligors:
        return []
    weights, _ = obligor_weights(obligors)
    total = sum(weights, Decimal(0))
    return [(o.id, EXACT.divide(w, total)) for o, w in zip(obligors, weights, strict=True)]


def compute_punitive(claim: PunitiveClaim, base: Decimal, obligors: Sequence[Any], jurisdiction: str,
                     on: date, store: ParameterStore, path: str = "punitive") -> PunitiveResult:
    fact_nodes = []
    missing = []
    for name in FACTS:
        fact: Fact | None = getattr(claim.facts, name)
        ok = bool(fact and fact.established)
        if not ok:
            missing.append(name)
        fact_nodes.append(TraceNode(
            id=f"punitive.facts.{name}", kind="input", label=FACT_LABEL[name],
            inputs={"established": value_spec("yes" if ok else ("no" if fact else "missing"), None, f"{path}.facts.{name}")},
            note={"zh": f"证据：{fact.evidence}", "en": f"evidence: {fact.evidence}"} if fact else None,
        ))
    eligibility = TraceNode(
        id="punitive.eligibility", kind="decision", label={"zh": "惩罚性赔偿适用条件", "en": "Eligibility for punitive damages"},
        formula="intentional_violation ∧ pollution_or_destruction ∧ serious_consequences",
        result=value_spec("eligible" if not missing else "not eligible: missing " + ", ".join(missing)),
        rule="CC-1232", children=fact_nodes,
        note={"zh": "违反法律规定故意污染环境、破坏生态造成严重后果（民法典第一千二百三十二条；江苏（九）；上海第二十六条）",
              "en": "intentional violation of law polluting or destroying, with serious consequences (CC 1232; JS-(九); SH-26)"},
    )
    base_node = TraceNode(
        id="punitive.base", kind="formula", label={"zh": "惩罚性赔偿基数", "en": "Punitive base"},
        formula="category (1) + category (2)", result=value_spec(fmt(base), "元"), rule="JS-(九)",
        note={"zh": "以服务功能丧失损失、永久性损害损失数额作为计算基数（江苏（九））",
              "en": "base = interim service loss + permanent loss (JS-(九)); categories 3–5 excluded"},
    )
    fines = [{"kind": f.kind, "amount": fmt(to_fen(f.amount.in_unit("元"))), "date": f.date.isoformat(),
              "authority": f.authority, "reference": f.reference} for f in claim.fines]
    fines_node = TraceNode(
        id="punitive.fines", kind="note", label={"zh": "已处罚款、罚金（不扣减）", "en": "Fines already imposed (not deducted)"},
        inputs={f"fines[{i}]": value_spec(x["amount"], "元", f"{path}.fines[{i}].amount", kind=x["kind"])
                for i, x in enumerate(fines)},
        rule="SH-8",
        note={"zh": "罚款、罚金单列，供酌定倍数时考量，不从赔偿额中扣减（不得以罚代赔，也不得以赔代罚）",
              "en": "listed beside the award and weighed for the multiple, never subtracted (SH-8; CC-187)"},
    )
    warnings: list[dict[str, str]] = []
    if on < CC_1232_FROM:
        finding = {"zh": "不适用：民法典第一千二百三十二条尚未施行（自2021年1月1日起施行）",
                   "en": "not available: Civil Code Art. 1232 not yet in force (in force from 2021-01-01)"}
        te_label = {"zh": "民法典时间效力", "en": "Temporal effect of the Code"}
        te_nodes = [TraceNode(id=f"punitive.time_effect.{x['rule']}", kind="note", label=te_label,
                              rule=x["rule"], note={"zh": x["zh"], "en": x["en"] + f" [{x['status']}]"}) for x in TIME_EFFECT]
        award_node = TraceNode(
            id="punitive.award", kind="decision", label={"zh": "惩罚性赔偿金", "en": "Punitive award"},
            inputs={"governing_date": value_spec(on.isoformat(), None, "law_dates.punitive / dates.incident")},
            result=value_spec("0.00", "元"), rule="CC-1232",
            note={"zh": finding["zh"] + "。行为在此之前、损害后果在此之后，或行为持续至此之后的，适用日期属判断问题："
                        "请在 law_dates.punitive 中说明日期和理由",
                  "en": finding["en"] + ". Where the act came before that day and the damage after it, or the act continued "
                        "past it, the governing date is a judgment call: state it with a reason in law_dates.punitive"},
            children=[*te_nodes, fines_node],
        )
        warnings.append({"path": "punitive", **finding})
        return PunitiveResult(False, [], base, claim.multiple, None, "none", Decimal("0.00"), False, None, [], fines,
                              award_node, warnings, available=False, finding=finding, on=on)
    try:
        cap = store.lookup(CAP, jurisdiction, on)
    except RuleNotInForce:
        cap = None
    over = cap is not None and claim.multiple > cap.value
    if missing:
        award = Decimal("0.00")
        award_node = TraceNode(
            id="punitive.award", kind="decision", label={"zh": "惩罚性赔偿金", "en": "Punitive award"},
            result=value_spec(fmt(award), "元"), rule="CC-1232",
            note={"zh": "不适用：缺少 " + "、".join(FACT_LABEL[m]["zh"] for m in missing),
                  "en": "not eligible: missing " + ", ".join(missing)},
            children=[eligibility, base_node, fines_node],
        )
        return PunitiveResult(False, missing, base, claim.multiple, cap.value if cap else None, cap.kind if cap else "none",
                              award, over, None, [], fines, award_node, warnings, on=on)
    if over and claim.override is None:
        raise InputError(
            f"{path}.multiple",
            f"a multiple ≤ {cap.value} ([{cap.rule}] 一般不超过{cap.value}倍, {cap.kind}) or {path}.override.reason "
            f"stating why this case exceeds it", str(claim.multiple))
    if cap is None:
        finding = {"zh": f"{on}无倍数上限：民法典第一千二百三十二条只规定“相应的惩罚性赔偿”，未定倍数；"
                         "法释〔2022〕1号（2022年1月20日起施行）尚未施行。按“基数×倍数”计算是使用者的选择",
                   "en": f"no multiple cap in force on {on}: Civil Code Art. 1232 grants 'corresponding punitive damages' with no "
                         "multiple; Fa Shi [2022] No. 1 (from 2022-01-20) not yet in force. base × multiple is the user's method"}
        cap_node = TraceNode(
            id="punitive.cap", kind="decision", label={"zh": "倍数上限判断", "en": "Multiple against the cap"},
            formula=f"m = {claim.multiple}; no cap in force", result=value_spec("no cap in force"), rule="CC-1232",
            inputs={"m": value_spec(claim.multiple, "1", f"{path}.multiple", reasons="; ".join(claim.reasons))},
            note=finding)
        warnings.append({"path": f"{path}.multiple", **finding})
    else:
        finding = None
        cap_node = _cap_node(claim, cap, over, path)
    if over:
        warnings.append({"path": f"{path}.multiple", "zh": f"倍数{claim.multiple}超过一般上限{cap.value}（已说明理由）",
                         "en": f"multiple {claim.multiple} above the usual cap {cap.value} (override with a reason)"})
    if cap is not None and cap.kind == "unverified":
        warnings.append({"path": f"{path}.multiple", "zh": "倍数上限来自二手资料，未经原文核实",
                         "en": "the multiple cap is second-hand (unverified against the primary text)"})
    return _award(claim, base, obligors, cap, over, eligibility, base_node, cap_node, fines_node, fines, warnings,
                  finding, on)


def _cap_node(claim: PunitiveClaim, cap: Any, over: bool, path: str) -> TraceNode:
    return TraceNode(
        id="punitive.cap", kind="decision", label={"zh": "倍数上限判断", "en": "Multiple against the cap"},
        formula=f"m = {claim.multiple} {'>' if over else '≤'} {cap.value}",
        result=value_spec("above the cap (override)" if over else "within the cap"), rule=cap.rule,
        inputs={"m": value_spec(claim.multiple, "1", f"{path}.multiple", reasons="; ".join(claim.reasons))},
        note=({"zh": f"超过一般上限，理由：{claim.override.reason}", "en": f"above the usual cap; override reason: {claim.override.reason}"}
              if over else None),
        children=[parameter_node("punitive.multiple_cap", cap)],
    )


def _award(claim: PunitiveClaim, base: Decimal, obligors: Sequence[Any], cap: Any, over: bool, eligibility: TraceNode,
           base_node: TraceNode, cap_node: TraceNode, fines_node: TraceNode, fines: list[dict[str, Any]],
           warnings: list[dict[str, str]], finding: dict[str, str] | None, on: date) -> PunitiveResult:
    exact = exact_product(base, claim.multiple)
    award = to_fen(exact)
    shares: list[ObligorShare] = []
    share_nodes = []
    pairs = obligor_shares(obligors)
    if pairs:
        weights, how = obligor_weights(obligors)
        base_parts = allocate(base, weights)
        award_parts = allocate(award, weights)
        for k, ((oid, s), b, a) in enumerate(zip(pairs, base_parts, award_parts, strict=True)):
            shares.append(ObligorShare(oid, s, b, a))
            if how["source"] == "obligors[].quantity":
                shown = value_spec(f"{weights[k]}/{how['total']}", "1", f"obligors[{k}].quantity ({how['unit']})")
                formula = "allocate(award, q_i / Σq): largest remainder, ties to the obligor listed first"
            else:
                given = how["source"] == "obligors[].share"
                shown = value_spec(s if given else f"1/{len(pairs)}", "1", how["source"])
                formula = "allocate(award, shares): largest remainder, ties to the obligor listed first"
            share_nodes.append(TraceNode(
                id=f"punitive.apportion.{oid}", kind="formula", label={"zh": f"义务人 {oid} 分担", "en": f"obligor {oid} share"},
                formula=formula, inputs={"share": shown},
                result=value_spec(fmt(a), "元", base=fmt(b)), rule="CC-1231",
                note=({"zh": f"按数量分担；数量依据：{how['basis']}", "en": f"apportioned by quantity; basis: {how['basis']}"}
                      if how.get("basis") else None),
            ))
    award_node = TraceNode(
        id="punitive.award", kind="formula", label={"zh": "惩罚性赔偿金", "en": "Punitive award"},
        formula=f"base × m = {fmt(base)} × {claim.multiple}",
        result=value_spec(fmt(award), "元", exact=str(exact.normalize()), rounding=ROUNDING_NOTE),
        rule="SPC-PUN-12" if cap is not None else "CC-1232", children=[eligibility, base_node, cap_node, fines_node, *share_nodes],
        note=({"zh": "计算方法“基数×倍数”及上限为二手资料（法释〔2022〕1号原文未见）",
               "en": "base × multiple and the cap are second-hand (primary text of Fa Shi [2022] No. 1 not seen)"}
              if cap is not None else finding),
    )
    return PunitiveResult(True, [], base, claim.multiple, cap.value if cap else None, cap.kind if cap else "none", award,
                          over, claim.override.reason if claim.override else None, shares, fines, award_node, warnings,
                          finding=finding, on=on)


def check_award(base: Decimal, multiple: Decimal, on: date, jurisdiction: str, store: ParameterStore,
                today: date | None = None) -> dict[str, Any]:
    """Check a historic award (base × multiple on date ``on``) against the rules then and now."""
    today = today or date.today()

    def under(d: date) -> dict[str, Any]:
        out: dict[str, Any] = {"date": d.isoformat(), "statutory_basis": d >= CC_1232_FROM}
        if d < CC_1232_FROM:
            out["finding"] = {"zh": "民法典第一千二百三十二条尚未施行，生态环境侵权惩罚性赔偿无此法律依据",
                              "en": "Civil Code Art. 1232 not yet in force: no statutory basis for eco-tort punitive damages"}
            return out
        try:
            cap = store.lookup(CAP, jurisdiction, d)
        except RuleNotInForce:
            out["cap"] = None
            out["finding"] = {"zh": "民法典第一千二百三十二条已施行，但司法解释（法释〔2022〕1号）尚未施行，无倍数上限",
                              "en": "CC Art. 1232 in force but no SPC interpretation (Fa Shi [2022] No. 1) yet: no multiple cap"}
            out["fits"] = True
            return out
        fits = multiple <= cap.value
        out.update(cap=str(cap.value), cap_kind=cap.kind, rule=cap.rule, fits=fits,
                   max_award=fmt(to_fen(exact_product(base, cap.value))))
        out["finding"] = (
            {"zh": f"倍数{multiple}不超过上限{cap.value}", "en": f"multiple {multiple} within the cap {cap.value}"} if fits else
            {"zh": f"倍数{multiple}超过一般上限{cap.value}，须有特别理由",
             "en": f"multiple {multiple} above the usual cap {cap.value}: needs a stated reason"})
        return out

    return {"base": fmt(base), "multiple": str(multiple), "award": fmt(to_fen(exact_product(base, multiple))),
            "jurisdiction": jurisdiction, "then": under(on), "now": under(today),
            "note": {"zh": "倍数上限为二手资料（unverified）", "en": "the cap is a second-hand figure (unverified)"}}
