"""The docket engine's methods beyond the per-line ones 等值分析、专家意见、责任份额 (issue 18), on arrays.

* ``habitat_equivalency`` (HEA with linear service paths; interim and, with ``recovery_year: "never"``,
  permanent): the cases that share the year axes (injury, last interim, horizon and project years, timing)
  go through ONE call of the kernel :func:`methods.equivalency.hea` with case-axis arrays, exactly as
  :func:`assess.law.valuation.equivalency.evaluate_equivalency` calls it on one case (the same float
  operations on each row; the fen by :func:`factors.money.round_fen`);
* ``expert_panel`` (one category, median or mean, the count against ``experts.min_count``): the
  aggregate of :func:`assess.law.experts.aggregate` in exact integer arithmetic (amounts in 10⁻⁶ 元),
  rounded half-up to the fen once as :func:`factors.money.to_fen` rounds it;
* obligors' ``share`` (CC 1231): all or none, each in (0, 1], summing to 1 exactly (the case model's
  check, :meth:`assess.law.case.Case._shares`); shares split the award, never its total.

Anything else (REA, stepwise or explicit paths, ranges, the trimmed mean, several categories) leaves the
case to the single path, which decides and words it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from assess.app import docket_columns as col
from assess.law.categories import KEYS as CATEGORY_KEYS
from assess.law.valuation.common import TIMINGS
from factors.errors import AssessError
from factors.money import Decimals, round_fen
from factors.store import CodedArray
from factors.units import check_unit as parse_unit, exact_factor  # the memo first: no pint when it has the unit

__all__ = ["HEA_INPUTS", "EXPERT_COLUMNS", "hea_items", "expert_items", "check_shares"]

HEA_INPUTS = {"inputs.analysis", "inputs.injured_quantity.value", "inputs.injured_quantity.unit", "inputs.baseline",
              "inputs.injured_path.type", "inputs.injured_path.start_level", "inputs.injured_path.end_level",
              "inputs.injury_year", "inputs.recovery_year", "inputs.interim_end_year", "inputs.horizon_year",
              "inputs.project.baseline_level", "inputs.project.path.type", "inputs.project.path.start_level",
              "inputs.project.path.end_level", "inputs.project.start_year", "inputs.project.end_year",
              "inputs.project.unit_cost.value", "inputs.project.unit_cost.unit", "inputs.project.basis",
              "inputs.base_year", "inputs.discount_rate", "inputs.timing"}
EXPERT_COLUMNS = {"case_id", "damage_items#", "damage_items.inputs.experts#", "name", "pool",
                  *(f"amounts.{k}.{x}" for k in CATEGORY_KEYS for x in ("value", "unit"))}
AGGREGATIONS = ("median", "mean")     # the trimmed mean goes to the single path
MICRO = 10 ** 6                       # expert amounts in 10⁻⁶ 元


def _scaled(dec: Decimals, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(value × 10⁶ as int64, exact) per row: a decimal of at most 6 places below 10¹²."""
    from decimal import Decimal

    t, places = dec.ints(rows)
    ok = (places >= 0) & (places <= 6) & (t < 10 ** 12 * 10 ** np.clip(places, 0, 6))
    out = np.where(ok, t * 10 ** (6 - np.clip(places, 0, 6)), 0)
    for k in np.flatnonzero(~ok):      # decimals held as text: read each exactly
        v = Decimal(dec.dec(int(rows[k])))
        m = v.scaleb(6)
        if v.is_finite() and 0 <= v < 10 ** 12 and m == m.to_integral_value():
            out[k], ok[k] = int(m), True
    return out, ok


# -- habitat equivalency -------------------------------------------------------------------------------

