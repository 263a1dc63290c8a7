"""`assess batch --jobs N` on a docket (issue 18): worker processes give the same file as one process; a
chunk that fails stops the run with nothing written."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest

from assess.app.batchio import Tally
from assess.app.cli import main
from assess.app.synthetic import synthetic_docket_tables
from factors.errors import InputError
from assess.formats import docket_io
from assess.formats.docket import unflatten
from assess.formats.docket_io import write_docket

TODAY = ["--today", "2025-06-30"]


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """47 every-method cases, one of them refused by the rules (a row with its error, not a failed run)."""
    t = synthetic_docket_tables(47, seed=11, every_method=True)
    cases = t["cases"].copy()
    cases["jurisdiction"] = cases["jurisdiction"].astype(object)
    cases.loc[5, "jurisdiction"] = "CN-XX"
    t["cases"] = cases
    return t


def _batch(src, out, *extra) -> int:
    return main(["batch", str(src), "-o", str(out), *TODAY, *extra])


def _parquet_docket(tables, d, row_group):
    """Each table written as given, in row groups of ``row_group`` rows; the damage items shuffled (a table
    not in case order: each chunk's rows are positions spread over the file)."""
    t = dict(tables)
    t["damage_items"] = t["damage_items"].sample(frac=1.0, random_state=2).reset_index(drop=True)
    docket_io._write_dir(t, d, "parquet", True, [], row_group)
    return d


@pytest.mark.parametrize("row_group", [3, 10_000])
def test_jobs_write_the_file_of_one_process(tmp_path, capsys, tables, row_group):
    """Chunks of 5 cases on 2 workers: the parquet and CSV results equal the one-process batch's, byte for
    byte for CSV (row groups of 3: each worker seeks to its chunks' row groups and skips the others)."""
    src = _parquet_docket(tables, tmp_path / "dk", row_group)
    for suffix in ("parquet", "csv"):
        one, two = tmp_path / f"one.{suffix}", tmp_path / f"two.{suffix}"
        assert _batch(src, one, "--chunk-size", "5") == 0
        summary_one = capsys.readouterr().out
        assert _batch(src, two, "--chunk-size", "5", "--jobs", "2") == 0
        summary_two = capsys.readouterr().out
        if suffix == "csv":
            assert one.read_bytes() == two.read_bytes()
        else:
            import pyarrow.parquet as pq

            assert pq.ParquetFile(two).num_row_groups == 10      # one row group a chunk, in chunk order
            pd.testing.assert_frame_equal(pd.read_parquet(one), pd.read_parquet(two))
        # the same summary (counts, totals, paths) but for the time taken: 47 rows, the CN-XX case an error
        assert summary_one.split("用时")[0] == summary_two.split("用时")[0] == \
            "行数 rows: 47 · 有错误 with errors: 1 · "
        assert summary_one.split("\n", 1)[1] == summary_two.split("\n", 1)[1]


@pytest.mark.parametrize("form", ["csv", "jsonl"])
def test_jobs_on_a_docket_the_parent_reads(tmp_path, capsys, tables, form):
    """CSV tables and JSON Lines are read by the parent and sent to the workers: the same results."""
    if form == "csv":
        src = tmp_path / "dk"
        write_docket(tables, src, fmt="csv")
    else:
        src = tmp_path / "dk.jsonl"
        src.write_text("".join(json.dumps(c, ensure_ascii=False, default=str) + "\n" for _, c in unflatten(tables)),
                       encoding="utf-8")
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert _batch(src, one, "--chunk-size", "4") == 0
    assert _batch(src, two, "--chunk-size", "4", "-j", "3") == 0
    capsys.readouterr()
    assert one.read_bytes() == two.read_bytes()
    assert len(pd.read_csv(two, encoding="utf-8-sig")) == 47


def test_flat_cases_file_runs_in_one_process_with_a_note(tmp_path, capsys):
    from assess.app.synthetic import synthetic_docket

    src = tmp_path / "flat.csv"
    synthetic_docket(6, seed=1).to_csv(src, index=False)
    assert main(["batch", str(src), "-o", str(tmp_path / "o.csv"), "--jobs", "2"]) == 0
    assert "--jobs" in capsys.readouterr().out


def _fail_on(monkeypatch, case_id, how):
    """The engine fails on the chunk holding ``case_id`` (workers are forked: they inherit the patch)."""
    import assess.app.docket as docket

    real = docket.assess_docket

    def patched(t, **kw):
        if case_id in set(t["cases"]["case_id"].astype(str)):
            if how == "input":
                raise InputError("cases row 33, column region", "a region code", "??")
            if how == "bug":
                raise ZeroDivisionError("boom")
            os._exit(9)       # the worker dies (killed, out of memory)
        return real(t, **kw)

    monkeypatch.setattr(docket, "assess_docket", patched)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the patch reaches forked workers only")
@pytest.mark.parametrize("how, code, text", [
    ("input", 2, "cases row 33, column region: expected a region code, got '??'"),
    ("bug", 70, "ZeroDivisionError: boom"),
    ("dies", 71, "died while chunks "),
])
def test_a_failing_chunk_stops_the_run_nothing_written(tmp_path, capsys, tables, monkeypatch, how, code, text):
    src = _parquet_docket(tables, tmp_path / "dk", 10_000)
    _fail_on(monkeypatch, str(tables["cases"]["case_id"].iloc[33]), how)   # chunk 7 of 5 cases each
    out = tmp_path / "out.parquet"
    assert _batch(src, out, "--chunk-size", "5", "--jobs", "2") == code
    err = capsys.readouterr().err
    assert text in err, err
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name != "dk"]   # no file, no temporary


