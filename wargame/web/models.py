"""The web layer keeps no tables of its own. Django imports this module of every app when it
starts, after the apps below: importing the receivers here connects them in every process."""

from wargame.web import receivers  # noqa: F401
