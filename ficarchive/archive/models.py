"""The archive's data: works, chapters, creators and their pseuds, tags, sources.

Shaped after the Archive of Our Own: a person (`Creator`) writes under several `Pseud`s; tags
have types and may be synonyms of a canonical tag; a work's tags record where they came from
(the creator, an import, the analysis) so machine suggestions stay apart from people's tags.
Changes go through `archive.actions`, never straight from views or the CLI.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import slugify

from ficarchive.text.model import TagType

from .audience import sees_restricted


def unique_slug(model: type[models.Model], text: str, **scope) -> str:
    """A slug for `text` not yet used in `model` (within `scope`), suffixed -2, -3 … on clashes."""
    return unique_slugs(model, [text], **scope)[0]


def unique_slugs(model: type[models.Model], texts: list[str], **scope) -> list[str]:
    """Slugs for `texts`, unused in `model` (within `scope`) and among themselves: a few queries."""
    bases = [slugify(text, allow_unicode=True)[:90] or "untitled" for text in texts]
    taken = set(model.objects.filter(slug__in=set(bases), **scope).values_list("slug", flat=True))
    looked: set[str] = set()
    slugs = []
    for base in bases:
        slug, n = base, 1
        while slug in taken:
            if base not in looked:  # a clash: fetch the suffixed slugs of this base once
                looked.add(base)
                taken.update(
                    model.objects.filter(slug__startswith=f"{base}-", **scope).values_list(
                        "slug", flat=True
                    )
                )
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


class Creator(models.Model):
    """A person behind one or more pseuds; an archivist may later assign an imported one to a user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="creators",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        first = self.pseuds.first()
        return first.name if first else f"creator {self.pk}"


class Pseud(models.Model):
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("archive:creator", args=[self.slug])


