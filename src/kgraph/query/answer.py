"""The answer to a query, whoever computed it (rdflib here, or a remote endpoint), in one plain shape."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from rdflib import Graph, Variable
from rdflib.query import Result
from rdflib.term import Identifier

from kgraph.query.parsing import Kind

if TYPE_CHECKING:
    from kgraph.query.ntriples import SortedLines

Row = tuple[Identifier | None, ...]


class Rows(Protocol):
    """A SELECT's rows: a list, or rows streamed as they are evaluated (:class:`kgraph.query.engine.RowFeed`,
    read once; its length is the rows read so far)."""

    def __iter__(self) -> Iterator[Row]: ...

    def __len__(self) -> int: ...


@dataclass
class Answer:
    """Rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE (or its N-Triples ``lines``), a changed
    dataset for an update."""

    kind: Kind
    variables: tuple[str, ...] = ()
    rows: Rows = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    #: CONSTRUCT/DESCRIBE evaluated streamed (``graph`` is then None): its N-Triples lines, sorted, each once, read
    #: once, written as N-Triples, Turtle or JSON-LD.
    lines: SortedLines | None = None
    #: UPDATE only (``graph`` is then the whole graph after the update, a copy, or ``lines`` its N-Triples lines, as
    #: :func:`~kgraph.query.run_local` gives them streamed on a store): the triples added and removed.
    added: int = 0
    removed: int = 0
    #: Wall time of the evaluation (or of the request to the endpoint), in seconds; of streamed rows, until the
    #: last was read (written, as the command line reads them).
    seconds: float = 0.0

    def close(self) -> None:
        """Stop evaluating streamed rows that were not all read (an error while writing them), remove the temporary
        files of a graph's lines; no-op otherwise."""
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()
        if self.lines is not None:
            self.lines.close()

    @property
    def size(self) -> int:
        """Rows of a SELECT, triples of a graph (of its lines: those read so far), 1 for ASK, changed triples of an
        update."""
        if self.kind == "SELECT":
            return len(self.rows)
        if self.kind == "UPDATE":
            return self.added + self.removed
        if self.lines is not None:
            return len(self.lines)
        if self.graph is not None:
            return len(self.graph)
        return 1

    def to_rdflib(self) -> Result:
        """The same answer as an rdflib :class:`Result` (SELECT and ASK), for rdflib's result serializers."""
        result = Result(self.kind)
        if self.kind == "ASK":
            result.askAnswer = self.boolean
            return result
        names = [Variable(v) for v in self.variables]
        result.vars = names
        result.bindings = [
            {name: value for name, value in zip(names, row, strict=True) if value is not None} for row in self.rows
        ]
        return result

    @classmethod
    def from_rdflib(cls, result: Result, seconds: float = 0.0) -> Answer:
        """An answer from an rdflib :class:`Result` (as parsed from an endpoint's response)."""
        if result.type == "ASK":
            return cls("ASK", boolean=bool(result.askAnswer), seconds=seconds)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return cls(result.type, graph=result.graph, seconds=seconds)  # type: ignore[arg-type]
        variables = tuple(str(v) for v in result.vars or ())
        rows = [tuple(binding.get(Variable(v)) for v in variables) for binding in result.bindings]
        return cls("SELECT", variables=variables, rows=rows, seconds=seconds)
