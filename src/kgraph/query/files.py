"""Writing one file to ``--output FILE`` (a query's answer, ``dump --out``, ``viz``, ``export graphml|gexf|json|
ontology``): atomically, and never into the folders kgraph reads."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from kgraph.atomic import is_special, refuse_inputs
from kgraph.errors import InputError


def write_atomic(
    path: Path,
    content: bytes | Callable[[BinaryIO], None],
    protected: Iterable[Path | None] = (),
    option: str = "--output",
) -> int:
    """Write ``content`` (bytes, or a function that writes them to the stream it is given) to ``path`` through a
    temporary file in the same folder (made if missing), renamed into place when complete,
    so a failure leaves any previous file as it was: :func:`kgraph.export.files.write_paths`, the protocol of every
    write all or nothing (the folder's lock, the folder synced, a killed write's leftovers tidied). ``protected``
    folders (the data and ontology folders) are refused: a file written there would be read as data by the next
    command. A symbolic link is followed: the file it leads to is replaced, not the link. A device or a named pipe
    (``/dev/null``) is written to as it is, not replaced by a file. Returns the bytes written (which the size of a
    device or a pipe does not tell). Errors name ``path`` as given and ``option FILE``."""
    from kgraph.export.files import write_paths  # noqa: PLC0415 - a query without --output needs no export

    refuse_inputs(path, option, protected)
    # A pipe by a link to it (a shell's >(...) gives /dev/fd/63) is written as it is: its link leads to no path.
    target = path if is_special(path) else path.resolve()
    if target.is_dir():
        raise InputError(f"{option} {path} is a folder; give a file name")
    return write_paths({target: content}, f"{option} FILE", named={target: path})[target]
