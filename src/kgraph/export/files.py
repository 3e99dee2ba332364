"""Atomic writing of a set of files into a folder."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import BinaryIO

from kgraph.atomic import instead, is_special, output_folder, uninterrupted, write_directly, write_temporary
from kgraph.errors import InputError


def write_files(
    out_dir: Path,
    files: Mapping[str, bytes | Callable[[BinaryIO], None]],
    option: str = "--out DIR",
    *,
    remove: Iterable[str] = (),
) -> list[Path]:
    """Write every ``name -> bytes`` of ``files`` under ``out_dir``, all or nothing as far as the OS allows; the
    bytes, or a function that writes them to the stream it is given (a large file, never whole in memory).

    Each file is first written in full to a temporary file next to its target; only when every temporary file
    is written are they renamed over the targets (``os.replace``, atomic per file). If writing fails, the
    temporary files are removed and the previous outputs stay as they were. A target that is a device or a
    named pipe (``/dev/null``) is written to as it is, after the others are written and before they are renamed.
    A target that is a folder fails the write before anything is written (its rename would fail after others').
    Errors name ``option``, the one that chose where to write.

    ``remove`` names files under ``out_dir`` (an earlier output's, which this one does not replace) to remove with
    the write: each is renamed aside just before the new files are renamed into place, put back if that fails,
    and deleted after, so that they go only with the new files in.
    """
    targets = {name: out_dir / name for name in sorted(files)}
    removed = [out_dir / name for name in sorted(set(remove) - set(files))]
    with ExitStack() as folders:  # the folders made for them go again if this fails, or is interrupted
        for target in targets.values():
            folders.enter_context(output_folder(target.parent, option))
        written: list[tuple[Path, Path]] = []
        # The file being written when it failed, which the error names: "cannot write into exports" sent the reader
        # to a folder they could write in, when the read-only one was exports/neo4j.
        failing = next(iter(targets.values()))
        try:
            special = [name for name, target in targets.items() if is_special(target)]  # /dev/null: as it is
            for name, target in targets.items():
                if name not in special:
                    failing = target
                    if target.is_dir() and not target.is_symlink():  # its rename would fail, after others'
                        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
                    written.append((write_temporary(target, files[name]), target))
            for name in special:
                failing = targets[name]
                write_directly(targets[name], files[name])
            with uninterrupted():  # all renamed or none, whatever signal comes, and the old files gone with them
                aside = _set_aside(removed)
                try:
                    for temporary, target in written:
                        failing = target
                        temporary.replace(target)
                except BaseException:
                    _put_back(aside)
                    raise
                for old in aside:
                    with suppress(OSError):  # renamed within its folder a moment ago: nothing stops this
                        old.unlink()
        except _CannotRemove as cannot:
            what = f"{cannot.path} (an earlier output's file, not in this one)"
            raise InputError.advising(
                f"cannot remove {what}: {cannot.error.strerror or cannot.error}", **instead(option)
            ) from cannot.error
        except OSError as error:
            raise InputError.advising(
                f"cannot write {failing}: {error.strerror or error}", **instead(option)
            ) from error
        finally:
            for temporary, _target in written:
                temporary.unlink(missing_ok=True)
    return list(targets.values())


class _CannotRemove(Exception):
    """A file :func:`write_files` was to remove that could not be renamed aside."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(str(error))
        self.path = path
        self.error = error


def _set_aside(paths: Iterable[Path]) -> dict[Path, Path]:
    """Rename each of ``paths`` that exists to a new temporary name beside it; return ``{aside: path}``. Raises
    :class:`_CannotRemove` for one that cannot be, after putting back those that were."""
    moved: dict[Path, Path] = {}
    for path in paths:
        if not path.is_file():
            continue
        try:
            handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".old")
            os.close(handle)
            aside = Path(name)
            try:
                path.replace(aside)
            except BaseException:
                aside.unlink(missing_ok=True)
                raise
        except OSError as error:
            _put_back(moved)
            raise _CannotRemove(path, error) from error
        moved[aside] = path
    return moved


def _put_back(moved: Mapping[Path, Path]) -> None:
    for aside, path in moved.items():
        aside.replace(path)


def stale_files(folder: Path, kept: Iterable[str], patterns: Sequence[str]) -> list[Path]:
    """The files under ``folder`` whose names (relative, ``neo4j/nodes_X.csv``) match one of ``patterns`` but are
    not ``kept``: what an earlier export wrote and this one did not (a class or relationship type gone from the
    graph). Left there, it would be loaded with the rest (Neptune's loader takes every file under its S3 prefix;
    ``git add exports`` keeps it). Sorted."""
    keep = {folder / name for name in kept}
    return sorted({path for pattern in patterns for path in folder.glob(pattern) if path.is_file()} - keep)


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
