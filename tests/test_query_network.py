"""The network: what kgraph query refuses to fetch (proven with a local HTTP server that records every request),
what it fetches when allowed, and --endpoint against a recording server and against a real Oxigraph server.

Every server here listens on 127.0.0.1 on a free port, is started by the test that needs it and stopped after.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.plugins.sparql.evaluate import evalQuery

from conftest import PREFIXES, QuietHandler, assert_refused_url, local_server, saved_answers
from kgraph._compat import quiet_rdflib
from kgraph.cli import cli
from kgraph.errors import NotFoundError, QueryTimeout
from kgraph.export import rdf
from kgraph.query import engine, library, parse, remote, safety
from kgraph.query.params import RemoteResolver, parse_assignments
from kgraph.store import load

SPARQL_JSON = {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "from far away"}}]}}
TURTLE = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)


# ------------------------------------------------------------------------------------------ a recording server


@dataclass
class Recorder:
    """A local HTTP server that records each request and answers by path."""

    url: str
    requests: list[dict[str, object]] = field(default_factory=list)
    delay: float = 0.0
    #: Set when the test is over: a request still waiting out ``delay`` then ends unanswered, with no error from a
    #: write to a client long gone.
    closed: threading.Event = field(default_factory=threading.Event)
    #: Answers by path, as media type and body, before the ones by path below.
    canned: dict[str, tuple[str, bytes]] = field(default_factory=dict)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    record = Recorder("")

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            self._answer(b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._answer(self.rfile.read(length))

        def _answer(self, body: bytes) -> None:
            record.requests.append(
                {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body.decode()}
            )
            if record.delay and record.closed.wait(record.delay):
                return
            if self.path in record.canned:
                self._send(200, *record.canned[self.path])
            elif self.path.startswith("/error"):
                self._send(400, "text/plain", b"Parse error: unexpected token at line 1")
            elif self.path.startswith("/moved"):  # http -> https in front of a store, say
                self.send_response(301)
                self.send_header("Location", record.url + "/sparql")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path.startswith("/cut"):  # an answer cut short: 8 of the 1,000 bytes announced
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b'{"head":')
                self.close_connection = True
            elif self.path.startswith("/login") and "Authorization" not in self.headers:
                self._send(401, "text/plain", b"who are you?")
            elif self.path.startswith("/html"):
                self._send(200, "text/html", b"<html>not SPARQL</html>")
            elif self.path.endswith(".ttl"):
                self._send(200, "text/turtle", TURTLE)
            elif "ASK" in parse_qs(body.decode()).get("query", [""])[0]:
                self._send(200, "application/sparql-results+json", b'{"head": {}, "boolean": true}')
            else:
                self._send(200, "application/sparql-results+json", json.dumps(SPARQL_JSON).encode())

        def _send(self, status: int, content_type: str, content: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

    with local_server(Handler) as url:
        record.url = url
        try:
            yield record
        finally:
            record.closed.set()


# ------------------------------------------------------------------------------------------ refused by default


def _fetching_queries(url: str) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?x ?p ?o }} }}", ()),
        (f"SELECT * WHERE {{ ?s a kg:Chip . FILTER EXISTS {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }} }}", ()),
        (f"SELECT * WHERE {{ {{ SELECT ?x WHERE {{ SERVICE <{url}/sparql> {{ ?x ?p ?o }} }} }} }}", ()),
        (f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", ()),  # noqa: S608 - SPARQL, not SQL
        (f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", ()),  # noqa: S608
        (f"LOAD <{url}/data.ttl>", ("--update",)),
        (f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <http://example.org/g>", ("--update",)),
        (f"DELETE {{ ?s ?p ?o }} USING <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", ("--update",)),
        (f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", ("--update",)),
    ]


@pytest.mark.parametrize("index", range(9))
def test_nothing_reaches_the_network_by_default(recorder, index):
    text, options = _fetching_queries(recorder.url)[index]
    result = run("query", *options, text)
    assert result.exit_code == 2, result.output
    assert "--allow-network" in result.stderr
    assert recorder.url in result.stderr
    assert recorder.requests == []


def test_with_allow_network_the_same_queries_do_reach_it(recorder):
    """The control: the recording server does see requests when they are allowed, so its silence above counts."""
    service = run(
        "query",
        "--allow-network",
        "--format",
        "tsv",
        f"SELECT ?x WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?x ?p ?o }} }}",
    )
    assert service.exit_code == 0, service.output
    assert service.stdout == '?x\n"from far away"\n'
    assert recorder.requests[-1]["path"] == "/sparql"
    assert "SELECT" in str(recorder.requests[-1]["body"])
    remote_from = run(
        "query",
        "--allow-network",
        "--format",
        "tsv",
        f"SELECT ?o FROM <{recorder.url}/data.ttl> WHERE {{ ?s ?p ?o }}",  # noqa: S608 - SPARQL, not SQL
    )
    assert remote_from.exit_code == 0, remote_from.output
    assert remote_from.stdout == "?o\n<http://example.org/c>\n"
    assert recorder.requests[-1]["path"] == "/data.ttl"
    loaded = run("query", "--update", "--allow-network", "--format", "nt", f"LOAD <{recorder.url}/data.ttl>")
    assert loaded.exit_code == 0, loaded.output
    assert "<http://example.org/a> <http://example.org/b> <http://example.org/c> ." in loaded.stdout


def test_on_a_store_a_from_it_does_not_hold_is_fetched_with_allow_network_as_in_memory(recorder, tmp_path):
    """A store runs a FROM of its own graphs in Oxigraph; one it does not hold is left to rdflib, which fetches it
    when --allow-network allows (Oxigraph would have taken it for an empty graph of the store, and answered
    nothing)."""
    from kgraph import persist  # noqa: PLC0415 - pyoxigraph only for a store

    store = tmp_path / "kgraph-store"
    persist.build(store)
    text = f"SELECT ?o FROM <{recorder.url}/data.ttl> WHERE {{ ?s ?p ?o }}"  # noqa: S608 - SPARQL, not SQL
    remote_from = run("--store", str(store), "query", "--allow-network", "--format", "tsv", text)
    assert remote_from.exit_code == 0, remote_from.output
    assert remote_from.stdout == "?o\n<http://example.org/c>\n"
    assert recorder.requests[-1]["path"] == "/data.ttl"


def test_local_files_are_never_read(tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_bytes(TURTLE)
    for text, options in (
        (f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}", ()),  # noqa: S608 - SPARQL, not SQL
        (f"LOAD <{secret.as_uri()}>", ("--update",)),
        (f"BASE <{tmp_path.as_uri()}/> SELECT * FROM <secret.ttl> WHERE {{ ?s ?p ?o }}", ()),  # noqa: S608
    ):
        result = run("query", "--allow-network", *options, text)
        assert result.exit_code == 2, result.output
        assert "kgraph never reads local files from a query" in result.stderr
        assert "example.org" not in result.stdout
    relative = run("query", "--allow-network", "SELECT * FROM <secret.ttl> WHERE { ?s ?p ?o }")
    assert relative.exit_code == 2, relative.output
    assert "<secret.ttl> is a relative IRI, and the query has no BASE" in relative.stderr


@pytest.mark.parametrize("on_store", [False, True], ids=["in memory", "on a store"])
@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_rdflibs_name_for_the_default_graph_is_no_graph_of_the_data(tmp_path, on_store, clause):
    """Regression: rdflib lists its name for a dataset's default graph, urn:x-rdflib:default, among the dataset's
    graphs, so a FROM of it passed the check: in memory rdflib then tried to fetch it, which the network guard
    stopped ("the query tried to reach the network (urllib.Request: urn:x-rdflib:default GET) ..."), and a store
    read an empty graph (0 rows, exit 0). It is refused as any other graph the data does not hold."""
    store: tuple[str, ...] = ()
    if on_store:
        from kgraph import persist  # noqa: PLC0415 - pyoxigraph only for a store

        persist.build(tmp_path / "kgraph-store")
        store = ("--store", str(tmp_path / "kgraph-store"))
    text = f"SELECT * {clause} <urn:x-rdflib:default> WHERE {{ ?s ?p ?o }} LIMIT 1"
    result = run(*store, "query", text)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        f"Error: {clause} <urn:x-rdflib:default> would read 'urn:x-rdflib:default', which is not a graph of the "
        "loaded data"
    ), result.stderr
    assert "reach the network" not in result.stderr and result.stdout == ""


def test_the_guard_stops_what_the_check_would_miss(recorder, loaded):
    """Evaluate a SERVICE query with rdflib directly, skipping the check: the audit hook still stops it."""
    parsed = parse(f"SELECT * WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?x ?p ?o }} }}")
    with safety.network_guard() as record, quiet_rdflib(), pytest.raises(safety.NetworkBlocked):
        list(evalQuery(loaded.dataset, parsed.algebra, {})["bindings"])
    assert record.attempts and record.attempts[0].startswith("urllib.Request: ")
    with safety.network_guard() as record, pytest.raises(safety.NetworkBlocked):
        socket.create_connection(("127.0.0.1", int(recorder.url.rsplit(":", 1)[1])), timeout=2)
    assert recorder.requests == []


def test_the_guard_is_per_thread(recorder):
    answers: list[int] = []

    def fetch() -> None:
        with urllib.request.urlopen(f"{recorder.url}/sparql", timeout=5) as response:  # noqa: S310 - our own server
            answers.append(response.status)

    with safety.network_guard():
        other = threading.Thread(target=fetch)
        other.start()
        other.join(10)
    assert answers == [200]
    assert len(recorder.requests) == 1


# ------------------------------------------------------------------------------------------ --endpoint, recorded


def test_endpoint_gets_a_protocol_request_with_prefixes_and_values(recorder):
    result = run(
        "queries", "run", "customers-of", "--endpoint", f"{recorder.url}/sparql",
        "--param", "product=kgr:amazon-bedrock", "--format", "tsv",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == '?x\n"from far away"\n'
    _exists, query = recorder.requests  # the IRI is checked at the endpoint, then the query is sent
    assert query["method"] == "POST"
    headers = query["headers"]
    assert headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert headers["Accept"].startswith("application/sparql-results+json")
    text = parse_qs(query["body"])["query"][0]
    assert "PREFIX kgr: <https://w3id.org/kgraph/resource/>" in text
    assert "WHERE { VALUES (?product) { (<https://w3id.org/kgraph/resource/amazon-bedrock>) }" in text
    parse(text)  # what was sent is valid SPARQL
    assert "Authorization" not in headers


def test_endpoint_basic_auth_comes_from_an_environment_variable(recorder):
    url = f"{recorder.url}/login"
    refused = run("query", "--endpoint", url, "SELECT * WHERE { ?s ?p ?o }")
    assert refused.exit_code == 3
    assert "HTTP 401" in refused.stderr and "set $KGRAPH_ENDPOINT_AUTH to user:password" in refused.stderr
    allowed = run("query", "--endpoint", url, "SELECT * WHERE { ?s ?p ?o }", env={"KGRAPH_ENDPOINT_AUTH": "ann:s3cret"})
    assert allowed.exit_code == 0, allowed.output
    assert recorder.requests[-1]["headers"]["Authorization"] == "Basic YW5uOnMzY3JldA=="
    other = run("query", "--endpoint", url, "--auth-env", "MY_AUTH", "ASK {}", env={"MY_AUTH": "bob:pw"})
    assert (other.exit_code, other.stdout) == (0, "yes\n")
    assert recorder.requests[-1]["headers"]["Authorization"] == "Basic Ym9iOnB3"
    bad = run("query", "--endpoint", url, "ASK {}", env={"KGRAPH_ENDPOINT_AUTH": "no-colon"})
    assert bad.exit_code == 2
    assert "must hold user:password" in bad.stderr


def test_a_named_login_variable_that_is_unset_is_warned_of(recorder, monkeypatch):
    """--auth-env MY_AUTH with MY_AUTH not exported sent the query without a login without a word: the user learnt
    of it from the store's 401 at best. The default variable unset means no login, as the help says: no warning."""
    monkeypatch.delenv("MY_AUTH", raising=False)
    monkeypatch.delenv("KGRAPH_ENDPOINT_AUTH", raising=False)
    url = f"{recorder.url}/login"
    named = run("query", "--endpoint", url, "--auth-env", "MY_AUTH", "ASK {}")
    assert named.exit_code == 3
    warning, error = named.stderr.splitlines()
    assert warning == f"warning: $MY_AUTH (--auth-env) is not set: asking {url} without a login"
    assert "HTTP 401" in error and "set $MY_AUTH to user:password" in error
    assert "Authorization" not in recorder.requests[-1]["headers"]
    empty = run("query", "--endpoint", url, "--auth-env", "MY_AUTH", "ASK {}", env={"MY_AUTH": ""})
    assert empty.stderr.startswith("warning: $MY_AUTH (--auth-env) is not set")
    plain = run("query", "--endpoint", f"{recorder.url}/sparql", "ASK {}")
    assert (plain.exit_code, "warning" in plain.stderr) == (0, False)
    given = run("query", "--endpoint", url, "--auth-env", "MY_AUTH", "ASK {}", env={"MY_AUTH": "bob:pw"})
    assert (given.exit_code, "warning" in given.stderr) == (0, False)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/error", "answered HTTP 400 Bad Request: Parse error: unexpected token at line 1"),
        ("/html", "sent back text/html; kgraph reads"),
    ],
)
def test_endpoint_errors_exit_3(recorder, path, message):
    result = run("query", "--endpoint", f"{recorder.url}{path}", "SELECT * WHERE { ?s ?p ?o }")
    assert result.exit_code == 3
    assert message in result.stderr


