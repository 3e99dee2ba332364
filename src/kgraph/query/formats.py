"""Answers as text: the W3C SPARQL 1.1 result formats, RDF for graphs, and an aligned table for people.

- ``csv``: *SPARQL 1.1 Query Results CSV and TSV Formats*, written here a row at a time, byte for byte as
  rdflib's serializer writes it (which builds the whole answer first).
- ``xml``: *SPARQL Query Results XML Format*, written here a thousand rows at a time (rdflib's serializer loses
  ``false`` and ``0``), byte for byte as ElementTree wrote the whole answer before.
- ``tsv``: written here (rdflib has a TSV parser but no serializer): a ``?var`` header, then each term in SPARQL
  syntax (``<iri>``, ``"text"@en``, ``4.4``, ``"PT5M"^^<...#duration>``), tabs and line breaks escaped.
- ``json``: *SPARQL 1.1 Query Results JSON Format*, written here with ``head`` first and non-ASCII text as is.
- ``table``: columns lined up (Chinese counts two columns a character), an IRI shown as its label and prefixed
  name, ``Trainium3 (kgr:trainium3)``, with the label in English or Chinese; written a thousand lines at a time
  from the rows read twice, or held as compactly as it can be written from them (:func:`_table`).
- CONSTRUCT and DESCRIBE: ``turtle``, ``nt`` (N-Triples, lines sorted, each once) or ``json-ld`` (the project's
  prefixes as its context); the same graph gives the same bytes. A graph answer evaluated streamed comes as
  :class:`~kgraph.query.ntriples.SortedLines` (sorted in temporary files past a size), never held whole; Turtle
  and JSON-LD are written from those lines as they come (:mod:`kgraph.query.graphtext`), as is a graph held
  whole (an endpoint's answer, ``kgraph serve``'s), from its sorted lines.

CSV and TSV are defined for SELECT only; an ASK answer is a table, JSON or XML.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO, cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD
from rdflib.term import Identifier

from kgraph.errors import InputError
from kgraph.names import pick_text, qname
from kgraph.query.answer import Answer
from kgraph.query.graphtext import write_json_ld, write_turtle
from kgraph.query.ntriples import SortedLines
from kgraph.text import (
    COMPRESSED_SUFFIXES,
    Layout,
    display_width,
    file_name,
    printable,
    record,
    table_head,
    table_line,
    xml_carriage_returns,
    xml_text,
)
from kgraph.vocab import bind_prefixes

#: Formats of SELECT and ASK answers, and of graphs (CONSTRUCT, DESCRIBE, the graph after an update).
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "nt", "json-ld")
FORMATS = RESULT_FORMATS + GRAPH_FORMATS
#: Formats of an ASK answer (CSV and TSV have no form for a boolean).
ASK_FORMATS = ("table", "json", "xml")

_SPARQL_XML = "http://www.w3.org/2005/sparql-results#"

#: Media type of each format (what an HTTP server would send as Content-Type).
MEDIA_TYPES: Mapping[str, str] = {
    "table": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "turtle": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
}

#: Formats written a row at a time, as the rows come: a SELECT's answer need not be held whole for them; nor a
#: graph's (its N-Triples lines are sorted in temporary files, see :mod:`kgraph.query.ntriples`, and Turtle and
#: JSON-LD are written from them, see :mod:`kgraph.query.graphtext`).
STREAMED = ("csv", "tsv", "json", "xml", *GRAPH_FORMATS)
#: Formats that take a SELECT's rows as they are evaluated, read once: the streamed ones, and the table, which
#: holds of the rows only what it shows (see :func:`_table`) and writes its first line once it has read them all.
READ_AS_EVALUATED = (*STREAMED, "table")

#: The format an ``--output`` file name implies, when --format does not say.
FORMAT_OF_SUFFIX: Mapping[str, str] = {
    ".txt": "table",
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".srj": "json",
    ".xml": "xml",
    ".srx": "xml",
    ".ttl": "turtle",
    ".n3": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
}
#: Other formats a file so named truly holds, when --format names one: N-Triples is Turtle (and N3), JSON-LD is
#: JSON, and a .txt file any text.
_ALSO_HELD: Mapping[str, Sequence[str]] = {".ttl": ("nt",), ".n3": ("nt",), ".json": ("json-ld",), ".txt": FORMATS}
#: Suffixes of files in a format no answer is written in, and that format.
_OTHER_FORMATS: Mapping[str, str] = {
    ".nq": "N-Quads",
    ".trig": "TriG",
    ".rdf": "RDF/XML",
    ".owl": "RDF/XML",
    ".html": "HTML",
    ".htm": "HTML",
}

#: ``labels(iris, lang)`` -> the label of each IRI that has one in ``lang``.
Labeler = Callable[[Iterable[URIRef], str], Mapping[URIRef, str]]


def choose(kind: str, requested: str | None, output: Path | None = None) -> str:
    """The format to write an answer of ``kind`` in: ``requested``, else the one ``output``'s suffix implies, else
    ``table`` for SELECT/ASK and ``turtle`` for a graph. A format that does not fit the answer raises InputError, and
    so does a file name whose suffix says another format, or a compressed file: a file whose name lies. A suffix
    kgraph does not know says nothing."""
    allowed = RESULT_FORMATS if kind in ("SELECT", "ASK") else GRAPH_FORMATS
    if kind == "ASK":
        allowed = ASK_FORMATS
    what = {"SELECT": "a SELECT query", "ASK": "an ASK query", "UPDATE": "the graph after an update"}.get(
        kind, f"a {kind} query (a graph)"
    )
    if requested is not None and requested not in allowed:
        raise InputError(f"--format {requested} does not fit {what}; use one of: {', '.join(allowed)}")
    suffix = output.suffix.lower() if output is not None else ""
    known = suffix in FORMAT_OF_SUFFIX or suffix in _OTHER_FORMATS or suffix in COMPRESSED_SUFFIXES
    if output is None or not known:
        return requested or allowed[0]
    named = f"--output {file_name(str(output))}: a {output.suffix} file"
    if suffix in COMPRESSED_SUFFIXES:
        raise InputError(
            f"{named} is compressed, and an answer is written uncompressed: name it without {output.suffix}, or "
            "write to standard output and compress that"
        )
    fitting = _suffixes(allowed, kind)
    if suffix in _OTHER_FORMATS:
        raise InputError(f"{named} holds {_OTHER_FORMATS[suffix]}, which {what} is not written in; name it {fitting}")
    implied = FORMAT_OF_SUFFIX[suffix]
    if requested is not None:
        held = (implied, *_ALSO_HELD.get(suffix, ()))
        if requested not in held:
            raise InputError(
                f"{named} holds {' or '.join(held)}, and --format is {requested}; make them agree (a {requested} "
                f"answer goes in {_suffixes((requested,), kind)})"
            )
        return requested
    if implied == "table" and kind not in ("SELECT", "ASK"):  # .txt: Turtle is text
        return allowed[0]
    if implied not in allowed:  # a CONSTRUCT into answer.csv: Turtle under that name would mislead
        raise InputError(f"{named} does not fit {what}; name it {fitting}")
    return implied


def _suffixes(fmts: Sequence[str], kind: str) -> str:
    """The suffixes that imply one of ``fmts`` for an answer of ``kind`` (a graph into .txt is Turtle), as
    ``.a, .b or .c``."""
    found = sorted(
        suffix
        for suffix, fmt in FORMAT_OF_SUFFIX.items()
        if fmt in fmts and (fmt != "table" or kind in ("SELECT", "ASK"))
    )
    return ", ".join(found[:-1]) + f" or {found[-1]}" if len(found) > 1 else "".join(found)


def render(answer: Answer, fmt: str, *, labels: Labeler | None = None, lang: str = "en") -> bytes:
    """``answer`` in ``fmt`` (see :func:`choose`), as UTF-8 bytes."""
    out = io.BytesIO()
    write(answer, fmt, out, labels=labels, lang=lang)
    return out.getvalue()


def write(
    answer: Answer,
    fmt: str,
    out: BinaryIO,
    *,
    labels: Labeler | None = None,
    lang: str = "en",
    layout: Layout | None = None,
) -> None:
    """Write ``answer`` in ``fmt`` (see :func:`choose`) to ``out`` as UTF-8: the same bytes as :func:`render`.
    SELECT rows in JSON, TSV, CSV and XML go out as they are read (a million rows as one text took gigabytes), as do a
    graph's N-Triples lines, Turtle or JSON-LD when it was evaluated streamed (:attr:`Answer.lines`). A ``table``
    too wide for ``layout`` (a terminal's) is a record a row instead (:meth:`kgraph.text.Layout.records`)."""
    if answer.lines is not None:
        write_graph_lines(answer.lines, fmt, out)
    elif answer.graph is not None:
        write_graph(answer.graph, fmt, out)
    elif fmt == "table":
        _table(answer, out, labels, lang, layout)
    elif fmt == "json":
        _json(answer, out)
    elif fmt == "tsv":
        _tsv(answer, out)
    elif fmt == "xml":
        _xml(answer, out)
    elif fmt == "csv":
        _csv(answer, out)
    else:  # as a graph's: "unknown format 'turtle'; use one of: ..., turtle, ..." named it among the choices
        what, allowed = ("an ASK", ASK_FORMATS) if answer.kind == "ASK" else ("a SELECT", RESULT_FORMATS)
        raise InputError(f"{what} answer is written as {', '.join(allowed)}, not {fmt!r}")


def _no_form(name: str) -> InputError:
    """The error for an ASK answer in CSV or TSV, which have no form for it."""
    return InputError.advising(
        f"an ASK answer has no {name} form",
        python="write it as table, json or xml",
        cli="use --format table, json or xml",
    )


# ------------------------------------------------------------------------------------------ SPARQL results


def _json(answer: Answer, out: BinaryIO) -> None:
    """One result a line: compact for programs, readable and easy to diff for people."""
    if answer.kind == "ASK":
        out.write((json.dumps({"head": {}, "boolean": bool(answer.boolean)}) + "\n").encode("utf-8"))
        return
    head = json.dumps({"vars": list(answer.variables)}, ensure_ascii=False)
    out.write(f'{{"head": {head},\n "results": {{"bindings": ['.encode())
    separator = "\n  "
    for row in answer.rows:
        binding = {
            name: _json_term(value) for name, value in zip(answer.variables, row, strict=True) if value is not None
        }
        out.write(f"{separator}{json.dumps(binding, ensure_ascii=False)}".encode())
        separator = ",\n  "
    out.write(b"\n ]}}\n")


def _csv(answer: Answer, out: BinaryIO) -> None:
    """*SPARQL 1.1 Query Results CSV*, as rdflib's serializer writes it: names without "?", IRIs and literals as
    their text, blank nodes as ``_:id``, Excel's quoting and CRLF line ends."""
    if answer.kind == "ASK":
        raise _no_form("CSV")
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        rows = csv.writer(text)
        rows.writerow(answer.variables)
        for row in answer.rows:
            rows.writerow(
                ["" if value is None else f"_:{value}" if isinstance(value, BNode) else value for value in row]
            )
    finally:
        text.detach()  # ``out`` stays open: it is the caller's


def _json_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)  # noqa: S101 - the three kinds of RDF term
    encoded = {"type": "literal", "value": str(term)}
    if term.language:
        encoded["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype != XSD.string:
        encoded["datatype"] = str(term.datatype)
    return encoded


#: Rows of an XML answer written at a time.
_XML_ROWS = 1000


def _xml(answer: Answer, out: BinaryIO) -> None:
    """*SPARQL Query Results XML Format*, written a thousand rows at a time as they are read. Written here because
    rdflib's serializer writes a literal whose value is false or zero (``false``, ``0``, ``0.0``) as an empty
    element: it hands the Literal, which is falsy, to an XMLGenerator that skips falsy text. A character XML does
    not allow is written as U+FFFD (the document would not parse), a carriage return as a character reference (a
    parser reads a raw one as a line feed). The bytes are those ElementTree wrote of the whole answer before
    (``tostring``, empty elements as ``<x />``, attributes in the order given)."""
    start = f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{_SPARQL_XML}">'
    if answer.kind == "ASK":
        boolean = "true" if answer.boolean else "false"
        out.write(f"{start}<head /><boolean>{boolean}</boolean></sparql>\n".encode())
        return
    variables = answer.variables
    head = "".join(f'<variable name="{_xml_attribute(name)}" />' for name in variables)
    pieces = [start, f"<head>{head}</head>" if head else "<head />"]
    rows = 0
    for row in answer.rows:
        if not rows:
            pieces.append("<results>")
        rows += 1
        bindings = [
            f'<binding name="{_xml_attribute(name)}">{_xml_term(value)}</binding>'
            for name, value in zip(variables, row, strict=True)
            if value is not None
        ]
        pieces.append(f"<result>{''.join(bindings)}</result>" if bindings else "<result />")
        if rows % _XML_ROWS == 0:
            out.write("".join(pieces).encode())
            pieces = []
    pieces.append("</results></sparql>\n" if rows else "<results /></sparql>\n")
    out.write("".join(pieces).encode())


def _xml_term(term: Identifier) -> str:
    """A bound value as the element a ``binding`` holds."""
    if isinstance(term, URIRef):
        return _xml_element("uri", "", str(term))
    if isinstance(term, BNode):
        return _xml_element("bnode", "", str(term))
    assert isinstance(term, Literal)  # noqa: S101 - the three kinds of RDF term
    attributes = ""
    if term.language:
        attributes = f' xml:lang="{_xml_attribute(term.language)}"'
    elif term.datatype is not None and term.datatype != XSD.string:
        attributes = f' datatype="{_xml_attribute(str(term.datatype))}"'
    return _xml_element("literal", attributes, xml_text(str(term)))


def _xml_element(tag: str, attributes: str, text: str) -> str:
    """``<tag attributes>text</tag>``, or ``<tag attributes />`` for no text, as ElementTree writes it; a carriage
    return of the text as a character reference (:func:`kgraph.text.xml_carriage_returns`)."""
    if not text:
        return f"<{tag}{attributes} />"
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = xml_carriage_returns(text)
    return f"<{tag}{attributes}>{text}</{tag}>"


_XML_ATTRIBUTE = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}


