"""Nations without players: the facilitator hands a team to a bot.

The bot is the scripted policy of `manage.py simulate` (wargame/engine/bots.py): when a turn
opens, or when the team is handed over mid-turn, it answers the injects it received and
cooperates within its budget, then marks its team ready as players do, so that "every team is
ready" closes the turn early when the people are done; it answers proposals addressed to it as
soon as they are made. Its moves are marked as a bot's everywhere.

Bots act after the commit of what they answer, in a worker (wargame/turns/tasks.py), through
the services players call; so a bot never holds the lock of the turn that is being opened or
of the proposal that is being made, and what it does is never undone with them.
"""

from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from wargame.engine.bots import bot_accepts, bot_moves, bot_rng
from wargame.exercises.errors import ExerciseError
from wargame.exercises.models import Exercise, Inject, Team
from wargame.exercises.services.base import locked, require_facilitator
from wargame.exercises.services.moves import move_submit, team_mark_ready
from wargame.exercises.services.setup import event_record
from wargame.lib.tasks import task_send
from wargame.negotiation.models import Proposal, ProposalParty
from wargame.negotiation.services import proposal_answer
from wargame.scenarios.catalogue import engine_rules
from wargame.turns import adjudication
from wargame.turns.clock import BOTS_PLAY


@transaction.atomic
def team_set_bot(*, actor: AbstractBaseUser, team: Team, bot: bool) -> Team:
    """Hand a nation to a bot, or take it back for people."""
    exercise = locked(team.exercise_id)
    require_facilitator(exercise, actor)
    team = Team.objects.get(pk=team.pk)
    team.bot = bot
    # People who take a nation back decide for themselves when they are done: the ready flag
    # the bot set would otherwise close the turn under their feet.
    team.ready = team.ready and bot
    team.save(update_fields=["bot", "ready"])
    event_record(exercise, "team.bot" if bot else "team.people", actor=actor, team=team)
    if bot and exercise.status == Exercise.Status.RUNNING and not team.ready:
        play = partial(task_send, BOTS_PLAY, exercise.pk, exercise.current_turn, team.pk)
        transaction.on_commit(play)
    return team


@transaction.atomic
def bots_play(exercise_id: int, turn_number: int, *, team_id: int | None = None) -> int:
    """Every bot nation (or one) that has not played turn `turn_number` yet plays its moves,
    then marks itself ready through the service players use; returns how many moves were
    played. Nothing happens once the turn is over: a late or repeated task changes nothing."""
    exercise = locked(exercise_id)
    if exercise.status != Exercise.Status.RUNNING or exercise.current_turn != turn_number:
        return 0
    # A bot that played is ready until the turn is published, which clears the flags.
    teams = exercise.teams.filter(bot=True, ready=False)
    teams = list(teams.filter(pk=team_id) if team_id is not None else teams)
    if not teams:
        return 0
    turn = exercise.turn_set.get(number=turn_number)
    context = adjudication.load_context(exercise, turn)
    state = adjudication.engine_state(context)
    actions = tuple(exercise.scenario.actions.values_list("code", flat=True))
    injects = {i.code: i for i in exercise.injects.filter(status=Inject.Status.DELIVERED)}
    by_code = {t.nation_code: t for t in exercise.teams.all()}
    played = 0
    for team in teams:
        visible = {
            code for code, inject in injects.items()
            if not inject.recipients or team.nation_code in inject.recipients
        }  # fmt: skip
        rng = bot_rng(exercise.seed, turn.number, team.nation_code)
        for move in bot_moves(
            state, team.nation_code, engine_rules(), actions=actions, visible=visible, rng=rng
        ):
            try:
                move_submit(
                    actor=None, team=team, action=move.action, resources=move.resources,
                    target_team=by_code.get(move.target_team) if move.target_team else None,
                    target_inject=injects.get(move.target_inject) if move.target_inject else None,
                )  # fmt: skip
                played += 1
            except ExerciseError:
                continue
        team_mark_ready(actor=None, team=team)
    return played


@transaction.atomic
def bots_answer(proposal_id: int) -> int:
    """The bot parties of an open proposal that have not answered its latest round answer it:
    yes if they can pay and trust the proposer enough. Returns how many answered."""
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return 0
    exercise = locked(proposal.exercise_id)
    proposal = Proposal.objects.get(pk=proposal_id)
    in_play = exercise.status in (Exercise.Status.RUNNING, Exercise.Status.PAUSED)
    if not in_play or proposal.status != Proposal.Status.OPEN:
        return 0
    parties = list(
        ProposalParty.objects.filter(
            proposal=proposal, team__bot=True, answer=ProposalParty.Answer.PENDING
        ).select_related("team")
    )
    if not parties:
        return 0
    turn = exercise.turn_set.get(number=exercise.current_turn)
    state = adjudication.engine_state(adjudication.load_context(exercise, turn))
    latest = proposal.rounds.order_by("-number").select_related("author").first()
    answered = 0
    for party in parties:
        code = party.team.nation_code
        committed = sum(
            a.commitments.get(code, 0) for a in state.agreements.values() if code in a.parties
        )
        accept = bot_accepts(state, code, latest.author.nation_code, committed=committed)
        proposal_answer(actor=None, proposal=proposal, team=party.team, accept=accept)
        answered += 1
        if not accept:
            break
    return answered
