"""The import plan: what a rescue would do, as plain data the archivist can read, edit and apply.

Making a plan reads the material (a saved site, an eFiction dump, loose files) and the archive
(duplicates, newer versions) but writes nothing. `ficarchive import --plan FILE` writes it as
JSON; `--apply FILE` reads it back, validated, and stores exactly what it says. The report
(`Plan.report`) is the same text before and after the run; after it, each work has an outcome.

A chapter's `source` is a file path relative to `Plan.root` (a site or a folder of files) or an
eFiction reference (`efiction:chapter:ID`); one work's chapters are read in the listed order.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

PLAN_VERSION = 1
KINDS = ("files", "site", "efiction")
ACTIONS = ("import", "skip", "update")


class PlanError(ValueError):
    """A plan file that cannot be applied; the message names the field and what it must be."""


@dataclass(slots=True)
class PlannedChapter:
    source: str
    title: str = ""


@dataclass(slots=True)
class PlannedWork:
    """One work the import would make (or skip, or use to update a work already stored)."""

    key: str  # unique in the plan: the first chapter's source, or `efiction:story:ID`
    title: str
    chapters: list[PlannedChapter]
    creators: list[str] = field(default_factory=list)
    action: str = "import"  # "import", "skip" or "update"
    reason: str = ""  # why skip or update; shown in the report
    update_of: int | None = None  # the stored work an "update" replaces (same id, kudos kept)
    duplicate_of: int | None = None  # the stored work this one is the same story as
    near_duplicates: list[int] = field(default_factory=list)  # stored works to look at
    resembles: list[str] = field(default_factory=list)  # earlier works of this plan, by key
    metadata: dict[str, Any] = field(default_factory=dict)  # from an index or author page
    evidence: list[str] = field(default_factory=list)  # why these chapters form one work
    outcome: str = ""  # after the run: "imported #12", "updated #3", "failed: ..."


@dataclass(slots=True)
class SkippedFile:
    source: str
    kind: str  # "asset", "site index", "author page", "guestbook", "not a story", ...
    reason: str


@dataclass(slots=True)
class Plan:
    kind: str  # "files", "site" or "efiction"
    root: str  # the folder the sources are relative to (for efiction: the stories folder)
    works: list[PlannedWork] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    # eFiction categories (and any site label) -> the tags they become: {"12": [["fandom", "X"]]}
    tag_mappings: dict[str, list[list[str]]] = field(default_factory=dict)
    boilerplate: list[str] = field(default_factory=list)  # lines removed from every story text
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # kind-specific inputs (dump path, ...)
    version: int = PLAN_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, name: str = "plan") -> Plan:
        """The plan in `text`, or PlanError saying which field is wrong and how."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PlanError(f"{name} is not valid JSON: {exc}") from None
        return _plan_from(data, name)

    def counts(self) -> dict[str, int]:
        counts = {action: 0 for action in ACTIONS}
        for work in self.works:
            counts[work.action] += 1
        counts["skipped files"] = len(self.skipped)
        return counts

    def report(self) -> str:
        """The plan (or, with outcomes, the import) as text an archivist reads top to bottom."""
        lines = [f"Plan for {self.root} ({self.kind})"]
        counts = self.counts()
        lines.append(
            f"  {counts['import']} work(s) to import, {counts['update']} to update, "
            f"{counts['skip']} to skip; {counts['skipped files']} file(s) not stories"
        )
        lines.extend(f"  note: {note}" for note in self.notes)
        for action, heading in (("import", "Import"), ("update", "Update"), ("skip", "Skip")):
            chosen = [w for w in self.works if w.action == action]
            if chosen:
                lines += ["", f"{heading} ({len(chosen)})"]
                lines.extend(_work_lines(work) for work in chosen)
        near = [
            w for w in self.works if (w.near_duplicates or w.resembles) and w.action == "import"
        ]
        if near:
            lines += ["", f"Near-duplicates to look at ({len(near)})"]
            lines.extend(
                f"  {w.title!r} resembles "
                + ", ".join([*(f"#{n}" for n in w.near_duplicates), *w.resembles])
                for w in near
            )
        if self.tag_mappings:
            lines += ["", "Tag mappings"]
            lines.extend(
                f"  {label} -> " + (", ".join(f"{t}: {n}" for t, n in tags) or "(no tag)")
                for label, tags in self.tag_mappings.items()
            )
        if self.boilerplate:
            lines += ["", f"Boilerplate removed from story text ({len(self.boilerplate)})"]
            lines.extend(f"  {_short(text)}" for text in self.boilerplate)
        if self.skipped:
            lines += ["", f"Not stories ({len(self.skipped)})"]
            lines.extend(f"  {s.source}: {s.kind}, {s.reason}" for s in self.skipped)
        return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _work_lines(work: PlannedWork) -> str:
    by = f" by {', '.join(work.creators)}" if work.creators else ""
    head = f"  {work.title!r}{by}: {len(work.chapters)} chapter(s)"
    if work.reason:
        head += f" ({work.reason})"
    if work.outcome:
        head += f" -> {work.outcome}"
    sources = [c.source for c in work.chapters]
    shown = ", ".join(sources[:4]) + (f", … {len(sources) - 4} more" if len(sources) > 4 else "")
    return f"{head}\n      {shown}"


