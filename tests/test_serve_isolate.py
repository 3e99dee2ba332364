"""kgraph serve --isolate: queries answered by worker processes that the server kills at --timeout.

Without it, a query past the time limit was answered 503 but went on: on a store Oxigraph evaluates it in Rust, in
memory a backtracking regular expression holds the interpreter lock, and neither can be interrupted from Python.
The server kept using a core for it, and kept its place among --max-running. Each test starts a real server
process and reads its processes' CPU time and its worker processes in /proc.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from test_serve import (
    ENDLESS,
    WARNED,
    WARNINGS,
    Reply,
    Server,
    assert_problem,
    count_triples,
    deleted_files_open_by,
    get,
    load_extra,
    load_store,
    post_form,
    send,
    start_server,
    stop,
    stored_triples,
)

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes in /proc")

#: Ends in a "b": the pattern backtracks through every way of splitting the a's before it fails (2**40 of them).
BACKTRACKING = 'ASK { FILTER(REGEX("' + "a" * 40 + 'b", "^(a+)+$")) }'
#: Sorting a join of three patterns over the whole graph: Oxigraph builds it whole before the first row.
SORTED_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g LIMIT 1"
ASK = "ASK { kgr:trainium3 kg:succeeds kgr:trainium2 }"


def _fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command's name, the state first; None for a process gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _stat(pid: int) -> list[str] | None:
    """:func:`_fields`, None for a zombie too."""
    fields = _fields(pid)
    return None if fields is None or fields[0] in ("Z", "X") else fields


def children(pid: int) -> set[int]:
    """The processes alive whose parent is ``pid``."""
    return _alive_with(1, pid)


def _alive_with(field: int, value: int) -> set[int]:
    """The processes alive whose ``field`` of /proc/PID/stat (after the state: 1 the parent, 3 the session) is
    ``value``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[field]) == value:
                found.add(int(entry.name))
    return found


def descendants(pid: int) -> set[int]:
    """The processes alive below ``pid``: its children, theirs, and so on."""
    found = children(pid)
    for child in list(found):
        found |= descendants(child)
    return found


def alive(pid: int) -> bool:
    return _stat(pid) is not None


def fork_server(server: Server) -> int:
    """The server's one child process: the fork server, which forks the workers."""
    found = children(server.process.pid)
    assert len(found) == 1, found
    return found.pop()


