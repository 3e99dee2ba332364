"""``--format csv|json`` of entities, rank, communities and neighbors: the same answer as the text, one row per
entity, typed values and IRIs, for a spreadsheet or a script; in memory and on a store."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PREFIXES, MakeKG
from kgraph.cli import cli


def out(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes.decode("utf-8")  # as written: result.stdout reads CR LF as LF


def records(*args: str) -> list[dict[str, object]]:
    """The command's rows as JSON, after checking that its CSV holds the same rows, cell for cell as text."""
    as_json = out(*args, "--format", "json")
    assert as_json.endswith("]\n")
    rows = json.loads(as_json)
    as_csv = out(*args, "--format", "csv")
    assert as_csv.endswith("\r\n")  # RFC 4180, as kgraph query --format csv
    read = list(csv.reader(io.StringIO(as_csv, newline="")))
    assert read[0] == (list(rows[0]) if rows else read[0])
    assert read[1:] == [["" if v is None else str(v) for v in row.values()] for row in rows]
    return rows


def table_rows(text: str) -> list[list[str]]:
    """The rows of a text table (columns two spaces or more apart), header and rule left out."""
    return [re.split(r" {2,}", line.strip()) for line in text.splitlines()[2:] if line.strip()]


@pytest.fixture(params=["memory", "store"])
def where(request: pytest.FixtureRequest, store_dir: Path) -> list[str]:
    return [] if request.param == "memory" else ["--store", str(store_dir)]


def test_rank_rows_are_the_table_s_with_iris_and_numbers(where):
    rows = records(*where, "rank", "--top", "12")
    table = table_rows(out(*where, "rank", "--top", "12"))
    assert [[str(r["rank"]), r["entity"], str(r["degree"])] for r in rows] == [[t[0], t[1], t[3]] for t in table]
    assert all(isinstance(r["degree"], int) for r in rows)
    assert rows[0] == {
        "rank": 1,
        "iri": "https://w3id.org/kgraph/resource/aws",
        "entity": "AWS",
        "class": "kg:Company",
        "degree": 45,
    }


def test_rank_by_pagerank_gives_the_score_unrounded(where):
    rows = records(*where, "rank", "--by", "pagerank", "--type", "Chip", "--lang", "zh")
    table = table_rows(out(*where, "rank", "--by", "pagerank", "--type", "Chip", "--lang", "zh"))
    assert [r["entity"] for r in rows] == [t[1] for t in table]
    assert [f"{r['pagerank']:.4f}" for r in rows] == [t[3] for t in table]
    assert {r["class"] for r in rows} == {"kg:Chip"}  # a prefixed name, whatever the language of the labels


def test_communities_rows_are_the_members_listed(where):
    rows = records(*where, "communities")
    text = out(*where, "communities")
    groups: dict[object, list[object]] = {}
    for row in rows:
        groups.setdefault(row["community"], []).append(row["entity"])
    listed = [line for line in text.split("\n") if line and not line.startswith(" ")]
    assert len(listed) == len(groups)  # each community, and the entities linked to none, start a line
    for number, members in groups.items():
        head = f"{number}. ({len(members)}): " if number is not None else f"not linked ({len(members)}): "
        start = text.index(head) + len(head)
        end = text.find("\n", start)
        while text.startswith(" ", end + 1):  # a member list goes on over indented lines
            end = text.find("\n", end + 1)
        assert " ".join(text[start:end].split()) == ", ".join(str(m) for m in members)
    assert None in groups  # PDF and other formats, which nothing relates


def test_co_usage_rows_are_a_pair_and_one_entity_they_share(where):
    rows = records(*where, "communities", "--co-usage")
    text = out(*where, "communities", "--co-usage")
    products, customers = text.split("Customers that share products\n")
    for kind, part in (("products", products.split("\n", 1)[1]), ("customers", customers)):
        shared: dict[tuple[object, object], list[object]] = {}
        for row in rows:
            if row["kind"] == kind:
                shared.setdefault((row["first"], row["second"]), []).append(row["shared"])
        assert [[a, b, ", ".join(map(str, s))] for (a, b), s in shared.items()] == table_rows(part)
    assert set(rows[0]) == {"kind", "first_iri", "first", "second_iri", "second", "shared_iri", "shared"}


