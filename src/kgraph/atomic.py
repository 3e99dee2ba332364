"""The temporary file behind every atomic write: written in full beside its target, then renamed by the caller.

It lives apart from :mod:`kgraph.export` so that commands which only write one answer (``kgraph query
--output``) do not import every export format at start-up.
"""

from __future__ import annotations

import errno
import io
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, cast

from kgraph.errors import InputError


def write_temporary(target: Path, content: bytes | Callable[[BinaryIO], None]) -> Path:
    """Write ``content`` (bytes, or a function that writes them to the stream it is given) to a new temporary file
    beside ``target`` (synced, mode 0644) and return its path; the caller renames it into place. On failure the
    temporary file is removed."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            _write(stream, content)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o644)  # mkstemp makes 0600 files; outputs are meant to be read by others
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


#: The signals that stop a command (Ctrl-C, ``kill``, a closed terminal), held back by :func:`uninterrupted`.
STOPPING = frozenset(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP while the block runs (a few renames that must all happen, or none),
    and act on them after it: a command stopped half-way through its renames left some outputs new and some old,
    or, in ``kgraph load``, no store at all between the old one's rename aside and the new one's into place.

    The signals' Python handlers are swapped for one that notes them (masking them would not do: another thread,
    such as one of RocksDB's, may take the signal, and Python still runs the handler in the main thread), and each
    noted one is raised again once the handlers are back. Only the main thread can set handlers; elsewhere
    nothing changes. A signal ignored stays ignored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    before: dict[int, Any] = {}
    try:
        for signum in STOPPING:
            handler = signal.getsignal(signum)
            if handler not in (signal.SIG_IGN, None):
                # noted first: a signal that comes as the next handler is swapped is acted on there (by the
                # handler before), and this one is set back
                before[signum] = handler
                signal.signal(signum, lambda signum, _frame: noted.append(signum))
        yield
    finally:
        _put_back(before)
        for signum in dict.fromkeys(noted):  # each once, in the order they came
            signal.raise_signal(signum)


def _put_back(handlers: dict[int, Any]) -> None:
    """Set the handler of each signal in ``handlers`` (its number: the handler :func:`uninterrupted` replaced by
    one that notes it) back, every one of them even when a signal comes meanwhile.

    One set back may be acted on before the next is (a KeyboardInterrupt, which ``signal.signal`` itself raises
    before it sets a handler if a signal is pending), and that cut the loop short: the rest were left noting
    their signals and never acting on them, and a library caller's SIGTERM did nothing any more. The signals are
    now blocked in this thread while the handlers are set, and acted on after; one that comes anyway (another
    thread took it: Python still acts on it here) is raised again once every handler is back."""
    mask = getattr(signal, "pthread_sigmask", None)  # not on Windows
    # nothing here can raise: what Python acts on meanwhile is the noting handlers
    unblocked = mask(signal.SIG_BLOCK, STOPPING) if mask is not None else None
    try:
        set_every_handler(handlers)
    finally:
        if mask is not None and unblocked is not None:
            mask(signal.SIG_SETMASK, unblocked)  # a signal blocked meanwhile is acted on here


def set_every_handler(handlers: Mapping[int, Any]) -> None:
    """Set the handler of each signal in ``handlers`` (its number: its handler), all of them even when a signal
    is acted on meanwhile (``signal.signal`` acts on a pending one before it sets a handler, and its handler may
    raise), then raise the first exception a handler raised."""
    stopped: BaseException | None = None
    while True:
        try:
            for signum, handler in handlers.items():
                signal.signal(signum, handler)
            break
        except BaseException as error:  # an interrupt: raised again below
            stopped = stopped or error
    if stopped is not None:
        raise stopped


def refuse_inputs(target: Path, option: str, inputs: Iterable[Path | None]) -> None:
    """Raise :class:`InputError` if ``target`` (a file or a folder to write) is one of the ``inputs`` folders
    kgraph reads its graph from (data, ontology, store), or inside one: the next command would read what is
    written there as data, or it would replace the ontology itself; or if it is one of the ``inputs`` files (a
    data file linked from elsewhere, a file ``kgraph load`` read, the query's file), which it would replace."""
    resolved = _resolved(target, option)
    for folder in inputs:
        if folder is None or not resolved.is_relative_to(folder.resolve()):
            continue
        if folder.is_file():  # a file read (the query's, or one kgraph load read from outside the folders)
            if resolved == folder.resolve():
                raise InputError(
                    f"{option} {target} is the file {folder}, which this command reads; write somewhere else "
                    "(kgraph never changes its input files)"
                )
            continue
        if folder.is_dir():  # not a device or a pipe (-f /dev/stdin): writing to one replaces nothing
            raise InputError(
                f"{option} {target} is inside {folder}, which kgraph reads its graph from; write somewhere else "
                "(kgraph never changes its input files)"
            )


def _resolved(target: Path, option: str) -> Path:
    """``target`` with its symbolic links followed; an InputError if they loop (Python before 3.13 raises
    RuntimeError there, later ones return the path as it is, and the write would then replace the link)."""
    try:
        resolved = target.resolve()
        resolved.stat()
    except FileNotFoundError:  # a new file: nothing to follow
        pass
    except (RuntimeError, OSError) as error:
        if isinstance(error, RuntimeError) or error.errno == errno.ELOOP:
            raise InputError(
                f"{option} {target} leads into a loop of symbolic links; fix the link or pass another {option}"
            ) from error
    return resolved


def make_folder(folder: Path, option: str = "--out DIR") -> None:
    """Create ``folder`` and its parents, for an output (every command makes the folder it is told to write in);
    an InputError naming what is in the way and ``option`` if it cannot be made: each path as the user would type
    it (relative to the current folder), on one line (``$'...'`` for a name with a line break)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        from kgraph.store import display_path  # noqa: PLC0415 - rdflib's import, for an error only

        blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
        if blocking == folder:
            why = f"{display_path(folder)} is a file, not a folder"
        elif blocking is not None:
            why = f"{display_path(blocking)} is a file, so the folder {display_path(folder)} cannot be made"
        else:
            why = f"cannot create the folder {display_path(folder)}: {error.strerror or error}"
        raise InputError.advising(why, **instead(option)) from error


def instead(option: str) -> dict[str, str]:
    """What to pass in place of an output that cannot be written, as keywords of
    :meth:`~kgraph.errors.KGraphError.advising`: another ``option`` on the command line (``--out DIR``); in Python,
    another ``out_dir`` for the exports' folder (``kgraph.export.neo4j.export(loaded, out_dir)``), else another
    folder or file."""
    python = "out_dir" if option == "--out DIR" else "folder" if option.endswith(" DIR") else "file"
    return {"python": f"pass another {python}", "cli": f"pass another {option}"}


@contextmanager
def output_folder(folder: Path, option: str = "--out DIR") -> Iterator[None]:
    """:func:`make_folder` for the block that writes into ``folder``: if the block fails or is interrupted (Ctrl-C,
    SIGTERM), the folders made here that are still empty are removed again, so that a command that wrote nothing
    leaves no folder behind (``export graphml --output new/graph.graphml`` stopped left ``new/``). If it succeeds,
    each folder made is synced into the folder above it (:func:`sync_parents`), as the files written in them are
    and the renames that put them there: without it, a power cut soon after the first write into a new
    ``exports/`` could lose the folder with the files the command said it wrote."""
    made = missing_folders(folder)
    make_folder(folder, option)
    try:
        yield
    except BaseException:
        remove_empty(made)
        raise
    sync_parents(made)


def sync_parents(paths: Iterable[Path]) -> None:
    """Make the entries of ``paths`` last where they are: ``fsync`` the folder above each, once, after the folder
    or file was made or renamed there (or renamed away from there), as a file's bytes are synced before its rename
    (:func:`write_temporary`). Without it a power cut soon after may leave a folder's old names in place of the
    new files or folders, though the command said it wrote them. A folder reached under two names (a symbolic
    link, a case-insensitive file system) is synced once. Nothing on Windows, where a folder cannot be synced, nor
    where the system refuses (the entry is in: that is no reason to say the write failed)."""
    if sys.platform == "win32":  # pragma: no cover - no fsync of a folder
        return
    done: set[tuple[int, int]] = set()
    for parent in dict.fromkeys(path.parent for path in paths):
        _sync_folder(parent, done)


def sync_tree(folder: Path) -> None:
    """Make everything under ``folder`` last before ``folder`` is renamed into place (a store built beside its
    target): ``fsync`` each regular file under it, then each folder, the deepest first and ``folder`` last (their
    entries: the names of what is in them). Without it a power cut soon after the rename could leave the new
    folder in place with files missing or empty, though the command said it was done. A file that cannot be synced
    raises OSError (its bytes may not be on disk); a folder is synced where the system allows. A file or folder gone
    between the listing and its sync is no part of what is renamed, and is passed over: the database's engine may
    still be removing the files a compaction replaced (a load failed on a table file it had just deleted). Nothing
    on Windows, where a folder cannot be synced."""
    if sys.platform == "win32":  # pragma: no cover - no fsync of a folder
        return
    folders: list[Path] = []
    for root, _dirs, files in os.walk(folder, onerror=_raise_unless_gone):  # a folder before those in it
        for name in sorted(files):
            path = Path(root, name)
            try:
                if stat.S_ISREG(path.lstat().st_mode):  # not a link, a pipe (whose open would wait) or a socket
                    sync_file(path)
            except FileNotFoundError:
                continue
        folders.append(Path(root))
    done: set[tuple[int, int]] = set()
    for made in reversed(folders):  # each folder after those in it
        _sync_folder(made, done)


def _raise_unless_gone(error: OSError) -> None:
    if not isinstance(error, FileNotFoundError):
        raise error


def sync_file(path: Path) -> None:
    """``fsync`` the file at ``path``: its bytes on disk (before it is renamed over a previous one, say)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path, done: set[tuple[int, int]]) -> None:
    """``fsync`` ``folder``, if the system lets it be opened and synced, and it is none of ``done`` (the device and
    inode of each folder synced before, to which it is added)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        status = os.fstat(fd)
        if (status.st_dev, status.st_ino) not in done:
            done.add((status.st_dev, status.st_ino))
            os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those above it that do not exist yet, the deepest first: what making it will make."""
    return [path for path in (folder, *folder.parents) if not os.path.lexists(path)]


