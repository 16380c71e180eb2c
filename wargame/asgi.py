"""ASGI entry point for production servers."""

import os

from django.core.asgi import get_asgi_application

from wargame.lib.startup import refuse_unsafe_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")
application = get_asgi_application()
refuse_unsafe_start()
