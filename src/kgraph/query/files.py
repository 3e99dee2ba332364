"""Writing an answer to ``--output FILE``: atomically, and never into the folders kgraph reads."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from kgraph.atomic import write_temporary
from kgraph.errors import InputError


def write_atomic(path: Path, content: bytes | Callable[[BinaryIO], None], protected: Iterable[Path] = ()) -> None:
    """Write ``content`` (bytes, or a function that writes them to the stream it is given) to ``path`` through a
    temporary file in the same folder, renamed into place when complete,
    so a failure leaves any previous file as it was. ``protected`` folders (the data and ontology folders) are
    refused: a file written there would be read as data by the next command."""
    target = path.resolve()
    for folder in protected:
        if target.is_relative_to(folder.resolve()):
            raise InputError(
                f"--output {path} is inside {folder}, which kgraph reads its graph from; write somewhere else "
                "(kgraph never changes its input files)"
            )
    if target.is_dir():
        raise InputError(f"--output {path} is a folder; give a file name")
    if not target.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist")
    temporary: Path | None = None
    try:
        temporary = write_temporary(target, content)
        temporary.replace(target)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from error
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
