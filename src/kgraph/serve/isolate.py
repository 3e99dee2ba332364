"""Queries answered by worker processes that the server kills at the time limit (``kgraph serve --isolate``).

A query evaluated in a thread cannot always be stopped: Oxigraph evaluates one on a store in Rust, which Python
cannot interrupt, and Python's regular expressions hold the interpreter lock while they backtrack. Past
``--timeout`` such a query was answered 503 but went on using a core, and kept its place among ``--max-running``.

With ``--isolate`` every ``/sparql`` and ``/queries/NAME`` request is answered whole (parse, check, run, render)
by a worker process, which hands back the reply's bytes (an answer is bounded by ``--max-rows``) or the error to
answer. The server waits at most ``--timeout`` for them; past it, it kills the worker (SIGKILL), which frees its
core and its memory at once, answers 503, and starts another worker in its place. There are at most
``--max-running`` workers, each answering one query at a time and reused query after query; one is started with
the server and the others as the load needs them, so a query does not pay for a process start.

Each worker holds the graph itself. On a store it opens the store read-only and follows ``kgraph load`` as the
server does: once the server has seen the store replaced, a worker started before is ended as soon as it is idle
(so none keeps the old store's deleted files) and a new one opens the new store. In memory it is sent the server's
own graph when it starts (:func:`kgraph.query.loading.encode`), so that every worker answers from the graph the
server loaded, even when the files have changed since.

A worker ignores Ctrl-C (a terminal sends it to the whole process group): the server ends its workers as it stops
(:meth:`Pool.close`). On Linux a worker is also killed by the kernel when the server dies without stopping them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kgraph.errors import InputError
from kgraph.serve.protocol import Problem
from kgraph.store import LoadedGraph

#: The module a worker process runs (``python -m``).
WORKER_MODULE = "kgraph.serve.worker"
#: What the server may ask a worker: the :class:`~kgraph.serve.service.Service` methods that answer a query.
METHODS = frozenset({"sparql", "saved_query"})


class WorkerFailed(RuntimeError):
    """A worker ended without answering (it crashed, or was killed by something other than the server)."""


@dataclass(frozen=True)
class Source:
    """Where a worker gets its graph: the store's folder, or the server's in-memory graph, encoded."""

    store_dir: Path | None = None
    encoded: bytes | None = None

    @classmethod
    def of(cls, loaded: LoadedGraph) -> Source:
        if loaded.store_dir is not None:
            return cls(store_dir=loaded.store_dir)
        from kgraph.query.loading import encode  # noqa: PLC0415

        return cls(encoded=encode(loaded))

    def load(self) -> LoadedGraph:
        """The graph, in the worker."""
        if self.store_dir is not None:
            from kgraph.persist import open_store  # noqa: PLC0415 - pyoxigraph loads only for a store

            return open_store(self.store_dir)
        from kgraph.query.loading import decode  # noqa: PLC0415

        assert self.encoded is not None  # noqa: S101 - one or the other
        return decode(self.encoded)


class Late(Exception):
    """What :meth:`Pool.ask` raises when the worker took longer than the time limit (and was killed)."""


class Worker:
    """One worker process and the two pipes to it."""

    def __init__(
        self, process: subprocess.Popen[bytes], send: Connection, receive: Connection, generation: int
    ) -> None:
        self.process = process
        self.send = send
        self.receive = receive
        self.generation = generation

    @property
    def pid(self) -> int:
        return self.process.pid

    def end(self) -> None:
        """Kill the process (if it still runs), reap it and close the pipes."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # ended meanwhile
                self.process.kill()
        self.process.wait()
        self.send.close()
        self.receive.close()


