"""SHACL validation of the loaded graph, with a report written for the person who has to fix the data.

The shapes are ``ontology/shapes.ttl`` plus the domain and range shapes derived from the ontology
(:mod:`kgraph.shapes`). pySHACL runs with ``advanced=True`` (SHACL-SPARQL constraints and targets) and
``inference="none"``, because :func:`kgraph.store.load` has already inferred. Only results of severity
``sh:Violation`` make the graph non-conforming; ``sh:Warning`` and ``sh:Info`` are reported but pass.

pySHACL reads the data through rdflib, except for SPARQL: the SPARQL targets and SHACL-SPARQL constraints it
runs once per focus node are answered by an in-memory Oxigraph copy of the same triples
(:class:`ValidationGraph`), which parses a query in microseconds where rdflib takes about 10 ms.

On a store, what SHACL checks is copied into a temporary Oxigraph store (on disk, in the temporary folder), and
pySHACL reads it there through rdflib's API, on the focus nodes :mod:`kgraph.shacl_scope` cannot clear: the
same report as pySHACL on every node, with pySHACL's time growing with the problems found rather than with the
graph (the scope itself holds the values the shapes look at, in Python). Shapes the scope cannot read are
applied to every node, as in memory.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import gc
import hashlib
import json
import logging
import os
import re
import tempfile
import urllib.parse
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.query import Result
from rdflib.term import Identifier, Node

from kgraph import cache, shacl_scope
from kgraph._compat import plain_decimals_in_turtle, release_free_memory, undeclared_prefix, xsd_strict_booleans
from kgraph.errors import DataSyntaxError, InputError, StoreError, store_failure
from kgraph.names import NameClash, candidate, close_matches, local_name, normalise, primary_language, qname, same_names
from kgraph.oxstore import INFERRED, ReadOnlyOxigraphStore, from_ox, native_of, sparql, to_ox, tsv_literal, tsv_select
from kgraph.query.graphtext import BARE_FORMS
from kgraph.query.lexer import tokens
from kgraph.shapes import MalformedList, is_derived_range, list_nodes, relation_shapes, render_path, widen_targets
from kgraph.sortkey import term_key
from kgraph.store import (
    LoadedGraph,
    canonical_bnodes,
    declares_any,
    display_path,
    line_of_iri,
    parse_file,
    path_argument,
    read_file,
)
from kgraph.text import line_at, printable
from kgraph.vocab import INFERRED_GRAPH, KG, KGSH, SH, bind_prefixes, file_graph


@dataclass(frozen=True, order=True)
class ValidationResult:
    """One broken rule: which entity, which rule, how bad, and what to do."""

    severity: str  # "Violation", "Warning" or "Info"
    focus: str  # the focus node as a prefixed name or <IRI>
    focus_label: str  # its English label, or "" when it has none
    path: str  # the property path, or "" for a rule on the node itself
    constraint: str  # the constraint broken, such as "sh:minCount 1"
    message: str  # the shape's sh:message, or pySHACL's description
    value: str  # the offending value, or ""
    fix: str  # what to change
    shape: str  # the shape that holds the constraint (its prefixed name), or "" for an unnamed (blank-node) shape
    #: Where the offending statement is written: ``FILE:LINE`` (or ``FILE``) entries, comma-separated; ``inferred``
    #: for a fact no file states; on a store, ``FILE (changed since it was loaded into DIR)`` (or ``gone``) for a
    #: file that is no longer as loaded; "" when not known (a blank node).
    where: str = ""


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`: ``conforms`` and the results, sorted deterministically."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    graph: Graph  # the sh:ValidationReport as RDF
    shapes_file: Path | None  # the hand-written shapes used; None when there were none (only derived shapes)
    #: What the user should know of the shapes used: a shapes file that holds no shape (one line each).
    warnings: tuple[str, ...] = ()

    def count(self, severity: str) -> int:
        """How many results have ``severity`` ("Violation", "Warning" or "Info")."""
        return sum(1 for result in self.results if result.severity == severity)

    def turtle(self) -> str:
        """The report as Turtle, the same text in every run of the same check: its blank nodes (the report, each
        result, a constraint or a path) labelled from what they hold, since rdflib draws their names at random and
        its writer orders them by name."""
        quads = [(s, p, o, DATASET_DEFAULT_GRAPH_ID) for s, p, o in self.graph]
        graph = Graph(bind_namespaces="none")
        for prefix, namespace in self.graph.namespaces():
            graph.bind(prefix, namespace)
        graph.addN((s, p, o, graph) for s, p, o, _g in canonical_bnodes(quads))
        return graph.serialize(format="turtle")


def validate(
    loaded: LoadedGraph,
    shapes: Graph | Path | str | os.PathLike[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ValidationReport:
    """Validate ``loaded`` against SHACL shapes.

    ``shapes`` is a shapes file (a path), or None for ``shapes.ttl`` of the ontology folder (none there: only the
    derived shapes); the domain and range shapes derived from the ontology (:func:`kgraph.shapes.relation_shapes`)
    are added to either. A shapes file given that is not a file raises :class:`~kgraph.errors.InputError`. A
    ``Graph`` is used exactly as given. The data checked is :func:`validation_graph` (on a store, the same triples
    in a temporary store, where pySHACL checks only the focus nodes :mod:`kgraph.shacl_scope` cannot clear). Bad
    shapes raise :class:`~kgraph.errors.InputError`. Outcomes for shapes files are cached (:mod:`kgraph.cache`). On
    a store, ``progress`` is told each step (a line of text), and why, when pySHACL must check every focus node.
    Anything but a :class:`LoadedGraph` as ``loaded`` raises :class:`~kgraph.errors.InputError`.
    """
    if not isinstance(loaded, LoadedGraph):
        raise InputError(
            f"validate() checks a LoadedGraph, not a {type(loaded).__name__}; pass what kgraph.load() or "
            "kgraph.persist.open_store(DIR) returns"
        )
    if shapes is None and loaded.store_dir is not None:
        _refuse_a_damaged_copy(loaded, loaded.store_dir)
    if shapes is not None and not isinstance(shapes, Graph):
        shapes = _given_shapes_file(path_argument(shapes, "shapes", "a shapes file", dot=False))
    shapes_file = loaded.shapes_file if shapes is None else shapes if isinstance(shapes, Path) else None
    entry = None if isinstance(shapes, Graph) else _cache_key(loaded, shapes_file)
    cached = _from_cache(entry)
    written = True  # whether the shapes file, if any, holds a shape
    if cached is not None:
        conforms, report_graph, results, written = cached
    else:
        if isinstance(shapes, Graph):
            graph = shapes
        else:
            graph, written = _shapes_graph(loaded, shapes_file)
        _refuse_fetching_sparql(graph)
        store = native_of(loaded)
        scoped = _validate_scoped(store, graph, progress or _quiet) if store is not None else None
        if scoped is not None:
            conforms, report_graph, results = scoped
        else:
            data = validation_graph(loaded)
            conforms, report_graph = _run_pyshacl(data, graph)
            results = _findings(report_graph, graph, data)
        results = [*results, *_own_checks(loaded, report_graph, graph)]
        _to_cache(entry, conforms, report_graph, results, written)
    if results:  # after the cache: the paths are shown as from the current folder, the files checked afresh
        results = _located(results, report_graph, loaded)
    conforms = _verdict(report_graph, results)
    _bind_shacl_prefixes(report_graph)
    used = shapes_file if shapes_file is not None and shapes_file.is_file() else None
    named = functools.cache(_names)  # one graph of prefixes for the fixes that name terms, made if one does
    return ValidationReport(
        conforms=conforms,
        results=tuple(
            sorted(
                _name_the_near_properties(
                    _name_the_near_namespaces(
                        _name_the_undescribed(_name_the_declared_terms(results, loaded.ontology), loaded, named),
                        loaded,
                        named,
                    ),
                    loaded,
                    named,
                ),
                key=_sort_key,
            )
        ),
        graph=report_graph,
        shapes_file=used,
        warnings=() if written or used is None else (no_shapes_warning(used),),
    )


def _own_checks(loaded: LoadedGraph, report: Graph, shapes: Graph) -> list[ValidationResult]:
    """The results of the shapes without a target that kgraph checks itself, those ``shapes`` hold: entities of one
    name (:func:`_same_names`), properties and classes misspelt (:func:`_misspelt_terms`); each added to ``report``
    too."""
    results: list[ValidationResult] = []
    for shape in (SAME_LABEL_SHAPE, OLD_SAME_LABEL_SHAPE):
        if (shape, RDF.type, SH.NodeShape) in shapes:
            results.extend(_same_names(loaded, report, shape))
            break
    if (MISSPELT_TERM_SHAPE, RDF.type, SH.NodeShape) in shapes:
        results.extend(_misspelt_terms(loaded, report, shapes))
    return results


#: The components whose result is written on the line of each value: too many values (each one to remove), and a
#: misspelt property (each statement of it, all to correct).
_EVERY_LINE = frozenset(
    {SH.MaxCountConstraintComponent, SH.QualifiedMaxCountConstraintComponent, KGSH.MisspeltTermComponent}
)


def _located(results: list[ValidationResult], report: Graph, loaded: LoadedGraph) -> list[ValidationResult]:
    """``results`` with where each problem is written (:class:`kgraph.where.Locator`), which ``report`` gets too,
    as ``kgsh:where`` values of each result. Only the problems found are looked up."""
    from kgraph.where import Locator, joined  # noqa: PLC0415 - only a graph with problems needs it

    problems = [
        (node, report.value(node, SH.focusNode), report.value(node, SH.resultPath), report.value(node, SH.value))
        for node in report.subjects(SH.resultSeverity, None)
        if (node, SH.detail, None) not in report
    ]
    # A domain's result has no path: the property whose use broke it (:func:`_domain_use`) is where it is written.
    used = {
        node: (report.value(node, KGSH.property), report.value(node, KGSH.inverseProperty))
        for node, _focus, path, _value in problems
        if path is None
    }
    # A same-name warning's other entity, its property and its name: where it is written is where: too.
    others = {
        node: (other, report.value(node, KGSH.otherPath), report.value(node, KGSH.otherValue))
        for node, *_rest in problems
        if (other := report.value(node, KGSH.other)) is not None
    }
    # The walk of a file keeps the statements of these nodes alone: of a whole file, they took hundreds of MB.
    # (and the other entities: one more node to keep was one more walk of every file)
    nodes = {term for _node, focus, _path, value in problems for term in (focus, value) if term is not None}
    nodes.update(other for other, _path, _name in others.values())
    locator = Locator(loaded, nodes)
    names = _names()
    found: dict[tuple[str, str, str, str], tuple[str, ...]] = {}
    keys: dict[Node, tuple[str, str, str, str]] = {}
    for node, focus, path, value in problems:
        shape = report.value(node, SH.sourceShape)
        keys[node] = (
            _term(focus, names),
            render_path(path, report, names) if path is not None else "",
            _term(value, names) if value is not None else "",
            # the shape too: the domain shapes of two properties fail on one node alike, each where its property is
            _term(shape, names) if isinstance(shape, URIRef) else "",
        )

    # In the order of what each result says (the report's is its blank nodes' ids, another each run): the lines of
    # two entities named alike by one entity that shares a name with both come in the same order every time, and so
    # do those of two unnamed shapes' results alike but for the property whose use broke them (the lines of both).
    def order(problem: tuple[Node, Node | None, Node | None, Node | None]) -> tuple[object, ...]:
        forward, inverse = used.get(problem[0], (None, None))
        return keys[problem[0]], str(forward or ""), str(inverse or ""), [str(t) for t in others.get(problem[0], ())]

    looked_up: set[tuple[tuple[str, str, str, str], Node | None, Node | None]] = set()
    for node, focus, path, value in sorted(problems, key=order):
        key = keys[node]
        forward, inverse = used.get(node, (None, None))
        if (key, forward, inverse) not in looked_up:
            looked_up.add((key, forward, inverse))
            if isinstance(forward, URIRef) and isinstance(focus, URIRef):
                lines = locator.of_triple((focus, forward, None), first_place=True) or locator.of_node(focus)
            elif isinstance(inverse, URIRef) and isinstance(focus, URIRef):
                subject = min(loaded.dataset.subjects(inverse, focus), key=str, default=None)
                stated = locator.of_triple((subject, inverse, focus)) if isinstance(subject, URIRef) else ()
                lines = stated or locator.of_node(focus)
            else:
                every = report.value(node, SH.sourceConstraintComponent) in _EVERY_LINE
                lines = locator.where(focus, path, value, report, every=every)
            found[key] = tuple(dict.fromkeys([*found.get(key, ()), *lines]))
        if node in others:  # two entities of one name: the lines of the other's too
            also = locator.where(*others[node], report)
            found[key] = tuple(dict.fromkeys([*found[key], *also]))
    for node, key in keys.items():  # once every result of a key is in: their kgsh:where are the text's
        for where in found[key]:
            report.add((node, KGSH.where, Literal(where)))
    return [
        dataclasses.replace(
            result, where=joined(found.get((result.focus, result.path, result.value, result.shape), ()))
        )
        for result in results
    ]


def no_shapes_warning(shapes_file: Path) -> str:
    """The warning for a shapes file that holds no shape (empty, or the wrong file saved): the hand-written checks
    are off without a word otherwise, and the graph passes what they would fail."""
    return (
        f"{display_path(shapes_file)} holds no SHACL shape (no sh:NodeShape, sh:PropertyShape or target): only the "
        "domain and range shapes derived from the ontology were checked; check that it is the file you meant to save"
    )


def _given_shapes_file(path: Path) -> Path:
    """``path``, a shapes file given to :func:`validate`; InputError when it is not a file. (Skipped, it left only
    the derived shapes, and a graph passed that the file would fail.)"""
    if not path.is_file():
        what = "is not a file" if path.exists() else "does not exist"
        raise InputError(f"the shapes file {display_path(path)} {what}; pass a SHACL shapes file (Turtle)")
    return path


def shapes_graph(loaded: LoadedGraph, shapes_file: Path | None = None) -> Graph:
    """The complete shapes graph: ``shapes_file`` (default ``shapes.ttl``; skipped when it does not exist), its
    property targets widened to sub-properties and inverses (:func:`kgraph.shapes.widen_targets`), plus the
    domain and range shapes derived from the ontology."""
    return _shapes_graph(loaded, shapes_file)[0]


#: What makes a node of a shapes file a shape: its class, or a target or path it declares.
_SHAPE_CLASSES = (SH.NodeShape, SH.PropertyShape)
_SHAPE_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.path)


def _shapes_graph(loaded: LoadedGraph, shapes_file: Path | None = None) -> tuple[Graph, bool]:
    """:func:`shapes_graph`, and whether the shapes file holds a shape (True when there is no file)."""
    shapes = relation_shapes(loaded.ontology)
    path = shapes_file if shapes_file is not None else loaded.shapes_file
    holds_shapes = True
    if path.is_file():
        written = Graph()
        for s, p, o, _g in parse_file(path, []).quads((None, None, None, None)):
            written.add((s, p, o))
        holds_shapes = declares_any(written, _SHAPE_CLASSES, _SHAPE_PREDICATES)
        widen_targets(written, loaded.ontology)
        shapes += written
    _bind_shacl_prefixes(shapes)
    return shapes, holds_shapes


def _bind_shacl_prefixes(graph: Graph) -> None:
    bind_prefixes(graph)
    graph.bind("sh", SH)
    graph.bind("kgsh", KGSH)


class ValidationGraph(Graph):
    """The graph SHACL checks, twice: in rdflib's memory store for pySHACL's look-ups, and in an in-memory
    Oxigraph store (``native``) that answers the SPARQL pySHACL runs (SPARQL targets, SHACL-SPARQL constraints).

    pySHACL hands every such query to rdflib as text, once per focus node, and rdflib parses each one again
    (about 10 ms); Oxigraph parses and answers it in microseconds. A query Oxigraph rejects, or one it cannot
    bind as given, is answered by rdflib as before.
    """

    def __init__(self, native: ox.Store, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        super().__init__()
        self.native = native
        self.addN((s, p, o, self) for s, p, o in triples)
        bind_prefixes(self)

    def query(  # type: ignore[override]  # noqa: PLR0917 - rdflib's signature
        self,
        query_object: object,
        processor: str = "sparql",
        result: str = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,  # noqa: ANN401
    ) -> Result:
        if isinstance(query_object, str) and processor == "sparql" and result == "sparql" and not kwargs:
            prefixes = {prefix: str(namespace) for prefix, namespace in self.namespaces()}
            try:
                return sparql(self.native, query_object, initBindings, {**prefixes, **(initNs or {})})
            except (SyntaxError, RuntimeError):
                pass  # rdflib answers what Oxigraph does not accept
        return super().query(
            query_object,  # type: ignore[arg-type]
            processor,
            result,
            initNs,
            initBindings,
            use_store_provided,
            **kwargs,
        )


#: What SHACL checks, as a query on the flat graph: every triple but the inferred ones other than rdf:type.
_CHECKED = f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
    ?s ?p ?o
    FILTER (?p = <{RDF.type}> || NOT EXISTS {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }})
}}"""


