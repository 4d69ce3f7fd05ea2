from django.urls import path

from samvirke.directory import views

app_name = "directory"
urlpatterns = [
    path("medlemmer/", views.member_list, name="member_list"),
    path("kommuner/<int:code>/", views.municipality_detail, name="municipality"),
    path("kommuner/<int:code>/status/", views.change_membership_status, name="change_status"),
]
