"""Queries answered by worker processes that the server kills at the time limit (``kgraph serve --isolate``).

A query evaluated in a thread cannot always be stopped: Oxigraph evaluates one on a store in Rust, which Python
cannot interrupt, and Python's regular expressions hold the interpreter lock while they backtrack. Past
``--timeout`` such a query was answered 503 but went on using a core, and kept its place among ``--max-running``.

With ``--isolate`` every ``/sparql`` and ``/queries/NAME`` request is answered whole (parse, check, run, render)
by a worker process, which hands back the reply's bytes (an answer is bounded by ``--max-rows``) or the error to
answer. The server waits at most ``--timeout`` for them; past it, it kills the worker (SIGKILL), which frees its
core and its memory at once, answers 503 (in the words a thread would: a worker says as it begins looking up a saved
query's names), and has another worker made in its place. There are at most ``--max-running`` workers, each
answering one query at a time and reused query after query; one is made with the server, and one more is made
ready, in the background, whenever a query takes the last idle one (while there are fewer than ``--max-running``),
so that the next query finds one.

The workers are forked, not started: the server starts one process, the fork server (``python -m
kgraph.serve.worker``), which imports what a worker needs and, in memory, holds the graph the server loaded (sent
to it encoded, :func:`kgraph.query.loading.encode`, so that every worker answers from the graph the server loaded
even when the files have changed since) and the :class:`~kgraph.serve.service.Service` on it, frozen for the
collector (:func:`gc.freeze`). For each worker the server sends it one end of a new socket pair; it forks, and the
child answers the server's requests on that end. A worker is thus ready in the time of a fork, and in memory the
workers share the fork server's graph (its pages are copied only as they are written). On a store the fork server
never opens the store: each worker opens it read-only after the fork (an open Oxigraph store cannot be shared
across a fork), and follows ``kgraph load`` as the server does: once the server has seen the store replaced, a
worker opened before is ended as soon as it is idle (so none keeps the old store's deleted files) and a new one
opens the new store.

A worker and the fork server ignore Ctrl-C (a terminal sends it to the whole process group): the server ends them
as it stops (:meth:`Pool.close`). On Linux the kernel also kills the fork server when the server dies without
stopping it, and a worker when the fork server dies.

The fork server reaps its workers and tells the server how each ended (Linux: it watches each by a pidfd), and a
thread of the server reads all it sends. A worker killed by something other than the server (by hand, or by the
kernel when memory runs out) as it answers a query gets the request a 503 ``worker-died`` to send again, the
server's log names its process and the signal, and another worker is made; an idle one is replaced at once. The
end of the socket to the fork server is its death: the thread has the starting thread start another at once, and
make again the idle workers that died with it, so that the next query finds them ready. A server stopping waits for
a fork server being started, then ends it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import queue
import select
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kgraph.errors import InputError
from kgraph.serve.protocol import Problem
from kgraph.store import LoadedGraph

#: The module the fork server runs (``python -m``).
WORKER_MODULE = "kgraph.serve.worker"
#: What the server may ask a worker: the :class:`~kgraph.serve.service.Service` methods that answer a query.
METHODS = frozenset({"sparql", "saved_query"})
#: How long a request whose worker died waits for the fork server to say how it died (it reaps the worker at once:
#: a few milliseconds), before answering without it.
DEATH_REPORT_WAIT = 2.0


class WorkerFailed(RuntimeError):
    """A worker failed to answer (an error the service did not expect: the request gets 500), or the fork server
    could not fork one. A worker that died before it answered is a 503 ``worker-died`` instead."""


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
        """The graph: the store opened (in a worker), or the encoded graph decoded (in the fork server)."""
        if self.store_dir is not None:
            from kgraph.persist import open_store  # noqa: PLC0415 - pyoxigraph loads only for a store

            return open_store(self.store_dir)
        from kgraph.query.loading import decode  # noqa: PLC0415

        assert self.encoded is not None  # noqa: S101 - one or the other
        return decode(self.encoded)


class Late(Exception):
    """What :meth:`Pool.ask` raises when the worker took longer than the time limit (and was killed): ``phase`` is
    the last part of the request the worker said it had begun (:meth:`Service.saved_query
    <kgraph.serve.service.Service.saved_query>` says when it looks up names), None if none."""

    def __init__(self, phase: str | None = None) -> None:
        super().__init__(phase)
        self.phase = phase


def _pidfd(pid: int) -> int | None:
    """A pidfd of process ``pid`` (Linux): it names the process whatever later happens to its number, and is
    readable once the process has ended. None elsewhere, or if the process has ended already."""
    if not hasattr(os, "pidfd_open"):
        return None
    try:
        return os.pidfd_open(pid)
    except OSError:
        return None


class Worker:
    """One worker process, the fork server's child (so not the server's to wait for), and the socket to it."""

    def __init__(self, pid: int, channel: Connection, generation: int, forker: ForkServer) -> None:
        self.pid = pid
        self.channel = channel
        self.generation = generation
        self.forker = forker
        self._pidfd = _pidfd(pid)  # while the process surely runs: its fork server has just made it
        self._ended = False
        self._ending = threading.Lock()  # a request and the server stopping may end it at once

    def idle_and_alive(self) -> bool:
        """Whether the worker, idle, still runs: an idle worker sends nothing, so a readable socket is its end."""
        try:
            return not self.channel.poll(0)
        except OSError:
            return False

    def end(self) -> None:
        """Kill the process (if it still runs) and return once it is gone (its memory is then free); close the
        socket."""
        with self._ending:
            if self._ended:
                return
            self._ended = True
            try:
                with contextlib.suppress(ProcessLookupError):  # ended meanwhile
                    if self._pidfd is not None:
                        signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
                    else:
                        os.kill(self.pid, signal.SIGKILL)
                if self._pidfd is not None:
                    select.select([self._pidfd], [], [])
                else:  # the process has ended once the socket to it is closed (its end is open in it alone)
                    with contextlib.suppress(EOFError, OSError):
                        while True:  # a reply it sent before it was killed, then the end of the socket
                            self.channel.recv_bytes()
            finally:
                if self._pidfd is not None:
                    os.close(self._pidfd)
                self.channel.close()


class ForkServer:
    """The process that holds what every worker needs and forks them, and the socket to it.

    The starting thread alone asks it for workers. A thread of its own (``kgraph-fork-server``) reads all it sends:
    the replies to the starting thread's requests, which it hands on, and, as each of its workers ends, the
    worker's process id and wait status (the fork server reaps its workers: the server, not their parent, cannot
    learn how they ended), which it gives to ``ended``. The end of the socket is the fork server's death: the
    thread then calls ``gone`` and ends."""

    def __init__(
        self,
        source: Source,
        max_rows: int,
        *,
        ended: Callable[[ForkServer, int, int], None] | None = None,
        gone: Callable[[ForkServer], None] | None = None,
    ) -> None:
        #: Whether it has ended (the socket to it has): set by its thread before it calls ``gone``.
        self.gone = False
        #: Whether it tells how each of its workers ended (Linux: it watches each by a pidfd).
        self.reports = False
        self._replies: queue.SimpleQueue[tuple[Any, ...] | None] = queue.SimpleQueue()
        self._watcher: threading.Thread | None = None
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(  # noqa: S603 - this Python, running kgraph's fork server
                [sys.executable, "-m", WORKER_MODULE, str(os.getpid()), str(theirs.fileno())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self._socket = ours
        self._channel = Connection(os.dup(ours.fileno()))
        try:
            self._channel.send((source, max_rows))
            message = self._channel.recv()
        except (EOFError, OSError):
            message = ("failed", f"it ended as it started (exit code {self.process.wait()})")
        except BaseException:
            self.end()
            raise
        if message[0] != "ready":
            self.end()
            raise InputError(f"the query workers' fork server could not load the graph: {message[1]}")
        self.reports = bool(message[2])
        self._watcher = threading.Thread(
            target=self._watch,
            args=(ended or (lambda _forker, _pid, _status: None), gone or (lambda _forker: None)),
            name="kgraph-fork-server",
            daemon=True,
        )
        self._watcher.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _watch(self, ended: Callable[[ForkServer, int, int], None], gone: Callable[[ForkServer], None]) -> None:
        """Read what the fork server sends until it ends (in its own thread)."""
        try:
            while True:
                try:
                    message = self._channel.recv()
                except (EOFError, OSError):
                    break
                if message[0] == "ended":
                    ended(self, message[1], message[2])
                else:
                    self._replies.put(message)
        finally:  # whatever ended the reading, nothing more is read from it: it is replaced
            self.gone = True
            self._replies.put(None)
            gone(self)

    def fork(self) -> tuple[int, Connection]:
        """A new worker's process id and the socket to it (the worker says when it is ready on it); EOFError or
        OSError if the fork server has ended, :class:`WorkerFailed` if it could not fork."""
        ours, theirs = socket.socketpair()
        try:
            socket.send_fds(self._socket, [b"F"], [theirs.fileno()])
            theirs.close()
            message = self._replies.get()
            if message is None:  # it ended
                self._replies.put(None)
                raise EOFError
        except BaseException:
            ours.close()
            theirs.close()
            raise
        if message[0] != "forked":
            ours.close()
            raise WorkerFailed(f"the fork server could not fork: {message[1]}")
        return message[1], Connection(ours.detach())

    def end(self) -> None:
        """Kill the fork server (its workers die with it on Linux), reap it, and wait for its thread to end."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        self.process.wait()
        if self._watcher is not None and self._watcher is not threading.current_thread():
            self._watcher.join()  # it reads to the end of the socket, which the fork server's death is
        self._channel.close()
        self._socket.close()


