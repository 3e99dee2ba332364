"""The graph as Amazon Neptune's openCypher bulk-load CSV (``"format": "opencypher"`` for the Neptune loader).

The same nodes, labels, properties and relationships as the Neo4j export (:mod:`kgraph.export.property_graph`),
written the way Neptune's "Load format for openCypher data" describes:

- ``nodes_<Class>.csv``: ``iri:ID,:LABEL,<property>:<Type>,...`` (labels separated by ``;``; the ID, the IRI,
  is stored as the property ``iri``). Types: ``Long``, ``Double``, ``Bool``, ``DateTime``, ``String``. The file
  names are those of the Neo4j export (one differing from another only in case gets a suffix).
- ``DateTime`` takes the forms ``yyyy-MM-dd``, ``yyyy-MM-ddTHH:mm``, ``yyyy-MM-ddTHH:mm:ss`` and
  ``yyyy-MM-ddTHH:mm:ssZ``, and Neptune stores date-times in UTC. So xsd:date values are written as they are
  (``yyyy-MM-dd``); an xsd:dateTime column is a ``DateTime`` when every value is whole seconds: with a time zone
  converted to UTC (``2025-12-02T10:30:00+01:00`` -> ``2025-12-02T09:30:00Z``, the instant kept, the offset not),
  without one written as it is (``2025-12-02T10:30:00``, stored as that time in UTC, as a date is stored as its
  midnight). No form has a fraction of a second, so a column with one (``10:30:00.5``) stays a ``String`` of
  lexical forms, and so does one mixing date-times with and without a time zone (the kinds do not join), or one
  with a date-time whose UTC date falls outside the years 0001 to 9999. Durations and times are ``String``:
  Neptune's ``Duration`` column type is only an alias loaded as a string, unchecked.
- ``relationships.csv``: ``:ID,:START_ID,:END_ID,:TYPE,types:String,sections:String,inferred:Bool``. Neptune
  needs a relationship ID (``userProvidedEdgeIds``, on by default); it is ``r`` and the first 32 hexadecimal
  digits of the SHA-256 of start, type and end, so the same relationship always has the same ID.
- Neptune's openCypher has no list values (an array column is loaded as a set of values, and a relationship
  property may hold only one), so every multi-valued property (``aliases_en``, ``types``, ``sections``, ...) is
  one ``String`` holding a JSON array of the values' texts: ``["AWS Trainium","Trn"]``.
- ``load.sh``: ``sh load.sh upload`` puts the folder's ``.csv`` files in S3 (``aws s3 sync --delete`` in the
  folder that holds it, wherever it is run from); ``sh load.sh`` then sends the loader request (``curl`` to the
  cluster's ``/loader`` endpoint) with ``"mode": "NEW"`` (unless ``NEPTUNE_LOAD_MODE`` says otherwise): the
  loader's default, ``AUTO``, resumes an earlier job from the same S3 folder and, the files of a re-export having
  the same names, loads none of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from kgraph.export.csv_stream import MemorySink, Sink, atomic_folder, csv_line
from kgraph.export.files import remove_stale
from kgraph.export.neo4j import Summary
from kgraph.export.property_graph import (
    DATETIME_KINDS,
    IRI_PROPERTY,
    Column,
    NodeFile,
    NodeRow,
    Plan,
    Relationship,
    nodes,
    plan,
    whole_datetime,
)
from kgraph.store import LoadedGraph

RELATIONSHIP_FILE = "relationships.csv"
LOAD_SCRIPT = "load.sh"
#: The node files depend on the graph: those of an earlier export not written again are removed (Neptune's
#: loader would load them with the rest, since it takes every file under its S3 prefix). So are the Neo4j
#: flavour's ``relationships_<TYPE>.csv`` left in the same folder: they have no ``:ID``, which the loader
#: requires, and would fail the load or add each relationship again.
OWNED = ("nodes_*.csv", "relationships_*.csv")
LABEL_DELIMITER = ";"

#: Column kind -> Neptune openCypher type, for single values.
TYPES: Mapping[str, str] = {
    "long": "Long",
    "double": "Double",
    "boolean": "Bool",
    "date": "DateTime",
}

RELATIONSHIP_HEADER = [":ID", ":START_ID", ":END_ID", ":TYPE", "types:String", "sections:String", "inferred:Bool"]


def neptune_type(column: Column) -> str:
    """The Neptune type of a column: ``String`` for arrays (JSON), for kinds Neptune has no type for, and for a
    date-time column some value of which ``DateTime`` cannot hold (:func:`whole_datetime`: a fraction of a second,
    a UTC year outside 0001-9999)."""
    if column.array:
        return "String"
    if column.kind in DATETIME_KINDS:
        return "DateTime" if column.exact else "String"
    return TYPES.get(column.kind, "String")


def node_file_name(file: NodeFile) -> str:
    return f"nodes_{file.stem}.csv"


def node_header(file: NodeFile) -> list[str]:
    return [f"{IRI_PROPERTY}:ID", ":LABEL", *(f"{c.name}:{neptune_type(c)}" for c in file.columns)]


def _json(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))


def node_values(row: NodeRow) -> list[str | None]:
    fields: list[str | None] = [row.id, LABEL_DELIMITER.join(row.labels)]
    for column in row.file.columns:
        values = row.values.get(column.name)
        if not values:
            fields.append(None)
        elif column.array:
            fields.append(_json(values))
        elif column.exact and column.kind in DATETIME_KINDS:
            fields.append(whole_datetime(values[0]))
        else:
            fields.append(values[0])
    return fields


def relationship_id(start: str, relationship: Relationship) -> str:
    digest = hashlib.sha256("\n".join((start, relationship.type.name, relationship.end)).encode("utf-8"))
    return "r" + digest.hexdigest()[:32]


def relationship_values(start: str, relationship: Relationship) -> list[str | None]:
    return [
        relationship_id(start, relationship),
        start,
        relationship.end,
        relationship.type.name,
        _json(relationship.type.types),
        _json(relationship.sections) if relationship.sections else None,
        "true" if relationship.inferred else "false",
    ]


def write(loaded: LoadedGraph, sink: Sink) -> Summary:
    """Write every file of the Neptune export into ``sink``, streaming the rows."""
    with plan(loaded) as current:
        return _write(current, sink)


def _write(current: Plan, sink: Sink) -> Summary:
    names = {name: node_file_name(f) for name, f in current.files.items()}
    with ExitStack() as stack:
        streams = {name: stack.enter_context(sink.open(file_name)) for name, file_name in names.items()}
        relationships = stack.enter_context(sink.open(RELATIONSHIP_FILE))
        for name, stream in streams.items():
            stream.write(csv_line(node_header(current.files[name])))
        relationships.write(csv_line(RELATIONSHIP_HEADER))
        for row in nodes(current):
            streams[row.file.name].write(csv_line(node_values(row)))
            for relationship in row.relationships:
                relationships.write(csv_line(relationship_values(row.id, relationship)))
    with sink.open(LOAD_SCRIPT) as stream:
        stream.write(load_script(current.node_count, current.relationship_count, empty_strings=current.empty_strings))
    return Summary(
        files=(*sorted(names.values()), RELATIONSHIP_FILE, LOAD_SCRIPT),
        nodes=current.node_count,
        relationships=current.relationship_count,
        array_delimiter=LABEL_DELIMITER,
        multiline=current.multiline,
    )


def load_script(node_count: int, relationship_count: int, *, empty_strings: bool = False) -> str:
    """``load.sh``: put the files of its folder in S3 (``sh load.sh upload``, run in that folder whatever folder it
    is run from, so that no other folder's ``.csv`` goes up), or start a Neptune bulk load of them (``sh load.sh``).

    ``empty_strings``: some value is the empty string, a quoted empty field, which the loader reads as no value
    and leaves out unless ``parserConfiguration`` sets ``allowEmptyStrings`` (Neptune user guide, "Neptune Loader
    Command"); the request then sets it.

    The request's ``mode`` is ``NEW`` unless ``NEPTUNE_LOAD_MODE`` says ``RESUME`` or ``AUTO`` (the same page:
    ``AUTO``, the default, resumes an earlier job from the same source, which skips the files it loaded). A load
    over an earlier one adds labels, properties, nodes and relationships but replaces no value and removes nothing
    ("Special considerations for loading openCypher data"): the script's comments say how to empty the graph first.
    """
    parser = '  \\"parserConfiguration\\": {\\"allowEmptyStrings\\": \\"TRUE\\"},\n' if empty_strings else ""
    return (
        "#!/bin/sh\n"
        "# Bulk-load these files into Amazon Neptune (written by `kgraph export neo4j --flavor neptune`).\n"
        f"# {node_count} nodes, {relationship_count} relationships, in Neptune's openCypher CSV format.\n"
        "# It runs in the folder that holds it, whatever folder it is run from.\n"
        "# 1. Put this folder's .csv files in S3, deleting the .csv files an earlier export left there (the loader\n"
        "#    loads every file under S3_SOURCE, so a class gone from the graph would come back):\n"
        "#      S3_SOURCE=s3://bucket/kgraph/ sh path/to/load.sh upload\n"
        "#    runs, in this folder (not the one it is run from, whose .csv files are no part of this export):\n"
        "#      aws s3 sync . \"$S3_SOURCE\" --delete --exclude '*' --include '*.csv'\n"
        "# 2. From a machine that reaches the cluster, with the loader's IAM role set up, run:\n"
        "#      NEPTUNE_ENDPOINT=host:8182 S3_SOURCE=s3://bucket/kgraph/ IAM_ROLE_ARN=arn:... \\\n"
        "#      AWS_REGION=... sh path/to/load.sh\n"
        "#    (the endpoint as host:port; a https:// before it, as in a Neptune URL, is dropped)\n"
        '#    and follow the load with: curl "https://$NEPTUNE_ENDPOINT/loader/<loadId>"\n'
        "#    A cluster with IAM database authentication takes only requests signed with SigV4, which curl cannot\n"
        "#    make: add NEPTUNE_IAM_AUTH=1 to send it with awscurl (pip install awscurl) and your AWS credentials.\n"
        '#    The request\'s "mode" is NEW, a job that reads every file, unless NEPTUNE_LOAD_MODE says RESUME (go on\n'
        "#    with a load that failed, once its cause is fixed) or AUTO (the loader's own default: it resumes an\n"
        "#    earlier job from the same S3_SOURCE, so after a re-export it counts the files, same names, as loaded,\n"
        "#    loads nothing and reports success).\n"
        "# A load adds to the graph: a node or relationship whose ID is already there gets the labels and\n"
        "# properties it lacks but keeps the values it has (the loader never replaces a value; each property holds\n"
        "# one, a list one JSON text), and what the new files no longer hold stays too. To load a re-export as it\n"
        "# is, empty the graph first: Neptune's fast reset removes all the cluster's data (POST\n"
        '# {"action": "initiateDatabaseReset"} to https://$NEPTUNE_ENDPOINT/system, then {"action":\n'
        '# "performDatabaseReset", "token": ...} with the token it returns), or the openCypher query\n'
        "# MATCH (n:Resource) DETACH DELETE n removes the nodes labelled Resource (every node kgraph writes) and\n"
        "# their relationships.\n"
        "set -eu\n"
        'cd -- "$(dirname -- "$0")"\n'
        ': "${S3_SOURCE:?set S3_SOURCE to the S3 folder holding the .csv files}"\n'
        "case ${1:-load} in\n"
        "upload) exec aws s3 sync . \"$S3_SOURCE\" --delete --exclude '*' --include '*.csv' ;;\n"
        "load) ;;\n"
        '*) echo "usage: sh load.sh [upload | load], not $1" >&2; exit 2 ;;\n'
        "esac\n"
        ': "${NEPTUNE_ENDPOINT:?set NEPTUNE_ENDPOINT to the cluster endpoint, host:port}"\n'
        "endpoint=${NEPTUNE_ENDPOINT#https://}\n"
        "endpoint=${endpoint%/}\n"
        "case $endpoint in\n"
        "*/*)\n"
        '  echo "NEPTUNE_ENDPOINT must be the cluster host:port (no path, no http://), not $NEPTUNE_ENDPOINT" >&2\n'
        "  exit 2 ;;\n"
        "esac\n"
        ': "${IAM_ROLE_ARN:?set IAM_ROLE_ARN to the role the loader reads S3 with}"\n'
        ': "${AWS_REGION:?set AWS_REGION to the region of the cluster}"\n'
        "mode=${NEPTUNE_LOAD_MODE:-NEW}\n"
        "case $mode in\n"
        "NEW | RESUME | AUTO) ;;\n"
        '*) echo "NEPTUNE_LOAD_MODE must be NEW, RESUME or AUTO, not $mode" >&2; exit 2 ;;\n'
        "esac\n"
        'client="curl -sS --fail-with-body"\n'
        'if [ "${NEPTUNE_IAM_AUTH:-}" = 1 ]; then client="awscurl --service neptune-db --region $AWS_REGION"; fi\n'
        '$client -X POST -H "Content-Type: application/json" "https://$endpoint/loader" -d "{\n'
        '  \\"source\\": \\"$S3_SOURCE\\",\n'
        '  \\"format\\": \\"opencypher\\",\n'
        '  \\"mode\\": \\"$mode\\",\n'
        '  \\"userProvidedEdgeIds\\": \\"TRUE\\",\n'
        '  \\"iamRoleArn\\": \\"$IAM_ROLE_ARN\\",\n'
        '  \\"region\\": \\"$AWS_REGION\\",\n'
        '  \\"failOnError\\": \\"TRUE\\",\n'
        f"{parser}"
        '  \\"parallelism\\": \\"MEDIUM\\"\n'
        '}"\n'
    )


def render(loaded: LoadedGraph) -> dict[str, bytes]:
    """The export for ``kgraph build``: ``{"neptune/<file>": bytes}``."""
    sink = MemorySink()
    write(loaded, sink)
    return sink.files("neptune/")


def export(loaded: LoadedGraph, out_dir: Path) -> Summary:
    """Stream the Neptune export into ``out_dir``; previous files are replaced only when all are written."""
    with atomic_folder(out_dir) as sink:
        summary = write(loaded, sink)
    return replace(summary, removed=tuple(remove_stale(out_dir, summary.files, OWNED)))
