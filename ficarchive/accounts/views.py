"""Account pages: thin views over `accounts.actions`; the auth views are Django's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ficarchive.archive.models import Pseud
from ficarchive.archive.views import blurb_queryset, paginate
from ficarchive.community.models import Block, Mute
from ficarchive.posting.actions import gifts_received

from . import actions, throttle
from . import signup as joining
from .forms import (
    AssignCreatorForm,
    DeleteAccountForm,
    InvitationRequestForm,
    InviteForm,
    PreferencesForm,
    ProfileForm,
    PseudForm,
    SignupForm,
    ThrottledAuthenticationForm,
)
from .models import InvitationRequest
from .permissions import can_assign_creators, can_invite_users
from .preferences import preferences_of


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "throttled", False):
            response.status_code = 429
        return response


def _message(request: HttpRequest, heading: str, message: str, status: int = 200):
    context = {"heading": heading, "message": message}
    return render(request, "accounts/message.html", context, status=status)


def signup(request: HttpRequest) -> HttpResponse:
    """Sign up as `FICARCHIVE_SIGNUP` allows: open, with an invitation link, or not at all."""
    if request.user.is_authenticated:
        return redirect("accounts:profile", request.user.username)
    mode = joining.mode()
    if mode == "closed":
        return _message(request, "Sign-up is closed", "This archive is not taking new accounts.")
    token = request.GET.get("invitation") or request.POST.get("invitation", "")
    invited = None
    if mode == "invite":
        if not token:
            return invitation_queue(request)
        try:
            invited = joining.check_invitation(token)
        except ValidationError as error:
            return _message(request, "Invitation", " ".join(error.messages), status=400)
    form = SignupForm(request.POST or None, invited_email=invited.email if invited else "")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not throttle.allow("signup", throttle.client_address(request)):
            return _message(request, "Too many sign-ups", "Wait an hour and try again.", 429)
        try:
            user = joining.sign_up(
                data["username"], data["email"], data["password1"], invitation=token
            )
        except ValidationError as error:
            return _message(request, "Invitation", " ".join(error.messages), status=400)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if joining.awaiting_confirmation(user):
            messages.success(
                request,
                f"Welcome, {user.username}! We mailed you a link: open it to confirm your "
                "address, and then you can post and comment.",
            )
        else:
            messages.success(request, f"Welcome, {user.username}! You can post a work now.")
        next_url = request.GET.get("next", "")  # e.g. back to a claim link
        if url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(next_url)
        return redirect("accounts:profile", user.username)
    status = 400 if form.errors else 200
    return render(request, "accounts/signup.html", {"form": form, "token": token}, status=status)


def invitation_queue(request: HttpRequest) -> HttpResponse:
    """`invite` mode's sign-up page: leave an address to be invited."""
    form = InvitationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.allow("invitation-request", throttle.client_address(request)):
            return _message(request, "Too many requests", "Wait an hour and try again.", 429)
        joining.request_invitation(form.cleaned_data["email"])
        return _message(
            request, "You are in the queue", "An archivist will mail you an invitation link."
        )
    status = 400 if form.errors else 200
    return render(request, "accounts/invitation_queue.html", {"form": form}, status=status)


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        joining.confirm_email(token)
    except ValidationError as error:
        return _message(request, "Confirm your address", " ".join(error.messages), status=400)
    return _message(request, "Address confirmed", "Thank you: you can post and comment now.")


@require_POST
@login_required
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    if joining.awaiting_confirmation(request.user) and throttle.allow(
        "invitation-request", f"user:{request.user.pk}"
    ):
        joining.mail_confirmation(request.user)
        messages.success(request, "We mailed you a new confirmation link.")
    return redirect("accounts:profile", request.user.username)


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """Archivists send invitations: the next N of the queue, or to addresses they type."""
    if not can_invite_users(request.user):
        return _message(request, "Not allowed", "Only archivists send invitations.", 403)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = joining.invite_next(request.user, form.cleaned_data["next"] or 0)
        sent += joining.invite(request.user, form.cleaned_data["emails"])
        messages.success(request, f"{len(sent)} invitation{pluralize(len(sent))} sent.")
        return redirect("accounts:invitations")
    waiting = InvitationRequest.objects.filter(invited_at__isnull=True)
    context = {"form": form, "waiting": waiting.count(), "mode": joining.mode()}
    return render(request, "accounts/invitations.html", context, status=400 if form.errors else 200)


