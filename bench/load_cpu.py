"""CPU and wall time of ``kgraph load`` against the same load by another copy of kgraph's code, in the same run.

    git worktree add ../kgraph-before HEAD~1      # the code to compare with
    python bench/load_cpu.py --triples 100000 --baseline ../kgraph-before/src [--runs 5] [--in-memory]

``bench/generate.py`` writes a seeded graph of about ``--triples`` triples; then each run is a new process,
``python -m kgraph --data DATA load --store STORE --force``, with the baseline's ``src`` folder first on
``PYTHONPATH`` or with this checkout's, the two taking turns (so that a busy machine slows both alike). The CPU
time is the process's own (user + system, from ``os.wait4``): on two cores shared with other work it varies less
than the wall time, which is reported too (a change that moves work to the other core shows there alone).
Prints a Markdown table of the medians and their ratio to the baseline. ``--in-memory`` runs
``python -m kgraph --data DATA stats`` instead: the same files parsed and inferred by rdflib, in memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SRC = BENCH.parent / "src"


def run_once(src: Path, data: Path, store: Path | None) -> tuple[float, float]:
    """The CPU and wall seconds of one load, into ``store`` or in memory when it is None, the process waited for
    here (``os.wait4`` gives its own usage)."""
    env = {**os.environ, "PYTHONPATH": str(src.resolve()), "KGRAPH_NO_CACHE": "1"}
    command = ["stats"] if store is None else ["load", "--store", str(store), "--force"]
    argv = [sys.executable, "-m", "kgraph", "--data", str(data), *command]
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=err)  # noqa: S603
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(argv)} failed:\n{err.read().decode()[-2000:]}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--baseline", type=Path, required=True, help="the src folder of the code to compare with")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--in-memory", action="store_true", help="time `kgraph stats` in memory, not a load to a store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kgraph-load-cpu-") as folder:
        work = Path(folder)
        data = work / "data"
        data.mkdir()
        generate = [sys.executable, str(BENCH / "generate.py"), "--triples", str(args.triples)]
        subprocess.run([*generate, str(data / "gen.trig")], check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        cases = {"baseline": args.baseline, "this checkout": SRC}
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for run in range(args.runs):
            for name, src in cases.items() if run % 2 == 0 else reversed(cases.items()):
                times[name].append(run_once(src, data, None if args.in_memory else work / "store"))
    what = "kgraph stats (in memory)" if args.in_memory else "kgraph load --store"
    print(f"{what} of about {args.triples:,} triples, {args.runs} runs each")  # noqa: T201
    for column, kind in enumerate(("CPU seconds (user + system)", "wall seconds")):
        base = statistics.median(found[column] for found in times["baseline"])
        print(f"\n| code | {kind}: median | runs | ratio |")  # noqa: T201
        print("| --- | ---: | --- | ---: |")  # noqa: T201
        for name, found in times.items():
            median = statistics.median(one[column] for one in found)
            runs = ", ".join(f"{one[column]:.2f}" for one in found)
            print(f"| {name} | {median:.2f} | {runs} | {median / base:.3f} |")  # noqa: T201


if __name__ == "__main__":
    main()
