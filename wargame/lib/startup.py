"""What the web server and the worker check before they serve anyone: safe settings."""

import sys

from django.conf import settings

UNSAFE_KEY = (
    "Cumbre will not start: SECRET_KEY is not set. It signs sessions, CSRF tokens and invite "
    "links, and the built-in development key is public. Set SECRET_KEY (generate one with: "
    'python3 -c "import secrets; print(secrets.token_urlsafe(50))"), or DEBUG=true on a '
    "development machine."
)


def refuse_unsafe_start() -> None:
    """Stop the process with a clear message, and no traceback, if serving would be unsafe:
    DEBUG off and no real SECRET_KEY."""
    if not settings.DEBUG and not settings.SECRET_KEY_IS_SET:
        sys.exit(UNSAFE_KEY)
