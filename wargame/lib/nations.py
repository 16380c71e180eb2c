"""Nations are ISO 3166-1 alpha-3 codes; their names come from pycountry, never a hand list."""

from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def nation_name(code: str) -> str:
    """The short English name of a nation ("Bolivia", not "Bolivia, Plurinational State of")."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


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
