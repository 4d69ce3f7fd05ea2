from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "samvirke.reports"
    verbose_name = "Rapporter"
