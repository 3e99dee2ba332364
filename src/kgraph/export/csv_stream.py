"""CSV rows as RFC 4180 describes them, written to files that appear all at once, or kept in memory.

Why not the :mod:`csv` module: Neo4j's importer reads an empty field (``a,,b``) as "no value" and a quoted empty
field (``a,"",b``) as the empty string, and Python's ``csv`` (before 3.12's ``QUOTE_NOTNULL``) writes both the
same way. :func:`csv_line` quotes exactly what RFC 4180 requires (a comma, a quote, a line break), doubles
quotes, and quotes the empty string; ``None`` is an empty field. The tests read every file back with
:mod:`csv` and with a real database's CSV reader.
"""

from __future__ import annotations

import errno
import io
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from kgraph.atomic import instead, output_folder, sync_file, uninterrupted
from kgraph.errors import InputError, store_failure
from kgraph.export.files import Claim, RenameFailed, rename_into_place

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


def csv_field(value: str | None) -> str:
    """One field: ``None`` -> empty; the empty string and text with ``,`` ``"`` or a line break -> quoted."""
    if value is None:
        return ""
    # Four scans in C: ``frozenset.isdisjoint`` looked each character up in a set (a tenth of the export's time).
    if value == "" or "," in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_line(values: Sequence[str | None]) -> str:
    """One record, ending with ``\\n``."""
    return ",".join(csv_field(v) for v in values) + "\n"


class Sink(Protocol):
    """Where the files of an export go: ``open(name)`` gives a text stream for the file ``name``."""

    def open(self, name: str) -> TextIO: ...


class _KeptText(io.StringIO):
    """A text buffer that keeps its content when it is closed."""

    kept = ""

    def close(self) -> None:
        if not self.closed:
            self.kept = self.getvalue()
        super().close()

    def text(self) -> str:
        return self.kept if self.closed else self.getvalue()


class MemorySink:
    """Keeps every file in memory (for ``kgraph build``, whose writers return bytes)."""

    def __init__(self) -> None:
        self._streams: dict[str, _KeptText] = {}

    def open(self, name: str) -> TextIO:
        stream = _KeptText(newline="")
        self._streams[name] = stream
        return stream

    def files(self, prefix: str = "") -> dict[str, bytes]:
        """``{prefix + name: UTF-8 bytes}`` of every file opened."""
        return {prefix + name: s.text().encode("utf-8") for name, s in sorted(self._streams.items())}


class FolderSink:
    """Streams each file to a temporary file in the target folder; :func:`atomic_folder` renames them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pending: list[tuple[Path, Path, TextIO]] = []
        #: The file whose writing failed, which the error names: "cannot write into exports/neo4j" left the reader
        #: to guess which of a dozen files a full disk or a quota stopped. None when no file of the sink failed.
        self.failing: Path | None = None

    def open(self, name: str) -> TextIO:
        target = self.folder / name
        self.failing = target
        if target.is_dir() and not target.is_symlink():
            # Its rename would fail only once every file is written, and rename_into_place then tried to move it
            # aside, whose error said "Not a directory" of a name that is one.
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{target.name}.", suffix=".tmp")
        self.failing = None
        raw = _File(handle, "w")
        raw.sink, raw.target = self, target
        stream = io.TextIOWrapper(io.BufferedWriter(raw, _BUFFER), encoding="utf-8", newline="")
        self.pending.append((Path(temporary), target, stream))
        return stream


#: Bytes a stream of a :class:`FolderSink` gathers before it writes them: :class:`_File`'s ``write`` runs once
#: each (with 8 KB, writing an export's CSV files took more CPU time than through ``os.fdopen``; with 64 KB, no
#: more).
_BUFFER = 64 * 1024


class _File(io.FileIO):
    """The file under one of a :class:`FolderSink`'s streams, which tells the sink when writing to it fails: its
    ``write`` runs once a buffer of text (:data:`_BUFFER`), not once a row."""

    sink: FolderSink
    target: Path

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return super().write(data)
        except OSError:
            self.sink.failing = self.target
            raise


@contextmanager
def atomic_folder(folder: Path) -> Iterator[FolderSink]:
    """A :class:`FolderSink` whose files replace their targets only if the block finishes without an error.

    On an error every temporary file is removed and the previous files stay as they were. Raises
    :class:`~kgraph.errors.InputError` when the folder cannot be made or written.
    """
    with output_folder(folder), Claim() as claim:  # the folder goes again if the export fails, or is interrupted
        sink = FolderSink(folder)
        try:
            claim.hold(folder)  # before the first temporary file: see Claim
            yield sink
            for temporary, target, stream in sink.pending:
                stream.close()  # writers may have closed it already
                sink.failing = target
                sync_file(temporary)
            for temporary, target, _stream in sink.pending:
                sink.failing = target
                temporary.chmod(0o644)  # mkstemp makes 0600 files; exports are meant to be read by others
            with uninterrupted():  # all renamed or none, whatever signal comes
                rename_into_place([(temporary, target) for temporary, target, _stream in sink.pending])
            claim.tidy([target for _temporary, target, _stream in sink.pending])
        except RenameFailed as failed:  # every file put back as it was, or named with where its old bytes are
            raise InputError.advising(failed.message(), **instead("--out DIR")) from failed.error
        except OSError as error:
            if store_failure(error) is error:  # reading the store failed, not writing here: the command says so
                raise
            where = f"into {folder}" if sink.failing is None else str(sink.failing)
            raise InputError.advising(
                f"cannot write {where}: {error.strerror or error}", **instead("--out DIR")
            ) from error
        finally:
            for temporary, _target, stream in sink.pending:
                stream.close()
                temporary.unlink(missing_ok=True)
