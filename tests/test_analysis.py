"""The networkx projection of the bundled graph, and the analyses on it (kgraph.analysis)."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from networkx.algorithms.link_analysis import pagerank_alg
from rdflib.namespace import RDF

from conftest import PREFIXES
from kgraph import analysis, formatting
from kgraph.analysis import project
from kgraph.cli_analysis import format_chain
from kgraph.errors import InputError, NoAnswerError, NotFoundError
from kgraph.explore import describe
from kgraph.resources import default_ontology_dir
from kgraph.store import LoadedGraph, load
from kgraph.vocab import KG, KGR, SRC
from test_explore import ONTOLOGY, WORLD


def test_projection_keeps_every_entity_and_only_stated_links(loaded: LoadedGraph) -> None:
    graph = project(loaded)
    entities = set(loaded.graph.subjects(RDF.type, KG.Entity))
    assert graph.number_of_nodes() == len(entities)
    trainium4 = str(KGR["trainium4"])
    assert graph.nodes[trainium4]["cls"] == "kg:Chip"
    assert graph.nodes[trainium4]["label_zh"] == "Trainium4"
    edge = graph.get_edge_data(trainium4, str(KGR["trainium3"]))
    assert set(edge) == {"kg:succeeds"}
    assert edge["kg:succeeds"]["sections"] == "https://w3id.org/kgraph/source/reinvent-2025-keynote/ai-infrastructure"
    assert edge["kg:succeeds"]["inferred"] is False
    # the inverse is inferred, so it is not projected unless asked for
    assert graph.get_edge_data(str(KGR["trainium3"]), trainium4) is None
    with_inferred = project(loaded, include_inferred=True)
    assert "kg:succeededBy" in with_inferred.get_edge_data(str(KGR["trainium3"]), trainium4)


def test_a_stated_related_to_is_a_link_and_the_implied_ones_are_not(make_kg):
    """Data that says two entities are related and no more (kg:relatedTo itself) had its link dropped: no edge in
    the viewer, no path through it, though `show` lists it. The kg:relatedTo every relation implies stays out,
    even with the inferred relations, or it would double every link."""
    data = PREFIXES + (
        "src:s { kgr:a a kg:Company . kgr:b a kg:Company . kgr:c a kg:Chip .\n"
        "        kgr:a kg:relatedTo kgr:b . kgr:b kg:uses kgr:c . }"
    )
    loaded = load(*make_kg({"d.trig": data}))
    for inferred in (False, True):
        graph = project(loaded, include_inferred=inferred)
        assert set(graph.get_edge_data(str(KGR.a), str(KGR.b))) == {"kg:relatedTo"}
        assert "kg:relatedTo" not in (graph.get_edge_data(str(KGR.b), str(KGR.c)) or {})
        around = analysis.project_around(loaded, KGR.a, 2, include_inferred=inferred)
        assert sorted(around.edges(keys=True)) == sorted(
            (u, v, k) for u, v, k in graph.edges(keys=True) if {u, v} <= set(around.nodes)
        )
    assert analysis.shortest_paths(project(loaded), str(KGR.a), str(KGR.c), directed=True).length == 2


def test_classes_and_relations_are_taken_by_name(loaded: LoadedGraph) -> None:
    """A name where a term is expected matched nothing, without a word: project(keep_classes=["Chip"]) was empty,
    keep_relations=["kg:uses"] had no edge, and ranking(cls="Chip") took the str for a list of its letters ("no
    entity is a C or h or i or p"). Names are resolved as kgraph rank --type and --relation resolve them."""
    chips = project(loaded, keep_classes=[KG.Chip])
    assert chips.number_of_nodes() == 5
    for keep in (["Chip"], "Chip", ["kg:Chip"], ["芯片"]):
        assert nx.utils.graphs_equal(project(loaded, keep_classes=keep), chips), keep
    uses = project(loaded, keep_relations=[KG.uses])
    assert uses.number_of_edges() > 0
    for keep in (["uses"], ["kg:uses"], "uses"):
        assert nx.utils.graphs_equal(project(loaded, keep_relations=keep), uses), keep
    around = analysis.project_around(loaded, KGR.trainium3, 1, keep_classes=["Chip"], keep_relations=["powers"])
    assert nx.utils.graphs_equal(
        around, analysis.project_around(loaded, KGR.trainium3, 1, keep_classes=[KG.Chip], keep_relations=[KG.powers])
    )
    projection = project(loaded)
    by_term = analysis.ranking(loaded, projection, cls=KG.Chip)
    assert analysis.ranking(loaded, projection, cls="Chip") == analysis.ranking(loaded, projection, cls=["kg:Chip"])
    assert analysis.ranking(loaded, projection, cls="Chip") == by_term
    with pytest.raises(InputError, match=r"^unknown class 'Chp'; did you mean: Chip\? use one of: "):
        project(loaded, keep_classes=["Chp"])
    with pytest.raises(InputError, match=r"^unknown relation 'usess'; did you mean: uses\? "):
        project(loaded, keep_relations=["usess"])


def test_projection_is_deterministic(loaded: LoadedGraph) -> None:
    first, second = project(loaded), project(loaded)
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(keys=True, data=True)) == list(second.edges(keys=True, data=True))


def test_the_projection_holds_one_str_per_entity_and_per_relation(loaded: LoadedGraph) -> None:
    """An entity's key is one str: its ``iri`` attribute and the ends of its edges (both ways) are that object,
    not an equal copy per edge (about 100 bytes a link end, 40 MB at a million triples); a relation's IRI is one
    str for all its edges. The values stay plain str, so the projection reads and compares as before."""
    whole = project(loaded)
    trainium4, trainium3 = KGR["trainium4"], KGR["trainium3"]
    for graph in (
        whole,
        project(loaded, include_inferred=True),
        analysis.project_around(loaded, trainium4, 2),
        analysis.project_for_path(loaded, trainium4, trainium3),
    ):
        assert graph is not None and graph.number_of_edges()
        nodes = {id(node) for node in graph}
        assert all(type(node) is str and graph.nodes[node]["iri"] is node for node in graph)
        ends = [end for u, v in itertools.chain(graph.edges(), graph.in_edges()) for end in (u, v)]
        assert all(id(end) in nodes for end in ends)
        relations: dict[str, str] = {}
        for _u, _v, data in graph.edges(data=True):
            assert type(data["relation"]) is str
            assert relations.setdefault(data["relation"], data["relation"]) is data["relation"]
    assert len(relations) > 1


# ================================================================================================ analyses
# Expected answers below were worked out by hand from the files in data/ (file and line in the comments), not
# copied from the output.


def key(name: str) -> str:
    return str(KGR[name])


@pytest.fixture(scope="module")
def projection(loaded: LoadedGraph):
    return project(loaded)


def chains(found) -> list[str]:
    return [format_chain(c) for c in found.chains]


# ------------------------------------------------------------------------------------------------ names


@pytest.mark.parametrize("name", ["uses", "kg:uses", "USES", "使用", "https://w3id.org/kgraph/ontology#uses"])
def test_relations_by_local_name_prefixed_name_label_or_iri(loaded, name):
    assert analysis.resolve_relation(loaded, name) == KG.uses


def test_relation_by_english_label_with_a_space(loaded):
    assert analysis.resolve_relation(loaded, "developed by") == KG.developedBy


