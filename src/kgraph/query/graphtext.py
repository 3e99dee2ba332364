"""A graph answer as Turtle or JSON-LD, written from its N-Triples lines as they come, in memory that does not grow
with the answer.

The lines come sorted and each once (:class:`~kgraph.query.ntriples.SortedLines`), so a subject's lines come
together, and within them a predicate's: a subject ends where the first space does (an IRI or a blank node never
holds one), and lines with a common start are neighbours in sorted order. Each line is cut into its three terms,
as text, never as rdflib terms (rdflib would normalise a literal's text: ``"01"^^xsd:integer`` would become
``"1"``).

- Turtle: the project's prefixes (all of them: the answer is not known before it is written), then one block a
  subject with ``;`` between predicates and ``,`` between objects, as rdflib writes them. An IRI becomes a prefixed
  name when its local part is one every Turtle reader takes, ``rdf:type`` becomes ``a``, an integer, decimal,
  double or boolean in its short form is written bare; the rest keeps its N-Triples text, which Turtle reads the
  same (the escapes ``\\\\``, ``\\"``, ``\\n``, ``\\r``).
- JSON-LD: the shape of the project's JSON-LD (:func:`kgraph.export.rdf.json_ld`): the prefixes as
  ``@context``, one node a subject in ``@graph`` (or the one node with the context, when there is one), values as
  rdflib's converter writes them, keys and values sorted. One subject's node is held at a time. The nodes come in
  the lines' order (by N-Triples text) rather than sorted by their compacted ``@id``; an RDF list stays its
  ``rdf:first``/``rdf:rest`` nodes (rdflib's ``@list`` needs the whole graph), and a blank node that is only an
  object gets no empty node of its own. The triples are the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from kgraph.vocab import PREFIXES

if TYPE_CHECKING:
    from rdflib.plugins.shared.jsonld.context import Context

#: Lines of text gathered before they go to the output at once.
_BATCH = 1000
#: IRIs whose Turtle or JSON-LD names are kept for the next time they come (predicates, classes, datatypes
#: repeat): past this many, they are forgotten and kept again.
_KEPT_NAMES = 1 << 12

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_XSD = str(PREFIXES["xsd"])
#: The datatypes Turtle writes bare, with the shape their text must have (validation reports write them so too).
BARE_FORMS = {
    f"{_XSD}integer": re.compile(r"[+-]?[0-9]+"),
    f"{_XSD}decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    f"{_XSD}double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    f"{_XSD}boolean": re.compile(r"true|false"),
}
#: Local parts written after a prefix: a subset of Turtle's PN_LOCAL that needs no escape (every reader takes it).
_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}

Triple = tuple[str, str, str]


def split_line(line: bytes) -> Triple:
    """An N-Triples line (with or without its line end) as the text of its subject, predicate and object."""
    text = line.decode("utf-8").rstrip("\n")
    if text.endswith(" ."):
        text = text[:-2]
    end = text.index(">") + 1 if text.startswith("<") else text.index(" ")
    subject, rest = text[:end], text[end + 1 :]
    end = rest.index(">") + 1
    return subject, rest[:end], rest[end + 1 :]


def triples_of(lines: Iterable[bytes]) -> Iterator[Triple]:
    return (split_line(line) for line in lines)


def _batched(out: BinaryIO) -> tuple[Callable[[str], None], Callable[[], None]]:
    """``put(text)`` and ``flush()``: text gathered and written to ``out`` in UTF-8, :data:`_BATCH` pieces at once."""
    pending: list[str] = []

    def put(text: str) -> None:
        pending.append(text)
        if len(pending) >= _BATCH:
            flush()

    def flush() -> None:
        out.write("".join(pending).encode("utf-8"))
        pending.clear()

    return put, flush


# ------------------------------------------------------------------------------------------ Turtle


def write_turtle(lines: Iterable[bytes], out: BinaryIO) -> None:
    """The graph of the sorted N-Triples ``lines`` as Turtle, written to ``out`` as the lines come."""
    put, flush = _batched(out)
    names = _TurtleNames()
    for prefix in sorted(PREFIXES):
        put(f"@prefix {prefix}: <{PREFIXES[prefix]}> .\n")
    put("\n")
    subject = predicate = None
    for s, p, o in triples_of(lines):
        if s != subject:
            if subject is not None:
                put(" .\n\n")
            put(f"{names.subject(s)} {names.predicate(p)} {names.object(o)}")
            subject, predicate = s, p
        elif p != predicate:
            put(f" ;\n    {names.predicate(p)} {names.object(o)}")
            predicate = p
        else:
            put(f",\n        {names.object(o)}")
    if subject is not None:
        put(" .\n")
    flush()


class _TurtleNames:
    """The Turtle text of N-Triples terms, each IRI's worked out once (the answer's IRIs repeat)."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        # Longest namespace first: a namespace inside another gives the shorter local part.
        self._prefixes = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda p: -len(p[0]))

    def subject(self, term: str) -> str:
        """A subject: each is written once (its block), so it is not kept."""
        return self._shortened(term[1:-1]) or term if term.startswith("<") else term

    def node(self, term: str) -> str:
        """An IRI (``<...>``) as a prefixed name where one fits, a blank node as it is."""
        if not term.startswith("<"):
            return term
        return _cached(self._names, term, lambda: self._shortened(term[1:-1]) or term)

    def _shortened(self, iri: str) -> str | None:
        for namespace, prefix in self._prefixes:
            if iri.startswith(namespace) and _LOCAL.fullmatch(iri, len(namespace)):
                return f"{prefix}:{iri[len(namespace) :]}"
        return None

    def predicate(self, term: str) -> str:
        return "a" if term == _RDF_TYPE else self.node(term)

    def object(self, term: str) -> str:
        if not term.startswith('"'):
            return self.node(term)
        end = term.rindex('"')
        quoted, suffix = term[: end + 1], term[end + 1 :]
        if not suffix.startswith("^^"):
            return term  # a plain or language-tagged literal: the same in Turtle
        datatype = suffix[3:-1]
        bare = BARE_FORMS.get(datatype)
        if bare is not None and bare.fullmatch(quoted, 1, len(quoted) - 1):
            return quoted[1:-1]
        return f"{quoted}^^{self.node(suffix[2:])}"


