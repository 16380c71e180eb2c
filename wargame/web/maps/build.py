"""Build americas.json, the map of the projector view, from Natural Earth's countries.

Reads the TopoJSON of the npm package world-atlas (countries-50m.json), keeps the countries
and territories of the Americas, projects them with a plain Mercator clipped to the frame
below, simplifies each ring and writes one SVG path per nation (see README.md here):

    npm install --prefix /tmp/worldatlas world-atlas@2
    .venv/bin/python wargame/web/maps/build.py \
        /tmp/worldatlas/node_modules/world-atlas/countries-50m.json \
        wargame/web/maps/americas.json

Standard library only, apart from pycountry (a dependency of the project) for the ISO 3166-1
codes and short names; run it with the project's Python.
"""

import argparse
import heapq
import json
import math
import sys
from pathlib import Path

import pycountry

# The frame, in degrees: Latin America and the Caribbean whole, the United States and Canada
# cut at the top.
LON_WEST, LON_EAST = -125.0, -30.0
LAT_SOUTH, LAT_NORTH = -57.0, 50.0
WIDTH = 1000.0
# Douglas–Peucker tolerance, in map units; rings of less area than MIN_AREA are dropped
# (except a nation's largest), and a nation of less area than SMALL_AREA is drawn as a disc.
TOLERANCE = 0.6
MIN_AREA = 0.3
SMALL_AREA = 40.0

# Every country and territory of the Americas, by ISO 3166-1 alpha-3 (Greenland left out:
# it lies outside the frame).
STATES = frozenset([  # the 33 of Latin America and the Caribbean, the United States, Canada
    "ARG", "ATG", "BHS", "BLZ", "BOL", "BRA", "BRB", "CAN", "CHL", "COL", "CRI", "CUB", "DMA",
    "DOM", "ECU", "GRD", "GTM", "GUY", "HND", "HTI", "JAM", "KNA", "LCA", "MEX", "NIC", "PAN",
    "PER", "PRY", "SLV", "SUR", "TTO", "URY", "USA", "VCT", "VEN",
])  # fmt: skip
TERRITORIES = frozenset([
    "ABW", "AIA", "BES", "BLM", "BMU", "CUW", "CYM", "FLK", "GLP", "GUF", "MAF", "MSR", "MTQ",
    "PRI", "SGS", "SPM", "SXM", "TCA", "VGB", "VIR",
])  # fmt: skip
AMERICAS = STATES | TERRITORIES
# Natural Earth's admin-0 countries count these overseas parts as part of France or the
# Netherlands: each polygon of those countries whose centre falls in a box here is given to
# the territory instead (west, south, east, north).
OVERSEAS = {
    "GUF": (-55.0, 1.5, -51.0, 6.0),  # French Guiana
    "GLP": (-62.0, 15.7, -60.9, 16.6),  # Guadeloupe and its dependencies
    "MTQ": (-61.3, 14.3, -60.7, 15.0),  # Martinique
    "BES": (-68.5, 11.9, -62.8, 17.8),  # Bonaire, Sint Eustatius and Saba
}
OVERSEAS_OF = {"FRA", "NLD"}


def mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


SCALE = WIDTH / math.radians(LON_EAST - LON_WEST)
HEIGHT = round(SCALE * (mercator_y(LAT_NORTH) - mercator_y(LAT_SOUTH)))


def project(lon: float, lat: float) -> tuple[float, float]:
    return (
        SCALE * math.radians(lon - LON_WEST),
        SCALE * (mercator_y(LAT_NORTH) - mercator_y(lat)),
    )


