"""Who may download the report, and the players' debrief of their own team."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from wargame.exercises.models import Exercise, Move, Role
from wargame.exercises.services import participant_add
from wargame.reports.files import BACKGROUND, CONTENT_TYPES, ReportFile, report_file_render
from wargame.reports.services import observation_record
from wargame.turns.clock import heartbeat_record

User = get_user_model()
FORMATS = ("pdf", "docx", "html", "csv", "json")


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def seats(played: Exercise) -> dict:
    return seats_in(played)


def seats_in(exercise: Exercise) -> dict:
    people = {}
    for name, role, code in (("evaluator", Role.EVALUATOR, None), ("hti", Role.PLAYER, "HTI"),
                             ("dom", Role.PLAYER, "DOM")):  # fmt: skip
        user = User.objects.create_user(f"report-{name}")
        team = exercise.teams.get(nation_code=code) if code else None
        participant_add(actor=None, exercise=exercise, user=user, role=role, team=team)
        people[name] = user
    people["facilitator"] = exercise.participants.get(role=Role.FACILITATOR).user
    people["stranger"] = User.objects.create_user("report-stranger", is_staff=True)
    return people


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_facilitator_downloads_evaluators_the_copy_without_names_players_nothing(
    brief: Exercise, fmt: str
) -> None:
    seats = seats_in(brief)
    url = reverse("exercises:report", args=[brief.code, fmt])
    if fmt in BACKGROUND:  # as the worker would, before anyone asks
        report_file_render(brief.pk, fmt)
    for who, status in (("facilitator", 200), ("evaluator", 403), ("hti", 403),
                        ("stranger", 403)):  # fmt: skip
        response = client_for(seats[who]).get(url)
        assert response.status_code == status, (who, fmt)
        if status == 200:
            assert "attachment;" in response["Content-Disposition"]
            assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert client_for().get(url).status_code == 302
    # The named copy is the facilitator's control annex: evaluators get the copy without
    # names, and are told why when they ask for the other.
    refused = client_for(seats["evaluator"]).get(url).content.decode()
    assert "evaluators download the copy without names" in refused
    if fmt in BACKGROUND:
        report_file_render(brief.pk, fmt, anonymous=True)
    anonymised = client_for(seats["evaluator"]).get(url + "?anonymised=1")
    assert anonymised.status_code == 200 and "attachment;" in anonymised["Content-Disposition"]
    if fmt == "json":
        data = json.loads(client_for(seats["facilitator"]).get(url).content)
        assert data["exercise"]["code"] == brief.code


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", sorted(BACKGROUND))
def test_the_progress_page_is_for_the_facilitator_and_evaluators_only(
    played: Exercise,
    seats: dict,
    fmt: str,
) -> None:
    heartbeat_record()  # as beat's tick does: the scheduler is running
    for url in (reverse("exercises:report", args=[played.code, fmt]) + "?anonymised=1",
                reverse("exercises:report_progress", args=[played.code, fmt])
                + "?anonymised=1"):  # fmt: skip
        for who, status in (("hti", 403), ("stranger", 403), ("facilitator", (200, 202)),
                            ("evaluator", (200, 202))):  # fmt: skip
            code = client_for(seats[who]).get(url).status_code
            assert code in (status if isinstance(status, tuple) else (status,)), (who, url)
        assert client_for().get(url).status_code == 302
    assert not ReportFile.current(played, fmt).exists()  # nobody but a worker rendered it


@pytest.mark.django_db
def test_a_pdf_is_rendered_in_the_background_with_progress_then_kept_until_a_change(
    brief: Exercise, django_capture_on_commit_callbacks
) -> None:
    seats = seats_in(brief)
    heartbeat_record()  # as beat's tick does: the scheduler is running
    facilitator = client_for(seats["facilitator"])
    url = reverse("exercises:report", args=[brief.code, "pdf"])
    progress = reverse("exercises:report_progress", args=[brief.code, "pdf"])

    with django_capture_on_commit_callbacks() as sent:
        first = facilitator.get(url)
    assert first.status_code == 202
    page = first.content.decode()
    assert 'id="progress"' in page and f'hx-get="{progress}"' in page
    assert "<progress" in page and "Waiting for a worker" in page
    with django_capture_on_commit_callbacks() as sent_again:
        assert facilitator.get(url).status_code == 202  # a second click sends no second task
    assert len(sent) == 1 and not sent_again

    target = ReportFile.current(brief, "pdf")
    target.report(40, "layout")  # as the worker reports it
    region = facilitator.get(progress, headers={"HX-Request": "true"}).content.decode()
    assert region.lstrip().startswith('<section id="progress"')
    assert "Laying out the pages" in region and 'value="40"' in region

    report_file_render(brief.pk, "pdf")  # the worker's task
    region = facilitator.get(progress, headers={"HX-Request": "true"}).content.decode()
    assert "data-download-now" in region and "hx-trigger" not in region
    response = facilitator.get(url)
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'attachment; filename="cumbre-{brief.code}-report.pdf"'
    )

    observation_record(actor=seats["evaluator"], exercise=brief, kind="strength",
                       objective_id=None, text="Late but clear.")  # fmt: skip
    assert not ReportFile.current(brief, "pdf").exists()  # the exercise changed
    report_file_render(brief.pk, "pdf")
    assert not target.path.exists()  # the older version's file is gone
    assert ReportFile.current(brief, "pdf").exists()


@pytest.mark.django_db
def test_with_no_worker_the_report_can_be_rendered_in_the_request(
    played: Exercise,
    seats: dict,
) -> None:
    # An evaluator asks for the copy without names, the one evaluators download.
    url = reverse("exercises:report", args=[played.code, "docx"]) + "?anonymised=1"
    # The scheduler has never ticked: no worker would pick the report up.
    response = client_for(seats["evaluator"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")  # a .docx is a zip
    # With the scheduler running, the facilitator may still ask for it here and now.
    observation_record(actor=seats["evaluator"], exercise=played, kind="strength",
                       objective_id=None, text="A change, so a new file.")  # fmt: skip
    heartbeat_record()
    assert client_for(seats["evaluator"]).get(url).status_code == 202
    response = client_for(seats["evaluator"]).get(url + "&now=1")
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_unknown_format_is_not_found(played: Exercise, seats: dict) -> None:
    url = reverse("exercises:report", args=[played.code, "xls"])
    assert client_for(seats["facilitator"]).get(url).status_code == 404


@pytest.mark.django_db
def test_a_debrief_shows_a_team_its_own_moves_only(played: Exercise, seats: dict) -> None:
    Move.objects.filter(team__nation_code="HTI").update(rationale="Haiti's private reasoning.")
    Move.objects.filter(team__nation_code="DOM").update(rationale="Dominican private reasoning.")
    url = reverse("exercises:debrief", args=[played.code, "HTI"])
    page = client_for(seats["hti"]).get(url).content.decode()
    assert "Haiti&#x27;s private reasoning." in page or "Haiti's private reasoning." in page
    assert "Dominican private reasoning." not in page
    assert client_for(seats["dom"]).get(url).status_code == 403
    assert client_for(seats["facilitator"]).get(url).status_code == 200
