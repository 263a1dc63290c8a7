"""The cited parameter store (参数库): every number of law, standard or policy, dated and sourced.

Data: ``data/parameters/*.toml`` (one ``[[param]]`` table per parameter, one ``[[param.values]]``
per jurisdiction and period), ``data/rules.toml`` (the rule catalogue) and
``data/jurisdictions.toml``.  Schema of a value entry::

    jurisdiction = "CN-JS"            # CN, CN-JS, CN-SH
    valid_from = 2023-03-01           # inclusive
    valid_to = 2028-02-29             # inclusive; an open end is written 9999-12-31
    value = "500000"                  # number or decimal string; "not_applicable"; omitted = no verified value
    kind = "law"                      # law | standard | policy_default | unverified
    source = { rule = "JS-(八)" }       # rule ID from data/rules.toml (+ optional secondary = "...")
    quote = "..."                     # required for law
    reason = "..."                    # required for policy_default
    checked_on = 2026-11-23

Lookup (:func:`lookup`) is by name, jurisdiction and date; :meth:`ParameterStore.lookup_array` does
the same for arrays of jurisdictions and dates (a batch, or one case as an array of length one) and
says, row by row, which value is in force and which rows have none (and why, through the scalar lookup).  A province inherits the national
(``CN``) entry only when it has no entry of its own for that name; a date outside every entry's
period raises :class:`RuleNotInForce` with the known periods (never a silent fallback);
``not_applicable`` raises :class:`RuleNotApplicable`; an entry without a value raises
:class:`RuleNotInForce` saying that the value must be supplied.
"""

from __future__ import annotations

import functools

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from factors.errors import InputError, ParameterError, RuleNotApplicable, RuleNotInForce
from factors.paths import data_dir

KINDS = ("law", "standard", "policy_default", "unverified")
OPS = ("<=", "<", ">=", ">")
NOT_APPLICABLE = "not_applicable"
OPEN_END = date(9999, 12, 31)

_PARAM_KEYS = {"name", "label", "unit", "op", "values", "notes"}
_VALUE_KEYS = {"jurisdiction", "valid_from", "valid_to", "value", "kind", "source", "quote", "reason", "checked_on", "notes"}
_SOURCE_KEYS = {"rule", "secondary"}

#: How CC-1259 words each comparison (shown in decision nodes).
OP_WORDING = {
    "<=": {"zh": "以下（含本数）", "en": "at most (inclusive)"},
    "<": {"zh": "不满（不含本数）", "en": "below (exclusive)"},
    ">=": {"zh": "以上（含本数）", "en": "at least (inclusive)"},
    ">": {"zh": "超过（不含本数）", "en": "above (exclusive)"},
}


@dataclass(frozen=True)
class Rule:
    """One entry of the rule catalogue, with its citation in both languages."""

    id: str
    document: dict[str, str]
    article: dict[str, str]
    quote: str | None = None   # verbatim text of the provision, where recorded

    @property
    def citation(self) -> dict[str, str]:
        zh, en = self._citation_texts
        return {"zh": zh, "en": en}   # a fresh dict of shared strings: one copy of the text per rule, not per node

    @functools.cached_property
    def _citation_texts(self) -> tuple[str, str]:
        return tuple(f"{self.document[lang]}{'' if lang == 'zh' else ', '}{self.article[lang]}"  # type: ignore[return-value]
                     for lang in ("zh", "en"))


