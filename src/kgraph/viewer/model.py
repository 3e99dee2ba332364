"""What a viewer page shows: which entities and relations (a :class:`View`), and what the page knows about
each of them (labels in both languages, class, relations, figures, provenance), as plain JSON-ready data.

The drawing itself (shapes, colours, positions, vis-network options) is :mod:`kgraph.viewer.page`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from kgraph.analysis import project
from kgraph.errors import InputError
from kgraph.explore import (
    FigureFacts,
    describe,
    figure_facts,
    least,
    made_figure_count,
    section_document,
    section_position,
    section_time_range,
    sections_of,
    simple,
    unit_notation,
    with_period,
)
from kgraph.names import label, pick_text, primary_language, qname, texts
from kgraph.store import LoadedGraph
from kgraph.vocab import KG, SCHEMA

#: Literal-valued predicates the panel shows elsewhere (names, descriptions) or not at all.
_NOT_FACTS = frozenset({RDFS.label, SKOS.altLabel, SCHEMA.description})
#: IRI-valued predicates the panel shows elsewhere (class, sources, figures) or not at all.
_NOT_LINKS = frozenset({RDF.type, PROV.wasDerivedFrom, KG.hasFigure, KG.relatedTo})

Json = dict[str, Any]


@dataclass(frozen=True)
class Part:
    """What a page of part of the graph says it leaves out: how many entities and relations the whole graph has,
    and what chose the part (the classes kept, ``[en, zh]`` each; the entity it is around and how many steps)."""

    entities: int
    relations: int
    types: tuple[tuple[str, str], ...] = ()
    focus: tuple[str, str] | None = None
    depth: int = 0

    def json(self) -> Json:
        return {
            "entities": self.entities,
            "relations": self.relations,
            "types": [list(pair) for pair in self.types],
            "focus": list(self.focus) if self.focus is not None else None,
            "depth": self.depth,
        }


@dataclass(frozen=True)
class View:
    """One page of the viewer: a sub-graph of the projection, its title, the entity to select at start, and
    what it leaves out of the whole graph (None for the whole graph)."""

    graph: nx.MultiDiGraph
    title_en: str
    title_zh: str
    focus: str | None = None  # the IRI of an entity in ``graph``
    part: Part | None = None


def select(
    loaded: LoadedGraph,
    *,
    classes: Sequence[URIRef] = (),
    focus: URIRef | None = None,
    depth: int = 1,
    whole: nx.MultiDiGraph | None = None,
    size: tuple[int, int] | None = None,
) -> View:
    """The whole graph, or only the instances of ``classes``, or the neighbourhood (``depth`` links, either
    direction) of ``focus`` within them. Raises InputError when the focus is not among the classes kept.

    ``whole``: the projection of the whole graph, if already made (it is not changed). ``size``: how many
    entities and relations the whole graph has, for the :class:`Part` of a view of part of it."""
    classes = list(dict.fromkeys(classes))  # a class named twice (Company, company) is drawn and titled once
    for cls in classes:
        if KG.Entity not in set(loaded.graph.transitive_objects(cls, RDFS.subClassOf)):
            raise InputError(f"{qname(loaded.graph, cls)} is not a kind of kg:Entity, so the viewer does not draw it")
    graph = project(loaded, keep_classes=list(classes)) if classes else whole if whole is not None else project(loaded)
    kinds = ", ".join(label(loaded.graph, c) for c in classes)
    types = tuple((label(loaded.graph, c, "en"), label(loaded.graph, c, "zh")) for c in classes)
    if focus is None:
        title = f"{kinds} in the graph" if kinds else "The whole graph"
        title_zh = f"图中的{'、'.join(label(loaded.graph, c, 'zh') for c in classes)}" if kinds else "整个图谱"
        part = Part(*size, types=types) if size is not None and classes else None
        return View(graph, title, title_zh, part=part)
    if str(focus) not in graph:
        if kinds:
            raise InputError.advising(
                f"{qname(loaded.graph, focus)} is not a {kinds}",
                python="leave out classes, or pick another focus",
                cli="drop --type or pick another",
            )
        raise InputError(
            f"{qname(loaded.graph, focus)} is not an entity (a kg:Entity), so it is not drawn; pick another"
        )
    if depth < 0:
        raise InputError.in_both(f"depth must be 0 or more, not {depth}", f"--depth must be 0 or more, not {depth}")
    keep = nx.ego_graph(graph.to_undirected(as_view=True), str(focus), radius=depth)
    name_en, name_zh = label(loaded.graph, focus, "en"), label(loaded.graph, focus, "zh")
    # the steps around it, as the counts under the title say them; the classes kept, as a view of them says them
    if depth == 0:
        title_en, title_zh = f"{name_en} alone", f"仅{name_zh}"
    else:
        title_en = f"{name_en} and its neighbours ({depth} {'step' if depth == 1 else 'steps'})"
        title_zh = f"{name_zh}及其{depth}跳以内的邻居"
    if kinds:
        kinds_zh = "、".join(label(loaded.graph, c, "zh") for c in classes)
        title_en, title_zh = f"{title_en}, {kinds} only", f"{title_zh}（仅{kinds_zh}）"  # noqa: RUF001
    part = Part(*size, types=types, focus=(name_en, name_zh), depth=depth) if size is not None else None
    return View(subgraph(graph, keep), title_en, title_zh, str(focus), part)


def subgraph(graph: nx.MultiDiGraph, keep: Iterable[str]) -> nx.MultiDiGraph:
    """The nodes ``keep`` and every relation between them, in the projection's (sorted) order."""
    wanted = set(keep)
    result = nx.MultiDiGraph()
    result.add_nodes_from((n, d) for n, d in graph.nodes(data=True) if n in wanted)
    result.add_edges_from(
        (u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True) if u in wanted and v in wanted
    )
    return result


