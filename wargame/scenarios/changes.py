"""What changed between two versions of a scenario: by objective, nation and inject, field by
field, with the words that changed in a text. Plain Python over ScenarioSpec: the upload's
summary, a version's history line and the comparison of two versions all read it."""

import difflib
import re
from dataclasses import dataclass, fields
from typing import Any, Literal

import yaml
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from wargame.scenarios.fileformat import (
    FeedbackQuestionSpec,
    ScenarioSpec,
    TaskSpec,
    TrustSpec,
)

Part = Literal["scenario", "objective", "nation", "inject"]
Kind = Literal["added", "changed", "removed"]
PARTS: tuple[Part, ...] = ("scenario", "objective", "nation", "inject")
KINDS: tuple[Kind, ...] = ("added", "changed", "removed")
# The scenario's own fields, in the order its file gives them; the slug names the scenario and
# is never a change of it.
SCENARIO_FIELDS = tuple(
    f.name for f in fields(ScenarioSpec) if f.name not in {"slug", "objectives", "nations",
                                                             "injects", "warnings"}
)  # fmt: skip
# Long texts, shown as the words that changed; other values are shown before and after.
LONG_TEXTS = frozenset({"summary", "briefing", "message", "notes"})


@dataclass(frozen=True)
class FieldChange:
    """One field of an entry, before and after, as text to read."""

    name: str
    before: str
    after: str

    @property
    def words(self) -> list[tuple[str, str]]:
        """The change as runs of words: ("same" | "removed" | "added", text)."""
        return word_changes(self.before, self.after)

    @property
    def long(self) -> bool:
        return self.name in LONG_TEXTS

    @property
    def label(self) -> str:
        return field_label(self.name)


@dataclass(frozen=True)
class Change:
    """An entry added, changed or removed: the scenario itself (code ""), an objective, a
    nation or an inject."""

    part: Part
    code: str
    kind: Kind
    fields: tuple[FieldChange, ...] = ()

    @property
    def title(self) -> str:
        """What changed, as a heading: "Inject M-03", "Nation HTI", "The scenario"."""
        return entry_title(self.part, self.code)

    @property
    def kind_label(self) -> str:
        return str(_KIND_LABELS[self.kind])

    def stored(self) -> dict[str, Any]:
        """The change as a version keeps it in its history: without the texts."""
        return {
            "part": self.part,
            "code": self.code,
            "change": self.kind,
            "fields": [f.name for f in self.fields],
        }


def spec_changes(before: ScenarioSpec | None, after: ScenarioSpec) -> tuple[Change, ...]:
    """Every difference from `before` to `after`: the scenario's own fields first, then
    objectives, nations and injects in the order of `after`, removed entries last of each."""
    if before is None:
        return ()
    found: list[Change] = []
    own = _field_changes(before, after, SCENARIO_FIELDS)
    if own:
        found.append(Change("scenario", "", "changed", own))
    entries: tuple[tuple[Part, str, tuple[Any, ...], tuple[Any, ...]], ...] = (
        ("objective", "id", before.objectives, after.objectives),
        ("nation", "code", before.nations, after.nations),
        ("inject", "id", before.injects, after.injects),
    )
    for part, key, old, new in entries:
        old_by = {getattr(entry, key): entry for entry in old}
        new_codes = {getattr(entry, key) for entry in new}
        for entry in new:
            code = getattr(entry, key)
            if code not in old_by:
                found.append(Change(part, code, "added"))
                continue
            names = tuple(f.name for f in fields(entry) if f.name != key)
            changed = _field_changes(old_by[code], entry, names)
            if changed:
                found.append(Change(part, code, "changed", changed))
        found.extend(Change(part, code, "removed") for code in old_by if code not in new_codes)
    return tuple(found)


def _field_changes(before: Any, after: Any, names: tuple[str, ...]) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, shown(getattr(before, name)), shown(getattr(after, name)))
        for name in names
        if getattr(before, name) != getattr(after, name)
    )


