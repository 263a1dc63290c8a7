"""Command line: ``assess example | run | report | route | deadlines | schedule | punitive-check | template | check |
batch | schema | params | serve``.

Exit codes (the same for every command; README "Exit codes"):

* 0 — success (``check``: every claimed amount matches to the fen);
* 1 — ``check`` only: the claim differs from the recomputed ledger;
* 2 — bad input, data or rules: one line per problem on stderr naming the field, sheet!cell or
  claim line; nothing written;
* 70 — internal error (sysexits ``EX_SOFTWARE``): a bug, never a result; rerun with ``--debug``;
* 71 — the run was stopped by the machine (sysexits ``EX_OSERR``): a worker process of ``batch --jobs``
  killed (out of memory); nothing written;
* 130 — interrupted (Ctrl-C).

Python warnings raised while a command runs are not printed as tracebacks-like noise: the workbook
readers turn theirs into notes of the result, and any other is printed as one ``warning:`` line on
success and dropped on exit 2 (the error line says what is wrong).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from datetime import date
from pathlib import Path
from typing import Any, Callable, Sequence

from assess.app.clihelp import argparse_language, error_lang, help_lang, localize
from assess.formats.atomic import write_atomic
from assess.reports import jsontext
from factors import vocabulary
from factors.errors import AssessError, InputError, RunAborted

EXAMPLE = "js_water_pollution.json"
TEMPLATE_EXAMPLE = "template_example.json"   # `assess template`'s example rows: every sheet has one
ON_HELP = "override: apply the rules in force on this date to every rule (default: the case's own dates) (YYYY-MM-DD)"
EX_OK, EX_DIFFERS, EX_INPUT, EX_SOFTWARE, EX_OSERR, EX_INTERRUPTED = 0, 1, 2, 70, 71, 130
EXIT_CODES_HELP = ("exit codes: 0 success; 1 check only: the claim differs; "
                   "2 bad input (one line per problem, nothing written); "
                   "70 internal error (a bug; rerun with --debug); 71 stopped by the machine (a worker killed, "
                   "out of memory; nothing written); 130 interrupted")


def _date(text: str) -> date:
    """A date option (``--on``, ``--today``): the input vocabulary's date (YYYY-MM-DD exactly)."""
    try:
        return vocabulary.to_date(text)
    except vocabulary.Refused as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, got {text!r}")
    return n


