"""kgraph.explore: finding entities by name, describing them, listing and counting, on an inline graph."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.namespace import RDF, SKOS, XSD

from conftest import MINI_ONTOLOGY, PREFIXES
from kgraph import explore, names
from kgraph.errors import AmbiguousNameError, InputError, NotFoundError
from kgraph.explore import EntityRow, FigureFacts, Link, SectionRef
from kgraph.store import LoadedGraph, load
from kgraph.text import display_width
from kgraph.vocab import KG, KGR, SRC

ONTOLOGY = (
    MINI_ONTOLOGY
    + """
kg:SourceSection a owl:Class ; rdfs:label "Source section"@en , "来源章节"@zh .
kg:Figure a owl:Class ; rdfs:label "Figure"@en , "数据指标"@zh .
kg:Unit a owl:Class ; rdfs:label "Unit"@en .
kg:FigureKind a owl:Class ; rdfs:label "Figure kind"@en .
kg:Bound a owl:Class ; rdfs:label "Bound"@en .
kg:succeeds a owl:ObjectProperty ; rdfs:subPropertyOf kg:relatedTo ; owl:inverseOf kg:succeededBy ;
    rdfs:label "succeeds"@en .
kg:succeededBy a owl:ObjectProperty ; rdfs:subPropertyOf kg:relatedTo ; rdfs:label "succeeded by"@en .
kg:figureOf a owl:ObjectProperty ; owl:inverseOf kg:hasFigure ; rdfs:label "figure of"@en .
kg:hasFigure a owl:ObjectProperty ; rdfs:label "has figure"@en .
kg:comparedWith a owl:ObjectProperty ; rdfs:label "compared with"@en .
kg:unit a owl:ObjectProperty ; rdfs:label "unit"@en .
kg:fromUnit a owl:ObjectProperty ; rdfs:label "unit before"@en .
kg:bound a owl:ObjectProperty ; rdfs:label "bound"@en .
kg:figureKind a owl:ObjectProperty ; rdfs:label "figure kind"@en .
kg:distinction a owl:DatatypeProperty ; rdfs:label "distinction"@en .
kg:Times a kg:Unit ; rdfs:label "times"@en ; skos:notation "x" .
kg:Week a kg:Unit ; rdfs:label "week"@en ; skos:notation "wk" .
kg:MoreThan a kg:Bound ; rdfs:label "more than"@en .
kg:Specification a kg:FigureKind ; rdfs:label "specification"@en .
"""
)

WORLD = (
    PREFIXES
    + """
