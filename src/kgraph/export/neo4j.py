"""The graph as CSV files for Neo4j 5 and later: ``neo4j-admin database import full``, or ``LOAD CSV`` on a server.

Files (see :mod:`kgraph.export.property_graph` for what becomes a node, a label, a property, a relationship):

- ``nodes_<Class>.csv``: one per top class (``nodes_Entity.csv``, ``nodes_Figure.csv``, ...), with the header
  ``iri:ID(Resource),:LABEL,<property>:<type>,...`` as the operations manual ("Import" > "Header format")
  describes it; labels and array elements are separated by the array delimiter.
- ``relationships_<TYPE>.csv``: one per relationship type, ``:START_ID(Resource),:END_ID(Resource),:TYPE,
  types:string[],sections:string[],inferred:boolean``.
- A class or type whose name differs from another's only in case (``Gadget``, ``gadget``) has ``-`` and 8
  hexadecimal digits after its name in the file's (``nodes_gadget-4e5aa69a.csv``), so that no two files are one
  on a case-insensitive file system (:func:`kgraph.export.property_graph.file_stems`).
- ``import.sh``: the ``neo4j-admin database import full`` command for exactly these files and options;
  ``load.cypher``: the uniqueness constraint, then one ``LOAD CSV WITH HEADERS`` per file, each batched by a
  ``CALL (row) { ... } IN TRANSACTIONS``: Neo4j 5.23 and later, under Cypher 5 and Cypher 25 alike;
  ``load-before-5.23.cypher``: the same with the importing ``WITH`` (``CALL { WITH row ... }``) that Neo4j 5.0 to
  5.22 need, which 5.23 and later deprecate (Cypher manual, "Deprecations, additions, and compatibility", 5.23).

CSV is RFC 4180 in UTF-8: fields with a comma, a quote or a line break are quoted, quotes doubled; an empty
field is "no value" and ``""`` the empty string (Neo4j's default ``--ignore-empty-strings=false``). The array
delimiter is ``;`` unless an array element holds a ``;``; then it is the first of ``|``, U+001F, U+001E, U+001D,
U+001C that none holds, and ``import.sh`` and ``load.cypher`` say so. ``import.sh`` sets
``--multiline-fields=true`` exactly when a value holds a line break, and ``--read-buffer-size`` when the biggest
field or the widest row would not fit the importer's default buffer. Neo4j cannot tell an array holding only the
empty string from an empty array, which it does not import: such a value is lost.

:func:`export` streams: it writes each row as it reads the node's triples, into temporary files that replace
the previous export only when every file is complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from kgraph.errors import InputError
from kgraph.export.csv_stream import MemorySink, Sink, atomic_folder, csv_line
from kgraph.export.files import remove_stale
from kgraph.export.property_graph import (
    IRI_PROPERTY,
    RESOURCE,
    WATCHED_CHARACTERS,
    Column,
    NodeFile,
    NodeRow,
    Plan,
    Relationship,
    RelationshipType,
    nodes,
    plan,
)
from kgraph.store import LoadedGraph

#: Array delimiters, in order of preference; the first that no array element holds is used.
DELIMITERS = tuple(WATCHED_CHARACTERS)
IMPORT_SCRIPT = "import.sh"
LOAD_SCRIPT = "load.cypher"
#: load.cypher for Neo4j 5.0 to 5.22, which lack the variable scope clause ``CALL (row) { ... }``.
LEGACY_LOAD_SCRIPT = "load-before-5.23.cypher"
#: The files an export writes that depend on the graph: those of an earlier export not written again are removed.
OWNED = ("nodes_*.csv", "relationships_*.csv")
#: The buffer in which neo4j-admin's importer reads (its default: 4 MiB): a longer field, or a longer line, fails
#: the import.
READ_BUFFER = 4 << 20
#: The buffer in which LOAD CSV reads one field (``db.import.csv.buffer_size``, 2 MiB by default); a longer field
#: fails the statement ("CSV buffer size overflow").
LOAD_CSV_BUFFER = 2 << 20
#: Rows per transaction in load.cypher.
BATCH = 1000

#: How load.cypher turns a CSV text into each Neo4j type.
_CYPHER_CONVERSIONS: Mapping[str, str] = {
    "long": "toInteger({})",
    "double": "toFloat({})",
    "boolean": "({} = 'true')",
    "date": "date({})",
    "datetime": "datetime({})",
    "localdatetime": "localdatetime({})",
    "time": "time({})",
    "localtime": "localtime({})",
    "duration": "duration({})",
    "string": "{}",
}


@dataclass(frozen=True)
class Summary:
    """What an export wrote."""

    files: tuple[str, ...]
    nodes: int
    relationships: int
    array_delimiter: str
    multiline: bool
    #: The files of an earlier export that this one removed (:func:`kgraph.export.files.remove_stale`).
    removed: tuple[Path, ...] = ()


def node_file_name(file: NodeFile) -> str:
    return f"nodes_{file.stem}.csv"


def relationship_file_name(kind: RelationshipType) -> str:
    return f"relationships_{kind.stem}.csv"


def array_delimiter(current: Plan) -> str:
    """The first of :data:`DELIMITERS` that occurs in no array element."""
    for candidate in DELIMITERS:
        if candidate not in current.array_characters:
            return candidate
    shown = " ".join(_unicode(c) for c in DELIMITERS)
    raise InputError(f"every array delimiter kgraph can use ({shown}) occurs in some label or alias; remove one")


def _unicode(character: str) -> str:
    return f"U+{ord(character):04X}"


def header(column: Column) -> str:
    return f"{column.name}:{column.kind}{'[]' if column.array else ''}"


def node_header(file: NodeFile) -> list[str]:
    return [f"{IRI_PROPERTY}:ID({RESOURCE})", ":LABEL", *(header(c) for c in file.columns)]


RELATIONSHIP_HEADER = [
    f":START_ID({RESOURCE})",
    f":END_ID({RESOURCE})",
    ":TYPE",
    "types:string[]",
    "sections:string[]",
    "inferred:boolean",
]


def write(loaded: LoadedGraph, sink: Sink) -> Summary:
    """Write every file of the export into ``sink``, streaming the rows."""
    with plan(loaded) as current:
        return _write(current, sink)


def _write(current: Plan, sink: Sink) -> Summary:
    delimiter = array_delimiter(current)
    node_names = {name: node_file_name(f) for name, f in current.files.items()}
    types = sorted(current.relationship_types.values(), key=lambda t: t.name)
    with ExitStack() as stack:
        node_streams = {name: _opened(stack, sink, file_name) for name, file_name in node_names.items()}
        relationship_streams = {t.name: _opened(stack, sink, relationship_file_name(t)) for t in types}
        for name, stream in node_streams.items():
            stream.write(csv_line(node_header(current.files[name])))
        for stream in relationship_streams.values():
            stream.write(csv_line(RELATIONSHIP_HEADER))
        for row in nodes(current):
            node_streams[row.file.name].write(csv_line(node_values(row, delimiter)))
            for relationship in row.relationships:
                stream = relationship_streams[relationship.type.name]
                stream.write(csv_line(relationship_values(row.id, relationship, delimiter)))
    files = [*sorted(node_names.values()), *(relationship_file_name(t) for t in types)]
    with sink.open(IMPORT_SCRIPT) as stream:
        stream.write(import_script(current, delimiter))
    with sink.open(LOAD_SCRIPT) as stream:
        stream.write(load_script(current, delimiter))
    with sink.open(LEGACY_LOAD_SCRIPT) as stream:
        stream.write(load_script(current, delimiter, scope_clause=False))
    return Summary(
        files=(*files, IMPORT_SCRIPT, LOAD_SCRIPT, LEGACY_LOAD_SCRIPT),
        nodes=current.node_count,
        relationships=current.relationship_count,
        array_delimiter=delimiter,
        multiline=current.multiline,
    )


def _opened(stack: ExitStack, sink: Sink, name: str) -> TextIO:
    return stack.enter_context(sink.open(name))


def node_values(row: NodeRow, delimiter: str) -> list[str | None]:
    """The fields of one node row, in the order of :func:`node_header`."""
    fields: list[str | None] = [row.id, delimiter.join(row.labels)]
    for column in row.file.columns:
        values = row.values.get(column.name)
        if not values:
            fields.append(None)
        else:
            fields.append(delimiter.join(values) if column.array else values[0])
    return fields


def relationship_values(start: str, relationship: Relationship, delimiter: str) -> list[str | None]:
    """The fields of one relationship row, in the order of :data:`RELATIONSHIP_HEADER`."""
    return [
        start,
        relationship.end,
        relationship.type.name,
        delimiter.join(relationship.type.types),
        delimiter.join(relationship.sections) or None,
        "true" if relationship.inferred else "false",
    ]


# ------------------------------------------------------------------------------------------------ scripts


def _shell_delimiter(delimiter: str) -> str:
    return f"'{delimiter}'" if delimiter.isprintable() else _unicode(delimiter)


def import_script(current: Plan, delimiter: str) -> str:
    """``import.sh``: the ``neo4j-admin database import full`` command for these files."""
    files = [f"--nodes={node_file_name(f)}" for f in current.files.values()]
    types = sorted(current.relationship_types.values(), key=lambda t: t.name)
    files += [f"--relationships={relationship_file_name(t)}" for t in types]
    options = [
        "--id-type=string",
        "--delimiter=','",
        f"--array-delimiter={_shell_delimiter(delimiter)}",
        "--quote='\"'",
        f"--multiline-fields={'true' if current.multiline else 'false'}",
        "--trim-strings=false",
        "--ignore-empty-strings=false",
        "--legacy-style-quoting=false",
    ]
    # The buffer must hold the biggest field and the widest row, with multiline fields (Neo4j's manual, "Importing
    # data that spans multiple lines") or without: the importer then cuts each file into chunks of the buffer's size
    # at the last newline in each, and fails when one holds none ("Weird input data, no newline character in the
    # whole buffer": ClosestNewLineChunker in Neo4j's source), so a whole line must fit. Twice it, in whole MiB.
    held = max(current.longest, current.widest_row)
    if held > READ_BUFFER // 2:
        options.append(f"--read-buffer-size={-(-2 * held // (1 << 20))}m")
    # The database name comes first: from Neo4j 5.19 on, a name after the last --relationships=FILE is read as
    # another file of it ("File 'neo4j' doesn't exist"). Options given to the script go before the files.
    lines = " \\\n".join(f"    {line}" for line in (*options, '"$@"', *files))
    return (
        "#!/bin/sh\n"
        "# Import these files into a new database of Neo4j 5 or later (5.x, 2025.x, 2026.x) with neo4j-admin\n"
        "# (written by `kgraph export neo4j`).\n"
        "# Stop Neo4j, then run:  sh import.sh [DATABASE] [OPTION...]   (default: neo4j)\n"
        "# neo4j-admin must be on PATH, or set NEO4J_HOME. The options go to neo4j-admin: an existing database is\n"
        "# left alone unless you add --overwrite-destination=true. Afterwards start Neo4j; a database other than\n"
        "# the default one must then be created, CREATE DATABASE name (Enterprise Edition: Community Edition serves\n"
        "# its default database only). Then create the uniqueness constraint, the first statement of load.cypher.\n"
        f"# {current.node_count} nodes, {current.relationship_count} relationships.\n"
        "set -eu\n"
        'cd -- "$(dirname -- "$0")"\n'
        "database=neo4j\n"
        "if [ $# -gt 0 ]; then case $1 in -*) ;; *) database=$1; shift ;; esac; fi\n"
        '"${NEO4J_HOME:+$NEO4J_HOME/bin/}neo4j-admin" database import full "$database" \\\n'
        f"{lines}\n"
    )


def _cypher_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return "'" + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + "'"


def _cypher_value(column_header: str, column: Column, delimiter: str) -> str:
    field = f"row.`{column_header}`"
    convert = _CYPHER_CONVERSIONS[column.kind]
    if not column.array:
        return convert.format(field)
    element = convert.format("v")
    split = f"split({field}, {_cypher_string(delimiter)})"
    listed = split if element == "v" else f"[v IN {split} | {element}]"
    return f"CASE WHEN {field} = '' THEN null ELSE {listed} END"


def load_script(current: Plan, delimiter: str, *, scope_clause: bool = True) -> str:
    """``load.cypher``: the uniqueness constraint, then ``LOAD CSV`` of every node file and relationship file.

    Each file is loaded in batches, ``CALL (row) { ... } IN TRANSACTIONS``: the variable scope clause exists from
    Neo4j 5.23 on, under Cypher 5 and Cypher 25. ``scope_clause=False`` writes ``load-before-5.23.cypher``, which
    imports the row with ``CALL { WITH row ... }`` as Neo4j 5.0 to 5.22 need; 5.23 and later run that too, but
    warn that it is deprecated, once per statement.
    """
    name, versions = (LOAD_SCRIPT, "Neo4j 5.23 or later") if scope_clause else (LEGACY_LOAD_SCRIPT, "Neo4j 5.0-5.22")
    parts = [
        f"// Load these files into a running {versions} server (written by `kgraph export neo4j`).\n"
        f"// Copy the .csv files into the server's import folder, then run:  cypher-shell -f {name}\n"
        "// (in Neo4j Browser, prefix each LOAD CSV statement with :auto).\n"
        "// MERGE makes every statement safe to repeat.\n"
        "// After `neo4j-admin database import`, run only the first statement.\n"
    ]
    if scope_clause:
        parts[0] += (
            "// It runs under Cypher 5 and Cypher 25. Neo4j 5.0 to 5.22 cannot read CALL (row) { ... }: there, run\n"
            f"// {LEGACY_LOAD_SCRIPT} instead.\n"
        )
    else:
        parts[0] += (
            "// Neo4j 5.23 and later run it too but warn that CALL { WITH row ... } is deprecated: run load.cypher.\n"
        )
    if current.backslash:
        parts[0] += (
            "// Some values hold a backslash. These files quote as RFC 4180 does (a quote doubled), and LOAD CSV\n"
            "// reads a backslash before a quote as an escape unless the server's neo4j.conf has\n"
            "//   db.import.csv.legacy_quote_escaping=false\n"
            "// Set it (and restart) before running this file, or such a value runs on into the next field.\n"
        )
    if current.longest > LOAD_CSV_BUFFER:  # as for import.sh: twice the biggest field, in whole MiB
        size = -(-2 * current.longest // (1 << 20)) << 20
        parts[0] += (
            "// Some field is longer than LOAD CSV reads by default (2 MiB): set, in the server's neo4j.conf,\n"
            f"//   db.import.csv.buffer_size={size}\n"
            "// (and restart) before running this file, or the statement that reads it fails.\n"
        )
    parts[0] += "CREATE CONSTRAINT resource_iri IF NOT EXISTS FOR (n:Resource) REQUIRE n.iri IS UNIQUE;\n"
    parts += [_load_nodes(file, delimiter, scope_clause) for file in current.files.values()]
    types = sorted(current.relationship_types.values(), key=lambda t: t.name)
    parts += [_load_relationships(kind, delimiter, scope_clause) for kind in types]
    return "\n".join(parts)


def _load_nodes(file: NodeFile, delimiter: str, scope_clause: bool) -> str:
    id_field = f"row.`{IRI_PROPERTY}:ID({RESOURCE})`"
    sets = [f"n.`{c.name}` = {_cypher_value(header(c), c, delimiter)}" for c in file.columns]
    labels = f"split(row.`:LABEL`, {_cypher_string(delimiter)})"
    label_lines = [
        f"  FOREACH (_ IN CASE WHEN '{label}' IN labels THEN [1] ELSE [] END | SET n:{label})\n"
        for label in file.labels
        if label != RESOURCE
    ]
    body = "".join(
        [
            f"  MERGE (n:{RESOURCE} {{{IRI_PROPERTY}: {id_field}}})\n",
            *([f"  SET {(',' + chr(10) + '      ').join(sets)}\n"] if sets else []),
            # Cypher refuses a query that ends with WITH: only when labels follow (not for nodes_Resource.csv).
            *([f"  WITH n, {labels} AS labels\n", *label_lines] if label_lines else []),
        ]
    )
    return _batched(node_file_name(file), body, scope_clause)


def _load_relationships(kind: RelationshipType, delimiter: str, scope_clause: bool) -> str:
    d = _cypher_string(delimiter)
    body = (
        f"  MATCH (a:{RESOURCE} {{{IRI_PROPERTY}: row.`:START_ID({RESOURCE})`}})\n"
        f"  MATCH (b:{RESOURCE} {{{IRI_PROPERTY}: row.`:END_ID({RESOURCE})`}})\n"
        f"  MERGE (a)-[r:{kind.name}]->(b)\n"
        f"  SET r.types = split(row.`types:string[]`, {d}),\n"
        f"      r.sections = split(row.`sections:string[]`, {d}),\n"
        "      r.inferred = (row.`inferred:boolean` = 'true')\n"
    )
    return _batched(relationship_file_name(kind), body, scope_clause)


def _batched(file_name: str, body: str, scope_clause: bool) -> str:
    return (
        f"LOAD CSV WITH HEADERS FROM 'file:///{file_name}' AS row\n"
        + ("CALL (row) {\n" if scope_clause else "CALL {\n  WITH row\n")
        + body
        + f"}} IN TRANSACTIONS OF {BATCH} ROWS;\n"
    )


# ------------------------------------------------------------------------------------------------ entry points


def render(loaded: LoadedGraph) -> dict[str, bytes]:
    """The export for ``kgraph build``: ``{"neo4j/<file>": bytes}`` (the bundled graph is small)."""
    sink = MemorySink()
    write(loaded, sink)
    return sink.files("neo4j/")


def export(loaded: LoadedGraph, out_dir: Path) -> Summary:
    """Stream the export into ``out_dir``; the previous files there are replaced only when all are written."""
    with atomic_folder(out_dir) as sink:
        summary = write(loaded, sink)
    return replace(summary, removed=tuple(remove_stale(out_dir, summary.files, OWNED)))