def test_a_redirect_is_not_followed_and_the_login_stays_with_the_endpoint(recorder):
    """urllib followed a 301 with the Authorization header to wherever it pointed, and turned a POST into a GET
    without its body: `kgraph push` through a redirect reported triples added that the store never had."""
    env = {"KGRAPH_ENDPOINT_AUTH": "alice:s3cret"}
    result = run("query", "--endpoint", f"{recorder.url}/moved", "ASK { ?s ?p ?o }", env=env)
    assert result.exit_code == 3, result.output
    assert f"answered HTTP 301 Moved Permanently; it redirects to {recorder.url}/sparql, which kgraph does not " in (
        result.stderr
    )
    assert [r["path"] for r in recorder.requests] == ["/moved"]
    pushed = run("push", "--endpoint", f"{recorder.url}/moved", "--graph", "urn:kg", env=env)
    assert pushed.exit_code == 3, pushed.output
    assert "answered HTTP 301 Moved Permanently; it redirects to" in pushed.stderr
    assert [r["path"] for r in recorder.requests] == ["/moved", "/moved?graph=urn%3Akg"]


def test_an_answer_cut_short_or_in_a_format_kgraph_did_not_ask_for_exits_3(recorder):
    """An answer shorter than its Content-Length was an IncompleteRead traceback (exit 1, which means "no"); a
    saved query's look-up of a name parsed whatever came back as JSON (a login page: a JSONDecodeError)."""
    cut = run("query", "--endpoint", f"{recorder.url}/cut", "ASK { ?s ?p ?o }")
    assert cut.exit_code == 3 and "sent back a broken answer" in cut.stderr, cut.output
    pushed = run("push", "--endpoint", f"{recorder.url}/cut", "--graph", "urn:kg")
    assert pushed.exit_code == 3 and "sent back a broken answer" in pushed.stderr, pushed.output
    saved = run("queries", "run", "succession", "--param", "product=Trainium3", "--endpoint", f"{recorder.url}/html")
    assert saved.exit_code == 3 and "sent back text/html; kgraph reads" in saved.stderr, saved.output


