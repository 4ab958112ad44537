"""The index queue: works whose search documents must be rebuilt.

A row is written in the same transaction as the change it follows, so a crash can lose neither
the change nor the need to index it; rows are deleted only after the engine has committed.
"""

from django.db import models


class IndexQueue(models.Model):
    work_id = models.BigIntegerField(help_text="Not a foreign key: deleted works are queued too.")
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"work {self.work_id} queued at {self.queued_at:%Y-%m-%d %H:%M:%S}"
