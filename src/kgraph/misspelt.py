"""Properties and classes of the data written like a term the ontology knows, but not it: ``skos:altlabel`` for
``skos:altLabel``, ``rdfs:Label``, ``a skos:concept``, ``prov:wasDerivedFron``. They are valid RDF, so nothing else
says a word, while every query, shape and view that reads the right term misses what they say.

Only the distinct predicates and classes (the objects of ``rdf:type``) of the graph are compared, never its
triples (:func:`used_terms`). A term written is taken for another, the one meant, when

- neither the ontology nor the shapes use it (anywhere in a triple), nor does the data declare it (a class or a
  property), and it is no term of the vocabulary of its namespace as rdflib lists it (``prov:entity`` beside
  ``prov:Entity``, ``schema:brand`` beside ``schema:Brand`` are terms of their own);
- it is not in the ontology's own namespace, when the shapes check that one themselves (``kgsh:DeclaredTermShape``,
  for which the ontology is the whole vocabulary);
- and the one meant differs from it in case only (or in ``http://`` for ``https://``, as in
  ``http://schema.org/name``, or the other way round), and is a term the ontology or the shapes use, or one of the
  vocabulary (as rdflib lists it) of a namespace they use (``schema:Name`` for ``schema:name``); or, in the
  namespace of such a vocabulary that rdflib lists whole (PROV, Dublin Core terms, SKOS, RDF, RDFS, OWL; not
  schema.org, which grows faster than rdflib's copy of it), its name is a letter or two off (difflib's ratio at
  least :data:`CUTOFF`).

The one meant for a property is a term the ontology or the shapes use as one, or whose name starts with a small
letter; for a class, one they use as a class, or whose name starts with a capital: ``a schema:downpayment`` means
the class ``schema:Downpayment``, not the property ``schema:downPayment``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib.namespace
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, DefinedNamespace, DefinedNamespaceMeta
from rdflib.term import Node

from kgraph._compat import memory_index
from kgraph.names import close_matches
from kgraph.oxstore import FLAT, native_of
from kgraph.store import LoadedGraph
from kgraph.vocab import KGSH, SH

#: How alike (difflib's ratio, names compared in small letters) a name must be to a term of a vocabulary rdflib
#: lists whole to be taken for it: one letter off in a name of five (``lable``: 0.8), two in one of ten or more.
CUTOFF = 0.8

#: The IRIs the shapes' own check of the ontology's namespace (``kgsh:DeclaredTermShape``) looks at: left to it.
_CHECKED_BY_THE_SHAPES = ("https://w3id.org/kgraph/ontology", "http://w3id.org/kgraph/ontology")
_DECLARED_TERM_SHAPE = KGSH.DeclaredTermShape

#: The classes that declare a property, and those that declare a class: a term the data declares so is its own,
#: however it is written.
_PROPERTY_KINDS = (RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.OntologyProperty)
_CLASS_KINDS = (RDFS.Class, OWL.Class, RDFS.Datatype)
_DECLARING = frozenset({*_PROPERTY_KINDS, *_CLASS_KINDS})

#: What the ontology and the shapes say of a term that makes it a property, or a class, of theirs.
_PROPERTY_OBJECTS = (RDFS.subPropertyOf, OWL.inverseOf, OWL.equivalentProperty, OWL.onProperty, SH.path)
_PROPERTY_SUBJECTS = (RDFS.domain, RDFS.range, RDFS.subPropertyOf, OWL.inverseOf, OWL.equivalentProperty)
_CLASS_OBJECTS = (RDF.type, RDFS.subClassOf, OWL.equivalentClass, RDFS.domain, SH["class"], SH.targetClass)
_CLASS_SUBJECTS = (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith)


@dataclass(frozen=True, order=True)
class Misspelt:
    """A term of the data taken for another: ``written`` as the data has it, ``meant`` the one it stands for."""

    written: URIRef
    meant: URIRef
    is_class: bool  # written as the object of rdf:type (else as a predicate)


def misspelt_terms(loaded: LoadedGraph, shapes: Graph) -> list[Misspelt]:
    """The predicates and classes of ``loaded`` taken for others (see the module), sorted. ``shapes``: the shapes
    validation uses, whose paths and classes are terms known too."""
    predicates, classes = used_terms(loaded)
    known = _Known(loaded.ontology, shapes)
    leave = _CHECKED_BY_THE_SHAPES if (_DECLARED_TERM_SHAPE, None, None) in shapes else ()
    found = [
        Misspelt(term, meant, is_class)
        for terms, is_class in ((predicates, False), (classes, True))
        for term in terms
        if isinstance(term, URIRef) and term not in known.terms and not str(term).startswith(leave)
        for meant in [known.meant(term, is_class)]
        if meant is not None
    ]
    graph = loaded.graph
    return sorted(m for m in found if not any((m.written, RDF.type, kind) in graph for kind in _DECLARING))


def used_terms(loaded: LoadedGraph) -> tuple[set[Node], set[Node]]:
    """The distinct predicates of ``loaded`` and the distinct objects of its ``rdf:type`` triples (every graph:
    the ontology, the data, the inferences). On a store, two queries in Oxigraph, grouped by the term (at 100k
    triples of data, 0.09 s for the predicates, where ``SELECT DISTINCT`` took 0.13 s); in memory, the keys of
    rdflib's index of predicates (:func:`kgraph._compat.memory_index`), or else a pass over the triples."""
    native = native_of(loaded)
    if native is not None:
        asked: list[set[Node]] = []
        for text in (
            "SELECT ?t WHERE { ?s ?t ?o } GROUP BY ?t",
            f"SELECT ?t WHERE {{ ?s <{RDF.type}> ?t }} GROUP BY ?t",
        ):
            rows = native.query(text, default_graph=FLAT)
            asked.append({URIRef(t.value) for (t,) in rows if isinstance(t, ox.NamedNode)})  # type: ignore[union-attr]
        return asked[0], asked[1]
    indexed = memory_index(loaded.graph)
    if indexed is not None:
        return indexed
    graph = loaded.graph
    return set(graph.predicates(unique=True)), set(graph.objects(None, RDF.type, unique=True))


