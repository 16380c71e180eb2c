"""The `feedback:` list of a scenario file: the questions of the participant feedback form."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tests.conftest import MINIMAL, SCENARIO_DIR, SHIPPED_SCENARIOS
from wargame.scenarios.fileformat import (
    FeedbackQuestionSpec,
    ScenarioFileError,
    parse_scenario_file,
    parse_scenario_text,
    spec_to_yaml,
)
from wargame.scenarios.models import Scenario, validate_feedback_questions
from wargame.scenarios.selectors import scenario_latest, scenario_spec
from wargame.scenarios.services import scenario_load

SOURCE = "scenarios/x.yaml"

# Appended to the minimal file, whose last line is 50: `feedback:` is line 51.
FEEDBACK = """\
feedback:
  - id: mechanisms
    kind: scale
    prompt: How well did the regional mechanisms (OAS, CDEMA) work?
    required: true
  - id: lessons_learned
    kind: text
    prompt: What will you take back to your ministry?
"""


def with_feedback(feedback: str = FEEDBACK) -> str:
    return MINIMAL.read_text(encoding="utf-8") + feedback


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioFileError) as caught:
        parse_scenario_text(text, SOURCE)
    return [str(problem) for problem in caught.value.problems]


def test_a_valid_feedback_list_loads_in_order_with_defaults() -> None:
    spec = parse_scenario_text(with_feedback(), SOURCE)
    assert spec.feedback == (
        FeedbackQuestionSpec(
            id="mechanisms",
            kind="scale",
            prompt="How well did the regional mechanisms (OAS, CDEMA) work?",
            required=True,
        ),
        FeedbackQuestionSpec(
            id="lessons_learned",
            kind="text",
            prompt="What will you take back to your ministry?",
            required=False,
        ),
    )


@pytest.mark.parametrize("feedback", ["", "feedback: []\n"], ids=["absent", "empty"])
def test_no_feedback_list_means_the_default_questions(feedback: str) -> None:
    assert parse_scenario_text(with_feedback(feedback), SOURCE).feedback == ()


# (replace this, with this) in FEEDBACK -> the problems expected.
MISTAKES = [
    pytest.param(
        ("kind: scale", "kind: stars"),
        ["scenarios/x.yaml:53: feedback[0].kind: 'stars' is not one of: text, scale"],
        id="bad-kind",
    ),
    pytest.param(
        ("id: lessons_learned", "id: mechanisms"),
        ["scenarios/x.yaml:56: feedback[1].id: question mechanisms appears more than once"],
        id="duplicate-id",
    ),
    pytest.param(
        ("    prompt: What will you take back to your ministry?\n", ""),
        ["scenarios/x.yaml:56: feedback[1].prompt: required"],
        id="missing-prompt",
    ),
    pytest.param(
        ("prompt: What will you take back to your ministry?", "prompt: ''"),
        ["scenarios/x.yaml:58: feedback[1].prompt: must not be empty"],
        id="empty-prompt",
    ),
    pytest.param(
        ("id: lessons_learned", "id: Lessons Learned"),
        [
            "scenarios/x.yaml:56: feedback[1].id: 'Lessons Learned' must be lower-case letters "
            "and digits, joined by single '-' or '_'"
        ],
        id="bad-id",
    ),
    pytest.param(
        ("  - id: lessons_learned\n    kind: text\n", "  - kind: text\n"),
        ["scenarios/x.yaml:56: feedback[1].id: required"],
        id="missing-id",
    ),
    pytest.param(
        ("required: true", "required: sometimes"),
        ["scenarios/x.yaml:55: feedback[0].required: must be true or false, not text"],
        id="required-not-boolean",
    ),
    pytest.param(
        ("    prompt: What will", "    promt: What will"),
        [
            "scenarios/x.yaml:56: feedback[1].prompt: required",
            "scenarios/x.yaml:58: feedback[1].promt: unknown field; did you mean 'prompt'?",
        ],
        id="unknown-field",
    ),
    pytest.param(
        (FEEDBACK, "feedback: strengths\n"),
        ["scenarios/x.yaml:51: feedback: must be a list, not text"],
        id="not-a-list",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), MISTAKES)
def test_a_mistake_is_reported_with_file_line_and_field(
    edit: tuple[str, str], expected: list[str]
) -> None:
    old, new = edit
    assert FEEDBACK.count(old) == 1
    assert problems_of(with_feedback(FEEDBACK.replace(old, new))) == expected


def test_written_yaml_reads_back_with_the_same_questions() -> None:
    spec = parse_scenario_text(with_feedback(), SOURCE)
    written = spec_to_yaml(spec)
    assert "feedback:" in written
    assert parse_scenario_text(written, SOURCE) == spec


def test_a_scenario_with_the_default_questions_is_written_without_a_feedback_list() -> None:
    spec = parse_scenario_file(MINIMAL)
    assert "feedback" not in spec_to_yaml(spec)


@pytest.mark.django_db
def test_load_export_load_gives_the_same_scenario(tmp_path) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text(with_feedback(), encoding="utf-8")
    call_command("load_scenario", str(path), stdout=io.StringIO())
    scenario = Scenario.objects.get(slug="minimal")
    assert scenario.feedback == [
        {
            "id": "mechanisms",
            "kind": "scale",
            "prompt": "How well did the regional mechanisms (OAS, CDEMA) work?",
            "required": True,
        },
        {
            "id": "lessons_learned",
            "kind": "text",
            "prompt": "What will you take back to your ministry?",
            "required": False,
        },
    ]
    out = io.StringIO()
    call_command("export_scenario", "minimal", stdout=out)
    exported = tmp_path / "exported.yaml"
    exported.write_text(out.getvalue(), encoding="utf-8")
    assert parse_scenario_file(exported) == parse_scenario_file(path)
    call_command("load_scenario", str(exported), stdout=io.StringIO())
    assert scenario_spec(scenario_latest("minimal")) == parse_scenario_file(path)


@pytest.mark.django_db
def test_loading_a_file_without_the_list_again_returns_to_the_default_questions() -> None:
    scenario_load(parse_scenario_text(with_feedback(), SOURCE))
    scenario_load(parse_scenario_file(MINIMAL))
    assert scenario_latest("minimal").feedback == []


def test_one_shipped_scenario_asks_its_own_questions_the_others_the_default_set() -> None:
    own = {path.stem: parse_scenario_file(path).feedback for path in SHIPPED_SCENARIOS}
    storm = own.pop("caribbean-storm")
    assert {q.id for q in storm} >= {"strengths", "improvements", "realism", "usefulness"}
    mechanisms = next(q for q in storm if q.id == "regional-mechanisms")
    assert mechanisms.kind == "scale" and "CDEMA" in mechanisms.prompt
    assert all(questions == () for questions in own.values())
    assert (SCENARIO_DIR / "caribbean-storm.yaml") in SHIPPED_SCENARIOS


@pytest.mark.django_db
def test_questions_edited_in_the_admin_are_checked_like_the_file() -> None:
    scenario = scenario_load(parse_scenario_text(with_feedback(), SOURCE))
    validate_feedback_questions(scenario.feedback)
    good = {"id": "ok", "kind": "text", "prompt": "Why?"}
    for wrong in (
        {"questions": []},
        [good | {"kind": "stars"}],
        [good, good],
        [good | {"id": "Not A Slug"}],
        [{"id": "ok", "kind": "text"}],
        [good | {"prompt": "x" * 301}],
        [good | {"required": "yes"}],
        [good | {"colour": "red"}],
    ):
        with pytest.raises(ValidationError):
            validate_feedback_questions(wrong)
