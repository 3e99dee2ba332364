"""A persistent on-disk store (Oxigraph) for graphs that outgrow memory: :func:`build` it, :func:`open_store` it.

A store folder holds::

    DIR/kgraph-store.json   what was loaded: format version, fingerprint, files (size, mtime), rules, counts
    DIR/names.sqlite        every label, alt label and local name, normalised, for finding names (kgraph.name_index)
    DIR/oxigraph/           the Oxigraph database (RocksDB files)
    DIR/ontology/           a copy of the ontology folder that was loaded (ontology files, shapes.ttl, rules/*.rq)

Inside the database the named graphs are the in-memory ones (:func:`kgraph.store.load`): the ontology graph,
one graph per source section, the file graph of each plain Turtle/N-Triples file, the inferred graph. The
**default graph** is the flat graph: every triple, asserted or inferred, once. kgraph queries it rather than
Oxigraph's union of the named graphs, which repeats a triple once per graph that holds it (a fact two sections
state would count twice); so every triple is seen exactly once, as in rdflib's ``Dataset(default_union=True)``,
and a pattern is one index look-up.

:func:`build` parses every file once with Oxigraph's parser and writes the quads and their default-graph copies
to N-Quads files of :data:`CHUNK_QUADS` lines; what the sub-class / sub-property / inverse / symmetric rules
entail is local to each triple, so it is worked out while parsing (with
:meth:`kgraph.inference.Schema.consequences` itself) and written after the stated triples, less those a file also
states. The files are bulk-loaded :data:`LOADERS` at a time (:func:`_bulk_load`), then the SPARQL rules
(``ontology/rules/*.rq``) run in Oxigraph to a fixpoint. Everything is built in a temporary folder beside DIR,
which replaces DIR only when complete: a failed load leaves DIR as it was. A load holds a lock on its folder while
it runs, so the next load can tell the folder of a load that was killed, and delete it (:func:`_tidy`).

:func:`open_store` opens DIR read-only and returns a :class:`~kgraph.store.LoadedGraph` whose ``graph`` and
``dataset`` are rdflib objects over :class:`~kgraph.oxstore.ReadOnlyOxigraphStore` (an :mod:`oxrdflib` store),
so every command keeps rdflib's API; SPARQL given as a string runs in Oxigraph (:mod:`kgraph.oxstore`).
"""

from __future__ import annotations

import codecs
import collections
import contextlib
import hashlib
import itertools
import json
import logging
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from concurrent.futures import Future

if sys.platform != "win32":
    import fcntl

import pyoxigraph as ox
from oxrdflib._converter import to_ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, XSD
from rdflib.term import Node

from kgraph import __version__, inference, name_index
from kgraph._compat import ill_typed_warning
from kgraph.atomic import (
    missing_folders,
    remove_empty,
    sync_parents,
    sync_tree,
    uninterrupted,
    write_temporary,
)
from kgraph.errors import (
    DataSyntaxError,
    InputError,
    Notice,
    StoreError,
    StoreReplaced,
    TooFewFiles,
    release_frames,
)
from kgraph.names import qname
from kgraph.oxstore import (
    FLAT,
    INFERRED,
    QueryDataset,
    ReadOnlyOxigraphStore,
    evaluate,
    from_ox,
    native_of,
    sparql,
    write_nquads,
    write_ntriples,
)
from kgraph.resources import (
    RULES_DIR_NAME,
    SHAPES_FILE_NAME,
    STORE_MANIFEST,
    default_data_dir,
    default_ontology_dir,
    rule_files,
)
from kgraph.store import (
    ENCODING_HEAD,
    FORMATS,
    KGRAPH_GRAPHS,
    NOT_UTF8,
    NUL_BYTE,
    OX_FORMATS,
    SOURCE_CLASSES,
    DeclaredPrefix,
    LoadedFile,
    LoadedGraph,
    bind_declared,
    canonical_bnodes,
    declared_prefixes,
    display_path,
    empty_file_warning,
    encoding_problem,
    find_inputs,
    first_nul_line,
    kgraph_graph_error,
    nested_data_warnings,
    ontology_in_data_warning,
    open_file,
    parse_file,
    path_argument,
    read_file,
    refuse_no_schema,
    typed_path,
    undeclared_graphs,
    undeclared_warning,
    unread_rdf_warnings,
    wrong_suffix,
)
from kgraph.syntax import RDF_STAR, LineText, bad_escape, oxigraph_located, rdf_star_line
from kgraph.text import file_lines, shell_words
from kgraph.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, bind_prefixes, file_graph

#: The layout of a store folder; a store of a higher number was written by a newer kgraph.
FORMAT = 1
#: How the store's contents are made, in the same layout: the next ``kgraph load`` rebuilds a store of another
#: build even when its files have not changed. 2: blank nodes keep one label across the bulk loads (build 1 split
#: a blank node's stated and inferred triples onto two nodes). 3: the manifest lists the named graphs the data does
#: not declare a source section or document (``undeclared``), which commands warn about. 4: the manifest keeps the
#: prefixes the data files declare (``prefixes``), with which commands read names such as ``acme:chips``. 5: each
#: row of ``undeclared`` keeps the line that names the graph and the declared name close to it (a row of build 4
#: has neither, and is read as it is: its warning names the file alone).
BUILD = 5
MANIFEST = STORE_MANIFEST
DATABASE = "oxigraph"
#: Where :func:`_swap` moves the old store, inside a ``.NAME.old-*`` folder beside it, before the new one goes in.
MOVED_ASIDE = "store"
ONTOLOGY_COPY = "ontology"
#: Quads per bulk load (see :class:`_Staging`): about 1 KB of memory each while it loads.
CHUNK_QUADS = 125_000
#: Quads staged per write to a staging file (:func:`_batch`): a write per quad took a tenth of the staging.
BATCH_QUADS = 1000
#: Bulk loads at once (see :func:`_bulk_load`).
LOADERS = 2
#: Files at least this large get a progress bar while they are read.
PROGRESS_BYTES = 1 << 20
#: Oxigraph's parsers (pyoxigraph 0.5) hold one term in a buffer of at most this many bytes: a longer term, a
#: description of 20 million characters say, raises MemoryError ("Reached the buffer maximal size"), whether the
#: input is a path, bytes or a file, and pyoxigraph has no option to raise it. Its store holds such terms, and a
#: file with one is read another way (:func:`_stage_file`).
OX_TERM_BYTES = 1 << 24
#: The UTF-8 byte order mark some editors write first in a file (Windows Notepad): not data, skipped.
BOM = b"\xef\xbb\xbf"
#: A folder a load left beside a store (:func:`_tidy`) is cleared only once it is this many seconds old: a load
#: makes its folder and locks it a moment later.
LEFTOVER_AGE = 10.0
#: A subject or object whose N-Triples text is longer than this crosses the staged N-Quads, which Oxigraph parses
#: to load them, as a placeholder (:class:`_LongTerms`): well under :data:`OX_TERM_BYTES`, which counts bytes.
LONG_TERM = 1 << 20

_OX_FORMATS = {suffix: getattr(ox.RdfFormat, name) for suffix, name in OX_FORMATS.items()}
_INFERRED = INFERRED
_FLAT = FLAT
_TYPE = ox.NamedNode(str(RDF.type))
_RDF_TYPE = str(RDF.type)
_TYPE_TEXT = f"<{_RDF_TYPE}>"
_XSD = str(XSD)

#: The datatypes Oxigraph stores under another one (pyoxigraph 0.5; its issue 526), keeping the value alone: every
#: type derived from xsd:integer as xsd:integer (a value out of the type's range too), xsd:dateTimeStamp as
#: xsd:dateTime, when the lexical form is one of the type it is stored as ("4"^^xsd:int; not "four"^^xsd:int). Every
#: other datatype keeps its IRI (the form of a number or date-time may change: "01" is stored as "1").
STORED_AS = {
    **{
        f"{_XSD}{name}": f"{_XSD}integer"
        for name in (
            "int",
            "long",
            "short",
            "byte",
            "nonNegativeInteger",
            "positiveInteger",
            "negativeInteger",
            "nonPositiveInteger",
            "unsignedLong",
            "unsignedInt",
            "unsignedShort",
            "unsignedByte",
        )
    },
    f"{_XSD}dateTimeStamp": f"{_XSD}dateTime",
}
#: How the N-Triples text of a literal of one of them ends, for a quick test of every object a load stages.
_RETYPED_TAILS = tuple(f'"^^<{datatype}>' for datatype in STORED_AS)
#: An integer Oxigraph surely reads as its xsd:integer (a 64-bit integer: up to 18 digits); others are tried.
_SHORT_INTEGER = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)


class _Retyped:
    """The literals of a load that Oxigraph stores under another datatype (:data:`STORED_AS`), counted by datatype,
    with the first one's file, subject and predicate, for one warning a datatype (:meth:`warnings`).

    A load stages every object; only a literal whose text ends in one of those datatypes is looked at further, and
    whether Oxigraph changes it is asked of Oxigraph itself (an in-memory store), but for the integers it surely
    reads."""

    def __init__(self) -> None:
        self.file = ""  # the file being staged, as a message names it
        self.found: dict[str, list[Any]] = {}  # datatype -> [count, (file, subject text, predicate, literal)]
        self.tried: dict[tuple[str, str], bool] = {}
        self.probe: ox.Store | None = None

    def saw(self, s_text: str, p: ox.NamedNode, o: ox.Literal) -> None:
        datatype = o.datatype.value
        if not self._changed(o.value, datatype):
            return
        entry = self.found.get(datatype)
        if entry is None:
            self.found[datatype] = [1, (self.file, s_text, p, o)]
        else:
            entry[0] += 1

    def _changed(self, value: str, datatype: str) -> bool:
        if STORED_AS[datatype] == f"{_XSD}integer" and _SHORT_INTEGER.fullmatch(value):
            return True
        key = (value, datatype)
        changed = self.tried.get(key)
        if changed is None:
            if self.probe is None:
                self.probe = ox.Store()
            quad = ox.Quad(_PROBE, _PROBE, ox.Literal(value, datatype=ox.NamedNode(datatype)))
            self.probe.add(quad)
            stored = next(iter(self.probe)).object
            self.probe.remove(quad)
            changed = self.tried[key] = isinstance(stored, ox.Literal) and stored.datatype.value != datatype
        return changed

    def warnings(self) -> list[str]:
        """One warning a datatype, in the order the load met their first literals."""
        names = Graph()
        bind_prefixes(names)
        said = []
        for datatype, (count, (file, s_text, p, o)) in self.found.items():
            was, now = qname(names, URIRef(datatype)), qname(names, URIRef(STORED_AS[datatype]))
            subject = qname(names, URIRef(s_text[1:-1])) if s_text.startswith("<") else s_text
            written = f"{str(o).rsplit('^^', 1)[0]}^^{was}"
            first = f"{subject} {qname(names, URIRef(p.value))} {written}"
            if count == 1:
                what = f"{first} is stored as an {now}"
            else:
                what = f"{first} and {count - 1:,} more {was} literal{'s' if count > 2 else ''} are stored as {now}"
            said.append(
                f"{file}: {what}: Oxigraph keeps the value of an {was}, not its datatype, so queries and validate on "
                f"the store see an {now}, where validate in memory sees the {was} written; write {now} to have the "
                "same everywhere"
            )
        return said


_PROBE = ox.NamedNode("urn:kgraph:probe")

#: Lexical forms sure to be valid for the commonest datatypes a literal of a file has, which a load checks without
#: asking rdflib: a number as it is mostly written. Anything else is judged by rdflib, as the in-memory load does.
_WELL_FORMED = {
    f"{_XSD}integer": re.compile(r"[+-]?[0-9]+"),
    f"{_XSD}decimal": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"),
    f"{_XSD}double": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"),
    f"{_XSD}boolean": re.compile(r"true|false"),
}
#: How many lexical forms :class:`_IllTyped` remembers rdflib's judgement of, and how many it names.
_JUDGED = 100_000
_NAMED = 20


class _IllTyped:
    """The literals of a load that are not of their datatype (``"abc"^^xsd:integer``), which Oxigraph keeps without
    a word, as the in-memory load warns of them (rdflib's judgement, the same words, the file and its line): the
    first :data:`_NAMED` by file, and how many more there are. Most numbers are cleared by :data:`_WELL_FORMED`; what
    rdflib judged is remembered."""

    def __init__(self) -> None:
        self.path: Path | None = None  # the file being staged
        self.judged: dict[tuple[str, str], bool] = {}
        self.found: dict[Path, dict[tuple[str, str], None]] = {}  # by file, the (lexical form, datatype) named
        self.named = 0
        self.more = 0  # the ill-typed literals met once :data:`_NAMED` were named (each time they are met)

    def saw(self, o: ox.Literal) -> None:
        datatype = o.datatype.value
        if not datatype.startswith(_XSD):
            return
        value = o.value
        form = _WELL_FORMED.get(datatype)
        if form is not None and form.fullmatch(value):
            return
        key = (value, datatype)
        bad = self.judged.get(key)
        if bad is None:
            bad = _rdflib_ill_typed(value, datatype)
            if len(self.judged) < _JUDGED:
                self.judged[key] = bad
        if bad and self.path is not None:
            named = self.found.setdefault(self.path, {})
            if key in named:
                return
            if self.named < _NAMED:
                named[key] = None
                self.named += 1
            else:
                self.more += 1

    def warnings(self) -> list[str]:
        """One warning a literal, in the in-memory load's words, with the line of the file that first writes it."""
        said = []
        for path, literals in self.found.items():
            lines = _lines_writing(path, [value for value, _datatype in literals])
            for value, datatype in literals:
                where = f"{display_path(path)}:{lines[value]}" if value in lines else display_path(path)
                said.append(f"{where}: {ill_typed_warning(value, datatype)}")
        if self.more:
            said.append(f"{self.more:,} more literals are not of their datatype (the first {_NAMED} named)")
        return said