class Tag(models.Model):
    class Type(models.TextChoices):
        RATING = TagType.RATING, "Rating"
        WARNING = TagType.WARNING, "Archive Warning"
        CATEGORY = TagType.CATEGORY, "Category"
        FANDOM = TagType.FANDOM, "Fandom"
        RELATIONSHIP = TagType.RELATIONSHIP, "Relationship"
        CHARACTER = TagType.CHARACTER, "Character"
        FREEFORM = TagType.FREEFORM, "Additional Tag"

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, allow_unicode=True)
    type = models.CharField(max_length=20, choices=Type.choices)
    canonical = models.BooleanField(default=False)
    merger = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="synonyms",
        help_text="The canonical tag this one is a synonym of.",
    )  # fmt: skip
    # Wrangling (ficarchive.wrangling): a canonical tag may sit under several canonical
    # metatags of its type ("Marvel" over "Marvel Cinematic Universe"; no cycles), and a
    # character or relationship may belong to fandoms. Filtering by a metatag finds the works
    # of its subtags too (search.tags), resolved when searching, so the index never stores it.
    meta_tags = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="sub_tags",
        help_text="Canonical tags of the same type this tag is a part of.",
    )  # fmt: skip
    fandoms = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="fandom_tags",
        help_text="The fandoms a character or relationship belongs to.",
    )  # fmt: skip

    class Meta:
        ordering = ["type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["type", "name"], name="tag_unique_type_name"),
            models.UniqueConstraint(fields=["type", "slug"], name="tag_unique_type_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("archive:tag", args=[self.type, self.slug])

    @staticmethod
    def plural_label(tag_type: str) -> str:
        label = Tag.Type(tag_type).label
        return label[:-1] + "ies" if label.endswith("y") else label + "s"


class WorkQuerySet(models.QuerySet):
    def visible(self) -> WorkQuerySet:
        """Works anyone may see: not hidden (by a moderator or at their creator's request)."""
        return self.filter(hidden_at__isnull=True)

    def hidden(self) -> WorkQuerySet:
        return self.filter(hidden_at__isnull=False)

    def readable_by(self, user) -> WorkQuerySet:
        """The works this person may find: no restricted ones for anonymous visitors (or None).

        See `archive.audience`: the one rule for what an anonymous visitor may see.
        """
        return self if sees_restricted(user) else self.filter(restricted=False)


class VisibleWorkManager(models.Manager.from_queryset(WorkQuerySet)):
    """`Work.objects`, the default manager: hidden works are left out of every list by default.

    Lists, tag pages, feeds, the API and the search index all start from it (directly, through
    `blurb_queryset`, `get_object_or_404(Work, ...)` or related managers such as `pseud.works`),
    so a hidden work disappears from all of them at once. Code that must see every work (the
    import's duplicate check, recounts, backups, the admin, a hidden work's own page for its
    creators) uses `Work.all_objects`. Related-object access (`chapter.work`) and cascades use
    Django's plain base manager and are not affected.
    """

    def get_queryset(self) -> WorkQuerySet:
        return super().get_queryset().visible()


class Work(models.Model):
    title = models.CharField(max_length=500)
    title_missing = models.BooleanField(
        default=False, help_text="The title is a fallback, not the source's own."
    )
    summary_html = models.TextField(blank=True)
    notes_html = models.TextField(blank=True)
    end_notes_html = models.TextField(blank=True)
    rating = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=12, blank=True)
    complete = models.BooleanField(
        null=True, help_text="True: complete; False: to be continued; None: unknown."
    )
    expected_chapters = models.PositiveIntegerField(null=True, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    chapter_count = models.PositiveIntegerField(default=0)
    published = models.DateField(null=True, blank=True)
    updated = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    content_hash = models.CharField(
        max_length=64, unique=True, help_text="Fingerprint of the text, for duplicates."
    )
    # Response counts, kept on the work so lists can sort by them without joins.
    kudos_count = models.PositiveIntegerField(default=0)
    hits_count = models.PositiveIntegerField(default=0)
    bookmarks_count = models.PositiveIntegerField(default=0)
    comments_count = models.PositiveIntegerField(default=0)

    # What the analysis (ficarchive.analysis) found: machine-made reading aids, set on import and
    # by `actions.reanalyse_work`, empty when the work was never analysed. Suggested tags are
    # WorkTag rows (source "analysis"), not stored here. `pov` and `tense` are indexed because
    # search will filter by them.
    class Pov(models.TextChoices):
        FIRST = "first", "First person"
        SECOND = "second", "Second person"
        THIRD = "third", "Third person"

    class Tense(models.TextChoices):
        PAST = "past", "Past tense"
        PRESENT = "present", "Present tense"

    pov = models.CharField(max_length=10, blank=True, choices=Pov.choices)
    tense = models.CharField(max_length=10, blank=True, choices=Tense.choices)
    dialogue_share = models.FloatField(
        null=True, blank=True, help_text="Share of the words inside quotations (0-1)."
    )
    analysis = models.JSONField(
        default=dict,
        blank=True,
        help_text="The cast and reading time; the shape is documented at Work.cast.",
    )

    # Who may comment, as its creators chose: anyone the archive lets comment, or only readers
    # with an account; and whether each comment waits for a creator's approval.
    comments_from_users_only = models.BooleanField(default=False, db_default=False)
    moderate_comments = models.BooleanField(default=False, db_default=False)

    # A hidden work is kept but shown only to its creators and archivists (archive.hiding).
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(
        max_length=500, blank=True, help_text="Why the work is hidden; shown to its creators."
    )

    # Only logged-in users may read it; anonymous visitors never see it (archive.audience).
    restricted = models.BooleanField(
        default=False, help_text="Only logged-in users may see and read this work."
    )

    pseuds = models.ManyToManyField(Pseud, through="Creatorship", related_name="works")
    tags = models.ManyToManyField(Tag, through="WorkTag", related_name="works")

    objects = VisibleWorkManager()  # the default manager: visible works only
    all_objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"]),
            models.Index(fields=["-updated"]),
            models.Index(fields=["language"]),
            models.Index(fields=["pov"]),
            models.Index(fields=["tense"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("archive:work", args=[self.pk])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def creator_pseuds(self) -> list[Pseud]:
        return [c.pseud for c in self.creatorships.all()]

    def tag_groups(self) -> list[tuple[str, str, list[Tag]]]:
        """(type, label, tags) in the AO3 order, from the prefetched work tags.

        Only accepted tags are public: pending machine suggestions wait for review.
        """
        groups: dict[str, list[Tag]] = {t: [] for t in Tag.Type.values}
        for work_tag in self.work_tags.all():
            if work_tag.status == WorkTag.Status.ACCEPTED:
                groups[work_tag.tag.type].append(work_tag.tag)
        return [
            (t, Tag.Type(t).label if len(tags) == 1 else Tag.plural_label(t), tags)
            for t, tags in groups.items()
            if tags
        ]

    # AO3's rating squares: a letter and a colour class, with the full name as the label.
    RATING_BADGES = {
        "General Audiences": ("G", "general"),
        "Teen And Up Audiences": ("T", "teen"),
        "Mature": ("M", "mature"),
        "Explicit": ("E", "explicit"),
    }

    @property
    def rating_badge(self) -> tuple[str, str, str]:
        """(letter, css class, label) for the rating badge; unknown ratings show as Not Rated."""
        letter, css = self.RATING_BADGES.get(self.rating, ("NR", "not-rated"))
        return letter, css, self.rating or "Not Rated"

    @property
    def cast(self) -> list[dict]:
        """The cast list the analysis stored, ready for the page.

        `analysis` holds ``{"characters": [{"name", "tag", "mentions", "gender", "narrator",
        "dialogue_share"}, ...], "unnamed_share", "unattributed_share", "reading_minutes"}``:
        `tag` is the canonical character tag when the fandom registry knows the character (else
        null), the shares are of the work's quoted words (`unnamed_share`: spoken by people
        only described, "said the porter"), and an unnamed first-person narrator is named
        "narrator". Each entry here gains `label` and `share_percent`.
        """
        cast = []
        for character in self.analysis.get("characters", []):
            unnamed = character.get("narrator") and character.get("name") == "narrator"
            cast.append(
                {
                    **character,
                    "label": "The narrator" if unnamed else character.get("name", ""),
                    "share_percent": round(100 * (character.get("dialogue_share") or 0)),
                }
            )
        return cast

    @property
    def unnamed_percent(self) -> int:
        """Percent of the dialogue spoken by people the story describes but does not name."""
        return round(100 * (self.analysis.get("unnamed_share") or 0))

    @property
    def unattributed_percent(self) -> int:
        """Percent of the dialogue the analysis could not give to any character."""
        return round(100 * (self.analysis.get("unattributed_share") or 0))

    @property
    def reading_time(self) -> str:
        """`12 min` or `2 h 5 min` from the analysis, or "" when the work was not analysed."""
        minutes = self.analysis.get("reading_minutes") or 0
        if not minutes:
            return ""
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes} min" if hours else f"{minutes} min"

    @property
    def status_badge(self) -> tuple[str, str]:
        """(css class, label) of the completion badge: complete, in progress or unknown."""
        if self.complete:
            return "complete", "Complete"
        if self.complete is False:
            return "incomplete", "In progress"
        return "unknown", "Status unknown"

    @property
    def chapters_display(self) -> str:
        """AO3's `2/5`, `1/1` or `3/?`."""
        total = self.expected_chapters or (self.chapter_count if self.complete else None)
        return f"{self.chapter_count}/{total or '?'}"


class Creatorship(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creatorships")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["work", "pseud"], name="creatorship_unique")]

    def __str__(self) -> str:
        return f"{self.pseud} on {self.work}"


class WorkTag(models.Model):
    class Source(models.TextChoices):
        CREATOR = "creator", "Creator"
        IMPORTED = "imported", "Imported"
        ANALYSIS = "analysis", "Suggested by analysis"

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        PENDING = "pending", "Pending review"
        REJECTED = "rejected", "Rejected"

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="work_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="work_tags")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CREATOR)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    confidence = models.FloatField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="worktag_unique")]
        indexes = [models.Index(fields=["tag", "status"])]

    def __str__(self) -> str:
        return f"{self.tag} on {self.work} ({self.source}, {self.status})"

    @property
    def confidence_percent(self) -> int | None:
        return None if self.confidence is None else round(100 * self.confidence)


class ChapterQuerySet(models.QuerySet):
    def visible(self) -> ChapterQuerySet:
        return self.filter(hidden_at__isnull=True)


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=500, blank=True)
    epigraph_html = models.TextField(blank=True)
    summary_html = models.TextField(blank=True)
    notes_html = models.TextField(blank=True)
    end_notes_html = models.TextField(blank=True)
    body_html = models.TextField()
    body_text = models.TextField()
    word_count = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(
        max_length=32, blank=True, db_index=True,
        help_text="Hash of the chapter's words (rescue.similarity.text_fingerprint): which "
        "chapters a newer version of the work changed.",
    )  # fmt: skip
    # A hidden chapter is kept but left out for readers; its work's creators and archivists
    # still see it, with the reason (moderation.actions).
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True, default="", db_default="")

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "position"], name="chapter_unique_position")
        ]

    def __str__(self) -> str:
        return f"Chapter {self.position}" + (f": {self.title}" if self.title else "")

    def get_absolute_url(self) -> str:
        return reverse("archive:chapter", args=[self.work_id, self.position])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Contact(models.Model):
    """Private contact data from an import (an old page's `Email:` line). Never rendered anywhere."""

    pseud = models.ForeignKey(Pseud, null=True, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=10)
    value = models.CharField(max_length=500)
    source = models.ForeignKey(
        "Source", null=True, on_delete=models.SET_NULL, related_name="contacts"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pseud", "kind", "value"], name="contact_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} contact of {self.pseud}"  # never the value itself


