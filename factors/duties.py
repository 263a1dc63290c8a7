"""Rules without a number 无数值的规则: scope, steps, duties and the case file (``data/duties.toml``).

Each duty has entries per jurisdiction and validity period, like a parameter (:mod:`factors.store`),
but holds the rule's verbatim ``quote`` and the things it lists (``items``) instead of a value.
:func:`lookup` gives the entry in force for a jurisdiction on a date, or ``None`` when no rule is
recorded there (a province inherits the national entry only where it has none of its own).  Rule IDs
are checked against ``data/rules.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from factors.errors import ParameterError
from factors.paths import data_dir
from factors.store import default_store

_ENTRY_KEYS = {"jurisdiction", "valid_from", "valid_to", "rule", "quote", "checked_on", "items"}


@dataclass(frozen=True)
class Duty:
    """One duty in force: its rule, verbatim quote, listed items and any further keys of the entry."""

    name: str
    label: dict[str, str]
    jurisdiction: str
    valid_from: date
    valid_to: date
    rule: str
    quote: str
    items: tuple[dict[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def item(self, code: str) -> dict[str, Any]:
        return next(i for i in self.items if i["code"] == code)


@lru_cache(maxsize=1)
def _load() -> dict[str, tuple[dict[str, str], list[dict[str, Any]]]]:
    with open(data_dir() / "duties.toml", "rb") as fh:
        doc = tomllib.load(fh)
    rules = default_store().rules
    out: dict[str, tuple[dict[str, str], list[dict[str, Any]]]] = {}
    for d in doc.get("duty", []):
        name = d["name"]
        for e in d["values"]:
            where = f"duties.toml: {name} ({e.get('jurisdiction')})"
            for key in ("jurisdiction", "valid_from", "valid_to", "rule", "quote"):
                if key not in e:
                    raise ParameterError(f"{where}: missing key {key!r}")
            if e["rule"] not in rules:
                raise ParameterError(f"{where}: unknown rule ID {e['rule']!r} (see data/rules.toml)")
        out[name] = (d["label"], d["values"])
    return out


def names() -> list[str]:
    """Every duty name in ``data/duties.toml``."""
    return sorted(_load())


def lookup(name: str, jurisdiction: str, on: date) -> Duty | None:
    """The entry of duty ``name`` in force for ``jurisdiction`` on ``on``, or None if none is recorded."""
    label, entries = _load()[name]
    for code in default_store().chain(jurisdiction):
        own = [e for e in entries if e["jurisdiction"] == code]
        if not own:
            continue
        hit = next((e for e in own if e["valid_from"] <= on <= e["valid_to"]), None)
        if hit is None:
            return None
        extra = {k: v for k, v in hit.items() if k not in _ENTRY_KEYS}
        return Duty(name=name, label=label, jurisdiction=hit["jurisdiction"], valid_from=hit["valid_from"],
                    valid_to=hit["valid_to"], rule=hit["rule"], quote=hit["quote"],
                    items=tuple(hit.get("items", ())), extra=extra)
    return None


def rule_ids() -> set[str]:
    """Every rule ID a duty entry cites (including a nested ``rule`` such as SH-25 under enforcement)."""
    out = set()
    for _label, entries in _load().values():
        for e in entries:
            out.add(e["rule"])
            out.update(v["rule"] for v in e.values() if isinstance(v, dict) and "rule" in v)
    return out
