"""Run a parsed query on the loaded graph: safety checks, parameters, a time limit and progress reports.

The query runs in a worker thread while the calling thread waits, reports progress and enforces the time limit.
rdflib's evaluation is pure Python, so when time is up the worker is stopped by raising an exception inside it
(``PyThreadState_SetAsyncExc``, the one way CPython offers to interrupt another thread), again until it ends,
since Python drops such an exception when it lands in a ``__del__`` or a weakref callback; the caller gets
:class:`~kgraph.errors.QueryTimeout` at once either way.

With ``stream=True`` a SELECT's rows are not collected: once the first thousand are ready the answer is handed
over with a :class:`RowFeed`, which the worker goes on filling, a thousand rows at a time and a few thousand
ahead at most, while the calling thread writes them out. The time limit and the progress reports then go on
while the rows are read. The clock counts the time the worker evaluates, not the time it waits for the reader to
take rows when it is that far ahead: writing rows out slowly (a slow disk, a slow pipe) does not count, and a
query whose rows are made faster than they are written is still stopped at its limit.

Queries run on :attr:`LoadedGraph.dataset <kgraph.store.LoadedGraph.dataset>`: its default graph is the union of
all named graphs (ontology, sections, inferred), so a plain pattern sees everything, inferences included, and
``GRAPH ?g {...}`` ranges over the named graphs (the sections give a triple's provenance).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from http.client import HTTPException
from itertools import islice
from typing import Any, TypeVar
from urllib.error import URLError

from rdflib import Graph, URIRef, Variable
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query, Update
from rdflib.plugins.sparql.update import evalUpdate
from rdflib.term import Identifier, Node

from kgraph._compat import order_like_oxigraph, quiet_rdflib
from kgraph.errors import (
    EndpointError,
    InputError,
    KGraphError,
    QueryError,
    QueryTimeout,
    TooManyRows,
    UnsafeQueryError,
    release_frames,
)
from kgraph.query import safety
from kgraph.query.answer import Answer, Row
from kgraph.query.ntriples import SortedLines
from kgraph.query.parsing import Kind, ParsedQuery, parse
from kgraph.store import LoadedGraph
from kgraph.vocab import bind_prefixes

order_like_oxigraph()  # rdflib's ORDER BY sorts as a store does (see kgraph._compat)

Triple = tuple[Node, Node, Node]
#: ``progress(seconds_so_far, rows_so_far)``, called about twice a second once a query has run for a second.
Progress = Callable[[float, int], None]

T = TypeVar("T")

#: Seconds a query runs before the first progress report, and between reports.
PROGRESS_AFTER = 1.0
PROGRESS_EVERY = 0.5
#: A streamed answer's rows go from the worker to the reader in chunks of this many, at most this many chunks
#: ahead of the reader.
CHUNK_ROWS = 1000
CHUNKS_AHEAD = 4


@dataclass
class Counter:
    """Rows produced so far, updated by the worker and read by the waiting thread; ``in_oxigraph`` once the
    worker hands the query to Oxigraph, which evaluates it in Rust, where no :class:`Cancelled` reaches it;
    ``paused``: the seconds the worker has spent waiting for a streamed answer's reader to catch up, and since
    when it has been waiting again (None while it is not), in one tuple that the reader reads at once; ``done``:
    when the worker put a streamed answer's end in (reading what is left of it is no evaluation)."""

    rows: int = 0
    in_oxigraph: bool = False
    paused: tuple[float, float | None] = (0.0, None)
    done: float | None = None

    def pause_started(self) -> None:
        self.paused = (self.paused[0], time.perf_counter())

    def pause_ended(self) -> None:
        total, since = self.paused
        if since is not None:
            self.paused = (total + time.perf_counter() - since, None)

    def seconds_paused(self, now: float) -> float:
        total, since = self.paused
        return total if since is None else total + now - since


class Cancelled(BaseException):
    """Raised inside a worker thread to stop it (a BaseException, so that no ``except Exception`` catches it)."""