src:document a kg:SourceDocument .
src:document {
    src:alpha a kg:SourceSection ; rdfs:label "Alpha section"@en , "甲节"@zh ; kg:order 1 ;
        kg:timeRange "00:00 - 05:00" .
    src:beta a kg:SourceSection ; rdfs:label "Beta section"@en , "乙节"@zh ; kg:order 2 .
}
src:alpha {
    kgr:acme a kg:Company ; rdfs:label "Acme"@en , "顶点公司"@zh ; skos:altLabel "ACME Corp"@en ;
        schema:description "Makes chips."@en , "制造芯片。"@zh ; prov:wasDerivedFrom src:alpha .
    kgr:rocket-chip a kg:Chip ; rdfs:label "Rocket Chip"@en , "火箭芯片"@zh ; kg:developedBy kgr:acme ;
        kg:distinction "the fastest"@en ; kg:succeeds kgr:old-chip ; prov:wasDerivedFrom src:alpha .
    kgf:rocket-speed a kg:Figure ; rdfs:label "Rocket Chip speed"@en ; kg:figureOf kgr:rocket-chip ;
        kg:value 4.4 ; kg:unit kg:Times ; kg:bound kg:MoreThan ; kg:metric "speed"@en , "速度"@zh ;
        kg:comparedWith kgr:old-chip ; kg:fromValue 2 ; kg:fromValueMax 3 ; kg:fromUnit kg:Week ;
        kg:figureKind kg:Specification ; prov:wasDerivedFrom src:alpha .
}
src:beta {
    kgr:globex a kg:Company ; rdfs:label "Globex"@en , "环球"@zh ; kg:uses kgr:rocket-chip ;
        prov:wasDerivedFrom src:beta .
    kgr:old-chip a kg:Chip ; rdfs:label "Old Chip"@en ; prov:wasDerivedFrom src:beta .
    kgr:nova-a a kg:AIModel ; rdfs:label "Nova"@en ; prov:wasDerivedFrom src:beta .
    kgr:nova-b a kg:AIModel ; rdfs:label "Nova"@en ; prov:wasDerivedFrom src:beta .
    kgr:lite a kg:AIModel ; rdfs:label "Lite"@en ; skos:altLabel "Globex"@en ; prov:wasDerivedFrom src:beta .
}
"""
)


@pytest.fixture
def world(make_kg) -> LoadedGraph:
    return load(*make_kg({"world.trig": WORLD}, {"kgraph.ttl": ONTOLOGY}))


@pytest.mark.parametrize(
    "name",
    [
        "Rocket Chip",
        "rocket chip",
        "  ROCKET   chip ",
        "火箭芯片",
        "rocket-chip",
        "kgr:rocket-chip",
        "https://w3id.org/kgraph/resource/rocket-chip",
        "<https://w3id.org/kgraph/resource/rocket-chip>",
    ],
)
def test_find_by_any_name(world, name):
    assert names.find(world, name) == KGR["rocket-chip"]


@pytest.mark.parametrize("name", ["火箭 芯片", "火箭\u3000芯片", " 火箭芯片\u3000", "火 箭 芯 片"])
def test_a_space_beside_a_chinese_character_does_not_count(world, name):
    """Chinese puts no space between words: 亚马逊\u3000云科技 (a full-width space) or AWS 安全代理 beside the label
    AWS安全代理 named nothing, and the data itself writes both (AWS re:Invent 2025 主题演讲)."""
    assert names.find(world, name) == KGR["rocket-chip"]


def test_spacing_beside_latin_and_chinese_words_does_not_count(loaded):
    assert names.find(loaded, "AWS 安全代理") == KGR["aws-security-agent"]
    assert names.find(loaded, "AWS re:Invent 2025主题演讲") == KGR["reinvent-2025-keynote"]
    assert names.find(loaded, "亚马逊\u3000云科技") == KGR.aws
    assert names.normalise("Rocket  Chip") == "rocket chip"  # a space between Latin words still counts
    assert names.normalise("삼성 전자") == "삼성 전자"  # and between Korean words


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["AWS", "re:Invent", "亚马逊", "雲", "삼성", "\uff45\uff43\uff12", "タワー", " ", "\u3000"])
    )
)
def test_names_are_spaced_as_a_word_by_word_reading_would_space_them(pieces):
    """The rule of :func:`names.normalise`, read one word at a time: a space stays only between two words that
    are neither wide (Chinese, Japanese) at the touching ends. The function joins each run of words once (it
    added each word to the run's text, which grew quadratically with a long run: 160,000 words took 3.4 s)."""
    import unicodedata  # noqa: PLC0415

    text = "".join(pieces)
    words = unicodedata.normalize("NFKC", text).casefold().translate(names.simplified()).split()
    expected = ""
    for word in words:
        wide = expected and (names._spaceless(expected[-1]) or names._spaceless(word[0]))
        expected += word if wide or not expected else " " + word
    assert names.normalise(text) == (expected if not text.isascii() else " ".join(text.casefold().split()))


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("Trainium 3", "trainium3"),
        ("trainium-3", "trainium3"),
        ("TRAINIUM 3", "trainium3"),
        ("agent core", "amazon-bedrock-agentcore"),  # its alt label AgentCore
        ("Agent-Core", "amazon-bedrock-agentcore"),
        ("Nova2", "amazon-nova-2"),  # its alt label Nova 2
        ("Bristol Myers Squibb", "bristol-myers-squibb"),
        ("bristol_myers squibb", "bristol-myers-squibb"),
    ],
)
def test_a_name_is_found_whatever_its_words_are_joined_with(loaded, name, meant):
    """As the viewer's search: ``kgraph show "Trainium 3"`` only suggested Trainium3. Words typed apart or together
    find a name whose words start there (a space or hyphen, a capital after a small letter, a digit after a letter)."""
    assert names.find(loaded, name) == KGR[meant]


@pytest.mark.parametrize("name", ["agen tcore", "a2", "Trai nium3", "Agent Core Gateway X"])
def test_words_run_together_must_start_where_the_names_words_start(loaded, name):
    with pytest.raises(NotFoundError):
        names.find(loaded, name)


@pytest.mark.parametrize(
    "name", ["亚马逊-云科技", "亚马逊_云科技", "亚马逊 - 云科技", "亞馬遜-雲科技", "亚-马-逊-云-科-技"]
)
def test_a_separator_typed_between_chinese_characters_falls_where_a_word_starts(loaded, name):
    """Chinese writes no boundary between words, so none was found in 亚马逊云科技 and ``kgraph show 亚马逊-云科技``
    found nothing (it suggested 亚马逊云科技): each Chinese or Japanese character starts a word."""
    assert names.find(loaded, name) == KGR.aws


def test_words_run_together_start_at_each_chinese_character_and_no_more_in_latin_names():
    assert names.run_together("亚马逊云科技").starts == frozenset(range(6))
    assert names.run_together("AWS安全代理").starts == frozenset({0, 3, 4, 5, 6})
    assert names.run_together("AgentCore").starts == frozenset({0, 5})
    assert names.run_together("삼성전자").starts == frozenset({0})  # Korean writes spaces between its words
    assert names.fits(names.run_together("AWS 安全-代理"), names.run_together("AWS安全代理"))
    assert not names.fits(names.run_together("agen tcore"), names.run_together("AgentCore"))


def test_a_run_of_kana_is_one_word_and_each_chinese_character_one():
    """Each kana started a word, as a Chinese character does: アマ-ゾン found アマゾン, where Ama-zon does not find
    Amazon. A run of hiragana or of katakana is a word, as a run of Latin letters is; ー goes on the kana before it;
    a kanji, a change of script and the start of a run start one."""
    assert names.run_together("アマゾン").starts == frozenset({0})
    assert names.run_together("東京タワー").starts == frozenset({0, 1, 2})
    assert names.run_together("すごーいチップ").starts == frozenset({0, 4})  # ー after hiragana: the same word
    assert names.run_together("ソニーのゲーム").starts == frozenset({0, 3, 4})
    assert names.run_together("AWSのトレーニアム3").starts == frozenset({0, 3, 4, 10})
    assert not names.fits(names.run_together("アマ-ゾン"), names.run_together("アマゾン"))
    assert not names.fits(names.run_together("すご-ーいチップ"), names.run_together("すごーいチップ"))
    assert names.fits(names.run_together("すごーい-チップ"), names.run_together("すごーいチップ"))
    assert names.fits(names.run_together("東-京-タワー"), names.run_together("東京タワー"))
    assert names.fits(names.run_together("アマゾン"), names.run_together("アマゾン"))


def test_a_name_found_with_its_words_run_together_can_be_ambiguous_and_the_exact_name_comes_first(make_kg):
    data = (
        PREFIXES
        + """src:s {
        kgr:foobar a kg:Chip ; rdfs:label "FooBar"@en .
        kgr:foo-bar a kg:Chip ; rdfs:label "Foo-Bar"@en .
        kgr:quxzap a kg:Chip ; rdfs:label "QuxZap"@en .
        kgr:qux-zap a kg:Chip ; rdfs:label "Qux Zap"@en .
        kgr:other a kg:Chip ; rdfs:label "Other"@en ; skos:altLabel "Wib Wob"@en .
        kgr:wibwob a kg:Chip ; rdfs:label "WibWob"@en .
        kgr:rocket a kg:Chip ; rdfs:label "火箭芯片"@zh .
        kgr:rocket-b a kg:Chip ; rdfs:label "火箭-芯片"@zh .
    }"""
    )
    loaded = load(*make_kg({"d.trig": data}, {"kgraph.ttl": ONTOLOGY}))
    with pytest.raises(AmbiguousNameError) as caught:
        names.find(loaded, "foo bar")
    assert caught.value.candidates == ("Foo-Bar (kgr:foo-bar, kg:Chip)", "FooBar (kgr:foobar, kg:Chip)")
    assert names.find(loaded, "Qux Zap") == KGR["qux-zap"]  # the name as written, before the words run together
    assert names.find(loaded, "quxzap") == KGR.quxzap
    assert names.find(loaded, "wib-wob") == KGR.wibwob  # a label run together before an alt label
    assert names.find(loaded, "wib wob") == KGR.other  # an alt label as written before a label run together
    with pytest.raises(AmbiguousNameError) as caught:
        names.find(loaded, "火箭_芯片")  # between Chinese characters too
    assert caught.value.candidates == ("火箭芯片 (kgr:rocket, kg:Chip)", "火箭-芯片 (kgr:rocket-b, kg:Chip)")
    assert names.find(loaded, "火箭 芯片") == KGR.rocket  # a space beside a Chinese character is none
    assert names.find(loaded, "火箭-芯片") == KGR["rocket-b"]


def test_the_security_agent_is_found_by_the_name_the_source_gives_it(loaded):
    """The source calls AWS Security Agent 安全代理 (Kiro自主代理与安全代理, 安全代理的渗透测试能力); its English
    alt label Security Agent had no Chinese counterpart, so 安全代理 named nothing."""
    assert names.find(loaded, "安全代理") == KGR["aws-security-agent"]


def test_agentic_ai_and_graviton_are_found_by_the_chinese_names_the_source_gives_them(loaded):
    """The overview names Agentic AI AI代理 (the English in brackets after it), and the opening [00:00 - 05:30]
    says Graviton处理器, as the infrastructure section says Trainium芯片 (an alt label of Trainium): neither named
    anything, and 'kgraph show AI代理' suggested the Chinese labels of the two agents instead."""
    assert names.find(loaded, "AI代理") == KGR["agentic-ai"]
    assert names.find(loaded, "Graviton处理器") == KGR.graviton


def test_find_by_alt_label(world):
    assert names.find(world, "acme corp") == KGR.acme


def test_a_label_wins_over_an_alt_label(world):
    assert names.find(world, "Globex") == KGR.globex  # kgr:lite has it as an alt label only


def test_find_ambiguous_lists_candidates(world):
    with pytest.raises(AmbiguousNameError) as caught:
        names.find(world, "nova")
    assert caught.value.candidates == ("Nova (kgr:nova-a, kg:AIModel)", "Nova (kgr:nova-b, kg:AIModel)")


def test_an_ambiguous_name_lists_each_candidate_with_its_most_specific_class(tmp_path):
    """A candidate was listed with its first class by name: a Service named like a Company read "kg:Entity"."""
    from kgraph.resources import default_ontology_dir  # noqa: PLC0415

    data = tmp_path / "data"
    data.mkdir()
    (data / "twins.ttl").write_text(
        PREFIXES
        + 'kgr:twin-a a kg:Company ; rdfs:label "Twin"@en .\nkgr:twin-b a kg:Service ; rdfs:label "Twin"@en .\n',
        encoding="utf-8",
    )
    with pytest.raises(AmbiguousNameError) as caught:
        names.find(load(data, default_ontology_dir()), "Twin")
    assert caught.value.candidates == ("Twin (kgr:twin-a, kg:Company)", "Twin (kgr:twin-b, kg:Service)")


def test_under_another_language_candidates_and_suggestions_are_named_in_it(world):
    """``--lang zh``: an ambiguous name's candidates and a missed name's close names by their Chinese labels (an
    entity without one by its English label), each named once, with the name that was close where it is another
    (the Chinese label alone did not say why it was suggested)."""
    with pytest.raises(AmbiguousNameError) as caught:
        names.find(world, "nova", lang="zh")
    assert caught.value.candidates == ("Nova (kgr:nova-a, kg:AIModel)", "Nova (kgr:nova-b, kg:AIModel)")
    with pytest.raises(NotFoundError) as caught:
        names.find(world, "Rocket Chp", lang="zh")
    assert caught.value.suggestions == ("火箭芯片 (Rocket Chip)", "Rocket Chip speed")  # no Chinese label there
    with pytest.raises(NotFoundError) as caught:
        names.find(world, "Glob", lang="zh")
    assert caught.value.suggestions == ("环球 (Globex)",)  # an alt label of Lite too: the entity it labels
    with pytest.raises(NotFoundError) as caught:
        names.find(world, "火箭芯", lang="zh")
    assert caught.value.suggestions == ("火箭芯片",)  # the Chinese label was the close name: said once
    with pytest.raises(NotFoundError) as caught:
        names.find(world, "Rocket Chp")
    assert caught.value.suggestions[0] == "Rocket Chip"  # English as before


def test_find_miss_suggests_close_labels(world):
    with pytest.raises(NotFoundError) as caught:
        names.find(world, "Rocket Chp")
    assert caught.value.suggestions[0] == "Rocket Chip"
    with pytest.raises(NotFoundError) as caught:
        names.find(world, "火箭")
    assert caught.value.suggestions == ("火箭芯片",)


def test_find_unknown_iri(world):
    with pytest.raises(NotFoundError, match="kgr:rocket-chp is not the subject of any triple") as caught:
        names.find(world, "kgr:rocket-chp")
    assert "Rocket Chip" in caught.value.suggestions or "rocket-chip" in str(caught.value)


def test_describe(world):
    d = explore.describe(world, KGR["rocket-chip"])
    assert (d.qname, d.label) == ("kgr:rocket-chip", "Rocket Chip")
    assert d.types == ["Chip (kg:Chip)"]
    assert d.inferred_types == [
        "kg:Entity",
        "kg:Hardware",
        "kg:Product",
        "prov:Entity",
        "schema:Product",
        "schema:Thing",
    ]
    assert d.labels == [("en", "Rocket Chip"), ("zh", "火箭芯片")]
    assert d.attributes == [("distinction", "the fastest (en)")]
    assert d.links_out == [
        Link(False, "developed by", "Acme", "kgr:acme", "kg:developedBy"),
        Link(False, "succeeds", "Old Chip", "kgr:old-chip", "kg:succeeds"),
        Link(True, "used by", "Globex", "kgr:globex", "kg:usedBy"),
    ]
    assert d.links_in == [
        Link(False, "uses", "Globex", "kgr:globex", "kg:uses"),
        Link(True, "developed", "Acme", "kgr:acme", "kg:developed"),
        Link(True, "succeeded by", "Old Chip", "kgr:old-chip", "kg:succeededBy"),
    ]
    assert d.figures == [
        FigureFacts(
            qname="kgf:rocket-speed",
            label="Rocket Chip speed",
            value="4.4 x",
            unit="times",
            bound="more than",
            metric="speed / 速度",
            compared_with="Old Chip",
            basis="",
            from_value="2-3 wk",
            per_period="",
            timeframe="",
            kind="specification",
        )
    ]
    assert d.sections == [SectionRef(1, "src:alpha", "Alpha section", "甲节", "00:00 - 05:00")]


def test_describe_old_chip(world):
    d = explore.describe(world, KGR["old-chip"])
    assert [s.qname for s in d.sections] == ["src:beta"]
    assert Link(False, "compared with", "Rocket Chip speed", "kgf:rocket-speed", "kg:comparedWith") in d.links_in


def test_entities_default_is_every_entity(world):
    rows = explore.entities(world)
    assert [r.name for r in rows] == ["acme", "globex", "lite", "nova-a", "nova-b", "old-chip", "rocket-chip"]
    assert rows[0] == EntityRow("acme", "Company", "Acme", "顶点公司", str(KGR["acme"]))


@pytest.mark.parametrize("name", ["Chip", "chip", "kg:Chip", "芯片", "https://w3id.org/kgraph/ontology#Chip"])
def test_resolve_class(world, name):
    assert names.resolve_class(world, name) == KG.Chip


def test_entities_of_a_class_include_sub_classes(world):
    rows = explore.entities(world, names.resolve_class(world, "Hardware"))
    assert [r.name for r in rows] == ["old-chip", "rocket-chip"]
    assert [r.classes for r in explore.entities(world, KG.Organization, "zh")] == ["公司", "公司"]


def test_describe_and_entities_take_names(world):
    """A str was taken for an IRI (describe: "Rocket Chip" described as a resource of nothing, every list empty)
    or for the letters of a list of classes (entities(loaded, "Chip"): no row). Names are found as kgraph show and
    kgraph entities --type find them."""
    expected = explore.describe(world, KGR["rocket-chip"])
    for name in ("Rocket Chip", "火箭芯片", "kgr:rocket-chip", str(KGR["rocket-chip"])):
        assert explore.describe(world, name) == expected, name
    with pytest.raises(NotFoundError, match="nothing is named 'Rocket Chp'"):
        explore.describe(world, "Rocket Chp")
    hardware = explore.entities(world, KG.Hardware)
    assert [r.name for r in hardware] == ["old-chip", "rocket-chip"]
    assert explore.entities(world, "Hardware") == explore.entities(world, ["kg:Hardware"]) == hardware
    assert [r.name for r in explore.entities(world, ["Chip", KG.Company])] == [
        "acme",
        "globex",
        "old-chip",
        "rocket-chip",
    ]
    with pytest.raises(InputError, match=r"^unknown class 'Spaceship'; use one of: "):
        explore.entities(world, "Spaceship")


def test_unknown_class_lists_the_valid_ones(world):
    with pytest.raises(InputError) as caught:
        names.resolve_class(world, "Spaceship")
    assert str(caught.value).startswith("unknown class 'Spaceship'; use one of: AIModel, Bound, Chip, Company")


def test_an_unknown_class_in_chinese_suggests_close_chinese_labels(loaded):
    """芯片组 was answered with the English local names alone, though 芯片 is kg:Chip's label."""
    with pytest.raises(InputError) as caught:
        names.resolve_class(loaded, "芯片组")
    assert str(caught.value).startswith("unknown class '芯片组'; did you mean: 芯片 (Chip)? use one of: AIAgent,")


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("Chipp", "Chip"),
        ("kg:Chipp", "Chip"),
        ("<https://w3id.org/kgraph/ontology#Chipp>", "Chip"),
        ("hardwre", "Hardware"),
        ("Comapny", "Company"),
        ("server sytem", "ServerSystem"),
    ],
)
def test_an_unknown_class_in_english_suggests_close_names(loaded, typed, hint):
    """A misspelt class (Chipp) was answered with the 34 valid names alone, where a misspelt relation (usess) was
    told ``did you mean: uses?``; now the close local names and English labels are named, in any case."""
    with pytest.raises(InputError) as caught:
        names.resolve_class(loaded, typed)
    assert str(caught.value).startswith(f"unknown class {typed!r}; did you mean: {hint}? use one of: AIAgent,")


def test_close_names_as_similar_come_shorter_first_then_alphabetical():
    """``kgraph show``'s "did you mean" gave names as similar in difflib's order, the alphabetically last first,
    where the viewer's search gives them shorter first, then alphabetical: the two listed the same names apart."""
    import difflib  # noqa: PLC0415 - for this test only

    possible = ["abcxxx", "aby", "abx", "zzz"]
    assert difflib.get_close_matches("abc", possible, 3, 0.6) == ["aby", "abx", "abcxxx"]  # all three 0.67
    assert names.close_matches("abc", possible, 3, 0.6) == ["abx", "aby", "abcxxx"]
    assert names.close_matches("abc", possible, 1, 0.6) == ["abx"]
    assert names.close_matches("abc", possible, 3, 0.7) == []


@settings(max_examples=200, deadline=None)
@given(
    st.text("abcd", min_size=1, max_size=6),
    st.lists(st.text("abcde", max_size=7), max_size=12),
    st.integers(1, 5),
    st.sampled_from([0.0, 0.5, 0.6, 0.8]),
)
def test_close_names_are_those_difflib_finds(word, possible, n, cutoff):
    import difflib  # noqa: PLC0415 - for this test only

    def ratios(found: list[str]) -> list[float]:
        return [difflib.SequenceMatcher(None, x, word).ratio() for x in found]

    found = names.close_matches(word, possible, n, cutoff)
    assert ratios(found) == ratios(difflib.get_close_matches(word, possible, n, cutoff))
    keys = [(-r, len(x), x) for r, x in zip(ratios(found), found, strict=True)]
    assert keys == sorted(keys)


def test_an_unknown_class_far_from_every_name_suggests_none(loaded):
    with pytest.raises(InputError) as caught:
        names.resolve_class(loaded, "Spaceship")
    assert str(caught.value).startswith("unknown class 'Spaceship'; use one of: AIAgent,")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("亞馬遜", "amazon"),
        ("百時美施貴寶", "bristol-myers-squibb"),
        ("堡壘之夜", "fortnite"),
        ("亞馬遜 雲科技", "aws"),
    ],
)
def test_a_name_in_traditional_characters_finds_the_simplified_label(loaded, typed, meant):
    """A reader in Taiwan or Hong Kong types 亞馬遜; the data's Chinese labels are simplified (亚马逊), so nothing
    was found, not even as a suggestion."""
    assert names.find(loaded, typed) == KGR[meant]


def test_traditional_and_simplified_characters_fold_alike():
    assert names.normalise("亞馬遜雲科技") == names.normalise("亚马逊云科技") == "亚马逊云科技"
    assert names.normalise("乾") == names.normalise("干")  # one simplified form for two traditional uses
    assert names.normalise("輝達") == "辉达"  # a different word (Nvidia in Taiwan) is not an alias: not 英伟达
    assert names.normalise("東京タワー") == "东京タワー"  # a kanji with a simplified form folds too; kana do not


def test_a_traditional_typo_is_suggested_in_simplified_characters(loaded):
    with pytest.raises(NotFoundError) as caught:
        names.find(loaded, "谷哥")
    assert "谷歌" in caught.value.suggestions
    with pytest.raises(NotFoundError) as caught:
        names.find(loaded, "穀哥")  # 穀 folds to 谷
    assert "谷歌" in caught.value.suggestions


def test_a_one_character_typo_of_a_short_chinese_name_is_suggested(loaded):
    """谷哥 for 谷歌 and 索泥 for 索尼 were suggested nothing: difflib's ratio of two characters of which one differs
    is 0.5, under the cutoff of 0.6 that suits Latin letters."""
    for typed, meant in (("谷哥", "谷歌"), ("索泥", "索尼")):
        with pytest.raises(NotFoundError) as caught:
            names.find(loaded, typed)
        assert meant in caught.value.suggestions


def test_stats(world):
    s = explore.stats(world)
    assert s.files == 2
    assert s.figures == 1
    assert s.figures_by_kind == [("specification", 1)]
    classes = {c.name: (c.direct, c.total) for c in s.classes}
    assert classes["kg:Chip"] == (2, 2)
    assert classes["kg:Hardware"] == (0, 2)
    assert classes["kg:Organization"] == (0, 2)
    assert classes["kg:Entity"] == (0, 7)
    relations = {r.name: (r.asserted, r.inferred) for r in s.relations}
    assert relations["kg:uses"] == (1, 0)
    assert relations["kg:usedBy"] == (0, 1)
    assert relations["kg:customerOf"] == (0, 1)  # Globex uses what Acme develops
    assert [(c.section.qname, c.section.time_range) for c in s.sections] == [
        ("src:alpha", "00:00 - 05:00"),
        ("src:beta", ""),
    ]
    assert [c.triples for c in s.sections] == [28, 18]
    assert s.triples == s.ontology_triples + s.data_triples + s.inferred_triples
    # stats counts the stated data by subtraction; counted one triple at a time it is the same
    stated = [t for t in world.graph if t not in world.inferred and t not in world.ontology]
    assert s.data_triples == len(stated)


def test_describe_a_figure_shows_what_it_is_about(world):
    d = explore.describe(world, names.find(world, "kgf:rocket-speed"))
    assert Link(False, "figure of", "Rocket Chip", "kgr:rocket-chip", "kg:figureOf") in d.links_out
    assert Link(True, "has figure", "Rocket Chip", "kgr:rocket-chip", "kg:hasFigure") in d.links_in


@pytest.mark.parametrize("typed", ["Chip", "chip", "芯片", "CHIP"])
def test_a_class_named_for_an_entity_says_how_to_list_its_members(loaded, typed):
    """kgraph show Chip said "nothing is named 'Chip'; did you mean: Trainium chips deployed": a reader who names a
    class where an entity is asked for (show, path, neighbors, a saved query's entity) is after its members. The
    error (still exit 1) now says that it is a class, and how to list its members or show the class."""
    with pytest.raises(NotFoundError) as caught:
        names.find(loaded, typed)
    assert caught.value.cli_message == (
        f"{typed!r} is a class (kg:Chip), not an entity; kgraph entities --type Chip lists its members, kgraph show "
        "kg:Chip the class"
    )
    assert str(caught.value) == (
        f"{typed!r} is a class (kg:Chip), not an entity; "
        "kgraph.explore.entities(loaded, [URIRef('https://w3id.org/kgraph/ontology#Chip')]) lists its members"
    )
    assert names.find(loaded, "kg:Chip") == KG.Chip  # the class itself, by its prefixed name, as before


@pytest.mark.parametrize(
    ("query", "param", "typed"),
    [
        ("customers-of", "product", "kg:Chip"),
        ("customers-of", "product", "<https://w3id.org/kgraph/ontology#Chip>"),
        ("customers-of", "product", "https://w3id.org/kgraph/ontology#Chip"),
        ("products-using-chip", "chip", "kg:Chip"),  # of a class of its own: told it is a class, not "not a kg:Chip"
        ("neighbourhood", "entity", "kg:Chip"),
    ],
)
def test_a_class_by_its_prefixed_name_or_iri_is_refused_as_by_its_label(loaded, query, param, typed):
    """--param product=Chip was refused as a class, while --param product=kg:Chip (or its IRI) ran the saved query
    with the class as the product and answered 0 rows. A class is now refused in the same words however it is
    named, for every parameter that takes an entity; one that takes a class (instances-of) still takes it."""
    from kgraph.query import LocalResolver, bind_saved, saved_query  # noqa: PLC0415

    resolver = LocalResolver(loaded)
    with pytest.raises(NotFoundError) as caught:
        bind_saved(saved_query(query), {param: typed}, resolver)
    assert caught.value.cli_message == (
        f"--param {param}: {typed!r} is a class (kg:Chip), not an entity; kgraph entities --type Chip lists its "
        "members, kgraph show kg:Chip the class"
    )
    assert bind_saved(saved_query("instances-of"), {"class": typed}, resolver) == {"class": KG.Chip}


def test_a_class_named_over_http_is_told_a_query_that_lists_its_members(loaded):
    from kgraph.serve.service import _for_http  # noqa: PLC0415

    with pytest.raises(NotFoundError) as caught:
        names.find(loaded, "Server system")
    assert _for_http(caught.value.cli_message) == (
        "'Server system' is a class (kg:ServerSystem), not an entity; SELECT ?member WHERE { ?member a "
        "kg:ServerSystem } lists its members"
    )


def test_show_a_figure_gives_its_value_with_its_unit(loaded):
    """``kgraph show kgf:bms-drug-discovery-time`` gave ``value: 1``, ``value before: 4`` and ``value before, upper
    end: 6`` among its fields, and the units apart, as relations (``unit -> hour``, ``unit before -> week``): the
    figure read whole only in the show of what it is about. Its own block now follows, as there: 1 h, from 4-6 wk."""
    from kgraph.formatting import description  # noqa: PLC0415

    figure = names.find(loaded, "kgf:bms-drug-discovery-time")
    d = explore.describe(loaded, figure)
    assert [(f.qname, f.value, f.from_value) for f in d.figures] == [("kgf:bms-drug-discovery-time", "1 h", "4-6 wk")]
    text = description(d)
    assert (
        "\nFigure\n  Bristol-Myers Squibb drug discovery time  (kgf:bms-drug-discovery-time)\n"
        "    value:            1 h\n" in text
    )
    assert "    value before:     4-6 wk\n" in text
    assert "\n    数值:             1小时\n" in description(explore.describe(loaded, figure, "zh"), "zh")
    # what a figure is about still lists its figures under "Figures"
    assert "\nFigures\n  Bristol-Myers Squibb drug discovery time" in description(
        explore.describe(loaded, KGR["bristol-myers-squibb"])
    )


def test_the_fields_of_show_stay_in_one_column_past_a_long_name(loaded):
    """A field name longer than the 18 columns kept for names (``value before, upper end:``) pushed its value out of
    the column the others are in. The column widens for it; a field name past 31 characters still overflows."""
    from kgraph.formatting import description  # noqa: PLC0415

    for name in ("kgf:bms-drug-discovery-time", "Trainium3", "亚马逊云科技"):
        for lang in ("en", "zh"):
            d = explore.describe(loaded, names.find(loaded, name), lang)
            fields = description(d, lang).split("\n\n")[0].splitlines()[1:]
            starts = set()
            for line in fields:  # the terminal column each value starts at
                name_part, _, rest = line.partition(": ")
                starts.add(display_width(name_part) + 2 + len(rest) - len(rest.lstrip(" ")))
            assert len(starts) == 1, (name, lang, fields)
    figure = description(explore.describe(loaded, names.find(loaded, "kgf:bms-drug-discovery-time")))
    assert "\n  value before, upper end: 6\n" in figure
    assert "\n  IRI:                     https://" in figure
    # an entity with no long field name keeps the 18 columns
    assert "\n  IRI:               https://" in description(explore.describe(loaded, names.find(loaded, "Trainium3")))


def test_a_section_named_like_a_product_does_not_make_the_product_ambiguous(loaded):
    # The source section "Amazon Bedrock AgentCore" (src:agentcore) carries the product's English label.
    assert names.find(loaded, "Amazon Bedrock AgentCore") == KGR["amazon-bedrock-agentcore"]
    assert names.find(loaded, "src:agentcore") == SRC["agentcore"]


def test_a_figures_long_number_is_grouped_and_a_count_has_no_sign(loaded):
    """``more than 500000000000000 #`` was hard to read, and ``#`` said nothing the metric does not: a number of
    five digits or more has its thousands grouped, and a count (kg:Count) shows no notation."""
    described = explore.describe(loaded, names.find(loaded, "Amazon S3"))
    values = {figure.qname: (figure.bound, figure.value) for figure in described.figures}
    assert values["kgf:s3-objects-stored"] == ("more than", "500,000,000,000,000")
    assert values["kgf:s3-requests-per-second"] == ("more than", "200,000,000")


@pytest.mark.parametrize(
    ("literal", "shown"),
    [
        (Literal(500000000000000), "500,000,000,000,000"),
        (Literal(-12345), "-12,345"),
        (Literal("12345.50", datatype=XSD.decimal), "12,345.50"),  # as a file writes it: its digits kept
        (Literal(2025), "2025"),  # four digits, a year as like as not
        (Literal(4.4), "4.4"),
        (Literal(1.5e10), "15000000000.0"),  # a double as written: a figure of the data is an integer or decimal
        (Literal("12345"), "12345"),  # a text of digits is no number
        (Literal("12x45", datatype=XSD.integer), "12x45"),  # ill-typed: as written
    ],
)
def test_a_figures_value_is_written_as_a_number_when_it_is_one(literal, shown):
    assert explore._number(literal) == shown


def test_a_figures_unit_reads_in_chinese(make_kg, loaded):
    """show --lang zh gave a figure's unit as its English abbreviation: `4.4 x`, `from: 18 mo`. In Chinese a unit
    is now written as a Chinese text writes it (`4.4倍`, `18个月`, no space before a Chinese unit); a notation the
    data tags zh comes first, and `%` or `TB` are written alike in both languages."""
    kiro = {f.qname: f for f in explore.describe(loaded, KGR.kiro, "zh").figures}["kgf:kiro-refactoring-duration"]
    assert (kiro.bound, kiro.value, kiro.from_value) == ("最多", "76天", "18个月")
    english = {f.qname: f for f in explore.describe(loaded, KGR.kiro).figures}["kgf:kiro-refactoring-duration"]
    assert (english.bound, english.value, english.from_value) == ("up to", "76 d", "18 mo")
    world = load(*make_kg({"world.trig": WORLD}, {"kgraph.ttl": ONTOLOGY}))
    (speed,) = explore.describe(world, KGR["rocket-chip"], "zh").figures
    assert (speed.value, speed.from_value) == ("4.4倍", "2-3周")
    tagged = ONTOLOGY.replace('skos:notation "wk" .', 'skos:notation "wk" , "星期"@zh , "week(s)"@en-GB .')
    world = load(*make_kg({"world.trig": WORLD}, {"kgraph.ttl": tagged}))
    assert [f.from_value for f in explore.describe(world, KGR["rocket-chip"], "zh").figures] == ["2-3星期"]
    assert [f.from_value for f in explore.describe(world, KGR["rocket-chip"], "en").figures] == ["2-3 week(s)"]
    # every unit of the ontology written with Latin letters (x, mo, USD) has a Chinese notation; % and TB need none
    units = set(loaded.graph.subjects(RDF.type, KG.Unit))
    lettered = {u for u in units if any(n.isalpha() and n != "TB" for n in names.texts(loaded.graph, u, SKOS.notation))}
    assert lettered == set(explore.ZH_NOTATIONS) and explore.ZH_NOTATIONS.keys() <= units
