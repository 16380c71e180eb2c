"""Editing a scenario in the browser: one entry at a time, each save a version, the file
format's rules beside the field, nothing typed lost on a refusal, and two authors who edit at
once each keep their work."""

import html
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.scenarios.conftest import staff_client
from wargame.exercises.models import Exercise
from wargame.scenarios.models import Scenario
from wargame.scenarios.selectors import scenario_latest, scenario_spec

HTMX = {"HX-Request": "true", "HX-Target": "edit-msel"}
EDIT = reverse("scenarios:edit", args=["minimal"])
SAVE_INJECT = reverse("scenarios:edit_save", args=["minimal", "inject"])


def m01(**changes: object) -> dict[str, object]:
    """M-01 of the minimal scenario as its form sends it, with changes."""
    fields: dict[str, object] = {
        "code": "M-01", "base": "1", "action": "save", "turn": "1", "kind": "hurricane",
        "originator": "National Hurricane Center", "method": "briefing",
        "title": "Hurricane Elena makes landfall", "message": "Category 4 landfall near Jacmel.",
        "affects": ["HTI", "DOM"], "severity": "4", "expected_actions": ["hadr"],
        "objective": "OBJ-1",
        "contingency_for": "", "notes": "", "private_HTI": "Your southern ports are closed.",
    }  # fmt: skip
    return fields | changes