def _quad(triple: tuple[Node, Node, Node]) -> ox.Quad:
    s, p, o = (to_ox(term) for term in triple)
    return ox.Quad(s, p, o)  # type: ignore[arg-type]


def validation_graph(loaded: LoadedGraph) -> ValidationGraph:
    """What SHACL checks: the ontology, the asserted data and the inferred ``rdf:type`` triples.

    Other inferred triples (inverses, super-properties, rule results) follow from asserted ones, which are
    checked; leaving them out keeps a report about what someone wrote. On a store the triples are selected
    and copied inside Oxigraph.
    """
    native = ox.Store()
    store = native_of(loaded)
    if store is not None:
        checked = store.query(_CHECKED)
        assert isinstance(checked, ox.QueryTriples)  # noqa: S101 - a CONSTRUCT query
        native.bulk_load(checked.serialize(format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES)
        return ValidationGraph(native, ((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in native))
    inferred = loaded.inferred
    triples = [triple for triple in loaded.graph if triple[1] == RDF.type or triple not in inferred]
    native.bulk_extend(_checked_quads(loaded, triples))
    return ValidationGraph(native, triples)


def _checked_quads(loaded: LoadedGraph, triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[ox.Quad]:
    """The quads of ``triples``; a DataSyntaxError naming the file and line of an IRI Oxigraph does not take.

    rdflib reads IRIs that RDF does not allow (a space or ``|`` in them, only with a warning; ``%zz``, a second
    ``#``, ``[`` without a word), which Oxigraph refuses: ``validate`` and ``build`` stopped there with a
    traceback. ``kgraph load`` refuses them as it parses, with the same words."""
    for triple in triples:
        try:
            yield _quad(triple)
        except ValueError as error:
            bad = _bad_iri(loaded, triple)
            if bad is None:
                raise
            raise bad from error


def _bad_iri(loaded: LoadedGraph, triple: tuple[Node, Node, Node]) -> InputError | None:
    """The error for the first term of ``triple`` Oxigraph refuses (an IRI, a literal's datatype, or its language
    tag, which rdflib checks less strictly), at the first file and line that write it (:func:`kgraph.store.line_of_iri`,
    as the load's own check finds it); None if it takes them all."""
    for term in triple:
        if isinstance(term, BNode):
            continue
        try:
            to_ox(term)
        except ValueError as error:
            refused = str(error).splitlines()[0]
            break
    else:
        return None
    iri: str | None = None
    if isinstance(term, Literal) and term.language is not None:
        tag = f"@{term.language}"
        what, reason = "the language tag", f"bad syntax: {refused} in the language tag {tag}"
    else:
        iri, tag = str(term.datatype) if isinstance(term, Literal) else str(term), ""
        what, reason = "the IRI", f"bad syntax: {refused} in the IRI <{iri}>"
    for path in loaded.files:
        try:
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
        except OSError:
            continue
        line = line_of_iri(text, iri) if iri is not None else _line_of_text(text, tag)
        if line is not None:
            return DataSyntaxError(display_path(path), line, reason)
    return InputError(f"{reason}, which the data holds; fix {what} in its file and run again")


def _line_of_text(text: str, needle: str) -> int | None:
    at = text.find(needle)
    return line_at(text, at) if at >= 0 else None


#: The shape of ``shapes.ttl`` that reports a kg: name the ontology does not declare (a typo such as ``kg:usess``).
DECLARED_TERM_SHAPE = "kgsh:DeclaredTermShape"


def _name_the_declared_terms(results: Iterable[ValidationResult], ontology: Graph) -> Iterator[ValidationResult]:
    """``results``, where one says the data uses a kg: name the ontology does not declare, with a fix that names
    the ontology's closest one (``kg:usess``: did you mean kg:uses?); SHACL itself can only say that it is not
    there. One in a namespace close to the ontology's (``<http://w3id.org/kgraph/ontology#uses>``, or ``/`` for
    ``#``: a file's ``@prefix kg:`` mistyped) is told so, with the kg: name meant, or the closest one."""
    known: list[str] | None = None
    declared: set[URIRef] = set()
    for result in results:
        near = result.value.startswith("<") and result.shape == DECLARED_TERM_SHAPE
        if result.shape != DECLARED_TERM_SHAPE or not (result.value.startswith("kg:") or near):
            yield result
            continue
        if known is None:
            declared = _declared_kg_terms(ontology)
            known = sorted(f"kg:{local_name(term)}" for term in declared)
        split = _near_namespace(URIRef(result.value[1:-1])) if near else None
        if split is None:
            yield dataclasses.replace(result, fix=declared_term_fix(result.value, known))
            continue
        namespace, name = split
        prefix = f"the ontology's namespace is <{KG}>, not <{namespace}>; correct the @prefix in its file"
        if KG[name] in declared:
            fix = f"write kg:{name}: {prefix}"
        else:  # the name misspelt too: the closest declared one, as for kg:usess
            close = _closest_declared(f"kg:{name}", known)
            meant = f" (did you mean {close}?)" if close else ""
            fix = f"replace {result.value} with a class, property or value of the ontology{meant}: {prefix}"
        yield dataclasses.replace(result, fix=fix)


def _declared_kg_terms(ontology: Graph) -> set[URIRef]:
    """The kg: classes, properties and values ``ontology`` declares (each has an ``rdf:type`` there)."""
    return {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef) and s in KG}


def _name_the_undescribed(
    results: Iterable[ValidationResult], loaded: LoadedGraph, named: Callable[[], Graph]
) -> Iterator[ValidationResult]:
    """``results``, where one is about an IRI that the data describes nowhere (no triple it states has it as
    subject: a link to an entity whose IRI is misspelt, ``kgr:trainum3``), with a fix that says so and names the
    closest IRI with a label (did you mean kgr:trainium3?): the shapes can only say that it lacks a class. Looked at
    for the value of a class constraint, and for a focus that has no class. ``named`` gives the graph of prefixes
    that names terms, made once for every result."""
    described: dict[str, list[URIRef]] | None = None
    for result in results:
        if result.constraint.startswith("sh:class ") and result.value:
            said = result.value
        elif result.path == "rdf:type" and not result.value:
            said = result.focus
        else:
            yield result
            continue
        names = named()
        iri = _iri_of(said, names)
        if iri is None or any(loaded.is_asserted(triple) for triple in loaded.graph.triples((iri, None, None))):
            yield result
            continue
        if described is None:
            described = {}
            for subject in {s for s in loaded.graph.subjects(RDFS.label, None) if isinstance(s, URIRef)}:
                described.setdefault(local_name(subject), []).append(subject)
        # Local names are compared: IRIs of one long namespace (<https://example.org/acme/resource/hooli> and
        # .../globex>) were as close as the namespace is long. Of the IRIs of the closest name, the one of the
        # misspelt IRI's namespace, if any, is named.
        close = close_matches(local_name(iri), described, n=1, cutoff=0.8)
        guess = ": a misspelt IRI?"
        if close:
            namespace = str(iri)[: len(str(iri)) - len(local_name(iri))]
            meant = min(described[close[0]], key=lambda s: (not str(s).startswith(namespace), qname(names, s)))
            guess += f" did you mean {qname(names, meant)}?"
        yield dataclasses.replace(result, fix=f"{result.fix}; {said} is described nowhere in the data{guess}")


def _name_the_near_namespaces(
    results: Iterable[ValidationResult], loaded: LoadedGraph, named: Callable[[], Graph]
) -> Iterator[ValidationResult]:
    """``results``, where one is about a node without a class of the ontology (its ``rdf:type``, a domain's or a
    range's class) that has a class of the same name in a namespace close to the ontology's: a file whose ``@prefix
    kg:`` says ``http://`` where the ontology's is ``https://`` (or ends in ``/`` for ``#``) has classes the
    shapes cannot see, and the message alone (no class from the ontology) said nothing of it. ``named``: as for
    :func:`_name_the_undescribed`."""
    declared: set[URIRef] | None = None
    for result in results:
        if result.path == "rdf:type" or (result.constraint.startswith("sh:class") and not result.path):
            said = result.focus
        elif result.constraint.startswith("sh:class") and result.value:
            said = result.value
        else:
            yield result
            continue
        names = named()
        iri = _iri_of(said, names)
        if declared is None:
            declared = _declared_kg_terms(loaded.ontology)
        near = (_near_kg_term(kind, declared) for kind in loaded.graph.objects(iri, RDF.type)) if iri else ()
        found = sorted(pair for pair in near if pair is not None)
        if not found:
            yield result
            continue
        written, namespace, meant = found[0]
        hint = (
            f"its class <{written}> is not {qname(names, meant)}, whose namespace is <{KG}>, not <{namespace}>: "
            "correct the @prefix in its file"
        )
        yield dataclasses.replace(result, fix=f"{result.fix}; {hint}")


#: The constraints of a value missing: the node may hold it under a property of a namespace mistyped.
_TOO_FEW = ("sh:minCount ", "sh:qualifiedMinCount ")


def _name_the_near_properties(
    results: Iterable[ValidationResult], loaded: LoadedGraph, named: Callable[[], Graph]
) -> Iterator[ValidationResult]:
    """``results``, where one says a node lacks a value of a property (``sh:minCount``) that the node has under a
    property of the same name in a namespace close to it: a file whose ``@prefix schema:`` says
    ``http://schema.org/`` (as many of schema.org's examples do), or whose ``rdfs:`` says ``https://``, writes
    properties no shape looks at, and the fix said to add the description or label the file seemed to hold.
    ``named``: as for :func:`_name_the_undescribed`."""
    for result in results:
        if not result.constraint.startswith(_TOO_FEW) or not _SIMPLE_PATH.fullmatch(result.path):
            yield result
            continue
        names = named()
        path, focus = _iri_of(result.path, names), _iri_of(result.focus, names)
        wanted = _split_iri(path) if path is not None else None
        if focus is None or wanted is None:
            yield result
            continue
        near = sorted(
            (str(written), split[0])
            for written in set(loaded.graph.predicates(focus, None))
            if isinstance(written, URIRef)
            and written != path
            and (split := _split_iri(written)) is not None
            and split[1] == wanted[1]
            and _alike(split[0], wanted[0])
        )
        if not near:
            yield result
            continue
        written, namespace = near[0]
        hint = (
            f"it has <{written}>, which is not {result.path}, whose namespace is <{wanted[0]}>, not <{namespace}>: "
            "correct the @prefix in its file"
        )
        yield dataclasses.replace(result, fix=f"{result.fix}; {hint}")


#: A path that is one property, as a report writes it (``schema:description``, ``<https://...>``).
_SIMPLE_PATH = re.compile(r"[A-Za-z][\w.-]*:[\w.-]+|<[^<>\s]+>")


def _split_iri(term: URIRef) -> tuple[str, str] | None:
    """``(namespace, local name)`` of ``term``, cut after its last ``#`` or ``/``; None if the name is empty."""
    text = str(term)
    cut = max(text.rfind("#"), text.rfind("/")) + 1
    return (text[:cut], text[cut:]) if text[cut:] else None


def _alike(namespace: str, meant: str) -> bool:
    """Whether ``namespace`` is close enough to ``meant`` to be taken for it misspelt (see :data:`_NEAR_NAMESPACE`)."""
    return difflib.SequenceMatcher(None, namespace, meant, autojunk=False).ratio() >= _NEAR_NAMESPACE


#: How alike a namespace must be to the ontology's to be taken for it misspelt (``http://`` for ``https://``,
#: ``/`` for ``#``, a letter changed): :func:`difflib.SequenceMatcher`'s ratio.
_NEAR_NAMESPACE = 0.9


def _near_kg_term(term: Node, declared: Container[URIRef]) -> tuple[str, str, URIRef] | None:
    """``(term, its namespace, the kg: term it was most likely meant for)``, where ``term`` is an IRI outside the
    ontology's namespace whose local name the ontology declares, in a namespace close to the ontology's; else
    None."""
    split = _near_namespace(term)
    if split is None or KG[split[1]] not in declared:
        return None
    return str(term), split[0], KG[split[1]]


def _near_namespace(term: Node) -> tuple[str, str] | None:
    """``(namespace, local name)`` of ``term``, an IRI outside the ontology's namespace, where the namespace is close
    to the ontology's and the local name not empty; else None."""
    if not isinstance(term, URIRef) or term in KG:
        return None
    text = str(term)
    cut = max(text.rfind("#"), text.rfind("/")) + 1
    if not text[cut:]:
        return None
    alike = difflib.SequenceMatcher(None, text[:cut], str(KG), autojunk=False).ratio()
    return (text[:cut], text[cut:]) if alike >= _NEAR_NAMESPACE else None


def _iri_of(said: str, names: Graph) -> URIRef | None:
    """The IRI a report writes as ``said`` (``kgr:x`` or ``<...>``), or None for anything else."""
    if said.startswith("<") and said.endswith(">"):
        return URIRef(said[1:-1])
    if ":" not in said or said.startswith(('"', "(")):
        return None
    try:
        return names.namespace_manager.expand_curie(said)
    except ValueError:
        return None


#: The shape of ``shapes.ttl`` whose warnings name the entities that share a name (a label or alternative label, in
#: any language). It has no target: kgraph checks it itself (:func:`_same_names`), and only when the shapes hold it
#: (or :data:`OLD_SAME_LABEL_SHAPE`, its name when it compared English labels only, in a shapes file of one's own).
SAME_LABEL_SHAPE = KGSH.SameLabelShape
OLD_SAME_LABEL_SHAPE = KGSH.SameEnglishLabelShape

#: The constraint component its results name (pySHACL has none for it: kgraph checks it).
SAME_LABEL_COMPONENT = KGSH.SameLabelComponent

#: What a clash of each rank (:attr:`kgraph.names.NameClash.rank`) does to ``kgraph show NAME``, and its fix.
_CLASH_WORDS = (
    (
        "Another entity has the same label, so kgraph show {name} cannot tell them apart",
        "if they are one thing, use one IRI for it ({iris}); if not, give them different labels",
    ),
    (
        "This entity's alternative label is another entity's label, so kgraph show {name} finds only the other",
        "if they are one thing, use one IRI for it ({iris}); if not, remove or change the alternative label",
    ),
    (
        "Another entity has the same alternative label, so kgraph show {name} cannot tell them apart",
        "if they are one thing, use one IRI for it ({iris}); if not, remove or change one alternative label",
    ),
)


def _same_names(loaded: LoadedGraph, report: Graph, shape: URIRef) -> list[ValidationResult]:
    """A warning for each pair of entities that share a name (:func:`kgraph.names.same_names`), about one of them (the
    one whose alternative label is the other's label), naming both, their classes and where each states the name
    (a section, or a file's graph); each is added to ``report`` too, as a ``sh:ValidationResult`` of ``shape``, so
    that ``--format turtle`` says what the text does."""
    clashes = same_names(loaded)
    if not clashes:
        return []
    names = _names()
    entities = sorted({clash.focus for clash in clashes} | {clash.other for clash in clashes})
    stated: dict[tuple[Node, Node, str], set[str]] = {}
    for s, p, o, graph in loaded.quads_with([RDFS.label, SKOS.altLabel], inferred=False, subjects=entities):
        if isinstance(o, Literal):
            stated.setdefault((s, p, normalise(str(o))), set()).add(_graph_name(graph, names))
    node = next(iter(report.subjects(RDF.type, SH.ValidationReport)), None)

    def said(entity: URIRef, predicate: URIRef, name: Literal) -> str:
        how = "labelled" if predicate == RDFS.label else "alternatively labelled"
        where = ", ".join(sorted(stated.get((entity, predicate, normalise(str(name))), ())))
        named = candidate(loaded.graph, entity, names=names)  # the report's prefixes: kgraph's, not the data's
        return f"{named}, {how} {_term(name, names)} in {where or '(inferred)'}"

    results = []
    for clash in clashes:
        problem, fix = _CLASH_WORDS[clash.rank]
        message = (
            problem.format(name=json.dumps(str(clash.focus_name), ensure_ascii=False))
            + f": this one is {said(clash.focus, clash.focus_predicate, clash.focus_name)}; the other is "
            + f"{said(clash.other, clash.other_predicate, clash.other_name)}."
        )
        result = ValidationResult(
            severity="Warning",
            focus=qname(names, clash.focus),
            focus_label=_english_label(loaded.graph, clash.focus),
            path=qname(names, clash.focus_predicate),
            constraint="",
            message=message,
            value=_term(clash.focus_name, names),
            fix=fix.format(iris=f"{qname(names, clash.focus)} or {qname(names, clash.other)}"),
            shape=qname(names, shape),
        )
        results.append(result)
        if node is not None:
            _add_result(report, node, clash, message, shape)
    return results


#: The shape of ``shapes.ttl`` whose results name a property or class of the data written like one the ontology knows
#: but not it (``skos:altlabel``): kgraph checks it itself (:mod:`kgraph.misspelt`), only when the shapes hold it.
MISSPELT_TERM_SHAPE = KGSH.MisspeltTermShape

#: The constraint component its results name.
MISSPELT_TERM_COMPONENT = KGSH.MisspeltTermComponent

_MISSPELT_MESSAGE = "Uses a property or class that the ontology neither declares nor uses, written like one it knows."


def _misspelt_terms(loaded: LoadedGraph, report: Graph, shapes: Graph) -> list[ValidationResult]:
    """A result for each node that states a property, or has a class, written like a term the ontology knows but
    not it (:func:`kgraph.misspelt.misspelt_terms`), with the term meant; each is added to ``report`` too, as a
    ``sh:ValidationResult`` of :data:`MISSPELT_TERM_SHAPE`, of the shape's severity (``sh:Violation`` if it gives
    none, as SHACL has it) and message. Only the distinct predicates and classes of the graph are compared; the
    nodes are looked up for the few terms found."""
    from kgraph.misspelt import misspelt_terms  # noqa: PLC0415 - rdflib's vocabularies, only for this check

    found = misspelt_terms(loaded, shapes)
    if not found:
        return []
    names = _names()
    shape = MISSPELT_TERM_SHAPE
    severity = shapes.value(shape, SH.severity) or SH.Violation
    message = str(shapes.value(shape, SH.message) or _MISSPELT_MESSAGE)
    node = next(iter(report.subjects(RDF.type, SH.ValidationReport)), None)
    graph = loaded.graph
    results = []
    for term in found:
        written, meant = qname(names, term.written), qname(names, term.meant)
        what = "class" if term.is_class else "property"
        fix = f"replace {written} with the {what} it stands for, or declare it in the ontology (did you mean {meant}?)"
        if term.is_class:
            focus_nodes, path, value = graph.subjects(RDF.type, term.written), RDF.type, term.written
        else:
            focus_nodes, path, value = graph.subjects(term.written, None), term.written, None
        for focus in sorted(set(focus_nodes), key=term_key):
            results.append(
                ValidationResult(
                    severity=local_name(severity),
                    focus=_term(focus, names),
                    focus_label=_english_label(graph, focus),
                    path=qname(names, path),
                    constraint="",
                    message=message,
                    value=_term(value, names),
                    fix=fix,
                    shape=qname(names, shape),
                )
            )
            if node is not None:
                _add_misspelt(report, node, (focus, path, value), severity, message)
    return results


def _add_misspelt(
    report: Graph, node: Node, stated: tuple[Node, Node, Node | None], severity: Node, message: str
) -> None:
    """Add to the validation report ``node`` a result of :data:`MISSPELT_TERM_SHAPE` about ``stated``: its focus
    node, its path (the property misspelt, or ``rdf:type``) and its value (the class misspelt, or None)."""
    result = BNode()
    report.add((node, SH.result, result))
    focus, path, value = stated
    for predicate, term in (
        (RDF.type, SH.ValidationResult),
        (SH.focusNode, focus),
        (SH.resultPath, path),
        (SH.value, value),
        (SH.resultSeverity, severity),
        (SH.sourceShape, MISSPELT_TERM_SHAPE),
        (SH.sourceConstraintComponent, MISSPELT_TERM_COMPONENT),
        (SH.resultMessage, Literal(message)),
    ):
        if term is not None:
            report.add((result, predicate, term))


def _graph_name(graph: Node, names: Graph) -> str:
    """A named graph of the data as a report names it: a section by its prefixed name, a file's graph as ``file
    NAME``."""
    files = str(file_graph(""))
    if isinstance(graph, URIRef) and graph.startswith(files):
        return f"file {urllib.parse.unquote(graph.removeprefix(files))}"
    return _term(graph, names)


def _add_result(report: Graph, node: Node, clash: NameClash, message: str, shape: URIRef) -> None:
    """Add to the validation report ``node`` a warning of ``shape`` about ``clash``'s focus."""
    result = BNode()
    report.add((node, SH.result, result))
    for predicate, value in (
        (RDF.type, SH.ValidationResult),
        (SH.focusNode, clash.focus),
        (SH.resultPath, clash.focus_predicate),
        (SH.value, clash.focus_name),
        (SH.resultSeverity, SH.Warning),
        (SH.sourceShape, shape),
        (SH.sourceConstraintComponent, SAME_LABEL_COMPONENT),
        (SH.resultMessage, Literal(message)),
        # the other entity and its name, so that where: names the lines of both
        (KGSH.other, clash.other),
        (KGSH.otherPath, clash.other_predicate),
        (KGSH.otherValue, clash.other_name),
    ):
        report.add((result, predicate, value))


def declared_term_fix(used: str, known: Sequence[str]) -> str:
    """What to do about ``used``, a kg: name (``kg:usess``) not among ``known``, the names the ontology declares."""
    fix = f"replace {used} with a class, property or value of the ontology, or declare it there"
    close = _closest_declared(used, known)
    return f"{fix} (did you mean {close}?)" if close else fix


def _closest_declared(used: str, known: Sequence[str]) -> str | None:
    """The name of ``known`` closest to the kg: name ``used``, case aside, if one is close enough; else None. Of
    names as close, the shorter, then the alphabetically first (:func:`kgraph.names.close_matches`)."""
    by_case = {name.removeprefix("kg:").casefold(): name for name in known}
    close = close_matches(used.removeprefix("kg:").casefold(), by_case, n=1, cutoff=0.75)
    return by_case[close[0]] if close else None


def _quiet(_message: str) -> None:
    pass


def _validate_scoped(
    store: ox.Store, shapes: Graph, progress: Callable[[str], None]
) -> tuple[bool, Graph, list[ValidationResult]] | None:
    """Validate a store's triples with pySHACL on the focus nodes that may break a shape (:mod:`kgraph.shacl_scope`),
    on a copy of what SHACL checks in a temporary Oxigraph store; None when the shapes need the whole run."""
    from pyshacl.errors import ReportableRuntimeError  # noqa: PLC0415 - only validation needs it

    def whole(reason: object) -> None:
        progress(f"pySHACL checks every focus node: {reason}")

    try:
        shacl_scope.readable(shapes)
    except shacl_scope.Unsupported as reason:
        whole(reason)
        return None
    with tempfile.TemporaryDirectory(prefix="kgraph-validate-", ignore_cleanup_errors=True) as folder:
        progress("copying what SHACL checks into a temporary store")
        try:
            copy = _checked_copy(store, Path(folder))
        except shacl_scope.Unsupported as reason:
            whole(reason)
            return None
        except OSError as error:
            if store_failure(error) is error and folder not in str(error):  # the store read, not the copy written
                raise
            message = f"cannot copy the store for validation into {folder}: {error.strerror or error}; "
            raise InputError(message + "make room there, or set TMPDIR to a folder with room") from error
        release_free_memory()  # what the copy's loader threads freed, before the scope and pySHACL allocate theirs
        triples = len(copy)
        data = Graph(store=ReadOnlyOxigraphStore(copy, {}, triples), identifier=DATASET_DEFAULT_GRAPH_ID)
        bind_prefixes(data)
        progress(f"finding the focus nodes that may break a shape, among {triples:,} triples")
        try:
            scope = shacl_scope.Scope(data, copy, shapes)
            checks = list(scope.candidates())
        except shacl_scope.Unsupported as reason:
            whole(reason)
            return None
        except ReportableRuntimeError:
            return None  # pySHACL on every node reports the shapes it cannot load
        except Exception as error:  # a SPARQL target that does not parse: that too
            if _sparql_failure(error) is None:
                raise
            return None
        nodes = sum(len(focus) for _shape, focus in checks)
        labels = _labels_of(scope.read(RDFS.label), (node for _shape, focus in checks for node in focus))
        del scope  # its tables, before pySHACL's memory
        progress(f"pySHACL checks the rest: {nodes:,} focus nodes of {len(checks):,} shapes")
        conforms, report_graph = _run_pyshacl(data, shacl_scope.retargeted(shapes, checks))
        results = _findings(report_graph, shapes, data, labels)
        del data, copy
        gc.collect()  # the copy's store closes before its folder goes
    return conforms, report_graph, results


def _checked_copy(store: ox.Store, folder: Path) -> ox.Store:
    """What SHACL checks (:data:`_CHECKED`), copied into a new Oxigraph store in ``folder``, in its default graph:
    the triples of every named graph but the inferred one (each stated triple once), and the inferred ``rdf:type``
    triples. Staged and bulk-loaded as ``kgraph load`` does (:class:`kgraph.persist._Staging`): in files of
    :data:`kgraph.persist.CHUNK_QUADS` lines, two loads at a time, lines with a blank node apart; a line longer
    than :data:`kgraph.persist.LONG_TERM` is read by rdflib, since Oxigraph's parser stops at 16 MiB a term."""
    from kgraph import persist  # noqa: PLC0415 - persist imports this module's callers

    copy = ox.Store(str(folder / "oxigraph"))
    long_lines: list[str] = []
    with persist._Loader(copy) as loader:  # kgraph load's staging, shared
        staging = persist._Staging(folder, "checked", persist._LongTerms(), loader.send)

        def short(lines: Iterable[str]) -> Iterator[str]:
            for line in lines:
                if len(line) > persist.LONG_TERM:
                    long_lines.append(line)
                else:
                    yield line

        try:
            staging.write_all(short(_checked_lines(store, folder / "graph.nt")), 1)  # batched: a write a line cost more
        except persist._CannotStage as error:
            raise error.error from error
        persist._bulk_load(copy, loader, staging, staging.long)
    plain_decimals_in_turtle()  # each line read as a file's is
    for line in long_lines:
        if "_:" in line:
            raise shacl_scope.Unsupported("a blank node with a term too long for Oxigraph's parser")
        for triple in Graph().parse(data=line, format="turtle"):  # rdflib's N-Triples reader is slow on long lines
            copy.add(_quad(triple))
    return copy


def _checked_lines(store: ox.Store, scratch: Path) -> Iterator[str]:
    """The N-Triples lines of what SHACL checks, graph by graph (``scratch`` holds one graph at a time)."""
    type_ = ox.NamedNode(str(RDF.type))
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g != INFERRED)
    for name in names:
        with scratch.open("wb") as out:
            store.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        with scratch.open(encoding="utf-8", newline="") as lines:
            yield from lines
    # As SPARQL TSV text, which writes terms as N-Triples does but for numbers and booleans, written bare: a
    # pyoxigraph quad and three terms each took 5.7 of the 13 s of the copy at 1M triples.
    type_text = str(type_)
    for s, c in tsv_select(store, f"SELECT ?s ?c WHERE {{ GRAPH {INFERRED} {{ ?s {type_text} ?c }} }}"):
        if c[0] not in '<_"':
            value, _language, datatype = tsv_literal(c)
            c = f'"{value}"^^<{datatype}>'  # noqa: PLW2901 - the same term, as N-Triples writes it
        yield f"{s} {type_text} {c} .\n"
    scratch.unlink(missing_ok=True)


def _refuse_a_damaged_copy(loaded: LoadedGraph, store_dir: Path) -> None:
    """Refuse a store that has lost its copy of the ontology, or whose copy of the shapes is not as loaded."""
    if not loaded.ontology_dir.is_dir():
        # Without it the shapes would be the derived domain and range ones alone: fewer checks, and a pass.
        where = display_path(store_dir)
        raise StoreError.advising(
            f"the store {where} has lost its copy of the ontology ({display_path(loaded.ontology_dir)}), which holds "
            "the shapes",
            python=f"rebuild it: kgraph.persist.build({str(store_dir)!r}, force=True)",
            cli=f"rebuild it: kgraph load --store {where} --force",
        )
    if loaded.store_shapes is not None:
        _refuse_changed_shapes(store_dir, loaded.shapes_file, loaded.store_shapes)


def _refuse_changed_shapes(store_dir: Path, copy: Path, recorded: str) -> None:
    """Refuse a store whose copy of the shapes (``copy``) is not the file its load copied (``recorded``: its
    SHA-256, or "" for none): lost, emptied or edited, it checks fewer shapes, or others, than the store was built
    with, and a graph that broke one passed (``Conforms: yes``, exit 0)."""
    # One that cannot be read (no permission) is said as such, by the command's handler of such errors.
    found = hashlib.sha256(read_file(copy)).hexdigest() if copy.is_file() else ""
    if found == recorded:
        return
    if not found:
        state = "is missing"
    elif not recorded:
        state = "was added after the store was built"
    else:
        state = "has changed since the store was built"
    where = display_path(store_dir)
    raise StoreError.advising(
        f"the store {where}'s copy of the shapes ({display_path(copy)}) {state}",
        python=f"rebuild it: kgraph.persist.build({str(store_dir)!r}, force=True)",
        cli=f"rebuild it: kgraph load --store {where} --force",
    )


def _cache_key(loaded: LoadedGraph, shapes_file: Path | None) -> str:
    """Validation depends on the files loaded, the shapes file and kgraph's code (see kgraph.cache), and on whether
    the graph is in memory or on a store: the two share the files' fingerprint, but a store holds a value once where
    memory keeps each spelling (``"...Z"`` and ``"...+00:00"``, ``1.5`` and ``1.50``), which ``sh:maxCount`` counts.
    No shapes file and an empty one differ (an empty one is a warning): they shared an outcome, and an empty
    shapes.ttl validated after none at all, with a cached outcome, lost its warning."""
    shapes_bytes = b"none"
    if shapes_file is not None and shapes_file.is_file():
        shapes_bytes = b"file:" + read_file(shapes_file)
    where = b"memory" if loaded.store_dir is None else b"store"
    return cache.key("validation", [loaded.fingerprint.encode(), shapes_bytes, where])


_CACHE_FORMAT = 2  # 2: whether the shapes file holds a shape (``shapes``)


def _from_cache(entry: str | None) -> tuple[bool, Graph, list[ValidationResult], bool] | None:
    """A cached outcome, or None when there is none or it is unusable (then it is computed again)."""
    content = cache.read(entry) if entry else None
    if content is None:
        return None
    try:
        stored = json.loads(content)
        if stored["format"] != _CACHE_FORMAT:
            return None
        report = Graph().parse(data=stored["report"], format="nt")
        results = [ValidationResult(**fields) for fields in stored["results"]]
        return bool(stored["conforms"]), report, results, bool(stored["shapes"])
    except Exception:  # any corruption: recompute
        return None


def _to_cache(
    entry: str | None, conforms: bool, report: Graph, results: list[ValidationResult], shapes: bool = True
) -> None:
    if entry is None or cache.cache_dir() is None:  # the cache is off: nothing to write (the report as N-Triples
        return  # took 2-3 s at a million triples)
    stored = {
        "format": _CACHE_FORMAT,
        "conforms": conforms,
        "results": [dataclasses.asdict(result) for result in results],
        "shapes": shapes,
        "report": report.serialize(format="nt"),
    }
    cache.write(entry, json.dumps(stored, ensure_ascii=False).encode("utf-8"))


def _verdict(report: Graph, results: Sequence[ValidationResult]) -> bool:
    """Whether the data conforms: no result of severity Violation, whatever shape it comes from (the README's
    rule). pySHACL, allowed warnings, judged by the severity of the node shape, so a property shape's Violation
    inside a node shape marked sh:Warning passed ("Conforms: yes (5 violations ...)"). The report graph's
    sh:conforms is set to the same verdict."""
    conforms = not any(result.severity == "Violation" for result in results)
    for node in report.subjects(RDF.type, SH.ValidationReport):
        report.set((node, SH.conforms, Literal(conforms)))
    return conforms


def _run_pyshacl(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    import pyshacl  # noqa: PLC0415 - only validation needs it
    from pyshacl.errors import ReportableRuntimeError  # noqa: PLC0415

    _check_each_sparql_text_once()
    _PySHACLLogOnOneLine.install()
    _refuse_looping_lists(shapes)
    try:
        conforms, report_graph, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            advanced=True,
            inference="none",
            allow_warnings=True,
            allow_infos=True,
            inplace=True,  # data is our own copy
        )
    except ReportableRuntimeError as error:
        message = f"the SHACL shapes cannot be used: {error.message}; fix the shapes and run again"
        raise InputError(message) from error
    except Exception as error:  # a SPARQL text of the shapes (sh:select, sh:ask) that does not parse
        failure = _sparql_failure(error)
        if failure is None:
            raise
        raise _unreadable_sparql(shapes, *failure) from error
    finally:
        # pySHACL sets rdflib's reader of xsd:boolean to its own, then to rdflib's, which reads " true " as false:
        # kgraph's, which reads it as a store does, is put back
        xsd_strict_booleans()
    if isinstance(report_graph, ReportableRuntimeError):  # a SPARQL constraint SHACL forbids: returned, not raised
        message = f"the SHACL shapes cannot be used: {report_graph.message}; fix the shapes and run again"
        raise InputError(message) from report_graph
    if not isinstance(report_graph, Graph):  # pragma: no cover - pySHACL returns a Graph for Graph input
        raise TypeError("pySHACL returned no report graph")
    return bool(conforms), report_graph


class _PySHACLLogOnOneLine(logging.Filter):
    """pySHACL logs on standard error what it refuses in the shapes, in two lines (the message, then "For reference,
    see <link>"), and at each shape that has it: before the one line of kgraph's error for a shape it cannot load
    (which it raises, so its own lines are left out here), or for a constraint it skips (a warning, on one line
    once)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    @classmethod
    def install(cls) -> None:
        """Put one on pySHACL's logger (its handler is made again at each run; the logger's filters stay)."""
        logger = logging.getLogger("pyshacl-validate")
        if not any(isinstance(existing, cls) for existing in logger.filters):
            logger.addFilter(cls())

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            return False
        line = printable(" ".join(record.getMessage().split()))
        if line in self.seen:
            return False
        self.seen.add(line)
        record.msg, record.args = f"warning: pySHACL: {line}", None
        return True


#: The predicates whose objects are SPARQL texts pySHACL runs: SHACL-SPARQL constraints, validators and targets.
_SPARQL_TEXTS = (SH.select, SH.ask)


def _sparql_failure(error: Exception) -> tuple[str | None, str | None, str] | None:
    """For rdflib's error on a SPARQL text that does not parse (pyparsing's ParseException, or a bare Exception
    for a prefix the text does not declare): the text as parsed, or the prefix, and what is wrong, as
    :func:`_unreadable_sparql` takes them; None for any other error."""
    from pyparsing import ParseException  # noqa: PLC0415 - rdflib's SPARQL parser raises it

    if isinstance(error, ParseException):
        return error.pstr, None, f"{error.msg} (at {error.line.strip()!r})"
    prefix = undeclared_prefix(error) if type(error) is Exception else None
    if prefix is None:
        return None
    return None, prefix, f"the prefix {prefix}: is not declared (sh:prefixes, or PREFIX in the text, declares it)"


def _refuse_looping_lists(shapes: Graph) -> None:
    """Raise :class:`InputError` for a list of ``shapes`` whose ``rdf:rest`` comes back to itself, naming what holds
    it (``the sh:path of a property of kgsh:S``): pySHACL stopped on it with rdflib's traceback ("List contains a
    recursive rdf:rest reference"). Each list node is walked once."""
    done: set[Node] = set()
    for start in sorted(shapes.subjects(RDF.rest, None), key=str):
        walked: list[Node] = []
        try:
            for node in list_nodes(shapes, start):
                if node in done:
                    break
                walked.append(node)
        except MalformedList as malformed:
            if malformed.loop:
                raise InputError(
                    f"the SHACL shapes cannot be used: {_holder(shapes, set(malformed.loop))} is a list whose "
                    "rdf:rest comes back to itself; end it with rdf:nil, fix the shapes and run again"
                ) from None
        done.update(walked)


