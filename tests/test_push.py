"""kgraph push into a real Oxigraph server (the oxigraph binary, in memory or on disk, on 127.0.0.1), then kgraph
query --endpoint on it: the same answers as locally. A push interrupted by a store that dies half-way says what it
had sent, and a replace it had started leaves the graph as it was.

Each server is started by the test that needs it, on a free loopback port, and stopped after.
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from rdflib import BNode, URIRef

from conftest import QuietHandler, assert_refused_url, local_server, saved_answers
from kgraph import push
from kgraph.cli import cli
from kgraph.errors import InputError, PushFailed
from kgraph.query import library, remote
from kgraph.query.remote import Endpoint
from kgraph.resources import default_data_dir, default_ontology_dir
from kgraph.store import LoadedGraph, load

SAVED = library.saved_queries()


@dataclass(frozen=True)
class Bundled:
    """The triple counts of the bundled graph, read from the loaded graph rather than written down, so that a
    correction to the data does not break the push tests."""

    flat: int  # the flat graph: each triple once
    named: int  # its named graphs: a fact that two sections state is there twice
    inferred: int  # the inferred graph, the first named graph a push of the dataset sends (in name order)

    @property
    def dataset(self) -> int:
        """What a push of the dataset sends: the named graphs, then the flat graph as the default graph."""
        return self.named + self.flat


@pytest.fixture(scope="module")
def bundled(loaded: LoadedGraph) -> Bundled:
    named = [g for g in loaded.dataset.graphs() if isinstance(g.identifier, URIRef) and len(g)]
    return Bundled(flat=len(loaded.graph), named=sum(len(g) for g in named), inferred=len(loaded.inferred))


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)


# ------------------------------------------------------------------------------------------ Oxigraph


@dataclass
class Oxigraph:
    process: subprocess.Popen[bytes]
    base: str

    @property
    def query(self) -> str:
        return f"{self.base}/query"

    @property
    def store(self) -> str:
        return f"{self.base}/store"

    @property
    def update(self) -> str:
        return f"{self.base}/update"

    def count(self, pattern: str = "?s ?p ?o") -> int:
        _type, body, _seconds = remote.post(
            Endpoint(self.query),
            f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}",
            "application/sparql-results+json",
            10,
        )
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def _binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_oxigraph(*options: str, command: str = "serve") -> Oxigraph:
    port = _free_port()
    process = subprocess.Popen(
        [_binary(), command, "--bind", f"127.0.0.1:{port}", *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Oxigraph(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"oxigraph stopped with exit code {process.returncode}")
        try:
            server.count()
            return server
        except Exception:  # not up yet
            time.sleep(0.05)
    stop_oxigraph(server)
    raise AssertionError("oxigraph did not start within 30 s")


def stop_oxigraph(server: Oxigraph) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(10)


@pytest.fixture
def oxigraph() -> Iterator[Callable[..., Oxigraph]]:
    """Start Oxigraph servers (in memory unless --location is given); all are stopped at the end of the test."""
    started: list[Oxigraph] = []

    def start(*options: str, command: str = "serve") -> Oxigraph:
        server = start_oxigraph(*options, command=command)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            stop_oxigraph(server)


def _rows(tsv: str) -> list[str]:
    header, *rows = tsv.splitlines()
    return [header, *sorted(rows)]


#: The saved queries that read the section graphs (GRAPH ?section), which a push into one graph leaves behind.
USE_SECTIONS = {s.name for s in SAVED if "GRAPH" in s.text}


def assert_same_answers(query_url: str, *, sections: bool = True) -> None:
    """Every saved query, with its example's parameters, answers at ``query_url`` as it does locally."""
    assert {"provenance", "section-facts", "sections"} == USE_SECTIONS
    for saved in SAVED:
        if not sections and saved.name in USE_SECTIONS:
            continue
        kind, local, there = saved_answers(run, saved, query_url)
        if kind == "SELECT":
            assert _rows(there.stdout) == _rows(local.stdout), saved.name
        else:
            assert sorted(there.stdout.splitlines()) == sorted(local.stdout.splitlines()), saved.name


# ------------------------------------------------------------------------------------------ pushes that work


def test_push_the_dataset_then_query_it(oxigraph, bundled):
    store = oxigraph()
    result = run("push", "--endpoint", store.store, "--update-endpoint", store.update, "--batch", "700")
    assert result.exit_code == 0, result.output
    assert f"pushing {bundled.dataset:,} triples (17 graphs)" in result.stderr
    assert f"sent {bundled.dataset:,} triples in 17 graphs" in result.stderr and "all at once" in result.stderr
    assert store.count() == bundled.flat  # the default graph: the flat graph, each triple once
    assert store.count("GRAPH ?g { ?s ?p ?o }") == bundled.named  # a fact stated in two sections is in both
    assert store.count("GRAPH ?g { ?s ?p ?o } FILTER STRSTARTS(STR(?g), 'urn:x-kgraph-push')") == 0
    assert_same_answers(store.query)
    provenance = "SELECT ?section WHERE { GRAPH ?section { kgr:trainium4 kg:succeeds kgr:trainium3 } }"
    assert run("query", "--endpoint", store.query, "--format", "tsv", provenance).stdout == (
        "?section\n<https://w3id.org/kgraph/source/reinvent-2025-keynote/ai-infrastructure>\n"
    )
    # A section asked for by a title an entity has too is the section, at the store as locally; an entity that
    # is no section is refused, with the saved query that lists the sections there (its answer ran empty).
    agentcore = ["queries", "run", "section-facts", "--param", "section=Amazon Bedrock AgentCore", "--format", "tsv"]
    there = run(*agentcore, "--endpoint", store.query)
    assert there.exit_code == 0, there.output
    assert _rows(there.stdout) == _rows(run(*agentcore).stdout)
    assert len(there.stdout.splitlines()) > 10
    sony = run("queries", "run", "section-facts", "--param", "section=Sony", "--endpoint", store.query)
    assert sony.exit_code == 2
    assert sony.stderr == (
        "Error: --param section: Sony (<https://w3id.org/kgraph/resource/sony>) is not a kg:SourceSection at "
        f"{store.query}; kgraph queries run instances-of --param class=kg:SourceSection --endpoint {store.query} "
        "lists them\n"
    )
    listed = run("queries", "run", "instances-of", "--param", "class=kg:SourceSection", "--endpoint", store.query)
    assert listed.exit_code == 0 and "Sony case study" in listed.stdout, listed.output


