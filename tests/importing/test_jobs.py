"""Browser imports in the background: upload -> plan -> review -> apply -> report, on the real queue.

Tasks are queued on the database backend (the default settings) and run by a real
django-tasks-db worker pass (`worker.run_pending`), so nothing here runs the stories in the
request: the request's job is to keep the files and queue a task.
"""

from __future__ import annotations

import html
import io
import json
import threading
import zipfile
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from ficarchive.archive.models import Work
from ficarchive.importing import jobs, rescue, worker
from ficarchive.importing.models import ImportJob
from tests.importing.conftest import FIXTURES, upload_of

TITLES = {"The Lantern Keeper", "The Winter Orchard"}


def upload(client, **fields):
    fields.setdefault("kind", "files")
    response = client.post("/imports/new/", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("id")


def planned(client, uploads):
    job = upload(client, files=uploads)
    worker.run_pending()
    job.refresh_from_db()
    assert job.status == "planned", job.error
    return job


def test_the_request_keeps_the_files_and_queues_a_task_without_reading_them(
    archivist_client, story_uploads, monkeypatch
):
    def never(*args, **kwargs):
        raise AssertionError("the web request parsed a story")

    monkeypatch.setattr("ficarchive.archive.ingest.prepare_file", never)
    monkeypatch.setattr("ficarchive.archive.ingest.parse_story", never)
    job = upload(archivist_client, files=story_uploads)
    assert job.status == "uploaded"
    assert job.label == "lantern.txt + orchard.md"
    assert sorted(p.name for p in (job.directory / "upload" / "story").iterdir()) == [
        "lantern.txt",
        "orchard.md",
    ]
    [queued] = DBTaskResult.objects.all()
    assert queued.status == "READY"
    assert queued.task_path == "ficarchive.importing.jobs.plan_import"
    assert str(queued.id) == job.task_id
    page = archivist_client.get(job.get_absolute_url()).content.decode()
    assert "Uploaded, waiting to be planned" in page
    assert "importing/progress.js" in page and 'http-equiv="refresh"' in page


def test_upload_plan_apply_report(archivist_client, story_uploads):
    job = planned(archivist_client, story_uploads)
    assert job.progress_total == 2
    page = archivist_client.get(job.get_absolute_url()).content.decode()
    for title in TITLES:
        assert title in page
    assert "2 work(s) to import" in page and "Apply: import 2 work(s)" in page
    assert not Work.objects.exists()  # planning writes nothing to the archive

    response = archivist_client.post(f"/imports/{job.pk}/apply/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "applying" and job.progress_done == 0
    assert not Work.objects.exists()  # applying is the worker's, not the request's

    worker.run_pending()
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert (job.progress_done, job.progress_total) == (2, 2)
    assert set(Work.objects.values_list("title", flat=True)) == TITLES
    page = archivist_client.get(job.get_absolute_url()).content.decode()
    assert "The report" in page
    for work in Work.objects.all():
        assert f"imported #{work.pk}" in page
    assert f"imported #{work.pk}" in job.report


def test_a_second_upload_of_the_same_files_is_planned_as_duplicates(
    archivist_client, story_uploads
):
    first = planned(archivist_client, story_uploads)
    archivist_client.post(f"/imports/{first.pk}/apply/")
    worker.run_pending()
    again = planned(archivist_client, [upload_of("lantern.txt"), upload_of("lantern.txt")])
    plan = json.loads(again.plan_json)
    stored = Work.objects.get(title="The Lantern Keeper").pk
    assert [(w["key"], w["action"], w["duplicate_of"]) for w in plan["works"]] == [
        ("lantern.txt", "skip", stored)
    ]
    assert plan["works"][0]["reason"].startswith(f"duplicate of #{stored} 'The Lantern Keeper'")
    # The second copy of the same bytes is not even a planned work: a copy of lantern.txt.
    assert [s["source"] for s in plan["skipped"]] == ["lantern-2.txt"]
    assert again.progress_total == 0


def test_files_that_are_not_stories_are_skipped_with_their_reason(archivist_client):
    job = planned(
        archivist_client,
        [
            upload_of("lantern.txt"),
            upload_of("blank.txt", b"   \n\n   \n"),
            upload_of("style.html", b"<html><head><style>p{}</style></head><body></body></html>"),
        ],
    )
    plan = json.loads(job.plan_json)
    assert [w["title"] for w in plan["works"]] == ["The Lantern Keeper"]
    assert {s["source"] for s in plan["skipped"]} == {"blank.txt", "style.html"}
    assert all(s["reason"] for s in plan["skipped"])
    assert "Not stories (2)" in archivist_client.get(job.get_absolute_url()).content.decode()


def test_a_zip_of_story_files_is_unpacked_in_the_background(archivist_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(FIXTURES / "lantern.txt", "fics/lantern.txt")
        archive.write(FIXTURES / "orchard.md", "fics/deeper/orchard.md")
    job = planned(archivist_client, [upload_of("fics.zip", buffer.getvalue())])
    keys = [w["key"] for w in json.loads(job.plan_json)["works"]]
    assert keys == ["fics/fics/deeper/orchard.md", "fics/fics/lantern.txt"]


def test_the_edited_plan_is_what_gets_applied(archivist_client, story_uploads):
    job = planned(archivist_client, story_uploads)
    download = archivist_client.get(f"/imports/{job.pk}/plan.json")
    assert download["Content-Disposition"] == f'attachment; filename="import-{job.pk}-plan.json"'
    plan = json.loads(download.content)
    assert plan["root"] == "lantern.txt + orchard.md"  # no server path in the file
    by_key = {w["key"]: w for w in plan["works"]}
    by_key["lantern.txt"]["title"] = "The Lamp Keeper"
    by_key["lantern.txt"]["creators"] = ["O. Vance"]
    by_key["orchard.md"]["action"] = "skip"
    edited = upload_of("plan.json", json.dumps(plan).encode())
    response = archivist_client.post(f"/imports/{job.pk}/plan/", {"plan": edited}, follow=True)
    assert "The edited plan replaces the proposed one." in response.content.decode()
    job.refresh_from_db()
    assert job.progress_total == 1
    assert "'The Lamp Keeper' by O. Vance" in job.report

    archivist_client.post(f"/imports/{job.pk}/apply/")
    worker.run_pending()
    work = Work.objects.get()
    assert work.title == "The Lamp Keeper"
    assert [p.name for p in work.pseuds.all()] == ["O. Vance"]
    outcomes = {
        w["key"]: w["outcome"] for w in json.loads(ImportJob.objects.get().plan_json)["works"]
    }
    assert outcomes == {"lantern.txt": f"imported #{work.pk}", "orchard.md": "skipped"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p["works"][0]["chapters"][0].update(source="../../secret_key"), "not a file of"),
        (lambda p: p["works"][0]["chapters"][0].update(source="/etc/passwd"), "not a file of"),
        (lambda p: p["works"][0]["chapters"][0].update(source="a/../../key"), "not a file of"),
        (lambda p: p["works"][0]["chapters"][0].update(source="nope.txt"), "is not a file of"),
        (lambda p: p.update(kind="site"), "for a 'site' import"),
        (lambda p: p["works"][0].update(action="merge"), "action must be one of"),
        (lambda p: p.pop("works"), "'works' is missing"),
    ],
)
def test_an_edited_plan_that_cannot_be_applied_is_refused_with_a_message(
    archivist_client, story_uploads, change, message
):
    job = planned(archivist_client, story_uploads)
    before = job.plan_json
    plan = json.loads(before)
    change(plan)
    edited = upload_of("plan.json", json.dumps(plan).encode())
    response = archivist_client.post(f"/imports/{job.pk}/plan/", {"plan": edited}, follow=True)
    page = html.unescape(response.content.decode())
    assert "The edited plan was not taken" in page
    assert message in page
    job.refresh_from_db()
    assert job.plan_json == before


def test_a_plan_that_is_not_json_is_refused(archivist_client, story_uploads):
    job = planned(archivist_client, story_uploads)
    edited = upload_of("plan.json", b"\xff\xfe not json")
    response = archivist_client.post(f"/imports/{job.pk}/plan/", {"plan": edited}, follow=True)
    assert "UTF-8" in response.content.decode()


def test_apply_twice_queues_one_task(archivist_client, story_uploads):
    job = planned(archivist_client, story_uploads)
    archivist_client.post(f"/imports/{job.pk}/apply/")
    response = archivist_client.post(f"/imports/{job.pk}/apply/", follow=True)
    assert "cannot be applied now" in response.content.decode()
    assert DBTaskResult.objects.filter(task_path__endswith="apply_import").count() == 1


def test_a_bug_in_the_task_fails_the_job_with_a_message_and_no_traceback(
    archivist_client, story_uploads, monkeypatch
):
    def broken(job_dir, kind):
        raise KeyError("/srv/secret/path")

    monkeypatch.setattr(rescue, "make_plan", broken)
    job = upload(archivist_client, files=story_uploads)
    worker.run_pending()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == (
        "planning failed with an unexpected error (KeyError); the server log has the details. "
        "Please report it."
    )
    page = archivist_client.get(job.get_absolute_url()).content.decode()
    assert job.error in page
    assert "Traceback" not in page and "/srv/secret" not in page
    [result] = DBTaskResult.objects.all()
    assert result.status == "FAILED" and "KeyError" in result.traceback  # kept for the admin


def test_a_saved_site_zip_is_planned_and_imported_as_its_stories(archivist_client):
    site = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "personal1999"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(site.rglob("*")):
            if path.is_file():
                archive.write(path, f"personal1999/{path.relative_to(site).as_posix()}")
    job = upload(archivist_client, kind="site", site_zip=upload_of("site.zip", buffer.getvalue()))
    worker.run_pending()
    job.refresh_from_db()
    assert job.status == "planned", job.error
    page = archivist_client.get(job.get_absolute_url()).content.decode()
    assert "personal1999/guestbook.html" in page and "guestbook" in page
    assert str(job.directory) not in page  # the server's folders are not shown

    archivist_client.post(f"/imports/{job.pk}/apply/")
    worker.run_pending()
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert sorted(Work.objects.values_list("title", flat=True)) == [
        "Owl Post",
        "Salt",
        "The Lamp Room",
    ]
    assert Work.objects.get(title="Salt").chapters.count() == 3


def test_a_bad_file_fails_alone_when_applying(archivist_client, story_uploads):
    job = planned(archivist_client, story_uploads)
    (job.directory / "material" / "orchard.md").write_bytes(b"")  # damaged after planning
    archivist_client.post(f"/imports/{job.pk}/apply/")
    worker.run_pending()
    job.refresh_from_db()
    assert job.status == "done"
    outcomes = {w["key"]: w["outcome"] for w in json.loads(job.plan_json)["works"]}
    assert outcomes["lantern.txt"].startswith("imported #")
    assert outcomes["orchard.md"].startswith("failed: ")
    assert Work.objects.count() == 1


def test_a_task_delivered_twice_does_its_work_once(archivist_client, story_uploads):
    job = planned(archivist_client, story_uploads)
    assert jobs.plan_import.call(job.pk) == "not waiting to be planned"
    assert jobs.apply_import.call(job.pk) == "not waiting to be applied"
    job.refresh_from_db()
    assert job.status == "planned"


def test_the_status_json_follows_the_job(archivist_client, story_uploads):
    job = upload(archivist_client, files=story_uploads)
    url = f"/imports/{job.pk}/status.json"
    response = archivist_client.get(url)
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "id": job.pk,
        "status": "uploaded",
        "status_label": "Uploaded, waiting to be planned",
        "active": True,
        "done": 0,
        "total": 0,
        "percent": 0,
        "error": "",
        "url": f"/imports/{job.pk}/",
    }
    worker.run_pending()
    archivist_client.post(f"/imports/{job.pk}/apply/")
    ImportJob.objects.filter(pk=job.pk).update(progress_done=1)  # as the task records it
    state = archivist_client.get(url).json()
    assert (state["status"], state["active"], state["done"], state["total"], state["percent"]) == (
        "applying",
        True,
        1,
        2,
        50,
    )
    worker.run_pending()
    state = archivist_client.get(url).json()
    assert (state["status"], state["active"], state["percent"]) == ("done", False, 100)


