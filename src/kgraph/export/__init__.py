"""The files kgraph writes for other tools: RDF (:mod:`.rdf`), the property-graph CSV for Neo4j and Amazon Neptune
(:mod:`.neo4j`, :mod:`.neptune`), the networkx formats (:mod:`.graph`), and the writing of a set of files all or
nothing (:mod:`.files`). :mod:`.build` runs every writer of ``kgraph build``.

Importing one of them imports no other: ``kgraph viz`` and ``kgraph path`` write through :mod:`.files` without
loading the CSV writers, SPARQL and the viewer.
"""
