"""load_scenario and export_scenario: loading by slug, all-or-nothing, and the round trip."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.conftest import MINIMAL, REPO, SCENARIO_DIR, SHIPPED_SCENARIOS
from wargame.scenarios.catalogue import catalogue
from wargame.scenarios.fileformat import parse_scenario_file, parse_scenario_text
from wargame.scenarios.models import (
    ActionType,
    InjectTemplate,
    Objective,
    Scenario,
    ScenarioNation,
    ScenarioTrust,
)
from wargame.scenarios.selectors import scenario_spec

PROBLEM_LINE = re.compile(r"^[^:\n]+:\d+: \S[^:]*: .+$")


def run_command(*args: str) -> tuple[int, str, str]:
    """Run a management command as a user would, catching its exit status."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def table_counts() -> dict[str, int]:
    models = [Scenario, Objective, ScenarioNation, ScenarioTrust, InjectTemplate]
    return {model.__name__: model.objects.count() for model in models} | {
        "actions": Scenario.actions.through.objects.count(),
        "nation objectives": ScenarioNation.objectives.through.objects.count(),
    }


@pytest.mark.django_db
def test_every_shipped_scenario_loads_and_matches_its_file() -> None:
    status, out, err = run_command("load_scenario", str(SCENARIO_DIR))
    assert (status, err) == (0, "")
    assert Scenario.objects.count() == len(SHIPPED_SCENARIOS) >= 3
    for path in SHIPPED_SCENARIOS:
        spec = parse_scenario_file(path)
        assert scenario_spec(Scenario.objects.get(slug=spec.slug)) == spec
        assert f"loaded {spec.slug}" in out


@pytest.mark.django_db
def test_loading_twice_updates_in_place() -> None:
    run_command("load_scenario", str(MINIMAL))
    first = {
        "scenario": Scenario.objects.get().pk,
        "injects": set(InjectTemplate.objects.values_list("pk", flat=True)),
    }
    counts = table_counts()
    run_command("load_scenario", str(MINIMAL))
    assert table_counts() == counts
    assert Scenario.objects.get().pk == first["scenario"]
    assert set(InjectTemplate.objects.values_list("pk", flat=True)) == first["injects"]


@pytest.mark.django_db
def test_reloading_a_changed_file_adds_a_version_and_keeps_the_first(tmp_path: Path) -> None:
    run_command("load_scenario", str(MINIMAL))
    first = Scenario.objects.get()
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("title: Hurricane Elena makes landfall", "title: Elena strikes Jacmel")
    text = text[: text.index("  - id: M-02")]  # M-02 removed
    changed = tmp_path / "minimal.yaml"
    changed.write_text(text, encoding="utf-8")
    status, _out, err = run_command("load_scenario", str(changed))
    assert (status, err) == (0, "")
    second = Scenario.objects.get(version=2)
    assert list(second.injects.values_list("code", "title")) == [("M-01", "Elena strikes Jacmel")]
    assert scenario_spec(second) == parse_scenario_file(changed)
    assert scenario_spec(first) == parse_scenario_file(MINIMAL)
    assert second.changes == [
        {"part": "inject", "code": "M-01", "change": "changed", "fields": ["title"]},
        {"part": "inject", "code": "M-02", "change": "removed", "fields": []},
    ]


@pytest.mark.django_db
def test_check_validates_and_writes_nothing() -> None:
    status, out, _err = run_command("load_scenario", "--check", str(MINIMAL))
    assert status == 0
    assert "minimal.yaml: ok (minimal, 2 nations, 4 turns, 2 injects)" in out
    assert Scenario.objects.count() == 0


@pytest.mark.django_db
def test_an_expected_action_that_does_not_fit_the_inject_is_warned_with_its_line(
    tmp_path: Path,
) -> None:
    """An inject of a health emergency answered by intelligence sharing: the file loads, and
    the command says where the action does not fit, and which actions would."""
    text = MINIMAL.read_text(encoding="utf-8").replace("kind: hurricane", "kind: disease_outbreak")
    text = text.replace("expected_actions: [hadr]", "expected_actions: [hadr, intel_sharing]")
    path = tmp_path / "misfit.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    expected_actions: [hadr, intel_sharing]") + 1
    status, out, err = run_command("load_scenario", str(path))
    assert status == 0 and "loaded minimal" in out
    assert err.splitlines() == [
        f"warning: {path}:{line}: injects[0].expected_actions: intel_sharing does not answer a "
        "disease_outbreak inject; actions that do: hadr, public_statement"
    ]
    assert Scenario.objects.filter(slug="minimal").exists()


def test_border_security_is_no_answer_to_a_health_emergency() -> None:
    answers = {action.code: action.answers for action in catalogue()}
    assert "disease_outbreak" not in answers["border_security"]
    assert "disease_outbreak" in answers["hadr"]


