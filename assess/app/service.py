"""HTTP service 服务 (``assess serve``): the calculator for case-management systems in any language.

FastAPI on uvicorn (the optional extra ``pip install '.[serve]'``; nothing here is imported by the
rest of the package).  JSON in, JSON out, under ``/v1/``; the OpenAPI document (``/openapi.json``)
is generated from the pydantic models of the library: the case model (:class:`assess.law.case.Case`)
for request bodies, the result contract (:mod:`assess.reports.contract`) for responses.

Errors are RFC 9457 problem details (``application/problem+json``) carrying the field paths and
messages of the CLI (``errors[].message`` is the CLI's ``error:`` line): 422 bad input, data or rules;
413 a body (or a batch) over the limit; 415 a wrong content type; 401 a missing or wrong bearer token;
503 a computation over the time limit.  An input never causes a 500.

Operation: the body is read by a small ASGI layer that enforces the size limit before anything is
parsed; JSON nesting deeper than the limit is refused; every computation runs in a thread pool (a
capacity limiter bounds it) so the event loop keeps serving; ``--workers N`` runs N processes.  The
access log (logger ``assess.access``) records method, path without query, status, time and body
size: never case content.  Bearer tokens (``--token-file`` or ``ASSESS_TOKENS``) are compared with
:func:`hmac.compare_digest`; CORS is off unless origins are configured.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import ipaddress
import json
import logging
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, AsyncIterator, Callable, Literal

import anyio
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from assess.app.api import assess_case, parameters_in_force
from assess.app.check import check_claim_only, claim_from_dict, compare
from assess.formats.jsonio import loads_json_file
from assess.law.case import Case, case_json_schema, parse_case
from assess.law.uncertainty import UncertaintyOptions
from assess.reports.contract import SCHEMA_VERSION, ResultDocument, result_json_schema
from factors import vocabulary
from factors.errors import AssessError, InputError
from factors.vocabulary import MAX_JSON_DEPTH, json_depth
from factors.version import parameter_set_version, tool_version

log = logging.getLogger("assess.access")

SETTINGS_ENV = "ASSESS_SERVE_SETTINGS"
TOKENS_ENV = "ASSESS_TOKENS"
JSON_TYPES = ("application/json",)
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/jsonlines")
PARQUET_TYPES = ("application/vnd.apache.parquet", "application/x-parquet")
OPEN_PATHS = ("/v1/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc")


@dataclass
class Settings:
    """Limits and options of one service (``assess serve`` flags)."""

    max_body: int = 10 * 1024 * 1024     # bytes
    max_depth: int = MAX_JSON_DEPTH      # JSON nesting (objects and arrays): the library's one limit
    max_rows: int = 10_000               # rows per batch request
    timeout: float = 60.0                # seconds of computation per request (per chunk for a batch)
    threads: int = 8                     # concurrent computations per worker process
    batch_chunk: int = 1_000             # rows computed (and streamed) at a time
    token_file: str | None = None
    cors_origins: list[str] = field(default_factory=list)


# -- problem details (RFC 9457) -----------------------------------------------------------------------

TITLES = {401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed", 413: "Content Too Large",
          415: "Unsupported Media Type", 422: "Unprocessable Content", 500: "Internal Server Error",
          503: "Service Unavailable"}


class ProblemError(BaseModel):
    path: str | None = None
    expected: str | None = None
    got: Any = None
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details; ``errors`` lists each problem with the CLI's field path and message."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ProblemError] = Field(default_factory=list)


class Rejected(Exception):
    """A request refused before or outside the library (size, depth, content type, token, time)."""

    def __init__(self, status: int, detail: str, path: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.path, self.headers = status, detail, path, headers or {}


def problem(status: int, detail: str, errors: list[dict[str, Any]] | None = None,
            headers: dict[str, str] | None = None) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "detail": detail,
            "errors": errors or []}
    return Response(json.dumps(body, ensure_ascii=False, default=str), status_code=status,
                    media_type="application/problem+json", headers=headers)


def _got(value: Any) -> Any:
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def input_problem(exc: AssessError) -> Response:
    """The CLI's lines (``error: <message>``) as problem details, one entry per problem."""
    if isinstance(exc, InputError):
        problems = exc.problems or [exc]
        errors = [{"path": p.path, "expected": p.expected, "got": _got(p.got), "message": str(p)} for p in problems]
    else:
        errors = [{"path": None, "expected": None, "got": None, "message": str(exc)}]
    return problem(422, str(exc), errors)


