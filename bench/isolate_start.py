"""How long ``kgraph serve --isolate`` takes to make a worker ready, and the memory each worker takes, against a
baseline checkout of kgraph, in the same run.

    python bench/isolate_start.py --baseline OTHER_CHECKOUT [--runs 15] [--workers 4]

For each of in memory and on a store (``kgraph load`` of the bundled data into a temporary folder), and for each of
the baseline (``OTHER_CHECKOUT/src`` first on ``PYTHONPATH``) and this checkout, one process loads the graph as
``kgraph serve`` does and makes the pool of workers (:class:`kgraph.serve.isolate.Pool`). Once the pool has settled
(3 s, as in a server that has run a moment), it times ``--runs`` times a worker made ready from the moment one is
needed (the pool's own starting of a worker: started and loaded, or forked), ending each. Then it makes
``--workers`` workers, has them answer queries that read the whole graph at once, and reads their
/proc/PID/smaps_rollup: RSS, PSS (shared pages divided among the processes that share them) and USS (the pages that
are the worker's alone); medians of the workers. The cases run in turn, baseline first, so a busy machine slows them
alike. Prints a Markdown table with medians and ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def smaps(pid: int) -> dict[str, int]:
    figures = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        figures[name] = int(value.split()[0])
    return figures


#: Queries that read every triple of the graph, and render rows.
QUERIES = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 2000",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    'SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(CONTAINS(?label, "a")) }',
]


def ask(pool: Any) -> None:  # noqa: ANN401 - either checkout's Pool
    for _ in range(3):
        for text in QUERIES:
            pool.ask("sparql", (text,), {"accept": "text/csv"}, None)


def measure(store: str | None, runs: int, workers: int) -> dict[str, float]:
    """In this process: the times (s) and memory (MB) of this checkout's workers."""
    from kgraph.query import loading  # noqa: PLC0415
    from kgraph.serve.isolate import Pool, Source  # noqa: PLC0415

    if store is not None:
        from kgraph.persist import open_store  # noqa: PLC0415

        loaded = open_store(Path(store))
    else:
        loaded = loading.load()
    pool = Pool(Source.of(loaded), workers + 1, 2000)
    time.sleep(3)  # as in a server that has run for a moment: what the pool does as it starts is done
    try:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            worker = pool._starter.submit(pool._start, 0).result()
            times.append(time.perf_counter() - started)
            pool._forget(worker)
        held = [pool._starter.submit(pool._start, 0).result() for _ in range(workers)]
        for worker in held:
            pool._give_back(worker)
        # Each worker answers queries that read the whole graph (a worker writes to what it reads: reference
        # counts), so that its memory is measured as it is in use, not as it is when just made.
        asking = [threading.Thread(target=ask, args=(pool,)) for _ in range(workers)]
        for thread in asking:
            thread.start()
        for thread in asking:
            thread.join()
        figures = [smaps(pid) for pid in pool.pids()]
    finally:
        pool.close()

    def mb(name: str) -> float:
        return statistics.median(f.get(name, 0) for f in figures) / 1024

    uss = statistics.median(f["Private_Clean"] + f["Private_Dirty"] + f.get("Private_Hugetlb", 0) for f in figures)
    return {"start": statistics.median(times), "rss": mb("Rss"), "pss": mb("Pss"), "uss": uss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout of kgraph, the code to compare with")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        say(json.dumps(measure(options.store, options.runs, options.workers)))
        return
    if options.baseline is None:
        parser.error("--baseline is needed")
    with tempfile.TemporaryDirectory() as folder:
        store = str(Path(folder) / "store")
        subprocess.run([sys.executable, "-m", "kgraph", "load", "--store", store], check=True, capture_output=True)  # noqa: S603
        rows = []
        for where, extra in (("in memory", []), ("on a store", ["--store", store])):
            found = {}
            for name, source in (("baseline", options.baseline.resolve()), ("this", REPOSITORY)):
                env = {**os.environ, "PYTHONPATH": str(source / "src")}
                command = [sys.executable, __file__, "--measure", "--runs", str(options.runs)]
                command += ["--workers", str(options.workers), *extra]
                done = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=source)  # noqa: S603
                found[name] = json.loads(done.stdout.splitlines()[-1])
            rows.append((where, found))
    say("| case | code | worker ready (ms) | RSS (MB) | PSS (MB) | USS (MB) |")
    say("| --- | --- | ---: | ---: | ---: | ---: |")
    for where, found in rows:
        for name in ("baseline", "this"):
            f = found[name]
            say(f"| {where} | {name} | {f['start'] * 1000:,.0f} | {f['rss']:.1f} | {f['pss']:.1f} | {f['uss']:.1f} |")
        b, t = found["baseline"], found["this"]
        say(
            f"| {where} | this / baseline | {t['start'] / b['start']:.3f} | {t['rss'] / b['rss']:.2f} | "
            f"{t['pss'] / b['pss']:.2f} | {t['uss'] / b['uss']:.2f} |"
        )


if __name__ == "__main__":
    main()