def _rdflib_ill_typed(value: str, datatype: str) -> bool:
    """Whether rdflib finds ``value`` not of ``datatype``, as it reads a file in memory (without its warning)."""
    logger = logging.getLogger("rdflib.term")
    disabled, logger.disabled = logger.disabled, True
    try:
        return Literal(value, datatype=URIRef(datatype)).ill_typed is True
    finally:
        logger.disabled = disabled


def _lines_writing(path: Path, values: Sequence[str]) -> dict[str, int]:
    """The first line of ``path`` that writes each of ``values`` as a quoted string, read a line at a time (a CR
    alone ends one too, as an old Mac's file has them); a value written with an escape, or not found, has none."""
    wanted = {f'"{value}"'.encode(): value for value in values} | {f"'{value}'".encode(): value for value in values}
    found: dict[str, int] = {}
    number = 0
    try:
        with open_file(path) as stream:
            for read in stream:
                for line in read.split(b"\r") if b"\r" in read.rstrip(b"\r\n") else (read,):
                    number += 1
                    for quoted, value in wanted.items():
                        if value not in found and quoted in line:
                            found[value] = number
                if len(found) == len(values):
                    break
    except (OSError, InputError):
        pass
    return found


class Progress(Protocol):
    """Where :func:`build` reports what it does (the CLI draws it on stderr; the core never prints)."""

    def step(self, message: str) -> None:
        """A new step begins (``reading data/x.trig``, ``inferring``)."""

    def start(self, total: int, label: str) -> None:
        """A large file (``label``, ``total`` bytes) starts being read."""

    def advance(self, done: int) -> None:
        """``done`` more bytes were read."""

    def finish(self) -> None:
        """The file is read."""


class _Silent:
    def step(self, message: str) -> None:
        pass

    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, done: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass(frozen=True)
class Built:
    """What :func:`build` did."""

    store_dir: Path
    files: int
    triples: int
    inferred: int
    #: False when the store already held exactly these files (same fingerprint) and was left alone.
    rebuilt: bool = True
    #: What is amiss in the data (a named graph that is no declared source section), as every command says it;
    #: and that the store replaced was made by a newer kgraph (:func:`_replaced_newer`).
    warnings: tuple[str, ...] = ()


# ------------------------------------------------------------------------------------------------- build


def build(
    store_dir: str | os.PathLike[str],
    data_dir: str | os.PathLike[str] | None = None,
    ontology_dir: str | os.PathLike[str] | None = None,
    extra_files: Sequence[str | os.PathLike[str]] | str | os.PathLike[str] = (),
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> Built:
    """Load the ontology, the data and ``extra_files`` into a new store at ``store_dir``, infer, and swap it in.

    Folders and files are each a ``str`` or a ``Path``; ``extra_files`` is a list of them, or one.

    A store that already holds exactly these files (same fingerprint) is left alone unless ``force``. Raises
    :class:`~kgraph.errors.DataSyntaxError` (file and line) for a file that does not parse and
    :class:`~kgraph.errors.InputError` / :class:`~kgraph.errors.StoreError` for what else is wrong; in every
    case the store at ``store_dir`` is as it was.
    """
    report = progress or _Silent()
    target = path_argument(store_dir, "store_dir", dot=False)  # a store does not replace the current folder
    if isinstance(extra_files, str | os.PathLike):  # one file: a str is a sequence, of its letters
        extra_files = [extra_files]
    ontology_dir, data_dir, ontology_files, data_files = find_inputs(data_dir, ontology_dir)
    # A file given twice, or one the data folder holds already, is read once (it counted, and was read, twice).
    seen = {path.resolve() for path in (*ontology_files, *data_files)}
    extras = []
    for path in (_extra_file(path_argument(given, "extra_files", "each file", dot=False)) for given in extra_files):
        if path.resolve() not in seen:
            seen.add(path.resolve())
            extras.append(path)
    rules_dir = ontology_dir / RULES_DIR_NAME
    inputs = [("ontology", p) for p in ontology_files] + [("data", p) for p in data_files]
    inputs += [("extra", p) for p in extras]
    _check_file_names(inputs)
    rule_paths = rule_files(rules_dir, f"{typed_path(ontology_dir)}/{RULES_DIR_NAME}")
    digests = {path: _digest(path) for path in [*(path for _role, path in inputs), *rule_paths]}
    fingerprint = _fingerprint(inputs, rule_paths, digests)
    checked, shapes = _checked_files(ontology_dir, rule_paths)
    store_dir = _check_target(target)
    _tidy(store_dir, report)
    if not force and _up_to_date(store_dir, fingerprint, shapes):
        manifest = _read_manifest(store_dir)
        _refresh_records(store_dir, manifest, inputs, checked, digests)
        counts = manifest["counts"]
        inferred = counts["graphs"].get(str(INFERRED_GRAPH), 0)
        return Built(store_dir, len(inputs), counts["union"], inferred, False, tuple(_manifest_warnings(manifest)))

    _check_movable(store_dir)
    replaced = _replaced_newer(target, store_dir)  # read now: the swap below deletes its manifest
    rules = inference.load_rules(rules_dir, f"{typed_path(ontology_dir)}/{RULES_DIR_NAME}")
    ontology = _ontology_graph(ontology_files)
    refuse_no_schema(ontology, ontology_dir)
    _check_shapes(ontology_dir)
    schema = inference.Schema.from_ontology(ontology)
    building, made = _make_building(store_dir)
    with _held(building, mine=True) as held:  # a later load knows this folder from a leftover while this one runs
        try:
            _refuse_another_load(store_dir, building, held=held)
            try:
                counts = _build_into(
                    building, report, lambda slowly: _build_once(building, inputs, schema, rules, report, slowly=slowly)
                )
            except (OSError, _sqlite_error(), _CannotStage) as error:  # the inputs' are InputErrors by now
                raise _cannot_write(store_dir, error.error if isinstance(error, _CannotStage) else error) from error
            # The manifest keeps these beside the counts; the literals retyped are said by this load only.
            undeclared, empty, ontologies, retyped, prefixes = (
                counts.pop(key) for key in ("undeclared", "empty", "ontologies", "retyped", "prefixes")
            )
            manifest = {
                "format": FORMAT,
                "build": BUILD,
                "kgraph": __version__,
                "pyoxigraph": ox.__version__,
                "fingerprint": fingerprint,
                "ontology_dir": str(ontology_dir.absolute()),
                "data_dir": str(data_dir.absolute()),
                "files": [_file_entry(role, path, digests[path]) for role, path in inputs],
                "checked": [_file_entry(role, path) for role, path in checked],  # for the warnings of a stale store
                "shapes": shapes,
                "rules": [rule.name for rule in rules],
                "counts": counts,
                "names": name_index.VERSION,
                "undeclared": undeclared,
                "empty": empty,
                "ontologies": ontologies,
                "prefixes": prefixes,
            }
            _write_beside(
                building,
                store_dir,
                manifest,
                lambda copy: _copy_ontology(ontology_dir, ontology_files, rules_dir, copy),
            )
            _swap(building, store_dir)
            sync_parents(made)  # the folders made above the store, which a power cut could otherwise take with it
        except BaseException as error:
            _clear(building, made, error)
            raise
        inferred = counts["graphs"].get(str(INFERRED_GRAPH), 0)
        return Built(
            store_dir,
            len(inputs),
            counts["union"],
            inferred,
            warnings=(*replaced, *_manifest_warnings(manifest), *retyped),
        )


def _clear(building: Path, made: Sequence[Path], error: BaseException) -> None:
    """Delete ``building``, the folder of a load that did not finish (``error``), and the folders ``made`` above it
    that are empty then. A second Ctrl-C (or a SIGTERM after the first) cut the clearing short, and left a folder
    as large as a store: held back, it stops the command once the folder is gone."""
    release_frames(error)  # they hold the store being built open, and RocksDB's threads writing in it
    with uninterrupted():
        shutil.rmtree(building, ignore_errors=True)
        remove_empty(made)


def _make_building(store_dir: Path) -> tuple[Path, list[Path]]:
    """The temporary folder to build the store in, beside ``store_dir``, and the folders made above it (the deepest
    first), which a failed load removes again when they are empty (it left them, as a failed export did)."""
    made = missing_folders(store_dir.parent)
    try:
        store_dir.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=_building_prefix(store_dir), dir=store_dir.parent))
        building.chmod(_folder_mode())  # mkdtemp's 0700 would keep the store from everyone else, whatever the umask
    except OSError as error:
        remove_empty(made)
        # The folder it could not make a folder in: the store's, or the nearest above it when that was missing (it
        # named the missing folder, for a store below a read-only folder).
        where = display_path(next((p for p in (store_dir.parent, *store_dir.parent.parents) if p.is_dir()), Path()))
        blocking = next((p for p in (store_dir.parent, *store_dir.parent.parents) if p.is_file()), None)
        if blocking is not None:  # it said "cannot make a folder in f (File exists); load into a folder you can ..."
            raise InputError.advising(
                f"{display_path(blocking)} is a file, so the store {display_path(store_dir)} cannot be made",
                python="pass another store_dir",
                cli="pass another --store DIR",
            ) from error
        raise StoreError(
            f"cannot write the store {display_path(store_dir)}: cannot make a folder in {where} "
            f"({error.strerror or error}); load into a folder you can write to"
        ) from error
    return building, made


def _refuse_another_load(store_dir: Path, building: Path, *, held: bool) -> None:
    """Refuse to build ``store_dir`` while another ``kgraph load`` builds it (a folder beside it that a load holds,
    other than ``building``, this load's own). Both went on, and the one that finished last replaced the other's
    store: a load reported its files loaded, exit 0, into a store that then held the other load's files. Two
    loads that start at the same instant may both be refused; never both go on. ``held``: whether this load has
    the lock on ``building``; where there are no locks (:func:`_held`), no load can tell another's folder."""
    if not held:
        return
    for _changed, folder in _leftovers(store_dir):
        if folder == building or not folder.name.startswith(_building_prefix(store_dir)):
            continue
        with _held(folder) as free:
            if free:  # a leftover of a load that did not finish: the next load clears it
                continue
        where = display_path(store_dir)
        raise StoreError(
            f"another kgraph load is building the store {where} (in {display_path(folder)}); let it finish, then "
            "load again"
        )


def _extra_file(path: Path) -> Path:
    if path.is_dir():
        raise InputError.advising(
            f"{display_path(path)} is a folder; pass the RDF files in it (*.ttl, *.trig, *.nt, *.nq), or the folder",
            python="as data_dir to read it instead of the bundled data",
            cli="as --data DIR (before load) to read it instead of the bundled data",
            then=" ",
        )
    if not path.is_file():
        raise InputError(f"{display_path(path)} is not a file; pass RDF files (*.ttl, *.trig, *.nt, *.nq)")
    if path.suffix.lower() not in FORMATS:
        raise InputError(f"{display_path(path)}: kgraph reads *.ttl, *.trig, *.nt and *.nq files; convert it first")
    return path


def _check_file_names(inputs: Sequence[tuple[str, Path]]) -> None:
    """Refuse two data files of one name (``a/x.ttl`` and ``b/x.ttl``): a file's triples go into the graph named
    after it (:func:`kgraph.vocab.file_graph`), and the two would be one, their provenance mixed."""
    named: dict[str, Path] = {}
    for role, path in inputs:
        if role == "ontology":  # the ontology graph holds every ontology file
            continue
        other = named.setdefault(path.name, path)
        if other != path:
            raise InputError(
                f"{display_path(other)} and {display_path(path)} have the same name, so their triples would share "
                f"one graph ({file_graph(path.name)}); rename one"
            )


def _checked_files(ontology_dir: Path, rule_files: Sequence[Path]) -> tuple[list[tuple[str, Path]], str | None]:
    """The shapes file and the rules, for the warnings of a stale store, and the shapes' digest. The shapes are not
    in the fingerprint (the graph's, which memory and store share), but the store keeps a copy that its validation
    reads, so a change to them makes the store out of date all the same."""
    shapes_file = ontology_dir / SHAPES_FILE_NAME
    checked = [("shapes", shapes_file)] if shapes_file.is_file() else []
    checked += [("rule", path) for path in rule_files]
    return checked, _digest(shapes_file) if shapes_file.is_file() else None


def _check_shapes(ontology_dir: Path) -> None:
    """Raise DataSyntaxError (file and line) for a shapes file that does not parse. The store keeps a copy of it,
    which its validate reads: a load took it as it was, and validate then named the copy in the store as the file
    to fix (which made the store refuse to validate with a copy changed since the load)."""
    shapes_file = ontology_dir / SHAPES_FILE_NAME
    if shapes_file.is_file():
        parse_file(shapes_file, [])


