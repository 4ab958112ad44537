from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "ficarchive.archive"
    label = "archive"
    verbose_name = "Archive"
