"""The default format of a SELECT's answer, the aligned table: written a thousand lines at a time from the rows
read twice (a list) or held compactly (rows read once as they are evaluated), byte for byte the text that was
built whole before, and without holding that text."""

from __future__ import annotations

import gc
import io
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Mapping

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kgraph.cli import cli
from kgraph.query import Answer, formats, parse, render, run_local
from kgraph.query.answer import Row
from kgraph.query.engine import RowFeed
from kgraph.text import table
from kgraph.vocab import KGR


class OnePass:
    """Rows that can be read once, as :class:`kgraph.query.engine.RowFeed` gives them."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self._rows: Iterator[Row] | None = iter(rows)
        self._read = 0

    def __iter__(self) -> Iterator[Row]:
        rows, self._rows = self._rows, None
        assert rows is not None, "read twice"
        for row in rows:
            self._read += 1
            yield row

    def __len__(self) -> int:
        return self._read


def reference(answer: Answer, labels: formats.Labeler | None, lang: str) -> str:
    """The table as it was built before: every cell's text, then :func:`kgraph.text.table`'s whole text."""
    if answer.kind == "ASK":
        return "yes\n" if answer.boolean else "no\n"
    iris = {value for row in answer.rows for value in row if isinstance(value, URIRef)}
    names = labels(iris, lang) if labels is not None and iris else {}
    shown = {iri: formats._shown(iri, names.get(iri)) for iri in iris}
    rows = [[formats._cell(value, shown) for value in row] for row in answer.rows]
    return table(list(answer.variables), rows)


def labeler(names: Mapping[URIRef, str], calls: list[set[URIRef]] | None = None) -> formats.Labeler:
    def labels(iris: Iterable[URIRef], lang: str) -> dict[URIRef, str]:
        asked = set(iris)
        if calls is not None:
            calls.append(asked)
        return {iri: f"{names[iri]}/{lang}" for iri in asked if iri in names}

    return labels


# Texts that try the table's rules: wide (CJK) and combining characters, control characters and line breaks
# shown as pictures or spaces, white space at a cell's end that the line's end strips.
_TEXT = st.text(st.sampled_from(list('aZ9 -(:\\"\t\n\r\x1b\x07\x85\u2028\u00a0\u3000芯片é\u0301ｱ')), max_size=12)
_IRIS = [KGR["trainium3"], KGR["aws"], URIRef("http://example.org/a#b"), URIRef("urn:x"), KGR["芯片"]]
_TERMS = st.one_of(
    st.none(),
    st.sampled_from(_IRIS),
    st.builds(URIRef, st.sampled_from(["http://example.org/", "http://example.org/x y"])),
    st.builds(BNode, st.sampled_from(["b0", "b1"])),
    st.builds(Literal, _TEXT),
    st.builds(lambda text: Literal(text, lang="zh"), _TEXT),
    st.builds(Literal, st.integers(-1000, 1000)),
    st.builds(lambda text: Literal(text, datatype=XSD.decimal), st.sampled_from(["4.4", "-0.5", "x"])),
)


@st.composite
def answers(draw: st.DrawFn) -> tuple[Answer, dict[URIRef, str]]:
    width = draw(st.integers(0, 4))
    pick = st.sampled_from(["s", "名字", "o", "value", "n", "x"])
    variables = tuple(draw(st.lists(pick, min_size=width, max_size=width, unique=True)))
    rows = draw(st.lists(st.tuples(*[_TERMS] * width), max_size=8))
    names = draw(st.dictionaries(st.sampled_from(_IRIS), _TEXT, max_size=4))
    return Answer("SELECT", variables, rows), names


@given(answers(), st.sampled_from(["en", "zh"]), st.booleans())
@settings(max_examples=300, deadline=None)
@example((Answer("SELECT", ("s",), [(KGR["aws"],)]), {KGR["aws"]: "ends in spaces \u3000 "}), "en", True)
@example((Answer("SELECT", ("a", "b"), []), {}), "en", False)
@example((Answer("SELECT", (), [(), ()]), {}), "en", True)
def test_the_table_is_the_text_built_whole_before(drawn, lang, with_labels):
    answer, names = drawn
    labels = labeler(names) if with_labels else None
    expected = reference(answer, labels, lang)
    assert formats.answer_table(answer, labels, lang) == expected
    assert render(answer, "table", labels=labels, lang=lang) == expected.encode("utf-8")
    once = Answer("SELECT", answer.variables, OnePass(answer.rows))
    assert render(once, "table", labels=labels, lang=lang) == expected.encode("utf-8")
    assert len(once.rows) == len(answer.rows)


def test_the_table_writes_numbers_as_their_literals():
    """Not grouped as ``kgraph show`` groups a figure's value: a column may hold a year or an identifier (2025 is
    no 2,025), and a value is copied from the table into a query as it is (README)."""
    row = (Literal(132000000000), Literal(2025), Literal("12345.678", datatype=XSD.decimal), Literal(1.5e10))
    answer = Answer("SELECT", ("n", "year", "x", "d"), [row])
    assert formats.answer_table(answer, None, "en").splitlines()[-1].split() == [
        "132000000000",
        "2025",
        "12345.678",
        "15000000000.0",
    ]


@pytest.mark.parametrize("boolean", [True, False])
def test_an_ask_answer_is_yes_or_no(boolean):
    assert render(Answer("ASK", boolean=boolean), "table") == (b"yes\n" if boolean else b"no\n")


@pytest.mark.parametrize("once", [False, True])
def test_the_labels_are_asked_for_once_for_every_iri_of_the_answer(once):
    rows = [(_IRIS[i % len(_IRIS)], Literal(i)) for i in range(3 * len(_IRIS))]
    calls: list[set[URIRef]] = []
    answer = Answer("SELECT", ("s", "n"), OnePass(rows) if once else rows)
    text = render(answer, "table", labels=labeler({_IRIS[0]: "Trainium3"}, calls))
    assert calls == [set(_IRIS)]
    assert text.decode().count("Trainium3/en (kgr:trainium3)") == 3


def written_in_pieces(answer: Answer, fmt: str) -> tuple[bytes, list[bytes]]:
    """What ``kgraph.query.formats.write`` writes of ``answer`` in the format ``fmt``: whole, and each piece it wrote
    at once."""
    writes: list[bytes] = []

    class Out(io.BytesIO):
        def write(self, data):  # type: ignore[no-untyped-def, override]
            writes.append(bytes(data))
            return super().write(data)

    out = Out()
    formats.write(answer, fmt, out)
    return out.getvalue(), writes


def test_a_table_of_thousands_of_rows_is_written_in_pieces():
    rows = [(URIRef(f"http://example.org/{i}"), Literal(i)) for i in range(2500)]
    whole, writes = written_in_pieces(Answer("SELECT", ("s", "n"), rows), "table")
    assert whole == reference(Answer("SELECT", ("s", "n"), rows), None, "en").encode()
    assert len(writes) > 2
    assert max(len(piece) for piece in writes) < len(whole) / 2


# ------------------------------------------------------------------------------------------ memory


class Discard:
    """An output that keeps nothing but the count of bytes written."""

    def __init__(self) -> None:
        self.written = 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        return len(data)


_LABELS = {iri: f"{iri.rsplit('/', 1)[-1]} with a long label, as many have" * 2 for iri in _IRIS}


def _rows(count: int) -> list[Row]:
    """Rows of a few IRIs (with long labels) and one literal each, the terms shared: the rows, made before
    memory is traced, take none of it."""
    literals = [Literal(f"some text {i}") for i in range(10)]
    return [(_IRIS[i % 5], _IRIS[(i // 5) % 5], literals[i % 10]) for i in range(count)]


def grown_writing(
    rows: Callable[[int], list[Row]], once: bool, fmt: str, names: Mapping[URIRef, str] | None = None
) -> tuple[int, int]:
    """``rows(2000)``, then four times as many, held as a list or (``once``) read once, each written in ``fmt``
    (labelled from ``names`` where given): how much the peak of memory grows, and how much the text."""
    small, large = rows(2000), rows(8000)
    make = OnePass if once else list
    small_peak, small_bytes = _peak(Answer("SELECT", ("a", "b", "c"), make(small)), fmt, names)
    large_peak, large_bytes = _peak(Answer("SELECT", ("a", "b", "c"), make(large)), fmt, names)
    return large_peak - small_peak, large_bytes - small_bytes


def _peak(answer: Answer, fmt: str, names: Mapping[URIRef, str] | None) -> tuple[int, int]:
    """The peak of memory allocated while ``answer`` is written in ``fmt``, and the bytes written."""
    out = Discard()
    gc.collect()
    tracemalloc.start()
    try:
        labels = None if names is None else labeler(names)
        formats.write(answer, fmt, out, labels=labels)  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, out.written


@pytest.mark.parametrize("once", [False, True])
def test_writing_the_table_does_not_hold_its_text(once):
    """Four times the rows: the peak grows by much less than the text (the text, its lines and its bytes were held
    whole: more than three times it). Rows held as a list are read twice and held no more; rows read once are
    held as a tuple each, an IRI's cells sharing one object."""
    grown, text = grown_writing(_rows, once, "table", _LABELS)
    assert text > 6000 * 150  # lines of two long labels
    assert grown < (0.75 if once else 0.1) * text, (grown, text)


