"""A checker written from Neo4j's documented import format, run on every file ``kgraph export neo4j`` writes.

The rules come from the Neo4j 5 operations manual, "Import" > "Header format" and "Full import" (options):

- a header entry is ``<name>:<field_type>``; field types are ``ID`` / ``ID(<space>)`` (node files; the name, if
  any, is the property that keeps the ID), ``LABEL``, ``START_ID(<space>)``, ``END_ID(<space>)``, ``TYPE``
  (relationship files), ``IGNORE``, or a property type: one of ``int long float double boolean byte short char
  string point date localtime time localdatetime datetime duration``, ``[]`` appended for an array; no type means
  ``string``;
- a relationship file has one ``START_ID``, one ``END_ID`` and one ``TYPE``; a node file here must have exactly
  one ``ID`` (so that relationships can reach it) and may have a ``LABEL``;
- labels and array elements are separated by the array delimiter (``;`` unless ``--array-delimiter`` says
  otherwise); quotes are doubled (RFC 4180; ``--legacy-style-quoting=false``); a field with a line break needs
  ``--multiline-fields=true``; a field, and a whole row too (with multiline fields or without: see
  :func:`_check_file`), must fit ``--read-buffer-size``;
- IDs are unique within their ID space, and every relationship's start and end exist (else the import fails).

This checks the documented format; it does not run ``neo4j-admin`` (the round trip through a real Cypher engine
is in ``test_neo4j_ladybug.py``).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import PREFIXES
from kgraph.export import neo4j
from kgraph.store import load

PROPERTY_TYPES = frozenset(
    (
        *("int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point"),
        *("date", "localtime", "time", "localdatetime", "datetime", "duration"),
    )
)
_ENTRY = re.compile(
    r"(?P<name>[^:]*)"
    r"(?::(?:(?P<special>ID|START_ID|END_ID)(?:\((?P<space>[^()]*)\))?|(?P<flag>LABEL|TYPE|IGNORE)|"
    r"(?P<type>[a-z]+)(?P<array>\[\])?))?"
)
_LONG = re.compile(r"-?\d+")
_DOUBLE = re.compile(r"[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)")
_ZONE = r"(Z|[+-]\d{2}:\d{2}(:\d{2})?)"
_TIME = r"\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?"
#: Neo4j reads at most 9 digits of a second, nanoseconds, in a time and a duration alike (``DurationValue.parse``).
_DURATION = re.compile(r"-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,9})?S)?)?")
_LABEL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _datetime(value: str, zoned: bool) -> bool:
    match = re.fullmatch(rf"(\d{{4}}-\d{{2}}-\d{{2}})T{_TIME}{_ZONE if zoned else ''}", value)
    return bool(match) and _date(match.group(1))


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "long": lambda v: bool(_LONG.fullmatch(v)) and -(2**63) <= int(v) < 2**63,
    "int": lambda v: bool(_LONG.fullmatch(v)) and -(2**31) <= int(v) < 2**31,
    "double": lambda v: bool(_DOUBLE.fullmatch(v)),
    "float": lambda v: bool(_DOUBLE.fullmatch(v)),
    "boolean": lambda v: v in {"true", "false"},  # Neo4j reads anything but "true" as false: be exact
    "date": _date,
    "datetime": lambda v: _datetime(v, zoned=True),
    "localdatetime": lambda v: _datetime(v, zoned=False),
    "time": lambda v: bool(re.fullmatch(_TIME + _ZONE, v)),
    "localtime": lambda v: bool(re.fullmatch(_TIME, v)),
    "duration": lambda v: bool(_DURATION.fullmatch(v)),
    "string": lambda v: True,
}


@dataclass
class Entry:
    name: str
    special: str | None = None  # ID, START_ID, END_ID, LABEL, TYPE, IGNORE
    space: str = ""
    type: str = "string"
    array: bool = False


def parse_entry(text: str) -> Entry | str:
    """A header entry, or what is wrong with it."""
    match = _ENTRY.fullmatch(text)
    if not match:
        return f"header entry {text!r} does not read as <name>:<field_type>"
    if match["special"] or match["flag"]:
        return Entry(match["name"], match["special"] or match["flag"], match["space"] or "")
    kind = match["type"] or "string"
    if kind not in PROPERTY_TYPES:
        return f"header entry {text!r}: {kind!r} is not a Neo4j property type"
    if not match["name"]:
        return f"header entry {text!r} has no property name"
    return Entry(match["name"], None, "", kind, bool(match["array"]))


@dataclass
class Options:
    delimiter: str = ","
    array_delimiter: str = ";"
    quote: str = '"'
    multiline: bool = False
    read_buffer: int = 4 << 20  # bytes; the importer's default is 4m; it must hold the widest row
    nodes: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)


def _char(value: str) -> str:
    if value.startswith("U+"):
        return chr(int(value[2:], 16))
    return {"TAB": "\t", "\\t": "\t"}.get(value, value)


def read_import_script(folder: Path) -> Options:
    """The options and files of the ``neo4j-admin database import full`` command in ``import.sh``."""
    text = (folder / neo4j.IMPORT_SCRIPT).read_text(encoding="utf-8")
    command = text[text.index("database import full") :]
    options = Options()
    for word in shlex.split(command.replace("\\\n", " ")):
        name, _, value = word.partition("=")
        if name == "--delimiter":
            options.delimiter = _char(value)
        elif name == "--array-delimiter":
            options.array_delimiter = _char(value)
        elif name == "--quote":
            options.quote = _char(value)
        elif name == "--multiline-fields":
            options.multiline = value == "true"
        elif name == "--read-buffer-size":
            number, unit = (value[:-1], value[-1].lower()) if value[-1:].isalpha() else (value, "")
            options.read_buffer = int(number) << {"": 0, "k": 10, "m": 20, "g": 30}[unit]
        elif name == "--nodes":
            options.nodes.append(value.rpartition("=")[2])
        elif name == "--relationships":
            options.relationships.append(value.rpartition("=")[2])
    return options


def read_rows(path: Path, options: Options) -> list[list[str]]:
    csv.field_size_limit(1 << 30)  # Python's csv stops at 128 KiB a field; Neo4j reads what its buffer holds
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream, delimiter=options.delimiter, quotechar=options.quote, strict=True))


def check_folder(folder: Path) -> list[str]:
    """Every way the files of ``folder`` break Neo4j's documented import format (empty: none)."""
    options = read_import_script(folder)
    problems: list[str] = []
    if options.array_delimiter in (options.delimiter, options.quote):
        problems.append("the array delimiter must differ from the delimiter and the quote")
    ids: dict[str, set[str]] = {}
    references: list[tuple[str, str, str]] = []
    for name in options.nodes:
        problems += _check_file(folder / name, options, "node", ids, references)
    for name in options.relationships:
        problems += _check_file(folder / name, options, "relationship", ids, references)
    for where, space, value in references:
        if value not in ids.get(space, set()):
            problems.append(f"{where}: no node has the ID {value!r} in the ID space {space!r}")
    return problems


