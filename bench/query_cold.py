"""Cold-process wall time of ``kgraph query`` and ``kgraph queries run`` against plain rdflib, in the same run.

    python bench/query_cold.py [--runs 9]

Each case starts a new Python process, as a user's shell does, and the median of ``--runs`` runs is reported
(cases interleaved, so a busy machine slows them alike). The baseline is a ``python -c`` that imports rdflib,
parses the built graph (``exports/kgraph.ttl``: ontology, data and inferences, so the same triples) and runs the
same query with the same bindings, printing the rows. One line runs ``kgraph queries`` through its own module
only, to tell its cost from the import time of the command line's other commands. kgraph's graph cache is warmed
once first, as it is after the first command on unchanged data, and its modules are compiled to bytecode, as an
installed package has them; the ``no cache`` line shows a first run (KGRAPH_NO_CACHE=1: parse the 15 files and
infer). Prints a Markdown table of seconds and ratios to the baseline.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
TURTLE = REPOSITORY / "exports" / "kgraph.ttl"
QUERIES = REPOSITORY / "src" / "kgraph" / "queries"
INLINE = "SELECT ?chip ?maker WHERE { ?chip a kg:Chip ; kg:developedBy ?maker } ORDER BY ?chip"
PREFIXES = "PREFIX kg: <https://w3id.org/kgraph/ontology#>\n"

#: ``kgraph queries`` without the rest of the command line (whose other commands import their own libraries).
ISOLATED = [
    sys.executable,
    "-c",
    "import sys; from kgraph.cli_common import State; from kgraph.cli_query import queries; "
    "queries.main(sys.argv[1:], prog_name='kgraph', obj=State())",
]

BASELINE = """
import sys, rdflib
graph = rdflib.Graph()
graph.parse(sys.argv[1], format="turtle")
bindings = {{name: rdflib.URIRef(iri) for name, iri in zip(sys.argv[3::2], sys.argv[4::2])}}
for row in graph.query(sys.argv[2], initBindings=bindings):
    print(*row, sep="\\t")
"""


def kgraph_command() -> list[str]:
    script = Path(sys.executable).with_name("kgraph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kgraph"]


def cases() -> list[tuple[str, list[str], dict[str, str]]]:
    kgraph = kgraph_command()
    resource = "https://w3id.org/kgraph/resource/"
    customers = (QUERIES / "customers-of.rq").read_text(encoding="utf-8")
    succession = (QUERIES / "succession.rq").read_text(encoding="utf-8")
    baseline = [sys.executable, "-c", BASELINE.format()]
    no_cache = {"KGRAPH_NO_CACHE": "1"}
    return [
        ("plain rdflib: inline query", [*baseline, str(TURTLE), PREFIXES + INLINE], {}),
        ("kgraph query (inline)", [*kgraph, "query", INLINE], {}),
        ("kgraph query (inline), no cache", [*kgraph, "query", INLINE], no_cache),
        (
            "plain rdflib: customers-of",
            [*baseline, str(TURTLE), customers, "product", resource + "amazon-bedrock"],
            {},
        ),
        (
            "kgraph queries run customers-of",
            [*kgraph, "queries", "run", "customers-of", "--param", "product=Amazon Bedrock"],
            {},
        ),
        (
            "the same through kgraph.cli_query only",
            [*ISOLATED, "run", "customers-of", "--param", "product=Amazon Bedrock"],
            {},
        ),
        ("plain rdflib: succession", [*baseline, str(TURTLE), succession, "product", resource + "trainium3"], {}),
        (
            "kgraph queries run succession",
            [*kgraph, "queries", "run", "succession", "--param", "product=Trainium3"],
            {},
        ),
    ]


def compile_package() -> None:
    """Write kgraph's .pyc files, as ``pip install`` does. From a source checkout, with PYTHONDONTWRITEBYTECODE
    set, every run would otherwise compile kgraph's modules again (about 15 ms) while rdflib's come compiled."""
    spec = importlib.util.find_spec("kgraph")
    for folder in spec.submodule_search_locations or [] if spec else []:
        compileall.compile_dir(folder, quiet=1)


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=env, cwd=REPOSITORY)  # noqa: S603 - our own commands
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    cache = Path(tempfile.mkdtemp(prefix="kgraph-bench-cache-"))
    try:
        env = {**os.environ, "KGRAPH_CACHE_DIR": str(cache)}
        env.pop("KGRAPH_NO_CACHE", None)
        table = cases()
        compile_package()
        for _name, argv, extra in table:  # warm up: the graph cache, the OS file cache, .pyc files
            timed(argv, {**env, **extra})
        times: dict[str, list[float]] = {name: [] for name, _argv, _extra in table}
        for _ in range(runs):
            for name, argv, extra in table:
                times[name].append(timed(argv, {**env, **extra}))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    report(times, runs)


def report(times: dict[str, list[float]], runs: int) -> None:
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {runs} cold runs\n")  # noqa: T201
    print("| command | seconds | vs plain rdflib |")  # noqa: T201
    print("| --- | ---: | ---: |")  # noqa: T201
    baseline = 0.0
    for name, median in medians.items():
        if name.startswith("plain rdflib"):
            baseline = median
        print(f"| {name} | {median:.2f} | {median / baseline:.2f} |")  # noqa: T201


if __name__ == "__main__":
    main()
