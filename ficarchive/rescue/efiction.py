"""An eFiction 3.x archive (its MySQL dump and `stories/` folder) as plain data, a plan, and works.

`read_dump` reads the dump without a server (`efiction_dump`) into `EfictionArchive`: stories,
chapters, authors, coauthors, categories, characters, ratings, classes (genres, warnings),
series, reviews and the site's settings, whatever the table prefix (`fanfiction_`, `efic_`,
none) and whichever 3.x columns the site had. `plan_efiction` proposes what the import does
(one work per validated story with validated chapters, the tags each category, character,
rating and class becomes) and `build_work` turns one planned story into a `ParsedWork`.

Chapter text is where eFiction kept it: `<storiespath>/<chapter uid>/<chapid>.txt` when the
site stored files (`store = files`), else `fanfiction_chapters.storytext`. eFiction shows text
through `format_story`: slashes stripped, and text without `<br>`/`<p>` has its newlines kept as
line breaks. We read it the same way, so the work reads as the site showed it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from ficarchive.text.decoding import decode_bytes
from ficarchive.text.errors import StoryError
from ficarchive.text.htmlblocks import read_blocks
from ficarchive.text.language import detect_language
from ficarchive.text.model import (
    Block,
    Chapter,
    Contact,
    Creator,
    ParsedWork,
    SourceInfo,
    TagType,
    html_to_text,
)
from ficarchive.text.plaintext import read_text_blocks
from ficarchive.text.structure import mark_scene_breaks

from .efiction_dump import Dump, DumpError, Value, read_mysql_dump
from .efiction_tags import propose_tags
from .plan import Plan, PlanError, PlannedChapter, PlannedWork

# The eFiction tables we read, without the site's prefix. `genres` and `warnings` are the
# tables of sites upgraded from 2.x, before classes.
BASE_TABLES = (
    "stories", "chapters", "authors", "coauthors", "categories", "characters", "ratings",
    "classes", "classtypes", "series", "inseries", "reviews", "settings", "genres", "warnings",
)  # fmt: skip


# eFiction 3.5's columns, for dumps that insert rows without CREATE TABLE or column lists (the
# site's own admin backup). (columns, how many leading ones all 3.x versions share); a table
# whose later columns moved between versions keeps only those.
ASSUMED_COLUMNS = {
    "stories": ("sid title summary storynotes catid classes charid rid date updated uid coauthors "
                "featured validated completed rr wordcount rating reviews count challenges", 0),
    "chapters": ("chapid title inorder notes storytext endnotes validated wordcount rating reviews "
                 "sid uid count", 0),
    "authors": ("uid penname realname email website bio image date admincreated password", 5),
    "coauthors": ("sid uid", 0),
    "categories": ("catid parentcatid category description image locked leveldown displayorder "
                   "numitems", 3),
    "characters": ("charid catid charname bio image", 3),
    "ratings": ("rid rating ratingwarning warningtext", 2),
    "classes": ("class_id class_type class_name", 0),
    "classtypes": ("classtype_id classtype_name classtype_title", 0),
    "series": ("seriesid title summary uid isopen catid classes rating warnings genres characters "
               "reviews challenges numstories", 4),
    "inseries": ("seriesid sid subseriesid confirmed inorder", 0),
    "reviews": ("reviewid item chapid reviewer uid review date rating respond type", 0),
    "settings": ("sitekey sitename slogan url siteemail tableprefix skin hiddenskins language "
                 "submissionsoff storiespath store", 12),
}  # fmt: skip


def _assumed(name: str) -> tuple[list[str], int] | None:
    # The longest base first: `fanfiction_coauthors` is not the authors table.
    for base, (columns, stable) in sorted(ASSUMED_COLUMNS.items(), key=lambda i: -len(i[0])):
        if name.lower().endswith(base):
            names = columns.split()
            return names, stable or len(names)
    return None


# --- The archive as plain data ------------------------------------------------------------------


@dataclass(slots=True)
class Story:
    sid: int
    title: str
    uid: int
    summary: str = ""
    storynotes: str = ""
    labels: list[str] = field(default_factory=list)  # "category:3", "character:7", "class:2"
    rid: str = ""  # the rating's id (or, on some sites, its name)
    date: str | None = None  # ISO date
    updated: str | None = None
    validated: bool = False
    completed: bool = False
    coauthors_column: str = ""  # stories.coauthors: a list of uids before 3.5, a flag since


@dataclass(slots=True)
class StoryChapter:
    chapid: int
    sid: int
    uid: int
    title: str = ""
    inorder: int = 0
    notes: str = ""
    endnotes: str = ""
    storytext: bytes | None = None  # the text when the site stored it in the database
    validated: bool = False


@dataclass(slots=True)
class Author:
    uid: int
    penname: str
    realname: str = ""
    email: str = ""
    website: str = ""


@dataclass(slots=True)
class Label:
    """A category, character, rating or class (genre, warning, ...) a story can carry."""

    key: str  # "category:3": the key of its tag mapping in the plan
    kind: str  # "category", "character", "rating", or the class type's name ("genres", ...)
    name: str
    parent: str = ""  # a category's parent category, a class's type title


@dataclass(slots=True)
class Series:
    seriesid: int
    title: str
    summary: str = ""
    uid: int = 0


@dataclass(slots=True)
class InSeries:
    seriesid: int
    sid: int
    inorder: int = 0


@dataclass(slots=True)
class Review:
    reviewid: int
    sid: int
    chapid: int
    reviewer: str  # the name given, or the member's pen name
    text: str
    date: str | None = None  # ISO datetime
    uid: int = 0


@dataclass(slots=True)
class EfictionArchive:
    prefix: str
    stories: dict[int, Story] = field(default_factory=dict)
    chapters: dict[int, StoryChapter] = field(default_factory=dict)
    authors: dict[int, Author] = field(default_factory=dict)
    coauthors: dict[int, list[int]] = field(default_factory=dict)  # sid -> uids
    labels: dict[str, Label] = field(default_factory=dict)
    series: dict[int, Series] = field(default_factory=dict)
    inseries: list[InSeries] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    charset: str = ""  # what the dump's SET NAMES said
    codepage: str = ""  # what its values not in UTF-8 are in
    notes: list[str] = field(default_factory=list)

    @property
    def store(self) -> str:
        """ "files" or "mysql" as the site said; "" when the dump has no settings table."""
        return self.settings.get("store", "").strip().lower()

    @property
    def storiespath(self) -> str:
        return self.settings.get("storiespath", "").strip().strip("/") or "stories"

    def chapters_of(self, sid: int) -> list[StoryChapter]:
        """A story's chapters in reading order: eFiction's `inorder`, then the chapter id."""
        return sorted(
            (c for c in self.chapters.values() if c.sid == sid), key=lambda c: (c.inorder, c.chapid)
        )

    def story_authors(self, story: Story) -> list[int]:
        """The author, then the coauthors, each once."""
        return list(dict.fromkeys([story.uid, *self.coauthors.get(story.sid, [])]))

    def penname(self, uid: int) -> str:
        author = self.authors.get(uid)
        return author.penname if author and author.penname else f"eFiction author {uid}"


# --- Reading values ----------------------------------------------------------------------------


def decode_value(raw: Value | str, codepage: str = "") -> str:
    """A dump value as text: UTF-8 when it is (mojibake repaired), else the site's code page.

    Without `codepage` a detector guesses, which short values mislead: `read_dump` decides the
    site's one code page from all its non-UTF-8 values together and passes it here.
    """
    if raw is None:
        return ""
    if not isinstance(raw, bytes):
        return str(raw)
    if raw.isascii():
        return raw.decode("ascii").replace("\r\n", "\n")
    if not raw.strip():
        return ""
    if _is_utf8(raw) or not codepage:
        try:
            text = decode_bytes(raw).text
        except StoryError:
            text = ""
        if text and not _C1.search(text):
            return text
        codepage = codepage or "cp1252"  # C1 controls: a wrong guess; such sites wrote cp1252
    return raw.decode(codepage, "replace").replace("\r\n", "\n")


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def site_codepage(values) -> str:
    """The one legacy code page of a site's non-UTF-8 values, judged on them all together."""
    sample, size = [], 0
    for raw in values:
        if isinstance(raw, bytes) and not raw.isascii() and not _is_utf8(raw):
            sample.append(raw)
            size += len(raw)
            if size > 200_000:
                break
    if not sample:
        return "cp1252"
    try:
        return decode_bytes(b"\n".join(sample)).encoding
    except StoryError:
        return "cp1252"


