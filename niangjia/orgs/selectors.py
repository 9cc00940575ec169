"""Reads for orgs: scoped, related rows loaded, so pages run a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from niangjia.core import validators
from niangjia.core.permissions import Perm, filter_for
from niangjia.core.pii import blind_index
from niangjia.orgs.models import Enterprise, Member, Org, Person, subtree_q


def org_list(user, *, within: Org | None = None, search: str = "") -> QuerySet[Org]:
    qs = filter_for(user, Perm.ORG_VIEW, Org.objects.all())
    if within is not None:
        qs = qs.filter(subtree_q(within.path))
    if search:
        qs = qs.filter(Q(name__contains=search) | Q(region_code__startswith=search))
    return qs.order_by("path")


def org_subtree(org: Org, *, include_self: bool = True) -> QuerySet[Org]:
    """Every node under `org`: one indexed prefix query on the materialised path."""
    qs = Org.objects.filter(subtree_q(org.path))
    return qs if include_self else qs.exclude(pk=org.pk)


def enterprise_list(user, *, search: str = "", org: Org | None = None) -> QuerySet[Enterprise]:
    qs = filter_for(user, Perm.ENTERPRISE_VIEW, Enterprise.objects.all())
    if org is not None:
        qs = qs.filter(subtree_q(org.path, "org__path"))
    if search:
        code = validators.normalize_credit_code(search)
        qs = qs.filter(Q(name__contains=search) | Q(credit_code=code))
    return (
        qs.select_related("org", "union")
        .annotate(
            member_count=Count("union__members", filter=Q(union__members__left_date__isnull=True))
        )
        .order_by("name", "pk")
    )


def person_list(user, *, search: str = "") -> QuerySet[Person]:
    qs = filter_for(user, Perm.PERSON_VIEW, Person.objects.all())
    search = search.strip()
    if search:
        # exact ID number or phone through the blind index; otherwise a name search
        normalized_id = validators.normalize_resident_id(search)
        if validators.resident_id_error(normalized_id) is None:
            qs = qs.filter(id_number_hash=blind_index(normalized_id))
        elif validators.mobile_error(validators.normalize_mobile(search)) is None:
            qs = qs.filter(phone_hash=blind_index(validators.normalize_mobile(search)))
        else:
            qs = qs.filter(name__contains=search)
    return qs.select_related("org", "employer").order_by("name", "pk")


def member_list(user, *, union: Org | None = None) -> QuerySet[Member]:
    qs = filter_for(user, Perm.MEMBER_VIEW, Member.objects.all())
    if union is not None:
        qs = qs.filter(subtree_q(union.path, "union__path"))
    return qs.select_related("person", "union").order_by("-join_date", "pk")
