"""Addresses of the scenario library and studio."""

from django.urls import path

from wargame.scenarios import editor, views

app_name = "scenarios"
urlpatterns = [
    path("", views.library, name="library"),
    path("upload/", views.upload, name="upload"),
    path("upload/save/", views.upload_apply, name="upload_apply"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/scenario.yaml", views.download_yaml, name="download_yaml"),
    path("<slug:slug>/msel.csv", views.download_msel, name="download_msel"),
    path("<slug:slug>/versions/", views.versions, name="versions"),
    path("<slug:slug>/versions/compare/", views.compare, name="compare"),
    path("<slug:slug>/versions/<int:version>/restore/", views.restore, name="restore"),
    path("<slug:slug>/edit/", editor.editor, name="edit"),
    path("<slug:slug>/edit/<str:part>/", editor.edit_save, name="edit_save"),
    path("<slug:slug>/duplicate/", editor.duplicate, name="duplicate"),
    path("<slug:slug>/simulate/", views.simulate, name="simulate"),
    path("<slug:slug>/simulations/<int:pk>/", views.simulation, name="simulation"),
]
