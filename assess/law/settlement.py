"""Penalties recorded and payments made without an instalment plan 罚款记录与一次性、部分履行及提存.

* **Fines and criminal penalties on the case** (``Case.fines``), with or without a punitive claim: shown
  beside the compensation, **never deducted** — 不得以罚代赔，也不得以赔代罚 (SH-8; JS-(三)).
* **Payments without an instalment plan** (``Case.payments`` when there is no ``instalment_plan``): a lump
  sum, a partial payment, or a deposit into escrow 提存 with the escrow authority.  A deposit in escrow
  discharges the debt to its extent: 《民法典》第五百五十七条 lists 提存 among the ways a debt ends, and
  第五百七十一条 provides that once the deposit is made 视为债务人在其提存范围内已经交付标的物.  The statement
  gives what is owed (the net owed when the case has a liability section, else the ledger total), what was
  paid or deposited, and what is still owed.  No doubled interest is computed here: a payment deadline set
  by a judgment is an instalment plan with one date (``instalment_plan.dates``), which has the interest rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from factors.errors import InputError
from factors.money import fmt, money_sum, to_fen
from factors.trace import TraceNode, value_spec

PAYMENT_KINDS = {
    "payment": {"zh": "支付", "en": "payment"},
    "escrow": {"zh": "提存", "en": "deposit in escrow"},
}


@dataclass
class Statement:
    """What was owed, paid or deposited, and what is still owed (no instalment plan)."""

    owed: Decimal
    owed_source: str                 # liability.net | ledger.total
    payments: list[dict[str, Any]]
    paid: Decimal
    escrow: Decimal
    still_owed: Decimal
    fines: list[dict[str, Any]]
    trace: TraceNode
    warnings: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"owed": fmt(self.owed), "owed_source": self.owed_source, "payments": self.payments,
                "paid": fmt(self.paid), "deposited_in_escrow": fmt(self.escrow), "still_owed": fmt(self.still_owed),
                "fines_not_deducted": self.fines}


def needs_statement(case: Any) -> bool:
    return bool(case.fines) or (bool(case.payments) and case.instalment_plan is None)


def fine_nodes(fines: list[Any], path: str) -> tuple[list[dict[str, Any]], TraceNode | None]:
    """The fines as recorded (JSON) and one note node citing SH-8 / JS-(三): shown, never deducted."""
    if not fines:
        return [], None
    rows = [{"kind": f.kind, "amount": fmt(to_fen(f.amount.in_unit("元"))), "date": f.date.isoformat(),
             "authority": f.authority, "reference": f.reference} for f in fines]
    total = money_sum(to_fen(f.amount.in_unit("元")) for f in fines)
    node = TraceNode(
        id="fines", kind="note", label={"zh": "已处罚款、罚金（不扣减）", "en": "Fines and penalties imposed (not deducted)"},
        result=value_spec(fmt(total), "元"), rule="SH-8",
        inputs={f"fines[{i}]": f.amount.spec(f"{path}[{i}].amount") for i, f in enumerate(fines)},
        note={"zh": "不得以罚代赔，也不得以赔代罚：行政罚款、刑事罚金不减少生态环境损害赔偿（上海细则第八条；江苏实施意见（三））",
              "en": "a fine never replaces compensation nor the reverse: fines do not reduce the compensation (SH-8; JS-(三))"},
    )
    return rows, node


def build_statement(case: Any, ledger_total: Decimal, net: Decimal | None) -> Statement:
    """The statement of a case with fines recorded and/or payments made without an instalment plan."""
    owed, source = (net, "liability.net") if net is not None else (ledger_total, "ledger.total")
    fines, fines_node = fine_nodes(list(case.fines), "fines")
    rows, children = [], []
    paid = escrow = Decimal("0.00")
    payments = [] if case.instalment_plan is not None else list(case.payments)
    for k, pay in sorted(enumerate(payments), key=lambda x: (x[1].date, x[0])):
        amount = to_fen(pay.amount.in_unit("元"))
        kind = pay.kind or "payment"
        if kind == "escrow":
            escrow += amount
        else:
            paid += amount
        rows.append({"date": pay.date.isoformat(), "amount": fmt(amount), "kind": kind, "reference": pay.reference})
        children.append(TraceNode(
            id=f"payments[{k}]", kind="input",
            label={"zh": f"{PAYMENT_KINDS[kind]['zh']}（{pay.date}）", "en": f"{PAYMENT_KINDS[kind]['en']} ({pay.date})"},
            inputs={"amount": pay.amount.spec(f"payments[{k}].amount")}, result=value_spec(fmt(amount), "元"),
            rule="CC-571" if kind == "escrow" else None,
            note=({"zh": "提存成立的，视为债务人在其提存范围内已经交付标的物（民法典第五百七十一条）",
                   "en": "once deposited, the debtor is deemed to have delivered to the extent of the deposit (CC Art. 571)"}
                  if kind == "escrow" else None)))
    settled = paid + escrow
    if settled > owed:
        raise InputError("payments", f"payments and deposits of at most the amount owed ({fmt(owed)} 元)",
                         f"{fmt(settled)} 元")
    still = owed - settled
    trace = TraceNode(
        id="statement.still_owed", kind="formula", label={"zh": "尚欠金额", "en": "Still owed"},
        formula=f"owed − paid − deposited in escrow = {fmt(owed)} − {fmt(paid)} − {fmt(escrow)}",
        inputs={"owed": value_spec(fmt(owed), "元", source)}, result=value_spec(fmt(still), "元"),
        rule="CC-557" if escrow else None,
        children=[*children, *([fines_node] if fines_node else [])],
    )
    return Statement(owed, source, rows, paid, escrow, still, fines, trace)


__all__ = ["Statement", "build_statement", "needs_statement", "fine_nodes", "PAYMENT_KINDS"]