def _seed(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0, got {text!r}")
    return n


class _LangGiven(argparse.Action):
    """Stores ``--lang`` and notes that it was given (error messages follow the locale otherwise)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        namespace.lang_given = True


def _lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("zh", "en", "both"), default="both", action=_LangGiven,
                        help="language of labels: zh Chinese, en English, both (default)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="assess",
        description="ecological-environment damage compensation under Chinese law",
        epilog=EXIT_CODES_HELP,
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    p.add_argument("--version", action="version", version=f"assess {_version()}", help="print the version and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def result_cmd(name: str, help_text: str, with_case: bool) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_text, description=help_text)
        if with_case:
            sp.add_argument("case", help="case file (.json or .xlsx workbook; - reads JSON from standard input)")
        sp.add_argument("--json", action="store_true", help="print the machine-readable result (JSON)")
        _lang(sp)
        sp.add_argument("-o", "--output", help="write the result to FILE (.json: JSON; .xlsx: result workbook; "
                                               ".pdf/.html: the printable report (see `assess report`); .txt: text)")
        sp.add_argument("--on", type=_date, help=ON_HELP)
        sp.add_argument("--no-trace", action="store_true", help="omit the calculation trace from the text summary")
        return sp

    for sp in (result_cmd("example", "assess the shipped example case (a Jiangsu water-pollution case)", False),
               result_cmd("run", "assess a case file", True),
               result_cmd("route", "the procedural path of a case, each decision with its rule", True),
               result_cmd("deadlines", "every procedural date of a case and its status", True)):
        sp.add_argument("--today", type=_date, help="judge deadlines as of this date (YYYY-MM-DD; default: today)")
        sp.add_argument("--calendar", metavar="FILE",
                        help="working-day calendar (TOML in the format of data/calendar/cn_workdays.toml) to use "
                             "instead of the shipped one, e.g. with a newer State Council notice")
        sp.add_argument("--cost-ratio-threshold", metavar="RATIO",
                        help="JS-(七) 'clearly higher' ratio of category 3 to the other categories, for this run "
                             "(overrides the policy default routing.cost_ratio_reminder)")
        sp.add_argument("--uncertainty", action="store_true",
                        help="add a Monte Carlo band (P5/P50/P95 per category and total) over the inputs given "
                             "with a distribution; the ledger keeps the point values")
        sp.add_argument("--draws", type=_positive_int, default=10_000, help="Monte Carlo draws (default 10000)")
        sp.add_argument("--seed", type=_seed, default=None, help="Monte Carlo seed (default: generated and recorded)")

    sp = sub.add_parser("report", help="printable case report (PDF or HTML, A4, Chinese first)",
                        description="Write the printable case report (A4, Chinese by default) as PDF or HTML: a cover (case, "
                                    "jurisdiction, rules dates, versions, fingerprint of the input files), the ledger with "
                                    "its bills of quantities, the total in words (大写), a chart, the procedural path, "
                                    "deadlines, liability, warnings, and the trace with the quoted text of each rule cited.")
    sp.add_argument("case", help="case file (.json or .xlsx workbook)")
    sp.add_argument("-o", "--output", required=True, help="report file: .pdf or .html")
    sp.add_argument("--lang", choices=("zh", "en", "both"), default="zh",
                    help="report language: zh Chinese (default), en English, both side by side")
    sp.add_argument("--on", type=_date, help="apply the rules in force on this date (YYYY-MM-DD)")
    sp.add_argument("--today", type=_date, help="report date: deadline status as of this date (default: today)")
    sp.add_argument("--calendar", metavar="FILE", help="working-day calendar to use instead of the shipped one")
    sp.add_argument("--cost-ratio-threshold", metavar="RATIO", help="JS-(七) ratio threshold for this run")
    sp.add_argument("--uncertainty", action="store_true", help="add the Monte Carlo band (table and chart)")
    sp.add_argument("--draws", type=_positive_int, default=10_000, help="Monte Carlo draws (default 10000)")
    sp.add_argument("--seed", type=_seed, default=None, help="Monte Carlo seed (default: generated and recorded)")

    sp = sub.add_parser("schedule", help="instalment schedule and payment statement of a case",
                        description="Print the instalment schedule of CASE and, with payments, the statement "
                                    "(doubled interest per late instalment, outstanding balance).")
    sp.add_argument("case", help="case file (.json) with an instalment_plan")
    sp.add_argument("--as-of", type=_date, help="statement date (default: instalment_plan.as_of, else the last payment)")
    sp.add_argument("--calendar", metavar="FILE", help="working-day calendar to use instead of the shipped one")
    sp.add_argument("--json", action="store_true", help="print JSON")
    _lang(sp)
    sp.add_argument("-o", "--output", help="write to FILE (.json: JSON; otherwise text)")
    sp.add_argument("--on", type=_date, help=ON_HELP)

    sp = sub.add_parser("punitive-check", help="check a historic punitive award against the rules then and now",
                        description="Given an award's base and multiple and its date, say whether it fits the rules in "
                                    "force on that date and what today's rules would allow.")
    sp.add_argument("--base", required=True, help="punitive base in 元 (categories 1 + 2), e.g. 150000.00")
    sp.add_argument("--multiple", required=True, help="multiple applied, e.g. 1.5")
    sp.add_argument("--date", type=_date, required=True, help="date of the award (judgment or agreement)")
    sp.add_argument("--jurisdiction", "-j", default="CN", help="CN, CN-JS or CN-SH (default CN)")
    sp.add_argument("--today", type=_date, default=None, help="compare with the rules on this date (default: today)")
    sp.add_argument("--json", action="store_true", help="print JSON")
    _lang(sp)

    sp = sub.add_parser("template", help="write a case input workbook (template with an example)",
                        description="write a case input workbook: one sheet per part of the case, bilingual headers, "
                                    "notes, dropdowns and checks, and the shipped example case as example rows")
    sp.add_argument("-o", "--output", required=True, help="the workbook to write (.xlsx)")
    sp.add_argument("--lang", choices=("zh", "en", "both"), default="both", action=_LangGiven,
                    help="header language (default both)")
    sp.add_argument("--blank", action="store_true", help="no example rows")
    sp.add_argument("--from", dest="source", help="fill the workbook from this case file (.json) instead of the example "
                    "(the sheets of methods the case does not use are left out unless --methods says otherwise)")
    sp.add_argument("--methods", help="the valuation methods whose sheets to include, e.g. restoration_cost,given_amount "
                    "(codes or Chinese names; all: every method)")
    sp.add_argument("--claim", action="store_true",
                    help="write a claim/judgment workbook for `assess check --claimed` instead")

    sp = sub.add_parser("check", help="check a claim or judgment against the recomputed case",
                        description="Check every figure of a claim or judgment: first its own arithmetic, then, with a case, "
                                    "figure by figure against the recomputed case at the precision printed. "
                                    "Exit 0 every figure matches, 1 a difference (or a figure not recomputable), 2 bad input")
    sp.add_argument("case", nargs="?", help="case file (.json or .xlsx); without it only the claim's own arithmetic is checked")
    sp.add_argument("--claimed", required=True, help="the claim or judgment (.json or .xlsx; see README; assess template --claim)")
    sp.add_argument("--on", type=_date, help=ON_HELP)
    sp.add_argument("--json", action="store_true", help="print the comparison as JSON")
    sp.add_argument("-o", "--output", help="write the result to FILE (.json, .xlsx or .txt) instead of standard output")
    _lang(sp)

    sp = sub.add_parser("batch", help="assess many cases, one per row (parquet, csv, xlsx)",
                        description="Assess every row of CASES (the batch column format: assess/batch.py, README "
                                    "'Batch') and write one result row per case to OUTPUT. Rows with problems get an "
                                    "error message and do not stop the batch (exit 0); an unusable file exits 2.")
    sp.add_argument("cases", help="cases file: .parquet, .csv (UTF-8 or GBK), .xlsx, .xls or .ods (.xls/.ods: extra `fast`); "
                                  "or a docket (`assess docket`): a directory of tables, a workbook with a "
                                  "`cases` sheet, or .jsonl (one case file per line)")
    sp.add_argument("--no-bom", dest="bom", action="store_false",
                    help="write a results CSV without the UTF-8 byte-order mark (default: with it, so zh-CN Excel shows Chinese)")
    sp.add_argument("-o", "--output", required=True, help="results file: .parquet or .csv (written atomically)")
    sp.add_argument("--on", type=_date, help="apply the rules in force on this date to every row (YYYY-MM-DD)")
    sp.add_argument("--today", type=_date, help="the date a docket's deadlines are judged on (default: the system date); "
                                                "a flat cases file has no deadline columns")
    sp.add_argument("--cost-ratio-threshold", metavar="RATIO", help="JS-(七) ratio threshold for this run")
    sp.add_argument("--chunk-rows", "--chunk-size", dest="chunk_size", metavar="N", type=_positive_int, default=100_000,
                    help="rows read, assessed and written at a time: memory is bounded by the chunk (default 100000)")
    sp.add_argument("--jobs", "-j", metavar="N", type=_positive_int, default=1,
                    help="worker processes assessing a docket's chunks side by side (default 1; memory about "
                         "2 chunks a worker; a flat cases file runs in one process)")
    _lang(sp)

    sp = sub.add_parser("docket", help="build a relational docket from case files",
                        description="Write case files as a relational docket (a cases table, one table per list, keyed "
                                    "by case_id and <table># positions) that `assess batch` reads.")
    sp.add_argument("cases", nargs="+", help="case files (.json; .jsonl: one case per line)")
    sp.add_argument("-o", "--output", required=True,
                    help="a new directory (one file per table), an .xlsx workbook or a .jsonl file")
    sp.add_argument("--format", choices=("parquet", "csv"), default="parquet",
                    help="table files of a directory (default parquet)")
    sp.add_argument("--no-bom", dest="bom", action="store_false",
                    help="write CSV tables without the UTF-8 byte-order mark")
    _lang(sp)

    sp = sub.add_parser("schema", help="print the JSON Schema of a case file (or of a result)")
    sp.add_argument("--result", action="store_true", help="the schema of the result JSON instead (assess run --json)")
    sp.add_argument("-o", "--output", help="write the schema to FILE")

    sp = sub.add_parser("params", help="list the parameters in force, with their sources")
    sp.add_argument("--jurisdiction", "-j", default="CN", help="CN, CN-JS or CN-SH (default CN)")
    sp.add_argument("--on", type=_date, default=None, help="date (default: today)")
    sp.add_argument("--json", action="store_true", help="print JSON")
    _lang(sp)

    sp = sub.add_parser("serve", help="HTTP service with an OpenAPI document (needs the extra: pip install '.[serve]')",
                        description="Serve the calculator over HTTP (JSON in, JSON out; endpoints "
                                    "under /v1/, OpenAPI at /openapi.json).  Bearer tokens from --token-file or "
                                    "ASSESS_TOKENS; a host other than loopback needs a token unless --insecure-no-auth.")
    sp.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sp.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    sp.add_argument("--workers", type=_positive_int, default=1, help="worker processes (default 1)")
    sp.add_argument("--token-file", metavar="FILE", help="file of accepted bearer tokens, one a line (else env ASSESS_TOKENS, "
                                                        "comma-separated)")
    sp.add_argument("--insecure-no-auth", action="store_true", help="allow a non-loopback host without a token")
    sp.add_argument("--max-body", type=_positive_int, default=None, metavar="BYTES", help="largest request body (default 10 MiB)")
    sp.add_argument("--max-depth", type=_positive_int, default=None, help="deepest JSON nesting accepted (default 64)")
    sp.add_argument("--max-rows", type=_positive_int, default=None, help="rows per batch request (default 10000)")
    sp.add_argument("--timeout", type=float, default=None, metavar="SECONDS", help="computation time limit per request "
                                                                                "(default 60)")
    sp.add_argument("--threads", type=_positive_int, default=None, help="computation threads per worker (default 8)")
    sp.add_argument("--cors-origin", action="append", default=None, metavar="ORIGIN",
                    help="allow this browser origin (repeatable; CORS is off by default)")
    sp.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"),
                    help="server log level (default info)")
    return p


def _version() -> str:
    from factors.version import tool_version

    return tool_version()


def example_path() -> Path:
    from factors.paths import data_dir

    return data_dir() / "examples" / EXAMPLE


def _emit(text: str, output: str | None, inputs: Sequence[str | Path] = ()) -> None:
    if output:
        write_atomic(output, text, inputs)
    else:
        sys.stdout.write(text)


def cmd_run(args: argparse.Namespace) -> int:
    from assess.app.api import assess_case
    from assess.law.uncertainty import UncertaintyOptions

    case_path = example_path() if args.command == "example" else Path(args.case)
    options = UncertaintyOptions(draws=args.draws, seed=args.seed) if args.uncertainty else None
    source: Any = case_path
    if args.command != "example" and args.case == "-":
        source, case_path = _stdin_case(), Path("-")
    result = assess_case(source, on=args.on, today=args.today, cost_ratio_threshold=args.cost_ratio_threshold,
                         uncertainty=options, calendar=args.calendar)
    if args.command in ("run", "example") and args.output:
        from assess.reports.printable import report_format

        if report_format(args.output):
            return _write_report(result, args, case_path)
    if args.command == "run" and args.output and args.output.lower().endswith((".xlsx", ".xlsm")):
        from assess.formats import excel
        from assess.formats.resultbook import result_workbook

        excel.save_atomic(result_workbook(result, lang=args.lang, source=None if source is not case_path else case_path), args.output,
                          [case_path, *_calendar_input(args)])
        return 0
    as_json = args.json or (args.output and args.output.lower().endswith(".json"))
    if args.command in ("route", "deadlines"):
        text = _procedure_text(result, args.command, as_json, args.lang, not args.no_trace)
    elif as_json:   # streamed: a large case is not held twice as text
        _emit_with(result.write_json, args.output, [case_path, *_calendar_input(args)])
        return 0
    else:           # streamed too: the trace of a large case is written node by node
        _emit_with(lambda fh: result.write_text(fh, lang=args.lang, trace=not args.no_trace), args.output,
                   [case_path, *_calendar_input(args)])
        return 0
    _emit(text, args.output, [case_path, *_calendar_input(args)])
    return 0


def _emit_with(write: Callable[[Any], None], output: str | None, inputs: Sequence[str | Path] = ()) -> None:
    """Let ``write(fh)`` fill the output file (atomically) or stdout."""
    if output:
        from assess.formats.atomic import replace_atomic

        def fill(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8") as fh:
                write(fh)

        replace_atomic(output, fill, inputs)
        return
    try:
        write(sys.stdout)
    except (BrokenPipeError, KeyboardInterrupt):
        raise
    except Exception:
        # standard output is streamed (a large trace is never held whole): what was written must never look
        # like a whole result, so a closing line says it is not (the error itself goes to stderr, exit 70)
        sys.stdout.write(f"\n{INCOMPLETE}\n")
        sys.stdout.flush()
        raise


#: The last line of a streamed standard output cut short by an internal error.
INCOMPLETE = "!! 输出不完整：内部错误，见标准错误输出 / output incomplete: internal error, see stderr"


def _stdin_case() -> Any:
    """``assess run -``: a JSON case from standard input, read as a case file is; errors name ``<stdin>``."""
    from assess.formats.jsonio import loads_json_file
    from assess.law.case import parse_case
    from assess.law.costlines import consumable

    try:
        text = sys.stdin.buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("<stdin>", "a UTF-8 JSON case") from None
    data = loads_json_file(text, "<stdin>")
    del text                     # let go before validating
    return parse_case(consumable(data))


def cmd_report(args: argparse.Namespace) -> int:
    from assess.app.api import assess_case
    from assess.reports.printable import report_format
    from assess.law.uncertainty import UncertaintyOptions

    if not report_format(args.output):
        raise InputError("--output", "a report file name ending in .pdf or .html (报告文件须为 .pdf 或 .html)", args.output)
    case_path = Path(args.case)
    options = UncertaintyOptions(draws=args.draws, seed=args.seed) if args.uncertainty else None
    result = assess_case(case_path, on=args.on, today=args.today, cost_ratio_threshold=args.cost_ratio_threshold,
                         uncertainty=options, calendar=args.calendar)
    return _write_report(result, args, case_path)


def _write_report(result: Any, args: argparse.Namespace, case_path: Path) -> int:
    """The printable report of ``result`` to ``args.output`` (.pdf or .html), with the inputs' SHA-256."""
    from assess.formats.excel import sha256_file
    from assess.reports.printable import report_bytes, report_format

    inputs = [p for p in (case_path, *(Path(c) for c in _calendar_input(args))) if p.is_file()]   # not '-' (stdin)
    fingerprints = [(p.name, sha256_file(p)) for p in inputs]
    data = report_bytes(result, report_format(args.output), lang=args.lang, inputs=fingerprints,
                        report_date=getattr(args, "today", None))
    write_atomic(args.output, data, inputs)
    return 0


def _calendar_input(args: argparse.Namespace) -> list[str]:
    """``--calendar FILE`` is an input file too: never written over."""
    return [args.calendar] if getattr(args, "calendar", None) else []


def cmd_schedule(args: argparse.Namespace) -> int:
    from assess.app.api import assess_case
    from assess.reports.render import render_schedule

    result = assess_case(Path(args.case), on=args.on, as_of=args.as_of, calendar=args.calendar)
    if result.schedule is None:
        raise InputError("instalment_plan", "an instalment plan in the case file", "none")
    as_json = args.json or (args.output and args.output.lower().endswith(".json"))
    if as_json:
        text = jsontext.dumps({"case_id": result.case.case_id, "rules_date": result.on.isoformat(),
                               "schedule": result.to_dict()["schedule"], "warnings": result.warnings}) + "\n"
    else:
        text = "\n".join(render_schedule(result, args.lang)).lstrip("\n") + "\n"
    _emit(text, args.output, [args.case, *_calendar_input(args)])
    return 0


def _decimal_arg(text: str, name: str):
    try:
        d = vocabulary.to_decimal(text)   # the input vocabulary's decimal: exact, bounded, no 1_000
    except vocabulary.Refused as exc:
        raise InputError.refused(name, exc) from None
    if d < 0:
        raise InputError(name, "a finite non-negative number", text)
    return d


def cmd_punitive_check(args: argparse.Namespace) -> int:
    from assess.law.punitive import check_award
    from factors.i18n import t
    from factors.money import MAX_AMOUNT, AmountTooLarge, to_fen
    from factors.store import default_store

    store = default_store()
    store.check_jurisdiction(args.jurisdiction, "--jurisdiction")
    base_arg, multiple = _decimal_arg(args.base, "--base"), _decimal_arg(args.multiple, "--multiple")
    try:
        base = to_fen(base_arg)
        out = check_award(base, multiple, args.date, args.jurisdiction, store, args.today)
    except AmountTooLarge as exc:
        raise InputError("--base" if abs(base_arg) >= MAX_AMOUNT else "--multiple",
                         "a base and multiple whose award is below 10^20 元", f"{exc.amount:.6E} 元") from None
    if args.json:
        sys.stdout.write(jsontext.dumps(out) + "\n")
        return 0
    lines = [f"{t({'zh': '裁判金额', 'en': 'Award'}, args.lang)}: {out['base']} × {out['multiple']} = {out['award']} 元"]
    for key, head in (("then", {"zh": "裁判日规则", "en": "Rules on the award date"}),
                      ("now", {"zh": "现行规则", "en": "Rules today"})):
        x = out[key]
        line = f"{t(head, args.lang)} ({x['date']}): {t(x['finding'], args.lang)}"
        if x.get("cap"):
            line += f"; {t({'zh': '上限', 'en': 'cap'}, args.lang)} {x['cap']} ({x['cap_kind']}), " \
                    f"{t({'zh': '最高', 'en': 'max'}, args.lang)} {x['max_award']} 元"
        lines.append(line)
    lines.append(t(out["note"], args.lang))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
def _procedure_text(result: Any, command: str, as_json: bool, lang: str, trace: bool) -> str:
    """``assess route`` / ``assess deadlines``: the routing decisions or the deadlines alone."""
    from assess.reports.render import render_deadlines, render_routing
    from factors.i18n import t

    part = result.routing if command == "route" else result.deadlines
    if as_json:
        out = {"case_id": result.case.case_id, "jurisdiction": result.case.jurisdiction,
               "rules_date": result.on.isoformat(), command if command == "deadlines" else "routing": part.to_dict(),
               "trace": part.trace().to_dict()}
        return jsontext.dumps(out) + "\n"
    lines = [f"{t({'zh': '案件', 'en': 'Case'}, lang)}: {result.case.case_id} ({result.case.jurisdiction}) · "
             f"{t({'zh': '适用规则日期', 'en': 'rules in force on'}, lang)} {result.on.isoformat()}", ""]
    lines += render_routing(part, lang) if command == "route" else render_deadlines(part, lang)
    if trace:
        lines += ["", t({"zh": "判断过程", "en": "Trace"}, lang)]
        for tl in ("zh", "en") if lang == "both" else (lang,):
            lines += [part.trace().render(tl), ""]
    return "\n".join(lines).rstrip() + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    from assess.law.case import case_json_schema
    from assess.reports.contract import result_json_schema

    schema = result_json_schema() if args.result else case_json_schema()
    _emit(jsontext.dumps(schema) + "\n", args.output)
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    from assess.app.api import parameters_in_force

    on = args.on or date.today()
    doc, skipped = parameters_in_force(args.jurisdiction, on, "--jurisdiction")
    applied, rows = doc["applied_jurisdiction"], doc["parameters"]
    if args.json:
        sys.stdout.write(jsontext.dumps(doc) + "\n")
        return 0
    head = {"zh": f"{args.jurisdiction} 于 {on} 有效的参数", "en": f"Parameters in force in {args.jurisdiction} on {on}"}
    from factors.i18n import t

    out = [t(head, args.lang)]
    for s in skipped:
        out.append(t({"zh": f"（{s['rule_set']['zh']}自{s['valid_from']}起施行，{on}尚未施行：列出 {applied} 的参数）",
                      "en": f"({s['rule_set']['en']} in force only from {s['valid_from']}, not yet on {on}: {applied} parameters listed)"},
                     args.lang))
    for r in rows:
        if "value" not in r:
            out.append(f"- {r['name']}: {r['status']} — {r['detail']}")
            continue
        op = f" [{r['op']}]" if r.get("op") else ""
        inh = f" (inherited from {r['jurisdiction']})" if r.get("inherited_by") else ""
        out.append(f"- {r['name']} = {r['value']} {r['unit']}{op}  {t(r['label'], args.lang)}")
        out.append(f"    {r['kind']}{inh}; {r['valid_from']}–{r['valid_to']}; [{r['rule']}] {t(r['citation'], args.lang)}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from assess.formats import excel

    if not excel.is_workbook(args.output):
        raise InputError("--output", "a workbook file name ending in .xlsx", args.output)
    if args.claim:
        from assess.formats.claims import claim_template

        excel.save_atomic(claim_template(args.lang if args.lang != "both" else "both"), args.output)
        return 0
    from assess.app.api import assess_case
    from assess.formats.jsonio import read_case_json

    data = None
    if args.source:
        if not Path(args.source).is_file() or excel.is_workbook(args.source):
            raise InputError("--from", "an existing case file (.json)", args.source)
        data = read_case_json(args.source)   # numbers exact, nesting bounded, as `assess run` reads it
        assess_case(Path(args.source))       # validated exactly as `assess run` validates it (exit 2, nothing written)
    elif not args.blank:
        data = read_case_json(example_path().parent / "template" / TEMPLATE_EXAMPLE)
    methods = _template_methods(args.methods, data if args.source else None)
    used = [m for m in excel.case_methods(data) if methods is not None and m not in methods]
    if used:
        raise InputError("--methods", "every method the case uses (its rows would be left out)", ", ".join(used))
    excel.save_atomic(excel.case_workbook(data, lang=args.lang, methods=methods), args.output,
                      [args.source] if args.source else [])
    return 0


def _template_methods(option: str | None, source: dict[str, Any] | None) -> list[str] | None:
    """The methods of ``--methods`` (codes or Chinese names), else those of the ``--from`` case; None: all."""
    from assess.formats import excel
    from assess.formats.sheetmap import METHOD_LABELS

    if option is None:
        return excel.case_methods(source) if source is not None else None
    if option.strip().lower() == "all":
        return None
    by_name = {**{c: c for c in METHOD_LABELS}, **{zh: c for c, zh in METHOD_LABELS.items()}}
    out = []
    for word in (w.strip() for w in option.replace("，", ",").split(",")):
        if not word:
            continue
        if word not in by_name:
            raise InputError("--methods", "method codes or names: " + ", ".join(f"{c} {zh}" for c, zh in METHOD_LABELS.items()),
                             word)
        out.append(by_name[word])
    return out


def cmd_check(args: argparse.Namespace) -> int:
    from assess.app.check import check, render_report
    from assess.formats import excel
    from assess.formats.claims import check_report_workbook

    inputs = [p for p in (args.case, args.claimed) if p]
    report = check(args.case, args.claimed, on=args.on)
    if args.output and excel.is_workbook(args.output):
        excel.save_atomic(check_report_workbook(report.to_dict(), args.lang), args.output, inputs)
    else:
        as_json = args.json or (args.output or "").lower().endswith(".json")
        text = jsontext.dumps(report.to_dict()) + "\n" if as_json else render_report(report, args.lang)
        _emit(text, args.output, inputs)
    return 0 if report.ok else 1


def cmd_serve(args: argparse.Namespace) -> int:
    from assess.app.service import serve  # the optional extra: fastapi and uvicorn are imported only here

    return serve(args)


def cmd_batch(args: argparse.Namespace) -> int:
    from assess.formats.docket_io import is_docket

    if is_docket(args.cases):       # a relational docket (issue 18): a directory, .jsonl or a `cases` workbook
        from assess.app.docket_batch import run_docket_batch

        return run_docket_batch(args)
    from assess.app.batchio import run_batch

    return run_batch(args)


def cmd_docket(args: argparse.Namespace) -> int:
    from assess.formats.docket import flatten
    from assess.formats.docket_io import iter_jsonl, write_docket
    from assess.formats.jsonio import read_case_json

    cases, where = [], []
    for name in args.cases:
        if Path(name).suffix.lower() == ".jsonl":
            for w, c in iter_jsonl(name):
                where.append(w)
                cases.append(c)
        else:
            cases.append(read_case_json(name))
            where.append(name)
    tables = flatten(cases, where=where)
    write_docket(tables, args.output, fmt=args.format, bom=args.bom, inputs=args.cases)
    rows = sum(len(t) for t in tables.values())
    zh = f"已写入 {args.output}：{len(cases)} 个案件，{len(tables)} 张表，{rows} 行"
    en = f"wrote {args.output}: {len(cases)} cases, {len(tables)} tables, {rows} rows"
    print(en if args.lang == "en" else zh if args.lang == "zh" else f"{zh} / {en}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "batch": cmd_batch,
    "docket": cmd_docket,
    "example": cmd_run,
    "run": cmd_run,
    "report": cmd_report,
    "schedule": cmd_schedule,
    "punitive-check": cmd_punitive_check,
    "route": cmd_run,
    "deadlines": cmd_run,
    "template": cmd_template,
    "check": cmd_check,
    "schema": cmd_schema,
    "params": cmd_params,
    "serve": cmd_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    lang = help_lang(words)           # --help and usage errors: --lang, else the locale (assess/app/clihelp.py)
    with argparse_language(lang):
        args = localize(build_parser(), lang).parse_args(words)
    if args.command == "serve":    # a long-running server: its warnings go to its log, not into a list for ever
        return _dispatch(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = _dispatch(args)
    if code in (EX_OK, EX_DIFFERS):
        for text in dict.fromkeys(" ".join(str(w.message).split()) for w in caught
                                  if not issubclass(w.category, ResourceWarning)):   # the collector's, not ours
            print(f"warning: {text}", file=sys.stderr)
    return code


def _dispatch(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        lang = error_lang(args)
        for problem in exc.problems or [exc]:
            print(f"{'错误：' if lang == 'zh' else 'error: '}{_one_line(problem.render(lang))}", file=sys.stderr)
        return EX_INPUT
    except AssessError as exc:     # rules data, calendar, a missing extra: in the language of the errors
        from assess.app.clihelp import error_text

        lang = error_lang(args)
        print(f"{'错误：' if lang == 'zh' else 'error: '}{_one_line(error_text(exc, lang))}", file=sys.stderr)
        return EX_INPUT
    except RunAborted as exc:
        lang = error_lang(args)
        print(f"{'错误：' if lang == 'zh' else 'error: '}{_one_line(exc.render(lang))}", file=sys.stderr)
        return EX_OSERR
    except KeyboardInterrupt:
        return EX_INTERRUPTED
    except Exception as exc:  # a bug: never a silent wrong number
        if args.debug:
            raise
        if error_lang(args) == "zh":
            print(f"内部错误：{type(exc).__name__}: {_one_line(str(exc))}（这是程序缺陷，不是计算结果；请加 --debug 重新运行并"
                  "报告）", file=sys.stderr)
        else:
            print(f"internal error: {type(exc).__name__}: {_one_line(str(exc))} (this is a bug; rerun with --debug "
                  "and report it)", file=sys.stderr)
        return EX_SOFTWARE


def _one_line(text: str, limit: int = 2000) -> str:
    """One line per problem: any line separator in a message (or in an echoed value) shown as a space
    (:func:`factors.errors.one_line`: \n, \r, U+2028/2029, U+0085 …), length bounded."""
    from factors.errors import one_line

    return one_line(text, limit)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
