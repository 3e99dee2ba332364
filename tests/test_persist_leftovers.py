"""A load that does not finish leaves nothing behind it for long: stopped by SIGTERM or SIGHUP it cleans up as
after Ctrl-C; killed (SIGKILL, the machine stopped) it leaves its folder, which the next load into the same store
clears, without touching the folders of loads still running; and a store a load had moved aside when it stopped
is put back.

The loads stopped here are real processes, signalled while they read a generated file."""

from __future__ import annotations

import concurrent.futures
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kgraph import persist
from kgraph.cli import cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and flock")

#: Triples of the generated file: enough that reading it takes a few seconds, so a signal lands while it does.
TRIPLES = 300_000
LONG_AGO = 3600.0


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled graph loaded into ``tmp_path/st``, with ``tmp_path`` as the working folder."""
    monkeypatch.chdir(tmp_path)
    result = run("load", "--store", "st")
    assert result.exit_code == 0, result.output
    return tmp_path / "st"


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.nt"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    with path.open("w", encoding="utf-8") as out:
        for n in range(TRIPLES):
            out.write(f'<https://example.org/thing/{n}> {label} "thing number {n}"@en .\n')
    return path


def leftovers(store_dir: Path) -> list[str]:
    return sorted(p.name for p in store_dir.parent.iterdir() if p.name.startswith(f".{store_dir.name}."))


def backdate(path: Path) -> None:
    then = time.time() - LONG_AGO
    os.utime(path, (then, then))


def _ignoring_sighup() -> None:
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as nohup starts a command


@contextmanager
def loading(store_dir: Path, big_file: Path, *, nohup: bool = False) -> Iterator[subprocess.Popen[str]]:
    """``kgraph load --store STORE BIG`` in a process of its own, yielded once it has begun reading the file."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kgraph", "load", "--store", store_dir.name, "--force", str(big_file)],
        cwd=store_dir.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ignoring_sighup if nohup else None,  # noqa: PLW1509 - the test starts no threads meanwhile
    )
    assert process.stderr is not None
    try:
        for line in process.stderr:
            if line.startswith("reading "):
                break
        else:
            pytest.fail("the load ended before it read its files")
        time.sleep(0.5)  # well into the file, and its first bulk loads
        assert process.poll() is None, "the load ended before the signal"
        yield process
    finally:
        process.kill()
        process.wait(30)
        process.stderr.close()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_load_stopped_by_a_signal_cleans_up_and_exits_128_plus_its_number(store, big_file, signum):
    manifest = (store / persist.MANIFEST).read_bytes()
    with loading(store, big_file) as process:
        process.send_signal(signum)
        _out, err = process.communicate(timeout=120)
    assert process.returncode == 128 + signum, err
    assert err.splitlines()[-1] == "Terminated" and "Traceback" not in err, err
    assert leftovers(store) == []
    assert (store / persist.MANIFEST).read_bytes() == manifest
    assert run("--store", "st", "stats").exit_code == 0


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), OSError(28, "No space left on device")], ids=["ctrl-c", "full"])
def test_a_load_that_does_not_finish_removes_the_folders_it_made_for_the_store(tmp_path, monkeypatch, stop):
    """Its temporary folder went, but the folders made above it stayed (load --store new/deeper/s, stopped, left
    new/deeper). A folder that was there before stays."""

    def stopped(*_args: object) -> None:
        raise stop

    monkeypatch.setattr(persist, "_build_into", stopped)
    (tmp_path / "there").mkdir()
    with pytest.raises((KeyboardInterrupt, persist.StoreError)):
        persist.build(tmp_path / "there" / "new" / "deeper" / "store")
    assert [path.relative_to(tmp_path) for path in tmp_path.rglob("*")] == [Path("there")]


def test_a_load_started_with_nohup_goes_on_after_sighup(store, big_file):
    with loading(store, big_file, nohup=True) as process:
        process.send_signal(signal.SIGHUP)
        _out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert leftovers(store) == []
    assert run("--store", "st", "query", "ASK { <https://example.org/thing/7> ?p ?o }").exit_code == 0


def test_a_killed_load_leaves_its_folder_and_the_next_load_clears_it(store, big_file):
    with loading(store, big_file) as process:
        process.send_signal(signal.SIGKILL)
        process.wait(60)
    (left,) = leftovers(store)
    assert left.startswith(".st.building-")
    again = run("load", "--store", "st")  # a leftover changed just now stays, named
    assert again.output.startswith(f"leaving {left} alone: it changed less than 10 s ago")
    assert again.output.splitlines()[-1].startswith("st already holds")
    assert leftovers(store) == [left]
    backdate(store.parent / left)
    result = run("load", "--store", "st")
    assert result.exit_code == 0, result.output
    assert f"removing {left}, left by a kgraph load that did not finish" in result.stderr
    assert leftovers(store) == []
    assert run("--store", "st", "stats").exit_code == 0


