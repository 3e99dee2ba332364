"""Look-ups behind ``kgraph show``, ``kgraph entities`` and ``kgraph stats``.

Everything here reads a :class:`~kgraph.store.LoadedGraph` and returns plain dataclasses of strings; the CLI
only formats them. Naming and finding resources live in :mod:`kgraph.names`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kgraph.names import (
    classes,
    defined_elsewhere,
    find,
    handle,
    label,
    local_name,
    primary_language,
    qname,
    resolve_class,
    texts,
)
from kgraph.store import LoadedGraph
from kgraph.vocab import KG, PREFIXES, SCHEMA
from kgraph.words import word

#: Predicates that ``show`` reports elsewhere than among the relations going out (classes, sources, figures).
_NOT_LINKS_OUT = frozenset({RDF.type, PROV.wasDerivedFrom, KG.hasFigure})
#: The same for relations coming in; a figure's kg:figureOf shows under "Figures".
_NOT_LINKS_IN = frozenset({RDF.type, PROV.wasDerivedFrom, KG.figureOf})
#: Literal-valued predicates that ``show`` reports as names and descriptions rather than attributes.
_NAMES = frozenset({RDFS.label, SKOS.altLabel, SCHEMA.description})


# ----------------------------------------------------------------------------------------------- describing


@dataclass(frozen=True, order=True)
class Link:
    """One relation of an entity with another resource."""

    inferred: bool  # asserted links sort first
    relation: str  # the relation's English label
    other: str  # the other resource's English label
    other_qname: str
    relation_qname: str


@dataclass(frozen=True)
class FigureFacts:
    """What a figure states, as text."""

    qname: str
    label: str
    value: str  # "4.4 x" (value and unit notation)
    unit: str  # the unit's label
    bound: str  # "more than", or ""
    metric: str  # "compute / 算力"
    compared_with: str  # labels of the entities compared with, or ""
    basis: str  # the comparison basis in words, or ""
    from_value: str  # "4-6 wk", or ""
    per_period: str  # "day", or ""
    timeframe: str
    kind: str


@dataclass(frozen=True, order=True)
class SectionRef:
    """A source section that states something about an entity."""

    order: int
    qname: str
    label: str
    title: str  # the source's own (Chinese) title
    time_range: str
    # The document the section is dcterms:isPartOf (prefixed name and label, or ""): what the section is part of,
    # not what it is, so left out of comparisons.
    document: str = field(default="", compare=False)
    document_label: str = field(default="", compare=False)

    def key(self) -> tuple[str, int, str]:
        """The order sections are listed in: document by document (two documents' sections do not interleave by
        their positions), in each by position; :func:`section_key` of the section in the graph."""
        return (self.document, self.order, self.qname)


@dataclass(frozen=True)
class Description:
    """Everything ``kgraph show`` prints about one resource."""

    qname: str
    iri: str
    label: str
    types: list[str]  # asserted classes, "Chip (kg:Chip)"
    inferred_types: list[str]  # prefixed names of the classes inferred
    labels: list[tuple[str, str]]  # (language, text)
    alt_labels: list[tuple[str, str]]
    descriptions: list[tuple[str, str]]
    attributes: list[tuple[str, str]]  # (property label, value) for other literal values
    links_out: list[Link]
    links_in: list[Link]
    figures: list[FigureFacts]
    sections: list[SectionRef]
    #: How many figures are about what it develops (kg:developedBy it), as the saved query figures-by-maker lists
    #: them (Adobe's are all about Firefly and its Experience Platform); 0 when each of them is about itself too,
    #: and so among ``figures`` already (Writer's about Palmyra X5).
    made_figures: int = 0
    #: A name that finds it again (:func:`kgraph.names.handle`): its label, or its prefixed name where the label
    #: names another resource too, which the command suggested for ``made_figures`` names it by; "" when there are
    #: none.
    handle: str = ""


def describe(loaded: LoadedGraph, node: URIRef | str, lang: str = "en") -> Description:
    """Gather what the graph says about ``node``, naming classes, relations and the resources it links to in
    ``lang`` (``en`` or ``zh``; a resource without a label in it by another). Inferred ``kg:relatedTo`` links are
    left out (every relation implies one). ``node`` is a ``URIRef``, or a name as :func:`kgraph.names.find` takes
    it (a label, a prefixed name, an IRI as text), which raises NotFoundError or AmbiguousNameError."""
    if not isinstance(node, URIRef):  # a str was taken for an IRI of nothing: a description with nothing in it
        node = find(loaded, node, lang=lang)
    graph = loaded.graph
    inferred = loaded.inferred
    types = sorted(graph.objects(node, RDF.type), key=lambda c: qname(graph, c))
    made = made_figure_count(graph, node)
    return Description(
        qname=qname(graph, node),
        iri=str(node),
        label=label(graph, node, lang),
        types=[f"{label(graph, c, lang)} ({qname(graph, c)})" for c in types if (node, RDF.type, c) not in inferred],
        inferred_types=[qname(graph, c) for c in types if (node, RDF.type, c) in inferred],
        labels=_tagged(graph, node, RDFS.label),
        alt_labels=_tagged(graph, node, SKOS.altLabel),
        descriptions=_tagged(graph, node, SCHEMA.description),
        attributes=_attributes(loaded, node, lang),
        links_out=sorted(_links(loaded, ((node, p, o) for p, o in graph.predicate_objects(node)), lang, out=True)),
        links_in=sorted(_links(loaded, ((s, p, node) for s, p in graph.subject_predicates(node)), lang, out=False)),
        figures=_figures(graph, node, lang),
        sections=_sections(loaded, node, lang),
        made_figures=made,
        handle=handle(loaded, node, lang) if made else "",  # only the line on those figures names it so
    )


def _figures(graph: Graph, node: URIRef, lang: str) -> list[FigureFacts]:
    """The figures about ``node``; for a figure itself, its own facts: its value with its unit (``1 h``, ``from:
    4-6 wk``), which its fields alone give apart (``value: 1``, and ``unit -> hour`` among its relations)."""
    if (node, RDF.type, KG.Figure) in graph:
        return [figure_facts(graph, node, lang)]
    return [figure_facts(graph, f, lang) for f in sorted(graph.subjects(KG.figureOf, node), key=str)]


def made_figure_count(graph: Graph, node: URIRef) -> int:
    """How many figures are about what ``node`` develops, those about ``node`` too among them, as figures-by-maker
    lists them (AWS's 32 count Graviton's share of new CPU capacity, about both); 0 when every one is about
    ``node`` too. ``kgraph show`` and the viewer's details panel say it."""
    made = set(graph.subjects(KG.developedBy, node))
    about = {f for product in made for f in graph.subjects(KG.figureOf, product)}
    return len(about) if about - set(graph.subjects(KG.figureOf, node)) else 0


