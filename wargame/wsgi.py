"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application

from wargame.lib.startup import refuse_unsafe_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")
application = get_wsgi_application()
refuse_unsafe_start()