def test_a_load_leaves_the_folder_of_a_load_running_beside_it_alone(store, big_file):
    with loading(store, big_file) as process:
        (building,) = leftovers(store)
        backdate(store.parent / building)  # however long it has been running
        result = run("load", "--store", "st")
        assert result.exit_code == 0, result.output
        assert leftovers(store) == [building]
        _out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert leftovers(store) == []
    assert run("--store", "st", "query", "ASK { <https://example.org/thing/7> ?p ?o }").exit_code == 0


def test_the_folders_of_loads_under_way_and_of_other_stores_are_left_alone(store, tmp_path):
    def folder(name: str, *, old: bool = True) -> Path:
        path = tmp_path / name
        (path / "oxigraph").mkdir(parents=True)
        (path / "oxigraph" / "000001.sst").write_bytes(b"x" * 100)
        if old:
            backdate(path)
        return path

    dead = folder(".st.building-dead0001")
    dead_old = folder(".st.old-dead0002")
    running = folder(".st.building-live0003")
    fresh = folder(".st.building-new00004", old=False)
    other = folder(".st2.building-dead0005")
    plain = tmp_path / ".st.building-file0006"
    plain.write_text("not a folder")
    fd = os.open(running, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as the load building it holds it
        result = run("load", "--store", "st")
    finally:
        os.close(fd)
    assert result.exit_code == 0, result.output
    assert not dead.exists() and not dead_old.exists()
    assert running.is_dir() and fresh.is_dir() and other.is_dir() and plain.is_file()
    assert f"removing {dead.name}" in result.stderr and f"removing {dead_old.name}" in result.stderr
    assert run("--store", "st", "stats").exit_code == 0


def test_a_store_a_stopped_load_moved_aside_is_put_back_by_the_next_load(store, tmp_path):
    """A load stopped between its two renames leaves the old store in .NAME.old-*/store and nothing at NAME."""
    aside = tmp_path / ".st.old-stop0001"
    aside.mkdir()
    store.replace(aside / "store")
    older = tmp_path / ".st.old-stop0000"  # an older stop of the same kind, its store half deleted
    (older / "store").mkdir(parents=True)
    for path in (aside, older):
        backdate(path)
    backdate(older / "store")
    os.utime(older, (time.time() - 2 * LONG_AGO,) * 2)

    refused = run("--store", "st", "stats")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "Error: there is no store at st: a kgraph load that did not finish moved it to .st.old-stop0001/store; "
        "kgraph load --store st puts it back\n"
    )
    result = run("load", "--store", "st")
    assert result.exit_code == 0, result.output
    assert "put st back: a kgraph load that did not finish had moved it aside" in result.stderr
    assert result.output.splitlines()[-1].startswith("st already holds")  # the same files: not even rebuilt
    assert leftovers(store) == []
    assert run("--store", "st", "stats").exit_code == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_between_the_two_renames_of_a_load_loses_no_store(store, monkeypatch, signum):
    """The signal came after the old store was moved aside and before the new one took its place: the old one was
    deleted with the folder it had been moved to, the new one with the folder it was built in, and no store was
    left at all. Now the renames finish and the signal stops the command after them."""
    put_in_place = persist._replace

    def signalled(building: Path, store_dir: Path) -> None:
        # As if it came just now, between the two renames. To the main thread itself: a signal to the process may
        # go to any thread (RocksDB's), and Python, told by another thread, may act on it only once the command
        # has ended, on a busy machine (the test then saw exit 0).
        signal.pthread_kill(threading.main_thread().ident or 0, signum)
        time.sleep(0.05)  # Python runs the handler here, unless it is held back
        put_in_place(building, store_dir)

    monkeypatch.setattr(persist, "_replace", signalled)
    result = run("load", "--store", "st", "--force")
    assert result.exit_code == 128 + signum, result.output
    assert leftovers(store) == []
    after = run("--store", "st", "stats")
    assert after.exit_code == 0, after.output


def test_a_load_into_a_store_another_load_is_building_is_refused(store, big_file):
    """Both loads went on, and the one that finished last replaced the other's store: the other said it had
    loaded its files, exit 0, and the store then held none of them. The second load is refused; the first goes
    on."""
    with loading(store, big_file) as process:
        (building,) = leftovers(store)
        refused = run("load", "--store", "st", "--force")
        assert refused.exit_code == 2, refused.output
        assert refused.stderr == (
            f"Error: another kgraph load is building the store st (in {building}); let it finish, then load again\n"
        )
        assert leftovers(store) == [building]
        _out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert leftovers(store) == []
    assert run("--store", "st", "query", "ASK { <https://example.org/thing/7> ?p ?o }").exit_code == 0


