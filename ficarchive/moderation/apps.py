from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "ficarchive.moderation"
    label = "moderation"
    verbose_name = "Moderation: reports, hiding and the audit log"
