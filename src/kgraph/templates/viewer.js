/* kgraph viewer: search, filters, details panel and language toggle over a vis-network drawing.
 *
 * Every piece of graph data comes from the JSON in #kg-data and reaches the page only as text
 * (textContent, createTextNode, attribute values, canvas labels): never as HTML.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("kg-data").textContent);

  var TEXT = {
    en: {
      skip: "Skip to the graph", home: "All views", fit: "Fit", reset: "Reset", search: "Search in English or Chinese",
      classes: "Classes", relations: "Relations", all: "all", none: "none",
      hint: "Click an entity for its details. Scroll to zoom, drag to move; relation labels show when you zoom in. " +
            "On the drawing, the arrow keys move it, + and - zoom, 0 fits.",
      drawing: "Graph: the arrow keys move it, + and - zoom, 0 fits",
      entities: "entities", links: "relations", entity: "entity", link: "relation", showing: "showing", of: "of",
      relation: "Relation", names: "Names", english: "English", chinese: "Chinese", alt: "Also known as", facts: "Facts",
      out: "Relations out", "in": "Relations in", figures: "Figures", sources: "Sources (provenance)",
      made: "{n} figures about what it develops", made1: "1 figure about what it develops",
      notDrawn: "not drawn in this view", statedIn: "stated in", close: "Close", noMatch: "No entity matches",
      closeTo: "No entity matches; did you mean:",
      comparedWith: "compared with", basis: "comparison basis", before: "value before", timeframe: "timeframe",
      kind: "figure kind", metric: "metric", wholeEntity: "section", noRange: "no time range given", nothing: "none",
      toEnd: "end",
      noDocument: "part of no document",
      notInView: "This link names what this view does not show:", dismiss: "Dismiss",
      unnamed: "No entity of this view is named {name}.",
      several: "{n} entities of this view are named {name}: {list}; a link names one by the name in brackets.",
      more: "{n} more: type more of the name",
      partOf: "{n} of {total} {entities}, {m} of {all} {relations}", partType: "type {types}",
      partAround: "{depth} steps around {name}", partAround1: "1 step around {name}", partAlone: "{name} alone",
      sidebar: "Search and filters", graph: "Graph", allClasses: "Tick all classes",
      noClasses: "Tick none of the classes", allRelations: "Tick all relations", noRelations: "Tick none of the relations",
      matches: "{n} entities match", matches1: "1 entity matches", closeN: "No entity matches; {n} names are close to it",
      close1: "No entity matches; 1 name is close to it"
    },
    zh: {
      skip: "跳到图谱", home: "全部视图", fit: "适应窗口", reset: "重置", search: "搜索中文或英文名称",
      classes: "类", relations: "关系", all: "全选", none: "全不选",
      hint: "点击实体查看详情。滚动缩放，拖动移动；放大后显示关系名称。在图上按方向键移动，按 + 和 - 缩放，按 0 适应窗口。",
      drawing: "图谱：方向键移动，+ 和 - 缩放，0 适应窗口",
      entities: "个实体", links: "条关系", entity: "个实体", link: "条关系", showing: "显示", of: "/",
      relation: "关系", names: "名称", english: "英文", chinese: "中文", alt: "别名", facts: "属性",
      out: "出向关系", "in": "入向关系", figures: "数据指标", sources: "来源（出处）",
      made: "其开发的产品有{n}个数据指标", made1: "其开发的产品有1个数据指标",
      notDrawn: "不在此视图中", statedIn: "出处", close: "关闭", noMatch: "没有匹配的实体",
      closeTo: "没有匹配的实体；您要找的是不是：",
      comparedWith: "对比对象", basis: "比较基准", before: "此前数值", timeframe: "覆盖时段",
      kind: "指标类型", metric: "度量内容", wholeEntity: "章节", noRange: "未给出时间", nothing: "无",
      toEnd: "结束",
      noDocument: "不属于任何文档",
      notInView: "此链接指向本视图未显示的内容：", dismiss: "关闭",
      unnamed: "本视图中没有名为{name}的实体。",
      several: "本视图中有 {n} 个实体名为{name}：{list}；链接可用括号中的名称指明其一。",
      more: "另有 {n} 个：请输入更完整的名称",
      partOf: "共 {total} 个实体中的 {n} 个、{all} 条关系中的 {m} 条", partType: "类为{types}",
      partAround: "{name} 周围 {depth} 跳以内", partAround1: "{name} 周围 1 跳以内", partAlone: "仅 {name}",
      sidebar: "搜索与筛选", graph: "图谱", allClasses: "类：全选", noClasses: "类：全不选", allRelations: "关系：全选",
      noRelations: "关系：全不选", matches: "{n} 个实体匹配", matches1: "1 个实体匹配",
      closeN: "没有匹配的实体；有 {n} 个相近的名称", close1: "没有匹配的实体；有 1 个相近的名称"
    }
  };

  var state = {
    lang: DATA.lang === "zh" ? "zh" : "en",
    selected: null,
    edge: null,  // the relation whose details the panel shows, when no entity is selected
    hiddenClasses: new Set(),
    hiddenRelations: new Set()
  };

  // ------------------------------------------------------------------------------------------- helpers

  function el(tag, props) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value === undefined || value === null || value === false) { return; }
      if (key === "class") { node.className = value; }
      else if (key === "text") { node.textContent = value; }
      else if (key.slice(0, 2) === "on") { node.addEventListener(key.slice(2), value); }
      else { node.setAttribute(key, String(value)); }
    });
    for (var i = 2; i < arguments.length; i++) { append(node, arguments[i]); }
    return node;
  }

  function append(parent, child) {
    if (child === undefined || child === null || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(parent, c); }); return; }
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }

  function t(key) { return TEXT[state.lang][key]; }

  /** The text of a [English, Chinese] pair in the current language, else in the other one. */
  function pick(pair) {
    if (!pair) { return ""; }
    var i = state.lang === "zh" ? 1 : 0;
    return pair[i] || pair[1 - i] || "";
  }

  /** The lang attribute of the text pick() gives of a pair: the other language's where it falls back to it. */
  function langOf(pair) {
    var i = state.lang === "zh" ? 1 : 0;
    return LANG_TAGS[pair && !pair[i] && pair[1 - i] ? 1 - i : i];
  }

  var LANG_TAGS = ["en", "zh-Hans"];

  /** The lang attribute of the other language than the page's. */
  function otherLang() { return LANG_TAGS[state.lang === "zh" ? 0 : 1]; }

  function unique(list) {
    return list.filter(function (item, i) { return item && list.indexOf(item) === i; });
  }

  /** Both texts of a [English, Chinese] pair, each once, the current language's first: a tooltip's
   *  "AWS / 亚马逊云科技", in Chinese "亚马逊云科技 / AWS". */
  function bothTexts(pair) {
    return unique(state.lang === "zh" ? [pair[1], pair[0]] : pair).join(" / ");
  }

  /** Two texts in code point order (as Python's sorted, whatever the browser's locale). */
  function inCodeOrder(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  // as kgraph.names.normalise: traditional Chinese characters as simplified ones (亞馬遜 finds 亚马逊; the page
  // carries the folds onto the characters of its names), no space beside a Chinese or Japanese character (AWS 安全代理
  // finds AWS安全代理)
  var CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3000-\\u30ff\\u31f0-\\u31ff\\uff01-\\uff60";
  var SPACE_BY_CJK = new RegExp(" (?=[" + CJK + "])|(?<=[" + CJK + "]) ", "gu");
  var HAN = /\p{Script=Han}/gu;

  function norm(text) {
    return String(text || "").normalize("NFKC").toLowerCase()
      .replace(HAN, function (c) { return DATA.simplified[c] || c; })
      .replace(/\s+/g, " ").trim().replace(SPACE_BY_CJK, "");
  }

  // A name as its words run together: the search also finds "Trainium3" for "Trainium 3" or "trainium-3",
  // "Bristol-Myers" for "Bristol Myers" and "AgentCore" for "agent core", as kgraph show suggests them. Where a word
  // starts counts: at a space or hyphen, after other punctuation, at a capital after a small letter, between a
  // letter and a digit, between Chinese or Japanese and other characters, at each Chinese character (Chinese writes
  // no boundary between words), and where a run of hiragana or of katakana starts (such a run is a word, as a run
  // of Latin letters is; ー goes on the kana before it). A match of the words run together must start where a word
  // starts, and each space or hyphen typed must fall where one starts: "Nova2" finds "Nova 2" and "亚马逊-云科技"
  // finds 亚马逊云科技, but "a2" does not find Nova 2, nor "agen tcore" AgentCore, nor アマ-ゾン アマゾン. As
  // kgraph.names.run_together.
  var SEPARATOR = /[\s\-_\u2010-\u2015\u30fb]/u;  // and ・, between the words of a foreign name in katakana
  var LETTER = /\p{L}/u, DIGIT = /\p{N}/u, UPPER = /\p{Lu}/u, LOWER = /\p{Ll}/u, WIDE = new RegExp("[" + CJK + "]", "u");
  var HIRAGANA = /[\u3040-\u309f]/u, KATAKANA = /[\u30a0-\u30ff\u31f0-\u31ff]/u, PROLONGED = "\u30fc";

  function kind(c) {
    if (!LETTER.test(c)) { return DIGIT.test(c) ? "digit" : "other"; }
    return HIRAGANA.test(c) ? "hiragana" : KATAKANA.test(c) ? "katakana" : WIDE.test(c) ? "cjk" : "letter";
  }

  /** A name's letters without separators, in small letters, with where its words start (typed: only where a
   *  separator was, since "AgentCore" typed finds "Agentcore") and where its separators were. */
  function runTogether(text, typed) {
    var chars = Array.from(String(text || "").normalize("NFKC")
      .replace(HAN, function (c) { return DATA.simplified[c] || c; })
      .replace(/\s+/g, " ").trim().replace(SPACE_BY_CJK, ""));
    var joined = "", starts = new Set(), separators = [], previous = null, a = null, apart = false;
    chars.forEach(function (c) {
      if (SEPARATOR.test(c)) { apart = true; return; }
      var b = c === PROLONGED && (a === "hiragana" || a === "katakana") ? a : kind(c);
      if (previous !== null) {
        if (apart) { separators.push(joined.length); }
        if (apart || (!typed && (a !== b || a === "other" || a === "cjk" || (LOWER.test(previous) && UPPER.test(c))))) {
          starts.add(joined.length);
        }
      }
      joined += c.toLowerCase();
      previous = c;
      a = b;
      apart = false;
    });
    starts.add(0);
    return { joined: joined, starts: starts, separators: separators };
  }

  /** Whether the typed name, its words run together, is in a name from the start of one of its words, each of its
   *  separators where a word of the name starts; at 0 it starts the name (-1: no). */
  function wordsMatch(typed, name) {
    if (!typed.joined) { return -1; }
    for (var at = name.joined.indexOf(typed.joined); at >= 0; at = name.joined.indexOf(typed.joined, at + 1)) {
      if (name.starts.has(at) && typed.separators.every(function (i) { return name.starts.has(at + i); })) {
        return at;
      }
    }
    return -1;
  }

  /** Whether the typed name, matched at `at` in a name, ends one letter into a word of the name that it did not
   *  start with a separator, a word longer than that letter: "adobee" in "Adobe Experience Platform", "kiroa" in
   *  "Kiro autonomous agent". Such a match is more likely a misspelling (of Adobe, of Kiro) than the start of that
   *  word, so it is left to the close names; "nova2" in "Nova 2 Lite" ends where a word ends, and matches. */
  function oneLetterInto(typed, name, at) {
    var end = at + typed.joined.length, start = end - 1;
    if (end >= name.joined.length || name.starts.has(end) || !name.starts.has(start) || start === at) { return false; }
    return typed.separators.indexOf(start - at) < 0;
  }

  // ------------------------------------------------------------------------------------------- the network

  // tooltips, in both languages, the page's first (the language switch puts the other first)
  function nodeTitle(n) {
    return bothTexts(n.labels) + "\n" + bothTexts(DATA.classNames[n.group] || [n.group, n.group]);
  }
  function edgeTitle(e) { return bothTexts(DATA.relationNames[e.rel] || [e.rel, e.rel]); }
  DATA.nodes.forEach(function (n) { n.title = nodeTitle(n); });
  DATA.edges.forEach(function (e) { e.title = edgeTitle(e); });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var outgoing = new Map(DATA.nodes.map(function (n) { return [n.id, []]; }));
  var incoming = new Map(DATA.nodes.map(function (n) { return [n.id, []]; }));
  DATA.edges.forEach(function (e) {
    outgoing.get(e.from).push([e.rel, e.to, e.sections]);
    incoming.get(e.to).push([e.rel, e.from, e.sections]);
  });
  var byId = new Map(DATA.nodes.map(function (n) { return [n.id, n]; }));
  var classById = new Map(DATA.classes.map(function (c) { return [c.id, c]; }));
  var edgesOf = new Map(DATA.nodes.map(function (n) { return [n.id, []]; }));
  DATA.edges.forEach(function (e) {
    edgesOf.get(e.from).push(e);
    if (e.to !== e.from) { edgesOf.get(e.to).push(e); }
  });
  // the selected entity's neighbours through the relations the filters show (set by highlight); null: none selected
  var nearby = null;

  /** The entities joined to `id` by a relation the filters show: one whose relations to it are all unticked stays
   *  faded, as the lines that joined it are hidden (with "uses" unticked, Sony came out with Amazon Bedrock). */
  function shownNeighbours(id) {
    var near = new Set();
    edgesOf.get(id).forEach(function (e) {
      if (!state.hiddenRelations.has(e.rel)) { near.add(e.from === id ? e.to : e.from); }
    });
    return near;
  }

  var EDGE = DATA.options.edges;
  var GROUPS = DATA.options.groups || {};
  function colorOf(cls) { return (GROUPS[cls] || {}).color; }
  var NODE_FONT_COLOR = DATA.options.nodes.font.color;
  var FADED = { background: "#eef1f5", border: "#d9dee5", highlight: { background: "#eef1f5", border: "#d9dee5" },
                hover: { background: "#eef1f5", border: "#d9dee5" } };

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);

  // ------------------------------------------------------------------------------------------- relation labels

  // vis-network draws every relation label big enough to read, one over another where edges run close (around a
  // hub, dozens) and under the nodes' names. Before the labels of a drawing, they are placed in order of interest:
  // the edge under the mouse, the selected entity's relations, then the others in the data's order.
  // Each goes at the middle of its edge, else a little to either side, where it covers no label placed before it
  // nor a node or its name (the first may cover a node); one that finds no room is not drawn. Only
  // labels in the window count, and past a zoom of LABEL_ZOOM they stay as large on the screen while the drawing
  // grows, so zooming in shows more of them. (This wraps vis-network 9.1.2's Edge.drawLabel and reads the sizes
  // its label module computes: the version pyvis ships, inlined in the page.)

  var LABEL_ZOOM = 1.2;
  var ALONG = [0.5, 0.4, 0.6, 0.3, 0.7];  // where along its edge a label may go, in order of preference
  var edgeOrder = new Map(DATA.edges.map(function (e, i) { return [e.id, i]; }));
  var frame = 0, placedFrame = -1, shownLabels = new Map(), redrawAfter = false;
  var places = [];  // the labels of the last drawing in the window, for kgViewer.labels()

  network.on("beforeDrawing", function () { frame += 1; });
  // a node's name vis-network has not sized yet, when the labels are placed: once it is, one more drawing
  network.on("afterDrawing", function () { if (redrawAfter) { redrawAfter = false; network.redraw(); } });

  function labelScale() { return Math.min(1, LABEL_ZOOM / network.body.view.scale); }

  /** The corners of a box given by its sides. */
  function corners(left, top, right, bottom) { return [[left, top], [right, top], [right, bottom], [left, bottom]]; }

  /** The corners of an edge's label at the middle of the edge, turned along it as vis-network draws it. */
  function labelBox(edge, ctx, k) {
    var label = edge.labelModule;
    if (label.differentState(edge.selected, edge.hover)) { label.getTextSize(ctx, edge.selected, edge.hover); }
    var turn = edge._getRotation(ctx);  // sizes the label around the middle of its edge, as drawing it does
    var size = label.size;
    var cx = size.left + size.width / 2, cy = size.top + size.height / 2;
    var hw = size.width * k / 2 + 1, hh = size.height * k / 2 + 1;
    var cos = Math.cos(turn.angle), sin = Math.sin(turn.angle);
    return [[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]].map(function (p) {
      return [cx + p[0] * cos - p[1] * sin, cy + p[0] * sin + p[1] * cos];
    });
  }

  /** The corners of an edge's arrowhead as vis-network draws it (a wedge as long as it is 0.6 wide), or null. */
  function arrowBox(edge, ctx) {
    var values = edge.getFormattingValues(), type = edge.edgeType;
    if (values.hidden || !values.toArrow) { return null; }
    var fromPoint = type.fromPoint, toPoint = type.toPoint, head;
    type.fromPoint = type.from;  // as Edge.drawArrows sets them before it asks
    type.toPoint = type.to;
    try { head = type.getArrowData(ctx, "to", type.getViaNode(), edge.selected, edge.hover, values); } finally {
      type.fromPoint = fromPoint;
      type.toPoint = toPoint;
    }
    if (!head || !head.point || !isFinite(head.angle)) { return null; }
    var cos = Math.cos(head.angle), sin = Math.sin(head.angle), w = 0.3 * head.length + 1, tip = head.point;
    var base = { x: tip.x - head.length * cos, y: tip.y - head.length * sin };
    return [[tip.x - sin * w, tip.y + cos * w], [tip.x + sin * w, tip.y - cos * w],
            [base.x + sin * w, base.y - cos * w], [base.x - sin * w, base.y + cos * w]];
  }

  /** Whether two boxes (4 corners each, in order) overlap: no side of either separates them. */
  function overlaps(a, b) {
    return [a, b].every(function (box) {
      for (var i = 0; i < 2; i++) {
        var nx = box[i][1] - box[i + 1][1], ny = box[i + 1][0] - box[i][0];
        var pa = a.map(function (p) { return p[0] * nx + p[1] * ny; });
        var pb = b.map(function (p) { return p[0] * nx + p[1] * ny; });
        if (Math.max.apply(null, pa) <= Math.min.apply(null, pb) ||
            Math.max.apply(null, pb) <= Math.min.apply(null, pa)) { return false; }
      }
      return true;
    });
  }

  /** Boxes in a grid of square cells, so that a box is compared with its neighbours only. */
  function Room(cell) {
    var grid = new Map();
    function cellsOf(box) {
      var xs = box.map(function (p) { return Math.floor(p[0] / cell); });
      var ys = box.map(function (p) { return Math.floor(p[1] / cell); });
      var keys = [];
      for (var x = Math.min.apply(null, xs); x <= Math.max.apply(null, xs); x++) {
        for (var y = Math.min.apply(null, ys); y <= Math.max.apply(null, ys); y++) { keys.push(x + "," + y); }
      }
      return keys;
    }
    return {
      // a box (its corners); node: true for an entity or its name, "arrow" for an arrowhead, false for a label;
      // id: whose it is, for under()
      put: function (box, node, id) {
        cellsOf(box).forEach(function (key) {
          if (!grid.has(key)) { grid.set(key, []); }
          grid.get(key).push({ box: box, node: node, id: id });
        });
      },
      // the ids of the boxes put with one that a box overlaps
      under: function (box) {
        var found = new Set();
        cellsOf(box).forEach(function (key) {
          (grid.get(key) || []).forEach(function (o) {
            if (o.id !== undefined && overlaps(box, o.box)) { found.add(o.id); }
          });
        });
        return found;
      },
      // whether a box overlaps no label put, nor a node (if ofNodes) nor an arrowhead (if ofArrows)
      free: function (box, ofNodes, ofArrows) {
        return !cellsOf(box).some(function (key) {
          return (grid.get(key) || []).some(function (o) {
            return (o.node === "arrow" ? ofArrows : ofNodes || !o.node) && overlaps(box, o.box);
          });
        });
      }
    };
  }

  /** Which edges' labels this drawing shows: edge id -> how far its label moves from the middle of its edge. */
  function placeLabels(ctx) {
    var body = network.body, scale = body.view.scale, k = labelScale();
    var low = network.DOMtoCanvas({ x: 0, y: 0 });
    var high = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    function inView(box) {
      return box.some(function (p) { return p[0] >= low.x && p[1] >= low.y && p[0] <= high.x && p[1] <= high.y; });
    }
    var shown = new Map(), candidates = [];
    places = [];
    body.edgeIndices.forEach(function (id) {
      var edge = body.edges[id], label = edge.labelModule;
      if (edge.options.label === undefined || !edge.connected) { return; }
      if (label.fontOptions.size * scale < label.elementOptions.scaling.label.drawThreshold - 1) { return; }
      var via = edge.edgeType.getViaNode(), middle = edge.edgeType.getPoint(0.5, via);
      if (!inView([[middle.x, middle.y]])) { return; }
      var rank = edge.hover ? 0
        : state.selected && (edge.fromId === state.selected || edge.toId === state.selected) ? 1 : 2;
      candidates.push({ rank: rank, order: edgeOrder.has(id) ? edgeOrder.get(id) : Infinity, edge: edge,
                        via: via, middle: middle });
    });
    if (!candidates.length) { return shown; }
    candidates.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
    var cell = 1;
    candidates.forEach(function (c) {
      c.box = labelBox(c.edge, ctx, k);
      c.box.forEach(function (p) { cell = Math.max(cell, Math.abs(p[0] - c.box[0][0]), Math.abs(p[1] - c.box[0][1])); });
    });
    var room = Room(cell);
    // the nodes and their names as drawn (the labels are placed after them); with an entity selected, only it
    // and its neighbours: the others are faded, and their pale names would leave its relations unlabelled
    var near = state.selected ? nearby : null;
    var fromAfar = namesAfar(ctx);
    body.nodeIndices.forEach(function (id) {
      if (near && id !== state.selected && !near.has(id)) { return; }
      var node = body.nodes[id], r = node.options.size, label = node.labelModule, size = label.size;
      var shape = corners(node.x - r, node.y - r, node.x + r, node.y + r);
      if (inView(shape)) { room.put(shape, true); }
      if (node.options.label === undefined || fromAfar) { return; }
      if (!size.width) { redrawAfter = true; return; }
      if (!label.visible()) { return; }
      // the letters' band too: vis-network hangs the first line at yLine, and Chinese characters reach over it,
      // past the box its label module sizes (by the font's size), where a relation's label would touch them
      var band = glyphBand(label), font = label.fontOptions.size, lines = Math.max(1, label.lineCount);
      var top = Math.min(size.top, size.yLine - band[0] * font);
      var bottom = Math.max(size.top + size.height, size.yLine + size.height * (lines - 1) / lines + band[1] * font);
      var name = corners(size.left, top, size.left + size.width, bottom);
      if (inView(name)) { room.put(name, true); }
    });
    // the arrowheads, drawn before the labels: a label on one hides which way its relation goes, so a label goes
    // on one only where it finds no other room (with an entity selected, only its relations' arrowheads count:
    // the others are faded, as their nodes)
    body.edgeIndices.forEach(function (id) {
      var edge = body.edges[id];
      if (!edge.connected || (near && edge.fromId !== state.selected && edge.toId !== state.selected)) { return; }
      var to = edge.to, r = to.options.size + 20;  // an arrowhead touches its node: none far out of the window
      if (!inView(corners(to.x - r, to.y - r, to.x + r, to.y + r))) { return; }
      var head = arrowBox(edge, ctx);
      if (head && inView(head)) { room.put(head, "arrow"); }
    });
    (fromAfar || []).forEach(function (place) {  // the names drawn from afar, where they are drawn
      var a = network.DOMtoCanvas({ x: place.box[0], y: place.box[1] });
      var b = network.DOMtoCanvas({ x: place.box[2], y: place.box[3] });
      room.put(corners(a.x, a.y, b.x, b.y), true);
    });
    candidates.forEach(function (c) {
      // the edge under the mouse keeps the place its label had: moved from under the mouse, it would lose it
      // (where along the edge, whether off the arrowheads): off them first, then on them rather than not drawn
      var before = c.rank === 0 && shownLabels.get(c.edge.id);
      var tries = (before ? [[before.t, false]] : []).concat(ALONG.map(function (t) { return [t, true]; }),
                                                            ALONG.map(function (t) { return [t, false]; }));
      tries.some(function (at) {
        var t = at[0], point = t === 0.5 ? c.middle : c.edge.edgeType.getPoint(t, c.via);
        var dx = point.x - c.middle.x, dy = point.y - c.middle.y;
        var box = c.box.map(function (p) { return [p[0] + dx, p[1] + dy]; });
        if (!room.free(box, c.rank > 0, at[1])) { return false; }
        room.put(box, false);
        shown.set(c.edge.id, { x: dx, y: dy, box: box, t: t });
        return true;
      });
      var place = shown.get(c.edge.id);
      places.push({ edge: c.edge.id, drawn: Boolean(place), along: place ? place.t : null,
                    box: place ? place.box : c.box });
    });
    return shown;
  }

  (function () {
    var any = Object.keys(network.body.edges)[0];
    if (any === undefined) { return; }
    var proto = Object.getPrototypeOf(network.body.edges[any]);
    var drawLabel = proto.drawLabel, waiting = null;
    proto.drawLabel = function (ctx, via) {
      if (waiting) { waiting.push([this, via]); return; }
      if (placedFrame !== frame) { shownLabels = placeLabels(ctx); placedFrame = frame; }
      var shift = shownLabels.get(this.id), k = labelScale();
      if (!shift) { return; }
      if (k === 1 && !shift.x && !shift.y) { drawLabel.call(this, ctx, via); return; }
      // smaller, or moved along the edge: around the middle of the edge, where vis-network centres the label
      var middle = this.edgeType.getPoint(0.5, via);
      ctx.save();
      ctx.translate(middle.x + shift.x, middle.y + shift.y);
      ctx.scale(k, k);
      ctx.translate(-middle.x, -middle.y);
      try { drawLabel.call(this, ctx, via); } finally { ctx.restore(); }
    };
    // vis-network draws each edge's line, then its label, edge after edge, then the nodes, the arrowheads and the
    // nodes' names: a line drawn later crossed the labels drawn before it, the white ground of the selected
    // entity's relations too, an arrowhead could cover one, and the name of an entity faded out (which does not
    // count in placeLabels) wiped one out with its white outline. The labels wait until all of those are drawn:
    // placeLabels keeps them off the nodes and names that count, and off the arrowheads where it finds room (the
    // one under the mouse may cover a node). (CanvasRenderer._drawEdges and _drawSelectionBox of vis-network
    // 9.1.2, as above: it draws the selection box after the names, and both whenever it draws the edges.)
    var renderer = network.renderer;
    if (!renderer || typeof renderer._drawEdges !== "function") { return; }
    var drawEdges = renderer._drawEdges, drawSelectionBox = renderer._drawSelectionBox;
    function drawWaiting(ctx) {
      var labels = waiting || [];
      waiting = null;
      labels.forEach(function (label) { label[0].drawLabel(ctx, label[1]); });
    }
    renderer._drawEdges = function (ctx) {
      waiting = [];
      var drawn = false;
      try { drawEdges.call(this, ctx); drawn = true; } finally {
        if (!drawn || typeof drawSelectionBox !== "function") { drawWaiting(ctx); }
      }
    };
    if (typeof drawSelectionBox === "function") {
      renderer._drawSelectionBox = function (ctx) {
        drawWaiting(ctx);
        return drawSelectionBox.call(this, ctx);
      };
    }
  }());

  // vis-network draws the entities, and then their names, in the order of body.nodeIndices (the selected one and
  // the one under the mouse last): with an entity selected, a faded entity that came later drew its pale name over
  // the name of a neighbour, on its white ground ("AIModel 1006" read through "AIModel 1351" on a generated graph).
  // The faded ones now go first. (CanvasRenderer._drawNodes of vis-network 9.1.2, as above.)
  (function () {
    var renderer = network.renderer;
    if (!renderer || typeof renderer._drawNodes !== "function") { return; }
    var drawNodes = renderer._drawNodes;
    renderer._drawNodes = function () {
      var body = this.body, all = body.nodeIndices;
      if (!state.selected || !nodeLook) { return drawNodes.apply(this, arguments); }
      var faded = all.filter(function (id) { return nodeLook.get(id) === "faded"; });
      var order = faded.concat(all.filter(function (id) { return nodeLook.get(id) !== "faded"; }));
      body.nodeIndices = order;
      try { return drawNodes.apply(this, arguments); } finally {
        if (body.nodeIndices === order) { body.nodeIndices = all; }
      }
    };
  }());

  // ------------------------------------------------------------------------------------------- names from afar

  // Zoomed out so far that the entities' names are too small to draw (a phone fits the whole graph at a fifth of
  // life size, where vis-network draws none), the drawing was unlabelled dots until one zoomed in. There, as a map
  // names its largest cities, the names of the most connected entities in the window are drawn at a size one can
  // read, NAME_PX pixels high on the screen: the entity under the mouse and the selected one first, then its
  // neighbours (the others are faded and stay unnamed), else every entity by its number of relations. Each goes
  // under its node, as vis-network draws it, else over it or beside it, where it covers no name placed before it,
  // inside the part of the drawing that the panel leaves free, and no other entity, else as few as it can (a dot a
  // name covers is lost; with an entity selected, only the ones not faded count); one name for each AREA_PER_NAME
  // square pixels that the entities take on the screen, so that most of them stay in sight. Zoomed in as far as
  // vis-network draws every name, it draws them as before.
  var NAME_PX = 11, NAMES_AFAR = 40, AREA_PER_NAME = 6000, DOT_CELL = 64;
  var NAME_THRESHOLD = DATA.options.nodes.scaling.label.drawThreshold;
  var SMALLEST_FONT = DATA.nodes.reduce(function (least, n) { return Math.min(least, n.font.size); }, Infinity);
  var relationCount = new Map(DATA.nodes.map(function (n) { return [n.id, 0]; }));
  DATA.edges.forEach(function (e) {
    relationCount.set(e.from, relationCount.get(e.from) + 1);
    relationCount.set(e.to, relationCount.get(e.to) + 1);
  });
  var byRelations = DATA.nodes.map(function (n, i) { return [relationCount.get(n.id), i, n.id]; })
    .sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; }).map(function (r) { return r[2]; });
  var nodeOfLabel = new Map(Object.keys(network.body.nodes).map(function (id) {
    return [network.body.nodes[id].labelModule, id];
  }));
  var afarFrame = -1, afar = null;  // node id -> its name's place on the screen; null: vis-network draws the names
  var afarNames = [];  // the names of the last drawing, for kgViewer.names()

  /** Where this drawing puts the names it draws from afar, or null when it is not zoomed out so far. */
  function namesFromAfar(ctx) {
    var body = network.body, scale = body.view.scale;
    if (SMALLEST_FONT * scale >= NAME_THRESHOLD) { return null; }
    var covered = panelCover();
    var width = container.clientWidth - covered.right, height = container.clientHeight - covered.bottom;
    var near = state.selected ? nearby : null;
    var order = near ? [state.selected].concat(byRelations.filter(function (id) { return near.has(id); })) : byRelations;
    // as many names as leave most of the drawing's entities in sight: one for each AREA_PER_NAME square pixels
    // of the screen that they take
    var left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    var dots = Room(DOT_CELL);  // the entities in the window (with one selected, those not faded)
    var hovered = body.nodeIndices.filter(function (id) {
      var node = body.nodes[id];
      left = Math.min(left, node.x); top = Math.min(top, node.y);
      right = Math.max(right, node.x); bottom = Math.max(bottom, node.y);
      if (!node.options.hidden && (!near || id === state.selected || near.has(id))) {
        var at = network.canvasToDOM({ x: node.x, y: node.y }), r = radius(node) * scale + 1;  // and its border
        if (at.x + r >= 0 && at.y + r >= 0 && at.x - r <= width && at.y - r <= height) {
          dots.put(corners(at.x - r, at.y - r, at.x + r, at.y + r), true, id);
        }
      }
      return node.hover;
    });
    var a = network.canvasToDOM({ x: left, y: top }), b = network.canvasToDOM({ x: right, y: bottom });
    var area = (Math.min(b.x, width) - Math.max(a.x, 0)) * (Math.min(b.y, height) - Math.max(a.y, 0));
    var most = Math.min(NAMES_AFAR, Math.max(3, Math.round(area / AREA_PER_NAME)));
    var shown = new Map(), boxes = [];
    hovered.concat(order).some(function (id) {
      place(id);
      return shown.size >= most;
    });
    return shown;

    /** Puts the name of ``id``, if it has one in the window, in the first place that covers no name and no other
     *  entity, else in the one of those that cover no name which covers the fewest entities. */
    function place(id) {
      var node = body.nodes[id];
      if (!node || node.options.hidden || !node.options.label || shown.has(id)) { return; }
      var at = network.canvasToDOM({ x: node.x, y: node.y });
      if (at.x < 0 || at.y < 0 || at.x > width || at.y > height) { return; }
      var label = node.labelModule, font = label.fontOptions.size;
      var size = label.getTextSize(ctx, node.selected, node.hover);
      var px = Math.max(NAME_PX, font * scale), k = px / (font * scale);
      // vis-network hangs a name's first line half an em and 4 units under its node (textBaseline "hanging",
      // Label.calculateLabelSize's yLine), the others a line's height apart: its letters reach from a little over
      // the first line to near an em under the last. The box is theirs, and half a pixel over and under them.
      var tall = size.height * scale * k, w = size.width * scale * k + 4, lines = Math.max(1, label.lineCount);
      var band = glyphBand(label), r = radius(node) * scale;
      var gap = px / 2 + 4 * scale * k - band[0] * px - 0.5;
      var h = tall * (lines - 1) / lines + (band[0] + band[1]) * px + 1;
      // under the node, as vis-network draws it, else over it, else beside it, as far from it (gap); moved by
      // (dx, dy) from under it. The name under the mouse keeps its place, on entities or not: moved from under the
      // mouse, it would lose it.
      var tries = [[0, 0], [0, -2 * (r + gap) - h], [w / 2 + r, -r - gap - h / 2], [-w / 2 - r, -r - gap - h / 2]];
      var before = node.hover && afar && afar.get(id);
      if (before) { tries.unshift([before.dx * scale, before.dy * scale]); }
      var best = null;
      tries.some(function (d, i) {
        var y = at.y + r + gap + d[1], box = [at.x - w / 2 + d[0], y, at.x + w / 2 + d[0], y + h];
        if (box[0] < 0 || box[1] < 0 || box[2] > width || box[3] > height) { return false; }
        if (boxes.some(function (b) { return uprightOverlap(box, b); })) { return false; }
        var covered = before && i === 0 ? 0 : dotsUnder(box, id);
        if (!best || covered < best.covered) { best = { box: box, d: d, covered: covered }; }
        return covered === 0;
      });
      if (best) {
        boxes.push(best.box);
        shown.set(id, { k: k, px: px, box: best.box, dx: best.d[0] / scale, dy: best.d[1] / scale });
      }
    }

    /** How many entities but ``id`` a box on the screen ([left, top, right, bottom]) covers. */
    function dotsUnder(box, id) {
      var under = dots.under(corners(box[0], box[1], box[2], box[3]));
      under.delete(id);
      return under.size;
    }
  }

  var bands = new Map(), measure = document.createElement("canvas").getContext("2d");
  /** How far the letters of a name reach over its first line, from which vis-network hangs it, and under its
   *  last, in ems of its font: Latin capitals start just under the line, Chinese characters a little over it, a
   *  descender ends near an em under it. */
  function glyphBand(label) {
    var lines = (label.lines || []).map(function (line) {
      var blocks = (line && line.blocks) || [];
      return { font: blocks.length && blocks[0].font, text: blocks.map(function (b) { return b.text; }).join("") };
    }).filter(function (line) { return line.font; });
    if (!lines.length) { return [0, 1]; }
    var first = lines[0], last = lines[lines.length - 1];
    var key = [first.font, first.text, last.font, last.text].join("\n");
    if (!bands.has(key)) {
      var size = label.fontOptions.size;
      measure.textBaseline = "hanging";
      measure.font = first.font;
      var over = measure.measureText(first.text).actualBoundingBoxAscent;
      measure.font = last.font;
      bands.set(key, [over / size, measure.measureText(last.text).actualBoundingBoxDescent / size]);
    }
    return bands.get(key);
  }

  /** Half the height of an entity's shape, in the drawing's units. */
  function radius(node) { return (node.shape.height || 2 * node.options.size) / 2; }

  /** Whether two upright boxes ([left, top, right, bottom]) overlap. */
  function uprightOverlap(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }

  /** The names this drawing draws from afar (see namesFromAfar), placed once a drawing. */
  function namesAfar(ctx) {
    if (afarFrame !== frame) { afar = namesFromAfar(ctx); afarFrame = frame; }
    return afar;
  }

  (function () {
    var any = network.body.nodeIndices[0];
    if (any === undefined) { return; }
    var proto = Object.getPrototypeOf(network.body.nodes[any].labelModule);
    var draw = proto.draw;
    proto.draw = function (ctx, x, y) {
      var id = nodeOfLabel.get(this);
      if (id === undefined) { return draw.apply(this, arguments); }  // a relation's label
      if (!namesAfar(ctx)) { return draw.apply(this, arguments); }
      var place = afar.get(id);
      if (!place) { return undefined; }
      // k times as large, from the top of the name down (vis-network hangs it under the node), moved to its
      // place, and as large to vis-network, which otherwise finds it too small to draw
      var view = this.body.view, scale = view.scale, top = y - this.size.height / 2;
      ctx.save();
      ctx.translate(x + place.dx, top + place.dy);
      ctx.scale(place.k, place.k);
      ctx.translate(-x, -top);
      view.scale = scale * place.k;
      try { return draw.apply(this, arguments); } finally { view.scale = scale; ctx.restore(); }
    };
  }());

  // vis-network takes a click or a tap on a node only on the node itself, a dot of a few pixels from afar: on a
  // phone the names one can read were not what one could tap. A click, tap or long press on a name drawn from
  // afar is on its entity: vis-network selects it and says so to the "click" handler, as on the node (a node
  // itself still comes first). So is the mouse over it: it hovers its entity and shows its tooltip, where it
  // hovered the relation passing under the name (its tooltip, "developed by", over the name AWS); the name keeps
  // its place (see namesFromAfar). A drag from a name pans the view as before.
  (function () {
    var handler = network.selectionHandler, getNodeAt = handler.getNodeAt, onName = false;
    /** The entity whose name drawn from afar is at a point of the screen, if any. */
    function namedAt(pointer) {
      var id;
      afar.forEach(function (place, node) {
        var box = place.box;
        if (pointer.x >= box[0] && pointer.x <= box[2] && pointer.y >= box[1] && pointer.y <= box[3]) { id = node; }
      });
      return id;
    }
    handler.getNodeAt = function (pointer, returnNode) {
      var found = getNodeAt.apply(this, arguments);
      if (found !== undefined || !onName || !afar) { return found; }
      var id = namedAt(pointer);
      if (id === undefined) { return undefined; }
      return returnNode === undefined || returnNode ? network.body.nodes[id] : id;
    };
    function onNames(owner, name) {
      var method = owner[name];
      owner[name] = function () {
        onName = true;
        try { return method.apply(this, arguments); } finally { onName = false; }
      };
    }
    ["selectOnPoint", "selectAdditionalOnPoint", "hoverObject"].forEach(function (name) { onNames(handler, name); });
    // the tooltip: vis-network asks each node whether the pointer is on it, then each edge if none is
    var interaction = network.interactionHandler, any = network.body.nodeIndices[0], named;
    if (!interaction || any === undefined) { return; }
    var proto = Object.getPrototypeOf(network.body.nodes[any]), isOverlappingWith = proto.isOverlappingWith;
    proto.isOverlappingWith = function () {
      return isOverlappingWith.apply(this, arguments) || (named !== undefined && this.id === named);
    };
    ["_checkShowPopup", "_checkHidePopup"].forEach(function (name) {
      var check = interaction[name];
      interaction[name] = function (pointer) {
        named = afar && getNodeAt.call(handler, pointer, false) === undefined ? namedAt(pointer) : undefined;
        onName = true;
        try { return check.apply(this, arguments); } finally { onName = false; named = undefined; }
      };
    });
  }());

  /** The entities' names in the window of the last drawing: for each, its entity, its box on the screen ([left,
   *  top, right, bottom], in pixels of the drawing) and how high its font is there. */
  function names() {
    var body = network.body, scale = body.view.scale;
    if (afar) {
      return Array.from(afar, function (entry) {
        return { id: entry[0], box: entry[1].box.slice(), px: entry[1].px };
      });
    }
    var width = container.clientWidth, height = container.clientHeight;
    return body.nodeIndices.map(function (id) { return body.nodes[id]; }).filter(function (node) {
      var at = network.canvasToDOM({ x: node.x, y: node.y });
      return node.labelModule.visible() && at.x >= 0 && at.y >= 0 && at.x <= width && at.y <= height;
    }).map(function (node) {
      var size = node.labelModule.size;
      var a = network.canvasToDOM({ x: size.left, y: size.top });
      var b = network.canvasToDOM({ x: size.left + size.width, y: size.top + size.height });
      return { id: node.id, box: [a.x, a.y, b.x, b.y], px: node.labelModule.fontOptions.size * scale };
    });
  }

  // ------------------------------------------------------------------------------------------- what the mouse is on

  // vis-network 9.1.2 has no hit test for an edge's label: the mouse is on an edge within 10 units of the drawing
  // from its line (SelectionHandler.getEdgeAt for hover and click, Edge.isOverlappingWith for the tooltip), which
  // zoomed in is a band as wide as a label on either side of the line: where a label found no room, the mouse over
  // its empty place hovered the edge and drew its label, and a click there selected the edge; zoomed out, the 10
  // units were 3 pixels of the screen at a zoom of 0.3, a line hard to hit. Here the mouse is on an edge within
  // LINE_REACH pixels of the screen from its line, at any zoom, or on the label this drawing shows for it, where it
  // is drawn; the place of a label not drawn is nothing's. The line is drawn as thin as it was.

  // A finger covers more than a mouse pointer: on a touch screen a tap within 12 pixels of a line is on it.
  var LINE_REACH = window.matchMedia && window.matchMedia("(pointer: coarse)").matches ? 12 : 6;

  /** Whether a point of the drawing is inside a box of 4 corners in order (a convex one). */
  function inside(box, p) {
    var sign = 0;
    for (var i = 0; i < 4; i++) {
      var a = box[i], b = box[(i + 1) % 4];
      var cross = (b[0] - a[0]) * (p.y - a[1]) - (b[1] - a[1]) * (p.x - a[0]);
      if (cross && sign && (cross > 0) !== (sign > 0)) { return false; }
      if (cross) { sign = cross; }
    }
    return true;
  }

  /** How far a point of the drawing is from an edge, as the mouse goes: 0 on its label drawn, else from its line;
   *  null where the edge does not take the mouse. */
  function reachOf(edge, p) {
    if (!edge.connected) { return null; }
    var shown = shownLabels.get(edge.id);
    if (shown && inside(shown.box, p)) { return 0; }
    var distance = edge.edgeType.getDistanceToEdge(edge.from.x, edge.from.y, edge.to.x, edge.to.y, p.x, p.y);
    return distance < LINE_REACH / network.body.view.scale ? distance : null;
  }

  (function () {
    var any = Object.keys(network.body.edges)[0];
    if (any === undefined) { return; }
    Object.getPrototypeOf(network.body.edges[any]).isOverlappingWith = function (area) {
      return reachOf(this, { x: area.left, y: area.top }) !== null;
    };
    var handler = network.selectionHandler;
    // the edge nearest to the pointer that takes it, as vis-network's own (its id, or the edge when asked)
    handler.getEdgeAt = function (pointer, returnEdge) {
      var p = network.DOMtoCanvas(pointer), best = null, nearest = Infinity, body = network.body;
      body.edgeIndices.forEach(function (id) {
        var reach = reachOf(body.edges[id], p);
        if (reach !== null && reach < nearest) { best = id; nearest = reach; }
      });
      if (best === null) { return undefined; }
      return returnEdge === undefined || returnEdge ? body.edges[best] : best;
    };
  }());

  /** The relation labels of the last drawing in the window, in the order they were placed: for each, its edge,
   *  whether it was drawn, where along its edge (0.5 is the middle; null when not drawn), and its box (4 corners
   *  in the drawing's units) where it was drawn, or at the middle of its edge where it found no room. */
  function labels() {
    return places.map(function (place) {
      return { edge: place.edge, drawn: place.drawn, along: place.along,
               box: place.box.map(function (p) { return [p[0], p[1]]; }) };
    });
  }

  function isDrawn(id) { return byId.has(id); }

  function nameOf(id) {
    var node = byId.get(id);
    return pick(node ? node.labels : (DATA.others[id] || {}).labels) || id;
  }

  function classOf(id) {
    var node = byId.get(id);
    return node ? node.group : (DATA.others[id] || {}).cls;
  }

  // ------------------------------------------------------------------------------------------- highlighting

  // Each node and edge is updated only when its look changes, and a data set only when one of its items does:
  // vis-network pays for each item updated and again for each update, so restyling them all made every click on
  // a page of thousands of entities take seconds.
  // id -> the look set: "" (its own), "faded" or "near"; none yet, so the first sets every colour
  var nodeLook = new Map(), edgeLook = new Map();

  /** Update the items of `set` whose look (given by `lookOf`) is not the one they have; `styleOf` styles one. */
  function restyle(set, looks, items, lookOf, styleOf) {
    var changed = [];
    items.forEach(function (item) {
      var look = lookOf(item);
      if (looks.get(item.id) !== look) { looks.set(item.id, look); changed.push(styleOf(item, look)); }
    });
    if (changed.length) { set.update(changed); }
  }

  // With an entity selected, its name and its neighbours' are on a white ground: their relations are drawn dark and
  // thick, and the white outline of the letters hid such a line under them but not between them ("Mistral Large"
  // read through two lines to Amazon Bedrock)
  function nodeStyle(n, look) {
    return look === "faded"
      ? { id: n.id, color: FADED, font: { size: n.font.size, color: "#bcc5cf", background: "none" } }
      : { id: n.id, color: colorOf(n.group),
          font: { size: n.font.size, color: NODE_FONT_COLOR, background: look === "near" ? "#ffffff" : "none" } };
  }

  // The selected entity's relations are drawn dark, their names on a white ground: the white outline of the letters
  // hid the line under them but not between the words, and "part of" read "part-of"
  function edgeStyle(e, look) {
    return look === "near"
      ? { id: e.id, color: { color: "#334e68", highlight: "#102a43" }, width: 2,
          font: { size: EDGE.font.size + 5, color: "#243b53", background: "#ffffff" } }
      : look === "faded"
        ? { id: e.id, color: { color: "#eef1f5", highlight: "#eef1f5" }, width: 1, font: { size: 1, background: "none" } }
        : { id: e.id, color: EDGE.color, width: EDGE.width,
            font: { size: EDGE.font.size, color: EDGE.font.color, background: "none" } };
  }

  function highlight(id) {
    nearby = shownNeighbours(id);
    var keep = new Set(nearby);
    keep.add(id);
    restyle(nodes, nodeLook, DATA.nodes, function (n) { return keep.has(n.id) ? "near" : "faded"; }, nodeStyle);
    restyle(edges, edgeLook, DATA.edges, function (e) { return e.from === id || e.to === id ? "near" : "faded"; },
            edgeStyle);
  }

  function unhighlight() {
    nearby = null;
    restyle(nodes, nodeLook, DATA.nodes, function () { return ""; }, nodeStyle);
    restyle(edges, edgeLook, DATA.edges, function () { return ""; }, edgeStyle);
  }

  // ------------------------------------------------------------------------------------------- selection

  function select(id, zoom, opening) {
    if (!isDrawn(id)) { return false; }
    var node = byId.get(id);
    if (state.hiddenClasses.has(node.group)) { setClass(node.group, true); }
    state.selected = id;
    state.edge = null;
    network.selectNodes([id]);
    highlight(id);
    showDetails(id);
    // zoom in on the entity, or at least bring it out from under the details panel, into the middle of the
    // part of the drawing that the panel leaves free
    if (opening && !zoom) { openOn(id); }
    else if (zoom || isUnderPanel(id) || isOutOfView(id)) {
      var covered = panelCover();
      network.focus(id, { scale: zoom ? Math.max(network.getScale(), 1.1) : network.getScale(),
                          offset: { x: -covered.right / 2, y: -covered.bottom / 2 },
                          animation: { duration: 450, easingFunction: "easeInOutQuad" } });
    }
    nameInSearch();
    return true;
  }

  // A page focused on an entity (--focus) opens on it readably: fitted to the window, a view of a few hundred
  // entities was a cloud of specks whose names were too small to draw. A page that fits readably into the part of
  // the drawing that the panel leaves free is fitted there (fitted to the whole window, its entity's neighbours
  // could be under the panel); else the focus goes into the middle of that part, zoomed as far as its neighbours
  // fit there, but no further out than READABLE (a 14-pixel name drawn 12 pixels high) nor further in than a
  // search's choice; Fit shows everything.
  var READABLE = 0.86;

  function openOn(id) {
    // vis-network measured its canvas before the sidebar was filled: on a phone, where the sidebar is above the
    // drawing, it would notice the drawing lower later and shrink the view with it (0.86 times 557 / 661)
    network.setSize();
    var covered = panelCover(), body = network.body, centre = network.getPositions([id])[id];
    var whole = fitted(covered);
    if (whole && whole.scale >= READABLE) {
      network.moveTo({ scale: whole.scale, position: whole.position, offset: whole.offset, animation: false });
      return;
    }
    var reach = { x: 1, y: 1 };
    [id].concat(Array.from(shownNeighbours(id))).forEach(function (other) {
      if (state.hiddenClasses.has(byId.get(other).group)) { return; }
      var box = body.nodes[other].shape.boundingBox;
      reach.x = Math.max(reach.x, centre.x - box.left, box.right - centre.x);
      reach.y = Math.max(reach.y, centre.y - box.top, box.bottom - centre.y);
    });
    var width = Math.max(container.clientWidth - covered.right, 1);
    var height = Math.max(container.clientHeight - covered.bottom, 1);
    var fits = Math.min(width / 2 / reach.x, height / 2 / reach.y) / 1.1;  // with a tenth more, as Fit
    network.focus(id, { scale: Math.min(1.1, Math.max(READABLE, fits)),
                        offset: { x: -covered.right / 2, y: -covered.bottom / 2 }, animation: false });
  }

  /** How much of the drawing the panel covers: a strip on the right (as tall as the drawing), or at the bottom
   *  (on a phone, where it rises from the bottom edge across the drawing's width). */
  function panelCover() {
    var g = container.getBoundingClientRect();
    var p = panel.getBoundingClientRect();
    if (panel.hidden || !p.width) { return { right: 0, bottom: 0 }; }
    return p.top > g.top + 40
      ? { right: 0, bottom: Math.max(0, g.bottom - p.top) }
      : { right: Math.max(0, g.right - p.left), bottom: 0 };
  }

  function isUnderPanel(id) {
    var point = network.canvasToDOM(network.getPositions([id])[id]);
    var covered = panelCover();
    return (covered.right && point.x > container.clientWidth - covered.right - 24) ||
      (covered.bottom && point.y > container.clientHeight - covered.bottom - 24);
  }

  function isOutOfView(id) {
    var point = network.canvasToDOM(network.getPositions([id])[id]);
    return point.x < 0 || point.y < 0 || point.x > container.clientWidth || point.y > container.clientHeight;
  }

  // A window resized (a phone turned, the browser zoomed, a projector's 200%) keeps the view's centre where it was,
  // and the details panel may now cover the selected entity, or move from the right to the bottom: once the resizing
  // stops, a selection left under the panel or out of the window is brought back into the part the panel leaves free
  var resized = null;
  window.addEventListener("resize", function () {
    clearTimeout(resized);
    resized = setTimeout(function () {
      var id = state.selected;
      if (!id || !isDrawn(id)) { return; }
      network.setSize();  // vis-network measures its canvas again, as it would itself a moment later
      if (isUnderPanel(id) || isOutOfView(id)) {
        var covered = panelCover();
        network.focus(id, { scale: network.getScale(), offset: { x: -covered.right / 2, y: -covered.bottom / 2 },
                            animation: false });
      }
    }, 150);
  });

  function clearSelection() {
    state.selected = null;
    state.edge = null;
    network.unselectAll();
    unhighlight();
    panel.hidden = true;
    panel.replaceChildren();
    nameInSearch();
  }

  network.on("click", function (params) {
    if (params.nodes.length) { select(params.nodes[0], false); }
    else if (!params.edges.length) { clearSelection(); }
    else if (state.selected) { network.selectNodes([state.selected]); }  // the panel stays on the entity: so does vis
    else { showRelation(params.edges[0]); }  // a tap on a phone has no tooltip: the panel says what the relation is
    remember();
  });

  // ------------------------------------------------------------------------------------------- details panel

  var panel = document.getElementById("details");

  function swatch(cls) {
    var style = DATA.classStyles[cls] || { color: "#cbd2d9", border: "#7b8794", shape: "dot" };
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("aria-hidden", "true");
    var shapes = {
      dot: ["circle", { cx: 8, cy: 8, r: 6 }],
      square: ["rect", { x: 2.5, y: 2.5, width: 11, height: 11 }],
      triangle: ["polygon", { points: "8,2 14.5,14 1.5,14" }],
      triangleDown: ["polygon", { points: "1.5,2 14.5,2 8,14" }],
      diamond: ["polygon", { points: "8,1 15,8 8,15 1,8" }],
      hexagon: ["polygon", { points: "4.5,2 11.5,2 15,8 11.5,14 4.5,14 1,8" }],
      star: ["polygon", { points: "8,1 9.9,6 15,6 10.9,9.3 12.4,14.5 8,11.4 3.6,14.5 5.1,9.3 1,6 6.1,6" }]
    };
    var spec = shapes[style.shape] || shapes.dot;
    var shape = document.createElementNS(ns, spec[0]);
    Object.keys(spec[1]).forEach(function (k) { shape.setAttribute(k, String(spec[1][k])); });
    shape.setAttribute("fill", style.color);
    shape.setAttribute("stroke", style.border);
    shape.setAttribute("stroke-width", "1.2");
    svg.appendChild(shape);
    return svg;
  }

  function classLabel(cls) {
    var known = classById.get(cls);
    return known ? pick(known.label) : pick(DATA.classNames[cls]) || cls;
  }

  /** The document a section is part of, on a page of sections of several documents (DATA.documents); null with one
   *  document, whose tags need no mark. */
  function documentOf(s) {
    return DATA.documents && s.document !== undefined ? DATA.documents[s.document] : null;
  }

  /** A section's tag: §3, and on a page of several documents its document's mark before it, AWS §3 (two documents
   *  both have a section 1). */
  function sectionTag(s) {
    var doc = documentOf(s);
    return (doc ? doc.mark + " " : "") + "§" + s.order;
  }

  function sectionText(iri) {
    var s = DATA.sections[iri];
    if (!s) { return iri; }
    return s.order + ". " + pick(s.label) + (s.range ? " · " + rangeText(s.range) : "");
  }

  /** A section's time range as the data writes it, but its open end ("1:35:00 - end": the section runs to the end)
   *  in the page's language, as kgraph show --lang zh prints it ("1:35:00 - 结束"). */
  function rangeText(range) {
    return range.replace(/ - end$/, " - " + t("toEnd"));
  }

  /** A section spelled out: §3. its title · its time range, after its document's name where there are several. */
  function sectionSpelled(iri) {
    var s = DATA.sections[iri], doc = s && documentOf(s);
    return (doc ? pick(doc.label) + ", " : "") + "§" + sectionText(iri);
  }

  /** A graph that is no source section (a data file's own graph): its last segment, the file's name. */
  function graphName(iri) {
    var last = iri.replace(/^<|>$/g, "").replace(/[\/#]+$/, "").split(/[\/#]/).pop() || iri;
    try { return decodeURIComponent(last); } catch (e) { return last; }
  }

  /** Where a section's document comes in DATA.documents (-1 for none, as stats lists the sections of none first). */
  function documentRank(s) {
    return DATA.documents && s.document !== undefined ? s.document : -1;
  }

  /** Source sections in the order stats lists them (document by document, in each by position), other graphs after
   *  them by name. */
  function inSourceOrder(list) {
    return list.slice().sort(function (a, b) {
      var x = DATA.sections[a], y = DATA.sections[b];
      if (x && y) { return documentRank(x) - documentRank(y) || x.order - y.order || inCodeOrder(a, b); }
      if (x || y) { return x ? -1 : 1; }
      return inCodeOrder(a, b);
    });
  }

  function sectionTags(list) {
    if (!list || !list.length) { return null; }
    return el("span", { class: "sections muted" }, inSourceOrder(list).map(function (iri) {
      var s = DATA.sections[iri];
      if (!s) { return el("span", { class: "section-tag", title: iri }, graphName(iri)); }
      // a click, a tap or Enter spells the section out in place (its title and time range): a tooltip needs a mouse
      var doc = documentOf(s);
      var tag = el("button", { type: "button", class: "section-tag", title: doc ? sectionSpelled(iri) : sectionText(iri),
                               "data-section": iri, "aria-expanded": "false" }, sectionTag(s));
      tag.addEventListener("click", function () {
        var open = tag.getAttribute("aria-expanded") !== "true";
        tag.setAttribute("aria-expanded", String(open));
        tag.textContent = open ? sectionSpelled(iri) : sectionTag(s);
      });
      return tag;
    }));
  }

  /** The entity's sources (in the order stats lists them); on a page of several documents, under each document's
   *  name. */
  function sourceList(iris) {
    function item(iri) {
      var s = DATA.sections[iri] || { label: [iri, iri], order: "?", range: "" };
      return el("li", {}, el("span", { class: "section-name" }, s.order + ". " + pick(s.label)),
                " ", el("span", { class: "range muted" }, s.range ? rangeText(s.range) : t("noRange")));
    }
    if (!DATA.documents) { return el("ul", {}, iris.map(item)); }
    var groups = [];
    iris.forEach(function (iri) {
      var s = DATA.sections[iri], doc = s ? documentOf(s) : null;
      var last = groups[groups.length - 1];
      if (!last || last.doc !== doc) { groups.push(last = { doc: doc, iris: [] }); }
      last.iris.push(iri);
    });
    return groups.map(function (group) {
      return [el("p", { class: "document", text: group.doc ? pick(group.doc.label) : t("noDocument") }),
              el("ul", {}, group.iris.map(item))];
    });
  }

  /** A part of the panel (one of its children) as the panel in the other language has it too: its place and kind. */
  function blockKey(block, i) { return i + " " + block.tagName + " " + block.className; }

  /** What the line of the panel that holds a node stands for, the same in both languages (its data-key: a relation
   *  listed, by its direction, relation and other end; a figure, by its place in the data); "" outside of one. Not
   *  its place: the relations are sorted by their names in the language shown, so the other language reorders
   *  them (AWS Security Agent's §12 is its third tag in English, its first in Chinese). */
  function keyOf(node) {
    var line = node.closest("[data-key]");
    return line && panel.contains(line) ? line.getAttribute("data-key") : "";
  }

  /** Each section tag's key: its line's, its section's, and which of that line's tags of that section it is. */
  function tagKeys(tags) {
    var seen = new Map();
    return tags.map(function (tag) {
      var key = keyOf(tag) + " " + tag.getAttribute("data-section"), n = seen.get(key) || 0;
      seen.set(key, n + 1);
      return key + " " + n;
    });
  }

  /** The line of a list (a relation, a figure) of a part of the panel that is at the panel's top edge: the first
   *  that reaches below it, unless what comes before it in the part (its heading) is still in sight. */
  function lineAtTop(block, edge) {
    var lines = Array.from(block.querySelectorAll("[data-key]"));
    var i = lines.findIndex(function (line) { return line.getBoundingClientRect().bottom > edge; });
    return i < 0 || (i === 0 && lines[0].getBoundingClientRect().top > edge) ? null : lines[i];
  }

  /** The section tags spelled out in the panel (by what they stand for, keyOf), where the first is on the screen,
   *  and the part of the panel at its top (the first that reaches below its top edge), or the line of it there,
   *  and where that is, so that the panel rebuilt in the other language shows them as they were and where they
   *  were: the language switched, the panel went back to its top, away from what was read. */
  function openSections() {
    var tags = Array.from(panel.querySelectorAll("button.section-tag")), keys = tagKeys(tags);
    var open = tags.filter(function (tag) { return tag.getAttribute("aria-expanded") === "true"; });
    var edge = panel.getBoundingClientRect().top + panel.clientTop, blocks = Array.from(panel.children);
    var at = blocks.findIndex(function (block) { return block.getBoundingClientRect().bottom > edge; });
    var line = at < 0 ? null : lineAtTop(blocks[at], edge);
    return { tags: open.map(function (tag) { return keys[tags.indexOf(tag)]; }),
             top: open.length ? open[0].getBoundingClientRect().top : null, scroll: panel.scrollTop,
             block: at < 0 ? null : blockKey(blocks[at], at),
             blockTop: at < 0 ? null : blocks[at].getBoundingClientRect().top,
             line: line ? keyOf(line) : null, lineTop: line ? line.getBoundingClientRect().top : null };
  }

  function reopenSections(open) {
    if (panel.hidden) { return; }
    var tags = Array.from(panel.querySelectorAll("button.section-tag")), keys = tagKeys(tags), first = null;
    open.tags.forEach(function (key) {
      var tag = tags[keys.indexOf(key)];
      if (!tag) { return; }
      tag.click();
      first = first || tag;
    });
    // the panel scrolled back to its top: the first section spelled out goes back where it was on the screen, else
    // the line (a relation, a figure) or the part of the panel that was at its top (the other language's lines may
    // be shorter or longer, and its relations in another order)
    panel.scrollTop = open.scroll;
    var block = open.block === null ? null : panel.children[parseInt(open.block, 10)];
    var line = open.line === null ? null : Array.from(panel.querySelectorAll("[data-key]")).find(function (node) {
      return keyOf(node) === open.line;
    });
    if (first) { panel.scrollTop += first.getBoundingClientRect().top - open.top; }
    else if (line) { panel.scrollTop += line.getBoundingClientRect().top - open.lineTop; }
    else if (block && blockKey(block, parseInt(open.block, 10)) === open.block) {
      panel.scrollTop += block.getBoundingClientRect().top - open.blockTop;
    }
  }

  function entityLink(id) {
    if (isDrawn(id)) {
      return el("button", { type: "button", class: "link entity", "data-id": id,
                            onclick: function () { select(id, true); remember(); } }, nameOf(id));
    }
    return el("span", { class: "entity outside", title: t("notDrawn") }, nameOf(id), " ",
              el("span", { class: "muted" }, "(" + t("notDrawn") + ")"));
  }

  /** The relations drawn, then those whose other end is not drawn in this view. */
  function links(drawn, outside, kind) {
    return drawn.concat(outside.filter(function (o) { return o[0] === kind; }).map(function (o) { return o.slice(1); }));
  }

  /** The relations of one direction, grouped by relation (by its name in the language shown), then by the other
   *  end's name, as kgraph show lists them: an entity with many (AWS has 44 in) reads relation by relation. */
  function relationList(kind, links) {
    if (!links.length) { return null; }
    var arrow = kind === "out" ? "→" : "←";
    var named = links.map(function (link) {
      return { relation: pick(DATA.relationNames[link[0]]) || link[0], other: nameOf(link[1]), link: link };
    }).sort(function (a, b) { return inCodeOrder(a.relation, b.relation) || inCodeOrder(a.other, b.other); });
    return el("section", { class: "relations-" + kind },
      el("h3", { text: t(kind) + " (" + grouped(links.length) + ")" }),
      el("ul", { class: "links" }, named.map(function (item) {
        var link = item.link;
        return el("li", { "data-key": kind + " " + link[0] + " " + link[1] },
          el("span", { class: "relation" }, item.relation), " " + arrow + " ",
          swatch(classOf(link[1])), entityLink(link[1]), " ", sectionTags(link[2]));
      })));
  }

  function figureItem(f, i) {
    var rows = [];
    function row(key, value) { if (value) { rows.push(el("div", { class: "figure-row" }, el("span", { class: "muted" }, t(key) + ": "), value)); } }
    var value = pick(f.value);
    // the unit's name after what kgraph show says (its bound, value and a rate's period), unless the value ends with
    // it or with its symbol, the data's skos:notation (4.4倍, 18个月, 76 d, 3 nm, 1 yr): "76 d (day)" said it twice,
    // and in the singular
    var unit = pick(f.unit), symbol = pick(f.symbol || []);
    if (unit && (value.slice(-unit.length) === unit || (symbol && value.slice(-symbol.length) === symbol))) {
      unit = "";
    }
    row("metric", pick(f.metric));
    if (f.compared.length) {
      row("comparedWith", el("span", {}, f.compared.map(function (c, i) {
        return [i ? ", " : "", isDrawn(c[0]) ? entityLink(c[0]) : (state.lang === "zh" ? c[2] || c[1] : c[1] || c[2])];
      })));
    }
    row("basis", pick(f.basis));
    row("before", pick(f.before));
    row("timeframe", pick(f.timeframe));
    row("kind", pick(f.kind));
    return el("li", { class: "figure", "data-key": "figure " + i },
      el("div", { class: "figure-label" }, pick(f.label)),
      el("div", { class: "figure-value" }, pick(f.stated),
         unit ? el("span", { class: "unit muted" }, " (" + unit + ")") : null),
      rows,
      f.sources.length
        ? el("div", { class: "figure-row stated-in muted" }, t("statedIn") + ": ", sectionTags(f.sources)) : null);
  }

  function showDetails(id) {
    var d = DATA.entities[id];
    var node = byId.get(id);
    // A fact in the page's language; a property with none in it shows its values in the others.
    var inLanguage = new Set(d.facts.filter(function (f) { return f[3] === state.lang; }).map(function (f) { return f[0]; }));
    var facts = d.facts.filter(function (f) { return !f[3] || f[3] === state.lang || !inLanguage.has(f[0]); });
    var other = node.labels[state.lang === "zh" ? 0 : 1];
    // other names, each once, and not the English or Chinese name given above them (Sony's Chinese alternative
    // label is "Sony": "Also known as Sony" under the name Sony said nothing)
    var alt = unique(d.alt.map(function (a) { return a[1]; })).filter(function (a) { return node.labels.indexOf(a) < 0; });
    var altLang = new Map(d.alt.map(function (a) { return [a[1], a[0]]; }));  // each in its language, for a reader
    // a link followed in the panel (or the language switched from it) rebuilds the panel: the focus stays in it,
    // on the new title, rather than falling back to the top of the page
    var hadFocus = panel.contains(document.activeElement);
    panel.replaceChildren();
    append(panel, [
      el("button", { type: "button", id: "close", class: "close", "aria-label": t("close"), title: t("close"),
                     onclick: closePanel }, "×"),
      el("p", { class: "type" }, swatch(node.group), classLabel(node.group)),
      el("h2", { id: "details-title", tabindex: "-1", lang: langOf(node.labels), text: pick(node.labels) }),
      other && other !== pick(node.labels)
        ? el("p", { class: "other-name muted", lang: otherLang(), text: other }) : null,
      d.desc[0] || d.desc[1] ? el("p", { class: "description", lang: langOf(d.desc), text: pick(d.desc) }) : null,
      el("section", { class: "names" },
        el("h3", { text: t("names") }),
        el("dl", {},
          el("dt", { text: t("english") }), el("dd", { lang: "en", text: node.labels[0] }),
          el("dt", { text: t("chinese") }), el("dd", { lang: "zh-Hans", text: node.labels[1] }),
          alt.length ? [el("dt", { text: t("alt") }), el("dd", {}, alt.map(function (a, i) {
            return [i ? ", " : "", el("span", { lang: altLang.get(a) || null, text: a })];
          }))] : null)),
      facts.length ? el("section", { class: "facts" }, el("h3", { text: t("facts") }),
        el("dl", {}, facts.map(function (f) {
          return [el("dt", { text: state.lang === "zh" ? f[1] : f[0] }),
                  el("dd", { lang: f[3] || null, text: f[2] })];
        }))) : null,
      relationList("out", links(outgoing.get(id), d.outside, "out")),
      relationList("in", links(incoming.get(id), d.outside, "in")),
      d.figures.length || d.made ? el("section", { class: "figures" },
        el("h3", { text: t("figures") + (d.figures.length ? " (" + grouped(d.figures.length) + ")" : "") }),
        d.figures.length ? el("ul", {}, d.figures.map(figureItem)) : null,
        // kgraph show's last line of the block: how many figures are about what it develops (Adobe's, Firefly's)
        d.made ? el("p", { class: "made muted",
                           text: d.made === 1 ? t("made1") : fill(t("made"), { n: grouped(d.made) }) }) : null)
        : null,
      el("section", { class: "sources" }, el("h3", { text: t("sources") }),
        d.sources.length ? sourceList(d.sources) : el("p", { class: "muted", text: t("nothing") })),
      el("p", { class: "iri muted" }, el("code", { text: d.qname }), " ", el("span", { text: id }))
    ]);
    panel.hidden = false;
    panel.scrollTop = 0;
    if (hadFocus) { focusPanel(); }
  }

  var edgeById = new Map(DATA.edges.map(function (e) { return [e.id, e]; }));

  /** The details of a relation clicked with no entity selected: its name, its two ends (links to them), the source
   *  sections that state it. A click on a line did nothing else than thicken it, and on a phone, which has no
   *  tooltip, nothing said which relation it was. */
  function showRelation(edgeId) {
    var e = edgeById.get(edgeId);
    if (!e) { return; }
    state.edge = edgeId;
    var names = DATA.relationNames[e.rel] || [e.rel, e.rel];
    var other = names[state.lang === "zh" ? 0 : 1];
    var hadFocus = panel.contains(document.activeElement);
    panel.replaceChildren();
    append(panel, [
      el("button", { type: "button", id: "close", class: "close", "aria-label": t("close"), title: t("close"),
                     onclick: closePanel }, "×"),
      el("p", { class: "type" }, t("relation")),
      el("h2", { id: "details-title", tabindex: "-1", lang: langOf(names), text: pick(names) || e.rel }),
      other && other !== pick(names) ? el("p", { class: "other-name muted", lang: otherLang(), text: other }) : null,
      el("ul", { class: "links relation-ends" }, el("li", {},
        swatch(classOf(e.from)), entityLink(e.from), " → ", swatch(classOf(e.to)), entityLink(e.to))),
      e.sections && e.sections.length
        ? el("p", { class: "stated-in muted" }, t("statedIn") + ": ", sectionTags(e.sections)) : null,
      el("p", { class: "iri muted" }, el("code", { text: e.rel }))
    ]);
    panel.hidden = false;
    panel.scrollTop = 0;
    if (hadFocus) { focusPanel(); }
  }

  /** Move the focus to the panel's title; `unseen`: with no focus ring (for a choice of the mouse or a finger). */
  function focusPanel(unseen) {
    var title = document.getElementById("details-title");
    if (title) { title.focus(unseen ? { preventScroll: true, focusVisible: false } : { preventScroll: true }); }
  }

  // Escape closes the panel (unless it closes the search's suggestions), as its × does; the focus, if it was in the
  // panel, goes back to the search box (else it would fall to the page's body, and Tab start again at the top)
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented || panel.hidden) { return; }
    closePanel(event);
  });

  function closePanel(event) {
    var wasInPanel = fromKeyboard(event) && panel.contains(document.activeElement);
    clearSelection();
    remember();
    if (wasInPanel) { backToSearch(); }
  }

  /** Whether a key did `event` (a key, or Enter or Space on a button: a click of no mouse button, detail 0), which
   * leaves the focus where the user was; a click or a tap does not: the search box it would go to would show its
   * caret, and a phone its keyboard over the drawing. */
  function fromKeyboard(event) {
    return event.type === "keydown" || event.detail === 0;
  }

  function backToSearch() {
    search.focus();  // which shows the suggestions, as a user's focus does: not here
    hideSuggestions();
  }

  // ------------------------------------------------------------------------------------------- filters

  // id -> "" (shown, as every item is at first) or "hidden"
  var nodeShown = new Map(DATA.nodes.map(function (n) { return [n.id, ""]; }));
  var edgeShown = new Map(DATA.edges.map(function (e) { return [e.id, ""]; }));

  function hiding(item, look) { return { id: item.id, hidden: look === "hidden" }; }

  function applyFilters() {
    var visible = new Set();
    restyle(nodes, nodeShown, DATA.nodes, function (n) {
      if (state.hiddenClasses.has(n.group)) { return "hidden"; }
      visible.add(n.id);
      return "";
    }, hiding);
    var shown = 0;
    restyle(edges, edgeShown, DATA.edges, function (e) {
      if (state.hiddenRelations.has(e.rel) || !visible.has(e.from) || !visible.has(e.to)) { return "hidden"; }
      shown += 1;
      return "";
    }, hiding);
    if (state.selected && !visible.has(state.selected)) { clearSelection(); }
    if (state.edge && edgeShown.get(state.edge) === "hidden") { clearSelection(); }
    if (state.selected) { highlight(state.selected); }
    showCounts(visible.size, shown);
  }

  function showCounts(visibleNodes, visibleEdges) {
    var nodes = DATA.nodes.length, edges = DATA.edges.length;
    var total = grouped(nodes) + " " + t(nodes === 1 ? "entity" : "entities") + " · " + grouped(edges) + " " +
      t(edges === 1 ? "link" : "links");
    var counts = document.getElementById("counts");
    if (visibleNodes === undefined || (visibleNodes === nodes && visibleEdges === edges)) {
      counts.textContent = total;
    } else {
      counts.textContent = t("showing") + " " + grouped(visibleNodes) + " " + t("of") + " " + grouped(nodes) + " " +
        t(nodes === 1 ? "entity" : "entities") + " · " + grouped(visibleEdges) + " " + t("of") + " " +
        grouped(edges) + " " + t(edges === 1 ? "link" : "links");
    }
  }

  /** Numbers as the page's text writes them: 1,310. */
  function grouped(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_all, key) { return values[key]; });
  }

  /** On a page of part of the graph, a line saying how much of it, and what chose the part. */
  function showPart() {
    var line = document.getElementById("part"), part = DATA.part;
    line.hidden = !part;
    if (!part) { return; }
    var text = fill(t("partOf"), { n: grouped(DATA.nodes.length), total: grouped(part.entities),
                                   m: grouped(DATA.edges.length), all: grouped(part.relations),
                                   entities: t(part.entities === 1 ? "entity" : "entities"),
                                   relations: t(part.relations === 1 ? "link" : "links") });
    var why = [];
    if (part.types.length) {
      why.push(fill(t("partType"), { types: part.types.map(pick).join(state.lang === "zh" ? "、" : ", ") }));
    }
    if (part.focus) {
      var key = part.depth === 0 ? "partAlone" : part.depth === 1 ? "partAround1" : "partAround";
      why.push(fill(t(key), { name: pick(part.focus), depth: part.depth }));
    }
    line.textContent = text + (why.length ? (state.lang === "zh" ? "：" : ": ") + why.join(state.lang === "zh" ? "；" : "; ") : "");
  }

  function setClass(cls, on) {
    if (on) { state.hiddenClasses.delete(cls); } else { state.hiddenClasses.add(cls); }
    var box = document.querySelector('#legend input[data-id="' + CSS.escape(cls) + '"]');
    if (box) { box.checked = on; }
    applyFilters();
  }

  // a name too long for the sidebar ends in "…" (220 pixels wide at 640 x 360, a phone held sideways): its title has
  // it whole, for the mouse
  function checkItem(kind, item, hidden) {
    return el("li", {},
      el("label", { title: pick(item.label) },
        el("input", { type: "checkbox", "data-id": item.id, checked: !hidden.has(item.id) ? "checked" : false,
                      onchange: function (event) {
                        if (event.target.checked) { hidden.delete(item.id); } else { hidden.add(item.id); }
                        applyFilters();
                        remember();
                      } }),
        kind === "class" ? swatch(item.id) : null,
        el("span", { class: "name", text: pick(item.label) }),
        el("span", { class: "count muted", text: grouped(item.count) })));
  }

  function buildFilters() {
    var legendList = document.getElementById("legend");
    var relationList = document.getElementById("relation-filter");
    legendList.replaceChildren();
    append(legendList, DATA.classes.map(function (c) { return checkItem("class", c, state.hiddenClasses); }));
    relationList.replaceChildren();
    append(relationList, DATA.relations.map(function (r) { return checkItem("relation", r, state.hiddenRelations); }));
  }

  document.querySelectorAll("[data-bulk]").forEach(function (button) {
    button.addEventListener("click", function () {
      var classes = button.getAttribute("data-bulk") === "classes";
      var hidden = classes ? state.hiddenClasses : state.hiddenRelations;
      hidden.clear();
      if (button.getAttribute("data-value") === "off") {
        (classes ? DATA.classes : DATA.relations).forEach(function (item) { hidden.add(item.id); });
      }
      buildFilters();
      applyFilters();
      remember();
    });
  });

  // ------------------------------------------------------------------------------------------- search

  var search = document.getElementById("search");
  var list = document.getElementById("suggestions");
  var index = DATA.nodes.map(function (n) {
    var d = DATA.entities[n.id];
    var keys = [n.labels[0], n.labels[1]].concat(d.alt.map(function (a) { return a[1]; }), [d.qname]);
    return { id: n.id, keys: keys.map(norm), words: keys.map(function (key) { return runTogether(key, false); }) };
  });
  var active = -1;

  // the order of the suggestions: the name itself, a name it starts, one of whose words it starts, one it is in;
  // each as typed before with its words run together ("Trainium 3": Trainium3 before Trainium3 UltraServer)
  function matches(query) {
    var q = norm(query), typed = runTogether(query, true);
    if (!q) { return []; }
    var found = [];
    index.forEach(function (entry) {
      var best = Infinity;
      entry.keys.forEach(function (key, i) {
        var at = key.indexOf(q), score = Infinity;
        if (at >= 0) { score = key === q ? 0 : at === 0 ? 1 : /[\s\-:(]/.test(key.charAt(at - 1)) ? 2 : 3; }
        var name = entry.words[i];
        var from = score <= 1 ? -1 : wordsMatch(typed, name);
        if (from >= 0 && score === Infinity && oneLetterInto(typed, name, from)) { from = -1; }
        if (from >= 0) {
          score = Math.min(score, from > 0 ? 2.5 : name.joined === typed.joined ? 0.5 : 1.5);
        }
        best = Math.min(best, score);
      });
      if (best < Infinity) { found.push([best, nameOf(entry.id).length, nameOf(entry.id), entry.id]); }
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || inCodeOrder(a[2], b[2]); });
    // a name it is in, mid-word ("nova" in "innovation"), only when no name matches where a word starts
    if (found.length && found[0][0] < 3) { found = found.filter(function (f) { return f[0] < 3; }); }
    return found.map(function (f) { return f[3]; });
  }

  var SUGGESTIONS = 12;  // the suggestions shown; a line says how many more entities match

  // A name misspelt ("trainum", "bedrok", 亚马孙) matches nothing: the search then offers the names close to it, as
  // kgraph show's "did you mean" does (kgraph.names.suggest): at most CLOSE entities whose label or alternative
  // label is as similar as difflib's get_close_matches asks (its ratio: twice the characters in common over both
  // lengths, at least 0.6, or 0.5 with a Chinese or Japanese character), most similar first, then shorter, then
  // alphabetical, as kgraph.names.close_matches orders them.
  var CLOSE = 6;

  /** difflib.SequenceMatcher(None, a, b).ratio() of two lists of characters (no junk: names are short). */
  function ratio(a, b) {
    // the longest block in common, the first in a (then in b) of those as long, then the same either side of it
    function common(alo, ahi, blo, bhi) {
      var besti = alo, bestj = blo, size = 0, lengths = new Array(bhi - blo + 1).fill(0), next;
      for (var i = alo; i < ahi; i++) {
        next = new Array(bhi - blo + 1).fill(0);
        for (var j = blo; j < bhi; j++) {
          if (a[i] !== b[j]) { continue; }
          var k = next[j - blo + 1] = lengths[j - blo] + 1;
          if (k > size) { besti = i - k + 1; bestj = j - k + 1; size = k; }
        }
        lengths = next;
      }
      if (!size) { return 0; }
      return size + common(alo, besti, blo, bestj) + common(besti + size, ahi, bestj + size, bhi);
    }
    var total = a.length + b.length;
    return total ? 2 * common(0, a.length, 0, b.length) / total : 1;
  }

  /** How many characters two lists have in common, in any order: at least as many as ratio() finds. */
  function shared(a, counts) {
    var left = new Map(counts), n = 0;
    a.forEach(function (c) { var k = left.get(c); if (k) { left.set(c, k - 1); n += 1; } });
    return n;
  }

  function closeTo(query) {
    var q = Array.from(norm(query));
    if (!q.length) { return []; }
    var cutoff = WIDE.test(q.join("")) ? 0.5 : 0.6, found = [], counts = new Map();
    q.forEach(function (c) { counts.set(c, (counts.get(c) || 0) + 1); });
    index.forEach(function (entry) {
      var best = 0;
      entry.keys.slice(0, -1).forEach(function (key) {  // labels and alternative labels: not the kgr: name
        var k = Array.from(key), total = q.length + k.length;
        // as difflib's real_quick_ratio and quick_ratio: bounds that rule out most names at little cost
        if (2 * Math.min(q.length, k.length) / total < cutoff || 2 * shared(k, counts) / total < cutoff) { return; }
        best = Math.max(best, ratio(q, k));
      });
      if (best >= cutoff) { found.push([best, nameOf(entry.id), entry.id]); }
    });
    found.sort(function (a, b) { return b[0] - a[0] || a[1].length - b[1].length || inCodeOrder(a[1], b[1]); });
    return found.slice(0, CLOSE).map(function (f) { return f[2]; });
  }

  /** Show the suggestions for what the box holds; `typed`: at a keystroke (an input event). */
  function showSuggestions(typed) {
    var found = matches(search.value), close = found.length ? [] : closeTo(search.value);
    var ids = found.length ? found.slice(0, SUGGESTIONS) : close;
    if (!search.value.trim()) { hideSuggestions(); return; }
    setActive(-1);
    list.replaceChildren();
    append(list, ids.length ? ids.map(function (id, i) {
      var node = byId.get(id);
      var other = node.labels[state.lang === "zh" ? 0 : 1];
      return el("li", { role: "option", id: "suggestion-" + i, "data-id": id, class: close.length ? "close" : null,
                        "aria-selected": "false",
                        onmousedown: function (event) { event.preventDefault(); choose(id, true); } },
        swatch(node.group), el("span", { class: "name", lang: langOf(node.labels), text: nameOf(id) }),
        other && other !== nameOf(id) ? el("span", { class: "muted", lang: otherLang(), text: " " + other }) : null,
        el("span", { class: "cls muted", text: classLabel(node.group) }));
    }) : []);
    if (!found.length) { list.prepend(el("li", { class: "muted empty", text: t(close.length ? "closeTo" : "noMatch") })); }
    if (found.length > ids.length) {
      var more = fill(t("more"), { n: grouped(found.length - ids.length) });
      append(list, el("li", { class: "muted empty more", text: more }));
    }
    list.hidden = false;
    fitSuggestions();
    search.setAttribute("aria-expanded", "true");
    // what a screen reader says as the list changes: how many match, else how many names are close
    var n = found.length || close.length;
    sayLater(found.length ? fill(t(n === 1 ? "matches1" : "matches"), { n: grouped(n) })
      : close.length ? fill(t(n === 1 ? "close1" : "closeN"), { n: grouped(n) }) : t("noMatch"), typed === true);
  }

  // The status a screen reader says (#search-status, a live region) waits until typing pauses: written at each
  // keystroke, it queued a count per letter ("Nova": four). SAY_AFTER is a second of quiet: longer than the gap
  // between two keys of all but the slowest typing (with each letter echoed by the screen reader), short enough that
  // the count comes as the typing stops. ↑ and ↓ (moving into the list) and Enter say it at once.
  var status = document.getElementById("search-status");
  var SAY_AFTER = 1000;
  var saying = { text: null, typed: false, timer: 0, said: "" };

  /** Say `text` once typing pauses; `typed`: at a keystroke, when even the text said last is said again. */
  function sayLater(text, typed) {
    clearTimeout(saying.timer);
    saying.text = text;
    saying.typed = saying.typed || typed;
    saying.timer = setTimeout(sayNow, SAY_AFTER);
  }

  /** Say the status waiting, if any, now. A screen reader says a live region when its text changes: the same
   *  text is left alone, unless something was typed since, when a no-break space at its end, there or not, makes
   *  it another text (said the same). */
  function sayNow() {
    clearTimeout(saying.timer);
    var text = saying.text, typed = saying.typed;
    saying.text = null;
    saying.typed = false;
    if (text === null || (text === saying.said && !typed)) { return; }
    status.textContent = text === saying.said && status.textContent === text ? text + "\u00a0" : text;
    saying.said = text;
  }

  /** Drop the status waiting, and empty the one said: the suggestions are gone. */
  function silence() {
    clearTimeout(saying.timer);
    saying.text = null;
    saying.typed = false;
    saying.said = "";
    status.textContent = "";
  }

  // The list is as high as the stylesheet lets it be, and no higher than the window leaves under the search box:
  // in a low window (a phone on its side, 568 x 320) 60% of the height ran past the window's bottom, inside the
  // sidebar that scrolls, so that its last suggestions were out of sight. It scrolls within itself instead; if the
  // sidebar has been scrolled so far that the list would have room for fewer than FEW_ROWS pixels, the sidebar
  // scrolls the search box up first (as far as it can).
  var sidebar = document.getElementById("sidebar");
  var FEW_ROWS = 120, BELOW = 6;

  function fitSuggestions() {
    list.style.maxHeight = "";
    var room = function () { return window.innerHeight - list.getBoundingClientRect().top - BELOW; };
    if (room() < FEW_ROWS) { sidebar.scrollTop += FEW_ROWS - room(); }
    if (room() < list.offsetHeight) { list.style.maxHeight = Math.max(room(), 0) + "px"; }
  }

  window.addEventListener("resize", function () { if (!list.hidden) { fitSuggestions(); } });

  // The list goes empty as it hides: Enter picked a suggestion left in it from an earlier search, in a box emptied
  // since ("sony", four Backspaces, Enter selected Sony) or after Escape had closed the list.
  function hideSuggestions() {
    list.hidden = true;
    list.replaceChildren();
    search.setAttribute("aria-expanded", "false");
    setActive(-1);
    silence();
  }

  /** Mark the suggestion at `index` active (-1: none), for the eye and for a screen reader. */
  function setActive(index) {
    active = index;
    var items = list.querySelectorAll("li[data-id]");
    items.forEach(function (item, i) {
      item.classList.toggle("active", i === active);
      item.setAttribute("aria-selected", String(i === active));
    });
    if (items[active]) {
      search.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    } else {
      search.removeAttribute("aria-activedescendant");
    }
  }

  // The name a choice in the search wrote into the box, while the box still holds it: the selection made elsewhere
  // (a click on an entity or on a link in the panel, Back, an address) left it naming the entity chosen before
  // ("Sony" over Amazon Bedrock's details, and again in the box Escape went back to), and a language switch left
  // it in the other language. The box follows the selection now, until something is typed into it.
  var chosenName = null;

  function nameInSearch() {
    if (!chosenName || search.value !== chosenName) { chosenName = null; return; }
    search.value = chosenName = state.selected ? nameOf(state.selected) : "";
    if (!chosenName) { chosenName = null; }
  }

  /** Select a suggestion; `byPointer`: picked with the mouse or a finger, not the keyboard. */
  function choose(id, byPointer) {
    search.value = chosenName = nameOf(id);
    hideSuggestions();
    // the details are what was asked for: the next Tab reaches their links, Escape comes back here. Focused from the
    // search box, whose focus is always seen, the title showed the focus's ring after a click too (Chromium marks
    // such a focus :focus-visible): for a pick of the mouse, the focus goes there unseen.
    if (select(id, true)) { focusPanel(byPointer); }
    remember();
  }

  function moveActive(step) {
    var items = list.querySelectorAll("li[data-id]");
    if (!items.length) { return; }
    // from the box (none active), up goes to the last suggestion, down to the first
    setActive(active < 0 ? (step < 0 ? items.length - 1 : 0) : (active + step + items.length) % items.length);
  }

  search.addEventListener("input", function () { showSuggestions(true); });
  search.addEventListener("focus", function () { showSuggestions(false); });
  search.addEventListener("blur", hideSuggestions);
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { sayNow(); moveActive(1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { sayNow(); moveActive(-1); event.preventDefault(); }
    else if (event.key === "Escape" && !list.hidden) {
      hideSuggestions();
      event.preventDefault();  // only the suggestions close, not the panel
    }
    else if (event.key === "Enter") {
      // only a list shown, for what the box holds: Enter in a blank box, or with the list closed, picks nothing
      var items = list.hidden || !search.value.trim() ? [] : list.querySelectorAll("li[data-id]");
      var item = items[Math.max(active, 0)];
      if (item) { choose(item.getAttribute("data-id")); } else { sayNow(); }
      event.preventDefault();
    }
  });

  // ------------------------------------------------------------------------------------------- language

  function setLanguage(lang) {
    state.lang = lang === "zh" ? "zh" : "en";
    // a long name is drawn on two lines, cut (n.drawn); the tooltip, search and panel have it whole. Each node's
    // colour goes with its label: vis-network gives a node updated without one its group's (a faded entity came
    // back in full colour while an entity was selected)
    nodes.update(DATA.nodes.map(function (n) {
      var styled = nodeStyle(n, nodeLook.get(n.id) || "");
      styled.label = pick(n.drawn || n.labels);
      styled.title = nodeTitle(n);
      return styled;
    }));
    edges.update(DATA.edges.map(function (e) {
      return { id: e.id, label: pick(DATA.relationNames[e.rel]) || e.rel, title: edgeTitle(e) };
    }));
    showTexts();
    var open = openSections();
    nameInSearch();
    if (state.selected) { showDetails(state.selected); }
    else if (state.edge) { showRelation(state.edge); }
    reopenSections(open);
    if (!list.hidden) { showSuggestions(); }
    showNotice();
  }

  /** Every text of the page outside the drawing, in the current language. */
  function showTexts() {
    document.documentElement.lang = state.lang === "zh" ? "zh-Hans" : "en";
    document.querySelectorAll("[data-i18n]").forEach(function (node) {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
    document.querySelectorAll("[data-i18n-label]").forEach(function (node) {
      node.setAttribute("aria-label", t(node.getAttribute("data-i18n-label")));
    });
    search.placeholder = t("search");
    drawing.setAttribute("aria-label", t("drawing"));
    search.setAttribute("aria-label", t("search"));
    document.title = pick(DATA.title);
    document.getElementById("title").textContent = pick(DATA.title);
    document.querySelectorAll("[data-lang]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-lang") === state.lang));
    });
    buildFilters();
    if (state.hiddenClasses.size || state.hiddenRelations.size) { applyFilters(); } else { showCounts(); }
    showPart();
  }

  document.querySelectorAll("[data-lang]").forEach(function (button) {
    button.addEventListener("click", function () { setLanguage(button.getAttribute("data-lang")); remember(); });
  });

  // ------------------------------------------------------------------------------------------- fit and reset

  // a small view may be drawn larger than life, up to 1.5 times; with the details panel open, everything goes into
  // the part of the drawing that the panel leaves free (on a phone, under the panel, Fit seemed to do nothing)
  function fit(animated) {
    var animation = animated ? { duration: 350, easingFunction: "easeInOutQuad" } : false;
    var covered = panelCover(), body = network.body;
    if ((!covered.right && !covered.bottom) || !body.nodeIndices.length) {
      network.fit({ maxZoomLevel: 1.5, animation: animation });
      return;
    }
    var view = fitted(covered);
    network.moveTo({ scale: view.scale, position: view.position, offset: view.offset, animation: animation });
  }

  /** The view that shows every entity in the part of the drawing that the panel leaves free (`covered`), at most
   *  1.5 times life size; null when there is none. */
  function fitted(covered) {
    var body = network.body;
    if (!body.nodeIndices.length) { return null; }
    var left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    body.nodeIndices.forEach(function (id) {
      var box = body.nodes[id].shape.boundingBox;
      left = Math.min(left, box.left); top = Math.min(top, box.top);
      right = Math.max(right, box.right); bottom = Math.max(bottom, box.bottom);
    });
    var width = Math.max(container.clientWidth - covered.right, 1);
    var height = Math.max(container.clientHeight - covered.bottom, 1);
    // as vis-network's fit does in the whole drawing: the entities' extent and a tenth more
    var scale = Math.min(1.5, width / Math.max(right - left, 1) / 1.1, height / Math.max(bottom - top, 1) / 1.1);
    return { scale: scale, position: { x: (left + right) / 2, y: (top + bottom) / 2 },
             offset: { x: -covered.right / 2, y: -covered.bottom / 2 } };
  }

  function reset() {
    search.value = "";
    hideSuggestions();
    state.hiddenClasses.clear();
    state.hiddenRelations.clear();
    clearSelection();
    nodes.update(DATA.nodes.map(function (n) { return { id: n.id, x: n.x, y: n.y }; }));
    buildFilters();
    applyFilters();
    fit(false);
  }

  document.getElementById("fit").addEventListener("click", function () { fit(true); });

  // ------------------------------------------------------------------------------------------- leaving the drawing

  // vis-network hides a tooltip, and lets go of the entity or relation hovered, when the mouse moves off it over
  // the drawing. A mouse that left the drawing (for Fit, the search, the panel) or a view moved under it (Fit,
  // Reset, the keys, the wheel, a drag, a choice's zoom) left the tooltip where it was, over whatever came there,
  // until the mouse came back. Both go when the mouse leaves the drawing and whenever the view is moved; the next
  // move of the mouse over an entity hovers it again.
  function leaveHovered(event) {
    var interaction = network.interactionHandler, handler = network.selectionHandler;
    if (!interaction || !handler) { return; }
    if (interaction.popupTimer !== undefined) {  // a tooltip about to show, the mouse having stopped on it
      clearTimeout(interaction.popupTimer);
      interaction.popupTimer = undefined;
    }
    if (interaction.popup && !interaction.popup.hidden) {
      interaction.popupObj = undefined;
      interaction.popup.hide();
      network.body.emitter.emit("hidePopup");
    }
    var hovered = handler.hoverObj;
    if (hovered && (Object.keys(hovered.nodes).length || Object.keys(hovered.edges).length)) {
      handler.hoverObject(event || {}, { x: -1e9, y: -1e9 });  // a point on nothing: each hovered is let go
      network.redraw();
    }
  }
  network.canvas.frame.addEventListener("pointerleave", function (event) {
    if (event.pointerType === "mouse") { leaveHovered(event); }
  });
  // A tap has no tooltip (the panel says what was tapped), but the mouse events a browser makes after a tap showed
  // one, and no mouse leaves the drawing to take it away: it stayed over the tapped entity's neighbours. A tooltip
  // that shows soon after a touch goes at once, and a touch anywhere takes away any shown.
  var touched = -Infinity;
  document.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse") { return; }
    touched = Date.now();
    leaveHovered(event);
  }, true);
  network.on("showPopup", function () { if (Date.now() - touched < 2000) { leaveHovered(); } });
  ["fit", "moveTo", "focus"].forEach(function (name) {
    var move = network[name];
    network[name] = function () { leaveHovered(); return move.apply(this, arguments); };
  });
  network.on("zoom", function () { leaveHovered(); });
  network.on("dragStart", function () { leaveHovered(); });

  // ------------------------------------------------------------------------------------------- keys

  // With the drawing focused (clicked, or reached by Tab): the arrow keys move it by a sixth of the window, + and -
  // zoom by a quarter about its middle, 0 fits. Only there: the search box keeps its arrows, a button its keys.
  var drawing = network.canvas.frame;  // vis-network's focusable element around the canvas
  drawing.setAttribute("role", "application");
  var KEY_STEP = 1 / 6, KEY_ZOOM = 1.25;
  var PANS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  drawing.addEventListener("keydown", function (event) {
    if (event.target !== drawing || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var scale = network.getScale(), at = network.getViewPosition();
    var animation = event.repeat ? false : { duration: 150, easingFunction: "easeInOutQuad" };  // held: at once
    var pan = PANS[event.key];
    if (pan) {
      var step = KEY_STEP * Math.min(container.clientWidth, container.clientHeight) / scale;
      network.moveTo({ position: { x: at.x + pan[0] * step, y: at.y + pan[1] * step }, scale: scale,
                       animation: animation });
    } else if (event.key === "+" || event.key === "=" || event.key === "-" || event.key === "_") {
      var factor = event.key === "+" || event.key === "=" ? KEY_ZOOM : 1 / KEY_ZOOM;
      network.moveTo({ position: at, scale: Math.min(10, Math.max(0.01, scale * factor)), animation: animation });
    } else if (event.key === "0") {
      fit(true);
    } else {
      return;
    }
    event.preventDefault();
  });
  document.getElementById("reset").addEventListener("click", function () { reset(); remember(); });

  // the skip link, first in the order of Tab, gives the drawing the focus; the page's address is left as it is
  // (its fragment is the page's state: "#graph" would name an entity)
  document.getElementById("skip").addEventListener("click", function (event) {
    event.preventDefault();
    drawing.focus();
  });


  // ------------------------------------------------------------------------------------------- the address

  // The page's state lives in its URL fragment, so that a reload keeps it and a link shares it:
  //   graph.html#trainium3&hide-classes=Person,Event&hide-relations=uses&lang=zh
  // The entity comes first, by the last segment of its IRI (its kgr: name when two drawn entities share that),
  // then the classes and relations unticked, by their names without prefix, then the language when it is not the
  // page's own. A page focused on an entity opens on it: there, "select=none" says that nothing is selected. Selecting another entity adds a step to the browser's history; a filter or the language only
  // rewrites the current step, so that Back goes to the entity before, not through every box ticked.

  var PAGE_LANG = state.lang;

  function lastSegment(iri) {
    var last = String(iri).replace(/^<|>$/g, "").split(/[\/#:]/).pop();
    try { return decodeURIComponent(last); } catch (e) { return last; }
  }

  /** A key for each item: its last segment where no other item has it (in any case), else its whole name. */
  function keysOf(items, fallback) {
    var seen = new Map();
    items.forEach(function (item) {
      var key = lastSegment(item).toLowerCase();
      seen.set(key, (seen.get(key) || 0) + 1);
    });
    return new Map(items.map(function (item) {
      var key = lastSegment(item);
      return [item, key && seen.get(key.toLowerCase()) === 1 ? key : fallback(item)];
    }));
  }

  /** What a key names: by its key, case aside, or by any name of the item (an IRI, a kgr: name). */
  function finderOf(keys, names) {
    var exact = new Map(), folded = new Map();
    keys.forEach(function (key, item) {
      [key].concat(names(item)).forEach(function (name) {
        if (!exact.has(name)) { exact.set(name, item); }
        var low = name.toLowerCase();
        folded.set(low, folded.has(low) && folded.get(low) !== item ? null : item);
      });
    });
    return function (key) { return exact.get(key) || folded.get(key.toLowerCase()) || null; };
  }

  var entityKeys = keysOf(DATA.nodes.map(function (n) { return n.id; }),
                          function (id) { return DATA.entities[id].qname; });
  var findEntity = finderOf(entityKeys, function (id) { return [id, DATA.entities[id].qname]; });
  var otherKeys = keysOf(Object.keys(DATA.others), function (id) { return id; });
  var findOther = finderOf(otherKeys, function (id) { return [id]; });

  // An entity may also be named by its names, as kgraph show takes them: its English or Chinese label, then its
  // alternative labels, each compared as the search compares names (norm: any case, full-width letters, traditional
  // characters, a space beside a Chinese one), then the same with the words run together as the search runs them
  // ("Trainium 3", "亚马逊-云科技"). A link to "#Amazon%20Bedrock" said that the view did not show it. The last
  // segment of an IRI comes first, so that every address the page writes names what it named.
  function namesOf(id) {
    var node = byId.get(id), labels = node ? node.labels : (DATA.others[id] || {}).labels || [];
    var alt = node ? DATA.entities[id].alt.map(function (a) { return a[1]; }) : [];
    return [labels.filter(Boolean), alt];
  }

  /** The entities of `ids` that a name in the address names, by the first of the ways above that finds any. */
  function namedBy(text, ids) {
    var key = norm(text), typed = runTogether(text, true);
    if (!key) { return []; }
    var names = ids.map(namesOf), found = [];
    [function (name) { return norm(name) === key; }, function (name) {
      var words = runTogether(name, false);
      return words.joined === typed.joined && wordsMatch(typed, words) === 0;
    }].some(function (same) {
      return [0, 1].some(function (kind) {  // labels, then alternative labels
        found = ids.filter(function (id, i) { return names[i][kind].some(same); });
        return found.length > 0;
      });
    });
    return found;
  }
  var classKeys = keysOf(DATA.classes.map(function (c) { return c.id; }), function (id) { return id; });
  var findClass = finderOf(classKeys, function (id) { return [id]; });
  var relationKeys = keysOf(DATA.relations.map(function (r) { return r.id; }), function (id) { return id; });
  var findRelation = finderOf(relationKeys, function (id) { return [id]; });

  function encode(key) { return encodeURIComponent(key).replace(/%3A/g, ":").replace(/%2F/g, "/"); }

  function decode(text) {
    try { return decodeURIComponent(text); } catch (e) { return text; }
  }

  var NOTHING = "select=none";  // an entity's key has no "=": its own is encoded as %3D

  /** The entity the page is focused on, if it draws it. */
  function focusDrawn() { return DATA.focus && isDrawn(DATA.focus) ? DATA.focus : null; }

  /** The fragment for the page as it is: "" for the page as it opens. */
  function fragment() {
    var parts = [];
    if (state.selected) { parts.push(encode(entityKeys.get(state.selected))); }
    else if (focusDrawn()) { parts.push(NOTHING); }
    [["hide-classes", DATA.classes, state.hiddenClasses, classKeys],
     ["hide-relations", DATA.relations, state.hiddenRelations, relationKeys]].forEach(function (kind) {
      var hidden = kind[1].filter(function (item) { return kind[2].has(item.id); });
      if (hidden.length) {
        parts.push(kind[0] + "=" + hidden.map(function (item) { return encode(kind[3].get(item.id)); }).join(","));
      }
    });
    if (state.lang !== PAGE_LANG) { parts.push("lang=" + state.lang); }
    return parts.length ? "#" + parts.join("&") : "";
  }

  /** What a fragment asks for; what it names that this view does not have goes to `unknown`: an entity of the
   *  graph another view draws as { entity: id }, so that the notice names it in the language of the moment, else
   *  { text: as written }. */
  function readFragment(hash) {
    var wanted = { entity: null, named: false, classes: [], relations: [], lang: PAGE_LANG, unknown: [] };
    hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) { return; }
      var at = part.indexOf("=");
      if (at < 0) {
        var key = decode(part);
        wanted.named = true;
        wanted.entity = findEntity(key);
        if (wanted.entity) { return; }
        var named = namedBy(key, DATA.nodes.map(function (n) { return n.id; }));
        if (named.length === 1) { wanted.entity = named[0]; return; }
        if (named.length) { wanted.unknown.push({ name: key, several: named }); return; }
        var other = findOther(key), others = other ? [other] : namedBy(key, Object.keys(DATA.others));
        wanted.unknown.push(others.length === 1 ? { entity: others[0] } : { name: key });
        return;
      }
      var name = decode(part.slice(0, at));
      var values = part.slice(at + 1).split(",").filter(Boolean).map(decode);
      var find = name === "hide-classes" ? findClass : name === "hide-relations" ? findRelation : null;
      if (find) {
        values.forEach(function (value) {
          var found = find(value);
          if (found) { wanted[name === "hide-classes" ? "classes" : "relations"].push(found); }
          else { wanted.unknown.push({ text: value }); }
        });
      } else if (part === NOTHING) {
        wanted.named = true;
      } else if (name === "lang" && (values[0] === "en" || values[0] === "zh")) {
        wanted.lang = values[0];
      } else {
        wanted.unknown.push({ text: decode(part) });
      }
    });
    return wanted;
  }

  var written = location.hash;  // the fragment the page shows now
  var STEP = { kgraph: 1 };  // the state of each step of the history that the page wrote
  var entityOfStep = null;  // the entity selected in the current step of the history

  /** Put the page's state into its address: a new step in the history for another entity, else the same step. */
  function remember() {
    var step = state.selected !== entityOfStep;
    if (step) { showNotice([]); }  // what the link named is behind: the user has moved on
    var hash = fragment();
    if (hash !== written) {
      var url = location.href.split("#")[0] + hash;
      try { history[step ? "pushState" : "replaceState"](STEP, "", url); }
      catch (e) { /* a page in a sandbox may not rewrite its address: it works on without */ }
      written = hash;
    }
    entityOfStep = state.selected;
  }

  /** Show what the address asks for: on opening and for an address typed or followed (zoomed in on the entity,
   *  as a choice in the search does), and on Back and Forward through the page's own steps (not zoomed). */
  function restore(opening, typed) {
    written = location.hash;
    var wanted = readFragment(written);
    // the page opens as fast with no fragment as it did before it had one: nothing to filter, nothing redrawn
    var filtered = state.hiddenClasses.size || state.hiddenRelations.size || wanted.classes.length ||
      wanted.relations.length;
    state.hiddenClasses.clear();
    state.hiddenRelations.clear();
    wanted.classes.forEach(function (id) { state.hiddenClasses.add(id); });
    wanted.relations.forEach(function (id) { state.hiddenRelations.add(id); });
    if (wanted.lang !== state.lang) { setLanguage(wanted.lang); }
    else if (filtered) { buildFilters(); applyFilters(); }
    // a page focused on an entity opens on it when the address names none
    var entity = wanted.named ? wanted.entity : focusDrawn();
    if (entity) {
      var zoom = (opening || typed) && Boolean(wanted.entity);
      if (select(entity, zoom, opening && !wanted.named) && typed) { focusPanel(); }
    } else if (state.selected || state.edge) { clearSelection(); }
    entityOfStep = state.selected;
    // the entity's class, unticked by the address, is ticked to show it (select): the address says so too, or it
    // kept "hide-classes=Company" over Sony shown, and a reload or a link shared read it again
    if (wanted.classes.some(function (id) { return !state.hiddenClasses.has(id); })) { rewrite(); }
    showNotice(wanted.unknown);
  }

  /** Put the page's state into the current step of the history, as it is. */
  function rewrite() {
    var hash = fragment();
    try {
      history.replaceState(STEP, "", location.href.split("#")[0] + hash);
      written = hash;
    } catch (e) { /* in a sandbox: the address stays as it was */ }
  }

  // ------------------------------------------------------------------------------------------- notice

  var notice = document.getElementById("notice");
  var noticeItems = [];

  /** A line above the filters saying what the address named that the view does not have, in the language of
   *  the moment (drawn again when it changes); [] hides it. */
  function showNotice(items) {
    if (items) { noticeItems = items; }
    notice.replaceChildren();
    notice.hidden = !noticeItems.length;
    if (!noticeItems.length) { return; }
    var zh = state.lang === "zh", comma = zh ? "、" : ", ";
    // what the view does not have (an entity another view draws, a class, anything else), then the entity it names
    // by a name of none of its entities, or of several (listed, with the prefixed name that tells each apart)
    var named = noticeItems.filter(function (item) { return item.name === undefined; }).map(function (item) {
      if (!item.entity) { return "“" + item.text + "”"; }
      return "“" + nameOf(item.entity) + "”" + (zh ? "（" + t("notDrawn") + "）" : " (" + t("notDrawn") + ")");
    });
    var said = named.length ? [t("notInView") + (zh ? "" : " ") + named.join(comma) + (zh ? "。" : ".")] : [];
    noticeItems.forEach(function (item) {
      if (item.name === undefined) { return; }
      var list = (item.several || []).map(function (id) {
        var qname = DATA.entities[id].qname;
        return nameOf(id) + (zh ? "（" + qname + "）" : " (" + qname + ")");
      });
      said.push(fill(t(list.length ? "several" : "unnamed"),
                     { name: "“" + item.name + "”", n: list.length, list: list.join(comma) }));
    });
    append(notice, [
      el("span", { text: said.join(zh ? "" : " ") }),
      el("button", { type: "button", class: "link dismiss", text: t("dismiss"),
                     onclick: function (event) {
                       var hadFocus = fromKeyboard(event) && notice.contains(document.activeElement);
                       showNotice([]);
                       if (hadFocus) { backToSearch(); }
                     } })
    ]);
  }

  function followAddress(typed) {
    if (location.hash === written) { return; }
    restore(false, typed);
    if (typed) { mark(); }  // Back to this step later is Back, not a new address
  }

  function mark() {
    try { history.replaceState(STEP, "", location.href); } catch (e) { /* in a sandbox: Back is then as typed */ }
  }

  // a fragment typed into the address bar (or a link to one followed) is a step the page did not write: it comes
  // with a popstate of no state (then a hashchange), Back and Forward to the page's own steps with theirs
  window.addEventListener("popstate", function (event) { followAddress(!(event.state && event.state.kgraph)); });
  window.addEventListener("hashchange", function () { followAddress(true); });

  // ------------------------------------------------------------------------------------------- start

  showTexts();  // the labels in the data are already in the page's language
  fit(false);
  restore(true);
  mark();
  network.once("afterDrawing", function () { document.body.setAttribute("data-ready", "true"); });
  network.redraw();

  window.kgViewer = {
    network: network, nodes: nodes, edges: edges, state: state,
    select: select, clearSelection: clearSelection, setLanguage: setLanguage, fit: fit, reset: reset,
    fragment: fragment, labels: labels, names: names
  };
}());
