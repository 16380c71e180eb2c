"""The scenario library page."""

import pytest
from django.test import Client
from django.urls import reverse

from wargame.scenarios.models import Scenario


@pytest.mark.django_db
def test_library_lists_every_scenario_without_private_briefings(
    client: Client, shipped_scenarios: list[Scenario]
) -> None:
    response = client.get(reverse("scenarios:library"))
    assert response.status_code == 200
    html = response.content.decode()
    for scenario in shipped_scenarios:
        assert scenario.title in html
        for nation in scenario.nations.all():
            assert f'title="{nation.name}"' in html
            assert nation.briefing.strip().splitlines()[0] not in html
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    # Scripts only from the app's own files: no inline script, no nonce, no eval.
    assert policy["script-src"] == "'self'"
    assert "<script>" not in html


@pytest.mark.django_db
def test_library_queries_do_not_grow_with_scenarios(
    client: Client, django_assert_max_num_queries, minimal_scenario: Scenario, shipped_scenarios
) -> None:
    assert Scenario.objects.count() >= 4
    with django_assert_max_num_queries(3):
        client.get(reverse("scenarios:library"))


@pytest.mark.django_db
def test_library_partial_renders_alone(client: Client, minimal_scenario: Scenario) -> None:
    from django.template.loader import render_to_string

    html = render_to_string(
        "scenarios/library.html#scenario-list", {"scenarios": [minimal_scenario]}
    )
    assert html.lstrip().startswith('<section id="scenario-list"')
    assert "Minimal scenario" in html
