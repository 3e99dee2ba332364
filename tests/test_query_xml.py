"""SELECT and ASK answers as *SPARQL Query Results XML*: written a thousand rows at a time as the rows are read,
byte for byte the document ElementTree built whole before, and without holding the answer or its text."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from kgraph.cli import cli
from kgraph.query import Answer, parse, render, run_local
from kgraph.query.answer import Row
from kgraph.query.engine import RowFeed
from kgraph.text import xml_carriage_returns, xml_text
from kgraph.vocab import KGR
from test_query_table import OnePass, grown_writing, written_in_pieces  # rows read once; the writers measured

_SPARQL_XML = "http://www.w3.org/2005/sparql-results#"


def reference(answer: Answer) -> bytes:
    """The XML as it was built before: an ElementTree of the whole answer, then its text (the old ``_xml``)."""
    root = ElementTree.Element("sparql", {"xmlns": _SPARQL_XML})
    head = ElementTree.SubElement(root, "head")
    if answer.kind == "ASK":
        ElementTree.SubElement(root, "boolean").text = "true" if answer.boolean else "false"
    else:
        for name in answer.variables:
            ElementTree.SubElement(head, "variable", {"name": name})
        results = ElementTree.SubElement(root, "results")
        for row in answer.rows:
            result = ElementTree.SubElement(results, "result")
            for name, value in zip(answer.variables, row, strict=True):
                if value is not None:
                    binding = ElementTree.SubElement(result, "binding", {"name": name})
                    _reference_term(binding, value)
    text = xml_carriage_returns(ElementTree.tostring(root, encoding="unicode"))
    return f'<?xml version="1.0" encoding="utf-8"?>\n{text}\n'.encode()


def _reference_term(binding: ElementTree.Element, term: Identifier) -> None:
    if isinstance(term, URIRef):
        ElementTree.SubElement(binding, "uri").text = str(term)
    elif isinstance(term, BNode):
        ElementTree.SubElement(binding, "bnode").text = str(term)
    else:
        assert isinstance(term, Literal)
        attributes = {}
        if term.language:
            attributes["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            attributes["datatype"] = str(term.datatype)
        ElementTree.SubElement(binding, "literal", attributes).text = xml_text(str(term))


# Texts that try the escaping: markup characters and "]]>", CJK and combining marks, characters XML forbids
# (written as U+FFFD), line breaks (CR as a reference), U+2028, U+0085, tabs, a lone surrogate (forbidden too).
_CHARS = list("aZ9 &<>\"']!-:#/\\\t\n\r\x00\x07\x1b\x7f\x85\u2028\u2029\ufffe\uffff\ud800\udfff芯片é\u0301ｱ\U0001f600")
_TEXT = st.text(st.sampled_from(_CHARS), max_size=12) | st.sampled_from(["]]>", "a]]>b", "&amp;", "\r\n", "", "0"])
_IRIS = [KGR["trainium3"], URIRef("http://example.org/a#b?x=1&y=<2>"), URIRef("urn:x"), KGR["芯片"], URIRef("")]
_TERMS = st.one_of(
    st.none(),
    st.sampled_from(_IRIS),
    st.builds(URIRef, st.sampled_from(["http://example.org/x y", "http://example.org/\r\n\t", "]]>"])),
    st.builds(BNode, st.sampled_from(["b0", "n1e7", "x&y"])),
    st.builds(Literal, _TEXT),
    st.builds(lambda text, lang: Literal(text, lang=lang), _TEXT, st.sampled_from(["en", "zh", "zh-Hans", "x-a"])),
    st.builds(Literal, st.integers(-1000, 1000)),
    st.builds(Literal, st.sampled_from([False, True, 0.0, 1.5])),
    st.builds(
        lambda text, datatype: Literal(text, datatype=datatype),
        _TEXT,
        st.sampled_from([XSD.decimal, XSD.string, XSD.duration, URIRef('http://example.org/t?a=1&b="2"')]),
    ),
)
_NAMES = st.sampled_from(["s", "名字", "o", "value_1", "n", "x"])


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    if draw(st.integers(0, 9)) == 0:
        return Answer("ASK", boolean=draw(st.booleans()))
    width = draw(st.integers(0, 4))
    variables = tuple(draw(st.lists(_NAMES, min_size=width, max_size=width, unique=True)))
    rows = draw(st.lists(st.tuples(*[_TERMS] * width), max_size=8))
    return Answer("SELECT", variables, rows)


@given(answers())
@settings(max_examples=400, deadline=None)
@example(Answer("ASK", boolean=True))
@example(Answer("ASK", boolean=False))
@example(Answer("SELECT", ("a", "b"), []))
@example(Answer("SELECT", (), []))
@example(Answer("SELECT", (), [(), ()]))
@example(Answer("SELECT", ("a", "b"), [(None, None)]))
@example(Answer("SELECT", ("a",), [(Literal(""),), (Literal("", lang="en"),), (Literal(0),), (Literal(False),)]))
@example(Answer("SELECT", ("a",), [(Literal("a\r\nb]]>&<>\"'\x00\ud800\u2028"),), (BNode("b0"),)]))
def test_the_xml_is_the_document_built_whole_before(answer):
    expected = reference(answer)
    assert render(answer, "xml") == expected
    if answer.kind == "SELECT":
        once = Answer("SELECT", answer.variables, OnePass(answer.rows))
        assert render(once, "xml") == expected


@pytest.mark.parametrize(
    "term",
    [URIRef("http://example.org/\ud800"), BNode("b\udfff"), Literal("x", datatype=URIRef("urn:\ud800"))],
)
def test_a_lone_surrogate_outside_a_literal_s_text_fails_as_before(term):
    """A literal's text has its lone surrogates written as U+FFFD; an IRI, a blank node or a datatype has none
    once read from a store or a file, and one made in Python fails to encode, as it did."""
    answer = Answer("SELECT", ("a",), [(term,)])
    with pytest.raises(UnicodeEncodeError):
        reference(answer)
    with pytest.raises(UnicodeEncodeError):
        render(answer, "xml")


def test_thousands_of_rows_are_written_in_pieces():
    rows = [(URIRef(f"http://example.org/{i}"), Literal(i)) for i in range(2500)]
    whole, writes = written_in_pieces(Answer("SELECT", ("s", "n"), rows), "xml")
    assert whole == reference(Answer("SELECT", ("s", "n"), rows))
    assert len(writes) == 3
    assert max(len(piece) for piece in writes) < len(whole) / 2


# ------------------------------------------------------------------------------------------ memory


def _rows(count: int) -> list[Row]:
    """Rows of a few IRIs and literals, the terms shared: the rows, made before memory is traced, take none of it."""
    iris = [KGR[f"entity-{i}"] for i in range(5)]
    literals = [Literal(f"some text {i}", lang="en") for i in range(10)]
    return [(iris[i % 5], iris[(i // 5) % 5], literals[i % 10]) for i in range(count)]


@pytest.mark.parametrize("once", [False, True])
def test_writing_the_xml_does_not_hold_the_answer_or_its_text(once):
    """Four times the rows: the peak grows by much less than the text (an element of every row, term and binding,
    then the whole text and its bytes, were held: several times it)."""
    grown, text = grown_writing(_rows, once, "xml")
    assert text > 6000 * 200
    assert grown < 0.1 * text, (grown, text)


# ------------------------------------------------------------------------------------------ the command


_QUERIES = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label ?s",
    "SELECT ?x ?y WHERE { ?x a kg:Chip OPTIONAL { ?x kg:nothing ?y } }",
    "SELECT ?x WHERE { ?x a kg:NoSuchClass }",
    "ASK { ?s ?p ?o }",
    "ASK { ?s kg:nothing ?o }",
]


@pytest.mark.parametrize("text", _QUERIES)
def test_the_command_writes_the_xml_of_the_rows_as_they_are_evaluated(store_dir, text, monkeypatch):
    """``kgraph query --format xml`` takes the rows as they are evaluated, read once, and writes the document of
    the whole answer as it was built before."""
    from kgraph import persist  # noqa: PLC0415

    stored = persist.open_store(store_dir)
    listed = run_local(stored, parse(text))
    expected = reference(listed)
    streamed_flags: list[bool] = []
    real = run_local

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        streamed_flags.append(kwargs.get("stream", False))
        answer = real(*args, **kwargs)
        if answer.kind == "SELECT":
            assert isinstance(answer.rows, RowFeed)
        return answer

    monkeypatch.setattr("kgraph.query.run_local", spy)
    result = CliRunner().invoke(cli, ["--store", str(store_dir), "query", text, "--format", "xml"])
    assert result.exit_code == (1 if listed.kind == "ASK" and not listed.boolean else 0), result.stderr
    assert streamed_flags == [True]
    assert result.stdout_bytes == expected
