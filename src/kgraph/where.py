"""Where a fact of the loaded graph is written: the file and line of a triple, or of the first statement about a
node, for ``kgraph validate``'s ``where:`` line.

The named graph a triple sits in narrows the files that may have written it: the ontology graph is the ontology
files', a file graph its one file's, a section graph that of any TriG or N-Quads data file (each such file of
several is parsed again to tell). The line is found by walking the file's Turtle (or TriG, N-Triples, N-Quads)
statements (:func:`statements`): the object's line when the walk finds the triple itself, else the line of its
predicate when the subject states that predicate in one place of the file, else the subject's first line. Only
the problems found are looked up, so a graph that conforms costs nothing more. On a store, a file is read only if
it is still as its load read it (:attr:`kgraph.store.LoadedGraph.store_files`); one that changed or went since is
named with a note that says so, and no line.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD
from rdflib.plugins.parsers.notation3 import join
from rdflib.term import Node

from kgraph._compat import rdflib_log_to
from kgraph.errors import KGraphError
from kgraph.store import LoadedGraph, decode_text, display_path, parse_file, read_file
from kgraph.text import line_at
from kgraph.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, SH, file_graph

#: What the where line says of a fact no file states: inference added it.
INFERRED = "inferred"

#: A name's character, as rdflib's parser reads one: any but its delimiters (an emoji, a zero-width non-joiner too).
_NAME = r"""[^\t\r\n !"#$&'()*,+/;<=>?@\[\\\]^`{|}~.:%]"""
_LOCAL_ESCAPE = r"""\\[_~.\-!$&'()*+,;=/?#@%]"""
_PNAME = (
    rf"(?:(?![\d_-]){_NAME}(?:(?:{_NAME}|\.)*{_NAME})?)?"
    rf":(?:(?:{_NAME}|[:.%]|{_LOCAL_ESCAPE})*(?:{_NAME}|[:%]|{_LOCAL_ESCAPE}))?"
)
_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*"{{0,2}}\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'{{0,2}}'''
               |"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>[+-]?(?:\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+|\d*\.\d+|\d+))
  | (?P<bnode>_:{_NAME}(?:(?:{_NAME}|\.)*{_NAME})?)
  | (?P<pname>{_PNAME})
  | (?P<word>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<punct>\^\^|[{{}}()\[\],;.])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_CHARACTER_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Stated:
    """One triple as a file writes it, with the offsets of its three terms; a blank node's term is None."""

    subject: Node | None
    predicate: Node
    object: Node | None
    subject_at: int
    predicate_at: int
    object_at: int


class _Lost(Exception):
    """The walk met what it does not follow: the statements found so far stand, nothing after them."""


@dataclass(slots=True)
class _Token:
    kind: str
    text: str
    start: int


def statements(text: str, base: str, quads: bool = False) -> tuple[list[Stated], bool]:
    """Every triple ``text`` (Turtle, TriG or N-Triples; N-Quads if ``quads``) writes, in the order written, its
    relative IRIs resolved against ``base``, up to the first thing the walk does not follow, if any; and whether
    it read the whole text. (A nesting of ``[ ]`` or ``( )`` deeper than Python's stack stops the walk there.)"""
    found: list[Stated] = []
    return found, _walked(text, base, quads, found.append)


def _walked(text: str, base: str, quads: bool, found: Callable[[Stated], None]) -> bool:
    """:func:`statements`, each triple given to ``found`` as the walk meets it; whether it read the whole text."""
    return _walked_with(text, base, quads, found, None)


def _walked_with(
    text: str,
    base: str,
    quads: bool,
    found: Callable[[Stated], None],
    graph: Callable[[Node | None, int], None] | None,
) -> bool:
    """:func:`_walked`, and each graph's name given to ``graph`` (see :class:`_Walk`)."""
    try:
        _Walk(text, base, quads, found, graph).document()
    except (_Lost, RecursionError):
        return False
    return True


class _Walk:
    """A recursive descent over the tokens of one file, as it reads them (one ahead: the tokens of a whole file took
    more memory than its statements), giving each triple to ``found``."""

    def __init__(
        self,
        text: str,
        base: str,
        quads: bool,
        found: Callable[[Stated], None],
        graph: Callable[[Node | None, int], None] | None = None,
    ) -> None:
        self.tokens = (
            _Token(m.lastgroup or "other", m.group(), m.start())
            for m in _TOKEN.finditer(text)
            if m.lastgroup not in ("space", "comment")
        )
        self.ahead = next(self.tokens, None)
        self.base = base
        self.quads = quads
        self.prefixes: dict[str, str] = {}
        self.found = found
        self.graph = graph  # given each graph's name (None: a blank node) and its offset, as the walk meets it

    def peek(self) -> _Token | None:
        return self.ahead

    def next(self) -> _Token:
        token = self.ahead
        if token is None:
            raise _Lost
        self.ahead = next(self.tokens, None)
        return token

    def expect(self, text: str) -> None:
        if self.next().text != text:
            raise _Lost

    def document(self) -> None:
        while (token := self.peek()) is not None:
            word = token.text.lower().lstrip("@")
            if token.kind in ("lang", "word") and word in ("prefix", "base"):
                self.directive(word, token.kind == "lang")
            elif token.kind == "word" and word == "graph":
                self.next()
                at = self.peek()
                name = self.subject()  # the graph's name: an IRI, a prefixed name, a blank node, [ ]
                self.expect("{")
                self.named_graph(name, at)
            elif token.text in ("{", "}", "."):
                self.next()
            else:
                self.triples()

    def directive(self, word: str, dotted: bool) -> None:
        self.next()
        if word == "prefix":
            name = self.next()
            if name.kind != "pname" or not name.text.endswith(":"):
                raise _Lost
            self.prefixes[name.text[:-1]] = self.iri(self.next())
        else:
            self.base = self.iri(self.next())
        if dotted:
            self.expect(".")

    def triples(self) -> None:
        token = self.peek()
        assert token is not None  # noqa: S101 - document() looked
        subject = self.subject()
        after = self.peek()
        if after is not None and after.text == "{":  # TriG: a graph's name
            self.next()
            self.named_graph(subject, token)
            return
        if subject is _ANONYMOUS and after is not None and after.text in (".", "}"):
            return  # [ ... ] . : the triples were within
        self.predicate_objects(subject, token.start)
        if self.quads and (graph := self.peek()) is not None and graph.kind in ("iri", "bnode"):
            self.next()  # N-Quads: the graph's name
            self.named_graph(self.resource(graph), graph)

    def named_graph(self, name: Node | None, token: _Token | None) -> None:
        """Tell :attr:`graph` of the graph ``name`` written at ``token``."""
        if self.graph is not None and token is not None:
            self.graph(_named(name), token.start)

    def subject(self) -> Node | None:
        token = self.next()
        if token.text == "[":
            self.anonymous()
            return _ANONYMOUS
        if token.text == "(":
            return self.collection()
        return self.resource(token)

    def predicate_objects(self, subject: Node | None, subject_at: int) -> None:
        while True:
            token = self.next()
            predicate = RDF.type if token.kind == "word" and token.text == "a" else self.resource(token)
            if predicate is None:
                raise _Lost
            while True:
                value, at = self.object()
                self.found(Stated(_named(subject), predicate, value, subject_at, token.start, at))
                if (comma := self.peek()) is None or comma.text != ",":
                    break
                self.next()
            if (semicolon := self.peek()) is None or semicolon.text != ";":
                return
            while (more := self.peek()) is not None and more.text == ";":
                self.next()
            if more is None or more.text in (".", "]", "}"):
                return

    def object(self) -> tuple[Node | None, int]:
        token = self.next()
        if token.text == "[":
            self.anonymous()
            return None, token.start
        if token.text == "(":
            return self.collection(), token.start
        if token.kind == "string":
            return self.literal(token), token.start
        if token.kind == "number":
            kind = XSD.double if "e" in token.text.lower() else XSD.decimal if "." in token.text else XSD.integer
            return Literal(token.text, datatype=kind), token.start
        if token.kind == "word" and token.text in ("true", "false"):
            return Literal(token.text, datatype=XSD.boolean), token.start
        return self.resource(token), token.start

    def anonymous(self) -> None:
        """A blank node's ``[ ... ]``, its ``[`` read."""
        if (token := self.peek()) is not None and token.text == "]":
            self.next()
            return
        self.predicate_objects(None, -1)
        self.expect("]")

    def collection(self) -> Node | None:
        """A collection's ``( ... )``, its ``(`` read: ``rdf:nil`` when it is empty, else its first blank node."""
        empty = True
        while (token := self.peek()) is not None and token.text != ")":
            self.object()
            empty = False
        self.expect(")")
        return RDF.nil if empty else None

    def literal(self, token: _Token) -> Literal:
        quote = 3 if token.text[:3] in ('"""', "'''") else 1
        text = _unescaped(token.text[quote:-quote])
        after = self.peek()
        if after is not None and after.kind == "lang":
            self.next()
            return Literal(text, lang=after.text[1:])
        if after is not None and after.text == "^^":
            self.next()
            datatype = self.resource(self.next())
            return Literal(text, datatype=datatype if isinstance(datatype, URIRef) else None)
        return Literal(text)

    def resource(self, token: _Token) -> Node | None:
        if token.kind == "iri":
            return URIRef(self.iri(token))
        if token.kind == "pname":
            prefix, local = token.text.split(":", 1)
            if prefix not in self.prefixes:
                raise _Lost
            return URIRef(self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local))
        if token.kind == "bnode":
            return None
        raise _Lost

    def iri(self, token: _Token) -> str:
        if token.kind != "iri":
            raise _Lost
        try:  # as rdflib's parser resolves it, which is not always as RFC 3986 does (<./y/../z>, <#x>, <?q>)
            return join(self.base, _unescaped(token.text[1:-1]))
        except ValueError:  # a base that takes no relative IRI (<urn:x>): rdflib refuses the file
            raise _Lost from None


