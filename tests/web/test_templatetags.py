"""The project's template filters that write HTML."""

from wargame.web.templatetags.cumbre import trust_cells


def test_a_row_of_the_trust_heat_map() -> None:
    # A nation's trust in itself is empty; the classes are the legend's bands of 20.
    assert trust_cells([None, 0, 19, 45, 80, 100]) == (
        '<td class="t-none"></td><td class="t0">0</td><td class="t0">19</td>'
        '<td class="t2">45</td><td class="t4">80</td><td class="t4">100</td>'
    )
