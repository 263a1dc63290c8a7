"""Fuzz suite 模糊测试: every entry path, fed mutations of the shipped examples, ends in exit 0 or 2.

Paths: JSON case files (``assess run``), case workbooks (``assess run x.xlsx``), DataFrames
(:func:`assess.assess_frame` against the single path), batch files (``assess batch`` on csv, xlsx,
parquet) and claims (``assess check`` with JSON and xlsx claims).  Mutations: dropped and duplicated
fields, wrong types, extreme and non-finite numbers, unicode and control characters, deep nesting,
huge lists, corrupt XML and zip damage.  Properties:

* exit 0 or 2 only (``check``: 0, 1 or 2) — never an internal error (70) or an exception;
* on exit 2: nothing on stdout, nothing written, every stderr line ``error: <where>: …``;
* the input bytes are unchanged;
* the same amount on every path for a valid case (JSON vs workbook; batch row vs single path).

Budget: the CI profile runs a few hundred inputs per path (the whole file well under a minute).
``ASSESS_FUZZ=long`` runs 10,000 inputs per path (``ASSESS_FUZZ_EXAMPLES=N`` sets another count);
in that mode failures are counted rather than stopping the run and a report is written to
``ASSESS_FUZZ_REPORT`` (default ``fuzz-report.json``) with the counts per path and one reproducer
per kind of failure.  The list of known failures (``KNOWN``) is empty: the causes found so far (decimal
overflow, JSON depth, unit parsing, Unix-timestamp dates) are fixed and held by regression tests.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import io
import json
import os
import random
import re
import tempfile
import zipfile
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.app.cli import main
from factors.paths import data_dir

LONG = os.environ.get("ASSESS_FUZZ", "").lower() == "long"
EXAMPLES_N = int(os.environ.get("ASSESS_FUZZ_EXAMPLES", "10000" if LONG else "0") or 0)
EXAMPLE_FILES = sorted((data_dir() / "examples").glob("*.json"))
WORK = Path(tempfile.mkdtemp(prefix="assess-fuzz-"))


def budget(ci: int) -> Any:
    n = EXAMPLES_N or ci
    return settings(max_examples=n, deadline=None, derandomize=not LONG, database=None,
                    suppress_health_check=list(HealthCheck))


# -- bookkeeping: counts per path; in the long run failures are collected, not raised ------------------

STATS: dict[str, Counter] = defaultdict(Counter)
FAILURES: dict[str, dict[str, Any]] = {}

#: Internal errors still expected, each as (pattern, name): empty — every cause found so far is fixed and held
#: by a regression test (tests/test_hardening.py, tests/factors/test_vocabulary.py, the end of this file).
KNOWN: list[tuple[re.Pattern[str], str]] = []


def known(text: str) -> str | None:
    for pattern, name in KNOWN:
        if pattern.search(text):
            return name
    return None


def fail(path: str, kind: str, detail: str, reproducer: Any) -> None:
    STATS[path][f"failure: {kind}"] += 1
    key = f"{path}: {kind}: {detail[:120]}"
    if LONG:
        FAILURES.setdefault(key, {"path": path, "kind": kind, "detail": detail[:2000],
                                  "reproducer": repr(reproducer)[:4000], "count": 0})["count"] += 1
        return
    raise AssertionError(f"{key}\nreproducer: {repr(reproducer)[:3000]}")


def _report() -> None:
    if not LONG:
        return
    out = Path(os.environ.get("ASSESS_FUZZ_REPORT", "fuzz-report.json"))
    report = {"stats": {k: dict(v) for k, v in STATS.items()}, "failures": FAILURES}
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, out)


atexit.register(_report)


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:      # argparse
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def count_input(path: str) -> None:
    STATS[path]["inputs"] += 1
    if LONG and STATS[path]["inputs"] % 250 == 0:
        _report()      # the long run writes its report as it goes


def check_exit(path: str, code: int, out: str, err: str, allowed: tuple[int, ...], reproducer: Any,
               written: Path | None = None) -> None:
    count_input(path)
    STATS[path][f"exit {code}"] += 1
    if code not in allowed:
        k = known(err) if code == 70 else None
        if k:
            STATS[path][f"known ({k})"] += 1
            return
        fail(path, f"exit {code}", err.strip(), reproducer)
        return
    if code == 2:
        lines = err.strip().splitlines()
        if out:
            fail(path, "output on exit 2", out[:200], reproducer)
        if not lines or not all(re.match(r"(error: |错误：)\S.*", line) for line in lines):
            fail(path, "not one 'error: where: …' line per problem", err[:500], reproducer)
        if written is not None and written.exists():
            fail(path, "file written on exit 2", str(written), reproducer)


# -- evil values ---------------------------------------------------------------------------------------

EVIL_SCALARS: list[Any] = [
    None, True, False, 0, -1, 1, 0.5, -0.0, 10 ** 30, -10 ** 30, 1e308, -1e308, 5e-324, float("nan"), float("inf"),
    float("-inf"), "", " ", "x", "0", "-1", "1e999999", "1E+1000000", "NaN", "inf", "-Infinity", "0x10", "1,000",
    "1_000", "１００", "١٠٠", "1.00499999999999999999", "123456789012345678901234567890", "0.001", "99999999999999999999",
    "2024-02-30", "2024-13-01", "0001-01-01", "1620-05-12", "9999-12-31", "2024-5-12", "1715472000", "2024-05-12T10:00:00",
    "\x00", "\x01\x1f\x7f", "a\u202eb", "💥💥", "\ud7ff", "𝟙𝟘𝟘", "=cmd|' /C calc'!A0", "+1", "@SUM(A1)", "\t", "\r\n",
    "true", "false", "yes", "是", "否", "元", "万元", "1/0", "元/0", "dB", "m³", "hm²", "亩", "degC", "kg/m³",
    "CN", "CN-JS", "CN-SH", "CN-XX", "soil", "remediation_costs", "restoration_cost", "a" * 5000,
]
EVIL_CONTAINERS: list[Callable[[], Any]] = [
    lambda: [], lambda: {}, lambda: [1], lambda: [None], lambda: {"value": "1", "unit": "元"},
    lambda: {"value": "1e999999", "unit": "元"}, lambda: {"value": "1", "unit": "1/0"},
    lambda: {"value": "-5", "unit": "t"}, lambda: {"value": None}, lambda: [[[]]], lambda: {"": {"": {}}},
]


DEEP = "__deeply nested__"


def nested(depth: int) -> Any:
    """A list nested ``depth`` deep; beyond 100 a marker that :func:`json_bytes` expands in the text
    (the test's own copy and json.dumps would hit Python's recursion limit first)."""
    if depth > 100:
        return f"{DEEP}{depth}"
    v: Any = 1
    for _ in range(depth):
        v = [v]
    return v


def evil(rng: random.Random) -> Any:
    r = rng.random()
    if r < 0.55:
        return copy.deepcopy(rng.choice(EVIL_SCALARS))
    if r < 0.75:
        return rng.choice(EVIL_CONTAINERS)()
    if r < 0.85:
        return rng.choice([rng.randint(-10 ** 6, 10 ** 6), rng.uniform(-1e6, 1e6), str(rng.randint(0, 10 ** 9)),
                           f"{rng.randint(0, 10 ** 6)}.{rng.randint(0, 99):02d}"])
    if r < 0.93:
        return "".join(chr(rng.choice([rng.randint(0, 0x1f), rng.randint(0x20, 0x7e), rng.randint(0x4e00, 0x9fff),
                                       rng.randint(0x1f300, 0x1f5ff)])) for _ in range(rng.randint(0, 12)))
    if r < 0.97:
        return nested(rng.choice([3, 30, 200, 5000]))
    return [copy.deepcopy(rng.choice(EVIL_SCALARS[:20])) for _ in range(rng.choice([100, 2000]))]


# -- JSON tree mutations ---------------------------------------------------------------------------------

def paths_of(tree: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(tree, dict):
        for k, v in tree.items():
            out += paths_of(v, prefix + (k,))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out += paths_of(v, prefix + (i,))
    return out


def at(tree: Any, path: tuple) -> Any:
    for p in path:
        tree = tree[p]
    return tree


def mutate_tree(tree: Any, rng: random.Random, n: int) -> tuple[Any, list[str]]:
    tree = copy.deepcopy(tree)
    log = []
    for _ in range(n):
        paths = [p for p in paths_of(tree) if p]
        if not paths:
            break
        path = rng.choice(paths)
        parent, key = at(tree, path[:-1]), path[-1]
        op = rng.choice(["drop", "set", "set", "set", "dup", "wrap", "huge", "rename"])
        if op == "drop":
            del parent[key]
        elif op == "set":
            parent[key] = evil(rng)
        elif op == "dup" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif op == "dup" and isinstance(parent, dict):
            parent[f"{key}"] = copy.deepcopy(parent[key])     # a duplicate key in JSON keeps the last
            if isinstance(parent[key], (str, int)):
                parent[key] = copy.deepcopy(rng.choice(EVIL_SCALARS))
        elif op == "wrap":
            parent[key] = [parent[key]] if rng.random() < 0.5 else {"value": parent[key]}
        elif op == "huge" and isinstance(parent, list):
            parent.extend(copy.deepcopy(parent[key]) for _ in range(rng.choice([50, 500])))
        elif op == "rename" and isinstance(parent, dict):
            parent[str(key) + rng.choice(["_", "X", " ", "\u00a0"])] = parent.pop(key)
        else:
            parent[key] = evil(rng)
        log.append(f"{op} {'/'.join(map(str, path))}")
    return tree, log


def json_bytes(tree: Any, rng: random.Random) -> bytes:
    text = json.dumps(tree, ensure_ascii=rng.random() < 0.3, allow_nan=True)
    text = re.sub(f'"{DEEP}(\\d+)"', lambda m: "[" * int(m.group(1)) + "1" + "]" * int(m.group(1)), text)
    r = rng.random()
    if r < 0.04:
        return text.encode("utf-16")
    if r < 0.08:
        data = text.encode("utf-8")
        return data[:rng.randint(0, len(data))]
    if r < 0.11:
        return ("\ufeff" + text).encode("utf-8")
    if r < 0.14:
        data = bytearray(text.encode("utf-8"))
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if r < 0.16:   # a duplicated key in the text itself
        return text.replace('"case_id":', '"case_id": "dup", "case_id":', 1).encode("utf-8")
    return text.encode("utf-8")


EXAMPLE_DICTS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLE_FILES}


def ledger_of(out: str) -> dict[str, str]:
    led = json.loads(out)["ledger"]
    return {k: (v["amount"] if isinstance(v, dict) else v) for k, v in led.items()}


# -- path 1: JSON case files -----------------------------------------------------------------------------

def _small_workbook(data: dict, path: Path) -> Path:
    """The case workbook of ``data`` with only the sheets that hold rows (fast to read)."""
    from assess.formats.excel import DATA_ROW, case_workbook, save_atomic

    wb = case_workbook(data, rows=1)
    first = wb.worksheets[0].title
    for ws in list(wb.worksheets):
        has = any(c.value is not None for row in ws.iter_rows(min_row=DATA_ROW) for c in row)
        if not has and ws.title != first:
            wb.remove(ws)
        else:
            ws.data_validations.dataValidation = []
    save_atomic(wb, path)
    return path


@budget(ci=150)
@given(seed=st.integers(0, 2 ** 32 - 1), name=st.sampled_from(sorted(EXAMPLE_DICTS)), n=st.integers(1, 3),
       cross=st.integers(0, 9))
def test_fuzz_json_case_files(seed, name, n, cross):
    rng = random.Random(seed)
    tree, log = mutate_tree(EXAMPLE_DICTS[name], rng, n)
    data = json_bytes(tree, rng)
    src = WORK / f"case-{seed}.json"
    src.write_bytes(data)
    target = WORK / f"out-{seed}.json"
    code, out, err = cli("run", str(src), "--json", "-o", str(target))
    repro = {"example": name, "mutations": log, "bytes": data[:3000]}
    check_exit("json", code, out, err, (0, 2), repro, target)
    if src.read_bytes() != data:
        fail("json", "input modified", str(src), repro)
    if code == 0 and cross == 0:      # one valid case in ten also goes through a workbook
        STATS["json"]["cross-path checked"] += 1
        try:
            valid = json.loads(data.decode("utf-8-sig"))
        except RecursionError:
            return
        xl = _small_workbook(valid, WORK / f"case-{seed}.xlsx")
        code2, out2, err2 = cli("run", str(xl), "--json")
        if code2 == 70 and not known(err2):
            fail("json", "workbook of a valid case: internal error", err2, repro)
        elif code2 == 0 and ledger_of(out2) != ledger_of(target.read_text(encoding="utf-8")):
            fail("json", "cross-path difference (JSON vs workbook)", f"{ledger_of(out2)} != json", repro)
        elif code2 == 2:
            STATS["json"]["valid JSON refused as a workbook"] += 1
        xl.unlink(missing_ok=True)
    src.unlink(missing_ok=True)
    target.unlink(missing_ok=True)


# -- path 2: case workbooks (XML- and zip-level damage) ------------------------------------------------------

_BOOKS: dict[str, bytes] = {}


def base_book(name: str) -> bytes:
    if name not in _BOOKS:
        p = _small_workbook(EXAMPLE_DICTS[name], WORK / f"base-{name}.xlsx")
        _BOOKS[name] = p.read_bytes()
    return _BOOKS[name]


CELL = re.compile(rb"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
CELL_VALUES = [b"1e", b"x", b"", b"-", b"NaN", b"inf", b"1e999999", b"9" * 400, b"2024-02-30", b"#DIV/0!", b"999999",
               b"-1", b"&#1;", b"&#0;", b"&amp;", b"&bogus;", b"<", b"]]>", "💥".encode(), b"\xff\xfe", b"0.1", b"45424",
               b"99999999", b"-700000", b"1", b"0", b"true"]
CELL_TYPES = [b"", b' t="n"', b' t="b"', b' t="d"', b' t="s"', b' t="e"', b' t="str"', b' t="inlineStr"', b' t="zz"']


def mutate_xlsx(data: bytes, rng: random.Random, n: int) -> tuple[bytes, list[str]]:
    zin = zipfile.ZipFile(io.BytesIO(data))
    parts = {i.filename: zin.read(i) for i in zin.infolist()}
    log = []
    sheets = [p for p in parts if p.startswith("xl/worksheets/")]
    for _ in range(n):
        op = rng.choice(["cell", "cell", "cell", "cell", "text", "drop", "xml", "attr"])
        if op == "cell":
            part = rng.choice(sheets)
            cells = list(CELL.finditer(parts[part]))
            if not cells:
                continue
            m = rng.choice(cells)
            r = re.search(rb'r="([A-Z]+[0-9]+)"', m.group()) or re.search(rb"", b"")
            ref = r.group(1) if r and r.groups() else b"A1"
            t, v = rng.choice(CELL_TYPES), rng.choice(CELL_VALUES)
            new = (b'<c r="%s"%s><is><t>%s</t></is></c>' % (ref, t, v) if t == b' t="inlineStr"'
                   else b'<c r="%s"%s><v>%s</v></c>' % (ref, t, v))
            parts[part] = parts[part][:m.start()] + new + parts[part][m.end():]
            log.append(f"cell {part} {ref.decode()} {t.decode()} {v[:20]!r}")
        elif op == "text":
            part = rng.choice(sheets)
            s = rng.choice([b"\x01", b"&#1;", "é".encode("latin-1"), b"<x>", b"</row>", b'"', b"\x00"])
            d = parts[part]
            k = rng.randrange(len(d))
            parts[part] = d[:k] + s + d[k:]
            log.append(f"insert {s!r} at {k} of {part}")
        elif op == "drop":
            part = rng.choice(sorted(parts))
            del parts[part]
            log.append(f"drop {part}")
            sheets = [p for p in parts if p.startswith("xl/worksheets/")] or sheets
            if not any(p.startswith("xl/worksheets/") for p in parts):
                break
        elif op == "xml":
            part = rng.choice(sorted(parts))
            d = parts[part]
            parts[part] = d[:rng.randrange(len(d) + 1)]
            log.append(f"truncate {part}")
        else:   # hide a row, hide a sheet, or a merged cell
            part = rng.choice(sheets)
            d = parts[part]
            parts[part] = d.replace(b'<row r="4"', b'<row r="4" hidden="1"', 1)
            log.append(f"hide row 4 of {part}")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, d in parts.items():
            z.writestr(name, d)
    out = buf.getvalue()
    if rng.random() < 0.08:   # damage the zip itself
        b = bytearray(out)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        out = bytes(b)
        log.append("zip bytes flipped")
    return out, log


@budget(ci=40)
@given(seed=st.integers(0, 2 ** 32 - 1), name=st.sampled_from(sorted(EXAMPLE_DICTS)), n=st.integers(1, 3))
def test_fuzz_case_workbooks(seed, name, n):
    rng = random.Random(seed)
    data, log = mutate_xlsx(base_book(name), rng, n)
    src = WORK / f"book-{seed}.xlsx"
    src.write_bytes(data)
    target = WORK / f"book-out-{seed}.json"
    code, out, err = cli("run", str(src), "--json", "-o", str(target))
    repro = {"example": name, "mutations": log}
    check_exit("workbook", code, out, err, (0, 2), repro, target)
    if src.read_bytes() != data:
        fail("workbook", "input modified", str(src), repro)
    src.unlink(missing_ok=True)
    target.unlink(missing_ok=True)


# -- path 3: DataFrames (assess_frame against the single path) ------------------------------------------------

FRAME_EVIL: list[Callable[[random.Random], Any]] = [
    lambda r: None, lambda r: np.nan, lambda r: pd.NA, lambda r: pd.NaT, lambda r: [1], lambda r: {"a": 1},
    lambda r: {1, 2}, lambda r: b"100", lambda r: complex(1, 2), lambda r: float("inf"), lambda r: -float("inf"),
    lambda r: 1e308, lambda r: -1.0, lambda r: 0, lambda r: 10 ** 20, lambda r: np.int64(7), lambda r: np.float32(1.5),
    lambda r: True, lambda r: Decimal("1.005"), lambda r: Decimal("NaN"), lambda r: date(1620, 5, 12),
    lambda r: date(2024, 5, 12), lambda r: datetime(2024, 5, 12, 10, 30), lambda r: pd.Timestamp("2024-05-12", tz="UTC"),
    lambda r: pd.Timestamp("2262-04-12"), lambda r: np.datetime64("2024-05-12"), lambda r: "2024-05-12",
    lambda r: r.choice(EVIL_SCALARS) if not isinstance(r.choice(EVIL_SCALARS), (list, dict)) else "x",
    lambda r: str(r.randint(0, 10 ** 6)), lambda r: f"{r.randint(0, 9999)}.{r.randint(0, 999):03d}",
]
_DOCKETS: dict[int, pd.DataFrame] = {}


def docket(seed: int) -> pd.DataFrame:
    from assess.app.synthetic import synthetic_docket

    if seed not in _DOCKETS:
        _DOCKETS[seed] = synthetic_docket(4, seed=seed)
    return _DOCKETS[seed].copy()


def mutate_frame(df: pd.DataFrame, rng: random.Random, n: int) -> tuple[pd.DataFrame, list[str]]:
    log = []
    df = df.astype(object) if rng.random() < 0.7 else df.copy()
    for _ in range(n):
        col = rng.choice(list(df.columns))
        row = rng.randrange(len(df))
        value = rng.choice(FRAME_EVIL)(rng)
        if df[col].dtype != object:
            df[col] = df[col].astype(object)
        df.iat[row, df.columns.get_loc(col)] = value
        log.append(f"{col}[{row}] = {value!r}"[:200])
    return df, log


def fen_of_single(row: pd.Series) -> int | None:
    from assess.app.api import assess_case
    from factors.errors import AssessError

    try:
        r = assess_case(row_to_case(row), today=date(2026, 1, 1))
    except AssessError:
        return None
    return int(r.ledger.total * 100)


from assess import assess_frame, row_to_case  # noqa: E402


@budget(ci=40)
@given(seed=st.integers(0, 2 ** 32 - 1), base=st.integers(0, 5), n=st.integers(1, 4))
def test_fuzz_dataframes(seed, base, n):
    from factors.errors import InputError

    rng = random.Random(seed)
    df, log = mutate_frame(docket(base), rng, n)
    repro = {"docket": base, "mutations": log}
    count_input("dataframe")
    before = df.copy()
    try:
        out = assess_frame(df)
    except InputError:
        STATS["dataframe"]["frame error (InputError)"] += 1
        return
    except Exception as exc:  # noqa: BLE001
        text = f"{type(exc).__name__}: {exc}"
        k = known(text)
        if k:
            STATS["dataframe"][f"known ({k})"] += 1
            return
        fail("dataframe", "exception out of assess_frame", text, repro)
        return
    if len(out) != len(df) or not out.index.equals(df.index):
        fail("dataframe", "result rows differ from input rows", f"{len(out)} vs {len(df)}", repro)
    try:
        pd.testing.assert_frame_equal(df, before)
    except AssertionError as exc:
        fail("dataframe", "input frame modified", str(exc)[:300], repro)
    for i in range(len(df)):
        STATS["dataframe"]["rows"] += 1
        try:
            single = fen_of_single(df.iloc[i])
        except Exception as exc:  # noqa: BLE001
            text = f"{type(exc).__name__}: {exc}"
            k = known(text)
            if k:
                STATS["dataframe"][f"known ({k}) in the single path"] += 1
                continue
            fail("dataframe", "single path (row_to_case → assess_case) raised", text, repro)
            continue
        batch = None if out["error"].iloc[i] is not None else int(out["total_fen"].iloc[i])
        if batch is not None and single is not None and batch != single:
            fail("dataframe", "cross-path difference (batch vs single amount)", f"row {i}: {batch} != {single}", repro)
        elif (batch is None) != (single is None):
            STATS["dataframe"]["cross-path acceptance difference"] += 1
            fail("dataframe", "cross-path difference (one path refuses)",
                 f"row {i}: batch {'refuses: ' + str(out['error'].iloc[i]) if batch is None else batch}, single "
                 f"{'refuses' if single is None else single}", repro)
        else:
            STATS["dataframe"]["rows agreeing"] += 1


# -- path 4: batch files (csv, xlsx, parquet) --------------------------------------------------------------------

def write_batch(df: pd.DataFrame, fmt: str, path: Path) -> bool:
    try:
        if fmt == "csv":
            df.to_csv(path, index=False)
        elif fmt == "parquet":
            try:
                df.to_parquet(path)
            except Exception:  # noqa: BLE001 - mixed object columns: write them as text
                df.astype(str).to_parquet(path)
        else:
            import openpyxl

            wb = openpyxl.Workbook(write_only=True)
            ws = wb.create_sheet("cases")
            ws.append(list(df.columns))
            for row in df.itertuples(index=False):
                cells = []
                for v in row:
                    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT:
                        cells.append(None)
                    elif isinstance(v, (str, int, float, bool, date)) and not isinstance(v, pd.Timestamp):
                        cells.append(v if not isinstance(v, str) else re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", v))
                    elif isinstance(v, pd.Timestamp):
                        cells.append(v.to_pydatetime().replace(tzinfo=None))
                    else:
                        cells.append(str(v))
                ws.append(cells)
            wb.save(path)
    except Exception:  # noqa: BLE001 - a value that format cannot hold: not an input to test
        return False
    return True


@budget(ci=40)
@given(seed=st.integers(0, 2 ** 32 - 1), base=st.integers(0, 5), n=st.integers(1, 4),
       fmt=st.sampled_from(["csv", "xlsx", "parquet"]), damage=st.integers(0, 9))
def test_fuzz_batch_files(seed, base, n, fmt, damage):
    rng = random.Random(seed)
    df, log = mutate_frame(docket(base), rng, n)
    src = WORK / f"batch-{seed}.{fmt}"
    if not write_batch(df, fmt, src):
        return
    data = src.read_bytes()
    if damage == 0:      # byte-level damage of the file itself
        b = bytearray(data)
        for _ in range(rng.randint(1, 10)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        data = bytes(b)
        src.write_bytes(data)
        log.append("bytes flipped")
    elif damage == 1 and fmt == "xlsx":
        data, more = mutate_xlsx(data, rng, rng.randint(1, 2))
        src.write_bytes(data)
        log += more
    target = WORK / f"batch-out-{seed}.{rng.choice(['csv', 'parquet'])}"
    code, out, err = cli("batch", str(src), "-o", str(target))
    repro = {"format": fmt, "docket": base, "mutations": log}
    check_exit("batch file", code, out, err, (0, 2), repro, target)
    if src.read_bytes() != data:
        fail("batch file", "input modified", str(src), repro)
    if code == 0:
        res = pd.read_csv(target, dtype=str) if target.suffix == ".csv" else pd.read_parquet(target)
        if len(res) != len(df):
            fail("batch file", "result rows differ from input rows", f"{len(res)} vs {len(df)}", repro)
    src.unlink(missing_ok=True)
    target.unlink(missing_ok=True)


# -- path 5: claims ----------------------------------------------------------------------------------------------

_CLAIMS: dict[str, Any] = {}


def base_claims() -> dict[str, Any]:
    if not _CLAIMS:
        case = data_dir() / "examples" / "js_water_pollution.json"
        code, out, _ = cli("run", str(case), "--json")
        result = json.loads(out)
        led = result["ledger"]
        _CLAIMS["result"] = {"case_id": result["case_id"], "ledger": led}
        _CLAIMS["items"] = {"case_id": result["case_id"], "total": led["total"],
                            "categories": {k: v["amount"] for k, v in led.items() if isinstance(v, dict)},
                            "items": [{"id": i["id"], "amount": i["amount"], "parts": {}}
                                      for v in led.values() if isinstance(v, dict) for i in v["items"]],
                            "parts": {}}
        xl = WORK / "claim.xlsx"
        cli("run", str(case), "-o", str(xl))
        _CLAIMS["xlsx"] = xl.read_bytes()
    return _CLAIMS


@budget(ci=150)
@given(seed=st.integers(0, 2 ** 32 - 1), form=st.sampled_from(["result", "items", "xlsx"]), n=st.integers(1, 3))
def test_fuzz_claims(seed, form, n):
    rng = random.Random(seed)
    claims = base_claims()
    case = data_dir() / "examples" / "js_water_pollution.json"
    if form == "xlsx":
        data, log = mutate_xlsx(claims["xlsx"], rng, n)
        src = WORK / f"claim-{seed}.xlsx"
    else:
        tree, log = mutate_tree(claims[form], rng, n)
        data = json_bytes(tree, rng)
        src = WORK / f"claim-{seed}.json"
    src.write_bytes(data)
    code, out, err = cli("check", str(case), "--claimed", str(src), "--json")
    repro = {"form": form, "mutations": log, "bytes": data[:3000] if form != "xlsx" else len(data)}
    check_exit("claim", code, out, err, (0, 1, 2), repro)
    if src.read_bytes() != data:
        fail("claim", "input modified", str(src), repro)
    src.unlink(missing_ok=True)


# -- failures the fuzzer found in the input vocabulary (issue 13), now fixed: regression tests ---------------


def test_fixed_deeply_nested_json(tmp_path):
    d = copy.deepcopy(EXAMPLE_DICTS["js_water_pollution.json"])
    d["damage_items"][0]["label"] = nested(100_000)       # the marker, expanded in the text
    p = tmp_path / "deep.json"
    p.write_bytes(json.dumps(d).replace(f'"{DEEP}100000"', "[" * 100_000 + "1" + "]" * 100_000).encode())
    code, _, err = cli("run", str(p))
    assert code == 2, err


@pytest.mark.parametrize("value", ["1e999999999", "1E+1000000"])
def test_fixed_decimal_overflow_in_a_cost_amount(tmp_path, value):
    d = copy.deepcopy(EXAMPLE_DICTS["js_water_pollution.json"])
    d["cost_items"][0]["amount"]["value"] = value
    p = tmp_path / "big.json"
    p.write_text(json.dumps(d), encoding="utf-8")
    code, _, err = cli("run", str(p))
    assert code == 2 and "cost_items[0].amount" in err, err


@pytest.mark.parametrize("unit", ["1/0", "元/0", "dB"])
def test_fixed_unit_parsing(tmp_path, unit):
    d = copy.deepcopy(EXAMPLE_DICTS["js_water_pollution.json"])
    d["damage_items"][0]["inputs"]["lines"][0]["quantity"]["unit"] = unit
    p = tmp_path / "unit.json"
    p.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    code, _, err = cli("run", str(p))
    assert code == 2 and "damage_items[0].inputs.lines[0].quantity" in err, err


@pytest.mark.parametrize("typed", ["0", "1715472000", 1715472000])
def test_fixed_timestamp_dates_are_refused_by_both_paths(typed):
    from assess import assess_case
    from factors.errors import AssessError

    row = {"case_id": "U", "jurisdiction": "CN", "incident": "2024-05-12", "clue_received": typed,
           "prevention_costs": "100"}
    out = assess_frame(pd.DataFrame([row]))
    assert out["error"][0] is not None
    with pytest.raises(AssessError):
        assess_case(row_to_case(row))