def _check_file(
    path: Path, options: Options, kind: str, ids: dict[str, set[str]], references: list[tuple[str, str, str]]
) -> list[str]:
    if not path.is_file():
        return [f"{path.name}: import.sh names it, but it does not exist"]
    try:
        rows = read_rows(path, options)
    except (UnicodeDecodeError, csv.Error) as error:
        return [f"{path.name}: not readable as UTF-8 CSV: {error}"]
    if not rows:
        return [f"{path.name}: no header"]
    entries = [parse_entry(text) for text in rows[0]]
    problems = [f"{path.name}: {e}" for e in entries if isinstance(e, str)]
    if problems:
        return problems
    header = [e for e in entries if isinstance(e, Entry)]
    problems += _check_header(path.name, header, kind)
    if problems:
        return problems
    for number, row in enumerate(rows[1:], start=2):
        where = f"{path.name}:{number}"
        if len(row) != len(header):
            problems.append(f"{where}: {len(row)} fields, the header has {len(header)}")
            continue
        widths = []
        for entry, value in zip(header, row, strict=True):
            problems += _check_value(where, entry, value, options=options, ids=ids, references=references)
            written = len(value.encode("utf-8")) + value.count(options.quote) + 2  # quoted, quotes doubled
            widths.append(written)
            if written > options.read_buffer:
                problems.append(
                    f"{where}: a field of {written:,} bytes, over the read buffer ({options.read_buffer:,})"
                )
        # A whole row must fit: with --multiline-fields=true "the entirety of every row must be able to fit into the
        # buffer" (the manual); without, the importer cuts each file into chunks of the buffer's size at the last
        # newline in each, and fails when a chunk holds none (ClosestNewLineChunker in Neo4j's source).
        if sum(widths) + len(widths) > options.read_buffer:
            problems.append(
                f"{where}: a row of {sum(widths) + len(widths):,} bytes, over the read buffer ({options.read_buffer:,})"
            )
    return problems


