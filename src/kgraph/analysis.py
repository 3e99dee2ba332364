"""The projection of the RDF graph onto a networkx graph of entities, shared by every analysis and the viewer.

The RDF graph stays the source of truth. :func:`project` keeps only entity-to-entity links (relations that are
``kg:relatedTo`` or one of its sub-properties, between two instances of ``kg:Entity``): literals, figures,
units and source sections become node and edge attributes, not nodes. rdflib's own networkx converters
(``rdflib.extras.external_graph_libs``) are not used because they turn every term, literals included, into a
node and keep no labels, classes or provenance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from kgraph.explore import label, qname
from kgraph.store import LoadedGraph
from kgraph.vocab import KG, SCHEMA

#: The most general relation between entities; every relation kept by the projection is a sub-property of it.
RELATED_TO = KG.relatedTo


@dataclass(frozen=True)
class NodeInfo:
    """What the projection stores on a node (as attributes of the same names)."""

    iri: str
    qname: str
    label_en: str
    label_zh: str
    cls: str  # the most specific asserted kg: class, as a prefixed name (kg:Chip)
    cls_label_en: str
    cls_label_zh: str
    description_en: str
    description_zh: str


def relations(graph: Graph) -> list[URIRef]:
    """Every property that is ``kg:relatedTo`` or a sub-property of it (transitively), sorted; not relatedTo."""
    found = {p for p in graph.transitive_subjects(RDFS.subPropertyOf, RELATED_TO) if isinstance(p, URIRef)}
    found.discard(RELATED_TO)
    return sorted(found)


def entity_class(loaded: LoadedGraph, node: Node) -> URIRef:
    """The most specific asserted ``kg:`` class of ``node`` (the first in IRI order if several), else kg:Entity."""
    graph = loaded.graph
    asserted = sorted(
        c
        for c in graph.objects(node, RDF.type)
        if isinstance(c, URIRef) and c.startswith(str(KG)) and loaded.is_asserted((node, RDF.type, c))
    )
    supers = {c: set(graph.transitive_objects(c, RDFS.subClassOf)) - {c} for c in asserted}
    specific = [c for c in asserted if not any(c in supers[other] for other in asserted if other != c)]
    return (specific or [KG.Entity])[0]


def node_info(loaded: LoadedGraph, node: URIRef) -> NodeInfo:
    """The attributes :func:`project` stores on ``node``."""
    graph = loaded.graph
    cls = entity_class(loaded, node)
    return NodeInfo(
        iri=str(node),
        qname=qname(graph, node),
        label_en=label(graph, node, "en"),
        label_zh=label(graph, node, "zh"),
        cls=qname(graph, cls),
        cls_label_en=label(graph, cls, "en"),
        cls_label_zh=label(graph, cls, "zh"),
        description_en=_text(graph, node, SCHEMA.description, "en"),
        description_zh=_text(graph, node, SCHEMA.description, "zh"),
    )


def _text(graph: Graph, node: Node, predicate: URIRef, lang: str) -> str:
    values = sorted(str(v) for v in graph.objects(node, predicate) if getattr(v, "language", None) == lang)
    return values[0] if values else ""


def project(
    loaded: LoadedGraph,
    *,
    keep_relations: Iterable[URIRef] | None = None,
    keep_classes: Iterable[URIRef] | None = None,
    include_inferred: bool = False,
) -> nx.MultiDiGraph:
    """Project the entities and the relations between them onto a ``networkx.MultiDiGraph``.

    Nodes are keyed by IRI (a string) and carry the fields of :class:`NodeInfo`. Edges are keyed by the relation's
    prefixed name (``kg:uses``) and carry ``relation`` (IRI), ``relation_qname``, ``label_en``, ``label_zh``,
    ``sections`` (the IRIs of the source sections stating it, sorted, joined by spaces) and ``inferred``.

    - ``keep_relations``: only these properties (default: every sub-property of ``kg:relatedTo``).
    - ``keep_classes``: only entities that are instances of one of these classes (sub-classes included, since
      the loaded graph holds the inferred types).
    - ``include_inferred``: also the inferred relations (inverses, super-properties, rules). Default: only what
      the data states, so each link appears once, in the direction it was stated.

    Nodes and edges are added in sorted order, so two projections of the same graph are identical.
    """
    graph = loaded.graph
    wanted = set(keep_relations) if keep_relations is not None else set(relations(graph))
    classes = set(keep_classes) if keep_classes is not None else {KG.Entity}
    entities = sorted(
        {s for c in classes for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)},
    )
    members = set(entities)
    projection = nx.MultiDiGraph()
    for node in entities:
        projection.add_node(str(node), **vars(node_info(loaded, node)))
    edges: list[tuple[URIRef, URIRef, URIRef, bool]] = []
    for prop in sorted(wanted):
        for subject, obj in graph.subject_objects(prop):
            if subject not in members or obj not in members:
                continue
            assert isinstance(subject, URIRef) and isinstance(obj, URIRef)  # noqa: S101 - members are IRIs
            inferred = not loaded.is_asserted((subject, prop, obj))
            if inferred and not include_inferred:
                continue
            edges.append((subject, obj, prop, inferred))
    for subject, obj, prop, inferred in sorted(edges):
        sections = "" if inferred else " ".join(str(g) for g in loaded.graphs_of((subject, prop, obj)))
        projection.add_edge(
            str(subject),
            str(obj),
            key=qname(graph, prop),
            relation=str(prop),
            relation_qname=qname(graph, prop),
            label_en=label(graph, prop, "en"),
            label_zh=label(graph, prop, "zh"),
            sections=sections,
            inferred=inferred,
        )
    return projection
