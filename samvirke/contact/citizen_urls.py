from django.urls import path

from samvirke.contact import citizen_views

app_name = "chat_human"
urlpatterns = [
    path("<int:code>/medarbejder/", citizen_views.start, name="start"),
    path("<int:code>/opringning/", citizen_views.callback, name="callback"),
    path("<int:code>/besked/", citizen_views.message, name="message"),
    path("<int:code>/samtale/<str:token>/", citizen_views.conversation, name="conversation"),
    path("<int:code>/samtale/<str:token>/skriv/", citizen_views.send, name="send"),
    path("<int:code>/samtale/<str:token>/afslut/", citizen_views.leave, name="leave"),
    path("<int:code>/samtale/<str:token>/vurdering/", citizen_views.rate, name="rate"),
]
