"""The RDF graph seen as a property graph: nodes with labels and typed properties, typed relationships.

This is the mapping the Neo4j and the Amazon Neptune CSV exports share (:mod:`kgraph.export.neo4j`,
:mod:`kgraph.export.neptune`); they differ only in how they write it. The rules:

- **Nodes** are the resources the data describes: every IRI (or blank node) that is the subject of a triple,
  or the object of a triple other than ``rdf:type``, except the terms the ontology itself defines (its classes,
  properties and individuals such as units, bounds, launch statuses and modalities: every subject of the
  ontology graph). A node's ID is its IRI (``_:label`` for a blank node), kept as the property ``iri``.
- **Labels** are the local names of the node's ``kg:`` classes, stated and inferred (``Chip``, ``Hardware``,
  ``Product``, ``Entity``), most specific first, then ``Resource``, which every node has (one uniqueness
  constraint on ``Resource.iri`` covers them all). Classes of other vocabularies (schema.org, PROV) are left
  out: each ``kg:`` class already says the same.
- **Node files**: one per top ``kg:`` class (``Entity``, ``Figure``, ``SourceSection``, ``SourceDocument``;
  ``Resource`` for a node with no ``kg:`` class), so each file has only the columns its nodes use. Two files
  (or relationship types) whose names differ only in case (``Gadget``, ``gadget``) would be one file on a
  case-insensitive file system: the file name of the later one in code point order gets a suffix
  (:func:`file_stems`, ``nodes_gadget-4e5aa69a.csv``); labels and types stay as they are.
- **Properties** come from the stated literals, one column per predicate and language: ``label_en``,
  ``label_zh``, ``description_en``, ``aliases_en`` (``skos:altLabel``), ``value``, ``metric_en``, ``order``,
  ``startTime`` ... (the predicate's local name; a clash between vocabularies gets the prefix,
  ``dcterms_title_zh``). A literal whose object is an ontology term (``kg:unit kg:Times``) becomes a string
  property holding the term's local name (``unit: "Times"``). The column type follows the RDF datatypes of its
  values (see :func:`literal_kind`); a column with several values on some node (in any language of its
  predicate) is an array, and so is ``aliases_*`` always. A ``double`` column some of whose numbers a double
  cannot hold exactly (a decimal of 20 digits, an integer past 2**53) has a ``string`` column ``<name>_text``
  beside it with every value's text (a decimal's canonical form, :func:`canonical`). Inferred literals (copies
  along super-properties, such as ``schema:value``) are not exported.
- **Relationships** are the stated triples between two nodes, typed by the predicate in Neo4j's style
  (``kg:trainedOn`` -> ``TRAINED_ON``, ``prov:wasDerivedFrom`` -> ``WAS_DERIVED_FROM``). Each carries
  ``types`` (its type and every ``kg:`` super-property's: ``[TRAINED_ON, USES, RELATED_TO]``, so a query for
  every use is ``'USES' IN r.types``), ``sections`` (the named graphs, i.e. source sections, that state it) and
  ``inferred``. Inferred relations that merely restate stated ones (inverses, super-properties, the other
  direction of a symmetric relation) are not exported: a property graph walks a relationship both ways. The
  conclusions of the SPARQL rules (``kg:customerOf``) are exported, with ``inferred`` true and no sections,
  unless a stated triple already implies them.
- **Directions**: of each ``owl:inverseOf`` pair, the property the ontology marks ``kg:preferredDirection`` is
  the one written, whichever way the data states it (:func:`preferred_directions`): ``kgr:bedrock kg:usedBy
  kgr:acme`` is written as ``kgr:acme`` USES ``kgr:bedrock``, ``kgr:x kg:hasFigure kgf:f`` as ``kgf:f``
  FIGURE_OF ``kgr:x``, each with the sections that state it (the union of both directions' when both are stated:
  one relationship), so ``'USES' IN r.types`` finds every use and ``(:Figure)-[:FIGURE_OF]->()`` every figure.
  A pair neither of whose properties is marked (an ontology of one's own) is written as stated.

Everything is streamed: :func:`plan` makes one pass over the nodes to fix the files, columns and types
(keeping only the sorted node IDs and per-column summaries), and :func:`nodes` then yields one node, with its
properties and relationships, at a time. Output order is by node ID, so it is the same for the same input.
"""

from __future__ import annotations

import hashlib
import itertools
import marshal
import math
import re
import struct
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import IO, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kgraph._compat import in_duration_form
from kgraph.errors import InputError
from kgraph.inference import Schema, load_rules
from kgraph.names import qname
from kgraph.resources import RULES_DIR_NAME
from kgraph.sortkey import DURATION
from kgraph.store import LoadedGraph
from kgraph.vocab import INFERRED_GRAPH, KG, PREFIXES, SCHEMA
from kgraph.xsdforms import canonical_decimal, canonical_duration, canonical_instant, duration_span

#: The annotation that marks, of each ``owl:inverseOf`` pair, the property the export writes.
PREFERRED_DIRECTION = KG.preferredDirection

#: The label every node has, and the ID space of every node ID.
RESOURCE = "Resource"
#: The property that holds a node's IRI (its ID).
IRI_PROPERTY = "iri"

#: Column names for well-known predicates; every other predicate is named by its local name.
_NAMES: Mapping[URIRef, str] = {
    URIRef(RDFS.label): "label",
    URIRef(SKOS.altLabel): "aliases",
    URIRef(SCHEMA.description): "description",
    URIRef(RDFS.comment): "comment",
}
#: Predicates whose columns are always arrays (a list of names), even when no node has two values.
_ALWAYS_ARRAYS = frozenset({URIRef(SKOS.altLabel)})
#: The marker, in a column key, of a predicate whose objects are ontology terms (units, bounds, ...).
TERM = "@term"