# --- TopoJSON ---------------------------------------------------------------------------


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs in longitude/latitude: quantized positions, each after the first a delta."""
    transform = topology.get("transform")
    (sx, sy), (tx, ty) = (
        (transform["scale"], transform["translate"]) if transform else ((1, 1), (0, 0))
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for position in arc:
            if transform:
                x += position[0]
                y += position[1]
            else:
                x, y = position[0], position[1]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_of(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    """A ring from its arcs: a negative index ~i is arc i reversed; shared ends once."""
    ring: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


# --- Plane geometry ---------------------------------------------------------------------

Ring = list[tuple[float, float]]


def signed_area(ring: Ring) -> float:
    total = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x0 * y1 - x1 * y0
    return total / 2


def clip(ring: Ring) -> Ring:
    """Sutherland–Hodgman against the frame [0, WIDTH] × [0, HEIGHT]."""
    edges = (
        (lambda p: p[0] >= 0, lambda a, b: _at_x(a, b, 0.0)),
        (lambda p: p[0] <= WIDTH, lambda a, b: _at_x(a, b, WIDTH)),
        (lambda p: p[1] >= 0, lambda a, b: _at_y(a, b, 0.0)),
        (lambda p: p[1] <= HEIGHT, lambda a, b: _at_y(a, b, float(HEIGHT))),
    )
    for inside, cross in edges:
        if not ring:
            break
        out: Ring = []
        previous = ring[-1]
        for point in ring:
            if inside(point):
                if not inside(previous):
                    out.append(cross(previous, point))
                out.append(point)
            elif inside(previous):
                out.append(cross(previous, point))
            previous = point
        ring = out
    return ring


def _at_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def _segment_distance(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    if length == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def douglas_peucker(points: Ring, tolerance: float) -> Ring:
    """An open polyline simplified, its two ends kept (iterative, no recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, 0
        for i in range(first + 1, last):
            d = _segment_distance(points[i], points[first], points[last])
            if d > farthest:
                farthest, index = d, i
        if farthest > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """A closed ring simplified: split at its first point and the point farthest from it."""
    if ring and ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 4:
        return ring
    x0, y0 = ring[0]
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - x0) ** 2 + (ring[i][1] - y0) ** 2)
    one = douglas_peucker(ring[: far + 1], tolerance)
    two = douglas_peucker(ring[far:] + ring[:1], tolerance)
    return one[:-1] + two[:-1]


def rounded(ring: Ring) -> Ring:
    out: Ring = []
    for x, y in ring:
        point = (round(x, 1), round(y, 1))
        if not out or point != out[-1]:
            out.append(point)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def contains(ring: Ring, point: tuple[float, float]) -> bool:
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            inside = not inside
    return inside


def edge_distance(ring: Ring, point: tuple[float, float]) -> float:
    """Distance to the ring's outline: positive inside, negative outside."""
    d = min(_segment_distance(point, a, b) for a, b in zip(ring, ring[1:] + ring[:1], strict=True))
    return d if contains(ring, point) else -d


def centroid(ring: Ring) -> tuple[float, float] | None:
    area = signed_area(ring)
    if area == 0:
        return None
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return (cx / (6 * area), cy / (6 * area))


def pole_of_inaccessibility(
    ring: Ring, precision: float = 0.1
) -> tuple[tuple[float, float], float]:
    """The inside point farthest from the outline (the "polylabel" search over square cells)."""
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    west, south, east, north = min(xs), min(ys), max(xs), max(ys)
    size = min(east - west, north - south)
    if size == 0:
        return ((west + east) / 2, (south + north) / 2), 0.0
    half = size / 2
    cells: list = []

    def push(x, y, h):
        d = edge_distance(ring, (x, y))
        heapq.heappush(cells, (-(d + h * math.sqrt(2)), d, x, y, h))

    x = west
    while x < east:
        y = south
        while y < north:
            push(x + half, y + half, half)
            y += size
        x += size
    best = centroid(ring) or ((west + east) / 2, (south + north) / 2)
    best_d = edge_distance(ring, best)
    box = ((west + east) / 2, (south + north) / 2)
    if (d := edge_distance(ring, box)) > best_d:
        best, best_d = box, d
    while cells:
        bound, d, x, y, h = heapq.heappop(cells)
        if d > best_d:
            best, best_d = (x, y), d
        if -bound - best_d <= precision:
            break  # no cell left can beat the best by more than the precision
        h /= 2
        for dx in (-h, h):
            for dy in (-h, h):
                push(x + dx, y + dy, h)
    return best, best_d


def centre_of(ring: Ring) -> tuple[float, float]:
    """The ring's centroid when it lies well inside, else its pole of inaccessibility."""
    pole, depth = pole_of_inaccessibility(ring)
    middle = centroid(ring)
    if middle is not None and edge_distance(ring, middle) >= depth / 2:
        return middle
    return pole


# --- The map ----------------------------------------------------------------------------


def path_of(rings: list[Ring]) -> str:
    parts = []
    for ring in rings:
        numbers = " ".join(f"{x:.1f} {y:.1f}" for x, y in ring)
        parts.append(f"M{numbers}Z")
    return " ".join(parts)


