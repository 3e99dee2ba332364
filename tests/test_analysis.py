"""The networkx projection of the bundled graph."""

from __future__ import annotations

from rdflib.namespace import RDF

from kgraph.analysis import project
from kgraph.store import LoadedGraph
from kgraph.vocab import KG, KGR


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


def test_projection_is_deterministic(loaded: LoadedGraph) -> None:
    first, second = project(loaded), project(loaded)
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(keys=True, data=True)) == list(second.edges(keys=True, data=True))
