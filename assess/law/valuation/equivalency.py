"""Habitat / resource equivalency analysis 等值分析法 (HEA / REA; categories 1 and 2 of CC-1235).

Formulas (standard US NRDA forms, SECOND-HAND; UNVERIFIED against GB/T 39791.1-2020 App. B, not
read — law_and_methods.md §3.4), computed by :func:`methods.equivalency.hea`::

    debit    = Σ_{t=t0}^{last} A × (b − x_t)/b × (1+r)^(t_b − t')   # lost service-area-years [hm²·年]
    credit_u = Σ_{t=I}^{L} (v_t − b_R)/b × (1+r)^(t_b − t')        # gain per hm² of project [年]
    size     = debit / credit_u                                     # project size [hm²]
    cost     = size × unit_cost                                     # [元]

The debit of years ``injury_year … recovery_year`` is the **interim** loss (category 1); with
``recovery_year: "never"`` the years after ``interim_end_year`` up to ``horizon_year`` are the
**permanent** loss (category 2).  Each part is costed as its share of the project
(``debit_part / credit_u × unit_cost``) and becomes its own ledger line.  REA swaps the area for
resource units (individuals, biomass): the unit cost is then per resource unit.

The discount rate is a required plain number (no Chinese figure found; no default is shipped).
The timing convention (t' = t, t + 0.5, t + 1) is the case's, else the ``policy_default``
parameter ``valuation.discounting.timing_offset`` (start of year), traced.  The kernel computes in
float64; each line amount is rounded once to the fen (Decimal via ``repr``, half-up).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal, Union

import numpy as np
from pydantic import Field, field_validator, model_validator

from assess.law.quantities import AnyQty, Num, Qty
from assess.law.valuation.base import DamageItemBase, Draws, EvalContext, LineItem, StrictModel, warning
from assess.law.valuation.common import (DiscountRate, Timing, Year, category_node, discount_spec, float_amount_node,
                                     kernel_errors, resolve_timing)
from factors.errors import InputError, UnitError
from factors.money import plain
from factors.trace import TraceNode, value_spec
from factors.units import check_dimension

PATH_TAGS = ("linear", "stepwise", "explicit")


class LinearPath(StrictModel):
    """Service level moving linearly from ``start_level`` to ``end_level`` (constant outside)."""

    type: Literal["linear"]
    start_level: Num = Field(ge=0)
    end_level: Num = Field(ge=0)
    start_year: Year | None = Field(default=None, description="Default: first year of the period")
    end_year: Year | None = Field(default=None, description="Default: recovery (injured) or end (project) year")


class Step(StrictModel):
    year: Year
    level: Num = Field(ge=0)


class StepwisePath(StrictModel):
    """``initial_level`` until the first step, then each step's level from its year on."""

    type: Literal["stepwise"]
    initial_level: Num = Field(ge=0)
    steps: list[Step] = Field(min_length=1)


class ExplicitPath(StrictModel):
    """The level of every year of the period, year by year."""

    type: Literal["explicit"]
    levels: list[Step] = Field(min_length=1)


ServicePath = Annotated[Union[LinearPath, StepwisePath, ExplicitPath], Field(discriminator="type")]


class Project(StrictModel):
    """The compensatory restoration project 补偿性恢复工程 (credit side)."""

    baseline_level: Num = Field(default=Decimal(0), ge=0, description="b_R, the project site's level without it")
    path: ServicePath
    start_year: Year
    end_year: Year
    unit_cost: Qty = Field(description="Cost per unit of project (元/hm², 元/亩; REA: 元 per resource unit)")
    basis: str | None = None


class EquivalencyInputs(StrictModel):
    analysis: Literal["HEA", "REA"] = "HEA"
    injured_quantity: AnyQty = Field(description="HEA: injured area (hm², 亩, m²); REA: resource units")
    baseline: Num = Field(gt=0, description="b, baseline service level (same scale as the paths, e.g. 100)")
    injured_path: ServicePath
    injury_year: Year
    recovery_year: Year | Literal["never"] = Field(description="Last year of interim loss, or 'never'")
    interim_end_year: Year | None = Field(default=None, description="With 'never': last year of interim loss")
    horizon_year: Year | None = Field(default=None, description="With 'never': last year of permanent loss counted")
    project: Project
    base_year: Year = Field(description="Base (claim) year t_b: earlier years compounded, later discounted")
    discount_rate: DiscountRate = Field(description="r per year as a plain number (0.03 for 3 %); required")
    timing: Timing | None = Field(default=None, description="start / mid / end (default: policy parameter)")

    @model_validator(mode="after")
    def _area(self) -> "EquivalencyInputs":
        if self.analysis == "HEA":
            try:
                check_dimension(self.injured_quantity.unit, "hm²", "unit")
            except UnitError:
                raise ValueError(f"expected an area (hm², 亩, m²) for HEA (use analysis REA for resource units), "
                                 f"got {self.injured_quantity.unit!r}") from None
        return self


