"""Reads for rights: scoped querysets with their related rows, and the studio's figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from niangjia.core.permissions import Perm, filter_for
from niangjia.orgs.models import Org, subtree_q
from niangjia.rights.models import Case, CaseWorker, Deadline, Recovery


def case_list(
    user,
    *,
    stage: str = "",
    category: str = "",
    officer: int | None = None,
    overdue: bool = False,
    received_from: datetime.date | None = None,
    received_to: datetime.date | None = None,
    org: Org | None = None,
    search: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Case]:
    qs = filter_for(user, Perm.CASE_VIEW, Case.objects.all())
    if stage:
        qs = qs.filter(stage=stage)
    if category:
        qs = qs.filter(category=category)
    if officer:
        qs = qs.filter(officer_id=officer)
    if received_from:
        qs = qs.filter(received_on__gte=received_from)
    if received_to:
        qs = qs.filter(received_on__lte=received_to)
    if org is not None:
        qs = qs.filter(subtree_q(org.path, "org_path"))
    # EXISTS probes per case in scope, instead of IN over every matching row in the country
    if overdue and today is not None:
        qs = qs.filter(
            Exists(
                Deadline.objects.filter(
                    case=OuterRef("pk"), status=Deadline.Status.OPEN, due__lt=today
                )
            )
        )
    search = search.strip()
    if search and search.endswith("号") and "〔" in search:
        qs = qs.filter(number=search)  # a whole case number: the unique index answers
    elif search:
        qs = qs.filter(
            Q(number__contains=search)
            | Q(employer_name__contains=search)
            | Exists(CaseWorker.objects.filter(case=OuterRef("pk"), person__name=search))
        )
    # a correlated count, not Count("workers"): the join and GROUP BY aggregated every case in
    # scope before the page was cut (a sort on disk); this runs for the 25 rows of the page only
    # and the paginator's count() leaves it out (docs/performance.md, rights)
    workers = (
        CaseWorker.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.select_related("org", "officer")
        .annotate(workers_count=Coalesce(Subquery(workers), 0))
        .order_by("-received_on", "-pk")
    )


def deadlines_due(user, *, today: datetime.date, within_days: int = 3) -> QuerySet[Deadline]:
    """Open deadlines of the user's cases that are overdue or due within `within_days`."""
    cases = filter_for(user, Perm.CASE_EDIT, Case.objects.exclude(stage=Case.Stage.CLOSED))
    return (
        Deadline.objects.filter(
            status=Deadline.Status.OPEN,
            due__lte=today + datetime.timedelta(days=within_days),
            case__in=cases.values("pk"),
        )
        .select_related("case")
        .order_by("due", "pk")
    )


def figures(user, *, org: Org | None, start: datetime.date, end: datetime.date) -> dict:
    """The studio's figures for an org node and a period (cases received in the period)."""
    cases = filter_for(user, Perm.CASE_VIEW, Case.objects.all()).filter(
        received_on__gte=start, received_on__lte=end
    )
    if org is not None:
        cases = cases.filter(subtree_q(org.path, "org_path"))
    closed = Q(stage=Case.Stage.CLOSED)
    mediated = Q(outcome__in=[Case.Outcome.MEDIATED, Case.Outcome.PARTIALLY_MEDIATED])
    mediation_ended = mediated | Q(outcome__in=[Case.Outcome.TERMINATED, Case.Outcome.WITHDRAWN])
    # one pass over the subtree's cases for every per-case figure (counts by category and the
    # rating are conditional aggregates here, not extra scans)
    categories = list(Case.Category.values)
    totals = cases.aggregate(
        handled=Count("pk"),
        closed=Count("pk", filter=closed),
        mediated=Count("pk", filter=mediated),
        mediation_ended=Count("pk", filter=mediation_ended),
        avg_days=Avg(
            ExpressionWrapper(F("closed_on") - F("received_on"), output_field=DurationField()),
            filter=closed,
        ),
        rating_avg=Avg("rating__score"),
        ratings=Count("rating"),
        **{f"category_{c}": Count("pk", filter=Q(category=c)) for c in categories},
    )
    workers = (
        CaseWorker.objects.filter(case__in=cases.values("pk")).values("person").distinct().count()
    )
    recovered = Recovery.objects.filter(case__in=cases.values("pk")).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0.00")
    by_category = sorted(
        (
            {"category": c, "n": totals[f"category_{c}"]}
            for c in categories
            if totals[f"category_{c}"]
        ),
        key=lambda row: (-row["n"], row["category"]),
    )
    ratings = {"avg": totals["rating_avg"], "n": totals["ratings"]}
    avg_days = totals["avg_days"]
    if isinstance(avg_days, datetime.timedelta):
        avg_days = round(avg_days.total_seconds() / 86400, 1)
    elif avg_days is not None:  # SQLite returns microseconds
        avg_days = round(float(avg_days) / 86_400_000_000, 1)
    rate = (
        round(100 * totals["mediated"] / totals["mediation_ended"], 1)
        if totals["mediation_ended"]
        else None
    )
    labels = dict(Case.Category.choices)
    return {
        "cases_handled": totals["handled"],
        "cases_closed": totals["closed"],
        "workers_involved": workers,
        "amount_recovered": recovered,
        "mediation_success_rate": rate,
        "average_days_to_close": avg_days,
        "rating_average": round(ratings["avg"], 2) if ratings["avg"] else None,
        "ratings": ratings["n"],
        "by_category": [
            {"category": row["category"], "label": str(labels[row["category"]]), "cases": row["n"]}
            for row in by_category
        ],
    }