def simple(value: Node) -> Node:
    """``"x"^^xsd:string`` as ``"x"``: one literal in RDF 1.1 and on a store, so that ``show`` and the viewer list
    it once (kgraph's rdflib reads it so already: :func:`kgraph._compat.literals_as_a_store_reads_them`; a literal
    made by a program without kgraph's mends may still have the datatype)."""
    if isinstance(value, Literal) and value.datatype == XSD.string and not value.language:
        return Literal(str(value))
    return value


def _tagged(graph: Graph, node: Node, predicate: URIRef) -> list[tuple[str, str]]:
    values = {v for v in map(simple, graph.objects(node, predicate)) if isinstance(v, Literal)}
    # Language tags are read in small letters in memory, as on a store (kgraph._compat.literals_as_a_store_reads_them).
    return sorted((((v.language or ""), str(v)) for v in values), key=lambda t: (_lang_rank(t[0]), t))


def _lang_rank(lang: str) -> int:
    return {"en": 0, "zh": 1}.get(primary_language(lang), 2)


def _attributes(loaded: LoadedGraph, node: Node, lang: str = "en") -> list[tuple[str, str]]:
    graph = loaded.graph
    found = []
    stated = {(p, simple(o)) for p, o in graph.predicate_objects(node) if (node, p, o) not in loaded.inferred}
    for p, o in stated:
        if isinstance(o, Literal) and p not in _NAMES:
            text = str(o) if not o.language else f"{o} ({o.language})"
            found.append((label(graph, p, lang), text))
    return sorted(found)