BLANK = (
    "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
    "@prefix kgr: <https://w3id.org/kgraph/resource/> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix src: <https://w3id.org/kgraph/source/reinvent-2025-keynote/> .\n"
    'src:closing { kgr:aws kg:partnerOf [ a kg:Company ; rdfs:label "Blank partner"@en ] . }\n'
)


@pytest.mark.parametrize("update", [True, False], ids=["all at once", "as sent"])
def test_a_blank_node_stays_one_node_at_the_store_and_a_second_push_adds_nothing(oxigraph, tmp_path, update):
    """A store names the blank nodes of each request afresh: the blank partner's stated triples (its section),
    its inferred ones (the inferred graph) and the flat graph's became three nodes, so a query joining its label
    in a section with the flat graph found nothing; and each push added its blank-node triples again."""
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    (data / "99-blank.trig").write_text(BLANK, encoding="utf-8")
    store = oxigraph()
    options = ["--data", str(data), "push", "--endpoint", store.store]
    if update:
        options += ["--update-endpoint", store.update]
    first = run(*options)
    assert first.exit_code == 0, first.output
    joined = (
        "SELECT ?l WHERE { kgr:aws kg:partnerOf ?b . ?b a kg:Organization . GRAPH src:closing { ?b rdfs:label ?l } }"
    )
    found = run("query", "--endpoint", store.query, "--format", "tsv", joined)
    assert found.stdout.splitlines() == ["?l", '"Blank partner"@en'], found.output
    counts = (store.count(), store.count("GRAPH ?g { ?s ?p ?o }"))
    assert run(*options).exit_code == 0
    assert (store.count(), store.count("GRAPH ?g { ?s ?p ?o }")) == counts
    genid = store.count(f"?s ?p ?o FILTER STRSTARTS(STR(?s), '{push.GENID}')")
    loaded = load(data_dir=data, ontology_dir=default_ontology_dir())
    assert genid == sum(1 for s, _p, _o in loaded.graph if isinstance(s, BNode)) > 2  # its type, label, inferences


def test_push_into_one_graph_with_insert_data(oxigraph, bundled):
    store = oxigraph("--union-default-graph")
    target = "https://example.org/graphs/kgraph"
    result = run("push", "--method", "update", "--endpoint", store.update, "--graph", target, "--batch", "1000")
    assert result.exit_code == 0, result.output
    assert "with 6 requests" in result.stderr  # 5 chunks of at most 1,000 triples, and the ADD
    assert store.count(f"GRAPH <{target}> {{ ?s ?p ?o }}") == bundled.flat
    assert_same_answers(store.query, sections=False)  # the store's union of graphs is that one graph


def test_oxigraph_takes_a_url_under_store_slash_for_the_graph_it_names_as_the_readme_warns(oxigraph, bundled):
    """The trap the README warns of ("Give /store without a trailing slash"), checked against a real Oxigraph: a
    push to /store/ reports success, and the triples are in the graph the URL names, not in --graph's; with an
    update endpoint the last step fails. kgraph cannot tell from the URL (Neptune's Graph Store URL ends in
    /gsp/), so a change of Oxigraph's here calls for a change of the README."""
    store = oxigraph()
    slash = f"{store.store}/"
    result = run("push", "--endpoint", slash, "--graph", "urn:t")
    assert result.exit_code == 0, result.output
    assert store.count("GRAPH <urn:t> { ?s ?p ?o }") == 0
    assert store.count(f"GRAPH <{slash}> {{ ?s ?p ?o }}") == bundled.flat
    staged = run("push", "--endpoint", slash, "--update-endpoint", store.update, "--graph", "urn:u")
    assert staged.exit_code == 3, staged.output
    assert "The graph <urn:x-kgraph-push:" in staged.stderr and "> does not exist" in staged.stderr


def test_gsp_without_an_update_endpoint_lands_as_sent(oxigraph, bundled):
    store = oxigraph()
    result = run("push", "--endpoint", store.store, "--graph", "urn:kg")
    assert result.exit_code == 0, result.output
    assert "as sent (no update endpoint: not all or nothing)" in result.stderr
    # one request, in the singular: it was "in 1 requests of up to ..." and "with 1 requests in ..."
    assert f"to {store.store} in 1 request of up to 10,000 triples\n" in result.stderr
    assert f"sent {bundled.flat:,} triples in 1 graph with 1 request in " in result.stderr
    assert store.count("GRAPH <urn:kg> { ?s ?p ?o }") == bundled.flat
    refused = run("push", "--endpoint", store.store, "--graph", "urn:kg", "--replace")
    assert refused.exit_code == 2 and "--replace needs the store's SPARQL update endpoint" in refused.stderr


