"""Queue a work for indexing whenever anything it is searched by changes.

Model signals catch every save, from the actions, the admin or the shell; `bulk_create` sends no
signals, but the archive only uses it for chapters of a work created in the same transaction,
whose own save queued it.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from ficarchive.archive.models import Chapter, Creatorship, Pseud, Tag, Work, WorkTag
from ficarchive.search.indexing import enqueue


def _work(sender, instance, **kwargs) -> None:
    enqueue([instance.pk])


def _part_of_work(sender, instance, **kwargs) -> None:
    enqueue([instance.work_id])


def _tag(sender, instance: Tag, created: bool = False, **kwargs) -> None:
    # A new tag is on no work yet; a renamed or merged one changes every work that carries it
    # or one of its synonyms.
    if created:
        return
    enqueue(
        WorkTag.objects.filter(
            tag__in=[instance.pk, *instance.synonyms.values_list("pk", flat=True)]
        )
        .values_list("work_id", flat=True)
        .distinct()
    )


def _pseud(sender, instance: Pseud, created: bool = False, **kwargs) -> None:
    if not created:
        enqueue(instance.creatorships.values_list("work_id", flat=True))


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_work, sender=Work, dispatch_uid=f"search-work-{id(signal)}")
        for model in (Chapter, WorkTag, Creatorship):
            signal.connect(
                _part_of_work, sender=model, dispatch_uid=f"search-{model.__name__}-{id(signal)}"
            )
    post_save.connect(_tag, sender=Tag, dispatch_uid="search-tag")
    post_save.connect(_pseud, sender=Pseud, dispatch_uid="search-pseud")