def run_local(
    loaded: LoadedGraph,
    parsed: ParsedQuery | str,
    bindings: Mapping[str, Identifier] | None = None,
    *,
    policy: safety.Policy | None = None,
    timeout: float | None = None,
    progress: Progress | None = None,
    stream: bool = False,
    max_rows: int | None = None,
    ended: Callable[[], None] | None = None,
) -> Answer:
    """Answer ``parsed`` from ``loaded`` with ``bindings`` (variable name -> value, as rdflib ``initBindings``).

    ``parsed`` is what :func:`~kgraph.query.parse` returns, or the text of a query, which is parsed first (and
    raises its :class:`~kgraph.errors.QuerySyntaxError`).

    Raises :class:`~kgraph.errors.UnsafeQueryError` for what ``policy`` does not allow (before anything runs),
    :class:`~kgraph.errors.QueryTimeout` past ``timeout`` seconds (a query in Oxigraph, on a store, is given up
    rather than stopped: it goes on in its thread until it ends), :class:`~kgraph.errors.QueryError` if rdflib
    cannot evaluate it. With ``stream``, a SELECT's ``rows`` are a :class:`RowFeed`, to be read once, which
    raises the same errors while it is read; a CONSTRUCT's or DESCRIBE's triples are N-Triples ``lines``
    (:class:`~kgraph.query.ntriples.SortedLines`, sorted before it returns), not a ``graph``; so is the graph after
    an update on a store that Oxigraph applies (:mod:`kgraph.query.updates`).

    A ``timeout`` that is not a number of seconds (0 or None: no limit), or a ``max_rows`` that is not a whole
    number, raises :class:`~kgraph.errors.InputError`.

    With ``max_rows`` (not with ``stream``), an answer of more rows (or a graph of more triples) raises
    :class:`~kgraph.errors.TooManyRows` from the worker as soon as the first one past the limit is made: at once,
    and with the same message whatever the query's speed (``kgraph serve``'s ``--max-rows``). A graph rdflib
    builds whole (CONSTRUCT and DESCRIBE in memory) is counted once built; one read from a store, as it grows.

    ``ended`` is called once, when nothing run here reads ``loaded`` any more: in the worker thread as it ends
    (after the time limit too: a query given up goes on until then), or before this raises if no worker started
    (a query refused before it runs). ``kgraph serve`` closes a replaced store only then.
    """
    try:
        if stream and max_rows is not None:
            raise ValueError("max_rows limits an answer collected whole, not a streamed one")
        _check_limits(timeout, max_rows)
        if isinstance(parsed, str):  # as rdflib's Graph.query takes it: it failed on "str has no attribute 'algebra'"
            parsed = parse(parsed)
        policy = policy or safety.Policy()
        graph_names = loaded.graph_names()
        safety.check(parsed, policy, graph_names)
    except BaseException:
        if ended is not None:
            ended()
        raise
    init = dict(bindings or {})
    started = time.perf_counter()

    def work(counter: Counter, hand_over: Callable[[Answer], None]) -> Answer:
        with safety.network_guard(active=not policy.allow_network) as record, quiet_rdflib():
            try:
                answer = _evaluate(
                    loaded, parsed, init, counter, stream=stream, limit=max_rows, local_graphs=graph_names
                )
                if isinstance(answer.rows, RowFeed):
                    answer.rows.fill(lambda: hand_over(answer))
            except safety.NetworkBlocked as blocked:
                raise _blocked(str(blocked)) from None
        if record.attempts:  # refused, and then swallowed by the library (SERVICE SILENT)
            raise _blocked(record.attempts[0])
        return answer

    answer = _run(work, timeout=timeout, progress=progress, ended=ended)
    if isinstance(answer.rows, RowFeed):
        answer.rows.answer, answer.rows.started = answer, started
    else:
        answer.seconds = time.perf_counter() - started
    return answer


def _blocked(attempt: str) -> UnsafeQueryError:
    error = UnsafeQueryError.in_both(
        f"the query tried to reach the network ({attempt}) and was stopped; kgraph does not reach the network "
        f"unless {safety.NETWORK_POLICY} allows it",
        f"the query tried to reach the network ({attempt}) and was stopped; kgraph query does not reach the "
        f"network unless you pass {safety.NETWORK_OPTION}",
    )
    error.attempt = attempt
    return error


