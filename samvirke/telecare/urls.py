from django.urls import path

from samvirke.telecare import views

app_name = "telecare"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.landsdel, name="landsdel"),
]
