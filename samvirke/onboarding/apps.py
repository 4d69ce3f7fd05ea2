from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "samvirke.onboarding"
    verbose_name = "Optagelse af kommuner"
