"""kgraph export neo4j: what becomes a node, label, property and relationship; types; streaming; the command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal
from rdflib.namespace import XSD

from conftest import MINI_ONTOLOGY, PREFIXES, MakeKG
from kgraph import persist
from kgraph.cli import cli
from kgraph.errors import InputError
from kgraph.export import csv_stream, neo4j, neptune, property_graph
from kgraph.export.files import remove_stale
from kgraph.export.property_graph import literal_kind, text
from kgraph.resources import default_ontology_dir
from kgraph.store import load
from test_neo4j_format import Options, check_folder, read_import_script, read_rows

DATA = (
    PREFIXES
    + """
src:a {
    kgr:acme a kg:Company ; rdfs:label "Acme"@en , "艾克米"@zh ; skos:altLabel "ACME"@en ;
        kg:uses kgr:chip .
    kgr:chip a kg:Chip ; rdfs:label "Chip, \\"the\\" one"@en ; kg:developedBy kgr:maker ;
        kg:value 4.4 ; kg:trainedOn kgr:other .
    kgr:maker a kg:Company ; rdfs:label "Maker"@en .
    kgr:other a kg:AIModel ; kg:partnerOf kgr:nobody .
}
src:b { kgr:acme kg:uses kgr:chip . kgr:acme kg:partnerOf kgr:maker . }
"""
)


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    rows = read_rows(folder / name, Options())
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _exports_in_memory_and_on_a_store(tmp_path: Path, data_dir: Path, ontology_dir: Path) -> Iterator[Path]:
    """The Neo4j files of the graph in memory (``tmp_path/memory``), then of a store built from the same files
    (``tmp_path/on-store``): each folder once it is written."""
    persist.build(tmp_path / "store", data_dir, ontology_dir)
    for loaded, out in (
        (load(data_dir, ontology_dir), tmp_path / "memory"),
        (persist.open_store(tmp_path / "store"), tmp_path / "on-store"),
    ):
        neo4j.export(loaded, out)
        yield out


@pytest.fixture
def small(make_kg, tmp_path) -> Path:
    loaded = load(*make_kg({"d.trig": DATA}))
    out = tmp_path / "out"
    neo4j.export(loaded, out)
    return out


def test_nodes_labels_and_properties(small):
    assert check_folder(small) == []
    entities = {row["iri:ID(Resource)"].rsplit("/", 1)[-1]: row for row in _rows(small, "nodes_Entity.csv")}
    assert set(entities) == {"acme", "chip", "maker", "other"}
    assert entities["chip"][":LABEL"] == "Chip;Hardware;Product;Entity;Resource"
    assert entities["acme"][":LABEL"] == "Company;Organization;Entity;Resource"
    assert entities["acme"]["label_zh:string"] == "艾克米"
    assert entities["acme"]["aliases_en:string[]"] == "ACME"
    assert entities["chip"]["label_en:string"] == 'Chip, "the" one'
    assert entities["chip"]["value:double"] == "4.4"


def test_a_resource_no_one_describes_still_gets_a_node(small):
    (nobody,) = _rows(small, "nodes_Resource.csv")
    assert nobody["iri:ID(Resource)"].endswith("/nobody")
    assert nobody[":LABEL"] == "Resource"


def test_stated_relations_carry_their_types_and_sections(small):
    (uses,) = _rows(small, "relationships_USES.csv")
    assert uses["types:string[]"] == "USES;RELATED_TO"
    assert uses["sections:string[]"].split(";") == [
        "https://w3id.org/kgraph/source/reinvent-2025-keynote/a",
        "https://w3id.org/kgraph/source/reinvent-2025-keynote/b",
    ]
    assert uses["inferred:boolean"] == "false"
    (trained,) = _rows(small, "relationships_TRAINED_ON.csv")
    assert trained["types:string[]"] == "TRAINED_ON;USES;RELATED_TO"


def test_inverses_and_super_properties_are_not_exported_rule_conclusions_are(small):
    names = {p.name for p in small.glob("relationships_*.csv")}
    assert "relationships_USED_BY.csv" not in names  # inverse of a stated relation
    assert "relationships_RELATED_TO.csv" not in names  # super-property of every relation
    assert "relationships_VENDOR_OF.csv" not in names  # inverse of the rule's conclusion
    partners = _rows(small, "relationships_PARTNER_OF.csv")
    assert len(partners) == 2  # as stated; not also the symmetric copies
    customers = _rows(small, "relationships_CUSTOMER_OF.csv")
    assert [(c[":START_ID(Resource)"][-4:], c[":END_ID(Resource)"][-5:]) for c in customers] == [("acme", "maker")]
    assert customers[0]["inferred:boolean"] == "true"
    assert customers[0]["sections:string[]"] == ""


FIGURES = (
    PREFIXES
    + """
src:a {
    kgr:chip a kg:Chip ; kg:hasFigure kgf:linked .
    kgf:stated a kg:Figure ; kg:figureOf kgr:chip .
    kgf:linked a kg:Figure .
    kgf:both a kg:Figure ; kg:figureOf kgr:chip .
}
src:b { kgr:chip kg:hasFigure kgf:linked , kgf:both . }
"""
)


def test_a_figure_is_figure_of_its_entity_whichever_way_the_data_says_it(make_kg, tmp_path):
    """``kgr:x kg:hasFigure kgf:f`` was exported as it was stated, a HAS_FIGURE from the entity, so
    ``(:Figure)-[:FIGURE_OF]->()`` missed the figure; it is FIGURE_OF from the figure, with the sections of both
    statements, in memory and on a store."""
    ontology = {"kgraph.ttl": (default_ontology_dir() / "kgraph.ttl").read_text(encoding="utf-8")}
    data_dir, ontology_dir = make_kg({"d.trig": FIGURES}, ontology)
    in_memory = load(data_dir, ontology_dir)
    persist.build(tmp_path / "store", data_dir, ontology_dir)
    on_store = persist.open_store(tmp_path / "store")
    for loaded, out in ((in_memory, tmp_path / "memory"), (on_store, tmp_path / "store-out")):
        neo4j.export(loaded, out)
        assert not (out / "relationships_HAS_FIGURE.csv").exists()
        found = {
            (row[":START_ID(Resource)"].rsplit("/", 1)[-1], row[":END_ID(Resource)"].rsplit("/", 1)[-1]): (
                [section.rsplit("/", 1)[-1] for section in row["sections:string[]"].split(";")],
                row["inferred:boolean"],
            )
            for row in _rows(out, "relationships_FIGURE_OF.csv")
        }
        assert found == {
            ("both", "chip"): (["a", "b"], "false"),
            ("linked", "chip"): (["a", "b"], "false"),
            ("stated", "chip"): (["a"], "false"),
        }
    assert neo4j.render(on_store) == neo4j.render(in_memory)


def test_a_rule_conclusion_that_is_also_stated_is_not_doubled(make_kg, tmp_path):
    """The mini ontology marks no preferred direction: the stated kg:vendorOf is written as stated."""
    data = DATA.replace("kgr:acme kg:partnerOf kgr:maker .", "kgr:maker kg:vendorOf kgr:acme .")
    neo4j.export(load(*make_kg({"d.trig": data})), tmp_path / "out")
    assert not (tmp_path / "out" / "relationships_CUSTOMER_OF.csv").exists()
    (vendor,) = _rows(tmp_path / "out", "relationships_VENDOR_OF.csv")
    assert vendor["inferred:boolean"] == "false"


def test_a_rule_conclusion_stated_the_other_way_is_one_stated_relationship(make_kg, tmp_path):
    """With kg:customerOf marked as the direction to write, ``maker kg:vendorOf acme`` is the CUSTOMER_OF the
    rule concludes too: one relationship, stated, with its section, and no VENDOR_OF."""
    data = DATA.replace("kgr:acme kg:partnerOf kgr:maker .", "kgr:maker kg:vendorOf kgr:acme .")
    neo4j.export(load(*make_kg({"d.trig": data}, {"kgraph.ttl": MARKED_MINI_ONTOLOGY})), tmp_path / "out")
    assert not (tmp_path / "out" / "relationships_VENDOR_OF.csv").exists()
    (customer,) = _rows(tmp_path / "out", "relationships_CUSTOMER_OF.csv")
    assert (customer[":START_ID(Resource)"][-4:], customer[":END_ID(Resource)"][-5:]) == ("acme", "maker")
    assert customer["inferred:boolean"] == "false"
    assert customer["sections:string[]"] == "https://w3id.org/kgraph/source/reinvent-2025-keynote/b"


#: The mini ontology with the direction of each inverse pair marked, as the bundled ontology marks it.
MARKED_MINI_ONTOLOGY = MINI_ONTOLOGY + "".join(
    f"kg:{name} kg:preferredDirection true .\n" for name in ("uses", "trainedOn", "developedBy", "customerOf")
)

PASSIVE = (
    PREFIXES
    + """