def test_a_load_waits_for_the_lock_of_its_own_folder_that_another_load_looks_at(tmp_path):
    """Another load looking whether a load's folder is held holds its lock for an instant: the load, made to
    give up, ran without the lock, and the next load took its folder for a leftover."""
    folder = tmp_path / ".st.building-mine0001"
    folder.mkdir()
    fd = os.open(folder, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    letting_go = threading.Timer(0.2, os.close, [fd])
    letting_go.start()
    try:
        with persist._held(folder, mine=True) as held:
            assert held
    finally:
        letting_go.join()


def test_a_store_moved_aside_by_a_load_killed_a_moment_ago_is_put_back_by_the_next_load(store, tmp_path):
    """The folder a load killed between its two renames leaves is as new as the kill: the next load, run at once
    as the commands advise, left it (it is less than LEFTOVER_AGE old) and built a new store beside it."""
    aside = tmp_path / ".st.old-stop0001"
    aside.mkdir()
    store.replace(aside / "store")
    result = run("load", "--store", "st")
    assert result.exit_code == 0, result.output
    assert "put st back: a kgraph load that did not finish had moved it aside" in result.stderr
    assert result.output.splitlines()[-1].startswith("st already holds")  # the same files: not rebuilt
    assert leftovers(store) == []


@pytest.mark.parametrize("kind", ["building", "old"])
def test_a_new_folder_of_a_load_that_a_load_leaves_alone_is_named(store, tmp_path, kind):
    """A folder no load holds, changed less than LEFTOVER_AGE ago (a load killed a moment ago left it, or one just
    starting made it), was left without a word, as large as a store perhaps: the load said only that the store
    already held its files. It names the folder, the load that may be starting, and what becomes of it. (A folder
    a load holds is not named: that load is under way, and a rebuild is refused naming it.)"""
    fresh = tmp_path / f".st.{kind}-new00001"
    (fresh / "oxigraph").mkdir(parents=True)
    result = run("load", "--store", "st")
    assert result.exit_code == 0, result.output
    said, holds = result.stderr.splitlines()
    assert said == (
        f"leaving {fresh.name} alone: it changed less than 10 s ago, so another kgraph load may be starting in it; "
        "if none is, a load run later removes it"
    )
    assert holds.startswith("st already holds")
    assert leftovers(store) == [fresh.name]
    backdate(fresh)
    result = run("load", "--store", "st")
    assert result.stderr.splitlines()[0] == f"removing {fresh.name}, left by a kgraph load that did not finish"
    assert leftovers(store) == []


def test_a_new_folder_of_a_load_beside_a_store_in_place_is_left_alone(store, tmp_path):
    """A load makes its folder, then locks it: the next load leaves a new one alone, even one where a store was
    moved aside, while the store is in place."""
    aside = tmp_path / ".st.old-new00001"
    shutil.copytree(store, aside / "store")
    result = run("load", "--store", "st")
    assert result.exit_code == 0, result.output
    assert leftovers(store) == [aside.name]


def test_a_second_ctrl_c_while_a_stopped_load_clears_its_folder_leaves_no_folder(store, monkeypatch):
    """Pressed again as the load cleared what it had built, Ctrl-C cut the clearing short."""
    folders = []

    def stopped(folder: Path, *_args: object) -> None:
        (folder / "oxigraph").mkdir()
        (folder / "oxigraph" / "000001.sst").write_bytes(b"x" * 100)
        folders.append(folder)
        raise KeyboardInterrupt

    clear = shutil.rmtree

    def interrupted(path: Path, *args: object, **kwargs: object) -> None:
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)  # Ctrl-C again
        time.sleep(0.05)  # Python runs the handler here, unless it is held back
        clear(path, *args, **kwargs)

    monkeypatch.setattr(persist, "_build_into", stopped)
    monkeypatch.setattr(shutil, "rmtree", interrupted)
    with pytest.raises(KeyboardInterrupt):
        persist.build(store, force=True)
    assert folders and not folders[0].exists()
    assert leftovers(store) == []


def test_a_second_ctrl_c_while_the_bulk_loads_under_way_end_waits_for_them(tmp_path, monkeypatch):
    """The loads under way go on writing into the store's folder until they end: a second Ctrl-C stopped the
    wait for them, the folder was cleared while they wrote in it, and some of it was left."""
    waiting, ended = threading.Event(), threading.Event()
    shut_down = concurrent.futures.ThreadPoolExecutor.shutdown

    def shutting_down(self: concurrent.futures.ThreadPoolExecutor, *args: object, **kwargs: object) -> None:
        waiting.set()
        shut_down(self, *args, **kwargs)

    def load(_store: object, _chunk: Path) -> None:
        waiting.wait(30)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)  # Ctrl-C again, during the wait
        time.sleep(1.0)  # a bulk load that takes a while to end
        ended.set()

    monkeypatch.setattr(concurrent.futures.ThreadPoolExecutor, "shutdown", shutting_down)
    monkeypatch.setattr(persist, "_load_file", load)
    with pytest.raises(KeyboardInterrupt), persist._Loader(object()) as loader:  # type: ignore[arg-type]
        loader.send(tmp_path / "chunk.nq")
        raise KeyboardInterrupt  # the first Ctrl-C
    assert ended.is_set()
