"""Writes for scenarios: the action catalogue and loading a validated scenario file."""

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from wargame.scenarios.catalogue import catalogue
from wargame.scenarios.fileformat import Problem, ScenarioFileError, ScenarioSpec, TaskSpec
from wargame.scenarios.models import (
    ActionType,
    CriticalTask,
    InjectTemplate,
    Objective,
    Scenario,
    ScenarioNation,
    ScenarioTrust,
)
from wargame.scenarios.selectors import scenario_spec


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
def scenario_load(spec: ScenarioSpec, *, source_path: str = "") -> Scenario:
    """Create the scenario, update it, or add a version of it; never change what an exercise uses.

    The latest version of the slug is updated in place while no exercise uses it. Once one does
    (in draft too: its teams and injects were copied from it; finished too: its report quotes
    it), a file that differs from it adds the next version, which new exercises take, and the
    exercise keeps the version it started with. A file equal to the latest version writes
    nothing. Children are matched by their ids (objective id, nation code, inject number), so
    what refers to them keeps pointing at the same rows. The whole load is one transaction: a
    scenario is never half written.
    """
    actiontypes_sync()
    # Locked so that no exercise is created from this version while it is rewritten in place
    # (exercise_create takes the same lock), and two loads of one slug cannot both add the same
    # next version.
    latest = (
        Scenario.objects.select_for_update().filter(slug=spec.slug).order_by("-version").first()
    )
    if latest is not None and scenario_spec(latest) == spec:
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
        "source_path": source_path,
    }
    if latest is None:
        scenario = Scenario.objects.create(slug=spec.slug, **values)
    elif latest.exercises.exists():
        scenario = Scenario.objects.create(slug=spec.slug, version=latest.version + 1, **values)
    else:
        scenario = latest
        for key, value in values.items():
            setattr(scenario, key, value)
        scenario.save()
    scenario.actions.set(ActionType.objects.filter(code__in=spec.actions))

    objectives = _sync_children(
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
        what="objective",
    )
    nations = _sync_children(
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
        what="nation",
    )
    for nation in spec.nations:
        nations[nation.code].objectives.set([objectives[oid] for oid in nation.objectives])
    for objective in spec.objectives:
        _sync_tasks(objectives[objective.id], objective.tasks)

    scenario.trust.all().delete()
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

    injects = _sync_children(
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
        what="inject",
    )
    for inject in spec.injects:
        if inject.contingency_for:
            row = injects[inject.id]
            row.contingency_for = injects[inject.contingency_for]
            row.save(update_fields=["contingency_for"])
    return scenario


def _sync_tasks(objective: Objective, tasks: tuple[TaskSpec, ...]) -> None:
    """An objective's critical tasks as the file gives them, matched by id. Only a version no
    exercise uses is rewritten in place, so no rating of a task is lost."""
    rows = {row.code: row for row in objective.tasks.all()}
    objective.tasks.exclude(code__in=[task.id for task in tasks]).delete()
    for position, task in enumerate(tasks):
        values = {
            "title": task.title,
            "prompt": task.prompt,
            "translations": task.translations,
            "position": position,
        }
        row = rows.get(task.id)
        if row is None:
            CriticalTask.objects.create(objective=objective, code=task.id, **values)
        else:
            _save_changes(row, values)


def _sync_children(
    scenario: Scenario,
    model: type[Objective] | type[ScenarioNation] | type[InjectTemplate],
    wanted: list[tuple[str, dict[str, Any]]],
    *,
    what: str,
) -> dict[str, Any]:
    """Update rows matched by code, create new ones, delete the ones no longer wanted."""
    rows = {row.code: row for row in model.objects.filter(scenario=scenario)}
    keep = {code for code, _values in wanted}
    stale = {code: row.pk for code, row in rows.items() if code not in keep}
    if stale:
        try:
            model.objects.filter(pk__in=stale.values()).delete()
        except ProtectedError as exc:
            referrers = {str(obj._meta.verbose_name_plural) for obj in exc.protected_objects}
            raise ScenarioFileError(
                [
                    Problem(
                        scenario.source_path or scenario.slug,
                        1,
                        f"{what}s",
                        f"cannot remove {what} {', '.join(sorted(stale))}: "
                        f"{len(exc.protected_objects)} {', '.join(sorted(referrers))} of "
                        f"exercises refer to it; keep it in the file",
                    )
                ]
            ) from None
    result: dict[str, Any] = {}
    for code, values in wanted:
        row = rows.get(code)
        if row is None:
            row = model.objects.create(scenario=scenario, code=code, **values)
        else:
            _save_changes(row, values)
        result[code] = row
    return result


def _save_changes(row: Any, values: dict[str, Any]) -> None:
    """Write the fields of `values` that differ from the row's, and only those."""
    changed = [key for key, value in values.items() if getattr(row, key) != value]
    if changed:
        for key in changed:
            setattr(row, key, values[key])
        row.save(update_fields=changed)
