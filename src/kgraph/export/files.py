"""Atomic writing of a set of files into a folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from kgraph.atomic import is_special, write_directly, write_temporary
from kgraph.errors import InputError


def write_files(out_dir: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write every ``name -> bytes`` of ``files`` under ``out_dir``, all or nothing as far as the OS allows.

    Each file is first written in full to a temporary file next to its target; only when every temporary file
    is written are they renamed over the targets (``os.replace``, atomic per file). If writing fails, the
    temporary files are removed and the previous outputs stay as they were. A target that is a device or a
    named pipe (``/dev/null``) is written to as it is, after the others are written and before they are renamed.
    """
    targets = {name: out_dir / name for name in sorted(files)}
    for target in targets.values():
        make_folder(target.parent)
    written: list[tuple[Path, Path]] = []
    try:
        special = [name for name, target in targets.items() if is_special(target)]  # /dev/null: written as it is
        for name, target in targets.items():
            if name not in special:
                written.append((write_temporary(target, files[name]), target))
        for name in special:
            write_directly(targets[name], files[name])
        for temporary, target in written:
            temporary.replace(target)
    except OSError as error:
        raise InputError(f"cannot write into {out_dir}: {error.strerror or error}; pass --out DIR") from error
    finally:
        for temporary, _target in written:
            temporary.unlink(missing_ok=True)
    return list(targets.values())


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents); a clear InputError naming --out if it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as error:
        raise InputError(f"{folder} is not a folder; pass --out DIR") from error
    except OSError as error:
        raise InputError(f"cannot create {folder}: {error.strerror}; pass --out DIR") from error
