# ruff: noqa: RUF001, RUF003  (the source is quoted with its own Chinese punctuation)
"""Coverage: everything the source document names, and every number it states, is in the graph with its
provenance.

The lists below were written by reading the source (AWS re:Invent 2025 主题演讲总结) section by section; they do
not come from the data files. The tests never read the source itself.

- ENTITIES: every company, person, product, service, instance, system, chip, model and model family,
  framework, language, file format, event, data set and named concept that a section names. Each entry lists
  the names it may go by: the English name we expect, other spellings, and the source's own Chinese words. An
  entity is found when one of its rdfs:label or skos:altLabel values (any language) equals one of these names,
  ignoring case. It must then be a kg:Entity and carry prov:wasDerivedFrom the section.
- PEOPLE: each person with the organization they work for and their role, as the section states it.
- FIGURES: every number a section states, as a decimal in its base unit (1320亿美元 = 132000000000 USD,
  6万 = 60000, 1.29亿 = 129000000, 数十亿 = of the order of 1000000000, 数十万 = 100000, 数万 = 10000). Each
  must be the kg:value (or, for the value before a change, kg:fromValue / kg:fromValueMax) of a kg:Figure
  with one of the allowed units and prov:wasDerivedFrom the section. Conversely, a figure derived from a
  section may only carry numbers that section states.
"""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal
from typing import NamedTuple

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

KG = Namespace("https://w3id.org/kgraph/ontology#")
SRC = Namespace("https://w3id.org/kgraph/source/reinvent-2025-keynote/")
PROV = Namespace("http://www.w3.org/ns/prov#")


class Entity(NamedTuple):
    names: tuple[str, ...]  # the first is the name used in test ids

    @property
    def name(self) -> str:
        return self.names[0]


def E(*names: str) -> Entity:
    return Entity(names)


# Entities shared by several sections.
AWS = E("AWS", "Amazon Web Services")
AMAZON = E("Amazon")
GARMAN = E("Matt Garman")
REINVENT = E("AWS re:Invent 2025", "re:Invent 2025")
KEYNOTE = E("AWS re:Invent 2025 keynote", "re:Invent 2025 keynote", "AWS re:Invent 2025 主题演讲")
FORTUNE_500 = E("Fortune 500", "财富500强")
BEDROCK = E("Amazon Bedrock", "Bedrock")
AGENTCORE = E("Amazon Bedrock AgentCore", "AgentCore")
TRAINIUM3 = E("Trainium3", "Trn3")
NOVA_2 = E("Amazon Nova 2", "Nova 2")
NOVA_FORGE = E("Amazon Nova Forge", "Nova Forge", "Forge")
OPEN_TRAINING = E("open training models", "open training model", "开放训练模型")
KIRO = E("Kiro")
KIRO_AGENT = E("Kiro autonomous agent", "Kiro自主代理")
SECURITY_AGENT = E("AWS Security Agent", "安全代理")
NVIDIA = E("Nvidia", "NVIDIA")
P5 = E("P5", "Amazon EC2 P5", "P5 instances")
PENTEST = E("penetration testing", "渗透测试")