def remove_empty(folders: Iterable[Path]) -> None:
    """Remove ``folders`` (the deepest first, as :func:`missing_folders` lists them) while they are empty."""
    for path in folders:
        try:
            path.rmdir()
        except OSError:  # not empty, or gone: the folders above stay too
            return


def is_special(target: Path) -> bool:
    """Whether ``target`` exists and is neither a regular file nor a folder: a device (``/dev/null``), a named
    pipe, a socket; or is a process's open file by its descriptor (``/dev/stdout``, ``/dev/fd/1``,
    ``/proc/self/fd/1``), whatever it is open on. Such a target is written to as it is: a file renamed over it
    would replace it (``--output /dev/stdout``, standard output a file, replaced the system's link with a file)."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)) or _by_descriptor(target)


#: Where a system names a process's open files by their descriptors (Linux; /dev/fd on macOS and the BSDs too):
#: /proc/PID/fd/ and /proc/PID/task/TID/fd/, not the rest of /proc (/proc/self/cwd/FILE is a file like any other).
_BY_DESCRIPTOR = re.compile(r"/dev/fd/|/proc/[^/]+/(?:task/[^/]+/)?fd/")


def _by_descriptor(target: Path) -> bool:
    """Whether ``target``, or a symbolic link on the way from it (``/dev/stdout`` -> ``/proc/self/fd/1``), names an
    open file by its descriptor."""
    path = Path(os.path.normpath(target.absolute()))
    for _hop in range(40):  # the system's own limit of links followed
        if _BY_DESCRIPTOR.match(str(path)):
            return True
        try:
            path = Path(os.path.normpath(path.parent / path.readlink()))
        except OSError:  # no link (any more)
            return False
    return False


def write_directly(target: Path, content: bytes | Callable[[BinaryIO], None]) -> int:
    """Write ``content`` to the special file ``target`` (see :func:`is_special`), with no temporary file; return the
    bytes written, which its size does not tell (``/dev/null`` stays 0 bytes, a pipe's size is what is unread)."""
    with target.open("wb") as stream:
        counted = _Counted(stream)
        _write(cast(BinaryIO, counted), content)
        return counted.count


class _Counted(io.BufferedIOBase):
    """A stream that counts the bytes written through it to ``stream``."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self.stream = stream
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any, /) -> int:  # noqa: ANN401 - bytes-like
        written = self.stream.write(data)
        self.count += memoryview(data).nbytes
        return written

    def flush(self) -> None:
        if not self.stream.closed:  # closed (collected) after the stream: Python 3.13 reports the error __del__ hid
            self.stream.flush()


def _write(stream: BinaryIO, content: bytes | Callable[[BinaryIO], None]) -> None:
    """Write ``content`` to ``stream``: bytes as they are, a function by calling it with the stream."""
    if callable(content):
        content(stream)
    else:
        stream.write(content)
