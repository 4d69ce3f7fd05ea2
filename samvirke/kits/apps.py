from django.apps import AppConfig


class KitsConfig(AppConfig):
    """Telemedicine kits and their units from purchase to scrapping, stock, and the logistics that sets them up,
    exchanges and takes them down (seed 003, ch. 3 and appendix A): tasks, the one-visit install, the 12/2 working-day
    benchmark and the technicians' day plans."""

    name = "samvirke.kits"
    verbose_name = "Udstyr og logistik"