def _float_in(d: Any, pos: np.ndarray, rows: np.ndarray, value: col.Num, unit: col.Text, target: str) -> np.ndarray:
    """float(value converted exactly to ``target``) per row, as ``float(Qty.in_unit(target))`` gives it.

    The factor once per distinct unit.  With the decimal ``t / 10^k`` and the factor ``p / q`` in integers
    below 2⁵³, ``(t·p) / (q·10^k)`` is one IEEE division of exact floats: the correctly rounded quotient,
    which the 60-digit Decimal of :func:`~assess.law.quantities.convert_exact` rounds to the same float
    (the quotient is never within 10⁻⁶⁰ of a midpoint between floats unless it is one exactly, and then
    both are exact).  Other rows take the Decimal path itself."""
    from assess.law.quantities import convert_exact

    out = np.full(value.x.shape[0], np.nan)
    names = unit.uniques + [None]
    for c in np.unique(unit.codes[rows]):
        sel = rows[unit.codes[rows] == c]
        try:
            parse_unit(names[int(c)], "unit")
            f = exact_factor(names[int(c)], target)
        except (AssessError, ValueError, TypeError):
            d.refuse(pos[sel])
            continue
        if f == 1:
            out[sel] = value.x[sel]
            continue
        t, k = value.dec.ints(sel)
        num = t.astype(float) * f.numerator
        den = 10.0 ** np.clip(k, 0, 15) * f.denominator
        fast = (k >= 0) & (num < 2.0 ** 53) & (den < 2.0 ** 53)
        out[sel[fast]] = num[fast] / den[fast]
        for i in sel[~fast]:
            out[i] = float(convert_exact(value.dec.dec(int(i)), f))
    return out