def _check_header(name: str, header: list[Entry], kind: str) -> list[str]:
    count = {s: sum(1 for e in header if e.special == s) for s in ("ID", "START_ID", "END_ID", "TYPE", "LABEL")}
    problems = []
    wanted = {"ID": 1, "START_ID": 0, "END_ID": 0, "TYPE": 0} if kind == "node" else {}
    if kind == "relationship":
        wanted = {"ID": 0, "LABEL": 0, "START_ID": 1, "END_ID": 1, "TYPE": 1}
    problems += [
        f"{name}: a {kind} file needs {n} {s} column(s), it has {count[s]}" for s, n in wanted.items() if count[s] != n
    ]
    if kind == "node" and count["LABEL"] > 1:
        problems.append(f"{name}: more than one LABEL column")
    properties = [e.name for e in header if e.special is None]
    properties += [e.name for e in header if e.special == "ID" and e.name]
    if len(properties) != len(set(properties)):
        problems.append(f"{name}: a property appears twice in the header")
    return problems


def _check_value(
    where: str,
    entry: Entry,
    value: str,
    *,
    options: Options,
    ids: dict[str, set[str]],
    references: list[tuple[str, str, str]],
) -> list[str]:
    problems = []
    if ("\n" in value or "\r" in value) and not options.multiline:
        problems.append(f"{where}: {entry.name or entry.special} holds a line break but --multiline-fields is off")
    if entry.special in {"ID", "START_ID", "END_ID", "TYPE"} and value == "":
        return [*problems, f"{where}: an empty {entry.special}"]
    if entry.special == "ID":
        space = ids.setdefault(entry.space, set())
        if value in space:
            problems.append(f"{where}: the ID {value!r} appears twice in the ID space {entry.space!r}")
        space.add(value)
    elif entry.special in {"START_ID", "END_ID"}:
        references.append((where, entry.space, value))
    elif entry.special in {"LABEL", "TYPE"}:
        names = value.split(options.array_delimiter) if entry.special == "LABEL" else [value]
        problems += [f"{where}: {n!r} is not a plain label or type name" for n in names if not _LABEL.fullmatch(n)]
    elif entry.special is None and value != "":
        elements = value.split(options.array_delimiter) if entry.array else [value]
        valid = VALIDATORS.get(entry.type, lambda _v: True)
        problems += [f"{where}: {entry.name}: {e!r} is not a valid {entry.type}" for e in elements if not valid(e)]
    return problems


# ------------------------------------------------------------------------------------------------ the tests


