"""Reads for negotiation, each in a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Prefetch, Q
from django.utils.translation import gettext as _

from wargame.exercises.models import Exercise, Participant, Team
from wargame.negotiation.models import (
    Agreement,
    Channel,
    ChannelRead,
    Message,
    Proposal,
    ProposalParty,
    ProposalRound,
)

PAGE = 50


def _proposals(exercise: Exercise) -> Any:
    return (
        Proposal.objects.filter(exercise=exercise)
        .select_related("action_type", "proposer")
        .prefetch_related(
            Prefetch("party_set", queryset=ProposalParty.objects.select_related("team")),
            Prefetch(
                "rounds", queryset=ProposalRound.objects.select_related("author").order_by("number")
            ),
        )
        .order_by("-created_at")
    )


def _agreements(exercise: Exercise) -> Any:
    return (
        Agreement.objects.filter(exercise=exercise)
        .select_related("action_type", "broken_by")
        .prefetch_related("parties")
        .order_by("-created_at")
    )


@dataclass
class Negotiations:
    awaiting_us: list[Proposal] = field(default_factory=list)
    awaiting_others: list[Proposal] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)


def negotiations_for_team(exercise: Exercise, team: Team) -> Negotiations:
    """Open proposals that wait for this team's answer, its own that wait for others, and the
    agreements in force that bind it (5 queries)."""
    result = Negotiations()
    for proposal in _proposals(exercise).filter(status=Proposal.Status.OPEN, party_set__team=team):
        parties = list(proposal.party_set.all())
        rounds = list(proposal.rounds.all())
        proposal.current = rounds[-1]
        # What each party wrote with its terms, with the round it came with: a counter's note
        # is how a team says why it changed them.
        proposal.notes = [r for r in rounds if r.note]
        proposal.party_list = parties
        mine = next(p for p in parties if p.team_id == team.pk)
        if mine.answer == ProposalParty.Answer.PENDING:
            result.awaiting_us.append(proposal)
        else:
            result.awaiting_others.append(proposal)
    result.agreements = list(
        _agreements(exercise).filter(status=Agreement.Status.IN_FORCE, parties=team)
    )
    return result


def negotiations_all(exercise: Exercise) -> dict[str, list[Any]]:
    """Every proposal and agreement of the exercise, for the control room (5 queries)."""
    proposals = list(_proposals(exercise)[:200])
    for proposal in proposals:
        proposal.current = list(proposal.rounds.all())[-1]
        proposal.party_list = list(proposal.party_set.all())
    return {"proposals": proposals, "agreements": list(_agreements(exercise)[:200])}


@dataclass(frozen=True)
class ChannelInfo:
    key: str
    label: str
    unread: int


def _visible(exercise: Exercise, team: Team | None) -> Q:
    """The messages a team's players may read; None: all (facilitator, evaluators)."""
    if team is None:
        return Q(exercise=exercise)
    return Q(exercise=exercise) & (
        Q(channel=Channel.TEAM, team_a=team)
        | Q(channel=Channel.BILATERAL, team_a=team)
        | Q(channel=Channel.BILATERAL, team_b=team)
        | Q(channel__in=[Channel.PLENARY, Channel.BROADCAST])
    )


def _channel_q(key: str, teams: dict[str, Team]) -> Q | None:
    kind, _, rest = key.partition(":")
    if kind == "team" and rest in teams:
        return Q(channel=Channel.TEAM, team_a=teams[rest])
    if kind == "bi":
        a, _, b = rest.partition("-")
        if a in teams and b in teams:
            pair = sorted((teams[a], teams[b]), key=lambda t: t.pk)
            return Q(channel=Channel.BILATERAL, team_a=pair[0], team_b=pair[1])
    if key in (Channel.PLENARY, Channel.BROADCAST):
        return Q(channel=key)
    return None


