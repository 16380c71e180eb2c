"""What the accounts app does when something happens elsewhere: a person who signs in gets the
language they chose, on this device too (wargame/accounts/language.py)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from wargame.accounts.language import language_brought


@receiver(user_logged_in, dispatch_uid="cumbre-language-on-sign-in")
def _bring_the_language_to_this_device(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        language_brought(request.session, user)
