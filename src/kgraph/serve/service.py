"""What the server does with a request, apart from HTTP: check a query, run it within limits, render the answer.

Every query is parsed with :func:`kgraph.query.parse`, and its parsed algebra is checked with
:func:`kgraph.query.safety.inspect` before anything runs: an update, a ``SERVICE``, a ``LOAD`` or a ``FROM`` /
``FROM NAMED`` of a graph the dataset does not hold is refused (403). That check is what keeps a query from
reaching the network: rdflib would fetch a SERVICE with urllib (the network guard of :mod:`kgraph.query.safety`
would stop that too, from Python), but on a store (``--store``) a query runs in Oxigraph, which would fetch a
SERVICE from Rust, where no Python hook sees it. The query then runs with :func:`kgraph.query.run_local` (its own
check and guard included), in a worker thread given up at the time limit (503), and its rows are counted while it
runs: at the first row past the row limit it is stopped too (422). Answers are rendered by
:mod:`kgraph.query.formats`. With ``isolate`` (``kgraph serve --isolate``) all of that is done by a worker process
(:mod:`kgraph.serve.isolate`), which the server kills at the time limit.

A server on a store follows ``kgraph load``: when the store folder is replaced (a load puts a new folder in its
place), the next request opens the new store, and the old one is let go once the requests reading it are done.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XMLNS as XML_NAMESPACE
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from kgraph import __version__
from kgraph._compat import quiet_rdflib
from kgraph.errors import (
    AmbiguousNameError,
    BareWordError,
    InputError,
    KGraphError,
    NotFoundError,
    QueryError,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    StoreReplaced,
    TooFewFiles,
    TooManyRows,
    UnsafeQueryError,
    rebuild_the_store,
    store_failure,
)
from kgraph.names import primary_language
from kgraph.query import Answer, LocalResolver, ParsedQuery, SavedQuery, bind_saved, parse, run_local, saved_queries
from kgraph.query import formats as result_formats
from kgraph.query.columns import unused_columns
from kgraph.query.engine import run_in_worker
from kgraph.query.parsing import is_absolute_iri, is_iri_safe
from kgraph.query.safety import Fetch, inspect
from kgraph.query.vocabulary import meant_by, unknown_names
from kgraph.serve import negotiate
from kgraph.serve.isolate import Late, Pool, Source
from kgraph.serve.protocol import Problem, bad_request, forbidden
from kgraph.serve.settings import Settings
from kgraph.store import LoadedGraph, display_path
from kgraph.text import xml_carriage_returns, xml_text
from kgraph.vocab import bind_prefixes

#: The name of the worker threads :func:`kgraph.query.engine.run_in_worker` starts.
_WORKER_NAME = "kgraph-query"
#: Parsed queries a server keeps, by text: dashboards and notebooks send the same few texts again and again, and
#: parsing (rdflib, one query at a time, about 9 ms) is most of what a query costs on a store (Oxigraph answers
#: in about 1.5 ms). rdflib evaluates a parsed query as often as asked (as its prepared queries), but one
#: evaluation at a time: each request borrows a copy of its own (:meth:`Service.parsed`).
PARSED_KEPT = 256
#: The longest text kept (a query is usually a few hundred characters; a long one, up to ``--max-body``, is
#: parsed each time, so that the kept ones stay a few megabytes).
PARSED_TEXT_MAX = 20_000
#: Opening a replaced store is tried this many times, this many seconds apart: ``kgraph load`` moves the old
#: folder away and the new one in by two renames, and a request may come between them.
REOPEN_TRIES = 3
REOPEN_PAUSE = 0.1
#: After a store could not be opened, requests get 503 at once for this many seconds before it is tried again.
REOPEN_BACKOFF = 1.0
#: The part of a saved query's request that looks up its parameters' names (:meth:`Service.on_phase`), and the part
#: that runs it.
LOOKUP = "lookup"
RUN = "run"
#: What a query sent to /sparql is called in its errors and KGraph-Warning headers (``query:1:14: ...``), where
#: ``kgraph query 'SELECT ...'`` says ``<query>:1:14``. Kept apart on purpose: on a command line the angle brackets
#: (as Python's ``<stdin>``) tell the text from a file called ``query`` (``kgraph query -f query``); a request names
#: no file, and the SPARQL protocol sends the text as its ``query`` parameter (or as the body of a POST), which the
#: server's other messages name bare (``send it as query=...``). A saved query is ``NAME.rq``, as in the CLI.
SENT = "query"


@dataclass(frozen=True)
class Reply:
    """A successful answer: the body and its Content-Type, and what ``kgraph query`` would warn of the query (a
    column its pattern never mentions, a ``kg:`` name the graph holds nowhere), each without its ``warning: ``."""

    body: bytes
    content_type: str
    headers: Mapping[str, str] | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Served:
    """The graph a request is answered from, and what the server knows of it. A request takes one at its start
    and keeps it to the end, so that a store replaced meanwhile does not answer half of it."""

    loaded: LoadedGraph
    graph_names: frozenset[URIRef]
    triples: int
    #: Whether the viewer draws the whole graph (no more entities than :data:`kgraph.viewer.MAX_ENTITIES`).
    drawable: bool = True

    @classmethod
    def of(cls, loaded: LoadedGraph) -> Served:
        names = loaded.graph_names()
        import kgraph.viewer  # noqa: PLC0415 - cheap: numpy and pyvis load only when a page is drawn

        return cls(loaded, names, len(loaded.graph), kgraph.viewer.draws_whole(loaded))


#: The page of the ontology (kgraph.export.ontology.FILE), which does not draw the graph: served at any size.
ONTOLOGY_PAGE = "ontology.html"


def _cannot_reopen(store_dir: Path, failure: StoreError) -> str:
    """What the server's log says when it cannot open a store replaced under it, with what its operator may do: the
    command line's advice (``run the command again``) is no advice to a server that goes on running."""
    where = display_path(store_dir)
    if isinstance(failure, StoreReplaced):
        return f"cannot open the store {where} again: it was replaced again as it was opened; the next request retries"
    if isinstance(failure, TooFewFiles):
        return f"{failure.problem}; raise the limit with ulimit -n 512, and start the server again"
    return f"cannot open the store {where} again: {failure.cli_message}"