def _plan_from(data: Any, name: str) -> Plan:
    if not isinstance(data, dict):
        raise PlanError(f"{name} must be a JSON object with 'kind', 'root' and 'works'")
    version = data.get("version", PLAN_VERSION)
    if version != PLAN_VERSION:
        raise PlanError(f"{name} is plan version {version!r}; this ficarchive reads version 1")
    kind = _field(data, "kind", str, name)
    if kind not in KINDS:
        raise PlanError(f"{name}: kind must be one of {', '.join(KINDS)} (found {kind!r})")
    works = []
    for i, raw in enumerate(_field(data, "works", list, name)):
        works.append(_work_from(raw, f"{name}: works[{i}]"))
    keys = [w.key for w in works]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise PlanError(f"{name}: two works have the key {dup!r}; each key must be unique")
    skipped = [
        _dataclass_from(SkippedFile, raw, f"{name}: skipped[{i}]")
        for i, raw in enumerate(data.get("skipped", []))
    ]
    mappings = data.get("tag_mappings", {})
    if not isinstance(mappings, dict) or not all(
        isinstance(tags, list)
        and all(
            isinstance(t, list) and len(t) == 2 and all(isinstance(x, str) for x in t) for t in tags
        )
        for tags in mappings.values()
    ):
        raise PlanError(
            f"{name}: tag_mappings must map each label to a list of [type, name] pairs, e.g. "
            '{"3": [["fandom", "Harry Potter"]]}'
        )
    return Plan(
        kind=kind,
        root=_field(data, "root", str, name),
        works=works,
        skipped=skipped,
        tag_mappings=mappings,
        boilerplate=[str(b) for b in data.get("boilerplate", [])],
        notes=[str(n) for n in data.get("notes", [])],
        extra=data.get("extra", {}) if isinstance(data.get("extra", {}), dict) else {},
    )


def _field(data: dict, key: str, kind: type, where: str):
    if key not in data:
        raise PlanError(f"{where}: '{key}' is missing")
    if not isinstance(data[key], kind):
        raise PlanError(f"{where}: '{key}' must be a {kind.__name__} (found {data[key]!r})")
    return data[key]


def _work_from(raw: Any, where: str) -> PlannedWork:
    if not isinstance(raw, dict):
        raise PlanError(f"{where} must be an object")
    chapters = [
        _dataclass_from(PlannedChapter, c, f"{where}.chapters[{j}]")
        for j, c in enumerate(_field(raw, "chapters", list, where))
    ]
    work = _dataclass_from(PlannedWork, {**raw, "chapters": []}, where)
    work.chapters = chapters
    if work.action not in ACTIONS:
        raise PlanError(
            f"{where}.action must be one of {', '.join(ACTIONS)} (found {work.action!r})"
        )
    if work.action != "skip" and not chapters:
        raise PlanError(f"{where} ({work.title!r}) has no chapters; give some or set action 'skip'")
    if work.action == "update" and not isinstance(work.update_of, int):
        raise PlanError(f"{where}.action is 'update' but update_of (a work id) is not set")
    return work


def _dataclass_from(cls, raw: Any, where: str):
    if not isinstance(raw, dict):
        raise PlanError(f"{where} must be an object")
    known = {f.name: f for f in fields(cls)}
    unknown = set(raw) - set(known)
    if unknown:
        raise PlanError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    try:
        value = cls(**raw)
    except TypeError as exc:
        raise PlanError(f"{where}: {exc}") from None
    for f in fields(cls):
        expected = {"str": str, "int | None": (int, type(None)), "list[str]": list,
                    "list[int]": list, "dict[str, Any]": dict}.get(str(f.type))  # fmt: skip
        got = getattr(value, f.name)
        if expected is not None and (not isinstance(got, expected) or isinstance(got, bool)):
            raise PlanError(f"{where}.{f.name} has the wrong type ({got!r})")
    return value
