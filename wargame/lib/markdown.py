"""Markdown from scenario files and users, rendered and then sanitised: never trusted."""

from functools import lru_cache

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "code", "pre", "a", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip


# The same briefings and injects are shown in every team's room: each text is rendered once
# per process. The result depends on the text alone.
@lru_cache(maxsize=2048)
def render_markdown(text: str) -> SafeString:
    """The text as sanitised HTML."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)
