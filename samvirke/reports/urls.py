"""The reports' pages, each in the namespace of the tabs it sits on: samvirke/urls.py adds `economy_urlpatterns`
to economy's own under /oekonomi/ (namespace "economy"), since economy must not import this app."""

from django.urls import URLPattern, URLResolver, path

from samvirke.reports import views

economy_urlpatterns: list[URLPattern | URLResolver] = [
    path("vagttimer/", views.balance, name="balance"),
]
