"""Provenance: every fact can be traced to the section of the source that states it.

- Every entity (kgr:) and every figure (kgf:, kg:Figure) carries prov:wasDerivedFrom at least one source section,
  and that section's named graph exists.
- An entity or figure is derived from exactly the sections whose graphs mention it: a section graph that mentions
  it implies prov:wasDerivedFrom that section, and prov:wasDerivedFrom a section implies the section's graph
  mentions it.
- Every section has its Chinese title (the source's heading), an English label, its position and, where the
  source gives one, its start and end time as xsd:duration matching the source's time range.
- Every relation between two kgr: entities that the data states sits in at least one section graph.

The section table below is copied from the source by hand; the tests never read the source.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from kgraph.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH

KG = Namespace("https://w3id.org/kgraph/ontology#")
KGR = Namespace("https://w3id.org/kgraph/resource/")
KGF = Namespace("https://w3id.org/kgraph/figure/")
SRC = Namespace("https://w3id.org/kgraph/source/reinvent-2025-keynote/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")


class Section(NamedTuple):
    name: str
    order: int
    title_zh: str
    start: timedelta | None
    end: timedelta | None  # None: the source gives no end ("结束") or no time range at all


def t(h: int = 0, m: int = 0, s: int = 0) -> timedelta:
    return timedelta(hours=h, minutes=m, seconds=s)


SECTIONS = [
    Section("overview", 1, "会议概述", None, None),
    Section("opening", 2, "开场与业务成果展示", t(0), t(m=5, s=30)),  # [00:00 - 05:30]
    Section("ai-infrastructure", 3, "AI基础设施创新", t(m=5, s=30), t(m=15)),  # [05:30 - 15:00]
    Section("bedrock-models", 4, "Amazon Bedrock与模型生态", t(m=15), t(m=25)),  # [15:00 - 25:00]
    Section("open-training", 5, "开放训练模型服务", t(m=25), t(m=30)),  # [25:00 - 30:00]
    Section("sony", 6, "Sony合作案例", t(m=30), t(m=38)),  # [30:00 - 38:00]
    Section("agentcore", 7, "Amazon Bedrock AgentCore平台", t(m=38), t(m=50)),  # [38:00 - 50:00]
    Section("adobe", 8, "Adobe合作案例", t(m=50), t(m=58)),  # [50:00 - 58:00]
    Section("enterprise-ai", 9, "企业级AI解决方案", t(m=58), t(h=1, m=10)),  # [58:00 - 1:10:00]
    Section("developer-tools", 10, "开发者工具与现代化", t(h=1, m=10), t(h=1, m=25)),  # [1:10:00 - 1:25:00]
    Section("kiro-agents", 11, "Kiro自主代理与安全代理", t(h=1, m=25), t(h=1, m=35)),  # [1:25:00 - 1:35:00]
    Section("closing", 12, "结尾", t(h=1, m=35), None),  # [1:35:00 - 结束]
    Section("core-themes", 13, "核心主题", None, None),
]
SECTION_IRIS = {SRC[s.name] for s in SECTIONS}


def _in(namespace: Namespace, node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(namespace))


def _data_graphs(loaded) -> list[URIRef]:
    """The named graphs that hold asserted data: everything but the ontology and the inferences."""
    names = {g.identifier for g in loaded.dataset.graphs()}
    return sorted(
        n
        for n in names
        if isinstance(n, URIRef) and n not in (INFERRED_GRAPH, ONTOLOGY_GRAPH) and len(loaded.dataset.graph(n)) > 0
    )


def _mentioned(loaded, graph_name: URIRef) -> set[URIRef]:
    g = loaded.dataset.graph(graph_name)
    nodes = set()
    for s, _p, o in g:
        for n in (s, o):
            if _in(KGR, n) or _in(KGF, n):
                nodes.add(n)
    return nodes


def _document_subjects(loaded) -> set:
    """What the whole source document is about (the keynote): every section is about it without naming it, so a
    section graph may refer to it (kg:announcedAt, kg:reportedAt) without the section being its provenance."""
    return set(loaded.graph.objects(SRC["document"], SCHEMA.about))


@pytest.fixture(scope="module")
def things(loaded):
    """Every entity and figure in the graph: kgr: and kgf: IRIs used anywhere, and every kg:Figure."""
    graph = loaded.graph
    nodes = set()
    for s, _p, o in graph:
        for n in (s, o):
            if _in(KGR, n) or _in(KGF, n):
                nodes.add(n)
    nodes |= {f for f in graph.subjects(RDF.type, KG.Figure) if isinstance(f, URIRef)}
    return sorted(nodes)


# --------------------------------------------------------------------------- sections


def test_there_are_thirteen_sections(loaded):
    found = set(loaded.graph.subjects(RDF.type, KG.SourceSection))
    assert found == SECTION_IRIS, (
        f"missing {sorted(map(str, SECTION_IRIS - found))}, unexpected {sorted(map(str, found - SECTION_IRIS))}"
    )


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.name)
def test_section_metadata(loaded, section):
    graph = loaded.graph
    sec = SRC[section.name]
    assert (sec, RDF.type, KG.SourceSection) in graph
    zh = {
        str(o)
        for p in (DCTERMS.title, RDFS.label)
        for o in graph.objects(sec, p)
        if isinstance(o, Literal) and o.language == "zh"
    }
    assert section.title_zh in zh, f"src:{section.name} has Chinese titles {sorted(zh)}, not {section.title_zh!r}"
    en = [o for o in graph.objects(sec, RDFS.label) if isinstance(o, Literal) and o.language == "en"]
    assert len(en) == 1 and str(en[0]).strip(), f"src:{section.name} needs exactly one English label, has {en}"
    orders = [o.toPython() for o in graph.objects(sec, KG.order)]
    assert orders == [section.order], f"src:{section.name} kg:order is {orders}, the source puts it at {section.order}"
    for prop, expected in ((KG.startTime, section.start), (KG.endTime, section.end)):
        values = list(graph.objects(sec, prop))
        if expected is None:
            assert not values, f"the source gives no {prop.split('#')[-1]} for {section.name}, the data says {values}"
            continue
        assert len(values) == 1, f"src:{section.name} needs one {prop.split('#')[-1]}, has {values}"
        value = values[0]
        assert isinstance(value, Literal) and value.datatype == XSD.duration, (
            f"src:{section.name} {prop.split('#')[-1]} {value!r} is not an xsd:duration"
        )
        assert value.toPython() == expected, (
            f"src:{section.name} {prop.split('#')[-1]} is {value} = {value.toPython()}, the source says {expected}"
        )


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.name)
def test_section_graph_exists(loaded, section):
    sec = SRC[section.name]
    assert len(loaded.dataset.graph(sec)) > 0, f"there is no named graph src:{section.name}"


# --------------------------------------------------------------------------- entities and figures


def test_there_are_entities_and_figures(things):
    # test_coverage lists about 110 distinct things the source names, and numbers that make 47 distinct figures
    # (the overview and the opening share five); these bounds only catch a data folder that is largely missing.
    assert sum(_in(KGR, n) for n in things) >= 90, "fewer than 90 entities: the data is not all there"
    assert sum(not _in(KGR, n) for n in things) >= 40, "fewer than 40 figures: the data is not all there"


def test_every_entity_and_figure_has_provenance(loaded, things):
    graph = loaded.graph
    missing, bad_target, no_graph = [], [], []
    for node in things:
        derived = list(graph.objects(node, PROV.wasDerivedFrom))
        if not derived:
            missing.append(str(node))
        for d in derived:
            if d not in SECTION_IRIS:
                bad_target.append(f"{node} -> {d}")
            elif len(loaded.dataset.graph(d)) == 0:
                no_graph.append(f"{node} -> {d}")
    assert not missing, f"{len(missing)} entities/figures without prov:wasDerivedFrom: {missing}"
    assert not bad_target, f"prov:wasDerivedFrom must point to a source section: {bad_target}"
    assert not no_graph, f"prov:wasDerivedFrom a section whose graph does not exist: {no_graph}"


def test_every_entity_and_figure_is_described(loaded, things):
    """No dangling IRIs: whatever is referred to is typed and labelled."""
    graph = loaded.graph
    untyped = [str(n) for n in things if not (set(graph.objects(n, RDF.type)) & {KG.Entity, KG.Figure})]
    unlabelled = [
        str(n)
        for n in things
        if not any(isinstance(o, Literal) and o.language == "en" for o in graph.objects(n, RDFS.label))
    ]
    assert not untyped, f"used but neither a kg:Entity nor a kg:Figure: {untyped}"
    assert not unlabelled, f"no English label: {unlabelled}"


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.name)
def test_mentioned_in_section_graph_implies_derived_from_it(loaded, section):
    sec = SRC[section.name]
    exempt = _document_subjects(loaded)
    assert exempt, "src:document says nothing about what it is about (schema:about)"
    lacking = sorted(
        str(n) for n in _mentioned(loaded, sec) - exempt if (n, PROV.wasDerivedFrom, sec) not in loaded.graph
    )
    assert not lacking, f"graph src:{section.name} mentions these but they lack prov:wasDerivedFrom it: {lacking}"


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.name)
def test_derived_from_section_implies_mentioned_in_its_graph(loaded, section):
    sec = SRC[section.name]
    mentioned = _mentioned(loaded, sec)
    derived = {n for n in loaded.graph.subjects(PROV.wasDerivedFrom, sec) if _in(KGR, n) or _in(KGF, n)}
    absent = sorted(str(n) for n in derived - mentioned)
    assert not absent, f"derived from src:{section.name} but its graph says nothing about them: {absent}"


# --------------------------------------------------------------------------- relations


def test_every_relation_between_entities_is_in_a_section_graph(loaded):
    sections = [g for g in _data_graphs(loaded) if g in SECTION_IRIS]
    assert len(sections) == len(SECTION_IRIS), "not every section has a graph"
    in_sections = set()
    for g in sections:
        in_sections |= {(s, p, o) for s, p, o in loaded.dataset.graph(g) if _in(KGR, s) and _in(KGR, o)}
    assert len(in_sections) >= 80, "fewer than 80 relations between entities in the section graphs"
    outside = set()
    for g in _data_graphs(loaded):
        if g in SECTION_IRIS:
            continue
        outside |= {
            (s, p, o, g)
            for s, p, o in loaded.dataset.graph(g)
            if _in(KGR, s) and _in(KGR, o) and (s, p, o) not in in_sections
        }
    assert not outside, f"relations stated outside every section graph: {sorted(map(str, outside))}"


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.name)
def test_each_section_states_relations(loaded, section):
    """Every section of the source relates named things to each other (a host, a maker, a user, a topic ...), so
    each section graph holds at least one relation between two entities."""
    g = loaded.dataset.graph(SRC[section.name])
    relations = [(s, p, o) for s, p, o in g if _in(KGR, s) and _in(KGR, o)]
    assert relations, f"section src:{section.name} states no relation between two entities"


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.name)
def test_a_launch_a_section_states_has_its_status_in_that_section(loaded, section):
    """A section that says a product was launched, made generally available or previewed (kg:announcedAt) says
    which in its own graph: the detailed sections restate what the overview announces (发布**Amazon Nova Forge**,
    发布**Kiro自主代理**, 发布**Amazon Nova 2**模型家族), so the status's provenance is that section too."""
    g = loaded.dataset.graph(SRC[section.name])
    lacking = sorted(str(x) for x in g.subjects(KG.announcedAt, None) if g.value(x, KG.launchStatus) is None)
    assert not lacking, f"graph src:{section.name} says these were announced but not with what status: {lacking}"
