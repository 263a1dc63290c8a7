"""Chinese working-day calendar and Civil Code period arithmetic (design.md §6).

Working days
    Follow the State Council General Office's yearly notice 《国务院办公厅关于YYYY年部分节假日安排的
    通知》, kept in ``data/calendar/cn_workdays.toml`` (notice number, title, dates, ``checked_on``
    per year).  A date in a holiday block of a notice is a rest day; a 调休 make-up day (a Saturday
    or Sunday named "上班" in the notice) is a working day; any other Saturday or Sunday is a rest
    day and any other weekday a working day.  A year the file does not cover raises
    :class:`~factors.errors.CalendarNotCovered`: the calendar is never guessed.

Periods
    :func:`period_end` applies 《中华人民共和国民法典》 Arts. 200–204 once:

    * Art. 200 — periods are counted by the Gregorian calendar (年、月、日、小时);
    * Art. 201 — 按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算 (the start day is not
      counted: *n* days from D end on D + n);
    * Art. 202 — 按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的
      最后一日 (corresponding day of the end month, else its last day);
    * Art. 203 — 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日；期间的最后一日
      的截止时间为二十四时；有业务时间的，停止业务活动的时间为截止时间 (a last day on a statutory
      rest day moves to the day after it; the deadline is 24:00 or close of business);
    * Art. 204 — 期间的计算方法依照本法的规定，但是法律另有规定或者当事人另有约定的除外 (other law or
      agreement prevails; e.g. SH-19 counts *working* days, ``day_kind="working"``).

    Whether a plain weekend is a 法定休假日 under Art. 203 is not settled by the text; ``roll`` is a
    switch (default: roll on every rest day, weekends included) and the step text states the
    reading used.

Only the standard library is used (``tomllib``); the default file is read lazily, once.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Mapping

import numpy as np

from factors.errors import CalendarNotCovered, InputError, ParameterError
from factors.i18n import label
from factors.paths import data_dir

__all__ = [
    "WorkdayCalendar",
    "PeriodEnd",
    "default_calendar",
    "load_calendar",
    "is_working_day",
    "is_rest_day",
    "holiday_name",
    "next_working_day",
    "working_day_on_or_after",
    "add_working_days",
    "nth_working_day_before",
    "working_days_between",
    "period_end",
    "deadline_status",
    "UNITS",
    "DAY_KINDS",
    "ROLLS",
]

UNITS = ("day", "month", "year")
DAY_KINDS = ("natural", "working")
ROLLS = ("next_working_day", "none")

#: Citations used in :class:`PeriodEnd.rule`.
CC_200 = "CC-200 《民法典》第二百条 (periods by the Gregorian calendar)"
CC_201 = "CC-201 《民法典》第二百零一条 (start day not counted)"
CC_202 = "CC-202 《民法典》第二百零二条 (corresponding day, else month-end)"
CC_203 = "CC-203 《民法典》第二百零三条 (last day on a statutory rest day → day after it; deadline 24:00 or close of business)"
CC_204 = "CC-204 《民法典》第二百零四条 (other law or agreement prevails: working-day count)"
NOTICE = "国务院办公厅年度节假日安排通知 (State Council yearly holiday notice, data/calendar/cn_workdays.toml)"

_WEEKDAY_ZH = "一二三四五六日"
_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --------------------------------------------------------------------------------------------
# argument checks


def _check_date(value: Any, name: str) -> date:
    """``value`` if it is a plain :class:`datetime.date` (a ``datetime`` is refused), else InputError."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InputError(name, "a date (datetime.date, e.g. date(2024, 1, 31))", value)
    return value


