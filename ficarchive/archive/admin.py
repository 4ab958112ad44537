"""Archivist's admin. `Contact` is deliberately not registered and no inline shows it: private
contact data is never listed anywhere. Works are imported through `actions`, so their content is
read-only here; tags (wrangling synonyms) and creators (claiming by a user) are editable.
"""

from django.contrib import admin
from django.db import models

from .models import Chapter, Creator, Creatorship, Pseud, Source, Tag, Work, WorkTag


class CreatorshipInline(admin.TabularInline):
    model = Creatorship
    extra = 0
    autocomplete_fields = ["pseud"]


class WorkTagInline(admin.TabularInline):
    model = WorkTag
    extra = 0
    autocomplete_fields = ["tag"]
    fields = ["tag", "source", "status", "confidence", "position"]


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 0
    fields = ["position", "title", "word_count"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    fields = ["filename", "format", "encoding", "site", "size", "imported_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "rating",
        "language",
        "complete",
        "word_count",
        "chapter_count",
        "created_at",
    ]
    search_fields = ["title"]
    list_filter = ["complete", "language", "rating", "pov", "tense"]
    # The analysis's output is recomputed by `ficarchive analyse`, not edited by hand.
    readonly_fields = [
        "content_hash",
        "created_at",
        "modified_at",
        "pov",
        "tense",
        "dialogue_share",
        "analysis",
    ]
    inlines = [CreatorshipInline, WorkTagInline, ChapterInline, SourceInline]

    def get_queryset(self, request):
        return Work.all_objects.all()  # archivists see hidden works too (archive.hiding)


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["work", "position", "title", "word_count"]
    list_select_related = ["work"]
    search_fields = ["title", "work__title"]
    raw_id_fields = ["work"]


class PseudInline(admin.TabularInline):
    model = Pseud
    extra = 0
    fields = ["name", "slug"]


@admin.register(Creator)
class CreatorAdmin(admin.ModelAdmin):
    """Assign an imported creator to a user account, or see which pseuds belong together."""

    list_display = ["__str__", "user", "created_at"]
    list_select_related = ["user"]
    search_fields = ["pseuds__name"]
    raw_id_fields = ["user"]
    inlines = [PseudInline]


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "creator"]
    list_select_related = ["creator"]
    search_fields = ["name"]
    raw_id_fields = ["creator"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "canonical", "merger"]
    list_filter = ["type", "canonical"]
    list_select_related = ["merger"]
    search_fields = ["name"]
    autocomplete_fields = ["merger"]
    # Metatags and fandoms change on the wrangling pages, whose actions refuse cycles and audit.
    readonly_fields = ["meta_tags", "fandoms"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["filename", "format", "encoding", "site", "imported_at"]
    list_filter = ["format", "site"]
    search_fields = ["filename", "url", "sha256"]
    raw_id_fields = ["work"]
    readonly_fields = ["sha256", "size", "imported_at", "warnings"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
