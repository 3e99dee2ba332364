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
import statistics
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from compare import against, run  # noqa: E402 - the set-up the comparing benchmarks share
from scale import PREFIXES, QUERIES  # noqa: E402 - the scale benchmark's queries, to compare with its figures


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
    with against(options.baseline, options.triples) as (work, codes, data):
        store, ox_store = work / "store", work / "ox"
        load = [python, "-m", "kgraph", "--data", str(data), "load", "--store", str(store)]
        seconds, *_ = run(load, codes["new"])
        print(f"kgraph load: {seconds:.1f} s", file=sys.stderr)  # noqa: T201
        ox_load = [python, str(BENCH / "scale.py"), "--case", "ox-load", str(data / "gen.trig"), str(ox_store)]
        seconds, *_ = run(ox_load, codes["new"])
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
