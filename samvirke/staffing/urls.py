from django.urls import path

from samvirke.staffing import views

app_name = "staffing"
urlpatterns = [
    path("", views.index, name="index"),
    path("kalender/<int:code>.ics", views.member_calendar, name="calendar"),
    path("kalender/agent/<str:token>.ics", views.agent_feed, name="agent_feed"),
    path("mine-vagter.ics", views.my_calendar, name="my_calendar"),
    path("<str:week>/", views.rota_detail, name="rota"),
    path("<str:week>/opbygning/", views.build_status, name="build_status"),
    path("<str:week>/offentliggoer/", views.publish, name="publish"),
    path("<str:week>/vagtplan.xlsx", views.export_xlsx, name="export"),
    path("<str:week>/<int:code>/", views.member_shifts, name="member"),
    path("<str:week>/<int:code>/byt/", views.swap, name="swap"),
    path("<str:week>/<int:code>/anmodninger/<int:pk>/accepter/", views.accept_swap, name="accept_swap"),
    path("<str:week>/<int:code>/anmodninger/<int:pk>/afvis/", views.decline_swap, name="decline_swap"),
]
