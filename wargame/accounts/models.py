"""The accounts app's tables (a person's preferences, `preferences.py`). Django imports this
module of every app when it starts: importing the receivers here connects them in every
process."""

from wargame.accounts import receivers  # noqa: F401
from wargame.accounts.preferences import Preference

__all__ = ["Preference"]