def _holder(shapes: Graph, loop: set[Node]) -> str:
    """``the sh:path of a sh:property of kgsh:S``: what states a list that loops (a node of ``loop``), up to the
    nearest shape with an IRI (:func:`_climb`)."""
    held = [(s, p) for node in loop for s, p in shapes.subject_predicates(node) if s not in loop and p != RDF.rest]
    chains = [[stated, *_climb(shapes, stated[0])] for stated in held]
    if not chains:
        return "a list of the shapes"
    (holder, predicate), *climbed = min(chains, key=_nearest_name)
    owner = climbed[-1][0] if climbed else holder
    words = "".join(f" of a {qname(shapes, step)}" for _subject, step in climbed)
    named = f" of {qname(shapes, owner)}" if isinstance(owner, URIRef) else ""
    return f"the {qname(shapes, predicate)}{words}{named}"


def _climb(shapes: Graph, node: Node, steps: int = 3) -> list[tuple[Node, Node]]:
    """Up from ``node`` to the nearest shape with an IRI that holds it: what states ``node`` (subject and
    predicate), then what states that, ...; ``steps`` at most, none above a node with an IRI (a shape, which names
    the rest) or past a node nothing states. Of the ways up, the one that reaches an IRI in the fewest steps
    (:func:`_nearest_name`): the first subject by text took a blank node's way whose random label sorted first,
    and quoted a text a named shape held a step further up another way."""
    if steps == 0 or isinstance(node, URIRef):
        return []
    ways = [[(s, p), *_climb(shapes, s, steps - 1)] for s, p in shapes.subject_predicates(node)]
    return min(ways, key=_nearest_name, default=[])