_XML_ASK = '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>{}</sparql>'


@pytest.mark.parametrize(
    ("content_type", "body", "said"),
    [
        ("application/sparql-results+json", '{"head": {}, "boolean": "false"}', 'its "boolean" is "false", not'),
        ("application/sparql-results+json", '{"head": {}, "boolean": "maybe"}', 'its "boolean" is "maybe", not'),
        ("application/sparql-results+json", '{"head": {}, "boolean": 1}', 'its "boolean" is 1, not true or false'),
        ("application/sparql-results+xml", _XML_ASK.format("<boolean>nope</boolean>"), "its <boolean> holds 'nope'"),
        ("application/sparql-results+xml", _XML_ASK.format("<boolean>yes</boolean>"), "its <boolean> holds 'yes'"),
    ],
)
def test_an_ask_answer_neither_true_nor_false_does_not_parse(recorder, content_type, body, said):
    """rdflib took any JSON "boolean" but false, 0, "" or null for yes (the string "false" too), and any XML
    <boolean> but true for no: a malformed answer read as one."""
    recorder.canned["/ask"] = (content_type, body.encode())
    result = run("query", "--endpoint", f"{recorder.url}/ask", "ASK { ?s ?p ?o }")
    assert result.exit_code == 3, result.output
    assert f"/ask sent back {content_type} that does not parse ({said}" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("content_type", "body", "answer"),
    [
        ("application/sparql-results+json", '{"head": {}, "boolean": true}', "yes"),
        ("application/sparql-results+json", '{"head": {}, "boolean": false}', "no"),
        ("application/sparql-results+xml", _XML_ASK.format("<boolean>true</boolean>"), "yes"),
        ("application/sparql-results+xml", _XML_ASK.format("<boolean> false\n</boolean>"), "no"),
        ("application/sparql-results+xml", _XML_ASK.format("<boolean>1</boolean>"), "yes"),  # xsd:boolean
        ("application/sparql-results+xml", _XML_ASK.format("<boolean>0</boolean>"), "no"),
    ],
)
def test_an_ask_answer_of_true_or_false_is_read_as_it_says(recorder, content_type, body, answer):
    recorder.canned["/ask"] = (content_type, body.encode())
    result = run("query", "--endpoint", f"{recorder.url}/ask", "ASK { ?s ?p ?o }")
    assert (result.exit_code, result.stdout) == (0 if answer == "yes" else 1, answer + "\n"), result.output


