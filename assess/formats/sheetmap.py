"""The workbook layout of a case, derived from the pydantic case model (表格布局).

Nothing here lists today's fields: :func:`layout` walks :class:`assess.law.case.Case` and its nested
models when it runs, so a field added to the model gets a column (or a sheet) with no change here.

Mapping rules (README "Spreadsheets"):

* Scalar fields of the case, including those of nested objects (``dates.incident``), are rows of the
  key/value sheet 案件信息 Case (columns field, 中文说明, English, value, unit, notes).
* A list of objects is a sheet, one row per element; its columns are the flattened scalar paths of
  the element (a quantity ``{"value", "unit"}`` is two columns ``X.value`` and ``X.unit``, a nested
  object gives dotted columns, a union of objects the union of their columns).
* A list nested in an element is a sheet of its own, with parent-key columns (``damage_item_id``)
  naming the element it belongs to.
* A list whose elements are a discriminated union (damage items on ``method``) is split into one
  sheet per variant; the discriminator is implied by the sheet and a 序号 No. column keeps the order
  of the elements across the variant sheets.
* A list of scalars is one cell (``a; b`` or a JSON array); anything else (dicts, Any) is a cell of
  JSON text.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from assess.law.quantities import Qty

#: Short bilingual headers by field name (or full dotted path); other fields fall back to their
#: description's Chinese run and a humanised field name.
LABELS: dict[str, tuple[str, str]] = {
    "id": ("编号", "Id"),
    "label": ("名称", "Label"),
    "name": ("名称", "Name"),
    "kind": ("类型", "Kind"),
    "size": ("企业规模", "Size"),
    "category": ("赔偿类别", "Category"),
    "amount": ("金额", "Amount"),
    "date": ("日期", "Date"),
    "evidence": ("证据", "Evidence"),
    "element": ("环境要素", "Element"),
    "restorable": ("可修复", "Restorable"),
    "basis": ("依据", "Basis"),
    "method": ("评估方法", "Method"),
    "quantity": ("工程量", "Quantity"),
    "unit_price": ("单价", "Unit price"),
    "rate": ("费率", "Rate"),
    "share": ("承担份额", "Share"),
    "schema_version": ("格式版本", "Schema version"),
    "case_id": ("案件编号", "Case id"),
    "title": ("案件名称", "Title"),
    "jurisdiction": ("法域", "Jurisdiction"),
    "description": ("案情简介", "Description"),
    "dates.incident": ("损害发生（发现）日", "Incident date"),
    "dates.clue_received": ("线索接收日", "Clue received"),
    "dates.assessment_base": ("评估基准日", "Assessment base date"),
}

#: Sheet names (zh, en) by list field name; variant sheets use METHOD_LABELS.
SHEET_LABELS: dict[str, tuple[str, str]] = {
    "obligors": ("赔偿义务人", "obligors"),
    "damage_items": ("损害项", "damage_items"),
    "cost_items": ("费用项", "cost_items"),
    "lines": ("工程量清单", "lines"),
    "surcharges": ("取费", "surcharges"),
    "experts": ("专家", "experts"),
    "payments": ("付款", "payments"),
    "events": ("程序事件", "events"),
    "instalments": ("分期", "instalments"),
    "meetings": ("磋商会议", "meetings"),
    "steps": ("阶梯路径", "steps"),
    "levels": ("逐年水平", "levels"),
    "fines": ("罚款", "fines"),
    "guarantees": ("担保", "guarantees"),
}
METHOD_LABELS: dict[str, str] = {   # keyed by the model's method codes (tests/test_vocabulary.py checks them)
    "restoration_cost": "修复费用",
    "virtual_treatment_cost": "虚拟治理成本",
    "habitat_equivalency": "生境等价",
    "value_loss": "价值损失",
    "expert_panel": "专家评估",
    "given_amount": "采信金额",
    "ratio_of": "按比例",
}
#: Rule IDs of fields whose description does not name one.
RULES: dict[str, str] = {"category": "CC-1235", "jurisdiction": "JS/SH rule sets"}

CASE_SHEET = ("案件信息", "Case")
KV_KEYS = ("field", "zh", "en", "value", "unit", "notes")
KV_HEADERS = {"field": ("字段", "Field"), "zh": ("中文说明", "Chinese"), "en": ("English", "English"),
              "value": ("值", "Value"), "unit": ("单位", "Unit"), "notes": ("规则/说明", "Rule / notes")}
SEQ = "#"
MAX_TITLE = 31
_CJK = re.compile(r"[\u3400-\u9fff][\u3000-\u303f\u3400-\u9fff\uff00-\uffef（）、·A-Za-z0-9]*")
_RULE = re.compile(r"\b(?:CC|SPC|JS|SH|GB|HJ)-[A-Za-z0-9.\-]*[A-Za-z0-9](?:\([0-9A-Za-z一二三四五六七八九十]+\))*")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Column:
    """One column of a list sheet (or one row of the key/value sheet)."""

    key: str                       # dotted path inside the element ("quantity.value"), or "#", "damage_item_id"
    kind: str                      # str int float decimal bool date datetime choice unit list json any seq parent
    zh: str
    en: str
    note: str = ""
    rule: str | None = None
    required: bool = False
    choices: tuple[Any, ...] = ()
    dimension: str | None = None   # a quantity's expected unit ("元", "t" …) when known
    parent: "SheetSpec | None" = None   # for parent-key columns: the ancestor sheet


@dataclass
class SheetSpec:
    """A sheet: the list at ``field`` (dotted, relative to the parent element) of ``parent``."""

    key: str                       # machine key, e.g. "damage_items[restoration_cost].inputs.lines"
    field: str
    zh: str
    en: str
    parent: "SheetSpec | None" = None
    variant: tuple[str, Any] | None = None      # (discriminator, tag) of a split union
    required: bool = False         # the list is required (then the sheet is, when the parent has rows)
    columns: list[Column] = field(default_factory=list)
    children: list["SheetSpec"] = field(default_factory=list)
    id_field: str | None = None    # "id" when the element model has one
    kv: bool = False
    aliases: list[str] = field(default_factory=list)   # earlier titles, still read (SHEET_TITLES)

    @property
    def own_key(self) -> str:
        """The column that identifies a row for the sheets below it ("id" or "#")."""
        return self.id_field or SEQ

    def ancestors(self) -> list["SheetSpec"]:
        out, s = [], self.parent
        while s is not None and not s.kv:
            out.insert(0, s)
            s = s.parent
        return out

    def titles(self) -> list[str]:
        """Every title a reader accepts: bilingual when it fits in 31 characters, zh, en, earlier titles."""
        both = f"{self.zh} {self.en}"
        out = [both] if len(both) <= MAX_TITLE else []
        return out + [self.zh[:MAX_TITLE], self.en[:MAX_TITLE], *self.aliases]

    def title(self, lang: str) -> str:
        """The sheet's title in ``lang``: Chinese alone (zh), English alone (en), both when they fit (both)."""
        if lang in ("zh", "en"):
            return self.zh if lang == "zh" else self.en
        both = f"{self.zh} {self.en}"
        return both if len(both) <= MAX_TITLE else self.zh

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


