"""The store's rdflib face: :class:`ReadOnlyOxigraphStore` (an :mod:`oxrdflib` store over a kgraph store's
Oxigraph database) and what runs on the database natively: SPARQL (:func:`sparql`, :func:`evaluate`) and the
streamed dumps. :mod:`kgraph.persist` builds and opens stores; this module reads them.

The database's **default graph** is the flat graph (ontology, data, inferences: every triple once); the named
graphs are the ontology, the sections, the files and the inferred graph, as in memory.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import threading
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import to_ox, to_ox_term_pattern
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier, Node

from kgraph import oxorder, sortkey
from kgraph.errors import QueryError, StoreError
from kgraph.query import lexer
from kgraph.query.ntriples import SortedLines, nt_line
from kgraph.store import LoadedGraph, display_path
from kgraph.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, bind_prefixes

if TYPE_CHECKING:
    from kgraph.name_index import NameIndex

#: The named graph of the inferences.
INFERRED = ox.NamedNode(str(INFERRED_GRAPH))
#: The flat graph: ontology, data and inferences, each triple once.
FLAT = ox.DefaultGraph()
_XSD_STRING = str(XSD.string)

_SUBJECT = ox.Variable("s")
_OBJECT = ox.Variable("o")
#: The triples of a node given as ?s or ?o, in the named graphs (the flat default graph left out), with their graphs.
#: Every variable is returned: Oxigraph substitutes only those.
_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"
#: The objects of relations.
_OBJECTS = f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o FILTER (?p != <{RDF.type}> && !isLiteral(?o)) }}"
#: ?o, if it is the object of a relation whose subject is not the ontology's (a class axiom, the ontology's header).
_LINKED = f"""SELECT ?o WHERE {{
  ?s ?p ?o FILTER (?p != <{RDF.type}>)
  FILTER NOT EXISTS {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?anything ?value }} }}
}} LIMIT 1"""


# ------------------------------------------------------------------------------------ the rdflib store


#: Terms converted lately (pyoxigraph term -> rdflib term): the same IRIs come back again and again, and making an
#: rdflib term (which validates the IRI, or parses the literal's value) costs more than the look-up itself. Kept
#: small: reading every triple of a 1M store, 2^16 terms took 22.0 s and 143 MB, 2^18 23.5 s and 230 MB (a full
#: cache is emptied, so a larger one is mostly literals seen once); a 36,000-row join and the validation graph
#: (2.4M triples) took the same time and memory with either.
_TERMS: dict[Any, Identifier] = {}
_TERMS_KEPT = 1 << 16


def from_ox(term: Any) -> Identifier:  # noqa: ANN401 - a pyoxigraph term
    """A pyoxigraph term as rdflib makes it when parsing: a plain string literal has no datatype."""
    found = _TERMS.get(term)
    if found is None:
        if len(_TERMS) >= _TERMS_KEPT:
            _TERMS.clear()
        found = _TERMS[term] = _converted(term)
    return found


def _converted(term: Any) -> Identifier:  # noqa: ANN401 - a pyoxigraph term
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == _XSD_STRING else stored_literal(term.value, datatype)
    raise StoreError(f"the store holds a term kgraph cannot read: {term!r}")  # RDF-star triples


class _StoreReads(logging.Filter):
    """Drops rdflib's warning of a literal it cannot read as its datatype (``"abc"^^xsd:integer``) while a term read
    from the store is made an rdflib term (:func:`stored_literal`), in the thread doing so.

    ``kgraph load`` warns of such a literal once, with its file and line; every command that then read it from the
    store repeated it as ``warning: rdflib: ...``, with neither, as often as a command met it (a query's answer,
    ``show``, ``neighbors``, ``export neo4j``). A literal of a query's own text is still warned of: rdflib reads it
    as it parses the query, not here."""

    def __init__(self) -> None:
        super().__init__()
        self.local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(self.local, "reading", False)


_STORE_READS = _StoreReads()
logging.getLogger("rdflib.term").addFilter(_STORE_READS)


def stored_literal(value: str, datatype: str) -> Literal:
    """The literal of ``value`` and ``datatype`` (an IRI's text), as read from the store: an ill-typed one is kept
    as written, without rdflib's warning (:class:`_StoreReads`)."""
    local = _STORE_READS.local
    local.reading = True
    try:
        return Literal(value, datatype=URIRef(datatype))
    finally:
        local.reading = False


def _export_where(inferred: Iterable[URIRef]) -> str:
    """The pattern of the export's rows: the triples in the named graphs, of the inferred graph only those of the
    ``inferred`` predicates."""
    keep = ", ".join(str(to_ox(p)) for p in sorted(set(inferred)))
    return f"GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != {INFERRED} || ?p IN ({keep}))"


_TSV_ESCAPE = re.compile(r"\\(.)")
_TSV_ESCAPED = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\"}
_XSD_BOOLEAN, _XSD_INTEGER, _XSD_DECIMAL, _XSD_DOUBLE = (
    str(XSD[n]) for n in ("boolean", "integer", "decimal", "double")
)


def _tsv(results: Any) -> bytes:  # noqa: ANN401 - pyoxigraph's QuerySolutions
    """A SELECT's answer written by Oxigraph as SPARQL TSV, without Python's lock while it evaluates and writes."""
    return results.serialize(format=ox.QueryResultsFormat.TSV)  # type: ignore[no-any-return]


def tsv_rows(answer: IO[bytes]) -> Iterator[list[str]]:
    """The cells of each row of a SELECT's answer in SPARQL TSV (:func:`_tsv`), read from ``answer`` (its bytes, or
    a file Oxigraph wrote it into), the line of its variables left out; read a line at a time, decoded a few
    kilobytes at a time: the answer's whole text and a list of its lines are never held beside its bytes (at 1M
    triples the export's answer for 1,000 nodes is about 2 MB of TSV). A line ends at its newline only: TSV escapes
    a literal's; U+2028, U+0085 or a form feed in one is text. Closes ``answer`` when done."""
    with io.TextIOWrapper(answer, encoding="utf-8", newline="\n") as lines:
        next(lines, None)  # the first line names the variables
        for line in lines:
            if line != "\n":
                yield line.rstrip("\n").split("\t")


def tsv_select(native: ox.Store, text: str, **options: Any) -> Iterator[list[str]]:  # noqa: ANN401
    """The cells of each row of the SELECT ``text`` (``options``: :meth:`pyoxigraph.Store.query`'s), as SPARQL TSV
    (:func:`tsv_rows`): Oxigraph evaluates the query and writes its answer into a temporary file without Python's
    lock, and the file is read back a line at a time. No pyoxigraph term is made for a cell: for answers of
    hundreds of thousands of rows, that costs more than reading their text."""
    import tempfile  # noqa: PLC0415 - for the readers of whole answers only, not for every query command

    with tempfile.TemporaryFile() as written:
        answer = native.query(text, **options)
        assert isinstance(answer, ox.QuerySolutions)  # noqa: S101 - a SELECT query
        answer.serialize(written, ox.QueryResultsFormat.TSV)
        written.seek(0)
        yield from tsv_rows(written)


def tsv_value(text: str) -> str:
    """What pyoxigraph's ``.value`` gives for the term written ``text`` in SPARQL TSV: an IRI, a blank node's
    label, a literal's lexical form."""
    if text[0] == "<":
        return text[1:-1]
    if text[:2] == "_:":
        return text[2:]
    return tsv_literal(text)[0]


def tsv_literal(text: str) -> tuple[str, str, str]:
    """``(value, language, datatype)`` of a literal as Oxigraph writes it in SPARQL TSV: quoted, with ``\\t``,
    ``\\n``, ``\\r``, ``\\"`` and ``\\\\`` escaped, then ``@language`` or ``^^<datatype>`` (none: xsd:string); or
    bare, for a boolean, integer, decimal or double in Turtle's short form (the language is "" unless tagged)."""
    if text[0] == '"':
        end = text.rfind('"')  # a language tag or a datatype IRI holds no quote
        value = text[1:end]
        if "\\" in value:
            value = _TSV_ESCAPE.sub(lambda found: _TSV_ESCAPED[found.group(1)], value)
        rest = text[end + 1 :]
        if rest[:1] == "@":
            return value, rest[1:], ""
        return value, "", rest[3:-1] if rest else _XSD_STRING
    if text in {"true", "false"}:
        return text, "", _XSD_BOOLEAN
    if "e" in text or "E" in text:
        return text, "", _XSD_DOUBLE
    return text, "", _XSD_DECIMAL if "." in text else _XSD_INTEGER


#: Terms written in SPARQL TSV converted lately (as :data:`_TERMS`).
_TSV_TERMS: dict[str, Identifier] = {}


def from_tsv(text: str) -> Identifier:
    """A term written in SPARQL TSV (``<iri>``, ``_:label``, a literal: :func:`tsv_literal`) as :func:`from_ox`
    makes it."""
    found = _TSV_TERMS.get(text)
    if found is None:
        if len(_TSV_TERMS) >= _TERMS_KEPT:
            _TSV_TERMS.clear()
        if text[0] == "<":
            found = URIRef(text[1:-1])
        elif text[:2] == "_:":
            found = BNode(text[2:])
        else:
            value, language, datatype = tsv_literal(text)
            if language:
                found = Literal(value, lang=language)
            else:
                found = Literal(value) if datatype == _XSD_STRING else stored_literal(value, datatype)
        _TSV_TERMS[text] = found
    return found


def _ox_pattern(term: Node | None) -> Any:  # noqa: ANN401 - a pyoxigraph term or None
    return to_ox_term_pattern(term)  # type: ignore[arg-type]


class _NoMatch(Exception):
    """A pattern term that no stored triple can match (a variable, a formula)."""


#: The other way round: rdflib terms of look-up patterns (predicates, classes) -> pyoxigraph terms.
_PATTERN_TERMS: dict[Node, Any] = {}


def _pattern_term(term: Node | None) -> Any:  # noqa: ANN401 - a pyoxigraph term or None
    if term is None:
        return None
    found = _PATTERN_TERMS.get(term)
    if found is None:
        found = _ox_pattern(term)
        if found is None:
            raise _NoMatch
        if len(_PATTERN_TERMS) >= _TERMS_KEPT:
            _PATTERN_TERMS.clear()
        _PATTERN_TERMS[term] = found
    return found


def _may_match(subject: Any, predicate: Any) -> bool:  # noqa: ANN401 - pyoxigraph terms or None
    """Whether a triple may have this subject and predicate. rdflib asks for a literal subject (SPARQL's
    ``"text" ex:p ?x``, or ``?x ^ex:p "text"``), which no triple has; Oxigraph raises TypeError for it instead."""
    return type(subject) is not ox.Literal and (predicate is None or type(predicate) is ox.NamedNode)


class ReadOnlyOxigraphStore(OxigraphStore):
    """oxrdflib's store over a read-only Oxigraph database, with kgraph's layout and rdflib's semantics.

    - The union (rdflib's ``default_union``: no context, or the default graph) is Oxigraph's default graph, the
      flat graph; each triple comes once, with the named graphs that hold it as its contexts.
    - ``len()`` answers from the counts kept at load time (oxrdflib would run a COUNT query: seconds at 1M).
    - Plain string literals come back without a datatype, as rdflib parses them.
    - SPARQL given as a string runs in Oxigraph; an already parsed query (``prepareQuery``), or one Oxigraph
      does not accept, raises NotImplementedError, on which rdflib evaluates it itself.
    - Nothing can be added or removed.
    """

    def __init__(
        self, native: ox.Store, counts: Mapping[str, int], union_count: int, *, store_dir: Path | None = None
    ) -> None:
        super().__init__(store=native)
        self.native = native
        self.counts = dict(counts)
        self.union_count = union_count
        self._graph_names: dict[str, URIRef] = {}
        #: The store's index of names (:mod:`kgraph.name_index`), when it has one that this kgraph can use.
        self.name_index: NameIndex | None = None
        #: The store folder the database is in, as the error for a use after :meth:`close` names it.
        self.store_dir = store_dir
        self.closed = False

    def close(self, commit_pending_transaction: bool = False) -> None:
        """Let go of the database and the name index, so that their files are closed now (a store replaced by
        ``kgraph load`` frees its disk space), not when Python collects the graphs that refer to this store; rdflib's
        ``Graph.close()`` calls this. Any use afterwards raises :class:`~kgraph.errors.StoreError`. An answer still
        being read (a query's rows, ``graph.triples(...)``) holds the database until it is dropped."""
        if self.closed:
            return
        self.closed = True
        closed = _ClosedDatabase(self.store_dir)
        # oxrdflib reads its own reference (_store), and makes an empty in-memory store in its place when it is None
        self.native = self._store = closed  # type: ignore[assignment]
        index, self.name_index = self.name_index, None
        if index is not None:
            index.close()

    # --- reading

    def triples(self, triple_pattern: Any, context: Graph | None = None) -> Iterator[Any]:  # noqa: ANN401
        # Every command's look-ups come through here: kept to the fewest Python steps per call and per triple.
        try:
            s, p, o = (_pattern_term(term) for term in triple_pattern)
        except _NoMatch:
            return iter(())
        if not _may_match(s, p):
            return iter(())
        name = _graph_name(context)
        convert = from_ox
        if name is None:
            contexts = self._contexts_of
            return (
                ((convert(q.subject), convert(q.predicate), convert(q.object)), contexts(q))
                for q in self.native.quads_for_pattern(s, p, o, FLAT)
            )
        return (
            ((convert(q.subject), convert(q.predicate), convert(q.object)), iter((context,)))
            for q in self.native.quads_for_pattern(s, p, o, ox.NamedNode(str(name)))
        )

    def statements(self, subject: Node) -> dict[tuple[Node, Node], list[URIRef]]:
        """For :meth:`kgraph.store.LoadedGraph.statements`: the triples of ``subject`` with their named graphs.

        A SPARQL query over the named graphs, not ``quads_for_pattern``: that would also return the flat copy
        of each triple in the default graph, and reading a quad from the database (about 5 µs, mostly decoding
        its terms) is what such a look-up costs."""
        return self._grouped(subject, _SUBJECT, lambda s, p, o: (p, o))

    def _graph_name(self, graph: ox.NamedNode) -> URIRef:
        """The graph's name as an rdflib term, made once per graph (a store has few, each in many answers)."""
        found = self._graph_names.get(graph.value)
        if found is None:
            found = self._graph_names[graph.value] = URIRef(graph.value)
        return found

    def incoming(self, obj: Node) -> dict[tuple[Node, Node], list[URIRef]]:
        """For :meth:`kgraph.store.LoadedGraph.incoming`: as :meth:`statements`, by object."""
        return self._grouped(obj, _OBJECT, lambda s, p, o: (s, p))

    def _grouped(
        self, term: Node, variable: ox.Variable, key: Callable[[Any, Any, Any], tuple[Any, Any]]
    ) -> dict[tuple[Node, Node], list[URIRef]]:
        pattern = _ox_pattern(term)
        if pattern is None:
            return {}
        found: dict[tuple[Any, Any], list[URIRef]] = {}
        for s, p, o, g in self.native.query(_QUADS, substitutions={variable: pattern}):  # type: ignore[union-attr]
            found.setdefault(key(s, p, o), []).append(self._graph_name(g))
        return {(from_ox(a), from_ox(b)): sorted(set(names)) for (a, b), names in found.items()}

    def quads_with(
        self, predicates: Iterable[URIRef], inferred: bool, subjects: Collection[Node] | None = None
    ) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """For :meth:`kgraph.store.LoadedGraph.quads_with`: one SPARQL query over the named graphs (with
        ``subjects``, one per predicate and thousand subjects: :meth:`_of_subjects`)."""
        wanted = sorted(set(predicates))
        values = " ".join(str(to_ox(p)) for p in wanted)  # pyoxigraph checks each IRI
        if not values:
            return
        only_stated = "" if inferred else f"FILTER (?g != <{INFERRED_GRAPH}>)"
        if subjects is None:
            text = f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {only_stated} }}"
            for s, p, o, g in self.native.query(text):  # type: ignore[union-attr]
                yield from_ox(s), from_ox(p), from_ox(o), self._graph_name(g)
            return
        for predicate in wanted:
            where = f"GRAPH ?g {{ ?s {to_ox(predicate)} ?o }} {only_stated}"
            for s, o, g in self._of_subjects("?s ?o ?g", where, subjects):
                yield from_ox(s), predicate, from_ox(o), self._graph_name(g)

    def texts_with(
        self, predicates: Iterable[URIRef], subjects: Collection[Node] | None = None
    ) -> Iterator[tuple[Node, URIRef, str, str | None]]:
        """For :meth:`kgraph.store.LoadedGraph.texts_with`: one SPARQL query over the flat graph (with ``subjects``,
        one per predicate and thousand subjects: :meth:`_of_subjects`); the texts are Oxigraph's strings (an rdflib
        literal costs several µs to make, validating its language tag)."""
        wanted = sorted(set(predicates))
        values = " ".join(str(to_ox(p)) for p in wanted)
        if not values:
            return
        if subjects is None:
            names = {to_ox(p): p for p in wanted}
            text = f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o FILTER isLiteral(?o) }}"
            for s, p, o in self.native.query(text, default_graph=FLAT):  # type: ignore[union-attr]
                yield from_ox(s), names[p], o.value, o.language
            return
        for predicate in wanted:
            for s, o in self._of_subjects("?s ?o", f"?s {to_ox(predicate)} ?o FILTER isLiteral(?o)", subjects):
                yield from_ox(s), predicate, o.value, o.language

    def instances_of(self, classes: Iterable[URIRef]) -> set[str]:
        """For :meth:`kgraph.store.LoadedGraph.instances_of`: one SPARQL query on the flat graph (which holds
        the inferred types)."""
        values = " ".join(str(to_ox(c)) for c in sorted(set(classes)))
        if not values:
            return set()
        text = f"SELECT DISTINCT ?s WHERE {{ VALUES ?c {{ {values} }} ?s <{RDF.type}> ?c FILTER isIRI(?s) }}"
        return {s.value for (s,) in self.native.query(text, default_graph=FLAT)}  # type: ignore[union-attr]

    def term_counts(self, terms: Iterable[URIRef]) -> tuple[dict[str, int], dict[str, int]]:
        """For :mod:`kgraph.export.ontology`: how many things of each of ``terms`` as a class the flat graph has, and
        how many of its triples have each as their predicate (inferred ones counted both), by IRI; a term the graph
        does not use is left out. Two grouped SPARQL queries, a plain count each: the flat graph holds every triple
        once, where the named graphs' union repeats a triple two sections state (and would need DISTINCT). On a
        store of 2.4M triples they took 0.56 CPU-s, where reading the matching triples into rdflib took 20.7."""
        values = " ".join(str(to_ox(t)) for t in sorted(set(terms)))
        if not values:
            return {}, {}
        found = []
        for pattern in (f"?s <{RDF.type}> ?t", "?s ?t ?o"):
            text = f"SELECT ?t (COUNT(*) AS ?n) WHERE {{ VALUES ?t {{ {values} }} {pattern} }} GROUP BY ?t"
            rows = self.native.query(text, default_graph=FLAT)
            found.append({t.value: int(n.value) for t, n in rows})  # type: ignore[union-attr]
        return found[0], found[1]

    def iri_links(self, predicates: Iterable[URIRef], inferred: bool) -> Iterator[tuple[str, str, str, str]]:
        """For :meth:`kgraph.store.LoadedGraph.iri_links`: a SPARQL query over the named graphs per predicate
        (its IRI is then not read back at every row), each graph's name one str for all its rows."""
        only_stated = "" if inferred else f"FILTER (?g != <{INFERRED_GRAPH}>)"
        names: dict[str, str] = {}
        for predicate in sorted(set(predicates)):
            p = str(predicate)
            text = f"SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ ?s {to_ox(predicate)} ?o }} {only_stated} }}"
            for s, o, g in self.native.query(text):  # type: ignore[union-attr]
                if type(s) is ox.NamedNode and type(o) is ox.NamedNode:
                    name = g.value
                    yield s.value, p, o.value, names.get(name) or names.setdefault(name, name)

    def iri_texts(self, predicates: Iterable[URIRef]) -> Iterator[tuple[str, str, str, str | None]]:
        """For :meth:`kgraph.store.LoadedGraph.iri_texts`: a SPARQL query over the flat graph per predicate."""
        for predicate in sorted(set(predicates)):
            p = str(predicate)
            text = f"SELECT ?s ?o WHERE {{ ?s {to_ox(predicate)} ?o FILTER (isIRI(?s) && isLiteral(?o)) }}"
            for s, o in self.native.query(text, default_graph=FLAT):  # type: ignore[union-attr]
                yield s.value, p, o.value, o.language

    def _of_subjects(self, selected: str, where: str, subjects: Collection[Node]) -> Iterator[Any]:
        """The rows of ``SELECT selected WHERE { where }`` (on the flat graph, or in the named graphs it names) for
        ``?s`` in ``subjects``: a ``VALUES ?s`` of a thousand IRIs at a time, and a query of its own for each blank
        node (which VALUES cannot hold), bound by substitution. The predicate is best written in ``where``: with
        a second VALUES (``?p``), Oxigraph 0.5 took 5-10 s for a thousand subjects at 1M triples, against 0.03 s."""
        iris = sorted(str(to_ox(s)) for s in subjects if isinstance(s, URIRef))
        for start in range(0, len(iris), 1000):
            text = f"SELECT {selected} WHERE {{ VALUES ?s {{ {' '.join(iris[start : start + 1000])} }} {where} }}"
            yield from self.native.query(text, default_graph=FLAT)  # type: ignore[misc]
        for blank in (s for s in subjects if isinstance(s, BNode)):
            rows = self.native.query(
                f"SELECT {selected} WHERE {{ {where} }}",
                default_graph=FLAT,
                substitutions={_SUBJECT: ox.BlankNode(str(blank))},
            )
            yield from rows  # type: ignore[misc]

    def subject_texts(self, predicate: URIRef) -> Iterator[tuple[Node, str, bool]]:
        """For :func:`kgraph.names.find`: each subject of ``predicate`` in the flat graph with the text of its
        object and whether that is a literal, read as SPARQL TSV (:func:`tsv_select`): no rdflib term for the
        object, no pyoxigraph term for anything (a scan of every label, for the names to suggest for one that
        matches nothing, took 2.2 s at 1M triples as pyoxigraph's terms)."""
        text = f"SELECT ?s ?o WHERE {{ ?s {to_ox(predicate)} ?o }}"
        for s, o in tsv_select(self.native, text, default_graph=FLAT):
            subject = URIRef(s[1:-1]) if s[0] == "<" else BNode(s[2:])
            yield subject, tsv_value(o), o[0] != "<" and o[:2] != "_:"

    def label_texts(self, iris: Iterable[URIRef]) -> dict[URIRef, list[tuple[str, str]]]:
        """For the query table's labels: ``(language, text)`` of each ``rdfs:label`` of ``iris``, by SPARQL
        queries of a thousand IRIs each (a look-up per IRI costs seconds for a large answer)."""
        found: dict[URIRef, list[tuple[str, str]]] = {}
        named = []
        for iri in sorted({str(iri) for iri in iris}):  # sorted as texts: rdflib compares terms in Python
            try:
                named.append(str(ox.NamedNode(iri)))
            except ValueError:  # not an IRI Oxigraph accepts (made up by the query): it has no label here
                continue
        for start in range(0, len(named), 1000):
            values = " ".join(named[start : start + 1000])
            text = f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {values} }} ?s <{RDFS.label}> ?o }}"
            for s, o in self.native.query(text, default_graph=FLAT):  # type: ignore[union-attr]
                if isinstance(o, ox.Literal):
                    found.setdefault(URIRef(s.value), []).append((o.language or "", o.value))
        return found

    def export_nodes(self, excluded: frozenset[str]) -> set[str]:
        """For the property-graph export: the :meth:`node_id` of every subject, and of every IRI or blank node a
        subject links to by another predicate than ``rdf:type``, but the ontology's and those in ``excluded``;
        from two SPARQL DISTINCTs (Oxigraph decodes only the terms it returns) and a query for each object that is
        no subject. The IDs are kept, not Oxigraph's terms: at 1M triples a set of 128,000 terms took 39 MB, as
        much again for the objects, which are streamed past the subjects' IDs instead of kept."""
        node_id = self.node_id
        ids = {node_id(row[0]) for row in self.native.query(_SUBJECTS, default_graph=FLAT)}  # type: ignore[union-attr]
        # An object that is no subject (few: the ontology's classes and datatypes, dangling links) is a node when a
        # subject outside the ontology links to it: asked object by object, cheaper than asking it of every triple.
        linked = [
            term
            for (term,) in self.native.query(_OBJECTS, default_graph=FLAT)  # type: ignore[union-attr]
            if node_id(term) not in ids
        ]
        ids.update(node_id(term) for term in linked if self._linked(term))
        ids.difference_update(excluded)
        return ids  # type: ignore[return-value]

    def _linked(self, term: Any) -> bool:  # noqa: ANN401 - a pyoxigraph term
        return any(self.native.query(_LINKED, default_graph=FLAT, substitutions={_OBJECT: term}))  # type: ignore[arg-type]

    def export_answer(self, subjects: Sequence[str], inferred: Iterable[URIRef]) -> bytes:
        """For the property-graph export: the answer, as SPARQL TSV, to the query for the ``(predicate, object,
        graph)`` rows of the IRIs among ``subjects`` (node IDs, :meth:`node_id`) in the named graphs; of the
        inferred graph only the triples of the ``inferred`` predicates. Each row names its subject by its position
        in ``subjects``, a small integer held in the row, not by its IRI (decoded from the store's strings at every
        row: a fifth of the query's time). Oxigraph evaluates the query and writes the answer without holding
        Python's lock (reading the rows one by one takes and releases it at every row), so the export asks this
        of a thread while it maps the nodes before; reading a triple costs about 5 µs, most of it decoding terms,
        so the inferred triples the export skips are not read at all."""
        values = " ".join(f"(<{s}> {at})" for at, s in enumerate(subjects) if not s.startswith("_:"))
        if not values:
            return b""
        text = f"SELECT ?at ?p ?o ?g WHERE {{ VALUES (?s ?at) {{ {values} }} {_export_where(inferred)} }}"
        return _tsv(self.native.query(text))

    def export_rows(
        self, subjects: Sequence[str], inferred: Iterable[URIRef], answer: bytes | None = None
    ) -> dict[str, list[tuple[str, str, str]]]:
        """For the property-graph export: the ``(predicate, object, graph)`` rows of each of ``subjects`` (node
        IDs, :meth:`node_id`) in the named graphs, by ID, as the texts of SPARQL TSV (:func:`from_tsv`, no
        Python object per term): those of the IRIs from ``answer`` (:meth:`export_answer`, asked now when None),
        then a query for each blank node (SPARQL has no blank nodes in VALUES)."""
        if answer is None:
            answer = self.export_answer(subjects, inferred)
        found: dict[str, list[tuple[str, str, str]]] = {}
        if answer:
            by_position: dict[str, list[tuple[str, str, str]]] = {}
            for at, p, o, g in tsv_rows(io.BytesIO(answer)):
                kept = by_position.get(at)
                if kept is None:
                    kept = by_position[at] = []
                kept.append((p, o, g))
            for position, s in enumerate(subjects):
                kept = by_position.get(str(position))
                if kept is not None:
                    found[s] = kept
        where = _export_where(inferred)
        for blank in (s for s in subjects if s.startswith("_:")):
            substitutions: dict[ox.Variable, Any] = {_SUBJECT: ox.BlankNode(blank[2:])}
            rows = self.native.query(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}", substitutions=substitutions)
            found[blank] = [(p, o, g) for _s, p, o, g in tsv_rows(io.BytesIO(_tsv(rows)))]
        return found

    def export_implied(
        self, pairs: Sequence[tuple[Any, Any]], forward: Iterable[Node], backward: Iterable[Node]
    ) -> set[int]:
        """For the property-graph export: the positions in ``pairs`` (IRIs ``s``, ``o`` in Oxigraph's terms) of
        those for which the flat graph has ``s q o`` with ``q`` in ``forward``, or ``o q s`` with ``q`` in
        ``backward``, and the inferred graph has not that triple: a stated triple. One query for them all."""
        parts = []
        for pattern, properties in (("?s ?q ?o", forward), ("?o ?q ?s", backward)):
            if properties:
                listed = ", ".join(str(to_ox(q)) for q in sorted(properties, key=str))
                stated = f"FILTER NOT EXISTS {{ GRAPH {INFERRED} {{ {pattern} }} }}"
                parts.append(f"{{ {pattern} FILTER (?q IN ({listed})) {stated} }}")
        if not pairs or not parts:
            return set()
        values = " ".join(f"({s} {o} {at})" for at, (s, o) in enumerate(pairs))
        text = f"SELECT DISTINCT ?at WHERE {{ VALUES (?s ?o ?at) {{ {values} }} {' UNION '.join(parts)} }}"
        return {int(row[0].value) for row in self.native.query(text, default_graph=FLAT)}  # type: ignore[union-attr]

    @staticmethod
    def node_id(term: Any) -> str | None:  # noqa: ANN401 - a pyoxigraph term
        """The property-graph ID of an IRI or a blank node (as :func:`kgraph.export.property_graph.node_id`);
        None for a literal."""
        kind = type(term)
        if kind is ox.NamedNode:
            return term.value  # type: ignore[no-any-return]
        if kind is ox.BlankNode:
            return f"_:{term.value}"
        return None

    @staticmethod
    def rdflib_term(term: str) -> Identifier:
        """The rdflib term of a term written in SPARQL TSV (:func:`from_tsv`)."""
        return from_tsv(term)

    def _contexts_of(self, quad: ox.Quad) -> Iterator[Graph]:
        for found in self.native.quads_for_pattern(quad.subject, quad.predicate, quad.object, None):
            if isinstance(found.graph_name, ox.NamedNode):
                yield Graph(store=self, identifier=URIRef(found.graph_name.value))

    def __len__(self, context: Graph | None = None) -> int:
        if self.closed:
            raise _closed_error(self.store_dir)
        name = _graph_name(context)
        return self.union_count if name is None else self.counts.get(str(name), 0)

    def contexts(self, triple: Any = None) -> Generator[Graph, None, None]:  # noqa: ANN401
        if self.closed:
            raise _closed_error(self.store_dir)
        if triple is None:
            names = sorted(self.counts)
        else:
            s, p, o = (_ox_pattern(term) for term in triple)
            quads = self.native.quads_for_pattern(s, p, o, None) if _may_match(s, p) else ()
            names = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
        for name in names:
            yield Graph(store=self, identifier=URIRef(name))

    def query(
        self,
        query: Query | str,
        initNs: Mapping[str, Any],
        initBindings: Mapping[str, Identifier],
        queryGraph: str,
        **kwargs: object,
    ) -> Result:
        if isinstance(query, Query) or kwargs:
            raise NotImplementedError("only a SPARQL string runs in Oxigraph; rdflib evaluates this one")
        name = None if queryGraph == "__UNION__" else _graph_name_of(queryGraph)
        try:
            return sparql(self.native, query, initBindings, initNs, None if name is None else ox.NamedNode(name))
        except (SyntaxError, RuntimeError) as error:
            raise NotImplementedError(f"Oxigraph does not accept this query ({error}); rdflib evaluates it") from error

    # --- writing: refused

    def add(self, triple: Any, context: Graph, quoted: bool = False) -> None:  # noqa: ANN401
        raise _read_only()

    def addN(self, quads: Iterable[Any]) -> None:
        raise _read_only()

    def remove(self, triple: Any, context: Graph | None = None) -> None:  # noqa: ANN401
        raise _read_only()

    def update(
        self,
        update: object,
        initNs: Mapping[str, Any],
        initBindings: Mapping[str, Identifier],
        queryGraph: str,
        **kwargs: object,
    ) -> None:
        raise _read_only()

    def add_graph(self, graph: Graph) -> None:
        """rdflib's ``Dataset.graph(name)`` calls this; a graph that is not in the store is simply empty."""

    def remove_graph(self, graph: Graph) -> None:
        raise _read_only()


