"""Exercises: one run of a scenario, its teams, turns, moves and the event log."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from wargame.exercises.labels import phase_label
from wargame.lib.constraints import at_most, within_percent
from wargame.lib.languages import LocalText
from wargame.lib.nations import nation_name, validate_nation_code
from wargame.scenarios.models import (
    INJECT_MESSAGE_MAX_LENGTH,
    ActionType,
    DeliveryMethod,
    InjectKind,
    InjectTemplate,
    Scenario,
)

# The longest free texts people write, shared by their forms, their services and the database;
# an inject's message, written ad hoc or copied from the scenario, has the scenario's limit.
MOVE_INTENT_MAX_LENGTH = 500  # the result a move wants
MOVE_REASONS_MAX_LENGTH = 2000  # a move's reasons
REASON_MAX_LENGTH = 1000  # the facilitator's reason for a decision


class ExerciseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LOBBY = "lobby", _("Lobby")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    ADJUDICATING = "adjudicating", _("Adjudicating")
    FINISHED = "finished", _("Finished")


class AdjudicationMode(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic")
    REVIEW = "review", _("Facilitator reviews before publishing")


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    PLAYER = "player", _("Player")
    EVALUATOR = "evaluator", _("Evaluator")


class Exercise(models.Model):
    Status = ExerciseStatus
    AdjudicationMode = AdjudicationMode

    scenario = models.ForeignKey(
        Scenario, on_delete=models.PROTECT, related_name="exercises", verbose_name=_("scenario")
    )
    title = models.CharField(_("title"), max_length=200)
    code = models.SlugField(_("code"), max_length=20, unique=True)
    # What players type on the home page to find their team's link: the code at first; the
    # facilitator can change it (the old one stops working) or turn it off (None).
    join_code = models.SlugField(_("join code"), max_length=20, unique=True, null=True, blank=True)
    evaluators_open = models.BooleanField(
        _("evaluators may join"),
        default=True,
        help_text=_("Off after the evaluators' link is revoked, until the facilitator reopens it."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    current_turn = models.PositiveSmallIntegerField(_("current turn"), default=0)
    turn_deadline = models.DateTimeField(_("turn deadline"), null=True, blank=True)
    paused_seconds_left = models.PositiveIntegerField(
        _("seconds left when paused"), null=True, blank=True
    )
    turn_seconds = models.PositiveIntegerField(
        _("real seconds per turn"), help_text=_("The scenario's minutes per turn, or as set.")
    )
    auto_advance = models.BooleanField(_("advance turns automatically"), default=True)
    adjudication_mode = models.CharField(
        _("adjudication"),
        max_length=20,
        choices=AdjudicationMode.choices,
        default=AdjudicationMode.AUTOMATIC,
    )
    seed = models.BigIntegerField(_("random seed"))
    evaluator_invite_token = models.CharField(
        _("evaluator invite token"),
        max_length=40,
        blank=True,
        help_text=_("Changing it revokes the evaluators' invite link."),
    )
    regional_stability = models.FloatField(_("regional stability index"), null=True, blank=True)
    # [[NATION, NATION], ...]: the scenario's pairs of nations without diplomatic relations, as
    # the exercise was created with them.
    no_relations = models.JSONField(
        _("nations without diplomatic relations"), default=list, blank=True
    )
    mandates = models.JSONField(_("Security Council mandates"), default=list, blank=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    # The version at which each pulse topic last changed, for everyone, per nation and for
    # those who watch every nation (wargame/exercises/pulse.py): written with `version`, by
    # event_record, under this row's lock.
    pulse = models.JSONField(_("versions per topic"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # ENDEX: why the facilitator ended the exercise, above all before its last turn.
    end_reason = models.TextField(_("why it ended"), blank=True, max_length=REASON_MAX_LENGTH)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExerciseStatus.values),
                name="exercise_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(regional_stability__isnull=True) | within_percent("regional_stability"),
                name="exercise_regional_stability_range",
            ),
            models.CheckConstraint(
                condition=Q(turn_seconds__gte=1, turn_seconds__lte=4 * 3600),
                name="exercise_turn_seconds_range",
            ),
            models.CheckConstraint(
                condition=Q(paused_seconds_left__isnull=True) | Q(status=ExerciseStatus.PAUSED),
                name="exercise_time_left_only_when_paused",
            ),
            at_most("end_reason", REASON_MAX_LENGTH, "exercise_end_reason_length"),
        ]
        indexes = [
            # The beat tick looks for running exercises whose deadline has passed.
            models.Index(fields=["status", "turn_deadline"], name="exercise_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def local_title(self) -> str:
        """The title in the reader's language: an exercise named after its scenario takes
        the scenario's translated title; a title of its own is shown as written."""
        if self.title == self.scenario.title:
            return self.scenario.local_title
        return self.title

    @property
    def phase_label(self) -> str:
        """Where the exercise stands, in the words players and evaluators read: a draft or a
        lobby is simply not started yet (the difference is the facilitator's business)."""
        return phase_label(self.status)

    @property
    def in_play(self) -> bool:
        """Started and not yet ended nor under adjudication: teams may negotiate."""
        return self.status in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED)


