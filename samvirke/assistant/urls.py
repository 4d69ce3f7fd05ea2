from django.urls import path

from samvirke.assistant import views

app_name = "assistant"
urlpatterns = [
    path("<int:code>/", views.chat, name="chat"),
    path("<int:code>/feedback/", views.feedback, name="feedback"),
]
