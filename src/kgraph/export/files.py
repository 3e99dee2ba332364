"""Atomic writing of a set of files into a folder."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO

from kgraph.atomic import instead, is_special, output_folder, uninterrupted, write_directly, write_temporary
from kgraph.errors import InputError


def write_files(
    out_dir: Path, files: Mapping[str, bytes | Callable[[BinaryIO], None]], option: str = "--out DIR"
) -> list[Path]:
    """Write every ``name -> bytes`` of ``files`` under ``out_dir``, all or nothing as far as the OS allows; the
    bytes, or a function that writes them to the stream it is given (a large file, never whole in memory).

    Each file is first written in full to a temporary file next to its target; only when every temporary file
    is written are they renamed over the targets (``os.replace``, atomic per file). If writing fails, the
    temporary files are removed and the previous outputs stay as they were. A target that is a device or a
    named pipe (``/dev/null``) is written to as it is, after the others are written and before they are renamed.
    Errors name ``option``, the one that chose where to write.
    """
    targets = {name: out_dir / name for name in sorted(files)}
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
                    written.append((write_temporary(target, files[name]), target))
            for name in special:
                failing = targets[name]
                write_directly(targets[name], files[name])
            with uninterrupted():  # all renamed or none, whatever signal comes
                for temporary, target in written:
                    failing = target
                    temporary.replace(target)
        except OSError as error:
            raise InputError.advising(
                f"cannot write {failing}: {error.strerror or error}", **instead(option)
            ) from error
        finally:
            for temporary, _target in written:
                temporary.unlink(missing_ok=True)
    return list(targets.values())


def remove_stale(folder: Path, kept: Iterable[str], patterns: Sequence[str]) -> list[Path]:
    """Remove the files under ``folder`` whose names (relative, ``neo4j/nodes_X.csv``) match one of ``patterns``
    but are not ``kept``: what an earlier export wrote and this one did not (a class or relationship type gone
    from the graph). Left there, it would be loaded with the rest (Neptune's loader takes every file under its S3
    prefix; ``git add exports`` keeps it). Returns the paths removed, sorted."""
    keep = {Path(name) for name in kept}
    stale = sorted(
        {path for pattern in patterns for path in folder.glob(pattern) if path.is_file()}
        - {folder / name for name in keep}
    )
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