def _year_or_never(s: Any, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(year, given year, "never", odd) of ``recovery_year``: a whole year or the text ``never``."""
    if s is None:
        z = np.zeros(n, bool)
        return np.zeros(n, np.int64), z, z, z
    never = col.equals(s, "never")
    y, given, odd = col.years(s.where(~never, None) if never.any() else s, n)
    return y, given, never, odd & ~never


def hea_items(d: Any, items: Any, ctx: Any, method_code: int, timing_of: Any) -> None:
    """Habitat equivalency items: interim amount into ``items.amount``, a permanent part into ``items.amount2``."""
    from methods.equivalency import equivalency_cost, hea, linear_path, project_size

    is_h = items.method == method_code
    if not is_h.any():
        return
    df, pos, n = items.df, items.pos, len(items.df)
    get = lambda name: d.column(df, f"inputs.{name}")  # noqa: E731
    d.refuse(pos, is_h & (items.category != CATEGORY_KEYS.index("interim_service_loss")))
    analysis = col.text(get("analysis"), n)
    nums = {k: col.numbers(get(k), n) for k in ("injured_quantity.value", "baseline", "injured_path.start_level",
                                                "injured_path.end_level", "project.baseline_level",
                                                "project.path.start_level", "project.path.end_level",
                                                "project.unit_cost.value", "discount_rate")}
    texts = {k: col.text(get(k), n) for k in ("injured_quantity.unit", "injured_path.type", "project.path.type",
                                               "project.unit_cost.unit", "project.basis", "timing")}
    years = {k: col.years(get(k), n) for k in ("injury_year", "interim_end_year", "horizon_year",
                                               "project.start_year", "project.end_year", "base_year")}
    rec, rec_given, never, rec_odd = _year_or_never(get("recovery_year"), n)
    bad = (analysis.given & ~analysis.isin({"HEA"})) | analysis.odd | rec_odd | ~(rec_given | never)
    for k, v in nums.items():
        optional = k == "project.baseline_level"
        bad |= v.odd | (~v.given if not optional else False)
    for k, t in texts.items():
        bad |= t.odd | ((~t.given) if k not in ("project.basis", "timing") else False)
    bad |= ~texts["injured_path.type"].isin({"linear"}) | ~texts["project.path.type"].isin({"linear"})
    for k, (_, g, o) in years.items():
        bad |= o | ((~g) if k not in ("interim_end_year", "horizon_year") else False)
    t0, ie, hz = years["injury_year"][0], years["interim_end_year"][0], years["horizon_year"][0]
    pi, pl = years["project.start_year"][0], years["project.end_year"][0]
    last = np.where(never, ie, rec)
    bad |= never & (~years["interim_end_year"][1] | ~years["horizon_year"][1])
    bad |= ~never & (years["interim_end_year"][1] | years["horizon_year"][1])
    bad |= (last < t0) | (never & (hz < last)) | (pl < pi)
    bad |= ~(nums["baseline"].x > 0) | ~(nums["discount_rate"].x < 1)
    timing = timing_of(is_h & ~bad, texts["timing"])
    bad |= is_h & (timing < 0)
    d.refuse(pos, is_h & bad)
    rows = np.flatnonzero(is_h & ~bad)
    if rows.size == 0:
        return
    area = _float_in(d, pos, rows, nums["injured_quantity.value"], texts["injured_quantity.unit"], "hm²")
    cost = _float_in(d, pos, rows, nums["project.unit_cost.value"], texts["project.unit_cost.unit"], "元/(hm²)")
    rows = rows[~np.isnan(area[rows]) & ~np.isnan(cost[rows])]
    tb = years["base_year"][0]
    horizon = np.where(never, hz, -1)
    keys = [t0[rows], last[rows], horizon[rows], pi[rows], pl[rows], timing[rows]]
    order = np.lexsort(keys[::-1])
    sorted_keys = np.stack([k[order] for k in keys])
    cuts = np.flatnonzero((np.diff(sorted_keys, axis=1) != 0).any(axis=0)) + 1
    x = {k: v.x for k, v in nums.items()}
    for part in np.split(rows[order], cuts):
        k = part[0]
        y0, y_last, y_h, p0, p1 = int(t0[k]), int(last[k]), int(horizon[k]), int(pi[k]), int(pl[k])
        h = None if y_h < 0 else y_h
        inj_years = np.arange(y0, (h or y_last) + 1, dtype=float)
        proj_years = np.arange(p0, p1 + 1, dtype=float)
        try:
            # the paths and the kernel as evaluate_equivalency calls them, on case-axis columns
            levels = linear_path(inj_years, y0, x["injured_path.start_level"][part], y_last, x["injured_path.end_level"][part])
            plevels = linear_path(proj_years, p0, x["project.path.start_level"][part], p1, x["project.path.end_level"][part])
            res = hea(area=area[part], baseline=x["baseline"][part], injured_levels=levels, injury_year=y0,
                      recovery_year=y_last, base_year=tb[part].astype(float), rate=x["discount_rate"][part],
                      project_levels=plevels, project_baseline=x["project.baseline_level"][part], project_start_year=p0,
                      project_end_year=p1, unit_cost=cost[part], horizon_year=h, timing=TIMINGS[int(timing[k])])
            interim = equivalency_cost(project_size(res.debit_interim, res.credit_per_unit), cost[part])
            permanent = equivalency_cost(project_size(res.debit_permanent, res.credit_per_unit), cost[part])
        except (AssessError, ValueError, FloatingPointError):
            d.refuse(pos[part])
            continue
        _put(d, items.amount, part, pos, np.atleast_1d(np.asarray(interim, float)))
        if h is not None:
            _put(d, items.amount2, part, pos, np.atleast_1d(np.asarray(permanent, float)))
            items.category2[part] = CATEGORY_KEYS.index("permanent_loss")


def _put(d: Any, target: np.ndarray, part: np.ndarray, pos: np.ndarray, amounts: np.ndarray) -> None:
    fen = round_fen(amounts)
    ok = fen.ok()
    d.refuse(pos[part[~ok]])
    target[part] = np.where(ok, fen.fen, 0)


# -- expert panels -----------------------------------------------------------------------------------

def expert_items(d: Any, items: Any, ctx: Any, method_code: int, children: Any,
                 money_factor: Any) -> None:
    """Expert panel items: the aggregate of their experts' amounts (one category, the item's) in fen."""
    is_e = items.method == method_code
    if not is_e.any():
        return
    n_items = len(items.df)
    aggregation = col.text(d.column(items.df, "inputs.aggregation"), n_items)
    agg = np.where(aggregation.given, aggregation.index_in(AGGREGATIONS), 0)
    d.refuse(items.pos, is_e & ((agg < 0) | aggregation.odd))
    count = np.zeros(n_items, np.int64)
    got = children(d, items, "damage_items.inputs.experts", "expert_panel")
    if got is None:
        d.refuse(items.pos, is_e)
        return
    df, pos, item = got
    m = len(df)
    for name in ("name", "pool"):
        t = col.text(d.column(df, name), m)
        d.refuse(pos, ~t.given | t.odd)
    ok_item = item >= 0
    it = np.where(ok_item, item, 0)
    micro = np.zeros(m, np.int64)
    n_given = np.zeros(m, np.int64)
    own = np.zeros(m, bool)
    for k, cat in enumerate(CATEGORY_KEYS):
        value = col.numbers(d.column(df, f"amounts.{cat}.value"), m)
        unit = col.text(d.column(df, f"amounts.{cat}.unit"), m)
        here = value.given | unit.given | value.odd | unit.odd
        n_given += here
        d.refuse(pos, here & (value.odd | unit.odd | ~value.given | ~unit.given))
        mine = here & (items.category[it] == k) & value.given & unit.given & ok_item
        own |= mine
        rows = np.flatnonzero(mine)
        if rows.size == 0:
            continue
        scaled, fits = _scaled(value.dec, rows)
        names = unit.uniques + [None]
        factor: dict[int, Any] = {}
        for c in np.unique(unit.codes[rows]):
            try:
                f = money_factor(names[int(c)])
                factor[int(c)] = int(f) if f.denominator == 1 else None
            except (AssessError, ValueError):
                factor[int(c)] = None
        f_row = np.array([factor[int(c)] or 0 for c in unit.codes[rows]], np.int64)
        fits &= (f_row > 0) & (scaled.astype(float) * f_row < 2.0 ** 60)
        d.refuse(pos[rows[~fits]])
        micro[rows] = np.where(fits, scaled * f_row, 0)
    # exactly the item's own category, once per expert (the model: the experts' amounts for that category only)
    d.refuse(pos, (n_given != 1) | ~own)
    np.add.at(count, it[ok_item], 1)
    p = ctx.store.lookup_array("experts.min_count", CodedArray(ctx.sub_jur[np.maximum(items.pos, 0)], ctx.jur_names),
                               ctx.sub_day[np.maximum(items.pos, 0)])
    least = np.array([int(x.value) for x in p.params] + [1 << 30], np.int64)[np.where(p.slot >= 0, p.slot, len(p.params))]
    d.refuse(items.pos, is_e & ((count < least) | (count == 0)))
    # the aggregate per item: sort the amounts within their item once
    rows = np.flatnonzero(ok_item & own)
    rows = rows[is_e[item[rows]]]
    if rows.size == 0:
        return
    order = rows[np.lexsort((micro[rows], item[rows]))]
    owner = item[order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    sizes = np.diff(np.r_[starts, owner.size])
    who = owner[starts]
    vals = micro[order]
    half = 10 ** 4                     # 10⁻⁶ 元 → fen: / 10⁴, half-up
    lo = vals[starts + (sizes - 1) // 2]
    hi = vals[starts + sizes // 2]
    median_fen = (lo + hi + half) // (2 * half)       # (lo + hi)/2 half-up (lo == hi for an odd count)
    sums = np.add.reduceat(vals, starts)
    mean_fen = (2 * sums + sizes * half) // (2 * sizes * half)
    items.amount[who] = np.where(agg[who] == 1, mean_fen, median_fen)


# -- obligors' shares ----------------------------------------------------------------------------------

def check_shares(d: Any, df: Any, pos: np.ndarray) -> None:
    """Shares all or none per case, each in (0, 1], summing to 1 exactly (else the single path words it)."""
    if "share" not in df.columns:
        return
    n = len(df)
    share = col.numbers(df["share"], n)
    d.refuse(pos, share.odd | (share.given & ~((share.x > 0) & (share.x <= 1))))
    rows = np.flatnonzero(share.given)
    scaled = np.zeros(n, np.int64)
    scaled[rows], fits = _scaled(share.dec, rows)
    d.refuse(pos[rows[~fits]])
    rows_per = np.zeros(d.n, np.int64)
    given_per = np.zeros(d.n, np.int64)
    total = np.zeros(d.n, np.int64)
    np.add.at(rows_per, pos, 1)
    np.add.at(given_per, pos, share.given.astype(np.int64))
    np.add.at(total, pos, scaled)
    cases = np.flatnonzero(given_per > 0)
    d.refuse(cases[(given_per[cases] != rows_per[cases]) | (total[cases] != MICRO)])