def test_unknown_relation_suggests_close_ones_and_lists_all(loaded):
    with pytest.raises(InputError) as error:
        analysis.resolve_relation(loaded, "usess")
    message = str(error.value)
    assert message.startswith("unknown relation 'usess'; did you mean: uses")
    assert "developedBy" in message and "succeeds" in message


def test_an_unknown_relation_in_chinese_suggests_close_chinese_labels(loaded):
    """使佣 (a typo of 使用) was answered with the English local names alone, none of them close."""
    with pytest.raises(InputError) as error:
        analysis.resolve_relation(loaded, "使佣")
    assert str(error.value).startswith("unknown relation '使佣'; did you mean: 使用 (uses)? use one of: added,")


def test_relation_family_takes_the_sub_properties(loaded):
    # ontology/kgraph.ttl: trainedOn, builtOn and poweredBy are rdfs:subPropertyOf kg:uses
    assert analysis.relation_family(loaded.graph, KG.uses) == {KG.uses, KG.trainedOn, KG.builtOn, KG.poweredBy}


def test_a_figure_is_not_an_entity_of_the_projection(loaded, projection):
    """The Python API's message pointed to the command `kgraph entities`; it names kgraph.explore.entities, and
    ``cli_message`` keeps the command."""
    with pytest.raises(
        InputError, match=r"\(kgf:trainium3-compute-vs-trainium2, kg:Figure\) is not an entity"
    ) as caught:
        analysis.entity_key(loaded, projection, "kgf:trainium3-compute-vs-trainium2")
    assert str(caught.value).endswith(
        "is not an entity linked to others; name an entity (kgraph.explore.entities(loaded) lists them)"
    )
    assert caught.value.cli_message.endswith(
        "is not an entity linked to others; name an entity (`kgraph entities` lists them)"
    )


# ------------------------------------------------------------------------------------------------ paths


def test_path_from_a_customer_to_a_chip_as_stated(projection):
    # 08-adobe.trig: adobe kg:partnerOf aws; 02-opening.trig: aws kg:uses graviton. Adobe's other relations go to
    # P5, P6, SageMaker and Bedrock, none of which leads to Graviton in one step.
    found = analysis.shortest_paths(projection, key("adobe"), key("graviton"), directed=True)
    assert (found.length, found.total) == (2, 1)
    assert chains(found) == ["Adobe -partner of-> AWS -uses-> Graviton"]


def test_path_either_way_shows_each_hop_as_stated(projection):
    # 06-sony.trig: sony kg:partnerOf aws and kg:uses aws; 01-overview.trig: trainium3 kg:developedBy aws.
    found = analysis.shortest_paths(projection, key("sony"), key("trainium3"))
    assert chains(found) == ["Sony -partner of, uses-> AWS <-developed by- Trainium3"]


def test_every_shortest_path_from_writer_to_trainium3(projection):
    # 09-enterprise-ai.trig: Writer uses HyperPod and P5, integrates Guardrails and the model catalog (all four
    # developed by AWS), and May Habib leads Writer and speaks at the keynote, where Trainium3 is announced.
    # Writer shares no neighbour with Trainium3, so nothing shorter than 3 steps.
    found = analysis.shortest_paths(projection, key("writer"), key("trainium3"), limit=10)
    assert (found.length, found.total) == (3, 5)
    assert chains(found) == [
        "Writer -integrates-> Amazon Bedrock Guardrails -developed by-> AWS <-developed by- Trainium3",
        "Writer -integrates-> Amazon Bedrock model catalog -developed by-> AWS <-developed by- Trainium3",
        "Writer -uses-> AWS HyperPod -developed by-> AWS <-developed by- Trainium3",
        "Writer <-leads- May Habib -speaker at-> AWS re:Invent 2025 keynote <-announced at- Trainium3",
        "Writer -uses-> P5 -developed by-> AWS <-developed by- Trainium3",
    ]
    assert len(analysis.shortest_paths(projection, key("writer"), key("trainium3"), limit=2).chains) == 2


def test_no_path_against_the_stated_direction(projection):
    with pytest.raises(NoAnswerError, match="no path from Trainium3 to Adobe following relations in the direction"):
        analysis.shortest_paths(projection, key("trainium3"), key("adobe"), directed=True)


def test_no_path_from_an_entity_without_relations(projection):
    # 08-adobe.trig: PDF has only figures about it, no relation to another entity
    with pytest.raises(NoAnswerError, match="no path from PDF to Adobe in either direction"):
        analysis.shortest_paths(projection, key("pdf"), key("adobe"))


def test_a_path_needs_two_entities(projection):
    with pytest.raises(InputError, match="both ends"):
        analysis.shortest_paths(projection, key("adobe"), key("adobe"))


# ------------------------------------------------------------------------------------------------ neighbours


def test_neighbours_of_trainium3(projection):
    # 01-overview.trig and 03-ai-infrastructure.trig: every stated relation of Trainium3, both ways
    found = analysis.neighbourhood(projection, key("trainium3"))
    assert chains(found) == [
        "Trainium3 -developed by-> AWS",
        "Trainium3 -announced at-> AWS re:Invent 2025 keynote",
        "Trainium3 -member of-> Trainium",
        "Trainium3 -succeeds-> Trainium2",
        "Trainium3 <-powered by- Trainium3 UltraServer",
        "Trainium3 <-succeeds- Trainium4",
    ]
    incoming = analysis.neighbourhood(projection, key("trainium3"), direction="in")
    assert [c.end.label_en for c in incoming.chains] == ["Trainium3 UltraServer", "Trainium4"]
    assert all(not hop.forward for c in incoming.chains for hop in c.hops)


def test_neighbours_at_depth_two_along_uses_and_its_sub_properties(loaded):
    keep = analysis.relation_family(loaded.graph, KG.uses)
    found = analysis.neighbourhood(project(loaded, keep_relations=keep), key("sony"), depth=2)
    lines = chains(found)
    # 06-sony.trig: Sony uses AWS, Bedrock, AgentCore, Nova Forge (1 step); 08-adobe.trig: Acrobat Studio's AI
    # assistant is built on Bedrock, a sub-property of uses (2 steps)
    assert lines[:4] == [
        "Sony -uses-> Amazon Bedrock",
        "Sony -uses-> Amazon Bedrock AgentCore",
        "Sony -uses-> Amazon Nova Forge",
        "Sony -uses-> AWS",
    ]
    assert "Sony -uses-> Amazon Bedrock <-built on- Acrobat Studio AI assistant" in lines
    assert "Sony -uses-> AWS -uses-> Graviton" in lines
    assert [len(c.hops) for c in found.chains] == sorted(len(c.hops) for c in found.chains)


def _neighbourhood_or_none(projection, centre: str, depth: int, direction: str):
    try:
        return analysis.neighbourhood(projection, centre, depth=depth, direction=direction)
    except NoAnswerError as error:
        return str(error)


@pytest.mark.parametrize("inferred", [False, True], ids=["stated", "with inferred"])
def test_the_projection_around_an_entity_gives_the_same_neighbourhoods(loaded, inferred):
    """kgraph neighbors builds only the part of the projection it needs: for every entity, every depth and
    direction, the answer (the entities, their order and each chain) is the one the whole projection gives."""
    whole = project(loaded, include_inferred=inferred)
    for node in sorted(loaded.graph.subjects(RDF.type, KG.Entity)):
        for depth in (1, 2, 3):
            around = analysis.project_around(loaded, node, depth, include_inferred=inferred)
            assert set(around) <= set(whole) and str(node) in around
            for direction in analysis.DIRECTIONS:
                expected = _neighbourhood_or_none(whole, str(node), depth, direction)
                assert _neighbourhood_or_none(around, str(node), depth, direction) == expected, (node, depth)


