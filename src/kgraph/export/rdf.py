"""The graph as RDF files, byte for byte the same for the same input.

- ``kgraph.ttl``, ``kgraph.nt``, ``kgraph.jsonld``: the flat graph (ontology + data + inferences);
- ``kgraph.trig``, ``kgraph.nq``: the named graphs (one per source section, the ontology graph, the inferred
  graph), so the provenance of each triple survives.

How each format is made deterministic: N-Triples and N-Quads lines (as rdflib's serializers write them) are
sorted, in bounded memory (:class:`~kgraph.query.ntriples.SortedLines`); the Turtle and TriG serializers of rdflib
sort subjects, predicates and objects themselves, and are fed triples in sorted order with only
:data:`kgraph.vocab.PREFIXES` bound (so no prefix is generated in iteration order), with the named graphs of
TriG sorted by name; JSON-LD is re-written with sorted keys, nodes and values (``@list`` order is kept).
Blank nodes get stable labels when the graph is loaded. Nothing depends on the time or the kgraph version.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable
from io import BytesIO
from typing import Any

from rdflib import BNode, Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.jsonld import Converter
from rdflib.plugins.serializers.nquads import _nq_row
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.plugins.shared.jsonld.context import Context
from rdflib.term import Node

from kgraph._compat import quiet_rdflib
from kgraph.query import ntriples
from kgraph.query.ntriples import SortedLines
from kgraph.store import LoadedGraph
from kgraph.vocab import PREFIXES, bind_prefixes

FLAT_FILES = ("kgraph.ttl", "kgraph.nt", "kgraph.jsonld")
NAMED_GRAPH_FILES = ("kgraph.trig", "kgraph.nq")


def render(loaded: LoadedGraph) -> dict[str, bytes]:
    """Every RDF export of ``loaded``: file name -> content.

    One sorted copy at a time: the flat graph's for its three files, let go before the named graphs' is made (on
    a large store each copy is gigabytes)."""
    with quiet_rdflib():  # the sort too: it writes each term (n3)
        flat = _sorted_graph(loaded.graph)
        turtle, ntriples, jsonld = _serialize(_AlphabeticalTurtleSerializer(flat)), _nt(flat), json_ld(flat)
        del flat
        gc.collect()  # a graph refers to itself (its namespace manager): freed now, not at some later collection
        named = _sorted_dataset(loaded.dataset)
        trig, nquads = _serialize(_SortedTrigSerializer(named)), _nq(named.graphs())
    return {
        "kgraph.ttl": turtle,
        "kgraph.nt": ntriples,
        "kgraph.jsonld": jsonld,
        "kgraph.trig": trig,
        "kgraph.nq": nquads,
    }


def render_lines(loaded: LoadedGraph, fmt: str) -> bytes:
    """``kgraph.nt`` (``fmt`` "nt") or ``kgraph.nq`` ("nq") of :func:`render` alone, the same bytes, without
    the other exports (``kgraph dump`` in memory: Turtle, TriG and JSON-LD took most of its time)."""
    with quiet_rdflib():  # the lines are sorted: no sorted copy of the graph
        if fmt == "nt":
            return _nt(loaded.graph, "the N-Triples")
        return _nq(loaded.dataset.graphs(), "the N-Quads")


def _nt(triples: Iterable[tuple[Node, Node, Node]], name: str = "kgraph.nt") -> bytes:
    """rdflib's N-Triples lines of ``triples``, sorted and each once; ``b"\\n"`` for none."""
    lines = SortedLines(_advice(name))
    try:
        for triple in triples:
            lines.add(triple)
        return _joined(lines)
    finally:
        lines.close()


def _nq(graphs: Iterable[Graph], name: str = "kgraph.nq") -> bytes:
    """rdflib's N-Quads lines of the named graphs among ``graphs`` (a store's default graph, the flat one, left
    out), sorted and each once; ``b"\\n"`` for none."""
    lines = SortedLines(_advice(name))
    try:
        for graph in graphs:
            if graph.identifier == DATASET_DEFAULT_GRAPH_ID:
                continue
            name = graph.identifier
            for triple in graph:
                # As rdflib's N-Quads serializer encodes it (a lone surrogate becomes "?"), without the line end.
                lines.add_line(_nq_row(triple, name).encode("utf-8", "replace")[:-1])  # type: ignore[no-untyped-call]
        return _joined(lines)
    finally:
        lines.close()


def _advice(name: str) -> str:
    """What to do when the temporary files that sort ``name``'s lines cannot be written (a full disk)."""
    run = ntriples.RUN_BYTES
    size = f"{run >> 20} MB" if run >= 1 << 20 else f"{run >> 10} KB"
    return (
        f"cannot write a temporary file to sort the lines of {name} ({{reason}}); past {size} they are sorted in "
        "temporary files about its size: free some space, or set TMPDIR to a folder with room"
    )


