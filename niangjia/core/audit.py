"""Audit: the change history of a record (django-auditlog) and the access log of sensitive views."""

from __future__ import annotations

from collections.abc import Callable

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from niangjia.core.clientip import client_ip
from niangjia.core.models import AccessLog

__all__ = ["access_log_for", "client_ip", "history_for", "log_access", "tracked_fields"]


def tracked_fields(model: type[Model], exclude: list[str] | None = None) -> list[str]:
    """The fields whose changes a person reading a history cares about: concrete columns, without
    ids, timestamps or anything named in `exclude` (reverse relations are never listed)."""
    skip = {"id", "created_at", "updated_at", *(exclude or [])}
    return [f.name for f in model._meta.concrete_fields if f.name not in skip]


def log_access(request, obj: Model, action: str = AccessLog.Action.VIEW, detail: str = "") -> None:
    """Record that the requesting user viewed (or revealed, exported) a sensitive record."""
    AccessLog.objects.create(
        user=request.user if request.user.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(obj),
        target_id=str(obj.pk),
        target_repr=str(obj)[:200],
        detail=detail[:200],
        ip=client_ip(request),
    )


def history_for(obj: Model) -> QuerySet[LogEntry]:
    """The change history of one record, newest first, with the actor loaded."""
    return LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")


def access_log_for(obj: Model) -> QuerySet[AccessLog]:
    return (
        AccessLog.objects.filter(
            target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
        )
        .select_related("user")
        .order_by("-at")
    )


def audit_event(obj: Model, actor, changes: dict[str, list], event: str) -> LogEntry:
    """An explicit entry in `obj`'s change history, for changes the automatic log cannot show
    (an encrypted field, a link made or removed through a verified path): `changes` maps a field
    to [old, new] as the history page shows them (never a plaintext ID number or phone), `event`
    says which path made it."""
    return LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes=changes,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        additional_data={"event": event},
    )


# "Who looked at my file": the records that belong to a person (their rights cases, care files…)
# are registered by the app that owns them, so core and orgs need not import the domain apps.
# Each function takes a Person and returns an unscoped queryset of that person's records; the
# report narrows it to what the reader may audit.
PersonRecords = Callable[[Model], QuerySet]
_person_records: list[PersonRecords] = []


def register_person_records(fn: PersonRecords) -> PersonRecords:
    if fn not in _person_records:
        _person_records.append(fn)
    return fn


def person_records() -> list[PersonRecords]:
    return list(_person_records)