class _ClosedDatabase:
    """Stands for the database of a store that was closed (:meth:`ReadOnlyOxigraphStore.close`): whatever is asked
    of it raises :class:`~kgraph.errors.StoreError`, where pyoxigraph has no closed state to ask about."""

    def __init__(self, store_dir: Path | None) -> None:
        self.store_dir = store_dir

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - any of pyoxigraph's Store methods
        raise _closed_error(self.store_dir)


def _closed_error(store_dir: Path | None) -> StoreError:
    """The error for a use of a store after its ``close()``: what to do instead."""
    if store_dir is None:
        return StoreError("the store was closed (close()); open it again with kgraph.persist.open_store(DIR)")
    return StoreError(
        f"the store {display_path(store_dir)} was closed (close()); open it again with "
        f"kgraph.persist.open_store({str(store_dir)!r})"
    )


def _read_only() -> StoreError:
    """The error for a change to a store opened for reading: what to do, in Python's terms and the command line's."""
    return StoreError.advising(
        "a store opened for reading cannot be changed",
        python="add files with kgraph.persist.build(DIR, extra_files=[FILE, ...])",
        cli="add files with kgraph load FILES --store DIR",
    )


def _graph_name(context: Graph | None) -> URIRef | None:
    """The named graph ``context`` stands for, or None for the union (no context, or the default graph)."""
    if context is None:
        return None
    identifier = context.identifier
    if identifier == DATASET_DEFAULT_GRAPH_ID or not isinstance(identifier, URIRef):
        return None
    return identifier


