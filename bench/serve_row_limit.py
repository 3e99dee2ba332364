"""How long ``kgraph serve`` takes to refuse an answer past ``--max-rows``, and to send one under it, on a store;
two versions of kgraph side by side, in the same run.

    python bench/generate.py --triples 100000 DATA/g.trig && kgraph --data DATA load --store STORE
    git worktree add BEFORE <commit>
    python bench/serve_row_limit.py STORE --before BEFORE/src [--rounds 3] [--runs 5]

Each version answers in a process of its own, through :class:`kgraph.serve.Service` (the server without HTTP):
parse, check, run and render, as a request to ``/sparql`` asking for SPARQL JSON (Turtle for a graph) with the
default limits (10 s, 10,000 rows). A process first answers each query once (the parse is then kept, as a server
keeps it, and Oxigraph's caches are warm), then ``--runs`` times; the processes of the two versions alternate for
``--rounds`` rounds, so that a busy machine slows both alike. Prints a Markdown table of the median seconds, wall
and CPU (the process's, every thread: the steadier figure on a busy machine), and the ratios after/before
(below 1: faster).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent

#: (label, query): four answers past the limit, then four under it.
QUERIES = [
    ("past: SELECT of every triple", "SELECT * WHERE { ?s ?p ?o }"),
    ("past: SELECT of every label", "SELECT ?s ?label WHERE { ?s rdfs:label ?label }"),
    ("past: CONSTRUCT of every label", "CONSTRUCT WHERE { ?s rdfs:label ?label }"),
    ("past: DESCRIBE of every chip", "DESCRIBE ?s WHERE { ?s a kg:Chip }"),
    ("under: SELECT of 10,000 labels", "SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 10000"),
    ("under: CONSTRUCT of 5,000 labels", "CONSTRUCT WHERE { ?s rdfs:label ?label } LIMIT 5000"),
    ("under: DESCRIBE of one chip", "DESCRIBE ?s WHERE { ?s a kg:Chip } LIMIT 1"),
    ("under: a count of each class", "SELECT ?c (COUNT(?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c"),
]

#: Run in the process of one version: prints {label: [seconds, ...]} as JSON.
WORKER = """
import json, sys, time
from kgraph.persist import open_store
from kgraph.serve import Service, Settings
from kgraph.serve.protocol import Problem

store, runs, queries = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
service = Service(open_store(store), Settings())

def answer(text):
    try:
        return len(service.sparql(text).body)
    except Problem as problem:
        return problem.status

times, cpu, outcomes = {}, {}, {}
for label, text in queries:
    outcomes[label] = answer(text)
for label, text in queries:
    times[label], cpu[label] = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        answer(text)
        times[label].append(time.perf_counter() - started)
        cpu[label].append(time.process_time() - used)
print(json.dumps({"times": times, "cpu": cpu, "outcomes": outcomes}))
"""


def measure(src: Path, store: Path, runs: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(  # noqa: S603 - kgraph itself
        [sys.executable, "-c", WORKER, str(store), str(runs), json.dumps(QUERIES)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="the src folder of the version to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    versions = {"before": args.before.resolve(), "after": REPOSITORY / "src"}
    times = {kind: {name: {label: [] for label, _ in QUERIES} for name in versions} for kind in ("times", "cpu")}
    outcomes: dict[str, dict[str, object]] = {}
    for _ in range(args.rounds):
        for name, src in versions.items():
            result = measure(src, args.store, args.runs)
            for kind, measured in times.items():
                for label, seconds in result[kind].items():  # type: ignore[attr-defined]
                    measured[name][label] += seconds
            outcomes[name] = result["outcomes"]  # type: ignore[assignment]
    sys.stdout.write(
        "| query | answer | wall before (s) | wall after (s) | after/before | CPU before (s) | CPU after (s) "
        "| after/before |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    for label, _text in QUERIES:
        shown = outcomes["after"][label]
        answer = str(shown) if shown in (422, 503) else f"{shown:,} bytes"
        if outcomes["before"][label] != shown:
            answer += f" (before: {outcomes['before'][label]})"
        cells = []
        for kind in ("times", "cpu"):
            before = statistics.median(times[kind]["before"][label])
            after = statistics.median(times[kind]["after"][label])
            cells.append(f"{before:.3f} | {after:.3f} | {after / before:.2f}")
        sys.stdout.write(f"| {label} | {answer} | {' | '.join(cells)} |\n")


if __name__ == "__main__":
    main()
