"""Atomic writing of a set of files into a folder."""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import BinaryIO

from kgraph.atomic import (
    instead,
    is_special,
    output_folder,
    sync_parents,
    uninterrupted,
    write_directly,
    write_temporary,
)
from kgraph.errors import InputError, store_failure

if sys.platform != "win32":
    import fcntl


#: What a file is written from: its bytes, or a function that writes them to the stream it is given.
Content = bytes | Callable[[BinaryIO], None]


def write_files(
    out_dir: Path,
    files: Mapping[str, Content],
    option: str = "--out DIR",
    *,
    remove: Iterable[str] = (),
) -> list[Path]:
    """Write every ``name -> bytes`` of ``files`` under ``out_dir``, all or nothing as far as the OS allows; the
    bytes, or a function that writes them to the stream it is given (a large file, never whole in memory).

    Each file is first written in full to a temporary file next to its target; only when every temporary file
    is written are they renamed over the targets (:func:`rename_into_place`: a rename that fails midway puts the
    targets renamed before it back as they were). If writing fails, the temporary files are removed and the
    previous outputs stay as they were. A target that is a device or a named pipe (``/dev/null``) is written to
    as it is, after the others are written and before they are renamed. A target that is a folder fails the
    write before anything is written (its rename would fail after others'). Errors name ``option``, the one that
    chose where to write.

    ``remove`` names files under ``out_dir`` (an earlier output's, which this one does not replace) to remove with
    the write: each is renamed aside just before the new files are renamed into place, put back if that fails,
    and deleted after, so that they go only with the new files in.
    """
    targets = {out_dir / name: files[name] for name in sorted(files)}
    write_paths(targets, option, remove=[out_dir / name for name in sorted(set(remove) - set(files))])
    return list(targets)


def write_paths(
    files: Mapping[Path, Content],
    option: str,
    *,
    remove: Iterable[Path] = (),
    named: Mapping[Path, Path] | None = None,
) -> dict[Path, int]:
    """:func:`write_files` of ``{target: content}``, each target a path of its own (in any folder), and of the
    ``remove`` paths; the one protocol of every write all or nothing of files (``kgraph query --output`` too):
    the folders made for them (removed again if it fails), their lock (:class:`Claim`), the temporary files, the
    renames, the folders synced, a killed write's leftovers tidied. Returns the bytes written to each target (a
    device's or a pipe's size does not tell them). An error names a target by ``named``'s name for it, if it has
    one (the path a user gave, for the file its link leads to). A failure of the store a content function reads
    (:func:`~kgraph.errors.store_failure`) is passed on as it is: writing did not fail, the command says what did.
    """
    targets = list(files)
    removed = list(remove)
    sizes: dict[Path, int] = {}
    with ExitStack() as folders:  # the folders made for them go again if this fails, or is interrupted
        for target in targets:
            folders.enter_context(output_folder(target.parent, option))
        written: list[tuple[Path, Path]] = []
        # The file being written when it failed, which the error names: "cannot write into exports" sent the reader
        # to a folder they could write in, when the read-only one was exports/neo4j.
        failing = targets[0]
        try:
            special = [target for target in targets if is_special(target)]  # /dev/null: as it is
            renamed = [target for target in targets if target not in special]
            claim = folders.enter_context(Claim())  # before the first temporary file: see Claim
            for path in renamed + removed:
                claim.hold(path.parent)  # a folder only removed from too: its files are renamed aside there
            for target in renamed:
                failing = target
                if target.is_dir() and not target.is_symlink():  # its rename would fail, after others'
                    raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
                temporary = write_temporary(target, files[target])
                written.append((temporary, target))
                sizes[target] = temporary.stat().st_size
            for target in special:
                failing = target
                sizes[target] = write_directly(target, files[target])
            with uninterrupted():  # all renamed or none, whatever signal comes, and the old files gone with them
                rename_into_place(written, removed)
            claim.tidy(renamed + removed)
        except _CannotRemove as cannot:
            what = f"{cannot.path} (an earlier output's file, not in this one)"
            lines = [f"cannot remove {what}: {_why(cannot.error)}", *_advice(cannot.unrestored)]
            raise InputError.advising("; ".join(lines), **instead(option)) from cannot.error
        except RenameFailed as failed:
            shown = (named or {}).get(failed.target, failed.target)
            raise InputError.advising(failed.message(shown), **instead(option)) from failed.error
        except OSError as error:
            if store_failure(error) is error:  # reading the store failed, not writing the file: the command says so
                raise
            shown = (named or {}).get(failing, failing)
            raise InputError.advising(f"cannot write {shown}: {_why(error)}", **instead(option)) from error
        finally:
            for temporary, _target in written:
                temporary.unlink(missing_ok=True)
    return {target: sizes[target] for target in targets}


