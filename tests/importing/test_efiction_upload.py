"""An eFiction archive imported from the browser: dump + zipped stories folder -> plan -> apply.

The same hand-written site as tests/importing/test_efiction_import.py (moonlit35.sql and its
stories/), uploaded through the form and run by a real worker pass, as an archivist would.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from ficarchive.archive.models import Work
from ficarchive.importing import worker
from ficarchive.importing.models import ImportJob
from ficarchive.rescue.efiction import read_dump
from tests.importing.conftest import upload_of

pytestmark = pytest.mark.django_db

EFICTION = Path(__file__).resolve().parents[1] / "fixtures" / "efiction"
DUMP, STORIES = EFICTION / "moonlit35.sql", EFICTION / "stories"
DANCING = ("The Dancing Men Revisited", "Little Figures", "The Last Message")


def stories_zip(top: str = "stories/") -> bytes:
    """The stories folder zipped as archivists do: with the folder itself, or its contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(STORIES.rglob("*.txt")):
            archive.write(path, top + path.relative_to(STORIES).as_posix())
    return buffer.getvalue()


def upload(client, dump: bytes, name: str = "moonlit.sql", stories: bytes | None = None):
    fields = {"kind": "efiction", "dump": upload_of(name, dump)}
    if stories is not None:
        fields["stories_zip"] = upload_of("stories.zip", stories)
    response = client.post("/imports/new/", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("id")
    worker.run_pending()
    job.refresh_from_db()
    return job


def apply(client, job: ImportJob) -> ImportJob:
    assert client.post(f"/imports/{job.pk}/apply/").status_code == 302
    worker.run_pending()
    job.refresh_from_db()
    return job


def emails() -> set[str]:
    """Every address the dump holds for its authors: none may reach a page."""
    found = {a.email for a in read_dump(DUMP).authors.values() if a.email}
    assert found  # the fixture has them, or this test proves nothing
    return found


def work_pages(work: Work) -> list[str]:
    return [
        work.get_absolute_url(),
        *(c.get_absolute_url() for c in work.chapters.all()),
        *(reverse("archive:download", args=[work.pk, fmt]) for fmt in ("html", "txt", "epub")),
    ]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    ("dump", "name", "top"),
    [
        (DUMP.read_bytes(), "moonlit.sql", "stories/"),  # the folder zipped with its name
        (gzip.compress(DUMP.read_bytes()), "moonlit.sql.gz", ""),  # only what is in it
    ],
    ids=["sql", "sql.gz"],
)
def test_a_dump_and_its_stories_zip_are_planned_then_imported(archivist_client, dump, name, top):
    job = upload(archivist_client, dump, name, stories_zip(top))
    assert job.status == "planned", job.error
    assert not Work.objects.exists()  # planning writes nothing
    plan = json.loads(job.plan_json)
    assert (plan["kind"], plan["extra"]["dump"], plan["extra"]["data"]) == (
        "efiction",
        "dump.sql",
        None,
    )  # names in the upload, no server path in the file the archivist downloads
    assert str(job.directory) not in job.plan_json
    page = archivist_client.get(job.get_absolute_url()).content.decode()
    assert "The Dancing Men Revisited" in html.unescape(page)
    assert job.progress_total == sum(w["action"] == "import" for w in plan["works"]) == 4

    job = apply(archivist_client, job)
    assert job.status == "done", job.error
    assert (job.progress_done, job.progress_total) == (4, 4)
    dancing = Work.objects.get(title=DANCING[0])
    assert tuple(dancing.chapters.order_by("position").values_list("title", flat=True)) == DANCING
    outcomes = {w["key"]: w["outcome"] for w in json.loads(job.plan_json)["works"]}
    assert outcomes["efiction:story:5"] == outcomes["efiction:story:6"] == "skipped"
    assert f"imported #{dancing.pk}" in outcomes.values()
    assert (
        f"imported #{dancing.pk}" in archivist_client.get(job.get_absolute_url()).content.decode()
    )
    for work in Work.objects.all():
        for url in work_pages(work):
            response = archivist_client.get(url)
            assert response.status_code == 200, url
            body = body_of(response)
            assert not any(email.encode() in body for email in emails()), url


