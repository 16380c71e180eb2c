"""The report in the language asked for: the reader's own by default, any other on request,
from the command line with --lang; each language's copy kept apart from the others."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.pdf import pdf_text
from tests.reports.test_formats import html_text, word_text
from wargame.exercises.models import Exercise, Role
from wargame.exercises.services import participant_add
from wargame.reports.files import ReportFile, render_format, report_file_render

pytestmark = pytest.mark.django_db

# The title of the report's appendix, as docs/glossary.md has it in each language.
PLAN = {"en": "Improvement plan", "es": "Plan de mejora", "pt-br": "Plano de melhoria"}


def facilitator_of(played: Exercise) -> Client:
    client = Client()
    client.force_login(played.participants.get(role=Role.FACILITATOR).user)
    return client


def test_a_spanish_pdf_and_a_portuguese_word_file(played: Exercise, brief: Exercise) -> None:
    spanish = pdf_text(render_format(brief, "pdf", language="es"))
    portuguese = word_text(render_format(played, "docx", language="pt-br"))
    assert PLAN["es"] in spanish and PLAN["en"] not in spanish
    assert PLAN["pt-br"] in portuguese and PLAN["en"] not in portuguese


def test_export_report_writes_the_language_asked_for(played: Exercise, tmp_path: Path) -> None:
    target = tmp_path / "informe.html"
    call_command("export_report", played.code, "--format", "html", "--lang", "es",
                 "-o", str(target), stdout=io.StringIO())  # fmt: skip
    html = target.read_text(encoding="utf-8")
    assert '<html lang="es"' in html and PLAN["es"] in html_text(html)


def test_the_download_is_in_the_readers_language_unless_another_is_asked(
    played: Exercise,
) -> None:
    client = facilitator_of(played)
    client.post(reverse("accounts:language"), {"language": "pt-br", "next": "/"})
    url = reverse("exercises:report", args=[played.code, "html"])
    own = client.get(url)
    assert PLAN["pt-br"] in html_text(own.content.decode())
    assert own["Content-Disposition"].endswith('-report-pt-br.html"')
    asked = client.get(url + "?lang=en")
    assert PLAN["en"] in html_text(asked.content.decode())
    assert asked["Content-Disposition"].endswith('-report.html"')
    unknown = client.get(url + "?lang=fr")  # not a language of Cumbre: the reader's own
    assert PLAN["pt-br"] in html_text(unknown.content.decode())


def test_each_languages_copy_is_kept_apart(played: Exercise) -> None:
    spanish = report_file_render(played.pk, "docx", language="es")
    english = report_file_render(played.pk, "docx")
    assert spanish.path != english.path and spanish.path.name.endswith("-es.docx")
    assert PLAN["es"] in word_text(spanish.path.read_bytes())
    assert PLAN["en"] in word_text(english.path.read_bytes())
    assert ReportFile.current(played, "docx", language="es").exists()
    assert not ReportFile.current(played, "docx", language="pt-br").exists()


def test_the_downloads_offer_the_other_languages(played: Exercise) -> None:
    client = facilitator_of(played)
    html = client.get(reverse("exercises:hotwash", args=[played.code])).content.decode()
    pdf = reverse("exercises:report", args=[played.code, "pdf"])
    assert f'href="{pdf}?lang=es"' in html and f'href="{pdf}?lang=pt-br"' in html
    assert f'href="{pdf}?lang=en"' not in html  # the reader's own is the plain link


def test_a_player_may_not_ask_for_another_language_either(played: Exercise) -> None:
    player = get_user_model().objects.create_user("report-language-player")
    participant_add(actor=None, exercise=played, user=player, role=Role.PLAYER,
                    team=played.teams.first())  # fmt: skip
    client = Client()
    client.force_login(player)
    url = reverse("exercises:report", args=[played.code, "html"]) + "?lang=es"
    assert client.get(url).status_code == 403


def test_the_json_is_in_no_readers_language_while_the_html_is(played: Exercise) -> None:
    json_en = render_format(played, "json", language="en")
    assert render_format(played, "json", language="es") == json_en
    assert render_format(played, "json", language="pt-br") == json_en
    assert "Haití" in html_text(render_format(played, "html", language="es").decode())


def test_the_report_quotes_the_scenario_in_the_language_asked(played: Exercise) -> None:
    """Titles of the scenario, its objectives and its injects come from the scenario file's
    translations; the JSON keeps the original texts with those translations beside them."""
    inject = played.injects.filter(status__in=["delivered", "answered"]).first()
    objective = played.scenario.objectives.first()
    record = json.loads(render_format(played, "json", language="es"))
    assert record["scenario"]["title"] == played.scenario.title
    assert record["scenario"]["translations"]["es"]["title"] == "Tormenta en el Caribe"
    for language, words in [("es", "Tormenta en el Caribe"), ("pt-br", "Tempestade no Caribe")]:
        text = html_text(render_format(played, "html", language=language).decode())
        assert words in text, language
        assert inject.translations[language]["title"] in text, language
        assert objective.translations[language]["title"] in text, language
        assert inject.title not in text, language
    english = html_text(render_format(played, "html", language="en").decode())
    assert inject.title in english and "Tormenta en el Caribe" not in english
