"""Working-day calendar and Civil Code Arts. 200–204 period arithmetic (factors/calendar.py).

Hand-worked cases carry their working in comments.  Weekdays were checked with
``date.weekday()``; holiday and 调休 dates are from the State Council notices recorded in
data/calendar/cn_workdays.toml.  ``chinesecalendar`` is a test-only dependency used as an
independent cross-check of every covered day.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factors import calendar as cal
from factors.calendar import (
    PeriodEnd,
    WorkdayCalendar,
    add_working_days,
    deadline_status,
    default_calendar,
    holiday_name,
    is_rest_day,
    is_working_day,
    next_working_day,
    nth_working_day_before,
    period_end,
    working_day_on_or_after,
    working_days_between,
)
from factors.errors import CalendarNotCovered, InputError, ParameterError
from factors.paths import data_dir

D = date
TOML = data_dir() / "calendar" / "cn_workdays.toml"
YEARS = list(range(2020, 2027))
FIRST, LAST = D(2020, 1, 1), D(2026, 12, 31)


def days(a: date, b: date):
    d = a
    while d <= b:
        yield d
        d += timedelta(days=1)


# ------------------------------------------------------------------------------------------
# the data file


def test_covered_years_are_2020_to_2026_contiguous():
    c = default_calendar()
    assert c.covered_years == tuple(YEARS)
    assert (c.first_day, c.last_day) == (FIRST, LAST)


def test_default_calendar_is_loaded_once():
    assert default_calendar() is default_calendar()


NOTICES = {
    2020: ("国办发明电〔2019〕16号", D(2019, 11, 21)),
    2021: ("国办发明电〔2020〕27号", D(2020, 11, 25)),
    2022: ("国办发明电〔2021〕11号", D(2021, 10, 25)),
    2023: ("国办发明电〔2022〕16号", D(2022, 12, 8)),
    2024: ("国办发明电〔2023〕7号", D(2023, 10, 25)),
    2025: ("国办发明电〔2024〕12号", D(2024, 11, 12)),
    2026: ("国办发明电〔2025〕7号", D(2025, 11, 4)),
}


@pytest.mark.parametrize("year", YEARS)
def test_each_year_has_its_notice(year):
    n = default_calendar().notice(year)
    number, published = NOTICES[year]
    assert n["number"] == number
    assert n["published"] == published
    assert n["title"] == f"国务院办公厅关于{year}年部分节假日安排的通知"
    assert n["checked_on"] == D(2026, 11, 23)
    assert n["published"] < D(year, 1, 1)
    assert re.fullmatch(r"国办发明电〔\d{4}〕\d+号", n["number"])


def test_2020_extension_is_an_amendment_with_its_own_number():
    # 国办发明电〔2020〕1号 (2020-01-26, published 01-27): Spring Festival to Sun 2020-02-02,
    # work from Mon 02-03; Sat 02-01, a make-up day under 〔2019〕16号, is no longer worked.
    c = default_calendar()
    (a,) = c.notice(2020)["amendments"]
    assert a["number"] == "国办发明电〔2020〕1号"
    assert a["title"] == "国务院办公厅关于延长2020年春节假期的通知"
    assert a["published"] == D(2020, 1, 27)
    for d in days(D(2020, 1, 24), D(2020, 2, 2)):
        assert c.is_rest_day(d), d
    assert c.holiday_notice(D(2020, 1, 30)) == "国办发明电〔2019〕16号"
    assert c.holiday_notice(D(2020, 1, 31)) == "国办发明电〔2020〕1号"
    assert holiday_name(D(2020, 2, 1)) == {"zh": "春节", "en": "Spring Festival"}
    assert c.makeup_for(D(2020, 2, 1)) is None
    assert is_working_day(D(2020, 2, 3))  # Monday, back to work
    assert is_working_day(D(2020, 1, 19))  # Sunday make-up day stands


def test_makeup_days_are_weekends_and_never_holidays():
    c = default_calendar()
    n = 0
    for d in days(FIRST, LAST):
        if c.makeup_for(d):
            n += 1
            assert d.weekday() >= 5 and c.is_working_day(d) and c.holiday_name(d) is None
    # 2020: 6 (02-01 cancelled), 2021: 7, 2022: 7, 2023: 7, 2024: 8, 2025: 5, 2026: 6
    assert n == 6 + 7 + 7 + 7 + 8 + 5 + 6


def test_rest_day_counts_per_year():
    # holiday-block days per notice (weekends inside blocks included), e.g. 2026:
    # 元旦 3 + 春节 9 + 清明 3 + 劳动 5 + 端午 3 + 中秋 3 + 国庆 7 = 33
    c = default_calendar()
    expected = {2020: 30, 2021: 31, 2022: 31, 2023: 26, 2024: 28, 2025: 28, 2026: 33}
    # 2023's 元旦 block starts 2022-12-31, which is counted under 2022 here: 27 - 1 = 26
    got = {y: sum(1 for d in days(D(y, 1, 1), D(y, 12, 31)) if c.holiday_name(d)) for y in YEARS}
    got[2022] -= 1
    assert got == expected


def test_calendar_module_is_independent_of_chinesecalendar():
    src = Path(cal.__file__).read_text(encoding="utf-8")
    assert "chinese_calendar" not in src
    assert "chinese_calendar" not in TOML.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------
# (a) every covered day against chinesecalendar


def _chinesecalendar_years():
    cc = pytest.importorskip("chinese_calendar")
    ok = []
    for y in YEARS:
        try:
            cc.is_workday(D(y, 6, 1))
        except NotImplementedError:  # chinesecalendar raises on years it does not know
            continue
        ok.append(y)
    return cc, ok


def test_every_covered_day_agrees_with_chinesecalendar():
    cc, years = _chinesecalendar_years()
    # chinesecalendar 1.11.0 covers 2004–2026, i.e. all of our years; if an older version
    # lacks a year, only the years it knows are compared (and at least 2020–2025 must be).
    assert set(range(2020, 2026)) <= set(years)
    c = default_calendar()
    diff = [d for y in years for d in days(D(y, 1, 1), D(y, 12, 31)) if c.is_working_day(d) != cc.is_workday(d)]
    assert diff == []


# ------------------------------------------------------------------------------------------
# (b) hand-worked cases


def test_spring_festival_2024_thirty_days():
    # 30 days from Mon 2024-01-15, start day not counted (Art. 201):
    # 16 days to 01-31, 14 more to Wed 02-14 = nominal end.  02-10..02-17 is 春节 (国办发明电〔2023〕7号),
    # so it rolls (Art. 203): 02-15, 02-16, 02-17 holiday; Sun 02-18 is a 调休 working day → due 02-18.
    p = period_end(D(2024, 1, 15), 30)
    assert isinstance(p, PeriodEnd)
    assert p.nominal_end == D(2024, 2, 14)
    assert p.due == D(2024, 2, 18)
    assert p.rolled
    assert D(2024, 2, 18).weekday() == 6 and is_working_day(D(2024, 2, 18))
    assert "民法典第二百零一条" in p.steps[0]["zh"] and "CC Art. 201" in p.steps[0]["en"]
    assert any("顺延至其后第一个工作日2024-02-18" in s["zh"] and "春节" in s["zh"] for s in p.steps)
    assert any("weekends included" in s["en"] for s in p.steps)
    assert any(r.startswith("CC-203") for r in p.rule)


def test_last_day_on_first_day_of_spring_festival_2024():
    # 10 days from 2024-01-31 → Sat 2024-02-10, the first day of 春节 (02-10..02-17);
    # Sun 2024-02-04 (调休) was a working day before it, Sun 2024-02-18 (调休) is the first after.
    p = period_end(D(2024, 1, 31), 10)
    assert (p.nominal_end, p.due, p.rolled) == (D(2024, 2, 10), D(2024, 2, 18), True)
    assert holiday_name(D(2024, 2, 10)) == {"zh": "春节", "en": "Spring Festival"}
    assert is_working_day(D(2024, 2, 4)) and D(2024, 2, 4).weekday() == 6
    # the eve 2024-02-09 (Fri) is a working day: the notice only encourages leave
    assert is_working_day(D(2024, 2, 9))


def test_period_ending_on_makeup_sunday_2024_does_not_roll():
    # 4 days from 2024-01-31 → Sun 2024-02-04, a 调休 working day: no roll.
    p = period_end(D(2024, 1, 31), 4)
    assert (p.nominal_end, p.due, p.rolled) == (D(2024, 2, 4), D(2024, 2, 4), False)
    assert any("调休上班日" in s["zh"] for s in p.steps)


def test_period_ending_on_makeup_saturday_does_not_roll():
    # 30 days from 2025-09-11: 19 to 09-30, 11 more → Sat 2025-10-11, 调休 for 国庆节、中秋节
    # (国办发明电〔2024〕12号) → working day, no roll.
    p = period_end(D(2025, 9, 11), 30)
    assert D(2025, 10, 11).weekday() == 5
    assert (p.nominal_end, p.due, p.rolled) == (D(2025, 10, 11), D(2025, 10, 11), False)
    assert any("make-up working day (国办发明电〔2024〕12号)" in s["en"] for s in p.steps)


def test_national_day_2025():
    # 国办发明电〔2024〕12号: 国庆节、中秋节 10-01..10-08 off; Sun 09-28 and Sat 10-11 worked.
    # 30 days from 2025-09-01 → Wed 10-01 (holiday) → first working day after the block: Thu 10-09.
    p = period_end(D(2025, 9, 1), 30)
    assert (p.nominal_end, p.due) == (D(2025, 10, 1), D(2025, 10, 9))
    # 27 days from 2025-09-01 → Sun 09-28, a make-up day: no roll.
    assert period_end(D(2025, 9, 1), 27).due == D(2025, 9, 28)
    # working days from Fri 09-26: 09-28 (Sun, 调休) 1, 09-29 2, 09-30 3, 10-09 4, 10-10 5, 10-11 (Sat, 调休) 6
    assert add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert add_working_days(D(2025, 9, 26), 5) == D(2025, 10, 10)
    assert add_working_days(D(2025, 9, 26), 6) == D(2025, 10, 11)
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert period_end(D(2025, 9, 26), 5, "day", "working") == period_end(D(2025, 9, 26), 5, day_kind="working")
    pw = period_end(D(2025, 9, 26), 5, day_kind="working")
    assert (pw.nominal_end, pw.due, pw.rolled) == (D(2025, 10, 10), D(2025, 10, 10), False)
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 11)) == 6


def test_plain_weekend_rolls_by_default_and_not_with_roll_none():
    # 1 month from 2024-05-15 → Sat 2024-06-15, a plain weekend (端午 was 06-10) → Mon 06-17.
    p = period_end(D(2024, 5, 15), 1, "month")
    assert (p.nominal_end, p.due, p.rolled) == (D(2024, 6, 15), D(2024, 6, 17), True)
    assert any("周末休息日" in s["zh"] for s in p.steps)
    q = period_end(D(2024, 5, 15), 1, "month", roll="none")
    assert (q.nominal_end, q.due, q.rolled) == (D(2024, 6, 15), D(2024, 6, 15), False)
    assert any("roll='none'" in s["en"] for s in q.steps)


def test_month_periods_from_31_january():
    # Art. 202: no 31 February → last day of the month.  2024 is a leap year.
    p = period_end(D(2024, 1, 31), 1, "month")
    assert (p.nominal_end, p.due) == (D(2024, 2, 29), D(2024, 2, 29))  # Thursday, working
    assert any("月末日2024-02-29" in s["zh"] for s in p.steps)
    p = period_end(D(2023, 1, 31), 1, "month")
    assert (p.nominal_end, p.due) == (D(2023, 2, 28), D(2023, 2, 28))  # Tuesday, working
    # corresponding day exists: 2 months from 2024-01-31 → 2024-03-31 (Sunday) → Mon 04-01
    p = period_end(D(2024, 1, 31), 2, "month")
    assert (p.nominal_end, p.due) == (D(2024, 3, 31), D(2024, 4, 1))
    # JS-(三) reply in two months: 2 months from 2023-12-31 → 2024-02-29
    assert period_end(D(2023, 12, 31), 2, "month").nominal_end == D(2024, 2, 29)


def test_leap_day_start():
    # 1 year from 2024-02-29 → 2025 has no 29 February → 2025-02-28 (Friday, working)
    p = period_end(D(2024, 2, 29), 1, "year")
    assert (p.nominal_end, p.due, p.rolled) == (D(2025, 2, 28), D(2025, 2, 28), False)
    # 4 years → 2028-02-29 exists (outside the calendar, so only without rolling)
    assert period_end(D(2024, 2, 29), 4, "year", roll="none").due == D(2028, 2, 29)
    # 1 month from 2024-02-29 → 2024-03-29 (Friday)
    assert period_end(D(2024, 2, 29), 1, "month").due == D(2024, 3, 29)


def test_five_working_days_before_meeting_2026_10_09():
    # SH-19, meeting Fri 2026-10-09, meeting day excluded.  国办发明电〔2025〕7号: 中秋节 09-25..27,
    # 国庆节 10-01..07; Thu 10-08 is an ordinary working day; Sun 09-20 and Sat 10-10 are worked.
    # Back from 10-09: 10-08 (1), skip 10-07..10-01, 09-30 (2), 09-29 (3), 09-28 (4),
    # skip 09-27..09-25, 09-24 (5).
    assert nth_working_day_before(D(2026, 10, 9), 5) == D(2026, 9, 24)
    assert is_working_day(D(2026, 10, 8))
    # naive Mon–Fri counting gives 10-08, 10-07, 10-06, 10-05, 10-02 → 10-02, a holiday:
    assert is_rest_day(D(2026, 10, 2))
    assert holiday_name(D(2026, 10, 2)) == {"zh": "国庆节", "en": "National Day"}
    assert working_days_between(D(2026, 9, 24), D(2026, 10, 9)) == 5
    # backwards: minus the working days in [09-24, 10-09) = 09-24, 09-28, 09-29, 09-30, 10-08
    assert working_days_between(D(2026, 10, 9), D(2026, 9, 24)) == -5


def test_next_working_day_and_on_or_after():
    # Sat 2024-02-10 (春节) → Sun 02-18 (调休); a working day maps to itself on_or_after
    assert next_working_day(D(2024, 2, 10)) == D(2024, 2, 18)
    assert working_day_on_or_after(D(2024, 2, 10)) == D(2024, 2, 18)
    assert working_day_on_or_after(D(2024, 2, 8)) == D(2024, 2, 8)
    assert next_working_day(D(2024, 2, 8)) == D(2024, 2, 9)  # strictly after
    assert add_working_days(D(2024, 2, 10), 0) == D(2024, 2, 10)


def test_2023_new_year_block_starts_in_december_2022():
    # 国办发明电〔2022〕16号: 元旦 2022-12-31 (Sat) .. 2023-01-02 (Mon)
    assert holiday_name(D(2022, 12, 31)) == {"zh": "元旦", "en": "New Year's Day"}
    assert is_rest_day(D(2023, 1, 2)) and is_working_day(D(2023, 1, 3))


# ---- both sides of the covered range --------------------------------------------------------


def test_lower_edge_of_covered_range():
    with pytest.raises(CalendarNotCovered) as e:
        is_working_day(D(2019, 12, 31))
    assert e.value.year == 2019 and e.value.covered == YEARS
    assert "2020–2026" in str(e.value)
    assert is_rest_day(D(2020, 1, 1))  # 元旦
    assert holiday_name(D(2020, 1, 1)) == {"zh": "元旦", "en": "New Year's Day"}
    assert is_working_day(D(2020, 1, 2))
    with pytest.raises(CalendarNotCovered):
        add_working_days(D(2020, 1, 2), -2)  # 2020-01-01 holiday, then 2019-12-31
    with pytest.raises(CalendarNotCovered):
        period_end(D(2019, 12, 1), 30)  # nominal 2019-12-31 must be checked for the roll
    assert period_end(D(2019, 12, 1), 30, roll="none").due == D(2019, 12, 31)


def test_upper_edge_of_covered_range():
    assert is_working_day(D(2026, 12, 31))  # Thursday
    with pytest.raises(CalendarNotCovered) as e:
        is_working_day(D(2027, 1, 1))
    assert e.value.year == 2027
    with pytest.raises(CalendarNotCovered):
        next_working_day(D(2026, 12, 31))
    with pytest.raises(CalendarNotCovered):
        period_end(D(2026, 12, 1), 1, "month")  # 2027-01-01
    with pytest.raises(CalendarNotCovered):
        default_calendar().notice(2027)


# ---- deadline status -------------------------------------------------------------------------


def test_deadline_status():
    due = D(2024, 2, 18)
    assert deadline_status(due, D(2024, 2, 18), D(2024, 3, 1)) == "met"  # on the day: met (届满 includes it)
    assert deadline_status(due, D(2024, 2, 19), D(2024, 2, 19)) == "missed"
    assert deadline_status(due, None, D(2024, 2, 18)) == "pending"
    assert deadline_status(due, None, D(2024, 2, 19)) == "missed"
    assert deadline_status(due, D(2024, 1, 1), D(2023, 1, 1)) == "met"


# ---- error paths ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, path",
    [
        (dict(start=D(2024, 1, 1), count=-1), "count"),
        (dict(start=D(2024, 1, 1), count=1.5), "count"),
        (dict(start=D(2024, 1, 1), count=True), "count"),
        (dict(start=D(2024, 1, 1), count=1, unit="week"), "unit"),
        (dict(start=D(2024, 1, 1), count=1, day_kind="business"), "day_kind"),
        (dict(start=D(2024, 1, 1), count=1, unit="month", day_kind="working"), "day_kind"),
        (dict(start=D(2024, 1, 1), count=1, roll="weekends"), "roll"),
        (dict(start="2024-01-01", count=1), "start"),
        (dict(start=datetime(2024, 1, 1, 9), count=1), "start"),
        (dict(start=None, count=1), "start"),
    ],
)
def test_period_end_bad_input(kwargs, path):
    with pytest.raises(InputError) as e:
        period_end(**kwargs)
    assert e.value.path == path


def test_other_bad_input():
    with pytest.raises(InputError) as e:
        is_working_day("2024-01-01")
    assert e.value.path == "d"
    with pytest.raises(InputError) as e:
        add_working_days(D(2024, 1, 2), 1.0)
    assert e.value.path == "n"
    with pytest.raises(InputError) as e:
        nth_working_day_before(D(2024, 1, 2), 0)
    assert e.value.path == "n"
    with pytest.raises(InputError) as e:
        working_days_between(D(2024, 1, 2), "x")
    assert e.value.path == "b"
    with pytest.raises(InputError) as e:
        deadline_status(D(2024, 1, 2), "2024-01-01", D(2024, 1, 2))
    assert e.value.path == "done_on"
    with pytest.raises(InputError) as e:
        is_working_day(D(2024, 1, 2), calendar="cn")
    assert e.value.path == "calendar"


# ---- another calendar file (--calendar FILE) -------------------------------------------------


def test_custom_calendar_file(tmp_path):
    # A user file with only 2026 (copied from ours): 2025 is then not covered.
    text = TOML.read_text(encoding="utf-8")
    assert len(tomllib.loads(text)["year"]) == 7
    _, _, tail = text.partition("[[year]]\nyear = 2026")
    f = tmp_path / "cal.toml"
    f.write_text('schema = 1\n[[year]]\nyear = 2026' + tail, encoding="utf-8")
    c = cal.load_calendar(f)
    assert c.covered_years == (2026,)
    assert c.nth_working_day_before(D(2026, 10, 9), 5) == D(2026, 9, 24)
    assert nth_working_day_before(D(2026, 10, 9), 5, calendar=c) == D(2026, 9, 24)
    assert period_end(D(2026, 9, 1), 30, calendar=c).due == D(2026, 10, 8)  # 10-01 → 10-08
    with pytest.raises(CalendarNotCovered):
        c.is_working_day(D(2025, 6, 3))


@pytest.mark.parametrize(
    "body, message",
    [
        ('schema = 2\n', "schema"),
        ('schema = 1\n', "at least one"),
        ('schema = 1\n[[year]]\nyear = 2030\nchecked_on = 2026-11-23\n'
         '[year.notice]\nnumber = "X"\ntitle = "T"\npublished = 2029-11-01\n'
         '[[year.makeup]]\ndate = 2030-01-02\n', "weekday"),
        ('schema = 1\n[[year]]\nyear = 2030\nchecked_on = 2026-11-23\n'
         '[year.notice]\nnumber = "X"\ntitle = "T"\npublished = 2029-11-01\n'
         '[[year.holiday]]\nzh = "元旦"\nen = "New Year"\nfirst = 2030-01-01\nlast = 2030-01-02\ndays = 3\n', "notice says 3"),
        ('schema = 1\n[[year]]\nyear = 2030\nchecked_on = 2026-11-23\n'
         '[year.notice]\nnumber = "X"\ntitle = "T"\n', "published"),
        ('schema = 1\n[[year]]\nyear = 2030\nchecked_on = 2026-11-23\n'
         '[year.notice]\nnumber = "X"\ntitle = "T"\npublished = 2029-11-01\n'
         '[[year.holiday]]\nzh = "元旦"\nen = "New Year"\nfirst = 2031-01-01\nlast = 2031-01-01\n', "outside"),
        ('schema = 1\n[[year', "not valid TOML"),
    ],
)
def test_malformed_calendar_file(tmp_path, body, message):
    f = tmp_path / "bad.toml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        WorkdayCalendar.from_toml(f)


def test_missing_calendar_file(tmp_path):
    with pytest.raises(ParameterError, match="not found"):
        WorkdayCalendar.from_toml(tmp_path / "nope.toml")


# ------------------------------------------------------------------------------------------
# invariants (hypothesis)

# far enough inside 2020–2026 that ±40 working days stay covered
inner_dates = st.dates(min_value=D(2020, 4, 15), max_value=D(2026, 10, 31))
shifts = st.integers(min_value=-40, max_value=40)


@settings(max_examples=150, deadline=None)
@given(inner_dates, shifts)
def test_add_working_days_invariants(d, n):
    e = add_working_days(d, n)
    if n == 0:
        assert e == d
        return
    assert is_working_day(e)
    assert working_days_between(d, e) == n
    back = add_working_days(e, -n)
    if n > 0:
        assert back <= d < e
    else:
        assert e < d <= back
    assert (back == d) == is_working_day(d)


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=D(2020, 1, 1), max_value=D(2025, 12, 31)),
    st.integers(min_value=0, max_value=11),
    st.sampled_from(["day", "month", "year"]),
    st.sampled_from(["next_working_day", "none"]),
)
def test_period_end_invariants(start, count, unit, roll):
    if unit == "year":
        count = min(count, 0 if start.year == 2025 else 1)
    p = period_end(start, count, unit, roll=roll)
    assert p.due >= p.nominal_end >= start
    assert p.rolled == (p.due != p.nominal_end)
    assert all(set(s) == {"zh", "en"} for s in p.steps)
    if roll == "next_working_day":
        assert is_working_day(p.due)
        # nothing between the nominal end and due is a working day
        assert all(is_rest_day(x) for x in days(p.nominal_end, p.due - timedelta(days=1)))
    else:
        assert p.due == p.nominal_end
    if unit == "day":
        assert p.nominal_end == start + timedelta(days=count)
    else:
        months = count * (12 if unit == "year" else 1)
        assert (p.nominal_end.year * 12 + p.nominal_end.month) - (start.year * 12 + start.month) == months
        assert p.nominal_end.day == start.day or (p.nominal_end + timedelta(days=1)).day == 1


@settings(max_examples=100, deadline=None)
@given(inner_dates, st.integers(min_value=0, max_value=40))
def test_working_day_period_is_add_working_days(start, n):
    p = period_end(start, n, day_kind="working")
    assert p.due == p.nominal_end == add_working_days(start, n)
    assert not p.rolled
