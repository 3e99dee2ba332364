"""The Neptune flavour, checked against Amazon Neptune's documented openCypher load format.

Rules (Neptune user guide, "Load format for openCypher data"): RFC 4180 CSV in UTF-8; node files have a
required ``:ID`` (optionally ``name:ID`` to keep it as a property) and an optional ``:LABEL`` (labels separated
by ``;``); relationship files have ``:ID`` (required while ``userProvidedEdgeIds`` is on, the default),
``:START_ID``, ``:END_ID`` and ``:TYPE``; each system column appears once per file; property columns are
``name:Type`` with no space, comma or line break in the header, types ``Bool``/``Boolean``, ``Byte``, ``Short``,
``Int``, ``Long``, ``Float``, ``Double``, ``String``, ``DateTime`` (case-insensitive; a ``DateTime`` is
``yyyy-MM-dd``, ``yyyy-MM-ddTHH:mm``, ``yyyy-MM-ddTHH:mm:ss`` or ``yyyy-MM-ddTHH:mm:ssZ``); a relationship
property holds one value (no array type). Node IDs and relationship IDs are unique; relationships connect loaded nodes.
kgraph also writes no array type in node files (Neptune's openCypher reads arrays as sets): lists are JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import PREFIXES, both_ways
from kgraph.export import neo4j, neptune
from kgraph.export.property_graph import whole_datetime
from kgraph.store import load
from test_neo4j_format import Options, read_rows

#: The forms of a ``DateTime``; the page's ``yyyy-MM-ddTHH:mm:ssZ`` read as ending in the letter ``Z``, UTC (Neptune
#: Analytics' list of the same forms gives offsets, ``yyyy-MM-ddTHH:mm:ss[+|-]hhmm``, as a form of their own).
DATETIME_FORMS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ")


def _datetime(value: str) -> bool:
    """Whether ``value`` is a valid date or date-time in one of :data:`DATETIME_FORMS`, four-digit year."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}Z?)?)?", value):
        return False
    for form in DATETIME_FORMS:
        try:
            dt.datetime.strptime(value, form)  # noqa: DTZ007 - a form, not a time: its zone is not asked
        except ValueError:
            continue
        return True
    return False


TYPES = {"bool", "boolean", "byte", "short", "int", "long", "float", "double", "string", "datetime"}
VALID = {
    "bool": lambda v: v in {"true", "false"},
    "long": lambda v: re.fullmatch(r"-?\d+", v) is not None,
    "double": lambda v: re.fullmatch(r"[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)", v) is not None,
    "datetime": _datetime,
}
SYSTEM = re.compile(r"(?P<name>[^:]*):(?P<column>ID|LABEL|START_ID|END_ID|TYPE)")
PROPERTY = re.compile(r"(?P<name>[^:\s,]+):(?P<type>[A-Za-z]+)")


def _header(name: str, header: list[str]) -> tuple[list[str], dict[str, int], dict[str, str]]:
    """Problems, the positions of the system columns, and the Neptune type of each property column."""
    system = [SYSTEM.fullmatch(h) for h in header]
    positions = {m["column"]: i for i, m in enumerate(system) if m}
    problems = []
    if len(positions) != sum(1 for m in system if m):
        problems.append(f"{name}: a system column appears twice")
    needed = {"ID", "START_ID", "END_ID", "TYPE"} if "START_ID" in positions else {"ID"}
    problems += [f"{name}: no :{c} column" for c in sorted(needed - set(positions))]
    types = {}
    for entry, match in zip(header, system, strict=True):
        prop = None if match else PROPERTY.fullmatch(entry)
        if match:
            continue
        if not prop or prop["type"].lower() not in TYPES:
            problems.append(f"{name}: {entry!r} is not name:Type with a Neptune type")
        else:
            types[entry] = prop["type"].lower()
    return problems, positions, types