ENTITIES: dict[str, list[Entity]] = {
    # 本次AWS re:Invent 2025大会由AWS CEO Matt Garman主持 ... AI代理（Agentic AI）... 半数财富500强企业 ...
    # 最全面的模型选择（Amazon Bedrock）... 代理开发平台（AgentCore）... Trainium3芯片、Nova 2模型家族、
    # 开放训练模型服务Nova Forge、以及革命性的开发工具Kiro自主代理 (Nova Forge named as an open training model
    # service: the overview names the idea too)
    "overview": [
        REINVENT,
        KEYNOTE,
        AWS,
        GARMAN,
        E("Agentic AI", "AI代理", "AI agents"),
        FORTUNE_500,
        BEDROCK,
        AGENTCORE,
        TRAINIUM3,
        NOVA_2,
        NOVA_FORGE,
        OPEN_TRAINING,
        KIRO_AGENT,
    ],
    # AWS CEO Matt Garman欢迎 ... Fortnite游戏中直播 ... 财富500强 ... S3 ... Graviton处理器 ... Amazon Bedrock
    "opening": [
        AWS,
        GARMAN,
        E("Fortnite"),
        FORTUNE_500,
        E("Amazon S3", "S3"),
        E("Graviton"),
        BEDROCK,
    ],
    # P6e-GB300实例 ... Nvidia最新GB300 NVL72系统 ... AWS AI Factories ... Trainium芯片 ... Trainium3 UltraServers
    # ... Trainium2 ... Trainium4
    "ai-infrastructure": [
        E("P6e-GB300", "P6e-GB300 instances"),
        NVIDIA,
        E("GB300 NVL72", "NVIDIA GB300 NVL72", "Nvidia GB300 NVL72"),
        E("AWS AI Factories"),
        AWS,
        E("Trainium"),
        E("Trainium3 UltraServers", "Trn3 UltraServers"),
        TRAINIUM3,
        E("Trainium2", "Trn2"),
        E("Trainium4", "Trn4"),
    ],
    # Bedrock客户数量 ... 开源权重模型：Google Gemma、MiniMax M2、Nvidia Nemotron ... Mistral Large和Ministral 3
    # ... Amazon Nova 2 ... Nova 2 Lite / Pro / Sonic / Omni
    "bedrock-models": [
        BEDROCK,
        E("open-weight models", "open-weight model", "open weight models", "开源权重模型"),
        E("Google"),
        E("Gemma", "Google Gemma"),
        E("MiniMax"),
        E("MiniMax M2"),
        NVIDIA,
        E("Nemotron", "Nvidia Nemotron", "NVIDIA Nemotron"),
        # (no maker is named for Mistral Large and Ministral 3, so there is no Mistral AI here)
        E("Mistral Large"),
        E("Ministral 3"),
        NOVA_2,
        E("Nova 2 Lite", "Amazon Nova 2 Lite"),
        E("Nova 2 Pro", "Amazon Nova 2 Pro"),
        E("Nova 2 Sonic", "Amazon Nova 2 Sonic"),
        E("Nova 2 Omni", "Amazon Nova 2 Omni"),
    ],
    # Amazon Nova Forge："开放训练模型"概念 ... 专有数据与Amazon策划的训练数据集混合 ... 称为Novellas ...
    # Reddit案例：通过Forge实现了传统微调无法达到的 ...
    "open-training": [
        NOVA_FORGE,
        OPEN_TRAINING,
        AMAZON,
        E(
            "Amazon curated training data",
            "Amazon-curated training data",
            "Amazon-curated training datasets",
            "Amazon curated training datasets",
            "Amazon策划的训练数据集",
        ),
        E("Novellas", "Novella"),
        E("Reddit"),
        # 传统微调 is in LEFT_OUT below
    ],
    # Sony首席数字官John Kodera ... "感动"（Kando）... PlayStation网络 ... AWS ... Sony Data Ocean ...
    # 企业级LLM平台基于Amazon Bedrock构建 ... 采用AgentCore和Nova Forge
    "sony": [
        E("Sony"),
        E("John Kodera"),
        E("Kando", "感动"),
        E("PlayStation Network", "PlayStation网络", "PSN"),
        AWS,
        E("Sony Data Ocean", "Data Ocean"),
        E("Sony enterprise LLM platform", "enterprise LLM platform", "企业级LLM平台"),
        BEDROCK,
        AGENTCORE,
        NOVA_FORGE,
    ],
    # AgentCore ... 无服务器运行时、内存管理、网关、身份认证、可观测性 ... Crew AI、LlamaIndex、LangChain ...
    # Bedrock模型、OpenAI GPT、Gemini ... Nasdaq、Bristol-Myers Squibb ... Workday ... AgentCore Policy ...
    # Cedar语言 ... AgentCore Evaluations
    "agentcore": [
        AGENTCORE,
        E("AgentCore Runtime", "运行时"),
        E("AgentCore Memory", "内存管理"),
        E("AgentCore Gateway", "网关"),
        E("AgentCore Identity", "身份认证"),
        E("AgentCore Observability", "可观测性"),
        E("CrewAI", "Crew AI"),
        E("LlamaIndex"),
        E("LangChain"),
        BEDROCK,
        E("OpenAI"),
        E("GPT", "OpenAI GPT"),
        E("Gemini", "Google Gemini"),
        E("Nasdaq"),
        E("Bristol-Myers Squibb", "Bristol Myers Squibb", "BMS"),
        E("Workday"),
        E("AgentCore Policy"),
        E("Cedar"),
        E("AgentCore Evaluations"),
    ],
    # Adobe CEO Shantanu Narayen ... Adobe Firefly模型在AWS P5和P6实例上训练 ... Adobe Experience Platform ...
    # Adobe Acrobat Studio使用SageMaker和Bedrock构建AI助手 ... PDF文件
    # (the AI助手 has no name of its own: it is named after Acrobat Studio, which it is part of)
    "adobe": [
        E("Adobe"),
        E("Shantanu Narayen"),
        E("Adobe Firefly", "Firefly"),
        AWS,
        P5,
        E("P6", "Amazon EC2 P6", "P6 instances"),
        E("Adobe Experience Platform", "AEP"),
        E("Adobe Acrobat Studio", "Acrobat Studio"),
        E("Acrobat Studio AI assistant", "Adobe Acrobat Studio AI assistant", "Acrobat Studio AI助手"),
        E("Amazon SageMaker", "SageMaker"),
        BEDROCK,
        E("PDF"),
    ],
    # Amazon Quick ... Amazon内部 ... Amazon Connect ... Writer CEO May Habib ... AWS HyperPod和P5实例 ...
    # Palmyra X5 ... Bedrock Guardrails和Bedrock模型目录
    "enterprise-ai": [
        E("Amazon Quick", "Quick"),
        AMAZON,
        E("Amazon Connect"),
        E("Writer"),
        E("May Habib"),
        AWS,
        E("AWS HyperPod", "Amazon SageMaker HyperPod", "SageMaker HyperPod", "HyperPod"),
        P5,
        E("Palmyra X5"),
        E("Amazon Bedrock Guardrails", "Bedrock Guardrails"),
        E("Amazon Bedrock model catalog", "Bedrock model catalog", "Bedrock模型目录"),
    ],
    # AWS Transform Custom ... Angular到React、VBA到Python、Bash到Rust ... QAD案例 ... Kiro ... 规范驱动开发 ...
    # Amazon内部标准化采用Kiro
    "developer-tools": [
        E("AWS Transform Custom"),
        E("Angular"),
        E("React"),
        E("VBA", "Visual Basic for Applications"),
        E("Python"),
        E("Bash"),
        E("Rust"),
        E("Angular to React", "Angular → React", "Angular到React"),
        E("VBA to Python", "VBA → Python", "VBA到Python"),
        E("Bash to Rust", "Bash → Rust", "Bash到Rust"),
        E("QAD"),
        KIRO,
        E("spec-driven development", "规范驱动开发"),
        AMAZON,
    ],
    # Kiro自主代理（Frontier Agent）... 使用Kiro ... AWS Security Agent ... GitHub PR进行代码漏洞扫描 ... 渗透测试
    "kiro-agents": [
        KIRO_AGENT,
        E("Frontier Agent"),
        KIRO,
        SECURITY_AGENT,
        E("GitHub"),
        E("code vulnerability scanning", "代码漏洞扫描"),
        PENTEST,
    ],
    # 演讲在介绍安全代理的渗透测试能力时结束 ... 强调AWS致力于 ...
    "closing": [
        SECURITY_AGENT,
        PENTEST,
        AWS,
    ],
    # 核心主题：AI代理化转型、开放式创新平台、企业级安全与治理、开发者生产力革命
    "core-themes": [
        E("AI代理化转型", "agentic transformation", "agentic AI transformation"),
        E("开放式创新平台", "open innovation platform", "open innovation platforms"),
        E("企业级安全与治理", "enterprise security and governance", "enterprise-grade security and governance"),
        E("开发者生产力革命", "developer productivity revolution"),
    ],
}

