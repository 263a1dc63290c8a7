"""The HTTP service against a REAL server process (``assess serve`` in a subprocess) and a real client (httpx).

Every endpoint on the shipped examples gives what the library gives (the Jiangsu water-pollution
example totals 543185.29 元: 80650.00 + 425714.79 + 36820.50, README "Worked example"); bad input gets
RFC 9457 problem details with the CLI's paths and messages; limits and the bearer token hold.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from assess import assess_case, case_json_schema, result_json_schema  # noqa: E402
from assess.app.batch import assess_frame  # noqa: E402
from assess.app.check import claim_from_dict, compare  # noqa: E402
from assess.app.synthetic import synthetic_docket  # noqa: E402
from factors.paths import data_dir  # noqa: E402

from _server import running_server  # noqa: E402

TOKEN = "s3cret-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EXAMPLES = sorted((data_dir() / "examples").glob("*.json"))
TODAY = "2025-01-15"
MAX_BODY = 2 * 1024 * 1024
MAX_ROWS = 500


@pytest.fixture(scope="module")
def base():
    with running_server("--max-body", str(MAX_BODY), "--max-rows", str(MAX_ROWS), "--max-depth", "40",
                        env={"ASSESS_TOKENS": f"other-token,{TOKEN}"}) as url:
        yield url


@pytest.fixture(scope="module")
def client(base):
    with httpx.Client(base_url=base, headers=AUTH, timeout=120) as c:
        yield c


def post_case(client, path: str, body: bytes | str, **params):
    return client.post(path, content=body, params=params, headers={"Content-Type": "application/json"})


def library(path: Path) -> dict:
    return json.loads(assess_case(path, today=date.fromisoformat(TODAY)).to_json())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_assess_gives_the_library_result(client, example):
    r = post_case(client, "/v1/assess", example.read_bytes(), today=TODAY)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.json() == library(example)


def test_water_pollution_total_and_contract_fields(client):
    r = post_case(client, "/v1/assess", (data_dir() / "examples" / "js_water_pollution.json").read_bytes())
    d = r.json()
    # 80650.00 (3) + 425714.79 (4) + 36820.50 (5) = 543185.29
    assert d["ledger"]["total"] == "543185.29"
    assert d["schema_version"] == result_json_schema()["version"]
    v = client.get("/v1/version").json()
    assert (d["tool_version"], d["parameter_set"]) == (v["tool_version"], v["parameter_set"])


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_route_and_deadlines(client, example):
    lib = library(example)
    r = post_case(client, "/v1/route", example.read_bytes(), today=TODAY).json()
    assert r["routing"] == lib["routing"] and r["trace"] == lib["routing_trace"]
    d = post_case(client, "/v1/deadlines", example.read_bytes(), today=TODAY).json()
    assert d["deadlines"] == lib["deadlines"] and d["trace"] == lib["deadlines_trace"]
    assert d["case_id"] == lib["case_id"] and d["rules_date"] == lib["rules_date"]


def test_schedule(client):
    example = data_dir() / "examples" / "js_liability_instalments.json"
    r = post_case(client, "/v1/schedule", example.read_bytes())
    assert r.status_code == 200, r.text
    assert r.json()["schedule"] == library(example)["schedule"]
    # a case without an instalment plan: the CLI's message, as a problem
    r = post_case(client, "/v1/schedule", (data_dir() / "examples" / "js_water_pollution.json").read_bytes())
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"] == "instalment_plan: expected an instalment plan in the case file, got 'none'"


def test_check_claim(client, example_dict):
    claim = {"total": "543185.29", "categories": {"assessment_costs": "80650.00", "4": "425714.79", "5": "36820.50"}}
    r = client.post("/v1/check", json={"case": example_dict, "claim": claim})
    assert r.status_code == 200, r.text
    assert r.json()["all_match"] is True and r.json()["differences"] == 0
    claim["total"] = "543185.30"   # one fen too much: one difference of 0.01
    r = client.post("/v1/check", json={"case": example_dict, "claim": claim}).json()
    assert r["all_match"] is False and r["differences"] == 1
    expected = compare(assess_case(example_dict), claim_from_dict(claim)).to_dict()
    assert r["findings"] == json.loads(json.dumps(expected["findings"]))
    total = next(f for f in r["findings"] if f["kind"] == "total")
    assert total["difference"] == "+0.01"
    bad = client.post("/v1/check", json={"case": example_dict})
    assert bad.status_code == 422 and "claim" in bad.json()["detail"]


@pytest.mark.parametrize("with_case", [True, False])
def test_check_judgment_as_the_cli(client, with_case):
    """The shipped judgment, with the case (recomputed) and without (its own arithmetic): as `assess check --json`."""
    claim_path = data_dir() / "examples" / "claims" / "js_liability_judgment.json"
    case_path = data_dir() / "examples" / "js_liability_instalments.json"
    body = {"claim": json.loads(claim_path.read_text(encoding="utf-8"))}
    argv = [sys.executable, "-m", "assess.app.cli", "check", "--claimed", str(claim_path), "--json"]
    if with_case:
        body["case"] = json.loads(case_path.read_text(encoding="utf-8"))
        argv.insert(4, str(case_path))
    r = client.post("/v1/check", json=body)
    assert r.status_code == 200, r.text
    cli = subprocess.run(argv, capture_output=True, text=True, check=False)
    # the CLI names the claim file in "where" (js_liability_judgment.json: lines[4]); the service, the body field
    expected = json.loads(cli.stdout.replace(f'"{claim_path.name}: ', '"claim: '))
    got = r.json()
    assert {k: v for k, v in got.items() if k not in ("schema_version", "tool_version")} == expected
    assert got["all_match"] is (cli.returncode == 0)


def test_punitive_check_without_a_case(client):
    from assess.law.punitive import check_award
    from factors.store import default_store

    body = {"base": "150000.00", "multiple": "1.5", "date": "2024-06-01", "jurisdiction": "CN-JS", "today": "2025-01-01"}
    r = client.post("/v1/punitive-check", json=body)
    assert r.status_code == 200, r.text
    from decimal import Decimal
    lib = check_award(Decimal("150000.00"), Decimal("1.5"), date(2024, 6, 1), "CN-JS", default_store(), date(2025, 1, 1))
    assert r.json() == json.loads(json.dumps(lib, ensure_ascii=False))
    assert r.json()["award"] == "225000.00"  # 150000.00 × 1.5
    r = client.post("/v1/punitive-check", json={**body, "base": "-1"})
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "base"


def test_report_html_and_pdf(client):
    """The printable report (assess/reports/printable.py) of the example: the same bytes as the library makes."""
    from assess.reports.printable import report_bytes

    example = data_dir() / "examples" / "js_water_pollution.json"
    body = example.read_bytes()
    r = post_case(client, "/v1/report", body, today=TODAY)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    import hashlib

    expected = report_bytes(assess_case(example, today=date.fromisoformat(TODAY)), "html", lang="zh",
                            inputs=[("request body", hashlib.sha256(body).hexdigest())], report_date=date.fromisoformat(TODAY))
    assert r.content == expected
    assert "543,185.29" in r.text or "543185.29" in r.text
    pytest.importorskip("fpdf")
    r = post_case(client, "/v1/report", body, format="pdf", lang="en", today=TODAY)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert post_case(client, "/v1/report", body, format="docx").status_code == 422


def test_params_as_the_cli(client):
    r = client.get("/v1/params", params={"jurisdiction": "CN-JS", "on": "2024-09-30"})
    assert r.status_code == 200
    cli = subprocess.run([sys.executable, "-m", "assess.app.cli", "params", "-j", "CN-JS", "--on", "2024-09-30", "--json"],
                         capture_output=True, text=True, check=True)
    assert r.json() == json.loads(cli.stdout)
    r = client.get("/v1/params", params={"jurisdiction": "XX"})
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "jurisdiction"


def test_schemas_health_version_openapi(client):
    assert client.get("/v1/schema/case").json() == json.loads(json.dumps(case_json_schema()))
    assert client.get("/v1/schema/result").json() == json.loads(json.dumps(result_json_schema()))
    assert client.get("/v1/health").json() == {"status": "ok"}
    doc = client.get("/openapi.json").json()
    paths = set(doc["paths"])
    assert {"/v1/assess", "/v1/route", "/v1/deadlines", "/v1/schedule", "/v1/check", "/v1/punitive-check", "/v1/batch",
            "/v1/report",
            "/v1/params", "/v1/schema/case", "/v1/schema/result", "/v1/health", "/v1/version"} <= paths
    schemas = doc["components"]["schemas"]
    # generated from the library's models: the case model's fields and the result contract
    assert set(schemas["Case"]["properties"]) == set(case_json_schema()["properties"])
    assert "ResultDocument" in schemas and "schema_version" in schemas["ResultDocument"]["properties"]


def test_batch_jsonl_streams_the_library_rows(client):
    df = synthetic_docket(120, seed=7)
    as_text = df.astype(object).where(df.notna(), None).map(lambda v: v if v is None else str(v))
    for c in ("incident", "clue_received", "assessment_base"):
        as_text[c] = df[c].dt.strftime("%Y-%m-%d")
    body = "\n".join(json.dumps({k: v for k, v in row.items() if isinstance(v, str)}, ensure_ascii=False)
                     for row in as_text.to_dict(orient="records"))
    r = client.post("/v1/batch", content=body.encode(), headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(x) for x in r.text.splitlines()]
    lib = assess_frame(df)
    assert [x["case_id"] for x in rows] == list(lib["case_id"])
    assert [x["total_fen"] for x in rows] == [None if pd.isna(v) else int(v) for v in lib["total_fen"]]
    assert [x["error"] for x in rows] == list(lib["error"])


def test_batch_parquet(client):
    df = synthetic_docket(150, seed=3)
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    r = client.post("/v1/batch", content=buf.getvalue(), headers={"Content-Type": "application/vnd.apache.parquet"})
    assert r.status_code == 200, r.text
    out = pd.read_parquet(io.BytesIO(r.content))
    lib = assess_frame(df).reset_index(drop=True)
    pd.testing.assert_series_equal(out["total_fen"], lib["total_fen"])
    assert list(out["case_id"]) == list(lib["case_id"])


def test_batch_row_limit_and_bad_frames(client):
    rows = "\n".join(json.dumps({"case_id": f"R{i}", "jurisdiction": "CN-JS", "incident": "2024-05-12"})
                     for i in range(MAX_ROWS + 1))
    r = client.post("/v1/batch", content=rows.encode(), headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 413 and r.headers["content-type"] == "application/problem+json"
    r = client.post("/v1/batch", content=b'{"case_id": "A", "jurisdiction": "CN-JS", "incident": "2024-05-12", "colour": "x"}',
                    headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "(columns)"
    r = client.post("/v1/batch", content=b"not parquet", headers={"Content-Type": "application/vnd.apache.parquet"})
    assert r.status_code == 422
    r = client.post("/v1/batch", content=b"[1]\n", headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "line 1"
    r = client.post("/v1/batch", content=b'\n{"case_id": NaN}', headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "line 2"


# -- bad input: problem details, the CLI's messages ---------------------------------------------------


def cli_errors(body: bytes) -> list[str]:
    p = subprocess.run([sys.executable, "-m", "assess.app.cli", "run", "-"], input=body, capture_output=True, check=False)
    assert p.returncode == 2
    return [line.removeprefix("error: ") for line in p.stderr.decode().splitlines()]


def test_invalid_case_same_paths_and_messages_as_cli(client, example_dict):
    example_dict["damage_items"][0]["inputs"]["lines"][0]["quantity"]["value"] = "-3"
    example_dict["dates"]["incident"] = "2024-13-01"
    del example_dict["jurisdiction"]
    body = json.dumps(example_dict).encode()
    r = post_case(client, "/v1/assess", body)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    p = r.json()
    assert p["status"] == 422 and p["title"] == "Unprocessable Content" and p["type"] == "about:blank"
    assert [e["message"] for e in p["errors"]] == cli_errors(body)
    assert {"jurisdiction", "dates.incident"} <= {e["path"] for e in p["errors"]}


def test_malformed_json(client):
    r = post_case(client, "/v1/assess", b'{"case_id": ')
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "(body):1:13"
    assert r.json()["errors"][0]["message"] == "(body):1:13: expected valid JSON (Expecting value)"
    assert cli_errors(b'{"case_id": ') == ["<stdin>:1:13: expected valid JSON (Expecting value)"]
    assert post_case(client, "/v1/assess", b"\xff\xfe").status_code == 422
    assert post_case(client, "/v1/assess", b"[]").json()["errors"][0]["path"] == "(case)"


def test_huge_body_is_413(client):
    r = post_case(client, "/v1/assess", b" " * (MAX_BODY + 1))
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    # without a Content-Length (chunked): counted while read
    r = client.post("/v1/assess", content=iter([b" " * 1024 * 1024] * 3), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


@pytest.mark.parametrize("levels", [41, 100_000])
def test_deep_nesting_is_refused(client, levels):
    r = post_case(client, "/v1/assess", "[" * levels + "]" * levels)
    assert r.status_code == 422
    assert "nested at most 40 levels" in r.json()["detail"]


def test_wrong_content_type_is_415(client):
    example = (data_dir() / "examples" / "js_water_pollution.json").read_bytes()
    for kind in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"Content-Type": kind} if kind else {}
        r = client.post("/v1/assess", content=example, headers=headers)
        assert r.status_code == 415, kind
        assert r.headers["content-type"] == "application/problem+json"
    r = client.post("/v1/batch", content=example, headers={"Content-Type": "application/json"})
    assert r.status_code == 415


def test_bad_query_parameter_is_422(client):
    example = (data_dir() / "examples" / "js_water_pollution.json").read_bytes()
    r = post_case(client, "/v1/assess", example, on="2024-02-30")
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "on"
    r = post_case(client, "/v1/assess", example, cost_ratio_threshold="-1")
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"] == "--cost-ratio-threshold: expected a positive decimal number such as 1.5, got '-1'"


def test_rules_not_in_force_is_422(client, example_dict):
    r = post_case(client, "/v1/assess", json.dumps(example_dict), on="1990-01-01")
    assert r.status_code == 422
    assert "1990-01-01" in r.json()["detail"]


def test_unknown_path_and_method(client):
    assert client.get("/v1/nothing").status_code == 404
    r = client.get("/v1/assess")
    assert r.status_code == 405 and r.headers["content-type"] == "application/problem+json"


# -- authentication and operation ---------------------------------------------------------------------


def test_missing_or_wrong_token_is_401(base):
    example = (data_dir() / "examples" / "js_water_pollution.json").read_bytes()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": f"Bearer {TOKEN}x"}):
        r = httpx.post(f"{base}/v1/assess", content=example, headers={"Content-Type": "application/json", **headers})
        assert r.status_code == 401
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert r.headers["content-type"] == "application/problem+json"
        assert httpx.get(f"{base}/v1/params", headers=headers).status_code == 401
    assert httpx.get(f"{base}/v1/health").status_code == 200          # liveness stays open
    r = httpx.get(f"{base}/v1/version", headers={"Authorization": "Bearer other-token"})
    assert r.status_code == 200                                         # every listed token works


def test_cors_is_off_by_default(client):
    r = client.options("/v1/assess", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers


def test_requests_do_not_block_each_other(base, example_dict):
    """Six long computations (100000 Monte Carlo draws each) run in the pool: a small request still answers."""
    finished: list[float] = []
    body = json.dumps(example_dict)

    def slow():
        with httpx.Client(base_url=base, headers=AUTH, timeout=120) as c:
            r = c.post("/v1/assess", content=body, params={"uncertainty": "true", "draws": 100000, "seed": 1},
                       headers={"Content-Type": "application/json"})
        assert r.status_code == 200
        finished.append(time.monotonic())

    threads = [threading.Thread(target=slow) for _ in range(6)]
    for t in threads:
        t.start()
    time.sleep(0.1)
    r = httpx.get(f"{base}/v1/version", headers=AUTH)
    answered = time.monotonic()
    for t in threads:
        t.join()
    assert r.status_code == 200 and len(finished) == 6
    assert answered < max(finished)


def test_refuses_public_host_without_token(tmp_path):
    p = subprocess.run([sys.executable, "-m", "assess.app.cli", "serve", "--host", "0.0.0.0", "--port", "1"],
                       capture_output=True, text=True, timeout=60, env={"PATH": "", "ASSESS_TOKENS": ""})
    assert p.returncode == 2
    assert p.stderr.startswith("error: --host: expected a loopback address")
    empty = tmp_path / "tokens"
    empty.write_text("# no tokens\n")
    p = subprocess.run([sys.executable, "-m", "assess.app.cli", "serve", "--token-file", str(empty)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "--token-file: expected at least one token" in p.stderr


def test_token_file(tmp_path):
    tokens = tmp_path / "tokens"
    tokens.write_text("# service tokens\nfile-token-1\n\n")
    with running_server("--token-file", str(tokens)) as url:
        assert httpx.get(f"{url}/v1/version").status_code == 401
        assert httpx.get(f"{url}/v1/version", headers={"Authorization": "Bearer file-token-1"}).status_code == 200


def test_timeout_cors_and_access_log(example_dict):
    """A computation over --timeout is a 503 problem; a configured origin gets CORS; the log has no case content."""
    log: list[str] = []
    example_dict["case_id"] = "SECRET-CASE-4711"
    with running_server("--timeout", "0.05", "--cors-origin", "https://court.example", "--log-level", "info",
                        log=log) as url:
        r = httpx.post(f"{url}/v1/assess", content=json.dumps(example_dict), timeout=60,
                       params={"uncertainty": "true", "draws": 100000, "seed": 1}, headers={"Content-Type": "application/json"})
        assert r.status_code == 503 and r.headers["retry-after"] == "1"
        assert r.headers["content-type"] == "application/problem+json"
        pre = httpx.options(f"{url}/v1/assess", headers={"Origin": "https://court.example",
                                                          "Access-Control-Request-Method": "POST"})
        assert pre.headers["access-control-allow-origin"] == "https://court.example"
        other = httpx.options(f"{url}/v1/assess", headers={"Origin": "https://elsewhere.example",
                                                            "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in other.headers
        time.sleep(0.5)
    text = log[0]
    assert '"POST /v1/assess" 503' in text
    assert "SECRET-CASE-4711" not in text and "uncertainty" not in text


def test_core_does_not_import_the_service():
    code = ("import sys, io, contextlib\nfrom assess.app.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()): main(['example'])\n"
            "bad = [m for m in ('fastapi', 'uvicorn', 'starlette', 'assess.app.service') if m in sys.modules]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)