def _xml_attribute(text: str) -> str:
    """``text`` as an attribute's value, escaped as ElementTree escapes it."""
    for char, reference in _XML_ATTRIBUTE.items():  # "&" first
        if char in text:
            text = text.replace(char, reference)
    return text


def _tsv(answer: Answer, out: BinaryIO) -> None:
    if answer.kind == "ASK":
        raise _no_form("TSV")
    out.write(("\t".join(f"?{name}" for name in answer.variables) + "\n").encode("utf-8"))
    for row in answer.rows:
        out.write(("\t".join("" if value is None else tsv_term(value) for value in row) + "\n").encode("utf-8"))


_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+")
_SHORT_FORMS = {XSD.integer: _INTEGER, XSD.decimal: _DECIMAL, XSD.double: _DOUBLE}
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def tsv_term(term: Identifier) -> str:
    """``term`` as the W3C TSV results format writes it (Turtle syntax; numbers and booleans in short form)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)  # noqa: S101 - the three kinds of RDF term
    lexical = str(term)
    if _has_short_form(term):
        return lexical
    quoted = '"' + lexical.translate(_ESCAPES) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{quoted}^^<{term.datatype}>"
    return quoted


def _has_short_form(term: Literal) -> bool:
    """Whether Turtle can write ``term`` bare: an integer, decimal or double in canonical shape, or a boolean."""
    if term.datatype == XSD.boolean:
        return str(term) in ("true", "false")
    short = _SHORT_FORMS.get(term.datatype) if term.datatype is not None else None
    return short is not None and short.fullmatch(str(term)) is not None


# ------------------------------------------------------------------------------------------ the table


def answer_table(answer: Answer, labels: Labeler | None, lang: str = "en") -> str:
    """An aligned plain-text table (or ``yes``/``no`` for ASK); IRIs as ``label (prefix:name)``: the text
    :func:`write` writes as ``table``."""
    out = io.BytesIO()
    _table(answer, out, labels, lang)
    return out.getvalue().decode("utf-8")


#: Lines of the table written to ``out`` at a time.
_TABLE_LINES = 1000


def _table(answer: Answer, out: BinaryIO, labels: Labeler | None, lang: str, layout: Layout | None = None) -> None:
    """Write :func:`answer_table`'s text to ``out`` a thousand lines at a time, never the whole text at once.

    The columns' widths are needed before the first line, so the rows are read twice: rows already held (a list:
    an endpoint's answer, ``kgraph serve``'s) are read again; rows read once as they are evaluated
    (:class:`kgraph.query.engine.RowFeed`) are held as compactly as the table can be written from them, an IRI
    as one object for every cell it is in (its shown text made once, after the labels of all the answer's IRIs
    are looked up together), anything else as the text of its cell."""
    if answer.kind == "ASK":
        out.write(b"yes\n" if answer.boolean else b"no\n")
        return
    headers = list(answer.variables)
    again = isinstance(answer.rows, Sequence)
    sized = _TableSizes(headers)
    held = sized.read(answer.rows, hold=not again)
    names = labels(sized.iris, lang) if labels is not None and sized.iris else {}
    shown = sized.iris  # each IRI's text, once per IRI, not once per cell (in the same dict: no second one)
    for iri in shown:
        shown[iri] = printable(_shown(iri, names.get(iri)))
    widths = sized.widths(shown)
    del names, sized
    texts: Iterable[list[str]]
    if again:
        texts = ([shown[v] if isinstance(v, URIRef) else _text_cell(v) for v in row] for row in answer.rows)
    else:
        texts = ([shown[v] if isinstance(v, URIRef) else v for v in row] for row in held)
    count = len(answer.rows) if isinstance(answer.rows, Sequence) else len(held)
    blocks: Iterable[list[str]]  # the lines of a row: a record's, or one of the table's after its head
    if layout is not None and layout.records(widths, count):
        blocks = (record(number, headers, cells, widths, layout) for number, cells in enumerate(texts, 1))
    else:
        blocks = itertools.chain([table_head(headers, widths)], ([table_line(cells, widths)] for cells in texts))
    lines: list[str] = []
    for block in blocks:
        lines.extend(block)
        if len(lines) >= _TABLE_LINES:
            out.write(("\n".join(lines) + "\n").encode("utf-8"))
            lines = []
    if lines:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))


class _TableSizes:
    """The first read of a table's rows: the widest cell of each column that is no IRI, the IRIs of each column
    (sized once their shown texts are known), and each IRI once."""

    def __init__(self, headers: Sequence[str]) -> None:
        self.text_widths = [display_width(header) for header in headers]
        self.in_column: list[set[URIRef]] = [set() for _ in headers]
        #: One object per IRI, which every held cell of it shares (each IRI's own key, until :func:`_table` puts
        #: its shown text there).
        self.iris: dict[URIRef, str] = {}

    def read(self, rows: Iterable[Sequence[Identifier | None]], *, hold: bool) -> list[tuple[str, ...]]:
        """Read ``rows``; with ``hold``, the rows as the table is written from them: an IRI as the one object of
        :attr:`iris`, any other cell as its text."""
        held: list[tuple[str, ...]] = []
        widths, in_column, iris = self.text_widths, self.in_column, self.iris
        for row in rows:
            cells: list[str] = []
            for index, value in enumerate(row):
                if isinstance(value, URIRef):
                    iri = iris.setdefault(value, value)
                    in_column[index].add(cast("URIRef", iri))
                    cells.append(iri)
                else:
                    text = _text_cell(value)
                    widths[index] = max(widths[index], display_width(text))
                    cells.append(text)
            if hold:
                held.append(tuple(cells))
        return held

    def widths(self, shown: Mapping[URIRef, str]) -> list[int]:
        """Each column's width, once its IRIs' ``shown`` texts are known."""
        return [
            max(width, *(display_width(shown[iri]) for iri in column)) if column else width
            for width, column in zip(self.text_widths, self.in_column, strict=True)
        ]


def _text_cell(value: Identifier | None) -> str:
    """A cell that is no IRI, as the table shows it (:func:`printable`)."""
    return "" if value is None else printable(_cell(value, {}))


def _shown(iri: URIRef, name: str | None) -> str:
    short = qname(_namespaces(), iri)
    return f"{name} ({short})" if name and name != short else short


def _cell(value: Identifier | None, shown: Mapping[URIRef, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return shown[value]
    if isinstance(value, BNode):
        return f"_:{value}"
    return " ".join(str(value).split()) if "\n" in value or "\t" in value else str(value)


_NAMESPACES: list[Graph] = []


def _namespaces() -> Graph:
    """An empty graph with the project's prefixes bound, to write IRIs as prefixed names."""
    if not _NAMESPACES:
        graph = Graph()
        bind_prefixes(graph)
        _NAMESPACES.append(graph)
    return _NAMESPACES[0]