# ----------------------------------------------------------------------------- type analysis

def _unwrap(tp: Any, meta: list[Any]) -> tuple[Any, bool]:
    """Strip Annotated and Optional; collect metadata.  Returns (type, optional)."""
    optional = False
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            meta.extend(tp.__metadata__)
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) < len(get_args(tp)):
                optional = True
            if len(args) != 1:
                return Union[tuple(args)], optional  # type: ignore[return-value]
            tp = args[0]
        else:
            return tp, optional


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _is_qty(tp: Any) -> bool:
    return _is_model(tp) and (issubclass(tp, Qty) or set(tp.model_fields) == {"value", "unit"})


def _members(tp: Any, meta: list[Any]) -> list[Any]:
    out = []
    for a in get_args(tp):
        sub: list[Any] = []
        a, _ = _unwrap(a, sub)
        meta.extend(sub)
        if get_origin(a) in (Union, types.UnionType):
            out.extend(_members(a, meta))
        else:
            out.append(a)
    return out


def classify(annotation: Any, metadata: list[Any]) -> tuple[str, Any, bool]:
    """(kind, detail, optional): kind is qty, object, union, list_obj, list, json or a scalar kind."""
    meta = list(metadata)
    tp, optional = _unwrap(annotation, meta)
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        members = _members(tp, meta)
        if all(_is_model(m) for m in members):
            disc = next((getattr(m, "discriminator", None) for m in meta if isinstance(m, FieldInfo)
                         and getattr(m, "discriminator", None)), None)
            return "union", (members, disc or _guess_discriminator(members)), optional
        if all(get_origin(m) is Literal for m in members):
            return "choice", tuple(v for m in members for v in get_args(m)), optional
        return "any", None, optional
    if origin is Literal:
        return "choice", get_args(tp), optional
    if origin in (list, tuple, set, frozenset) or (origin is not None and getattr(origin, "__name__", "") == "Sequence"):
        args = get_args(tp)
        if not args:
            return "json", None, optional
        sub: list[Any] = []
        elem, _ = _unwrap(args[0], sub)
        if _is_model(elem) and not _is_qty(elem):
            disc = next((getattr(m, "discriminator", None) for m in sub if isinstance(m, FieldInfo)
                         and getattr(m, "discriminator", None)), None)
            return "list_obj", ([elem], disc), optional
        if get_origin(elem) in (Union, types.UnionType):
            members = _members(elem, sub)
            if all(_is_model(m) for m in members):
                disc = next((getattr(m, "discriminator", None) for m in sub if isinstance(m, FieldInfo)
                             and getattr(m, "discriminator", None)), None)
                return "list_obj", (members, disc or _guess_discriminator(members)), optional
        ek = classify(elem, sub)[0]
        return ("list", ek, optional) if ek in _SCALARS else ("json", None, optional)
    if _is_qty(tp):
        return "qty", tp, optional
    if _is_model(tp):
        return "object", tp, optional
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "choice", tuple(m.value for m in tp), optional
    for py, kind in ((bool, "bool"), (int, "int"), (float, "float"), (Decimal, "decimal"),
                     (datetime, "datetime"), (date, "date"), (str, "str")):
        if isinstance(tp, type) and issubclass(tp, py):
            return kind, None, optional
    return "json", None, optional


