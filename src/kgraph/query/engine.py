"""Run a parsed query on the loaded graph: safety checks, parameters, a time limit and progress reports.

The query runs in a worker thread while the calling thread waits, reports progress and enforces the time limit.
rdflib's evaluation is pure Python, so when time is up the worker is stopped by raising an exception inside it
(``PyThreadState_SetAsyncExc``, the one way CPython offers to interrupt another thread); the caller gets
:class:`~kgraph.errors.QueryTimeout` at once either way.

Queries run on :attr:`LoadedGraph.dataset <kgraph.store.LoadedGraph.dataset>`: its default graph is the union of
all named graphs (ontology, sections, inferred), so a plain pattern sees everything, inferences included, and
``GRAPH ?g {...}`` ranges over the named graphs (the sections give a triple's provenance).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from rdflib import Graph, URIRef, Variable
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.sparql import Query, Update
from rdflib.plugins.sparql.update import evalUpdate
from rdflib.term import Identifier

from kgraph._compat import quiet_rdflib
from kgraph.errors import KGraphError, QueryError, QueryTimeout, UnsafeQueryError
from kgraph.query import safety
from kgraph.query.answer import Answer, Row
from kgraph.query.parsing import ParsedQuery
from kgraph.store import LoadedGraph
from kgraph.vocab import bind_prefixes

#: ``progress(seconds_so_far, rows_so_far)``, called about twice a second once a query has run for a second.
Progress = Callable[[float, int], None]

T = TypeVar("T")

#: Seconds a query runs before the first progress report, and between reports.
PROGRESS_AFTER = 1.0
PROGRESS_EVERY = 0.5


@dataclass
class Counter:
    """Rows produced so far, updated by the worker and read by the waiting thread."""

    rows: int = 0


class Cancelled(BaseException):
    """Raised inside a worker thread to stop it (a BaseException, so that no ``except Exception`` catches it)."""


def run_local(
    loaded: LoadedGraph,
    parsed: ParsedQuery,
    bindings: Mapping[str, Identifier] | None = None,
    *,
    policy: safety.Policy | None = None,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> Answer:
    """Answer ``parsed`` from ``loaded`` with ``bindings`` (variable name -> value, as rdflib ``initBindings``).

    Raises :class:`~kgraph.errors.UnsafeQueryError` for what ``policy`` does not allow (before anything runs),
    :class:`~kgraph.errors.QueryTimeout` past ``timeout`` seconds, :class:`~kgraph.errors.QueryError` if rdflib
    cannot evaluate it.
    """
    policy = policy or safety.Policy()
    with quiet_rdflib():
        graph_names = [g.identifier for g in loaded.dataset.graphs() if isinstance(g.identifier, URIRef)]
    safety.check(parsed, policy, graph_names)
    init = dict(bindings or {})

    def work(counter: Counter) -> Answer:
        with safety.network_guard(active=not policy.allow_network) as record:
            try:
                answer = _evaluate(loaded, parsed, init, counter)
            except safety.NetworkBlocked as blocked:
                raise _blocked(str(blocked)) from None
        if record.attempts:  # refused, and then swallowed by the library (SERVICE SILENT)
            raise _blocked(record.attempts[0])
        return answer

    started = time.perf_counter()
    answer = run_in_worker(work, timeout=timeout, progress=progress)
    answer.seconds = time.perf_counter() - started
    return answer


def _blocked(attempt: str) -> UnsafeQueryError:
    return UnsafeQueryError(
        f"the query tried to reach the network ({attempt}) and was stopped; kgraph query does not reach the "
        f"network unless you pass {safety.NETWORK_OPTION}"
    )


def _evaluate(loaded: LoadedGraph, parsed: ParsedQuery, init: Mapping[str, Identifier], counter: Counter) -> Answer:
    with quiet_rdflib():
        try:
            if isinstance(parsed.algebra, Update):
                return _update(loaded.graph, parsed.algebra, init)
            assert isinstance(parsed.algebra, Query)  # noqa: S101 - one or the other
            result = _in_store(loaded, parsed, init) or evalQuery(loaded.dataset, parsed.algebra, init)
            if parsed.kind == "SELECT":
                rows = result.get("rows")  # a store's answer comes as rows already
                if rows is None:
                    rows = _rows(result["bindings"], parsed.variables, counter)
                counter.rows = len(rows)
                return Answer("SELECT", parsed.variables, rows)
            if parsed.kind == "ASK":
                return Answer("ASK", boolean=bool(result["askAnswer"]))
            graph = result["graph"]
            bind_prefixes(graph)
            return Answer(parsed.kind, graph=graph)
        except (KGraphError, safety.NetworkBlocked, Cancelled):
            raise
        except Exception as error:  # rdflib raises bare Exceptions for what it cannot evaluate
            raise QueryError(f"{parsed.source}: rdflib cannot evaluate this query: {error}") from error


def _in_store(loaded: LoadedGraph, parsed: ParsedQuery, init: Mapping[str, Identifier]) -> Mapping[str, Any] | None:
    """On a store (``kgraph load``) the query runs in Oxigraph, many times faster than rdflib's engine over the same
    store; one that names a dataset (FROM) or a SERVICE, or that Oxigraph does not accept, is left to rdflib."""
    if loaded.store_dir is None:
        return None
    found = safety.inspect(parsed, ())
    if found.dataset_clauses or found.fetches:
        return None
    from kgraph import persist  # noqa: PLC0415 - pyoxigraph loads only for a store

    return persist.evaluate(loaded, parsed.text, init, parsed.variables)


def _rows(bindings: object, variables: tuple[str, ...], counter: Counter) -> list[Row]:
    names = [Variable(v) for v in variables]
    rows: list[Row] = []
    for binding in bindings:  # type: ignore[attr-defined]
        rows.append(tuple(binding.get(name) for name in names))
        counter.rows += 1
    return rows


def _update(graph: Graph, update: Update, init: Mapping[str, Identifier]) -> Answer:
    """Apply ``update`` to a copy of the flat ``graph``; the loaded graph is never changed.

    The copy is one graph (ontology, data and inferences, as ``kgraph.ttl``) rather than the dataset: rdflib 7
    cannot apply INSERT DATA or DELETE DATA to a dataset whose default graph is the union of the others.
    """
    copy = Graph()
    bind_prefixes(copy)
    copy.addN((s, p, o, copy) for s, p, o in graph)
    evalUpdate(copy, update, init)
    added = sum(1 for triple in copy if triple not in graph)
    removed = sum(1 for triple in graph if triple not in copy)
    return Answer("UPDATE", graph=copy, added=added, removed=removed)


# ------------------------------------------------------------------------------------------ the worker thread


def run_in_worker(
    work: Callable[[Counter], T],
    *,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> T:
    """Run ``work(counter)`` in a worker thread; return its result or raise its exception in this thread.

    Past ``timeout`` seconds (None or 0: no limit) the worker is stopped and :class:`QueryTimeout` raised; so is
    it if this thread is interrupted (Ctrl-C). ``progress`` is called while waiting, after the first second.
    """
    counter = Counter()
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work(counter)
        except Cancelled:
            outcome["cancelled"] = True
        except BaseException as error:  # handed to the waiting thread, which raises it again
            outcome["error"] = error

    worker = threading.Thread(target=target, name="kgraph-query", daemon=True)
    started = time.perf_counter()
    worker.start()
    next_report = started + PROGRESS_AFTER
    try:
        while worker.is_alive():
            now = time.perf_counter()
            deadline = started + timeout if timeout else None
            if deadline is not None and now >= deadline:
                _cancel(worker)
                raise QueryTimeout(
                    f"the query ran longer than {timeout:g} s and was stopped; pass --timeout SECONDS to allow "
                    "more time (0 for no limit), or make the query more selective"
                )
            if progress is not None and now >= next_report:
                progress(now - started, counter.rows)
                next_report = now + PROGRESS_EVERY
            # Without progress reports, next_report stays in the past: it must not set the wake-up time, or this
            # thread spins (join(0)) and takes the GIL from the worker for as long as the query runs.
            report_at = next_report if progress is not None else None
            wake = min(t for t in (deadline, report_at, now + 0.05) if t is not None)
            worker.join(max(0.0, wake - now))
    except BaseException:
        _cancel(worker)
        raise
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _cancel(worker: threading.Thread, grace: float = 1.0) -> None:
    """Raise :class:`Cancelled` inside ``worker`` and give it ``grace`` seconds to unwind."""
    if not worker.is_alive() or worker.ident is None:
        return
    import ctypes  # noqa: PLC0415 - only when a query is stopped, not at every start-up

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), ctypes.py_object(Cancelled))
    worker.join(grace)
