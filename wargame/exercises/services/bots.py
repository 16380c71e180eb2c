"""Nations without players: the facilitator hands a team to a bot.

The bot is the scripted policy of `manage.py simulate` (wargame/engine/bots.py): when a turn
opens, or when the team is handed over mid-turn, it answers the injects it received and
cooperates within its budget, then marks its team ready as players do, so that "every team is
ready" closes the turn early when the people are done; it answers proposals addressed to it at
once. Its moves are marked as a bot's everywhere.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from wargame.engine.bots import bot_accepts, bot_moves, bot_rng
from wargame.exercises import adjudication
from wargame.exercises.errors import ExerciseError
from wargame.exercises.models import Exercise, Inject, Team
from wargame.exercises.services.moves import move_submit, team_mark_ready
from wargame.exercises.services.setup import event_record
from wargame.exercises.services.turns import locked, require_facilitator
from wargame.scenarios.catalogue import engine_rules


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
    if bot and exercise.status == Exercise.Status.RUNNING:
        bots_play(exercise, only=team)
    return team


def bots_play(exercise: Exercise, *, only: Team | None = None) -> int:
    """Every bot nation (or one) plays its moves for the current turn, then marks itself ready
    through the service players use; returns how many moves were played."""
    teams = [only] if only is not None else list(exercise.teams.filter(bot=True))
    if not teams:
        return 0
    turn = exercise.turn_set.get(number=exercise.current_turn)
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
                    rationale="Played by the bot.",
                )  # fmt: skip
                played += 1
            except ExerciseError:
                continue
        team_mark_ready(actor=None, team=team)
    return played


def bot_answers(exercise: Exercise, proposal: object) -> None:
    """Bot parties answer a new proposal or round at once: yes if they can pay and trust the
    proposer enough."""
    from wargame.negotiation.models import ProposalParty
    from wargame.negotiation.services import proposal_answer

    parties = list(
        ProposalParty.objects.filter(
            proposal=proposal, team__bot=True, answer="pending"
        ).select_related("team")
    )
    if not parties:
        return
    turn = exercise.turn_set.get(number=exercise.current_turn)
    state = adjudication.engine_state(adjudication.load_context(exercise, turn))
    author = proposal.rounds.order_by("-number").first()
    for party in parties:
        code = party.team.nation_code
        committed = sum(
            a.commitments.get(code, 0) for a in state.agreements.values() if code in a.parties
        )
        accept = bot_accepts(state, code, author.author.nation_code, committed=committed)
        proposal_answer(actor=None, proposal=proposal, team=party.team, accept=accept)
        if not accept:
            return
