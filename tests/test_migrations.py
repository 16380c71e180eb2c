"""The migrations describe the models exactly."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        pytest.fail(f"models and migrations differ (exit {exc.code}):\n{out.getvalue()}")


@pytest.mark.django_db(transaction=True)
def test_scenarios_loaded_before_versions_become_version_1() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("scenarios", "0002_scenario_feedback")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("scenarios", "Scenario")
    values = {
        "title": "Loaded long ago", "summary": "s", "briefing": "b", "turns": 2,
        "game_time_per_turn": "1 day", "minutes_per_turn": 10,
    }  # fmt: skip
    old.objects.create(slug="long-ago", **values)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from wargame.scenarios.models import Scenario

    assert Scenario.objects.get(slug="long-ago").version == 1
    # From now on a slug is unique per version only.
    Scenario.objects.create(slug="long-ago", version=2, **values)
    assert Scenario.objects.filter(slug="long-ago").count() == 2
