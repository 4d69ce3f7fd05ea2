from django.apps import AppConfig


class ConsentConfig(AppConfig):
    """Citizens in a landsdel's telemedicine programme and what may be disclosed about them (seed 003, ch. 6):
    referral, enrolment and end of course, consent, data processing agreements, field-level access by operator type,
    and the log of every disclosure."""

    name = "samvirke.consent"
    verbose_name = "Samtykke og borgere i telemedicin"