class Source(models.Model):
    """Where a work came from: the file, its format and encoding, and a hash of its bytes."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="sources")
    filename = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    format = models.CharField(max_length=30)
    encoding = models.CharField(max_length=30, blank=True)
    site = models.CharField(max_length=30, blank=True)
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        # A newer version of a work is found by the URL or file name it came from.
        indexes = [models.Index(fields=["url"]), models.Index(fields=["filename"])]

    def __str__(self) -> str:
        return self.filename or self.url or self.sha256[:12]


class WorkSignature(models.Model):
    """A work's near-duplicate signature (rescue.similarity), apart so work lists never load it.

    `minhash` is the MinHash of the work's story text; its LSH band keys are `SignatureBand`
    rows, so works alike are found by an indexed lookup. `scheme` names how both were made: a
    signature of another scheme is rebuilt (`importing.versions.backfill_signatures`).
    """

    work = models.OneToOneField(
        Work, primary_key=True, on_delete=models.CASCADE, related_name="signature"
    )
    minhash = models.BinaryField()
    shingles = models.PositiveIntegerField(default=0, help_text="Distinct shingles of the text.")
    scheme = models.CharField(max_length=60)

    def __str__(self) -> str:
        return f"signature of {self.work_id}"


class SignatureBand(models.Model):
    """One LSH band key of a work's signature: works sharing a key are near-duplicate candidates."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="signature_bands")
    key = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"band {self.key} of {self.work_id}"


