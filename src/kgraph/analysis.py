"""The projection of the RDF graph onto a networkx graph of entities, shared by every analysis and the viewer.

The RDF graph stays the source of truth. :func:`project` keeps only entity-to-entity links (relations that are
``kg:relatedTo`` or one of its sub-properties, between two instances of ``kg:Entity``): literals, figures,
units and source sections become node and edge attributes, not nodes. rdflib's own networkx converters
(``rdflib.extras.external_graph_libs``) are not used because they turn every term, literals included, into a
node and keep no labels, classes or provenance.

On top of it: shortest paths and neighbourhoods (:func:`shortest_paths`, :func:`neighbourhood`), successions
(:func:`lineage`), centrality (:func:`centrality`, :func:`ranking`), communities and co-usage
(:func:`communities`, :func:`community_map`, :func:`co_usage`). They use networkx's algorithms and rdflib's
graph walks; where they do not, the function says why.
"""

from __future__ import annotations

import difflib
import itertools
import json
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from kgraph import cache, louvain
from kgraph._compat import query_text
from kgraph.analysis_choices import DIRECTIONS, MAX_DEPTH, MEASURES
from kgraph.errors import InputError, NoAnswerError
from kgraph.explore import describe, with_period
from kgraph.export.property_graph import preferred_directions
from kgraph.inference import Schema
from kgraph.names import (
    close_terms,
    find,
    handle,
    in_a_message,
    label,
    label_or_english,
    local_name,
    match_term,
    pick_text,
    primary_language,
    qname,
    resolve_class,
    texts,
)
from kgraph.store import LoadedGraph
from kgraph.text import shell_words
from kgraph.vocab import INFERRED_GRAPH, KG, SCHEMA

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
    """``kg:relatedTo`` and every sub-property of it (transitively), sorted. A stated ``kg:relatedTo`` (data that
    says two entities are related, and no more) is a relation like any other; the ones every relation implies are
    inferred, and left out even with the inferred relations (:func:`_implied`)."""
    found = {p for p in graph.transitive_subjects(RDFS.subPropertyOf, RELATED_TO) if isinstance(p, URIRef)}
    return sorted(found | {RELATED_TO})


def _implied(predicate: Node, graphs: Iterable[Node]) -> bool:
    """Whether a link is a ``kg:relatedTo`` that some other relation implies: in the inferred graph (which holds no
    stated triple), so it would double every relation."""
    return predicate == RELATED_TO and INFERRED_GRAPH in graphs


def entity_class(loaded: LoadedGraph, node: Node) -> URIRef:
    """The most specific asserted ``kg:`` class of ``node`` (the first in IRI order if several), else kg:Entity."""
    return _Reader(loaded).entity_class(loaded.statements(node))


def node_info(loaded: LoadedGraph, node: URIRef) -> NodeInfo:
    """The attributes :func:`project` stores on ``node``."""
    return _Reader(loaded).node_info(node, loaded.statements(node))


#: What :meth:`LoadedGraph.statements` returns: each (predicate, object) of a node with the graphs holding it.
_Held = dict[tuple[Node, Node], list[URIRef]]
#: A node's labels and descriptions as ``(predicate, text, language tag or None)``.
_Texts = list[tuple[Node, str, str | None]]
#: The relations of a projection: (subject, object, property) -> the graphs stating it, all as the texts of IRIs.
_Links = dict[tuple[str, str, str], list[str]]
#: The predicates whose texts a node shows.
_SHOWN = (RDFS.label, SCHEMA.description)
#: The same, and the rest of what :func:`project` compares with texts (an rdflib term equals no plain str).
_LABEL, _DESCRIPTION, _RELATED_TO, _INFERRED, _KG = map(str, (*_SHOWN, RELATED_TO, INFERRED_GRAPH, KG))


