"""CSV that is safe to open in a spreadsheet, and read back exactly.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel and
LibreOffice as a formula, which can run commands or send data away (OWASP, "CSV Injection").
Such a cell is written with an apostrophe in front, which a spreadsheet shows as text; a cell
that starts with an apostrophe gets one more, so that reading strips exactly one and every
text comes back as it was. Files start with a UTF-8 byte-order mark, so that Excel shows
accents.
"""

import csv
import io
from collections.abc import Iterable

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def cell_out(value: object) -> object:
    """The cell as written: text that a spreadsheet would run is guarded; numbers are not."""
    if isinstance(value, str) and value.startswith((*FORMULA_START, GUARD)):
        return GUARD + value
    return value


def cell_in(text: str) -> str:
    """The text of a cell read back: the guard `cell_out` added is taken off."""
    if text.startswith(GUARD) and text[1:2] and text[1:2].startswith((*FORMULA_START, GUARD)):
        return text[1:]
    return text


def csv_text(rows: Iterable[Iterable[object]], *, lineterminator: str = "\r\n") -> str:
    """Rows as CSV text with the byte-order mark, every cell guarded."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([cell_out(value) for value in row])
    return out.getvalue()
