from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "samvirke.training"
    verbose_name = "Uddannelse af medarbejdere"
