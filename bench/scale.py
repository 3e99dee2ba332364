"""Plain rdflib, pyoxigraph used directly, and kgraph with its store, side by side on synthetic graphs.

    python bench/scale.py --triples 100000 1000000      # about 9 minutes on 2 cores
    python bench/scale.py --triples 100000 --json out.json

For each size, ``bench/generate.py`` writes a seeded graph shaped like ours (one TriG file, about N triples), then
three cases run it, each step in its own process so that its peak memory is its own (``os.wait4`` gives the
child's ``ru_maxrss``):

- **rdflib**: one process parses the file into a ``Dataset(default_union=True)``, runs the queries with
  rdflib's engine, writes a node and an edge CSV file with ``csv``, and builds the networkx projection (links
  between IRIs). It has no store to reopen, so all its steps share one process and one peak.
- **pyoxigraph** (the native anchor): ``Store(dir).bulk_load(path)`` in one process; then one process per query
  on ``Store.read_only(dir)`` (``use_default_graph_as_union``); one for the CSV export (SPARQL, streamed); one
  for the projection.
- **kgraph**: ``kgraph --data DIR load --store S`` (parse, store, inference: it holds about twice the triples
  of the others afterwards, and each of them twice, in its named graph and in the flat graph); beside it,
  pyoxigraph's ``bulk_load`` of the very quads kgraph's store then holds (dumped as N-Quads first, untimed): the
  engine's own cost of storing what kgraph stores; ``kgraph --store S query Q`` for each query, a cold command
  (the time kgraph reports for the query itself is kept too); ``kgraph --store S export neo4j``; the projection
  (``kgraph.analysis.project`` on the opened store, stated entity-to-entity relations).

The queries: Q1 a GROUP BY over types; Q2 a 2-hop join (who uses what whose maker), and Q4 the same join
grouped by maker (the kind of query the issue measured in rdflib); Q3 a property path from one entity; Q5 the
first ten labels in order (every label read and sorted, ten kept); Q6 the first ten entities by an
expression of their label, which the answer does not show, each entity once (``SELECT DISTINCT``). Results
go to stdout as Markdown tables (seconds, MB, and ratios to pyoxigraph); ``--json`` keeps the raw figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
PREFIXES = """PREFIX kg: <https://w3id.org/kgraph/ontology#>
PREFIX kgr: <https://w3id.org/kgraph/resource/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
QUERIES = {
    "Q1 group by type": "SELECT ?type (COUNT(?x) AS ?n) WHERE { ?x a ?type } GROUP BY ?type ORDER BY DESC(?n) ?type",
    "Q2 2-hop join": (
        "SELECT ?customer ?product ?maker WHERE { ?customer kg:uses ?product . ?product kg:developedBy ?maker . "
        "FILTER (?customer != ?maker) } ORDER BY ?customer ?product ?maker"
    ),
    "Q4 join + GROUP BY": (
        "SELECT ?maker (COUNT(DISTINCT ?customer) AS ?customers) WHERE { ?customer kg:uses ?product . "
        "?product kg:developedBy ?maker } GROUP BY ?maker ORDER BY DESC(?customers) ?maker LIMIT 20"
    ),
    "Q3 property path": (
        "SELECT DISTINCT ?x WHERE { kgr:company-0 kg:uses/(kg:succeeds|kg:integrates)* ?x } ORDER BY ?x"
    ),
    "Q5 first labels": "SELECT ?x ?label WHERE { ?x rdfs:label ?label } ORDER BY ?label ?x LIMIT 10",
    "Q6 first by label, not shown": (
        "SELECT DISTINCT ?x WHERE { ?x rdfs:label ?label } ORDER BY DESC(LCASE(?label)) ?x LIMIT 10"
    ),
}
OX_ENV = {**os.environ, "KGRAPH_NO_CACHE": "1"}


# ------------------------------------------------------------------------------------------ one child


