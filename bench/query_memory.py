"""Peak memory of a ``kgraph --store S query`` command: this checkout against an earlier revision, and pyoxigraph
on its own store, in the same run.

    python bench/query_memory.py --triples 1000000 --baseline HEAD~2
    python bench/query_memory.py --triples 100000 --baseline HEAD~2 --runs 2 --formats tsv table json

``bench/generate.py`` writes a seeded graph of about N triples; ``kgraph --data DIR load --store S`` (with this
checkout) and pyoxigraph's bulk load build the two stores, as ``bench/scale.py`` does. Then, ``--runs`` times, for
each of ``bench/scale.py``'s queries: pyoxigraph on its own store (``scale.py``'s case, each query in a process of
its own), then ``kgraph --store S query Q --format F --output FILE`` in a process of its own with the code of
``--baseline`` (checked out from git into a temporary folder) and with this checkout, one after the other, for each
format (``tsv`` is what ``scale.py`` runs). Each process's peak memory is its ``ru_maxrss`` (from ``os.wait4``),
which the machine's other work does not change, unlike the times (printed too). The two codes' files are compared
byte for byte: a difference stops the run. Prints a Markdown table of the smallest peak of each case over the runs,
with the ratios new / old and kgraph / pyoxigraph, and the median CPU time (user and system) of each code.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from scale import PREFIXES, QUERIES  # noqa: E402 - the scale benchmark's queries, to compare with its figures


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Run ``command``; its wall time in seconds, its peak memory in MB and its CPU time (user and system) in
    seconds. A failure stops the benchmark."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    errors = process.stderr.read().decode() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        sys.exit(f"{' '.join(command)} failed:\n{errors}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def code_env(src: Path) -> dict[str, str]:
    """The environment that runs kgraph from the ``src`` folder given (no graph cache: a store reads none)."""
    return {**os.environ, "PYTHONPATH": str(src), "KGRAPH_NO_CACHE": "1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--baseline", required=True, help="the git revision to compare with (e.g. HEAD~2)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--formats", nargs="+", default=["tsv"], choices=["tsv", "table", "json", "csv", "xml"])
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    options = parser.parse_args()
    python = sys.executable
    figures: dict[str, Any] = {"triples": options.triples, "baseline": options.baseline, "runs": []}
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as scratch:
        work = Path(scratch)
        old = work / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), options.baseline], check=True)  # noqa: S603, S607
        try:
            codes = {"old": code_env(old / "src"), "new": code_env(ROOT / "src")}
            data = work / "data"
            data.mkdir()
            trig = data / "gen.trig"
            generate = [python, str(BENCH / "generate.py"), "--triples", str(options.triples), str(trig)]
            subprocess.run(generate, check=True)  # noqa: S603
            store, ox_store = work / "store", work / "ox"
            load = [python, "-m", "kgraph", "--data", str(data), "load", "--store", str(store)]
            seconds, *_ = run(load, codes["new"])
            print(f"kgraph load: {seconds:.1f} s", file=sys.stderr)  # noqa: T201
            seconds, *_ = run(
                [python, str(BENCH / "scale.py"), "--case", "ox-load", str(trig), str(ox_store)], codes["new"]
            )
            print(f"pyoxigraph load: {seconds:.1f} s", file=sys.stderr)  # noqa: T201
            for attempt in range(options.runs):
                for name, text in QUERIES.items():
                    row: dict[str, Any] = {"query": name, "run": attempt + 1}
                    command = [python, str(BENCH / "scale.py"), "--case", "ox-query", str(ox_store), name]
                    row["pyoxigraph"] = run(command, codes["new"])
                    for fmt in options.formats:
                        for code, env in codes.items():
                            out = work / f"{code}.{fmt}"
                            command = [python, "-m", "kgraph", "--store", str(store), "query", PREFIXES + text]
                            command += ["--format", fmt, "--output", str(out), "--timeout", "0"]
                            row[f"{code} {fmt}"] = run(command, env)
                        if (work / f"old.{fmt}").read_bytes() != (work / f"new.{fmt}").read_bytes():
                            sys.exit(f"{name} as {fmt}: the two codes wrote different answers")
                    figures["runs"].append(row)
                    print(json.dumps(row), file=sys.stderr)  # noqa: T201
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)  # noqa: S603, S607
            shutil.rmtree(old, ignore_errors=True)
    report(figures, options.formats)
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def report(figures: dict[str, Any], formats: list[str]) -> None:
    """Per query and format: the smallest peak (MB) over the runs of pyoxigraph, the old and the new code, with
    the ratios (ox: pyoxigraph), and the median CPU time of the old and the new code."""
    head = "| query | format | pyoxigraph | kgraph before | kgraph after | after / before | before / ox | after / ox |"
    print(head + " CPU before -> after |")  # noqa: T201
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")  # noqa: T201
    for name in QUERIES:
        runs = [row for row in figures["runs"] if row["query"] == name]
        ox_mb = min(row["pyoxigraph"][1] for row in runs)
        for fmt in formats:
            old_mb = min(row[f"old {fmt}"][1] for row in runs)
            new_mb = min(row[f"new {fmt}"][1] for row in runs)
            old_cpu = statistics.median(row[f"old {fmt}"][2] for row in runs)
            new_cpu = statistics.median(row[f"new {fmt}"][2] for row in runs)
            print(  # noqa: T201
                f"| {name} | {fmt} | {ox_mb:.0f} MB | {old_mb:.0f} MB | {new_mb:.0f} MB | {new_mb / old_mb:.2f} "
                f"| {old_mb / ox_mb:.2f} | {new_mb / ox_mb:.2f} | {old_cpu:.2f} s -> {new_cpu:.2f} s |"
            )


if __name__ == "__main__":
    main()
