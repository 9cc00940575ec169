"""Reads for the hotline desk: scoped lists, a caller's history, callbacks due, the figures."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.translation import gettext as _

from niangjia.core import validators
from niangjia.core.permissions import Perm, filter_for
from niangjia.core.pii import blind_index
from niangjia.hotline.models import CATEGORY_CHOICES, Callback, Consultation
from niangjia.orgs.models import Org, Person, subtree_q
from niangjia.rights.calculators import FIRST_YEAR, LAST_YEAR
from niangjia.rights.models import Case, CaseWorker

HISTORY_LIMIT = 10


def consultation_list(
    user,
    *,
    category: str = "",
    outcome: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    org: Org | None = None,
    phone: str = "",
) -> QuerySet[Consultation]:
    qs = filter_for(user, Perm.CASE_VIEW, Consultation.objects.all())
    if category:
        qs = qs.filter(category=category)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if start:
        qs = qs.filter(started_at__gte=_day_start(start))
    if end:
        qs = qs.filter(started_at__lt=_day_start(end + datetime.timedelta(days=1)))
    if org is not None:
        qs = qs.filter(subtree_q(org.path, "org_path"))
    phone = validators.normalize_mobile(phone or "")
    if phone:
        qs = qs.filter(caller_phone_hash=blind_index(phone))
    return qs.select_related("operator", "case", "org").order_by("-started_at", "-pk")


def caller_history(user, phone: str, *, limit: int = HISTORY_LIMIT) -> dict:
    """Earlier calls of a number and the rights cases where it is a worker's phone, in the user's
    scope; three indexed queries whatever the history. `valid` is False for an incomplete or
    malformed number (nothing is looked up then)."""
    phone = validators.normalize_mobile(phone or "")
    error = validators.mobile_error(phone) if phone else None
    if not phone or error:
        return {"phone": phone, "valid": False, "error": error, "calls": [], "cases": []}
    digest = blind_index(phone)
    calls = filter_for(
        user, Perm.CASE_VIEW, Consultation.objects.filter(caller_phone_hash=digest)
    ).select_related("operator", "case")
    calls_total = calls.count()
    # a worker's phone is on their Person (indexed blind index); their cases through CaseWorker
    people = Person.objects.filter(phone_hash=digest).values("pk")
    cases = (
        filter_for(
            user,
            Perm.CASE_VIEW,
            Case.objects.filter(
                pk__in=CaseWorker.objects.filter(person__in=people).values("case_id")
            ),
        )
        .select_related("org")
        .order_by("-received_on", "-pk")
    )
    return {
        "phone": phone,
        "valid": True,
        "error": None,
        "calls": list(calls.order_by("-started_at", "-pk")[:limit]) if calls_total else [],
        "calls_total": calls_total,
        "cases": list(cases[:limit]),
    }


def my_callbacks(user, *, status: str = "open") -> QuerySet[Callback]:
    """Callbacks assigned to the user (open ones soonest first; done ones latest first)."""
    qs = Callback.objects.filter(assigned_to=user).select_related("consultation")
    if status == "done":
        return qs.filter(done_at__isnull=False).order_by("-done_at", "-pk")
    if status == "all":
        return qs.order_by(F("done_at").desc(nulls_first=True), "due_at", "pk")
    return qs.filter(done_at__isnull=True).order_by("due_at", "pk")


def callbacks_due(user, *, now: datetime.datetime | None = None) -> QuerySet[Callback]:
    """The user's open callbacks that are overdue or due by the end of today (local time)."""
    now = now or timezone.now()
    end_of_day = _day_start(timezone.localdate(now) + datetime.timedelta(days=1))
    return my_callbacks(user).filter(due_at__lt=end_of_day)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_error(day: datetime.date) -> str | None:
    """A list or figures period bound the selectors can turn into a time (the calculators' years:
    a day near date.min or date.max overflows once it is made a local midnight)."""
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return _("日期应在%(a)d年至%(b)d年之间。") % {"a": FIRST_YEAR, "b": LAST_YEAR}


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=_tz())


def _minutes(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def figures(
    user,
    *,
    org: Org | None,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None = None,
) -> dict:
    """The desk's figures for an org node's subtree and a period (calls started in the period):
    three queries (calls, hours, callbacks) whatever the size of the subtree."""
    now = now or timezone.now()
    calls = filter_for(user, Perm.CASE_VIEW, Consultation.objects.all()).filter(
        started_at__gte=_day_start(start),
        started_at__lt=_day_start(end + datetime.timedelta(days=1)),
    )
    if org is not None:
        calls = calls.filter(subtree_q(org.path, "org_path"))
    categories = [value for value, _label in CATEGORY_CHOICES]
    outcomes = list(Consultation.Outcome.values)
    totals = calls.aggregate(
        calls=Count("pk"),
        callers=Count("caller_phone_hash", distinct=True, filter=~Q(caller_phone_hash="")),
        avg_duration=Avg("duration_seconds"),
        **{f"category_{c}": Count("pk", filter=Q(category=c)) for c in categories},
        **{f"outcome_{o}": Count("pk", filter=Q(outcome=o)) for o in outcomes},
    )
    hours = {
        row["hour"]: row["n"]
        for row in calls.annotate(hour=ExtractHour("started_at", tzinfo=_tz()))
        .values("hour")
        .annotate(n=Count("pk"))
        .order_by()
    }
    callbacks = Callback.objects.filter(consultation__in=calls.values("pk")).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(done_at__isnull=False)),
        on_time=Count("pk", filter=Q(done_at__lte=F("due_at"))),
        overdue=Count("pk", filter=Q(done_at__isnull=True, due_at__lt=now)),
    )
    n = totals["calls"]
    converted = totals[f"outcome_{Consultation.Outcome.CONVERTED}"]
    category_labels = dict(CATEGORY_CHOICES)
    by_category = sorted(
        (
            {"category": c, "label": str(category_labels[c]), "calls": totals[f"category_{c}"]}
            for c in categories
            if totals[f"category_{c}"]
        ),
        key=lambda row: (-row["calls"], categories.index(row["category"])),
    )
    outcome_labels = dict(Consultation.Outcome.choices)
    avg = totals["avg_duration"]
    busiest = sorted(hours.items(), key=lambda item: (-item[1], item[0]))[:3]
    return {
        "calls": n,
        "distinct_callers": totals["callers"],
        "average_duration_seconds": round(avg) if avg is not None else None,
        "average_duration_display": _minutes(avg),
        "converted_to_case": converted,
        "converted_rate": round(100 * converted / n, 1) if n else None,
        "by_category": by_category,
        "by_outcome": [
            {"outcome": o, "label": str(outcome_labels[o]), "calls": totals[f"outcome_{o}"]}
            for o in outcomes
        ],
        "by_hour": [{"hour": h, "calls": hours.get(h, 0)} for h in range(24)],
        "busiest_hours": [{"hour": h, "calls": c} for h, c in busiest],
        "callbacks": {
            "total": callbacks["total"],
            "done": callbacks["done"],
            "done_on_time": callbacks["on_time"],
            "overdue": callbacks["overdue"],
            "on_time_rate": round(100 * callbacks["on_time"] / callbacks["done"], 1)
            if callbacks["done"]
            else None,
        },
    }
