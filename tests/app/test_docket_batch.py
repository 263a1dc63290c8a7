"""`assess docket` and `assess batch` on a docket (issue 18): the same amounts and routing as `assess run`."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from _docket_examples import CASE_EXAMPLES
from assess.app.api import assess_case
from assess.app.cli import main
from assess.app.docket import assess_docket
from assess.formats.docket import flatten
from assess.formats.jsonio import read_case_json
from assess.law.categories import KEYS
from factors.money import to_fen

EXAMPLES = CASE_EXAMPLES   # every case file of data/examples/**/*.json
TODAY = date(2025, 6, 30)


def fen(x) -> int:
    return int(to_fen(x).scaleb(2))


@pytest.fixture(scope="module")
def expected() -> dict[str, dict]:
    """Per example, `assess run`'s figures: category and total fen, the six routing codes."""
    out = {}
    for p in EXAMPLES:
        r = assess_case(p, today=TODAY)
        row = {f"{k}_fen": fen(r.ledger.amount(k)) for k in KEYS}
        row["total_fen"] = fen(r.ledger.total)
        row.update({d.key: d.outcome for d in r.routing.decisions})
        out[read_case_json(p)["case_id"]] = row
    return out


def check(out: pd.DataFrame, expected: dict[str, dict]) -> None:
    assert sorted(out["case_id"]) == sorted(expected) and out["error"].isna().all()
    for _, row in out.iterrows():
        for col, value in expected[row["case_id"]].items():
            assert (int(row[col]) if col.endswith("_fen") else str(row[col])) == value, (row["case_id"], col)


@pytest.mark.parametrize("form", ["dir", "csv", "xlsx", "jsonl"])
def test_batch_of_a_docket_equals_assess_run(tmp_path, capsys, expected, form):
    target = {"dir": "dk", "csv": "dk", "xlsx": "dk.xlsx", "jsonl": "dk.jsonl"}[form]
    extra = ["--format", "csv"] if form == "csv" else []
    assert main(["docket", *map(str, EXAMPLES), "-o", str(tmp_path / target), *extra]) == 0
    assert f"{len(EXAMPLES)} " in capsys.readouterr().out
    for chunk in ("2", "100"):
        out_file = tmp_path / f"out{chunk}.parquet"
        assert main(["batch", str(tmp_path / target), "-o", str(out_file), "--today", "2025-06-30",
                     "--chunk-size", chunk, "--lang", "en"]) == 0
        assert f"rows: {len(EXAMPLES)}" in capsys.readouterr().out
        check(pd.read_parquet(out_file), expected)


def test_assess_docket_in_memory(expected):
    out = assess_docket(flatten([read_case_json(p) for p in EXAMPLES]), today=TODAY)
    check(out, expected)
    assert str(out["total_fen"].dtype) == "Int64"


def test_a_case_the_single_path_refuses_is_a_row_with_its_error(tmp_path):
    good = read_case_json(EXAMPLES[0])
    bad = {**good, "case_id": "BAD", "jurisdiction": "CN-XX"}
    out = assess_docket(flatten([good, bad]), today=TODAY)
    assert out["error"].isna().tolist() == [True, False] and "jurisdiction" in out.loc[1, "error"]
    assert pd.isna(out.loc[1, "total_fen"])


def test_unusable_docket_exits_2_nothing_written(tmp_path, capsys):
    p = tmp_path / "d.jsonl"
    p.write_text(json.dumps({"case_id": "A"}) + "\n" + json.dumps({"case_id": "A"}) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["batch", str(p), "-o", str(out)]) == 2
    assert "d.jsonl:2: case_id" in capsys.readouterr().err and not out.exists()
    assert main(["batch", str(p), "-o", str(out), "--cost-ratio-threshold", "0.3"]) == 2
    assert main(["docket", str(EXAMPLES[0]), str(EXAMPLES[0]), "-o", str(tmp_path / "dup")]) == 2
    assert "case id used once" in capsys.readouterr().err and not (tmp_path / "dup").exists()


def test_streamed_docket_larger_than_the_chunk(tmp_path, capsys, monkeypatch):
    """A synthetic every-method docket of 230 cases in chunks of 50: five chunks read and written one at a
    time (one parquet row group each), the same rows as the whole docket assessed at once."""
    import pyarrow.parquet as pq

    from assess.app import docket_batch
    from assess.app.synthetic import synthetic_docket_tables
    from assess.formats.docket_io import write_docket

    tables = synthetic_docket_tables(230, seed=3, every_method=True)
    write_docket(tables, tmp_path / "dk")
    sizes: list[int] = []
    real = docket_batch.assess_docket
    monkeypatch.setattr(docket_batch, "assess_docket", lambda t, **kw: sizes.append(len(t["cases"])) or real(t, **kw))
    out_file = tmp_path / "out.parquet"
    assert main(["batch", str(tmp_path / "dk"), "-o", str(out_file), "--today", "2025-06-30", "--chunk-size", "50"]) == 0
    assert "230" in capsys.readouterr().out
    assert sizes == [50, 50, 50, 50, 30]                       # never more than a chunk of cases at once
    assert pq.ParquetFile(out_file).num_row_groups == 5        # written chunk by chunk
    streamed = pd.read_parquet(out_file)
    whole = real(tables, today=TODAY)
    assert streamed["case_id"].tolist() == whole["case_id"].tolist() and streamed["error"].isna().all()
    # the parquet tables read back typed: every case on the vectorised engine, as in memory
    assert (streamed["engine"].astype(str) == "vectorised").all()
    for c in ("total_fen", "permanent_loss_fen", "punitive_fen", "net_owed_fen"):
        assert streamed[c].astype("Int64").tolist() == whole[c].tolist(), c
    # CSV output too, the same totals
    csv_file = tmp_path / "out.csv"
    assert main(["batch", str(tmp_path / "dk"), "-o", str(csv_file), "--today", "2025-06-30", "--chunk-size", "50"]) == 0
    assert pd.read_csv(csv_file, encoding="utf-8-sig")["total_fen"].tolist() == whole["total_fen"].tolist()


def test_duplicate_case_id_across_chunks_exits_2(tmp_path, capsys):
    """A case id given again in a later chunk (rows 0 and 7, chunks of 3): refused over the whole docket."""
    from assess.app.synthetic import synthetic_docket_tables
    from assess.formats.docket_io import write_docket

    tables = synthetic_docket_tables(9, seed=4)
    cases = tables["cases"].copy()
    cases["case_id"] = cases["case_id"].astype(object)
    cases.loc[7, "case_id"] = cases.loc[0, "case_id"]
    tables["cases"] = cases
    tables = {k: (v[v["case_id"].astype(object) != cases.loc[7, "case_id"]] if k != "cases" else v) for k, v in tables.items()}
    write_docket(tables, tmp_path / "dk", fmt="csv")
    out_file = tmp_path / "out.parquet"
    assert main(["batch", str(tmp_path / "dk"), "-o", str(out_file), "--chunk-size", "3"]) == 2
    err = capsys.readouterr().err
    assert "case id used once" in err and "row 2" in err and not out_file.exists()
