"""``--lang zh`` in kgraph's own words: ``show``, ``stats``, ``entities`` and ``lineage`` gave the graph's Chinese
labels amid English headings, field names and table headers (``class:``, ``Relations in``, ``value:``,
``(inferred)``); they read in Chinese now, and the English output is as it was."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest
from click.testing import CliRunner, Result

from conftest import PREFIXES
from kgraph import analysis, explore, formatting
from kgraph.cli import cli
from kgraph.cli_analysis import format_lineage
from kgraph.explore import SectionCount, SectionRef, Stats
from kgraph.names import label
from kgraph.store import load
from kgraph.text import display_width
from kgraph.viewer import page, views
from kgraph.vocab import KG, KGR
from kgraph.words import WORDS, word
from test_explore import ONTOLOGY


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_words_are_one_table_in_both_languages():
    assert word("Relations in") == "Relations in"
    assert word("Relations in", "en") == "Relations in"
    assert word("Relations in", None) == "Relations in"  # entities with no --lang: both label columns, in English
    assert word("Relations in", "zh") == "入向关系"
    # a word left out of the table fails in English too, where most tests are
    with pytest.raises(KeyError):
        word("Relations out")
    same = {english for english, chinese in WORDS.items() if english == chinese}
    assert same == {"IRI", "#"}  # names, not words
    assert all(not chinese.isascii() for english, chinese in WORDS.items() if english not in same)


def test_show_in_chinese_speaks_chinese():
    result = run("show", "Trainium3", "--lang", "zh")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "Trainium3  (kgr:trainium3)",
        "  IRI:               https://w3id.org/kgraph/resource/trainium3",
        "  类:                芯片 (kg:Chip)",
        "  推断的类:          kg:Entity, kg:Hardware, kg:Product, prov:Entity, schema:Product, schema:Thing",
        "  标签 (en):         Trainium3",
        "  标签 (zh):         Trainium3",
    ]
    assert "  描述 (zh):         继Trainium2之后的Trainium AI芯片，采用3纳米制程。" in lines  # noqa: RUF001
    for heading in ("关系", "入向关系", "数据指标", "来源"):
        assert heading in lines
    assert "  亮相于 [kg:featuredAt]  (推断)" in lines
    figure = lines.index("  Trainium3相比Trainium2的算力  (kgf:trainium3-compute-vs-trainium2)")
    assert lines[figure + 1 : figure + 5] == [
        "    数值:             4.4倍",
        "    度量内容:         算力 / compute",
        "    对比对象:         Trainium2",
        "    指标类型:         技术规格",
    ]
    # none of kgraph's English words is left
    english = {"class:", "label (en):", "Relations", "Relations in", "Figures", "Sources", "(inferred)", "value:"}
    assert not [line for line in lines if english & {line.strip(), *line.split()}]


def test_show_and_stats_in_chinese_say_a_time_ranges_open_end_in_chinese():
    """A section that runs to the end has the time range "1:35:00 - end" (the data's, as the rule time-range.rq writes
    one): ``show`` and ``stats`` printed its English "end" under --lang zh. They say 结束 now; the data keeps "end"."""
    shown = run("show", "AWS", "--lang", "zh").stdout
    assert "  12. 结尾  (src:closing)  1:35:00 - 结束\n" in shown
    assert "  12. Closing / 结尾  (src:closing)  1:35:00 - end\n" in run("show", "AWS").stdout
    assert "  11. Kiro自主代理与安全代理  (src:kiro-agents)  1:25:00 - 1:35:00\n" in shown  # a closed range as it is
    stats = run("stats", "--lang", "zh").stdout.splitlines()
    assert "1:35:00 - 结束" in next(line for line in stats if line.startswith("12  src:closing"))
    assert "1:35:00 - end" in run("stats").stdout


def test_a_time_range_the_rule_makes_ends_in_chinese_under_lang_zh(make_kg):
    """A section with a start and no end gets "05:00 - end" from the rule: in Chinese, 结束."""
    data = PREFIXES + (
        'src:tail a kg:SourceSection ; rdfs:label "Tail"@en , "尾声"@zh ; kg:order 1 ;\n'
        '    kg:startTime "PT5M"^^xsd:duration .\n'
        'src:tail { kgr:acme a kg:Company ; rdfs:label "Acme"@en . }\n'
    )
    data_dir, ontology_dir = make_kg({"d.trig": data})
    world = ["--data", str(data_dir), "--ontology", str(ontology_dir)]
    assert "   1. 尾声  (src:tail)  05:00 - 结束\n" in run(*world, "show", "Acme", "--lang", "zh").stdout
    assert "   1. Tail / 尾声  (src:tail)  05:00 - end\n" in run(*world, "show", "Acme").stdout


def test_show_in_chinese_keeps_a_figures_fields_in_one_column():
    """The figure's field names were padded by characters (``{name:<14}``): a Chinese one, two columns a character,
    would push its value right of the others'."""
    for name in ("kgf:bms-drug-discovery-time", "Kiro", "Amazon S3"):
        shown = run("show", name, "--lang", "zh").stdout
        fields = [line for line in shown.splitlines() if line.startswith("    ") and line[4:6] not in ("->", "<-")]
        assert len(fields) >= 3, name
        starts = set()
        for line in fields:  # the terminal column each value starts at
            name_part, _, rest = line.partition(": ")
            starts.add(display_width(name_part) + 2 + len(rest) - len(rest.lstrip(" ")))
        assert starts == {22}, (name, fields)
    assert "    此前数值:         4-6周\n" in run("show", "kgf:bms-drug-discovery-time", "--lang", "zh").stdout


