"""``exports/ontology.html``: the ontology as a reference page, in English and Chinese.

One self-contained page (no script, no request), as the reference pages of published ontologies are: the header
(title, version, version IRI, licence, namespace and prefix), then every class, property and named value of the
``kg:`` namespace with its labels, definition, hierarchy, OWL characteristics, the SHACL constraints of
``shapes.ttl`` that apply to it and how much of the graph uses it. Each term has an anchor, its local name
(``ontology.html#Chip``). The same ontology, shapes and graph give the same bytes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kgraph.names import local_name, qname
from kgraph.resources import SHAPES_FILE_NAME
from kgraph.shapes import render_path
from kgraph.store import LoadedGraph
from kgraph.vocab import KG, KGSH, ONTOLOGY_GRAPH, SH, bind_prefixes

FILE = "ontology.html"
VANN = "http://purl.org/vocab/vann/"

#: The OWL characteristics a property may have, as the page names them.
CHARACTERISTICS = (
    (OWL.FunctionalProperty, "functional", "函数型"),
    (OWL.InverseFunctionalProperty, "inverse functional", "反函数型"),
    (OWL.SymmetricProperty, "symmetric", "对称"),
    (OWL.AsymmetricProperty, "asymmetric", "非对称"),
    (OWL.TransitiveProperty, "transitive", "传递"),
    (OWL.ReflexiveProperty, "reflexive", "自反"),
    (OWL.IrreflexiveProperty, "irreflexive", "非自反"),
)
KINDS = (
    (OWL.ObjectProperty, "object", "Object properties", "对象属性"),
    (OWL.DatatypeProperty, "datatype", "Datatype properties", "数据属性"),
    (OWL.AnnotationProperty, "annotation", "Annotation properties", "注解属性"),
)
#: What a placeholder of a SHACL message stands for, in a few words, by its name: those SHACL fills itself
#: (``{$this}``, ``{$value}``, ``{$path}``) and the variables the SPARQL constraints of ``shapes.ttl`` select
#: (``{?other}``). Another name is shown as its own words (``{?fromValue}`` as "from value").
PLACEHOLDERS = {
    "this": "this entity",
    "focusNode": "this entity",
    "value": "the value",
    "path": "the property",
    "other": "another entity",
    "difference": "the classes that differ",
    "offsets": "their range",
}
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")
#: Predicates of a shape that say what it is about or how to report it, not what it requires.
_NOT_CONSTRAINTS = {SH.path, SH.message, SH.name, SH.description, SH.severity, RDFS.comment, RDF.type, SH.order}


@dataclass(frozen=True)
class Ref:
    """A term another term points to: a link to its section for a kg: term, else its prefixed name (and IRI)."""

    text: str
    anchor: str | None
    iri: str


@dataclass(frozen=True)
class Constraint:
    """One SHACL constraint: the shape it is in, what it targets, the path, what it requires, its message."""

    shape: str
    target: str
    path: str
    requires: str
    severity: str
    message: str

    def message_parts(self) -> list[MessagePart]:
        """The message as text and placeholders, each placeholder with the words for what it stands for."""
        return message_parts(self.message)


@dataclass(frozen=True)
class MessagePart:
    """A piece of a SHACL message: text as written, or a placeholder (``{?other}``) and what it stands for."""

    text: str
    stands_for: str = ""


def _words(name: str) -> str:
    """A variable's name as words: ``fromValue`` -> "from value", ``start_time`` -> "start time"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").lower()


def message_parts(message: str) -> list[MessagePart]:
    """``message`` cut at its placeholders: "succeeds {?other}." gives "succeeds ", {?other} standing for "another
    entity", and "."."""
    parts: list[MessagePart] = []
    end = 0
    for match in _PLACEHOLDER.finditer(message):
        if match.start() > end:
            parts.append(MessagePart(message[end : match.start()]))
        name = match.group(1)
        parts.append(MessagePart(match.group(0), PLACEHOLDERS.get(name) or _words(name)))
        end = match.end()
    if end < len(message):
        parts.append(MessagePart(message[end:]))
    return parts


@dataclass
class Term:
    iri: str
    anchor: str
    qname: str
    label_en: str
    label_zh: str
    comment_en: str
    comment_zh: str
    types: list[Ref] = field(default_factory=list)
    supers: list[Ref] = field(default_factory=list)
    subs: list[Ref] = field(default_factory=list)
    domain: list[Ref] = field(default_factory=list)
    range: list[Ref] = field(default_factory=list)
    inverse: list[Ref] = field(default_factory=list)
    characteristics: list[tuple[str, str]] = field(default_factory=list)
    preferred: bool = False
    domain_of: list[Ref] = field(default_factory=list)
    range_of: list[Ref] = field(default_factory=list)
    members: list[Ref] = field(default_factory=list)
    notation: str = ""
    matches: list[Ref] = field(default_factory=list)
    count: int = 0
    constraints: list[Constraint] = field(default_factory=list)


