"""The upload form: what kind of material, its files, and the checks made before anything is kept.

Only cheap checks run here (sizes, names, a zip's directory); reading the stories is the
background task's job. Every problem is a form error saying what to upload instead.
"""

from __future__ import annotations

from django import forms
from django.conf import settings

from . import uploads
from .actions import UploadedFile
from .jobs import limits
from .models import ImportJob

STORY_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub", ".zip")
DUMP_SUFFIXES = (".sql", ".sql.gz")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


# kind -> the form fields it needs: (field, role in the job's folder, required)
KIND_FIELDS = {
    ImportJob.Kind.FILES: (("files", "story", True),),
    ImportJob.Kind.SITE: (("site_zip", "site", True),),
    ImportJob.Kind.EFICTION: (("dump", "dump", True), ("stories_zip", "stories", False)),
}
MISSING = {
    "files": "Choose one or more story files (or a zip of them).",
    "site_zip": "Choose the zip of the saved site (the folder wget or HTTrack made, zipped).",
    "dump": "Choose the eFiction database dump (.sql or .sql.gz).",
}


def _suffix(name: str) -> str:
    lower = name.lower()
    return ".sql.gz" if lower.endswith(".sql.gz") else "." + lower.rpartition(".")[2]


def _check_story(upload, limit: uploads.Limits) -> None:
    if _suffix(upload.name) not in STORY_SUFFIXES:
        raise uploads.UploadError(
            f"{upload.name} is not a story file this archive reads ({', '.join(STORY_SUFFIXES)})"
        )
    if upload.name.lower().endswith(".zip"):
        uploads.check_zip(upload, upload.name, limit)


def _check_zip(upload, limit: uploads.Limits) -> None:
    if not upload.name.lower().endswith(".zip"):
        raise uploads.UploadError(
            f"{upload.name} is not a .zip file; zip the folder and upload that"
        )
    uploads.check_zip(upload, upload.name, limit)


def _check_dump(upload, limit: uploads.Limits) -> None:
    suffix = _suffix(upload.name)
    if suffix not in DUMP_SUFFIXES:
        raise uploads.UploadError(
            f"{upload.name} is not a database dump; upload the .sql (or .sql.gz) file that "
            "mysqldump or phpMyAdmin wrote"
        )
    if suffix == ".sql.gz":
        uploads.check_gzip(upload, upload.name)


CHECKS = {"story": _check_story, "site": _check_zip, "dump": _check_dump, "stories": _check_zip}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ImportJob.Kind.choices, widget=forms.RadioSelect, initial=ImportJob.Kind.FILES
    )
    files = MultipleFileField(
        required=False,
        label="Story files",
        help_text="Text, Markdown, HTML or EPUB files (up to 100), or a zip of them.",
    )
    site_zip = forms.FileField(
        required=False, label="Saved site (zip)", help_text="The whole folder, zipped."
    )
    dump = forms.FileField(
        required=False, label="eFiction database dump", help_text=".sql or .sql.gz"
    )
    stories_zip = forms.FileField(
        required=False,
        label="eFiction stories folder (zip)",
        help_text="The site's stories/ folder, zipped; leave empty when the dump holds the text.",
    )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind not in KIND_FIELDS:
            return data
        limit = limits()
        chosen: list[UploadedFile] = []
        for field, role, required in KIND_FIELDS[kind]:
            value = data.get(field)
            files = value if isinstance(value, list) else [value] if value else []
            if required and not files:
                self.add_error(field, MISSING[field])
            for upload in files:
                try:
                    CHECKS[role](upload, limit)
                except uploads.UploadError as exc:
                    self.add_error(field, str(exc))
                else:
                    chosen.append(UploadedFile(role, upload.name, upload, upload.size))
        total = sum(f.size for f in chosen)
        if total > limit.upload_bytes:
            raise forms.ValidationError(
                f"The upload is {total / uploads.MB:.0f} MB, more than the "
                f"{limit.upload_bytes / uploads.MB:.0f} MB allowed (FICARCHIVE_MAX_UPLOAD_MB); "
                "upload it in parts."
            )
        data["uploads"] = chosen
        return data


class PlanUploadForm(forms.Form):
    plan = forms.FileField(label="Edited plan (JSON)")

    def clean_plan(self):
        upload = self.cleaned_data["plan"]
        if upload.size > settings.MAX_IMPORT_BYTES:
            raise forms.ValidationError("That file is too large to be a plan.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The plan must be the JSON file downloaded from this page (UTF-8 text)."
            ) from None
