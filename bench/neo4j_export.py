"""Time and peak memory of ``kgraph export neo4j`` on synthetic graphs, against a naive export in the same run.

    python bench/neo4j_export.py                 # 100k and 1M triples (the 1M graph takes minutes and ~5 GB)
    python bench/neo4j_export.py --triples 100000

The generator (seeded) writes data shaped like the bundled graph: one TriG file per section, companies that
develop chips, models and services, products that use, succeed, are trained on, built on and available on
others, figures with values and units, English and Chinese names, aliases and descriptions. kgraph loads it
with the bundled ontology and rules (inference included); the loaded graph's size is what "triples" counts.

Measured, for the export alone (the graph is already in memory): wall time (best of runs, without tracing) and
the peak of memory allocated during the export (``tracemalloc``, in a separate run). The baseline is what a
straightforward rdflib-to-CSV script does: build every node row and every relationship row in lists, then write
them with ``csv.DictWriter``. Results go to stdout; the ratios are streaming / naive.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

os.environ["KGRAPH_NO_CACHE"] = "1"

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kgraph.export import neo4j
from kgraph.store import LoadedGraph, load
from kgraph.vocab import KG

SECTIONS = 13
PREFIXES = """\
@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix kgr: <https://w3id.org/kgraph/resource/> .
@prefix kgf: <https://w3id.org/kgraph/figure/> .
@prefix src: <https://w3id.org/kgraph/source/reinvent-2025-keynote/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""
PRODUCT_CLASSES = ["kg:Chip", "kg:AIModel", "kg:Service", "kg:SoftwareApplication", "kg:ServerSystem"]
UNITS = ["kg:Times", "kg:Percent", "kg:Count", "kg:USD"]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(folder: Path, entities: int, seed: int = 5) -> None:
    """Write ``entities`` entities (a tenth companies) and half as many figures as TriG files into ``folder``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, seeded
    companies = max(2, entities // 10)
    sections: list[list[str]] = [[] for _ in range(SECTIONS)]
    for i in range(entities):
        section = i % SECTIONS
        iri = f"kgr:e{i}"
        lines = [f"{iri} a {'kg:Company' if i < companies else rng.choice(PRODUCT_CLASSES)} ;"]
        lines.append(f'    rdfs:label "Entity {i}"@en , "实体{i}"@zh ;')
        if rng.random() < 0.5:
            lines.append(f'    skos:altLabel "E{i}"@en , "E-{i}, \\"alias\\"; two"@en ;')
        lines.append(f"    schema:description {_quote(f'Entity {i}: made by e{i % companies}; used, widely.')}@en ;")
        lines.append(f'    schema:description "第{i}个实体。"@zh ;')
        if i >= companies:
            lines.append(f"    kg:developedBy kgr:e{rng.randrange(companies)} ;")
            lines.append(f"    kg:uses kgr:e{rng.randrange(companies, entities)} ;")
            if rng.random() < 0.3:
                lines.append(f"    kg:succeeds kgr:e{rng.randrange(companies, entities)} ;")
            if rng.random() < 0.2:
                lines.append(f"    kg:trainedOn kgr:e{rng.randrange(companies, entities)} ;")
            if rng.random() < 0.3:
                lines.append(f"    kg:availableOn kgr:e{rng.randrange(companies, entities)} ;")
        else:
            lines.append(f"    kg:uses kgr:e{rng.randrange(companies, entities)} ;")
        lines.append(f"    prov:wasDerivedFrom src:s{section} .")
        sections[section].append("\n".join(lines))
    for j in range(entities // 2):
        section = j % SECTIONS
        sections[section].append(
            f"kgf:f{j} a kg:Figure ;\n"
            f'    rdfs:label "Figure {j}"@en , "指标{j}"@zh ;\n'
            f"    kg:figureOf kgr:e{rng.randrange(entities)} ;\n"
            f'    kg:metric "metric {j}"@en , "度量{j}"@zh ;\n'
            f"    kg:value {rng.randrange(1, 10**6) / 10} ; kg:unit {rng.choice(UNITS)} ;\n"
            f"    kg:figureKind kg:Specification ; kg:reportedAt kgr:e0 ;\n"
            f"    prov:wasDerivedFrom src:s{section} ."
        )
    for section, blocks in enumerate(sections):
        body = "\n\n".join(blocks)
        head = f"src:s{section} a kg:SourceSection ; kg:order {section + 1} ."
        text = f"{PREFIXES}\nsrc:s{section} {{\n{head}\n{body}\n}}\n"
        (folder / f"{section:02d}.trig").write_text(text, encoding="utf-8")


def naive_export(loaded: LoadedGraph, folder: Path) -> None:
    """The baseline: every row in a list first, then written with csv.DictWriter (stated triples, no streaming)."""
    graph = loaded.graph
    node_rows: list[dict[str, str]] = []
    relationship_rows: list[dict[str, str]] = []
    vocabulary = set(loaded.ontology.subjects())
    for subject in sorted({s for s in graph.subjects() if s not in vocabulary}):
        row: dict[str, str] = {"iri:ID(Resource)": str(subject)}
        labels = []
        for p, o in graph.predicate_objects(subject):
            if p == RDF.type:
                if str(o).startswith(str(KG)):
                    labels.append(str(o).removeprefix(str(KG)))
            elif not loaded.is_asserted((subject, p, o)):
                continue
            elif isinstance(o, Literal):
                key = str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1] + (f"_{o.language}" if o.language else "")
                row[key] = f"{row[key]};{o}" if key in row else str(o)
            elif isinstance(o, URIRef) and o not in vocabulary:
                relationship_rows.append({"start": str(subject), "type": str(p), "end": str(o)})
        row[":LABEL"] = ";".join(sorted(labels))
        node_rows.append(row)
    columns = sorted({key for row in node_rows for key in row})
    with (folder / "nodes.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        writer.writerows(node_rows)
    with (folder / "relationships.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=["start", "type", "end"])
        writer.writeheader()
        writer.writerows(relationship_rows)


def timed(step: Callable[[Path], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as out:
            gc.collect()
            started = time.perf_counter()
            step(Path(out))
            best = min(best, time.perf_counter() - started)
    return best


def peak(step: Callable[[Path], object]) -> int:
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as out:
        gc.collect()
        tracemalloc.start()
        step(Path(out))
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return top


def measure(triples: int) -> None:
    entities = max(20, triples // 32)  # about 32 triples per entity once loaded and inferred
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-data-") as data:
        generate(Path(data), entities)
        started = time.perf_counter()
        loaded = load(Path(data))
        load_seconds = time.perf_counter() - started
    runs = 3 if triples <= 200_000 else 1
    streaming = lambda out: neo4j.export(loaded, out)  # noqa: E731
    baseline = lambda out: naive_export(loaded, out)  # noqa: E731
    stream_time, naive_time = timed(streaming, runs), timed(baseline, runs)
    stream_peak, naive_peak = peak(streaming), peak(baseline)
    print(f"graph: {len(loaded.graph):,} triples ({len(loaded.inferred):,} inferred), loaded in {load_seconds:.0f} s")  # noqa: T201
    print(f"  kgraph export neo4j (streaming): {stream_time:6.1f} s   peak {stream_peak / 2**20:7.1f} MiB")  # noqa: T201
    print(f"  naive rows-in-lists baseline:    {naive_time:6.1f} s   peak {naive_peak / 2**20:7.1f} MiB")  # noqa: T201
    print(f"  ratio streaming/naive: time {stream_time / naive_time:.2f}, peak memory {stream_peak / naive_peak:.2f}")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, action="append", help="graph sizes (default: 100000 and 1000000)")
    for triples in parser.parse_args().triples or [100_000, 1_000_000]:
        measure(triples)


if __name__ == "__main__":
    main()