def test_the_projection_around_keeps_the_relations_asked_for(loaded):
    keep = analysis.relation_family(loaded.graph, KG.uses)
    whole = project(loaded, keep_relations=keep)
    around = analysis.project_around(loaded, KGR.sony, 2, keep_relations=keep)
    assert analysis.neighbourhood(around, key("sony"), depth=2) == analysis.neighbourhood(whole, key("sony"), depth=2)
    assert analysis.project_around(loaded, KGR["no-such-thing"], 2).number_of_nodes() == 0
    figure = next(iter(loaded.graph.subjects(RDF.type, KG.Figure)))
    assert analysis.project_around(loaded, figure, 1).number_of_nodes() == 0  # not an entity


def paths_or_error(projection, source, target, directed):
    """kgraph path's answer on ``projection``: the shortest paths, or the error's type and message."""
    try:
        return analysis.shortest_paths(projection, source, target, directed=directed, limit=1_000)
    except (NoAnswerError, InputError) as error:
        return f"{type(error).__name__}: {error}"


def walked_paths_agree(loaded: LoadedGraph, whole: nx.MultiDiGraph, source, target, **walk) -> dict:
    """For each way (``directed`` false, then true): the part :func:`analysis.project_for_path` walks to from
    ``source`` and ``target`` (with the options ``walk``), checked to give the answer of the whole projection
    ``whole``; with that answer: ``{directed: (part, answer)}``."""
    found = {}
    for directed in (False, True):
        part = analysis.project_for_path(loaded, source, target, directed=directed, **walk)
        assert part is not None
        expected = paths_or_error(whole, str(source), str(target), directed)
        assert paths_or_error(part, str(source), str(target), directed) == expected, (source, target, directed)
        found[directed] = (part, expected)
    return found


@pytest.mark.parametrize(
    ("inferred", "avoid", "relation"),
    [(False, (), None), (True, (), None), (False, (KGR.aws,), None), (False, (), KG.uses), (True, (), KG.uses)],
    ids=["stated", "with inferred", "avoid AWS", "uses", "uses with inferred"],
)
def test_the_part_for_a_path_gives_the_same_shortest_paths(loaded, inferred, avoid, relation):
    """kgraph path on a store walks out from A only as far as the shortest paths reach: for many pairs, each
    way, the paths (all of them, in order), their number and the errors are the ones the whole projection gives
    (with --directed, many of them "no path")."""
    keep = None if relation is None else analysis.relation_family(loaded.graph, relation)
    whole = project(loaded, include_inferred=inferred, keep_relations=keep)
    whole.remove_nodes_from([str(node) for node in avoid])
    entities = sorted(loaded.graph.subjects(RDF.type, KG.Entity))
    sources, targets = entities[::10], [e for e in entities[3::8] if e not in avoid]
    smaller = compared = 0
    answered = {False: 0, True: 0}
    walk = {"include_inferred": inferred, "avoid": avoid, "keep_relations": keep}
    for source in (s for s in sources if s not in avoid):
        for target in targets:
            for directed, (part, expected) in walked_paths_agree(loaded, whole, source, target, **walk).items():
                smaller += part.number_of_nodes() < whole.number_of_nodes()
                compared += 1
                answered[directed] += not isinstance(expected, str)
    assert smaller > compared // 2, "near entities should need only part of the graph"
    assert 0 < answered[True] < compared // 2, "directed pairs with a path and without"


def test_the_part_for_a_directed_path_reaches_past_the_first_link_found(make_kg):
    """T is one step from S against the direction of a relation, three steps along it: the walk must go on
    until it holds the directed path, not stop where it first meets T."""
    data = (
        PREFIXES
        + """src:s {
        kgr:s a kg:Chip . kgr:x a kg:Chip . kgr:y a kg:Chip . kgr:t a kg:Chip .
        kgr:t kg:uses kgr:s . kgr:s kg:uses kgr:x . kgr:x kg:uses kgr:y . kgr:y kg:uses kgr:t .
    }"""
    )
    loaded = load(*make_kg({"d.trig": data}))
    part = analysis.project_for_path(loaded, KGR.s, KGR.t, directed=True)
    assert part is not None
    assert analysis.shortest_paths(part, key("s"), key("t"), directed=True).length == 3
    assert analysis.shortest_paths(project(loaded), key("s"), key("t")).length == 1


# Graphs where a shortcut would go wrong (found by comparing a model of the walk with networkx on thousands of
# random graphs), as "a>b" links between entities na and nb: stopping at the first path found, or one step
# later, misses one of two shortest paths (it needs a link between two entities that are each the last step of
# a walk); not reading the links of the last step taken finds no path.
HARD_PATHS = [
    ("1>5 2>4 3>2 3>4 3>5 4>0 4>1 4>3", 2, 5, (3, 2)),
    ("0>1 0>2 0>7 1>0 1>3 1>5 2>1 2>3 3>0 4>5 5>2 6>2 6>7 7>5 7>6", 4, 6, (6, 2)),
    ("0>2 0>5 1>0 1>3 3>2 3>6 4>0 4>1 5>3 6>1 6>5 7>1 7>3", 0, 1, (4, 1)),
]


@pytest.mark.parametrize(("links", "source", "target", "expected"), HARD_PATHS)
def test_the_part_for_a_directed_path_holds_every_shortest_one(make_kg, links, source, target, expected):
    """A walk must go on until a path is no longer than the steps walked from both ends, and read the links
    of its last step: the length and number of shortest paths are then those of the whole projection."""
    pairs = [tuple(link.split(">")) for link in links.split()]
    body = " ".join(f"kgr:n{i} a kg:Chip ." for i in sorted({n for pair in pairs for n in pair}))
    body += " ".join(f"kgr:n{a} kg:uses kgr:n{b} ." for a, b in pairs)
    loaded = load(*make_kg({"d.trig": PREFIXES + f"src:s {{ {body} }}"}))
    whole = analysis.shortest_paths(project(loaded), key(f"n{source}"), key(f"n{target}"), directed=True)
    part = analysis.project_for_path(loaded, KGR[f"n{source}"], KGR[f"n{target}"], directed=True)
    assert part is not None
    found = analysis.shortest_paths(part, key(f"n{source}"), key(f"n{target}"), directed=True)
    assert (found.length, found.total) == (whole.length, whole.total) == expected
    assert found == whole


def test_the_part_for_a_path_leaves_what_it_cannot_answer_to_the_whole_projection(loaded, monkeypatch):
    figure = next(iter(loaded.graph.subjects(RDF.type, KG.Figure)))
    assert analysis.project_for_path(loaded, KGR.sony, figure) is None  # not an entity: the caller says so
    assert analysis.project_for_path(loaded, KGR.sony, KGR.aws, avoid=[KGR.aws]) is None  # an end avoided
    assert analysis.project_for_path(loaded, KGR.sony, KGR.aws, avoid=[figure]) is None
    one_step = analysis.project_for_path(loaded, KGR.sony, KGR.aws)
    assert one_step is not None and analysis.shortest_paths(one_step, key("sony"), key("aws")).length == 1
    monkeypatch.setattr(analysis, "PATH_WALK_LIMIT", 3)  # Sony's first step reaches more than three entities
    with pytest.raises(analysis.WalkTooFar, match=r"the walks reached [0-9]+ entities, more than 3"):
        analysis.project_for_path(loaded, KGR.sony, KGR.graviton)


