"""The site's addresses: home, health checks, scenarios, exercises, accounts, the admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from wargame.accounts import views as accounts_views
from wargame.web import health

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/parts", health.health_details, name="healthz_parts"),
    path("scenarios/", include("wargame.scenarios.urls")),
    path("x/", include("wargame.web.urls")),
    path("accounts/", include("wargame.accounts.urls")),
    path(settings.CUMBRE_ADMIN_PATH, admin.site.urls),
]
