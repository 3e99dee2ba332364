"""Where the bundled ontology and data live.

In a source checkout (or an editable install) they are the repository's own ``ontology/`` and ``data/``
folders, so edits show at once. In an installed wheel they are copies shipped as ``kgraph/_bundled/``.
"""

from __future__ import annotations

from pathlib import Path

from kgraph.errors import InputError
from kgraph.text import file_name

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


def rule_files(rules_dir: Path, display_dir: str) -> list[Path]:
    """The ``*.rq`` files in ``rules_dir``, in name order; none if there is no such folder. One that cannot be listed
    (no read permission) is an InputError naming it (``display_dir``, as for :func:`kgraph.inference.load_rules`):
    pathlib's glob took it for an empty folder, and the graph was inferred without its rules, without a word. So is
    an entry ``rules`` that is no folder (a symbolic link that leads nowhere, a file): it was taken for no rules."""
    if not rules_dir.is_dir():
        if rules_dir.exists() or rules_dir.is_symlink():
            raise InputError(_not_a_rules_folder(rules_dir, file_name(display_dir)))
        return []
    try:
        entries = list(rules_dir.iterdir())
    except OSError as error:
        raise InputError(
            f"cannot list the rules in {file_name(display_dir)}: {error.strerror or error}; check that the folder "
            "is readable"
        ) from error
    return sorted(path for path in entries if path.name.endswith(".rq"))


def _not_a_rules_folder(rules_dir: Path, shown: str) -> str:
    """Why ``rules_dir``, which exists or is a symbolic link, is no folder of rules, and what to do (worded as for a
    data file that is not a readable file, :mod:`kgraph.store`)."""
    if not rules_dir.is_symlink():
        return f"{shown} is a file, not a folder of rules (*.rq); replace it with a folder of rules or remove it"
    target = file_name(str(rules_dir.readlink()))
    try:
        rules_dir.stat()
    except FileNotFoundError:
        what = f"it links to {target}, which does not exist"
    except OSError as error:  # a loop of symbolic links
        what = str(error.strerror or error)
    else:
        what = f"it links to {target}, which is not a folder"
    return f"{shown} is not a readable folder: {what}; fix the link or remove it"
