"""A large CONSTRUCT answer as Turtle, JSON-LD and N-Triples: this checkout against an earlier revision, same run.

    python bench/graph_formats.py --triples 100000 --baseline HEAD~3
    python bench/graph_formats.py --triples 100000 --baseline HEAD~3 --runs 2 --json out.json

``bench/generate.py`` writes a seeded graph of about N triples, ``kgraph --data DIR load --store S`` loads it
(with this checkout), then for each format and each code (``--baseline REV``, checked out from git into a temporary
folder, and this checkout) ``kgraph --store S query QUERY --format FMT --output FILE`` runs in its own process,
both codes one after the other, ``--runs`` times. Each run's wall time and peak memory (the child's ``ru_maxrss``,
from ``os.wait4``) are printed as a Markdown table with the ratios old/new, and the two files are read back with
pyoxigraph to check that they hold the same number of triples (and the same bytes for N-Triples).

The query (``--query``) by default is every triple whose object is a literal, about half the store's triples.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import against, run  # the set-up the comparing benchmarks share

QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER isLiteral(?o) }"
FORMATS = {"turtle": "text/turtle", "json-ld": "application/ld+json", "nt": "application/n-triples"}


def triples_in(path: Path, fmt: str) -> int:
    import pyoxigraph as ox  # noqa: PLC0415 - only to read the answers back

    with path.open("rb") as data:
        return sum(1 for _ in ox.parse(data, format=ox.RdfFormat.from_media_type(FORMATS[fmt])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--baseline", required=True, help="the git revision to compare with (e.g. HEAD~3)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--query", default=QUERY)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=list(FORMATS))
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    options = parser.parse_args()
    python = sys.executable
    figures: dict[str, Any] = {"query": options.query, "baseline": options.baseline, "runs": []}
    with against(options.baseline, options.triples) as (work, codes, data):
        store = work / "store"
        seconds, *_ = run([python, "-m", "kgraph", "--data", str(data), "load", "--store", str(store)], codes["new"])
        print(f"loaded in {seconds:.1f} s", file=sys.stderr)  # noqa: T201
        for fmt in options.formats:
            for attempt in range(options.runs):
                row: dict[str, Any] = {"format": fmt, "run": attempt + 1}
                for name, env in codes.items():
                    out = work / f"{name}.{fmt}"
                    command = [python, "-m", "kgraph", "--store", str(store), "query", options.query]
                    command += ["--format", fmt, "--output", str(out), "--timeout", "0"]
                    row[name] = run(command, env)
                    row[f"{name}_triples"] = triples_in(out, fmt)
                    row[f"{name}_bytes"] = out.stat().st_size
                if fmt == "nt":
                    row["same_bytes"] = (work / "old.nt").read_bytes() == (work / "new.nt").read_bytes()
                figures["runs"].append(row)
                print(json.dumps(row), file=sys.stderr)  # noqa: T201
    report(figures)
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def report(figures: dict[str, Any]) -> None:
    print("| format | triples | old | new | time old/new | memory old/new |")  # noqa: T201
    print("| --- | ---: | ---: | ---: | ---: | ---: |")  # noqa: T201
    for row in figures["runs"]:
        (old_s, old_mb, _old_cpu), (new_s, new_mb, _new_cpu) = row["old"], row["new"]
        triples = f"{row['new_triples']:,}" + ("" if row["old_triples"] == row["new_triples"] else " (old differs!)")
        print(  # noqa: T201
            f"| {row['format']} | {triples} | {old_s:.1f} s, {old_mb:.0f} MB | {new_s:.1f} s, {new_mb:.0f} MB "
            f"| {old_s / new_s:.2f} | {old_mb / new_mb:.2f} |"
        )


if __name__ == "__main__":
    main()
