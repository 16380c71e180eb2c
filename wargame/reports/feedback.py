"""Participant feedback (HSEEP's participant feedback form): the questions, the form, and
what the after-action report shows of the answers.

A scenario may bring its own questions (its file's `feedback:` list); otherwise every
participant answers the default set. A scale is answered 1 to 5. The report names a
participant only when they ask to be named; otherwise it gives neither name, role nor team.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wargame.exercises.models import Exercise
from wargame.lib.forms import TextField
from wargame.lib.languages import translated
from wargame.reports.models import FeedbackResponse
from wargame.reports.names import Names
from wargame.scenarios.models import FeedbackKind, Scenario

SCALE = range(1, 6)
TEXT_MAX_LENGTH = 5000
# The ends of the scale are named; the points between read as steps from one to the other.
SCALE_LABELS = {1: _("1 — not at all"), 2: "2", 3: "3", 4: "4", 5: _("5 — very")}


@dataclass(frozen=True)
class Question:
    """One question of the feedback form."""

    id: str
    kind: str  # FeedbackKind: "text" or "scale"
    prompt: str | Promise
    required: bool = False

    @property
    def is_scale(self) -> bool:
        return self.kind == FeedbackKind.SCALE


DEFAULT_QUESTIONS: tuple[Question, ...] = (
    Question("strengths", FeedbackKind.TEXT, _("What went well in the exercise?")),
    Question("improvements", FeedbackKind.TEXT, _("What should be improved?")),
    Question(
        "realism", FeedbackKind.SCALE, _("How realistic were the scenario and its events?"), True
    ),
    Question(
        "usefulness", FeedbackKind.SCALE, _("How useful was the exercise for your work?"), True
    ),
    Question("comments", FeedbackKind.TEXT, _("Any other comments?")),
)


def feedback_questions(scenario: Scenario) -> list[Question]:
    """The scenario's own questions, or the default set when it has none."""
    if not scenario.feedback:
        return list(DEFAULT_QUESTIONS)
    return [
        Question(
            id=item["id"],
            kind=item["kind"],
            prompt=translated(item["prompt"], item.get("translations", {}), "prompt"),
            required=bool(item.get("required", False)),
        )
        for item in scenario.feedback
    ]


# --- The form -----------------------------------------------------------------------------------


class FeedbackForm(forms.Form):
    """The questions in order, then the choice to be named in the report.

    A question's field is named `q_<id>`, so no question id can clash with `named`.
    """

    named = forms.BooleanField(
        label=_("Name me in the report"),
        required=False,
        help_text=_(
            "Left unticked, your answers appear in the after-action report without your "
            "name, role or team."
        ),
    )

    def __init__(
        self,
        questions: list[Question],
        data: Any = None,
        *,
        answers: dict[str, Any] | None = None,
        named: bool = False,
    ) -> None:
        """`answers` and `named` are the participant's earlier response, to edit."""
        initial: dict[str, Any] = {"named": named}
        for question in questions:
            if answers and question.id in answers:
                initial[field_name(question)] = answers[question.id]
        super().__init__(data, initial=initial)
        self.questions = questions
        question_fields = {field_name(q): _question_field(q) for q in questions}
        # The questions come first, the choice to be named last.
        self.fields = question_fields | {"named": self.fields["named"]}

    def answers(self) -> dict[str, str | int]:
        """The answers given, by question id; questions left blank are left out."""
        result: dict[str, str | int] = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value not in (None, ""):
                result[question.id] = value
        return result


def field_name(question: Question) -> str:
    return f"q_{question.id}"


def _question_field(question: Question) -> forms.Field:
    if question.is_scale:
        return forms.TypedChoiceField(
            label=question.prompt,
            choices=[(value, SCALE_LABELS[value]) for value in SCALE],
            coerce=int,
            empty_value=None,
            required=question.required,
            widget=forms.RadioSelect,
        )
    return TextField(
        label=question.prompt,
        required=question.required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- The report ---------------------------------------------------------------------------------


def feedback_for_report(exercise: Exercise, names: Names | None = None) -> dict[str, Any]:
    """The questions, every response in the order given, and per scale question the count,
    mean and distribution of its answers. Two queries at most, whatever the number of
    responses: the scenario (unless already loaded) and the responses with their people.

    A response names its participant (display name, role, nation) only if they asked to be
    named, and never in the anonymised copy; otherwise those three are None. Answers to
    questions the scenario no longer asks are left out. `names` names them (their own names
    by default).
    """
    names = names or Names()
    questions = feedback_questions(exercise.scenario)
    responses: list[dict[str, Any]] = []
    for response in (
        FeedbackResponse.objects.filter(exercise=exercise)
        .select_related("participant__user", "participant__team")
        .order_by("pk")
    ):
        participant = response.participant
        # The copy to distribute attributes no answer, even to a pseudonym: it is no-fault.
        named = response.named and not names.anonymous
        user = participant.user
        responses.append(
            {
                "name": names.of(user) if named else None,
                "role": participant.role if named else None,
                "team": participant.team.nation_code if named and participant.team else None,
                "answers": {
                    question.id: response.answers[question.id]
                    for question in questions
                    if question.id in response.answers
                },
            }
        )
    summary = {
        question.id: _scale_summary([r["answers"].get(question.id) for r in responses])
        for question in questions
        if question.is_scale
    }
    return {
        "questions": [
            {"id": question.id, "kind": str(question.kind), "prompt": str(question.prompt)}
            for question in questions
        ],
        "responses": responses,
        "summary": summary,
    }


def _scale_summary(values: list[Any]) -> dict[str, Any]:
    given = [
        value
        for value in values
        if isinstance(value, int) and not isinstance(value, bool) and value in SCALE
    ]
    return {
        "count": len(given),
        "mean": round(sum(given) / len(given), 1) if given else None,
        "distribution": {str(point): given.count(point) for point in SCALE},
    }


def feedback_by_question(feedback: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's feedback, question by question, as every format prints it: for a scale
    its count, mean and distribution; for a text question each answer with who gave it (None
    when anonymous)."""
    out = []
    for question in feedback["questions"]:
        entry: dict[str, Any] = {"id": question["id"], "kind": question["kind"],
                                 "prompt": question["prompt"]}  # fmt: skip
        if question["kind"] == "scale":
            entry["summary"] = feedback["summary"].get(question["id"])
        else:
            entry["answers"] = [
                {"text": r["answers"][question["id"]], "by": _attribution(r)}
                for r in feedback["responses"]
                if r["answers"].get(question["id"])
            ]
        out.append(entry)
    return out


def _attribution(response: dict[str, Any]) -> str | None:
    if response["name"] is None:
        return None
    return f"{response['name']} ({response['team']})" if response["team"] else response["name"]
