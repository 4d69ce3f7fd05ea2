from django.apps import AppConfig


class TelesupportConfig(AppConfig):
    """Support for telemedicine (seed 003, ch. 3): cases from the telemedicine line, priority, problem trees,
    forwarding, follow-up and lessons, and the landsdel secretariat's steering data."""

    name = "samvirke.telesupport"
    verbose_name = "Telemedicinsk support"

    def ready(self) -> None:
        # The contact centre's desk offers "Opret supportsag" on the telemedicine line (telesupport/desk.py).
        from samvirke.contact import desk_actions
        from samvirke.telesupport.desk import support_case_action
        from samvirke.telesupport.reference_data import TELEMEDICINE_LINE

        desk_actions.register(TELEMEDICINE_LINE, support_case_action)
