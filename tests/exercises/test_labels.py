"""Every kind of event the code records has a label people read in the logs."""

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse

from wargame.exercises.errors import MoveRefused
from wargame.exercises.labels import EVENT_LABELS
from wargame.exercises.models import Exercise
from wargame.exercises.services import move_submit

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