def _links(
    loaded: LoadedGraph, triples: Iterable[tuple[Node, Node, Node]], lang: str = "en", *, out: bool
) -> list[Link]:
    graph = loaded.graph
    links = []
    for s, p, o in triples:
        other = o if out else s
        if isinstance(other, Literal) or p in (_NOT_LINKS_OUT if out else _NOT_LINKS_IN):
            continue
        inferred = (s, p, o) in loaded.inferred
        if inferred and p == KG.relatedTo:
            continue
        relation, name = label(graph, p, lang), label(graph, other, lang)
        links.append(Link(inferred, relation, name, qname(graph, other), qname(graph, p)))
    return links


def least(values: Iterable[Node | None]) -> Node | None:
    """The least of ``values`` (None if there is none): a number by value, before any other term, which goes in
    N-Triples order. Where the data gives a figure two kinds or two values (which its shape forbids), the one shown
    is the same on every run and on a store; rdflib's ``Graph.value`` took the first its set order gave. Numbers go
    by value because a store rewrites their text (``-0.0`` as ``0``, after ``-0.5`` in N-Triples order, and before
    it as written), as :func:`section_position` takes a section's least ``kg:order``."""
    return min((v for v in values if v is not None), key=_least_key, default=None)


def _least_key(term: Node) -> tuple[int, Any, str, str]:
    """How :func:`least` orders ``term``: a number (not NaN) by value, then by datatype (``1`` an integer, ``1.0``
    a decimal), then as written; any other term after the numbers, in N-Triples order."""
    if isinstance(term, Literal):
        number = term.value
        if isinstance(number, int | Decimal | float) and not isinstance(number, bool) and not math.isnan(number):
            return (0, number, str(term.datatype), term.n3())
    return (1, 0, "", term.n3())


def figure_facts(graph: Graph, figure: Node, lang: str = "en") -> FigureFacts:
    """What ``figure`` states, as :func:`describe` gives it, in ``lang``."""

    def one(predicate: URIRef) -> Node | None:
        return least(graph.objects(figure, predicate))

    def name(node: Node | None) -> str:
        return label(graph, node, lang) if node is not None else ""

    def in_lang(predicate: URIRef) -> list[str]:  # the texts in lang, else the English ones
        return texts(graph, figure, predicate, lang) or texts(graph, figure, predicate, "en")

    unit = one(KG.unit)
    value = one(KG.value)
    from_value = one(KG.fromValue)
    from_max = one(KG.fromValueMax)
    from_text = ""
    if from_value is not None:
        from_text = _number(from_value) + (f"-{_number(from_max)}" if from_max is not None else "")
        from_text = _with_unit(from_text, unit_notation(graph, one(KG.fromUnit), lang))
    first, second = ("zh", "en") if lang == "zh" else ("en", "zh")
    metric = [*texts(graph, figure, KG.metric, first), *texts(graph, figure, KG.metric, second)]
    return FigureFacts(
        qname=qname(graph, figure),
        label=label(graph, figure, lang),
        value=_with_unit(_number(value) if value is not None else "?", unit_notation(graph, unit, lang)),
        unit=name(unit),
        bound=name(one(KG.bound)),
        metric=" / ".join(metric),
        compared_with=", ".join(sorted(label(graph, o, lang) for o in graph.objects(figure, KG.comparedWith))),
        basis=" / ".join(in_lang(KG.comparisonBasis)),
        from_value=from_text,
        per_period=name(one(KG.perPeriod)),
        timeframe=" / ".join(in_lang(KG.timeframe)),
        kind=name(one(KG.figureKind)),
    )