# ----------------------------------------------------------------------------------------------- page data


def both(loaded: LoadedGraph, node: URIRef) -> list[str]:
    """``[English label, Chinese label]`` of ``node`` (each falls back as :func:`kgraph.names.label` does)."""
    return [label(loaded.graph, node, "en"), label(loaded.graph, node, "zh")]


def both_texts(loaded: LoadedGraph, node: URIRef, predicate: URIRef) -> list[str]:
    """``[English text, Chinese text]`` of a literal-valued ``predicate``; "" where there is none."""
    return [", ".join(texts(loaded.graph, node, predicate, lang)) for lang in ("en", "zh")]


def entity_details(
    loaded: LoadedGraph,
    full: nx.MultiDiGraph,
    node: str,
    drawn: Container[str],
    entities: Container[str] | None = None,
) -> Json:
    """What the details panel shows about ``node`` beyond its edges: names, description, facts, figures, sources,
    and the relations (from ``full``, the projection of the whole graph) whose other end is not ``drawn``.
    ``entities``: which IRIs are entities, when ``full`` holds only the part around the drawn ones (default:
    ``full``'s nodes).

    The page lists the relations between drawn entities from its edges, so each is stored once. Figures are
    those :func:`kgraph.explore.describe` reports; sources are the sections the entity is derived from or
    stated in.
    """
    iri = URIRef(node)
    graph = loaded.graph
    attrs = full.nodes[node]
    has_figures = (None, KG.figureOf, iri) in graph
    outside = [
        ["out", k, v, section_names(loaded, d["sections"])]
        for _u, v, k, d in full.out_edges(node, keys=True, data=True)
        if v not in drawn
    ]
    outside += [
        ["in", k, u, section_names(loaded, d["sections"])]
        for u, _v, k, d in full.in_edges(node, keys=True, data=True)
        if u not in drawn
    ]
    return {
        "qname": attrs["qname"],
        "alt": sorted(
            [v.language or "", str(v)]
            for v in {simple(v) for v in graph.objects(iri, SKOS.altLabel)}  # "x"^^xsd:string is "x"
            if isinstance(v, Literal)
        ),
        "desc": [attrs["description_en"], attrs["description_zh"]],
        "facts": facts(loaded, iri, full if entities is None else entities),
        "outside": outside,
        "figures": [figure(loaded, f) for f in describe(loaded, iri).figures] if has_figures else [],
        "made": made_figure_count(graph, iri),  # figures about what it develops, as kgraph show counts them
        "sources": sources(loaded, iri),
    }


def section_names(loaded: LoadedGraph, iris: str) -> list[str]:
    """The prefixed names (``src:opening``) of space-separated section IRIs, as :func:`sections` keys them."""
    return [qname(loaded.graph, URIRef(iri)) for iri in iris.split()]


