"""How long each step takes on the bundled graph: ``python bench/timings.py`` (uses no cache).

Numbers go to stdout, one ``step seconds`` line each, the best of a few runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

os.environ["KGRAPH_NO_CACHE"] = "1"

from kgraph.export.build import render_all
from kgraph.store import load
from kgraph.validation import validate


def best(step: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times)


def command(*args: str) -> float:
    argv = [sys.executable, "-m", "kgraph", *args]
    return best(lambda: subprocess.run(argv, check=True, capture_output=True))  # noqa: S603 - our own command


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as out:
        report(out)


def report(out: str) -> None:
    loaded = load()
    rows = [
        ("load + infer", best(load)),
        ("validate (pySHACL)", best(lambda: validate(loaded))),
        ("render 5 RDF files", best(lambda: render_all(loaded))),
        ("kgraph show Trainium3", command("show", "Trainium3")),
        ("kgraph validate", command("validate")),
        ("kgraph build", command("build", "--out", out)),
    ]
    print(f"triples: {len(loaded.graph)} ({len(loaded.inferred)} inferred)")  # noqa: T201
    for name, seconds in rows:
        print(f"{name:<24} {seconds:.2f}")  # noqa: T201


if __name__ == "__main__":
    main()