_SCALARS = {"str", "int", "float", "decimal", "bool", "date", "datetime", "choice", "any"}


def _guess_discriminator(members: list[type[BaseModel]]) -> str | None:
    """The Literal field every member has with a distinct single value (pydantic's tagged union)."""
    common = set.intersection(*(set(m.model_fields) for m in members)) if members else set()
    for name in sorted(common):
        tags = []
        for m in members:
            ann = m.model_fields[name].annotation
            if get_origin(ann) is not Literal or len(get_args(ann)) != 1:
                break
            tags.append(get_args(ann)[0])
        else:
            if len(set(tags)) == len(members):
                return name
    return None


def variant_tag(model: type[BaseModel], disc: str) -> Any:
    return get_args(model.model_fields[disc].annotation)[0]


# ----------------------------------------------------------------------------- labels

def _humanise(name: str) -> str:
    return name.replace("_", " ").strip().capitalize() or name


def _cjk(text: str | None) -> str | None:
    m = _CJK.search(text or "")
    return m.group(0).rstrip("（(") if m else None


def field_labels(path: str, name: str, info: FieldInfo | None) -> tuple[str, str, str, str | None]:
    """(zh, en, note, rule) of a field: label table, else description, else the field name."""
    desc = (info.description if info else None) or ""
    zh, en = LABELS.get(path) or LABELS.get(name) or (_cjk(desc) or _humanise(name), _humanise(name))
    m = _RULE.search(desc)
    rule = m.group(0) if m else RULES.get(name)
    return zh, en, desc, rule


def _dimension(metadata: list[Any]) -> str | None:
    """The unit a typed quantity (Money, Mass …) must convert to, from assess.law.quantities' aliases."""
    from assess.law import quantities as q

    for alias, unit in ((q.Money, "元"), (q.Mass, "t"), (q.Volume, "m³"), (q.Area, "hm²"), (q.Duration, "年")):
        if any(m is a for m in metadata for a in alias.__metadata__):
            return unit
    return None


# ----------------------------------------------------------------------------- walking

