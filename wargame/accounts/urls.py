"""Addresses of signing in and of the invitation links."""

from django.contrib.auth import views as auth_views
from django.urls import path

from wargame.accounts import views

app_name = "accounts"
urlpatterns = [
    path("join/<str:token>/", views.join, name="join"),
    path("code/<slug:code>/", views.join_code, name="join_code"),
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("language/", views.language, name="language"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
