"""Which focus nodes can break a shape: on a store, pySHACL checks only those.

pySHACL checks one focus node at a time through rdflib, a fraction of a millisecond per node and shape: at a
million triples, minutes. Most nodes break nothing, and for most constraints that can be told set by set. This
module reads the values a shape looks at one predicate at a time, finds for each shape with targets the focus
nodes that surely conform to it, and hands the others to pySHACL (:func:`kgraph.validation.validate`): the report
is pySHACL's, word for word, and the work grows with the problems rather than with the graph.

The reasoning is three-valued and errs one way only. For a set of nodes and a shape, :meth:`Scope.check` returns
the nodes that surely conform and the nodes that surely do not; the rest are undecided. A node surely conforms
only by rules this module applies as pySHACL does, on the same rdflib terms: class membership through
``rdfs:subClassOf``, counts, ``sh:languageIn``, ``sh:datatype`` (literals rdflib read without error, of the
datatype asked, with the Python value pySHACL requires), ``sh:pattern`` without flags on IRIs and strings,
``sh:nodeKind``, ``sh:uniqueLang``, ``sh:in``, ``sh:hasValue``, ``sh:equals``/``sh:disjoint`` where the values
show it, and the logical and shape-based constraints built of these; on a path of one IRI, its inverse
(``[ sh:inversePath p ]``) or alternatives of those (``[ sh:alternativePath ( p [ sh:inversePath q ] ) ]``, the
union of their values, as pySHACL takes it). The rest is left to pySHACL for the nodes
it concerns: value ranges and lengths on nodes with values, ``sh:lessThan`` where both properties have values,
``sh:closed``, a nested shape with a severity of its own, and SHACL-SPARQL constraints, but for those of a
node shape whose query :mod:`kgraph.sparql_once` finds of a form that may run once for all nodes: run once with
``$this`` unbound, over the same data, it clears each node that has no row (when the nodes are many enough,
:data:`SPARQL_ONCE_SHARE`). A shapes graph this module
cannot read as pySHACL would (another property path, such as a sequence or a repetition, constraint components,
functions or rules of its own, targets of a custom type, a blank-node shape with targets, a shape that is also a
class, a focus node to check that is not an IRI) raises :class:`Unsupported`, and the caller validates everything
with pySHACL.

Targets are found as pySHACL finds them (instances of the class and its sub-classes, subjects or objects of a
property, the nodes named), on the same data; SHACL-AF's ``sh:target`` by pySHACL itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection as RdfList
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from kgraph import sparql_once
from kgraph.oxstore import from_tsv, sparql, to_ox, tsv_select
from kgraph.vocab import SH

#: The fewest focus nodes, as a share of the triples checked, for which a SHACL-SPARQL constraint's query is run
#: once with ``$this`` unbound rather than by pySHACL for each node: the one query may read the whole graph (2.7
#: CPU-seconds at 100k triples for kgsh:DeclaredTermShape's, where one node's takes about a millisecond).
SPARQL_ONCE_SHARE = 0.01

#: pySHACL's component for sh:sparql, as :class:`Scope` names components.
_SPARQL_COMPONENT = "SPARQLBasedConstraint"

#: A node to have pySHACL write a SHACL-SPARQL query's text for (the text does not depend on it).
_ANY_NODE = "urn:kgraph:shacl-scope:any-node"

#: How deeply shapes may nest (sh:node, sh:or, qualified shapes...) before the shapes are left to pySHACL.
_MAX_DEPTH = 32

_EMPTY: frozenset[Node] = frozenset()

#: Shapes graphs with any of these are validated by pySHACL alone: their meaning is code this module does not see.
_OPAQUE_TYPES = (
    SH.ConstraintComponent,
    SH.SPARQLTargetType,
    SH.JSTargetType,
    SH.JSTarget,
    SH.JSConstraint,
    SH.SPARQLFunction,
    SH.JSFunction,
    SH.SPARQLRule,
    SH.TripleRule,
    SH.JSRule,
)
_OPAQUE_PREDICATES = (SH.rule, SH.js, SH.expression, SH.parameter)


class Unsupported(Exception):
    """The shapes use something this module does not reason about; validate everything with pySHACL."""


def readable(shapes: Graph) -> None:
    """Raise :class:`Unsupported` for what can be seen in the shapes alone (before any data is read)."""
    for kind in _OPAQUE_TYPES:
        if (None, RDF.type, kind) in shapes:
            raise Unsupported(f"the shapes use {kind.n3()}")
    for predicate in _OPAQUE_PREDICATES:
        if (None, predicate, None) in shapes:
            raise Unsupported(f"the shapes use {predicate.n3()}")
    for path in shapes.objects(None, SH.path):
        path_steps(shapes, path)
    for predicate in _TARGETS:
        for shape in shapes.subjects(predicate, None):
            if not isinstance(shape, URIRef):
                raise Unsupported("a shape with targets is a blank node")


#: One step of a path this module reads: a predicate, and whether it is followed backwards (sh:inversePath).
Step = tuple[URIRef, bool]


def path_steps(shapes: Graph, path: Node, alternatives: bool = True) -> list[Step]:
    """The steps whose values, together, are the value nodes of ``path``: one IRI, ``[ sh:inversePath IRI ]``, or
    ``[ sh:alternativePath ( ... ) ]`` of those (their union, as pySHACL evaluates it). Any other path raises
    :class:`Unsupported`."""
    if isinstance(path, URIRef):
        return [(path, False)]
    described = set(shapes.predicate_objects(path)) if isinstance(path, BNode) else set()
    if len(described) == 1:
        ((predicate, inner),) = described
        if predicate == SH.inversePath and isinstance(inner, URIRef):
            return [(inner, True)]
        if predicate == SH.alternativePath and alternatives:
            steps = [step for item in _path_list(shapes, inner) for step in path_steps(shapes, item, False)]
            if len(steps) >= 2:  # pySHACL refuses fewer
                return sorted(set(steps))
    raise Unsupported("a property path other than an IRI, its inverse, or alternatives of those")


def _path_list(shapes: Graph, head: Node) -> list[Node]:
    try:
        return list(RdfList(shapes, head))
    except Exception as error:  # a broken list: pySHACL reports it
        raise Unsupported("a malformed RDF list in the shapes") from error


Verdict = tuple[set[Node], set[Node]]  # (surely conform, surely do not)


class Scope:
    """The focus nodes of each shape that pySHACL must check, over ``data`` (an rdflib graph whose default graph
    is ``native``, an Oxigraph store holding exactly the triples validated)."""

    def __init__(self, data: Graph, native: ox.Store, shapes: Graph) -> None:
        self.data = data
        self.native = native
        self.shapes = shapes
        self._values: dict[URIRef, dict[Node, set[Node]]] = {}
        self._inverse: dict[URIRef, dict[Node, set[Node]]] = {}
        self._super: dict[Node, frozenset[Node]] = {}
        self._instance_of: dict[frozenset[Node], frozenset[Node]] = {}
        #: A term's text in SPARQL TSV -> its rdflib term, for every term read (from_tsv keeps only the last 65,536).
        self._terms: dict[str, Node] = {}
        self._depth = 0
        self._shapes_graph: Any = None
        #: (shape, SHACL-SPARQL constraint) -> the $this of its rows, its query run once (:meth:`sparql_rows`).
        self._sparql_rows: dict[tuple[Node, Node], frozenset[Node] | None] = {}
        #: SHACL-SPARQL constraint -> why its query is run for each node by pySHACL, not once here.
        self.refused: dict[Node, str] = {}
        readable(shapes)
        from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP  # noqa: PLC0415 - only validation needs it

        #: Constraint parameter -> the name of pySHACL's class for its constraint component.
        self._components: dict[Node, str] = {
            parameter: component.__name__ for parameter, component in CONSTRAINT_PARAMETERS_MAP.items()
        }

    def candidates(self) -> Iterator[tuple[Node, list[URIRef]]]:
        """Each shape with focus nodes that may break it, with those nodes (sorted); shapes whose focus nodes all
        conform are left out.

        A node shape's focus node that surely meets every constraint of the shape but some of its property shapes
        (``sh:property``) is given to those property shapes rather than to the node shape: pySHACL reports the
        results of a property shape as they are, so checking it alone gives the same results for less work.
        """
        for shape in sorted(self._pyshacl_shapes().shapes, key=lambda s: str(s.node)):
            focus = self._targets(shape)
            if not focus:
                continue
            if not isinstance(shape.node, URIRef):
                raise Unsupported("a shape with targets is a blank node")
            verdicts = self._verdicts(shape.node, focus, nested=False)
            if verdicts is not None:  # None: deactivated, pySHACL skips it
                yield from self._split(shape.node, focus, verdicts)

    def _targets(self, shape: Any) -> set[Node]:  # noqa: ANN401 - a pySHACL shape
        """The shape's focus nodes as pySHACL finds them: from the tables here for the core targets, by pySHACL
        itself for SHACL-AF's ``sh:target``."""
        node = shape.node
        if shape.implicit_class_targets():
            raise Unsupported("a shape that is also a class (an implicit class target)")
        if (node, SH.target, None) in self.shapes:
            shape.set_advanced(True)
            return set(shape.focus_nodes(self.data))
        found: set[Node] = set(self.shapes.objects(node, SH.targetNode))
        classes = set(self.shapes.objects(node, SH.targetClass))
        if classes:
            wanted = self._sub_classes(classes)
            for subject, types in self.values(RDF.type).items():
                if not types.isdisjoint(wanted):
                    found.add(subject)
        for predicate in self.shapes.objects(node, SH.targetSubjectsOf):
            found.update(self.values(_iri(predicate)))
        for predicate in self.shapes.objects(node, SH.targetObjectsOf):
            for objects in self.values(_iri(predicate)).values():
                found.update(objects)
        return found

    def _split(
        self, shape: URIRef, focus: set[Node], verdicts: list[tuple[str, Verdict]]
    ) -> Iterator[tuple[Node, list[URIRef]]]:
        """The focus nodes of ``shape`` that may break it: for the shape, or for some of its property shapes."""
        conforming = set(focus)
        for _component, (ok, _fail) in verdicts:
            conforming &= ok
        left = focus - conforming
        if not left:
            return
        if not all(isinstance(node, URIRef) for node in left):
            raise Unsupported("a focus node that may break a shape is not an IRI")
        properties = list(self.shapes.objects(shape, SH.property))
        whole: set[Node] = set(left)
        parts: dict[Node, set[Node]] = {}
        # A property shape that two shapes share, or that has targets of its own, is reported once per way it is
        # reached: such a shape is left whole.
        if (
            properties
            and (shape, SH.path, None) not in self.shapes
            and all(len(set(self.shapes.subjects(SH.property, prop))) == 1 for prop in properties)
            and not any((prop, target, None) in self.shapes for prop in properties for target in _TARGETS)
        ):
            others_ok = set(left)
            for component, (ok, _fail) in verdicts:
                if component != "PropertyConstraintComponent":
                    others_ok &= ok
            whole -= others_ok
            for prop in properties:
                prop_ok, _fail = self.check(prop, others_ok, nested=False)
                if others_ok - prop_ok:
                    parts[prop] = others_ok - prop_ok
        if whole:
            yield shape, _sorted_iris(whole)
        for prop in sorted(parts, key=str):
            yield prop, _sorted_iris(parts[prop])

    # --- shapes

    def check(self, shape: Node, nodes: Collection[Node], nested: bool = True) -> Verdict:
        """Of ``nodes``, those that surely conform to ``shape`` and those that surely do not."""
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH:
                raise Unsupported("the shapes nest too deeply, or refer to themselves")
            return self._check(shape, nodes, nested)
        finally:
            self._depth -= 1

    def _check(self, shape: Node, nodes: Collection[Node], nested: bool) -> Verdict:
        verdicts = self._verdicts(shape, nodes, nested)
        if verdicts is None:
            return set(nodes), set()  # pySHACL skips a deactivated shape: it conforms
        ok, fail = set(nodes), set()
        for _component, (node_ok, node_fail) in verdicts:
            ok &= node_ok
            fail |= node_fail
        return ok, fail

    def _verdicts(self, shape: Node, nodes: Collection[Node], nested: bool) -> list[tuple[str, Verdict]] | None:
        """Each constraint component of ``shape`` with its verdict on ``nodes``; None for a deactivated shape."""
        params: dict[Node, list[Node]] = {}
        for predicate, obj in self.shapes.predicate_objects(shape):
            params.setdefault(predicate, []).append(obj)
        if any(_is_true(value) for value in params.get(SH.deactivated, [])):
            return None
        if nested and any(value != SH.Violation for value in params.get(SH.severity, [])):
            return [("severity", (set(), set()))]  # how pySHACL counts a nested warning is not decided here
        values = self._path_values(params.get(SH.path))
        verdicts: list[tuple[str, Verdict]] = []
        done: set[str] = set()
        for parameter in params:
            component = self._components.get(parameter)
            if component is None or component in done:
                continue  # not a constraint parameter (sh:path, sh:message, targets, comments...)
            done.add(component)
            if component == _SPARQL_COMPONENT:
                verdicts.append((component, (self._sparql(shape, params, nodes), set())))
                continue
            handler = _HANDLERS.get(component)
            if handler is None:  # a constraint this module does not decide: pySHACL does
                verdicts.append((component, (set(), set())))
                continue
            verdicts.append((component, handler(self, params, nodes, values)))
        return verdicts

    def _sparql(self, shape: Node, params: dict[Node, list[Node]], nodes: Collection[Node]) -> set[Node]:
        """Of ``nodes``, those that surely conform to every SHACL-SPARQL constraint (``sh:sparql``) of ``shape``:
        the nodes for which no query has a row, each query run once with ``$this`` unbound
        (:mod:`kgraph.sparql_once`). None are when a query is not of a form that allows it, when the shape is a
        property shape (``$PATH``, value nodes) or when the nodes are fewer than :data:`SPARQL_ONCE_SHARE` of the
        triples (a query over the whole graph would cost more than pySHACL's queries for each)."""
        if SH.path in params or not nodes or len(nodes) < SPARQL_ONCE_SHARE * len(self.data):
            return set()
        ok = set(nodes)
        for constraint in params[SH.sparql]:
            rows = self.sparql_rows(shape, constraint)
            if rows is None:
                return set()
            ok -= rows
        return ok

    def sparql_rows(self, shape: Node, constraint: Node) -> frozenset[Node] | None:
        """The values of ``$this`` in the rows of the SHACL-SPARQL constraint ``constraint`` of the node shape
        ``shape``, its query run once with ``$this`` unbound, on the data pySHACL queries; None when that is not
        the same as running it for each node (:func:`kgraph.sparql_once.refusal`), or Oxigraph does not answer.
        Each answer is kept."""
        key = (shape, constraint)
        if key not in self._sparql_rows:
            self._sparql_rows[key] = self._run_once(shape, constraint)
        return self._sparql_rows[key]

    def _run_once(self, shape: Node, constraint: Node) -> frozenset[Node] | None:
        text = self._sparql_text(shape, constraint)
        if text is None or not text:
            return None if text is None else frozenset()  # "": deactivated, pySHACL skips it
        namespaces = {prefix: str(namespace) for prefix, namespace in self.data.namespaces()}
        reason = sparql_once.refusal(text, namespaces)
        if reason is not None:
            self.refused[constraint] = reason
            return None
        try:  # as pySHACL's queries reach Oxigraph (kgraph.oxstore.ReadOnlyOxigraphStore.query), but unbound
            answer = sparql(self.native, text, None, namespaces)
        except Exception as error:  # Oxigraph refuses it, or fails on it: pySHACL runs it for each node
            self.refused[constraint] = f"Oxigraph does not answer it ({type(error).__name__})"
            return None
        found: set[Node] = set()
        for row in answer.bindings:
            this = row.get(sparql_once.THIS)
            if this is None:  # not for a query accepted; but then every node would have this row
                self.refused[constraint] = "a row without $this"
                return None
            found.add(this)
        return frozenset(found)

    def _sparql_text(self, shape: Node, constraint: Node) -> str | None:
        """The text pySHACL runs for ``constraint`` of ``shape``, its prefixes declared, as pySHACL builds it; ""
        for a deactivated constraint; None (and the reason in :attr:`refused`) when ``$this`` is not the only
        variable pySHACL gives a value (``$currentShape``), or pySHACL cannot read the constraint."""
        try:
            from pyshacl.constraints.sparql.sparql_based_constraints import (  # noqa: PLC0415
                SPARQLBasedConstraint,
            )

            found = self._pyshacl_shapes().lookup_shape_from_node(shape)
            helpers = [h for h in SPARQLBasedConstraint(found).sparql_constraints if h.node == constraint]
            if len(helpers) != 1:
                raise LookupError(constraint)
            if helpers[0].deactivated:
                return ""
            bindings, text = helpers[0].pre_bind_variables(URIRef(_ANY_NODE))
        except Exception as error:  # pySHACL reports it when it validates
            self.refused[constraint] = f"pySHACL does not read it here ({type(error).__name__})"
            return None
        if set(bindings) != {"this"}:
            self.refused[constraint] = "pySHACL gives a value to a variable other than $this"
            return None
        return str(helpers[0].apply_prefixes(text))

    def _pyshacl_shapes(self) -> Any:  # noqa: ANN401 - pySHACL's ShapesGraph
        if self._shapes_graph is None:
            from pyshacl.shapes_graph import ShapesGraph  # noqa: PLC0415 - only validation needs it

            self._shapes_graph = ShapesGraph(self.shapes)
            _ = self._shapes_graph.shapes  # builds the table lookup_shape_from_node reads
        return self._shapes_graph

    def _path_values(self, paths: list[Node] | None) -> Callable[[Node], Collection[Node]]:
        """A node's value nodes: the objects of the path, or the node itself for a node shape."""
        if paths is None:
            return lambda node: (node,)
        if len(paths) != 1:
            raise Unsupported("a property shape with more than one sh:path")
        tables = [
            self.inverse(predicate) if backwards else self.values(predicate)
            for predicate, backwards in path_steps(self.shapes, paths[0])
        ]
        if len(tables) == 1:
            table = tables[0]
            return lambda node: table.get(node, _EMPTY)
        union: dict[Node, set[Node]] = {}  # per node, the union of the steps' values (read once per shape)

        def values(node: Node) -> Collection[Node]:
            found = union.get(node)
            if found is None:
                found = union[node] = set().union(*(table.get(node, _EMPTY) for table in tables))
            return found

        return values

    def values(self, predicate: URIRef) -> dict[Node, set[Node]]:
        """Every subject of ``predicate`` with its objects, as rdflib terms (read once per predicate).

        Oxigraph writes the pairs as SPARQL TSV (into a temporary file, read back a line at a time), and each
        distinct text becomes an rdflib term once (:func:`kgraph.oxstore.from_tsv`): a pyoxigraph term per value,
        made and then hashed to find its rdflib term, cost more (at a million triples, ``rdf:type``'s 734,953
        pairs took 6.0 CPU-seconds through ``quads_for_pattern``, 4.3 as TSV)."""
        table = self._values.get(predicate)
        if table is None:
            table = {}
            terms = self._terms
            for s, o in tsv_select(self.native, f"SELECT ?s ?o WHERE {{ ?s {to_ox(predicate)} ?o }}"):
                subject = terms.get(s)
                if subject is None:
                    subject = terms[s] = from_tsv(s)
                obj = terms.get(o)
                if obj is None:
                    obj = terms[o] = from_tsv(o)
                found = table.get(subject)
                if found is None:
                    table[subject] = {obj}
                else:
                    found.add(obj)
            self._values[predicate] = table
        return table

    def read(self, predicate: URIRef) -> dict[Node, set[Node]] | None:
        """:meth:`values` of ``predicate`` if they have been read, else None (nothing is read)."""
        return self._values.get(predicate)

    def inverse(self, predicate: URIRef) -> dict[Node, set[Node]]:
        """Every object of ``predicate`` with its subjects (:meth:`values` turned round)."""
        table = self._inverse.get(predicate)
        if table is None:
            table = {}
            for subject, objects in self.values(predicate).items():
                for obj in objects:
                    table.setdefault(obj, set()).add(subject)
            self._inverse[predicate] = table
        return table

    def classes_of(self, node: Node) -> frozenset[Node]:
        """The classes of ``node``: its rdf:types and their super-classes (``rdfs:subClassOf``, transitively)."""
        types = self.values(RDF.type).get(node)
        if not types:
            return frozenset()
        key = frozenset(types)
        found = self._instance_of.get(key)
        if found is None:
            found = self._instance_of[key] = frozenset().union(*(self._super_of(cls) for cls in types))
        return found

    def _super_of(self, cls: Node) -> frozenset[Node]:
        found = self._super.get(cls)
        if found is None:
            found = self._super[cls] = frozenset(self._closure(cls))
        return found

    def _sub_classes(self, classes: Iterable[Node]) -> set[Node]:
        """``classes`` and their sub-classes (``rdfs:subClassOf``, transitively)."""
        children: dict[Node, set[Node]] = {}
        for child, parents in self.values(RDFS.subClassOf).items():
            for parent in parents:
                children.setdefault(parent, set()).add(child)
        return _reachable(classes, children)

    def _closure(self, cls: Node) -> set[Node]:
        return _reachable((cls,), self.values(RDFS.subClassOf))

    def items(self, head: Node) -> list[Node]:
        """An RDF list of the shapes graph."""
        try:
            return list(RdfList(self.shapes, head))
        except Exception as error:  # a broken list: pySHACL reports it
            raise Unsupported("a malformed RDF list in the shapes") from error