def test_the_directed_walks_go_one_way_and_end_where_no_path_goes_on(make_kg, monkeypatch):
    """With --directed the walk from A follows the links out of each entity, the one from B those into it. Here
    S leads to X alone and only Y leads to T, so both walks end at once, though S and T are four steps apart
    either way, through two hubs and their many neighbours: the walks out both ways passed PATH_WALK_LIMIT
    there, and the whole graph was projected to say that there is no path. The answers are the whole
    projection's, each way (T leads to S in four steps, by twenty paths)."""
    body = [f"kgr:{n} a kg:Chip ." for n in ("s", "x", "y", "t", "hub-a", "hub-b")]
    body += ["kgr:s kg:uses kgr:x . kgr:x kg:developedBy kgr:s . kgr:y kg:uses kgr:t ."]
    body += ["kgr:hub-a kg:uses kgr:s . kgr:t kg:uses kgr:hub-b ."]
    for i in range(20):
        body += [f"kgr:n{i} a kg:Chip . kgr:hub-b kg:uses kgr:n{i} . kgr:n{i} kg:uses kgr:hub-a ."]
    loaded = load(*make_kg({"d.trig": PREFIXES + f"src:s {{ {' '.join(body)} }}"}))
    whole = project(loaded)
    back = analysis.project_for_path(loaded, KGR.t, KGR.s, directed=True)
    assert back is not None
    assert paths_or_error(back, key("t"), key("s"), True) == paths_or_error(whole, key("t"), key("s"), True)
    assert analysis.shortest_paths(back, key("t"), key("s"), directed=True).total == 20
    monkeypatch.setattr(analysis, "PATH_WALK_LIMIT", 10)
    part = analysis.project_for_path(loaded, KGR.s, KGR.t, directed=True)
    assert part is not None
    assert set(part) <= {key("s"), key("t"), key("x"), key("y")}  # the walk from S ends first: no hub
    expected = paths_or_error(whole, key("s"), key("t"), True)
    assert expected.startswith("NoAnswerError: no path")
    assert paths_or_error(part, key("s"), key("t"), True) == expected
    with pytest.raises(analysis.WalkTooFar):  # either way, the walks reach the hubs' neighbours
        analysis.project_for_path(loaded, KGR.s, KGR.t)


@pytest.mark.parametrize("depth", [0, -1, analysis.MAX_DEPTH + 1])
def test_depth_out_of_range(projection, depth):
    with pytest.raises(InputError, match=f"depth must be between 1 and 5, not {depth}"):
        analysis.neighbourhood(projection, key("trainium3"), depth=depth)


def test_an_entity_without_relations_has_no_neighbours(projection):
    with pytest.raises(NoAnswerError, match="PDF has no relation with another entity"):
        analysis.neighbourhood(projection, key("pdf"), depth=3)


# ------------------------------------------------------------------------------------------------ lineage


@pytest.mark.parametrize("name", ["trainium2", "trainium3", "trainium4"])
def test_lineage_of_trainium_forward_and_back(loaded, name):
    found = analysis.lineage(loaded, KGR[name])
    assert [g.label_en for g in found.generations] == ["Trainium2", "Trainium3", "Trainium4"]
    assert found.focus.iri == key(name)
    assert found.linear
    # 03-ai-infrastructure.trig: kgf:trainium3-*-vs-trainium2 and kgf:trainium4-*-vs-trainium3
    first, second = found.steps
    assert (first.predecessor.label_en, first.successor.label_en) == ("Trainium2", "Trainium3")
    assert {(f.metric_en, f.value) for f in first.figures} == {
        ("compute", "4.4 x"),
        ("memory bandwidth", "3.9 x"),
        ("energy efficiency", "5 x"),
    }
    assert (second.predecessor.label_en, second.successor.label_en) == ("Trainium3", "Trainium4")
    assert {(f.metric_en, f.value) for f in second.figures} == {
        ("FP4 compute", "6 x"),
        ("memory bandwidth", "4 x"),
        ("high-bandwidth memory (HBM) capacity", "2 x"),
    }
    assert "内存带宽" in {f.metric_zh for f in second.figures}


def test_no_lineage(loaded):
    # 03-ai-infrastructure.trig: the Trainium family is a member-of target, not part of a succession
    with pytest.raises(NoAnswerError, match=r"Trainium \(kgr:trainium\) has no predecessor or successor"):
        analysis.lineage(loaded, KGR.trainium)


def test_a_family_without_a_lineage_names_its_members_that_have_one(loaded):
    """kgraph lineage Trainium said only that the family has no predecessor or successor, though its members
    Trainium2, 3 and 4 make the succession one asks for by the family's name: the error now names them and the
    command that shows it (the call, in the Python API's message)."""
    with pytest.raises(NoAnswerError) as caught:
        analysis.lineage(loaded, KGR.trainium)
    assert str(caught.value) == (
        "Trainium (kgr:trainium) has no predecessor or successor (kg:succeeds); its members Trainium2, Trainium3, "
        "Trainium4 are in one: kgraph.analysis.lineage(loaded, 'Trainium2')"
    )
    assert caught.value.cli_message == (
        "Trainium (kgr:trainium) has no predecessor or successor (kg:succeeds); its members Trainium2, Trainium3, "
        "Trainium4 are in one: kgraph lineage Trainium2"
    )
    with pytest.raises(NoAnswerError) as caught:  # no member in a succession: as before
        analysis.lineage(loaded, KGR.sony)
    assert str(caught.value) == "Sony (kgr:sony) has no predecessor or successor (kg:succeeds)"


def test_a_product_without_a_lineage_names_what_it_uses_that_has_one(loaded):
    """kgraph lineage "Trainium3 UltraServer" said only that it has no predecessor or successor, though what it
    improves on, and by how much, is the lineage of Trainium3, which powers it: the error now names Trainium3 and
    the command that shows it."""
    with pytest.raises(NoAnswerError) as caught:
        analysis.lineage(loaded, KGR["trainium3-ultraserver"])
    why = "Trainium3 UltraServer (kgr:trainium3-ultraserver) has no predecessor or successor (kg:succeeds)"
    assert (
        str(caught.value) == f"{why}; it uses Trainium3, which is in one: kgraph.analysis.lineage(loaded, 'Trainium3')"
    )
    assert caught.value.cli_message == f"{why}; it uses Trainium3, which is in one: kgraph lineage Trainium3"
    with pytest.raises(NoAnswerError) as caught:  # P6e-GB300 uses Nvidia GB300 NVL72, which is in none: as before
        analysis.lineage(loaded, KGR["p6e-gb300"])
    assert str(caught.value) == "P6e-GB300 (kgr:p6e-gb300) has no predecessor or successor (kg:succeeds)"