def test_a_param_an_endpoint_could_not_bind_is_refused_before_sending(recorder):
    """--param e=Trainium3 for a ?e used only inside a sub-SELECT that does not return it: the VALUES block
    opening the WHERE clause bound another ?e, and the endpoint answered every label (in memory: one)."""
    query = 'SELECT ?l WHERE { { SELECT ?l WHERE { ?e rdfs:label ?l FILTER(LANG(?l) = "en") } } }'
    result = run("query", "--endpoint", f"{recorder.url}/sparql", "--param", "e=kgr:trainium3", query)
    assert result.exit_code == 2, result.output
    assert "?e is used only inside a sub-query that does not return it" in result.stderr
    assert recorder.requests == []
    returned = query.replace("SELECT ?l WHERE { ?e", "SELECT ?l ?e WHERE { ?e")
    assert run("query", "--endpoint", f"{recorder.url}/sparql", "--param", "e=kgr:trainium3", returned).exit_code == 0
    sent = parse_qs(str(recorder.requests[0]["body"]))["query"][0]
    assert "VALUES (?e) { (<https://w3id.org/kgraph/resource/trainium3>) }" in sent


def test_an_unreachable_endpoint_exits_3():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("query", "--endpoint", f"http://127.0.0.1:{port}/sparql", "ASK {}")
    assert result.exit_code == 3
    assert f"cannot reach http://127.0.0.1:{port}/sparql" in result.stderr


