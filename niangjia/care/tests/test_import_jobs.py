"""An import whose process died is marked failed after the heartbeat timeout and can be run again
(issue #11 §5: it showed "正在保存 40000/40000" forever)."""

from __future__ import annotations

import datetime
import threading
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from niangjia.care import services, tasks
from niangjia.care.models import Distribution, ImportJob
from niangjia.care.tests.test_import_limits import good_rows
from niangjia.care.tests.test_imports import run, xlsx
from niangjia.orgs.models import Person

NOW = datetime.datetime(2026, 1, 10, 2, 0, tzinfo=datetime.UTC)


def stuck_job(
    care, *, status=ImportJob.Status.SAVING, rows=3, heartbeat_at=NOW, seed=11
) -> ImportJob:
    """A job as a killed worker leaves it: running, progress full, its file stored."""
    return ImportJob.objects.create(
        campaign=care.campaign,
        org=care.campaign.org,
        file=SimpleUploadedFile("list.xlsx", xlsx(good_rows(rows, seed=seed))),
        filename="list.xlsx",
        created_by=care.officer,
        status=status,
        total=rows,
        processed=rows,
        attempts=1,
        heartbeat_at=heartbeat_at,
    )


def after_timeout(seconds: int = 1):
    return time_machine.travel(
        NOW + datetime.timedelta(seconds=settings.IMPORT_STALE_AFTER_SECONDS + seconds), tick=False
    )