class _Walker:
    def __init__(self) -> None:
        self.depth = 0

    def element(self, models: list[type[BaseModel]], prefix: str, sheet: SheetSpec, skip: str | None = None,
                required: bool = True) -> None:
        """Columns (and child sheets) of an element that is one of ``models`` (merged by key)."""
        self.depth += 1
        try:
            if self.depth > 8:  # a recursive model: the rest is one JSON cell
                self.add(sheet, Column(prefix.rstrip("."), "json", *field_labels(prefix, prefix, None)[:2]))
                return
            for model in models:
                for name, info in model.model_fields.items():
                    if prefix == "" and name == skip:
                        continue
                    self.field(model, name, info, prefix, sheet, required and len(models) == 1)
        finally:
            self.depth -= 1

    def field(self, model: type[BaseModel], name: str, info: FieldInfo, prefix: str, sheet: SheetSpec,
              parent_required: bool) -> None:
        path = prefix + name
        kind, detail, optional = classify(info.annotation, list(info.metadata))
        required = parent_required and info.is_required() and not optional
        zh, en, note, rule = field_labels(path, name, info)
        if kind == "qty":
            dim = _dimension(list(info.metadata))
            self.add(sheet, Column(path + ".value", "decimal", f"{zh} 数值", f"{en} value", note, rule, required,
                                   dimension=dim or ""))
            self.add(sheet, Column(path + ".unit", "unit", f"{zh} 单位", f"{en} unit", note, rule, required,
                                   dimension=dim or ""))
            if "distribution" in detail.model_fields:   # optional uncertainty of the value, as a JSON cell
                self.add(sheet, Column(path + ".distribution", "json", f"{zh} 分布", f"{en} distribution",
                                       'JSON, e.g. {"type": "triangular", "low": "30", "mode": "35.5", "high": "42"}',
                                       rule, False))
        elif kind == "object":
            self.element([detail], path + ".", sheet, required=required)
        elif kind == "union":
            members, _disc = detail
            self.element(members, path + ".", sheet, required=False)
        elif kind == "list_obj":
            members, disc = detail
            self.list_sheets(sheet, path, name, members, disc, info, required and not _has_default(info))
        else:
            choices = tuple(detail) if kind == "choice" else ()
            if kind == "list":
                note = (note + " " if note else "") + "多个值用分号分隔 several values separated by ';'"
            self.add(sheet, Column(path, kind, zh, en, note, rule, required, choices=choices))

    def add(self, sheet: SheetSpec, col: Column) -> None:
        old = sheet.column(col.key)
        if old is None:
            sheet.columns.append(col)
        elif old.kind == "choice" and col.kind == "choice":
            old.choices = tuple(dict.fromkeys(old.choices + col.choices))
            old.required = old.required and col.required

    def list_sheets(self, parent: SheetSpec, path: str, name: str, members: list[type[BaseModel]],
                    disc: str | None, info: FieldInfo, required: bool) -> None:
        zh, en = SHEET_LABELS.get(name) or (_cjk(info.description) or name, name)
        base_key = (parent.key + "." if not parent.kv else "") + path
        if parent.kv:
            pzh, pen = "", ""
        else:
            pzh, pen = parent.zh.split("-")[-1] + "-", parent.en + "."
        split = disc is not None
        groups: list[tuple[list[type[BaseModel]], tuple[str, Any] | None]]
        if split:
            groups = [([m], (disc, variant_tag(m, disc))) for m in members]  # type: ignore[arg-type]
        else:
            groups = [(members, None)]
        for models, variant in groups:
            if variant:
                tag = variant[1]
                mzh = METHOD_LABELS.get(str(tag)) or _cjk(models[0].__doc__) or str(tag)
                spec = SheetSpec(f"{base_key}[{tag}]", path, f"{pzh}{zh}-{mzh}"[-MAX_TITLE:] if not parent.kv else f"{zh}-{mzh}",
                                 f"{pen}{tag}", parent, variant, required=False)
            else:
                spec = SheetSpec(base_key, path, f"{pzh}{zh}", f"{pen}{en}", parent, required=required)
            spec.zh = _BAD_TITLE.sub("_", spec.zh)
            spec.en = _BAD_TITLE.sub("_", spec.en)
            for anc in spec.ancestors():
                spec.columns.append(parent_column(anc))
            if variant:
                spec.columns.append(Column(SEQ, "seq", "序号", "No.", "元素在列表中的顺序 order of the element in the list"))
            spec.id_field = "id" if all("id" in m.model_fields for m in models) else None
            self.element(models, "", spec, skip=variant[0] if variant else None)
            parent.children.append(spec)
        # a sheet without an id that has sheets below it needs a 序号 column to be referred to
        for spec in parent.children:
            if spec.children and spec.id_field is None and spec.column(SEQ) is None:
                n = len(spec.ancestors())
                spec.columns.insert(n, Column(SEQ, "seq", "序号", "No.", "行号，供下级表引用 row number the sheets below refer to"))