MALFORMED_ENDPOINTS = [
    ("http://[::1", "Invalid IPv6 URL"),
    ("http://[zz/sparql", "Invalid IPv6 URL"),
    ("http://[]/sparql", "does not appear to be an IPv4 or IPv6 address"),
    ("http://a b/sparql", "it holds a space"),
    ("http://localhost:7878/spa rql", "it holds a space"),
    (" http://localhost:7878/sparql", "it holds a space"),
    ("http://localhost:7878/sparql\n", "it holds the character '\\n'"),
    ("http://local\thost:7878/sparql", "it holds the character '\\t'"),
    ("http://local%20host:7878/sparql", "its host 'local host' holds a space"),
    ("http://localhost:abc/sparql", "its port is not a number from 0 to 65535"),
    ("http://localhost:99999/sparql", "its port is not a number from 0 to 65535"),
    ("http://:7878/sparql", "it names no host"),
    ("http:///sparql", "it names no host"),
    ("http://a..b/sparql", "its host 'a..b' is not a valid host name"),
    ("http://" + "a" * 64 + ".org/sparql", "is not a valid host name"),
    ("http://localhost:7878/spärql", "which a URL must percent-encode as %C3%A4"),
    ("localhost:7878/sparql", "it does not start with http:// or https://"),
    ("ftp://example.org/sparql", "it does not start with http:// or https://"),
]


@pytest.mark.parametrize(("url", "reason"), MALFORMED_ENDPOINTS)
def test_a_malformed_endpoint_url_is_bad_input(url, reason):
    """Regression: urllib took these without a word and failed when it sent the request, with a traceback
    (ValueError, http.client.InvalidURL, UnicodeError) or a misleading "cannot reach" (exit 3)."""
    assert_refused_url(run("query", "--endpoint", url, "ASK {}"), "--endpoint", url, reason)
    assert_refused_url(run("queries", "run", "partners", "--endpoint", url), "--endpoint", url, reason)


def test_an_endpoint_url_with_a_login_in_it_is_refused_and_the_password_never_shown(recorder):
    """Regression: urllib took "loader:pa55@127.0.0.1" for the host: "cannot reach
    http://loader:pa55@127.0.0.1:PORT/sparql: [Errno -2] Name or service not known" (exit 3)."""
    url = recorder.url.replace("//", "//loader:pa55@") + "/sparql"
    for args, variable in (
        (("query", "--endpoint", url, "ASK {}"), "KGRAPH_ENDPOINT_AUTH"),
        (("queries", "run", "partners", "--endpoint", url), "KGRAPH_ENDPOINT_AUTH"),
        (("query", "--auth-env", "MY_LOGIN", "--endpoint", url, "ASK {}"), "MY_LOGIN"),
    ):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert result.stderr == (
            f"Error: --endpoint '{recorder.url}/sparql' holds a user name and password (user:password@ before the "
            "host), which kgraph never takes from the command line; give the URL without them, and put "
            f"user:password in ${variable}\n"
        )
        assert "pa55" not in result.output
    assert recorder.requests == []


def test_well_formed_endpoint_urls_are_sent_as_before(recorder):
    port = recorder.url.rsplit(":", 1)[1]
    urls = {
        f"{recorder.url}/sparql": "/sparql",
        f"HTTP://127.0.0.1:{port}/sparql": "/sparql",
        f"http://127.0.0.1:{port}/q%C3%A4?default-graph-uri=urn%3Ax#not-sent": "/q%C3%A4?default-graph-uri=urn%3Ax",
    }
    for url, path in urls.items():
        result = run("query", "--endpoint", url, "ASK {}")
        assert (result.exit_code, result.stdout) == (0, "yes\n"), (url, result.output)
        assert recorder.requests[-1]["path"] == path


def test_a_slow_endpoint_times_out(recorder):
    """The client gives up, well before an endpoint that takes 30 s to answer would have: the bound is what the
    limit must beat, not a measure of it (a 3 s delay and a 2.5 s bound left a slow machine half a second)."""
    recorder.delay = 30
    started = time.perf_counter()
    result = run("query", "--endpoint", f"{recorder.url}/sparql", "--timeout", "0.5", "SELECT * WHERE { ?s ?p ?o }")
    assert result.exit_code == 3
    # the endpoint is late, not the query too broad (it said "the query ran longer than 0.5 s")
    assert f"Error: {recorder.url}/sparql did not answer within 0.5 s; pass --timeout SECONDS" in result.stderr
    assert time.perf_counter() - started < recorder.delay / 2
    with pytest.raises(QueryTimeout) as caught:  # in Python, the argument's name: it said "pass --timeout SECONDS"
        remote.run_remote(remote.Endpoint(f"{recorder.url}/sparql"), parse("ASK {}"), timeout=0.5)
    assert str(caught.value).startswith(f"{recorder.url}/sparql did not answer within 0.5 s; pass a larger timeout")


def test_the_progress_line_counts_no_rows_an_endpoint_has_not_sent(recorder, monkeypatch):
    """An endpoint's answer comes whole at its end: the progress line said "0 rows so far" while it waited."""
    monkeypatch.setattr(engine, "PROGRESS_AFTER", 0.1)
    recorder.delay = 1
    result = run("query", "--endpoint", f"{recorder.url}/sparql", "--progress", "SELECT * WHERE { ?s ?p ?o }")
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("query running: ")]
    assert lines
    assert all(line.endswith(" s") for line in lines), lines