#: The name of a temporary or an old file kept aside beside the file ``{name}``: mkstemp's 8 random characters.
_LEFTOVER = r"\.{name}\.[a-z0-9_]{{8}}\.(?:tmp|old)"


class Claim:
    """The folders a write all or nothing puts files in, each locked (``flock`` on the folder itself) while it
    writes, so that a later write can tell what a write that did not finish left there from what a write under way
    still needs.

    A write killed (SIGKILL, out of memory, the machine stopped) between its first temporary file and its last
    rename leaves its temporary files (``.NAME.XXXXXXXX.tmp``) and the old files it kept aside
    (``.NAME.XXXXXXXX.old``) beside the files it was writing, where nothing removed them. Each write holds a shared
    lock on its folders from before its first temporary file until its files are in (:meth:`hold`), and the system
    lets go of it however the process ends. Once its files are in, :meth:`tidy` takes the lock of each folder for
    itself, without waiting: had, no other write is under way there, and every leftover named after one of the
    files just written is removed; not had (a write under way, which may still need its files), nothing is. Where
    there are no such locks (Windows, some network file systems) nothing is removed.

    Only :meth:`hold` waits, and only while another write tidies (an exclusive lock, let go when its Claim ends).
    Turning the shared lock into the exclusive one is not atomic (``flock(2)``: the shared one goes first), so a
    write that cannot have the folder alone has no lock on it after :meth:`tidy`: harmless, as this write's files
    are all in by then and its old files kept aside deleted, and no write waits for an exclusive lock that could
    slip in meanwhile. A lock belongs to the descriptor, not to the process: two Claims of one process on one
    folder (a write inside an :func:`~kgraph.export.csv_stream.atomic_folder` block) hold it shared together, and
    the inner one, not alone, tidies nothing; neither waits for the other.
    """

    def __init__(self) -> None:
        self._held: dict[tuple[int, int], tuple[int, Path]] = {}  # {(device, inode): (descriptor, folder)}

    def __enter__(self) -> Claim:
        return self

    def __exit__(self, *_exc: object) -> None:
        for fd, _folder in self._held.values():
            os.close(fd)  # lets go of the lock
        self._held.clear()

    def hold(self, folder: Path) -> None:
        """Hold a shared lock on ``folder``, waiting while a write tidies it (a moment); once per folder, under
        whatever name (two locks of one process on one folder would keep :meth:`tidy` from having it)."""
        if sys.platform == "win32":  # pragma: no cover - no flock: nothing is tidied there
            return
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            return
        key = _identity(os.fstat(fd))
        if key in self._held:
            os.close(fd)
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:  # no locks on this file system
            os.close(fd)
            return
        except BaseException:  # an interrupt while it waited
            os.close(fd)
            raise
        self._held[key] = (fd, folder)

    def tidy(self, written: Iterable[Path]) -> None:
        """Remove the leftovers named after the files of ``written`` (just written, or removed) in each folder
        held, if no other write holds it. A leftover that cannot be removed stays."""
        names: dict[tuple[int, int], set[str]] = {}
        for path in written:
            with suppress(OSError):
                names.setdefault(_identity(path.parent.stat()), set()).add(path.name)
        for key, (fd, folder) in self._held.items():
            if key not in names:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # another write under way in the folder: its files may be needed yet
                continue
            for leftover in leftovers(folder, names[key]):
                with suppress(OSError):
                    leftover.unlink()