def _text(graph: Graph, subject: Node, predicate: URIRef, lang: str | None) -> str:
    """The value of ``predicate`` in ``lang`` (the smallest, if several), or ''."""
    found = sorted(
        str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal) and (o.language or None) == lang
    )
    return found[0] if found else ""


def _ref(graph: Graph, node: Node, terms: set[URIRef]) -> Ref:
    anchor = local_name(node) if node in terms else None
    return Ref(qname(graph, node), anchor, str(node))


def _refs(graph: Graph, nodes: Iterable[Node], terms: set[URIRef]) -> list[Ref]:
    found = {_ref(graph, n, terms) for n in nodes if isinstance(n, URIRef)}
    return sorted(found, key=lambda r: (r.anchor is None, r.text))


def _show(shapes: Graph, node: Node, depth: int = 0) -> str:
    """A SHACL value as Turtle-like text: a prefixed name, a literal, a list ``( ... )`` or ``[ ... ]``."""
    if isinstance(node, URIRef):
        return qname(shapes, node)
    if isinstance(node, Literal):
        return f'"{node}"' if isinstance(node.value, str) and node.datatype is None else str(node)
    if depth > 4:
        return "[ ... ]"
    if (node, RDF.first, None) in shapes:
        return "( " + " ".join(_show(shapes, item, depth + 1) for item in Collection(shapes, node)) + " )"
    parts = sorted(
        f"{qname(shapes, p)} {_show(shapes, o, depth + 1)}" for p, o in shapes.predicate_objects(node) if p != RDF.type
    )
    return "[ " + " ; ".join(parts) + " ]"


def _iris(shapes: Graph, node: Node) -> set[URIRef]:
    """Every IRI in ``node``'s description, through blank nodes and lists."""
    found: set[URIRef] = set()
    todo: list[Node] = [node]
    seen: set[Node] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if isinstance(current, URIRef):
            found.add(current)
        elif isinstance(current, BNode):
            todo.extend(o for p, o in shapes.predicate_objects(current) if p != SH.message)
    return found


def _requires(shapes: Graph, pairs: Iterable[tuple[Node, Node]]) -> str:
    return " ; ".join(sorted(f"{qname(shapes, p)} {_show(shapes, o)}" for p, o in pairs))


def _targets(shapes: Graph, shape: Node) -> tuple[str, set[URIRef]]:
    """What a node shape targets, as text, and the IRIs its targets name."""
    targets = []
    about: set[URIRef] = set()
    for predicate in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
        for target in shapes.objects(shape, predicate):
            targets.append(f"{qname(shapes, predicate)} {_show(shapes, target)}")
            about |= _iris(shapes, target)
    if (shape, SH.target, None) in shapes:
        targets.append("sh:target (SPARQL)")
    return ", ".join(sorted(targets)) or "(used by another shape)", about


def _parts(shapes: Graph, shape: Node) -> list[tuple[str, str, Node, set[URIRef]]]:
    """Each constraint of a node shape: its path, what it requires, the node that says it, the IRIs of its path."""
    parts: list[tuple[str, str, Node, set[URIRef]]] = []
    for prop in shapes.objects(shape, SH.property):
        path = shapes.value(prop, SH.path)
        pairs = [(p, o) for p, o in shapes.predicate_objects(prop) if p not in _NOT_CONSTRAINTS]
        shown = render_path(path, shapes, shapes) if path is not None else ""
        parts.append((shown, _requires(shapes, pairs), prop, _iris(shapes, path if path is not None else prop)))
    for sparql in shapes.objects(shape, SH.sparql):
        parts.append(("", "SPARQL constraint (sh:sparql)", sparql, set()))
    skipped = {SH.property, SH.sparql, SH.target, SH.declare}
    node_level = [
        (p, o)
        for p, o in shapes.predicate_objects(shape)
        if p not in _NOT_CONSTRAINTS and p not in skipped and not str(p).startswith(str(SH) + "target")
    ]
    if node_level:
        named = {iri for _p, o in node_level for iri in _iris(shapes, o)}
        parts.append(("", _requires(shapes, node_level), shape, named))
    return parts


