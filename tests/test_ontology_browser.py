"""exports/ontology.html in a real browser: Debian's Chromium (``apt-get install chromium``) driven by Playwright.

The page is opened from disk beside the viewer's pages, as ``kgraph build`` writes them. Every test records the
requests that are not ``file:`` and the console's errors, and fails on any. No browser is ever downloaded:
``KGRAPH_CHROMIUM`` may name another Chromium binary.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from kgraph.export import ontology
from kgraph.names import local_name
from kgraph.store import LoadedGraph
from kgraph.viewer import render_exports
from kgraph.vocab import KG, ONTOLOGY_GRAPH

# the browser fixture: conftest.py
pytest.importorskip("playwright.sync_api", reason="the test extra (pip install -e '.[test]') has it")


@pytest.fixture(scope="module")
def exports(loaded: LoadedGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    for name, content in render_exports(loaded).items():
        (folder / name).write_bytes(content)
    return folder


@pytest.fixture
def opened(browser: Any) -> Iterator[Any]:
    pages: list[tuple[Any, list[str], list[str]]] = []

    def open_file(path: Path, viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        page = context.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
        page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.resolve().as_uri())
        pages.append((page, requests, errors))
        return page

    yield open_file
    for page, requests, errors in pages:
        assert requests == [], "the page made network requests"
        assert errors == [], "the page logged errors"
        page.context.close()


IN_VIEW = "id => { const r = document.getElementById(id).getBoundingClientRect(); return [r.top, innerHeight]; }"
#: A line is 22.5 px high (15 px at 1.5), so a section may sit half a pixel above the scrolled-to whole pixel.
SUBPIXEL = 1


def test_every_term_has_a_section_and_every_anchor_resolves(opened, exports: Path, loaded: LoadedGraph):
    page = opened(exports / ontology.FILE)
    terms = {
        local_name(s)
        for s in loaded.dataset.graph(ONTOLOGY_GRAPH).subjects(RDF.type, None)
        if isinstance(s, URIRef) and s.startswith(str(KG))
    }
    sections = page.evaluate("() => [...document.querySelectorAll('section.term')].map(s => s.id)")
    assert sorted(sections) == sorted(terms)
    broken = page.evaluate(
        "() => [...document.querySelectorAll('a[href^=\"#\"]')]"
        ".map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))"
    )
    assert broken == []
    assert page.evaluate("() => document.querySelectorAll('a[href^=\"#\"]').length") > 2 * len(terms)


def test_a_link_to_a_term_shows_its_section(opened, exports: Path):
    page = opened(exports / ontology.FILE)
    page.goto((exports / ontology.FILE).resolve().as_uri() + "#Chip")
    top, height = page.evaluate(IN_VIEW, "Chip")
    assert -SUBPIXEL < top < height / 2
    assert page.evaluate("() => document.querySelector(':target').id") == "Chip"
    page.locator("#Chip a[href='#Hardware']").click()
    assert page.evaluate("() => location.hash") == "#Hardware"
    top, height = page.evaluate(IN_VIEW, "Hardware")
    assert -SUBPIXEL < top < height / 2


def test_the_index_links_the_page_and_the_shapes_open(opened, exports: Path):
    page = opened(exports / "index.html")
    page.get_by_role("link", name="The ontology").click()
    page.wait_for_url("**/ontology.html")
    table = page.locator("#unit details table")
    assert not table.is_visible()
    page.locator("#unit details summary").click()
    assert table.is_visible()
    assert "A figure needs exactly one kg:unit" in table.inner_text()


def test_the_page_fits_a_phone(opened, exports: Path):
    page = opened(exports / ontology.FILE, {"width": 390, "height": 844})
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    width, client = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= client