@dataclass(frozen=True)
class Param:
    """A parameter value in force: never a bare float (design note §2)."""

    name: str
    value: Decimal
    unit: str
    kind: str
    jurisdiction: str          # where the entry comes from (CN when inherited)
    asked_jurisdiction: str
    valid_from: date
    valid_to: date
    rule: str
    citation: dict[str, str]
    label: dict[str, str]
    op: str | None = None
    quote: str | None = None
    reason: str | None = None
    secondary: str | None = None
    checked_on: date | None = None

    @property
    def inherited(self) -> bool:
        return self.jurisdiction != self.asked_jurisdiction

    def to_dict(self) -> dict[str, Any]:
        """JSON form, as used in parameter trace nodes and ``assess params``."""
        out: dict[str, Any] = {
            "name": self.name,
            "value": str(self.value),
            "unit": self.unit,
            "kind": self.kind,
            "jurisdiction": self.jurisdiction,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "rule": self.rule,
            "citation": self.citation,
            "label": self.label,
        }
        for key in ("op", "quote", "reason", "secondary"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.inherited:
            out["inherited_by"] = self.asked_jurisdiction
        return out


#: Row status of :class:`ParamArray`: a value in force; no entry covers the date; the rule does not
#: apply in the jurisdiction (``not_applicable``); an entry covers the date but has no verified value.
IN_FORCE, NOT_IN_FORCE, NOT_APPLICABLE_HERE, NO_VALUE = 0, 1, 2, 3
_EPOCH = date(1970, 1, 1)


def day_numbers(on: Any) -> np.ndarray:
    """Dates as int64 day numbers since 1970-01-01 (from datetime64, ``date`` objects or day numbers)."""
    a = np.asarray(on)
    if a.dtype.kind == "M":
        return a.astype("datetime64[D]").astype(np.int64)
    if a.dtype.kind in "iu":
        return a.astype(np.int64)
    return np.array([(d - _EPOCH).days for d in a.reshape(-1)], np.int64).reshape(a.shape)


@dataclass(frozen=True)
class CodedArray:
    """Text values (jurisdiction codes) as small integer codes into ``names``: compared once per name."""

    codes: np.ndarray
    names: tuple[str, ...]

    @classmethod
    def of(cls, values: "CodedArray | Sequence[str] | np.ndarray") -> "CodedArray":
        if isinstance(values, CodedArray):
            return values
        names, codes = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
        return cls(codes.astype(np.int64).reshape(-1), tuple(str(n) for n in names))

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def equals(self, name: str) -> np.ndarray:
        """Rows whose value is ``name``."""
        if name not in self.names:
            return np.zeros(len(self), bool)
        return self.codes == self.names.index(name)

    def values(self) -> np.ndarray:
        return np.array(self.names, object)[self.codes] if self.names else np.full(len(self), None, object)


@dataclass(frozen=True, eq=False)
class ParamArray:
    """The value of one parameter in force on each row (arrays of jurisdictions and dates).

    ``slot[i]`` indexes ``params`` (the :class:`Param` in force on row ``i``) or is -1 where no value
    is in force; ``status[i]`` says why (:data:`IN_FORCE`, :data:`NOT_IN_FORCE`,
    :data:`NOT_APPLICABLE_HERE`, :data:`NO_VALUE`); :meth:`why` gives the error the scalar lookup raises.
    """

    name: str
    op: str | None
    unit: str
    slot: np.ndarray
    status: np.ndarray
    params: tuple[Param, ...]
    jurisdiction: CodedArray
    days: np.ndarray
    store: "ParameterStore"

    @property
    def found(self) -> np.ndarray:
        """Rows with a value in force."""
        return self.slot >= 0

    def _table(self, values: list[Any], fill: Any, dtype: Any) -> np.ndarray:
        return np.array(values + [fill], dtype)[np.where(self.slot >= 0, self.slot, len(values))]

    @property
    def value(self) -> np.ndarray:
        """The Decimal value of each row (object array; None where none is in force)."""
        return self._table([p.value for p in self.params], None, object)

    @property
    def valid_from(self) -> np.ndarray:
        return self._table([np.datetime64(p.valid_from, "D") for p in self.params], np.datetime64("NaT"), "datetime64[D]")

    @property
    def valid_to(self) -> np.ndarray:
        return self._table([np.datetime64(p.valid_to, "D") for p in self.params], np.datetime64("NaT"), "datetime64[D]")

    def fraction(self, scale: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Each row's value × ``scale`` as exact (numerator, denominator) int64 arrays (0/1 where none)."""
        parts = [(Fraction(p.value) * scale) for p in self.params]
        if any(abs(f.numerator) >= 2 ** 62 or f.denominator >= 2 ** 62 for f in parts):
            raise ParameterError(f"{self.name}: value too large for an exact array comparison")
        return (self._table([f.numerator for f in parts], 0, np.int64), self._table([f.denominator for f in parts], 1, np.int64))

    def param(self, i: int) -> Param | None:
        """The :class:`Param` in force on row ``i`` (None where none is)."""
        s = int(self.slot[i])
        return self.params[s] if s >= 0 else None

    def why(self, i: int) -> RuleNotInForce:
        """Why row ``i`` has no value: the error of the scalar :meth:`ParameterStore.lookup`."""
        code = self.jurisdiction.names[int(self.jurisdiction.codes[i])]
        try:
            self.store.lookup(self.name, code, _EPOCH + timedelta(days=int(self.days[i])))
        except RuleNotInForce as exc:   # includes RuleNotApplicable
            return exc
        raise ValueError(f"{self.name}: row {i} has a value in force")

    def param_or_why(self, i: int) -> Param | RuleNotInForce:
        """Row ``i``'s :class:`Param`, or the reason it has none (what the single-case path explains)."""
        p = self.param(i)
        return p if p is not None else self.why(i)

    def map_params(self, change: Callable[[Param], Param]) -> "ParamArray":
        """The same rows with ``change`` applied to every value in force (e.g. a per-run override)."""
        params = tuple(change(p) for p in self.params)
        return ParamArray(self.name, self.op, self.unit, self.slot, self.status, params, self.jurisdiction, self.days,
                          self.store)


@dataclass(frozen=True)
class _Entry:
    jurisdiction: str
    valid_from: date
    valid_to: date
    value: Decimal | str | None
    kind: str
    rule: str
    quote: str | None
    reason: str | None
    secondary: str | None
    checked_on: date | None
    notes: str | None = None   # for an entry without a value: what the user must do (shown when it raises)

    def covers(self, on: date) -> bool:
        return self.valid_from <= on <= self.valid_to

    def period(self) -> str:
        end = "open" if self.valid_to == OPEN_END else self.valid_to.isoformat()
        return f"{self.jurisdiction} {self.valid_from.isoformat()}–{end}"


@dataclass(frozen=True)
class _Definition:
    name: str
    label: dict[str, str]
    unit: str
    op: str | None
    entries: tuple[_Entry, ...]


@dataclass
class ParameterStore:
    """All parameters, rules and jurisdictions loaded from one data folder."""

    rules: dict[str, Rule]
    jurisdictions: dict[str, dict[str, Any]]
    params: dict[str, _Definition] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    _memos: dict[Any, dict[Any, Any]] = field(default_factory=dict, init=False, repr=False, compare=False)

    #: entries kept in one :meth:`memo` (a full memo is emptied, not grown)
    MEMO_ENTRIES = 1 << 16

    def memo(self, name: Any) -> dict[Any, Any]:
        """A cache of answers derived from this store (``name`` says which: e.g. the rule set in force per
        jurisdiction and day), kept across calls such as the chunks of a streamed batch.  A store is not changed
        after loading; at :data:`MEMO_ENTRIES` entries the cache starts again."""
        m = self._memos.setdefault(name, {})
        if len(m) >= self.MEMO_ENTRIES:
            m.clear()
        return m

    # -- loading -----------------------------------------------------------------------------
    @classmethod
    def load(cls, folder: Path | None = None) -> "ParameterStore":
        folder = Path(folder) if folder is not None else data_dir()
        rules = _load_rules(folder / "rules.toml")
        jurisdictions = _load_jurisdictions(folder / "jurisdictions.toml")
        store = cls(rules=rules, jurisdictions=jurisdictions,
                    documents=dict(_read_toml(folder / "rules.toml").get("documents", {})))
        files = sorted((folder / "parameters").glob("*.toml"))
        if not files:
            raise ParameterError(f"no parameter files in {folder / 'parameters'}")
        for path in files:
            store._load_file(path)
        return store

    def _load_file(self, path: Path) -> None:
        doc = _read_toml(path)
        unknown = set(doc) - {"param"}
        if unknown:
            raise ParameterError(f"{path.name}: unknown top-level keys {sorted(unknown)}")
        for i, raw in enumerate(doc.get("param", [])):
            where = f"{path.name} param[{i}]"
            definition = self._parse_definition(raw, where)
            if definition.name in self.params:
                raise ParameterError(f"{where}: parameter {definition.name!r} is defined twice")
            self.params[definition.name] = definition

    def _parse_definition(self, raw: dict[str, Any], where: str) -> _Definition:
        _check_keys(raw, _PARAM_KEYS, {"name", "label", "unit", "values"}, where)
        name = raw["name"]
        where = f"{where} ({name})"
        label = raw["label"]
        if not isinstance(label, dict) or set(label) != {"zh", "en"}:
            raise ParameterError(f"{where}: label must have exactly zh and en")
        unit = raw["unit"]
        if unit not in ("1", "month"):
            from factors.units import check_unit  # local: units may load pint

            try:
                check_unit(unit, f"{where}.unit")
            except InputError as exc:
                raise ParameterError(str(exc)) from exc
        op = raw.get("op")
        if op is not None and op not in OPS:
            raise ParameterError(f"{where}: op must be one of {OPS}, got {op!r}")
        entries = tuple(self._parse_entry(v, f"{where} values[{j}]") for j, v in enumerate(raw["values"]))
        _check_overlaps(entries, where)
        return _Definition(name=name, label=dict(label), unit=unit, op=op, entries=entries)

    def _parse_entry(self, raw: dict[str, Any], where: str) -> _Entry:
        _check_keys(raw, _VALUE_KEYS, {"jurisdiction", "valid_from", "valid_to", "kind", "source", "checked_on"}, where)
        jur = raw["jurisdiction"]
        if jur not in self.jurisdictions:
            raise ParameterError(f"{where}: unknown jurisdiction {jur!r}")
        vf, vt = raw["valid_from"], raw["valid_to"]
        if not isinstance(vf, date) or not isinstance(vt, date) or vf > vt:
            raise ParameterError(f"{where}: valid_from/valid_to must be dates with valid_from <= valid_to")
        kind = raw["kind"]
        if kind not in KINDS:
            raise ParameterError(f"{where}: kind must be one of {KINDS}, got {kind!r}")
        source = raw["source"]
        if not isinstance(source, dict):
            raise ParameterError(f"{where}: source must be a table with a rule ID")
        _check_keys(source, _SOURCE_KEYS, {"rule"}, f"{where}.source")
        if source["rule"] not in self.rules:
            raise ParameterError(f"{where}: unknown rule ID {source['rule']!r} (see data/rules.toml)")
        value = raw.get("value")
        if value is not None and value != NOT_APPLICABLE:
            if isinstance(value, bool):
                raise ParameterError(f"{where}: value must be a number, got a boolean")
            try:
                value = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
            except InvalidOperation as exc:
                raise ParameterError(f"{where}: value {value!r} is not a number") from exc
            if not value.is_finite():
                raise ParameterError(f"{where}: value must be finite")
        if kind == "law" and not raw.get("quote"):
            raise ParameterError(f"{where}: a law value needs the quote of the text it comes from")
        if kind == "policy_default" and not raw.get("reason"):
            raise ParameterError(f"{where}: a policy default needs a reason")
        if kind == "unverified" and value not in (None, NOT_APPLICABLE) and not source.get("secondary"):
            raise ParameterError(f"{where}: an unverified value needs source.secondary naming its second-hand source")
        if value is None and kind != "unverified":
            raise ParameterError(f"{where}: only an unverified entry may omit its value")
        return _Entry(
            jurisdiction=jur, valid_from=vf, valid_to=vt, value=value, kind=kind, rule=source["rule"],
            quote=raw.get("quote"), reason=raw.get("reason"), secondary=source.get("secondary"),
            checked_on=raw["checked_on"], notes=raw.get("notes"),
        )

    # -- lookup ------------------------------------------------------------------------------
    def check_jurisdiction(self, jurisdiction: str, path: str = "jurisdiction") -> None:
        if jurisdiction not in self.jurisdictions:
            raise InputError(path, f"one of {', '.join(sorted(self.jurisdictions))}", jurisdiction)

    def chain(self, jurisdiction: str) -> list[str]:
        """The jurisdiction and its ancestors, nearest first (CN-JS → [CN-JS, CN])."""
        self.check_jurisdiction(jurisdiction)
        out = []
        code = jurisdiction
        while code:
            out.append(code)
            code = self.jurisdictions[code].get("parent", "")
        return out

    def rule_set_for(self, jurisdiction: str, on: date) -> tuple[str, list[dict[str, Any]]]:
        """The jurisdiction whose rule set governs ``on``, and the rule sets not yet in force then.

        The case's own jurisdiction when its rule set covers ``on``; before that rule set came into
        force, the nearest ancestor whose rule set covers ``on`` (a Jiangsu case of 2021 is assessed
        under national rules), with one entry per skipped rule set saying so.  After a rule set has
        expired nothing is assumed about its successor, and before every rule set nothing is in
        force: both raise :class:`RuleNotInForce`.
        """
        skipped: list[dict[str, Any]] = []
        periods = []
        for code in self.chain(jurisdiction):
            j = self.jurisdictions[code]
            start, end = j["rule_set_valid_from"], j["rule_set_valid_to"]
            periods.append(f"{code} {start}–{end}")
            if start <= on <= end:
                return code, skipped
            if on > end:
                break
            skipped.append({"jurisdiction": code, "rule_set": j["rule_set"], "valid_from": start, "valid_to": end})
        j = self.jurisdictions[jurisdiction]
        raise RuleNotInForce(
            f"rule set {j['rule_set']['en']}", jurisdiction, on, periods,
            detail="no rule set of this jurisdiction (or of a parent, before its own came into force) is in force "
                   "on that date (dates.incident / law_dates / assessment_base / --on)",
        )

    def applied_for(self, jurisdiction: str, on: date) -> tuple[str, list[dict[str, Any]]]:
        """Like :meth:`rule_set_for`, but never raising: the jurisdiction itself when no rule set covers ``on``
        (its lookups then say what is not in force).  Used to list parameters (``assess params``, the service)."""
        try:
            return self.rule_set_for(jurisdiction, on)
        except RuleNotInForce:
            return jurisdiction, []

    def lookup(self, name: str, jurisdiction: str, on: date) -> Param:
        """The value of ``name`` in force for ``jurisdiction`` on ``on``."""
        if name not in self.params:
            raise ParameterError(f"unknown parameter {name!r}")
        definition = self.params[name]
        for code in self.chain(jurisdiction):
            own = [e for e in definition.entries if e.jurisdiction == code]
            if not own:
                continue  # inherit from the parent only when there is no entry at all
            hits = [e for e in own if e.covers(on)]
            if not hits:
                raise RuleNotInForce(name, jurisdiction, on, [e.period() for e in definition.entries])
            entry = hits[0]
            if entry.value == NOT_APPLICABLE:
                raise RuleNotApplicable(name, jurisdiction, on, self.rules[entry.rule].citation["en"])
            if entry.value is None:
                raise RuleNotInForce(
                    name, jurisdiction, on, [entry.period()],
                    detail=entry.notes or f"no verified value is recorded ({entry.kind}); supply it as an input",
                )
            return self._param(definition, entry, jurisdiction)
        raise RuleNotInForce(name, jurisdiction, on, [e.period() for e in definition.entries])

    def lookup_array(self, name: str, jurisdiction: CodedArray | Sequence[str] | np.ndarray, on: Any) -> ParamArray:
        """:meth:`lookup` on arrays: the value of ``name`` in force on each row's (jurisdiction, date).

        ``on``: datetime64 / ``date`` objects / int64 day numbers since 1970-01-01.  The same rules as
        the scalar lookup (inherit from the parent only without an own entry; no silent fallback), row
        by row; rows without a value get ``slot`` -1 and their status.
        """
        if name not in self.params:
            raise ParameterError(f"unknown parameter {name!r}")
        definition = self.params[name]
        jur = CodedArray.of(jurisdiction)
        days = day_numbers(on).reshape(-1)
        if days.shape[0] != len(jur):
            raise ValueError(f"{name}: {len(jur)} jurisdictions but {days.shape[0]} dates")
        slot = np.full(len(jur), -1, np.int64)
        status = np.full(len(jur), NOT_IN_FORCE, np.int8)
        params: list[Param] = []
        for j, asked in enumerate(jur.names):
            rows = np.flatnonzero(jur.codes == j)
            if rows.size == 0:
                continue
            for code in self.chain(asked):
                own = sorted((e for e in definition.entries if e.jurisdiction == code), key=lambda e: e.valid_from)
                if not own:
                    continue
                starts = np.array([(e.valid_from - _EPOCH).days for e in own], np.int64)
                ends = np.array([(e.valid_to - _EPOCH).days for e in own], np.int64)
                d = days[rows]
                k = np.searchsorted(starts, d, side="right") - 1
                covered = (k >= 0) & (d <= ends[np.maximum(k, 0)])
                for m, e in enumerate(own):
                    hit = rows[covered & (k == m)]
                    if hit.size == 0:
                        continue
                    if e.value == NOT_APPLICABLE:
                        status[hit] = NOT_APPLICABLE_HERE
                    elif e.value is None:
                        status[hit] = NO_VALUE
                    else:
                        slot[hit] = len(params)
                        status[hit] = IN_FORCE
                        params.append(self._param(definition, e, asked))
                break
        return ParamArray(name=name, op=definition.op, unit=definition.unit, slot=slot, status=status,
                          params=tuple(params), jurisdiction=jur, days=days, store=self)

    def _param(self, d: _Definition, e: _Entry, asked: str) -> Param:
        rule = self.rules[e.rule]
        return Param(
            name=d.name, value=e.value, unit=d.unit, kind=e.kind, jurisdiction=e.jurisdiction, asked_jurisdiction=asked,
            valid_from=e.valid_from, valid_to=e.valid_to, rule=e.rule, citation=rule.citation, label=d.label, op=d.op,
            quote=e.quote, reason=e.reason, secondary=e.secondary, checked_on=e.checked_on,
        )

    def in_force(self, jurisdiction: str, on: date) -> Iterator[tuple[str, Param | RuleNotInForce]]:
        """Every parameter name with its value for (jurisdiction, on), or the reason it has none."""
        for name in sorted(self.params):
            try:
                yield name, self.lookup(name, jurisdiction, on)
            except RuleNotInForce as exc:  # includes RuleNotApplicable
                yield name, exc

    def quotes(self, rule_id: str, jurisdiction: str | None = None, on: date | None = None) -> list[dict[str, str]]:
        """The verbatim text of ``rule_id``: its own ``quote`` in rules.toml, then the quotes recorded with
        parameter entries citing it (each text once).

        With ``jurisdiction`` and ``on``: only entries of that jurisdiction or its ancestors in force on
        that date.  Each item: ``{"quote", "jurisdiction", "period", "kind"}``.
        """
        chain = self.chain(jurisdiction) if jurisdiction else None
        out: dict[str, dict[str, str]] = {}
        rule = self.rules.get(rule_id)
        if rule is not None and rule.quote:
            out[rule.quote] = {"quote": rule.quote, "jurisdiction": "", "period": "", "kind": "law"}
        for definition in self.params.values():
            for e in definition.entries:
                if e.rule != rule_id or not e.quote or e.quote in out:
                    continue
                if chain is not None and e.jurisdiction not in chain:
                    continue
                if on is not None and not e.covers(on):
                    continue
                out[e.quote] = {"quote": e.quote, "jurisdiction": e.jurisdiction, "period": e.period(), "kind": e.kind}
        return list(out.values())

    def citation(self, rule_id: str) -> dict[str, str]:
        """The zh/en citation of a rule ID (raises ParameterError for an unknown ID)."""
        if rule_id not in self.rules:
            raise ParameterError(f"unknown rule ID {rule_id!r} (see data/rules.toml)")
        return self.rules[rule_id].citation


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:  # duplicate keys are a parse error too
        raise ParameterError(f"{path.name}: {exc}") from exc


def _check_keys(raw: dict[str, Any], allowed: set[str], required: set[str], where: str) -> None:
    unknown = set(raw) - allowed
    if unknown:
        raise ParameterError(f"{where}: unknown keys {sorted(unknown)}")
    missing = required - set(raw)
    if missing:
        raise ParameterError(f"{where}: missing keys {sorted(missing)}")


def _check_overlaps(entries: tuple[_Entry, ...], where: str) -> None:
    by_jur: dict[str, list[_Entry]] = {}
    for e in entries:
        by_jur.setdefault(e.jurisdiction, []).append(e)
    for jur, items in by_jur.items():
        items.sort(key=lambda e: e.valid_from)
        for a, b in zip(items, items[1:], strict=False):
            if b.valid_from <= a.valid_to:
                raise ParameterError(f"{where}: periods overlap for {jur}: {a.period()} and {b.period()}")


def _load_rules(path: Path) -> dict[str, Rule]:
    doc = _read_toml(path)
    documents = doc.get("documents", {})
    rules: dict[str, Rule] = {}
    for rid, raw in doc.get("rules", {}).items():
        if raw.get("doc") not in documents:
            raise ParameterError(f"rules.toml: rule {rid!r} names unknown document {raw.get('doc')!r}")
        d = documents[raw["doc"]]
        rules[rid] = Rule(id=rid, document={"zh": d["zh"], "en": d["en"]}, article=dict(raw["article"]), quote=raw.get("quote"))
    return rules


def _load_jurisdictions(path: Path) -> dict[str, dict[str, Any]]:
    doc = _read_toml(path)
    out = {j["code"]: j for j in doc.get("jurisdiction", [])}
    for code, j in out.items():
        if j.get("parent") and j["parent"] not in out:
            raise ParameterError(f"jurisdictions.toml: {code} has unknown parent {j['parent']!r}")
    return out


@lru_cache(maxsize=1)
def default_store() -> ParameterStore:
    """The store built from the shipped ``data/`` folder (loaded once per process)."""
    return ParameterStore.load()


def lookup(name: str, jurisdiction: str, on: date) -> Param:
    """Shortcut for ``default_store().lookup(name, jurisdiction, on)``."""
    return default_store().lookup(name, jurisdiction, on)
