"""`kgraph --store DIR build --no-viewer`, step by step: what each step of a build costs on a large store.

    python bench/build_steps.py STORE OUT

Opens the store ``kgraph load`` built (``bench/generate.py --triples 1000000`` and ``kgraph load``), then runs
the steps ``kgraph build`` runs, in its order, timing each: the validation (whose verdict is printed but does not
stop the run: bench/generate.py's graph breaks a rule on purpose, see bench/validate_store.py), the count of the
entities the viewer would draw, each writer of :data:`kgraph.export.build.WRITERS` as ``--no-viewer`` chooses them
(the ontology's page in place of the viewer's), and the atomic write of every file into OUT. With ``--viewer``, the
count alone stands for the viewer, which refuses a graph over its limit.

For each step: wall seconds, CPU seconds (user + system, every thread) and the peak resident memory of the
process during the step (Linux: the peak is reset before each step through ``/proc/self/clear_refs``).
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def step(name: str, rows: list[tuple[str, float, float, float]]) -> Iterator[None]:
    Path("/proc/self/clear_refs").write_text("5", encoding="utf-8")  # resets VmHWM to the current RSS
    wall, cpu = time.perf_counter(), _cpu()
    yield
    rows.append((name, time.perf_counter() - wall, _cpu() - cpu, _peak_mb()))
    print(f"{name:<28} {rows[-1][1]:8.1f} s {rows[-1][2]:8.1f} CPU-s {rows[-1][3]:8.0f} MB", flush=True)  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    rows: list[tuple[str, float, float, float]] = []
    from kgraph import persist, viewer  # noqa: PLC0415 - timed with the rest
    from kgraph.export import build, files  # noqa: PLC0415
    from kgraph.validation import validate  # noqa: PLC0415

    with step("open the store", rows):
        loaded = persist.open_store(args.store)
    print(f"{len(loaded.graph):,} triples", flush=True)  # noqa: T201
    with step("validate", rows):
        report = validate(loaded)
    print(f"conforms: {report.conforms}", flush=True)  # noqa: T201
    with step("count the viewer's entities", rows):
        count = viewer.entity_count(loaded)
    print(f"{count:,} entities", flush=True)  # noqa: T201
    rendered: dict[str, Any] = {}
    chosen: tuple[tuple[str, Callable[[Any], Any]], ...] = build._chosen(loaded, build.WRITERS, False, None)
    for name, render in chosen:
        with step(f"render {name if render is not build.ontology_page else 'ontology.html'}", rows):
            rendered |= render(loaded)
    with step("write the files", rows):
        stale = files.stale_files(args.out, rendered, build.OWNED)
        files.write_files(args.out, rendered, remove=[str(p.relative_to(args.out)) for p in stale])
    total = sum(row[1] for row in rows)
    print(f"{'total':<28} {total:8.1f} s {sum(row[2] for row in rows):8.1f} CPU-s", flush=True)  # noqa: T201
    os._exit(0)  # the store's threads: no wait for them at exit


if __name__ == "__main__":
    main()
