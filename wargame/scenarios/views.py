"""The scenario library: the list and one scenario's page."""

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from wargame.scenarios.selectors import scenario_latest, scenario_list


def library(request: HttpRequest) -> HttpResponse:
    """The scenario library: what exercises can be run. Scenarios hold no private content here;
    nation briefings stay out of this page."""
    return render(request, "scenarios/library.html", {"scenarios": scenario_list()})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A scenario as planners read it: summary, public briefing, nations, objectives, MSEL.
    Nation briefings are private to each team and are not shown here."""
    scenario = scenario_latest(slug)
    if scenario is None:
        raise Http404("No such scenario.")
    prefetch_related_objects([scenario], "nations", "objectives", "actions")
    injects = scenario.injects.select_related("objective", "contingency_for").order_by(
        "turn", "position"
    )
    return render(request, "scenarios/detail.html", {"scenario": scenario, "injects": injects})