@pytest.mark.django_db
def test_one_bad_file_means_nothing_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        MINIMAL.read_text(encoding="utf-8")
        .replace("slug: minimal", "slug: other")
        .replace("turn: 3", "turn: 12")
        .replace("    severity: 4", "    severity: 9"),
        encoding="utf-8",
    )
    before = table_counts()
    status, out, err = run_command("load_scenario", str(MINIMAL), str(bad))
    assert status == 1
    assert table_counts() == before
    assert "loaded" not in out
    lines = err.splitlines()
    assert lines == [
        f"{bad}:38: injects[0].severity: 9 is outside 1..5",
        f"{bad}:42: injects[1].turn: 12 is after the last turn (4)",
    ]
    assert all(PROBLEM_LINE.match(line) for line in lines)


@pytest.mark.django_db
def test_two_files_with_the_same_slug_are_refused(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    status, _out, err = run_command("load_scenario", str(MINIMAL), str(copy))
    assert status == 1
    assert err.strip() == f"{copy}:2: slug: minimal is also the slug of {MINIMAL}"
    assert Scenario.objects.count() == 0
    with translation.override("es"):
        err = run_command("load_scenario", str(MINIMAL), str(copy))[2]
    assert err.strip() == f"{copy}:2: slug: minimal también es el identificador de {MINIMAL}"


@pytest.mark.django_db
def test_export_loads_back_to_an_equal_scenario(tmp_path: Path) -> None:
    run_command("load_scenario", str(SCENARIO_DIR), str(MINIMAL))
    for scenario in Scenario.objects.all():
        original = scenario_spec(scenario)
        status, exported, _err = run_command("export_scenario", scenario.slug)
        assert status == 0
        assert parse_scenario_text(exported, "export.yaml") == original
        path = tmp_path / f"{scenario.slug}.yaml"
        path.write_text(exported, encoding="utf-8")
        assert run_command("load_scenario", str(path))[0] == 0
        assert scenario_spec(Scenario.objects.get(slug=scenario.slug)) == original


@pytest.mark.django_db
def test_export_of_an_unknown_slug_is_a_clear_error() -> None:
    with pytest.raises(Exception, match="no scenario with the slug 'nope'"):
        call_command("export_scenario", "nope", stdout=io.StringIO())


@pytest.mark.django_db
def test_action_catalogue_is_in_the_database_after_migrate() -> None:
    codes = list(ActionType.objects.values_list("code", flat=True))
    assert codes == [
        "hadr", "joint_exercise", "intel_sharing", "maritime_patrol", "border_security",
        "oas_mediation", "un_peacekeeping", "cyber_cooperation", "defense_industry",
        "training_exchange", "public_statement", "request_assistance",
        "consent_with_conditions", "decline_assistance", "legislative_authorisation",
        "shiprider", "status_of_forces",
    ]  # fmt: skip
    mechanisms = dict(ActionType.objects.values_list("code", "mechanism"))
    assert (mechanisms["oas_mediation"], mechanisms["un_peacekeeping"]) == ("OAS", "UN")
    assert mechanisms["training_exchange"] == "IADB"


def test_problems_go_to_stderr_with_status_1_and_no_traceback(tmp_path: Path) -> None:
    """The command as a shell runs it: exit status, stderr lines, no traceback."""
    bad = tmp_path / "x.yaml"
    bad.write_text(
        MINIMAL.read_text(encoding="utf-8").replace("turn: 3", "turn: 12"), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "load_scenario", "--check", str(bad)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"{bad}:42: injects[1].turn: 12 is after the last turn (4)"
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_removing_an_objective_an_exercise_observed_adds_a_version(
    exercise, tmp_path: Path
) -> None:
    from wargame.reports.models import Observation

    observation = Observation.objects.create(
        exercise=exercise,
        objective=Objective.objects.get(code="OBJ-2"),
        kind=Observation.Kind.STRENGTH,
        text="Haiti shared radar tracks within the hour.",
    )
    original = scenario_spec(exercise.scenario)
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace(
        "  - id: OBJ-2\n    title: Share information on traffickers\n"
        "    capability: Intelligence and information sharing\n",
        "",
    ).replace("[OBJ-2, OBJ-1]", "[OBJ-1]")
    changed = tmp_path / "minimal.yaml"
    changed.write_text(text, encoding="utf-8")
    status, out, err = run_command("load_scenario", str(changed))
    assert (status, err) == (0, "")
    assert "loaded minimal (version 2;" in out
    newer = Scenario.objects.get(slug="minimal", version=2)
    assert scenario_spec(newer) == parse_scenario_file(changed)
    # The exercise's version, and the objective its observation rates, are as they were.
    assert scenario_spec(Scenario.objects.get(pk=exercise.scenario_id)) == original
    observation.refresh_from_db()
    assert observation.objective.code == "OBJ-2"
    assert observation.objective.scenario_id == exercise.scenario_id
