from django.apps import AppConfig


class TelesupportConfig(AppConfig):
    """Support for telemedicine (seed 003, ch. 3): cases from the telemedicine line, priority, problem trees,
    forwarding, follow-up and lessons, and the landsdel secretariat's steering data."""

    name = "samvirke.telesupport"
    verbose_name = "Telemedicinsk support"
