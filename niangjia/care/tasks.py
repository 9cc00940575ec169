"""Background work of the care module (inline when no broker is configured)."""

from __future__ import annotations

import logging
import threading

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections
from django.db.models import F
from django.utils import timezone

from niangjia.care import imports
from niangjia.care.models import ImportJob

logger = logging.getLogger(__name__)


def _set(job: ImportJob, **fields) -> None:
    # plain UPDATEs outside the save transaction, so the polling page sees progress; every one is
    # also a heartbeat. Only this run's row: a run that was given up on (marked failed after the
    # heartbeat timeout) and re-run must not overwrite the newer run's status.
    ImportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(
        heartbeat_at=timezone.now(), **fields
    )


class Heartbeat:
    """Writes `heartbeat_at` every IMPORT_HEARTBEAT_SECONDS from a thread of its own (with its own
    connection), so a job stays visibly alive through the long all-or-nothing save, when the
    worker's connection is inside a transaction and cannot report anything."""

    def __init__(self, job: ImportJob, interval: float | None = None):
        self.job_id = job.pk
        self.attempt = job.attempts
        self.interval = settings.IMPORT_HEARTBEAT_SECONDS if interval is None else interval
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"import-{job.pk}-heartbeat", daemon=True
        )

    def beat(self) -> None:
        ImportJob.objects.filter(
            pk=self.job_id, attempts=self.attempt, status__in=ImportJob.RUNNING
        ).update(heartbeat_at=timezone.now())

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except DatabaseError:  # e.g. SQLite busy behind the save: try again next beat
                    logger.warning("import %s: heartbeat not written", self.job_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connection (back to the pool)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


@shared_task
def run_import(job_id: int) -> str:
    """Validate every row; if all are good, save all of them in one transaction."""
    # claim the job: only a pending one starts, so a re-delivered task or a second worker does
    # nothing while it runs (and a finished job is never run twice)
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.VALIDATING,
        processed=0,
        total=0,
        errors=[],
        created_count=0,
        heartbeat_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    job = ImportJob.objects.select_related("campaign__org", "created_by", "rerun_by").get(pk=job_id)
    if not claimed:
        return job.status
    with Heartbeat(job):
        return _run(job)


def _run(job: ImportJob) -> str:
    try:
        with job.file.open("rb") as fh:
            records = imports.read_workbook(fh)
        _set(job, total=len(records))
        rows, errors = imports.validate_rows(
            job.campaign, records, progress=lambda n: _set(job, processed=n)
        )
        if errors:
            _set(job, status=ImportJob.Status.INVALID, errors=errors[:2000])
            return ImportJob.Status.INVALID
        if not rows:
            _set(
                job,
                status=ImportJob.Status.INVALID,
                errors=[{"row": "—", "message": "文件中没有数据行"}],
            )
            return ImportJob.Status.INVALID
        _set(job, status=ImportJob.Status.SAVING)
        created = imports.save_rows(job.campaign, rows, actor=job.runner)
    except ValidationError as exc:
        _set(
            job,
            status=ImportJob.Status.INVALID,
            errors=[{"row": "—", "message": m} for m in exc.messages],
        )
        return ImportJob.Status.INVALID
    except Exception:
        logger.exception("care import %s failed", job.pk)
        _set(
            job,
            status=ImportJob.Status.FAILED,
            errors=[{"row": "—", "message": "导入出错，未保存任何数据，请联系管理员"}],
        )
        raise
    _set(job, status=ImportJob.Status.DONE, created_count=created, processed=len(records))
    return ImportJob.Status.DONE


@shared_task
def expire_stale_imports() -> int:
    """Periodic (celery beat): running imports whose heartbeat stopped are marked failed."""
    from niangjia.care import services

    return services.import_jobs_expire_stale()
