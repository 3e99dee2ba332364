"""Turtle and JSON-LD written from a graph answer's sorted N-Triples lines (kgraph.query.graphtext): the same
triples read back by rdflib and by Oxigraph, the project's shapes, the same bytes each time, memory that does not
grow with the answer."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from kgraph.export.rdf import json_ld
from kgraph.query import graphtext, parse, render, run_local
from kgraph.query.formats import render_graph
from kgraph.query.ntriples import nt_line
from kgraph.vocab import KG, KGR

R, K, X, RDF_ = str(KGR), str(KG), str(XSD), str(RDF)

#: N-Triples lines that need care in Turtle or JSON-LD (as text: rdflib would normalise ``"01"^^xsd:integer``).
TRICKY = f"""
<{R}a> <{RDF_}type> <{K}Chip> .
<{R}a> <{RDF_}type> <{K}Product> .
<{R}a> <{K}n> "01"^^<{X}integer> .
<{R}a> <{K}n> "-5"^^<{X}integer> .
<{R}a> <{K}n> "1.50"^^<{X}decimal> .
<{R}a> <{K}n> "1e3"^^<{X}double> .
<{R}a> <{K}n> "NaN"^^<{X}double> .
<{R}a> <{K}n> "1"^^<{X}boolean> .
<{R}a> <{K}n> "true"^^<{X}boolean> .
<{R}a> <{K}n> "abc"^^<{X}integer> .
<{R}a> <{K}n> "x"^^<{X}string> .
<{R}a> <{K}n> "z"^^<http://example.org/my%20type> .
<{R}a> <{K}text> "line one\\nline two\\r\\n\\"quoted\\" \\\\ back\ttab" .
<{R}a> <{K}text> "Trainium 芯片 é"@zh-Hans .
<{R}a> <{K}text> "colour"@en-GB .
<{R}a> <{K}text> "{"long " * 3000}" .
<{R}a> <{K}text> "" .
<{R}a> <{K}rel> _:b1 .
<{R}a> <{K}rel> <{R}> .
<{R}a> <{K}rel> <{R}a/b#c> .
<{R}a> <{K}rel> <{R}ends-with.> .
<{R}a> <{K}rel> <{R}x,y(z)~%41> .
<{R}a> <{K}rel> <{R}2025-12-02.v1> .
<{R}a> <{K}rel> <{R}Ärger> .
<{R}a> <{K}rel> <urn:isbn:0451450523> .
<{R}a> <http://example.org/p?q=1&r=2> <http://example.org/o#> .
<{R}a> <{RDF_}type> _:b2 .
<{R}list> <{K}items> _:l1 .
_:b1 <{K}label> "a blank node" .
_:b1 <{K}next> _:b1 .
_:l1 <{RDF_}first> "one" .
_:l1 <{RDF_}rest> _:l2 .
_:l2 <{RDF_}first> "two" .
_:l2 <{RDF_}rest> <{RDF_}nil> .
"""


def _lines(text: str) -> list[bytes]:
    return sorted({line.encode("utf-8") for line in text.strip().splitlines()})


def _written(fmt: str, lines: list[bytes]) -> bytes:
    out = io.BytesIO()
    (graphtext.write_turtle if fmt == "turtle" else graphtext.write_json_ld)(iter(lines), out)
    return out.getvalue()


def _oxigraph(data: bytes, media_type: str) -> set[str]:
    """The triples Oxigraph reads, as N-Triples text (Oxigraph keeps literals' text and blank nodes' labels)."""
    return {str(triple) for triple in ox.parse(data, format=ox.RdfFormat.from_media_type(media_type))}


@pytest.mark.parametrize(("fmt", "media_type"), [("turtle", "text/turtle"), ("json-ld", "application/ld+json")])
def test_tricky_terms_read_back_as_the_same_triples(fmt, media_type):
    lines = _lines(TRICKY)
    nt = b"".join(line + b"\n" for line in lines)
    written = _written(fmt, lines)
    assert _oxigraph(written, media_type) == _oxigraph(nt, "application/n-triples")
    assert isomorphic(Graph().parse(data=written, format=fmt), Graph().parse(data=nt, format="nt"))
    assert _written(fmt, lines) == written  # the same bytes each time


def test_turtle_writes_a_block_a_subject_with_the_project_prefixes():
    text = _written("turtle", _lines(TRICKY)).decode("utf-8")
    assert text.startswith("@prefix dcterms: <http://purl.org/dc/terms/> .\n")
    assert "@prefix kgr: <https://w3id.org/kgraph/resource/> .\n" in text
    blocks = text.split("\n\n")[1:]
    assert [block.split(" ", 1)[0] for block in blocks] == ["kgr:a", "kgr:list", "_:b1", "_:l1", "_:l2"]
    assert blocks[0].startswith(
        "kgr:a <http://example.org/p?q=1&r=2> <http://example.org/o#> ;\n    a kg:Chip,\n        kg:Product,\n"
        "        _:b2 ;\n    kg:n "
    )
    assert blocks[0].endswith(" .") and blocks[-1].endswith(" .\n")
    for short in ("01,", "-5,", "1.50,", "1e3,", "true,", '"NaN"^^xsd:double', '"1"^^xsd:boolean'):
        assert short in text
    for iri in ("kgr:2025-12-02.v1", "<https://w3id.org/kgraph/resource/ends-with.>", "<urn:isbn:0451450523>"):
        assert iri in text
    assert "<https://w3id.org/kgraph/resource/x,y(z)~%41>" in text
    assert "<https://w3id.org/kgraph/resource/Ärger>" in text  # a reader may not take non-ASCII local names


def test_an_empty_graph_is_the_prefixes_alone_and_an_empty_json_ld_graph():
    assert Graph().parse(data=_written("turtle", []), format="turtle").__len__() == 0
    assert _written("json-ld", []) == json_ld(Graph())


def _graph(text: str) -> Graph:
    return Graph().parse(data=text, format="nt")


def test_json_ld_has_the_shape_of_the_project_json_ld():
    """Nodes whose order by IRI is their order by compacted name: the very bytes of kgraph.export.rdf.json_ld; else
    the same nodes, in the order of their lines (blank nodes last)."""
    for text in (
        "",
        '<https://w3id.org/kgraph/resource/a> <https://w3id.org/kgraph/ontology#p> "x" .',
        "\n".join(
            line
            for line in TRICKY.split(f"<{R}list>", maxsplit=1)[0].splitlines()
            if "_:" not in line  # rdflib's converter gives a node to a blank node that is only an object
        ),
    ):
        graph = _graph(text)
        assert render_graph(graph, "json-ld") == json_ld(graph), text[:200]
    graph = _graph(f'<{R}a> <{K}p> _:b .\n_:b <{K}p> "x"@en .\n<{R}b> <{K}p> <{R}a> .')
    written, before = json.loads(render_graph(graph, "json-ld")), json.loads(json_ld(graph))
    assert [node["@id"][:2] for node in written["@graph"]] == ["kg", "kg", "_:"]
    assert [node["@id"][:2] for node in before["@graph"]] == ["_:", "kg", "kg"]
    assert sorted(written.pop("@graph"), key=str) == sorted(before.pop("@graph"), key=str)
    assert written == before


def test_json_ld_writes_lists_and_blank_objects_as_their_triples():
    """What rdflib's converter finds in the whole graph, a writer of one subject at a time cannot: an RDF list is
    its rdf:first/rdf:rest nodes, not an @list; the same triples."""
    graph = _graph(TRICKY.replace('"01"', '"1"').replace('"-5"', '"5"'))
    written = render_graph(graph, "json-ld")
    assert b'"@list"' not in written
    assert isomorphic(Graph().parse(data=written, format="json-ld"), graph)


def test_a_graph_and_its_streamed_answer_give_the_same_bytes(loaded):
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a kg:Chip ; ?p ?o }"
    graph = run_local(loaded, parse(text)).graph
    assert graph is not None and len(graph) > 0
    for fmt in ("turtle", "json-ld", "nt"):
        answer = run_local(loaded, parse(text), stream=True)
        try:
            assert render(answer, fmt) == render_graph(graph, fmt), fmt
            assert answer.size == len(graph)
        finally:
            answer.close()
    turtle = render_graph(graph, "turtle")
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), graph)
    assert isomorphic(Graph().parse(data=render_graph(graph, "json-ld"), format="json-ld"), graph)
    assert f"{KGR['trainium3'].n3()} " not in turtle.decode()  # prefixed names, not IRIs
    assert b"\nkgr:trainium3 a " in turtle


def test_the_lines_of_an_rdflib_graph_read_back_as_it(loaded):
    """Whatever rdflib put in the bundled graph reads back the same from Turtle and JSON-LD."""
    graph = loaded.graph
    for fmt in ("turtle", "json-ld"):
        out = io.BytesIO()
        lines = sorted({nt_line(triple) for triple in graph})
        (graphtext.write_turtle if fmt == "turtle" else graphtext.write_json_ld)(iter(lines), out)
        back = Graph().parse(data=out.getvalue(), format=fmt)
        assert len(back) == len(graph), fmt
        assert isomorphic(back, graph), fmt


def _synthetic(subjects: int) -> Iterator[bytes]:
    """Sorted lines of ``subjects`` subjects, four triples each, made as they are read."""
    for i in range(subjects):
        s = f"<https://w3id.org/kgraph/resource/s{i:08d}>".encode()
        yield s + b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kgraph/ontology#Chip> ."
        yield s + b' <https://w3id.org/kgraph/ontology#n> "%d"^^<http://www.w3.org/2001/XMLSchema#integer> .' % i
        yield s + b" <https://w3id.org/kgraph/ontology#next> <https://w3id.org/kgraph/resource/s%08d> ." % (i + 1)
        yield s + b' <https://w3id.org/kgraph/ontology#text> "%s"@en .' % (b"text %d " % i * 5)


class _Sink(io.RawIOBase):
    """An output that counts the bytes and keeps none."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self.size += len(data)
        return len(data)


@pytest.mark.parametrize("writer", [graphtext.write_turtle, graphtext.write_json_ld])
def test_the_memory_does_not_grow_with_the_answer(writer):
    peaks = []
    for subjects in (5_000, 20_000):
        sink = _Sink()
        tracemalloc.start()
        try:
            writer(_synthetic(subjects), sink)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert sink.size > subjects * 100
    # Four times the answer (megabytes more written): the peak stays where it was.
    assert peaks[1] < peaks[0] * 1.2 + 100_000, peaks


def test_an_iri_with_a_prefix_namespace_inside_takes_the_longest():
    names = graphtext._TurtleNames()
    assert names.node(f"<{KG}Chip>") == "kg:Chip"
    assert names.node(f"<{XSD}integer>") == "xsd:integer"
    assert names.predicate(f"<{RDF.type}>") == "a"
    assert names.object(f'"5"^^<{XSD}integer>') == "5"
    assert names.object(Literal("x", lang="en").n3()) == '"x"@en'
    assert names.node(BNode("b").n3()) == "_:b"
    assert names.node(URIRef("https://w3id.org/kgraph/source/reinvent-2025-keynote/s1").n3()) == "src:s1"