# --- constraint components: each returns the nodes that surely conform, and those that surely do not

Values = Callable[[Node], Collection[Node]]
Handler = Callable[[Scope, dict[Node, list[Node]], Collection[Node], Values], Verdict]


def _each_value(nodes: Collection[Node], values: Values, value_ok: set[Node], value_fail: set[Node]) -> Verdict:
    """A rule on each value node: a node conforms when all its values do, and fails when one of them fails."""
    ok, fail = set(), set()
    for node in nodes:
        found = values(node)
        if all(value in value_ok for value in found):
            ok.add(node)
        elif any(value in value_fail for value in found):
            fail.add(node)
    return ok, fail


def _all_values(nodes: Collection[Node], values: Values) -> set[Node]:
    found: set[Node] = set()
    for node in nodes:
        found.update(values(node))
    return found


def _class(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    every = _all_values(nodes, values)
    value_ok: set[Node] = set()
    for value in every:
        if isinstance(value, Literal):
            continue
        classes = scope.classes_of(value)
        if all(cls in classes for cls in params[SH["class"]]):
            value_ok.add(value)
    return _each_value(nodes, values, value_ok, every - value_ok)


#: The Python types pySHACL requires of a literal's value for these datatypes; for other datatypes a literal of
#: the datatype that rdflib read without error passes.
_VALUE_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.integer: int,
    XSD.decimal: Decimal,
    XSD.float: float,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


def _datatype_verdict(value: Node, datatype: Node) -> bool | None:  # noqa: PLR0911 - one case per return
    """Whether ``value`` is a literal of ``datatype`` as pySHACL decides it; None where this is not decided."""
    if not isinstance(value, Literal):
        return False
    if datatype == RDF.langString:
        return True if value.language else None
    if value.language:
        return None
    if datatype == XSD.string:
        return True if value.datatype in (None, XSD.string) and isinstance(value.value, str) else None
    if value.datatype != datatype or getattr(value, "ill_typed", None) is not False:
        return None
    wanted = _VALUE_TYPES.get(datatype)  # type: ignore[call-overload]
    if wanted is None or (isinstance(value.value, wanted) and not (wanted is int and isinstance(value.value, bool))):
        return True
    return None


def _datatype(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    datatypes = params[SH.datatype]
    if len(datatypes) != 1:
        raise Unsupported("a shape with more than one sh:datatype")
    return _by_rule(nodes, values, lambda value: _datatype_verdict(value, datatypes[0]))


def _by_rule(nodes: Collection[Node], values: Values, rule: Callable[[Node], bool | None]) -> Verdict:
    value_ok, value_fail = set(), set()
    for value in _all_values(nodes, values):
        verdict = rule(value)
        if verdict is True:
            value_ok.add(value)
        elif verdict is False:
            value_fail.add(value)
    return _each_value(nodes, values, value_ok, value_fail)


def _language_in(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    lists = params[SH.languageIn]
    if len(lists) != 1:
        raise Unsupported("a shape with more than one sh:languageIn")
    wanted = set()
    for item in scope.items(lists[0]):
        if not isinstance(item, Literal) or not isinstance(item.value, str):
            raise Unsupported("sh:languageIn holds something other than strings")
        wanted.add(str(item.value).lower())

    def rule(value: Node) -> bool:
        if not isinstance(value, Literal) or not value.language:
            return False
        tag = str(value.language)
        return "*" in wanted or tag.lower() in wanted or tag.split("-", maxsplit=1)[0].lower() in wanted

    return _by_rule(nodes, values, rule)


def _pattern(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    if SH.flags in params:
        return _per_value_unknown(scope, params, nodes, values)
    compiled = []
    for pattern in params[SH.pattern]:
        try:
            compiled.append(re.compile(str(pattern)))
        except re.error as error:
            raise Unsupported("a sh:pattern Python cannot read") from error

    def rule(value: Node) -> bool | None:
        if isinstance(value, BNode):
            return False
        if isinstance(value, Literal) and (value.language or value.datatype not in (None, XSD.string)):
            return None  # pySHACL matches some typed literals against their Python value's text
        text = str(value)
        return all(expression.search(text) is not None for expression in compiled)

    return _by_rule(nodes, values, rule)


_KINDS = {
    URIRef: (SH.IRI, SH.BlankNodeOrIRI, SH.IRIOrLiteral),
    BNode: (SH.BlankNode, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral),
    Literal: (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral),
}


def _node_kind(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    kinds = params[SH.nodeKind]
    if len(kinds) != 1 or kinds[0] not in {kind for group in _KINDS.values() for kind in group}:
        raise Unsupported("an unusual sh:nodeKind")
    return _by_rule(nodes, values, lambda value: kinds[0] in _KINDS.get(type(value), ()))


def _in(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    lists = params[SH["in"]]
    if len(lists) != 1:
        raise Unsupported("a shape with more than one sh:in")
    allowed = set(scope.items(lists[0]))
    return _by_rule(nodes, values, lambda value: True if value in allowed else None)


def _has_value(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    wanted = params[SH.hasValue]
    return {node for node in nodes if all(item in values(node) for item in wanted)}, set()


def _count(bound: Node, below: bool) -> Callable[[int], bool]:
    if not isinstance(bound, Literal) or type(bound.value) is not int:
        raise Unsupported("a count that is not an integer")
    limit = bound.value
    return (lambda n: n >= limit) if below else (lambda n: n <= limit)


def _min_count(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    return _cardinality(nodes, values, [_count(bound, True) for bound in params[SH.minCount]])


def _max_count(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    return _cardinality(nodes, values, [_count(bound, False) for bound in params[SH.maxCount]])


def _cardinality(nodes: Collection[Node], values: Values, tests: list[Callable[[int], bool]]) -> Verdict:
    ok: set[Node] = set()
    fail: set[Node] = set()
    for node in nodes:
        n = len(values(node))
        (ok if all(test(n) for test in tests) else fail).add(node)
    return ok, fail


def _unique_lang(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    if not any(_is_true(flag) for flag in params[SH.uniqueLang]):
        return set(nodes), set()
    ok, fail = set(), set()
    for node in nodes:
        tags = [str(v.language) for v in values(node) if isinstance(v, Literal) and v.language]
        if len({tag.lower() for tag in tags}) == len(tags):
            ok.add(node)
        elif len(set(tags)) < len(tags):
            fail.add(node)
    return ok, fail


def _qualified(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    if any(_is_true(flag) for flag in params.get(SH.qualifiedValueShapesDisjoint, [])):
        return set(), set()
    shapes = params.get(SH.qualifiedValueShape, [])
    if len(shapes) != 1:
        raise Unsupported("a qualified constraint without exactly one sh:qualifiedValueShape")
    minimum = [_count(bound, True) for bound in params.get(SH.qualifiedMinCount, [])]
    maximum = [_count(bound, False) for bound in params.get(SH.qualifiedMaxCount, [])]
    value_ok, value_fail = scope.check(shapes[0], _all_values(nodes, values))
    ok, fail = set(), set()
    for node in nodes:
        found = values(node)
        surely = sum(1 for value in found if value in value_ok)
        maybe = sum(1 for value in found if value not in value_fail)
        if all(test(surely) for test in minimum) and all(test(maybe) for test in maximum):
            ok.add(node)
        elif not all(test(maybe) for test in minimum) or not all(test(surely) for test in maximum):
            fail.add(node)
    return ok, fail


def _nested(
    scope: Scope,
    shapes: list[Node],
    nodes: Collection[Node],
    values: Values,
    combine: Callable[[list[Verdict]], Verdict],
) -> Verdict:
    every = _all_values(nodes, values)
    value_ok, value_fail = combine([scope.check(shape, every) for shape in shapes])
    return _each_value(nodes, values, value_ok, value_fail)


def _all_of(verdicts: list[Verdict]) -> Verdict:
    ok: set[Node] | None = None
    fail: set[Node] = set()
    for shape_ok, shape_fail in verdicts:
        ok = set(shape_ok) if ok is None else ok & shape_ok
        fail |= shape_fail
    return ok or set(), fail


def _any_of(verdicts: list[Verdict]) -> Verdict:
    ok: set[Node] = set()
    fail: set[Node] | None = None
    for shape_ok, shape_fail in verdicts:
        ok |= shape_ok
        fail = set(shape_fail) if fail is None else fail & shape_fail
    return ok, fail or set()


def _one_of(verdicts: list[Verdict]) -> Verdict:
    every: set[Node] = set()
    for shape_ok, shape_fail in verdicts:
        every |= shape_ok | shape_fail
    ok, fail = set(), set()
    for node in every:
        surely = sum(1 for shape_ok, _ in verdicts if node in shape_ok)
        not_surely_failing = sum(1 for _, shape_fail in verdicts if node not in shape_fail)
        if surely == 1 and not_surely_failing == 1:
            ok.add(node)
        elif not_surely_failing == 0 or surely >= 2:
            fail.add(node)
    return ok, fail


def _node(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    return _nested(scope, params[SH.node], nodes, values, _all_of)


def _property(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    return _nested(scope, params[SH.property], nodes, values, _all_of)


def _logical(combine: Callable[[list[Verdict]], Verdict], parameter: URIRef) -> Handler:
    def handler(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
        verdicts = [_nested(scope, scope.items(head), nodes, values, combine) for head in params[parameter]]
        return _all_of(verdicts)

    return handler


def _not(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    every = _all_values(nodes, values)
    ok: set[Node] = set(every)
    fail: set[Node] = set()
    for shape in params[SH["not"]]:
        shape_ok, shape_fail = scope.check(shape, every)
        ok &= shape_fail
        fail |= shape_ok
    return _each_value(nodes, values, ok, fail)


def _pair(parameter: URIRef, decide: Callable[[Collection[Node], Collection[Node]], bool]) -> Handler:
    """sh:equals, sh:disjoint, sh:lessThan...: decided only where ``decide`` says the pair surely conforms."""

    def handler(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
        others = []
        for other in params[parameter]:
            if not isinstance(other, URIRef):
                raise Unsupported(f"{parameter.n3()} names something other than an IRI")
            others.append(scope.values(other))
        ok = {node for node in nodes if all(decide(values(node), table.get(node, _EMPTY)) for table in others)}
        return ok, set()

    return handler


def _per_value_unknown(
    scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values
) -> Verdict:
    """A rule on each value that this module does not decide: only a node without values surely conforms."""
    return {node for node in nodes if not values(node)}, set()


def _closed(scope: Scope, params: dict[Node, list[Node]], nodes: Collection[Node], values: Values) -> Verdict:
    if not any(_is_true(flag) for flag in params[SH.closed]):
        return set(nodes), set()
    return set(), set()


_HANDLERS: dict[str, Handler] = {
    "ClassConstraintComponent": _class,
    "DatatypeConstraintComponent": _datatype,
    "NodeKindConstraintComponent": _node_kind,
    "LanguageInConstraintComponent": _language_in,
    "PatternConstraintComponent": _pattern,
    "InConstraintComponent": _in,
    "HasValueConstraintComponent": _has_value,
    "MinCountConstraintComponent": _min_count,
    "MaxCountConstraintComponent": _max_count,
    "UniqueLangConstraintComponent": _unique_lang,
    "QualifiedValueShapeConstraintComponent": _qualified,
    "NodeConstraintComponent": _node,
    "PropertyConstraintComponent": _property,
    "AndConstraintComponent": _logical(_all_of, SH["and"]),
    "OrConstraintComponent": _logical(_any_of, SH["or"]),
    "XoneConstraintComponent": _logical(_one_of, SH.xone),
    "NotConstraintComponent": _not,
    "EqualsConstraintComponent": _pair(SH.equals, lambda mine, other: set(mine) == set(other)),
    "DisjointConstraintComponent": _pair(SH.disjoint, lambda mine, other: not set(mine) & set(other)),
    "LessThanConstraintComponent": _pair(SH.lessThan, lambda mine, other: not mine or not other),
    "LessThanOrEqualsConstraintComponent": _pair(SH.lessThanOrEquals, lambda mine, other: not mine or not other),
    "MinLengthConstraintComponent": _per_value_unknown,
    "MaxLengthConstraintComponent": _per_value_unknown,
    "MinInclusiveConstraintComponent": _per_value_unknown,
    "MaxInclusiveConstraintComponent": _per_value_unknown,
    "MinExclusiveConstraintComponent": _per_value_unknown,
    "MaxExclusiveConstraintComponent": _per_value_unknown,
    "ClosedConstraintComponent": _closed,
}


#: The names of the node shapes :func:`retargeted` makes to hold a blank-node property shape.
_HOLDERS = "urn:kgraph:validation:property-shape-"

#: The predicates by which a shape names its targets (pySHACL's, SHACL-AF's sh:target included).
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def retargeted(shapes: Graph, checks: Iterable[tuple[Node, list[URIRef]]]) -> Graph:
    """A copy of ``shapes`` in which each shape of ``checks`` targets exactly the nodes given with it and no other
    shape targets anything: pySHACL validates those nodes against those shapes, by everything else the shapes
    say, and nothing more.

    A shape named by an IRI gets ``sh:targetNode`` triples. A blank-node property shape is reached through a node
    shape of its own (``sh:property``), whose results are the property shape's own: pySHACL writes a blank-node
    shape's triples into each result's description, and a thousand targets on it would be written a thousand
    times."""
    copy = Graph()
    copy.addN((s, p, o, copy) for s, p, o in shapes if p not in _TARGETS)
    for number, (shape, nodes) in enumerate(checks):
        holder = shape
        if isinstance(shape, BNode):
            holder = URIRef(f"{_HOLDERS}{number}")
            copy.add((holder, RDF.type, SH.NodeShape))
            copy.add((holder, SH.property, shape))
        copy.addN((holder, SH.targetNode, node, copy) for node in nodes)
    for prefix, namespace in shapes.namespaces():
        copy.bind(prefix, namespace, override=True)
    return copy


def _reachable(start: Iterable[Node], edges: dict[Node, set[Node]]) -> set[Node]:
    """``start`` and every node reached from it along ``edges``."""
    seen, todo = set(start), list(start)
    while todo:
        for found in edges.get(todo.pop(), _EMPTY):
            if found not in seen:
                seen.add(found)
                todo.append(found)
    return seen


def _sorted_iris(nodes: Iterable[Node]) -> list[URIRef]:
    return sorted(node for node in nodes if isinstance(node, URIRef))


def _iri(node: Node) -> URIRef:
    if not isinstance(node, URIRef):
        raise Unsupported("a target names something other than an IRI")
    return node


def _is_true(value: Node) -> bool:
    return isinstance(value, Literal) and value.value is True
