from django.urls import path

from samvirke.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ny/", views.new_intake, name="new_intake"),
    path("plan/", views.plan, name="plan"),
    path("hold/", views.create_cohort, name="create_cohort"),
    path("tidslinje/", views.timeline, name="timeline"),
    path("kommune/<int:code>/", views.checklist, name="checklist"),
    path("kommune/<int:code>/punkt/<int:pk>/", views.tick, name="tick"),
    path("kommune/<int:code>/tilsidesaet/", views.override, name="override"),
]