def _evaluate(
    loaded: LoadedGraph,
    parsed: ParsedQuery,
    init: Mapping[str, Identifier],
    counter: Counter,
    *,
    stream: bool,
    limit: int | None,
    local_graphs: Iterable[URIRef] = (),
) -> Answer:
    try:
        if isinstance(parsed.algebra, Update):
            streamed = _update_in_store(loaded, parsed, init, counter) if stream else None
            return streamed or _update(loaded.graph, parsed.algebra, init)
        assert isinstance(parsed.algebra, Query)  # noqa: S101 - one or the other
        result = _in_store(loaded, parsed, init, stream, counter=counter, local_graphs=local_graphs) or evalQuery(
            loaded.dataset, parsed.algebra, init
        )
        if parsed.kind == "SELECT":
            rows = result.get("rows")  # a store's answer comes as rows already
            if rows is None:
                rows = _rows(result["bindings"], parsed.variables)
            if stream:
                return Answer("SELECT", parsed.variables, RowFeed(_checked(rows, parsed.source), counter))
            return Answer("SELECT", parsed.variables, _collected(rows, counter, limit))
        if parsed.kind == "ASK":
            return Answer("ASK", boolean=bool(result["askAnswer"]))
        return _graph_answer(parsed.kind, result, counter, stream, limit)
    except (KGraphError, safety.NetworkBlocked, Cancelled):
        raise
    except Exception as error:  # rdflib raises bare Exceptions for what it cannot evaluate
        raise _cannot(parsed.source, error) from error


def _collected(rows: Iterable[Row], counter: Counter, limit: int | None) -> list[Row]:
    """``rows`` as a list, counted in ``counter`` as they come, a chunk at a time; past ``limit`` rows,
    :class:`TooManyRows` as soon as the first one past it is made (never more are asked of the engine)."""
    table: list[Row] = []
    rows = iter(rows)
    while True:
        wanted = CHUNK_ROWS if limit is None else min(CHUNK_ROWS, limit + 1 - len(table))
        chunk = list(islice(rows, wanted))
        table += chunk
        counter.rows = len(table)
        if limit is not None and len(table) > limit:
            _close(rows)  # in this thread, which made them (an Oxigraph answer may only be dropped in its own)
            raise TooManyRows(limit)
        if len(chunk) < wanted:
            return table


def _close(source: object) -> None:
    close = getattr(source, "close", None)
    if close is not None:
        close()


def _graph_answer(kind: Kind, result: Mapping[str, Any], counter: Counter, stream: bool, limit: int | None) -> Answer:
    """A CONSTRUCT's or DESCRIBE's answer from ``result``'s ``graph`` (rdflib's) or ``triples`` (made as a store's
    answer is read): as an rdflib graph, or with ``stream`` as N-Triples lines sorted in temporary files past a
    size, so that a large answer is never held whole. Either is done here, in the worker: the time limit covers
    it, and a store's answer is let go of in the thread that read it."""
    triples = result.get("triples")
    source = result["graph"] if triples is None else triples
    try:
        if stream:

            def counted() -> Iterator[Triple]:
                for triple in source:
                    yield triple
                    counter.rows += 1

            return Answer(kind, lines=SortedLines.of(counted()))
        if triples is None:  # rdflib's, built whole
            graph = result["graph"]
            if limit is not None and len(graph) > limit:
                raise TooManyRows(limit)
        else:  # a store's, counted as read: the limit stops it as it grows
            graph = _filled_graph(triples, counter, limit)
        bind_prefixes(graph)
        return Answer(kind, graph=graph)
    finally:
        _close(triples)


def _filled_graph(triples: Iterable[Triple], counter: Counter, limit: int | None) -> Graph:
    """A graph of ``triples``, counted in ``counter`` as they are read, a chunk at a time. With a ``limit``, the
    triples are kept aside until they are known to be within it: past it, :class:`TooManyRows` comes within a chunk
    of the first one, before any graph is built (rdflib's graph takes most of the time: about 70 µs a triple,
    against a few to read one). Without, each chunk goes into the graph as it is read.

    Oxigraph sends each triple of a CONSTRUCT or DESCRIBE once, but rdflib may find two of them equal (a literal
    it normalizes): past the limit, the triples are told apart before they are refused, and from then on."""
    graph = Graph()
    kept: list[Triple] = []
    distinct: dict[Triple, None] | None = None
    triples = iter(triples)
    while chunk := list(islice(triples, CHUNK_ROWS)):
        if limit is None:
            graph.addN((s, p, o, graph) for s, p, o in chunk)
            counter.rows = len(graph)
            continue
        if distinct is None:
            kept += chunk
            if len(kept) > limit:
                distinct, kept = dict.fromkeys(kept), []
        else:
            distinct.update(dict.fromkeys(chunk))
        counter.rows = len(kept) if distinct is None else len(distinct)
        if counter.rows > limit:
            raise TooManyRows(limit)
    graph.addN((s, p, o, graph) for s, p, o in (kept if distinct is None else distinct))
    return graph


