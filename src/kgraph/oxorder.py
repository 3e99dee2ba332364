"""A query's closing ``ORDER BY`` of variables, sorted by kgraph rather than by Oxigraph.

Oxigraph sorts an answer slowly: at a million triples the 2-hop join of 36,000 rows takes 0.5 s, and 2.1 s
with ``ORDER BY ?customer ?product ?maker``; the first ten of 257,000 labels in order take 4.6 s, and all of
them unordered 1.1 s. Python sorts such rows in a fraction of that. So when a query ends with an ``ORDER BY``
of plain variables (``?x``, ``ASC(?x)``, ``DESC(?x)``; after a ``GROUP BY`` of variables too), then at most
``LIMIT`` and ``OFFSET``, and nothing else (no ``VALUES``, no comment, which would make the text ambiguous), all
in SPARQL's own syntax (its white space, digits and variable names), :func:`split` gives the query without them
and a :class:`Sort`; :func:`sorted_rows` sorts the rows as Oxigraph's ``ORDER BY`` does and keeps the slice,
or returns None when a value is one whose order kgraph does not reproduce (dates, booleans, other XSD types,
NaN), and the caller runs the query as written.

The order is SPARQL's, as Oxigraph implements it: unbound < blank nodes < IRIs < literals; IRIs and blank
nodes by their text; numbers (``xsd:integer``, ``xsd:decimal``, ``xsd:double``, ``xsd:float``) by value;
other literals by text, then datatype IRI, then language tag. A column that holds both numbers and other
literals, or ``xsd:float`` and other numbers, is left to Oxigraph, whose comparison of the two is not a total
order. Rows equal on every condition keep the order in which the query gave them (SPARQL leaves that open, and
Oxigraph's own sort is not stable).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any

import pyoxigraph as ox

_XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING = f"{_XSD}string"
#: SPARQL's VARNAME, exactly: a name Python's \w takes and SPARQL does not would pass here and then be dropped.
_NAME_START = (
    "A-Za-z0-9_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME = f"{_NAME_START}\u00b7\u0300-\u036f\u203f\u2040"
_VARIABLE = f"[?$]([{_NAME_START}][{_NAME}]*)(?![{_NAME}])"  # all of the name: ?aLIMIT is one variable
_WS = r"[ \t\r\n]"  # SPARQL's white space: \s takes others too, which SPARQL refuses
# Keywords in any case, (?i:...) around them alone: a case-blind class of letters takes more than SPARQL does.
_CONDITION = re.compile(rf"{_WS}*(?:((?i:ASC|DESC)){_WS}*\({_WS}*{_VARIABLE}{_WS}*\)|{_VARIABLE})")
_SLICE = (
    rf"(?:(?i:LIMIT){_WS}+(?P<limit>[0-9]+)(?:{_WS}+(?i:OFFSET){_WS}+(?P<offset>[0-9]+))?"
    rf"|(?i:OFFSET){_WS}+(?P<offset2>[0-9]+)(?:{_WS}+(?i:LIMIT){_WS}+(?P<limit2>[0-9]+))?)"
)
_ORDER = rf"(?i:ORDER){_WS}+(?i:BY)(?P<conditions>(?:{_CONDITION.pattern})+)(?:{_WS}*{_SLICE})?"
#: What may follow the query's last "}": a GROUP BY of variables, then the ORDER BY, LIMIT and OFFSET, nothing else.
_TAIL = re.compile(rf"{_WS}*(?:(?i:GROUP){_WS}+(?i:BY)(?:{_WS}*{_VARIABLE})+)?{_WS}*(?P<order>{_ORDER}){_WS}*\Z")

#: The range of Oxigraph's xsd:integer (64 bits) and xsd:decimal (18 digits after the point, 128 bits in all).
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}\Z")
_DECIMAL = re.compile(r"[+-]?[0-9]{1,20}(?:\.[0-9]{0,18})?\Z")
_DOUBLE = re.compile(r"(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF)\Z")
_XSD_FLOAT = f"{_XSD}float"
_NUMBERS = {f"{_XSD}integer": _INTEGER, f"{_XSD}decimal": _DECIMAL, f"{_XSD}double": _DOUBLE, _XSD_FLOAT: _DOUBLE}

# The first item of a sort key; a literal's second item tells its kind: a column with two kinds is left to
# Oxigraph. xsd:float is a kind of its own: Oxigraph compares it with another number as a 32-bit float.
_UNBOUND, _BLANK, _IRI, _LITERAL = 0, 1, 2, 3
_NUMBER, _FLOAT, _TEXT = 0, 1, 2


class _Unordered(Exception):
    """A value whose place in Oxigraph's order kgraph does not reproduce."""


@dataclass(frozen=True)
class Sort:
    """A query's closing ORDER BY and slice: ``(variable, descending)`` conditions, OFFSET and LIMIT."""

    conditions: tuple[tuple[str, bool], ...]
    offset: int = 0
    limit: int | None = None


