"""Scenarios: the exercise as written, before anyone plays it."""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wargame.lib.constraints import within_percent
from wargame.lib.languages import LocalText, translated
from wargame.lib.nations import nation_name, validate_nation_code

# What a scenario may hold: the limits its file, its MSEL spreadsheet and the exercises made
# from it share (docs/security.md lists them). The largest scenario they admit is the one whose
# pages `bench/room.py --largest` measures.
MAX_TURNS = 52
MAX_MINUTES_PER_TURN = 240
MAX_NATIONS = 40  # the Americas have 35 states
MAX_OBJECTIVES = 40
MAX_INJECTS = 500  # rows of an MSEL
MAX_QUESTIONS = 30
SUMMARY_MAX_LENGTH = 2_000
MARKING_MAX_LENGTH = 80  # "EXERCISE CARIBBEAN STORM EXERCISE"
BRIEFING_MAX_LENGTH = 20_000  # the scenario's or a nation's: a few pages
INJECT_MESSAGE_MAX_LENGTH = 4_000  # an inject's message or a private part: a page of text
NOTES_MAX_LENGTH = 4_000
NOTE_MAX_LENGTH = 300  # what an author says of a version
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# A feedback question's id: lower-case letters and digits, joined by single '-' or '_'.
FEEDBACK_ID_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
FEEDBACK_ID_MAX_LENGTH = 40
FEEDBACK_PROMPT_MAX_LENGTH = 300
# An objective's critical tasks (HSEEP's evaluation guides: two to four each).
MIN_TASKS, MAX_TASKS = 2, 4
TASK_TITLE_MAX_LENGTH = 300
TASK_PROMPT_MAX_LENGTH = 1_000


class InjectKind(models.TextChoices):
    HURRICANE = "hurricane", _("Hurricane")
    EARTHQUAKE = "earthquake", _("Earthquake")
    FLOOD = "flood", _("Flood")
    TRAFFICKING_SURGE = "trafficking_surge", _("Trafficking surge")
    MIGRATION_WAVE = "migration_wave", _("Migration wave")
    CYBERATTACK = "cyberattack", _("Cyberattack")
    POLITICAL_CRISIS = "political_crisis", _("Political crisis")
    BORDER_INCIDENT = "border_incident", _("Border incident")
    DISEASE_OUTBREAK = "disease_outbreak", _("Disease outbreak")
    TERRORIST_THREAT = "terrorist_threat", _("Terrorist threat")
    OTHER = "other", _("Other")


class DeliveryMethod(models.TextChoices):
    BRIEFING = "briefing", pgettext_lazy("a way of delivering an inject", "Briefing")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    MEDIA = "media", _("Media report")


class FeedbackKind(models.TextChoices):
    """How a participant answers a feedback question."""

    TEXT = "text", _("Free text")
    SCALE = "scale", _("Scale of 1 to 5")


def validate_feedback_questions(value: Any) -> None:
    """The feedback questions as stored: what the scenario file's `feedback:` list allows.

    Scenario files are checked, with line numbers, by the loader; this catches the same
    mistakes when the list is edited by hand in the admin.
    """
    if not isinstance(value, list):
        raise ValidationError(_("Must be a list of questions."))
    seen: set[str] = set()
    for index, question in enumerate(value, start=1):
        fields = {"id", "kind", "prompt", "required", "translations"}
        if not isinstance(question, dict) or set(question) - fields:
            raise ValidationError(
                _("Question %(n)s must have only id, kind, prompt, required and translations."),
                params={"n": index},
            )
        qid = question.get("id")
        if (
            not isinstance(qid, str)
            or len(qid) > FEEDBACK_ID_MAX_LENGTH
            or not re.match(FEEDBACK_ID_PATTERN, qid)
        ):
            raise ValidationError(
                _("Question %(n)s: the id must be lower-case letters and digits, joined by '-' "
                  "or '_'."),
                params={"n": index},
            )  # fmt: skip
        if qid in seen:
            raise ValidationError(
                _("Question %(n)s: the id %(id)s appears more than once."),
                params={"n": index, "id": qid},
            )
        seen.add(qid)
        if question.get("kind") not in FeedbackKind.values:
            raise ValidationError(
                _("Question %(n)s: the kind must be text or scale."), params={"n": index}
            )
        prompt = question.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValidationError(_("Question %(n)s needs a prompt."), params={"n": index})
        if len(prompt) > FEEDBACK_PROMPT_MAX_LENGTH:
            raise ValidationError(
                _("Question %(n)s: the prompt is longer than %(limit)s characters."),
                params={"n": index, "limit": FEEDBACK_PROMPT_MAX_LENGTH},
            )
        if not isinstance(question.get("required", False), bool):
            raise ValidationError(
                _("Question %(n)s: required must be true or false."), params={"n": index}
            )


