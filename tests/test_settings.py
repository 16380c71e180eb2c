"""Settings read from the environment, with clear errors for bad values."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings

from wargame.lib.env import env_bool, env_float, env_int, env_list


def test_booleans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X", "yes")
    assert env_bool("X", False) is True
    monkeypatch.setenv("X", "0")
    assert env_bool("X", True) is False
    monkeypatch.delenv("X")
    assert env_bool("X", True) is True
    monkeypatch.setenv("X", "maybe")
    with pytest.raises(ValueError, match="X must be one of"):
        env_bool("X", False)


def test_lists_and_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTS", "cumbre.example, 10.0.0.5 ,")
    assert env_list("HOSTS", []) == ["cumbre.example", "10.0.0.5"]
    monkeypatch.setenv("N", "12")
    assert env_int("N", 1) == 12
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(ValueError, match="N must be an integer"):
        env_int("N", 1)
    monkeypatch.setenv("F", "0.5")
    assert env_float("F", 2.0) == 0.5


def test_an_empty_database_url_means_the_embedded_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """`DATABASE_URL=` in a shell or an .env file is the embedded default, not a traceback."""
    monkeypatch.setenv("DATABASE_URL", "")
    values = runpy.run_path(str(Path(settings.BASE_DIR) / "wargame" / "settings.py"))
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