def test_show_of_a_resource_no_section_names_says_so_in_chinese():
    assert run("show", "src:overview", "--lang", "zh").stdout.endswith("\n来源\n  (没有来源章节提及)\n")
    assert run("show", "src:overview").stdout.endswith("\nSources\n  (no source section names it)\n")


def test_stats_in_chinese_heads_its_tables_in_chinese():
    result = run("stats", "--lang", "zh")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(
        "图谱\n"
        "项目                         数量\n"
        "---------------------------  ----\n"
        "读取的文件                   15\n"
        "三元组 (本体 + 数据 + 推断)  "
    )
    assert "\n类\n类                      标签        直接实例  含子类实例\n" in out
    assert "\n关系\n关系                     标签          断言  推断\n" in out
    assert "\n数据指标: 49\n指标类型  数量\n--------  ----\n使用规模  17\n" in out
    assert "\n来源\n#   章节                   标题                          时间范围           三元组\n" in out
    english = run("stats").stdout
    assert english.startswith("Graph\nwhat                                  count\n")
    assert "\nClasses\nclass                   label                 direct  with sub-classes\n" in english


def _section(document: str, order: int) -> SectionCount:
    ref = SectionRef(order, f"src:s{order}", f"节{order}", f"节{order}", "", document, document)
    return SectionCount(ref, order)


def test_stats_of_two_documents_names_the_document_column_in_chinese():
    counted = Stats(1, 2, 0, 2, 0, [], [], 1, [(word("(no kind)", "zh"), 1)], [_section("", 1), _section("ex:b", 2)])
    out = formatting.stats(counted, "zh")
    assert "\n数据指标: 1\n指标类型  数量\n--------  ----\n(无类型)  1\n" in out
    assert out.endswith(
        "来源\n"
        "文档  #  章节    标题  时间范围  三元组\n"
        "----  -  ------  ----  --------  ------\n"
        "(无)  1  src:s1  节1             1\n"
        "ex:b  2  src:s2  节2             2\n"
    )
    assert "\n(none)    1  src:s1   节1                1\n" in formatting.stats(counted)


def test_entities_in_chinese_heads_its_columns_in_chinese():
    result = run("entities", "--type", "Chip", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        "名称       类    中文标签",
        "---------  ----  ---------",
        "graviton   芯片  Graviton",
    ]
    # the machine formats keep their column names
    assert run("entities", "--type", "Chip", "--lang", "zh", "--format", "csv").stdout.startswith(
        "name,iri,class,label_zh\n"
    )
    assert run("entities", "--type", "Chip").stdout.startswith("name       class  English label  Chinese label\n")


