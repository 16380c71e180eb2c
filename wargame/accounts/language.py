"""The language each person reads Cumbre in: chosen on any page, kept with their account and
brought to every device they sign in on; before any choice, the browser's language.

The choice is written to the account (`language_save`), to the session and to Django's language
cookie, which keeps it for someone who has not signed in. Signing in brings the account's
choice into the new session (accounts/receivers.py), so that applying it costs no query.
`LanguageMiddleware` comes after Django's LocaleMiddleware, which has read the cookie and the
browser's Accept-Language: a choice in the session wins over both.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from wargame.accounts.preferences import Preference
from wargame.lib.languages import CODES

SESSION_KEY = "cumbre_language"


def language_save(*, user: Any, language: str) -> None:
    """Keep `language` (one of settings.LANGUAGES) as the person's choice."""
    if language not in CODES:
        raise ValueError(f"not a language of Cumbre: {language!r}")
    with transaction.atomic():
        Preference.objects.update_or_create(user=user, defaults={"language": language})


def language_of(user: Any) -> str | None:
    """The language the person chose, or None before any choice."""
    return Preference.objects.filter(user=user).values_list("language", flat=True).first()


def language_brought(session: SessionBase, user: Any) -> None:
    """Put the person's choice, if they made one, into the session they have just signed in."""
    if language := language_of(user):
        session[SESSION_KEY] = language


class LanguageMiddleware:
    """Applies the person's own choice, kept in their session, for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            language = request.session.get(SESSION_KEY)
        except DatabaseError:
            # The sessions are in the database, which is away: the page answers that, in the
            # language of the cookie or the browser (DatabaseUnavailableMiddleware).
            language = None
        if language in CODES and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
