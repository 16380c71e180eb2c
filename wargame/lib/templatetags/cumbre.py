from django import template
from django.utils.safestring import SafeString

from wargame.lib.markdown import render_markdown
from wargame.lib.nations import nation_name

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def nation(code: str) -> str:
    return nation_name(code)


@register.filter
def get(mapping: dict, key: object) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None
