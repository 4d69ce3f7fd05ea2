from django.apps import AppConfig


class TelecareConfig(AppConfig):
    """Telemedicine as a fællesskab (seed 003): service, support and logistics of COPD home-monitoring kits per
    landsdel, their volumes, costs and the subscription that pays for them."""

    name = "samvirke.telecare"
    verbose_name = "Telemedicin"
