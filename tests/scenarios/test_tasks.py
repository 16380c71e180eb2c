"""Critical tasks: each objective of a scenario has two to four, as HSEEP's evaluation guides
do, each with the prompt an evaluator works from; checked like the rest of the file, kept
through loading and export, translated like every text."""

import pytest

from tests.conftest import MINIMAL, SHIPPED_SCENARIOS
from wargame.scenarios.fileformat import (
    ScenarioFileError,
    parse_scenario_file,
    parse_scenario_text,
    spec_to_yaml,
)
from wargame.scenarios.models import MAX_TASKS, MIN_TASKS, CriticalTask
from wargame.scenarios.selectors import scenario_spec
from wargame.scenarios.services import scenario_load

TASKS = """\
    tasks:
      - id: T1
        title: Agree who delivers relief where
        prompt: Did the affected state lead the allocation of relief?
      - id: T2
        title: Share the picture of needs
        prompt: Look for one shared list of needs, kept current.
"""
OBJECTIVE = "    capability: Operational coordination\n"


def with_tasks(tasks: str = TASKS, extra: str = "") -> str:
    """The minimal scenario with `tasks` in its first objective."""
    text = MINIMAL.read_text(encoding="utf-8")
    assert OBJECTIVE in text
    return text.replace(OBJECTIVE, OBJECTIVE + tasks, 1) + extra


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioFileError) as caught:
        parse_scenario_text(text, "minimal.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_tasks_are_read_and_written_back_equal() -> None:
    spec = parse_scenario_text(with_tasks(), "minimal.yaml")
    [t1, t2] = spec.objectives[0].tasks
    assert (t1.id, t1.title, t2.prompt) == (
        "T1",
        "Agree who delivers relief where",
        "Look for one shared list of needs, kept current.",
    )
    assert spec.objectives[1].tasks == ()  # a scenario written before tasks still loads
    assert parse_scenario_text(spec_to_yaml(spec), "again.yaml") == spec


@pytest.mark.parametrize(
    ("tasks", "expected"),
    [
        (
            "    tasks:\n      - {id: T1, title: Only one, prompt: Look.}\n",
            f"objectives[0].tasks: needs at least {MIN_TASKS}, has 1",
        ),
        (
            "    tasks:\n"
            + "".join(
                f"      - {{id: T{n}, title: Task {n}, prompt: Look.}}\n"
                for n in range(1, MAX_TASKS + 2)
            ),
            f"objectives[0].tasks: has {MAX_TASKS + 1}; at most {MAX_TASKS}",
        ),
        (
            "    tasks:\n      - {id: T1, title: One, prompt: Look.}\n"
            "      - {id: T1, title: Two, prompt: Look.}\n",
            "objectives[0].tasks[1].id: task T1 appears more than once",
        ),
        (
            "    tasks:\n      - {id: T1, title: One, prompt: Look.}\n"
            "      - {id: T2, title: Two}\n",
            "objectives[0].tasks[1].prompt: required",
        ),
    ],
    ids=["too few", "too many", "twice", "no prompt"],
)
def test_a_mistake_in_the_tasks_is_reported_at_its_line(tasks: str, expected: str) -> None:
    found = problems(with_tasks(tasks))
    assert any(expected in problem for problem in found), found
    assert all(problem.startswith("minimal.yaml:1") for problem in found), found


def test_a_translation_of_a_task_the_objective_lacks_is_a_mistake_at_its_line() -> None:
    extra = (
        "translations:\n  es:\n    objectives:\n      OBJ-1:\n        tasks:\n"
        "          T1:\n            title: Acordar quién entrega ayuda y dónde\n"
        "          T9:\n            title: Una tarea que no existe\n"
    )
    text = with_tasks(extra=extra)
    [problem] = problems(text)
    line = text.splitlines().index("          T9:") + 1
    assert problem.startswith(f"minimal.yaml:{line}: translations.es.objectives.OBJ-1.tasks.T9")
    assert "T9 is not a critical task of this objective" in problem


@pytest.mark.django_db
def test_tasks_and_their_translations_are_loaded_and_read_back() -> None:
    extra = (
        "translations:\n  es:\n    objectives:\n      OBJ-1:\n        tasks:\n"
        "          T1:\n            title: Acordar quién entrega ayuda y dónde\n"
        "            prompt: ¿Condujo el Estado afectado la asignación de la ayuda?\n"
    )
    spec = parse_scenario_text(with_tasks(extra=extra), "minimal.yaml")
    scenario = scenario_load(spec)
    tasks = CriticalTask.objects.filter(objective__scenario=scenario).order_by("position")
    assert [t.code for t in tasks] == ["T1", "T2"]
    assert tasks[0].translations == {
        "es": {
            "title": "Acordar quién entrega ayuda y dónde",
            "prompt": "¿Condujo el Estado afectado la asignación de la ayuda?",
        }
    }
    assert scenario_spec(scenario) == spec
    # Loaded again without a task: the task goes, the other stays.
    fewer = (
        TASKS.split("      - id: T2")[0]
        + "      - id: T3\n        title: New\n        prompt: P.\n"
    )
    newer = scenario_load(parse_scenario_text(with_tasks(fewer), "minimal.yaml"))
    again = CriticalTask.objects.filter(objective__scenario=newer)
    assert sorted(again.values_list("code", flat=True)) == ["T1", "T3"]
    assert [t.code for t in tasks] == ["T1", "T2"]  # the version before keeps its own


def test_every_objective_of_the_shipped_scenarios_has_its_critical_tasks_in_every_language() -> (
    None
):
    for path in SHIPPED_SCENARIOS:
        spec = parse_scenario_file(path)
        for objective in spec.objectives:
            assert MIN_TASKS <= len(objective.tasks) <= MAX_TASKS, (path.name, objective.id)
            for task in objective.tasks:
                for language in ("es", "pt-br"):
                    texts = task.translations.get(language, {})
                    assert texts.get("title") and texts.get("prompt"), (
                        path.name, objective.id, task.id, language,
                    )  # fmt: skip
