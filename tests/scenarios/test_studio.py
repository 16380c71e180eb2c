"""The scenario studio through its pages: upload a file (its problems as the commands give
them, or what it changes before it is saved), download a version as YAML or its MSEL as CSV,
the history of versions, the comparison of two, and a restore."""

import html
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.conftest import MINIMAL
from wargame.exercises.models import Exercise
from wargame.scenarios.fileformat import parse_scenario_text
from wargame.scenarios.models import Scenario
from wargame.scenarios.selectors import scenario_latest, scenario_spec

UPLOAD = reverse("scenarios:upload")
SAVE = reverse("scenarios:upload_apply")


def problems_of_command(*args: str) -> list[str]:
    """The problems a command prints, one per line, without the file's folder."""
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return [line.rsplit("/", 1)[-1] for line in err.getvalue().splitlines()]


def problems_on_page(response) -> list[str]:
    return [html.unescape(p) for p in re.findall(r'<code class="problem">(.*?)</code>',
                                                 response.content.decode(), re.S)]  # fmt: skip


def sent(name: str, text: str, **fields: str) -> dict:
    return {"file": SimpleUploadedFile(name, text.encode("utf-8")), **fields}


def apply_form(response) -> dict[str, str]:
    """The fields of the preview's save form, as the browser would send them back."""
    page = response.content.decode()
    form = page[page.index('action="' + SAVE) :]
    data = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="\w+" name="(\w+)" value="([^"]*)"', form)
    }
    text = re.search(r'<textarea name="text"[^>]*>\n(.*?)</textarea>', form, re.S)
    data["text"] = html.unescape(text.group(1))
    return data


BROKEN = (
    MINIMAL.read_text(encoding="utf-8")
    .replace("turns: 4", "turns: four")
    .replace("kind: hurricane", "kind: hurricanes")
    .replace("objective: OBJ-1", "objective: OBJ-9")
)


def test_a_broken_file_loads_nothing_and_lists_the_problems_the_command_gives(
    author: Client, tmp_path: Path
) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    expected = problems_of_command("load_scenario", str(path))
    assert len(expected) == 3

    response = author.post(UPLOAD, sent("minimal.yaml", BROKEN))

    assert response.status_code == 400
    assert problems_on_page(response) == expected
    page = response.content.decode()
    # Each problem shows its line of the file, numbered.
    line = next(n for n, text in enumerate(BROKEN.splitlines(), 1) if "turns: four" in text)
    assert f'<span class="line-number">{line}</span> turns: four' in page
    assert not Scenario.objects.exists()


def test_a_file_that_is_neither_yaml_nor_csv_is_refused_with_the_reason(author: Client) -> None:
    response = author.post(UPLOAD, sent("storm.docx", "not a scenario"))
    assert response.status_code == 400
    assert problems_on_page(response) == [
        "storm.docx:1: file: must be a scenario file (.yaml or .yml) or an MSEL (.csv)"
    ]


def test_a_good_file_is_previewed_with_its_changes_then_saved_as_the_next_version(
    author: Client, exercise: Exercise
) -> None:
    text = (
        MINIMAL.read_text(encoding="utf-8")
        .replace("title: Hurricane Elena makes landfall", "title: Elena strikes Jacmel")
        .replace("stability: 35", "stability: 40")
    )
    text = text[: text.index("  - id: M-02")]

    preview = author.post(UPLOAD, sent("minimal.yaml", text))

    assert preview.status_code == 200
    page = html.unescape(preview.content.decode())
    assert "Nations changed: HTI (Stability)" in page
    assert "Injects changed: M-01 (Title)" in page
    assert "Injects removed: M-02" in page
    assert "Save as version 2" in page
    assert Scenario.objects.count() == 1  # nothing saved yet

    data = apply_form(preview) | {"note": "Shorter, for the staff college course"}
    saved = author.post(SAVE, data)

    assert saved.status_code == 302
    second = scenario_latest("minimal")
    assert second.version == 2
    assert scenario_spec(second) == parse_scenario_text(text, "minimal.yaml")
    assert (second.author.username, second.note) == ("author", data["note"])
    # The exercise keeps the version it was created from.
    assert Exercise.objects.get(pk=exercise.pk).scenario.version == 1
    assert len(exercise.injects.all()) == 2


