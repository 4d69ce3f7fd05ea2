from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data command. It sits above the domain apps, so that they need not know each other."""

    name = "samvirke.demo"
    verbose_name = "Demodata"