def test_neighbors_rows_are_the_chains_printed(where):
    rows = records(*where, "neighbors", "Trainium3", "--depth", "2")
    lines = out(*where, "neighbors", "Trainium3", "--depth", "2").splitlines()
    assert [r["chain"] for r in rows] == lines
    assert [r["steps"] for r in rows] == sorted(r["steps"] for r in rows)
    assert {r["steps"] for r in rows} == {1, 2}
    aws = next(r for r in rows if r["entity"] == "AWS")
    assert aws == {
        "steps": 1,
        "iri": "https://w3id.org/kgraph/resource/aws",
        "entity": "AWS",
        "class": "kg:Company",
        "chain": "Trainium3 -developed by-> AWS",
    }


@pytest.mark.parametrize(("lang", "columns"), [(None, ["label_en", "label_zh"]), ("zh", ["label_zh"])])
def test_entities_rows_are_the_table_s_with_iris(where, lang, columns):
    option = ["--lang", lang] if lang else []
    rows = records(*where, "entities", "--type", "Chip", *option)
    assert [list(r) for r in rows] == [["name", "iri", "class", *columns]] * len(rows)
    table = table_rows(out(*where, "entities", "--type", "Chip", *option))
    assert [[v for k, v in r.items() if k != "iri"] for r in rows] == table
    assert rows[0]["iri"] == "https://w3id.org/kgraph/resource/graviton"


def test_entities_rows_join_with_the_ranking_s_by_iri(where):
    """entities gave a local name (graviton) or, outside kgr:, a prefixed name (kgf:...), and no IRI, which rank,
    neighbors and communities give: a script could not join its rows with theirs."""
    listed = {r["iri"]: r for r in records(*where, "entities")}
    ranked = records(*where, "rank", "--top", "1000")
    assert len(ranked) > 100
    assert {r["iri"] for r in ranked} == set(listed)


def test_a_cell_with_commas_quotes_and_line_breaks_reads_back_whole(make_kg: MakeKG):
    label = 'Widget, "Pro"\nEdition; 小部件'
    data, ontology = make_kg({"w.trig": PREFIXES + f'kgr:w a kg:Product ; rdfs:label """{label}"""@en , "部件"@zh .\n'})
    base = ["--data", str(data), "--ontology", str(ontology)]
    rows = records(*base, "entities")
    iri = "https://w3id.org/kgraph/resource/w"
    assert rows == [{"name": "w", "iri": iri, "class": "Product", "label_en": label, "label_zh": "部件"}]
    assert records(*base, "rank") == [
        {"rank": 1, "iri": "https://w3id.org/kgraph/resource/w", "entity": label, "class": "kg:Product", "degree": 0}
    ]


def test_the_analyses_rows_keep_a_label_as_the_data_writes_it(make_kg: MakeKG):
    """rank, communities, neighbors and co-usage wrote a label as a terminal shows it: its line break as a space, a
    control character as its picture (a bell as U+2407), where entities, query and the README keep any text."""
    label = 'Acme,\n"Labs"\u0007'
    data, ontology = make_kg(
        {
            "w.trig": PREFIXES
            + f'kgr:acme a kg:Company ; rdfs:label """{label}"""@en , """{label}"""@zh ; kg:uses kgr:p , kgr:q .\n'
            + 'kgr:p a kg:Product ; rdfs:label "P"@en . kgr:q a kg:Product ; rdfs:label "Q"@en .\n'
        }
    )
    base = ["--data", str(data), "--ontology", str(ontology)]
    for lang in ("en", "zh"):
        assert [r["entity"] for r in records(*base, "rank", "--lang", lang)] == [label, "P", "Q"]
        assert [r["entity"] for r in records(*base, "communities", "--lang", lang)] == [label, "P", "Q"]
        assert {r["shared"] for r in records(*base, "communities", "--co-usage", "--lang", lang)} == {label}
        assert [r["entity"] for r in records(*base, "neighbors", "P", "--lang", lang)] == [label]
    chain = records(*base, "neighbors", "P")[0]["chain"]
    assert chain == 'P <-uses- Acme, "Labs"\u2407'  # the chain as printed


def test_an_empty_answer_is_a_header_or_an_empty_array(make_kg: MakeKG):
    data, ontology = make_kg({"w.trig": PREFIXES + 'kgr:w a kg:Product ; rdfs:label "W"@en .\n'})
    base = ["--data", str(data), "--ontology", str(ontology)]
    assert out(*base, "entities", "--type", "Chip", "--format", "json") == "[]\n"
    assert out(*base, "entities", "--type", "Chip", "--format", "csv") == "name,iri,class,label_en,label_zh\r\n"
