"""The wrangling pages' forms: tag names typed by archivists, resolved to tags or a clear error."""

from __future__ import annotations

from django import forms

from ficarchive.archive.models import Tag
from ficarchive.search.forms import IdListField

# Per-tag actions: name -> (label, what the `name` box holds: a tag of this type, a fandom,
# a new name, or nothing; "id" actions name their tag by `target`, from a remove button).
TAG_ACTIONS = {
    "canonical": ("Make canonical", None),
    "synonym": ("Make a synonym of", "same"),
    "rename": ("Rename to", "text"),
    "merge": ("Merge into", "same"),
    "add_meta": ("Add a metatag", "same"),
    "add_sub": ("Add a subtag", "same"),
    "remove_meta": ("Remove the metatag", "id"),
    "fandom": ("Attach to the fandom", "fandom"),
    "remove_fandom": ("Detach from the fandom", "id"),
}
BULK_ACTIONS = {
    "canonical": ("Make canonical", None),
    "synonym": ("Make synonyms of", "same"),
    "fandom": ("Attach to the fandom", "fandom"),
}


def find_tag(tag_type: str, name: str) -> Tag:
    """The tag of this type with this name (any case), or a ValidationError saying so."""
    name = " ".join((name or "").split())
    label = Tag.Type(tag_type).label.lower()
    if not name:
        raise forms.ValidationError(f"Name the {label} tag to use.")
    tag = Tag.objects.filter(type=tag_type, name__iexact=name).select_related("merger").first()
    if tag is None:
        raise forms.ValidationError(
            f"No {label} tag is called “{name[:100]}”; check the spelling (tags are listed on "
            "this type's wrangling page)."
        )
    return tag


def _target(kind: str | None, tag_type: str, name: str) -> Tag | None:
    if kind == "same":
        return find_tag(tag_type, name)
    if kind == "fandom":
        return find_tag(Tag.Type.FANDOM, name)
    return None


class TagActionForm(forms.Form):
    """One action on one tag: its target tag is found by name (or by id for removals)."""

    action = forms.ChoiceField(choices=[(k, label) for k, (label, _) in TAG_ACTIONS.items()])
    name = forms.CharField(required=False, max_length=1000)
    target = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    def __init__(self, tag: Tag, *args, **kwargs):
        self.tag = tag
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action is None:
            return data
        kind = TAG_ACTIONS[action][1]
        if kind == "id":
            target = Tag.objects.filter(pk=data.get("target") or 0).first()
            if target is None:
                raise forms.ValidationError("That tag no longer exists; reload the page.")
            data["target_tag"] = target
        elif kind == "text":
            data["target_tag"] = None
        else:
            data["target_tag"] = _target(kind, self.tag.type, data.get("name", ""))
        return data


class BulkForm(forms.Form):
    """One action on the tags ticked on a type's wrangling list."""

    tags = IdListField(required=False)
    action = forms.ChoiceField(choices=[(k, label) for k, (label, _) in BULK_ACTIONS.items()])
    name = forms.CharField(required=False, max_length=1000)

    def __init__(self, tag_type: str, *args, **kwargs):
        self.tag_type = tag_type
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        ids = data.get("tags") or []
        if "tags" in data and not ids:
            raise forms.ValidationError("Tick at least one tag.")
        tags = list(Tag.objects.filter(type=self.tag_type, pk__in=ids).select_related("merger"))
        if len(tags) != len(ids):
            label = Tag.Type(self.tag_type).label.lower()
            raise forms.ValidationError(f"Some ticked tags are not {label} tags or no longer exist; reload the page.")  # fmt: skip
        data["tag_list"] = sorted(tags, key=lambda t: t.name)
        if action := data.get("action"):
            data["target_tag"] = _target(BULK_ACTIONS[action][1], self.tag_type, data.get("name", ""))  # fmt: skip
        return data