def _graph_name_of(identifier: object) -> str | None:
    if isinstance(identifier, Graph):
        identifier = identifier.identifier
    if identifier is None or identifier == DATASET_DEFAULT_GRAPH_ID or not isinstance(identifier, URIRef):
        return None
    return str(identifier)


# ----------------------------------------------------------------------------------------- native access


def sparql(
    native: ox.Store,
    text: str,
    bindings: Mapping[str, Identifier] | None = None,
    prefixes: Mapping[str, Any] | None = None,
    graph: ox.NamedNode | None = None,
) -> Result:
    """Run the SPARQL query ``text`` in Oxigraph on the flat graph (or on ``graph``) and return an rdflib Result.

    ``bindings`` are substituted for variables as rdflib's ``initBindings`` (never pasted into the text);
    kgraph's prefixes are declared. Raises SyntaxError for a query Oxigraph does not accept, and RuntimeError
    for a binding of a variable that a SELECT does not return (Oxigraph substitutes only those).
    """
    results, variables, rows = _answer(native, text, bindings, prefixes, graph)
    if isinstance(results, ox.QueryBoolean):
        answer = Result("ASK")
        answer.askAnswer = bool(results)
        return answer
    if isinstance(results, ox.QuerySolutions):
        answer = Result("SELECT")
        answer.vars = names = [Variable(name) for name in variables]
        rows, convert = _cells(rows)
        answer.bindings = [
            {name: convert(value) for name, value in zip(names, row, strict=False) if value is not None} for row in rows
        ]
        return answer
    answer = Result("CONSTRUCT")
    answer.graph = _graph(results)
    return answer