_C1 = re.compile("[\x80-\x9f]")


_SLASHED = re.compile(r"\\([\\'\"])")


def strip_slashes(text: str) -> str:
    """PHP's stripslashes, as eFiction applies it when it shows a field (`It\\'s` -> `It's`)."""
    return _SLASHED.sub(r"\1", text) if "\\" in text else text


def plain(raw: Value | str) -> str:
    """A short field (title, pen name, category) as plain text: slashes, tags and entities gone."""
    return " ".join(html_to_text(strip_slashes(decode_value(raw))).split())


def number(raw: Value | str) -> int:
    if isinstance(raw, int):
        return raw
    text = decode_value(raw).strip()
    try:
        return int(float(text)) if text else 0
    except ValueError:
        return 0


def id_list(raw: Value | str) -> list[int]:
    """`"3,12, 7"` -> [3, 12, 7]; eFiction keeps a story's categories and classes like that."""
    ids = []
    for part in re.split(r"[,;\s]+", decode_value(raw)):
        if part.lstrip("-").isdigit() and int(part) > 0:
            ids.append(int(part))
    return list(dict.fromkeys(ids))


def truthy(raw: Value | str) -> bool:
    """eFiction flags: `1`, `'1'`, `2` are on; `0`, `''`, NULL, `'N'` are off."""
    text = decode_value(raw).strip().lower()
    return bool(text) and text not in {"0", "n", "no", "false"}


