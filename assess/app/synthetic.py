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
