"""Synthetic dockets 合成案件 for the batch benchmark, tests and notebooks (invented figures).

:func:`synthetic_docket` draws ``n`` cases in the batch column format (:mod:`assess.app.batch`): both
jurisdictions (CN-JS, CN-SH) with rules dates inside their rule-set windows, a mix of methods
(restoration line, virtual treatment cost, interim value loss, cost items), decimals as typed
(one or two places, so many products land exactly on a half fen), unit conversions (kg → t,
亩 → hm²) and nullable routing facts.  The same ``seed`` gives the same docket.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ELEMENTS = ("surface_water", "groundwater", "sediment", "soil", "air", "forest", "wetland")
WINDOWS = {"CN-JS": ("2023-03-01", "2028-02-29"), "CN-SH": ("2024-04-10", "2029-04-09")}


def _money(rng: np.random.Generator, n: int, low: float, high: float, places: int = 2) -> np.ndarray:
    """Decimals with ``places`` places, as floats (their repr is the decimal)."""
    scale = 10 ** places
    return rng.integers(int(low * scale), int(high * scale), n) / scale


def _facts(rng: np.random.Generator, n: int, p_true: float, p_none: float) -> pd.Series:
    u = rng.random(n)
    out = pd.array(u < p_true, dtype="boolean")
    out[u > 1 - p_none] = pd.NA
    return pd.Series(out)


def synthetic_docket(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` synthetic cases, one per row, in the batch column format."""
    rng = np.random.default_rng(seed)
    jur = np.where(rng.random(n) < 0.6, "CN-JS", "CN-SH")
    start = np.where(jur == "CN-JS", np.datetime64(WINDOWS["CN-JS"][0]), np.datetime64(WINDOWS["CN-SH"][0]))
    span = 1825 - 200   # both windows are five years long; clue and base date stay inside
    incident = start + rng.integers(0, span, n).astype("timedelta64[D]")
    clue = incident + rng.integers(0, 60, n).astype("timedelta64[D]")
    base = clue + rng.integers(0, 120, n).astype("timedelta64[D]")
    clue = np.where(rng.random(n) < 0.15, np.datetime64("NaT"), clue)
    base = np.where(rng.random(n) < 0.25, np.datetime64("NaT"), base)

    df = pd.DataFrame({
        "case_id": pd.Series([f"SYN-{seed}-{i:07d}" for i in range(n)], dtype="string"),
        "jurisdiction": pd.Series(jur, dtype="string"),
        "incident": incident.astype("datetime64[s]"),
        "clue_received": clue.astype("datetime64[s]"),
        "assessment_base": base.astype("datetime64[s]"),
        "element": pd.Series(np.array(ELEMENTS)[rng.integers(0, len(ELEMENTS), n)], dtype="string"),
    })
    nan = np.nan
    df["assessment_costs"] = np.where(rng.random(n) < 0.9, _money(rng, n, 2000, 300000), nan)
    df["prevention_costs"] = np.where(rng.random(n) < 0.4, _money(rng, n, 500, 120000), nan)
    df["remediation_costs_incurred"] = np.where(rng.random(n) < 0.2, _money(rng, n, 1000, 200000), nan)

    has_r = rng.random(n) < 0.6
    df["restoration_quantity"] = np.where(has_r, _money(rng, n, 1, 20000, 1), nan)
    df["restoration_quantity_unit"] = pd.Series(np.where(has_r, "m³", None), dtype="string")
    df["restoration_unit_price"] = np.where(has_r, _money(rng, n, 5, 400), nan)
    df["restoration_unit_price_unit"] = pd.Series(np.where(has_r, "元/m³", None), dtype="string")

    has_v = rng.random(n) < 0.4
    df["vtc_quantity"] = np.where(has_v, _money(rng, n, 10, 5_000_000, 1), nan)
    df["vtc_quantity_unit"] = pd.Series(np.where(has_v, "kg", None), dtype="string")
    df["vtc_unit_cost"] = np.where(has_v, _money(rng, n, 50, 8000), nan)
    df["vtc_unit_cost_unit"] = pd.Series(np.where(has_v, "元/t", None), dtype="string")
    df["vtc_gamma"] = np.where(has_v, _money(rng, n, 1, 5, 1), nan)
    df["vtc_gamma_basis"] = pd.Series(np.where(has_v, "GB/T 39793.2-2020 表C（示例）", None), dtype="string")
    prov = np.array(["actual_survey", "cost_function", "reference_cost", "literature"])[rng.integers(0, 4, n)]
    df["vtc_cost_provenance"] = pd.Series(np.where(has_v, prov, None), dtype="string")
    cat = np.array(["remediation_costs"] * 6 + ["interim_service_loss"] * 3 + ["permanent_loss"])[rng.integers(0, 10, n)]
    df["vtc_category"] = pd.Series(np.where(has_v, cat, None), dtype="string")

    has_l = rng.random(n) < 0.35
    y0 = rng.integers(2015, 2024, n)
    y1 = y0 + rng.integers(0, 6, n)
    df["vl_unit_value"] = np.where(has_l, _money(rng, n, 100, 60000), nan)
    df["vl_unit_value_unit"] = pd.Series(np.where(has_l, "元/(hm²·年)", None), dtype="string")
    df["vl_quantity"] = np.where(has_l, _money(rng, n, 1, 3000, 1), nan)
    df["vl_quantity_unit"] = pd.Series(np.where(has_l, "亩", None), dtype="string")
    df["vl_loss_fraction"] = np.where(has_l, _money(rng, n, 0.05, 1, 2), nan)
    df["vl_start_year"] = pd.array(np.where(has_l, y0, 0), dtype="Int64")
    df["vl_end_year"] = pd.array(np.where(has_l, y1, 0), dtype="Int64")
    df["vl_base_year"] = pd.array(np.where(has_l, np.maximum(y1, 2024), 0), dtype="Int64")
    for c in ("vl_start_year", "vl_end_year", "vl_base_year"):
        df.loc[~has_l, c] = pd.NA
    df["vl_discount_rate"] = np.where(has_l, np.array([0.02, 0.03, 0.035, 0.04, 0.05])[rng.integers(0, 5, n)], nan)
    timing = np.array(["start", "mid", "end"])[rng.integers(0, 3, n)]
    df["vl_timing"] = pd.Series(np.where(has_l & (rng.random(n) < 0.3), timing, None), dtype="string")

    df["simple_facts"] = _facts(rng, n, 0.7, 0.1)
    df["undisputed_liability"] = _facts(rng, n, 0.75, 0.1)
    df["small_damage"] = _facts(rng, n, 0.5, 0.3)
    df["obligor_refused_simplified"] = _facts(rng, n, 0.05, 0.6)
    df["obligor_agrees_simplified_consultation"] = _facts(rng, n, 0.7, 0.2)
    return df