# Named by a section but left out of the graph on purpose (README, "What the source does not say"): 传统微调 is
# only the yardstick of Reddit's result (通过Forge实现了传统微调无法达到的...), and the ontology has no relation
# for "did better than"; Reddit's description says it in words. None of these names may label an entity.
LEFT_OUT: dict[str, list[Entity]] = {
    "open-training": [E("fine-tuning", "traditional fine-tuning", "微调", "传统微调")],
}


class Person(NamedTuple):
    section: str
    name: str
    org: Entity
    titles: tuple[str, ...]  # acceptable kg:jobTitle values, any language, ignoring case


CEO = ("CEO", "Chief Executive Officer", "首席执行官")
PEOPLE = [
    Person("overview", "Matt Garman", AWS, CEO),  # 由AWS CEO Matt Garman主持
    Person("opening", "Matt Garman", AWS, CEO),  # AWS CEO Matt Garman欢迎
    # Sony首席数字官John Kodera
    Person("sony", "John Kodera", E("Sony"), ("Chief Digital Officer", "CDO", "首席数字官")),
    Person("adobe", "Shantanu Narayen", E("Adobe"), CEO),  # Adobe CEO Shantanu Narayen
    Person("enterprise-ai", "May Habib", E("Writer"), CEO),  # Writer CEO May Habib
]


