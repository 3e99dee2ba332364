"""A graph answer (CONSTRUCT, DESCRIBE) as N-Triples lines, sorted and each once, without holding it whole.

kgraph writes a graph as N-Triples with its lines sorted, so that the same graph gives the same bytes. Sorting needs
every line, but not in memory: :class:`SortedLines` keeps the lines of at most :data:`RUN_BYTES` at a time, each
once; past that it sorts them into a temporary file (a run) and starts again, and reading it merges the runs, each
line once. Memory stays about the size of one run whatever the answer's size; the temporary files take about the
answer's size on disk, and are removed when the answer is closed (or the process ends).

Turtle and JSON-LD answers are written from these lines too (:mod:`kgraph.query.graphtext`): sorted, a subject's
lines come together.
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

from kgraph.errors import InputError

#: Bytes of distinct lines held before they are sorted into a temporary file. A line costs about 40 bytes more
#: than its text in memory (its object and its place in a set).
RUN_BYTES = 32 << 20

#: Lines handed to the output at once.
_WRITE_BATCH = 1000


def nt_line(triple: tuple[Node, Node, Node]) -> bytes:
    """``triple`` as rdflib's N-Triples serializer writes it, in UTF-8, without its line end."""
    return _nt_row(triple)[:-1].encode("utf-8")


class SortedLines:
    """The lines of a graph answer, given a triple at a time (:meth:`add`), read back sorted and each once.

    Read once, after :meth:`finish`; ``len()`` is the lines read so far (the graph's size, once read).
    :meth:`close` removes the temporary files."""

    def __init__(self, advice: str | None = None) -> None:
        #: The error when a temporary file cannot be written (``{reason}`` filled in): a query's answer by default.
        self._advice = _ADVICE if advice is None else advice
        self._run: set[bytes] = set()
        self._size = 0
        self._last: list[bytes] = []
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._runs: list[Path] = []
        self._read = 0
        self._reading = False

    @classmethod
    def of(cls, triples: Iterable[tuple[Node, Node, Node]]) -> SortedLines:
        """The lines of ``triples``, finished (ready to be read)."""
        lines = cls()
        try:
            for triple in triples:
                lines.add(triple)
            lines.finish()
        except BaseException:
            lines.close()
            raise
        return lines

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        self.add_line(nt_line(triple))

    def add_line(self, line: bytes) -> None:
        """A line already written (without its line end, holding none), such as an N-Quads line."""
        if line not in self._run:
            self._run.add(line)
            self._size += len(line)
            if self._size >= RUN_BYTES:
                self._spill()

    def finish(self) -> None:
        """Sort the lines not yet in a run (they stay in memory: at most one run's worth)."""
        self._last = sorted(self._run)
        self._run = set()
        self._size = 0

    def _spill(self) -> None:
        lines = sorted(self._run)
        self._run = set()
        self._size = 0
        try:
            if self._folder is None:
                self._folder = tempfile.TemporaryDirectory(prefix="kgraph-answer-")
            path = Path(self._folder.name) / f"run-{len(self._runs)}.nt"
            with path.open("wb") as out:
                for start in range(0, len(lines), _WRITE_BATCH):
                    out.write(b"".join(line + b"\n" for line in lines[start : start + _WRITE_BATCH]))
        except OSError as error:  # no temporary folder, a full disk
            self.close()
            raise InputError(self._advice.format(reason=error.strerror or error)) from error
        self._runs.append(path)

    def __iter__(self) -> Iterator[bytes]:
        """Each line with its line end, in order, once."""
        if self._reading:
            raise RuntimeError("a graph answer's lines can be read only once")
        self._reading = True
        previous = None
        for line in heapq.merge(self._last, *(_lines_of(path, self._advice) for path in self._runs)):
            if line != previous:
                self._read += 1
                yield line + b"\n"
                previous = line

    def write(self, out: BinaryIO) -> None:
        """Write the lines to ``out``, a thousand at a time."""
        batch: list[bytes] = []
        for line in self:
            batch.append(line)
            if len(batch) == _WRITE_BATCH:
                out.write(b"".join(batch))
                batch = []
        out.write(b"".join(batch))

    def __len__(self) -> int:
        return self._read

    @property
    def runs(self) -> int:
        """How many runs went to temporary files."""
        return len(self._runs)

    def close(self) -> None:
        """Remove the temporary files (they are removed at exit anyway)."""
        folder, self._folder = self._folder, None
        if folder is not None:
            folder.cleanup()


def _lines_of(path: Path, advice: str) -> Iterator[bytes]:
    try:
        with path.open("rb", buffering=1 << 20) as lines:
            for line in lines:
                yield line[:-1]
    except OSError as error:
        raise InputError(advice.format(reason=error.strerror or error)) from error


_ADVICE = (
    "cannot write the answer's temporary file ({reason}); an N-Triples answer larger than "
    f"{RUN_BYTES >> 20} MB is sorted in temporary files about its size: free some space, or set TMPDIR to a "
    "folder with room"
)


__all__ = ["RUN_BYTES", "SortedLines", "nt_line"]