class Pool:
    """At most ``size`` worker processes answering queries for a server on ``source``, one query each at a time.

    Processes are started by one long-lived thread (on Linux a worker dies with the thread that started it, and
    the threads that answer requests come and go)."""

    def __init__(
        self,
        source: Source,
        size: int,
        max_rows: int,
        *,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        if os.name != "posix":
            raise InputError("--isolate needs a POSIX system (Linux, macOS); serve without it")
        self._source = source
        self._size = size
        self._max_rows = max_rows
        self._notify = notify or (lambda _message: None)
        self._lock = threading.Condition()
        self._idle: list[Worker] = []
        self._alive: set[Worker] = set()
        self._generation = 0
        self._closed = False
        self._starter = ThreadPoolExecutor(1, thread_name_prefix="kgraph-worker-start")
        # The first worker is started now: an error shows at start-up, and the first query finds it ready.
        self._count = 1  # workers alive or being started
        try:
            self._idle.append(self._starter.submit(self._start, 0).result())
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------------------------------ asking

    def ask(self, method: str, args: tuple[Any, ...], kwargs: Mapping[str, Any], timeout: float | None) -> Any:  # noqa: ANN401 - a Reply
        """``Service.method(*args, **kwargs)`` done by a worker: its reply, or the :class:`Problem` it raised;
        :class:`Late` past ``timeout`` seconds (None: no limit), the worker then killed and replaced."""
        worker = self._take()
        try:
            worker.send.send((method, args, dict(kwargs)))
            if not worker.receive.poll(timeout):
                raise Late
            message = worker.receive.recv()
        except Late:
            self._replace(worker)
            raise
        except (EOFError, OSError) as error:
            code = worker.process.poll()
            self._replace(worker)
            raise WorkerFailed(f"a query worker ended without answering (exit code {code})") from error
        except BaseException:
            self._replace(worker)
            raise
        self._give_back(worker)
        return _outcome(message)

    def _take(self) -> Worker:
        with self._lock:
            while True:
                if self._closed:
                    raise _stopping()
                if self._idle:
                    return self._idle.pop()
                if self._count < self._size:
                    self._count += 1
                    generation = self._generation
                    break
                self._lock.wait()
        try:
            return self._starter.submit(self._start, generation).result()
        except BaseException as error:
            with self._lock:
                self._count -= 1
                self._lock.notify_all()
            if isinstance(error, Problem):
                raise
            raise _unavailable() from error

    def _give_back(self, worker: Worker) -> None:
        with self._lock:
            if not self._closed and worker.generation == self._generation:
                self._idle.append(worker)
                self._lock.notify_all()
                return
        self._end(worker)

    def _replace(self, worker: Worker) -> None:
        """End ``worker`` (its query ran too long, or it failed) and start another in its place, in the
        background."""
        self._end(worker, replace=True)

    def _end(self, worker: Worker, *, replace: bool = False) -> None:
        worker.end()
        with self._lock:
            self._alive.discard(worker)
            if replace and not self._closed:
                self._starter.submit(self._start_idle, self._generation)
            else:
                self._count -= 1
            self._lock.notify_all()

    # ------------------------------------------------------------------------------------------ renewing

    def renew(self) -> None:
        """The store was replaced: end the idle workers, which hold the old one, and start as many on the new
        one; the busy ones are ended as they finish."""
        with self._lock:
            if self._closed:
                return
            self._generation += 1
            old, self._idle = self._idle, []
            for worker in old:
                self._alive.discard(worker)
            for _ in old:
                self._starter.submit(self._start_idle, self._generation)
        for worker in old:
            worker.end()

    def close(self) -> None:
        """End every worker, idle or busy (the server is stopping)."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._starter.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            workers, self._alive, self._idle = list(self._alive), set(), []
        for worker in workers:
            worker.end()

    @property
    def workers(self) -> int:
        """How many worker processes are alive."""
        with self._lock:
            return len(self._alive)

    def pids(self) -> list[int]:
        """The process ids of the workers alive."""
        with self._lock:
            return sorted(worker.pid for worker in self._alive)

    # ------------------------------------------------------------------------------------------ starting

    def _start_idle(self, generation: int) -> None:
        """Start a worker and leave it idle, ready for the next query (in the starting thread)."""
        try:
            worker = self._start(generation)
        except Exception as error:  # told, and the next query tries again
            self._notify(f"a query worker could not be started: {error}")
            with self._lock:
                self._count -= 1
                self._lock.notify_all()
            return
        self._give_back(worker)

    def _start(self, generation: int) -> Worker:
        """A new worker, once it has its graph (in the starting thread)."""
        to_child, from_parent = os.pipe()
        from_child, to_parent = os.pipe()
        try:
            process = subprocess.Popen(  # noqa: S603 - this Python, running kgraph's worker
                [sys.executable, "-m", WORKER_MODULE, str(os.getpid()), str(to_child), str(to_parent)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                pass_fds=(to_child, to_parent),
            )
        except BaseException:
            for fd in (to_child, from_parent, from_child, to_parent):
                os.close(fd)
            raise
        os.close(to_child)
        os.close(to_parent)
        send, receive = Connection(from_parent, readable=False), Connection(from_child, writable=False)
        worker = Worker(process, send, receive, generation)
        with self._lock:
            self._alive.add(worker)
        try:
            worker.send.send((self._source, self._max_rows))
            message = worker.receive.recv()
        except (EOFError, OSError):
            message = ("failed", f"it ended as it started (exit code {process.wait()})")
        except BaseException:
            self._forget(worker)
            raise
        if message[0] != "ready":
            self._forget(worker)
            raise InputError(f"a query worker could not load the graph: {message[1]}")
        return worker

    def _forget(self, worker: Worker) -> None:
        worker.end()
        with self._lock:
            self._alive.discard(worker)


def _outcome(message: tuple[Any, ...]) -> Any:  # noqa: ANN401 - a Reply
    """The reply a worker sent, or the :class:`Problem` it answered with, raised."""
    kind = message[0]
    if kind == "reply":
        from kgraph.serve.service import Reply  # noqa: PLC0415 - service imports this module

        _kind, body, content_type, headers = message
        return Reply(body, content_type, headers or None)
    if kind == "problem":
        _kind, status, code, text, headers = message
        raise Problem(status, code, text, headers)
    raise WorkerFailed(f"a query worker failed:\n{message[1]}")


def _stopping() -> Problem:
    return Problem(503, "stopping", "the server is stopping; try again once it is back", {"Retry-After": "5"})


def _unavailable() -> Problem:
    return Problem(
        503,
        "worker-unavailable",
        "the server could not start a process to answer this query (its log says why); try again shortly",
        {"Retry-After": "5"},
    )


# ------------------------------------------------------------------------------------------ the worker's side


def serve_requests(parent: int, receive: Connection, send: Connection) -> None:
    """A worker's life: load the graph, say so, then answer requests until the server closes the pipe."""
    from kgraph.errors import KGraphError  # noqa: PLC0415
    from kgraph.serve.service import Service  # noqa: PLC0415
    from kgraph.serve.settings import Settings  # noqa: PLC0415

    _die_with(parent)
    try:
        source, max_rows = receive.recv()
    except EOFError:
        return
    try:
        loaded = source.load()
    except KGraphError as error:
        send.send(("failed", error.cli_message))
        return
    # No time limit of its own (the server kills it at the limit), one query at a time; the server tells of a
    # store replaced, not each worker.
    service = Service(loaded, Settings(timeout=0, max_rows=max_rows, max_running=1))
    send.send(("ready", os.getpid()))
    while True:
        try:
            method, args, kwargs = receive.recv()
        except EOFError:
            return
        send.send(_answer(service, method, args, kwargs))


def _answer(service: Any, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:  # noqa: ANN401
    import traceback  # noqa: PLC0415

    if method not in METHODS:
        return ("error", f"no such method: {method}")
    try:
        reply = getattr(service, method)(*args, **kwargs)
    except Problem as problem:
        return ("problem", problem.status, problem.code, problem.message, dict(problem.headers))
    except Exception:  # sent to the server, which logs it and answers 500
        return ("error", traceback.format_exc())
    return ("reply", reply.body, reply.content_type, dict(reply.headers or {}))


def _die_with(parent: int) -> None:
    """Ignore Ctrl-C (the server ends its workers), and on Linux have the kernel kill this process when the
    server's thread that started it ends (the server then no longer runs)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes  # noqa: PLC0415

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the server ended before the line above
        os._exit(0)
