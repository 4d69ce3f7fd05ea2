from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "samvirke.economy"
    verbose_name = "Økonomi"
