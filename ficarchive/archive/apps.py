from django.apps import AppConfig
from django.db.models.signals import post_delete


class ArchiveConfig(AppConfig):
    name = "ficarchive.archive"
    label = "archive"
    verbose_name = "Archive"

    def ready(self) -> None:
        from .downloads import forget_downloads
        from .models import Work

        post_delete.connect(forget_downloads, sender=Work, dispatch_uid="archive-forget-downloads")
