"""Every admin page loads, with its search and filters, for the staff who edit scenarios."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from wargame.exercises.models import Exercise
from wargame.scenarios.models import Scenario


@pytest.fixture
def staff_client(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("admin", "", "pw-admin-1")
    client.force_login(user)
    return client


OURS = [model for model in admin.site._registry if model._meta.app_label != "auth"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", OURS, ids=lambda model: model._meta.label)
def test_changelist_with_search_loads(
    staff_client: Client, exercise: Exercise, model: type
) -> None:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields and model_admin.list_filter, opts.label
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "HTI"}).status_code == 200


@pytest.mark.django_db
def test_scenario_change_page_shows_nations_and_objectives(
    staff_client: Client, minimal_scenario: Scenario
) -> None:
    url = reverse("admin:scenarios_scenario_change", args=[minimal_scenario.pk])
    html = staff_client.get(url).content.decode()
    assert "Haiti&#x27;s private briefing." in html or "Haiti's private briefing." in html
    assert "Coordinate the disaster response" in html


@pytest.mark.django_db
def test_admin_is_closed_to_anonymous_users(client: Client) -> None:
    response = client.get(reverse("admin:scenarios_scenario_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
