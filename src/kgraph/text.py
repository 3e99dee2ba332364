"""Plain text for a terminal: tables that line up, Chinese included (East Asian wide characters take 2 columns),
and the data's own text kept from driving the terminal (:func:`printable`, :func:`terminal_safe`)."""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

#: Control characters (C0, DEL, C1) as what shows instead: their Unicode pictures (ESC as ␛, BEL as ␇), and for
#: the C1 ones the replacement character. A label with ESC ] 0; ... BEL in it would retitle the terminal's window,
#: or with ESC [ 2J clear it, when printed as it is.
_PICTURES = {**{code: chr(0x2400 + code) for code in range(0x20)}, 0x7F: "\u2421"} | {
    code: "\ufffd" for code in range(0x80, 0xA0)
}
#: Unicode's line and paragraph separators, which some terminals break a line at and others do not show: a space.
_SEPARATORS = {0x2028: " ", 0x2029: " "}
#: The same, but whitespace (tab, line feed, ...) becomes a space: a value on one line, or one cell of a table.
_ON_ONE_LINE = _PICTURES | _SEPARATORS | {ord(space): " " for space in "\t\n\v\f\r"}
#: The same, but a line feed (and a tab) stays: a whole output, laid out in lines.
_IN_LINES = _PICTURES | _SEPARATORS | {ord("\n"): "\n", ord("\t"): "\t"}


_LINE_BREAK = re.compile(r"\r\n|\r|\n")

#: The characters XML 1.0 does not allow (its production ``Char``): the C0 controls but tab, line feed and carriage
#: return; U+FFFE and U+FFFF; and surrogate code points. A literal may hold any of them, and ElementTree writes
#: them out as they are (or as a character reference that is just as invalid), which no XML parser reads.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with each character XML 1.0 does not allow replaced by U+FFFD, as a decoder marks what it cannot
    read (the same text when there is none)."""
    return _NOT_XML.sub("\ufffd", text)


def xml_carriage_returns(xml: str) -> str:
    """A serialized XML document with each carriage return of its text as a character reference: a parser turns
    a CR written as it is into a line feed, and ElementTree escapes it only in attributes. The markup holds none
    of its own, so each one left is the data's."""
    return xml.replace("\r", "&#13;")


def file_lines(text: str) -> list[str]:
    """The lines of ``text`` as a file has them, split at LF, CR LF and CR only. ``str.splitlines`` also splits
    at U+2028, U+2029, U+0085, vertical tab, form feed and \\x1c-\\x1e, which a literal may hold as they are in
    N-Triples (only the quote, the backslash, LF and CR are escaped): a line split there is two broken lines."""
    return _LINE_BREAK.split(text)


def line_at(text: str, index: int) -> int:
    """The line (1 for the first) of ``text`` that ``index`` is on, its lines ended by LF, CR LF or CR alone, as
    :func:`file_lines` and Oxigraph count them, and as an error about a file names it."""
    return text.count("\n", 0, index) + text.count("\r", 0, index) - text.count("\r\n", 0, index) + 1


def _controlled(text: str) -> bool:
    return not text.isprintable() and any(
        ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or ord(char) in _SEPARATORS for char in text
    )


def printable(text: str) -> str:
    """``text`` on one line, as a terminal can show it: whitespace as spaces, other control characters as their
    pictures (:data:`_PICTURES`)."""
    return text.translate(_ON_ONE_LINE) if _controlled(text) else text


def terminal_safe(text: str) -> str:
    """A whole output, its lines kept, every other control character of the data shown as its picture: what a
    command prints for people goes through it, so no text of the graph can move the cursor or retitle the
    window."""
    laid_out = text.replace("\n", "").replace("\t", "")
    return text.translate(_IN_LINES) if _controlled(laid_out) else text