class EquivalencyItem(DamageItemBase):
    """A damage item valued by habitat/resource equivalency (interim → 1, permanent → 2)."""

    method: Literal["habitat_equivalency"]
    category: Literal["interim_service_loss"] = Field(
        default="interim_service_loss", description="Interim part → (1); a permanent part goes to (2) automatically")
    inputs: EquivalencyInputs

    @field_validator("category", mode="before")
    @classmethod
    def _category(cls, v: Any) -> Any:
        if v != "interim_service_loss":
            raise ValueError("an equivalency item's interim part goes to interim_service_loss (its permanent part "
                             f"to permanent_loss automatically), not {v}")
        return v

    def categories(self) -> tuple[str, ...]:
        return ("interim_service_loss",) + (("permanent_loss",) if self.inputs.recovery_year == "never" else ())

    def evaluate(self, ctx: EvalContext, path: str) -> list[LineItem]:
        return evaluate_equivalency(self, ctx, path)

    def sample_amounts(self, ctx: EvalContext, path: str, draws: Draws) -> list[tuple[str, Any]]:
        ip = f"{path}.inputs"
        base = _base_unit(self.inputs)
        area = draws.qty(self.inputs.injured_quantity, f"{ip}.injured_quantity", base)
        cost = draws.qty(self.inputs.project.unit_cost, f"{ip}.project.unit_cost", f"元/({base})")
        _, interim, permanent = _run(self, ctx, path, area, cost)
        return [("interim_service_loss", interim)] + ([("permanent_loss", permanent)] if self.inputs.recovery_year == "never" else [])


# -- inputs → kernel ------------------------------------------------------------------------------

def _base_unit(inp: EquivalencyInputs) -> str:
    return "hm²" if inp.analysis == "HEA" else inp.injured_quantity.unit


def _years(item: EquivalencyItem, path: str) -> tuple[int, int, int | None]:
    """(injury year, last interim year, horizon year or None), checked with field paths."""
    inp, ip = item.inputs, f"{path}.inputs"
    problems = []
    if inp.recovery_year == "never":
        last = inp.interim_end_year
        if last is None:
            problems.append(InputError(f"{ip}.interim_end_year", "the last year of interim loss when recovery_year is 'never'"))
        if inp.horizon_year is None:
            problems.append(InputError(f"{ip}.horizon_year", "the last year of permanent loss counted when recovery_year is 'never'"))
        field = "interim_end_year"
    else:
        last = inp.recovery_year
        field = "recovery_year"
        for extra in ("interim_end_year", "horizon_year"):
            if getattr(inp, extra) is not None:
                problems.append(InputError(f"{ip}.{extra}", f"no {extra} unless recovery_year is 'never'", getattr(inp, extra)))
    if last is not None and last < inp.injury_year:
        problems.append(InputError(f"{ip}.{field}", f"a year ≥ injury_year ({inp.injury_year})", last))
    if last is not None and inp.horizon_year is not None and inp.horizon_year < last:
        problems.append(InputError(f"{ip}.horizon_year", f"a year ≥ interim_end_year ({last})", inp.horizon_year))
    if inp.project.end_year < inp.project.start_year:
        problems.append(InputError(f"{ip}.project.end_year", f"a year ≥ project.start_year ({inp.project.start_year})",
                                   inp.project.end_year))
    if problems:
        raise InputError.collect(problems)
    return inp.injury_year, last, inp.horizon_year


