"""Errors the core raises. Each message tells a user what is wrong and what to do about it.

The CLI turns them into exit codes in one place (``cli.main``): :attr:`KGraphError.exit_code`
is 1 for a negative answer (not found, does not conform) and 2 for bad input or usage.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from kgraph.validation import ValidationReport

__all__ = [
    "AmbiguousNameError",
    "AmbiguousPrefixError",
    "DataSyntaxError",
    "InputError",
    "KGraphError",
    "NoAnswerError",
    "NotFoundError",
    "Notice",
    "ValidationFailed",
    "release_frames",
    "store_failure",
]


def store_failure(error: BaseException | None) -> BaseException | None:
    """The error, among ``error`` and those it came from, in which the database under an Oxigraph store failed:
    RocksDB's "IO error: ..." (an OSError without an errno: a table file gone, a disk full, as it reads or writes)
    or "Corruption: ..." (a RuntimeError: a damaged file, or a table file of another store in its place). None
    if there is none: an OSError with an errno is a file kgraph itself read or wrote."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno is None and str(error).startswith("IO error:"):
            return error
        if isinstance(error, RuntimeError) and str(error).startswith("Corruption:"):
            return error
        error = error.__cause__ or error.__context__
    return None


#: What an empty entity name is told (``kgraph show ""``, ``--focus ""``; :func:`kgraph.names.find` of ``""``): a
#: script's unset variable, which used to read every label to say "nothing is named ''".
EMPTY_NAME = "the name is empty; give an entity's label, prefixed name or IRI (kgraph entities lists them)"


def rebuild_the_store(what: str, store: str, error: BaseException) -> str:
    """The line that says a store's database failed (``what``, with ``{store}`` in it: ``the store {store} is
    damaged``), what it said (its first line, at most 200 characters) and the command that rebuilds it; the
    command line's error and ``kgraph serve``'s log."""
    first = str(error).split("\n", 1)[0][:200]
    return f"{what.format(store=store)} ({first}); rebuild it: kgraph load --store {store} --force"


def release_frames(error: BaseException) -> None:
    """Clear the variables of the frames ``error`` (and the errors it came from) went through, so that what they
    held goes now, not when the error does.

    The query engine's worker calls it on an error it hands to another thread: the frames may hold what an
    Oxigraph store made in the worker (an iterator of quads, under rdflib's evaluation of a query on a store),
    which may not be dropped in another thread (pyo3 prints "unsendable, but is being dropped on another
    thread"). A failed ``kgraph load`` calls it before it deletes the store it was building, which its frames
    keep open (RocksDB's threads would go on writing in the folder).
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if current.__traceback__ is not None:
            traceback.clear_frames(current.__traceback__)
        pending += [current.__cause__, current.__context__]


class Notice(str):
    """A warning whose advice names something to do: ``str()`` in the terms of the Python API (``call
    kgraph.persist.build(...)``), :attr:`cli_message` in those of the command line (``run kgraph load ...``), as
    :class:`KGraphError` words its messages. Anywhere a warning is a plain ``str``, it is the first."""

    cli_message: str

    def __new__(cls, python: str, cli: str) -> Self:
        notice = super().__new__(cls, python)
        notice.cli_message = cli
        return notice

    def __reduce__(self) -> tuple[type[Notice], tuple[str, str]]:
        """Pickled and copied with both wordings."""
        return type(self), (str(self), self.cli_message)


class KGraphError(Exception):
    """Base class of every error kgraph raises on purpose.

    ``str()`` says what to do in the terms of the Python API (``pass data_dir=DIR``), :attr:`cli_message` in those
    of the command line (``pass --data DIR``), which the CLI prints; most messages are the same in both.
    """

    exit_code: int = 2
    _cli_message: str | None = None

    @property
    def cli_message(self) -> str:
        """The message for the command line: ``str()``, unless its advice names an option there."""
        return str(self) if self._cli_message is None else self._cli_message

    @classmethod
    def in_both(cls, python: str, cli: str) -> Self:
        """The error with the message ``python`` (for a caller of the Python API) and ``cli`` (the command line)."""
        error = cls(python)
        error._cli_message = cli
        return error

    @classmethod
    def advising(cls, what: str, *, python: str, cli: str, then: str = "; ") -> Self:
        """The error ``what``, then what to do: ``python`` in ``str()``, ``cli`` in :attr:`cli_message`; ``then``
        joins them."""
        return cls.in_both(f"{what}{then}{python}", f"{what}{then}{cli}")


class InputError(KGraphError):
    """Bad input that is not a syntax error: a missing or empty folder, an unreadable file, a bad option."""

    exit_code = 2


class DataSyntaxError(InputError):
    """A file that does not parse. ``str()`` is one line: ``file:line: what is wrong; fix the file and run again``."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = " ".join(message.split())
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}; fix the file and run again"


