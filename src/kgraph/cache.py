"""A small on-disk cache for results that are slow to compute and fully determined by their inputs.

SHACL validation of the bundled graph takes most of a second, the rest of a command a few tenths; validation
results are therefore cached, keyed by a SHA-256 of everything they depend on (every input file's bytes, the
kgraph source code and version, the rdflib and pySHACL versions). A stale entry is never used: any change gives
a new key. Entries are written atomically (synced, then renamed into place), and a cache that cannot be read or
written, or holds a corrupt entry, is ignored: the result is computed again.

Where: ``$KGRAPH_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/kgraph``, else ``~/.cache/kgraph``. Set
``KGRAPH_NO_CACHE=1`` to turn the cache off. Deleting the folder is always safe. Of each kind the cache keeps
the :data:`KEEP` entries last read or written: keys multiply (each change of a file, each folder a command runs
from with a relative ``--data``), and an entry of the loaded graph is as large as the graph.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from kgraph import __version__
from kgraph.resources import PACKAGE_DIR

#: How many entries of each kind (the loaded graph, a validation's outcome, a legend's names) the cache keeps;
#: writing one more removes those least recently read or written.
KEEP = 8


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    if os.environ.get("KGRAPH_NO_CACHE"):
        return None
    if os.environ.get("KGRAPH_CACHE_DIR"):
        return Path(os.environ["KGRAPH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kgraph"


def key(kind: str, parts: Iterable[bytes]) -> str:
    """A cache key for ``kind`` over ``parts``, kgraph's code and version, and the libraries' versions."""
    digest = hashlib.sha256()
    for part in (kind.encode(), _environment(), *parts):
        digest.update(hashlib.sha256(part).digest())
    return f"{kind}-{digest.hexdigest()}"


def _environment() -> bytes:
    versions = [__version__, *(_version(name) for name in ("rdflib", "pyshacl"))]
    code = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        code.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        code.update(path.read_bytes())
    return "\n".join([*versions, code.hexdigest()]).encode()


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
        return "unknown"


def read(name: str) -> bytes | None:
    """The entry ``name``, or None when there is none or it cannot be read."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        content = (folder / name).read_bytes()
    except OSError:
        return None
    with contextlib.suppress(OSError):
        os.utime(folder / name)  # read now: the last to go (see write)
    return content


def write(name: str, content: bytes) -> None:
    """Store ``content`` as ``name`` atomically; failures are ignored (the cache is only a speed-up)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                # Its bytes on disk before its name: a power cut soon after the rename could else leave the entry
                # empty, or with blocks of zeros a decoder may take for text. The folder is not synced: an entry
                # lost that way is only worked out again.
                stream.flush()
                os.fsync(stream.fileno())
            Path(temporary).replace(folder / name)
        finally:
            Path(temporary).unlink(missing_ok=True)
    except OSError:
        return
    _prune(folder, name)


def _prune(folder: Path, name: str) -> None:
    """Remove the entries of ``name``'s kind but the :data:`KEEP` last read or written (``name`` among them)."""
    kind = name.rpartition("-")[0]
    entries = []
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if re.fullmatch(rf"{re.escape(kind)}-[0-9a-f]{{64}}", path.name):
                with contextlib.suppress(OSError):  # gone meanwhile: another command pruned it
                    entries.append((path.stat().st_mtime_ns, path.name == name, path))
    for _time, _written, path in sorted(entries, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            path.unlink()
