"""A large honest case (issue 13, "large honest inputs"): 20,000 cost items, exact totals, the same output.

Cost items are held as compact ledger lines (:mod:`assess.law.costlines`) whose trace nodes are made
when read, validated in chunks with their equal values shared, and the JSON and text outputs are
streamed (:mod:`factors.jsonout`, :func:`assess.reports.render.write_result`).  These tests hold
the amounts and the bytes; the memory is measured by ``benchmarks/bench_memory.py``.
"""

from __future__ import annotations

import copy
import io
import json
import random
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from assess.app.api import assess_case, cost_line
from assess.app.cli import main
from assess.law.case import parse_case
from assess.law.costlines import CHUNK, CostLine, LazyNodes
from factors import jsonout
from factors.errors import InputError
from factors.paths import data_dir

N = 20_000
BASE = {"case_id": "BIG-1", "jurisdiction": "CN-JS", "dates": {"incident": "2024-05-12"},
        "facts": {"simple_facts": True}}


def big_case(n: int = N) -> dict:
    """Item k (1 … n) costs k.01 元; odd k are assessment costs (3), even k prevention costs (5)."""
    case = copy.deepcopy(BASE)
    case["cost_items"] = [
        {"id": f"C{k}", "category": "assessment_costs" if k % 2 else "prevention_costs",
         "label": f"发票 invoice {k % 7}", "amount": {"value": f"{k}.01", "unit": "元"},
         "date": f"2024-06-{1 + k % 28:02d}", "evidence": f"No. {k}"}
        for k in range(1, n + 1)]
    return case


@pytest.fixture(scope="module")
def big_result():
    return assess_case(big_case(), today=date(2026, 1, 1))


def test_twenty_thousand_items_sum_exactly(big_result):
    # odd k = 1, 3, …, 19 999: Σk = 10 000² = 100 000 000, plus 10 000 × 0.01 = 100.00 → 100 000 100.00
    # even k = 2, 4, …, 20 000: Σk = 2 × (10 000 × 10 001 / 2) = 100 010 000, plus 100.00 → 100 010 100.00
    # total = 200 010 200.00 (= 20 000 × 20 001 / 2 + 20 000 × 0.01)
    led = big_result.ledger
    assert led.amount("assessment_costs") == Decimal("100000100.00")
    assert led.amount("prevention_costs") == Decimal("100010100.00")
    assert led.total == Decimal("200010200.00")
    assert len(led.categories["assessment_costs"].items) == 10_000
    assert all(isinstance(i, CostLine) for i in led.items())