def test_a_product_that_uses_several_in_successions_names_them_in_order(make_kg):
    """A product that uses two things in successions names both in the order of their labels (not of their IRIs),
    and the command for the first. What it uses that is in none (itself, or another product that uses it back) is
    left out, and a product that uses only such things says nothing more."""
    data = PREFIXES + (
        'kgr:a1 a kg:Chip ; rdfs:label "Beta1"@en . kgr:a2 a kg:Chip ; rdfs:label "Beta2"@en ; kg:succeeds kgr:a1 .\n'
        'kgr:b1 a kg:Chip ; rdfs:label "Alpha one"@en . kgr:b2 a kg:Chip ; rdfs:label "Alpha two"@en ;\n'
        "    kg:succeeds kgr:b1 .\n"
        'kgr:box a kg:Hardware ; rdfs:label "Box"@en ; kg:uses kgr:a2 , kgr:b1 , kgr:box , kgr:loop .\n'
        'kgr:loop a kg:Hardware ; rdfs:label "Loop"@en ; kg:uses kgr:box .\n'
    )
    loaded = load(*make_kg({"d.ttl": data}))
    with pytest.raises(NoAnswerError) as caught:
        analysis.lineage(loaded, "Box")
    assert caught.value.cli_message == (
        "Box (kgr:box) has no predecessor or successor (kg:succeeds); it uses Alpha one, Beta2, which are in one: "
        "kgraph lineage 'Alpha one'"
    )
    with pytest.raises(NoAnswerError) as caught:
        analysis.lineage(loaded, "Loop")
    assert str(caught.value) == "Loop (kgr:loop) has no predecessor or successor (kg:succeeds)"


def test_lineage_takes_a_name(loaded):
    """A str (a label, or an IRI as text) was taken for an IRI of nothing: lineage(loaded, "Trainium3") said
    "Trainium3 (Trainium3) has no predecessor or successor". It is now found as kgraph lineage finds a name."""
    expected = analysis.lineage(loaded, KGR.trainium3)
    for name in ("Trainium3", "kgr:trainium3", str(KGR.trainium3)):
        assert analysis.lineage(loaded, name) == expected, name
    with pytest.raises(NotFoundError, match="nothing is named 'Trainium9'"):
        analysis.lineage(loaded, "Trainium9")


def test_a_node_not_in_the_projection_is_named(projection):
    """shortest_paths and neighbourhood take the projection's keys (IRIs): a label there was networkx's bare
    KeyError: 'Trainium3'."""
    calls = [
        lambda: analysis.shortest_paths(projection, "Trainium3", key("aws")),
        lambda: analysis.shortest_paths(projection, key("aws"), "Trainium3"),
        lambda: analysis.neighbourhood(projection, "Trainium3"),
    ]
    for call in calls:
        with pytest.raises(InputError) as caught:
            call()
        assert str(caught.value) == (
            "Trainium3 is not an entity of the projection (its nodes are IRIs); find the key of a name with "
            "kgraph.analysis.entity_key(loaded, projection, name)"
        )


def test_lineage_figures_keep_bounds(make_kg):
    # test_explore.WORLD: Rocket Chip succeeds Old Chip, speed "more than 4.4 x" compared with Old Chip
    world = load(*make_kg({"world.trig": WORLD}, {"kgraph.ttl": ONTOLOGY}))
    found = analysis.lineage(world, KGR["old-chip"])
    assert [g.label_en for g in found.generations] == ["Old Chip", "Rocket Chip"]
    assert [(f.metric_en, f.value, f.metric_zh) for f in found.steps[0].figures] == [
        ("speed", "more than 4.4 x", "速度")
    ]


def test_lineage_figures_in_chinese_as_show_gives_them(make_kg):
    """lineage --lang zh printed a step's figure as `more than 4.4 x`, where show --lang zh prints `超过 4.4 x`: the
    bound was always named in English. Both now give the unit in Chinese too (`4.4倍`, not `4.4 x`)."""
    ontology = ONTOLOGY + 'kg:MoreThan rdfs:label "超过"@zh .\n'
    world = load(*make_kg({"world.trig": WORLD}, {"kgraph.ttl": ontology}))
    found = analysis.lineage(world, KGR["old-chip"], "zh")
    assert [f.value for f in found.steps[0].figures] == ["超过 4.4倍"]
    shown = describe(world, KGR["rocket-chip"], "zh").figures
    assert [f"{f.bound} {f.value}" for f in shown] == ["超过 4.4倍"]
    assert [f.value for f in analysis.lineage(world, KGR["old-chip"]).steps[0].figures] == ["more than 4.4 x"]


def test_a_figures_period_reads_in_the_language_printed(make_kg):
    """show and lineage --lang zh printed a rate as `超过 4.4 x per 秒`, the English word amid the Chinese ones."""
    ontology = ONTOLOGY + (
        'kg:MoreThan rdfs:label "超过"@zh .\nkg:Second a kg:Unit ; rdfs:label "second"@en , "秒"@zh .\n'
        'kg:perPeriod a owl:ObjectProperty ; rdfs:label "per period"@en .\n'
    )
    data = WORLD.replace("kg:bound kg:MoreThan ;", "kg:bound kg:MoreThan ; kg:perPeriod kg:Second ;")
    world = load(*make_kg({"world.trig": data}, {"kgraph.ttl": ontology}))
    shown_as = (("en", "more than 4.4 x per second", "value:           "), ("zh", "超过 4.4倍/秒", "数值:            "))
    for lang, value, field in shown_as:  # the field names 17 columns wide, a Chinese character two
        assert [f.value for f in analysis.lineage(world, KGR["old-chip"], lang).steps[0].figures] == [value]
        shown = formatting.description(describe(world, KGR["rocket-chip"], lang), lang)
        assert f"    {field} {value}\n" in shown


BRANCHES = (
    PREFIXES
    + """
kgr:a a kg:Chip ; rdfs:label "A"@en .
kgr:b a kg:Chip ; rdfs:label "B"@en ; kg:succeeds kgr:a .
kgr:c a kg:Chip ; rdfs:label "C"@en ; kg:succeeds kgr:b .
kgr:d a kg:Chip ; rdfs:label "D"@en ; kg:succeeds kgr:b .
kgr:x a kg:Chip ; rdfs:label "X"@en ; kg:succeeds kgr:y .
kgr:y a kg:Chip ; rdfs:label "Y"@en ; kg:succeeds kgr:x .
"""
)


def test_lineage_with_two_successors_is_not_a_chain(make_kg):
    world = load(*make_kg({"chips.ttl": BRANCHES}, {"kgraph.ttl": ONTOLOGY}))
    found = analysis.lineage(world, KGR.b)
    assert [g.label_en for g in found.generations] == ["A", "B", "C", "D"]
    assert [(s.predecessor.label_en, s.successor.label_en) for s in found.steps] == [("A", "B"), ("B", "C"), ("B", "D")]
    assert not found.linear
    # C's lineage goes back through B to A, but not sideways to D
    assert [g.label_en for g in analysis.lineage(world, KGR.c).generations] == ["A", "B", "C"]


def test_a_succession_in_a_circle_is_bad_input(make_kg):
    world = load(*make_kg({"chips.ttl": BRANCHES}, {"kgraph.ttl": ONTOLOGY}))
    with pytest.raises(InputError, match="goes round in a circle"):
        analysis.lineage(world, KGR.x)


# ------------------------------------------------------------------------------------------------ ranking


def test_a_relation_of_an_entity_with_itself_counts_once_in_its_degree(make_kg):
    """networkx's degree counts a self-loop twice: Graviton, integrating itself, had 4 relations for 3."""
    data = PREFIXES + (
        "src:s { kgr:a a kg:Chip . kgr:b a kg:Chip . kgr:c a kg:Chip .\n"
        "        kgr:a kg:uses kgr:a . kgr:a kg:uses kgr:b . kgr:c kg:uses kgr:a . }"
    )
    scores = analysis.centrality(project(load(*make_kg({"d.trig": data}))), "degree")
    assert scores[str(KGR.a)] == 3.0 and scores[str(KGR.b)] == 1.0


