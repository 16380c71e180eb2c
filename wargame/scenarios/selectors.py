"""Reads for scenarios."""

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from wargame.scenarios.fileformat import (
    FeedbackQuestionSpec,
    InjectSpec,
    NationSpec,
    ObjectiveSpec,
    ScenarioSpec,
    TaskSpec,
    TrustSpec,
)
from wargame.scenarios.models import InjectTemplate, Scenario, ScenarioNation


def scenarios_latest() -> QuerySet[Scenario]:
    """The latest version of each scenario: what a new exercise can be run from."""
    newer = Scenario.objects.filter(slug=OuterRef("slug"), version__gt=OuterRef("version"))
    return Scenario.objects.exclude(Exists(newer)).order_by("title", "slug")


def scenario_list() -> QuerySet[Scenario]:
    """The scenario library, with what a card shows: the latest version of each."""
    return scenarios_latest().prefetch_related("nations")


def scenario_latest(slug: str, *, version: int | None = None) -> Scenario | None:
    """The scenario with this slug: its latest version, or the version asked for."""
    versions = Scenario.objects.filter(slug=slug)
    if version is not None:
        return versions.filter(version=version).first()
    return versions.order_by("-version").first()


def scenario_versions(slug: str) -> QuerySet[Scenario]:
    """Every version of a scenario, newest first, with who saved it, what it was restored or
    copied from and how many exercises use it: the scenario's history."""
    return (
        Scenario.objects.filter(slug=slug)
        .select_related("author", "derived_from")
        .annotate(exercise_count=Count("exercises"))
        .order_by("-version")
    )


def scenario_newer(scenario: Scenario) -> Scenario | None:
    """The latest version of the scenario if it is newer than this one (one query)."""
    return (
        Scenario.objects.filter(slug=scenario.slug, version__gt=scenario.version)
        .order_by("-version")
        .only("slug", "version", "title", "updated_at")
        .first()
    )


def scenario_spec(scenario: Scenario) -> ScenarioSpec:
    """The scenario as a file would state it; export writes this, load reads it back."""
    scenario = Scenario.objects.prefetch_related(
        "objectives__tasks",
        Prefetch(
            "nations",
            queryset=ScenarioNation.objects.prefetch_related("objectives").order_by("position"),
        ),
        "trust",
        "actions",
        Prefetch(
            "injects",
            queryset=InjectTemplate.objects.select_related("objective", "contingency_for").order_by(
                "position"
            ),
        ),
    ).get(pk=scenario.pk)
    return ScenarioSpec(
        slug=scenario.slug,
        title=scenario.title,
        summary=scenario.summary,
        briefing=scenario.briefing,
        turns=scenario.turns,
        game_time_per_turn=scenario.game_time_per_turn,
        marking=scenario.marking,
        no_relations=tuple((a, b) for a, b in scenario.no_relations),
        mandates=tuple((host, action) for host, action in scenario.mandates),
        language=scenario.language,
        minutes_per_turn=scenario.minutes_per_turn,
        objectives=tuple(
            ObjectiveSpec(
                id=o.code,
                title=o.title,
                capability=o.capability,
                translations=o.translations,
                tasks=tuple(
                    TaskSpec(t.code, t.title, t.prompt, t.translations) for t in o.tasks.all()
                ),
            )
            for o in scenario.objectives.all()
        ),
        nations=tuple(
            NationSpec(
                code=n.code,
                briefing=n.briefing,
                objectives=tuple(o.code for o in sorted(n.objectives.all(), key=_position)),
                stability=n.stability,
                capacity=n.capacity,
                budget=n.budget,
                support=n.support,
                translations=n.translations,
            )
            for n in scenario.nations.all()
        ),
        trust=tuple(
            TrustSpec(a=t.nation_a, b=t.nation_b, value=t.value) for t in scenario.trust.all()
        ),
        actions=tuple(a.code for a in scenario.actions.all()),
        injects=tuple(
            InjectSpec(
                id=i.code,
                turn=i.turn,
                kind=i.kind,
                title=i.title,
                message=i.message,
                originator=i.originator,
                to=tuple(i.recipients),
                method=i.method,
                private=dict(i.private),
                affects=tuple(i.affects),
                severity=i.severity,
                expected_actions=tuple(i.expected_actions),
                objective=i.objective.code if i.objective else None,
                contingency_for=i.contingency_for.code if i.contingency_for else None,
                notes=i.notes,
                translations=i.translations,
                trust=tuple((a, b, change) for a, b, change in i.trust_shocks),
                support=tuple((nation, change) for nation, change in i.support_shocks),
            )
            for i in scenario.injects.all()
        ),
        feedback=tuple(
            FeedbackQuestionSpec(
                id=q["id"],
                kind=q["kind"],
                prompt=q["prompt"],
                required=q.get("required", False),
                translations=q.get("translations", {}),
            )
            for q in scenario.feedback
        ),
        translations=scenario.translations,
    )


def _position(obj: object) -> int:
    return getattr(obj, "position", 0)
