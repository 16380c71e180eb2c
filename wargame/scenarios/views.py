from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from wargame.scenarios.models import Scenario
from wargame.scenarios.selectors import scenario_list


def library(request: HttpRequest) -> HttpResponse:
    """The scenario library: what exercises can be run. Scenarios hold no private content here;
    nation briefings stay out of this page."""
    return render(request, "scenarios/library.html", {"scenarios": scenario_list()})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A scenario as planners read it: summary, public briefing, nations, objectives, MSEL.
    Nation briefings are private to each team and are not shown here."""
    scenario = get_object_or_404(
        Scenario.objects.prefetch_related("nations", "objectives", "actions"), slug=slug
    )
    injects = scenario.injects.select_related("objective", "contingency_for").order_by(
        "turn", "position"
    )
    return render(request, "scenarios/detail.html", {"scenario": scenario, "injects": injects})