#: One fact, that Acme uses Bed (and Zed uses Bed too), in each wording the ontology allows: as the preferred
#: kg:uses, as its inverse kg:usedBy, both at once; and Acme and Zed partners, stated from one end or from both.
WORDINGS = {
    "uses": "kgr:acme kg:uses kgr:bed .",
    "used by": "kgr:bed kg:usedBy kgr:acme .",
    "both": "kgr:acme kg:uses kgr:bed . kgr:bed kg:usedBy kgr:acme .",
    "partners": "kgr:acme kg:uses kgr:bed . kgr:acme kg:partnerOf kgr:zed .",
    "partners both ways": "kgr:acme kg:uses kgr:bed . kgr:acme kg:partnerOf kgr:zed . kgr:zed kg:partnerOf kgr:acme .",
    # built on is a kind of uses (rdfs:subPropertyOf): stated beside it, uses says nothing more
    "built on": "kgr:acme kg:builtOn kgr:bed .",
    "built on and uses": "kgr:acme kg:builtOn kgr:bed . kgr:acme kg:uses kgr:bed .",
    "built on and used by": "kgr:acme kg:builtOn kgr:bed . kgr:bed kg:usedBy kgr:acme .",
    "built on and related": "kgr:acme kg:builtOn kgr:bed . kgr:bed kg:relatedTo kgr:acme .",
}


def _worded(make_kg, wording: str) -> LoadedGraph:
    data = PREFIXES + (
        "src:s { kgr:acme a kg:Company . kgr:zed a kg:Company . kgr:bed a kg:Service .\n"
        f"        kgr:zed kg:uses kgr:bed . {WORDINGS[wording]} }}"
    )
    data_dir, _ontology_dir = make_kg({"d.trig": data})
    return load(data_dir, default_ontology_dir())  # the real ontology: it marks kg:uses kg:preferredDirection


@pytest.mark.parametrize("by", analysis.MEASURES)
def test_a_fact_ranks_the_same_however_it_is_worded(make_kg, by):
    """PageRank followed the stated direction, so that Acme using Bed, stated as Bed used by Acme, put Acme first
    rather than Bed; a fact stated both ways counted twice in a degree (Bed 3, Acme 2, for 2 and 1)."""

    def scores(wording: str) -> list[tuple[int, str, float]]:
        loaded = _worded(make_kg, wording)
        rows = analysis.ranking(loaded, project(loaded), by=by)
        return [(r.rank, r.node.qname, round(r.score, 9)) for r in rows]

    assert scores("used by") == scores("both") == scores("uses")
    assert scores("partners both ways") == scores("partners")
    assert scores("built on and uses") == scores("built on and used by") == scores("built on") == scores("uses")
    assert scores("built on and related") == scores("built on")
    if by == "degree":
        assert scores("both") == [(1, "kgr:bed", 2.0), (2, "kgr:acme", 1.0), (2, "kgr:zed", 1.0)]


def test_one_per_fact_turns_and_merges_what_is_stated_both_ways(make_kg):
    loaded = _worded(make_kg, "both")
    projection = project(loaded)
    assert projection.number_of_edges() == 3  # the projection keeps what is stated, as stated
    facts = analysis.one_per_fact(loaded, projection)
    assert sorted(facts.edges(keys=True)) == [
        (str(KGR.acme), str(KGR.bed), "kg:uses"),
        (str(KGR.zed), str(KGR.bed), "kg:uses"),
    ]
    assert facts.edges[str(KGR.acme), str(KGR.bed), "kg:uses"]["sections"] == str(SRC.s)
    used_by = _worded(make_kg, "used by")
    turned = analysis.one_per_fact(used_by, project(used_by)).edges[str(KGR.acme), str(KGR.bed), "kg:uses"]
    assert (turned["relation"], turned["label_en"], turned["label_zh"]) == (str(KG.uses), "uses", "使用")
    # nothing to change: the projection itself, not a copy
    stated = _worded(make_kg, "uses")
    as_stated = project(stated)
    assert analysis.one_per_fact(stated, as_stated) is as_stated


def test_one_per_fact_folds_a_relation_into_a_more_specific_one_stated_beside_it(make_kg):
    """A relation stated beside one that implies it between the same two entities (announced at is a kind of
    featured at; featured is featured at from the other end; every relation is a kind of related to) counted twice
    in a degree and weighed double in the communities: X, announced at E and featured at it, had a degree of 4."""
    data = PREFIXES + (
        "src:a { kgr:e a kg:Keynote . kgr:x a kg:Service . kgr:y a kg:Service . kgr:z a kg:Service .\n"
        "        kgr:x kg:announcedAt kgr:e . kgr:y kg:featuredAt kgr:e .\n"
        "        kgr:z kg:builtOn kgr:x . kgr:z kg:trainedOn kgr:x . }\n"
        "src:b { kgr:x kg:featuredAt kgr:e . kgr:e kg:featured kgr:x . kgr:e kg:relatedTo kgr:x .\n"
        "        kgr:z kg:uses kgr:x . }"
    )
    data_dir, _ontology_dir = make_kg({"d.trig": data})
    loaded = load(data_dir, default_ontology_dir())
    x, e, y, z = (key(name) for name in "xeyz")
    assert project(loaded).number_of_edges() == 8  # the projection keeps what is stated, as stated
    for inferred in (False, True):
        facts = analysis.one_per_fact(loaded, project(loaded, include_inferred=inferred))
        # the most specific relation is kept, with the sections of those folded into it; built on and trained on
        # are two facts, neither implying the other, and each has the uses both imply
        assert sorted(facts.edges(keys=True, data="sections")) == [
            (x, e, "kg:announcedAt", f"{SRC.a} {SRC.b}"),
            (y, e, "kg:featuredAt", str(SRC.a)),
            (z, x, "kg:builtOn", f"{SRC.a} {SRC.b}"),
            (z, x, "kg:trainedOn", f"{SRC.a} {SRC.b}"),
        ]
        assert not any(flag for _u, _v, flag in facts.edges(data="inferred"))
    rows = analysis.ranking(loaded, project(loaded))
    assert [(r.node.qname, r.score) for r in rows] == [("kgr:x", 3.0), ("kgr:e", 2.0), ("kgr:z", 2.0), ("kgr:y", 1.0)]
    weights = analysis._simple(analysis.one_per_fact(loaded, project(loaded)))
    assert weights[x][e]["weight"] == 1


def test_one_per_fact_folds_no_stated_relation_into_an_inferred_one(make_kg):
    """With the inferred relations, a relation implied by an inferred one is folded into it only if it is inferred
    too: a stated one would lose its sections, or lend them to what no section states."""
    data = PREFIXES + (
        "src:s { kgr:acme a kg:Company . kgr:aws a kg:Company . kgr:bed a kg:Service .\n"
        "        kgr:bed kg:developedBy kgr:aws . kgr:acme kg:uses kgr:bed . kgr:acme kg:relatedTo kgr:aws . }"
    )
    data_dir, _ontology_dir = make_kg({"d.trig": data})
    loaded = load(data_dir, default_ontology_dir())  # the real ontology, and its rule that infers customer of
    facts = analysis.one_per_fact(loaded, project(loaded, include_inferred=True))
    acme, aws = key("acme"), key("aws")
    assert sorted(facts.get_edge_data(acme, aws).items()) == [
        ("kg:customerOf", {**facts.edges[acme, aws, "kg:customerOf"], "sections": "", "inferred": True}),
        ("kg:relatedTo", {**facts.edges[acme, aws, "kg:relatedTo"], "sections": str(SRC.s), "inferred": False}),
    ]
    assert facts.get_edge_data(aws, acme) is None  # vendor of, and related to from the other end, are folded