def channel_reads(participant: Participant | None) -> dict[str, int]:
    """How far the participant has read each channel (one query; none for those who watch)."""
    if participant is None:
        return {}
    return dict(
        ChannelRead.objects.filter(participant=participant).values_list("channel", "last_read")
    )


def channels_for(
    exercise: Exercise,
    teams: list[Team],
    team: Team | None,
    reads: dict[str, int],
    *,
    current: str = "",
) -> list[ChannelInfo]:
    """The channels a viewer can read, with their labels and unread counts (`reads`: from
    channel_reads; the `current` channel, being read, has none): one query, and a second only
    for channels read part of the way (one count per such channel, usually none or one)."""
    by_code = {t.nation_code: t for t in teams}
    code_of = {t.pk: t.nation_code for t in teams}
    if team is not None:
        keys = [(f"team:{team.nation_code}", _("Our team"))]
        keys += [
            (f"bi:{'-'.join(sorted((team.nation_code, other.nation_code)))}", other.name)
            for other in teams
            if other.pk != team.pk
        ]
    else:
        keys = [(f"team:{t.nation_code}", t.name) for t in teams]
    keys += [(Channel.PLENARY, _("Plenary")), (Channel.BROADCAST, _("Control"))]
    unread: dict[str, int] = {}
    partly = {}
    # Each channel's number of messages and newest id, in one GROUP BY.
    totals: dict[str, tuple[int, int]] = {}
    for channel, team_a, team_b, count, newest in (
        Message.objects.filter(_visible(exercise, team))
        .values_list("channel", "team_a_id", "team_b_id")
        .annotate(count=Count("pk"), newest=Max("pk"))
        .order_by()
    ):
        key = channel_key_of(channel, code_of.get(team_a), code_of.get(team_b))
        totals[key] = (count, newest)
    for index, (key, _label) in enumerate(keys):
        count, newest = totals.get(key, (0, 0))
        last_read = reads.get(key, 0)
        if key == current or not count or last_read >= newest:
            continue
        if last_read == 0:
            unread[key] = count
        elif (q := _channel_q(key, by_code)) is not None:
            partly[f"c{index}"] = (key, Count("pk", filter=q & Q(pk__gt=last_read)))
    if partly:
        counts = Message.objects.filter(_visible(exercise, team)).aggregate(
            **{name: aggregate for name, (_key, aggregate) in partly.items()}
        )
        unread |= {key: counts[name] or 0 for name, (key, _aggregate) in partly.items()}
    return [ChannelInfo(key, label, unread.get(key, 0)) for key, label in keys]


def channel_key_of(channel: str, team_a: str | None, team_b: str | None) -> str:
    """The key of a channel: "team:HTI", "bi:DOM-HTI" (codes in order), "plenary"..."""
    if channel == Channel.TEAM:
        return f"team:{team_a}"
    if channel == Channel.BILATERAL:
        return f"bi:{'-'.join(sorted((team_a or '', team_b or '')))}"
    return channel


def channel_readable(key: str, team: Team | None, teams: Callable[[], list[Team]]) -> bool:
    """Whether the viewer (`team`'s players; None: the facilitator and evaluators) may read
    the channel `key`. A team's own channel is answered without reading the teams."""
    kind, _sep, rest = key.partition(":")
    if team is not None and kind == "team":
        return rest == team.nation_code
    if team is not None and kind == "bi" and team.nation_code not in rest.split("-"):
        return False
    return _channel_q(key, {t.nation_code: t for t in teams()}) is not None


def channel_messages(
    exercise: Exercise, key: str, teams: list[Team], *, before: int | None
) -> list[Message]:
    """A page of one channel's messages, oldest first (channel_readable says who may)."""
    q = _channel_q(key, {t.nation_code: t for t in teams})
    if q is None:
        return []
    messages = Message.objects.filter(q, exercise=exercise).select_related("author", "author_team")
    if before:
        messages = messages.filter(pk__lt=before)
    return list(reversed(messages.order_by("-pk")[:PAGE]))
