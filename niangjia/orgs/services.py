"""Writes to the org tree, enterprises, people, members and roles. Views, API, admin and commands
all call these; each authorizes, validates and saves in one transaction."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from niangjia.core import validators
from niangjia.core.permissions import Perm, has_perm
from niangjia.core.pii import blind_index
from niangjia.core.scope import ScopeSpec
from niangjia.orgs.exceptions import NotAllowed
from niangjia.orgs.models import Enterprise, Member, Org, Person, StaffRole

_LEVEL_ORDER = [
    Org.Level.NATIONAL,
    Org.Level.PROVINCE,
    Org.Level.CITY,
    Org.Level.DISTRICT,
    Org.Level.STREET,
    Org.Level.GRASSROOTS,
]


def sync_scope_paths(org_pk: int) -> int:
    """After a subtree moved: every model whose ScopeSpec keeps a copy of its org's path on the
    row gets the new paths for the orgs of that subtree. Returns the rows rewritten."""
    root = Org.objects.get(pk=org_pk)
    rewritten = 0
    for model in apps.get_models():
        spec = getattr(model, "scope", None)
        if not isinstance(spec, ScopeSpec) or not spec.path or not spec.org:
            continue
        if "__" in spec.path or "__" in spec.org:
            continue  # a copy on a related row: its own model is rewritten
        new_path = Org.objects.filter(pk=OuterRef(spec.org)).values("path")[:1]
        rewritten += model.objects.filter(**{f"{spec.org}__path__startswith": root.path}).update(
            **{spec.path: Subquery(new_path)}
        )
    return rewritten


def _authorize(actor, perm: Perm, obj=None) -> None:
    if actor is not None and not has_perm(actor, perm, obj):
        raise NotAllowed(_("您没有权限执行此操作"))


def _check_child_level(parent: Org, kind: str, level: str) -> None:
    if parent.is_agency:
        raise ValidationError({"parent": _("协作单位下不能再设下级组织")})
    if kind == Org.Kind.AGENCY:
        return
    if level not in _LEVEL_ORDER or _LEVEL_ORDER.index(level) <= _LEVEL_ORDER.index(parent.level):
        raise ValidationError(
            {
                "level": _("下级组织的层级必须低于上级（%(parent)s）")
                % {"parent": parent.get_level_display()}
            }
        )


@transaction.atomic
def org_create(*, actor, parent: Org | None, **fields) -> Org:
    """Add an org node (a root only for superusers)."""
    if parent is None:
        if actor is not None and not actor.is_superuser:
            raise NotAllowed(_("只有系统管理员可以创建顶级组织"))
    else:
        _authorize(actor, Perm.ORG_EDIT, parent)
    kind = fields.setdefault("kind", Org.Kind.UNION)
    if kind == Org.Kind.AGENCY:
        fields["level"] = Org.Level.AGENCY
    if parent is not None:
        _check_child_level(parent, kind, fields.get("level", ""))
    org = Org(**fields)
    org.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return Org.objects.add_root(instance=org)
    return Org.objects.add_child(parent, instance=org)


@transaction.atomic
def org_update(*, actor, org: Org, **fields) -> Org:
    _authorize(actor, Perm.ORG_EDIT, org)
    for name, value in fields.items():
        setattr(org, name, value)
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.save()
    return org


def _clean_enterprise(enterprise: Enterprise) -> None:
    enterprise.credit_code = validators.normalize_credit_code(enterprise.credit_code or "")
    enterprise.full_clean()
    if enterprise.org.is_agency:
        raise ValidationError({"org": _("企业只能隶属于工会组织")})


@transaction.atomic
def enterprise_create(*, actor, org: Org, **fields) -> Enterprise:
    _authorize(actor, Perm.ENTERPRISE_EDIT, org)
    enterprise = Enterprise(org=org, **fields)
    _clean_enterprise(enterprise)
    enterprise.save()
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, **fields) -> Enterprise:
    _authorize(actor, Perm.ENTERPRISE_EDIT, enterprise)
    for name, value in fields.items():
        setattr(enterprise, name, value)
    if "org" in fields:
        _authorize(actor, Perm.ENTERPRISE_EDIT, fields["org"])
    _clean_enterprise(enterprise)
    enterprise.save()
    return enterprise


def person_find(*, id_number: str = "", phone: str = "") -> Person | None:
    """Exact lookup through the blind index; never decrypts the table."""
    if id_number:
        digest = blind_index(validators.normalize_resident_id(id_number))
        return Person.objects.filter(id_number_hash=digest).first()
    if phone:
        digest = blind_index(validators.normalize_mobile(phone))
        return Person.objects.filter(phone_hash=digest).order_by("pk").first()
    return None


def _validate_person_input(name: str, id_number: str, phone: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("请填写姓名")]
    if id_number and (message := validators.resident_id_error(id_number)):
        errors["id_number"] = [message]
    if phone and (message := validators.mobile_error(phone)):
        errors["phone"] = [message]
    return errors


@transaction.atomic
def person_upsert(
    *,
    actor,
    name: str,
    id_number: str = "",
    phone: str = "",
    org: Org | None = None,
    employer: Enterprise | None = None,
) -> tuple[Person, bool]:
    """Find the person by ID number (the platform keeps one Person per human) or create them.

    Returns (person, created). An existing person keeps their name; empty fields are filled in.
    """
    if org is not None:
        _authorize(actor, Perm.PERSON_EDIT, org)
    id_number = validators.normalize_resident_id(id_number)
    phone = validators.normalize_mobile(phone)
    if errors := _validate_person_input(name, id_number, phone):
        raise ValidationError(errors)
    person = person_find(id_number=id_number) if id_number else None
    if person is None:
        person = Person(name=name.strip(), org=org, employer=employer)
        person.id_number = id_number
        person.phone = phone
        person.save()
        return person, True
    changed = []
    if phone and person.phone != phone:
        person.phone = phone
        changed += ["phone_encrypted", "phone_hash"]
    if employer is not None and person.employer_id != employer.pk:
        person.employer = employer
        changed.append("employer")
    if org is not None and person.org_id is None:
        person.org = org
        changed.append("org")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    return person, False


@transaction.atomic
def person_update(*, actor, person: Person, name: str, phone: str, employer=None) -> Person:
    _authorize(actor, Perm.PERSON_EDIT, person)
    phone = validators.normalize_mobile(phone)
    if errors := _validate_person_input(name, "", phone):
        raise ValidationError(errors)
    person.name = name.strip()
    person.phone = phone
    person.employer = employer
    person.save()
    return person


@transaction.atomic
def member_add(*, actor, person: Person, union: Org, join_date: datetime.date) -> Member:
    _authorize(actor, Perm.MEMBER_EDIT, union)
    if union.level != Org.Level.GRASSROOTS:
        raise ValidationError({"union": _("会员只能加入基层工会")})
    if join_date > datetime.date.today():  # noqa: DTZ011 - a calendar date, compared as such
        raise ValidationError({"join_date": _("入会日期不能晚于今天")})
    if Member.objects.filter(person=person, union=union, left_date__isnull=True).exists():
        raise ValidationError({"person": _("该人员已是此工会的会员")})
    return Member.objects.create(person=person, union=union, join_date=join_date)


@transaction.atomic
def staff_role_grant(*, actor, user, org: Org, role: str, enterprise=None) -> StaffRole:
    _authorize(actor, Perm.ROLE_MANAGE, org)
    if role == StaffRole.Role.AGENCY_LIAISON and not org.is_agency:
        raise ValidationError({"org": _("协作单位联络员必须绑定到协作单位")})
    if role != StaffRole.Role.AGENCY_LIAISON and org.is_agency:
        raise ValidationError({"role": _("协作单位只能设置联络员角色")})
    staff_role, _created = StaffRole.objects.update_or_create(
        user=user, org=org, role=role, defaults={"enterprise": enterprise, "is_active": True}
    )
    return staff_role