@pytest.fixture(scope="module")
def exported(loaded, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("neo4j")
    neo4j.export(loaded, folder)
    return folder


def test_every_exported_file_follows_the_documented_format(exported):
    assert check_folder(exported) == []


def test_import_script_names_every_csv_file_once(exported):
    options = read_import_script(exported)
    listed = options.nodes + options.relationships
    assert sorted(listed) == sorted(p.name for p in exported.glob("*.csv"))
    assert len(listed) == len(set(listed))
    assert options.nodes and all(n.startswith("nodes_") for n in options.nodes)


def test_headers_of_the_bundled_graph(exported):
    figure = read_rows(exported / "nodes_Figure.csv", Options())[0]
    assert figure[:2] == ["iri:ID(Resource)", ":LABEL"]
    assert {"value:double", "unit:string", "metric_en:string", "metric_zh:string", "fromValue:long"} <= set(figure)
    entity = read_rows(exported / "nodes_Entity.csv", Options())[0]
    assert {"label_en:string", "label_zh:string", "aliases_en:string[]", "description_zh:string"} <= set(entity)
    section = read_rows(exported / "nodes_SourceSection.csv", Options())[0]
    assert {"order:long", "startTime:duration", "endTime:duration"} <= set(section)
    relationships = read_rows(exported / "relationships_USES.csv", Options())[0]
    assert relationships == neo4j.RELATIONSHIP_HEADER


def test_a_text_column_beside_a_double_is_a_string_column_of_the_same_numbers(make_kg, tmp_path):
    """Where a double loses a literal's digits, the file has ``<name>_text:string`` too (an array for an array),
    which in every row holds a text exactly where the double has a number, one for each, each the number the
    double is nearest to."""
    data = PREFIXES + (
        "src:a { kgr:a a kg:Company ; kg:value 12345678901234567890.5 ; kg:fromValue 9007199254740993 , 0.5 ."
        " kgr:b a kg:Company ; kg:value 4.4 ; kg:fromValue 3 . kgr:c a kg:Company . }"
    )
    neo4j.export(load(*make_kg({"d.trig": data})), tmp_path / "out")
    assert check_folder(tmp_path / "out") == []
    options = read_import_script(tmp_path / "out")
    rows = read_rows(tmp_path / "out" / "nodes_Entity.csv", options)
    header = rows[0]
    pairs = [("value:double", "value_text:string"), ("fromValue:double[]", "fromValue_text:string[]")]
    for number_entry, text_entry in pairs:
        number_at, text_at = header.index(number_entry), header.index(text_entry)
        lossy = 0
        for row in rows[1:]:
            numbers, texts = (row[number_at].split(";"), row[text_at].split(";")) if row[number_at] else ([], [])
            assert bool(row[number_at]) == bool(row[text_at])
            assert [float(n) for n in numbers] == [float(Decimal(t)) for t in texts]
            lossy += [Decimal(n) for n in numbers] != [Decimal(t) for t in texts]
        assert lossy == 1  # node a's: the others' doubles are exact


def test_a_fraction_of_a_second_past_nanoseconds_makes_its_column_a_string(make_kg, tmp_path):
    """Neo4j reads at most 9 digits of a second (its parsers of a duration and of a time, a date-time's too, refuse
    more, and the import fails): a value with more makes its column a ``string``, every digit written, as a negative
    duration does. Nine digits, or more that are zeros (which the canonical form drops), stay typed."""
    data = PREFIXES + (
        'src:a { kgr:a a kg:Company ; kg:at "2025-12-02T10:30:00.1234567891Z"^^xsd:dateTime ;'
        ' kg:lasts "PT0.0000000001S"^^xsd:duration ; kg:clock "10:30:00.1234567891"^^xsd:time ;'
        ' kg:stamp "2025-12-02T10:30:00.12345678900+01:00"^^xsd:dateTime ; kg:span "PT1.0000000000S"^^xsd:duration ;'
        ' kg:tick "10:30:00.5000000000Z"^^xsd:time .'
        ' kgr:b a kg:Company ; kg:at "2025-12-02T10:30:00.123456789Z"^^xsd:dateTime ;'
        ' kg:lasts "PT0.000000001S"^^xsd:duration ; kg:clock "10:30:00.123456789"^^xsd:time . }'
    )
    neo4j.export(load(*make_kg({"d.trig": data})), tmp_path / "out")
    assert check_folder(tmp_path / "out") == []
    rows = read_rows(tmp_path / "out" / "nodes_Entity.csv", read_import_script(tmp_path / "out"))
    values = {entry: {row[0].rsplit("/", 1)[-1]: row[at] for row in rows[1:]} for at, entry in enumerate(rows[0])}
    assert values["at:string"] == {"a": "2025-12-02T10:30:00.1234567891Z", "b": "2025-12-02T10:30:00.123456789Z"}
    assert values["lasts:string"] == {"a": "PT0.0000000001S", "b": "PT0.000000001S"}
    assert values["clock:string"] == {"a": "10:30:00.1234567891", "b": "10:30:00.123456789"}
    assert values["stamp:datetime"]["a"] == "2025-12-02T10:30:00.123456789+01:00"
    assert values["span:duration"]["a"] == "PT1S"
    assert values["tick:time"]["a"] == "10:30:00.5Z"


# --- the checker finds what it is meant to find (each case breaks one rule)

NODES = "iri:ID(Resource),:LABEL,name:string,n:long\na,Thing;Resource,A,1\nb,Resource,B,2\n"
RELATIONSHIPS = ":START_ID(Resource),:END_ID(Resource),:TYPE\na,b,LINKS\n"
SCRIPT = "neo4j-admin database import full --array-delimiter=';' --nodes=n.csv --relationships=r.csv db\n"


def _folder(tmp_path: Path, nodes: str = NODES, relationships: str = RELATIONSHIPS, script: str = SCRIPT) -> Path:
    (tmp_path / "n.csv").write_text(nodes, encoding="utf-8")
    (tmp_path / "r.csv").write_text(relationships, encoding="utf-8")
    (tmp_path / "import.sh").write_text(script, encoding="utf-8")
    return tmp_path


def test_the_checker_passes_a_good_folder(tmp_path):
    assert check_folder(_folder(tmp_path)) == []


@pytest.mark.parametrize(
    ("nodes", "relationships", "expected"),
    [
        (NODES.replace("n:long", "n:integer"), RELATIONSHIPS, "'integer' is not a Neo4j property type"),
        (NODES.replace(",1\n", ",one\n"), RELATIONSHIPS, "'one' is not a valid long"),
        (NODES.replace("b,Resource", "a,Resource"), RELATIONSHIPS, "appears twice in the ID space"),
        (NODES, RELATIONSHIPS.replace("a,b", "a,c"), "no node has the ID 'c'"),
        (NODES.replace(",2\n", ",2,3\n"), RELATIONSHIPS, "5 fields, the header has 4"),
        (NODES.replace("iri:ID(Resource)", "iri:string"), RELATIONSHIPS, "needs 1 ID column"),
        (NODES, RELATIONSHIPS.replace(",:TYPE", ",kind").replace("LINKS", "x"), "needs 1 TYPE column"),
        (NODES, RELATIONSHIPS.replace(":END_ID(Resource)", ":END_ID(Other)"), "in the ID space 'Other'"),
        (NODES.replace("Thing;Resource", "Thing Two"), RELATIONSHIPS, "not a plain label"),
        (NODES.replace(",A,", ',"A\nB",'), RELATIONSHIPS, "--multiline-fields is off"),
        (NODES.replace("n:long", "n:long[]").replace(",1\n", ",1;x\n"), RELATIONSHIPS, "'x' is not a valid long"),
    ],
)
def test_the_checker_finds_each_broken_rule(tmp_path, nodes, relationships, expected):
    problems = check_folder(_folder(tmp_path, nodes, relationships))
    assert any(expected in p for p in problems), problems


def test_the_checker_reads_the_options_of_import_sh(tmp_path):
    script = SCRIPT.replace("--array-delimiter=';'", "--array-delimiter=U+001F --multiline-fields=true")
    folder = _folder(tmp_path, NODES.replace("Thing;Resource", "Thing\x1fResource"), script=script)
    assert read_import_script(folder).array_delimiter == "\x1f"
    assert check_folder(folder) == []
