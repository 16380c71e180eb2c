"""Every word people read is in the catalogues, and the catalogues are whole.

Templates hold no text outside a translation tag (proper names of file formats aside); each
catalogue has every message the code marks, none missing, none fuzzy, and keeps each message's
placeholders; the compiled catalogues are the ones the sources say.
"""

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.core.management import call_command, get_commands, load_command_class
from django.test import override_settings
from django.utils import translation

from tests.conftest import REPO

LOCALES = {"es": "es", "pt_BR": "pt-br"}
CATALOGUE = REPO / "wargame" / "locale" / "{locale}" / "LC_MESSAGES" / "django.po"
# Names that read the same in every language: file formats, the time zone.
PROPER_NAMES = {"PDF", "Word", "HTML", "JSON", "CSV", "UTC"}
WORD = re.compile(r"[^\W\d_]{2,}")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def catalogue(locale: str) -> Catalog:
    with open(str(CATALOGUE).format(locale=locale), "rb") as file:
        return read_po(file, locale=locale)


def untranslated_text(html: str) -> list[str]:
    """Text of a template that people would read and that no translation tag holds."""
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", "", html, flags=re.S)
    text = re.sub(
        r"{%\s*blocktrans(late)?\b.*?{%\s*endblocktrans(late)?\s*%}", "\0", text, flags=re.S
    )
    text = re.sub(r"{%.*?%}|{{.*?}}", "\0", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->|<!doctype[^>]*>", "", text,
                  flags=re.S | re.I)  # fmt: skip
    found = []
    for tag in re.findall(r"<[^>]*>", text, flags=re.S):
        for name, value in re.findall(
            r'\b(title|alt|placeholder|aria-label|hx-confirm|data-say-[\w-]+|data-copied)="([^"]*)"',
            tag,
        ):
            if WORD.search(value.replace("\0", "")):
                found.append(f'{name}="{value}"')
    body = re.sub(r"&#?\w+;", " ", re.sub(r"<[^>]*>", " ", text, flags=re.S))
    found += [word for word in WORD.findall(body) if word not in PROPER_NAMES]
    return found


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(REPO) for p in (REPO / "templates").rglob("*.html")), ids=str
)
def test_templates_hold_no_text_outside_translation_tags(template: Path) -> None:
    assert untranslated_text((REPO / template).read_text(encoding="utf-8")) == []


def test_the_template_check_finds_text_in_elements_and_attributes() -> None:
    html = '{% load i18n %}<p title="Open now">{% translate "Kept" %} Lost words</p>'
    assert untranslated_text(html) == ['title="Open now"', "Lost", "words"]
    assert (
        untranslated_text("<a>{% blocktranslate %}All {{ n }} here{% endblocktranslate %}</a>")
        == []
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated_none_fuzzy_placeholders_kept(locale: str) -> None:
    problems = []
    for message in catalogue(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        where = f"{locale}: {ids[0]!r}"
        if message.fuzzy:
            problems.append(f"{where} is fuzzy")
        if not all(strings):
            problems.append(f"{where} is not translated")
            continue
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != wanted:
                problems.append(f"{where}: placeholders {sorted(wanted)} became {string!r}")
    assert problems == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_catalogue_holds_every_message_of_the_code(
    locale: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The messages the code marks today, extracted afresh, are those of the catalogue: a new
    or changed message fails here until `make messages` has added it and it is translated.
    Extracted from a copy of the code without its catalogues: makemessages writes to the
    `locale` folder it finds beside the code, and the real one must stay as it is."""
    copy = tmp_path / "code"
    for part in ("wargame", "templates"):
        shutil.copytree(REPO / part, copy / part,
                        ignore=shutil.ignore_patterns("locale", "__pycache__"))  # fmt: skip
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[tmp_path / "out"]):
        call_command("makemessages", locale=[locale], no_obsolete=True, verbosity=0)
    with open(tmp_path / "out" / locale / "LC_MESSAGES" / "django.po", "rb") as file:
        marked = {m.id for m in read_po(file, locale=locale) if m.id}
    kept = {m.id for m in catalogue(locale) if m.id}
    assert (sorted(marked - kept, key=str), sorted(kept - marked, key=str)) == ([], [])


@pytest.mark.parametrize(("locale", "language"), LOCALES.items())
def test_the_compiled_catalogue_is_the_one_the_sources_say(locale: str, language: str) -> None:
    """`make install` compiles the catalogues: what Django reads is the source as it is."""
    source = Path(str(CATALOGUE).format(locale=locale))
    compiled = source.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run make install"
    assert compiled.stat().st_mtime >= source.stat().st_mtime, f"{compiled} is older: make install"
    message = next(m for m in catalogue(locale) if m.id == "Sign out")
    with translation.override(language):
        assert translation.gettext("Sign out") == message.string != "Sign out"


# The options every command has, described by Django (in its own catalogues).
DJANGO_OPTIONS = {"help", "version", "verbosity", "settings", "pythonpath", "traceback",
                  "no_color", "force_color", "skip_checks"}  # fmt: skip


def _our_commands() -> list[tuple[str, str]]:
    return sorted((name, app) for name, app in get_commands().items() if app.startswith("wargame."))


@pytest.mark.parametrize("language", ["es", "pt-br"])
def test_every_commands_help_is_in_the_language_of_the_commands(language: str) -> None:
    """`manage.py COMMAND --help` describes the command and its options in CUMBRE_LANGUAGE."""
    assert {"load_scenario", "export_report", "simulate", "health"} <= dict(_our_commands()).keys()
    for name, app in _our_commands():
        command = load_command_class(app, name)
        with translation.override("en"):
            parser = command.create_parser("manage.py", name)
            english = [parser.description] + [
                parser._get_formatter()._expand_help(a)
                for a in parser._actions
                if a.help and a.dest not in DJANGO_OPTIONS
            ]
        with translation.override(language):
            spoken = " ".join(command.create_parser("manage.py", name).format_help().split())
        for text in english:
            assert " ".join(text.split()) not in spoken, (name, text)
        assert english[0] and len(spoken) > len(english[0]), name
