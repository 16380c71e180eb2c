from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wargame.scenarios.selectors import scenario_list


def library(request: HttpRequest) -> HttpResponse:
    """The scenario library: what exercises can be run. Scenarios hold no private content here;
    nation briefings stay out of this page."""
    return render(request, "scenarios/library.html", {"scenarios": scenario_list()})
