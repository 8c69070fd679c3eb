"""How much of a table fits one slide on the smallest screen Present is made for (1280x720), where a slide's
title, table and note share the window above the controls. Sizes are Present's at Standard text (22px table
text, 34px bold title, 16px note), measured there; widths are counted in characters a little wider than the
average, so an estimate errs towards splitting a table, never towards clipping it.
"""

import textwrap

WIDTH = 1236  # px across the slide's table and text
BODY = 495  # px for the table below a one-line title and above a one-line note
TITLE_LINE, NOTE_LINE = 35, 23  # px each further line of title or note takes from the table
TITLE_CHARS, NOTE_CHARS = 70, 150
CHAR, CELL_PADDING = 11, 16  # px a character of table text takes, and a cell's left and right padding
LINE, ROW_PADDING = 29, 11  # a body row is LINE a line of text and ROW_PADDING
HEADER_LINE, HEADER_PADDING = 26, 18
HEADER_CHARS = 22  # a heading is broken onto lines of this many characters (ui.charts.pack.pack_table), or fewer
PART = " (10 of 10)"  # what a continued slide adds to its title


def lines(text: str, chars: int) -> int:
    return max(1, len(textwrap.wrap(str(text), max(chars, 1))))


def column_chars(widths: tuple[float, ...]) -> list[int]:
    """Characters a line of each column holds, from the columns' relative widths."""
    return [max(1, int((WIDTH * w / sum(widths) - CELL_PADDING) / CHAR)) for w in widths]


def row_height(cells, chars: list[int]) -> int:
    return LINE * max(lines(cell, n) for cell, n in zip(cells, chars, strict=True)) + ROW_PADDING


def room(title: str, note: str, columns: tuple[str, ...], chars: list[int]) -> int:
    """Pixels left for the body rows under this title and header, above this note."""
    header_lines = (lines(c, min(n, HEADER_CHARS)) for c, n in zip(columns, chars, strict=True))
    header = HEADER_LINE * max(header_lines) + HEADER_PADDING
    titled = TITLE_LINE * (lines(title + PART, TITLE_CHARS) - 1) + NOTE_LINE * (lines(note, NOTE_CHARS) - 1)
    return BODY - header - titled