def profile(request: HttpRequest, username: str) -> HttpResponse:
    """A user's public page: their pseuds, about text and works. Never their email."""
    owner = get_object_or_404(get_user_model(), username=username, is_active=True)
    pseuds = list(actions.user_pseuds(owner))
    page = paginate(
        request, blurb_queryset(viewer=request.user).filter(pseuds__in=pseuds).distinct()
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "owner": owner,
            "profile": actions.profile_of(owner),
            "pseuds": pseuds,
            "page": page,
            "is_owner": request.user == owner,
            "unconfirmed": request.user == owner and joining.awaiting_confirmation(owner),
            **_relation(request.user, owner),
            "gift_rows": gifts_received(owner, request.user),
        },
    )


def _relation(viewer, owner) -> dict:
    """Whether the viewer blocked or muted the profile's owner, for its buttons."""
    if not viewer.is_authenticated or viewer == owner:
        return {}
    return {
        "can_block": True,
        "blocked": Block.objects.filter(blocker=viewer, blocked=owner).exists(),
        "muted": Mute.objects.filter(muter=viewer, muted=owner).exists(),
    }


@login_required
def edit_profile(request: HttpRequest) -> HttpResponse:
    profile = actions.profile_of(request.user)
    form = ProfileForm(request.POST or None, initial={"about": profile.about_html})
    pseud_form = PseudForm()
    if request.method == "POST" and form.is_valid():
        actions.update_profile(
            request.user, form.cleaned_data["about"], form.cleaned_data["about_markup"]
        )
        messages.success(request, "Profile saved.")
        return redirect("accounts:profile", request.user.username)
    return render(
        request,
        "accounts/edit_profile.html",
        {"form": form, "pseud_form": pseud_form, "pseuds": actions.user_pseuds(request.user)},
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """How work pages show for this reader; the form is every preference at once."""
    current = preferences_of(request.user)
    # Every box unticked posts nothing but the token: still a choice (not `POST or None`).
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, initial=vars(current))
    if request.method == "POST" and form.is_valid():  # checkboxes: any input is a choice
        actions.update_preferences(request.user, form.preferences())
        messages.success(request, "Preferences saved.")
        return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})


@login_required
@require_POST
def add_pseud(request: HttpRequest) -> HttpResponse:
    form = PseudForm(request.POST)
    if form.is_valid():
        try:
            pseud = actions.add_pseud(request.user, form.cleaned_data["name"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"You can now post as “{pseud.name}”.")
    else:
        messages.error(request, "Give the new pseud a name (up to 200 characters).")
    return redirect("accounts:edit_profile")


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        result = actions.delete_account(user, form.cleaned_data["works"])
        messages.success(
            request,
            f"Your account is deleted; {result['deleted']} work(s) deleted, "
            f"{result['orphaned']} orphaned.",
        )
        return redirect("archive:home")
    return render(request, "accounts/delete.html", {"form": form})


@require_POST
def assign_creator(request: HttpRequest, slug: str) -> HttpResponse:
    """An archivist links an imported creator (via one of their pseuds) to a user account."""
    pseud = get_object_or_404(Pseud.objects.select_related("creator"), slug=slug)
    if not can_assign_creators(request.user):
        raise PermissionDenied("Only archivists can assign creators to users.")
    form = AssignCreatorForm(request.POST)
    if form.is_valid():
        try:
            actions.assign_creator(request.user, pseud.creator, form.cleaned_data["username"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"“{pseud.name}” now belongs to {form.cleaned_data['username']}."
            )
    else:
        messages.error(request, " ".join(form.errors.get("username", ["Give a user name."])))
    return redirect(pseud)
