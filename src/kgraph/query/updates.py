"""Which SPARQL updates may run in Oxigraph, on a copy of a store's flat graph, with the answer rdflib gives.

``kgraph query --update`` applies an update to a copy of the flat graph (ontology, data and inferences) and writes
the graph after it. In memory rdflib applies it to an rdflib graph; on a store that copy took seconds and gigabytes
at a million triples, so the copy is an in-memory Oxigraph store and Oxigraph applies the update
(:func:`kgraph.oxstore.updated_copy`). The two engines agree on most updates, not all; :func:`fits_oxigraph` keeps
the others for rdflib, on its copy, as before:

- a named graph anywhere (``GRAPH``, ``WITH``, ``USING``, ``INSERT DATA { GRAPH ... }``, ``CREATE``, ``DROP``,
  ``CLEAR`` but of the default graph, ``ADD``/``MOVE``/``COPY``, ``LOAD``): rdflib's flat graph has none, and it
  fails (or, with ``SILENT``, does nothing) where Oxigraph would make one;
- a ``SERVICE``: Oxigraph is not under kgraph's network guard;
- a value computed in the WHERE clause (``BIND``, an expression or aggregate in a sub-``SELECT``): the engines
  write some results differently (``STR(1.50)`` is ``"1.50"`` in rdflib, ``"1.5"`` in Oxigraph);
- a function or arithmetic in a ``FILTER`` (or an ``OPTIONAL``'s, or an ``ORDER BY``), but the tests of a term
  itself (``BOUND``, ``EXISTS``, ``sameTerm``, ``isIRI``, ``LANG``, ...) and comparisons: the engines compute some
  values differently, and so keep other solutions (``STR(1.50) = "1.50"`` holds in rdflib only, ``REGEX`` with
  ``(?!...)`` matches in Python's regular expressions only, ``isNUMERIC("x"^^xsd:integer)`` is true in rdflib only);
- a term written in the update that Oxigraph would store in another form: ``"PT90M"^^xsd:duration``, ``"1.50"``,
  ``"5"^^xsd:int`` (rdflib keeps each as written, and matches it only so; ``"x"@EN`` and ``"x"^^xsd:string`` it
  reads as a store does, ``"x"@en`` and ``"x"``);
- a ``DELETE``/``INSERT`` whose templates may make and remove the same triple: rdflib applies the deletions and
  insertions one solution at a time, so a triple one solution inserts and a later one deletes is gone, where
  SPARQL (and Oxigraph) deletes first and inserts after.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Update
from rdflib.term import Node

from kgraph.oxstore import stored_as_written
from kgraph.query.parsing import algebra_parts

#: Parts of a WHERE clause that rdflib's flat graph or kgraph's network guard need rdflib for, or whose computed
#: values the two engines write differently.
_RDFLIB_PARTS = frozenset({"Graph", "ServiceGraphPattern", "Extend", "AggregateJoin"})

#: The functions of an expression (a FILTER's) whose value is the same in both engines: tests of a term as it is.
#: Any other function, a cast or arithmetic makes the update rdflib's.
_SAME_BUILTINS = frozenset(
    f"Builtin_{name}"
    for name in (
        "BOUND",
        "EXISTS",
        "NOTEXISTS",
        "sameTerm",
        "isIRI",
        "isURI",
        "isBLANK",
        "isLITERAL",
        "LANG",
        "LANGMATCHES",
    )
)
_COMPUTED = frozenset({"Function", "AdditiveExpression", "MultiplicativeExpression", "UnaryMinus", "UnaryPlus"})


def fits_oxigraph(update: Update) -> bool:
    """Whether every operation of ``update`` gives the same graph in Oxigraph as in rdflib (see the module)."""
    return all(_fits(operation) for operation in update.algebra) and all(map(stored_as_written, _terms(update.algebra)))


def _fits(operation: CompValue) -> bool:
    name = operation.name
    if name in ("InsertData", "DeleteData", "DeleteWhere"):
        return not operation.quads
    if name == "Clear":
        return bool(operation.graphiri == "DEFAULT")
    if name != "Modify" or operation.using or operation.withClause:
        return False
    delete, insert = operation.delete, operation.insert
    if (delete and delete.quads) or (insert and insert.quads) or _has_part(operation.where):
        return False
    return not (delete and insert and _may_meet(delete.triples, insert.triples))


def _has_part(node: object) -> bool:
    """Whether ``node`` (a WHERE clause's algebra) holds one of :data:`_RDFLIB_PARTS`, or computes a value in an
    expression (:data:`_COMPUTED`, a function but :data:`_SAME_BUILTINS`)."""
    return any(
        part.name in _RDFLIB_PARTS
        or part.name in _COMPUTED
        or (part.name.startswith("Builtin_") and part.name not in _SAME_BUILTINS)
        for part in algebra_parts(node)
        if isinstance(part, CompValue)
    )


def _may_meet(deleted: list[tuple[Node, Node, Node]], inserted: list[tuple[Node, Node, Node]]) -> bool:
    """Whether a triple of the ``deleted`` template and one of the ``inserted`` may be the same triple: in each place
    the same term, or a variable or blank node on either side."""
    return any(all(map(_may_be_one, d, i)) for d in deleted for i in inserted)


def _may_be_one(a: Node, b: Node) -> bool:
    return a == b or isinstance(a, Variable | BNode) or isinstance(b, Variable | BNode)


def _terms(node: object) -> Iterator[URIRef | Literal]:
    """Every IRI and literal written in an update's algebra."""
    for part in algebra_parts(node):
        if isinstance(part, URIRef | Literal):
            yield part
        elif isinstance(part, Mapping):
            yield from (key for key in part if isinstance(key, URIRef))  # the graphs of quads


__all__ = ["fits_oxigraph"]
