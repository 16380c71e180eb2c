"""One registry of regions (wargame/web/regions.py): each live region of each page listens to
what the registry says it shows, and nothing else writes an hx-trigger on the pulse."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from wargame.exercises.pulse import TOPICS
from wargame.web.regions import PAGES, listens_to

TEMPLATES = Path(settings.BASE_DIR) / "templates"
LISTEN = re.compile(r'<(\w+) id="([\w-]+)"[^>]*\{% listen "([\w-]+)" "([\w-]+)" %\}')


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_region_of_the_page_listens_through_the_registry(page: str) -> None:
    html = (TEMPLATES / PAGES[page].template).read_text()
    found = LISTEN.findall(html)
    # Each region's element has the id of its name, and says its own page.
    assert [(region, on) for _tag, region, on, _name in found] == [
        (name, page) for _tag, _region, _on, name in found
    ]
    assert sorted(name for *_rest, name in found) == sorted(
        name for name in PAGES[page].regions if listens_to(page, name)
    )
    # A shared region is written with {% shared %} under its own name.
    for name, region in PAGES[page].regions.items():
        if region.shared:
            assert f'{{% shared "{name}" %}}<section id="{name}"' in html, name


def test_no_template_listens_to_the_pulse_by_hand() -> None:
    for path in TEMPLATES.rglob("*.html"):
        assert not re.search(r'hx-trigger="[^"]*cumbre:', path.read_text()), path


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_region_reloads_on_a_turn_change_once(page: str) -> None:
    # A turn change is told as "turn" alone (it may change anything): a region that
    # listened only to narrower topics would go stale. Inside a page that reloads whole on a
    # turn (the team room's #room), its regions leave it to the page: one request, not eight.
    whole = PAGES[page].whole
    for name, region in PAGES[page].regions.items():
        assert "turn" in region.shows and set(region.shows) <= set(TOPICS)
        listens = listens_to(page, name)
        assert ("turn" in listens) == (whole is None or name == whole), (page, name)


def test_the_tag_writes_the_trigger_of_each_topic() -> None:
    template = Template('{% load cumbre %}<section {% listen "team" "moves" %}>')
    assert template.render(Context()) == (
        '<section hx-trigger="cumbre:moves from:body, cumbre:teams from:body, '
        'cumbre:changed from:body">'
    )
    log = Template('{% load cumbre %}{% listen "control" "log" %}').render(Context())
    assert set(re.findall(r"cumbre:(\w+)", log)) == {*TOPICS, "changed"}
    assert Template('{% load cumbre %}{% listen "team" "clock" %}').render(Context()) == ""