class _Met(_Lost):
    """The walk met what it looked for: it stops there."""


def line_of_graph(text: str, base: str, name: URIRef, quads: bool = False) -> int | None:
    """The first line of ``text`` (as :func:`statements` reads it) that writes ``name`` as a graph's name: TriG's
    ``NAME { ... }`` or ``GRAPH NAME { ... }``, a prefixed name's prefix resolved as the file declares it, or the
    fourth term of an N-Quads line; None if the walk does not meet it (or stops first)."""
    met: list[int] = []

    def graph(named: Node | None, at: int) -> None:
        if named == name:
            met.append(at)
            raise _Met

    _walked_with(text, base, quads, lambda _stated: None, graph)
    return line_at(text, met[0]) if met else None


#: The subject of ``[ ... ]`` written as a statement's subject: a blank node, as None is, but one that may stand alone.
_ANONYMOUS = BNode("kgraph-where-anonymous")


def _named(subject: Node | None) -> Node | None:
    return None if subject is _ANONYMOUS else subject


def _unescaped(text: str) -> str:
    def replace(found: re.Match[str]) -> str:
        code = found.group(1) or found.group(2)
        if code:
            if int(code, 16) > 0x10FFFF:  # no character: rdflib refuses the file
                raise _Lost
            return chr(int(code, 16))
        return _CHARACTER_ESCAPES.get(found.group(3), found.group(3))

    return _ESCAPE.sub(replace, text) if "\\" in text else text