def test_a_docket_error_found_by_the_id_pass_exits_2_before_any_chunk(tmp_path, capsys, tables):
    t = dict(tables)
    cases = t["cases"].copy()
    cases["case_id"] = cases["case_id"].astype(object)
    cases.loc[40, "case_id"] = cases.loc[2, "case_id"]
    t["cases"] = cases
    src = _parquet_docket(t, tmp_path / "dk", 10_000)
    out = tmp_path / "out.csv"
    assert _batch(src, out, "--jobs", "2") == 2
    assert "case id used once" in capsys.readouterr().err and not out.exists()


def test_tally_merge_equals_one_tally(tables):
    from assess.app.docket import assess_docket

    out = assess_docket(tables, today=pd.Timestamp("2025-06-30").date())
    whole, a, b = Tally(), Tally(), Tally()
    whole.add(out)
    a.add(out.iloc[:20])
    b.add(out.iloc[20:])
    a.merge(b)
    assert a.text(1.0, "en") == whole.text(1.0, "en")


def test_plan_rows_read_in_any_order_give_the_chunks(tmp_path, tables):
    """A worker takes chunks 1, 3, 5, … of a file: seeking back and ahead gives each chunk's rows."""
    src = _parquet_docket(tables, tmp_path / "dk", 3)
    sources = docket_io._dir_sources(src, "parquet", docket_io.utf8_only)
    plan = docket_io.plan_docket(sources, 4)
    in_order = list(docket_io.chunks(sources, 4))
    tables_ = docket_io.open_tables(sources)
    order = [3, 1, 11, 0, 5, 4, 7, 2, 10, 6, 9, 8]
    assert plan.count == 12 == len(in_order)
    for k in order:
        got = docket_io.take_chunk(tables_, plan.rows(k))
        for name, frame in in_order[k].items():
            pd.testing.assert_frame_equal(got[name], frame, check_index_type=False)
    assert not plan.aligned["damage_items"] and plan.aligned["cases"] if "cases" in plan.aligned else True
    assert isinstance(plan.rows(0)["damage_items"], np.ndarray)
