"""Re-take the README's screenshots of the viewer (docs/viewer.png, docs/viewer-zh.png).

Builds the whole-graph page of the bundled graph, opens it in headless Chromium at 1440 x 900 and selects an
entity by clicking it, as a user would. Install a CJK font first (Debian: ``apt-get install fonts-noto-cjk``),
or the Chinese screenshot shows empty boxes. Needs Chromium and the test extra (Playwright). Where pngquant and
optipng are installed (Debian: ``apt-get install pngquant optipng``), the images are made about a third as large
(256 colours, which a screenshot of the viewer does not miss; without them the images are kept as taken).

    python docs/screenshots.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from kgraph.store import load
from kgraph.viewer.model import select
from kgraph.viewer.page import Context, render_page
from kgraph.vocab import KGR

DOCS = Path(__file__).resolve().parent
# The Chromium and its flags are those of the browser tests (tests/conftest.py: CHROMIUM, CHROMIUM_FLAGS, which
# tests/test_viewer.py keeps the same), in a copy of their own: this script runs from a checkout, where tests/ is
# not importable, and conftest.py sets the suite up as it is imported (pytest, hypothesis's profile); nor does
# kgraph itself, which never starts a browser, have a place for them.
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
SHOTS = (("viewer.png", "en", KGR.trainium3), ("viewer-zh.png", "zh", KGR.sony))


def click_node(page: Page, node: str) -> None:
    point = page.evaluate("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", node)
    box = page.locator("#graph").bounding_box()
    if box is None:
        raise RuntimeError("the page has no drawing")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def main() -> None:
    loaded = load()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        for name, lang, node in SHOTS:
            path = Path(tmp) / f"graph-{lang}.html"
            path.write_bytes(render_page(Context(loaded), select(loaded), lang=lang))
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-ready=true]")
            click_node(page, str(node))
            page.mouse.move(320, 890)  # to an empty corner of the drawing, so that no tooltip shows
            page.wait_for_timeout(400)
            page.screenshot(path=str(DOCS / name))
            page.close()
            optimise(DOCS / name)
        browser.close()


def optimise(path: Path) -> None:
    """Make ``path`` smaller with pngquant (256 colours) and optipng (lossless), where they are installed."""
    if shutil.which("pngquant"):
        quantise = ["pngquant", "--quality", "80-95", "--speed", "1", "--strip", "--force", "--output", path, path]
        subprocess.run(quantise, check=True)  # noqa: S603 - a fixed command on our own file
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o5", "-strip", "all", path], check=True)  # noqa: S603, S607


if __name__ == "__main__":
    main()