def with_period(value: str, period: str, lang: str = "en") -> str:
    """A figure's value with the period of a rate (``kg:perPeriod``, its label in ``lang``), as ``show`` and
    ``lineage`` print it: ``200,000,000 per second``; in Chinese ``200,000,000/秒``, as a rate is written there."""
    if not period:
        return value
    return f"{value}/{period}" if lang == "zh" else f"{value} per {period}"


#: A number's lexical form, its whole part of five digits or more (a year's four are left as they are).
_LONG_NUMBER = re.compile(r"([+-]?)([0-9]{5,})((?:\.[0-9]*)?)")


def _number(value: Node) -> str:
    """A figure's value as text: an integer or decimal of five digits or more with its thousands grouped
    (``500,000,000,000,000``, not ``500000000000000``), anything else as written (``4.4``, ``2025``, ``1.5E10``)."""
    text = str(value)
    if isinstance(value, Literal) and isinstance(value.value, int | Decimal) and not isinstance(value.value, bool):
        found = _LONG_NUMBER.fullmatch(text)
        if found is not None:
            sign, whole, fraction = found.groups()
            return f"{sign}{int(whole):,}{fraction}"
    return text


#: How a Chinese text writes the units whose notation is an English abbreviation (``18 mo`` is ``18个月``, ``4.4 x``
#: ``4.4倍``): vocabulary, not a fact of any source, used where the data gives a unit no ``skos:notation`` tagged
#: ``zh``. Units written alike in both (``%``, ``TB``) are not here.
ZH_NOTATIONS = {
    KG.Times: "倍",
    KG.USD: "美元",
    KG.Nanometre: "纳米",
    KG.Second: "秒",
    KG.Hour: "小时",
    KG.Day: "天",
    KG.Week: "周",
    KG.Month: "个月",
    KG.Year: "年",
}


def unit_notation(graph: Graph, unit: Node | None, lang: str = "en") -> str:
    """The unit's notation in ``lang`` (``x``, ``TB``; in Chinese ``倍``, ``TB``), else its notation, else its label;
    none for a count, whose metric says what it counts (``more than 500,000,000,000,000`` objects stored, not
    ``... #``). A notation tagged ``lang`` comes first, then, in Chinese, :data:`ZH_NOTATIONS`."""
    if unit is None or unit == KG.Count:
        return ""
    own = texts(graph, unit, SKOS.notation, lang)
    if own:
        return own[0]
    if lang == "zh" and unit in ZH_NOTATIONS:
        return ZH_NOTATIONS[unit]  # type: ignore[index]
    notations = texts(graph, unit, SKOS.notation, "") or texts(graph, unit, SKOS.notation)  # untagged first
    return notations[0] if notations else label(graph, unit, lang)


def _with_unit(number: str, notation: str) -> str:
    """A number and its unit's notation: a space between (``3 nm``), none before a Chinese one (``3纳米``)."""
    if not notation:
        return number
    return f"{number}{notation}" if unicodedata.east_asian_width(notation[0]) in "WF" else f"{number} {notation}"


def _sections(loaded: LoadedGraph, node: Node, lang: str = "en") -> list[SectionRef]:
    return [_section(loaded.graph, s, lang) for s in sections_of(loaded, node)]


def sections_of(loaded: LoadedGraph, node: Node) -> list[Node]:
    """The source sections ``node`` is derived from (``prov:wasDerivedFrom``) or stated in (the named graph of a
    triple of it), in the order sections are listed in (:func:`section_key`): ``kgraph show``'s and the viewer's
    sources."""
    graph = loaded.graph
    found: set[Node] = set(graph.objects(node, PROV.wasDerivedFrom))
    found |= {g for _s, _p, _o, g in loaded.dataset.quads((node, None, None, None)) if g is not None}
    sections = [s for s in found if (s, RDF.type, KG.SourceSection) in graph]
    return sorted(sections, key=lambda section: section_key(graph, section))


