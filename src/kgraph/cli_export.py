"""``kgraph export FORMAT``: write the graph for another tool (Neo4j, Amazon Neptune, Gephi, Cytoscape, D3).

Each format is a sub-command of the :data:`export` group; the modules that own a format add theirs with
``export.add_command(...)``.
"""

from __future__ import annotations

import click

from kgraph.cli_common import CONTEXT_SETTINGS


@click.group(context_settings=CONTEXT_SETTINGS)
def export() -> None:
    """Write the graph in a format another tool loads.

    \b
    Example:
        kgraph export neo4j --out exports/neo4j
    """
