"""Writes for scenarios: the action catalogue, saving a version, restoring one, and the
simulations that balance a scenario."""

import dataclasses
from functools import partial
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wargame.engine.balance import balance
from wargame.lib.tasks import task_send
from wargame.scenarios.catalogue import catalogue, engine_rules
from wargame.scenarios.changes import changes_summary, spec_changes
from wargame.scenarios.edits import Edit, EditRefused, entry_of, spec_edited
from wargame.scenarios.fileformat import ScenarioSpec
from wargame.scenarios.models import (
    NOTE_MAX_LENGTH,
    ActionType,
    CriticalTask,
    InjectTemplate,
    Objective,
    Scenario,
    ScenarioNation,
    ScenarioTrust,
    Simulation,
)
from wargame.scenarios.selectors import scenario_spec
from wargame.scenarios.simulation import simulation_plan

SIMULATE = "scenarios.simulate"
# How often a simulation tells its page how far it is: about every 2% of the plays.
PROGRESS_STEPS = 50


@transaction.atomic
def actiontypes_sync() -> None:
    """Make the ActionType table match the built-in catalogue file."""
    existing = {action.code: action for action in ActionType.objects.all()}
    for position, spec in enumerate(catalogue()):
        values = {
            "name": spec.name,
            "description": spec.description,
            "cost": spec.cost,
            "targets": list(spec.targets),
            "answers": list(spec.answers),
            "mechanism": spec.mechanism,
            "effects": spec.effects,
            "translations": spec.translations,
            "position": position,
        }
        action = existing.get(spec.code)
        if action is None:
            ActionType.objects.create(code=spec.code, **values)
        else:
            _save_changes(action, values)


def actiontypes_sync_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """post_migrate hook: a fresh database has the catalogue without a separate step."""
    with transaction.atomic(using=using):
        actiontypes_sync()


