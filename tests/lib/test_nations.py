"""Nation names in the reader's language, from pycountry's translations of ISO 3166-1."""

import pytest
from django.utils import translation

from wargame.lib.nations import nation_name


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", ["Haiti", "Trinidad and Tobago", "Bolivia", "Dominican Republic"]),
        ("es", ["Haití", "Trinidad y Tobago", "Bolivia", "República Dominicana"]),
        ("pt-br", ["Haiti", "Trinidade e Tobago", "Bolívia", "República Dominicana"]),
    ],
)
def test_names_follow_the_language_and_stay_short(language: str, names: list[str]) -> None:
    with translation.override(language):
        assert [nation_name(code) for code in ("HTI", "TTO", "BOL", "DOM")] == names


def test_an_unknown_code_reads_as_itself() -> None:
    with translation.override("es"):
        assert nation_name("XYZ") == "XYZ"
