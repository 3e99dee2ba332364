#!/bin/sh
# Import these files into a new database of Neo4j 5 or later (5.x, 2025.x, 2026.x) with neo4j-admin
# (written by `kgraph export neo4j`).
# Stop Neo4j, then run:  sh import.sh [DATABASE] [OPTION...]   (default: neo4j)
# neo4j-admin must be on PATH, or set NEO4J_HOME. The options go to neo4j-admin: an existing database is
# left alone unless you add --overwrite-destination=true. Afterwards start Neo4j; a database other than
# the default one must then be created, CREATE DATABASE name (Enterprise Edition: Community Edition serves
# its default database only). Then create the uniqueness constraint, the first statement of load.cypher.
# 165 nodes, 522 relationships.
set -eu
cd -- "$(dirname -- "$0")"
database=neo4j
if [ $# -gt 0 ]; then case $1 in -*) ;; *) database=$1; shift ;; esac; fi
"${NEO4J_HOME:+$NEO4J_HOME/bin/}neo4j-admin" database import full "$database" \
    --id-type=string \
    --delimiter=',' \
    --array-delimiter=';' \
    --quote='"' \
    --multiline-fields=false \
    --trim-strings=false \
    --ignore-empty-strings=false \
    --legacy-style-quoting=false \
    "$@" \
    --nodes=nodes_Entity.csv \
    --nodes=nodes_Figure.csv \
    --nodes=nodes_SourceDocument.csv \
    --nodes=nodes_SourceSection.csv \
    --relationships=relationships_ABOUT.csv \
    --relationships=relationships_ADDED_TO.csv \
    --relationships=relationships_ANNOUNCED_AT.csv \
    --relationships=relationships_BUILT_ON.csv \
    --relationships=relationships_COMPARED_WITH.csv \
    --relationships=relationships_CUSTOMER_OF.csv \
    --relationships=relationships_DEVELOPED_BY.csv \
    --relationships=relationships_EMBODIES.csv \
    --relationships=relationships_FEATURED_AT.csv \
    --relationships=relationships_FIGURE_OF.csv \
    --relationships=relationships_HOSTED.csv \
    --relationships=relationships_INTEGRATES.csv \
    --relationships=relationships_IS_PART_OF.csv \
    --relationships=relationships_LEADS.csv \
    --relationships=relationships_MEMBER_OF.csv \
    --relationships=relationships_MIGRATES_FROM.csv \
    --relationships=relationships_MIGRATES_TO.csv \
    --relationships=relationships_PARTNER_OF.csv \
    --relationships=relationships_PART_OF.csv \
    --relationships=relationships_POWERED_BY.csv \
    --relationships=relationships_REPORTED_AT.csv \
    --relationships=relationships_SPEAKER_AT.csv \
    --relationships=relationships_STREAMED_ON.csv \
    --relationships=relationships_SUB_EVENT_OF.csv \
    --relationships=relationships_SUCCEEDS.csv \
    --relationships=relationships_SUPPORTS_MIGRATION.csv \
    --relationships=relationships_TOPIC.csv \
    --relationships=relationships_TRAINED_ON.csv \
    --relationships=relationships_USES.csv \
    --relationships=relationships_WAS_DERIVED_FROM.csv \
    --relationships=relationships_WORKS_FOR.csv
