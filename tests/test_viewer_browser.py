"""The viewer in a real browser: Debian's Chromium (``apt-get install chromium``) driven by Playwright.

Pages are opened from disk (``file:``), as a user double-clicking them would. Every test records the requests
that are not ``file:`` and the JavaScript errors, and fails on any. No browser is ever downloaded:
``KGRAPH_CHROMIUM`` may name another Chromium binary.
"""

from __future__ import annotations

import math
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from conftest import PREFIXES
from kgraph.resources import default_data_dir, default_ontology_dir
from kgraph.store import LoadedGraph, load
from kgraph.viewer.model import select
from kgraph.viewer.page import Context, render_page
from kgraph.viewer.views import render
from kgraph.vocab import KG, KGR
from test_viewer import (
    HOSTILE_DESCRIPTION,
    HOSTILE_LABEL,
    HOSTILE_ZH,
    OWN_SOURCE,
    SECOND_DOCUMENT,
    hostile_graph,
    run,
    stated_relations,
)

# the browser fixture: conftest.py
pytest.importorskip("playwright.sync_api", reason="the test extra (pip install -e '.[test]') has it")

VIEWPORT = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass
class Opened:
    """A page opened from disk, with what it asked for and what went wrong in it."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, argument: object = None) -> Any:
        return self.page.evaluate(expression, argument)

    def click_node(self, node: str) -> None:
        """Click the node on the canvas, where it is drawn, once it stays there for two frames and nothing covers
        it: a point read while the view still moved (going back to an entity moves it) missed the node in CI."""
        deadline = time.monotonic() + 30
        while (
            point := self.js(
                """id => new Promise(done => {
                 const n = kgViewer.network, where = () => n.canvasToDOM(n.getPositions([id])[id]);
                 const first = where();
                 requestAnimationFrame(() => requestAnimationFrame(() => {
                   const then = where(), canvas = document.querySelector("#graph canvas");
                   const box = canvas.getBoundingClientRect();
                   const still = Math.abs(first.x - then.x) < 0.5 && Math.abs(first.y - then.y) < 0.5;
                   const bare = document.elementFromPoint(box.left + then.x, box.top + then.y) === canvas;
                   done(still && bare ? then : null);
                 }));
               })""",
                node,
            )
        ) is None:
            assert time.monotonic() < deadline, f"{node} went on moving, or something covered it"
        box = self.page.locator("#graph canvas").bounding_box()
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    def check_clean(self) -> None:
        assert self.requests == [], "the page made network requests"
        assert self.errors == [], "the page logged errors"
        assert self.dialogs == [], "the page opened dialogs"


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    opened: list[Opened] = []

    def open_file(
        path: Path, viewport: dict[str, int] = VIEWPORT, *, phone: bool = False, fragment: str = "", clock: bool = False
    ) -> Opened:
        context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
        page = context.new_page()
        if clock:  # Playwright's fake clock, before the page's scripts run: it goes as time does until paused
            page.clock.install()
        record = Opened(page)
        page.on("request", lambda r: record.requests.append(r.url) if not r.url.startswith("file:") else None)
        page.on("console", lambda m: record.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: record.errors.append(str(e)))
        page.on("dialog", lambda d: (record.dialogs.append(d.message), d.dismiss()))
        page.goto(path.resolve().as_uri() + fragment)
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        opened.append(record)
        return record

    yield open_file
    for record in opened:
        record.page.context.close()


@pytest.fixture(scope="module")
def main_file(loaded: LoadedGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("viewer") / "graph.html"
    path.write_bytes(render_page(Context(loaded), select(loaded)))
    return path


#: The view, or null while vis-network animates it: an animation moves a step a frame (not by the clock) for as long
#: as its step function listens for redraws, so on a machine too busy to draw a frame in 100 ms a view the same twice
#: could be one not yet moved (a link's zoom read at 0.93, before it began).
VIEW_AT_REST = """() => {
  const network = kgViewer.network, step = network.view.viewFunction;
  if (step && network.listeners("initRedraw").includes(step)) { return null; }
  return [network.getScale(), network.getViewPosition()];
}"""


def wait_for_the_view_to_settle(opened: Opened) -> None:
    """Wait until an animated zoom has ended: no animation under way, and the view the same twice, 100 ms apart."""
    previous = None
    for _ in range(100):
        current = opened.js(VIEW_AT_REST)
        if current is not None and current == previous:
            return
        previous = current
        opened.page.wait_for_timeout(100)
    raise AssertionError("the view kept moving")


def page_of(tmp_path: Path, name: str, turtle: str) -> Path:
    """The viewer's page of a graph of one data file, ``name``.ttl: the project's prefixes and ``turtle``."""
    data = tmp_path / "data"
    data.mkdir()
    (data / f"{name}.ttl").write_text(PREFIXES + turtle, encoding="utf-8")
    loaded = load(data_dir=data, ontology_dir=default_ontology_dir())
    path = tmp_path / f"{name}.html"
    path.write_bytes(render_page(Context(loaded), select(loaded)))
    return path


# ------------------------------------------------------------------------------------------ the whole graph


def test_every_entity_and_relation_is_drawn_offline(open_page, main_file: Path, loaded: LoadedGraph):
    opened = open_page(main_file)
    entities = set(loaded.graph.subjects(RDF.type, KG.Entity))
    counts = opened.js(
        "() => ({nodes: kgViewer.nodes.length, edges: kgViewer.edges.length,"
        " drawnNodes: kgViewer.network.body.nodeIndices.length, drawnEdges: kgViewer.network.body.edgeIndices.length})"
    )
    assert counts == {
        "nodes": len(entities),
        "edges": len(stated_relations(loaded)),
        "drawnNodes": len(entities),
        "drawnEdges": len(stated_relations(loaded)),
    }
    relations = len(stated_relations(loaded))
    assert opened.page.locator("#counts").inner_text() == f"{len(entities)} entities · {relations} relations"
    legend = opened.page.locator("#legend li").all_inner_texts()
    chips = len(set(loaded.graph.subjects(RDF.type, KG.Chip)))
    assert any(text.split() == ["Chip", str(chips)] for text in legend)
    opened.check_clean()


def test_physics_is_off_and_nothing_moves(open_page, main_file: Path):
    opened = open_page(main_file)
    before = opened.js("() => kgViewer.network.getPositions()")
    time.sleep(0.5)
    assert opened.js("() => kgViewer.network.getPositions()") == before
    assert opened.js("() => kgViewer.network.physics.physicsEnabled") is False
    given = opened.js("() => Object.fromEntries(kgViewer.nodes.get().map(n => [n.id, {x: n.x, y: n.y}]))")
    assert before == given
    opened.check_clean()


def test_the_search_box_follows_the_selection_it_made(open_page, main_file: Path):
    """Sony chosen in the search, then Amazon Bedrock followed from its panel: the box still said "Sony" over
    Amazon Bedrock's details, and again once Escape closed them and went back to it; the language switch left it
    in English. The name a choice wrote follows the selection; what is typed stays as typed."""
    opened = open_page(main_file)
    page = opened.page
    box = page.locator("#search")
    page.fill("#search", "Sony")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('details-title')?.textContent === 'Sony'")
    assert box.input_value() == "Sony"
    page.click("#lang-zh")
    assert box.input_value() == "索尼"
    page.locator("#details button.entity", has_text="Amazon Bedrock").first.click()
    page.wait_for_function("id => kgViewer.state.selected === id", arg=str(KGR["amazon-bedrock"]))
    assert box.input_value() == "Amazon Bedrock"
    page.go_back()
    page.wait_for_function("id => kgViewer.state.selected === id", arg=str(KGR.sony))
    assert box.input_value() == "索尼"
    page.locator("#details-title").focus()
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.activeElement.id === 'search'")
    assert box.input_value() == ""
    assert page.locator("#suggestions").is_hidden()
    # typed, not chosen: the box keeps it
    page.fill("#search", "nova")
    opened.click_node(str(KGR.aws))
    page.wait_for_function("id => kgViewer.state.selected === id", arg=str(KGR.aws))
    assert box.input_value() == "nova"
    opened.check_clean()


def test_search_selects_and_focuses_the_entity(open_page, main_file: Path):
    opened = open_page(main_file)
    page = opened.page
    overview = opened.js("() => kgViewer.network.getScale()")
    page.fill("#search", "亚马逊云")  # a Chinese label: 亚马逊云科技 is AWS
    options = page.locator("#suggestions li[data-id]")
    assert options.first.get_attribute("data-id") == str(KGR.aws)
    page.fill("#search", "trainium3")
    assert page.locator("#suggestions li[data-id]").all_inner_texts()[0].startswith("Trainium3")
    page.locator("#suggestions li[data-id]").first.click()
    wait_for_the_view_to_settle(opened)
    assert opened.js("() => kgViewer.network.getSelectedNodes()") == [str(KGR.trainium3)]
    assert page.locator("#details-title").inner_text() == "Trainium3"
    # zoomed in, and the entity sits in the middle of the part of the drawing that the panel leaves free
    assert opened.js("() => kgViewer.network.getScale()") > max(1.05, overview * 1.3)
    point = opened.js("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", str(KGR.trainium3))
    graph = page.locator("#graph").bounding_box()
    panel = page.locator("#details").bounding_box()
    free_width = panel["x"] - graph["x"]
    assert abs(point["x"] - free_width / 2) < 30
    assert abs(point["y"] - graph["height"] / 2) < 30
    # its neighbours keep their colours; everything else fades
    colours = opened.js("() => Object.fromEntries(kgViewer.nodes.get().map(n => [n.id, n.color.background]))")
    assert colours[str(KGR.trainium2)] != colours[str(KGR.nvidia)]
    assert colours[str(KGR.nvidia)] == colours[str(KGR.sony)]
    opened.check_clean()


def test_search_ignores_a_space_beside_chinese_as_the_commands_do(open_page, main_file: Path):
    """kgraph show "AWS 安全代理" finds AWS安全代理; the search box found nothing for it."""
    opened = open_page(main_file)
    for typed in ("AWS 安全代理", "亚马逊\u3000云科技", "\uff21\uff37\uff33 安全"):
        opened.page.fill("#search", typed)
        first = opened.page.locator("#suggestions li[data-id]").first.get_attribute("data-id")
        assert first == str(KGR["aws-security-agent"] if "安全" in typed else KGR.aws), typed
    opened.page.fill("#search", "亞馬遜")  # traditional characters find the simplified label 亚马逊
    assert opened.page.locator("#suggestions li[data-id]").first.get_attribute("data-id") == str(KGR.amazon)
    opened.page.fill("#search", "百時美")
    assert opened.page.locator("#suggestions li[data-id]").first.get_attribute("data-id") == str(
        KGR["bristol-myers-squibb"]
    )
    opened.check_clean()


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Trainium 3", "Trainium3"),
        ("trainium-3", "Trainium3"),
        ("\uff34\uff52\uff41\uff49\uff4e\uff49\uff55\uff4d \uff13", "Trainium3"),  # full-width
        ("Bristol Myers", "Bristol-Myers Squibb"),
        ("agent core", "Amazon Bedrock AgentCore"),
        ("Nova2", "Amazon Nova 2"),
        ("nova 2", "Amazon Nova 2"),
        ("亚马逊-云科技", "AWS"),  # its Chinese label 亚马逊云科技: a word starts at each Chinese character
        ("亞馬遜_雲科技", "AWS"),
        ("亚马逊 云科技", "AWS"),
    ],
)
def test_search_finds_a_name_however_its_words_are_joined(open_page, main_file: Path, typed: str, first: str):
    """The search found nothing for "Trainium 3", "trainium-3", "Bristol Myers", "agent core" or "Nova2", where
    kgraph show suggests Trainium3, Bristol-Myers Squibb, AgentCore and Nova 2: words may be typed together or
    apart, with a space or a hyphen, wherever the name starts a word (a capital, a digit after a letter)."""
    opened = open_page(main_file)
    opened.page.fill("#search", typed)
    names = opened.page.locator("#suggestions li[data-id] .name").all_inner_texts()
    assert names[:1] == [first], names
    opened.check_clean()


def test_search_runs_words_together_only_from_where_a_word_starts(open_page, main_file: Path):
    """Words run together match only from the start of a word, and a space typed only where a word starts: "a2"
    (the end of "Nova" and the 2 of "Nova 2") and "agen tcore" match nothing, though their letters are in those
    names."""
    opened = open_page(main_file)
    for typed in ("a2", "agen tcore", "trainiu m3"):
        opened.page.fill("#search", typed)
        # no match: at most names close to it, offered as such
        assert opened.page.locator("#suggestions li[data-id]:not(.close)").count() == 0, typed
    opened.page.fill("#search", "trainium 3")  # the name itself first, then one it starts
    names = opened.page.locator("#suggestions li[data-id] .name").all_inner_texts()
    assert names == ["Trainium3", "Trainium3 UltraServer"]
    opened.check_clean()


@pytest.mark.parametrize(
    ("typed", "meant"), [("Adobee", "adobe"), ("Kiroa", "kiro"), ("AWSS", "aws"), ("Sonye", "sony"), ("Nova2", None)]
)
def test_a_name_with_one_letter_too_many_is_taken_for_a_misspelling(open_page, main_file: Path, typed, meant):
    """A letter too many ran into the next word of a longer name: "Adobee" offered only Adobe Experience Platform
    ("Adobe" + "e(xperience)"), and Enter opened it; "Kiroa" Kiro autonomous agent, "AWSS" AWS Security Agent. Such
    a match, one letter into a word not typed apart, is left to the close names, the meant one first. A typed name
    that ends where a word ends still matches ("Nova2": Nova 2 Lite, ...)."""
    opened = open_page(main_file)
    opened.page.fill("#search", typed)
    if meant is None:
        assert opened.page.locator("#suggestions li[data-id]:not(.close)").count() > 1
        assert opened.page.locator("#suggestions li.close").count() == 0
        return
    assert opened.page.locator("#suggestions li.empty").first.inner_text() == "No entity matches; did you mean:"
    opened.page.keyboard.press("Enter")
    assert opened.js("() => kgViewer.state.selected") == str(KGR[meant])
    opened.check_clean()


@pytest.mark.parametrize("typed", ["trainum", "bedrok", "Nvidai", "Sonny", "亚马孙", "Adobee", "Kiroa", "AWSS"])
def test_a_misspelt_search_offers_the_names_kgraph_show_suggests(
    open_page, main_file: Path, loaded: LoadedGraph, typed: str
):
    """A name misspelt in the search box ("trainum", "bedrok") said only "No entity matches", where kgraph show
    says "did you mean: Trainium, ...": the box now offers the entities of the close names, below a line that says
    they are no match, and Enter picks the closest."""
    from kgraph import names  # noqa: PLC0415
    from kgraph.errors import KGraphError, NotFoundError  # noqa: PLC0415

    with pytest.raises(NotFoundError) as raised:
        names.find(loaded, typed)
    suggested = set()
    for name in raised.value.suggestions:
        try:
            suggested.add(names.find(loaded, name, suggesting=False))
        except KGraphError:  # a name two things share
            continue
    assert suggested, typed
    opened = open_page(main_file)
    opened.page.fill("#search", typed)
    assert opened.page.locator("#suggestions li.empty").first.inner_text() == "No entity matches; did you mean:"
    offered = opened.page.locator("#suggestions li[data-id].close").evaluate_all("l => l.map(x => x.dataset.id)")
    assert 0 < len(offered) <= 6
    assert {URIRef(iri) for iri in offered} & suggested, (typed, offered, suggested)
    opened.page.keyboard.press("Enter")
    assert opened.js("() => kgViewer.state.selected") == offered[0]
    opened.page.click("#lang-zh")
    opened.page.fill("#search", "xyzzy")  # nothing close: the line as before
    assert opened.page.locator("#suggestions li").all_inner_texts() == ["没有匹配的实体"]
    opened.check_clean()


def test_search_and_kgraph_show_find_a_chinese_name_with_a_separator_between_any_two_characters(
    open_page, main_file: Path, loaded: LoadedGraph
):
    """Each Chinese label of the page, with a hyphen typed between two of its Chinese characters, finds its entity
    in the search box and in ``kgraph show`` alike (a word starts at each Chinese character in both): 亚马逊-云科技
    found nothing in either."""
    from kgraph import names  # noqa: PLC0415

    opened = open_page(main_file)
    labels = opened.js("() => kgViewer.nodes.get().map(n => [n.id, n.labels[1]])")
    tried = 0
    for iri, text in labels:
        pairs = [i for i in range(1, len(text or "")) if all("\u4e00" <= c <= "\u9fff" for c in text[i - 1 : i + 1])]
        if not pairs:
            continue
        typed = text[: pairs[len(pairs) // 2]] + "-" + text[pairs[len(pairs) // 2] :]
        assert names.find(loaded, typed) == URIRef(iri), typed
        opened.page.fill("#search", typed)
        assert iri in opened.page.locator("#suggestions li[data-id]").evaluate_all(
            "items => items.map(i => i.getAttribute('data-id'))"
        ), typed
        tried += 1
    assert tried > 20, tried
    opened.check_clean()


KANA = """\
@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix kgr: <https://w3id.org/kgraph/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
kgr:amazon-jp a kg:Company ; rdfs:label "Amazon Japan"@en ; skos:altLabel "アマゾン"@ja .
kgr:tokyo-tower a kg:Company ; rdfs:label "Tokyo Tower"@en ; skos:altLabel "東京タワー"@ja .
kgr:sugoi a kg:Chip ; rdfs:label "Sugoi"@en ; skos:altLabel "すごーいチップ"@ja .
kgr:bezos a kg:Person ; rdfs:label "Jeff Bezos"@en ; skos:altLabel "ジェフ・ベゾス"@ja .
"""


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("アマ-ゾン", None),  # a hyphen inside a word of katakana, as Ama-zon in Amazon
        ("タ-ワー", None),
        ("すご-ーいチップ", None),  # ー goes on the hiragana before it
        ("東-京-タワー", "tokyo-tower"),  # each kanji starts a word, and so does the katakana after them
        ("すごーい-チップ", "sugoi"),
        ("アマゾン", "amazon-jp"),
        ("ジェフ ベゾス", "bezos"),  # ・ separates the words of a name, and a space beside kana is none
        ("ジェフベゾス", "bezos"),
        ("ジェフ・ベゾス", "bezos"),
    ],
)
def test_search_and_kgraph_show_take_a_run_of_kana_as_one_word(open_page, tmp_path, typed: str, meant: str | None):
    """Each kana started a word, as a Chinese character does, in the search box and in kgraph show alike: アマ-ゾン
    found アマゾン, where Ama-zon does not find Amazon. A run of hiragana or of katakana is now one word."""
    from kgraph import names  # noqa: PLC0415
    from kgraph.errors import NotFoundError  # noqa: PLC0415

    data = tmp_path / "data"
    data.mkdir()
    (data / "kana.ttl").write_text(KANA, encoding="utf-8")
    loaded = load(data_dir=data, ontology_dir=default_ontology_dir())
    if meant is None:
        with pytest.raises(NotFoundError):
            names.find(loaded, typed, suggesting=False)
    else:
        assert names.find(loaded, typed) == KGR[meant]
    path = tmp_path / "kana.html"
    path.write_bytes(render_page(Context(loaded), select(loaded)))
    opened = open_page(path)
    opened.page.fill("#search", typed)
    found = opened.page.locator("#suggestions li[data-id]:not(.close)").evaluate_all("l => l.map(x => x.dataset.id)")
    assert found == ([str(KGR[meant])] if meant else []), typed
    opened.check_clean()


def test_the_search_says_how_many_more_entities_match(open_page, main_file: Path, loaded: LoadedGraph):
    """The search shows twelve suggestions and said nothing of the others: on a page of 1,747 chips, "Chip 1"
    looked like twelve chips, where 182 match."""
    opened = open_page(main_file)
    names = (RDFS.label, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))
    matching = {
        entity
        for entity in loaded.graph.subjects(RDF.type, KG.Entity)
        if "agent" in str(entity).rsplit("/", 1)[1].lower()
        or any("agent" in str(name).lower() for p in names for name in loaded.graph.objects(entity, p))
    }
    assert len(matching) > 12, "no more than twelve entities match: nothing tested"
    opened.page.fill("#search", "agent")
    assert opened.page.locator("#suggestions li[data-id]").count() == 12
    assert (
        opened.page.locator("#suggestions li.more").inner_text() == f"{len(matching) - 12} more: type more of the name"
    )
    opened.page.click("#lang-zh")
    opened.page.fill("#search", "agent")
    assert opened.page.locator("#suggestions li.more").inner_text().startswith(f"另有 {len(matching) - 12} 个")
    last = opened.page.locator("#suggestions li[data-id]").last.get_attribute("data-id")
    for _ in range(12):  # the line is no suggestion: down from the box, the twelfth press reaches the last
        opened.page.keyboard.press("ArrowDown")
    opened.page.keyboard.press("Enter")
    assert opened.js("() => kgViewer.state.selected") == last
    opened.page.fill("#search", "agentcore")  # fewer than twelve: no such line
    assert 0 < opened.page.locator("#suggestions li[data-id]").count() <= 12
    assert opened.page.locator("#suggestions li.more").count() == 0
    opened.check_clean()


@pytest.mark.parametrize(("key", "which"), [("ArrowUp", -1), ("ArrowDown", 0)])
def test_an_arrow_key_from_the_search_box_goes_to_the_first_or_last_suggestion(
    open_page, main_file: Path, key: str, which: int
):
    """↑ from the search box went to the last suggestion but one: with Trainium, Trainium2 ... Trainium3
    UltraServer suggested, ↑ and Enter picked Trainium4."""
    opened = open_page(main_file)
    opened.page.fill("#search", "trainium")
    suggested = opened.page.locator("#suggestions li[data-id]").evaluate_all("l => l.map(x => x.dataset.id)")
    assert len(suggested) > 2, "too few suggestions: nothing tested"
    opened.page.keyboard.press(key)
    opened.page.keyboard.press("Enter")
    assert opened.js("() => kgViewer.state.selected") == suggested[which]
    opened.check_clean()


def test_enter_acts_only_on_the_suggestions_shown_for_what_the_box_holds(open_page, main_file: Path):
    """Enter in a search box emptied, or with its suggestions closed, picked a suggestion of an earlier search: "sony"
    typed, then four Backspaces and Enter selected Sony; "trainium", Escape and Enter, Trainium."""
    opened = open_page(main_file)
    page = opened.page
    page.click("#search")
    page.keyboard.type("sony")
    assert page.locator("#suggestions li[data-id]").count() > 0
    for _ in range(4):
        page.keyboard.press("Backspace")
    page.keyboard.press("Enter")
    assert opened.js(SELECTED) == []
    assert page.locator("#details").is_hidden()
    page.keyboard.type("   ")  # blank: nothing to find
    page.keyboard.press("Enter")
    assert opened.js(SELECTED) == []
    page.fill("#search", "trainium")
    assert page.locator("#suggestions li[data-id]").count() > 0
    page.keyboard.press("Escape")
    assert page.locator("#suggestions").is_hidden()
    assert page.locator("#suggestions li").count() == 0, "a list closed keeps no suggestion to pick"
    page.keyboard.press("Enter")
    assert opened.js(SELECTED) == []
    assert page.locator("#details").is_hidden()
    # typed again, the suggestions are back, and Enter picks the first
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    assert opened.js(SELECTED) == [str(KGR.trainium3)]
    opened.check_clean()


#: The element focused, whether it shows that it is (:focus-visible), and the style of its outline
FOCUS_SEEN = """() => { const e = document.activeElement;
  return [e.id, e.matches(':focus-visible'), getComputedStyle(e).outlineStyle]; }"""


@pytest.mark.parametrize("phone", [False, True], ids=["mouse", "finger"])
def test_a_suggestion_picked_with_the_mouse_leaves_no_focus_ring_on_the_panel(open_page, main_file: Path, phone: bool):
    """A suggestion clicked moved the focus to the panel's title, which showed the focus's ring, as if reached with
    the keyboard: Chromium marks a focus moved by a script from the search box, whose focus is always seen, as
    seen. Enter still moves the focus to the panel, seen, so that the next Tab reaches its links."""
    opened = open_page(main_file, PHONE if phone else VIEWPORT, phone=phone)
    page = opened.page
    page.fill("#search", "trainium3")
    first = page.locator("#suggestions li[data-id]").first
    first.tap() if phone else first.click()
    assert opened.js(SELECTED) == [str(KGR.trainium3)]
    assert opened.js(FOCUS_SEEN) == ["details-title", False, "none"]
    page.click("#search")
    page.keyboard.type("trainium2")
    page.keyboard.press("Enter")
    assert opened.js(SELECTED) == [str(KGR.trainium2)]
    assert opened.js(FOCUS_SEEN) == ["details-title", True, "solid"]
    opened.check_clean()


def test_unticking_a_class_hides_exactly_its_nodes(open_page, main_file: Path, loaded: LoadedGraph):
    opened = open_page(main_file)
    chips = {str(s) for s in loaded.graph.subjects(RDF.type, KG.Chip)}
    hidden = "() => kgViewer.nodes.get({filter: n => n.hidden}).map(n => n.id).sort()"
    opened.page.locator('#legend input[data-id="kg:Chip"]').uncheck()
    assert set(opened.js(hidden)) == chips
    assert opened.js("() => kgViewer.network.body.nodeIndices.length") == 102 - len(chips)
    hidden_edges = opened.js("() => kgViewer.edges.get({filter: e => e.hidden}).map(e => [e.from, e.to])")
    assert hidden_edges and all(a in chips or b in chips for a, b in hidden_edges)
    assert opened.page.locator("#counts").inner_text().startswith(f"showing {102 - len(chips)} of 102 entities")
    opened.page.locator('#legend input[data-id="kg:Chip"]').check()
    assert opened.js(hidden) == []
    opened.page.locator('#relation-filter input[data-id="kg:developedBy"]').uncheck()
    rels = opened.js("() => [...new Set(kgViewer.edges.get({filter: e => e.hidden}).map(e => e.rel))]")
    assert rels == ["kg:developedBy"]
    assert opened.js(hidden) == []
    opened.page.locator('.bulk button[data-bulk="classes"][data-value="off"]').click()
    assert len(opened.js(hidden)) == 102
    opened.page.click("#reset")
    assert opened.js(hidden) == []
    assert opened.js("() => kgViewer.edges.get({filter: e => e.hidden}).length") == 0
    opened.check_clean()


LOOKS = """() => ({
    nodes: Object.fromEntries(kgViewer.nodes.get().map(n => [n.id, JSON.stringify([n.color, n.font, n.hidden])])),
    edges: Object.fromEntries(kgViewer.edges.get().map(e => [e.id,
                                                             JSON.stringify([e.color, e.font, e.width, e.hidden])]))
})"""
COUNT_UPDATES = """() => { window.updated = {nodes: 0, edges: 0};
    kgViewer.nodes.on("update", (_event, props) => { window.updated.nodes += props.items.length; });
    kgViewer.edges.on("update", (_event, props) => { window.updated.edges += props.items.length; }); }"""


def test_a_click_restyles_only_what_it_changes(open_page, main_file: Path, loaded: LoadedGraph):
    """Each selection, closing and filter updated every node and edge of the drawing, and vis-network pays for each:
    on a page of 4,405 entities and 9,694 relations a click on the next entity took 2 s, a relation's box 2 to 3 s.
    Only what changes is updated now, and the drawing is the same."""
    opened = open_page(main_file)
    relations = len(stated_relations(loaded))
    opened.js(COUNT_UPDATES)
    opened.js("id => kgViewer.select(id, false)", str(KGR.trainium3))
    opened.js("() => { window.updated = {nodes: 0, edges: 0}; }")
    opened.js("id => kgViewer.select(id, false)", str(KGR.trainium2))
    updated = opened.js("() => window.updated")
    assert 0 < updated["nodes"] < 20 and 0 < updated["edges"] < 20, updated
    looks = opened.js(LOOKS)
    opened.js("() => { window.updated = {nodes: 0, edges: 0}; }")
    opened.page.locator("#relation-filter input").first.uncheck()  # developed by: its edges, and AWS
    updated = opened.js("() => window.updated")
    # AWS, joined to Trainium2 by "developed by" only, fades with the line
    assert updated["nodes"] == 1 and 0 < updated["edges"] < relations, updated
    filtered = opened.js(LOOKS)
    # the same looks as a page that selected Trainium2 (and unticked the box) at once
    fresh = open_page(main_file, fragment="#trainium2")
    assert fresh.js(LOOKS) == looks
    fresh.page.locator("#relation-filter input").first.uncheck()
    assert fresh.js(LOOKS) == filtered
    opened.check_clean()
    fresh.check_clean()


def test_the_panel_names_no_entity_also_known_as_its_own_name(open_page, main_file: Path, loaded: LoadedGraph):
    """Sony's Chinese alternative label is "Sony": its panel said "Also known as: Sony" under the name Sony, and
    AWS's "Also known as: Amazon Web Services, AWS". The other names are those that are not its labels, once."""
    skos = "http://www.w3.org/2004/02/skos/core#altLabel"
    opened = open_page(main_file)
    for entity in (KGR.sony, KGR.aws, KGR["bristol-myers-squibb"]):
        labels = {str(v) for v in loaded.graph.objects(entity, RDFS.label)}
        alt = sorted({str(v) for v in loaded.graph.objects(entity, URIRef(skos))} - labels)
        assert {str(v) for v in loaded.graph.objects(entity, URIRef(skos))} & labels, "no alt label is a label"
        for lang in ("en", "zh"):
            opened.js("l => kgViewer.setLanguage(l)", lang)
            opened.js("id => kgViewer.select(id, false)", str(entity))
            terms = opened.page.locator("#details .names dt").all_inner_texts()
            values = opened.page.locator("#details .names dd").all_inner_texts()
            shown = dict(zip(terms, values, strict=True))
            also = shown.get("Also known as" if lang == "en" else "别名")
            assert sorted(also.split(", ") if also else []) == alt, (entity, lang, shown)
    opened.check_clean()