def parent_column(anc: SheetSpec) -> Column:
    singular = re.sub(r"ies$", "y", anc.field.split(".")[-1])
    singular = re.sub(r"s$", "", singular)
    suffix = "_id" if anc.id_field else "_no"
    return Column(f"{singular}{suffix}", "parent", f"所属{anc.zh}编号", f"{anc.en} {anc.own_key}",
                  f"表 {anc.zh} 中该行的{anc.own_key} · the {anc.own_key} of the row in sheet {anc.en} this row belongs to",
                  required=True, parent=anc)


def _has_default(info: FieldInfo) -> bool:
    return not info.is_required()


@lru_cache(maxsize=4)
def layout(model: type[BaseModel] | None = None) -> SheetSpec:
    """The workbook layout of ``model`` (default :class:`assess.law.case.Case`): the root is the
    key/value case sheet, its ``children`` (recursively) the list sheets."""
    if model is None:
        from assess.law.case import Case

        model = Case
    root = SheetSpec("case", "", *CASE_SHEET, kv=True, required=True)
    w = _Walker()
    w.element([model], "", root)
    # parent-key columns after the child sheets' own id: fix the ancestor columns whose id_field
    # was unknown when they were created (the parent's columns are walked before its children)
    for spec in root.walk():
        for col in spec.columns:
            if col.kind == "parent" and col.parent is not None:
                fixed = parent_column(col.parent)
                col.key, col.zh, col.en, col.note = fixed.key, fixed.zh, fixed.en, fixed.note
    for spec in root.walk():  # optional distributions (Monte Carlo inputs) go last: an advanced input
        spec.columns.sort(key=lambda c: c.key.endswith(".distribution"))
    _unique_titles(root)
    return root


#: Sheets whose list name alone would give two sheets one title (zh, en), by key; their earlier
#: titles ("生境等价-阶梯路径~2") are still read.
SHEET_TITLES: dict[str, tuple[str, str]] = {
    "damage_items[habitat_equivalency].inputs.injured_path.steps": ("生境等价-受损阶梯路径", "hea.injured.steps"),
    "damage_items[habitat_equivalency].inputs.injured_path.levels": ("生境等价-受损逐年水平", "hea.injured.levels"),
    "damage_items[habitat_equivalency].inputs.project.path.steps": ("生境等价-恢复阶梯路径", "hea.project.steps"),
    "damage_items[habitat_equivalency].inputs.project.path.levels": ("生境等价-恢复逐年水平", "hea.project.levels"),
    "punitive.fines": ("惩罚性赔偿-已处罚款", "fines"),
    "fines": ("已处罚款及罚金", "case.fines"),
}


def _unique_titles(root: SheetSpec) -> None:
    old = _uniquify(root, {})        # the titles a release without SHEET_TITLES wrote: still read
    new = _uniquify(root, SHEET_TITLES)
    current = {t for zh, en in new.values() for t in (zh, en, f"{zh} {en}")}
    for spec in root.walk():
        spec.zh, spec.en = new[spec.key]
        if spec.key in SHEET_TITLES:
            ozh, oen = old[spec.key]
            spec.aliases = [t for t in (f"{ozh} {oen}", ozh, oen) if len(t) <= MAX_TITLE and t not in current]


def _uniquify(root: SheetSpec, fixed: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """(zh, en) of every sheet by key: ``fixed`` names, else the sheet's own, cut to 31 characters, a
    repeated name numbered ``~2``, ``~3`` …"""
    seen: set[str] = set()
    out = {}
    for spec in root.walk():
        names = []
        for base in (fixed.get(spec.key) or (spec.zh, spec.en)):
            base = base[:MAX_TITLE]
            name, n = base, 2
            while name in seen:
                name = f"{base[:MAX_TITLE - 3]}~{n}"
                n += 1
            seen.add(name)
            names.append(name)
        out[spec.key] = (names[0], names[1])
    return out


def sheets(root: SheetSpec | None = None) -> list[SheetSpec]:
    return list((root or layout()).walk())