# -- the ASGI layer: auth, body limit, access log ----------------------------------------------------


def load_tokens(token_file: str | None) -> list[bytes]:
    """Accepted bearer tokens: lines of ``token_file`` (blank and ``#`` lines ignored), else ``ASSESS_TOKENS``."""
    if token_file:
        try:
            lines = Path(token_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("--token-file", "a readable UTF-8 file of tokens, one a line", str(exc)) from None
        tokens = [x.strip() for x in lines if x.strip() and not x.strip().startswith("#")]
        if not tokens:
            raise InputError("--token-file", "at least one token", "an empty file")
    else:
        tokens = [x.strip() for x in os.environ.get(TOKENS_ENV, "").split(",") if x.strip()]
    return [t.encode() for t in tokens]


def token_ok(header: bytes | None, tokens: list[bytes]) -> bool:
    """Constant-time comparison against every accepted token (no early exit)."""
    if not header or not header[:7].lower() == b"bearer ":
        return False
    given = header[7:].strip()
    ok = False
    for t in tokens:
        ok |= hmac.compare_digest(given, t)
    return ok


class Gate:
    """Bearer token, body size (buffered up to the limit, then replayed) and the access log."""

    def __init__(self, app: Any, settings: Settings, tokens: list[bytes]):
        self.app, self.settings, self.tokens = app, settings, tokens

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 0}
        size = 0

        async def send_logged(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            headers = dict(scope.get("headers") or [])
            if self.tokens and scope["path"] not in OPEN_PATHS and scope["method"] != "OPTIONS" \
                    and not token_ok(headers.get(b"authorization"), self.tokens):
                raise Rejected(401, "a valid bearer token (Authorization: Bearer <token>)",
                               headers={"WWW-Authenticate": 'Bearer realm="assess"'})
            limit = self.settings.max_body
            declared = headers.get(b"content-length")
            if declared is not None:
                try:
                    if int(declared) > limit:
                        raise Rejected(413, f"a request body of at most {limit} bytes, got {int(declared)}")
                except ValueError:
                    raise Rejected(413, "a valid Content-Length") from None
            chunks = []
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise Rejected(413, f"a request body of at most {limit} bytes")
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            sent = False

            async def replay() -> dict:
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_logged)
        except Rejected as exc:
            response = problem(exc.status, exc.detail, [{"path": exc.path, "message": exc.detail}] if exc.path else [],
                               headers=exc.headers)
            await response(scope, receive, send_logged)
        finally:
            client = scope.get("client") or ("-", 0)
            log.info('%s "%s %s" %s %.1fms %dB', client[0], scope["method"], scope["path"], status["code"],
                     (time.perf_counter() - start) * 1000, size)


# -- parsing the body ---------------------------------------------------------------------------------


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def require_type(request: Request, accepted: tuple[str, ...]) -> str:
    kind = media_type(request)
    if kind not in accepted and not (accepted == JSON_TYPES and kind.endswith("+json")):
        raise Rejected(415, f"Content-Type {' or '.join(accepted)}, got {kind or 'none'}")
    return kind