def test_a_save_after_someone_else_saved_shows_the_changes_again(
    author: Client, minimal_scenario: Scenario
) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace("stability: 35", "stability: 40")
    data = apply_form(author.post(UPLOAD, sent("minimal.yaml", text)))
    other = MINIMAL.read_text(encoding="utf-8").replace("budget: 4", "budget: 6")
    author.post(SAVE, apply_form(author.post(UPLOAD, sent("minimal.yaml", other))))

    again = author.post(SAVE, data)

    assert again.status_code == 409
    page = html.unescape(again.content.decode())
    assert "Nations changed: HTI (Stability; Budget)" not in page
    assert "HTI (Stability, Budget)" in page  # from version 2, which put the budget at 6
    assert scenario_latest("minimal").version == 2


def test_an_msel_edited_in_a_spreadsheet_round_trips_through_the_pages_and_the_commands(
    author: Client, minimal_scenario: Scenario
) -> None:
    download = author.get(reverse("scenarios:download_msel", args=["minimal"]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="minimal-v1-msel-en.csv"'
    csv = download.content.decode("utf-8")
    out = io.StringIO()
    call_command("export_msel", "minimal", stdout=out)
    assert csv == out.getvalue()

    edited = csv.replace("Go-fast boats in the Mona Passage", "Go-fast boats off Cabo Rojo")
    preview = author.post(UPLOAD, sent("msel.csv", edited, scenario="minimal"))
    assert "Injects changed: M-02 (Title)" in html.unescape(preview.content.decode())
    author.post(SAVE, apply_form(preview))

    out = io.StringIO()
    call_command("export_msel", "minimal", stdout=out)
    assert out.getvalue() == edited
    assert scenario_latest("minimal").version == 2


def test_a_broken_msel_shows_every_line_of_the_rows_at_fault(
    author: Client, minimal_scenario: Scenario, tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command("export_msel", "minimal", stdout=out)
    broken = out.getvalue().replace("M-01,1,hurricane", "M-01,9,hurricane")
    path = tmp_path / "msel.csv"
    path.write_text(broken, encoding="utf-8")
    expected = problems_of_command("import_msel", "minimal", str(path))

    response = author.post(UPLOAD, sent("msel.csv", broken, scenario="minimal"))

    assert response.status_code == 400
    assert problems_on_page(response) == expected
    page = html.unescape(response.content.decode())
    # M-01's message spans two lines of the file; both are shown.
    assert "M-01,9,hurricane" in page and "Category 4 landfall near Jacmel." in page
    assert scenario_latest("minimal").version == 1


def test_an_msel_needs_its_scenario(author: Client, minimal_scenario: Scenario) -> None:
    response = author.post(UPLOAD, sent("msel.csv", "number\n"))
    assert response.status_code == 400
    assert problems_on_page(response) == [
        "msel.csv:1: scenario: an MSEL is for a scenario: choose which one"
    ]


def test_the_yaml_of_every_version_loads_back_identically(
    author: Client, minimal_scenario: Scenario
) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace("budget: 4", "budget: 6")
    author.post(SAVE, apply_form(author.post(UPLOAD, sent("minimal.yaml", text))))
    for version in (1, 2):
        url = reverse("scenarios:download_yaml", args=["minimal"]) + f"?version={version}"
        response = author.get(url)
        assert response["Content-Disposition"] == (
            f'attachment; filename="minimal-v{version}.yaml"'
        )
        spec = parse_scenario_text(response.content.decode(), "download.yaml")
        assert spec == scenario_spec(scenario_latest("minimal", version=version))


def test_the_msel_comes_in_each_language_the_scenario_has(
    author: Client, shipped_scenarios: list[Scenario]
) -> None:
    url = reverse("scenarios:download_msel", args=["caribbean-storm"])
    spanish = author.get(url + "?lang=es").content.decode("utf-8-sig")
    english = author.get(url).content.decode("utf-8-sig")
    assert spanish != english and spanish.splitlines()[0] == english.splitlines()[0]
    page = author.get(reverse("scenarios:detail", args=["caribbean-storm"])).content.decode()
    for code in ("en", "es", "pt-br"):
        assert f'msel.csv?lang={code}"' in page
    assert author.get(url + "?lang=fr").status_code == 400
    assert author.get(url + "?version=99").status_code == 404
    assert author.get(url + "?version=x").status_code == 404


def test_the_history_compares_two_versions_and_restores_an_old_one(
    author: Client, minimal_scenario: Scenario
) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "Category 4 landfall near Jacmel.", "Category 5 landfall near Jacmel, at night."
    )
    preview = author.post(UPLOAD, sent("minimal.yaml", text))
    author.post(SAVE, apply_form(preview) | {"note": "A stronger storm"})

    history = html.unescape(
        author.get(reverse("scenarios:versions", args=["minimal"])).content.decode()
    )
    assert "Version 2" in history and "A stronger storm" in history and "by author" in history
    assert "Injects changed: M-01 (Message)" in history

    compare = author.get(reverse("scenarios:compare", args=["minimal"])).content.decode()
    assert "<del>4</del><ins>5</ins>" in compare
    assert "<ins>, at night.</ins>" in compare or "<ins>Jacmel, at night.</ins>" in compare

    restored = author.post(reverse("scenarios:restore", args=["minimal", 1]))
    assert restored.status_code == 302
    third = scenario_latest("minimal")
    assert (third.version, third.derived_from.version) == (3, 1)
    assert scenario_spec(third) == scenario_spec(scenario_latest("minimal", version=1))
    history = author.get(reverse("scenarios:versions", args=["minimal"])).content.decode()
    assert "Restored from version 1." in history

    # Restoring what the latest already holds saves nothing.
    author.post(reverse("scenarios:restore", args=["minimal", 1]))
    assert scenario_latest("minimal").version == 3


def test_the_studio_is_for_staff_only(minimal_scenario: Scenario, client: Client) -> None:
    player = get_user_model().objects.create_user("player")
    client.force_login(player)
    urls = [
        UPLOAD,
        reverse("scenarios:download_yaml", args=["minimal"]),
        reverse("scenarios:download_msel", args=["minimal"]),
        reverse("scenarios:versions", args=["minimal"]),
        reverse("scenarios:compare", args=["minimal"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("scenarios:restore", args=["minimal", 1])).status_code == 403
    assert client.post(SAVE, {}).status_code == 403
    assert (
        "Versions and files"
        not in client.get(reverse("scenarios:detail", args=["minimal"])).content.decode()
    )


def test_the_demo_start_keeps_a_shipped_scenario_edited_in_the_browser(
    author: Client, shipped_scenarios: list[Scenario]
) -> None:
    """`make run` loads the shipped files at each start; one saved since from its page stays
    as edited, the others are loaded as ever."""
    edit = reverse("scenarios:edit_save", args=["dark-ports", "scenario"])
    spec = scenario_spec(scenario_latest("dark-ports"))
    texts = {"base": "1", "action": "save", "title": "Dark ports, course 2027",
             "summary": spec.summary, "briefing": spec.briefing, "turns": str(spec.turns),
             "game_time_per_turn": spec.game_time_per_turn,
             "minutes_per_turn": str(spec.minutes_per_turn), "marking": spec.marking}  # fmt: skip
    assert author.post(edit, texts).status_code == 302
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    assert "kept dark-ports as edited in the browser (version 2)" in out.getvalue()
    assert scenario_latest("dark-ports").title == "Dark ports, course 2027"
    assert scenario_latest("caribbean-storm").version == 1


def test_a_slug_that_names_a_page_of_the_library_is_refused(
    author: Client, minimal_scenario: Scenario
) -> None:
    """/scenarios/upload/ is the upload page: no scenario can take that slug, by file or copy."""
    text = MINIMAL.read_text(encoding="utf-8").replace("slug: minimal", "slug: upload")
    response = author.post(UPLOAD, sent("upload.yaml", text))
    assert problems_on_page(response) == [
        "upload.yaml:2: slug: 'upload' names a page of the scenario library; choose another"
    ]
    copy = author.post(reverse("scenarios:duplicate", args=["minimal"]),
                       {"slug": "upload", "title": "Copy"})  # fmt: skip
    assert copy.status_code == 422
    assert "names a page of the scenario library" in html.unescape(copy.content.decode())
    # A copy's slug follows the file's rules, in the file's words.
    copy = author.post(reverse("scenarios:duplicate", args=["minimal"]),
                       {"slug": "two--hyphens", "title": "Copy"})  # fmt: skip
    assert copy.status_code == 422
    assert "'two--hyphens' must be lower-case letters, digits and single hyphens" in html.unescape(
        copy.content.decode()
    )