def constraints(shapes: Graph) -> dict[URIRef, list[Constraint]]:
    """The constraints of ``shapes``, by each kg: term they apply to: the classes a shape targets, the properties
    its targets name, and the properties of each path."""
    found: dict[URIRef, set[Constraint]] = defaultdict(set)
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        name = qname(shapes, shape) if isinstance(shape, URIRef) else "[]"
        target, about = _targets(shapes, shape)
        severity = qname(shapes, shapes.value(shape, SH.severity) or SH.Violation)
        for path, requires, node, named in _parts(shapes, shape):
            message = _text(shapes, node, SH.message, None) or _text(shapes, node, SH.message, "en")
            if not message and node is not shape:
                message = _text(shapes, shape, SH.message, None)
            constraint = Constraint(name, target, path, requires, severity, message)
            for term in about | named:
                if term.startswith(str(KG)):
                    found[term].add(constraint)
    return {term: sorted(items, key=_constraint_order) for term, items in found.items()}


def _constraint_order(c: Constraint) -> tuple[str, ...]:
    return (c.shape, c.path, c.requires, c.message, c.target)


def _counts(loaded: LoadedGraph, terms: Iterable[URIRef]) -> tuple[dict[str, int], dict[str, int]]:
    """How many things of each class the graph has (inferred classes counted), and how many triples use each
    property (inferred ones counted). In memory, a look-up of the graph's index each, where a SPARQL query with a
    FILTER over every triple took 0.5 s of the page's 0.6 s on the bundled graph; on a store, two grouped queries
    in Oxigraph (:meth:`~kgraph.oxstore.ReadOnlyOxigraphStore.term_counts`), where the look-ups, which make an
    rdflib term of every matching triple, took 20.7 CPU-s at 2.4M triples (0.56 s now)."""
    if loaded.store_dir is not None:
        from kgraph.oxstore import ReadOnlyOxigraphStore  # noqa: PLC0415 - pyoxigraph, for stores only

        if isinstance(loaded.graph.store, ReadOnlyOxigraphStore):
            return loaded.graph.store.term_counts(terms)
    data = loaded.graph
    classes = {str(t): len(set(data.subjects(RDF.type, t))) for t in terms}
    properties = {str(t): len(set(data.triples((None, t, None)))) for t in terms}
    return classes, properties


def ontology_graph(loaded: LoadedGraph) -> Graph:
    """The ontology's own triples (its named graph), with kgraph's prefixes bound."""
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("vann", VANN)
    for triple in loaded.dataset.graph(ONTOLOGY_GRAPH):
        graph.add(triple)
    return graph


def shapes_graph(ontology_dir: Path) -> Graph:
    """``shapes.ttl`` of the ontology folder, with kgraph's prefixes bound (empty when there is none)."""
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("sh", SH)
    graph.bind("kgsh", KGSH)
    path = ontology_dir / SHAPES_FILE_NAME
    if path.is_file():
        graph.parse(path, format="turtle")
    return graph


def _term(graph: Graph, node: URIRef) -> Term:
    return Term(
        iri=str(node),
        anchor=local_name(node),
        qname=qname(graph, node),
        label_en=_text(graph, node, RDFS.label, "en"),
        label_zh=_text(graph, node, RDFS.label, "zh"),
        comment_en=_text(graph, node, RDFS.comment, "en"),
        comment_zh=_text(graph, node, RDFS.comment, "zh"),
    )


def _sorted(items: Iterable[Term]) -> list[Term]:
    return sorted(items, key=lambda t: (t.anchor.lower(), t.anchor))


def _classes(
    graph: Graph, terms: set[URIRef], counts: dict[str, int], by: dict[URIRef, list[Constraint]]
) -> list[Term]:
    classes = []
    for node in terms:
        if (node, RDF.type, OWL.Class) not in graph:
            continue
        term = _term(graph, node)
        term.supers = _refs(graph, graph.objects(node, RDFS.subClassOf), terms)
        term.subs = _refs(graph, graph.subjects(RDFS.subClassOf, node), terms)
        term.domain_of = _refs(graph, graph.subjects(RDFS.domain, node), terms)
        term.range_of = _refs(graph, graph.subjects(RDFS.range, node), terms)
        term.members = _refs(graph, graph.subjects(RDF.type, node), terms)
        term.count = counts.get(str(node), 0)
        term.constraints = by.get(node, [])
        classes.append(term)
    return _sorted(classes)