def _identity(status: os.stat_result) -> tuple[int, int]:
    return status.st_dev, status.st_ino


def leftovers(folder: Path, names: Iterable[str]) -> list[Path]:
    """The temporary and old files (``.NAME.XXXXXXXX.tmp``, ``.NAME.XXXXXXXX.old``) in ``folder`` named after one
    of ``names``, which a write of those files makes there (a symbolic link too: the old file of a target that
    was one); not a folder. Sorted."""
    pattern = re.compile("|".join(_LEFTOVER.format(name=re.escape(name)) for name in sorted(names)))
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if pattern.fullmatch(entry.name) and not stat.S_ISDIR(entry.stat(follow_symlinks=False).st_mode):
                    found.append(folder / entry.name)
    except OSError:  # the folder gone meanwhile
        return []
    return sorted(found)


def rename_into_place(renames: Sequence[tuple[Path, Path]], removed: Iterable[Path] = ()) -> None:
    """Rename each ``(temporary, target)`` of ``renames`` over its target and remove the ``removed`` files, all or
    nothing as far as the OS allows; the caller holds back signals meanwhile (:func:`~kgraph.atomic.uninterrupted`).

    Renaming a temporary file over its target is atomic, but a set of them is not: one that failed midway for a
    reason no check foresees (an immutable or otherwise protected target, EBUSY, a full inode table) left the
    targets renamed before it new and the rest old. So each target's old file is kept under a new name beside it
    (``.NAME.XXXXXXXX.old``) before the new one goes in: a hard link, which leaves the target in place for whoever
    reads it meanwhile, else the target renamed there. A target that is a symbolic link is kept as the link, and
    replaced by the new file as before. A single rename with no file to remove keeps nothing: it is atomic by
    itself. The ``removed`` files are renamed aside first. If a rename fails, every old
    file is put back, the new files that replaced none are removed, and :class:`RenameFailed` says which could not
    be; if one of ``removed`` cannot be renamed aside, :class:`_CannotRemove`. Any other exception (a
    KeyboardInterrupt, a bug) goes on its way after the same putting back, with a note
    (:meth:`BaseException.add_note`) for each file that could not be put back, saying where its old content is.
    Once all are in, their folders are synced (:func:`~kgraph.atomic.sync_parents`) and the old files are
    deleted; if any failed, the folders are synced once the old files are back.
    """
    aside = _set_aside(removed)
    # One rename with no file set aside is all or nothing by itself: its old file is not kept, which where no link
    # can be made renamed it aside, and left no file at the target until the new one came
    alone = len(renames) == 1 and not aside
    kept: dict[Path, Path] = {}  # {old file kept: its target}, of the targets replaced
    new: list[Path] = []  # the targets that had no file before
    target: Path | None = None
    try:
        for temporary, target in renames:
            old = None if alone else _keep(target, temporary)
            if old is not None:
                kept[old] = target  # put back below if the rename fails: a link is just removed
            temporary.replace(target)
            if old is None and not alone:
                new.append(target)
    except BaseException as error:
        unrestored = _put_back(kept) + _remove(new) + _put_back(aside)
        # the old files put back, made to last as the new ones are: the error says the outputs are as they were
        sync_parents([target for _temporary, target in renames] + list(aside.values()))
        if isinstance(error, OSError) and target is not None:
            raise RenameFailed(target, error, unrestored) from error
        _note(error, unrestored)
        raise
    sync_parents([target for _temporary, target in renames] + list(aside.values()))
    for old in (*aside, *kept):
        with suppress(OSError):  # renamed or linked within its folder a moment ago: nothing stops this
            old.unlink()


