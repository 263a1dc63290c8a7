"""The command line: example, run, schema, params; exit codes; nothing written on error."""

import json
import subprocess
import sys

import pytest

from assess.app.cli import main


def test_example_text_bilingual(capsys):
    assert main(["example"]) == 0
    out = capsys.readouterr().out
    assert "赔偿清单（《民法典》第一千二百三十五条） / Compensation ledger (Civil Code Art. 1235)" in out
    assert "543,185.29 元  合计 / Total" in out
    assert "计算过程" in out and "Calculation trace" in out


@pytest.mark.parametrize("lang, present, absent", [("zh", "合计", "Total"), ("en", "Total", "合计")])
def test_lang(capsys, lang, present, absent):
    assert main(["example", "--lang", lang, "--no-trace"]) == 0
    out = capsys.readouterr().out
    assert present in out and absent not in out.split("\n", 4)[-1].replace("新洋港", "")


def test_run_json(capsys, write_json, minimal_case):
    assert main(["run", str(write_json(minimal_case)), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["ledger"]["total"] == "62600.00"


def test_output_file_and_input_unchanged(tmp_path, write_json, minimal_case):
    src = write_json(minimal_case)
    before = src.read_bytes()
    out = tmp_path / "result.json"
    assert main(["run", str(src), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["ledger"]["total"] == "62600.00"
    assert src.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))


def test_refuses_to_overwrite_input(capsys, write_json, minimal_case):
    src = write_json(minimal_case)
    before = src.read_bytes()
    assert main(["run", str(src), "-o", str(src)]) == 2
    assert "input file is never modified" in capsys.readouterr().err
    assert src.read_bytes() == before


def test_bad_input_exit_2_nothing_written(tmp_path, capsys, write_json, minimal_case):
    minimal_case["cost_items"][0]["amount"]["unit"] = "kg"
    minimal_case["jurisdiction"] = "CN-XX"
    out = tmp_path / "r.json"
    assert main(["run", str(write_json(minimal_case)), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: jurisdiction: expected one of CN, CN-JS, CN-SH, got 'CN-XX'",
                   "error: cost_items[0].amount: expected a unit convertible to 元, got 'kg'"]
    assert not out.exists()


def test_rule_window_error(capsys, write_json, minimal_case):
    assert main(["run", str(write_json(minimal_case)), "--on", "2028-03-01"]) == 2
    assert "nothing in force for CN-JS on 2028-03-01" in capsys.readouterr().err


def test_malformed_json(tmp_path, capsys):
    p = tmp_path / "x.json"
    p.write_text("{not json", encoding="utf-8")
    assert main(["run", str(p)]) == 2
    assert capsys.readouterr().err.startswith("error: x.json:1:2: expected valid JSON")


def test_bad_date_option(capsys):
    with pytest.raises(SystemExit) as ei:
        main(["example", "--on", "yesterday"])
    assert ei.value.code == 2


def test_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["additionalProperties"] is False
    assert {"case_id", "jurisdiction", "dates"} <= set(schema["required"])


def test_params_listing(capsys):
    assert main(["params", "-j", "CN-JS", "--on", "2024-09-30", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "consultation.simplified.direct_sign_max = 500000 元 [<=]" in out
    assert "[JS-(八)]" in out
    assert "experts.min_count = 3 1" in out and "inherited from CN" in out


def test_params_json_and_bad_jurisdiction(capsys):
    assert main(["params", "-j", "CN-SH", "--on", "2025-01-01", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)["parameters"]}
    assert rows["consultation.max_rounds"]["value"] == "3"
    assert rows["consultation.simplified.direct_sign_max"]["status"] == "not applicable"
    assert main(["params", "-j", "ZZ"]) == 2
    assert "--jurisdiction: expected one of" in capsys.readouterr().err


def test_console_process_exit_codes(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "assess.app.cli", "example", "--json"], capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["ledger"]["total"] == "543185.29"
    bad = subprocess.run([sys.executable, "-m", "assess.app.cli", "run", str(tmp_path / "missing.json")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1


@pytest.mark.parametrize("where", ["cost", "line"])
def test_absurdly_large_amount_is_a_field_error_not_a_crash(capsys, write_json, minimal_case, where):
    # 1e30 元 cannot be held to the fen in the 28-digit decimal context (30 integer digits + 2): it used to
    # raise decimal.InvalidOperation → "internal error", exit 1.  It is bad input: exit 2 naming the field.
    if where == "cost":
        minimal_case["cost_items"][0]["amount"]["value"] = "1e30"
        field = "cost_items[0].amount"
    else:
        minimal_case["damage_items"][0]["inputs"]["lines"][0]["quantity"]["value"] = "1e25"
        field = "damage_items[0]"
    assert main(["run", str(write_json(minimal_case))]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {field}") and "internal error" not in err


def test_punitive_check_absurd_base_is_a_field_error(capsys):
    assert main(["punitive-check", "--base", "1e40", "--multiple", "2", "--date", "2023-06-01", "-j", "CN-JS"]) == 2
    assert capsys.readouterr().err.startswith("error: --base")


def test_to_fen_refuses_amounts_beyond_the_exact_range():
    # Sums of fen amounts must stay exact in the default 28-digit context: a line is at most 10^20 元.
    from factors.money import AmountTooLarge, to_fen

    assert str(to_fen("99999999999999999999.994")) == "99999999999999999999.99"
    with pytest.raises(AmountTooLarge):
        to_fen("1e20")


@pytest.mark.parametrize("command", ["run", "schedule"])
def test_refuses_to_overwrite_the_calendar_file(tmp_path, capsys, command):
    # --calendar FILE is an input too: `-o FILE` used to replace the user's calendar with the result text.
    from factors.paths import data_dir

    cal = tmp_path / "my_workdays.toml"
    cal.write_bytes((data_dir() / "calendar" / "cn_workdays.toml").read_bytes())
    before = cal.read_bytes()
    case = data_dir() / "examples" / ("js_liability_instalments.json" if command == "schedule" else "js_water_pollution.json")
    assert main([command, str(case), "--calendar", str(cal), "-o", str(cal)]) == 2
    assert "input file is never modified" in capsys.readouterr().err
    assert cal.read_bytes() == before
