"""Deterministic forward chaining to a fixpoint.

What is inferred, from the ontology only (classes and properties it declares):

- ``rdf:type`` along the ``rdfs:subClassOf`` closure (a ``kg:Chip`` is also a ``kg:Hardware``, ``kg:Product``,
  ``kg:Entity``, ``schema:Product``, ``schema:Thing``, ``prov:Entity``);
- every triple along the ``rdfs:subPropertyOf`` closure (``kg:trainedOn`` gives ``kg:uses``, ``kg:relatedTo``);
- ``owl:inverseOf`` both ways, also for inferred super-properties (``trainedOn`` gives ``trained``, ``usedBy``);
- ``owl:SymmetricProperty``;
- the SPARQL ``CONSTRUCT`` rules in ``ontology/rules/*.rq``, run in name order.

The steps repeat until nothing new appears (the rules again only after a round that added a predicate one of them
reads: :func:`another_round`). There is deliberately no ``rdfs:domain``/``rdfs:range`` typing, so
SHACL still sees an object of the wrong class.

Inferred triples carry no provenance of their own: they live in the inferred graph only, and the provenance of
an inferred relation is the named graph (the source section) of the asserted triple it follows from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.plugins.sparql import algebra, prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from kgraph._compat import SPARQL_PARSING, undeclared_prefix
from kgraph.errors import DataSyntaxError, InputError
from kgraph.query.lexer import first_use_of_prefix, position, tokens
from kgraph.resources import rule_files
from kgraph.text import file_name

Triple = tuple[Node, Node, Node]

#: Rounds of rules after which a rule set is taken to never settle (for example a rule that makes blank nodes).
MAX_ROUNDS = 50


@dataclass(frozen=True)
class Rule:
    """One SPARQL CONSTRUCT rule read from a ``.rq`` file."""

    name: str
    query: Query
    #: The SPARQL text, for engines other than rdflib's (the Oxigraph store runs it as given).
    text: str = ""
    #: The predicates its WHERE clause reads (each an IRI in a triple pattern); None when it may read others too
    #: (a variable or a property path in the predicate's place, a SERVICE).
    reads: frozenset[URIRef] | None = None


def another_round(rules: Sequence[Rule], added: Iterable[Node]) -> bool:
    """Whether the rules may conclude something new after a round that added triples with the predicates
    ``added`` (the rules' own conclusions and what they entail): only if a rule reads one of them. A round that
    adds nothing a rule reads leaves every rule's answer as it was."""
    predicates = set(added)
    return any(rule.reads is None or not rule.reads.isdisjoint(predicates) for rule in rules)


@dataclass(frozen=True)
class Schema:
    """What the ontology says that inference uses, as closed look-up tables."""

    superclasses: Mapping[Node, frozenset[Node]]
    superproperties: Mapping[Node, frozenset[Node]]
    inverses: Mapping[Node, frozenset[Node]]
    symmetric: frozenset[Node]

    @classmethod
    def from_ontology(cls, ontology: Graph) -> Schema:
        """Read the sub-class, sub-property, inverse and symmetric declarations of ``ontology``."""
        inverses: dict[Node, set[Node]] = {}
        for p, q in ontology.subject_objects(OWL.inverseOf):
            inverses.setdefault(p, set()).add(q)
            inverses.setdefault(q, set()).add(p)
        return cls(
            superclasses=_transitive_closure(ontology.subject_objects(RDFS.subClassOf)),
            superproperties=_transitive_closure(ontology.subject_objects(RDFS.subPropertyOf)),
            inverses={p: frozenset(qs) for p, qs in inverses.items()},
            symmetric=frozenset(ontology.subjects(RDF.type, OWL.SymmetricProperty)),
        )

    def consequences(self, triple: Triple) -> Iterator[Triple]:
        """What one triple entails by one step of the schema rules."""
        s, p, o = triple
        if p == RDF.type:
            for cls_ in self.superclasses.get(o, ()):
                yield (s, RDF.type, cls_)
        for super_p in self.superproperties.get(p, ()):
            yield (s, super_p, o)
        if isinstance(o, Literal):
            return
        for inverse in self.inverses.get(p, ()):
            yield (o, inverse, s)
        if p in self.symmetric:
            yield (o, p, s)


def _transitive_closure(pairs: Iterable[tuple[Node, Node]]) -> dict[Node, frozenset[Node]]:
    """Map each node to every node it reaches through ``pairs`` (itself excluded)."""
    direct: dict[Node, set[Node]] = {}
    for child, parent in pairs:
        if isinstance(child, URIRef) and isinstance(parent, URIRef) and child != parent:
            direct.setdefault(child, set()).add(parent)
    closed: dict[Node, frozenset[Node]] = {}
    for start, parents in direct.items():
        seen: set[Node] = set()
        todo = list(parents)
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(direct.get(node, ()))
        seen.discard(start)
        closed[start] = frozenset(seen)
    return closed


def load_rules(rules_dir: Path, display_dir: str) -> list[Rule]:
    """Parse every ``*.rq`` in ``rules_dir`` (name order). A missing folder means no rules. ``display_dir`` is the
    folder as the user would type it; messages name a rule's file on one line (:func:`kgraph.text.file_name`)."""
    return [_load_rule(path, file_name(f"{display_dir}/{path.name}")) for path in rule_files(rules_dir, display_dir)]


def _load_rule(path: Path, display: str) -> Rule:
    from kgraph.store import decode_text  # noqa: PLC0415 - store imports this module

    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(
            f"cannot read the rule {display}: {error.strerror or error}; check that the file is readable"
        ) from error
    # As a data file's: a byte order mark first is no part of the query (SPARQL's parser stopped at it), and a
    # file in another encoding is named so, with what to do.
    text = decode_text(raw, display)
    try:
        with SPARQL_PARSING:
            query = prepareQuery(text)
    except Exception as error:  # pyparsing's ParseException, or an algebra error
        prefix = undeclared_prefix(error)
        if prefix is not None:  # rdflib's bare Exception, without a line
            offset = first_use_of_prefix(text, prefix)
            line = None if offset is None else position(text, offset)[0]
            why = f"the prefix {prefix}: is not declared (PREFIX {prefix}: <...> before the query declares it)"
            raise DataSyntaxError(display, line, f"SPARQL syntax error: {why}") from error
        raise DataSyntaxError(display, getattr(error, "lineno", None), _parse_message(error)) from error
    if query.algebra.name != "ConstructQuery":
        raise DataSyntaxError(display, None, "a rule must be a SPARQL CONSTRUCT query")
    from kgraph.query.safety import fetches_of  # noqa: PLC0415 - only as rules are read

    fetched = next(iter(fetches_of(query)), None)
    if fetched is not None:
        clause, iri = fetched.clause, fetched.iri
        offset = next((t.start for t in tokens(text) if t.text.upper() == clause.split()[0]), None)
        raise DataSyntaxError(
            display,
            None if offset is None else position(text, offset)[0],
            f"a rule may fetch nothing, and {clause} <{iri}> would fetch {iri} at every load (rules read the loaded "
            "graph only)",
        )
    return Rule(name=path.name, query=query, text=text, reads=_reads(query))


def _reads(query: Query) -> frozenset[URIRef] | None:
    """The predicates of the triple patterns of ``query``'s WHERE clause (FILTER EXISTS and sub-queries
    included); None if one is not an IRI (a variable, a property path rdflib keeps as a path) or the query
    reaches elsewhere (SERVICE)."""
    found: set[URIRef] = set()
    unknown = False

    def visit(node: object) -> None:
        nonlocal unknown
        if not isinstance(node, CompValue):
            return
        if node.name == "BGP":
            predicates = [p for _s, p, _o in node.triples]
        elif node.name == "TriplesBlock":  # a FILTER EXISTS pattern, as parsed: each list is s p o s p o ...
            predicates = [p for triples in node.triples for p in triples[1::3]]
        else:
            unknown = unknown or node.name == "ServiceGraphPattern"
            return
        found.update(p for p in predicates if isinstance(p, URIRef))
        unknown = unknown or not all(isinstance(p, URIRef) for p in predicates)

    algebra.traverse(query.algebra.p, visitPost=visit)
    return None if unknown else frozenset(found)


def _parse_message(error: Exception) -> str:
    message = getattr(error, "msg", None) or str(error) or type(error).__name__
    return f"SPARQL syntax error: {message}"


def infer(graph: Graph, schema: Schema, rules: Sequence[Rule] = ()) -> Graph:
    """Add to ``graph`` everything it entails and return a new graph of exactly the added triples.

    The result never holds a triple that ``graph`` held before. The same input gives the same set of triples,
    whatever the order the triples are iterated in.
    """
    inferred = Graph()
    delta: set[Triple] = set(graph)
    added: set[Node] = set()  # the predicates added since the rules last ran (before they first run: any)
    for round_ in range(MAX_ROUNDS):
        while delta:
            delta = _step(graph, schema, delta)
            _add_all(graph, inferred, delta)
            added.update(p for _s, p, _o in delta)
        if round_ and not another_round(rules, added):
            return inferred
        delta = _apply_rules(graph, rules)
        if not delta:
            return inferred
        _add_all(graph, inferred, delta)
        added = {p for _s, p, _o in delta}
    names = ", ".join(rule.name for rule in rules)
    raise InputError(
        f"the rules ({names}) still add new triples after {MAX_ROUNDS} rounds; does a rule make blank nodes?"
    )


def _step(graph: Graph, schema: Schema, delta: Iterable[Triple]) -> set[Triple]:
    """Triples that ``delta`` entails by one schema step and that ``graph`` does not hold yet."""
    return {new for triple in delta for new in schema.consequences(triple) if new not in graph}


def _apply_rules(graph: Graph, rules: Sequence[Rule]) -> set[Triple]:
    """Run every rule once; return the triples that were new (they are added to ``graph`` as they come)."""
    new: set[Triple] = set()
    for rule in rules:
        constructed = graph.query(rule.query).graph
        if constructed is None:  # pragma: no cover - load_rules only keeps CONSTRUCT queries
            continue
        for triple in constructed:
            if triple not in graph and not _has_bnode(triple):
                graph.add(triple)
                new.add(triple)
    return new


def _has_bnode(triple: Triple) -> bool:
    return any(isinstance(term, BNode) for term in triple)


def _add_all(graph: Graph, inferred: Graph, triples: Iterable[Triple]) -> None:
    for triple in triples:
        graph.add(triple)
        inferred.add(triple)
