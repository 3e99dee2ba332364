"""The saved queries that ship with kgraph: ``kgraph/queries/*.rq``, one query per file.

Each file opens with a comment header::

    # title: Customers of a product
    # description: Organizations that use a product, directly or through a product of theirs
    #   built on it, trained on it or powered by it.          <- an indented line continues the field above
    # param: product (entity): the product, by label (English or Chinese), prefixed name or IRI
    # param: lang (text, default en): the language of the text columns
    # example: kgraph queries run customers-of --param product="Amazon Bedrock"

A parameter is a variable of the query (``?product``) bound with rdflib's ``initBindings`` (locally) or a
``VALUES`` block (at an endpoint), never pasted into the text. Its kind says how a value is read: ``entity`` (a
label, prefixed name or IRI, looked up in the graph), ``class`` (a class by label or name, such as ``Chip`` or
``芯片``), ``text`` (a plain string), ``integer`` or ``language`` (a language tag the graph's labels are in, such
as ``en`` or ``zh``, in any case; another is refused, since the columns in it would be empty). An entity may name
the class it must be an instance of, ``(entity kg:SourceSection)``: a name that several things have is taken for
the one of that class, and a thing of another class is refused. A parameter without a default must be given.
The examples are run by the tests, and their answers kept as golden files.
"""

from __future__ import annotations

import difflib
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from kgraph.errors import InputError
from kgraph.resources import PACKAGE_DIR
from kgraph.text import file_lines
from kgraph.vocab import PREFIXES

#: Where the saved queries are: ``kgraph/queries`` inside the package (in the wheel too).
QUERIES_DIR = PACKAGE_DIR / "queries"

#: Kinds of parameter and how their values are read (see the module documentation).
PARAM_KINDS = ("entity", "class", "text", "integer", "language")

_FIELD = re.compile(r"#\s?(?P<key>[a-z]+):\s*(?P<value>.*)")
_CONTINUATION = re.compile(r"#\s{2,}(?P<value>\S.*)")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z_0-9]*)\s*\((?P<kind>[a-z]+)(?:\s+(?P<type>[^\s,)]+))?"
    r"(?:,\s*default\s+(?P<default>[^)]*))?\):\s*(?P<text>.+)"
)


@dataclass(frozen=True)
class Param:
    """A parameter of a saved query: the variable it binds, how its value is read, what it means."""

    name: str
    kind: str
    description: str
    default: str | None = None
    #: For an entity, the class it must be an instance of, as a prefixed name (``kg:SourceSection``), or None.
    type: str | None = None

    @property
    def required(self) -> bool:
        """Whether the parameter has no default and must be given."""
        return self.default is None

    @property
    def of_type(self) -> URIRef | None:
        """:attr:`type` as an IRI."""
        if self.type is None:
            return None
        prefix, _colon, local = self.type.partition(":")
        return URIRef(str(PREFIXES[prefix]) + local)


@dataclass(frozen=True)
class SavedQuery:
    """One saved query: its name (the file name without ``.rq``), header and text."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    examples: tuple[str, ...]
    text: str
    path: Path

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)

    def example_params(self) -> list[dict[str, str]]:
        """The ``--param KEY=VALUE`` pairs of each example, in order."""
        found = []
        for example in self.examples:
            words = shlex.split(example)
            pairs = [words[i + 1] for i, word in enumerate(words[:-1]) if word == "--param"]
            found.append(dict(pair.split("=", 1) for pair in pairs))
        return found


def saved_queries(folder: Path = QUERIES_DIR) -> list[SavedQuery]:
    """Every saved query in ``folder``, sorted by name."""
    return [read(path) for path in sorted(folder.glob("*.rq"), key=lambda p: p.stem)]


def saved_query(name: str, folder: Path = QUERIES_DIR) -> SavedQuery:
    """The saved query called ``name``; an unknown name raises InputError with the closest names."""
    path = folder / f"{name}.rq"
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) and path.is_file():
        return read(path)
    names = [p.stem for p in sorted(folder.glob("*.rq"))]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise InputError.advising(
        f"there is no saved query called {name!r}",
        python=f"{hint}kgraph.query.saved_queries() lists all {len(names)}",
        cli=f"{hint}`kgraph queries` lists all {len(names)}",
    )


def read(path: Path) -> SavedQuery:
    """Read one ``.rq`` file and its header; a header without title or description raises InputError."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {}
    last: list[str] | None = None
    for line in file_lines(text):
        if not line.startswith("#"):
            break
        continuation = _CONTINUATION.fullmatch(line)
        field = _FIELD.fullmatch(line)
        if continuation and last is not None:
            last[-1] += " " + continuation.group("value").strip()
        elif field:
            last = fields.setdefault(field.group("key"), [])
            last.append(field.group("value").strip())
    for key in ("title", "description"):
        if not fields.get(key):
            raise InputError(f"{path.name}: the header has no '# {key}:' line")
    params = tuple(_param(path, text) for text in fields.get("param", []))
    return SavedQuery(
        name=path.stem,
        title=fields["title"][0],
        description=fields["description"][0],
        params=params,
        examples=tuple(fields.get("example", [])),
        text=text,
        path=path,
    )


def _param(path: Path, text: str) -> Param:
    match = _PARAM.fullmatch(text)
    if match is None or match.group("kind") not in PARAM_KINDS:
        raise InputError(
            f"{path.name}: cannot read '# param: {text}'; write '# param: NAME (KIND): what it is' or "
            f"'# param: NAME (KIND, default VALUE): what it is', KIND one of {', '.join(PARAM_KINDS)} "
            "(an entity may name its class: entity kg:Event)"
        )
    kind, type_ = match.group("kind"), match.group("type")
    if type_ is not None and (kind != "entity" or not re.fullmatch(r"[a-z]+:[A-Za-z][A-Za-z0-9]*", type_)):
        raise InputError(f"{path.name}: '# param: {text}': only an entity names a class, as entity kg:Event")
    if type_ is not None and type_.split(":", 1)[0] not in PREFIXES:
        known = ", ".join(sorted(PREFIXES))
        raise InputError(f"{path.name}: '# param: {text}': the prefix of {type_} is none of kgraph's ({known})")
    default = match.group("default")
    return Param(match.group("name"), kind, match.group("text").strip(), default and default.strip(), type_)