_INTEGERS = frozenset(
    URIRef(XSD[name])
    for name in (
        *("integer", "long", "int", "short", "byte"),
        *("nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger"),
        *("unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"),
    )
)
_REALS = frozenset({URIRef(XSD.decimal), URIRef(XSD.double), URIRef(XSD.float)})
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?")
_TIME = re.compile(r"\d{2}:\d{2}:\d{2}(\.\d+)?")
_ZONE = re.compile(r"(.*?)(Z|[+-]\d{2}:\d{2})")
#: A date-time of whole seconds (a fraction of zeros only), with or without a time zone.
_WHOLE_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.0+)?(Z|[+-]\d{2}:\d{2})?")
#: The date and time datatypes, and the durations, whose literals the files write in XSD's canonical form.
_ZONED_TYPES = frozenset(
    URIRef(XSD[name])
    for name in ("dateTime", "dateTimeStamp", "date", "time", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay")
)
_DURATION_TYPES = frozenset(URIRef(XSD[name]) for name in ("duration", "dayTimeDuration", "yearMonthDuration"))
#: A fraction of a second of more than 9 digits, which Neo4j's parsers refuse (they read nanoseconds: 1 to 9 digits
#: in ``DurationValue.parse`` and in the time of ``DateTimeValue.parse``, ``TimeValue.parse`` ...).
_PAST_NANOSECONDS = re.compile(r"\.\d{10}")
#: The kinds of an xsd:dateTime column, with a time zone and without.
DATETIME_KINDS = frozenset({"datetime", "localdatetime"})

#: Every kind of column, as Neo4j names its property types.
KINDS = ("long", "double", "boolean", "date", "datetime", "localdatetime", "time", "localtime", "duration", "string")


# ------------------------------------------------------------------------------------------ literal types


def literal_kind(literal: Literal) -> str:
    """The column kind a literal asks for: its RDF datatype mapped to a Neo4j type, else ``string``.

    xsd:integer and its sub-types -> ``long`` (``string`` beyond 64 bits); xsd:decimal, xsd:double, xsd:float
    -> ``double``; xsd:boolean -> ``boolean``; xsd:date -> ``date``; xsd:dateTime -> ``datetime`` (with a time
    zone) or ``localdatetime``; xsd:time -> ``time`` or ``localtime``; xsd:duration, xsd:dayTimeDuration,
    xsd:yearMonthDuration -> ``duration`` (a negative one -> ``string``). A value that is not valid for its
    datatype, a language-tagged string and any other datatype -> ``string``; so is a date-time, time or duration
    whose canonical form has more than 9 digits of a second, which Neo4j refuses.
    """
    datatype = literal.datatype
    if datatype is None or literal.language or literal.ill_typed:
        return "string"
    lexical = str(literal)
    if datatype in _INTEGERS:
        return "long" if isinstance(literal.value, int) and _LONG_MIN <= literal.value <= _LONG_MAX else "string"
    if datatype in _REALS:
        return "double" if isinstance(literal.value, float | Decimal) else "string"
    if datatype == XSD.boolean:
        return "boolean" if lexical.strip() in {"true", "false", "1", "0"} else "string"
    kind = _duration_kind(lexical) if datatype in _DURATION_TYPES else _temporal_kind(datatype, lexical)
    if kind != "string" and _PAST_NANOSECONDS.search(canonical(literal)):
        return "string"  # Neo4j would refuse it: kept whole, as text
    return kind


def _duration_kind(lexical: str) -> str:
    """``duration`` for an xsd:duration in XSD's lexical form, ``string`` for any other text and for a negative one
    (``-P1D``): the export has written a negative duration as text from the start (README, "What becomes what"),
    though Neo4j's ``duration()`` reads a leading sign; a change there would change the files."""
    found = DURATION.match(lexical)
    return "duration" if found is not None and found["sign"] is None else "string"


def _temporal_kind(datatype: URIRef, lexical: str) -> str:
    zoned = _ZONE.fullmatch(lexical)
    bare = zoned.group(1) if zoned else lexical
    if datatype == XSD.date:
        return "date" if not zoned and _DATE.fullmatch(bare) else "string"
    if datatype == XSD.dateTime and _DATETIME.fullmatch(bare):
        return "datetime" if zoned else "localdatetime"
    if datatype == XSD.time and _TIME.fullmatch(bare):
        return "time" if zoned else "localtime"
    return "string"


def whole_datetime(lexical: str) -> str | None:
    """An xsd:dateTime as a date-time of whole seconds, ``yyyy-MM-ddTHH:mm:ss``, in UTC with ``Z`` when it has a
    time zone: ``2025-12-31T23:30:00-01:00`` -> ``2026-01-01T00:30:00Z``, ``2025-12-02T10:30:00.000`` ->
    ``2025-12-02T10:30:00``. None when that would lose something: a fraction of a second (``10:30:00.5``), a UTC
    date outside the years 0001 to 9999 (``0001-01-01T00:30:00+01:00``), or no valid date-time at all. These
    are the forms of Amazon Neptune's ``DateTime`` (:mod:`kgraph.export.neptune`), which stores UTC."""
    match = _WHOLE_DATETIME.fullmatch(lexical)
    if match is None:
        return None
    zone = match.group(1)
    try:
        moment = datetime.fromisoformat(lexical[:19])  # naive, in the time of its own zone; checks the date
        if zone is None:
            return moment.isoformat()
        moment -= _utc_offset(zone)
    except (ValueError, OverflowError):
        return None
    return f"{moment.isoformat()}Z"


@cache
def _utc_offset(zone: str) -> timedelta:
    """``Z`` or ``+hh:mm`` / ``-hh:mm`` as the time to take away to reach UTC (few distinct zones recur)."""
    if zone == "Z":
        return timedelta(0)
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return offset if zone[0] == "+" else -offset


def canonical(literal: Literal) -> str:
    """``literal``'s lexical form, in XSD's canonical form if it is a valid decimal, date, time or duration, as Oxigraph
    (``--store``) writes it, so that the files are the same from memory and from a store: a time zone of
    ``+00:00`` is ``Z``, a fraction of a second has no trailing zero (``10:30:00.500`` is ``10:30:00.5``, ``.000``
    goes), a duration is in years, months, days, hours, minutes and seconds (``PT90M`` is ``PT1H30M``, ``P0D`` is
    ``PT0S``), a decimal has no trailing zero nor sign to spare (``4.40`` is ``4.4``, ``3.0`` is ``3``, ``-0.0``
    is ``0``), so that ``1.5`` and ``1.50`` are one value, as on a store. Digits are never dropped (``.123456789``
    stays, and a decimal of 30 digits keeps them all). A duration is valid by its lexical form, of any size: one of
    more days than Python holds, ill-typed to rdflib, is canonical on a store (``PT24000000000H`` is
    ``P1000000000D``). Any other literal is its lexical form."""
    lexical = str(literal)
    datatype = literal.datatype
    if datatype in _DURATION_TYPES:  # by its form: rdflib holds a valid duration past timedelta's days ill-typed
        if not in_duration_form(datatype, lexical):
            return lexical
        return _canonical_duration(lexical, zero="P0M" if datatype == XSD.yearMonthDuration else "PT0S")
    if datatype is None or literal.ill_typed is not False:
        return lexical
    number = literal.value
    if datatype == XSD.decimal and isinstance(number, Decimal) and number.is_finite():
        return canonical_decimal(number)  # every digit: the _text column is for them
    if datatype in _ZONED_TYPES:
        return canonical_instant(lexical)
    return lexical


def _canonical_duration(lexical: str, zero: str) -> str:
    """An xsd:duration in Oxigraph's form: months as years and months, seconds as days, hours, minutes and seconds;
    ``zero`` when it is none (``PT0S``, ``P0M`` for an xsd:yearMonthDuration)."""
    span = duration_span(lexical.strip())
    return lexical if span is None else canonical_duration(*span, zero)


def join_kinds(first: str, second: str) -> str:
    """The kind of a column holding values of both kinds: the same, ``double`` for numbers, else ``string``."""
    if first == second:
        return first
    if {first, second} == {"long", "double"}:
        return "double"
    return "string"


def text(value: Node, kind: str) -> str:
    """``value`` (a literal, or an ontology term) written for a column of ``kind``.

    Numbers are canonical (``4.4``, ``1000000``; a long in a double column is written as a double,
    ``1000000.0``; not-a-number and infinities as ``NaN``, ``Infinity``, ``-Infinity`` as Java reads them),
    booleans ``true``/``false``; in any other column (a ``string`` one too) decimals, dates, times and durations
    :func:`canonical` and every other value its lexical form; an ontology term its local name (``Times``) when it
    is a ``kg:`` term, else its IRI.
    """
    if not isinstance(value, Literal):
        return term_text(value)
    if kind == "long":
        return str(int(value.value))
    if kind == "double":  # a decimal has no negative zero (a store keeps -0.0 as 0); a double has
        number = float(value.value)
        return _double(0.0 if number == 0 and isinstance(value.value, Decimal) else number)
    if kind == "boolean":
        return "true" if value.value else "false"
    return canonical(value)


def _double(number: float) -> str:
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return repr(number)


def term_text(term: Node) -> str:
    """An ontology term as a property value: ``Times`` for ``kg:Times``, else the IRI."""
    if isinstance(term, URIRef) and term.startswith(str(KG)):
        return term[len(str(KG)) :]
    return node_id(term)


def node_id(term: Node) -> str:
    """The ID of a node: its IRI, or ``_:label`` for a blank node."""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


# ------------------------------------------------------------------------------------------------ names


def _local(iri: Node) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _identifier(name: str, fallback: str) -> str:
    """``name`` with every character outside ``[A-Za-z0-9_]`` turned into ``_``; never empty or starting with a
    digit."""
    cleaned = re.sub(r"[^0-9A-Za-z_]", "_", name)
    if not cleaned or cleaned[0].isdigit():
        cleaned = f"{fallback}_{cleaned}"
    return cleaned


def _prefix(iri: URIRef) -> str:
    for prefix, namespace in sorted(PREFIXES.items()):
        if iri.startswith(str(namespace)):
            return prefix
    return "ns"


def relationship_type_name(predicate: URIRef) -> str:
    """``kg:trainedOn`` -> ``TRAINED_ON``: the local name in upper snake case."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", _local(predicate))
    return _identifier(words, "REL").upper()


def file_stems(names: Iterable[str]) -> dict[str, str]:
    """Each of ``names`` (of node files, or of relationship types) as the part of a file name that tells it from
    the others: the name itself, unless it equals an earlier one's under casefold (``Gadget`` and ``gadget``;
    earlier in code point order, so capitals first), which a case-insensitive file system (macOS, Windows) makes
    one file. Such a later name gets ``-`` and the first 8 hexadecimal digits of its SHA-256 (``gadget-e5bfc8ca``):
    the same on every machine, and kept while the name is in the graph. No name the export makes holds a ``-``."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(set(names)):
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()
        longer = (f"{name}-{digest[:n]}" for n in range(8, len(digest) + 1))  # only when a prefix is taken
        numbered = (f"{name}-{digest}-{n}" for n in itertools.count(2))
        stem = next(c for c in itertools.chain([name], longer, numbered) if c.casefold() not in taken)
        taken.add(stem.casefold())
        stems[name] = stem
    return stems


