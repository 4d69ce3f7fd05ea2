from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "samvirke.knowledge"
    verbose_name = "Vidensbase"
