"""Shared fixtures: the bundled graph loaded once, small ontology/data folders written inline, and a browser."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import Phase, settings

from kgraph.resources import default_ontology_dir
from kgraph.store import LoadedGraph, load

# The property tests (hypothesis) draw the same examples on every run, and keep no example database in the
# checkout: a laptop and CI try the same cases (the order of a set still differs: see pytest_report_header).
# HYPOTHESIS_PROFILE=explore draws new ones each run, to hunt for cases the fixed ones miss (a case found that way
# belongs in the test, as an @example).
# Without the explain phase: to explain a failure, hypothesis traces every line each later run of the test executes
# (sys.settrace before Python 3.12), which made one of these tests, once failing, shrink for over an hour, not
# minutes, and CI stop at its time limit with no failure shown.
settings.register_profile(
    "kgraph", derandomize=True, database=None, phases=[phase for phase in Phase if phase is not Phase.explain]
)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "kgraph"))


def pytest_configure(config: pytest.Config) -> None:
    """The signals as a terminal gives them, for this process and the commands the tests start. The suite may be
    started with SIGINT or SIGHUP ignored (a script's background job without job control ignores SIGINT, nohup
    ignores SIGHUP, and so may a CI runner), and kgraph rightly keeps such a signal ignored: a test that sends one
    then saw the command run on (exit 0, not 130). The tests send them as a user at a terminal would."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    for signum in (signal.SIGHUP, signal.SIGTERM):
        if signal.getsignal(signum) is signal.SIG_IGN:
            signal.signal(signum, signal.SIG_DFL)


def pytest_report_header() -> str:
    """The hash seed of the run: a failure that depends on the order of a set is met again with it."""
    seed = os.environ.get("PYTHONHASHSEED", "")
    return f"PYTHONHASHSEED={seed}" if seed else "PYTHONHASHSEED not set (random: set it to repeat a run's orders)"


PREFIXES = """\
@prefix kg:     <https://w3id.org/kgraph/ontology#> .
@prefix kgr:    <https://w3id.org/kgraph/resource/> .
@prefix kgf:    <https://w3id.org/kgraph/figure/> .
@prefix src:    <https://w3id.org/kgraph/source/reinvent-2025-keynote/> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix sh:     <http://www.w3.org/ns/shacl#> .
"""

#: A small ontology with the same shape as the real one: enough classes and properties to test inference exactly.
MINI_ONTOLOGY = (
    PREFIXES
    + """
kg:Entity a owl:Class ; rdfs:subClassOf schema:Thing , prov:Entity ; rdfs:label "Entity"@en , "实体"@zh .
kg:Organization a owl:Class ; rdfs:subClassOf kg:Entity , schema:Organization ;
    rdfs:label "Organization"@en , "组织"@zh .
kg:Company a owl:Class ; rdfs:subClassOf kg:Organization ; rdfs:label "Company"@en , "公司"@zh .
kg:Product a owl:Class ; rdfs:subClassOf kg:Entity , schema:Product ; rdfs:label "Product"@en , "产品"@zh .
kg:Hardware a owl:Class ; rdfs:subClassOf kg:Product ; rdfs:label "Hardware"@en , "硬件"@zh .
kg:Chip a owl:Class ; rdfs:subClassOf kg:Hardware ; rdfs:label "Chip"@en , "芯片"@zh .
kg:AIModel a owl:Class ; rdfs:subClassOf kg:Product ; rdfs:label "AI model"@en , "AI模型"@zh .

kg:relatedTo a owl:ObjectProperty ; rdfs:label "related to"@en .
kg:uses a owl:ObjectProperty ; rdfs:subPropertyOf kg:relatedTo ; owl:inverseOf kg:usedBy ; rdfs:label "uses"@en .
kg:usedBy a owl:ObjectProperty ; rdfs:subPropertyOf kg:relatedTo ; rdfs:label "used by"@en .
kg:trainedOn a owl:ObjectProperty ; rdfs:subPropertyOf kg:uses ; owl:inverseOf kg:trained ;
    rdfs:label "trained on"@en .
kg:trained a owl:ObjectProperty ; rdfs:subPropertyOf kg:usedBy ; rdfs:label "trained"@en .
kg:developedBy a owl:ObjectProperty ; rdfs:subPropertyOf kg:relatedTo ; owl:inverseOf kg:developed ;
    rdfs:label "developed by"@en ; rdfs:domain kg:Entity ; rdfs:range kg:Organization .
kg:developed a owl:ObjectProperty ; rdfs:subPropertyOf kg:relatedTo ; rdfs:label "developed"@en .
kg:partnerOf a owl:ObjectProperty , owl:SymmetricProperty ; rdfs:subPropertyOf kg:relatedTo ;
    rdfs:label "partner of"@en .
kg:customerOf a owl:ObjectProperty ; rdfs:subPropertyOf kg:relatedTo ; owl:inverseOf kg:vendorOf ;
    rdfs:label "customer of"@en .
kg:vendorOf a owl:ObjectProperty ; rdfs:subPropertyOf kg:relatedTo ; rdfs:label "vendor of"@en .
kg:value a owl:DatatypeProperty ; rdfs:subPropertyOf schema:value ; rdfs:label "value"@en .
"""
)