def test_lineage_in_chinese_heads_its_tables_in_chinese(make_kg):
    lines = run("lineage", "Trainium3", "--lang", "zh").stdout.splitlines()
    assert lines[2:5] == [
        "Trainium3 继任 Trainium2",
        "  度量内容  数值   数据指标",
        "  --------  -----  --------------------------------------------",
    ]
    assert "  metric             value  figure" in run("lineage", "Trainium3").stdout.splitlines()
    branches = PREFIXES + (
        'kgr:a a kg:Chip ; rdfs:label "A"@en .\n'
        'kgr:b a kg:Chip ; rdfs:label "B"@en ; kg:succeeds kgr:a .\n'
        'kgr:c a kg:Chip ; rdfs:label "C"@en ; kg:succeeds kgr:b .\n'
        'kgr:d a kg:Chip ; rdfs:label "D"@en ; kg:succeeds kgr:b .\n'
    )
    found = analysis.lineage(load(*make_kg({"chips.ttl": branches}, {"kgraph.ttl": ONTOLOGY})), KGR.b, "zh")
    chinese = format_lineage(found, "zh", "继任").splitlines()
    assert chinese[:7] == ["各代:", "  1. A", "  2. B", "  3. C, D", "", "B 继任 A", "  (没有对比二者的数据指标)"]
    assert format_lineage(found).splitlines()[:7] == [
        "generations:",
        "  1. A",
        "  2. B",
        "  3. C, D",  # two successors of B: one generation, not two
        "",
        "B succeeds A",
        "  (no figure compares them)",
    ]


def test_stats_names_a_figure_of_no_kind_in_chinese(make_kg):
    data = PREFIXES + 'src:a { kgf:odd a kg:Figure ; rdfs:label "Odd"@en . }\n'
    world = load(*make_kg({"d.trig": data}, {"kgraph.ttl": ONTOLOGY}))
    assert explore.stats(world, "zh").figures_by_kind == [("(无类型)", 1)]
    assert explore.stats(world).figures_by_kind == [("(no kind)", 1)]


def test_rank_in_chinese_heads_its_table_in_chinese():
    for by, score in (("degree", "度数"), ("pagerank", "PageRank值"), ("betweenness", "介数中心性")):
        header, _rule, first = run("rank", "--by", by, "--top", "1", "--lang", "zh").stdout.splitlines()
        assert header.split() == ["排名", "实体", "类", score]
        assert first.split()[:3] == ["1", "亚马逊云科技", "公司"]
        assert run("rank", "--by", by, "--top", "1").stdout.splitlines()[0].split() == ["rank", "entity", "class", by]
    # the machine formats keep their column names
    assert run("rank", "--top", "1", "--lang", "zh", "--format", "csv").stdout.startswith(
        "rank,iri,entity,class,degree"
    )


def test_communities_in_chinese_speak_chinese():
    lines = run("communities", "--lang", "zh").stdout.splitlines()
    assert lines[-1] == "未连接 (2): 财富500强, PDF"
    assert run("communities").stdout.splitlines()[-1] == "not linked (2): Fortune 500, PDF"
    shared = run("communities", "--co-usage", "--lang", "zh").stdout.splitlines()
    assert shared[:3] == [
        "共享客户的产品",
        "产品                      产品                      共同客户",
        "------------------------  ------------------------  --------",
    ]
    assert "共用产品的客户" in shared
    assert run("communities", "--co-usage").stdout.startswith("Products that share customers\nproduct  ")


def _viewer_words(lang: str) -> dict[str, str]:
    """The viewer's own words (``TEXT`` in viewer.js) in ``lang``, as the script holds them."""
    script = (files("kgraph") / "templates" / "viewer.js").read_text(encoding="utf-8")
    table = script[script.index(f"    {lang}: {{") : script.index("\n    }", script.index(f"    {lang}: {{"))]
    return {key.strip('"'): text for key, text in re.findall(r'("?\w+"?): "((?:[^"\\]|\\.)*)"', table)}


#: The viewer's words that name what a word of the command line names: viewer key, kgraph.words key.
SHARED_WITH_THE_COMMAND_LINE = {
    "classes": "Classes",
    "relations": "Relations",
    "relation": "relation",
    "in": "Relations in",
    "figures": "Figures",
    "names": "name",
    "alt": "alt label",
    "metric": "metric",
    "comparedWith": "compared with",
    "basis": "comparison basis",
    "before": "value before",
    "timeframe": "timeframe",
    "kind": "figure kind",
    "wholeEntity": "section",
    "toEnd": "end",
}

