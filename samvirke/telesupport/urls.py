from django.urls import path

from samvirke.telesupport import views

app_name = "telesupport"

urlpatterns = [
    path("", views.index, name="index"),
    path("sager/<int:pk>/", views.case, name="case"),
    path("sager/<int:pk>/handling/", views.case_action, name="case_action"),
    path("kontakter/<int:pk>/sag/", views.from_contact, name="from_contact"),
    path("<slug:slug>/", views.desk, name="desk"),
    path("<slug:slug>/traeer/<slug:kind>/", views.tree_editor, name="tree"),
    path("<slug:slug>/styring/", views.steering, name="steering"),
]
