"""Template tags of Cumbre's pages: Markdown, nations' names, regions that listen to the
pulse, and rooms' shared copies."""

import math
from datetime import timedelta

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wargame.exercises import pulse as exercises_pulse
from wargame.exercises.labels import marking
from wargame.lib.markdown import render_markdown
from wargame.lib.nations import nation_name
from wargame.web.regions import listen
from wargame.web.shared import do_shared

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def pulse_key(code: str) -> str:
    """The key a page of the exercise carries to ask its pulse."""
    return exercises_pulse.pulse_key(code)


@register.filter
def minutes(span: timedelta | None) -> int:
    """A span of time in whole minutes, rounded up (at least 1)."""
    return max(1, math.ceil(span.total_seconds() / 60)) if span else 1


@register.filter
def nation(code: str) -> str:
    return nation_name(code)


@register.filter
def get(mapping: dict, key: object) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None


# Scenario time of one turn ("3 days", "1 week"), as the reader's language says it.
_ONE = {
    "hour": gettext_lazy("hour %(n)s"),
    "day": gettext_lazy("day %(n)s"),
    "week": gettext_lazy("week %(n)s"),
    "month": gettext_lazy("month %(n)s"),
}
_SPAN = {
    "hour": gettext_lazy("hours %(first)s–%(last)s"),
    "day": gettext_lazy("days %(first)s–%(last)s"),
    "week": gettext_lazy("weeks %(first)s–%(last)s"),
    "month": gettext_lazy("months %(first)s–%(last)s"),
}


@register.simple_tag
def game_time(exercise: object) -> str:
    """Where the turn stands in scenario time: "Turn 3 of 8 · week 3", "… · days 7–9". A unit
    other than hours, days, weeks or months is not named."""
    scenario = exercise.scenario
    turn = exercise.current_turn
    text = _("Turn %(turn)s of %(turns)s") % {"turn": turn, "turns": scenario.turns}
    parts = scenario.game_time_per_turn.lower().split()
    if turn and len(parts) == 2 and parts[0].isdigit() and parts[1].rstrip("s") in _ONE:
        size, unit = int(parts[0]), parts[1].rstrip("s")
        if size == 1:
            text += " · " + _ONE[unit] % {"n": turn}
        else:
            span = {"first": (turn - 1) * size + 1, "last": turn * size}
            text += " · " + _SPAN[unit] % span
    return text


@register.filter
def trust_class(value: int | None) -> str:
    if value is None:
        return "t-none"
    return f"t{min(4, max(0, value // 20))}"


@register.filter
def trust_cells(values: list[int | None]) -> SafeString:
    """A row of the trust heat map's cells. At 35 nations the map has 1,225 cells, which a
    template loop takes tens of milliseconds to write, on every reload of the control room."""
    return format_html_join(
        "", '<td class="{}">{}</td>', ((trust_class(v), "" if v is None else v) for v in values)
    )


register.tag("shared", do_shared)
register.simple_tag(listen, name="listen")


@register.simple_tag(takes_context=True)
def exercise_marking(context: template.Context) -> str:
    """The marking every inject of the page's exercise carries (wargame/exercises/labels.py)."""
    exercise = context.get("exercise")
    return marking(exercise.scenario.local_marking if exercise is not None else "")