def parse_json(body: bytes, settings: Settings, where: str = "(body)") -> Any:
    """The JSON of a request body as ``assess run`` reads a case file (:func:`assess.formats.jsonio.loads_json_file`:
    numbers exact, never through a float), within the service's nesting limit; errors name line and column."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(where, "a UTF-8 JSON document") from None
    check_depth(text, settings, where)
    return loads_json_file(text, where)


def check_depth(text: str, settings: Settings, where: str) -> None:
    """Refuse JSON nested deeper than ``settings.max_depth`` before parsing it (a linear scan, no recursion)."""
    deepest = json_depth(text)
    if deepest > settings.max_depth:
        raise InputError(where, f"JSON nested at most {settings.max_depth} levels deep", f"{deepest} levels or more")


# -- request models (documentation of the bodies the library validates itself) ---------------------


class CheckRequest(BaseModel):
    """``POST /v1/check``: a claim or judgment, with or without the case (the formats of ``assess check``)."""

    model_config = ConfigDict(extra="forbid")
    case: Case | None = Field(None, description="the case to recompute; without it only the claim's own arithmetic is checked")
    claim: dict[str, Any] = Field(description="the claim or judgment in the JSON form of assess check --claimed "
                                              "(assess/formats/claims.py), or an assess run --json result")


class PunitiveCheckRequest(BaseModel):
    """``POST /v1/punitive-check``: a historic award checked without a case (``assess punitive-check``)."""

    model_config = ConfigDict(extra="forbid")
    base: str = Field(description="punitive base in 元 (categories 1 + 2), e.g. '150000.00'")
    multiple: str = Field(description="multiple applied, e.g. '1.5'")
    date: str = Field(description="date of the award (YYYY-MM-DD)")
    jurisdiction: str = "CN"
    today: str | None = Field(None, description="compare with the rules on this date (default: today)")


BODY_MODELS: dict[str, type[BaseModel]] = {"Case": Case, "CheckRequest": CheckRequest,
                                           "PunitiveCheckRequest": PunitiveCheckRequest}


def json_body(model: str, example: str | None = None) -> dict[str, Any]:
    """The OpenAPI request body of ``model``; ``example``: a shipped example file (data/examples/) shown with it."""
    content: dict[str, Any] = {"schema": {"$ref": f"#/components/schemas/{model}"}}
    if example is not None:
        from factors.paths import data_dir

        content["example"] = json.loads((data_dir() / "examples" / example).read_text(encoding="utf-8"))
    return {"requestBody": {"required": True, "content": {"application/json": content}}}


EXAMPLE = "js_water_pollution.json"


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": Problem, "description": TITLES[s], "content": {"application/problem+json": {}}} for s in (401, 413, 415, 422, 503)}


def ok_json(model: Any = None, description: str = "OK") -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {**ERRORS}
    out[200] = {"description": description, **({"model": model} if model is not None else {})}
    return out


# -- the application ---------------------------------------------------------------------------------


class ParamsDocument(BaseModel):
    jurisdiction: str
    applied_jurisdiction: str
    on: str
    parameters: list[dict[str, Any]]


class VersionDocument(BaseModel):
    tool_version: str
    schema_version: str
    parameter_set: str


class ProcedureDocument(BaseModel):
    schema_version: str
    tool_version: str
    parameter_set: str
    case_id: str
    jurisdiction: str
    rules_date: str
    routing: dict[str, Any] | None = None
    deadlines: dict[str, Any] | None = None
    trace: dict[str, Any]


OnQ = Annotated[date | None, Query(description="apply the rules in force on this date (default: the case's rules date)")]
TodayQ = Annotated[date | None, Query(description="judge deadlines as of this date (default: today)")]
AsOfQ = Annotated[date | None, Query(description="date of the payment statement (default: the plan's as_of, else the "
                                                 "last payment)")]
ThresholdQ = Annotated[str | None, Query(description="JS-(七) cost-ratio threshold for this request (a positive decimal)")]
UncertaintyQ = Annotated[bool, Query(description="add a Monte Carlo band (P5/P50/P95)")]
DrawsQ = Annotated[int, Query(ge=1, le=100_000, description="Monte Carlo draws")]
SeedQ = Annotated[int | None, Query(ge=0, description="Monte Carlo seed (default: generated and recorded)")]
JurisdictionQ = Annotated[str, Query(max_length=20, description="CN, CN-JS or CN-SH")]
ReportFormatQ = Annotated[Literal["html", "pdf"], Query(description="html, or pdf (needs the extra: pip install '.[report]')")]
ReportLangQ = Annotated[Literal["zh", "en", "both"], Query(description="language of the report: zh (default), en, both")]
DateQ = Annotated[date | None, Query(description="date (default: today)")]


def json_response(data: Any) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), media_type="application/json")


def create_app(settings: Settings | None = None) -> Any:
    """The ASGI application: FastAPI routes wrapped in :class:`Gate` (and CORS only when configured)."""
    settings = settings or Settings()
    tokens = load_tokens(settings.token_file)
    limiter = anyio.CapacityLimiter(settings.threads)
    app = FastAPI(title="生态环境损害赔偿计算 Eco-environmental damage compensation",
                  version=tool_version(), docs_url="/docs", redoc_url=None,
                  description="Civil Code Art. 1235 ledger, routing, deadlines and schedules under the rules in force "
                              f"(result contract version {SCHEMA_VERSION}). Errors: RFC 9457 problem details.")

    async def compute(fn: Callable[[], Any]) -> Any:
        """``fn`` in the thread pool under the time limit (the event loop keeps serving)."""
        try:
            with anyio.fail_after(settings.timeout):
                return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True, limiter=limiter)
        except TimeoutError:
            raise Rejected(503, f"a computation within {settings.timeout:g} s (the server's limit)",
                           headers={"Retry-After": "1"}) from None

    async def case_of(request: Request) -> bytes:
        require_type(request, JSON_TYPES)
        return await request.body()

    def run_case(body: bytes, **options: Any) -> Any:
        return assess_case(parse_case(parse_json(body, settings)), **options)

    @app.exception_handler(AssessError)
    async def _assess_error(request: Request, exc: AssessError) -> Response:
        return input_problem(exc)

    @app.exception_handler(Rejected)
    async def _rejected(request: Request, exc: Rejected) -> Response:
        return problem(exc.status, exc.detail, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = []
        for e in exc.errors():
            path = ".".join(str(x) for x in e["loc"][1:]) or str(e["loc"][0])
            errors.append({"path": path, "expected": e["msg"], "got": _got(e.get("input")),
                           "message": f"{path}: {e['msg']}"})
        return problem(422, "; ".join(x["message"] for x in errors), errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return problem(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:  # a bug: never looks like a result
        logging.getLogger("assess.service").exception("internal error")
        return problem(500, f"internal error: {type(exc).__name__} (this is a bug; please report it)")

    @app.post("/v1/assess", summary="Assess a case 计算案件", responses=ok_json(ResultDocument, "the result"),
              openapi_extra=json_body("Case", EXAMPLE), tags=["case"])
    async def assess(request: Request, on: OnQ = None, today: TodayQ = None, as_of: AsOfQ = None,
                     cost_ratio_threshold: ThresholdQ = None, uncertainty: UncertaintyQ = False, draws: DrawsQ = 10_000,
                     seed: SeedQ = None) -> Response:
        body = await case_of(request)
        options = UncertaintyOptions(draws=draws, seed=seed) if uncertainty else None
        result = await compute(lambda: run_case(body, on=on, today=today, as_of=as_of,
                                                cost_ratio_threshold=cost_ratio_threshold, uncertainty=options).to_dict())
        return json_response(result)

    def procedure(result: Any, part: str) -> dict[str, Any]:
        section = result.routing if part == "routing" else result.deadlines
        return {"schema_version": SCHEMA_VERSION, "tool_version": tool_version(), "parameter_set": parameter_set_version(),
                "case_id": result.case.case_id, "jurisdiction": result.case.jurisdiction,
                "rules_date": result.on.isoformat(), part: section.to_dict(), "trace": section.trace().to_dict()}

    @app.post("/v1/route", summary="Procedural path of a case 程序路径", responses=ok_json(ProcedureDocument),
              openapi_extra=json_body("Case", EXAMPLE), tags=["case"])
    async def route(request: Request, on: OnQ = None, today: TodayQ = None,
                    cost_ratio_threshold: ThresholdQ = None) -> Response:
        body = await case_of(request)
        return json_response(await compute(lambda: procedure(
            run_case(body, on=on, today=today, cost_ratio_threshold=cost_ratio_threshold), "routing")))

    @app.post("/v1/deadlines", summary="Procedural deadlines of a case 程序期限", responses=ok_json(ProcedureDocument),
              openapi_extra=json_body("Case", EXAMPLE), tags=["case"])
    async def deadlines(request: Request, on: OnQ = None, today: TodayQ = None) -> Response:
        body = await case_of(request)
        return json_response(await compute(lambda: procedure(run_case(body, on=on, today=today), "deadlines")))

    @app.post("/v1/schedule", summary="Instalment schedule and statement 分期计划及对账", responses=ok_json(),
              openapi_extra=json_body("Case", "js_liability_instalments.json"), tags=["case"])
    async def schedule(request: Request, on: OnQ = None, as_of: AsOfQ = None) -> Response:
        body = await case_of(request)

        def work() -> dict[str, Any]:
            result = run_case(body, on=on, as_of=as_of)
            if result.schedule is None:
                raise InputError("instalment_plan", "an instalment plan in the case file", "none")
            d = result.to_dict()
            return {"schema_version": SCHEMA_VERSION, "tool_version": d["tool_version"], "parameter_set": d["parameter_set"],
                    "case_id": result.case.case_id, "rules_date": result.on.isoformat(), "schedule": d["schedule"],
                    "warnings": result.warnings}

        return json_response(await compute(work))

    @app.post("/v1/report", summary="Printable case report, HTML or PDF 案件报告",
              responses={**ERRORS, 200: {"description": "the report (as assess report -o FILE.html|pdf)",
                                         "content": {"text/html": {}, "application/pdf": {}}}},
              openapi_extra=json_body("Case", EXAMPLE), tags=["case"])
    async def report(request: Request, format: ReportFormatQ = "html", lang: ReportLangQ = "zh", on: OnQ = None,
                     today: TodayQ = None, cost_ratio_threshold: ThresholdQ = None) -> Response:
        body = await case_of(request)

        def work() -> bytes:
            from assess.reports.printable import report_bytes

            result = run_case(body, on=on, today=today, cost_ratio_threshold=cost_ratio_threshold)
            # the report names its input by the SHA-256 of the request body (the CLI: of the case file)
            return report_bytes(result, format, lang=lang, inputs=[("request body", hashlib.sha256(body).hexdigest())],
                                report_date=today)

        data = await compute(work)
        return Response(data, media_type="application/pdf" if format == "pdf" else "text/html; charset=utf-8")

    @app.post("/v1/check", summary="Check a claim or judgment, with or without the case 核对起诉状、判决书金额",
              responses=ok_json(),
              openapi_extra=json_body("CheckRequest"), tags=["check"])
    async def check_claim(request: Request, on: OnQ = None) -> Response:
        body = await case_of(request)

        def work() -> dict[str, Any]:
            data = parse_json(body, settings)   # the claim's figures exact, as assess check reads a claim file
            if not isinstance(data, dict):
                raise InputError("(body)", "a JSON object with claim (and case)", type(data).__name__)
            unknown = sorted(set(data) - {"case", "claim"})
            if unknown or "claim" not in data:
                raise InputError("(body)", "an object with the fields claim and (optionally) case",
                                 ", ".join(unknown) if unknown else "missing claim")
            claim = claim_from_dict(data["claim"], "claim")
            if data.get("case") is None:
                report = check_claim_only(claim)
            else:
                report = compare(assess_case(parse_case(data["case"]), on=on), claim)
            return {"schema_version": SCHEMA_VERSION, "tool_version": tool_version(), **report.to_dict()}

        return json_response(await compute(work))

    @app.post("/v1/punitive-check", summary="Check a historic punitive award, no case needed 惩罚性赔偿核查",
              responses=ok_json(), openapi_extra=json_body("PunitiveCheckRequest"), tags=["check"])
    async def punitive_check(request: Request) -> Response:
        body = await case_of(request)

        def work() -> dict[str, Any]:
            from assess.law.punitive import check_award
            from factors.money import MAX_AMOUNT, AmountTooLarge, to_fen
            from factors.store import default_store

            data = parse_json(body, settings)
            if not isinstance(data, dict):
                raise InputError("(body)", "a JSON object with base, multiple, date", type(data).__name__)
            unknown = sorted(set(data) - set(PunitiveCheckRequest.model_fields))
            problems = [InputError(k, "no such field (unknown fields are rejected)") for k in unknown]
            problems += [InputError(k, "this required field") for k in ("base", "multiple", "date") if k not in data]
            if problems:
                raise InputError.collect(problems)
            store = default_store()
            jur = str(data.get("jurisdiction", "CN"))
            store.check_jurisdiction(jur, "jurisdiction")
            base_arg, multiple = decimal_field(data["base"], "base"), decimal_field(data["multiple"], "multiple")
            on, today = date_field(data["date"], "date"), date_field(data.get("today"), "today")
            try:
                return check_award(to_fen(base_arg), multiple, on, jur, store, today)
            except AmountTooLarge as exc:
                raise InputError("base" if abs(base_arg) >= MAX_AMOUNT else "multiple",
                                 "a base and multiple whose award is below 10^20 元", f"{exc.amount:.6E} 元") from None

        return json_response(await compute(work))

    @app.post("/v1/batch", summary="Assess many cases: JSON Lines or parquet in, the same out, streamed 批量计算",
              tags=["batch"], responses={**ERRORS, 200: {"description": "one result row per case (assess/app/batch.py "
                                                                      "output columns), in the request's format",
                                                       "content": {t: {} for t in (*JSONL_TYPES[:1], PARQUET_TYPES[0])}}},
              openapi_extra={"requestBody": {"required": True, "content": {
                  JSONL_TYPES[0]: {"schema": {"type": "string", "description": "one JSON object per line: the batch columns"}},
                  PARQUET_TYPES[0]: {"schema": {"type": "string", "format": "binary"}}}}})
    async def batch(request: Request, on: OnQ = None, cost_ratio_threshold: ThresholdQ = None) -> Response:
        from assess.app.batch import assess_frame

        kind = require_type(request, JSONL_TYPES + PARQUET_TYPES)
        body = await request.body()
        # the whole frame (at most max_rows rows) is assessed before the first byte: a frame error is a 422,
        # never a cut-off stream; the rows are then streamed chunk by chunk
        out = await compute(lambda: assess_frame(read_frame(body, kind, settings), on=on,
                                                 cost_ratio_threshold=cost_ratio_threshold))
        return StreamingResponse(stream_batch(out, kind, settings),
                                 media_type=JSONL_TYPES[0] if kind in JSONL_TYPES else PARQUET_TYPES[0])

    @app.get("/v1/params", summary="Parameters in force for a jurisdiction and date 参数及出处",
             responses=ok_json(ParamsDocument), tags=["rules"])
    async def params(jurisdiction: JurisdictionQ = "CN", on: DateQ = None) -> Response:
        return json_response(await compute(lambda: parameters_in_force(jurisdiction, on or date.today(), "jurisdiction")[0]))

    @app.get("/v1/schema/case", summary="JSON Schema of a case 案件格式", tags=["contract"])
    async def schema_case() -> Response:
        return json_response(case_json_schema())

    @app.get("/v1/schema/result", summary="JSON Schema of a result 结果格式", tags=["contract"])
    async def schema_result() -> Response:
        return json_response(result_json_schema())

    @app.get("/v1/health", summary="Liveness 健康检查", tags=["service"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/version", summary="Tool, contract and parameter-set versions 版本", response_model=VersionDocument,
             tags=["service"])
    async def version() -> VersionDocument:
        return VersionDocument(tool_version=tool_version(), schema_version=SCHEMA_VERSION,
                               parameter_set=parameter_set_version())

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            components = doc.setdefault("components", {}).setdefault("schemas", {})
            for name, model in BODY_MODELS.items():
                schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                for sub, s in {**schema.pop("$defs", {}), name: schema}.items():
                    if sub in components and components[sub] != s:
                        raise RuntimeError(f"OpenAPI: two different schemas named {sub}")
                    components[sub] = s
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    outer: Any = app
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        outer = CORSMiddleware(outer, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                               allow_headers=["Authorization", "Content-Type"])
    return Gate(outer, settings, tokens)


def decimal_field(value: Any, name: str) -> Decimal:
    """A non-negative decimal of a request: the input vocabulary's decimal (exact; no 1_000, NaN, 1E+1000000)."""
    try:
        d = vocabulary.to_decimal(value)
    except vocabulary.Refused:
        d = None
    if d is None or d < 0:
        raise InputError(name, "a finite non-negative decimal number (as a string)", _got(value))
    return d


