"""The posting form (after the Archive of Our Own's) and the chapter form."""

from __future__ import annotations

import pycountry
from django import forms
from django.contrib.auth import get_user_model

from ficarchive.accounts.actions import posting_markup, user_pseuds
from ficarchive.accounts.forms import MARKUP_CHOICES
from ficarchive.archive.models import Pseud, Series
from ficarchive.text.model import TagType

from .actions import (
    EARLIEST_PUBLISHED,
    TAG_FIELDS,
    ChapterData,
    WorkData,
    check_published,
    find_recipient,
    pseuds_named,
)

RATINGS = [
    "Not Rated",
    "General Audiences",
    "Teen And Up Audiences",
    "Mature",
    "Explicit",
]
WARNINGS = [
    "Choose Not To Use Archive Warnings",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "No Archive Warnings Apply",
    "Rape/Non-Con",
    "Underage Sex",
]
CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]
MAX_TAG_CHARS = 100
MAX_TAGS = 75  # all types together, as on AO3
MAX_GIFTS = 20
MAX_GIFT_NAME_CHARS = 100


def _languages() -> list[tuple[str, str]]:
    names = sorted(
        ((lang.alpha_2, lang.name) for lang in pycountry.languages if hasattr(lang, "alpha_2")),
        key=lambda pair: pair[1],
    )
    return names


class TagListField(forms.CharField):
    """Comma-separated tag names: spaces tidied, duplicates dropped, each at most 100 chars."""

    def __init__(self, *args, tag_type: str = "", **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 5000)
        kwargs.setdefault("help_text", "Separate tags with commas.")
        kwargs.setdefault("error_messages", {"required": "Give at least one."})
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(
            {"data-autocomplete": tag_type, "autocomplete": "off", "class": "tag-input"}
        )

    def clean(self, value):
        value = super().clean(value)
        names: list[str] = []
        for part in (value or "").split(","):
            name = " ".join(part.split())
            if not name:
                continue
            if len(name) > MAX_TAG_CHARS:
                raise forms.ValidationError(
                    f"“{name[:30]}…” is longer than {MAX_TAG_CHARS} characters; shorten it."
                )
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        if self.required and not names:
            raise forms.ValidationError("Give at least one.")
        return names