def _nearest_name(way: list[tuple[Node, Node]]) -> tuple[bool, int, str, list[str]]:
    """The order of ways up the shapes (:func:`_climb`): one that ends at an IRI first, the shortest, then by that
    IRI and the predicates' text; a blank node's label, random, never decides."""
    top = way[-1][0]
    named = isinstance(top, URIRef)
    return (not named, len(way) if named else 0, str(top) if named else "", [str(p) for _s, p in way])


def _unreadable_sparql(shapes: Graph, query: str | None, prefix: str | None, reason: str) -> InputError:
    """The error for a SPARQL text of ``shapes`` that rdflib cannot parse, naming the shape that holds it: the one
    ``query`` (the text as pySHACL sent it, its prefixes added) holds, or else one that uses ``prefix``. It was a
    traceback (pyparsing's ParseException, or rdflib's "Exception: Unknown namespace prefix")."""
    held = (
        (predicate, node, str(text))
        for predicate in _SPARQL_TEXTS
        for node, text in shapes.subject_objects(predicate)
        if (query is not None and str(text) in query) or (prefix is not None and f"{prefix}:" in str(text))
    )
    # the first by name of those that may be it, not the first the graph gives (another order each run)
    where = min((_sparql_text_of(shapes, *found) for found in held), default="a SPARQL query of the shapes")
    message = f"the SHACL shapes cannot be used: {where} does not parse: {reason}; fix the shapes and run again"
    return InputError(message)