class RenameFailed(Exception):
    """Renaming a new file over ``target`` failed (``error``); every target is as it was before, but those of
    ``unrestored``: ``(old file kept, target, why)`` for an old file that could not be put back (its content is
    still in the kept file), ``(None, target, why)`` for a new file that could not be removed."""

    def __init__(self, target: Path, error: OSError, unrestored: list[tuple[Path | None, Path, OSError]]) -> None:
        super().__init__(str(error))
        self.target = target
        self.error = error
        self.unrestored = unrestored

    def message(self, target: Path | None = None) -> str:
        """One line: the file that could not be written (named ``target``, if given: as the user gave it) and why,
        then each file that could not be put back, where its old content is and what to do (an advice, such as
        ``pass another --out DIR``, may follow)."""
        named = self.target if target is None else target
        return "; ".join([f"cannot write {named}: {_why(self.error)}", *_advice(self.unrestored)])


def _note(error: BaseException, unrestored: Iterable[tuple[Path | None, Path, OSError]]) -> None:
    """Add to ``error`` (an interrupt, a bug: not an OSError, which :class:`RenameFailed` reports) a note for each
    file of ``unrestored``: the list was lost with it, and the old content with the names of its kept files."""
    for advice in _advice(unrestored):
        error.add_note(advice)


def _advice(unrestored: Iterable[tuple[Path | None, Path, OSError]]) -> list[str]:
    """What to do about each file :func:`_put_back` or :func:`_remove` could not restore."""
    return [
        f"{target} is new and could not be removed ({_why(error)}): remove it by hand"
        if old is None
        else f"{target} could not be put back ({_why(error)}): its earlier content is in {old}, rename it back by hand"
        for old, target, error in unrestored
    ]


def _why(error: OSError) -> str:
    return str(error.strerror or error)


class _CannotRemove(Exception):
    """A file :func:`write_files` was to remove that could not be renamed aside (``error``); ``unrestored``, those
    renamed aside before it that could not be put back (see :class:`RenameFailed`)."""

    def __init__(
        self, path: Path, error: OSError, unrestored: list[tuple[Path | None, Path, OSError]] | None = None
    ) -> None:
        super().__init__(str(error))
        self.path = path
        self.error = error
        self.unrestored = unrestored or []


def _keep(target: Path, temporary: Path) -> Path | None:
    """Keep ``target``'s file, if it has one (a symbolic link: the link), under a new name beside it until the new
    file (``temporary``) is in; return that name. A hard link named after ``temporary`` (``.NAME.XXXXXXXX.old``, its
    random part), else, where no link can be made (a file system without them, a file another user owns), the
    file renamed aside. Raises OSError if neither can be done (an immutable file). The name is ``target``'s folder
    as given (a relative one stays relative: an error names it as it names the target), not ``temporary``'s."""
    if not os.path.lexists(target):
        return None
    kept = target.with_name(temporary.with_suffix(".old").name)
    try:
        os.link(target, kept, follow_symlinks=False)
    except (OSError, NotImplementedError):
        return _rename_aside(target)
    return kept


def _set_aside(paths: Iterable[Path]) -> dict[Path, Path]:
    """Rename each of ``paths`` that exists to a new temporary name beside it; return ``{aside: path}``. Raises
    :class:`_CannotRemove` for one that cannot be, after putting back those that were."""
    moved: dict[Path, Path] = {}
    for path in paths:
        if not path.is_file():
            continue
        try:
            aside = _rename_aside(path)
        except OSError as error:
            raise _CannotRemove(path, error, _put_back(moved)) from error
        except BaseException as error:
            _note(error, _put_back(moved))
            raise
        moved[aside] = path
    return moved


