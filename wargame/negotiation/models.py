"""Negotiation: proposals and their rounds, agreements in force, and channels of messages."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wargame.exercises.models import REASON_MAX_LENGTH, Exercise, Team
from wargame.lib.constraints import at_most
from wargame.scenarios.models import ActionType

MESSAGE_MAX_LENGTH = 2000
# A proposal's note, and the terms each party commits to.
NOTE_MAX_LENGTH = 1000
TERMS_MAX_LENGTH = 500
# The actions two or more nations can agree to do together, and for how long at most.
# Shiprider and status-of-forces agreements are standing instruments: they give consent in
# advance to each other's patrols, relief or exercises (wargame/scenarios/catalogue.yaml).
NEGOTIABLE = (
    "joint_exercise", "intel_sharing", "hadr", "maritime_patrol", "cyber_cooperation",
    "defense_industry", "training_exchange", "oas_mediation", "un_peacekeeping",
    "shiprider", "status_of_forces",
)  # fmt: skip
MAX_DURATION = 8


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", pgettext_lazy("a proposal", "Expired")


class Proposal(models.Model):
    """A negotiation among two or more teams; its rounds are the thread of counter-proposals."""

    Status = ProposalStatus

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="proposals")
    proposer = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="proposals_made")
    parties = models.ManyToManyField(
        Team, through="ProposalParty", related_name="proposals", verbose_name=_("parties")
    )
    action_type = models.ForeignKey(ActionType, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    opened_turn = models.PositiveSmallIntegerField(_("opened in turn"))
    expires_turn = models.PositiveSmallIntegerField(_("expires at the end of turn"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["exercise", "-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_turn__gte=F("opened_turn")), name="proposal_expiry_after_open"
            ),
        ]
        indexes = [models.Index(fields=["exercise", "status"], name="proposal_exercise_status")]

    def __str__(self) -> str:
        return f"{self.action_type} ({self.get_status_display()})"


class ProposalRound(models.Model):
    """One version of the terms: the first offer, or a counter-proposal by one party."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    author = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    commitments = models.JSONField(
        _("commitments"),
        default=dict,
        help_text=_("Per nation code: action points per turn and free-text terms."),
    )
    duration_turns = models.PositiveSmallIntegerField(_("duration in turns"))
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("proposal round")
        verbose_name_plural = _("proposal rounds")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="proposal_round_unique"),
            at_most("note", NOTE_MAX_LENGTH, "proposal_round_note_length"),
            models.CheckConstraint(condition=Q(number__gte=1), name="proposal_round_positive"),
            models.CheckConstraint(
                condition=Q(duration_turns__gte=1), name="proposal_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} — {self.number}"


class ProposalParty(models.Model):
    """A team invited to a proposal, and its answer to the current round."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="party_set")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(
        _("answer"), max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    answered_round = models.PositiveSmallIntegerField(_("answered round"), null=True, blank=True)

    class Meta:
        verbose_name = _("party to a proposal")
        verbose_name_plural = _("parties to proposals")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "team"], name="proposal_party_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.team} — {self.get_answer_display()}"


class AgreementStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", pgettext_lazy("an agreement", "Expired")
    BROKEN = "broken", _("Broken")
    VOIDED = "voided", _("Voided by the facilitator")


class Agreement(models.Model):
    """A proposal every party accepted; it has effects each turn while it lasts."""

    Status = AgreementStatus

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="agreements")
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="agreement"
    )
    action_type = models.ForeignKey(ActionType, on_delete=models.PROTECT, related_name="+")
    parties = models.ManyToManyField(Team, related_name="agreements", verbose_name=_("parties"))
    commitments = models.JSONField(_("commitments"), default=dict)
    starts_turn = models.PositiveSmallIntegerField(_("in force from turn"))
    ends_turn = models.PositiveSmallIntegerField(_("in force until turn"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.IN_FORCE,
    )
    broken_by = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_turn = models.PositiveSmallIntegerField(_("ended in turn"), null=True, blank=True)
    end_reason = models.TextField(_("reason it ended"), blank=True, max_length=REASON_MAX_LENGTH)
    leaving = models.JSONField(
        _("parties leaving"),
        default=list,
        blank=True,
        help_text=_("Nation codes that left; the agreement breaks at the next adjudication."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["exercise", "starts_turn", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values), name="agreement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_turn__gte=F("starts_turn")), name="agreement_ends_after_start"
            ),
            at_most("end_reason", REASON_MAX_LENGTH, "agreement_end_reason_length"),
        ]
        indexes = [models.Index(fields=["exercise", "status"], name="agreement_exercise_status")]

    def __str__(self) -> str:
        return f"{self.action_type} ({self.get_status_display()})"


class Channel(models.TextChoices):
    TEAM = "team", _("Team channel")
    BILATERAL = "bilateral", _("Between two teams")
    PLENARY = "plenary", _("Plenary")
    BROADCAST = "broadcast", _("Facilitator broadcast")


class Message(models.Model):
    Channel = Channel

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    team_a = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    team_b = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    speaks_as = models.CharField(
        _("speaks as"),
        max_length=120,
        blank=True,
        help_text=_("A simulated actor for broadcasts, such as 'OAS Secretary General'."),
    )
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    turn = models.PositiveSmallIntegerField(_("turn"), default=0)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["exercise", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            at_most("body", MESSAGE_MAX_LENGTH, "message_body_length"),
            # A team channel names one team; a bilateral one names two, in order; plenary and
            # broadcast name none. Anything else would leak a message to the wrong room.
            models.CheckConstraint(
                condition=(Q(channel=Channel.TEAM) & Q(team_a__isnull=False, team_b__isnull=True))
                | (
                    Q(channel=Channel.BILATERAL)
                    & Q(team_a__isnull=False, team_b__isnull=False, team_a__lt=F("team_b"))
                )
                | (
                    Q(channel__in=[Channel.PLENARY, Channel.BROADCAST])
                    & Q(team_a__isnull=True, team_b__isnull=True)
                ),
                name="message_channel_teams",
            ),
        ]
        indexes = [
            models.Index(
                fields=["exercise", "channel", "team_a", "team_b", "id"], name="message_channel"
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class ChannelRead(models.Model):
    """How far a participant has read a channel, for unread counts."""

    participant = models.ForeignKey(
        "exercises.Participant", on_delete=models.CASCADE, related_name="reads"
    )
    channel = models.CharField(_("channel"), max_length=40)  # "team:HTI", "bi:DOM-HTI", ...
    last_read = models.PositiveBigIntegerField(_("last message read"), default=0)

    class Meta:
        verbose_name = _("channel read marker")
        verbose_name_plural = _("channel read markers")
        constraints = [
            models.UniqueConstraint(fields=["participant", "channel"], name="channel_read_unique")
        ]

    def __str__(self) -> str:
        return f"{self.channel} up to {self.last_read}"