def levels(spec: Any, years: np.ndarray, default_end: int, path: str) -> np.ndarray:
    """Service level of each year from a path spec (methods.equivalency paths; explicit by year)."""
    from methods.equivalency import linear_path, stepwise_path

    if isinstance(spec, LinearPath):
        with kernel_errors(path, {}):
            start = spec.start_year if spec.start_year is not None else int(years[0])
            end = spec.end_year if spec.end_year is not None else default_end
            return np.asarray(linear_path(years, start, float(spec.start_level), end, float(spec.end_level)), dtype=float)
    if isinstance(spec, StepwisePath):
        with kernel_errors(path, {"step_years": "steps", "step_levels": "steps"}):
            return np.asarray(stepwise_path(years, [s.year for s in spec.steps], [float(s.level) for s in spec.steps],
                                            float(spec.initial_level)), dtype=float)
    given = {s.year: s.level for s in spec.levels}
    wanted = [int(y) for y in years]
    if sorted(given) != wanted or len(given) != len(spec.levels):
        raise InputError(f"{path}.levels", f"exactly one level for each year {wanted[0]}–{wanted[-1]}",
                         ", ".join(str(s.year) for s in spec.levels))
    return np.array([float(given[y]) for y in wanted])


def _run(item: EquivalencyItem, ctx: EvalContext, path: str, area: Any, unit_cost: Any):
    """Kernel call: (HEAResult, interim cost, permanent cost) for area/unit cost scalars or draws."""
    from methods.equivalency import equivalency_cost, hea, project_size

    inp, ip = item.inputs, f"{path}.inputs"
    t0, last, horizon = _years(item, path)
    timing, _ = resolve_timing(ctx, inp.timing, ip, f"{item.id}.timing")
    years = np.arange(t0, (horizon or last) + 1, dtype=float)
    pyears = np.arange(inp.project.start_year, inp.project.end_year + 1, dtype=float)
    x = levels(inp.injured_path, years, last, f"{ip}.injured_path")
    v = levels(inp.project.path, pyears, inp.project.end_year, f"{ip}.project.path")
    names = {"area": "injured_quantity", "injured_levels": "injured_path", "levels": "injured_path",
             "project_levels": "project.path", "project_baseline": "project.baseline_level",
             "credit_per_unit": "project.path", "unit_cost": "project.unit_cost"}
    with kernel_errors(ip, names):
        res = hea(area=area, baseline=float(inp.baseline), injured_levels=x, injury_year=t0, recovery_year=last,
                  base_year=inp.base_year, rate=float(inp.discount_rate), project_levels=v,
                  project_baseline=float(inp.project.baseline_level), project_start_year=inp.project.start_year,
                  project_end_year=inp.project.end_year, unit_cost=unit_cost, horizon_year=horizon, timing=timing)
        interim = equivalency_cost(project_size(res.debit_interim, res.credit_per_unit), unit_cost)
        permanent = equivalency_cost(project_size(res.debit_permanent, res.credit_per_unit), unit_cost)
    return res, interim, permanent


# -- evaluation -----------------------------------------------------------------------------------

def _table_nodes(item_id: str, table: Any, part: np.ndarray, unit: str, what: str) -> list[TraceNode]:
    rows = []
    for k in np.flatnonzero(part):
        y = int(table.year[k])
        rows.append(TraceNode(
            id=f"{item_id}.{what}.{y}", kind="formula", label={"zh": f"{y}年", "en": f"year {y}"},
            formula=("A × (b − x_t)/b × DF_t" if what == "debit" else "(v_t − b_R)/b × DF_t"),
            inputs={"year": value_spec(y, "年"), "level": value_spec(repr(float(table.level[k])), None),
                    "fraction": value_spec(repr(float(table.fraction[k])), "1"),
                    "discount_factor": value_spec(repr(float(table.discount_factor[k])), "1")},
            result=value_spec(repr(float(table.discounted[k])), unit),
        ))
    return rows