def run_child(argv: list[str]) -> dict[str, Any]:
    """Run ``argv``; return its JSON output with ``wall`` (seconds) and ``peak_mb`` (its own maximum RSS)."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own commands
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=OX_ENV
    )
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        if process.stdout is None or process.stderr is None:  # pragma: no cover - both are pipes
            raise SystemExit("no pipes")
        shutil.copyfileobj(process.stdout, out)
        shutil.copyfileobj(process.stderr, err)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{stderr[-2000:]}")
    last = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    result: dict[str, Any] = json.loads(last) if last.startswith("{") else {}
    result.setdefault("wall", wall)
    result["peak_mb"] = usage.ru_maxrss / 1024
    result["stderr"] = stderr
    return result


def python(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *args]


def kgraph(*args: str) -> list[str]:
    return [sys.executable, "-m", "kgraph", *args]


# ------------------------------------------------------------------------------------- the child cases


def case_rdflib(trig: str, work: str) -> dict[str, Any]:
    import networkx as nx  # noqa: PLC0415
    from rdflib import Dataset, URIRef  # noqa: PLC0415
    from rdflib.namespace import RDF  # noqa: PLC0415

    from kgraph._compat import quiet_rdflib  # noqa: PLC0415

    times: dict[str, Any] = {}
    with quiet_rdflib():
        dataset = Dataset(default_union=True)
        times["load"] = timed(lambda: dataset.parse(trig, format="trig"))
        for name, text in QUERIES.items():
            rows: list[Any] = []
            times[name] = timed(lambda text=text, rows=rows: rows.extend(dataset.query(PREFIXES + text)))
            times[f"{name} rows"] = len(rows)

        def export() -> None:
            with (Path(work) / "nodes.csv").open("w", newline="", encoding="utf-8") as nodes:
                writer = csv.writer(nodes)
                for s, o in dataset.subject_objects(RDF.type):
                    writer.writerow([s, o])
            with (Path(work) / "edges.csv").open("w", newline="", encoding="utf-8") as edges:
                writer = csv.writer(edges)
                for s, p, o in dataset.triples((None, None, None)):
                    if isinstance(o, URIRef) and p != RDF.type:
                        writer.writerow([s, p, o])

        times["export"] = timed(export)

        def projection() -> None:
            typed = set(dataset.subjects(RDF.type, None))
            graph = nx.MultiDiGraph()
            for s, p, o in dataset.triples((None, None, None)):
                if isinstance(o, URIRef) and p != RDF.type and s in typed and o in typed:
                    graph.add_edge(str(s), str(o), key=str(p))
            times["nodes"], times["edges"] = graph.number_of_nodes(), graph.number_of_edges()

        times["projection"] = timed(projection)
    return times


def case_ox_load(trig: str, store: str) -> dict[str, Any]:
    import pyoxigraph as ox  # noqa: PLC0415

    return {"load": timed(lambda: ox.Store(store).bulk_load(path=trig))}


def case_ox_dump(store: str, out: str) -> dict[str, Any]:
    """Every quad of kgraph's store (named graphs and the flat default graph) as N-Quads, for ``ox-load-same``."""
    import pyoxigraph as ox  # noqa: PLC0415

    db = ox.Store.read_only(str(Path(store) / "oxigraph"))
    db.dump(output=out, format=ox.RdfFormat.N_QUADS)
    return {"quads": sum(1 for _line in Path(out).open("rb"))}


def case_ox_load_same(nquads: str, store: str) -> dict[str, Any]:
    """pyoxigraph loading the quads kgraph's store holds: what the engine takes to store what kgraph stores."""
    import pyoxigraph as ox  # noqa: PLC0415

    return {"load": timed(lambda: ox.Store(store).bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS))}


def case_ox_query(store: str, name: str) -> dict[str, Any]:
    import pyoxigraph as ox  # noqa: PLC0415

    db = ox.Store.read_only(store)
    rows: list[Any] = []
    seconds = timed(lambda: rows.extend(db.query(PREFIXES + QUERIES[name], use_default_graph_as_union=True)))
    return {"query": seconds, "rows": len(rows)}


def case_ox_query_flat(store: str, name: str) -> dict[str, Any]:
    """The same query with pyoxigraph on kgraph's store (its default graph is the flat graph, inferences included)."""
    import pyoxigraph as ox  # noqa: PLC0415

    db = ox.Store.read_only(str(Path(store) / "oxigraph"))
    rows: list[Any] = []
    seconds = timed(lambda: rows.extend(db.query(PREFIXES + QUERIES[name])))
    return {"query": seconds, "rows": len(rows)}


