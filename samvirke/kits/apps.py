from django.apps import AppConfig


class KitsConfig(AppConfig):
    """Telemedicine kits and their units from purchase to scrapping, stock, and the logistics that sets them up,
    exchanges and takes them down (seed 003, ch. 3 and appendix A): tasks, the one-visit install, the 12/2 working-day
    benchmark and the technicians' day plans."""

    name = "samvirke.kits"
    verbose_name = "Udstyr og logistik"

    def ready(self) -> None:
        from samvirke.consent.signals import citizen_enrolled, citizen_referred, consent_recorded, course_ended
        from samvirke.kits import receivers

        citizen_referred.connect(receivers.on_referred_or_enrolled, dispatch_uid="kits.setup_on_referral")
        citizen_enrolled.connect(receivers.on_referred_or_enrolled, dispatch_uid="kits.setup_on_enrolment")
        consent_recorded.connect(receivers.on_consent_recorded, dispatch_uid="kits.setup_on_consent")
        course_ended.connect(receivers.on_course_ended, dispatch_uid="kits.takedown_on_end")
