from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "samvirke.limits"
    verbose_name = "Begrænsninger (hastighed og log ind)"

    def ready(self) -> None:
        from samvirke.limits import signals  # noqa: F401  (connects the lockout to the audit log)
