"""What changed between two versions of a scenario: by objective, nation and inject, field by
field, with the words that changed in a text. Plain Python over ScenarioSpec: the upload's
summary, a version's history line and the comparison of two versions all read it."""

import difflib
import re
from dataclasses import dataclass, fields
from typing import Any, Literal

import yaml

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


@dataclass(frozen=True)
class Change:
    """An entry added, changed or removed: the scenario itself (code ""), an objective, a
    nation or an inject."""

    part: Part
    code: str
    kind: Kind
    fields: tuple[FieldChange, ...] = ()

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


def changes_counted(stored: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    """A stored summary grouped: (part, kind) → the codes, in order."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for change in stored:
        grouped.setdefault((change["part"], change["change"]), []).append(change["code"])
    return grouped