def test_details_panel_shows_relations_figures_and_provenance(open_page, main_file: Path, tmp_path: Path):
    opened = open_page(main_file)
    page = opened.page
    opened.click_node(str(KGR.trainium3))
    panel = page.locator("#details")
    assert panel.is_visible()
    assert page.locator("#details .type").inner_text() == "Chip"
    assert page.locator("#details-title").inner_text() == "Trainium3"
    text = panel.inner_text()
    assert "The Trainium AI chip after Trainium2" in text
    out = page.locator("#details .relations-out li").all_inner_texts()
    assert any(line.startswith("succeeds → Trainium2") for line in out)
    assert any(line.startswith("developed by → AWS") for line in out)
    assert any(
        line.startswith("succeeds ← Trainium4") for line in page.locator("#details .relations-in li").all_inner_texts()
    )
    figures = page.locator("#details .figure").all_inner_texts()
    compute = next(f for f in figures if f.startswith("Trainium3 compute vs Trainium2"))
    assert "\n4.4 x\n" in compute  # not "4.4 x (times)": the value says its unit
    assert "compared with: Trainium2" in compute
    sources = page.locator("#details .sources li").all_inner_texts()
    assert "3. AI infrastructure 05:30 - 15:00" in sources
    page.screenshot(path=str(tmp_path / "details.png"))
    assert (tmp_path / "details.png").stat().st_size > 50_000
    # a related entity is one click away
    page.locator(f'#details .relations-out button[data-id="{KGR.trainium2}"]').click()
    assert opened.js("() => kgViewer.network.getSelectedNodes()") == [str(KGR.trainium2)]
    assert page.locator("#details-title").inner_text() == "Trainium2"
    page.locator("#details .close").click()
    assert not panel.is_visible()
    assert opened.js("() => kgViewer.network.getSelectedNodes()") == []
    opened.check_clean()


def test_the_panel_lists_relations_by_relation_then_name(open_page, main_file: Path):
    """The panel listed an entity's relations in the order of its edges: Amazon Bedrock's 17 in came as built on,
    uses, part of, part of, added to x10, uses, built on. They are grouped by relation as kgraph show groups them."""
    opened = open_page(main_file)
    page = opened.page
    opened.click_node(str(KGR["amazon-bedrock"]))
    lines = page.locator("#details .relations-in li").all_inner_texts()
    keys = [(relation, re.sub(r"(\s*§\d+)+$", "", name)) for relation, name in (line.split(" ← ") for line in lines)]
    assert len(keys) > 10
    assert keys == sorted(keys), keys
    assert len({relation for relation, _ in keys}) < len(keys)  # a relation more than once: its lines together
    opened.check_clean()


def test_a_name_matched_mid_word_is_offered_only_when_none_matches_at_a_word(open_page, main_file: Path):
    """`nova` offered "Open innovation platforms" after the Nova models (in-nova-tion), where the README says a typed
    name matches where a name's word starts; such a match is kept for when no name matches at a word."""
    opened = open_page(main_file)
    page = opened.page
    page.fill("#search", "nova")
    page.wait_for_timeout(150)
    names = page.locator("#suggestions li .name").all_inner_texts()
    assert names and all("Nova" in name for name in names), names
    page.fill("#search", "novation")
    page.wait_for_timeout(150)
    assert "Open innovation platforms" in page.locator("#suggestions li .name").all_inner_texts()
    opened.check_clean()


def test_details_panel_counts_the_figures_about_what_it_develops(open_page, main_file: Path):
    """The panel of Adobe showed no figures, as kgraph show Adobe did before it said how many are about what Adobe
    develops: the panel says it too, in both languages, after the organization's own figures."""
    opened = open_page(main_file)
    page = opened.page
    opened.js("id => kgViewer.select(id, false)", str(KGR.adobe))
    assert page.locator("#details .figures h3").text_content() == "Figures"  # shown in capitals
    assert page.locator("#details .figures .made").inner_text() == "3 figures about what it develops"
    opened.js("l => kgViewer.setLanguage(l)", "zh")
    assert page.locator("#details .figures .made").inner_text() == "其开发的产品有3个数据指标"
    opened.js("l => kgViewer.setLanguage(l)", "en")
    opened.js("id => kgViewer.select(id, false)", str(KGR.aws))
    assert page.locator("#details .figures h3").text_content() == "Figures (5)"  # its own, Graviton's share among them
    assert page.locator("#details .figures > *").last.inner_text() == "32 figures about what it develops"
    opened.js("id => kgViewer.select(id, false)", str(KGR.writer))
    assert page.locator("#details .figures .made").count() == 0
    opened.check_clean()


def test_language_toggle_switches_labels_and_panel(open_page, main_file: Path):
    opened = open_page(main_file)
    page = opened.page
    label = "id => kgViewer.nodes.get(id).label"
    assert opened.js(label, str(KGR.aws)) == "AWS"
    opened.click_node(str(KGR.aws))
    page.click("#lang-zh")
    assert opened.js(label, str(KGR.aws)) == "亚马逊云科技"
    assert opened.js("() => kgViewer.edges.get({filter: e => e.rel === 'kg:succeeds'})[0].label") == "继任"
    assert page.locator("#details-title").inner_text() == "亚马逊云科技"
    assert page.locator("#details .type").inner_text() == "公司"
    assert "出向关系" in page.locator("#details").inner_text()
    assert any(t.split() == ["芯片", "5"] for t in page.locator("#legend li").all_inner_texts())
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.title() == "整个图谱"
    page.click("#lang-en")
    assert opened.js(label, str(KGR.aws)) == "AWS"
    assert page.locator("#details-title").inner_text() == "AWS"
    opened.check_clean()


def test_the_other_language_keeps_the_entities_faded_that_the_selection_faded(open_page, main_file: Path):
    """With Trainium3 selected, the entities it does not touch are faded; a click on 中文 drew them in their full
    colours again (their names stayed pale), and so did the way back to English."""
    opened = open_page(main_file, fragment="#trainium3")
    fill = "id => kgViewer.network.body.nodes[id].options.color.background"
    faded, near = opened.js(fill, str(KGR.github)), opened.js(fill, str(KGR.trainium2))
    assert faded != near
    for lang in ("zh", "en"):
        opened.page.click(f"#lang-{lang}")
        assert (opened.js(fill, str(KGR.github)), opened.js(fill, str(KGR.trainium2))) == (faded, near), lang
    opened.check_clean()


def test_the_chinese_panel_gives_units_in_chinese(open_page, main_file: Path):
    """The Chinese panel gave units as the data's English abbreviations: `之前: 18 mo`, `4.4 x (倍)`."""
    opened = open_page(main_file, fragment="#kiro&lang=zh")
    duration = opened.page.locator("#details .figure").filter(has_text="重构项目时间")
    assert duration.locator(".figure-value").inner_text() == "最多 76天"  # not "76天 (天)": said once
    assert "此前数值: 18个月" in duration.inner_text()
    opened.page.click("#lang-en")
    duration = opened.page.locator("#details .figure").filter(has_text="refactoring project")
    assert duration.locator(".figure-value").inner_text() == "up to 76 d"  # not "76 d (day)": said once
    assert "value before: 18 mo" in duration.inner_text()
    opened.js("id => kgViewer.select(id)", str(KGR.trainium3))
    opened.page.click("#lang-zh")
    values = opened.page.locator("#details .figure-value").all_inner_texts()
    assert "4.4倍" in values and "3纳米" in values
    opened.check_clean()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_figure_says_its_unit_once(open_page, main_file: Path, lang: str):
    """Kiro's figures read "up to 76 d (day)" and "1 yr (year)", Trainium3's "3 nm (nanometre)": the unit's name
    is added after a value only where the value does not end with the unit's symbol (its skos:notation), so only a
    count, which has none, says its unit ("6 (count)")."""
    opened = open_page(main_file, fragment="" if lang == "en" else "#lang=zh")
    values = opened.js(
        """() => kgViewer.nodes.getIds().flatMap(id => {
          kgViewer.select(id);
          return [...document.querySelectorAll('#details .figure-value')].map(v => v.innerText);
        })"""
    )
    assert len(values) > 30
    for text in values:
        assert re.fullmatch(r"[^()]*( \((count|数量)\))?", text), text
    said = {"up to 76 d", "1 yr", "3 nm", "4.4 x", "6 (count)"}
    assert said <= set(values) if lang == "en" else {"最多 76天", "1年", "3纳米", "4.4倍", "6 (数量)"} <= set(values)
    opened.check_clean()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_rate_says_its_period_as_kgraph_show_does(open_page, main_file: Path, loaded: LoadedGraph, lang: str):
    """A rate's value lost its period: Amazon S3's read "more than 200,000,000 (count)", and a row under it "per
    period: second", where kgraph show says "more than 200,000,000 per second" (超过 200,000,000/秒)."""
    rates = sorted(loaded.graph.subjects(KG.perPeriod, None))
    assert len(rates) >= 6, "too few rates: nothing tested"
    opened = open_page(main_file, fragment="" if lang == "en" else "#lang=zh")
    for rate in rates:
        entity = loaded.graph.value(rate, KG.figureOf)
        shown = run("show", "--lang", lang, str(entity)).output.splitlines()
        label = str(loaded.graph.value(rate, RDFS.label))
        at = next(i for i, line in enumerate(shown) if line.strip().endswith(f"(kgf:{rate.rsplit('/', 1)[1]})"))
        said = shown[at + 1].split(":", 1)[1].strip()  # value: more than 200,000,000 per second
        assert ("per " if lang == "en" else "/") in said, shown[at + 1]
        opened.js("id => kgViewer.select(id)", str(entity))
        figure = opened.page.locator("#details .figure").filter(has=opened.page.locator(".figure-value", has_text=said))
        assert figure.count() == 1, (label, said)
        value = figure.locator(".figure-value").inner_text()
        assert value in (said, f"{said} (count)", f"{said} (数量)"), value
        assert "per period" not in figure.inner_text() and "统计周期" not in figure.inner_text()
    opened.check_clean()


def test_fit_shows_every_node(open_page, main_file: Path, tmp_path: Path):
    opened = open_page(main_file)
    page = opened.page
    page.mouse.move(700, 450)
    page.mouse.wheel(0, -1500)  # zoom in
    page.wait_for_timeout(300)
    page.click("#fit")
    wait_for_the_view_to_settle(opened)
    graph = page.locator("#graph").bounding_box()
    points = opened.js("() => Object.values(kgViewer.network.getPositions()).map(p => kgViewer.network.canvasToDOM(p))")
    assert all(0 <= p["x"] <= graph["width"] and 0 <= p["y"] <= graph["height"] for p in points)
    page.screenshot(path=str(tmp_path / "graph.png"))
    assert (tmp_path / "graph.png").stat().st_size > 50_000
    opened.check_clean()


VIEW = "() => [kgViewer.network.getScale(), kgViewer.network.getViewPosition()]"
FLAT_VIEW = "() => { const p = kgViewer.network.getViewPosition(); return [kgViewer.network.getScale(), p.x, p.y]; }"


def test_the_keys_move_and_zoom_the_drawing_it_has_the_focus(open_page, main_file: Path):
    """The drawing had no key: the arrow keys now move it, + and - zoom, 0 fits, once it has the focus (a click,
    or Tab), and only then: in the search box the arrows go through the suggestions and + is typed."""
    opened = open_page(main_file)
    page = opened.page
    drawing = page.locator("#graph .vis-network")
    page.mouse.click(700, 60)  # an empty place of the drawing
    assert opened.js("() => document.activeElement.classList.contains('vis-network')")
    scale, start = opened.js(VIEW)

    def after(key: str) -> tuple[float, dict[str, float]]:
        page.keyboard.press(key)
        wait_for_the_view_to_settle(opened)
        return tuple(opened.js(VIEW))  # type: ignore[return-value]

    moved = after("ArrowRight")[1]
    assert moved["x"] > start["x"] + 50 and moved["y"] == pytest.approx(start["y"])  # a sixth of the window
    moved = after("ArrowDown")[1]
    assert moved["y"] > start["y"] + 50
    assert after("ArrowLeft")[1]["x"] == pytest.approx(start["x"])
    assert after("+")[0] == pytest.approx(scale * 1.25, rel=0.05)
    assert after("-")[0] == pytest.approx(scale, rel=0.05)
    assert after("=")[0] > scale * 1.1  # + without Shift
    after("0")
    fitted = opened.js(FLAT_VIEW)
    page.click("#fit")
    wait_for_the_view_to_settle(opened)
    assert opened.js(FLAT_VIEW) == pytest.approx(fitted)
    # in the search box the keys are its own, and the mouse over the drawing leaves the focus there
    page.fill("#search", "Trainium")
    page.mouse.move(700, 300)
    for key in ("ArrowDown", "ArrowRight", "+", "0"):
        page.keyboard.press(key)
    page.wait_for_timeout(300)
    assert opened.js(FLAT_VIEW) == pytest.approx(fitted)
    assert opened.js("() => document.activeElement.id") == "search"
    assert page.locator("#search").input_value() == "Trainium+0"
    assert drawing.get_attribute("aria-label") == "Graph: the arrow keys move it, + and - zoom, 0 fits"
    page.click("#lang-zh")
    assert drawing.get_attribute("aria-label") == "图谱：方向键移动，+ 和 - 缩放，0 适应窗口"  # noqa: RUF001
    opened.check_clean()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_first_tab_offers_to_skip_to_the_drawing(open_page, loaded: LoadedGraph, tmp_path: Path, lang: str):
    """The drawing, which the keys move, came after some fifty filter boxes in the order of Tab (56 presses on the
    bundled graph). A link first in that order, seen only once it has the focus, gives the drawing the focus,
    and leaves the page's address (its state) as it was."""
    path = tmp_path / f"graph-{lang}.html"
    path.write_bytes(render_page(Context(loaded), select(loaded), lang=lang))
    opened = open_page(path, fragment="#aws")
    page = opened.page
    skip = page.locator("#skip")
    assert skip.bounding_box()["width"] <= 1  # out of sight until reached
    page.keyboard.press("Tab")
    assert opened.js("() => document.activeElement.id") == "skip"
    box = skip.bounding_box()
    assert box["width"] > 50 and box["height"] > 15 and box["x"] >= 0 and box["y"] >= 0
    middle = f"() => document.elementFromPoint({box['x'] + box['width'] / 2}, {box['y'] + box['height'] / 2}).id"
    assert opened.js(middle) == "skip"  # drawn over the page, not under it
    texts = {"en": "Skip to the graph", "zh": "跳到图谱"}
    assert skip.inner_text() == texts[lang]
    page.keyboard.press("Enter")
    assert opened.js("() => document.activeElement.classList.contains('vis-network')")
    assert opened.js("() => location.hash") == "#aws"
    assert opened.js("() => kgViewer.network.getSelectedNodes()") == [str(KGR.aws)]
    wait_for_the_view_to_settle(opened)
    start = opened.js(VIEW)[1]
    page.keyboard.press("ArrowRight")
    wait_for_the_view_to_settle(opened)
    assert opened.js(VIEW)[1]["x"] > start["x"] + 50  # the keys of the drawing work from there
    other = "zh" if lang == "en" else "en"
    page.click(f"#lang-{other}")
    assert skip.text_content() == texts[other]
    opened.check_clean()


@pytest.mark.parametrize("size", [VIEWPORT, PHONE], ids=["desktop", "phone"])
def test_fit_with_the_panel_open_shows_every_node_beside_it(open_page, main_file: Path, size: dict[str, int]):
    """With the details panel open, Fit fitted the drawing to the whole of it, panel and all: on a desktop a third
    of the entities lay under the panel, on a phone every one of them, and Fit seemed to do nothing."""
    opened = open_page(main_file, size, phone=size is PHONE, fragment="#aws")
    page = opened.page
    wait_for_the_view_to_settle(opened)
    page.click("#fit")
    wait_for_the_view_to_settle(opened)
    assert page.locator("#details").is_visible()
    graph = page.locator("#graph").bounding_box()
    panel = page.locator("#details").bounding_box()
    points = opened.js("() => Object.values(kgViewer.network.getPositions()).map(p => kgViewer.network.canvasToDOM(p))")
    inside = [0 <= p["x"] <= graph["width"] and 0 <= p["y"] <= graph["height"] for p in points]
    under = [
        panel["x"] <= graph["x"] + p["x"] <= panel["x"] + panel["width"]
        and panel["y"] <= graph["y"] + p["y"] <= panel["y"] + panel["height"]
        for p in points
    ]
    assert all(inside), "Fit left entities out of the drawing"
    assert not any(under), f"{sum(under)} of {len(points)} entities under the panel after Fit"
    opened.check_clean()


CHAIN = """\
@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix kgr: <https://w3id.org/kgraph/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgr:acme a kg:Company ; rdfs:label "Acme"@en , "阿克米"@zh ; kg:uses kgr:widget .
kgr:widget a kg:Service ; rdfs:label "Widget"@en , "小部件"@zh ; kg:developedBy kgr:foo .
kgr:foo a kg:Company ; rdfs:label "Foo"@en , "福"@zh .
"""


@pytest.mark.parametrize("focus", [None, KGR.acme], ids=["whole graph", "focus on the chain"])
def test_a_chain_of_three_is_drawn_at_a_readable_size(open_page, tmp_path: Path, focus):
    """A chain of three entities (here beside the bundled graph) was laid out millions of pixels wide: the page
    opened at a scale of 0.0002, a white canvas, and Fit could not help."""
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    (data / "99-chain.ttl").write_text(CHAIN, encoding="utf-8")
    loaded = load(data_dir=data, ontology_dir=default_ontology_dir())
    path = tmp_path / "chain.html"
    path.write_bytes(render_page(Context(loaded), select(loaded, focus=focus, depth=2)))
    opened = open_page(path)
    wait_for_the_view_to_settle(opened)
    assert opened.js("() => kgViewer.network.getScale()") > 0.1
    extent = opened.js("() => Math.max(...Object.values(kgViewer.network.getPositions()).map(p => Math.abs(p.x)))")
    assert extent < 20_000
    opened.check_clean()


def test_many_unconnected_entities_fill_the_window_with_their_names_readable(open_page, tmp_path: Path):
    """Entities with no relation between them (`kgraph viz --type Company` on a generated graph: 962 companies)
    were packed in rows of 600 pixels, a column 50 times as high as wide: fitted to the window, the nodes were
    specks down its middle and no name was drawn."""
    lines = [f'kgr:firm-{i} a kg:Company ; rdfs:label "Firm {i}"@en , "公司{i}"@zh .' for i in range(200)]
    opened = open_page(page_of(tmp_path, "firms", "\n".join(lines) + "\n"))
    drawn = opened.js(
        """() => { const n = kgViewer.network, ids = n.body.nodeIndices, scale = n.getScale();
                   const xs = ids.map(id => n.canvasToDOM(n.getPositions([id])[id]).x);
                   const named = ids.filter(id => n.body.nodes[id].options.font.size * scale >= 7);
                   return {nodes: ids.length, named: named.length, wide: (Math.max(...xs) - Math.min(...xs)) /
                           n.canvas.frame.clientWidth}; }"""
    )
    assert drawn["nodes"] == 200
    assert drawn["wide"] > 0.6, "the entities take a strip of the window"
    assert drawn["named"] == 200, "names too small to draw (vis-network draws none under 7 pixels)"
    opened.check_clean()


ACME = """\
@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix kgr: <https://w3id.org/kgraph/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
kgr:acme a kg:Company ; rdfs:label "Acme"@en-GB , "阿克米"@zh-Hans ;
  schema:description "A customer from the tests."@en-GB , "测试里的客户。"@zh-Hans ;
  kg:distinction "首家客户"@zh ; kg:integrates kgr:amazon-bedrock .
"""
TWICE = """\
@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix kgr: <https://w3id.org/kgraph/resource/> .
@prefix src: <https://w3id.org/kgraph/source/reinvent-2025-keynote/> .
src:opening { kgr:acme kg:uses kgr:aws . }
src:overview { kgr:acme kg:uses kgr:aws . }
"""


def test_the_panel_shows_what_the_data_says_however_it_is_tagged_and_wherever_it_is_stated(open_page, tmp_path):
    """A description tagged en-GB or zh-Hans never showed; a fact only in Chinese was hidden on the English page;
    a relation from a data file's own graph was tagged "§?"; a relation stated in sections 1 and 2 was tagged
    "§2 §1" (graph IRIs in alphabetical order); the entity's IRI line was empty."""
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    (data / "99-acme.ttl").write_text(ACME, encoding="utf-8")
    (data / "98-twice.trig").write_text(TWICE, encoding="utf-8")
    loaded = load(data_dir=data, ontology_dir=default_ontology_dir())
    path = tmp_path / "acme.html"
    path.write_bytes(render_page(Context(loaded), select(loaded, focus=KGR.acme)))
    opened = open_page(path)
    page = opened.page
    assert page.locator("#details-title").inner_text() == "Acme"
    assert page.locator("#details .description").inner_text() == "A customer from the tests."
    assert "首家客户" in page.locator("#details .facts").inner_text()
    out = page.locator("#details .relations-out li").all_inner_texts()
    assert any(line.startswith("uses → AWS") and line.endswith("§1§2") for line in out), out
    assert "integrates → Amazon Bedrock 99-acme.ttl" in out
    assert page.locator("#details .iri").inner_text() == f"kgr:acme {KGR.acme}"
    page.click("#lang-zh")
    assert page.locator("#details .description").inner_text() == "测试里的客户。"
    opened.check_clean()


