"""The hotwash: who may open and change it, ratings, the executive summary, the improvement
plan, the HTMX regions, and page queries that do not grow with the exercise."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories.exercises import synthetic_exercise
from tests.factories.scenarios import synthetic_spec
from wargame.exercises.errors import ExerciseError, NotAllowed
from wargame.exercises.models import Event, Exercise, Role
from wargame.exercises.services import exercise_create, participant_add
from wargame.reports.builder import report_data
from wargame.reports.forms import ImprovementItemForm
from wargame.reports.model import report_for
from wargame.reports.models import (
    ExecutiveSummary,
    ImprovementItem,
    ObjectiveRating,
    Observation,
)
from wargame.reports.selectors import rating_proposals
from wargame.reports.services.hotwash import improvement_item_save, rating_confirm, summary_save
from wargame.scenarios.models import Objective, Scenario
from wargame.scenarios.services import scenario_load

pytestmark = pytest.mark.django_db
User = get_user_model()


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def htmx(target: str | None = None) -> dict[str, str]:
    headers = {"HTTP_HX_REQUEST": "true"}
    if target:
        headers["HTTP_HX_TARGET"] = target
    return headers


@pytest.fixture
def seats(played: Exercise) -> dict:
    people = {"anon": None}
    for name, role, code in (("evaluator", Role.EVALUATOR, None), ("player", Role.PLAYER, "HTI")):
        user = User.objects.create_user(f"hotwash-{name}", first_name=name.title())
        team = played.teams.get(nation_code=code) if code else None
        participant_add(actor=None, exercise=played, user=user, role=role, team=team)
        people[name] = user
    people["facilitator"] = played.participants.get(role=Role.FACILITATOR).user
    people["stranger"] = User.objects.create_user("hotwash-stranger", is_staff=True)
    return people


def improvement(exercise: Exercise, text: str, objective: Objective | None = None) -> Observation:
    return Observation.objects.create(
        exercise=exercise, objective=objective, kind=Observation.Kind.IMPROVEMENT, text=text,
        turn=3,
    )  # fmt: skip


def row(exercise: Exercise, actor, issue: str = "Liaison officers lacked secure phones"):
    return improvement_item_save(actor=actor, exercise=exercise, objective=None, issue=issue)


def item_data(prefix: str, **values: str) -> dict[str, str]:
    fields = dict.fromkeys(ImprovementItemForm.base_fields, "")
    return {f"{prefix}-{name}": value for name, value in (fields | values).items()}


def hotwash_url(exercise: Exercise) -> str:
    return reverse("exercises:hotwash", args=[exercise.code])


# --- The proposals ---------------------------------------------------------------------------


def test_the_proposals_are_the_reports_ratings_read_in_eight_queries(
    played: Exercise,
    seats: dict,
    django_assert_max_num_queries,
) -> None:
    objective = played.scenario.objectives.order_by("position").last()
    rating_confirm(actor=seats["facilitator"], exercise=played, objective=objective, rating="U",
                   comment="No one answered the cyber inject.")  # fmt: skip
    with django_assert_max_num_queries(8):
        proposals = rating_proposals(played)
    assert proposals == report_data(played)["ratings"]
    assert [p["objective"] for p in proposals] == list(
        played.scenario.objectives.order_by("position").values_list("code", flat=True)
    )
    assert proposals[-1]["rating"] == "U"
    assert proposals[-1]["comment"] == "No one answered the cyber inject."
    assert all(p["rating"] is None for p in proposals[:-1])


# --- Who may do what -------------------------------------------------------------------------


@dataclass
class Action:
    url: Callable[[Exercise, dict], str]
    data: Callable[[Exercise, dict], dict]
    done: Callable[[Exercise, dict], bool]  # the change is in the database


def _objective(exercise: Exercise) -> Objective:
    return exercise.scenario.objectives.order_by("position").first()


ACTIONS = {
    "rating": Action(
        lambda e, s: reverse("exercises:hotwash_rating", args=[e.code, _objective(e).pk]),
        lambda e, s: {
            f"objective{_objective(e).pk}-rating": "M",
            f"objective{_objective(e).pk}-comment": "Shelters opened late.",
        },
        lambda e, s: ObjectiveRating.objects.filter(exercise=e, rating="M").exists(),
    ),
    "summary": Action(
        lambda e, s: reverse("exercises:hotwash_summary", args=[e.code]),
        lambda e, s: {"text": "Delegations coordinated relief well."},
        lambda e, s: ExecutiveSummary.objects.filter(exercise=e).exists(),
    ),
    "item_new": Action(
        lambda e, s: reverse("exercises:hotwash_item_new", args=[e.code]),
        lambda e, s: item_data("new", issue="No common picture of port damage"),
        lambda e, s: ImprovementItem.objects.filter(
            exercise=e, issue="No common picture of port damage"
        ).exists(),
    ),
    "item": Action(
        lambda e, s: reverse("exercises:hotwash_item", args=[e.code, s["item"].pk]),
        lambda e, s: item_data(f"item{s['item'].pk}", issue="Changed", element="training"),
        lambda e, s: ImprovementItem.objects.filter(pk=s["item"].pk, issue="Changed").exists(),
    ),
    "item_delete": Action(
        lambda e, s: reverse("exercises:hotwash_item_delete", args=[e.code, s["item"].pk]),
        lambda e, s: {},
        lambda e, s: not ImprovementItem.objects.filter(pk=s["item"].pk).exists(),
    ),
    "prefill": Action(
        lambda e, s: reverse("exercises:hotwash_prefill", args=[e.code]),
        lambda e, s: {},
        lambda e, s: ImprovementItem.objects.filter(observation=s["observation"]).exists(),
    ),
}


def test_the_facilitator_and_evaluators_open_the_page_players_and_strangers_may_not(
    played: Exercise,
    seats: dict,
) -> None:
    url = hotwash_url(played)
    for who, status in (("facilitator", 200), ("evaluator", 200), ("player", 403),
                        ("stranger", 403)):  # fmt: skip
        assert client_for(seats[who]).get(url).status_code == status, who
    response = client_for().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("action", list(ACTIONS))
def test_only_the_facilitator_changes_the_hotwash(
    played: Exercise,
    seats: dict,
    action: str,
) -> None:
    subject = {
        "item": row(played, seats["facilitator"]),
        "observation": improvement(played, "Port assessments were not shared."),
    }
    spec = ACTIONS[action]
    url, data = spec.url(played, subject), spec.data(played, subject)
    versions = [Exercise.objects.get(pk=played.pk).version]
    for who, status in (("anon", 302), ("player", 403), ("stranger", 403), ("evaluator", 403)):
        response = client_for(seats[who]).post(url, data)
        assert response.status_code == status, who
        assert not spec.done(played, subject), who
        if who == "anon":
            assert response["Location"].startswith(reverse("accounts:login"))
    assert client_for(seats["facilitator"]).get(url).status_code == 405
    versions.append(Exercise.objects.get(pk=played.pk).version)
    assert versions[1] == versions[0]  # nothing refused changed anything

    response = client_for(seats["facilitator"]).post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(hotwash_url(played))
    assert spec.done(played, subject)
    assert Exercise.objects.get(pk=played.pk).version > versions[0]
    assert Event.objects.filter(exercise=played, kind__startswith="hotwash.").exists()


def test_objects_of_another_exercise_are_not_found(
    played: Exercise,
    seats: dict,
    minimal_scenario: Scenario,
) -> None:
    other = exercise_create(actor=seats["stranger"], scenario=minimal_scenario)
    foreign_item = row(other, seats["stranger"])
    foreign_objective = minimal_scenario.objectives.first()
    facilitator = client_for(seats["facilitator"])
    urls = [
        reverse("exercises:hotwash_rating", args=[played.code, foreign_objective.pk]),
        reverse("exercises:hotwash_item", args=[played.code, foreign_item.pk]),
        reverse("exercises:hotwash_item_delete", args=[played.code, foreign_item.pk]),
    ]
    for url in urls:
        assert facilitator.post(url, {}).status_code == 404, url
    assert ImprovementItem.objects.filter(pk=foreign_item.pk).exists()
    assert not ObjectiveRating.objects.exists()


# --- Ratings ---------------------------------------------------------------------------------


def test_a_rating_is_saved_with_the_proposal_and_shown(
    played: Exercise,
    seats: dict,
) -> None:
    objective = _objective(played)
    proposal = rating_proposals(played)[0]
    prefix = f"objective{objective.pk}"
    url = reverse("exercises:hotwash_rating", args=[played.code, objective.pk])
    response = client_for(seats["facilitator"]).post(
        url, {f"{prefix}-rating": "S", f"{prefix}-comment": "Relief flights waited for slots."},
        **htmx(f"objective-{objective.pk}"),
    )  # fmt: skip
    assert response.status_code == 200
    region = response.content.decode()
    assert region.lstrip().startswith(f'<article id="objective-{objective.pk}"')
    assert "<html" not in region and 'id="summary"' not in region
    assert "Relief flights waited for slots." in region and "Confirmed" in region

    saved = ObjectiveRating.objects.get(exercise=played, objective=objective)
    assert (saved.rating, saved.rated_by) == ("S", seats["facilitator"])
    assert (saved.proposed, saved.reasoning) == (proposal["proposed"], proposal["reasoning"])
    assert report_data(played)["ratings"][0]["rating"] == "S"
    page = client_for(seats["evaluator"]).get(hotwash_url(played)).content.decode()
    assert "Relief flights waited for slots." in page


def test_a_rating_must_be_one_of_p_s_m_u_and_the_comment_is_kept(
    played: Exercise,
    seats: dict,
) -> None:
    objective = _objective(played)
    prefix = f"objective{objective.pk}"
    url = reverse("exercises:hotwash_rating", args=[played.code, objective.pk])
    response = client_for(seats["facilitator"]).post(
        url, {f"{prefix}-rating": "X", f"{prefix}-comment": "Typed with care."}, **htmx()
    )
    assert response.status_code == 422
    assert "Typed with care." in response.content.decode()
    assert not ObjectiveRating.objects.exists()


def test_a_rating_that_departs_from_the_proposal_needs_a_comment(
    played: Exercise,
    seats: dict,
) -> None:
    objective = _objective(played)
    proposed = rating_proposals(played)[0]["proposed"]
    other = "P" if proposed != "P" else "U"
    prefix = f"objective{objective.pk}"
    url = reverse("exercises:hotwash_rating", args=[played.code, objective.pk])
    facilitator = client_for(seats["facilitator"])
    versions = Exercise.objects.get(pk=played.pk).version
    for headers in (htmx(f"objective-{objective.pk}"), {}):
        response = facilitator.post(url, {f"{prefix}-rating": other, f"{prefix}-comment": " "},
                                    **headers)  # fmt: skip
        assert response.status_code == 422
        assert f"The proposal is {proposed}: say why you rate it {other}." in (
            response.content.decode()
        )
    assert not ObjectiveRating.objects.exists()
    assert Exercise.objects.get(pk=played.pk).version == versions  # nothing written
    with pytest.raises(ExerciseError, match="needs a comment"):
        rating_confirm(actor=seats["facilitator"], exercise=played, objective=objective,
                       rating=other)  # fmt: skip
    # Confirming the proposal itself needs none.
    response = facilitator.post(url, {f"{prefix}-rating": proposed}, **htmx())
    assert response.status_code == 200


def test_the_summary_draft_follows_the_ratings_and_an_unchanged_draft_is_not_kept(
    played: Exercise,
    seats: dict,
) -> None:
    """The draft on the page is drawn when shown and reloads after each rating; saving the
    draft as it was shown keeps nothing, so the report never carries a stale draft."""
    facilitator = client_for(seats["facilitator"])
    shown = "\n\n".join(report_for(played, charts=False).draft)
    page = facilitator.get(hotwash_url(played)).content.decode()
    assert 'id="summary-draft"' in page and 'hx-trigger="ratingConfirmed from:body"' in page

    objectives = list(played.scenario.objectives.order_by("position"))
    proposals = rating_proposals(played)
    weakest = next(p for p in reversed(proposals) if p["rating"] is None)
    objective = next(o for o in objectives if o.code == weakest["objective"])
    prefix = f"objective{objective.pk}"
    url = reverse("exercises:hotwash_rating", args=[played.code, objective.pk])
    response = facilitator.post(
        url, {f"{prefix}-rating": "P", f"{prefix}-comment": "Answered in full at the table."},
        **htmx(f"objective-{objective.pk}"),
    )  # fmt: skip
    assert response.status_code == 200 and "ratingConfirmed" in response["HX-Trigger"]
    region = facilitator.get(hotwash_url(played), **htmx("summary-draft")).content.decode()
    assert region.lstrip().startswith('<div id="summary-draft"')
    now = report_for(played, charts=False).draft
    assert now[-1].split(" ")[-1] in region

    # The text area still holds the draft as first shown: saved unchanged, it is not kept.
    summary_url = reverse("exercises:hotwash_summary", args=[played.code])
    response = facilitator.post(summary_url, {"text": shown, "draft": shown}, **htmx("summary"))
    assert response.status_code == 200
    assert not ExecutiveSummary.objects.filter(exercise=played).exists()
    assert report_for(played, charts=False).summary == now
    # Nor is the draft of now, pasted as it is.
    response = facilitator.post(summary_url, {"text": "\n\n".join(now)}, **htmx("summary"))
    assert response.status_code == 200
    assert not ExecutiveSummary.objects.filter(exercise=played).exists()


# --- The executive summary -------------------------------------------------------------------


def test_the_summary_is_saved_shown_and_cleared_back_to_the_draft(
    played: Exercise,
    seats: dict,
) -> None:
    facilitator = client_for(seats["facilitator"])
    draft = report_for(played, charts=False).draft
    page = facilitator.get(hotwash_url(played)).content.decode()
    assert "The report carries a generated draft" in page
    assert draft[0].split(",")[0] in page  # the textarea starts from the draft

    url = reverse("exercises:hotwash_summary", args=[played.code])
    text = "Delegations stood up a joint relief cell within a day.\r\n\r\nLogistics lagged."
    response = facilitator.post(url, {"text": text}, **htmx("summary"))
    assert response.status_code == 200
    region = response.content.decode()
    assert region.lstrip().startswith('<section id="summary"')
    assert "The report carries the facilitator's executive summary" in region
    summary = ExecutiveSummary.objects.get(exercise=played)
    assert summary.text == text.replace("\r\n", "\n")
    assert summary.edited_by == seats["facilitator"]
    assert report_data(played)["exercise"]["executive_summary"] == summary.text
    evaluator_page = client_for(seats["evaluator"]).get(hotwash_url(played)).content.decode()
    assert "Delegations stood up a joint relief cell within a day." in evaluator_page

    response = facilitator.post(url, {"text": "  "})
    assert response.status_code == 302
    assert not ExecutiveSummary.objects.filter(exercise=played).exists()
    assert report_data(played)["exercise"]["executive_summary"] is None
    page = facilitator.get(hotwash_url(played)).content.decode()
    assert "The report carries a generated draft" in page


# --- The improvement plan --------------------------------------------------------------------


def test_prefill_adds_one_row_per_area_for_improvement_once(
    played: Exercise,
    seats: dict,
) -> None:
    objective = _objective(played)
    observations = [
        improvement(played, "Port damage was assessed three times over.", objective),
        improvement(played, "No shared list of relief flights.", objective),
        improvement(played, "Nobody owned the public messaging."),
    ]
    facilitator = client_for(seats["facilitator"])
    page = facilitator.get(hotwash_url(played)).content.decode()
    assert 'class="prefill-call"' in page and "The plan is empty." in page

    url = reverse("exercises:hotwash_prefill", args=[played.code])
    response = facilitator.post(url, **htmx("plan"))
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="plan"')
    rows = list(ImprovementItem.objects.filter(exercise=played).order_by("position"))
    assert [(r.observation, r.objective, r.issue) for r in rows] == [
        (o, o.objective, o.text) for o in observations
    ]
    assert len({r.position for r in rows}) == 3

    assert facilitator.post(url).status_code == 302
    assert ImprovementItem.objects.filter(exercise=played).count() == 3
    assert Event.objects.filter(exercise=played, kind="hotwash.plan_prefilled").count() == 1
    page = facilitator.get(hotwash_url(played)).content.decode()
    assert 'class="prefill-call"' not in page
    assert "Nobody owned the public messaging." in page


def test_a_row_is_added_saved_and_deleted(
    played: Exercise,
    seats: dict,
) -> None:
    facilitator = client_for(seats["facilitator"])
    objective = _objective(played)
    response = facilitator.post(
        reverse("exercises:hotwash_item_new", args=[played.code]),
        item_data("new", objective=str(objective.pk), issue="Liaison officers lacked radios",
                  corrective_action="Issue interoperable radios", element="equipment",
                  organisation="Regional Security System", point_of_contact="Maj. Lewis",
                  start="2026-03-01", completion="2026-09-30"),
        **htmx("plan"),
    )  # fmt: skip
    assert response.status_code == 200
    item = ImprovementItem.objects.get(exercise=played)
    assert (item.objective, item.element, str(item.completion)) == (
        objective,
        "equipment",
        "2026-09-30",
    )
    assert "Regional Security System" in response.content.decode()

    response = facilitator.post(
        reverse("exercises:hotwash_item", args=[played.code, item.pk]),
        item_data(f"item{item.pk}", issue="Liaison officers lacked radios",
                  organisation="CDEMA", start="2026-03-01"),
        **htmx(f"plan-item-{item.pk}"),
    )  # fmt: skip
    assert response.status_code == 200
    region = response.content.decode()
    assert region.lstrip().startswith(f'<tr id="plan-item-{item.pk}"')
    assert 'id="plan"' not in region
    item.refresh_from_db()
    assert (item.organisation, item.objective, item.completion) == ("CDEMA", None, None)

    response = facilitator.post(
        reverse("exercises:hotwash_item_delete", args=[played.code, item.pk]), **htmx("plan")
    )
    assert response.status_code == 200
    assert not ImprovementItem.objects.filter(exercise=played).exists()


def test_a_completion_before_the_start_is_refused_and_the_typed_values_kept(
    played: Exercise,
    seats: dict,
) -> None:
    facilitator = client_for(seats["facilitator"])
    typed = {"issue": "Medical evacuation plans were not rehearsed",
             "corrective_action": "Run a MEDEVAC drill", "start": "2026-05-01",
             "completion": "2026-04-01"}  # fmt: skip
    url = reverse("exercises:hotwash_item_new", args=[played.code])
    for headers in (htmx("plan"), {}):
        response = facilitator.post(url, item_data("new", **typed), **headers)
        assert response.status_code == 422
        page = response.content.decode()
        assert "The completion date cannot be before the start date." in page
        assert all(value in page for value in typed.values())
        assert ("<html" in page) is not bool(headers)
    assert not ImprovementItem.objects.filter(exercise=played).exists()

    item = row(played, seats["facilitator"])
    response = facilitator.post(
        reverse("exercises:hotwash_item", args=[played.code, item.pk]),
        item_data(f"item{item.pk}", **typed),
        **htmx(f"plan-item-{item.pk}"),
    )
    assert response.status_code == 422
    region = response.content.decode()
    assert region.lstrip().startswith(f'<tr id="plan-item-{item.pk}"')
    assert "The completion date cannot be before the start date." in region
    assert all(value in region for value in typed.values())
    item.refresh_from_db()
    assert (item.issue, item.start, item.completion) == (
        "Liaison officers lacked secure phones",
        None,
        None,
    )


# --- The page --------------------------------------------------------------------------------


def test_the_facilitator_sees_every_objective_with_its_reasoning_and_observations(
    played: Exercise,
    seats: dict,
) -> None:
    page = client_for(seats["facilitator"]).get(hotwash_url(played)).content.decode()
    for proposal in rating_proposals(played):
        assert proposal["title"] in page
        assert proposal["capability"] in page
    assert "Why the proposal is" in page and "Timeliness" in page and "Score" in page
    assert "Relief reached Jérémie by sea on day 2." in page  # the played fixture's strength
    assert page.count('name="objective') >= 2 * played.scenario.objectives.count()
    assert "has not finished yet" not in page  # simulate plays it to the end


def test_evaluators_follow_the_page_read_only(
    played: Exercise,
    seats: dict,
) -> None:
    row(played, seats["facilitator"])
    page = client_for(seats["evaluator"]).get(hotwash_url(played)).content.decode()
    assert "Read-only" in page
    assert "Liaison officers lacked secure phones" in page
    for name in ("hotwash_summary", "hotwash_prefill", "hotwash_item_new"):
        assert reverse(f"exercises:{name}", args=[played.code]) not in page
    assert "/hotwash/objectives/" not in page
    assert "<textarea" not in page
    # It follows the facilitator's saves.
    assert 'hx-trigger="cumbre:turn from:body, cumbre:log from:body"' in page
    with pytest.raises(NotAllowed):  # nor can the services be called for them
        summary_save(actor=seats["evaluator"], exercise=played, text="An evaluator's summary.")
    assert not ExecutiveSummary.objects.filter(exercise=played).exists()


def test_the_page_works_before_the_exercise_has_finished(exercise: Exercise, facilitator) -> None:
    page = client_for(facilitator).get(hotwash_url(exercise))
    assert page.status_code == 200
    assert "The exercise has not finished yet" in page.content.decode()


@pytest.mark.parametrize("region", ["objectives", "summary", "plan"])
def test_a_region_alone_for_htmx(
    played: Exercise,
    seats: dict,
    region: str,
) -> None:
    response = client_for(seats["evaluator"]).get(hotwash_url(played), **htmx(region))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith(f'<section id="{region}"')
    assert "<html" not in content
    assert "HX-Request" in response["Vary"]


# 16 queries with the facilitator's summary saved, 38 while the summary is drafted from the
# report data (ratings and feedback included), for the facilitator and evaluators alike; the
# same for 5 and 35 nations, 5 and 12 objectives, 2 and 40 observations, 1 and 30 plan rows.
# A little room for a new constant query; none for one per team, objective, observation or row.
PAGE_QUERIES = 40


def test_page_queries_do_not_grow_with_teams_objectives_observations_or_rows(
    facilitator, django_assert_max_num_queries
) -> None:
    evaluator = User.objects.create_user("synthetic-evaluator")
    counts: dict[int, dict[str, int]] = {}
    for nations, objectives, observations, rows in ((5, 0, 2, 1), (35, 7, 40, 30)):
        scenario = scenario_load(synthetic_spec(nations))
        for index in range(objectives):
            extra = Objective.objects.create(
                scenario=scenario, code=f"OBJ-X{index}", title=f"Extra objective {index}",
                capability="Public information and warning", position=10 + index,
            )  # fmt: skip
            extra.nations.add(*scenario.nations.all()[:3])
        exercise = synthetic_exercise(scenario, facilitator=facilitator).exercise
        participant_add(actor=facilitator, exercise=exercise, user=evaluator, role=Role.EVALUATOR)
        all_objectives = list(scenario.objectives.all())
        for index in range(observations):
            Observation.objects.create(
                exercise=exercise, evaluator=evaluator,
                objective=all_objectives[index % len(all_objectives)],
                kind=Observation.Kind.IMPROVEMENT if index % 2 else Observation.Kind.STRENGTH,
                text=f"Observation {index}", turn=1,
            )  # fmt: skip
        for index in range(rows):
            improvement_item_save(
                actor=facilitator, exercise=exercise, objective=all_objectives[0],
                issue=f"Issue {index}", element="training", organisation="OAS",
            )  # fmt: skip
        for objective in all_objectives[: 1 + objectives]:
            rating_confirm(actor=facilitator, exercise=exercise, objective=objective, rating="S",
                           comment="Checked against the record.")  # fmt: skip
        browsers = {"facilitator": client_for(facilitator), "evaluator": client_for(evaluator)}
        url = hotwash_url(exercise)
        counts[nations] = {}
        for phase in ("drafted", "written"):
            if phase == "written":
                ExecutiveSummary.objects.create(exercise=exercise, text="Ours.")
            for who, browser in browsers.items():
                with django_assert_max_num_queries(PAGE_QUERIES) as captured:
                    response = browser.get(url)
                assert response.status_code == 200, (nations, phase, who)
                counts[nations][f"{who} {phase}"] = len(captured)
        page = response.content.decode()
        assert page.count('class="panel objective"') == 5 + objectives
    assert counts[35] == counts[5], counts
