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


class Blurb(models.Model):
    """A work's blurb as HTML, rendered when the work is indexed (`indexing.drain`, `reindex`).

    A search or tag page shows twenty blurbs; rendering them on request, with their tags and
    creators fetched, cost more than the whole search (bench/search.py). Every change a blurb
    shows queues its work for indexing, so the row is as fresh as the index, and every web
    process — on every host — reads the same rows.
    """

    work = models.OneToOneField(
        "archive.Work", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    html = models.TextField()

    def __str__(self) -> str:
        return f"blurb of work {self.work_id}"


# --- The PostgreSQL backend's tables (backends/postgres.py) ----------------------------------------
# They exist on every database so migrations run everywhere, but only PostgreSQL fills them: on
# other databases the vendor-specific columns are plain text placeholders. Their GIN and sort
# indexes, and the text search configuration, are created by migration 0002 on PostgreSQL only.


class _PostgresOnlyField(models.Field):
    """A PostgreSQL column type (`pg_type`); a text placeholder on other databases."""

    pg_type = "text"

    def db_type(self, connection) -> str:
        return self.pg_type if connection.vendor == "postgresql" else "text"


class BigIntArrayField(_PostgresOnlyField):
    pg_type = "bigint[]"


class SmallIntArrayField(_PostgresOnlyField):
    pg_type = "smallint[]"


class TsVectorField(_PostgresOnlyField):
    pg_type = "tsvector"


class SearchWork(models.Model):
    """A work's filters, facets and sort keys for the PostgreSQL backend; one row per work."""

    id = models.BigIntegerField(primary_key=True, help_text="The work's id (deleted works too).")
    tags = BigIntArrayField(help_text="Accepted canonical tag ids, every type.")
    tag_types = SmallIntArrayField(help_text="Each tag's type, as its index in FACET_TYPES.")
    suggested = BigIntArrayField(help_text="Pending suggestions (fandom, character, relationship).")
    suggested_types = SmallIntArrayField()
    fandom_count = models.SmallIntegerField(default=0)
    language = models.CharField(max_length=20, blank=True)
    pov = models.CharField(max_length=20, blank=True)
    tense = models.CharField(max_length=20, blank=True)
    complete = models.BooleanField(null=True)
    restricted = models.BooleanField(default=False, help_text="For logged-in users only.")
    words = models.BigIntegerField(default=0)
    published = models.IntegerField(default=0, help_text="Days since 1970-01-01; 0: unknown.")
    updated = models.IntegerField(default=0, help_text="Days since 1970-01-01; 0: unknown.")
    kudos = models.IntegerField(default=0)
    hits = models.IntegerField(default=0)
    bookmarks = models.IntegerField(default=0)
    comments = models.IntegerField(default=0)
    title_key = models.TextField(help_text="documents.sortable(title); sorted byte-wise.")
    creator_key = models.TextField(help_text="The first creator, sortable; U+FFFF if none.")

    def __str__(self) -> str:
        return f"search row of work {self.id}"


class SearchText(models.Model):
    """One searchable text of a work (a field, or a chunk of a long one) as a tsvector."""

    pk = models.CompositePrimaryKey("work_id", "field", "part")
    work_id = models.BigIntegerField()
    field = models.CharField(max_length=12, help_text="title, creator, body, fandom, …")
    part = models.IntegerField(help_text="The chunk's number; long texts are cut in chunks.")
    vector = TsVectorField()

    def __str__(self) -> str:
        return f"work {self.work_id} {self.field} part {self.part}"
