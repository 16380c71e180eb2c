"""Participant feedback: who may give it and when, what is kept, and what the report shows."""

import re
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from wargame.exercises.errors import NotAllowed, WrongState
from wargame.exercises.models import Event, Exercise, Participant, Role
from wargame.exercises.services import participant_add
from wargame.reports.feedback import (
    DEFAULT_QUESTIONS,
    FeedbackForm,
    feedback_for_report,
    feedback_questions,
)
from wargame.reports.models import FeedbackResponse
from wargame.reports.services.feedback import AnswersRefused, feedback_submit
from wargame.turns.services import exercise_end, exercise_start

User = get_user_model()


@dataclass(frozen=True)
class Seats:
    """Everyone who may knock on the feedback page of an exercise."""

    exercise: Exercise
    facilitator: AbstractBaseUser
    evaluator: AbstractBaseUser
    player: AbstractBaseUser  # Dominican Republic
    other_player: AbstractBaseUser  # Haiti
    stranger: AbstractBaseUser  # staff, but no seat in this exercise

    def participant(self, user: AbstractBaseUser) -> Participant:
        return Participant.objects.get(exercise=self.exercise, user=user)

    @property
    def url(self) -> str:
        return reverse("exercises:feedback", args=[self.exercise.code])


def seats_in(exercise: Exercise) -> Seats:
    facilitator = exercise.participants.get(role=Role.FACILITATOR).user
    evaluator = User.objects.create_user("feedback-evaluator", first_name="Eva")
    player = User.objects.create_user("feedback-dom", first_name="Ana")
    other = User.objects.create_user("feedback-hti")  # no first name: shown by username
    participant_add(actor=None, exercise=exercise, user=evaluator, role=Role.EVALUATOR)
    for user, code in ((player, "DOM"), (other, "HTI")):
        team = exercise.teams.get(nation_code=code)
        participant_add(actor=None, exercise=exercise, user=user, role=Role.PLAYER, team=team)
    stranger = User.objects.create_user("feedback-stranger", is_staff=True)
    return Seats(exercise, facilitator, evaluator, player, other, stranger)


@pytest.fixture
def open_seats(exercise: Exercise) -> Seats:
    """The minimal scenario (the default questions), its exercise still running."""
    seats = seats_in(exercise)
    exercise_start(actor=seats.facilitator, exercise=exercise)
    exercise.refresh_from_db()
    return seats


@pytest.fixture
def seats(open_seats: Seats) -> Seats:
    """The same exercise, ended: the feedback form is open."""
    exercise_end(actor=open_seats.facilitator, exercise=open_seats.exercise, reason="Time is up.")
    open_seats.exercise.refresh_from_db()
    return open_seats


