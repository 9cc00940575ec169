"""Reads of the care module: scoped querysets with related rows loaded, and campaign figures
read from the summary rows (tallies), never by scanning hand-outs."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from niangjia.care.models import (
    AidApplication,
    Beneficiary,
    Campaign,
    Distribution,
    EnterpriseVisit,
    ItemTally,
    ItemType,
    ReachTally,
    TargetGroup,
)
from niangjia.core import validators
from niangjia.core.permissions import Perm, filter_for
from niangjia.core.pii import blind_index
from niangjia.orgs.models import Org


def campaign_list(user, *, search: str = "", status: str = "") -> QuerySet[Campaign]:
    qs = filter_for(user, Perm.CARE_VIEW, Campaign.objects.all())
    if search:
        qs = qs.filter(name__contains=search)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("org").order_by("-starts_on", "-pk")


def beneficiary_list(
    user, *, search: str = "", category: str = "", overdue: bool = False
) -> QuerySet[Beneficiary]:
    import datetime

    qs = filter_for(user, Perm.CARE_VIEW, Beneficiary.objects.all())
    search = search.strip()
    if search:
        normalized = validators.normalize_resident_id(search)
        if validators.resident_id_error(normalized) is None:
            qs = qs.filter(person__id_number_hash=blind_index(normalized))
        else:
            qs = qs.filter(person__name__contains=search)
    if category:
        qs = qs.filter(category=category)
    if overdue:
        qs = qs.filter(
            hardship__next_review_on__lt=datetime.date.today(),  # noqa: DTZ011
            hardship__status__in=["filed", "helping"],
        )
    return qs.select_related("person", "org", "employer", "depot", "hardship").order_by(
        "person__name", "pk"
    )


def distribution_list(user, *, campaign: Campaign | None = None) -> QuerySet[Distribution]:
    qs = filter_for(user, Perm.CARE_VIEW, Distribution.objects.all())
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.select_related("item", "person", "org", "campaign", "staff", "beneficiary").order_by(
        "-distributed_at", "-pk"
    )


def application_list(user) -> QuerySet[AidApplication]:
    return (
        filter_for(user, Perm.CARE_VIEW, AidApplication.objects.all())
        .select_related("person__employer", "org")
        .order_by("-created_at")
    )


def figure_nodes(user, campaign: Campaign) -> QuerySet[Org]:
    """Org nodes a figures page may be narrowed to: the campaign's org and its visible subtree,
    down to street level (enough for a report; grassroots come through their street)."""
    return filter_for(
        user,
        Perm.CARE_VIEW,
        Org.objects.filter(
            path__startswith=campaign.org.path,
            kind=Org.Kind.UNION,
            depth__lte=campaign.org.depth + 2,
        ),
    ).order_by("path")


def campaign_figures(campaign: Campaign, node: Org | None = None) -> dict:
    """Coverage of a campaign for an org node's subtree (the whole campaign when node is None):
    enterprises visited, distinct people and person-times by category, items and money against
    budget. Three small GROUP BYs over the tallies plus one over visits, whatever the volume."""
    prefix = (node or campaign.org).path
    in_node = Q(org__path__startswith=prefix)
    items = {i.pk: i for i in ItemType.objects.filter(campaign=campaign).order_by("pk")}
    by_item = {
        row["item_id"]: row
        for row in ItemTally.objects.filter(in_node, campaign=campaign)
        .values("item_id")
        .annotate(times=Sum("times"), quantity=Sum("quantity"), amount=Sum("amount"))
    }
    by_cat_times = {
        row["category"]: row
        for row in ItemTally.objects.filter(in_node, campaign=campaign)
        .values("category")
        .annotate(times=Sum("times"), amount=Sum("amount"))
    }
    by_cat_persons = dict(
        ReachTally.objects.filter(in_node, campaign=campaign)
        .values("category")
        .annotate(n=Sum("persons"))
        .values_list("category", "n")
    )
    visits = EnterpriseVisit.objects.filter(in_node, campaign=campaign).aggregate(
        enterprises=Count("enterprise", distinct=True), visits=Count("pk")
    )
    item_rows = []
    for pk, item in items.items():
        row = by_item.get(pk, {})
        item_rows.append(
            {
                "item": item,
                "id": pk,
                "name": item.name,
                "kind": item.kind,
                "kind_label": item.get_kind_display(),
                "times": row.get("times") or 0,
                "quantity": row.get("quantity") or 0,
                "amount": row.get("amount") or Decimal("0.00"),
            }
        )
    categories = []
    for value, label in TargetGroup.choices:
        persons = by_cat_persons.get(value) or 0
        times = (by_cat_times.get(value) or {}).get("times") or 0
        if persons or times:
            categories.append(
                {
                    "category": value,
                    "label": str(label),
                    "persons": persons,
                    "times": times,
                    "amount": (by_cat_times.get(value) or {}).get("amount") or Decimal("0.00"),
                }
            )
    spent = sum((r["amount"] for r in item_rows), Decimal("0.00"))
    return {
        "campaign": campaign,
        "node": node or campaign.org,
        "enterprises_visited": visits["enterprises"],
        "visits": visits["visits"],
        "persons": sum(c["persons"] for c in categories),
        "person_times": sum(c["times"] for c in categories),
        "by_category": categories,
        "by_item": item_rows,
        "spent": spent,
        "budget": campaign.total_budget,
        "campaign_spent": campaign.spent_amount,
    }


def figures_json(figures: dict) -> dict:
    """The figures as plain JSON (API and the dashboard's charts)."""
    return {
        "campaign": figures["campaign"].pk,
        "org": figures["node"].pk,
        "org_name": figures["node"].name,
        "enterprises_visited": figures["enterprises_visited"],
        "visits": figures["visits"],
        "persons": figures["persons"],
        "person_times": figures["person_times"],
        "budget": str(figures["budget"]),
        "spent": str(figures["spent"]),
        "campaign_spent": str(figures["campaign_spent"]),
        "by_category": [
            {k: (str(v) if k == "amount" else v) for k, v in c.items()}
            for c in figures["by_category"]
        ],
        "by_item": [
            {
                "item": r["id"],
                "name": r["name"],
                "kind": r["kind"],
                "times": r["times"],
                "quantity": r["quantity"],
                "amount": str(r["amount"]),
            }
            for r in figures["by_item"]
        ],
    }