def test_a_long_name_wraps_in_the_panel(open_page, tmp_path):
    """A 240-character label without spaces made the panel's heading 2,400 pixels wide: the panel scrolled
    sideways."""
    data = tmp_path / "data"
    data.mkdir()
    name = "Supercalifragilistic" * 12
    (data / "long.ttl").write_text(ACME.replace('"Acme"@en-GB', f'"{name}"@en'), encoding="utf-8")
    loaded = load(data_dir=data, ontology_dir=default_ontology_dir())
    path = tmp_path / "long.html"
    path.write_bytes(render_page(Context(loaded), select(loaded, focus=KGR.acme)))
    opened = open_page(path)
    assert opened.page.locator("#details-title").inner_text() == name
    assert opened.js("() => { const p = document.getElementById('details'); return p.scrollWidth <= p.clientWidth; }")
    opened.check_clean()


def test_counts_and_a_click_on_an_edge(open_page, loaded: LoadedGraph, tmp_path: Path):
    """A page of one entity said "1 entities"; a click on an edge moved vis's selection off the entity while the
    panel and the highlight stayed on it."""
    single = tmp_path / "single.html"
    single.write_bytes(render_page(Context(loaded), select(loaded, focus=KGR.trainium3, depth=0)))
    opened = open_page(single)
    assert opened.page.locator("#counts").inner_text() == "1 entity · 0 relations"
    focus = tmp_path / "focus.html"
    focus.write_bytes(render_page(Context(loaded), select(loaded, focus=KGR.trainium3, depth=1)))
    opened = open_page(focus)
    # a point of an edge of Trainium3's where no node is (vis gives a node the click first)
    point = opened.js(
        """id => {
          const n = kgViewer.network;
          for (const edge of kgViewer.edges.get().filter(e => e.from === id || e.to === id)) {
            const e = n.body.edges[edge.id];
            for (let t = 0.2; t <= 0.8; t += 0.05) {
              const p = n.canvasToDOM({x: e.from.x + (e.to.x - e.from.x) * t, y: e.from.y + (e.to.y - e.from.y) * t});
              if (n.getNodeAt(p) === undefined && n.getEdgeAt(p) === edge.id) { return p; }
            }
          }
          return null;
        }""",
        str(KGR.trainium3),
    )
    assert point is not None
    box = opened.page.locator("#graph").bounding_box()
    opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    opened.page.wait_for_timeout(200)
    assert opened.js("() => kgViewer.network.getSelectedNodes()") == [str(KGR.trainium3)]
    assert opened.page.locator("#details-title").inner_text() == "Trainium3"
    opened.check_clean()


# a point of the drawing on one relation alone: no node, no other edge, no name drawn from afar (a click there is on
# the name's entity) within 3 pixels
ON_AN_EDGE_ALONE = """() => {
  const n = kgViewer.network, frame = n.canvas.frame, names = kgViewer.names();
  const onName = p => names.some(m => p.x > m.box[0] - 3 && p.x < m.box[2] + 3 && p.y > m.box[1] - 3 &&
                                      p.y < m.box[3] + 3);
  for (const edge of kgViewer.edges.get()) {
    const e = n.body.edges[edge.id];
    for (let t = 0.3; t <= 0.7; t += 0.05) {
      const p = n.canvasToDOM({x: e.from.x + (e.to.x - e.from.x) * t, y: e.from.y + (e.to.y - e.from.y) * t});
      if (p.x > 20 && p.y > 20 && p.x < frame.clientWidth - 20 && p.y < frame.clientHeight - 20 &&
          n.getNodeAt(p) === undefined && n.getEdgeAt(p) === edge.id && !onName(p)) {
        return {x: p.x, y: p.y, edge: edge.id, from: edge.from, to: edge.to, rel: edge.rel};
      }
    }
  }
  return null;
}"""


def test_a_tap_on_an_entity_leaves_no_tooltip_over_its_neighbours(open_page, main_file: Path):
    """On a touch screen, a tap on Trainium3 left its tooltip up over Trainium2 and Trainium4 (the mouse events the
    browser makes after a tap showed it), and taps on the panel or the sidebar did not take it away."""
    opened = open_page(main_file, PHONE, phone=True)
    page = opened.page
    point = opened.js("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", str(KGR.trainium3))
    box = page.locator("#graph").bounding_box()
    page.touchscreen.tap(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_timeout(1500)  # past vis-network's tooltip delay
    assert opened.js(SELECTED) == [str(KGR.trainium3)]
    assert not opened.js(TOOLTIP)
    # with a mouse, the tooltip shows as before
    page.mouse.move(box["x"] + point["x"] + 1, box["y"] + point["y"] + 1)
    page.wait_for_timeout(3000)  # past the two seconds a touch keeps tooltips away
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_function(TOOLTIP, timeout=5000)
    page.touchscreen.tap(box["x"] + 5, box["y"] + box["height"] - 5)
    assert not opened.js(TOOLTIP)
    opened.check_clean()


@pytest.mark.parametrize("phone", [False, True])
def test_a_click_on_a_relation_says_what_it_relates(open_page, main_file: Path, loaded: LoadedGraph, phone: bool):
    """A click on a relation, with no entity selected, only thickened its line: its ends and its source were
    nowhere, and on a phone, which has no tooltip, not even its name. The panel now gives its name in both
    languages, its two ends (links to them) and the sections that state it."""
    opened = open_page(main_file, PHONE if phone else VIEWPORT, phone=phone)
    page = opened.page
    point = opened.js(ON_AN_EDGE_ALONE)
    assert point is not None
    box = page.locator("#graph").bounding_box()
    if phone:
        page.touchscreen.tap(box["x"] + point["x"], box["y"] + point["y"])
    else:
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_timeout(200)
    relation = URIRef(loaded.graph.namespace_manager.expand_curie(point["rel"]))
    assert page.locator("#details").is_visible()
    assert page.locator("#details-title").inner_text() == opened.js(
        "r => JSON.parse(document.getElementById('kg-data').textContent).relationNames[r][0]", point["rel"]
    )
    ends = page.locator("#details .relation-ends button.entity").evaluate_all("l => l.map(b => b.dataset.id)")
    assert ends == [point["from"], point["to"]]
    assert (URIRef(point["from"]), relation, URIRef(point["to"])) in loaded.graph
    assert page.locator("#details .section-tag").count() >= 1
    assert opened.js("() => location.hash") == ""  # no entity selected: the address is the page's
    page.click("#lang-zh")
    assert page.locator("#details-title").inner_text() == opened.js(
        "r => JSON.parse(document.getElementById('kg-data').textContent).relationNames[r][1]", point["rel"]
    )
    page.locator("#details .relation-ends button.entity").last.click()
    assert opened.js("() => kgViewer.state.selected") == point["to"]
    assert page.locator("#details .relation-ends").count() == 0
    page.keyboard.press("Escape")
    assert page.locator("#details").is_hidden()
    opened.check_clean()


# ------------------------------------------------------------------------------------------ hostile text


def test_hostile_labels_are_shown_as_text_and_run_nothing(open_page, tmp_path: Path):
    loaded = hostile_graph(tmp_path / "data")
    path = tmp_path / "evil.html"
    path.write_bytes(render_page(Context(loaded), select(loaded, focus=KGR.evil)))
    opened = open_page(path)
    page = opened.page
    assert page.title() == f"{HOSTILE_LABEL} and its neighbours (1 step)"
    assert opened.js("id => kgViewer.nodes.get(id).label", str(KGR.evil)) == HOSTILE_LABEL
    # the focus is selected at start: the panel shows every hostile string as text
    assert page.locator("#details-title").inner_text() == HOSTILE_LABEL
    assert page.locator("#details .description").inner_text() == HOSTILE_DESCRIPTION
    assert "<iframe src=javascript:alert(6)>" in page.locator("#details .facts").inner_text()
    assert "<img src=z onerror=alert(7)>" in page.locator("#details .figures").inner_text()
    assert "1. Evil <b>section</b> 00:00 - <i>01:00</i>" in page.locator("#details .sources").inner_text()
    page.fill("#search", "<svg")
    assert page.locator("#suggestions li[data-id] .name").all_inner_texts() == [HOSTILE_LABEL]
    page.fill("#search", "Chip <b")
    assert page.locator("#suggestions li[data-id] .name").all_inner_texts() == ["Chip <b>X</b>"]
    page.click("#lang-zh")
    # drawn on two lines (it is long), and whole in the tooltip
    assert opened.js("id => kgViewer.nodes.get(id).label", str(KGR.evil)).replace("\n", " ") == HOSTILE_ZH
    assert HOSTILE_ZH in opened.js("id => kgViewer.nodes.get(id).title", str(KGR.evil))
    assert page.locator("#details-title").inner_text() == HOSTILE_ZH
    page.wait_for_timeout(300)
    # nothing ran, and no element came from the data
    assert opened.js("() => window.__pwned") is None
    assert opened.js("() => document.querySelectorAll('img, iframe, b, i').length") == 0
    assert opened.js("() => document.scripts.length") == 3
    handlers = opened.js(
        "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))"
        ".filter(n => n.startsWith('on'))"
    )
    assert handlers == []
    opened.check_clean()


def test_focused_page_starts_on_its_entity(open_page, loaded: LoadedGraph, tmp_path: Path):
    path = tmp_path / "focus.html"
    path.write_bytes(render_page(Context(loaded), select(loaded, focus=KGR.trainium3, depth=1), lang="zh"))
    opened = open_page(path)
    assert opened.js("() => kgViewer.network.getSelectedNodes()") == [str(KGR.trainium3)]
    assert opened.page.locator("#details-title").inner_text() == "Trainium3"
    assert opened.page.locator("html").get_attribute("lang") == "zh-Hans"
    # AWS is drawn (a neighbour) but most of what it relates to is not: listed, marked, not clickable
    opened.page.locator(f'#details button.entity[data-id="{KGR.aws}"]').click()
    assert opened.page.locator("#details-title").inner_text() == "亚马逊云科技"
    outside = opened.page.locator("#details .entity.outside")
    assert outside.count() > 10
    assert "不在此视图中" in outside.first.inner_text()
    assert outside.first.locator("button").count() == 0
    opened.check_clean()


def test_a_page_of_part_of_the_graph_says_what_it_leaves_out(open_page, main_file: Path, tmp_path: Path):
    """`kgraph viz --type ... --focus ...` drew part of the graph and said only "5 entities · 6 relations", as if
    that were all; it now says out of how many, and which options chose them, in the page's language."""
    part = tmp_path / "part.html"
    assert run("viz", "--type", "Hardware", "--focus", "Trainium3", "--depth", "2", "-o", part).exit_code == 0
    opened = open_page(part)
    line = opened.page.locator("#part")
    assert line.inner_text() == "5 of 102 entities, 6 of 184 relations: type Hardware; 2 steps around Trainium3"
    opened.page.click("#lang-zh")
    zh = "共 102 个实体中的 5 个、184 条关系中的 6 条：类为硬件；Trainium3 周围 2 跳以内"  # noqa: RUF001
    assert line.inner_text() == zh
    opened.check_clean()
    companies = tmp_path / "companies.html"
    assert run("viz", "--type", "Company", "--type", "服务", "--lang", "zh", "-o", companies).exit_code == 0
    opened = open_page(companies)
    zh = "共 102 个实体中的 26 个、184 条关系中的 28 条：类为公司、服务"  # noqa: RUF001 - Chinese punctuation
    assert opened.page.locator("#part").inner_text() == zh
    alone = tmp_path / "alone.html"
    assert run("viz", "--focus", "AWS", "--depth", "0", "-o", alone).exit_code == 0
    assert open_page(alone).page.locator("#part").inner_text() == "1 of 102 entities, 0 of 184 relations: AWS alone"
    # build's focused views: out of how many (their title says what they are); the whole graph: nothing more
    assert run("build", "--out", tmp_path / "built").exit_code == 0
    chips = open_page(tmp_path / "built" / "graph-chips.html").page.locator("#part").inner_text()
    assert re.fullmatch(r"\d+ of 102 entities, \d+ of 184 relations", chips)
    whole = open_page(main_file)
    assert whole.page.locator("#part").is_hidden()
    assert whole.page.locator("#counts").inner_text() == "102 entities · 184 relations"
    whole.check_clean()


def test_a_page_of_part_of_a_graph_of_one_relation_says_relation(open_page, tmp_path: Path):
    """A page of part of a graph of one relation said "0 of 1 relations", where kgraph viz says "0 of 1 relation"."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "mine.trig").write_text(OWN_SOURCE, encoding="utf-8")
    alone = tmp_path / "alone.html"
    assert run("--data", data, "viz", "--focus", "Acme", "--depth", "0", "-o", alone).exit_code == 0
    opened = open_page(alone)
    assert opened.page.locator("#part").inner_text() == "1 of 2 entities, 0 of 1 relation: Acme alone"
    assert opened.page.locator("#counts").inner_text() == "1 entity · 0 relations"
    opened.check_clean()


@pytest.mark.parametrize("size", [VIEWPORT, PHONE], ids=["desktop", "phone"])
def test_a_large_focused_page_opens_on_its_entity_with_the_names_readable(
    open_page, loaded: LoadedGraph, tmp_path: Path, size: dict[str, int]
):
    """`kgraph viz --focus Trainium3 --depth 3` (89 entities) opened fitted to the window, Trainium3 selected
    somewhere in it, its name drawn 10 pixels high; at depth 4 on a generated graph of 100k triples (1,349
    entities), 4 pixels, in a cloud of specks. The page now opens on the entity, its name and its neighbours'
    at least 12 pixels high, and Fit still shows everything."""
    path = tmp_path / "focus.html"
    path.write_bytes(render_page(Context(loaded), select(loaded, focus=KGR.trainium3, depth=3)))
    opened = open_page(path, size, phone=size is PHONE)
    page = opened.page
    focus = str(KGR.trainium3)
    assert opened.js("() => kgViewer.network.getSelectedNodes()") == [focus]
    shown = opened.js(
        """id => { const n = kgViewer.network, scale = n.getScale(), ids = [id, ...n.getConnectedNodes(id)];
                  return ids.map(i => ({id: i, font: n.body.nodes[i].options.font.size * scale,
                                        at: n.canvasToDOM(n.getPositions([i])[i])})); }""",
        focus,
    )
    assert len(shown) > 3
    small = [item["id"] for item in shown if item["font"] < 12]
    assert small == [], "names drawn under 12 pixels"
    graph = page.locator("#graph").bounding_box()
    panel = page.locator("#details").bounding_box()
    free = (
        {"width": graph["width"], "height": panel["y"] - graph["y"]}
        if size is PHONE
        else {"width": panel["x"] - graph["x"], "height": graph["height"]}
    )
    centre = shown[0]["at"]
    assert abs(centre["x"] - free["width"] / 2) < 30 and abs(centre["y"] - free["height"] / 2) < 30
    if size is VIEWPORT:  # its neighbours fit beside the panel at that size
        inside = [0 < item["at"]["x"] < free["width"] and 0 < item["at"]["y"] < free["height"] for item in shown]
        assert all(inside), "a neighbour out of view"
    page.click("#fit")
    wait_for_the_view_to_settle(opened)
    points = opened.js("() => Object.values(kgViewer.network.getPositions()).map(p => kgViewer.network.canvasToDOM(p))")
    assert len(points) == 89
    assert all(0 <= p["x"] <= free["width"] and 0 <= p["y"] <= free["height"] for p in points), "Fit left some out"
    opened.check_clean()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> LoadedGraph:
    """bench/generate.py's graph of about 20k triples, in memory."""
    import importlib.util  # noqa: PLC0415

    script = Path(__file__).resolve().parents[1] / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("generate", script)
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    data_dir = tmp_path_factory.mktemp("generated")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "generate", generate)
        spec.loader.exec_module(generate)
        generate.write(data_dir / "gen.trig", 20_000)
    return load(data_dir)


NEIGHBOURS_IN_VIEW = """id => {
    const n = kgViewer.network, g = document.getElementById("graph").getBoundingClientRect();
    const panel = document.getElementById("details").getBoundingClientRect();
    const beside = panel.top < g.top + 40;  // the panel on the right, else at the bottom
    const width = beside ? panel.left - g.left : g.width, height = beside ? g.height : panel.top - g.top;
    const at = i => n.canvasToDOM(n.getPositions([i])[i]);
    const outside = i => { const p = at(i); return p.x < 0 || p.y < 0 || p.x > width || p.y > height; };
    const centre = at(id);
    return {off: [Math.abs(centre.x - width / 2), Math.abs(centre.y - height / 2)],
            out: n.getConnectedNodes(id).filter(outside), all: !Object.keys(n.getPositions()).some(outside),
            scale: n.getScale()};
}"""


@pytest.mark.parametrize("size", [VIEWPORT, PHONE], ids=["desktop", "phone"])
def test_a_focused_page_of_a_generated_graph_opens_with_the_entity_and_its_neighbours_in_view(
    open_page, generated: LoadedGraph, tmp_path: Path, size: dict[str, int]
):
    """On bench/generate.py's graph, `kgraph viz --focus "Company 10" --depth 2` opened with three of the eight
    neighbours of Company 10 out of view, one of them under the panel: the layout drew the edges of a hub long
    (they pull less), and a page that fitted the window readably was left as fitted, the panel over part of it.
    On a phone the panel covered three quarters of the drawing. The focus now pulls its neighbours close, and the
    page opens with the entity in the middle of the part of the drawing that the panel leaves free, its
    neighbours in view, its names readable."""
    for focus in (KGR["company-10"], KGR["aimodel-1004"], KGR["chip-1"]):
        path = tmp_path / f"{focus.split('/')[-1]}.html"
        path.write_bytes(render_page(Context(generated), select(generated, focus=focus, depth=2)))
        opened = open_page(path, size, phone=size is PHONE)
        assert opened.js(SELECTED) == [str(focus)]
        seen = opened.js(NEIGHBOURS_IN_VIEW, str(focus))
        assert seen["out"] == [], f"neighbours of {focus} out of view"
        # in the middle, or the whole page fitted readably into the part the panel leaves free
        assert max(seen["off"]) < 2 or seen["all"], f"{focus} is not in the middle"
        assert seen["scale"] >= 0.86, "names under 12 pixels"
        opened.check_clean()


def test_the_counts_of_a_large_page_are_grouped_in_thousands(open_page, generated: LoadedGraph, tmp_path: Path):
    """On bench/generate.py's graph the sidebar said `1923 entities · 4402 relations` and `developed by 1730`,
    where the line of a part of the graph says `1,349 of 96,154 entities` and every command groups its counts."""
    path = tmp_path / "generated.html"
    path.write_bytes(render_page(Context(generated), select(generated)))
    opened = open_page(path)
    page = opened.page
    nodes, edges = opened.js("() => [kgViewer.nodes.length, kgViewer.edges.length]")
    assert nodes >= 1000 and edges >= 1000
    assert page.locator("#counts").inner_text() == f"{nodes:,} entities · {edges:,} relations"
    for item in page.locator("#legend li, #relation-filter li").all():
        count = item.locator(".count").inner_text()
        assert re.fullmatch(r"\d{1,3}(,\d{3})*", count), count
    assert any("," in text for text in page.locator("#relation-filter .count").all_inner_texts())
    last = page.locator("#legend li").last
    hidden = int(last.locator(".count").inner_text().replace(",", ""))
    last.locator("input").uncheck()
    shown = re.fullmatch(
        r"showing ([\d,]+) of ([\d,]+) entities · ([\d,]+) of ([\d,]+) relations", page.locator("#counts").inner_text()
    )
    assert shown is not None, page.locator("#counts").inner_text()
    assert shown[1] == f"{nodes - hidden:,}" and shown[2] == f"{nodes:,}" and shown[4] == f"{edges:,}"
    opened.check_clean()


# ------------------------------------------------------------------------------------------ analysts' paths


def test_a_phone_shows_the_drawing_and_the_entity_it_selects(open_page, main_file: Path):
    """On a phone (390 x 844) the 290-pixel sidebar left the drawing 100 pixels wide, and the details panel,
    wider than the drawing, hid what was selected behind it."""
    opened = open_page(main_file, PHONE, phone=True)
    page = opened.page
    assert opened.js("() => document.documentElement.scrollWidth") <= PHONE["width"]
    graph = page.locator("#graph").bounding_box()
    assert graph["width"] >= PHONE["width"] - 2
    assert graph["height"] >= PHONE["height"] / 2
    # the suggestions show over the drawing, not in a sliver of a scrolling sidebar
    page.fill("#search", "trainium")
    suggestions = page.locator("#suggestions li[data-id]")
    assert suggestions.count() == 5
    assert suggestions.last.is_visible()
    last = suggestions.last.bounding_box()
    centre = [last["x"] + last["width"] / 2, last["y"] + last["height"] / 2]
    on_top = opened.js("([x, y]) => document.elementFromPoint(x, y).closest('li')?.dataset.id", centre)
    assert on_top == suggestions.last.get_attribute("data-id"), "the last suggestion is covered"
    page.fill("#search", "Trainium3")
    page.keyboard.press("Enter")
    wait_for_the_view_to_settle(opened)
    panel = page.locator("#details").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= PHONE["width"]
    assert panel["y"] > graph["y"] + 100  # the panel leaves part of the drawing free above it
    point = opened.js("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", str(KGR.trainium3))
    assert 0 < point["x"] < graph["width"]
    assert 0 < graph["y"] + point["y"] < panel["y"], "the selected entity is hidden behind the panel"
    opened.check_clean()


# the pixels of the drawing in the names' ink (#102a43, give or take the edges of the letters)
INK = """() => {
    const canvas = kgViewer.network.canvas.frame.canvas;
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
        const near = Math.abs(data[i] - 16) < 30 && Math.abs(data[i + 1] - 42) < 30;
        if (near && Math.abs(data[i + 2] - 67) < 30) { ink++; }
    }
    return ink / (window.devicePixelRatio * window.devicePixelRatio);
}"""
NAMES = "() => typeof kgViewer.names === 'function' ? kgViewer.names() : []"


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_a_phone_opens_on_the_whole_graph_with_the_main_names_readable(open_page, main_file: Path):
    """On a phone (390 x 844) the whole graph fits at a fifth of life size, where vis-network draws no name: the
    page opened as unlabelled dots until one zoomed in. The names of the most connected entities are now drawn at
    a readable size, none over another; on a desktop, where every name is drawn, nothing changes."""
    opened = open_page(main_file, PHONE, phone=True)
    wait_for_the_view_to_settle(opened)
    width, height = opened.js(
        "() => [kgViewer.network.canvas.frame.clientWidth, kgViewer.network.canvas.frame.clientHeight]"
    )
    # still the whole graph, too small for vis-network to draw a name
    assert opened.js("() => kgViewer.network.getScale()") * 14 < 7
    places = opened.js("() => Object.values(kgViewer.network.getPositions()).map(p => kgViewer.network.canvasToDOM(p))")
    assert all(0 <= p["x"] <= width and 0 <= p["y"] <= height for p in places)
    assert opened.js(INK) > 150, "no name is drawn"
    names = opened.js(NAMES)
    assert len(names) >= 6
    assert all(name["px"] >= 10 for name in names)
    assert all(n["box"][0] >= 0 and n["box"][2] <= width and n["box"][1] >= 0 and n["box"][3] <= height for n in names)
    assert not any(overlap(a["box"], b["box"]) for i, a in enumerate(names) for b in names[i + 1 :])
    counts = Counter()
    for edge in opened.js("() => kgViewer.edges.get()"):
        counts[edge["from"]] += 1
        counts[edge["to"]] += 1
    named = {name["id"] for name in names}
    assert {str(KGR.aws), str(KGR["amazon-bedrock"])} <= named
    assert sum(1 for entity, _count in counts.most_common(5) if entity in named) >= 4
    # zoomed in, vis-network draws the names as it did (drawn now: moveTo asks for a drawing at the next frame, and
    # names() tells those of the last one, which on a busy machine was still the one from afar)
    opened.js("() => { kgViewer.network.moveTo({scale: 1}); kgViewer.network.redraw(); }")
    assert all(name["px"] >= 14 for name in opened.js(NAMES))
    # with an entity selected, its name and its neighbours' (the others are faded)
    opened.js("id => { kgViewer.select(id, false); kgViewer.fit(false); }", str(KGR.trainium3))
    wait_for_the_view_to_settle(opened)
    neighbours = set(opened.js("id => kgViewer.network.getConnectedNodes(id)", str(KGR.trainium3)))
    names = opened.js(NAMES)
    assert names[0]["id"] == str(KGR.trainium3)
    assert {name["id"] for name in names[1:]} <= neighbours
    opened.check_clean()
    # a desktop draws every name, as vis-network does
    opened = open_page(main_file)
    names = opened.js(NAMES)
    assert len(names) == 102
    assert all(name["px"] >= 9 for name in names)
    opened.check_clean()


def _name_on_no_node(opened: Opened) -> tuple[str, dict[str, float]]:
    """The first name drawn from afar whose middle is on no node (where vis-network alone takes no tap): its
    entity, and that middle."""
    names = opened.js(NAMES)
    assert names, "no name is drawn from afar"
    middles = [{"x": (n["box"][0] + n["box"][2]) / 2, "y": (n["box"][1] + n["box"][3]) / 2} for n in names]
    return next(
        (n["id"], m)
        for n, m in zip(names, middles, strict=True)
        if opened.js("p => kgViewer.network.getNodeAt(p)", m) is None
    )


# a point of the drawing on nothing: no node, no edge, no name drawn from afar, and the canvas on top there
ON_NOTHING = """() => {
  const n = kgViewer.network, frame = n.canvas.frame, canvas = frame.canvas, names = kgViewer.names();
  const at = canvas.getBoundingClientRect();
  for (let y = 30; y < frame.clientHeight - 30; y += 10) {
    for (let x = 30; x < frame.clientWidth - 30; x += 10) {
      const p = {x: x, y: y};
      if (n.getNodeAt(p) !== undefined || n.getEdgeAt(p) !== undefined) { continue; }
      const near = m => x > m.box[0] - 10 && x < m.box[2] + 10 && y > m.box[1] - 10 && y < m.box[3] + 10;
      if (names.some(near)) { continue; }
      if (document.elementFromPoint(at.left + x, at.top + y) !== canvas) { continue; }
      return p;
    }
  }
  return null;
}"""


