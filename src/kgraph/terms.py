"""RDF terms as plain tuples ``(kind, text, language, datatype)`` and back, for :mod:`marshal` (which stores only
plain values and runs no code): the query graph cache."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

#: ``(kind, text, language, datatype)``: kind 0 an IRI, 1 a blank node, 2 a literal.
TermTuple = tuple[int, str, str, str]


def to_tuple(term: Node) -> TermTuple:
    """``term`` as a tuple; a literal keeps its lexical form, language and datatype, so it comes back equal."""
    if isinstance(term, URIRef):
        return (0, str(term), "", "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    assert isinstance(term, Literal)  # noqa: S101 - the three kinds of RDF term
    return (2, str(term), term.language or "", str(term.datatype or ""))


def from_tuple(entry: TermTuple) -> Identifier:
    """The term :func:`to_tuple` wrote."""
    kind, value, language, datatype = entry
    if kind == 0:
        return URIRef(value)
    if kind == 1:
        return BNode(value)
    return Literal(value, lang=language or None, datatype=URIRef(datatype) if datatype else None)