def test_an_edited_plan_cannot_point_at_another_dump_or_folder(archivist_client, tmp_path):
    job = upload(archivist_client, DUMP.read_bytes(), stories=stories_zip())
    plan = json.loads(job.plan_json)
    other = tmp_path / "other.sql"
    other.write_bytes(b"-- not eFiction\nCREATE TABLE t (a int);\n")
    plan["extra"].update(dump=str(other), data="/", stories="/")
    for work in plan["works"][1:]:
        work["action"] = "skip"
    edited = upload_of("plan.json", json.dumps(plan).encode())
    archivist_client.post(f"/imports/{job.pk}/plan/", {"plan": edited})
    job = apply(archivist_client, ImportJob.objects.get(pk=job.pk))
    assert job.status == "done", job.error  # the job's own dump and stories were read
    assert Work.objects.count() == 1
    assert json.loads(job.plan_json)["extra"]["dump"] == "dump.sql"


@pytest.mark.parametrize(
    ("dump", "message"),
    [
        (b"CREATE TABLE `posts` (`id` int);\n", "has no eFiction stories and chapters tables"),
        (
            b"INSERT INTO fanfiction_stories VALUES (1, 'x');\n"
            b"INSERT INTO fanfiction_chapters VALUES (1);\n",
            "a row of fanfiction_stories has 2 values for 21 columns",
        ),
    ],
    ids=["not efiction", "unreadable rows"],
)
def test_a_dump_that_cannot_be_read_fails_the_job_with_the_reason(archivist_client, dump, message):
    job = upload(archivist_client, dump, stories=stories_zip())
    assert job.status == "failed"
    assert job.error.startswith("planning failed: ") and message in job.error
    assert "unexpected error" not in job.error
    response = archivist_client.get(job.get_absolute_url())
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert job.error in page and "Traceback" not in page
    assert not (job.directory / "material").exists()


def test_a_plan_for_stories_not_in_the_dump_fails_when_applied_with_the_reason(
    archivist_client,
):
    job = upload(archivist_client, DUMP.read_bytes(), stories=stories_zip())
    plan = json.loads(job.plan_json)
    plan["works"][0]["key"] = "efiction:story:999"
    edited = upload_of("plan.json", json.dumps(plan).encode())
    archivist_client.post(f"/imports/{job.pk}/plan/", {"plan": edited})
    job = apply(archivist_client, ImportJob.objects.get(pk=job.pk))
    assert job.status == "failed"
    assert job.error.startswith("importing failed: works[0]")
    assert "efiction:story:999" in job.error and "is no story of this dump" in job.error
    assert not Work.objects.exists()
    page = html.unescape(archivist_client.get(job.get_absolute_url()).content.decode())
    assert job.error in page and "Traceback" not in page


def test_plan_then_apply_are_the_two_steps_of_the_command():
    from ficarchive.importing import efiction

    plan = efiction.plan(DUMP, STORIES)
    assert (plan.root, plan.extra["dump"]) == (str(STORIES), str(DUMP))
    assert not Work.objects.exists()
    done = efiction.apply(plan, analyse=False)
    imported = [w for w in done.works if w.outcome.startswith("imported #")]
    assert len(imported) == Work.objects.count() == 4


def test_apply_needs_the_plan_to_name_its_dump():
    from ficarchive.importing import efiction
    from ficarchive.rescue.plan import PlanError

    plan = efiction.plan(DUMP, STORIES)
    del plan.extra["dump"]
    with pytest.raises(PlanError, match="which dump it was made from"):
        efiction.apply(plan, analyse=False)