def test_updates_are_not_sent_to_an_endpoint(recorder):
    result = run("query", "--update", "--endpoint", f"{recorder.url}/sparql", "INSERT DATA { kgr:a kg:uses kgr:b }")
    assert result.exit_code == 2
    assert "sends queries, not updates" in result.stderr
    assert recorder.requests == []


def test_values_go_into_the_where_clause():
    bindings = {"a": remote.URIRef("http://example.org/x"), "b": remote.Literal('say "hi"\n', lang="en")}
    text = remote.bind_with_values("CONSTRUCT { ?a ?p ?b } WHERE { ?a ?p ?b }", bindings)
    assert text.startswith("CONSTRUCT { ?a ?p ?b } WHERE { VALUES (?a ?b) { (<http://example.org/x> ")
    parse(text)
    with pytest.raises(Exception, match="cannot be an IRI"):
        remote.bind_with_values("ASK { ?a ?p ?o }", {"a": remote.URIRef("http://x/> } ; DROP ALL #")})
    with pytest.raises(Exception, match="has none"):
        remote.bind_with_values("CONSTRUCT WHERE { ?a ?p ?o }", bindings)


# ------------------------------------------------------------------------------------------ a real Oxigraph


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    return found


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory) -> Iterator[str]:
    """An Oxigraph server on 127.0.0.1, holding the bundled graph's named graphs (kgraph.nq, as `kgraph build`
    writes it), its default graph the union of them, like kgraph's. Yields the query endpoint's URL."""
    with _serving(tmp_path_factory.mktemp("oxigraph"), rdf.render(load())["kgraph.nq"]) as url:
        yield url


