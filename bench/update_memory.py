"""Peak memory and CPU time of ``kgraph --store S query --update``: this checkout against an earlier revision, in the
same run.

    python bench/update_memory.py --triples 1000000 --baseline HEAD~3
    python bench/update_memory.py --triples 100000 --baseline HEAD~3 --runs 3 --formats nt turtle

``bench/generate.py`` writes a seeded graph of about N triples, and ``kgraph --data DIR load --store S`` (with this
checkout) loads it, as ``bench/query_memory.py`` does. Then, ``--runs`` times, for each of the updates below (those
of the BENCHMARKS.md section "`query --update` on a store reads it once"), ``kgraph --store S query --update U
--format F --output FILE`` in a process of its own with the code of ``--baseline`` (checked out from git into a
temporary folder) and with this checkout, one after the other, for each format. Each process's peak memory is its
``ru_maxrss`` (from ``os.wait4``) and its CPU time user + system. The two codes' files are compared byte for byte,
and their summary lines (``update: N triples added, M removed, ...``, the time left out): a difference stops the
run. Prints a Markdown table of the smallest peak of each case over the runs and the median CPU time, with the
ratios new / old.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from compare import against, run, run_with_errors  # noqa: E402 - the set-up the comparing benchmarks share

#: The updates, by name: none makes a blank node, so that the two codes' answers can be compared byte for byte.
UPDATES = {
    "insert-data": 'INSERT DATA { kgr:x rdfs:label "x" }',
    "insert-delete-where": (
        "INSERT DATA { kgr:trainium5 kg:succeeds kgr:trainium4 } ; DELETE WHERE { kgr:trainium4 kg:succeeds ?x }"
    ),
    "delete-labels": "DELETE WHERE { ?s rdfs:label ?l }",
    "delete-insert-data": (
        'DELETE DATA { kgr:nothing rdfs:label "none" } ; INSERT DATA { kgr:x rdfs:label "x" } ; '
        'DELETE DATA { kgr:x rdfs:label "x" }'
    ),
    "chips-retyped": (
        'DELETE { ?s a kg:Chip } INSERT { ?s a kg:Accelerator ; rdfs:comment "chip" } WHERE { ?s a kg:Chip }'
    ),
}
SUFFIXES = {"nt": "nt", "turtle": "ttl", "json-ld": "jsonld"}


def run_update(command: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """:func:`compare.run`, with the command's summary line, its time left out."""
    seconds, megabytes, cpu, errors = run_with_errors(command, env)
    return seconds, megabytes, cpu, re.sub(r"in [0-9.]+ s", "in S s", errors.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--baseline", required=True, help="the git revision to compare with (e.g. HEAD~3)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--formats", nargs="+", default=["nt"], choices=list(SUFFIXES))
    parser.add_argument("--updates", nargs="+", default=list(UPDATES), choices=list(UPDATES))
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    options = parser.parse_args()
    python = sys.executable
    figures: dict[str, Any] = {"triples": options.triples, "baseline": options.baseline, "runs": []}
    with against(options.baseline, options.triples) as (work, codes, data):
        store = work / "store"
        seconds, *_ = run([python, "-m", "kgraph", "--data", str(data), "load", "--store", str(store)], codes["new"])
        print(f"kgraph load: {seconds:.1f} s", file=sys.stderr)  # noqa: T201
        for attempt in range(options.runs):
            for name in options.updates:
                row: dict[str, Any] = {"update": name, "run": attempt + 1}
                for fmt in options.formats:
                    summaries = set()
                    for code, env in codes.items():
                        out = work / f"{code}.{SUFFIXES[fmt]}"
                        command = [python, "-m", "kgraph", "--store", str(store), "query", "--update"]
                        command += [UPDATES[name], "--format", fmt, "--output", str(out), "--timeout", "0"]
                        *measured, summary = run_update(command, env)
                        row[f"{code} {fmt}"] = measured
                        summaries.add(summary.replace(str(out), "OUT"))
                    if (work / f"old.{SUFFIXES[fmt]}").read_bytes() != (work / f"new.{SUFFIXES[fmt]}").read_bytes():
                        sys.exit(f"{name} as {fmt}: the two codes wrote different graphs")
                    if len(summaries) != 1:
                        sys.exit(f"{name} as {fmt}: the two codes said different things: {sorted(summaries)}")
                    row["summary"] = summaries.pop()
                figures["runs"].append(row)
                print(json.dumps(row), file=sys.stderr)  # noqa: T201
    report(figures, options.updates, options.formats)
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def report(figures: dict[str, Any], updates: list[str], formats: list[str]) -> None:
    """Per update and format: the smallest peak (MB) over the runs of the old and the new code and the median CPU
    time (s) of each, with the ratios new / old."""
    print("| update | format | peak before | peak after | after / before | CPU before | CPU after | after / before |")  # noqa: T201
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")  # noqa: T201
    for name in updates:
        runs = [row for row in figures["runs"] if row["update"] == name]
        for fmt in formats:
            old_mb = min(row[f"old {fmt}"][1] for row in runs)
            new_mb = min(row[f"new {fmt}"][1] for row in runs)
            old_cpu = statistics.median(row[f"old {fmt}"][2] for row in runs)
            new_cpu = statistics.median(row[f"new {fmt}"][2] for row in runs)
            print(  # noqa: T201
                f"| {name} | {fmt} | {old_mb:.0f} MB | {new_mb:.0f} MB | {new_mb / old_mb:.2f} "
                f"| {old_cpu:.1f} s | {new_cpu:.1f} s | {new_cpu / old_cpu:.2f} |"
            )


if __name__ == "__main__":
    main()
