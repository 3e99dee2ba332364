"""kgraph.text: tables whose columns line up in a terminal when cells hold Chinese."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from kgraph.text import Layout, display_width, file_name, pad, shell_words, table, wrapped


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


def _value_starts(lines: list[str]) -> set[int]:
    """The terminal column each value of a record's lines starts at (after ``name:`` and spaces, or the spaces of
    a wrapped value's next line)."""
    starts = set()
    for line in lines:
        head = line.split(": ", 1)[0] + ": " if ": " in line and not line.startswith(" ") else ""
        rest = line[len(head) :]
        starts.add(display_width(head) + display_width(rest) - display_width(rest.lstrip(" ")))
    return starts


def test_a_table_wider_than_the_terminal_is_a_record_a_row_its_empty_values_left_out():
    headers = ["announcement", "metric", "value", "figure"]
    rows = [
        ["AgentCore Evaluations", "pre-built evaluators", "13", "AgentCore Evaluations built-in evaluators"],
        ["AgentCore Policy", "", "", ""],
    ]
    assert table(headers, rows, Layout(40)) == (
        "-[ 1 ]----------------------------------\n"
        "announcement: AgentCore Evaluations\n"
        "metric:       pre-built evaluators\n"
        "value:        13\n"
        "figure:       AgentCore Evaluations\n"
        "              built-in evaluators\n"
        "-[ 2 ]----------------------------------\n"
        "announcement: AgentCore Policy\n"
    )


def test_a_table_that_fits_the_terminal_is_the_table():
    headers, rows = ["name", "class"], [["Trainium3", "Chip"], ["AWS", "Company"]]
    assert (
        table(headers, rows, Layout(18))
        == table(headers, rows)
        == ("name       class\n---------  -------\nTrainium3  Chip\nAWS        Company\n")
    )
    assert table(headers, rows, Layout(17)).startswith("-[ 1 ]----------\nname:  Trainium3\nclass: Chip\n")


def test_records_always_are_records_but_a_table_without_rows_is_its_header():
    assert table(["name", "n"], [["AWS", "1"]], Layout(80, always=True)) == "-[ 1 ]----\nname: AWS\nn:    1\n"
    assert table(["name", "n"], [], Layout(80, always=True)) == "name  n\n----  -\n"
    assert table(["a" * 50, "b" * 50], [], Layout(80)) == table(["a" * 50, "b" * 50], [])


def test_a_record_s_chinese_names_and_values_line_up_and_fit_the_terminal():
    headers = ["名称", "类", "中文标签"]
    rows = [["kg:AWS", "公司", "亚马逊云科技" * 6], ["kg:Trainium3", "芯片", "训练芯片 第三代 " * 4]]
    lines = table(headers, rows, Layout(40)).splitlines()
    assert lines[1] == "名称:     kg:AWS"
    assert lines[3] == "中文标签: 亚马逊云科技亚马逊云科技亚马逊"  # 30 columns: as many characters as fit
    fields = [line for line in lines if not line.startswith("-[")]
    assert _value_starts(fields) == {10}
    assert max(display_width(line) for line in lines) <= 40
    assert lines[3].split(": ")[1] + lines[4].strip() + lines[5].strip() == "亚马逊云科技" * 6  # no character cut


def test_a_value_s_line_breaks_and_control_characters_do_not_break_its_record():
    """As in a table's cell (:func:`printable`), a line break is a space and ESC its picture; the value is then
    wrapped at the spaces, every line of it after the first under its first."""
    rows = [["two\nlines", "esc\x1b[2J here\nand\tthere, and a few more words"]]
    assert table(["label", "note"], rows, Layout(30)).splitlines() == [
        "-[ 1 ]------------------------",
        "label: two lines",
        "note:  esc␛[2J here and there,",
        "       and a few more words",
    ]


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("a bb ccc", 4, ["a bb", "ccc"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("go abcdefghij x", 4, ["go", "abcd", "efgh", "ij x"]),
        ("芯片芯片芯", 4, ["芯片", "芯片", "芯"]),
        ("a 芯片", 4, ["a", "芯片"]),
    ],
)
def test_a_value_is_wrapped_at_spaces_and_inside_a_word_only_when_it_is_wider_than_a_line(text, width, lines):
    assert wrapped(text, width) == lines


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