# ------------------------------------------------------------------------------------------ the command


_QUERIES = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label ?s",  # sorted by kgraph, held whole
    "SELECT ?type (COUNT(?x) AS ?n) WHERE { ?x a ?type } GROUP BY ?type ORDER BY DESC(?n) ?type",
    "SELECT ?x WHERE { ?x a kg:NoSuchClass }",
    "ASK { ?s ?p ?o }",
]


@pytest.mark.parametrize("text", _QUERIES)
def test_the_command_writes_the_table_of_the_rows_as_they_are_evaluated(store_dir, text, monkeypatch):
    """``kgraph query``'s table takes the rows as they are evaluated, read once, and writes the table of the
    whole answer, on a store as in memory."""
    from kgraph import persist  # noqa: PLC0415

    stored = persist.open_store(store_dir)
    listed = run_local(stored, parse(text))
    labels = formats.graph_labels(stored.graph)
    for lang in ("en", "zh"):
        expected = reference(listed, labels, lang).encode("utf-8")
        streamed = run_local(stored, parse(text), stream=True)
        if streamed.kind == "SELECT":
            assert isinstance(streamed.rows, RowFeed)
        assert render(streamed, "table", labels=labels, lang=lang) == expected
        args = ["--store", str(store_dir), "query", text, "--lang", lang]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.stdout_bytes == expected


