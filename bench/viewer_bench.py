"""Time the viewer on synthetic graphs of 100, 1,000 and 5,000 entities, against pyvis's defaults.

For each size: write a seeded synthetic data folder, load it with the bundled ontology, then

- kgraph: build the page (``render_page``: projection, details, layout, HTML), open it from disk in headless
  Chromium and wait for the first drawing (physics is off: that is the settled picture);
- baseline: pyvis's defaults (``Network(directed=True)``, ``add_node``/``add_edge`` with labels,
  ``write_html``), with ``cdn_resources="in_line"`` so that vis-network loads offline at all; wait until
  vis-network reports the network stable, up to ``--cap`` seconds.

Requests that are not ``file:`` are aborted (pyvis's template asks a CDN for Bootstrap). Ratios are baseline
over kgraph, measured in the same run. Needs Chromium (``apt-get install chromium``) and the test extra
(Playwright); never downloads a browser.

    python bench/viewer_bench.py                 # 100, 1000, 5000; cap 120 s
    python bench/viewer_bench.py --sizes 100 1000 --cap 60
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright
from pyvis.network import Network

from kgraph.analysis import project
from kgraph.resources import default_ontology_dir
from kgraph.store import LoadedGraph, load
from kgraph.viewer.model import select
from kgraph.viewer.page import Context, render_page

CHROMIUM = os.environ.get("KGRAPH_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CLASSES = ("Company", "Service", "Feature", "Chip", "AIModel", "ModelFamily", "Person", "Concept", "Framework")
RELATIONS = ("uses", "integrates", "partOf", "builtOn", "availableOn", "relatedTo")
PREFIXES = """\
@prefix kg:     <https://w3id.org/kgraph/ontology#> .
@prefix kgr:    <https://w3id.org/kgraph/resource/> .
@prefix src:    <https://w3id.org/kgraph/source/reinvent-2025-keynote/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
"""


def synthetic_data(count: int, seed: int = 1) -> str:
    """``count`` entities of assorted classes, each linked to one to three earlier ones (preferential
    attachment, so a few hubs emerge as in the real graph), about two relations per entity."""
    rng = random.Random(seed)  # noqa: S311 - a seeded synthetic graph, not cryptography
    lines = [PREFIXES, 'src:bench a kg:SourceSection ; rdfs:label "Bench"@en , "基准"@zh ; kg:order 1 .', "src:bench {"]
    targets: list[int] = []
    for i in range(count):
        cls = CLASSES[rng.randrange(len(CLASSES))]
        lines.append(
            f'kgr:e{i} a kg:{cls} ; rdfs:label "Entity {i}"@en , "实体{i}"@zh ; '
            f'schema:description "Synthetic entity {i}."@en ; prov:wasDerivedFrom src:bench .'
        )
        for other in {rng.choice(targets) for _ in range(rng.randint(1, 3))} if targets else ():
            lines.append(f"kgr:e{i} kg:{RELATIONS[rng.randrange(len(RELATIONS))]} kgr:e{other} .")
            targets.append(other)
        targets.append(i)
    lines.append("}")
    return "\n".join(lines) + "\n"


def load_synthetic(count: int, folder: Path) -> LoadedGraph:
    data = folder / f"data-{count}"
    data.mkdir()
    (data / "bench.trig").write_text(synthetic_data(count), encoding="utf-8")
    return load(data_dir=data, ontology_dir=default_ontology_dir())


def build_kgraph(loaded: LoadedGraph, path: Path) -> float:
    started = time.perf_counter()
    context = Context(loaded)  # as `kgraph viz` does: one projection of the whole graph
    path.write_bytes(render_page(context, select(loaded, whole=context.full)))
    return time.perf_counter() - started


def build_baseline(loaded: LoadedGraph, path: Path) -> float:
    graph = project(loaded)
    started = time.perf_counter()
    network = Network(directed=True, cdn_resources="in_line")
    for node, attrs in graph.nodes(data=True):
        network.add_node(node, label=attrs["label_en"], title=attrs["label_en"])
    for u, v, attrs in graph.edges(data=True):
        network.add_edge(u, v, label=attrs["label_en"])
    network.write_html(str(path))
    return time.perf_counter() - started


def draw(browser: Browser, path: Path, ready: str, cap: float) -> float | None:
    """Seconds from opening ``path`` until ``ready`` holds in the page; None if not within ``cap``."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    started = time.perf_counter()
    try:
        page.goto(path.resolve().as_uri(), timeout=cap * 1000)
        page.wait_for_function(ready, timeout=cap * 1000, polling=50)
        return time.perf_counter() - started
    except Exception as error:  # a timeout: the baseline did not settle within the cap
        if "Timeout" not in type(error).__name__:
            raise
        return None
    finally:
        context.close()


OURS_READY = "() => document.body.dataset.ready === 'true' && !kgViewer.network.physics.physicsEnabled"
BASELINE_READY = "() => window.network !== undefined && window.network.physics.stabilized === true"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--cap", type=float, default=120.0, help="seconds to wait for the baseline to settle")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        for count in args.sizes:
            started = time.perf_counter()
            loaded = load_synthetic(count, folder)
            load_time = time.perf_counter() - started
            ours, theirs = folder / f"kgraph-{count}.html", folder / f"pyvis-{count}.html"
            row = {
                "entities": count,
                "relations": project(loaded).number_of_edges(),
                "load": load_time,
                "build": build_kgraph(loaded, ours),
                "draw": draw(browser, ours, OURS_READY, args.cap),
                "size": ours.stat().st_size,
                "base_build": build_baseline(loaded, theirs),
                "base_draw": draw(browser, theirs, BASELINE_READY, args.cap),
                "base_size": theirs.stat().st_size,
            }
            rows.append(row)
            print(_line(row, args.cap), file=sys.stderr, flush=True)  # noqa: T201 - progress
        browser.close()
    print(_table(rows, args.cap))  # noqa: T201 - the result, as a Markdown table


def _seconds(value: float | None, cap: float) -> str:
    return f"> {cap:.0f} s (cap)" if value is None else f"{value:.2f} s"


def _ratio(base: float | None, ours: float | None, cap: float) -> str:
    if ours is None:
        return "n/a"
    return f"> {cap / ours:.0f}x" if base is None else f"{base / ours:.1f}x"


def _line(row: dict[str, Any], cap: float) -> str:
    return (
        f"{row['entities']} entities: load {row['load']:.1f} s; kgraph build {row['build']:.2f} s, "
        f"draw {_seconds(row['draw'], cap)}; pyvis build {row['base_build']:.2f} s, "
        f"draw {_seconds(row['base_draw'], cap)}"
    )


def _table(rows: list[dict[str, Any]], cap: float) -> str:
    head = (
        "| entities | relations | kgraph: build | kgraph: first draw (settled) | kgraph: file | "
        "pyvis defaults: build | pyvis defaults: settled | pyvis: file | draw, pyvis / kgraph |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    lines = [
        f"| {r['entities']:,} | {r['relations']:,} | {r['build']:.2f} s | {_seconds(r['draw'], cap)} | "
        f"{r['size'] / 1e6:.2f} MB | {r['base_build']:.2f} s | {_seconds(r['base_draw'], cap)} | "
        f"{r['base_size'] / 1e6:.2f} MB | {_ratio(r['base_draw'], r['draw'], cap)} |"
        for r in rows
    ]
    return "\n".join([head, *lines])


if __name__ == "__main__":
    main()
