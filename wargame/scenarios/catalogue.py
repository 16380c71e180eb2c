"""The built-in action catalogue, read from catalogue.yaml beside this module."""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from wargame.engine.rules import Rules

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")
TARGETS = ("self", "nation", "inject", "region")
EFFECT_KEYS = ("chance", "relief", "stability", "target_stability", "capacity", "trust")
# Effects an action may leave out (0 when absent).
OPTIONAL_EFFECT_KEYS = ("support",)
# Each action's name and description in the languages besides English (settings.LANGUAGES).
TRANSLATED = ("name", "description")
LANGUAGES = ("es", "pt-br")


@dataclass(frozen=True)
class ActionSpec:
    code: str
    name: str
    description: str
    cost: int
    targets: tuple[str, ...]
    answers: tuple[str, ...]
    mechanism: str
    effects: dict[str, Any] = field(hash=False)
    translations: dict[str, dict[str, str]] = field(hash=False, default_factory=dict)


@cache
def _catalogue_data() -> dict[str, Any]:
    return yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))


@cache
def engine_rules() -> Rules:
    """The engine's parameters: every action's effects and the rules section of the file."""
    data = _catalogue_data()
    return Rules.from_data(data["actions"], data["rules"])


@cache
def catalogue() -> tuple[ActionSpec, ...]:
    """Every built-in action type, in catalogue order."""
    data = _catalogue_data()
    actions = []
    for entry in data["actions"]:
        effects = dict(entry["effects"])
        if not set(EFFECT_KEYS) <= set(effects) <= set(EFFECT_KEYS + OPTIONAL_EFFECT_KEYS):
            raise ValueError(f"{CATALOGUE_PATH}: {entry['code']}: effects must be {EFFECT_KEYS}")
        if not set(entry["targets"]) <= set(TARGETS):
            raise ValueError(f"{CATALOGUE_PATH}: {entry['code']}: targets must be in {TARGETS}")
        translations = entry.get("translations", {})
        for language, texts in translations.items():
            if language not in LANGUAGES or not set(texts) <= set(TRANSLATED):
                raise ValueError(
                    f"{CATALOGUE_PATH}: {entry['code']}: translations are {TRANSLATED} "
                    f"in {LANGUAGES}"
                )
        actions.append(
            ActionSpec(
                code=entry["code"],
                name=entry["name"],
                description=entry["description"],
                cost=int(entry["cost"]),
                targets=tuple(entry["targets"]),
                answers=tuple(entry["answers"]),
                mechanism=entry["mechanism"],
                effects=effects,
                translations={language: dict(texts) for language, texts in translations.items()},
            )
        )
    return tuple(actions)


def catalogue_codes() -> tuple[str, ...]:
    return tuple(action.code for action in catalogue())
