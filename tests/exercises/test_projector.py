"""The projector view: the region's map and the public state of the exercise, read-only.

Each nation of the exercise is coloured by its stability; agreements in force are lines;
open injects are markers; the regional index shows its trend; the news are public only.
Queries do not grow with nations: tests/exercises/test_views.py measures 5 and 35 nations.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.exercises.conftest import A, B, People
from wargame.exercises.models import Exercise, Team
from wargame.exercises.services import inject_write
from wargame.negotiation.services import proposal_answer, proposal_create
from wargame.turns.services import turn_close
from wargame.web.projector import MAP, _geometry, band, projector_view

pytestmark = pytest.mark.django_db

PRIVATE = "Only Haiti's ministers may read this."


def page(client_for, people: People, exercise: Exercise) -> str:
    response = client_for(people.facilitator).get(
        reverse("exercises:projector", args=[exercise.code])
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_map_holds_every_state_of_the_americas_with_its_source() -> None:
    geometry = _geometry()
    states = {
        "ARG", "ATG", "BHS", "BLZ", "BOL", "BRA", "BRB", "CAN", "CHL", "COL", "CRI", "CUB",
        "DMA", "DOM", "ECU", "GRD", "GTM", "GUY", "HND", "HTI", "JAM", "KNA", "LCA", "MEX",
        "NIC", "PAN", "PER", "PRY", "SLV", "SUR", "TTO", "URY", "USA", "VCT", "VEN",
    }  # fmt: skip
    assert states <= set(geometry["nations"])
    assert "Natural Earth" in geometry["source"] and geometry["licence"]
    assert (MAP.parent / "README.md").exists()
    for code in states:
        shape = geometry["nations"][code]
        assert shape["path"].startswith("M") and len(shape["centre"]) == 2, code


@pytest.mark.parametrize(("stability", "expected"), [(0, 0), (19.9, 0), (20, 1), (79, 3), (100, 4)])
def test_stability_falls_in_five_bands(stability: float, expected: int) -> None:
    assert band(stability) == expected


def test_nations_are_coloured_by_stability_and_agreements_and_injects_drawn(
    started: Exercise, people: People, client_for
) -> None:
    Team.objects.filter(pk=people.team_b.pk).update(stability=12)
    Team.objects.filter(pk=people.team_a.pk).update(stability=71)
    terms = {A: {"points": 0, "terms": "Radar"}, B: {"points": 0, "terms": ""}}
    proposal = proposal_create(
        actor=people.player_a, team=people.team_a, parties=[people.team_b],
        action="intel_sharing", commitments=terms, duration=2,
    )  # fmt: skip
    proposal_answer(actor=people.player_b, proposal=proposal, team=people.team_b, accept=True)
    view = projector_view(Exercise.objects.get(pk=started.pk))
    by_code = {nation.code: nation for nation in view.nations}
    assert (by_code[B].band, by_code[A].band) == (0, 3)
    assert [n.code for n in view.nations] == [B, A]  # the most fragile first
    assert len(view.links) == 1 and view.links[0].label == "Intelligence sharing"
    assert by_code[B].injects >= 1  # M-01 weighs on Haiti from turn 1

    html = page(client_for, people, started)
    haiti = _geometry()["nations"][B]["path"]
    assert f'<path class="band-0" d="{haiti}">' in html
    assert re.search(r'<g class="agreements"[^>]*><line [^>]+><title>Intelligence sharing', html)
    assert '<g transform="translate(' in html


def test_the_news_are_public_only(started: Exercise, people: People, client_for) -> None:
    inject_write(actor=people.facilitator, exercise=started, kind="flood",
                 title="Rain over the whole island", message="Both nations.", to=[])  # fmt: skip
    inject_write(actor=people.facilitator, exercise=started, kind="flood",
                 title="A note to Haiti alone", message=PRIVATE, to=[B])  # fmt: skip
    html = page(client_for, people, started)
    ticker = html.split('id="ticker"', 1)[1]
    assert "Rain over the whole island" in ticker
    assert "A note to Haiti alone" not in html and PRIVATE not in html
    for secret in started.injects.exclude(private={}).values_list("private", flat=True):
        for text in secret.values():
            assert text not in html


def test_the_index_shows_its_trend_after_two_published_turns(
    started: Exercise, people: People
) -> None:
    assert projector_view(started).trend is None
    for number in (1, 2):
        turn_close(exercise_id=started.pk, turn_number=number, actor=people.facilitator,
                   reason="test")  # fmt: skip
    exercise = Exercise.objects.get(pk=started.pk)
    view = projector_view(exercise)
    assert [turn for turn, _value in view.history] == [1, 2]
    assert view.trend == round(view.history[1][1] - view.history[0][1], 1)
    assert view.index == exercise.regional_stability and view.sparkline


def test_the_projector_speaks_the_facilitators_language(
    started: Exercise, people: People, client_for
) -> None:
    client = client_for(people.facilitator)
    client.post(reverse("accounts:language"), {"language": "es", "next": "/"})
    html = client.get(reverse("exercises:projector", args=[started.code])).content.decode()
    with translation.override("es"):
        heading = translation.gettext("Regional stability index")
        name = started.teams.get(nation_code=B).name
    assert heading in html and heading != "Regional stability index"
    assert "Haití" in html and name == "Haití"


def test_more_news_cost_no_more_queries(started: Exercise, people: People, client_for) -> None:
    """Each item of the ticker is read with the others, its translations too."""
    client = client_for(people.facilitator)
    url = reverse("exercises:projector", args=[started.code])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(4):
        inject_write(actor=people.facilitator, exercise=started, kind="flood",
                     title=f"Rain, day {number}", message="Both nations.", to=[])  # fmt: skip
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == len(one)