def preferred_directions(ontology: Graph, schema: Schema | None = None) -> dict[URIRef, URIRef]:
    """Each property the export writes the other way, mapped to the inverse it is written as: ``kg:usedBy`` ->
    ``kg:uses``, the property of its ``owl:inverseOf`` pair that ``ontology`` marks ``kg:preferredDirection
    true``. A pair with no mark is left out (written as stated), and so is a property that is its own inverse.
    Raises :class:`~kgraph.errors.InputError` when both properties of a pair are marked, or when a property's
    inverses include two marked ones: then which way to write it is not said."""
    schema = Schema.from_ontology(ontology) if schema is None else schema
    marked = {p for p, mark in ontology.subject_objects(PREFERRED_DIRECTION) if _is_true(mark)}
    written: dict[URIRef, URIRef] = {}
    for p, inverses in sorted(schema.inverses.items(), key=lambda item: str(item[0])):
        if not isinstance(p, URIRef) or p in inverses:
            continue
        preferred = sorted(q for q in inverses if q in marked and isinstance(q, URIRef))
        if p in marked and preferred:
            raise InputError(_BOTH_MARKED.format(a=qname(ontology, p), b=qname(ontology, preferred[0])))
        if len(preferred) > 1:
            raise InputError(_BOTH_MARKED.format(a=qname(ontology, preferred[0]), b=qname(ontology, preferred[1])))
        if preferred:
            written[p] = preferred[0]
    return written


_BOTH_MARKED = (
    "the ontology marks both {a} and {b} kg:preferredDirection, and one is the inverse of the other: "
    "remove the mark from the one the exports should not write"
)


def _is_true(mark: Node) -> bool:
    return isinstance(mark, Literal) and mark.datatype == XSD.boolean and mark.value is True


def _column_base(predicate: URIRef, lang: str) -> str:
    base = _NAMES.get(predicate) or _identifier(_local(predicate), "p")
    if lang and lang != TERM:
        base = f"{base}_{_identifier(lang.lower(), 'lang')}"
    return base


def _unique_names(
    keys: list[tuple[URIRef, str]], base: dict[tuple[URIRef, str], str], taken: set[str]
) -> dict[tuple[URIRef, str], str]:
    """Give each key its base name; on a clash the ``kg:`` key keeps it and the others get their prefix (then a
    number). Keys are taken in a fixed order, so names do not depend on iteration order."""
    names: dict[tuple[URIRef, str], str] = {}
    ordered = sorted(keys, key=lambda k: (not k[0].startswith(str(KG)), str(k[0]), k[1]))
    for key in ordered:
        plain = base[key]
        candidates = [plain, f"{_prefix(key[0])}_{plain}"]
        candidates += [f"{plain}_{n}" for n in range(2, len(keys) + 3)]
        name = next(c for c in candidates if c not in taken)
        taken.add(name)
        names[key] = name
    return names


# ------------------------------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class Column:
    """A property column: its name, its kind (one of :data:`KINDS`) and whether it holds an array; ``text``, the
    name of the ``string`` column beside it that holds its values' texts (:func:`canonical`), when some value of
    this ``double`` column is not exactly the number its literal states (else empty); ``exact``, whether the
    narrower form an export may write holds every value exactly: a double for a ``double`` column (else ``text`` is
    set), a date-time of whole seconds in UTC (:func:`whole_datetime`) for a ``datetime`` or ``localdatetime`` one."""

    name: str
    kind: str
    array: bool
    text: str = ""
    exact: bool = True


@dataclass(frozen=True)
class NodeFile:
    """The nodes whose top ``kg:`` class is ``name``: their columns (sorted by name) and every label they use;
    ``stem``, what names their file (``nodes_<stem>.csv``): ``name``, unless another file's name differs from it
    only in case (:func:`file_stems`)."""

    name: str
    columns: tuple[Column, ...]
    labels: tuple[str, ...]
    count: int
    stem: str


@dataclass(frozen=True)
class RelationshipType:
    """A relationship type: its name, the predicate it comes from, and ``types`` (itself, then its ``kg:``
    super-properties, nearest first); ``stem``, what names its file (``relationships_<stem>.csv``): ``name``,
    unless another type's differs from it only in case (``NS_USES`` and ``ns_USES``, :func:`file_stems`)."""

    name: str
    predicate: URIRef
    types: tuple[str, ...]
    count: int
    stem: str


@dataclass(frozen=True)
class Relationship:
    """One relationship, from the node being yielded to ``end``."""

    end: str
    type: RelationshipType
    sections: tuple[str, ...]
    inferred: bool


@dataclass(frozen=True)
class NodeRow:
    """One node as :func:`nodes` yields it: ID, file, labels, property values per column, relationships out."""

    id: str
    file: NodeFile
    labels: tuple[str, ...]
    values: Mapping[str, tuple[str, ...]]
    relationships: tuple[Relationship, ...]


