"""A change made to a scenario in the browser: one entry (the scenario's own texts, a nation,
an objective or an inject) edited, added, removed or moved, applied to the scenario as its file
states it and checked by the same rules as a file, every problem said beside its field."""

from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.translation import gettext

from wargame.scenarios.changes import entry_title, field_label
from wargame.scenarios.fileformat import (
    Loc,
    Problem,
    ScenarioFileError,
    ScenarioSpec,
    spec_to_data,
    validate_scenario_data,
)

Part = Literal["scenario", "nation", "objective", "inject"]
PLURAL = {"nation": "nations", "objective": "objectives", "inject": "injects"}
KEY = {"nation": "code", "objective": "id", "inject": "id"}
# The scenario's own fields that the browser edits.
SCENARIO_FIELDS = ("title", "summary", "briefing", "turns", "game_time_per_turn",
                   "minutes_per_turn", "marking")  # fmt: skip


@dataclass(frozen=True)
class Edit:
    """One change: `values` (the file format's field names) for the entry `code` of `part`, a
    new entry when `code` is empty; no values and `delete` to remove it; `move` -1 or 1 to
    move it up or down the list."""

    part: Part
    code: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    delete: bool = False
    move: int = 0


class EditRefused(Exception):
    """The change breaks a rule of the format: the problems of the edited entry by its field
    (the file's names; "" for the entry as a whole), and those it causes elsewhere."""

    def __init__(self, fields: dict[str, list[str]], elsewhere: list[str]) -> None:
        self.fields = fields
        self.elsewhere = elsewhere
        super().__init__("; ".join([*(m for ms in fields.values() for m in ms), *elsewhere]))


def spec_edited(spec: ScenarioSpec, edit: Edit) -> ScenarioSpec:
    """The scenario with the change made; raise EditRefused saying what is wrong."""
    data = spec_to_data(spec)
    at = _apply(data, edit)
    try:
        return validate_scenario_data(data, {}, spec.slug)
    except ScenarioFileError as exc:
        raise _refused(exc.problems, at, data, own=edit.part == "scenario") from None


def entry_of(spec: ScenarioSpec, part: Part, code: str) -> dict[str, Any] | None:
    """An entry as the file states it (the scenario's own fields for "scenario")."""
    data = spec_to_data(spec)
    if part == "scenario":
        return {name: data.get(name, "") for name in SCENARIO_FIELDS}
    return next((e for e in data[PLURAL[part]] if e[KEY[part]] == code), None)


def _apply(data: dict[str, Any], edit: Edit) -> Loc:
    """Make the change in the file's data; where the edited entry now is (() if removed)."""
    if edit.part == "scenario":
        data.update(_kept(data, edit.values))
        if not data.get("marking"):
            data.pop("marking", None)
        return ()
    plural, key = PLURAL[edit.part], KEY[edit.part]
    entries: list[dict[str, Any]] = data[plural]
    if not edit.code:
        entries.append(_without_empty(edit.values))
        return (plural, len(entries) - 1)
    index = next((i for i, e in enumerate(entries) if e[key] == edit.code), None)
    if index is None:
        message = gettext("%(code)s is no longer in the scenario") % {"code": edit.code}
        raise EditRefused({"": [message]}, [])
    if edit.delete:
        del entries[index]
        for texts in data.get("translations", {}).values():
            texts.get(plural, {}).pop(edit.code, None)
        return ()
    if edit.move:
        other = index + edit.move
        if 0 <= other < len(entries):
            entries[index], entries[other] = entries[other], entries[index]
            index = other
        return (plural, index)
    entries[index] = _without_empty({**entries[index], **_kept(entries[index], edit.values)})
    return (plural, index)


def _kept(entry: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """What a form sends back unchanged stays as it was, so it is not a change: a text but for
    the spaces around it (a form trims them, a file's block of text ends with a line break),
    a list of codes but for its order (a form lists them in its own)."""
    return {name: entry[name] if _same(entry.get(name), value) else value
            for name, value in values.items()}  # fmt: skip


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, str) and isinstance(after, str):
        return before.strip() == after.strip()
    if isinstance(before, list) and isinstance(after, list):
        return sorted(map(str, before)) == sorted(map(str, after))
    return False


def _without_empty(entry: dict[str, Any]) -> dict[str, Any]:
    """An optional field left empty is left out, as a file leaves it out."""
    optional = {"objective", "contingency_for", "notes", "private"}
    return {k: v for k, v in entry.items() if not (k in optional and v in (None, "", {}))}


def _refused(problems: list[Problem], at: Loc, data: dict[str, Any], *, own: bool) -> EditRefused:
    fields: dict[str, list[str]] = {}
    elsewhere = []
    for problem in problems:
        loc = problem.loc
        if at and loc[: len(at)] == at:
            name = str(loc[len(at)]) if len(loc) > len(at) else ""
            if name == "private" and len(loc) > len(at) + 1:
                name = f"private.{loc[len(at) + 1]}"  # the part of one nation
            fields.setdefault(name, []).append(problem.message)
        elif own and loc and loc[0] in SCENARIO_FIELDS:
            fields.setdefault(loc[0], []).append(problem.message)
        else:
            elsewhere.append(f"{_where(loc, data)}: {problem.message}")
    return EditRefused(fields, elsewhere)


def _where(loc: Loc, data: dict[str, Any]) -> str:
    """Where in the scenario a problem is, as people name it: "Nation HTI, Objectives"."""
    singular = {plural: part for part, plural in PLURAL.items()}
    if len(loc) > 1 and loc[0] in singular and isinstance(loc[1], int):
        part = singular[str(loc[0])]
        entries = data[str(loc[0])]
        code = entries[loc[1]].get(KEY[part], "") if loc[1] < len(entries) else ""
        where = entry_title(part, str(code))
        return f"{where}, {field_label(str(loc[2]))}" if len(loc) > 2 else where
    return field_label(str(loc[0])) if loc else entry_title("scenario", "")