def when(raw: Value | str) -> str | None:
    """A date as ISO: from a Unix time (3.5) or a DATETIME (older sites); None when unset."""
    if isinstance(raw, int | float) or (isinstance(raw, bytes | str) and raw.strip().isdigit()):
        seconds = number(raw)
        if seconds <= 0:
            return None
        return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None).isoformat(" ")
    text = decode_value(raw).strip()
    if not text or text.startswith("0000"):
        return None
    try:
        return dt.datetime.fromisoformat(text[:19]).isoformat(" ")
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            return None


# --- Reading the dump --------------------------------------------------------------------------


def _wanted(name: str) -> bool:
    return name.lower().endswith(BASE_TABLES)


def find_prefix(names) -> str:
    """The site's table prefix: the one whose `stories` and `chapters` tables are both here."""
    names = set(names)
    candidates = [
        name[: -len("stories")]
        for name in names
        if name.endswith("stories") and name[: -len("stories")] + "chapters" in names
    ]
    if not candidates:
        shown = ", ".join(sorted(names)[:8]) or "no tables at all"
        raise DumpError(
            "this dump has no eFiction stories and chapters tables (found "
            f"{shown}); give the dump of the site's eFiction database"
        )
    return max(candidates, key=lambda p: (sum(p + base in names for base in BASE_TABLES), -len(p)))


def read_dump(path: Path | str) -> EfictionArchive:
    """The eFiction archive in a MySQL dump file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DumpError(
            f"cannot read {path} ({exc.strerror}); check the path to the dump"
        ) from None
    return read_dump_bytes(data)


def read_dump_bytes(data: bytes) -> EfictionArchive:
    dump = read_mysql_dump(data, wanted=_wanted, assumed=_assumed)
    prefix = find_prefix(dump.tables)
    archive = EfictionArchive(prefix=prefix, charset=dump.charset, notes=list(dump.notes))
    if dump.assumed:
        archive.notes.append(
            "no CREATE TABLE for " + ", ".join(dump.assumed) + ": their columns are taken to be "
            "eFiction 3.5's (check a few works in the plan)"
        )
    archive.codepage = _decode_tables(dump, prefix)
    for base, reader in _READERS:
        table = dump.tables.get(prefix + base)
        if table is not None:
            reader(archive, table.rows, dump)
    _name_ratings(archive)
    _column_coauthors(archive, has_table=prefix + "coauthors" in dump.tables)
    archive.notes.insert(
        0,
        f"eFiction tables with the prefix {prefix!r}"
        if prefix
        else "eFiction tables without a prefix",
    )
    return archive


def _decode_tables(dump: Dump, prefix: str) -> str:
    """Every text value as str in the site's code page, but chapter text (decoded per chapter)."""
    tables = [t for name, t in dump.tables.items() if name.startswith(prefix)]
    values = (v for t in tables for row in t.rows for k, v in row.items() if k != "storytext")
    codepage = site_codepage(values)
    for table in tables:
        for row in table.rows:
            for key, value in row.items():
                if isinstance(value, bytes) and key != "storytext":
                    row[key] = decode_value(value, codepage)
    return codepage


