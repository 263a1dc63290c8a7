"""Public API: :func:`assess_case` (a case → :class:`Result`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from assess.formats.calamine_book import is_calamine_book
from assess.formats.excel import is_workbook, read_case_workbook, relocate
from assess.formats.jsonio import read_case_json
from assess.law.case import Case, CostItem, check_consistency, parse_case
from assess.law.costlines import CostLine, consumable, cost_node
from assess.law.instalments import build_schedule
from assess.law.lawdates import resolve_law
from assess.law.ledger import Ledger
from assess.law.rounding import apply_rounding
from assess.law.liability import build_liability, needs_liability
from assess.law.deadlines import compute_deadlines
from assess.reports.result import Result
from assess.law.routing import route_case
from assess.law.scope import check_scope
from assess.law.steps import assess_steps, warnings as step_warnings
from assess.law.settlement import build_statement, needs_statement
from assess.law.valuation.base import EvalContext, LineItem
from assess.law.valuation.ratio import RatioItem, evaluate_ratio
from assess.law.uncertainty import UncertaintyOptions, run_uncertainty
from factors.calendar import WorkdayCalendar, load_calendar, using_calendar
from factors import vocabulary
from factors.errors import AssessError, InputError
from factors.money import LINE_AMOUNT_EXPECTED, MAX_LINE_AMOUNT, AmountTooLarge, to_fen
from factors.store import ParameterStore, default_store
from factors.trace import TraceNode


def assess_case(case: Case | dict[str, Any] | str | Path, on: date | None = None,
                store: ParameterStore | None = None, *, as_of: date | None = None, today: date | None = None,
                cost_ratio_threshold: Decimal | str | None = None,
                uncertainty: UncertaintyOptions | None = None,
                calendar: WorkdayCalendar | str | Path | None = None) -> Result:
    """Assess one case: the Art. 1235 ledger with its trace, routing, deadlines, liability and schedule.

    ``case`` may be a :class:`Case`, a dict in the case-file format, or a path to a case file.
    ``on`` defaults to the case's rules date (``dates.assessment_base``, else ``clue_received``,
    else ``incident``): the rules in force on it are applied.  ``today`` (default: the system date)
    is the date deadlines are judged on.  ``cost_ratio_threshold`` overrides the JS-(七) policy
    default ``routing.cost_ratio_reminder``.  ``as_of`` is the date of the payment statement of an
    instalment plan (default: ``instalment_plan.as_of``, else the last payment, else the agreement date).
    With ``uncertainty`` a seeded Monte Carlo band (P5/P50/P95 per category and total) is added as
    ``Result.uncertainty``; the ledger keeps the deterministic point values.  ``calendar`` is a
    working-day calendar (or the path of a TOML file in the format of
    ``data/calendar/cn_workdays.toml``) used instead of the shipped one for deadlines and due dates.
    """
    if calendar is not None:
        cal = calendar if isinstance(calendar, WorkdayCalendar) else load_calendar(calendar)
        with using_calendar(cal):
            return assess_case(case, on, store, as_of=as_of, today=today, cost_ratio_threshold=cost_ratio_threshold,
                               uncertainty=uncertainty)
    if isinstance(case, (str, Path)):
        if is_workbook(case) or is_calamine_book(case):  # errors relocated to sheet and cell
            return assess_workbook(case, on=on, store=store, as_of=as_of, today=today,
                                   cost_ratio_threshold=cost_ratio_threshold, uncertainty=uncertainty)
        case = load_case(case)
    elif isinstance(case, dict):
        case = parse_case(case)
    else:
        check_consistency(case)
    threshold = parse_threshold(cost_ratio_threshold)
    store = store or default_store()
    law = resolve_law(case, store, on)          # the governing date of each family of rules
    sub, pun, proc = law.get("substantive"), law.get("punitive"), law.get("procedural")
    on = proc.date
    ctx = EvalContext(jurisdiction=sub.jurisdiction, on=sub.date, store=store, incident=case.dates.incident)
    # procedural rules: the case as seen by the rule set in force on the step's date (national rules
    # before the province's own came into force)
    proc_case = case if proc.jurisdiction == case.jurisdiction else case.model_copy(update={"jurisdiction": proc.jurisdiction})
    check_scope(proc_case, on)   # SH-4: a case outside the rules is refused before anything is computed
    check_double_counting(case)
    items: list[LineItem] = []
    ratios = [(i, item) for i, item in enumerate(case.damage_items) if isinstance(item, RatioItem)]
    ratio_ids = frozenset(item.id for _, item in ratios)

    def add(i: int, item: Any, evaluate: Any) -> None:
        try:
            lines = evaluate()
        except AmountTooLarge as exc:
            raise too_large(f"damage_items[{i}]", exc) from None
        if item.cross_check:
            for line in lines:
                mark_cross_check(line)
        items.extend(lines)

    for i, item in enumerate(case.damage_items):
        if not isinstance(item, RatioItem):
            add(i, item, lambda item=item, i=i: item.evaluate(ctx, f"damage_items[{i}]"))
    # a rounding at each line rewrites the lines and their nodes: plain lines; else compact ones (costlines)
    compact = case.rounding is None or case.rounding.is_default or case.rounding.at != "line"
    for i, cost in enumerate(case.cost_items):
        items.append(cost_line(cost, f"cost_items[{i}]", (case.cost_items, i, store) if compact else None))
    for i, item in ratios:   # a ratio of an item evaluated above (a judicial choice, stated with its basis)
        add(i, item, lambda item=item, i=i: evaluate_ratio(item, items, f"damage_items[{i}]", ratio_ids))
    check_line_amounts(items)
    ledger = Ledger.from_items(items)
    ledger.rounded = apply_rounding(ledger.items(), case.rounding)   # a stated rounding of the award, with its basis
    trace = ledger.trace()
    cite(trace, store)
    cons = law.get("consultation")   # consultation on its own start date (the procedural date when none is given)
    cons_case = case if cons.jurisdiction == case.jurisdiction else case.model_copy(update={"jurisdiction": cons.jurisdiction})
    own = cons is not proc
    routing = route_case(proc_case, ledger, on, store, threshold,
                         consultation=(cons.jurisdiction, cons.date, cons.field) if own else None)
    deadlines = compute_deadlines(case, on, today or date.today(), store,   # each step on its own date, unless stated
                                  per_step=proc.field not in ("--on", "law_dates.procedural"), consultation_on=cons.date)
    cite(routing.trace(), store)
    cite(deadlines.trace(), store)
    law_trace = law.trace(store)
    cite(law_trace, store)
    result = Result(case=case, on=on, ledger=ledger, trace=trace,
                    warnings=law.warnings + [w for line in items for w in line.warnings],
                    routing=routing, deadlines=deadlines, law=law, law_trace=law_trace)
    # steps and duties: procedural rules, on the procedural date; SH-18 on the consultation's own date
    result.duties = assess_steps(proc_case, ledger, on, consultation=(cons_case, cons.date) if own else None)
    for finding in result.duties:
        if finding.rule and finding.citation is None:
            finding.citation = store.citation(finding.rule)
    result.warnings += step_warnings(result.duties)
    if uncertainty is not None:
        result.uncertainty = run_uncertainty(case, ctx, uncertainty)
    if needs_liability(case):
        try:
            result.liability = build_liability(case, ledger, replace(ctx, on=pun.date, jurisdiction=pun.jurisdiction))
        except AmountTooLarge as exc:
            raise too_large("punitive / alternative_restoration / credits", exc) from None
        cite(result.liability.trace, store)
        result.warnings += result.liability.warnings
    plan = case.instalment_plan
    if plan is not None:
        try:
            amount = to_fen(plan.amount.in_unit("元")) if plan.amount else result.liability.net
            result.schedule = build_schedule(plan, list(case.payments), amount, list(case.obligors), proc.jurisdiction,
                                             on, store, as_of=as_of)
        except AmountTooLarge as exc:
            raise too_large("instalment_plan / payments", exc) from None
        cite(result.schedule.trace, store)
        result.warnings += result.schedule.warnings
    if needs_statement(case):
        try:
            result.statement = build_statement(case, ledger.total, result.liability.net if result.liability else None)
        except AmountTooLarge as exc:
            raise too_large("fines / payments", exc) from None
        cite(result.statement.trace, store)
    return result


def parse_threshold(value: Decimal | str | None) -> Decimal | None:
    """A per-run cost-ratio threshold: a positive finite decimal (InputError otherwise)."""
    if value is None:
        return None
    try:
        d = vocabulary.to_decimal(value)   # the input vocabulary's decimal (exact; no 1_000, no NaN)
    except vocabulary.Refused:
        d = None
    if d is None or d <= 0:
        raise InputError("--cost-ratio-threshold", "a positive decimal number such as 1.5", str(value))
    return d


def mark_cross_check(line: LineItem) -> None:
    """A cross-check line is evaluated and shown but not counted in totals."""
    line.counted = False
    line.trace.note = {
        "zh": ((line.trace.note or {}).get("zh", "") + "；" if line.trace.note else "") + "仅作核对（cross_check），不计入合计",
        "en": ((line.trace.note or {}).get("en", "") + "; " if line.trace.note else "") + "cross-check only, not counted in totals",
    }


def check_double_counting(case: Case) -> None:
    """Two counted damage items valuing the same damage (damage_ref) may not feed the same category."""
    seen: dict[tuple[str, str], tuple[int, Any]] = {}
    problems: list[InputError] = []
    for i, item in enumerate(case.damage_items):
        if item.cross_check:
            continue
        for category in item.categories():
            key = (item.ref, category)
            if key in seen:
                j, other = seen[key]
                problems.append(InputError(
                    f"damage_items[{i}].damage_ref",
                    f"a different damage from damage_items[{j}] ({other.id}), or cross_check: true on one of them: "
                    f"items {other.id} and {item.id} both value damage {item.ref!r} into {category} (double counting)",
                ))
            else:
                seen[key] = (i, item)
    if problems:
        raise InputError.collect(problems)


def too_large(path: str, exc: AmountTooLarge) -> InputError:
    """The InputError for an amount too large to hold to the fen (:data:`factors.money.MAX_AMOUNT`)."""
    return InputError(path, "an amount below 10^20 元 (a line this large cannot be held exactly to the fen)",
                      f"{exc.amount:.6E} 元")


def check_line_amounts(items: Sequence[LineItem]) -> None:
    """Refuse a ledger line above :data:`factors.money.MAX_LINE_AMOUNT` (10^15 元), as the batch does
    (the same message id, :data:`factors.money.LINE_AMOUNT_EXPECTED`): one bound for both paths."""
    problems = [InputError(line.source, LINE_AMOUNT_EXPECTED, f"{line.amount:.6E} 元", msgid=LINE_AMOUNT_EXPECTED)
                for line in items if abs(line.amount) > MAX_LINE_AMOUNT]
    if problems:
        raise InputError.collect(problems)


def cost_line(cost: CostItem, path: str, compact: tuple[Sequence[CostItem], int, ParameterStore] | None = None) -> LineItem:
    """A cost actually incurred: its amount in 元 rounded to the fen (an input leaf in the trace,
    :func:`assess.law.costlines.cost_node`).  With ``compact`` = (cost items, index, store) the line is a
    :class:`assess.law.costlines.CostLine` that makes its label, source and node when asked for."""
    exact = cost.amount.in_unit("元")
    try:
        amount = to_fen(exact)
    except AmountTooLarge as exc:
        raise too_large(f"{path}.amount", exc) from None
    if compact is not None:
        return CostLine(*compact[:2], amount, compact[2])
    return LineItem(id=cost.id, category=cost.category, label={"zh": cost.label, "en": cost.label},
                    amount=amount, source=path, trace=cost_node(cost, path, amount))


def cite(node: TraceNode, store: ParameterStore) -> None:
    """Fill in the zh/en citation of every node that names a rule ID."""
    for n in node.walk():
        if n.rule and n.citation is None:
            n.citation = store.citation(n.rule)


def load_case(path: str | Path) -> Case:
    """Read and validate a case file: JSON, or an ``.xlsx`` workbook (errors by sheet and cell)."""
    if is_workbook(path) or is_calamine_book(path):
        return read_case_workbook(path).case
    return parse_case(consumable(read_case_json(path)))   # the parsed JSON let go as it is validated

def assess_workbook(path: str | Path, **options: Any) -> Result:
    """Read and assess a case workbook (``options`` as for :func:`assess.app.api.assess_case`).

    Input errors found while computing are relocated to their sheet and cell; formula cells whose
    cached value was used are noted in the warnings and the trace.
    """
    rc = read_case_workbook(path)
    try:
        result = assess_case(rc.case, **options)
    except InputError as exc:
        raise relocate(exc, rc.cells) from None
    result.warnings.extend(rc.notes)
    if rc.formula_notes:
        result.trace.add(TraceNode(
            id="input.formula_cells", kind="note", label={"zh": "输入中的公式单元格", "en": "Formula cells in the input"},
            note={"zh": "；".join(f"{n['path']}：{n['zh']}" for n in rc.formula_notes),
                  "en": "; ".join(f"{n['path']}: {n['en']}" for n in rc.formula_notes)}))
    return result


def parameters_in_force(jurisdiction: str, on: date, field: str = "jurisdiction") -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The parameters in force for ``jurisdiction`` on ``on`` (``assess params --json``, ``GET /v1/params``).

    Before a province's own rules were in force, the national parameters that applied are listed
    (``applied_jurisdiction``); the second value names the provincial rule sets not yet in force.
    """
    store = default_store()
    store.check_jurisdiction(jurisdiction, field)
    applied, skipped = store.applied_for(jurisdiction, on)   # national rules before the province's own
    rows: list[dict[str, Any]] = []
    for name, value in store.in_force(applied, on):
        if isinstance(value, AssessError):
            rows.append({"name": name, "status": "not in force" if type(value).__name__ == "RuleNotInForce" else "not applicable",
                         "detail": str(value)})
        else:
            rows.append(value.to_dict())
    return {"jurisdiction": jurisdiction, "applied_jurisdiction": applied, "on": on.isoformat(), "parameters": rows}, skipped