def errors_beside(page: str, field: str) -> list[str]:
    """The messages Django puts beside a field of the form (its error list)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def test_an_inject_is_edited_inline_and_saved_as_the_next_version(
    author: Client, exercise: Exercise
) -> None:
    form = author.get(EDIT + "?edit=inject:M-01", headers=HTMX).content.decode().strip()
    assert form.startswith('<section id="edit-msel"') and 'name="title"' in form
    assert 'value="Hurricane Elena makes landfall"' in form

    saved = author.post(SAVE_INJECT, m01(title="Elena strikes Jacmel", turn="2"), headers=HTMX)

    assert saved.status_code == 200
    region = saved.content.decode()
    assert "Saved as version 2." in region and "Elena strikes Jacmel" in region
    assert 'name="title"' not in region  # back to the table
    second = scenario_latest("minimal")
    inject = second.injects.get(code="M-01")
    assert (inject.title, inject.turn, second.author.username) == (
        "Elena strikes Jacmel",
        2,
        "author",
    )
    assert second.changes == [
        {"part": "inject", "code": "M-01", "change": "changed", "fields": ["turn", "title"]}
    ]
    # The exercise keeps the version it was created from.
    assert exercise.injects.get(code="M-01").title == "Hurricane Elena makes landfall"
    assert Exercise.objects.get(pk=exercise.pk).scenario.version == 1


def test_a_refused_edit_says_why_beside_the_field_and_keeps_what_was_typed(
    author: Client, minimal_scenario: Scenario
) -> None:
    typed = m01(title="A title being rewritten", turn="9", objective="OBJ-1",
                expected_actions=["hadr", "public_statement"])  # fmt: skip

    refused = author.post(SAVE_INJECT, typed, headers=HTMX)

    assert refused.status_code == 422
    page = html.unescape(refused.content.decode())
    assert errors_beside(page, "turn") == ["9 is after the last turn (4)"]
    assert 'value="A title being rewritten"' in page
    # What it breaks elsewhere, named as people name it: M-02 is M-01's contingency.
    assert "Inject M-02, Contingency for: M-01 is in turn 9" in page
    assert scenario_latest("minimal").version == 1


def test_a_form_error_of_its_own_kind_is_shown_and_nothing_saved(
    author: Client, minimal_scenario: Scenario
) -> None:
    refused = author.post(SAVE_INJECT, m01(turn="soon", kind="meteor"), headers=HTMX)
    assert refused.status_code == 422
    page = refused.content.decode()
    assert errors_beside(page, "turn") and errors_beside(page, "kind")
    assert scenario_latest("minimal").version == 1


def test_injects_are_added_moved_and_removed(author: Client, minimal_scenario: Scenario) -> None:
    new = author.get(EDIT + "?new=inject", headers=HTMX).content.decode()
    assert 'name="id" value="M-03"' in new
    added = author.post(
        SAVE_INJECT,
        m01(code="", id="M-03", turn="4", kind="flood", title="Rivers rise in the Artibonite",
            message="The Artibonite breaks its banks.", objective="", expected_actions=["hadr"],
            severity="3"),
        headers=HTMX,
    )  # fmt: skip
    assert added.status_code == 200
    assert [i.id for i in scenario_spec(scenario_latest("minimal")).injects] == [
        "M-01", "M-02", "M-03"
    ]  # fmt: skip

    author.post(SAVE_INJECT, {"code": "M-03", "base": "2", "action": "up"}, headers=HTMX)
    assert [i.id for i in scenario_spec(scenario_latest("minimal")).injects] == [
        "M-01", "M-03", "M-02"
    ]  # fmt: skip

    # M-02 is M-01's contingency: M-01 cannot go while M-02 refers to it.
    refused = author.post(SAVE_INJECT, {"code": "M-01", "base": "3", "action": "delete"},
                          headers=HTMX)  # fmt: skip
    assert refused.status_code == 422
    assert "M-01 is not an inject of this scenario" in html.unescape(refused.content.decode())
    removed = author.post(SAVE_INJECT, {"code": "M-03", "base": "3", "action": "delete"},
                          headers=HTMX)  # fmt: skip
    assert "Saved as version 4." in removed.content.decode()
    assert [i.id for i in scenario_spec(scenario_latest("minimal")).injects] == ["M-01", "M-02"]


def test_an_msel_edited_in_the_browser_round_trips_through_export_and_import(
    author: Client, minimal_scenario: Scenario, tmp_path: Path
) -> None:
    author.post(SAVE_INJECT, m01(title="Elena strikes Jacmel", notes="Watch the ports."),
                headers=HTMX)  # fmt: skip
    edited = scenario_latest("minimal")
    out = io.StringIO()
    call_command("export_msel", "minimal", stdout=out)
    path = tmp_path / "msel.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    call_command("import_msel", "minimal", str(path), stdout=io.StringIO())
    assert scenario_latest("minimal").pk == edited.pk  # nothing to change: no new version
    assert "Elena strikes Jacmel" in out.getvalue() and "Watch the ports." in out.getvalue()


def test_nations_and_the_scenario_texts_are_checked_by_the_format(
    author: Client, minimal_scenario: Scenario
) -> None:
    url = reverse("scenarios:edit_save", args=["minimal", "nation"])
    nation = {"code": "HTI", "base": "1", "action": "save", "stability": "150", "capacity": "20",
              "budget": "4", "support": "60", "objectives": ["OBJ-1", "OBJ-2"],
              "briefing": "Haiti's briefing."}  # fmt: skip
    refused = author.post(url, nation, headers={"HX-Request": "true", "HX-Target": "edit-nations"})
    assert refused.status_code == 422
    assert errors_beside(refused.content.decode(), "stability") == ["150 is outside 0..100"]
    saved = author.post(url, nation | {"stability": "30"}, headers={"HX-Request": "true"})
    assert saved.status_code == 200
    assert scenario_latest("minimal").nations.get(code="HTI").stability == 30

    url = reverse("scenarios:edit_save", args=["minimal", "scenario"])
    texts = {"base": "2", "action": "save", "title": "Minimal scenario", "summary": "S.",
             "briefing": "B.", "turns": "2", "game_time_per_turn": "1 week",
             "minutes_per_turn": "20", "marking": ""}  # fmt: skip
    refused = author.post(url, texts, headers={"HX-Request": "true"})
    assert refused.status_code == 422
    assert "Inject M-02, Turn: 3 is after the last turn (2)" in html.unescape(
        refused.content.decode()
    )


def test_two_authors_keep_each_their_work_and_never_write_over_the_other(
    minimal_scenario: Scenario, db: None
) -> None:
    ana, beto = staff_client("ana"), staff_client("beto")
    # Both open version 1. Beto changes M-02; Ana's change of M-01 still goes in.
    beto_m02 = {"code": "M-02", "base": "1", "action": "save", "turn": "3",
                "kind": "trafficking_surge", "originator": "JIATF-South", "to": ["DOM"],
                "method": "email", "title": "Go-fast boats off Cabo Rojo",
                "message": "Radar tracks show a surge.", "severity": "3",
                "expected_actions": ["intel_sharing"], "contingency_for": "M-01",
                "affects": ["DOM"],
                "notes": "Look for intelligence sharing with Haiti."}  # fmt: skip
    assert beto.post(SAVE_INJECT, beto_m02, headers=HTMX).status_code == 200
    assert ana.post(SAVE_INJECT, m01(title="Elena at night"), headers=HTMX).status_code == 200
    spec = scenario_spec(scenario_latest("minimal"))
    assert [i.title for i in spec.injects] == ["Elena at night", "Go-fast boats off Cabo Rojo"]

    # Now both edit M-01 from version 3: the second save is refused, her text kept.
    assert beto.post(SAVE_INJECT, m01(base="3", title="Beto's title"), headers=HTMX)
    late = ana.post(SAVE_INJECT, m01(base="3", title="Ana's title"), headers=HTMX)
    assert late.status_code == 422
    page = html.unescape(late.content.decode())
    assert "Someone saved a change to this entry since you opened it (version 4)" in page
    assert 'value="Ana\'s title"' in page and 'name="base" value="4"' in page
    assert (
        ana.post(SAVE_INJECT, m01(base="4", title="Ana's title"), headers=HTMX).status_code == 200
    )
    assert scenario_latest("minimal").injects.get(code="M-01").title == "Ana's title"


def test_a_scenario_is_copied_under_a_new_slug_to_adapt(
    author: Client, shipped_scenarios: list[Scenario]
) -> None:
    url = reverse("scenarios:duplicate", args=["caribbean-storm"])
    copied = author.post(url, {"slug": "storm-esg-2027", "title": "Storm, ESG course 2027"})
    assert copied["Location"] == reverse("scenarios:edit", args=["storm-esg-2027"])
    copy, original = scenario_latest("storm-esg-2027"), scenario_latest("caribbean-storm")
    assert (copy.version, copy.derived_from_id, copy.title) == (
        1, original.pk, "Storm, ESG course 2027"
    )  # fmt: skip
    assert "title" not in copy.translations.get("es", {})
    assert "summary" in copy.translations["es"]
    assert len(scenario_spec(copy).injects) == len(scenario_spec(original).injects)

    again = author.post(url, {"slug": "storm-esg-2027", "title": "Again"})
    assert again.status_code == 422
    assert "A scenario with this slug exists already." in again.content.decode()
    history = author.get(reverse("scenarios:versions", args=["storm-esg-2027"])).content.decode()
    assert "Copied from caribbean-storm, version 1." in history


def test_an_entry_sent_back_as_it_was_makes_no_version(
    author: Client, minimal_scenario: Scenario
) -> None:
    """A form trims a text's final line break and lists codes in its own order: not changes."""
    same = author.post(SAVE_INJECT, m01(affects=["DOM", "HTI"]), headers=HTMX)
    assert "Nothing changed." in same.content.decode()
    assert scenario_latest("minimal").version == 1


