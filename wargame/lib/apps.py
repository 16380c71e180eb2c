from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "wargame.lib"
    label = "cumbre_lib"