class Team(models.Model):
    """A nation in an exercise, with its indicators now."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="teams")
    nation_code = models.CharField(_("nation"), max_length=3, validators=[validate_nation_code])
    stability = models.PositiveSmallIntegerField(_("stability"))
    support = models.PositiveSmallIntegerField(_("support at home"), default=60)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    budget = models.PositiveSmallIntegerField(_("action points left this turn"))
    budget_per_turn = models.PositiveSmallIntegerField(_("action points per turn"))
    ready = models.BooleanField(_("ready"), default=False)
    bot = models.BooleanField(
        _("played by a bot"),
        default=False,
        help_text=_("The scripted policy of `simulate` plays this nation; its moves say so."),
    )
    invite_token = models.CharField(_("invite token"), max_length=40, unique=True)
    invites_open = models.BooleanField(
        _("players may join"),
        default=True,
        help_text=_("Off after the team's link is revoked, until the facilitator reopens it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["exercise", "position"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "nation_code"], name="team_nation_unique"),
            models.CheckConstraint(
                condition=within_percent("stability"), name="team_stability_range"
            ),
            models.CheckConstraint(
                condition=within_percent("capacity"), name="team_capacity_range"
            ),
            models.CheckConstraint(condition=within_percent("support"), name="team_support_range"),
            models.CheckConstraint(
                condition=Q(budget__gte=0, budget__lte=100), name="team_budget_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return nation_name(self.nation_code)


class TrustLink(models.Model):
    """Trust between two teams now; symmetric, stored once with team_a.id < team_b.id."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="trust_links")
    team_a = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    team_b = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("trust"))

    class Meta:
        verbose_name = _("trust")
        verbose_name_plural = _("trust matrix")
        constraints = [
            models.UniqueConstraint(fields=["team_a", "team_b"], name="trust_pair_unique"),
            models.CheckConstraint(condition=Q(team_a__lt=F("team_b")), name="trust_pair_ordered"),
            models.CheckConstraint(condition=within_percent("value"), name="trust_range"),
        ]

    def __str__(self) -> str:
        return f"{self.team_a.nation_code}–{self.team_b.nation_code}: {self.value}"


class Participant(models.Model):
    """A user in an exercise, with a role; players belong to one team."""

    Role = Role

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="players"
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "user"], name="participant_unique"),
            # Players play for exactly one team; facilitators and evaluators for none.
            models.CheckConstraint(
                condition=(Q(role=Role.PLAYER) & Q(team__isnull=False))
                | (Q(role__in=[Role.FACILITATOR, Role.EVALUATOR]) & Q(team__isnull=True)),
                name="participant_team_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Turn(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="turn_set")
    number = models.PositiveSmallIntegerField(_("number"))
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    adjudication = models.JSONField(
        _("proposed adjudication"),
        default=dict,
        blank=True,
        help_text=_("Outcomes and changes, shown to the facilitator before publishing."),
    )
    snapshot = models.JSONField(
        _("indicators after the turn"),
        default=dict,
        blank=True,
        help_text=_("Every team's indicators and the trust matrix once the turn is adjudicated."),
    )

    class Meta:
        ordering = ["exercise", "number"]
        verbose_name = _("turn")
        verbose_name_plural = _("turns")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "number"], name="turn_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="turn_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} — {self.number}"


class Inject(models.Model):
    """An inject in one exercise: a copy of an MSEL row, or written ad hoc by the facilitator.

    The text is copied, not referenced, so that editing a scenario never rewrites what the
    players of a running or finished exercise were told.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        DELIVERED = "delivered", _("Delivered")
        ANSWERED = "answered", _("Answered")
        SKIPPED = "skipped", _("Skipped (condition not met)")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="injects")
    template = models.ForeignKey(
        InjectTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    code = models.CharField(_("number"), max_length=40)
    turn = models.PositiveSmallIntegerField(_("turn"))
    kind = models.CharField(_("kind"), max_length=30, choices=InjectKind.choices)
    originator = models.CharField(_("from"), max_length=200)
    recipients = models.JSONField(_("to"), default=list, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=DeliveryMethod.choices)
    title = models.CharField(_("title"), max_length=300)
    message = models.TextField(_("message"), max_length=INJECT_MESSAGE_MAX_LENGTH)
    private = models.JSONField(_("private parts"), default=dict, blank=True)
    affects = models.JSONField(_("affects"), default=list, blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"))
    expected_actions = models.JSONField(_("expected actions"), default=list, blank=True)
    contingency_for = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="contingencies"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    pressure = models.PositiveSmallIntegerField(_("pressure"), default=0)
    # Copied with the text: {"es": {"title": ..., "private": {nation: text}}, ...}.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    delivered_turn = models.PositiveSmallIntegerField(_("delivered in turn"), null=True, blank=True)
    answered_turn = models.PositiveSmallIntegerField(_("answered in turn"), null=True, blank=True)
    # Copied from the MSEL: [[NATION, NATION, change], ...], applied at the close of the turn
    # it was delivered in.
    trust_shocks = models.JSONField(_("effect on trust"), default=list, blank=True)
    support_shocks = models.JSONField(_("effect on support at home"), default=list, blank=True)

    class Meta:
        ordering = ["exercise", "turn", "id"]
        verbose_name = _("exercise inject")
        verbose_name_plural = _("exercise injects")
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "code"], name="exercise_inject_code_unique"
            ),
            at_most("message", INJECT_MESSAGE_MAX_LENGTH, "inject_message_length"),
            models.CheckConstraint(
                condition=within_percent("pressure"), name="inject_pressure_range"
            ),
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=5), name="exercise_inject_severity_range"
            ),
        ]
        indexes = [models.Index(fields=["exercise", "status"], name="inject_exercise_status")]

    local_title = LocalText()
    local_message = LocalText()
    local_originator = LocalText()
    local_private = LocalText()

    def __str__(self) -> str:
        return f"{self.code} {self.local_title}"


class Rating(models.TextChoices):
    """How strong the facilitator judges a move's argument, as in matrix games."""

    VERY_STRONG = "very_strong", _("Very strong")
    STRONG = "strong", _("Strong")
    AVERAGE = "average", _("Average")
    WEAK = "weak", _("Weak")
    ABSURD = "absurd", _("Absurd")