class WorkForm(forms.Form):
    """The work's details and tags; `NewWorkForm` adds the first chapter."""

    rating = forms.ChoiceField(choices=[(r, r) for r in RATINGS])
    warnings = forms.MultipleChoiceField(
        choices=[(w, w) for w in WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        label="Archive warnings",
        error_messages={"required": "Choose at least one archive warning."},
    )
    categories = forms.MultipleChoiceField(
        choices=[(c, c) for c in CATEGORIES], widget=forms.CheckboxSelectMultiple, required=False
    )
    fandoms = TagListField(required=True, tag_type=TagType.FANDOM)
    relationships = TagListField(tag_type=TagType.RELATIONSHIP)
    characters = TagListField(tag_type=TagType.CHARACTER)
    freeforms = TagListField(tag_type=TagType.FREEFORM, label="Additional tags")
    title = forms.CharField(max_length=255)
    pseuds = forms.ModelMultipleChoiceField(
        queryset=Pseud.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Creator/Pseud(s)",
        error_messages={"required": "Choose at least one of your pseuds."},
    )
    co_creators = forms.CharField(
        required=False,
        max_length=1000,
        label="Co-creators",
        help_text="Pseud names of other users who wrote this with you, separated by commas. "
        "Each is invited and credited once they accept; co-creators already credited stay.",
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
        label="Beginning notes",
    )
    end_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
        label="End notes",
    )
    language = forms.ChoiceField(choices=_languages, initial="en")
    series = forms.ModelChoiceField(
        queryset=Series.objects.none(), required=False, label="Add to your series"
    )
    new_series = forms.CharField(
        max_length=255, required=False, label="…or start a new series titled"
    )
    complete = forms.BooleanField(
        required=False,
        label="This work is complete",
        help_text="Leave it checked when every chapter is posted (a one-shot reads 1/1). "
        "Uncheck it for a work in progress: readers see 1/? or, with chapters planned, 1/5.",
    )
    expected_chapters = forms.IntegerField(
        min_value=1, max_value=10_000, required=False, label="Chapters planned (if known)"
    )
    published = forms.DateField(
        required=False,
        label="Published date",
        widget=forms.DateInput(attrs={"type": "date", "min": EARLIEST_PUBLISHED.isoformat()}),
        help_text="To backdate a work first posted elsewhere, give the date it was first "
        "published (YYYY-MM-DD, today or earlier). Empty: today.",
        error_messages={"invalid": "Give the date as YYYY-MM-DD, e.g. 2014-06-30."},
    )
    restricted = forms.BooleanField(
        required=False,
        label="Only show this work to logged-in users",
        help_text="Visitors who are not logged in will not find it anywhere (lists, tags, "
        "search, feeds) and are asked to log in to read it.",
    )
    gifts = forms.CharField(
        required=False,
        max_length=1000,
        label="Gift this work to",
        help_text="Usernames or pseuds of users here (they are told in their inbox and may "
        "refuse the gift), or any other names, separated by commas.",
    )
    markup = forms.ChoiceField(
        choices=MARKUP_CHOICES, initial="html", label="Text format", help_text=(
            "For the summary, notes and chapter text. Rich text takes HTML (links, emphasis, "
            "lists, tables); Markdown takes Markdown: # for a heading, *** for a scene break. "
            "Scripts, styles, frames and forms are removed either way. Your last choice is kept."
        ),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["pseuds"].queryset = user_pseuds(user)
        self.fields["series"].queryset = Series.objects.filter(owner=user)
        if not self.is_bound and "pseuds" not in self.initial:
            first = user_pseuds(user).first()
            self.initial["pseuds"] = [first.pk] if first else []

    def clean_co_creators(self) -> list:
        """Each name is another user's pseud (its address name or its name) or their username.

        A user found by username is invited under their first pseud, made for them if they have
        none yet (an account made by an archivist, say): having posted is not needed.
        """
        found = []
        for part in self.cleaned_data["co_creators"].split(","):
            name = " ".join(part.split())
            if not name:
                continue
            candidates = [p for p in pseuds_named(name) if p.creator.user_id != self.user.pk]
            if not candidates:
                user = (
                    get_user_model()
                    .objects.filter(username__iexact=name, is_active=True)
                    .exclude(pk=self.user.pk)
                    .first()
                )
                if user is not None:
                    found.append(user)
                    continue
                raise forms.ValidationError(
                    f"No other user writes as “{name}”. Co-creators need an account here: "
                    "give their username or one of their pseuds."
                )
            if len(candidates) > 1:
                raise forms.ValidationError(
                    f"Several users write as “{name}”; give that pseud's address name "
                    f"({', '.join(p.slug for p in candidates[:5])})."
                )
            found.append(candidates[0])
        return found

    def clean_published(self):
        published = self.cleaned_data.get("published")
        check_published(published)  # the action's own rule, with its message
        return published

    def clean_gifts(self) -> list:
        """Each name: a user here (their username or pseud) or a free-text recipient."""
        recipients: list = []
        for part in self.cleaned_data["gifts"].split(","):
            name = " ".join(part.split())
            if not name:
                continue
            if len(name) > MAX_GIFT_NAME_CHARS:
                raise forms.ValidationError(
                    f"“{name[:30]}…” is longer than {MAX_GIFT_NAME_CHARS} characters; shorten it."
                )
            user = find_recipient(name)
            if user is not None and user.pk == self.user.pk:
                raise forms.ValidationError("A work cannot be a gift to yourself.")
            recipient = user if user is not None else name
            if recipient not in recipients:
                recipients.append(recipient)
        if len(recipients) > MAX_GIFTS:
            raise forms.ValidationError(f"A work can be a gift to at most {MAX_GIFTS} people.")
        return recipients

    def clean(self):
        data = super().clean()
        total = sum(len(data.get(name) or []) for _, name in TAG_FIELDS)
        if total > MAX_TAGS:
            raise forms.ValidationError(f"A work takes at most {MAX_TAGS} tags; this has {total}.")
        if data.get("series") and (data.get("new_series") or "").strip():
            self.add_error("new_series", "Choose an existing series or a new one, not both.")
        return data

    def work_data(self) -> WorkData:
        data = self.cleaned_data
        return WorkData(
            title=data["title"],
            pseuds=list(data["pseuds"]),
            co_creators=data["co_creators"],
            rating=data["rating"],
            tags={tag_type: list(data.get(name) or []) for tag_type, name in TAG_FIELDS},
            summary=data["summary"],
            notes=data["notes"],
            end_notes=data["end_notes"],
            markup=data["markup"],
            language=data["language"],
            complete=data["complete"],
            expected_chapters=data["expected_chapters"],
            series=data["series"],
            new_series=data["new_series"],
            published=data.get("published"),
            restricted=data.get("restricted", False),
            gifts=data.get("gifts") or [],
        )


class ChapterForm(forms.Form):
    field_order = ["markup"]  # the format sits above the text it applies to

    chapter_title = forms.CharField(max_length=255, required=False, label="Chapter title")
    chapter_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        label="Chapter summary",
    )
    chapter_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
        label="Chapter notes",
    )
    chapter_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18}), max_length=500_000, label="Chapter text",
        error_messages={"required": "The chapter needs text."},
    )  # fmt: skip
    chapter_end_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
        label="Chapter end notes",
    )
    markup = forms.ChoiceField(choices=MARKUP_CHOICES, initial="html", label="Text format")

    def chapter_data(self) -> ChapterData:
        data = self.cleaned_data
        return ChapterData(
            text=data["chapter_text"],
            title=data["chapter_title"],
            summary=data["chapter_summary"],
            notes=data["chapter_notes"],
            end_notes=data["chapter_end_notes"],
            markup=data["markup"],
        )


class NewWorkForm(WorkForm, ChapterForm):
    """The whole posting form: the work and its first chapter.

    A new work is posted with all its chapters so far, one: it starts complete (a one-shot is
    1/1, not 1/?), in the text format the writer last posted in.
    """

    def __init__(self, *args, user, **kwargs):
        fresh = not kwargs.get("initial")  # not a draft, which keeps its own choices
        super().__init__(*args, user=user, **kwargs)
        if fresh and not self.is_bound:
            self.initial.update(complete=True, markup=posting_markup(user))

    def clean(self):
        data = super().clean()
        planned = data.get("expected_chapters")
        if data.get("complete") and planned and planned > 1:
            self.add_error(
                "complete",
                f"A complete work has all its chapters, and this one has 1 of the {planned} "
                "planned: uncheck “This work is complete” for a work in progress, or leave "
                "“Chapters planned” empty.",
            )
        return data


class ReorderForm(forms.Form):
    order = forms.CharField(max_length=100_000, widget=forms.HiddenInput, required=False)


class SeriesForm(forms.Form):
    title = forms.CharField(max_length=255)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    markup = forms.ChoiceField(choices=MARKUP_CHOICES, initial="html", label="Text format")
    complete = forms.BooleanField(required=False, label="The series is complete")
