"""Every figure a result states 结果中的各项数字, the names a judgment prints them under, and how they compose.

A *figure* is a number, amount or date a court or claim may state: the five categories and the total,
each line item and every step of its trace (``D1.lines[2]``, ``D1.subtotal``, a VTC ``E × C`` step), the
punitive base, multiple, award and each obligor's share, alternative restoration and credits, the gross
and net owed, each instalment's amount and due date, the delayed-performance interest.  Each carries
its trace step (formula, inputs, rule), so a differing claim line can be explained.

:func:`resolve` names the figure a printed label means (``（三）调查鉴定评估费用`` → ``ledger.assessment_costs``,
``惩罚性赔偿`` → ``punitive.award``, ``张某应承担`` → ``punitive.apportion.O1``, ``第3期`` → ``instalments[3]``),
with or without a result (a clerk may hold only the claim).  :data:`RELATIONS` says how figures compose
(sums, base × multiple, gross − offsets − credits): the claim's own arithmetic is checked with them, and a
differing figure that only repeats a difference of its parts is reported as following from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from assess.law.categories import CATEGORIES, KEYS
from factors.money import AmountTooLarge, to_fen
from factors.trace import TraceNode

CN_NUM = "零一二三四五六七八九十"


@dataclass
class Figure:
    """One figure of a result: its value, names, and the trace step that computes it."""

    id: str
    kind: str                              # money | number | date
    value: Decimal | date | None
    label: dict[str, str]
    node: TraceNode | None = None
    names: set[str] = field(default_factory=set)   # normalised printed names that mean this figure
    unit: str | None = "元"                         # a number's unit (hm², 年 …); None for a pure number
    is_input: bool = False                          # a coefficient a step uses (γ, k, a rate), not a step's result


@dataclass(frozen=True)
class Relation:
    """``result`` = ``op``(``operands``); an operand ending in ``*`` stands for every figure with that prefix,
    and (in a ``signed_sum``) an operand starting with ``-`` is subtracted."""

    result: str
    op: str                 # sum | product_fen | signed_sum
    operands: tuple[str, ...]
    label: dict[str, str]


#: The 尾数调整 of a total rounded to a stated step (assess/law/rounding.py), and the words that print it.
ADJUSTMENT = "ledger.rounding_adjustment"
ADJUSTMENT_WORDS = ("尾数调整", "尾差调整", "取整调整", "尾差", "roundingadjustment")

#: How the figures of a judgment compose (besides the ``sum`` steps of the trace itself).
RELATIONS: tuple[Relation, ...] = (
    Relation("ledger.total", "sum", (*(f"ledger.{k}" for k in KEYS), ADJUSTMENT),   # 尾数调整, when printed
             {"zh": "五类费用之和等于合计", "en": "the five categories add up to the total"}),
    Relation("punitive.base", "sum", ("ledger.interim_service_loss", "ledger.permanent_loss"),
             {"zh": "惩罚性赔偿基数 = 第（一）类 + 第（二）类（江苏实施意见（九））",
              "en": "punitive base = category (1) + category (2) (JS-(九))"}),
    Relation("punitive.award", "product_fen", ("punitive.base", "punitive.multiple"),
             {"zh": "惩罚性赔偿 = 基数 × 倍数（四舍五入至分）", "en": "punitive award = base × multiple (to the fen)"}),
    Relation("punitive.award", "sum", ("punitive.apportion.*",),
             {"zh": "各义务人分担之和等于惩罚性赔偿", "en": "the obligors' shares add up to the punitive award"}),
    Relation("liability.gross", "sum", ("ledger.total", "punitive.award"),
             {"zh": "应赔总额 = 赔偿清单合计 + 惩罚性赔偿", "en": "gross = ledger total + punitive award"}),
    Relation("liability.net", "signed_sum", ("liability.gross", "-alternative.*", "-credit.*"),
             {"zh": "应付净额 = 应赔总额 − 替代修复抵扣 − 其他抵扣", "en": "net = gross − alternative restoration − credits"}),
    Relation("liability.net", "signed_sum", ("ledger.total", "punitive.award", "-alternative.*", "-credit.*"),
             {"zh": "应付净额 = 赔偿清单合计 + 惩罚性赔偿 − 替代修复抵扣 − 其他抵扣",
              "en": "net = ledger total + punitive award − alternative restoration − credits"}),
    Relation("instalments.schedule", "sum", ("instalments[*]",),
             {"zh": "各期金额之和等于分期总额", "en": "the instalments add up to the amount deferred"}),
)


# ----------------------------------------------------------------------------- names

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十0-9]+[)）]|[0-9]+[、.．)）]"
                        r"|第[一二三四五六七八九十0-9]+项[：:、]?)")
_PUNCT = re.compile(r"[\s\u3000:：、，,。.;；“”\"'‘’()（）\[\]【】《》<>/／·\-—_]")


def numbering(label: str) -> int | None:
    """The （三）/ (3) / 三、 number a printed label starts with, if any."""
    m = re.match(r"^\s*(?:[(（]([一二三四五六七八九十0-9]+)[)）]|([一二三四五六七八九十]+)[、.．]|([0-9]+)[、.．)）])", label)
    if not m:
        return None
    t = next(g for g in m.groups() if g)
    return int(t) if t.isdigit() else _cn_int(t)


def _cn_int(t: str) -> int:
    if t == "十":
        return 10
    if t.startswith("十"):
        return 10 + CN_NUM.index(t[1])
    if len(t) == 2 and t.endswith("十"):
        return CN_NUM.index(t[0]) * 10
    if len(t) == 3 and t[1] == "十":
        return CN_NUM.index(t[0]) * 10 + CN_NUM.index(t[2])
    return CN_NUM.index(t)


def normalise(label: str) -> str:
    """A printed label reduced for matching: no numbering, punctuation, spaces or 人民币/金额/费用 endings."""
    s = _NUMBERING.sub("", label.strip())
    s = _PUNCT.sub("", s).lower()
    for suffix in ("人民币", "金额", "共计", "为"):
        s = s.removesuffix(suffix)
    return s


#: Words that name a category in a judgment (checked in this order; the numbering wins when present).
CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("assessment_costs", ("调查", "鉴定", "评估费", "检测费", "监测费")),
    ("permanent_loss", ("永久",)),
    ("interim_service_loss", ("服务功能", "期间损失", "期间服务", "功能丧失", "期间损害")),
    ("prevention_costs", ("防止", "扩大", "应急", "预防")),
    ("remediation_costs", ("清除", "修复", "治理", "清理")),
)
TOTAL_WORDS = ("合计", "总计", "总额", "共计", "赔偿总额", "损害赔偿金额", "total")
NET_WORDS = ("净额", "尚应支付", "实际应支付", "应付", "netowed", "net")
GROSS_WORDS = ("应赔总额", "含惩罚性", "gross")
INTEREST_WORDS = ("迟延履行", "利息", "interest")


def _is_total(s: str) -> bool:
    return any(s == w or s.endswith(w) for w in TOTAL_WORDS) and "惩罚" not in s


def resolve(label: str | None, ident: str | None, section: str | None, figures: dict[str, Figure] | None,
            obligors: dict[str, str] | None = None) -> str | None:
    """The id of the figure a claim line names (None: no figure of that name).

    ``figures`` (the result's, when there is a case) adds every step id and printed label of the trace;
    ``obligors`` maps names (and ids) to obligor ids for ``张某应承担``.
    """
    if ident:
        key = ident.strip()
        if key == "total" or key in TOTAL_WORDS:
            return "ledger.total"
        if key in KEYS:
            return f"ledger.{key}"
        if figures is None or key in figures:
            return key
        alias = {"punitive.share." + k: f"punitive.apportion.{k}" for k in (obligors or {}).values()}
        return alias.get(key, key)
    if not label:
        return None
    plain = label.strip()
    if plain.lower() in ("total", *TOTAL_WORDS):
        return "ledger.total"
    if figures is not None and plain in figures:
        return plain
    if re.fullmatch(r"(?:CC-1235)?[(（]?[1-5][)）]?|" + "|".join(KEYS), plain):
        n = re.search(r"[1-5]", plain)
        return f"ledger.{plain}" if plain in KEYS else f"ledger.{CATEGORIES[int(n.group()) - 1].key}"
    s = normalise(label)
    sec = normalise(section or "")
    n = numbering(label)
    # a step or line printed with its own label in the result
    if figures is not None:
        for f in figures.values():
            if s and s in f.names:
                return f.id
    m = re.fullmatch(r"第([一二三四五六七八九十0-9]+)期(?:应付|金额|款项)?", s)
    if m:
        k = int(m.group(1)) if m.group(1).isdigit() else _cn_int(m.group(1))
        return f"instalments[{k}]"
    punitive_ctx = "惩罚" in s or "惩罚" in sec
    if "惩罚" in s or punitive_ctx:
        if "基数" in s:
            return "punitive.base"
        if "倍数" in s or s in ("倍", "倍率"):
            return "punitive.multiple"
        who = re.fullmatch(r"(.+?)(?:应|须|需)?(?:承担|负担|分担|支付|赔偿)(?:惩罚性赔偿金?|部分|金额)?", s)
        if who and obligors is not None:
            name = who.group(1)
            for key, oid in obligors.items():
                if normalise(key) == name:
                    return f"punitive.apportion.{oid}"
        if who and obligors is None and not s.startswith("惩罚"):
            return f"punitive.apportion.{who.group(1)}"
        if s.startswith("惩罚性赔偿") or s in ("金额", "赔偿金"):
            return "punitive.award"
    if figures is None and "不足" not in s:   # claim only: an offset or a credit, named as printed
        if any(w in s for w in ("替代修复", "异地补植", "劳务代偿", "认购碳汇")):
            return f"alternative.{s}"
        if any(w in s for w in ("抵扣", "抵减", "扣减")):
            return f"credit.{s}"
    if figures is not None:   # an offset or credit named by its kind, when the case has exactly one
        for words, prefix in ((("替代修复", "异地补植", "劳务代偿", "认购碳汇"), "alternative."), (("抵扣", "抵减", "扣减"), "credit.")):
            if any(w in s for w in words) and "不足" not in s:
                ids = [k for k, f in figures.items() if k.startswith(prefix) and k != "alternative.shortfall"
                       and not f.is_input]   # the step itself, not one of its inputs
                if len(ids) == 1:
                    return ids[0]
    if any(w in s for w in ADJUSTMENT_WORDS):
        return ADJUSTMENT
    if any(w in s for w in GROSS_WORDS):
        return "liability.gross"
    if any(w in s for w in NET_WORDS):
        return "liability.net"
    if any(w in s for w in INTEREST_WORDS):
        return "instalments.interest"
    if "替代修复" in s and ("不足" in s or "仍须" in s):
        return "alternative.shortfall"
    if _is_total(s):
        return "ledger.total"
    in_ledger = not punitive_ctx
    if in_ledger and n is not None and 1 <= n <= 5 and (numbering(section or "") is None or "赔偿" in sec or "费用" in sec
                                                        or not sec):
        # （三）… in the compensation section: the category by its number, if the words do not contradict it
        words = dict(CATEGORY_WORDS)[CATEGORIES[n - 1].key]
        if any(w in s for w in words) or not any(w in s for _, ws in CATEGORY_WORDS for w in ws):
            return f"ledger.{CATEGORIES[n - 1].key}"
    if in_ledger:
        for key, words in CATEGORY_WORDS:
            if any(w in s for w in words) and ("费" in s or "损失" in s or "损害" in s):
                return f"ledger.{key}"
    return None


# ----------------------------------------------------------------------------- a result's figures

def _number(node: TraceNode) -> Decimal | None:
    v = (node.result or {}).get("value")
    if v is None or isinstance(v, bool):
        return None
    try:
        d = Decimal(str(v))
    except ArithmeticError:   # a decision or note ("eligible", "—"): not a figure
        return None
    return d if d.is_finite() else None


def collect(result: Any) -> dict[str, Figure]:
    """Every figure of ``result`` (an :class:`assess.reports.result.Result`) by id."""
    out: dict[str, Figure] = {}

    def add(fig: Figure) -> None:
        for text in (fig.label.get("zh", ""), fig.label.get("en", "")):
            fig.names |= {normalise(part) for part in [text, *text.split(" / ")]} - {""}
        out.setdefault(fig.id, fig)

    trees = [result.trace]
    if result.liability is not None:
        trees.append(result.liability.trace)
    if result.schedule is not None:
        trees.append(result.schedule.trace)
    for tree in trees:
        for node in tree.walk():
            if node.kind in ("decision", "note", "input") and node.id.startswith(("punitive.facts", "funds", "liability.funds")):
                continue
            value = _number(node)
            if value is None:
                continue
            unit = (node.result or {}).get("unit")
            kind = "money" if unit == "元" else "number"
            add(Figure(node.id, kind, value, node.label, node, unit=None if unit in (None, "1") else unit))
    for tree in trees:   # a coefficient a judgment states (γ, k, a loss fraction): the plain-number inputs of a step
        for node in tree.walk():
            for key, spec in (node.inputs or {}).items():
                if spec.get("unit") not in (None, "1") or f"{node.id}.{key}" in out:
                    continue
                try:
                    value = Decimal(str(spec.get("value")))
                except ArithmeticError:
                    continue
                if not value.is_finite():
                    continue
                label = {"zh": f"{node.label.get('zh', node.id)}：{key}", "en": f"{node.label.get('en', node.id)}: {key}"}
                fig = Figure(f"{node.id}.{key}", "number", value, label, node, unit=None, is_input=True)
                fig.names |= {normalise(key)} | ({"调整系数", "γ"} if key == "γ" else {"倍数", "推荐倍数"} if key == "k" else set())
                add(fig)
    for c in CATEGORIES:   # the short names a judgment prints
        f = out.get(f"ledger.{c.key}")
        if f is not None:
            f.names |= {normalise(c.zh), normalise(c.en)}
    li = result.liability
    if li is not None and li.punitive is not None:
        node = out.get("punitive.award").node if "punitive.award" in out else None
        add(Figure("punitive.multiple", "number", li.punitive.multiple, {"zh": "惩罚性赔偿倍数", "en": "punitive multiple"}, node,
                   unit=None))
    sc = result.schedule
    if sc is not None:
        node = out["instalments.schedule"].node if "instalments.schedule" in out else None
        for inst in sc.instalments:
            add(Figure(f"instalments[{inst.number}]", "money", inst.amount,
                       {"zh": f"第{inst.number}期", "en": f"instalment {inst.number}"}, node))
            add(Figure(f"instalments[{inst.number}].due", "date", inst.due,
                       {"zh": f"第{inst.number}期到期日", "en": f"instalment {inst.number} due"}, node, unit=None))
        interest = sc.interest
        if "instalments.interest" not in out:
            add(Figure("instalments.interest", "money", interest, {"zh": "迟延履行利息", "en": "delayed-performance interest"}))
    return out


def obligor_names(result: Any) -> dict[str, str]:
    """Printed names (and ids) of the case's obligors → obligor id."""
    out: dict[str, str] = {}
    for o in getattr(result.case, "obligors", []) or []:
        out[o.id] = o.id
        name = getattr(o, "name", None)
        if name:
            out[name] = o.id
            for part in re.split(r"\s*/\s*", name):
                out.setdefault(part.strip(), o.id)
                bare = re.sub(r"\s*[(（][^)）]*[)）]\s*", "", part).strip()   # 张某 (operator) → 张某
                if bare:
                    out.setdefault(bare, o.id)
    return out


# ----------------------------------------------------------------------------- relations

def expand(operands: tuple[str, ...], available: set[str]) -> list[str]:
    """Operand ids with ``prefix*`` expanded over ``available`` (sorted, so the order is stable); a leading
    ``-`` (subtracted in a ``signed_sum``) is kept."""
    out: list[str] = []
    for o in operands:
        sign, name = ("-", o[1:]) if o.startswith("-") else ("", o)
        if name.endswith("*"):
            out += sorted(sign + k for k in available if k.startswith(name[:-1]) and not k.endswith(".due")
                          and k != "alternative.shortfall")
        else:
            out.append(sign + name)
    return out


def evaluate(rel: Relation, values: dict[str, Decimal], operands: list[str]) -> Decimal | None:
    """The relation's result from operand values (None when one is missing)."""
    names = [o.removeprefix("-") for o in operands]
    if any(o not in values for o in names) or not operands:
        return None
    xs = [values[o] for o in names]
    if rel.op == "sum":
        return sum(xs, Decimal(0))
    if rel.op == "signed_sum":
        return sum((-x if o.startswith("-") else x for o, x in zip(operands, xs, strict=True)), Decimal(0))
    if rel.op == "product_fen":
        p = Decimal(1)
        for x in xs:
            p *= x
        try:
            return to_fen(p)
        except AmountTooLarge:   # beyond 10^20 元: no figure can match it
            return None
    raise ValueError(rel.op)


def trace_relations(figures: dict[str, Figure]) -> list[Relation]:
    """The ``sum`` steps of the trace as relations (a line = Σ its steps; a category = Σ its lines)."""
    out = []
    for f in figures.values():
        node = f.node
        if node is None or node.id != f.id or node.kind != "sum" or not node.children:
            continue
        # the note of a rounding at each line (``ledger.rounding``, whose value is the total) is not a part
        parts = [c for c in node.children if c.id != "ledger.rounding"]
        kids = tuple(c.id for c in parts if c.id in figures and figures[c.id].kind == "money")
        if kids and len(kids) == len(parts):
            out.append(Relation(f.id, "sum", kids, {"zh": f"{f.label.get('zh', f.id)}为各项之和",
                                                    "en": f"{f.label.get('en', f.id)} is the sum of its parts"}))
    return out


__all__ = ["Figure", "Relation", "RELATIONS", "ADJUSTMENT", "ADJUSTMENT_WORDS", "collect", "resolve", "normalise", "numbering",
           "obligor_names", "expand", "evaluate", "trace_relations"]
