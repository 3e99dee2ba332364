"""A persistent on-disk store (Oxigraph) for graphs that outgrow memory: :func:`build` it, :func:`open_store` it.

A store folder holds::

    DIR/kgraph-store.json   what was loaded: format version, fingerprint, files (size, mtime), rules, counts
    DIR/names.sqlite        every label, alt label and local name, normalised, for finding names (kgraph.name_index)
    DIR/oxigraph/           the Oxigraph database (RocksDB files)
    DIR/ontology/           a copy of the ontology folder that was loaded (ontology files, shapes.ttl, rules/*.rq)

Inside the database the named graphs are the in-memory ones (:func:`kgraph.store.load`): the ontology graph,
one graph per source section, the file graph of each plain Turtle/N-Triples file, the inferred graph. The
**default graph** is the flat graph: every triple, asserted or inferred, once. kgraph queries it rather than
Oxigraph's union of the named graphs, which repeats a triple once per graph that holds it (a fact two sections
state would count twice); so every triple is seen exactly once, as in rdflib's ``Dataset(default_union=True)``,
and a pattern is one index look-up.

:func:`build` parses every file once with Oxigraph's parser and writes the quads and their default-graph copies
to N-Quads files of a million lines; what the sub-class / sub-property / inverse / symmetric rules entail is
local to each triple, so it is worked out while parsing (with :meth:`kgraph.inference.Schema.consequences`
itself) and written after the stated triples, less those a file also states. Each file is bulk-loaded, then the
SPARQL rules (``ontology/rules/*.rq``) run in Oxigraph to a fixpoint. Everything is built in a temporary folder
beside DIR, which replaces DIR only when complete: a failed load leaves DIR as it was.

:func:`open_store` opens DIR read-only and returns a :class:`~kgraph.store.LoadedGraph` whose ``graph`` and
``dataset`` are rdflib objects over :class:`~kgraph.oxstore.ReadOnlyOxigraphStore` (an :mod:`oxrdflib` store),
so every command keeps rdflib's API; SPARQL given as a string runs in Oxigraph (:mod:`kgraph.oxstore`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import pyoxigraph as ox
from oxrdflib._converter import to_ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF
from rdflib.term import Node

from kgraph import __version__, inference, name_index
from kgraph.errors import DataSyntaxError, InputError, StoreError
from kgraph.oxstore import (
    FLAT,
    INFERRED,
    ReadOnlyOxigraphStore,
    evaluate,
    from_ox,
    native_of,
    sparql,
    write_nquads,
    write_ntriples,
)
from kgraph.resources import RULES_DIR_NAME, SHAPES_FILE_NAME
from kgraph.store import FORMATS, LoadedGraph, display_path, find_inputs, parse_file
from kgraph.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, bind_prefixes, file_graph

#: The layout of a store folder; a store of a higher number was written by a newer kgraph.
FORMAT = 1
#: How the store's contents are made, in the same layout: the next ``kgraph load`` rebuilds a store of another
#: build even when its files have not changed. 2: blank nodes keep one label across the bulk loads (build 1 split
#: a blank node's stated and inferred triples onto two nodes).
BUILD = 2
MANIFEST = "kgraph-store.json"
DATABASE = "oxigraph"
ONTOLOGY_COPY = "ontology"
#: Quads per bulk load (see :class:`_Staging`): about 1 GB of memory while it loads.
CHUNK_QUADS = 1_000_000
#: Files at least this large get a progress bar while they are read.
PROGRESS_BYTES = 1 << 20

_OX_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
}
_INFERRED = INFERRED
_FLAT = FLAT
_RDF_TYPE = str(RDF.type)


class Progress(Protocol):
    """Where :func:`build` reports what it does (the CLI draws it on stderr; the core never prints)."""

    def step(self, message: str) -> None:
        """A new step begins (``reading data/x.trig``, ``inferring``)."""

    def start(self, total: int, label: str) -> None:
        """A large file (``label``, ``total`` bytes) starts being read."""

    def advance(self, done: int) -> None:
        """``done`` more bytes were read."""

    def finish(self) -> None:
        """The file is read."""


class _Silent:
    def step(self, message: str) -> None:
        pass

    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, done: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass(frozen=True)
class Built:
    """What :func:`build` did."""

    store_dir: Path
    files: int
    triples: int
    inferred: int
    #: False when the store already held exactly these files (same fingerprint) and was left alone.
    rebuilt: bool = True


# ------------------------------------------------------------------------------------------------- build


def build(
    store_dir: Path,
    data_dir: Path | None = None,
    ontology_dir: Path | None = None,
    extra_files: Sequence[Path] = (),
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> Built:
    """Load the ontology, the data and ``extra_files`` into a new store at ``store_dir``, infer, and swap it in.

    A store that already holds exactly these files (same fingerprint) is left alone unless ``force``. Raises
    :class:`~kgraph.errors.DataSyntaxError` (file and line) for a file that does not parse and
    :class:`~kgraph.errors.InputError` / :class:`~kgraph.errors.StoreError` for what else is wrong; in every
    case the store at ``store_dir`` is as it was.
    """
    report = progress or _Silent()
    ontology_dir, data_dir, ontology_files, data_files = find_inputs(data_dir, ontology_dir)
    extras = [_extra_file(path) for path in extra_files]
    rules_dir = ontology_dir / RULES_DIR_NAME
    inputs = [("ontology", p) for p in ontology_files] + [("data", p) for p in data_files]
    inputs += [("extra", p) for p in extras]
    fingerprint = _fingerprint(inputs, sorted(rules_dir.glob("*.rq")) if rules_dir.is_dir() else [])
    _check_target(store_dir)
    if not force and _up_to_date(store_dir, fingerprint):
        manifest = _read_manifest(store_dir)
        counts = manifest["counts"]
        return Built(store_dir, len(inputs), counts["union"], counts["graphs"].get(str(INFERRED_GRAPH), 0), False)

    rules = inference.load_rules(rules_dir, f"{display_path(ontology_dir)}/{RULES_DIR_NAME}")
    schema = inference.Schema.from_ontology(_ontology_graph(ontology_files))
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.building-", dir=store_dir.parent))
    try:
        counts = _build_into(building, inputs, schema, rules, report)
        _copy_ontology(ontology_dir, ontology_files, rules_dir, building / ONTOLOGY_COPY)
        manifest = {
            "format": FORMAT,
            "build": BUILD,
            "kgraph": __version__,
            "pyoxigraph": ox.__version__,
            "fingerprint": fingerprint,
            "ontology_dir": str(ontology_dir.resolve()),
            "data_dir": str(data_dir.resolve()),
            "files": [_file_entry(role, path) for role, path in inputs],
            "rules": [rule.name for rule in rules],
            "counts": counts,
            "names": name_index.VERSION,
        }
        text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        (building / MANIFEST).write_text(text, encoding="utf-8")
        _swap(building, store_dir)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return Built(store_dir, len(inputs), counts["union"], counts["graphs"].get(str(INFERRED_GRAPH), 0))


def _extra_file(path: Path) -> Path:
    if not path.is_file():
        raise InputError(f"{display_path(path)} is not a file; pass RDF files (*.ttl, *.trig, *.nt, *.nq)")
    if path.suffix not in FORMATS:
        raise InputError(f"{display_path(path)}: kgraph reads *.ttl, *.trig, *.nt and *.nq files; convert it first")
    return path


def _fingerprint(inputs: Sequence[tuple[str, Path]], rules: Sequence[Path]) -> str:
    """SHA-256 over role, name and bytes of every file, as :func:`kgraph.store.load` computes it."""
    fingerprint = hashlib.sha256()
    for role, path in [*inputs, *(("rule", p) for p in rules)]:
        content = hashlib.sha256()
        try:
            with path.open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    content.update(chunk)
        except OSError as error:
            message = f"cannot read {display_path(path)}: {error.strerror}; check that the file is readable"
            raise InputError(message) from error
        for digest in (hashlib.sha256(role.encode()).digest(), hashlib.sha256(path.name.encode()).digest()):
            fingerprint.update(digest)
        fingerprint.update(content.digest())
    return fingerprint.hexdigest()


def _check_target(store_dir: Path) -> None:
    """Refuse to replace a folder that is not a kgraph store (a typo must not delete someone's files)."""
    if store_dir.exists() and not store_dir.is_dir():
        raise InputError(f"{display_path(store_dir)} is a file; pass --store DIR with a folder (new or a store)")
    if store_dir.is_dir() and any(store_dir.iterdir()) and not (store_dir / MANIFEST).is_file():
        raise InputError(
            f"{display_path(store_dir)} is a folder with files in it but not a kgraph store; "
            "pass --store with a new or empty folder, or with a store kgraph load made"
        )


def _up_to_date(store_dir: Path, fingerprint: str) -> bool:
    try:
        manifest = _read_manifest(store_dir)
    except StoreError:
        return False
    current = manifest.get("fingerprint") == fingerprint and manifest.get("build") == BUILD
    return bool(current and _indexes_names(manifest) and (store_dir / DATABASE).is_dir())


def _indexes_names(manifest: Mapping[str, Any]) -> bool:
    """Whether the store has a name index this kgraph reads (a store without one is rebuilt by the next load)."""
    return bool(manifest.get("names") == name_index.VERSION)


def _ontology_graph(files: Sequence[Path]) -> Graph:
    """The ontology, parsed with rdflib (it is small) for the inference tables; syntax errors name file and line."""
    graph = Graph()
    for path in files:
        for context in parse_file(path, []).graphs():
            graph += context
    return graph


def _build_into(
    folder: Path,
    inputs: Sequence[tuple[str, Path]],
    schema: inference.Schema,
    rules: Sequence[inference.Rule],
    report: Progress,
) -> dict[str, Any]:
    entailments = _Entailments(schema)
    stated = _Stated(folder / "entailed.nt")
    with _Staging(folder, "stated") as staging, stated:
        report.step(f"reading {len(inputs)} files ({sum(p.stat().st_size for _r, p in inputs):,} bytes)")
        for number, (role, path) in enumerate(inputs):
            _stage_file(path, number, role, entailments=entailments, out=staging, stated=stated, report=report)
    store = ox.Store(str(folder / DATABASE))
    try:
        report.step(f"writing the store ({staging.total:,} quads to sort and index)")
        _bulk_load(store, staging)
        report.step("inferring")
        with _Staging(folder, "inferred") as inferred:
            stated.write_inferred(store, inferred)
        _bulk_load(store, inferred)
        _apply_rules(store, rules, entailments, stated, folder)
        counts = _counts(store)
        report.step("indexing names")
        name_index.write(store, folder / name_index.FILE)
        store.flush()
    finally:
        del store
    return counts


def _bulk_load(store: ox.Store, staging: _Staging) -> None:
    for chunk in staging.files:
        # Parsed here rather than by Store.bulk_load, which gives the blank nodes of each file it loads new labels:
        # a blank node whose triples are in two files (its stated and its inferred ones) would become two nodes.
        # The same bulk loader, as fast and in as much memory.
        store.bulk_extend(ox.parse(path=str(chunk), format=ox.RdfFormat.N_QUADS))
        chunk.unlink()


class _Stated:
    """What the files state (as hashes of their N-Triples text) and what the schema entails of it (in a file),
    so that an entailed triple that some file also states is not taken for an inference.

    A stated triple's hash is kept, not its text (8 bytes and a set entry, not the triple); an entailed triple
    whose hash is among them is looked up in the store before it is dropped, so a hash collision costs a
    look-up, never an inference.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.hashes: set[int] = set()
        self.out: IO[str] = path.open("w", encoding="utf-8", newline="\n")

    def stated(self, triple: str) -> None:
        self.hashes.add(hash(triple))

    def entailed(self, triple: str) -> None:
        self.out.write(f"{triple}\n")

    def __enter__(self) -> _Stated:
        return self

    def __exit__(self, *exc: object) -> None:
        self.out.close()

    def write_inferred(self, store: ox.Store, out: _Staging) -> None:
        """Write each entailed triple that no file states into the inferred graph and the flat graph."""
        inferred = str(_INFERRED)
        hashes = self.hashes
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                triple = line[:-1]
                if hash(triple) in hashes and _stated_in_store(store, triple):
                    continue
                out.write(f"{triple} {inferred} .\n{triple} .\n", 2)
        self.path.unlink()

    def holds(self, store: ox.Store, triple: str) -> bool:
        """Whether a file states ``triple`` (N-Triples text)."""
        return hash(triple) in self.hashes and _stated_in_store(store, triple)


def _stated_in_store(store: ox.Store, triple: str) -> bool:
    """Whether a named graph (a section, a file, the ontology) holds ``triple`` (N-Triples text)."""
    quad = next(iter(ox.parse(input=f"{triple} .", format=ox.RdfFormat.N_TRIPLES)))
    return any(
        isinstance(found.graph_name, ox.NamedNode)
        for found in store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
    )


class _Staging:
    """The N-Quads to load, in files of at most :data:`CHUNK_QUADS` lines, each loaded by one bulk load.

    Oxigraph's bulk loader holds what it loads in memory (about 1 KB a quad) before writing it out sorted, so
    loading in chunks bounds the memory a load takes, whatever the size of the graph.
    """

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self.files: list[Path] = []
        self.total = 0
        self._out: IO[str] | None = None
        self._lines = CHUNK_QUADS

    def write(self, text: str, lines: int) -> None:
        if self._lines >= CHUNK_QUADS:
            self._next()
        assert self._out is not None  # noqa: S101 - _next opened it
        self._out.write(text)
        self._lines += lines
        self.total += lines

    def _next(self) -> None:
        self.close()
        path = self.folder / f"{self.name}-{len(self.files):04d}.nq"
        self.files.append(path)
        self._out = path.open("w", encoding="utf-8", newline="\n")
        self._lines = 0

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Reader:
    """A binary file that reports how much of it was read."""

    def __init__(self, stream: IO[bytes], report: Progress) -> None:
        self.stream = stream
        self.report = report

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.report.advance(len(chunk))
        return chunk


def _stage_file(
    path: Path,
    number: int,
    role: str,
    *,
    entailments: _Entailments,
    out: _Staging,
    stated: _Stated,
    report: Progress,
) -> None:
    """Parse ``path`` and write its quads, their default-graph copies and what they entail to ``out``.

    Ontology files go into the ontology graph whole; a data file keeps its named graphs, and its default graph
    becomes the file graph.
    """
    display = display_path(path)
    size = path.stat().st_size
    labels: dict[str, str] = {}
    add_stated, add_entailed = stated.stated, stated.entailed
    default = ox.NamedNode(str(ONTOLOGY_GRAPH if role == "ontology" else file_graph(path.name)))
    write = out.write
    try:
        with path.open("rb") as stream:
            if size >= PROGRESS_BYTES:
                report.start(size, display)
            source: Any = _Reader(stream, report) if size >= PROGRESS_BYTES else stream
            quads = ox.parse(input=source, format=_OX_FORMATS[path.suffix], base_iri=str(file_graph(path.name)))
            for quad in quads:
                graph = quad.graph_name
                if role == "ontology" or isinstance(graph, ox.DefaultGraph):
                    graph = default
                s, p, o = quad.subject, quad.predicate, quad.object
                s_text = _bnode(s, number, labels) if isinstance(s, ox.BlankNode) else str(s)
                o_text = _bnode(o, number, labels) if isinstance(o, ox.BlankNode) else str(o)
                triple = f"{s_text} {p} {o_text}"
                write(f"{triple} {_graph_text(graph, number, labels)} .\n{triple} .\n", 2)
                add_stated(triple)
                for entailed in entailments.of(s_text, p, o, o_text):
                    add_entailed(entailed)
    except SyntaxError as error:
        raise DataSyntaxError(display, error.lineno, _syntax_message(error)) from error
    except OSError as error:
        raise InputError(
            f"cannot read {display}: {error.strerror or error}; check that the file is readable"
        ) from error
    finally:
        if size >= PROGRESS_BYTES:
            report.finish()


def _syntax_message(error: SyntaxError) -> str:
    message = str(error.msg or error)
    head, _sep, rest = message.partition(": ")
    return f"bad syntax: {rest if head.startswith('Parser error at line') else message}"


def _bnode(node: ox.BlankNode, number: int, labels: dict[str, str]) -> str:
    """A blank node label that is the same on every load of the same file and distinct between files."""
    label = labels.get(node.value)
    if label is None:
        label = labels[node.value] = f"_:f{number}b{len(labels)}"
    return label


def _graph_text(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, number: int, labels: dict[str, str]) -> str:
    return _bnode(graph, number, labels) if isinstance(graph, ox.BlankNode) else str(graph)


class _Entailments:
    """What one triple entails through the schema (sub-class, sub-property, inverse, symmetric), as N-Triples.

    These rules look at one triple at a time, so what a triple entails depends only on its predicate (and, for
    ``rdf:type``, its class, and whether the object is a literal). The answer is worked out once per key with
    :meth:`Schema.consequences` on placeholder terms, then filled in for every triple with that key.
    """

    _S = URIRef("urn:kgraph:placeholder:subject")
    _O = URIRef("urn:kgraph:placeholder:object")
    _L = Literal("urn:kgraph:placeholder:literal")

    def __init__(self, schema: inference.Schema) -> None:
        self.schema = schema
        self.templates: dict[tuple[str, str, bool], tuple[tuple[str, str, str], ...] | None] = {}

    def of(self, s_text: str, p: ox.NamedNode, o: Any, o_text: str) -> Iterator[str]:  # noqa: ANN401 - a term
        literal = isinstance(o, ox.Literal)
        key = (p.value, o.value if p.value == _RDF_TYPE else "", literal)
        templates = self.templates.get(key, ())
        if key not in self.templates:
            templates = self.templates[key] = self._templates(URIRef(p.value), o, literal)
        if templates is None:  # depends on the subject or object themselves: work it out for this triple
            yield from self._exact(s_text, p, o)
            return
        slots = {"s": s_text, "o": o_text}
        for subject, predicate, obj in templates:
            yield f"{slots.get(subject, subject)} {predicate} {slots.get(obj, obj)}"

    def _templates(self, p: URIRef, o: Any, literal: bool) -> tuple[tuple[str, str, str], ...] | None:  # noqa: ANN401
        placeholder = self._L if literal else (URIRef(o.value) if str(p) == _RDF_TYPE else self._O)
        slots: dict[Node, str] = {self._S: "s", placeholder: "o"}
        made = []
        for s, q, obj in _closure(self.schema, (self._S, p, placeholder)):
            if q == RDF.type and obj in (self._S, self._O):
                return None
            if s not in slots and not isinstance(s, URIRef):  # pragma: no cover - the schema makes no new terms
                return None
            made.append((slots.get(s) or _nt(s), _nt(q), slots.get(obj) or _nt(obj)))
        return tuple(made)

    def _exact(self, s_text: str, p: ox.NamedNode, o: Any) -> Iterator[str]:  # noqa: ANN401
        subject = _text_term(s_text)
        obj = from_ox(o)
        texts: dict[Node, str] = {subject: s_text}
        for a, q, b in _closure(self.schema, (subject, URIRef(p.value), obj)):
            yield f"{texts.get(a) or _nt(a)} {_nt(q)} {texts.get(b) or _nt(b)}"


def _text_term(text: str) -> Node:
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text[1:-1])


def _closure(schema: inference.Schema, triple: inference.Triple) -> list[inference.Triple]:
    """Everything ``triple`` entails by the schema rules alone, itself excluded (what :func:`inference.infer`
    adds for a graph of this one triple)."""
    seen = {triple}
    todo = [triple]
    while todo:
        for new in schema.consequences(todo.pop()):
            if new not in seen:
                seen.add(new)
                todo.append(new)
    seen.discard(triple)
    return sorted(seen)


def _nt(term: Node) -> str:
    """A term in N-Triples syntax, written by Oxigraph."""
    return str(to_ox(term))


def _apply_rules(
    store: ox.Store, rules: Sequence[inference.Rule], entailments: _Entailments, stated: _Stated, folder: Path
) -> None:
    """Run the CONSTRUCT rules on the flat graph until they add nothing new. A new conclusion goes into the inferred
    graph with what the schema entails of it (each rule sees what the rules before it concluded, as in memory)."""
    inferred = str(_INFERRED)
    for _round in range(inference.MAX_ROUNDS):
        added = 0
        for rule in rules:
            results = store.query(rule.text)
            assert isinstance(results, ox.QueryTriples)  # noqa: S101 - load_rules keeps CONSTRUCT queries only
            with _Staging(folder, "rules") as out:
                for triple in results:
                    if _has_bnode(triple) or _holds(store, triple):
                        continue
                    s, p, o = triple.subject, triple.predicate, triple.object
                    text = f"{s} {p} {o}"
                    out.write(f"{text} {inferred} .\n{text} .\n", 2)
                    for entailed in entailments.of(str(s), p, o, str(o)):
                        if not stated.holds(store, entailed):
                            out.write(f"{entailed} {inferred} .\n{entailed} .\n", 2)
            _bulk_load(store, out)
            added += out.total
        if not added:
            return
    names = ", ".join(rule.name for rule in rules)
    raise InputError(
        f"the rules ({names}) still add new triples after {inference.MAX_ROUNDS} rounds; does a rule make blank nodes?"
    )


def _has_bnode(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _holds(store: ox.Store, triple: ox.Triple) -> bool:
    found = store.quads_for_pattern(triple.subject, triple.predicate, triple.object, _FLAT)
    return next(iter(found), None) is not None


def _counts(store: ox.Store) -> dict[str, Any]:
    """Triples per named graph, and in the flat (default) graph."""
    graphs: dict[str, int] = {}
    solutions = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(solutions, ox.QuerySolutions)  # noqa: S101 - a SELECT
    for row in solutions:
        graphs[_value(row["g"])] = int(_value(row["n"]))
    return {
        "graphs": dict(sorted(graphs.items())),
        "union": _count(store, _FLAT),
    }


def _count(store: ox.Store, graph: ox.DefaultGraph | ox.NamedNode) -> int:
    solutions = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graph)
    assert isinstance(solutions, ox.QuerySolutions)  # noqa: S101 - a SELECT
    return int(_value(next(iter(solutions))["n"]))


def _value(term: Any) -> str:  # noqa: ANN401 - a pyoxigraph term
    return str(term.value)


def _copy_ontology(ontology_dir: Path, files: Sequence[Path], rules_dir: Path, target: Path) -> None:
    """Keep the ontology as loaded, with its shapes and rules, so validation uses what the store was built from."""
    target.mkdir()
    for path in [*files, ontology_dir / SHAPES_FILE_NAME]:
        if path.is_file():
            shutil.copy2(path, target / path.name)
    if rules_dir.is_dir():
        (target / RULES_DIR_NAME).mkdir()
        for path in sorted(rules_dir.glob("*.rq")):
            shutil.copy2(path, target / RULES_DIR_NAME / path.name)


def _file_entry(role: str, path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"role": role, "path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _swap(building: Path, store_dir: Path) -> None:
    """Put the finished store at ``store_dir``: two renames, the old store deleted only once the new one is there.

    Between the two renames (microseconds) ``store_dir`` does not exist; a crash right there leaves the old
    store in ``.NAME.old-*`` beside it, complete. If another ``kgraph load`` put a store there in between, that
    one stays and this one is dropped (StoreError).
    """
    old = None
    if store_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.old-", dir=store_dir.parent))
        store_dir.replace(old / "store")
    try:
        building.replace(store_dir)
    except OSError as error:
        where = display_path(store_dir)
        raise StoreError(
            f"another kgraph load wrote {where} at the same time ({error.strerror}); run it again"
        ) from error
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


# -------------------------------------------------------------------------------------------------- open


def open_store(store_dir: Path) -> LoadedGraph:
    """Open the store at ``store_dir`` read-only, without parsing anything, as a :class:`LoadedGraph`.

    Raises :class:`~kgraph.errors.StoreError` for a folder that is not a store, a store written by a newer
    kgraph, or a database Oxigraph cannot open (corrupt, or made by a newer Oxigraph).
    """
    manifest = _read_manifest(store_dir)
    database = store_dir / DATABASE
    try:
        native = ox.Store.read_only(str(database))
    except (OSError, RuntimeError) as error:  # RuntimeError: RocksDB reports corruption
        raise StoreError(
            f"cannot open the Oxigraph database in {display_path(store_dir)} ({_first_line(error)}); it is damaged "
            f"or was made by another Oxigraph version: rebuild it with kgraph load --store {display_path(store_dir)}"
        ) from error
    counts = manifest["counts"]
    rdf_store = ReadOnlyOxigraphStore(native, counts["graphs"], counts["union"])
    index_file = store_dir / name_index.FILE
    if _indexes_names(manifest) and index_file.is_file():
        rdf_store.name_index = name_index.NameIndex(index_file)
    dataset = Dataset(store=rdf_store, default_union=True)
    graph = Graph(store=rdf_store, identifier=DATASET_DEFAULT_GRAPH_ID)
    for target in (dataset, graph):
        bind_prefixes(target)
    files = [(entry["role"], Path(entry["path"])) for entry in manifest["files"]]
    return LoadedGraph(
        dataset=dataset,
        graph=graph,
        ontology_dir=store_dir / ONTOLOGY_COPY,
        data_dir=Path(manifest["data_dir"]),
        ontology_files=tuple(p for role, p in files if role == "ontology"),
        data_files=tuple(p for role, p in files if role != "ontology"),
        rules=tuple(manifest["rules"]),
        fingerprint=manifest["fingerprint"],
        warnings=tuple(_stale(store_dir, manifest["files"])),
        store_dir=store_dir,
    )


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0]


def _read_manifest(store_dir: Path) -> dict[str, Any]:
    where = display_path(store_dir)
    path = store_dir / MANIFEST
    if not store_dir.is_dir():
        raise StoreError(f"there is no store at {where}; build one with kgraph load --store {where}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise StoreError(
            f"{where} is not a kgraph store (it has no {MANIFEST}); build one with kgraph load --store {where}"
        ) from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StoreError(
            f"{where}/{MANIFEST} is damaged ({error}); rebuild with kgraph load --store {where}"
        ) from error
    version = manifest.get("format") if isinstance(manifest, dict) else None
    if not isinstance(version, int):
        raise StoreError(f"{where}/{MANIFEST} is damaged (no format number); rebuild with kgraph load --store {where}")
    if version > FORMAT:
        raise StoreError(
            f"the store {where} was written by a newer kgraph ({manifest.get('kgraph', '?')}, store format {version}; "
            f"this kgraph {__version__} reads format {FORMAT}): upgrade kgraph, or rebuild the store with "
            f"kgraph load --store {where}"
        )
    missing = [key for key in ("fingerprint", "files", "rules", "counts", "data_dir") if key not in manifest]
    if missing:
        raise StoreError(f"{where}/{MANIFEST} is damaged (no {', '.join(missing)}); rebuild with kgraph load")
    return dict(manifest)


def _stale(store_dir: Path, entries: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """Warnings for files that changed (or went) since they were loaded: the store no longer matches them."""
    for entry in entries:
        path = Path(entry["path"])
        try:
            stat = path.stat()
        except OSError:
            continue  # moved or deleted: the store still holds what it was loaded from
        if (stat.st_size, stat.st_mtime_ns) != (entry["size"], entry["mtime_ns"]):
            yield (
                f"{display_path(path)} changed since it was loaded into {display_path(store_dir)}; "
                f"run kgraph load --store {display_path(store_dir)} again"
            )


__all__ = [
    "Built",
    "Progress",
    "ReadOnlyOxigraphStore",
    "build",
    "evaluate",
    "native_of",
    "open_store",
    "sparql",
    "write_nquads",
    "write_ntriples",
]
