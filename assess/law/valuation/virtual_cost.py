"""Virtual treatment cost 虚拟治理成本法 (GB/T 39793.2-2020; older 环办〔2014〕90号 multiplier method).

``D = E × C × γ`` (formula SECOND-HAND, law_and_methods.md §3.2): E the quantity discharged [t or
m³], C the unit treatment cost [元/t or 元/m³, matching E; t ↔ m³ only with a given density], γ the
adjustment coefficient.  γ is UNVERIFIED: no table is shipped (the data entry has no value and
says "γ table of GB/T 39793.2-2020 not transcribed: pass gamma"), so the user gives γ with its
basis.  The older recommended method uses a multiplier k instead of γ, inside the range of the
receiving environment's function class: the range comes from a cited parameter where one exists
(surface water III, 4.5–6, SECOND-HAND), otherwise the user gives it with its basis.

The version follows the damage date (GB/T 39793.2 transition clause, VERIFIED): damage before
2021-01-01 falls under 环办政法函〔2017〕1488号; the tool flags it and the user picks
(``method_version``).  The ledger category is the case's choice (law_and_methods.md §5 item 13):
usually 4, or 1/2 where the assessment uses the amount as the loss measure; the trace names it.

E × C may instead be given as one amount, ``treatment_cost`` with ``treatment_cost_basis`` (the report's
figure when only that is available, issue 14 §2); the trace shows it as an input citing its basis, and
``(E × C) × γ`` is computed from it.

Money: ``E × C × γ`` is computed exactly in Decimal from the typed strings (units converted with
exact rational factors) and rounded once to the fen.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from assess.law.categories import BY_KEY
from assess.law.quantities import AnyQty, Money, Num, Qty, convert_exact
from assess.law.valuation.base import DamageItemBase, Draws, EvalContext, LineItem, StrictModel, warning
from assess.law.valuation.common import Coefficient, category_node, check_category, damage_date
from factors.errors import InputError, RuleNotInForce, UnitError
from factors.money import EXACT, ROUNDING_NOTE, Decimals, Fen, exact_product, fmt, product_fen
from factors.money import plain, to_fen
from factors.trace import TraceNode, parameter_node, value_spec
from factors.units import check_dimension

CATEGORIES = ("remediation_costs", "interim_service_loss", "permanent_loss")
PROVENANCE = {
    "actual_survey": {"zh": "实际调查法", "en": "actual survey"},
    "cost_function": {"zh": "成本函数法", "en": "cost function"},
    "reference_cost": {"zh": "参考治理费用法", "en": "reference treatment cost"},
    "literature": {"zh": "文献资料", "en": "literature"},
}
VERSIONS = {
    "gbt39793_2_2020": ("GBT39793.2", {"zh": "GB/T 39793.2-2020", "en": "GB/T 39793.2-2020"}),
    "hbzf_2017_1488": ("HBZF2017-VTC", {"zh": "环办政法函〔2017〕1488号说明", "en": "2017 note No. 1488"}),
    "hb_2014_90": ("HB2014-VTC", {"zh": "环办〔2014〕90号推荐方法", "en": "Huan Ban [2014] No. 90 recommended method"}),
}
CUTOVER_NOTE = {
    "zh": "损害发生于2021年1月1日之前：依GB/T 39793.2-2020过渡条款，适用《关于虚拟治理成本法适用情形与计算方法的说明》"
          "（环办政法函〔2017〕1488号）；持续至该日之后的损害如何适用，原文缺失（未核实），由使用者在 method_version 中选择",
    "en": "damage before 2021-01-01: under the GB/T 39793.2-2020 transition clause the 2017 note (环办政法函〔2017〕1488号) "
          "applies; the rule for damage continuing past that date is not known (UNVERIFIED): pick it in method_version",
}


class MultiplierRange(StrictModel):
    """A multiplier range given by the user where no cited parameter has one."""

    low: Num = Field(ge=0)
    high: Num | None = Field(default=None, description="Upper bound; omit for an open end (e.g. class I '>8')")
    basis: str = Field(min_length=1, description="The text the range comes from")

    @model_validator(mode="after")
    def _order(self) -> "MultiplierRange":
        if self.high is not None and self.high < self.low:
            raise ValueError(f"expected low ≤ high, got {self.low} > {self.high}")
        return self


class Recommended2014(StrictModel):
    """The older recommended method: VTC × a sensitivity multiplier inside a range (环办〔2014〕90号)."""

    multiplier: Coefficient
    receiving_environment: Literal["surface_water", "ambient_air", "groundwater", "soil", "other"]
    function_class: str = Field(min_length=1, description="Surface water I–V; ambient air 1 or 2 (功能区)")
    range: MultiplierRange | None = Field(default=None, description="Required where no cited range exists")


class VirtualCostInputs(StrictModel):
    quantity: AnyQty | None = Field(default=None, description="E, quantity discharged (t or m³)")
    unit_cost: Qty | None = Field(default=None, description="C, unit treatment cost (元/t or 元/m³)")
    unit_cost_provenance: Literal["actual_survey", "cost_function", "reference_cost", "literature"] | None = Field(
        default=None, description="How C was obtained: 实际调查法 / 成本函数法 / 参考治理费用法 / literature")
    treatment_cost: Money | None = Field(
        default=None, description="E × C given as one amount 治理成本 (already computed in a report), instead of E and C")
    treatment_cost_basis: str | None = Field(
        default=None, min_length=1, description="治理成本依据 The report or judgment (and page) that states E × C")
    unit_cost_basis: str | None = Field(default=None, description="Survey, invoice or report section behind C")
    density: Qty | None = Field(default=None, description="Density (e.g. t/m³) to convert between t and m³")
    gamma: Coefficient | None = Field(default=None, description="γ with its basis (GB/T 39793.2-2020)")
    recommended_2014: Recommended2014 | None = None
    method_version: Literal["gbt39793_2_2020", "hbzf_2017_1488", "hb_2014_90"] | None = Field(
        default=None, description="Version applied (required reading for damage before 2021-01-01)")
    damage_date: date | None = Field(default=None, description="Default: the case's dates.incident")

    @field_validator("quantity")
    @classmethod
    def _mass_or_volume(cls, q: Qty | None) -> Qty | None:
        if q is not None:
            basis_of(q.unit, "t", "m³", "a mass (t, kg) or a volume (m³, L)")
        return q

    @field_validator("unit_cost")
    @classmethod
    def _cost(cls, q: Qty | None) -> Qty | None:
        if q is None:
            return q
        basis_of(q.unit, "元/t", "元/m³", "a cost per mass or per volume (元/t, 元/m³)")
        if q.lowest() < 0:
            raise ValueError(f"expected a non-negative unit cost, got {q.lowest()}")
        return q

    @field_validator("density")
    @classmethod
    def _density(cls, q: Qty | None) -> Qty | None:
        if q is not None:
            basis_of(q.unit, "t/m³", "t/m³", "a density (t/m³, kg/L)")
            if q.lowest() <= 0:
                raise ValueError(f"expected a density > 0, got {q.lowest()}")
        return q

    @model_validator(mode="after")
    def _e_and_c_or_one_amount(self) -> "VirtualCostInputs":
        parts = {"quantity": self.quantity, "unit_cost": self.unit_cost, "unit_cost_provenance": self.unit_cost_provenance}
        if self.treatment_cost is not None:
            given = [k for k, v in {**parts, "density": self.density}.items() if v is not None]
            if given:
                raise ValueError(f"expected either treatment_cost (E × C as one amount) or quantity and unit_cost, "
                                 f"not both (also given: {', '.join(given)})")
            if not self.treatment_cost_basis:
                raise ValueError("expected treatment_cost_basis: the report or judgment that states E × C")
            if self.treatment_cost.lowest() < 0:
                raise ValueError(f"expected a non-negative treatment_cost, got {self.treatment_cost.lowest()}")
            return self
        missing = [k for k, v in parts.items() if v is None]
        if missing:
            raise ValueError(f"expected quantity (E), unit_cost (C) and unit_cost_provenance, or treatment_cost (E × C as "
                             f"one amount) with treatment_cost_basis; missing: {', '.join(missing)}")
        if self.treatment_cost_basis is not None:
            raise ValueError("expected treatment_cost_basis only with treatment_cost")
        return self

    @model_validator(mode="after")
    def _one_coefficient(self) -> "VirtualCostInputs":
        if self.gamma is not None and self.recommended_2014 is not None:
            raise ValueError("expected either gamma (GB/T 39793.2-2020) or recommended_2014 (multiplier), not both")
        wants_2014 = self.method_version == "hb_2014_90"
        if self.method_version and wants_2014 != (self.recommended_2014 is not None) and (
                self.gamma is not None or self.recommended_2014 is not None):
            raise ValueError("method_version hb_2014_90 goes with recommended_2014; the other versions with gamma")
        return self


def basis_of(unit: str, first: str, second: str, expected: str) -> str:
    for target in (first, second):
        try:
            check_dimension(unit, target, "unit")
            return target
        except UnitError:
            continue
    raise ValueError(f"expected {expected}, got {unit!r}")


class VirtualCostItem(DamageItemBase):
    """A damage item valued by the virtual treatment cost method."""

    method: Literal["virtual_treatment_cost"]
    inputs: VirtualCostInputs

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        return check_category(v, CATEGORIES, "virtual-treatment-cost")

    def evaluate(self, ctx: EvalContext, path: str) -> list[LineItem]:
        return [evaluate_vtc(self, ctx, path)]

    def sample_amounts(self, ctx: EvalContext, path: str, draws: Draws) -> list[tuple[str, Any]]:
        from methods.virtual_cost import virtual_treatment_cost, virtual_treatment_cost_2014

        inp, ip = self.inputs, f"{path}.inputs"
        e, c = _quantities_for_kernel(inp, ip, draws)
        if inp.recommended_2014 is not None:
            low, high, _, _ = _range(self, ctx, path, [])
            k = draws.value(inp.recommended_2014.multiplier, f"{ip}.recommended_2014.multiplier")
            return [(self.category, virtual_treatment_cost_2014(e, c, k, (float(low), _float_or_inf(high))))]
        g = draws.value(_gamma(self, ctx, path), f"{ip}.gamma")
        return [(self.category, virtual_treatment_cost(e, c, g))]


# -- units --------------------------------------------------------------------------------------

def _route(inp: VirtualCostInputs, ip: str) -> tuple[str, str]:
    """(basis of C: 't' or 'm³', unit to read E in); density needed when they differ."""
    basis = basis_of(inp.unit_cost.unit, "元/t", "元/m³", "")[2:]
    e_dim = basis_of(inp.quantity.unit, "t", "m³", "")
    if e_dim != basis and inp.density is None:
        raise UnitError(f"{ip}.quantity.unit",
                        f"a quantity in {'mass (t)' if basis == 't' else 'volume (m³)'} to match unit_cost per "
                        f"{basis}, or inputs.density to convert {e_dim} → {basis}", inp.quantity.unit)
    return basis, e_dim


def _exact_quantity(inp: VirtualCostInputs, ip: str) -> tuple[Decimal, str]:
    basis, e_dim = _route(inp, ip)
    e = inp.quantity.in_unit(e_dim)
    if e_dim == basis:
        return e, basis
    rho = inp.density.in_unit("t/m³")
    return (EXACT.multiply(e, rho) if basis == "t" else EXACT.divide(e, rho)), basis


def _quantities_for_kernel(inp: VirtualCostInputs, ip: str, draws: Draws) -> tuple[Any, Any]:
    if inp.treatment_cost is not None:   # E × C given as one amount: the kernel's E is that amount, C is 1
        return draws.qty(inp.treatment_cost, f"{ip}.treatment_cost", "元"), 1.0
    basis, e_dim = _route(inp, ip)
    e = draws.qty(inp.quantity, f"{ip}.quantity", e_dim)
    if e_dim != basis:
        rho = draws.qty(inp.density, f"{ip}.density", "t/m³")
        e = e * rho if basis == "t" else e / rho
    return e, draws.qty(inp.unit_cost, f"{ip}.unit_cost", f"元/{basis}")


def _float_or_inf(x: Decimal | None) -> float:
    return float("inf") if x is None else float(x)


# -- coefficient --------------------------------------------------------------------------------

def _gamma(item: VirtualCostItem, ctx: EvalContext, path: str) -> Coefficient:
    if item.inputs.gamma is not None:
        return item.inputs.gamma
    try:  # the shipped entry has no value: this raises with "γ table … not transcribed: pass gamma"
        p = ctx.store.lookup("vtc.gbt39793_2.gamma", ctx.jurisdiction, damage_date(ctx, item.inputs.damage_date))
    except RuleNotInForce as exc:
        raise InputError(f"{path}.inputs.gamma", f"gamma {{value, basis}} ({exc})") from None
    return Coefficient(value=p.value, basis=p.citation["zh"])  # pragma: no cover - no value is shipped


def _range(item: VirtualCostItem, ctx: EvalContext, path: str,
           notes: list[dict[str, str]]) -> tuple[Decimal, Decimal | None, list[TraceNode], str]:
    """(low, high, parameter nodes, source text) of the 2014 multiplier range."""
    rec = item.inputs.recommended_2014
    rp = f"{path}.inputs.recommended_2014"
    on = damage_date(ctx, item.inputs.damage_date)
    names = [f"vtc.hb2014.multiplier.{rec.receiving_environment}.{rec.function_class}.{end}" for end in ("low", "high")]
    params, missing = None, "no cited parameter for this receiving environment and class"
    if all(n in ctx.store.params for n in names):
        try:
            params = [ctx.store.lookup(n, ctx.jurisdiction, on) for n in names]
        except RuleNotInForce as exc:
            missing = str(exc)
    if rec.range is not None:
        if params is not None:
            notes.append(warning(f"{rp}.range", "使用者给出的倍数范围取代了参数库中的未核实（二手）范围",
                                 "the user's multiplier range overrides the unverified (second-hand) range in data/"))
        src = f"user-supplied range: {rec.range.basis}"
        node = TraceNode(id=f"{item.id}.range", kind="input", label={"zh": "倍数范围（使用者提供）", "en": "Multiplier range (user-supplied)"},
                         inputs={"low": value_spec(rec.range.low, "1", f"{rp}.range.low"),
                                 "high": value_spec(rec.range.high if rec.range.high is not None else "∞", "1", f"{rp}.range.high"),
                                 "basis": value_spec(rec.range.basis, None, f"{rp}.range.basis")})
        return rec.range.low, rec.range.high, [node], src
    if params is None:
        raise InputError(f"{rp}.range", "a multiplier range {low, high, basis}: no verified range for "
                         f"{rec.receiving_environment} class {rec.function_class} ({missing})")
    src = f"{params[0].citation['zh']}, {rec.receiving_environment} {rec.function_class} ({params[0].kind})"
    return params[0].value, params[1].value, [parameter_node(f"{item.id}.range.{e}", p) for e, p in zip(("low", "high"), params, strict=False)], src


def _check_in_range(coef: Coefficient, low: Decimal, high: Decimal | None, cp: str, src: str) -> None:
    def bad(x: Decimal) -> bool:
        return x < low or (high is not None and x > high)

    rng = f"[{low}, {'∞' if high is None else high}] ({src})"
    if bad(coef.value):
        raise InputError(f"{cp}.value", f"a multiplier in {rng}", str(coef.value))
    if coef.distribution is not None:
        lo, hi = coef.distribution.bounds()
        if (lo is not None and bad(lo)) or hi is None or bad(hi):
            raise InputError(f"{cp}.distribution", f"a distribution inside {rng}")


# -- the amount ---------------------------------------------------------------------------------

def vtc_fen(quantity: Decimals, unit_cost: Decimals, coefficient: Decimals,
            quantity_factor: Fraction = Fraction(1), unit_cost_factor: Fraction = Fraction(1)) -> Fen:
    """``round(E × C × γ)`` (or ``× k``, 2014 method) in fen, one amount per element.

    E in t or m³ and C in 元 per the same basis once converted: ``quantity_factor`` and
    ``unit_cost_factor`` are the exact unit factors (one per column; 1 when already converted, as
    the single case passes them).  The product is exact and rounded once to the fen, half-up.
    """
    def exact(i: int) -> Decimal:
        return exact_product(convert_exact(quantity.dec(i), quantity_factor), convert_exact(unit_cost.dec(i), unit_cost_factor),
                             coefficient.dec(i))

    return product_fen([quantity, unit_cost, coefficient], quantity_factor * unit_cost_factor, exact)


# -- evaluation ---------------------------------------------------------------------------------

def _version_nodes(item: VirtualCostItem, ctx: EvalContext, path: str, notes: list[dict[str, str]]) -> tuple[str, list[TraceNode]]:
    inp = item.inputs
    on = damage_date(ctx, inp.damage_date)
    p = ctx.store.lookup("vtc.method_version", ctx.jurisdiction, on)
    by_date = "gbt39793_2_2020" if p.value == 2020 else "hbzf_2017_1488"
    chosen = inp.method_version or ("hb_2014_90" if inp.recommended_2014 is not None else by_date)
    vp = f"{path}.inputs.method_version"
    if by_date == "hbzf_2017_1488" and inp.method_version is None:
        notes.append(warning(vp, CUTOVER_NOTE["zh"], CUTOVER_NOTE["en"]))
    elif by_date == "gbt39793_2_2020" and chosen != by_date:
        notes.append(warning(vp, f"损害发生日 {on} 已适用 GB/T 39793.2-2020，案件选择了 {VERSIONS[chosen][1]['zh']}",
                             f"damage on {on} falls under GB/T 39793.2-2020; the case chose {VERSIONS[chosen][1]['en']}"))
    decision = TraceNode(
        id=f"{item.id}.version", kind="decision",
        label={"zh": f"适用版本：{VERSIONS[chosen][1]['zh']}", "en": f"Version applied: {VERSIONS[chosen][1]['en']}"},
        inputs={"damage_date": value_spec(on.isoformat(), None, f"{path}.inputs.damage_date" if inp.damage_date else "dates.incident"),
                "method_version": value_spec(inp.method_version or "(not given)", None, vp)},
        rule=VERSIONS[chosen][0],
        note=CUTOVER_NOTE if by_date == "hbzf_2017_1488" else
        {"zh": "损害发生于2021年1月1日或之后：GB/T 39793.2-2020", "en": "damage on or after 2021-01-01: GB/T 39793.2-2020"},
        children=[parameter_node(f"{item.id}.version.by_date", p)],
    )
    return chosen, [decision]


def evaluate_vtc(item: VirtualCostItem, ctx: EvalContext, path: str) -> LineItem:
    inp, ip = item.inputs, f"{path}.inputs"
    notes: list[dict[str, str]] = []
    version, children = _version_nodes(item, ctx, path, notes)
    inputs: dict[str, Any] = {}
    if inp.treatment_cost is not None:   # E × C stated as one amount (a report's figure)
        e, c, basis = inp.treatment_cost.in_unit("元"), Decimal(1), None
        spec = inp.treatment_cost.spec(f"{ip}.treatment_cost")
        spec["basis"] = inp.treatment_cost_basis
        inputs["E×C"] = spec
    else:
        e, basis = _exact_quantity(inp, ip)
        c = inp.unit_cost.in_unit(f"元/{basis}")
        inputs["E"] = inp.quantity.spec(f"{ip}.quantity")
        if basis != basis_of(inp.quantity.unit, "t", "m³", ""):
            inputs["density"] = inp.density.spec(f"{ip}.density")
            inputs["E_converted"] = value_spec(plain(e), basis)
        c_spec = inp.unit_cost.spec(f"{ip}.unit_cost")
        c_spec["provenance"] = PROVENANCE[inp.unit_cost_provenance]["zh"] + " / " + PROVENANCE[inp.unit_cost_provenance]["en"]
        if inp.unit_cost_basis:
            c_spec["basis"] = inp.unit_cost_basis
        inputs["C"] = c_spec
    if inp.recommended_2014 is not None:
        low, high, range_nodes, src = _range(item, ctx, path, notes)
        coef, sym = inp.recommended_2014.multiplier, "k"
        cp = f"{ip}.recommended_2014.multiplier"
        _check_in_range(coef, low, high, cp, src)
        children += range_nodes
        children.append(TraceNode(
            id=f"{item.id}.multiplier", kind="decision",
            label={"zh": "所选倍数（在范围内）", "en": "Chosen multiplier (inside the range)"},
            formula=f"{low} ≤ {coef.value} ≤ {'∞' if high is None else high}",
            inputs={"k": coef.spec(cp)}, rule="HB2014-VTC"))
        formula, rule = "E × C × k", "HB2014-VTC"
    else:
        coef, sym, cp = _gamma(item, ctx, path), "γ", f"{ip}.gamma"
        formula, rule = "E × C × γ", VERSIONS[version][0]
    inputs[sym] = coef.spec(cp)
    ec = exact_product(e, c)
    if basis is None:
        formula = formula.replace("E × C", "(E × C)")
        children.insert(0, TraceNode(   # E × C as the report states it: an input leaf citing its basis
            id=f"{item.id}.e_times_c", kind="input",
            label={"zh": "治理成本 E × C（报告所列金额）", "en": "Treatment cost E × C (the amount a report states)"},
            inputs={"E×C": inputs["E×C"]},
            result=value_spec(fmt(to_fen(ec)), "元", exact=plain(ec),
                              rounding="shown to the fen; the amount uses the exact figure"),
            rule=rule, note={"zh": f"治理成本按一个金额给出（未另列 E 与 C）；依据：{inp.treatment_cost_basis}",
                             "en": f"E × C given as one amount (no separate E and C); basis: {inp.treatment_cost_basis}"}))
    else:
        children.insert(0, TraceNode(   # the intermediate a report or judgment prints: E × C before the coefficient
            id=f"{item.id}.e_times_c", kind="formula",
            label={"zh": "治理成本 E × C（未乘调整系数）", "en": "Treatment cost E × C (before the coefficient)"},
            formula=f"E × C = {plain(e)} {basis} × {plain(c)} 元/{basis}",
            inputs={"E": value_spec(plain(e), basis, f"{ip}.quantity"), "C": value_spec(plain(c), f"元/{basis}", f"{ip}.unit_cost")},
            result=value_spec(fmt(to_fen(ec)), "元", exact=plain(ec),
                              rounding="shown to the fen; the amount uses the exact product"),
            rule=rule))
    exact = exact_product(e, c, coef.value)
    amount = vtc_fen(Decimals.of([e]), Decimals.of([c]), Decimals.of([coef.value])).amount()
    gamma_note = None if sym == "k" else {
        "zh": "GB/T 39793.2-2020 的调整系数表未转录：γ 由使用者提供并注明依据（未核实）",
        "en": "the γ table of GB/T 39793.2-2020 is not transcribed: γ is user-supplied with its basis (UNVERIFIED)"}
    children.append(category_node(f"{item.id}.category", item.category, {
        "zh": "虚拟治理成本金额计入哪一类别无文本规定，由案件选择；它决定是否进入惩罚性赔偿基数（第一、二类）",
        "en": "no text fixes the category of a VTC amount; the case chooses it, and it decides entry into the "
              "punitive base (categories 1 + 2)"}))
    trace = TraceNode(
        id=item.id, kind="formula",
        label={"zh": f"虚拟治理成本：{item.label}", "en": f"Virtual treatment cost: {item.label}"},
        formula=formula, inputs=inputs,
        result=value_spec(fmt(amount), "元", exact=str(exact.normalize()), rounding=ROUNDING_NOTE),
        rule=rule, note=gamma_note, children=children,
    )
    return LineItem(id=item.id, category=item.category, label={"zh": item.label, "en": item.label},
                    amount=amount, source=path, trace=trace, warnings=notes)


__all__ = ["VirtualCostItem", "VirtualCostInputs", "BY_KEY"]