def _section(graph: Graph, section: Node, lang: str = "en") -> SectionRef:
    document = section_document(graph, section)
    document_name, order, name = section_key(graph, section)
    return SectionRef(
        document=document_name,
        order=order,
        qname=name,
        label=label(graph, section, lang),
        title=label(graph, section, "zh"),
        time_range=section_time_range(graph, section),
        document_label=label(graph, document, lang) if document is not None else "",
    )


def section_key(graph: Graph, section: Node) -> tuple[str, int, str]:
    """The place of ``section`` in the order sections are listed in (:meth:`SectionRef.key`, ``kgraph show`` and
    ``stats``, the viewer's sources): the prefixed name of its :func:`section_document` (or ""), its
    :func:`section_position` in it, and its own prefixed name."""
    document = section_document(graph, section)
    return (
        qname(graph, document) if document is not None else "",
        section_position(graph, section),
        qname(graph, section),
    )


def section_document(graph: Graph, section: Node) -> Node | None:
    """The document ``section`` is ``dcterms:isPartOf`` (None if none): of several, which its shape forbids, the
    least in N-Triples order, the same on every run and on a store (``Graph.value`` took the first its store
    gave: on a store by Oxigraph's index, in memory one or another from run to run)."""
    return least(graph.objects(section, DCTERMS.isPartOf))


def section_time_range(graph: Graph, section: Node) -> str:
    """The ``kg:timeRange`` of ``section`` as written, or "": of several, which its shape forbids, the least in
    N-Triples order, as :func:`section_document`."""
    return str(least(graph.objects(section, KG.timeRange)) or "")


def section_position(graph: Graph, section: Node) -> int:
    """The position of ``section`` in its document, its ``kg:order``: the least of its values that is a whole
    number (``3``, ``"+3"^^xsd:integer``, ``"03"``), 0 if none is. By value, as a store keeps it (``+3`` as ``3``),
    so that memory and a store give the same position."""
    positions = [n for n in map(_whole_number, graph.objects(section, KG.order)) if n is not None]
    return min(positions, default=0)


def _whole_number(value: Node) -> int | None:
    """The whole number (0 or more) that ``value`` is, by value for a number (``"+3"^^xsd:integer``, ``3.0``), by
    its digits for another literal (``"3"``); None for anything else."""
    if not isinstance(value, Literal):
        return None
    number = value.value
    if isinstance(number, int | Decimal | float) and not isinstance(number, bool):
        return int(number) if math.isfinite(number) and number >= 0 and number == int(number) else None
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() else None


# ----------------------------------------------------------------------------------------------- listing


@dataclass(frozen=True, order=True)
class EntityRow:
    """One row of ``kgraph entities``."""

    name: str  # IRI local name (prefixed name outside kgr:)
    classes: str  # asserted classes
    label_en: str
    label_zh: str
    iri: str  # whole, for --format csv|json to join with rank, neighbors and communities, which give it too


def entities(
    loaded: LoadedGraph, cls: URIRef | str | Sequence[URIRef | str] | None = None, lang: str | None = None
) -> list[EntityRow]:
    """Instances of ``cls`` (a class or several; default ``kg:Entity``), sub-classes included, sorted by name.

    A class is a ``URIRef``, or a name as :func:`kgraph.names.resolve_class` takes it (``Chip``, ``kg:Chip``, a
    label), which raises InputError for one that names no class. ``lang`` ("en" or "zh") picks the language of
    the class labels; by default classes show as local names.
    """
    graph = loaded.graph
    given = [cls] if isinstance(cls, str) else list(cls or ())  # a str, "Chip", was taken for its letters
    wanted = [c if isinstance(c, URIRef) else resolve_class(loaded, c) for c in given] or [KG.Entity]
    counter = _NativeCounts.of(loaded)
    if counter is not None:  # on a store: three SPARQL queries, not a look-up per entity (96k entities: 20 s)
        return counter.entities(wanted, lang)
    members = {s for c in wanted for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)}
    rows = []
    for member in members:
        types = graph.objects(member, RDF.type)
        asserted = sorted((c for c in types if (member, RDF.type, c) not in loaded.inferred), key=str)
        class_names = [_class_name(graph, c, lang) for c in asserted]
        labels = {tag: texts(graph, member, RDFS.label, tag) for tag in ("en", "zh")}
        rows.append(_entity_row(graph, member, class_names, labels))
    return sorted(rows)