def test_a_tap_on_a_name_drawn_from_afar_selects_its_entity(open_page, main_file: Path):
    """From afar, the names one can read on a phone are drawn by the viewer, not by vis-network, which takes a tap
    only on the node itself, a dot of a few pixels: a tap on a name did nothing. It now selects its entity as a tap
    on the node does (same panel, same address); a tap on nothing still clears the selection."""
    opened = open_page(main_file, PHONE, phone=True)
    page = opened.page
    wait_for_the_view_to_settle(opened)
    graph = page.locator("#graph").bounding_box()

    def tap(point: dict[str, float]) -> None:
        page.touchscreen.tap(graph["x"] + point["x"], graph["y"] + point["y"])
        page.wait_for_timeout(200)
        wait_for_the_view_to_settle(opened)

    def shown() -> tuple[Any, ...]:
        return (
            opened.js("() => kgViewer.state.selected"),
            opened.js("() => kgViewer.network.getSelectedNodes()"),
            page.locator("#details").is_visible(),
            page.locator("#details-title").inner_text() if page.locator("#details").is_visible() else None,
            fragment_of(opened),
        )

    nothing = (None, [], False, None, "")
    empty = opened.js(ON_NOTHING)
    assert empty is not None
    tap(empty)
    assert shown() == nothing
    # a name whose middle is on no node: vis-network alone takes no tap there
    entity, middle = _name_on_no_node(opened)
    tap(middle)
    by_name = shown()
    assert by_name[:3] == (entity, [entity], True)
    assert by_name[4] not in ("", "#")
    # a tap on nothing clears it, as before
    empty = opened.js(ON_NOTHING)
    assert empty is not None
    tap(empty)
    assert shown() == nothing
    # a tap on the node itself shows the same
    node = opened.js("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", entity)
    assert opened.js("p => kgViewer.network.getNodeAt(p)", node) == entity
    tap(node)
    assert shown() == by_name
    # a drag from a name moves the view, not its entity
    names = opened.js(NAMES)
    middles = [{"x": (n["box"][0] + n["box"][2]) / 2, "y": (n["box"][1] + n["box"][3]) / 2} for n in names]
    start = next(m for m in middles if opened.js("p => kgViewer.network.getNodeAt(p)", m) is None)
    positions = opened.js("() => kgViewer.network.getPositions()")
    view = opened.js("() => kgViewer.network.getViewPosition()")
    page.mouse.move(graph["x"] + start["x"], graph["y"] + start["y"])
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(graph["x"] + start["x"] + 4 * step, graph["y"] + start["y"] + 3 * step)
    page.mouse.up()
    page.wait_for_timeout(200)
    assert opened.js("() => kgViewer.network.getPositions()") == positions
    assert opened.js("() => kgViewer.network.getViewPosition()") != view
    opened.check_clean()


def test_a_long_press_on_a_name_drawn_from_afar_selects_its_entity(open_page, main_file: Path):
    """A long press (a finger held still) is how a phone asks for more about what is under it: vis-network takes
    it as a click on the node, a dot of a few pixels from afar. On a name the viewer draws from afar it selects
    the name's entity, as a tap does (a name comes before a line under it); on nothing it selects nothing."""
    opened = open_page(main_file, PHONE, phone=True)
    page = opened.page
    wait_for_the_view_to_settle(opened)
    graph = page.locator("#graph").bounding_box()
    touch = page.context.new_cdp_session(page)

    def press(point: dict[str, float]) -> None:
        at = [{"x": graph["x"] + point["x"], "y": graph["y"] + point["y"]}]
        touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": at})
        page.wait_for_timeout(700)  # hammer.js takes 251 ms held still as a press
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_timeout(200)
        wait_for_the_view_to_settle(opened)

    def shown() -> tuple[Any, ...]:
        return (
            opened.js("() => kgViewer.state.selected"),
            opened.js("() => kgViewer.network.getSelectedNodes()"),
            page.locator("#details").is_visible(),
        )

    empty = opened.js(ON_NOTHING)
    assert empty is not None
    press(empty)
    assert shown() == (None, [], False)
    entity, middle = _name_on_no_node(opened)
    press(middle)
    assert shown() == (entity, [entity], True)
    assert page.locator("#details-title").inner_text() == opened.js("id => kgViewer.nodes.get(id).label", entity)
    assert fragment_of(opened) not in ("", "#")
    opened.check_clean()


def test_the_mouse_over_a_name_drawn_from_afar_is_on_its_entity(open_page, main_file: Path):
    """Zoomed out, the mouse over a name the viewer draws from afar hovered the relation passing under it: the name
    AWS said "developed by / 开发方" in its tooltip, and a click there selected AWS. The mouse over a name is now on
    its entity, as a click is: it hovers it and shows its tooltip, and the name stays where it was."""
    opened = open_page(main_file)
    page = opened.page
    opened.js("() => kgViewer.network.moveTo({scale: 0.4})")
    wait_for_the_view_to_settle(opened)
    graph = page.locator("#graph").bounding_box()
    hovered = "() => Object.values(kgViewer.network.body.nodes).filter(n => n.hover).map(n => n.id)"

    def middle(name: dict[str, Any]) -> dict[str, float]:
        return {"x": (name["box"][0] + name["box"][2]) / 2, "y": (name["box"][1] + name["box"][3]) / 2}

    def place_of(entity: str) -> list[float]:
        return next(name["box"] for name in opened.js(NAMES) if name["id"] == entity)

    names = opened.js(NAMES)
    assert len(names) >= 20, "no name is drawn from afar"
    # names whose middle is on no node (a node still comes first): one over a relation's line, and two that found
    # no room under their node (the one under the mouse is placed first: there, it would move)
    free = [name for name in names if opened.js("p => kgViewer.network.getNodeAt(p)", middle(name)) is None]
    over = [name for name in free if opened.js("p => kgViewer.network.getEdgeAt(p)", middle(name)) is not None]
    node = "id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])"
    moved = [
        name
        for name in free
        if name["box"][1] < opened.js(node, name["id"])["y"]
        or abs(middle(name)["x"] - opened.js(node, name["id"])["x"]) > 1
    ]
    assert over and len(moved) >= 2
    for name in [over[0], *moved[:2]]:
        entity, at = name["id"], middle(name)
        page.mouse.move(graph["x"] + at["x"], graph["y"] + at["y"], steps=3)
        page.wait_for_timeout(600)  # the tooltip shows after 200 ms
        assert opened.js(hovered) == [entity]
        title = opened.js("id => kgViewer.nodes.get(id).title", entity)
        assert opened.js(TOOLTIP) == title.replace("\n", "")
        # in its place still (a little wider: vis-network draws the name hovered in bold)
        now = place_of(entity)
        assert abs((now[0] + now[2]) / 2 - at["x"]) < 1 and abs((now[1] + now[3]) / 2 - at["y"]) < 1
        assert opened.js("p => kgViewer.network.getNodeAt(p)", at) is None  # the API's hit test is the node's own
    empty = opened.js(ON_NOTHING)
    assert empty is not None
    page.mouse.move(graph["x"] + empty["x"], graph["y"] + empty["y"], steps=3)
    page.wait_for_timeout(600)
    assert opened.js(hovered) == []
    assert opened.js(TOOLTIP) is None
    opened.check_clean()


# each entity's node as drawn, by entity: [left, top, right, bottom] in CSS pixels of the drawing
DOTS = """() => {
    const n = kgViewer.network, scale = n.getScale();
    return Object.fromEntries(n.body.nodeIndices.map(id => {
      const node = n.body.nodes[id], at = n.canvasToDOM({x: node.x, y: node.y});
      const r = (node.shape.height || 2 * node.options.size) / 2 * scale;
      return [id, [at.x - r, at.y - r, at.x + r, at.y + r]];
    }));
}"""


@pytest.mark.parametrize(("view", "lang"), [(None, "en"), (None, "zh"), ("graph-customers.html", "en")])
def test_a_name_drawn_from_afar_is_where_the_viewer_placed_it(  # noqa: PLR0917
    open_page, main_file: Path, loaded: LoadedGraph, tmp_path: Path, view: str | None, lang: str
):
    """The names drawn from afar were placed by boxes half a name higher than vis-network draws them (it hangs a
    name from a line half an em and 4 units under its node): on a phone a name placed over its node was drawn on
    it (Kiro's and AWS Transform Custom's in the customers' view), a tap on the lower half of a name missed it,
    and a relation's name could cover that half. Each name's letters are now inside its box, and none is drawn on
    its own entity."""
    path = main_file
    if view is not None:
        path = tmp_path / view
        path.write_bytes(render(loaded)[view])
    opened = open_page(path, PHONE, phone=True)
    if lang == "zh":
        opened.page.click("#lang-zh")
    wait_for_the_view_to_settle(opened)
    placed = {name["id"]: name["box"] for name in opened.js(NAMES)}
    drawn = opened.js(DRAWN_RELATION_LABELS)["nameBoxes"]  # the letters, as the canvas measures what it writes
    assert len(placed) >= 6, "no name is drawn from afar"
    assert set(drawn) == set(placed)
    for entity, letters in drawn.items():
        box = placed[entity]
        inside = box[0] - 0.25 <= letters[0] and letters[2] <= box[2] + 0.25
        assert inside and box[1] - 0.25 <= letters[1] and letters[3] <= box[3] + 0.25, (entity, letters, box)
    dots = opened.js(DOTS)
    assert [entity for entity, letters in drawn.items() if overlap(letters, dots[entity])] == []
    opened.check_clean()


HUB = 'kgr:hub a kg:Company ; rdfs:label "Hub Company"@en , "枢纽公司"@zh ; kg:uses {} .\n'.format(
    " , ".join(f"kgr:spoke-{i}" for i in range(5))
) + "".join(f'kgr:spoke-{i} a kg:Service ; rdfs:label "Spoke {i}"@en , "辐条{i}"@zh .\n' for i in range(5))


def test_a_name_drawn_from_afar_goes_off_the_other_entities_where_it_can(open_page, tmp_path: Path):
    """From afar a name took the first place under, over or beside its node that no other name had, whatever
    entity it covered there: a dot of a few pixels under a name is lost. It now takes the first place that covers
    no other entity either, and only where there is none, of those that cover no name, the one that covers the
    fewest entities (the first, when they cover as many)."""
    opened = open_page(page_of(tmp_path, "hub", HUB))
    hub, spokes = str(KGR.hub), [str(KGR[f"spoke-{i}"]) for i in range(5)]
    # the hub alone in the window, zoomed out so far that the viewer draws the names; the spokes far off
    opened.js(
        """([hub, spokes]) => {
             const n = kgViewer.network;
             n.moveNode(hub, 0, 0);
             spokes.forEach((s, i) => n.moveNode(s, 20000 + 2000 * i, 20000));
             n.moveTo({position: {x: 0, y: 0}, scale: 0.3, animation: false});
           }""",
        [hub, spokes],
    )
    places = []
    for blocked in range(6):
        name = next(name["box"] for name in opened.js(NAMES) if name["id"] == hub)
        at = opened.js("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", hub)
        beside = "right" if name[0] > at["x"] else "left" if name[2] < at["x"] else None
        places.append(beside or ("under" if name[1] > at["y"] else "over"))
        dots = opened.js(DOTS)
        covered = [spoke for spoke in spokes[:blocked] if overlap(name, dots[spoke])]
        assert covered == ([] if blocked < 4 else spokes[blocked - 4 : blocked - 3]), (blocked, places)
        if blocked < 5:  # the next spoke in the place the name took: its middle, then a quarter of its width in
            x = name[0] + (name[2] - name[0]) * (0.5 if blocked < 4 else 0.25)
            opened.js(
                """([spoke, middle]) => {
                     const n = kgViewer.network, p = n.DOMtoCanvas(middle);
                     n.moveNode(spoke, p.x, p.y);
                     n.redraw();
                   }""",
                [spokes[blocked], {"x": x, "y": (name[1] + name[3]) / 2}],
            )
    # under, over, right, left; with a spoke in each, under again, rather than not drawn; with two spokes under,
    # over, where it covers one
    assert places == ["under", "over", "right", "left", "under", "over"]
    opened.check_clean()


def test_a_succession_line_can_be_followed_with_the_keyboard_alone(open_page, main_file: Path):
    """After a search, Enter showed the details but the next Tab went through fifty filter boxes before reaching
    them; a link followed in the panel dropped the focus to the top of the page; Escape did not close the
    panel, and then, back in the search box, opened its suggestions."""
    opened = open_page(main_file)
    page = opened.page
    active = "() => { const a = document.activeElement; return [a.id, a.getAttribute('data-id')]; }"

    def tab_to(entity: str, within: str) -> None:
        for _ in range(15):
            page.keyboard.press("Tab")
            inside = opened.js(f"() => !!document.activeElement.closest('#details {within}')")
            if inside and opened.js(active)[1] == entity:
                return
        raise AssertionError(f"15 presses of Tab did not reach {entity} in the panel's {within}")

    for _ in range(10):
        page.keyboard.press("Tab")
        if opened.js(active)[0] == "search":
            break
    page.keyboard.type("Trainium2")
    page.keyboard.press("Enter")
    assert page.locator("#details-title").inner_text() == "Trainium2"
    assert opened.js(active)[0] == "details-title"
    for entity, previous in ((KGR.trainium3, KGR.trainium2), (KGR.trainium4, KGR.trainium3)):
        tab_to(str(entity), ".relations-in")
        page.keyboard.press("Enter")
        assert page.locator("#details-title").inner_text() == str(entity).rsplit("/", 1)[1].capitalize()
        assert opened.js(active)[0] == "details-title", "the focus left the panel"
        assert any(
            line.startswith(f"succeeds → {str(previous).rsplit('/', 1)[1].capitalize()}")
            for line in page.locator("#details .relations-out li").all_inner_texts()
        )
    assert opened.js("() => kgViewer.network.getSelectedNodes()") == [str(KGR.trainium4)]
    page.keyboard.press("Escape")
    assert not page.locator("#details").is_visible()
    assert opened.js("() => kgViewer.network.getSelectedNodes()") == []
    assert opened.js(active)[0] == "search"
    assert not page.locator("#suggestions").is_visible(), "Escape opened the suggestions it closes"
    # Escape with the suggestions open closes only them
    page.fill("#search", "Trainium3")
    page.keyboard.press("Enter")
    page.locator("#search").focus()
    assert page.locator("#suggestions").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#suggestions").is_visible()
    assert page.locator("#details").is_visible()
    opened.check_clean()


LONG_EN = "The Extraordinarily Long-Named International Consolidated Cloud Infrastructure and AI Holding Company"
LONG_ZH = "一个名字非常非常非常长的国际综合云基础设施与人工智能控股有限公司"


def test_a_long_name_is_drawn_on_two_lines_and_shown_whole_elsewhere(open_page, tmp_path: Path):
    """A name of a hundred characters was drawn on one line 900 pixels long, under the sidebar and the panel and
    across its neighbours."""
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    acme = ACME.replace('"Acme"@en-GB , "阿克米"@zh-Hans', f'"{LONG_EN}"@en , "{LONG_ZH}"@zh')
    (data / "99-acme.ttl").write_text(acme, encoding="utf-8")
    loaded = load(data_dir=data, ontology_dir=default_ontology_dir())
    path = tmp_path / "long.html"
    path.write_bytes(render_page(Context(loaded), select(loaded, focus=KGR["amazon-bedrock"])))
    opened = open_page(path)
    drawn = """id => { const n = kgViewer.network.body.nodes[id];
                       return {width: n.labelModule.size.width, lines: n.labelModule.lineCount,
                               font: n.options.font.size, label: n.options.label}; }"""
    for lang, name in (("en", LONG_EN), ("zh", LONG_ZH)):
        opened.page.click(f"#lang-{lang}")
        label = opened.js(drawn, str(KGR.acme))
        assert label["lines"] == 2, label
        assert label["width"] <= 20 * label["font"] * 1.1, label
        assert label["label"].endswith("…") or label["label"].replace("\n", "") == name
        assert name in opened.js("id => kgViewer.nodes.get(id).title", str(KGR.acme))
        opened.page.fill("#search", name[-8:])
        opened.page.keyboard.press("Enter")
        assert opened.page.locator("#details-title").inner_text() == name
    # the other labels are drawn whole, on one line
    short = opened.js(drawn, str(KGR["amazon-bedrock"]))
    assert short["lines"] == 1
    opened.check_clean()


# every pair of names vis-network draws side by side (their lines at the same height), with the room between them
# in the drawing's units and the smaller of their fonts, as vis-network measured them
NAMES_SIDE_BY_SIDE = """() => {
    const n = kgViewer.network;
    n.redraw();
    const boxes = Object.values(n.body.nodes).filter(x => x.options.label && !x.options.hidden).map(x => {
      const s = x.labelModule.size;
      return {text: x.options.label, left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height,
              font: x.labelModule.fontOptions.size};
    });
    const pairs = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
      if (a.top < b.bottom && b.top < a.bottom) {
        pairs.push({names: [a.text, b.text], room: Math.max(b.left - a.right, a.left - b.right),
                    font: Math.min(a.font, b.font)});
      }
    }));
    return pairs;
}"""


@pytest.mark.parametrize("focus", [None, "trainium3", "amazon-bedrock"])
def test_names_side_by_side_keep_an_em_between_them(open_page, loaded: LoadedGraph, tmp_path: Path, focus):
    """Names were laid out 2 to 10 pixels apart, less than a space once the whole graph fits a window: "Amazon S3
    Amazon Connect" and "Gemma MiniMax" read as one name each."""
    path = tmp_path / "names.html"
    path.write_bytes(render_page(Context(loaded), select(loaded, focus=KGR[focus] if focus else None, depth=2)))
    opened = open_page(path)
    for lang in ("en", "zh"):
        opened.page.click(f"#lang-{lang}")
        pairs = opened.js(NAMES_SIDE_BY_SIDE)
        assert len(pairs) > 5, f"{len(pairs)} pairs of names side by side: nothing tested"
        close = [p["names"] for p in pairs if p["room"] < p["font"]]
        assert close == [], f"names side by side less than an em apart ({lang})"
    opened.check_clean()


# a chain of three is laid out on a level line; one of its edges points left
LEVEL = """\
kgr:chain-a a kg:Company ; rdfs:label "Chain A"@en , "链甲"@zh ; kg:uses kgr:chain-b .
kgr:chain-b a kg:Service ; rdfs:label "Chain B"@en , "链乙"@zh .
kgr:chain-c a kg:Company ; rdfs:label "Chain C"@en , "链丙"@zh ; kg:integrates kgr:chain-b .
"""


# for each relation drawn, whether it is one of the selected entity's and the ground vis-network draws its name on
EDGE_GROUNDS = """() => Object.values(kgViewer.network.body.edges).filter(e => e.options.label).map(e => ({
    near: [e.fromId, e.toId].includes(kgViewer.state.selected), ground: e.labelModule.fontOptions.background ?? null
}))"""


def test_the_selected_entitys_relations_are_named_on_a_white_ground(open_page, main_file: Path):
    """A selected entity's relations are drawn dark and their names larger; the white outline of the letters hid the
    line under them but not between the words, so that "part of" read "part-of" and "added to" "added-to"."""
    opened = open_page(main_file, fragment="#amazon-bedrock")
    grounds = opened.js(EDGE_GROUNDS)
    assert sum(g["near"] for g in grounds) >= 10
    for ground in grounds:
        assert (ground["ground"] == "#ffffff") == ground["near"], ground
    opened.page.keyboard.press("Escape")  # nothing selected: no name on a ground, lines crossing them seen
    opened.page.wait_for_function("() => !kgViewer.state.selected")
    assert {g["ground"] for g in opened.js(EDGE_GROUNDS)} <= {None, "none"}
    opened.check_clean()


