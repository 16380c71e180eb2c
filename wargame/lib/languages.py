"""The languages Cumbre speaks (settings.LANGUAGES), by code."""

from django.conf import settings
from django.utils import translation

CODES = frozenset(code for code, _name in settings.LANGUAGES)


def language_asked(code: str | None) -> str:
    """`code` if Cumbre speaks it, else the language active now (the reader's)."""
    if code in CODES:
        return code
    return translation.get_language() or settings.LANGUAGE_CODE