def _class_name(graph: Graph, cls: Node, lang: str | None) -> str:
    """A class as ``entities`` names it: its label in ``lang``, or with no ``lang`` its local name."""
    return label(graph, cls, lang) if lang else local_name(cls)


def _entity_row(graph: Graph, member: URIRef, class_names: Sequence[str], labels: dict[str, list[str]]) -> EntityRow:
    """One row of ``entities`` (in memory and on a store alike): ``labels`` by primary language."""
    name = local_name(member) if str(member).startswith(str(PREFIXES["kgr"])) else qname(graph, member)
    return EntityRow(
        name=name,
        classes=", ".join(class_names),
        label_en=", ".join(sorted(labels.get("en", []))),
        label_zh=", ".join(sorted(labels.get("zh", []))),
        iri=str(member),
    )


# ----------------------------------------------------------------------------------------------- counting


@dataclass(frozen=True)
class ClassCount:
    name: str  # prefixed name
    label: str
    direct: int  # resources whose asserted class it is
    total: int  # with sub-classes (asserted or inferred rdf:type)


@dataclass(frozen=True)
class RelationCount:
    name: str
    label: str
    asserted: int
    inferred: int


@dataclass(frozen=True)
class SectionCount:
    section: SectionRef
    triples: int  # in the section's named graph


@dataclass(frozen=True)
class Stats:
    """Counts for ``kgraph stats``."""

    files: int
    triples: int  # flat graph: ontology + data + inferences
    ontology_triples: int
    data_triples: int  # distinct asserted data triples
    inferred_triples: int
    classes: list[ClassCount]
    relations: list[RelationCount]
    figures: int
    figures_by_kind: list[tuple[str, int]]
    sections: list[SectionCount]


def stats(loaded: LoadedGraph, lang: str = "en") -> Stats:
    """Count classes, relations, figures and what each source section holds; classes, relations, figure kinds and
    sections by their labels in ``lang`` (``en`` or ``zh``).

    On a store (``--store``) the counts come from Oxigraph (SPARQL counts, the counts kept at load time) rather
    than from walking every triple through rdflib's API; the answers are the same.
    """
    graph = loaded.graph
    inferred = loaded.inferred
    counter = _NativeCounts.of(loaded)
    if counter is None:
        figure_kinds = [least(graph.objects(f, KG.figureKind)) for f in set(graph.subjects(RDF.type, KG.Figure))]
        class_counts, relation_counts = _class_counts(loaded, lang), _relation_counts(loaded, lang)
    else:
        figure_kinds = counter.figure_kinds()
        class_counts, relation_counts = counter.class_counts(lang), counter.relation_counts(lang)
    # Every triple is in the flat graph; the inferred graph holds no stated triple, so none of the ontology's.
    data_triples = len(graph) - len(inferred) - len(loaded.ontology)
    kinds = Counter(label(graph, k, lang) if k else word("(no kind)", lang) for k in figure_kinds)
    return Stats(
        files=len(loaded.files),
        triples=len(graph),
        ontology_triples=len(loaded.ontology),
        data_triples=data_triples,
        inferred_triples=len(inferred),
        classes=class_counts,
        relations=relation_counts,
        figures=len(figure_kinds),
        figures_by_kind=sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
        sections=sorted(
            (
                SectionCount(_section(graph, s, lang), len(loaded.dataset.graph(s)))
                for s in graph.subjects(RDF.type, KG.SourceSection)
                if isinstance(s, URIRef)
            ),
            key=lambda c: c.section.key(),
        ),
    )


#: ``entities`` on a store reads every asserted type and label of the store and keeps its instances' when they are
#: at least one per this many triples (:meth:`_NativeCounts.entities`); for fewer, it asks for theirs.
SCAN_RATIO = 50


