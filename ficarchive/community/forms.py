from __future__ import annotations

from django import forms

from ficarchive.accounts.forms import MARKUP_CHOICES


class CommentForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label="Comment", max_length=10_000
    )
    markup = forms.ChoiceField(choices=MARKUP_CHOICES, initial="html", label="Format")
    guest_name = forms.CharField(max_length=100, required=False, label="Your name")
    chapter = forms.IntegerField(widget=forms.HiddenInput)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(required=False, max_length=200)  # the honeypot: must stay empty


class EditCommentForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label="Comment", max_length=10_000
    )
    markup = forms.ChoiceField(choices=MARKUP_CHOICES, initial="html", label="Format")


class BookmarkForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5_000, label="Notes"
    )
    markup = forms.ChoiceField(choices=MARKUP_CHOICES, initial="html", label="Format")
    tags = forms.CharField(
        required=False, max_length=3000, label="Your tags", help_text="Separated by commas."
    )
    private = forms.BooleanField(required=False, label="Private bookmark (only you see it)")
