"""Render a :class:`~kgraph.viewer.model.View` as one self-contained HTML page that works offline.

pyvis's :class:`~pyvis.network.Network` holds the nodes, edges and vis-network options. pyvis's own templates
are not used: they load vis-network, Bootstrap and tom-select from a CDN, and several of their features insert
labels as raw HTML. Our Jinja template (autoescape on) inlines pyvis's bundled vis-network, our script and our
stylesheet, and hands every piece of data to the script as JSON in a ``<script type="application/json">``
element with ``<``, ``>`` and ``&`` escaped; the script only ever puts data into the page as text. A Content
Security Policy allows exactly the page's own scripts (by hash) and no request at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import unicodedata
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kgraph.analysis import classes_and_relations, project, project_around, whole_size
from kgraph.names import label, qname, simplified
from kgraph.store import LoadedGraph
from kgraph.viewer import layout
from kgraph.viewer.model import Json, View, entity_details, section_names, sections
from kgraph.viewer.style import ClassStyle, class_styles
from kgraph.vocab import KG

#: The seed of every layout: the same graph always gets the same picture.
SEED = 7
LANGUAGES = ("en", "zh")
#: Font sizes (pixels at zoom 1) of node labels (grown for hubs) and of relation labels.
NODE_FONT = 14
EDGE_FONT = 11
#: Up to this many entities a view shows relation labels at first sight.
SMALL_VIEW = 60
#: A node's label is drawn on at most this many lines of at most this many ems (font sizes) each, the last cut
#: with an ellipsis: a name of a hundred characters drawn on one line ran under the sidebar and the panel.
LABEL_LINES = 2
LABEL_EM = 20
#: The least room between two names drawn side by side, in ems of their font: at 10 pixels, the width of a space
#: or two once the whole graph is fitted to a window, two names read as one ("Amazon S3 Amazon Connect").
LABEL_GAP_EM = 1.5
#: Characters that belong to the one before them: a line never starts with one.
_JOINING = frozenset("\u200c\u200d\ufe0e\ufe0f")
#: The vis-network build that pyvis ships.
VIS_NETWORK = ("lib", "vis-9.1.2", "vis-network.min.js")


@dataclass
class Context:
    """What every page of one build shares: the graph, its whole projection, class styles, sections.

    ``around=(entity, depth)``, for a page of one entity's neighbourhood only: ``full`` is then the projection
    within ``depth + 1`` steps of the entity (every relation of every entity drawn, and the names of what lies
    just outside), not the whole graph's, which on a large store takes most of the time; the class and
    relation names still cover the whole graph. The page is the same either way.
    """

    loaded: LoadedGraph
    around: tuple[URIRef, int] | None = None
    full: nx.MultiDiGraph = field(init=False)
    styles: dict[str, ClassStyle] = field(init=False)
    sections: dict[str, Json] = field(init=False)
    #: The source documents of the sections when there are several (none with one: the page is as it was).
    documents: list[Json] = field(init=False)
    #: ``{kg:Chip: [en, zh]}`` and ``{kg:uses: [en, zh]}`` for every class and relation in the projection.
    class_names: dict[str, list[str]] = field(init=False)
    relation_names: dict[str, list[str]] = field(init=False)
    #: Which IRIs are entities (nodes of the whole projection), as the details panel asks.
    entities: Container[str] = field(init=False)

    def __post_init__(self) -> None:
        self.styles = class_styles(self.loaded)
        self.sections, self.documents = sections(self.loaded)
        if self.around is None:
            self.full = project(self.loaded)
            nodes = self.full.nodes(data=True)
            self.class_names = {a["cls"]: [a["cls_label_en"], a["cls_label_zh"]] for _n, a in sorted(nodes)}
            edges = self.full.edges(keys=True, data=True)
            self.relation_names = {k: [a["label_en"], a["label_zh"]] for _u, _v, k, a in edges}
            self.entities = self.full
            return
        focus, depth = self.around
        self.full = project_around(self.loaded, focus, depth + 1)
        graph = self.loaded.graph
        classes, relations = classes_and_relations(self.loaded)
        self.class_names = {qname(graph, c): [label(graph, c, "en"), label(graph, c, "zh")] for c in classes}
        self.relation_names = {qname(graph, p): [label(graph, p, "en"), label(graph, p, "zh")] for p in relations}
        self.entities = _Entities(graph)

    def size(self) -> tuple[int, int]:
        """How many entities and relations the whole graph's projection has (counted apart when ``full`` is
        only the part around an entity)."""
        if self.around is None:
            return self.full.number_of_nodes(), self.full.number_of_edges()
        return whole_size(self.loaded)

    def style(self, cls: str) -> ClassStyle:
        """The style of a class given as a prefixed name (``kg:Chip``); an unknown class gets kg:Entity's."""
        iri = str(self.loaded.graph.namespace_manager.expand_curie(cls)) if ":" in cls else cls
        return self.styles.get(iri) or self.styles.get(str(KG.Entity)) or ClassStyle("#97c2fc", "#2b7ce9", "dot")


