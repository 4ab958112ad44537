"""Tag wrangling, the one write path: canonical tags, synonyms, renames, merges, metatags and
the fandoms characters and relationships belong to.

Every action checks `can_wrangle`, runs in one transaction, queues the works whose search
documents change (`search.indexing.enqueue`: indexed after the commit, or by the next search)
and is written to the audit log through `record`. Metatags are resolved when searching
(`search.tags`), so linking them re-indexes nothing. A request that cannot be done raises
`WranglingError` with a message saying how to fix it; nothing is changed then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from ficarchive.accounts.permissions import can_wrangle
from ficarchive.archive.models import Tag, WorkTag, unique_slug
from ficarchive.moderation.audit import record
from ficarchive.search.indexing import enqueue
from ficarchive.search.tags import subtag_ids

FANDOM_MEMBER_TYPES = (Tag.Type.CHARACTER, Tag.Type.RELATIONSHIP)
MAX_NAME = Tag._meta.get_field("name").max_length


class WranglingError(ValueError):
    """A wrangling change that cannot be made; the message says why and what to do instead."""


@dataclass(frozen=True)
class Outcome:
    message: str  # what was done, for the page
    reindexed: int = 0  # works queued for re-indexing

    @property
    def summary(self) -> str:
        if not self.reindexed:
            return self.message
        works = "work" if self.reindexed == 1 else "works"
        return f"{self.message} {self.reindexed} {works} will be re-indexed."


def _allow(by) -> None:
    if not can_wrangle(by):
        raise PermissionDenied("Only archivists can wrangle tags.")


def _reindex(tag_ids: Iterable[int]) -> int:
    """Queue the works carrying these tags or their synonyms; returns how many."""
    ids = set(tag_ids)
    works = list(
        WorkTag.objects.filter(Q(tag_id__in=ids) | Q(tag__merger_id__in=ids))
        .values_list("work_id", flat=True)
        .distinct()
    )
    enqueue(works)
    return len(works)


def _same_type(tag: Tag, other: Tag) -> None:
    if tag.type != other.type:
        raise WranglingError(
            f"“{other.name}” is a {other.get_type_display().lower()} tag and “{tag.name}” a "
            f"{tag.get_type_display().lower()} tag: only tags of one type can be joined."
        )


def _canonical(tag: Tag, role: str) -> None:
    if not tag.canonical:
        raise WranglingError(f"“{tag.name}” is not canonical; make it canonical first to use it as {role}.")  # fmt: skip


def make_canonical(tag: Tag, *, by) -> Outcome:
    """Make the tag canonical: its own entry in filters and lists (no longer anyone's synonym)."""
    _allow(by)
    if tag.canonical:
        raise WranglingError(f"“{tag.name}” is canonical already.")
    with transaction.atomic():
        was_synonym = tag.merger_id is not None
        Tag.objects.filter(pk=tag.pk).update(canonical=True, merger=None)
        tag.canonical, tag.merger = True, None
        # A synonym's works were indexed under its canonical tag; an unwrangled tag's under itself.
        reindexed = _reindex([tag.pk]) if was_synonym else 0
        record(by, "make_canonical", tag)
    return Outcome(f"“{tag.name}” is canonical.", reindexed)


def make_synonym(tag: Tag, canonical: Tag, *, by) -> Outcome:
    """Make the tag a synonym of a canonical tag: its works filter, count and facet as that tag.

    A canonical tag's own synonyms follow it to the new canonical tag, and its fandoms go with
    them. A tag with metatags or subtags must be unlinked first: which of its links the new
    canonical tag should take is the archivist's choice.
    """
    _allow(by)
    _same_type(tag, canonical)
    if canonical.pk == tag.pk:
        raise WranglingError(f"“{tag.name}” cannot be a synonym of itself.")
    if canonical.merger_id == tag.pk:
        raise WranglingError(f"“{canonical.name}” is a synonym of “{tag.name}”; choose a canonical tag.")  # fmt: skip
    _canonical(canonical, "a synonym's canonical tag")
    if tag.meta_tags.exists() or tag.sub_tags.exists():
        raise WranglingError(
            f"“{tag.name}” has metatags or subtags; remove them on its wrangling page first."
        )
    with transaction.atomic():
        reindexed = _reindex([tag.pk])  # its synonyms' works too: they move with it
        Tag.objects.filter(merger=tag).update(merger=canonical)
        Tag.objects.filter(pk=tag.pk).update(canonical=False, merger=canonical)
        tag.canonical, tag.merger = False, canonical
        canonical.fandoms.add(*tag.fandoms.all())
        record(by, "make_synonym", tag, f"synonym of {canonical.name} (#{canonical.pk})")
    return Outcome(f"“{tag.name}” is a synonym of “{canonical.name}”.", reindexed)


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise WranglingError("A tag needs a name.")
    if len(name) > MAX_NAME:
        raise WranglingError(f"A tag's name has at most {MAX_NAME} characters; this one has {len(name)}.")  # fmt: skip
    return name


def rename(tag: Tag, name: str, *, by) -> Outcome:
    """Rename the tag (its address follows the new name); the works show the new name."""
    _allow(by)
    name = _clean_name(name)
    if name == tag.name:
        raise WranglingError(f"“{tag.name}” has that name already.")
    clash = Tag.objects.filter(type=tag.type, name__iexact=name).exclude(pk=tag.pk).first()
    if clash:
        raise WranglingError(
            f"A {tag.get_type_display().lower()} tag called “{clash.name}” exists already: "
            "merge into it, or make this tag its synonym, instead."
        )
    with transaction.atomic():
        old = tag.name
        tag.name = name
        if slugify(name, allow_unicode=True)[:90] != tag.slug:  # not only a change of case
            tag.slug = unique_slug(Tag, name, type=tag.type)
        Tag.objects.filter(pk=tag.pk).update(name=tag.name, slug=tag.slug)
        reindexed = _reindex([tag.pk])
        record(by, "rename", tag, f"was {old}")
    return Outcome(f"“{old}” is now called “{name}”.", reindexed)


def merge(source: Tag, into: Tag, *, by) -> Outcome:
    """Merge `source` into `into`: its works carry `into` instead (once each), its synonyms,
    metatags, subtags and fandoms move over, and `source` is deleted.

    A work with both keeps one row; when only `source` was accepted there (its creator's tag),
    the kept row becomes accepted. Merging a canonical tag into an unwrangled one makes that
    one canonical, so the moved synonyms and links have a canonical tag to point to.
    """
    _allow(by)
    _same_type(source, into)
    if source.pk == into.pk:
        raise WranglingError(f"“{source.name}” cannot be merged into itself.")
    if into.merger_id == source.pk:
        raise WranglingError(
            f"“{into.name}” is a synonym of “{source.name}”: merge “{into.name}” into "
            f"“{source.name}” instead."
        )
    with transaction.atomic():
        reindexed = _reindex([source.pk])
        _move_work_tags(source, into)
        target = into.merger or into
        if source.canonical and not target.canonical:
            Tag.objects.filter(pk=target.pk).update(canonical=True)
            target.canonical = True
        Tag.objects.filter(merger=source).update(merger=target)
        into.fandoms.add(*source.fandoms.all())
        for member in source.fandom_tags.all():
            member.fandoms.add(into)
        for meta in source.meta_tags.all():
            _link_quietly(target, meta)
        for sub in source.sub_tags.all():
            _link_quietly(sub, target)
        record(by, "merge", into, f"merged {source.name} (#{source.pk}) into it")
        name = source.name
        source.delete()
    return Outcome(f"“{name}” was merged into “{into.name}”.", reindexed)


def _move_work_tags(source: Tag, into: Tag) -> None:
    kept = {wt.work_id: wt for wt in WorkTag.objects.filter(tag=into)}
    doubles = []
    for work_tag in WorkTag.objects.filter(tag=source, work_id__in=kept):
        mine = kept[work_tag.work_id]
        if work_tag.status == WorkTag.Status.ACCEPTED and mine.status != WorkTag.Status.ACCEPTED:
            WorkTag.objects.filter(pk=mine.pk).update(
                status=WorkTag.Status.ACCEPTED, source=work_tag.source
            )
        doubles.append(work_tag.pk)
    WorkTag.objects.filter(pk__in=doubles).delete()
    WorkTag.objects.filter(tag=source).update(tag=into)


def _link_quietly(sub: Tag, meta: Tag) -> None:
    """Link unless it would tie a tag to itself or make a cycle (a merge keeps what it can)."""
    if sub.pk != meta.pk and meta.pk not in subtag_ids([sub.pk]):
        sub.meta_tags.add(meta)


def add_metatag(tag: Tag, meta: Tag, *, by) -> Outcome:
    """Put `tag` under the metatag `meta`: filtering and tag pages by `meta` (and its own
    metatags) then find the works of `tag`, its subtags and their synonyms."""
    _allow(by)
    _same_type(tag, meta)
    _canonical(tag, "a subtag")
    _canonical(meta, "a metatag")
    if tag.pk == meta.pk:
        raise WranglingError(f"“{tag.name}” cannot be its own metatag.")
    if tag.meta_tags.filter(pk=meta.pk).exists():
        raise WranglingError(f"“{meta.name}” is a metatag of “{tag.name}” already.")
    if meta.pk in subtag_ids([tag.pk]):
        raise WranglingError(
            f"“{meta.name}” is below “{tag.name}” already: a tag cannot be above its own "
            "metatag (that would be a cycle)."
        )
    with transaction.atomic():
        tag.meta_tags.add(meta)
        record(by, "add_metatag", tag, f"metatag {meta.name} (#{meta.pk})")
    return Outcome(
        f"“{meta.name}” is a metatag of “{tag.name}”: filtering by “{meta.name}” finds its "
        "works now (no re-indexing needed)."
    )


def remove_metatag(tag: Tag, meta: Tag, *, by) -> Outcome:
    _allow(by)
    if not tag.meta_tags.filter(pk=meta.pk).exists():
        raise WranglingError(f"“{meta.name}” is not a metatag of “{tag.name}”.")
    with transaction.atomic():
        tag.meta_tags.remove(meta)
        record(by, "remove_metatag", tag, f"metatag {meta.name} (#{meta.pk})")
    return Outcome(f"“{meta.name}” is no longer a metatag of “{tag.name}”.")


def attach_fandom(tag: Tag, fandom: Tag, *, by) -> Outcome:
    """Say a character or relationship belongs to a fandom (a synonym stands for its canonical)."""
    _allow(by)
    if tag.type not in FANDOM_MEMBER_TYPES:
        raise WranglingError(f"Only characters and relationships belong to fandoms; “{tag.name}” is a {tag.get_type_display().lower()} tag.")  # fmt: skip
    if fandom.type != Tag.Type.FANDOM:
        raise WranglingError(f"“{fandom.name}” is not a fandom.")
    fandom = fandom.merger or fandom
    _canonical(fandom, "a fandom")
    if tag.fandoms.filter(pk=fandom.pk).exists():
        raise WranglingError(f"“{tag.name}” belongs to “{fandom.name}” already.")
    with transaction.atomic():
        tag.fandoms.add(fandom)
        record(by, "attach_fandom", tag, f"fandom {fandom.name} (#{fandom.pk})")
    return Outcome(f"“{tag.name}” belongs to “{fandom.name}”.")


def detach_fandom(tag: Tag, fandom: Tag, *, by) -> Outcome:
    _allow(by)
    if not tag.fandoms.filter(pk=fandom.pk).exists():
        raise WranglingError(f"“{tag.name}” does not belong to “{fandom.name}”.")
    with transaction.atomic():
        tag.fandoms.remove(fandom)
        record(by, "detach_fandom", tag, f"fandom {fandom.name} (#{fandom.pk})")
    return Outcome(f"“{tag.name}” no longer belongs to “{fandom.name}”.")


# Bulk actions on the wrangling list: name -> action taking (tag, target, by=...).
BULK = {
    "canonical": lambda tag, target, *, by: make_canonical(tag, by=by),
    "synonym": make_synonym,
    "fandom": attach_fandom,
}


def bulk(tags: list[Tag], action: str, target: Tag | None, *, by) -> Outcome:
    """One action on many tags, all or nothing: the first that fails names the tag, and no
    tag is changed."""
    _allow(by)
    if action not in BULK:
        raise WranglingError(f"“{action[:40]}” is not a bulk action; choose one of {', '.join(BULK)}.")  # fmt: skip
    if not tags:
        raise WranglingError("Select at least one tag.")
    if action != "canonical" and target is None:
        raise WranglingError("Name the tag to use, in the box beside the action.")
    reindexed = 0
    with transaction.atomic():
        for tag in tags:
            try:
                reindexed += BULK[action](tag, target, by=by).reindexed
            except WranglingError as exc:
                raise WranglingError(f"Nothing was changed. {exc}") from None
    return Outcome(f"{len(tags)} tag{'s' if len(tags) != 1 else ''} wrangled.", reindexed)
