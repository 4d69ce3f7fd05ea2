from django.urls import path

from samvirke.assistant import staff_views

app_name = "assistant_staff"
urlpatterns = [
    path("status/", staff_views.model_status_fragment, name="model_status"),
]