def test_replace_swaps_the_graph_and_append_adds(oxigraph, bundled):
    store = oxigraph()
    stale = "INSERT DATA { GRAPH <urn:kg> { <urn:old> <urn:p> <urn:o> } }"
    push._request(Endpoint(store.update), stale.encode(), "application/sparql-update", timeout=10)
    added = run("push", "--endpoint", store.store, "--update-endpoint", store.update, "--graph", "urn:kg")
    assert added.exit_code == 0, added.output
    assert store.count("GRAPH <urn:kg> { ?s ?p ?o }") == bundled.flat + 1  # appended next to the stale triple
    replaced = run(
        "push", "--endpoint", store.store, "--update-endpoint", store.update, "--graph", "urn:kg", "--replace"
    )
    assert replaced.exit_code == 0, replaced.output
    assert f"replaced {bundled.flat:,} triples in 1 graph" in replaced.stderr
    assert store.count("GRAPH <urn:kg> { ?s ?p ?o }") == bundled.flat
    assert store.count("GRAPH <urn:kg> { <urn:old> ?p ?o }") == 0
    assert store.count("GRAPH ?g { ?s ?p ?o } FILTER STRSTARTS(STR(?g), 'urn:x-kgraph-push')") == 0


def test_a_replace_interrupted_by_a_dying_store_leaves_the_graph_as_it_was(oxigraph, loaded, bundled, tmp_path):
    """Oxigraph on disk: push once, then start a replace and kill the server after two chunks. Restarted, the
    store holds the first push, untouched; the error said what had been sent."""
    location = tmp_path / "oxigraph"
    store = oxigraph("--location", str(location))
    target = push.Target(Endpoint(store.store), "gsp", Endpoint(store.update), timeout=10)
    before = push.plan(loaded, "urn:kg", batch=1000)
    push.push(target, before)
    assert store.count("GRAPH <urn:kg> { ?s ?p ?o }") == bundled.flat
    succeeds = b"DELETE WHERE { GRAPH <urn:kg> { ?s <https://w3id.org/kgraph/ontology#succeeds> ?o } }"
    push._request(Endpoint(store.update), succeeds, "application/sparql-update", timeout=10)
    kept = store.count("GRAPH <urn:kg> { ?s ?p ?o }")
    assert kept < bundled.flat  # the store's version differs from the graph, so a replace would show

    def kill_after_two(sent: int, _total: int) -> None:
        if sent >= 2000 and store.process.poll() is None:
            store.process.kill()
            store.process.wait(10)

    with pytest.raises(PushFailed) as failure:
        push.push(target, push.plan(loaded, "urn:kg", batch=1000), replace=True, progress=kill_after_two)
    message = str(failure.value)
    assert "did not answer" in message
    assert f"Sent before that: 2 requests, 2,000 of {bundled.flat:,} triples, into temporary graphs" in message
    assert "No target graph was changed" in message
    assert "the temporary graphs could not be dropped: run DROP SILENT GRAPH <urn:x-kgraph-push:" in message

    restarted = oxigraph("--location", str(location))
    assert restarted.count("GRAPH <urn:kg> { ?s ?p ?o }") == kept  # the replace did not happen, not even half


@dataclass
class Dying:
    """A fake Graph Store endpoint that takes ``answers`` requests, then closes its listening socket and every
    connection without answering: a store that dies half-way."""

    url: str = ""
    answers: int = 2
    requests: list[dict[str, object]] = field(default_factory=list)


@pytest.fixture
def dying() -> Iterator[Dying]:
    record = Dying()

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            record.requests.append({"path": self.path, "headers": dict(self.headers), "lines": body.count(b"\n")})
            if len(record.requests) > record.answers:
                threading.Thread(target=self.server.shutdown, daemon=True).start()
                self.close_connection = True
                self.connection.close()
                return
            self.send_response(204)
            self.end_headers()

    with local_server(Handler) as url:
        record.url = f"{url}/store"
        yield record


def test_a_push_to_a_store_that_dies_says_what_was_sent(dying, bundled):
    env = {"KGRAPH_ENDPOINT_AUTH": "loader:pa55"}
    result = run("push", "--endpoint", dying.url, "--graph", "urn:kg", "--batch", "1000", env=env)
    assert result.exit_code == 3
    assert "Error: the store at " + dying.url + " did not answer" in result.stderr
    sent = f"Sent before that: 2 requests, 2,000 of {bundled.flat:,} triples; the store keeps what it received"
    assert sent in result.stderr
    assert "Traceback" not in result.output
    assert [r["lines"] for r in dying.requests] == [1000, 1000, 1000]
    assert all(r["path"] == "/store?graph=urn%3Akg" for r in dying.requests)
    expected = "Basic " + base64.b64encode(b"loader:pa55").decode()
    assert all(r["headers"]["Authorization"] == expected for r in dying.requests)


def test_errors_from_the_store_are_clear(oxigraph, dying):
    store = oxigraph()
    wrong = run("push", "--endpoint", f"{store.base}/nowhere", "--graph", "urn:kg")
    assert wrong.exit_code == 3
    assert "answered HTTP 404" in wrong.stderr and "the store refused the first request, so nothing was stored" in (
        wrong.stderr
    )  # it was sent: "nothing was sent: check ... that the store is running" misled
    unreachable = run("push", "--endpoint", f"http://127.0.0.1:{_free_port()}/store")
    assert unreachable.exit_code == 3 and "did not answer" in unreachable.stderr
    assert "  sent" not in unreachable.stderr  # the progress bar's label, before "nothing was sent"
    bad = run("push", "--endpoint", "ftp://example.org/store")
    assert bad.exit_code == 2 and "not an http(s) URL" in bad.stderr
    iri = run("push", "--endpoint", store.store, "--graph", "not an iri")
    assert iri.exit_code == 2 and "not an absolute IRI" in iri.stderr