def case_ox_export(store: str, work: str) -> dict[str, Any]:
    import pyoxigraph as ox  # noqa: PLC0415

    db = ox.Store.read_only(store)

    def export() -> None:
        for name, query in (
            ("nodes.csv", "SELECT ?s ?t WHERE { ?s a ?t }"),
            ("edges.csv", "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?o) && ?p != rdf:type) }"),
        ):
            with (Path(work) / name).open("w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                for row in db.query(PREFIXES + query, use_default_graph_as_union=True):
                    writer.writerow([term.value for term in row])

    return {"export": timed(export)}


def case_ox_projection(store: str) -> dict[str, Any]:
    import networkx as nx  # noqa: PLC0415
    import pyoxigraph as ox  # noqa: PLC0415

    db = ox.Store.read_only(store)
    found: dict[str, Any] = {}

    def projection() -> None:
        graph = nx.MultiDiGraph()
        query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?o) && ?p != rdf:type) ?s a [] . ?o a [] }"
        for s, p, o in db.query(PREFIXES + query, use_default_graph_as_union=True):
            graph.add_edge(s.value, o.value, key=p.value)
        found["nodes"], found["edges"] = graph.number_of_nodes(), graph.number_of_edges()

    found["projection"] = timed(projection)
    return found


def case_kgraph_projection(store: str) -> dict[str, Any]:
    from kgraph import analysis  # noqa: PLC0415
    from kgraph.persist import open_store  # noqa: PLC0415

    loaded = open_store(Path(store))
    found: dict[str, Any] = {}

    def projection() -> None:
        graph = analysis.project(loaded)
        found["nodes"], found["edges"] = graph.number_of_nodes(), graph.number_of_edges()

    found["projection"] = timed(projection)
    return found


def timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


CASES: dict[str, Callable[..., dict[str, Any]]] = {
    "rdflib": case_rdflib,
    "ox-load": case_ox_load,
    "ox-dump": case_ox_dump,
    "ox-load-same": case_ox_load_same,
    "ox-query": case_ox_query,
    "ox-query-flat": case_ox_query_flat,
    "ox-export": case_ox_export,
    "ox-projection": case_ox_projection,
    "kgraph-projection": case_kgraph_projection,
}


# ---------------------------------------------------------------------------------------------- the run


def measure(triples: int, work: Path) -> dict[str, dict[str, Any]]:
    """Every case on a graph of about ``triples`` triples; {case: {step: {"s": seconds, "mb": peak}}}."""
    data = work / "data"
    data.mkdir()
    trig = data / "synthetic.trig"
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "--triples", str(triples), str(trig)], check=True)  # noqa: S603
    out: dict[str, dict[str, Any]] = {"rdflib": {}, "pyoxigraph": {}, "kgraph": {}}

    rdflib_run = run_child(python("--case", "rdflib", str(trig), str(work)))
    for step in ("load", *QUERIES, "export", "projection"):
        out["rdflib"][step] = {
            "s": rdflib_run[step],
            "mb": rdflib_run["peak_mb"],
            "rows": rdflib_run.get(f"{step} rows"),
        }
    out["rdflib"]["projection"]["size"] = (rdflib_run["nodes"], rdflib_run["edges"])

    ox_store = str(work / "ox-store")
    done = run_child(python("--case", "ox-load", str(trig), ox_store))
    out["pyoxigraph"]["load"] = {"s": done["load"], "mb": done["peak_mb"]}
    for name in QUERIES:
        done = run_child(python("--case", "ox-query", ox_store, name))
        out["pyoxigraph"][name] = {"s": done["query"], "mb": done["peak_mb"], "rows": done["rows"]}
    done = run_child(python("--case", "ox-export", ox_store, str(work)))
    out["pyoxigraph"]["export"] = {"s": done["export"], "mb": done["peak_mb"]}
    done = run_child(python("--case", "ox-projection", ox_store))
    out["pyoxigraph"]["projection"] = {
        "s": done["projection"],
        "mb": done["peak_mb"],
        "size": (done["nodes"], done["edges"]),
    }

    store = str(work / "kgraph-store")
    done = run_child(kgraph("--data", str(data), "load", "--store", store))
    out["kgraph"]["load"] = {"s": done["wall"], "mb": done["peak_mb"], "note": done["stderr"].strip().splitlines()[-2]}
    for name, text in QUERIES.items():
        done = run_child(kgraph("--store", store, "query", text, "--format", "tsv", "--output", str(work / "q.tsv")))
        reported = re.search(r"([0-9,]+) rows? in ([0-9.]+) s", done["stderr"])
        out["kgraph"][name] = {
            "s": done["wall"],
            "mb": done["peak_mb"],
            "query_s": float(reported.group(2)) if reported else None,
            "rows": int(reported.group(1).replace(",", "")) if reported else None,
        }
    nquads = str(work / "kgraph-store.nq")
    quads = run_child(python("--case", "ox-dump", store, nquads))["quads"]
    done = run_child(python("--case", "ox-load-same", nquads, str(work / "ox-same-store")))
    out["kgraph"]["load"]["native"] = {"s": done["load"], "mb": done["peak_mb"], "quads": quads}
    shutil.rmtree(work / "ox-same-store")
    Path(nquads).unlink()
    for name in QUERIES:
        done = run_child(python("--case", "ox-query-flat", store, name))
        out["kgraph"][name]["native_s"] = done["query"]
    done = run_child(kgraph("--store", store, "export", "neo4j", "--out", str(work / "neo4j")))
    out["kgraph"]["export"] = {"s": done["wall"], "mb": done["peak_mb"]}
    done = run_child(python("--case", "kgraph-projection", store))
    out["kgraph"]["projection"] = {
        "s": done["projection"],
        "mb": done["peak_mb"],
        "size": (done["nodes"], done["edges"]),
    }
    out["kgraph"]["load"]["store_mb"] = sum(p.stat().st_size for p in Path(store).rglob("*") if p.is_file()) / 1e6
    out["pyoxigraph"]["load"]["store_mb"] = (
        sum(p.stat().st_size for p in Path(ox_store).rglob("*") if p.is_file()) / 1e6
    )
    return out


