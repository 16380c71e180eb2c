"""Writes for exercises. Every change records an Event and bumps the exercise's version."""

import secrets
from datetime import timedelta
from functools import partial
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from wargame.exercises.models import (
    Event,
    Exercise,
    Inject,
    Participant,
    Role,
    Team,
    TrustLink,
)
from wargame.exercises.pulse import audience_of, pulse_advance, pulse_state, pulse_store, topic_of
from wargame.exercises.services.base import require_facilitator
from wargame.scenarios.models import Scenario

DEFAULT_TRUST = 50
JOIN_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud in a room


def event_record(
    exercise: Exercise,
    kind: str,
    *,
    actor: AbstractBaseUser | None = None,
    team: Team | None = None,
    turn: int | None = None,
    **payload: Any,
) -> Event:
    """Append to the exercise's log and bump its version and the version of the topic the
    event changes, so pages know to refresh. Once committed, the cache gets a copy of the
    exercise's versions (wargame/exercises/pulse.py)."""
    audience = audience_of(kind, team.nation_code if team else None, payload)
    with transaction.atomic(savepoint=False):
        # Two changes committed at the same moment each read the versions and write them back:
        # without the row lock one would lose the other's topic, or write an older version
        # over a newer one. no_key: rows that only refer to the exercise (this event, a move)
        # may still be written meanwhile, as under the UPDATE that bumped the version alone.
        version, topics = (
            Exercise.objects.select_for_update(no_key=True)
            .values_list("version", "pulse")
            .get(pk=exercise.pk)
        )
        version += 1
        topics = pulse_advance(topics, version, topic_of(kind), audience)
        Exercise.objects.filter(pk=exercise.pk).update(version=version, pulse=topics)
        exercise.version, exercise.pulse = version, topics
        transaction.on_commit(partial(pulse_store, exercise.code, pulse_state(version, topics)))
        return Event.objects.create(
            exercise=exercise,
            kind=kind,
            actor=actor,
            team=team,
            turn=exercise.current_turn if turn is None else turn,
            payload=payload,
        )


def join_code_new() -> str:
    """A code of eight letters and digits that no exercise has, as its code or join code."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))
        taken = Exercise.objects.filter(Q(code=code) | Q(join_code=code))
        if not taken.exists():
            return code


@transaction.atomic
def exercise_create(
    *,
    actor: AbstractBaseUser,
    scenario: Scenario,
    title: str = "",
    code: str | None = None,
    seed: int | None = None,
    turn_seconds: int | None = None,
    adjudication_mode: str = "automatic",
    auto_advance: bool = True,
) -> Exercise:
    """Open an exercise of a scenario: one team per nation, with the starting indicators, the
    starting trust matrix and a copy of the MSEL. The actor becomes its facilitator. The
    exercise keeps this version of the scenario: a later load adds a new version instead."""
    # A version is never changed once saved, so its nations, trust and MSEL are copied as they
    # are; the row is read again so that a deleted version fails here, not halfway.
    scenario = Scenario.objects.get(pk=scenario.pk)
    code = code or join_code_new()
    exercise = Exercise.objects.create(
        scenario=scenario,
        title=title or scenario.title,
        code=code,
        join_code=code,
        status=Exercise.Status.DRAFT,
        turn_seconds=turn_seconds or scenario.minutes_per_turn * 60,
        adjudication_mode=adjudication_mode,
        auto_advance=auto_advance,
        seed=secrets.randbits(48) if seed is None else seed,
        evaluator_invite_token=secrets.token_urlsafe(18),
        created_by=actor,
        no_relations=scenario.no_relations,
        mandates=scenario.mandates,
    )
    nations = list(scenario.nations.order_by("position"))
    teams = Team.objects.bulk_create(
        Team(
            exercise=exercise,
            nation_code=nation.code,
            stability=nation.stability,
            capacity=nation.capacity,
            budget=nation.budget,
            budget_per_turn=nation.budget,
            support=nation.support,
            invite_token=secrets.token_urlsafe(18),
            position=nation.position,
        )
        for nation in nations
    )
    if not all(team.pk for team in teams):  # backends that do not return ids on bulk insert
        teams = list(exercise.teams.order_by("position"))
    by_code = {team.nation_code: team for team in teams}
    starting = {frozenset((t.nation_a, t.nation_b)): t.value for t in scenario.trust.all()}
    links = []
    for index, first in enumerate(teams):
        for second in teams[index + 1 :]:
            a, b = sorted((first, second), key=lambda team: team.pk)
            value = starting.get(frozenset((a.nation_code, b.nation_code)), DEFAULT_TRUST)
            links.append(TrustLink(exercise=exercise, team_a=a, team_b=b, value=value))
    TrustLink.objects.bulk_create(links)

    templates = list(scenario.injects.order_by("turn", "position"))
    copies = Inject.objects.bulk_create(
        Inject(
            exercise=exercise,
            template=template,
            code=template.code,
            turn=template.turn,
            kind=template.kind,
            originator=template.originator,
            recipients=template.recipients,
            method=template.method,
            title=template.title,
            message=template.message,
            private=template.private,
            translations=template.translations,
            affects=template.affects,
            severity=template.severity,
            expected_actions=template.expected_actions,
            trust_shocks=template.trust_shocks,
            support_shocks=template.support_shocks,
        )
        for template in templates
    )
    if not all(copy.pk for copy in copies):
        copies = list(exercise.injects.all())
    copy_of = {copy.code: copy for copy in copies}
    code_of = {template.pk: template.code for template in templates}
    conditional = []
    for template in templates:
        if template.contingency_for_id is not None:
            copy = copy_of[template.code]
            copy.contingency_for = copy_of[code_of[template.contingency_for_id]]
            conditional.append(copy)
    Inject.objects.bulk_update(conditional, ["contingency_for"])

    Participant.objects.create(exercise=exercise, user=actor, role=Role.FACILITATOR)
    event_record(
        exercise,
        "exercise.created",
        actor=actor,
        scenario=scenario.slug,
        teams=sorted(by_code),
        injects=len(copies),
    )
    return exercise


@transaction.atomic
def participant_add(
    *,
    actor: AbstractBaseUser | None,
    exercise: Exercise,
    user: AbstractBaseUser,
    role: str,
    team: Team | None = None,
) -> Participant:
    """Add a user to the exercise as a facilitator, evaluator, or a player of one team."""
    participant = Participant.objects.create(exercise=exercise, user=user, role=role, team=team)
    event_record(
        exercise, "participant.added", actor=actor, team=team,
        user=user.get_username(), role=role,
    )  # fmt: skip
    return participant


@transaction.atomic
def exercise_delete(*, actor: AbstractBaseUser | None, exercise: Exercise) -> None:
    """Delete an exercise with everything in it, its event log included: the only way the
    log of an exercise ever goes. The facilitator downloads its report first."""
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    require_facilitator(exercise, actor)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # For this transaction only; the log's trigger lets this exercise's events go.
            cursor.execute(
                "SELECT set_config('cumbre.deleting_exercise', %s, true)", [str(exercise.pk)]
            )
    exercise.delete()


def exercises_expire(days: int) -> list[str]:
    """Delete every exercise that ended more than `days` days ago (none if `days` is 0 or
    less); returns their codes. Each goes in its own transaction, as a facilitator's would."""
    if days <= 0:
        return []
    ended = Exercise.objects.filter(
        status=Exercise.Status.FINISHED, finished_at__lt=timezone.now() - timedelta(days=days)
    )
    codes = []
    for exercise in ended:
        exercise_delete(actor=None, exercise=exercise)
        codes.append(exercise.code)
    return codes
