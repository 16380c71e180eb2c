"""Balance by simulation from the scenario's page: asked for once, played by a worker (here the
task's body, run as the worker would after the commit), its progress and then its figures."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from wargame.lib.tasks import task_send
from wargame.scenarios.models import Scenario, Simulation
from wargame.scenarios.services import SIMULATE, simulation_request, simulation_run


def sent_tasks(callbacks) -> list[tuple]:
    return [c.args for c in callbacks if getattr(c, "func", None) is task_send]


def test_simulate_asks_a_worker_once_and_the_page_follows_it_to_the_figures(
    author: Client, minimal_scenario: Scenario, django_capture_on_commit_callbacks
) -> None:
    url = reverse("scenarios:simulate", args=["minimal"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = author.post(url, {"play": "bots", "runs": "40", "seed": "7"})
        again = author.post(url, {"play": "bots", "runs": "40", "seed": "7"})
    simulation = Simulation.objects.get()
    assert (
        response["Location"]
        == again["Location"]
        == reverse("scenarios:simulation", args=["minimal", simulation.pk])
    )
    assert sent_tasks(callbacks) == [(SIMULATE, simulation.pk)]

    waiting = author.get(response["Location"], headers={"HX-Request": "true",
                                                        "HX-Target": "simulation"})  # fmt: skip
    region = waiting.content.decode().strip()
    assert region.startswith('<section id="simulation"') and 'hx-trigger="every 1s"' in region
    assert "0 of 40 plays" in region

    done = simulation_run(simulation.pk)
    assert done.status == Simulation.Status.DONE and done.done == 40
    assert simulation_run(simulation.pk) is None  # a repeated message changes nothing

    page = author.get(response["Location"]).content.decode()
    assert "hx-trigger" not in page
    for nation in ("Haiti", "Dominican Republic"):
        assert f"Stability of {nation}: " in page
    assert page.count("<svg") == 2 * 4  # stability, capacity, support, trust
    # The same figures as a table, for a screen reader or a printout: the start, then 4 turns.
    assert page.count('<details class="figures">') == 2
    haiti = page[page.index("Haiti's figures, turn by turn") :]
    assert '<th scope="row">Start</th><td>35</td>' in haiti.replace("\n", "")
    assert "OBJ-1" in page and "Decided before anyone plays" in page


def test_the_figures_are_those_of_the_balance_command_for_the_same_seed(
    minimal_scenario: Scenario, facilitator
) -> None:
    simulation = simulation_request(scenario=minimal_scenario, actor=facilitator, runs=30, seed=5,
                                    play=Simulation.Play.SELFISH)  # fmt: skip
    simulation_run(simulation.pk)
    out = io.StringIO()
    call_command("balance", "minimal", "--runs", "30", "--seed", "5", "--selfish", "--json",
                 stdout=out)  # fmt: skip
    printed = json.loads(out.getvalue())
    del printed["scenario"], printed["version"]
    assert Simulation.objects.get().result == printed


def test_empty_seats_are_the_ones_chosen(minimal_scenario: Scenario, facilitator) -> None:
    simulation = simulation_request(scenario=minimal_scenario, actor=facilitator, runs=5,
                                    play=Simulation.Play.EMPTY, empty=["HTI"])  # fmt: skip
    simulation_run(simulation.pk)
    assert Simulation.objects.get().result["idle"] == ["HTI"]
    nobody = simulation_request(scenario=minimal_scenario, actor=facilitator, runs=5,
                                play=Simulation.Play.NOBODY)  # fmt: skip
    simulation_run(nobody.pk)
    assert Simulation.objects.get(pk=nobody.pk).result["idle"] == ["DOM", "HTI"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"play": "empty", "runs": "10", "seed": "1"}, "Choose the seats nobody plays."),
        ({"play": "bots", "runs": "5000", "seed": "1"}, "less than or equal to 1000"),
        ({"play": "bots", "runs": "10", "seed": "1", "empty": ["ARG"]}, "ARG is not one"),
        ({"play": "sloppy", "runs": "10", "seed": "1"}, "sloppy is not one"),
    ],
)
def test_a_bad_request_is_refused_with_the_reason(
    author: Client, minimal_scenario: Scenario, data: dict, reason: str
) -> None:
    response = author.post(reverse("scenarios:simulate", args=["minimal"]), data)
    assert response.status_code == 400
    page = response.content.decode()
    # The scenario's page again, the reason beside the choice, what was chosen kept.
    assert reason in page and 'class="errorlist"' in page
    assert f'name="runs" value="{data["runs"]}"' in page
    assert not Simulation.objects.exists()


def test_a_simulation_of_another_scenario_is_404(
    author: Client, shipped_scenarios: list[Scenario], facilitator
) -> None:
    storm = next(s for s in shipped_scenarios if s.slug == "caribbean-storm")
    simulation = simulation_request(scenario=storm, actor=facilitator, runs=5)
    other = next(s for s in shipped_scenarios if s.slug != "caribbean-storm")
    url = reverse("scenarios:simulation", args=[other.slug, simulation.pk])
    assert author.get(url).status_code == 404
