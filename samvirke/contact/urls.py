from django.urls import path

from samvirke.contact import views

app_name = "contact"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("skrivebord/", views.desk_panel, name="desk_panel"),
    path("status/", views.set_status, name="set_status"),
    path("besvar/", views.answer, name="answer"),
    path("registrer/", views.register, name="register"),
    path("viderestil/", views.transfer, name="transfer"),
    path("guides/", views.guide_search, name="guide_search"),
    path("chat/send/", views.send_chat, name="send_chat"),
    path("chat/<int:contact_id>/beskeder/", views.chat_messages, name="chat_messages"),
    path("tavle/", views.wallboard, name="wallboard"),
    path("rapporter/", views.reports, name="reports"),
    path("rapporter/kontakter.<str:fmt>", views.export_contacts, name="export"),
]
