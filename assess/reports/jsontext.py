"""Indented JSON text of a result, byte for byte what ``json.dumps(doc, ensure_ascii=False, indent=2)`` writes,
in a fraction of its time.

Why: CPython's C JSON encoder is used only without ``indent``; with it, :mod:`json` falls back to a
pure-Python encoder that passes every token through a chain of generators (one per nesting level).
For a result document (a deep trace tree: ~190 KB for the template example) that took longer than
assessing the case (issue 18: "a single case's ``to_json`` no slower than its assessment";
``benchmarks/bench_tojson.py``).  Here one recursive function appends the pieces to a list; strings
are escaped by the C :func:`json.encoder.encode_basestring`, numbers formatted as :mod:`json` formats
them.  Anything else (a non-``str`` key, a ``str``/``int``/``float`` subclass, a type :mod:`json`
rejects, a reference cycle) hands the whole document back to :func:`json.dumps`, so the text — and
each error — is always the standard library's.

:func:`write` streams: the pieces are written to the file each time a few thousand have gathered, so
memory is bounded by a chunk, not by the document (``benchmarks/bench_memory.py``).
"""

from __future__ import annotations

import json
from json.encoder import INFINITY, encode_basestring
from typing import Any, Callable

__all__ = ["dumps", "write"]

_FLUSH = 4096  # pieces gathered before a streamed write


class _Fallback(Exception):
    """Something the fast encoder leaves to :mod:`json` (the whole document then goes through it)."""


def _float(o: float) -> str:
    """:mod:`json`'s float text (``allow_nan=True``): ``NaN``, ``Infinity``, ``-Infinity``, else ``repr``."""
    if o != o:
        return "NaN"
    if o == INFINITY:
        return "Infinity"
    if o == -INFINITY:
        return "-Infinity"
    return float.__repr__(o)


def _scalar(o: Any) -> str:
    t = type(o)
    if t is str:
        return encode_basestring(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if t is int:
        return int.__repr__(o)
    if t is float:
        return _float(o)
    raise _Fallback


def _encoder(step: str, out: list[str], spill: Callable[[], None] | None) -> Callable[[Any, str], None]:
    """The recursive encoder appending to ``out`` with ``step`` of indentation per level."""
    append = out.append
    enc = encode_basestring

    def encode(o: Any, ind: str) -> None:
        # ``ind`` is the newline and indentation of the enclosing level; the opening bracket is
        # already written when a container value follows a key or a list separator.
        t = type(o)
        if t is dict:
            if not o:
                append("{}")
                return
            inner = ind + step
            sep = "{" + inner
            comma = "," + inner
            for k, v in o.items():
                if type(k) is not str:
                    raise _Fallback
                tv = type(v)
                if tv is str:
                    append(f"{sep}{enc(k)}: {enc(v)}")
                elif tv is dict or tv is list or tv is tuple:
                    append(f"{sep}{enc(k)}: ")
                    encode(v, inner)
                else:
                    append(f"{sep}{enc(k)}: {_scalar(v)}")
                sep = comma
            append(ind + "}")
        elif t is list or t is tuple:
            if not o:
                append("[]")
                return
            inner = ind + step
            sep = "[" + inner
            comma = "," + inner
            for v in o:
                tv = type(v)
                if tv is str:
                    append(sep + enc(v))
                elif tv is dict or tv is list or tv is tuple:
                    append(sep)
                    encode(v, inner)
                else:
                    append(sep + _scalar(v))
                sep = comma
            append(ind + "]")
        else:
            append(_scalar(o))
        if spill is not None and len(out) >= _FLUSH:
            spill()

    return encode


def _step(indent: int | str) -> str:
    return " " * indent if isinstance(indent, int) else indent


def dumps(doc: Any, indent: int | str | None = 2) -> str:
    """``json.dumps(doc, ensure_ascii=False, indent=indent)``, the same text."""
    if indent is None or type(indent) not in (int, str):
        return json.dumps(doc, ensure_ascii=False, indent=indent)
    out: list[str] = []
    try:
        _encoder(_step(indent), out, None)(doc, "\n")
    except (_Fallback, RecursionError):
        return json.dumps(doc, ensure_ascii=False, indent=indent)
    return "".join(out)


def write(doc: Any, fh: Any, indent: int | str | None = 2) -> None:
    """``json.dump(doc, fh, ensure_ascii=False, indent=indent)``: the same text, written in chunks.

    A document the fast encoder leaves to :mod:`json` is found before anything is written (a first pass
    without writing) and then written whole by :func:`json.dumps`: an error (a type JSON cannot hold, a
    cycle) leaves ``fh`` untouched."""
    if indent is None or type(indent) not in (int, str):
        json.dump(doc, fh, ensure_ascii=False, indent=indent)
        return
    out: list[str] = []

    def spill() -> None:
        fh.write("".join(out))
        out.clear()

    try:
        _probe(doc)
    except (_Fallback, RecursionError):
        fh.write(json.dumps(doc, ensure_ascii=False, indent=indent))
        return
    _encoder(_step(indent), out, spill)(doc, "\n")
    spill()


def _probe(o: Any) -> None:
    """Raise :class:`_Fallback` if ``o`` holds anything the fast encoder leaves to :mod:`json`."""
    t = type(o)
    if t is dict:
        for k, v in o.items():
            if type(k) is not str:
                raise _Fallback
            tv = type(v)
            if tv is dict or tv is list or tv is tuple:
                _probe(v)
            elif not (tv is str or tv is int or tv is float or v is None or tv is bool):
                raise _Fallback
    elif t is list or t is tuple:
        for v in o:
            tv = type(v)
            if tv is dict or tv is list or tv is tuple:
                _probe(v)
            elif not (tv is str or tv is int or tv is float or v is None or tv is bool):
                raise _Fallback
    elif not (t is str or t is int or t is float or o is None or t is bool):
        raise _Fallback
