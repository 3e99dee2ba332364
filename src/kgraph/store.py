"""Load the ontology and the data into one dataset, and run inference.

:func:`load` is the only entry point. Rules for which files are read:

- ``ontology/``: every ``*.ttl``, ``*.trig``, ``*.nt``, ``*.nq`` directly in the folder, except ``shapes.ttl``
  (the SHACL shapes, read by :mod:`kgraph.validation` only), all into the ontology graph. The SPARQL rules in
  ``ontology/rules/*.rq`` are read by :mod:`kgraph.inference`.
- ``data/``: every ``*.ttl``, ``*.trig``, ``*.nt``, ``*.nq`` directly in the folder, in name order. TriG and
  N-Quads keep their named graphs; a Turtle or N-Triples file, and the default graph of a TriG or N-Quads file,
  go into the file graph ``https://w3id.org/kgraph/graph/file/<file name>``.

Sub-folders are not read, whatever their name. An entry named like an RDF file that is not a readable file (a
dangling symbolic link, a FIFO, a device) is an error rather than skipped, and is never opened.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Self

from rdflib import OWL, RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Identifier, Node

from kgraph._compat import (
    ill_typed_lexical,
    literals_as_a_store_reads_them,
    plain_decimals_in_turtle,
    quiet_rdflib,
    rdflib_log_to,
    rdflib_warning,
    sparql_functions,
    xsd_special_doubles,
    xsd_strict_booleans,
    xsd_strict_numbers,
    xsd_strict_temporals,
)
from kgraph.errors import DataSyntaxError, InputError
from kgraph.query.lexer import IRI_CHARACTERS
from kgraph.resources import (
    RULES_DIR_NAME,
    SHAPES_FILE_NAME,
    STORE_MANIFEST,
    default_data_dir,
    default_ontology_dir,
    rule_files,
)
from kgraph.syntax import (
    LONG_STRING_RESTS,
    LONG_STRINGS,
    RDF_STAR,
    ended_early,
    iri_left_open,
    oxigraph_located,
    oxigraph_syntax_message,
    rdf_star_in,
    rdflib_failure,
    rdflib_syntax,
    rdflib_value_error,
)
from kgraph.terms import triple_order
from kgraph.text import file_lines, file_name, line_at
from kgraph.vocab import INFERRED_GRAPH, KG, ONTOLOGY_GRAPH, PREFIXES, bind_prefixes, file_graph

if TYPE_CHECKING:
    from rdflib.plugins.parsers.notation3 import BadSyntax

xsd_special_doubles()  # "NaN"^^xsd:double stays NaN, not Python's nan (see kgraph._compat)
xsd_strict_numbers()  # "NaN"^^xsd:decimal, "1_000"^^xsd:integer are ill-typed, as on a store, not numbers
xsd_strict_booleans()  # " true "^^xsd:boolean is ill-typed, as on a store, not false
xsd_strict_temporals()  # "2025-W49"^^xsd:date is ill-typed, as on a store, not a date that compares
literals_as_a_store_reads_them()  # "...T10:30:00Z"^^xsd:dateTime as written, "x"@EN-GB as "x"@en-gb (kgraph._compat)
sparql_functions()  # the rules' and the shapes' casts, SUBSTR, REGEX, REPLACE, as SPARQL says (see kgraph._compat)

#: File suffix -> rdflib parser name.
FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads"}
#: The name in ``pyoxigraph.RdfFormat`` of the format of each suffix of :data:`FORMATS` (named, not imported: a
#: command on a cached graph imports no pyoxigraph).
OX_FORMATS = {".ttl": "TURTLE", ".trig": "TRIG", ".nt": "N_TRIPLES", ".nq": "N_QUADS"}
_LINE_FORMATS = {"nt", "nquads"}

Quad = tuple[Node, Node, Node, URIRef]


@dataclass(frozen=True)
class LoadedFile:
    """A file as a store's load read it: its size, its modification time and the SHA-256 of its bytes (None in a
    store an earlier kgraph built, whose manifest does not keep it)."""

    size: int
    mtime_ns: int
    sha256: str | None = None


@dataclass(frozen=True)
class DeclaredPrefix:
    """A prefix a data file declares (``@prefix acme: <https://acme.example/> .``): the prefix (without its ``:``),
    the namespace it stands for there, and the first file, in the order of the load, that declares it so."""

    prefix: str
    namespace: str
    path: Path


@dataclass
class LoadedGraph:
    """The ontology, the data and the inferences, ready to query.

    ``dataset`` has one named graph per source: the ontology graph, each section graph (as the data files name
    them), the file graph of each plain Turtle/N-Triples data file, and the inferred graph; its default graph is
    the union of them all. ``graph`` is the same triples as one flat graph (ontology + data + inferences), for
    SPARQL and validation.
    """

    dataset: Dataset
    graph: Graph
    ontology_dir: Path
    data_dir: Path
    ontology_files: tuple[Path, ...]
    data_files: tuple[Path, ...]
    rules: tuple[str, ...]
    #: SHA-256 over the name and bytes of every file read (ontology, data, rules): equal inputs, equal value.
    fingerprint: str
    #: Messages rdflib logged while parsing (such as an ill-typed literal), each prefixed with its file.
    warnings: tuple[str, ...] = field(default=())
    #: The store folder (``kgraph load --store DIR``) that ``graph`` and ``dataset`` read, or None in memory.
    store_dir: Path | None = None
    #: The store folder's device and inode when it was opened: ``kgraph load`` puts a new folder in its place.
    store_id: tuple[int, int] | None = None
    #: The version of kgraph that built the store (``"0.1.0"``), as its manifest says; None in memory, or if it
    #: does not say.
    store_built_by: str | None = None
    #: Whether the store was built the way another kgraph builds stores (an older build, or no name index this
    #: kgraph reads; or a newer build, which its warnings tell): the next :func:`kgraph.persist.build` rebuilds it
    #: even if its files are unchanged, and until then it may lack what a store built now has (such as the warnings
    #: of named graphs the data does not declare). False in memory.
    store_outdated: bool = False
    #: On a store, each file its load read (``files``), as it read it: validate names a file and line where a
    #: problem is written only in a file still so. Empty in memory.
    store_files: Mapping[Path, LoadedFile] = field(default_factory=dict)
    #: On a store, the SHA-256 of the shapes file its load copied into it, as its manifest records it ("" if the
    #: ontology had none): validate refuses a copy since lost or changed. None in memory, or if the manifest does not
    #: say (a store of an earlier kgraph).
    store_shapes: str | None = None
    #: The prefixes the data files declare, each with its namespace, once a prefix and namespace (sorted by them):
    #: names such as ``acme:chips`` are read with them, besides kgraph's own (:data:`kgraph.vocab.PREFIXES`).
    prefixes: tuple[DeclaredPrefix, ...] = ()

    def close(self) -> None:
        """Let go of the store ``graph`` and ``dataset`` read (:func:`kgraph.persist.open_store`): its database
        and name index files are closed now, not when Python collects the graphs, which refer to each other. A
        store that ``kgraph load`` replaced meanwhile frees its disk space then. Reading the graph afterwards
        raises :class:`~kgraph.errors.StoreError`; closing again does nothing. A graph in memory (:func:`load`)
        holds no files: nothing is closed and it stays usable. ``with open_store(DIR) as loaded:`` closes it at
        the end of the block."""
        if self.store_dir is not None:
            for target in (self.graph, self.dataset):
                target.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()

    def store_replaced(self) -> bool:
        """Whether ``store_dir`` is no longer the folder that was opened (a load swapped a new store in)."""
        if self.store_dir is None or self.store_id is None:
            return False
        try:
            found = self.store_dir.stat()
        except OSError:
            return True
        return (found.st_dev, found.st_ino) != self.store_id

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file read: the ontology files, then the data files."""
        return self.ontology_files + self.data_files

    @property
    def inferred(self) -> Graph:
        """The inferred graph: every triple inference added, and no asserted triple."""
        return self.dataset.graph(INFERRED_GRAPH)

    @property
    def ontology(self) -> Graph:
        """The ontology graph."""
        return self.dataset.graph(ONTOLOGY_GRAPH)

    @property
    def shapes_file(self) -> Path:
        """Where the SHACL shapes are: ``shapes.ttl`` in the ontology folder."""
        return self.ontology_dir / SHAPES_FILE_NAME

    def graph_names(self) -> frozenset[URIRef]:
        """The names of the dataset's named graphs (the ontology graph, the sections, the file graphs, the inferred
        graph), which a query's FROM, FROM NAMED and ``GRAPH <...>`` may name. rdflib lists its name for the default
        graph (``urn:x-rdflib:default``) among a dataset's graphs: that is no graph of the data, and a FROM of it
        is refused as one of any other name the dataset does not hold."""
        with quiet_rdflib():
            return frozenset(
                g.identifier
                for g in self.dataset.graphs()
                if isinstance(g.identifier, URIRef) and g.identifier != DATASET_DEFAULT_GRAPH_ID
            )

    def is_asserted(self, triple: tuple[Node, Node, Node]) -> bool:
        """Whether ``triple`` is stated in the ontology or the data (rather than inferred)."""
        return triple in self.graph and triple not in self.inferred

    def graphs_of(self, triple: tuple[Node, Node, Node]) -> list[URIRef]:
        """The named graphs that hold ``triple``, sorted (for a data triple: its source sections)."""
        s, p, o = triple
        found = {c for _s, _p, _o, c in self.dataset.quads((s, p, o, None)) if isinstance(c, URIRef)}
        return sorted(found)

    def quads_with(
        self, predicates: Iterable[URIRef], inferred: bool = True, subjects: Collection[Node] | None = None
    ) -> Iterator[Quad]:
        """Every triple of these ``predicates`` once per named graph that holds it, as ``(s, p, o, graph)``;
        without the inferred graph's unless ``inferred``; only those of ``subjects``, if given. On a store,
        Oxigraph selects them in one query (one per thousand ``subjects``)."""
        native = getattr(self.dataset.store, "quads_with", None)
        if native is not None:
            yield from native(predicates, inferred, subjects)
            return
        for predicate in predicates:
            for subject in [None] if subjects is None else subjects:
                for s, p, o, c in self.dataset.quads((subject, predicate, None, None)):
                    if isinstance(c, URIRef) and (inferred or c != INFERRED_GRAPH):
                        yield s, p, o, c

    def texts_with(
        self, predicates: Iterable[URIRef], subjects: Collection[Node] | None = None
    ) -> Iterator[tuple[Node, URIRef, str, str | None]]:
        """Every literal object of these ``predicates`` (of ``subjects`` only, if given), as ``(subject, predicate,
        text, language tag or None)``, inferred ones included (once per named graph that holds it in memory; once
        on a store, where Oxigraph selects them in one query and no rdflib literal is made)."""
        native = getattr(self.dataset.store, "texts_with", None)
        if native is not None:
            yield from native(predicates, subjects)
            return
        for s, p, o, _g in self.quads_with(predicates, subjects=subjects):
            if isinstance(o, Literal) and isinstance(p, URIRef):
                yield s, p, str(o), o.language

    def instances_of(self, classes: Iterable[URIRef]) -> set[str]:
        """The IRIs, as texts, of the instances of ``classes`` (the graph holds the inferred types, so those of a
        sub-class too); blank nodes left out. On a store, one query that makes no rdflib term."""
        native = getattr(self.dataset.store, "instances_of", None)
        if native is not None:
            return native(classes)  # type: ignore[no-any-return]
        return {str(s) for c in classes for s in self.graph.subjects(RDF.type, c) if isinstance(s, URIRef)}

    def iri_links(self, predicates: Iterable[URIRef], inferred: bool = True) -> Iterator[tuple[str, str, str, str]]:
        """As :meth:`quads_with`, the triples whose subject and object are IRIs only, as the texts of
        ``(s, p, o, graph)``: on a store, read without an rdflib term for any of them (each costs about a
        microsecond to make, and a Python call to compare)."""
        native = getattr(self.dataset.store, "iri_links", None)
        if native is not None:
            yield from native(predicates, inferred)
            return
        for s, p, o, c in self.quads_with(predicates, inferred):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                yield str(s), str(p), str(o), str(c)

    def iri_texts(self, predicates: Iterable[URIRef]) -> Iterator[tuple[str, str, str, str | None]]:
        """As :meth:`texts_with`, the literal objects of IRIs only, as ``(subject, predicate, text, language tag or
        None)``, the subject and predicate as texts too."""
        native = getattr(self.dataset.store, "iri_texts", None)
        if native is not None:
            yield from native(predicates)
            return
        for s, p, text, tag in self.texts_with(predicates):
            if isinstance(s, URIRef):
                yield str(s), str(p), text, tag

    def incoming(self, obj: Node) -> dict[tuple[Node, Node], list[URIRef]]:
        """As :meth:`statements`, for the triples whose object is ``obj``: ``(subject, predicate)`` -> graphs."""
        native = getattr(self.dataset.store, "incoming", None)
        if native is not None:
            return native(obj)  # type: ignore[no-any-return]
        return _grouped(self.dataset.quads((None, None, obj, None)), lambda s, p, o: (s, p))

    def statements(self, subject: Node) -> dict[tuple[Node, Node], list[URIRef]]:
        """Every triple about ``subject``, as ``(predicate, object)``, with the named graphs that hold it (as
        :meth:`graphs_of`): what :meth:`is_asserted` and :meth:`graphs_of` would say of each, from one look-up.
        A triple is inferred when :data:`~kgraph.vocab.INFERRED_GRAPH` is among its graphs, stated otherwise."""
        native = getattr(self.dataset.store, "statements", None)
        if native is not None:  # a store: one native look-up (kgraph.oxstore)
            return native(subject)  # type: ignore[no-any-return]
        return _grouped(self.dataset.quads((subject, None, None, None)), lambda s, p, o: (p, o))


def _grouped(
    quads: Iterable[tuple[Node, Node, Node, object]], key: Callable[[Node, Node, Node], tuple[Node, Node]]
) -> dict[tuple[Node, Node], list[URIRef]]:
    """The named graphs of each triple of ``quads``, by ``key`` of the triple, sorted."""
    found: dict[tuple[Node, Node], set[URIRef]] = {}
    for s, p, o, c in quads:
        if isinstance(c, URIRef):
            found.setdefault(key(s, p, o), set()).add(c)
    return {k: sorted(graphs) for k, graphs in found.items()}


def load(
    data_dir: str | os.PathLike[str] | None = None, ontology_dir: str | os.PathLike[str] | None = None
) -> LoadedGraph:
    """Read the ontology and the data folders, infer, and return the result.

    Both folders (a ``Path`` or a ``str``) default to the bundled ones. Raises :class:`~kgraph.errors.InputError`
    for a missing or empty folder or an unreadable file, and :class:`~kgraph.errors.DataSyntaxError` (file and
    line) for a file that does not parse.
    """
    ontology_dir, data_dir, ontology_files, data_files = find_inputs(data_dir, ontology_dir)
    warnings = [*unread_rdf_warnings(ontology_dir, data_dir), *nested_data_warnings(data_dir)]
    quads: list[Quad] = []
    fingerprint = hashlib.sha256()
    for path in ontology_files:
        raw = _fingerprinted(path, "ontology", fingerprint)
        parsed = parse_file(path, warnings, raw)
        if not len(parsed):  # an ontology file saved empty takes its classes with it, as a data file its entities
            warnings.append(empty_file_warning(path))
        quads.extend(_with_graph(parsed, lambda _g: ONTOLOGY_GRAPH))
    first_files: dict[URIRef, Path] = {}  # each named graph of the data, and the first file that writes in it
    file_prefixes: list[tuple[Path, dict[str, str]]] = []  # each data file, and the prefixes it declares
    for path in data_files:
        raw = _fingerprinted(path, "data", fingerprint)
        file_prefixes.append((path, {}))
        parsed = parse_file(path, warnings, raw, prefixes=file_prefixes[-1][1])
        if not len(parsed):
            warnings.append(empty_file_warning(path))
        declared = {s for s, _p, _o, _g in parsed.quads((None, RDF.type, OWL.Ontology, None))}
        if declared:
            iris = sorted(str(s) for s in declared if isinstance(s, URIRef))
            warnings.append(ontology_in_data_warning(path, iris[0] if iris else ""))
        for context in parsed.graphs():
            name = context.identifier
            if isinstance(name, URIRef) and name != DATASET_DEFAULT_GRAPH_ID and len(context):
                if name in KGRAPH_GRAPHS:
                    raise kgraph_graph_error(path, str(name), raw)
                first_files.setdefault(name, path)
        quads.extend(_with_graph(parsed, _default_to(file_graph(path.name))))
    from kgraph import inference  # noqa: PLC0415 - not needed when the loaded graph comes from the cache

    rules_dir, rules_shown = ontology_dir / RULES_DIR_NAME, f"{_relative(ontology_dir)}/{RULES_DIR_NAME}"
    for path in rule_files(rules_dir, rules_shown):
        _fingerprinted(path, "rule", fingerprint)
    # in one order whatever the process (kgraph.terms.triple_order), once the blank nodes have their stable labels
    quads = sorted(_canonical_bnodes(quads), key=triple_order)

    prefixes = declared_prefixes(file_prefixes)
    dataset = _dataset(quads)
    refuse_no_schema(dataset.graph(ONTOLOGY_GRAPH), ontology_dir)
    graph = Graph()
    bind_prefixes(graph)
    for target in (graph, dataset):
        bind_declared(target, prefixes)
    graph.addN((s, p, o, graph) for s, p, o, _g in quads)
    rules = inference.load_rules(rules_dir, rules_shown)
    inferred = inference.infer(graph, inference.Schema.from_ontology(dataset.graph(ONTOLOGY_GRAPH)), rules)
    target = dataset.graph(INFERRED_GRAPH)
    dataset.addN((s, p, o, target) for s, p, o in sorted(inferred, key=triple_order))  # a graph: a set's order
    sources = {s for kind in SOURCE_CLASSES for s in graph.subjects(RDF.type, kind)}
    for entry in undeclared_graphs(first_files, sources, lambda name: len(dataset.graph(name))):
        warnings.append(undeclared_warning(entry.path, entry.name, entry.triples, entry.line, entry.meant))
    return LoadedGraph(
        dataset=dataset,
        graph=graph,
        ontology_dir=ontology_dir,
        data_dir=data_dir,
        ontology_files=tuple(ontology_files),
        data_files=tuple(data_files),
        rules=tuple(rule.name for rule in rules),
        fingerprint=fingerprint.hexdigest(),
        warnings=tuple(dict.fromkeys(warnings)),  # a literal written twice alike is one warning, as on a store
        prefixes=prefixes,
    )


def declared_prefixes(files: Iterable[tuple[Path, Mapping[str, str]]]) -> tuple[DeclaredPrefix, ...]:
    """Each prefix and namespace that ``files`` (each data file, with the prefixes it declares, in the order of the
    load) declare, once, with the first file that declares it so; sorted by prefix and namespace."""
    first: dict[tuple[str, str], Path] = {}
    for path, declared in files:
        for prefix, namespace in declared.items():
            first.setdefault((prefix, namespace), path)
    return tuple(DeclaredPrefix(prefix, namespace, path) for (prefix, namespace), path in sorted(first.items()))


def written_prefixes(declared: Iterable[DeclaredPrefix]) -> dict[str, str]:
    """The prefixes of ``declared`` that kgraph writes IRIs with, as it writes ``kgr:trainium3``: each that the data
    binds to one namespace only, is none of kgraph's own and stands for a namespace kgraph has no prefix of its own
    for; of a namespace the data gives several prefixes, the first by name (the empty prefix, ``:``, last)."""
    namespaces: dict[str, set[str]] = {}
    for entry in declared:
        namespaces.setdefault(entry.prefix, set()).add(entry.namespace)
    own = {str(namespace) for namespace in PREFIXES.values()}
    written: dict[str, str] = {}
    for prefix, found in sorted(namespaces.items(), key=lambda item: (not item[0], item[0])):
        namespace = next(iter(found))
        if len(found) == 1 and prefix not in PREFIXES and namespace not in own and namespace not in written.values():
            written[prefix] = namespace
    return written


def bind_declared(graph: Graph, declared: Iterable[DeclaredPrefix]) -> None:
    """Bind on ``graph`` the prefixes of ``declared`` that kgraph writes IRIs with (:func:`written_prefixes`), after
    kgraph's own (:func:`kgraph.vocab.bind_prefixes`), leaving those alone."""
    manager = graph.namespace_manager
    bound = {prefix for prefix, _namespace in manager.namespaces()}
    for prefix, namespace in written_prefixes(declared).items():
        if prefix not in bound:
            manager.bind(prefix, namespace, override=False)


#: What a named graph of the data is: a section of a source, or a source document. The graph a triple sits in is
#: its provenance; a graph that is neither gives its triples none (a section's name mistyped, say).
SOURCE_CLASSES = (KG.SourceSection, KG.SourceDocument)


@dataclass(frozen=True)
class UndeclaredGraph:
    """A named graph of the data that the data does not declare a source section or document: the first file that
    writes in it, its name, its triples, the line of that file that first names it (None if not found), and the
    declared section or document whose name is close to its own (None if none is)."""

    path: Path
    name: URIRef
    triples: int
    line: int | None
    meant: URIRef | None


def undeclared_graphs(
    first_files: Mapping[URIRef, Path], sources: Collection[Node], size: Callable[[URIRef], int]
) -> list[UndeclaredGraph]:
    """Each named graph of the data, of ``first_files`` (the first file that writes in each), that is not in
    ``sources`` (the subjects typed kg:SourceSection or kg:SourceDocument, inferred types included); ``size``
    counts a graph's triples. Only the files of these graphs are read again, for the line. :func:`undeclared_warning`
    words each."""
    return [
        UndeclaredGraph(first, name, size(name), graph_line(first, name), meant_source(name, sources))
        for name, first in sorted(first_files.items())
        if name not in sources and name not in (ONTOLOGY_GRAPH, INFERRED_GRAPH)
    ]


#: A data file at least this large is not read again for the line of a graph's name (a warning's): it would be
#: held whole in memory, as text, a second time. The warning names the file alone.
GRAPH_LINE_BYTES = 1 << 28


def graph_line(path: Path, name: URIRef) -> int | None:
    """The first line of the data file ``path`` that writes ``name`` as a graph's name, a prefixed name's prefix as
    the file declares it (:func:`kgraph.where.line_of_graph`), else that writes the IRI (:func:`line_of_iri`); None
    if neither does, or if the file cannot be read as it was (or is larger than :data:`GRAPH_LINE_BYTES`)."""
    from kgraph.where import line_of_graph  # noqa: PLC0415 - kgraph.where reads files through this module

    try:
        if path.stat().st_size >= GRAPH_LINE_BYTES:
            return None
        text = decode_text(read_file(path), _display(path))
    except (OSError, DataSyntaxError, InputError):
        return None
    base, quads = str(file_graph(path.name)), path.suffix.lower() == ".nq"
    found = line_of_graph(text, base, name, quads)
    return found if found is not None else line_of_iri(text, str(name))


def meant_source(name: URIRef, sources: Iterable[Node]) -> URIRef | None:
    """The section or document of ``sources`` that the graph ``name`` was most likely meant to be: the one whose
    local name is closest to its own, case aside (``sonny``: ``sony``), by :func:`kgraph.names.close_matches` as
    validate names a misspelt IRI; of those as close, one in the namespace of ``name`` first. None if none is
    close enough. (Whole IRIs were as close as their namespace is long.)"""
    from kgraph.names import close_matches, local_name  # noqa: PLC0415 - kgraph.names reads this module

    by_local: dict[str, list[URIRef]] = {}
    for source in sources:
        if isinstance(source, URIRef):
            by_local.setdefault(local_name(source).casefold(), []).append(source)
    close = close_matches(local_name(name).casefold(), by_local, n=1, cutoff=0.8)
    if not close:
        return None
    namespace = name[: len(name) - len(local_name(name))]
    return min(by_local[close[0]], key=lambda source: (not source.startswith(namespace), str(source)))


def undeclared_warning(path: Path, name: str, count: int, line: int | None = None, meant: str | None = None) -> str:
    """The warning for a named graph the data does not declare a source section or document, at the ``line`` of
    ``path`` that names it, if known, with the declared name ``meant``, if one is close to it."""
    triples = "1 triple" if count == 1 else f"{count:,} triples"
    where = _display(path) if line is None else f"{_display(path)}:{line}"
    guess = f"; did you mean <{meant}>?" if meant else ""
    return (
        f"{where}: the named graph <{name}> holds {triples}, but the data does not declare it a source "
        f"section or document, so its facts have no section or time range; declare it (<{name}> a "
        f"kg:SourceSection), or correct the graph's name{guess}"
    )


#: What an ontology declares: a class or property typed so, or a statement of the schema about one. An ontology
#: folder with none of them holds no ontology (the data folder given as --ontology, say).
_SCHEMA_TYPES = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
_SCHEMA_PREDICATES = (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf)


def refuse_no_schema(ontology: Graph, ontology_dir: Path) -> None:
    """Raise InputError when ``ontology`` (what the ontology folder holds) declares no class or property: nothing
    would be inferred, and only an empty set of derived shapes checked, so ``validate`` passed and every query found
    nothing (``--data`` and ``--ontology`` swapped, most often). A few index look-ups."""
    if declares_any(ontology, _SCHEMA_TYPES, _SCHEMA_PREDICATES):
        return
    raise InputError.advising(
        f"the ontology folder {_display(ontology_dir)} declares no class or property (no owl:Class, "
        "owl:ObjectProperty, rdfs:subClassOf, rdfs:domain ...): it holds no ontology, and nothing would be inferred "
        "or checked",
        python="pass ontology_dir=DIR with the ontology files (are data_dir and ontology_dir swapped?)",
        cli="pass --ontology DIR with the ontology files (are --data and --ontology swapped?)",
    )


def declares_any(graph: Graph, classes: Iterable[URIRef], predicates: Iterable[URIRef]) -> bool:
    """Whether ``graph`` has an instance of one of ``classes`` or a triple of one of ``predicates``: an index look-up
    each, until one is found (is this an ontology, are these SHACL shapes?)."""
    return any(next(graph.subjects(RDF.type, kind), None) is not None for kind in classes) or any(
        next(graph.triples((None, predicate, None)), None) is not None for predicate in predicates
    )


def ontology_in_data_warning(path: Path, declared: str) -> str:
    """The warning for a data file that declares an OWL ontology (``declared``, its IRI; "" for a blank node): read
    as data, its classes and properties define nothing (the ontology folder given as --data, say)."""
    name = f"<{declared}>" if declared else "a blank node"
    return (
        f"{_display(path)}: the file declares an ontology ({name} a owl:Ontology), but it is read as data, where its "
        "classes and properties define nothing; put it in the ontology folder (are --data and --ontology swapped?)"
    )


def empty_file_warning(path: Path) -> str:
    """The warning for a data file that holds no triple: valid, but most likely not the file meant (an editor's
    empty buffer saved, the triples left in another file)."""
    return (
        f"{_display(path)}: the file holds no triples (it is empty, or has only comments and prefixes); check that "
        "it is the file you meant to save, or remove it"
    )


def _entries(folder: Path) -> list[Path]:
    """What ``folder`` holds, in name order; nothing if it cannot be listed (:func:`find_inputs` has listed it: gone
    since, or unreadable now, which the load says itself)."""
    try:
        return sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return []


def nested_data_files(data_dir: Path) -> list[tuple[Path, list[Path]]]:
    """Each sub-folder of ``data_dir`` that holds files named like RDF files (in it or further down; hidden
    folders, such as ``.git``, and kgraph stores, which keep a copy of the ontology, left out), with those files in
    name order. None of them is read: a load reads the files directly in the data folder, so a source put in a
    folder of its own would be left out without a word."""
    found = []
    for entry in _entries(data_dir):
        if entry.name.startswith(".") or entry.is_symlink() or not entry.is_dir() or _is_store(entry):
            continue
        files = []
        for folder, folders, names in os.walk(entry):
            folders[:] = sorted(
                name for name in folders if not name.startswith(".") and not _is_store(Path(folder, name))
            )
            files += [Path(folder) / name for name in sorted(names) if Path(name).suffix.lower() in FORMATS]
        if files:
            found.append((entry, files))
    return found


def _is_store(folder: Path) -> bool:
    """Whether ``folder`` is a kgraph store (``kgraph --data . load --store kgraph-store`` makes one in the data
    folder): its files are the store's, not data put in a sub-folder."""
    return (folder / STORE_MANIFEST).is_file()


def nested_data_warnings(data_dir: Path) -> list[str]:
    """A warning for each sub-folder of ``data_dir`` that holds RDF files (:func:`nested_data_files`), which are not
    read: the in-memory load says them, and a store whenever it says its warnings (the files are no part of it)."""
    warnings = []
    for folder, files in nested_data_files(data_dir):
        first, count = files[0], len(files)
        listed = f"{count} data files ({_display(first)}, ...)" if count > 1 else f"a data file ({_display(first)})"
        them = "them" if count > 1 else "it"
        warnings.append(
            f"{_display(folder)}: the sub-folder holds {listed}, but sub-folders are not read, only the files directly "
            f"in {_display(folder.parent)}; move {them} into {_display(folder.parent)} to load {them}"
        )
    return warnings


#: Suffixes of RDF files kgraph does not read, with what such a file is; a compressed file of a format it reads too.
_UNREAD_FORMATS = {
    ".rdf": "an RDF/XML file",
    ".owl": "an OWL file",
    ".jsonld": "a JSON-LD file",
    ".n3": "an N3 file",
    ".trix": "a TriX file",
}
_COMPRESSED = (".gz", ".bz2", ".xz", ".zst", ".zip")


def unread_rdf_files(folder: Path) -> list[tuple[Path, str]]:
    """Each file directly in ``folder`` named like an RDF file kgraph does not read (RDF/XML, JSON-LD, ..., or a
    compressed Turtle file), in name order, with what it is. None of them is read, so a source saved in such a
    format was left out of the graph without a word."""
    found = []
    for entry in _entries(folder):
        suffix = entry.suffix.lower()
        what = _UNREAD_FORMATS.get(suffix)
        if suffix in _COMPRESSED and Path(entry.stem).suffix.lower() in FORMATS:
            what = "a compressed file"
        if what is not None and not entry.name.startswith(".") and entry.is_file():
            found.append((entry, what))
    return found


def unread_rdf_warnings(*folders: Path) -> list[str]:
    """A warning for each file of ``folders`` (the ontology and the data folder) that :func:`unread_rdf_files`
    finds: the in-memory load says them, and a store whenever it says its warnings (the files are no part of it)."""
    return [
        f"{_display(path)} is {what}, which kgraph does not read (only *.ttl, *.trig, *.nt and *.nq files), so it "
        f"is left out of the graph; {'decompress' if what == 'a compressed file' else 'convert'} it to load it, or "
        f"move it out of {_display(folder)}"
        for folder in folders
        for path, what in unread_rdf_files(folder)
    ]


def find_inputs(
    data_dir: str | os.PathLike[str] | None, ontology_dir: str | os.PathLike[str] | None
) -> tuple[Path, Path, list[Path], list[Path]]:
    """The ontology and data folders (default: the bundled ones) and the files :func:`load` reads from each.

    Raises :class:`~kgraph.errors.InputError` for a missing or empty folder, and for an entry named like an RDF
    file that is not a readable file (a dangling symbolic link, a FIFO, a device).
    """
    given_ontology = None if ontology_dir is None else path_argument(ontology_dir, "ontology_dir")
    given_data = None if data_dir is None else path_argument(data_dir, "data_dir")
    ontology_dir = _folder(default_ontology_dir() if given_ontology is None else given_ontology, "ontology")
    data_dir = _folder(default_data_dir() if given_data is None else given_data, "data")
    ontology_files = _rdf_files(ontology_dir, exclude={SHAPES_FILE_NAME})
    data_files = _rdf_files(data_dir, exclude=set())
    for what, folder, files in (("ontology", ontology_dir, ontology_files), ("data", data_dir, data_files)):
        if not files:
            raise InputError.advising(
                f"no {what} file (*.ttl, *.trig, *.nt, *.nq) in {_display(folder)}",
                python=f"pass {what}_dir=DIR",
                cli=f"pass --{what} DIR",
            )
    return ontology_dir, data_dir, ontology_files, data_files


def path_argument(value: object, name: str, what: str = "a folder", *, dot: bool = True) -> Path:
    """``value``, given to the Python API as the argument ``name``, as a ``Path``. InputError for a value that is
    neither a ``str`` nor path-like (pathlib's TypeError named no argument) and for an empty ``str``, which
    ``Path`` takes for the current folder (an unset variable's value would read, or replace, that folder); its
    message names ``.`` for the current folder when ``dot``."""
    text = os.fspath(value) if isinstance(value, str | os.PathLike) else None
    if isinstance(text, str) and text:
        return Path(text)
    if text == "":
        current = " ('.' for the current folder)" if dot else ""
        raise InputError(f"{name} is an empty name; pass {what}{current}")
    shown = f"{value!r}, of type" if len(repr(value)) <= 60 else "of type"
    raise InputError(f"{name} is {shown} {type(value).__name__}; pass {what} as a str or a pathlib.Path")


def _fingerprinted(path: Path, role: str, fingerprint: hashlib._Hash) -> bytes:
    raw = read_file(path)
    for part in (role.encode(), os.fsencode(path.name), raw):
        fingerprint.update(hashlib.sha256(part).digest())
    return raw


def _folder(path: Path, what: str) -> Path:
    """``path``, the ``what`` folder (``ontology``, ``data``: ``--data DIR`` on the command line, ``data_dir=``
    in Python), if it is one."""
    python, cli = f"{what}_dir=DIR", f"--{what} DIR"
    if not path.exists():
        if path.is_symlink():  # a link to nothing, or a loop of links
            raise InputError.advising(
                f"the {what} folder {file_name(str(path))} is a symbolic link that leads to no folder",
                python=f"fix the link or pass {python}",
                cli=f"fix the link or pass {cli}",
            )
        raise InputError.advising(
            f"the {what} folder {_display(path)} does not exist", python=f"pass {python}", cli=f"pass {cli}"
        )
    if not path.is_dir():
        raise InputError.advising(
            f"{_display(path)} is not a folder",
            python=f"pass {python} with the {what} files in it",
            cli=f"pass {cli} with the {what} files in it",
        )
    return path


def _rdf_files(folder: Path, exclude: set[str]) -> list[Path]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as error:
        raise InputError(f"cannot list {_display(folder)}: {error.strerror}") from error
    return [p for p in entries if p.suffix.lower() in FORMATS and p.name not in exclude and _is_rdf_file(p)]


def _is_rdf_file(path: Path) -> bool:
    """Whether to read ``path``, an entry of a folder named like an RDF file.

    Sub-folders are not read, whatever their name (a folder ``x.ttl`` too). Anything else must be a file kgraph
    can read: skipping it would load the graph without it, and opening a FIFO waits for a writer and a device
    such as /dev/zero never ends, so both are refused before they are opened.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError as error:
        if path.is_symlink():
            raise InputError(_cannot_read(path, error)) from error
        return False  # removed since the folder was listed
    except OSError as error:  # a loop of symbolic links, a folder on the way kgraph may not enter
        raise InputError(_cannot_read(path, error)) from error
    if stat.S_ISDIR(mode):
        return False
    if not stat.S_ISREG(mode):
        raise InputError(_not_a_file(path, mode))
    return True


def _not_a_file(path: Path, mode: int) -> str:
    """Why ``path`` (a FIFO, a device, a socket, or a link to one) is not read."""
    if stat.S_ISFIFO(mode):
        kind = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a regular file"
    what = f"it links to {file_name(str(path.readlink()))}, {kind}" if path.is_symlink() else f"it is {kind}"
    return f"{_entry(path)} is not a readable file: {what}; remove it or move it out of {_display(path.parent)}"


def _cannot_read(path: Path, error: OSError) -> str:
    if isinstance(error, FileNotFoundError) and path.is_symlink():
        return (
            f"{_entry(path)} is not a readable file: it links to {file_name(str(path.readlink()))}, which does not "
            "exist; "
            "fix the link or remove it"
        )
    return f"cannot read {_display(path)}: {error.strerror or error}; check that the file is readable"


def _entry(path: Path) -> str:
    """``path`` as listed in its folder: :func:`_display` would show a link's target (/dev/zero), not its name."""
    return file_name(str(Path(_relative(path.parent)) / path.name))


def _relative(path: Path) -> str:
    """The path as a user would type it: relative to the current folder when it is under it, or when its name is
    (an absolute path, as a store keeps, through a link in the current folder to a file or a folder elsewhere)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (RuntimeError, ValueError):  # RuntimeError: a loop of links, which Python 3.13 leaves unresolved instead
        pass
    try:
        return str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


def _display(path: Path) -> str:
    """The path as a user would type it (:func:`_relative`), for a message: on one line, in ``$'...'`` when some
    character of it does not print (a line break, ESC; :func:`kgraph.text.file_name`)."""
    return file_name(_relative(path))


#: The path as a user would type it, for messages (:func:`_display`).
display_path = _display
#: The same, as it is, for a command line to quote (:func:`_relative`).
typed_path = _relative


def read_file(path: Path) -> bytes:
    """The bytes of ``path``; an unreadable file, a FIFO or a device (never opened) raises InputError."""
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = stat.S_IFREG  # read_bytes fails the same way, and its error says why
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise InputError(_not_a_file(path, mode))
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(_cannot_read(path, error)) from error


def open_file(path: Path) -> BinaryIO:
    """``path`` opened to read in binary; InputError if it cannot be read or is not a regular file.

    Opened without waiting (a FIFO with no writer would block the open) and checked once open, so a file that
    became a FIFO or a device after its folder was listed is refused rather than read forever.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise InputError(_cannot_read(path, error)) from error
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{_display(path)} is a folder, not a file; pass RDF files (*.ttl, *.trig, *.nt, *.nq)")
        if not stat.S_ISREG(mode):
            raise InputError(_not_a_file(path, mode))
        return os.fdopen(descriptor, "rb")  # O_NONBLOCK changes nothing for a regular file
    except BaseException:
        os.close(descriptor)
        raise


def parse_file(
    path: Path, warnings: list[str], raw: bytes | None = None, *, prefixes: dict[str, str] | None = None
) -> Dataset:
    """Parse one file (``raw``: its bytes, if already read) into a fresh dataset, turning every parser failure
    into a one-line DataSyntaxError. What rdflib logs is appended to ``warnings``; the prefixes the file declares
    (prefix -> namespace, as at its end) are put in ``prefixes``, if given."""
    display = _display(path)
    if raw is None:
        raw = read_file(path)
    text = decode_text(raw, display)
    if (nul := nul_line(text)) is not None:
        raise DataSyntaxError(display, nul, NUL_BYTE)
    fmt = FORMATS[path.suffix.lower()]
    text = _cr_line_ends(text, fmt)
    # Here, not at the top: a command on a store parses nothing, and does not load rdflib's Turtle parser.
    from rdflib.plugins.parsers.notation3 import BadSyntax  # noqa: PLC0415

    plain_decimals_in_turtle()

    dataset = Dataset()
    logged = len(warnings)
    with _captured_rdflib_log(display, warnings, text), quiet_rdflib():
        try:
            # A fixed base IRI keeps relative IRIs, if any, independent of where the file sits on disk.
            dataset.parse(data=text, format=fmt, publicID=str(file_graph(path.name)))
        except BadSyntax as error:
            where, message = _bad_syntax(error, text)
            raise DataSyntaxError(display, where, wrong_suffix(path, raw) or message) from error
        except ParserError as error:
            where, message = _locate_line_error(text, fmt, error)
            raise DataSyntaxError(display, where, wrong_suffix(path, raw) or message) from error
        except Warning:
            raise  # a warning turned into an error (python -W error) is not a syntax error
        except ValueError as error:
            located = rdflib_value_error(error, text)
            if located is None:
                raise DataSyntaxError(display, None, f"{type(error).__name__}: {error}") from error
            raise DataSyntaxError(display, *located) from error
        except Exception as error:  # rdflib raises assorted exceptions for bad input
            # A file that ends in a string fails on an assertion or an index in rdflib's Turtle parser, a ^^ with
            # no datatype on an index
            located = None if fmt in _LINE_FORMATS else rdflib_failure(error, text)
            if located is None:
                raise DataSyntaxError(display, None, f"{type(error).__name__}: {error}") from error
            raise DataSyntaxError(display, *located) from error
    if fmt in _LINE_FORMATS and "\\" in text:
        _refuse_unknown_escapes(text, fmt, display)
    escapes = "\\u" in text or "\\U" in text
    if escapes:  # only an escape makes a surrogate: rdflib reads "\uD800" as one
        _refuse_surrogates(dataset, text, display)
    if escapes or any(_ODD_IRI in warning for warning in warnings[logged:]):
        _refuse_bad_iris(dataset, text, display)
    base = str(file_graph(path.name))
    _refuse_what_oxigraph_refuses(text, path.suffix.lower(), display, base, {} if prefixes is None else prefixes)
    return dataset


#: A prefix declared at the start of a line (``@prefix acme: <https://acme.example/> .``, ``PREFIX acme: <...>``):
#: group 1 is the prefix, group 2 its namespace.
_PREFIX_LINE = re.compile(r"^[ \t]*(?:@prefix|PREFIX)[ \t]+([^\s:]*):[ \t]*<([^<>\s]*)>", re.MULTILINE | re.IGNORECASE)


def prefixes_in(text: str) -> dict[str, str]:
    """The prefixes the Turtle or TriG ``text`` declares, each at the start of a line, with a namespace written
    whole (a later declaration of a prefix in its place), where Oxigraph's parser, which says which it read, cannot
    read the file (a term longer than it holds): rdflib binds prefixes of its own beside them."""
    return {found.group(1): found.group(2) for found in _PREFIX_LINE.finditer(text) if ":" in found.group(2)}


_LONE_CR = re.compile(r"\r(?!\n)")

#: What in Turtle or TriG may hold a CR as data or runs to the end of a line (a string, an IRI, a comment), and a CR
#: alone: :func:`_cr_line_ends` changes the last only.
_CR_PARTS = re.compile(
    LONG_STRINGS + r'|"(?:[^"\\\r\n]|\\.)*"|\'(?:[^\'\\\r\n]|\\.)*\'|<[^<>"\s]*>|#[^\r\n]*|\r(?!\n)',
    re.DOTALL,
)


def _cr_line_ends(text: str, fmt: str) -> str:
    """``text``, Turtle or TriG (``fmt``) with CR alone as its line ends (an old Mac's), with LF there instead, the
    same length: rdflib's parser takes a CR alone for no white space, and refused such a file at its first line end
    (``expected directive or statement``, at line 1), which Turtle allows and ``kgraph load`` reads. A CR inside a
    long string (between three quotes) is the string's, and stays, as Oxigraph keeps it. Any other text, N-Triples
    and N-Quads (whose parser reads a CR alone) too, is returned as it is: a file without a CR, at the cost of one
    scan for one."""
    if fmt in _LINE_FORMATS or "\r" not in text or not _LONE_CR.search(text):
        return text
    return _CR_PARTS.sub(lambda part: "\n" if part.group() == "\r" else part.group(), text)


#: What a file that is not UTF-8 text gets, in memory and from ``kgraph load`` alike.
NOT_UTF8 = "the file is not UTF-8 text: save it as UTF-8"

#: What a file with a NUL byte outside a string gets (:func:`nul_line`), in memory and from ``kgraph load`` alike.
NUL_BYTE = "the file holds a NUL byte (a zero byte) outside a string, as one cut short by a crash or a full disk does"

#: What on one line of an RDF file may hold a NUL byte (a string, a comment), an IRI, which may not, an escape in
#: a name (kgr:it\\'s: no quote that opens a string), a NUL outside them, and the three quotes that open a string
#: of several lines.
_NUL_PARTS = re.compile(r'"""|\'\'\'|"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|<[^<>"\s\x00]*>|#.*|\\[^\x00]|\x00')

#: The rest of a string of several lines, from a line inside it to the quotes that close it, by its quotes.
_LONG_ENDS = {quotes: re.compile(rest) for quotes, rest in LONG_STRING_RESTS.items()}


def nul_line(text: str) -> int | None:
    """The line of the first NUL byte in ``text`` (an RDF file) outside a string or a comment, which RDF allows
    nowhere else; None if there is none (:func:`first_nul_line`)."""
    if "\x00" not in text:
        return None
    lines = file_lines(text)
    return first_nul_line(lambda: lines)


def first_nul_line(lines: Callable[[], Iterable[str]]) -> int | None:
    """The line of the first NUL byte outside a string or a comment in the ``lines`` of an RDF file (without their
    line breaks; called again for a second look), which RDF allows nowhere else; None if there is none. A file cut
    short by a crash or a full disk often ends in them, and the parsers said only that a name or a statement could
    not start there. A string of several lines is followed from line to line; three quotes that open one never
    closed are no string (a file cut short inside one): they are passed over in another look."""
    passed: set[tuple[int, int]] = set()  # where three quotes open a string never closed
    while True:
        found, opened = _first_nul(lines(), passed)
        if opened is None:
            return found
        passed.add(opened)


def _first_nul(lines: Iterable[str], passed: Container[tuple[int, int]]) -> tuple[int | None, tuple[int, int] | None]:
    """:func:`first_nul_line` in one look: the line of the first NUL (or None), and where the string of several
    lines opens that the lines end in (or None), but for the three quotes ``passed`` (line, column) over."""
    quotes: str | None = None
    opened: tuple[int, int] | None = None
    for number, line in enumerate(lines, start=1):
        index = 0
        while True:
            if quotes is not None:
                end = _LONG_ENDS[quotes].match(line, index)
                if end is None:
                    break  # the string goes on to the next line
                quotes, index = None, end.end()
            part = next(
                (
                    part
                    for part in _NUL_PARTS.finditer(line, index)
                    if part.group() == "\x00" or (part.group() in _LONG_ENDS and (number, part.start()) not in passed)
                ),
                None,
            )
            if part is None:
                break
            if part.group() == "\x00":
                return number, None
            quotes, opened, index = part.group(), (number, part.start()), part.end()
    return None, opened if quotes is not None else None


#: How many bytes of a file :func:`encoding_problem` looks at.
ENCODING_HEAD = 4096

_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode_text(raw: bytes, display: str) -> str:
    """A file's bytes as text: UTF-8, a byte order mark first (Windows editors write one) left out as no part of
    it; a DataSyntaxError naming ``display`` for a file in another encoding (:func:`encoding_problem`, with what to
    do) or that is not UTF-8 (with the line of the first byte that is not)."""
    encoding = encoding_problem(raw[:ENCODING_HEAD])
    if encoding is not None:
        raise DataSyntaxError(display, 1, encoding)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataSyntaxError(display, raw[: error.start].count(b"\n") + 1, NOT_UTF8) from error


def encoding_problem(head: bytes) -> str | None:
    """What the first bytes of a file say of an encoding other than UTF-8 that may still decode as UTF-8, or
    stop its parser with words that do not say so: a UTF-16 or UTF-32 byte order mark (Windows editors and
    PowerShell write UTF-16 "Unicode"), or NUL bytes in a quarter of them or more, as UTF-16 without one has
    between ASCII letters (a NUL here and there, which a literal may hold, is left to the parser); None when they
    show nothing. (rdflib read a file of ASCII text in UTF-16 as NULs and letters, and Oxigraph said
    "A language code should always start with a letter".)"""
    for bom, name in _WIDE_BOMS:
        if head.startswith(bom):
            return f"the file is {name} text (it begins with a {name} byte order mark), not UTF-8: save it as UTF-8"
    text = head.rstrip(b"\x00")  # NULs at the end are not UTF-16's: a file cut short by a crash ends in them
    if text and text.count(b"\x00") * 4 >= len(text):
        return "the file holds NUL bytes, as UTF-16 text does, and is not UTF-8: save it as UTF-8"
    return None


def _refuse_what_oxigraph_refuses(text: str, suffix: str, display: str, base: str, prefixes: dict[str, str]) -> None:
    """Refuse what rdflib's parser read although RDF's grammar does not allow it, as Oxigraph's parser (a store's
    load) does, in the same words: a literal as a subject (``"x" rdfs:label "y"``: a triple no RDF store takes,
    which stopped later commands with a Python error), ``1.2.3`` in Turtle (read as 1.2, the rest dropped unseen),
    an escape that is none (``"\\uZZZZ"``, kept as written), an IRI RDF does not allow (``%zz``, a second ``#``).
    A file rdflib refused has its error already. ``suffix``: the file's; ``base``: the base IRI it was parsed with.
    The prefixes the file declares (as at its end) are put in ``prefixes``."""
    import pyoxigraph as ox  # noqa: PLC0415 - only for a file to parse

    try:
        parser = ox.parse(input=text.encode("utf-8"), format=getattr(ox.RdfFormat, OX_FORMATS[suffix]), base_iri=base)
        for _quad in parser:
            pass
    except SyntaxError as error:
        lines = file_lines(text)
        statement = {".nt": "triple", ".nq": "quad"}.get(suffix)
        line, message = oxigraph_located(error, statement, lambda n: lines[n - 1] if 0 < n <= len(lines) else None)
        raise DataSyntaxError(display, line, message) from error
    except (ValueError, MemoryError):  # pragma: no cover - what rdflib read, Oxigraph could not hold (a huge literal)
        prefixes.update(prefixes_in(text))
        return
    prefixes.update(parser.prefixes)


#: The format a file of each suffix may hold by mistake, with the suffix that format needs and what shows it.
_WIDER_FORMATS = {
    ".ttl": ("Turtle", "TriG", ".trig", "named graphs (NAME { ... })"),
    ".nt": ("N-Triples", "N-Quads", ".nq", "quads (a graph name after the object)"),
}


def wrong_suffix(path: Path, raw: bytes | None = None) -> str | None:
    """For a Turtle (N-Triples) file that does not parse, why, when it is TriG (N-Quads): it holds named graphs,
    which only the wider format has, and parses as that; None otherwise. Its parser only said that a ``{`` (a
    fourth term) was not expected. ``raw`` is the file's bytes if they are at hand, else the file is read as it
    is parsed."""
    wider = _WIDER_FORMATS.get(path.suffix.lower())
    if wider is None:
        return None
    import pyoxigraph as ox  # noqa: PLC0415 - only for a file that does not parse

    own, name, suffix, what = wider
    fmt = ox.RdfFormat.TRIG if suffix == ".trig" else ox.RdfFormat.N_QUADS
    bom = b"\xef\xbb\xbf"
    try:
        with open_file(path) if raw is None else nullcontext(None) as stream:
            if stream is not None and stream.read(len(bom)) != bom:
                stream.seek(0)
            source = raw.removeprefix(bom) if raw is not None else stream
            for quad in ox.parse(input=source, format=fmt, base_iri="urn:kgraph:check"):
                if type(quad.object) is ox.Triple or type(quad.subject) is ox.Triple:
                    return RDF_STAR  # what Oxigraph reads and rdflib does not is RDF-star, not named graphs
    except (SyntaxError, ValueError, MemoryError, OSError, InputError):
        return None
    rename = f"rename it with the suffix {suffix}"
    return f"bad syntax: the file holds {what}, which {own} does not and {name} does: {rename}"


#: What rdflib logs for an IRI with a space, ``{``, ``|``... in it (as it reads it).
_ODD_IRI = "does not look like a valid URI"


def _refuse_bad_iris(dataset: Dataset, text: str, display: str) -> None:
    """Refuse an IRI with a character RDF does not allow in one (a space, ``{``, ``|``, a control character), which
    rdflib reads, with a warning at most: ``kgraph load --store``, ``validate`` and ``build`` refused the file, the
    other commands went on with it, and ``dump`` or a CONSTRUCT in Turtle failed with a traceback. Only what can
    hold one is checked: a file rdflib warned about, or one with an escape (``\\u0020``)."""
    seen: set[URIRef] = set()
    for quad in dataset.quads():
        for term in quad:
            iri = term.datatype if isinstance(term, Literal) else term
            if not isinstance(iri, URIRef) or iri in seen:
                continue
            seen.add(iri)
            if not IRI_CHARACTERS.fullmatch(iri):  # as RDF (and Oxigraph) allow: no space, {, |, ...
                bad = next(c for c in iri if not IRI_CHARACTERS.fullmatch(c))
                shown = bad if bad.isprintable() else f"U+{ord(bad):04X}"
                line, written = line_of_iri(text, iri), str(iri)
                if line is None:  # a prefixed name's: the prefix's IRI has the character, as Oxigraph names it
                    declared = next((m for m in _WRITTEN_IRI.finditer(text) if iri.startswith(m.group(1))), None)
                    if declared is not None and bad in declared.group(1):
                        line, written = line_at(text, declared.start()), declared.group(1)
                why = f"bad syntax: Invalid IRI code point '{shown}' in the IRI <{written}>"
                raise DataSyntaxError(display, line, why)


#: An IRI written between ``<`` and ``>`` on one line (group 1: its text).
_WRITTEN_IRI = re.compile(r"<([^<>\n]*)>")


def line_of_iri(text: str, iri: str) -> int | None:
    """The first line of ``text`` that writes ``iri``: whole between ``<`` and ``>``, else its last segment before a
    ``>`` (the IRI may be written relative to a base), else its text anywhere; each character as itself or as an
    escape (``\\u0020``). None if not found. Both the load's check and validation's name the line with it."""
    tail = iri.rsplit("/", 1)[-1]
    for pattern in (f"<{_written(iri)}>", f"{_written(tail)}>" if tail else None, _written(iri)):
        found = re.search(pattern, text) if pattern else None
        if found:
            return line_at(text, found.start())
    return None


def _written(iri: str) -> str:
    """A pattern for ``iri`` as a file may write it: each character as itself or as a ``\\u``/``\\U`` escape."""
    return "".join(rf"(?:{re.escape(c)}|\\u(?i:{ord(c):04x})|\\U(?i:{ord(c):08x}))" for c in iri)


_SURROGATE = re.compile("[\ud800-\udfff]")


#: A backslash and what follows it, in N-Triples or N-Quads: group 1 is what follows one that starts no escape.
_NT_BACKSLASH = re.compile(r"""\\(?:[tbnrf"'\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|(.?))""")


def _refuse_unknown_escapes(text: str, fmt: str, display: str) -> None:
    """Refuse a backslash that starts no escape (``"C:\\data"``), which rdflib's N-Triples and N-Quads parser keeps
    as it is: ``kgraph load`` refused the file, the in-memory commands read it. Each line that has one goes to
    Oxigraph's parser, which says what is wrong with it as it does on a store (a backslash in a comment is none)."""
    for number, line in enumerate(file_lines(text), start=1):
        if "\\" in line and any(found.group(1) is not None for found in _NT_BACKSLASH.finditer(line)):
            message = _line_message(line, fmt)
            if message is not None:
                raise DataSyntaxError(display, number, message)


def _refuse_surrogates(dataset: Dataset, text: str, display: str) -> None:
    """Refuse a term with a surrogate code point (half of a UTF-16 pair, no character), which rdflib makes of an
    escape such as ``\\uD800``: it cannot be written as UTF-8, so every output failed on it with a traceback.
    Oxigraph refuses the escape as it parses (``kgraph load``): the same words here."""
    for quad in dataset.quads():
        found = next((m for term in quad if isinstance(term, Identifier) and (m := _SURROGATE.search(term))), None)
        if found is None:
            continue
        code = f"{ord(found.group()):04X}"
        escape = re.search(rf"\\(?:u|U0000){code}", text, re.IGNORECASE)
        line = line_at(text, escape.start()) if escape else None
        written = escape.group() if escape else f"\\u{code}"
        why = f"bad syntax: The escape sequence '{written}' is encoding {code} that is not a valid unicode character"
        raise DataSyntaxError(display, line, why)


def _bad_syntax(error: BadSyntax, text: str) -> tuple[int | None, str]:
    """The line and message of rdflib's error in ``text``, the common ones worded as ``kgraph load`` words
    Oxigraph's (:mod:`kgraph.syntax`). The line is the one of the error's position in the text: rdflib's own count
    (``lines``) is one too many for each literal before it followed by a comma and a line end (``"a"@en ,``, as
    data files list a label in two languages), and counts LFs only. Where the file ended first (``needed '}', found
    end``), rdflib gives no position: the line is the end's, as Oxigraph names it; for an IRI left open, the
    nearest line up to rdflib's that leaves one open."""
    lines = getattr(error, "lines", None)
    position = getattr(error, "_i", None)
    why = str(getattr(error, "_why", "") or "bad syntax")
    line = lines + 1 if isinstance(lines, int) else None
    if isinstance(position, int) and 0 <= position <= len(text):
        line = line_at(text, position)
    elif ended_early(why):
        line = line_at(text, len(text))
    elif why == "unterminated URI reference" and line is not None:
        line = next((n for n in range(line, 0, -1) if iri_left_open(text, n)), line)
    if line is not None and 0 < line <= len(lines := file_lines(text)) and rdf_star_in(lines[line - 1]):
        return line, RDF_STAR  # rdflib stopped at a quoted triple or an annotation, which it does not read
    return rdflib_syntax(why, text, position if isinstance(position, int) else -1, line)


def _locate_line_error(text: str, fmt: str, error: ParserError) -> tuple[int | None, str]:
    """N-Triples/N-Quads errors carry no line number: find the first line that fails on its own."""
    for number, line in enumerate(file_lines(text), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            with quiet_rdflib():
                Dataset().parse(data=line, format=fmt)
        except ParserError as line_error:
            return number, _line_message(line, fmt) or f"bad syntax: {str(line_error.msg).splitlines()[0]}"
    return None, f"bad syntax: {str(error).splitlines()[0]}"


def _line_message(line: str, fmt: str) -> str | None:
    """What is wrong with one line of N-Triples or N-Quads, in the words a store's load uses
    (:func:`kgraph.persist._located`): rdflib says ``Invalid line`` whatever it is; Oxigraph's parser, on the line
    alone, says what it expected. None if Oxigraph reads the line."""
    import pyoxigraph as ox  # noqa: PLC0415 - only for a file that does not parse

    line_format = ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.N_QUADS
    try:
        for _quad in ox.parse(input=(line + "\n").encode("utf-8"), format=line_format):
            pass
    except SyntaxError as error:
        return oxigraph_syntax_message(error, "triple" if fmt == "nt" else "quad", lambda _n: line)
    return None


class _ListHandler(logging.Handler):
    def __init__(self, prefix: str, sink: list[str], text: str) -> None:
        super().__init__(logging.WARNING)
        self.prefix = prefix
        self.sink = sink
        self.text = text

    def emit(self, record: logging.LogRecord) -> None:
        """The warning, after the file and, for an ill-typed literal, the line of the file that first writes it
        (``a.ttl:7: "2025-13-01" is not a valid xsd:date; ...``)."""
        where = self.prefix
        lexical = ill_typed_lexical(record)
        if lexical is not None:
            written = re.search(r"([\"'])" + re.escape(lexical) + r"\1", self.text)
            if written is not None:
                where += f":{self.text.count(chr(10), 0, written.start()) + 1}"
        self.sink.append(f"{where}: {rdflib_warning(record)}")


@contextmanager
def _captured_rdflib_log(display: str, sink: list[str], text: str) -> Iterator[None]:
    """Collect what rdflib logs while parsing ``text`` (ill-typed literals, odd IRIs) instead of letting it
    print."""
    with rdflib_log_to(_ListHandler(display, sink, text)):  # not the command line's printer: the warnings say it
        yield


def _with_graph(parsed: Dataset, name_of: Callable[[Node], Node]) -> Iterator[Quad]:
    for context in parsed.graphs():
        name = name_of(context.identifier)
        if not isinstance(name, URIRef):
            continue  # pragma: no cover - a blank-node graph name; rdflib's parsers do not make them
        for s, p, o in context:
            yield (s, p, o, name)


#: The graphs kgraph writes itself, which no data file may write in: the ontology's and the inferences'.
KGRAPH_GRAPHS = frozenset({ONTOLOGY_GRAPH, INFERRED_GRAPH})


def kgraph_graph_error(path: Path, name: str, raw: bytes | None = None) -> DataSyntaxError:
    """The error for the data file at ``path`` (``raw``: its bytes, if at hand) writing in ``name``, one of
    :data:`KGRAPH_GRAPHS`: its triples were counted as inferred (or as the ontology's) and validation did not check
    them. On the first line that writes the graph's IRI whole, if one does."""
    text = (raw if raw is not None else read_file(path)).decode("utf-8", errors="replace")
    at = text.find(f"<{name}>")
    own = "the inferences'" if name == str(INFERRED_GRAPH) else "the ontology's"
    return DataSyntaxError(
        _display(path),
        line_at(text, at) if at >= 0 else None,
        f"the named graph <{name}> is kgraph's own ({own}), which no data file writes in: put its triples in a "
        "graph of the data's own, such as a source section's",
    )


def _default_to(name: URIRef) -> Callable[[Node], Node]:
    """Name a dataset's default graph ``name`` and keep every other graph's name."""
    return lambda identifier: name if identifier == DATASET_DEFAULT_GRAPH_ID else identifier


#: A predicate of the graph :func:`_canonical_bnodes` labels, never stored: which graph a blank node is in.
_IN_GRAPH = URIRef("urn:kgraph:canonical:in-graph")


def _canonical_bnodes(quads: list[Quad]) -> list[Quad]:
    """Give blank nodes stable labels so that outputs do not change from run to run.

    The labels come from the triples around each blank node and from the graphs it is in: two blank nodes with the
    same triples in two graphs are told apart by their graph, not by the order in which they were read.
    """
    with_bnodes = Graph()
    for s, p, o, g in quads:
        if isinstance(s, BNode) or isinstance(o, BNode):
            with_bnodes.add((s, p, o))
            for node in (s, o):
                if isinstance(node, BNode):
                    with_bnodes.add((node, _IN_GRAPH, g))
    if not with_bnodes:
        return quads
    from rdflib.compare import _TripleCanonicalizer  # noqa: PLC0415 - only for data with blank nodes

    originals = list(with_bnodes)
    canonical = _TripleCanonicalizer(with_bnodes).canonical_triples()
    mapping: dict[Node, Node] = {}
    # canonical_triples() walks the graph in the same order as list(graph) did, relabelling blank nodes.
    for before, after in zip(originals, canonical, strict=True):
        for old, new in zip(before, after, strict=True):
            if isinstance(old, BNode):
                mapping[old] = new
    return [(mapping.get(s, s), p, mapping.get(o, o), g) for s, p, o, g in quads]


#: Blank nodes relabelled canonically (for :mod:`kgraph.persist`, which reads some files with rdflib).
canonical_bnodes = _canonical_bnodes


def _dataset(quads: Iterable[Quad]) -> Dataset:
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    graphs: dict[URIRef, Graph] = {}
    for s, p, o, name in quads:
        if name not in graphs:
            graphs[name] = dataset.graph(name)
        dataset.add((s, p, o, graphs[name]))
    return dataset
