"""Whether a SHACL-SPARQL query may be run once, ``$this`` unbound, in place of once per focus node.

pySHACL runs a SHACL-SPARQL constraint's ``SELECT`` once per focus node, ``$this`` pre-bound to it; kgraph has
Oxigraph answer it (:class:`kgraph.validation.ValidationGraph`), which takes the value as an initial binding that
every part of the query sees (a FILTER, an OPTIONAL, the inside of a NOT EXISTS). Run once with ``$this`` unbound,
a query of the form :func:`refusal` accepts has a row with ``$this`` = N for each focus node N that has a row of
its own: a node without one surely conforms to the constraint (:mod:`kgraph.shacl_scope` clears it), and pySHACL
checks the rest as before, so its report is unchanged.

That holds when pre-binding ``$this`` is the same as keeping the unbound query's rows where ``$this`` is the node,
which this module decides on the query as rdflib's parser and algebra read it, conservatively. Accepted:

- a ``SELECT`` that projects ``$this`` (or ``SELECT *``), with ``DISTINCT``, ``REDUCED``, ``ORDER BY``, expressions
  in the projection; no ``FROM``, ``LIMIT`` or ``OFFSET`` (they would count the rows of every node at once);
- a ``WHERE`` of triple patterns, groups, ``UNION``, ``OPTIONAL``, ``FILTER`` and ``BIND``, in which ``$this`` is
  bound in every solution: in a triple pattern of the mandatory part of every branch of a ``UNION``, not only
  inside an ``OPTIONAL``;
- an expression that reads ``$this`` (a ``FILTER``, the condition of an ``OPTIONAL``, a ``BIND``, ``EXISTS`` and
  ``NOT EXISTS`` inside them) only where ``$this`` is bound in every solution it is evaluated on: a ``FILTER`` of a
  group that binds it, an ``OPTIONAL`` whose left side binds it, a ``BIND`` after the patterns that bind it. An
  ``OPTIONAL`` part that mentions ``$this`` only where its left side binds it;
- a property path with ``$this`` at an end that cannot match zero steps (``+`` is fine, ``*`` and ``?`` are not:
  ``<n> kg:p* ?x`` matches ``<n>`` itself, even a node the data does not hold, where ``?this kg:p* ?x`` does not);
- aggregates with ``GROUP BY`` of ``$this`` (and other variables): each node's groups are its own, ``HAVING``
  included. An aggregate without ``GROUP BY $this`` is refused: it would give one group for every node at once.

Refused anywhere, ``EXISTS`` included: a sub-``SELECT``, ``MINUS``, ``VALUES``, ``SERVICE`` and ``GRAPH`` (whose
meaning with a value given in advance is not the meaning with the rows kept afterwards), ``BIND (... AS $this)``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from rdflib import URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from kgraph._compat import SPARQL_PARSING

THIS = Variable("this")

#: Parts of a query, as rdflib's parser and algebra name them, that are refused wherever they are.
_REFUSED = {
    "SubSelect": "a sub-SELECT",
    "Project": "a sub-SELECT",
    "ToMultiSet": "a sub-SELECT or VALUES",
    "MinusGraphPattern": "MINUS",
    "Minus": "MINUS",
    "InlineData": "VALUES",
    "InlineDataOneVar": "VALUES",
    "InlineDataFull": "VALUES",
    "values": "VALUES",
    "ServiceGraphPattern": "SERVICE",
    "GraphGraphPattern": "GRAPH",
    "Graph": "GRAPH",
    "Slice": "LIMIT or OFFSET",
}


class _Refused(Exception):
    """Why a query is left to pySHACL."""


def refusal(text: str, namespaces: Mapping[str, Any] | None = None) -> str | None:
    """Why the SHACL-SPARQL query ``text`` cannot be run once with ``$this`` unbound in place of once per focus
    node (see the module's description), or None when it can. ``namespaces`` are the prefixes declared besides
    those of the text."""
    try:
        with SPARQL_PARSING:
            query = translateQuery(parseQuery(text), initNs=dict(namespaces or {}))
    except Exception as error:  # rdflib cannot read it: pySHACL will say what is wrong, or Oxigraph answers it
        return f"rdflib cannot read the query ({type(error).__name__})"
    try:
        _accept(query.algebra)
    except _Refused as reason:
        return str(reason)
    return None


def _accept(query: CompValue) -> None:
    if query.name != "SelectQuery":
        raise _Refused("not a SELECT query")
    if query.get("datasetClause"):
        raise _Refused("FROM or FROM NAMED")
    node = query.p
    projected: set[Variable] | None = None
    while node.name in ("Project", "Distinct", "Reduced", "Slice"):
        if node.name == "Slice":
            raise _Refused(_REFUSED["Slice"])
        if node.name == "Project":
            if projected is not None:
                raise _Refused(_REFUSED["Project"])
            projected = set(node.PV)
        node = node.p
    if projected is None or THIS not in projected:
        raise _Refused("$this is not selected")
    certain, _aliases = _solutions(node)
    if THIS not in certain:
        raise _Refused("$this is not bound in every solution")


def _solutions(node: CompValue) -> tuple[set[Variable], set[Variable]]:
    """Above the WHERE pattern (projected expressions, ORDER BY, HAVING, the grouping): the variables bound in
    every solution, and those that stand for ``$this`` after a ``GROUP BY`` (rdflib's ``SAMPLE($this)``)."""
    name = node.name
    if name == "OrderBy":
        certain, aliases = _solutions(node.p)
        _expression(node.expr, certain)
        return certain, aliases
    if name in ("Extend", "Filter"):
        certain, aliases = _solutions(node.p)
        if name == "Extend" and node.var == THIS:
            if node.expr not in aliases:
                raise _Refused("BIND or AS gives $this a value")
            return certain | {THIS}, aliases
        _expression(node.expr, certain)
        return certain, aliases
    if name == "AggregateJoin":
        group = node.p
        keys = group.get("expr")
        if group.name != "Group" or not isinstance(keys, list) or THIS not in keys:
            raise _Refused("aggregates not grouped by $this")
        if THIS not in _pattern(group.p):
            raise _Refused("$this is not bound in every solution")
        aliases = {
            aggregate.res for aggregate in node.A if aggregate.name == "Aggregate_Sample" and aggregate.vars == THIS
        }
        for aggregate in node.A:
            _refuse_parts(aggregate)
        return {THIS}, aliases
    return _pattern(node), set()


def _pattern(node: CompValue) -> set[Variable]:
    """The variables of the graph pattern ``node`` bound in every one of its solutions; :class:`_Refused` if
    ``$this`` is used where a value given in advance would change the rows."""
    name = node.name
    if name == "BGP":
        bound: set[Variable] = set()
        for triple in node.triples:
            subject, predicate, obj = triple
            if isinstance(predicate, Path) and THIS in (subject, obj) and _may_be_empty(predicate):
                raise _Refused("a property path from or to $this that may match zero steps")
            bound.update(term for term in triple if isinstance(term, Variable))
        return bound
    if name == "Join":
        return _pattern(node.p1) | _pattern(node.p2)
    if name == "Union":
        return _pattern(node.p1) & _pattern(node.p2)
    if name == "LeftJoin":
        left = _pattern(node.p1)
        _pattern(node.p2)
        if THIS not in left and (_mentions(node.p2) or _mentions(node.expr)):
            raise _Refused("$this in an OPTIONAL whose left side does not bind it")
        _expression(node.expr, left)
        return left
    if name == "Filter":
        inner = _pattern(node.p)
        _expression(node.expr, inner)
        return inner
    if name == "Extend":
        inner = _pattern(node.p)
        if node.var == THIS:
            raise _Refused("BIND or AS gives $this a value")
        _expression(node.expr, inner)
        return inner
    raise _Refused(_REFUSED.get(name, f"{name} in the query"))


def _expression(expression: object, certain: set[Variable]) -> None:
    """An expression (EXISTS patterns included) evaluated on solutions that all bind ``certain``."""
    _refuse_parts(expression)
    if THIS not in certain and _mentions(expression):
        raise _Refused("an expression reads $this where it may be unbound")


def _refuse_parts(value: object) -> None:
    for part in _parts(value):
        if isinstance(part, CompValue) and part.name in _REFUSED:
            raise _Refused(_REFUSED[part.name])


def _mentions(value: object) -> bool:
    return any(part == THIS for part in _parts(value) if isinstance(part, Variable))


def _parts(value: object) -> Iterator[object]:
    """``value`` and everything in it: the parts of rdflib's parse tree and algebra, EXISTS patterns included."""
    todo = [value]
    while todo:
        found = todo.pop()
        yield found
        if isinstance(found, dict):  # CompValue is a dict of its arguments
            todo.extend(found.values())
        elif isinstance(found, list | tuple | set | frozenset):
            todo.extend(found)
        elif hasattr(found, "asList") and not isinstance(found, str):  # a pyparsing result
            todo.extend(found.asList())


def _may_be_empty(path: Path | URIRef) -> bool:
    """Whether ``path`` can match zero steps (a node to itself)."""
    if isinstance(path, MulPath):
        return path.mod in ("*", "?") or _may_be_empty(path.path)
    if isinstance(path, InvPath):
        return _may_be_empty(path.arg)
    if isinstance(path, SequencePath):
        return all(_may_be_empty(part) for part in path.args)
    if isinstance(path, AlternativePath):
        return any(_may_be_empty(part) for part in path.args)
    return not isinstance(path, NegatedPath | URIRef)  # something else is taken for the worst
