#!/bin/sh
# Bulk-load these files into Amazon Neptune (written by `kgraph export neo4j --flavor neptune`).
# 165 nodes, 522 relationships, in Neptune's openCypher CSV format.
# It runs in the folder that holds it, whatever folder it is run from.
# 1. Put this folder's .csv files in S3, deleting the .csv files an earlier export left there (the loader
#    loads every file under S3_SOURCE, so a class gone from the graph would come back):
#      S3_SOURCE=s3://bucket/kgraph/ sh path/to/load.sh upload
#    runs, in this folder (not the one it is run from, whose .csv files are no part of this export):
#      aws s3 sync . "$S3_SOURCE" --delete --exclude '*' --include '*.csv'
# 2. From a machine that reaches the cluster, with the loader's IAM role set up, run:
#      NEPTUNE_ENDPOINT=host:8182 S3_SOURCE=s3://bucket/kgraph/ IAM_ROLE_ARN=arn:... \
#      AWS_REGION=... sh path/to/load.sh
#    (the endpoint as host:port; a https:// before it, as in a Neptune URL, is dropped)
#    and follow the load with: curl "https://$NEPTUNE_ENDPOINT/loader/<loadId>"
#    A cluster with IAM database authentication takes only requests signed with SigV4, which curl cannot
#    make: add NEPTUNE_IAM_AUTH=1 to send it with awscurl (pip install awscurl) and your AWS credentials.
#    The request's "mode" is NEW, a job that reads every file, unless NEPTUNE_LOAD_MODE says RESUME (go on
#    with a load that failed, once its cause is fixed) or AUTO (the loader's own default: it resumes an
#    earlier job from the same S3_SOURCE, so after a re-export it counts the files, same names, as loaded,
#    loads nothing and reports success).
# A load adds to the graph: a node or relationship whose ID is already there gets the labels and
# properties it lacks but keeps the values it has (the loader never replaces a value; each property holds
# one, a list one JSON text), and what the new files no longer hold stays too. To load a re-export as it
# is, empty the graph first: Neptune's fast reset removes all the cluster's data (POST
# {"action": "initiateDatabaseReset"} to https://$NEPTUNE_ENDPOINT/system, then {"action":
# "performDatabaseReset", "token": ...} with the token it returns), or the openCypher query
# MATCH (n:Resource) DETACH DELETE n removes the nodes labelled Resource (every node kgraph writes) and
# their relationships.
set -eu
cd -- "$(dirname -- "$0")"
: "${S3_SOURCE:?set S3_SOURCE to the S3 folder holding the .csv files}"
case ${1:-load} in
upload) exec aws s3 sync . "$S3_SOURCE" --delete --exclude '*' --include '*.csv' ;;
load) ;;
*) echo "usage: sh load.sh [upload | load], not $1" >&2; exit 2 ;;
esac
: "${NEPTUNE_ENDPOINT:?set NEPTUNE_ENDPOINT to the cluster endpoint, host:port}"
endpoint=${NEPTUNE_ENDPOINT#https://}
endpoint=${endpoint%/}
case $endpoint in
*/*)
  echo "NEPTUNE_ENDPOINT must be the cluster host:port (no path, no http://), not $NEPTUNE_ENDPOINT" >&2
  exit 2 ;;
esac
: "${IAM_ROLE_ARN:?set IAM_ROLE_ARN to the role the loader reads S3 with}"
: "${AWS_REGION:?set AWS_REGION to the region of the cluster}"
mode=${NEPTUNE_LOAD_MODE:-NEW}
case $mode in
NEW | RESUME | AUTO) ;;
*) echo "NEPTUNE_LOAD_MODE must be NEW, RESUME or AUTO, not $mode" >&2; exit 2 ;;
esac
client="curl -sS --fail-with-body"
if [ "${NEPTUNE_IAM_AUTH:-}" = 1 ]; then client="awscurl --service neptune-db --region $AWS_REGION"; fi
$client -X POST -H "Content-Type: application/json" "https://$endpoint/loader" -d "{
  \"source\": \"$S3_SOURCE\",
  \"format\": \"opencypher\",
  \"mode\": \"$mode\",
  \"userProvidedEdgeIds\": \"TRUE\",
  \"iamRoleArn\": \"$IAM_ROLE_ARN\",
  \"region\": \"$AWS_REGION\",
  \"failOnError\": \"TRUE\",
  \"parallelism\": \"MEDIUM\"
}"
