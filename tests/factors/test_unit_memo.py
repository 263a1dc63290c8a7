"""The lazy pint registry and the unit memo in the user cache (factors/units.py, factors/usercache.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from factors import units, usercache

ROOT = Path(__file__).resolve().parents[2]

# a fresh interpreter: converts, then reports whether pint was imported
_PROBE = """
import sys
from factors.units import exact_factor, check_dimension
f = exact_factor("元/(亩·年)", "元/(hm²·a)")
g = exact_factor("万元/t", "元/kg")
check_dimension("m³", "L", "x")
print(f, g, "pint" in sys.modules)
"""


def _probe(cache: str) -> list[str]:
    env = {**os.environ, usercache.ENV: cache}
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_second_process_reads_the_memo_and_never_imports_pint(tmp_path):
    # 元/(亩·年) → 元/(hm²·a): 15 亩 = 1 hm², so × 15; 万元/t → 元/kg: 10000/1000 = 10
    assert _probe(str(tmp_path)) == ["15", "10", "True"]      # first process: pint parses, memo written
    memo = json.loads((tmp_path / "units-memo.json").read_text(encoding="utf-8"))
    # 1 元/(亩·年) = 1 元 / (2000/3 m² × 365 × 86 400 s) = 3/63 072 000 000 = 1/21 024 000 000 元/(m²·s)
    assert memo["data"]["元/(亩·年)"] == ["1/21024000000", [["[currency]", 1], ["[length]", -2], ["[time]", -1]],
                                        "[currency] / [length] ** 2 / [time]"]
    assert memo["data"]["L"] == ["1/1000", [["[length]", 3]], "[length] ** 3"]
    assert _probe(str(tmp_path)) == ["15", "10", "False"]     # second: the memo alone


def test_corrupt_or_stale_memo_is_ignored_and_rewritten(tmp_path):
    path = tmp_path / "units-memo.json"
    path.write_text("{not json", encoding="utf-8")
    assert _probe(str(tmp_path)) == ["15", "10", "True"]
    stamp = json.loads(path.read_text(encoding="utf-8"))["stamp"]
    # a wrong factor under another stamp is never used
    path.write_text(json.dumps({"stamp": "other", "data": {"L": ["1/1", [["[length]", 3]], "x"]}}), encoding="utf-8")
    assert _probe(str(tmp_path)) == ["15", "10", "True"]
    assert json.loads(path.read_text(encoding="utf-8"))["stamp"] == stamp
    # a corrupt entry under the right stamp is dropped (pint parses that unit again), the rest is used
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["data"]["L"] = ["two/three", None, 1]
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert _probe(str(tmp_path)) == ["15", "10", "True"]
    assert json.loads(path.read_text(encoding="utf-8"))["data"]["L"][0] == "1/1000"


def test_cache_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(usercache.ENV, "off")
    assert usercache.cache_dir() is None
    assert usercache.save("x.json", "s", {"a": 1}) is False
    assert usercache.load("x.json", "s") is None
    assert _probe("off") == ["15", "10", "True"]


def test_usercache_round_trip_and_unwritable_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(usercache.ENV, str(tmp_path / "c"))
    assert usercache.save("x.json", "s1", {"a": [1, "2/3"]}) is True
    assert usercache.load("x.json", "s1") == {"a": [1, "2/3"]}
    assert usercache.load("x.json", "s2") is None             # another stamp
    assert list((tmp_path / "c").iterdir()) == [tmp_path / "c" / "x.json"]  # no temporary file left
    (tmp_path / "file").write_text("", encoding="utf-8")
    monkeypatch.setenv(usercache.ENV, str(tmp_path / "file"))  # a file, not a folder: skipped, no error
    assert usercache.save("x.json", "s1", {}) is False


def test_exactly_one_registry():
    assert units.registry() is units.registry() is units.ureg
    assert units.Quantity is units.registry().Quantity


def test_factor_is_exact_where_a_float_ratio_is_not():
    # 1 元/(亩·年) in 元/(m²·s): 1 / (2000/3 m² × 365 × 86400 s) = 3 / 63 072 000 000 (denominator > 10⁹)
    assert units.exact_factor("元/(亩·年)", "元/(m²*s)") == Fraction(3, 63_072_000_000)
    assert units.float_factor("元/(亩·年)", "元/(m²*s)") == 3 / 63_072_000_000


def test_memo_lookup_refuses_what_parse_refuses():
    for bad in ("julian_year", "元/0", "", None):
        with pytest.raises(units.UnitError):
            units.check_unit(bad, "f")


# a fresh interpreter runs CLI commands in turn and reports, after each, whether pint was imported
_CLI_PROBE = """
import contextlib, io, sys
from assess.app.cli import main
for argv in sys.argv[1:]:
    with contextlib.redirect_stdout(io.StringIO()):
        rc = main(argv.split("|"))
    print(rc, "pint" in sys.modules)
"""


def _cli_probe(cache: Path, *commands: list[str]) -> list[str]:
    env = {**os.environ, usercache.ENV: str(cache)}
    out = subprocess.run([sys.executable, "-c", _CLI_PROBE, *("|".join(c) for c in commands)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def test_warm_memo_cold_processes_never_import_pint(tmp_path):
    """`assess example` and a docket batch (the docket engine's unit checks) in fresh processes: the
    first fills the memo (pint imported), every later process reads it alone."""
    cache = tmp_path / "cache"
    examples = sorted(str(p) for p in (ROOT / "data" / "examples").glob("*.json"))
    docket = str(tmp_path / "docket.jsonl")
    assert _cli_probe(cache, ["example"]) == ["0 True"]
    assert _cli_probe(cache, ["example"], ["example", "--json"]) == ["0 False", "0 False"]
    assert _cli_probe(cache, ["docket", *examples, "-o", docket]) == ["0 False"]
    first = _cli_probe(cache, ["batch", docket, "-o", str(tmp_path / "a.parquet")])
    assert first == ["0 True"]                                # the examples' other units: parsed once
    assert _cli_probe(cache, ["batch", docket, "-o", str(tmp_path / "b.parquet")],
                      *(["run", "--json", e] for e in examples)) == ["0 False"] * (1 + len(examples))
