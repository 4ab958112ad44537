"""The `ficarchive` command: inspect, import, analyse, serve, and Django's management commands."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger("ficarchive.import")


def _setup_django(data: str | None) -> None:
    if data:
        os.environ["FICARCHIVE_DATA"] = data
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def cmd_inspect(args: argparse.Namespace) -> int:
    """Parse one file without touching the database (no Django set-up on this path)."""
    from ficarchive.text import StoryError, parse_story
    from ficarchive.text.inspect import work_to_dict

    path = Path(args.file)
    try:
        work = parse_story(path.read_bytes(), path.name)
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    except StoryError as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 1
    data = work_to_dict(work)
    if not args.no_analysis:
        from ficarchive.analysis.analyse import analyse_work
        from ficarchive.analysis.export import analysis_to_dict

        data.update(analysis_to_dict(analyse_work(work)))
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    creators = ", ".join(c["name"] for c in data["creators"]) or "(no creator given)"
    title = data["title"] + (" (title missing)" if data["title_missing"] else "")
    print(f"{title}\n  by {creators}")
    print(
        f"  format {data['source']['format']}, encoding {data['source']['encoding']}, language {data['language']}"
    )
    state = {True: "complete", False: "to be continued", None: "end state unknown"}[
        data["complete"]
    ]
    print(
        f"  {data['word_count']} words, {len(data['chapters'])} chapter(s), {state}, rating {data['rating'] or '-'}"
    )
    for kind, names in data["tags"].items():
        print(f"  {kind}: {', '.join(names)}")
    for chapter in data["chapters"]:
        epigraph = " (with epigraph)" if chapter["epigraph"] else ""
        print(
            f"  {chapter['number']:>3}. {chapter['title'] or '-'} — {chapter['word_count']} words{epigraph}"
        )
    if data.get("not_analysed"):
        print(f"  analysis: not run: {data['not_analysed']}")
    elif "characters" in data:
        print(
            f"  narration: {data['pov'] or '?'} person, {data['tense'] or '?'} tense; dialogue {data['dialogue_share']:.0%}"
        )
        cast = ", ".join(f"{c['name']} ({c['mentions']})" for c in data["characters"][:12])
        print(f"  characters (suggested): {cast or '-'}")
    for warning in data["warnings"]:
        print(f"  note: {warning}")
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    """A story file straight to a download (EPUB, HTML, TXT), without a database."""
    from ficarchive import config
    from ficarchive.formats import render_work
    from ficarchive.formats.filenames import download_filename
    from ficarchive.text import StoryError, parse_story

    path = Path(args.file)
    cap = int(config.env_number("FICARCHIVE_MAX_FILE_MB", 20) * 1024 * 1024)
    try:
        if path.stat().st_size > cap:
            print(
                f"error: {path} is over the {cap // 2**20} MB cap (FICARCHIVE_MAX_FILE_MB)",
                file=sys.stderr,
            )
            return 1
        work = parse_story(path.read_bytes(), path.name)
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    except StoryError as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 1
    name = download_filename(work.title, [c.name for c in work.creators], args.to)
    out = Path(args.output) if args.output else Path(name)
    if out.is_dir():
        out = out / name
    try:
        out.write_bytes(render_work(work, args.to))
    except OSError as exc:
        print(f"error: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return 1
    chapters = len(work.chapters)
    print(f"{out}: {work.title}, {chapters} chapter{'s' if chapters != 1 else ''}, {args.to}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import files, folders or a saved site (or only plan it, or apply an edited plan)."""
    if not (args.paths or args.apply or args.update):
        print(
            "error: give files or folders to import, --apply PLAN or --update FILE", file=sys.stderr
        )
        return 2
    _setup_django(args.data)
    _migrate()
    if args.update:
        return _import_update(args)
    from ficarchive.importing import folder
    from ficarchive.importing.batch import progress_bar
    from ficarchive.rescue.plan import PlanError

    options = {"workers": args.workers}
    try:
        with progress_bar(sys.stderr.isatty(), "planning" if args.plan else "importing") as bar:
            if args.plan:
                plan = folder.plan_folder(args.paths, progress=bar, **options)
            elif args.apply:
                plan = folder.read_plan(args.apply)
                folder.apply_plan(plan, analyse=not args.no_analysis, progress=bar, **options)
            else:
                plan = folder.run(args.paths, analyse=not args.no_analysis, progress=bar, **options)
    except folder.Interrupted as stopped:
        print(stopped.plan.report(), end="")
        print(folder.summary(stopped.plan))
        print("interrupted: works marked 'not done' were not imported; run the import again")
        return 130
    except (PlanError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(plan.report(), end="")
    if args.plan:
        Path(args.plan).write_text(plan.to_json(), encoding="utf-8")
        print(f"plan written to {args.plan}; nothing was imported. Edit it, then --apply it.")
        return 0
    print(folder.summary(plan))
    failed = any(w.outcome.startswith("failed") for w in plan.works)
    return 1 if failed or any(s.kind == "unreadable" for s in plan.skipped) else 0


def _import_update(args: argparse.Namespace) -> int:
    """`import --update FILE [--work ID]`: a newer version of a stored work, updated in place."""
    from ficarchive.archive.models import Work
    from ficarchive.importing.versions import VersionError, update_from_file

    work = None
    if args.work is not None:
        work = Work.all_objects.filter(pk=args.work).first()
        if work is None:
            print(f"error: there is no work #{args.work}", file=sys.stderr)
            return 1
    try:
        _, result = update_from_file(args.update, work=work, analyse=not args.no_analysis)
    except VersionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"updated {result.summary()}")
    return 0