def test_twenty_thousand_items_json_and_text_stream_the_same_text(big_result):
    fh = io.StringIO()
    big_result.write_json(fh)
    assert fh.getvalue() == json.dumps(big_result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    data = json.loads(fh.getvalue())
    assert data["ledger"]["total"] == "200010200.00"
    # item 20 000 is the 10 000th prevention cost: 20000.01 元, its trace leaf cited
    last = data["ledger"]["prevention_costs"]["items"][-1]
    assert last == {"id": "C20000", "label": {"zh": "发票 invoice 1", "en": "发票 invoice 1"}, "amount": "20000.01",
                    "source": "cost_items[19999]", "counted": True}
    text = io.StringIO()
    big_result.write_text(text, lang="both")
    assert text.getvalue() == big_result.render(lang="both")


def test_compact_lines_give_the_nodes_of_plain_lines():
    case = parse_case(big_case(50))
    for i, cost in enumerate(case.cost_items):
        plain = cost_line(cost, f"cost_items[{i}]")
        compact = cost_line(cost, f"cost_items[{i}]", (case.cost_items, i, None))
        assert (compact.id, compact.category, compact.label, compact.amount, compact.source, compact.counted,
                compact.warnings) == (plain.id, plain.category, plain.label, plain.amount, plain.source, True, [])
        assert compact.trace.to_dict() == plain.trace.to_dict()
    lazy = LazyNodes([cost_line(c, f"cost_items[{i}]", (case.cost_items, i, None)) for i, c in enumerate(case.cost_items)])
    assert len(lazy) == 50 and lazy[3].id == "C4" and [n.id for n in lazy[:2]] == ["C1", "C2"]


def test_shipped_examples_stream_the_text_they_render():
    for path in sorted((data_dir() / "examples").glob("*.json")):
        result = assess_case(path, today=date(2026, 1, 1))
        fh = io.StringIO()
        result.write_json(fh)
        assert fh.getvalue() == json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", path.name
        for lang in ("zh", "en", "both"):
            for trace in (True, False):
                fh = io.StringIO()
                result.write_text(fh, lang=lang, trace=trace)
                assert fh.getvalue() == result.render(lang=lang, trace=trace), (path.name, lang, trace)


def test_cli_output_of_a_small_case_unchanged(tmp_path, capsys):
    # the example run through the CLI to a file equals the in-memory text it replaced
    example = data_dir() / "examples" / "js_water_pollution.json"
    out = tmp_path / "r.txt"
    assert main(["run", str(example), "--today", "2026-01-01", "-o", str(out)]) == 0
    expected = assess_case(example, today=date(2026, 1, 1)).render(lang="both")
    assert out.read_text(encoding="utf-8") == expected


def test_an_error_past_the_first_chunk_names_its_index():
    case = big_case(CHUNK + 600)
    case["cost_items"][CHUNK + 500]["date"] = "2024-02-30"          # item index 1 524
    case["cost_items"][3]["amount"]["value"] = "-x"
    with pytest.raises(InputError) as exc:
        parse_case(case)
    text = str(exc.value)
    assert f"cost_items[{CHUNK + 500}].date" in text and "cost_items[3].amount" in text


def test_validated_items_share_equal_values_and_stay_frozen():
    case = parse_case(big_case(CHUNK + 10))
    a, b = case.cost_items[6], case.cost_items[6 + 28 * 7]     # the same label (k % 7) and date (k % 28)
    assert a.label is b.label and a.date is b.date and a.id != b.id
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__
    with pytest.raises(ValidationError):
        a.label = "changed"
    assert b.label == "发票 invoice 0"


def test_the_input_dict_is_not_modified():
    case = big_case(CHUNK + 5)
    before = copy.deepcopy(case)
    parse_case(case)
    assert case == before


@pytest.mark.parametrize("seed", range(20))
def test_jsonout_writes_what_json_dump_writes(seed):
    rng = random.Random(seed)

    def value(depth: int):
        r = rng.random()
        if depth > 4 or r < 0.4:
            return rng.choice([None, True, False, 0, -7, 10 ** 30, 1.5, -0.0, float("nan"), float("inf"), "",
                               "a\"b\\c\n\t\x01", "中文 ✓ 💥", "\u2028"])
        if r < 0.7:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {rng.choice(["k", "键", "", "a b", 1, 2.5, True, None]): value(depth + 1) for _ in range(rng.randint(0, 4))}

    obj = value(0)
    for indent in (2, 4):
        fh = io.StringIO()
        jsonout.dump(obj, fh, indent=indent, size=7)
        assert fh.getvalue() == json.dumps(obj, ensure_ascii=False, indent=indent)


def test_jsonout_expands_generators_and_refuses_what_json_refuses():
    fh = io.StringIO()
    jsonout.dump({"a": (i for i in range(3)), "b": (i for i in [])}, fh)
    assert fh.getvalue() == json.dumps({"a": [0, 1, 2], "b": []}, indent=2)
    for bad in (Decimal("1"), {1, 2}, b"x", object()):
        with pytest.raises(TypeError):
            jsonout.dump({"x": bad}, io.StringIO())


@pytest.mark.parametrize("bad", [CHUNK + 500, 2 * CHUNK + 1])
def test_a_case_file_read_in_chunks_reports_errors_as_before(tmp_path, bad):
    # load_case lets each validated chunk of the parsed file go; an error in a later chunk still
    # names its own index, and the items validated before it raise nothing (they validate again)
    from assess.app.api import load_case

    case = big_case(2 * CHUNK + 10)
    case["cost_items"][bad]["amount"]["unit"] = "元/0"
    p = tmp_path / "big.json"
    p.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_case(p)
    err = exc.value
    assert [e.path for e in (err.problems or [err])] == [f"cost_items[{bad}].amount"]
    case["cost_items"][bad]["amount"]["unit"] = "元"
    p.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    loaded = load_case(p)
    assert loaded == parse_case(case) and len(loaded.cost_items) == 2 * CHUNK + 10


def test_shared_field_sets_survive_dump_and_copy():
    case = parse_case(big_case(CHUNK + 3))
    a, b = case.cost_items[0], case.cost_items[1]
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__
    c = a.model_copy(update={"label": "new"})
    assert c.label == "new" and b.label == "发票 invoice 2" and "label" in b.model_fields_set
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__ is not c.__pydantic_fields_set__
    assert case.model_dump(mode="json")["cost_items"][0]["amount"] == {"value": "1.01", "unit": "元", "distribution": None}


def test_a_compact_line_pickles_and_copies_as_the_plain_line():
    import pickle

    case = parse_case(big_case(3))
    compact = cost_line(case.cost_items[1], "cost_items[1]", (case.cost_items, 1, None))
    plain = cost_line(case.cost_items[1], "cost_items[1]")
    for other in (pickle.loads(pickle.dumps(compact)), copy.deepcopy(compact)):
        assert type(other) is type(plain) and other == plain