def _properties(
    graph: Graph, terms: set[URIRef], kind: URIRef, counts: dict[str, int], by: dict[URIRef, list[Constraint]]
) -> list[Term]:
    found = []
    for node in terms:
        if (node, RDF.type, kind) not in graph:
            continue
        term = _term(graph, node)
        term.supers = _refs(graph, graph.objects(node, RDFS.subPropertyOf), terms)
        term.subs = _refs(graph, graph.subjects(RDFS.subPropertyOf, node), terms)
        term.domain = _refs(graph, graph.objects(node, RDFS.domain), terms)
        term.range = _refs(graph, graph.objects(node, RDFS.range), terms)
        inverse = set(graph.objects(node, OWL.inverseOf)) | set(graph.subjects(OWL.inverseOf, node))
        term.inverse = _refs(graph, inverse, terms)
        term.characteristics = [(en, zh) for cls, en, zh in CHARACTERISTICS if (node, RDF.type, cls) in graph]
        term.preferred = any(o == Literal(True) for o in graph.objects(node, KG.preferredDirection))
        term.count = counts.get(str(node), 0)
        term.constraints = by.get(node, [])
        found.append(term)
    return _sorted(found)


def _values(graph: Graph, terms: set[URIRef], data: Graph) -> list[Term]:
    """The named values (units, bounds ...): the terms that are no class or property, by class."""
    schema_types = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    values = []
    for node in terms:
        types = {t for t in graph.objects(node, RDF.type) if t not in schema_types}
        if not types or any((node, RDF.type, t) in graph for t in schema_types):
            continue
        term = _term(graph, node)
        term.types = _refs(graph, types, terms)
        term.notation = _text(graph, node, SKOS.notation, None)
        term.matches = _refs(graph, graph.objects(node, SKOS.exactMatch), terms)
        term.count = sum(1 for _ in data.subject_predicates(node))
        values.append(term)
    return sorted(values, key=lambda t: (t.types[0].text, t.anchor.lower(), t.anchor))


def _header(graph: Graph) -> dict[str, str]:
    """The ontology's title, version, version IRI, licence, namespace and prefix ('' for what it does not say)."""
    fields = ("iri", "title_zh", "comment_en", "comment_zh", "version", "version_iri", "licence", "prefix")
    header = dict.fromkeys(fields, "") | {"title_en": "Ontology", "namespace": str(KG)}
    ontologies = sorted(s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    if not ontologies:
        return header
    head = ontologies[0]
    licences = sorted(str(o) for o in graph.objects(head, DCTERMS.license))
    version_iris = sorted(str(o) for o in graph.objects(head, OWL.versionIRI))
    return header | {
        "iri": str(head),
        "title_en": _text(graph, head, DCTERMS.title, "en") or _text(graph, head, RDFS.label, "en") or "Ontology",
        "title_zh": _text(graph, head, DCTERMS.title, "zh") or _text(graph, head, RDFS.label, "zh"),
        "comment_en": _text(graph, head, RDFS.comment, "en"),
        "comment_zh": _text(graph, head, RDFS.comment, "zh"),
        "version": _text(graph, head, OWL.versionInfo, None),
        "version_iri": version_iris[0] if version_iris else "",
        "licence": licences[0] if licences else "",
        "prefix": _text(graph, head, URIRef(VANN + "preferredNamespacePrefix"), None),
        "namespace": _text(graph, head, URIRef(VANN + "preferredNamespaceUri"), None) or str(KG),
    }


def page_context(loaded: LoadedGraph, home: str | None = None) -> dict[str, object]:
    """What the template shows, every list sorted."""
    graph = ontology_graph(loaded)
    terms = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(str(KG))}
    by = constraints(shapes_graph(loaded.ontology_dir))
    class_counts, property_counts = _counts(loaded, terms)
    groups = [
        {"key": key, "title_en": en, "title_zh": zh, "terms": _properties(graph, terms, kind, property_counts, by)}
        for kind, key, en, zh in KINDS
    ]
    return {
        "header": _header(graph),
        "classes": _classes(graph, terms, class_counts, by),
        "groups": groups,
        "values": _values(graph, terms, loaded.graph),
        "shapes_file": SHAPES_FILE_NAME,
        "home": home,
    }


def render_page(loaded: LoadedGraph, home: str | None = None) -> bytes:
    """The page, as UTF-8 bytes; ``home``, the index of the viewer's pages beside it, is linked at its foot."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kgraph", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("ontology.html.j2").render(**page_context(loaded, home)).encode("utf-8")


__all__ = ["FILE", "PLACEHOLDERS", "MessagePart", "constraints", "message_parts", "page_context", "render_page"]