# for each entity, whether it is the one selected or a neighbour of it, and the ground vis-network draws its name on
NODE_GROUNDS = """() => {
  const n = kgViewer.network, selected = kgViewer.state.selected;
  const near = new Set(selected ? [selected, ...n.getConnectedNodes(selected)] : []);
  return Object.values(n.body.nodes).filter(node => node.options.label).map(node => ({
    near: near.has(node.id), ground: node.labelModule.fontOptions.background ?? null
  }));
}"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_selected_entity_and_its_neighbours_are_named_on_a_white_ground(open_page, main_file: Path, lang: str):
    """With Amazon Bedrock selected, its relations are drawn dark and thick; the white outline of the letters hid
    such a line under a name but not between its letters and words: "Mistral Large" read through two lines. The
    names of the selected entity and of its neighbours are now on a white ground, the faded ones as before, and
    none once nothing is selected."""
    opened = open_page(main_file, fragment="#amazon-bedrock")
    if lang == "zh":
        opened.page.click("#lang-zh")
    grounds = opened.js(NODE_GROUNDS)
    assert sum(g["near"] for g in grounds) >= 15
    for ground in grounds:
        assert (ground["ground"] == "#ffffff") == ground["near"], ground
    opened.page.keyboard.press("Escape")
    opened.page.wait_for_function("() => !kgViewer.state.selected")
    assert {g["ground"] for g in opened.js(NODE_GROUNDS)} <= {None, "none"}
    opened.check_clean()


DRAWING_ORDER = """() => {
  const edges = Object.values(kgViewer.network.body.edges).filter(e => e.connected);
  const labels = new Set(edges.map(e => e.options.label).filter(Boolean)), seen = [], restore = [];
  const names = new Set(Object.values(kgViewer.network.body.nodes).map(n => n.options.label).filter(Boolean));
  for (const e of edges) {  // each edge's line, as its edge type draws it, and its arrowhead
    const line = e.edgeType.drawLine, arrows = e.drawArrows;
    e.edgeType.drawLine = function () { seen.push(["line", e.id]); return line.apply(this, arguments); };
    e.drawArrows = function () { seen.push(["arrow", e.id]); return arrows.apply(this, arguments); };
    restore.push(() => { delete e.edgeType.drawLine; delete e.drawArrows; });
  }
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text) {
    if (labels.has(text)) { seen.push(["label", text]); } else if (names.has(text)) { seen.push(["name", text]); }
    return fillText.apply(this, arguments);
  };
  try { kgViewer.network.redraw(); } finally {
    CanvasRenderingContext2D.prototype.fillText = fillText;
    restore.forEach(f => f());
  }
  return seen; }"""


def test_nothing_is_drawn_over_a_relations_name(open_page, main_file: Path):
    """vis-network drew each edge's line and then its name, edge after edge, then the nodes, the arrowheads and the
    nodes' names, so that a line drawn later crossed the relation names drawn before it, the white ground of the
    selected entity's relations too (on a phone, Trainium3's "member of" was crossed by the line from Trainium4),
    an arrowhead could cover one, and the name of an entity faded out wiped one out with its white outline (in
    Chinese, Trainium3's 发布于 under John Kodera's name)."""
    opened = open_page(main_file, fragment="#trainium3")
    for selected in (True, False):
        seen = opened.js(DRAWING_ORDER)
        before = [i for i, (kind, _) in enumerate(seen) if kind in ("line", "arrow", "name")]
        labels = [i for i, (kind, _) in enumerate(seen) if kind == "label"]
        kinds = Counter(kind for kind, _ in seen)
        assert kinds["arrow"] >= 20 and kinds["name"] >= 20 and kinds["label"] >= 2, kinds
        assert max(before) < min(labels), seen
        if selected:
            opened.page.keyboard.press("Escape")
            opened.page.wait_for_function("() => !kgViewer.state.selected")
    opened.check_clean()


def test_an_entity_joined_only_by_relations_unticked_is_no_neighbour(open_page, main_file: Path):
    """With "uses" unticked and Amazon Bedrock selected, Sony and Adobe, which only use it, came out in colour and
    named on a white ground, as its neighbours, though no line joined them to it any more. They fade with the
    others now, and come out again when "uses" is ticked."""
    opened = open_page(main_file, fragment="#amazon-bedrock")
    page = opened.page
    near = "id => kgViewer.network.body.nodes[id].options.font.background === '#ffffff'"
    customers, maker = [str(KGR.sony), str(KGR.adobe)], str(KGR.aws)
    all_near = f"ids => ids.every(id => ({near})(id))"
    none_near = f"ids => ids.every(id => !({near})(id))"
    assert opened.js(all_near, customers)
    page.locator("#relation-filter input[data-id='kg:uses']").uncheck()
    page.wait_for_function(none_near, arg=customers)
    assert opened.js(near, maker)  # Amazon Bedrock is developed by AWS: still a neighbour
    assert opened.js("id => kgViewer.network.body.nodes[id].options.color.background", customers[0]) == "#eef1f5"
    page.reload()  # the address keeps the filter: the page opens so too
    page.wait_for_selector("body[data-ready=true]")
    assert opened.js(none_near, customers) and opened.js(near, maker)
    page.locator("#relation-filter input[data-id='kg:uses']").check()
    page.wait_for_function(all_near, arg=customers)
    opened.check_clean()


# the looks of the names drawn, in the order they are drawn: "near" (the selected entity's or a neighbour's, on a
# white ground) or "faded"; a line of a name that two entities of different looks share is left out
NAME_LOOKS_IN_DRAWING_ORDER = """() => {
  const looks = {};
  for (const node of Object.values(kgViewer.network.body.nodes)) {
    const look = node.options.font.background === "#ffffff" ? "near" : "faded";
    for (const line of (node.options.label || "").split("\\n")) {
      looks[line] = looks[line] && looks[line] !== look ? "both" : look;
    }
  }
  const seen = [], fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text) {
    if (looks[text] === "near" || looks[text] === "faded") { seen.push(looks[text]); }
    return fillText.apply(this, arguments);
  };
  try { kgViewer.network.redraw(); } finally { CanvasRenderingContext2D.prototype.fillText = fillText; }
  return seen; }"""


def test_a_faded_entitys_name_is_drawn_under_the_selected_entitys_neighbours(open_page, main_file: Path):
    """vis-network draws the entities and their names in the order it holds them: with an entity selected, a faded
    entity that came after a neighbour drew its pale name over the neighbour's, white ground and all (on a generated
    graph of 20,000 triples, "AIModel 1006" read through "AIModel 1351"). The faded names are drawn first now."""
    opened = open_page(main_file, fragment="#amazon-bedrock")
    seen = opened.js(NAME_LOOKS_IN_DRAWING_ORDER)
    assert seen.count("near") >= 10 and seen.count("faded") >= 20, seen
    assert seen == sorted(seen, key=lambda look: look == "near"), "a faded name drawn after a neighbour's"
    opened.check_clean()


ARROWS = (
    'kgr:arrow-a a kg:Company ; rdfs:label "Arrow A"@en , "箭甲"@zh ; kg:uses kgr:arrow-b .\n'
    + "".join(
        f'kgr:arrow-e{i} a kg:Company ; rdfs:label "Arrow E{i}"@en , "箭戊{i}"@zh ; kg:uses kgr:arrow-c{i} .\n'
        f'kgr:arrow-c{i} a kg:Service ; rdfs:label "Arrow C{i}"@en , "箭丙{i}"@zh .\n'
        for i in range(5)
    )
    + 'kgr:arrow-b a kg:Service ; rdfs:label "Arrow B"@en , "箭乙"@zh .\n'
)

# Arrow A -> Arrow B straight and level across the middle of the window, at life size; under the places its label
# may take (along ALONG of viewer.js), the arrowheads of the relations E -> C of the first `under` of them, each C
# just below the label and each E far above; the others far away. The label of A -> B as kgViewer.labels() gives it.
ARROWS_UNDER_THE_LABEL = """under => {
  const n = kgViewer.network, K = "https://w3id.org/kgraph/resource/arrow-", ALONG = [0.5, 0.4, 0.6, 0.3, 0.7];
  n.setOptions({edges: {smooth: false}});  // straight lines, whatever the layout bent
  n.moveNode(K + "a", -400, 0);
  n.moveNode(K + "b", 400, 0);
  for (let i = 0; i < 5; i++) {
    n.moveNode(K + "e" + i, 3000, 1000 * i);
    n.moveNode(K + "c" + i, 3000, 1000 * i + 500);
  }
  n.moveTo({position: {x: 0, y: 0}, scale: 1});
  n.redraw();
  const edge = kgViewer.edges.get().find(e => e.from === K + "a" && e.to === K + "b").id;
  const low = Math.max(...kgViewer.labels().find(l => l.edge === edge).box.map(p => p[1]));
  for (let i = 0; i < under; i++) {
    const x = -400 + 800 * ALONG[i], r = n.body.nodes[K + "c" + i].options.size;
    n.moveNode(K + "c" + i, x, low + 2 + r);  // its arrowhead's tip 2 units under the label, its node clear of it
    n.moveNode(K + "e" + i, x, -400);
  }
  n.redraw();
  return kgViewer.labels().find(l => l.edge === edge);
}"""


def test_a_relations_name_goes_off_the_arrowheads_where_it_can(open_page, tmp_path: Path):
    """Drawn after the arrowheads, a relation's name on its white ground hid them, and with them which way a
    relation goes: a name is now placed off every arrowhead where it finds room so, on one where it finds none."""
    opened = open_page(page_of(tmp_path, "arrows", ARROWS))
    alone = opened.js(ARROWS_UNDER_THE_LABEL, 0)
    assert alone["drawn"] and alone["along"] == 0.5, alone  # nothing under the middle: it stays there
    moved = opened.js(ARROWS_UNDER_THE_LABEL, 1)
    assert moved["drawn"] and moved["along"] == 0.4, moved  # off the arrowhead, at the next place
    crowded = opened.js(ARROWS_UNDER_THE_LABEL, 5)
    assert crowded["drawn"] and crowded["along"] == 0.5, crowded  # an arrowhead under every place: drawn anyway
    # Arrow A selected, E0 -> C0 is faded, its arrowhead pale under the white ground: it counts no more
    opened.js("id => kgViewer.select(id, false)", str(KGR["arrow-a"]))
    wait_for_the_view_to_settle(opened)
    faded = opened.js(ARROWS_UNDER_THE_LABEL, 1)
    assert faded["drawn"] and faded["along"] == 0.5, faded
    opened.check_clean()


def test_the_label_of_a_level_edge_is_drawn_on_it(open_page, tmp_path: Path):
    """vis-network drew the label of an edge whose ends are at the same height, pointing left, at the drawing's
    origin: in the bundled succession view "powered by" (Trainium3 UltraServer → Trainium3) sat on Trainium3 and
    "member of" (Trainium3 → Trainium) over it, neither on its edge."""
    opened = open_page(page_of(tmp_path, "level", LEVEL))
    edges = opened.js(
        """() => kgViewer.edges.get().map(e => {
             const a = kgViewer.network.getPositions([e.from])[e.from], b = kgViewer.network.getPositions([e.to])[e.to];
             const m = kgViewer.network.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
             return {label: e.label, leftwards: a.y === b.y && a.x > b.x, x: m.x, y: m.y}; })"""
    )
    assert any(edge["leftwards"] for edge in edges), "the layout drew no level edge pointing left: nothing tested"
    # where the canvas writes the middle of each text, in CSS pixels of the drawing
    written = opened.js(
        """() => {
             const original = CanvasRenderingContext2D.prototype.fillText, seen = [];
             CanvasRenderingContext2D.prototype.fillText = function (text, x, y) {
               const m = this.getTransform(), r = window.devicePixelRatio;
               const middle = this.textAlign === "center" ? x : x + this.measureText(text).width / 2;
               seen.push([text, (m.a * middle + m.c * y + m.e) / r, (m.b * middle + m.d * y + m.f) / r]);
               return original.apply(this, arguments);
             };
             try { kgViewer.network.redraw(); } finally { CanvasRenderingContext2D.prototype.fillText = original; }
             return seen; }"""
    )
    assert written, "nothing was drawn"
    for edge in edges:
        near = [abs(x - edge["x"]) < 30 and abs(y - edge["y"]) < 30 for text, x, y in written if text == edge["label"]]
        assert any(near), f"the label of an edge ({edge}) is not drawn on it"
    opened.check_clean()


# the relation labels drawn, as boxes of four corners in CSS pixels of the drawing (the text's width as the canvas
# measures it, the font's size as its height, turned and scaled as the canvas draws it), and how many pairs overlap
DRAWN_RELATION_LABELS = """() => {
    const n = kgViewer.network, proto = Object.getPrototypeOf(Object.values(n.body.edges)[0]);
    const drawLabel = proto.drawLabel, fillText = CanvasRenderingContext2D.prototype.fillText, seen = [], names = [];
    let inLabel = false, inName = null;
    proto.drawLabel = function () {
      inLabel = true;
      try { return drawLabel.apply(this, arguments); } finally { inLabel = false; }
    };
    const nodes = Object.values(n.body.nodes), restore = [];
    for (const node of nodes) {  // each entity's name, as its label module draws it
      const draw = node.labelModule.draw;
      node.labelModule.draw = function () {
        inName = node.id;
        try { return draw.apply(this, arguments); } finally { inName = null; }
      };
      restore.push(() => { delete node.labelModule.draw; });
    }
    CanvasRenderingContext2D.prototype.fillText = function (text, x, y) {
      if (inLabel || inName !== null) {
        const m = this.getTransform(), r = window.devicePixelRatio, measured = this.measureText(text);
        const width = measured.width, height = parseFloat(/([0-9.]+)px/.exec(this.font)[1]);
        const left = this.textAlign === "center" ? x - width / 2 : x;
        // a relation's label is written around its middle; a name hangs (the letters' own extent, whatever the
        // baseline)
        const top = inLabel ? y - height / 2 : y - measured.actualBoundingBoxAscent;
        const bottom = inLabel ? y + height / 2 : y + measured.actualBoundingBoxDescent;
        const corners = [[left, top], [left + width, top], [left + width, bottom], [left, bottom]];
        const box = corners.map(([a, b]) => [(m.a * a + m.c * b + m.e) / r, (m.b * a + m.d * b + m.f) / r]);
        (inLabel ? seen : names).push({text: text, box: box, node: inName});
      }
      return fillText.apply(this, arguments);
    };
    try { n.redraw(); } finally {
      CanvasRenderingContext2D.prototype.fillText = fillText;
      proto.drawLabel = drawLabel;
      restore.forEach(f => f());
    }
    // two boxes overlap when no side of either separates them by more than a pixel
    const apart = (a, b) => [a, b].some(box => [0, 1].some(i => {
      const nx = box[i][1] - box[i + 1][1], ny = box[i + 1][0] - box[i][0], gap = Math.hypot(nx, ny);
      const pa = a.map(p => p[0] * nx + p[1] * ny), pb = b.map(p => p[0] * nx + p[1] * ny);
      return Math.max(...pa) <= Math.min(...pb) + gap || Math.max(...pb) <= Math.min(...pa) + gap;
    }));
    const shown = l => l.box.some(([x, y]) => x >= 0 && y >= 0 && x <= n.canvas.frame.clientWidth &&
                                              y <= n.canvas.frame.clientHeight);
    const inView = seen.filter(shown);
    const overlapping = [];
    inView.forEach((a, i) => inView.slice(i + 1).forEach(b => {
      if (!apart(a.box, b.box)) { overlapping.push([a.text, b.text]); }
    }));
    // the names a label may not cover: every entity's, or with one selected, its own and its neighbours'
    const selected = kgViewer.state.selected;
    const count = selected ? new Set([selected, ...n.getConnectedNodes(selected)]) : null;
    const covered = [];
    inView.forEach(a => names.filter(shown).forEach(b => {
      if ((!count || count.has(b.node)) && !apart(a.box, b.box)) { covered.push([a.text, b.text]); }
    }));
    const middle = box => [box.reduce((s, p) => s + p[0], 0) / 4, box.reduce((s, p) => s + p[1], 0) / 4];
    // each entity's name, all its lines: [left, top, right, bottom]
    const nameBoxes = {};
    names.forEach(b => {
      const xs = b.box.map(p => p[0]), ys = b.box.map(p => p[1]);
      const was = nameBoxes[b.node] || [Infinity, Infinity, -Infinity, -Infinity];
      nameBoxes[b.node] = [Math.min(was[0], ...xs), Math.min(was[1], ...ys), Math.max(was[2], ...xs),
                           Math.max(was[3], ...ys)];
    });
    return {labels: inView.map(l => l.text), middles: inView.map(l => middle(l.box)), overlapping: overlapping,
            names: names.length, covered: covered, nameBoxes: nameBoxes};
}"""

# the straight edges of an entity: id, label, both ends in CSS pixels of the drawing, and a point of the edge where
# no node is (a mouse there is over the edge)
STRAIGHT_EDGES = """id => kgViewer.edges.get().filter(e => (e.from === id || e.to === id) && !e.smooth).map(e => {
    const n = kgViewer.network, a = n.canvasToDOM(n.getPositions([e.from])[e.from]);
    const b = n.canvasToDOM(n.getPositions([e.to])[e.to]);
    let free = null;
    for (let t = 0.5; t >= 0.15 && !free; t -= 0.05) {
      for (const u of [t, 1 - t]) {
        const p = {x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u};
        if (!free && n.getNodeAt(p) === undefined && n.getEdgeAt(p) === e.id) { free = p; }
      }
    }
    return {id: e.id, label: e.label, a: a, b: b, free: free};
})"""


def labelled_on(edge: dict[str, Any], drawn: dict[str, Any]) -> bool:
    """Whether a label with the edge's text is drawn on the edge (its middle on the line, between its ends)."""
    (ax, ay), (bx, by) = (edge["a"]["x"], edge["a"]["y"]), (edge["b"]["x"], edge["b"]["y"])
    length = math.hypot(bx - ax, by - ay)
    for text, (x, y) in zip(drawn["labels"], drawn["middles"], strict=True):
        along = ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / length**2
        off = abs((x - ax) * (by - ay) - (y - ay) * (bx - ax)) / length
        if text == edge["label"] and 0.2 <= along <= 0.8 and off < 4:
            return True
    return False


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_relation_labels_are_drawn_where_they_can_be_read_and_never_over_one_another(
    open_page, main_file: Path, loaded: LoadedGraph, lang: str
):
    """Zoomed in on the whole graph, dozens of relation labels were drawn over one another (around AWS, its
    forty "developed by"), unreadable."""
    opened = open_page(main_file)
    opened.page.click(f"#lang-{lang}")
    ends = Counter(end for s, _p, o in stated_relations(loaded) for end in (s, o))
    hub = max(sorted(ends), key=ends.__getitem__)  # the entity of the most relations
    for scale, selected in ((1.2, None), (2.0, None), (3.0, None), (1.6, str(hub))):
        if selected:
            opened.js("id => kgViewer.select(id, false)", selected)
            wait_for_the_view_to_settle(opened)
        opened.js(
            "([scale, id]) => kgViewer.network.moveTo({scale: scale, position: id ?"
            " kgViewer.network.getPositions([id])[id] : {x: 0, y: 0}})",
            [scale, selected],
        )
        wait_for_the_view_to_settle(opened)
        drawn = opened.js(DRAWN_RELATION_LABELS)
        assert drawn["labels"], f"no relation label drawn at zoom {scale}: nothing tested"
        assert drawn["names"], f"no entity's name drawn at zoom {scale}: nothing tested"
        assert drawn["overlapping"] == [], f"at zoom {scale}, labels drawn over one another"
        assert drawn["covered"] == [], f"at zoom {scale}, labels drawn over entities' names"
    # the mouse over a relation of the hub whose label found no room: its label is drawn, over no other
    edges = [e for e in opened.js(STRAIGHT_EDGES, str(hub)) if e["free"] and not labelled_on(e, drawn)]
    assert edges, "every relation of the hub is labelled: nothing tested"
    box = opened.page.locator("#graph").bounding_box()
    opened.page.mouse.move(box["x"] + edges[0]["free"]["x"], box["y"] + edges[0]["free"]["y"])
    opened.page.wait_for_function(f"() => kgViewer.network.body.edges['{edges[0]['id']}'].hover")
    drawn = opened.js(DRAWN_RELATION_LABELS)
    assert labelled_on(edges[0], drawn), "the label of the edge under the mouse is not drawn"
    assert drawn["overlapping"] == []
    opened.check_clean()


@pytest.mark.parametrize("entity", ["trainium3", "kiro", "amazon-bedrock"])
def test_the_relations_of_the_entity_selected_are_labelled_over_the_faded_names(
    open_page, main_file: Path, loaded: LoadedGraph, entity: str
):
    """Selected from the search or a link, Trainium3 and Kiro had none of their relations labelled: each label's
    place was taken by the pale name of an entity faded out, one the selection leaves in the background. Their
    labels cover no name that is not faded: with Amazon Bedrock selected, an "added to" once sat on its name,
    placed by where the names were before vis-network drew them under their nodes."""
    opened = open_page(main_file, fragment=f"#{entity}")
    wait_for_the_view_to_settle(opened)
    node = str(KGR[entity])
    assert opened.js("() => kgViewer.state.selected") == node
    mine = opened.js(
        "id => kgViewer.labels().filter(l => [kgViewer.edges.get(l.edge).from, kgViewer.edges.get(l.edge).to]"
        ".includes(id)).length",
        node,
    )
    assert mine, "none of its relations is in the window: nothing tested"
    drawn = opened.js(DRAWN_RELATION_LABELS)
    assert drawn["labels"], f"none of the relations of {entity} is labelled ({mine} in the window)"
    assert drawn["overlapping"] == []
    assert drawn["covered"] == [], "labels drawn over the names of the entity or its neighbours"
    opened.check_clean()


# a point of the drawing inside the box of a relation label drawn (or not drawn), in CSS pixels of the drawing: in
# the window, on no node, farther than 6 pixels from every edge's line and inside no other label drawn; or null
#: A JavaScript function for the page: whether a point of the drawing is inside a label's box (4 corners in order).
INSIDE_A_BOX = """(box, p) => [0, 1, 2, 3].every(i => {
      const a = box[i], b = box[(i + 1) % 4], c = box[(i + 2) % 4];
      const side = (q) => (b[0] - a[0]) * (q[1] - a[1]) - (b[1] - a[1]) * (q[0] - a[0]);
      return side([p.x, p.y]) * side(c) > 0;
    })"""

POINT_ON_A_LABEL = """drawn => {
    const n = kgViewer.network, body = n.body, scale = n.getScale(), labels = kgViewer.labels();
    const inside = INSIDE_A_BOX;
    const width = n.canvas.frame.clientWidth, height = n.canvas.frame.clientHeight;
    // a label drawn off the middle of its edge first: it is the one that would move
    const order = labels.filter(l => l.drawn === drawn).sort((a, b) => (a.along === 0.5) - (b.along === 0.5));
    for (const label of order) {
      const [a, b, , d] = label.box;
      for (let i = 0.1; i <= 0.9; i += 0.05) {
        for (let j = 0.15; j <= 0.85; j += 0.05) {
          const p = {x: a[0] + (b[0] - a[0]) * i + (d[0] - a[0]) * j, y: a[1] + (b[1] - a[1]) * i + (d[1] - a[1]) * j};
          const dom = n.canvasToDOM(p);
          if (dom.x < 0 || dom.y < 0 || dom.x > width || dom.y > height || n.getNodeAt(dom) !== undefined) continue;
          if (labels.some(l => l.drawn && l.edge !== label.edge && inside(l.box, p))) continue;
          if (body.edgeIndices.some(id => {
            const e = body.edges[id];
            const away = e.edgeType.getDistanceToEdge(e.from.x, e.from.y, e.to.x, e.to.y, p.x, p.y) * scale;
            return e.connected && away <= 7;  // the mouse is on a line within 6 pixels of it
          })) continue;
          return {edge: label.edge, along: label.along, x: dom.x, y: dom.y};
        }
      }
    }
    return null;
}""".replace("INSIDE_A_BOX", INSIDE_A_BOX)

HOVERED_EDGES = "() => Object.values(kgViewer.network.body.edges).filter(e => e.hover).map(e => e.id)"
TOOLTIP = """() => { const t = document.querySelector('.vis-tooltip');
                     return t && t.style.visibility !== 'hidden' ? t.textContent : null; }"""


def test_only_a_relation_label_drawn_takes_the_mouse(open_page, main_file: Path, loaded: LoadedGraph):
    """vis-network takes the mouse as on an edge within 10 units of the drawing from its line: zoomed in, a band as
    wide as the edge's label on either side. Where the label found no room and was not drawn, the mouse over its
    empty place hovered the edge (drawing its label), showed its tooltip, and a click there selected it.

    A line takes the mouse within 6 pixels of the screen, which covers most of a relation label of 11 pixels: the
    place of a label not drawn is looked for with the hub selected, its relations' labels drawn larger."""
    opened = open_page(main_file)
    ends = Counter(end for s, _p, o in stated_relations(loaded) for end in (s, o))
    # the entities of the most relations first: labels find no room around the hub
    centres = sorted(sorted(ends), key=ends.__getitem__, reverse=True)
    hub = centres[0]
    move = "id => kgViewer.network.moveTo({scale: 2, position: kgViewer.network.getPositions([id])[id]})"
    opened.js(move, hub)
    wait_for_the_view_to_settle(opened)
    box = opened.page.locator("#graph").bounding_box()
    for drawn in (False, True):
        if not drawn:
            opened.js("id => { kgViewer.select(id, false); kgViewer.network.redraw(); }", hub)
            wait_for_the_view_to_settle(opened)
        point = opened.js(POINT_ON_A_LABEL, drawn)
        for centre in centres[1:4] if drawn and point is None else ():  # a label drawn clear of the lines nearby
            opened.js(move, centre)
            wait_for_the_view_to_settle(opened)
            point = opened.js(POINT_ON_A_LABEL, drawn)
            if point is not None:
                break
        assert point is not None, f"no place of a label {'drawn' if drawn else 'not drawn'} away from the lines"
        opened.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        opened.page.wait_for_timeout(600)  # the tooltip shows 200 ms after the mouse stops
        title = opened.js("id => kgViewer.edges.get(id).title", point["edge"])
        if drawn:
            assert opened.js(HOVERED_EDGES) == [point["edge"]], "a label drawn does not take the mouse"
            assert opened.js(TOOLTIP) == title
            # the label hovered (now bold, placed first) stays where it was, under the mouse
            place = [p["along"] for p in opened.js("() => kgViewer.labels()") if p["edge"] == point["edge"]]
            assert place == [point["along"]], "the label hovered moved"
            assert opened.js("p => kgViewer.network.getEdgeAt(p)", point) == point["edge"]
        else:
            assert opened.js(HOVERED_EDGES) == [], "the place of a label not drawn takes the mouse"
            assert opened.js(TOOLTIP) is None, "the place of a label not drawn shows a tooltip"
        opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        opened.page.wait_for_timeout(200)
        assert opened.js("() => kgViewer.network.getSelectedEdges()") == ([point["edge"]] if drawn else [])
        assert opened.js("() => kgViewer.network.getSelectedNodes()") == []
        opened.js("() => kgViewer.clearSelection()")
    opened.check_clean()


POINT_NEAR_A_LINE = """([low, high]) => {
    // a point between low and high pixels of the screen from one edge's line, farther than 2 * high from every
    // other line, on no entity, in no label's box (drawn or not) and on no name (drawn over the lines: from
    // afar, a click on one is on its entity)
    const n = kgViewer.network, body = n.body, scale = n.getScale(), labels = kgViewer.labels();
    const names = kgViewer.names();
    const inBox = INSIDE_A_BOX;
    const away = (e, p) => e.edgeType.getDistanceToEdge(e.from.x, e.from.y, e.to.x, e.to.y, p.x, p.y) * scale;
    const width = n.canvas.frame.clientWidth, height = n.canvas.frame.clientHeight;
    for (const id of body.edgeIndices) {
      const edge = body.edges[id];
      if (!edge.connected || edge.from === edge.to) continue;
      const dx = edge.to.x - edge.from.x, dy = edge.to.y - edge.from.y, length = Math.hypot(dx, dy);
      if (!length) continue;
      for (let t = 0.2; t <= 0.8; t += 0.05) {
        for (const sign of [1, -1]) {
          const off = (low + high) / 2 / scale;
          const p = {x: edge.from.x + dx * t - sign * dy / length * off,
                     y: edge.from.y + dy * t + sign * dx / length * off};
          const dom = n.canvasToDOM(p);
          if (dom.x < 0 || dom.y < 0 || dom.x > width || dom.y > height || n.getNodeAt(dom) !== undefined) continue;
          const own = away(edge, p);
          if (own <= low || own >= high) continue;
          if (labels.some(l => inBox(l.box, p))) continue;
          const onName = m => dom.x >= m.box[0] && dom.x <= m.box[2] && dom.y >= m.box[1] && dom.y <= m.box[3];
          if (names.some(onName)) continue;
          if (body.edgeIndices.some(other => other !== id && body.edges[other].connected
                                             && away(body.edges[other], p) <= 2 * high)) continue;
          return {edge: id, x: dom.x, y: dom.y};
        }
      }
    }
    return null;
}""".replace("INSIDE_A_BOX", INSIDE_A_BOX)


@pytest.mark.parametrize("scale", [2, 0.3], ids=["zoomed-in", "zoomed-out"])
@pytest.mark.parametrize("phone", [False, True], ids=["mouse", "touch"])
def test_a_click_or_a_tap_near_a_line_selects_its_relation(open_page, main_file: Path, phone: bool, scale: float):
    """An edge took the mouse within 4 pixels of its line only, and zoomed out within 10 units of the drawing (3
    pixels at a zoom of 0.3), a target hard to hit: a click 5 pixels from a line selected nothing, nor zoomed out a
    tap 8 pixels from it. A click within 6 pixels, a tap within 12, now select it at any zoom; farther, a click
    selects nothing (and closes the panel, as a click on empty space does)."""
    opened = open_page(main_file, PHONE if phone else VIEWPORT, phone=phone)
    opened.js("s => kgViewer.network.moveTo({scale: s})", scale)
    wait_for_the_view_to_settle(opened)
    box = opened.page.locator("#graph").bounding_box()
    for band, selects in (([4.5, 5.5], True), ([8, 10], phone)):
        point = opened.js(POINT_NEAR_A_LINE, band)
        assert point is not None, f"no place {band[0]}-{band[1]} pixels from one line alone"
        where = (box["x"] + point["x"], box["y"] + point["y"])
        if phone:
            opened.page.touchscreen.tap(*where)
        else:
            opened.page.mouse.click(*where)
        opened.page.wait_for_timeout(200)
        assert opened.js("() => kgViewer.network.getSelectedEdges()") == ([point["edge"]] if selects else []), band
        opened.js("() => kgViewer.clearSelection()")
    opened.check_clean()


HOVERED_NODES = "() => Object.values(kgViewer.network.body.nodes).filter(n => n.hover).map(n => n.id)"