class Move(models.Model):
    Rating = Rating

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ADJUDICATED = "adjudicated", _("Adjudicated")
        REFUSED = "refused", _("Refused")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="moves")
    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="moves")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="moves")
    action_type = models.ForeignKey(ActionType, on_delete=models.PROTECT, related_name="+")
    target_team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="targeted_by"
    )
    target_inject = models.ForeignKey(
        Inject, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    resources = models.PositiveSmallIntegerField(_("action points committed"))
    intended_result = models.TextField(
        _("intended result"), blank=True, max_length=MOVE_INTENT_MAX_LENGTH
    )
    rationale = models.TextField(_("rationale"), blank=True, max_length=MOVE_REASONS_MAX_LENGTH)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    counter_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counters",
        verbose_name=_("argues against"),
    )
    rating = models.CharField(
        _("facilitator's rating"), max_length=20, choices=Rating.choices, blank=True
    )
    forced_success = models.BooleanField(_("outcome set by the facilitator"), null=True, blank=True)
    override_reason = models.TextField(
        _("reason for the facilitator's decision"), blank=True, max_length=REASON_MAX_LENGTH
    )
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    by_bot = models.BooleanField(_("made by a bot"), default=False)
    idempotency_key = models.CharField(
        _("form key"),
        max_length=64,
        blank=True,
        help_text=_("Sent with the form, so that a double click or a retry makes one move."),
    )

    class Meta:
        ordering = ["exercise", "turn", "submitted_at"]
        verbose_name = _("move")
        verbose_name_plural = _("moves")
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_team=F("team")), name="move_target_not_self_team"
            ),
            models.UniqueConstraint(
                fields=["team", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="move_idempotency_key_unique",
            ),
            at_most("intended_result", MOVE_INTENT_MAX_LENGTH, "move_intent_length"),
            at_most("rationale", MOVE_REASONS_MAX_LENGTH, "move_rationale_length"),
            at_most("override_reason", REASON_MAX_LENGTH, "move_override_reason_length"),
        ]
        indexes = [models.Index(fields=["exercise", "turn", "team"], name="move_turn_team")]

    def __str__(self) -> str:
        return f"{self.team} — {self.action_type}"


class EventLogIsAppendOnly(Exception):
    """Something tried to change or remove an event of an exercise that is not being deleted."""


class EventQuerySet(models.QuerySet):
    """Events are written once: a query cannot change or remove them. Deleting an exercise
    (exercise_delete) removes its log with it; on PostgreSQL a trigger refuses the rest
    (migration 0008)."""

    def update(self, **kwargs: object) -> int:
        raise EventLogIsAppendOnly("the event log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise EventLogIsAppendOnly("the event log is append-only")


class Event(models.Model):
    """Append-only log of everything that happened in an exercise: the audit trail."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="events")
    turn = models.PositiveSmallIntegerField(_("turn"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    payload = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["exercise", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["exercise", "kind"], name="event_exercise_kind")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.kind}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise EventLogIsAppendOnly("the event log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise EventLogIsAppendOnly("the event log is append-only")


__all__ = [
    "ActionType",
    "AdjudicationMode",
    "Event",
    "Exercise",
    "ExerciseStatus",
    "Inject",
    "Move",
    "Participant",
    "Role",
    "Team",
    "TrustLink",
    "Turn",
]


class Heartbeat(models.Model):
    """When a periodic job last ran. Beat's tick writes its row every few seconds, so its age
    says whether the scheduler (beat, the broker and a worker) is alive."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    at = models.DateTimeField(_("last run"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
