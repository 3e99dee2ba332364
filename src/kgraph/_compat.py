"""Work-arounds for the libraries kgraph builds on."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """Silence the deprecation warnings rdflib 7.x raises from inside its own code.

    ``Dataset.parse`` and the TriG/N-Quads serializers read ``Dataset.default_context`` and call
    ``Dataset.contexts()``, and the TriG and N-Quads parsers make a ``ConjunctiveGraph``, all of which rdflib
    itself deprecated; callers cannot avoid them. Only these messages are silenced.
    """
    with warnings.catch_warnings():
        for message in RDFLIB_INTERNAL_DEPRECATIONS:
            warnings.filterwarnings("ignore", message=message, category=DeprecationWarning)
        yield


#: Deprecation messages rdflib 7 raises from its own code (regular expressions, matched at the start).
RDFLIB_INTERNAL_DEPRECATIONS = (
    r"Dataset\.default_context is deprecated",
    r"Dataset\.contexts is deprecated",
    r"ConjunctiveGraph is deprecated",
)