def test_the_command_reads_the_rows_of_a_table_as_they_are_evaluated(store_dir, monkeypatch):
    streamed: list[bool] = []
    real = run_local

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        streamed.append(kwargs.get("stream", False))
        return real(*args, **kwargs)

    monkeypatch.setattr("kgraph.query.run_local", spy)
    result = CliRunner().invoke(cli, ["--store", str(store_dir), "query", _QUERIES[0]], catch_exceptions=False)
    assert result.exit_code == 0
    assert streamed == [True]


def test_on_a_terminal_the_progress_line_is_cleared_as_the_table_is_first_written():
    """The table's rows are read (and progress reported) before its first line: the progress line on the same
    terminal is cleared then, not as the first rows come."""
    from kgraph import cli_query  # noqa: PLC0415

    cleared: list[float] = []
    ready = cli_query._cleared(lambda seconds, _rows: cleared.append(seconds), table=True)
    out = io.BytesIO()
    written = ready(out)
    assert cleared == []
    written.write(b"s\n")
    written.write(b"-\n")
    assert cleared == [-1]
    assert out.getvalue() == b"s\n-\n"
    cli_query._cleared(lambda seconds, _rows: cleared.append(seconds), table=False)  # JSON, TSV...: at once
    assert cleared == [-1, -1]


def test_the_labels_of_a_store_are_looked_up_a_batch_at_a_time(store_dir, monkeypatch):
    """The labels of a large answer's IRIs: asked of the store a batch at a time, only the one chosen of each
    kept, under the caller's own IRI (not a copy of each made by the store)."""
    from kgraph import persist  # noqa: PLC0415

    stored = persist.open_store(store_dir)
    iris = [URIRef(str(s)) for s in set(stored.graph.subjects()) if isinstance(s, URIRef)][:40]
    whole = formats.graph_labels(stored.graph)(iris, "zh")
    asked: list[int] = []
    native = type(stored.graph.store).label_texts

    def spy(self, batch):  # type: ignore[no-untyped-def]
        batch = list(batch)
        asked.append(len(batch))
        return native(self, batch)

    monkeypatch.setattr(type(stored.graph.store), "label_texts", spy)
    monkeypatch.setattr(formats, "_LABEL_BATCH", 7)
    found = formats.graph_labels(stored.graph)(iris, "zh")
    assert found == whole and len(found) > 7
    assert asked == [7] * (len(iris) // 7) + ([len(iris) % 7] if len(iris) % 7 else [])
    mine = {id(iri) for iri in iris}
    assert all(id(iri) in mine for iri in found)