class NotFoundError(KGraphError):
    """A name that matches nothing. Carries close matches to suggest."""

    exit_code = 1

    def __init__(
        self,
        what: str,
        suggestions: Sequence[str] = (),
        *,
        advice: tuple[str, str] | None = None,
        parameter: str | None = None,
    ) -> None:
        self.what = what
        self.suggestions = tuple(suggestions)
        #: What to do instead, in the Python API's terms and the command line's, in place of suggestions (a class
        #: named where an entity is asked for: list its members).
        self.advice = advice
        #: The saved query's parameter whose value named nothing, if it was one: the message begins with it.
        self.parameter = parameter
        super().__init__(str(self))

    def of_parameter(self, name: str) -> NotFoundError:
        """This error, about the value of the saved query's parameter ``name`` (``--param chip: nothing is ...``)."""
        return NotFoundError(self.what, self.suggestions, advice=self.advice, parameter=name)

    def __str__(self) -> str:
        about = "" if self.parameter is None else f"the parameter {self.parameter}: "
        if self.advice is not None:
            return f"{about}{self.what}; {self.advice[0]}"
        if not self.suggestions:
            return f"{about}{self.what}; kgraph.explore.entities(loaded) lists every entity"
        return f"{about}{self.what}; did you mean: " + ", ".join(self.suggestions)

    @property
    def cli_message(self) -> str:
        """As ``str()``, with the command that lists the entities when there is nothing to suggest."""
        about = "" if self.parameter is None else f"--param {self.parameter}: "
        if self.advice is not None:
            return f"{about}{self.what}; {self.advice[1]}"
        if not self.suggestions:
            return f"{about}{self.what}; try `kgraph entities` to list every entity"
        return f"{about}{self.what}; did you mean: " + ", ".join(self.suggestions)


class AmbiguousNameError(KGraphError):
    """A name that matches several things; lists them so the user can pick one by IRI."""

    exit_code = 1

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        super().__init__(str(self))

    def __str__(self) -> str:
        listed = "\n".join(f"  {c}" for c in self.candidates)
        return f"{self.name!r} names {len(self.candidates)} things; ask for one by its IRI:\n{listed}"


class AmbiguousPrefixError(KGraphError):
    """A prefixed name (``acme:chips``) whose prefix the data files bind to several namespaces: which IRI it means
    is not known. One line, naming each namespace and a file that binds the prefix to it."""

    exit_code = 1


class ValidationFailed(KGraphError):
    """The graph does not conform to the SHACL shapes. ``report`` is a :class:`kgraph.validation.ValidationReport`."""

    exit_code = 1

    def __init__(self, report: ValidationReport, summary: str) -> None:
        self.report = report
        super().__init__(summary)


class NoAnswerError(KGraphError):
    """A question the graph answers with "none": no path between two entities, no succession, no neighbour."""

    exit_code = 1


# --- SPARQL (kgraph query, kgraph queries) --------------------------------------------------------------------


class QueryError(InputError):
    """A query that cannot run as given: bad syntax, an undeclared prefix, something it is not allowed to do."""


class QuerySyntaxError(QueryError):
    """A query that does not parse. ``str()`` names the line and column and shows the line with a caret."""

    def __init__(self, source: str, line: int, column: int, text_line: str, message: str) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.text_line = text_line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        gutter = " " * len(str(self.line))
        caret = " " * max(0, _display_columns(self.text_line[: self.column - 1])) + "^"
        return (
            f"{self.source}:{self.line}:{self.column}: {self.message}\n"
            f"  {self.line} | {self.text_line}\n"
            f"  {gutter} | {caret}"
        )


class UnknownPrefixError(QuerySyntaxError):
    """A prefixed name whose prefix is neither one of kgraph's nor declared in the query."""

    def __init__(
        self, source: str, line: int, column: int, text_line: str, *, prefix: str, declared: Sequence[str]
    ) -> None:
        self.prefix = prefix
        self.declared = tuple(declared)
        message = (
            f"unknown prefix '{prefix}:'; the declared prefixes are {', '.join(self.declared)} "
            f"(add PREFIX {prefix}: <...> to the query to declare it)"
        )
        super().__init__(source, line, column, text_line, message)


