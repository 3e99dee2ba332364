"""kgraph.text: tables whose columns line up in a terminal when cells hold Chinese."""

from __future__ import annotations

import pytest

from kgraph.text import display_width, pad, table


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
