"""Routing and deadline decisions on arrays (assess.law.routing / deadlines ``decide_*``), the vectorised
dated lookup (ParameterStore.lookup_array) and the exact array comparison (factors.thresholds):
both sides of every boundary, every validity date, and the array path against the single path."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _cases import case_dict
from assess.app.api import assess_case
from assess.law.deadlines import decide_consultation_state, decide_initial_verification_binds, decide_rounds
from assess.law.routing import (ASSESSMENT_PATH, CONSULTATION_PATH, COST_RATIO, decide_assessment_path,
                                decide_consultation_path, decide_cost_ratio, simple_case_indicator, tri)
from factors.calendar import DEADLINE_STATUSES, deadline_status_array
from factors.errors import RuleNotApplicable, RuleNotInForce
from factors.store import IN_FORCE, NO_VALUE, NOT_APPLICABLE_HERE, NOT_IN_FORCE, CodedArray, default_store
from factors.thresholds import compare, compare_array, fraction_parts

STORE = default_store()
ON = np.datetime64("2024-09-30", "D")
YUAN = 100   # fen per 元


def fen(*yuan: str) -> np.ndarray:
    return np.array([int(Decimal(y) * YUAN) for y in yuan], np.int64)


# -- factors.thresholds ---------------------------------------------------------------------------
@pytest.mark.parametrize("op, expected", [
    # 500000.00 and 500000.01 元 (in fen) against 500000 元: 以下 includes the number, 不满 excludes it (CC-1259)
    ("<=", [True, True, False]),
    ("<", [True, False, False]),
    (">=", [False, True, True]),
    (">", [False, False, True]),
])
def test_compare_array_each_operator_both_sides(op, expected):
    amounts = fen("499999.99", "500000.00", "500000.01")
    num, den = fraction_parts(Decimal("500000"), YUAN)        # 50000000 / 1 fen
    assert compare_array(amounts, op, num, den).tolist() == expected
    assert [compare(Fraction(int(a), 100), op, Fraction(500000)) for a in amounts] == expected


def test_compare_array_fraction_threshold_and_ratio():
    # threshold 1.5 = 3/2; ratios 149.99/100, 150.00/100, 150.01/100 against ">="
    num, den = fraction_parts(Decimal("1.5"))
    assert (num, den) == (3, 2)
    left, per = fen("149.99", "150.00", "150.01"), fen("100.00", "100.00", "100.00")
    assert compare_array(left, ">=", num, den, left_den=per).tolist() == [False, True, True]


def test_compare_array_python_int_fallback_on_overflow():
    # 2^62 fen × 3 overflows int64: the comparison falls back to Python ints and stays exact
    big = np.array([2 ** 62, 2 ** 62 + 1], np.int64)
    # big / 1 <= (2^62 × 3) / 3 ? → 2^62 ≤ 2^62 (True), 2^62 + 1 ≤ 2^62 (False)
    assert compare_array(big, "<=", 2 ** 62 * 3, 3).tolist() == [True, False]
    assert compare_array(np.zeros(0, np.int64), "<=", 1).tolist() == []


def test_compare_unknown_operator_is_refused():
    with pytest.raises(ValueError, match="unknown operator"):
        compare(1, "==", 1)
    with pytest.raises(ValueError, match="unknown operator"):
        compare_array(np.array([1]), "==", 1)


# -- ParameterStore.lookup_array ---------------------------------------------------------------------
ROUTING_AND_DEADLINE_PARAMS = (
    "routing.cost_ratio_reminder", "routing.simple_case_max", "routing.simple_case_excludes_category_3",
    "consultation.simplified.direct_sign_max", "consultation.simplified.report_max", "experts.min_count",
    "procedure.initial_verification_days", "procedure.report_reply_months", "consultation.notice_working_days",
    "consultation.max_days", "consultation.max_rounds", "consultation.judicial_confirmation_notice_days",
)


def scalar(name: str, jur: str, on: date):
    try:
        return STORE.lookup(name, jur, on)
    except RuleNotInForce as exc:
        return exc


def boundary_days(name: str) -> list[date]:
    """The day before, the first, the last and the day after every entry of ``name`` (validity dates)."""
    out = set()
    for e in STORE.params[name].entries:
        out |= {e.valid_from, e.valid_to}
        if e.valid_from > date.min:
            out.add(e.valid_from - timedelta(days=1))
        if e.valid_to < date(9999, 12, 31):
            out.add(e.valid_to + timedelta(days=1))
    return sorted(out)


@pytest.mark.parametrize("name", ROUTING_AND_DEADLINE_PARAMS)
def test_lookup_array_agrees_with_the_scalar_lookup_at_every_validity_date(name):
    days = boundary_days(name)
    jurs = [j for j in sorted(STORE.jurisdictions) for _ in days]
    on = np.array(days * len(STORE.jurisdictions), "datetime64[D]")
    pa = STORE.lookup_array(name, jurs, on)
    for i, (j, d) in enumerate(zip(jurs, days * len(STORE.jurisdictions), strict=True)):
        want = scalar(name, j, d)
        got = pa.param_or_why(i)
        if isinstance(want, RuleNotInForce):
            assert not pa.found[i] and type(got) is type(want) and str(got) == str(want)
            if isinstance(want, RuleNotApplicable):
                assert pa.status[i] == NOT_APPLICABLE_HERE
            else:
                assert pa.status[i] in (NOT_IN_FORCE, NO_VALUE)
        else:
            assert pa.found[i] and pa.status[i] == IN_FORCE and got == want and pa.value[i] == want.value
            assert pa.valid_from[i] == np.datetime64(want.valid_from) and pa.valid_to[i] == np.datetime64(want.valid_to)


@pytest.mark.parametrize("day, in_force", [
    ("2023-02-28", False),   # the day before the Jiangsu opinions
    ("2023-03-01", True),    # first day (inclusive)
    ("2028-02-29", True),    # last day (inclusive; a leap day)
    ("2028-03-01", False),
])
def test_lookup_array_js_tier_validity(day, in_force):
    pa = STORE.lookup_array("consultation.simplified.direct_sign_max", ["CN-JS"], np.array([day], "datetime64[D]"))
    assert bool(pa.found[0]) == in_force
    assert pa.fraction(YUAN)[0].tolist() == ([50000000] if in_force else [0])
    if not in_force:
        assert "CN-JS 2023-03-01–2028-02-29" in str(pa.why(0))


def test_lookup_array_simple_case_amount_validity_and_inheritance():
    # 〔2025〕6号 Art. 9: one CN entry (from January 2025), inherited by CN-JS and CN-SH (no own entry)
    (entry,) = STORE.params["routing.simple_case_max"].entries
    first = np.datetime64(entry.valid_from, "D")
    pa = STORE.lookup_array("routing.simple_case_max", ["CN", "CN-JS", "CN-SH", "CN"],
                            np.array([first - 1, first, "2026-06-01", "2099-01-01"], "datetime64[D]"))
    assert pa.found.tolist() == [False, True, True, True]
    assert pa.param(1).jurisdiction == "CN" and pa.param(1).inherited and pa.param(1).kind == "unverified"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["CN", "CN-JS", "CN-SH"]), st.dates(date(2018, 1, 1), date(2031, 12, 31))),
                min_size=1, max_size=40),
       st.sampled_from(ROUTING_AND_DEADLINE_PARAMS))
def test_lookup_array_equals_scalar_on_random_rows(rows, name):
    pa = STORE.lookup_array(name, [j for j, _ in rows], np.array([d for _, d in rows], "datetime64[D]"))
    for i, (j, d) in enumerate(rows):
        want, got = scalar(name, j, d), pa.param_or_why(i)
        assert (type(got), str(got)) == (type(want), str(want)) if isinstance(want, RuleNotInForce) else got == want


def test_coded_array():
    c = CodedArray.of(["CN-SH", "CN", "CN-SH"])
    assert c.names == ("CN", "CN-SH") and c.equals("CN-SH").tolist() == [True, False, True]
    assert c.equals("CN-JS").tolist() == [False, False, False] and c.values().tolist() == ["CN-SH", "CN", "CN-SH"]


# -- routing decisions on arrays: both sides of each boundary -------------------------------------
def consultation(amounts_yuan, jur="CN-JS", on=ON, facts=1, agrees=1):
    n = len(amounts_yuan)
    simple = {k: np.full(n, facts, np.int8) for k in ("simple_facts", "undisputed_liability", "small_damage")}
    assessment = decide_assessment_path([jur] * n, simple, np.full(n, 0, np.int8)).code
    out = decide_consultation_path(STORE, [jur] * n, np.full(n, on), fen(*amounts_yuan), assessment, simple,
                                   np.full(n, agrees, np.int8))
    return [CONSULTATION_PATH[c] for c in out.code], out


def test_js_tiers_both_sides_of_500000_and_1000000():
    # JS-(八): 五十万元以下 direct signing; 一百万元以下 case-by-case report; above: full (op "<=" from the data)
    codes, out = consultation(["500000.00", "500000.01", "1000000.00", "1000000.01"])
    assert codes == ["direct_sign", "simplified_report", "simplified_report", "full"]
    assert out.in_direct.tolist() == [True, False, False, False]
    assert out.in_report.tolist() == [True, True, True, False]
    assert not out.tiers_missing.any()


def test_js_tier_blockers_and_conditions():
    assert consultation(["1.00"], agrees=0)[0] == ["full"]           # the obligor does not agree
    assert consultation(["1.00"], facts=0)[0] == ["full"]            # assessment path full
    codes, out = consultation(["1.00"], facts=-1, agrees=-1)          # unknown: tier shown with its conditions
    assert codes == ["direct_sign"] and out.unsettled[0] and out.agreement_unknown[0]


def test_sh_and_cn_consultation_have_no_money_tier():
    assert consultation(["5000000.00"], jur="CN-SH")[0] == ["simplified_allowed"]
    assert consultation(["1.00"], jur="CN-SH", facts=-1)[0] == ["undetermined"]
    assert consultation(["1.00"], jur="CN-SH", facts=0)[0] == ["full"]
    assert consultation(["1.00"], jur="CN")[0] == ["no_rule"]


def test_js_tiers_outside_their_validity_are_reported_missing():
    _, out = consultation(["1.00"], on=np.datetime64("2028-03-01", "D"))
    assert out.tiers_missing.tolist() == [True]


def test_cost_ratio_both_sides_of_the_threshold():
    # routing.cost_ratio_reminder: ">=" 1.5 (CN-JS, policy default). others 100.00 元:
    # 149.99 / 100.00 = 1.4999 < 1.5 → no reminder; 150.00 / 100.00 = 1.5 ≥ 1.5 → remind; 150.01 → remind;
    # others 0: any category 3 counts (remind), none → no reminder
    cat3, others = fen("149.99", "150.00", "150.01", "0.01", "0.00"), fen("100.00", "100.00", "100.00", "0.00", "0.00")
    out = decide_cost_ratio(STORE, ["CN-JS"] * 5, np.full(5, ON), cat3, others)
    assert [COST_RATIO[c] for c in out.code] == ["no_reminder", "remind", "remind", "remind", "no_reminder"]
    # a per-run threshold of 1.4999: 149.99 / 100.00 = 1.4999 ≥ 1.4999 → remind
    out = decide_cost_ratio(STORE, ["CN-JS"] * 5, np.full(5, ON), cat3, others, Decimal("1.4999"))
    assert COST_RATIO[out.code[0]] == "remind" and out.param.param(0).kind == "policy_default"
    assert "data default 1.5" in out.param.param(0).reason
    # Shanghai and national rules: no threshold recorded
    out = decide_cost_ratio(STORE, ["CN-SH", "CN"], np.full(2, ON), fen("10", "10"), fen("1", "1"))
    assert [COST_RATIO[c] for c in out.code] == ["no_rule", "no_rule"]


@pytest.mark.parametrize("day, found", [("2023-02-28", False), ("2023-03-01", True), ("2028-02-29", True), ("2028-03-01", False)])
def test_cost_ratio_threshold_validity(day, found):
    out = decide_cost_ratio(STORE, ["CN-JS"], np.array([day], "datetime64[D]"), fen("2"), fen("1"))
    assert COST_RATIO[out.code[0]] == ("remind" if found else "no_rule")


def test_assessment_path_codes():
    # rows: all true; one false; one unknown; JS refusal; SH refusal (no JS-(七) consequence)
    s = {"simple_facts": tri([True, True, True, True, True]), "undisputed_liability": tri([True, False, True, True, True]),
         "small_damage": tri([True, True, None, True, True])}
    out = decide_assessment_path(["CN-JS", "CN-JS", "CN-JS", "CN-JS", "CN-SH"], s, tri([None, None, None, True, True]))
    assert [ASSESSMENT_PATH[c] for c in out.code] == ["simplified", "full", "undetermined", "full", "simplified"]
    assert out.js_refused.tolist() == [False, False, False, True, False]


def test_simple_case_indicator_both_sides_of_300000_for_information():
    # 〔2025〕6号 Art. 9 (unverified): 300000.00 ≤ 300000 holds, 300000.01 does not; category 3 counted
    # (routing.simple_case_excludes_category_3 = 0): total = 280000.00 + 20000.01 = 300000.01 → does not hold
    total, excl = fen("300000.00", "300000.01", "300000.01"), fen("300000.00", "300000.01", "280000.00")
    ind = simple_case_indicator(STORE, ["CN"] * 3, np.full(3, np.datetime64("2025-03-01", "D")), total, excl)
    assert ind.holds.tolist() == [True, False, False] and not ind.measure_excludes.any()


# -- deadlines on arrays --------------------------------------------------------------------------------
def test_deadline_status_array_both_sides():
    due = np.array(["2024-10-08"] * 6, "datetime64[D]")
    done = np.array(["2024-10-08", "2024-10-09", "NaT", "NaT", "2024-10-08", "2024-10-09"], "datetime64[D]")
    today = np.array(["2024-12-01", "2024-12-01", "2024-10-08", "2024-10-09", "2024-12-01", "2024-12-01"], "datetime64[D]")
    after = np.array([False, False, False, False, True, True])
    codes = deadline_status_array(due, done, today, after=after)
    # by the due day: done on it → met (届满 includes it); a day later → missed; not done: pending on the
    # day, missed the day after; a minimum period ("after"): done on the last day → missed, the day after → met
    assert [DEADLINE_STATUSES[c] for c in codes] == ["met", "missed", "pending", "missed", "missed", "met"]


def test_rounds_both_sides_of_the_maximum():
    # SH-22: at most 3 rounds ("<=" 3): 3 within, 4 not
    rounds = STORE.lookup_array("consultation.max_rounds", ["CN-SH"] * 3, np.full(3, ON))
    within, status = decide_rounds(np.array([3, 4, 3]), rounds, np.array([False, False, True]))
    assert within.tolist() == [True, False, True]
    assert [DEADLINE_STATUSES[c] for c in status] == ["pending", "missed", "met"]


def test_initial_verification_binds():
    # JS-(三) binds only a referred clue: stated (1/0), or by definition for the procuratorate and court
    # channels; not stated otherwise → unknown (-1).  SH-13 binds every clue.
    rule = ["JS-(三)"] * 5 + ["SH-13"] * 2
    referred = np.array([1, 0, -1, -1, -1, 0, -1], np.int8)
    channel = [None, "court", "court", "inspection", None, "inspection", None]
    assert decide_initial_verification_binds(rule, referred, channel).tolist() == [1, 0, 1, -1, -1, 1, 1]


def test_consultation_state():
    state = decide_consultation_state([True, False, False, False, False], [True, True, True, False, False],
                                      [True, True, False, True, True], [True, True, True, False, True])
    assert state.tolist() == [2, 3, 1, 0, 1]   # agreed, deemed_failed, in_progress, not_started, in_progress


# -- the array functions on many rows at once agree with the single path, case by case ---------------
AMOUNTS = ["0", "0.01", "149.99", "150.00", "300000.00", "300000.01", "500000.00", "500000.01", "1000000.00", "1000000.01"]
fact = st.sampled_from([None, True, False])


@st.composite
def cases(draw):
    jur = draw(st.sampled_from(["CN", "CN-JS", "CN-SH"]))
    incident = draw(st.dates(date(2024, 5, 1), date(2027, 12, 31))).isoformat()
    facts = {k: v for k in ("simple_facts", "undisputed_liability", "small_damage", "obligor_refused_simplified",
                            "obligor_agrees_simplified_consultation") if (v := draw(fact)) is not None}
    return case_dict(jur, cat3=draw(st.sampled_from(AMOUNTS)), cat4=draw(st.sampled_from(AMOUNTS)),
                     cat5=draw(st.sampled_from(["0", "0.01", "100.00"])), facts=facts, incident=incident)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cases(), min_size=1, max_size=12), st.sampled_from([None, "0.5", "1.5", "2"]))
def test_array_decisions_on_mixed_rows_equal_the_single_path(dicts, threshold):
    results = [assess_case(d, cost_ratio_threshold=threshold) for d in dicts]
    n = len(dicts)
    jur = [d["jurisdiction"] for d in dicts]
    on = np.array([r.on for r in results], "datetime64[D]")
    simple = {k: tri([d["facts"].get(k) for d in dicts]) for k in ("simple_facts", "undisputed_liability", "small_damage")}
    total = np.array([int(r.ledger.total * YUAN) for r in results], np.int64)
    cat3 = np.array([int(r.ledger.amount("assessment_costs") * YUAN) for r in results], np.int64)
    assessment = decide_assessment_path(jur, simple, tri([d["facts"].get("obligor_refused_simplified") for d in dicts]))
    cost = decide_cost_ratio(STORE, jur, on, cat3, total - cat3, None if threshold is None else Decimal(threshold))
    cons = decide_consultation_path(STORE, jur, on, total - cat3, assessment.code, simple,
                                    tri([d["facts"].get("obligor_agrees_simplified_consultation") for d in dicts]))
    for i in range(n):
        routing = results[i].routing
        assert routing.get("assessment_path").outcome == ASSESSMENT_PATH[assessment.code[i]]
        assert routing.get("cost_ratio").outcome == COST_RATIO[cost.code[i]]
        assert routing.get("consultation_path").outcome == CONSULTATION_PATH[cons.code[i]]
