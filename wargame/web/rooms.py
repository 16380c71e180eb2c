"""A team's room as all its players see it: what its shared regions show, and rendering them
ahead of the players once a turn has changed.

The per-viewer parts of the room (the channels panel, the page around it) are the view's
(`views.team_room`); the regions here are the same for every player of the team and are kept
in the cache per version (wargame/web/shared.py).
"""

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy

from wargame.exercises.forms import MoveForm
from wargame.exercises.models import Exercise, Inject, Team, Turn
from wargame.negotiation import selectors as negotiation_selectors
from wargame.negotiation.forms import CounterForm, ProposalForm
from wargame.negotiation.models import NEGOTIABLE
from wargame.turns import selectors as turn_selectors
from wargame.web.shared import ONCE, room_regions

log = logging.getLogger(__name__)


# A host's answers to an offer of forces, as its room's buttons.
ANSWER_BUTTONS = (
    ("request_assistance", gettext_lazy("Consent")),
    ("consent_with_conditions", gettext_lazy("Consent with conditions")),
    ("decline_assistance", gettext_lazy("Decline")),
)


def move_form(
    exercise: Exercise, team: Team, data: Any = None, initial: dict | None = None
) -> MoveForm:
    """The move form of a team's room; it may answer only the injects the team received."""
    received = [
        pk
        for pk, recipients in exercise.injects.filter(status=Inject.Status.DELIVERED).values_list(
            "pk", "recipients"
        )
        if not recipients or team.nation_code in recipients
    ]
    return MoveForm(
        data,
        initial=initial,
        # Standing instruments are agreed between nations, not played as moves.
        actions=exercise.scenario.actions.exclude(targets=[]),
        others=exercise.teams.exclude(pk=team.pk),
        injects=exercise.injects.filter(pk__in=received),
    )


def room_context(
    exercise: Exercise,
    team: Team,
    *,
    can_act: bool,
    teams: list[Team],
    form: Any = None,
    refusal: str = "",
    shared: dict[str, tuple[str, str | None]] | None = None,
    turns: Callable[[], list[Turn]] | None = None,
) -> dict[str, Any]:
    """What the room's shared regions show, each part read only if a region shown needs it,
    and the `shared` copies (web/shared.room_regions; none: each region rendered for this
    answer). Without `form`, an empty move form; when the regions are shared, its idempotency
    key is the placeholder that each answer fills with a key of its own."""

    def negotiations() -> negotiation_selectors.Negotiations:
        found = negotiation_selectors.negotiations_for_team(exercise, team)
        for proposal in found.awaiting_us:
            proposal.counter_form = CounterForm(
                round_=proposal.current, parties=proposal.party_list, prefix=f"counter{proposal.pk}"
            )
        return found

    def proposal_form() -> ProposalForm:
        return ProposalForm(
            prefix="proposal",
            actions=[a for a in exercise.scenario.actions.all() if a.code in NEGOTIABLE],
            others=[t for t in teams if t.pk != team.pk],
        )

    if form is None:
        initial = {"idempotency_key": ONCE} if shared else None
        form = SimpleLazyObject(lambda: move_form(exercise, team, initial=initial))
    return {
        "exercise": exercise,
        "team": team,
        "can_act": can_act,
        "room": SimpleLazyObject(
            lambda: turn_selectors.team_room(exercise, team, turns=turns() if turns else None)
        ),
        "room_url": reverse("exercises:team", args=[exercise.code, team.nation_code]),
        "form": form,
        "refusal": refusal,
        "negotiations": SimpleLazyObject(negotiations),
        "offers": SimpleLazyObject(lambda: turn_selectors.offers_to(exercise, team)),
        # The host's answers take the actions the scenario gives it, if any.
        "answers": SimpleLazyObject(
            lambda: set(
                exercise.scenario.actions.filter(
                    code__in=[code for code, _label in ANSWER_BUTTONS]
                ).values_list("code", flat=True)
            )
        ),
        "answer_buttons": ANSWER_BUTTONS,
        # Each answer form's key of its own (the shared copy fills ONCE for each answer).
        "once": ONCE if shared else uuid.uuid4().hex,
        "proposal_form": SimpleLazyObject(proposal_form),
        "shared_regions": shared or {},
    }


def rooms_render_ahead(exercise_id: int, *, only: Team | None = None) -> int:
    """Render the shared regions of each team's room (or only `only`'s), as its players see
    it, that the cache does not hold yet: after a turn changes, the players' reloads then find
    their rooms ready instead of 35 teams' first players each waiting for a render; after a
    player's move, the player's request renders what it changed, once, for the whole team.
    Returns the number of regions rendered; run again, it renders none (until the next
    change)."""
    exercise = Exercise.objects.select_related("scenario").filter(pk=exercise_id).first()
    if exercise is None or exercise.status == Exercise.Status.DRAFT:
        return 0
    teams = list(exercise.teams.all())
    # Every team's reports come from the same published turns: read once, if a room needs them.
    read: list[list[Turn]] = []

    def turns() -> list[Turn]:
        if not read:
            read.append(turn_selectors.published_turns(exercise))
        return read[0]

    rendered = 0
    # Players who have not chosen another language see the default one.
    with translation.override(settings.LANGUAGE_CODE):
        for team in teams if only is None else [t for t in teams if t.pk == only.pk]:
            regions = room_regions(exercise, team, can_act=True)
            missing = [name for name, (_key, html) in regions.items() if html is None]
            if not missing:
                continue
            context = room_context(
                exercise, team, can_act=True, teams=teams, shared=regions, turns=turns
            )
            for name in missing:
                render_to_string(f"exercises/team.html#{name}", context)
            rendered += len(missing)
    if only is None:
        log.info("rooms of exercise %s: %s regions rendered ahead", exercise.code, rendered)
    return rendered
