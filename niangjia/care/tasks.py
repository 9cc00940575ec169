"""Background work of the care module (inline when no broker is configured)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.exceptions import ValidationError

from niangjia.care import imports
from niangjia.care.models import ImportJob

logger = logging.getLogger(__name__)


def _set(job: ImportJob, **fields) -> None:
    # plain UPDATEs outside the save transaction, so the polling page sees progress
    ImportJob.objects.filter(pk=job.pk).update(**fields)


@shared_task
def run_import(job_id: int) -> str:
    """Validate every row; if all are good, save all of them in one transaction."""
    job = ImportJob.objects.select_related("campaign__org", "created_by").get(pk=job_id)
    if job.is_final:
        return job.status  # idempotent: a re-delivered task does nothing
    _set(job, status=ImportJob.Status.VALIDATING, processed=0, errors=[])
    try:
        with job.file.open("rb") as fh:
            records = imports.read_workbook(fh.read())
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
        created = imports.save_rows(job.campaign, rows, actor=job.created_by)
    except ValidationError as exc:
        _set(
            job,
            status=ImportJob.Status.INVALID,
            errors=[{"row": "—", "message": m} for m in exc.messages],
        )
        return ImportJob.Status.INVALID
    except Exception:
        logger.exception("care import %s failed", job_id)
        _set(
            job,
            status=ImportJob.Status.FAILED,
            errors=[{"row": "—", "message": "导入出错，未保存任何数据，请联系管理员"}],
        )
        raise
    _set(job, status=ImportJob.Status.DONE, created_count=created, processed=len(records))
    return ImportJob.Status.DONE
