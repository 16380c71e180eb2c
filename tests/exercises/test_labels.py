"""Every kind of event the code records has a label people read in the logs."""

import ast
import re
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from wargame.engine.state import MoveOutcome
from wargame.exercises.errors import MoveRefused
from wargame.exercises.labels import (
    DETAIL_LABELS,
    EVENT_LABELS,
    LIMIT_REASONS,
    REASONS,
    reason_text,
)
from wargame.exercises.models import Exercise
from wargame.exercises.services import move_submit
from wargame.scenarios.catalogue import engine_rules

from .conftest import People

SOURCE = Path(__file__).resolve().parents[2] / "wargame"
KIND = re.compile(r"^[a-z_]+\.[a-z_]+$")


def _kinds(node: ast.AST) -> set[str]:
    return {
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and KIND.match(n.value)
    }


def recorded_kinds() -> set[str]:
    """The kinds written by `event_record(exercise, kind, …)`, `Event(kind=…)` and the
    `kind = "…"` a bulk write names before it creates its events."""
    kinds: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name == "event_record" and len(node.args) >= 2:
                    kinds |= _kinds(node.args[1])
                elif name == "Event":
                    kinds |= {k for kw in node.keywords if kw.arg == "kind" for k in _kinds(kw)}
            elif isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "kind" for target in node.targets
            ):
                kinds |= _kinds(node.value)
    return kinds


def test_every_recorded_kind_of_event_has_a_label() -> None:
    kinds = recorded_kinds()
    # The scan finds what it should: kinds from each app, in each way they are written.
    assert {"move.refused", "inject.skipped", "proposal.countered", "hotwash.item_added"} <= kinds
    assert kinds - EVENT_LABELS.keys() == set()
    assert all(str(label) and str(label) != kind for kind, label in EVENT_LABELS.items())


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["exercises:control", "exercises:evaluate"])
def test_the_logs_show_labels_not_event_names(
    page: str, started: Exercise, people: People, client_for: Callable
) -> None:
    with pytest.raises(MoveRefused):
        move_submit(actor=people.player_a, team=people.team_a, action="no_such_action")
    html = client_for(people.facilitator).get(reverse(page, args=[started.code])).content
    html = html.decode()
    assert "Move refused" in html and "Turn opened" in html
    assert "move.refused" not in html and "turn.opened" not in html


def recorded_details() -> set[str]:
    """The names of the details events keep: the keywords of `event_record(…)` calls and the
    keys of the `payload={…}` of events written in bulk, and a move's outcome (the engine's
    `MoveOutcome`, kept as the details of `move.adjudicated`)."""
    keys = {f.name for f in fields(MoveOutcome)}
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name == "event_record":
                keys |= {
                    kw.arg for kw in node.keywords if kw.arg not in (None, "actor", "team", "turn")
                }
            elif name == "Event":
                for kw in node.keywords:
                    if kw.arg == "payload" and isinstance(kw.value, ast.Dict):
                        keys |= {k.value for k in kw.value.keys if isinstance(k, ast.Constant)}
    return keys


def test_every_detail_an_event_keeps_has_a_name() -> None:
    keys = recorded_details()
    assert {"title", "regional_stability", "target_team", "factors", "why"} <= keys
    # `about` holds a reason's parameters and is worded with the reason.
    assert keys - DETAIL_LABELS.keys() - {"key", "about"} == set()


def test_every_reason_the_engine_and_the_turn_cycle_give_is_worded() -> None:
    engine = (SOURCE / "engine" / "adjudicate.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'return "([a-z_]+)", \{', engine))
    codes |= set(re.findall(r'reason="([a-z_]+)"', engine))
    codes |= set(re.findall(r'"([a-z_]+)" if move\.forced', engine))
    # A host's answer gives its kind as the reason.
    codes |= {rule.consent for rule in engine_rules().actions.values() if rule.consent}
    # Why a turn closed or an exercise ended: given where the cycle closes or ends them, and
    # by the clock for the turns it finds due.
    for path in [*(SOURCE / "turns").rglob("*.py"), SOURCE / "web" / "views.py"]:
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'reason(?:: str)? ?= ?"([a-z ]+)"', text))
        for pair in re.findall(
            r'"([a-z ]+)" if deadline and deadline <= now else "([a-z ]+)"', text
        ):
            codes |= set(pair)
    assert {"cost", "counter_limit", "action_limit", "forced", "against", "deadline",
            "without_consent", "declined", "request", "decline"} <= codes  # fmt: skip
    about = {"action": "hadr", "team": "HTI", "limit": 2, "cost": 2, "committed": 1,
             "inject": "M-01", "move": "HTI:1", "host": "HTI"}  # fmt: skip
    names = {"hadr": "Relief", "HTI": "Haiti"}
    for code in codes:
        assert code in REASONS.keys() | LIMIT_REASONS.keys(), code
        words = reason_text(code, about, lambda c: names.get(c, c))
        assert "%(" not in words and "hadr" not in words and "_" not in words, (code, words)
    with translation.override("es"):
        assert reason_text("action_limit", about, lambda c: names.get(c, c)) == (
            "Haiti ya hizo 2 jugadas de Relief en este turno"
        )
        # A reason a person typed, or one an older version wrote in words, reads as it was.
        assert reason_text("Airlift was pre-positioned.", {}, str) == "Airlift was pre-positioned."
