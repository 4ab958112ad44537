from django.contrib import admin

from .models import Chapter, Pseud, Source, Tag, Work


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
    list_filter = ["complete", "language"]


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["work", "position", "title", "word_count"]


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "creator"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "canonical", "merger"]
    list_filter = ["type", "canonical"]
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["filename", "format", "encoding", "site", "imported_at"]


# Contact is deliberately not registered: private data is not listed anywhere.