src:a {
    kgr:acme a kg:Company . kgr:aws a kg:Company . kgr:someone a kg:Person . kgr:boss a kg:Person .
    kgr:bedrock a kg:Service . kgr:cluster a kg:Service . kgr:model a kg:AIModel .
    kgr:trainium2 a kg:Chip . kgr:trainium3 a kg:Chip .
    kgr:bedrock kg:usedBy kgr:acme .
    kgr:trainium2 kg:succeededBy kgr:trainium3 .
    kgr:aws kg:employs kgr:someone ; kg:ledBy kgr:boss .
    kgr:cluster kg:trained kgr:model .
    kgr:acme kg:partnerOf kgr:aws .
}
src:b { kgr:acme kg:uses kgr:bedrock . kgr:trainium3 kg:succeeds kgr:trainium2 . }
"""
)


def _relationships(out: Path) -> dict[tuple[str, str, str], tuple[str, list[str], str]]:
    """``(start, type, end)`` (local names) -> ``(types, sections by local name, inferred)``."""
    found = {}
    for path in sorted(out.glob("relationships_*.csv")):
        for row in _rows(out, path.name):
            key = tuple(row[c].rsplit("/", 1)[-1] for c in (":START_ID(Resource)", ":TYPE", ":END_ID(Resource)"))
            sections = [s.rsplit("/", 1)[-1] for s in row["sections:string[]"].split(";") if s]
            found[key] = (row["types:string[]"], sections, row["inferred:boolean"])
    return found


def test_a_relation_stated_the_passive_way_is_written_the_preferred_way(make_kg, tmp_path):
    """``kgr:bedrock kg:usedBy kgr:acme`` was written as it was stated, a USED_BY from Bedrock, so
    ``'USES' IN r.types`` missed that use (and SUCCEEDED_BY, EMPLOYS, TRAINED likewise). Each is now the
    property the ontology marks kg:preferredDirection, from the other end, with the types of that property (a
    sub-property's too: kg:trained is TRAINED_ON, a kind of USES) and the sections of both directions when both
    are stated; the symmetric PARTNER_OF stays as stated. In memory, on a store and for Neptune alike."""
    ontology = {"kgraph.ttl": (default_ontology_dir() / "kgraph.ttl").read_text(encoding="utf-8")}
    data_dir, ontology_dir = make_kg({"d.trig": PASSIVE}, ontology)
    in_memory = load(data_dir, ontology_dir)
    persist.build(tmp_path / "store", data_dir, ontology_dir)
    on_store = persist.open_store(tmp_path / "store")
    expected = {
        ("acme", "USES", "bedrock"): ("USES;RELATED_TO", ["a", "b"], "false"),
        ("trainium3", "SUCCEEDS", "trainium2"): ("SUCCEEDS;RELATED_TO", ["a", "b"], "false"),
        ("someone", "WORKS_FOR", "aws"): ("WORKS_FOR;RELATED_TO", ["a"], "false"),
        ("boss", "LEADS", "aws"): ("LEADS;WORKS_FOR;RELATED_TO", ["a"], "false"),
        ("model", "TRAINED_ON", "cluster"): ("TRAINED_ON;USES;RELATED_TO", ["a"], "false"),
        ("acme", "PARTNER_OF", "aws"): ("PARTNER_OF;RELATED_TO", ["a"], "false"),
    }
    for loaded, out in ((in_memory, tmp_path / "memory"), (on_store, tmp_path / "store-out")):
        neo4j.export(loaded, out)
        assert check_folder(out) == []
        found = _relationships(out)
        assert {key: value for key, value in found.items() if key[1] != "WAS_DERIVED_FROM"} == expected
    assert neo4j.render(on_store) == neo4j.render(in_memory)
    assert neptune.render(on_store) == neptune.render(in_memory)
    neptune_rows = neptune.render(in_memory)["neptune/relationships.csv"].decode("utf-8")
    assert "USED_BY" not in neptune_rows
    assert "SUCCEEDED_BY" not in neptune_rows


def test_an_inverse_pair_marked_both_ways_is_bad_input(make_kg):
    ontology = MARKED_MINI_ONTOLOGY + "kg:usedBy kg:preferredDirection true .\n"
    loaded = load(*make_kg({"d.trig": DATA}, {"kgraph.ttl": ontology}))
    with pytest.raises(InputError, match=r"marks both kg:usedBy and kg:uses kg:preferredDirection"):
        neo4j.render(loaded)


def test_an_inverse_pair_marked_both_ways_exits_2_with_one_line(make_kg, tmp_path):
    ontology = MARKED_MINI_ONTOLOGY + "kg:usedBy kg:preferredDirection true .\n"
    data_dir, ontology_dir = make_kg({"d.trig": DATA}, {"kgraph.ttl": ontology})
    out = tmp_path / "out"
    options = ["--data", str(data_dir), "--ontology", str(ontology_dir), "export", "neo4j", "--out", str(out)]
    result = CliRunner().invoke(cli, options)
    assert result.exit_code == 2
    assert not list(out.glob("*.csv"))
    assert result.stderr.splitlines()[-1] == (
        "Error: the ontology marks both kg:usedBy and kg:uses kg:preferredDirection, and one is the inverse of the "
        "other: remove the mark from the one the exports should not write"
    )


@pytest.mark.parametrize(
    ("literal", "kind", "written"),
    [
        (Literal(7), "long", "7"),
        (Literal("007", datatype=XSD.integer), "long", "7"),
        (Literal(2**70), "string", str(2**70)),
        (Literal("4.40", datatype=XSD.decimal), "double", "4.4"),
        (Literal("1e22", datatype=XSD.double), "double", "1e+22"),
        (Literal("INF", datatype=XSD.double), "double", "Infinity"),
        (Literal("NaN", datatype=XSD.double), "double", "NaN"),
        (Literal("1", datatype=XSD.boolean), "boolean", "true"),
        (Literal("2025-12-02", datatype=XSD.date), "date", "2025-12-02"),
        (Literal("2025-12-02T10:30:00+01:00", datatype=XSD.dateTime), "datetime", "2025-12-02T10:30:00+01:00"),
        (Literal("2025-12-02T10:30:00", datatype=XSD.dateTime), "localdatetime", "2025-12-02T10:30:00"),
        (Literal("10:30:00+01:00", datatype=XSD.time), "time", "10:30:00+01:00"),
        (Literal("PT5M30S", datatype=XSD.duration), "duration", "PT5M30S"),
        # XSD 1.1's durations of days and seconds, and of months (they were strings)
        (Literal("PT36H", datatype=XSD.dayTimeDuration), "duration", "P1DT12H"),
        (Literal("P14M", datatype=XSD.yearMonthDuration), "duration", "P1Y2M"),
        # Past nanoseconds, which Neo4j's parsers refuse: kept whole, as text.
        (
            Literal("2025-12-02T10:30:00.1234567891Z", datatype=XSD.dateTime),
            "string",
            "2025-12-02T10:30:00.1234567891Z",
        ),
        (Literal("2025-12-02T10:30:00.0000000001", datatype=XSD.dateTime), "string", "2025-12-02T10:30:00.0000000001"),
        (Literal("10:30:00.0000000001+01:00", datatype=XSD.time), "string", "10:30:00.0000000001+01:00"),
        (Literal("10:30:00.1234567890", datatype=XSD.time), "localtime", "10:30:00.123456789"),
        (Literal("-P1D", datatype=XSD.duration), "string", "-P1D"),
        (Literal("abc", datatype=XSD.integer), "string", "abc"),
        (Literal("x", lang="en"), "string", "x"),
        (Literal("x", datatype=XSD.anyURI), "string", "x"),
    ],
)
def test_rdf_datatypes_become_neo4j_types(literal, kind, written):
    assert literal_kind(literal) == kind
    assert text(literal, kind) == written


#: Durations at the edges of XSD's lexical form (``P``, then at least one part, and one after a ``T``): the kind of
#: an xsd:duration, and the text written for each of the three duration datatypes (None: ill-typed there, written
#: as it is). A negative xsd:duration is valid but stays a ``string``, as the export has always written it.
DURATION_EDGES = [
    ("P1Y", "duration", ("P1Y", None, "P1Y")),
    ("PT1.5S", "duration", ("PT1.5S", "PT1.5S", None)),
    ("P0D", "duration", ("PT0S", "PT0S", None)),
    ("PT0S", "duration", ("PT0S", "PT0S", None)),
    ("P00Y0M", "duration", ("PT0S", None, "P0M")),
    ("P1DT0H0.50S", "duration", ("P1DT0.5S", "P1DT0.5S", None)),
    ("PT90M", "duration", ("PT1H30M", "PT1H30M", None)),
    ("PT0.1234567890S", "duration", ("PT0.123456789S", "PT0.123456789S", None)),
    ("PT0.0000000001S", "string", ("PT0.0000000001S", "PT0.0000000001S", None)),  # past nanoseconds: Neo4j refuses it
    ("P1DT1.1234567891S", "string", ("P1DT1.1234567891S", "P1DT1.1234567891S", None)),
    *(  # past Python's 28 significant digits: every one is kept
        (
            f"{lead}1.12345678901234567890123456789S",
            "string",
            (f"{lead}1.12345678901234567890123456789S",) * 2 + (None,),
        )
        for lead in ("PT", "P1DT")
    ),
    ("PT.5S", "duration", ("PT0.5S", "PT0.5S", None)),  # XSD's seconds may have a point at either end
    ("PT5.S", "duration", ("PT5S", "PT5S", None)),
    ("P1DT1M.25S", "duration", ("P1DT1M0.25S", "P1DT1M0.25S", None)),
    ("-PT.5S", "string", ("-PT0.5S", "-PT0.5S", None)),
    ("-P1D", "string", ("-P1D", "-P1D", None)),
    ("-PT0S", "string", ("PT0S", "PT0S", None)),
    ("-P1Y2M", "string", ("-P1Y2M", None, "-P1Y2M")),
    *((form, "string", (None, None, None)) for form in ("P", "PT", "-P", "P1DT", "PTS", "PT.S", "P.5S", "PT1H.")),
    *((form, "string", (None, None, None)) for form in ("+P1D", "P-1D", "P1W", "PT1,5S", "pt1s", " P1D", "P\u0661D")),
]


@pytest.mark.parametrize(("lexical", "kind", "written"), DURATION_EDGES)
def test_a_duration_is_a_neo4j_duration_only_in_xsd_form_and_not_negative(lexical, kind, written):
    assert literal_kind(Literal(lexical, datatype=XSD.duration)) == kind
    for datatype, expected in zip((XSD.duration, XSD.dayTimeDuration, XSD.yearMonthDuration), written, strict=True):
        literal = Literal(lexical, datatype=datatype)
        assert literal.ill_typed is (expected is None)
        assert literal_kind(literal) == ("string" if expected is None else kind), datatype
        assert property_graph.canonical(literal) == (lexical if expected is None else expected)
        assert text(literal, "string") == property_graph.canonical(literal)


def test_a_long_in_a_double_column_is_written_as_a_double():
    assert property_graph.join_kinds("long", "double") == "double"
    assert property_graph.join_kinds("long", "date") == "string"
    assert text(Literal(1000000), "double") == "1000000.0"


def test_numbers_neo4j_cannot_hold_exactly_are_written_as_readme_says(make_kg, tmp_path):
    """Neo4j has no decimal type and no integer past 64 bits (README, "What becomes what"): a decimal is the
    nearest double, whose shortest text keeps up to 15 significant digits and no more; so is an integer in a
    column that a decimal makes double, exact only up to 2**53; an integer past 64 bits turns its column to
    string for every node, small values included. Neptune's types are the same."""
    data = DATA.replace("kg:value 4.4 ;", "kg:value 4.4 ; kg:fromValue 18446744073709551616 ; kg:order 2 ;").replace(
        'rdfs:label "Maker"@en .',
        'rdfs:label "Maker"@en ; kg:value 12345678901234567890.5 ; kg:fromValue 3 ; kg:order 9007199254740993 .',
    )
    loaded = load(*make_kg({"d.trig": data}))
    neo4j.export(loaded, tmp_path / "neo4j")
    rows = {row["iri:ID(Resource)"].rsplit("/", 1)[-1]: row for row in _rows(tmp_path / "neo4j", "nodes_Entity.csv")}
    assert (rows["chip"]["value:double"], rows["maker"]["value:double"]) == ("4.4", "1.2345678901234567e+19")
    assert (rows["chip"]["order:long"], rows["maker"]["order:long"]) == ("2", "9007199254740993")
    assert (rows["chip"]["fromValue:string"], rows["maker"]["fromValue:string"]) == ("18446744073709551616", "3")
    for number in ("0.1", "123456789012.345", "0.000123456789012345"):  # 15 significant digits at most
        assert text(Literal(number, datatype=XSD.decimal), "double") == number
    assert text(Literal(2**53 + 1), "double") == "9007199254740992.0"
    assert property_graph.join_kinds("long", "double") == "double"
    neptune.export(loaded, tmp_path / "neptune")
    header = (tmp_path / "neptune" / "nodes_Entity.csv").read_text("utf-8").splitlines()[0].split(",")
    assert {"value:Double", "order:Long", "fromValue:String"} <= set(header)


def test_a_language_tag_with_a_region_is_a_column_of_its_own_as_the_readme_says(make_kg, tmp_path):
    data = DATA.replace('"艾克米"@zh', '"艾克米"@zh-CN')
    neo4j.export(load(*make_kg({"d.trig": data})), tmp_path / "out")
    assert check_folder(tmp_path / "out") == []
    acme = next(row for row in _rows(tmp_path / "out", "nodes_Entity.csv") if row["iri:ID(Resource)"].endswith("/acme"))
    assert acme["label_zh_cn:string"] == "艾克米"
    assert "label_zh:string" not in acme
    readme = " ".join(Path(__file__).parent.parent.joinpath("README.md").read_text("utf-8").split())
    assert '`"..."@zh-CN` is `label_zh_cn`' in readme


def test_a_semicolon_in_an_alias_moves_the_array_delimiter(make_kg, tmp_path):
    data = DATA.replace('skos:altLabel "ACME"@en', 'skos:altLabel "A;B"@en , "C|D"@en , "E"@en')
    summary = neo4j.export(load(*make_kg({"d.trig": data})), tmp_path / "out")
    assert summary.array_delimiter == "\x1f"
    assert read_import_script(tmp_path / "out").array_delimiter == "\x1f"
    assert check_folder(tmp_path / "out") == []
    assert "split(row.`aliases_en:string[]`, '\\u001f')" in (tmp_path / "out" / "load.cypher").read_text("utf-8")


def _exported_with_a_long_field(make_kg: MakeKG, tmp_path: Path) -> tuple[Path, Path]:
    """The folders of two exports: of DATA, and of DATA with a description of 5 MB."""
    plain = tmp_path / "plain"
    neo4j.export(load(*make_kg({"d.trig": DATA})), plain)
    long_text = "x" * 5_000_000
    data = DATA.replace('rdfs:label "Maker"@en', f'rdfs:label "Maker"@en ; schema:description "{long_text}"@en')
    out = tmp_path / "out"
    neo4j.export(load(*make_kg({"d.trig": data})), out)
    return plain, out


def test_a_field_over_four_mib_gets_a_read_buffer_that_holds_it(make_kg, tmp_path):
    """neo4j-admin reads each field into a buffer of 4 MiB unless --read-buffer-size says more: the import of a
    5 MB description failed. import.sh now asks for twice the biggest field."""
    plain, out = _exported_with_a_long_field(make_kg, tmp_path)
    assert "--read-buffer-size" not in (plain / "import.sh").read_text("utf-8")
    assert "--read-buffer-size=10m" in (out / "import.sh").read_text("utf-8")
    assert read_import_script(out).read_buffer == 10 << 20
    assert check_folder(out) == []
    (out / "import.sh").write_text((out / "import.sh").read_text("utf-8").replace("--read-buffer-size=10m", ""))
    assert any("over the read buffer" in problem for problem in check_folder(out))


def test_a_row_over_four_mib_with_multiline_fields_gets_a_read_buffer_that_holds_it(make_kg, tmp_path):
    """With --multiline-fields=true, neo4j-admin must hold a whole row in its buffer (its manual, "Importing data
    that spans multiple lines"): three values of 1.6 MB, one with a line break, made a row of 4.8 MB, and import.sh
    asked for no buffer, since no field passed 2 MiB."""
    big = "x" * 1_600_000
    values = f'schema:description "{big}\\nand a second line"@en , "{big}"@zh ; rdfs:comment "{big}"@en'
    multiline = tmp_path / "multiline"
    neo4j.export(
        load(*make_kg({"d.trig": DATA.replace('rdfs:label "Maker"@en', f'rdfs:label "Maker"@en ; {values}')})),
        multiline,
    )
    script = read_import_script(multiline)
    assert script.multiline
    assert script.read_buffer == 10 << 20, (multiline / "import.sh").read_text("utf-8")
    assert check_folder(multiline) == []
    (multiline / "import.sh").write_text(
        (multiline / "import.sh").read_text("utf-8").replace("--read-buffer-size=10m", "")
    )
    assert any("a row of" in problem and "over the read buffer" in problem for problem in check_folder(multiline))


def test_a_line_over_four_mib_without_multiline_fields_gets_a_read_buffer_that_holds_it(make_kg, tmp_path):
    """Without multiline fields, neo4j-admin cuts a file into chunks of --read-buffer-size characters, each ending
    at the last newline in it (its ClosestNewLineChunker), and fails with "Weird input data, no newline character
    in the whole buffer" when a line does not fit: a whole line must fit, not just its biggest field. Descriptions
    of 1.9 MiB in English, Chinese and German made a line of 5.7 MiB, and import.sh asked for no buffer, since no
    field passed 2 MiB. It now asks for twice the widest line, as with multiline fields."""
    size = 1_992_294  # 1.9 MiB of UTF-8 in each language
    en, zh, de = "x" * size, "中" * (size // 3), "ü" * (size // 2)
    values = f'schema:description "{en}"@en , "{zh}"@zh , "{de}"@de'
    out = tmp_path / "out"
    neo4j.export(
        load(*make_kg({"d.trig": DATA.replace('rdfs:label "Maker"@en', f'rdfs:label "Maker"@en ; {values}')})), out
    )
    script = read_import_script(out)
    assert not script.multiline
    assert script.read_buffer == 12 << 20, (out / "import.sh").read_text("utf-8")
    assert check_folder(out) == []
    (out / "import.sh").write_text((out / "import.sh").read_text("utf-8").replace("--read-buffer-size=12m", ""))
    assert any("a row of" in problem and "over the read buffer" in problem for problem in check_folder(out))


@pytest.mark.parametrize("name", [neo4j.LOAD_SCRIPT, neo4j.LEGACY_LOAD_SCRIPT])
def test_load_cypher_asks_for_a_csv_buffer_that_holds_the_longest_field(make_kg, tmp_path, name):
    """LOAD CSV reads each field into a buffer of db.import.csv.buffer_size, 2 MiB unless neo4j.conf says more
    (Neo4j's error 22N49, "CSV buffer size overflow"): the 5 MB description failed there, and load.cypher, which says
    what else the server needs, did not say so. The setting is named as Neo4j 5 and later name it: it said
    dbms.import.csv.buffer_size, the name of Neo4j 4, which Neo4j 5 reads only as a deprecated setting."""
    plain, out = _exported_with_a_long_field(make_kg, tmp_path)
    assert "buffer_size" not in (plain / name).read_text("utf-8")
    script = (out / name).read_text("utf-8")
    assert f"//   db.import.csv.buffer_size={10 << 20}\n" in script
    assert "dbms." not in script
    assert script.index("buffer_size") < script.index("CREATE CONSTRAINT")


def _stand_in_admin(tmp_path: Path, body: str) -> dict[str, str]:
    """The environment of a neo4j-admin stand-in on NEO4J_HOME, a shell script of ``body``."""
    home = tmp_path / "neo4j-home"
    (home / "bin").mkdir(parents=True)
    admin = home / "bin" / "neo4j-admin"
    admin.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    admin.chmod(0o755)
    return {**os.environ, "NEO4J_HOME": str(home)}


def _run_import_script(folder: Path, tmp_path: Path, *args: str) -> list[str]:
    """The arguments ``sh import.sh ARGS`` gives neo4j-admin (a stand-in that prints them)."""
    env = _stand_in_admin(tmp_path, 'for a in "$@"; do printf "%s\\n" "$a"; done')
    done = subprocess.run(["sh", str(folder / "import.sh"), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


@pytest.mark.parametrize(
    ("args", "database", "extra"),
    [
        ((), "neo4j", []),
        (("kg",), "kg", []),
        (("kg", "--overwrite-destination=true"), "kg", ["--overwrite-destination=true"]),
        (("--overwrite-destination=true",), "neo4j", ["--overwrite-destination=true"]),
    ],
)
def test_import_sh_names_the_database_before_the_files(small, tmp_path, args, database, extra):
    """From Neo4j 5.19 on, neo4j-admin reads a database name after the last --relationships=FILE as another file
    of it ("File 'neo4j' doesn't exist"): the name must come first, as the operations manual's examples have it.
    import.sh also took no option, so the README's --overwrite-destination=true could not be added."""
    given = _run_import_script(small, tmp_path, *args)
    assert given[:4] == ["database", "import", "full", database]
    assert [a for a in given if not a.startswith("--")] == ["database", "import", "full", database]
    files = [i for i, a in enumerate(given) if a.startswith(("--nodes=", "--relationships="))]
    assert files == list(range(files[0], len(given)))  # the files last, nothing after them
    assert [a for a in given if a in extra] == extra
    assert "--array-delimiter=;" in given


@pytest.mark.parametrize("folder", ["-x", "--help"])
def test_import_sh_goes_into_a_folder_whose_name_starts_with_a_dash(small, tmp_path, folder):
    """`export neo4j --out -x` wrote an import.sh whose `cd "$(dirname "$0")"` read the folder's name as options
    when run as `sh -- -x/import.sh`: dirname failed, `cd ""` stayed where the user was, and neo4j-admin was given
    file names relative to the wrong folder."""
    shutil.copytree(small, tmp_path / folder)
    env = _stand_in_admin(tmp_path, "pwd")
    done = subprocess.run(
        ["sh", "--", f"{folder}/import.sh"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert Path(done.stdout.strip()) == (tmp_path / folder).resolve()
    assert done.stderr == ""


def test_import_sh_names_the_neo4j_releases_readme_names(small):
    """import.sh said "a new Neo4j 5 database" while the README and `--help` said Neo4j 5 and later (5.x, 2025.x,
    2026.x): a user of 2026.x read that the script was not for them. Its first comment names the releases that
    the README's table of exports names."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    releases = re.search(r"the property graph for Neo4j \(([^)]*)\)", readme)
    assert releases is not None
    assert releases[1] in (small / "import.sh").read_text("utf-8").split("\n")[1]


def test_the_readme_names_the_type_of_each_kind_of_array(make_kg, tmp_path):
    """A predicate with several values on a node is an array of its values' type, `long[]`, `date[]` ...; the
    README's "What becomes what" said every such array was a `string[]`."""
    values = (
        'kg:count 1 , 2 ; kg:ratio 1.5e0 , 2.5e0 ; kg:flag true , false ; kg:note "a" , "b" ; '
        'kg:day "2025-01-01"^^xsd:date , "2025-01-02"^^xsd:date'
    )
    data = PREFIXES + f"src:a {{ kgr:acme a kg:Company ; {values} . }}"
    neo4j.export(load(*make_kg({"d.trig": data})), tmp_path)
    header = read_rows(tmp_path / "nodes_Entity.csv", Options())[0]
    arrays = {entry.split(":", 1)[1] for entry in header if entry.endswith("[]")}
    assert arrays == {"long[]", "double[]", "boolean[]", "string[]", "date[]"}
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    properties = readme.split("- **Properties**", 1)[1].split("\n- **", 1)[0]
    assert arrays <= set(re.findall(r"`(\w+\[\])`", properties))


def _statements(script: str) -> list[str]:
    """The statements of a load script, without its comments."""
    lines = [line for line in script.splitlines(keepends=True) if not line.startswith("//")]
    return [s.strip() for s in "".join(lines).split(";\n") if s.strip()]


def _subquery(statement: str) -> list[str]:
    """The lines inside a statement's ``CALL ... { ... } IN TRANSACTIONS``."""
    return statement.split("{\n", 1)[1].rsplit("}", 1)[0].strip().splitlines()


@pytest.mark.parametrize("name", [neo4j.LOAD_SCRIPT, neo4j.LEGACY_LOAD_SCRIPT])
def test_no_statement_of_load_cypher_ends_with_with(small, name):
    """Cypher refuses a query that ends with WITH ("Query cannot conclude with WITH"): the statement for
    nodes_Resource.csv (nodes without a kg: class, here kgr:nobody) ended its subquery with one, so cypher-shell
    stopped there and loaded no relationship."""
    statements = _statements((small / name).read_text("utf-8"))
    assert any("nodes_Resource.csv" in statement for statement in statements)
    for statement in statements[1:]:
        body = _subquery(statement)
        assert not body[-1].lstrip().startswith("WITH"), statement
        withs = sum(line.lstrip().startswith("WITH") for line in body)
        assert withs in ((0, 1) if name == neo4j.LOAD_SCRIPT else (1, 2)), statement


def test_load_cypher_imports_the_row_with_a_variable_scope_clause(small):
    """CALL { WITH row ... } is deprecated from Neo4j 5.23 on, under Cypher 5 and Cypher 25 alike: every statement
    warned. load.cypher imports the row with CALL (row) { ... } (5.23 and later); load-before-5.23.cypher keeps the
    importing WITH for 5.0 to 5.22, and is otherwise the same statements."""
    current = _statements((small / neo4j.LOAD_SCRIPT).read_text("utf-8"))
    legacy = _statements((small / neo4j.LEGACY_LOAD_SCRIPT).read_text("utf-8"))
    constraint = "CREATE CONSTRAINT resource_iri IF NOT EXISTS FOR (n:Resource) REQUIRE n.iri IS UNIQUE"
    assert current[0] == legacy[0] == constraint
    loads = current[1:]
    assert len(loads) == len(list(small.glob("nodes_*.csv"))) + len(list(small.glob("relationships_*.csv")))
    for statement in loads:
        lines = statement.splitlines()
        assert lines[0].startswith("LOAD CSV WITH HEADERS FROM 'file:///") and lines[0].endswith("' AS row")
        assert lines[1] == "CALL (row) {", statement
        assert "WITH row" not in statement and "CALL {" not in statement
        assert lines[-1] == f"}} IN TRANSACTIONS OF {neo4j.BATCH} ROWS"
    assert [s.replace("CALL (row) {\n", "CALL {\n  WITH row\n") for s in current] == legacy
    assert all(s.splitlines()[1:3] == ["CALL {", "  WITH row"] for s in legacy[1:])
    header = (small / neo4j.LOAD_SCRIPT).read_text("utf-8").split("CREATE CONSTRAINT")[0]
    assert "Neo4j 5.23 or later" in header and neo4j.LEGACY_LOAD_SCRIPT in header


def test_load_cypher_asks_for_rfc_4180_quoting_when_a_value_holds_a_backslash(make_kg, tmp_path):
    """LOAD CSV reads \\" as an escaped quote unless db.import.csv.legacy_quote_escaping=false: a value ending
    in a backslash ran on into the next field. (Named as Neo4j 5 and later name it, not dbms.import.csv...)"""
    plain = tmp_path / "plain"
    neo4j.export(load(*make_kg({"d.trig": DATA})), plain)
    assert "legacy_quote_escaping" not in (plain / "load.cypher").read_text("utf-8")
    data = DATA.replace('rdfs:label "Maker"@en', 'rdfs:label "C:\\\\Program Files\\\\Maker\\\\"@en')
    out = tmp_path / "out"
    neo4j.export(load(*make_kg({"d.trig": data})), out)
    assert "Program Files\\Maker\\" in (out / "nodes_Entity.csv").read_text("utf-8")
    for name in (neo4j.LOAD_SCRIPT, neo4j.LEGACY_LOAD_SCRIPT):
        assert "//   db.import.csv.legacy_quote_escaping=false\n" in (out / name).read_text("utf-8")
    assert check_folder(out) == []


def test_a_line_break_turns_multiline_fields_on(make_kg, tmp_path):
    data = DATA.replace('rdfs:label "Maker"@en', 'rdfs:label """Two\nlines"""@en')
    summary = neo4j.export(load(*make_kg({"d.trig": data})), tmp_path / "out")
    assert summary.multiline
    assert "--multiline-fields=true" in (tmp_path / "out" / "import.sh").read_text("utf-8")
    assert check_folder(tmp_path / "out") == []


def test_no_usable_delimiter_is_an_error(make_kg):
    aliases = " , ".join(f'"x{c}y"@en' for c in property_graph.WATCHED_CHARACTERS)
    loaded = load(*make_kg({"d.trig": DATA.replace('"ACME"@en', aliases)}))
    with pytest.raises(InputError, match="every array delimiter"):
        neo4j.write(loaded, csv_stream.MemorySink())


def test_blank_nodes_get_blank_node_ids(make_kg, tmp_path):
    data = DATA.replace(
        'kgr:maker a kg:Company ; rdfs:label "Maker"@en .', "kgr:maker a kg:Company ; kg:uses [ a kg:Chip ] ."
    )
    neo4j.export(load(*make_kg({"d.trig": data})), tmp_path / "out")
    ids = [row["iri:ID(Resource)"] for row in _rows(tmp_path / "out", "nodes_Entity.csv")]
    assert [i for i in ids if i.startswith("_:")]
    assert check_folder(tmp_path / "out") == []
    assert property_graph.node_id(BNode("b0")) == "_:b0"


# ------------------------------------------------------------------------------------------------ file names

#: Two top classes and two relationship types whose names differ only in case (``Gadget``/``gadget``;
#: ``NS_USES``/``ns_USES``, ``ex:uses`` giving way to ``kg:uses``), which a case-insensitive file system (macOS,
#: Windows) made one file, and two of each that are one name once sanitised (``Gad-get``/``Gad_get``: one file,
#: both kept; ``USES_X`` from ``kg:usesX`` and ``kg:uses_x``: the second is ``kg_USES_X``).
CASE_ONTOLOGY = (
    MINI_ONTOLOGY
    + """
kg:Gadget a owl:Class ; rdfs:label "Gadget"@en .
kg:gadget a owl:Class ; rdfs:label "gadget"@en .
kg:Gad-get a owl:Class ; rdfs:label "Gad-get"@en .
kg:Gad_get a owl:Class ; rdfs:label "Gad_get"@en .
kg:nsUses a owl:ObjectProperty ; rdfs:label "ns uses"@en .
kg:usesX a owl:ObjectProperty ; rdfs:label "uses X"@en .
kg:uses_x a owl:ObjectProperty ; rdfs:label "uses x"@en .
"""
)
CASE_DATA = (
    PREFIXES
    + """@prefix ex: <http://example.org/vocabulary#> .
src:a {
    kgr:g1 a kg:Gadget ; kg:uses kgr:g2 ; ex:uses kgr:g3 ; kg:nsUses kgr:g2 ; kg:usesX kgr:g2 ; kg:uses_x kgr:g3 .
    kgr:g2 a kg:gadget ; ex:uses kgr:g1 .
    kgr:g3 a kg:gadget ; kg:nsUses kgr:g1 .
    kgr:h1 a kg:Gad-get ; kg:usesX kgr:h2 .
    kgr:h2 a kg:Gad_get .
}
"""
)
#: Each node of :data:`CASE_DATA` (by local name) with its labels, and every relationship, as exported.
CASE_NODES = {
    "g1": "Gadget;Resource",
    "g2": "gadget;Resource",
    "g3": "gadget;Resource",
    "h1": "Gad_get;Resource",
    "h2": "Gad_get;Resource",
}
CASE_RELATIONSHIPS = {
    ("g1", "USES", "g2"),
    ("g1", "ns_USES", "g3"),
    ("g2", "ns_USES", "g1"),
    ("g1", "NS_USES", "g2"),
    ("g3", "NS_USES", "g1"),
    ("g1", "USES_X", "g2"),
    ("h1", "USES_X", "h2"),
    ("g1", "kg_USES_X", "g3"),
}


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _exported_apart(make_kg: MakeKG, tmp_path: Path, export: Callable[..., Any]) -> tuple[Path, list[str]]:
    """The names that differ only in case exported by ``export`` (neo4j's or neptune's) into ``tmp_path/out``: the
    folder, and the names of the files in it, sorted, which are those the summary lists and differ under casefold."""
    loaded = load(*make_kg({"d.trig": CASE_DATA}, ontology={"kgraph.ttl": CASE_ONTOLOGY}))
    out = tmp_path / "out"
    summary = export(loaded, out)
    written = sorted(path.name for path in out.iterdir())
    assert sorted(summary.files) == written
    assert len({name.casefold() for name in written}) == len(written)
    return out, written


def test_names_that_differ_only_in_case_get_files_whose_names_differ_under_casefold(make_kg, tmp_path):
    out, written = _exported_apart(make_kg, tmp_path, neo4j.export)
    assert [name for name in written if name.endswith(".csv")] == [
        "nodes_Gad_get.csv",
        "nodes_Gadget.csv",
        "nodes_gadget-4e5aa69a.csv",  # the first 8 hexadecimal digits of the SHA-256 of "gadget"
        "relationships_NS_USES.csv",
        "relationships_USES.csv",
        "relationships_USES_X.csv",
        "relationships_kg_USES_X.csv",
        "relationships_ns_USES-92614786.csv",
    ]
    assert check_folder(out) == []
    # import.sh and load.cypher name every file once; each row is in one of them, the types as they were.
    options = read_import_script(out)
    assert sorted(options.nodes + options.relationships) == [n for n in written if n.endswith(".csv")]
    loads = re.findall(r"LOAD CSV WITH HEADERS FROM 'file:///([^']+)'", (out / neo4j.LOAD_SCRIPT).read_text("utf-8"))
    assert sorted(loads) == sorted(options.nodes + options.relationships)
    nodes = [(_local(r["iri:ID(Resource)"]), r[":LABEL"]) for n in options.nodes for r in _rows(out, n)]
    assert sorted(nodes) == sorted(CASE_NODES.items())
    relationships = [
        (_local(r[":START_ID(Resource)"]), r[":TYPE"], _local(r[":END_ID(Resource)"]))
        for name in options.relationships
        for r in _rows(out, name)
    ]
    assert sorted(relationships) == sorted(CASE_RELATIONSHIPS)


def test_neptune_node_files_whose_names_differ_only_in_case_get_files_apart(make_kg, tmp_path):
    out, written = _exported_apart(make_kg, tmp_path, neptune.export)
    node_files = [name for name in written if name.startswith("nodes_")]
    assert node_files == ["nodes_Gad_get.csv", "nodes_Gadget.csv", "nodes_gadget-4e5aa69a.csv"]
    nodes = [(_local(r["iri:ID"]), r[":LABEL"]) for name in node_files for r in _rows(out, name)]
    assert sorted(nodes) == sorted(CASE_NODES.items())
    rows = _rows(out, neptune.RELATIONSHIP_FILE)
    relationships = [(_local(r[":START_ID"]), r[":TYPE"], _local(r[":END_ID"])) for r in rows]
    assert sorted(relationships) == sorted(CASE_RELATIONSHIPS)


def test_file_stems_keep_the_first_name_of_each_case_group_and_mark_the_others():
    stems = property_graph.file_stems(["chip", "Chip", "CHIP", "Entity", "chip"])
    assert stems == {"CHIP": "CHIP", "Chip": "Chip-72238908", "Entity": "Entity", "chip": "chip-d7cea730"}
    # When another name holds the suffixed one (under casefold), a longer part of the digest is taken.
    taken = property_graph.file_stems(["chip", "Chip", "CHIP-D7CEA730"])
    assert taken == {"CHIP-D7CEA730": "CHIP-D7CEA730", "Chip": "Chip", "chip": "chip-d7cea7305"}
    assert len({stem.casefold() for stem in taken.values()}) == 3


def test_a_kept_file_listed_under_another_case_is_not_removed_as_stale(tmp_path):
    """A case-insensitive file system may list the file an export just wrote, ``nodes_Gadget.csv``, under the name
    an earlier export gave it, ``nodes_gadget.csv``: one file by two names, as a hard link makes it here. Removing
    that name as an earlier export's removed the file; a file truly gone from the graph is still removed."""
    (tmp_path / "nodes_Gadget.csv").write_text("new\n", encoding="utf-8")
    if (tmp_path / "NODES_GADGET.CSV").exists():
        pytest.skip("a case-insensitive file system: the test makes the second name itself, with a hard link")
    os.link(tmp_path / "nodes_Gadget.csv", tmp_path / "nodes_gadget.csv")
    (tmp_path / "nodes_gadget-4e5aa69a.csv").write_text("new\n", encoding="utf-8")
    old = "iri:ID(Resource),:LABEL\n"  # an earlier export's header: a file kgraph wrote
    (tmp_path / "nodes_Old.csv").write_text(old, encoding="utf-8")
    (tmp_path / "nodes_old.csv").write_text(old, encoding="utf-8")  # another file: gone from the graph too
    kept = ["nodes_Gadget.csv", "nodes_gadget-4e5aa69a.csv", "nodes_OLD.csv"]
    removed = remove_stale(tmp_path, kept, neo4j.OWNED)
    assert removed == [tmp_path / "nodes_Old.csv", tmp_path / "nodes_old.csv"]
    assert (tmp_path / "nodes_Gadget.csv").read_text(encoding="utf-8") == "new\n"
    assert (tmp_path / "nodes_gadget.csv").exists()


def test_csv_fields_distinguish_no_value_from_the_empty_string():
    assert csv_stream.csv_line([None, "", "a", 'say "hi"', "a,b", "x\ny"]) == ',"",a,"say ""hi""","a,b","x\ny"\n'


def test_a_csv_field_is_checked_for_special_characters_without_walking_it_in_python():
    """``frozenset.isdisjoint`` took each character of every field through the iterator protocol (a tenth of a
    large export's time); ``in`` scans the text in C. A text whose iteration fails shows which is used."""

    class Unwalkable(str):
        def __iter__(self) -> Iterator[str]:
            raise AssertionError("the field was walked character by character")

    fields = [Unwalkable(text) for text in ("plain", "a,b", 'say "hi"', "x\ny", "x\ry", "")]
    assert csv_stream.csv_line(fields) == 'plain,"a,b","say ""hi""","x\ny","x\ry",""\n'


# ------------------------------------------------------------------------------------------------ streaming


def test_rows_are_written_while_the_graph_is_read(loaded, monkeypatch):
    """The export writes each node's row before it reads the next node: it never holds all rows."""
    events: list[str] = []
    original = property_graph._Mapper.row

    def reading(self, term):
        events.append("read")
        return original(self, term)

    class Recording(csv_stream.MemorySink):
        def open(self, name):
            stream = super().open(name)
            write = stream.write

            def recorded(data):
                events.append("write")
                return write(data)

            stream.write = recorded
            return stream

    monkeypatch.setattr(property_graph._Mapper, "row", reading)
    neo4j.write(loaded, Recording())
    reads = [i for i, e in enumerate(events) if e == "read"]
    first_row_write = next(i for i, e in enumerate(events) if e == "write" and i > reads[0])
    assert first_row_write < reads[1], "the first row must be written before the second node is read"
    assert len(reads) == len(property_graph.plan(loaded).node_ids)


def test_a_failed_export_leaves_the_previous_files(loaded, tmp_path, monkeypatch):
    out = tmp_path / "out"
    neo4j.export(loaded, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(_row, _delimiter):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(neo4j, "node_values", broken)
    with pytest.raises(RuntimeError):
        neo4j.export(loaded, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # and no temporary file is left


def test_the_export_is_the_same_in_two_processes(tmp_path):
    outputs = []
    for seed in ("1", "777"):
        out = tmp_path / seed
        run = subprocess.run(
            [sys.executable, "-m", "kgraph", "export", "neo4j", "--out", str(out)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        )
        assert run.returncode == 0, run.stderr
        outputs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outputs[0] == outputs[1]


def test_build_writes_the_same_files_as_the_command(loaded, tmp_path):
    neo4j.export(loaded, tmp_path / "neo4j")
    rendered = neo4j.render(loaded)
    assert rendered == {f"neo4j/{p.name}": p.read_bytes() for p in (tmp_path / "neo4j").iterdir()}


# ------------------------------------------------------------------------------------------------ the command


def test_the_command_writes_and_reports(tmp_path):
    result = CliRunner().invoke(cli, ["export", "neo4j", "--out", str(tmp_path / "n")], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == ""
    written = tmp_path / "n"
    nodes = sum(len(read_rows(p, Options())) - 1 for p in written.glob("nodes_*.csv"))
    relationships = sum(len(read_rows(p, Options())) - 1 for p in written.glob("relationships_*.csv"))
    assert nodes > 100 and relationships > 400  # the bundled graph, not an empty export
    assert f"{nodes} nodes, {relationships} relationships" in result.stderr  # what the files hold
    assert f"wrote {tmp_path / 'n' / 'import.sh'}" in result.stderr
    assert (tmp_path / "n" / "nodes_Entity.csv").is_file()


@pytest.mark.parametrize("flavor", ["neo4j", "neptune"])
def test_the_command_removes_what_an_earlier_export_wrote_and_this_one_does_not(make_kg, tmp_path, flavor):
    """kgraph:nobody (no class: nodes_Resource.csv) and the partnerOf links go from the data; their files stayed
    in --out and were loaded with the new ones (Neptune's loader takes every file under its S3 prefix)."""
    out = tmp_path / "out"
    data_dir, ontology_dir = make_kg({"d.trig": DATA})
    options = ["--data", str(data_dir), "--ontology", str(ontology_dir), "export", "neo4j", "--flavor", flavor]
    assert CliRunner().invoke(cli, [*options, "--out", str(out)]).exit_code == 0
    (out / "mine.txt").write_text("kept\n", encoding="utf-8")
    assert (out / "nodes_Resource.csv").is_file()
    (data_dir / "d.trig").write_text(
        DATA.replace(" ; kg:partnerOf kgr:nobody", "").replace(" kgr:acme kg:partnerOf kgr:maker .", ""),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, [*options, "--out", str(out)])
    assert result.exit_code == 0, result.output
    gone = ["nodes_Resource.csv"] + (["relationships_PARTNER_OF.csv"] if flavor == "neo4j" else [])
    for name in gone:
        assert not (out / name).exists(), name
        assert f"removed {out / name} (an earlier export's, not in this one)" in result.stderr
    assert (out / "mine.txt").is_file() and (out / "nodes_Entity.csv").is_file()


@pytest.mark.parametrize("flavor", ["neo4j", "neptune"])
def test_the_command_leaves_files_of_other_data_that_only_have_an_export_s_names(tmp_path, flavor):
    """--out a folder kgraph never wrote, such as Neo4j's import folder, holding the CSV files of other data named
    nodes_*.csv and relationships_*.csv: the export deleted them, as "an earlier export's", which they were not."""
    out = tmp_path / "import"
    out.mkdir()
    theirs = {"nodes_Person.csv": "personId:ID,name\n1,Ada\n", "relationships_KNOWS.csv": ":START_ID,:END_ID\n1,2\n"}
    for name, content in theirs.items():
        (out / name).write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "neo4j", "--flavor", flavor, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert {name: (out / name).read_text(encoding="utf-8") for name in theirs if (out / name).exists()} == theirs
    assert "removed" not in result.stderr


def test_the_command_defaults_to_exports_flavor(in_tmp):
    result = CliRunner().invoke(cli, ["export", "neo4j", "--flavor", "neptune"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert (in_tmp / "exports" / "neptune" / "relationships.csv").is_file()


def test_the_command_rejects_a_file_as_out(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "neo4j", "--out", str(tmp_path / "file" / "sub")])
    assert result.exit_code == 2
    assert "is a file, so the folder" in result.stderr and "pass another --out DIR" in result.stderr


@pytest.mark.parametrize("flavor", ["neo4j", "neptune"])
def test_a_folder_named_as_a_file_of_the_export_is_named_as_one(make_kg, tmp_path, flavor):
    """A folder where nodes_Entity.csv goes stopped the export only once every file was written, with "cannot
    write .../nodes_Entity.csv: Not a directory" (from moving it aside), of a name that is one. Nothing else is
    written, and the folder stays."""
    data_dir, ontology_dir = make_kg({"d.trig": DATA})
    out = tmp_path / "out"
    (out / "nodes_Entity.csv").mkdir(parents=True)
    options = ["--data", str(data_dir), "--ontology", str(ontology_dir), "export", "neo4j", "--flavor", flavor]
    result = CliRunner().invoke(cli, [*options, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == (
        f"Error: cannot write {out / 'nodes_Entity.csv'}: Is a directory; pass another --out DIR"
    )
    assert [path.name for path in out.iterdir()] == ["nodes_Entity.csv"] and (out / "nodes_Entity.csv").is_dir()


def test_the_command_rejects_an_unknown_flavor():
    result = CliRunner().invoke(cli, ["export", "neo4j", "--flavor", "janus"])
    assert result.exit_code == 2


#: Numbers a double column cannot hold exactly (digits past 15-17 of a decimal, an integer past 2**53 beside a
#: decimal, both in a column that a node makes an array), and one column (``order``) holding only exact values.
INEXACT = DATA.replace(
    "kg:value 4.4 ;", "kg:value 4.40 ; kg:fromValue 9007199254740993 , 0.5 ; kg:toValue 0.25 ; kg:order 2 ;"
).replace(
    'rdfs:label "Maker"@en .',
    'rdfs:label "Maker"@en ; kg:value 12345678901234567890.5 ; kg:fromValue 3 ; kg:toValue 1.5e0 ; kg:order 9 .',
)


def test_a_number_a_column_cannot_hold_exactly_keeps_its_text_beside_it(make_kg, tmp_path):
    """A decimal past 15 significant digits, or an integer past 2**53 in a double column, was written as the
    nearest double alone, its digits lost in the database: such a column now has a string column ``<name>_text``
    beside it with every row's lexical form (in the order of the numbers, for an array), which load.cypher sets
    too; Neptune's the same, typed String. A column whose values are all exact gets none. In memory and on a
    store."""
    data_dir, ontology_dir = make_kg({"d.trig": INEXACT})
    persist.build(tmp_path / "store", data_dir, ontology_dir)
    # A decimal's text is in its canonical form, as a store keeps it ("4.40" is "4.4"), in memory too.
    for loaded, out, lexical in (
        (load(data_dir, ontology_dir), tmp_path / "memory", "4.4"),
        (persist.open_store(tmp_path / "store"), tmp_path / "on-store", "4.4"),
    ):
        neo4j.export(loaded, out / "neo4j")
        assert check_folder(out / "neo4j") == []
        rows = {r["iri:ID(Resource)"].rsplit("/", 1)[-1]: r for r in _rows(out / "neo4j", "nodes_Entity.csv")}
        header = set(rows["chip"])
        assert {"value:double", "value_text:string", "fromValue:double[]", "fromValue_text:string[]"} <= header
        assert {"toValue:double", "order:long"} <= header
        assert not {"toValue_text:string", "order_text:string"} & header
        chip, maker = rows["chip"], rows["maker"]
        assert (chip["value:double"], chip["value_text:string"]) == ("4.4", lexical)
        assert (maker["value:double"], maker["value_text:string"]) == (
            "1.2345678901234567e+19",
            "12345678901234567890.5",
        )
        assert (chip["fromValue:double[]"], chip["fromValue_text:string[]"]) == (
            "0.5;9007199254740992.0",
            "0.5;9007199254740993",
        )
        assert (maker["fromValue:double[]"], maker["fromValue_text:string[]"]) == ("3.0", "3")
        assert rows["acme"]["value_text:string"] == ""  # no value, no text
        for script in ("load.cypher", "load-before-5.23.cypher"):
            cypher = (out / "neo4j" / script).read_text("utf-8")
            assert "n.`value_text` = row.`value_text:string`" in cypher
            field = "row.`fromValue_text:string[]`"
            assert f"n.`fromValue_text` = CASE WHEN {field} = '' THEN null ELSE split({field}, ';') END" in cypher
        neptune.export(loaded, out / "neptune")
        lines = (out / "neptune" / "nodes_Entity.csv").read_text("utf-8").splitlines()
        assert {"value:Double", "value_text:String", "fromValue_text:String"} <= set(lines[0].split(","))
        assert not {"toValue_text:String", "order_text:String"} & set(lines[0].split(","))
        assert "12345678901234567890.5" in next(line for line in lines if "/maker" in line)


def test_a_text_column_takes_a_free_name(make_kg, tmp_path):
    """A predicate of the data may be named ``value_text`` already: the text beside ``value`` is ``value_text_2``."""
    data = INEXACT.replace("kg:toValue 0.25 ;", 'kg:toValue 0.25 ; <https://example.org/value_text> "x" ;')
    neo4j.export(load(*make_kg({"d.trig": data})), tmp_path / "out")
    rows = {r["iri:ID(Resource)"].rsplit("/", 1)[-1]: r for r in _rows(tmp_path / "out", "nodes_Entity.csv")}
    assert (rows["chip"]["value_text:string"], rows["chip"]["value_text_2:string"]) == ("x", "4.4")


#: One number in two spellings (a store keeps one value of them), beside a decimal with a zero to spare.
TWO_SPELLINGS = (
    PREFIXES
    + """src:a { kgr:acme a kg:Company ; rdfs:label "Acme"@en ; kg:value 1.5 , 1.50 ;
    kg:fromValue 3.0 , -0.0 ; kg:toValue 0.333333333333333333 . }
"""
)


def test_a_decimal_written_two_ways_is_one_value_in_memory_as_on_a_store(make_kg, tmp_path):
    """``kg:value 1.5 , 1.50``: a store keeps one value, and wrote ``value:double`` 1.5; in memory the two
    spellings were two values, an array ``value:double[]`` of ``1.5;1.5``, and load.cypher read the column as a
    list. Decimals are written in their canonical form, as dates and durations are: the same files from both."""
    data_dir, ontology_dir = make_kg({"d.trig": TWO_SPELLINGS})
    written = {}
    for out in _exports_in_memory_and_on_a_store(tmp_path, data_dir, ontology_dir):
        (acme,) = _rows(out, "nodes_Entity.csv")
        assert (acme["value:double"], acme["fromValue:double[]"]) == ("1.5", "0.0;3.0")
        assert acme["toValue_text:string"] == "0.333333333333333333"
        written[out.name] = {path.name: path.read_bytes() for path in sorted(out.iterdir())}
    assert written["memory"] == written["on-store"]


#: Decimals longer than Python's 28 significant digits, one with a zero to spare and one negative.
LONG_DECIMALS = (
    PREFIXES
    + """src:a { kgr:acme a kg:Company ; rdfs:label "Acme"@en ; kg:value 123456789012345678901234567890.0 ;
    kg:toValue -0.1234567890123456789012345678901 . }
"""
)


def test_a_long_decimal_keeps_every_digit_in_its_text_column(make_kg, tmp_path):
    """The ``_text`` column is there to keep the digits a double loses. Writing a decimal in its canonical form
    took its absolute value with Python's arithmetic, which rounds to 28 significant digits: the text said
    ``123456789012345678901234567900`` for ``123456789012345678901234567890.0``. Only the zero to spare goes."""
    data_dir, ontology_dir = make_kg({"d.trig": LONG_DECIMALS})
    for out in _exports_in_memory_and_on_a_store(tmp_path, data_dir, ontology_dir):
        (acme,) = _rows(out, "nodes_Entity.csv")
        assert (acme["value_text:string"], acme["toValue_text:string"]) == (
            "123456789012345678901234567890",
            "-0.1234567890123456789012345678901",
        ), out.name


#: Durations XSD and a store take, past the 999,999,999 days of Python's timedelta, so ill-typed to rdflib.
HUGE_DURATIONS = (
    PREFIXES
    + """src:a { kgr:acme a kg:Company ; rdfs:label "Acme"@en ; kg:value "PT24000000000H"^^xsd:duration ;
    kg:toValue "PT86400000000000.5S"^^xsd:dayTimeDuration ; kg:fromValue "-PT24000000000H"^^xsd:duration . }
"""
)


def test_a_duration_past_pythons_days_is_written_in_its_canonical_form_in_memory_as_on_a_store(make_kg, tmp_path):
    """A store writes a valid duration of more days than Python's timedelta holds in XSD's canonical form
    (``PT24000000000H`` is ``P1000000000D``); in memory rdflib takes it as ill-typed, and the export wrote it as
    it was: another text in each. Its form, not rdflib's value, says it is valid now."""
    data_dir, ontology_dir = make_kg({"d.trig": HUGE_DURATIONS})
    for out in _exports_in_memory_and_on_a_store(tmp_path, data_dir, ontology_dir):
        (acme,) = _rows(out, "nodes_Entity.csv")
        assert (acme["value:string"], acme["toValue:string"], acme["fromValue:string"]) == (
            "P1000000000D",
            "P1000000000DT0.5S",
            "-P1000000000D",
        ), out.name


def test_the_counts_an_export_says_are_grouped_in_thousands(make_kg: MakeKG, tmp_path: Path) -> None:
    """``12826 nodes, 39781 relationships`` and ``(…: 9615 nodes, …)`` were hard to read beside the triple counts,
    which have thousands separators; they now have them too."""
    data = PREFIXES + "".join(
        f'kgr:c{i} a kg:Company ; rdfs:label "C{i}"@en ; kg:uses kgr:c{i + 1} .\n' for i in range(1200)
    )
    data_dir, ontology_dir = make_kg({"d.ttl": data})
    where = ["--data", str(data_dir), "--ontology", str(ontology_dir)]
    exported = CliRunner().invoke(cli, [*where, "export", "neo4j", "--out", str(tmp_path / "n")])
    assert exported.exit_code == 0, exported.output
    assert "\n1,201 nodes, 1,200 relationships\n" in exported.stderr
    target = tmp_path / "g.graphml"
    written = CliRunner().invoke(cli, [*where, "export", "graphml", "--output", str(target)])
    assert written.exit_code == 0, written.output
    assert written.stderr.endswith(" bytes: 1,200 nodes, 1,199 edges)\n"), written.stderr