@dataclass
class _File:
    """One file read again: where its lines start, and the statements of each subject and the first of each object
    (of the nodes asked about, if ``nodes``), found once so that each problem costs a look-up, not a pass over the
    file."""

    nodes: set[Node] | None  # the nodes whose statements are kept; None: every node's
    line_starts: Sequence[int] = field(init=False, default_factory=lambda: array("q"))
    complete: bool = field(init=False, default=False)  # whether the walk read the whole file
    of_subject: dict[Node, list[Stated]] = field(init=False, default_factory=dict)
    of_object: dict[Node, Stated] = field(init=False, default_factory=dict)

    @classmethod
    def walk(cls, text: str, base: str, quads: bool, nodes: set[Node] | None) -> _File:
        """The statements of ``text`` (as :func:`statements` reads it) about ``nodes``, or all if None."""
        file = cls(nodes)
        file.complete = _walked(text, base, quads, file.add)
        file.line_starts = array("q", [0, *(found.end() for found in _LINE_BREAK.finditer(text))])
        return file

    def add(self, st: Stated) -> None:
        """Keep ``st`` if it is about the nodes asked about (the objects asked about are IRIs)."""
        nodes = self.nodes
        if st.subject is not None and (nodes is None or st.subject in nodes):
            self.of_subject.setdefault(st.subject, []).append(st)
        if st.object is not None and (nodes is None or (isinstance(st.object, URIRef) and st.object in nodes)):
            self.of_object.setdefault(st.object, st)

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def first_as_subject(self, node: Node) -> int | None:
        """The line where the file first writes ``node`` as a subject, if it does."""
        stating = self.of_subject.get(node)
        return self.line(stating[0].subject_at) if stating else None

    def first_as_object(self, node: Node) -> int | None:
        """The line where the file first writes ``node`` as an object, if it does."""
        found = self.of_object.get(node)
        return self.line(found.object_at) if found is not None else None