def date_field(value: Any, name: str) -> date | None:
    if value is None:
        return None
    try:
        return vocabulary.to_date(value)   # the input vocabulary's date: YYYY-MM-DD exactly, never a number
    except vocabulary.Refused:
        raise InputError(name, "a date as YYYY-MM-DD", _got(value)) from None


# -- batch ---------------------------------------------------------------------------------------------


def not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def parse_line(line: bytes, settings: Settings, where: str) -> Any:
    """One JSON Lines row with every number kept as the text typed (as a CSV cell read by ``assess batch``)."""
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(where, "a UTF-8 JSON line") from None
    check_depth(text, settings, where)
    try:
        return json.loads(text, parse_float=str, parse_int=str, parse_constant=not_json)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}:{exc.lineno}:{exc.colno}", f"valid JSON ({exc.msg})") from None
    except ValueError as exc:  # NaN / Infinity
        raise InputError(where, "valid JSON", str(exc)) from None


def read_frame(body: bytes, kind: str, settings: Settings) -> Any:
    """The batch frame of a JSON Lines or parquet body, within the row limit.

    JSON Lines: every value is kept as text (numbers as typed, never through a float; true/false as
    ``true``/``false``), a key missing from a line is an empty cell, as in a CSV read by ``assess batch``."""
    import pandas as pd

    from assess.app.batch import check_frame

    if kind in PARQUET_TYPES:
        try:
            df = pd.read_parquet(io.BytesIO(body))
        except Exception as exc:  # noqa: BLE001 - pyarrow raises many types for a bad file
            raise InputError("(body)", "a readable parquet file", f"{type(exc).__name__}: {exc}") from None
    else:
        rows = []
        for n, line in enumerate(body.splitlines(), 1):
            if not line.strip():
                continue
            if len(rows) >= settings.max_rows:
                raise Rejected(413, f"at most {settings.max_rows} rows per batch request")
            row = parse_line(line, settings, f"line {n}")
            if not isinstance(row, dict):
                raise InputError(f"line {n}", "a JSON object (one case per line)", type(row).__name__)
            rows.append({k: (v if v is None or isinstance(v, str) else json.dumps(v)) for k, v in row.items()})
        names = list(dict.fromkeys(k for row in rows for k in row))
        df = pd.DataFrame({k: pd.Series([row.get(k) for row in rows], dtype=object) for k in names})
        if not rows:
            df = pd.DataFrame({k: pd.Series([], dtype=object) for k in ("case_id", "jurisdiction", "incident")})
    if len(df) > settings.max_rows:
        raise Rejected(413, f"at most {settings.max_rows} rows per batch request, got {len(df)}")
    df.columns = [str(c) for c in df.columns]
    check_frame(df)
    return df


