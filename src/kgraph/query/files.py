"""Writing an answer to ``--output FILE``: atomically, and never into the folders kgraph reads."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from kgraph.atomic import is_special, output_folder, refuse_inputs, write_directly, write_temporary
from kgraph.errors import InputError, store_failure


def write_atomic(
    path: Path,
    content: bytes | Callable[[BinaryIO], None],
    protected: Iterable[Path | None] = (),
    option: str = "--output",
) -> int:
    """Write ``content`` (bytes, or a function that writes them to the stream it is given) to ``path`` through a
    temporary file in the same folder (made if missing), renamed into place when complete,
    so a failure leaves any previous file as it was (what a killed write of it left beside it goes once it is in,
    as :func:`kgraph.export.files.write_files` does). ``protected`` folders (the data and ontology folders) are
    refused: a file written there would be read as data by the next command. A device or a named pipe
    (``/dev/null``) is written to as it is, not replaced by a file. Returns the bytes written (which the size of a
    device or a pipe does not tell)."""
    from kgraph.export.files import Claim, sync_folders  # noqa: PLC0415 - a query without --output needs no export

    refuse_inputs(path, option, protected)
    # A pipe by a link to it (a shell's >(...) gives /dev/fd/63) is written as it is: its link leads to no path.
    target = path if is_special(path) else path.resolve()
    if target.is_dir():
        raise InputError(f"{option} {path} is a folder; give a file name")
    try:
        # a folder made for it goes again if this fails; the folder's lock (Claim) keeps another write of the file
        # from taking this one's temporary file for a killed write's, and lets this one remove those
        with output_folder(target.parent, f"{option} FILE"), Claim() as claim:
            temporary: Path | None = None
            try:
                if is_special(target):
                    return write_directly(target, content)
                claim.hold(target.parent)  # before the temporary file: see Claim
                temporary = write_temporary(target, content)
                size = temporary.stat().st_size
                temporary.replace(target)
                sync_folders([target])  # the rename lasts a power cut, as a write_files' does
                claim.tidy([target])
                return size
            finally:
                if temporary is not None:
                    temporary.unlink(missing_ok=True)
    except OSError as error:
        if store_failure(error) is error:  # reading the store failed, not writing the file: the command says so
            raise
        raise InputError(f"cannot write {path}: {error.strerror or error}; pass another {option} FILE") from error
