"""Docket readers and writers (issue 18): every format round-trips the examples, chunks hold whole cases,
whole-docket checks across chunks, errors naming file, table, row and column."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from _docket_examples import CASE_EXAMPLES, docket_cases
from assess.formats import docket_io
from assess.formats.docket import flatten, text_cell, unflatten
from assess.formats.docket_io import is_docket, iter_jsonl, read_docket, write_docket
from assess.law.case import parse_case
from factors.errors import InputError

EXAMPLES = CASE_EXAMPLES   # every case file of data/examples/**/*.json


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return docket_cases()     # the examples and a variant mixing recovery_year "never" and 2029


def textify(x):
    """What a CSV holds: every scalar as text (true/false, numbers as typed); a number-or-code field read
    by its type (``text_cell``)."""
    if isinstance(x, dict):
        return {k: text_cell(k, textify(v)) for k, v in x.items()}
    if isinstance(x, list):
        return [textify(v) for v in x]
    if isinstance(x, bool):
        return "true" if x else "false"
    return x if isinstance(x, str) else str(x)


def read_all(source, chunk, **kw) -> list[dict]:
    return [c for tables in read_docket(source, chunk, **kw) for _, c in unflatten(tables)]


TARGETS = [("dir", "parquet"), ("dir", "csv"), ("docket.xlsx", None), ("docket.jsonl", None)]


@pytest.mark.parametrize("name,fmt", TARGETS, ids=["parquet", "csv", "xlsx", "jsonl"])
@pytest.mark.parametrize("chunk", [1, 4, 100])
def test_examples_round_trip_through_every_format(tmp_path, cases, name, fmt, chunk):
    target = tmp_path / name
    write_docket(flatten(cases), target, fmt=fmt)
    assert is_docket(target)
    back = read_all(target, chunk)
    if fmt == "csv":   # a CSV holds text: the same case files once typed text is read by the case model
        assert back == [textify(c) for c in cases]
        assert [parse_case(b) for b in back] == [parse_case(c) for c in cases]
    else:
        assert back == cases


@pytest.mark.parametrize("chunk", [1, 2, 5, 100])
def test_dataframes_in_memory_and_chunks_hold_whole_cases(cases, chunk):
    tables = flatten(cases)
    parts = list(read_docket(tables, chunk))
    assert len(parts) == -(-len(cases) // chunk)
    for part in parts:
        ids = set(part["cases"]["case_id"])
        assert len(ids) <= chunk
        for name, frame in part.items():
            assert set(frame["case_id"]) <= ids, name
    assert [c for p in parts for _, c in unflatten(p)] == cases


def many(cases: list[dict], copies: int) -> list[dict]:
    out = []
    for k in range(copies):
        for c in cases:
            out.append({**c, "case_id": f"{c['case_id']}#{k}"})
    return out


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_docket_larger_than_the_chunk_and_the_blocks(tmp_path, cases, fmt, monkeypatch):
    """40 cases (8 × 5) in chunks of 4, read in blocks of 7 rows: the same as one chunk; child tables in case order
    (streamed) and shuffled (rescanned per chunk) alike."""
    monkeypatch.setattr(docket_io, "BLOCK_ROWS", 7)
    monkeypatch.setattr(docket_io, "SCAN_ROWS", 7)
    big = many(cases, 5)
    tables = flatten(big)
    write_docket(tables, tmp_path / "sorted", fmt=fmt)
    shuffled = {n: (f if n == "cases" else f.sample(frac=1, random_state=3)) for n, f in tables.items()}
    (tmp_path / "shuffled").mkdir()
    for n, f in shuffled.items():     # written as is (write_docket would sort them back into case order)
        docket_io._write_dir({n: f}, tmp_path / "shuffled" / n, fmt, True, [], 5)
        (tmp_path / "shuffled" / n / f"{n}.{fmt}").rename(tmp_path / "shuffled" / f"{n}.{fmt}")
        (tmp_path / "shuffled" / n).rmdir()
    one = read_all(tmp_path / "sorted", 1000)
    assert len(one) == 5 * len(cases) == 40
    assert read_all(tmp_path / "sorted", 4) == one
    assert read_all(tmp_path / "shuffled", 4) == one
    if fmt == "parquet":
        assert one == big


def test_duplicate_ids_across_chunks_name_both_rows(tmp_path, cases):
    tables = flatten(cases)
    tables["cases"].loc[5, "case_id"] = tables["cases"].loc[0, "case_id"]   # rows 0 and 5: different chunks of 2
    write_docket({"cases": tables["cases"]}, tmp_path / "p")
    with pytest.raises(InputError, match=r"cases row 5, column case_id: .*also on cases row 0"):
        list(read_docket(tmp_path / "p", 2))
    write_docket({"cases": tables["cases"]}, tmp_path / "c", fmt="csv")
    with pytest.raises(InputError, match=r"cases row 7, column case_id: .*also on cases row 2"):   # sheet rows
        list(read_docket(tmp_path / "c", 2))
    with pytest.raises(InputError, match=r"cases row 5, column case_id"):
        list(read_docket(tables, 2))


def test_jsonl_duplicate_ids_across_chunks_name_both_lines(tmp_path, cases):
    p = tmp_path / "d.jsonl"
    lines = [json.dumps({"case_id": "A", "x": 1}), "", json.dumps({"case_id": "B"}), json.dumps({"case_id": "A"})]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"d.jsonl:4: case_id: .*also on d.jsonl:1"):
        list(read_docket(p, 1))


def test_orphan_child_row_in_a_file(tmp_path, cases):
    tables = flatten(cases)
    tables["cost_items"].loc[3, "case_id"] = "NOPE"
    write_docket(tables, tmp_path / "p")
    rows = tables["cost_items"]   # written in case order: find the row's place in the file
    ordered = docket_io._in_case_order(tables)["cost_items"]
    pos = list(ordered.index).index(3)
    assert rows.loc[3, "case_id"] == "NOPE"
    with pytest.raises(InputError, match=rf"cost_items row {pos}, column case_id: expected a case id of the cases table, got 'NOPE'"):
        list(read_docket(tmp_path / "p", 2))


def test_jsonl_lines_are_read_as_case_files(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_bytes("\ufeff".encode() + b'{"case_id": "A", "v": 1.00499999999999999999}\n\n{"case_id": "B"}\n')
    got = list(iter_jsonl(p))
    assert [w for w, _ in got] == ["c.jsonl:1", "c.jsonl:3"]
    assert got[0][1]["v"] == Decimal("1.00499999999999999999")
    p.write_text('{"case_id": "A"}\n{"case_id": "B",}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"c.jsonl:2:\d+: expected valid JSON"):
        list(iter_jsonl(p))
    p.write_text('{"case_id": "A"}\n[1]\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"c.jsonl:2: expected a JSON object"):
        list(iter_jsonl(p))
    p.write_text('{"case_id": "A"}\n' + "[" * 200 + "]" * 200 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"c.jsonl:2: expected JSON nested at most"):
        list(iter_jsonl(p))
    p.write_bytes(b'{"case_id": "A"}\n{"case_id": "\xb0\xa1"}\n')
    with pytest.raises(InputError, match=r"c.jsonl:2: expected UTF-8"):
        list(iter_jsonl(p))
    p.write_text('{"case_id": "A", "x": {"a.b": 1}}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"c.jsonl:1: x.a.b"):
        list(read_docket(p))


def test_csv_gb18030_refused_by_default_read_with_the_batch_detector(tmp_path):
    from assess.app.batchio import csv_encoding

    d = tmp_path / "gbk"
    d.mkdir()
    (d / "cases.csv").write_bytes("case_id,title\nA,水污染案\n".encode("gb18030"))
    with pytest.raises(InputError, match="CSV text in UTF-8"):
        list(read_docket(d))
    (case,) = read_all(d, 10, csv_encoding=csv_encoding)
    assert case == {"case_id": "A", "title": "水污染案"}


def test_workbook_names_long_tables_in_an_index_sheet(tmp_path, cases):
    from openpyxl import load_workbook

    target = tmp_path / "d.xlsx"
    write_docket(flatten(cases), target)
    wb = load_workbook(target, read_only=True)
    assert "cases" in wb.sheetnames and docket_io.INDEX_SHEET in wb.sheetnames
    assert all(len(s) <= 31 for s in wb.sheetnames)
    index = list(wb[docket_io.INDEX_SHEET].iter_rows(values_only=True))
    wb.close()
    assert ("damage_items.inputs.project.~1", "damage_items.inputs.project.path.levels") in index
    tables = docket_io.read_docket_workbook(target)
    assert "damage_items.inputs.project.path.levels" in tables
    assert list(tables["cases"].index[:2]) == [2, 3]          # rows labelled as the sheet shows them


def test_exact_values_in_files(tmp_path):
    case = {"case_id": "A", "big": 2**60 + 1, "d": Decimal("0.10"), "f": "=1+1", "t": True}
    for target in (tmp_path / "d.xlsx", tmp_path / "p", tmp_path / "d.jsonl"):
        write_docket(flatten([case]), target)
        (back,) = read_all(target, 10)
        assert back["big"] in (2**60 + 1, str(2**60 + 1)) and back["f"] == "=1+1" and back["t"] is True
        assert str(back["d"]) == "0.10"


def test_not_a_docket_and_writer_refusals(tmp_path, cases):
    flat = tmp_path / "flat.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "batch"
    wb.save(flat)
    assert not is_docket(flat) and not is_docket(tmp_path / "x.csv") and is_docket(tmp_path)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(InputError, match="new or empty directory"):
        write_docket(flatten(cases), tmp_path / "full")
    assert (tmp_path / "full" / "x.txt").read_text(encoding="utf-8") == "keep"
    with pytest.raises(InputError, match="--output"):
        write_docket(flatten(cases), tmp_path / "x.txt")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no table files"):
        list(read_docket(empty))
    with pytest.raises(InputError, match="a table named 'cases'"):
        list(read_docket({"items": pd.DataFrame({"case_id": ["A"]})}))


# -- the id pass keys only the first row of each run of equal ids (a table grouped by case) -------------------


def test_runs_of_case_id_cells_arrow_and_lists():
    import pyarrow as pa

    # rows 0-1 one run; a null is a run of its own and ends the run before it; 7 and "7" are two runs (one key)
    arrow = pa.array(["A", "A", None, "B", "B", "B", "", ""])
    heads, starts = docket_io._runs(arrow)
    assert heads == ["A", None, "B", ""] and starts.tolist() == [0, 2, 3, 6]
    heads, starts = docket_io._runs(pa.array(["A", "A", "C"]).dictionary_encode())
    assert heads == ["A", "C"] and starts.tolist() == [0, 2]
    heads, starts = docket_io._runs(pa.array([7, 7, 8]))
    assert heads == [7, 8] and starts.tolist() == [0, 2]
    heads, starts = docket_io._runs([7, "7", "7", None, None, Decimal("7.0")])
    assert heads == [7, "7", None, None, Decimal("7.0")] and starts.tolist() == [0, 1, 3, 4, 5]
    heads, starts = docket_io._runs([])
    assert heads == [] and starts.size == 0


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_an_unusable_id_inside_a_run_names_its_own_row(tmp_path, cases, fmt, monkeypatch):
    """A child row in the middle of its case's run holding another case's id (or none): the error names that row,
    also when the run crosses a block boundary (blocks of 3 rows)."""
    monkeypatch.setattr(docket_io, "BLOCK_ROWS", 3)
    tables = docket_io._in_case_order(flatten(many(cases, 2)))
    items = tables["damage_items"].reset_index(drop=True)
    biggest = items["case_id"].value_counts().index[0]
    run = items.index[items["case_id"] == biggest]
    assert len(run) >= 3
    bad = int(run[-1])
    label = bad if fmt == "parquet" else bad + 2      # a CSV row as the sheet shows it (header row 1)

    def write_as_is(target):
        """The tables written in the order given (write_docket would sort an unknown id elsewhere)."""
        target.mkdir()
        for n, f in {**tables, "damage_items": items}.items():
            docket_io._write_dir({n: f}, target / n, fmt, True, [], 5)
            (target / n / f"{n}.{fmt}").rename(target / f"{n}.{fmt}")
            (target / n).rmdir()

    items.loc[bad, "case_id"] = "NOPE"
    write_as_is(tmp_path / "d")
    with pytest.raises(InputError, match=rf"damage_items row {label}, column case_id: expected a case id of the cases "
                                         "table, got 'NOPE'"):
        list(read_docket(tmp_path / "d", 2))
    items.loc[bad, "case_id"] = None
    write_as_is(tmp_path / "e")
    with pytest.raises(InputError, match=rf"damage_items row {label}, column case_id: expected a case id"):
        list(read_docket(tmp_path / "e", 2))


def test_ids_sharing_a_hash_are_confirmed_on_their_text(tmp_path, cases, monkeypatch):
    """A weak hash (the id's length mod 3: distinct ids collide) — the id pass confirms equal hashes on the ids
    read again (no false duplicate) and places rows by binary search; in one chunk every row is in its case."""
    tables = flatten(many(cases, 3))
    write_docket(tables, tmp_path / "d")
    want = read_all(tmp_path / "d", 10_000)
    weak = lambda keys: np.array([len(k) % 3 for k in keys], np.uint64)  # noqa: E731
    monkeypatch.setattr(docket_io, "_hash", weak)
    monkeypatch.setattr(docket_io, "_arrow_index", lambda srcs, chunk: None)    # the hash pass, as for CSV tables
    assert read_all(tmp_path / "d", 10_000) == want
    ids = tables["cases"]["case_id"].tolist()
    tables["cases"].loc[len(ids) - 1, "case_id"] = ids[0]            # a real duplicate is still found
    write_docket({"cases": tables["cases"]}, tmp_path / "e")
    with pytest.raises(InputError, match=rf"cases row {len(ids) - 1}, column case_id: .*also on cases row 0"):
        read_all(tmp_path / "e", 10_000)


# -- the id pass in one Arrow dictionary encoding (parquet tables of text or whole-number ids) ------------------


def _parquet_sources(d):
    return docket_io._dir_sources(d, "parquet", docket_io.utf8_only)


def _write_tables(d, tables):
    """Each table written as given (no reordering into case order)."""
    docket_io._write_dir(tables, d, "parquet", True, [], 5)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 100])
def test_arrow_and_hash_id_passes_agree(tmp_path, cases, chunk, monkeypatch):
    """Both passes give every child row the same chunk, for tables in case order and a shuffled one, read in
    blocks of 4 rows (runs crossing block boundaries)."""
    monkeypatch.setattr(docket_io, "BLOCK_ROWS", 4)
    tables = flatten(many(cases, 3))
    rng = np.random.default_rng(chunk)
    tables = {n: (f if n == "cases" else f.iloc[rng.permutation(len(f))] if n == "damage_items" else f)
              for n, f in tables.items()}
    _write_tables(tmp_path / "d", tables)
    srcs = _parquet_sources(tmp_path / "d")
    fast, n = docket_io._arrow_index(srcs, chunk)
    slow, m = docket_io._hash_index(srcs, chunk)
    assert n == m == len(tables["cases"]) and fast.keys() == slow.keys()
    for name in fast:
        assert fast[name].dtype == slow[name].dtype and fast[name].tolist() == slow[name].tolist(), name


def test_arrow_id_pass_reads_whole_number_ids_as_their_text(tmp_path):
    """An int64 case_id column in ``cases`` and text ids in a child table: 7 is the case "7"; rows 0 and 2 of the
    child belong to case 7 (position 1), row 1 to case 12 (position 0); in chunks of one case: chunks 1, 0, 1."""
    _write_tables(tmp_path / "d", {"cases": pd.DataFrame({"case_id": [12, 7]}),
                                   "obligors": pd.DataFrame({"case_id": ["7", "12", "7"], "name": ["a", "b", "c"]})})
    srcs = _parquet_sources(tmp_path / "d")
    assert srcs["cases"].plain_ids() and srcs["obligors"].plain_ids()
    index, n = docket_io._arrow_index(srcs, 1)
    assert n == 2 and index["obligors"].tolist() == [1, 0, 1]
    assert docket_io._hash_index(srcs, 1)[0]["obligors"].tolist() == [1, 0, 1]
    got = [(t["cases"]["case_id"].tolist(), t["obligors"]["name"].tolist()) for t in read_docket(tmp_path / "d", 1)]
    assert got == [([12], ["b"]), ([7], ["a", "c"])]


def test_arrow_id_pass_names_a_repeated_case_and_an_unknown_child_id(tmp_path):
    _write_tables(tmp_path / "d", {"cases": pd.DataFrame({"case_id": ["A", "B", "C", "B", "A"]}),
                                   "obligors": pd.DataFrame({"case_id": ["A"]})})
    with pytest.raises(InputError, match=r"^cases row 3, column case_id: expected a case id used once in the docket "
                                         r"\(also on cases row 1\), got 'B'"):
        list(read_docket(tmp_path / "d"))
    _write_tables(tmp_path / "e", {"cases": pd.DataFrame({"case_id": ["A", "B"]}),
                                   "obligors": pd.DataFrame({"case_id": ["A", "A", "B", "Z", "Y"]})})
    with pytest.raises(InputError, match=r"^obligors row 3, column case_id: expected a case id of the cases table, "
                                         r"got 'Z'"):
        list(read_docket(tmp_path / "e"))


@pytest.mark.parametrize("bad", [None, ""])
def test_an_empty_id_leaves_the_arrow_pass_to_the_hash_pass(tmp_path, bad):
    """An empty or missing id: no Arrow index; the hash pass names the row (cases row 1; obligors row 2)."""
    _write_tables(tmp_path / "d", {"cases": pd.DataFrame({"case_id": ["A", bad]}),
                                   "obligors": pd.DataFrame({"case_id": ["A"]})})
    assert docket_io._arrow_index(_parquet_sources(tmp_path / "d"), 10) is None
    with pytest.raises(InputError, match=r"^cases row 1, column case_id: expected a case id"):
        list(read_docket(tmp_path / "d"))
    _write_tables(tmp_path / "e", {"cases": pd.DataFrame({"case_id": ["A", "B"]}),
                                   "obligors": pd.DataFrame({"case_id": ["A", "B", bad]})})
    assert docket_io._arrow_index(_parquet_sources(tmp_path / "e"), 10) is None
    with pytest.raises(InputError, match=r"^obligors row 2, column case_id: expected a case id"):
        list(read_docket(tmp_path / "e"))


def test_a_json_tagged_case_id_column_is_read_by_its_values(tmp_path):
    """A case_id column tagged docket=json (cells of mixed JSON types: 7 and "A") is not read by Arrow: its cells
    are their JSON values, keyed as ids (7 → "7"), so a child table of plain text ids finds its cases."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    d = tmp_path / "d"
    d.mkdir()
    field = pa.field("case_id", pa.string(), metadata=dict([docket_io.JSON_TAG]))
    pq.write_table(pa.table({"case_id": pa.array(["7", '"A"'])}, schema=pa.schema([field])), d / "cases.parquet")
    pq.write_table(pa.table({"case_id": ["A", "7"], "name": ["x", "y"]}), d / "obligors.parquet")
    srcs = _parquet_sources(d)
    assert not srcs["cases"].plain_ids() and docket_io._arrow_index(srcs, 1) is None
    got = [(t["cases"]["case_id"].tolist(), t["obligors"]["name"].tolist()) for t in read_docket(d, 1)]
    assert got == [([7], ["y"]), (["A"], ["x"])]


@pytest.mark.parametrize("scan", [2, 3, 100])
def test_parquet_rows_cut_from_scan_batches(tmp_path, scan, monkeypatch):
    """Rows taken from Arrow batches of ``scan`` rows in row groups of 5: a child table out of case order gives
    each chunk its own rows (runs are views, scattered rows taken), labelled by their row numbers; a JSON-tagged
    column reads its cells' JSON values, and a bad cell names its own row (row 6) whichever batch holds it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.setattr(docket_io, "SCAN_ROWS", scan)
    d = tmp_path / "d"
    d.mkdir()
    pq.write_table(pa.table({"case_id": [f"C{i}" for i in range(6)]}), d / "cases.parquet", row_group_size=5)
    owner = [0, 3, 0, 1, 5, 3, 0, 2, 4, 1, 5, 2]          # the case of each obligor row (file order)
    field = pa.field("share", pa.string(), metadata=dict([docket_io.JSON_TAG]))
    schema = pa.schema([pa.field("case_id", pa.string()), pa.field("row", pa.int64()), field])
    shares = [f'"{i}"' if i % 2 else str(i) for i in range(12)]     # "1" text, 2 a number, …
    pq.write_table(pa.table({"case_id": [f"C{o}" for o in owner], "row": list(range(12)), "share": shares},
                            schema=schema), d / "obligors.parquet", row_group_size=5)
    got = list(read_docket(d, 2))
    # chunk 0 = cases C0, C1: obligor rows 0, 2, 3, 6, 9; chunk 1 = C2, C3: rows 1, 5, 7, 11; chunk 2: rows 4, 8, 10
    assert [t["obligors"].index.tolist() for t in got] == [[0, 2, 3, 6, 9], [1, 5, 7, 11], [4, 8, 10]]
    assert [t["obligors"]["row"].tolist() for t in got] == [[0, 2, 3, 6, 9], [1, 5, 7, 11], [4, 8, 10]]
    assert got[1]["obligors"]["share"].tolist() == ["1", "5", "7", "11"] and got[2]["obligors"]["share"].tolist() == [4, 8, 10]
    assert [t["cases"].index.tolist() for t in got] == [[0, 1], [2, 3], [4, 5]]
    shares[6] = "[1]"                                    # a list: not one JSON value
    pq.write_table(pa.table({"case_id": [f"C{o}" for o in owner], "row": list(range(12)), "share": shares},
                            schema=schema), d / "obligors.parquet", row_group_size=5)
    with pytest.raises(InputError, match=r"obligors.parquet row 6, column share: expected one JSON value"):
        list(read_docket(d, 2))


def test_the_batch_arrow_pool_is_the_system_one_unless_the_user_names_one(monkeypatch):
    """``assess batch`` on a docket lets Arrow allocate with malloc (mimalloc refaults every chunk's pages); a pool
    named in ARROW_DEFAULT_MEMORY_POOL is the user's choice and stays."""
    import pyarrow as pa

    chosen = []            # the pools the function sets (recorded, not set: the test process keeps its own pool)
    monkeypatch.setattr(pa, "set_memory_pool", chosen.append)
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")
    docket_io.use_system_arrow_pool()
    assert chosen == []
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL")
    docket_io.use_system_arrow_pool()
    assert [p.backend_name for p in chosen] == ["system"]