def case_detail_queryset(user, perm: Perm = Perm.CASE_VIEW) -> QuerySet[Case]:
    """Cases with everything the case page shows, loaded in a fixed number of queries."""
    from django.db.models import DecimalField, OuterRef, Prefetch, Subquery, Value
    from django.db.models.functions import Coalesce

    from niangjia.rights.models import ClaimItem, RecoveryShare

    def total(model):
        return Coalesce(
            Subquery(
                model.objects.filter(case=OuterRef("pk"))
                .order_by()
                .values("case")
                .annotate(s=Sum("amount"))
                .values("s")
            ),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )

    return (
        filter_for(user, perm, Case.objects.all())
        .select_related("org", "officer", "employer")
        .annotate(
            amount_claimed=total(ClaimItem),
            amount_recovered=total(Recovery),
            workers_count=Count("workers", distinct=True),
        )
        .prefetch_related(
            Prefetch("workers", CaseWorker.objects.select_related("person", "case")),
            Prefetch("claims", ClaimItem.objects.select_related("worker__person").order_by("pk")),
            "contractors",
            Prefetch("deadlines", Deadline.objects.order_by("due")),
            Prefetch(
                "recoveries",
                Recovery.objects.order_by("on", "pk").prefetch_related(
                    Prefetch("shares", RecoveryShare.objects.select_related("worker__person"))
                ),
            ),
            "shares__agency",
            "agency_acts__agency",
            "evidence",
            Prefetch("related", Case.objects.select_related("org").order_by("-received_on", "-pk")),
        )
    )


def related_cases(user, case: Case) -> dict:
    """The case's related cases (same employer or project) as `user` may see them: the ones they
    may open, and for the rest only a count per handling union, with that union's contact and a
    request text to ask it for a look (#11 §3: numbers, employers and stages of cases outside
    one's scope are not shown)."""
    related = list(case.related.all())
    visible_ids = set(
        filter_for(user, Perm.CASE_VIEW, Case.objects.filter(pk__in=[r.pk for r in related]))
        .values_list("pk", flat=True)
        .order_by()
    )
    counts: dict[int, list] = {}
    for other in related:
        if other.pk not in visible_ids:
            counts.setdefault(other.org_id, [other.org, 0])[1] += 1
    elsewhere = []
    for org, n in sorted(counts.values(), key=lambda row: row[0].path):
        contact = "，".join(
            part for part in (org.contact_name, org.contact_phone, org.address) if part
        )
        request = _(
            "%(to)s：本会（%(org)s）正在办理的 %(number)s 涉及用人单位“%(employer)s”，"
            "贵会另有 %(n)d 件涉及同一用人单位的案件。为协同办理，请与本会联系，"
            "或将相关案件情况告知本会。"
        ) % {
            "to": org.name,
            "org": case.org.name,
            "number": case.number,
            "employer": case.employer_name,
            "n": n,
        }
        elsewhere.append(
            {"org_name": org.name, "count": n, "contact": contact, "request_text": request}
        )
    return {"cases": [r for r in related if r.pk in visible_ids], "elsewhere": elsewhere}
