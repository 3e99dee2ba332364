"""Content negotiation: which format to answer in, from the ``Accept`` header (and a ``format`` parameter), and
the language names are given in, from ``Accept-Language``.

SELECT answers come as the W3C SPARQL 1.1 result formats (JSON, XML, CSV, TSV), ASK answers as JSON or XML (the
CSV/TSV recommendation defines no boolean), and graphs (CONSTRUCT, DESCRIBE) as Turtle, N-Triples, JSON-LD or
RDF/XML. The first format of each list is the default, for a request without ``Accept`` or with ``*/*``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

#: Media type -> format, in the server's order of preference, per kind of answer.
SELECT_TYPES: Mapping[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/xml": "xml",  # last: text/* means CSV
}
ASK_TYPES: Mapping[str, str] = {k: v for k, v in SELECT_TYPES.items() if v in ("json", "xml")}
GRAPH_TYPES: Mapping[str, str] = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "rdf+xml",
}

#: The Content-Type each format is sent with.
CONTENT_TYPES: Mapping[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "rdf+xml": "application/rdf+xml",
}

#: Names a ``format`` (or ``output``) parameter may use for a format: short names and the media types.
_NAMES: Mapping[str, str] = {
    "json": "json",
    "srj": "json",
    "xml": "xml",
    "srx": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "json-ld": "json-ld",
    "jsonld": "json-ld",
    "rdf+xml": "rdf+xml",
    "rdf": "rdf+xml",
}


class NotAcceptable(Exception):
    """No format of this kind of answer is acceptable; ``offered`` lists the media types that are."""

    def __init__(self, offered: Sequence[str]) -> None:
        self.offered = tuple(offered)
        super().__init__(", ".join(self.offered))


@dataclass(frozen=True)
class _Range:
    kind: str  # "text" or "*"
    subtype: str  # "csv" or "*"
    q: float

    def matches(self, media_type: str) -> int:
        """-1 if the range does not cover ``media_type``; else its specificity (2 exact, 1 type/*, 0 */*)."""
        kind, _slash, subtype = media_type.partition("/")
        if self.kind == "*":
            return 0
        if self.kind != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == subtype else -1


def types_for(kind: str) -> Mapping[str, str]:
    """The media types an answer of ``kind`` (SELECT, ASK, CONSTRUCT, DESCRIBE) can be sent as."""
    if kind == "SELECT":
        return SELECT_TYPES
    if kind == "ASK":
        return ASK_TYPES
    return GRAPH_TYPES


def choose(kind: str, accept: str | None, requested: Iterable[str] = ()) -> str:
    """The format to answer ``kind`` in.

    ``requested`` are the values of a ``format`` or ``output`` parameter: the first that names a format this kind
    of answer has wins (``?format=csv`` in a browser's address bar). Other values are ignored (SPARQLWrapper sends
    ``format=n3`` and the like along with a correct ``Accept``). Then ``Accept`` decides, with its q-values and
    the most specific range for each type; ties go to the server's order. Raises :class:`NotAcceptable`.
    """
    offered = types_for(kind)
    formats = list(dict.fromkeys(offered.values()))
    for value in requested:
        name = _NAMES.get(value.strip().lower()) or offered.get(value.strip().lower())
        if kind not in ("SELECT", "ASK") and name == "xml":
            name = "rdf+xml"  # format=xml on a CONSTRUCT means RDF/XML (as SPARQLWrapper means it)
        if name in formats:
            return name
    ranges = parse_accept(accept)
    if not ranges:
        return formats[0]
    best, best_q = "", 0.0
    for media_type, fmt in offered.items():
        q = _quality(ranges, media_type)
        if q > best_q:
            best, best_q = fmt, q
    if not best:
        raise NotAcceptable(list(offered))
    return best


def answer_type(kind: str, accept: str | None, requested: Iterable[str] = ()) -> tuple[str, str]:
    """The format to answer ``kind`` in (:func:`choose`) and the Content-Type to send it with: the format's own
    (:data:`CONTENT_TYPES`), unless ``Accept`` refuses that one and took the format through another name
    (``application/json`` beside ``application/sparql-results+json;q=0``, ``text/plain`` for N-Triples): then
    that name, so that the answer comes as a type the client accepts. A format chosen by a ``format`` parameter
    (which overrides Accept) is sent as its own type."""
    requested = list(requested)
    fmt = choose(kind, accept, requested)
    main = CONTENT_TYPES[fmt]
    ranges = parse_accept(accept)
    if not ranges or _quality(ranges, main.split(";")[0]) > 0:
        return fmt, main
    names = [(_quality(ranges, media_type), media_type) for media_type, f in types_for(kind).items() if f == fmt]
    q, best = max(names, key=lambda name: name[0])  # max keeps the first of equals: the server's order
    if q <= 0:
        return fmt, main  # the format parameter chose it
    return fmt, f"{best}; charset=utf-8" if best.startswith("text/") or best.endswith("xml") else best


#: Names a client gets a format by only when it names them exactly, not through ``application/*`` or ``*/*``: an
#: old name no registry holds, which a client that asks for any type of a kind would not know.
_EXACT_ONLY = frozenset({"application/x-turtle"})


def _quality(ranges: Sequence[_Range], media_type: str) -> float:
    specificity, q = -1, 0.0
    least = 2 if media_type in _EXACT_ONLY else 0
    for candidate in ranges:
        found = candidate.matches(media_type)
        if found < least:
            continue
        if found > specificity:
            specificity, q = found, candidate.q
    return q


def parse_accept(header: str | None) -> list[_Range]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped, a bad q-value counts as 0."""
    ranges = []
    for part in (header or "").split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        kind, slash, subtype = media.lower().partition("/")
        if not slash or not kind or not subtype or (kind == "*" and subtype != "*"):
            continue
        ranges.append(_Range(kind, subtype, _q_value(params)))
    return ranges


def _q_value(params: Sequence[str]) -> float:
    """The weight the ``q=`` among a header entry's parameters gives it: 1 without one, 0 for one that is no
    number, else clamped to 0..1 (RFC 9110, 12.4.2)."""
    q = 1.0
    for param in params:
        name, _equals, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = min(max(float(value), 0.0), 1.0)
            except ValueError:
                q = 0.0
    return q


def preferred_language(header: str | None) -> str | None:
    """The primary subtag of the language an ``Accept-Language`` header prefers (``zh-CN,zh;q=0.9,en;q=0.8``:
    ``zh``), the first of the highest q-value; None for no header, or one that names none (``*``, every q 0)."""
    best, best_q = None, 0.0
    for part in (header or "").split(","):
        tag, *params = (piece.strip() for piece in part.split(";"))
        primary = tag.split("-", 1)[0].lower()
        if not primary.isascii() or not primary.isalpha():  # "*", or not a language tag
            continue
        q = _q_value(params)
        if q > best_q:
            best, best_q = primary, q
    return best