def test_a_query_or_update_url_given_for_the_wrong_method_says_which_url_to_check(oxigraph, loaded):
    """The store's query and update URLs refuse N-Triples, its Graph Store URL an update, as a media type they do
    not take (HTTP 415, or 400 to the update sent again as a form): the error gave the store's answer, which names
    a content type, and nothing to do. A mix-up of the three URLs each store lists is the likely cause."""
    store = oxigraph()
    gsp = run("push", "--endpoint", store.query, "--graph", "urn:kg")
    assert gsp.exit_code == 3, gsp.output
    assert "answered HTTP 415 " in gsp.stderr
    assert "check that --endpoint is the store's Graph Store Protocol URL (its query and update URLs take no" in (
        gsp.stderr
    )
    for url in (store.store, store.query):
        update = run("push", "--method", "update", "--endpoint", url, "--graph", "urn:kg")
        assert update.exit_code == 3, update.output
        assert f"; check that {url} is the store's SPARQL update URL; the store refused the first request" in (
            update.stderr
        )
    with pytest.raises(PushFailed) as failure:
        push.push(push.Target(Endpoint(store.update)), push.plan(loaded, "urn:kg"))
    assert "check that the Target's endpoint is the store's Graph Store Protocol URL" in str(failure.value)
    assert "--" not in str(failure.value)
    assert store.count() == 0


class TooLarge(QuietHandler):
    """A store, or a proxy in front of it (nginx takes 1 MB by default), that refuses a request's body as too large
    as soon as it has read the headers, and closes the connection without reading the body."""

    def do_POST(self) -> None:
        self.send_response(413, "Request Entity Too Large")
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.close_connection = True


def test_a_store_that_refuses_a_request_as_too_large_says_so_and_how_to_send_less():
    """Regression: the store's 413 came before the body was sent, and kgraph, still sending, met a broken pipe:
    "did not answer ([Errno 32] Broken pipe); nothing was sent: check the URL and that the store is running"."""
    long = ox.Literal("x" * 100_000)
    triples = [ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), long) for i in range(100)]  # 10 MB
    with local_server(TooLarge) as url, pytest.raises(PushFailed) as failure:
        push.push(push.Target(Endpoint(f"{url}/store")), push.Plan([push.Upload("urn:kg", triples)], batch=10_000))
    assert str(failure.value) == (
        f"{url}/store answered HTTP 413 Request Entity Too Large; send fewer triples a request with push.plan(..., "
        "batch=N) (the store, or a proxy before it, limits its size); the store refused the first request, so "
        "nothing was stored"
    )  # a Python caller passed no --batch: the command line's words are its cli_message
    assert failure.value.cli_message == (
        f"{url}/store answered HTTP 413 Request Entity Too Large; send fewer triples a request with --batch N (the "
        "store, or a proxy before it, limits its size); the store refused the first request, so nothing was stored"
    )


class Trickling(QuietHandler):
    """A store, or a stuck proxy before it, that answers 200 and then sends its answer's 20 bytes a fifth of a second
    apart: never long enough without a byte for the socket's timeout."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "20")
        self.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(20):
                self.wfile.write(b".")
                self.wfile.flush()
                time.sleep(0.2)


def test_a_store_that_answers_a_byte_at_a_time_is_given_up_at_the_timeout():
    """Regression: --timeout bounded each wait for a byte, so a push to a store that sent one now and then waited
    for ever (killed after 120 s with --timeout 2). It gives up about a second past the timeout now."""
    triples = [ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"))]
    with local_server(Trickling) as url, pytest.raises(PushFailed) as failure:
        push.push(
            push.Target(Endpoint(f"{url}/store"), timeout=1), push.Plan([push.Upload("urn:kg", triples)], batch=10)
        )
    assert failure.value.cli_message == (
        f"the store at {url}/store had not answered whole within 1 s (pass --timeout SECONDS to wait longer); the "
        "store may or may not have stored the first request: push again"
    )
    assert str(failure.value).startswith(f"the store at {url}/store had not answered whole within 1 s (pass a larger")


class Refusing(QuietHandler):
    """A store, or a proxy before it, that refuses every request: HTTP 401 (a login asked for) on /login, else 403
    with a body that does not say why."""

    def do_POST(self) -> None:
        login = self.path.startswith("/login")
        body = b"who are you?" if login else b"Forbidden"
        self.send_response(401 if login else 403)
        if login:
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def kgraph_serve() -> Iterator[str]:
    """kgraph serve (read-only) in a process of its own, on a free loopback port; its URL."""
    command = [sys.executable, "-m", "kgraph", "serve", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    try:
        for line in process.stderr:  # serving 4,388 triples at http://127.0.0.1:PORT/ (...)
            if line.startswith(b"serving "):
                yield line.decode().split(" at ", 1)[1].split("/ ", 1)[0]
                return
        raise AssertionError("kgraph serve did not start")
    finally:
        process.terminate()
        process.wait(10)
        process.stderr.close()


def test_a_read_only_store_is_said_to_refuse_writes_not_to_want_a_login(oxigraph, tmp_path):
    """Regression: every 403 got "set $KGRAPH_ENDPOINT_AUTH to user:password", the store's "The server is read-only"
    too: a 403 is a refusal, which no login changes there. The credentials are asked for on a 401; on another 403
    only if none were sent, and as a maybe."""
    data = tmp_path / "one.nt"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    database = tmp_path / "oxigraph"
    subprocess.run(
        [_binary(), "load", "--location", str(database), "--file", str(data)], check=True, capture_output=True
    )
    read_only = oxigraph("--location", str(database), command="serve-read-only")
    login = {"KGRAPH_ENDPOINT_AUTH": "loader:pa55"}
    for env in (None, login):
        refused = run("push", "--endpoint", read_only.store, "--graph", "urn:kg", env=env)
        assert refused.exit_code == 3, refused.output
        assert refused.stderr.splitlines()[-1] == (
            f"Error: {read_only.store} answered HTTP 403 Forbidden: The server is read-only; the store is read-only: "
            "it refuses every write, whatever the login; push to a store that takes them; the store refused the "
            "first request, so nothing was stored"
        )
    with kgraph_serve() as url:
        refused = run("push", "--method", "update", "--endpoint", f"{url}/sparql", "--graph", "urn:kg")
        assert refused.exit_code == 3, refused.output
        assert "; the store is read-only: it refuses every write, whatever the login;" in refused.stderr
        assert "KGRAPH_ENDPOINT_AUTH" not in refused.stderr
    with local_server(Refusing) as url:
        said = {
            (path, env is not None): run("push", "--endpoint", f"{url}{path}", "--graph", "urn:kg", env=env).stderr
            for path in ("/login", "/store")
            for env in (None, login)
        }
    assert (
        "answered HTTP 401 Unauthorized: who are you?; set $KGRAPH_ENDPOINT_AUTH to user:password;"
        in (said["/login", False])
    )
    assert (
        "answered HTTP 401 Unauthorized: who are you?; check the user:password in $KGRAPH_ENDPOINT_AUTH;"
        in (said["/login", True])
    )
    assert (
        "answered HTTP 403 Forbidden: Forbidden; it refused the request, sent without a login: if it needs one, set "
        "$KGRAPH_ENDPOINT_AUTH to user:password;"
    ) in said["/store", False]
    assert (
        "answered HTTP 403 Forbidden: Forbidden; it refused the request, sent with the login of "
        "$KGRAPH_ENDPOINT_AUTH: check that this user may write there;"
    ) in said["/store", True]


class NotHere(QuietHandler):
    """A URL that is not a store's: it answers 404 Not Found."""

    def do_POST(self) -> None:
        self.send_response(404, "Not Found")
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_a_push_that_fails_in_python_says_what_to_do_in_python_s_words(dying, loaded, bundled):
    """push.push(...)'s errors told a Python caller to pass --update-endpoint (a push partly done) or asked about
    --method update (HTTP 404), options of a command the caller did not run; cli_message keeps those words."""
    with pytest.raises(PushFailed) as failure:
        push.push(push.Target(Endpoint(dying.url)), push.plan(loaded, "urn:kg", batch=1000))
    sent = f"Sent before that: 2 requests, 2,000 of {bundled.flat:,} triples; the store keeps what it received."
    assert sent in str(failure.value) and sent in failure.value.cli_message
    assert str(failure.value).endswith(
        "or give the Target an update endpoint (update=Endpoint(URL)) so that a push is all or nothing"
    )
    assert failure.value.cli_message.endswith("or pass --update-endpoint so that a push is all or nothing")
    assert "--" not in str(failure.value)
    with local_server(NotHere) as url, pytest.raises(PushFailed) as failure:
        push.push(push.Target(Endpoint(f"{url}/store")), push.plan(loaded, "urn:kg"))
    question = "is this the store's Graph Store Protocol URL (or, with {}, its update URL)?"
    assert question.format('Target(..., method="update")') in str(failure.value)
    assert question.format("--method update") in failure.value.cli_message
    assert "--" not in str(failure.value)


