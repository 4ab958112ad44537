"""Account pages: thin views over `accounts.actions`; the auth views are Django's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ficarchive.archive.models import Pseud
from ficarchive.archive.views import blurb_queryset, paginate
from ficarchive.posting.actions import gifts_received

from . import actions
from .forms import (
    AssignCreatorForm,
    DeleteAccountForm,
    ProfileForm,
    PseudForm,
    SignupForm,
    ThrottledAuthenticationForm,
)


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "throttled", False):
            response.status_code = 429
        return response


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile", request.user.username)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = actions.create_account(data["username"], data["email"], data["password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}! You can post a work now.")
        next_url = request.GET.get("next", "")  # e.g. back to a claim link
        if url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(next_url)
        return redirect("accounts:profile", user.username)
    return render(request, "accounts/signup.html", {"form": form})


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
            "gift_rows": gifts_received(owner, request.user),
        },
    )


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
    if not actions.is_archivist(request.user):
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