class _NativeCounts:
    """The counts of :func:`stats` from the Oxigraph database behind a store, each by one SPARQL count."""

    def __init__(self, loaded: LoadedGraph, native: Any) -> None:  # noqa: ANN401 - a pyoxigraph Store
        from kgraph import oxstore  # noqa: PLC0415 - pyoxigraph, for stores only

        self.loaded = loaded
        self.native = native
        self.sparql = oxstore.sparql
        self.inferred = oxstore.INFERRED

    @classmethod
    def of(cls, loaded: LoadedGraph) -> _NativeCounts | None:
        if loaded.store_dir is None:
            return None
        from kgraph.oxstore import native_of  # noqa: PLC0415 - pyoxigraph, for stores only

        native = native_of(loaded)
        return None if native is None else cls(loaded, native)

    def _per_key(self, text: str, inferred: bool) -> dict[Node, int]:
        answer = self.sparql(self.native, text, graph=self.inferred if inferred else None)
        key, n = Variable("key"), Variable("n")
        return {row[key]: int(row[n]) for row in answer.bindings if key in row}

    def figure_kinds(self) -> list[Node | None]:
        """Each figure's kind (None: none), the least (:func:`least`) when a figure has several."""
        answer = self.sparql(self.native, "SELECT ?f ?k WHERE { ?f a kg:Figure OPTIONAL { ?f kg:figureKind ?k } }")
        figure, kind = Variable("f"), Variable("k")
        kinds: dict[Node, Node | None] = {}
        for row in answer.bindings:
            kinds[row[figure]] = least([kinds.get(row[figure]), row.get(kind)])
        return list(kinds.values())

    def entities(self, wanted: Sequence[URIRef], lang: str | None) -> list[EntityRow]:
        """:func:`entities` from the store: the instances of ``wanted``, their asserted classes (every class but
        those in the inferred graph) and their labels, read as SPARQL TSV text (:func:`kgraph.oxstore.tsv_select`:
        no Python term per row). The instances come first; then, for a few, queries joined with them, which cost
        by the instance; for many (one per :data:`SCAN_RATIO` triples of the store or more), every asserted type
        and every label of the store, of which theirs are kept, which costs by the store. At 1M triples, 96,154
        entities: the joins 0.9M rows in 7 s, the scans 0.4M rows in 2 s; the two about even at 20,000-30,000."""
        from kgraph.oxstore import FLAT, tsv_literal, tsv_select, tsv_value  # noqa: PLC0415

        values = " ".join(f"<{c}>" for c in wanted)
        instances = f"SELECT DISTINCT ?s WHERE {{ VALUES ?class {{ {values} }} ?s a ?class FILTER isIRI(?s) }}"
        rdf_type, rdfs_label, inferred_graph = f"<{RDF.type}>", f"<{RDFS.label}>", f"<{self.inferred.value}>"

        def rows(text: str) -> Iterator[list[str]]:
            return tsv_select(self.native, text, default_graph=FLAT)

        members = {s for (s,) in rows(instances)}  # as TSV writes them: <IRI>
        types: dict[str, list[str]] = {}
        if len(members) * SCAN_RATIO >= len(self.loaded.graph):
            asserted = f"SELECT ?s ?c WHERE {{ GRAPH ?g {{ ?s {rdf_type} ?c }} FILTER (?g != {inferred_graph}) }}"
            for s, c in rows(asserted):
                if s in members:
                    classes_of, cls = types.setdefault(s[1:-1], []), tsv_value(c)
                    if cls not in classes_of:  # stated in two sections
                        classes_of.append(cls)
            for s in members:  # one whose every class is inferred has a row too
                types.setdefault(s[1:-1], [])
            labels = f"SELECT ?s ?o WHERE {{ ?s {rdfs_label} ?o FILTER isLiteral(?o) }}"
            labelled = ((s, o) for s, o in rows(labels) if s in members)
        else:
            del members
            joined = f"{{ {instances} }}"
            held = f"SELECT ?s ?c WHERE {{ {joined} GRAPH {inferred_graph} {{ ?s {rdf_type} ?c }} }}"
            inferred = {(s, c) for s, c in rows(held)}
            for s, c in rows(f"SELECT ?s ?c WHERE {{ {joined} ?s {rdf_type} ?c }}"):
                classes_of = types.setdefault(s[1:-1], [])
                if (s, c) not in inferred:
                    classes_of.append(tsv_value(c))
            del inferred
            labels = f"SELECT ?s ?o WHERE {{ {joined} ?s {rdfs_label} ?o FILTER isLiteral(?o) }}"
            labelled = ((s, o) for s, o in rows(labels))
        named: dict[str, dict[str, list[str]]] = {}
        for s, o in labelled:
            value, language, _datatype = tsv_literal(o)
            named.setdefault(s[1:-1], {}).setdefault(primary_language(language), []).append(value)
        graph = self.loaded.graph
        class_names: dict[str, str] = {}  # a few classes, named once each
        for classes_of in types.values():
            for cls in classes_of:
                if cls not in class_names:
                    class_names[cls] = _class_name(graph, URIRef(cls), lang)
        found = [
            _entity_row(graph, URIRef(member), [class_names[c] for c in sorted(classes_of)], named.get(member, {}))
            for member, classes_of in types.items()
        ]
        return sorted(found)

    def class_counts(self, lang: str = "en") -> list[ClassCount]:
        text = "SELECT ?key (COUNT(*) AS ?n) WHERE { ?s a ?key } GROUP BY ?key"
        total, inferred = self._per_key(text, inferred=False), self._per_key(text, inferred=True)
        graph = self.loaded.graph
        counts = [
            ClassCount(qname(graph, c), label(graph, c, lang), total[c] - inferred.get(c, 0), total[c])
            for c in classes(self.loaded)
            if total.get(c)
        ]
        return sorted(counts, key=lambda c: (-c.total, c.name))

    def relation_counts(self, lang: str = "en") -> list[RelationCount]:
        text = "SELECT ?key (COUNT(*) AS ?n) WHERE { ?s ?key ?o } GROUP BY ?key"
        total, inferred = self._per_key(text, inferred=False), self._per_key(text, inferred=True)
        graph = self.loaded.graph
        counts = [
            RelationCount(qname(graph, p), label(graph, p, lang), total[p] - inferred.get(p, 0), inferred.get(p, 0))
            for p in _relations(self.loaded.ontology)
            if total.get(p)
        ]
        return sorted(counts, key=lambda c: (-(c.asserted + c.inferred), c.name))


