"""What every ``kgraph`` command shares: the global options' state and the mapping of errors to exit codes.

Commands live in ``cli.py`` and in one ``cli_<area>.py`` module per area (query, viewer, export, analysis); each
takes the loaded graph through :data:`pass_state` and lets :class:`KGraphError` propagate to :class:`Group`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from kgraph.errors import KGraphError
from kgraph.store import LoadedGraph, load

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@dataclass
class State:
    """What the global options say, and the graph once loaded (commands share it)."""

    data: Path | None = None
    ontology: Path | None = None
    _loaded: LoadedGraph | None = field(default=None, repr=False)

    def loaded(self) -> LoadedGraph:
        """Load (once) the ontology and data folders; print parse warnings to stderr."""
        if self._loaded is None:
            self._loaded = load(self.data, self.ontology)
            for warning in self._loaded.warnings:
                click.echo(f"warning: {warning}", err=True)
        return self._loaded


pass_state = click.make_pass_decorator(State)


class NegativeAnswer(click.ClickException):
    """Printed as ``Error: <message>`` on stderr; exit 1."""

    exit_code = 1


class BadInput(click.ClickException):
    """Printed as ``Error: <message>`` on stderr; exit 2, like click's usage errors."""

    exit_code = 2


class Group(click.Group):
    """The one place where the core's errors become exit codes (``KGraphError.exit_code``)."""

    def invoke(self, ctx: click.Context) -> Any:  # noqa: ANN401 - whatever the command returns
        try:
            return super().invoke(ctx)
        except KGraphError as error:
            failure = NegativeAnswer if error.exit_code == 1 else BadInput
            raise failure(str(error)) from error
