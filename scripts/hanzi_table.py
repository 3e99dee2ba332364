"""Write ``src/kgraph/simplified.txt``, the table that folds traditional Chinese characters to simplified ones.

``python scripts/hanzi_table.py Unihan_Variants.txt[.bz2]`` reads the Unihan database's ``kSimplifiedVariant``
field (Unicode's ``Unihan.zip``, or Debian's ``unicode-data`` package, which ships ``Unihan_Variants.txt.bz2``) and
writes one line per character whose simplified form is another character: the character, a tab, the simplified
one. :func:`kgraph.names.normalise` folds names with it, so that 亞馬遜 finds 亚马逊. A character whose variants
lead on to another simplified one (A -> B -> C) maps to the last; one listed as its own simplified form among
others (乾: 乾 干) maps to the first other, so that both spellings fold to one.
"""

from __future__ import annotations

import bz2
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "kgraph" / "simplified.txt"
FIELD = re.compile(r"^U\+([0-9A-F]+)\tkSimplifiedVariant\t(.+)$")
HEADER = """\
# Traditional Chinese character -> simplified character, one pair per line, tab-separated.
# Modified data: derived by kgraph's scripts/hanzi_table.py from the kSimplifiedVariant field of the Unihan
# database's Unihan_Variants.txt (Unicode {version}), which is under the following notice.
#
# Copyright (c) 1991-2022 Unicode, Inc. All rights reserved.
# Distributed under the Terms of Use in https://www.unicode.org/copyright.html.
#
# Permission is hereby granted, free of charge, to any person obtaining a copy of the Unicode data files and any
# associated documentation (the "Data Files") or Unicode software and any associated documentation (the
# "Software") to deal in the Data Files or Software without restriction, including without limitation the rights
# to use, copy, modify, merge, publish, distribute, and/or sell copies of the Data Files or Software, and to
# permit persons to whom the Data Files or Software are furnished to do so, provided that (a) the above copyright
# notice(s) and this permission notice appear with all copies of the Data Files or Software, (b) both the above
# copyright notice(s) and this permission notice appear in associated documentation, and (c) there is clear
# notice in each modified Data File or in the Software as well as in the documentation associated with the Data
# File(s) or Software that the data or software has been modified.
#
# THE DATA FILES AND SOFTWARE ARE PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
# BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT OF
# THIRD PARTY RIGHTS. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR HOLDERS INCLUDED IN THIS NOTICE BE LIABLE FOR ANY
# CLAIM, OR ANY SPECIAL INDIRECT OR CONSEQUENTIAL DAMAGES, OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE,
# DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN
# CONNECTION WITH THE USE OR PERFORMANCE OF THE DATA FILES OR SOFTWARE.
#
# Except as contained in this notice, the name of a copyright holder shall not be used in advertising or
# otherwise to promote the sale, use or other dealings in these Data Files or Software without prior written
# authorization of the copyright holder.
"""


def read(path: Path) -> tuple[str, dict[str, str]]:
    """The Unicode version the file names, and each character's simplified form (itself left out)."""
    opener = bz2.open if path.suffix == ".bz2" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        text = lines.read()
    version = re.search(r"^# Unicode version: (\S+)", text, re.MULTILINE)
    table: dict[str, str] = {}
    for line in text.splitlines():
        match = FIELD.match(line)
        if match:
            char = chr(int(match.group(1), 16))
            forms = [chr(int(code.removeprefix("U+"), 16)) for code in match.group(2).split()]
            others = [form for form in forms if form != char]
            if others:
                table[char] = others[0]
    return (version.group(1) if version else "?"), table


def settle(table: dict[str, str]) -> dict[str, str]:
    """Follow each chain of simplifications to its end (a loop, if any, stops where it closes)."""
    settled = {}
    for char, first in table.items():
        form, seen = first, {char}
        while form in table and form not in seen:
            seen.add(form)
            form = table[form]
        if form != char:
            settled[char] = form
    return settled


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/hanzi_table.py Unihan_Variants.txt[.bz2]")
    version, table = read(Path(sys.argv[1]))
    pairs = sorted(settle(table).items())
    body = "".join(f"{char}\t{form}\n" for char, form in pairs)
    OUT.write_text(HEADER.format(version=version) + body, encoding="utf-8")
    print(f"wrote {OUT.name}: {len(pairs)} characters")  # noqa: T201


if __name__ == "__main__":
    main()
