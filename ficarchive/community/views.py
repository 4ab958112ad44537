"""Response pages and buttons: thin views over `community.actions`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ficarchive.accounts import throttle
from ficarchive.accounts.throttle import client_address
from ficarchive.archive.models import Chapter, Pseud, Work
from ficarchive.archive.views import _error_page as _error
from ficarchive.archive.views import blurb_queryset, paginate

from . import actions, blocking
from .forms import BookmarkForm, CommentForm, EditCommentForm
from .models import Block, Bookmark, Comment, Mute, Reading, Subscription


@require_POST
def kudos(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_object_or_404(Work.objects.readable_by(request.user), pk=work_id)
    if not request.session.session_key:
        request.session.save()
    try:
        given = actions.give_kudos(
            work,
            user=request.user,
            session_key=request.session.session_key or "",
            address=client_address(request),
        )
    except PermissionDenied as exc:
        messages.info(request, str(exc))
        return redirect(f"{work.get_absolute_url()}#kudos")
    if given:
        messages.success(request, "Thank you for leaving kudos!")
    else:
        messages.info(request, "You have already left kudos here. :)")
    return redirect(f"{work.get_absolute_url()}#kudos")


@require_POST
def add_comment(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_object_or_404(Work.objects.readable_by(request.user), pk=work_id)
    back = work.get_absolute_url()
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _error(request, 400, "Write a comment (up to 10,000 characters).", back)
    data = form.cleaned_data
    if data["website"]:  # the honeypot: a field people never see, and bots fill in
        return _error(request, 400, "The comment could not be posted.", back)
    who = f"user:{request.user.pk}" if request.user.is_authenticated else client_address(request)
    if not throttle.allow("comment", who):
        return _error(request, 429, "You are commenting very fast; wait a few minutes.", back)
    chapter = get_object_or_404(Chapter.objects.visible(), pk=data["chapter"], work=work)
    parent = None
    if data.get("parent"):
        parent = get_object_or_404(Comment, pk=data["parent"], work=work)
    try:
        comment = actions.add_comment(
            chapter,
            data["text"],
            user=request.user,
            guest_name=data.get("guest_name", ""),
            markup=data["markup"],
            parent=parent,
            address=client_address(request),
        )
    except PermissionDenied as exc:
        if not request.user.is_authenticated and not settings.GUEST_COMMENTS:
            return redirect_to_login(back)
        return _error(request, 403, str(exc), back)
    except ValidationError as exc:
        return _error(request, 400, " ".join(exc.messages), back)
    if comment.held_reason:
        messages.info(request, f"Your comment waits for a moderator: {comment.held_reason}.")
    else:
        messages.success(request, "Comment posted.")
    return redirect(f"{chapter.get_absolute_url()}#comment-{comment.pk}")


@require_POST
def approve_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A moderator lets a held comment appear."""
    comment = get_object_or_404(Comment.objects.select_related("work", "chapter"), pk=comment_id)
    back = f"{comment.chapter.get_absolute_url()}#comment-{comment.pk}"
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        actions.approve_comment(request.user, comment)
    except PermissionDenied as exc:
        return _error(request, 403, str(exc), back)
    messages.success(request, "Comment approved.")
    return redirect(back)


def edit_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("work", "chapter"), pk=comment_id)
    back = f"{comment.chapter.get_absolute_url()}#comment-{comment.pk}"
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if comment.user_id != request.user.pk:
        return _error(request, 403, "You can only edit your own comments.", back)
    form = EditCommentForm(request.POST or None, initial={"text": comment.body_html})
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_comment(
                request.user, comment, form.cleaned_data["text"], form.cleaned_data["markup"]
            )
        except ValidationError as exc:
            form.add_error("text", " ".join(exc.messages))
        else:
            messages.success(request, "Comment updated.")
            return redirect(back)
    return render(request, "community/edit_comment.html", {"form": form, "comment": comment})


@require_POST
def delete_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("work", "chapter"), pk=comment_id)
    back = comment.chapter.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        actions.delete_comment(request.user, comment)
    except PermissionDenied as exc:
        return _error(request, 403, str(exc), back)
    messages.success(request, "Comment deleted.")
    return redirect(f"{back}#comments")


