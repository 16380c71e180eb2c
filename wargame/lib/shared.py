"""Regions rendered once and served to everyone who sees the same thing.

The five players of a team see the same room: the same injects, situation reports, moves,
indicators, negotiations and forms. Only the CSRF token in each form and the move form's
idempotency key differ between them (and the channels panel, with each player's unread
counts, which is not shared). A region written `{% shared "name" %}...{% endshared %}` is
rendered once per team, viewer kind and version of what it shows, and kept in the cache; each
answer puts its own token and key in. When a turn changes, 35 teams' rooms are rendered
instead of 175 players' rooms, and a move or a message re-renders only what it changed.
The control room is kept the same way: it reloads on every change in any nation's room, and
a move re-renders its table of teams and its log, not its trust heat map of 1,225 cells.

A region's version is the last version of the exercise that changed one of its topics for
that team, as the pulse publishes them (every change reaches the pulse through
`event_record`). A new version is a new key; old ones expire. Without keys (a form with
errors, a refusal, the cache unreachable or behind the page) regions are rendered as usual.
"""

import contextlib
import uuid
from typing import Any

from django import template
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from wargame.lib.pulse import CACHE_ERRORS, TOPICS, room_versions

# What a form's CSRF field holds in the kept copy, replaced by the viewer's token on the way out.
PLACEHOLDER = "cumbre-shared-csrf-token"
# What stands for a value each answer must hold alone, like the move form's idempotency key
# (two players submitting from one copy must not look like one double click): a new one per
# answer.
ONCE = "cumbre-shared-once"
# A room nobody changes stays this long; a change makes a new key at once.
SHARED_SECONDS = 15 * 60


# The team room's shared regions (templates/exercises/team.html) and the pulse topics whose
# changes each one shows. "turn" stands for every change of the whole exercise. A test checks
# that each region's topics include those it reloads on.
ROOM_REGIONS: dict[str, tuple[str, ...]] = {
    "clock": ("turn",),
    "indicators": ("turn", "moves", "teams", "agreements"),
    "move-form": ("turn", "injects"),
    "moves": ("turn", "moves", "teams"),
    "negotiation": ("turn", "agreements"),
    "situation": ("turn", "injects", "moves"),
    "briefing": ("turn",),
}


# The control room's regions (templates/exercises/control.html) and their topics, as every
# facilitator of the exercise sees them. It watches every nation, so a region's version is the
# last change of its topics in any room. The event log shows every event: every topic.
CONTROL_REGIONS: dict[str, tuple[str, ...]] = {
    "clock": ("turn",),
    "teams-status": ("turn", "moves", "teams", "people"),
    "review": ("turn", "moves"),
    "negotiation": ("turn", "agreements"),
    "injects": ("turn", "injects"),
    "indicators": ("turn", "agreements"),
    "log": TOPICS,
}


def room_regions(exercise: Any, team: Any, *, can_act: bool) -> dict[str, tuple[str, str | None]]:
    """For each shared region of `team`'s room: its key and the copy kept under it (None if
    there is none yet), in one read of the cache; {} not to share the room."""
    viewer = "act" if can_act else "see"
    return _regions(exercise, team.nation_code, viewer, ROOM_REGIONS)


def control_regions(exercise: Any) -> dict[str, tuple[str, str | None]]:
    """The same for the control room, whose facilitators all see the same regions."""
    return _regions(exercise, None, "control", CONTROL_REGIONS)


def _regions(
    exercise: Any, nation: str | None, viewer: str, regions: dict[str, tuple[str, ...]]
) -> dict[str, tuple[str, str | None]]:
    """The exercise row was read before the pulse state: if the pulse already knows a change
    to these regions newer than the row's version, the row may be older than a key would say,
    and the page is rendered for this viewer only."""
    versions = room_versions(exercise.code, nation)
    if versions is None or max(versions.values()) > exercise.version:
        return {}
    base = ":".join(
        (
            "room",
            exercise.code,
            nation or "*",
            viewer,
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
        )
    )
    keys = {
        name: f"{base}:{name}:{max(versions[topic] for topic in topics)}"
        for name, topics in regions.items()
    }
    try:
        kept = cache.get_many(keys.values())
    except CACHE_ERRORS:
        return {}
    return {name: (key, kept.get(key)) for name, key in keys.items()}


class SharedNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        regions = context.get("shared_regions")
        if not regions:
            return self.nodelist.render(context)
        key, html = regions.get(self.name, (None, None))
        if html is None:
            with context.push(csrf_token=PLACEHOLDER):
                html = str(self.nodelist.render(context))
            if key is not None:
                with contextlib.suppress(*CACHE_ERRORS):
                    cache.set(key, html, SHARED_SECONDS)
        token = context.get("csrf_token") or ""
        # The template's own output, a token and a key of letters and digits.
        return mark_safe(html.replace(PLACEHOLDER, str(token)).replace(ONCE, uuid.uuid4().hex))


def do_shared(parser: template.base.Parser, token: template.base.Token) -> SharedNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one quoted name")
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(bits[1][1:-1], nodelist)
