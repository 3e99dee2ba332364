"""Errors the core raises. Each message tells a user what is wrong and what to do about it.

The CLI turns them into exit codes in one place (``cli.main``): :attr:`KGraphError.exit_code`
is 1 for a negative answer (not found, does not conform) and 2 for bad input or usage.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kgraph.validate import ValidationReport

__all__ = [
    "AmbiguousNameError",
    "DataSyntaxError",
    "InputError",
    "KGraphError",
    "NotFoundError",
    "ValidationFailed",
]


class KGraphError(Exception):
    """Base class of every error kgraph raises on purpose."""

    exit_code: int = 2


class InputError(KGraphError):
    """Bad input that is not a syntax error: a missing or empty folder, an unreadable file, a bad option."""

    exit_code = 2


class DataSyntaxError(InputError):
    """A file that does not parse. ``str()`` is one line: ``file:line: what is wrong; fix the file and run again``."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = " ".join(message.split())
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}; fix the file and run again"


class NotFoundError(KGraphError):
    """A name that matches nothing. Carries close matches to suggest."""

    exit_code = 1

    def __init__(self, what: str, suggestions: Sequence[str] = ()) -> None:
        self.what = what
        self.suggestions = tuple(suggestions)
        super().__init__(str(self))

    def __str__(self) -> str:
        if not self.suggestions:
            return f"{self.what}; try `kgraph entities` to list every entity"
        return f"{self.what}; did you mean: " + ", ".join(self.suggestions)


class AmbiguousNameError(KGraphError):
    """A name that matches several things; lists them so the user can pick one by IRI."""

    exit_code = 1

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        super().__init__(str(self))

    def __str__(self) -> str:
        listed = "\n".join(f"  {c}" for c in self.candidates)
        return f"{self.name!r} names {len(self.candidates)} things; ask for one by its IRI:\n{listed}"


class ValidationFailed(KGraphError):
    """The graph does not conform to the SHACL shapes. ``report`` is a :class:`kgraph.validate.ValidationReport`."""

    exit_code = 1

    def __init__(self, report: ValidationReport, summary: str) -> None:
        self.report = report
        super().__init__(summary)
