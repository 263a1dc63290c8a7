"""The batch's ``error`` column in Chinese with ``--lang zh`` (errors.po), English by default and with ``en``,
both with ``both`` (assess/app/batch.py ``_Errors.messages``)."""

import pandas as pd
import pytest

from assess.app.batch import assess_frame
from assess.app.cli import main
from assess.app.synthetic import synthetic_docket


@pytest.fixture(scope="module")
def bad_rows():
    """The rows of tests/app/test_batch.py::test_row_errors_do_not_stop_the_batch, and one with two problems."""
    df = synthetic_docket(8, seed=2)
    df = df.astype({"vtc_quantity": object, "assessment_costs": object, "incident": object})
    df.loc[0, "vtc_quantity"] = -3.0
    df.loc[0, ["vtc_quantity_unit", "vtc_unit_cost", "vtc_unit_cost_unit", "vtc_gamma", "vtc_gamma_basis",
               "vtc_cost_provenance", "vtc_category"]] = ["kg", 10.0, "元/t", 2.0, "b", "literature", "remediation_costs"]
    df.loc[1, "assessment_costs"] = "12,5"
    df.loc[2, "incident"] = "2024-13-40"
    df.loc[3, "jurisdiction"] = "CN-ZJ"
    df.loc[4, ["incident", "clue_received", "assessment_base"]] = [pd.Timestamp("2014-12-31"), pd.NaT, pd.NaT]
    df.loc[5, "case_id"] = " "
    df.loc[5, "assessment_costs"] = "x"
    return df


def test_error_column_in_chinese(bad_rows):
    err = assess_frame(bad_rows, lang="zh")["error"].tolist()
    assert err[0] == "第 0 行：vtc_quantity：应为非负数，实际为 -3"
    assert err[1] == "第 1 行：assessment_costs：应为有限数值，实际为 '12,5'"
    assert err[2].startswith("第 2 行：incident：应为") and "'2024-13-40'" in err[2]
    assert err[3].startswith("第 3 行：jurisdiction：应为") and "CN, CN-JS, CN-SH" in err[3] and "'CN-ZJ'" in err[3]
    assert err[4].startswith("第 4 行：rules date：应为") and "规则施行期间" in err[4] and "实际为 '2014-12-31'" in err[4]
    # two problems of one row, joined with a Chinese semicolon
    assert err[5] == "第 5 行：case_id：应为非空的案件编号；assessment_costs：应为有限数值，实际为 'x'"
    assert err[6:] == [None, None]
    for e in err[:6]:   # no English frame words left
        assert "expected" not in e and "got" not in e and not e.startswith("row")


def test_error_column_english_by_default_and_both(bad_rows):
    en = assess_frame(bad_rows)["error"].tolist()
    assert en[0] == "row 0: vtc_quantity: expected a non-negative number, got -3"
    assert en[5] == "row 5: case_id: expected a non-empty case id; assessment_costs: expected a finite number, got 'x'"
    assert assess_frame(bad_rows, lang="en")["error"].tolist() == en
    both = assess_frame(bad_rows, lang="both")["error"].tolist()
    assert both[0] == "第 0 行：vtc_quantity：应为非负数，实际为 -3 / row 0: vtc_quantity: expected a non-negative number, got -3"
    assert both[6:] == [None, None]


@pytest.mark.parametrize("args, first", [
    (["--lang", "zh"], "第 0 行：vtc_quantity：应为非负数，实际为 -3"),
    (["--lang", "en"], "row 0: vtc_quantity: expected a non-negative number, got -3"),
    ([], "row 0: vtc_quantity: expected a non-negative number, got -3"),     # not given: a results file is data, English
])
def test_cli_batch_error_column_follows_lang(tmp_path, bad_rows, args, first, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    src, out = tmp_path / "cases.csv", tmp_path / "results.csv"
    df = bad_rows.copy()
    df["incident"] = [v.date().isoformat() if isinstance(v, pd.Timestamp) else v for v in df["incident"]]
    df.to_csv(src, index=False)
    assert main(["batch", str(src), "-o", str(out), *args]) == 0
    res = pd.read_csv(out, encoding="utf-8-sig")
    assert res["error"].iloc[0] == first


def test_vocabulary_refusals_with_fields_in_chinese():
    """A refusal whose message has fields (the 10^-30 floor) keeps its message id: Chinese too."""
    df = synthetic_docket(3, seed=2).astype({"assessment_costs": object})
    df.loc[1, "assessment_costs"] = "1e-40"
    zh = assess_frame(df, lang="zh")["error"].tolist()
    assert zh[1] == "第 1 行：assessment_costs：应为零或绝对值不小于 10^-30 的数，实际为 '1e-40'"
    assert assess_frame(df)["error"].tolist()[1] == \
        "row 1: assessment_costs: expected zero or a number of at least 10^-30 in size, got '1e-40'"