def _column_coauthors(archive: EfictionArchive, has_table: bool) -> None:
    """Coauthors from stories.coauthors where that column is a list of uids.

    Before 3.5 it held the uids ("3,5"); 3.5 keeps them in the coauthors table and the column
    only says there are some ("1"). So with the table, only a column with several uids (data
    carried over from before) is read as a list; without it, the column always is.
    """
    for story in archive.stories.values():
        column = story.coauthors_column
        if column and (not has_table or "," in column):
            known = archive.coauthors.setdefault(story.sid, [])
            known.extend(uid for uid in id_list(column) if uid not in known and uid != story.uid)


def _name_ratings(archive: EfictionArchive) -> None:
    """Some sites kept the rating's name in stories.rid ("PG-13"), not its id: a label of its own."""
    for story in archive.stories.values():
        key = f"rating:{story.rid}"
        if story.rid and not story.rid.isdigit() and key not in archive.labels:
            archive.labels[key] = Label(key, "rating", story.rid)


def _read_settings(archive: EfictionArchive, rows, dump: Dump) -> None:
    if rows:
        archive.settings = {k: decode_value(v) for k, v in rows[0].items()}


def _read_authors(archive: EfictionArchive, rows, dump: Dump) -> None:
    for row in rows:
        uid = number(row.get("uid"))
        archive.authors[uid] = Author(
            uid=uid,
            penname=plain(row.get("penname")),
            realname=plain(row.get("realname")),
            email=plain(row.get("email")),
            website=plain(row.get("website")),
        )


def _read_stories(archive: EfictionArchive, rows, dump: Dump) -> None:
    for row in rows:
        sid = number(row.get("sid"))
        labels = [f"category:{i}" for i in id_list(row.get("catid"))]
        labels += [f"character:{i}" for i in id_list(row.get("charid"))]
        labels += [f"class:{i}" for i in id_list(row.get("classes"))]
        labels += [f"genre:{i}" for i in id_list(row.get("gid"))]  # 2.x sites
        labels += [f"warning:{i}" for i in id_list(row.get("wid"))]
        archive.stories[sid] = Story(
            sid=sid,
            title=plain(row.get("title")),
            uid=number(row.get("uid")),
            summary=decode_value(row.get("summary")),
            storynotes=decode_value(row.get("storynotes")),
            labels=labels,
            rid=(plain(row.get("rid")).split(",") or [""])[0].strip(),
            date=when(row.get("date")),
            updated=when(row.get("updated")),
            validated=truthy(row.get("validated")),
            completed=truthy(row.get("completed")),
            coauthors_column=decode_value(row.get("coauthors")).strip(),
        )


def _read_chapters(archive: EfictionArchive, rows, dump: Dump) -> None:
    for row in rows:
        chapid = number(row.get("chapid"))
        text = row.get("storytext")
        archive.chapters[chapid] = StoryChapter(
            chapid=chapid,
            sid=number(row.get("sid")),
            uid=number(row.get("uid")),
            title=plain(row.get("title")),
            inorder=number(row.get("inorder")),
            notes=decode_value(row.get("notes")),
            endnotes=decode_value(row.get("endnotes")),
            storytext=text if isinstance(text, bytes) and text.strip() else None,
            validated=truthy(row.get("validated", 1)),
        )


def _read_coauthors(archive: EfictionArchive, rows, dump: Dump) -> None:
    for row in rows:
        archive.coauthors.setdefault(number(row.get("sid")), []).append(number(row.get("uid")))


def _read_categories(archive: EfictionArchive, rows, dump: Dump) -> None:
    names = {number(r.get("catid")): plain(r.get("category")) for r in rows}
    for row in rows:
        catid = number(row.get("catid"))
        parent = names.get(number(row.get("parentcatid")), "")
        archive.labels[f"category:{catid}"] = Label(
            f"category:{catid}", "category", names[catid], parent
        )