class Pool:
    """At most ``size`` worker processes answering queries for a server on ``source``, one query each at a time.

    The fork server is started, and asked for workers, by one long-lived thread (on Linux the fork server dies with
    the thread that started it, and the threads that answer requests come and go). When it dies, its thread
    (:class:`ForkServer`) has that thread start another at once, and make its idle workers again, which died with
    it, so that the next query finds them ready."""

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
        # How workers alive (not yet ended by the server) ended, as their fork server told: pid -> wait status.
        self._exits: dict[int, int] = {}
        self._generation = 0
        self._closed = False
        self._forker: ForkServer | None = None  # used by the starting thread only
        self._starter = ThreadPoolExecutor(1, thread_name_prefix="kgraph-worker-start")
        # The fork server and the first worker are started now: an error shows at start-up, and the first query
        # finds a worker ready.
        self._count = 1  # workers alive or being started
        try:
            self._idle.append(self._starter.submit(self._start, 0).result())
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------------------------------ asking

    def ask(self, method: str, args: tuple[Any, ...], kwargs: Mapping[str, Any], timeout: float | None) -> Any:  # noqa: ANN401 - a Reply
        """``Service.method(*args, **kwargs)`` done by a worker: its reply, or the :class:`Problem` it raised;
        :class:`Late` past ``timeout`` seconds (None: no limit), the worker then killed and replaced; a 503
        ``worker-died`` :class:`Problem` if the worker died before it answered (killed by something other than
        the server), another then made."""
        worker = self._take()
        deadline = None if timeout is None else time.monotonic() + timeout
        phase = None
        try:
            worker.channel.send((method, args, dict(kwargs)))
            while True:
                left = None if deadline is None else max(deadline - time.monotonic(), 0)
                if not worker.channel.poll(left):
                    raise Late(phase)
                message = worker.channel.recv()
                if message[0] != "phase":
                    break
                phase = message[1]  # what the worker has begun: what to say if it is late
        except Late:
            self._replace(worker)
            raise
        except (EOFError, OSError) as error:
            how = self._death(worker)
            self._replace(worker)
            if self._closed:  # the server is stopping, and ended it
                raise _stopping() from None
            self._notify(
                f"a query worker (pid {worker.pid}) died as it answered a query: {how}; the request was answered "
                "503 worker-died, and another worker is made"
            )
            raise _died() from error
        except BaseException:
            self._replace(worker)
            raise
        self._give_back(worker)
        return _outcome(message)

    def _death(self, worker: Worker) -> str:
        """How ``worker``, found dead, died, as its fork server tells (waited for a moment)."""
        deadline = time.monotonic() + DEATH_REPORT_WAIT
        with self._lock:
            while worker.pid not in self._exits and worker.forker.reports and not worker.forker.gone:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    break
                self._lock.wait(left)
            status = self._exits.pop(worker.pid, None)
        if status is not None:
            return _how(status)
        if worker.forker.gone:
            return "its fork server died, and took it with it"
        return "how, its fork server did not say"

    def _take(self) -> Worker:
        worker: Worker | None
        while True:
            with self._lock:
                while True:
                    if self._closed:
                        raise _stopping()
                    if self._idle:
                        worker = self._idle.pop()
                        if not self._idle and self._count < self._size:
                            # The last idle one: another is made ready for the next query.
                            self._count += 1
                            self._starter.submit(self._start_idle, self._generation)
                        break
                    if self._count < self._size:
                        self._count += 1
                        generation = self._generation
                        worker = None
                        break
                    self._lock.wait()
            if worker is None:
                break
            if worker.idle_and_alive():
                return worker
            # Killed while idle, and not yet replaced (see _ended): it takes no place any more.
            self._end(worker)
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
            if not self._closed and worker.generation == self._generation and not worker.forker.gone:
                self._idle.append(worker)
                self._lock.notify_all()
                return
        self._end(worker)

    def _replace(self, worker: Worker) -> None:
        """End ``worker`` (its query ran too long, or it failed) and make another in its place, in the
        background."""
        self._end(worker, replace=True)

    def _end(self, worker: Worker, *, replace: bool = False) -> None:
        worker.end()
        with self._lock:
            self._discard(worker)
            if replace and not self._closed:
                self._starter.submit(self._start_idle, self._generation)
            else:
                self._count -= 1
            self._lock.notify_all()

    def _discard(self, worker: Worker) -> None:
        """``worker`` is no longer alive (with the lock held)."""
        self._alive.discard(worker)
        self._exits.pop(worker.pid, None)

    # ------------------------------------------------------------------------------------------ deaths

    def _ended(self, _forker: ForkServer, pid: int, status: int) -> None:
        """A worker ended, and its fork server reaped it (in the fork server's thread): kept, for the request it
        was answering if any (:meth:`_death`); an idle one is replaced at once."""
        with self._lock:
            worker = next((each for each in self._alive if each.pid == pid), None)
            if worker is None:  # ended by the server, or never ready
                return
            self._exits[pid] = status
            self._lock.notify_all()
            idle = worker in self._idle
            if idle:
                self._idle.remove(worker)
        if idle:
            self._notify(f"an idle query worker (pid {pid}) died: {_how(status)}; another is made in its place")
            self._end(worker, replace=True)

    def _gone(self, forker: ForkServer) -> None:
        """``forker`` died (in its thread): another is started at once, in the background, and its idle workers,
        which died with it, are made again."""
        with self._lock:
            self._lock.notify_all()  # the requests waiting to learn how their worker died
            if self._closed:
                return
            dead = [worker for worker in self._idle if worker.forker is forker]
            self._idle = [worker for worker in self._idle if worker.forker is not forker]
            self._starter.submit(self._restart, forker)  # not closed: the starter still takes work
        for worker in dead:
            self._end(worker, replace=True)  # each made again after the restart, by the new fork server

    def _restart(self, forker: ForkServer) -> None:
        """Start a fork server in place of ``forker``, which died (in the starting thread)."""
        if self._forker is not forker:  # replaced already, when a fork found it dead
            return
        self._forker = None
        self._ended_forker(forker)
        try:
            self._forker = self._new_fork_server()
        except Exception as error:  # told (unless the server is stopping: Ctrl-C ends it as it starts)
            if not self._closed:  # the next worker needed tries again
                self._notify(f"the query workers' fork server could not be started again: {error}")

    def _ended_forker(self, forker: ForkServer) -> None:
        forker.end()
        self._notify(
            f"the query workers' fork server ended (pid {forker.pid}, {_how_code(forker.process.returncode)}); "
            "starting another"
        )

    # ------------------------------------------------------------------------------------------ renewing

    def renew(self) -> None:
        """The store was replaced: end the idle workers, which hold the old one, and make as many on the new
        one; the busy ones are ended as they finish."""
        with self._lock:
            if self._closed:
                return
            self._generation += 1
            old, self._idle = self._idle, []
            for worker in old:
                self._discard(worker)
            for _ in old:
                self._starter.submit(self._start_idle, self._generation)
        for worker in old:
            worker.end()

    def close(self) -> None:
        """End every worker, idle or busy, and the fork server (the server is stopping). A fork server being
        started again is waited for, then ended."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._starter.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            workers, self._alive, self._idle = list(self._alive), set(), []
            self._exits.clear()
        for worker in workers:
            worker.end()
        if self._forker is not None:
            self._forker.end()
            self._forker = None

    @property
    def workers(self) -> int:
        """How many worker processes are alive (the fork server is not one)."""
        with self._lock:
            return len(self._alive)

    def pids(self) -> list[int]:
        """The process ids of the workers alive."""
        with self._lock:
            return sorted(worker.pid for worker in self._alive)

    # ------------------------------------------------------------------------------------------ starting

    def _start_idle(self, generation: int) -> None:
        """Make a worker and leave it idle, ready for the next query (in the starting thread)."""
        try:
            worker = self._start(generation)
        except Exception as error:  # told, and the next query tries again
            self._notify(f"a query worker could not be started: {error}")
            with self._lock:
                self._count -= 1
                self._lock.notify_all()
            return
        self._give_back(worker)

    def _new_fork_server(self) -> ForkServer:
        return ForkServer(self._source, self._max_rows, ended=self._ended, gone=self._gone)

    def _fork(self) -> tuple[ForkServer, int, Connection]:
        """A worker forked by the fork server, started first (or again, if it has ended), and the fork server."""
        for attempt in range(2):
            if self._forker is None:
                self._forker = self._new_fork_server()
            forker = self._forker
            try:
                return (forker, *forker.fork())
            except (EOFError, OSError):
                self._forker = None
                self._ended_forker(forker)
                if attempt:
                    raise
        raise AssertionError  # pragma: no cover - the loop returns or raises

    def _start(self, generation: int) -> Worker:
        """A new worker, once it has its graph (in the starting thread)."""
        forker, pid, channel = self._fork()
        worker = Worker(pid, channel, generation, forker)
        with self._lock:
            self._alive.add(worker)
        try:
            message = worker.channel.recv()
        except (EOFError, OSError):
            message = ("failed", "it ended as it started")
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
            self._discard(worker)


def _how(status: int) -> str:
    """How a process ended, from its wait status."""
    return _how_code(os.waitstatus_to_exitcode(status))


def _how_code(code: int | None) -> str:
    """How a process ended, from its exit code as :mod:`subprocess` gives it (minus a signal's number)."""
    if code is None:
        return "how is not known"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            return f"killed by signal {-code}"
        return f"killed by signal {-code} ({name})"
    return f"exit code {code}"


def _outcome(message: tuple[Any, ...]) -> Any:  # noqa: ANN401 - a Reply
    """The reply a worker sent, or the :class:`Problem` it answered with, raised."""
    kind = message[0]
    if kind == "reply":
        from kgraph.serve.service import Reply  # noqa: PLC0415 - service imports this module

        _kind, body, content_type, headers, warnings = message
        return Reply(body, content_type, headers or None, tuple(warnings))
    if kind == "problem":
        _kind, status, code, text, headers = message
        raise Problem(status, code, text, headers)
    raise WorkerFailed(f"a query worker failed:\n{message[1]}")


def _stopping() -> Problem:
    return Problem(503, "stopping", "the server is stopping; try again once it is back", {"Retry-After": "5"})


def _died() -> Problem:
    return Problem(
        503,
        "worker-died",
        "the process answering this query died before it answered (it was killed by something other than this "
        "server, such as the system when memory ran out); another has been made: send the query again",
        {"Retry-After": "1"},
    )


def _unavailable() -> Problem:
    return Problem(
        503,
        "worker-unavailable",
        "the server could not start a process to answer this query (its log says why); try again shortly",
        {"Retry-After": "5"},
    )


# ------------------------------------------------------------------------------------------ the fork server's side


def serve_forks(parent: int, control: socket.socket) -> None:
    """The fork server's life: load what the workers need, say so, then fork a worker for each socket the server
    sends, until it closes the control socket."""
    from kgraph.errors import KGraphError  # noqa: PLC0415
    from kgraph.query import parse, saved_queries  # noqa: PLC0415

    _die_with(parent)
    gc.disable()  # until the graph is frozen: a collection would write to every object's header
    channel = Connection(os.dup(control.fileno()))
    prepared = _prepare(channel)
    if prepared is None:
        return
    service, store_dir, settings = prepared
    workers = _Workers(channel, control)
    gc.collect()
    gc.freeze()
    channel.send(("ready", os.getpid(), workers.reports))
    # The saved queries, parsed while no worker is asked for (a query at a time), so that the workers forked after
    # do not each parse them again.
    unparsed = [(saved.text, f"{saved.name}.rq") for saved in saved_queries()]
    parsed: list[tuple[str, str, Any]] = []
    while True:
        asked = workers.wait(0 if unparsed else None)
        if unparsed and asked is None:
            text, name = unparsed.pop()
            with contextlib.suppress(KGraphError):
                parsed.append((text, name, parse(text, name)))
                if service is not None:
                    service.keep_parsed(*parsed[-1])
                gc.freeze()
            continue
        if not asked:
            continue
        try:
            data, fds, _flags, _address = socket.recv_fds(control, 1, 1)
        except OSError:
            return
        if not data:  # the server closed the socket
            return
        if not fds:
            continue
        graph = service if service is not None else (store_dir, settings, parsed)
        try:
            pid = _fork(channel, control, fds[0], graph, workers.fds())
        except OSError as error:
            channel.send(("failed", str(error)))
            continue
        finally:
            os.close(fds[0])
        gc.freeze()  # what the loop made since
        channel.send(("forked", pid))
        workers.watch(pid)


class _Workers:
    """The fork server's workers, each watched by a pidfd (Linux): as one ends, it is reaped and the server told how
    it ended (the server, not its parent, cannot learn it). Elsewhere the kernel reaps them (no zombies), and the
    server is not told."""

    def __init__(self, channel: Connection, control: socket.socket) -> None:
        self.reports = hasattr(os, "pidfd_open")
        if not self.reports:
            signal.signal(signal.SIGCHLD, signal.SIG_IGN)
        self._channel = channel
        self._control = control
        self._selector = selectors.DefaultSelector()
        self._selector.register(control, selectors.EVENT_READ)
        self._pids: dict[int, int] = {}  # a pidfd of each worker alive -> its process id

    def wait(self, timeout: float | None) -> bool | None:
        """Wait up to ``timeout`` seconds (None: for ever) for the server to ask something or a worker to end; a
        worker that ended is reaped and told of. Whether the server asked; None if nothing happened."""
        ready = [key.fileobj for key, _events in self._selector.select(timeout)]
        for pidfd in ready:
            if isinstance(pidfd, int):
                self._selector.unregister(pidfd)
                os.close(pidfd)
                pid = self._pids.pop(pidfd)
                _pid, status = os.waitpid(pid, 0)
                self._channel.send(("ended", pid, status))
        return (self._control in ready) if ready else None

    def watch(self, pid: int) -> None:
        """Watch the worker ``pid``, just forked."""
        if self.reports:
            with contextlib.suppress(OSError):  # no file left: it is reaped when the fork server ends, untold
                pidfd = os.pidfd_open(pid)
                self._pids[pidfd] = pid
                self._selector.register(pidfd, selectors.EVENT_READ)

    def fds(self) -> list[int]:
        """The files that watch the workers (Linux: an epoll and the pidfds), which a worker closes."""
        return [self._selector.fileno(), *self._pids] if self.reports else []


def _prepare(channel: Connection) -> tuple[Any, Path | None, Any] | None:
    """What the server sends the fork server, made ready: in memory the service on the graph, decoded; on a store
    its folder (opened by each worker); with the workers' settings. None once told the server it failed."""
    from kgraph.errors import KGraphError  # noqa: PLC0415
    from kgraph.serve.service import Service  # noqa: PLC0415
    from kgraph.serve.settings import Settings  # noqa: PLC0415

    try:
        source, max_rows = channel.recv()
    except EOFError:
        return None
    # No time limit of its own (the server kills a worker at the limit), one query at a time; the server tells of
    # a store replaced, not each worker.
    settings = Settings(timeout=0, max_rows=max_rows, max_running=1)
    try:
        if source.store_dir is None:
            return Service(source.load(), settings), None, settings
        import kgraph.persist  # noqa: F401, PLC0415 - pyoxigraph imported once; the store is opened by each worker
    except KGraphError as error:
        channel.send(("failed", error.cli_message))
        return None
    return None, source.store_dir, settings


def _fork(channel: Connection, control: socket.socket, fd: int, graph: Any, inherited: list[int]) -> int:  # noqa: ANN401
    """Fork a worker that answers on the socket ``fd`` (in the fork server); its process id. The worker closes
    ``inherited``, the fork server's files it has no use for."""
    me = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        channel.close()  # the fork server's control socket, which the worker has no use for
        control.close()
        for each in inherited:  # how the fork server watches its other workers
            with contextlib.suppress(OSError):
                os.close(each)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        gc.enable()
        _die_with(me)
        _work(Connection(fd), graph)  # the fork server closes its copy of fd; this process never returns
    except BaseException:  # nothing may go back up into the fork server's loop
        code = 1
    finally:
        os._exit(code)


def _work(channel: Connection, graph: Any) -> None:  # noqa: ANN401 - a Service, or where to open one
    """A worker's life: the fork server's service (in memory), or the store opened now, after the fork; say so,
    then answer requests until the server closes the socket."""
    from kgraph.errors import KGraphError  # noqa: PLC0415
    from kgraph.serve.service import Service  # noqa: PLC0415

    if isinstance(graph, Service):
        service = graph
    else:
        from kgraph.persist import open_store  # noqa: PLC0415 - imported by the fork server on a store only

        store_dir, settings, parsed = graph
        try:
            service = Service(open_store(store_dir), settings)
        except KGraphError as error:
            channel.send(("failed", error.cli_message))
            return
        for text, name, query in parsed:
            service.keep_parsed(text, name, query)
        service.on_damage = _say
    # What the service has begun, told as it begins it: if it is late, the server says what the threads say then.
    service.on_phase = lambda phase: channel.send(("phase", phase))
    channel.send(("ready", os.getpid()))
    while True:
        try:
            method, args, kwargs = channel.recv()
        except EOFError:
            return
        channel.send(_answer(service, method, args, kwargs))


def _say(message: str) -> None:
    """A worker's line on the server's standard error, which it shares."""
    with contextlib.suppress(OSError):
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


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
    return ("reply", reply.body, reply.content_type, dict(reply.headers or {}), tuple(reply.warnings))


def _die_with(parent: int) -> None:
    """Ignore Ctrl-C (the server ends its workers), and on Linux have the kernel kill this process when the thread
    that started or forked it ends (the server, or the fork server, then no longer runs)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes  # noqa: PLC0415

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(0)
