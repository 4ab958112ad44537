from __future__ import annotations

from django import forms

from .actions import MAX_DETAILS_CHARS
from .models import Report


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=Report.Reason.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=MAX_DETAILS_CHARS,
        label="What is wrong", help_text="Where to look, and anything the archivists should know.",
    )  # fmt: skip
    email = forms.EmailField(
        required=False, label="Your email address",
        help_text="Only for telling you the outcome; nobody else sees it.",
    )  # fmt: skip


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(Report.Status.RESOLVED, "Resolved"), (Report.Status.DISMISSED, "Dismissed")]
    )
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_DETAILS_CHARS,
        label="Outcome", help_text="Mailed to the reporter.",
    )  # fmt: skip


class NoteForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_DETAILS_CHARS, label="Note",
        help_text="For the archivists only.",
    )  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500)