def shape(polygons: list[list[Ring]]) -> dict | None:
    """One nation's rings (in degrees) projected, clipped, simplified, and its centre."""
    rings: list[tuple[Ring, float]] = []  # (ring, signed area), holes of opposite sign
    for polygon in polygons:
        for ring in polygon:
            flat = clip([project(lon, lat) for lon, lat in ring])
            if len(flat) < 3:
                continue
            xs = [p[0] for p in flat]
            ys = [p[1] for p in flat]
            span = math.hypot(max(xs) - min(xs), max(ys) - min(ys))
            # A small island keeps enough of its shape to be seen, not a triangle.
            simple = rounded(simplify_ring(flat, min(TOLERANCE, span / 8)))
            if len(simple) >= 3 and signed_area(simple) != 0:
                rings.append((simple, signed_area(simple)))
    if not rings:
        return None
    outer_sign = math.copysign(1, max(rings, key=lambda r: abs(r[1]))[1])
    largest = max(rings, key=lambda r: abs(r[1]))[0]
    kept = [ring for ring, area in rings if abs(area) >= MIN_AREA or ring is largest]
    area = sum(a * outer_sign for ring, a in rings if abs(a) >= MIN_AREA or ring is largest)
    x, y = centre_of(largest)
    return {
        "path": path_of(kept),
        "centre": [round(x, 1), round(y, 1)],
        "small": area < SMALL_AREA,
        "area": area,
    }


def territory(lon_lat: Ring) -> str | None:
    xs = [p[0] for p in lon_lat]
    ys = [p[1] for p in lon_lat]
    x, y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    for code, (west, south, east, north) in OVERSEAS.items():
        if west <= x <= east and south <= y <= north:
            return code
    return None


def build(topology: dict, version: str) -> tuple[dict, list[str]]:
    arcs = decode_arcs(topology)
    notes: list[str] = []
    found: dict[str, list[list[Ring]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "?")
        number = geometry.get("id")
        country = pycountry.countries.get(numeric=str(number)) if number else None
        polygons = [[ring_of(r, arcs) for r in p] for p in polygons_of(geometry)]
        if country is None:
            notes.append(f"skipped {name!r}: id {number!r} is no ISO 3166-1 country")
            continue
        code = country.alpha_3
        if code in OVERSEAS_OF:
            for polygon in polygons:
                part = territory(polygon[0])
                if part:
                    found.setdefault(part, []).append(polygon)
            continue
        if code in AMERICAS:
            found.setdefault(code, []).extend(polygons)
    nations = {}
    for code in sorted(found):
        made = shape(found[code])
        if made is None:
            notes.append(f"skipped {code}: nothing left inside the frame")
            continue
        country = pycountry.countries.get(alpha_3=code)
        area = made.pop("area")
        nations[code] = {"name": getattr(country, "common_name", None) or country.name, **made}
        notes.append(f"{code} {area:8.1f} units²{' small' if made['small'] else ''}")
    missing = sorted(AMERICAS - set(nations))
    if missing:
        notes.append(f"missing: {' '.join(missing)}")
    if STATES - set(nations):
        notes.append(f"missing states: {' '.join(sorted(STATES - set(nations)))}")
    return {
        "source": (
            f"Natural Earth 1:50m admin-0 countries, via the npm package world-atlas {version}"
        ),
        "licence": "Natural Earth: public domain; world-atlas: ISC",
        "projection": (
            f"Mercator, longitude {LON_WEST:g}…{LON_EAST:g}, latitude {LAT_SOUTH:g}…{LAT_NORTH:g}"
        ),
        "viewBox": f"0 0 {WIDTH:g} {HEIGHT}",
        "nations": nations,
    }, notes


def world_atlas_version(source: Path, given: str | None) -> str:
    if given:
        return given
    package = source.resolve().parent / "package.json"
    if package.exists():
        return json.loads(package.read_text(encoding="utf-8"))["version"]
    sys.exit("world-atlas's package.json is not beside the input: give --version")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="world-atlas's countries-50m.json")
    parser.add_argument("output", type=Path, help="the map to write (americas.json)")
    parser.add_argument("--version", help="world-atlas's version (read from its package.json)")
    parser.add_argument("--verbose", action="store_true", help="print each nation's area")
    args = parser.parse_args()
    topology = json.loads(args.source.read_text(encoding="utf-8"))
    data, notes = build(topology, world_atlas_version(args.source, args.version))
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    args.output.write_text(text, encoding="utf-8")
    for note in notes:
        if args.verbose or not note[:3].isupper() or note.startswith("missing"):
            print(note, file=sys.stderr)
    print(f"{args.output}: {len(data['nations'])} nations, {len(text.encode()) // 1024} KB")


if __name__ == "__main__":
    main()