def _cannot(source: str, error: Exception) -> QueryError | EndpointError:
    if isinstance(error, (URLError, ConnectionError, TimeoutError, HTTPException)):  # a SERVICE not reached
        return EndpointError(f"{source}: a SERVICE of this query did not answer: {error}")
    if "requiring a dataset" in str(error):  # rdflib's words name its classes, not what to do
        return QueryError(
            f"{source}: rdflib cannot evaluate this query: it names a graph (GRAPH, WITH, USING, CREATE, DROP, CLEAR, "
            "ADD, MOVE, COPY or LOAD), and an update changes a copy of the flat graph, which has none; leave the "
            "graph out (CLEAR DEFAULT for CLEAR ALL), or write SILENT after CREATE, DROP, CLEAR, ADD, MOVE, COPY or "
            "LOAD to skip it"
        )
    return QueryError(f"{source}: rdflib cannot evaluate this query: {error}")


def _checked(rows: Iterable[Row], source: str) -> Iterator[Row]:
    """``rows``, with what rdflib raises while it evaluates them made a :class:`QueryError`, as
    :func:`_evaluate` makes it."""
    try:
        yield from rows
    except (KGraphError, safety.NetworkBlocked, Cancelled):
        raise
    except Exception as error:
        raise _cannot(source, error) from error


def _in_store(
    loaded: LoadedGraph,
    parsed: ParsedQuery,
    init: Mapping[str, Identifier],
    stream: bool,
    *,
    counter: Counter,
    local_graphs: Iterable[URIRef] = (),
) -> Mapping[str, Any] | None:
    """On a store (``kgraph load``) the query runs in Oxigraph, many times faster than rdflib's engine over the same
    store; one that names a SERVICE, a FROM graph the store does not hold (``--allow-network`` lets rdflib fetch
    it) or more than one FROM graph, or that Oxigraph does not accept, is left to rdflib. Its FROM and FROM NAMED
    (in the text, or set by ``kgraph serve`` from the protocol's ``default-graph-uri`` and ``named-graph-uri``:
    :func:`kgraph.serve.service.with_dataset`) are read from the parsed query and given to Oxigraph; rdflib copied
    each graph named out of the store into memory first, which took longer than the time limit for the inferred
    graph of a store of 100k triples.

    A CONSTRUCT streamed (to sorted lines, which drop duplicate triples themselves) runs as a SELECT of its pattern
    with kgraph filling the template (:func:`kgraph.oxstore.evaluate`), so that Oxigraph does not also keep every
    triple it sends. Into a graph it runs as written: Oxigraph's duplicates dropped cost less than the graph's."""
    if loaded.store_dir is None:
        return None
    found = safety.inspect(parsed, local_graphs)
    if found.fetches:
        return None
    default = [clause.iri for clause in found.dataset_clauses if clause.clause == "FROM"]
    if len(default) > 1:  # SPARQL merges them (each triple once), as rdflib does; Oxigraph would repeat a triple
        return None
    from kgraph import persist  # noqa: PLC0415 - pyoxigraph loads only for a store

    dataset = None
    if found.dataset_clauses:
        named = tuple(clause.iri for clause in found.dataset_clauses if clause.clause == "FROM NAMED")
        dataset = persist.QueryDataset(default[0] if default else None, named)
    query, template = parsed.algebra.algebra, None
    if stream and parsed.kind == "CONSTRUCT" and isinstance(query, CompValue):
        template = query.get("template")
    counter.in_oxigraph = True
    return persist.evaluate(loaded, parsed.text, init, parsed.variables, template, dataset=dataset, base=parsed.base)


def _rows(bindings: Iterable[Mapping[Variable, Identifier]], variables: tuple[str, ...]) -> Iterator[Row]:
    names = [Variable(v) for v in variables]
    for binding in bindings:
        yield tuple(binding.get(name) for name in names)