class Series(models.Model):
    """Works a creator groups in reading order (AO3's series): each work is a numbered part."""

    title = models.CharField(max_length=500)
    summary_html = models.TextField(blank=True)
    complete = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="series"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    works = models.ManyToManyField(Work, through="SeriesWork", related_name="series")

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("posting:series", args=[self.pk])


class SeriesWork(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="parts")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="series_parts")
    position = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["series", "work"], name="serieswork_unique")]

    def __str__(self) -> str:
        return f"Part {self.position} of {self.series}"


def visible_tag_uses(viewer=None) -> models.Count:
    """A tag's accepted uses on works this reader can see (anonymous when `viewer` is None):
    what tag lists count and leave out at 0."""
    condition = models.Q(
        work_tags__status=WorkTag.Status.ACCEPTED, work_tags__work__hidden_at__isnull=True
    )
    if not sees_restricted(viewer):
        condition &= models.Q(work_tags__work__restricted=False)
    return models.Count("work_tags", filter=condition)


def visible_pseud_works(viewer=None) -> models.Count:
    """A pseud's works this reader can see (anonymous when `viewer` is None): what creator
    lists count and leave out at 0."""
    condition = models.Q(creatorships__work__hidden_at__isnull=True)
    if not sees_restricted(viewer):
        condition &= models.Q(creatorships__work__restricted=False)
    return models.Count("creatorships", filter=condition)


def visible_canonical_uses(viewer=None) -> models.Subquery:
    """A tag's works this reader can see (anonymous when `viewer` is None), counted with its
    synonyms' (each work once): what the tag index shows beside a canonical tag, since its page
    lists them all."""
    condition = models.Q(status=WorkTag.Status.ACCEPTED, work__hidden_at__isnull=True)
    if not sees_restricted(viewer):
        condition &= models.Q(work__restricted=False)
    works = (
        WorkTag.objects.filter(
            models.Q(tag_id=models.OuterRef("pk")) | models.Q(tag__merger_id=models.OuterRef("pk")),
            condition,
        )
        .order_by()
        .values("status")  # one group: the rows are all accepted
        .annotate(n=models.Count("work_id", distinct=True))
        .values("n")
    )
    return Coalesce(models.Subquery(works), 0)
