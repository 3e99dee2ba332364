"""kgraph.atomic: the signals held back while a command renames its outputs into place."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from conftest import setting_back
from kgraph import atomic
from kgraph.atomic import STOPPING, uninterrupted

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _stop(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(signum)


@pytest.fixture
def handlers() -> Iterator[dict[int, Any]]:
    """A handler of the test's for each signal :func:`uninterrupted` holds back, one that stops the code it comes in
    as Ctrl-C's does; the handlers before are back after the test."""
    before = {signum: signal.getsignal(signum) for signum in STOPPING}
    own: dict[int, Any] = dict.fromkeys(STOPPING, _stop)
    for signum, handler in own.items():
        signal.signal(signum, handler)
    try:
        yield own
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _restoring(monkeypatch: pytest.MonkeyPatch, own: dict[int, Any], first: Callable[..., Any]) -> list[int]:
    """Have :func:`uninterrupted` set the first of the ``own`` handlers back with ``first`` (called as
    ``signal.signal`` is) instead of ``signal.signal``; the signals whose handlers it set back, in order."""
    return setting_back(monkeypatch, lambda signum, handler: handler is own.get(signum), first)


def test_every_handler_is_back_when_setting_one_back_raises(handlers, monkeypatch):
    """``signal.signal`` acts on a pending signal before it sets a handler, and raises its KeyboardInterrupt there:
    the loop that set the handlers back stopped at the first, and left the others noting their signals for ever
    (a library caller's SIGTERM then did nothing). Each is set back now, and the interrupt raised after."""

    def interrupted(_signum: int, _handler: Any) -> None:  # as CPython does with a signal pending: nothing set
        raise KeyboardInterrupt

    restored = _restoring(monkeypatch, handlers, interrupted)
    with pytest.raises(KeyboardInterrupt), uninterrupted():
        pass
    assert len(restored) > 1
    assert {signum: signal.getsignal(signum) for signum in STOPPING} == handlers


def test_every_handler_is_back_when_a_signal_comes_as_they_are_swapped(handlers, monkeypatch):
    """A signal that came once :func:`uninterrupted` had swapped one handler for its noting one, as it swapped the
    next, was acted on by that next one's handler (``signal.signal`` acts on a pending signal before it sets a
    handler) before the block that sets them back: the first was left noting its signal for ever. Each is back
    now, and the interrupt raised."""
    real = signal.signal
    swapped: list[int] = []

    def setting(signum: int, handler: Any) -> Any:
        if handler is not handlers.get(signum):
            swapped.append(signum)
            if len(swapped) == 2:
                raise KeyboardInterrupt(signum)  # as CPython does with a signal pending: nothing set
        return real(signum, handler)

    monkeypatch.setattr(signal, "signal", setting)
    with pytest.raises(KeyboardInterrupt), uninterrupted():
        pytest.fail("the block ran")
    assert len(swapped) == 2
    assert {signum: signal.getsignal(signum) for signum in STOPPING} == handlers


def test_a_signal_while_the_handlers_are_set_back_waits_for_all_of_them(handlers, monkeypatch):
    """A signal sent to the command just as the first handler is back was acted on before the others were: its
    interrupt cut their loop short. It waits now until every handler is back, and stops the command then."""

    def signalled(signum: int, handler: Any) -> Any:
        before = real(signum, handler)
        signal.pthread_kill(threading.main_thread().ident or 0, signum)  # Python acts on it here, unless blocked
        return before

    real = signal.signal
    restored = _restoring(monkeypatch, handlers, signalled)
    with pytest.raises(KeyboardInterrupt) as stopped, uninterrupted():
        pass
    assert stopped.value.args == (restored[0],)
    assert {signum: signal.getsignal(signum) for signum in STOPPING} == handlers


def test_a_counted_stream_closed_after_the_file_it_wrote_to_raises_nothing(tmp_path):
    """``write_directly`` counts the bytes through a wrapper that outlives the file: collecting it closes it, which
    flushed the closed file, ``ValueError: flush of closed file``; Python 3.13 reports such an error of ``__del__``
    (as an unraisable exception, a failure under pytest), where 3.11 kept quiet."""
    from kgraph.atomic import _Counted  # noqa: PLC0415 - a private class, tested alone here

    with (tmp_path / "out").open("wb") as stream:
        counted = _Counted(stream)
        counted.write(b"abc")
    counted.close()  # raised ValueError
    assert counted.count == 3
    assert (tmp_path / "out").read_bytes() == b"abc"


@pytest.mark.skipif(sys.platform == "win32", reason="no fsync of a folder")
def test_sync_tree_passes_over_a_file_removed_while_it_runs(tmp_path, monkeypatch):
    """Oxigraph's engine may still be removing the table files a compaction replaced when the load syncs the new
    store: the load failed with "cannot write the store ... No such file or directory" on a file just deleted. A file
    gone is no part of the store; the others are synced."""
    (tmp_path / "db").mkdir()
    for name in ("000001.sst", "000002.sst", "CURRENT"):
        (tmp_path / "db" / name).write_bytes(b"x")
    synced: list[str] = []
    real = atomic.sync_file

    def sync(path):
        if path.name == "000001.sst":
            (tmp_path / "db" / "000002.sst").unlink()  # as the engine deletes it, between the listing and its sync
        real(path)
        synced.append(path.name)

    monkeypatch.setattr(atomic, "sync_file", sync)
    atomic.sync_tree(tmp_path)
    assert synced == ["000001.sst", "CURRENT"]