def _sparql_text_of(shapes: Graph, predicate: URIRef, node: Node, text: str) -> str:
    """``the sh:select query of the shape kg:S``: the SPARQL text ``text``, ``node``'s ``predicate``, named by the
    shape that holds it (up from the constraint or target node, a blank node), or quoted when no IRI does."""
    climbed = _climb(shapes, node)
    owner = climbed[-1][0] if climbed else node
    named = f"of the shape {qname(shapes, owner)}" if isinstance(owner, URIRef) else _shortened(text)
    return f"the {qname(shapes, predicate)} query {named}"


def _refuse_fetching_sparql(shapes: Graph) -> None:
    """Refuse a SPARQL text of ``shapes`` with SERVICE: pySHACL refuses one in a constraint, but a SPARQL target's
    ran, in the Oxigraph copy that answers validation's queries, which fetched it (a traceback when it did not
    answer). Validation reads the graph only, as kgraph query does without --allow-network."""
    fetching = min(  # of several, the first by name, not the first the graph gives (another order each run)
        (
            _sparql_text_of(shapes, predicate, node, str(text))
            for predicate in _SPARQL_TEXTS
            for node, text in shapes.subject_objects(predicate)
            if any(t.kind == "word" and t.text.upper() == "SERVICE" for t in tokens(str(text)))
        ),
        default=None,
    )
    if fetching is not None:
        raise InputError(
            f"the SHACL shapes cannot be used: {fetching} holds a SERVICE, which would fetch over the network as "
            "the data is validated; fix the shapes and run again"
        )