def test_a_tooltip_goes_when_the_mouse_leaves_the_drawing_or_the_view_moves(open_page, main_file: Path):
    """vis-network hides a tooltip when the mouse moves off its entity over the drawing: one that left the drawing
    for Fit, or a wheel's zoom under a still mouse, left the tooltip (and the entity drawn as hovered) where it was,
    over whatever came there. Both go; the mouse back on the entity hovers it again."""
    opened = open_page(main_file)
    box = opened.page.locator("#graph").bounding_box()
    entity = str(KGR.sony)
    title = opened.js("id => kgViewer.nodes.get(id).title", entity).replace("\n", "")  # lines of one element

    def hover() -> None:
        point = opened.js("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", entity)
        opened.page.mouse.move(box["x"] + point["x"] - 2, box["y"] + point["y"])
        opened.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        opened.page.wait_for_timeout(600)  # the tooltip shows 200 ms after the mouse stops
        assert opened.js(HOVERED_NODES) == [entity]
        assert opened.js(TOOLTIP) == title

    hover()
    opened.page.locator("#fit").hover()  # off the drawing, onto the sidebar
    assert opened.js(TOOLTIP) is None
    assert opened.js(HOVERED_NODES) == []
    hover()
    opened.page.mouse.wheel(0, -300)  # the view zooms under the mouse, which has not moved
    opened.page.wait_for_timeout(300)
    assert opened.js(TOOLTIP) is None
    wait_for_the_view_to_settle(opened)
    hover()
    opened.js("() => kgViewer.network.moveTo({scale: 0.5})")  # as Fit, the keys and a choice's zoom do
    assert opened.js(TOOLTIP) is None
    assert opened.js(HOVERED_NODES) == []
    opened.check_clean()


def test_a_tap_on_a_section_tag_shows_the_section_and_its_time(open_page, main_file: Path):
    """A relation's or a figure's source was a "§3" tag whose section and time range showed only in a mouse's
    tooltip: on a phone (or with the keyboard) nothing said which part of the keynote §3 is."""
    opened = open_page(main_file, PHONE, phone=True)
    page = opened.page
    opened.js("id => kgViewer.select(id, true)", str(KGR.trainium3))
    sections = opened.js("() => JSON.parse(document.getElementById('kg-data').textContent).sections")
    by_order = {section["order"]: section for section in sections.values()}
    for where in ("#details .relations-out", "#details .figures"):
        tag = page.locator(f"{where} .section-tag").first
        section = by_order[int(tag.inner_text().removeprefix("§"))]
        tag.tap()
        spelled = tag.inner_text()
        assert section["label"][0] in spelled
        assert section["range"] in spelled
        tag.tap()
        assert tag.inner_text() == f"§{section['order']}"
    # with the keyboard
    tag = page.locator("#details .relations-in .section-tag").first
    section = by_order[int(tag.inner_text().removeprefix("§"))]
    tag.focus()
    page.keyboard.press("Enter")
    assert section["label"][0] in tag.inner_text()
    opened.check_clean()


def test_a_section_spelled_out_stays_so_in_the_other_language(open_page, main_file: Path, loaded: LoadedGraph):
    """A "§3" tag spelled out in the panel closed when the language was switched (the panel is rebuilt in the
    other language), and the panel went back to its top, away from the figure it was read beside."""
    opened = open_page(main_file, PHONE, phone=True)
    page = opened.page
    sections = opened.js("() => JSON.parse(document.getElementById('kg-data').textContent).sections")
    opened.js("id => kgViewer.select(id, true)", str(KGR.trainium3))
    tags = page.locator("#details button.section-tag")
    wanted = [page.locator(f"{where} .section-tag").first for where in ("#details .relations-out", "#details .figures")]
    places = [w.evaluate("(tag, all) => all.indexOf(tag)", tags.element_handles()) for w in wanted]
    for tag in wanted:
        tag.scroll_into_view_if_needed()
        tag.tap()
    iris = [w.get_attribute("data-section") for w in wanted]
    for lang, index in (("zh", 1), ("en", 0)):
        page.locator(f"#lang-{lang}").tap()
        expanded = [i for i in range(tags.count()) if tags.nth(i).get_attribute("aria-expanded") == "true"]
        assert expanded == places, lang
        for place, iri in zip(places, iris, strict=True):
            text = tags.nth(place).inner_text()
            assert sections[iri]["label"][index] in text, (lang, text)
            assert sections[iri]["range"] in text
        # the last one tapped is still in sight in the panel
        panel = page.locator("#details").bounding_box()
        last = tags.nth(places[-1]).bounding_box()
        assert panel["y"] <= last["y"] and last["y"] + last["height"] <= panel["y"] + panel["height"], lang
    # the panel of a relation keeps its tags spelled out too
    opened.js("() => { kgViewer.clearSelection(); kgViewer.fit(false); }")
    point = opened.js(ON_AN_EDGE_ALONE)
    box = page.locator("#graph").bounding_box()
    page.touchscreen.tap(box["x"] + point["x"], box["y"] + point["y"])
    tag = page.locator("#details .stated-in .section-tag").first
    iri = tag.get_attribute("data-section")
    tag.tap()
    page.locator("#lang-zh").tap()
    assert page.locator("#details-title").inner_text() == opened.js(
        "r => JSON.parse(document.getElementById('kg-data').textContent).relationNames[r][1]", point["rel"]
    )
    assert sections[iri]["label"][1] in page.locator("#details .stated-in .section-tag").first.inner_text()
    opened.check_clean()


#: Each § tag spelled out in the panel: its list (relations out or in, figures), the relation's IRI (by its name in
#: the language shown), the other end's IRI, and the section
SPELLED_OUT = """() => {
  const data = JSON.parse(document.getElementById('kg-data').textContent), zh = document.documentElement.lang !== 'en';
  const iri = name => Object.keys(data.relationNames).find(r => data.relationNames[r][zh ? 1 : 0] === name) || name;
  return [...document.querySelectorAll('#details button.section-tag[aria-expanded="true"]')].map(tag => {
    const line = tag.closest('li'), list = tag.closest('section');
    return [list.className, iri(line.querySelector('.relation').textContent),
            line.querySelector('.entity').getAttribute('data-id'), tag.getAttribute('data-section')];
  });
}"""


def test_the_section_spelled_out_is_the_same_one_in_the_other_language(open_page, main_file: Path):
    """A tag spelled out was spelled out again by its place among the panel's tags, but the relations are sorted by
    their names in the language shown: AWS Security Agent's §12 (its section "Closing"), the third tag in English,
    is the first in Chinese, so the switch to Chinese put it back and spelled out none, or another relation's."""
    opened = open_page(main_file)
    page = opened.page
    opened.js("id => kgViewer.select(id, true)", str(KGR["aws-security-agent"]))
    tags = page.locator("#details button.section-tag")
    places: dict[str, list[int]] = {}
    for lang in ("zh", "en"):
        page.locator(f"#lang-{lang}").click()
        texts = tags.all_inner_texts()
        places[lang] = [i for i, text in enumerate(texts) if text == "§12"]
    assert places["en"] and places["zh"] and places["en"][0] != places["zh"][0]  # the case the bug needs
    tag = tags.nth(places["en"][0])
    tag.click()
    wanted = opened.js(SPELLED_OUT)
    assert len(wanted) == 1 and wanted[0][3] == "src:closing"
    for lang in ("zh", "en", "zh"):
        page.locator(f"#lang-{lang}").click()
        assert opened.js(SPELLED_OUT) == wanted, lang
        spelled = page.locator('#details button.section-tag[aria-expanded="true"]').inner_text()
        assert spelled.endswith("1:35:00 - 结束" if lang == "zh" else "1:35:00 - end"), spelled
    opened.check_clean()


#: Where the panel's list of relations in is, from the top of the panel's window, and how far the panel is scrolled
RELATIONS_IN_AT = """() => {
  const panel = document.getElementById('details'), part = panel.querySelector('.relations-in');
  return [part.getBoundingClientRect().top - panel.getBoundingClientRect().top, panel.scrollTop];
}"""


@pytest.fixture(scope="module")
def chinese_file(loaded: LoadedGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole graph's page in Chinese (``kgraph viz --lang zh``)."""
    path = tmp_path_factory.mktemp("viewer-zh") / "graph.html"
    path.write_bytes(render_page(Context(loaded), select(loaded), lang="zh"))
    return path


def test_a_section_that_runs_to_the_end_ends_in_chinese_on_the_chinese_page(open_page, chinese_file: Path):
    """The closing section's time range is "1:35:00 - end" in the data (the rule time-range.rq's words for a section
    with no end): the Chinese page showed "1:35:00 - end" in the panel's provenance and in a section spelled out. It
    says 结束 there, as ``kgraph show --lang zh`` does; in English, and in the page's data, "end" stays."""
    opened = open_page(chinese_file)
    page = opened.page
    closing = "src:closing"  # the page names the sections by their prefixed names
    data = "iri => JSON.parse(document.getElementById('kg-data').textContent).sections[iri].range"
    assert opened.js(data, closing) == "1:35:00 - end"
    opened.js("id => kgViewer.select(id, true)", str(KGR["aws-security-agent"]))  # featured at the close
    sources = page.locator("#details .sources li").all_inner_texts()
    assert "12. 结尾 1:35:00 - 结束" in sources
    assert "11. Kiro自主代理与安全代理 1:25:00 - 1:35:00" in sources  # a range with an end, as written
    tag = page.locator(f'#details button.section-tag[data-section="{closing}"]').first
    assert tag.get_attribute("title").endswith("结尾 · 1:35:00 - 结束")
    tag.click()
    assert tag.inner_text().endswith("结尾 · 1:35:00 - 结束")
    page.click("#lang-en")
    assert "12. Closing 1:35:00 - end" in page.locator("#details .sources li").all_inner_texts()
    tag = page.locator(f'#details button.section-tag[data-section="{closing}"]').first
    assert tag.get_attribute("title").endswith("Closing · 1:35:00 - end")
    opened.check_clean()


def test_the_tooltips_name_an_entity_in_the_pages_language_first(open_page, chinese_file: Path):
    """A tooltip gives an entity's and its class's names in both languages: on the Chinese page it read "AWS /
    亚马逊云科技" (English first) all the same. The page's language comes first now, and switches with it."""
    opened = open_page(chinese_file)
    page = opened.page
    title = "id => kgViewer.nodes.get(id).title"
    aws = str(KGR.aws)
    assert opened.js(title, aws) == "亚马逊云科技 / AWS\n公司 / Company"
    # the tooltip shown is that one
    point = opened.js("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", aws)
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_function(TOOLTIP, timeout=5000)
    assert opened.js(TOOLTIP).startswith("亚马逊云科技 / AWS")
    relation = "() => kgViewer.edges.get({filter: e => e.rel === 'kg:succeeds'})[0].title"
    assert opened.js(relation) == "继任 / succeeds"
    page.click("#lang-en")
    assert opened.js(title, aws) == "AWS / 亚马逊云科技\nCompany / 公司"
    assert opened.js(relation) == "succeeds / 继任"
    assert opened.js(title, str(KGR.trainium3)) == "Trainium3\nChip / 芯片"  # a name the same in both, once
    opened.check_clean()


#: The relation listed at the top of the panel (the first line in it that reaches below its top edge): its relation's
#: IRI (by its name in the language shown), the other end's IRI, and where its top is from the panel's top
LINE_AT_TOP = """() => {
  const data = JSON.parse(document.getElementById('kg-data').textContent), zh = document.documentElement.lang !== 'en';
  const iri = name => Object.keys(data.relationNames).find(r => data.relationNames[r][zh ? 1 : 0] === name) || name;
  const panel = document.getElementById('details'), edge = panel.getBoundingClientRect().top + panel.clientTop;
  const line = [...panel.querySelectorAll('.relations-in li')].find(li => li.getBoundingClientRect().bottom > edge);
  return [iri(line.querySelector('.relation').textContent), line.querySelector('.entity').getAttribute('data-id'),
          line.getBoundingClientRect().top - edge];
}"""


@pytest.mark.parametrize("size", [VIEWPORT, PHONE], ids=["desktop", "phone"])
def test_the_other_language_keeps_the_panel_where_it_was_read(open_page, main_file: Path, size: dict[str, int]):
    """Switching the language went back to the top of the panel (rebuilt in the other language), away from the
    relation or figure being read; it was kept only with a section spelled out. Then it kept the list of relations
    where it was, but the relations are sorted by their names in the language shown: another relation came where
    the one read had been. The one read stays there."""
    opened = open_page(main_file, size, phone=size is PHONE, fragment="#aws")
    page = opened.page
    # AWS's 44 relations in, read half way down
    opened.js("""() => { const panel = document.getElementById('details'), part = panel.querySelector('.relations-in');
                         panel.scrollTop += part.getBoundingClientRect().top - panel.getBoundingClientRect().top
                           + part.offsetHeight / 2; }""")
    top, scroll = opened.js(RELATIONS_IN_AT)
    assert scroll > 300 and top < -100
    *read, at = opened.js(LINE_AT_TOP)
    for lang in ("zh", "en"):
        page.locator(f"#lang-{lang}").click()
        heading = page.locator("#details .relations-in h3").text_content()
        assert heading.startswith("入向关系" if lang == "zh" else "Relations in")
        *now, now_at = opened.js(LINE_AT_TOP)
        assert now == read, lang
        assert abs(now_at - at) <= 1, (lang, now_at, at)
        assert opened.js(RELATIONS_IN_AT)[1] > 300
    # at the top, it stays at the top
    opened.js("() => { document.getElementById('details').scrollTop = 0; }")
    page.locator("#lang-zh").click()
    assert opened.js(RELATIONS_IN_AT)[1] == 0
    opened.check_clean()


#: The points of the panel that do not take the mouse for the target they should: the 24 x 24 pixels around the
#: middle of each § tag, and the middle of each other button (the links to entities, the close button), each
#: scrolled into view
TARGETS_MISSED = """() => {
  const panel = document.getElementById('details'), missed = [];
  const takes = (target, x, y) => {
    const hit = document.elementFromPoint(x, y);
    if (!hit || hit.closest('button') !== target) {
      missed.push([target.textContent, x, y, hit ? hit.outerHTML.slice(0, 80) : null]);
    }
  };
  for (const target of panel.querySelectorAll('button')) {
    target.scrollIntoView({block: 'center'});
    const r = target.getClientRects()[0], x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    if (!target.classList.contains('section-tag')) { takes(target, x, y); continue; }
    for (const dx of [-11.5, 0, 11.5]) { for (const dy of [-11.5, 0, 11.5]) { takes(target, x + dx, y + dy); } }
  }
  return missed;
}"""

#: The height of each relation listed on one line with a § tag
ROWS = """() => [...document.querySelectorAll('#details ul.links li')]
  .filter(li => li.querySelector('button.section-tag') && li.getBoundingClientRect().height < 40)
  .map(li => li.getBoundingClientRect().height)"""


@pytest.mark.parametrize("size", [VIEWPORT, PHONE], ids=["desktop", "phone"])
def test_a_section_tag_takes_the_mouse_24_pixels_wide_and_high(open_page, main_file: Path, size: dict[str, int]):
    """The § tags were 22 x 17 pixels, 3 pixels apart: targets under the 24 x 24 of WCAG 2.5.8. Each takes the 24 x 24
    pixels around its middle now, no other target losing its own, with the relations' lines as dense as they were."""
    opened = open_page(main_file, size, phone=size is PHONE)
    for entity in (KGR.aws, KGR.trainium3):
        opened.js("id => kgViewer.select(id)", str(entity))
        opened.page.locator("#details button.section-tag").last.click()  # one spelled out
        assert opened.page.locator("#details button.section-tag").count() > 5
        assert opened.js(TARGETS_MISSED) == []
        rows = opened.js(ROWS)
        assert rows and max(rows) <= 28, rows  # 25.6 with the tags 17 pixels high
    opened.check_clean()


def test_the_sections_of_two_documents_are_told_apart(open_page, tmp_path: Path):
    """With a source of one's own beside the keynote, Trainium3's "developed by AWS" (stated in the keynote's section
    1 and the page's sections 1 and 2) was tagged "§1 §1 §2": which §1 was the keynote's was anyone's guess, and the
    sections came interleaved by position, as its sources did ("1. Overview", "1. Overview", "2. Performance", "3. AI
    infrastructure"). Each tag now carries its document's mark (AWS §1, Acme §1), spelled out it names the document,
    and sections come document by document in the order ``kgraph stats`` lists them."""
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    (data / "50-vendor-page.trig").write_text(SECOND_DOCUMENT, encoding="utf-8")
    loaded = load(data_dir=data, ontology_dir=default_ontology_dir())
    path = tmp_path / "two.html"
    path.write_bytes(render_page(Context(loaded), select(loaded)))
    opened = open_page(path, PHONE, phone=True)
    page = opened.page
    opened.js("id => kgViewer.select(id, true)", str(KGR.trainium3))
    lines = page.locator("#details .relations-out li")
    place = [text.startswith("developed by") for text in lines.all_inner_texts()].index(True)
    tags = lines.nth(place).locator(".section-tag")  # the line is there in Chinese too, as 开发方
    assert tags.all_inner_texts() == ["Acme §1", "Acme §2", "AWS §1"]  # as stats lists them: the page's IRI first
    assert tags.first.get_attribute("title") == "Acme product page, §1. Overview · 00:00 - 02:00"
    tags.last.tap()
    assert tags.last.inner_text() == "AWS re:Invent 2025 keynote summary, §1. Overview"
    sources = page.locator("#details .sources")
    assert sources.locator("p.document").all_inner_texts() == [
        "Acme product page",
        "AWS re:Invent 2025 keynote summary",
    ]
    assert [ul.locator("li .section-name").all_inner_texts() for ul in sources.locator("ul").all()] == [
        ["1. Overview", "2. Performance"],
        ["1. Overview", "3. AI infrastructure"],
    ]
    # in Chinese the spelled-out tag names the document in Chinese, and the headings of the sources too
    page.locator("#lang-zh").tap()
    assert tags.all_inner_texts()[:2] == ["Acme §1", "Acme §2"]
    assert tags.last.inner_text() == "AWS re:Invent 2025 主题演讲总结, §1. 会议概述"
    assert sources.locator("p.document").all_inner_texts() == ["Acme 产品页", "AWS re:Invent 2025 主题演讲总结"]
    # a relation stated in one document alone is tagged with its mark too: the mark says whose §3 it is
    succeeds = page.locator("#details .relations-out li").filter(has_text="继任").first
    assert succeeds.locator(".section-tag").all_inner_texts() == ["AWS §3"]
    opened.check_clean()


# ------------------------------------------------------------------------------------------ the address


SELECTED = "() => kgViewer.network.getSelectedNodes()"
HIDDEN = "() => kgViewer.nodes.get({filter: n => n.hidden}).map(n => n.id).sort()"


def fragment_of(opened: Opened) -> str:
    return str(opened.js("() => location.hash"))


def test_a_reload_keeps_the_selection_and_the_filters_and_back_goes_to_the_entity_before(
    open_page, main_file: Path, loaded: LoadedGraph
):
    """The selection and the filters were lost on reload, and the address could not be shared."""
    opened = open_page(main_file)
    page = opened.page
    steps = opened.js("() => history.length")
    page.fill("#search", "Trainium3")
    page.keyboard.press("Enter")
    assert fragment_of(opened) == "#trainium3"
    people = sorted(str(s) for s in loaded.graph.subjects(RDF.type, KG.Person))
    page.locator('#legend input[data-id="kg:Person"]').uncheck()
    page.locator('#relation-filter input[data-id="kg:uses"]').uncheck()
    page.locator('#relation-filter input[data-id="kg:partOf"]').uncheck()
    assert fragment_of(opened) == "#trainium3&hide-classes=Person&hide-relations=uses,partOf"
    assert opened.js("() => history.length") == steps + 1, "a filter is no step of its own in the history"
    page.locator(f'#details button.entity[data-id="{KGR.trainium2}"]').first.click()
    assert fragment_of(opened) == "#trainium2&hide-classes=Person&hide-relations=uses,partOf"
    assert opened.js("() => history.length") == steps + 2

    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert opened.js(SELECTED) == [str(KGR.trainium2)]
    assert page.locator("#details-title").inner_text() == "Trainium2"
    assert opened.js(HIDDEN) == people
    assert not page.locator('#legend input[data-id="kg:Person"]').is_checked()
    assert not page.locator('#relation-filter input[data-id="kg:uses"]').is_checked()
    shown = "() => [...new Set(kgViewer.edges.get({filter: e => !e.hidden}).map(e => e.rel))]"
    assert not {"kg:partOf", "kg:uses"} & set(opened.js(shown))
    # Back: the entity before, with the filters as they were when it was left
    page.go_back()
    page.wait_for_function(f"() => kgViewer.network.getSelectedNodes()[0] === '{KGR.trainium3}'")
    assert page.locator("#details-title").inner_text() == "Trainium3"
    assert opened.js(HIDDEN) == people
    opened.check_clean()


def test_back_and_forward_move_through_the_entities_selected(open_page, main_file: Path):
    opened = open_page(main_file)
    page = opened.page
    opened.click_node(str(KGR.trainium3))
    assert fragment_of(opened) == "#trainium3"
    page.locator(f'#details button.entity[data-id="{KGR.aws}"]').click()
    assert fragment_of(opened) == "#aws"
    page.locator("#details .close").click()
    assert fragment_of(opened) == ""
    assert opened.js("() => location.href") == main_file.resolve().as_uri(), "no empty '#' left behind"
    page.go_back()
    page.wait_for_function(f"() => kgViewer.network.getSelectedNodes()[0] === '{KGR.aws}'")
    assert page.locator("#details-title").inner_text() == "AWS"
    page.go_back()
    page.wait_for_function(f"() => kgViewer.network.getSelectedNodes()[0] === '{KGR.trainium3}'")
    assert page.locator("#details-title").inner_text() == "Trainium3"
    page.go_back()
    page.wait_for_function("() => kgViewer.network.getSelectedNodes().length === 0")
    assert page.locator("#details").is_hidden()
    page.go_forward()
    page.wait_for_function(f"() => kgViewer.network.getSelectedNodes()[0] === '{KGR.trainium3}'")
    # the language is kept too, in the same step
    steps = opened.js("() => history.length")
    page.click("#lang-zh")
    assert fragment_of(opened) == "#trainium3&lang=zh"
    assert opened.js("() => history.length") == steps
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("#details-title").inner_text() == "Trainium3"
    assert opened.js(SELECTED) == [str(KGR.trainium3)]
    opened.check_clean()


@pytest.mark.parametrize("fragment", ["#trainium3", "#Trainium3", "#kgr:trainium3", f"#{KGR.trainium3}"])
def test_a_link_to_an_entity_opens_on_it(open_page, main_file: Path, fragment: str):
    opened = open_page(main_file, fragment=fragment)
    wait_for_the_view_to_settle(opened)
    assert opened.js(SELECTED) == [str(KGR.trainium3)]
    assert opened.page.locator("#details-title").inner_text() == "Trainium3"
    assert opened.js("() => kgViewer.network.getScale()") > 1.05  # zoomed in on it, in the part the panel leaves
    point = opened.js("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", str(KGR.trainium3))
    panel = opened.page.locator("#details").bounding_box()
    graph = opened.page.locator("#graph").bounding_box()
    assert 0 < point["x"] < panel["x"] - graph["x"]
    assert opened.page.locator("#notice").is_hidden()
    opened.check_clean()


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("Amazon Bedrock", "amazon-bedrock"),  # its English label
        ("亚马逊云科技", "aws"),  # its Chinese label
        ("amazon  BEDROCK", "amazon-bedrock"),  # as the search compares names: any case, spaces
        ("亞馬遜雲科技", "aws"),  # traditional characters
        ("S3", "amazon-s3"),  # an alternative label
        ("Trainium 3", "trainium3"),  # its words apart
    ],
)
def test_a_link_may_name_an_entity_by_its_label(open_page, main_file: Path, name: str, meant: str):
    """A link naming an entity by its label, as kgraph show takes it (#Amazon%20Bedrock, #亚马逊云科技), opened on
    nothing, with the notice that the view did not show "Amazon Bedrock", although it drew it."""
    opened = open_page(main_file, fragment="#" + quote(name))
    assert opened.js(SELECTED) == [str(KGR[meant])]
    assert opened.page.locator("#notice").is_hidden()
    opened.check_clean()


SAME_NAMES = """
kgr:acme-one a kg:Company ; rdfs:label "Acme"@en , "艾克米"@zh .
kgr:acme-two a kg:Company ; rdfs:label "Acme Corp"@en , "艾克米公司"@zh ; skos:altLabel "ACME"@en .
kgr:widget a kg:Service ; rdfs:label "Widget"@en , "小部件"@zh ; skos:altLabel "Acme Corp"@en ;
    kg:developedBy kgr:acme-two .
"""


