"""The fast indented JSON writer (assess/reports/jsontext.py): byte for byte the standard library's text."""

from __future__ import annotations

import io
import json
import math
from enum import Enum
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from assess import assess_case
from assess.reports import jsontext

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "data" / "examples").rglob("*.json"))


def _std(doc, indent=2):
    return json.dumps(doc, ensure_ascii=False, indent=indent)


def _written(doc, indent=2):
    fh = io.StringIO()
    jsontext.write(doc, fh, indent=indent)
    return fh.getvalue()


@pytest.mark.parametrize("path", [p for p in EXAMPLES if "claims" not in p.parts], ids=lambda p: p.name)
def test_every_shipped_example_result_is_the_standard_text(path):
    result = assess_case(path)
    doc = result.to_dict()
    assert result.to_json() == _std(doc)
    assert result.to_json(indent=None) == json.dumps(doc, ensure_ascii=False)
    fh = io.StringIO()
    result.write_json(fh)
    assert fh.getvalue() == _std(doc) + "\n"


class _Colour(str, Enum):
    RED = "红"


# what json itself makes of each edge: escapes (quote, backslash, control characters as \n and \u001f),
# non-ASCII kept, NaN / ±Infinity, -0.0, big ints, empty containers at every depth, tuples as lists
EDGES = {
    "text": 'q"b\\s\n\t\x00\x1f\x7f 元 \u2028 😀', "": "", "n": None, "t": True, "f": False,
    "i": -(10 ** 30), "x": [1.5, -0.0, 1e16, 1e-7, math.inf, -math.inf, math.nan],
    "e": {}, "l": [], "nest": [[], {}, [[{}]], {"a": []}, ("t", 1)], "tup": (1, "2", [3]),
}


@pytest.mark.parametrize("indent", [2, 0, 4, "\t", None])
def test_edges_and_indents(indent):
    # json.dumps(EDGES, indent=2) starts '{\n  "text": "q\\"b\\\\s\\n\\t\\u0000\\u001f\x7f 元 \u2028 😀",'
    assert jsontext.dumps(EDGES, indent=indent) == _std(EDGES, indent)
    assert _written(EDGES, indent) == _std(EDGES, indent)
    assert jsontext.dumps(EDGES)[:20] == '{\n  "text": "q\\"b\\\\s'


@pytest.mark.parametrize("doc", [
    {1: "int key"}, {None: 1, True: 2, 1.5: 3}, {"a": [_Colour.RED]}, {_Colour.RED: 1},
    {"a": {"b": True}, "c": 2 ** 70}, [1, 2, {"k": (3,)}], "just text", 7, None,
])
def test_what_the_fast_path_leaves_to_json_is_still_json_s_text(doc):
    assert jsontext.dumps(doc) == _std(doc)
    assert _written(doc) == _std(doc)


def test_errors_are_json_s_and_nothing_is_written_first():
    cyclic: list = []
    cyclic.append(cyclic)
    for bad, exc in ((object(), TypeError), ({"a": [1, {2j}]}, TypeError), (cyclic, ValueError)):
        with pytest.raises(exc):
            jsontext.dumps(bad)
        fh = io.StringIO()
        with pytest.raises(exc):
            jsontext.write({"ok": list(range(10_000)), "bad": bad}, fh)
        assert fh.getvalue() == ""  # json.dump itself writes pieces first; the probe refuses before


def test_a_long_document_is_written_in_chunks():
    doc = {"items": [{"id": f"C{i}", "amount": str(i), "children": []} for i in range(3000)]}
    writes: list[str] = []

    class Sink:
        def write(self, text):
            writes.append(text)

    jsontext.write(doc, Sink())
    assert "".join(writes) == _std(doc)
    assert len(writes) > 2 and max(map(len, writes)) < len(_std(doc)) // 2


_leaf = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_tree = st.recursive(_leaf, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4),
                     max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_tree)
def test_generated_documents_are_json_s_text(doc):
    assert jsontext.dumps(doc) == _std(doc)
    assert _written(doc) == _std(doc)