#: The characters whose presence in array elements the plan records (the Neo4j export's array delimiter is the
#: first of them that occurs in no array element).
WATCHED_CHARACTERS = ";|\x1f\x1e\x1d\x1c"


@dataclass
class _ColumnSummary:
    kind: str | None = None
    most: int = 0  # the most values one node has
    characters: set[str] = field(default_factory=set)  # the watched characters its values hold
    multiline: bool = False
    backslash: bool = False
    empty: bool = False  # whether some value is the empty string
    longest: int = 0  # the most bytes of UTF-8 one node's values of this column take, quotes doubled
    exact: bool = True  # whether a double column, or a whole-second date-time, holds each of its values exactly


@dataclass
class _FileSummary:
    count: int = 0
    labels: set[str] = field(default_factory=set)
    columns: dict[tuple[URIRef, str], _ColumnSummary] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """What one pass over the graph fixes before anything is written."""

    node_ids: tuple[Any, ...]  # the node terms (rdflib's; on a store, their IDs), sorted by ID
    files: Mapping[str, NodeFile]
    relationship_types: Mapping[URIRef, RelationshipType]  # by predicate, only those used
    #: The characters of :data:`WATCHED_CHARACTERS` that occur in an array element (labels, relationship types,
    #: sections, array properties).
    array_characters: frozenset[str]
    #: Whether any value holds a line break (Neo4j then needs ``--multiline-fields=true``).
    multiline: bool
    #: Whether any value holds a backslash (Neo4j's LOAD CSV then needs RFC 4180's quoting, not its legacy one).
    backslash: bool
    #: The most bytes one field takes (Neo4j's importer reads each field into a buffer of 4 MiB unless told).
    longest: int
    #: The most bytes one node's values take together, past 1 MiB (else 0): Neo4j's importer must hold a whole row
    #: in its buffer, with ``--multiline-fields=true`` or without (the row's ID, labels and commas are left to the
    #: margin ``import.sh`` adds).
    widest_row: int
    #: Whether a column of single values holds the empty string (``""``, which Neptune's loader drops unless told).
    empty_strings: bool
    _mapper: _Mapper = field(repr=False)
    #: On a store, each node's triples as the first pass read them, for the second (see :func:`plan`).
    _spill: IO[bytes] | None = field(default=None, repr=False)

    @property
    def node_count(self) -> int:
        return len(self.node_ids)

    def close(self) -> None:
        """Remove the temporary file of a plan made on a store (nothing to do in memory)."""
        if self._spill is not None:
            self._spill.close()

    def __enter__(self) -> Plan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def relationship_count(self) -> int:
        return sum(t.count for t in self.relationship_types.values())


def plan(loaded: LoadedGraph) -> Plan:
    """Pass over every node once and fix the node files, their columns and types, and the relationship types.

    What it keeps is the sorted node IDs (references to terms the graph holds) and a summary per column, never
    the rows. On a store, reading a node's triples costs far more than in memory (Oxigraph decodes every term
    from disk), so what this pass reads is also written to a temporary file, in order, for :func:`nodes` to read
    back instead of asking the store again: disk, not memory, and one read of the store instead of two.
    """
    mapper = _Mapper(loaded)
    summaries: dict[str, _FileSummary] = {}
    predicates: dict[URIRef, int] = {}
    node_terms = mapper.sorted_nodes()
    spill = _spill_file() if mapper.native is not None else None
    pending: list[tuple[Any, ...]] = []  # the entries not yet written to the temporary file
    widest_row = 0
    try:
        for raw in mapper.raws(node_terms):
            if spill is not None:
                pending.append(_encode_raw(raw))
                if len(pending) >= _SPILL_BLOCK:
                    _spill(pending, spill)
                    pending = []
            summary = summaries.setdefault(raw.file, _FileSummary())
            summary.count += 1
            summary.labels.update(raw.labels)
            row = 0
            for key, values in raw.values.items():
                row += _summarise(summary.columns.setdefault(key, _ColumnSummary()), values)
            if row > 1 << 20:  # as for a field: counted exactly only where it may matter
                widest_row = max(widest_row, sum(_field_bytes(values) for values in raw.values.values()))
            for predicate, _end, _inferred, _sections in raw.relationships:
                predicates[predicate] = predicates.get(predicate, 0) + 1
        if spill is not None and pending:
            _spill(pending, spill)
    except BaseException:
        if spill is not None:
            spill.close()  # the store failed, or Ctrl-C: the temporary file goes now, not when collected
        raise
    keys = sorted({key for summary in summaries.values() for key in summary.columns})
    mapper.fix_names(keys, sorted(predicates))
    # One file per node file and per relationship type: names that differ only in case get distinct file names.
    file_stem = file_stems(summaries)
    files = {name: mapper.node_file(name, summary, file_stem[name]) for name, summary in sorted(summaries.items())}
    type_stem = file_stems(mapper.type_names[p] for p in predicates)
    types = {p: mapper.relationship_type(p, n, type_stem[mapper.type_names[p]]) for p, n in sorted(predicates.items())}
    mapper.files = files
    mapper.types = types
    return Plan(
        node_ids=tuple(node_terms),
        files=files,
        relationship_types=types,
        array_characters=frozenset(_array_characters(mapper, summaries, files)),
        multiline=any(c.multiline for s in summaries.values() for c in s.columns.values()),
        backslash=any(c.backslash for s in summaries.values() for c in s.columns.values()),
        longest=max((c.longest for s in summaries.values() for c in s.columns.values()), default=0),
        widest_row=widest_row,
        empty_strings=_empty_strings(mapper, summaries, files),
        _mapper=mapper,
        _spill=spill,
    )


def _summarise(column: _ColumnSummary, values: tuple[Value, ...]) -> int:
    """Add ``values``, one node's of ``column``, to its summary; return their field's size: in characters (at least
    a quarter of its bytes), or, past 1 MiB of characters, in bytes."""
    column.most = max(column.most, len(values))
    # A field's bytes: each value's (exactly only when it may matter, past 1 MiB of characters), a delimiter
    # between values, every quote doubled; bounded above by four bytes a character.
    size = sum(len(plain) for _kind, plain, *_rest in values) + len(values)
    if size > 1 << 20:
        size = _field_bytes(values)
        column.longest = max(column.longest, size)
    for kind, plain, _own, _as_double, literal, exact in values:
        column.kind = kind if column.kind is None else join_kinds(column.kind, kind)
        column.exact = column.exact and exact
        column.characters.update(c for c in WATCHED_CHARACTERS if c in plain)
        if literal:
            column.multiline = column.multiline or "\n" in plain or "\r" in plain
        column.backslash = column.backslash or "\\" in plain
        column.empty = column.empty or not plain
    return size


def _field_bytes(values: tuple[Value, ...]) -> int:
    """The bytes of UTF-8 the field of ``values`` takes: each value's, every quote doubled, a delimiter between
    values and the field's quotes (one byte more)."""
    return sum(len(plain.encode("utf-8", "surrogatepass")) + plain.count('"') for _k, plain, *_r in values) + len(
        values
    )