def _read_characters(archive: EfictionArchive, rows, dump: Dump) -> None:
    for row in rows:
        charid = number(row.get("charid"))
        archive.labels[f"character:{charid}"] = Label(
            f"character:{charid}", "character", plain(row.get("charname"))
        )


def _read_ratings(archive: EfictionArchive, rows, dump: Dump) -> None:
    for row in rows:
        rid = number(row.get("rid"))
        archive.labels[f"rating:{rid}"] = Label(f"rating:{rid}", "rating", plain(row.get("rating")))


def _read_classes(archive: EfictionArchive, rows, dump: Dump) -> None:
    types = {
        number(r.get("classtype_id")): (
            plain(r.get("classtype_name")),
            plain(r.get("classtype_title")),
        )
        for r in _table_rows(dump, archive.prefix + "classtypes")
    }
    for row in rows:
        class_id = number(row.get("class_id"))
        name, title = types.get(number(row.get("class_type")), ("", ""))
        archive.labels[f"class:{class_id}"] = Label(
            f"class:{class_id}",
            name.lower() or title.lower() or "class",
            plain(row.get("class_name")),
            title,
        )


def _read_legacy(kind: str, id_column: str, name_column: str):
    """2.x genres and warnings tables: classes before there were classes."""

    def read(archive: EfictionArchive, rows, dump: Dump) -> None:
        for row in rows:
            key = f"{kind}:{number(row.get(id_column))}"
            archive.labels[key] = Label(key, kind + "s", plain(row.get(name_column)))

    return read


def _read_series(archive: EfictionArchive, rows, dump: Dump) -> None:
    for row in rows:
        seriesid = number(row.get("seriesid"))
        archive.series[seriesid] = Series(
            seriesid=seriesid,
            title=plain(row.get("title")),
            summary=decode_value(row.get("summary")),
            uid=number(row.get("uid")),
        )


def _read_inseries(archive: EfictionArchive, rows, dump: Dump) -> None:
    for row in rows:
        sid = number(row.get("sid"))
        if sid:  # rows with a subseries and no story nest series, which works cannot show
            archive.inseries.append(
                InSeries(number(row.get("seriesid")), sid, number(row.get("inorder")))
            )


def _read_reviews(archive: EfictionArchive, rows, dump: Dump) -> None:
    other = 0
    for row in rows:
        kind = plain(row.get("type")).upper() or "ST"
        if kind != "ST":
            other += 1  # reviews of series or challenges: nothing in the archive to hang them on
            continue
        uid = number(row.get("uid"))
        name = plain(row.get("reviewer"))
        if uid and uid in archive.authors and (not name or name == "0"):
            name = archive.authors[uid].penname
        archive.reviews.append(
            Review(
                reviewid=number(row.get("reviewid")),
                sid=number(row.get("item")) or number(row.get("sid")),
                chapid=number(row.get("chapid")),
                reviewer=name if name and name != "0" else "Anonymous",
                text=decode_value(row.get("review")),
                date=when(row.get("date")),
                uid=uid,
            )
        )
    if other:
        archive.notes.append(f"{other} review(s) of series or challenges are not imported")


def _table_rows(dump: Dump, name: str) -> list:
    table = dump.tables.get(name)
    return table.rows if table is not None else []


# Order matters: authors before reviews (reviewers' pen names), classtypes read by classes.
_READERS = (
    ("settings", _read_settings),
    ("authors", _read_authors),
    ("stories", _read_stories),
    ("chapters", _read_chapters),
    ("coauthors", _read_coauthors),
    ("categories", _read_categories),
    ("characters", _read_characters),
    ("ratings", _read_ratings),
    ("classes", _read_classes),
    ("genres", _read_legacy("genre", "gid", "genre")),
    ("warnings", _read_legacy("warning", "wid", "warning")),
    ("series", _read_series),
    ("inseries", _read_inseries),
    ("reviews", _read_reviews),
)


# --- Where chapter text is --------------------------------------------------------------------