class Locator:
    """Finds where facts of ``loaded`` are written; each file is read and walked once. On a store, only a file
    still as its load read it (:attr:`~kgraph.store.LoadedGraph.store_files`) is read: one changed or gone since is
    named with a note saying so, and no line.

    ``nodes``, if given, are those the look-ups will be about (the focus nodes and values of the problems): a file
    walked keeps the statements of those alone, not of all its triples; a look-up about another node adds it and
    walks the files again. None keeps every statement of each file walked."""

    def __init__(self, loaded: LoadedGraph, nodes: Iterable[Node] | None = None) -> None:
        self.loaded = loaded
        self._nodes: set[Node] | None = None if nodes is None else {n for n in nodes if isinstance(n, URIRef)}
        self._walked: dict[Path, _File | None] = {}
        self._parsed: dict[Path, Dataset | None] = {}
        #: The files of a store that changed or went since its load: what the where line says of each instead.
        self._since: dict[Path, str] = {}

    def where(
        self, focus: Node | None, path: Node | None, value: Node | None, shapes: Graph, *, every: bool = False
    ) -> tuple[str, ...]:
        """Where the problem of a validation result is written, as ``FILE:LINE`` (or ``FILE``) entries, or
        ``(INFERRED,)``: the triple of ``focus``, ``path`` (a property, its inverse, or alternatives of them, read
        in ``shapes``) and ``value``, if the graph holds one; else the node ``focus`` itself. Nothing for a blank
        node. ``every``: of several such triples (no value: the property's values), the lines of all, not of the
        first (for too many values, each is one to remove)."""
        if not isinstance(focus, URIRef):
            return ()
        triples = list(_triples(focus, path, value, shapes))  # no value: the property's values (a maxCount)
        if path is None and isinstance(value, (URIRef, Literal)):  # a rule on the node whose value it writes
            triples += _stating(self.loaded.dataset, focus, value)
        if every:  # each value's own triple
            dataset = self.loaded.dataset
            triples = [
                (s, p, each)
                for s, p, o in triples
                for each in ([o] if o is not None else {q[2] for q in dataset.quads((s, p, None, None))})
            ]
        lines: set[str] = set()
        for triple in triples:  # of a term as the property (no path, no object): any of its places writes it
            found = self.of_triple(triple, first_place=path is None and triple[2] is None)
            if found and not every:
                return found
            lines.update(found)
        return tuple(sorted(lines, key=_in_file_order)) or self.of_node(focus)

    def of_triple(self, triple: tuple[Node, Node, Node | None], first_place: bool = False) -> tuple[str, ...]:
        """The files and lines that write ``triple`` (any object for None; with ``first_place``, the first line
        that writes its property, of several); ``(INFERRED,)`` when only inference states it; () when the graph
        does not hold it."""
        s, p, o = triple
        if isinstance(s, BNode) or isinstance(o, BNode):
            return ()
        self._about(s)
        graphs = {c for _s, _p, _o, c in self.loaded.dataset.quads((s, p, o, None)) if isinstance(c, URIRef)}
        if graphs == {INFERRED_GRAPH}:
            return (INFERRED,)
        files = self._files(graphs, lambda data: any(True for _q in data.quads((s, p, o, None))))
        return tuple(self._entry(path, lambda file: _line_of_triple(file, s, p, o, first_place)) for path in files)

    def of_node(self, node: URIRef) -> tuple[str, ...]:
        """The first line where each file that describes ``node`` writes it as a subject; failing that, each line
        where one writes it as an object; ``(INFERRED,)`` when only inference states anything of it."""
        self._about(node)
        graphs = {c for _s, _p, _o, c in self.loaded.dataset.quads((node, None, None, None)) if isinstance(c, URIRef)}
        subject = graphs - {INFERRED_GRAPH}
        if subject:
            files = self._files(subject, lambda data: any(True for _q in data.quads((node, None, None, None))))
            return tuple(self._entry(path, lambda file: file.first_as_subject(node)) for path in files)
        incoming = {c for _s, _p, _o, c in self.loaded.dataset.quads((None, None, node, None)) if isinstance(c, URIRef)}
        objects = incoming - {INFERRED_GRAPH}
        if objects:
            files = self._files(objects, lambda data: any(True for _q in data.quads((None, None, node, None))))
            return tuple(self._entry(path, lambda file: file.first_as_object(node)) for path in files)
        return (INFERRED,) if graphs or incoming else ()

    def _about(self, node: Node) -> None:
        """Keep the statements of ``node`` too, walking again the files walked without them (no statement is about
        a literal or a blank node)."""
        if self._nodes is not None and isinstance(node, URIRef) and node not in self._nodes:
            self._nodes.add(node)
            self._walked.clear()

    def _files(self, graphs: set[URIRef], holds: Callable[[Dataset], bool]) -> list[Path]:
        """The files that wrote in ``graphs`` what ``holds``, in the order they were read: a file graph's one file;
        of several that may have written a graph (TriG files, ontology files), those whose triples ``holds``, or,
        if none of those still as loaded does, those of a store that changed or went since its load."""
        found: list[Path] = []
        for graph in graphs - {INFERRED_GRAPH}:
            candidates = self._candidates(graph)
            if len(candidates) > 1:
                holding = [path for path in candidates if (data := self._parse(path)) is not None and holds(data)]
                candidates = holding or [path for path in candidates if path in self._since]
            found.extend(path for path in candidates if path not in found)
        order = {path: number for number, path in enumerate(self.loaded.files)}
        return sorted(found, key=lambda path: order.get(path, len(order)))

    def _candidates(self, graph: URIRef) -> list[Path]:
        if graph == ONTOLOGY_GRAPH:
            return list(self.loaded.ontology_files)
        named = [path for path in self.loaded.data_files if file_graph(path.name) == graph]
        if named:
            return named
        return [path for path in self.loaded.data_files if path.suffix.lower() in (".trig", ".nq")]

    def _parse(self, path: Path) -> Dataset | None:
        if path not in self._parsed:
            raw = self._bytes(path)
            try:
                self._parsed[path] = None if raw is None else parse_file(path, [], raw)
            except (KGraphError, OSError):
                self._parsed[path] = None  # changed since it was loaded: it is not named
        return self._parsed[path]

    def _bytes(self, path: Path) -> bytes | None:
        """The bytes of ``path`` (read by each of :meth:`_parse` and :meth:`_walk`, which keep what they make of
        them, so that the bytes of no file stay): None if they cannot be read, or if they are no longer those the
        load of a store read (:meth:`_changed`; noted in ``_since``, and not read again)."""
        if path in self._since:
            return None
        try:
            raw: bytes | None = read_file(path)
        except (KGraphError, OSError):
            raw = None
        what = self._changed(path, raw)
        if what is not None:
            store = display_path(self.loaded.store_dir or path)
            self._since[path] = f"{what} since it was loaded into {store}"
            return None
        return raw

    def _changed(self, path: Path, raw: bytes | None) -> str | None:
        """What became of ``path``, a file a store was loaded from, whose bytes are now ``raw`` (None: unreadable):
        ``changed`` when their SHA-256 is not the one its load kept (or, in a store an earlier kgraph built, which
        kept none, or when they cannot be read (a folder in its place), when its size or modification time differ),
        ``gone`` when there is no such file; None when it is as loaded, or not a store's."""
        kept = self.loaded.store_files.get(path)
        if kept is None:
            return None
        try:
            found = path.stat()
        except OSError:
            return "gone"
        if kept.sha256 is not None and raw is not None:
            changed = hashlib.sha256(raw).hexdigest() != kept.sha256
        else:
            changed = (found.st_size, found.st_mtime_ns) != (kept.size, kept.mtime_ns)
        return "changed" if changed else None

    def _walk(self, path: Path) -> _File | None:
        if path not in self._walked:
            raw = self._bytes(path)
            try:
                text = None if raw is None else decode_text(raw, display_path(path))
            except KGraphError:
                text = None
            del raw  # the text alone while the walk runs
            if text is None:
                self._walked[path] = None
            else:
                # An ill-typed literal's warning was the load's, with the file and line: not again, with neither.
                with rdflib_log_to(logging.NullHandler()):
                    base, quads = str(file_graph(path.name)), path.suffix.lower() == ".nq"
                    self._walked[path] = _File.walk(text, base, quads, self._nodes)
        return self._walked[path]

    def _entry(self, path: Path, line_of: Callable[[_File], int | None]) -> str:
        walked = self._walk(path)
        if path in self._since:
            return f"{display_path(path)} ({self._since[path]})"
        line = line_of(walked) if walked is not None else None
        return f"{display_path(path)}:{line}" if line is not None else display_path(path)