def test_import_job_whose_process_died_is_marked_failed_after_the_heartbeat_timeout(client, care):
    job = stuck_job(care)
    client.force_login(care.officer)
    with time_machine.travel(NOW + datetime.timedelta(seconds=60), tick=False):
        page = client.get(f"/staff/care/imports/{job.pk}/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SAVING  # a minute of silence is not death
    assert "重新运行" not in page.text
    with after_timeout():
        page = client.get(f"/staff/care/imports/{job.pk}/")
        partial = client.get(f"/staff/care/imports/{job.pk}/", HTTP_HX_REQUEST="true")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "导入进程已中断" in job.errors[0]["message"]
    assert "未保存任何数据" in job.errors[0]["message"]
    for response in (page, partial):
        assert response.status_code == 200
        assert 'id="import-rerun"' in response.text
        assert "hx-trigger" not in response.text  # polling stops
    assert not Distribution.objects.exists()


def test_stale_imports_are_failed_by_the_periodic_task(care):
    dead = stuck_job(care)
    never_beat = stuck_job(care, status=ImportJob.Status.VALIDATING, heartbeat_at=None)
    ImportJob.objects.filter(pk=never_beat.pk).update(updated_at=NOW)
    pending = stuck_job(care, status=ImportJob.Status.PENDING, heartbeat_at=None)
    with after_timeout():
        alive = stuck_job(care, heartbeat_at=timezone.now() - datetime.timedelta(seconds=30))
        assert tasks.expire_stale_imports() == 2
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == statuses[never_beat.pk] == ImportJob.Status.FAILED
    assert statuses[alive.pk] == ImportJob.Status.SAVING
    assert statuses[pending.pk] == ImportJob.Status.PENDING  # waiting in the queue is not death
    schedule = settings.CELERY_BEAT_SCHEDULE["stale-imports"]
    assert schedule["task"] == "niangjia.care.tasks.expire_stale_imports"


def test_import_job_rerun_saves_every_row_of_the_stored_file(client, care):
    job = stuck_job(care, rows=4)
    with after_timeout():
        services.import_jobs_expire_stale()
    client.force_login(care.officer)
    response = client.post(f"/staff/care/imports/{job.pk}/rerun/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.created_count == 4 and job.processed == 4 and job.total == 4
    assert job.attempts == 2 and job.rerun_by == care.officer
    assert Distribution.objects.filter(campaign=care.campaign).count() == 4
    care.campaign.refresh_from_db()
    assert care.campaign.spent_amount == 1200


def test_import_job_rerun_after_a_run_that_did_finish_saves_nothing_twice(client, care):
    # the worker was slow, not dead: it was marked failed, then finished its save after all
    job = run(client, care, xlsx(good_rows(3)))
    assert job.status == ImportJob.Status.DONE
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED)
    people = Person.objects.count()
    response = client.post(f"/staff/care/imports/{job.pk}/rerun/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert all("已在本活动中领取过" in e["message"] for e in job.errors)
    assert Distribution.objects.filter(campaign=care.campaign).count() == 3
    assert Person.objects.count() == people
    care.campaign.refresh_from_db()
    assert care.campaign.spent_amount == 900


@pytest.mark.parametrize(
    "status",
    [
        ImportJob.Status.DONE,
        ImportJob.Status.INVALID,
        ImportJob.Status.PENDING,
        ImportJob.Status.VALIDATING,
        ImportJob.Status.SAVING,
    ],
)
def test_import_job_rerun_is_refused_unless_the_job_failed(client, care, status):
    job = stuck_job(care, status=status, heartbeat_at=timezone.now())
    before = ImportJob.objects.filter(pk=job.pk).values().get()
    client.force_login(care.officer)
    response = client.post(f"/staff/care/imports/{job.pk}/rerun/", follow=True)
    assert response.status_code == 200
    assert "只有“导入失败”的任务可以重新运行" in response.text
    assert ImportJob.objects.filter(pk=job.pk).values().get() == before
    assert not Distribution.objects.exists()


def test_import_job_rerun_outside_scope_changes_nothing(client, care):
    job = stuck_job(care, status=ImportJob.Status.FAILED)
    before = ImportJob.objects.filter(pk=job.pk).values().get()
    for user in ("outsider", "worker"):
        client.force_login(care.world.users[user])
        response = client.post(f"/staff/care/imports/{job.pk}/rerun/")
        assert response.status_code in (403, 404)
        api = client.post(f"/api/v1/care/imports/{job.pk}/rerun/")
        assert api.status_code in (403, 404)
    assert ImportJob.objects.filter(pk=job.pk).values().get() == before
    assert not Distribution.objects.exists()


def test_a_redelivered_task_does_not_run_a_running_job_again(care):
    job = stuck_job(care, status=ImportJob.Status.VALIDATING, heartbeat_at=timezone.now())
    assert tasks.run_import(job.pk) == ImportJob.Status.VALIDATING
    job.refresh_from_db()
    assert job.attempts == 1 and job.processed == 3
    assert not Distribution.objects.exists()


def test_a_run_given_up_on_cannot_overwrite_the_newer_run(care):
    job = stuck_job(care)
    old_run = ImportJob.objects.get(pk=job.pk)  # attempts == 1
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING, attempts=2)
    tasks._set(old_run, status=ImportJob.Status.DONE, created_count=99)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATING and job.created_count == 0


def test_heartbeat_is_written_while_a_job_runs(care):
    job = stuck_job(care, heartbeat_at=NOW)
    beat = tasks.Heartbeat(job, interval=60)
    with time_machine.travel(NOW + datetime.timedelta(minutes=3), tick=False):
        beat.beat()
    job.refresh_from_db()
    assert job.heartbeat_at == NOW + datetime.timedelta(minutes=3)
    # the thread beats every interval and stops with the job
    beaten = threading.Event()
    with (
        mock.patch.object(tasks.Heartbeat, "beat", side_effect=lambda: beaten.set()),
        tasks.Heartbeat(job, interval=0.01) as running,
    ):
        assert beaten.wait(5)
    assert not running._thread.is_alive()


def test_a_task_that_could_not_be_queued_leaves_a_failed_job_that_can_be_rerun(client, care):
    client.force_login(care.officer)
    with mock.patch.object(tasks.run_import, "delay", side_effect=ConnectionError("broker")):
        job = run(client, care, xlsx(good_rows(2)))
    assert job.status == ImportJob.Status.FAILED
    assert "未能启动" in job.errors[0]["message"]
    client.post(f"/staff/care/imports/{job.pk}/rerun/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_count == 2


# --- API -----------------------------------------------------------------------------------------


def test_api_import_refuses_a_bad_file_with_a_chinese_reason_and_stores_nothing(client, care):
    client.force_login(care.officer)
    for data in (b"not a zip", bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 100):
        response = client.post(
            "/api/v1/care/imports/",
            {"campaign": care.campaign.pk, "file": SimpleUploadedFile("a.xlsx", data)},
        )
        assert response.status_code == 400
        assert "不是有效的 Excel" in response.json()["file"][0]
    assert not ImportJob.objects.exists()


def test_api_import_too_large_is_a_400(client, care, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(care.officer)
    response = client.post(
        "/api/v1/care/imports/",
        {"campaign": care.campaign.pk, "file": SimpleUploadedFile("a.xlsx", xlsx(good_rows(5)))},
    )
    assert response.status_code == 400
    assert "文件不能超过 1 KB" in response.json()["file"][0]
    assert not ImportJob.objects.exists()


def test_api_import_runs_polls_and_reruns_a_dead_job(client, care):
    client.force_login(care.officer)
    response = client.post(
        "/api/v1/care/imports/",
        {"campaign": care.campaign.pk, "file": SimpleUploadedFile("a.xlsx", xlsx(good_rows(2)))},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "done" and response.json()["created_count"] == 2

    job = stuck_job(care, rows=1, seed=99)  # other people than the first upload
    with after_timeout():
        polled = client.get(f"/api/v1/care/imports/{job.pk}/").json()
    assert polled["status"] == "failed" and polled["can_rerun"] is True
    rerun = client.post(f"/api/v1/care/imports/{job.pk}/rerun/")
    assert rerun.status_code == 202
    assert rerun.json()["status"] == "done" and rerun.json()["created_count"] == 1
    again = client.post(f"/api/v1/care/imports/{job.pk}/rerun/")
    assert again.status_code == 400
    assert "只有“导入失败”的任务可以重新运行" in again.json()["detail"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_heartbeat_is_seen_while_the_save_transaction_is_open(care):
    """The all-or-nothing save keeps the worker's connection inside one transaction for up to a
    minute; the heartbeat comes from its own thread and connection, so pollers still see it."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    job = stuck_job(care, heartbeat_at=timezone.now() - datetime.timedelta(minutes=4))
    seen = []
    with transaction.atomic():
        services.campaign_for_update(care.campaign.pk)  # the lock a save holds
        with tasks.Heartbeat(job, interval=0.05):
            for _ in range(100):
                seen.append(_read_elsewhere(lambda: ImportJob.objects.get(pk=job.pk).heartbeat_at))
                if seen[-1] > timezone.now() - datetime.timedelta(seconds=5):
                    break
                threading.Event().wait(0.05)
    assert seen[-1] > timezone.now() - datetime.timedelta(seconds=5), seen


def _read_elsewhere(read):
    """`read()` on another thread's connection (outside this thread's open transaction)."""
    from django.db import connections

    out = []

    def work():
        try:
            out.append(read())
        finally:
            connections.close_all()

    t = threading.Thread(target=work)
    t.start()
    t.join()
    return out[0]


def test_campaign_page_lists_a_dead_import_as_failed(client, care):
    job = stuck_job(care)
    client.force_login(care.officer)
    with after_timeout():
        page = client.get(f"/staff/care/{care.campaign.pk}/")
    assert page.status_code == 200
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "导入失败" in page.text
