"""``assess batch`` in chunks: a file larger than the chunk gives exactly the one-chunk result (parquet, CSV,
xlsx), duplicate case ids over the whole input, exit 2 with nothing written, and the Dask parquet round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assess.app import batchio, caseids
from assess.app.batch import assess_frame, typed_result
from assess.app.caseids import SeenIds
from assess.app.cli import main
from assess.app.synthetic import synthetic_docket

ROWS, CHUNK = 50, 7    # 50 rows in chunks of 7: 7 full chunks and one of 1


def write_input(df: pd.DataFrame, path: Path) -> Path:
    {".parquet": lambda: df.to_parquet(path), ".csv": lambda: df.to_csv(path, index=False),
     ".xlsx": lambda: df.to_excel(path, index=False)}[path.suffix]()
    return path


def docket() -> pd.DataFrame:
    df = synthetic_docket(ROWS, seed=4)
    df.loc[16, "vl_loss_fraction"] = 2.0    # a row error in the third chunk: its message keeps row 16
    return df


def files(tmp_path: Path) -> list[Path]:
    return sorted(p for p in tmp_path.iterdir())


@pytest.mark.parametrize("out_suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("in_suffix", [".parquet", ".csv", ".xlsx", ".xlsx-streamed"])
def test_a_file_larger_than_the_chunk_gives_the_one_chunk_result(tmp_path, capsys, monkeypatch, in_suffix, out_suffix):
    if in_suffix == ".xlsx-streamed":   # openpyxl read-only, row by row (a sheet above WHOLE_XLSX_BYTES)
        monkeypatch.setattr(batchio, "WHOLE_XLSX_BYTES", 0)
        in_suffix = ".xlsx"
    src = write_input(docket(), tmp_path / f"cases{in_suffix}")
    one, many = tmp_path / f"one{out_suffix}", tmp_path / f"many{out_suffix}"
    assert main(["batch", str(src), "-o", str(one), "--lang", "en", "--chunk-rows", str(10 * ROWS)]) == 0
    summary_one = capsys.readouterr().out
    assert main(["batch", str(src), "-o", str(many), "--lang", "en", "--chunk-rows", str(CHUNK)]) == 0
    summary_many = capsys.readouterr().out
    # the summaries agree but for the time taken
    strip = lambda text: [line.split(" · time")[0] for line in text.splitlines()]  # noqa: E731
    assert strip(summary_one) == strip(summary_many) and "rows: 50 · with errors: 1" in summary_one
    if out_suffix == ".csv":
        assert one.read_bytes() == many.read_bytes()
        got = pd.read_csv(many)
    else:
        got = pd.read_parquet(many)
        pd.testing.assert_frame_equal(pd.read_parquet(one), got)
        assert pd.read_parquet(many).equals(got) and str(got["error"].dtype) != "null"
    want = assess_frame(docket())
    assert got["error"][16].startswith("row 16: vl_loss_fraction")
    assert got["total_fen"].drop(index=16).astype("int64").tolist() == want["total_fen"].drop(index=16).astype("int64").tolist()
    assert got["case_id"].tolist() == want["case_id"].tolist()


def test_streamed_xlsx_reads_cached_formula_values_per_chunk(tmp_path, monkeypatch):
    """A formula cell in a later chunk is read with its cached value and noted, as in a whole read."""
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setattr(batchio, "WHOLE_XLSX_BYTES", 0)
    df = synthetic_docket(12, seed=3)
    src = write_input(df, tmp_path / "c.xlsx")
    # a formula with a cached value: write it with openpyxl, then patch the cached <v> into the sheet XML
    wb = openpyxl.load_workbook(src)
    ws = wb.active
    col = [c.value for c in ws[1]].index("prevention_costs") + 1
    ws.cell(row=11, column=col).value = "=100+23"
    wb.save(src)
    import zipfile

    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert b"<f>100+23</f><v />" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"<f>100+23</f><v />", b"<f>100+23</f><v>123</v>")
    with zipfile.ZipFile(src, "w") as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    notes: list[dict[str, str]] = []
    frames = list(batchio.CasesFile(src, notes).frames(4))
    assert [len(f) for f in frames] == [4, 4, 4] and frames[2].index.tolist() == [8, 9, 10, 11]
    assert frames[2].loc[9, "prevention_costs"] == 123          # sheet row 11 = data row 9
    assert notes and "=100+23" in str(notes)


# -- duplicate case ids over the whole input --------------------------------------------------------

@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".xlsx"])
def test_duplicate_ids_across_chunks_exit_2_naming_both_rows_nothing_written(tmp_path, capsys, suffix):
    df = synthetic_docket(ROWS, seed=4)
    df.loc[45, "case_id"] = " " + df.loc[3, "case_id"] + " "    # chunk 6 repeats chunk 0's id (padding stripped)
    src = write_input(df, tmp_path / f"cases{suffix}")
    before = src.read_bytes()
    out = tmp_path / "r.csv"
    assert main(["batch", str(src), "-o", str(out), "--chunk-rows", str(CHUNK), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"case_id (row 3 and row 45): expected unique case ids, got '{df.loc[3, 'case_id']}'" in err
    assert files(tmp_path) == [src] and src.read_bytes() == before   # no result, no temp file, input untouched


def test_duplicate_ids_within_one_chunk_name_both_rows(tmp_path, capsys):
    df = synthetic_docket(ROWS, seed=4)
    df.loc[5, "case_id"] = df.loc[2, "case_id"]
    src = write_input(df, tmp_path / "cases.csv")
    assert main(["batch", str(src), "-o", str(tmp_path / "r.parquet"), "--chunk-rows", str(CHUNK)]) == 2
    assert "case_id (row 2 and row 5)" in capsys.readouterr().err
    assert files(tmp_path) == [src]


def test_a_frame_error_in_a_later_chunk_leaves_nothing(tmp_path, capsys):
    df = synthetic_docket(ROWS, seed=4)
    df.loc[40, "vl_quantity_unit"] = "hm²" if df["vl_quantity_unit"].dropna().iloc[0] != "hm²" else "亩"
    src = write_input(df, tmp_path / "cases.parquet")
    assert main(["batch", str(src), "-o", str(tmp_path / "r.parquet"), "--chunk-rows", str(CHUNK)]) == 2
    assert "vl_quantity_unit" in capsys.readouterr().err
    assert files(tmp_path) == [src]


def test_hash_collisions_are_confirmed_on_the_text(monkeypatch):
    # every id hashes to the same value: only equal text is a duplicate, within a chunk and across chunks
    monkeypatch.setattr(caseids, "hash_keys", lambda keys: np.zeros(len(keys), np.uint64))
    seen = SeenIds()
    ids = {0: "A", 1: "B", 2: "C", 3: "D"}
    lookups: list[list[int]] = []

    def lookup(rows):
        lookups.append(rows.tolist())
        return [ids[int(r)] for r in rows]

    assert seen.add(np.array(["A", "B"], object), np.array([0, 1]), lookup) is None
    assert seen.add(np.array(["C", None], object), np.array([2, 3]), lookup) is None      # empty: not an id
    assert lookups == [[0, 1]]
    assert seen.add(np.array(["D", "B"], object), np.array([4, 5]), lookup) == ("B", 1, 5)
    assert seen.add(np.array(["E", "E"], object), np.array([6, 7]), lookup) == ("E", 6, 7)


def test_seen_ids_over_many_chunks_keeps_16_bytes_an_id():
    seen = SeenIds()
    rng = np.random.default_rng(1)
    keys = np.array([f"K{i}" for i in rng.permutation(20_000)], object)
    for lo in range(0, len(keys), 1000):
        assert seen.add(keys[lo:lo + 1000], np.arange(lo, lo + 1000), lambda rows: [keys[r] for r in rows]) is None
    assert len(seen) == 20_000 and len(seen._runs) <= 15      # runs merged as a binary counter: O(log n) of them
    assert sum(h.nbytes + r.nbytes for h, r in seen._runs) == 16 * 20_000
    assert seen.add(np.array(["K19999"], object), np.array([20_000]), lambda rows: [keys[r] for r in rows]) == \
        ("K19999", int(np.flatnonzero(keys == "K19999")[0]), 20_000)


# -- CSV encoding found a block at a time --------------------------------------------------------------

def test_csv_encoding_across_block_boundaries(tmp_path):
    utf8 = tmp_path / "u.csv"
    utf8.write_bytes(b"a" * ((1 << 20) - 1) + "中文".encode())     # 中 straddles the 1 MiB block boundary
    assert batchio.csv_encoding(utf8) == "utf-8-sig"
    gbk = tmp_path / "g.csv"
    gbk.write_bytes(b"a" * ((1 << 20) - 1) + "中文".encode("gb18030"))
    assert batchio.csv_encoding(gbk) == "gb18030"
    bad = tmp_path / "b.csv"
    bad.write_bytes(b"a" * ((1 << 20) + 5) + b"\xff\xfe\xff")
    with pytest.raises(Exception, match=r"neither \(byte 1048581: "):
        batchio.csv_encoding(bad)


def test_progress_is_quiet_when_stderr_is_not_a_terminal(tmp_path, capsys):
    src = write_input(synthetic_docket(ROWS, seed=4), tmp_path / "c.parquet")
    assert main(["batch", str(src), "-o", str(tmp_path / "r.parquet"), "--chunk-rows", "5"]) == 0
    assert capsys.readouterr().err == ""


# -- Dask: typed results that write to parquet; duplicate ids across partitions --------------------------

def test_dask_results_round_trip_through_parquet(tmp_path):
    dd = pytest.importorskip("dask.dataframe")
    from assess import assess_dask

    df = synthetic_docket(120, seed=5)
    df.loc[7, "vl_loss_fraction"] = 2.0       # an error row: the error column holds text in one partition only
    write = tmp_path / "docket"
    dd.from_pandas(df, npartitions=4).to_parquet(write)
    res = assess_dask(dd.read_parquet(write))
    assert all(str(t) != "object" for t in res._meta.dtypes)          # typed meta: no untyped object column
    res.to_parquet(tmp_path / "results")                               # raised ArrowInvalid before
    back = pd.read_parquet(tmp_path / "results").reset_index(drop=True)
    back["rules_date"] = back["rules_date"].astype("datetime64[s]")   # parquet has no second unit: ms on the way back
    want = typed_result(assess_frame(df))
    pd.testing.assert_frame_equal(back, want, check_categorical=False)
    assert "vl_loss_fraction: expected a fraction in [0, 1], got 2" in back["error"][7]


def test_dask_finds_duplicate_ids_across_partitions():
    dd = pytest.importorskip("dask.dataframe")
    from assess import InputError, assess_dask

    df = synthetic_docket(120, seed=5)
    df.loc[100, "case_id"] = df.loc[4, "case_id"]
    ddf = dd.from_pandas(df, npartitions=4)
    with pytest.raises(InputError) as exc:
        assess_dask(ddf).compute()
    assert f"case_id (partition 0 row 4 and partition 3 row 100): expected unique case ids, got '{df.loc[4, 'case_id']}'" \
        == str(exc.value)
    assert len(assess_dask(ddf, check_ids=False).compute()) == 120     # the check can be left to the caller


def test_streamed_xlsx_refuses_a_formula_without_a_cached_value_by_cell(tmp_path, monkeypatch, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setattr(batchio, "WHOLE_XLSX_BYTES", 0)
    src = write_input(synthetic_docket(12, seed=3), tmp_path / "c.xlsx")
    wb = openpyxl.load_workbook(src)
    col = [c.value for c in wb.active[1]].index("prevention_costs") + 1
    wb.active.cell(row=11, column=col).value = "=100+23"     # in the third chunk of 4 rows, no cached value
    wb.save(src)
    assert main(["batch", str(src), "-o", str(tmp_path / "r.csv"), "--chunk-rows", "4"]) == 2
    err = capsys.readouterr().err
    assert "formula" in err and f"{openpyxl.utils.get_column_letter(col)}11" in err
    assert files(tmp_path) == [src]
