"""Account changes: sign up, pseuds, profile, reading preferences, claiming imported creators,
deleting an account.

Each action runs in one transaction and checks who may do it; views only call these.
"""

from __future__ import annotations

from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q

from ficarchive.archive.models import Creator, Creatorship, Pseud, Work, unique_slug
from ficarchive.archive.sanitize import render_posted
from ficarchive.community.actions import recount_works
from ficarchive.moderation.audit import record

from .models import Profile
from .permissions import can_assign_creators
from .preferences import NAMES as PREFERENCE_NAMES
from .preferences import ReadingPreferences

ORPHAN_PSEUD = "orphan_account"  # AO3's name for the pseud orphaned works are moved to


def user_pseuds(user):
    """Every pseud the user writes under: their own and those of imported creators they claim."""
    if not user.is_authenticated:
        return Pseud.objects.none()
    return Pseud.objects.filter(creator__user=user).order_by("id")


def create_account(username: str, email: str, password: str):
    """A new user with a profile and a first pseud named after them."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=username, email=email, password=password
        )
        Profile.objects.create(user=user)
        creator = Creator.objects.create(user=user)
        Pseud.objects.create(creator=creator, name=username, slug=unique_slug(Pseud, username))
    return user


def profile_of(user) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


POSTING_MARKUPS = ("html", "markdown")


def posting_markup(user) -> str:
    """The text format the posting forms start with: the one the user last posted in."""
    if not user.is_authenticated:
        return "html"
    chosen = Profile.objects.filter(user=user).values_list("posting_markup", flat=True).first()
    return chosen if chosen in POSTING_MARKUPS else "html"


def remember_posting_markup(user, markup: str) -> None:
    """Keep the format of a work or chapter the user just posted, for their next one."""
    if markup not in POSTING_MARKUPS or not user.is_authenticated:
        return
    with transaction.atomic():
        profile = profile_of(user)
        if profile.posting_markup != markup:
            profile.posting_markup = markup
            profile.save(update_fields=["posting_markup"])


def default_pseud(user) -> Pseud:
    """The user's first pseud; one named after them is made when they have none yet.

    Sign-up makes it, but users made otherwise (`createsuperuser`, the admin) start without
    one: they can still be invited as co-creators, given gifts, and post.
    """
    pseud = user_pseuds(user).first()
    if pseud is not None:
        return pseud
    with transaction.atomic():
        creator = Creator.objects.filter(user=user).order_by("id").first()
        if creator is None:
            creator = Creator.objects.create(user=user)
        name = user.get_username()
        return Pseud.objects.create(creator=creator, name=name, slug=unique_slug(Pseud, name))


def update_profile(user, about: str, markup: str = "html") -> Profile:
    with transaction.atomic():
        profile = profile_of(user)
        profile.about_html = render_posted(about, markup)
        profile.save(update_fields=["about_html"])
    return profile


def update_preferences(user, preferences: ReadingPreferences) -> Profile:
    """Store the reader's choices for work pages (the preferences page's form)."""
    if not user.is_authenticated:
        raise PermissionDenied("Log in to keep preferences; visitors read with the defaults.")
    with transaction.atomic():
        profile = profile_of(user)
        for name in PREFERENCE_NAMES:
            setattr(profile, name, getattr(preferences, name))
        profile.save(update_fields=list(PREFERENCE_NAMES))
    return profile


def add_pseud(user, name: str) -> Pseud:
    """Another name the user writes under (names are unique per user, not archive-wide)."""
    name = " ".join(name.split())[:200]
    if not name:
        raise ValidationError("A pseud needs a name.")
    if user_pseuds(user).filter(name__iexact=name).exists():
        raise ValidationError(f"You already have a pseud named “{name}”.")
    with transaction.atomic():
        creator = Creator.objects.filter(user=user).order_by("id").first()
        if creator is None:
            creator = Creator.objects.create(user=user)
        return Pseud.objects.create(creator=creator, name=name, slug=unique_slug(Pseud, name))


def assign_creator(archivist, creator: Creator, user) -> Creator:
    """An archivist gives an imported creator (all their pseuds and works) to a user."""
    if not can_assign_creators(archivist):
        raise PermissionDenied("Only archivists can assign creators to users.")
    if creator.user_id and creator.user_id != user.pk:
        raise ValidationError(
            f"This creator already belongs to {creator.user}; unassign them in the admin first."
        )
    with transaction.atomic():
        creator.user = user
        creator.save(update_fields=["user"])
        record(archivist, f"assigned to {user.get_username()}", creator)
    return creator


def orphan_pseud() -> Pseud:
    pseud = Pseud.objects.filter(slug=ORPHAN_PSEUD).first()
    if pseud is None:
        pseud = Pseud.objects.create(
            creator=Creator.objects.create(), name=ORPHAN_PSEUD, slug=ORPHAN_PSEUD
        )
    return pseud


def delete_account(user, works: Literal["orphan", "delete"]) -> dict[str, int]:
    """Delete the user. Their works are orphaned (kept, credited to `orphan_account`) or deleted.

    A work with other creators is never deleted: the user's name is only taken off it. Their
    comments stay in their threads without a name; kudos, bookmarks, subscriptions and history
    go with the account, and the counts of the works they touched are recounted.
    """
    if works not in ("orphan", "delete"):
        raise ValueError("choose orphan or delete for the account's works")
    with transaction.atomic():
        mine = user_pseuds(user)
        work_ids = set(Creatorship.objects.filter(pseud__in=mine).values_list("work_id", flat=True))
        shared = set(
            Creatorship.objects.filter(work_id__in=work_ids)
            .exclude(pseud__in=mine)
            .values_list("work_id", flat=True)
        )
        sole = work_ids - shared
        touched = set()
        if hasattr(user, "kudos"):
            touched |= set(user.kudos.values_list("work_id", flat=True))
            touched |= set(user.bookmarks.values_list("work_id", flat=True))
        deleted = 0
        if works == "delete":
            deleted, _ = Work.all_objects.filter(pk__in=sole).delete()
            deleted = len(sole)
        else:
            orphan = orphan_pseud()
            for creatorship in Creatorship.objects.filter(work_id__in=sole, pseud__in=mine):
                if Creatorship.objects.filter(work_id=creatorship.work_id, pseud=orphan).exists():
                    creatorship.delete()
                else:
                    creatorship.pseud = orphan
                    creatorship.save(update_fields=["pseud"])
        Creatorship.objects.filter(work_id__in=shared, pseud__in=mine).delete()
        for creator in Creator.objects.filter(user=user):
            creator.delete()
        user.delete()
        recount_works(touched - (sole if works == "delete" else set()))
    return {"works": len(work_ids), "deleted": deleted, "orphaned": 0 if deleted else len(sole)}


def pseud_work_counts(user) -> list[Pseud]:
    return list(
        user_pseuds(user).annotate(
            work_count=Count("creatorships", filter=Q(creatorships__isnull=False))
        )
    )