def test_a_relation_stated_beside_one_that_implies_it_counts_once_in_the_bundled_data(loaded, projection):
    """AWS Security Agent is announced at the keynote (11) and featured at it (12): one fact, stated twice, the
    second time in general terms. It had a degree of 7 for 6, and weighed double in the communities."""
    agent, keynote = key("aws-security-agent"), key("reinvent-2025-keynote")
    assert set(projection.get_edge_data(agent, keynote)) == {"kg:announcedAt", "kg:featuredAt"}
    facts = analysis.one_per_fact(loaded, projection)
    assert list(facts.get_edge_data(agent, keynote)) == ["kg:announcedAt"]
    assert facts.edges[agent, keynote, "kg:announcedAt"]["sections"] == f"{SRC.closing} {SRC['kiro-agents']}"
    assert facts.number_of_edges() == projection.number_of_edges() - 1
    rows = analysis.ranking(loaded, projection, cls=KG.AIAgent, top=1)
    assert [(r.node.label_en, r.score) for r in rows] == [("AWS Security Agent", 6.0)]


def test_top_products_by_degree(loaded, projection):
    # Stated relations, counted by hand in data/:
    # Amazon Bedrock AgentCore 20: developed by AWS, featured at the keynote (01); Sony uses it (06); part of
    #   Bedrock, integrates 6 frameworks and models (Bedrock's model catalog among them), 7 features are part of
    #   it, Nasdaq, BMS and Workday use it (07).
    # Amazon Bedrock 19: developed by AWS, featured at the keynote (01); 10 models added to it, Nova 2's 5 among
    #   them (04); Sony uses it and Sony's LLM platform is built on it (06); AgentCore is part of it (07); Adobe
    #   uses it and Acrobat Studio's AI assistant is built on it (08); Guardrails and the model catalog are part
    #   of it (09).
    # Amazon Nova 2 7: developed by AWS, announced at the keynote (01); added to Bedrock, 4 members (04).
    # Amazon Nova Forge 7: developed by AWS, announced (01); embodies open training, uses curated data, Novellas
    #   is built on it and Reddit uses it (05); Sony uses it (06).
    # (AWS Security Agent comes next, with 6: developed by AWS, integrates GitHub, announced at the keynote, 3
    #   features are part of it (11); featured at the keynote (12) is announced at it, said in general terms.)
    rows = analysis.ranking(loaded, projection, cls=KG.Product, top=4)
    assert [(r.rank, r.node.label_en, r.score) for r in rows] == [
        (1, "Amazon Bedrock AgentCore", 20.0),
        (2, "Amazon Bedrock", 19.0),
        (3, "Amazon Nova 2", 7.0),
        (3, "Amazon Nova Forge", 7.0),
    ]


def test_top_chip_by_degree(loaded, projection):
    # Trainium3: the six neighbours of test_neighbours_of_trainium3
    rows = analysis.ranking(loaded, projection, cls=KG.Chip, top=1)
    assert [(r.node.label_en, r.score) for r in rows] == [("Trainium3", 6.0)]


def test_no_entity_of_a_class(loaded, projection):
    with pytest.raises(NoAnswerError, match="no entity is a kg:Figure"):
        analysis.ranking(loaded, projection, cls=KG.Figure)


def test_pagerank_matches_networkx_reference_implementation(projection):
    reference = getattr(pagerank_alg, "_pagerank_python", None)
    if reference is None:
        pytest.skip("this networkx has no pure-Python PageRank to compare with")
    expected = reference(projection, tol=1e-13, max_iter=10_000)
    scores = analysis.pagerank(projection, tol=1e-13)
    assert scores.keys() == expected.keys()
    assert max(abs(scores[n] - expected[n]) for n in scores) < 1e-9
    assert abs(sum(scores.values()) - 1) < 1e-9


def test_pagerank_and_betweenness_on_a_small_graph_by_hand():
    # a -> b -> c, plus a second relation a -> b. c is dangling: its rank is spread evenly.
    graph = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    # with d = 0.85 and r = (x, y, z): x = 0.05 + 0.85 z/3, y = 0.05 + 0.85 (x + z/3), z = 0.05 + 0.85 (y + z/3)
    scores = analysis.pagerank(graph)
    x, y, z = scores["a"], scores["b"], scores["c"]
    assert abs(x - (0.05 + 0.85 * z / 3)) < 1e-9
    assert abs(y - (0.05 + 0.85 * (x + z / 3))) < 1e-9
    assert abs(z - (0.05 + 0.85 * (y + z / 3))) < 1e-9
    assert z > y > x
    # b is on the only shortest path between a and c: betweenness 1 (normalised), a and c 0
    assert analysis.centrality(graph, "betweenness") == {"a": 0.0, "b": 1.0, "c": 0.0}
    assert analysis.centrality(graph, "degree") == {"a": 2.0, "b": 3.0, "c": 1.0}


def test_sampled_betweenness_is_seeded_and_exact_when_the_sample_covers_the_graph(projection):
    exact = analysis.centrality(projection, "betweenness")
    assert analysis.centrality(projection, "betweenness", sample=len(projection)) == exact
    estimate = analysis.centrality(projection, "betweenness", sample=30)
    assert estimate == analysis.centrality(projection, "betweenness", sample=30)
    assert estimate != exact
    # AWS stays on top: it lies between most pairs of entities
    assert max(estimate, key=estimate.__getitem__) == key("aws")
    with pytest.raises(InputError, match="sample must be at least 1, not 0"):
        analysis.centrality(projection, "betweenness", sample=0)


def test_unknown_measure(projection):
    with pytest.raises(InputError, match="unknown measure 'fame'"):
        analysis.centrality(projection, "fame")


# ------------------------------------------------------------------------------------------------ communities


def test_communities_cover_every_linked_entity_once(projection):
    found = analysis.communities(projection)
    members = [m.iri for community in found.members for m in community]
    assert len(members) == len(set(members))
    # Fortune 500 (01) and PDF (08) take part in no relation with another entity
    assert [m.label_en for m in found.isolated] == ["Fortune 500", "PDF"]
    assert set(members) | {m.iri for m in found.isolated} == set(projection)
    assert [len(c) for c in found.members] == sorted((len(c) for c in found.members), reverse=True)
    assert 0 < found.modularity < 1


def test_communities_group_what_the_keynote_groups(projection):
    found = analysis.communities(projection)
    community = analysis.community_map(projection)
    # the Trainium generations belong together, as do Sony and its own products and people (06-sony.trig)
    assert community[key("trainium2")] == community[key("trainium3")] == community[key("trainium4")]
    assert community[key("sony")] == community[key("playstation-network")] == community[key("john-kodera")]
    assert sorted(set(community.values())) == list(range(len(found.members)))
    # a community lists its members most linked first
    degree = dict(projection.degree())
    for members in found.members:
        degrees = [degree[member.iri] for member in members]
        assert degrees == sorted(degrees, reverse=True)


