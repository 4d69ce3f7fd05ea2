from django.urls import path

from samvirke.preparedness import views

app_name = "preparedness"

urlpatterns = [
    path("", views.index, name="index"),
    path("slaa-til/", views.start, name="start"),
    path("<int:crisis_id>/slaa-fra/", views.end, name="end"),
    path("<int:crisis_id>/forstaerkning/", views.request_surge, name="request_surge"),
    path("forstaerkning/<int:request_id>/svar/", views.answer_surge, name="answer_surge"),
]