class _Known:
    """The terms the ontology and the shapes use (``terms``: one pass over their triples); for a term written that
    is none of them (:meth:`meant`), then only, the vocabularies of their namespaces, which terms they use as
    properties and which as classes."""

    def __init__(self, ontology: Graph, shapes: Graph) -> None:
        self.graphs = (ontology, shapes)
        self.terms: set[Node] = {term for graph in self.graphs for triple in graph for term in triple}

    @functools.cached_property
    def vocabularies(self) -> dict[str, DefinedNamespaceMeta]:
        """The vocabularies rdflib lists whose namespace is one of a term of ``terms``, by namespace."""
        namespaces = {_namespace(term) for term in self.terms if isinstance(term, URIRef)}
        return {str(v._NS): v for v in _vocabularies() if str(v._NS) in namespaces}

    @functools.cached_property
    def by_case(self) -> dict[str, list[URIRef]]:
        """The terms of ``terms`` and of ``vocabularies``, by their IRI in small letters."""
        known = {term for term in self.terms if isinstance(term, URIRef)}
        known.update(URIRef(term) for v in self.vocabularies.values() for term in _listed(v))
        found: dict[str, list[URIRef]] = {}
        for term in sorted(known, key=str):
            found.setdefault(term.casefold(), []).append(term)
        return found

    @functools.cached_property
    def properties(self) -> set[Node]:
        """The terms the ontology has as predicates, or declares or relates as properties, or a shape's path."""
        found: set[Node] = set(self.graphs[0].predicates(unique=True))
        for graph in self.graphs:
            found.update(_iris(graph.objects(None, p) for p in _PROPERTY_OBJECTS))
            found.update(_iris(graph.subjects(p, None) for p in _PROPERTY_SUBJECTS))
            found.update(_iris(graph.subjects(RDF.type, kind) for kind in _PROPERTY_KINDS))
        return found

    @functools.cached_property
    def classes(self) -> set[Node]:
        """The terms the ontology and the shapes have as classes: an ``rdf:type``, a superclass, a domain ..."""
        found: set[Node] = set()
        for graph in self.graphs:
            found.update(_iris(graph.objects(None, p) for p in _CLASS_OBJECTS))
            found.update(_iris(graph.subjects(p, None) for p in _CLASS_SUBJECTS))
            found.update(_iris(graph.subjects(RDF.type, kind) for kind in _CLASS_KINDS))
        return found

    def meant(self, term: URIRef, is_class: bool) -> URIRef | None:
        """The term ``term`` stands for, or None: one of its case, else one a letter or two off in a vocabulary
        listed whole. None for a term of the vocabulary of its namespace."""
        namespace = _namespace(term)
        vocabulary = self.vocabularies.get(namespace)
        if term == namespace or (vocabulary is not None and term in vocabulary):
            return None
        for written in (term, *_other_scheme(term)):
            same = [known for known in self.by_case.get(written.casefold(), ()) if self._fits(known, is_class)]
            if same:  # one the ontology uses first
                return min(same, key=lambda known: (known not in self.terms, str(known)))
        if vocabulary is None or not vocabulary._fail:  # only a list known whole tells a term that is none
            return None
        options = {URIRef(known) for known in _listed(vocabulary)}
        options.update(known for known in self.terms if isinstance(known, URIRef) and _namespace(known) == namespace)
        by_name: dict[str, URIRef] = {}
        for known in sorted(options, key=lambda known: (known not in self.terms, str(known))):
            if self._fits(known, is_class):
                by_name.setdefault(known[len(namespace) :].casefold(), known)
        close = close_matches(term[len(namespace) :].casefold(), by_name, n=1, cutoff=CUTOFF)
        return by_name[close[0]] if close else None

    def _fits(self, known: URIRef, is_class: bool) -> bool:
        """Whether ``known`` may be meant for a class (``is_class``) or a property."""
        first = known[len(_namespace(known)) : len(_namespace(known)) + 1]
        if is_class:
            return known in self.classes or not first.islower()
        return known in self.properties or not first.isupper()