@dataclass(frozen=True)
class QueryDataset:
    """The graphs a query reads, as its FROM and FROM NAMED (or the protocol's ``default-graph-uri`` and
    ``named-graph-uri``) name them: its default graph is the one ``default`` names (none: an empty graph), its
    named graphs are those ``named`` names (none: no named graph), as SPARQL says. One default graph only:
    Oxigraph would repeat a triple that two of them hold, where SPARQL merges them."""

    default: str | None
    named: tuple[str, ...] = ()


def _answer(
    native: ox.Store,
    text: str,
    bindings: Mapping[str, Identifier] | None,
    prefixes: Mapping[str, Any] | None = None,
    graph: ox.NamedNode | None = None,
    *,
    dataset: QueryDataset | None = None,
    base: str | None = None,
) -> tuple[Any, list[str], Iterable[Any]]:
    """Oxigraph's answer to ``text``, a table's variables and its rows: in the order kgraph sorted them, else the
    answer itself (read as it is evaluated). The rows may hold more columns than there are variables: those kgraph
    added to sort by, at the end. Their cells are Oxigraph's terms, or :class:`kgraph.oxorder.SortedRows`' cells
    (:func:`_cells` says how to read either). ``dataset``, if given, replaces the flat graph (and the query's own
    FROM). ``base``: the IRI relative IRIs are resolved against, where the query declares no BASE."""
    declared = {prefix: str(namespace) for prefix, namespace in {**PREFIXES, **(prefixes or {})}.items()}
    substitutions = {ox.Variable(str(k)): to_ox(v) for k, v in (bindings or {}).items()}
    graphs: dict[str, Any] = {"default_graph": FLAT if graph is None else graph}
    if dataset is not None:
        graphs = {
            "default_graph": [] if dataset.default is None else [ox.NamedNode(dataset.default)],
            "named_graphs": [ox.NamedNode(iri) for iri in dataset.named],
        }

    def send(query: str) -> Any:  # noqa: ANN401 - pyoxigraph's answer
        return native.query(
            query,
            base_iri=base,
            prefixes=declared,
            substitutions=substitutions,  # type: ignore[arg-type]
            **graphs,
        )

    def run(query: str) -> Any:  # noqa: ANN401 - pyoxigraph's answer
        # Every ORDER BY left to Oxigraph sorts in a total order: its own sort can abort the process without one.
        return oxorder.with_total_order(send, query)

    # A value for a variable the SELECT does not return: Oxigraph takes it once the variable is returned too.
    widened = oxorder.returning(text, (str(k) for k in bindings or {})) if substitutions else None
    text, added = widened or (text, 0)
    results, rows, hidden = _sorted_by_kgraph(run, text)
    if results is None:
        results = run(text)
    names = [v.value for v in results.variables] if isinstance(results, ox.QuerySolutions) else []
    return results, names[: len(names) - hidden - added], results if rows is None else rows


