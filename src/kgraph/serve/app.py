"""The Starlette application: the routes, authentication, security headers and JSON errors.

=================================  =========================================================================
``GET /``                          the viewer of the whole graph (``/index.html`` lists the focused views)
``GET, POST /sparql``              the SPARQL 1.1 Protocol query service, read-only; without a query (GET), its
                                   service description
``GET /queries``                   the saved queries, as JSON
``GET /queries/NAME?param=value``  run a saved query; JSON, CSV, TSV or XML (``Accept``, or ``?format=csv``)
``GET /health``                    ``{"status": "ok", ...}``; never needs a password
=================================  =========================================================================

Every error is JSON, ``{"status": 403, "error": "forbidden", "message": "..."}``, with the status that fits; an
unexpected one is logged with its traceback on the server and reaches the client as a plain 500, without it.

An answer of ``/sparql`` or ``/queries/NAME`` whose query ``kgraph query`` would warn of (a column its pattern never
mentions, a ``kg:`` name the graph holds nowhere) carries a ``KGraph-Warning`` header for each warning, the body
being the standard one: SPARQL clients pass over a header they do not know.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kgraph.serve import negotiate, protocol
from kgraph.serve.protocol import Params, Problem, bad_request, forbidden, media_type, parse_params
from kgraph.serve.service import Reply, Service
from kgraph.serve.settings import Settings

log = logging.getLogger("kgraph.serve")

#: The viewer page at ``/``.
MAIN_PAGE = "graph.html"
#: Parameters that choose the format rather than bind a variable.
FORMAT_PARAMETERS = ("format", "output")
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
#: The header that carries each warning of a query (see :func:`warning_headers`).
WARNING_HEADER = "KGraph-Warning"
#: Warnings sent at most (then one that says how many more were left out): Python's http.client, under
#: SPARQLWrapper and rdflib's SPARQLStore, refuses an answer of more than 100 headers.
MAX_WARNINGS = 10
#: Characters of a warning sent at most (http.client refuses a header line of more than 64 KiB).
MAX_WARNING_LENGTH = 1_000


def create_app(service: Service) -> Starlette:
    """The ASGI application serving ``service``."""
    settings = service.settings
    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Authorization", "Content-Type"],
                expose_headers=[WARNING_HEADER],  # for a page's script to read
                max_age=600,
            )
        )
    middleware.append(Middleware(Guard, settings=settings))
    app = Starlette(
        routes=[
            Route("/", _viewer, methods=["GET"]),
            Route("/sparql", _sparql, methods=["GET", "POST"]),
            Route("/queries", _catalogue, methods=["GET"]),
            Route("/queries/{name}", _saved, methods=["GET"]),
            Route("/health", _health, methods=["GET"]),
            Route("/{page}", _viewer, methods=["GET"]),
        ],
        middleware=middleware,
        exception_handlers={
            Problem: _problem,  # type: ignore[dict-item]
            HTTPException: _http_exception,  # type: ignore[dict-item]
            Exception: _internal_error,
        },
    )
    app.state.service = service
    return app


# ------------------------------------------------------------------------------------------ routes


async def _sparql(request: Request) -> Response:
    service = _service(request)
    limit = service.settings.max_body
    params = parse_params(request.scope.get("query_string", b""), "URL", limit)
    text: str | None = None
    if request.method == "POST":
        content_type = request.headers.get("content-type")
        kind = media_type(content_type)
        if kind == protocol.SPARQL_UPDATE:
            raise forbidden("this server is read-only: it refuses SPARQL updates")
        _check_charset(content_type)
        if kind not in (protocol.FORM, protocol.SPARQL_QUERY):
            raise Problem(
                415,
                "unsupported-media-type",
                f"Content-Type {kind or '(none)'} is not a query; POST {protocol.FORM} with query=... or "
                f"{protocol.SPARQL_QUERY} with the query as the body",
            )
        body = await protocol.read_body(
            request.stream(), request.headers.get("content-length"), limit, service.settings.body_timeout
        )
        if kind == protocol.FORM:
            params = params.merged(parse_params(body, "request body", limit))
        else:
            if params.all("query"):
                raise bad_request("the query is both in the body and in the URL; send it once")
            text = protocol.decode_text(body, "query")
    if params.all("update"):
        raise forbidden("this server is read-only: it refuses SPARQL updates (update=...)")
    if text is None:
        text = params.one("query")
    if text is None and request.method in ("GET", "HEAD") and set(params.values) <= set(FORMAT_PARAMETERS):
        # SPARQL 1.1 Service Description, 2: the endpoint, asked without a query, describes itself
        accept = request.headers.get("accept")
        return _reply(await run_in_threadpool(service.description, _endpoint_url(request), accept, _requested(params)))
    if text is None:
        raise bad_request(
            "no query: send it as /sparql?query=..., as query=... in a POST form, or as the body of a POST with "
            f"Content-Type: {protocol.SPARQL_QUERY}"
        )
    reply = await run_in_threadpool(
        service.sparql,
        text,
        default_graphs=params.all("default-graph-uri"),
        named_graphs=params.all("named-graph-uri"),
        accept=request.headers.get("accept"),
        requested=_requested(params),
        base=_endpoint_url(request),
    )
    return _reply(reply)


def _endpoint_url(request: Request) -> str:
    """The URL the request was sent to, without its query: what a query's relative IRIs are resolved against
    where it declares no BASE (SPARQL 1.1 Query, 4.1.1.1; RFC 3986, 5.1.3: the URI the query was retrieved
    from), as Oxigraph's server resolves them."""
    return str(request.url.replace(query="", fragment=""))


