from django.contrib import admin
from django.urls import include, path

from wargame.accounts import views as accounts_views

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("scenarios/", include("wargame.scenarios.urls")),
    path("x/", include("wargame.exercises.urls")),
    path("accounts/", include("wargame.accounts.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