def sources(loaded: LoadedGraph, node: URIRef) -> list[str]:
    """The source sections (prefixed names) ``node`` is derived from or stated in, in the source's order: those of
    ``kgraph show`` (:func:`kgraph.explore.sections_of`) that have an IRI, which the page links to."""
    return [qname(loaded.graph, s) for s in sections_of(loaded, node) if isinstance(s, URIRef)]


def iri_of(loaded: LoadedGraph, name: str) -> str:
    """The IRI of a prefixed name (``src:overview``) or of ``<IRI>``, as :func:`kgraph.names.qname` writes them."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    return str(loaded.graph.namespace_manager.expand_curie(name))


def _is_relation(graph: Graph, predicate: Node) -> bool:
    """Whether ``predicate`` is ``kg:relatedTo`` or one of its sub-properties: a link the page draws as an edge."""
    return KG.relatedTo in set(graph.transitive_objects(predicate, RDFS.subPropertyOf))


def facts(loaded: LoadedGraph, node: URIRef, entities: Container[str]) -> list[list[str]]:
    """Stated values that are neither names nor relations between entities: ``[property en, property zh,
    value, language]``; an IRI value (such as a launch status) is given as its label in each language."""
    graph = loaded.graph
    rows: list[list[str]] = []
    stated = (
        (p, simple(o))
        for p, o in graph.predicate_objects(node)
        if p not in _NOT_FACTS and p not in _NOT_LINKS and loaded.is_asserted((node, p, o))
    )
    for predicate, value in dict.fromkeys(stated):  # "x" and "x"^^xsd:string once, as a store has them
        # Only an IRI can be a relation to an entity (the page shows those as edges); a literal is a fact even when
        # its text spells an entity's IRI, and is never looked up as one. A link to an entity by a property that is
        # no relation (rdfs:seeAlso) is not drawn: it is a fact, or the panel would not show it at all.
        if isinstance(value, URIRef) and str(value) in entities and _is_relation(graph, predicate):
            continue
        names = both(loaded, URIRef(str(predicate)))
        if isinstance(value, Literal):
            rows.append([*names, str(value), primary_language(value.language)])
        elif isinstance(value, URIRef):
            rows.append([*names, label(graph, value, "en"), "en"])
            rows.append([*names, label(graph, value, "zh"), "zh"])
    return sorted(rows)


def figure(loaded: LoadedGraph, stated: FigureFacts) -> Json:
    """A figure about an entity, in both languages where the data has both."""
    graph = loaded.graph
    iri = URIRef(iri_of(loaded, stated.qname))

    def named(predicate: URIRef) -> list[str]:
        value = least(graph.objects(iri, predicate))  # as show takes it (figure_facts), of two the least
        return both(loaded, value) if isinstance(value, URIRef) else ["", ""]

    compared = sorted(o for o in graph.objects(iri, KG.comparedWith) if isinstance(o, URIRef))
    chinese = figure_facts(graph, iri, "zh")  # the units as a Chinese text writes them: 4.4倍, 18个月
    unit = least(graph.objects(iri, KG.unit))
    return {
        "qname": stated.qname,
        "label": both(loaded, iri),
        # what kgraph show says of it, bound and a rate's period included: "more than 200,000,000 per second",
        # "超过 200,000,000/秒" (the panel said the period on a row of its own, under "(count)")
        "stated": [
            with_period(f"{facts.bound} {facts.value}".strip(), facts.per_period, lang)
            for facts, lang in ((stated, "en"), (chinese, "zh"))
        ],
        "value": [stated.value, chinese.value],
        "unit": named(KG.unit),
        # the unit's symbol as the value writes it after the number (76 d, 3 nm, 4.4倍): the page says the unit's
        # name only where the value does not end with its symbol already
        "symbol": [unit_notation(graph, unit, "en"), unit_notation(graph, unit, "zh")],
        "metric": both_texts(loaded, iri, KG.metric),
        "compared": [[str(o), *both(loaded, o)] for o in compared],
        "basis": both_texts(loaded, iri, KG.comparisonBasis),
        "before": [stated.from_value, chinese.from_value],
        "timeframe": both_texts(loaded, iri, KG.timeframe),
        "kind": named(KG.figureKind),
        "sources": sorted(qname(graph, s) for s in graph.objects(iri, PROV.wasDerivedFrom)),
    }


def sections(loaded: LoadedGraph) -> tuple[dict[str, Json], list[Json]]:
    """Every source section, ``{prefixed name: {order, label: [en, zh], range}}``, and the documents they are part
    of, when there are several (a source of one's own beside the keynote): ``[{iri, label: [en, zh], mark}]`` in the
    order ``kgraph stats`` lists them, each section's ``document`` then its index in that list (none for a section
    that is part of no document). With one document the list is empty and the sections say none: the page is as
    it was, its tags ``§3``."""
    graph = loaded.graph
    found: dict[str, Json] = {}
    parts: dict[str, URIRef] = {}
    for section in sorted(s for s in graph.subjects(RDF.type, KG.SourceSection) if isinstance(s, URIRef)):
        name = qname(graph, section)
        found[name] = {
            "order": section_position(graph, section),
            "label": both(loaded, section),
            "range": section_time_range(graph, section),
        }
        document = section_document(graph, section)
        if isinstance(document, URIRef):
            parts[name] = document
    documents = sorted({qname(graph, d): d for d in parts.values()}.items())
    if len(documents) + (len(parts) < len(found)) < 2:  # sections of no document count as one more, as in stats
        return found, []
    index = {iri: i for i, (_name, iri) in enumerate(documents)}
    for name, document in parts.items():
        found[name]["document"] = index[document]
    labels = [both(loaded, iri) for _name, iri in documents]
    marks = document_marks([english for english, _chinese in labels])
    return found, [
        {"iri": name, "label": label_pair, "mark": mark}
        for (name, _iri), label_pair, mark in zip(documents, labels, marks, strict=True)
    ]


def source_documents(loaded: LoadedGraph) -> list[tuple[str, str]]:
    """The English and Chinese names of every ``kg:SourceDocument`` of the graph, in the order ``kgraph stats``
    lists documents (by prefixed name), as :func:`document_name` gives them."""
    graph = loaded.graph
    found = {qname(graph, d): d for d in graph.subjects(RDF.type, KG.SourceDocument) if isinstance(d, URIRef)}
    return [(document_name(graph, d, "en"), document_name(graph, d, "zh")) for _name, d in sorted(found.items())]


def document_name(graph: Graph, document: URIRef, lang: str) -> str:
    """A document's name in ``lang``: its label in ``lang``, else its ``dcterms:title`` in ``lang`` (the shapes ask a
    document for a title, not a label), else either in any language, else its prefixed name. Blank texts do not
    count: the heading would name nothing."""
    written = [
        [(str(v), v.language) for v in graph.objects(document, predicate) if isinstance(v, Literal) and v.strip()]
        for predicate in (RDFS.label, DCTERMS.title)
    ]
    for texts_of in written:
        in_lang = [text for text, tag in texts_of if primary_language(tag) == lang]
        if in_lang:
            return min(in_lang)
    for texts_of in written:
        found = pick_text(texts_of, lang)
        if found is not None:
            return found
    return qname(graph, document)


#: How long a document's mark on a section tag may be, in characters, before it is cut short with "…".
MARK_LENGTH = 14


def document_marks(labels: Sequence[str]) -> list[str]:
    """A short mark for each document of ``labels`` (their English labels), for the section tags of a page with
    several documents (``AWS §3``, ``Acme §1``): the first word of its label, or its first two words where another
    label starts with the same word, cut at :data:`MARK_LENGTH` characters; documents whose marks are still the
    same are numbered in their order (``Product 1``, ``Product 2``). Marks are never empty and never the same."""

    def start(words: list[str], count: int) -> str:
        text = " ".join(words[:count]) or "?"
        return text if len(text) <= MARK_LENGTH else text[: MARK_LENGTH - 1].rstrip() + "…"

    words = [[w.strip(".,;:!?()[]{}\"'") for w in text.split()] for text in labels]
    words = [[w for w in ws if w] for ws in words]
    marks = []
    for i, own in enumerate(words):
        others = [w for j, w in enumerate(words) if j != i]
        count = 1 if all(start(w, 1) != start(own, 1) for w in others) else 2
        marks.append(start(own, count))
    seen = Counter(marks)
    numbered: Counter[str] = Counter()
    result = []
    for mark in marks:
        numbered[mark] += 1
        result.append(f"{mark} {numbered[mark]}" if seen[mark] > 1 else mark)
    if len(set(result)) < len(result):  # a number made one the same as another's own ("Product 2"): by position
        return [f"#{i}" for i in range(1, len(result) + 1)]
    return result
