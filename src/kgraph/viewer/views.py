"""The pages ``kgraph build`` writes: the whole graph, a few focused views a user wants first, and an index.

Each focused view picks its entities from the projection of the whole graph and draws every stated relation
between them. A view that picks nothing (in a graph of other data) is left out, and so is its index entry.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from kgraph.export import ontology
from kgraph.names import qname
from kgraph.store import LoadedGraph
from kgraph.viewer.model import Part, View, select, source_documents, subgraph
from kgraph.viewer.page import Context, environment, render_page
from kgraph.vocab import KG

#: The file of the whole-graph viewer, in ``exports/`` (``kgraph viz`` writes it there too).
MAIN_FILE = "graph.html"
INDEX_FILE = "index.html"

Picker = Callable[[Context], set[str]]


@dataclass(frozen=True)
class FocusedView:
    """A view ``kgraph build`` writes next to the whole graph."""

    file: str
    title_en: str
    title_zh: str
    about_en: str
    about_zh: str
    pick: Picker


def _family(context: Context, relation: URIRef) -> set[str]:
    """The prefixed names of ``relation`` and of its sub-properties (``kg:uses`` -> uses, trainedOn, ...)."""
    graph = context.loaded.graph
    found = set(graph.transitive_subjects(RDFS.subPropertyOf, relation))
    return {qname(graph, p) for p in found if p is not None}


def _instances(context: Context, *classes: URIRef) -> set[str]:
    graph = context.loaded.graph
    return {str(s) for c in classes for s in graph.subjects(RDF.type, c) if str(s) in context.full}


def _linked(full: nx.MultiDiGraph, seeds: Iterable[str], relations: set[str]) -> set[str]:
    """``seeds`` and every entity one of ``relations`` links them with, either way."""
    start = set(seeds)
    found = set(start)
    for u, v, key in full.edges(keys=True):
        if key in relations and (u in start or v in start):
            found |= {u, v}
    return found


def customers(context: Context) -> set[str]:
    """Companies that use something (a customer, as the README defines it), and what they use."""
    uses = _family(context, KG.uses)
    companies = _instances(context, KG.Company)
    edges = context.full.edges(keys=True)
    return {n for u, v, key in edges if key in uses and u in companies for n in (u, v)}


def chips(context: Context) -> set[str]:
    """Chips, server systems and compute instances; what is trained on, powered by or uses them; their makers
    and families."""
    hardware = _instances(context, KG.Hardware, KG.ComputeInstance)
    related = _family(context, KG.uses) | _family(context, KG.partOf) | _family(context, KG.succeeds)
    return _linked(context.full, hardware, related | _family(context, KG.developedBy))


def succession(context: Context) -> set[str]:
    """Every entity that succeeds or is succeeded by another, with the families they belong to and what they
    power."""
    succeeds = _family(context, KG.succeeds)
    line = {n for u, v, key in context.full.edges(keys=True) if key in succeeds for n in (u, v)}
    return _linked(context.full, line, _family(context, KG.partOf) | _family(context, KG.poweredBy)) if line else set()


FOCUSED_VIEWS: tuple[FocusedView, ...] = (
    FocusedView(
        "graph-customers.html",
        "Customers and what they use",
        "客户及其使用的产品",
        "Companies that use a product or service, and the products and services they use.",
        "使用某项产品或服务的公司，以及它们所使用的产品和服务。",  # noqa: RUF001 - Chinese punctuation
        customers,
    ),
    FocusedView(
        "graph-chips.html",
        "Chips, systems and the models trained on them",
        "芯片、系统及在其上训练的模型",
        "Chips, server systems and compute instances; the models trained on them and who uses or makes them.",
        "芯片、服务器系统与计算实例；在其上训练的模型，以及使用或开发它们的公司。",  # noqa: RUF001 - Chinese punctuation
        chips,
    ),
    FocusedView(
        "graph-succession.html",
        "Succession lines",
        "产品迭代",
        "Which product succeeds which, with the families they belong to and the systems they power.",
        "产品之间的继任关系，以及它们所属的系列和所驱动的系统。",  # noqa: RUF001 - Chinese punctuation
        succession,
    ),
)


@dataclass(frozen=True)
class IndexHeading:
    """What the index says the graph is built from, in its title and heading (English) and the line under it
    (Chinese); with several documents, ``documents`` lists their names (English, Chinese) below."""

    title_en: str
    title_zh: str
    documents: tuple[tuple[str, str], ...] = ()


def index_heading(documents: Sequence[tuple[str, str]]) -> IndexHeading:
    """The index's heading for a graph of ``documents`` (their English and Chinese names): the document by its name
    when there is one, how many when there are several (each named below), none when there is none."""
    if not documents:
        return IndexHeading("kgraph: a knowledge graph", "kgraph：知识图谱")  # noqa: RUF001 - Chinese punctuation
    if len(documents) == 1:
        english, chinese = documents[0]
        return IndexHeading(f"kgraph: {english} as a knowledge graph", _zh_heading(chinese))
    count = len(documents)
    return IndexHeading(
        f"kgraph: {count} source documents as a knowledge graph", _zh_heading(f"{count} 份来源文档"), tuple(documents)
    )


def _zh_heading(what: str) -> str:
    """The Chinese heading of a graph built from ``what``: a space before a name that starts with a Latin letter or
    a digit, as Chinese text sets one off (``的 AWS``), none before a Chinese one (``的我的资料``)."""
    space = "" if what and unicodedata.east_asian_width(what[0]) in "WF" else " "
    return f"kgraph：以知识图谱呈现的{space}{what}"  # noqa: RUF001 - Chinese punctuation


@dataclass(frozen=True)
class IndexEntry:
    file: str
    title_en: str
    title_zh: str
    about_en: str
    about_zh: str
    entities: int
    relations: int


def render(loaded: LoadedGraph) -> dict[str, bytes]:
    """The writer for ``kgraph build``: the whole-graph viewer, each non-empty focused view, the ontology's page
    (:mod:`kgraph.export.ontology`) and the index."""
    context = Context(loaded)
    whole = select(loaded, whole=context.full)
    files = {MAIN_FILE: render_page(context, whole, home=INDEX_FILE)}
    entries = [
        IndexEntry(
            MAIN_FILE,
            "The whole graph",
            "整个图谱",
            "Every entity and every stated relation between them.",
            "所有实体及其之间所有明确陈述的关系。",
            whole.graph.number_of_nodes(),
            whole.graph.number_of_edges(),
        )
    ]
    size = context.size()
    for spec in FOCUSED_VIEWS:
        picked = spec.pick(context)
        if not picked:
            continue
        view = View(subgraph(context.full, picked), spec.title_en, spec.title_zh, part=Part(*size))
        files[spec.file] = render_page(context, view, home=INDEX_FILE)
        counts = (view.graph.number_of_nodes(), view.graph.number_of_edges())
        entries.append(IndexEntry(spec.file, spec.title_en, spec.title_zh, spec.about_en, spec.about_zh, *counts))
    files[ontology.FILE] = ontology.render_page(loaded, home=INDEX_FILE)
    files[INDEX_FILE] = render_index(index_heading(source_documents(loaded)), entries, ontology.FILE)
    return files


def render_index(heading: IndexHeading, entries: list[IndexEntry], ontology_file: str | None = None) -> bytes:
    """A small page that names what the graph is built from and links every view, and the ontology's page if
    there is one, in English and Chinese."""
    template = environment().get_template("index.html.j2")
    return template.render(heading=heading, entries=entries, ontology_file=ontology_file).encode("utf-8")
