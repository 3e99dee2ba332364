#!/bin/sh
# Bulk-load these files into Amazon Neptune (written by `kgraph export neo4j --flavor neptune`).
# 165 nodes, 522 relationships, in Neptune's openCypher CSV format.
# 1. Put the .csv files in S3, deleting the .csv files an earlier export left there (the loader loads
#    every file under S3_SOURCE, so a class gone from the graph would come back):
#      aws s3 sync . "$S3_SOURCE" --delete --exclude '*' --include '*.csv'
# 2. From a machine that reaches the cluster, with the loader's IAM role set up, run:
#      NEPTUNE_ENDPOINT=host:8182 S3_SOURCE=s3://bucket/kgraph/ IAM_ROLE_ARN=arn:... \
#      AWS_REGION=... sh load.sh
#    and follow the load with: curl "https://$NEPTUNE_ENDPOINT/loader/<loadId>"
#    A cluster with IAM database authentication takes only requests signed with SigV4, which curl cannot
#    make: add NEPTUNE_IAM_AUTH=1 to send it with awscurl (pip install awscurl) and your AWS credentials.
set -eu
: "${NEPTUNE_ENDPOINT:?set NEPTUNE_ENDPOINT to the cluster endpoint, host:port}"
: "${S3_SOURCE:?set S3_SOURCE to the S3 folder holding the .csv files}"
: "${IAM_ROLE_ARN:?set IAM_ROLE_ARN to the role the loader reads S3 with}"
: "${AWS_REGION:?set AWS_REGION to the region of the cluster}"
client="curl -sS"
if [ "${NEPTUNE_IAM_AUTH:-}" = 1 ]; then client="awscurl --service neptune-db --region $AWS_REGION"; fi
$client -X POST -H "Content-Type: application/json" "https://$NEPTUNE_ENDPOINT/loader" -d "{
  \"source\": \"$S3_SOURCE\",
  \"format\": \"opencypher\",
  \"userProvidedEdgeIds\": \"TRUE\",
  \"iamRoleArn\": \"$IAM_ROLE_ARN\",
  \"region\": \"$AWS_REGION\",
  \"failOnError\": \"TRUE\",
  \"parallelism\": \"MEDIUM\"
}"
