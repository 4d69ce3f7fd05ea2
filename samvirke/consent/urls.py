from django.urls import path

from samvirke.consent import views

app_name = "consent"

urlpatterns = [
    path("", views.register, name="register"),
    path("borgere.xlsx", views.export, name="export"),
    path("borgere/henvis/", views.refer, name="refer"),
    path("borgere/<int:pk>/", views.citizen, name="citizen"),
    path("borgere/<int:pk>/indskriv/", views.enrol, name="enrol"),
    path("borgere/<int:pk>/afslut/", views.end_course, name="end_course"),
    path("borgere/<int:pk>/samtykke/", views.record_consent, name="record_consent"),
    path("samtykker/<int:pk>/tilbagekald/", views.withdraw_consent, name="withdraw_consent"),
    path("samtykker/<int:pk>/udskrift/", views.printable_consent, name="print"),
    path("databehandleraftaler/", views.agreements, name="agreements"),
    path("databehandleraftaler/ny/", views.sign_agreement, name="sign_agreement"),
    path("databehandleraftaler/underdatabehandlere/", views.add_sub_processor, name="add_sub_processor"),
    path("databehandleraftaler/<int:pk>/tiltraedelse/", views.accede, name="accede"),
    path("databehandleraftaler/<int:pk>/revisionserklaering/", views.audit_statement, name="audit_statement"),
    path("databehandleraftaler/<int:pk>/ophoer/", views.terminate_agreement, name="terminate_agreement"),
]
