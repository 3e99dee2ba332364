"""A store command's start: each command a new process, the code before and after a change taking turns.

    python bench/store_start.py STORE BEFORE_SRC [--runs N] [--query TEXT ...]

STORE is a store ``kgraph load`` built (``bench/generate.py --triples 100000`` beside the bundled data, say);
BEFORE_SRC the ``src`` folder of a checkout of the code before (a ``git worktree``), put first on ``PYTHONPATH``;
the code after is the one installed. Each command runs ``--runs`` times (default 9) for each code, in turns, with
its modules compiled to bytecode first, as an installed package has them. Prints the median CPU time (user +
system, ``os.wait4``) and peak resident memory of each, and after / before. Times no query's answer: the queries
answer in a few milliseconds on such a store, so what is measured is the command's start. With ``--query`` (once
for each), ``kgraph query TEXT`` for those texts instead, answers and all.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import sys
from pathlib import Path

import kgraph

QUERY = "SELECT ?t (COUNT(?x) AS ?n) WHERE { ?x a ?t } GROUP BY ?t"
CASES = {
    "query": ["query", QUERY],
    "query ... ORDER BY": ["query", QUERY + " ORDER BY ?t"],
    "show (a name not found)": ["show", "Company 1"],
}


def run(store: str, args: list[str], src: str | None) -> tuple[float, int]:
    """CPU seconds and peak RSS (KB) of ``kgraph --store STORE ARGS``, with ``src`` first on PYTHONPATH if given."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.execve(sys.executable, [sys.executable, "-m", "kgraph", "--store", store, *args], env)  # noqa: S606
    _pid, _status, usage = os.wait4(pid, 0)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("store")
    parser.add_argument("before_src")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--query", action="append", help="a query to time instead of the commands above")
    options = parser.parse_args()
    cases = {text: ["query", text] for text in options.query} if options.query else CASES
    after_src = str(Path(kgraph.__file__).parent.parent)
    for folder in (options.before_src, after_src):
        compileall.compile_dir(folder, quiet=1)
    found: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for _ in range(options.runs):
        for name, args in cases.items():
            for label, src in (("before", options.before_src), ("after", None)):
                found.setdefault((name, label), []).append(run(options.store, args, src))
    for name in cases:
        before = statistics.median(t for t, _ in found[(name, "before")])
        after = statistics.median(t for t, _ in found[(name, "after")])
        peaks = [statistics.median(m for _, m in found[(name, label)]) / 1024 for label in ("before", "after")]
        print(  # noqa: T201
            f"{name}: before {before * 1000:.0f} ms, after {after * 1000:.0f} ms, after / before {after / before:.2f};"
            f" peak {peaks[0]:.0f} / {peaks[1]:.0f} MB"
        )


if __name__ == "__main__":
    main()
