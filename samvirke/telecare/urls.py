from django.urls import path

from samvirke.telecare import views

app_name = "telecare"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.landsdel, name="landsdel"),
    path("<slug:slug>/<int:year>.xlsx", views.export, name="export"),
    path("<slug:slug>/indstillinger/", views.save_settings, name="settings"),
    path("<slug:slug>/indskrivninger/", views.upload_enrolments, name="upload"),
    path("<slug:slug>/prognose/", views.make_forecast, name="forecast"),
    path("<slug:slug>/kvartal/", views.issue_quarter, name="quarter"),
    path("<slug:slug>/afslut/", views.close_year, name="close"),
    path("<slug:slug>/tilkoeb/forbrug/", views.record_addon_usage, name="addon_usage"),
    path("<slug:slug>/tilkoeb/fakturer/", views.invoice_addons, name="addon_invoice"),
]