def _digest(path: Path) -> str:
    """SHA-256 of the file's bytes, in hexadecimal."""
    content = hashlib.sha256()
    try:
        with open_file(path) as stream:
            while chunk := stream.read(1 << 20):
                content.update(chunk)
    except OSError as error:
        message = f"cannot read {display_path(path)}: {error.strerror}; check that the file is readable"
        raise InputError(message) from error
    return content.hexdigest()


def _fingerprint(inputs: Sequence[tuple[str, Path]], rules: Sequence[Path], digests: Mapping[Path, str]) -> str:
    """SHA-256 over role, name and bytes (``digests``, each file's :func:`_digest`) of every file, as
    :func:`kgraph.store.load` computes it."""
    fingerprint = hashlib.sha256()
    for role, path in [*inputs, *(("rule", p) for p in rules)]:
        for digest in (hashlib.sha256(role.encode()).digest(), hashlib.sha256(os.fsencode(path.name)).digest()):
            fingerprint.update(digest)
        fingerprint.update(bytes.fromhex(digests[path]))
    return fingerprint.hexdigest()


def _check_utf8(store_dir: Path, python: str, cli: str) -> None:
    """Refuse ``store_dir`` if its path is not UTF-8 text (a name in Latin-1: Python holds its bytes as lone
    surrogates), which Oxigraph cannot open: a load said "The DB path is not valid UTF-8; make room on its disk",
    the other commands stopped with a Python error. ``python`` and ``cli``: what to do, before "UTF-8"."""
    try:
        str(store_dir.absolute()).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError.advising(
            f"the path of {display_path(store_dir)} is not UTF-8 text (a name saved in another encoding), and "
            "Oxigraph opens a store only by a UTF-8 path",
            python=f"{python} UTF-8",
            cli=f"{cli} UTF-8",
        ) from None


def _check_target(store_dir: Path) -> Path:
    """The folder to build the store in: ``store_dir``, or the folder it links to. Refuse to replace a folder that
    is not a kgraph store (a typo must not delete someone's files).

    A link is followed (a store kept on another disk, linked from here): renaming the new store over the link
    replaced the link with a folder here and left the old store behind it, out of use, where it was.
    """
    if store_dir.is_symlink():
        if not store_dir.is_dir():
            what = f"{store_dir} is a symbolic link that leads to no folder; fix the link or pass another"
            raise InputError.in_both(f"{what} store_dir", f"--store {what} --store DIR")
        store_dir = store_dir.resolve()
    if store_dir.is_dir() and _holds_current_folder(store_dir):
        # The new store is renamed into place over the old folder: that of the current folder, by the name `.`,
        # fails (a traceback once the whole load was done); by another, it leaves the shell in a deleted folder.
        raise InputError.advising(
            f"{display_path(store_dir)} {'is' if store_dir.resolve() == Path.cwd() else 'holds'} the current "
            "folder, and a load replaces the store's folder as a whole",
            python="pass a store_dir below the current folder, such as 'kgraph-store'",
            cli="pass --store with a folder below it, such as --store kgraph-store",
        )
    _check_utf8(store_dir, "pass a store_dir whose path is", "pass --store with a folder whose path is")
    if store_dir.exists() and not store_dir.is_dir():
        raise InputError.advising(
            f"{display_path(store_dir)} is a file",
            python="pass a store_dir that is a folder (new or a store)",
            cli="pass --store DIR with a folder (new or a store)",
        )
    if store_dir.is_dir() and any(store_dir.iterdir()) and not (store_dir / MANIFEST).is_file():
        raise InputError.advising(
            f"{display_path(store_dir)} is a folder with files in it but not a kgraph store",
            python="pass a store_dir that is a new or empty folder, or a store kgraph built",
            cli="pass --store with a new or empty folder, or with a store kgraph load made",
        )
    return store_dir


def _check_movable(store_dir: Path) -> None:
    """Refuse, before the load, a store whose own folder is read-only: the new store replaces it by moving it aside
    into a folder beside it, which the system allows only where one may write in the folder moved (its ``..``
    changes). The whole load was done first, then failed with a traceback (PermissionError)."""
    if store_dir.is_dir() and not os.access(store_dir, os.W_OK):
        raise StoreError(_cannot_move(store_dir, "Permission denied"))


def _cannot_move(store_dir: Path, reason: str) -> str:
    """The message for a store that cannot be moved aside to be replaced (``reason``, the system's words)."""
    where = display_path(store_dir)
    return (
        f"cannot replace the store {where}: its folder cannot be moved aside ({reason}); make the folder {where} "
        "writable, or load into another folder"
    )


def _holds_current_folder(store_dir: Path) -> bool:
    """Whether ``store_dir`` (a folder) is the current folder or one above it."""
    try:
        here = Path.cwd()
    except OSError:  # the current folder was deleted: nothing names it
        return False
    return here == store_dir.resolve() or store_dir.resolve() in here.parents


def _up_to_date(store_dir: Path, fingerprint: str, shapes: str | None) -> bool:
    try:
        manifest = _read_manifest(store_dir)
    except StoreError:
        return False
    current = manifest.get("fingerprint") == fingerprint and _current_build(manifest)
    current = current and manifest.get("shapes", "") == shapes  # a store of an earlier kgraph did not record them
    # A store whose name index is gone finds names by reading every label (seconds a name at 1M triples): rebuilt.
    return bool(current and (store_dir / DATABASE).is_dir() and (store_dir / name_index.FILE).is_file())


def _newer(manifest: Mapping[str, Any]) -> str | None:
    """How the store of ``manifest`` is newer than those this kgraph makes, for a message: the kgraph that made it,
    its store format or build, and this kgraph's (``0.3.0, store build 6; this kgraph 0.2.0 builds 5``); None for a
    store that is not newer (an earlier one's, or this one's)."""
    made_by = manifest.get("kgraph")
    made_by = made_by if isinstance(made_by, str) else "?"
    layout, made = manifest.get("format"), manifest.get("build")
    if type(layout) is int and layout > FORMAT:
        return f"{made_by}, store format {layout}; this kgraph {__version__} writes format {FORMAT}"
    if type(made) is int and made > BUILD:
        return f"{made_by}, store build {made}; this kgraph {__version__} builds {BUILD}"
    return None


