"""Every live region of every page, and the pulse topics whose changes each one shows.

Written once, it gives both what a region listens to (its `hx-trigger`, written by the
template tag `{% listen "page" "region" %}`) and, for a region kept in the cache
(wargame/web/shared.py), the versions its copy depends on: a region cannot show a topic
without reloading on it, nor keep a copy past a change it shows. A test performs every kind of
event and checks that each region whose HTML changed listens to a topic the event published
(tests/exercises/test_every_event.py).

"turn" stands for any change of the whole exercise: every region shows it. Where a page swaps
all its regions in one request on a turn change (the team room's #room), the regions inside
leave "turn" to it, so that a turn change costs one request, not one per region.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString

from wargame.exercises.pulse import TOPICS


@dataclass(frozen=True)
class Region:
    # The topics whose changes the region shows: its copy's key and its hx-trigger.
    shows: tuple[str, ...]
    # Kept in the cache per version of what it shows and served to everyone who sees it.
    shared: bool = False
    # Reloads at once after an action of this page's own viewer ("cumbre:changed"), rather
    # than at the next poll of the pulse.
    own: bool = False


@dataclass(frozen=True)
class Page:
    regions: dict[str, Region]
    # The region that holds all the others and reloads on a turn change, if any.
    whole: str | None = None
    template: str = field(default="")


def _topics(*topics: str) -> tuple[str, ...]:
    unknown = set(topics) - set(TOPICS)
    if unknown:
        raise ValueError(f"not pulse topics: {sorted(unknown)}")
    return ("turn", *(t for t in topics if t != "turn"))


PAGES: dict[str, Page] = {
    "team": Page(
        template="exercises/team.html",
        whole="room",
        regions={
            "room": Region(_topics()),
            "clock": Region(_topics(), shared=True),
            "indicators": Region(_topics("moves", "agreements"), shared=True),
            "move-form": Region(_topics("injects"), shared=True),
            # Forces other nations offer to send in, to consent to or decline.
            "offers": Region(_topics("moves"), shared=True, own=True),
            # Readiness is shown under the moves: a teammate's "ready" must reach the others.
            "moves": Region(_topics("moves", "teams"), shared=True, own=True),
            "negotiation": Region(_topics("agreements"), shared=True),
            "messages": Region(_topics("messages"), own=True),
            # This turn's injects, apart: on a phone they come before the move form.
            "news": Region(_topics("injects"), shared=True),
            # The situation reports and the injects of earlier turns.
            "situation": Region(_topics("injects", "moves"), shared=True),
            "briefing": Region(_topics(), shared=True),
        },
    ),
    "control": Page(
        template="exercises/control.html",
        regions={
            "clock": Region(_topics(), shared=True, own=True),
            "teams-status": Region(_topics("moves", "teams", "people"), shared=True, own=True),
            "review": Region(_topics("moves"), shared=True, own=True),
            "negotiation": Region(_topics("agreements"), shared=True, own=True),
            "injects": Region(_topics("injects"), shared=True, own=True),
            "indicators": Region(_topics("agreements"), shared=True, own=True),
            # The event log shows every event.
            "log": Region(_topics(*TOPICS), shared=True, own=True),
        },
    ),
    "evaluate": Page(
        template="exercises/evaluate.html",
        regions={
            # The feedback link, once the exercise has ended.
            "links": Region(_topics()),
            "clock": Region(_topics()),
            # The observation form's choices: the current turn, the delivered injects, the
            # moves of this turn and the last.
            "observe": Region(_topics("injects", "moves")),
            "observations": Region(_topics("log")),
            # Critical tasks and their ratings: another evaluator's rating reaches the page.
            "tasks": Region(_topics("log"), own=True),
            "teams-status": Region(_topics("moves")),
            "log": Region(_topics(*TOPICS)),
        },
    ),
    "projector": Page(
        template="exercises/projector.html",
        regions={
            "clock": Region(_topics()),
            # Stability changes when a turn is published; lines and markers come and go with
            # agreements and injects.
            "map": Region(_topics("agreements", "injects")),
            # The index, and each nation's stability and open injects.
            "standing": Region(_topics("injects")),
            "ticker": Region(_topics("agreements", "injects")),
        },
    ),
    "lobby": Page(
        template="exercises/lobby.html",
        regions={
            "lobby-status": Region(_topics()),
            "invites": Region(_topics("people")),
        },
    ),
    "hotwash": Page(
        template="reports/hotwash.html",
        regions={
            "objectives": Region(_topics("log")),
            "summary": Region(_topics("log")),
            "plan": Region(_topics("log")),
        },
    ),
}


def listens_to(page: str, region: str) -> tuple[str, ...]:
    """The events a region reloads on: its topics (less "turn" inside a page that reloads
    whole on a turn change), and "changed" after its own viewer's action."""
    this = PAGES[page]
    shown = this.regions[region]
    topics = [t for t in shown.shows if not (t == "turn" and this.whole and region != this.whole)]
    return (*topics, *(("changed",) if shown.own else ()))


def listen(page: str, region: str) -> SafeString:
    """The region's hx-trigger attribute (nothing if it reloads only with its page)."""
    events = listens_to(page, region)
    if not events:
        return SafeString("")
    return format_html(
        'hx-trigger="{}"', ", ".join(f"cumbre:{event} from:body" for event in events)
    )