def _rename_aside(path: Path) -> Path:
    """Rename ``path`` to a new temporary name beside it (``.NAME.XXXXXXXX.old``) and return that name, in
    ``path``'s folder as given (mkstemp's is absolute: an error named ``out/a.txt``'s old content by its full path)."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".old")
    os.close(handle)
    aside = path.with_name(Path(name).name)
    try:
        path.replace(aside)
    except BaseException:
        aside.unlink(missing_ok=True)
        raise
    return aside


def _put_back(moved: Mapping[Path, Path]) -> list[tuple[Path | None, Path, OSError]]:
    """Put each old file of ``moved`` (``{kept: path}``) back at its path: renamed over it, or, where it is a link
    to the file still there, removed. Every one, even when one cannot be; returns those that could not, with
    why (their content is still in the kept file), in ``moved``'s order. Last kept first: a path replaced twice
    (two names of one file on a case-insensitive file system) gets the old file it had before the first."""
    unrestored: list[tuple[Path | None, Path, OSError]] = []
    for kept, path in reversed(list(moved.items())):
        try:
            if _same_file(kept, path):
                kept.unlink()
            else:
                kept.replace(path)
        except OSError as error:
            unrestored.append((kept, path, error))
    return unrestored[::-1]


def _same_file(one: Path, other: Path | None) -> bool:
    """Whether ``one`` and ``other`` are links to the same file (symbolic links not followed); False for None."""
    if other is None:
        return False
    try:
        return os.path.samestat(one.lstat(), other.lstat())
    except OSError:
        return False


def _remove(paths: Iterable[Path]) -> list[tuple[Path | None, Path, OSError]]:
    """Remove each of ``paths`` (new files that replaced none), every one; return those that could not be."""
    unrestored: list[tuple[Path | None, Path, OSError]] = []
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            unrestored.append((None, path, error))
    return unrestored


def stale_files(folder: Path, kept: Iterable[str], patterns: Sequence[str]) -> list[Path]:
    """The files under ``folder`` whose names (relative, ``neo4j/nodes_X.csv``) match one of ``patterns`` but are
    not ``kept``: what an earlier export wrote and this one did not (a class or relationship type gone from the
    graph). Left there, it would be loaded with the rest (Neptune's loader takes every file under its S3 prefix;
    ``git add exports`` keeps it). A name that differs from a kept one only in case and is the same file is the
    kept file, not stale: a case-insensitive file system (macOS, Windows) may list the file just written under
    the name an earlier export gave it (``nodes_gadget.csv`` for ``nodes_Gadget.csv``), and removing that name
    removed the file. Only a file kgraph wrote is one (:func:`written_by_kgraph`): ``--out`` may name a folder
    that holds files of others under such names (a site's ``index.html``, the CSV files of other data in Neo4j's
    import folder), which were removed as an earlier export's. Sorted."""
    keep = {folder / name for name in kept}
    by_case = {str(path).casefold(): path for path in keep}
    found = {path for pattern in patterns for path in folder.glob(pattern) if path.is_file()} - keep
    return sorted(
        path for path in found if not _same_file(path, by_case.get(str(path).casefold())) and written_by_kgraph(path)
    )


#: How a CSV file of a name an export may remove begins: a node file's header (``iri:ID(Resource)``, Neptune's
#: ``iri:ID``) or a Neo4j relationship file's (``:START_ID(Resource)``); the same since the first export.
_CSV_HEADER = re.compile(rb"(?:iri:ID[(,]|:START_ID\(Resource\),)")
#: What the head of a page kgraph writes holds: the viewer's generator, or the index's title (``kgraph: ...``).
_PAGE_MARK = re.compile(rb'<meta name="generator" content="kgraph |<title>kgraph')
#: How much of a page's beginning is read for it (both are in its first kilobyte).
_PAGE_HEAD = 8192


def written_by_kgraph(path: Path) -> bool:
    """Whether the file ``path`` (``nodes_*.csv``, ``relationships_*.csv``, a viewer page) begins as one kgraph
    writes under its name; False for one that cannot be read."""
    try:
        with path.open("rb") as file:
            head = file.read(_PAGE_HEAD)
    except OSError:
        return False
    if path.suffix.lower() == ".csv":
        return _CSV_HEADER.match(head) is not None
    return _PAGE_MARK.search(head) is not None


def remove_stale(folder: Path, kept: Iterable[str], patterns: Sequence[str]) -> list[Path]:
    """Remove the :func:`stale_files` under ``folder``, once the export is written. Returns the paths removed,
    sorted."""
    stale = stale_files(folder, kept, patterns)
    for path in stale:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise InputError(
                f"the export is written, but {path} (an earlier export's file, not in this one) cannot be removed: "
                f"{error.strerror or error}; remove it by hand"
            ) from error
    return stale