@transaction.atomic
def scenario_load(
    spec: ScenarioSpec,
    *,
    source_path: str = "",
    author: AbstractBaseUser | None = None,
    note: str = "",
    derived_from: Scenario | None = None,
) -> Scenario:
    """Save a scenario: its first version, or the next one; never change a version.

    A spec equal to the latest version writes nothing and returns it. Any other adds the next
    version, with who saved it, their note and what changed from the one before, so that an
    exercise keeps the version it was created from and its report stays true, and new
    exercises take the latest. The whole save is one transaction: a scenario is never half
    written.
    """
    actiontypes_sync()
    # Locked so that two saves of one slug cannot both add the same next version.
    latest = (
        Scenario.objects.select_for_update().filter(slug=spec.slug).order_by("-version").first()
    )
    before = scenario_spec(latest) if latest is not None else None
    if latest is not None and before == spec:
        return latest
    values = {
        "title": spec.title,
        "summary": spec.summary,
        "briefing": spec.briefing,
        "turns": spec.turns,
        "game_time_per_turn": spec.game_time_per_turn,
        "marking": spec.marking,
        "no_relations": [list(p) for p in spec.no_relations],
        "mandates": [list(m) for m in spec.mandates],
        "language": spec.language,
        "minutes_per_turn": spec.minutes_per_turn,
        "feedback": [
            {"id": q.id, "kind": q.kind, "prompt": q.prompt, "required": q.required}
            | ({"translations": q.translations} if q.translations else {})
            for q in spec.feedback
        ],
        "translations": spec.translations,
        "source_path": source_path or (latest.source_path if latest else ""),
        "author": author,
        "note": note[:NOTE_MAX_LENGTH],
        "derived_from": derived_from,
        "changes": changes_summary(spec_changes(before, spec)),
    }
    scenario = Scenario.objects.create(
        slug=spec.slug, version=latest.version + 1 if latest else 1, **values
    )
    scenario.actions.set(ActionType.objects.filter(code__in=spec.actions))

    objectives = _create_children(
        scenario,
        Objective,
        [
            (
                o.id,
                {
                    "title": o.title,
                    "capability": o.capability,
                    "translations": o.translations,
                    "position": position,
                },
            )
            for position, o in enumerate(spec.objectives)
        ],
    )
    nations = _create_children(
        scenario,
        ScenarioNation,
        [
            (
                n.code,
                {
                    "briefing": n.briefing,
                    "stability": n.stability,
                    "capacity": n.capacity,
                    "budget": n.budget,
                    "support": n.support,
                    "translations": n.translations,
                    "position": position,
                },
            )
            for position, n in enumerate(spec.nations)
        ],
    )
    for nation in spec.nations:
        nations[nation.code].objectives.set([objectives[oid] for oid in nation.objectives])
    CriticalTask.objects.bulk_create(
        CriticalTask(
            objective=objectives[objective.id],
            code=task.id,
            title=task.title,
            prompt=task.prompt,
            translations=task.translations,
            position=position,
        )
        for objective in spec.objectives
        for position, task in enumerate(objective.tasks)
    )
    ScenarioTrust.objects.bulk_create(
        ScenarioTrust(
            scenario=scenario,
            nation_a=min(t.a, t.b),
            nation_b=max(t.a, t.b),
            value=t.value,
            position=position,
        )
        for position, t in enumerate(spec.trust)
    )

    injects = _create_children(
        scenario,
        InjectTemplate,
        [
            (
                i.id,
                {
                    "position": position,
                    "turn": i.turn,
                    "kind": i.kind,
                    "originator": i.originator,
                    "recipients": list(i.to),
                    "method": i.method,
                    "title": i.title,
                    "message": i.message,
                    "private": dict(i.private),
                    "affects": list(i.affects),
                    "severity": i.severity,
                    "expected_actions": list(i.expected_actions),
                    "objective": objectives[i.objective] if i.objective else None,
                    "contingency_for": None,
                    "notes": i.notes,
                    "translations": i.translations,
                    "trust_shocks": [list(shock) for shock in i.trust],
                    "support_shocks": [list(shock) for shock in i.support],
                },
            )
            for position, i in enumerate(spec.injects)
        ],
    )
    for inject in spec.injects:
        if inject.contingency_for:
            row = injects[inject.id]
            row.contingency_for = injects[inject.contingency_for]
            row.save(update_fields=["contingency_for"])
    return scenario


def scenario_duplicate(
    scenario: Scenario, *, slug: str, title: str, author: AbstractBaseUser | None
) -> Scenario:
    """A copy of the version under a new slug and title, as its version 1; its translations
    stay, but for the title, which the copy no longer shares."""
    spec = scenario_spec(scenario)
    translations = {
        language: {name: text for name, text in texts.items() if name != "title"}
        for language, texts in spec.translations.items()
    }
    copy = dataclasses.replace(spec, slug=slug, title=title, translations=translations)
    return scenario_load(copy, author=author, derived_from=scenario)


@transaction.atomic
def scenario_edit(*, slug: str, edit: Edit, base: int, author: AbstractBaseUser | None) -> Scenario:
    """One entry changed in the browser, saved as the next version of the scenario.

    The change is made to the latest version, so two authors editing different entries both
    keep their work; if the entry itself changed since the version the author was shown
    (`base`), the change is refused rather than written over the other's. Raise EditRefused
    with every problem the format finds, beside its field.
    """
    latest = Scenario.objects.select_for_update().filter(slug=slug).order_by("-version").first()
    if latest is None:
        raise EditRefused({"": [gettext("The scenario no longer exists.")]}, [])
    spec = scenario_spec(latest)
    shown = None
    if base != latest.version and (edit.code or edit.part == "scenario"):
        shown = Scenario.objects.filter(slug=slug, version=base).first()
    if shown is not None and (
        entry_of(scenario_spec(shown), edit.part, edit.code) != entry_of(spec, edit.part, edit.code)
    ):
        message = gettext(
            "Someone saved a change to this entry since you opened it (version %(version)s). "
            "Your text is kept here: compare, then save again."
        ) % {"version": latest.version}
        raise EditRefused({"": [message]}, [])
    return scenario_load(spec_edited(spec, edit), author=author)


