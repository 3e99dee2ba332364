"""kgraph.text: tables whose columns line up in a terminal when cells hold Chinese."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from kgraph.text import display_width, file_name, pad, shell_words, table


@pytest.mark.parametrize(
    ("text", "width"),
    [("abc", 3), ("芯片", 4), ("AI模型", 6), ("\uff21", 2), ("e\u0301", 1), ("", 0), ("亚马逊云科技", 12)],
)
def test_display_width(text, width):
    assert display_width(text) == width


def test_pad_counts_wide_characters():
    assert pad("芯片", 6) == "芯片  "
    assert pad("toolong", 3) == "toolong"


def test_table_columns_start_at_the_same_terminal_column():
    text = table(["name", "中文", "n"], [["trainium3", "芯片", "1"], ["aws", "亚马逊云科技", "22"]])
    lines = text.splitlines()
    assert lines[1] == "---------  ------------  --"

    def starts(line: str) -> list[int]:
        columns, width, previous = [], 0, " "
        for char in line:
            if char != " " and previous == " ":
                columns.append(width)
            width += display_width(char)
            previous = char
        return columns

    assert {tuple(starts(line)) for line in lines} == {(0, 11, 25)}
    assert not any(line.endswith(" ") for line in lines)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("data/plain name.ttl", "data/plain name.ttl"),
        ("数据/芯片.ttl", "数据/芯片.ttl"),
        ("全角\u3000空格.ttl", "全角\u3000空格.ttl"),
        ("right-to-left\u202eltt.exe", "$'right-to-left\\u202eltt.exe'"),
        ("a\nb.ttl", "$'a\\nb.ttl'"),
        ("it's\x1b[2J\\.ttl", "$'it\\'s\\x1b[2J\\\\.ttl'"),
        ("c1\x9b\u2028.ttl", "$'c1\\u009b\\u2028.ttl'"),
        (os.fsdecode(b"latin1-\xe9.ttl"), "$'latin1-\\xe9.ttl'"),
        # a name that is, begins or ends with a space was shown as nothing (`Error:   is not a file`): in quotes
        (" ", "' '"),
        ("a.ttl ", "'a.ttl '"),
        ("\u3000数据", "'\u3000数据'"),
        ("", "''"),
    ],
)
def test_a_file_name_that_does_not_print_is_shown_on_one_line(name, shown):
    assert file_name(name) == shown


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    "name", ["a\nb", "tab\there", "it's", "back\\slash", "esc\x1b]0;x\x07", "\x9b\u2028\U0001f600", "é\udce9"]
)
def test_bash_reads_a_quoted_name_back(name):
    """What a message shows in $'...' is the name: pasted into bash, it gives back the same bytes."""
    quoted = shell_words(["printf", "%s", name])
    given = subprocess.run(
        ["bash", "-c", quoted], capture_output=True, check=True, env={**os.environ, "LC_ALL": "C.UTF-8"}
    ).stdout
    assert given == os.fsencode(name)