def evaluate_equivalency(item: EquivalencyItem, ctx: EvalContext, path: str) -> list[LineItem]:
    inp, ip = item.inputs, f"{path}.inputs"
    base = _base_unit(inp)
    area_d = inp.injured_quantity.in_unit(base)
    try:
        cost_d = inp.project.unit_cost.in_unit(f"元/({base})")
    except UnitError:
        raise UnitError(f"{ip}.project.unit_cost.unit", f"a cost per {base} of project (e.g. 元/{base}, 元/亩)",
                        inp.project.unit_cost.unit) from None
    res, interim, permanent = _run(item, ctx, path, float(area_d), float(cost_d))
    timing, timing_node = resolve_timing(ctx, inp.timing, ip, f"{item.id}.timing")
    _, last, horizon = _years(item, path)
    notes: list[dict[str, str]] = []
    if horizon is None and res.residual_loss_fraction > 0:
        notes.append(warning(f"{ip}.recovery_year",
                             f"服务功能在 recovery_year 仍低于基线（损失比例 {res.residual_loss_fraction:.4g}）：未计永久性损害；"
                             "如不能恢复，请用 recovery_year: \"never\" 与 horizon_year",
                             f"service is still below baseline in recovery_year (loss fraction {res.residual_loss_fraction:.4g}): "
                             "no permanent loss is counted; use recovery_year: \"never\" with horizon_year if it never recovers"))
    debit_unit = f"{base}·年"
    common_inputs = {"A": inp.injured_quantity.spec(f"{ip}.injured_quantity"),
                     "A_converted": value_spec(plain(area_d), base),
                     "b": value_spec(inp.baseline, None, f"{ip}.baseline"),
                     **discount_spec(inp.discount_rate, inp.base_year, ip)}
    credit_node = TraceNode(
        id=f"{item.id}.credit", kind="sum", label={"zh": "单位面积恢复工程的服务增益（贴现）", "en": "Credit per unit of project (discounted)"},
        formula="Σ (v_t − b_R)/b × (1+r)^(t_b − t')",
        inputs={"b_R": value_spec(inp.project.baseline_level, None, f"{ip}.project.baseline_level"),
                "project_years": value_spec(f"{inp.project.start_year}–{inp.project.end_year}", "年")},
        result=value_spec(repr(float(res.credit_per_unit)), "年"), rule="GBT39791.1-B",
        children=_table_nodes(item.id, res.project, np.ones(res.project.year.shape, bool), "年", "credit"),
    )
    size_node = TraceNode(
        id=f"{item.id}.size", kind="formula", label={"zh": "恢复工程规模 = 损失 / 单位增益", "en": "Project size = debit / credit"},
        formula="(debit_interim + debit_permanent) / credit_per_unit",
        result=value_spec(repr(float(res.project_size)), base),
    )
    interim_mask = res.injured.year <= last
    parts = [("interim", "interim_service_loss", interim_mask, res.debit_interim, interim,
              {"zh": "期间损害", "en": "interim loss"})]
    if inp.recovery_year == "never":
        parts.append(("permanent", "permanent_loss", ~interim_mask, res.debit_permanent, permanent,
                      {"zh": "永久性损害", "en": "permanent loss"}))
    lines = []
    for key, category, mask, debit_part, cost_float, name in parts:
        years_txt = f"{int(res.injured.year[mask][0])}–{int(res.injured.year[mask][-1])}" if mask.any() else "—"
        debit_node = TraceNode(
            id=f"{item.id}.debit_{key}", kind="sum",
            label={"zh": f"{name['zh']}：贴现后的服务损失（{years_txt}）", "en": f"{name['en']}: discounted lost services ({years_txt})"},
            formula="Σ A × (b − x_t)/b × (1+r)^(t_b − t')", result=value_spec(repr(float(debit_part)), debit_unit),
            rule="GBT39791.1-B", children=_table_nodes(item.id, res.injured, mask, debit_unit, "debit"),
        )
        cat_why = {"zh": "等值分析：修复完成前的损失计入第（一）类，永久不能恢复的部分计入第（二）类（SPC-EDC 第十三条）",
                   "en": "equivalency: loss until restoration is complete → (1); the part that never recovers → (2) "
                         "(SPC-EDC Art. 13)"}
        amount, node = float_amount_node(
            f"{item.id}.{key}", {"zh": f"{item.label}（{name['zh']}，{inp.analysis}）", "en": f"{item.label} ({name['en']}, {inp.analysis})"},
            f"debit_{key} / credit_per_unit × unit_cost", cost_float,
            {**common_inputs, "unit_cost": inp.project.unit_cost.spec(f"{ip}.project.unit_cost"),
             "unit_cost_converted": value_spec(plain(cost_d), f"元/{base}")},
            rule="GBT39791.1-B",
            children=[debit_node, credit_node, size_node, timing_node,
                      category_node(f"{item.id}.{key}.category", category, cat_why)],
        )
        node.note = {"zh": "公式为美国NRDA通行形式（二手资料），未与GB/T 39791.1附录B核对；浮点计算，金额经repr转为Decimal后一次四舍五入至分",
                     "en": "US NRDA form (second-hand), not checked against GB/T 39791.1 App. B; float64, the amount "
                           "rounded once to the fen via repr → Decimal"}
        lines.append(LineItem(id=f"{item.id}.{key}", category=category,
                              label={"zh": f"{item.label}（{name['zh']}）", "en": f"{item.label} ({name['en']})"},
                              amount=amount, source=path, trace=node, warnings=notes if key == "interim" else []))
    return lines