def _graph(triples: Iterable[Any]) -> Graph:
    """A CONSTRUCT's or DESCRIBE's triples (Oxigraph's) as an rdflib graph with kgraph's prefixes."""
    graph = Graph()
    bind_prefixes(graph)
    graph += ((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in triples)
    return graph


def _cells(rows: Iterable[Any]) -> tuple[Iterable[Sequence[Any]], Callable[[Any], Identifier]]:
    """``rows`` as :func:`_answer` gives them, to read, and what makes an rdflib term of a cell that is not None:
    :func:`from_ox` of Oxigraph's terms; for rows kgraph sorted and held whole, their compact cells
    (:class:`kgraph.oxorder.SortedRows`), with :func:`_from_cell`."""
    if isinstance(rows, oxorder.SortedRows):
        return rows.cells, _from_cell
    return rows, from_ox


def _from_cell(cell: Any) -> Identifier:  # noqa: ANN401 - a cell of oxorder.SortedRows
    """A cell of :attr:`kgraph.oxorder.SortedRows.cells` as an rdflib term: an IRI or a blank node comes as its sort
    key, ``(IRI, text)`` or ``(BLANK, text)``, made into a term here, each time (:func:`from_ox`'s cache would hold a
    second copy of each, beside the rows); anything else is Oxigraph's term."""
    if type(cell) is tuple:
        return URIRef(cell[1]) if cell[0] == sortkey.IRI else BNode(cell[1])
    return from_ox(cell)


def _sorted_by_kgraph(run: Callable[[str], Any], text: str) -> tuple[Any, Iterable[Any] | None, int]:
    """``(answer, its rows in order, how many columns kgraph added to sort by)`` of ``text`` run without its
    closing ORDER BY (LIMIT, OFFSET) and sorted and sliced here (:mod:`kgraph.oxorder`); ``(answer, None, 0)``
    for an answer that is no table, or ``(None, None, 0)`` when the query is to run as written: it has no such
    ORDER BY, or it sorts by a variable it does not return or by a triple term, or the text without its ORDER
    BY is refused (the query as written then gives the error)."""
    found = oxorder.split(text)
    if found is None:
        return None, None, 0
    unordered, sort = found
    try:
        results = run(unordered)
    except (SyntaxError, RuntimeError):
        return None, None, 0
    if not isinstance(results, ox.QuerySolutions):
        # ASK, CONSTRUCT, DESCRIBE: the order of their solutions changes nothing, unless only some are kept (a
        # CONSTRUCT's answer is read as it is evaluated: left unread, it cost next to nothing).
        sliced = sort.limit is not None or sort.offset
        return (None, None, 0) if sliced else (results, None, 0)
    rows = oxorder.sorted_rows(results, [v.value for v in results.variables], sort)
    return (None, None, 0) if rows is None else (results, rows, len(sort.hidden))


def evaluate(
    loaded: LoadedGraph,
    text: str,
    bindings: Mapping[str, Identifier],
    variables: Sequence[str],
    template: Sequence[tuple[Node, Node, Node]] | None = None,
    *,
    dataset: QueryDataset | None = None,
    base: str | None = None,
) -> dict[str, Any] | None:
    """Run ``text`` in the Oxigraph store behind ``loaded``: a SELECT's ``rows`` (tuples of rdflib terms or None,
    in the order of ``variables``, made as they are read), an ASK's ``askAnswer`` or a graph's ``triples`` (rdflib
    terms, made as they are read: the answer is not held whole here); None
    when ``loaded`` is in memory or Oxigraph rejects the query (or fails on its first row). The rows are made
    straight from Oxigraph's, without the dict per row that rdflib's bindings take.

    A CONSTRUCT whose ``template`` is given (rdflib's parse of it) runs as a ``SELECT *`` of its pattern, and its
    triples are made here from the template and each solution (:func:`_filled`): Oxigraph's own CONSTRUCT keeps
    every triple it has sent, to send each once, which for a large answer took more memory than the answer's
    writing (411 MB against 111 MB for 481,417 triples at 1M). A CONSTRUCT with parameters, or whose ``SELECT *``
    Oxigraph refuses (a GROUP BY), runs as written.

    ``dataset`` (:class:`QueryDataset`) is the query's FROM and FROM NAMED, or the protocol's graphs that replace
    them; without it the query reads the flat graph and every named graph. ``base`` is the IRI its relative IRIs
    are resolved against where it declares no BASE (:attr:`kgraph.query.ParsedQuery.base`)."""
    native = native_of(loaded)
    if native is None:
        return None
    if template is not None and not bindings:
        triples = _constructed(native, text, template, dataset, base)
        if triples is not None:
            return {"type_": "CONSTRUCT", "triples": triples}
    try:
        results, names, rows = _answer(native, text, bindings, dataset=dataset, base=base)
        if isinstance(results, ox.QuerySolutions):
            columns = [names.index(name) if name in names else None for name in variables]
            rows, convert = _cells(rows)
            rows = iter(rows)
            first = list(itertools.islice(rows, 1))  # evaluated here, where an error still falls back to rdflib
            return {"type_": "SELECT", "rows": _table(itertools.chain(first, rows), columns, convert)}
    except (SyntaxError, RuntimeError):  # RuntimeError: a parameter for a variable the query does not return
        return None
    if isinstance(results, ox.QueryBoolean):
        return {"type_": "ASK", "askAnswer": bool(results)}
    return {"type_": "CONSTRUCT", "triples": _triples(results)}


def _table(
    rows: Iterable[Any], columns: Sequence[int | None], convert: Callable[[Any], Identifier] = from_ox
) -> Iterator[tuple[Identifier | None, ...]]:
    """Oxigraph's ``rows`` as tuples of rdflib terms, the ``columns`` of each (None: a variable it lacks), each cell
    made a term by ``convert`` (see :func:`_cells`)."""
    with _reading_failures():
        for row in rows:
            yield tuple(None if at is None or row[at] is None else convert(row[at]) for at in columns)


@contextmanager
def _reading_failures() -> Iterator[None]:
    """Oxigraph's failure while an answer is read (rows come as it evaluates them) as a :class:`QueryError`."""
    try:
        yield
    except (SyntaxError, RuntimeError, OSError) as error:
        raise QueryError(f"the store failed while reading the answer: {error}") from error


def _constructed(
    native: ox.Store,
    text: str,
    template: Sequence[tuple[Node, Node, Node]],
    dataset: QueryDataset | None = None,
    base: str | None = None,
) -> Iterator[tuple[Identifier, Identifier, Identifier]] | None:
    """The triples of the CONSTRUCT ``text`` from the solutions of its ``SELECT *``, or None when it cannot run so."""
    select = lexer.construct_as_select(text)
    if select is None:
        return None
    try:
        results, names, rows = _answer(native, select, None, dataset=dataset, base=base)
    except (SyntaxError, RuntimeError):
        return None
    if not isinstance(results, ox.QuerySolutions):
        return None
    rows, convert = _cells(rows)
    return _filled(template, names, rows, convert)


def _filled(
    template: Sequence[tuple[Node, Node, Node]],
    names: Sequence[str],
    rows: Iterable[Any],
    convert: Callable[[Any], Identifier] = from_ox,
) -> Iterator[tuple[Identifier, Identifier, Identifier]]:
    """The template's triples for each solution, as SPARQL makes a CONSTRUCT's: a variable takes the solution's
    value (a triple with one unbound is left out), a blank node is a new one for each solution, and a triple whose
    subject is a literal or whose predicate is no IRI is left out. Constants come out as Oxigraph would send
    them. Duplicates are not dropped here: the graph or the sorted lines that take the triples drop them."""
    compiled = _compiled(template, {name: index for index, name in enumerate(names)})
    with _reading_failures():
        for row in rows:
            blanks: dict[Any, BNode] = {}
            for parts in compiled:
                triple = _instance(parts, row, blanks, convert)
                if triple is not None:
                    yield triple


def _compiled(template: Sequence[tuple[Node, Node, Node]], at: Mapping[str, int]) -> list[list[tuple[int, Any]]]:
    """Each triple of ``template`` as ``(kind, value)`` of its terms: the column of a variable, a blank node, a
    constant; without the triples of a variable the solutions never bind."""
    compiled = []
    for triple in template:
        parts: list[tuple[int, Any]] = []
        for term in triple:
            if isinstance(term, Variable):
                if str(term) not in at:
                    break
                parts.append((_VALUE, at[str(term)]))
            elif isinstance(term, BNode):
                parts.append((_BLANK, term))
            else:
                parts.append((_CONSTANT, from_ox(to_ox(term))))
        else:
            compiled.append(parts)
    return compiled


def _instance(
    parts: Sequence[tuple[int, Any]],
    row: Sequence[Any],
    blanks: dict[Any, BNode],
    convert: Callable[[Any], Identifier] = from_ox,
) -> tuple[Identifier, Identifier, Identifier] | None:
    """One template triple for the solution ``row``, or None if it has no valid triple there."""
    made: list[Identifier] = []
    for kind, value in parts:
        if kind == _VALUE:
            found = row[value]
            if found is None:
                return None
            made.append(convert(found))
        elif kind == _BLANK:
            if value not in blanks:
                blanks[value] = BNode()
            made.append(blanks[value])
        else:
            made.append(value)
    s, p, o = made
    return None if isinstance(s, Literal) or not isinstance(p, URIRef) else (s, p, o)


_VALUE, _BLANK, _CONSTANT = range(3)


def _triples(results: Iterable[Any]) -> Iterator[tuple[Identifier, Identifier, Identifier]]:
    """Oxigraph's triples of a CONSTRUCT or DESCRIBE as rdflib terms, as they are read."""
    convert = from_ox
    with _reading_failures():
        for triple in results:
            yield convert(triple.subject), convert(triple.predicate), convert(triple.object)


# ------------------------------------------------------------------------------------ an update on a copy


_PROBE = ox.NamedNode("urn:kgraph:probe")


def stored_as_written(term: URIRef | Literal) -> bool:
    """Whether Oxigraph stores ``term`` as rdflib writes it, once kgraph reads it back: not a term Oxigraph refuses
    (a relative IRI), nor a literal it stores in another form (``"PT90M"^^xsd:duration`` as ``"PT1H30M"``,
    ``1.50`` as ``1.5``), where rdflib keeps each as written."""
    probe = URIRef(_PROBE.value)
    try:
        quad = ox.Quad(_PROBE, _PROBE, to_ox(term))  # type: ignore[arg-type] # an IRI or a literal's
    except (ValueError, TypeError):
        return False
    store = ox.Store()
    store.add(quad)
    stored = from_ox(next(iter(store)).object)
    return nt_line((probe, probe, stored)) == nt_line((probe, probe, term))


@dataclass
class UpdatedCopy:
    """The flat graph after an update (:func:`updated_copy`): its triples as N-Triples lines, sorted, each once, and
    the triples the update added and removed."""

    lines: SortedLines
    added: int
    removed: int


def updated_copy(native: ox.Store, text: str, started: Callable[[], None], done: Callable[[], None]) -> UpdatedCopy:
    """Apply the SPARQL update ``text`` (kgraph's prefixes declared) to a copy of ``native``'s flat graph in an
    in-memory Oxigraph store; the store is never changed. ``started`` is called before Oxigraph copies and updates
    (Rust code no Python exception interrupts), ``done`` after.

    The copy's triples are read once, each looked up in the store to count those added; those removed are as many
    as the copy has fewer than the store once those are left out. Raises SyntaxError or OSError for an update
    Oxigraph refuses or fails in (it applies all of an update or none)."""
    copy = ox.Store()
    started()
    copy.bulk_extend(native.quads_for_pattern(None, None, None, FLAT))
    before = len(copy)
    declared = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    # A sub-query's ORDER BY, in an order Oxigraph's sort cannot abort on.
    oxorder.with_total_order(lambda update: copy.update(update, prefixes=declared), text)
    done()
    counted = {"added": 0, "after": 0}

    def triples() -> Iterator[tuple[Identifier, Identifier, Identifier]]:
        convert = from_ox
        for quad in copy:
            counted["after"] += 1
            if quad not in native:
                counted["added"] += 1
            yield convert(quad.subject), convert(quad.predicate), convert(quad.object)

    lines = SortedLines.of(triples())
    added = counted["added"]
    return UpdatedCopy(lines, added, before - (counted["after"] - added))


def native_of(loaded: LoadedGraph) -> ox.Store | None:
    """The Oxigraph database behind ``loaded``, or None for an in-memory graph."""
    store = loaded.graph.store
    return store.native if isinstance(store, ReadOnlyOxigraphStore) else None


def write_ntriples(native: ox.Store, out: IO[bytes]) -> None:
    """Stream the flat graph (asserted + inferred, each triple once) as N-Triples, in Oxigraph's order."""
    native.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=FLAT)


def write_nquads(native: ox.Store, out: IO[bytes]) -> None:
    """Stream every named graph (ontology, sections, files, inferred) as N-Quads, graph by graph."""
    names = sorted(g.value for g in native.named_graphs() if isinstance(g, ox.NamedNode))
    quads = itertools.chain.from_iterable(
        native.quads_for_pattern(None, None, None, ox.NamedNode(name)) for name in names
    )
    ox.serialize(quads, out, format=ox.RdfFormat.N_QUADS)


__all__ = [
    "FLAT",
    "INFERRED",
    "ReadOnlyOxigraphStore",
    "UpdatedCopy",
    "evaluate",
    "from_ox",
    "native_of",
    "sparql",
    "stored_as_written",
    "to_ox",
    "updated_copy",
    "write_nquads",
    "write_ntriples",
]