def _shortened(text: str, limit: int = 60) -> str:
    """``text`` on one line, quoted, cut at ``limit`` characters."""
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 3] + "...")


def _check_each_sparql_text_once() -> None:
    """Have pySHACL check the text of a SHACL-SPARQL query (no MINUS, VALUES or SERVICE; a nested SELECT that
    selects ``$this``...) once, not once for each focus node it runs the query on.

    The check reads the whole text with five regular expressions, about 0.85 ms a node, and its answer depends on
    the text and on which variables may be bound before only. On a 100k-triple store that was 7.5 of the 36 s of
    ``kgraph validate`` (8,628 checks of two texts). A text that passes is remembered for the life of the process;
    one that fails is checked, and refused, each time. Nothing changes if pySHACL's helper is not where it is
    expected."""
    try:
        from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper  # noqa: PLC0415
    except ImportError:  # pragma: no cover - another layout of pySHACL's
        return
    original = getattr(SPARQLQueryHelper, "check_invalid_sparql", None)
    if original is None or getattr(original, "kgraph_once", False):
        return
    passed: set[tuple[str, bool, frozenset[str]]] = set()

    def check_once(self: object, sparql_text: str, valuenode: object = None, extravars: Any = None) -> bool:  # noqa: ANN401 - pySHACL's
        key = (sparql_text, valuenode is not None, frozenset(extravars or ()))
        if key not in passed:
            original(self, sparql_text, valuenode=valuenode, extravars=extravars)  # raises if it fails
            passed.add(key)
        return True

    check_once.kgraph_once = True  # type: ignore[attr-defined]
    SPARQLQueryHelper.check_invalid_sparql = check_once  # type: ignore[method-assign]


def _sort_key(result: ValidationResult) -> tuple[int, ValidationResult]:
    rank = {"Violation": 0, "Warning": 1, "Info": 2}.get(result.severity, 3)
    return (rank, result)


def _findings(
    report: Graph, shapes: Graph, data: Graph, labels: Mapping[Node, str] | None = None
) -> list[ValidationResult]:
    """The results of ``report``, sorted, once :func:`_drop_repeated_ranges` has taken out the repeated ones.
    ``labels`` (:func:`_labels_of`) gives the English label of the focus nodes it holds; others are looked up in
    ``data``."""
    _drop_repeated_ranges(report, shapes)
    return sorted(_results(report, shapes, data, labels), key=_sort_key)


#: A check a result is of, as :func:`_checks` compares them: ("class", C) or ("datatypes", the datatypes allowed).
_Check = tuple[str, object]

#: What makes two results one finding: focus node, property, value, severity and check.
_Same = tuple[Node | None, Node, Node | None, Node | None, _Check]


def _drop_repeated_ranges(report: Graph, shapes: Graph) -> None:
    """Take out of ``report`` each result of a range shape derived from the ontology that a hand-written shape
    repeats: same focus node, property, value and severity, and the same check (the same class; the same datatype,
    or ``sh:or`` of datatypes). One mistake, such as ``kg:value "4"^^xsd:int`` on a figure, was two violations,
    the figure's shape's and the range's; the hand-written one stays, since its message says what the value may
    be (the units, the figure kinds). The range's result stays wherever no hand-written shape says the same: on
    a node the hand-written shape does not target (a kg:value on a company), or for a check it does not make."""
    written: set[_Same] = set()
    derived: list[tuple[Node, _Same]] = []
    for node in report.subjects(SH.resultSeverity, None):
        shape = report.value(node, SH.sourceShape)
        checks = _checks(shape, report.value(node, SH.sourceConstraintComponent), shapes)
        if not checks:
            continue
        focus, value = report.value(node, SH.focusNode), report.value(node, SH.value)
        severity = report.value(node, SH.resultSeverity)
        properties = _properties(shapes.value(shape, SH.path), shapes)
        keys = [(focus, prop, value, severity, check) for prop in properties for check in checks]
        if is_derived_range(shape):
            derived.extend((node, key) for key in keys)
        else:
            written.update(keys)
    for node, key in derived:
        if key in written:
            report.remove((node, None, None))
            report.remove((None, SH.result, node))


def _checks(shape: Node | None, component: Node | None, shapes: Graph) -> set[_Check]:
    """What a result of ``component`` on the property shape ``shape`` checks of a value (see
    :func:`_drop_repeated_ranges`): its class (one for each sh:class) or the datatypes it allows; nothing for other
    constraints."""
    if shape is None:
        return set()
    if component == SH.ClassConstraintComponent:
        return {("class", cls) for cls in shapes.objects(shape, SH["class"])}
    datatypes: set[Node] = set()
    if component == SH.DatatypeConstraintComponent:
        datatypes.update(shapes.objects(shape, SH.datatype))
    elif component == SH.OrConstraintComponent:
        lists = list(shapes.objects(shape, SH["or"]))
        options = list(Collection(shapes, lists[0])) if len(lists) == 1 else []
        for option in options:
            said = {p for p in shapes.predicates(option) if p not in {RDF.type, SH.message, SH.name, SH.description}}
            found = list(shapes.objects(option, SH.datatype))
            if said != {SH.datatype} or len(found) != 1:
                return set()  # an alternative that checks more than a datatype
            datatypes.add(found[0])
    return {("datatypes", frozenset(datatypes))} if datatypes else set()