@pytest.mark.parametrize(
    "page",
    [
        lambda slug: reverse("scenarios:detail", args=[slug]),
        lambda slug: reverse("scenarios:edit", args=[slug]),
        lambda slug: reverse("scenarios:edit", args=[slug]) + "?edit=inject:M-01",
        lambda slug: reverse("scenarios:edit", args=[slug]) + "?edit=scenario:",
        lambda slug: reverse("scenarios:edit", args=[slug]) + "?edit=nation:HTI",
        lambda slug: reverse("scenarios:edit", args=[slug]) + "?new=objective",
        lambda slug: reverse("scenarios:versions", args=[slug]),
        lambda slug: reverse("scenarios:compare", args=[slug]),
    ],
    ids=[
        "page",
        "editor",
        "an inject's form",
        "the texts' form",
        "a nation's form",
        "a new objective's form",
        "versions",
        "compare",
    ],
)
def test_studio_pages_read_the_same_few_queries_whatever_the_scenario_holds(
    author: Client, shipped_scenarios: list[Scenario], minimal_scenario: Scenario, page,
    django_assert_max_num_queries,
) -> None:  # fmt: skip
    """Two nations and two injects, or seven nations and nineteen: the same queries."""
    counts = []
    for slug in ("minimal", "caribbean-storm"):
        with django_assert_max_num_queries(40) as captured:
            assert author.get(page(slug)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_a_private_part_is_edited_for_a_nation_that_receives_the_inject(
    author: Client, minimal_scenario: Scenario
) -> None:
    form = author.get(EDIT + "?edit=inject:M-02", headers=HTMX).content.decode()
    assert 'name="private_HTI"' in form and 'name="private_DOM"' in form
    m02 = {"code": "M-02", "base": "1", "action": "save", "turn": "3",
           "kind": "trafficking_surge", "originator": "JIATF-South", "to": ["DOM"],
           "method": "email", "title": "Go-fast boats in the Mona Passage",
           "message": "Radar tracks show a surge.", "severity": "3", "affects": ["DOM"],
           "expected_actions": ["intel_sharing"], "contingency_for": "M-01",
           "notes": "Look for intelligence sharing with Haiti."}  # fmt: skip
    # Haiti does not receive M-02: its private part is refused beside its field.
    refused = author.post(SAVE_INJECT, m02 | {"private_HTI": "Haiti's eyes only."}, headers=HTMX)
    assert refused.status_code == 422
    assert [html.unescape(e) for e in errors_beside(refused.content.decode(), "private_HTI")] == [
        "HTI does not receive this inject (see 'to')"
    ]
    saved = author.post(SAVE_INJECT, m02 | {"private_DOM": "Your navy has two cutters free."},
                        headers=HTMX)  # fmt: skip
    assert saved.status_code == 200
    inject = scenario_latest("minimal").injects.get(code="M-02")
    assert inject.private == {"DOM": "Your navy has two cutters free."}
    # M-01's private part for Haiti comes back in its form and stays when not touched.
    form = author.get(EDIT + "?edit=inject:M-01", headers=HTMX).content.decode()
    assert "Your southern ports are closed." in form
    assert (
        "Nothing changed." in author.post(SAVE_INJECT, m01(base="2"), headers=HTMX).content.decode()
    )
    assert scenario_latest("minimal").version == 2


def test_a_nation_is_edited_but_never_moved_or_removed_from_the_browser(
    author: Client, minimal_scenario: Scenario
) -> None:
    url = reverse("scenarios:edit_save", args=["minimal", "nation"])
    refused = author.post(url, {"code": "HTI", "base": "1", "action": "delete"})
    assert refused.status_code == 400
    assert "not moved or removed" in refused.content.decode()
    assert scenario_latest("minimal").version == 1
