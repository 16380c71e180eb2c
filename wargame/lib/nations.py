"""Nations are ISO 3166-1 alpha-3 codes; their names come from pycountry, never a hand list,
in the reader's language (the translations of the iso-codes project that pycountry ships)."""

import gettext
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _


@cache
def _names(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[to_locale(language)], fallback=True
    )


@cache
def _nation_name(code: str, language: str) -> str:
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return _names(language).gettext(getattr(country, "common_name", None) or country.name)


def nation_name(code: str) -> str:
    """The short name of a nation in the language active now ("Bolivia", not "Bolivia,
    Plurinational State of"; "Haití" in Spanish, "Trinidade e Tobago" in Portuguese)."""
    return _nation_name(code, get_language() or "en")


def is_nation_code(code: object) -> bool:
    return (
        isinstance(code, str)
        and len(code) == 3
        and code.isupper()
        and pycountry.countries.get(alpha_3=code) is not None
    )


def validate_nation_code(value: str) -> None:
    if not is_nation_code(value):
        raise ValidationError(
            _("%(value)s is not an ISO 3166-1 alpha-3 country code."), params={"value": value}
        )