def _in_file_order(entry: str) -> tuple[str, int]:
    """A ``FILE:LINE`` entry's place: files by name, lines by number (``a.trig:9`` before ``a.trig:27``)."""
    file, _colon, line = entry.rpartition(":")
    return (file, int(line)) if file and line.isdigit() else (entry, 0)


def _triples(
    focus: URIRef, path: Node | None, value: Node | None, shapes: Graph
) -> Iterator[tuple[Node, Node, Node | None]]:
    """The triples a result's ``path`` may stand for between ``focus`` and ``value`` (any value for None): the
    property's, its inverse's (with a value), each alternative's; none for other paths."""
    if isinstance(path, URIRef):
        yield focus, path, value
    elif isinstance(path, BNode):
        inverse = shapes.value(path, SH.inversePath)
        alternatives = shapes.value(path, SH.alternativePath)
        if isinstance(inverse, URIRef) and value is not None:
            yield value, inverse, focus
        elif alternatives is not None:
            for option in Collection(shapes, alternatives):
                yield from _triples(focus, option, value, shapes)


def _stating(dataset: Dataset, focus: URIRef, value: URIRef | Literal) -> list[tuple[Node, Node, Node | None]]:
    """The triples of ``focus`` that write ``value``, for a result with no path (a SPARQL constraint, such as the
    shapes' check of an undeclared ``kg:`` name): a term as its property (``kg:usess``), then ``value`` as the
    object of each property that has it (``a kg:Chipp``, a ``kg:timeRange`` the times do not match), in a stable
    order."""
    properties = sorted({p for _s, p, _o, _c in dataset.quads((focus, None, value, None))}, key=str)
    as_property = [(focus, value, None)] if isinstance(value, URIRef) else []
    return [*as_property, *((focus, p, value) for p in properties)]


def _line_of_triple(file: _File, s: Node, p: Node, o: Node | None, first_place: bool = False) -> int | None:
    """The line of ``o`` in the statement of ``s p o``; else that of ``p`` if ``s`` states ``p`` in one place only
    (of a file walked whole), or its first place with ``first_place``; else the first line of ``s``."""
    stating = [st for st in file.of_subject.get(s, ()) if st.predicate == p]
    exact = next((st for st in stating if o is not None and st.object == o), None)
    if exact is not None:
        return file.line(exact.object_at)
    places = {st.predicate_at for st in stating}
    if places and (first_place or (len(places) == 1 and file.complete)):
        return file.line(min(places))
    return file.first_as_subject(s)


def joined(entries: Sequence[str]) -> str:
    """The where line's text: the entries, comma-separated."""
    return ", ".join(entries)