#: The viewer's words that say in English what the command line says otherwise: the heading over a panel's English,
#: Chinese and other names (the column of `kgraph entities` is one name), and those other names (`alt label (en)`).
SAID_OTHERWISE_IN_ENGLISH = {"names": "Names", "alt": "Also known as"}

#: A figure's fields in the viewer's panel, by the ontology term each one shows (a rate's period is said in its value,
#: as `kgraph show` says it: "more than 200,000,000 per second").
FIGURE_FIELDS = {
    "figures": KG.Figure,
    "metric": KG.metric,
    "comparedWith": KG.comparedWith,
    "basis": KG.comparisonBasis,
    "before": KG.fromValue,
    "timeframe": KG.timeframe,
    "kind": KG.figureKind,
}


def test_the_viewer_speaks_the_command_lines_chinese(loaded):
    """The viewer said `数据` for a figure and `类别` for the classes, `指标`, `对比基准`, `之前`, `类型` and `又称` for
    a figure's metric, basis, value before, kind and the other names, where `--lang zh` says `数据指标`, `类`,
    `度量内容`, `比较基准`, `此前数值`, `指标类型` and `别名` (kg:Figure's label and the others the ontology's).
    One concept, one word: what both say is the same."""
    zh = _viewer_words("zh")
    assert _viewer_words("en")["figures"] == "Figures"  # the table is read
    assert {key: zh[key] for key in SHARED_WITH_THE_COMMAND_LINE} == {
        key: WORDS[english] for key, english in SHARED_WITH_THE_COMMAND_LINE.items()
    }
    assert {key: zh[key] for key in FIGURE_FIELDS} == {
        key: label(loaded.graph, term, "zh") for key, term in FIGURE_FIELDS.items()
    }
    assert zh["partType"] == f"{WORDS['Classes']}为{{types}}"
    # and the index of the pages build writes
    index = page.environment().get_template("index.html.j2").render(entries=[], heading=views.index_heading([]))
    assert f"按{WORDS['Classes']}和{WORDS['Relations']}筛选" in index
    assert f"查看其{WORDS['Relations']}、{WORDS['Figures']}和出处" in index


def test_the_viewer_speaks_the_command_lines_english(loaded):
    """The viewer said `comparison base`, `before`, `per` and `time frame` for a figure's basis, value before, period
    and timeframe, where `kgraph show` said `basis`, `from` and `timeframe`, and both `kind`: one field, three
    words. Now both say the ontology's English labels, as the Chinese is the ontology's Chinese labels."""
    en = _viewer_words("en")
    assert {key: en[key] for key in FIGURE_FIELDS if key != "figures"} == {
        key: label(loaded.graph, term, "en") for key, term in FIGURE_FIELDS.items() if key != "figures"
    }
    assert {key: en[key] for key in FIGURE_FIELDS if key in SHARED_WITH_THE_COMMAND_LINE} == {
        key: SHARED_WITH_THE_COMMAND_LINE[key] for key in FIGURE_FIELDS if key in SHARED_WITH_THE_COMMAND_LINE
    }
    # the other words the two share are the same but for a heading's capital: Relation, relation
    others = set(SHARED_WITH_THE_COMMAND_LINE) - set(FIGURE_FIELDS) - set(SAID_OTHERWISE_IN_ENGLISH)
    shared = SHARED_WITH_THE_COMMAND_LINE
    assert {key: en[key].lower() for key in others} == {key: shared[key].lower() for key in others}
    assert {key: en[key] for key in SAID_OTHERWISE_IN_ENGLISH} == SAID_OTHERWISE_IN_ENGLISH
    # and what `kgraph show` prints for a figure: the same words
    text = run("show", "kgf:bms-drug-discovery-time").stdout
    assert "\n    value before:     4-6 wk\n" in text
    assert "\n    figure kind:      " in text
    assert "\n    comparison basis: " in run("show", "kgf:bedrock-customer-growth").stdout