def table(triples: int, found: dict[str, dict[str, Any]]) -> str:
    """Markdown: seconds and peak memory of each step, and the ratios the targets are about."""
    rdflib_, ox_, kg = (found[case] for case in ("rdflib", "pyoxigraph", "kgraph"))
    rows = [
        f"#### About {triples:,} triples ({kg['load']['note']})",
        "",
        "| step | rdflib | pyoxigraph | kgraph --store (command) | kgraph / pyoxigraph | rdflib / kgraph |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for step in ("load", *QUERIES, "export", "projection"):
        r, o, k = rdflib_[step], ox_[step], kg[step]
        own = k.get("query_s") if k.get("query_s") is not None else k["s"]
        cell = f"{k['s']:.2f} s" + (f" (query {k['query_s']:.2f} s)" if k.get("query_s") is not None else "")
        rows.append(
            f"| {step} | {r['s']:.2f} s | {o['s']:.2f} s | {cell} | {_ratio(own, o['s'])} | {_ratio(r['s'], own)} |"
        )
    rows += [
        "",
        "| query: rows | rdflib | pyoxigraph | kgraph | pyoxigraph on kgraph's store (same triples) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for step in QUERIES:
        r, o, k = rdflib_[step], ox_[step], kg[step]
        rows.append(f"| {step} | {r.get('rows')} | {o.get('rows')} | {k.get('rows')} | {k['native_s']:.2f} s |")
    rows += [
        "",
        "| peak memory | rdflib (one process) | pyoxigraph | kgraph --store | kgraph / pyoxigraph |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for step in ("load", *QUERIES, "export", "projection"):
        r, o, k = rdflib_[step], ox_[step], kg[step]
        rows.append(f"| {step} | {r['mb']:.0f} MB | {o['mb']:.0f} MB | {k['mb']:.0f} MB | {_ratio(k['mb'], o['mb'])} |")
    sizes = ", ".join(
        f"{case} {found[case]['projection']['size'][0]:,} nodes / {found[case]['projection']['size'][1]:,} edges"
        for case in found
    )
    stores = f"store on disk: pyoxigraph {ox_['load']['store_mb']:.0f} MB, kgraph {kg['load']['store_mb']:.0f} MB"
    same = kg["load"]["native"]
    anchor = (
        f"pyoxigraph loading the {same['quads']:,} quads kgraph's store holds: {same['s']:.2f} s, {same['mb']:.0f} MB"
        f" (kgraph's load / that: {_ratio(kg['load']['s'], same['s'])} of the time,"
        f" {_ratio(kg['load']['mb'], same['mb'])} of the memory)"
    )
    return "\n".join(rows) + f"\n\nprojection: {sizes}; {stores}\n\n{anchor}\n"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}" if b >= 0.01 and a >= 0.01 else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--case", nargs="+", help=argparse.SUPPRESS)  # internal: run one case in this process
    args = parser.parse_args()
    if args.case:
        name, *rest = args.case
        print(json.dumps(CASES[name](*rest)))  # noqa: T201
        return
    results = {}
    for triples in args.triples:
        with tempfile.TemporaryDirectory(prefix="kgraph-scale-") as work:
            results[triples] = measure(triples, Path(work))
        print(table(triples, results[triples]))  # noqa: T201
        sys.stdout.flush()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