def _check_int(value: Any, name: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(name, "an integer" + ("" if minimum is None else f" ≥ {minimum}"), value)
    if minimum is not None and value < minimum:
        raise InputError(name, f"an integer ≥ {minimum}", value)
    return value


def _check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise InputError(name, "one of " + ", ".join(repr(c) for c in choices), value)
    return value


# --------------------------------------------------------------------------------------------
# the calendar


@dataclass(frozen=True)
class _Rest:
    zh: str
    en: str
    notice: str


class WorkdayCalendar:
    """The Chinese national working-day calendar for the years a notice file covers.

    Source: the State Council General Office's yearly notices 《国务院办公厅关于YYYY年部分节假日安排
    的通知》 (and amending notices, e.g. 国办发明电〔2020〕1号), as transcribed in
    ``data/calendar/cn_workdays.toml``.  Build it with :meth:`from_toml` (any file in that format,
    e.g. from ``--calendar FILE``) or use :func:`default_calendar`.

    Every query on a date whose year has no ``[[year]]`` table raises
    :class:`~factors.errors.CalendarNotCovered`.
    """

    def __init__(self, data: Mapping[str, Any], source: str = "<data>"):
        self.source = source
        self._rest: dict[date, _Rest] = {}
        self._makeup: dict[date, str] = {}
        self._years: dict[int, dict[str, Any]] = {}
        self._load(data)
        self.covered_years: tuple[int, ...] = tuple(sorted(self._years))
        self.first_day = date(self.covered_years[0], 1, 1)
        self.last_day = date(self.covered_years[-1], 12, 31)

    # ---- loading ---------------------------------------------------------------------------

    @classmethod
    def from_toml(cls, path: str | Path) -> "WorkdayCalendar":
        """Read a calendar file in the format of ``data/calendar/cn_workdays.toml``.

        Raises :class:`~factors.errors.ParameterError` if the file is malformed (the message names
        the file and the offending entry).
        """
        p = Path(path)
        try:
            with p.open("rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            raise ParameterError(f"{p}: calendar file not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise ParameterError(f"{p}: not valid TOML ({exc})") from exc
        return cls(data, source=str(p))

    def _bad(self, where: str, what: str) -> ParameterError:
        return ParameterError(f"{self.source}: {where}: {what}")

    def _load(self, data: Mapping[str, Any]) -> None:
        if data.get("schema") != 1:
            raise self._bad("schema", f"expected 1, got {data.get('schema')!r}")
        years = data.get("year")
        if not isinstance(years, list) or not years:
            raise self._bad("year", "expected at least one [[year]] table")
        for i, y in enumerate(years):
            where = f"year[{i}]"
            num = y.get("year")
            if isinstance(num, bool) or not isinstance(num, int):
                raise self._bad(f"{where}.year", f"expected an integer, got {num!r}")
            where = f"year {num}"
            if num in self._years:
                raise self._bad(where, "listed twice")
            if not isinstance(y.get("checked_on"), date):
                raise self._bad(f"{where}.checked_on", "expected a date")
            notice = y.get("notice")
            self._check_notice(notice, f"{where}.notice")
            amendments = y.get("amendment", [])
            for k, a in enumerate(amendments):
                self._check_notice(a, f"{where}.amendment[{k}]")

            makeup: dict[date, str] = {}
            for k, m in enumerate(y.get("makeup", [])):
                d = m.get("date")
                if not isinstance(d, date) or isinstance(d, datetime):
                    raise self._bad(f"{where}.makeup[{k}].date", f"expected a date, got {d!r}")
                if d.weekday() < 5:
                    raise self._bad(f"{where}.makeup[{k}]", f"{d} is a weekday; a make-up working day is a Saturday or Sunday")
                if d in makeup or d in self._makeup:
                    raise self._bad(f"{where}.makeup[{k}]", f"{d} listed twice")
                self._check_span(d, num, f"{where}.makeup[{k}]")
                makeup[d] = notice["number"]
            for a in amendments:
                for d in a.get("cancel_makeup", []):
                    if d not in makeup:
                        raise self._bad(f"{where}.amendment {a['number']}", f"cancels {d}, which is not a make-up day")
                    del makeup[d]

            blocks = [(b, notice["number"]) for b in y.get("holiday", [])]
            blocks += [(b, a["number"]) for a in amendments for b in a.get("holiday", [])]
            for k, (b, number) in enumerate(blocks):
                bw = f"{where}.holiday {b.get('zh', k)!s}"
                first, last = b.get("first"), b.get("last")
                if not (isinstance(first, date) and isinstance(last, date)) or first > last:
                    raise self._bad(bw, f"expected dates first ≤ last, got {first!r}..{last!r}")
                if not (isinstance(b.get("zh"), str) and isinstance(b.get("en"), str)):
                    raise self._bad(bw, "expected names zh and en")
                n = (last - first).days + 1
                if "days" in b and b["days"] != n:
                    raise self._bad(bw, f"{first}..{last} is {n} days, the notice says {b['days']}")
                self._check_span(first, num, bw)
                self._check_span(last, num, bw)
                for j in range(n):
                    d = first + timedelta(days=j)
                    if d in self._rest:
                        raise self._bad(bw, f"{d} is already in another holiday block")
                    if d in makeup or d in self._makeup:
                        raise self._bad(bw, f"{d} is both a holiday and a make-up working day")
                    self._rest[d] = _Rest(b["zh"], b["en"], number)
            self._makeup.update(makeup)
            self._years[num] = {
                "year": num,
                "checked_on": y["checked_on"],
                "notice": dict(notice),
                "amendments": [{k: v for k, v in a.items() if k != "holiday"} for a in amendments],
            }

    def _check_notice(self, notice: Any, where: str) -> None:
        if not isinstance(notice, Mapping):
            raise self._bad(where, "missing")
        for key in ("number", "title"):
            if not isinstance(notice.get(key), str) or not notice[key]:
                raise self._bad(f"{where}.{key}", "expected a non-empty string")
        if not isinstance(notice.get("published"), date):
            raise self._bad(f"{where}.published", "expected a date")

    def _check_span(self, d: date, year: int, where: str) -> None:
        # A notice for year Y may reach into late December of Y-1 (e.g. 2023's 元旦 from 2022-12-31).
        if not (d.year == year or (d.year == year - 1 and d.month == 12)):
            raise self._bad(where, f"{d} is outside the notice's year {year}")

    # ---- queries ---------------------------------------------------------------------------

    def covers(self, d: date) -> bool:
        """True if ``d``'s year has a notice in this calendar."""
        return _check_date(d, "d").year in self._years

    def _need(self, d: Any, name: str = "d") -> date:
        d = _check_date(d, name)
        if d.year not in self._years:
            raise CalendarNotCovered(d.year, self.covered_years)
        return d

    def notice(self, year: int) -> dict[str, Any]:
        """The notice record of ``year``: ``number``, ``title``, ``published``, ``url``,
        ``checked_on`` and ``amendments`` (raises CalendarNotCovered if absent)."""
        _check_int(year, "year")
        if year not in self._years:
            raise CalendarNotCovered(year, self.covered_years)
        rec = self._years[year]
        return {**rec["notice"], "checked_on": rec["checked_on"], "amendments": list(rec["amendments"])}

    def is_working_day(self, d: date) -> bool:
        """True if ``d`` is a working day under the year's State Council notice.

        Source: 《国务院办公厅关于YYYY年部分节假日安排的通知》: a 调休 make-up day (Saturday or Sunday
        named "上班") works; a date in a holiday block rests; otherwise Monday–Friday work and
        Saturday–Sunday rest.
        """
        d = self._need(d)
        if d in self._makeup:
            return True
        if d in self._rest:
            return False
        return d.weekday() < 5

    def is_rest_day(self, d: date) -> bool:
        """True if ``d`` is not a working day (statutory holiday block or plain weekend); source as
        :meth:`is_working_day`."""
        return not self.is_working_day(d)

    def holiday_name(self, d: date) -> dict[str, str] | None:
        """``{"zh": ..., "en": ...}`` (e.g. ``{"zh": "春节", "en": "Spring Festival"}``) if ``d`` is in
        a holiday block of the year's notice, else ``None`` (also for plain weekends and make-up
        days).  Source: the year's State Council notice; :meth:`holiday_notice` gives its number."""
        d = self._need(d)
        r = self._rest.get(d)
        return None if r is None else {"zh": r.zh, "en": r.en}

    def holiday_notice(self, d: date) -> str | None:
        """The number of the notice that makes ``d`` a holiday (e.g. ``"国办发明电〔2020〕1号"`` for
        2020-02-01), else ``None``."""
        d = self._need(d)
        r = self._rest.get(d)
        return None if r is None else r.notice

    def makeup_for(self, d: date) -> str | None:
        """The notice number if ``d`` is a 调休 make-up working day, else ``None``."""
        d = self._need(d)
        return self._makeup.get(d)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d`` (source: the yearly notices)."""
        d = self._need(d)
        while True:
            d = d + timedelta(days=1)
            if self.is_working_day(d):
                return d

    def working_day_on_or_after(self, d: date) -> date:
        """``d`` if it is a working day, else the first working day after it."""
        d = self._need(d)
        return d if self.is_working_day(d) else self.next_working_day(d)

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``n`` > 0) or before it (``n`` < 0).

        The start day is not counted (CC Art. 201 applied to a working-day count, Art. 204): from
        Friday 2024-02-02, 1 working day is Sunday 2024-02-04 (调休 under 国办发明电〔2023〕7号).
        ``n == 0`` returns ``d`` unchanged, even if it is a rest day.
        """
        d = self._need(d)
        n = _check_int(n, "n")
        step = timedelta(days=1 if n > 0 else -1)
        left = abs(n)
        while left:
            d = d + step
            if self.is_working_day(d):
                left -= 1
        return d

    def nth_working_day_before(self, d: date, n: int) -> date:
        """The ``n``-th working day before ``d``, ``d`` itself excluded (``n`` ≥ 1).

        SH-19: the consultation notice is delivered 5 working days before the meeting, the meeting
        day excluded.  Meeting Fri 2026-10-09 → 2026-09-24 under 国办发明电〔2025〕7号 (10-08, 09-30,
        09-29, 09-28, then 09-25..27 中秋节 and 10-01..07 国庆节 skipped, 09-24); naive Mon–Fri gives
        2026-10-02, a holiday.
        """
        n = _check_int(n, "n", minimum=1)
        return self.add_working_days(d, -n)

    def working_days_between(self, a: date, b: date) -> int:
        """Signed number of working days from ``a`` to ``b``: ``a`` excluded, ``b`` included.

        For ``b`` ≥ ``a`` the working days in (a, b]; for ``b`` < ``a`` minus those in [b, a).  So
        ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n`` (the start day is
        never counted, as in CC Art. 201).  Every date walked must be covered.
        """
        a = self._need(a, "a")
        b = self._need(b, "b")
        step = timedelta(days=1 if b >= a else -1)
        count = 0
        d = a
        while d != b:
            d = d + step
            if self.is_working_day(d):
                count += 1
        return count if b >= a else -count

    def describe_rest(self, d: date) -> dict[str, str]:
        """Why ``d`` is a rest day, as ``{"zh", "en"}`` (for step texts)."""
        d = self._need(d)
        h = self._rest.get(d)
        if h is not None:
            return {"zh": f"法定节假日（{h.zh}，{h.notice}）", "en": f"a statutory holiday ({h.en}, {h.notice})"}
        return {"zh": f"周末休息日（星期{_WEEKDAY_ZH[d.weekday()]}）", "en": f"a weekend rest day ({_WEEKDAY_EN[d.weekday()]})"}

    def __repr__(self) -> str:
        return f"WorkdayCalendar({self.source!r}, years {self.covered_years[0]}–{self.covered_years[-1]})"


# --------------------------------------------------------------------------------------------
# default calendar (lazy, once)

_default: WorkdayCalendar | None = None
_lock = threading.Lock()


def default_calendar() -> WorkdayCalendar:
    """The calendar of ``data/calendar/cn_workdays.toml`` (read on first use, then cached)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = WorkdayCalendar.from_toml(data_dir() / "calendar" / "cn_workdays.toml")
    return _default


def load_calendar(path: str | Path | None = None) -> WorkdayCalendar:
    """The calendar of ``path`` (e.g. the CLI's ``--calendar FILE``), or the default one if ``None``."""
    return default_calendar() if path is None else WorkdayCalendar.from_toml(path)


#: The calendar in use for the current context (``--calendar FILE`` / ``assess_case(calendar=...)``).
_active: contextvars.ContextVar[WorkdayCalendar | None] = contextvars.ContextVar("active_calendar", default=None)


@contextlib.contextmanager
def using_calendar(calendar: WorkdayCalendar | None):
    """Within the block, functions called without ``calendar=`` use ``calendar`` (None: the default).

    This is how a user-supplied notice file (e.g. a newer year's State Council notice) reaches
    every deadline and due date of one assessment without changing the shipped data.
    """
    token = _active.set(calendar)
    try:
        yield
    finally:
        _active.reset(token)


def _cal(calendar: WorkdayCalendar | None) -> WorkdayCalendar:
    if calendar is None:
        return _active.get() or default_calendar()
    if not isinstance(calendar, WorkdayCalendar):
        raise InputError("calendar", "a WorkdayCalendar or None", calendar)
    return calendar


def is_working_day(d: date, *, calendar: WorkdayCalendar | None = None) -> bool:
    """See :meth:`WorkdayCalendar.is_working_day` (source: the State Council yearly notice)."""
    return _cal(calendar).is_working_day(d)


def is_rest_day(d: date, *, calendar: WorkdayCalendar | None = None) -> bool:
    """See :meth:`WorkdayCalendar.is_rest_day` (source: the State Council yearly notice)."""
    return _cal(calendar).is_rest_day(d)


def holiday_name(d: date, *, calendar: WorkdayCalendar | None = None) -> dict[str, str] | None:
    """See :meth:`WorkdayCalendar.holiday_name` (source: the State Council yearly notice)."""
    return _cal(calendar).holiday_name(d)


def next_working_day(d: date, *, calendar: WorkdayCalendar | None = None) -> date:
    """See :meth:`WorkdayCalendar.next_working_day` (source: the State Council yearly notice)."""
    return _cal(calendar).next_working_day(d)


def working_day_on_or_after(d: date, *, calendar: WorkdayCalendar | None = None) -> date:
    """See :meth:`WorkdayCalendar.working_day_on_or_after` (source: the State Council yearly notice)."""
    return _cal(calendar).working_day_on_or_after(d)


def add_working_days(d: date, n: int, *, calendar: WorkdayCalendar | None = None) -> date:
    """See :meth:`WorkdayCalendar.add_working_days` (CC Arts. 201, 204; the yearly notice)."""
    return _cal(calendar).add_working_days(d, n)


def nth_working_day_before(d: date, n: int, *, calendar: WorkdayCalendar | None = None) -> date:
    """See :meth:`WorkdayCalendar.nth_working_day_before` (SH-19; the yearly notice)."""
    return _cal(calendar).nth_working_day_before(d, n)


def working_days_between(a: date, b: date, *, calendar: WorkdayCalendar | None = None) -> int:
    """See :meth:`WorkdayCalendar.working_days_between` (source: the State Council yearly notice)."""
    return _cal(calendar).working_days_between(a, b)


# --------------------------------------------------------------------------------------------
# Civil Code periods


@dataclass(frozen=True)
class PeriodEnd:
    """Result of :func:`period_end`.

    ``nominal_end`` is the last day by Arts. 201–202 (or the working-day count), ``due`` the last
    day after Art. 203's roll; ``rolled`` is ``due != nominal_end``.  ``steps`` explains each step
    as ``{"zh": ..., "en": ...}``; ``rule`` lists the provisions applied.  The deadline is 24:00 of
    ``due``, or close of business where there are business hours (Art. 203 para. 2).
    """

    start: date
    count: int
    unit: str
    day_kind: str
    roll: str
    nominal_end: date
    due: date
    rolled: bool
    steps: list[dict[str, str]] = field(compare=False)
    rule: tuple[str, ...] = ()


def _add_months(d: date, months: int) -> tuple[date, bool]:
    """(corresponding day ``months`` later, clipped_to_month_end) — CC Art. 202."""
    total = d.year * 12 + (d.month - 1) + months
    y, m = divmod(total, 12)
    m += 1
    if not 1 <= y <= 9999:
        raise InputError("count", "a period ending within years 1–9999", months)
    nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    last = (nxt - timedelta(days=1)).day
    return date(y, m, min(d.day, last)), d.day > last


UNIT_LABEL = {"day": label("law", "day"), "month": label("law", "month"), "year": label("law", "year")}


def period_end(
    start: date,
    count: int,
    unit: Literal["day", "month", "year"] = "day",
    day_kind: Literal["natural", "working"] = "natural",
    roll: Literal["next_working_day", "none"] = "next_working_day",
    *,
    calendar: WorkdayCalendar | None = None,
) -> PeriodEnd:
    """Last day of a period of ``count`` ``unit`` from ``start`` (《民法典》 Arts. 200–204).

    * Art. 201: the start day is not counted — 30 days from 2024-01-15 end on 2024-02-14.
    * Art. 202: months/years end on the corresponding day of the end month, else its last day —
      1 month from 2024-01-31 → 2024-02-29; from 2023-01-31 → 2023-02-28; 1 year from 2024-02-29
      → 2025-02-28.
    * Art. 203: a last day on a rest day moves to the next working day (``roll="next_working_day"``,
      the default, which reads 法定休假日 as every rest day, weekends included; ``roll="none"``
      keeps the nominal day).  A 调休 make-up Saturday is a working day and does not roll.
    * Art. 204 / SH-19: ``day_kind="working"`` counts working days (unit ``"day"`` only); the
      result is always a working day, so nothing rolls.

    Natural-day periods need the calendar only for the roll: with ``roll="none"`` no calendar is
    consulted.  Bad arguments raise :class:`~factors.errors.InputError` naming the argument.
    """
    start = _check_date(start, "start")
    count = _check_int(count, "count", minimum=0)
    unit = _check_choice(unit, "unit", UNITS)
    day_kind = _check_choice(day_kind, "day_kind", DAY_KINDS)
    roll = _check_choice(roll, "roll", ROLLS)
    if day_kind == "working" and unit != "day":
        raise InputError("day_kind", "'natural' for a period in months or years ('working' counts days only)", day_kind)
    cal = _cal(calendar) if (roll != "none" or day_kind == "working") else None

    steps: list[dict[str, str]] = []
    rule: list[str] = [CC_200, CC_201]
    s = start.isoformat()
    steps.append(label("law", "start day {start} not counted; counting begins the next day (CC Art. 201)", start=s))

    if day_kind == "working":
        rule.append(CC_204)
        rule.append(NOTICE)
        nominal = cal.add_working_days(start, count) if count else start
        steps.append(label("law", "{count} working days (CC Art. 204; rest days skipped, make-up working days counted, "
                                  "per the State Council notice): last day {end}", count=count, end=nominal.isoformat()))
    elif unit == "day":
        try:
            nominal = start + timedelta(days=count)
        except OverflowError:
            raise InputError("count", "a period ending within years 1–9999", count) from None
        steps.append(label("law", "{count} days from {start}: last day {end}", count=count, start=s, end=nominal.isoformat()))
    else:
        rule.append(CC_202)
        months = count * (12 if unit == "year" else 1)
        nominal, clipped = _add_months(start, months)
        if clipped:
            steps.append(label("law", "{count} {unit}(s) from {start}: the end month has no day {day}, so its last day {end} is "
                                      "the last day (CC Art. 202)", count=count, unit=UNIT_LABEL[unit], start=s,
                               day=start.day, end=nominal.isoformat()))
        else:
            steps.append(label("law", "{count} {unit}(s) from {start}: the corresponding day {end} is the last day (CC Art. 202)",
                               count=count, unit=UNIT_LABEL[unit], start=s, end=nominal.isoformat()))

    due = nominal
    n = nominal.isoformat()
    if day_kind == "working":
        pass
    elif roll == "none":
        steps.append(label("law", "no roll under CC Art. 203 (roll='none'): last day {end}", end=n))
    else:
        rule.append(CC_203)
        rule.append(NOTICE)
        if cal.is_working_day(nominal):
            if cal.makeup_for(nominal):
                steps.append(label("law", "last day {end} is a make-up working day ({holiday}), so it does not roll (CC Art. 203)",
                                   end=n, holiday=cal.makeup_for(nominal)))
            else:
                steps.append(label("law", "last day {end} is a working day, so it does not roll (CC Art. 203)", end=n))
        else:
            why = cal.describe_rest(nominal)
            due = cal.next_working_day(nominal)
            steps.append(label("law", "last day {end} is {why}; reading 法定休假日 as every rest day (weekends included), it rolls "
                                      "to the next working day {due} (CC Art. 203)", end=n, why=why, due=due.isoformat()))
    steps.append(label("law", "due {due}, at 24:00, or at close of business where there are business hours (CC Art. 203 para. 2)",
                       due=due.isoformat()))
    if CC_203 not in rule:
        rule.append(CC_203)
    return PeriodEnd(
        start=start, count=count, unit=unit, day_kind=day_kind, roll=roll,
        nominal_end=nominal, due=due, rolled=due != nominal, steps=steps, rule=tuple(rule),
    )


def deadline_status(due: date, done_on: date | None, today: date) -> Literal["met", "missed", "pending"]:
    """Status of a deadline (CC Art. 1259: 届满 includes the day itself).

    ``"met"`` if ``done_on`` ≤ ``due``; ``"missed"`` if ``done_on`` > ``due``, or nothing was done
    and ``today`` > ``due``; otherwise ``"pending"``.
    """
    due = _check_date(due, "due")
    today = _check_date(today, "today")
    if done_on is not None:
        done_on = _check_date(done_on, "done_on")
    days = [None if d is None else np.datetime64(d, "D") for d in (due, done_on, today)]
    done = np.array([days[1] if days[1] is not None else np.datetime64("NaT")], "datetime64[D]")
    code = deadline_status_array(np.array([days[0]], "datetime64[D]"), done, days[2])[0]
    return DEADLINE_STATUSES[int(code)]


#: Codes of :func:`deadline_status_array` (indices into this tuple).
DEADLINE_STATUSES: tuple[Literal["met", "missed", "pending"], ...] = ("met", "missed", "pending")


def deadline_status_array(due: np.ndarray, done_on: np.ndarray, today: Any, *, after: Any = False) -> np.ndarray:
    """:func:`deadline_status` on arrays of ``datetime64[D]`` (NaT: not done), as indices into :data:`DEADLINE_STATUSES`.

    ``after``: a minimum period (the next step may come only *after* ``due``): met when done strictly
    after it, missed when done on or before it, pending while not done (``today`` does not matter).
    """
    due = np.asarray(due, "datetime64[D]")
    done = np.asarray(done_on, "datetime64[D]")
    today = np.asarray(today, "datetime64[D]")
    after = np.asarray(after, bool)
    given = ~np.isnat(done)
    met = np.where(after, done > due, done <= due)
    met_code, missed_code, pending_code = 0, 1, 2
    by = np.where(given, np.where(met, met_code, missed_code), np.where(today > due, missed_code, pending_code))
    minimum = np.where(given, np.where(met, met_code, missed_code), pending_code)
    return np.where(after, minimum, by).astype(np.int8)
