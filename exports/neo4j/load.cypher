// Load these files into a running Neo4j 5.23 or later server (written by `kgraph export neo4j`).
// Copy the .csv files into the server's import folder, then run:  cypher-shell -f load.cypher
// (in Neo4j Browser, prefix each LOAD CSV statement with :auto).
// MERGE makes every statement safe to repeat.
// After `neo4j-admin database import`, run only the first statement.
// It runs under Cypher 5 and Cypher 25. Neo4j 5.0 to 5.22 cannot read CALL (row) { ... }: there, run
// load-before-5.23.cypher instead.
CREATE CONSTRAINT resource_iri IF NOT EXISTS FOR (n:Resource) REQUIRE n.iri IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Entity.csv' AS row
CALL (row) {
  MERGE (n:Resource {iri: row.`iri:ID(Resource)`})
  SET n.`aliases_en` = CASE WHEN row.`aliases_en:string[]` = '' THEN null ELSE split(row.`aliases_en:string[]`, ';') END,
      n.`aliases_zh` = CASE WHEN row.`aliases_zh:string[]` = '' THEN null ELSE split(row.`aliases_zh:string[]`, ';') END,
      n.`description_en` = row.`description_en:string`,
      n.`description_zh` = row.`description_zh:string`,
      n.`distinction_en` = CASE WHEN row.`distinction_en:string[]` = '' THEN null ELSE split(row.`distinction_en:string[]`, ';') END,
      n.`distinction_zh` = CASE WHEN row.`distinction_zh:string[]` = '' THEN null ELSE split(row.`distinction_zh:string[]`, ';') END,
      n.`inputModality` = CASE WHEN row.`inputModality:string[]` = '' THEN null ELSE split(row.`inputModality:string[]`, ';') END,
      n.`jobTitle_en` = row.`jobTitle_en:string`,
      n.`jobTitle_zh` = row.`jobTitle_zh:string`,
      n.`label_en` = row.`label_en:string`,
      n.`label_zh` = row.`label_zh:string`,
      n.`launchStatus` = row.`launchStatus:string`,
      n.`outputModality` = CASE WHEN row.`outputModality:string[]` = '' THEN null ELSE split(row.`outputModality:string[]`, ';') END
  WITH n, split(row.`:LABEL`, ';') AS labels
  FOREACH (_ IN CASE WHEN 'AIAgent' IN labels THEN [1] ELSE [] END | SET n:AIAgent)
  FOREACH (_ IN CASE WHEN 'AIModel' IN labels THEN [1] ELSE [] END | SET n:AIModel)
  FOREACH (_ IN CASE WHEN 'Chip' IN labels THEN [1] ELSE [] END | SET n:Chip)
  FOREACH (_ IN CASE WHEN 'Company' IN labels THEN [1] ELSE [] END | SET n:Company)
  FOREACH (_ IN CASE WHEN 'ComputeInstance' IN labels THEN [1] ELSE [] END | SET n:ComputeInstance)
  FOREACH (_ IN CASE WHEN 'Concept' IN labels THEN [1] ELSE [] END | SET n:Concept)
  FOREACH (_ IN CASE WHEN 'Dataset' IN labels THEN [1] ELSE [] END | SET n:Dataset)
  FOREACH (_ IN CASE WHEN 'Entity' IN labels THEN [1] ELSE [] END | SET n:Entity)
  FOREACH (_ IN CASE WHEN 'Event' IN labels THEN [1] ELSE [] END | SET n:Event)
  FOREACH (_ IN CASE WHEN 'Feature' IN labels THEN [1] ELSE [] END | SET n:Feature)
  FOREACH (_ IN CASE WHEN 'FileFormat' IN labels THEN [1] ELSE [] END | SET n:FileFormat)
  FOREACH (_ IN CASE WHEN 'Framework' IN labels THEN [1] ELSE [] END | SET n:Framework)
  FOREACH (_ IN CASE WHEN 'Hardware' IN labels THEN [1] ELSE [] END | SET n:Hardware)
  FOREACH (_ IN CASE WHEN 'Keynote' IN labels THEN [1] ELSE [] END | SET n:Keynote)
  FOREACH (_ IN CASE WHEN 'MigrationPath' IN labels THEN [1] ELSE [] END | SET n:MigrationPath)
  FOREACH (_ IN CASE WHEN 'ModelFamily' IN labels THEN [1] ELSE [] END | SET n:ModelFamily)
  FOREACH (_ IN CASE WHEN 'Organization' IN labels THEN [1] ELSE [] END | SET n:Organization)
  FOREACH (_ IN CASE WHEN 'Person' IN labels THEN [1] ELSE [] END | SET n:Person)
  FOREACH (_ IN CASE WHEN 'Product' IN labels THEN [1] ELSE [] END | SET n:Product)
  FOREACH (_ IN CASE WHEN 'ProgrammingLanguage' IN labels THEN [1] ELSE [] END | SET n:ProgrammingLanguage)
  FOREACH (_ IN CASE WHEN 'Ranking' IN labels THEN [1] ELSE [] END | SET n:Ranking)
  FOREACH (_ IN CASE WHEN 'ServerSystem' IN labels THEN [1] ELSE [] END | SET n:ServerSystem)
  FOREACH (_ IN CASE WHEN 'Service' IN labels THEN [1] ELSE [] END | SET n:Service)
  FOREACH (_ IN CASE WHEN 'SoftwareApplication' IN labels THEN [1] ELSE [] END | SET n:SoftwareApplication)
  FOREACH (_ IN CASE WHEN 'Technology' IN labels THEN [1] ELSE [] END | SET n:Technology)
  FOREACH (_ IN CASE WHEN 'VideoGame' IN labels THEN [1] ELSE [] END | SET n:VideoGame)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Figure.csv' AS row
CALL (row) {
  MERGE (n:Resource {iri: row.`iri:ID(Resource)`})
  SET n.`bound` = row.`bound:string`,
      n.`comparisonBasis_en` = row.`comparisonBasis_en:string`,
      n.`comparisonBasis_zh` = row.`comparisonBasis_zh:string`,
      n.`figureKind` = row.`figureKind:string`,
      n.`fromUnit` = row.`fromUnit:string`,
      n.`fromValue` = toInteger(row.`fromValue:long`),
      n.`fromValueMax` = toInteger(row.`fromValueMax:long`),
      n.`label_en` = row.`label_en:string`,
      n.`label_zh` = row.`label_zh:string`,
      n.`metric_en` = row.`metric_en:string`,
      n.`metric_zh` = row.`metric_zh:string`,
      n.`perPeriod` = row.`perPeriod:string`,
      n.`timeframe_en` = row.`timeframe_en:string`,
      n.`timeframe_zh` = row.`timeframe_zh:string`,
      n.`unit` = row.`unit:string`,
      n.`value` = toFloat(row.`value:double`)
  WITH n, split(row.`:LABEL`, ';') AS labels
  FOREACH (_ IN CASE WHEN 'Figure' IN labels THEN [1] ELSE [] END | SET n:Figure)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_SourceDocument.csv' AS row
CALL (row) {
  MERGE (n:Resource {iri: row.`iri:ID(Resource)`})
  SET n.`identifier` = row.`identifier:string`,
      n.`label_en` = row.`label_en:string`,
      n.`label_zh` = row.`label_zh:string`,
      n.`language` = row.`language:string`,
      n.`sha256` = row.`sha256:string`,
      n.`title_zh` = row.`title_zh:string`
  WITH n, split(row.`:LABEL`, ';') AS labels
  FOREACH (_ IN CASE WHEN 'SourceDocument' IN labels THEN [1] ELSE [] END | SET n:SourceDocument)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_SourceSection.csv' AS row
CALL (row) {
  MERGE (n:Resource {iri: row.`iri:ID(Resource)`})
  SET n.`aliases_en` = CASE WHEN row.`aliases_en:string[]` = '' THEN null ELSE split(row.`aliases_en:string[]`, ';') END,
      n.`endTime` = duration(row.`endTime:duration`),
      n.`label_en` = row.`label_en:string`,
      n.`label_zh` = row.`label_zh:string`,
      n.`order` = toInteger(row.`order:long`),
      n.`startTime` = duration(row.`startTime:duration`),
      n.`timeRange` = row.`timeRange:string`,
      n.`title_zh` = row.`title_zh:string`
  WITH n, split(row.`:LABEL`, ';') AS labels
  FOREACH (_ IN CASE WHEN 'SourceSection' IN labels THEN [1] ELSE [] END | SET n:SourceSection)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_ABOUT.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:ABOUT]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_ADDED_TO.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:ADDED_TO]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_ANNOUNCED_AT.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:ANNOUNCED_AT]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_BUILT_ON.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:BUILT_ON]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_COMPARED_WITH.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:COMPARED_WITH]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_CUSTOMER_OF.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:CUSTOMER_OF]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_DEVELOPED_BY.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:DEVELOPED_BY]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_EMBODIES.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:EMBODIES]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_FEATURED_AT.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:FEATURED_AT]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_FIGURE_OF.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:FIGURE_OF]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_HOSTED.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:HOSTED]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_INTEGRATES.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:INTEGRATES]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_IS_PART_OF.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:IS_PART_OF]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_LEADS.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:LEADS]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_MEMBER_OF.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:MEMBER_OF]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_MIGRATES_FROM.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:MIGRATES_FROM]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_MIGRATES_TO.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:MIGRATES_TO]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_PARTNER_OF.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:PARTNER_OF]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_PART_OF.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:PART_OF]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_POWERED_BY.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:POWERED_BY]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_REPORTED_AT.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:REPORTED_AT]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_SPEAKER_AT.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:SPEAKER_AT]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_STREAMED_ON.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:STREAMED_ON]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_SUB_EVENT_OF.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:SUB_EVENT_OF]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_SUCCEEDS.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:SUCCEEDS]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_SUPPORTS_MIGRATION.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:SUPPORTS_MIGRATION]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_TOPIC.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:TOPIC]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_TRAINED_ON.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:TRAINED_ON]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_USES.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:USES]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_WAS_DERIVED_FROM.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:WAS_DERIVED_FROM]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///relationships_WORKS_FOR.csv' AS row
CALL (row) {
  MATCH (a:Resource {iri: row.`:START_ID(Resource)`})
  MATCH (b:Resource {iri: row.`:END_ID(Resource)`})
  MERGE (a)-[r:WORKS_FOR]->(b)
  SET r.types = split(row.`types:string[]`, ';'),
      r.sections = split(row.`sections:string[]`, ';'),
      r.inferred = (row.`inferred:boolean` = 'true')
} IN TRANSACTIONS OF 1000 ROWS;
