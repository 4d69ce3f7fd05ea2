from django.urls import path

from samvirke.consent import views

app_name = "consent"

urlpatterns = [
    path("", views.register, name="register"),
    path("borgere.xlsx", views.export, name="export"),
    path("borgere/<int:pk>/", views.citizen, name="citizen"),
    path("borgere/<int:pk>/samtykke/", views.record_consent, name="record_consent"),
    path("samtykker/<int:pk>/tilbagekald/", views.withdraw_consent, name="withdraw_consent"),
    path("samtykker/<int:pk>/udskrift/", views.printable_consent, name="print"),
    path("databehandleraftaler/", views.agreements, name="agreements"),
]