class _Entities:
    """``iri in entities``: whether the graph says ``iri`` is a kg:Entity (the whole projection's nodes). Only
    IRIs are asked about (:func:`~kgraph.viewer.model.facts` never asks about the text of a literal)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and (URIRef(iri), RDF.type, KG.Entity) in self.graph


def folds_for(nodes: list[dict[str, Any]], entities: dict[str, Json]) -> dict[str, str]:
    """The traditional-to-simplified folds of :func:`kgraph.names.simplified` that the page's search needs: those
    onto a character of the names it searches (labels and alternative labels, as folded), so that 亞馬遜 finds
    亚马逊 without the whole table in every page."""
    table = simplified()
    texts = [text for node in nodes for text in node["labels"] if text]
    texts += [text for details in entities.values() for _lang, text in details["alt"]]
    wanted = {table.get(ord(char), char) for text in texts for char in text if not char.isascii()}
    return {chr(code): form for code, form in sorted(table.items()) if form in wanted}


def render_page(context: Context, view: View, *, lang: str = "en", home: str | None = None) -> bytes:
    """The HTML of ``view``: UTF-8 bytes, the same for the same graph and arguments."""
    network = build_network(context, view, lang)
    nodes, edges, _heading, _height, _width, options = network.get_network_data()
    data = {
        "lang": lang,
        "title": [view.title_en, view.title_zh],
        "focus": view.focus,
        "part": view.part.json() if view.part is not None else None,
        "nodes": nodes,
        "edges": edges,
        "options": _json_loads(options),
        "classes": legend(context, view.graph),
        "relations": relation_types(view.graph),
        "entities": {
            n: entity_details(context.loaded, context.full, n, view.graph, context.entities) for n in view.graph
        },
        "others": outside_names(context, view.graph),
        "sections": context.sections,
        **({"documents": context.documents} if context.documents else {}),
        "classNames": context.class_names,
        "classStyles": {cls: vars(context.style(cls)) for cls in context.class_names},
        "relationNames": context.relation_names,
        "home": home,
    }
    data["simplified"] = folds_for(data["nodes"], data["entities"])
    assets = _assets()
    html = (
        environment()
        .get_template("viewer.html.j2")
        .render(
            lang=lang,
            title=view.title_en if lang == "en" else view.title_zh,
            data=data,
            home=home,
            csp=content_security_policy(assets["vis"], assets["js"]),
            vis_js=Markup(assets["vis"]),  # noqa: S704 - pyvis's vis-network, checked by _assets() to hold no </script
            viewer_js=Markup(assets["js"]),  # noqa: S704 - our own script, checked likewise
            viewer_css=Markup(assets["css"]),  # noqa: S704 - our own stylesheet, checked to hold no </style
        )
    )
    return html.encode("utf-8")


# ----------------------------------------------------------------------------------------------- the network


def build_network(context: Context, view: View, lang: str) -> Any:  # noqa: ANN401 - pyvis is untyped
    """A pyvis Network with every node (positioned, styled) and edge (labelled) of ``view``, and the options."""
    from pyvis.network import Network  # noqa: PLC0415 - pyvis imports IPython: only when drawing

    graph = view.graph
    network = Network(directed=True, height="100%", width="100%")
    order = list(graph)
    index = {node: i for i, node in enumerate(order)}
    degree = dict(graph.degree())
    where = layout.positions(
        len(order),
        [(index[u], index[v]) for u, v in graph.edges()],
        [node_box(graph.nodes[n], degree[n]) for n in order],
        seed=SEED,
        centre=index.get(view.focus) if view.focus is not None else None,
    )
    for node, (x, y) in zip(order, where, strict=True):
        network.add_node(node, x=x, y=y, **node_look(context, graph.nodes[node], degree[node], lang))
    for number, (u, v, key, attrs, smooth) in enumerate(_edges_with_curves(graph)):
        level = u != v and where[index[u]][1] == where[index[v]][1]
        network.add_edge(u, v, **edge_look(context, number, key, attrs, smooth=smooth, lang=lang, level=level))
    network.options = {**options(len(order)), "groups": groups(context, graph)}
    return network


def node_box(attrs: Json, degree: int) -> tuple[float, float]:
    """The width and height a node needs: its shape and its longest label as drawn, with a margin (across, half
    of :data:`LABEL_GAP_EM` on each side, so that names side by side keep that much room between them)."""
    size, font = node_size(degree), node_font(degree)
    drawn = [drawn_label(attrs["label_en"], font).split("\n"), drawn_label(attrs["label_zh"], font).split("\n")]
    width = max([text_width(line, font) for lines in drawn for line in lines] + [2 * size])
    return (width + LABEL_GAP_EM * font, 2 * size + font * 1.3 * max(len(lines) for lines in drawn) + 8)


def drawn_label(text: str, font: float) -> str:
    """``text`` as a node's label draws it: on :data:`LABEL_LINES` lines at most, each at most :data:`LABEL_EM`
    ems wide, broken at a space or beside a Chinese character (inside a word only when it is longer than a line),
    the last line cut with "…" if the text goes on. The whole name stays in the tooltip, search and panel."""
    limit = LABEL_EM * font
    if text_width(text, font) <= limit:
        return text
    lines: list[str] = []
    rest = text
    while rest and len(lines) < LABEL_LINES:
        cut = len(rest) if text_width(rest, font) <= limit else _line_break(rest, font, limit)
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        last = lines[-1]
        while len(last) > 1 and text_width(last + "…", font) > limit:
            last = last[: _previous_start(last, len(last) - 1)]
        lines[-1] = last.rstrip() + "…"
    return "\n".join(lines)


def _line_break(text: str, font: float, limit: float) -> int:
    """Where the first line of ``text`` ends: the last break within ``limit`` (after a space, or before or after
    a wide character), else the last character that fits."""
    width, fits, best = 0.0, 0, 0
    for i, char in enumerate(text):
        if i and char not in _JOINING and not unicodedata.combining(char) and text[i - 1] != "\u200d":
            if char == " " or text[i - 1] == " " or _wide(char) or _wide(text[i - 1]):
                best = i
            fits = i
        width += char_width(char, font)
        if width > limit:
            return best or fits or 1
    return len(text)


def _previous_start(text: str, end: int) -> int:
    """The start of the last character of ``text[:end + 1]`` that a line may end before (not inside an emoji
    sequence or before a combining mark)."""
    while end > 1 and (text[end] in _JOINING or unicodedata.combining(text[end]) or text[end - 1] == "\u200d"):
        end -= 1
    return end


def text_width(text: str, font: float) -> float:
    """An estimate of the width of ``text`` in pixels: CJK characters are square, others about half as wide."""
    return float(sum(char_width(char, font) for char in text))


def char_width(char: str, font: float) -> float:
    """An estimate of the width of ``char`` in pixels (see :func:`text_width`)."""
    return font if _wide(char) else font * 0.58


def _wide(char: str) -> bool:
    """Whether ``char`` is drawn square, as wide as the font is high (East Asian wide or full-width)."""
    return unicodedata.east_asian_width(char) in "WF"


def node_size(degree: int) -> float:
    """The radius of a node: hubs are drawn larger."""
    return round(9 + 2.2 * math.sqrt(degree), 1)


def node_font(degree: int) -> int:
    """The label size of a node: hubs' labels are larger, up to 6 pixels."""
    return NODE_FONT + min(6, degree // 6)


def node_look(context: Context, attrs: Json, degree: int, lang: str) -> Json:
    """The vis-network fields of a node: label (as drawn), group (its class, which gives its colour), shape,
    size; plus ``labels`` (English, Chinese) for the language switch, the search and the panel, and ``drawn``,
    the two labels as drawn, when a long one is not drawn whole."""
    labels = [attrs["label_en"], attrs["label_zh"]]
    drawn = [drawn_label(name, node_font(degree)) for name in labels]
    look = {
        "label": drawn[LANGUAGES.index(lang)],
        "labels": labels,
        "group": attrs["cls"],
        "shape": context.style(attrs["cls"]).shape,
        "size": node_size(degree),
        "font": {"size": node_font(degree)},
    }
    return look if drawn == labels else {**look, "drawn": drawn}


def _edges_with_curves(graph: nx.MultiDiGraph) -> list[tuple[str, str, str, Json, Json | None]]:
    """Every edge with its curve: the first between two nodes straight, the others bent to either side."""
    seen: Counter[frozenset[str]] = Counter()
    result = []
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        pair = frozenset((u, v))
        rank = seen[pair]
        seen[pair] += 1
        smooth = None
        if rank:
            bend = "curvedCW" if rank % 2 else "curvedCCW"
            smooth = {"enabled": True, "type": bend, "roundness": round(0.25 * ((rank + 1) // 2), 2)}
        result.append((u, v, key, attrs, smooth))
    return result


def edge_look(
    context: Context, index: int, key: str, attrs: Json, *, smooth: Json | None, lang: str, level: bool = False
) -> Json:
    """The vis-network fields of an edge: id, label, curve if any; plus ``rel`` (the relation) and ``sections``
    (the source sections that state it), for the filters and the details panel.

    ``level``: its two ends are drawn at the same height. vis-network 9.1.2 draws the label of such an edge that
    points left at the drawing's origin, wherever the edge is (it turns labels along their edge, and forgets to
    move to the edge when the turn is zero); drawn level instead (``align: horizontal``), it sits on the edge,
    looking as it would."""
    look: Json = {
        "id": f"e{index}",
        "label": attrs["label_en" if lang == "en" else "label_zh"],
        "rel": key,
        "sections": section_names(context.loaded, attrs["sections"]),
    }
    if level:
        look["font"] = {"align": "horizontal"}
    return look if smooth is None else {**look, "smooth": smooth}


def groups(context: Context, graph: nx.MultiDiGraph) -> Json:
    """vis-network groups, one per class drawn: its colours (fill, border, and when selected or hovered)."""
    found = {}
    for cls in sorted({attrs["cls"] for _node, attrs in graph.nodes(data=True)}):
        style = context.style(cls)
        color = {
            "background": style.color,
            "border": style.border,
            "highlight": {"background": style.color, "border": "#102a43"},
            "hover": {"background": style.color, "border": "#102a43"},
        }
        found[cls] = {"color": color, "shape": style.shape}
    return found


def options(count: int) -> Json:
    """vis-network options: positions are given, so physics stays off and the first frame is the final one."""
    large = count > 1000
    return {
        "autoResize": True,
        "physics": {"enabled": False, "stabilization": False},
        "layout": {"randomSeed": SEED, "improvedLayout": False},
        "interaction": {
            "hover": not large,
            "tooltipDelay": 200,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": False,
            "navigationButtons": False,
            # vis-network's keys move the view 10 pixels a frame while held, so a press moves next to nothing (+
            # zooms 2%), and none fits; by default they are the window's (↑ and ↓ of the search box too) and the
            # mouse over the drawing takes the focus from the search box. viewer.js has its own, on the drawing.
            "keyboard": False,
        },
        "nodes": {
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
            "font": {
                "face": "system-ui, 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
                "color": "#102a43",
                "strokeWidth": 4,
                "strokeColor": "#ffffff",
            },
            "scaling": {"label": {"drawThreshold": 7}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "color": {"color": "#bcccdc", "highlight": "#334e68", "hover": "#627d98", "inherit": False},
            "width": 1.2,
            "selectionWidth": 1.5,
            "font": {
                "size": EDGE_FONT,
                "face": "system-ui, 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
                "color": "#486581",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "middle",
            },
            # relation labels: shown at first sight in a small view; in a large one only once zoomed in
            "scaling": {"label": {"drawThreshold": 8 if count <= SMALL_VIEW else 12}},
        },
    }


# ----------------------------------------------------------------------------------------------- side data


def legend(context: Context, graph: nx.MultiDiGraph) -> list[Json]:
    """The classes drawn, most numerous first: ``{id, label: [en, zh], color, border, shape, count}``."""
    counts = Counter(attrs["cls"] for _node, attrs in graph.nodes(data=True))
    names = {attrs["cls"]: [attrs["cls_label_en"], attrs["cls_label_zh"]] for _n, attrs in graph.nodes(data=True)}
    rows = []
    for cls, count in sorted(counts.items(), key=lambda item: (-item[1], names[item[0]][0].casefold(), item[0])):
        style = context.style(cls)
        rows.append(
            {
                "id": cls,
                "label": names[cls],
                "color": style.color,
                "border": style.border,
                "shape": style.shape,
                "count": count,
            }
        )
    return rows


def relation_types(graph: nx.MultiDiGraph) -> list[Json]:
    """The relations drawn, most frequent first: ``{id, label: [en, zh], count}``."""
    counts: Counter[str] = Counter()
    names: dict[str, list[str]] = {}
    for _u, _v, key, attrs in graph.edges(keys=True, data=True):
        counts[key] += 1
        names[key] = [attrs["label_en"], attrs["label_zh"]]
    ordered = sorted(counts.items(), key=lambda item: (-item[1], names[item[0]][0].casefold(), item[0]))
    return [{"id": key, "label": names[key], "count": count} for key, count in ordered]


def outside_names(context: Context, graph: nx.MultiDiGraph) -> dict[str, Json]:
    """Names and classes of the entities a drawn entity is related to that are not drawn themselves."""
    full = context.full
    outside: dict[str, Json] = {}
    for node in graph:
        for other in sorted({*full.successors(node), *full.predecessors(node)} - set(graph)):
            attrs = full.nodes[other]
            outside[other] = {"labels": [attrs["label_en"], attrs["label_zh"]], "cls": attrs["cls"]}
    return dict(sorted(outside.items()))


# ----------------------------------------------------------------------------------------------- assets


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment of the viewer's templates (``kgraph/templates``), autoescape on."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kgraph", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    # Compact JSON that keeps Chinese readable; Jinja's tojson still escapes <, >, & and ' inside it.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    return env


@cache
def _assets() -> dict[str, str]:
    """vis-network (from pyvis's package), our script and stylesheet; none may close its element early."""
    import pyvis  # noqa: PLC0415 - only when drawing

    templates = resources.files("kgraph") / "templates"
    found = {
        "vis": Path(pyvis.__file__).parent.joinpath(*VIS_NETWORK).read_text(encoding="utf-8"),
        "js": (templates / "viewer.js").read_text(encoding="utf-8"),
        "css": (templates / "viewer.css").read_text(encoding="utf-8"),
    }
    for name, text in found.items():
        closing = "</style" if name == "css" else "</script"
        if closing in text.lower() or "<!--" in text:
            raise ValueError(f"the viewer's {name} asset holds {closing!r} or '<!--' and cannot be inlined")
    return found


def content_security_policy(*scripts: str) -> str:
    """Allow the page's own inline scripts (by hash) and styles, and nothing from anywhere else."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)
    return f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:"


def _json_loads(text: str) -> Json:
    loaded: Json = json.loads(text)
    return loaded
