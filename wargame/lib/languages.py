"""The languages Cumbre speaks (settings.LANGUAGES), by code."""

from django.conf import settings
from django.utils import translation

CODES = frozenset(code for code, _name in settings.LANGUAGES)


def language_asked(code: str | None) -> str:
    """`code` if Cumbre speaks it, else the language active now (the reader's)."""
    if code in CODES:
        return code
    return translation.get_language() or settings.LANGUAGE_CODE


def translated(original: str, translations: dict[str, dict[str, str]], field: str) -> str:
    """`field` of a text written in English (`original`) in the language active now, from
    `translations` ({"es": {"name": ...}, "pt-br": {...}}); the original where none is given."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return (translations.get(language) or {}).get(field) or original