class Fig(NamedTuple):
    value: str
    units: tuple[str, ...]  # local names of acceptable kg:Unit individuals
    source: str  # the words of the source that state it
    props: tuple[str, ...] = ("value",)  # where the number may sit: value, fromValue, fromValueMax
    # A number that only says how long another figure has held (连续第三年) may instead be written in words in
    # that figure's kg:timeframe, which the ontology defines for exactly this; these are the words to look for.
    timeframe_words: tuple[str, ...] = ()


BEFORE = ("value", "fromValue", "fromValueMax")

FIGURES: dict[str, list[Fig]] = {
    "overview": [
        Fig("60000", ("Count",), "超过6万名现场参与者"),
        Fig("2000000", ("Count",), "近200万在线观众"),
        Fig("132000000000", ("USD",), "业务规模达到1320亿美元"),
        Fig("20", ("Percent",), "同比增长20%"),
        Fig("22000000000", ("USD",), "仅去年的增长额（220亿美元）"),
        Fig("1000000000", ("Count",), "一个拥有数十亿代理的未来"),
    ],
    "opening": [
        Fig("60000", ("Count",), "欢迎6万名现场观众"),
        Fig("2000000", ("Count",), "近200万在线观众"),
        Fig("132000000000", ("USD",), "AWS业务规模达到1320亿美元"),
        Fig("20", ("Percent",), "年增长率20%"),
        Fig("22000000000", ("USD",), "年增长额220亿美元"),
        Fig("500000000000000", ("Count",), "S3存储超过500万亿个对象"),
        Fig("200000000", ("Count",), "每秒处理超过2亿次请求"),
        Fig("3", ("Year", "Count"), "连续第三年", timeframe_words=("three", "3", "三")),
        Fig("50", ("Percent",), "新增CPU容量的一半以上来自Graviton处理器"),
        Fig("100000", ("Count",), "为全球超过10万家企业提供AI推理服务"),
    ],
    "ai-infrastructure": [
        Fig("1000000", ("Count",), "Trainium芯片已部署超过100万颗"),
        Fig("1000000000", ("USD",), "成为数十亿美元规模的业务"),
        Fig("3", ("Nanometre",), "业界首个3纳米AI芯片"),
        Fig("4.4", ("Times",), "相比Trainium2提供4.4倍算力"),
        Fig("3.9", ("Times",), "3.9倍内存带宽"),
        Fig("5", ("Times",), "5倍能效比"),
        Fig("6", ("Times",), "相比Trainium3将提供6倍FP4算力"),
        Fig("4", ("Times",), "4倍内存带宽"),
        Fig("2", ("Times",), "2倍高带宽内存容量"),
    ],
    "bedrock-models": [
        Fig("2", ("Times",), "Bedrock客户数量同比翻倍"),
        Fig("50", ("Count",), "超过50家客户"),
        Fig("1000000000000", ("Count",), "处理超过1万亿tokens"),
    ],
    "sony": [
        Fig("129000000", ("Count",), "支持1.29亿玩家"),
        Fig("500", ("Count",), "来自500多个数据源"),
        Fig("760", ("Terabyte",), "760TB数据"),
        Fig("57000", ("Count",), "拥有5.7万用户"),
        Fig("150000", ("Count",), "每天处理15万次推理请求"),
        Fig("100", ("Times",), "目标将合规审查效率提升100倍"),
    ],
    "agentcore": [
        Fig("1", ("Hour",), "缩短至1小时"),
        Fig("4", ("Week",), "药物发现时间从4-6周", BEFORE),
        Fig("6", ("Week",), "药物发现时间从4-6周", BEFORE),
        Fig("30", ("Percent",), "节省30%规划分析时间"),
        Fig("13", ("Count",), "提供13个预构建评估器"),
    ],
    "adobe": [
        Fig("29000000000", ("Count",), "已生成超过290亿个资产"),
        Fig("35000000000000", ("Count",), "每天处理35万亿次细分评估"),
        Fig("70000000000", ("Count",), "700亿次配置文件激活"),
        Fig("18000000000", ("Count",), "全球每年创建和编辑超过180亿个PDF文件"),
    ],
    "enterprise-ai": [
        Fig("100000", ("Count",), "Amazon内部已有数十万用户使用Quick"),
        Fig("0.1", ("Times",), "任务完成时间缩短至原来的1/10"),
        Fig("1000000000", ("USD",), "年度运营收入突破10亿美元"),
        Fig("10000", ("Count",), "服务数万客户"),
        Fig("2", ("Week",), "训练时间从6周缩短至2周"),
        Fig("6", ("Week",), "训练时间从6周缩短至2周", BEFORE),
        Fig("90", ("Percent",), "可靠性提升90%"),
    ],
    "developer-tools": [
        Fig("3", ("Day",), "现代化项目从2周缩短至3天以内"),
        Fig("2", ("Week",), "现代化项目从2周缩短至3天以内", BEFORE),
        Fig("100000", ("Count",), "数十万开发者已使用Kiro"),
        Fig("1", ("Year",), "提供一年免费Kiro使用权"),
        Fig("100", ("Count",), "最多100个席位"),
    ],
    "kiro-agents": [
        Fig("6", ("Count",), "6人团队"),
        Fig("76", ("Day",), "在76天内完成"),
        Fig("30", ("Count",), "原本需要30人", BEFORE),
        Fig("18", ("Month",), "18个月的重构项目", BEFORE),
    ],
    # 开放训练模型服务, 结尾 and 核心主题 state no numbers.
    "open-training": [],
    "closing": [],
    "core-themes": [],
}