async def _saved(request: Request) -> Response:
    service = _service(request)
    params = parse_params(request.scope.get("query_string", b""), "URL", service.settings.max_body)
    name = request.path_params["name"]
    saved = service.saved.get(name)
    declared = {p.name for p in saved.params} if saved is not None else set()
    given = {key: params.one(key) or "" for key in params.values if key not in FORMAT_PARAMETERS or key in declared}
    requested = [] if declared & set(FORMAT_PARAMETERS) else _requested(params)
    reply = await run_in_threadpool(
        service.saved_query,
        name,
        given,
        request.headers.get("accept"),
        requested,
        language=negotiate.preferred_language(request.headers.get("accept-language")),
    )
    return _reply(reply)


async def _catalogue(request: Request) -> Response:
    service = _service(request)
    # the first request for a graph looks up the examples' names (see Service.catalogue), off the event loop
    return _json(await run_in_threadpool(service.catalogue, str(request.base_url).rstrip("/")))


async def _health(request: Request) -> Response:
    return _json(_service(request).health())


async def _viewer(request: Request) -> Response:
    name = request.path_params.get("page", MAIN_PAGE)
    page = await run_in_threadpool(_service(request).page, name) if name.endswith(".html") else None
    if page is None:
        raise Problem(404, "not-found", f"nothing at /{name}; the viewer is at /, SPARQL at /sparql")
    return HTMLResponse(page)


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _requested(params: Params) -> list[str]:
    return [value for name in FORMAT_PARAMETERS for value in params.all(name)]


def _check_charset(content_type: str | None) -> None:
    for param in (content_type or "").split(";")[1:]:
        name, _equals, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8", "us-ascii"):
            raise Problem(415, "unsupported-media-type", f"charset {value.strip()} is not supported; send UTF-8")


def _reply(reply: Reply) -> Response:
    headers = {"Vary": "Accept", **(reply.headers or {})}
    response = Response(reply.body, media_type=reply.content_type, headers=headers)
    for value in warning_headers(reply.warnings):
        response.headers.append(WARNING_HEADER, value)
    return response


def warning_headers(warnings: Sequence[str]) -> list[str]:
    """The values of the ``KGraph-Warning`` headers of ``warnings``: printable ASCII, each other character (and
    ``%``) percent-encoded as UTF-8, which ``urllib.parse.unquote`` decodes; at most :data:`MAX_WARNINGS`, then
    one that says how many more there were, each cut at :data:`MAX_WARNING_LENGTH` characters."""
    said = [w if len(w) <= MAX_WARNING_LENGTH else w[: MAX_WARNING_LENGTH - 3] + "..." for w in warnings]
    if len(said) > MAX_WARNINGS:
        more = len(said) - MAX_WARNINGS
        said = [*said[:MAX_WARNINGS], f"{more} more warning{'s' if more > 1 else ''} left out"]
    return [
        "".join(c if " " <= c <= "~" and c != "%" else quote(c, safe="", errors="replace") for c in text)
        for text in said
    ]


