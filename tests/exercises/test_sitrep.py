"""The situation report: outcomes first, in sentences with names; the arithmetic folded; every
change explained by something the team can see; this turn's injects above the past."""

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.exercises.conftest import A, B, People
from wargame.exercises.models import Exercise, Move
from wargame.exercises.services import inject_write, move_submit
from wargame.turns.selectors import team_room
from wargame.turns.services import turn_close
from wargame.web.rooms import room_context

pytestmark = pytest.mark.django_db

CODES = re.compile(r"\b(DOM|HTI|hadr|intel_sharing|public_statement|in_force|M-0\d|ADHOC-\d+)\b")


def close(exercise: Exercise) -> None:
    exercise.refresh_from_db()
    assert turn_close(exercise_id=exercise.pk, turn_number=exercise.current_turn, reason="test")


def situation_text(client: object, exercise: Exercise, nation: str) -> str:
    """This turn's injects and the situation as a person reads them: their text, without the
    markup."""
    html = client.get(reverse("exercises:team", args=[exercise.code, nation])).content.decode()
    start = html.index('id="news"')
    region = html[start : html.index("</section>", html.index('id="situation"'))]
    region = region[region.index(">") + 1 :]  # the region's own tag holds its URL
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", region)).replace("&#x27;", "'")


def play_turn_one(exercise: Exercise, people: People) -> None:
    move_submit(
        actor=people.player_b, team=people.team_b, action="hadr",
        target_inject=exercise.injects.get(code="M-01"),
    )  # fmt: skip
    move_submit(
        actor=people.player_a, team=people.team_a, action="intel_sharing",
        target_team=people.team_b,
    )  # fmt: skip
    close(exercise)


def test_the_report_leads_with_the_teams_outcomes_in_sentences(
    started: Exercise, people: People, client_for: Callable
) -> None:
    play_turn_one(started, people)
    started.refresh_from_db()
    report = team_room(started, people.team_b).reports[0]
    assert report.turn == 1
    (outcome,) = report.outcomes
    assert re.fullmatch(
        r"Humanitarian assistance and disaster response answering “Hurricane Elena makes "
        r"landfall” (succeeded \(\d+%\)|failed \(\d+% chance of success\)"
        r"|succeeded, at a cost \(\d+%\): it wore down your capacity"
        r"|failed, and worse \(\d+% chance of success\): it cost stability at home)\.",
        outcome.text,
    ), outcome.text
    texts = [line.text for line in report.summary]
    assert any(re.fullmatch(r"Your stability (rose|fell) from \d+ to \d+\.", t) for t in texts)
    # The arithmetic is there, folded, in words and with names.
    causes = {cause.text: cause.effects for cause in report.causes}
    assert "“Hurricane Elena makes landfall”, still unanswered" in causes or outcome.tone
    assert any(text.startswith("Budget renewed") for text in causes)

    page = situation_text(client_for(people.player_b), started, B)
    assert page.index("Situation report, turn 1") < page.index(outcome.text)
    assert "How your indicators changed" in page
    assert not CODES.search(page), CODES.search(page)
    assert "pressure" not in page and "still open" not in page


def test_a_partial_success_and_a_setback_are_said_with_what_they_cost(
    started: Exercise, people: People
) -> None:
    """The report words each grade of outcome: here the die's grades are written over what it
    gave, as another seed could have given them."""
    play_turn_one(started, people)
    started.refresh_from_db()
    for team, status in ((people.team_a, "setback"), (people.team_b, "partial")):
        move = Move.objects.get(exercise=started, team=team)
        move.outcome = move.outcome | {"status": status, "chance": 0.7}
        move.save(update_fields=["outcome"])
    (setback,) = team_room(started, people.team_a).reports[0].outcomes
    assert setback.text == (
        "Intelligence sharing to Haiti failed, and worse (70% chance of success): it cost trust "
        "with Haiti."
    ), setback.text
    assert setback.tone == "bad"
    (partial,) = team_room(started, people.team_b).reports[0].outcomes
    assert partial.text.endswith("succeeded, at a cost (70%): it wore down your capacity."), (
        partial.text
    )
    assert partial.tone == "good"


def test_support_at_home_is_said_with_what_moved_it(started: Exercise, people: People) -> None:
    """The storm that strikes Haiti costs its government support at home, as it costs
    stability: the report says so, and names the storm as the cause."""
    play_turn_one(started, people)
    started.refresh_from_db()
    report = team_room(started, people.team_b).reports[0]
    texts = [line.text for line in report.summary]
    assert any(re.fullmatch(r"Your support at home fell from 60 to \d+\.", t) for t in texts), texts
    storm = [effects for text, effects in
             ((c.text, c.effects) for c in report.causes) if "Hurricane Elena" in text]  # fmt: skip
    assert any(e.startswith("support at home 60 → ") for effects in storm for e in effects), storm