def _other_scheme(term: URIRef) -> tuple[str, ...]:
    """``term`` with ``http://`` for ``https://`` or the other way round, if it has either: ``http://schema.org/``
    is how many write schema.org's namespace, the ontology's is ``https://schema.org/``."""
    for written, other in (("http://", "https://"), ("https://", "http://")):
        if term.startswith(written):
            return (other + term[len(written) :],)
    return ()


def _iris(found: Iterable[Iterable[Node]]) -> Iterator[URIRef]:
    return (term for terms in found for term in terms if isinstance(term, URIRef))


def _namespace(term: URIRef) -> str:
    """``term`` up to its last ``#`` or ``/``."""
    text = str(term)
    return text[: max(text.rfind("#"), text.rfind("/")) + 1]


@functools.cache
def _listed(vocabulary: DefinedNamespaceMeta) -> tuple[str, ...]:
    """The terms rdflib lists of ``vocabulary``, as IRIs."""
    return tuple(sorted(str(term) for term in dir(vocabulary)))


@functools.cache
def _vocabularies() -> tuple[DefinedNamespaceMeta, ...]:
    """The vocabularies rdflib lists the terms of (its ``DefinedNamespace``s: schema.org, PROV, SKOS ...)."""
    found = vars(rdflib.namespace).values()
    return tuple(
        v for v in found if isinstance(v, DefinedNamespaceMeta) and v is not DefinedNamespace and hasattr(v, "_NS")
    )
