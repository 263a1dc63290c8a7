"""The language of ``assess --help`` and of the command line's own usage errors (issue 16, section 3).

Every help text, description and epilog of :func:`assess.app.cli.build_parser` is an English message
id of the ``cli`` catalogue (``data/locale/<lang>/LC_MESSAGES/cli.po``); so are argparse's own words
("usage: ", "options", "the following arguments are required: %s" …), which argparse looks up through
its module-level ``_`` (the stdlib's gettext convention) while the parser is built and used.

The language: ``--lang zh|en|both`` when given anywhere on the command line (it must be known before
``--help`` is acted on, so the arguments are scanned first), else the locale in gettext's order
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``: Chinese when it starts with ``zh``), else English.
"""

from __future__ import annotations

import argparse
import contextlib
from typing import Any, Iterator, Sequence

from factors.i18n import message

LANGS = ("zh", "en", "both")


def help_lang(argv: Sequence[str], environ: Any = None) -> str:
    """``zh``, ``en`` or ``both``: the last ``--lang`` of ``argv`` (``--lang zh`` or ``--lang=zh``), else the locale."""
    found = None
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif word.startswith("--lang="):
            found = word.split("=", 1)[1]
    if found in LANGS:
        return found
    return error_lang(None, environ)


def error_lang(args: argparse.Namespace | None, environ: Any = None) -> str:
    """The language of error messages: ``--lang`` when given; else Chinese under a Chinese locale
    (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` starting with ``zh``, gettext's order), else English."""
    import os

    if args is not None and getattr(args, "lang_given", False):
        return args.lang
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.split(":")[0].lower().startswith("zh") else "en"
    return "en"


def tr(text: Any, lang: str) -> Any:
    """``text`` (an English message id of the ``cli`` domain) in ``lang``; anything else unchanged."""
    if not isinstance(text, str) or not text or text == argparse.SUPPRESS or lang == "en":
        return text
    return message("cli", text, lang)


@contextlib.contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    """argparse's own words in ``lang`` (Chinese for ``both``: they frame the text) while the block runs."""
    words = "zh" if lang == "both" else lang
    saved = argparse._            # type: ignore[attr-defined]
    argparse._ = lambda text: tr(text, words)   # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = saved        # type: ignore[attr-defined]


def localize(parser: argparse.ArgumentParser, lang: str) -> argparse.ArgumentParser:
    """Translate every help, description and epilog of ``parser`` and its subcommands in place."""
    if lang == "en":
        return parser
    parser.description = tr(parser.description, lang)
    parser.epilog = tr(parser.epilog, lang)
    for action in parser._actions:
        action.help = tr(action.help, lang)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = tr(choice.help, lang)
            for sub in dict.fromkeys(action.choices.values()):
                localize(sub, lang)
    return parser


def help_texts(parser: argparse.ArgumentParser) -> list[str]:
    """Every help text, description and epilog of ``parser`` and its subcommands (for the catalogue's test)."""
    out = [x for x in (parser.description, parser.epilog) if x]
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            out.append(action.help)
        if isinstance(action, argparse._SubParsersAction):
            out += [c.help for c in action._choices_actions if c.help]
            for sub in dict.fromkeys(action.choices.values()):
                out += help_texts(sub)
    return out


def error_text(exc: Exception, lang: str) -> str:
    """A non-input :class:`factors.errors.AssessError` (rules data, calendar, missing extra) in ``lang``:
    English is the exception's own text; Chinese comes from the errors catalogue (``both``: 'zh / en')."""
    from factors.errors import CalendarNotCovered, RuleNotApplicable, RuleNotInForce

    en = str(exc)
    if lang == "en":
        return en
    zh = en
    if isinstance(exc, CalendarNotCovered):
        span = f"{min(exc.covered)}–{max(exc.covered)}" if exc.covered else "无"
        zh = message("errors", "working-day calendar has no data for {year} (covered: {span}): add the State Council "
                               "notice to data/calendar/cn_workdays.toml or pass --calendar FILE", "zh", year=exc.year, span=span)
    elif isinstance(exc, RuleNotApplicable):
        zh = message("errors", "parameter {name} is not applicable in {jurisdiction} on {on}", "zh", name=exc.name,
                     jurisdiction=exc.jurisdiction, on=exc.on.isoformat())
        zh += f"（{exc.source}）" if getattr(exc, "source", "") else ""
    elif isinstance(exc, RuleNotInForce):
        zh = message("errors", "parameter {name}: nothing in force for {jurisdiction} on {on} (known periods: {periods})",
                     "zh", name=exc.name, jurisdiction=exc.jurisdiction, on=exc.on.isoformat(),
                     periods="；".join(exc.known) if exc.known else "无")
        detail = en.split("); ", 1)[1] if "); " in en else ""
        zh += f"；{detail}" if detail else ""
    if lang == "both":
        return zh if zh == en else f"{zh} / {en}"
    return zh
