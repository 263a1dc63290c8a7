"""Command line: ``assess example | run | schema | params``.

Exit codes: 0 success; 2 bad input, data or rules (one line per problem on stderr, nothing
written); 1 an internal error (a bug: rerun with ``--debug`` for the traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any, Callable, Sequence

from factors.errors import AssessError, InputError

EXAMPLE = "js_water_pollution.json"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("zh", "en", "both"), default="both",
                        help="language of labels: zh 中文, en English, both 双语 (default)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="assess",
        description="生态环境损害赔偿计算器 — ecological-environment damage compensation under Chinese law",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def result_cmd(name: str, help_text: str, with_case: bool) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_text, description=help_text)
        if with_case:
            sp.add_argument("case", help="case file (.json)")
        sp.add_argument("--json", action="store_true", help="print the machine-readable result (JSON)")
        _lang(sp)
        sp.add_argument("-o", "--output", help="write the result to FILE (.json: JSON; otherwise text)")
        sp.add_argument("--on", type=_date, help="apply the rules in force on this date (YYYY-MM-DD)")
        sp.add_argument("--no-trace", action="store_true", help="omit the calculation trace from the text summary")
        return sp

    result_cmd("example", "assess the shipped example case (a Jiangsu water-pollution case) 示例案件", False)
    result_cmd("run", "assess a case file 计算案件", True)

    sp = sub.add_parser("schema", help="print the JSON Schema of a case file 案件文件格式")
    sp.add_argument("-o", "--output", help="write the schema to FILE")

    sp = sub.add_parser("params", help="list the parameters in force, with their sources 参数及出处")
    sp.add_argument("--jurisdiction", "-j", default="CN", help="CN, CN-JS or CN-SH (default CN)")
    sp.add_argument("--on", type=_date, default=None, help="date (default: today)")
    sp.add_argument("--json", action="store_true", help="print JSON")
    _lang(sp)
    return p


def write_atomic(path: str | Path, text: str | bytes, inputs: Sequence[str | Path] = ()) -> None:
    """Write ``text`` (or bytes) to ``path`` via a temp file beside it and ``os.replace``; never over an input."""
    target = Path(path)
    for src in inputs:
        if Path(src).exists() and target.exists() and target.resolve() == Path(src).resolve():
            raise InputError("--output", "a file other than the input (the input file is never modified)", str(path))
    if not target.parent.exists():
        raise InputError("--output", "a path in an existing folder", str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with (os.fdopen(fd, "wb") if isinstance(text, bytes) else os.fdopen(fd, "w", encoding="utf-8")) as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def example_path() -> Path:
    from factors.paths import data_dir

    return data_dir() / "examples" / EXAMPLE


def _emit(text: str, output: str | None, inputs: Sequence[str | Path] = ()) -> None:
    if output:
        write_atomic(output, text, inputs)
    else:
        sys.stdout.write(text)


def cmd_run(args: argparse.Namespace) -> int:
    from assess.api import assess_case

    case_path = example_path() if args.command == "example" else Path(args.case)
    result = assess_case(case_path, on=args.on)
    as_json = args.json or (args.output and args.output.lower().endswith(".json"))
    text = result.to_json() + "\n" if as_json else result.render(lang=args.lang, trace=not args.no_trace)
    _emit(text, args.output, [case_path])
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from assess.case import case_json_schema

    _emit(json.dumps(case_json_schema(), ensure_ascii=False, indent=2) + "\n", args.output)
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    from factors.store import default_store

    store = default_store()
    store.check_jurisdiction(args.jurisdiction, "--jurisdiction")
    on = args.on or date.today()
    rows: list[dict[str, Any]] = []
    for name, value in store.in_force(args.jurisdiction, on):
        if isinstance(value, AssessError):
            rows.append({"name": name, "status": "not in force" if type(value).__name__ == "RuleNotInForce" else "not applicable",
                         "detail": str(value)})
        else:
            rows.append(value.to_dict())
    if args.json:
        sys.stdout.write(json.dumps({"jurisdiction": args.jurisdiction, "on": on.isoformat(), "parameters": rows},
                                    ensure_ascii=False, indent=2) + "\n")
        return 0
    head = {"zh": f"{args.jurisdiction} 于 {on} 有效的参数", "en": f"Parameters in force in {args.jurisdiction} on {on}"}
    from assess.render import t

    out = [t(head, args.lang)]
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


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "example": cmd_run,
    "run": cmd_run,
    "schema": cmd_schema,
    "params": cmd_params,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        for problem in exc.problems or [exc]:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except AssessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: never a silent wrong number
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (this is a bug; rerun with --debug and report it)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
