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

Which regions are shared, and the pulse topics each shows, are written once in
wargame/web/regions.py. A region's version is the last version of the exercise that changed
one of its topics for that team, as `event_record` writes them on the exercise's row. A new
version is a new key, and so is a release with other templates; old ones expire. Without keys
(a form with errors, a refusal, the cache unreachable) regions are rendered as usual.
"""

import contextlib
import functools
import hashlib
import secrets
import uuid
from pathlib import Path
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.utils import get_app_template_dirs
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from wargame.exercises.pulse import CACHE_ERRORS, pulse_state, region_versions
from wargame.web.regions import PAGES

# What a form's CSRF field holds in a kept copy, replaced by the viewer's token on the way out:
# this prefix and a random part drawn for each copy, kept with it, so that no text written by
# people (a briefing, an inject, a message) can name it and be given the viewer's token.
PLACEHOLDER = "cumbre-shared-csrf-token"
# What stands for a value each answer must hold alone, like the move form's idempotency key
# (two players submitting from one copy must not look like one double click): a new one per
# answer.
ONCE = "cumbre-shared-once"
# A room nobody changes stays this long; a change makes a new key at once.
SHARED_SECONDS = 15 * 60


@functools.cache
def templates_fingerprint() -> str:
    """A digest of every template this installation renders: copies kept by a release with
    other templates (before a deploy, or by a web process not yet restarted) are never served
    beside this one's pages."""
    digest = hashlib.blake2b(digest_size=6)
    directories = [*settings.TEMPLATES[0]["DIRS"], *get_app_template_dirs("templates")]
    for directory in directories:
        for path in sorted(Path(directory).rglob("*.html")):
            digest.update(str(path.relative_to(directory)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def room_regions(exercise: Any, team: Any, *, can_act: bool) -> dict[str, tuple[str, str | None]]:
    """For each shared region of `team`'s room: its key and the copy kept under it (None if
    there is none yet), in one read of the cache; {} not to share the room."""
    viewer = "act" if can_act else "see"
    return _regions(exercise, team.nation_code, viewer, "team")


def control_regions(exercise: Any) -> dict[str, tuple[str, str | None]]:
    """The same for the control room, whose facilitators all see the same regions."""
    return _regions(exercise, None, "control", "control")


def _regions(
    exercise: Any, nation: str | None, viewer: str, page: str
) -> dict[str, tuple[str, str | None]]:
    """A region's key names the last version that changed what it shows, read with the
    exercise's row (its `version` and `pulse`), not from the pulse's copy in the cache, which
    may be ahead of the row (a copy made from the row would be kept under a newer version than
    it shows) or behind it (an old copy would be served after a change)."""
    versions = region_versions(pulse_state(exercise.version, exercise.pulse), nation)
    base = ":".join(
        (
            "region",
            templates_fingerprint(),
            exercise.code,
            nation or "*",
            viewer,
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
        )
    )
    keys = {
        name: f"{base}:{name}:{max(versions[topic] for topic in region.shows)}"
        for name, region in PAGES[page].regions.items()
        if region.shared
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
        key, kept = regions.get(self.name, (None, None))
        if kept is None:
            mark = f"{PLACEHOLDER}-{secrets.token_hex(16)}"
            with context.push(csrf_token=mark):
                kept = f"{mark}\n{self.nodelist.render(context)}"
            if key is not None:
                with contextlib.suppress(*CACHE_ERRORS):
                    cache.set(key, kept, SHARED_SECONDS)
        mark, _, html = kept.partition("\n")
        token = context.get("csrf_token") or ""
        # The template's own output, a token and a key of letters and digits.
        return mark_safe(html.replace(mark, str(token)).replace(ONCE, uuid.uuid4().hex))


def do_shared(parser: template.base.Parser, token: template.base.Token) -> SharedNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one quoted name")
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(bits[1][1:-1], nodelist)