# Other ways a section's numbers may be written as figures, where the source allows more than one reading.
# 1/10 of the time may be stated as 0.1 times the time, or as 10 times faster.
ALTERNATIVE_VALUES = {("enterprise-ai", "0.1"): ("0.1", "10")}


# --------------------------------------------------------------------------- helpers


def _names_index(graph) -> dict[str, set[URIRef]]:
    index: dict[str, set[URIRef]] = {}
    for prop in (RDFS.label, SKOS.altLabel):
        for s, o in graph.subject_objects(prop):
            if isinstance(s, URIRef) and isinstance(o, Literal):
                index.setdefault(str(o).casefold(), set()).add(s)
    return index


@pytest.fixture(scope="module")
def names(loaded):
    return _names_index(loaded.graph)


def find(graph, names, entity: Entity) -> set[URIRef]:
    found = set()
    for n in entity.names:
        for s in names.get(n.casefold(), ()):
            if (s, RDF.type, KG.Entity) in graph:
                found.add(s)
    return found


def _entity_params():
    for section, entities in ENTITIES.items():
        for e in entities:
            yield pytest.param(section, e, id=f"{section}:{e.name}")


def _figure_params():
    for section, figures in FIGURES.items():
        for f in figures:
            yield pytest.param(section, f, id=f"{section}:{f.value}:{'/'.join(f.units)}:{f.props[-1]}")


# --------------------------------------------------------------------------- entities


def test_every_section_is_listed():
    assert set(ENTITIES) == set(FIGURES)
    assert len(ENTITIES) == 13


@pytest.mark.parametrize("section, entity", list(_entity_params()))
def test_entity_named_in_section(loaded, names, section, entity):
    graph = loaded.graph
    found = find(graph, names, entity)
    assert found, f"section {section} names {entity.name!r} but no kg:Entity is labelled {list(entity.names)}"
    sec = SRC[section]
    derived = [s for s in found if (s, PROV.wasDerivedFrom, sec) in graph]
    assert derived, (
        f"{entity.name!r} ({', '.join(sorted(found))}) lacks prov:wasDerivedFrom src:{section}; "
        f"it has {sorted(str(o) for s in found for o in graph.objects(s, PROV.wasDerivedFrom))}"
    )


@pytest.mark.parametrize(
    "section, entity", [pytest.param(s, e, id=f"{s}:{e.name}") for s, es in LEFT_OUT.items() for e in es]
)
def test_entity_left_out_on_purpose(loaded, names, section, entity):
    assert section in ENTITIES
    found = find(loaded.graph, names, entity)
    assert not found, f"{entity.name!r} is left out on purpose (see LEFT_OUT), but {sorted(found)} is labelled so"


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: f"{p.section}:{p.name}")
def test_person_role(loaded, names, person):
    graph = loaded.graph
    people = find(graph, names, E(person.name))
    assert people, f"no entity labelled {person.name!r}"
    orgs = find(graph, names, person.org)
    assert orgs, f"no entity labelled {list(person.org.names)}"
    works = [(p, o) for p in people for o in orgs if (p, KG.worksFor, o) in graph]
    assert works, f"{person.name} does not kg:worksFor {person.org.name}"
    titles = {str(t).casefold() for p in people for t in graph.objects(p, KG.jobTitle)}
    assert titles & {t.casefold() for t in person.titles}, (
        f"{person.name}'s job titles {sorted(titles)} include none of {list(person.titles)}"
    )
    assert any((p, RDF.type, KG.Person) in graph for p in people), f"{person.name} is not a kg:Person"
    assert any((p, PROV.wasDerivedFrom, SRC[person.section]) in graph for p in people)