def _class_counts(loaded: LoadedGraph, lang: str = "en") -> list[ClassCount]:
    graph = loaded.graph
    counts = []
    for cls in classes(loaded):
        instances = set(graph.subjects(RDF.type, cls))
        direct = sum(1 for s in instances if (s, RDF.type, cls) not in loaded.inferred)
        if instances:
            counts.append(ClassCount(qname(graph, cls), label(graph, cls, lang), direct, len(instances)))
    return sorted(counts, key=lambda c: (-c.total, c.name))


def _relations(ontology: Graph) -> list[URIRef]:
    """The object properties of ``ontology``'s own, by IRI: not those it declares for another vocabulary."""
    declared = ontology.subjects(RDF.type, OWL.ObjectProperty)
    return sorted((p for p in declared if isinstance(p, URIRef) and not defined_elsewhere(ontology, p)), key=str)


def _relation_counts(loaded: LoadedGraph, lang: str = "en") -> list[RelationCount]:
    graph = loaded.graph
    counts = []
    for prop in _relations(loaded.ontology):
        total = sum(1 for _ in graph.triples((None, prop, None)))
        inferred = sum(1 for _ in loaded.inferred.triples((None, prop, None)))
        if total:
            counts.append(RelationCount(qname(graph, prop), label(graph, prop, lang), total - inferred, inferred))
    return sorted(counts, key=lambda c: (-(c.asserted + c.inferred), c.name))