def _properties(path: Node | None, shapes: Graph) -> list[Node]:
    """The properties a result's path follows forwards: the path itself when it is one, or the properties among
    the alternatives of ``sh:alternativePath`` (``kg:figureOf|^kg:hasFigure`` is about kg:figureOf)."""
    if isinstance(path, URIRef):
        return [path]
    alternatives = shapes.value(path, SH.alternativePath) if path is not None else None
    if alternatives is None:
        return []
    return [option for option in Collection(shapes, alternatives) if isinstance(option, URIRef)]


def _results(
    report: Graph, shapes: Graph, data: Graph, labels: Mapping[Node, str] | None = None
) -> Iterator[ValidationResult]:
    """Every result, nested ``sh:detail`` results included; a result with details is replaced by them (they
    name the exact rule broken, where the parent only says "does not conform to shape X"). One graph of
    prefixes names the terms of them all (:func:`_names`: one for each result was 2-3% of a 1M run)."""
    names = _names()
    alike: dict[tuple[Node | None, ...], list[Node]] = {}
    for node in report.subjects(SH.resultSeverity, None):
        if (node, SH.detail, None) not in report:
            key = tuple(
                report.value(node, term) for term in (SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent)
            )
            alike.setdefault((*key, report.value(node, SH.value)), []).append(node)
    for (focus, shape, component, value), nodes in alike.items():
        broken = _broken_parameters(_constraint_name(component), shape, focus, value, (shapes, data))
        # One result for each value of the parameter that broke (pySHACL checks them one by one): each names its own.
        shares = (
            [broken[i : i + 1] for i in range(len(nodes))] if len(broken) == len(nodes) > 1 else [broken] * len(nodes)
        )
        for node, parameters in zip(nodes, shares, strict=True):
            yield _result(report, node, (shapes, data, names), labels, parameters)


#: The message of a result of a shape with several values of ``sh:class`` or ``sh:hasValue`` and no ``sh:message``,
#: from the focus node, the path and the values the result is about (:func:`_broken_parameters`).
_OWN_MESSAGES: dict[str, Callable[[str, str, str], str]] = {
    "class": lambda _focus, _path, classes: (
        f"Value does not have the classes {classes}" if " and " in classes else f"Value does not have class {classes}"
    ),
    "hasValue": lambda focus, path, values: (
        f"Node {focus}->{path} does not contain {values}" if path else f"Node {focus} is not {values}"
    ),
}


def _broken_parameters(
    name: str, shape: Node | None, focus: Node | None, value: Node | None, graphs: tuple[Graph, Graph]
) -> list[Node]:
    """The values of ``shape``'s parameter ``name`` (``sh:class``) that a result of it may be about, in a fixed
    order: all of them, but of several classes those ``value`` lacks, and of several ``sh:hasValue`` on a property
    those ``focus`` lacks. ``graphs``: the shapes and the data checked."""
    shapes, data = graphs
    every = sorted(shapes.objects(shape, SH[name]), key=lambda term: term.n3()) if shape is not None else []
    if len(every) < 2:
        return every
    if name == "class" and value is not None:
        held = set(data.objects(value, RDF.type))
        held |= {wider for kind in list(held) for wider in data.transitive_objects(kind, RDFS.subClassOf) if wider}
        broken = [kind for kind in every if kind not in held]
    elif name == "hasValue" and isinstance(path := shapes.value(shape, SH.path), URIRef) and focus is not None:
        broken = [wanted for wanted in every if (focus, path, wanted) not in data]
    else:
        broken = every
    return broken or every


def _result(
    report: Graph,
    node: Node,
    graphs: tuple[Graph, Graph, Graph],
    labels: Mapping[Node, str] | None,
    parameters: Sequence[Node] = (),
) -> ValidationResult:
    """The result ``node`` of ``report``; ``parameters``: the values of its shape's parameter it is about (of
    ``sh:class kg:A, kg:B``, the classes the value lacks), or all of them when it cannot be told."""
    shapes, data, names = graphs
    focus = report.value(node, SH.focusNode)
    path = report.value(node, SH.resultPath)
    component = report.value(node, SH.sourceConstraintComponent)
    shape = report.value(node, SH.sourceShape)
    value = report.value(node, SH.value)
    severity = report.value(node, SH.resultSeverity)
    messages = sorted(_named(str(m), names) for m in report.objects(node, SH.resultMessage))
    path_text = render_path(path, report, names) if path is not None else ""
    constraint_name = _constraint_name(component)
    parameter = parameters[0] if len(parameters) == 1 else None
    shown = ", ".join(filter(None, (_parameter(each, shapes, names) for each in parameters)))
    constraint = f"sh:{constraint_name}" + (f" {shown}" if shown else "")
    several = _several(parameters, names)
    fix = _fix(constraint_name, path_text or "the node", parameter, value, (shapes, names), several=several)
    own_fix = report.value(report.value(node, SH.sourceConstraint), KGSH.fix) if constraint_name == "sparql" else None
    if own_fix is not None:  # a SHACL-SPARQL constraint's kgsh:fix: what its query finds, it alone can say
        fix = str(own_fix)
    if constraint_name in _OWN_MESSAGES and shape is not None and shapes.value(shape, SH.message) is None:
        every = set(shapes.objects(shape, SH[constraint_name]))
        if len(every) > 1:  # pySHACL's message lists them all, in an order of its own, as if one would do
            own = _OWN_MESSAGES[constraint_name](_term(focus, names), path_text, several or _term(parameter, names))
            messages = [own]
            report.set((node, SH.resultMessage, Literal(own)))  # the report as RDF says the same
    if constraint_name == "maxCount" and isinstance(path, URIRef) and isinstance(focus, (URIRef, BNode)):
        head, semicolon, tail = fix.partition(";")
        fix = head + _the_values(data, focus, path, names) + semicolon + tail
    if constraint_name == "qualifiedMinCount" and isinstance(path, URIRef):
        fix += _untaken_languages(graphs, shape, focus, path)
    about = _domain_use(shapes, shape, focus, data) if constraint_name == "class" and path is None else None
    if about is not None:  # a domain's: the node states a property of another class's
        used, inverse = about
        report.add((node, KGSH.inverseProperty if inverse else KGSH.property, used))
        named, v = _term(used, names), _term(focus, names)
        given = f"the classes {several}" if several else f"the class {_term(parameter, names)}"
        fix = (
            f"remove the {named} that points at {v}, or give {v} {given}"
            if inverse
            else f"remove {named} from {v}, or give {v} {given}"
        )
    return ValidationResult(
        severity=local_name(severity) if severity else "Violation",
        focus=_term(focus, names),
        focus_label=_focus_label(data, focus, labels),
        path=path_text,
        constraint=constraint,
        message=" / ".join(messages),
        value=_term(value, names) if value is not None else "",
        fix=fix,
        shape=_term(shape, names) if isinstance(shape, URIRef) else "",
    )


def _languages_of(shapes: Graph, property_shape: Node) -> set[str]:
    """The languages the ``sh:languageIn`` of ``property_shape``'s ``sh:qualifiedValueShape`` lists, in lower case."""
    wanted = shapes.value(property_shape, SH.qualifiedValueShape)
    listed = shapes.value(wanted, SH.languageIn) if wanted is not None else None
    return {str(tag).lower() for tag in Collection(shapes, listed)} if listed is not None else set()


def _untaken_languages(graphs: tuple[Graph, Graph, Graph], shape: Node | None, focus: Node | None, path: URIRef) -> str:
    """For a value of some languages missing (``Needs a Chinese label``): the node's values on ``path`` tagged with
    a language no rule of the shapes takes (``"错误语言公司"@cn``), as a note for the fix, the
    language the rule asks for the likely meaning; "" if there are none, or the rule names no language. ``graphs``:
    the shapes, the data and the names, as :func:`_result` has them."""
    shapes, data, names = graphs
    if shape is None or focus is None:
        return ""
    asked = sorted(_languages_of(shapes, shape))
    if not asked:
        return ""
    # a language some rule of the shapes takes is one the user meant (a job title in Chinese alone is no typo)
    taken = {str(tag).lower() for listed in shapes.objects(None, SH.languageIn) for tag in Collection(shapes, listed)}
    untaken = sorted(
        (
            o
            for o in data.objects(focus, path)
            if isinstance(o, Literal) and o.language and o.language.lower() not in taken
        ),
        key=lambda o: (str(o), str(o.language).lower()),  # "Qx"@de before "Qx"@fr: not the graph's order, each run's
    )
    if not untaken:
        return ""
    said = ", ".join(_term(o, names) for o in untaken[:3])
    return f"; {said} has a language tag no rule takes (@{asked[0]} meant?)"


def _domain_use(shapes: Graph, shape: Node | None, focus: Node | None, data: Graph) -> tuple[URIRef, bool] | None:
    """The property whose use on ``focus`` brought it under ``shape``, a node shape whose ``sh:class`` failed
    there (a domain shape: ``sh:targetSubjectsOf kg:jobTitle ; sh:class kg:Person``): one of its
    ``sh:targetSubjectsOf`` that ``focus`` states, False; else one of its ``sh:targetObjectsOf`` of which it is the
    object, True. None for a shape with neither."""
    if shape is None or focus is None:
        return None
    for target, inverse in ((SH.targetSubjectsOf, False), (SH.targetObjectsOf, True)):
        for used in sorted(p for p in shapes.objects(shape, target) if isinstance(p, URIRef)):
            if (None, used, focus) in data if inverse else (focus, used, None) in data:
                return used, inverse
    return None


#: An IRI in a message, as pySHACL writes the values a SHACL-SPARQL constraint puts in it (``{?other}``).
_MESSAGE_IRI = re.compile(r"(?<!<)\bhttps?://[^\s<>\"'(){}|^`\\]+")


def _named(message: str, names: Graph) -> str:
    """``message`` with each IRI pySHACL put in it by its prefixed name, as the rest of the report names terms:
    ``succeeds kgr:gale1, which is not the same kind of thing (kg:Chip here, kg:AIModel there)``, where it gave
    ``https://w3id.org/kgraph/resource/gale1`` and ``https://w3id.org/kgraph/ontology#Chip``. An IRI with no
    prefix is written in ``<>``, as the report's other lines write it; a final ``.``, ``,``, ``;`` or ``:`` is the
    sentence's."""

    def shorten(found: re.Match[str]) -> str:
        iri = found.group().rstrip(".,;:")
        return qname(names, URIRef(iri)) + found.group()[len(iri) :]

    return _MESSAGE_IRI.sub(shorten, message)


