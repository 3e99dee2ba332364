"""The temporary file behind every atomic write: written in full beside its target, then renamed by the caller.

It lives apart from :mod:`kgraph.export` so that commands which only write one answer (``kgraph query
--output``) do not import every export format at start-up.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_temporary(target: Path, content: bytes | Callable[[BinaryIO], None]) -> Path:
    """Write ``content`` (bytes, or a function that writes them to the stream it is given) to a new temporary file
    beside ``target`` (synced, mode 0644) and return its path; the caller renames it into place. On failure the
    temporary file is removed."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            if callable(content):
                content(stream)
            else:
                stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o644)  # mkstemp makes 0600 files; outputs are meant to be read by others
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary
