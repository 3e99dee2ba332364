"""kgraph path, neighbors, lineage, rank and communities: exact output, stdout/stderr and exit codes.

The answers were checked by hand against data/ (see tests/test_analysis.py for where each fact is stated).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kgraph.cli import cli
from kgraph.resources import default_data_dir, default_ontology_dir


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# ------------------------------------------------------------------------------------------------ path


def test_path_either_way():
    result = run("path", "Sony", "Trainium3")
    assert result.exit_code == 0
    assert result.stdout == "Sony -partner of, uses-> AWS <-developed by- Trainium3\n"
    assert result.stderr == "1 shortest path of 2 steps, in either direction\n"


def test_path_as_stated_from_a_customer_to_a_chip():
    result = run("path", "adobe", "kgr:graviton", "--directed")
    assert result.exit_code == 0
    assert result.stdout == "Adobe -partner of-> AWS -uses-> Graviton\n"
    assert result.stderr == "1 shortest path of 2 steps, following relations as stated\n"


def test_path_from_a_customer_to_an_instance_in_chinese():
    # 09-enterprise-ai.trig: Writer kg:uses P5
    result = run("path", "Writer", "P5实例", "--directed", "--lang", "zh")
    assert result.stdout == "Writer -使用-> P5\n"
    assert result.stderr == "1 shortest path of 1 step, following relations as stated\n"


def test_path_max_and_avoid():
    result = run("path", "Writer", "Trainium3", "--max", "2")
    assert result.stdout == (
        "Writer -integrates-> Amazon Bedrock Guardrails -developed by-> AWS <-developed by- Trainium3\n"
        "Writer -integrates-> Amazon Bedrock model catalog -developed by-> AWS <-developed by- Trainium3\n"
    )
    assert result.stderr == "5 shortest paths of 3 steps, in either direction; showing 2 (--max)\n"
    avoiding = run("path", "Writer", "Trainium3", "--avoid", "AWS")
    assert avoiding.stdout == (
        "Writer <-leads- May Habib -speaker at-> AWS re:Invent 2025 keynote <-announced at- Trainium3\n"
    )


def test_path_along_one_relation_and_its_sub_properties():
    # 08-adobe.trig: Adobe Firefly kg:trainedOn P6 (a sub-property of uses); Adobe kg:uses P6
    result = run("path", "Adobe Firefly", "Adobe", "--relation", "uses")
    assert (
        result.stdout == "Adobe Firefly -trained on-> P5 <-uses- Adobe\nAdobe Firefly -trained on-> P6 <-uses- Adobe\n"
    )


def test_path_with_inferred_relations_goes_against_the_statements():
    assert run("path", "Trainium3", "Trainium2", "--directed").stdout == "Trainium3 -succeeds-> Trainium2\n"
    result = run("path", "Trainium2", "Trainium3", "--directed", "--inferred")
    assert result.stdout == "Trainium2 -succeeded by-> Trainium3\n"


def test_a_hop_over_a_pair_linked_both_ways_shows_the_forward_relations():
    # With --inferred every relation has its inverse, so each pair is linked both ways; the hop is printed the
    # way the path walks: Trainium3 succeeds Trainium2, not Trainium2 succeeded by Trainium3.
    assert run("path", "Trainium3", "Trainium2", "--inferred").stdout == "Trainium3 -succeeds-> Trainium2\n"
    # kg:customerOf comes from ontology/rules/customer-of.rq (Sony uses Bedrock, which AWS develops)
    assert run("path", "Sony", "Trainium3", "--inferred").stdout == (
        "Sony -customer of, partner of, uses-> AWS -developed-> Trainium3\n"
    )


def test_no_path_exits_1_with_what_to_try():
    result = run("path", "Trainium3", "Adobe", "--directed")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: no path from Trainium3 to Adobe following relations in the direction they are stated; "
        "try without --directed or add --inferred\n"
    )
    isolated = run("path", "PDF", "Adobe", "--inferred")
    assert isolated.exit_code == 1
    assert isolated.stderr == (
        "Error: no path from PDF to Adobe in either direction: PDF has no relation with another entity, stated or "
        "inferred\n"
    )


def test_unknown_name_exits_1_with_suggestions():
    result = run("path", "Sony", "Trainum3")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: nothing is named 'Trainum3'; did you mean: Trainium3")


@pytest.mark.parametrize(
    "command",
    [
        ["path", "Sony", "{}"],
        ["path", "Sony", "AWS", "--avoid", "{}"],
        ["neighbors", "{}"],
        ["lineage", "{}"],
        ["viz", "--focus", "{}", "--output", "-"],
    ],
)
def test_a_name_that_matches_nothing_is_told_with_close_entities_alone(command):
    """``path Sony Tranium3`` suggested ``Trainium3制程``, a figure's name, which the command then refused as no
    entity (so did neighbors, lineage and viz --focus); they suggest entities only, as Tab completes them (``show``
    still suggests the figure)."""
    result = run(*[part.format("Tranium3") for part in command])
    assert result.exit_code == 1
    close = "Trainium3, Trainium, Trainium2, Trainium4"
    assert result.stderr == f"Error: nothing is named 'Tranium3'; did you mean: {close}\n"
    assert "Trainium3制程" in run("show", "Tranium3").stderr


def test_exact_betweenness_of_a_large_graph_says_how_long_it_takes(monkeypatch):
    """On a store of a million triples (96,154 entities, 218,082 relations) exact betweenness ran for hours
    after one line about the projection; now it says so, and what estimates it. The bundled graph is made to
    look that slow."""
    from kgraph import cli_analysis  # noqa: PLC0415 - the module whose estimate is changed

    monkeypatch.setattr(cli_analysis, "_BETWEENNESS_SECONDS", 1.0)
    result = run("rank", "--by", "betweenness", "--top", "1")
    assert result.exit_code == 0, result.output
    assert re.search(
        r"warning: exact betweenness over [\d,]+ entities and [\d,]+ relations takes about [\d,]+ hours", result.stderr
    )
    assert "--sample 200 estimates it" in result.stderr
    for quiet in (["--by", "betweenness", "--sample", "20"], ["--by", "pagerank"]):
        assert "warning" not in run("rank", *quiet, "--top", "1").stderr
    monkeypatch.undo()
    assert "warning" not in run("rank", "--by", "betweenness", "--top", "1").stderr  # the bundled graph: fast


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Sony", "sony"], "Error: Sony is both ends of the path; name two entities\n"),
        (["Sony", "AWS", "--avoid", "Sony"], "Error: Sony is an end of the path; it cannot be avoided\n"),
        (
            ["Sony", "AWS", "--relation", "owns"],
            "Error: unknown relation 'owns'; did you mean: powers? use one of: added, addedTo,",
        ),
        (["Sony", "src:sony"], "Error: Sony case study (src:sony, kg:SourceSection) is not an entity"),
    ],
)
def test_path_bad_input_exits_2(args, message):
    result = run("path", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_path_max_must_be_positive():
    result = run("path", "Sony", "AWS", "--max", "0")
    assert result.exit_code == 2
    assert "Invalid value for '--max': 0 is not in the range x>=1." in result.stderr


# ------------------------------------------------------------------------------------------------ neighbors


def test_neighbors():
    result = run("neighbors", "Trainium3")
    assert result.exit_code == 0
    assert result.stdout == (
        "Trainium3 -developed by-> AWS\n"
        "Trainium3 -announced at-> AWS re:Invent 2025 keynote\n"
        "Trainium3 -member of-> Trainium\n"
        "Trainium3 -succeeds-> Trainium2\n"
        "Trainium3 <-powered by- Trainium3 UltraServer\n"
        "Trainium3 <-succeeds- Trainium4\n"
    )
    assert result.stderr == "6 entities within 1 step\n"


def test_neighbors_out_along_a_relation_by_its_label():
    result = run("neighbors", "Sony", "--relation", "partner of", "--direction", "out", "--depth", "2")
    assert result.stdout == "Sony -partner of-> AWS\n"
    assert result.stderr == "1 entity within 2 steps\n"


@pytest.mark.parametrize("depth", ["0", "6"])
def test_neighbors_depth_out_of_range_exits_2(depth):
    result = run("neighbors", "Trainium3", "--depth", depth)
    assert result.exit_code == 2
    assert result.stderr == f"Error: --depth must be between 1 and 5, not {depth}\n"


def test_neighbors_of_an_entity_without_relations_exits_1():
    result = run("neighbors", "PDF")
    assert result.exit_code == 1
    assert result.stderr == "Error: PDF has no relation with another entity\n"
    inward = run("neighbors", "Adobe", "--direction", "in", "--relation", "uses")
    assert inward.exit_code == 1
    assert (
        inward.stderr
        == "Error: Adobe has no relation coming in with another entity; try other --relation or try --direction out\n"
    )


@pytest.mark.parametrize("where", ["memory", "store"])
def test_neighbors_names_the_direction_that_finds_something(where, store_dir):
    """An empty answer said `try --direction both` whatever it would find: it names the direction that finds
    something (the opposite one first), and none when neither does."""
    store = [] if where == "memory" else ["--store", str(store_dir)]
    made = run(*store, "neighbors", "AWS", "--direction", "out", "--relation", "developed by")
    assert made.stderr.endswith("; try other --relation or try --direction in\n"), made.stderr
    assert run(*store, "neighbors", "AWS", "--direction", "in", "--relation", "developed by").exit_code == 0
    alone = run(*store, "neighbors", "Graviton", "--direction", "in", "--relation", "used by")
    assert alone.stderr == "Error: Graviton has no relation coming in with another entity; try other --relation\n"


@pytest.mark.parametrize("where", ["memory", "store"])
def test_neighbors_along_an_inferred_relation_says_to_add_inferred(where, store_dir):
    """used by is never stated (it is kg:uses's inverse): the error said only to try another --relation, though
    --inferred gives the answer asked for. It says so only where --inferred finds something."""
    store = [] if where == "memory" else ["--store", str(store_dir)]
    result = run(*store, "neighbors", "Graviton", "--relation", "used by")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Graviton has no relation with another entity; add --inferred or try other --relation\n"
    )
    assert run(*store, "neighbors", "Graviton", "--relation", "used by", "--inferred").stdout == (
        "Graviton -used by-> AWS\n"
    )
    nothing_inferred = run(*store, "neighbors", "Graviton", "--relation", "customer of", "--direction", "in")
    assert "--inferred" not in nothing_inferred.stderr


# ------------------------------------------------------------------------------------------------ lineage


def test_lineage():
    result = run("lineage", "Trainium3")
    assert result.exit_code == 0
    assert result.stdout == (
        "Trainium2 -> Trainium3 -> Trainium4\n"
        "\n"
        "Trainium3 succeeds Trainium2\n"
        "  metric             value  figure\n"
        "  -----------------  -----  --------------------------------------------\n"
        "  compute            4.4 x  kgf:trainium3-compute-vs-trainium2\n"
        "  energy efficiency  5 x    kgf:trainium3-energy-efficiency-vs-trainium2\n"
        "  memory bandwidth   3.9 x  kgf:trainium3-memory-bandwidth-vs-trainium2\n"
        "\n"
        "Trainium4 succeeds Trainium3\n"
        "  metric                                value  figure\n"
        "  ------------------------------------  -----  -------------------------------------------\n"
        "  FP4 compute                           6 x    kgf:trainium4-fp4-compute-vs-trainium3\n"
        "  high-bandwidth memory (HBM) capacity  2 x    kgf:trainium4-hbm-capacity-vs-trainium3\n"
        "  memory bandwidth                      4 x    kgf:trainium4-memory-bandwidth-vs-trainium3\n"
    )


def test_lineage_in_chinese_from_the_newest():
    result = run("lineage", "Trainium4", "--lang", "zh")
    assert result.stdout.splitlines()[0] == "Trainium2 -> Trainium3 -> Trainium4"
    assert "  内存带宽  3.9倍  kgf:trainium3-memory-bandwidth-vs-trainium2" in result.stdout.splitlines()


def test_lineage_in_chinese_names_the_relation_in_chinese():
    """Each step was headed "Trainium3 succeeds Trainium2" with --lang zh, though kg:succeeds is 继任."""
    lines = run("lineage", "Trainium3", "--lang", "zh").stdout.splitlines()
    assert "Trainium3 继任 Trainium2" in lines and "Trainium4 继任 Trainium3" in lines
    assert "Trainium3 succeeds Trainium2" in run("lineage", "Trainium3").stdout.splitlines()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["path", "索尼", "Trainium3", "--relation", "使用"],
            "Error: no path from 索尼 to Trainium3 in either direction",
        ),
        (["path", "索尼", "英伟达", "--avoid", "索尼"], "Error: 索尼 is an end of the path; it cannot be avoided"),
        (["path", "索尼", "Sony"], "Error: 索尼 is both ends of the path; name two entities"),
        (["neighbors", "索尼", "--direction", "in", "--relation", "使用"], "Error: 索尼 has no relation coming in"),
        (["neighbors", "财富500强"], "Error: 财富500强 has no relation with another entity"),
        (["lineage", "索尼"], "Error: 索尼 (kgr:sony) has no predecessor or successor"),
        # a source section is no entity: it was named "Sony case study"
        (["path", "索尼", "src:sony"], "Error: Sony合作案例 (src:sony, kg:SourceSection) is not an entity"),
        (["neighbors", "src:sony"], "Error: Sony合作案例 (src:sony, kg:SourceSection) is not an entity"),
    ],
)
def test_errors_name_the_entities_in_chinese_with_lang_zh(args, message):
    """With --lang zh the errors named the entities by their English labels (no path from Sony to Trainium3)."""
    result = run(*args, "--lang", "zh")
    assert result.exit_code in (1, 2)
    assert result.stderr.startswith(message), result.stderr


def test_no_lineage_exits_1():
    result = run("lineage", "Trainium")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Trainium (kgr:trainium) has no predecessor or successor (kg:succeeds); its members Trainium2, "
        "Trainium3, Trainium4 are in one: kgraph lineage Trainium2\n"
    )
    result = run("lineage", "Sony")
    assert result.exit_code == 1
    assert result.stderr == "Error: Sony (kgr:sony) has no predecessor or successor (kg:succeeds)\n"
    result = run("lineage", "Trainium3 UltraServers", "--lang", "zh")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Trainium3 UltraServer (kgr:trainium3-ultraserver) has no predecessor or successor (kg:succeeds); it "
        "uses Trainium3, which is in one: kgraph lineage Trainium3\n"
    )


# ------------------------------------------------------------------------------------------------ rank


def test_rank_products_by_degree():
    result = run("rank", "--type", "Product", "--top", "4")
    assert result.exit_code == 0
    assert result.stdout == (
        "rank  entity                    class         degree\n"
        "----  ------------------------  ------------  ------\n"
        "1     Amazon Bedrock AgentCore  Service       20\n"
        "2     Amazon Bedrock            Service       19\n"
        "3     Amazon Nova 2             Model family  7\n"
        "3     Amazon Nova Forge         Service       7\n"
    )


def test_rank_says_when_top_cuts_a_tie():
    """--top 4 listed two of the three products of degree 7 and said nothing: the cut looked like the tie's end
    (on a generated graph of 100k triples, 5 of the 7 entities of degree 19 in the default top 10)."""
    result = run("rank", "--type", "Product", "--top", "3")
    assert result.exit_code == 0
    assert result.stderr == "1 more entity shares rank 3 (degree 7); --top 4 lists it\n"
    result = run("rank", "--type", "Product", "--top", "5", "--format", "csv")
    assert result.stderr == "2 more entities share rank 5 (degree 6); --top 7 lists them\n"
    assert len(result.stdout.splitlines()) == 6
    assert run("rank", "--type", "Product", "--top", "4").stderr == ""  # the tie's end
    assert run("rank", "--type", "Product", "--top", "2").stderr == ""  # no tie at the cut


def test_rank_by_pagerank_and_betweenness():
    # AWS develops 40-odd of the entities: first by both measures
    for measure in ("pagerank", "betweenness"):
        result = run("rank", "--by", measure, "--top", "1", "--lang", "zh")
        assert result.exit_code == 0
        header, _rule, row = result.stdout.splitlines()
        assert header.split() == [
            "排名",
            "实体",
            "类",
            {"pagerank": "PageRank值", "betweenness": "介数中心性"}[measure],
        ]
        assert row.split()[:3] == ["1", "亚马逊云科技", "公司"]
        assert 0 < float(row.split()[3]) < 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--type", "Gadget"], "Error: unknown class 'Gadget'; use one of:"),
        (["--by", "fame"], "Invalid value for '--by': 'fame' is not one of 'degree', 'pagerank', 'betweenness'."),
        (["--top", "0"], "Invalid value for '--top': 0 is not in the range x>=1."),
        (["--by", "betweenness", "--sample", "0"], "Invalid value for '--sample': 0 is not in the range x>=1."),
    ],
)
def test_rank_bad_input_exits_2(args, message):
    result = run("rank", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_rank_of_a_class_without_entities_exits_1():
    result = run("rank", "--type", "Figure")
    assert result.exit_code == 1
    assert result.stderr == "Error: no entity is a kg:Figure\n"


# ------------------------------------------------------------------------------------------------ communities


def test_communities():
    result = run("communities")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == "not linked (2): Fortune 500, PDF"
    blocks = re.split(r"\n(?=\d+\. )", "\n".join(lines[:-1]))
    trainium = next(block for block in blocks if "Trainium3" in block)
    assert "Trainium2" in trainium and "Trainium4" in trainium
    numbered = [line for line in lines if line[0].isdigit()]
    assert result.stderr.startswith(
        f"{len(numbered)} communities of 100 linked entities (Louvain, seed 1, resolution 1;"
    )
    assert all(len(line) <= 100 for line in lines)


def test_communities_co_usage():
    result = run("communities", "--co-usage")
    assert result.exit_code == 0
    products, customers = result.stdout.split("\n\n")
    assert products.splitlines()[:4] == [
        "Products that share customers",
        "product                   product                   shared customers",
        "------------------------  ------------------------  ----------------",
        "Amazon Bedrock            Amazon Bedrock AgentCore  Sony",
    ]
    assert len(products.splitlines()) == 3 + 11
    assert customers.splitlines()[:4] == [
        "Customers that share products",
        "customer              customer  shared products",
        "--------------------  --------  ------------------------",
        "Adobe                 Sony      Amazon Bedrock",
    ]
    assert len(customers.splitlines()) == 3 + 9


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "1e308", "1000000.5"])
def test_communities_bad_resolution_exits_2(value):
    result = run("communities", "--resolution", value)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --resolution must be more than 0 and at most 1,000,000, not {float(value)}; above twice the number "
        "of relations every entity is a community of its own\n"
    )


def test_communities_count_their_entities_with_thousands_separators(tmp_path):
    """The summary said ``9615 linked entities`` on a generated graph, where every other count says 9,615."""
    lines = [
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .",
        "@prefix kgr: <https://w3id.org/kgraph/resource/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
    ]
    for i in range(1001):  # 1,001 customers, each of one service of its own: 2,002 linked entities
        lines += [
            f'kgr:c{i} a kg:Company ; rdfs:label "C{i}"@en ; kg:uses kgr:s{i} .',
            f'kgr:s{i} a kg:Service ; rdfs:label "S{i}"@en .',
        ]
    data = tmp_path / "data"
    data.mkdir()
    (data / "pairs.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("--data", str(data), "--ontology", str(default_ontology_dir()), "communities")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("1,001 communities of 2,002 linked entities (Louvain")


def test_communities_weigh_a_fact_stated_both_ways_once(tmp_path):
    """Members are listed most linked first: Z and Y, Z using Y stated both ways (uses, used by), came before X
    with 3 relations each, for 2 (as rank counts them)."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "d.ttl").write_text(
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
        "@prefix kgr: <https://w3id.org/kgraph/resource/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'kgr:x a kg:Company ; rdfs:label "X"@en . kgr:y a kg:Service ; rdfs:label "Y"@en .\n'
        'kgr:z a kg:Company ; rdfs:label "Z"@en .\n'
        "kgr:z kg:uses kgr:y . kgr:y kg:usedBy kgr:z . kgr:y kg:uses kgr:x . kgr:x kg:partnerOf kgr:z .\n",
        encoding="utf-8",
    )
    result = run("--data", str(data), "--ontology", str(default_ontology_dir()), "communities")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "1. (3): X, Y, Z\n"
    ranked = run("--data", str(data), "--ontology", str(default_ontology_dir()), "rank", "--format", "csv")
    assert [line.rsplit(",", 1)[1] for line in ranked.stdout.splitlines()[1:]] == ["2", "2", "2"]


def test_the_smallest_resolution_makes_one_community_and_says_so_in_the_singular():
    result = run("communities", "--resolution", "1e-300")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("1 community of 100 linked entities (Louvain")


def test_the_largest_resolution_leaves_every_entity_alone_with_a_finite_modularity():
    result = run("communities", "--resolution", "1e6")
    assert result.exit_code == 0, result.stderr
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("100 communities of 100 linked entities (Louvain, seed 1, resolution 1e+06; modularity -")
    modularity = float(summary.rsplit(" ", 1)[1].rstrip(")"))
    assert -1e6 < modularity < 0


@pytest.mark.parametrize("args", [["--depth", "2"], ["--depth", "3", "--direction", "in"]], ids=["both", "in"])
def test_neighbors_are_the_same_whatever_the_hash_seed(args):
    """An entity two steps away along two chains was shown along either, from one run to the next."""
    assert len(_outputs_by_hash_seed("neighbors", "AWS", *args)) == 1


def _outputs_by_hash_seed(*args: str) -> set[str]:
    """What ``kgraph ARGS`` prints in processes of several PYTHONHASHSEEDs (set orders differ from one to the next)."""
    outputs = set()
    for seed in ("0", "1", "2", "987654"):
        done = subprocess.run(
            [sys.executable, "-m", "kgraph", *args],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        outputs.add(done.stdout)
    return outputs


def _layers(folder: Path) -> list[str]:
    """A data folder where A reaches B through three layers of 30 services: 27,000 shortest paths."""
    lines = [
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .",
        "@prefix kgr: <https://w3id.org/kgraph/resource/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        'kgr:a a kg:Company ; rdfs:label "A"@en .',
        'kgr:b a kg:Service ; rdfs:label "B"@en .',
    ]
    for layer in "mno":
        lines += [f'kgr:{layer}{i:02d} a kg:Service ; rdfs:label "{layer.upper()}{i:02d}"@en .' for i in range(30)]
    for i in range(30):
        lines += [f"kgr:a kg:uses kgr:m{i:02d} .", f"kgr:o{i:02d} kg:uses kgr:b ."]
        lines += [f"kgr:m{i:02d} kg:uses kgr:n{j:02d} . kgr:n{i:02d} kg:uses kgr:o{j:02d} ." for j in range(30)]
    folder.mkdir()
    (folder / "layers.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["--data", str(folder), "--ontology", str(default_ontology_dir())]


def test_no_path_from_an_entity_without_relations_says_so_rather_than_suggest_options(tmp_path):
    """ "add --inferred" was suggested for an entity that has no relation at all, where no option finds a path."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "alone.ttl").write_text(
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n@prefix kgr: <https://w3id.org/kgraph/resource/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'kgr:a a kg:Company ; rdfs:label "A"@en ; kg:uses kgr:b .\nkgr:b a kg:Service ; rdfs:label "B"@en .\n'
        'kgr:c a kg:Company ; rdfs:label "C"@en .\n',
        encoding="utf-8",
    )
    options = ["--data", str(data), "--ontology", str(default_ontology_dir())]
    result = run(*options, "path", "A", "C")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no path from A to C in either direction: C has no relation with another entity, stated or inferred\n"
    )
    directed = run(*options, "path", "B", "A", "--directed")  # here options can help, and are suggested
    assert directed.exit_code == 1 and "try without --directed or add --inferred" in directed.stderr


def test_no_path_between_two_parts_suggests_no_option_that_finds_none(tmp_path):
    """ "add --inferred" was suggested for two entities in two parts of the graph that no relation joins, stated or
    inferred, and "try without --directed" too, where neither finds a path; in memory and on a store."""
    from kgraph import persist  # noqa: PLC0415 - pyoxigraph only for the tests that use a store

    data = tmp_path / "data"
    data.mkdir()
    (data / "parts.ttl").write_text(
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n@prefix kgr: <https://w3id.org/kgraph/resource/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'kgr:a a kg:Company ; rdfs:label "A"@en ; kg:uses kgr:b .\nkgr:b a kg:Service ; rdfs:label "B"@en .\n'
        'kgr:c a kg:Company ; rdfs:label "C"@en ; kg:uses kgr:d .\nkgr:d a kg:Service ; rdfs:label "D"@en .\n',
        encoding="utf-8",
    )
    persist.build(tmp_path / "store", data, default_ontology_dir())
    for options in (
        ["--data", str(data), "--ontology", str(default_ontology_dir())],
        ["--store", str(tmp_path / "store")],
    ):
        apart = run(*options, "path", "A", "D")
        assert apart.exit_code == 1
        assert apart.stderr.splitlines()[-1] == "Error: no path from A to D in either direction"
        directed = run(*options, "path", "A", "D", "--directed")
        assert directed.stderr.splitlines()[-1] == (
            "Error: no path from A to D following relations in the direction they are stated"
        )
        against = run(*options, "path", "B", "A", "--directed")  # here both options find one, and are suggested
        assert against.stderr.splitlines()[-1] == (
            "Error: no path from B to A following relations in the direction they are stated; "
            "try without --directed or add --inferred"
        )


def test_many_shortest_paths_are_counted_and_the_first_by_label_shown(tmp_path):
    """Past 10,000 paths only the first 10,000 networkx listed were sorted, in an order hashing changes: other
    paths on every run ("more than 10000"). Now every path is counted and the first by label shown."""
    options = _layers(tmp_path / "data")
    outputs = _outputs_by_hash_seed(*options, "path", "A", "B", "--directed", "--max", "3")
    assert len(outputs) == 1
    (shown,) = outputs
    assert [line.split(" -uses-> ")[2:] for line in shown.splitlines()] == [
        ["N00", "O00", "B"],
        ["N00", "O01", "B"],
        ["N00", "O02", "B"],
    ]
    result = run(*options, "path", "A", "B", "--directed", "--max", "3")
    assert result.stderr == "27,000 shortest paths of 4 steps, following relations as stated; showing 3 (--max)\n"


TWO_KINDS = """\
@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix kgr: <https://w3id.org/kgraph/resource/> .
@prefix kgf: <https://w3id.org/kgraph/figure/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgf:x a kg:Figure ; rdfs:label "X"@en ; kg:figureOf kgr:trainium3 ; kg:comparedWith kgr:trainium2 ;
    kg:figureKind kg:Specification , kg:CustomerResult ; kg:value 7 , 8 ; kg:unit kg:Times ;
    kg:metric "x"@en .
"""


def test_a_figure_with_two_kinds_or_values_is_shown_alike_on_every_run_and_on_a_store(tmp_path):
    """Its shape allows one of each, but data may break it: stats and lineage showed either, by hash seed, and
    the store its own pick."""
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    (data / "99-two-kinds.ttl").write_text(TWO_KINDS, encoding="utf-8")
    options = ["--data", str(data), "--ontology", str(default_ontology_dir())]
    for command in (["stats"], ["lineage", "Trainium3"]):
        (printed,) = _outputs_by_hash_seed(*options, *command)
        store = tmp_path / "store"
        assert run(*options, "load", "--store", str(store)).exit_code == 0
        assert run("--store", str(store), *command).stdout == printed, command
    assert "7 x" in printed and "8 x" not in printed


def test_neighbors_show_the_first_of_the_shortest_chains_by_name():
    """Adobe Firefly is two steps from AWS through Adobe (partner of) and through P6 (trained on): Adobe first."""
    lines = run("neighbors", "AWS", "--depth", "2").stdout.splitlines()
    (firefly,) = [line for line in lines if line.endswith(" Adobe Firefly")]
    assert firefly == "AWS <-partner of- Adobe <-developed by- Adobe Firefly"


def test_communities_are_the_same_whatever_the_hash_seed():
    assert len(_outputs_by_hash_seed("communities", "--seed", "3")) == 1


# ------------------------------------------------------------------------------------------ options that do nothing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rank", "--sample", "5"], "--sample estimates betweenness; it does nothing with --by degree"),
        (["rank", "--by", "pagerank", "--sample", "5"], "--sample estimates betweenness; it does nothing with --by"),
        (["communities", "--co-usage", "--seed", "5"], "--seed tunes the communities; leave it out with --co-usage"),
        (
            ["communities", "--co-usage", "--seed", "5", "--resolution", "2"],
            "--seed and --resolution tune the communities; leave them out with --co-usage",
        ),
        (["queries", "run", "people", "--lang", "zh", "--param", "lang=en"], "--lang zh and --param lang=en disagree"),
    ],
)
def test_an_option_that_would_be_ignored_is_refused(args, message):
    """Each was silently ignored: the answer looked like one that had taken it into account."""
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message}" or message in result.stderr, result.stderr


def test_type_is_repeatable_for_rank_and_entities():
    """A second --type replaced the first (viz --type already took several)."""

    def names(*args: str) -> list[str]:
        return [line.split()[0] for line in run("entities", *args).stdout.splitlines()[2:]]

    chips, companies = names("--type", "Chip"), names("--type", "Company")
    assert names("--type", "Chip", "--type", "Company") == sorted(chips + companies) and chips and companies
    ranked = run("rank", "--type", "Chip", "--type", "Company", "--top", "100").stdout
    assert " Company " in ranked and " Chip " in ranked