def test_a_link_naming_several_entities_or_none_says_so(open_page, tmp_path: Path):
    """What a link names by a name of several entities, or of none, was "what this view does not show": the notice
    now says which it is, and lists the entities of the name with the prefixed name that tells them apart (which
    is no kgr: name for an entity of one's own namespace: the notice said "by its kgr: name" of those too)."""
    path = page_of(tmp_path, "same-names", SAME_NAMES)
    # a label before an alternative label, as kgraph show takes them: "Acme Corp" is the second company
    assert open_page(path, fragment="#acme%20corp").js(SELECTED) == [str(KGR["acme-two"])]
    opened = open_page(path, fragment="#acme")  # the label of one and the alternative label of the other
    assert opened.js(SELECTED) == [str(KGR["acme-one"])]
    opened = open_page(path, fragment="#%E8%89%BE%E5%85%8B%E7%B1%B3%E5%85%AC%E5%8F%B8")  # 艾克米公司
    assert opened.js(SELECTED) == [str(KGR["acme-two"])]
    # both companies named Acme: the name of neither
    (tmp_path / "twice").mkdir()
    twice = page_of(tmp_path / "twice", "same-names", SAME_NAMES.replace('"Acme Corp"@en ,', '"Acme"@en ,'))
    opened = open_page(twice, fragment="#ACME&hide-classes=Nothing")
    said = opened.page.locator("#notice span")
    assert opened.js(SELECTED) == []
    assert said.inner_text() == (
        "This link names what this view does not show: “Nothing”. 2 entities of this view are named “ACME”: "
        "Acme (kgr:acme-one), Acme (kgr:acme-two); a link names one by the name in brackets."
    )
    opened.page.click("#lang-zh")
    assert said.inner_text() == (
        "此链接指向本视图未显示的内容：“Nothing”。本视图中有 2 个实体名为“ACME”："  # noqa: RUF001
        "艾克米（kgr:acme-one）、艾克米公司（kgr:acme-two）；链接可用括号中的名称指明其一。"  # noqa: RUF001
    )
    opened = open_page(twice, fragment="#Acme%20Crop")
    assert opened.js(SELECTED) == []
    assert opened.page.locator("#notice span").inner_text() == "No entity of this view is named “Acme Crop”."
    opened.page.click("#lang-zh")
    assert opened.page.locator("#notice span").inner_text() == "本视图中没有名为“Acme Crop”的实体。"
    opened.check_clean()
    # entities of a namespace of one's own, which has no prefix: their IRIs in brackets, and a link names one so
    (tmp_path / "mine").mkdir()
    own = re.sub(
        r"kgr:(acme-\w+)", r"<https://example.org/my/\1>", SAME_NAMES.replace('"Acme Corp"@en ,', '"Acme"@en ,')
    )
    mine = page_of(tmp_path / "mine", "same-names", own)
    opened = open_page(mine, fragment="#Acme")
    assert opened.page.locator("#notice span").inner_text() == (
        "2 entities of this view are named “Acme”: Acme (<https://example.org/my/acme-one>), "
        "Acme (<https://example.org/my/acme-two>); a link names one by the name in brackets."
    )
    opened = open_page(mine, fragment="#" + quote("<https://example.org/my/acme-two>"))
    assert opened.js(SELECTED) == ["https://example.org/my/acme-two"]
    opened.check_clean()


def test_an_unknown_address_says_so_and_shows_the_graph(open_page, main_file: Path, loaded: LoadedGraph):
    hostile = quote("<img src=x onerror=alert(1)>")
    opened = open_page(main_file, fragment=f"#no-such-chip&hide-classes=Chip,Nothing&colour=red&{hostile}")
    page = opened.page
    notice = page.locator("#notice")
    assert notice.is_visible()
    text = notice.inner_text()
    for named in ("no-such-chip", "Nothing", "colour=red", "<img src=x onerror=alert(1)>"):
        assert f"“{named}”" in text
    assert page.locator("#notice img").count() == 0
    assert opened.js(SELECTED) == []
    assert page.locator("#details").is_hidden()
    chips = sorted(str(s) for s in loaded.graph.subjects(RDF.type, KG.Chip))
    assert opened.js(HIDDEN) == chips, "what the address says that the view has is shown"
    page.click("#lang-zh")
    assert notice.inner_text().startswith("此链接指向本视图未显示的内容")
    page.locator("#notice button").click()
    assert notice.is_hidden()
    # the same link typed into the address bar of an open page
    page.evaluate("() => { location.hash = '#trainium3'; }")
    page.wait_for_function(f"() => kgViewer.network.getSelectedNodes()[0] === '{KGR.trainium3}'")
    page.evaluate("() => { location.hash = '#nonsense%'; }")
    page.wait_for_function("() => kgViewer.network.getSelectedNodes().length === 0")
    assert "“nonsense%”" in notice.inner_text()
    opened.check_clean()


def test_an_address_hiding_the_class_of_its_entity_is_rewritten_as_the_view_shows_it(open_page, main_file: Path):
    """#sony&hide-classes=Company opened on Sony with Company ticked (to show Sony), but the address kept
    hide-classes=Company, after a reload too, and a link copied from it said what the view did not show."""
    opened = open_page(main_file, fragment="#sony&hide-classes=Company,Person")
    page = opened.page
    company = page.locator('#legend input[data-id="kg:Company"]')
    assert opened.js(SELECTED) == [str(KGR.sony)]
    assert company.is_checked()
    assert fragment_of(opened) == "#sony&hide-classes=Person"
    steps = opened.js("() => history.length")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert fragment_of(opened) == "#sony&hide-classes=Person"
    assert opened.js(SELECTED) == [str(KGR.sony)] and company.is_checked()
    assert not page.locator('#legend input[data-id="kg:Person"]').is_checked()
    # typed into the address bar of the open page: the same
    page.evaluate("() => { location.hash = '#aws&hide-classes=Company'; }")
    page.wait_for_function(f"() => kgViewer.network.getSelectedNodes()[0] === '{KGR.aws}'")
    assert fragment_of(opened) == "#aws"
    assert company.is_checked()
    page.go_back()
    page.wait_for_function(f"() => kgViewer.network.getSelectedNodes()[0] === '{KGR.sony}'")
    assert fragment_of(opened) == "#sony&hide-classes=Person"
    assert opened.js("() => history.length") == steps + 1
    opened.check_clean()


def test_a_link_to_an_entity_another_view_does_not_draw_names_it(open_page, loaded: LoadedGraph, tmp_path: Path):
    path = tmp_path / "focus.html"
    view = select(loaded, focus=KGR.trainium3, depth=1)
    path.write_bytes(render_page(Context(loaded), view))
    opened = open_page(path)
    assert opened.js(SELECTED) == [str(KGR.trainium3)]  # no fragment: the focused view opens on its entity
    assert fragment_of(opened) == ""
    outside = sorted(str(s) for s in loaded.graph.subjects(KG.developedBy, KGR.aws) if str(s) not in view.graph)[0]
    label = str(loaded.graph.value(URIRef(outside), RDFS.label))
    opened = open_page(path, fragment="#" + outside.rsplit("/", 1)[1])
    assert f"“{label}” (not drawn in this view)" in opened.page.locator("#notice").inner_text()
    assert opened.js(SELECTED) == []
    opened = open_page(path, fragment="#" + quote(label))  # by its label too
    assert f"“{label}” (not drawn in this view)" in opened.page.locator("#notice").inner_text()
    assert opened.js(SELECTED) == []
    # in the other language, the notice names it in that language (it kept the English words)
    opened.page.click("#lang-zh")
    chinese = next((str(o) for o in loaded.graph.objects(URIRef(outside), RDFS.label) if o.language == "zh"), label)
    assert f"“{chinese}”（不在此视图中）" in opened.page.locator("#notice").inner_text()  # noqa: RUF001
    opened.check_clean()


def test_a_focused_view_closed_stays_closed_on_reload(open_page, loaded: LoadedGraph, tmp_path: Path):
    """A focused view read an address naming no entity as its own entity: the panel closed, a reload selected the
    entity again."""
    path = tmp_path / "focus.html"
    path.write_bytes(render_page(Context(loaded), select(loaded, focus=KGR.trainium3, depth=1)))
    opened = open_page(path)
    page = opened.page
    assert opened.js(SELECTED) == [str(KGR.trainium3)]
    page.locator("#details .close").click()
    closed = fragment_of(opened)
    assert closed, "a closed panel in a focused view says so in the address"
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert opened.js(SELECTED) == []
    assert page.locator("#details").is_hidden()
    assert page.locator("#notice").is_hidden()
    assert fragment_of(opened) == closed
    # with a filter too; then Back to the page as it opened, on its entity
    page.locator('#legend input[data-id="kg:Company"]').uncheck()
    assert fragment_of(opened).startswith(closed + "&hide-classes=")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert opened.js(SELECTED) == []
    page.go_back()
    page.wait_for_function(f"() => kgViewer.network.getSelectedNodes()[0] === '{KGR.trainium3}'")
    assert fragment_of(opened) == ""
    # a link naming an entity still opens on it; the whole graph writes nothing for nothing selected
    opened = open_page(path, fragment="#aws")
    assert opened.js(SELECTED) == [str(KGR.aws)]
    opened = open_page(path, fragment="#" + closed.removeprefix("#") + "&lang=zh")
    assert opened.js(SELECTED) == []
    assert opened.page.locator("html").get_attribute("lang") == "zh-Hans"
    opened.check_clean()


def test_an_entity_typed_into_the_address_bar_is_zoomed_to_as_a_search_does(open_page, main_file: Path):
    """An entity typed into the address of an open page was selected where it was, not zoomed in on and centred
    as when it is chosen in the search."""
    opened = open_page(main_file)
    page = opened.page
    overview = opened.js("() => kgViewer.network.getScale()")
    page.evaluate("() => { location.hash = '#trainium3'; }")
    page.wait_for_function(f"() => kgViewer.network.getSelectedNodes()[0] === '{KGR.trainium3}'")
    wait_for_the_view_to_settle(opened)
    assert page.locator("#details-title").inner_text() == "Trainium3"
    assert opened.js("() => kgViewer.network.getScale()") > max(1.05, overview * 1.3)
    point = opened.js("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", str(KGR.trainium3))
    graph = page.locator("#graph").bounding_box()
    panel = page.locator("#details").bounding_box()
    assert abs(point["x"] - (panel["x"] - graph["x"]) / 2) < 30
    assert abs(point["y"] - graph["height"] / 2) < 30
    # Back and Forward through the page's own steps select without zooming: the zoom stays as the user left it
    page.locator(f'#details button.entity[data-id="{KGR.trainium2}"]').first.click()
    wait_for_the_view_to_settle(opened)
    opened.js("() => kgViewer.network.moveTo({scale: 0.5})")
    page.go_back()
    page.wait_for_function(f"() => kgViewer.network.getSelectedNodes()[0] === '{KGR.trainium3}'")
    wait_for_the_view_to_settle(opened)
    assert opened.js("() => kgViewer.network.getScale()") == 0.5
    opened.check_clean()


def test_the_address_works_through_kgraph_serve(browser: Any):
    """kgraph serve sends the same pages at / and /graph-*.html: the fragment stays in the browser."""
    from test_serve import start_server, stop  # noqa: PLC0415 - the server only for this test

    server = start_server("serve")
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{server.url}/#trainium3&hide-classes=Person")
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        assert page.evaluate(SELECTED) == [str(KGR.trainium3)]
        page.locator(f'#details button.entity[data-id="{KGR.aws}"]').first.click()
        assert page.evaluate("() => location.hash") == "#aws&hide-classes=Person"
        page.reload()
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        assert page.evaluate(SELECTED) == [str(KGR.aws)]
        page.go_back()
        page.wait_for_function(f"() => kgViewer.network.getSelectedNodes()[0] === '{KGR.trainium3}'")
        page.goto(f"{server.url}/graph-chips.html#trainium2")
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        assert page.evaluate(SELECTED) == [str(KGR.trainium2)]
        assert errors == []
    finally:
        context.close()
        stop(server)


# ------------------------------------------------------------------------------------------ window sizes


def panel_and_drawing(opened: Opened) -> tuple[dict[str, float], dict[str, float]]:
    return opened.page.locator("#details").bounding_box(), opened.page.locator("#graph").bounding_box()


def covered_share(panel: dict[str, float], graph: dict[str, float]) -> float:
    """The share of the drawing's area under the panel."""
    width = min(panel["x"] + panel["width"], graph["x"] + graph["width"]) - max(panel["x"], graph["x"])
    height = min(panel["y"] + panel["height"], graph["y"] + graph["height"]) - max(panel["y"], graph["y"])
    return max(0.0, width) * max(0.0, height) / (graph["width"] * graph["height"])


@pytest.mark.parametrize(
    "size",
    [(800, 900), (1000, 700), (900, 600), (700, 500), (390, 844), (360, 640), (360, 400), (640, 360), (568, 320)],
    ids=lambda s: f"{s[0]}x{s[1]}",
)
def test_between_a_phone_and_a_desktop_the_panel_leaves_most_of_the_drawing(open_page, main_file: Path, size):
    """Between 640 and 1000 pixels wide the 360-pixel panel covered most of the drawing beside the sidebar; on a
    phone, half the window's height, it covered three quarters of the drawing under the sidebar."""
    width, height = size
    opened = open_page(main_file, {"width": width, "height": height}, fragment="#trainium3")
    wait_for_the_view_to_settle(opened)
    for lang in ("en", "zh"):
        opened.page.click(f"#lang-{lang}")
        panel, graph = panel_and_drawing(opened)
        assert panel["x"] >= graph["x"] and panel["x"] + panel["width"] <= width
        assert covered_share(panel, graph) <= 0.45, lang
        point = opened.js(
            "id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", str(KGR.trainium3)
        )
        x, y = graph["x"] + point["x"], graph["y"] + point["y"]
        assert graph["x"] < x < graph["x"] + graph["width"] and 0 < y < height
        inside = panel["x"] <= x <= panel["x"] + panel["width"] and panel["y"] <= y <= panel["y"] + panel["height"]
        assert not inside, "the selected entity is behind the panel"
    # the panel still scrolls to its end
    assert opened.js("() => { const d = document.getElementById('details'); return d.scrollHeight > d.clientHeight; }")
    opened.check_clean()


@pytest.mark.parametrize(
    ("before", "after"),
    [((1400, 900), (640, 360)), ((1400, 900), (390, 844)), ((390, 844), (844, 390)), ((844, 390), (390, 844))],
    ids=lambda s: f"{s[0]}x{s[1]}",
)
@pytest.mark.parametrize("entity", ["trainium3", "aws"])
def test_a_resized_window_brings_the_selection_out_from_under_the_panel(
    open_page, main_file: Path, before: tuple[int, int], after: tuple[int, int], entity: str
):
    """Trainium3 selected at 1400 x 900, then the window made 640 x 360 (the browser zoomed to 200%): the view kept
    its centre, and Trainium3 sat on the top edge of the panel, which had moved to the bottom, its neighbours under
    it. A phone turned on its side, or back, did the same."""
    opened = open_page(main_file, {"width": before[0], "height": before[1]}, fragment=f"#{entity}")
    wait_for_the_view_to_settle(opened)
    opened.page.set_viewport_size({"width": after[0], "height": after[1]})
    opened.page.wait_for_timeout(400)  # the resizing over, and the view moved once it is
    wait_for_the_view_to_settle(opened)
    panel, graph = panel_and_drawing(opened)
    iri = str(getattr(KGR, entity))
    point = opened.js("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", iri)
    x, y = graph["x"] + point["x"], graph["y"] + point["y"]
    assert graph["x"] < x < graph["x"] + graph["width"] and graph["y"] < y < graph["y"] + graph["height"]
    if panel["y"] > graph["y"] + 40:  # the panel at the bottom: the entity above it
        assert y < panel["y"] - 12, f"{entity} is on or behind the panel ({y} against {panel['y']})"
    else:  # the panel on the right: the entity left of it
        assert x < panel["x"] - 12, f"{entity} is on or behind the panel ({x} against {panel['x']})"
    assert opened.js("() => kgViewer.state.selected") == iri  # still selected, the panel still on it
    opened.check_clean()


def test_the_desktop_and_phone_layouts_stay_as_they_were(open_page, main_file: Path):
    opened = open_page(main_file, fragment="#trainium3")
    panel, graph = panel_and_drawing(opened)
    assert (panel["x"], panel["y"], panel["width"], panel["height"]) == (VIEWPORT["width"] - 372, 12, 360, 876)
    assert (graph["x"], graph["width"]) == (290, VIEWPORT["width"] - 290)
    opened = open_page(main_file, PHONE, phone=True, fragment="#trainium3")
    panel, graph = panel_and_drawing(opened)
    assert (panel["x"], panel["width"]) == (8, PHONE["width"] - 16)
    assert panel["y"] + panel["height"] == PHONE["height"] - 8
    assert panel["height"] <= PHONE["height"] / 2
    assert (graph["x"], graph["width"]) == (0, PHONE["width"])


# the element with the focus: its box, whether the point at its centre shows it (not something laid over it), and
# whether it lies in the sidebar
FOCUSED = """() => {
    const a = document.activeElement;
    if (a === document.body || a === null) { return null; }
    const r = a.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    const text = (a.labels && a.labels.length ? a.labels[0] : a).textContent.replace(/\\s+/g, " ").trim();
    return {name: a.id || a.getAttribute("aria-label") || text.slice(0, 30) || a.className,
            index: Array.prototype.indexOf.call(document.querySelectorAll("*"), a),
            box: [r.left, r.top, r.right, r.bottom], seen: hit !== null && (hit === a || a.contains(hit)),
            inSidebar: a.closest("#sidebar") !== null};
}"""


def intersect(a: list[float], b: dict[str, float]) -> bool:
    """Whether box a ([left, top, right, bottom]) and bounding box b overlap by more than a pixel's rounding."""
    return (
        a[0] < b["x"] + b["width"] - 0.5
        and b["x"] < a[2] - 0.5
        and a[1] < b["y"] + b["height"] - 0.5
        and (b["y"] < a[3] - 0.5)
    )


@pytest.mark.parametrize(
    ("width", "height", "phone"), [(640, 360, False), (568, 320, True)], ids=["projector at 200%", "phone sideways"]
)
def test_in_a_low_window_every_control_tab_reaches_is_seen_and_the_drawing_keeps_its_room(
    open_page, main_file: Path, width: int, height: int, phone: bool
):
    """At 640 x 360 (a projector at 200% zoom) the phone's sidebar, 34% of the height, could not hold its header,
    toolbar and search: the search box lay over the drawing, and the filters, shrunk to no height, took the focus
    unseen."""
    opened = open_page(main_file, {"width": width, "height": height}, phone=phone, fragment="#trainium3")
    page = opened.page
    graph, sidebar = page.locator("#graph").bounding_box(), page.locator("#sidebar").bounding_box()
    assert graph["width"] * graph["height"] >= 0.55 * width * height
    assert min(graph["width"], graph["height"]) >= 300
    assert not intersect(
        [sidebar["x"], sidebar["y"], sidebar["x"] + sidebar["width"], sidebar["y"] + sidebar["height"]], graph
    )
    every_tab_stop_is_seen(opened, width, height)
    opened.check_clean()


#: Each filter's name as drawn, whether it is cut with "…", and the title of its row
FILTER_NAMES = """() => [...document.querySelectorAll('ul.checks li')].map(li => {
  const name = li.querySelector('.name'), label = li.querySelector('label');
  return [name.textContent, name.scrollWidth > name.clientWidth + 0.5, label.title];
})"""


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("size", "phone"),
    [({"width": 640, "height": 360}, False), ({"width": 568, "height": 320}, True)],
    ids=["projector at 200%", "phone sideways"],
)
def test_a_filter_name_cut_short_is_whole_in_its_title(
    open_page, main_file: Path, size: dict[str, int], phone: bool, lang: str
):
    """In the 220 pixels of a low window's sidebar, class names such as "Programming language" ended in "…" with no
    way to read them whole: each filter's row now has its whole name as its title, in the language shown."""
    opened = open_page(main_file, size, phone=phone, fragment=f"#lang={lang}")
    names = opened.js(FILTER_NAMES)
    if lang == "en":  # the Chinese names are shorter
        assert any(cut for _name, cut, _title in names), "no name is cut short: nothing tested"
    assert [title for _name, _cut, title in names] == [name for name, _cut, _title in names]
    opened.page.click("#lang-zh" if lang == "en" else "#lang-en")
    assert [title for _name, _cut, title in opened.js(FILTER_NAMES)] != [title for _name, _cut, title in names]
    assert all(name == title for name, _cut, title in opened.js(FILTER_NAMES))
    opened.check_clean()


#: Tab stops every_tab_stop_is_seen must reach, as FOCUSED names them on a page in English and in Chinese
TAB_STOPS = {
    "en": {"skip", "search", "Tick none of the relations", "close"},
    "zh": {"skip", "search", "关系：全不选", "关闭"},  # noqa: RUF001 - the page's own colon
}


def every_tab_stop_is_seen(opened: Opened, width: int, height: int, lang: str = "en") -> None:
    """Tab from the skip link through the page: the search, the filters, the panel's controls; each in the window,
    shown at its centre (nothing over it), and one in the sidebar not over the drawing."""
    page = opened.page
    graph = page.locator("#graph").bounding_box()
    page.locator("#skip").focus()
    reached = []
    for _ in range(200):
        focused = opened.js(FOCUSED)
        if focused is None or focused["index"] in [r["index"] for r in reached]:
            break
        reached.append(focused)
        page.keyboard.press("Tab")
    names = [r["name"] for r in reached]
    assert TAB_STOPS[lang] <= set(names), names
    assert len(reached) > 60  # the filters' boxes, and the panel's links
    for r in reached:
        left, top, right, bottom = r["box"]
        assert min(left, top) >= 0 and right <= width and bottom <= height, r
        assert r["seen"], r
        if r["inSidebar"]:
            assert not intersect(r["box"], graph), r


@pytest.mark.parametrize("home", [None, "index.html"], ids=["viz", "build"])
def test_in_a_low_upright_window_the_filters_have_room_and_the_search_stays_off_the_drawing(
    open_page, loaded: LoadedGraph, tmp_path: Path, home: str | None
):
    """At 360 x 400 the phone's sidebar, 34% of the height, held its header, toolbar and search box alone: the
    filters, shrunk to no height, took the focus unseen, and on a page of build's (a link to all views above the
    title) the search box hung over the drawing."""
    width, height = 360, 400
    path = tmp_path / "graph.html"
    path.write_bytes(render_page(Context(loaded), select(loaded), home=home))
    opened = open_page(path, {"width": width, "height": height}, phone=True, fragment="#trainium3")
    page = opened.page
    graph, sidebar = page.locator("#graph").bounding_box(), page.locator("#sidebar").bounding_box()
    assert sidebar["y"] + sidebar["height"] <= graph["y"] + 0.5
    assert page.locator("#search").bounding_box()["y"] + page.locator("#search").bounding_box()["height"] <= graph["y"]
    assert (
        page.locator("#sidebar-rest").bounding_box()["height"] >= 28
    )  # the filters' heading; the rows scroll under it
    assert graph["height"] >= 0.5 * height and graph["width"] == width
    panel = page.locator("#details").bounding_box()
    assert covered_share(panel, graph) <= 0.45
    every_tab_stop_is_seen(opened, width, height)
    opened.check_clean()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("made_by", ["viz", "build", "part"])
def test_on_an_upright_phone_with_the_notice_the_filters_keep_room_and_the_search_stays_off_the_drawing(
    open_page, loaded: LoadedGraph, tmp_path: Path, made_by: str, lang: str
):
    """At 360 x 640 with the notice of a link naming what the view does not show, the sidebar, 34% of the height,
    held its header, toolbar, notice and search box alone: the filters had no height and took the focus unseen, and
    on a focused view of build's (a link to all views, a line saying what part it draws) the search box hung over the
    drawing."""
    width, height = 360, 640
    path = tmp_path / "graph.html"
    view = select(loaded, focus=KGR.trainium3, depth=2) if made_by == "part" else select(loaded)
    path.write_bytes(render_page(Context(loaded), view, home=None if made_by == "viz" else "index.html"))
    fragment = f"#trainium3&hide-classes=Nothing,Nowhere&lang={lang}"
    opened = open_page(path, {"width": width, "height": height}, phone=True, fragment=fragment)
    page = opened.page
    assert page.locator("#notice").is_visible() and page.locator("#details").is_visible()
    graph, sidebar = page.locator("#graph").bounding_box(), page.locator("#sidebar").bounding_box()
    search = page.locator("#search").bounding_box()
    assert sidebar["y"] + sidebar["height"] <= graph["y"] + 0.5
    assert search["y"] + search["height"] <= graph["y"]
    assert (
        page.locator("#sidebar-rest").bounding_box()["height"] >= 28
    )  # the filters' heading; the rows scroll under it
    assert graph["height"] >= 0.5 * height and graph["width"] == width
    assert covered_share(page.locator("#details").bounding_box(), graph) <= 0.45
    every_tab_stop_is_seen(opened, width, height, lang)
    opened.check_clean()


def test_on_an_upright_phone_a_notice_naming_many_things_scrolls_within_three_lines(open_page, main_file: Path):
    """A link naming twenty things the view does not have made a notice as high as the window: the filters, the
    search box and the drawing went below it."""
    width, height = 360, 640
    fragment = "#" + "&".join(f"no-such-thing-{n}" for n in range(20))
    opened = open_page(main_file, {"width": width, "height": height}, phone=True, fragment=fragment)
    page = opened.page
    notice = page.locator("#notice").bounding_box()
    assert notice["height"] <= 3 * 12.5 * 1.4 + 16  # three lines, its padding and edge
    assert page.locator("#sidebar-rest").bounding_box()["height"] >= 28
    assert page.locator("#graph").bounding_box()["height"] >= 0.5 * height
    page.locator("#notice .dismiss").focus()
    dismiss = opened.js(FOCUSED)
    assert dismiss["seen"] and notice["y"] <= dismiss["box"][1] and dismiss["box"][3] <= notice["y"] + notice["height"]
    opened.check_clean()


# the box of the suggestions' list, and whether the point at the centre of the suggestion the arrows reached shows it
SUGGESTIONS_SEEN = """() => {
    const list = document.getElementById("suggestions"), r = list.getBoundingClientRect();
    const active = list.querySelector("li.active");
    if (!active) { return [[r.top, r.bottom], null]; }
    const a = active.getBoundingClientRect();
    const hit = document.elementFromPoint(a.left + a.width / 2, a.top + a.height / 2);
    return [[r.top, r.bottom], [a.top, a.bottom, hit !== null && active.contains(hit)]];
}"""