def _update(graph: Graph, update: Update, init: Mapping[str, Identifier]) -> Answer:
    """Apply ``update`` to a copy of the flat ``graph``; the loaded graph is never changed.

    The copy is one graph (ontology, data and inferences, as ``kgraph.ttl``) rather than the dataset: rdflib 7
    cannot apply INSERT DATA or DELETE DATA to a dataset whose default graph is the union of the others.

    The graph is read once, into a set the copy is compared with: on a store each triple of the copy was looked up
    in the store (Oxigraph, through rdflib) and the store read a second time, 9 of the 15 CPU-seconds of an update
    of 243,486 triples. The triples removed are those the copy lacks: as many as it has fewer than the graph, once
    the triples added are left out.
    """
    original = set(graph)
    copy = Graph()
    bind_prefixes(copy)
    copy.addN((s, p, o, copy) for s, p, o in original)
    evalUpdate(copy, update, init)
    added = sum(1 for triple in copy if triple not in original)
    removed = len(original) - (len(copy) - added)
    return Answer("UPDATE", graph=copy, added=added, removed=removed)


def _update_in_store(
    loaded: LoadedGraph, parsed: ParsedQuery, init: Mapping[str, Identifier], counter: Counter
) -> Answer | None:
    """On a store, an update streamed (``run_local(stream=True)``) runs in Oxigraph, on a copy of the flat graph in
    an in-memory Oxigraph store, and the graph after it comes as N-Triples ``lines`` (sorted, each once): the copy
    in rdflib's memory took 1.3 GB and a minute at a million triples. None, for :func:`_update` to apply it in
    rdflib as before: in memory, with parameters (Oxigraph's update takes none), an update whose graph the engines
    would make differently (:func:`kgraph.query.updates.fits_oxigraph`), or one Oxigraph refuses or fails in
    (rdflib then gives its answer, or the error it gave)."""
    if loaded.store_dir is None or init:
        return None
    from kgraph import oxstore  # noqa: PLC0415 - pyoxigraph loads only for a store
    from kgraph.query.updates import fits_oxigraph  # noqa: PLC0415

    native = oxstore.native_of(loaded)
    assert isinstance(parsed.algebra, Update)  # noqa: S101 - the caller's test
    if native is None or not fits_oxigraph(parsed.algebra):
        return None

    def in_oxigraph(value: bool) -> Callable[[], None]:
        return lambda: setattr(counter, "in_oxigraph", value)

    try:
        copy = oxstore.updated_copy(native, parsed.text, in_oxigraph(True), in_oxigraph(False))
    except (SyntaxError, OSError):
        counter.in_oxigraph = False
        return None
    return Answer("UPDATE", lines=copy.lines, added=copy.added, removed=copy.removed)


# ------------------------------------------------------------------------------------------ streamed rows


_END = object()


