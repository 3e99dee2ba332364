"""`kgraph validate` on a store, against pySHACL on every focus node, on synthetic graphs.

    python bench/validate_store.py --triples 100000 1000000     # about 8 minutes on 2 cores

For each size, ``bench/generate.py`` writes a seeded graph shaped like ours and ``kgraph load`` stores it; then,
each in its own process (peak memory from ``os.wait4``), with the validation cache off:

- **whole**: the way a store was validated before ``kgraph.shacl_scope``: what SHACL checks copied into memory
  (an rdflib graph, and an in-memory Oxigraph store for pySHACL's SPARQL), pySHACL on every focus node;
- **scoped**: :func:`kgraph.validation.validate` on the store: the copy in a temporary on-disk store, pySHACL on
  the focus nodes the scope cannot clear.

Both write their report as ``kgraph validate`` prints it, with where each problem is written; the run fails unless
the two are the same. The generated graph breaks a rule on purpose: no figure has its ``kg:figureKind`` (about one
entity in three).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from scale import run_child  # noqa: E402 - the bench folder is not a package


def case(name: str, store: str, out: str) -> dict[str, Any]:
    """Validate ``store`` the ``name`` way in this process; write the report's text to ``out``."""
    from kgraph import formatting, persist, validation  # noqa: PLC0415 - timed with the rest

    loaded = persist.open_store(Path(store))
    if name == "scoped":
        report = validation.validate(loaded)
    else:
        shapes = validation.shapes_graph(loaded)
        data = validation.validation_graph(loaded)
        conforms, graph = validation._run_pyshacl(data, shapes)  # the baseline: the code before
        results = validation._located(validation._findings(graph, shapes, data), graph, loaded)  # where: as validate
        report = validation.ValidationReport(conforms, tuple(results), graph, loaded.shapes_file)
    Path(out).write_text(formatting.validation_report(report), encoding="utf-8")
    return {"violations": report.count("Violation")}


def measure(triples: int, work: Path) -> dict[str, dict[str, Any]]:
    data = work / "data"
    data.mkdir()
    subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(BENCH / "generate.py"), "--triples", str(triples), str(data / "synthetic.trig")],
        check=True,
    )
    store = work / "store"
    subprocess.run([sys.executable, "-m", "kgraph", "--data", str(data), "load", "--store", str(store)], check=True)  # noqa: S603
    found = {}
    for name in ("whole", "scoped"):
        found[name] = run_child([sys.executable, __file__, "--case", name, str(store), str(work / f"{name}.txt")])
    if (work / "whole.txt").read_bytes() != (work / "scoped.txt").read_bytes():
        raise SystemExit(f"the two reports differ at {triples} triples")
    return found


def table(triples: int, found: dict[str, dict[str, Any]]) -> str:
    whole, scoped = found["whole"], found["scoped"]
    return "\n".join(
        [
            f"#### About {triples:,} triples ({scoped['violations']:,} violations, the same report)",
            "",
            "| | pySHACL on every node (in memory) | scoped (on the store) | whole / scoped |",
            "| --- | ---: | ---: | ---: |",
            f"| time | {whole['wall']:.1f} s | {scoped['wall']:.1f} s | {whole['wall'] / scoped['wall']:.1f} |",
            f"| peak memory | {whole['peak_mb']:,.0f} MB | {scoped['peak_mb']:,.0f} MB | "
            f"{whole['peak_mb'] / scoped['peak_mb']:.1f} |",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--case", nargs=3, help=argparse.SUPPRESS)  # internal: one way, in this process
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(*args.case)))  # noqa: T201
        return
    results = {}
    for triples in args.triples:
        with tempfile.TemporaryDirectory(prefix="kgraph-validate-bench-") as work:
            results[triples] = measure(triples, Path(work))
        print(table(triples, results[triples]))  # noqa: T201
        sys.stdout.flush()
    if args.json:
        for found in results.values():
            for figures in found.values():
                figures.pop("stderr", None)
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