@pytest.mark.parametrize(("width", "height"), [(568, 320), (640, 360), (360, 400), (390, 844), (1280, 720)], ids=str)
def test_the_suggestions_fit_in_the_window_and_the_arrows_keep_theirs_in_view(
    open_page, loaded: LoadedGraph, tmp_path: Path, width: int, height: int
):
    """At 568 x 320 (a phone on its side) on a page of build's, whose sidebar starts with a link to all views, a long
    list of suggestions ran past the window's bottom, inside the sidebar: its last suggestions, which ↓ reaches,
    were out of sight."""
    path = tmp_path / "graph.html"
    path.write_bytes(render_page(Context(loaded), select(loaded), home="index.html"))
    opened = open_page(path, {"width": width, "height": height}, phone=width <= 640)
    page = opened.page
    page.locator("#search").focus()
    page.keyboard.type("a")
    count = page.locator("#suggestions li[data-id]").count()
    assert count == 12
    (top, bottom), _ = opened.js(SUGGESTIONS_SEEN)
    assert top >= 0 and bottom <= height
    for step in [*["ArrowDown"] * count, "ArrowDown", *["ArrowUp"] * 2]:  # down to the last, round to the first, back
        page.keyboard.press(step)
        (top, bottom), (item_top, item_bottom, seen) = opened.js(SUGGESTIONS_SEEN)
        assert top >= 0 and bottom <= height, step
        assert top <= item_top and item_bottom <= bottom and seen, step
    opened.check_clean()


@pytest.mark.parametrize(("width", "height"), [(568, 320), (640, 360)], ids=str)
def test_a_long_suggestion_in_chinese_fits_in_the_list_under_the_box(
    open_page, loaded: LoadedGraph, tmp_path: Path, width: int, height: int
):
    """In the sidebar beside the drawing (220 pixels) in Chinese, 安全代理渗透测试 Security Agent penetration testing
    stood a character a line, 170 pixels high, in a list the window left 129 pixels: ↓ reached it and it could not be
    seen whole. Its parts that do not fit a line go on the next, whole."""
    path = tmp_path / "graph.html"
    path.write_bytes(render_page(Context(loaded), select(loaded), home="index.html"))
    opened = open_page(path, {"width": width, "height": height}, phone=True, fragment="#trainium3")
    page = opened.page
    page.locator("button[data-lang=zh]").click()
    page.locator("#search").focus()
    page.keyboard.type("a")
    count = page.locator("#suggestions li[data-id]").count()
    assert "安全代理渗透测试" in page.locator("#suggestions").inner_text()
    for step in range(count):
        page.keyboard.press("ArrowDown")
        (top, bottom), (item_top, item_bottom, seen) = opened.js(SUGGESTIONS_SEEN)
        assert top >= 0 and bottom <= height, step
        assert top <= item_top and item_bottom <= bottom and seen, step
    opened.check_clean()


# the placeholder's text as the box's value: the box scrolls if it does not fit (a search box keeps room for its
# clear button, so the room is less than the box's width less its padding)
PLACEHOLDER_FITS = """() => {
    const box = document.getElementById("search");
    box.value = box.placeholder;
    const fits = box.scrollWidth <= box.clientWidth;
    box.value = "";
    return [box.placeholder, fits];
}"""


@pytest.mark.parametrize("size", [VIEWPORT, {"width": 800, "height": 900}, PHONE], ids=lambda s: f"{s['width']}")
def test_the_search_placeholder_fits_its_box(open_page, main_file: Path, size: dict[str, int]):
    """The English placeholder, "Search a name in English or Chinese", was cut off in the sidebar's box."""
    opened = open_page(main_file, size, phone=size is PHONE)
    for lang, start in (("en", "Search"), ("zh", "搜索")):
        opened.page.click(f"#lang-{lang}")
        text, fits = opened.js(PLACEHOLDER_FITS)
        assert text.startswith(start)
        assert fits, f"{text!r} is cut off"
    opened.check_clean()


# ------------------------------------------------------------------------------------------ keyboard and screen reader

ACTIVE = "() => { const a = document.activeElement; return a === document.body ? 'body' : a.id || a.className; }"


def test_closing_the_panel_or_the_notice_from_the_keyboard_leaves_the_focus_in_the_page(open_page, main_file: Path):
    """Enter on the panel's close button (or on the notice's Dismiss) removed the button that had the focus: the
    focus fell to the page's body, and the next Tab started again at the skip link, the panel's place lost."""
    opened = open_page(main_file, fragment="#trainium3&no-such-thing")
    page = opened.page
    page.locator("#notice .dismiss").focus()
    page.keyboard.press("Enter")
    assert not page.locator("#notice").is_visible()
    assert opened.js(ACTIVE) == "search"
    page.keyboard.type("Trainium2")
    page.keyboard.press("Enter")
    assert opened.js(ACTIVE) == "details-title"
    page.keyboard.press("Shift+Tab")  # the close button comes before the title
    assert opened.js(ACTIVE) == "close"
    page.keyboard.press("Enter")
    assert not page.locator("#details").is_visible()
    assert opened.js(ACTIVE) == "search"
    assert not page.locator("#suggestions").is_visible()
    page.keyboard.press("Space")  # and a space: the button does it too
    page.keyboard.press("Backspace")
    page.keyboard.type("Trainium4")
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert not page.locator("#details").is_visible()
    assert opened.js(ACTIVE) == "search"
    opened.check_clean()


@pytest.mark.parametrize("phone", [False, True])
def test_closing_the_panel_or_the_notice_with_the_mouse_or_a_finger_leaves_the_search_box_alone(
    open_page, main_file: Path, phone: bool
):
    """The focus went to the search box after the panel's x or the notice's Dismiss however it was pressed: a click
    put the caret in the box and showed its ring, and on a phone a tap opened the keyboard over the drawing. Only
    Enter or Space (the button had the focus, and would lose it) takes the focus there."""
    size = {"width": 390, "height": 844} if phone else VIEWPORT
    opened = open_page(main_file, size, phone=phone, fragment="#trainium3&no-such-thing")
    page = opened.page
    press = page.tap if phone else page.click
    press("#notice .dismiss")
    assert not page.locator("#notice").is_visible()
    assert opened.js(ACTIVE) != "search"
    page.locator("#search").fill("Trainium2")
    page.keyboard.press("Enter")
    assert opened.js(ACTIVE) == "details-title"
    press("#details .close")
    assert not page.locator("#details").is_visible()
    assert opened.js(ACTIVE) != "search"
    opened.check_clean()


def luminance(rgb: tuple[float, ...]) -> float:
    channels = [c / 255 for c in rgb[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colours(css: str) -> list[tuple[float, ...]]:
    """The opaque colours in a computed style's value (rgb(...) and rgba(...) with alpha 1)."""
    found = [tuple(float(x) for x in m.split(",")) for m in re.findall(r"rgba?\(([^)]*)\)", css)]
    return [c for c in found if len(c) == 3 or c[3] == 1]


#: How long the search's status waits after the last keystroke before it is said (SAY_AFTER in viewer.js).
SAY_AFTER = 1000

# each text the search's status is given, in order, in window.said (a text given again is given again)
RECORD_SAID = """() => {
    const status = document.getElementById("search-status");
    window.said = [];
    new MutationObserver(() => window.said.push(status.textContent))
        .observe(status, { childList: true, characterData: true, subtree: true });
}"""


def pause_the_clock(opened: Opened) -> None:
    """Stop the page's fake clock (``open_page(..., clock=True)``): from now on, a timer fires only as the test
    moves the clock on (``page.clock.run_for``)."""
    opened.page.clock.pause_at(opened.js("Date.now()") + 1000)


# what marks the active suggestion from the others: its background, and any outline, border or shadow drawn
MARKS = """el => {
    const s = getComputedStyle(el), marks = [s.backgroundColor];
    if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) { marks.push(s.outlineColor); }
    for (const side of ["Left", "Top", "Right", "Bottom"]) {
        if (parseFloat(s["border" + side + "Width"]) >= 2) { marks.push(s["border" + side + "Color"]); }
    }
    if (s.boxShadow !== "none") { marks.push(s.boxShadow); }
    return [marks.join(" "), getComputedStyle(el.parentElement).backgroundColor];
}"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_suggestion_the_arrows_reach_is_seen_and_said(open_page, main_file: Path, lang: str):
    """The suggestion ↑ / ↓ reached was marked only by a background of 1.1:1 against the list (a projector shows
    none); a screen reader heard of no option selected, nor how many matched; and once more was typed, the box
    still named as active a suggestion that was no longer so. How many match is said once typing pauses."""
    opened = open_page(main_file, clock=True)
    page = opened.page
    page.click(f"#lang-{lang}")
    pause_the_clock(opened)
    status = page.locator("#search-status")
    page.locator("#search").focus()
    page.keyboard.type("Nova")
    shown = page.locator("#suggestions li[data-id]").count()
    more_line = page.locator("#suggestions li.more")
    more = int(re.sub(r"\D", "", more_line.inner_text())) if more_line.count() else 0
    assert shown >= 5
    expected = {"en": f"{shown + more} entities match", "zh": f"{shown + more} 个实体匹配"}
    assert status.inner_text() == ""  # not yet: typing has not paused
    page.clock.run_for(SAY_AFTER)
    assert status.inner_text() == expected[lang]
    assert status.get_attribute("role") == "status"
    assert status.bounding_box() is None or status.bounding_box()["width"] <= 1  # heard, not seen
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = page.locator("#suggestions li.active")
    assert page.locator("#search").get_attribute("aria-activedescendant") == active.get_attribute("id")
    assert active.get_attribute("aria-selected") == "true"
    assert page.locator("#suggestions li[aria-selected=true]").count() == 1
    marks, behind = active.evaluate(MARKS)
    best = max(contrast(c, colours(behind)[0]) for c in colours(marks))
    assert best >= 3, f"the active suggestion stands out at {best:.2f}:1 only"
    page.keyboard.type(" 2 ")
    assert page.locator("#suggestions li.active").count() == 0
    assert page.locator("#search").get_attribute("aria-activedescendant") is None
    page.keyboard.press("Escape")
    assert page.locator("#search").get_attribute("aria-activedescendant") is None
    page.locator("#search").fill("zzqqxx")
    page.clock.run_for(SAY_AFTER)
    nothing = {"en": "No entity matches", "zh": "没有匹配的实体"}
    assert status.inner_text() == nothing[lang]
    page.locator("#search").fill("trainum")
    page.clock.run_for(SAY_AFTER)
    close = page.locator("#suggestions li[data-id]").count()
    assert close >= 2
    near = {
        "en": f"No entity matches; {close} names are close to it",
        "zh": f"没有匹配的实体；有 {close} 个相近的名称",  # noqa: RUF001
    }
    assert status.inner_text() == near[lang]
    page.locator("#search").fill("")
    assert status.inner_text() == ""
    opened.check_clean()


def test_the_search_status_is_said_once_typing_pauses(open_page, main_file: Path):
    """The status was written at each keystroke, so that a screen reader queued a count per letter: "Nova" four.
    Now the suggestions change at once and the status once, after a pause; the same count after more typing is said
    again (a live region whose text stays the same is not); one waiting when the box is emptied or left is dropped."""
    opened = open_page(main_file, clock=True)
    page = opened.page
    pause_the_clock(opened)
    opened.js(RECORD_SAID)
    search = page.locator("#search")
    search.focus()
    page.keyboard.type("Nova")
    shown = page.locator("#suggestions li[data-id]").count()
    more_line = page.locator("#suggestions li.more")
    count = shown + (int(re.sub(r"\D", "", more_line.inner_text())) if more_line.count() else 0)
    assert shown >= 5  # the suggestions at once
    assert opened.js("said") == []
    page.clock.run_for(SAY_AFTER - 1)
    assert opened.js("said") == []
    page.clock.run_for(1)
    assert opened.js("said") == [f"{count} entities match"]
    # a letter typed and taken back: the same count, said again (the region's text differs by a no-break space)
    page.keyboard.type("x")
    page.keyboard.press("Backspace")
    page.clock.run_for(SAY_AFTER)
    said = opened.js("said")
    assert len(said) == 2
    assert said[1] != said[0]
    assert said[1].strip() == f"{count} entities match"
    page.keyboard.press("ArrowDown")  # nothing waits to be said: nothing is said again
    page.clock.run_for(SAY_AFTER)
    assert len(opened.js("said")) == 2
    # emptied while a count waits: the status is emptied, and the count never said
    page.keyboard.type("a")
    search.fill("")
    page.clock.run_for(SAY_AFTER)
    assert opened.js("said")[2:] == [""]
    # left while a count waits: the same
    search.fill("Trainium")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") != "search"
    page.clock.run_for(SAY_AFTER)
    assert opened.js("said")[2:] == [""]
    # back in the box: what it holds is said once the pause has passed
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "search"
    page.clock.run_for(SAY_AFTER)
    said = opened.js("said")[3:]
    assert len(said) == 1
    assert re.fullmatch(r"\d+ entities match", said[0])
    opened.check_clean()


def test_the_arrows_and_enter_say_the_search_status_at_once(open_page, main_file: Path):
    """Moving into the suggestions, or Enter, says how many match without waiting for the pause."""
    opened = open_page(main_file, clock=True)
    page = opened.page
    pause_the_clock(opened)
    status = page.locator("#search-status")
    page.locator("#search").focus()
    page.keyboard.type("Nova")
    assert status.inner_text() == ""
    page.keyboard.press("ArrowDown")
    assert re.fullmatch(r"\d+ entities match", status.inner_text())
    page.keyboard.type("zzqqxx")
    page.keyboard.press("Enter")  # nothing to pick: the page stays as it is, and says so
    assert status.inner_text() == "No entity matches"
    assert page.evaluate("document.activeElement.id") == "search"
    opened.js(RECORD_SAID)
    page.keyboard.press("ArrowUp")  # said already, and nothing typed since: not said again
    page.clock.run_for(SAY_AFTER)
    assert opened.js("said") == []
    opened.check_clean()


# the accessible name of each control, as a screen reader says it (the ways this page names them)
CONTROL_NAMES = """root => Array.from(root.querySelectorAll("button, input, a[href], [tabindex]"))
  .filter(el => el.getClientRects().length && el.tabIndex >= 0)
  .map(el => {
    const by = el.getAttribute("aria-labelledby");
    const name = el.getAttribute("aria-label") ||
      (by && by.split(" ").map(id => document.getElementById(id).textContent).join(" ")) ||
      (el.labels && el.labels.length ? el.labels[0].textContent : el.textContent);
    return [el.tagName.toLowerCase(), name.replace(/\\s+/g, " ").trim()];
  })"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_control_and_region_has_a_name_of_its_own(open_page, main_file: Path, lang: str):
    """The sidebar's two pairs of buttons were both named "all" and "none" (全选, 全不选): a screen reader, Tab after
    Tab, could not tell the classes' from the relations'; each name now holds the word shown, for voice control.
    The two side regions (the sidebar, the details panel) had no name, and the filter counts changed unheard."""
    opened = open_page(main_file, fragment="#trainium3")
    page = opened.page
    page.click(f"#lang-{lang}")
    names = page.locator("body").evaluate(CONTROL_NAMES)
    assert all(name for _, name in names), names
    repeated = [name for name, n in Counter(name for _, name in names).items() if n > 1]
    # a relation listed in and out of the panel is twice the same link: the same name for the same thing
    buttons = {name for tag, name in names if tag == "button" and name not in repeated}
    expected = {
        "en": {"Tick all classes", "Tick none of the classes", "Tick all relations", "Tick none of the relations"},
        "zh": {"类：全选", "类：全不选", "关系：全选", "关系：全不选"},  # noqa: RUF001
    }
    assert expected[lang] <= buttons
    for button in page.locator("[data-bulk]").all():  # what is seen is in what is heard
        assert button.inner_text() in button.get_attribute("aria-label")
    sidebar = {"en": "Search and filters", "zh": "搜索与筛选"}
    assert page.locator("#sidebar").get_attribute("aria-label") == sidebar[lang]
    details = page.locator("#details")
    assert page.locator("#" + details.get_attribute("aria-labelledby")).inner_text() == "Trainium3"
    assert page.locator("#graph").get_attribute("aria-label") == {"en": "Graph", "zh": "图谱"}[lang]
    assert page.locator("#counts").get_attribute("role") == "status"
    opened.check_clean()


# every text in Chinese characters on the page, and the language its nearest lang attribute gives it
HAN_TEXTS = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), found = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (parent.closest("script, noscript, style") || !/\\p{Script=Han}/u.test(node.data)) { continue; }
        if (!parent.getClientRects().length) { continue; }
        found.push([node.data.trim(), parent.closest("[lang]").getAttribute("lang")]);
    }
    return found;
}"""


def test_chinese_text_on_the_english_page_is_marked_as_chinese(open_page, main_file: Path):
    """On the English page the panel's Chinese name under the English one, a fact given in Chinese only and the
    suggestions' Chinese names had no lang attribute: a screen reader read 亚马逊 letter by letter, or not at all,
    with an English voice, and a browser could pick a Japanese font for it."""
    opened = open_page(main_file, fragment="#amazon")
    page = opened.page
    assert page.locator("#details-title").inner_text() == "Amazon"
    page.locator("#search").fill("Amazon")
    texts = opened.js(HAN_TEXTS)
    assert "亚马逊" in [text for text, _ in texts]
    assert len(texts) >= 4
    assert [text for text, lang in texts if not lang.startswith("zh")] == []
    # and the English page says nothing Chinese otherwise: the whole page in Chinese is marked so
    page.click("#lang-zh")
    assert opened.js("() => document.documentElement.lang") == "zh-Hans"
    opened.check_clean()


# every text seen on the page: its colour and the colour behind it (the nearest background that is not transparent,
# one partly so laid over white, as the panel's is over the drawing's)
TEXT_COLOURS = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), found = [];
    const rgba = css => css.match(/[\\d.]+/g).map(Number).concat([1]).slice(0, 4);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!node.data.trim() || parent.closest("script, noscript, style, .unseen")) { continue; }
        if (!parent.getClientRects().length || parent.closest("[hidden]")) { continue; }
        let behind = parent;
        while (behind && rgba(getComputedStyle(behind).backgroundColor)[3] === 0) { behind = behind.parentElement; }
        const bg = behind ? rgba(getComputedStyle(behind).backgroundColor) : [255, 255, 255, 1];
        const over = bg.slice(0, 3).map(c => c * bg[3] + 255 * (1 - bg[3]));
        found.push([node.data.trim().slice(0, 40), rgba(getComputedStyle(parent).color).slice(0, 3), over]);
    }
    return found;
}"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_text_is_readable_against_what_is_behind_it(open_page, main_file: Path, lang: str):
    """The grey of the counts, the filters' headings and numbers, the panel's headings and the suggestions' classes
    stood at 4.2:1 against the sidebar (3.9:1 on a suggestion under the arrows): under the 4.5:1 of WCAG AA for
    text of their size, and fainter still on a projector."""
    opened = open_page(main_file, fragment="#amazon")
    page = opened.page
    page.click(f"#lang-{lang}")
    page.locator("#search").focus()
    page.keyboard.type("Nova")
    page.keyboard.press("ArrowDown")
    texts = opened.js(TEXT_COLOURS)
    assert len(texts) > 100
    faint = [(text, round(contrast(fg, bg), 2)) for text, fg, bg in texts if contrast(fg, bg) < 4.5]
    assert faint == []
    opened.check_clean()


# every control seen whose edge is drawn by a border rather than by its fill: the border's colour, and the colours
# inside it and outside it (the nearest backgrounds that are not transparent, a partly transparent one laid over white)
CONTROL_EDGES = """() => {
    const rgba = css => css.match(/[\\d.]+/g).map(Number).concat([1]).slice(0, 4);
    const over = c => c.slice(0, 3).map(v => v * c[3] + 255 * (1 - c[3]));
    const behind = el => {
        while (el && rgba(getComputedStyle(el).backgroundColor)[3] === 0) { el = el.parentElement; }
        return el ? over(rgba(getComputedStyle(el).backgroundColor)) : [255, 255, 255];
    };
    const found = [];
    for (const el of document.querySelectorAll("button, input, select, textarea")) {
        if (!el.getClientRects().length || el.closest("[hidden]")) { continue; }
        const s = getComputedStyle(el);
        const sides = ["Top", "Right", "Bottom", "Left"].filter(side =>
            s["border" + side + "Style"] !== "none" && parseFloat(s["border" + side + "Width"]) >= 1);
        if (!sides.length) { continue; }
        const name = (el.id || el.className || el.tagName) + " " + (el.textContent || el.placeholder).slice(0, 20);
        const border = rgba(s["border" + sides[0] + "Color"]).slice(0, 3);
        found.push([name, border, behind(el), behind(el.parentElement)]);
    }
    return found;
}"""


def test_the_edges_of_the_controls_stand_out(open_page, main_file: Path):
    """The search box's and the buttons' borders, #bcccdc, stood at 1.6:1 against white and the sidebar, and the
    panel's section tags' at 1.3:1: under the 3:1 that WCAG 2.1 (1.4.11) asks of what shows a control's edge."""
    opened = open_page(main_file, fragment="#trainium3")
    edges = opened.js(CONTROL_EDGES)
    names = " ".join(name for name, *_ in edges)
    assert "search" in names and "fit" in names and "section-tag" in names
    faint = []
    for name, border, inside, outside in edges:
        if contrast(inside, outside) >= 3:  # its fill draws the edge (the language pressed, dark on the sidebar)
            continue
        ratio = min(contrast(border, inside), contrast(border, outside))
        if ratio < 3:
            faint.append((name, round(ratio, 2)))
    assert faint == []
    opened.check_clean()


# the border of each side of an element: its style, width and colour
BORDERS = """el => { const s = getComputedStyle(el);
    return ["Top", "Right", "Bottom", "Left"].map(side =>
        [s["border" + side + "Style"], s["border" + side + "Width"], s["border" + side + "Color"]]); }"""


@pytest.mark.parametrize("size", [VIEWPORT, PHONE], ids=lambda s: f"{s['width']}")
def test_the_panel_close_button_has_an_edge_as_the_other_buttons_do(open_page, main_file: Path, size: dict[str, int]):
    """The panel's x had no border: a glyph floating in the panel, where every other button has an edge of 3:1
    (WCAG 1.4.11 asks it where the edge shows what is a control). It now has the others' edge, --edge."""
    opened = open_page(main_file, size, phone=size is PHONE, fragment="#trainium3")
    close, fit = opened.page.locator("#details .close"), opened.page.locator("#fit")
    assert close.evaluate(BORDERS) == fit.evaluate(BORDERS)
    style, width, colour = close.evaluate(BORDERS)[0]
    assert style == "solid" and float(width.removesuffix("px")) >= 1
    edges = {name.split()[0]: (border, inside, outside) for name, border, inside, outside in opened.js(CONTROL_EDGES)}
    border, inside, outside = edges["close"]
    assert colours(colour) == [tuple(float(c) for c in border)]
    assert min(contrast(border, inside), contrast(border, outside)) >= 3
    opened.check_clean()


@contextmanager
def _page_of(browser: Any, tmp_path: Path, files: dict[str, bytes], name: str) -> Iterator[Any]:
    """A new page of ``browser``, not yet loaded, closed after the block, for the file ``name`` of ``files`` written
    in ``tmp_path``."""
    (tmp_path / name).write_bytes(files[name])
    page = browser.new_page()
    try:
        yield page
    finally:
        page.close()


def test_the_index_and_the_ontology_pages_are_readable(browser: Any, loaded: LoadedGraph, tmp_path: Path):
    """The index's counts and note and the ontology page's names and IRIs were grey at 4.3:1 on white."""
    files = render(loaded)
    for name in ("index.html", "ontology.html"):
        with _page_of(browser, tmp_path, files, name) as page:
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.goto((tmp_path / name).as_uri())
            texts = page.evaluate(TEXT_COLOURS)
            assert len(texts) > 10
            faint = [(text, round(contrast(fg, bg), 2)) for text, fg, bg in texts if contrast(fg, bg) < 4.5]
            assert faint == [], name
            assert errors == []


#: The texts of a page shown in no landmark (axe's rule "region"), but for the skip link, which that rule allows: a
#: header or footer is a landmark only outside the page's parts (banner, contentinfo), as a screen reader lists them
OUTSIDE_LANDMARKS = """() => {
  const landmark = el => {
    if (el.closest('main, nav, aside, [role=main], [role=navigation], [role=complementary], [role=region], ' +
                   '[role=banner], [role=contentinfo]')) { return true; }
    const part = el.closest('header, footer');
    return Boolean(part) && !part.parentElement.closest('article, aside, main, nav, section');
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), found = [];
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const el = text.parentElement;
    if (!text.textContent.trim() || el.closest('script, style, noscript, #skip') || !el.getClientRects().length) {
      continue;
    }
    if (!landmark(el)) { found.push(text.textContent.trim().slice(0, 40)); }
  }
  return found;
}"""


def test_every_text_of_the_pages_is_in_a_landmark(browser: Any, loaded: LoadedGraph, tmp_path: Path):
    """The index's note under its list of pages, and the ontology page's, were in no landmark (axe's "region"): a
    screen reader going from landmark to landmark never reached them. They are each page's footer (contentinfo)."""
    files = render(loaded)
    for name in ("index.html", "ontology.html", "graph.html"):
        with _page_of(browser, tmp_path, files, name) as page:
            page.goto((tmp_path / name).as_uri())
            if name == "graph.html":
                page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            assert page.evaluate(OUTSIDE_LANDMARKS) == [], name
            if name != "graph.html":
                assert page.locator("body > footer p.note").count() == 1, name


def test_the_index_and_the_ontology_pages_have_a_main_landmark(browser: Any, loaded: LoadedGraph, tmp_path: Path):
    """The index had no <main>: a screen reader's list of landmarks, or its key to the main content, found none."""
    files = render(loaded)
    for name in ("index.html", "ontology.html"):
        with _page_of(browser, tmp_path, files, name) as page:
            page.goto((tmp_path / name).as_uri())
            assert page.locator("main").count() == 1, name
            assert page.locator("main").evaluate("m => m.getClientRects().length > 0 && m.innerText.length > 200")
            if name == "index.html":  # the title and every page the index links are in it
                assert page.locator("main h1").count() == 1
                links = page.locator("a[href$='.html']")
                assert links.count() == 5
                assert page.locator("main a[href$='.html']").count() == links.count()
