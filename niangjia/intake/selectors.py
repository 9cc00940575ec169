"""Reads of the intake assistant, always narrowed to what the user may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from niangjia.core.permissions import Perm, filter_for, get_for_user, grants_for
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


def _report_scope(user) -> Q | None:
    """Corrections the report covers: everything for a superuser, an org admin's subtrees."""
    if user.is_superuser:
        return None
    paths = [g.org.path for g in grants_for(user) if g.role == StaffRole.Role.ORG_ADMIN]
    q = Q(pk__in=[])
    for path in paths:
        q |= subtree_q(path, "analysis__org__path")
    return q


def corrections_report(user) -> dict:
    """Per field: how often the suggestion was kept or corrected, the most corrected first, and
    the latest corrections as examples. Two queries plus one per field with corrections."""
    scope = _report_scope(user)
    rows = (
        IntakeCorrection.objects.all() if scope is None else IntakeCorrection.objects.filter(scope)
    )  # noqa: E501
    counts = {
        r["field"]: r
        for r in rows.values("field").annotate(
            total=Count("pk"), corrected=Count("pk", filter=Q(accepted=False))
        )
    }
    fields = []
    for value, label in IntakeCorrection.Field.choices:
        c = counts.get(value, {"total": 0, "corrected": 0})
        examples = []
        if c["corrected"]:
            examples = list(
                rows.filter(field=value, accepted=False)
                .select_related("by", "analysis")
                .order_by("-at")[:EXAMPLES_PER_FIELD]
            )
        fields.append(
            {
                "field": value,
                "label": label,
                "total": c["total"],
                "corrected": c["corrected"],
                "rate": c["corrected"] / c["total"] if c["total"] else 0.0,
                "examples": examples,
            }
        )
    fields.sort(key=lambda f: (-f["corrected"], -f["rate"], f["field"]))
    pairs = list(
        rows.filter(field="category", accepted=False)
        .values("suggested", "corrected")
        .annotate(n=Count("pk"))
        .order_by("-n")[:10]
    )
    analyses = IntakeAnalysis.objects.all()
    if scope is not None:
        paths = [g.org.path for g in grants_for(user) if g.role == StaffRole.Role.ORG_ADMIN]
        aq = Q(pk__in=[])
        for path in paths:
            aq |= subtree_q(path, "org__path")
        analyses = analyses.filter(aq)
    return {
        "fields": fields,
        "category_pairs": pairs,
        "analyses": analyses.count(),
        "reviewed": analyses.filter(reviewed_at__isnull=False).count(),
    }


def visible_analyses(user) -> QuerySet[IntakeAnalysis]:
    return filter_for(user, Perm.CASE_VIEW, IntakeAnalysis.objects.all())
