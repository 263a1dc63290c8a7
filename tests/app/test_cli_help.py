"""``assess --help`` in Chinese with ``--lang zh`` or a zh locale, English otherwise (assess/app/clihelp.py)."""

import os
import re
import subprocess
import sys

import pytest

from assess.app.cli import build_parser, main
from assess.app.clihelp import help_lang, help_texts
from factors.i18n import message

CJK = re.compile(r"[\u4e00-\u9fff]")
LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def run_cli(args, lang_env):
    """``python -m assess.app.cli ARGS`` with only ``LANG`` set among the locale variables."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    env["LANG"] = lang_env
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-m", "assess.app.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env)


@pytest.fixture
def locale(monkeypatch):
    """Set the locale of an in-process run: only ``LANG``."""
    def set_lang(value):
        for var in LOCALE_VARS:
            monkeypatch.delenv(var, raising=False)
        monkeypatch.setenv("LANG", value)
    return set_lang


def help_of(args, capsys):
    with pytest.raises(SystemExit) as ei:
        main([*args, "--help"])
    assert ei.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("args", [[], ["run"]])
def test_help_in_chinese_under_a_zh_locale(args):
    out = run_cli([*args, "--help"], "zh_CN.UTF-8")
    assert out.returncode == 0
    assert out.stdout.startswith("用法：assess")
    assert "显示本帮助并退出" in out.stdout and "选项" in out.stdout
    assert "show this help message" not in out.stdout and "usage:" not in out.stdout
    if args == ["run"]:
        assert "计算案件文件" in out.stdout                       # the description
        assert "案件文件（.json 或 .xlsx 工作簿；- 表示从标准输入读取 JSON）" in out.stdout
        assert "蒙特卡洛抽样次数（默认 10000）" in out.stdout
    else:
        assert "退出码：0 成功" in out.stdout                      # the epilog
        assert "批量计算，每行一个案件" in out.stdout                # a subcommand's summary


@pytest.mark.parametrize("args", [[], ["run"]])
def test_help_in_english_under_the_c_locale(args):
    out = run_cli([*args, "--help"], "C")
    assert out.returncode == 0
    assert out.stdout.startswith("usage: assess")
    assert "show this help message and exit" in out.stdout
    # English only: the one Chinese character left is the rule ID JS-(七)
    assert CJK.findall(out.stdout.replace("JS-(七)", "")) == []


def test_lang_option_wins_over_the_locale(locale, capsys):
    locale("zh_CN.UTF-8")
    assert "show this help message and exit" in help_of(["report", "--lang", "en"], capsys)
    locale("C")
    out = help_of(["report", "--lang=zh"], capsys)
    assert "报告语言：zh 中文（默认），en 英文，both 中英对照" in out
    out = help_of(["run", "--lang", "both"], capsys)
    assert "计算案件文件 / assess a case file" in out


def test_every_subcommand_and_option_has_a_chinese_help():
    """Each help text, description and epilog has a translation in cli.po (Chinese characters in it)."""
    missing = [text for text in help_texts(build_parser()) if not CJK.search(message("cli", text, "zh"))
               or message("cli", text, "zh") == text]
    assert missing == []


def test_every_subcommand_help_shows_in_chinese(locale, capsys):
    locale("zh_CN.UTF-8")
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name in commands:
        out = help_of([name], capsys)
        assert out.startswith(f"用法：assess {name}") and "显示本帮助并退出" in out, name


def test_usage_errors_in_chinese_with_a_zh_locale(locale, capsys):
    locale("zh_CN.UTF-8")
    with pytest.raises(SystemExit) as ei:
        main(["run"])
    assert ei.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == "assess run：错误：缺少以下必需参数：case"
    locale("C")
    with pytest.raises(SystemExit) as ei:
        main(["run"])
    assert capsys.readouterr().err.splitlines()[-1] == "assess run: error: the following arguments are required: case"


def test_argparse_words_restored_after_the_run(locale, capsys):
    """The translation of argparse's own words lasts only while assess parses its arguments."""
    import argparse

    locale("zh_CN.UTF-8")
    help_of(["run"], capsys)
    assert argparse._("usage: ") == "usage: "


@pytest.mark.parametrize("argv, env, lang", [
    (["run", "--lang", "zh"], {}, "zh"),
    (["run", "--lang=en"], {"LANG": "zh_CN.UTF-8"}, "en"),
    (["run", "--lang", "both"], {"LANG": "C"}, "both"),
    (["run", "--", "--lang", "zh"], {"LANG": "C"}, "en"),          # after --: a file name, not the option
    (["run", "--lang", "fr"], {"LC_ALL": "zh_TW.UTF-8"}, "zh"),     # not a language: the locale decides
    (["run"], {"LANGUAGE": "zh_CN:en", "LANG": "C"}, "zh"),
    (["run"], {}, "en"),
])
def test_help_lang(argv, env, lang):
    assert help_lang(argv, env) == lang


def test_rules_and_calendar_errors_in_chinese(monkeypatch, capsys, locale):
    """A non-input error (the calendar lacks a year, no rule in force) is printed in the errors' language."""
    from datetime import date

    from assess.app import cli
    from assess.app.clihelp import error_text
    from factors.errors import CalendarNotCovered, RuleNotApplicable, RuleNotInForce

    exc = CalendarNotCovered(2031, [2020, 2026])
    assert error_text(exc, "en") == str(exc)
    assert error_text(exc, "zh") == ("工作日历没有 2031 年的数据（已收录：2020–2026）：请将国务院办公厅的放假安排通知补入 "
                                     "data/calendar/cn_workdays.toml，或用 --calendar FILE 指定日历")
    assert error_text(exc, "both").endswith(" / " + str(exc))
    exc = RuleNotInForce("punitive.max_multiple", "CN-JS", date(2019, 1, 1), ["2022-01-20–9999-12-31"], detail="see JS-(九)")
    assert error_text(exc, "zh") == ("参数 punitive.max_multiple：CN-JS 在 2019-01-01 没有有效的值（已收录的有效期："
                                     "2022-01-20–9999-12-31）；see JS-(九)")
    assert error_text(RuleNotApplicable("x.y", "CN-SH", date(2025, 1, 1)), "zh") == "参数 x.y 在 CN-SH 于 2025-01-01 不适用"

    def boom(args):
        raise CalendarNotCovered(2031, [2020, 2026])

    monkeypatch.setitem(cli.COMMANDS, "schema", boom)
    locale("zh_CN.UTF-8")
    assert main(["schema"]) == 2
    assert capsys.readouterr().err.startswith("错误：工作日历没有 2031 年的数据")
    locale("C")
    assert main(["schema"]) == 2
    assert capsys.readouterr().err.startswith("error: working-day calendar has no data for 2031")


def test_internal_error_line_in_chinese(monkeypatch, capsys, locale):
    from assess.app import cli

    def bug(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(cli.COMMANDS, "schema", bug)
    locale("zh_CN.UTF-8")
    assert main(["schema"]) == 70
    assert capsys.readouterr().err.startswith("内部错误：ZeroDivisionError: division by zero（这是程序缺陷")
    locale("C")
    assert main(["schema"]) == 70
    assert capsys.readouterr().err.startswith("internal error: ZeroDivisionError: division by zero (this is a bug")