class RowFeed:
    """A SELECT's rows on their way from the worker thread that evaluates the query to the thread that writes
    them: a chunk of :data:`CHUNK_ROWS` at a time, at most :data:`CHUNKS_AHEAD` chunks ahead, so that the answer
    is never held whole. It is read once; ``len()`` is the number of rows read so far (the answer's size, once
    read). Reading it enforces the query's time limit and reports its progress, as waiting for the answer did;
    an error in the worker is raised where the reader has got to. Stopping early (closing the iterator, an
    error while writing) stops the worker. ``counter`` is the query's: the worker counts its rows there, and the
    time it waits for the reader."""

    def __init__(self, rows: Iterator[Row], counter: Counter) -> None:
        self._rows = rows
        self._counter = counter
        self._chunks: queue.Queue[Any] = queue.Queue(CHUNKS_AHEAD)
        self._stopped = threading.Event()
        self._read = 0
        self._reading = False
        #: Set when the feed is handed over: the worker's watch, the answer and when its query started.
        self.watch: _Watch | None = None
        self.answer: Answer | None = None
        self.started = 0.0

    # --- the worker's side

    def fill(self, hand_over: Callable[[], None]) -> None:
        """Evaluate the rows into the feed; the answer is handed over once the first chunk is in (so that a query
        that fails at once fails as an unstreamed one does, before anything is written)."""
        chunk: list[Row] = []
        handed = False
        counter = self._counter
        try:
            for row in self._rows:
                chunk.append(row)
                counter.rows += 1
                if len(chunk) == CHUNK_ROWS:
                    self._put(chunk)
                    chunk = []
                    if not handed:
                        hand_over()
                        handed = True
        finally:
            # Let go of the rows here, in the thread that made them, however the loop ended: an Oxigraph answer
            # may only be dropped in its own thread (pyo3 reports "unsendable ... dropped on another thread").
            rows, self._rows = self._rows, iter(())
            close = getattr(rows, "close", None)
            if close is not None:
                close()
            del rows
        self._put(chunk)
        if not handed:
            hand_over()

    def end(self, error: BaseException | None) -> None:
        """The last item: the end of the rows, or the error that stopped them (after the answer was handed over)."""
        self._put(_END if error is None else error)
        self._counter.done = time.perf_counter()

    def _put(self, item: object) -> None:
        """Put a chunk (or the end) in, once the reader has made room: the time waited for it is not the query's."""
        try:
            self._chunks.put_nowait(item)
            return
        except queue.Full:
            pass
        self._counter.pause_started()
        try:
            while not self._stopped.is_set():
                try:
                    self._chunks.put(item, timeout=0.1)
                    return
                except queue.Full:
                    continue
            raise Cancelled
        finally:
            self._counter.pause_ended()

    # --- the reader's side

    def __iter__(self) -> Iterator[Row]:
        if self._reading:
            raise RuntimeError("a streamed answer can be read only once")
        self._reading = True
        watch = self.watch
        assert watch is not None  # noqa: S101 - set when handed over
        complete = False
        try:
            while True:
                item = watch.take(self._chunks)
                if item is _END:
                    complete = True
                    break
                if isinstance(item, BaseException):
                    raise item
                self._read += len(item)
                yield from item
        finally:
            if complete:
                watch.worker.join()  # it has put the end: it is returning
            else:
                self.close()
        if self.answer is not None:
            self.answer.seconds = time.perf_counter() - self.started

    def __len__(self) -> int:
        return self._read

    def close(self) -> None:
        """Stop the worker if it is still evaluating (the reader stopped early); nothing once the rows are read.
        A worker waiting to put a chunk stops at once; one still evaluating is interrupted."""
        self._stopped.set()
        if self.watch is not None:
            self.watch.stop()


# ------------------------------------------------------------------------------------------ the worker thread


class _Watch:
    """The waiting thread's side of a worker: it enforces the time limit and reports progress while it waits for
    the answer, then each time it takes streamed rows. The clock runs from the worker's start, less the time the
    worker has waited for the reader to take rows (:attr:`Counter.paused`): writing the rows does not count, but
    evaluating them does, even when the reader never has to wait for them."""

    def __init__(
        self,
        worker: _Worker,
        counter: Counter,
        timeout: float | None,
        progress: Progress | None,
        late: QueryTimeout | None = None,
    ) -> None:
        self.worker = worker
        self.counter = counter
        self.timeout = timeout
        self.progress = progress
        self.late = late
        self.started = time.perf_counter()
        self.next_report = PROGRESS_AFTER

    def spent(self) -> float:
        """Seconds the query has been evaluated so far (all of them, once its worker is done)."""
        done = self.counter.done
        now = time.perf_counter() if done is None else done
        return now - self.started - self.counter.seconds_paused(now)

    def wait(self, step: Callable[[float], bool]) -> None:
        """Call ``step(seconds)``, which waits at most that long and says whether the wait is over, until it is."""
        try:
            while True:
                spent = self.spent()
                if self.timeout and spent >= self.timeout:
                    raise self.late or self._late()
                if self.progress is not None and spent >= self.next_report:
                    self.progress(spent, self.counter.rows)
                    self.next_report = spent + PROGRESS_EVERY
                # Without progress reports, next_report does not set the wake-up time, or this thread would spin
                # and take the GIL from the worker for as long as the query runs.
                report_at = self.next_report if self.progress is not None else None
                wake = min(t for t in (self.timeout or None, report_at, spent + 0.05) if t is not None)
                if step(max(0.0, wake - spent)):
                    return
        except BaseException:
            self.stop()
            raise

    def _late(self) -> QueryTimeout:
        """The error past the time limit. A query in Oxigraph cannot be stopped, only given up: Python says so,
        since the evaluation goes on in its thread; a command exits at once, which ends it."""
        what = f"the query ran longer than {self.timeout:g} s and was"
        advice = "pass a larger timeout (None for no limit), or make the query more selective"
        return QueryTimeout.in_both(
            f"{what} given up: Oxigraph cannot be interrupted, so it goes on evaluating the query in a thread of "
            f"this process until the evaluation ends; {advice}"
            if self.counter.in_oxigraph
            else f"{what} stopped; {advice}",
            f"{what} stopped; pass --timeout SECONDS to allow more time (0 for no limit), or make the query more "
            "selective",
        )

    def take(self, chunks: queue.Queue[Any]) -> Any:  # noqa: ANN401 - a chunk of rows, the end, or an error
        """The next item of a :class:`RowFeed`, waited for as the answer was."""
        taken: list[Any] = []

        def step(seconds: float) -> bool:
            try:
                taken.append(chunks.get(timeout=seconds))
            except queue.Empty:
                if not self.worker.is_alive() and chunks.empty():
                    taken.append(QueryError("the query stopped before its answer was complete"))
                    return True
                return False
            return True

        self.wait(step)
        return taken[0]

    def stop(self) -> None:
        self.worker.cancel()


