"""kgraph's own words in what ``show``, ``stats``, ``entities``, ``lineage``, ``rank`` and ``communities`` print
(headings, field names, table headers, markers), in English and in Chinese: the graph's labels name its classes,
relations and entities in either language, and under ``--lang zh`` these words read in Chinese too.

The English words are the keys. Where kgraph prints a field the ontology has a property for, the word is that
property's label in either language (a figure's ``value``/``数值`` is kg:value's, ``comparison basis``/``比较基准``
kg:comparisonBasis's, ``value before``/``此前数值`` kg:fromValue's; ``数据指标`` is kg:Figure's), the words the
viewer shows too; else a Chinese word is the plain technical term (``类``, ``推断``, ``三元组``). Machine formats (CSV,
JSON) keep their English column names, and messages on standard error stay English.
"""

from __future__ import annotations

#: Each word kgraph prints itself, in English and in Chinese.
WORDS: dict[str, str] = {
    # show
    "IRI": "IRI",
    "class": "类",
    "class, inferred": "推断的类",
    "label": "标签",
    "alt label": "别名",
    "description": "描述",
    "(none)": "(无)",
    "Relations": "关系",
    "Relations in": "入向关系",
    "{n} figures about what it develops": "其开发的产品有{n}个数据指标",
    "(inferred)": "(推断)",
    "Figure": "数据指标",
    "Figures": "数据指标",
    "Sources": "来源",
    "(no source section names it)": "(没有来源章节提及)",
    # a figure's fields (show) and a step's table (lineage)
    "value": "数值",
    "metric": "度量内容",
    "compared with": "对比对象",
    "comparison basis": "比较基准",
    "value before": "此前数值",
    "timeframe": "覆盖时段",
    "figure kind": "指标类型",
    "figure": "数据指标",
    # stats
    "Graph": "图谱",
    "what": "项目",
    "count": "数量",
    "files read": "读取的文件",
    "triples (ontology + data + inferred)": "三元组 (本体 + 数据 + 推断)",
    "ontology triples": "本体三元组",
    "data triples (asserted)": "数据三元组 (断言)",
    "inferred triples": "推断三元组",
    "Classes": "类",
    "direct": "直接实例",
    "with sub-classes": "含子类实例",
    "relation": "关系",
    "asserted": "断言",
    "inferred": "推断",
    "kind": "指标类型",
    "figures": "数量",
    "(no kind)": "(无类型)",
    "document": "文档",
    "#": "#",
    "section": "章节",
    "title": "标题",
    "time range": "时间范围",
    # a time range's open end: "1:35:00 - end", a section that runs to the end, as the data and its rule write it
    "end": "结束",
    "triples": "三元组",
    # entities
    "name": "名称",
    "English label": "英文标签",
    "Chinese label": "中文标签",
    # lineage
    "generations": "各代",
    "(no figure compares them)": "(没有对比二者的数据指标)",
    # rank: its headers and the measures (--by), each the header of its score
    "rank": "排名",
    "entity": "实体",
    "degree": "度数",
    "pagerank": "PageRank值",
    "betweenness": "介数中心性",
    # communities
    "not linked": "未连接",
    "Products that share customers": "共享客户的产品",
    "Customers that share products": "共用产品的客户",
    "product": "产品",
    "customer": "客户",
    "shared customers": "共同客户",
    "shared products": "共用产品",
}


def word(english: str, lang: str | None = "en") -> str:
    """One of kgraph's own words (:data:`WORDS`) in ``lang``: in Chinese for ``zh``, else as it is. A word not in
    the table is an error in either language, so that a test in English finds one left out."""
    chinese = WORDS[english]
    return chinese if lang == "zh" else english


def words(english: list[str], lang: str | None = "en") -> list[str]:
    """:func:`word` for each of ``english``: a table's headers."""
    return [word(each, lang) for each in english]
