from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "samvirke.audit"
    verbose_name = "Revisionslog"
