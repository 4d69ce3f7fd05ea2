from django.urls import path

from samvirke.kits import views

app_name = "kits"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.stock, name="stock"),
    path("<slug:slug>/opgaver/", views.tasks, name="tasks"),
    path("<slug:slug>/dagsplaner/", views.day_plans, name="day_plans"),
    path("opgaver/<int:pk>/", views.task, name="task"),
    path("enheder/<int:pk>/", views.unit, name="unit"),
    path("dagsplaner/<int:pk>/", views.day_plan, name="day_plan"),
    path("dagsplaner/<int:pk>/status/", views.day_plan_status, name="day_plan_status"),
]
