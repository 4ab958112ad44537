"""Account forms: sign up, log in (throttled), profile, reading preferences, pseuds, deleting
the account."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm

from . import throttle
from .preferences import NAMES as PREFERENCE_NAMES
from .preferences import ReadingPreferences

MARKUP_CHOICES = [("html", "Rich text / HTML"), ("markdown", "Markdown")]


class SignupForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.-]{3,40}$",
        max_length=40,
        help_text="3–40 letters, digits, dots, dashes or underscores. Shown publicly.",
        error_messages={
            "invalid": "Use 3–40 letters, digits, dots, dashes or underscores (no spaces)."
        },
    )
    email = forms.EmailField(help_text="Private: only for password resets and notifications.")
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="Password again", widget=forms.PasswordInput, strip=False)
    website = forms.CharField(required=False, max_length=200)  # the honeypot: must stay empty

    def __init__(self, *args, invited_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if invited_email:  # the invitation is for this address
            self.fields["email"].initial = invited_email
            self.fields["email"].disabled = True

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError("Leave this field empty.")
        return ""

    def clean_username(self) -> str:
        name = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("That user name is taken; choose another.")
        return name

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", "The two passwords differ; type the same one twice.")
        elif one:
            user = get_user_model()(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(one, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's log-in form that refuses to check passwords after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed log-ins for this name or from this address. "
        "Wait 15 minutes and try again, or reset your password.",
    }

    def clean(self):
        username = self.data.get("username", "")
        address = throttle.client_address(self.request) if self.request else ""
        if throttle.blocked(username, address):
            self.throttled = True
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            data = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.record_success(username, address)
        return data


class ProfileForm(forms.Form):
    about = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20_000
    )
    about_markup = forms.ChoiceField(choices=MARKUP_CHOICES, initial="html", label="Format")


class PreferencesForm(forms.Form):
    """The reading preferences (`accounts.preferences.ReadingPreferences`), as checkboxes."""

    hide_warnings = forms.BooleanField(
        required=False,
        label="Hide archive warnings",
        help_text="Work pages show “Warnings hidden, click to show” instead.",
    )
    hide_freeforms = forms.BooleanField(
        required=False,
        label="Hide additional tags",
        help_text="Work pages show “Additional tags hidden, click to show” instead.",
    )
    view_entire_work = forms.BooleanField(
        required=False,
        label="Show the entire work",
        help_text="Unticked, works with several chapters open at their first chapter.",
    )
    show_suggestions = forms.BooleanField(
        required=False,
        label="Show machine-suggested tags",
        help_text="On your own works (and any work, for archivists), to review them. Other "
        "readers never see them.",
    )
    adult_content_prompt = forms.BooleanField(
        required=False,
        label="Ask before showing adult content",
        help_text="Mature, Explicit and unrated works ask once per browser session.",
    )

    def preferences(self) -> ReadingPreferences:
        return ReadingPreferences(**{name: self.cleaned_data[name] for name in PREFERENCE_NAMES})


class PseudForm(forms.Form):
    name = forms.CharField(max_length=200, label="New pseud")


class DeleteAccountForm(forms.Form):
    works = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=[
            ("orphan", "Orphan my works: keep them, credited to “orphan_account”, not to me"),
            ("delete", "Delete my works (works with co-creators stay, without my name)"),
        ],
        label="What happens to your works",
    )
    password = forms.CharField(
        widget=forms.PasswordInput, strip=False, help_text="Your password, to confirm."
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class AssignCreatorForm(forms.Form):
    username = forms.CharField(max_length=150, label="User name")

    def clean_username(self):
        name = self.cleaned_data["username"]
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(f"There is no user named “{name}”.")
        return user


class InvitationRequestForm(forms.Form):
    email = forms.EmailField(help_text="Private: only your invitation is mailed to it.")
    website = forms.CharField(required=False, max_length=200)  # the honeypot: must stay empty

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError("Leave this field empty.")
        return ""


class InviteForm(forms.Form):
    next = forms.IntegerField(
        required=False, min_value=0, max_value=500, label="Invite the next",
        help_text="How many of the longest-waiting addresses in the queue.",
    )  # fmt: skip
    emails = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000,
        label="Or invite these addresses", help_text="One per line.",
    )  # fmt: skip

    def clean_emails(self) -> list[str]:
        validator = forms.EmailField()
        return [
            validator.clean(line.strip())
            for line in self.cleaned_data["emails"].splitlines()
            if line.strip()
        ]