# --------------------------------------------------------------------------- figures


def _figure_numbers(graph, fig, prop) -> set[Decimal]:
    out = set()
    for v in graph.objects(fig, KG[prop]):
        with contextlib.suppress(ArithmeticError):  # a non-number is no match (kg:value's type is checked by SHACL)
            out.add(Decimal(str(v)))
    return out


@pytest.mark.parametrize("section, figure", list(_figure_params()))
def test_figure_stated_in_section(loaded, section, figure):
    graph = loaded.graph
    sec = SRC[section]
    values = {Decimal(v) for v in ALTERNATIVE_VALUES.get((section, figure.value), (figure.value,))}
    units = {KG[u] for u in figure.units}
    in_section = [f for f in graph.subjects(RDF.type, KG.Figure) if (f, PROV.wasDerivedFrom, sec) in graph]
    if figure.timeframe_words and any(
        w in str(tf).casefold()
        for f in in_section
        for tf in graph.objects(f, KG.timeframe)
        for w in figure.timeframe_words
    ):
        return
    matches = []
    for f in in_section:
        for prop in figure.props:
            if _figure_numbers(graph, f, prop) & values:
                unit_prop = KG.fromUnit if prop.startswith("from") else KG.unit
                unit_found = set(graph.objects(f, unit_prop))
                matches.append((f, prop, unit_found))
    assert matches, (
        f"section {section} states {figure.source!r} but no kg:Figure derived from it has "
        f"{' or '.join('kg:' + p for p in figure.props)} {' or '.join(map(str, sorted(values)))}"
    )
    assert any(u & units for _, _, u in matches), (
        f"{figure.source!r}: figure(s) {[str(f) for f, _, _ in matches]} have units "
        f"{sorted(str(x) for _, _, u in matches for x in u)}, expected one of {sorted(map(str, units))}"
    )


@pytest.mark.parametrize("section", list(FIGURES))
def test_section_figures_carry_only_numbers_the_section_states(loaded, section):
    """A figure derived from a section may not carry a number the section does not state (a typo, or a figure
    attributed to the wrong section)."""
    graph = loaded.graph
    sec = SRC[section]
    stated = set()
    for f in FIGURES[section]:
        stated |= {Decimal(v) for v in ALTERNATIVE_VALUES.get((section, f.value), (f.value,))}
    wrong = []
    for fig in graph.subjects(RDF.type, KG.Figure):
        if (fig, PROV.wasDerivedFrom, sec) not in graph:
            continue
        for prop in ("value", "fromValue", "fromValueMax"):
            for n in _figure_numbers(graph, fig, prop):
                if n not in stated:
                    wrong.append(f"{fig} kg:{prop} {n}")
    assert not wrong, f"section {section} states no such number(s): {sorted(wrong)}"


# --------------------------------------------------------------------------- labels

# Words of a claim to be first or best. A label names an entity or a figure; where the source makes such a claim,
# it is the entity's kg:distinction (业界最强大的AI基础设施 for AWS, 业界首个 for Nova 2 Omni), never a label.
CLAIM_WORDS = re.compile(r"\b(?:largest|biggest|best|most|first|leading|fastest|top)\b|最|首", re.IGNORECASE)


def test_labels_name_and_claim_nothing(loaded):
    """A label or alternative label that calls something the largest or the first says what the source may not
    (it called the 50 customers past a trillion Bedrock tokens 50 customers, not the largest)."""
    graph = loaded.graph
    claims = sorted(
        f"{s} {label!r}"
        for cls in (KG.Entity, KG.Figure)
        for s in set(graph.subjects(RDF.type, cls))
        for prop in (RDFS.label, SKOS.altLabel)
        for label in graph.objects(s, prop)
        if CLAIM_WORDS.search(str(label))
    )
    assert not claims, f"labels that claim to be first or best (say it with kg:distinction): {claims}"