def chapter_file(
    chapter: StoryChapter, story: Story, stories_dir: Path, data_dir: Path | None, storiespath: str
) -> Path | None:
    """The chapter's `<uid>/<chapid>.txt`, looked for where eFiction put it and where it drifts.

    eFiction writes under the uid of the chapter's author (a coauthor's chapter is in their own
    folder), in the site's `storiespath`. A story moved to another author keeps its files in the
    old folder, and an archivist may give the site's folder or the stories folder itself: so
    failing the expected places, any `<digits>/<chapid>.txt` below the folders given will do.
    """
    name = f"{chapter.chapid}.txt"
    roots = [stories_dir, stories_dir / storiespath]
    if data_dir is not None:
        roots += [data_dir / storiespath, data_dir]
    uids = [str(uid) for uid in dict.fromkeys((chapter.uid, story.uid))]
    for root in roots:
        for uid in uids:
            candidate = root / uid / name
            if candidate.is_file():
                return candidate
    found = [path for root in roots for path in _chapter_files(root).get(name, ())]
    return min(found, key=lambda p: (p.parent.name not in uids, len(p.parts), str(p)), default=None)


@lru_cache(maxsize=8)
def _chapter_files(root: Path) -> dict[str, list[Path]]:
    """Every `<digits>/<digits>.txt` under `root`, by file name: walked once per folder."""
    index: dict[str, list[Path]] = {}
    if root.is_dir():
        for path in root.rglob("*.txt"):
            if path.stem.isdigit() and path.parent.name.isdigit():
                index.setdefault(path.name, []).append(path)
    return index


def chapter_bytes(
    chapter: StoryChapter,
    story: Story,
    archive: EfictionArchive,
    stories_dir: Path,
    data_dir: Path | None = None,
) -> tuple[bytes | None, str]:
    """The chapter's text as stored, and where it came from ("stories/3/12.txt", "dump")."""

    def from_file():
        path = chapter_file(chapter, story, stories_dir, data_dir, archive.storiespath)
        return (path.read_bytes(), _relative(path, stories_dir, data_dir)) if path else (None, "")

    def from_dump():
        return (chapter.storytext, "dump") if chapter.storytext is not None else (None, "")

    # Where the site said it kept text comes first; the other place is a fallback, as sites
    # switched `store` over the years and old chapters stayed where they were.
    for look in (from_dump, from_file) if archive.store == "mysql" else (from_file, from_dump):
        raw, where = look()
        if raw is not None:
            return raw, where
    return None, ""


def _relative(path: Path, *roots: Path | None) -> str:
    for root in roots:
        if root is not None:
            try:
                return str(path.relative_to(root))
            except ValueError:
                continue
    return str(path)


# --- The plan ----------------------------------------------------------------------------------


def chapter_key(chapid: int) -> str:
    return f"efiction:chapter:{chapid}"


def story_key(sid: int) -> str:
    return f"efiction:story:{sid}"


