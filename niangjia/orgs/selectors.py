"""Reads for orgs: scoped, related rows loaded, so pages run a fixed number of queries."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from niangjia.core import audit, validators
from niangjia.core.models import AccessLog
from niangjia.core.permissions import Perm, filter_for
from niangjia.core.pii import blind_index
from niangjia.orgs.models import Enterprise, Member, Org, Person, StaffRole, subtree_q


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


def person_access_log(user, person: Person) -> QuerySet[AccessLog]:
    """Who looked at this person's file: views, reveals and exports of the person and of every
    record an app registered as theirs (rights cases, care files…), newest first. Only records
    `user` may audit count, so the report names no case outside the reader's subtree."""
    q = Q(target_type=ContentType.objects.get_for_model(Person), target_id=str(person.pk))
    for records in audit.person_records():
        qs = filter_for(user, Perm.PRIVACY_AUDIT, records(person))
        ids = [str(pk) for pk in qs.values_list("pk", flat=True)]
        if ids:
            q |= Q(target_type=ContentType.objects.get_for_model(qs.model), target_id__in=ids)
    return AccessLog.objects.filter(q).select_related("user", "target_type").order_by("-at", "-pk")


def access_log_rows(entries) -> list[dict]:
    """The report's rows: who (name and the orgs of their roles), when, what, from which IP."""
    entries = list(entries)
    user_ids = {e.user_id for e in entries if e.user_id}
    orgs: dict[int, list[str]] = {}
    roles = StaffRole.objects.filter(user_id__in=user_ids, is_active=True).select_related("org")
    for role in roles.order_by("org__path"):
        names = orgs.setdefault(role.user_id, [])
        if role.org.name not in names:
            names.append(role.org.name)
    rows = []
    for e in entries:
        who = (e.user.get_full_name() or e.user.get_username()) if e.user else ""
        rows.append(
            {
                "at": e.at,
                "user": who,
                "username": e.user.get_username() if e.user else "",
                "orgs": orgs.get(e.user_id, []),
                "action": e.action,
                "action_display": e.get_action_display(),
                "record_type": str(e.target_type.model_class()._meta.verbose_name)
                if e.target_type.model_class()
                else e.target_type.model,
                "record": e.target_repr,
                "detail": e.detail,
                "ip": e.ip,
            }
        )
    return rows
