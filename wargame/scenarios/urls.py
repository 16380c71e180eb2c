"""Addresses of the scenario library."""

from django.urls import path

from wargame.scenarios import views

app_name = "scenarios"
urlpatterns = [
    path("", views.library, name="library"),
    path("<slug:slug>/", views.detail, name="detail"),
]