def _joined(lines: SortedLines) -> bytes:
    lines.finish()
    stream = BytesIO()
    lines.write(stream)
    return stream.getvalue() or b"\n"


def _key(triple: Iterable[Node]) -> tuple[str, ...]:
    return tuple(term.n3() for term in triple)


def _sorted_graph(graph: Graph) -> Graph:
    copy = Graph()
    bind_prefixes(copy)
    for triple in sorted(graph, key=_key):
        copy.add(triple)
    return copy


def _sorted_dataset(dataset: Dataset) -> Dataset:
    copy = Dataset()
    bind_prefixes(copy)
    for source in sorted(dataset.graphs(), key=lambda g: g.identifier.n3()):
        # A store's default graph is its flat graph, every named graph's triples again: not a graph to export.
        if len(source) == 0 or source.identifier == DATASET_DEFAULT_GRAPH_ID:
            continue
        target = copy.graph(source.identifier)
        for triple in sorted(source, key=_key):
            target.add(triple)
    return copy


def _alphabetical_subjects(serializer: TurtleSerializer) -> list[Node]:
    """Subjects sorted by IRI, blank nodes last (so the ones used once are written inline first).

    rdflib orders subjects by how often they are referenced, which is stable but hard to read and to diff.
    """
    subjects = list(serializer._subjects)
    return sorted(subjects, key=lambda s: (isinstance(s, BNode), s.n3()))


class _NamesKept(TurtleSerializer):
    """rdflib's Turtle serializer, keeping the prefixed name of each IRI it has named once, for the rest of the
    document: rdflib works it out again at each of the IRI's uses, which took about half of the time of Turtle and
    TriG. The same names: once an IRI is named, rdflib's namespace manager (one for every graph of a dataset) keeps
    the prefix it found, the local part's escapes depend on the IRI alone, and declaring the prefix again (the
    document's prefixes are those declared) changes nothing. An IRI without a name is asked again each time, as
    a prefix generated meanwhile may name it."""

    def reset(self) -> None:
        super().reset()
        self._names: dict[Node, str] = {}

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        name = self._names.get(uri)
        if name is None:
            name = super().get_pname(uri, gen_prefix)
            if name is not None:
                self._names[uri] = name
        return name


class _AlphabeticalTurtleSerializer(_NamesKept):
    def orderSubjects(self) -> list[Node]:
        return _alphabetical_subjects(self)


class _SortedTrigSerializer(TrigSerializer, _NamesKept):
    """Named graphs sorted by name (rdflib writes them in store order, which is not stable), subjects by IRI."""

    def preprocess(self) -> None:
        self.contexts.sort(key=lambda g: g.identifier.n3())
        super().preprocess()

    def orderSubjects(self) -> list[Node]:
        return _alphabetical_subjects(self)


def _serialize(serializer: TurtleSerializer) -> bytes:
    stream = BytesIO()
    serializer.serialize(stream, encoding="utf-8")
    return stream.getvalue()


class _TypedLiterals(Converter):
    """rdflib's JSON-LD converter, writing every typed literal as ``{"@type": ..., "@value": its text}``. With a
    context it writes integers, doubles and booleans as JSON numbers and booleans, which do not read back as they
    were: an integer of 10^21 or more becomes an ``xsd:double``, ``"abc"^^xsd:integer`` loses its datatype,
    ``"1.5e3"`` and ``"1"^^xsd:boolean`` change their text."""

    def __init__(self, context: Context) -> None:
        super().__init__(context, use_native_types=False, use_rdf_type=False)
        self.use_native_types = False  # the base class turns them on whenever the context is active


def json_ld(graph: Graph) -> bytes:
    """``graph`` as JSON-LD with kgraph's prefixes as its context, every literal as written (:class:`_TypedLiterals`),
    arrays that are sets sorted: the same bytes for the same triples."""
    context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    document = _TypedLiterals(Context(context)).convert(graph)
    if isinstance(document, list):  # several subjects: rdflib's serializer puts them in a @graph
        document = {"@graph": document}
    document["@context"] = context
    return (json.dumps(_normalise(document), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _normalise(value: Any, in_list: bool = False) -> Any:  # noqa: ANN401 - JSON values
    """Sort JSON-LD arrays that are sets (every array but an ``@list``); keys are sorted by ``json.dumps``."""
    if isinstance(value, dict):
        return {key: _normalise(item, in_list=key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_normalise(item) for item in value]
        return (
            items if in_list else sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
        )
    return value