def _array_characters(
    mapper: _Mapper, summaries: Mapping[str, _FileSummary], files: Mapping[str, NodeFile]
) -> set[str]:
    """The watched characters found in array elements: array columns, labels, relationship types and the names of
    the graphs (the values of ``sections``)."""
    found: set[str] = set()
    for name, summary in summaries.items():
        arrays = {column.name for column in files[name].columns if column.array}
        for key, column in summary.columns.items():
            if mapper.column_names[key] in arrays:
                found |= column.characters
        found.update(c for label in summary.labels for c in WATCHED_CHARACTERS if c in label)
    graphs = (str(g.identifier) for g in mapper.loaded.dataset.graphs())
    found.update(c for g in graphs for c in WATCHED_CHARACTERS if c in g)
    found.update(c for t in mapper.type_names.values() for c in WATCHED_CHARACTERS if c in t)
    return found


def _empty_strings(mapper: _Mapper, summaries: Mapping[str, _FileSummary], files: Mapping[str, NodeFile]) -> bool:
    """Whether some column that is not an array holds the empty string as a value (an array's elements are joined,
    or one JSON text: never an empty field)."""
    for name, summary in summaries.items():
        single = {column.name for column in files[name].columns if not column.array}
        if any(column.empty and mapper.column_names[key] in single for key, column in summary.columns.items()):
            return True
    return False


def nodes(current: Plan) -> Iterator[NodeRow]:
    """Every node, sorted by ID, with its properties and relationships; one at a time."""
    if current._spill is not None:
        return _spilled_rows(current._mapper, current.node_ids, current._spill)
    return _rows(current._mapper, current.node_ids)


def _rows(mapper: _Mapper, node_terms: tuple[Node, ...]) -> Iterator[NodeRow]:
    for term in node_terms:
        yield mapper.row(term)


def _spill_file() -> IO[bytes]:
    try:
        return tempfile.TemporaryFile()
    except OSError as error:
        raise InputError(_SPILL_ADVICE.format(reason=error.strerror or error)) from error


#: Nodes per block of the temporary file: each block is one length and one :func:`marshal.dumps` of its entries.
#: ``marshal.load`` on a file reads it a few bytes at a time through Python's file object (about 0.3 ms a node at
#: 100k triples, more than the CSV lines took); ``marshal.loads`` of a block read at once costs next to nothing.
_SPILL_BLOCK = 1000
_LENGTH = struct.Struct("<Q")


def _spill(entries: list[tuple[Any, ...]], spill: IO[bytes]) -> None:
    try:
        block = marshal.dumps(entries)
        spill.write(_LENGTH.pack(len(block)))
        spill.write(block)
    except OSError as error:  # a full disk
        spill.close()
        raise InputError(_SPILL_ADVICE.format(reason=error.strerror or error)) from error


_SPILL_ADVICE = (
    "cannot write the export's temporary file ({reason}); it takes a little more than the CSV files: "
    "free some space, or set TMPDIR to a folder with room"
)


def _spilled_rows(mapper: _Mapper, node_terms: tuple[Any, ...], spill: IO[bytes]) -> Iterator[NodeRow]:
    spill.seek(0)
    predicates: dict[str, URIRef] = {}
    entries: Iterator[tuple[Any, ...]] = iter(())
    for term in node_terms:
        entry = next(entries, None)
        if entry is None:
            (length,) = _LENGTH.unpack(spill.read(_LENGTH.size))
            entries = iter(marshal.loads(spill.read(length)))  # noqa: S302 - our own file
            entry = next(entries)
        yield mapper.row(term, _decode_raw(entry, predicates))


# What the spill file holds: each _Raw as tuples of strings, booleans and None (marshal: no code, fast); the
# values are already the texts the columns need, so reading it back makes no RDF term.


def _encode_raw(raw: _Raw) -> tuple[Any, ...]:
    return (
        raw.file,
        raw.labels,
        [(str(p), lang, values) for (p, lang), values in raw.values.items()],
        [(str(p), end, inferred, sections) for p, end, inferred, sections in raw.relationships],
    )


def _decode_raw(entry: tuple[Any, ...], predicates: dict[str, URIRef]) -> _Raw:
    def predicate(text: str) -> URIRef:
        found = predicates.get(text)
        if found is None:
            found = predicates[text] = URIRef(text)
        return found

    file, labels, values, relationships = entry
    return _Raw(
        file=file,
        labels=labels,
        values={(predicate(p), lang): found for p, lang, found in values},
        relationships=tuple((predicate(p), end, inferred, sections) for p, end, inferred, sections in relationships),
    )


#: A property value as the export needs it: ``(kind, plain, own, as_double, is a literal, exact)``: its own column
#: kind (:func:`literal_kind`, ``string`` for an ontology term), its text in a ``string`` column (its
#: :func:`canonical` form, or the term's :func:`term_text`), its text in a column of its own kind, for a ``long`` its
#: text in a ``double`` column, and whether a ``double`` column holds it exactly (:func:`exact_as_double`), or for a
#: date-time whether :func:`whole_datetime` writes it. A column's kind is its values' own kinds joined
#: (:func:`join_kinds`), so these cover every column a value can land in.
Value = tuple[str, str, str, str | None, bool, bool]


def value_of(term: Node) -> Value:
    """``term`` (a literal or an ontology term) as a :data:`Value`."""
    if not isinstance(term, Literal):
        plain = term_text(term)
        return ("string", plain, plain, None, False, True)
    kind = literal_kind(term)
    plain = canonical(term)
    as_double = text(term, "double") if kind == "long" else None
    exact = whole_datetime(plain) is not None if kind in DATETIME_KINDS else exact_as_double(term, kind)
    return (kind, plain, text(term, kind), as_double, True, exact)


def exact_as_double(literal: Literal, kind: str) -> bool:
    """Whether a ``double`` column holds ``literal`` (of column kind ``kind``) exactly: false for an integer
    past 2**53 that a double cannot hold (``9007199254740993``) and for a decimal whose double's text reads back
    as another number (``12345678901234567890.5``, ``1.2345678901234567e+19``); true for any other value, an
    xsd:double or xsd:float included (its value is a double)."""
    value = literal.value
    if kind == "long" and isinstance(value, int):
        return float(value) == value
    if kind == "double" and isinstance(value, Decimal):
        return Decimal(_double(float(value))) == value
    return True


def text_in(value: Value, kind: str) -> str:
    """The text of ``value`` in a column of ``kind``: what :func:`text` gives for the term it came from."""
    own_kind, plain, own, as_double, _literal, _exact = value
    if kind == own_kind:
        return own
    if kind == "double" and as_double is not None:
        return as_double
    return plain


@dataclass(frozen=True)
class _Raw:
    file: str
    labels: tuple[str, ...]
    #: The stated values by ``(predicate, language or TERM)``.
    values: Mapping[tuple[URIRef, str], tuple[Value, ...]]
    #: ``(predicate, end node ID, inferred, sections)``; an inferred one has no sections.
    relationships: tuple[tuple[URIRef, str, bool, tuple[str, ...]], ...]


def _by_triple(rows: Iterable[tuple[Any, Any, Any]]) -> dict[tuple[Any, Any], list[Any]]:
    """The graphs of each ``(predicate, object)`` of ``rows``."""
    grouped: dict[tuple[Any, Any], list[Any]] = {}
    for p, o, g in rows:
        found = grouped.get((p, o))
        if found is None:
            grouped[p, o] = [g]
        else:
            found.append(g)
    return grouped