async def stream_batch(out: Any, kind: str, settings: Settings) -> AsyncIterator[bytes]:
    """The result rows, ``settings.batch_chunk`` at a time (a parquet row group or a run of JSON lines each)."""
    chunk = settings.batch_chunk
    if kind in PARQUET_TYPES:
        import pyarrow as pa
        import pyarrow.parquet as pq

        sink = io.BytesIO()
        table = pa.Table.from_pandas(out, preserve_index=False)
        with pq.ParquetWriter(sink, table.schema) as writer:
            for lo in range(0, max(len(out), 1), chunk):
                writer.write_table(table.slice(lo, chunk))
                yield _drain(sink)
        yield _drain(sink)
        return
    out = out.astype({"rules_date": "string"})
    out["rules_date"] = out["rules_date"].str.slice(0, 10)
    for lo in range(0, len(out), chunk):
        text = out.iloc[lo:lo + chunk].to_json(orient="records", lines=True, force_ascii=False)
        yield (text if text.endswith("\n") else text + "\n").encode()


def _drain(sink: io.BytesIO) -> bytes:
    data = sink.getvalue()
    sink.seek(0)
    sink.truncate()
    return data


# -- starting the server ---------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_from_env() -> Any:
    """The application of a worker process (``uvicorn --factory``): settings from ``ASSESS_SERVE_SETTINGS``."""
    return create_app(Settings(**json.loads(os.environ.get(SETTINGS_ENV, "{}"))))