class BareWordError(QuerySyntaxError):
    """A word without a prefix where a term belongs (``?x a Chip`` for ``?x a kg:Chip``): no term in SPARQL, so
    the query does not parse. ``terms`` are what the word may mean (``kg:Chip``); without any, the message says
    how to write a term."""

    def __init__(
        self,
        source: str,
        line: int,
        column: int,
        text_line: str,
        *,
        word: str,
        declared: Sequence[str],
        terms: Sequence[str] = (),
    ) -> None:
        self.word = word
        self.declared = tuple(declared)
        self.terms = tuple(terms)
        if self.terms:
            hint = f"did you mean {' or '.join(self.terms)}?"
        else:
            hint = (
                "write a prefixed name such as kg:Chip or an IRI in <...>; the declared prefixes are "
                f"{', '.join(self.declared)}"
            )
        message = f"syntax error at {word!r}: a word without a prefix is no term in SPARQL; {hint}"
        super().__init__(source, line, column, text_line, message)

    def meaning(self, terms: Sequence[str]) -> BareWordError:
        """This error, with ``terms`` as what the word may mean."""
        return BareWordError(
            self.source, self.line, self.column, self.text_line, word=self.word, declared=self.declared, terms=terms
        )


class UnsafeQueryError(QueryError):
    """A query that would reach the network or change the graph without the option that allows it."""

    #: What the network guard stopped (``urllib.Request: ...``), when it is the guard that refused the query; None
    #: for a refusal of the check before the query ran.
    attempt: str | None = None


class QueryNotAnswered(KGraphError):
    """A valid query that got no answer: it ran past its time limit, or the endpoint failed. Exit 3."""

    exit_code = 3


class QueryTimeout(QueryNotAnswered):
    """The query ran longer than its time limit and was stopped."""


class TooManyRows(QueryNotAnswered):
    """The answer has more rows (a SELECT's) or triples (a graph's) than the limit it was run with; it was stopped
    at the first one past the limit, so the message says "more than" the limit, never a count that depends on how
    far the query got."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the answer has more than {limit:,} rows (or triples), over the limit of {limit:,}")


class EndpointError(QueryNotAnswered):
    """A SPARQL endpoint that cannot be reached, refuses the query or sends back something unreadable."""


def _display_columns(text: str) -> int:
    """Terminal columns of ``text`` (East Asian wide characters count 2), so a caret lines up under Chinese."""
    from kgraph.text import display_width  # noqa: PLC0415 - errors.py imports nothing of kgraph at module level

    return display_width(text)


__all__ += [
    "BareWordError",
    "EndpointError",
    "QueryError",
    "QueryNotAnswered",
    "QuerySyntaxError",
    "QueryTimeout",
    "TooManyRows",
    "UnknownPrefixError",
    "UnsafeQueryError",
]


# --- the persistent store (kgraph load --store DIR) -----------------------------------------------------------


class StoreError(InputError):
    """A store folder that cannot be used: not a store, damaged, written by a newer kgraph, or opened read-only."""


class StoreReplaced(StoreError):
    """The store was replaced by ``kgraph load`` as it was opened: it is sound, and opens once opened again."""


class TooFewFiles(StoreError):
    """The process may open fewer files than Oxigraph needs to open the store (``ulimit -n``): the store is sound.
    :attr:`problem` says so without what to do, which the caller (the command line, a server) knows best."""

    problem = ""


__all__ += ["StoreError", "StoreReplaced", "TooFewFiles"]


# --- kgraph push ----------------------------------------------------------------------------------------------


class PushFailed(EndpointError):
    """A push the store did not complete (unreachable, an error answer). The message says what had been sent and
    what state the store is left in; ``reason`` is the failure alone, ``status`` the HTTP status the store answered
    with, if it answered. Both say what to do in the Python API's words (``batch=N``); :attr:`cli_message` and
    ``cli_reason`` in the command line's (``--batch N``)."""

    def __init__(
        self,
        message: str,
        *,
        reason: str | None = None,
        status: int | None = None,
        cli: str | None = None,
        cli_reason: str | None = None,
    ) -> None:
        self.reason = reason or message
        #: :attr:`reason` in the command line's words.
        self.cli_reason = cli_reason or (self.reason if reason is not None else cli or message)
        self.status = status
        super().__init__(message)
        if cli is not None:
            self._cli_message = cli


__all__ += ["PushFailed"]