MakeKG = Callable[..., tuple[Path, Path]]


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the tests' validation cache (kgraph.cache) out of the user's cache folder, and the user's choice of
    tables (``KGRAPH_TABLES=records``) out of the outputs the tests compare; subprocesses inherit both."""
    previous = {name: os.environ.get(name) for name in ("KGRAPH_CACHE_DIR", "KGRAPH_NO_CACHE", "KGRAPH_TABLES")}
    os.environ["KGRAPH_CACHE_DIR"] = str(tmp_path_factory.mktemp("kgraph-cache"))
    os.environ.pop("KGRAPH_NO_CACHE", None)
    os.environ.pop("KGRAPH_TABLES", None)
    yield
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def loaded() -> LoadedGraph:
    """The bundled ontology and data, loaded and inferred once for the whole session."""
    return load()


#: The Chromium the browser tests drive (Debian's: ``apt-get install chromium``); no browser is ever downloaded.
#: docs/screenshots.py starts it alike, with a copy of its own of the flags (test_viewer.py keeps them the same).
CHROMIUM = Path(os.environ.get("KGRAPH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless :data:`CHROMIUM` driven by Playwright, once per module of browser tests (test_viewer_browser.py,
    test_ontology_browser.py); the test fails if there is none, rather than pass without a browser."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the test extra (pip install -e '.[test]') has it")
    if not CHROMIUM.is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: install it (apt-get install chromium) or set KGRAPH_CHROMIUM")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled ontology and data loaded into a store (``kgraph load --store``), once per test module."""
    from kgraph import persist  # noqa: PLC0415 - pyoxigraph only for the tests that use a store

    folder = tmp_path_factory.mktemp("store") / "kgraph-store"
    persist.build(folder)
    return folder


@pytest.fixture
def make_kg(tmp_path: Path) -> MakeKG:
    """Write a data folder (and by default the mini ontology with the real rules) under tmp_path.

    ``make_kg({"a.trig": "..."})`` returns ``(data_dir, ontology_dir)``. Texts are written as given (no prefixes
    added: use ``PREFIXES``); ``ontology=`` replaces the ontology folder's files; ``rules=False`` leaves out the
    bundled rules.
    """

    def make(
        data: dict[str, str],
        ontology: dict[str, str] | None = None,
        *,
        rules: bool = True,
    ) -> tuple[Path, Path]:
        data_dir = tmp_path / "data"
        ontology_dir = tmp_path / "ontology"
        _write(data_dir, data)
        _write(ontology_dir, ontology if ontology is not None else {"kgraph.ttl": MINI_ONTOLOGY})
        if rules:
            _write(ontology_dir / "rules", _bundled_rules())
        return data_dir, ontology_dir

    return make


def both_ways(data_dir: Path, ontology_dir: Path, store_dir: Path) -> tuple[LoadedGraph, LoadedGraph]:
    """The same files loaded in memory, and into a store built in ``store_dir``, for tests that compare the two."""
    from kgraph import persist  # noqa: PLC0415

    persist.build(store_dir, data_dir, ontology_dir)
    return load(data_dir, ontology_dir), persist.open_store(store_dir)


def bundled_with(tmp_path: Path, files: dict[str, str]) -> tuple[LoadedGraph, LoadedGraph]:
    """The bundled data with ``files`` (a name: its TriG) added, :func:`both_ways`, under ``tmp_path``."""
    import shutil  # noqa: PLC0415

    from kgraph.resources import default_data_dir  # noqa: PLC0415

    data_dir = tmp_path / "data"
    shutil.copytree(default_data_dir(), data_dir)
    for name, text in files.items():
        (data_dir / name).write_text(text, encoding="utf-8")
    return both_ways(data_dir, default_ontology_dir(), tmp_path / "store")


def checked_scope(on_store: LoadedGraph, folder: Path) -> Any:
    """The :class:`kgraph.shacl_scope.Scope` that validating ``on_store`` uses, over a copy of what SHACL checks
    made in ``folder``."""
    from rdflib import Graph  # noqa: PLC0415 - for the validation tests only
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID  # noqa: PLC0415

    from kgraph import shacl_scope, validation  # noqa: PLC0415
    from kgraph.oxstore import ReadOnlyOxigraphStore, native_of  # noqa: PLC0415

    store = native_of(on_store)
    assert store is not None
    copy = validation._checked_copy(store, folder)
    data = Graph(store=ReadOnlyOxigraphStore(copy, {}, len(copy)), identifier=DATASET_DEFAULT_GRAPH_ID)
    return shacl_scope.Scope(data, copy, validation.shapes_graph(on_store))