# -- relational dockets (issue 18) ------------------------------------------------------------------------

LINE_UNITS = (("m³", "元/m³"), ("t", "元/t"), ("m²", "元/m²"), ("hm²", "万元/hm²"), ("项", "元/项"))
DOCKET_METHODS = ("restoration_cost", "virtual_treatment_cost", "value_loss", "given_amount")
#: every method a case file takes (``every_method``): the four above, a ratio of another item, a permanent
#: value loss, habitat equivalency (interim and, with ``recovery_year: "never"``, permanent) and an expert panel
EVERY_METHOD = DOCKET_METHODS + ("ratio_of", "value_loss_permanent", "habitat_equivalency", "expert_panel")
_EVERY_P = np.cumsum([0.22, 0.16, 0.12, 0.1, 0.12, 0.06, 0.12])   # the last (expert panel) takes the rest: 0.1


def _repeat_ids(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(parent index, position within the parent) of ``counts[i]`` children of each parent ``i``."""
    parent = np.repeat(np.arange(counts.size), counts)
    starts = np.cumsum(counts) - counts
    return parent, np.arange(parent.size) - starts[parent]


def _cat(values: np.ndarray) -> pd.Series:
    """Text with few distinct values as a categorical column (as parquet dictionary columns read back)."""
    return pd.Series(pd.Categorical(values))


def synthetic_docket_tables(n: int, seed: int = 0, *, liability: float = 0.3, text_numbers: bool = False,
                            every_method: bool = False) -> dict[str, pd.DataFrame]:
    """``n`` realistic synthetic cases as a relational docket (``/work/wt/briefs/DOCKET_SCHEMA.md``).

    Both jurisdictions; 1–5 damage items a case valued by restoration cost (1–4 lines, 0–2 surcharges),
    virtual treatment cost (γ), interim value loss or an amount taken as given; 1–3 cost items; 1–2
    obligors; routing and clue facts; a punitive claim on ``liability`` of the cases.  Numbers are float
    columns (their shortest repr is the decimal) or, with ``text_numbers``, decimal text.

    ``every_method``: the items are drawn over :data:`EVERY_METHOD` (a ratio of the case's first item, a
    permanent value loss in perpetuity, HEA with linear paths — a fifth of them never recovering —, a panel
    of 3–5 experts with a ``damage_items.inputs.experts`` table) and the obligors of a case with a punitive
    claim share the liability (0.5/0.5 or 0.7/0.3).
    """
    rng = np.random.default_rng(seed)
    flat = synthetic_docket(n, seed)   # dates, jurisdictions and facts as the flat benchmark draws them
    ids = flat["case_id"].str.replace("SYN-", "DK-", regex=False).astype("string[pyarrow]")
    del flat["case_id"]

    def ids_at(rows: np.ndarray) -> pd.Series:
        """The case ids of child rows (arrow strings: compact, and read without a copy)."""
        return ids.iloc[rows].reset_index(drop=True)

    num = (lambda a: pd.Series(a).map(lambda v: None if v != v else repr(float(v))).astype(object)) if text_numbers \
        else (lambda a: pd.Series(a))
    cases = pd.DataFrame({
        "case_id": ids, "jurisdiction": _cat(flat["jurisdiction"].to_numpy(object)),
        "dates.incident": flat["incident"], "dates.clue_received": flat["clue_received"],
        "dates.assessment_base": flat["assessment_base"],
    })
    for k in ("simple_facts", "undisputed_liability", "small_damage", "obligor_refused_simplified",
              "obligor_agrees_simplified_consultation"):
        cases[f"facts.{k}"] = flat[k]
    cases["facts.clue_referred"] = _facts(rng, n, 0.5, 0.6)
    spans = np.array(["one_area", "several_areas", "beyond_province"])[np.searchsorted([0.9, 0.97], rng.random(n))]
    cases["facts.location.spans"] = _cat(spans)
    level = np.array(["none", "general", "larger", "major", "especially_major"], object)[rng.integers(0, 5, n)]
    cases["facts.major.emergency_level"] = _cat(np.where(rng.random(n) < 0.2, level, None))
    cases["facts.major.in_key_zone"] = _facts(rng, n, 0.1, 0.5)
    cases["facts.major.declared_major"] = _facts(rng, n, 0.1, 0.7)
    cases["facts.non_initiation.self_repaired"] = _facts(rng, n, 0.1, 0.8)
    # a punitive claim on a share of the cases (the award: base × multiple, when the three facts hold)
    pun = rng.random(n) < liability
    cases["punitive.multiple"] = num(np.where(pun, np.array([0.5, 1.0, 1.5, 2.0])[rng.integers(0, 4, n)], np.nan))
    for k in ("intentional_violation", "pollution_or_destruction", "serious_consequences"):
        cases[f"punitive.facts.{k}.established"] = pd.array(np.where(pun, rng.random(n) < 0.85, False), dtype="boolean")
        cases.loc[~pun, f"punitive.facts.{k}.established"] = pd.NA
        cases[f"punitive.facts.{k}.evidence"] = _cat(np.where(pun, "刑事判决书认定（示例）", None))
    rp, rk = _repeat_ids(np.where(pun, rng.integers(1, 3, n), 0))
    reasons = pd.DataFrame({"case_id": ids_at(rp), "punitive.reasons#": rk,
                            "value": _cat(np.array(["主观恶意", "后果严重", "违法获利"], object)[rk % 3])})
    # obligors
    n_obl = rng.integers(1, 3, n)
    op, ok = _repeat_ids(n_obl)
    obligors = pd.DataFrame({"case_id": ids_at(op), "obligors#": ok,
                             "id": _cat(np.char.add("O", (ok + 1).astype(str))),
                             "name": _cat(np.char.add("某公司", (ok + 1).astype(str))),
                             "kind": _cat(np.full(op.size, "enterprise")), "size": _cat(np.full(op.size, "medium"))})
    if every_method:    # shares of liability (CC 1231) where the case has a claim: they sum to 1 exactly
        split = np.where(rng.random(n) < 0.5, 0.5, 0.7)[op]
        share = np.where(n_obl[op] == 1, 1.0, np.where(ok == 0, split, np.round(1 - split, 1)))
        obligors["share"] = num(np.where(pun[op], share, np.nan))
    # cost items
    cp, ck = _repeat_ids(rng.integers(1, 4, n))
    m = cp.size
    ccat = np.array(["assessment_costs", "prevention_costs", "remediation_costs"], object)[np.minimum(ck, 2)]
    wan = rng.random(m) < 0.3
    amount = np.where(wan, _money(rng, m, 0.2, 30, 2), _money(rng, m, 500, 300000, 2))
    cost_items = pd.DataFrame({"case_id": ids_at(cp), "cost_items#": ck,
                               "id": _cat(np.char.add("C", (ck + 1).astype(str))), "category": _cat(ccat),
                               "label": _cat(np.array(["鉴定评估费", "应急处置费", "清理费用"], object)[np.minimum(ck, 2)]),
                               "amount.value": num(amount), "amount.unit": _cat(np.where(wan, "万元", "元")),
                               "date": flat["incident"].to_numpy()[cp], "evidence": _cat(np.full(m, "发票（示例）"))})
    # damage items
    dp, dk = _repeat_ids(rng.integers(1, 6, n))
    m = dp.size
    method = np.searchsorted([0.35, 0.65, 0.85], rng.random(m))
    if every_method:
        method = np.searchsorted(_EVERY_P, rng.random(m))
        method[(dk == 0) & (method == 4)] = 0          # a ratio of the case's first item (D1), never of itself
    kind = method                                      # 0–7: EVERY_METHOD
    is_r, is_p, is_h, is_e = kind == 4, kind == 5, kind == 6, kind == 7
    method = np.where(is_p, 2, method)                 # a permanent value loss is a value_loss item
    vtc_cat = np.array(["remediation_costs"] * 6 + ["interim_service_loss"] * 3 + ["permanent_loss"], object)[rng.integers(0, 10, m)]
    given_cat = np.array(["permanent_loss", "remediation_costs", "interim_service_loss"], object)[rng.integers(0, 3, m)]
    category = np.select([method == 0, method == 1, is_p, method == 2, is_r | is_e, is_h],
                         ["remediation_costs", vtc_cat, "permanent_loss", "interim_service_loss",
                          np.where(is_r, "interim_service_loss", given_cat), "interim_service_loss"],
                         given_cat).astype(object)
    nan = np.nan
    is_v, is_l, is_g = method == 1, method == 2, method == 3
    y0 = rng.integers(2015, 2024, m)
    y1 = y0 + rng.integers(0, 6, m)
    items = pd.DataFrame({
        "case_id": ids_at(dp), "damage_items#": dk, "id": _cat(np.char.add("D", (dk + 1).astype(str))),
        "label": _cat(np.array(["损害项（示例）"] * m, object)), "element": _cat(np.array(ELEMENTS, object)[rng.integers(0, len(ELEMENTS), m)]),
        "restorable": (method != 1) & ~is_h, "category": _cat(category),
        "method": _cat(np.array(EVERY_METHOD[:5] + ("value_loss",) + EVERY_METHOD[6:], object)[method]),
        "inputs.quantity.value": num(np.where(is_v, _money(rng, m, 10, 5_000_000, 1), np.where(is_l, _money(rng, m, 1, 3000, 1), nan))),
        "inputs.quantity.unit": _cat(np.where(is_v, "kg", np.where(is_l, "亩", None))),
        "inputs.unit_cost.value": num(np.where(is_v, _money(rng, m, 50, 8000), nan)),
        "inputs.unit_cost.unit": _cat(np.where(is_v, "元/t", None)),
        "inputs.unit_cost_provenance": _cat(np.where(is_v, np.array(["actual_survey", "cost_function", "reference_cost",
                                                                       "literature"], object)[rng.integers(0, 4, m)], None)),
        "inputs.gamma.value": num(np.where(is_v, _money(rng, m, 1, 5, 1), nan)),
        "inputs.gamma.basis": _cat(np.where(is_v, "GB/T 39793.2-2020 表C（示例）", None)),
        "inputs.unit_value.value": num(np.where(is_l, _money(rng, m, 100, 60000), nan)),
        "inputs.unit_value.unit": _cat(np.where(is_l, "元/(hm²·年)", None)),
        "inputs.loss_fraction": num(np.where(is_l, _money(rng, m, 0.05, 1, 2), nan)),
        "inputs.start_year": pd.array(np.where(is_l, y0, 0), dtype="Int64"),
        "inputs.end_year": pd.array(np.where(is_l, y1, 0), dtype="Int64"),
        "inputs.base_year": pd.array(np.where(is_l, np.maximum(y1, 2024), 0), dtype="Int64"),
        "inputs.discount_rate": num(np.where(is_l, np.array([0.02, 0.03, 0.035, 0.04, 0.05])[rng.integers(0, 5, m)], nan)),
        "inputs.amount.value": num(np.where(is_g, _money(rng, m, 1000, 2_000_000, 2), nan)),
        "inputs.amount.unit": _cat(np.where(is_g, "元", None)),
        "inputs.source": _cat(np.where(is_g, "appraisal_report", None)),
        "inputs.document": _cat(np.where(is_g, "鉴定意见书第5页（示例）", None)),
    })
    for c in ("inputs.start_year", "inputs.end_year", "inputs.base_year"):
        items.loc[~is_l, c] = pd.NA
    experts = None
    if every_method:
        items, experts = _every_method_columns(rng, items, num, dp, dk, ids_at, is_r, is_p, is_h, is_e, y0, y1)
    # restoration lines and surcharges
    r_items = np.flatnonzero(method == 0)
    lp, lk = _repeat_ids(rng.integers(1, 5, r_items.size))
    m = lp.size
    units = rng.integers(0, len(LINE_UNITS), m)
    if every_method:   # realistic sizes: a few hectares at 万元/hm², not thousands
        hm2 = np.array([u[0] for u in LINE_UNITS], object)[units] == "hm²"
        lines_q = np.where(hm2, _money(rng, m, 0.1, 50, 1), _money(rng, m, 1, 5000, 1))
    lines = pd.DataFrame({
        "case_id": ids_at(dp[r_items[lp]]), "damage_items#": dk[r_items[lp]],
        "damage_items.inputs.lines#": lk, "label": _cat(np.full(m, "工程量清单项（示例）")),
        "quantity.value": num(lines_q if every_method else _money(rng, m, 1, 20000, 1)),
        "quantity.unit": _cat(np.array([u[0] for u in LINE_UNITS], object)[units]),
        "unit_price.value": num(_money(rng, m, 5, 400, 2)),
        "unit_price.unit": _cat(np.array([u[1] for u in LINE_UNITS], object)[units]),
    })
    sp, sk = _repeat_ids(rng.integers(0, 3, r_items.size))
    m = sp.size
    surcharges = pd.DataFrame({
        "case_id": ids_at(dp[r_items[sp]]), "damage_items#": dk[r_items[sp]],
        "damage_items.inputs.surcharges#": sk, "label": _cat(np.array(["设计费", "监理费"], object)[sk % 2]),
        "rate": num(_money(rng, m, 0.01, 0.1, 3)), "basis": _cat(np.full(m, "收费标准（示例）")),
    })
    out = {"cases": cases, "obligors": obligors, "cost_items": cost_items, "damage_items": items,
           "damage_items.inputs.lines": lines, "damage_items.inputs.surcharges": surcharges,
           "punitive.reasons": reasons}
    if experts is not None:
        out["damage_items.inputs.experts"] = experts
    return out


def _every_method_columns(rng: np.random.Generator, items: pd.DataFrame, num, dp: np.ndarray, dk: np.ndarray, ids_at,
                          is_r: np.ndarray, is_p: np.ndarray, is_h: np.ndarray, is_e: np.ndarray,
                          y0: np.ndarray, y1: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The columns of the methods beyond the four vectorised ones (``every_method``), and the experts table."""
    m = len(items)
    nan = np.nan
    items = items.copy()

    def ints(mask: np.ndarray, values: np.ndarray) -> pd.Series:
        return pd.Series(pd.array(np.where(mask, values, 0), dtype="Int64")).mask(~mask, pd.NA)

    # realistic sizes (the every-method docket is the benchmark's: case totals of 10⁴–10⁸ 元, not 10¹¹):
    # treatment up to 500 t, value losses on up to 300 亩 (a permanent one on up to 100 亩 at up to 5000 元/(hm²·年))
    is_v, is_l = items["method"].astype(object).to_numpy() == "virtual_treatment_cost", items["method"].astype(object).to_numpy() == "value_loss"
    items["inputs.quantity.value"] = num(np.where(is_v, _money(rng, m, 10, 500_000, 1), np.where(
        is_l, np.where(is_p, _money(rng, m, 1, 100, 1), _money(rng, m, 1, 300, 1)), nan)))
    items["inputs.unit_value.value"] = num(np.where(is_l, np.where(is_p, _money(rng, m, 100, 5000), _money(rng, m, 100, 60000)), nan))
    # ratio of D1 (0.05–0.6, up to three places: products land on half fen)
    items["inputs.of"] = _cat(np.where(is_r, "D1", None))
    items["inputs.ratio"] = num(np.where(is_r, _money(rng, m, 0.05, 0.6, 3), nan))
    items["inputs.basis"] = _cat(np.where(is_r, "判决书：按修复费用比例计（示例）", None))
    # a permanent value loss from the year after the interim years: in perpetuity, or over a horizon of 10–30 years
    horizon = is_p & (rng.random(m) < 0.5)
    items["inputs.permanent.method"] = _cat(np.where(is_p, np.where(horizon, "horizon", "perpetuity"), None))
    items["inputs.permanent.first_year"] = ints(is_p, y1 + 1)
    items["inputs.permanent.horizon_years"] = ints(horizon, rng.integers(10, 31, m))
    # habitat equivalency: linear paths, a fifth never recovering (interim to interim_end_year, permanent to horizon)
    never = is_h & (rng.random(m) < 0.2)
    hy0 = rng.integers(2016, 2024, m)
    rec = hy0 + rng.integers(1, 8, m)
    items["inputs.analysis"] = _cat(np.where(is_h, "HEA", None))
    q = items["inputs.quantity.value"].astype(object)
    items["inputs.injured_quantity.value"] = num(np.where(is_h, _money(rng, m, 0.5, 40, 1), nan))
    items["inputs.injured_quantity.unit"] = _cat(np.where(is_h, np.where(rng.random(m) < 0.5, "hm²", "亩"), None))
    items["inputs.baseline"] = num(np.where(is_h, 100.0, nan))
    items["inputs.injured_path.type"] = _cat(np.where(is_h, "linear", None))
    items["inputs.injured_path.start_level"] = num(np.where(is_h, rng.integers(10, 70, m).astype(float), nan))
    items["inputs.injured_path.end_level"] = num(np.where(is_h, np.where(never, 70.0, 100.0), nan))
    items["inputs.injury_year"] = ints(is_h, hy0)
    recovery = pd.Series(np.where(is_h, np.where(never, "never", None), None), dtype=object)
    recovery[is_h & ~never] = rec[is_h & ~never].tolist()
    items["inputs.recovery_year"] = recovery
    items["inputs.interim_end_year"] = ints(never, rec)
    items["inputs.horizon_year"] = ints(never, rec + 20)
    items["inputs.project.baseline_level"] = num(np.where(is_h, 0.0, nan))
    items["inputs.project.path.type"] = _cat(np.where(is_h, "linear", None))
    items["inputs.project.path.start_level"] = num(np.where(is_h, 0.0, nan))
    items["inputs.project.path.end_level"] = num(np.where(is_h, 100.0, nan))
    items["inputs.project.start_year"] = ints(is_h, rec)
    items["inputs.project.end_year"] = ints(is_h, rec + 10)
    items["inputs.project.unit_cost.value"] = num(np.where(is_h, _money(rng, m, 20000, 400000, 0), nan))
    items["inputs.project.unit_cost.unit"] = _cat(np.where(is_h, "元/hm²", None))
    items.loc[is_h, "inputs.base_year"] = np.maximum(rec[is_h], 2024)
    dr = np.array([0.02, 0.03, 0.035, 0.04, 0.05])[rng.integers(0, 5, m)]
    rate = pd.to_numeric(items["inputs.discount_rate"], errors="coerce").to_numpy(np.float64)
    items["inputs.discount_rate"] = num(np.where(is_h, dr, rate))      # a number column (text with text_numbers)
    del q
    # expert panels: 3–5 experts, amounts for the item's category within ±4 % of a centre
    e_items = np.flatnonzero(is_e)
    ep, ek = _repeat_ids(rng.integers(3, 6, e_items.size))
    centre = _money(rng, e_items.size, 5000, 800000, 0)
    cat = items["category"].astype(object).to_numpy()[e_items]
    amounts = np.round(centre[ep] * (1 + rng.integers(-40, 41, ep.size) / 1000), 2)
    experts = pd.DataFrame({"case_id": ids_at(dp[e_items[ep]]), "damage_items#": dk[e_items[ep]],
                            "damage_items.inputs.experts#": ek,
                            "name": _cat(np.char.add("专家", (ek + 1).astype(str))),
                            "pool": _cat(np.full(ep.size, "省生态环境损害鉴定评估专家库（示例）"))})
    for c in ("interim_service_loss", "permanent_loss", "remediation_costs"):
        here = cat[ep] == c
        experts[f"amounts.{c}.value"] = num(np.where(here, amounts, nan))
        experts[f"amounts.{c}.unit"] = _cat(np.where(here, "元", None))
    return items, experts
