"""SHACL shapes derived from the ontology: one domain shape and one range shape per kg: property.

``ontology/shapes.ttl`` holds the hand-written shapes. The checks on domains and ranges are derived here from
``rdfs:domain`` and ``rdfs:range`` instead of being written by hand, so that they cannot drift from the
ontology and a property added to it is checked at once. They are plain SHACL Core (``sh:class``,
``sh:datatype``), which pySHACL evaluates far faster than one generic SHACL-SPARQL constraint: pySHACL parses a
SPARQL constraint again for every focus node.

:func:`widen_targets` lets a hand-written shape that targets the subjects or objects of a property also target
what the data states with its sub-properties and inverses: validation sees the asserted relations only, so a
shape on the subjects of ``kg:worksFor`` would otherwise never see a person who ``kg:leads`` an organization.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from kgraph.inference import Schema
from kgraph.names import qname
from kgraph.vocab import KG, SH

# Skolem-like IRIs rather than blank nodes keep the shapes graph readable and its report deterministic.
_SHAPES = "https://w3id.org/kgraph/shapes#derived-"

_NUMERIC = (XSD.decimal, XSD.integer)

# The end of the name of a range shape's property shape, and of no other derived shape's.
_RANGE_PROPERTY = "-property"


def is_derived_range(shape: Node | None) -> bool:
    """Whether ``shape`` is the property shape of a range shape :func:`relation_shapes` derived."""
    return isinstance(shape, URIRef) and shape.startswith(_SHAPES) and shape.endswith(_RANGE_PROPERTY)


def relation_shapes(ontology: Graph) -> Graph:
    """Return the domain and range shapes for every kg: property of ``ontology`` that declares them."""
    shapes = Graph()
    shapes.bind("sh", SH)
    shapes.bind("kg", KG)
    for prop, kind in _kg_properties(ontology):
        name = prop.removeprefix(str(KG))
        for domain in sorted(ontology.objects(prop, RDFS.domain), key=str):
            _domain_shape(shapes, prop, name, domain)
        for range_ in sorted(ontology.objects(prop, RDFS.range), key=str):
            if kind == OWL.ObjectProperty:
                _class_range_shape(shapes, prop, name, range_)
            else:
                _datatype_range_shape(shapes, prop, name, range_)
    return shapes


def widen_targets(shapes: Graph, ontology: Graph) -> None:
    """Add to every ``sh:targetSubjectsOf P`` / ``sh:targetObjectsOf P`` of ``shapes`` the targets that the
    ontology makes equivalent: the subjects (objects) of the sub-properties of P, and the objects (subjects) of
    their inverses, and so on (a symmetric property both ways).

    Validation checks the asserted relations, not the inferred ones; ``x kg:leads y`` and ``y kg:employs x`` both
    entail ``x kg:worksFor y``, so a shape about those who work for an organization is about ``x`` too.
    """
    schema = Schema.from_ontology(ontology)  # the sub-properties, inverses and symmetry inference reads
    subs: dict[Node, set[Node]] = {}
    for sub, supers in schema.superproperties.items():
        for sup in supers:
            subs.setdefault(sup, set()).add(sub)
    inverses, symmetric = schema.inverses, schema.symmetric
    flip = {SH.targetSubjectsOf: SH.targetObjectsOf, SH.targetObjectsOf: SH.targetSubjectsOf}
    for target in flip:
        for shape, prop in list(shapes.subject_objects(target)):
            seen = {(prop, target)}
            todo = [(prop, target)]
            while todo:
                current, side = todo.pop()
                steps = [(sub, side) for sub in subs.get(current, ())]
                steps += [(inverse, flip[side]) for inverse in inverses.get(current, ())]
                if current in symmetric:
                    steps.append((current, flip[side]))
                for step in steps:
                    if step not in seen and isinstance(step[0], URIRef):
                        seen.add(step)
                        todo.append(step)
            for other, side in seen:
                shapes.add((shape, side, other))


def _kg_properties(ontology: Graph) -> Iterator[tuple[URIRef, URIRef]]:
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in sorted(ontology.subjects(RDF.type, kind), key=str):
            if isinstance(prop, URIRef) and prop.startswith(str(KG)):
                yield prop, kind


def _domain_shape(shapes: Graph, prop: URIRef, name: str, domain: object) -> None:
    if not isinstance(domain, URIRef):
        return
    shape = URIRef(f"{_SHAPES}{name}-domain-{_local(domain)}")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetSubjectsOf, prop))
    shapes.add((shape, SH["class"], domain))
    message = f"kg:{name} may only be used on a {_qname(domain)}: fix this node's class or the relation."
    shapes.add((shape, SH.message, Literal(message)))


def _range_constraint(shapes: Graph, prop: URIRef, name: str, range_: URIRef) -> URIRef:
    """A node shape targeting the subjects of ``prop``, with an (empty) property shape on ``prop``: returned."""
    shape = URIRef(f"{_SHAPES}{name}-range-{_local(range_)}")
    constraint = URIRef(f"{shape}{_RANGE_PROPERTY}")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetSubjectsOf, prop))
    shapes.add((shape, SH.property, constraint))
    shapes.add((constraint, SH.path, prop))
    return constraint


def _class_range_shape(shapes: Graph, prop: URIRef, name: str, range_: object) -> None:
    if not isinstance(range_, URIRef):
        return
    constraint = _range_constraint(shapes, prop, name, range_)
    shapes.add((constraint, SH["class"], range_))
    message = f"kg:{name} must point to a {_qname(range_)}: fix the object or its class."
    shapes.add((constraint, SH.message, Literal(message)))


def _datatype_range_shape(shapes: Graph, prop: URIRef, name: str, range_: object) -> None:
    if not isinstance(range_, URIRef):
        return
    constraint = _range_constraint(shapes, prop, name, range_)
    if range_ == XSD.decimal:
        # An xsd:integer is an xsd:decimal (XML Schema's type hierarchy), but sh:datatype compares exactly.
        alternatives: list[Node] = []
        for datatype in _NUMERIC:
            option = URIRef(f"{_SHAPES}{name}-range-{_local(datatype)}-option")
            shapes.add((option, SH.datatype, datatype))
            alternatives.append(option)
        head = BNode(f"{name}-range-numeric-list")
        Collection(shapes, head, alternatives)
        shapes.add((constraint, SH["or"], head))
        kinds = " or ".join(_qname(datatype) for datatype in _NUMERIC)
        message = f"kg:{name} must hold a number, an {kinds} literal (such as 4 or 4.5): fix the value."
    else:
        shapes.add((constraint, SH.datatype, range_))
        message = f"kg:{name} must hold a literal of type {_qname(range_)}: fix the value."
    shapes.add((constraint, SH.message, Literal(message)))


def _local(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _qname(iri: URIRef) -> str:
    text = str(iri)
    for prefix, namespace in (("kg", str(KG)), ("xsd", str(XSD)), ("rdf", str(RDF))):
        if text.startswith(namespace):
            return f"{prefix}:{text.removeprefix(namespace)}"
    return f"<{text}>"


def render_path(path: Node, graph: Graph, names: Graph) -> str:
    """A SHACL property path of ``graph`` in SPARQL syntax, named with the prefixes of ``names``: brackets only
    where SPARQL's precedence needs them (``^(kg:a/kg:b)``, ``(kg:a|kg:b)/kg:c``, ``(^kg:a)*``). A part that is no
    SHACL path is written ``(path)``: a literal, a blank node of no path form, a sequence or alternatives of fewer
    than two members or a list that does not end, and a path that holds itself."""
    return _path_text(path, graph, names, frozenset())[0]


# SPARQL's property path grammar, loosest first: an alternative, a sequence, an inverse (``^`` before a path
# element), a path element (a primary with ``*``, ``+`` or ``?``), a primary (an IRI or a bracketed path).
_ALTERNATIVE, _SEQUENCE, _INVERSE, _ELEMENT, _PRIMARY = range(5)
# a path made of one other: its SPARQL form, how tightly the other must bind to go bare, how tightly the whole binds
_UNARY = (
    (SH.inversePath, "^{}", _ELEMENT, _INVERSE),
    (SH.zeroOrMorePath, "{}*", _PRIMARY, _ELEMENT),
    (SH.oneOrMorePath, "{}+", _PRIMARY, _ELEMENT),
    (SH.zeroOrOnePath, "{}?", _PRIMARY, _ELEMENT),
)
_NO_PATH = ("(path)", _PRIMARY)


def _path_text(path: Node, graph: Graph, names: Graph, within: frozenset[Node]) -> tuple[str, int]:
    """A path's text and how tightly it binds (one of ``_ALTERNATIVE`` .. ``_PRIMARY``); ``within``: the blank
    nodes of the paths it is part of (one of them again is a path that holds itself, which never ends)."""
    if isinstance(path, URIRef):
        return qname(names, path), _PRIMARY
    if not isinstance(path, BNode) or path in within:
        return _NO_PATH
    within = within | {path}

    def operand(inner: Node, at_least: int) -> str:
        text, binds = _path_text(inner, graph, names, within)
        return text if binds >= at_least else f"({text})"

    for predicate, template, at_least, binds in _UNARY:
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(operand(inner, at_least)), binds
    alternatives = graph.value(path, SH.alternativePath)
    members = _members(graph, alternatives if alternatives is not None else path)
    if len(members) < 2:  # SHACL asks two or more of a sequence and of alternatives (pySHACL refuses fewer)
        return _NO_PATH
    joiner, at_least, binds = ("|", _SEQUENCE, _ALTERNATIVE) if alternatives is not None else ("/", _INVERSE, _SEQUENCE)
    return joiner.join(operand(p, at_least) for p in members), binds


def _members(graph: Graph, head: Node) -> list[Node]:
    """The members of the RDF list ``head``; none if it is not one that ends in ``rdf:nil`` (rdflib's
    Collection raises on a list whose rdf:rest comes back, and reads one that stops short as ending there)."""
    try:
        firsts = [graph.value(node, RDF.first) for node in list_nodes(graph, head)]
    except MalformedList:
        return []
    members = [first for first in firsts if first is not None]
    return members if len(members) == len(firsts) else []


class MalformedList(ValueError):
    """An RDF list that does not end in ``rdf:nil``: ``loop`` holds the nodes of the part whose ``rdf:rest`` comes back
    to itself, in order, or is empty for a list that stops short (a node without ``rdf:rest``)."""

    def __init__(self, loop: Sequence[Node]) -> None:
        super().__init__("a list whose rdf:rest comes back to itself" if loop else "a list that stops short")
        self.loop = tuple(loop)


def list_nodes(graph: Graph, head: Node) -> Iterator[Node]:
    """The nodes of the RDF list ``head`` along ``rdf:rest``, ``head`` first, up to ``rdf:nil`` (not yielded),
    whatever their ``rdf:first``. Raise :class:`MalformedList` where it does not reach ``rdf:nil``: at a node
    without ``rdf:rest``, or at a node it has yielded before (the list then never ends)."""
    walked: dict[Node, None] = {}  # in order, for the part that loops
    node: Node | None = head
    while node != RDF.nil:
        if node is None:
            raise MalformedList(())
        if node in walked:
            nodes = list(walked)
            raise MalformedList(nodes[nodes.index(node) :])
        walked[node] = None
        yield node
        node = graph.value(node, RDF.rest)