#: How :func:`shell_quoted` writes a character of a name that does not print: as bash reads it back in ``$'...'``.
_SHELL_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _shell_escape(char: str) -> str:
    code = ord(char)
    if char in _SHELL_ESCAPES:
        return _SHELL_ESCAPES[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte of the name that is not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x80:  # ASCII: one byte; above it, bash would write \\xNN as a byte, not as the character
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _shows(char: str) -> bool:
    """Whether a name's character may be shown as it is: it prints (Python's ``isprintable``), or is a space of
    another width (U+3000, the no-break space). Control and format characters (ESC, a line break, a right-to-left
    override), line and paragraph separators, unassigned code points and the bytes of a name that is not UTF-8
    (os.fsdecode's surrogates) do not."""
    return char.isprintable() or unicodedata.category(char) == "Zs"


def shell_quoted(text: str) -> str:
    """``text`` in bash's ``$'...'`` quoting: one line, each character that does not show (:func:`_shows`: a line
    break, ESC, a byte that is not UTF-8...) escaped, and a backslash or quote too, so that the shell reads back
    ``text``."""
    inner = "".join(
        "\\\\" if char == "\\" else "\\'" if char == "'" else char if _shows(char) else _shell_escape(char)
        for char in text
    )
    return f"$'{inner}'"


#: The suffixes of compressed files, which kgraph never writes: an output so named would be plain text whose name
#: lies (``kgraph dump --out g.nt.gz``, ``kgraph query -o r.csv.gz``).
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst", ".zip")


def file_name(text: str) -> str:
    """A file or folder name for a message: as it is when every character of it shows (:func:`_shows`), else on
    one line in ``$'...'`` (:func:`shell_quoted`), so that a name cannot break a message's line or drive the
    terminal; in quotes (``' '``, ``'a.ttl '``) when it is empty or begins or ends with a space, which the message
    would show as nothing."""
    if not all(map(_shows, text)):
        return shell_quoted(text)
    return shlex.quote(text) if text == "" or text != text.strip() else text


def shell_words(words: Sequence[str]) -> str:
    """A command line of ``words`` that a shell reads back as them, on one line: ``shlex.quote``, or
    :func:`shell_quoted` for a word with a character that does not print."""
    return " ".join(shlex.quote(word) if all(map(_shows, word)) else shell_quoted(word) for word in words)


def counted(count: int, singular: str, plural: str | None = None, *, grouped: bool = False) -> str:
    """``1 entity``, ``2 entities``: a count and its noun, in the number it takes; ``grouped``, the count with
    thousands separators (``1,234 relations``)."""
    number = f"{count:,}" if grouped else str(count)
    return f"{number} {singular if count == 1 else plural or singular + 's'}"


def triple_counts(triples: int, inferred: int) -> str:
    """``4,236 triples (1,447 inferred)``: what ``kgraph load``, ``build`` and ``export neo4j`` say they loaded."""
    return f"{triples:,} triples ({inferred:,} inferred)"


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: 2 for wide and full-width characters, 0 for combining marks."""
    if text.isascii():  # one column a character: most cells, and a table can have hundreds of thousands
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` terminal columns."""
    return text + " " * max(0, width - display_width(text))


@dataclass(frozen=True)
class Layout:
    """How a table is printed to a terminal ``width`` columns wide: as it is when it fits, else (and always, with
    ``always``) as records, one block of ``name: value`` lines a row (:func:`record`), as psql's ``\\x auto``
    prints a wide answer. A table without rows stays a table: its header is all there is to show."""

    width: int
    always: bool = False

    def records(self, widths: Sequence[int], rows: int) -> bool:
        """Whether a table of ``rows`` rows whose columns are ``widths`` wide is printed as records."""
        return rows > 0 and (self.always or table_width(widths) > self.width)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], layout: Layout | None = None) -> str:
    """A table with a header, a rule under it and columns two spaces apart; no trailing spaces. A cell's line
    breaks and control characters are shown on its line (:func:`printable`). With a ``layout``, a table too wide
    for it is a record a row instead (:meth:`Layout.records`)."""
    rows = [[printable(cell) for cell in row] for row in rows]
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    if layout is not None and layout.records(widths, len(rows)):
        lines = [line for number, row in enumerate(rows, 1) for line in record(number, headers, row, widths, layout)]
    else:
        lines = table_head(headers, widths)
        lines.extend(table_line(row, widths) for row in rows)
    return "\n".join(lines) + "\n"


def table_width(widths: Sequence[int]) -> int:
    """The columns a line of :func:`table` takes at most, its columns being ``widths`` wide."""
    return sum(widths) + 2 * (len(widths) - 1) if widths else 0


def table_head(headers: Sequence[str], widths: Sequence[int]) -> list[str]:
    """The first two lines of :func:`table` (without line ends): the header and the rule under it."""
    return [table_line(headers, widths), table_line(["-" * w for w in widths], widths)]


def table_line(cells: Sequence[str], widths: Sequence[int]) -> str:
    """One line of :func:`table` (without its line end): ``cells``, already :func:`printable`, padded to
    ``widths`` and two spaces apart, with no trailing white space."""
    return "  ".join(pad(cell, width) for cell, width in zip(cells, widths, strict=True)).rstrip()


#: The fewest columns a record's values are wrapped to, however long the names before them.
_LEAST_VALUE_WIDTH = 20


def record(
    number: int, headers: Sequence[str], cells: Sequence[str], widths: Sequence[int], layout: Layout
) -> list[str]:
    """One row of :func:`table` as a record (without line ends): a rule ``-[ 3 ]----``, then a line per column
    that has a value, ``name: value``, the values lined up after the longest name and wrapped to the layout's
    width (:func:`wrapped`), an empty value left out. ``cells`` are already :func:`printable`; ``widths``, the
    table's columns, set the length of the rule: as long as the longest line can be, at most the layout's width."""
    names = max(display_width(header) for header in headers) + 1  # with its colon
    room = max(_LEAST_VALUE_WIDTH, layout.width - names - 1)
    head = f"-[ {number} ]"
    lines = [head + "-" * max(0, min(layout.width, names + 1 + max(widths, default=0)) - len(head))]
    for header, cell in zip(headers, cells, strict=True):
        if cell.strip():
            parts = wrapped(cell, room)
            lines.append(f"{pad(header + ':', names)} {parts[0]}")
            lines.extend(f"{' ' * names} {part}" for part in parts[1:])
    return lines


def wrapped(text: str, width: int) -> list[str]:
    """``text`` (on one line) as lines at most ``width`` terminal columns wide (Chinese counts two a character),
    broken at spaces, and inside a word only when the word alone is wider."""
    lines: list[str] = []
    line, line_width = "", 0
    for word in text.split(" "):
        size = display_width(word)
        if line and line_width + 1 + size <= width:
            line, line_width = f"{line} {word}", line_width + 1 + size
            continue
        if line or lines:
            lines.append(line)
        line, line_width = "", 0
        for char in word:  # a word wider than a line: cut where it reaches the edge
            char_width = display_width(char)
            if line and line_width + char_width > width:
                lines.append(line)
                line, line_width = "", 0
            line, line_width = line + char, line_width + char_width
    lines.append(line)
    return [part.rstrip() for part in lines]