#: IRIs whose labels :func:`graph_labels` looks up at a time (a store's :meth:`label_texts` asks for them in
#: SPARQL queries of a thousand).
_LABEL_BATCH = 1000


def graph_labels(graph: Graph) -> Labeler:
    """A :data:`Labeler` that reads ``rdfs:label`` from ``graph`` as ``kgraph show`` and the viewer pick it
    (:func:`kgraph.names.pick_text`): the least in the language asked for, a tag by its primary language (``EN``,
    ``en-GB`` are English), else the least in any language."""

    native = getattr(graph.store, "label_texts", None)  # a store: a few queries for all, not one look-up each

    def texts(iris: Sequence[URIRef]) -> Iterable[tuple[URIRef, list[tuple[str, str]]]]:
        if native is not None:
            found = native(iris)
            return ((iri, found.get(iri, ())) for iri in iris)  # the caller's IRIs: no copy of each kept
        return (
            (iri, [(v.language or "", str(v)) for v in graph.objects(iri, RDFS.label) if isinstance(v, Literal)])
            for iri in iris
        )

    def labels(iris: Iterable[URIRef], lang: str) -> dict[URIRef, str]:
        """The label of each of ``iris`` in ``lang``, looked up :data:`_LABEL_BATCH` IRIs at a time: only the label
        chosen of each is kept, not every label of every IRI of a large answer at once."""
        found = {}
        batches = iter(iris)
        while batch := list(itertools.islice(batches, _LABEL_BATCH)):
            for iri, values in texts(batch):
                choice = pick_text(((text, language) for language, text in values), lang)
                if choice is not None:
                    found[iri] = choice
        return found

    return labels


# ------------------------------------------------------------------------------------------ graphs


def render_graph(graph: Graph, fmt: str) -> bytes:
    """``graph`` as Turtle, N-Triples or JSON-LD, the same bytes for the same triples: the bytes of a streamed
    answer of the same triples (:func:`write_graph_lines` of its sorted lines)."""
    out = io.BytesIO()
    write_graph(graph, fmt, out)
    return out.getvalue()


def write_graph(graph: Graph, fmt: str, out: BinaryIO) -> None:
    """Write ``graph`` to ``out`` as :func:`render_graph` gives it."""
    lines = SortedLines.of(graph)
    try:
        write_graph_lines(lines, fmt, out)
    finally:
        lines.close()


def write_graph_lines(lines: SortedLines, fmt: str, out: BinaryIO) -> None:
    """Write the graph of ``lines`` to ``out`` as Turtle, N-Triples or JSON-LD, as the lines are read."""
    if fmt == "nt":
        lines.write(out)
    elif fmt == "turtle":
        write_turtle(lines, out)
    elif fmt == "json-ld":
        write_json_ld(lines, out)
    else:
        raise InputError(f"a graph is written as {', '.join(GRAPH_FORMATS)}, not {fmt!r}")
