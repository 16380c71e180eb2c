"""The turn cycle keeps no tables of its own. Django imports this module of every app when it
starts, after the exercises and negotiation apps: importing the receivers here connects them in
every process (web, worker, beat, commands)."""

from wargame.turns import receivers  # noqa: F401
