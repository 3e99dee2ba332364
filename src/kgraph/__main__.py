"""``python -m kgraph``: the same as the ``kgraph`` command."""

from __future__ import annotations

from kgraph.cli import main

if __name__ == "__main__":
    main()