class _OxTerms:
    """The terms :meth:`_Mapper._native_raw` compares with, as a store's rows write them (SPARQL TSV), and the
    reader of its literals (imported only for a store)."""

    def __init__(self, concluded: Iterable[URIRef]) -> None:
        from kgraph.oxstore import tsv_literal  # noqa: PLC0415 - in memory the export never needs the store's module

        #: The predicates of the rules' conclusions the export may write (:meth:`_Mapper._implied_in`).
        self.concluded = frozenset(f"<{p}>" for p in concluded)
        #: The predicates met, by their text (few: a dict look-up, not from_tsv's).
        self.predicates: dict[str, URIRef] = {}
        self.type = f"<{RDF.type}>"
        self.inferred = f"<{INFERRED_GRAPH}>"
        self.string = str(XSD.string)
        self.literal = tsv_literal


#: Nodes read from a store per SPARQL query (a query per node cost about 60 µs before its first answer). Two
#: chunks' rows are held at once, the one being mapped and the next one's answer: at 1M triples 500 nodes rather
#: than 1,000 took about 10 MB less at the peak, for the same CPU time.
_CHUNK = 500


class _Mapper:
    """Reads one node's triples and maps them (holding the graph, the ontology's tables and the names)."""

    def __init__(self, loaded: LoadedGraph) -> None:
        self.loaded = loaded
        self.graph = loaded.graph
        self.inferred = loaded.inferred
        self.vocabulary = set(loaded.ontology.subjects())
        self.vocabulary_ids = frozenset(node_id(term) for term in self.vocabulary)
        #: On a store (kgraph.oxstore), the store itself: its nodes and their triples are read in Oxigraph's
        #: terms, by SPARQL, many nodes at a time, and turned straight into texts (no rdflib term for most).
        self.native: Any = loaded.graph.store if hasattr(loaded.graph.store, "export_rows") else None
        self.schema = Schema.from_ontology(loaded.ontology)
        #: Each property the export writes as its inverse, from the other end (:func:`preferred_directions`).
        self.written_as = preferred_directions(loaded.ontology, self.schema)
        #: What the rules conclude, as the export writes it (a rule's ``kg:vendorOf`` is a ``kg:customerOf``).
        self.rule_heads = frozenset(self.written_as.get(p, p) for p in _rule_heads(loaded))
        self.implied_by = _implied_by(self.schema)
        self.column_names: dict[tuple[URIRef, str], str] = {}
        self.type_names: dict[URIRef, str] = {}
        self.files: Mapping[str, NodeFile] = {}
        self.types: Mapping[URIRef, RelationshipType] = {}
        concluded = (p for p in self.rule_heads if p not in self.written_as)
        self._ox = _OxTerms(concluded) if self.native is not None else None
        #: The file and labels of each set of classes met.
        self._class_names: dict[frozenset[URIRef], tuple[str, tuple[str, ...]]] = {}
        #: By node ID, the relationships the triples of :attr:`written_as` that the data states make from it
        #: (:meth:`_turned`), read at the first call.
        self._turned_links: dict[str, dict[tuple[URIRef, str], tuple[str, ...]]] | None = None
        #: On a store, :meth:`_implied`'s answers for the nodes being read, asked all at once (:meth:`_implied_in`).
        self._implied_known: dict[tuple[Node, Node, Node], bool] = {}
        #: By node file, each column's kind and the text columns beside columns (:meth:`row`).
        self._file_columns: dict[str, tuple[dict[str, str], dict[str, str]]] = {}

    # --- which terms are nodes

    def sorted_nodes(self) -> list[Any]:
        """The nodes sorted by ID: rdflib terms in memory, their IDs on a store."""
        if self.native is not None:
            return sorted(self.native.export_nodes(self.vocabulary_ids))
        found: set[Node] = set()
        for s, p, o in self.graph:
            if s in self.vocabulary:
                continue
            found.add(s)
            if p != RDF.type and isinstance(o, URIRef | BNode) and o not in self.vocabulary:
                found.add(o)
        return sorted(found, key=node_id)

    def id_of(self, term: Any) -> str:  # noqa: ANN401 - an rdflib term, or on a store an ID
        return node_id(term) if self.native is None else term

    def is_node(self, term: Node) -> bool:
        return isinstance(term, URIRef | BNode) and term not in self.vocabulary

    # --- one node

    def raws(self, terms: list[Any]) -> Iterator[_Raw]:
        """Each node's :class:`_Raw`, in the order of ``terms``; on a store, read :data:`_CHUNK` nodes at a time."""
        if self.native is None:
            yield from map(self.raw, terms)
            return
        chunks = [terms[start : start + _CHUNK] for start in range(0, len(terms), _CHUNK)]
        heads = self.rule_heads | {RDF.type}
        # Oxigraph answers the next chunk's query in a thread, without Python's lock, while this one is mapped.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kgraph-export") as ahead:
            # Stopped early (a failure, Ctrl-C), it waits for the query under way: one chunk's.
            answers = [ahead.submit(self.native.export_answer, chunk, heads) for chunk in chunks[:1]]
            for at, chunk in enumerate(chunks):
                answer = answers.pop().result()
                if at + 1 < len(chunks):
                    answers.append(ahead.submit(self.native.export_answer, chunks[at + 1], heads))
                rows = self.native.export_rows(chunk, heads, answer)
                self._implied_known = self._implied_in(rows)
                for term in chunk:
                    yield self._native_raw(term, rows.get(term, ()))

    def raw(self, term: Any) -> _Raw:  # noqa: ANN401 - an rdflib term, or on a store a node ID
        if self.native is not None:
            return next(self.raws([term]))
        classes: set[URIRef] = set()
        values: dict[tuple[URIRef, str], list[Value]] = {}
        relationships: list[tuple[URIRef, str, bool, tuple[str, ...]]] = []
        # One look-up for the node's triples and their graphs.
        for (p, o), names in self.loaded.statements(term).items():
            asserted = INFERRED_GRAPH not in names  # the inferred graph holds no stated triple
            if not isinstance(p, URIRef):  # pragma: no cover - rdflib predicates are IRIs
                continue
            if p == RDF.type:
                if isinstance(o, URIRef) and o.startswith(str(KG)):
                    classes.add(o)
                continue
            if isinstance(o, Literal):
                if asserted:
                    # As a store has them: "x" and "x"^^xsd:string one literal (RDF 1.1), which rdflib keeps as two.
                    found = values.setdefault((p, o.language or ""), [])
                    value = value_of(o)
                    if value not in found:
                        found.append(value)
            elif self.is_node(o):
                sections = tuple(str(g) for g in names) if asserted else None
                link = self._link(p, node_id(o), sections, lambda: (term, o))  # noqa: B023 - called at once
                if link is not None:
                    relationships.append(link)
            elif asserted:
                values.setdefault((p, TERM), []).append(value_of(o))
        return self._raw(classes, values, self._with_turned(node_id(term), relationships))

    def _native_raw(self, subject: str, rows: Iterable[tuple[str, str, str]]) -> _Raw:
        """As :meth:`raw`, from the store's ``(predicate, object, graph)`` rows of ``subject`` (its ID) as texts in
        SPARQL TSV (``<iri>``, ``_:label``, a literal): a plain or language-tagged literal's texts are its value, an
        end node's ID its IRI; only a typed literal, a class or an ontology term becomes an rdflib term (once per
        distinct term)."""
        ox = self._ox
        assert ox is not None  # noqa: S101 - only called on a store
        classes: set[URIRef] = set()
        values: dict[tuple[URIRef, str], list[Value]] = {}
        relationships: list[tuple[URIRef, str, bool, tuple[str, ...]]] = []
        term = self.native.rdflib_term  # kgraph.oxstore.from_tsv: it keeps the terms it made
        predicates = ox.predicates
        kg = str(KG)
        for (p, o), graphs in _by_triple(rows).items():
            asserted = ox.inferred not in graphs
            first = o[0]
            if p == ox.type:
                if first == "<" and o.startswith(kg, 1):
                    classes.add(term(o))
                continue
            predicate = predicates.get(p)
            if predicate is None:
                predicate = predicates[p] = term(p)
            if first == "<":
                end = o[1:-1]
            elif first == "_":
                end = o
            else:  # a literal
                if asserted:
                    self._native_value(values, predicate, o)
                continue
            if end not in self.vocabulary_ids:
                sections = tuple(sorted({g[1:-1] for g in graphs})) if asserted else None
                link = self._link(predicate, end, sections, lambda: (_node(subject), term(o)))  # noqa: B023
                if link is not None:
                    relationships.append(link)
            elif asserted:
                values.setdefault((predicate, TERM), []).append(value_of(term(o)))
        return self._raw(classes, values, self._with_turned(subject, relationships))

    def _native_value(self, values: dict[tuple[URIRef, str], list[Value]], predicate: URIRef, literal: str) -> None:
        """Add to ``values`` a literal in SPARQL TSV: a plain or language-tagged string's value is its text; any
        other literal becomes an rdflib term (once per distinct literal)."""
        ox = self._ox
        assert ox is not None  # noqa: S101 - only called on a store
        text, language, datatype = ox.literal(literal)
        if language or datatype == ox.string:
            values.setdefault((predicate, language), []).append(("string", text, text, None, True, True))
        else:
            values.setdefault((predicate, ""), []).append(value_of(self.native.rdflib_term(literal)))

    def _raw(
        self,
        classes: set[URIRef],
        values: dict[tuple[URIRef, str], list[Value]],
        relationships: list[tuple[URIRef, str, bool, tuple[str, ...]]],
    ) -> _Raw:
        frozen = {key: tuple(found) for key, found in values.items()}
        key = frozenset(classes)
        named = self._class_names.get(key)
        if named is None:  # few sets of classes recur across the nodes
            named = self._class_names[key] = (self._file(classes), self._labels(classes))
        return _Raw(named[0], named[1], frozen, tuple(relationships))

    def _labels(self, classes: set[URIRef]) -> tuple[str, ...]:
        def depth(cls: URIRef) -> int:
            return sum(1 for c in self.schema.superclasses.get(cls, ()) if str(c).startswith(str(KG)))

        ordered = sorted(classes, key=lambda c: (-depth(c), _local(c), str(c)))
        labels = [_identifier(_local(c), "C") for c in ordered]
        return (*dict.fromkeys(labels), RESOURCE) if RESOURCE not in labels else tuple(dict.fromkeys(labels))

    def _file(self, classes: set[URIRef]) -> str:
        tops = sorted(
            _identifier(_local(c), "C")
            for c in classes
            if not any(str(s).startswith(str(KG)) for s in self.schema.superclasses.get(c, ()))
        )
        return "_".join(tops) or RESOURCE

    def _link(
        self, p: URIRef, end: str, sections: tuple[str, ...] | None, ends: Callable[[], tuple[Node, Node]]
    ) -> tuple[URIRef, str, bool, tuple[str, ...]] | None:
        """The relationship a triple of ``p`` to ``end`` makes, or None: ``sections``, those that state it (None:
        inferred); ``ends``, its subject and object as rdflib terms (made only when needed). A stated triple is
        written as it is, but one of a property written the other way (``kg:usedBy``, ``kg:hasFigure``), which
        the other end writes (:meth:`_with_turned`); an inferred one only when it is a rule's conclusion no stated
        triple implies."""
        if p in self.written_as:  # a dict look-up: KG.x and URIRef.__eq__ cost microseconds, on every relationship
            return None
        if sections is not None:
            return (p, end, False, sections)
        if p in self.rule_heads:
            s, o = ends()
            if not self._implied(s, p, o):
                return (p, end, True, ())
        return None

    def _with_turned(
        self, node: str, relationships: list[tuple[URIRef, str, bool, tuple[str, ...]]]
    ) -> list[tuple[URIRef, str, bool, tuple[str, ...]]]:
        """``relationships`` of the node ``node`` (its ID), with those the data states the other way: ``b kg:usedBy
        a`` makes a USES from ``a`` to ``b``, with the sections that state it; when ``a kg:uses b`` is stated too,
        the one relationship has the sections of both."""
        turned = self._turned().get(node)
        if not turned:
            return relationships
        merged = {(p, end): (inferred, sections) for p, end, inferred, sections in relationships}
        for key, sections in turned.items():
            _inferred, stated = merged.get(key, (False, ()))  # stated the other way, so not only inferred
            merged[key] = (False, tuple(sorted({*stated, *sections})))
        return [(p, end, inferred, sections) for (p, end), (inferred, sections) in merged.items()]

    def _turned(self) -> dict[str, dict[tuple[URIRef, str], tuple[str, ...]]]:
        """By node ID, the relationships from it that stated triples of :attr:`written_as` make: ``b kg:usedBy a``
        in a section ``g`` gives ``a`` -> ``{(kg:uses, b): (g,)}``. Every such triple is read once, at the first
        call (few data state the passive direction; a look-up per node cost 0.2 ms on a store)."""
        if self._turned_links is None:
            found: dict[str, dict[tuple[URIRef, str], set[str]]] = {}
            for s, p, o, graph in self.loaded.quads_with(sorted(self.written_as), inferred=False):
                if self.is_node(s) and self.is_node(o) and isinstance(p, URIRef):
                    links = found.setdefault(node_id(o), {})
                    links.setdefault((self.written_as[p], node_id(s)), set()).add(str(graph))
            self._turned_links = {
                node: {key: tuple(sorted(graphs)) for key, graphs in links.items()} for node, links in found.items()
            }
        return self._turned_links

    def _implied_in(self, rows: Mapping[Any, list[tuple[Any, Any, Any]]]) -> dict[tuple[Node, Node, Node], bool]:
        """For the rules' conclusions between two IRIs among ``rows`` (a store's, by subject), whether a stated
        triple implies each (:meth:`_implied`), asked of the store in one query per rule's predicate rather than
        in up to four look-ups per conclusion (each an Oxigraph call through rdflib's layers)."""
        ox = self._ox
        assert ox is not None  # noqa: S101 - only called on a store
        term = self.native.rdflib_term
        asked: dict[URIRef, list[tuple[Any, Any]]] = {}
        for subject, found in rows.items():
            if subject.startswith("_:"):
                continue
            for p, o, g in found:
                if g == ox.inferred and p in ox.concluded and o[0] == "<":
                    asked.setdefault(term(p), []).append((f"<{subject}>", o))
        known: dict[tuple[Node, Node, Node], bool] = {}
        for predicate, pairs in asked.items():
            forward, backward = self.implied_by.get(predicate, (frozenset({predicate}), frozenset()))
            implied = self.native.export_implied(pairs, forward, backward)
            for at, (subject, o) in enumerate(pairs):
                known[term(subject), predicate, term(o)] = at in implied
        return known

    def _implied(self, s: Node, p: URIRef, o: Node) -> bool:
        """Whether a stated triple implies ``(s, p, o)`` through sub-properties, inverses or symmetry."""
        known = self._implied_known.get((s, p, o))
        if known is not None:
            return known
        forward, backward = self.implied_by.get(p, (frozenset({p}), frozenset()))
        return any((s, q, o) in self.graph and (s, q, o) not in self.inferred for q in forward) or any(
            (o, q, s) in self.graph and (o, q, s) not in self.inferred for q in backward
        )

    def row(self, term: Any, raw: _Raw | None = None) -> NodeRow:  # noqa: ANN401 - as :meth:`raw`
        raw = self.raw(term) if raw is None else raw
        file = self.files[raw.file]
        columns = self._file_columns.get(file.name)
        if columns is None:
            kinds = {column.name: column.kind for column in file.columns}
            columns = self._file_columns[file.name] = (kinds, {c.name: c.text for c in file.columns if c.text})
        kinds, texts = columns
        values: dict[str, tuple[str, ...]] = {}
        for key, found in raw.values.items():
            name = self.column_names[key]
            kind = kinds[name]
            companion = texts.get(name)
            if companion is None:
                values[name] = tuple(sorted(text_in(value, kind) for value in found))
            else:  # the lexical forms in the order of the numbers beside them
                pairs = sorted((text_in(value, kind), value[1]) for value in found)
                values[name] = tuple(number for number, _plain in pairs)
                values[companion] = tuple(plain for _number, plain in pairs)
        relationships = tuple(
            sorted(
                (
                    Relationship(end=end, type=self.types[p], sections=sections, inferred=inferred)
                    for p, end, inferred, sections in raw.relationships
                ),
                key=lambda r: (r.type.name, r.end),
            )
        )
        return NodeRow(self.id_of(term), file, raw.labels, values, relationships)

    # --- names, fixed once every key is known

    def fix_names(self, keys: list[tuple[URIRef, str]], predicates: list[URIRef]) -> None:
        bases = {key: _column_base(*key) for key in keys}
        self.column_names = _unique_names(keys, bases, {IRI_PROPERTY})
        named = set(predicates)
        for p in predicates:
            named.update(s for s in self.schema.superproperties.get(p, ()) if isinstance(s, URIRef) and _in_kg(s))
        type_keys = [(p, "") for p in sorted(named)]
        type_bases = {key: relationship_type_name(key[0]) for key in type_keys}
        self.type_names = {key[0]: name for key, name in _unique_names(type_keys, type_bases, set()).items()}

    def node_file(self, name: str, summary: _FileSummary, stem: str) -> NodeFile:
        by_predicate: dict[URIRef, int] = {}
        for (predicate, _lang), column in summary.columns.items():
            by_predicate[predicate] = max(by_predicate.get(predicate, 0), column.most)
        taken = {IRI_PROPERTY, *self.column_names.values()}
        found: list[Column] = []
        for key, column in summary.columns.items():
            kind = column.kind or "string"
            array = key[0] in _ALWAYS_ARRAYS or by_predicate[key[0]] > 1
            column_name = self.column_names[key]
            if kind == "double" and not column.exact:
                companion = _text_name(column_name, taken)
                found.append(Column(name=companion, kind="string", array=array))
                found.append(Column(name=column_name, kind=kind, array=array, text=companion, exact=False))
            else:
                exact = column.exact or kind not in DATETIME_KINDS  # a long column's values are exact as longs
                found.append(Column(name=column_name, kind=kind, array=array, exact=exact))
        columns = sorted(found, key=lambda c: c.name)
        labels = [*sorted(summary.labels - {RESOURCE}), RESOURCE]
        return NodeFile(name=name, columns=tuple(columns), labels=tuple(labels), count=summary.count, stem=stem)

    def relationship_type(self, predicate: URIRef, count: int, stem: str) -> RelationshipType:
        supers = [
            s
            for s in self.schema.superproperties.get(predicate, ())
            if isinstance(s, URIRef) and _in_kg(s) and s in self.type_names
        ]
        depth = {s: len(self.schema.superproperties.get(s, ())) for s in supers}
        ordered = sorted(supers, key=lambda s: (-depth[s], self.type_names[s]))
        names = (self.type_names[predicate], *(self.type_names[s] for s in ordered))
        return RelationshipType(name=names[0], predicate=predicate, types=names, count=count, stem=stem)