def test_communities_are_the_same_on_every_run(projection):
    first = analysis.communities(projection, seed=7)
    assert analysis.communities(projection, seed=7) == first
    assert analysis.communities(project(load()), seed=7) == first


def test_communities_list_their_members_by_degree_as_rank_counts_it(make_kg):
    """networkx's degree counts a relation of an entity with itself twice: A, using itself and B, was
    listed with B's 3 relations, and before B by name."""
    data = PREFIXES + (
        'src:s { kgr:a a kg:Chip ; rdfs:label "A"@en . kgr:b a kg:Chip ; rdfs:label "B"@en .\n'
        '        kgr:c a kg:Company ; rdfs:label "C"@en . kgr:d a kg:Company ; rdfs:label "D"@en .\n'
        "        kgr:a kg:uses kgr:a . kgr:a kg:uses kgr:b . kgr:c kg:uses kgr:b . kgr:d kg:uses kgr:b . }"
    )
    found = analysis.communities(project(load(*make_kg({"d.trig": data}))))
    assert [[m.label_en for m in members] for members in found.members] == [["B", "A", "C", "D"]]


@pytest.mark.parametrize("resolution", [0, -1, float("nan"), float("inf"), 1e308, analysis.MAX_RESOLUTION * 1.5])
def test_resolution_must_be_positive(projection, resolution):
    with pytest.raises(InputError, match="resolution must be more than 0 and at most 1,000,000"):
        analysis.communities(projection, resolution=resolution)


def test_co_usage_on_the_bundled_graph(loaded):
    # The organizations that kg:use a product, by hand: Adobe (P5, P6, SageMaker, Bedrock; 08), Sony (Bedrock,
    # AgentCore, Nova Forge; AWS is a company, not a product; 06), Nasdaq, BMS, Workday (AgentCore; 07), Reddit
    # (Nova Forge; 05), Writer (HyperPod, P5; 09), Amazon (Quick, Kiro; 09, 10), AWS (Graviton; 02), QAD (AWS
    # Transform Custom; 10).
    found = analysis.co_usage(loaded)

    def pairs(shared):
        return {(p.first.label_en, p.second.label_en, tuple(s.label_en for s in p.shared)) for p in shared}

    assert pairs(found.customers) == {
        ("Adobe", "Sony", ("Amazon Bedrock",)),
        ("Adobe", "Writer", ("P5",)),
        ("Bristol-Myers Squibb", "Nasdaq", ("Amazon Bedrock AgentCore",)),
        ("Bristol-Myers Squibb", "Sony", ("Amazon Bedrock AgentCore",)),
        ("Bristol-Myers Squibb", "Workday", ("Amazon Bedrock AgentCore",)),
        ("Nasdaq", "Sony", ("Amazon Bedrock AgentCore",)),
        ("Nasdaq", "Workday", ("Amazon Bedrock AgentCore",)),
        ("Sony", "Workday", ("Amazon Bedrock AgentCore",)),
        ("Reddit", "Sony", ("Amazon Nova Forge",)),
    }
    adobe = ["Amazon Bedrock", "Amazon SageMaker", "P5", "P6"]
    assert pairs(found.products) == {
        *((a, b, ("Adobe",)) for i, a in enumerate(adobe) for b in adobe[i + 1 :]),
        ("Amazon Bedrock", "Amazon Bedrock AgentCore", ("Sony",)),
        ("Amazon Bedrock", "Amazon Nova Forge", ("Sony",)),
        ("Amazon Bedrock AgentCore", "Amazon Nova Forge", ("Sony",)),
        ("AWS HyperPod", "P5", ("Writer",)),
        ("Amazon Quick", "Kiro", ("Amazon",)),
    }


CO_USAGE = (
    PREFIXES
    + """
kgr:acme a kg:Company ; rdfs:label "Acme"@en ; kg:trainedOn kgr:chip-1 ; kg:uses kgr:chip-2 .
kgr:zeta a kg:Company ; rdfs:label "Zeta"@en ; kg:uses kgr:chip-1 , kgr:chip-2 .
kgr:model a kg:AIModel ; rdfs:label "Model"@en ; kg:trainedOn kgr:chip-1 .
kgr:chip-1 a kg:Chip ; rdfs:label "Chip 1"@en .
kgr:chip-2 a kg:Chip ; rdfs:label "Chip 2"@en .
"""
)


def test_co_usage_in_memory_does_not_pair_every_organization_with_every_product(make_kg, monkeypatch):
    """rdflib ran the query's two class patterns first, every organization against every product, then kg:uses
    for each pair: `communities --co-usage` took 107 CPU-seconds on a generated graph of 100k triples (0.9 on its
    store). Counted here as the store's look-ups, which grew as organizations x products."""
    companies = "".join(f"kgr:c{i} a kg:Company ; kg:uses kgr:chip-{i // 2} .\n" for i in range(60))
    chips = "".join(f"kgr:chip-{i} a kg:Chip .\n" for i in range(60))
    world = load(*make_kg({"many.ttl": PREFIXES + companies + chips}))
    calls = 0
    memory = type(world.graph.store)
    original = memory.triples

    def counting(self, *args, **kwargs):
        nonlocal calls
        calls += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(memory, "triples", counting)
    found = analysis.co_usage(world)
    assert len(found.customers) == 30 and found.products == ()  # c0 and c1 share chip-0, and so on
    assert calls < 60 * 60 / 4, calls  # 3,948 before


def test_co_usage_does_not_take_a_maker_for_a_customer_of_its_own_product(make_kg):
    """AWS uses Graviton, which it develops: no customer of it, as the rule that infers kg:customerOf has it, so it
    shares no product with the customers of Graviton."""
    data = PREFIXES + (
        "kgr:maker a kg:Company ; kg:uses kgr:chip .\n"
        "kgr:chip a kg:Chip ; kg:developedBy kgr:maker .\n"
        "kgr:buyer a kg:Company ; kg:uses kgr:chip , kgr:other .\n"
        "kgr:other a kg:Chip .\n"
        "kgr:third a kg:Company ; kg:uses kgr:other .\n"
    )
    found = analysis.co_usage(load(*make_kg({"d.ttl": data})))
    pairs = [(p.first.iri.rsplit("/", 1)[-1], p.second.iri.rsplit("/", 1)[-1]) for p in found.customers]
    assert pairs == [("buyer", "third")]
    products = [(p.first.qname, p.second.qname, [c.qname for c in p.shared]) for p in found.products]
    assert products == [("kgr:chip", "kgr:other", ["kgr:buyer"])]


def test_co_usage_counts_sub_properties_of_uses_and_only_organizations_as_customers(make_kg):
    world = load(*make_kg({"co.ttl": CO_USAGE}))
    found = analysis.co_usage(world)
    # Acme trains on Chip 1 (a kind of use); the model is not an organization, so not a customer
    assert [(p.first.label_en, p.second.label_en, [s.label_en for s in p.shared]) for p in found.customers] == [
        ("Acme", "Zeta", ["Chip 1", "Chip 2"])
    ]
    assert [(p.first.label_en, p.second.label_en, [s.label_en for s in p.shared]) for p in found.products] == [
        ("Chip 1", "Chip 2", ["Acme", "Zeta"])
    ]
