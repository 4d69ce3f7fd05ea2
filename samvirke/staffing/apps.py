from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "samvirke.staffing"
    verbose_name = "Bemanding"
