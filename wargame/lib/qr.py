"""QR codes of invite links, as inline SVG, for the projector in the room."""

import functools

import segno
from django.utils.safestring import SafeString, mark_safe


@functools.lru_cache(maxsize=512)
def qr_svg(url: str) -> SafeString:
    """The link as a QR code. Encoding one costs several milliseconds and the lobby shows one
    per team each time it is drawn, while a link changes only when its door is reopened: each
    process keeps the codes it has drawn (an invite link stays the same for an hour)."""
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#1b2430")
    return mark_safe(svg)