def workers(server: Server) -> set[int]:
    """The query workers: the fork server's children."""
    return children(fork_server(server))


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by process ``pid`` (all its threads) and the processes below it alive now."""
    total = 0
    for each in (pid, *descendants(pid)):
        fields = _stat(each)
        if fields is not None:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def idle_cpu(server: Server, seconds: float = 3.0) -> float:
    """CPU time the server and its workers use over ``seconds`` while no request is sent."""
    before = cpu_seconds(server.process.pid)
    time.sleep(seconds)
    return cpu_seconds(server.process.pid) - before


def assert_runaway_is_stopped(server: Server, query: str) -> None:
    """``query`` gets 503 at the limit, the process evaluating it is gone, the server's CPU use ends, and its one
    place among --max-running is free at once."""
    before = workers(server)
    assert before, "no worker process"
    reply = post_form(server, {"query": query})
    assert assert_problem(reply, 503, "longer than this server's limit of 2 s")["error"] == "timeout"
    assert not any(alive(pid) for pid in before), "the worker that evaluated the query still runs"
    assert get(server, "/health").json()["running"] == 0
    assert post_form(server, {"query": ASK}).status == 200  # --max-running 1: the place is free (not 503 busy)
    # Evaluated on, the query kept a core busy (a second of CPU a second); stopped, the server sleeps.
    assert idle_cpu(server) < 0.5
    assert b"true" in post_form(server, {"query": ASK}).body


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "kgraph-store"
    load_store(folder)
    return folder


@pytest.mark.parametrize("query", [ENDLESS, SORTED_JOIN], ids=["count", "order-by"])
def test_a_runaway_query_on_a_store_is_killed_at_the_limit(store, query):
    running = start_server("serve", "--store", str(store), "--isolate", "--timeout", "2", "--max-running", "1")
    try:
        assert_runaway_is_stopped(running, query)
    finally:
        stop(running)


def test_a_backtracking_regex_in_memory_is_killed_at_the_limit():
    running = start_server("serve", "--isolate", "--timeout", "2", "--max-running", "1")
    try:
        assert_runaway_is_stopped(running, BACKTRACKING)
    finally:
        stop(running)


def test_isolated_answers_are_the_answers_of_the_threads(store):
    """The same requests, errors included, get the same status and bytes from workers as from threads."""
    requests = [
        ("/sparql", {"query": "SELECT ?chip ?maker WHERE { ?chip a kg:Chip ; kg:developedBy ?maker } ORDER BY ?chip"}),
        ("/sparql", {"query": "CONSTRUCT { ?s kg:uses ?o } WHERE { ?s kg:uses ?o }", "format": "nt"}),
        ("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o }"}),  # 422, past --max-rows
        ("/sparql", {"query": "SELECT ?x WHERE {"}),  # 400
        ("/sparql", {"query": "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"}),  # 403
        ("/sparql", {"query": ASK, "default-graph-uri": "http://example.org/none"}),  # 403
        ("/sparql", {"query": ASK, "default-graph-uri": "urn:x-rdflib:default"}),  # 403: rdflib's name, no graph
        ("/sparql", {"query": 'CONSTRUCT { <foo> kg:uses "x" } WHERE {}', "format": "nt"}),  # <URL/foo>
        ("/queries/succession?product=Trainium3&format=csv", None),
        ("/queries/succession?product=No%20such%20thing", None),  # 404
        ("/queries/figures-by-maker?maker=Nvidai&lang=zh", None),  # 404, the close names in Chinese
        ("/sparql", {"query": WARNED}),  # two KGraph-Warning headers
        ("/sparql", None),  # the service description
    ]
    answers = {}
    for isolate in ((), ("--isolate",)):
        for where in ((), ("--store", str(store))):
            running = start_server("serve", *where, *isolate, "--max-rows", "2000")
            try:
                for path, form in requests:
                    reply = post_form(running, form, "text/csv") if form else get(running, path)
                    body = reply.body.replace(running.url.encode(), b"URL")  # a relative IRI resolved against it
                    answer = (reply.status, body, tuple(reply.warnings))
                    answers.setdefault((where, path, str(form)), set()).add(answer)
            finally:
                stop(running)
    assert all(len(found) == 1 for found in answers.values()), answers
    relative = answers[((), "/sparql", str(requests[7][1]))]
    assert relative == {(200, b'<URL/foo> <https://w3id.org/kgraph/ontology#uses> "x" .\n', ())}, relative
    assert {warnings for found in answers.values() for _status, _body, warnings in found} == {(), tuple(WARNINGS)}
    assert {status for found in answers.values() for status, _body, _warnings in found} == {200, 400, 403, 404, 422}


def test_a_worker_names_entities_in_the_language_the_request_asks_for():
    """A worker looks a saved query's names up as a thread does: the close names in the language of the request's
    lang parameter, else of its Accept-Language."""
    running = start_server("serve", "--isolate", "--max-running", "1")
    try:
        chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
        reply = send(running, "GET", "/queries/customers-of?product=Nvidai", headers=chinese)
        assert_problem(reply, 404, "nothing is named 'Nvidai'; did you mean: 英伟达")
        assert_problem(get(running, "/queries/figures-by-maker?maker=Nvidai&lang=zh"), 404, "did you mean: 英伟达")
        assert_problem(get(running, "/queries/customers-of?product=Nvidai"), 404, "did you mean: Nvidia")
    finally:
        stop(running)


def deleted_files_open(pids: set[int], under: Path) -> list[str]:
    """The files under ``under`` that the processes ``pids`` hold open although they were deleted."""
    found = []
    for pid in pids:
        with contextlib.suppress(OSError):  # ended meanwhile
            found += deleted_files_open_by(pid, under)
    return found


def test_workers_follow_kgraph_load_and_let_go_of_the_old_store(store, tmp_path):
    running = start_server("serve", "--store", str(store), "--isolate", "--max-running", "2")
    try:
        before = count_triples(running)
        after = load_extra(running, store, tmp_path, before)
        found = get(running, "/queries/search?text=Extra%20thing", "text/csv")
        assert found.status == 200 and b"https://example.org/x" in found.body, found.body
        pid = running.process.pid
        deadline = time.monotonic() + 30  # the idle workers of the old store are ended, new ones started
        while deleted_files_open({pid, *descendants(pid)}, tmp_path):
            assert time.monotonic() < deadline, deleted_files_open({pid, *descendants(pid)}, tmp_path)
            time.sleep(0.2)
        assert count_triples(running) == after

        shutil.rmtree(store)
        assert assert_problem(post_form(running, {"query": ASK}), 503)["error"] == "store-unavailable"
        load_store(store)
        deadline = time.monotonic() + 30
        while (reply := post_form(running, {"query": ASK})).status == 503:
            assert time.monotonic() < deadline, reply.body
            time.sleep(0.2)
        assert count_triples(running) == before
    finally:
        stop(running)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGKILL"])
def test_the_workers_end_with_the_server(store, how):
    """SIGTERM (to the server alone) and Ctrl-C (SIGINT to the process group, as a terminal sends it) stop the
    server, which ends its workers, the one evaluating a query too; SIGKILL leaves the kernel to end them."""
    running = start_server("serve", "--store", str(store), "--isolate", "--timeout", "3", "--max-running", "2")
    replies: list[int] = []
    try:
        pid = running.process.pid
        assert post_form(running, {"query": ASK}).status == 200

        def evaluate() -> None:
            try:
                replies.append(post_form(running, {"query": ENDLESS}).status)
            except (OSError, http.client.HTTPException):  # the server killed (SIGKILL) before it answered
                replies.append(0)

        busy = threading.Thread(target=evaluate)
        busy.start()
        deadline = time.monotonic() + 30
        while get(running, "/health").json()["running"] == 0:  # the query is being evaluated
            assert time.monotonic() < deadline
            time.sleep(0.05)
        forker = fork_server(running)
        processes = {forker, *children(forker)}
        assert len(processes) >= 2  # the fork server and the worker evaluating the query
        if how == "SIGINT":
            os.killpg(pid, signal.SIGINT)
        else:
            os.kill(pid, getattr(signal, how))
        running.process.wait(30)
        busy.join(30)
        deadline = time.monotonic() + 10  # the kernel's kill of a SIGKILLed server's workers is not waited for
        while any(alive(each) for each in processes):
            assert time.monotonic() < deadline, [each for each in processes if alive(each)]
            time.sleep(0.1)
        if how != "SIGKILL":
            assert running.process.returncode in (0, 143, -15), running.log
            assert replies == [503]
    finally:
        stop(running)


def smaps(pid: int) -> dict[str, int]:
    """The kB figures of /proc/PID/smaps_rollup (the process's memory, summed over its mappings)."""
    figures = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        figures[name] = int(value.split()[0])
    return figures


def wait_for_workers(server: Server, count: int) -> set[int]:
    """The workers, once there are ``count`` of them and /health counts as many."""
    deadline = time.monotonic() + 30
    while len(found := workers(server)) != count or get(server, "/health").json()["workers"] != count:
        assert time.monotonic() < deadline, (found, get(server, "/health").json())
        time.sleep(0.1)
    return found


def test_in_memory_the_workers_are_forked_and_share_the_fork_servers_graph():
    """The server's one child is the fork server, which loaded the graph; the workers are its children and share
    its memory rather than each loading the graph. A query that takes the last idle worker has another made ready
    for the next (up to --max-running)."""
    running = start_server("serve", "--isolate", "--max-running", "3")
    try:
        forker = fork_server(running)
        assert b"kgraph.serve.worker" in Path(f"/proc/{forker}/cmdline").read_bytes()
        assert wait_for_workers(running, 1)
        assert b"true" in post_form(running, {"query": ASK}).body
        found = wait_for_workers(running, 2)  # the one that answered, and a spare
        assert fork_server(running) == forker
        for pid in found:
            memory = smaps(pid)
            if "Pss_Anon" not in memory:
                pytest.skip("no Pss_Anon in smaps_rollup (Linux before 5.8)")
            # A process that loaded the graph itself has its anonymous memory to itself (Pss_Anon = Anonymous);
            # a forked worker shares most of its with the fork server and the other workers.
            assert memory["Pss_Anon"] < 0.8 * memory["Anonymous"], memory
    finally:
        stop(running)


def fd_links(pid: int) -> dict[str, str]:
    """What each file descriptor of process ``pid`` names, by its number."""
    found = {}
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            found[fd.name] = str(fd.readlink())
    return found


def open_files(pid: int, under: Path) -> list[str]:
    return [link for link in fd_links(pid).values() if link.startswith(str(under))]


def test_on_a_store_each_worker_opens_it_after_the_fork(store):
    """The fork server never opens the store (an open Oxigraph store cannot be shared across a fork): the workers
    do, each its own."""
    running = start_server("serve", "--store", str(store), "--isolate", "--max-running", "2")
    try:
        assert post_form(running, {"query": ASK}).status == 200
        found = wait_for_workers(running, 2)
        assert open_files(fork_server(running), store) == []
        deadline = time.monotonic() + 30
        while not all(open_files(pid, store) for pid in found):  # the one forked last may not have opened it yet
            assert time.monotonic() < deadline, {pid: open_files(pid, store) for pid in found}
            time.sleep(0.05)
        assert open_files(fork_server(running), store) == []
        assert count_triples(running) == stored_triples(store)
    finally:
        stop(running)


def in_session(session: int) -> set[int]:
    """The processes alive in the session ``session`` (a server started by start_server leads its own, and the
    fork server and the workers stay in it)."""
    return _alive_with(3, session)


def wait_for_log(server: Server, text: str) -> None:
    """Until the server's standard error, read by a thread of the test, says ``text``."""
    deadline = time.monotonic() + 10
    while text not in "".join(server.log):
        assert time.monotonic() < deadline, (text, server.log)
        time.sleep(0.1)


def new_fork_server(server: Server, old: int) -> int:
    """The fork server started in place of ``old``, once it is up with a worker ready (and /health counts it),
    waited for without sending a query."""
    deadline = time.monotonic() + 30
    while True:
        found = children(server.process.pid) - {old}
        if len(found) == 1 and children(next(iter(found))) and get(server, "/health").json()["workers"] == 1:
            return found.pop()
        assert time.monotonic() < deadline, ("no new fork server", found, server.log)
        time.sleep(0.1)


def threads_and_files(pid: int) -> tuple[int, int]:
    """How many threads process ``pid`` runs, and how many files it has open."""
    return len(list(Path(f"/proc/{pid}/task").iterdir())), len(list(Path(f"/proc/{pid}/fd").iterdir()))


def test_a_killed_fork_server_is_replaced_at_once(store):
    """Killed, the fork server takes its workers with it (on Linux). The server notices as it dies, and starts
    another in the background, with a worker ready, before any query asks for one: the next query is answered by
    a worker of the new fork server, without waiting for a fork server to start. The thread that read the old one
    has ended, and the files to it and its workers are closed."""
    running = start_server("serve", "--store", str(store), "--isolate", "--max-running", "2")
    try:
        forker = fork_server(running)
        before = wait_for_workers(running, 1)
        held = threads_and_files(running.process.pid)
        os.kill(forker, signal.SIGKILL)
        replaced = new_fork_server(running, forker)
        deadline = time.monotonic() + 10  # a connection of the last /health may not be closed yet
        while any(now > then for now, then in zip(threads_and_files(running.process.pid), held, strict=True)):
            assert time.monotonic() < deadline, (threads_and_files(running.process.pid), held)
            time.sleep(0.1)
        assert not any(alive(pid) for pid in {forker, *before})
        wait_for_log(running, f"fork server ended (pid {forker}, killed by signal 9 (SIGKILL)); starting another")
        ready = workers(running)
        reply = post_form(running, {"query": ASK})
        assert reply.status == 200 and b"true" in reply.body, reply.body
        assert fork_server(running) == replaced
        answered = ready & wait_for_workers(running, 2)  # the one that answered, and the spare made behind it
        assert answered == ready  # the worker made ready by the new fork server answered (and is still there)
        assert count_triples(running) == stored_triples(store)
    finally:
        stop(running)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT"])
def test_a_server_stopped_as_its_fork_server_is_started_again_leaves_no_process(store, how):
    """SIGTERM, or Ctrl-C, while the fork server is being started again: the server waits for it, then ends it."""
    running = start_server("serve", "--store", str(store), "--isolate")
    try:
        pid = running.process.pid
        forker = fork_server(running)
        os.kill(forker, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not children(pid) - {forker}:  # the new one is starting (it takes a second to be ready)
            assert time.monotonic() < deadline, running.log
            time.sleep(0.01)
        if how == "SIGINT":
            os.killpg(pid, signal.SIGINT)
        else:
            os.kill(pid, signal.SIGTERM)
        running.process.wait(30)
        assert running.process.returncode in (0, 143, -15), running.log
        deadline = time.monotonic() + 10
        while in_session(pid):
            assert time.monotonic() < deadline, in_session(pid)
            time.sleep(0.1)
    finally:
        stop(running)


def test_a_worker_killed_mid_query_from_outside_is_a_503_to_send_again(store):
    """A worker killed by something other than the server (by hand here; the kernel when memory runs out) as it
    evaluates a query: the client gets 503 worker-died, the server's log says which process died of which signal,
    and the server goes on with another worker."""
    running = start_server("serve", "--store", str(store), "--isolate", "--timeout", "60", "--max-running", "1")
    replies: list[Reply] = []
    asking = threading.Thread(target=lambda: replies.append(post_form(running, {"query": ENDLESS})))
    try:
        (worker,) = wait_for_workers(running, 1)
        idle = cpu_seconds(worker)
        asking.start()
        deadline = time.monotonic() + 30
        while cpu_seconds(worker) < idle + 0.3:  # it evaluates the query
            assert time.monotonic() < deadline, running.log
            time.sleep(0.05)
        os.kill(worker, signal.SIGKILL)
        asking.join(30)
        (reply,) = replies
        body = assert_problem(reply, 503, "died before it answered", "send the query again")
        assert body["error"] == "worker-died"
        assert reply.headers["retry-after"] == "1"
        wait_for_log(
            running, f"a query worker (pid {worker}) died as it answered a query: killed by signal 9 (SIGKILL)"
        )
        (other,) = wait_for_workers(running, 1)
        assert other != worker
        assert b"true" in post_form(running, {"query": ASK}).body
        assert get(running, "/health").json()["running"] == 0
    finally:
        stop(running)
        if asking.ident is not None:  # started
            asking.join(30)


def test_a_fork_server_that_cannot_be_started_again_is_a_clear_503():
    """The fork server dies with its workers, and the new one cannot load the graph: the query is answered 503
    worker-unavailable (not a 500 from the dead worker), and the log says why."""
    from kgraph.query.loading import load  # noqa: PLC0415
    from kgraph.serve.isolate import Pool, Source  # noqa: PLC0415
    from kgraph.serve.protocol import Problem  # noqa: PLC0415

    told: list[str] = []
    pool = Pool(Source.of(load()), 1, 100, notify=told.append)
    try:
        started = {pid for pid in children(os.getpid()) if b"kgraph.serve" in Path(f"/proc/{pid}/cmdline").read_bytes()}
        assert len(started) == 1, started
        gone = {*started, *descendants(started.pop())}
        pool._source = Source(encoded=b"not a graph")  # what the next fork server is given
        for pid in gone:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in gone):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        with pytest.raises(Problem) as raised:
            pool.ask("sparql", ("ASK {}",), {}, None)
        assert (raised.value.status, raised.value.code) == (503, "worker-unavailable")
        assert any("fork server ended" in message for message in told), told
        assert pool.workers == 0
    finally:
        pool.close()


def test_an_idle_worker_killed_from_outside_is_replaced_at_once(store):
    """Killed while idle, a worker is replaced before any query asks for it, and the log says which and how."""
    running = start_server("serve", "--store", str(store), "--isolate", "--max-running", "2")
    try:
        (worker,) = wait_for_workers(running, 1)
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while (found := workers(running)) in (set(), {worker}) or get(running, "/health").json()["workers"] != 1:
            assert time.monotonic() < deadline, (found, running.log)
            time.sleep(0.1)
        wait_for_log(running, f"an idle query worker (pid {worker}) died: killed by signal 9 (SIGKILL)")
        assert b"true" in post_form(running, {"query": ASK}).body
    finally:
        stop(running)


#: Resources of the store of many names, each with an English and a Chinese label.
NAMED = 100_000


@pytest.fixture(scope="module")
def many_names(tmp_path_factory) -> Path:
    """A store of the bundled graph and NAMED more labelled resources: a name that matches none of them is told
    with close names, which reads every label (seconds, in a worker that has not read them yet)."""
    folder = tmp_path_factory.mktemp("names")
    names = folder / "names.ttl"
    with names.open("w", encoding="utf-8") as out:
        out.write("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
        for number in range(NAMED):
            out.write(f'<https://example.org/n{number}> rdfs:label "Name {number}"@en, "名称 {number}"@zh .\n')
    load_store(folder / "kgraph-store", names)
    return folder / "kgraph-store"


def test_a_saved_querys_names_looked_up_past_the_limit_are_told_as_by_threads(many_names):
    """A saved query whose parameters' names are still being looked up at the limit: the worker is killed, and
    the client is told what a thread tells, that the look-up took too long and to name the entity by its IRI or
    exact label; not the 503 of a query that ran too long, whose advice (a LIMIT) does not apply to a saved query."""
    replies = []
    for isolate in ((), ("--isolate",)):
        running = start_server("serve", "--store", str(many_names), *isolate, "--timeout", "1", "--max-running", "1")
        try:
            # A name the store holds, found at once: the worker has parsed the saved query when it is asked the
            # next, and begins looking up at once (the threads' time limit begins there).
            assert get(running, "/queries/customers-of?product=Amazon%20Bedrock").status == 200
            replies.append(get(running, "/queries/customers-of?product=No%20such%20product"))
        finally:
            stop(running)
    threads, isolated = replies
    body = assert_problem(isolated, 503, "looking up the parameters' names took longer than this server's limit")
    assert body["error"] == "timeout"
    assert (isolated.body, isolated.headers["retry-after"]) == (threads.body, threads.headers["retry-after"])


def zombies_of(pid: int) -> set[int]:
    """The children of ``pid`` that have ended but are not reaped (state Z)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _fields(int(entry.name))
            if fields is not None and fields[0] == "Z" and int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def all_threads_ended(pid: int) -> bool:
    """Whether every thread of process ``pid`` has ended, and so its files are closed: the process is gone, or only
    its leader is left, a zombie. A worker runs Oxigraph's threads, and its leader shows as a zombie (not
    :func:`alive`) while they are still ending, the socket to the server still open."""
    try:
        threads = [entry.name for entry in Path(f"/proc/{pid}/task").iterdir()]
    except OSError:
        return True
    return threads == [str(pid)] and not alive(pid)


def pidfds(pid: int) -> list[str]:
    """The pidfds process ``pid`` holds open."""
    return [fd for fd, link in fd_links(pid).items() if link == "anon_inode:[pidfd]"]


def test_with_pidfds_the_server_and_its_fork_server_watch_each_worker_by_one(store):
    """The other side of the test below: what it checks is absent is there when Python has pidfds."""
    if not hasattr(os, "pidfd_open"):
        pytest.skip("this Python has no os.pidfd_open")
    running = start_server("serve", "--store", str(store), "--isolate", "--max-running", "1")
    try:
        wait_for_workers(running, 1)
        assert len(pidfds(running.process.pid)) == 1 and len(pidfds(fork_server(running))) == 1
    finally:
        stop(running)


def test_without_pidfds_runaway_and_killed_workers_are_still_ended_and_reaped(store, tmp_path):
    """Where Python has no ``os.pidfd_open`` (Linux before 5.3, other systems) the server kills a worker by its
    process id and knows it gone when the socket to it closes, and the fork server leaves its workers to the
    kernel to reap (SIGCHLD ignored), unwatched. Every other test runs with pidfds; here every kgraph process
    starts without them (a ``sitecustomize`` removes them)."""
    (tmp_path / "sitecustomize.py").write_text(
        "import os, signal\nfor where, name in ((os, 'pidfd_open'), (signal, 'pidfd_send_signal')):\n"
        "    if hasattr(where, name):\n        delattr(where, name)\n"
    )
    path = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    running = start_server(
        "serve", "--store", str(store), "--isolate", "--timeout", "2", "--max-running", "1", env={"PYTHONPATH": path}
    )
    try:
        forker = fork_server(running)
        wait_for_workers(running, 1)
        assert not pidfds(running.process.pid) and not pidfds(forker)  # with them, each holds one per worker
        assert_runaway_is_stopped(running, ENDLESS)
        (worker,) = wait_for_workers(running, 1)
        os.kill(worker, signal.SIGKILL)  # an idle worker killed from outside: unwatched, found dead when asked
        deadline = time.monotonic() + 10
        while not all_threads_ended(worker):  # a query sent as it dies may reach it, and be told to send again (503)
            assert time.monotonic() < deadline, zombies_of(forker)
            time.sleep(0.05)
        reply = post_form(running, {"query": ASK})
        assert b"true" in reply.body, (reply.body, running.log)
        deadline = time.monotonic() + 10
        while zombies_of(forker):  # every worker that ended was reaped: none is left a zombie
            assert time.monotonic() < deadline, zombies_of(forker)
            time.sleep(0.1)
        assert not any("Traceback" in line for line in running.log), running.log
    finally:
        stop(running)


def test_a_worker_that_reads_a_damaged_store_says_so_on_the_servers_log(store):
    """A worker answers a query that read a damaged part of the store as the server's threads do (500
    store-damaged), and says where on the server's standard error, which the threads' answer has the server say."""
    from test_serve import damage_blocks  # noqa: PLC0415

    running = start_server("serve", "--store", str(store), "--isolate", "--max-running", "1")
    try:
        assert post_form(running, {"query": ASK}).status == 200  # the worker has opened the store
        damage_blocks(store)
        reply = post_form(running, {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"}, "text/csv")
        assert reply.json()["error"] == "store-damaged", reply.body
        assert reply.status == 500
        deadline = time.monotonic() + 10
        while not any(" is damaged (Corruption: " in line for line in running.log):
            assert time.monotonic() < deadline, running.log
            time.sleep(0.1)
    finally:
        stop(running)
