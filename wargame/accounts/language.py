"""The language each person reads Cumbre in: chosen on any page, kept with their account and
brought to every device they sign in on; before any choice, the browser's language.

The choice is written to the account (`language_save`), to the session and to Django's language
cookie, which keeps it for someone who has not signed in. `LanguageMiddleware` comes after
Django's LocaleMiddleware, which has read the cookie and the browser's Accept-Language, and
after the user is known: a signed-in person's choice wins over both. It is read from the
account once per session (on a new device, after signing in) and from the session after that.
"""

from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from wargame.accounts.models import Preference
from wargame.lib.languages import CODES

SESSION_KEY = "cumbre_language"
# In a session whose person has chosen no language: the account was read, nothing to apply.
NO_CHOICE = ""


def language_save(*, user: Any, language: str) -> None:
    """Keep `language` (one of settings.LANGUAGES) as the person's choice."""
    if language not in CODES:
        raise ValueError(f"not a language of Cumbre: {language!r}")
    with transaction.atomic():
        Preference.objects.update_or_create(user=user, defaults={"language": language})


def language_of(user: Any) -> str | None:
    """The language the person chose, or None before any choice."""
    return Preference.objects.filter(user=user).values_list("language", flat=True).first()


class LanguageMiddleware:
    """Applies the person's own choice for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            language = _chosen(request)
        except DatabaseError:
            # The sessions are in the database, which is away: the page answers that, in the
            # language of the cookie or the browser (DatabaseUnavailableMiddleware).
            language = None
        if language in CODES and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def _chosen(request: HttpRequest) -> str | None:
    """The signed-in person's choice: from the session, or once per session from the account."""
    if not request.user.is_authenticated:
        return None
    language = request.session.get(SESSION_KEY)
    if language is None:
        language = language_of(request.user) or NO_CHOICE
        request.session[SESSION_KEY] = language
    return language