def _check_limits(timeout: object, max_rows: object) -> None:
    """InputError for a ``timeout`` or ``max_rows`` of :func:`run_local` that is not a number of the kind it takes:
    a ``str`` (an environment variable's value) failed deep in the wait with a TypeError, a negative timeout
    stopped every query at once ("ran longer than -1 s"), a NaN one none."""
    seconds = timeout if isinstance(timeout, int | float) and not isinstance(timeout, bool) else None
    if timeout is not None and not (seconds is not None and seconds >= 0):
        raise InputError(f"timeout is {timeout!r}; pass seconds as a number (0 or None for no limit)")
    rows = max_rows if isinstance(max_rows, int) and not isinstance(max_rows, bool) else None
    if max_rows is not None and not (rows is not None and rows >= 0):
        raise InputError(f"max_rows is {max_rows!r}; pass a whole number of rows (None for no limit)")


def run_in_worker(
    work: Callable[[Counter], T],
    *,
    timeout: float | None = None,
    progress: Progress | None = None,
    late: QueryTimeout | None = None,
    ended: Callable[[], None] | None = None,
) -> T:
    """Run ``work(counter)`` in a worker thread; return its result or raise its exception in this thread.

    Past ``timeout`` seconds (None or 0: no limit) the worker is stopped and :class:`QueryTimeout` raised (with
    ``late`` raised instead, if given); so is it if this thread is interrupted (Ctrl-C). ``progress`` is called
    while waiting, after the first second. ``ended`` is called in the worker as it ends (which may be after this
    returned, for work that cannot be interrupted), or here if it cannot start.
    """
    return _run(lambda counter, _hand_over: work(counter), timeout=timeout, progress=progress, late=late, ended=ended)


def _run(
    work: Callable[[Counter, Callable[[Answer], None]], T],
    *,
    timeout: float | None = None,
    progress: Progress | None = None,
    late: QueryTimeout | None = None,
    ended: Callable[[], None] | None = None,
) -> T:
    """:func:`run_in_worker`, where ``work`` may also hand an answer over before it is done: one whose rows are a
    :class:`RowFeed` it goes on filling. Waiting then ends, and the feed's reader waits for the rest."""
    counter = Counter()
    outcome: dict[str, Any] = {}
    handed = threading.Event()

    def hand_over(answer: Answer) -> None:
        outcome["value"] = answer
        handed.set()

    def target() -> None:
        try:
            value = work(counter, hand_over)
            if handed.is_set():
                outcome["value"].rows.end(None)
            else:
                outcome["value"] = value
        except Cancelled:
            outcome["cancelled"] = True
        except BaseException as error:  # handed to the waiting thread (or to the feed's reader), raised again there
            release_frames(error)
            if not handed.is_set():
                outcome["error"] = error
                return
            try:
                outcome["value"].rows.end(error)
            except Cancelled:
                outcome["cancelled"] = True

    worker = _Worker(target, ended)
    watch = _Watch(worker, counter, timeout, progress, late)
    try:
        worker.start()
    except BaseException:  # no thread to call it
        if ended is not None:
            ended()
        raise

    def step(seconds: float) -> bool:
        worker.join(seconds)
        return not worker.is_alive() or handed.is_set()

    watch.wait(step)
    if handed.is_set():
        outcome["value"].rows.watch = watch
        return outcome["value"]  # type: ignore[no-any-return]
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