@login_required
def bookmark(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_object_or_404(Work, pk=work_id)
    existing = Bookmark.objects.filter(user=request.user, work=work).first()
    initial = {}
    if existing:
        initial = {
            "note": existing.note_html,
            "tags": ", ".join(existing.tags),
            "private": existing.private,
        }
    form = BookmarkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_bookmark(
                request.user,
                work,
                note=data["note"],
                markup=data["markup"],
                tags=data["tags"],
                private=data["private"],
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, "Bookmarked.")
            return redirect(work)
    return render(
        request, "community/bookmark_form.html", {"form": form, "work": work, "existing": existing}
    )


@require_POST
def delete_bookmark(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    item = get_object_or_404(Bookmark, pk=bookmark_id)
    if not request.user.is_authenticated:
        return redirect_to_login(item.work.get_absolute_url())
    try:
        actions.delete_bookmark(request.user, item)
    except PermissionDenied as exc:
        return _error(request, 403, str(exc), item.work.get_absolute_url())
    messages.success(request, "Bookmark deleted.")
    return redirect("community:user_bookmarks", request.user.username)


def user_bookmarks(request: HttpRequest, username: str) -> HttpResponse:
    owner = get_object_or_404(get_user_model(), username=username, is_active=True)
    bookmarks = actions.visible_bookmarks(owner, request.user)
    page = paginate(request, bookmarks)
    works = blurb_queryset(viewer=request.user).in_bulk([b.work_id for b in page.object_list])
    rows = [(b, works.get(b.work_id)) for b in page.object_list]
    return render(
        request,
        "community/bookmarks.html",
        {"owner": owner, "page": page, "rows": rows, "is_owner": request.user == owner},
    )


@require_POST
def subscribe_work(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_object_or_404(Work, pk=work_id)
    if not request.user.is_authenticated:
        return redirect_to_login(work.get_absolute_url())
    if request.POST.get("action") == "unsubscribe":
        actions.unsubscribe(request.user, work=work)
        messages.success(request, "Unsubscribed.")
    else:
        actions.subscribe(request.user, work=work)
        messages.success(request, "Subscribed: new chapters will show in your inbox.")
    return redirect(work)


@require_POST
def subscribe_creator(request: HttpRequest, slug: str) -> HttpResponse:
    pseud = get_object_or_404(Pseud.objects.select_related("creator"), slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(pseud.get_absolute_url())
    if request.POST.get("action") == "unsubscribe":
        actions.unsubscribe(request.user, creator=pseud.creator)
        messages.success(request, f"Unsubscribed from {pseud.name}.")
    else:
        actions.subscribe(request.user, creator=pseud.creator)
        messages.success(
            request,
            f"Subscribed to {pseud.name}: their new works and chapters will show in your inbox.",
        )
    return redirect(pseud)


@require_POST
def later(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_object_or_404(Work, pk=work_id)
    if not request.user.is_authenticated:
        return redirect_to_login(work.get_absolute_url())
    keep = request.POST.get("action") != "remove"
    actions.mark_for_later(request.user, work, keep)
    messages.success(request, "Marked for later." if keep else "No longer marked for later.")
    return redirect(work)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    items, seen = actions.open_inbox(request.user)
    rows = [(item, seen is None or item.created_at > seen) for item in items]
    subscriptions = Subscription.objects.filter(user=request.user).select_related("work")
    subscriptions = subscriptions.prefetch_related("creator__pseuds")
    from ficarchive.posting.actions import invitations_for

    return render(
        request,
        "community/inbox.html",
        {
            "rows": rows,
            "subscriptions": subscriptions,
            "invitations": invitations_for(request.user),
        },
    )


@login_required
def history(request: HttpRequest) -> HttpResponse:
    only_later = request.GET.get("show") == "later"
    readings = Reading.objects.filter(user=request.user).select_related("work")
    if only_later:
        readings = readings.filter(later=True)
    else:
        readings = readings.filter(last_read_at__isnull=False)
    page = paginate(request, readings)
    works = blurb_queryset(viewer=request.user).in_bulk([r.work_id for r in page.object_list])
    rows = [(r, works.get(r.work_id)) for r in page.object_list]
    return render(
        request, "community/history.html", {"page": page, "rows": rows, "only_later": only_later}
    )


_BLOCKING = {
    "block": (
        blocking.block,
        "You blocked {name}: they cannot comment on or leave kudos on your works.",
    ),
    "unblock": (blocking.unblock, "You unblocked {name}."),
    "mute": (blocking.mute, "You muted {name}: you will not see their works and comments."),
    "unmute": (blocking.unmute, "You unmuted {name}."),
}


@require_POST
@login_required
def block_or_mute(request: HttpRequest, username: str) -> HttpResponse:
    """Block, unblock, mute or unmute a user (the buttons on their profile)."""
    other = get_object_or_404(get_user_model(), username=username, is_active=True)
    back = reverse("accounts:profile", args=[other.get_username()])
    change = _BLOCKING.get(request.POST.get("action", ""))
    if change is None:
        return _error(request, 400, "Choose block, unblock, mute or unmute.", back)
    try:
        change[0](request.user, other)
    except ValidationError as exc:
        return _error(request, 400, " ".join(exc.messages), back)
    messages.success(request, change[1].format(name=other.get_username()))
    return redirect("community:blocked" if request.POST.get("next") == "list" else back)


@login_required
def blocked(request: HttpRequest) -> HttpResponse:
    """The users this reader blocked and muted, to undo."""
    blocks = Block.objects.filter(blocker=request.user).select_related("blocked")
    mutes = Mute.objects.filter(muter=request.user).select_related("muted")
    return render(request, "community/blocked.html", {"blocks": blocks, "mutes": mutes})