def check_neptune(folder: Path) -> list[str]:
    problems: list[str] = []
    node_ids: set[str] = set()
    edges: list[tuple[str, str, str]] = []
    edge_ids: set[str] = set()
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as stream:
            rows = list(csv.reader(stream, strict=True))
        found, positions, types = _header(path.name, rows[0])
        problems += found
        for number, row in enumerate(rows[1:], start=2):
            where = f"{path.name}:{number}"
            if len(row) != len(rows[0]):
                problems.append(f"{where}: {len(row)} fields for {len(rows[0])} columns")
                continue
            record = dict(zip(rows[0], row, strict=True))
            problems += [
                f"{where}: {entry} = {record[entry]!r} is not a valid {kind}"
                for entry, kind in types.items()
                if record[entry] and not VALID.get(kind, lambda _v: True)(record[entry])
            ]
            ids, what = (edge_ids, "relationship") if "START_ID" in positions else (node_ids, "node")
            if row[positions["ID"]] in ids:
                problems.append(f"{where}: {what} ID {row[positions['ID']]!r} twice")
            ids.add(row[positions["ID"]])
            if what == "relationship":
                edges.append((where, row[positions["START_ID"]], row[positions["END_ID"]]))
    for where, start, end in edges:
        problems += [f"{where}: no node {n!r}" for n in (start, end) if n not in node_ids]
    return problems