class _Reader:
    """Reads a node's attributes from its statements (one look-up per node, which a store answers natively),
    keeping what every node shares: the classes' labels and super-classes."""

    def __init__(self, loaded: LoadedGraph) -> None:
        self.graph = loaded.graph
        self.supers: dict[URIRef, set[Node | None]] = {}
        self.class_labels: dict[URIRef, tuple[str, str, str]] = {}
        #: :meth:`class_of` each set of asserted classes (a few sets, many entities).
        self.by_classes: dict[frozenset[str], URIRef] = {}

    def entity_class(self, held: _Held) -> URIRef:
        return self.most_specific(
            o
            for (p, o), graphs in held.items()
            if p == RDF.type and isinstance(o, URIRef) and o.startswith(str(KG)) and INFERRED_GRAPH not in graphs
        )

    def most_specific(self, classes: Iterable[URIRef]) -> URIRef:
        """Of an entity's asserted ``kg:`` classes (each once), the most specific (the first in IRI order if
        several), else kg:Entity."""
        asserted = sorted(classes)
        supers = {c: self._supers(c) for c in asserted}
        specific = [c for c in asserted if not any(c in supers[other] for other in asserted if other != c)]
        return (specific or [KG.Entity])[0]

    def class_of(self, classes: Collection[str]) -> URIRef:
        """:meth:`most_specific` of asserted classes given as texts, worked out once per set of them."""
        key = frozenset(classes)
        found = self.by_classes.get(key)
        if found is None:
            found = self.by_classes[key] = self.most_specific(URIRef(c) for c in key)
        return found

    def _supers(self, cls: URIRef) -> set[Node | None]:
        if cls not in self.supers:
            self.supers[cls] = set(self.graph.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        return self.supers[cls]

    def _class_info(self, cls: URIRef) -> tuple[str, str, str]:
        """The class's prefixed name and English and Chinese labels."""
        graph = self.graph
        if cls not in self.class_labels:
            self.class_labels[cls] = (qname(graph, cls), label(graph, cls, "en"), label(graph, cls, "zh"))
        return self.class_labels[cls]

    def node_info(self, node: URIRef, held: _Held, texts: _Texts | None = None) -> NodeInfo:
        """What the projection shows of ``node``: its class from ``held``, its labels and descriptions from
        ``texts`` (by default from ``held`` too)."""
        if texts is None:
            texts = [(p, str(o), o.language) for p, o in held if p in _SHOWN and isinstance(o, Literal)]
        labels = [(text, tag) for p, text, tag in texts if p == RDFS.label]
        descriptions = [(text, tag) for p, text, tag in texts if p == SCHEMA.description]
        return self._info(str(node), node, self._class_info(self.entity_class(held)), labels, descriptions)

    def text_info(self, iri: str, classes: Collection[str], texts: Iterable[tuple[str, str, str | None]]) -> NodeInfo:
        """:meth:`node_info` from texts (:meth:`LoadedGraph.iri_texts`): ``classes``, the entity's asserted
        ``kg:`` classes; ``texts``, its labels and descriptions as ``(predicate, text, tag)``. Its ``iri`` is the
        object given."""
        labels, descriptions = [], []
        for p, text, tag in texts:
            if p == _LABEL:
                labels.append((text, tag))
            elif p == _DESCRIPTION:
                descriptions.append((text, tag))
        return self._info(iri, URIRef(iri), self._class_info(self.class_of(classes)), labels, descriptions)

    def _info(
        self,
        iri: str,
        node: URIRef,
        cls: tuple[str, str, str],
        labels: list[tuple[str, str | None]],
        descriptions: list[tuple[str, str | None]],
    ) -> NodeInfo:
        cls_qname, cls_en, cls_zh = cls
        node_qname = qname(self.graph, node)
        label_en, label_zh = pick_text(labels, "en"), pick_text(labels, "zh")
        return NodeInfo(
            iri=iri,
            qname=node_qname,
            label_en=node_qname if label_en is None else label_en,
            label_zh=node_qname if label_zh is None else label_zh,
            cls=cls_qname,
            cls_label_en=cls_en,
            cls_label_zh=cls_zh,
            description_en=_text(descriptions, "en"),
            description_zh=_text(descriptions, "zh"),
        )


def _node_infos(loaded: LoadedGraph, nodes: Collection[URIRef]) -> dict[URIRef, NodeInfo]:
    """:func:`node_info` of each of ``nodes``, from what they show read for all of them at once (:func:`_shown`)."""
    held, texts = _shown(loaded, nodes)
    reader = _Reader(loaded)
    return {node: reader.node_info(node, held[node], texts[node]) for node in nodes}


def _shown(loaded: LoadedGraph, nodes: Collection[Node]) -> tuple[dict[Node, _Held], dict[Node, _Texts]]:
    """The asserted classes of ``nodes`` and their labels and descriptions (as texts: on a store, no rdflib literal
    is made for them), each node with an entry, for every node at once: a store selects these triples in a query
    per thousand nodes, where a look-up per node would read all of its triples (inferred types and relations
    included)."""
    held = _held_by_subject(loaded.quads_with([RDF.type], inferred=False, subjects=nodes), nodes)
    texts: dict[Node, _Texts] = {node: [] for node in nodes}
    for s, shown, text, tag in loaded.texts_with(_SHOWN, subjects=nodes):
        if s in texts:
            texts[s].append((shown, text, tag))
    for node in nodes:
        held.setdefault(node, {})  # an entity with no class of its own
    return held, texts


def _text(values: Iterable[tuple[str, str | None]], lang: str) -> str:
    """The least text tagged ``lang`` (``en`` takes ``en-GB`` and ``EN`` too, as labels do), else ""."""
    found = sorted(text for text, tag in values if primary_language(tag) == lang)
    return found[0] if found else ""


def project(
    loaded: LoadedGraph,
    *,
    keep_relations: Iterable[URIRef | str] | None = None,
    keep_classes: Iterable[URIRef | str] | None = None,
    include_inferred: bool = False,
) -> nx.MultiDiGraph:
    """Project the entities and the relations between them onto a ``networkx.MultiDiGraph``.

    Nodes are keyed by IRI (a string) and carry the fields of :class:`NodeInfo`. Edges are keyed by the relation's
    prefixed name (``kg:uses``) and carry ``relation`` (IRI), ``relation_qname``, ``label_en``, ``label_zh``,
    ``sections`` (the IRIs of the source sections stating it, sorted, joined by spaces) and ``inferred``.

    - ``keep_relations``: only these properties (default: every sub-property of ``kg:relatedTo``), each a
      ``URIRef`` or a name (``uses``, ``kg:uses``, a label; see :func:`resolve_relation`).
    - ``keep_classes``: only entities that are instances of one of these classes (sub-classes included, since
      the loaded graph holds the inferred types), each a ``URIRef`` or a name (``Chip``; see
      :func:`kgraph.names.resolve_class`).
    - ``include_inferred``: also the inferred relations (inverses, super-properties, rules). Default: only what
      the data states, so each link appears once, in the direction it was stated.

    Nodes and edges are added in sorted order, so two projections of the same graph are identical.
    """
    wanted, classes = _kept(loaded, keep_relations, keep_classes)
    projection = nx.MultiDiGraph()
    # The entities first; then the relations, read once the entities are made. Everything is read as text (no
    # rdflib term made, none compared), and each entity's IRI is one str: its key, its ``iri`` and every edge's end.
    keys = _add_entities(projection, loaded, classes)
    relation_keys = {str(p): str(p) for p in wanted}
    graph_names: dict[str, str] = {}
    links: _Links = {}
    for s, p, o, g in loaded.iri_links(wanted, inferred=include_inferred):
        subject, obj = keys.get(s), keys.get(o)
        if subject is not None and obj is not None and not (p == _RELATED_TO and g == _INFERRED):  # see _implied
            name = graph_names.get(g) or graph_names.setdefault(g, g)
            links.setdefault((subject, obj, relation_keys[p]), []).append(name)
    del keys
    _add_links(projection, loaded.graph, links)
    return projection


def _add_entities(projection: nx.MultiDiGraph, loaded: LoadedGraph, classes: Iterable[URIRef]) -> dict[str, str]:
    """Add the instances of ``classes`` to ``projection`` in the order of their IRIs, as :func:`_add_nodes` does
    but from texts (:meth:`LoadedGraph.iri_links`, :meth:`LoadedGraph.iri_texts`), and return each one's IRI ->
    the same text, the one object the projection holds for it."""
    members = loaded.instances_of(classes)
    asserted = _asserted_classes(loaded, members)
    texts: dict[str, list[tuple[str, str, str | None]]] = {}
    for s, p, text, tag in loaded.iri_texts(_SHOWN):
        if s in members:
            texts.setdefault(s, []).append((p, text, tag))
    reader = _Reader(loaded)
    keys: dict[str, str] = {}
    for iri in sorted(members):  # their statements freed as they go
        keys[iri] = iri
        projection.add_node(iri, **vars(reader.text_info(iri, asserted.pop(iri, ()), texts.pop(iri, ()))))
    return keys


#: The customer-product pairs of :func:`co_usage`: an organization that uses a product it does not develop (IRIs
#: only): AWS using Graviton is no customer of it, as the rule that infers kg:customerOf has it. The product's
#: class is a FILTER EXISTS: rdflib runs the patterns with the most terms given first, and so joined both classes'
#: instances before kg:uses, every organization with every product (over 60 s at 100k triples).
_CUSTOMER_PRODUCT = f"""SELECT ?customer ?product WHERE {{
  ?customer a <{KG.Organization}> .
  ?customer <{KG.uses}> ?product .
  FILTER (isIRI(?customer) && isIRI(?product))
  FILTER EXISTS {{ ?product a <{KG.Product}> }}
  FILTER NOT EXISTS {{ ?product <{KG.developedBy}> ?customer }}
}}"""


def _kept(
    loaded: LoadedGraph,
    keep_relations: Iterable[URIRef | str] | None,
    keep_classes: Iterable[URIRef | str] | None,
) -> tuple[set[URIRef], set[URIRef]]:
    """The relations and classes a projection keeps: those given, else every relation and kg:Entity. A name given
    (``"uses"``, ``"Chip"``) is resolved (:func:`resolve_relation`, :func:`kgraph.names.resolve_class`): as a
    term it matched nothing, and the projection was empty without a word."""
    wanted = (
        {_relation(loaded, p) for p in _several(keep_relations)}
        if keep_relations is not None
        else set(relations(loaded.graph))
    )
    return wanted, set(_classes(loaded, keep_classes)) if keep_classes is not None else {KG.Entity}


def _several(given: URIRef | str | Iterable[URIRef | str]) -> list[URIRef | str]:
    """``given`` as a list: one term or name (a ``str`` is one, not a list of its letters), or several."""
    return [given] if isinstance(given, str) else list(given)


def _relation(loaded: LoadedGraph, given: URIRef | str) -> URIRef:
    return given if isinstance(given, URIRef) else resolve_relation(loaded, given)


def _classes(loaded: LoadedGraph, given: URIRef | str | Iterable[URIRef | str]) -> list[URIRef]:
    """The classes ``given``: each a ``URIRef`` as it is, or a name (``Chip``, ``kg:Chip``, a label) resolved as
    :func:`kgraph.names.resolve_class` does (InputError for no class)."""
    return [c if isinstance(c, URIRef) else resolve_class(loaded, c) for c in _several(given)]


def project_around(
    loaded: LoadedGraph,
    centre: URIRef,
    depth: int,
    *,
    keep_relations: Iterable[URIRef | str] | None = None,
    keep_classes: Iterable[URIRef | str] | None = None,
    include_inferred: bool = False,
) -> nx.MultiDiGraph:
    """The part of :func:`project` within ``depth`` steps of ``centre`` (in either direction), found from the
    centre outwards: what :func:`neighbourhood` needs, without projecting a large store whole.

    It holds every entity within ``depth`` steps and every relation of the entities nearer than that, with the
    same attributes, added in the same sorted order as :func:`project`; so a breadth-first search from the
    centre, up to ``depth`` steps in any direction, meets the same entities in the same order as on the whole
    projection (the relations between two entities both ``depth`` steps away are left out: no such search
    follows them). Empty when ``centre`` is not one of the entities.
    """
    walk = _Walk(
        loaded, centre, keep_relations=keep_relations, keep_classes=keep_classes, include_inferred=include_inferred
    )
    if not walk.member(centre):
        return nx.MultiDiGraph()
    for _step in range(depth):
        if not walk.step():  # nothing new reached: further steps would find nothing (--depth may be huge)
            break
    return walk.projection()


#: The most entities :func:`project_for_path` walks to before it leaves the search to the whole projection.
PATH_WALK_LIMIT = 20_000


class WalkTooFar(Exception):
    """:func:`project_for_path` walked to more than :data:`PATH_WALK_LIMIT` entities before its part held the
    shortest paths (two entities far apart on a large graph, or no path and neither walk ended)."""

    def __init__(self, reached: int) -> None:
        self.reached = reached
        super().__init__(f"the walks reached {reached:,} entities, more than {PATH_WALK_LIMIT:,}")


def project_for_path(
    loaded: LoadedGraph,
    source: URIRef,
    target: URIRef,
    *,
    directed: bool = False,
    keep_relations: Iterable[URIRef | str] | None = None,
    include_inferred: bool = False,
    avoid: Iterable[URIRef] = (),
) -> nx.MultiDiGraph | None:
    """The part of :func:`project` (without the entities of ``avoid``) that holds every shortest path from
    ``source`` to ``target``, found by walking out from both, one step at a time, until the links found hold a
    path no longer than the steps walked from both ends together. When ``directed``, the walk from ``source``
    follows the links as stated (out of each entity) and the walk from ``target`` against them (into each
    entity); else both follow the links either way.

    Why that is enough: after ``a`` steps from ``source`` and ``b`` from ``target``, the links found are all
    those of the entities nearer than ``a`` steps to ``source`` or nearer than ``b`` steps to ``target``
    (``directed``: the links out of the entities nearer than ``a`` steps along the links from ``source``, and
    those into the entities nearer than ``b`` steps along the links to ``target``). A path of length L <= a + b,
    shortest in the whole projection, has each link's first entity within ``i`` steps of ``source`` (i < a) or
    its second within L - i - 1 steps of ``target`` (< b), along the path: the link is one the walk from that
    end found (``directed``: out of its first entity, or into its second). Every shortest path is there, and
    none shorter can hide. So :func:`shortest_paths` gives the same answer on this part as on the whole
    projection. A walk that ends has found every link it follows of every entity it can reach from its end (as
    stated or against, when ``directed``), so every path from (or to) that end: the answer is exact then too
    (no path, when that is what it shows). When ``directed`` and there is no path, that is how the search ends:
    the entities ``source`` leads to, or those that lead to ``target``, are often few.

    None when ``source``, ``target`` or one of ``avoid`` is not an entity (the caller's whole projection says
    so). Raises :class:`WalkTooFar` when the walks pass :data:`PATH_WALK_LIMIT` entities first (two entities far
    apart on a large graph): then the whole projection is the cheaper way.
    """
    avoided = set(avoid)
    forward, backward = (
        _Walk(
            loaded,
            end,
            keep_relations=keep_relations,
            include_inferred=include_inferred,
            exclude=avoided,
            direction=way if directed else "both",
        )
        for end, way in ((source, "out"), (target, "in"))
    )
    backward.membership = forward.membership  # one look-up per entity for both
    graph = loaded.graph
    if not (forward.member(source) and forward.member(target) and all(_is_a(graph, n, {KG.Entity}) for n in avoided)):
        return None
    while True:
        length = _distance(itertools.chain(forward.links, backward.links), source, target, directed)
        if length is not None and length <= forward.depth + backward.depth:
            break
        walk = forward if len(forward.frontier) <= len(backward.frontier) else backward
        if not walk.step():
            break  # it has found every link of every entity linked to its end: the answer is exact
        reached = len(forward.reached) + len(backward.reached)
        if reached > PATH_WALK_LIMIT:
            raise WalkTooFar(reached)
    links = {**backward.links, **forward.links}
    return _projection_of(loaded, forward.reached | backward.reached, links, {**backward.held, **forward.held})


def _distance(links: Iterable[tuple[Node, Node, Node]], source: Node, target: Node, directed: bool) -> int | None:
    """The fewest of ``links`` from ``source`` to ``target`` (as stated when ``directed``), None for no path."""
    ahead: dict[Node, set[Node]] = {}
    for s, o, _p in links:
        ahead.setdefault(s, set()).add(o)
        if not directed:
            ahead.setdefault(o, set()).add(s)
    if target == source:
        return 0
    seen: set[Node] = {source}
    layer: list[Node] = [source]
    steps = 0
    while layer:
        steps += 1
        following = []
        for node in layer:
            for other in ahead.get(node, ()):
                if other == target:
                    return steps
                if other not in seen:
                    seen.add(other)
                    following.append(other)
        layer = following
    return None


def _projection_of(
    loaded: LoadedGraph,
    reached: Iterable[Node],
    links: dict[tuple[Node, Node, Node], list[URIRef]],
    held: dict[Node, _Held],
) -> nx.MultiDiGraph:
    """The projection of the entities ``reached`` and the ``links`` between them, nodes and edges in sorted
    order; ``held``: the statements already read, by entity (the others are looked up), emptied as the nodes
    are made so that what they read is freed as it goes."""
    projection = nx.MultiDiGraph()
    keys = _add_nodes(projection, loaded, reached, held)
    keyed: _Links = {}
    relation_keys: dict[Node, str] = {}
    graph_names: dict[URIRef, str] = {}
    for (s, o, p), graphs in links.items():
        subject, obj = keys.get(s), keys.get(o)
        relation = relation_keys.get(p) or relation_keys.setdefault(p, str(p))
        names = [graph_names.get(g) or graph_names.setdefault(g, str(g)) for g in graphs]  # one str per graph
        keyed[str(s) if subject is None else subject, str(o) if obj is None else obj, relation] = names
    _add_links(projection, loaded.graph, keyed)
    return projection


def _add_nodes(
    projection: nx.MultiDiGraph,
    loaded: LoadedGraph,
    reached: Iterable[Node],
    held: dict[Node, _Held],
) -> dict[Node, str]:
    """Add the entities ``reached`` (the IRIs among them) to ``projection`` in sorted order, emptying ``held`` as
    it goes (see :func:`_projection_of`); return each entity's key in the projection. An entity's key is one str,
    its ``iri`` attribute too; its edges are to be added with the same object (as :func:`project` does), not an
    equal copy per edge: a copy costs about 100 bytes a link end."""
    reader = _Reader(loaded)
    keys: dict[Node, str] = {}
    # Sorted by text: rdflib's order for IRIs (all of them are, being members), without a Python comparison each.
    for node in sorted((n for n in reached if isinstance(n, URIRef)), key=str):
        statements = held.pop(node) if node in held else loaded.statements(node)
        info = reader.node_info(node, statements)
        key = keys[node] = info.iri
        projection.add_node(key, **vars(info))
    return keys


def _is_a(graph: Graph, node: Node, classes: Iterable[URIRef]) -> bool:
    """Whether ``node`` is an IRI and an instance of one of ``classes`` (the graph holds the inferred types)."""
    return isinstance(node, URIRef) and any((node, RDF.type, c) in graph for c in classes)


class _Walk:
    """A breadth-first walk out from ``centre`` over the projection's links, one step at a time: the entities
    reached, the links of the entities expanded, and a projection of them on demand. ``direction``: the links
    it follows, out of each entity (as stated), into it (against) or both (either way)."""

    def __init__(
        self,
        loaded: LoadedGraph,
        centre: URIRef,
        *,
        keep_relations: Iterable[URIRef | str] | None,
        keep_classes: Iterable[URIRef | str] | None = None,
        include_inferred: bool,
        exclude: Container[Node] = (),
        direction: str = "both",
    ) -> None:
        self.loaded = loaded
        self.centre = centre
        self.direction = direction
        self.wanted, self.classes = _kept(loaded, keep_relations, keep_classes)
        self.include_inferred = include_inferred
        self.exclude = exclude
        self.membership: dict[Node, bool] = {}
        self.reached: set[Node] = {centre}
        self.frontier: list[Node] = [centre]
        self.depth = 0
        self.links: dict[tuple[Node, Node, Node], list[URIRef]] = {}
        self.held: dict[Node, _Held] = {}  # the statements of the entities expanded, for their projection

    def member(self, node: Node) -> bool:
        """Whether ``node`` is one of the projection's entities (and not excluded)."""
        if node not in self.membership:
            self.membership[node] = node not in self.exclude and _is_a(self.loaded.graph, node, self.classes)
        return self.membership[node]

    def step(self) -> bool:
        """Expand the entities reached last; False when that reached none that is new (the walk is over)."""
        loaded = self.loaded
        following: list[Node] = []
        for node in self.frontier:
            held = self.held[node] = loaded.statements(node)
            out = (((node, o, p), graphs) for (p, o), graphs in held.items()) if self.direction != "in" else ()
            into = (
                (((s, node, p), graphs) for (s, p), graphs in loaded.incoming(node).items())
                if self.direction != "out"
                else ()
            )
            for (s, o, p), graphs in itertools.chain(out, into):
                other = o if s == node else s
                if p not in self.wanted or not self.member(other):
                    continue
                if (INFERRED_GRAPH in graphs and not self.include_inferred) or _implied(p, graphs):
                    continue
                self.links[s, o, p] = graphs
                if other not in self.reached:
                    self.reached.add(other)
                    following.append(other)
        self.frontier = following
        self.depth += 1
        return bool(following)

    def projection(self) -> nx.MultiDiGraph:
        """The entities reached and the links found, as :func:`project` makes them."""
        return _projection_of(self.loaded, self.reached, self.links, dict(self.held))


def classes_and_relations(loaded: LoadedGraph) -> tuple[set[URIRef], set[URIRef]]:
    """The classes :func:`project` gives its entities (``cls``) and the relations of its links, without
    building it: the entities' asserted classes and the stated relations between entities, selected by predicate.

    Kept in kgraph's cache (:mod:`kgraph.cache`), keyed by the files loaded: the legend of every ``viz --focus``
    page, which reads the whole graph for them (about 4 s at 1M triples on a store), the first time only.
    """
    classes, linked, _size = _whole(loaded)
    return classes, linked


def _whole(loaded: LoadedGraph) -> tuple[set[URIRef], set[URIRef], tuple[int, int]]:
    """:func:`classes_and_relations` and :func:`whole_size`, from kgraph's cache or worked out and kept there."""
    entry = cache.key("classes-and-relations", [loaded.fingerprint.encode()])
    try:
        stored = json.loads(cache.read(entry) or b"null")
        if stored is not None:
            size = (int(stored["entities"]), int(stored["links"]))
            return {URIRef(c) for c in stored["classes"]}, {URIRef(p) for p in stored["relations"]}, size
    except (ValueError, KeyError, TypeError):  # a damaged entry, or one of an older kgraph: worked out again
        pass
    classes, linked, size = _classes_and_relations(loaded)
    content = {
        "classes": sorted(map(str, classes)),
        "relations": sorted(map(str, linked)),
        "entities": size[0],
        "links": size[1],
    }
    cache.write(entry, json.dumps(content).encode("utf-8"))
    return classes, linked, size


def _classes_and_relations(loaded: LoadedGraph) -> tuple[set[URIRef], set[URIRef], tuple[int, int]]:
    """Read as :func:`project` reads them: as text. Also how many entities and relations (distinct stated links
    between entities) it has."""
    entities = loaded.instances_of([KG.Entity])
    asserted = _asserted_classes(loaded, entities)
    reader = _Reader(loaded)
    classes = {reader.class_of(found) for found in {frozenset(found) for found in asserted.values()}}
    if len(asserted) < len(entities):  # an entity with no kg: class of its own
        classes.add(KG.Entity)
    links = {
        (s, p, o)
        for s, p, o, _g in loaded.iri_links(relations(loaded.graph), inferred=False)
        if s in entities and o in entities
    }
    linked = {p for _s, p, _o in links}
    return classes, {URIRef(p) for p in linked}, (len(entities), len(links))


def whole_size(loaded: LoadedGraph) -> tuple[int, int]:
    """How many entities and relations :func:`project` of the whole graph has, without building it: what a page
    of part of the graph says it leaves out (``kgraph viz --focus``, which projects only the part). Counted in
    the same pass as :func:`classes_and_relations`, and kept in the same entry of kgraph's cache."""
    _classes, _relations, size = _whole(loaded)
    return size


def _asserted_classes(loaded: LoadedGraph, entities: Container[str]) -> dict[str, set[str]]:
    """The stated ``kg:`` classes of each of ``entities`` that has one, as texts (what :meth:`_Reader.entity_class`
    reads from an entity's statements)."""
    asserted: dict[str, set[str]] = {}
    for s, _p, o, _g in loaded.iri_links([RDF.type], inferred=False):
        if o.startswith(_KG) and s in entities:
            asserted.setdefault(s, set()).add(o)
    return asserted


def _held_by_subject(quads: Iterable[tuple[Node, Node, Node, URIRef]], subjects: Container[Node]) -> dict[Node, _Held]:
    """The quads of ``subjects`` grouped as :meth:`LoadedGraph.statements` groups one node's."""
    held: dict[Node, _Held] = {}
    for s, p, o, g in quads:
        if s in subjects:
            held.setdefault(s, {}).setdefault((p, o), []).append(g)
    return held


def _add_links(projection: nx.MultiDiGraph, graph: Graph, links: _Links) -> None:
    """The relations ``(subject, object, property) -> graphs``, sorted, as :func:`project` adds them; ``links`` is
    emptied, and each relation freed once added. The ends of each edge are the texts given (the nodes' own keys, as
    :func:`_add_nodes` returns them); a relation's IRI, prefixed name and labels, and a set of sections, are one
    str each, shared by all the edges that have them."""
    names: dict[str, tuple[str, str, str]] = {}  # a relation's prefixed name and labels: a few relations, many links
    texts: dict[tuple[str, ...], tuple[bool, str]] = {}  # the same few sets of sections, many links
    # Sorted by the IRIs' text (the order of rdflib's terms, all IRIs here): the keys are plain str, unique.
    ordered = sorted(links.items(), reverse=True)
    links.clear()
    while ordered:
        (subject, obj, prop), graphs = ordered.pop()  # the last is the least: popped, it is freed once added
        if prop not in names:
            iri = URIRef(prop)
            names[prop] = (qname(graph, iri), label(graph, iri, "en"), label(graph, iri, "zh"))
        prop_qname, label_en, label_zh = names[prop]
        held = tuple(graphs)
        if held not in texts:
            inferred = _INFERRED in graphs  # the inferred graph holds no stated triple
            texts[held] = (inferred, "" if inferred else " ".join(sorted(graphs)))
        inferred, sections = texts[held]
        projection.add_edge(
            subject,
            obj,
            key=prop_qname,
            relation=prop,
            relation_qname=prop_qname,
            label_en=label_en,
            label_zh=label_zh,
            sections=sections,
            inferred=inferred,
        )


# ======================================================================================================
# Analyses on the projection. Each returns plain dataclasses (or dicts, for the viewer); the CLI formats them.
# ======================================================================================================


@dataclass(frozen=True)
class RelationRef:
    """A relation as printed: its prefixed name and labels."""

    qname: str
    label_en: str
    label_zh: str


@dataclass(frozen=True)
class Hop:
    """One step of a chain: to ``target``, along ``relations``, stated from the previous entity to ``target``
    (``forward``) or from ``target`` to the previous entity."""

    target: NodeInfo
    relations: tuple[RelationRef, ...]
    forward: bool


@dataclass(frozen=True)
class Chain:
    """A walk through the projection: ``start``, then each hop in order."""

    start: NodeInfo
    hops: tuple[Hop, ...]

    @property
    def end(self) -> NodeInfo:
        return self.hops[-1].target if self.hops else self.start


@dataclass(frozen=True)
class Paths:
    """The shortest paths between two entities: ``total`` of them, of ``length`` hops each; ``chains`` are the
    first ones in the order of the labels along them."""

    source: NodeInfo
    target: NodeInfo
    length: int
    total: int
    chains: tuple[Chain, ...]


@dataclass(frozen=True)
class Neighbourhood:
    """The entities within ``depth`` steps of ``centre``, each with one shortest chain from the centre."""

    centre: NodeInfo
    depth: int
    chains: tuple[Chain, ...]  # by distance, then by the labels along the chain


@dataclass(frozen=True)
class LineageFigure:
    """A figure comparing a successor with its predecessor (``kg:figureOf`` the one, ``kg:comparedWith`` the
    other)."""

    qname: str
    value: str  # as ``kgraph show`` prints it in the lineage's language: bound, value and unit ("more than 2 x")
    metric_en: str
    metric_zh: str


@dataclass(frozen=True)
class Step:
    """``successor`` ``kg:succeeds`` ``predecessor``; ``figures`` compare the two."""

    predecessor: NodeInfo
    successor: NodeInfo
    figures: tuple[LineageFigure, ...]


@dataclass(frozen=True)
class Lineage:
    """The succession around ``focus``: its predecessors and successors, oldest first, and each step."""

    focus: NodeInfo
    generations: tuple[NodeInfo, ...]
    steps: tuple[Step, ...]

    @property
    def linear(self) -> bool:
        """Whether the generations form one chain (each step goes from one generation to the next)."""
        pairs = list(zip(self.generations, self.generations[1:], strict=False))
        return [(s.predecessor, s.successor) for s in self.steps] == pairs


@dataclass(frozen=True)
class Ranked:
    """One row of a ranking. Entities with the same score share a rank (1, 1, 3)."""

    rank: int
    node: NodeInfo
    score: float


class Ranking(list[Ranked]):
    """The rows of :func:`ranking`, and ``tied_beyond``: how many entities left out by ``top`` share the last
    row's score (and so its rank)."""

    tied_beyond: int = 0


@dataclass(frozen=True)
class Communities:
    """Louvain communities, largest first; members by degree, then label. ``isolated``: entities without any
    relation, which belong to no community."""

    members: tuple[tuple[NodeInfo, ...], ...]
    isolated: tuple[NodeInfo, ...]
    modularity: float
    seed: int
    resolution: float


@dataclass(frozen=True)
class SharedPair:
    """Two entities and what they share (customers of two products, or products of two customers)."""

    first: NodeInfo
    second: NodeInfo
    shared: tuple[NodeInfo, ...]


@dataclass(frozen=True)
class CoUsage:
    """Products that share customers, and customers that share products (via ``kg:uses`` and its
    sub-properties); most shared first."""

    products: tuple[SharedPair, ...]
    customers: tuple[SharedPair, ...]


# ----------------------------------------------------------------------------------------------- names


def resolve_relation(loaded: LoadedGraph, name: str) -> URIRef:
    """The relation ``name`` designates: a local name (``uses``), a prefixed name (``kg:uses``), an IRI, or an
    English or Chinese label (``developed by``, ``开发方``), in any case. An unknown name raises InputError listing
    the close ones and every valid one."""
    known = relations(loaded.graph)
    found = match_term(loaded.graph, name, known)
    if found is not None:
        return found
    names = [local_name(p) for p in known]
    if name.isascii():
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    else:  # a Chinese name: close Chinese labels (使佣: 使用 (uses))
        close = close_terms(loaded.graph, name, known)
    hint = f"did you mean: {', '.join(close)}? " if close else ""
    raise InputError(f"unknown relation {name!r}; {hint}use one of: {', '.join(names)}")


def relation_family(graph: Graph, prop: URIRef) -> set[URIRef]:
    """``prop`` and its sub-properties, transitively (``kg:uses``: also trained on, built on, powered by)."""
    return {p for p in graph.transitive_subjects(RDFS.subPropertyOf, prop) if isinstance(p, URIRef)}


def entity_key(loaded: LoadedGraph, projection: nx.MultiDiGraph, name: str) -> str:
    """The projection's node for ``name`` (see :func:`kgraph.names.find`). A name found that is not an entity
    of the projection (a figure, a source section, a class) raises InputError."""
    return entity_key_of(loaded, projection, find(loaded, name))


def entity_key_of(loaded: LoadedGraph, projection: nx.MultiDiGraph, node: URIRef, lang: str = "en") -> str:
    """As :func:`entity_key`, for a resource already found; the error names it in ``lang`` (else in English, as
    :func:`kgraph.names.label_or_english`)."""
    if str(node) not in projection:
        graph = loaded.graph
        types = [c for c in graph.objects(node, RDF.type) if loaded.is_asserted((node, RDF.type, c))]
        kind = "".join(f", {name}" for name in sorted(qname(graph, c) for c in types))
        named = in_a_message(label_or_english(graph, node, lang))
        raise InputError.advising(
            f"{named} ({qname(graph, node)}{kind}) is not an entity linked to others",
            python="name an entity (kgraph.explore.entities(loaded) lists them)",
            cli="name an entity (`kgraph entities` lists them)",
        )
    return str(node)


def _named(projection: nx.MultiDiGraph, key: str, lang: str = "en") -> str:
    """An entity's label in ``lang`` (``en`` or ``zh``) as an error quotes it: on one line, its control characters
    shown, cut short."""
    return in_a_message(projection.nodes[key]["label_zh" if lang == "zh" else "label_en"])


def info(projection: nx.MultiDiGraph, key: str) -> NodeInfo:
    """The :class:`NodeInfo` stored on a node of the projection (other attributes a caller added are ignored)."""
    data = projection.nodes[key]
    return NodeInfo(**{name: data[name] for name in _NODE_FIELDS})


_NODE_FIELDS = tuple(NodeInfo.__dataclass_fields__)


def _sort_key(node: NodeInfo) -> tuple[str, str]:
    return (node.label_en.casefold(), node.iri)


# ----------------------------------------------------------------------------------------------- chains


def chain(projection: nx.MultiDiGraph, nodes: Sequence[str], direction: str = "both") -> Chain:
    """The chain through ``nodes`` (consecutive nodes must be linked), each hop with every relation linking the
    two: stated forward when ``direction`` is ``out``, backward when ``in``; with ``both``, forward if any, else
    backward (so ``Trainium3 <-powered by- Trainium3 UltraServer``)."""
    hops = []
    for here, there in itertools.pairwise(nodes):
        forward = direction != "in" and projection.has_edge(here, there)
        source, target = (here, there) if forward else (there, here)
        edges = projection.get_edge_data(source, target) or {}
        refs = sorted(
            {RelationRef(key, data["label_en"], data["label_zh"]) for key, data in edges.items()},
            key=lambda r: (r.label_en.casefold(), r.qname),
        )
        if not refs:
            raise ValueError(f"{here} and {there} are not linked {direction}")
        hops.append(Hop(info(projection, there), tuple(refs), forward))
    return Chain(info(projection, nodes[0]), tuple(hops))


def _view(projection: nx.MultiDiGraph, direction: str) -> nx.MultiDiGraph | nx.MultiGraph:
    if direction not in DIRECTIONS:
        raise InputError(f"unknown direction {direction!r}; use one of: {', '.join(DIRECTIONS)}")
    if direction == "out":
        return projection
    if direction == "in":
        return projection.reverse(copy=False)
    return projection.to_undirected(as_view=True)


def shortest_paths(
    projection: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    directed: bool = False,
    limit: int = 10,
    lang: str = "en",
) -> Paths:
    """The shortest paths from ``source`` to ``target`` (node keys), following relations as stated when
    ``directed``, else either way. Raises NoAnswerError when there is none, InputError when both are the same.

    A breadth-first search from ``source`` gives each entity its distance; the entities on a shortest path are
    those from which ``target`` is reached stepping one distance down at a time. ``total`` counts the paths
    through them exactly (however many: two hubs can join a pair in hundreds of thousands of ways), and the first
    ``limit`` in the order of the labels along them are found by walking the entities in that order. (networkx's
    ``all_shortest_paths`` lists the paths in the order its adjacency sets give, which hashing changes: the
    first ten thousand of them, sorted, were other paths on each run.) Errors name the entities in ``lang``.
    """
    _refuse_unknown(projection, source, target)
    if source == target:
        raise InputError(f"{_named(projection, source, lang)} is both ends of the path; name two entities")
    direction = "out" if directed else "both"
    view = _view(projection, direction)
    distance = {source: 0}
    level = [source]
    while level and target not in distance:
        following = []
        for node in level:
            for other in view[node]:
                if other not in distance:
                    distance[other] = distance[node] + 1
                    following.append(other)
        level = following
    if target not in distance:
        how = "following relations in the direction they are stated" if directed else "in either direction"
        ends = f"{_named(projection, source, lang)} to {_named(projection, target, lang)}"
        raise NoAnswerError(f"no path from {ends} {how}")
    # Back from the target: the entities on a shortest path, and how many shortest paths reach each from source.
    before: dict[str, list[str]] = {}
    on_path = {target}
    todo = [target]
    while todo:
        node = todo.pop()
        steps = before[node] = [o for o in _linked_to(view, node, directed) if distance.get(o) == distance[node] - 1]
        for other in steps:
            if other not in on_path:
                on_path.add(other)
                todo.append(other)
    count = {source: 1}
    for node in sorted(on_path - {source}, key=distance.__getitem__):
        count[node] = sum(count[other] for other in before[node])
    after: dict[str, list[str]] = {}
    for node in on_path:
        for other in before[node]:  # none before the source
            after.setdefault(other, []).append(node)
    key = {node: _sort_key(info(projection, node)) for node in on_path}
    found: list[list[str]] = []

    def walk(path: list[str]) -> None:
        if len(found) >= limit:
            return
        if path[-1] == target:
            found.append(list(path))
            return
        for node in sorted(after.get(path[-1], ()), key=key.__getitem__):
            walk([*path, node])

    walk([source])
    return Paths(
        source=info(projection, source),
        target=info(projection, target),
        length=distance[target],
        total=count[target],
        chains=tuple(chain(projection, p, direction) for p in found),
    )


def _refuse_unknown(projection: nx.MultiDiGraph, *keys: str) -> None:
    """InputError for a key that is no node of ``projection`` (a label, say, where its IRI is the key): networkx
    raised a bare KeyError."""
    for key in keys:
        if key not in projection:
            raise InputError(
                f"{in_a_message(str(key))} is not an entity of the projection (its nodes are IRIs); find the key of a "
                "name with kgraph.analysis.entity_key(loaded, projection, name)"
            )


def _linked_to(view: nx.MultiDiGraph | nx.MultiGraph, node: str, directed: bool) -> list[str]:
    """The entities with a link to ``node`` in ``view``: its predecessors when directed, its neighbours else."""
    return list(view.predecessors(node)) if directed else list(view[node])


def check_depth(depth: int) -> None:
    """Raise InputError for a depth outside 1 to :data:`MAX_DEPTH`."""
    if not 1 <= depth <= MAX_DEPTH:
        what = f"must be between 1 and {MAX_DEPTH}, not {depth}"
        raise InputError.in_both(f"depth {what}", f"--depth {what}")


def neighbourhood(
    projection: nx.MultiDiGraph, centre: str, *, depth: int = 1, direction: str = "both", lang: str = "en"
) -> Neighbourhood:
    """Every entity within ``depth`` steps of ``centre`` (1 to MAX_DEPTH), each with one shortest chain from the
    centre: of its shortest chains, the first by the names along it (:func:`_first_shortest_paths`), so the same on
    every run. Raises InputError for a depth out of range, NoAnswerError when nothing is linked to the centre."""
    check_depth(depth)
    _refuse_unknown(projection, centre)
    keys: dict[str, tuple[str, str]] = {}

    def key(node: str) -> tuple[str, str]:
        found = keys.get(node)
        if found is None:
            found = keys[node] = _sort_key(info(projection, node))
        return found

    reached = _first_shortest_paths(_view(projection, direction), centre, depth, key)
    paths = sorted(
        (p for node, p in reached.items() if node != centre),
        key=lambda p: (len(p), [key(n) for n in p]),
    )
    if not paths:
        how = {"both": "", "out": " going out", "in": " coming in"}[direction]
        raise NoAnswerError(f"{_named(projection, centre, lang)} has no relation{how} with another entity")
    return Neighbourhood(info(projection, centre), depth, tuple(chain(projection, p, direction) for p in paths))


def _first_shortest_paths(
    view: nx.MultiDiGraph | nx.MultiGraph, centre: str, depth: int, key: Callable[[str], tuple[str, str]]
) -> dict[str, list[str]]:
    """Each node within ``depth`` steps of ``centre``, with the shortest path to it that comes first when paths
    are compared node by node by ``key``.

    A breadth-first search, one level at a time, each level in the order of its paths: a node is reached first
    from the parent with the first path, and its neighbours are taken in ``key`` order. (networkx's
    ``single_source_shortest_path`` keeps whichever path it meets first, which follows the order the graph holds
    its nodes in, and that order came from sets, so a node reached along two chains showed either from one run
    to the next.)
    """
    paths = {centre: [centre]}
    level = [centre]
    for _step in range(depth):
        following = []
        for node in level:
            for neighbour in sorted((n for n in set(view[node]) if n not in paths), key=key):
                paths[neighbour] = [*paths[node], neighbour]
                following.append(neighbour)
        if not following:
            break
        level = following
    return paths


# ----------------------------------------------------------------------------------------------- lineage


def _members_in_succession(loaded: LoadedGraph, family: URIRef, lang: str) -> tuple[str, str]:
    """For a family without a succession of its own (Trainium), the members that have one and the call that shows
    it (``; its members Trainium2, Trainium3, Trainium4 are in one: kgraph.analysis.lineage(loaded, 'Trainium2')``),
    then the same with the command (``kgraph lineage Trainium2``); or ``("", "")``."""
    members = _in_a_succession(loaded, loaded.graph.subjects(KG.memberOf, family), lang)
    if not members:
        return "", ""
    shown = ", ".join(in_a_message(label(loaded.graph, m, lang)) for m in members)
    members_are = "member {} is" if len(members) == 1 else "members {} are"
    return _lineage_of(loaded, members[0], lang, f"; its {members_are.format(shown)} in one: ")


def _used_in_succession(loaded: LoadedGraph, product: URIRef, lang: str) -> tuple[str, str]:
    """For a product without a succession of its own that uses one that has (Trainium3 UltraServer, powered by
    Trainium3), the products it uses that are in one and the call that shows it (``; it uses Trainium3, which is
    in one: kgraph.analysis.lineage(loaded, 'Trainium3')``), then the same with the command; or ``("", "")``."""
    used = _in_a_succession(loaded, loaded.graph.objects(product, KG.uses), lang)
    if not used:
        return "", ""
    shown = ", ".join(in_a_message(label(loaded.graph, u, lang)) for u in used)
    which = "which is" if len(used) == 1 else "which are"
    return _lineage_of(loaded, used[0], lang, f"; it uses {shown}, {which} in one: ")


def _in_a_succession(loaded: LoadedGraph, nodes: Iterable[Node], lang: str) -> list[URIRef]:
    """Those of ``nodes`` that succeed or are succeeded (kg:succeeds), by label in ``lang``."""
    graph = loaded.graph
    found = {
        n
        for n in nodes
        if isinstance(n, URIRef) and ((n, KG.succeeds, None) in graph or (None, KG.succeeds, n) in graph)
    }
    return sorted(found, key=lambda n: (label(graph, n, lang), str(n)))


def _lineage_of(loaded: LoadedGraph, node: URIRef, lang: str, said: str) -> tuple[str, str]:
    """``said`` then the call of :func:`lineage` on ``node``, and ``said`` then the command, each naming ``node`` so
    that it is found again (:func:`kgraph.names.handle`: its prefixed name where its label names another too)."""
    name = handle(loaded, node, lang)
    return f"{said}kgraph.analysis.lineage(loaded, {name!r})", f"{said}kgraph lineage {shell_words([name])}"


def lineage(loaded: LoadedGraph, node: URIRef | str, lang: str = "en") -> Lineage:
    """The succession (``kg:succeeds``) through ``node``: every predecessor and successor, transitively (rdflib's
    ``transitive_objects`` / ``transitive_subjects``), oldest first, and for each step the figures that measure
    the successor against its predecessor. ``node`` is a ``URIRef``, or a name as :func:`kgraph.names.find` takes
    it (a label, a prefixed name, an IRI as text). Raises NoAnswerError when nothing succeeds ``node`` and it
    succeeds nothing, InputError when the succession has a cycle, NotFoundError for a name that names nothing."""
    if not isinstance(node, URIRef):  # a str was taken for an IRI of nothing: "Trainium3 has no predecessor"
        node = find(loaded, node, lang=lang)
    graph = loaded.graph
    related = [*graph.transitive_objects(node, KG.succeeds), *graph.transitive_subjects(KG.succeeds, node)]
    members = {n for n in related if isinstance(n, URIRef)}
    succession = nx.DiGraph()
    succession.add_node(node)
    for member in sorted(members):
        for predecessor in graph.objects(member, KG.succeeds):
            if predecessor in members:
                succession.add_edge(predecessor, member)
    name = in_a_message(label(graph, node, lang))
    if succession.number_of_edges() == 0:
        why = f"{name} ({qname(graph, node)}) has no predecessor or successor (kg:succeeds)"
        python, cli = _members_in_succession(loaded, node, lang)
        if not python:
            python, cli = _used_in_succession(loaded, node, lang)
        raise NoAnswerError.in_both(why + python, why + cli)
    try:
        order = list(nx.lexicographical_topological_sort(succession, key=lambda n: (label(graph, n), str(n))))
    except nx.NetworkXUnfeasible as error:
        raise InputError(f"the succession of {name} goes round in a circle; fix kg:succeeds in the data") from error
    position = {n: i for i, n in enumerate(order)}
    edges = sorted(succession.edges, key=lambda e: (position[e[1]], position[e[0]]))
    return Lineage(
        focus=node_info(loaded, node),
        generations=tuple(node_info(loaded, n) for n in order),
        steps=tuple(
            Step(node_info(loaded, p), node_info(loaded, s), _step_figures(loaded, p, s, lang)) for p, s in edges
        ),
    )


def _step_figures(
    loaded: LoadedGraph, predecessor: URIRef, successor: URIRef, lang: str = "en"
) -> tuple[LineageFigure, ...]:
    graph = loaded.graph
    figures = set(graph.subjects(KG.figureOf, successor)) & set(graph.subjects(KG.comparedWith, predecessor))
    # explore.describe() formats values exactly as `kgraph show` does ("4.4 x", "more than 2 x"), in ``lang``.
    facts = {f.qname: f for f in describe(loaded, successor, lang).figures}
    found = []
    for figure in figures:
        fact = facts[qname(graph, figure)]
        value = with_period(" ".join(part for part in (fact.bound, fact.value) if part), fact.per_period, lang)
        metric_en, metric_zh = (" / ".join(texts(graph, figure, KG.metric, lang)) for lang in ("en", "zh"))
        found.append(LineageFigure(fact.qname, value, metric_en, metric_zh))
    return tuple(sorted(found, key=lambda f: (f.metric_en.casefold(), f.qname)))


# ----------------------------------------------------------------------------------------------- ranking


def one_per_fact(loaded: LoadedGraph, projection: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``projection`` with each relation once, and in the direction the ontology prefers: what :func:`ranking` and
    the ``rank`` and ``communities`` commands measure.

    A relation stated as the property of an ``owl:inverseOf`` pair that is not marked ``kg:preferredDirection``
    (``kgr:bedrock kg:usedBy kgr:acme``) becomes the marked one (``kgr:acme kg:uses kgr:bedrock``), as the Neo4j
    export writes it; a relation stated both ways (``uses`` and ``used by``, a symmetric one such as ``partner of``
    from each end, an unmarked inverse pair) is one edge, with the sections of both. A relation stated beside a
    more specific one between the same two entities, one that implies it through the ontology's
    ``rdfs:subPropertyOf`` (inverses included: ``announced at`` implies ``featured at``, and ``featured`` from the
    other end), is folded into it, its sections added (to each such one, if several); a stated relation is not
    folded into an inferred one. Without this, the same fact worded the other way ranked otherwise by PageRank, and
    a fact stated twice counted twice in a degree and weighed double in the communities. ``projection`` itself is
    returned when it has nothing to change (each relation stated once, in the preferred direction); else a new
    graph, edges sorted."""
    schema = Schema.from_ontology(loaded.ontology)
    turned = {str(p): str(q) for p, q in preferred_directions(loaded.ontology, schema).items()}
    implied = _Implied(schema)
    if not _stated_twice_or_turned(projection, turned, implied):
        return projection  # checked without a copy of any edge: a store's projection has hundreds of thousands
    facts: dict[_Fact, dict[str, object]] = {}
    for u, v, data in projection.edges(data=True):  # in the projection's sorted order
        subject, obj, prop = (
            (v, u, turned[data["relation"]]) if data["relation"] in turned else (u, v, data["relation"])
        )
        if (subject, obj, prop) in facts:
            _merge(facts[subject, obj, prop], data)
        else:
            facts[subject, obj, prop] = dict(data) if prop == data["relation"] else _edge_data(loaded.graph, prop, data)
    found = nx.MultiDiGraph()
    found.add_nodes_from(projection.nodes(data=True))
    for fact, merged in _folded(facts, implied):
        data = facts[fact]
        for other in merged:
            _merge(data, facts[other])
        found.add_edge(fact[0], fact[1], key=data["relation_qname"], **data)
    return found


#: A relation of a projection as :func:`one_per_fact` reads it: subject, object and property, as texts of IRIs.
_Fact = tuple[str, str, str]


class _Implied:
    """What a relation implies by the ontology's ``rdfs:subPropertyOf``, ``owl:inverseOf`` and
    ``owl:SymmetricProperty``: the properties it implies between the same two entities, the same way (``True``) or
    the other way (``False``), as texts of IRIs; worked out once for each property."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.found: dict[str, frozenset[tuple[bool, str]]] = {}

    def of(self, prop: str) -> frozenset[tuple[bool, str]]:
        if prop not in self.found:
            schema, start = self.schema, (True, URIRef(prop))
            seen: set[tuple[bool, Node]] = set()
            todo: list[tuple[bool, Node]] = [start]
            while todo:
                way, p = todo.pop()
                if (way, p) not in seen:
                    seen.add((way, p))
                    todo += [(way, q) for q in schema.superproperties.get(p, ())]
                    todo += [(not way, q) for q in schema.inverses.get(p, ())]
                    todo += [(not way, p)] if p in schema.symmetric else []
            self.found[prop] = frozenset((way, str(p)) for way, p in seen - {start})
        return self.found[prop]

    def among(self, props: Collection[str]) -> dict[str, list[tuple[bool, str]]]:
        """What each of ``props`` implies of ``props`` (:meth:`of`): most imply none of the others."""
        return {prop: [(way, p) for way, p in self.of(prop) if p in props] for prop in props}


def _implied_facts(fact: _Fact, ways: Iterable[tuple[bool, str]]) -> Iterator[_Fact]:
    """The relations ``fact`` implies, given what its property implies (:meth:`_Implied.among`), other than itself."""
    subject, obj, _prop = fact
    for way, p in ways:
        other = (subject, obj, p) if way else (obj, subject, p)
        if other != fact:
            yield other


def _folded(facts: dict[_Fact, dict[str, object]], implied: _Implied) -> Iterator[tuple[_Fact, list[_Fact]]]:
    """The facts :func:`one_per_fact` keeps, in order, each with those folded into it. Of facts that imply each
    other (a relation and its inverse, a symmetric one from each end), the first stated one is kept, with the others;
    a fact that another implies but does not imply (featured at beside announced at) goes into each one kept that
    implies it, unless it is stated and that one is inferred. Only the few facts that imply another hold a set."""
    ways = implied.among({prop for _s, _o, prop in facts})
    implies: dict[_Fact, set[_Fact]] = {}
    for fact in facts:
        if ways[fact[2]]:
            found = {f for f in _implied_facts(fact, ways[fact[2]]) if f in facts}
            if found:
                implies[fact] = found
    equals = {fact: {f for f in found if fact in implies.get(f, ())} for fact, found in implies.items()}

    def stated(fact: _Fact) -> bool:  # it or one of its equals
        return not all(facts[f]["inferred"] for f in {fact, *equals.get(fact, ())})

    def folds(fact: _Fact, other: _Fact) -> bool:  # other is in implies[fact]
        return other in equals[fact] or stated(fact) or not stated(other)

    def first(fact: _Fact) -> tuple[bool, _Fact]:  # of equals, a stated one, the first of them
        return bool(facts[fact]["inferred"]), fact

    weaker = {f for fact, found in implies.items() for f in found - equals[fact] if folds(fact, f)}
    for fact in sorted(facts):
        if fact not in implies:
            if fact not in weaker:
                yield fact, []
        elif fact not in weaker and not any(first(g) < first(fact) for g in equals[fact]):
            yield fact, sorted(f for f in implies[fact] if folds(fact, f))


def _merge(first: dict[str, object], data: dict[str, object]) -> None:
    """Add to the edge ``first`` the sections of ``data``, one relation it stands for: stated if either is."""
    first["sections"] = " ".join(sorted(set(str(first["sections"]).split()) | set(str(data["sections"]).split())))
    first["inferred"] = bool(first["inferred"]) and bool(data["inferred"])


def _stated_twice_or_turned(projection: nx.MultiDiGraph, turned: Container[str], implied: _Implied) -> bool:
    """Whether :func:`one_per_fact` changes ``projection``: an edge of a relation it turns, or one that implies
    another edge of it (its inverse, or itself if symmetric, the other way; a super-property of it either way).
    Edges are keyed by the relation's prefixed name, so each is one look-up."""
    keys = {str(data): key for _u, _v, key, data in projection.edges(keys=True, data="relation")}
    ways = implied.among(keys)
    for u, v, prop in projection.edges(data="relation"):
        if prop in turned:
            return True
        if ways[prop] and any(
            projection.has_edge(s, o, keys[p]) for s, o, p in _implied_facts((u, v, prop), ways[prop])
        ):
            return True
    return False


def _edge_data(graph: Graph, prop: str, stated: dict[str, object]) -> dict[str, object]:
    """The attributes of an edge of relation ``prop`` (an IRI as text) that ``stated`` states the other way."""
    iri = URIRef(prop)
    prop_qname = qname(graph, iri)
    return {
        "relation": prop,
        "relation_qname": prop_qname,
        "label_en": label(graph, iri, "en"),
        "label_zh": label(graph, iri, "zh"),
        "sections": stated["sections"],
        "inferred": stated["inferred"],
    }


def centrality(projection: nx.MultiDiGraph, by: str = "degree", *, sample: int | None = None) -> dict[str, float]:
    """A score for every node of the projection, keyed by IRI (the viewer sizes nodes by it).

    - ``degree``: the number of relations an entity takes part in, either way (parallel relations count).
    - ``pagerank``: PageRank along the stated direction (damping 0.85): what many relations point to, and what
      highly ranked entities point to, ranks high.
    - ``betweenness``: networkx's normalised betweenness centrality on the undirected simple graph: how many
      shortest paths between two entities go through this one. Exact, it takes time in entities x relations
      (about a minute for 5,000 entities, see BENCHMARKS.md); with ``sample``, networkx estimates it from that many
      source entities, drawn with a fixed seed so that the estimate is the same on every run.
    """
    if sample is not None and sample < 1:
        raise InputError(f"sample must be at least 1, not {sample}")
    if by == "degree":
        # networkx counts a relation of an entity with itself twice (once out, once in): it is one relation
        loops = {node: projection.number_of_edges(node, node) for node in nx.nodes_with_selfloops(projection)}
        return {node: float(degree - loops.get(node, 0)) for node, degree in projection.degree()}
    if by == "pagerank":
        return pagerank(projection)
    if by == "betweenness":
        simple = _simple(projection)
        k = sample if sample is not None and sample < len(simple) else None
        scores: dict[str, float] = nx.betweenness_centrality(simple, k=k, seed=1)
        return scores
    raise InputError(f"unknown measure {by!r}; use one of: {', '.join(MEASURES)}")


def pagerank(graph: nx.MultiDiGraph, alpha: float = 0.85, max_iter: int = 1000, tol: float = 1e-10) -> dict[str, float]:
    """PageRank by power iteration, as networkx's pure-Python reference implementation computes it (uniform
    teleport, dangling nodes spread uniformly, parallel edges adding up).

    Not ``networkx.pagerank``: that one needs SciPy and NumPy (tens of megabytes) for a graph of a hundred nodes.
    """
    nodes = list(graph)
    count = len(nodes)
    if not count:
        return {}
    out = {u: graph.out_degree(u) for u in nodes}
    dangling = [u for u in nodes if out[u] == 0]
    rank = dict.fromkeys(nodes, 1.0 / count)
    for _ in range(max_iter):  # the error shrinks by a factor alpha per round, so this ends long before max_iter
        last = rank
        spread = (alpha * sum(last[u] for u in dangling) + 1.0 - alpha) / count
        rank = dict.fromkeys(nodes, spread)
        for u, v in graph.edges():
            rank[v] += alpha * last[u] / out[u]
        if sum(abs(rank[u] - last[u]) for u in nodes) < count * tol:
            break
    return rank


def ranking(
    loaded: LoadedGraph,
    projection: nx.MultiDiGraph,
    *,
    by: str = "degree",
    cls: URIRef | str | Sequence[URIRef | str] | None = None,
    top: int = 10,
    sample: int | None = None,
) -> Ranking:
    """The ``top`` entities by :func:`centrality` (computed on the whole projection, each relation once as
    :func:`one_per_fact` gives it; ``sample`` as there), only instances of ``cls`` (a class or several, each a
    ``URIRef`` or a name such as ``Chip``; sub-classes included) if given; ``tied_beyond`` counts those past ``top``
    that tie with the last row. Raises NoAnswerError when no entity is of those classes, InputError for a name that
    names no class."""
    projection = one_per_fact(loaded, projection)
    scores = centrality(projection, by, sample=sample)
    wanted = _classes(loaded, cls) if cls is not None else []
    graph = loaded.graph
    keys = [n for n in projection if not wanted or any((URIRef(n), RDF.type, c) in graph for c in wanted)]
    if not keys:
        raise NoAnswerError(f"no entity is a {' or '.join(qname(graph, c) for c in wanted) or 'kg:Entity'}")

    def level(key: str) -> float:  # rounded, so that a tie is not broken by the last bit of a float sum
        return round(scores[key], 9)

    ordered = sorted(keys, key=lambda n: (-level(n), _sort_key(info(projection, n))))
    rows = Ranking()
    for position, key in enumerate(ordered[:top], start=1):
        tied = rows and level(ordered[position - 2]) == level(key)
        rows.append(Ranked(rows[-1].rank if tied else position, info(projection, key), scores[key]))
    last = level(ordered[len(rows) - 1])
    rows.tied_beyond = sum(1 for _ in itertools.takewhile(lambda n: level(n) == last, ordered[top:]))
    return rows


# ----------------------------------------------------------------------------------------------- communities


def _simple(projection: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph of the projection: one edge per linked pair, ``weight`` = how many relations
    link them either way; no self-loops. Nodes keep the projection's (sorted) order."""
    simple = nx.Graph()
    simple.add_nodes_from(projection)
    for u, v in projection.edges():
        if u != v:
            weight = simple.get_edge_data(u, v, {"weight": 0})["weight"]
            simple.add_edge(u, v, weight=weight + 1)
    return simple


def _louvain(projection: nx.MultiDiGraph, seed: int, resolution: float) -> tuple[list[list[str]], float, nx.Graph]:
    """Louvain communities of the linked entities (:mod:`kgraph.louvain`, in exact arithmetic), and their
    modularity (networkx's). Seeded, and independent of the order of sets: the same communities on every run,
    whatever PYTHONHASHSEED is."""
    simple = _simple(projection)
    simple.remove_nodes_from([n for n in list(simple) if simple.degree(n) == 0])
    edges = {(u, v): weight for u, v, weight in simple.edges(data="weight")}
    parts = louvain.communities(edges, sorted(simple), seed=seed, resolution=resolution)
    modularity = nx.community.modularity(simple, parts, weight="weight", resolution=resolution) if parts else 0.0
    return [sorted(part) for part in parts], modularity, simple


#: The largest resolution :func:`communities` takes: modularity falls as the resolution rises (at 1e308 it is
#: -inf), and a resolution above twice the relations' weight leaves every entity alone, as one of 1,000,000 does
#: for a graph of up to 500,000 relations.
MAX_RESOLUTION = 1e6


def communities(projection: nx.MultiDiGraph, *, seed: int = 1, resolution: float = 1.0) -> Communities:
    """Seeded Louvain community detection on the undirected projection (relations between two entities weigh
    as many as they are: pass :func:`one_per_fact` of it, as ``kgraph communities`` does, for a relation stated
    both ways to weigh once). Larger ``resolution`` gives more, smaller communities."""
    if not 0 < resolution <= MAX_RESOLUTION:  # nan is not more than 0
        what = (
            f"must be more than 0 and at most {MAX_RESOLUTION:,.0f}, not {resolution}; above twice the number of "
            "relations every entity is a community of its own"
        )
        raise InputError.in_both(f"resolution {what}", f"--resolution {what}")
    parts, modularity, simple = _louvain(projection, seed, resolution)
    degree = centrality(projection, "degree")  # as rank counts it: a relation with itself once, not twice

    def by_degree(keys: Iterable[str]) -> tuple[NodeInfo, ...]:
        return tuple(sorted((info(projection, k) for k in keys), key=lambda n: (-degree[n.iri], *_sort_key(n))))

    members = sorted((by_degree(part) for part in parts), key=lambda m: (-len(m), _sort_key(m[0])))
    isolated = by_degree(n for n in projection if n not in simple)
    return Communities(tuple(members), isolated, modularity, seed, resolution)


def community_map(projection: nx.MultiDiGraph, *, seed: int = 1, resolution: float = 1.0) -> dict[str, int]:
    """Each linked entity's community (0 the largest, as :func:`communities` numbers them from 1), keyed by IRI;
    entities without relations are left out. For the viewer's colours."""
    found = communities(projection, seed=seed, resolution=resolution)
    return {node.iri: number for number, members in enumerate(found.members) for node in members}


def co_usage(loaded: LoadedGraph) -> CoUsage:
    """Products that share customers and customers that share products.

    As in the rule that infers ``kg:customerOf`` (ontology/rules/customer-of.rq), a customer is an organization
    that ``kg:uses`` a product, one it does not develop itself. The flat graph holds the inferred super-property
    triples, so ``kg:uses`` here also covers trained on, built on and powered by. The pairs come from networkx's
    bipartite projection of the customer-product graph.

    The customer-product pairs come from one SPARQL query, and what the entities show from a few queries over
    them all (:func:`_node_infos`): on a store, Oxigraph answers these, where a look-up per pair and per entity
    took 22 s at 1M triples.
    """
    customer, product = Variable("customer"), Variable("product")
    uses: set[tuple[URIRef, URIRef]] = set()
    for row in query_text(loaded.graph, _CUSTOMER_PRODUCT).bindings:
        user, used = row[customer], row[product]
        if isinstance(user, URIRef) and isinstance(used, URIRef):  # as the query's FILTER says
            uses.add((user, used))
    bipartite = nx.Graph()
    for user, used in sorted(uses):
        bipartite.add_edge(("customer", user), ("product", used))
    infos = _node_infos(loaded, {n for pair in uses for n in pair})

    def shared_pairs(side: str) -> tuple[SharedPair, ...]:
        nodes = sorted(n for n in bipartite if n[0] == side)
        pairs = []
        for a, b in nx.bipartite.projected_graph(bipartite, nodes).edges():
            first, second = sorted((infos[a[1]], infos[b[1]]), key=_sort_key)
            common = sorted((infos[c[1]] for c in nx.common_neighbors(bipartite, a, b)), key=_sort_key)
            pairs.append(SharedPair(first, second, tuple(common)))
        return tuple(sorted(pairs, key=lambda p: (-len(p.shared), _sort_key(p.first), _sort_key(p.second))))

    return CoUsage(products=shared_pairs("product"), customers=shared_pairs("customer"))