def _constraint_name(component: Node | None) -> str:
    """``sh:MinCountConstraintComponent`` -> ``minCount`` (the parameter's name); ``SPARQL`` -> ``sparql``."""
    if component is None:
        return "constraint"
    name = local_name(component).removesuffix("ConstraintComponent")
    return name.lower() if name.isupper() else name[:1].lower() + name[1:]


def _parameter(parameter: Node | None, shapes: Graph, names: Graph) -> str:
    """A constraint's parameter as text: a term, an RDF list as ``(a, b)``, nothing for other blank nodes."""
    if parameter is None:
        return ""
    if isinstance(parameter, BNode):
        if (parameter, RDF.first, None) in shapes:
            return f"({_Lists(parameter, shapes, names)})"
        return ""
    return _term(parameter, names)


def _shape_term(node: Node, shapes: Graph, names: Graph, depth: int = 0) -> str:
    """A term of the shapes graph as text; a blank-node shape as its constraints, ``[sh:datatype xsd:decimal]``
    (``[...]`` below the first level), where it was ``(blank node)``: ``sh:or ((blank node), (blank node))`` did
    not say which alternatives a value failed."""
    if not isinstance(node, BNode):
        return _term(node, names)
    if depth > 0:
        return "[...]"
    if (node, RDF.first, None) in shapes:
        return "(" + ", ".join(_shape_term(item, shapes, names, depth + 1) for item in Collection(shapes, node)) + ")"
    said = sorted(
        f"{_term(p, names)} {_shape_term(o, shapes, names, depth + 1)}"
        for p, o in shapes.predicate_objects(node)
        if p not in {RDF.type, SH.message, SH.name, SH.description, RDFS.comment}
    )
    return f"[{'; '.join(said)}]"


def _names() -> Graph:
    """An empty graph whose prefixes name terms in reports: kgraph's, plus sh: and kgsh:."""
    names = Graph()
    _bind_shacl_prefixes(names)
    return names


def _fix(
    name: str, path: str, parameter: Node | None, value: Node | None, graphs: tuple[Graph, Graph], *, several: str = ""
) -> str:
    """What to do about a result of the constraint ``name``; ``several``: the values of its parameter it is about,
    when there are several (:func:`_several`), in place of ``parameter``."""
    shapes, names = graphs
    p = several or (_term(parameter, names) if parameter is not None else "")
    v = _term(value, names) if value is not None else "the value"
    if several and name == "class":
        return f"point {path} at something of the classes {p}, or give {v} those classes"
    if name == "class" and isinstance(value, Literal):  # a literal has no class to give it
        return f"point {path} at a {p}, an IRI, not the literal {v}"
    template = _FIXES.get(name)
    if template is None:
        return "change the data so that the message no longer applies (or, if the rule is wrong, the shape)"
    return template(path, p, v, _Lists(parameter, shapes, names))


def _the_values(data: Graph, focus: Node, path: URIRef, names: Graph) -> str:
    """The values of ``path`` on ``focus``, as a fix of too many of them names them (``kg:value 3,5`` is two
    values, which a fix that said only to remove others left to find): `` (now 3 and 5)``."""
    # each as a store holds it, once: memory keeps each spelling (1.5 and 1.50), a store one value of them
    held = ox.Store()
    for value in data.objects(focus, path):
        held.add(_quad((focus, path, value)))
    found = sorted((from_ox(quad.object) for quad in held), key=term_key)
    values = list(dict.fromkeys(_term(value, names) for value in found))
    if len(values) < 2:
        return ""
    if len(values) > _VALUES_SHOWN:
        values = [*values[: _VALUES_SHOWN - 1], f"{len(values) - _VALUES_SHOWN + 1} more"]
    return " (now " + ", ".join(values[:-1]) + " and " + values[-1] + ")"


#: The most values of a property a fix of too many of them names.
_VALUES_SHOWN = 5


def _several(parameters: Sequence[Node], names: Graph) -> str:
    """Several values of a parameter a result is about, as a fix names them (``kg:Chip and kg:Person``); "" for
    one or none."""
    if len(parameters) < 2:
        return ""
    terms = [_term(each, names) for each in parameters]
    return ", ".join(terms[:-1]) + " and " + terms[-1]


@dataclass(frozen=True)
class _Lists:
    """Renders an RDF list parameter (of sh:in, sh:languageIn) when a fix needs it."""

    node: Node | None
    shapes: Graph
    names: Graph

    def __str__(self) -> str:
        if self.node is None:
            return ""
        return ", ".join(_shape_term(item, self.shapes, self.names) for item in Collection(self.shapes, self.node))


_Fix = Callable[[str, str, str, _Lists], str]
_FIXES: dict[str, _Fix] = {
    "minCount": lambda path, p, v, _l: f"add {path} (at least {p} value{'s' if p != '1' else ''})",
    "maxCount": lambda path, p, v, _l: f"keep at most {p} {path} value{'s' if p != '1' else ''}; remove others",
    "class": lambda path, p, v, _l: f"point {path} at a {p}, or give {v} the class {p}",
    "datatype": lambda path, p, v, _l: f"write {path} as a {p} literal (now {v})",
    "nodeKind": lambda path, p, v, _l: f"make {path} a {p} (now {v})",
    "pattern": lambda path, p, v, _l: f"make {path} match the pattern {p} (now {v})",
    "in": lambda path, p, v, items: f"use one of {items} for {path} (now {v})",
    "languageIn": lambda path, p, v, items: f"tag {path} with one of the languages {items} (now {v})",
    "uniqueLang": lambda path, p, v, _l: f"keep one {path} value per language; merge or remove the others",
    "hasValue": lambda path, p, v, _l: f"add {path} {p}",
    "minInclusive": lambda path, p, v, _l: f"make {path} at least {p} (now {v})",
    "maxInclusive": lambda path, p, v, _l: f"make {path} at most {p} (now {v})",
    "minExclusive": lambda path, p, v, _l: f"make {path} more than {p} (now {v})",
    "maxExclusive": lambda path, p, v, _l: f"make {path} less than {p} (now {v})",
    "minLength": lambda path, p, v, _l: f"make {path} at least {p} characters long (now {v})",
    "maxLength": lambda path, p, v, _l: f"make {path} at most {p} characters long (now {v})",
    "closed": lambda path, p, v, _l: f"remove {path}: the shape does not allow it here",
    "qualifiedMinCount": lambda path, p, v, _l: f"add {path} values of the kind the message asks for (at least {p})",
    "qualifiedMaxCount": lambda path, p, v, _l: (
        f"keep at most {p} {path} values of that kind; move or remove the others"
    ),
    "lessThanOrEquals": lambda path, p, v, _l: f"make {path} at most the value of {p} (now {v})",
    "lessThan": lambda path, p, v, _l: f"make {path} less than the value of {p} (now {v})",
    "equals": lambda path, p, v, _l: f"make {path} and {p} hold the same values",
    "disjoint": lambda path, p, v, _l: f"remove {v} from {path} or from {p}: they must not share values",
    "node": lambda path, p, v, _l: f"make {v} conform to the shape {p}",
    "sparql": lambda path, p, v, _l: (
        "change the data so that the message no longer applies (or, if the rule is wrong, the shape)"
    ),
    "or": lambda path, p, v, _l: (
        "change the node so that one of the alternatives of the rule's sh:or holds"
        if path == "the node"  # its value is the node itself: "(now kgf:before)" said nothing
        else f"make {path} fit one of the alternatives of the rule's sh:or"
        + ("" if v == "the value" else f" (now {v})")
    ),
}


def _term(node: Node | None, graph: Graph) -> str:
    """A term as a report writes it: a prefixed name; a literal as Turtle writes it, so that a string
    (``"40"``) or a date (``"2025-13-01"^^xsd:date``) cannot pass for the number a shape asks for (it read
    ``40``)."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return qname(graph, node)
    if isinstance(node, Literal):
        return _literal(node, graph)
    return "(blank node)"


def _literal(node: Literal, graph: Graph) -> str:
    """``node`` as Turtle writes it: bare only in a form Turtle reads back as its datatype (``"4.5"^^xsd:double``
    written bare would read as a decimal, ``"4"^^xsd:decimal`` as an integer); its language tag as read, in small
    letters in memory as on a store (``"x"@EN-GB`` as ``"x"@en-gb``), so a report is the same on both."""
    bare = BARE_FORMS.get(str(node.datatype)) if node.datatype is not None else None
    if bare is not None and bare.fullmatch(str(node)) and not node.ill_typed:
        return str(node)
    quoted = '"' + str(node).replace("\\", "\\\\").replace('"', '\\"') + '"'
    if node.language is not None:
        return f"{quoted}@{node.language}"
    if node.datatype is None or node.datatype == XSD.string:
        return quoted
    return f"{quoted}^^{qname(graph, node.datatype)}"


def _english_label(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    return _first_english(graph.objects(node, RDFS.label))


def _focus_label(data: Graph, focus: Node | None, labels: Mapping[Node, str] | None) -> str:
    """The English label of ``focus``: from ``labels`` (:func:`_labels_of`) if it holds it, else from ``data``."""
    found = labels.get(focus) if labels is not None and focus is not None else None
    return _english_label(data, focus) if found is None else found


def _labels_of(table: Mapping[Node, Iterable[Node]] | None, nodes: Iterable[Node]) -> dict[Node, str] | None:
    """The English label (:func:`_english_label`) of each of ``nodes``, from ``table``, every ``rdfs:label`` of the
    data by subject (the scope's, read once); None without a table. The report reads the labels of its focus nodes
    there: looked up in the on-disk copy for each result, they took about 4 s of a 1M run (32,199 results)."""
    if table is None:
        return None
    return {node: _first_english(table.get(node, ())) for node in nodes}


def _first_english(labels: Iterable[Node]) -> str:
    """The first, in text order, of ``labels`` tagged English (:func:`_is_english`); "" when none is."""
    return min((str(label) for label in labels if _is_english(label)), default="")


def _is_english(label: Node) -> bool:
    """Whether ``label`` is tagged English: its primary subtag is ``en`` (``en-GB`` is, ``enx`` is not), as
    :func:`kgraph.names.find`, ``sh:languageIn ("en")`` and SPARQL's ``langMatches`` take it."""
    return isinstance(label, Literal) and primary_language(label.language) == "en"