def _text_name(name: str, taken: set[str]) -> str:
    """``<name>_text``, the name of the column of lexical forms beside ``name`` (then a number, if taken)."""
    candidates = [f"{name}_text", *(f"{name}_text_{n}" for n in range(2, len(taken) + 3))]
    return next(c for c in candidates if c not in taken)


def _node(node: str) -> Node:
    """The rdflib term of a node ID (:func:`node_id`)."""
    return BNode(node[2:]) if node.startswith("_:") else URIRef(node)


def _in_kg(term: Node) -> bool:
    return isinstance(term, URIRef) and term.startswith(str(KG))


def _rule_heads(loaded: LoadedGraph) -> frozenset[URIRef]:
    """The predicates the SPARQL rules construct (``kg:customerOf``)."""
    rules = load_rules(loaded.ontology_dir / RULES_DIR_NAME, RULES_DIR_NAME)
    heads = {
        p
        for rule in rules
        for _s, p, _o in getattr(rule.query.algebra, "template", None) or ()
        if isinstance(p, URIRef)
    }
    return frozenset(heads)


def _implied_by(schema: Schema) -> dict[Node, tuple[frozenset[Node], frozenset[Node]]]:
    """For each property ``p``: the properties ``q`` such that a triple ``(s, q, o)`` implies ``(s, p, o)``
    (forward), and those such that ``(o, q, s)`` implies it (backward), by sub-properties, inverses and symmetry."""
    properties = set(schema.superproperties) | set(schema.inverses) | set(schema.symmetric)
    for supers in schema.superproperties.values():
        properties |= supers
    forward: dict[Node, set[Node]] = {p: set() for p in properties}
    backward: dict[Node, set[Node]] = {p: set() for p in properties}
    for q in properties:
        for p, same_direction in _consequences(schema, q):
            (forward if same_direction else backward)[p].add(q)
    return {p: (frozenset(forward[p]), frozenset(backward[p])) for p in properties}


def _consequences(schema: Schema, start: Node) -> set[tuple[Node, bool]]:
    """Every ``(p, same direction?)`` a triple of ``start`` implies, itself included."""
    seen: set[tuple[Node, bool]] = set()
    todo = [(start, True)]
    while todo:
        state = todo.pop()
        if state in seen:
            continue
        seen.add(state)
        p, same = state
        todo.extend((s, same) for s in schema.superproperties.get(p, ()))
        todo.extend((i, not same) for i in schema.inverses.get(p, ()))
        if p in schema.symmetric:
            todo.append((p, not same))
    return seen
