"""Where the bundled ontology and data live.

In a source checkout (or an editable install) they are the repository's own ``ontology/`` and ``data/``
folders, so edits show at once. In an installed wheel they are copies shipped as ``kgraph/_bundled/``.
"""

from __future__ import annotations

from pathlib import Path

from kgraph.errors import InputError

PACKAGE_DIR = Path(__file__).resolve().parent
SHAPES_FILE_NAME = "shapes.ttl"
RULES_DIR_NAME = "rules"
#: The file that makes a folder a kgraph store (what was loaded into it).
STORE_MANIFEST = "kgraph-store.json"


def _source_checkout_root() -> Path | None:
    """The repository root when this package runs from ``<root>/src/kgraph``, else None."""
    root = PACKAGE_DIR.parent.parent
    if PACKAGE_DIR.parent.name == "src" and (root / "pyproject.toml").is_file() and (root / "ontology").is_dir():
        return root
    return None


def bundled_root() -> Path:
    """The folder that holds the bundled ``ontology/`` and ``data/`` folders."""
    root = _source_checkout_root() or PACKAGE_DIR / "_bundled"
    if not (root / "ontology").is_dir():
        raise InputError.advising(
            f"the bundled ontology is missing from {root}",
            python="reinstall kgraph, or pass ontology_dir=DIR and data_dir=DIR",
            cli="reinstall kgraph, or pass --ontology DIR and --data DIR",
        )
    return root


def default_ontology_dir() -> Path:
    """The bundled ``ontology/`` folder."""
    return bundled_root() / "ontology"


def default_data_dir() -> Path:
    """The bundled ``data/`` folder."""
    return bundled_root() / "data"