class Service:
    """The loaded graph and the settings, and everything the routes ask of them.

    On a store, ``notify`` is told when the store was replaced and opened again, or cannot be (the command line
    writes it on stderr).
    """

    def __init__(
        self,
        loaded: LoadedGraph,
        settings: Settings,
        *,
        notify: Callable[[str], None] | None = None,
        isolate: bool = False,
    ) -> None:
        self.settings = settings
        self._served = Served.of(loaded)
        self._notify = notify or (lambda _message: None)
        self._reopen_lock = threading.Lock()
        self._unavailable: tuple[float, Problem] | None = None
        # The requests reading each graph served (by id), and the graphs replaced whose store is still open, each
        # closed as the last request reading it ends (see _reading).
        self._readers: dict[int, int] = {}
        self._retired: dict[int, Served] = {}
        self._readers_lock = threading.Lock()
        self.saved: dict[str, SavedQuery] = {s.name: s for s in saved_queries()}
        self._running = 0
        self._running_lock = threading.Lock()
        # The pages of a graph, worked out once for it: the viewer's and the ontology's, or the ontology's alone and
        # the refusal to draw the others (a graph too large).
        self._pages: tuple[Served, dict[str, bytes], str | None] | None = None
        self._pages_lock = threading.Lock()
        # The saved queries' examples that the graph holds the names of, worked out once for it (see _examples).
        self._examples_of: tuple[Served, dict[str, list[dict[str, str]]]] | None = None
        self._examples_lock = threading.Lock()
        # Parsed queries by (text, source, base), each lent to one request at a time (see parse).
        self._parsed: OrderedDict[tuple[str, str, str | None], list[ParsedQuery]] = OrderedDict()
        self._parsed_lock = threading.Lock()
        # The warnings of the texts kept, with the graph they were worked out on (see warnings).
        self._warned: OrderedDict[tuple[str, str], tuple[Served, tuple[str, ...]]] = OrderedDict()
        self._warned_lock = threading.Lock()
        #: Told each part of a request as it begins (LOOKUP, RUN): a worker of --isolate tells the server, which
        #: then says what a late request says in that part.
        self.on_phase: Callable[[str], None] = lambda _phase: None
        #: Told that a query read a damaged part of the store (what to log): ``notify``, and in a worker of
        #: --isolate, which tells no store replaced (the server does), its standard error (the server's).
        self.on_damage: Callable[[str], None] = self._notify
        # With isolate, the processes that answer the queries (kgraph.serve.isolate); started last, from the
        # graph as loaded.
        self._pool = (
            Pool(Source.of(loaded), settings.max_running, settings.max_rows, notify=self._notify) if isolate else None
        )

    def close(self) -> None:
        """End the worker processes, if any (the server is stopping)."""
        if self._pool is not None:
            self._pool.close()

    @property
    def triples(self) -> int:
        """How many triples the graph served now has."""
        return self.current().triples

    @property
    def drawable(self) -> bool:
        """Whether the viewer (``/``) draws the graph served now: False when it has more entities than the viewer's
        limit, and ``/`` answers 422."""
        return self.current().drawable

    # ------------------------------------------------------------------------------------------ the store

    def current(self) -> Served:
        """The graph to answer from: the store opened again if ``kgraph load`` replaced it since it was opened
        (503 while the new one cannot be opened)."""
        served = self._served
        if not served.loaded.store_replaced():
            return served
        with self._reopen_lock:
            if self._served is served:  # no other request opened the new store meanwhile
                self._served = self._reopened(served)
                self._pages = None  # drawn from the old store, which they would keep open
                self._examples_of = None  # likewise
                with self._warned_lock:
                    self._warned.clear()  # worked out on the old graph
                self._let_go(served)
                if self._pool is not None:
                    self._pool.renew()  # its idle workers hold the old store
            return self._served

    @contextmanager
    def _reading(self) -> Iterator[Served]:
        """The graph to answer from (:meth:`current`), counted as read until the block ends: a store replaced is
        closed (:meth:`LoadedGraph.close`) when no request reads it any more, so that its database files, which
        the load deleted, free their disk space then. A collection freed them before, when it came: rdflib's
        graphs refer to each other, and a server under load seldom had no request running to try one.

        The worker thread of each query (and of a saved query's look-up of names) counts as a reader of its own
        (:meth:`_hold`) until it ends: one stopped at its time limit and still evaluated (Oxigraph cannot be
        interrupted) goes on reading after its request was answered (503), and read a store closed under it."""
        while True:
            served = self.current()
            with self._readers_lock:
                if served is self._served:  # else replaced meanwhile, and perhaps closed: take the new one
                    self._readers[id(served)] = self._readers.get(id(served), 0) + 1
                    break
        try:
            yield served
        finally:
            self._release(served)

    def _hold(self, served: Served) -> Callable[[], None]:
        """Count one more reader of ``served``, which the caller reads already (in :meth:`_reading`), and return
        what ends it, for a worker thread to call as it ends (``ended`` of :func:`kgraph.query.run_local`)."""
        with self._readers_lock:
            self._readers[id(served)] += 1
        return lambda: self._release(served)

    def _release(self, served: Served) -> None:
        """One reader of ``served`` fewer; its store is closed if it was replaced and that was the last."""
        with self._readers_lock:
            left = self._readers[id(served)] - 1
            if left:
                self._readers[id(served)] = left
            else:
                del self._readers[id(served)]
            done = None if left else self._retired.pop(id(served), None)
        if done is not None:
            done.loaded.close()

    def _let_go(self, served: Served) -> None:
        """Close the store of ``served``, replaced, now if no request reads it, else as the last one ends."""
        with self._readers_lock:
            if self._readers.get(id(served)):
                self._retired[id(served)] = served
                return
        served.loaded.close()

    def _reopened(self, served: Served) -> Served:
        store_dir = served.loaded.store_dir
        assert store_dir is not None  # noqa: S101 - store_replaced() is False without a store
        if self._unavailable is not None and time.monotonic() - self._unavailable[0] < REOPEN_BACKOFF:
            raise self._unavailable[1]
        from kgraph.persist import open_store  # noqa: PLC0415 - pyoxigraph is loaded already on a store

        for attempt in range(REOPEN_TRIES):
            try:
                loaded = open_store(store_dir)
            except StoreError as error:
                failure = error
                if attempt + 1 < REOPEN_TRIES:
                    time.sleep(REOPEN_PAUSE)
                continue
            opened = Served.of(loaded)
            self._unavailable = None
            # the banner listed the viewer at / or said the graph was too large to draw: either may have changed
            drawn = "" if opened.drawable else "; too many entities for the viewer at / to draw"
            self._notify(
                f"the store {display_path(store_dir)} was replaced (kgraph load): serving {opened.triples:,} "
                f"triples from the new one{drawn}"
            )
            return opened
        problem = Problem(
            503,
            "store-unavailable",
            "the store this server reads was replaced or removed, and the new one cannot be opened (the server's log "
            "says why); try again once kgraph load has rebuilt it",
            {"Retry-After": "5"},
        )
        self._notify(_cannot_reopen(store_dir, failure))
        self._unavailable = (time.monotonic(), problem)
        raise problem

    # ------------------------------------------------------------------------------------------ queries

    def sparql(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        accept: str | None = None,
        requested: Sequence[str] = (),
        base: str | None = None,
    ) -> Reply:
        """Answer a query sent to ``/sparql``: parse, check, run, render (by a worker process, with isolate).
        ``base``: the IRI the query's relative IRIs are resolved against where it declares no BASE (the endpoint's
        URL, as Oxigraph's server resolves them); without one they are refused (400)."""
        if self._pool is not None:
            self.current()  # a store replaced is opened again, and the workers renewed
            kwargs = {
                "default_graphs": tuple(default_graphs),
                "named_graphs": tuple(named_graphs),
                "accept": accept,
                "requested": tuple(requested),
                "base": base,
            }
            return self._isolated("sparql", (text,), kwargs)
        with self._reading() as served:
            with self.parsed(text, served=served, base=base) as kept:
                parsed = with_dataset(kept, default_graphs, named_graphs)
                _check_graphs(served, default_graphs, named_graphs)
                self.check(parsed, served)
                chosen = self.negotiate(parsed.kind, accept, requested)
                warnings = self.warnings(kept, served)
                answer = self.run(parsed, {}, served)
            # the rows of a large answer are read from the store as it renders
            return replace(self.render(answer, *chosen), warnings=warnings)

    def saved_query(
        self,
        name: str,
        given: Mapping[str, str],
        accept: str | None,
        requested: Sequence[str],
        *,
        language: str | None = None,
    ) -> Reply:
        """Answer ``/queries/NAME?param=value``: the saved query with its parameters bound. ``language``: the one the
        request's ``Accept-Language`` prefers, for the names of its errors when it gives no ``lang`` parameter."""
        saved = self.saved.get(name)
        if saved is None:
            listed = ", ".join(sorted(self.saved))
            raise Problem(404, "not-found", f"there is no saved query called {name!r}; /queries lists all: {listed}")
        if self._pool is not None:
            self.current()  # a store replaced is opened again, and the workers renewed
            return self._isolated("saved_query", (name, dict(given), accept, tuple(requested)), {"language": language})
        with self._reading() as served:
            with self.parsed(saved.text, f"{saved.name}.rq") as parsed:
                self.check(parsed, served)
                chosen = self.negotiate(parsed.kind, accept, requested)
                warnings = self.warnings(parsed, served, columns=False)  # as kgraph queries run: no columns
                # The names are looked up in the query's place among --max-running and within its time limit: on a
                # large store a name that matches nothing reads every label to suggest close ones (seconds of CPU).
                with self._slot():
                    started = time.monotonic()
                    self.on_phase(LOOKUP)
                    bindings = self._bind(saved, given, served, language)
                    self.on_phase(RUN)
                    answer = self._run(parsed, bindings, served, self._time_left(started), saved=saved.name)
            return replace(self.render(answer, *chosen), warnings=warnings)

    def _isolated(self, method: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> Reply:
        """``method`` answered by a worker process, in one of the ``--max-running`` places, killed at the time
        limit."""
        assert self._pool is not None  # noqa: S101 - with isolate only
        with self._slot():
            try:
                reply: Reply = self._pool.ask(method, args, kwargs, self.settings.timeout or None)
            except Late as late:
                if late.phase == LOOKUP:  # what a thread says, in the same words
                    raise Problem(503, "timeout", self._lookup_late(), {"Retry-After": "1"}) from None
                raise self._late(args[0] if method == "saved_query" else None) from None
        return reply

    def _lookup_late(self) -> str:
        """What a saved query's request is told when looking up its parameters' names takes too long."""
        return (
            f"looking up the parameters' names took longer than this server's limit of {self.settings.timeout:g} s "
            "and was stopped; give an entity by its IRI or prefixed name (kgr:...), or its exact label"
        )

    def _late(self, saved: str | None = None) -> Problem:
        """The answer to a query past the time limit; ``saved``: the saved query's name, whose client cannot edit
        its text, only its parameters."""
        # In a thread, a query is given up at the limit, but Oxigraph (a store) and a backtracking regular
        # expression go on until they end; a worker process (isolate) is killed.
        what = "stopped" if self._pool is not None else "given up"
        limit = f"this server's limit of {self.settings.timeout:g} s"
        if saved is None:
            message = (
                f"the query ran longer than {limit} and was {what}; make it more selective (a LIMIT, a narrower "
                "pattern)"
            )
        else:
            message = (
                f"the saved query {saved} ran longer than {limit} and was {what}; give its parameters values "
                "that match less, or ask the server's operator for a longer --timeout"
            )
        return Problem(503, "timeout", message, {"Retry-After": "1"})

    def _bind(
        self, saved: SavedQuery, given: Mapping[str, str], served: Served, language: str | None = None
    ) -> dict[str, Any]:
        """The values of ``given`` looked up for ``saved``'s parameters, in a worker stopped at the time limit. The
        candidates of an ambiguous name and the close names of one that matches nothing are named in the language
        the request asks its columns in (``lang=zh``), as ``kgraph queries run --param lang=zh`` names them, else in
        ``language`` (``Accept-Language``), else in English."""
        timeout = self.settings.timeout
        late = QueryTimeout(self._lookup_late())
        try:
            lang = primary_language(given.get("lang")) or language or "en"
            resolver = LocalResolver(served.loaded, lang=lang)
            return run_in_worker(
                lambda _c: bind_saved(saved, given, resolver),
                timeout=timeout or None,
                late=late,
                ended=self._hold(served),
            )
        except QueryTimeout as error:
            raise Problem(503, "timeout", str(error), {"Retry-After": "1"}) from None
        except NotFoundError as error:
            raise Problem(404, "not-found", _for_http(error.cli_message, saved)) from error
        except (AmbiguousNameError, KGraphError) as error:  # _for_http turns the command line's hints into HTTP's
            raise bad_request(_for_http(error.cli_message, saved)) from error

    def _time_left(self, started: float) -> float | None:
        """What remains of the time limit of a request that started at ``started`` (None: no limit)."""
        if not self.settings.timeout:
            return None
        return max(self.settings.timeout - (time.monotonic() - started), 0.001)

    @contextmanager
    def parsed(
        self, text: str, source: str = SENT, served: Served | None = None, base: str | None = None
    ) -> Iterator[ParsedQuery]:
        """:meth:`parse` for the block, then kept for the next request with the same text (and base)."""
        parsed = self.parse(text, source, served, base)
        yield parsed
        # Not after an error: a query stopped by the timeout may still be evaluated by its worker for a moment.
        self._keep(text, source, parsed)

    def parse(
        self, text: str, source: str = SENT, served: Served | None = None, base: str | None = None
    ) -> ParsedQuery:
        """``text`` parsed with the project's prefixes, its relative IRIs resolved against ``base``; 400 with line
        and column if it does not parse, and for a word without a prefix (``?x a Chip``) the terms of ``served`` it
        may mean (``kg:Chip``).

        The parsed query is the caller's alone: rdflib's evaluation writes into the algebra it walks (each
        expression keeps the context it is evaluated in), so two threads evaluating one parsed query gave each
        other rows and dropped their own. A text seen before takes a parsed copy another request gave back
        (:meth:`parsed`), if one is free, rather than being parsed again."""
        if not text.strip():
            raise bad_request(
                "the query is empty; send it as query=... (GET or a POST form) or as the body of a "
                "POST with Content-Type: application/sparql-query"
            )
        key = (text, source, base)
        parsed = None
        with self._parsed_lock:
            free = self._parsed.get(key)
            if free:
                parsed = free.pop()
                self._parsed.move_to_end(key)
        if parsed is None:
            try:  # one parse at a time (kgraph.query.parse holds _compat.SPARQL_PARSING); evaluated in parallel
                parsed = parse(text, source, base=base)
            except BareWordError as error:
                meant = error if served is None else error.meaning(meant_by(error.word, served.loaded))
                raise Problem(400, "bad-query", str(meant)) from error
            except QuerySyntaxError as error:
                raise Problem(400, "bad-query", str(error)) from error
        if parsed.is_update:
            self._keep(text, source, parsed)  # refused, never run: the next one is refused without parsing it
            raise forbidden(
                "this server is read-only: it answers queries (SELECT, ASK, CONSTRUCT, DESCRIBE) and refuses "
                "SPARQL updates"
            )
        return parsed

    def keep_parsed(self, text: str, source: str, parsed: ParsedQuery) -> None:
        """Keep ``parsed``, ``text`` parsed elsewhere (the fork server of ``--isolate`` parses the saved queries
        once for all its workers), for the next request with this text."""
        self._keep(text, source, parsed)

    def _keep(self, text: str, source: str, parsed: ParsedQuery) -> None:
        """Give ``parsed`` back for the next request with this text: at most as many copies of one text as
        requests may run at once, of at most :data:`PARSED_KEPT` texts."""
        if len(text) > PARSED_TEXT_MAX:
            return
        key = (text, source, parsed.base)  # a relative IRI is another IRI against another base
        with self._parsed_lock:
            free = self._parsed.setdefault(key, [])
            self._parsed.move_to_end(key)
            if len(free) < max(self.settings.max_running, 1):
                free.append(parsed)
            while len(self._parsed) > PARSED_KEPT:
                self._parsed.popitem(last=False)  # the least recently asked

    def warnings(self, parsed: ParsedQuery, served: Served, *, columns: bool = True) -> tuple[str, ...]:
        """What ``kgraph query`` warns of ``parsed`` on ``served``, each without its ``warning: ``: a column of a
        SELECT its pattern never mentions (with ``columns``: ``kgraph queries run`` does not look at a saved
        query's), a ``kg:`` name the graph holds nowhere. Worked out once for a text kept (:meth:`parsed`) and a
        graph: it reads the text's tokens again, which cost a query kept about as much as Oxigraph's answer."""
        key = (parsed.text, parsed.source)
        with self._warned_lock:
            kept = self._warned.get(key)
            if kept is not None and kept[0] is served:
                self._warned.move_to_end(key)
                return kept[1]
        found = [unused.warning() for unused in unused_columns(parsed)] if columns else []
        found += [unknown.warning() for unknown in unknown_names(parsed, served.loaded.graph, served.loaded.ontology)]
        warnings = tuple(warning.removeprefix("warning: ") for warning in found)
        if len(parsed.text) <= PARSED_TEXT_MAX:
            with self._warned_lock:
                self._warned[key] = (served, warnings)
                self._warned.move_to_end(key)
                while len(self._warned) > PARSED_KEPT:
                    self._warned.popitem(last=False)
        return warnings

    def check(self, parsed: ParsedQuery, served: Served) -> None:
        """Refuse (403) a query that would fetch anything: SERVICE, LOAD, or FROM a graph not in ``served``."""
        found = inspect(parsed, served.graph_names)
        for fetch in found.fetches:
            raise forbidden(_refusal(fetch))

    def negotiate(self, kind: str, accept: str | None, requested: Sequence[str]) -> tuple[str, str]:
        """The format to answer in and its Content-Type; 406 with the media types on offer."""
        try:
            return negotiate.answer_type(kind, accept, requested)
        except negotiate.NotAcceptable as error:
            what = {"SELECT": "a SELECT answer", "ASK": "an ASK answer"}.get(kind, "a graph")
            raise Problem(
                406,
                "not-acceptable",
                f"Accept: {accept} names no format {what} can be sent in; accept one of: {', '.join(error.offered)}",
            ) from error

    def run(self, parsed: ParsedQuery, bindings: Mapping[str, Any], served: Served) -> Answer:
        """Run ``parsed`` on ``served`` within the time and row limits, in one of the ``--max-running`` places."""
        with self._slot():
            return self._run(parsed, bindings, served, self.settings.timeout or None)

    def _run(
        self,
        parsed: ParsedQuery,
        bindings: Mapping[str, Any],
        served: Served,
        timeout: float | None,
        saved: str | None = None,
    ) -> Answer:
        """:meth:`run`, in a place already taken, stopped after ``timeout`` seconds; ``saved``: the saved query's
        name, for the advice of an error."""
        loaded = served.loaded
        try:
            return run_local(
                loaded, parsed, bindings, timeout=timeout, max_rows=self.settings.max_rows, ended=self._hold(served)
            )
        except TooManyRows as error:
            over = f"more than {error.limit:,} rows (or triples), over this server's limit of {error.limit:,}"
            raise Problem(
                422,
                "too-many-rows",
                f"the answer has {over}; add a LIMIT (and OFFSET to page through it) or narrow the query"
                if saved is None
                else f"the saved query {saved}'s answer has {over}; give its parameters values that match less, "
                "or ask the server's operator for a higher --max-rows",
            ) from None
        except QueryTimeout:
            raise self._late(saved) from None
        except UnsafeQueryError as error:  # the engine's own check or network guard: never past ours, but kept
            raise forbidden(_unsafe(error)) from error
        except Exception as error:
            # Oxigraph opens a store's table files as it first reads them: a load may have deleted them since.
            if loaded.store_replaced():
                raise Problem(
                    503,
                    "store-replaced",
                    "kgraph load replaced the store while this query read it; send it again",
                    {"Retry-After": "1"},
                ) from None
            # RocksDB checks each block as it reads it: a store damaged since it was built opens, and fails here.
            # The query is not at fault (it was a 400 bad-query, or a 500 with a traceback when rdflib read it).
            failed = store_failure(error)
            if failed is not None:
                raise self._damaged(loaded, failed) from None
            if isinstance(error, QueryError):
                raise Problem(400, "bad-query", str(error)) from error
            raise

    def _damaged(self, loaded: LoadedGraph, error: BaseException) -> Problem:
        """The answer to a query that read a damaged part of the store: a 500 that tells the client it is the
        server's fault, and the server's log what the database said, and the command that rebuilds the store."""
        store = display_path(loaded.store_dir) if loaded.store_dir is not None else "the store"
        self.on_damage(rebuild_the_store("the store {store} is damaged", store, error))
        return Problem(
            500,
            "store-damaged",
            "the store this server reads is damaged where this query read it (the server's log says where); "
            "the server's operator must rebuild it with kgraph load",
        )

    def _slot(self) -> _Slot:
        return _Slot(self)

    def render(self, answer: Answer, fmt: str, content_type: str | None = None) -> Reply:
        """``answer`` as ``fmt``, with ``content_type`` (by default the format's own)."""
        if fmt == "rdf+xml":
            assert answer.graph is not None  # noqa: S101 - negotiate offers RDF/XML for graphs only
            body = rdf_xml(answer.graph)
        else:
            body = result_formats.render(answer, fmt)
        return Reply(body, content_type or negotiate.CONTENT_TYPES[fmt])

    # ------------------------------------------------------------------------------------------ the rest

    def description(self, endpoint: str, accept: str | None = None, requested: Sequence[str] = ()) -> Reply:
        """The service description of the endpoint at ``endpoint`` (:mod:`kgraph.serve.description`), the answer to
        ``GET /sparql`` without a query: in the RDF format ``Accept`` (or a ``format`` parameter) asks for, Turtle
        by default; a browser's request (``text/html`` first), which no format here is, gets Turtle too."""
        from kgraph.serve.description import describe  # noqa: PLC0415 - for this request only

        served = self.current()
        ranges = negotiate.parse_accept(accept)
        if not requested and ranges and (ranges[0].kind, ranges[0].subtype) == ("text", "html"):
            chosen = ("turtle", negotiate.CONTENT_TYPES["turtle"])
        else:
            chosen = self.negotiate("DESCRIBE", accept, requested)
        graph = describe(endpoint, served.triples, served.graph_names)
        return self.render(Answer("DESCRIBE", graph=graph), *chosen)

    def catalogue(self, base: str) -> list[dict[str, object]]:
        """``/queries``: every saved query with its parameters and a URL that runs each of its examples that the
        served graph can answer (see :meth:`_examples`)."""
        examples = self._examples()
        return [
            {
                "name": saved.name,
                "title": saved.title,
                "description": saved.description,
                "parameters": [
                    {
                        "name": p.name,
                        "kind": p.kind,
                        "description": p.description,
                        "required": p.required,
                        **({"default": p.default} if p.default is not None else {}),
                        **({"class": p.type} if p.type is not None else {}),
                    }
                    for p in saved.params
                ],
                "url": f"{base}/queries/{saved.name}",
                "examples": [_example_url(base, saved.name, params) for params in examples[saved.name]],
                "sparql": saved.text,
            }
            for saved in self.saved.values()
        ]

    def _examples(self) -> dict[str, list[dict[str, str]]]:
        """The parameters of each saved query's examples whose names the served graph holds, worked out once for
        it: the examples name entities of the bundled keynote, which a graph of one's own may not hold, and a
        link that answers 404 is no example. Names are looked up as a request's are, without the close names a
        name that matches nothing would be told (which read every label)."""
        with self._reading() as served, self._examples_lock:
            if self._examples_of is not None and self._examples_of[0] is served:
                return self._examples_of[1]
            resolver = LocalResolver(served.loaded, suggesting=False)
            examples = {
                saved.name: [params for params in saved.example_params() if _binds(saved, params, resolver)]
                for saved in self.saved.values()
            }
            self._examples_of = (served, examples)
            return examples

    def health(self) -> dict[str, object]:
        """``/health``: that the graph is loaded, how big it is, whether ``/`` draws it, and how busy the server is."""
        served = self.current()
        return {
            "status": "ok",
            "version": __version__,
            "triples": served.triples,
            "graphs": len(served.graph_names),
            "store": served.loaded.store_dir is not None,
            # whether / draws the graph (False: more entities than the viewer draws, and / answers 422)
            "viewer": served.drawable,
            "running": self._running,
            # stopped at --timeout but still evaluated (Oxigraph, or a regular expression, cannot be interrupted):
            # each keeps its place among the --max-running until it ends
            "overdue": max(_workers() - self._running, 0),
            # with --isolate: the processes that answer queries (a query stopped at --timeout is killed with its
            # process, so none is ever overdue)
            "workers": self._pool.workers if self._pool is not None else 0,
            "limits": {
                "timeout_s": self.settings.timeout,
                "max_rows": self.settings.max_rows,
                "max_body_bytes": self.settings.max_body,
            },
        }

    def page(self, name: str) -> bytes | None:
        """A page of the viewer, by file name (``graph.html`` is the one at ``/``); None if there is no such page.

        The pages are those ``kgraph build`` writes, drawn from the loaded graph the first time one is asked for
        (and again after the store was replaced). A graph of more entities than the viewer draws is a 422 that says
        so (drawn, a large store's pages took hours, and held every other page request back), but for the
        ontology's page, which does not draw the graph: it is served without its link to the viewer's index.
        """
        with self._reading() as served, self._pages_lock:
            if self._pages is None or self._pages[0] is not served:
                from kgraph.viewer import render_exports  # noqa: PLC0415 - numpy and pyvis load only when asked

                try:
                    self._pages = (served, render_exports(served.loaded), None)
                except InputError as error:
                    # kept: counting a large store's entities to refuse took 0.3 s, for every request, in turn
                    self._pages = (served, {}, f"{error.cli_message}; or query the graph at /sparql")
            _served, pages, refused = self._pages
            if refused is not None and name == ONTOLOGY_PAGE and name not in pages:
                from kgraph.export import ontology  # noqa: PLC0415 - jinja2 loads only when asked

                pages[name] = ontology.render_page(served.loaded)  # when asked: it reads the whole graph's counts
        if name in pages or refused is None:
            return pages.get(name)
        raise Problem(422, "too-many-entities", refused)


def _workers() -> int:
    """The query workers alive: those of the queries running, and those stopped but still being evaluated."""
    return sum(1 for t in threading.enumerate() if t.name == _WORKER_NAME and t.is_alive())


class _Slot:
    """One of ``max_running`` places for a query; 503 at once when every place is taken.

    A query stopped at its time limit is counted until its thread has unwound: a query running in Oxigraph (a store)
    cannot be interrupted until it hands a row back, and must not be able to pile up threads.
    """

    def __init__(self, service: Service) -> None:
        self.service = service

    def __enter__(self) -> None:
        service = self.service
        with service._running_lock:
            if max(service._running, _workers()) >= service.settings.max_running:
                raise Problem(
                    503,
                    "busy",
                    f"{service.settings.max_running} queries are running, this server's limit; try again shortly",
                    {"Retry-After": "2"},
                )
            service._running += 1

    def __exit__(self, *_exc: object) -> None:
        with self.service._running_lock:
            self.service._running -= 1


def with_dataset(parsed: ParsedQuery, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> ParsedQuery:
    """``parsed`` with the protocol's ``default-graph-uri`` / ``named-graph-uri`` as its dataset.

    As the protocol says, they replace the query's own FROM and FROM NAMED; they then go through the same check as
    a FROM (a graph the dataset does not hold is refused, never fetched).
    """
    if not default_graphs and not named_graphs:
        return parsed
    if not isinstance(parsed.algebra, Query):  # pragma: no cover - updates are refused before
        return parsed
    clauses = [CompValue("DatasetClause", default=_iri(iri, "default-graph-uri")) for iri in default_graphs]
    clauses += [CompValue("DatasetClause", named=_iri(iri, "named-graph-uri")) for iri in named_graphs]
    main = CompValue(parsed.algebra.algebra.name)
    main.update(parsed.algebra.algebra)
    main["datasetClause"] = clauses
    return replace(parsed, algebra=Query(parsed.algebra.prologue, main))


def _check_graphs(served: Served, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> None:
    """Refuse (403) a ``default-graph-uri`` or ``named-graph-uri`` that names no graph of ``served``, in the
    parameter's own words (the check of the query's dataset would call it a FROM)."""
    for parameter, iris in (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)):
        for iri in iris:
            if URIRef(iri) not in served.graph_names:
                raise forbidden(
                    f"{parameter}={iri} names a graph this server does not hold, and it never fetches graphs; name "
                    "one of its graphs (SELECT DISTINCT ?g WHERE { GRAPH ?g {} } lists them)"
                )


def _iri(text: str, parameter: str) -> URIRef:
    """The graph a ``default-graph-uri`` or ``named-graph-uri`` names; 400 unless ``text`` is an absolute IRI.

    A relative IRI with a colon (``./a:b``, ``:a``, ``_:b0``) or a broken one (``http://x/%zz``) was taken for the
    name of a graph the server lacks, a 403; it names no graph at all, and Oxigraph's server refuses it too.
    """
    why = _not_an_iri(text)
    if why is not None:
        raise bad_request(
            f"{parameter}={text!r} is not an IRI: {why}; give the full IRI of a graph this server holds, with no "
            "< > around it (SELECT DISTINCT ?g WHERE { GRAPH ?g {} } lists them)"
        )
    return URIRef(text)


def _not_an_iri(text: str) -> str | None:
    """Why ``text`` is not an absolute IRI (RFC 3987, as Oxigraph checks it), in a client's terms; None if it is."""
    if not text:
        return "it is empty"
    if text.startswith("<") and text.endswith(">"):
        return "the < and > around it belong to SPARQL's syntax, not to the IRI"
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in text):
        return "it holds a space, line break or control character, which an IRI cannot (a space is %20)"
    if not is_absolute_iri(text):
        return "it is relative (it does not begin with a scheme, such as https: or urn:)"
    try:
        ox.NamedNode(text)
    except ValueError as error:
        reason = str(error)
        return reason[:1].lower() + reason[1:]  # what Oxigraph's IRI parser says
    # Oxigraph refuses each of these too; checked again since the IRI may be written into a query as <iri>
    return None if is_iri_safe(text) else 'it holds one of <>"{}|^`\\, which an IRI cannot'


def _refusal(fetch: Fetch) -> str:
    if fetch.clause == "SERVICE":
        return (
            f"SERVICE <{fetch.iri}> would send part of the query to another endpoint; this server answers from its "
            "own graph only and never makes requests, so SERVICE is refused"
        )
    if fetch.clause in ("FROM", "FROM NAMED"):
        return (
            f"{fetch.clause} <{fetch.iri}> names a graph this server does not hold, and it never fetches graphs; "
            "FROM and FROM NAMED (and default-graph-uri, named-graph-uri) may name only its own graphs"
        )
    return f"{fetch.clause} <{fetch.iri}> would fetch {fetch.iri}; this server never fetches anything"


def _unsafe(error: UnsafeQueryError) -> str:
    """What a client is told of a query the engine refused (its own check) or stopped (its network guard), past the
    server's check: in this server's words, never the advice of the Python API or the command line that the
    error's messages end with (``policy=Policy(allow_network=True)``, ``--allow-network``), which no client can
    follow."""
    if error.attempt is not None:
        return (
            f"the query tried to reach the network ({error.attempt}) and was stopped; this server answers from its "
            "own graph only and never makes requests"
        )
    return "the query would fetch or change something; this server answers from its own graph only, read-only"


def _for_http(message: str, saved: SavedQuery | None = None) -> str:
    """A core message with the command-line hints that make no sense over HTTP turned into HTTP terms: the example
    command of ``saved`` that it quotes becomes the path that runs the example (``/queries/NAME?KEY=VALUE``)."""
    if saved is not None:
        for command, params in zip(saved.examples, saved.example_params(), strict=True):
            message = message.replace(command, _example_url("", saved.name, params))
    message = _CLASS_ADVICE.sub(r"SELECT ?member WHERE { ?member a \2 } lists its members", message)
    return message.replace("--param ", "the parameter ").replace("`kgraph entities`", "a SPARQL query")


#: The command-line advice for a class named where an entity is asked for (:func:`kgraph.names.find`).
_CLASS_ADVICE = re.compile(r"kgraph entities --type (\S+) lists its members, kgraph show (\S+) the class")


def _binds(saved: SavedQuery, params: Mapping[str, str], resolver: LocalResolver) -> bool:
    """Whether the values ``params`` of ``saved``'s example are found by ``resolver``."""
    try:
        bind_saved(saved, params, resolver)
    except KGraphError:  # a name that matches nothing or several things, a class the ontology lacks
        return False
    return True


def _example_url(base: str, name: str, params: Mapping[str, str]) -> str:
    query = urlencode(params)
    return f"{base}/queries/{name}" + (f"?{query}" if query else "")


def rdf_xml(graph: Graph) -> bytes:
    """``graph`` as RDF/XML, triples in a fixed order; a character XML does not allow as U+FFFD and a carriage
    return as a character reference (as the SPARQL XML results: :func:`kgraph.query.formats.render`)."""
    ordered = Graph()
    bind_prefixes(ordered)
    # bind_prefixes binds only the project's prefixes; RDF/XML needs xml: for xml:lang (rdflib wrote an undeclared
    # ns2:lang, so every language-tagged literal made the document unreadable)
    ordered.namespace_manager.bind("xml", XML_NAMESPACE)
    for s, p, o in sorted(graph, key=lambda t: tuple(term.n3() for term in t)):
        if isinstance(o, Literal) and xml_text(str(o)) != str(o):
            o = Literal(xml_text(str(o)), lang=o.language, datatype=o.datatype)  # noqa: PLW2901
        ordered.add((s, p, o))
    with quiet_rdflib():
        text = ordered.serialize(format="pretty-xml", encoding="utf-8").decode("utf-8")
    return xml_carriage_returns(text).encode("utf-8")