@contextmanager
def _serving(folder: Path, text: bytes) -> Iterator[str]:
    """An Oxigraph server on 127.0.0.1 of a store made in ``folder`` from the N-Quads ``text``, its default graph
    the union of the named graphs, like kgraph's: the query endpoint's URL while the block runs."""
    nquads = folder / "kgraph.nq"
    nquads.write_bytes(text)
    store = folder / "store"
    binary = _oxigraph()
    subprocess.run([binary, "load", "--location", str(store), "--file", str(nquads)], check=True, capture_output=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait_for(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(10)
        if server.stderr:
            server.stderr.close()


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"oxigraph stopped: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            remote.post(remote.Endpoint(url), "ASK {}", "application/sparql-results+json", 2)
            return
        except Exception:  # not up yet
            time.sleep(0.1)
    raise AssertionError("oxigraph did not start within 30 s")


@pytest.mark.parametrize("saved", library.saved_queries(), ids=lambda s: s.name)
def test_every_saved_query_gives_the_same_answer_at_oxigraph(oxigraph, saved):
    kind, local, at_endpoint = saved_answers(run, saved, oxigraph)
    if kind == "CONSTRUCT":
        assert isomorphic(
            Graph().parse(data=local.stdout, format="nt"), Graph().parse(data=at_endpoint.stdout, format="nt")
        )
    elif kind == "SELECT":
        assert at_endpoint.stdout == local.stdout  # in the same order: every ORDER BY covers what it returns
    else:
        assert json.loads(at_endpoint.stdout) == json.loads(local.stdout)


#: Data that gives rows equal on the ORDER BY the saved queries had: a person with three titles, two employers and
#: two events; a product with three launch statuses and two predecessors; a figure with three bases, two
#: timeframes and three units; a customer result with three values; a migration path with two ends each way.
TIED = (
    PREFIXES
    + """
kgr:ann a kg:Person ; rdfs:label "Ann"@en ; kg:jobTitle "Zed chief"@en , "Alpha chief"@en , "Mid chief"@en ;
    kg:worksFor kgr:zeta , kgr:alpha ; kg:speakerAt kgr:ev2 , kgr:ev1 .
kgr:acme a kg:Organization ; rdfs:label "Acme"@en .
kgr:zeta a kg:Organization ; rdfs:label "Zeta"@en .
kgr:alpha a kg:Organization ; rdfs:label "Alpha"@en .
kgr:ev1 a kg:Event ; rdfs:label "Event"@en .
kgr:widget a kg:Product ; rdfs:label "Widget"@en ; kg:developedBy kgr:acme ; kg:announcedAt kgr:ev1 ;
    kg:launchStatus kg:Preview , kg:Available , kg:Zoned ; kg:succeeds kgr:old2 , kgr:old1 .
kgr:old2 a kg:Product ; rdfs:label "Old 2"@en .
kgr:old1 a kg:Product ; rdfs:label "Old 1"@en .
kgf:f1 a kg:Figure ; kg:figureOf kgr:widget ; kg:value 2 ; kg:metric "speed"@en ; kg:comparedWith kgr:old1 ;
    kg:comparisonBasis "z basis"@en , "a basis"@en , "m basis"@en ; kg:timeframe "z time"@en , "a time"@en ;
    kg:unit "x" , "y" , "a" .
kgf:c1 a kg:Figure ; kg:figureKind kg:CustomerResult ; kg:figureOf kgr:zeta ; kg:value 9 , 1 , 5 ; kg:metric "cost"@en .
kgr:tool a kg:Product ; rdfs:label "Tool"@en ; kg:supportsMigration kgr:path .
kgr:path kg:migratesFrom kgr:old2 , kgr:old1 ; kg:migratesTo kgr:widget , kgr:acme .
"""
)

TIED_QUERIES = [
    ["people"],
    ["figures-by-maker", "maker=kgr:acme"],
    ["figures-of", "entity=kgr:widget"],
    ["products-by-maker", "maker=kgr:acme"],
    ["announced-at", "event=kgr:ev1"],
    ["announcement-figures", "event=kgr:ev1"],
    ["customer-results"],
    ["migration-paths"],
    ["succession", "product=kgr:widget"],
    ["succession-figures"],
]


def test_rows_equal_on_the_old_order_come_in_one_order_in_memory_on_a_store_and_at_oxigraph(make_kg, tmp_path):
    """The saved queries ordered by some of their columns; rows equal on those came in the order each engine gave:
    rdflib's in memory, the store's, an endpoint's (seven or eight of these ten differed, which from run to run; SPARQL
    left the others open too). Each ORDER BY now ends with every column it returns: one order, the same everywhere."""
    data_dir, ontology_dir = make_kg({"tied.ttl": TIED})
    folders = ["--data", str(data_dir), "--ontology", str(ontology_dir)]
    store = tmp_path / "store"
    assert run(*folders, "load", "--store", str(store)).exit_code == 0
    (tmp_path / "server").mkdir()
    differ = []
    with _serving(tmp_path / "server", rdf.render(load(data_dir, ontology_dir))["kgraph.nq"]) as url:
        for name, *params in TIED_QUERIES:
            args = ["queries", "run", name, "--format", "tsv", *(f"--param={param}" for param in params)]
            answers = [run(*folders, *args), run("--store", str(store), *args), run(*args, "--endpoint", url)]
            assert [answer.exit_code for answer in answers] == [0, 0, 0], answers[-1].output
            assert len(answers[0].stdout.splitlines()) > 2, name
            if len({answer.stdout for answer in answers}) > 1:
                differ.append(name)
    assert differ == []
    people = run(*folders, "queries", "run", "people", "--format", "csv").stdout.splitlines()
    kgr = "https://w3id.org/kgraph/resource/"
    assert people[1:5] == [
        f"{kgr}ann,Alpha chief,{kgr}alpha,speaker,{kgr}ev1",
        f"{kgr}ann,Alpha chief,{kgr}alpha,speaker,{kgr}ev2",
        f"{kgr}ann,Alpha chief,{kgr}zeta,speaker,{kgr}ev1",
        f"{kgr}ann,Alpha chief,{kgr}zeta,speaker,{kgr}ev2",
    ]


def test_the_table_from_an_endpoint_names_an_iri_by_a_label_tagged_with_a_region_or_script(make_kg, tmp_path):
    """Labels tagged ``@en-GB`` and ``@zh-Hans`` are English and Chinese to ``--lang``, as ``kgraph show`` reads
    them and the table of the local graph does: the table from an endpoint asked for the tags ``en`` and ``zh``
    themselves, and named such an IRI by its bare prefixed name."""
    tagged = PREFIXES + 'kgr:colour a kg:Chip ; rdfs:label "Colour chip"@en-GB , "彩色芯片"@zh-Hans .\n'
    data_dir, ontology_dir = make_kg({"tagged.ttl": tagged})
    folders = ["--data", str(data_dir), "--ontology", str(ontology_dir)]
    (tmp_path / "server").mkdir()
    query = "SELECT ?chip WHERE { ?chip a kg:Chip }"
    with _serving(tmp_path / "server", rdf.render(load(data_dir, ontology_dir))["kgraph.nq"]) as url:
        for lang, name in (("en", "Colour chip"), ("zh", "彩色芯片")):
            at_endpoint = run("query", "--lang", lang, query, "--endpoint", url)
            for table in (at_endpoint, run(*folders, "query", "--lang", lang, query)):
                assert table.exit_code == 0, table.output
                assert table.stdout.splitlines()[2] == f"{name} (kgr:colour)", table is at_endpoint


UNLABELLED_IN_LANG = PREFIXES + (
    'kgr:bonjour a kg:Chip ; rdfs:label "Bonjour"@fr , "Hallo"@de .\n'
    'kgr:zulu a kg:Chip ; rdfs:label "Zulu"@en , "Alpha" .\n'
)


def test_an_iri_without_a_label_in_the_language_is_named_in_the_table_as_show_names_it(make_kg, tmp_path):
    """Without a label in ``--lang``, ``kgraph show`` (and the viewer) take the least label in any language; the
    table took English, else an untagged label, else printed the bare prefixed name (``Bonjour``@fr and
    ``Hallo``@de: show "Bonjour", the table ``kgr:bonjour``; under ``--lang zh``, ``"Zulu"@en`` and ``"Alpha"``:
    show "Alpha", the table "Zulu"). Now the table names it as show does, in memory, on a store and from an
    endpoint."""
    data_dir, ontology_dir = make_kg({"unlabelled.ttl": UNLABELLED_IN_LANG})
    folders = ["--data", str(data_dir), "--ontology", str(ontology_dir)]
    store = tmp_path / "store"
    assert run(*folders, "load", "--store", str(store)).exit_code == 0
    (tmp_path / "server").mkdir()
    query = "SELECT ?chip WHERE { ?chip a kg:Chip } ORDER BY ?chip"
    expected = {
        "en": ["Bonjour (kgr:bonjour)", "Zulu (kgr:zulu)"],
        "zh": ["Bonjour (kgr:bonjour)", "Alpha (kgr:zulu)"],
    }
    got: dict[tuple[str, str], list[str]] = {}
    with _serving(tmp_path / "server", rdf.render(load(data_dir, ontology_dir))["kgraph.nq"]) as url:
        for lang, rows in expected.items():
            for where in (folders, ["--store", str(store)]):
                for row in rows:  # show's own heading, the name the table is to agree with
                    shown = run(*where, "show", row.split(" (")[1][:-1], "--lang", lang)
                    assert shown.stdout.splitlines()[0].split("  (")[0] == row.split(" (")[0], shown.output
            tables = {
                "memory": run(*folders, "query", "--lang", lang, query),
                "store": run("--store", str(store), "query", "--lang", lang, query),
                "endpoint": run("query", "--lang", lang, query, "--endpoint", url),
            }
            for backend, table in tables.items():
                assert table.exit_code == 0, table.output
                got[backend, lang] = table.stdout.splitlines()[2:4]
    assert got == {
        (backend, lang): rows for backend in ("memory", "store", "endpoint") for lang, rows in expected.items()
    }


def test_inline_queries_and_named_graphs_at_oxigraph(oxigraph):
    text = "SELECT ?section WHERE { GRAPH ?section { kgr:trainium4 kg:succeeds kgr:trainium3 } }"
    local = run("query", "--format", "tsv", text)
    at_endpoint = run("query", "--format", "tsv", "--endpoint", oxigraph, text)
    assert (
        at_endpoint.stdout
        == local.stdout
        == "?section\n<https://w3id.org/kgraph/source/reinvent-2025-keynote/ai-infrastructure>\n"
    )
    no = run("query", "--endpoint", oxigraph, "ASK { kgr:trainium2 kg:succeeds kgr:trainium4 }")
    assert (no.exit_code, no.stdout) == (1, "no\n")


def test_the_table_from_an_endpoint_has_labels(oxigraph):
    result = run("queries", "run", "succession", "--param", "product=Trainium3", "--endpoint", oxigraph, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "Trainium3 (kgr:trainium3)" in result.stdout
    assert "已发布 (kg:Launched)" in result.stdout or "(kg:Launched)" in result.stdout


def test_labels_are_looked_up_at_the_endpoint(oxigraph):
    bedrock = run(
        "queries", "run", "customers-of", "--param", "product=amazon bedrock", "--endpoint", oxigraph, "--format", "tsv"
    )
    assert bedrock.exit_code == 0
    agentcore = ("queries", "run", "customers-of", "--param", "product=Amazon Bedrock AgentCore", "--format", "tsv")
    assert run(*agentcore, "--endpoint", oxigraph).stdout == run(*agentcore).stdout  # the product, not the section
    missing = run("queries", "run", "customers-of", "--param", "product=Bedrok", "--endpoint", oxigraph)
    assert missing.exit_code == 1
    assert "nothing at" in missing.stderr and "is labelled 'Bedrok'" in missing.stderr
    # what to do names the endpoint's own search, not `kgraph entities`, which lists the local graph's entities
    search = f"kgraph queries run search --param text=WORD --endpoint {oxigraph} lists the labels there"
    assert search in missing.stderr and "kgraph entities" not in missing.stderr, missing.stderr
    no_iri = run("queries", "run", "customers-of", "--param", "product=kgr:bedrok", "--endpoint", oxigraph)
    assert (no_iri.exit_code, search in no_iri.stderr) == (1, True), no_iri.stderr
    with pytest.raises(NotFoundError) as raised:  # the Python API's words
        RemoteResolver(remote.Endpoint(oxigraph)).entity("Bedrok")
    assert "kgraph.query.run_remote of the saved query search" in str(raised.value), str(raised.value)
    # an empty name (a script's unset variable) is bad usage, as locally, not a name the endpoint lacks (exit 1)
    empty = run("query", "--endpoint", oxigraph, "SELECT ?p WHERE { ?x kg:uses ?p }", "--param", "x= ")
    assert empty.exit_code == 2, empty.output
    assert f"--param x: the name is empty; give the label, prefixed name or IRI of a resource at {oxigraph}" in (
        empty.stderr
    )
    syntax = run("query", "--endpoint", oxigraph, "SELECT ?x WHERE { ?x a kg:Chip")
    assert syntax.exit_code == 2  # checked here before anything is sent
    assert parse_assignments(["a=b=c"]) == {"a": "b=c"}