def shown(value: Any) -> str:
    """A value of a scenario as a person reads it in a comparison."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int):
        return str(value)
    if isinstance(value, TrustSpec):
        return f"{value.a}–{value.b} {value.value}"
    if isinstance(value, TaskSpec):
        return f"{value.id}: {value.title} — {value.prompt}"
    if isinstance(value, FeedbackQuestionSpec):
        return f"{value.id} ({value.kind}): {value.prompt}"
    if isinstance(value, tuple) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    if isinstance(value, tuple) and value and isinstance(value[0], TaskSpec | FeedbackQuestionSpec):
        return "\n".join(shown(item) for item in value)
    if isinstance(value, tuple):
        return "; ".join(" ".join(str(part) for part in item) if isinstance(item, tuple)
                         else shown(item) for item in value)  # fmt: skip
    if isinstance(value, dict):
        if not value:
            return ""
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=True, width=100).strip()
    return str(value)


_WORD = re.compile(r"\s+|[^\s]+")


def word_changes(before: str, after: str) -> list[tuple[str, str]]:
    """Runs of words kept, removed and added from one text to the other."""
    old, new = _WORD.findall(before), _WORD.findall(after)
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", "".join(old[a0:a1])))
            continue
        if a1 > a0:
            runs.append(("removed", "".join(old[a0:a1])))
        if b1 > b0:
            runs.append(("added", "".join(new[b0:b1])))
    return runs


def changes_summary(changes: tuple[Change, ...]) -> list[dict[str, Any]]:
    """The changes as a version stores them."""
    return [change.stored() for change in changes]


# How each field is named to people, in the comparison of two versions.
FIELD_LABELS: dict[str, Promise] = {
    "title": _("Title"),
    "summary": _("Summary"),
    "briefing": _("Briefing"),
    "turns": _("Turns"),
    "game_time_per_turn": _("Game time per turn"),
    "minutes_per_turn": _("Real minutes per turn"),
    "marking": _("Exercise marking"),
    "language": _("Language"),
    "trust": _("Trust"),
    "no_relations": _("Nations without diplomatic relations"),
    "actions": _("Actions available"),
    "mandates": _("Security Council mandates"),
    "feedback": _("Feedback questions"),
    "translations": _("Translations"),
    "capability": _("Capability"),
    "tasks": _("Critical tasks"),
    "objectives": _("Objectives"),
    "stability": _("Stability"),
    "capacity": _("Capacity"),
    "budget": _("Budget"),
    "support": _("Support at home"),
    "turn": _("Turn"),
    "kind": _("Kind"),
    "message": _("Message"),
    "originator": _("From"),
    "to": _("To"),
    "method": _("Delivery"),
    "private": _("Private parts"),
    "affects": _("Nations affected"),
    "severity": _("Severity"),
    "expected_actions": _("Expected actions"),
    "objective": _("Objective"),
    "contingency_for": _("Contingency for"),
    "notes": _("Notes for evaluators"),
}
_TITLES: dict[str, Promise] = {
    "scenario": _("The scenario"),
    "objective": _("Objective %(code)s"),
    "nation": _("Nation %(code)s"),
    "inject": _("Inject %(code)s"),
}
_KIND_LABELS: dict[str, Promise] = {
    "added": pgettext_lazy("an entry of a scenario", "added"),
    "changed": pgettext_lazy("an entry of a scenario", "changed"),
    "removed": pgettext_lazy("an entry of a scenario", "removed"),
}
# One line of a version's history per part and kind of change.
_LINES: dict[tuple[str, str], Promise] = {
    ("objective", "added"): _("Objectives added: %(codes)s"),
    ("objective", "changed"): _("Objectives changed: %(codes)s"),
    ("objective", "removed"): _("Objectives removed: %(codes)s"),
    ("nation", "added"): _("Nations added: %(codes)s"),
    ("nation", "changed"): _("Nations changed: %(codes)s"),
    ("nation", "removed"): _("Nations removed: %(codes)s"),
    ("inject", "added"): _("Injects added: %(codes)s"),
    ("inject", "changed"): _("Injects changed: %(codes)s"),
    ("inject", "removed"): _("Injects removed: %(codes)s"),
}


def entry_title(part: str, code: str) -> str:
    """An entry as people name it: "Inject M-03", "Nation HTI", "The scenario"."""
    return str(_TITLES[part]) % {"code": code}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def changes_lines(stored: list[dict[str, Any]]) -> list[str]:
    """A version's changes as people read them, one line per part and kind: "Injects changed:
    M-03 (Title, Message)"; the scenario's own fields first."""
    lines = [
        gettext("Scenario changed: %(fields)s")
        % {"fields": ", ".join(field_label(name) for name in change["fields"])}
        for change in stored
        if change["part"] == "scenario"
    ]
    for part in PARTS[1:]:
        for kind in KINDS:
            named = [
                change["code"]
                + (
                    f" ({', '.join(field_label(name) for name in change['fields'])})"
                    if change["fields"]
                    else ""
                )
                for change in stored
                if (change["part"], change["change"]) == (part, kind)
            ]
            if named:
                lines.append(str(_LINES[(part, kind)]) % {"codes": "; ".join(named)})
    return lines
