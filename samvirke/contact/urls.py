from django.urls import path

from samvirke.contact import desk_views, views

app_name = "contact"
urlpatterns = [
    path("", desk_views.desk, name="desk"),
    path("skrivebord/", desk_views.desk_panel, name="desk_panel"),
    path("status/", desk_views.set_status, name="set_status"),
    path("besvar/", desk_views.answer, name="answer"),
    path("tag/", desk_views.pick, name="pick"),
    path("registrer/", desk_views.register, name="register"),
    path("registrer/<int:contact_id>/", desk_views.register_later, name="register_later"),
    path("kladde/", desk_views.save_draft, name="save_draft"),
    path("viderestil/", desk_views.transfer, name="transfer"),
    path("guides/", desk_views.guide_search, name="guide_search"),
    path("guides/forslag/", desk_views.suggested_guides, name="suggested_guides"),
    path("chat/send/", desk_views.send_chat, name="send_chat"),
    path("tavle/", views.wallboard, name="wallboard"),
    path("rapporter/", views.reports, name="reports"),
    path("rapporter/kontakter.<str:fmt>", views.export_contacts, name="export"),
]
