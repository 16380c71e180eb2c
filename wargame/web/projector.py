"""What the screen at the front of the room shows: the region's map with each nation of the
exercise coloured by its stability, the agreements in force as lines, the open injects as
markers, the regional stability index with its trend, and the public news. Everything here is
public: no private inject part, no move of a turn not yet published, no message.

The geometry is Natural Earth's, simplified once into `maps/americas.json` (maps/README.md).
Reading the exercise costs the same few queries whatever the number of nations, injects or
agreements (tests/exercises/test_views.py counts them at 5 and 35 nations).
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from wargame.exercises.models import Exercise, Inject, Team, Turn
from wargame.lib.nations import nation_name
from wargame.negotiation.models import Agreement, AgreementStatus

MAP = Path(__file__).with_name("maps") / "americas.json"
# Stability in five bands of twenty points, coloured from the map's legend (cumbre.css).
BANDS = 5
NEWS_ITEMS = 6
# The map's frame is at least this much wider than tall.
MIN_ASPECT = 1.25


@cache
def _geometry() -> dict[str, Any]:
    return json.loads(MAP.read_text(encoding="utf-8"))


@cache
def _bounds(code: str) -> tuple[float, float, float, float]:
    """The nation's box on the map: least x, least y, greatest x, greatest y."""
    numbers = [
        float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", _geometry()["nations"][code]["path"])
    ]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _frame(codes: list[str]) -> tuple[float, float, float, float]:
    """The part of the map that holds the exercise's nations, with a margin, at least as wide
    as it is tall (a projector's screen is wide): x, y, width, height."""
    known = [code for code in codes if code in _geometry()["nations"]]
    if not known:
        x, y, width, height = (float(n) for n in _geometry()["viewBox"].split())
        return x, y, width, height
    boxes = [_bounds(code) for code in known]
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    width, height = max(right - left, 60.0), max(bottom - top, 60.0)
    margin = 0.08 * max(width, height)
    width, height = width + 2 * margin, height + 2 * margin
    if width < height * MIN_ASPECT:
        width = height * MIN_ASPECT
    centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
    return centre_x - width / 2, centre_y - height / 2, width, height


@dataclass(frozen=True)
class Nation:
    code: str
    name: str
    stability: int
    band: int  # 0 (below 20) … 4 (80 and above)
    path: str  # its shape on the map ("" when the map does not hold it)
    centre: tuple[float, float] | None
    small: bool  # an island too small to colour: a disc is drawn at its centre
    injects: int  # open injects that weigh on it


@dataclass(frozen=True)
class Link:
    """An agreement in force between two nations of the map (one line per pair)."""

    start: tuple[float, float]
    end: tuple[float, float]
    label: str


@dataclass(frozen=True)
class News:
    turn: int
    text: str
    source: str


@dataclass(frozen=True)
class Projector:
    view_box: str
    sizes: dict[str, float]  # of labels and marks, in the map's units, from the frame's width
    land: tuple[str, ...]  # the shapes of the map's other countries, for context
    nations: tuple[Nation, ...]  # by stability, lowest first
    links: tuple[Link, ...]
    index: float | None
    trend: float | None  # the index's change over the last published turn
    history: tuple[tuple[int, float], ...]  # (turn, index) of each published turn
    sparkline: str  # the history as an SVG polyline's points, 0…100 by 0…30
    news: tuple[News, ...]