def cmd_import_efiction(args: argparse.Namespace) -> int:
    """Plan or import an eFiction 3.x archive from its MySQL dump and chapter files."""
    _setup_django(args.data)
    _migrate()
    from ficarchive.importing.efiction import run
    from ficarchive.rescue.efiction_dump import DumpError
    from ficarchive.rescue.plan import PlanError

    try:
        plan = run(
            Path(args.dump), Path(args.stories), args.site,
            plan_out=args.plan, plan_in=args.apply, analyse=not args.no_analysis,
        )  # fmt: skip
    except (DumpError, PlanError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(plan.report(), end="")
    if args.plan:
        print(f"plan written to {args.plan}; nothing was imported. Edit it, then --apply it.")
        return 0
    return 1 if any(w.outcome.startswith("failed") for w in plan.works) else 0


def cmd_analyse(args: argparse.Namespace) -> int:
    """Run the analysis again over stored works: new pending suggestions, decisions kept."""
    if args.all == bool(args.work_ids):
        print("error: give either work ids (as in /works/ID/) or --all", file=sys.stderr)
        return 2
    _setup_django(args.data)
    _migrate()
    from ficarchive.archive import actions
    from ficarchive.archive.models import Work

    works = Work.all_objects.order_by("pk")  # hidden works are analysed too
    if not args.all:
        works = works.filter(pk__in=args.work_ids)
        missing = sorted(set(args.work_ids) - set(works.values_list("pk", flat=True)))
    else:
        missing = []
    analysed = pending = 0
    failed = []
    for work in works.iterator():
        try:
            pending += len(actions.reanalyse_work(work))
            analysed += 1
        except Exception as exc:  # one work's failure must not stop the others
            log.exception("analysing work %s failed", work.pk)
            failed.append((work, f"{type(exc).__name__}: {exc}"))
    print(f"analysed {analysed} work(s); {pending} suggestion(s) now await review")
    for work_id in missing:
        print(f"  no such work: {work_id}")
    for work, reason in failed:
        print(f"  failed: work {work.pk} ({work.title}): {reason}")
    return 1 if missing or failed else 0


def cmd_reindex(args: argparse.Namespace) -> int:
    """Rebuild the search index from the database."""
    _setup_django(args.data)
    _migrate()
    from django.conf import settings
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from ficarchive.archive.models import Work
    from ficarchive.search import indexing

    columns = [BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    console = Console(stderr=True)
    with Progress(
        *columns, console=console, disable=not sys.stderr.isatty(), transient=True
    ) as bar:
        task = bar.add_task("", total=Work.objects.count())
        done = indexing.reindex(progress=lambda n: bar.advance(task, n))
    print(f"indexed {done} work(s) with the {settings.SEARCH_BACKEND} search backend")
    return 0


def cmd_gen_corpus(args: argparse.Namespace) -> int:
    """Write a synthetic corpus for benchmarks (no database)."""
    from ficarchive.synthetic import generate_corpus

    stats = generate_corpus(Path(args.out), args.works, seed=args.seed, processes=args.processes)
    print(stats)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django(args.data)
    _migrate()
    from ficarchive.search import indexing

    if args.examples:
        from ficarchive.importing.batch import load_examples

        count = load_examples()
        if count:
            print(f"loaded {count} example works into the empty archive")
    indexing.ready()  # build or repair the search index now, not on the first search
    from django.conf import settings
    from waitress import serve

    from ficarchive.wsgi import application

    if args.host not in ("127.0.0.1", "localhost", "::1") and "*" not in settings.ALLOWED_HOSTS:
        print(
            f"note: the site answers only to {', '.join(settings.ALLOWED_HOSTS)}; set "
            "FICARCHIVE_ALLOWED_HOSTS to the names other machines use to reach it",
            flush=True,
        )
    if settings.TASK_WORKER == "inprocess":
        from ficarchive.importing import worker

        worker.start_in_process()
        print("background jobs (browser imports) run in this process", flush=True)
    else:
        print("background jobs run in `ficarchive worker` processes (FICARCHIVE_WORKER=external)")
    print(f"ficarchive serving on http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    serve(application, host=args.host, port=args.port, threads=8, ident="ficarchive")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Run queued background jobs (browser imports) until stopped, or once with --batch."""
    _setup_django(args.data)
    _migrate()
    from ficarchive.importing import worker

    if args.batch:
        worker.run_pending()
        return 0
    print("ficarchive worker running queued jobs (Ctrl-C to stop)", flush=True)
    runner = worker.make_worker(interval=args.interval)
    runner.configure_signals()  # Ctrl-C lets the running job finish; a second one stops it
    runner.run()
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django(args.data)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ficarchive manage", *args.args])
    return 0


def cmd_api_token(args: argparse.Namespace) -> int:
    """Create, list or revoke a user's API tokens (the JSON API's write half needs one)."""
    _setup_django(args.data)
    _migrate()
    from ficarchive.api import tokens
    from ficarchive.api.models import ApiToken

    try:
        if args.action == "create":
            row, token = tokens.create_token_for(args.target, args.name)
            print(f"API token {row.pk} for {row.user.get_username()} ({row.name}):\n{token}")
            print("Shown once: store it now. Send it as `Authorization: Bearer <token>`.")
        elif args.action == "revoke":
            row = tokens.revoke_token(int(args.target))
            print(f"revoked API token {row.pk} ({row.prefix}…, {row.name}) of {row.user}")
        else:
            rows = ApiToken.objects.select_related("user").order_by("id")
            if args.target:
                rows = rows.filter(user__username=args.target)
            for row in rows:
                state = "revoked" if row.revoked_at else "active"
                used = (
                    row.last_used_at.isoformat(timespec="minutes") if row.last_used_at else "never"
                )
                print(f"{row.pk}\t{row.user}\t{row.prefix}…\t{row.name}\t{state}\tlast used {used}")
    except (LookupError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the whole archive as a dump (format in ficarchive/archive/dump.py and the README)."""
    _setup_django(args.data)
    _migrate()
    from ficarchive.archive.dump import DumpError, export_archive

    try:
        summary = export_archive(Path(args.dir))
    except (DumpError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    rows = sum(summary.counts.values())
    print(f"exported {summary.works} work(s), {rows} row(s) in all, to {summary.path}")
    return 0


def cmd_import_dump(args: argparse.Namespace) -> int:
    """Restore a dump into an empty archive; a bad dump or a non-empty archive changes nothing."""
    _setup_django(args.data)
    _migrate()
    from ficarchive.archive.dump import DumpError, import_dump

    try:
        summary = import_dump(Path(args.dir))
    except (DumpError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was imported", file=sys.stderr)
        return 1
    rows = sum(summary.counts.values())
    print(f"imported {summary.works} work(s), {rows} row(s) in all, from {summary.path}")
    return 0


def _settings_epilog() -> str:
    from ficarchive.config import SETTINGS_HELP

    lines = [f"  {name:<26} {text}" for name, text in SETTINGS_HELP.items()]
    return "environment variables:\n" + "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ficarchive",
        description="A self-hosted fan fiction archive: import story files, then read them in a browser.",
        epilog=_settings_epilog()
        + "\n\nStart with `ficarchive import FOLDER`, then `ficarchive serve`.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, details: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=summary,
            description=f"{summary[0].upper()}{summary[1:]}. {details}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    p = command(
        "inspect",
        "parse one story file and show what would be stored (no database)",
        "Nothing is written. Exit status 1 with the reason when the file cannot be a work.",
    )
    p.add_argument("file", help="a .txt, .md or .html story file")
    p.add_argument(
        "--json", action="store_true", help="print one JSON object (fields in the README)"
    )
    p.add_argument(
        "--no-analysis", action="store_true", help="parse only: no characters, quotes, POV or tense"
    )
    p.set_defaults(func=cmd_inspect)

    p = command(
        "convert",
        "convert one story file to EPUB, HTML or plain text (no database)",
        "Reads any file `import` reads (text, Markdown, HTML, AO3 downloads, EPUB) and writes "
        "the same file a work's Download menu gives. Exit status 1 with the reason when the "
        "file cannot be a work.",
    )
    p.add_argument("file", help="a story file (.txt, .md, .html, .epub)")
    p.add_argument("--to", required=True, choices=["epub", "html", "txt"], help="output format")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output file, or a folder for `Title - Creator.EXT` (default: that name here)",
    )
    p.set_defaults(func=cmd_convert)

    data_help = "data directory (default: FICARCHIVE_DATA, else ./data)"
    p = command(
        "import",
        "import story files, folders or a saved web site into the archive",
        "The material is planned first: which files are stories (index pages, guestbooks, "
        "stylesheets, README and sidecar files are skipped with their reason), which pages are "
        "chapters of one work, the site's repeated boilerplate, and which works are already in "
        "the archive (skipped) or newer versions of stored works (updated in place). Dotfiles "
        "are never read. Each work is stored atomically; the plan is printed at the end with "
        "each work's outcome. Exit status 1 when any work or file failed.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files, folders or a saved site")
    p.add_argument(
        "--plan",
        metavar="FILE",
        help="write the plan as JSON to FILE and print it; import nothing",
    )
    p.add_argument(
        "--apply", metavar="FILE", help="import what an (edited) plan file says, and only that"
    )
    p.add_argument(
        "--update",
        metavar="FILE",
        help="FILE is a newer version of a stored work: update that work in place",
    )
    p.add_argument(
        "--work", type=int, metavar="ID", help="with --update: the work to update (else found)"
    )
    p.add_argument("--data", metavar="DIR", help=data_help)
    p.add_argument(
        "--no-analysis",
        action="store_true",
        help="store the works only: no cast list, narration or suggested tags",
    )
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes that read, parse and analyse (default: one per core)",
    )
    p.set_defaults(func=cmd_import)

    p = command(
        "import-efiction",
        "import a whole eFiction 3.x archive from its MySQL dump and chapter files",
        "Reads the dump directly (no MySQL server) and the chapter files (stories/<uid>/<chapid>.txt, "
        "or the text in the dump). Every validated story becomes one work with its chapters, "
        "creators and coauthors (emails kept as private contacts only), rating, tags, series "
        "and reviews as comments. --plan writes what would happen and imports nothing; edit it "
        "(tag mappings, works to skip) and give it back with --apply.",
    )
    p.add_argument(
        "dump", metavar="DUMP.sql", help="the site's MySQL dump (mysqldump or eFiction backup)"
    )
    p.add_argument("--stories", required=True, metavar="DIR", help="the site's stories/ folder")
    p.add_argument(
        "--site", metavar="DIR", help="the site's own folder, searched for chapter files too"
    )
    p.add_argument(
        "--plan", metavar="FILE", help="write the plan (JSON) to FILE and import nothing"
    )
    p.add_argument("--apply", metavar="FILE", help="import what this (edited) plan says")
    p.add_argument("--data", metavar="DIR", help=data_help)
    p.add_argument(
        "--no-analysis", action="store_true", help="store the works only: no suggested tags"
    )
    p.set_defaults(func=cmd_import_efiction)

    p = command(
        "analyse",
        "run the analysis again over works already in the archive",
        "Stores each work's cast, narration and reading time again and replaces its pending "
        "suggested tags; accepted and rejected suggestions and the creator's tags stay as they "
        "are. Exit status 1 when a work is missing or failed.",
    )
    p.add_argument("work_ids", nargs="*", type=int, metavar="WORK_ID", help="works by id")
    p.add_argument("--all", action="store_true", help="every work in the archive")
    p.add_argument("--data", metavar="DIR", help=data_help)
    p.set_defaults(func=cmd_analyse)

    p = command(
        "reindex",
        "rebuild the search index from the database",
        "Only needed after restoring a backup or when the index folder was lost: every save is "
        "indexed when it commits, and anything left queued by a crash is indexed by the next "
        "search.",
    )
    p.add_argument("--data", metavar="DIR", help=data_help)
    p.set_defaults(func=cmd_reindex)

    p = command(
        "gen-corpus",
        "write a synthetic corpus of AO3-style HTML works for benchmarks",
        "Deterministic for a given seed: Zipfian vocabulary and tags, log-normal lengths "
        "(median about 3,000 words), multi-chapter works, dates and counts (counts.jsonl). "
        "Import it with `ficarchive import DIR`.",
    )
    p.add_argument("--works", type=int, required=True, metavar="N", help="how many works")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write (created)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument(
        "--processes", type=int, default=1, help="worker processes (same output; default 1)"
    )
    p.set_defaults(func=cmd_gen_corpus)

    p = command(
        "serve",
        "migrate the database and serve the reading site",
        "Serves with waitress until Ctrl-C; static files are served by the application itself.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--data", metavar="DIR", help=data_help)
    p.add_argument(
        "--examples",
        action="store_true",
        help="load the bundled example works into an empty archive",
    )
    p.set_defaults(func=cmd_serve)

    p = command(
        "worker",
        "run background jobs (browser imports) from the queue in the database",
        "`ficarchive serve` runs them itself unless FICARCHIVE_WORKER=external; start one or "
        "more workers, on any host sharing the database, for that. Ctrl-C lets the running job "
        "finish first.",
    )
    p.add_argument("--data", metavar="DIR", help=data_help)
    p.add_argument(
        "--batch", action="store_true", help="run the jobs queued now, then exit (for cron)"
    )
    p.add_argument(
        "--interval",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="how often an idle worker looks for new jobs (default 1)",
    )
    p.set_defaults(func=cmd_worker)

    p = command(
        "api-token",
        "create, list or revoke a user's API tokens",
        "`create USERNAME [--name NAME]` prints a new token once (only its hash is stored); "
        "`list [USERNAME]` shows tokens by id; `revoke TOKEN_ID` ends one.",
    )
    p.add_argument("action", choices=["create", "list", "revoke"])
    p.add_argument("target", nargs="?", default="", metavar="USERNAME|TOKEN_ID")
    p.add_argument("--name", default="API token", help="what the token is for")
    p.add_argument("--data", metavar="DIR", help=data_help)
    p.set_defaults(func=cmd_api_token)

    p = command(
        "export",
        "write the whole archive to a folder as a portable, versioned dump",
        "JSON Lines per model (works, chapters, tags, creators, users without their passwords, "
        "…), chapter bodies as files, and a manifest with the format version and checksums. "
        "The folder must be new or empty. Restore it with `ficarchive import-dump`.",
    )
    p.add_argument("dir", metavar="DIR", help="the folder to write (created)")
    p.add_argument("--data", metavar="DIR", help=data_help)
    p.set_defaults(func=cmd_export)

    p = command(
        "import-dump",
        "restore a dump written by `ficarchive export` into an empty archive",
        "SQLite or PostgreSQL, with the same ids. The whole dump is checked first; a damaged "
        "dump or an archive that is not empty is refused and nothing is written.",
    )
    p.add_argument("dir", metavar="DIR", help="the folder `ficarchive export` wrote")
    p.add_argument("--data", metavar="DIR", help=data_help)
    p.set_defaults(func=cmd_import_dump)

    p = command(
        "manage",
        "run a Django management command",
        "For example `ficarchive manage createsuperuser` or `ficarchive manage shell`; "
        "`ficarchive manage help` lists them. Put --data before the command.",
    )
    p.add_argument("--data", metavar="DIR", help=data_help)
    p.add_argument(
        "args",
        nargs=argparse.REMAINDER,
        metavar="COMMAND ...",
        help="the command and its arguments",
    )
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        return args.func(args)
    except ImproperlyConfigured as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
