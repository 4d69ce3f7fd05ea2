from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "samvirke.directory"
    verbose_name = "Kommuner og medlemmer"