@pytest.fixture(scope="module")
def exported(loaded, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("neptune")
    neptune.export(loaded, folder)
    return folder


def test_every_file_follows_neptunes_documented_format(exported):
    assert check_neptune(exported) == []


def test_the_checker_catches_broken_files(tmp_path):
    (tmp_path / "n.csv").write_text(
        "iri:ID,:LABEL,n:Integer,v:Double,t:DateTime\na,X,1,x,2025-12-02T10:30:00+01:00\na,X,,1,2025-02-29\n",
        encoding="utf-8",
    )
    (tmp_path / "r.csv").write_text(":ID,:START_ID,:END_ID,:TYPE\nr1,a,b,T\n", encoding="utf-8")
    problems = "\n".join(check_neptune(tmp_path))
    for expected in (
        "'n:Integer' is not name:Type",
        "'x' is not a valid double",
        "'2025-12-02T10:30:00+01:00' is not a valid datetime",
        "'2025-02-29' is not a valid datetime",
        "node ID 'a' twice",
        "no node 'b'",
    ):
        assert expected in problems


def test_the_same_graph_as_the_neo4j_flavour(loaded, exported, tmp_path):
    """Same nodes, labels, property values (lists as JSON) and relationships as the Neo4j files."""
    neo4j.export(loaded, tmp_path / "neo4j")
    for name in ("nodes_Entity.csv", "nodes_Figure.csv", "nodes_SourceSection.csv"):
        ours = read_rows(exported / name, Options())
        theirs = read_rows(tmp_path / "neo4j" / name, Options())
        assert len(ours) == len(theirs)
        for header_n, header_4 in zip(ours[0][2:], theirs[0][2:], strict=True):
            assert header_n.split(":")[0] == header_4.split(":")[0]
        for row_n, row_4 in zip(ours[1:], theirs[1:], strict=True):
            assert row_n[0] == row_4[0] and row_n[1] == row_4[1]
            for value_n, value_4, header in zip(row_n[2:], row_4[2:], theirs[0][2:], strict=True):
                expected = (value_4.split(";") if value_4 else []) if header.endswith("[]") else value_4
                got = (json.loads(value_n) if value_n else []) if header.endswith("[]") else value_n
                assert got == expected
    relationships = read_rows(exported / "relationships.csv", Options())
    neo4j_count = sum(len(read_rows(p, Options())) - 1 for p in (tmp_path / "neo4j").glob("relationships_*.csv"))
    assert len(relationships) - 1 == neo4j_count > 400  # the same relationships, and all of the bundled graph's


def test_relationship_ids_are_stable(exported, loaded, tmp_path):
    neptune.export(loaded, tmp_path / "again")
    assert (tmp_path / "again" / "relationships.csv").read_bytes() == (exported / "relationships.csv").read_bytes()


def test_headers_use_neptune_types(exported):
    figure = read_rows(exported / "nodes_Figure.csv", Options())[0]
    assert figure[:2] == ["iri:ID", ":LABEL"]
    assert {"value:Double", "fromValue:Long", "unit:String"} <= set(figure)
    entity = read_rows(exported / "nodes_Entity.csv", Options())[0]
    assert "aliases_en:String" in entity
    assert read_rows(exported / "relationships.csv", Options())[0] == neptune.RELATIONSHIP_HEADER


def test_load_script_asks_for_the_opencypher_format(exported):
    script = (exported / "load.sh").read_text(encoding="utf-8")
    assert '\\"format\\": \\"opencypher\\"' in script
    assert "/loader" in script


def test_the_s3_step_of_load_sh_removes_what_an_earlier_export_left(exported, tmp_path):
    """The loader loads every file under its S3 prefix, which is why the export removes the node files of an earlier
    one that it no longer writes; load.sh's copy step (aws s3 cp) left them in S3, so they were loaded again."""
    _, uploaded = _upload(exported, tmp_path)
    assert uploaded[:3] == ["aws", "s3", "sync"]
    assert "--delete" in uploaded
    assert uploaded[-4:] == ["--exclude", "*", "--include", "*.csv"]


def test_load_sh_uploads_its_own_folder_from_any_folder(exported, tmp_path):
    """load.sh's S3 step was a command to run (aws s3 sync . ...) that said nothing of where: run from the
    repository's root, it uploaded exports/neo4j/*.csv too, whose relationship files have no :ID, and the Neptune
    load failed. `sh load.sh upload` now runs it in the folder that holds load.sh, wherever it is run from, and the
    comment that shows the command says so."""
    (tmp_path / "relationships_USES.csv").write_text(":START_ID,:END_ID,:TYPE\n", encoding="utf-8")
    folder, uploaded = _upload(exported, tmp_path)
    assert folder == exported.resolve()
    assert uploaded == [
        "aws",
        "s3",
        "sync",
        ".",
        "s3://bucket/kgraph/",
        "--delete",
        *("--exclude", "*"),
        "--include",
        "*.csv",
    ]
    script = (exported / "load.sh").read_text(encoding="utf-8")
    shown = [line.lstrip("# ") for line in script.splitlines() if line.startswith("#") and "aws s3 sync" in line]
    assert shown == ["aws s3 sync . \"$S3_SOURCE\" --delete --exclude '*' --include '*.csv'"]
    assert "sh path/to/load.sh upload" in script
    refused = _load_script(exported, tmp_path, "uplaod")
    assert refused.returncode == 2
    assert "upload" in refused.stderr
    assert refused.stdout == ""


def _upload(folder: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """What ``sh FOLDER/load.sh upload`` runs, from ``tmp_path``: the folder it runs in and the command (a
    stand-in for ``aws`` prints both)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    stand_in = bin_dir / "aws"
    stand_in.write_text('#!/bin/sh\npwd -P\necho aws\nfor a in "$@"; do echo "$a"; done\n', encoding="utf-8")
    stand_in.chmod(0o755)
    done = _load_script(folder, tmp_path, "upload", check=True)
    where, *command = done.stdout.splitlines()
    return Path(where), command


def test_an_export_into_the_folder_of_a_neo4j_export_leaves_no_file_the_loader_cannot_load(loaded, tmp_path):
    """The Neo4j flavour's relationships_<TYPE>.csv have no :ID, which Neptune's loader requires; left beside
    relationships.csv, load.sh's S3 step copied them too and the loader took them with the rest. The Neo4j
    flavour's own scripts stay: the S3 step copies only the .csv files."""
    neo4j.export(loaded, tmp_path)
    summary = neptune.export(loaded, tmp_path)
    assert not list(tmp_path.glob("relationships_*.csv"))
    assert any(path.name == "relationships_USES.csv" for path in summary.removed)
    assert check_neptune(tmp_path) == []
    assert (tmp_path / "import.sh").is_file()


def _run_load_script(folder: Path, tmp_path: Path, **env: str) -> list[str]:
    """What ``sh load.sh`` runs, with stand-ins for curl and awscurl that print their arguments."""
    done = _load_script(folder, tmp_path, check=True, **env)
    client, arguments = done.stdout.split("\n", 1)
    return [client, *arguments.split("\0")[:-1]]


def _load_script(
    folder: Path, tmp_path: Path, *arguments: str, check: bool = False, **env: str
) -> subprocess.CompletedProcess[str]:
    """``sh load.sh ARGUMENT...`` run from ``tmp_path``, with stand-ins for curl and awscurl that print their
    arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name in ("curl", "awscurl"):
        stand_in = bin_dir / name
        stand_in.write_text(f'#!/bin/sh\necho {name}\nfor a in "$@"; do printf "%s\\0" "$a"; done\n', encoding="utf-8")
        stand_in.chmod(0o755)
    given = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "NEPTUNE_ENDPOINT": "db.example:8182",
        "S3_SOURCE": "s3://bucket/kgraph/",
        "IAM_ROLE_ARN": "arn:aws:iam::1:role/load",
        "AWS_REGION": "eu-west-1",
        **env,
    }
    command = ["sh", str(folder / "load.sh"), *arguments]
    return subprocess.run(command, env=given, cwd=tmp_path, capture_output=True, text=True, check=check)


@pytest.mark.parametrize(
    ("env", "client"),
    [
        ({}, ["curl", "-sS", "--fail-with-body"]),
        ({"NEPTUNE_IAM_AUTH": "1"}, ["awscurl", "--service", "neptune-db", "--region", "eu-west-1"]),
    ],
)
def test_load_sh_sends_the_loader_request_signed_when_asked(exported, tmp_path, env, client):
    """A cluster with IAM database authentication takes only SigV4-signed requests (Neptune user guide, "Connecting
    to your Amazon Neptune database using IAM authentication"), which curl cannot make: load.sh's request failed
    there, with no way round it but editing the script. NEPTUNE_IAM_AUTH=1 sends it with awscurl."""
    called = _run_load_script(exported, tmp_path, **env)
    assert called[1 : len(client)] == client[1:] and called[0] == client[0]
    assert called[len(client) :][:5] == [
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "https://db.example:8182/loader",
    ]
    body = json.loads(called[called.index("-d") + 1])
    assert body["source"] == "s3://bucket/kgraph/"
    assert body["region"] == "eu-west-1"
    assert body["iamRoleArn"] == "arn:aws:iam::1:role/load"
    assert body["format"] == "opencypher"


def test_load_sh_takes_the_endpoint_as_a_url_too(exported, tmp_path):
    """Regression: NEPTUNE_ENDPOINT=https://host:8182, the form of the cluster's URLs the README shows for kgraph push,
    became https://https://host:8182/loader, and curl failed to resolve a host named https. A https:// and a
    trailing / are dropped; a path or another scheme stops the script before any request, naming the variable."""
    for given in ("https://db.example:8182", "https://db.example:8182/"):
        called = _run_load_script(exported, tmp_path, NEPTUNE_ENDPOINT=given)
        assert "https://db.example:8182/loader" in called
    for given in ("http://db.example:8182", "db.example:8182/sparql", "https://db.example:8182/loader"):
        refused = _load_script(exported, tmp_path, NEPTUNE_ENDPOINT=given)
        assert refused.returncode == 2
        assert f"host:port (no path, no http://), not {given}" in refused.stderr
        assert refused.stdout == ""


def _loader_request(folder: Path, tmp_path: Path, **env: str) -> dict:
    called = _run_load_script(folder, tmp_path, **env)
    return json.loads(called[called.index("-d") + 1])


def test_load_sh_asks_for_a_new_load_job_unless_told(exported, tmp_path):
    """Without "mode", Neptune's loader runs in AUTO mode, which resumes an earlier load job from the same source
    (Neptune user guide, "Neptune Loader Command"): after a re-export synced to the same S3 folder, the files, same
    names, counted as loaded, nothing was loaded and the job reported success. load.sh now asks for NEW, a job
    that reads every file, unless NEPTUNE_LOAD_MODE says RESUME or AUTO; any other value stops it, sending nothing."""
    assert _loader_request(exported, tmp_path)["mode"] == "NEW"
    for mode in ("RESUME", "AUTO", "NEW"):
        assert _loader_request(exported, tmp_path, NEPTUNE_LOAD_MODE=mode)["mode"] == mode
    refused = _load_script(exported, tmp_path, NEPTUNE_LOAD_MODE="new")
    assert refused.returncode != 0
    assert "NEPTUNE_LOAD_MODE" in refused.stderr
    assert refused.stdout == ""


def test_load_sh_keeps_an_empty_string_when_a_value_is_one(make_kg, tmp_path):
    """Neptune's loader reads a quoted empty field (``""``) as no value, and does not load it, unless the request's
    ``parserConfiguration`` has ``allowEmptyStrings`` (Neptune user guide, "Neptune Loader Command"): a description
    or a note that is the empty string was lost on the way in, which the Neo4j files keep. A list of values is one
    JSON text (``[""]``), never empty, and a graph with no empty value gets a request without the option."""
    data = PREFIXES + 'src:a { kgr:a a kg:Company ; kg:note "" . kgr:b a kg:Company ; kg:note "x" . }'
    for name, graph in zip(("memory", "store"), both_ways(*make_kg({"d.trig": data}), tmp_path / "store"), strict=True):
        neptune.export(graph, tmp_path / name)
        rows = read_rows(tmp_path / name / "nodes_Entity.csv", Options())
        assert [row[rows[0].index("note:String")] for row in rows[1:]] == ["", "x"]
        assert _loader_request(tmp_path / name, tmp_path)["parserConfiguration"] == {"allowEmptyStrings": "TRUE"}
    listed = PREFIXES + 'src:a { kgr:a a kg:Company ; kg:note "" , "y" . }'
    neptune.export(load(*make_kg({"d.trig": listed})), tmp_path / "listed")
    assert "parserConfiguration" not in _loader_request(tmp_path / "listed", tmp_path)


def test_the_bundled_graph_needs_no_parser_configuration(exported, tmp_path):
    assert "parserConfiguration" not in _loader_request(exported, tmp_path)


def test_a_number_a_double_cannot_hold_keeps_its_text_in_a_string_column(make_kg, tmp_path):
    """As for Neo4j: beside a Double column that loses a literal's digits, ``<name>_text:String`` holds every
    node's lexical form (a list as JSON, in the order of the numbers); a column of exact values gets none."""
    data = PREFIXES + (
        "src:a { kgr:a a kg:Company ; kg:value 12345678901234567890.5 ; kg:fromValue 9007199254740993 , 0.5 ;"
        " kg:toValue 1.5 . kgr:b a kg:Company ; kg:value 4.4 ; kg:toValue 2 . kgr:c a kg:Company . }"
    )
    neptune.export(load(*make_kg({"d.trig": data})), tmp_path / "out")
    assert check_neptune(tmp_path / "out") == []
    rows = read_rows(tmp_path / "out" / "nodes_Entity.csv", Options())
    header = rows[0]
    assert {"value:Double", "value_text:String", "fromValue:String", "fromValue_text:String"} <= set(header)
    assert "toValue:Double" in header and "toValue_text:String" not in header
    by_node = {row[0].rsplit("/", 1)[-1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    a, b, c = by_node["a"], by_node["b"], by_node["c"]
    assert (a["value:Double"], a["value_text:String"]) == ("1.2345678901234567e+19", "12345678901234567890.5")
    assert (b["value:Double"], b["value_text:String"], c["value_text:String"]) == ("4.4", "4.4", "")
    assert json.loads(a["fromValue:String"]) == ["0.5", "9007199254740992.0"]
    assert json.loads(a["fromValue_text:String"]) == ["0.5", "9007199254740993"]


def _dates(make_kg, tmp_path: Path, flavour=neptune) -> dict[str, dict[str, str]]:
    """The date-time columns of a graph that has each form, exported (and checked, for Neptune) from memory and
    from a store, which must give the same bytes: by node, header -> field."""
    day = '"2025-12-02"^^xsd:date'
    data = PREFIXES + (
        "src:a { kgr:a a kg:Company ; kg:opened " + day + " ;"
        ' kg:announced "2025-12-02T10:30:00+01:00"^^xsd:dateTime ; kg:held "2025-12-02T10:30:00"^^xsd:dateTime ;'
        ' kg:stamped "2025-12-02T10:30:00.5Z"^^xsd:dateTime ; kg:seen "2025-12-02T10:30:00Z"^^xsd:dateTime ;'
        ' kg:early "0001-01-01T00:30:00+01:00"^^xsd:dateTime .'
        ' kgr:b a kg:Company ; kg:announced "2025-12-31T23:30:00-01:00"^^xsd:dateTime ;'
        ' kg:held "2025-12-02T23:59:59.000"^^xsd:dateTime ; kg:stamped "2025-12-02T10:30:00Z"^^xsd:dateTime ;'
        ' kg:seen "2025-12-02T10:30:00"^^xsd:dateTime ; kg:early "2025-12-02T10:30:00Z"^^xsd:dateTime .'
        ' kgr:c a kg:Company ; kg:announced "2025-12-02T09:00:00.000Z"^^xsd:dateTime . }'
    )
    memory, store = both_ways(*make_kg({"d.trig": data}), tmp_path / "store")
    flavour.export(memory, tmp_path / "memory")
    flavour.export(store, tmp_path / "store-out")
    for path in (tmp_path / "memory").iterdir():
        assert (tmp_path / "store-out" / path.name).read_bytes() == path.read_bytes()
    if flavour is neptune:
        assert check_neptune(tmp_path / "memory") == []
    rows = read_rows(tmp_path / "memory" / "nodes_Entity.csv", Options())
    return {row[0].rsplit("/", 1)[-1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def test_a_date_time_is_a_neptune_datetime_in_utc(make_kg, tmp_path):
    """Neptune's DateTime takes ``yyyy-MM-ddTHH:mm:ss`` and ``yyyy-MM-ddTHH:mm:ssZ`` (and stores UTC): a date-time
    with a time zone is written in UTC, one without as it is; both were a ``String`` Neptune could not compare or
    sort as a date."""
    by_node = _dates(make_kg, tmp_path)
    a, b, c = by_node["a"], by_node["b"], by_node["c"]
    assert a["opened:DateTime"] == "2025-12-02"
    assert (a["announced:DateTime"], b["announced:DateTime"]) == ("2025-12-02T09:30:00Z", "2026-01-01T00:30:00Z")
    assert c["announced:DateTime"] == "2025-12-02T09:00:00Z"  # a fraction of zeros is a whole second
    assert (a["held:DateTime"], b["held:DateTime"]) == ("2025-12-02T10:30:00", "2025-12-02T23:59:59")


def test_a_date_time_column_neptune_cannot_hold_stays_text(make_kg, tmp_path):
    """No DateTime form has a fraction of a second, or a year past the four digits, and a column mixing date-times
    with and without a time zone has no one type: each stays a ``String`` of the lexical forms, every value."""
    by_node = _dates(make_kg, tmp_path)
    a, b = by_node["a"], by_node["b"]
    zulu = "2025-12-02T10:30:00Z"
    assert (a["stamped:String"], b["stamped:String"]) == ("2025-12-02T10:30:00.5Z", zulu)
    assert (a["seen:String"], b["seen:String"]) == (zulu, "2025-12-02T10:30:00")
    assert (a["early:String"], b["early:String"]) == ("0001-01-01T00:30:00+01:00", zulu)


@pytest.mark.parametrize(
    ("lexical", "written"),
    [
        ("2025-12-02T10:30:00+01:00", "2025-12-02T09:30:00Z"),
        ("2025-12-02T10:30:00+05:30", "2025-12-02T05:00:00Z"),
        ("2025-12-31T23:30:00-01:00", "2026-01-01T00:30:00Z"),
        ("2024-02-28T23:00:00-01:00", "2024-02-29T00:00:00Z"),
        ("2025-12-02T10:30:00Z", "2025-12-02T10:30:00Z"),
        ("2025-12-02T10:30:00-00:00", "2025-12-02T10:30:00Z"),
        ("2025-12-02T10:30:00.000+00:00", "2025-12-02T10:30:00Z"),
        ("2025-12-02T10:30:00", "2025-12-02T10:30:00"),
        ("2025-12-02T10:30:00.0", "2025-12-02T10:30:00"),
        ("0001-01-01T00:00:00", "0001-01-01T00:00:00"),
        ("2025-12-02T10:30:00.5Z", None),
        ("2025-12-02T10:30:00.000001", None),
        ("0001-01-01T00:30:00+01:00", None),
        ("9999-12-31T23:30:00-01:00", None),
        ("2025-02-29T10:30:00", None),
        ("2025-12-02", None),
    ],
)
def test_the_datetime_form_of_a_date_time(lexical, written):
    """Each xsd:dateTime in Neptune's ``DateTime`` form, or None where that would lose something."""
    assert whole_datetime(lexical) == written
    assert written is None or VALID["datetime"](written)


def test_neo4j_keeps_the_date_times_as_written(make_kg, tmp_path):
    """Neo4j's datetime keeps a time zone and a fraction: its export is not changed by Neptune's forms."""
    by_node = _dates(make_kg, tmp_path, neo4j)
    a, b = by_node["a"], by_node["b"]
    assert (a["announced:datetime"], b["announced:datetime"]) == (
        "2025-12-02T10:30:00+01:00",
        "2025-12-31T23:30:00-01:00",
    )
    assert a["stamped:datetime"] == "2025-12-02T10:30:00.5Z"
    assert b["held:localdatetime"] == "2025-12-02T23:59:59"  # canonical, as a store writes it: no digit lost
