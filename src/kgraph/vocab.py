"""Namespaces, prefixes and the IRIs of the named graphs kgraph builds."""

from __future__ import annotations

import os
from types import MappingProxyType
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.graph import Graph
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, NamespaceManager

KG = Namespace("https://w3id.org/kgraph/ontology#")
KGR = Namespace("https://w3id.org/kgraph/resource/")
KGF = Namespace("https://w3id.org/kgraph/figure/")
SRC = Namespace("https://w3id.org/kgraph/source/reinvent-2025-keynote/")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
#: The namespace of the hand-written and derived SHACL shapes.
KGSH = Namespace("https://w3id.org/kgraph/shapes#")
GRAPH = Namespace("https://w3id.org/kgraph/graph/")

#: Prefix -> namespace, bound in every graph kgraph makes and declared for users' SPARQL queries.
PREFIXES: MappingProxyType[str, Namespace] = MappingProxyType(
    {
        "kg": KG,
        "kgr": KGR,
        "kgf": KGF,
        "src": SRC,
        "rdf": Namespace(str(RDF)),
        "rdfs": Namespace(str(RDFS)),
        "owl": Namespace(str(OWL)),
        "xsd": Namespace(str(XSD)),
        "schema": SCHEMA,
        "prov": Namespace(str(PROV)),
        "dcterms": Namespace(str(DCTERMS)),
        "skos": Namespace(str(SKOS)),
    }
)

#: The graph holding every triple the inference adds (and nothing that is asserted).
INFERRED_GRAPH = URIRef(GRAPH["inferred"])
#: The graph holding the ontology (classes, properties, individuals such as units).
ONTOLOGY_GRAPH = URIRef(GRAPH["ontology"])
#: The graph of the source document and its sections (written by data/00-source.trig).
SOURCE_GRAPH = URIRef(SRC["document"])


def file_graph(file_name: str) -> URIRef:
    """The graph a plain Turtle/N-Triples data file (or a TriG file's default graph) goes into: the file name
    percent-encoded but for letters, digits and ``-._~`` (a space, a ``#`` or a Chinese character in a name would
    make an IRI no store accepts, or another one)."""
    return URIRef(GRAPH["file/"] + quote(os.fsencode(file_name), safe=""))


def bind_prefixes(graph: Graph) -> None:
    """Bind :data:`PREFIXES` (and nothing else) on ``graph``."""
    manager = NamespaceManager(graph, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace, override=True, replace=True)
    graph.namespace_manager = manager


def sparql_prologue() -> str:
    """``PREFIX`` lines for every entry of :data:`PREFIXES`, for users writing queries."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
