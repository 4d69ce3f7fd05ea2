from django.urls import path

from samvirke.training import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("med-lyt/ny/", views.create_session, name="create_session"),
    path("bookinger/<int:pk>/deltog/", views.attended, name="attended"),
    path("<int:person_id>/trin/", views.record_step, name="record_step"),
    path("<int:person_id>/book/", views.book, name="book"),
]
