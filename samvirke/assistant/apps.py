from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "samvirke.assistant"
    verbose_name = "Borgerassistent"