# ------------------------------------------------------------------------------------------ JSON-LD


def write_json_ld(lines: Iterable[bytes], out: BinaryIO) -> None:
    """The graph of the sorted N-Triples ``lines`` as JSON-LD in the project's shape, written to ``out`` a subject
    at a time."""
    from rdflib.plugins.shared.jsonld.context import Context  # noqa: PLC0415 - 14 ms: only for JSON-LD

    put, flush = _batched(out)
    context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    terms = _JsonTerms(Context(context))
    first: dict[str, Any] | None = None  # held until a second node shows the answer needs a @graph
    nodes = 0
    for node in _nodes(triples_of(lines), terms):
        nodes += 1
        if nodes == 1:
            first = node
            continue
        if nodes == 2:
            assert first is not None  # noqa: S101 - the first node
            put(f'{{\n  "@context": {_json_text(context, 1)},\n  "@graph": [\n    {_json_text(first, 2)}')
            first = None
        put(f",\n    {_json_text(node, 2)}")
    if nodes == 0:
        put(f'{{\n  "@context": {_json_text(context, 1)},\n  "@graph": []\n}}\n')
    elif nodes == 1:
        assert first is not None  # noqa: S101 - the one node
        put(_json_text({**first, "@context": context}, 0) + "\n")
    else:
        put("\n  ]\n}\n")
    flush()


def _json_text(value: str | dict[str, Any] | list[Any], depth: int) -> str:
    """``value`` as ``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)`` writes it at ``depth``
    levels in, each list sorted as :func:`kgraph.export.rdf.json_ld` sorts it (by its items' JSON text). The same
    text, made with the C encoder for the strings: json's own with ``indent`` is pure Python, five times slower."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    pad = "  " * (depth + 1)
    if isinstance(value, dict):
        items = (
            f"{pad}{json.dumps(key, ensure_ascii=False)}: {_json_text(item, depth + 1)}"
            for key, item in sorted(value.items())
        )
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    ordered = sorted(value, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return "[\n" + ",\n".join(pad + _json_text(item, depth + 1) for item in ordered) + "\n" + "  " * depth + "]"


def _nodes(triples: Iterable[Triple], terms: _JsonTerms) -> Iterator[dict[str, Any]]:
    """One JSON-LD node a subject, each value under its key: one value bare, more in a list."""
    subject: str | None = None
    node: dict[str, Any] = {}
    for s, p, o in triples:
        if s != subject:
            if subject is not None:
                yield node
            subject, node = s, {"@id": terms.node_id(s)}
        key, value = terms.entry(p, o)
        held = node.get(key)
        if held is None:
            node[key] = value
        elif isinstance(held, list):
            held.append(value)
        else:
            node[key] = [held, value]
    if subject is not None:
        yield node


class _JsonTerms:
    """JSON-LD keys and values of N-Triples terms, compacted with the context as rdflib's converter compacts them
    (``Context.shrink_iri`` for identifiers, ``Context.to_symbol`` for keys, types and datatypes)."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self._ids: dict[str, str] = {}
        self._symbols: dict[str, str] = {}

    def node_id(self, term: str) -> str:
        if not term.startswith("<"):
            return term  # a blank node: _:label, as rdflib writes it
        return _cached(self._ids, term, lambda: self._context.shrink_iri(term[1:-1]))

    def _symbol(self, term: str) -> str:
        return _cached(self._symbols, term, lambda: self._context.to_symbol(term[1:-1]) or term[1:-1])

    def entry(self, predicate: str, obj: str) -> tuple[str, Any]:
        if predicate == _RDF_TYPE and obj.startswith("<"):
            return "@type", self._symbol(obj)
        key = self._symbol(predicate)
        if not obj.startswith('"'):
            return key, {"@id": self.node_id(obj)}
        end = obj.rindex('"')
        value, suffix = _unescaped(obj[1:end]), obj[end + 1 :]
        if suffix.startswith("@"):
            return key, {"@language": suffix[1:], "@value": value}
        if suffix.startswith("^^"):
            return key, {"@type": self._symbol(suffix[2:]), "@value": value}
        return key, value


def _cached(names: dict[str, str], term: str, make: Callable[[], str]) -> str:
    name = names.get(term)
    if name is None:
        if len(names) >= _KEPT_NAMES:  # an answer of many IRIs: the memory stays bounded
            names.clear()
        name = names[term] = make()
    return name


def _unescaped(text: str) -> str:
    """The text of an N-Triples string: its escapes (``\\n``, ``\\"``, ``\\u00e9``, ...) replaced."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if m[3] is None else _ECHARS.get(m[3], m[0]), text)


__all__ = ["BARE_FORMS", "split_line", "write_json_ld", "write_turtle"]
