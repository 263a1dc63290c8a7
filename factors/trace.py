"""Calculation trace (计算过程): a tree of nodes under each amount, renderable as zh/en text and JSON.

Node kinds (design note §5): ``input`` (a case field), ``parameter`` (a cited, dated value),
``formula``, ``decision`` (a threshold comparison), ``rounding``, ``sum``.  Every node may carry
a rule ID and its citation so a reviewer can follow it line by line and redo each step on a desk
calculator (money is rounded per line item, and the rounding is shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

KINDS = ("input", "parameter", "formula", "decision", "rounding", "sum", "note")

_KIND_LABEL = {
    "input": {"zh": "输入", "en": "input"},
    "parameter": {"zh": "参数", "en": "parameter"},
    "formula": {"zh": "公式", "en": "formula"},
    "decision": {"zh": "判断", "en": "decision"},
    "rounding": {"zh": "取整", "en": "rounding"},
    "sum": {"zh": "合计", "en": "sum"},
    "note": {"zh": "说明", "en": "note"},
}


@dataclass(slots=True)
class TraceNode:
    """One step.  ``inputs`` maps a symbol to ``{"value": str, "unit": str, "from": str}``."""

    id: str
    kind: str
    label: dict[str, str]
    formula: str | None = None
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    rule: str | None = None
    citation: dict[str, str] | None = None
    note: dict[str, str] | None = None
    children: list["TraceNode"] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown trace node kind {self.kind!r}")

    def add(self, *nodes: "TraceNode") -> "TraceNode":
        self.children.extend(nodes)
        return self

    def to_dict(self) -> dict[str, Any]:
        out = self.__json__()
        out["children"] = [c.to_dict() for c in self.children]
        return out

    def __json__(self) -> dict[str, Any]:
        """:meth:`to_dict` one level deep: the children stay nodes (:mod:`factors.jsonout` streams them)."""
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "label": self.label}
        for key in ("formula", "result", "rule", "citation", "note"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.inputs:
            out["inputs"] = self.inputs
        out["children"] = self.children
        return out

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "TraceNode":
        return cls(
            id=raw["id"], kind=raw["kind"], label=raw["label"], formula=raw.get("formula"),
            inputs=raw.get("inputs", {}), result=raw.get("result"), rule=raw.get("rule"),
            citation=raw.get("citation"), note=raw.get("note"),
            children=[cls.from_dict(c) for c in raw.get("children", [])],
        )

    def walk(self) -> Iterable["TraceNode"]:
        yield self
        for c in self.children:
            yield from c.walk()

    def find(self, node_id: str) -> "TraceNode | None":
        return next((n for n in self.walk() if n.id == node_id), None)

    def render(self, lang: str = "zh", max_depth: int | None = None) -> str:
        """Indented text, one line per node and one per input, in ``lang`` (zh or en)."""
        return "\n".join(self.render_lines(lang, max_depth))

    def render_lines(self, lang: str = "zh", max_depth: int | None = None, depth: int = 0) -> Iterator[str]:
        """The lines of :meth:`render`, one at a time (a large trace is written without being held)."""
        pad = "  " * depth
        head = f"{pad}- [{_KIND_LABEL[self.kind][lang]}] {self.label.get(lang) or self.label.get('en', '')}"
        if self.result is not None:
            head += f" = {_fmt_value(self.result)}"
        yield head
        if self.formula:
            yield f"{pad}    {'公式' if lang == 'zh' else 'formula'}: {self.formula}"
        for sym, spec in self.inputs.items():
            src = f"  ← {spec['from']}" if spec.get("from") else ""
            yield f"{pad}    {sym} = {_fmt_value(spec)}{src}"
        if self.note:
            yield f"{pad}    {self.note.get(lang, '')}"
        if self.result and self.result.get("rounding"):
            r = self.result["rounding"]
            yield f"{pad}    {'取整' if lang == 'zh' else 'rounding'}: {r.get(lang, '') if isinstance(r, dict) else r}"
        if self.citation:
            tag = "依据" if lang == "zh" else "source"
            yield f"{pad}    {tag}: [{self.rule}] {self.citation.get(lang, '')}"
        if max_depth is not None and depth >= max_depth:
            return
        for c in self.children:
            yield from c.render_lines(lang, max_depth, depth + 1)


def _fmt_value(spec: dict[str, Any]) -> str:
    unit = spec.get("unit") or ""
    if unit == "1":  # dimensionless: a ratio, multiple or count
        unit = ""
    return f"{spec.get('value')} {unit}".strip()


def value_spec(value: Any, unit: str | None = None, source: str | None = None, **extra: Any) -> dict[str, Any]:
    """An input/result entry: value as a string (exact), unit, and where it came from."""
    out: dict[str, Any] = {"value": str(value)}
    if unit:
        out["unit"] = unit
    if source:
        out["from"] = source
    out.update(extra)
    return out


def parameter_node(node_id: str, param: Any) -> TraceNode:
    """A trace leaf for a :class:`factors.store.Param` (value, kind, validity, rule, quote)."""
    kind_note = {
        "law": {"zh": "法定值", "en": "law"},
        "standard": {"zh": "标准值", "en": "standard"},
        "policy_default": {"zh": "政策默认值（无法律规定，可覆盖）", "en": "policy default (no law fixes it; overridable)"},
        "unverified": {"zh": "未经原文核实（二手资料）", "en": "unverified (second-hand source)"},
    }[param.kind]
    validity = f"{param.jurisdiction} {param.valid_from.isoformat()}–{param.valid_to.isoformat()}"
    extra = param.quote or param.reason or param.secondary or ""
    note = {
        "zh": f"{kind_note['zh']}；有效期 {validity}" + (f"；{extra}" if extra else ""),
        "en": f"{kind_note['en']}; in force {validity}" + (f"; {extra}" if extra else ""),
    }
    return TraceNode(
        id=node_id, kind="parameter", label=param.label,
        result=value_spec(param.value, param.unit), rule=param.rule, citation=param.citation, note=note,
    )
