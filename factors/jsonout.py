"""Streamed JSON output: the text of ``json.dump(obj, fh, ensure_ascii=False, indent=indent)``, written
chunk by chunk from values that may be produced lazily.

Besides the JSON types (dict, list, tuple, str, int, float, bool, None) a value may be

* an object with a ``__json__()`` method: written as what that method returns (a trace node gives
  its fields with its children still as nodes, so a tree is never held twice);
* any other iterable (a generator, a lazy sequence): written as a JSON array, one element at a time.

The bytes are those of :func:`json.dump` for the same data (issue 13, "large honest inputs": an
indented ``json.dumps`` of a result keeps every chunk in a list, and ``to_dict`` builds the whole
tree first; this writes a 100,000-line result without holding either).
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import Any, Callable, Iterator

_SCALARS = (str, int, float, bool, type(None))


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == float("inf"):
        return "Infinity"
    if o == -float("inf"):
        return "-Infinity"
    return float.__repr__(o)


def _scalar(o: Any) -> str:
    if isinstance(o, str):
        return encode_basestring(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return int.__repr__(o)
    return _float(o)


def _key(k: Any) -> str:
    if isinstance(k, str):
        return k
    if isinstance(k, float):
        return _float(k)
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, int):
        return int.__repr__(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


def iterencode(obj: Any, indent: int = 2) -> Iterator[str]:
    """The chunks of the indented JSON text of ``obj`` (lazy values expanded one at a time)."""
    pad = " " * indent

    def encode(o: Any, level: int) -> Iterator[str]:
        if isinstance(o, _SCALARS):
            yield _scalar(o)
            return
        if isinstance(o, (bytes, bytearray, set, frozenset)):
            raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")
        to_json: Callable[[], Any] | None = getattr(o, "__json__", None)
        if to_json is not None:
            yield from encode(to_json(), level)
            return
        if isinstance(o, dict):
            if not o:
                yield "{}"
                return
            inner = "\n" + pad * (level + 1)
            first = True
            for k, v in o.items():
                yield ("{" if first else ",") + inner + encode_basestring(_key(k)) + ": "
                first = False
                yield from encode(v, level + 1)
            yield "\n" + pad * level + "}"
            return
        try:
            items = iter(o)
        except TypeError:
            raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable") from None
        inner = "\n" + pad * (level + 1)
        first = True
        for v in items:
            yield ("[" if first else ",") + inner
            first = False
            yield from encode(v, level + 1)
        yield "[]" if first else "\n" + pad * level + "]"

    yield from encode(obj, 0)


def dump(obj: Any, fh: Any, indent: int = 2, size: int = 1 << 16) -> None:
    """Write the JSON text of ``obj`` to ``fh`` in pieces of about ``size`` characters."""
    buf: list[str] = []
    n = 0
    for chunk in iterencode(obj, indent):
        buf.append(chunk)
        n += len(chunk)
        if n >= size:
            fh.write("".join(buf))
            buf.clear()
            n = 0
    fh.write("".join(buf))


__all__ = ["iterencode", "dump"]