def band(stability: float) -> int:
    return min(BANDS - 1, max(0, int(stability) // 20))


def projector_view(exercise: Exercise) -> Projector:
    geometry = _geometry()
    shapes: dict[str, dict[str, Any]] = geometry["nations"]
    teams = list(exercise.teams.all())
    open_injects = list(
        Inject.objects.filter(
            exercise=exercise, status=Inject.Status.DELIVERED, pressure__gt=0
        ).values_list("affects", flat=True)
    )
    weighing: dict[str, int] = {}
    for affects in open_injects:
        for code in affects or []:
            weighing[code] = weighing.get(code, 0) + 1
    nations = []
    for team in teams:
        shape = shapes.get(team.nation_code, {})
        centre = shape.get("centre")
        nations.append(
            Nation(
                code=team.nation_code,
                name=team.name,
                stability=round(team.stability),
                band=band(team.stability),
                path=shape.get("path", ""),
                centre=(centre[0], centre[1]) if centre else None,
                small=bool(shape.get("small")),
                injects=weighing.get(team.nation_code, 0),
            )
        )
    playing = {team.nation_code for team in teams}
    land = tuple(shape["path"] for code, shape in sorted(shapes.items()) if code not in playing)
    agreements = (
        Agreement.objects.filter(exercise=exercise, status=AgreementStatus.IN_FORCE)
        .select_related("action_type")
        .prefetch_related(Prefetch("parties", queryset=Team.objects.only("pk", "nation_code")))
    )
    links = []
    for agreement in agreements:
        codes = sorted(party.nation_code for party in agreement.parties.all())
        for i, a in enumerate(codes):
            for b in codes[i + 1 :]:
                if a in shapes and b in shapes:
                    links.append(
                        Link(
                            tuple(shapes[a]["centre"]),
                            tuple(shapes[b]["centre"]),
                            agreement.action_type.local_name,
                        )
                    )
    history = tuple(
        (number, value)
        for number, value in Turn.objects.filter(exercise=exercise, published_at__isnull=False)
        .order_by("number")
        .values_list("number", "snapshot__regional_stability")
        if value is not None
    )
    trend = round(history[-1][1] - history[-2][1], 1) if len(history) >= 2 else None
    x, y, width, height = _frame([team.nation_code for team in teams])
    return Projector(
        view_box=f"{x:.1f} {y:.1f} {width:.1f} {height:.1f}",
        sizes=_sizes(width),
        land=land,
        nations=tuple(sorted(nations, key=lambda n: (n.stability, n.name))),
        links=tuple(links),
        index=exercise.regional_stability,
        trend=trend,
        history=history,
        sparkline=_sparkline(history),
        news=_news(exercise, agreements),
    )


def _sizes(width: float) -> dict[str, float]:
    """Labels and marks that read alike whatever part of the map is shown."""
    unit = width / 100
    return {
        name: round(factor * unit, 2)
        for name, factor in (("label", 1.6), ("lift", -1.4), ("marker", 1.2), ("count", 1.3),
                             ("count_lift", 0.45), ("island", 0.9), ("line", 0.35))
    }  # fmt: skip


def _sparkline(history: tuple[tuple[int, float], ...]) -> str:
    if len(history) < 2:
        return ""
    step = 100 / (len(history) - 1)
    return " ".join(
        f"{index * step:.1f},{30 - value * 0.3:.1f}" for index, (_turn, value) in enumerate(history)
    )


def _news(exercise: Exercise, agreements: Any) -> tuple[News, ...]:
    """The latest public news: injects sent to every team, and agreements in force."""
    public = (
        Inject.objects.filter(
            exercise=exercise, status__in=(Inject.Status.DELIVERED, Inject.Status.ANSWERED),
            recipients=[],
        )
        .only("title", "originator", "translations", "turn", "delivered_turn")
        .order_by("-delivered_turn", "-pk")
    )  # fmt: skip
    items = [
        News(inject.delivered_turn or inject.turn, inject.local_title, inject.local_originator)
        for inject in public[:NEWS_ITEMS]
    ]
    for agreement in agreements:
        parties = sorted(nation_name(party.nation_code) for party in agreement.parties.all())
        items.append(
            News(
                agreement.starts_turn,
                _("%(action)s agreed by %(parties)s")
                % {"action": agreement.action_type.local_name, "parties": ", ".join(parties)},
                _("Agreement in force"),
            )
        )
    items.sort(key=lambda item: -item.turn)
    return tuple(items[:NEWS_ITEMS])