def serve(args: Any) -> int:
    """``assess serve``: check the options, refuse an unauthenticated public host, run uvicorn."""
    import uvicorn

    settings = Settings()
    for name in ("max_body", "max_depth", "max_rows", "timeout", "threads"):
        value = getattr(args, name.replace("-", "_"), None)
        if value is not None:
            setattr(settings, name, value)
    if not math.isfinite(settings.timeout) or settings.timeout <= 0:
        raise InputError("--timeout", "a positive number of seconds", settings.timeout)
    settings.token_file = args.token_file
    settings.cors_origins = list(args.cors_origin or [])
    tokens = load_tokens(settings.token_file)
    if not tokens and not is_loopback(args.host) and not args.insecure_no_auth:
        raise InputError("--host", "a loopback address (127.0.0.1, ::1, localhost) unless bearer tokens are configured "
                         f"(--token-file or {TOKENS_ENV}) or --insecure-no-auth is given", args.host)
    if not 0 < args.port < 65536:
        raise InputError("--port", "a port number 1–65535", args.port)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr, format="%(asctime)s %(name)s %(message)s")
    auth = "bearer token" if tokens else "none"
    print(f"assess {tool_version()} serving on http://{args.host}:{args.port}/v1/ (OpenAPI /openapi.json; auth: {auth}; "
          f"workers: {args.workers})", file=sys.stderr, flush=True)
    common = dict(host=args.host, port=args.port, log_level=args.log_level, access_log=False, server_header=False)
    if args.workers > 1:
        os.environ[SETTINGS_ENV] = json.dumps(asdict(settings))
        uvicorn.run("assess.app.service:app_from_env", factory=True, workers=args.workers, **common)
    else:
        uvicorn.run(create_app(settings), **common)
    return 0


__all__ = ["Settings", "create_app", "app_from_env", "serve", "Problem", "CheckRequest", "PunitiveCheckRequest"]
