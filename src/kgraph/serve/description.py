"""The service description of ``/sparql`` (W3C, *SPARQL 1.1 Service Description*): what a client learns from a
``GET`` of the endpoint without a query, which the recommendation says a service should answer with one (section 2).

It says where the endpoint is, that it answers SPARQL 1.1 queries (no updates), in which result formats, that its
default graph is the union of its named graphs, and which graphs it holds: the default graph with its triples, and
each named graph by name. Its nodes are blank nodes with fixed labels, so that the same graph is described in the
same bytes every time.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

#: The namespace of the Service Description vocabulary.
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
#: The namespace of the W3C's names of formats (``formats:Turtle``), which ``sd:resultFormat`` takes.
FORMATS = Namespace("http://www.w3.org/ns/formats/")
#: VoID, for the number of triples of a graph.
VOID = Namespace("http://rdfs.org/ns/void#")

#: The W3C name of each format the server answers in (:data:`kgraph.serve.negotiate.CONTENT_TYPES`).
RESULT_FORMATS = {
    "json": FORMATS.SPARQL_Results_JSON,
    "xml": FORMATS.SPARQL_Results_XML,
    "csv": FORMATS.SPARQL_Results_CSV,
    "tsv": FORMATS.SPARQL_Results_TSV,
    "turtle": FORMATS.Turtle,
    "nt": FORMATS["N-Triples"],
    "json-ld": FORMATS["JSON-LD"],
    "rdf+xml": FORMATS.RDF_XML,
}


def describe(endpoint: str, triples: int, graph_names: Iterable[URIRef]) -> Graph:
    """The description of the endpoint at ``endpoint`` whose default graph has ``triples`` triples, the union of the
    named graphs ``graph_names``."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    graph.bind("void", VOID)
    service, dataset, default = BNode("service"), BNode("dataset"), BNode("default-graph")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS.values():
        graph.add((service, SD.resultFormat, name))
    # The default graph is the union of the named graphs (without FROM or default-graph-uri). Not a feature: it
    # never fetches a graph by its name (sd:DereferencesURIs), nor runs a SERVICE (sd:BasicFederatedQuery).
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(triples, datatype=XSD.integer)))
    names = sorted(graph_names)
    width = len(str(len(names)))
    for index, name in enumerate(names):
        named = BNode(f"named-graph-{index + 1:0{width}}")  # numbered so that they sort as they are numbered
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, name))
    return graph
