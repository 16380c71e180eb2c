"""Negotiating from the team rooms: proposals, agreements and channels through the views."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from wargame.exercises.models import Exercise, Role
from wargame.exercises.pulse import pulse_key
from wargame.exercises.services import exercise_create, participant_add
from wargame.negotiation.models import Agreement, ChannelRead, Message, Proposal
from wargame.scenarios.models import Scenario
from wargame.turns.services import exercise_start

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def storm(shipped_scenarios: list[Scenario], facilitator) -> Exercise:
    scenario = Scenario.objects.get(slug="caribbean-storm")
    exercise = exercise_create(actor=facilitator, scenario=scenario, seed=3)
    exercise_start(actor=facilitator, exercise=exercise)
    return exercise


def player(exercise: Exercise, code: str) -> Client:
    user = User.objects.create_user(f"p-{code}", first_name=f"Delegate {code}")
    participant_add(
        actor=None, exercise=exercise, user=user, role=Role.PLAYER,
        team=exercise.teams.get(nation_code=code),
    )  # fmt: skip
    client = Client()
    client.force_login(user)
    return client


def room(exercise: Exercise, code: str, channel: str = "") -> str:
    url = reverse("exercises:team", args=[exercise.code, code])
    return f"{url}?channel={channel}" if channel else url


def test_two_players_agree_a_joint_exercise(storm: Exercise) -> None:
    hti, dom = player(storm, "HTI"), player(storm, "DOM")
    response = hti.post(
        reverse("exercises:proposal_new", args=[storm.code, "HTI"]),
        {"proposal-action": "joint_exercise", "proposal-parties": ["DOM"],
         "proposal-points_own": 1, "proposal-points_others": 1,
         "proposal-terms": "Combined engineers at Jimaní.", "proposal-duration": 3},
    )  # fmt: skip
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    page = dom.get(room(storm, "DOM")).content.decode()
    assert "Awaiting your answer" in page and "Combined engineers at Jimaní." in page
    dom.post(reverse("exercises:proposal_act", args=[storm.code, "DOM", proposal.pk, "accept"]))
    agreement = Agreement.objects.get()
    assert sorted(agreement.parties.values_list("nation_code", flat=True)) == ["DOM", "HTI"]
    assert "Agreements in force" in hti.get(room(storm, "HTI")).content.decode()


def test_a_counter_proposal_comes_back_prefilled(storm: Exercise) -> None:
    hti, dom = player(storm, "HTI"), player(storm, "DOM")
    hti.post(
        reverse("exercises:proposal_new", args=[storm.code, "HTI"]),
        {"proposal-action": "intel_sharing", "proposal-parties": ["DOM"],
         "proposal-points_own": 1, "proposal-points_others": 2, "proposal-terms": "",
         "proposal-duration": 2},
    )  # fmt: skip
    proposal = Proposal.objects.get()
    page = dom.get(room(storm, "DOM")).content.decode()
    assert f'name="counter{proposal.pk}-points_DOM"' in page and 'value="2"' in page
    dom.post(
        reverse("exercises:proposal_act", args=[storm.code, "DOM", proposal.pk, "counter"]),
        {f"counter{proposal.pk}-{key}": value for key, value in {
            "duration": 2, "points_HTI": 1, "terms_HTI": "", "points_DOM": 1, "terms_DOM": "",
            "note": "One point each."}.items()},
    )  # fmt: skip
    assert proposal.rounds.count() == 2
    page = hti.get(room(storm, "HTI")).content.decode()
    assert "Awaiting your answer" in page
    # The counter's note reaches the proposer, with the round it came with.
    assert "Note from Dominican Republic, round 2" in page and "One point each." in page
    # The team that countered waits for the answer and sees its own note too.
    page = dom.get(room(storm, "DOM")).content.decode()
    assert "Waiting for others" in page and "One point each." in page


def test_a_bilateral_channel_is_read_by_its_two_teams_only(storm: Exercise) -> None:
    hti, dom, jam = player(storm, "HTI"), player(storm, "DOM"), player(storm, "JAM")
    hti.post(
        reverse("exercises:message_new", args=[storm.code]),
        {"channel": "bi:DOM-HTI", "body": "Can you open Jimaní crossing tonight?"},
    )
    assert Message.objects.get().channel == "bilateral"
    assert "Jimaní crossing" in dom.get(room(storm, "DOM", "bi:DOM-HTI")).content.decode()
    # A third team can neither open that channel nor find the text in its own room.
    assert jam.get(room(storm, "JAM", "bi:DOM-HTI")).status_code == 403
    assert "Jimaní crossing" not in jam.get(room(storm, "JAM")).content.decode()
    # Nor post into it.
    response = jam.post(
        reverse("exercises:message_new", args=[storm.code]),
        {"channel": "bi:DOM-HTI", "body": "Listening in."},
    )
    assert response.status_code == 403
    assert Message.objects.count() == 1
    # The pulse says that something changed, never what.
    pulse = jam.get(
        reverse("exercises:pulse", args=[storm.code]), {"v": 0, "k": pulse_key(storm.code)}
    )
    assert "Jimaní" not in pulse.content.decode()


def test_unread_counts_and_reading(storm: Exercise) -> None:
    hti, dom = player(storm, "HTI"), player(storm, "DOM")
    for text in ("One", "Two"):
        hti.post(reverse("exercises:message_new", args=[storm.code]),
                 {"channel": "bi:DOM-HTI", "body": text})  # fmt: skip
    page = dom.get(room(storm, "DOM")).content.decode()
    assert '<span class="badge">2</span>' in page
    # Reading the page writes nothing; the page then says how far it showed the channel.
    channel = dom.get(room(storm, "DOM", "bi:DOM-HTI")).content.decode()
    assert not ChannelRead.objects.exists()
    read_url = reverse("exercises:channel_read", args=[storm.code, "DOM"])
    assert f'hx-post="{read_url}" hx-trigger="load"' in channel
    last = Message.objects.latest("pk").pk
    assert f'name="last" value="{last}"' in channel
    assert dom.post(read_url, {"channel": "bi:DOM-HTI", "last": last}).status_code == 204
    assert '<span class="badge">' not in dom.get(room(storm, "DOM")).content.decode()
    # Read part of the way: only what came after counts.
    for text in ("Three", "Four", "Five"):
        hti.post(reverse("exercises:message_new", args=[storm.code]),
                 {"channel": "bi:DOM-HTI", "body": text})  # fmt: skip
    assert '<span class="badge">3</span>' in dom.get(room(storm, "DOM")).content.decode()


def test_a_message_over_2000_characters_is_refused_clearly(storm: Exercise) -> None:
    hti = player(storm, "HTI")
    response = hti.post(
        reverse("exercises:message_new", args=[storm.code]),
        {"channel": "plenary", "body": "x" * 2001}, HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 204
    assert "at most 2000 characters" in response.headers["HX-Trigger"]
    assert not Message.objects.exists()


def test_the_control_room_shows_every_proposal_and_can_void_an_agreement(
    storm: Exercise, facilitator
) -> None:
    hti, dom = player(storm, "HTI"), player(storm, "DOM")
    hti.post(
        reverse("exercises:proposal_new", args=[storm.code, "HTI"]),
        {"proposal-action": "hadr", "proposal-parties": ["DOM"], "proposal-points_own": 0,
         "proposal-points_others": 0, "proposal-terms": "", "proposal-duration": 1},
    )  # fmt: skip
    proposal = Proposal.objects.get()
    dom.post(reverse("exercises:proposal_act", args=[storm.code, "DOM", proposal.pk, "accept"]))
    control = Client()
    control.force_login(facilitator)
    page = control.get(reverse("exercises:control", args=[storm.code])).content.decode()
    assert "Proposals and agreements" in page
    agreement = Agreement.objects.get()
    control.post(
        reverse("exercises:agreement_void", args=[storm.code, agreement.pk]),
        {"reason": "Agreed outside the rules of the exercise."},
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.VOIDED


def test_long_threads_load_in_pages(storm: Exercise) -> None:
    from wargame.negotiation.selectors import PAGE

    hti = player(storm, "HTI")
    user = storm.participants.get(role="player").user
    team = storm.teams.get(nation_code="HTI")
    Message.objects.bulk_create(
        Message(exercise=storm, channel="team", team_a=team, author=user, body=f"note {n:03d}")
        for n in range(PAGE + 5)
    )
    page = hti.get(room(storm, "HTI")).content.decode()
    assert f"note {PAGE + 4:03d}" in page and "note 004" not in page
    earlier = Message.objects.filter(body="note 005").get().pk
    assert f"before={earlier}" in page
    older = hti.get(room(storm, "HTI", "team:HTI") + f"&before={earlier}").content.decode()
    assert "note 000" in older and "note 004" in older


def test_reading_a_channel_is_said_by_post_only_and_only_for_what_the_team_may_read(
    storm: Exercise, facilitator
) -> None:
    hti, dom, jam = player(storm, "HTI"), player(storm, "DOM"), player(storm, "JAM")
    hti.post(reverse("exercises:message_new", args=[storm.code]),
             {"channel": "bi:DOM-HTI", "body": "One"})  # fmt: skip
    last = Message.objects.get().pk
    url = reverse("exercises:channel_read", args=[storm.code, "DOM"])
    assert dom.get(url).status_code == 405
    response = dom.post(url, {"channel": "bi:DOM-HTI", "last": "soon"})
    assert response.status_code == 400 and "read last" in response.content.decode()
    # Another team's channel, another team's room, or the facilitator looking: refused.
    assert dom.post(url, {"channel": "team:HTI", "last": last}).status_code == 403
    jam_url = reverse("exercises:channel_read", args=[storm.code, "JAM"])
    assert jam.post(jam_url, {"channel": "bi:DOM-HTI", "last": last}).status_code == 403
    assert hti.post(url, {"channel": "bi:DOM-HTI", "last": last}).status_code == 403
    control = Client()
    control.force_login(facilitator)
    assert control.post(url, {"channel": "bi:DOM-HTI", "last": last}).status_code == 403
    assert not ChannelRead.objects.exists()
