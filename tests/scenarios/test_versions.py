"""Versions of a scenario: a load never changes what an exercise uses.

An exercise keeps the version of its scenario it was created from (its teams, injects and
report come from it); loading a different file with the same slug adds the next version for
new exercises. A version is never changed once saved.
"""

import io
import itertools
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.conftest import MINIMAL
from wargame.exercises.models import Exercise, Role
from wargame.exercises.services import exercise_create, participant_add
from wargame.scenarios.fileformat import parse_scenario_file
from wargame.scenarios.models import InjectTemplate, Scenario
from wargame.scenarios.selectors import scenario_list, scenario_spec
from wargame.turns.services import exercise_start

SEATS = itertools.count()
OLD_BRIEFING = "Haiti's private briefing."
NEW_BRIEFING = "Haiti's briefing, rewritten after the storm."
OLD_PUBLIC = "A short public briefing."
NEW_PUBLIC = "A longer public briefing, rewritten."


def load(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def changed_file(tmp_path: Path, *, title: str = "Minimal scenario") -> Path:
    """The minimal scenario with new briefings, a renamed inject and a given title."""
    text = MINIMAL.read_text(encoding="utf-8")
    text = (
        text.replace(OLD_BRIEFING, NEW_BRIEFING)
        .replace(OLD_PUBLIC, NEW_PUBLIC)
        .replace("title: Hurricane Elena makes landfall", "title: Elena strikes Jacmel")
        .replace("title: Minimal scenario", f"title: {title}")
    )
    path = tmp_path / "minimal.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def haiti_room(exercise: Exercise) -> str:
    """What Haiti's player sees in the team room."""
    player = get_user_model().objects.create_user(f"haiti-{exercise.code}-{next(SEATS)}")
    participant_add(
        actor=None,
        exercise=exercise,
        user=player,
        role=Role.PLAYER,
        team=exercise.teams.get(nation_code="HTI"),
    )
    client = Client()
    client.force_login(player)
    response = client.get(reverse("exercises:team", args=[exercise.code, "HTI"]))
    assert response.status_code == 200
    return response.content.decode().replace("&#x27;", "'")


@pytest.fixture
def running(exercise: Exercise, facilitator) -> Exercise:
    exercise_start(actor=facilitator, exercise=exercise)
    exercise.refresh_from_db()
    return exercise


@pytest.mark.django_db
def test_a_changed_load_adds_a_version_and_the_running_exercise_keeps_its_own(
    running: Exercise, facilitator, tmp_path: Path
) -> None:
    before = haiti_room(running)
    assert OLD_BRIEFING in before and OLD_PUBLIC in before
    first = scenario_spec(running.scenario)

    out = load("load_scenario", str(changed_file(tmp_path)))

    assert "loaded minimal (version 2;" in out
    assert list(Scenario.objects.filter(slug="minimal").values_list("version", flat=True)) == [1, 2]
    running.refresh_from_db()
    assert running.scenario.version == 1
    assert scenario_spec(running.scenario) == first
    after = haiti_room(running)
    for old in (OLD_BRIEFING, OLD_PUBLIC):
        assert old in after
    for new in (NEW_BRIEFING, NEW_PUBLIC):
        assert new not in after
    # The exercise's copy of the MSEL still points at the templates of its own version.
    assert set(running.injects.values_list("template__scenario__version", flat=True)) == {1}

    # A new exercise takes the new version, and its players see the new text.
    newer = exercise_create(
        actor=facilitator, scenario=Scenario.objects.get(slug="minimal", version=2)
    )
    exercise_start(actor=facilitator, exercise=newer)
    room = haiti_room(newer)
    assert NEW_BRIEFING in room and NEW_PUBLIC in room and OLD_BRIEFING not in room


@pytest.mark.django_db
def test_loading_the_same_file_again_adds_no_version(running: Exercise) -> None:
    stamp = Scenario.objects.get().updated_at
    load("load_scenario", str(MINIMAL))
    load("load_scenario", str(MINIMAL))
    scenario = Scenario.objects.get()
    assert (scenario.pk, scenario.version, scenario.updated_at) == (
        running.scenario_id,
        1,
        stamp,
    )


@pytest.mark.django_db
def test_every_changed_load_adds_a_version_whether_or_not_an_exercise_uses_it(
    tmp_path: Path,
) -> None:
    load("load_scenario", str(MINIMAL))
    first = Scenario.objects.get()

    out = load("load_scenario", str(changed_file(tmp_path)))

    assert "loaded minimal (version 2;" in out
    second = Scenario.objects.get(slug="minimal", version=2)
    assert scenario_spec(second) == parse_scenario_file(changed_file(tmp_path))
    assert scenario_spec(first) == parse_scenario_file(MINIMAL)
    assert second.changes == [
        {"part": "scenario", "code": "", "change": "changed", "fields": ["briefing"]},
        {"part": "nation", "code": "HTI", "change": "changed", "fields": ["briefing"]},
        {"part": "inject", "code": "M-01", "change": "changed", "fields": ["title"]},
    ]


@pytest.mark.django_db
def test_a_finished_exercise_keeps_its_version(
    running: Exercise, facilitator, tmp_path: Path
) -> None:
    from wargame.turns.services import exercise_end

    exercise_end(actor=facilitator, exercise=running, reason="Time is up.")
    load("load_scenario", str(changed_file(tmp_path)))
    running.refresh_from_db()
    assert running.status == Exercise.Status.FINISHED
    assert running.scenario.version == 1
    assert running.scenario.briefing.strip() == OLD_PUBLIC


@pytest.mark.django_db
def test_import_msel_adds_a_version_when_an_exercise_uses_the_scenario(
    running: Exercise, tmp_path: Path
) -> None:
    csv = tmp_path / "msel.csv"
    csv.write_text(load("export_msel", "minimal").replace("Hurricane Elena", "Storm Elena"))

    out = load("import_msel", "minimal", str(csv))

    assert "(version 2)" in out
    titles = dict(
        InjectTemplate.objects.filter(code="M-01").values_list("scenario__version", "title")
    )
    assert titles == {1: "Hurricane Elena makes landfall", 2: "Storm Elena makes landfall"}
    assert running.injects.get(code="M-01").title == "Hurricane Elena makes landfall"


@pytest.mark.django_db
def test_export_takes_the_latest_version_unless_told(running: Exercise, tmp_path: Path) -> None:
    load("load_scenario", str(changed_file(tmp_path)))
    assert NEW_BRIEFING in load("export_scenario", "minimal")
    old = load("export_scenario", "minimal", "--scenario-version", "1")
    assert OLD_BRIEFING in old and NEW_BRIEFING not in old
    with pytest.raises(Exception, match="has no version 7"):
        load("export_scenario", "minimal", "--scenario-version", "7")


@pytest.mark.django_db
def test_the_library_and_the_new_exercise_form_offer_only_the_latest_version(
    running: Exercise, facilitator, tmp_path: Path
) -> None:
    load("load_scenario", str(changed_file(tmp_path, title="Minimal scenario, revised")))
    latest = Scenario.objects.get(slug="minimal", version=2)
    assert list(scenario_list()) == [latest]

    client = Client()
    library = client.get(reverse("scenarios:library")).content.decode()
    assert "Minimal scenario, revised" in library
    assert library.count(reverse("scenarios:detail", args=["minimal"])) == 1
    detail = client.get(reverse("scenarios:detail", args=["minimal"])).content.decode()
    assert "Minimal scenario, revised" in detail

    facilitator.is_staff = True
    facilitator.save(update_fields=["is_staff"])
    client.force_login(facilitator)
    form = client.get(reverse("exercises:new")).content.decode()
    assert f'value="{latest.pk}"' in form
    assert f'value="{running.scenario_id}"' not in form
    refused = client.post(
        reverse("exercises:new"),
        {"scenario": running.scenario_id, "adjudication_mode": "automatic"},
    )
    assert refused.status_code == 200  # the form again, with its error
    assert Exercise.objects.filter(scenario=running.scenario).count() == 1