def _replaced_newer(target: Path, store_dir: Path) -> list[str]:
    """The warning that the load replaces the store in ``store_dir`` (``target`` as given), made by a newer kgraph:
    a store shared by two versions of kgraph was rebuilt by the older one without a word. The manifest is read as it
    is (one of a newer format is refused by :func:`_read_manifest`); none there, or unreadable, is no warning."""
    try:
        manifest = json.loads((store_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return []
    newer = _newer(manifest) if isinstance(manifest, dict) else None
    if newer is None:
        return []
    return [f"replaced the store {display_path(target)}, which a newer kgraph made ({newer})"]


def _newer_build(store_dir: Path, manifest: Mapping[str, Any]) -> Iterator[Notice]:
    """The warning for a store of a newer build than this kgraph's, which it reads as it is (one of a newer format
    is refused): that kgraph may have added to it what this one does not read or keep, so answers may lack it."""
    newer = _newer(manifest)
    if newer is None:
        return
    what = f"the store {display_path(store_dir)} was built by a newer kgraph ({newer}); answers may lack what it added"
    reload = _reload_command(store_dir, manifest)
    yield Notice(
        f"{what}; call {reload} to rebuild it with this version, or upgrade kgraph",
        f"{what}; run {reload.cli_message} to rebuild it with this version, or upgrade kgraph",
    )


def _current_build(manifest: Mapping[str, Any]) -> bool:
    """Whether the store was built as this kgraph builds stores: its :data:`BUILD`, and a name index it reads."""
    return manifest.get("build") == BUILD and _indexes_names(manifest)


def _indexes_names(manifest: Mapping[str, Any]) -> bool:
    """Whether the store has a name index this kgraph reads (a store without one is rebuilt by the next load)."""
    return bool(manifest.get("names") == name_index.VERSION)


def _ontology_graph(files: Sequence[Path]) -> Graph:
    """The ontology, parsed with rdflib (it is small) for the inference tables; syntax errors name file and line."""
    graph = Graph()
    for path in files:
        for context in parse_file(path, []).graphs():
            graph += context
    return graph


def _build_into(folder: Path, report: Progress, attempt: Callable[[set[Path]], dict[str, Any]]) -> dict[str, Any]:
    """``attempt(slowly)`` (:func:`_build_once`) into ``folder``, again from nothing with each file it finds
    Oxigraph's parser cannot read added to ``slowly``."""
    slowly: set[Path] = set()
    while True:
        try:
            return attempt(slowly)
        except _ReadSlowly as again:
            path = again.path
        # Outside the except clause, so that the store the attempt opened is closed before its files go.
        slowly.add(path)
        report.step(
            f"  {display_path(path)} has a term over {OX_TERM_BYTES >> 20} MiB: starting again, to read it more slowly"
        )
        for child in folder.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()


def _build_once(
    folder: Path,
    inputs: Sequence[tuple[str, Path]],
    schema: inference.Schema,
    rules: Sequence[inference.Rule],
    report: Progress,
    *,
    slowly: set[Path],
) -> dict[str, Any]:
    """Stage, load and infer into ``folder``, reading the files in ``slowly`` around Oxigraph's parser. Raises
    :class:`_ReadSlowly` for another file that Oxigraph's parser cannot read."""
    entailments = _Entailments(schema)
    long = _LongTerms()
    store = ox.Store(str(folder / DATABASE))
    try:
        with _Loader(store) as loader:
            with (
                _Staging(folder, "stated", long, loader.send) as staging,
                _Stated(folder / "entailed.nt", long) as stated,
            ):
                report.step(f"reading {len(inputs)} files ({sum(p.stat().st_size for _r, p in inputs):,} bytes)")
                first_files: dict[URIRef, Path] = {}  # the named graphs of the data, by the first file in them
                empty: list[str] = []  # the files that hold no triple, as the manifest keeps them
                retyped = _Retyped()
                ill_typed = _IllTyped()
                file_prefixes: list[tuple[Path, dict[str, str]]] = []  # each data file, and the prefixes it declares
                for number, (role, path) in enumerate(inputs):
                    staged = staging.total
                    if role != "ontology":
                        file_prefixes.append((path, {}))
                    _stage_file(
                        path,
                        number,
                        role,
                        slowly=path in slowly,
                        entailments=entailments,
                        out=staging,
                        stated=stated,
                        report=report,
                        first_files=first_files,
                        retyped=retyped,
                        ill_typed=ill_typed,
                        prefixes=file_prefixes[-1][1] if role != "ontology" else {},
                    )
                    if staging.total == staged:
                        empty.append(str(path.absolute()))
            report.step(f"writing the store ({staging.total:,} quads to sort and index)")
            _bulk_load(store, loader, staging, long)
            report.step("inferring")
            with _Staging(folder, "inferred", long, loader.send) as inferred:
                stated.write_inferred(store, inferred)
            _bulk_load(store, loader, inferred, long)
            _apply_rules(store, loader, rules, entailments=entailments, stated=stated, folder=folder)
        counts = _counts(store)
        counts["undeclared"] = _undeclared_graphs(store, first_files, counts)
        counts["empty"] = empty
        counts["ontologies"] = _declared_ontologies(store, inputs, first_files)
        counts["retyped"] = ill_typed.warnings() + retyped.warnings()
        counts["prefixes"] = [
            [entry.prefix, entry.namespace, str(entry.path.absolute())] for entry in declared_prefixes(file_prefixes)
        ]
        report.step("indexing names")
        name_index.write(store, folder / name_index.FILE)
        store.flush()
    finally:
        del store
    return counts


class _ReadSlowly(Exception):
    """A file has a term longer than Oxigraph's parser reads (:data:`OX_TERM_BYTES`)."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def _sqlite_error() -> type[Exception]:
    """SQLite's error for a name index that cannot be written (a full disk); sqlite3 is imported for a load and a
    name look-up only, not by every command on a store."""
    import sqlite3  # noqa: PLC0415

    return sqlite3.OperationalError


class _Loader:
    """Bulk loads of staged files into ``store``, :data:`LOADERS` at a time, while the next files are written.

    Oxigraph's bulk loader parses a file and then sorts and indexes it, one step after the other in one thread;
    ``Store.bulk_load`` lets go of the GIL, so loads in threads keep both cores of a small machine busy, beside
    kgraph staging the next file.
    """

    def __init__(self, store: ox.Store) -> None:
        from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - for a load only

        self._store = store
        self._pool = ThreadPoolExecutor(max_workers=LOADERS, thread_name_prefix="kgraph-load")
        self._futures: list[Future[None]] = []

    def send(self, chunk: Path) -> None:
        """Load ``chunk``, then delete it."""
        self._futures.append(self._pool.submit(_load_file, self._store, chunk))

    def wait(self) -> None:
        """Wait for the files sent. The first error is raised and the loads not begun are cancelled (those under
        way end as the loader closes)."""
        futures, self._futures = self._futures, []
        try:
            for future in futures:
                future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    def __enter__(self) -> _Loader:
        return self

    def __exit__(self, *exc: object) -> None:
        # A second Ctrl-C while the loads under way end let them go on writing into the store's folder as it was
        # cleared, and a folder as large as a store was left: held back, it stops the command once they end.
        with uninterrupted():
            self._pool.shutdown(wait=True, cancel_futures=True)


def _load_file(store: ox.Store, chunk: Path) -> None:
    with _naming_long_iris():
        store.bulk_load(path=str(chunk), format=ox.RdfFormat.N_QUADS)
    chunk.unlink()


def _bulk_load(store: ox.Store, loader: _Loader, staging: _Staging, long: _LongTerms) -> None:
    """Load the rest of what ``staging`` holds.

    The plain files go to ``loader``. The labelled ones are parsed here rather than by ``Store.bulk_load``, which
    gives the blank nodes of each file it loads new labels: a blank node whose triples are in two files (its
    stated and its inferred ones) would become two nodes.
    """
    staging.close()
    for chunk in staging.plain.files:
        loader.send(chunk)
    loader.wait()
    for chunk in staging.labelled.files:
        quads = ox.parse(path=str(chunk), format=ox.RdfFormat.N_QUADS)
        with _naming_long_iris():
            store.bulk_extend(map(long.restore, quads) if long else quads)
        chunk.unlink()


@contextmanager
def _naming_long_iris() -> Iterator[None]:
    try:
        yield
    except MemoryError as error:
        if not _too_long(error):
            raise
        # Long subjects and objects are placeholders here; a predicate or graph name that long is not.
        raise InputError(
            f"a predicate or graph name is an IRI longer than the {OX_TERM_BYTES:,} bytes Oxigraph reads; shorten it"
        ) from error


def _too_long(error: MemoryError) -> bool:
    """Whether ``error`` is Oxigraph's parser meeting a term longer than :data:`OX_TERM_BYTES`."""
    return "buffer maximal size" in str(error)


class _LongTerms:
    """Subjects and objects too long to cross the staged N-Quads (see :data:`LONG_TERM`): each crosses as a
    placeholder IRI, unique to this load, and is put back as the quads are loaded or looked up.

    Such terms are rare: while there is none, loading checks nothing per quad.
    """

    def __init__(self) -> None:
        self.prefix = f"urn:kgraph:placeholder:long:{secrets.token_hex(8)}:"
        self.terms: dict[str, Any] = {}  # placeholder IRI -> the term
        self.placeholders: dict[str, str] = {}  # the term's N-Triples -> its placeholder's

    def __bool__(self) -> bool:
        return bool(self.terms)

    def text(self, text: str, term: Any) -> str:  # noqa: ANN401 - a pyoxigraph term
        """``text`` (the N-Triples of ``term``), or the N-Triples of its placeholder if it is too long."""
        if len(text) <= LONG_TERM:
            return text
        placeholder = self.placeholders.get(text)
        if placeholder is None:
            iri = f"{self.prefix}{len(self.terms)}"
            self.terms[iri] = term
            placeholder = self.placeholders[text] = f"<{iri}>"
        return placeholder

    def restore(self, quad: ox.Quad) -> ox.Quad:
        """``quad`` with its placeholders replaced by the terms they stand for."""
        s, o = quad.subject, quad.object
        s_term = self.terms.get(s.value, s) if isinstance(s, ox.NamedNode) else s
        o_term = self.terms.get(o.value, o) if isinstance(o, ox.NamedNode) else o
        if s_term is s and o_term is o:
            return quad
        return ox.Quad(s_term, quad.predicate, o_term, quad.graph_name)


class _Stated:
    """What the files state (as hashes of their N-Triples text) and what the schema entails of it (in a file),
    so that an entailed triple that some file also states is not taken for an inference.

    A stated triple's hash is kept, not its text (8 bytes and a set entry, not the triple); an entailed triple
    whose hash is among them is looked up in the store before it is dropped, so a hash collision costs a
    look-up, never an inference.
    """

    def __init__(self, path: Path, long: _LongTerms) -> None:
        self.path = path
        self.long = long
        self.hashes: set[int] = set()
        self.out: IO[str] = path.open("w", encoding="utf-8", newline="\n")

    def entailed(self, triples: list[str]) -> None:
        """Keep ``triples`` (N-Triples text, each without its dot), entailed by what was staged."""
        try:
            self.out.write("".join(f"{triple}\n" for triple in triples))
        except OSError as error:
            raise _CannotStage(error) from error

    def __enter__(self) -> _Stated:
        return self

    def __exit__(self, *exc: object) -> None:
        self.out.close()

    def write_inferred(self, store: ox.Store, out: _Staging) -> None:
        """Write each entailed triple that no file states into the inferred graph and the flat graph."""
        inferred = str(_INFERRED)
        hashes = self.hashes
        with self.path.open(encoding="utf-8") as lines:
            triples = (line[:-1] for line in lines)
            out.write_all(
                f"{triple} {inferred} .\n{triple} .\n"
                for triple in triples
                if not (hash(triple) in hashes and _stated_in_store(store, triple, self.long))
            )
        self.path.unlink()

    def holds(self, store: ox.Store, triple: str) -> bool:
        """Whether a file states ``triple`` (N-Triples text)."""
        return hash(triple) in self.hashes and _stated_in_store(store, triple, self.long)


def _stated_in_store(store: ox.Store, triple: str, long: _LongTerms) -> bool:
    """Whether a named graph (a section, a file, the ontology) holds ``triple`` (N-Triples text)."""
    quad = long.restore(next(iter(ox.parse(input=f"{triple} .", format=ox.RdfFormat.N_TRIPLES))))
    return any(
        isinstance(found.graph_name, ox.NamedNode)
        for found in store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
    )


class _CannotStage(Exception):
    """Writing a staged file failed (a full disk, say): not an OSError, so that :func:`_stage_file` does not take
    it for the input file it reads failing."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _Chunks:
    """N-Quads files of :data:`CHUNK_QUADS` lines each (a batch more at most: :func:`_batch`), written one after
    the other. With ``send``, each file is handed to it once full (to be loaded while the next is written) and is
    no longer among ``files``."""

    def __init__(self, folder: Path, name: str, send: Callable[[Path], None] | None = None) -> None:
        self.folder = folder
        self.name = name
        self.send = send
        self.files: list[Path] = []
        self.total = 0
        self._count = 0
        self._out: IO[str] | None = None
        self._lines = CHUNK_QUADS

    def write(self, text: str, lines: int) -> None:
        try:
            if self._lines >= CHUNK_QUADS:
                self._next()
            assert self._out is not None  # noqa: S101 - _next opened it
            self._out.write(text)
        except OSError as error:
            raise _CannotStage(error) from error
        self._lines += lines
        self.total += lines

    def _next(self) -> None:
        self.close()
        if self.send is not None:
            for path in self.files:
                self.send(path)
            self.files.clear()
        path = self.folder / f"{self.name}-{self._count:04d}.nq"
        self._count += 1
        self.files.append(path)
        self._out = path.open("w", encoding="utf-8", newline="\n")
        self._lines = 0

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None


class _Staging:
    """The N-Quads to load, in files of about :data:`CHUNK_QUADS` lines, each loaded by one bulk load.

    Oxigraph's bulk loader holds what it loads in memory (about 1 KB a quad) before writing it out sorted, so
    loading in chunks bounds the memory a load takes, whatever the size of the graph. Lines with a blank node or a
    placeholder of :class:`_LongTerms` go to files of their own (``labelled``), loaded by :func:`_bulk_load` once
    the rest is; the others (``plain``, nearly all) go to ``send`` as each file fills (:meth:`_Loader.send`).
    """

    def __init__(self, folder: Path, name: str, long: _LongTerms, send: Callable[[Path], None]) -> None:
        self.long = long
        self.plain = _Chunks(folder, name, send)
        self.labelled = _Chunks(folder, f"{name}-labelled")

    @property
    def total(self) -> int:
        return self.plain.total + self.labelled.total

    def write(self, text: str, lines: int) -> None:
        # "_:" also appears in some literals and IRIs: their lines take the slower way, with the same result.
        if "_:" in text or (self.long and self.long.prefix in text):
            self.labelled.write(text, lines)
        else:
            self.plain.write(text, lines)

    def write_batch(self, texts: list[str], lines: int = 2) -> None:
        """:meth:`write` each of ``texts`` (of ``lines`` lines each: a quad and its flat copy, say): all in one
        write when none of them goes to the labelled files, as nearly always."""
        if not texts:
            return
        text = "".join(texts)
        if "_:" in text or (self.long and self.long.prefix in text):
            for one in texts:
                self.write(one, lines)
        else:
            self.plain.write(text, lines * len(texts))

    def write_all(self, texts: Iterable[str], lines: int = 2) -> None:
        """:meth:`write_batch` ``texts`` (of ``lines`` lines each), a batch of :func:`_batch` quads' lines at a
        time."""
        per_write = max(1, 2 * _batch() // lines)
        while batch := list(itertools.islice(texts, per_write)):
            self.write_batch(batch, lines)

    def close(self) -> None:
        self.plain.close()
        self.labelled.close()

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Reader:
    """A binary file that reports how much of it was read."""

    def __init__(self, stream: IO[bytes] | _Utf8Checked, report: Progress) -> None:
        self.stream = stream
        self.report = report

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.report.advance(len(chunk))
        return chunk


class _Utf8Checked:
    """The binary file at ``path``, which raises a DataSyntaxError (:func:`_misread`) on reading a byte that is not
    UTF-8, wherever it is. Oxigraph's parser says so only of the bytes it reads as terms: one in a comment (a Chinese
    comment saved as GBK) was loaded without a word, where the in-memory commands refuse the file
    (:func:`kgraph.store.decode_text`)."""

    def __init__(self, stream: IO[bytes], path: Path, display: str) -> None:
        self.stream = stream
        self.path = path
        self.display = display
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.line = 1

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        pending = self.decoder.getstate()[0]  # the start of a character the last chunk ended in: no line break
        try:
            self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            line = self.line + (pending + chunk)[: error.start].count(b"\n")
            raise _misread(self.path, self.display, line, "Invalid UTF-8") from None
        self.line += chunk.count(b"\n")
        return chunk


def _stage_file(
    path: Path,
    number: int,
    role: str,
    *,
    slowly: bool,
    entailments: _Entailments,
    out: _Staging,
    stated: _Stated,
    report: Progress,
    first_files: dict[URIRef, Path],
    retyped: _Retyped,
    ill_typed: _IllTyped,
    prefixes: dict[str, str],
) -> None:
    """Parse ``path`` and write its quads, their default-graph copies and what they entail to ``out``; add the
    named graphs it writes in to ``first_files`` (with its name, unless an earlier file wrote in them), and the
    prefixes it declares to ``prefixes``.

    Ontology files go into the ontology graph whole; a data file keeps its named graphs, and its default graph
    becomes the file graph. A file with a term longer than Oxigraph's parser reads (:data:`OX_TERM_BYTES`) raises
    :class:`_ReadSlowly`: the load starts again and reads it ``slowly``, around that limit: N-Triples and N-Quads a
    line at a time (:func:`_line_quads`), Turtle and TriG by rdflib, as the in-memory commands read them. (What it
    staged may be loaded already, and rdflib does not read every term as Oxigraph does, nor label blank nodes
    alike, so nothing of the first reading may stay.)
    """
    display = display_path(path)
    size = path.stat().st_size
    fmt = _OX_FORMATS[path.suffix.lower()]
    base_iri = str(file_graph(path.name))
    default = ox.NamedNode(str(ONTOLOGY_GRAPH if role == "ontology" else file_graph(path.name)))

    def stage(quads: Iterable[ox.Quad]) -> None:
        retyped.file = display
        ill_typed.path = path
        named = _stage_quads(
            quads,
            number,
            role,
            default,
            entailments=entailments,
            out=out,
            stated=stated,
            retyped=retyped,
            ill_typed=ill_typed,
        )
        for graph in named:
            if URIRef(graph.value) in KGRAPH_GRAPHS:
                raise kgraph_graph_error(path, graph.value)
            first_files.setdefault(URIRef(graph.value), path.absolute())

    try:
        if slowly:
            if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
                stage(_line_quads(path, fmt, base_iri, display))
            else:
                stage(_rdflib_quads(path, prefixes))
            return
        try:
            with open_file(path) as stream:
                if stream.read(len(BOM)) != BOM:  # a byte order mark first is not data (open_file: a regular file)
                    stream.seek(0)
                if size >= PROGRESS_BYTES:
                    report.start(size, display)
                checked = _Utf8Checked(stream, path, display)
                source: Any = _Reader(checked, report) if size >= PROGRESS_BYTES else checked
                parser = ox.parse(input=source, format=fmt, base_iri=base_iri)
                stage(parser)
                prefixes.update(parser.prefixes)
        except MemoryError as error:
            if not _too_long(error):
                raise
            raise _ReadSlowly(path) from None
    except SyntaxError as error:
        line, message = _located(error, fmt, _FileLines(path, error.lineno or 1))
        raise _misread(path, display, line, message) from error
    except _RdfStar:
        with path.open(encoding="utf-8", errors="replace") as lines:  # a line at a time: the file may be large
            raise DataSyntaxError(display, rdf_star_line(lines), RDF_STAR) from None
    except OSError as error:
        raise InputError(
            f"cannot read {display}: {error.strerror or error}; check that the file is readable"
        ) from error
    finally:
        if size >= PROGRESS_BYTES and not slowly:
            report.finish()


def _batch() -> int:
    """Quads staged per write: :data:`BATCH_QUADS`, fewer when a staging file holds fewer (tests make them small)."""
    return max(1, min(BATCH_QUADS, CHUNK_QUADS // 2))


#: A quoted triple's type: RDF-star, which Oxigraph's Turtle and TriG parsers read and kgraph does not.
_TRIPLE = ox.Triple


class _RdfStar(Exception):
    """A file holds a quoted triple (:data:`kgraph.syntax.RDF_STAR`)."""


def _stage_quads(
    quads: Iterable[ox.Quad],
    number: int,
    role: str,
    default: ox.NamedNode,
    *,
    entailments: _Entailments,
    out: _Staging,
    stated: _Stated,
    retyped: _Retyped,
    ill_typed: _IllTyped,
) -> set[ox.NamedNode]:
    """Write ``quads`` (the ``number``-th file's), their default-graph copies and what they entail to ``out``; tell
    ``retyped`` each literal Oxigraph may store under another datatype, and ``ill_typed`` each typed literal.
    Returns the named graphs it writes in (for an ontology file, none)."""
    labels: dict[str, str] = {}
    named: set[ox.NamedNode] = set()
    add_stated = stated.hashes.add
    long = stated.long
    batch: list[str] = []
    add = batch.append
    size = _batch()
    entailed: list[str] = []
    entail = entailed.extend
    of = entailments.of
    check = ill_typed.saw
    for quad in quads:
        graph = quad.graph_name
        if role == "ontology" or isinstance(graph, ox.DefaultGraph):
            graph = default
        elif type(graph) is ox.NamedNode:
            named.add(graph)
        s, p, o = quad.subject, quad.predicate, quad.object
        if type(o) is _TRIPLE or type(s) is _TRIPLE:  # RDF-star: no N-Quads line can hold it
            raise _RdfStar
        s_text = _bnode(s, number, labels) if isinstance(s, ox.BlankNode) else str(s)
        o_text = _bnode(o, number, labels) if isinstance(o, ox.BlankNode) else str(o)
        if o_text[0] == '"' and o_text[-1] == ">" and isinstance(o, ox.Literal):  # a typed literal
            check(o)
            if o_text.endswith(_RETYPED_TAILS):
                retyped.saw(s_text, p, o)
        if len(o_text) > LONG_TERM or len(s_text) > LONG_TERM:
            s_text, o_text = long.text(s_text, s), long.text(o_text, o)
        p_text = str(p)
        triple = f"{s_text} {p_text} {o_text}"
        add(f"{triple} {_graph_text(graph, number, labels)} .\n{triple} .\n")
        add_stated(hash(triple))
        entail(of(s_text, p, p_text, o, o_text))
        if len(batch) >= size:
            out.write_batch(batch)
            batch.clear()
            stated.entailed(entailed)
            entailed.clear()
    out.write_batch(batch)
    stated.entailed(entailed)
    return named


def _rdflib_quads(path: Path, prefixes: dict[str, str]) -> Iterator[ox.Quad]:
    """The quads of a Turtle or TriG file, as rdflib reads it (whole, in memory): its parser reads terms of any
    length. Syntax errors name the file and line (:func:`kgraph.store.parse_file`); the prefixes the file declares
    are put in ``prefixes``.

    rdflib names blank nodes at random and returns triples in no set order: with canonical names, in sorted order,
    the file's blank nodes get the same labels (:func:`_bnode`) on every load, as when Oxigraph reads it.
    """
    quads: list[tuple[Node, Node, Node, URIRef]] = []
    for context in parse_file(path, [], prefixes=prefixes).graphs():
        name = context.identifier
        if isinstance(name, URIRef):  # every graph rdflib's parsers make (kgraph.store.load reads the same)
            quads.extend((s, p, o, name) for s, p, o in context)
    for s, p, o, g in sorted(canonical_bnodes(quads), key=lambda quad: tuple(term.n3() for term in quad)):
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g))  # type: ignore[arg-type]


#: What a line of N-Triples or N-Quads is made of, told apart so that a string literal is found whole: an IRI,
#: a string literal (its escapes included), a comment, anything else.
_NT_PARTS = re.compile(rb'<[^>]*>|"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"|#.*|[^<"#]+|.', re.DOTALL)
_NT_ESCAPE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([tbnrf"\'\\]))|\\')
_NT_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _line_quads(path: Path, fmt: ox.RdfFormat, base_iri: str, display: str) -> Iterator[ox.Quad]:
    """The quads of an N-Triples or N-Quads file with a term longer than Oxigraph's parser reads.

    Lines go to Oxigraph's parser in batches; a line longer than :data:`LONG_TERM` goes alone, with its long string
    literals cut out and put back into the quad Oxigraph reads from the rest, so that Oxigraph still checks the
    syntax of every line, and a syntax error still names its line.
    """
    batch: list[bytes] = []
    size = first = 0
    with open_file(path) as stream:
        for number, line in enumerate(stream, start=1):
            if number == 1:
                line = line.removeprefix(BOM)  # noqa: PLW2901 - a byte order mark is not data
            if len(line) <= LONG_TERM:
                first = first if batch else number
                batch.append(line)
                size += len(line)
                if size >= LONG_TERM:
                    yield from _parsed_lines(b"".join(batch), first, fmt, base_iri, display)
                    batch, size = [], 0
                continue
            if batch:
                yield from _parsed_lines(b"".join(batch), first, fmt, base_iri, display)
                batch, size = [], 0
            yield from _long_line(line, number, fmt, base_iri, display)
    if batch:
        yield from _parsed_lines(b"".join(batch), first, fmt, base_iri, display)


def _parsed_lines(text: bytes, first: int, fmt: ox.RdfFormat, base_iri: str, display: str) -> Iterator[ox.Quad]:
    """The quads of ``text``, lines of a file from line ``first`` on; errors name the line in the file."""
    try:
        yield from ox.parse(input=text, format=fmt, base_iri=base_iri)
    except SyntaxError as error:
        line, message = _located(error, fmt, lambda number: _line_of_text(text, number))
        raise DataSyntaxError(display, first + (line or 1) - 1, message) from error
    except MemoryError as error:
        if not _too_long(error):
            raise
        message = f"a term longer than the {OX_TERM_BYTES:,} bytes Oxigraph reads, and not a string; shorten it"
        raise DataSyntaxError(display, first, message) from error


def _long_line(line: bytes, number: int, fmt: ox.RdfFormat, base_iri: str, display: str) -> Iterator[ox.Quad]:
    """The quads of one line too long for Oxigraph's parser as it is (see :func:`_line_quads`)."""
    mark = f"kgraph-long-literal-{secrets.token_hex(8)}-"
    cut: dict[str, str] = {}
    parts = []
    for match in _NT_PARTS.finditer(line):
        part = match.group()
        if len(part) > LONG_TERM and part.startswith(b'"'):
            key = f"{mark}{len(cut)}"
            cut[key] = _unescaped(part[1:-1], number, display)
            part = f'"{key}"'.encode()
        parts.append(part)
    for quad in _parsed_lines(b"".join(parts), number, fmt, base_iri, display):
        o = quad.object
        if not (isinstance(o, ox.Literal) and o.value in cut):
            yield quad
            continue
        value = cut.pop(o.value)
        o = ox.Literal(value, language=o.language) if o.language else ox.Literal(value, datatype=o.datatype)
        yield ox.Quad(quad.subject, quad.predicate, o, quad.graph_name)
    if cut:  # pragma: no cover - a long literal inside a quoted triple, which N-Triples 1.1 does not have
        raise DataSyntaxError(display, number, "a string literal over 1 MiB that kgraph cannot load here")


def _unescaped(body: bytes, number: int, display: str) -> str:
    """The value of a string literal of N-Triples, given its text between the quotes."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataSyntaxError(display, number, NOT_UTF8) from error
    if "\\" not in text:
        return text

    def unescape(match: re.Match[str]) -> str:
        short, full, char = match.groups()
        if char:
            return _NT_ECHARS[char]
        code = int(short or full, 16) if short or full else -1
        if not (0 <= code <= 0x10FFFF) or 0xD800 <= code <= 0xDFFF:
            if short or full:
                raise DataSyntaxError(display, number, f"bad syntax: {match.group()!r} is not an escape in a string")
            raise DataSyntaxError(display, number, bad_escape(text[match.start() : match.start() + 2]))
        return chr(code)

    return _NT_ESCAPE.sub(unescape, text)


def _misread(path: Path, display: str, line: int | None, message: str) -> DataSyntaxError:
    """The error for a file Oxigraph's parser stopped in, in the words the in-memory commands use when the file,
    not a statement, is wrong (:func:`kgraph.store.parse_file`): not UTF-8 (Oxigraph: "Invalid UTF-8 ..."; UTF-16
    text without a byte order mark: "A language code should always start with a letter"), or TriG in a ``.ttl``
    file ("{ is not a valid predicate")."""
    try:
        with open_file(path) as stream:
            head = stream.read(ENCODING_HEAD)
    except (OSError, InputError):
        return DataSyntaxError(display, line, message)
    encoding = encoding_problem(head)
    if encoding is not None:
        return DataSyntaxError(display, 1, encoding)
    nul = _nul_line_of_file(path)
    if nul is not None:
        return DataSyntaxError(display, nul, NUL_BYTE)
    if "Invalid UTF-8" in message:
        return DataSyntaxError(display, line, NOT_UTF8)
    return DataSyntaxError(display, line, wrong_suffix(path) or message)


def _nul_line_of_file(path: Path) -> int | None:
    """The first line of the file at ``path`` with a NUL byte outside a string (:func:`kgraph.store.nul_line`, the
    same line, a string of several lines followed), or None. Read a line at a time, once the parser has stopped in
    the file, and only looked at closely if it holds a NUL at all."""
    try:
        with open_file(path) as stream:
            if not any(b"\x00" in line for line in stream):
                return None
        return first_nul_line(lambda: _lines_of_file(path))
    except (OSError, InputError):
        return None


#: How many lines, up to a syntax error's, :class:`_FileLines` keeps from its one reading of the file (what is
#: quoted, and the statement's lines above it that a message looks at).
_ERROR_LINES = 64


class _FileLines:
    """Line ``number`` of the file at ``path`` (for what a syntax error's message quotes), or None: the line of the
    error and those just above it read in one pass, the first time one is asked for, not the file once a line (a
    message may look at a few dozen lines above; in a large file each pass takes a while)."""

    def __init__(self, path: Path, last: int) -> None:
        self.path = path
        self.last = last
        self.lines: dict[int, str] | None = None

    def __call__(self, number: int) -> str | None:
        if self.lines is None:
            kept: collections.deque[tuple[int, str]] = collections.deque(maxlen=_ERROR_LINES)
            try:
                for index, text in enumerate(_lines_of_file(self.path), start=1):
                    kept.append((index, text))
                    if index >= self.last:
                        break
            except (OSError, InputError):
                pass
            self.lines = dict(kept)
        if number in self.lines:
            return self.lines[number]
        if self.last - _ERROR_LINES < number <= self.last:
            return None  # the file has no such line: it was read that far
        return _line_of_file(self.path, number)


def _line_of_file(path: Path, number: int) -> str | None:
    """Line ``number`` of the file at ``path`` (for what a syntax error's message quotes), or None."""
    try:
        return next(itertools.islice(_lines_of_file(path), number - 1, None), None)
    except (OSError, InputError):
        return None


def _lines_of_file(path: Path) -> Iterator[str]:
    """The lines of the file at ``path``, decoded, without their line breaks, as :func:`kgraph.text.file_lines` has
    them (a CR alone a line end too, as Oxigraph counts the lines of its errors), read a line at a time."""
    with open_file(path) as stream:
        for number, raw in enumerate(stream, start=1):
            line = (raw.removeprefix(BOM) if number == 1 else raw).removesuffix(b"\n").removesuffix(b"\r")
            yield from file_lines(line.decode("utf-8", errors="replace"))


def _line_of_text(text: bytes, number: int) -> str | None:
    """Line ``number`` of ``text``, decoded, without its line break; None if there is no such line."""
    lines = text.split(b"\n")
    if not 0 < number <= len(lines):
        return None
    return lines[number - 1].rstrip(b"\r").decode("utf-8", errors="replace")


def _located(error: SyntaxError, fmt: ox.RdfFormat, line_text: LineText | None = None) -> tuple[int | None, str]:
    """The line of a syntax error Oxigraph's parser raised in a file in ``fmt``, and its message
    (:func:`kgraph.syntax.oxigraph_located`)."""
    return oxigraph_located(error, {ox.RdfFormat.N_TRIPLES: "triple", ox.RdfFormat.N_QUADS: "quad"}.get(fmt), line_text)


def _bnode(node: ox.BlankNode, number: int, labels: dict[str, str]) -> str:
    """A blank node label that is the same on every load of the same file and distinct between files."""
    label = labels.get(node.value)
    if label is None:
        label = labels[node.value] = f"_:f{number}b{len(labels)}"
    return label


def _graph_text(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, number: int, labels: dict[str, str]) -> str:
    return _bnode(graph, number, labels) if isinstance(graph, ox.BlankNode) else str(graph)


class _Entailments:
    """What one triple entails through the schema (sub-class, sub-property, inverse, symmetric), as N-Triples.

    These rules look at one triple at a time, so what a triple entails depends only on its predicate (and, for
    ``rdf:type``, its class, and whether the object is a literal). The answer is worked out once per key with
    :meth:`Schema.consequences` on placeholder terms, then filled in for every triple with that key.
    """

    _S = URIRef("urn:kgraph:placeholder:subject")
    _O = URIRef("urn:kgraph:placeholder:object")
    _L = Literal("urn:kgraph:placeholder:literal")

    def __init__(self, schema: inference.Schema) -> None:
        self.schema = schema
        self.templates: dict[tuple[str, str, bool], tuple[tuple[str, str, str], ...] | None] = {}

    def of(self, s_text: str, p: ox.NamedNode, p_text: str, o: Any, o_text: str) -> list[str]:  # noqa: ANN401
        """What ``s_text p o`` entails (``p_text`` and ``o_text``: the N-Triples of ``p`` and ``o``). The key is
        made of the texts the caller has already, not of ``p.value`` and ``o.value``, each a new str from
        Oxigraph: this runs for every quad a load stages."""
        literal = type(o) is ox.Literal
        key = (p_text, o_text if p_text == _TYPE_TEXT else "", literal)
        try:
            templates = self.templates[key]
        except KeyError:
            templates = self.templates[key] = self._templates(URIRef(p.value), o, literal)
        if templates is None:  # depends on the subject or object themselves: work it out for this triple
            return list(self._exact(s_text, p, o, o_text))
        slots = {"s": s_text, "o": o_text}
        return [f"{slots.get(a, a)} {predicate} {slots.get(b, b)}" for a, predicate, b in templates]

    def _templates(self, p: URIRef, o: Any, literal: bool) -> tuple[tuple[str, str, str], ...] | None:  # noqa: ANN401
        placeholder = self._L if literal else (URIRef(o.value) if str(p) == _RDF_TYPE else self._O)
        slots: dict[Node, str] = {self._S: "s", placeholder: "o"}
        made = []
        for s, q, obj in _closure(self.schema, (self._S, p, placeholder)):
            if q == RDF.type and obj in (self._S, self._O):
                return None
            if s not in slots and not isinstance(s, URIRef):  # pragma: no cover - the schema makes no new terms
                return None
            made.append((slots.get(s) or _nt(s), _nt(q), slots.get(obj) or _nt(obj)))
        return tuple(made)

    def _exact(self, s_text: str, p: ox.NamedNode, o: Any, o_text: str) -> Iterator[str]:  # noqa: ANN401
        subject = _text_term(s_text)
        obj = from_ox(o)
        # The object as staged: a blank node's label for this load, a long term's placeholder.
        texts: dict[Node, str] = {subject: s_text, obj: o_text}
        for a, q, b in _closure(self.schema, (subject, URIRef(p.value), obj)):
            yield f"{texts.get(a) or _nt(a)} {_nt(q)} {texts.get(b) or _nt(b)}"


def _text_term(text: str) -> Node:
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text[1:-1])


def _closure(schema: inference.Schema, triple: inference.Triple) -> list[inference.Triple]:
    """Everything ``triple`` entails by the schema rules alone, itself excluded (what :func:`inference.infer`
    adds for a graph of this one triple)."""
    seen = {triple}
    todo = [triple]
    while todo:
        for new in schema.consequences(todo.pop()):
            if new not in seen:
                seen.add(new)
                todo.append(new)
    seen.discard(triple)
    return sorted(seen)


def _nt(term: Node) -> str:
    """A term in N-Triples syntax, written by Oxigraph."""
    return str(to_ox(term))


def _apply_rules(
    store: ox.Store,
    loader: _Loader,
    rules: Sequence[inference.Rule],
    *,
    entailments: _Entailments,
    stated: _Stated,
    folder: Path,
) -> None:
    """Run the CONSTRUCT rules on the flat graph until they add nothing new, or nothing a rule reads
    (:func:`kgraph.inference.another_round`). A new conclusion goes into the inferred graph with what the schema
    entails of it (each rule sees what the rules before it concluded, as in memory)."""
    inferred = str(_INFERRED)
    long = stated.long
    for _round in range(inference.MAX_ROUNDS):
        added = 0
        predicates: set[str] = set()  # of what the round added: another round only if a rule reads one
        for rule in rules:
            results = store.query(rule.text)
            assert isinstance(results, ox.QueryTriples)  # noqa: S101 - load_rules keeps CONSTRUCT queries only
            with _Staging(folder, "rules", long, loader.send) as out:
                for triple in results:
                    if _has_bnode(triple) or _holds(store, triple):
                        continue
                    s, p, o = triple.subject, triple.predicate, triple.object
                    s_text, o_text = long.text(str(s), s), long.text(str(o), o)
                    p_text = str(p)
                    text = f"{s_text} {p_text} {o_text}"
                    out.write(f"{text} {inferred} .\n{text} .\n", 2)
                    predicates.add(p.value)
                    for entailed in entailments.of(s_text, p, p_text, o, o_text):
                        if not stated.holds(store, entailed):
                            out.write(f"{entailed} {inferred} .\n{entailed} .\n", 2)
                            predicates.add(entailed.split(" ", 2)[1][1:-1])  # "S <P> O": no space in an IRI
            _bulk_load(store, loader, out, long)
            added += out.total
        if not added or not inference.another_round(rules, map(URIRef, predicates)):
            return
    names = ", ".join(rule.name for rule in rules)
    raise InputError(
        f"the rules ({names}) still add new triples after {inference.MAX_ROUNDS} rounds; does a rule make blank nodes?"
    )


def _undeclared_graphs(
    store: ox.Store, first_files: Mapping[URIRef, Path], counts: Mapping[str, Any]
) -> list[list[str | int | None]]:
    """:func:`kgraph.store.undeclared_graphs` of the store, as the manifest keeps them: ``[file, graph, triples,
    line, meant]``, the last two null if not found (:func:`open_store` words them)."""
    sources = {
        URIRef(quad.subject.value)
        for kind in SOURCE_CLASSES
        for quad in store.quads_for_pattern(None, _TYPE, ox.NamedNode(str(kind)), _FLAT)
        if isinstance(quad.subject, ox.NamedNode)
    }

    def size(name: URIRef) -> int:
        return int(counts["graphs"].get(str(name), 0))

    return [
        [str(entry.path), str(entry.name), entry.triples, entry.line, None if entry.meant is None else str(entry.meant)]
        for entry in undeclared_graphs(first_files, sources, size)
    ]


def _declared_ontologies(
    store: ox.Store, inputs: Sequence[tuple[str, Path]], first_files: Mapping[URIRef, Path]
) -> list[list[str]]:
    """``[file, IRI]`` of each data file that declares an OWL ontology (the IRI "" for a blank node), the first it
    declares, as the manifest keeps them (:func:`kgraph.store.ontology_in_data_warning` words each): one index
    look-up."""
    files = {str(file_graph(path.name)): path.absolute() for role, path in inputs if role != "ontology"}
    files.update({str(name): path for name, path in first_files.items()})
    found: dict[Path, set[str]] = {}
    for quad in store.quads_for_pattern(None, _TYPE, ox.NamedNode(str(OWL.Ontology)), None):
        graph = quad.graph_name
        path = files.get(graph.value) if isinstance(graph, ox.NamedNode) else None
        if path is not None:
            found.setdefault(path, set()).add(quad.subject.value if isinstance(quad.subject, ox.NamedNode) else "")
    return [[str(path), min((iri for iri in declared if iri), default="")] for path, declared in sorted(found.items())]


def _has_bnode(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _holds(store: ox.Store, triple: ox.Triple) -> bool:
    found = store.quads_for_pattern(triple.subject, triple.predicate, triple.object, _FLAT)
    return next(iter(found), None) is not None


def _counts(store: ox.Store) -> dict[str, Any]:
    """Triples per named graph that holds any, and in the flat (default) graph. A count per graph: at 1M triples
    the 51 counts take half the CPU time of one ``GROUP BY ?g`` over every named graph's quads (0.9 s, 1.9 s)."""
    graphs: dict[str, int] = {}
    for name in store.named_graphs():
        count = _count(store, name)
        if count:  # as GRAPH ?g { ... } GROUP BY ?g: a graph the store names but holds nothing of is left out
            graphs[_value(name)] = count
    return {
        "graphs": dict(sorted(graphs.items())),
        "union": _count(store, _FLAT),
    }


def _count(store: ox.Store, graph: ox.DefaultGraph | ox.NamedNode | ox.BlankNode) -> int:
    solutions = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graph)
    assert isinstance(solutions, ox.QuerySolutions)  # noqa: S101 - a SELECT
    return int(_value(next(iter(solutions))["n"]))


def _value(term: Any) -> str:  # noqa: ANN401 - a pyoxigraph term
    return str(term.value)


def _copy_ontology(ontology_dir: Path, files: Sequence[Path], rules_dir: Path, target: Path) -> None:
    """Keep the ontology as loaded, with its shapes and rules, so validation uses what the store was built from.

    Each file is read (an InputError if it cannot be), then written: an OSError is the copy's, in the store."""
    target.mkdir()
    copies = [(path, target / path.name) for path in [*files, ontology_dir / SHAPES_FILE_NAME] if path.is_file()]
    if rules_dir.is_dir():
        (target / RULES_DIR_NAME).mkdir()
        copies += [(path, target / RULES_DIR_NAME / path.name) for path in rule_files(rules_dir, RULES_DIR_NAME)]
    for path, copy in copies:
        copy.write_bytes(read_file(path))


def _write_beside(
    building: Path, store_dir: Path, manifest: Mapping[str, Any], copy_ontology: Callable[[Path], None]
) -> None:
    """Write the copy of the ontology (``copy_ontology``, given the folder to copy it into) and the manifest beside
    the database in ``building``, then sync everything in ``building`` to disk (:func:`~kgraph.atomic.sync_tree`),
    before it is renamed into place: the manifest and the copy were never synced, so a power cut just after the
    load could leave the new store in place with an empty or missing manifest. A full disk stopped the load with a
    Python traceback (the copy), or named no store (the manifest): it is the store that cannot be written."""
    try:
        copy_ontology(building / ONTOLOGY_COPY)
        _write_manifest(building, manifest)
        sync_tree(building)
    except OSError as error:
        raise _cannot_write(store_dir, error) from error


def _write_manifest(folder: Path, manifest: Mapping[str, Any]) -> None:
    (folder / MANIFEST).write_text(_manifest_text(manifest), encoding="utf-8")


def _file_entry(role: str, path: Path, digest: str | None = None) -> dict[str, Any]:
    """The manifest's record of ``path``: its absolute path, its links not followed (a data file's graph is named
    after the link's name, and validate's where lines name the file as in memory; a store of an earlier kgraph
    kept the path followed to the end, which :func:`_same_file` takes for the same file), its size and modification
    time, and ``digest`` (its SHA-256, read for the fingerprint) if given, which tells validate whether the file is
    still as loaded (:func:`_loaded_files`)."""
    stat = path.stat()
    entry = {"role": role, "path": str(path.absolute()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    return entry if digest is None else {**entry, "sha256": digest}


def _refresh_records(
    store_dir: Path,
    manifest: Mapping[str, Any],
    inputs: Sequence[tuple[str, Path]],
    checked: Sequence[tuple[str, Path]],
    digests: Mapping[Path, str],
) -> None:
    """Bring the records of the files of a store that is up to date (the same bytes, as its fingerprint says) to
    what they are now: a file touched or checked out again since the load has another modification time, which the
    warnings took for a change that the load they advised did not clear; a store an earlier kgraph built gains each
    file's SHA-256 (``digests``), for validate's where lines. The same files only (another folder of the same files
    is left as it was), and only if the store may be written: the manifest is replaced whole, or not at all.

    Only the manifest that was read is replaced, keeping its mode: another ``kgraph load`` that put a store of
    other files at ``store_dir`` since then keeps its own (the one read gave that store this one's fingerprint, so
    that loading these files again took it for theirs), and a store kept from others (umask 077) stays so."""
    records = {
        "files": [_file_entry(role, path, digests[path]) for role, path in inputs],
        "checked": [_file_entry(role, path) for role, path in checked],
    }
    kept, now = ([_same_file(entry["path"]) for entry in files["files"]] for files in (manifest, records))
    same_files = kept == now
    if not same_files or all(manifest.get(key) == value for key, value in records.items()):
        return
    text = _manifest_text({**manifest, **records})
    if os.rename not in os.supports_dir_fd:  # Windows, where a store's folder is not renamed while files are open
        _replace_manifest_by_name(store_dir, manifest, text)
        return
    try:
        folder = os.open(store_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    # Through the folder as opened, not by its name: a load that swaps another store in meanwhile moves this
    # folder aside, and what is written here goes with it.
    temporary = f".{MANIFEST}.{secrets.token_hex(8)}.tmp"
    try:
        with open(MANIFEST, "rb", opener=lambda name, flags: os.open(name, flags, dir_fd=folder)) as stream:
            if json.loads(stream.read()) != manifest:
                return
            mode = os.fstat(stream.fileno()).st_mode & 0o777
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600, dir_fd=folder)
        with os.fdopen(handle, "wb") as written:
            written.write(text.encode("utf-8"))
            written.flush()
            os.fchmod(written.fileno(), mode)
            os.fsync(written.fileno())
        os.rename(temporary, MANIFEST, src_dir_fd=folder, dst_dir_fd=folder)
        with contextlib.suppress(OSError):  # the rename, made to last; a folder some systems refuse to sync
            os.fsync(folder)
    except (OSError, ValueError):  # a store this user may read, not write: the records stay, and the warnings
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
    finally:
        os.close(folder)


def _replace_manifest_by_name(store_dir: Path, manifest: Mapping[str, Any], text: str) -> None:
    """:func:`_refresh_records`' replacement of the manifest where folders cannot be opened: by its name, if it is
    still the one read."""
    target = store_dir / MANIFEST
    try:
        if json.loads(target.read_bytes()) != manifest:
            return
        temporary = write_temporary(target, text.encode("utf-8"))
    except (OSError, ValueError):
        return
    try:
        temporary.replace(target)
    except OSError:
        temporary.unlink(missing_ok=True)
        return
    sync_parents([target])


def _same_file(path: str) -> Path:
    """``path``, a file the manifest records, with its links followed, as a store of an earlier kgraph kept it: one
    file whichever kgraph recorded it."""
    try:
        return Path(path).resolve()
    except RuntimeError:  # a loop of links (Python before 3.13): no file, but the same path
        return Path(path)


def _loaded_files(manifest: Mapping[str, Any]) -> dict[Path, LoadedFile]:
    """Each file the store was loaded from, as the load read it; no digest in a store an earlier kgraph built."""
    return {
        Path(entry["path"]): LoadedFile(entry["size"], entry["mtime_ns"], entry.get("sha256"))
        for entry in manifest["files"]
    }


def _swap(building: Path, store_dir: Path) -> None:
    """Put the finished store at ``store_dir``: two renames, the old store deleted only once the new one is there.

    Between the two renames (microseconds) ``store_dir`` does not exist; a crash right there leaves the old
    store in ``.NAME.old-*/store`` beside it, complete, and the next load puts it back (:func:`_tidy`). If another
    ``kgraph load`` put a store there in between, that one stays and this one is dropped (StoreError).

    Once the renames are in, the folder that holds ``store_dir`` is synced (before the old store is deleted), and
    so it is when the old store is put back: else a power cut soon after could leave the old store at
    ``store_dir``, or none, though the load said it was done. (``building``'s files are synced before:
    :func:`_write_beside`. The folder the old store was moved to is not: it is deleted next.)
    """
    if not store_dir.exists():
        _replace(building, store_dir)
        sync_parents([store_dir])
        return
    old = Path(tempfile.mkdtemp(prefix=_old_prefix(store_dir), dir=store_dir.parent))
    with _held(old, mine=True):
        try:
            # Ctrl-C or SIGTERM between the renames deleted both stores: the old one with `old` below, the new one
            # with the folder it was built in. Held back, they stop the command once the new store is in place.
            with uninterrupted():
                try:
                    store_dir.replace(old / MOVED_ASIDE)
                except OSError as error:  # a read-only store folder (checked before the load, but it can change)
                    raise StoreError(_cannot_move(store_dir, error.strerror or str(error))) from error
                try:
                    _replace(building, store_dir)
                except BaseException:
                    if not store_dir.exists():  # nothing took its place: the old store goes back, not away
                        (old / MOVED_ASIDE).replace(store_dir)
                    sync_parents([store_dir])
                    raise
                sync_parents([store_dir])
        finally:
            shutil.rmtree(old, ignore_errors=True)


def _replace(building: Path, store_dir: Path) -> None:
    try:
        building.replace(store_dir)
    except OSError as error:
        where = display_path(store_dir)
        raise StoreError(
            f"another kgraph load wrote {where} at the same time ({error.strerror}); run it again"
        ) from error


def _folder_mode() -> int:
    """The mode ``mkdir`` gives a new folder here: 0o777 less the umask (which can only be read by setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o777 & ~mask


def _building_prefix(store_dir: Path) -> str:
    return f".{store_dir.name}.building-"


def _old_prefix(store_dir: Path) -> str:
    return f".{store_dir.name}.old-"


@contextmanager
def _held(folder: Path, *, mine: bool = False) -> Iterator[bool]:
    """Lock ``folder`` (``flock`` on the folder itself) while the block runs; True if the lock was had.

    The system lets go of the lock when the process ends, however it ends: a load's folder that no process holds
    is a leftover. Where there are no such locks (Windows, some network file systems) nothing is held, and
    :func:`_tidy`, which cannot have the lock either, leaves every folder alone.

    ``mine``: a folder this load has just made, whose lock it waits for: another load looking whether the folder
    is held (:func:`_refuse_another_load`) holds it for an instant, and the load would else run unlocked, its
    folder taken for a leftover by the next load.
    """
    if sys.platform == "win32":  # pragma: no cover - no flock: no leftovers are cleared there
        yield False
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if mine else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held by a load under way, or no locks on this file system
            held = False
        else:
            held = True
        yield held
    finally:
        os.close(fd)


def _leftovers(store_dir: Path) -> list[tuple[float, Path]]:
    """The folders loads into ``store_dir`` make beside it (a store being built, an old one being deleted), with
    the time each last changed, the latest first."""
    prefixes = (_building_prefix(store_dir), _old_prefix(store_dir))
    found = []
    try:
        for path in store_dir.parent.iterdir():
            if path.name.startswith(prefixes) and path.is_dir():
                found.append((path.stat().st_mtime, path))
    except OSError:  # no parent folder yet, or a folder gone meanwhile
        return []
    return sorted(found, key=lambda entry: (-entry[0], entry[1].name))


def _tidy(store_dir: Path, report: Progress) -> None:
    """Clear what loads into ``store_dir`` that did not finish (killed, or the machine stopped) left beside it:
    the store they were building, the old store they were deleting. When ``store_dir`` is missing, the latest
    store such a load moved aside (:func:`_swap`) is put back first: it is all there is. A folder a load under way
    holds (:func:`_held`), or one changed in the last :data:`LEFTOVER_AGE` seconds, is left alone; but for a store
    moved aside while ``store_dir`` is missing, which the load that moved it holds until the new store is in place:
    one no load holds was left by a load killed between its renames, however recently. (The next load, run at once
    as commands advise, left it and built a new store.) A folder no load holds, left alone for being new, is named:
    a load killed a moment ago left it, or one starting made it and has not locked it yet; it went unmentioned, as
    large as a store perhaps."""
    old_prefix = _old_prefix(store_dir)
    for changed, folder in _leftovers(store_dir):
        young = time.time() - changed < LEFTOVER_AGE
        if young and not (folder.name.startswith(old_prefix) and not store_dir.exists()):
            with _held(folder) as held:
                if held:  # no load under way holds it (one that does is refused, or replaces the store, as it says)
                    _leave_new(folder, report)
            continue
        with _held(folder) as held:
            if not held:
                continue
            moved = folder / MOVED_ASIDE
            if folder.name.startswith(old_prefix) and (moved / MANIFEST).is_file() and not store_dir.exists():
                moved.replace(store_dir)
                sync_parents([store_dir])
                report.step(f"put {display_path(store_dir)} back: a kgraph load that did not finish had moved it aside")
            elif young:  # a load may have made it a moment ago, and not have locked it yet
                _leave_new(folder, report)
                continue
            report.step(f"removing {display_path(folder)}, left by a kgraph load that did not finish")
            shutil.rmtree(folder, ignore_errors=True)


def _leave_new(folder: Path, report: Progress) -> None:
    """Say that :func:`_tidy` leaves ``folder``, a load's folder no load holds, changed in the last
    :data:`LEFTOVER_AGE` seconds."""
    report.step(
        f"leaving {display_path(folder)} alone: it changed less than {LEFTOVER_AGE:g} s ago, so another kgraph load "
        "may be starting in it; if none is, a load run later removes it"
    )


def _moved_aside(store_dir: Path) -> Path | None:
    """The latest store a load that did not finish moved aside from ``store_dir`` (:func:`_swap`), if any."""
    for _changed, folder in _leftovers(store_dir):
        if folder.name.startswith(_old_prefix(store_dir)) and (folder / MOVED_ASIDE / MANIFEST).is_file():
            return folder / MOVED_ASIDE
    return None


# -------------------------------------------------------------------------------------------------- open


def open_store(store_dir: str | os.PathLike[str]) -> LoadedGraph:
    """Open the store at ``store_dir`` (a ``Path`` or ``str``) read-only, without parsing anything, as a
    :class:`LoadedGraph`.

    Raises :class:`~kgraph.errors.StoreError` for a folder that is not a store, a store written by a newer
    kgraph (of a newer format), or a database Oxigraph cannot open (corrupt, or made by a newer Oxigraph). A store of
    a newer build is read as it is, with a warning (:func:`_newer_build`).
    """
    store_dir = path_argument(store_dir, "store_dir")
    try:
        folder = store_dir.stat() if store_dir.is_dir() else None
    except OSError:  # a name too long, a folder one may not enter: reading the manifest says so
        folder = None
    manifest = _read_manifest(store_dir)
    _check_utf8(
        store_dir, "rename the store's folder so that its path is", "rename the store's folder so that its path is"
    )
    database = store_dir / DATABASE
    try:
        native = ox.Store.read_only(str(database))
    except (OSError, RuntimeError) as error:  # RuntimeError: RocksDB reports corruption
        limit = _file_limit(store_dir, error, "open")
        if limit is not None:
            raise limit from error
        if _first_line(error).endswith(": Permission denied"):  # RocksDB's IO error names no errno
            raise StoreError(
                _unreadable_store(store_dir, f"the Oxigraph database in {display_path(store_dir)}")
            ) from error
        if _replaced_since(store_dir, folder):  # RocksDB read one store's files and then the other's
            where = display_path(store_dir)
            raise StoreReplaced.in_both(
                f"the store {where} was replaced (kgraph load) as it was opened; open it again",
                f"the store {where} was replaced (kgraph load) while this command read it; run the command again",
            ) from error
        raise StoreError.advising(
            f"cannot open the Oxigraph database in {display_path(store_dir)} ({_first_line(error)}); it is damaged "
            "or was made by another Oxigraph version",
            **build_advice(store_dir, "rebuild it"),
            then=": ",
        ) from error
    counts = manifest["counts"]
    rdf_store = ReadOnlyOxigraphStore(native, counts["graphs"], counts["union"], store_dir=store_dir)
    index_file = store_dir / name_index.FILE
    if _indexes_names(manifest) and index_file.is_file():
        rdf_store.name_index = name_index.NameIndex(index_file)
    dataset = Dataset(store=rdf_store, default_union=True)
    graph = Graph(store=rdf_store, identifier=DATASET_DEFAULT_GRAPH_ID)
    prefixes = tuple(DeclaredPrefix(prefix, ns, Path(path)) for prefix, ns, path in manifest.get("prefixes", ()))
    for target in (dataset, graph):
        bind_prefixes(target)
        bind_declared(target, prefixes)
    files = [(entry["role"], Path(entry["path"])) for entry in manifest["files"]]
    return LoadedGraph(
        dataset=dataset,
        graph=graph,
        ontology_dir=store_dir / ONTOLOGY_COPY,
        data_dir=Path(manifest["data_dir"]),
        ontology_files=tuple(p for role, p in files if role == "ontology"),
        data_files=tuple(p for role, p in files if role != "ontology"),
        rules=tuple(manifest["rules"]),
        fingerprint=manifest["fingerprint"],
        warnings=(*_newer_build(store_dir, manifest), *_manifest_warnings(manifest), *_stale(store_dir, manifest)),
        store_dir=store_dir,
        store_id=None if folder is None else (folder.st_dev, folder.st_ino),
        store_built_by=built_by if isinstance(built_by := manifest.get("kgraph"), str) else None,
        store_outdated=not _current_build(manifest),
        store_files=_loaded_files(manifest),
        store_shapes=_shapes_recorded(manifest),
        prefixes=prefixes,
    )


def _shapes_recorded(manifest: Mapping[str, Any]) -> str | None:
    """The SHA-256 of the shapes file the load copied into the store ("" if the ontology had none), None if the
    manifest does not say (a store of an earlier kgraph)."""
    if "shapes" not in manifest:
        return None
    recorded = manifest["shapes"]
    return recorded if isinstance(recorded, str) else ""


def _replaced_since(store_dir: Path, before: os.stat_result | None) -> bool:
    """Whether a kgraph load has replaced the store at ``store_dir`` since its folder's ``before`` (a stat): another
    folder is there now, or none while a load's folder beside it shows the swap under way (:func:`_swap`). A store
    that failed to open because a load swapped it meanwhile ("Corruption: Sst file size mismatch") is not damaged."""
    if before is None:
        return False
    try:
        now = store_dir.stat()
    except OSError:
        return bool(_leftovers(store_dir))
    return (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino)


def _cannot_write(store_dir: Path, cause: BaseException) -> StoreError:
    """The error of a load that could not write the store: too few files it may open, or else the disk."""
    limit = _file_limit(store_dir, cause, "write")
    if limit is not None:
        return limit
    # Oxigraph's IO errors name the temporary file ("...: While appending to file: PATH: ..."), gone soon.
    reason = getattr(cause, "strerror", None) or _first_line(cause).split(": While ", 1)[0]
    return StoreError(
        f"cannot write the store {display_path(store_dir)}: {reason}; make room on its disk, or load into another "
        "folder"
    )


#: What Oxigraph says when the process may open fewer files than it needs (``ulimit -n``) to open a database.
_FILE_LIMIT = re.compile(r"Oxigraph needs at least (\d+) file descriptors .*? only (\d+) allowed")


def _file_limit(store_dir: Path, error: BaseException, doing: str) -> TooFewFiles | None:
    """The error for Oxigraph's refusal to ``doing`` (open, load) the store's database because the process may open
    too few files: the store is sound, the limit is what to raise. None for any other error."""
    found = _FILE_LIMIT.search(str(error))
    if found is None:
        return None
    need, allowed = found.groups()
    problem = (
        f"cannot {doing} the store {display_path(store_dir)}: Oxigraph needs at least {need} open files, and this "
        f"process may open only {allowed}"
    )
    limit = TooFewFiles.advising(
        problem,
        python="raise the limit with ulimit -n 512 in the shell that starts Python, or with resource.setrlimit",
        cli="raise the limit with ulimit -n 512, and run the command again",
    )
    limit.problem = problem
    return limit


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0]


def _unreadable_store(store_dir: Path, what: str, reason: str | None = None) -> str:
    """The message for a store that this user may not read (``what`` of it): it is not damaged, so no rebuild."""
    return (
        f"cannot read {what}: {reason or 'Permission denied'}; check that the store {display_path(store_dir)} "
        "and the files in it are readable"
    )


def _manifest_text(manifest: Mapping[str, Any]) -> str:
    """The manifest as JSON, its Chinese and other letters as written; a path's byte that is not UTF-8 (a file
    named in Latin-1, which Python holds as a lone surrogate) as a JSON escape, which reads back as it was: written
    as it is, it made the file no UTF-8 text, and the load stopped with a Python error."""
    text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    return _LONE_SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


#: What :func:`os.fsdecode` makes of a byte of a name that is not UTF-8.
_LONE_SURROGATE = re.compile("[\udc80-\udcff]")


def _read_manifest(store_dir: Path) -> dict[str, Any]:
    where = display_path(store_dir)
    path = store_dir / MANIFEST
    try:
        folder = store_dir.is_dir()
    except OSError as error:  # a name too long, a folder this user may not enter: it raised, a traceback
        raise InputError.advising(
            f"cannot look the store {where} up: {error.strerror or error}",
            python="pass the store's folder as store_dir",
            cli="pass --store DIR with the store's folder (or mend [store] path in kgraph.toml)",
        ) from error
    if not folder:
        aside = _moved_aside(store_dir)
        if aside is not None:
            raise StoreError.advising(
                f"there is no store at {where}: a kgraph load that did not finish moved it to {display_path(aside)}",
                python=f"kgraph.persist.build({str(store_dir)!r}) puts it back",
                cli=f"kgraph load --store {where} puts it back",
            )
        if store_dir.exists():  # "there is no store at f; build one with build('f')", which refuses the file
            raise StoreError.advising(
                f"{where} is a file, not a store",
                python="pass the store's folder, as kgraph.persist.build(DIR) made it",
                cli="pass --store DIR with the store's folder, as kgraph load --store DIR made it",
            )
        raise StoreError.advising(f"there is no store at {where}", **build_advice(store_dir, "build one"))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise StoreError.advising(
            f"{where} is not a kgraph store (it has no {MANIFEST})", **_advice_for_no_store(store_dir)
        ) from error
    except PermissionError as error:  # it said "is damaged ([Errno 13] ...); rebuild ...": nothing to rebuild
        raise StoreError(_unreadable_store(store_dir, f"{where}/{MANIFEST}", error.strerror)) from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StoreError.advising(f"{where}/{MANIFEST} is damaged ({error})", **build_advice(store_dir)) from error
    version = manifest.get("format") if isinstance(manifest, dict) else None
    if not isinstance(version, int):
        raise StoreError.advising(f"{where}/{MANIFEST} is damaged (no format number)", **build_advice(store_dir))
    if version > FORMAT:
        raise StoreError.advising(
            f"the store {where} was written by a newer kgraph ({manifest.get('kgraph', '?')}, store format {version}; "
            f"this kgraph {__version__} reads format {FORMAT})",
            **build_advice(store_dir, "upgrade kgraph, or rebuild the store"),
            then=": ",
        )
    missing = [key for key in ("fingerprint", "files", "rules", "counts", "data_dir") if key not in manifest]
    if missing:
        raise StoreError.advising(
            f"{where}/{MANIFEST} is damaged (no {', '.join(missing)})", **build_advice(store_dir, "rebuild it")
        )
    # A manifest edited by hand, or written by another tool, failed later with a traceback (TypeError, KeyError)
    misshapen = next(
        (key for key, (needed, shape) in _MANIFEST_SHAPES.items() if not _shaped(manifest, key, needed, shape)), None
    )
    if misshapen is not None:
        raise StoreError.advising(
            f"{where}/{MANIFEST} is damaged ({misshapen}: not as kgraph writes it)",
            **build_advice(store_dir, "rebuild it"),
        )
    return dict(manifest)


def _is_record(entry: object) -> bool:
    """Whether ``entry`` is a file's record in a manifest, as :func:`_file_entry` writes it."""
    return isinstance(entry, dict) and all(
        isinstance(entry.get(key), kind)
        for key, kind in (("role", str), ("path", str), ("size", int), ("mtime_ns", int))
    )


def _list_of(check: Callable[[object], bool]) -> Callable[[object], bool]:
    """A check of a list whose every item passes ``check``."""
    return lambda value: isinstance(value, list) and all(check(item) for item in value)


def _row_of(*kinds: type | tuple[type, ...]) -> Callable[[object], bool]:
    """A check of a list of one item of each of ``kinds`` (a tuple: of any of them), in order (JSON has no tuple)."""
    return lambda value: isinstance(value, list) and len(value) == len(kinds) and all(map(isinstance, value, kinds))


_INT_OR_NULL = (int, type(None))
_STR_OR_NULL = (str, type(None))

#: The entries of a manifest that commands read, whether each must be there (the others were added by later builds),
#: and what each is.
_MANIFEST_SHAPES: dict[str, tuple[bool, Callable[[object], bool]]] = {
    "fingerprint": (True, lambda value: isinstance(value, str)),
    "data_dir": (True, lambda value: isinstance(value, str)),
    "ontology_dir": (True, lambda value: isinstance(value, str)),
    "files": (True, _list_of(_is_record)),
    "checked": (False, _list_of(_is_record)),
    "rules": (True, _list_of(lambda value: isinstance(value, str))),
    "counts": (
        True,
        lambda value: (
            isinstance(value, dict)
            and isinstance(value.get("union"), int)
            and isinstance(value.get("graphs"), dict)
            and all(isinstance(count, int) for count in value["graphs"].values())
        ),
    ),
    "empty": (False, _list_of(lambda value: isinstance(value, str))),
    "ontologies": (False, _list_of(_row_of(str, str))),
    # [file, graph, triples, line, meant]; a store of build 4 or earlier: [file, graph, triples]
    "undeclared": (
        False,
        _list_of(lambda row: _row_of(str, str, int)(row) or _row_of(str, str, int, _INT_OR_NULL, _STR_OR_NULL)(row)),
    ),
}


def _shaped(manifest: Mapping[str, Any], key: str, needed: bool, shape: Callable[[object], bool]) -> bool:
    """Whether ``manifest`` holds ``key`` as :data:`_MANIFEST_SHAPES` says (``needed``: it must be there)."""
    return shape(manifest[key]) if key in manifest else not needed


def build_advice(store_dir: Path, do: str = "rebuild", *, force: bool = False) -> dict[str, str]:
    """What to do about the store ``store_dir``: ``do`` (``build one``, ``rebuild it``) with
    :func:`build` in Python, with ``kgraph load`` on the command line (``force``: even if its files are unchanged),
    as keywords of :meth:`~kgraph.errors.KGraphError.advising`."""
    where = display_path(store_dir)
    return {
        "python": f"{do} with kgraph.persist.build({str(store_dir)!r}{', force=True' if force else ''})",
        "cli": f"{do} with kgraph load --store {where}{' --force' if force else ''}",
    }


def _advice_for_no_store(store_dir: Path) -> dict[str, str]:
    """What to do about ``store_dir``, a folder that holds no store: build one in it if a load may (an empty folder
    below the current one); else in a new or empty folder, since a load refuses to replace one with files in it (a
    typo must not delete them) and the current folder or one that holds it (:func:`_check_target`): ``build one
    with kgraph load --store DIR``, which it refused, was advice that did not work."""
    try:
        refused = _holds_current_folder(store_dir) or any(store_dir.iterdir())
    except OSError:  # it cannot be listed: a load could not tell it empty either
        refused = True
    if not refused:
        return build_advice(store_dir, "build one")
    return {
        "python": "build one in a new or empty folder with kgraph.persist.build('NEW-FOLDER')",
        "cli": "build one in a new or empty folder with kgraph load --store NEW-FOLDER",
    }


def _manifest_warnings(manifest: Mapping[str, Any]) -> Iterator[str]:
    """The warnings for what is amiss in the data, in the order and words of the in-memory load: each file of the
    ontology and data folders in a format kgraph does not read and each sub-folder of the data folder that holds
    data files (neither read; looked at afresh, as :func:`_stale` looks for new files), each data file that holds
    no triple, then each named graph of the data that it does not declare a source section or document. (A store
    built before kgraph kept the empty files has none.)"""
    yield from unread_rdf_warnings(Path(manifest["ontology_dir"]), Path(manifest["data_dir"]))
    yield from nested_data_warnings(Path(manifest["data_dir"]))
    for path in manifest.get("empty", ()):
        yield empty_file_warning(Path(path))
    for path, declared in manifest.get("ontologies", ()):
        yield ontology_in_data_warning(Path(path), declared)
    for path, name, count, *found in manifest.get("undeclared", ()):  # line, meant: none in a row of build 4
        yield undeclared_warning(Path(path), name, count, *found)


def _stale(store_dir: Path, manifest: Mapping[str, Any]) -> Iterator[Notice]:
    """Warnings for what no longer matches the files the store was loaded from: a file changed or gone from the
    folders it was loaded from, a new file in them. An extra file (``kgraph load FILES``) that went is no warning:
    the store holds what it was loaded from, and the next load is told its files anew."""
    entries = [*manifest["files"], *manifest.get("checked", [])]
    where = display_path(store_dir)
    changed, gone = [], []
    for entry in entries:
        path = Path(entry["path"])
        try:
            stat = path.stat()
        except OSError:
            if entry["role"] != "extra":
                gone.append(path)
            continue
        if (stat.st_size, stat.st_mtime_ns) != (entry["size"], entry["mtime_ns"]):
            changed.append(path)
    loaded = {_same_file(entry["path"]) for entry in entries}
    new = [path for path in _folder_files(manifest) if _same_file(str(path)) not in loaded]
    if not (changed or gone or new):
        return
    reload = _reload_command(store_dir, manifest)
    for path, what, then in (
        *((path, f"changed since it was loaded into {where}", "") for path in changed),
        *((path, f"was loaded into {where} and is gone", " to leave it out") for path in gone),
        *((path, f"is new since {where} was loaded, and not in it", " to add it") for path in new),
    ):
        yield Notice(
            f"{display_path(path)} {what}; call {reload} again{then}",
            f"{display_path(path)} {what}; run {reload.cli_message} again{then}",
        )


def _folder_files(manifest: Mapping[str, Any]) -> list[Path]:
    """The files a load of the folders the store was loaded from would read now (:func:`kgraph.store.find_inputs`);
    none if it could not (a folder gone or emptied: the files it held are then warned of as gone)."""
    try:
        _ontology, _data, ontology_files, data_files = find_inputs(
            Path(manifest["data_dir"]), Path(manifest["ontology_dir"])
        )
    except InputError:
        return []
    found = [*ontology_files, *data_files]
    if "checked" in manifest:  # the shapes and rules, which a store of an earlier kgraph did not record
        ontology = Path(manifest["ontology_dir"])
        found += [path for path in [ontology / SHAPES_FILE_NAME] if path.is_file()]
        rules = ontology / RULES_DIR_NAME
        found += sorted(rules.glob("*.rq")) if rules.is_dir() else []
    return found


def _reload_command(store_dir: Path, manifest: Mapping[str, Any]) -> Notice:
    """What loads into ``store_dir`` what it was loaded from: the same folders (``data_dir`` and ``ontology_dir``,
    ``--data`` and ``--ontology``, unless they are the bundled ones) and the extra files that are still there; as
    a call of :func:`build` in ``str()``, as a ``kgraph load`` command in ``cli_message``."""
    words, keywords = ["kgraph"], [repr(typed_path(store_dir))]
    for option, key, default in (
        ("--data", "data_dir", default_data_dir),
        ("--ontology", "ontology_dir", default_ontology_dir),
    ):
        folder = Path(manifest[key])
        try:
            bundled = _same_file(str(folder)) == default().resolve()
        except InputError:  # no bundled folders (a broken install): name the folder
            bundled = False
        if not bundled:
            words += [option, typed_path(folder)]
            keywords.append(f"{key}={typed_path(folder)!r}")
    words += ["load", "--store", typed_path(store_dir)]
    extras = [
        typed_path(Path(e["path"])) for e in manifest["files"] if e["role"] == "extra" and Path(e["path"]).is_file()
    ]
    words += extras
    if extras:
        keywords.append(f"extra_files={extras!r}")
    return Notice(f"kgraph.persist.build({', '.join(keywords)})", shell_words(words))


__all__ = [
    "Built",
    "Progress",
    "QueryDataset",
    "ReadOnlyOxigraphStore",
    "build",
    "evaluate",
    "native_of",
    "open_store",
    "sparql",
    "write_nquads",
    "write_ntriples",
]
