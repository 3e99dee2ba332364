"""What a name costs to find, and what the name index costs to write: ``python bench/find_names.py STORE [--data DIR]``.

STORE is a store folder (``kgraph load --store``, for example of ``bench/generate.py --triples 100000``'s file
beside the bundled data). Prints the CPU seconds of :func:`kgraph.name_index.write` over the store's database (into
a temporary file) with a hash of the rows it wrote, then the CPU milliseconds of :func:`kgraph.names.find` (no
suggestions) for names found as written, with their words run together, and found by none; with ``--data``, the
same names on that folder loaded in memory. Run it with the code before and after first on ``PYTHONPATH``, in
turns, to compare.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kgraph import name_index, names, persist
from kgraph.errors import KGraphError
from kgraph.resources import default_ontology_dir
from kgraph.store import LoadedGraph, load

NAMES = ("Chip 1", "chip1", "Trainium 3", "agent core", "nothing at all here")


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def finds(loaded: LoadedGraph, where: str, runs: int) -> None:
    for name in NAMES:
        start = time.process_time()
        for _ in range(runs):
            try:
                found = str(names.find(loaded, name, suggesting=False))
            except KGraphError as error:
                found = type(error).__name__
        print(f"{where} find {name!r}: {(time.process_time() - start) / runs * 1000:.2f} ms CPU -> {found}")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--data", type=Path, help="also find the names in this data folder, loaded in memory")
    args = parser.parse_args()
    native = ox.Store.read_only(str(args.store / "oxigraph"))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / name_index.FILE
        before = cpu()
        name_index.write(native, out)
        spent = cpu() - before
        connection = sqlite3.connect(out)
        rows = sorted(connection.execute("SELECT kind, key, iri FROM names"))
        connection.close()
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
    print(f"name index written: {spent:.3f} s CPU, {len(rows)} rows, sha256 {digest}")  # noqa: T201
    del native
    finds(persist.open_store(args.store), "store", 50)
    if args.data is not None:
        finds(load(args.data, default_ontology_dir()), "memory", 3)


if __name__ == "__main__":
    main()
