"""The batch path (assess/batch.py): same fen and routing codes as the single-case path, row errors, frame errors,
Dask, and the ``assess batch`` command."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess import assess_case, assess_frame, row_to_case
from assess.app.batch import CATEGORY_KEYS, OUTPUT_COLUMNS, fen_to_yuan, result_meta, typed_result
from assess.app.cli import main
from assess.app.synthetic import synthetic_docket
from factors.errors import InputError

TODAY = date(2026, 1, 1)
ROUTES = ("assessment_path", "cost_ratio", "consultation_path")


def single(row: pd.Series, **kw) -> tuple[list[int], list[str]] | None:
    """(fen of the five categories and total, routing codes) by the single-case path, or None if it refuses."""
    try:
        r = assess_case(row_to_case(row), today=TODAY, **kw)
    except InputError:
        return None
    except Exception as exc:   # RuleNotInForce etc. are AssessErrors too
        from factors.errors import AssessError

        if isinstance(exc, AssessError):
            return None
        raise
    fen = [int(r.ledger.amount(k) * 100) for k in CATEGORY_KEYS] + [int(r.ledger.total * 100)]
    return fen, [r.routing.get(k).outcome for k in ROUTES]


def batch_row(out: pd.DataFrame, i: int) -> tuple[list[int], list[str]]:
    o = out.iloc[i]
    return [int(o[f"{k}_fen"]) for k in CATEGORY_KEYS] + [int(o["total_fen"])], [str(o[k]) for k in ROUTES]


def assert_same(df: pd.DataFrame, **kw) -> pd.DataFrame:
    out = assess_frame(df, **kw)
    assert list(out.columns) == list(OUTPUT_COLUMNS)
    for i in range(len(df)):
        want = single(df.iloc[i], **kw)
        if want is None:
            assert out["error"].iloc[i] is not None, f"row {i}: the single path refuses it, the batch does not"
            continue
        assert out["error"].iloc[i] is None, out["error"].iloc[i]
        assert batch_row(out, i) == want, f"row {i}: {df.iloc[i].to_dict()}"
    return out


# -- generated cases ------------------------------------------------------------------------------

def decimals(places: int, low: int, high: int):
    return st.integers(low, high).map(lambda k: f"{k / 10 ** places:.{places}f}")


@st.composite
def rows(draw):
    jur = draw(st.sampled_from(["CN-JS", "CN-SH", "CN"]))
    start = {"CN-JS": date(2023, 3, 1), "CN-SH": date(2024, 4, 10), "CN": date(2021, 1, 1)}[jur]
    incident = start + pd.Timedelta(days=draw(st.integers(0, 1600)))
    row = {"case_id": draw(st.uuids()).hex, "jurisdiction": jur, "incident": incident.isoformat(),
           "element": draw(st.sampled_from(["soil", "surface_water", "forest"]))}
    if draw(st.booleans()):
        row["assessment_base"] = (incident + pd.Timedelta(days=draw(st.integers(0, 90)))).isoformat()
    # amounts around the thresholds (JS tiers 500 000 / 1 000 000 元, simple case 300 000 元) and half fen
    for name in ("assessment_costs", "prevention_costs", "remediation_costs_incurred"):
        if draw(st.booleans()):
            row[name] = draw(st.one_of(decimals(3, 0, 10 ** 9), st.sampled_from(["500000.00", "500000.01", "0.005",
                                                                                "300000", "1.005", "2.675"])))
    if draw(st.booleans()):
        row.update(restoration_quantity=draw(decimals(1, 0, 10 ** 6)), restoration_quantity_unit="亩",
                   restoration_unit_price=draw(decimals(2, 0, 10 ** 7)), restoration_unit_price_unit="元/hm²")
    if draw(st.booleans()):
        row.update(vtc_quantity=draw(decimals(2, 0, 10 ** 8)), vtc_quantity_unit="kg",
                   vtc_unit_cost=draw(decimals(2, 0, 10 ** 6)), vtc_unit_cost_unit="元/t",
                   vtc_gamma=draw(decimals(1, 0, 50)), vtc_gamma_basis="表C",
                   vtc_cost_provenance="actual_survey",
                   vtc_category=draw(st.sampled_from(["remediation_costs", "interim_service_loss", "permanent_loss"])))
    if draw(st.booleans()):
        y0 = draw(st.integers(2015, 2024))
        row.update(vl_unit_value=draw(decimals(2, 0, 10 ** 7)), vl_unit_value_unit="元/(hm²·年)",
                   vl_quantity=draw(decimals(1, 0, 10 ** 5)), vl_quantity_unit="亩",
                   vl_loss_fraction=draw(decimals(2, 0, 100)), vl_start_year=y0,
                   vl_end_year=y0 + draw(st.integers(0, 9)), vl_base_year=2025,
                   vl_discount_rate=draw(st.sampled_from(["0", "0.03", "0.045"])),
                   vl_timing=draw(st.sampled_from([None, "start", "mid", "end"])))
    for f in ("simple_facts", "undisputed_liability", "small_damage", "obligor_refused_simplified",
              "obligor_agrees_simplified_consultation"):
        row[f] = draw(st.sampled_from([True, False, None]))
    return row


def frame(rs: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rs)
    for c in ("vl_start_year", "vl_end_year", "vl_base_year"):
        if c in df:
            df[c] = df[c].astype("Int64")
    return df


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(rows(), min_size=1, max_size=14, unique_by=lambda r: r["case_id"]))
def test_generated_cases_equal_the_single_path(rs):
    assert_same(frame(rs))


@settings(max_examples=5, deadline=None)
@given(st.lists(rows(), min_size=1, max_size=10, unique_by=lambda r: r["case_id"]),
       st.sampled_from(["0.5", "1", "1.5", "2.25"]))
def test_cost_ratio_threshold_override(rs, threshold):
    assert_same(frame(rs), cost_ratio_threshold=threshold)


def test_synthetic_docket_with_float_and_text_columns():
    df = synthetic_docket(300, seed=7)
    assert_same(df)
    # the same docket as text (as a CSV typed by hand would be): same amounts
    as_text = df.astype(object).where(df.notna(), None).map(lambda v: v if v is None else str(v))
    for c in ("incident", "clue_received", "assessment_base"):
        as_text[c] = df[c].dt.strftime("%Y-%m-%d")
    a, b = assess_frame(df), assess_frame(as_text)
    pd.testing.assert_series_equal(a["total_fen"], b["total_fen"])
    assert_same(as_text.head(60))


def test_hand_worked_rows():
    df = pd.DataFrame([
        # 1200 m³ × 35.50 元/m³ = 42600.00 元; 2.675 元 → 2.68 (half-up)
        {"case_id": "A", "jurisdiction": "CN-JS", "incident": "2024-05-12", "element": "sediment",
         "restoration_quantity": "1200", "restoration_quantity_unit": "m³", "restoration_unit_price": "35.50",
         "restoration_unit_price_unit": "元/m³", "assessment_costs": "2.675"},
        # 0.5 元 × 0.01 → 0.005 → 0.01 (a float product lands on the half fen: exact path)
        {"case_id": "B", "jurisdiction": "CN-JS", "incident": "2024-05-12", "element": "soil",
         "restoration_quantity": 0.5, "restoration_quantity_unit": "m³", "restoration_unit_price": 0.01,
         "restoration_unit_price_unit": "元/m³", "assessment_costs": 1.005},
    ])
    out = assert_same(df)
    assert out["remediation_costs_fen"].tolist() == [4260000, 1]
    assert out["assessment_costs_fen"].tolist() == [268, 101]
    assert fen_to_yuan(out["total_fen"]).tolist() == ["42602.68", "1.02"]
    assert fen_to_yuan(54318529) == "543185.29"


def test_js_tier_boundaries():
    base = {"jurisdiction": "CN-JS", "incident": "2024-05-12", "simple_facts": True, "undisputed_liability": True,
            "small_damage": True, "obligor_agrees_simplified_consultation": True}
    df = pd.DataFrame([{**base, "case_id": "T1", "prevention_costs": "500000.00"},
                       {**base, "case_id": "T2", "prevention_costs": "500000.01"},
                       {**base, "case_id": "T3", "prevention_costs": "1000000.01"}])
    out = assert_same(df)
    assert out["consultation_path"].tolist() == ["direct_sign", "simplified_report", "full"]


# -- per-row errors --------------------------------------------------------------------------------

def test_row_errors_do_not_stop_the_batch():
    df = synthetic_docket(8, seed=2)
    df = df.astype({"vtc_quantity": object, "assessment_costs": object, "incident": object})
    df.loc[0, "vtc_quantity"] = -3.0
    df.loc[0, ["vtc_quantity_unit", "vtc_unit_cost", "vtc_unit_cost_unit", "vtc_gamma", "vtc_gamma_basis",
               "vtc_cost_provenance", "vtc_category"]] = ["kg", 10.0, "元/t", 2.0, "b", "literature", "remediation_costs"]
    df.loc[1, "assessment_costs"] = "12,5"
    df.loc[2, "incident"] = "2024-13-40"
    df.loc[3, "jurisdiction"] = "CN-ZJ"
    # before every rule set (national rules are recorded from 2015-01-01; a 2020 row now runs on national rules)
    df.loc[4, ["incident", "clue_received", "assessment_base"]] = [pd.Timestamp("2014-12-31"), pd.NaT, pd.NaT]
    out = assess_frame(df)
    err = out["error"].tolist()
    assert err[0] == "row 0: vtc_quantity: expected a non-negative number, got -3"
    assert err[1] == "row 1: assessment_costs: expected a finite number, got '12,5'"
    assert err[2].startswith("row 2: incident: expected a date as YYYY-MM-DD, got '2024-13-40'")
    assert "jurisdiction: expected one of CN, CN-JS, CN-SH, got 'CN-ZJ'" in err[3]
    assert "rules date: expected a date in the" in err[4] and "2014-12-31" in err[4]
    assert all(e is None for e in err[5:])
    assert out["total_fen"].isna().tolist() == [True] * 5 + [False] * 3
    for i in range(5):   # the single path refuses each of them too
        assert single(df.iloc[i]) is None


def test_several_problems_of_one_row_are_all_reported():
    df = pd.DataFrame([{"case_id": "X", "jurisdiction": "CN-JS", "incident": "2024-05-12", "element": "soil",
                        "vl_unit_value": "-1", "vl_unit_value_unit": "元/(hm²·年)", "vl_quantity": "2",
                        "vl_quantity_unit": "hm²", "vl_loss_fraction": "1.5", "vl_start_year": 2020,
                        "vl_end_year": 2019, "vl_base_year": 2024, "vl_discount_rate": "3%", "simple_facts": "maybe"}])
    msg = assess_frame(df)["error"].iloc[0]
    for part in ("vl_unit_value: expected a non-negative number", "vl_loss_fraction: expected a fraction in [0, 1]",
                 "vl_end_year: expected a year ≥ vl_start_year", "vl_discount_rate: expected a finite number, got '3%'",
                 "simple_facts: expected true or false"):
        assert part in msg


# -- frame errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("change, text", [
    (lambda df: df.drop(columns=["incident"]), "missing incident"),
    (lambda df: df.drop(columns=["vtc_gamma"]), "missing vtc_gamma"),
    (lambda df: df.assign(colour="red"), "colour"),
    (lambda df: df.assign(case_id=["A", "A"] + list(df["case_id"][2:])), "duplicated: A"),
    (lambda df: df.assign(vl_quantity_unit=["hm²"] + ["亩"] * (len(df) - 1)), "several units: hm², 亩"),
    (lambda df: df.assign(vtc_unit_cost_unit="元/m³"), "a cost per t"),
    (lambda df: df.assign(restoration_unit_price_unit="元/kg"), "a price per m³"),
])
def test_frame_errors(change, text):
    df = synthetic_docket(6, seed=1)
    with pytest.raises(InputError) as exc:
        assess_frame(change(df))
    assert text in str(exc.value)


def test_not_a_frame_and_empty_frame():
    with pytest.raises(InputError, match="a pandas DataFrame"):
        assess_frame([{"case_id": "A"}])
    meta = result_meta()
    assert list(meta.columns) == list(OUTPUT_COLUMNS) and len(meta) == 0


# -- dask ------------------------------------------------------------------------------------------

def test_dask_on_a_local_cluster_equals_pandas():
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    from assess import assess_dask

    df = synthetic_docket(400, seed=5)
    want = assess_frame(df)
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        got = assess_dask(dd.from_pandas(df, npartitions=4)).compute()
    # the dask result is typed (case_id and error as pandas `string`: parquet needs no inference); same values
    pd.testing.assert_frame_equal(got.sort_index(), typed_result(want))


# -- CLI -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_cli_batch(tmp_path, capsys, fmt):
    df = synthetic_docket(50, seed=4)
    df.loc[0, "vl_loss_fraction"] = 2.0
    df.loc[0, ["vl_unit_value", "vl_unit_value_unit", "vl_quantity", "vl_quantity_unit", "vl_start_year",
               "vl_end_year", "vl_base_year", "vl_discount_rate"]] = [1.0, "元/(hm²·年)", 1.0, "亩", 2020, 2021, 2024, 0.03]
    src = tmp_path / f"cases.{fmt}"
    (df.to_csv(src, index=False) if fmt == "csv" else df.to_parquet(src))
    before = src.read_bytes()
    out = tmp_path / f"results.{fmt}"
    assert main(["batch", str(src), "-o", str(out), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "rows: 50 · with errors: 1" in text and "Consultation path" in text and "vl_loss_fraction" in text
    res = pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out)
    assert len(res) == 50 and res["error"].notna().sum() == 1
    assert src.read_bytes() == before
    assert res["total_fen"].iloc[1:].astype("int64").tolist() == assess_frame(df)["total_fen"].iloc[1:].tolist()
    # frame errors: exit 2, nothing written; never over the input
    bad = tmp_path / "bad.csv"
    df.drop(columns=["incident"]).to_csv(bad, index=False)
    assert main(["batch", str(bad), "-o", str(tmp_path / "x.csv")]) == 2
    assert not (tmp_path / "x.csv").exists()
    assert main(["batch", str(src), "-o", str(src)]) == 2
    assert src.read_bytes() == before
    assert "input file is never modified" in capsys.readouterr().err


def test_numpy_arrays_untouched():
    df = synthetic_docket(20, seed=9)
    copy = df.copy()
    assess_frame(df)
    pd.testing.assert_frame_equal(df, copy)
    assert np.all(df.columns == copy.columns)


@pytest.mark.parametrize("typed", ["1_000", "１００", "١٠٠"])
def test_numbers_python_alone_reads_are_refused_by_both_paths(typed):
    # Python's Decimal reads "1_000" as 1000 and full-width or Arabic-Indic digits as 100; pandas (the
    # batch) does not.  The same row gave an error in the batch and an amount in the single path.
    row = {"case_id": "U", "jurisdiction": "CN-JS", "incident": "2024-05-12", "prevention_costs": typed}
    out = assess_frame(pd.DataFrame([row]))
    assert out["error"][0] == f"row 0: prevention_costs: expected a finite number, got {typed!r}"
    with pytest.raises(InputError) as exc:
        assess_case(row_to_case(row))
    assert exc.value.path == "cost_items[0].amount.value"


def test_unpadded_date_is_refused_by_both_paths():
    # pandas' "%Y-%m-%d" reads "2024-5-12"; the single path (like the README) wants YYYY-MM-DD.  The
    # batch computed a row the single path refused.
    row = {"case_id": "U", "jurisdiction": "CN-JS", "incident": "2024-5-12", "prevention_costs": "100"}
    out = assess_frame(pd.DataFrame([row]))
    assert out["error"][0].startswith("row 0: incident: expected a date as YYYY-MM-DD, got '2024-5-12'")
    with pytest.raises(InputError):
        assess_case(row_to_case(row))


# -- formats assessors meet: .xls/.ods, GBK CSV, CSV with a BOM -------------------------------------

FIXTURES = __import__("pathlib").Path(__file__).parent.parent / "fixtures"


@pytest.mark.parametrize("name", ["batch_cases.ods", "batch_cases.xls"])
def test_ods_and_xls_cases_equal_the_frame(tmp_path, name):
    """synthetic_docket(5, seed=4) written by pandas to .xlsx, converted by LibreOffice to .ods / .xls."""
    from assess.app.batchio import read_cases

    pytest.importorskip("python_calamine")
    out = tmp_path / "r.csv"
    assert main(["batch", str(FIXTURES / name), "-o", str(out)]) == 0
    want = assess_frame(synthetic_docket(5, seed=4))["total_fen"].astype("int64").tolist()
    assert pd.read_csv(out)["total_fen"].astype("int64").tolist() == want
    assert read_cases(FIXTURES / name)["case_id"].tolist() == synthetic_docket(5, seed=4)["case_id"].tolist()


def test_ods_without_calamine_says_which_extra(monkeypatch, tmp_path, capsys):
    import builtins

    real = builtins.__import__

    def no_calamine(name, *a, **kw):
        if name == "python_calamine":
            raise ImportError(name)
        return real(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_calamine)
    assert main(["batch", str(FIXTURES / "batch_cases.ods"), "-o", str(tmp_path / "r.csv")]) == 2
    err = capsys.readouterr().err
    assert "fast" in err and "python-calamine" in err and not (tmp_path / "r.csv").exists()


def test_gbk_csv_is_read_and_said(tmp_path, capsys):
    df = synthetic_docket(5, seed=4)
    df.loc[0, "case_id"] = "苏盐-2024-001"
    utf8, gbk = tmp_path / "u.csv", tmp_path / "g.csv"
    df.to_csv(utf8, index=False, encoding="utf-8")
    df.to_csv(gbk, index=False, encoding="gb18030")        # what zh-CN Excel's "CSV (逗号分隔)" writes
    assert gbk.read_bytes() != utf8.read_bytes()
    for src in (utf8, gbk):
        out = tmp_path / f"r_{src.stem}.csv"
        assert main(["batch", str(src), "-o", str(out)]) == 0
    assert "GB18030" in capsys.readouterr().err
    a, b = pd.read_csv(tmp_path / "r_u.csv"), pd.read_csv(tmp_path / "r_g.csv")
    assert a["case_id"][0] == b["case_id"][0] == "苏盐-2024-001"
    pd.testing.assert_frame_equal(a, b)


def test_csv_neither_utf8_nor_gb18030_is_refused(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"case_id,jurisdiction\n\xff\xfe\xff,CN\n")
    assert main(["batch", str(bad), "-o", str(tmp_path / "r.csv")]) == 2
    assert "UTF-8" in capsys.readouterr().err and not (tmp_path / "r.csv").exists()


def test_results_csv_has_a_bom_by_default(tmp_path):
    src = tmp_path / "c.csv"
    synthetic_docket(3, seed=1).to_csv(src, index=False)
    with_bom, without = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["batch", str(src), "-o", str(with_bom)]) == 0
    assert main(["batch", str(src), "-o", str(without), "--no-bom"]) == 0
    assert with_bom.read_bytes()[:3] == b"\xef\xbb\xbf" and without.read_bytes()[:3] != b"\xef\xbb\xbf"
    assert with_bom.read_bytes()[3:] == without.read_bytes()


@pytest.mark.parametrize("incident", ["1620-05-12", "2014-12-31"])
def test_a_damage_date_before_every_rule_set_is_refused_as_the_single_path_does(incident):
    # found by the long fuzz run: the rules date (assessment_base 2024-05-01) is inside the Jiangsu window, but
    # the substantive rules apply on the damage date, when no rule set was in force (the national one starts
    # 2015-01-01): the single path refuses, so the batch row must carry an error, never an amount
    from assess import assess_case, row_to_case
    from factors.errors import AssessError

    row = {"case_id": "U", "jurisdiction": "CN-JS", "incident": incident, "assessment_base": "2024-05-01",
           "prevention_costs": "100"}
    out = assess_frame(pd.DataFrame([row]))
    assert pd.isna(out["total_fen"][0]) and "incident" in out["error"][0]
    with pytest.raises(AssessError):
        assess_case(row_to_case(row))


def test_an_unsigned_64_bit_amount_never_wraps_to_a_negative_number():
    # np.uint64(2**64 − 1) read through int64 wrapped to −1 元 (a silent −100 fen); now it is 1.8 × 10^19 元,
    # above the batch's 10^15 元 per line: a row error, never an amount
    row = {"case_id": "U", "jurisdiction": "CN-JS", "incident": "2024-05-12", "prevention_costs": np.uint64(2 ** 64 - 1)}
    out = assess_frame(pd.DataFrame([row]))
    assert pd.isna(out["total_fen"][0]) and "10^15" in out["error"][0]
    ok = assess_frame(pd.DataFrame([{**row, "prevention_costs": np.uint64(12345)}]))
    assert ok["prevention_costs_fen"][0] == 1234500   # 12 345 元


def test_a_case_id_beyond_64_bits_is_text_not_an_exception():
    out = assess_frame(pd.DataFrame([{"case_id": 10 ** 40, "jurisdiction": "CN", "incident": "2024-05-12"}]))
    assert out["error"][0] is None and out["total_fen"][0] == 0


# -- case ids: empty ones refused, the column typed text without Python objects ---------------------

@pytest.mark.parametrize("dtype", ["string", "str", object])
@pytest.mark.parametrize("ids", [["A", "", "C", None], ["A", "  ", " C ", None], ["A", "", "C", "D"]])
def test_case_ids_empty_refused_and_typed_text(ids, dtype):
    # unique and unpadded (the fast path: no strip), padded (stripped), and a column without NA
    df = synthetic_docket(len(ids), seed=1)
    df["case_id"] = pd.Series(ids, dtype=dtype)
    out = assess_frame(df)
    assert out["case_id"].dtype == "string"
    want = [None if i is None or not i.strip() else i.strip() for i in ids]
    assert [None if pd.isna(v) else v for v in out["case_id"]] == want
    for k, w in enumerate(want):
        msg = out["error"].iloc[k]
        assert (msg is not None and "case_id: expected a non-empty case id" in msg) == (w is None), (k, msg)


def test_batch_summary_sums_exactly_beyond_int64():
    from assess.app.batchio import Tally, _exact_sum

    # three rows of 2^62 fen sum to 3 × 2^62 = 13 835 058 055 282 163 712 fen, past int64 (2^63 − 1)
    big = np.array([2**62, 2**62, 2**62, -7, 2**63 - 1, -(2**63)], np.int64)
    assert _exact_sum(big[:3]) == 3 * 2**62 == 13_835_058_055_282_163_712
    assert _exact_sum(big) == sum(int(v) for v in big) and _exact_sum(big[:0]) == 0
    out = assess_frame(synthetic_docket(40, seed=3))
    out.loc[out.index[5], "error"] = "row 5: x"                      # an error row counts in no sum
    tally = Tally()
    tally.add(out.iloc[:17])
    tally.add(out.iloc[17:])                                          # chunk by chunk = all at once
    ok = out["error"].isna()
    assert tally.rows == 40 and tally.errors == 1
    assert tally.sums["total"] == sum(int(v) for v in out.loc[ok, "total_fen"])
    for name in ROUTES:
        want: dict[str, list[int]] = {}
        for code, t in zip(out.loc[ok, name], out.loc[ok, "total_fen"], strict=True):
            e = want.setdefault(str(code), [0, 0])
            e[0] += 1
            e[1] += int(t)
        assert tally.groups[name] == want