def client_for(user: AbstractBaseUser | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def submit(seats: Seats, user: AbstractBaseUser, answers: dict, named: bool = False):
    return feedback_submit(
        actor=user,
        exercise=seats.exercise,
        participant=seats.participant(user),
        answers=answers,
        named=named,
    )


def is_checked(page: str, name: str, value: str | None = None) -> bool:
    """Whether the page's input with this name (and value) is ticked."""
    for tag in re.findall(r"<input [^>]*>", page):
        if f'name="{name}"' in tag and (value is None or f'value="{value}"' in tag):
            return " checked" in tag
    raise AssertionError(f"no input {name}={value} on the page")


GOOD_POST = {
    "q_strengths": "The OAS channel was used early.",
    "q_improvements": "Share the maritime picture sooner.",
    "q_realism": "4",
    "q_usefulness": "5",
    "q_comments": "",
}


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_participant_may_open_the_form_and_no_one_else(seats: Seats) -> None:
    for user in (seats.facilitator, seats.evaluator, seats.player):
        response = client_for(user).get(seats.url)
        assert response.status_code == 200, user
        assert b'name="q_realism"' in response.content
    assert client_for(seats.stranger).get(seats.url).status_code == 403
    anonymous = client_for().get(seats.url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    missing = reverse("exercises:feedback", args=["no-such-exercise"])
    assert client_for(seats.player).get(missing).status_code == 404


@pytest.mark.django_db
def test_a_stranger_cannot_post_feedback(seats: Seats) -> None:
    assert client_for(seats.stranger).post(seats.url, GOOD_POST).status_code == 403
    assert client_for().post(seats.url, GOOD_POST).status_code == 302
    assert not FeedbackResponse.objects.exists()


@pytest.mark.django_db
def test_every_role_can_submit_feedback(seats: Seats) -> None:
    for user in (seats.facilitator, seats.evaluator, seats.player):
        response = client_for(user).post(seats.url, GOOD_POST)
        assert response.status_code == 302, user
        assert response["Location"] == seats.url
    roles = sorted(r.participant.role for r in FeedbackResponse.objects.all())
    assert roles == ["evaluator", "facilitator", "player"]


@pytest.mark.django_db
def test_a_player_submits_then_sees_their_answers_ready_to_edit(seats: Seats) -> None:
    client = client_for(seats.player)
    page = client.get(seats.url).content.decode()
    assert not is_checked(page, "named")  # anonymous unless they ask
    assert not any(is_checked(page, "q_realism", str(value)) for value in range(1, 6))
    assert "Send my feedback" in page

    response = client.post(seats.url, GOOD_POST | {"named": "on"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(seats.url, 302)]
    assert "Thank you for your feedback" in page
    assert "Share the maritime picture sooner." in page
    assert is_checked(page, "q_realism", "4") and not is_checked(page, "q_realism", "5")
    assert is_checked(page, "named")
    assert "Update my feedback" in page
    saved = FeedbackResponse.objects.get()
    assert saved.participant == seats.participant(seats.player)
    assert saved.answers == {
        "strengths": "The OAS channel was used early.",
        "improvements": "Share the maritime picture sooner.",
        "realism": 4,
        "usefulness": 5,
    }
    assert saved.named is True


@pytest.mark.django_db
def test_before_the_end_the_form_is_closed_and_a_post_is_refused_visibly(
    open_seats: Seats,
) -> None:
    client = client_for(open_seats.player)
    page = client.get(open_seats.url)
    assert page.status_code == 200
    assert b"The feedback form opens when the exercise ends." in page.content
    assert b'name="q_realism"' not in page.content

    refused = client.post(open_seats.url, GOOD_POST)
    assert refused.status_code == 422
    assert b'class="error" role="alert">The feedback form opens when the exercise has ended.' in (
        refused.content
    )
    assert not FeedbackResponse.objects.exists()
    assert not Event.objects.filter(kind="feedback.submitted").exists()
    with pytest.raises(WrongState):
        submit(open_seats, open_seats.player, {"realism": 4, "usefulness": 4})


@pytest.mark.django_db
def test_the_team_room_invites_players_to_give_feedback_once_the_exercise_ends(
    open_seats: Seats,
) -> None:
    room = reverse("exercises:team", args=[open_seats.exercise.code, "DOM"])
    client = client_for(open_seats.player)
    assert open_seats.url.encode() not in client.get(room).content
    exercise_end(actor=open_seats.facilitator, exercise=open_seats.exercise, reason="Time is up.")
    page = client.get(room).content.decode()
    assert f'<a href="{open_seats.url}">Give your feedback</a>' in page


# --- Submitting --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submitting_again_updates_the_one_response(seats: Seats) -> None:
    first = submit(seats, seats.player, {"strengths": "Fast relief.", "realism": 2,
                                         "usefulness": 3})  # fmt: skip
    second = submit(seats, seats.player, {"realism": 5, "usefulness": 4}, named=True)
    assert FeedbackResponse.objects.count() == 1
    assert second.pk == first.pk
    second.refresh_from_db()
    assert second.answers == {"realism": 5, "usefulness": 4}
    assert second.named is True
    assert second.updated_at >= second.submitted_at
    assert Event.objects.filter(kind="feedback.submitted").count() == 2


@pytest.mark.django_db
def test_answers_to_unknown_questions_are_dropped(seats: Seats) -> None:
    response = submit(
        seats, seats.player,
        {"realism": 3, "usefulness": "4", "favourite_team": "HTI", "comments": "  "},
    )  # fmt: skip
    assert response.answers == {"realism": 3, "usefulness": 4}
    client_for(seats.evaluator).post(seats.url, GOOD_POST | {"q_mood": "great", "mood": "x"})
    evaluator_response = FeedbackResponse.objects.get(participant__user=seats.evaluator)
    assert set(evaluator_response.answers) == {"strengths", "improvements", "realism", "usefulness"}


@pytest.mark.django_db
def test_required_questions_must_be_answered(seats: Seats) -> None:
    post = GOOD_POST | {"q_realism": ""}
    response = client_for(seats.player).post(seats.url, post)
    assert response.status_code == 422
    page = response.content.decode()
    assert "This field is required." in page
    assert "Some answers need another look" in page
    assert "Share the maritime picture sooner." in page  # what was typed is kept
    assert is_checked(page, "q_usefulness", "5")
    assert not FeedbackResponse.objects.exists()
    with pytest.raises(AnswersRefused, match="How realistic"):
        submit(seats, seats.player, {"usefulness": 4})


@pytest.mark.django_db
def test_a_scale_answer_outside_one_to_five_is_refused(seats: Seats) -> None:
    response = client_for(seats.player).post(seats.url, GOOD_POST | {"q_realism": "7"})
    assert response.status_code == 422
    assert not FeedbackResponse.objects.exists()
    for wrong in (0, 6, "high", True):
        with pytest.raises(AnswersRefused):
            submit(seats, seats.player, {"realism": wrong, "usefulness": 3})


@pytest.mark.django_db
def test_only_the_participant_gives_their_own_feedback(seats: Seats) -> None:
    with pytest.raises(NotAllowed):
        feedback_submit(
            actor=seats.facilitator, exercise=seats.exercise,
            participant=seats.participant(seats.player), answers={}, named=False,
        )  # fmt: skip
    assert not FeedbackResponse.objects.exists()


# --- Questions -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_scenario_without_questions_asks_the_default_set(seats: Seats) -> None:
    questions = feedback_questions(seats.exercise.scenario)
    assert [q.id for q in questions] == [
        "strengths", "improvements", "realism", "usefulness", "comments",
    ]  # fmt: skip
    assert [q.kind for q in questions] == ["text", "text", "scale", "scale", "text"]
    assert questions == list(DEFAULT_QUESTIONS)
    form = FeedbackForm(questions)
    assert list(form.fields) == [
        "q_strengths", "q_improvements", "q_realism", "q_usefulness", "q_comments", "named",
    ]  # fmt: skip
    assert [label for _value, label in form.fields["q_realism"].choices] == [
        "1 — not at all", "2", "3", "4", "5 — very",
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_scenario_with_its_own_questions_asks_those(played: Exercise) -> None:
    questions = feedback_questions(played.scenario)
    assert "regional-mechanisms" in [q.id for q in questions]
    seats = seats_in(played)
    page = client_for(seats.player).get(seats.url).content.decode()
    assert "How well did the regional mechanisms (OAS, CDEMA, UN OCHA, PAHO, the IADB)" in page
    assert "What went well in the exercise?" not in page
    response = client_for(seats.player).post(
        seats.url,
        {"q_regional-mechanisms": "4", "q_realism": "3", "q_usefulness": "5",
         "q_strengths": "CDEMA's coordination cell."},
    )  # fmt: skip
    assert response.status_code == 302
    assert FeedbackResponse.objects.get().answers == {
        "strengths": "CDEMA's coordination cell.",
        "regional-mechanisms": 4,
        "realism": 3,
        "usefulness": 5,
    }


# --- The report ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_report_hides_who_answered_unless_they_asked_to_be_named(seats: Seats) -> None:
    submit(seats, seats.player, {"strengths": "Named praise.", "realism": 4, "usefulness": 4},
           named=True)  # fmt: skip
    submit(seats, seats.other_player, {"strengths": "Quiet praise.", "realism": 2,
                                       "usefulness": 3})  # fmt: skip
    submit(seats, seats.evaluator, {"realism": 5, "usefulness": 5}, named=True)
    report = feedback_for_report(seats.exercise)
    assert report["responses"] == [
        {
            "name": "Ana",
            "role": "player",
            "team": "DOM",
            "answers": {"strengths": "Named praise.", "realism": 4, "usefulness": 4},
        },
        {
            "name": None,
            "role": None,
            "team": None,
            "answers": {"strengths": "Quiet praise.", "realism": 2, "usefulness": 3},
        },
        {"name": "Eva", "role": "evaluator", "team": None,
         "answers": {"realism": 5, "usefulness": 5}},
    ]  # fmt: skip
    events = Event.objects.filter(kind="feedback.submitted")
    assert events.count() == 3
    assert all(e.actor_id is None and e.team_id is None and e.payload == {} for e in events)


@pytest.mark.django_db
def test_a_named_participant_without_a_first_name_is_shown_by_username(seats: Seats) -> None:
    submit(seats, seats.other_player, {"realism": 3, "usefulness": 3}, named=True)
    (response,) = feedback_for_report(seats.exercise)["responses"]
    assert (response["name"], response["role"], response["team"]) == (
        "feedback-hti", "player", "HTI",
    )  # fmt: skip


@pytest.mark.django_db
def test_the_report_sums_up_each_scale_question(seats: Seats) -> None:
    submit(seats, seats.player, {"realism": 5, "usefulness": 3})
    submit(seats, seats.other_player, {"realism": 4, "usefulness": 2})
    submit(seats, seats.evaluator, {"realism": 4, "usefulness": 2})
    report = feedback_for_report(seats.exercise)
    assert report["questions"][2] == {
        "id": "realism",
        "kind": "scale",
        "prompt": "How realistic were the scenario and its events?",
    }
    assert [q["id"] for q in report["questions"]] == [
        "strengths", "improvements", "realism", "usefulness", "comments",
    ]  # fmt: skip
    assert report["summary"] == {
        "realism": {
            "count": 3,
            "mean": 4.3,
            "distribution": {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1},
        },
        "usefulness": {
            "count": 3,
            "mean": 2.3,
            "distribution": {"1": 0, "2": 2, "3": 1, "4": 0, "5": 0},
        },
    }


@pytest.mark.django_db
def test_with_no_responses_the_summary_counts_none(seats: Seats) -> None:
    report = feedback_for_report(seats.exercise)
    assert report["responses"] == []
    assert report["summary"]["realism"] == {
        "count": 0,
        "mean": None,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
    }


@pytest.mark.django_db
def test_the_report_reads_feedback_in_a_constant_number_of_queries(
    seats: Seats, django_assert_num_queries
) -> None:
    submit(seats, seats.player, {"realism": 5, "usefulness": 3}, named=True)
    exercise = Exercise.objects.get(pk=seats.exercise.pk)
    with django_assert_num_queries(2):  # the scenario, the responses with their people
        feedback_for_report(exercise)
    submit(seats, seats.other_player, {"realism": 4, "usefulness": 2}, named=True)
    submit(seats, seats.evaluator, {"realism": 4, "usefulness": 2}, named=True)
    submit(seats, seats.facilitator, {"realism": 1, "usefulness": 1})
    exercise = Exercise.objects.get(pk=seats.exercise.pk)
    with django_assert_num_queries(2):
        assert len(feedback_for_report(exercise)["responses"]) == 4


@pytest.mark.django_db
def test_the_page_takes_a_constant_number_of_queries(
    played: Exercise,
    django_assert_max_num_queries,
) -> None:
    seats = seats_in(played)
    client = client_for(seats.player)
    client.get(seats.url)  # the session is warm
    # The session, the user, the exercise with its scenario, the seat, the earlier response.
    with django_assert_max_num_queries(5):
        assert client.get(seats.url).status_code == 200
    for user in (seats.facilitator, seats.evaluator, seats.other_player):
        submit(seats, user, {"realism": 3, "usefulness": 3, "regional-mechanisms": 2})
    client.post(seats.url, {"q_realism": "4", "q_usefulness": "4", "q_regional-mechanisms": "3"})
    with django_assert_max_num_queries(5):
        assert client.get(seats.url).status_code == 200