def key_id(key: str) -> int:
    """`efiction:story:12` -> 12."""
    try:
        return int(key.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        raise ValueError(
            f"{key!r} is not an eFiction story or chapter key (efiction:story:ID)"
        ) from None


def plan_efiction(
    archive: EfictionArchive, stories_dir: Path | str, data_dir: Path | str | None = None
) -> Plan:
    """What importing this archive would do; reads chapter files, writes nothing."""
    stories_dir = Path(stories_dir)
    data_dir = Path(data_dir) if data_dir is not None else None
    plan = Plan(kind="efiction", root=str(stories_dir))
    plan.notes.extend(archive.notes)
    if archive.store:
        plan.notes.append(f"the site stored chapter text in {archive.store}")
    used: dict[str, None] = {}
    for sid in sorted(archive.stories):
        story = archive.stories[sid]
        work = _planned_work(story, archive, stories_dir, data_dir)
        plan.works.append(work)
        if work.action == "import":
            used.update(dict.fromkeys(_story_labels(story)))
    importing = {w.key for w in plan.works if w.action == "import"}
    for label in sorted(used, key=_label_order):
        tags, note = propose_tags(archive.labels.get(label), label)
        plan.tag_mappings[label] = tags
        if note:
            plan.notes.append(note)
    plan.extra = {
        "stories": str(stories_dir),
        "data": str(data_dir) if data_dir is not None else None,
        "prefix": archive.prefix,
        "series": _planned_series(archive, plan),
        "reviews": sum(story_key(r.sid) in importing for r in archive.reviews),
    }
    return plan


_LABEL_KINDS = ("rating", "category", "character", "class", "genre", "warning")


def _label_order(key: str) -> tuple:
    kind, _, ident = key.partition(":")
    rank = _LABEL_KINDS.index(kind) if kind in _LABEL_KINDS else len(_LABEL_KINDS)
    return (rank, int(ident) if ident.isdigit() else 0, ident)


def _story_labels(story: Story) -> list[str]:
    rating = [f"rating:{story.rid}"] if story.rid and story.rid != "0" else []
    return [*rating, *story.labels]


def _planned_work(
    story: Story, archive: EfictionArchive, stories_dir: Path, data_dir: Path | None
) -> PlannedWork:
    chapters = archive.chapters_of(story.sid)
    hidden = [c.chapid for c in chapters if not c.validated]
    shown = [c for c in chapters if c.validated]
    missing = [
        c.chapid
        for c in shown
        if chapter_bytes(c, story, archive, stories_dir, data_dir)[0] is None
    ]
    present = [c for c in shown if c.chapid not in missing]
    work = PlannedWork(
        key=story_key(story.sid),
        title=story.title or f"Untitled story {story.sid}",
        chapters=[PlannedChapter(chapter_key(c.chapid), c.title) for c in present],
        creators=[archive.penname(uid) for uid in archive.story_authors(story)],
        metadata={"sid": story.sid, "uid": story.uid},
    )
    if hidden:
        work.metadata["unvalidated_chapters"] = hidden
        work.evidence.append(f"chapter(s) {_ids(hidden)} not validated on the site: left out")
    if missing:
        work.metadata["missing_chapters"] = missing
        work.evidence.append(f"chapter(s) {_ids(missing)}: no text in the dump or {stories_dir}")
    if present:
        work.evidence.append(
            "chapters in the site's order (inorder): " + ", ".join(str(c.chapid) for c in present)
        )
    for reason, applies in (
        ("not validated on the site (never published)", not story.validated),
        ("no validated chapters", story.validated and not shown),
        ("no chapter text found: give the stories folder with --stories", shown and not present),
    ):
        if applies:
            work.action, work.reason = "skip", reason
            break
    return work


def _ids(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids)


def _planned_series(archive: EfictionArchive, plan: Plan) -> list[dict]:
    """Each series with its imported stories in the series' order (inseries.inorder)."""
    importing = {w.key for w in plan.works if w.action == "import"}
    out = []
    for seriesid, series in sorted(archive.series.items()):
        parts = sorted(
            (p for p in archive.inseries if p.seriesid == seriesid),
            key=lambda p: (p.inorder, p.sid),
        )
        keys = [story_key(p.sid) for p in parts if story_key(p.sid) in importing]
        if keys:
            out.append({"id": seriesid, "title": series.title, "works": list(dict.fromkeys(keys))})
    return out


# --- One work ----------------------------------------------------------------------------------

_HTML_HINT = re.compile(r"<[a-zA-Z/!]|&#?\w+;")
_PARAGRAPH_TAGS = re.compile(r"<br>|<br />|<p>", re.I)


def story_blocks(text: str) -> list[Block]:
    """A field as eFiction shows it (`format_story`): HTML as HTML, newlines kept in plain text."""
    text = strip_slashes(text).strip()
    if not text:
        return []
    if not _HTML_HINT.search(text):
        return mark_scene_breaks(read_text_blocks(text)[0])
    if not _PARAGRAPH_TAGS.search(text):
        text = text.replace("\n", "<br>\n")  # format_story's nl2br
    return mark_scene_breaks(read_blocks(LexborHTMLParser(f"<body>{text}</body>").body))


def author_contacts(story: Story, archive: EfictionArchive) -> dict[str, list[Contact]]:
    """Each author's private contacts (email, website) by pen name: kept, never shown."""
    out: dict[str, list[Contact]] = {}
    for uid in archive.story_authors(story):
        author = archive.authors.get(uid)
        if author is None:
            continue
        contacts = [Contact("email", author.email)] if "@" in author.email else []
        if author.website.startswith(("http://", "https://")):
            contacts.append(Contact("url", author.website))
        if contacts:
            out.setdefault(archive.penname(uid), []).extend(contacts)
    return out


def build_work(
    planned: PlannedWork,
    archive: EfictionArchive,
    stories_dir: Path | str,
    tag_mappings: dict[str, list[list[str]]],
    data_dir: Path | str | None = None,
) -> ParsedWork:
    """The planned story as a ParsedWork: its chapters in the plan's order, tags as mapped.

    `contacts` holds the first author's; `author_contacts` gives the coauthors' too (the store
    attaches a work's contacts to its first creator).
    """
    stories_dir = Path(stories_dir)
    data_dir = Path(data_dir) if data_dir is not None else None
    story = archive.stories[key_id(planned.key)]
    work = ParsedWork(
        title=planned.title or story.title,
        title_missing=not (planned.title or story.title),
        creators=[Creator(name) for name in planned.creators]
        or [Creator(archive.penname(uid)) for uid in archive.story_authors(story)],
        summary=story_blocks(story.summary),
        notes=story_blocks(story.storynotes),
        complete=story.completed,
        published=story.date[:10] if story.date else None,
        updated=(story.updated or story.date or "")[:10] or None,
    )
    contacts = author_contacts(story, archive)
    work.contacts = contacts.get(work.creators[0].name, []) if work.creators else []
    encodings = []
    for number_, planned_chapter in enumerate(planned.chapters, start=1):
        chapter = archive.chapters[key_id(planned_chapter.source)]
        raw, where = chapter_bytes(chapter, story, archive, stories_dir, data_dir)
        if raw is None:
            work.warnings.append(f"chapter {chapter.chapid} has no text (looked in {stories_dir})")
            continue
        text, encoding = _decoded(raw)
        encodings.append(encoding)
        title = planned_chapter.title
        if len(planned.chapters) == 1 and title == story.title:
            title = ""  # eFiction names a one-chapter story's chapter after the story
        work.chapters.append(
            Chapter(
                number=number_,
                title=title,
                blocks=story_blocks(text),
                notes=story_blocks(chapter.notes),
                end_notes=story_blocks(chapter.endnotes),
            )
        )
    _add_tags(work, _story_labels(story), tag_mappings)
    sample = " ".join(c.text[:3000] for c in work.chapters[:2])
    work.language = detect_language(sample) if sample.strip() else ""
    site = archive.settings.get("url", "").rstrip("/")
    work.source = SourceInfo(
        format="efiction",
        encoding=max(set(encodings), key=encodings.count) if encodings else "utf-8",
        filename=f"viewstory.php?sid={story.sid}",
        url=f"{site}/viewstory.php?sid={story.sid}" if site.startswith("http") else "",
        site="efiction",
    )
    return work


def _decoded(raw: bytes) -> tuple[str, str]:
    try:
        decoded = decode_bytes(raw)
        return decoded.text, decoded.encoding
    except StoryError:
        return "", "utf-8"


def _add_tags(
    work: ParsedWork, labels: list[str], tag_mappings: dict[str, list[list[str]]]
) -> None:
    for label in labels:
        for tag_type, name in tag_mappings.get(label, []):
            if tag_type == TagType.RATING:
                work.rating = work.rating or name
            elif tag_type in TagType.__members__.values():
                work.add_tag(TagType(tag_type), name)
            else:
                work.warnings.append(
                    f"{label}: unknown tag type {tag_type!r} in the mapping, skipped"
                )


def check_plan(plan: Plan, archive: EfictionArchive) -> None:
    """PlanError, naming the work and the fix, when an edited plan does not fit this dump."""
    for i, work in enumerate(plan.works):
        where = f"works[{i}] ({work.title!r})"
        if not work.key.startswith("efiction:story:") or _known(work.key, archive.stories) is None:
            raise PlanError(
                f"{where}: key {work.key!r} is no story of this dump; keys are efiction:story:ID "
                "as the plan was written (was the plan made from another dump?)"
            )
        for chapter in work.chapters:
            if not chapter.source.startswith("efiction:chapter:") or (
                _known(chapter.source, archive.chapters) is None
            ):
                raise PlanError(
                    f"{where}: chapter {chapter.source!r} is not in this dump; chapter sources "
                    "are efiction:chapter:ID"
                )


def _known(key: str, table: dict):
    try:
        return table.get(key_id(key))
    except ValueError:
        return None