def split(text: str) -> tuple[str, Sort] | None:
    """``(the query without its closing ORDER BY, LIMIT and OFFSET, what they asked for)``, or None when
    ``text`` does not end with an ORDER BY of plain variables, then at most LIMIT and OFFSET."""
    end = text.rfind("}")
    if end < 0:
        return None
    tail = _TAIL.match(text, end + 1)
    if tail is None:
        return None
    conditions = []
    for condition in _CONDITION.finditer(tail.group("conditions")):
        direction, wrapped, plain = condition.groups()
        conditions.append((wrapped or plain, (direction or "").upper() == "DESC"))
    limit = tail.group("limit") or tail.group("limit2")
    sort = Sort(tuple(conditions), int(tail.group("offset") or tail.group("offset2") or 0), _int(limit))
    return text[: tail.start("order")] + text[tail.end("order") :], sort


def _int(digits: str | None) -> int | None:
    return None if digits is None else int(digits)


def sorted_rows(rows: Iterable[Sequence[Any]], variables: Sequence[str], sort: Sort) -> list[Sequence[Any]] | None:
    """``rows`` (of Oxigraph terms or None, one per variable) sorted and sliced as ``sort`` says, or None when
    one of the sorted values is not one whose order kgraph reproduces (see the module's documentation).

    ``rows`` is read once, and no further than such a value: Oxigraph evaluates a query as its answer is read.
    With a LIMIT only the rows kept so far are held (a heap), not the whole answer."""
    try:
        columns = [(variables.index(name), _Column()) for name, _ in sort.conditions]
    except ValueError:  # a sort variable the answer does not return
        return None
    descending = [direction for _, direction in sort.conditions]
    keyed = (([column.key(row[index]) for index, column in columns], row) for row in rows)
    stop = None if sort.limit is None else sort.offset + sort.limit
    try:
        if stop is None:
            chosen = _sorted(list(keyed), descending)
        elif len(set(descending)) == 1:
            # As sorted(...)[:stop], and as stable: what Python documents of heapq's nsmallest and nlargest.
            chosen = (heapq.nlargest if descending[0] else heapq.nsmallest)(stop, keyed, key=itemgetter(0))
        else:
            chosen = heapq.nsmallest(stop, keyed, key=lambda item: _Mixed(item[0], descending))
    except _Unordered:
        return None
    return [row for _, row in chosen[sort.offset : stop]]


def _sorted(keyed: list[tuple[list[tuple[Any, ...]], Any]], descending: Sequence[bool]) -> list[Any]:
    """``keyed`` sorted in place: one pass per run of conditions in the same direction, the last run first.
    Python's sort is stable, so each pass keeps the order of the one before among the rows it finds equal."""
    end = len(descending)
    while end:
        start = end - 1
        while start and descending[start - 1] == descending[end - 1]:
            start -= 1
        keyed.sort(key=lambda item: item[0][start:end], reverse=descending[start])
        end = start
    return keyed


class _Mixed:
    """Sort keys compared condition by condition, each in its own direction (for a heap)."""

    __slots__ = ("descending", "keys")

    def __init__(self, keys: list[tuple[Any, ...]], descending: Sequence[bool]) -> None:
        self.keys = keys
        self.descending = descending

    def __lt__(self, other: _Mixed) -> bool:
        for mine, theirs, descending in zip(self.keys, other.keys, self.descending, strict=True):
            if mine != theirs:
                return mine > theirs if descending else mine < theirs
        return False


class _Column:
    """The sort keys of one column's values; a column whose literals are of two kinds raises :class:`_Unordered`
    (numbers and texts, or 32-bit floats and other numbers)."""

    __slots__ = ("kind",)

    def __init__(self) -> None:
        self.kind: int | None = None

    def key(self, term: Any) -> tuple[Any, ...]:  # noqa: ANN401 - a pyoxigraph term or None
        key = _key(term)
        if key[0] == _LITERAL and key[1] != self.kind:
            if self.kind is not None:
                raise _Unordered
            self.kind = key[1]
        return key


def _key(term: Any) -> tuple[Any, ...]:  # noqa: ANN401 - a pyoxigraph term or None
    if term is None:
        return (_UNBOUND,)
    kind = type(term)
    if kind is ox.NamedNode:
        return (_IRI, term.value)
    if kind is ox.BlankNode:
        return (_BLANK, term.value)
    if kind is not ox.Literal:
        raise _Unordered  # an RDF 1.2 triple term
    datatype = term.datatype.value
    if term.language is not None:  # rdf:langString: no other literal has its datatype
        return (_LITERAL, _TEXT, term.value, datatype, term.language)
    if datatype == _STRING or not datatype.startswith(_XSD):
        return (_LITERAL, _TEXT, term.value, datatype, "")
    pattern = _NUMBERS.get(datatype)
    if pattern is None or not pattern.match(term.value):
        raise _Unordered  # a date, a boolean, another XSD type, NaN, or a number Oxigraph may read otherwise
    return (_LITERAL, _FLOAT if datatype == _XSD_FLOAT else _NUMBER, _number(term.value))


def _number(text: str) -> Decimal | float:
    if "INF" in text:
        return float(text)
    return Decimal(text)
