"""Exception tree of the calculator (lowest layer, so every package can raise it).

``AssessError`` and its subclasses are *user* errors: the CLI prints them as one line on
stderr and exits with code 2.  Anything else escaping is a bug (exit 1).

::

    AssessError
    ├── InputError(path, expected, got)     e.g. ``damage_items[0].inputs.quantity``
    │   └── UnitError                       wrong dimension, ambiguous or refused unit
    ├── ParameterError                      malformed parameter data (data/parameters/*.toml)
    ├── RuleNotInForce(name, jurisdiction, on, known)
    │   └── RuleNotApplicable               the jurisdiction has no such rule (e.g. SH money tiers)
    ├── CalendarNotCovered(year)
    └── UnsafeWorkbook                      XML entities, formula without cached value
"""

from __future__ import annotations

from datetime import date
from typing import Any, Sequence


class AssessError(Exception):
    """Base class of every error caused by input, data or rules (never by a bug)."""


class InputError(AssessError):
    """Bad input at ``path`` (a field path such as ``cost_items[2].amount`` or a cell ``损害项目!D7``)."""

    def __init__(self, path: str, expected: str, got: Any = None, *, problems: Sequence["InputError"] = ()):
        self.path = path
        self.expected = expected
        self.got = got
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        if self.problems:
            inner = "; ".join(str(p) for p in self.problems)
            return f"{len(self.problems)} input error(s): {inner}"
        got = "" if self.got is None else f", got {self.got!r}"
        return f"{self.path}: expected {self.expected}{got}"

    @classmethod
    def collect(cls, problems: Sequence["InputError"]) -> "InputError":
        """One error that carries several (validation reports all problems at once)."""
        if len(problems) == 1:
            return problems[0]
        return cls("", "", problems=problems)


class UnitError(InputError):
    """A quantity has the wrong dimension, or a unit that is ambiguous or refused."""


class ParameterError(AssessError):
    """The parameter data in ``data/`` is malformed (a packaging or editing error)."""


class RuleNotInForce(AssessError):
    """No value of parameter ``name`` is in force for ``jurisdiction`` on ``on``."""

    def __init__(self, name: str, jurisdiction: str, on: date, known: Sequence[str] = (), detail: str = ""):
        self.name, self.jurisdiction, self.on, self.known = name, jurisdiction, on, list(known)
        periods = "; ".join(self.known) if self.known else "none"
        msg = f"parameter {name!r}: nothing in force for {jurisdiction} on {on.isoformat()} (known periods: {periods})"
        if detail:
            msg += f"; {detail}"
        super().__init__(msg)


class RuleNotApplicable(RuleNotInForce):
    """The jurisdiction's rules say this parameter does not exist there (``not_applicable``)."""

    def __init__(self, name: str, jurisdiction: str, on: date, source: str = ""):
        self.name, self.jurisdiction, self.on, self.known, self.source = name, jurisdiction, on, [], source
        AssessError.__init__(
            self, f"parameter {name!r} is not applicable in {jurisdiction} on {on.isoformat()}" + (f" ({source})" if source else "")
        )


class CalendarNotCovered(AssessError):
    """The working-day calendar has no data for ``year``; never guessed."""

    def __init__(self, year: int, covered: Sequence[int] = ()):
        self.year = year
        self.covered = list(covered)
        span = f"{min(self.covered)}–{max(self.covered)}" if self.covered else "none"
        super().__init__(
            f"working-day calendar has no data for {year} (covered: {span}): add the State Council notice "
            f"to data/calendar/cn_workdays.toml or pass --calendar FILE"
        )


class UnsafeWorkbook(AssessError):
    """A workbook that cannot be read safely (XML entities, formula without a cached value)."""