class ActionType(models.Model):
    """A kind of move, from the built-in catalogue (wargame/scenarios/catalogue.yaml)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    cost = models.PositiveSmallIntegerField(_("cost in action points"))
    targets = models.JSONField(_("valid targets"), default=list)
    answers = models.JSONField(_("inject kinds it answers"), default=list)
    mechanism = models.CharField(_("mechanism invoked"), max_length=40, blank=True)
    effects = models.JSONField(_("effects"), default=dict)
    # {"es": {"name": ..., "description": ...}, "pt-br": {...}}: the catalogue's translations.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("action type")
        verbose_name_plural = _("action types")

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        """The name in the reader's language."""
        return translated(self.name, self.translations, "name")

    @property
    def local_description(self) -> str:
        return translated(self.description, self.translations, "description")


class Scenario(models.Model):
    """A scenario as loaded, one row per version of its file.

    A version that an exercise uses is never changed: loading a different file with the same
    slug adds the next version, so an exercise keeps what it started with and its report stays
    true. New exercises take the latest version of each slug.
    """

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        validators=[RegexValidator(SLUG_PATTERN)],
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    briefing = models.TextField(_("public briefing"), help_text=_("Markdown, seen by everyone."))
    turns = models.PositiveSmallIntegerField(
        _("turns"), validators=[MinValueValidator(1), MaxValueValidator(MAX_TURNS)]
    )
    game_time_per_turn = models.CharField(_("game time per turn"), max_length=60)
    marking = models.CharField(
        _("exercise marking"),
        max_length=MARKING_MAX_LENGTH,
        blank=True,
        help_text=_("Above and below every inject and on the report; empty: the default."),
    )
    # [[NATION, NATION], ...]: pairs of nations without diplomatic relations.
    no_relations = models.JSONField(_("nations without diplomatic relations"), default=list,
                                    blank=True)  # fmt: skip
    # [[NATION, ACTION], ...]: Security Council mandates that give a host's consent in advance.
    mandates = models.JSONField(_("Security Council mandates"), default=list, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the scenario is written in; its translations give the others."),
    )
    minutes_per_turn = models.PositiveSmallIntegerField(
        _("real minutes per turn"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES_PER_TURN)],
    )
    actions = models.ManyToManyField(
        ActionType, related_name="scenarios", verbose_name=_("actions available")
    )
    feedback = models.JSONField(
        _("feedback questions"),
        default=list,
        blank=True,
        validators=[validate_feedback_questions],
        help_text=_(
            "The participant feedback form: a list of {id, kind, prompt, required}. "
            "Empty: the default questions."
        ),
    )
    # {"es": {field: text}, "pt-br": {...}}: the scenario file's translations of these texts.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    source_path = models.CharField(_("loaded from"), max_length=300, blank=True)
    # Who saved this version, and what it changed from the one before: the scenario's history.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    # The version this one was restored or copied from (another slug's, for a copy).
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("restored or copied from"),
    )
    # What changed from the version before, as `changes.changes_summary` gives it:
    # [{"part": "inject", "code": "M-03", "change": "changed", "fields": ["title"]}, ...]
    changes = models.JSONField(_("changes"), default=list, blank=True)
    local_title = LocalText()
    local_summary = LocalText()
    local_briefing = LocalText()
    local_game_time_per_turn = LocalText()
    local_marking = LocalText()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"], name="scenario_slug_version_unique"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="scenario_version_positive"),
            models.CheckConstraint(
                condition=Q(turns__gte=1, turns__lte=MAX_TURNS), name="scenario_turns_range"
            ),
            models.CheckConstraint(
                condition=Q(minutes_per_turn__gte=1, minutes_per_turn__lte=MAX_MINUTES_PER_TURN),
                name="scenario_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        # Versions of one scenario share its title; the admin's lists tell them apart.
        if self.version == 1:
            return self.title
        return _("%(title)s (version %(version)s)") % {
            "title": self.title,
            "version": self.version,
        }


class Objective(models.Model):
    """An exercise objective, mapped to a capability; rated P/S/M/U in the report."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(_("id"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    capability = models.CharField(_("capability"), max_length=200)
    local_title = LocalText()
    local_capability = LocalText()
    # {"es": {field: text}, "pt-br": {...}}: the scenario file's translations of these texts.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["scenario", "position"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "code"], name="objective_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class CriticalTask(models.Model):
    """A critical task of an objective: what must be done to achieve it, and the evaluation
    guide's prompt, what an evaluator looks for in play. Evaluators rate each task P / S / M /
    U; the objective's rating is proposed from them."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField(_("id"), max_length=40)
    title = models.CharField(_("critical task"), max_length=TASK_TITLE_MAX_LENGTH)
    prompt = models.TextField(_("evaluation prompt"), max_length=TASK_PROMPT_MAX_LENGTH)
    local_title = LocalText()
    local_prompt = LocalText()
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["objective", "position"]
        verbose_name = _("critical task")
        verbose_name_plural = _("critical tasks")
        constraints = [
            models.UniqueConstraint(fields=["objective", "code"], name="task_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class ScenarioNation(models.Model):
    """A playable nation: its private briefing, objectives and starting indicators."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="nations")
    code = models.CharField(
        _("ISO 3166-1 alpha-3 code"), max_length=3, validators=[validate_nation_code]
    )
    briefing = models.TextField(
        _("private briefing"), help_text=_("Markdown, seen by this team only.")
    )
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="nations", verbose_name=_("objectives")
    )
    stability = models.PositiveSmallIntegerField(_("starting stability"), default=60)
    support = models.PositiveSmallIntegerField(_("starting support at home"), default=60)
    capacity = models.PositiveSmallIntegerField(_("starting capacity"), default=50)
    budget = models.PositiveSmallIntegerField(_("action points per turn"), default=5)
    local_briefing = LocalText()
    # {"es": {field: text}, "pt-br": {...}}: the scenario file's translations of these texts.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["scenario", "position"]
        verbose_name = _("scenario nation")
        verbose_name_plural = _("scenario nations")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "code"], name="nation_code_unique"),
            models.CheckConstraint(
                condition=within_percent("stability"), name="nation_stability_range"
            ),
            models.CheckConstraint(
                condition=within_percent("capacity"), name="nation_capacity_range"
            ),
            models.CheckConstraint(
                condition=within_percent("support"), name="nation_support_range"
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0, budget__lte=100), name="nation_budget_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return nation_name(self.code)


class ScenarioTrust(models.Model):
    """Starting trust between two nations; symmetric, stored once with nation_a < nation_b."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="trust")
    nation_a = models.CharField(_("nation"), max_length=3)
    nation_b = models.CharField(_("other nation"), max_length=3)
    value = models.PositiveSmallIntegerField(_("trust"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["scenario", "position"]
        verbose_name = _("starting trust")
        verbose_name_plural = _("starting trust")
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "nation_a", "nation_b"], name="scenario_trust_pair_unique"
            ),
            models.CheckConstraint(
                condition=Q(nation_a__lt=F("nation_b")), name="scenario_trust_pair_ordered"
            ),
            models.CheckConstraint(condition=within_percent("value"), name="scenario_trust_range"),
        ]

    def __str__(self) -> str:
        return f"{self.nation_a}–{self.nation_b}: {self.value}"


class InjectTemplate(models.Model):
    """One row of the MSEL: what arrives, when, to whom, and what answers it."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="injects")
    code = models.CharField(_("number"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    turn = models.PositiveSmallIntegerField(_("turn"))
    kind = models.CharField(_("kind"), max_length=30, choices=InjectKind.choices)
    originator = models.CharField(_("from"), max_length=200, default="Control")
    recipients = models.JSONField(
        _("to"), default=list, blank=True, help_text=_("Nation codes; empty means all teams.")
    )
    method = models.CharField(
        _("method"), max_length=20, choices=DeliveryMethod.choices, default=DeliveryMethod.BRIEFING
    )
    title = models.CharField(_("title"), max_length=300)
    message = models.TextField(_("message"), help_text=_("Markdown."))
    private = models.JSONField(
        _("private parts"), default=dict, blank=True, help_text=_("Extra text per nation code.")
    )
    affects = models.JSONField(_("affects"), default=list, blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"), default=3)
    expected_actions = models.JSONField(_("expected actions"), default=list, blank=True)
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="injects",
        verbose_name=_("objective"),
    )
    contingency_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contingencies",
        verbose_name=_("contingency for"),
        help_text=_("Delivered only if that inject is still unanswered."),
    )
    notes = models.TextField(_("notes for evaluators"), blank=True)
    # [[NATION, NATION, change], ...]: trust between two nations moves once, when it arrives.
    trust_shocks = models.JSONField(_("effect on trust"), default=list, blank=True)
    # [[NATION, change], ...]: a nation's support at home moves once, when it arrives.
    support_shocks = models.JSONField(_("effect on support at home"), default=list, blank=True)
    # {"es": {"title": ..., "private": {nation: text}}, ...}: the file's translations.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    local_title = LocalText()
    local_message = LocalText()
    local_originator = LocalText()
    local_private = LocalText()
    local_notes = LocalText()

    class Meta:
        ordering = ["scenario", "turn", "position"]
        verbose_name = _("inject")
        verbose_name_plural = _("injects (MSEL)")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "code"], name="inject_code_unique"),
            models.CheckConstraint(condition=Q(turn__gte=1), name="inject_turn_positive"),
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=5), name="inject_severity_range"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=InjectKind.values), name="inject_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=DeliveryMethod.values), name="inject_method_valid"
            ),
        ]
        indexes = [models.Index(fields=["scenario", "turn"], name="inject_scenario_turn")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


MAX_SIMULATION_RUNS = 1000  # from the scenario's page; `manage.py balance` allows more


class Simulation(models.Model):
    """A scenario version played many times by the scripted bots in a worker, to see before
    the session what the scenario decides whatever the players do (wargame/engine/balance.py).
    The same version, play, seats, runs and seed always give the same figures."""

    class Play(models.TextChoices):
        BOTS = "bots", _("Every seat played by the scripted bots, who cooperate")
        SELFISH = "selfish", _("Every nation looking after itself only")
        EMPTY = "empty", _("Some seats left empty")
        NOBODY = "nobody", _("Every seat left empty: the scenario plays itself")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="simulations")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("asked for by"),
    )  # fmt: skip
    play = models.CharField(_("play"), max_length=10, choices=Play.choices, default=Play.BOTS)
    empty = models.JSONField(_("seats left empty"), default=list, blank=True)
    runs = models.PositiveIntegerField(
        _("plays"), default=200, validators=[MinValueValidator(1),
                                             MaxValueValidator(MAX_SIMULATION_RUNS)]
    )  # fmt: skip
    seed = models.PositiveIntegerField(_("first seed"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("plays done"), default=0)
    # The figures as `manage.py balance --json` prints them (dataclasses of engine.balance).
    result = models.JSONField(_("figures"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("simulation")
        verbose_name_plural = _("simulations")
        constraints = [
            models.CheckConstraint(
                condition=Q(runs__gte=1, runs__lte=MAX_SIMULATION_RUNS),
                name="simulation_runs_range",
            ),
            models.CheckConstraint(
                condition=Q(done__lte=F("runs")), name="simulation_done_le_runs"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario} · {self.get_play_display()} · {self.runs}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.runs) if self.runs else 0

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
