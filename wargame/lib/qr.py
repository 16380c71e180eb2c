"""QR codes of invite links, as inline SVG, for the projector in the room."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString:
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#1b2430")
    return mark_safe(svg)