def scenario_restore(version: Scenario, *, author: AbstractBaseUser | None) -> Scenario:
    """An old version saved again as the next one; the versions between stay as they were.
    Restoring what the latest version already holds writes nothing and returns it."""
    return scenario_load(
        scenario_spec(version), source_path=version.source_path, author=author,
        derived_from=version,
    )  # fmt: skip


@transaction.atomic
def simulation_request(
    *,
    scenario: Scenario,
    actor: AbstractBaseUser | None,
    play: str = Simulation.Play.BOTS,
    empty: list[str] | tuple[str, ...] = (),
    runs: int = 200,
    seed: int = 1,
) -> Simulation:
    """Ask a worker to balance the version. The same question asked again (by another
    author, or by a second click) is answered by the simulation already under way or done:
    the figures are the same for the same seed."""
    empty = sorted(set(empty)) if play == Simulation.Play.EMPTY else []
    same = (
        Simulation.objects.filter(scenario=scenario, play=play, empty=empty, runs=runs, seed=seed)
        .exclude(status=Simulation.Status.FAILED)
        .first()
    )
    if same is not None:
        return same
    simulation = Simulation.objects.create(
        scenario=scenario, requested_by=actor, play=play, empty=empty, runs=runs, seed=seed
    )
    transaction.on_commit(partial(task_send, SIMULATE, simulation.pk))
    return simulation


def simulation_run(simulation_id: int) -> Simulation | None:
    """Play a queued simulation and keep its figures; None if it is not waiting (done,
    taken by another worker, or deleted), so a repeated message changes nothing."""
    with transaction.atomic():
        simulation = (
            Simulation.objects.select_for_update(skip_locked=True)
            .filter(pk=simulation_id, status=Simulation.Status.QUEUED)
            .select_related("scenario")
            .first()
        )
        if simulation is None:
            return None
        simulation.status = Simulation.Status.RUNNING
        simulation.save(update_fields=["status"])
    plan = simulation_plan(scenario_spec(simulation.scenario))
    seats = frozenset(plan.teams)
    idle = {
        Simulation.Play.NOBODY: seats,
        Simulation.Play.EMPTY: frozenset(simulation.empty) & seats,
    }.get(simulation.play, frozenset())
    selfish = seats if simulation.play == Simulation.Play.SELFISH else frozenset()
    rows = Simulation.objects.filter(pk=simulation.pk)
    step = max(1, simulation.runs // PROGRESS_STEPS)

    def progress(done: int) -> None:
        if done % step == 0:
            rows.update(done=done)

    try:
        figures = balance(
            plan, engine_rules(), runs=simulation.runs, seed=simulation.seed, idle=idle,
            selfish=selfish, progress=progress,
        )  # fmt: skip
    except Exception:
        rows.update(status=Simulation.Status.FAILED, finished_at=timezone.now())
        raise
    rows.update(
        status=Simulation.Status.DONE,
        done=simulation.runs,
        result=dataclasses.asdict(figures),
        finished_at=timezone.now(),
    )
    simulation.refresh_from_db()
    return simulation


def _create_children(
    scenario: Scenario,
    model: type[Objective] | type[ScenarioNation] | type[InjectTemplate],
    wanted: list[tuple[str, dict[str, Any]]],
) -> dict[str, Any]:
    """The version's objectives, nations or injects, by their codes."""
    return {
        code: model.objects.create(scenario=scenario, code=code, **values)
        for code, values in wanted
    }


def _save_changes(row: Any, values: dict[str, Any]) -> None:
    """Write the fields of `values` that differ from the row's, and only those."""
    changed = [key for key, value in values.items() if getattr(row, key) != value]
    if changed:
        for key in changed:
            setattr(row, key, values[key])
        row.save(update_fields=changed)