def test_progress_is_written_at_most_twice_a_second_and_always_at_the_end(archivist, monkeypatch):
    job = ImportJob.objects.create(created_by=archivist, kind="files", label="x")
    writes = []
    monkeypatch.setattr(jobs.actions, "record_progress", lambda *args: writes.append(args))
    now = [100.0]
    progress = jobs.ProgressRecorder(job.pk, clock=lambda: now[0])
    for done in range(5):
        progress(done, 4)
        now[0] += 0.2
    assert writes == [(job.pk, 0, 4), (job.pk, 3, 4), (job.pk, 4, 4)]


def test_the_jobs_page_lists_imports(archivist_client, story_uploads):
    job = planned(archivist_client, story_uploads)
    page = archivist_client.get("/imports/").content.decode()
    assert f'href="/imports/{job.pk}/"' in page
    assert "lantern.txt + orchard.md" in page and "Planned, waiting for review" in page


def test_deleting_a_job_removes_its_files_not_its_works(archivist_client, story_uploads):
    job = planned(archivist_client, story_uploads)
    archivist_client.post(f"/imports/{job.pk}/apply/")
    worker.run_pending()
    directory = job.directory
    assert directory.is_dir()
    archivist_client.post(f"/imports/{job.pk}/delete/")
    assert not ImportJob.objects.exists() and not directory.exists()
    assert Work.objects.count() == 2


def test_the_worker_command_runs_queued_jobs(archivist_client, story_uploads):
    from ficarchive.cli import main

    job = upload(archivist_client, files=story_uploads)
    assert main(["worker", "--batch"]) == 0
    job.refresh_from_db()
    assert job.status == "planned"


@pytest.mark.django_db(transaction=True)
def test_the_in_process_worker_thread_runs_jobs_as_serve_does(client, story_uploads):
    from django_tasks.signals import task_finished

    from tests.personas import PASSWORD, make_user

    user = make_user("archie", staff=True)
    client.login(username=user.username, password=PASSWORD)
    job = upload(client, files=story_uploads)
    finished = threading.Event()

    def on_finished(**kwargs):
        finished.set()

    # Wait for the thread's signal, not by polling: the test database is SQLite in memory, whose
    # shared cache locks whole tables between threads (a file database in WAL mode does not).
    task_finished.connect(on_finished, weak=False)
    thread = worker.start_in_process(interval=0.05)
    try:
        assert finished.wait(timeout=60), "the worker thread ran no task"
    finally:
        thread.stop(timeout=10)
        task_finished.disconnect(on_finished)
    assert not thread.thread.is_alive()
    job.refresh_from_db()
    assert job.status == "planned", job.error
