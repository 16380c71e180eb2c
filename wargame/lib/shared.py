"""Regions rendered once and served to everyone who sees the same thing.

The five players of a team see the same room: the same injects, situation reports, moves,
indicators, negotiations and forms. Only the CSRF token in each form differs between them
(and the channels panel, with each player's unread counts, which is not shared). A region
written `{% shared "name" %}...{% endshared %}` is rendered once per `shared_key` of its
context and kept in the cache; each answer puts its own CSRF token in. When a turn changes,
35 teams' rooms are rendered instead of 175 players' rooms.

The key names the room's version: the last version of the exercise that changed that team's
room, as the pulse publishes it (every change reaches the pulse through `event_record`). A
new version is a new key; old ones expire. Without a key (a form with errors, a refusal, the
cache unreachable or behind the page) the region is rendered as usual.
"""

import contextlib
import uuid
from typing import Any

from django import template
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from wargame.lib.pulse import CACHE_ERRORS, room_version

# What a form's CSRF field holds in the kept copy, replaced by the viewer's token on the way out.
PLACEHOLDER = "cumbre-shared-csrf-token"
# What stands for a value each answer must hold alone, like the move form's idempotency key
# (two players submitting from one copy must not look like one double click): a new one per
# answer.
ONCE = "cumbre-shared-once"
# A room nobody changes stays this long; a change makes a new key at once.
SHARED_SECONDS = 15 * 60


def room_key(exercise: Any, team: Any, *, can_act: bool) -> str | None:
    """The key under which `team`'s room is shared, or None not to share it.

    The exercise row was read before the pulse state: if the pulse already knows a newer
    change to this room than the row's version, the row may be older than the key would say,
    and the room is rendered for this viewer only."""
    version = room_version(exercise.code, team.nation_code)
    if version is None or version > exercise.version:
        return None
    return ":".join(
        (
            "room",
            exercise.code,
            team.nation_code,
            str(version),
            "act" if can_act else "see",
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
        )
    )


class SharedNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        key, token = context.get("shared_key"), context.get("csrf_token")
        if not key:
            return self.nodelist.render(context)
        key = f"{key}:{self.name}"
        try:
            html = cache.get(key)
        except CACHE_ERRORS:
            html = None
        if html is None:
            with context.push(csrf_token=PLACEHOLDER):
                html = str(self.nodelist.render(context))
            with contextlib.suppress(*CACHE_ERRORS):
                cache.set(key, html, SHARED_SECONDS)
        # The template's own output, a token and a key of letters and digits.
        return mark_safe(
            html.replace(PLACEHOLDER, str(token or "")).replace(ONCE, uuid.uuid4().hex)
        )


def do_shared(parser: template.base.Parser, token: template.base.Token) -> SharedNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one quoted name")
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(bits[1][1:-1], nodelist)
