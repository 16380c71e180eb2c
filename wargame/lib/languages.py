"""The languages Cumbre speaks (settings.LANGUAGES), by code."""

from typing import Any

from django.conf import settings
from django.utils import translation

CODES = frozenset(code for code, _name in settings.LANGUAGES)


def language_asked(code: str | None) -> str:
    """`code` if Cumbre speaks it, else the language active now (the reader's)."""
    if code in CODES:
        return code
    return translation.get_language() or settings.LANGUAGE_CODE


def translated(original: str, translations: dict[str, dict[str, str]], field: str) -> str:
    """`field` of a text (`original`, in the language its scenario is written in) in the
    language active now, from `translations` ({"es": {"name": ...}, "pt-br": {...}}, never
    the original's own language); the original where none is given."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return (translations.get(language) or {}).get(field) or original


def translations_of(translations: dict[str, dict[str, Any]], *fields: str) -> dict[str, Any]:
    """Only these fields of `translations`, by language: what a record quoting some of the
    texts keeps of their translations."""
    kept = {
        language: {field: texts[field] for field in fields if field in texts}
        for language, texts in translations.items()
    }
    return {language: texts for language, texts in kept.items() if texts}


class LocalText:
    """A model's text in the language active now: `local_title` reads `title` from the
    model's `translations` ({"es": {"title": ...}}), or the original where none is given."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.field = name.removeprefix("local_")

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        original = getattr(obj, self.field)
        translations = getattr(obj, "translations", None) or {}
        if isinstance(original, dict):  # parts by nation: each its own translation or original
            language = translation.get_language() or settings.LANGUAGE_CODE
            parts = (translations.get(language) or {}).get(self.field) or {}
            return {code: parts.get(code) or text for code, text in original.items()}
        return translated(original, translations, self.field)
