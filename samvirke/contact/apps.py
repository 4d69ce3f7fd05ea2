from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "samvirke.contact"
    verbose_name = "Kontaktcenter"