class _Worker(threading.Thread):
    """The thread a query runs in, which :meth:`cancel` stops by raising :class:`Cancelled` inside it.

    Python drops an exception raised in a ``__del__`` or a weakref callback (a garbage collection can run either
    in the worker at any time): it prints "Exception ignored in ..." and goes on. So a Cancelled is sent again
    until the worker has ended, and one dropped that way is not printed. One sent as the worker ends is taken
    back (a pending asynchronous exception can be cleared), so that none escapes from the thread: the sending
    and the ending are done under one lock, and the worker does nothing there where Python would raise it.
    ``ended`` is called after that, where no Cancelled comes any more."""

    def __init__(self, target: Callable[[], None], ended: Callable[[], None] | None = None) -> None:
        super().__init__(name="kgraph-query", daemon=True)
        self._target_work = target
        self._on_end = ended
        self._lock = threading.Lock()
        self._over = False
        # Set as the work ends. Not Thread.join/is_alive: a KeyboardInterrupt in a join can leave Python 3.11 taking
        # a running thread for ended (its lock released by threading's clean-up of the interrupted wait).
        self._ended = threading.Event()
        # Set with the first Cancelled sent: ctypes is imported only when a query is stopped.
        self._send: Callable[[Any, Any], int] | None = None
        self._thread_id: Any = None

    def run(self) -> None:
        try:
            self._target_work()
        except Cancelled:
            pass
        finally:
            del self._target_work  # as threading.Thread.run does: the work refers to the answer, which refers here
            # Nothing here calls a Python function or loops, the points where Python raises a pending exception.
            with self._lock:
                self._over = True
                if self._send is not None:
                    self._send(self._thread_id, None)  # take back a Cancelled sent and not raised yet
            try:
                if self._on_end is not None:
                    self._on_end()
            finally:
                self._ended.set()

    def cancel(self, grace: float = 1.0) -> None:
        """Raise :class:`Cancelled` inside the worker, again every 50 ms while it runs, and wait at most
        ``grace`` seconds for it to end; past that, a thread of its own goes on sending it until it does."""
        deadline = time.monotonic() + grace
        while self._signal():
            if self._ended.wait(0.05):
                return
            if time.monotonic() >= deadline:
                threading.Thread(target=self._keep_cancelling, name="kgraph-query-stop", daemon=True).start()
                return

    def _keep_cancelling(self) -> None:
        while self._signal() and not self._ended.wait(0.05):
            pass

    def _signal(self) -> bool:
        """Send one Cancelled if the worker still runs; whether it did."""
        with self._lock:
            if self._over or self.ident is None:
                return False
            if self._send is None:
                import ctypes  # noqa: PLC0415 - only when a query is stopped, not at every start-up

                self._send = ctypes.pythonapi.PyThreadState_SetAsyncExc
                self._thread_id = ctypes.c_ulong(self.ident)
                _quiet_dropped_cancels()
            self._send(self._thread_id, _CANCELLED)
            return True


_CANCELLED: Any = None  # ctypes.py_object(Cancelled), made with the first one sent


def _quiet_dropped_cancels() -> None:
    """Let ``sys.unraisablehook`` pass over a Cancelled that Python dropped (it is sent again), and report
    anything else as before."""
    global _CANCELLED  # noqa: PLW0603 - made once, when the first query is stopped
    import ctypes  # noqa: PLC0415
    import sys  # noqa: PLC0415

    if _CANCELLED is None:
        _CANCELLED = ctypes.py_object(Cancelled)
    previous = sys.unraisablehook
    if getattr(previous, "kgraph_quiet", False):
        return

    def hook(unraisable: Any) -> None:  # noqa: ANN401 - sys.UnraisableHookArgs
        if not isinstance(unraisable.exc_value, Cancelled):
            previous(unraisable)

    hook.kgraph_quiet = True  # type: ignore[attr-defined]
    sys.unraisablehook = hook
