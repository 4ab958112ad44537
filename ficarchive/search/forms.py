"""The search page's URL parameters, validated and resolved into `Criteria`.

Everything lives in the query string (shareable, the back button works). A value that does not
make sense becomes a message beside the results; the rest of the search still runs.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q

from ficarchive.archive.models import Tag, Work
from ficarchive.search.criteria import SORTS, Criteria
from ficarchive.search.documents import EPOCH
from ficarchive.search.query import parse_query
from ficarchive.search.tags import resolve

PAGE_SIZE = 20
PAGE_LIMIT = 10**6  # the highest page number a list accepts
MAX_ID = 2**63 - 1


class IdListField(forms.Field):
    """Repeated `name=ID` parameters, as a list of positive integers."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        ids = []
        if isinstance(value, (str, int)):  # one value from a plain dict, not a QueryDict
            value = [value]
        for item in value or []:
            try:
                number = int(str(item).strip())
            except ValueError:
                raise forms.ValidationError(f"“{str(item)[:40]}” is not a tag number.") from None
            if not 0 < number <= MAX_ID:
                raise forms.ValidationError(f"{number} is not a tag number.")
            ids.append(number)
        return list(dict.fromkeys(ids))


def _since_1970(value) -> None:
    if value < EPOCH:
        raise forms.ValidationError("the archive's dates start in 1970; give a later date.")


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=1000, label="Search")
    include = IdListField(required=False)
    exclude = IdListField(required=False)
    rating = IdListField(required=False)
    include_names = forms.CharField(
        required=False, max_length=2000, label="Other tags to include",
        help_text="Tag names, separated by commas.",
    )  # fmt: skip
    exclude_names = forms.CharField(
        required=False, max_length=2000, label="Other tags to exclude",
        help_text="Tag names, separated by commas.",
    )  # fmt: skip
    complete = forms.ChoiceField(
        required=False,
        choices=[("", "All works"), ("complete", "Complete works only"), ("wip", "Works in progress only")],
    )  # fmt: skip
    crossover = forms.ChoiceField(
        required=False,
        choices=[("", "Include crossovers"), ("exclude", "Exclude crossovers"), ("only", "Only crossovers")],
    )  # fmt: skip
    words_from = forms.IntegerField(
        required=False, min_value=0, max_value=10**9, label="Words from"
    )
    words_to = forms.IntegerField(required=False, min_value=0, max_value=10**9, label="Words to")
    date_field = forms.ChoiceField(
        required=False, choices=[("updated", "Updated"), ("published", "Published")]
    )
    date_from = forms.DateField(required=False, label="Date from", validators=[_since_1970])
    date_to = forms.DateField(required=False, label="Date to", validators=[_since_1970])
    language = forms.CharField(required=False, max_length=12)
    pov = forms.ChoiceField(required=False, choices=[("", "Any"), *Work.Pov.choices])
    tense = forms.ChoiceField(required=False, choices=[("", "Any"), *Work.Tense.choices])
    suggested = forms.BooleanField(required=False, label="Count suggested tags (machine-made)")
    sort = forms.ChoiceField(
        required=False, choices=[(k, label) for k, (label, _) in SORTS.items()]
    )
    order = forms.ChoiceField(
        required=False, choices=[("", "Default"), ("desc", "Descending"), ("asc", "Ascending")]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=PAGE_LIMIT)

    def value(self, name: str, default=None):
        """A cleaned value, or `default` when it was missing or invalid (shown as an error)."""
        value = getattr(self, "cleaned_data", {}).get(name)
        return default if value in (None, "") else value

    def criteria(self, base: Criteria | None = None) -> tuple[Criteria, list[str]]:
        """The search these parameters ask for, on top of `base` (a tag page's own tag), and
        the messages to show: invalid values, unknown tags, query repairs."""
        self.is_valid()
        messages = [f"{self.fields[name].label or name}: {' '.join(errs)}" for name, errs in self.errors.items()]  # fmt: skip
        c = base or Criteria()
        c.query = parse_query(self.value("q", ""))
        messages += c.query.notes
        include, unknown = canonical_ids(self.value("include", []))
        exclude, _ = canonical_ids(self.value("exclude", []))  # a gone tag excludes nothing
        ratings, unknown_r = canonical_ids(self.value("rating", []))
        if unknown or unknown_r:
            messages.append("A tag in the filters no longer exists, so nothing matches it.")
            include.append(0)  # a tag no work has: the search is empty, not widened
        c.include = list(dict.fromkeys(c.include + include))
        c.exclude = list(dict.fromkeys(c.exclude + exclude))
        if ratings:
            c.any_of.append(ratings)
        for names, target in ((self.value("include_names", ""), "include"), (self.value("exclude_names", ""), "exclude")):  # fmt: skip
            for name in (n.strip() for n in names.split(",")):
                if not name:
                    continue
                ids = tags_named(name)
                if target == "exclude":
                    c.exclude.extend(i for i in ids if i not in c.exclude)
                elif ids:
                    c.any_of.append(ids)
                else:
                    messages.append(f"No tag is called “{name[:100]}”, so nothing matches it.")
                    c.include.append(0)
        c.complete = {"complete": True, "wip": False}.get(self.value("complete", ""))
        c.crossover = {"only": True, "exclude": False}.get(self.value("crossover", ""))
        c.words_min, c.words_max = self.value("words_from"), self.value("words_to")
        c.date_field = self.value("date_field", "updated")
        c.date_from, c.date_to = self.value("date_from"), self.value("date_to")
        c.language = self.value("language", "").strip().lower()
        c.pov, c.tense = self.value("pov", ""), self.value("tense", "")
        c.suggested = bool(self.value("suggested", False))
        c.sort = self.value("sort", c.sort)
        order = self.value("order", "")
        c.descending = SORTS[c.sort][1] if not order else order == "desc"
        c.limit = PAGE_SIZE
        c.offset = (self.value("page", 1) - 1) * PAGE_SIZE
        return resolve(c), messages


def canonical_ids(ids: list[int]) -> tuple[list[int], list[int]]:
    """(canonical ids of the tags, ids that are no tag): a synonym searches as its canonical tag."""
    if not ids:
        return [], []
    found = dict(Tag.objects.filter(pk__in=ids).values_list("pk", "merger_id"))
    canonical = [found[i] or i for i in ids if i in found]
    return list(dict.fromkeys(canonical)), [i for i in ids if i not in found]


def tags_named(name: str) -> list[int]:
    """Canonical ids of the tags of any type with this name (any case), synonyms resolved."""
    rows = Tag.objects.filter(Q(name__iexact=name)).values_list("pk", "merger_id")
    return list(dict.fromkeys(merger or pk for pk, merger in rows))
