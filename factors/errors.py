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

    RunAborted(en, zh)                      not input, not a bug: the machine stopped the run (a worker
                                            process killed, out of memory); exit 71
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Sequence


class AssessError(Exception):
    """Base class of every error caused by input, data or rules (never by a bug)."""

    def __reduce__(self) -> tuple[Any, ...]:
        # picklable whatever the subclass's __init__ takes: a Dask worker's error reaches the client intact
        return _rebuild, (type(self), self.args, self.__dict__)


def _rebuild(cls: type, args: tuple[Any, ...], state: dict[str, Any]) -> "AssessError":
    err = cls.__new__(cls)
    Exception.__init__(err, *args)
    err.__dict__.update(state)
    return err


class RunAborted(Exception):
    """The run could not finish for a reason outside the case and the program: a worker process of
    ``assess batch --jobs`` was killed (out of memory, a signal).  Nothing is written; exit 71
    (sysexits ``EX_OSERR``).  ``en`` and ``zh`` are the message in each language."""

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh
        super().__init__(en)

    def render(self, lang: str = "en") -> str:
        return {"zh": self.zh, "en": self.en}.get(lang, f"{self.zh} / {self.en}")


class InputError(AssessError):
    """Bad input at ``path`` (a field path such as ``cost_items[2].amount`` or a cell ``损害项目!D7``).

    ``expected`` is English text; when it comes from a message id of the ``errors`` catalogue
    (``msgid`` with ``fields``, e.g. a :class:`factors.vocabulary.Refused`), :meth:`render` gives it
    in Chinese too.  ``got`` is echoed shortened (:data:`ECHO_CHARS` characters at most).
    """

    def __init__(self, path: str, expected: str, got: Any = None, *, problems: Sequence["InputError"] = (),
                 msgid: str | None = None, fields: dict[str, Any] | None = None):
        self.path = path
        self.msgid = msgid if msgid is not None else expected
        self.fields = dict(fields or {})
        self.expected = self.msgid.format(**self.fields) if msgid is not None and self.fields else expected
        self.got = got
        self.problems = list(problems)
        super().__init__(self._message())

    @classmethod
    def refused(cls, path: str, exc: Any) -> "InputError":
        """The error for a :class:`factors.vocabulary.Refused` at ``path`` (its message id kept)."""
        got = None if type(exc.got).__name__ == "_Nothing" else exc.got
        return cls(path, exc.expected, got, msgid=exc.msgid, fields=exc.fields)

    @classmethod
    def collect(cls, problems: Sequence["InputError"]) -> "InputError":
        """One error that carries several (validation reports all problems at once)."""
        if len(problems) == 1:
            return problems[0]
        return cls("", "", problems=problems)

    def _message(self) -> str:
        return self.render("en")

    def render(self, lang: str = "en") -> str:
        """One line per error in ``lang`` (``zh``, ``en`` or ``both``: the Chinese line, then ' / ' English)."""
        if lang == "both":
            zh, en = self.render("zh"), self.render("en")
            return zh if zh == en else f"{zh} / {en}"
        from factors.i18n import message

        if self.problems:
            inner = "; ".join(p.render(lang) for p in self.problems)
            return message("errors", "{n} input error(s): {problems}", lang, n=len(self.problems), problems=inner)
        expected = message("errors", self.msgid, lang, **self.fields) if self.fields else message("errors", self.msgid, lang)
        if self.got is None:
            return message("errors", "{path}: expected {expected}", lang, path=self.path, expected=expected)
        return message("errors", "{path}: expected {expected}, got {got}", lang, path=self.path, expected=expected,
                       got=short(self.got))

#: Characters of a refused value echoed in a message (a 1 MB unit is not printed back).
ECHO_CHARS = 40
#: Every character that ends a line for ``str.splitlines`` (and for a terminal or a log reader):
#: \n \r \v \f, the file/group/record separators, NEL (U+0085), LINE and PARAGRAPH SEPARATOR.
LINE_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def one_line(text: str, limit: int = 2000) -> str:
    """``text`` as one line: every line separator of user text (:data:`LINE_BREAKS`) shown as a space,
    the length bounded; an error line on stderr is always one line per problem (issue 13)."""
    flat = LINE_BREAKS.sub(" ", text)
    return flat if len(flat) <= limit else flat[:limit] + " …"


def short(value: Any, limit: int = ECHO_CHARS) -> str:
    """``repr`` of ``value`` cut to ``limit`` characters (an ellipsis marks the cut)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
