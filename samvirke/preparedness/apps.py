from django.apps import AppConfig


class PreparednessConfig(AppConfig):
    name = "samvirke.preparedness"
    verbose_name = "Beredskab"