def _json(content: object, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    body = json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    return Response(body, status, headers=dict(headers or {}), media_type="application/json")


# ------------------------------------------------------------------------------------------ errors


async def _problem(request: Request, problem: Problem) -> Response:
    headers = dict(problem.headers)
    if request.url.path == "/sparql" or request.url.path.startswith("/queries/"):
        # what these answer, a 406 above all, depends on Accept (RFC 9110, 12.5.5): a cache must not give one
        # client's refusal to another; a saved query's names that match nothing or several are told in the
        # language Accept-Language prefers
        headers["Vary"] = "Accept, Accept-Language" if request.url.path.startswith("/queries/") else "Accept"
    return _json(problem.body(), problem.status, headers)


async def _http_exception(request: Request, error: HTTPException) -> Response:
    codes = {404: "not-found", 405: "method-not-allowed"}
    messages = {
        404: "nothing here; the viewer is at /, SPARQL at /sparql, the saved queries at /queries",
        405: "this method is not allowed here; /sparql takes GET and POST, everything else GET",
    }
    status = error.status_code
    code, message = codes.get(status, "error"), messages.get(status, str(error.detail))
    headers = dict(error.headers or {})
    if "Allow" in headers:  # Starlette lists a route's methods from a set: in another order in each process
        headers["Allow"] = ", ".join(sorted(m.strip() for m in headers["Allow"].split(",")))
    # through _problem: a 405 of /sparql or /queries/NAME says Vary as their every other answer does
    return await _problem(request, Problem(status, code, message, headers))


async def _internal_error(_request: Request, _error: Exception) -> Response:
    # Starlette logs the exception with its traceback (on the server's standard error) after this answer is sent.
    body = {"status": 500, "error": "internal", "message": "the server failed to answer; its log says why"}
    return _json(body, 500)


# ------------------------------------------------------------------------------------------ the guard


class Guard:
    """Pure ASGI middleware in front of every route: the Host check, authentication and security headers.

    - On loopback, a request must name this machine in its ``Host`` header (127.0.0.1, localhost, [::1]): a web
      page elsewhere cannot use DNS rebinding to make a browser query the server.
    - With credentials, every request but ``/health`` needs them (HTTP basic), compared in constant time.
    - Every response says ``nosniff``, no referrer, no framing; all but the viewer's pages (which carry their own
      Content Security Policy) forbid every active content.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.hosts = _LOOPBACK_HOSTS | {settings.host.lower()}
        creds = settings.credentials
        self.expected = f"{creds.user}:{creds.password}".encode() if creds is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _send_json(send, refusal)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = _security_headers(message)
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, secured)

    def _refusal(self, scope: Scope, headers: Mapping[str, str]) -> Problem | None:
        if self.settings.loopback:
            host = headers.get("host", "")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if host and name.lower() not in self.hosts:
                return Problem(
                    421, "misdirected", f"Host {host!r} is not this server, which answers on this machine only"
                )
        if self.expected is not None and scope.get("path") != "/health" and not self._authorized(headers):
            return Problem(
                401,
                "unauthorized",
                "this server needs a user name and password (HTTP basic authentication)",
                {"WWW-Authenticate": 'Basic realm="kgraph", charset="UTF-8"'},
            )
        return None

    def _authorized(self, headers: Mapping[str, str]) -> bool:
        scheme, _space, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic" or self.expected is None:
            return False
        try:
            given = base64.b64decode(token.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        return hmac.compare_digest(given, self.expected)


def _security_headers(message: Message) -> list[tuple[bytes, bytes]]:
    sent = {k.lower(): v for k, v in message.get("headers", [])}
    html = sent.get(b"content-type", b"").startswith(b"text/html")
    policy = b"frame-ancestors 'none'" if html else b"default-src 'none'; frame-ancestors 'none'"
    return [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"content-security-policy", policy),
    ]


async def _send_json(send: Send, problem: Problem) -> None:
    body = json.dumps(problem.body(), ensure_ascii=False).encode("utf-8") + b"\n"
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in problem.headers.items()),
    ]
    start: dict[str, Any] = {"type": "http.response.start", "status": problem.status, "headers": headers}
    start["headers"] = [*headers, *_security_headers(start)]
    await send(start)
    await send({"type": "http.response.body", "body": body})
