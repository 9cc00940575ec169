"""Reads of the intake assistant, always narrowed to what the user may see."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from niangjia.core.permissions import Perm, get_for_user, grants_for
from niangjia.intake.models import IntakeAnalysis, IntakeCorrection
from niangjia.orgs.models import StaffRole, subtree_q

EXAMPLES_PER_FIELD = 5


def analysis_for(user, pk) -> IntakeAnalysis:
    """One analysis the user may see (their union subtree's, or their own), else 404."""
    return get_for_user(user, Perm.CASE_VIEW, IntakeAnalysis.objects.select_related("user"), pk=pk)


def recent_analyses(user, limit: int = 10) -> QuerySet[IntakeAnalysis]:
    """The user's own latest analyses (the text is not loaded: a list shows no complaint)."""
    return (
        IntakeAnalysis.objects.filter(user=user)
        .defer("text")
        .order_by("-created_at", "-pk")[:limit]
    )


def _report_scope(user, path_field: str) -> Q | None:
    """What the report covers: everything for a superuser, an org admin's subtrees."""
    if user.is_superuser:
        return None
    q = Q(pk__in=[])
    for g in grants_for(user):
        if g.role == StaffRole.Role.ORG_ADMIN:
            q |= subtree_q(g.org.path, path_field)
    return q


def _scoped(qs: QuerySet, scope: Q | None) -> QuerySet:
    return qs if scope is None else qs.filter(scope)


def corrections_report(user) -> dict:
    """Per field: how often the suggestion was kept or corrected, the most corrected first, and
    the latest corrections as examples (without their analyses: the complaint text stays
    encrypted). Five queries whatever the number of fields."""
    rows = _scoped(IntakeCorrection.objects.all(), _report_scope(user, "analysis__org__path"))
    counts = {
        r["field"]: r
        for r in rows.values("field").annotate(
            total=Count("pk"), corrected=Count("pk", filter=Q(accepted=False))
        )
    }
    examples: dict[str, list[IntakeCorrection]] = {}
    latest = (
        rows.filter(accepted=False)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("field"), order_by=[F("at").desc(), F("pk")])
        )
        .filter(rank__lte=EXAMPLES_PER_FIELD)
        .select_related("by")
        .order_by("field", "rank")
    )
    for c in latest:
        examples.setdefault(c.field, []).append(c)
    fields = []
    for value, label in IntakeCorrection.Field.choices:
        c = counts.get(value, {"total": 0, "corrected": 0})
        fields.append(
            {
                "field": value,
                "label": label,
                "total": c["total"],
                "corrected": c["corrected"],
                "rate": c["corrected"] / c["total"] if c["total"] else 0.0,
                "examples": examples.get(value, []),
            }
        )
    fields.sort(key=lambda f: (-f["corrected"], -f["rate"], f["field"]))
    pairs = list(
        rows.filter(field="category", accepted=False)
        .values("suggested", "corrected")
        .annotate(n=Count("pk"))
        .order_by("-n")[:10]
    )
    analyses = _scoped(IntakeAnalysis.objects.all(), _report_scope(user, "org__path"))
    return {
        "fields": fields,
        "category_pairs": pairs,
        "analyses": analyses.count(),
        "reviewed": analyses.filter(reviewed_at__isnull=False).count(),
    }