def test_trust_changes_are_said_with_the_partners_name(started: Exercise, people: People) -> None:
    # Haiti's relief without a target nation earns it a little trust with every other nation.
    move_submit(
        actor=people.player_b, team=people.team_b, action="hadr",
        target_inject=started.injects.get(code="M-01"),
    )  # fmt: skip
    close(started)
    started.refresh_from_db()
    changes = started.turn_set.get(number=1).adjudication["changes"]
    trust = [c for c in changes if c["indicator"] == "trust"]
    summary = [line.text for line in team_room(started, people.team_a).reports[0].summary]
    assert len(trust) == 1  # the die of seed 7 lets the relief succeed
    rose = trust[0]["after"] > trust[0]["before"]
    assert ("Haiti's trust in you rose." if rose else "Haiti's trust in you fell.") in summary


def test_the_news_that_struck_is_a_cause_of_its_own(started: Exercise, people: People) -> None:
    """An inject strikes as it arrives and may move trust: the report says so, apart from
    the harm of an inject left unanswered."""
    started.injects.filter(code="M-01").update(trust_shocks=[["DOM", "HTI", -6]])
    close(started)
    started.refresh_from_db()
    report = team_room(started, people.team_a).reports[0]
    causes = {cause.text: cause.effects for cause in report.causes}
    news = causes["The news of “Hurricane Elena makes landfall”"]
    assert "trust with Haiti 45 → 39" in news
    assert any(effect.startswith("stability 60 → ") for effect in news), news
    assert "“Hurricane Elena makes landfall”, still unanswered" in causes
    # Told once: the next turn's report has no news of it.
    close(started)
    started.refresh_from_db()
    later = team_room(started, people.team_a).reports[0]
    assert not [c for c in later.causes if c.text.startswith("The news of")]


def test_this_turns_injects_come_above_the_past_reports(
    started: Exercise, people: People, client_for: Callable
) -> None:
    close(started)  # turn 1 with no move: M-01 stays open, so M-02 follows in turn 3
    close(started)
    page = situation_text(client_for(people.player_a), started, A)
    new = page.index("Go-fast boats in the Mona Passage")
    assert page.index("New in turn 3") < new
    assert new < page.index("Situation report, turn 2") < page.index("Situation report, turn 1")
    assert page.index("Situation report, turn 1") < page.index("Turn 1 · from National Hurricane")


def test_no_team_loses_to_an_inject_missing_from_its_feed(
    started: Exercise, people: People, client_for: Callable
) -> None:
    secret = inject_write(
        actor=people.facilitator, exercise=started, kind="trafficking_surge",
        title="Loads landed on the border", message="Only the Dominicans are told.",
        to=[A], affects=[A, B], severity=5,
    )  # fmt: skip
    close(started)
    started.refresh_from_db()
    changes = started.turn_set.get(number=1).adjudication["changes"]
    hurt = {c["subject"] for c in changes if c["cause"] == "inject" and c["ref"] == secret.code}
    assert hurt == {A}
    haiti = situation_text(client_for(people.player_b), started, B)
    assert "Loads landed on the border" not in haiti
    dominicans = situation_text(client_for(people.player_a), started, A)
    assert "“Loads landed on the border”, still unanswered" in dominicans
    # Every inject a report names as a cause is one the team received.
    for team in (people.team_a, people.team_b):
        room = team_room(started, team)
        titles = {inject.title for inject in room.injects}
        for report in room.reports:
            for cause in report.causes:
                quoted = re.findall(r"“(.+?)”, still unanswered", cause.text)
                assert set(quoted) <= titles, (team.nation_code, cause.text)


def test_the_room_reads_the_reports_in_a_fixed_number_of_queries(
    started: Exercise, people: People, client_for: Callable, django_assert_max_num_queries
) -> None:
    play_turn_one(started, people)
    client = client_for(people.player_b)
    url = reverse("exercises:team", args=[started.code, B])
    client.get(url)

    def situation() -> str:
        """The situation region rendered from the database, as no kept copy would serve it."""
        exercise = Exercise.objects.get(pk=started.pk)
        team = exercise.teams.get(nation_code=B)
        context = room_context(exercise, team, can_act=True, teams=list(exercise.teams.all()))
        return render_to_string("exercises/team.html#situation", context)

    with CaptureQueriesContext(connection) as one_turn:
        assert "Situation report, turn 1" in situation()
    for _ in range(2):
        move_submit(actor=people.player_a, team=people.team_a, action="public_statement")
        close(started)
    with django_assert_max_num_queries(len(one_turn)):
        assert "Situation report, turn 3" in situation()


def test_the_report_quotes_injects_in_the_readers_language(
    started: Exercise, people: People, client_for: Callable
) -> None:
    """The scenario's Spanish title of an inject, where the file gives one, in the sentences
    of a Spanish reader's situation report; the English title for an English reader."""
    started.injects.filter(code="M-01").update(
        translations={"es": {"title": "El huracán Elena toca tierra"}}
    )
    play_turn_one(started, people)
    client = client_for(people.player_b)
    english = situation_text(client, started, B)
    client.post(reverse("accounts:language"), {"language": "es", "next": "/"})
    spanish = situation_text(client, started, B)
    assert "“Hurricane Elena makes landfall”" in english
    assert "“El huracán Elena toca tierra”" in spanish
    assert "Hurricane Elena" not in spanish
