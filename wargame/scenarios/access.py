"""Who may change scenarios: authors and facilitators, the site's staff. The first line of
every view of the scenario studio."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from wargame.scenarios.models import Scenario
from wargame.scenarios.selectors import scenario_latest


def studio_for(user: AbstractBaseUser | AnonymousUser) -> None:
    """Refuse anyone who is not staff: players and evaluators never see a scenario's private
    parts or change one. Views put `login_required` before it, so a visitor signs in first."""
    if not (user.is_authenticated and user.is_staff):
        raise PermissionDenied


def scenario_for(
    user: AbstractBaseUser | AnonymousUser, slug: str, version: str | int | None = None
) -> Scenario:
    """A version of the scenario (the latest if none is named), for staff: 403 for anyone else,
    404 when the scenario or the version does not exist."""
    studio_for(user)
    number = None
    if version not in (None, ""):
        try:
            number = int(version)  # type: ignore[arg-type]
        except ValueError:
            raise Http404("No such version.") from None
    scenario = scenario_latest(slug, version=number)
    if scenario is None:
        raise Http404("No such scenario or version.")
    return scenario