@dataclass
class FormOnly:
    """A store that takes a SPARQL update only as a form's ``update`` field, the one way Amazon Neptune's
    documentation shows: a proxy in front of a real Oxigraph server that answers an update POSTed directly
    (``application/sparql-update``) with 400, as a store that looks for the field does, and hands the rest to the
    server. ``seen`` lists each update's content type, in order."""

    url: str = ""
    seen: list[str] = field(default_factory=list)


@contextmanager
def form_only(store: Oxigraph) -> Iterator[FormOnly]:
    record = FormOnly()

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            kind = self.headers.get("Content-Type", "").split(";")[0]
            record.seen.append(kind)
            if kind == "application/sparql-update":
                self._answer(400, b"Missing 'update' parameter")
                return
            headers = {"Content-Type": self.headers["Content-Type"]}
            request = urllib.request.Request(store.update, data=body, headers=headers)  # noqa: S310 - the test's server
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                    self._answer(answer.status, answer.read())
            except urllib.error.HTTPError as error:
                self._answer(error.code, error.read())

        def _answer(self, status: int, text: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

    with local_server(Handler) as url:
        record.url = f"{url}/sparql"
        yield record


def test_a_store_that_takes_updates_only_as_a_form_gets_them_so(oxigraph, bundled):
    """Regression: kgraph POSTed every update directly, and a store that reads an update only from a form's
    ``update`` field (as Amazon Neptune documents it) refused the first chunk: nothing could be pushed there."""
    store = oxigraph()
    with form_only(store) as proxy:
        result = run("push", "--method", "update", "--endpoint", proxy.url, "--batch", "3000", "--replace")
    assert result.exit_code == 0, result.output
    assert f"replaced {bundled.dataset:,} triples in 17 graphs" in result.stderr and "all at once" in result.stderr
    # One update sent directly and refused, then the same and every later one as a form: the chunks, the swap.
    assert proxy.seen[0] == "application/sparql-update"
    assert set(proxy.seen[1:]) == {"application/x-www-form-urlencoded"} and len(proxy.seen) > 18
    assert f"with {len(proxy.seen)} requests in" in result.stderr  # the one refused counts too
    assert store.count() == bundled.flat
    assert store.count("GRAPH ?g { ?s ?p ?o }") == bundled.named
    assert store.count(STAGED) == 0
    assert_same_answers(store.query)  # Chinese labels included: the form escapes each byte of their UTF-8


def test_an_update_a_store_refuses_the_same_both_ways_is_refused_for_itself_not_for_the_url(oxigraph):
    """Regression: an update the store could not read (the same 400 to it sent directly and as a form) was told
    to "check that URL is the store's SPARQL update URL", which it was: the hint is for a URL that refuses the two
    ways differently (a query URL: 415, then 400), and a Graph Store URL (415 to both)."""
    store = oxigraph()
    updater = push._Updater(Endpoint(store.update), timeout=10)
    updater.send(b"INSERT DATA { <urn:a> <urn:b> <urn:c> }")  # taken directly: no form
    assert not updater.as_form and store.count() == 1
    for text in (b"INSERT DATA { <urn:a> <urn:b> }", b"INSERT DATA { <urn:a%zz> <urn:b> <urn:c> }"):
        with pytest.raises(PushFailed) as failure:
            updater.send(text)  # Oxigraph answers the same 400 to both ways
        message = str(failure.value)
        assert message.startswith(f"{store.update} answered HTTP 400 Bad Request: error at 1:"), message
        assert message.endswith(
            "; the store refused the update itself (the same answer to it as a form's update field)"
        ), message
        assert "check that" not in message
        assert not updater.as_form and failure.value.status == 400 and store.count() == 1


def test_a_graph_iri_with_a_stray_percent_is_refused_before_anything_is_sent(oxigraph):
    """Regression: --graph 'urn:a%zz' was taken, every chunk sent into a temporary graph, and the last step refused
    (the store cannot read the IRI) with a hint that blamed the update URL. A % of an IRI begins two hexadecimal
    digits (RFC 3987)."""
    store = oxigraph()
    for graph, at in (("urn:a%zz", 6), ("urn:a%2", 6), ("https://example.org/caf%C3%A9/100%", 34)):
        result = run("push", "--endpoint", store.store, "--update-endpoint", store.update, "--graph", graph)
        assert result.exit_code == 2, result.output
        assert result.stderr == (
            f"Error: Invalid value for --graph: {graph!r} is not an IRI: its % at character {at} is not followed by "
            "two hexadecimal digits (%2F, %C3); write a % itself as %25\n"
        )
    kept = run("push", "--endpoint", store.store, "--update-endpoint", store.update, "--graph", "urn:a%2Fb%c3%a9")
    assert kept.exit_code == 0, kept.output
    assert store.count("GRAPH <urn:a%2Fb%c3%a9> { ?s ?p ?o }") > 0


def test_a_graph_name_that_is_no_iri_is_refused_by_the_python_api_before_anything_is_sent(loaded):
    """Regression: push.plan(loaded, "urn:a%zz"), which the command line's --graph refuses, was taken from Python:
    every chunk went into a temporary graph, and the store refused the IRI at the last step. plan() refuses it, and
    push() a Plan made by hand with it, before a request (nothing listens at the endpoint)."""
    target = push.Target(Endpoint("http://127.0.0.1:9/store"), update=Endpoint("http://127.0.0.1:9/update"))
    triples = [ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"))]
    not_absolute = "is not an absolute IRI: name the graph with one (https://..., urn:...), without spaces or <>"
    for graph, why in (
        ("http://x/a%zz", "is not an IRI: its % at character 11 is not followed by two hexadecimal digits"),
        ("urn:a%2", "is not an IRI: its % at character 6 is not followed by two hexadecimal digits"),
        ("a/b", not_absolute),
        ("urn:a b", not_absolute),
    ):
        with pytest.raises(InputError) as planned:
            push.plan(loaded, graph)
        with pytest.raises(InputError) as pushed:
            push.push(target, push.Plan([push.Upload(graph, triples)], batch=10))
        for raised in (planned, pushed):
            assert str(raised.value).startswith(f"graph {graph!r} {why}"), str(raised.value)
    with pytest.raises(InputError) as raised:
        push.plan(loaded, "http://x/a%zz")
    assert str(raised.value) == (
        "graph 'http://x/a%zz' is not an IRI: its % at character 11 is not followed by two hexadecimal digits (%2F, "
        "%C3); write a % itself as %25"
    )
    assert [u.graph for u in push.plan(loaded, "urn:a%2Fb%c3%a9").uploads] == ["urn:a%2Fb%c3%a9"]


def test_a_last_step_the_store_refuses_changes_nothing_and_drops_the_temporary_graphs(oxigraph, bundled):
    """Regression: an --update-endpoint that is not the store's update URL (its query URL here) took no update, so
    the push sent every chunk into temporary graphs, and the last step was refused: kgraph said the target graphs
    were "either all updated or all as they were" and left the temporary graphs, every triple of the push, at the
    store (where a default graph that is the union of the graphs shows them). A refusal (HTTP 4xx) applied
    nothing: the error now says so, and the Graph Store endpoint that took the chunks deletes their graphs."""
    store = oxigraph()
    result = run("push", "--endpoint", store.store, "--update-endpoint", store.query)
    assert result.exit_code == 3, result.output
    error = result.stderr.splitlines()[-1]
    assert error.startswith(f"Error: {store.query} answered HTTP 415 "), error
    assert error.endswith(
        f"Every chunk had been sent (17 requests, {bundled.dataset:,} triples, into temporary graphs); this was the "
        "last step, one update that ADDs them into place. The store refused it, so no target graph was changed; the "
        "temporary graphs were dropped (with DELETE requests to the Graph Store endpoint)"
    ), error
    assert store.count(STAGED) == 0
    assert store.count() == store.count("GRAPH ?g { ?s ?p ?o }") == 0
    one = run("push", "--endpoint", store.store, "--update-endpoint", store.query, "--graph", "urn:kg")
    assert one.exit_code == 3, one.output
    assert f"Every chunk had been sent (1 request, {bundled.flat:,} triples, into temporary graphs)" in one.stderr
    assert store.count(STAGED) == 0


# ------------------------------------------------------------------------------------------ Ctrl-C, SIGTERM

STAGED = "GRAPH ?g { ?s ?p ?o } FILTER STRSTARTS(STR(?g), 'urn:x-kgraph-push')"


def test_an_interrupted_replace_changes_nothing_and_drops_its_temporary_graphs(oxigraph, loaded, bundled):
    """Regression: Ctrl-C half-way left the chunks sent so far in temporary graphs at the store, without a word
    ("Aborted!" only): on a store whose default graph is the union of its graphs (GraphDB, Neptune) every query
    then saw them. Now they are dropped, and the interrupt says so."""
    store = oxigraph()
    target = push.Target(Endpoint(store.store), "gsp", Endpoint(store.update), timeout=10)
    push.push(target, push.plan(loaded, "urn:kg"))
    stale = b"DELETE WHERE { GRAPH <urn:kg> { ?s <https://w3id.org/kgraph/ontology#succeeds> ?o } }"
    push._request(Endpoint(store.update), stale, "application/sparql-update", timeout=10)
    kept = store.count("GRAPH <urn:kg> { ?s ?p ?o }")

    def ctrl_c_after_two(sent: int, _total: int) -> None:
        if sent >= 2000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as stopped:
        push.push(target, push.plan(loaded, "urn:kg", batch=1000), replace=True, progress=ctrl_c_after_two)
    assert stopped.value.__notes__ == [
        f"interrupted after 2 requests, 2,000 of {bundled.flat:,} triples, into temporary graphs: no target graph "
        "was changed (the last step, which puts them in place, was not reached); the temporary graphs were dropped"
    ]
    assert store.count(STAGED) == 0
    assert store.count("GRAPH <urn:kg> { ?s ?p ?o }") == kept


@dataclass
class Signalling:
    """A fake store that takes every request, and sends a signal to the main thread (where kgraph runs under
    CliRunner) while it holds the request for which ``when(number, body)`` is true: Ctrl-C or SIGTERM as kgraph
    waits for the store's answer."""

    signum: int
    when: Callable[[int, bytes], bool]
    url: str = ""
    bodies: list[tuple[str, bytes]] = field(default_factory=list)


@contextmanager
def signalling(signum: int, when: Callable[[int, bytes], bool]) -> Iterator[Signalling]:
    record = Signalling(signum, when)
    main = threading.main_thread().ident or 0

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            record.bodies.append((self.path, body))
            if record.when(len(record.bodies), body):
                signal.pthread_kill(main, record.signum)
                time.sleep(0.5)  # kgraph stops waiting for this answer
            with contextlib.suppress(OSError):
                self.send_response(204)
                self.end_headers()

    with local_server(Handler) as url:
        record.url = url
        yield record


def _stopped_lines(result: Result, signum: int) -> list[str]:
    assert result.exit_code == 128 + signum, result.output
    assert "Traceback" not in result.output
    last = {signal.SIGINT: "Aborted!", signal.SIGTERM: "Terminated"}[signum]
    lines = result.stderr.replace("\r", "\n").splitlines()
    assert lines[-1] == last, result.stderr
    return lines[:-1]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_ctrl_c_or_sigterm_during_a_push_drops_the_temporary_graphs_and_says_so(signum, bundled):
    with signalling(signum, lambda number, _body: number == 3) as fake:
        result = run(
            "push", "--endpoint", f"{fake.url}/store", "--update-endpoint", f"{fake.url}/update", "--batch", "1000"
        )
    lines = _stopped_lines(result, signum)
    assert 1000 < bundled.inferred <= 2000  # so the first two chunks of 1,000 are the whole inferred graph
    assert lines[-1] == (
        f"interrupted after 2 requests, {bundled.inferred:,} of {bundled.dataset:,} triples, into temporary graphs: "
        "no target graph was changed (the last step, which puts them in place, was not reached); the temporary "
        "graphs were dropped"
    )
    chunks = [path for path, _body in fake.bodies if path.startswith("/store")]
    assert len(chunks) == 3  # the third was being sent: the store may have taken it, so it is dropped too
    (drop,) = [body.decode() for path, body in fake.bodies if path == "/update"]
    staged = sorted({unquote(path.partition("graph=")[2]) for path in chunks})
    assert staged and all(f"DROP SILENT GRAPH <{name}>" in drop for name in staged)
    assert drop.count("DROP SILENT GRAPH") == 17  # every temporary graph, one for each graph of the dataset


def test_ctrl_c_during_a_push_without_an_update_endpoint_says_what_the_store_keeps(bundled):
    with signalling(signal.SIGINT, lambda number, _body: number == 3) as fake:
        result = run("push", "--endpoint", f"{fake.url}/store", "--graph", "urn:kg", "--batch", "1000")
    assert _stopped_lines(result, signal.SIGINT)[-1] == (
        f"interrupted after 2 requests, 2,000 of {bundled.flat:,} triples; the store keeps what it received (perhaps "
        "the chunk being sent too): push again to complete it (a triple sent twice is stored once)"
    )
    assert len(fake.bodies) == 3


def test_ctrl_c_during_the_last_step_of_a_push_drops_nothing():
    """The store may still be applying the MOVE: a DROP of its temporary graphs now would empty the targets."""
    with signalling(signal.SIGINT, lambda _number, body: body.startswith(b"MOVE")) as fake:
        result = run("push", "--endpoint", f"{fake.url}/store", "--update-endpoint", f"{fake.url}/update", "--replace")
    note = _stopped_lines(result, signal.SIGINT)[-1]
    assert note.startswith("interrupted during the last step of the push, the update that MOVEs the temporary ")
    assert "may still be applying it" in note and "run DROP SILENT GRAPH <urn:x-kgraph-push:" in note
    assert fake.bodies[-1][1].startswith(b"MOVE")  # nothing after it


MALFORMED_URLS = [
    ("http://[::1", "Invalid IPv6 URL"),
    ("http://[zz/store", "Invalid IPv6 URL"),
    ("http://a b/store", "it holds a space"),
    ("http://localhost:7878/store\r\n", "it holds the character '\\r'"),
    ("http://localhost:port/store", "its port is not a number from 0 to 65535"),
    ("http://:7878/store", "it names no host"),
    ("http://a..b:7878/store", "its host 'a..b' is not a valid host name"),
    ("http://localhost:7878/störe", "which a URL must percent-encode as %C3%B6"),
    ("localhost:7878/store", "it does not start with http:// or https://"),
    ("", "it does not start with http:// or https://"),  # --update-endpoint "" was taken for none given
]
GOOD_URL = "http://127.0.0.1:7878/store"


@pytest.mark.parametrize(("url", "reason"), MALFORMED_URLS)
def test_a_malformed_url_is_bad_input(url, reason):
    """Regression: urllib took these without a word and failed on the first request, with a traceback (ValueError,
    http.client.InvalidURL, UnicodeError) or a misleading "did not answer" (exit 3). Refused before anything loads."""
    assert_refused_url(run("push", "--endpoint", url), "--endpoint", url, reason)
    assert_refused_url(run("push", "--method", "update", "--endpoint", url), "--endpoint", url, reason)
    update = run("push", "--endpoint", GOOD_URL, "--update-endpoint", url, "--replace")
    assert_refused_url(update, "--update-endpoint", url, reason)


def test_a_url_with_a_login_in_it_is_refused_and_the_password_never_shown():
    """Regression: urllib took "loader:pa55@127.0.0.1" for the host, and the push printed the password twice:
    "pushing ... to http://loader:pa55@127.0.0.1:PORT/store", then "the store at http://loader:pa55@... did not
    answer ([Errno -2] Name or service not known)" (exit 3). The login goes in $KGRAPH_ENDPOINT_AUTH."""
    bare = f"http://127.0.0.1:{_free_port()}"
    url = bare.replace("//", "//loader:pa55@")
    for args, option, given in (
        (("--endpoint", f"{url}/store"), "--endpoint", f"{bare}/store"),
        (("--method", "update", "--endpoint", f"{url}/update"), "--endpoint", f"{bare}/update"),
        (("--endpoint", f"{bare}/store", "--update-endpoint", f"{url}/update"), "--update-endpoint", f"{bare}/update"),
        (("--endpoint", f"http://loader@{bare[7:]}/store"), "--endpoint", f"{bare}/store"),
    ):
        result = run("push", *args)
        assert result.exit_code == 2, result.output
        assert result.stderr == (
            f"Error: {option} {given!r} holds a user name and password (user:password@ before the host), which "
            "kgraph never takes from the command line; give the URL without them, and put user:password in "
            "$KGRAPH_ENDPOINT_AUTH\n"
        )
        assert "pa55" not in result.output and "loader" not in result.output
    with pytest.raises(InputError) as python:
        Endpoint(f"{url}/store")
    assert "pa55" not in str(python.value) and "the login as Endpoint(url, user, password)" in str(python.value)


# ------------------------------------------------------------------------------------------ chunks


def test_a_blank_node_never_straddles_two_chunks():
    def iri(name: str) -> ox.NamedNode:
        return ox.NamedNode(f"http://example.org/{name}")

    a, b, c = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("c")
    triples = [
        ox.Triple(iri("s1"), iri("p"), iri("o")),
        ox.Triple(iri("s2"), iri("p"), a),
        ox.Triple(a, iri("p"), b),
        ox.Triple(iri("s3"), iri("p"), iri("o")),
        ox.Triple(b, iri("q"), ox.Literal("x")),
        ox.Triple(c, iri("p"), iri("o")),
    ]
    plan = push.Plan([push.Upload("urn:g", triples)], batch=2)
    chunks = list(plan.chunks(plan.uploads[0]))
    assert sorted(map(str, (t for chunk in chunks for t in chunk))) == sorted(map(str, triples))
    for blank in (a, b, c):
        holding = [i for i, chunk in enumerate(chunks) if any(blank in (t.subject, t.object) for t in chunk)]
        assert len(holding) == 1, blank
    linked = next(chunk for chunk in chunks if triples[2] in chunk)
    assert {triples[1], triples[2], triples[4]} <= set(linked)  # a and b, linked, travel together


def test_the_plan_of_the_bundled_graph(loaded: LoadedGraph, bundled: Bundled):
    dataset = push.plan(loaded, None, batch=4000)
    assert [u.graph for u in dataset.uploads][-1] == push.DEFAULT_GRAPH
    assert len(dataset.uploads) == 17 and dataset.triples == bundled.named + bundled.flat
    assert 4000 < bundled.flat <= 8000  # so the default graph takes two chunks of 4,000
    assert dataset.requests == 16 + 2  # one chunk for each named graph, two for the default graph
    named = push.plan(loaded, None, named_only=True)
    assert push.DEFAULT_GRAPH not in [u.graph for u in named.uploads] and named.triples == bundled.named
    one = push.plan(loaded, "urn:kg")
    assert [(u.graph, len(u.triples)) for u in one.uploads] == [("urn:kg", bundled.flat)]


def test_a_batch_below_one_or_replace_without_an_update_endpoint_is_refused_in_python_s_words(loaded):
    """push.plan(batch=0) said "--batch must be 1 or more" to a Python caller, who passed no option, and
    push.push(..., replace=True) that "--replace needs ... (--update-endpoint URL, or --method update)"."""
    from kgraph.errors import InputError  # noqa: PLC0415

    with pytest.raises(InputError) as raised:
        push.plan(loaded, "urn:kg", batch=0)
    assert (str(raised.value), raised.value.cli_message) == (
        "batch must be 1 or more, not 0",
        "--batch must be 1 or more, not 0",
    )
    with pytest.raises(InputError) as raised:  # refused before anything is sent: nothing listens there
        push.push(push.Target(Endpoint("http://127.0.0.1:9/store")), push.Plan([], batch=10), replace=True)
    assert str(raised.value).startswith(
        "replace=True needs the store's SPARQL update endpoint (Target(endpoint, update=Endpoint(URL)), or "
        'method="update"): kgraph uploads into temporary graphs'
    )
    assert raised.value.cli_message.startswith(
        "--replace needs the store's SPARQL update endpoint (--update-endpoint URL, or --method update): kgraph "
        "uploads into temporary graphs"
    )