def write_mini_ontology(folder: Path) -> Path:
    """Write the mini ontology and the bundled rules into ``folder`` (for tests that make many data folders)."""
    _write(folder, {"kgraph.ttl": MINI_ONTOLOGY})
    _write(folder / "rules", _bundled_rules())
    return folder


def bench_generate(monkeypatch: pytest.MonkeyPatch) -> Any:
    """bench/generate.py loaded as the module ``generate``, which is in ``sys.modules`` during the test (its
    dataclasses look their module up there)."""
    import importlib.util  # noqa: PLC0415
    import sys  # noqa: PLC0415

    script = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("generate", script)
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "generate", generate)
    spec.loader.exec_module(generate)
    return generate


def generated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, triples: int) -> Path:
    """A data folder ``tmp_path/data`` holding bench/generate.py's graph of about ``triples`` triples, shaped like
    the data scaled up: many customers and products, a fact in twenty stated in two sections."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    bench_generate(monkeypatch).write(data_dir / "gen.trig", triples)
    return data_dir


def patterns_asked(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every triple pattern a store is asked for (``ReadOnlyOxigraphStore.triples``) from now on, in order."""
    from kgraph.oxstore import ReadOnlyOxigraphStore  # noqa: PLC0415 - pyoxigraph only where a store is

    asked: list[object] = []
    real = ReadOnlyOxigraphStore.triples

    def triples(self: ReadOnlyOxigraphStore, pattern: object, context: object = None) -> object:
        asked.append(pattern)
        return real(self, pattern, context)

    monkeypatch.setattr(ReadOnlyOxigraphStore, "triples", triples)
    return asked


def setting_back(
    monkeypatch: pytest.MonkeyPatch, back: Callable[[int, Any], bool], first: Callable[..., Any]
) -> list[int]:
    """Have the code under test make the first of the ``signal.signal`` calls that ``back`` picks (by the signal
    and the handler set) with ``first`` (called as ``signal.signal`` is), every other call as before; the signals
    of the calls ``back`` picked, in order."""
    real = signal.signal
    restored: list[int] = []

    def setting(signum: int, handler: Any) -> Any:
        if back(signum, handler):
            restored.append(signum)
            if len(restored) == 1:
                return first(signum, handler)
        return real(signum, handler)

    monkeypatch.setattr(signal, "signal", setting)
    return restored


def saved_answers(run: Callable[..., Result], saved: Any, endpoint: str) -> tuple[str, Result, Result]:
    """The saved query ``saved`` run with its example's parameters by ``run`` (a test's CLI runner), here and at
    ``endpoint``, in a format of its kind (SELECT as TSV, ASK as JSON, CONSTRUCT as N-Triples): its kind and the two
    results, both of which exit 0, the one here with something in it."""
    from kgraph.query import parse  # noqa: PLC0415

    (params,) = saved.example_params()
    args = [arg for key, value in params.items() for arg in ("--param", f"{key}={value}")]
    kind = parse(saved.text).kind
    fmt = {"SELECT": "tsv", "ASK": "json", "CONSTRUCT": "nt"}[kind]
    local = run("queries", "run", saved.name, *args, "--format", fmt)
    there = run("queries", "run", saved.name, *args, "--format", fmt, "--endpoint", endpoint)
    assert local.exit_code == there.exit_code == 0, (saved.name, there.output)
    assert len(local.stdout.splitlines()) > 1 or "true" in local.stdout
    return kind, local, there


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def _bundled_rules() -> dict[str, str]:
    rules = default_ontology_dir() / "rules"
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(rules.glob("*.rq"))}


@pytest.fixture
def ox_terms_read(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every Oxigraph term a store's answer turns into an rdflib term from now on (``oxstore.from_ox``), to show how
    much of an answer was read; clear it between reads."""
    from kgraph import oxstore  # noqa: PLC0415 - pyoxigraph only for the tests that use a store

    read: list[object] = []
    real = oxstore.from_ox

    def counted(term: object) -> object:
        read.append(term)
        return real(term)

    monkeypatch.setattr(oxstore, "from_ox", counted)
    return read


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run the test with tmp_path as the current folder."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path


# ------------------------------------------------------------------------------------ local HTTP servers


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that does not log each request to stderr."""

    def log_message(self, *_args: object) -> None:
        pass


@contextmanager
def local_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free port of 127.0.0.1 in a thread; yield its URL (``http://127.0.0.1:PORT``) and
    stop it afterwards."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def assert_refused_url(result: Result, option: str, url: str, reason: str) -> None:
    """Exit 2 and one line on stderr that names the option, the URL and what is wrong with it: no traceback."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {option} {url!r} is not an http(s) URL ("), lines[0]
    assert reason in lines[0], lines[0]
    assert "Traceback" not in result.output
