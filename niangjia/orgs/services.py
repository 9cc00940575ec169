"""Writes to the org tree, enterprises, people, members and roles. Views, API, admin and commands
all call these; each authorizes, validates and saves in one transaction."""

from __future__ import annotations

import datetime

from auditlog.context import disable_auditlog
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import consent, smscode, validators
from niangjia.core.audit import audit_event
from niangjia.core.notify import send_sms
from niangjia.core.permissions import Perm, has_perm
from niangjia.core.pii import blind_index
from niangjia.core.scope import ScopeSpec
from niangjia.orgs.exceptions import NotAllowed, PersonRegisteredElsewhere
from niangjia.orgs.models import BindingRequest, Enterprise, Member, Org, Person, StaffRole

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

    Returns (person, created). A person already on file is never edited here — not their name,
    phone, employer, org, and never their account: what was typed belongs on the caller's
    submission (a case party, an aid application), and the officer decides about differences
    (`typed_differences`, `person_apply_typed`). With an actor, a match outside the actor's
    scope raises PersonRegisteredElsewhere, which names no field of that person."""
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
    if actor is not None and not has_perm(actor, Perm.PERSON_VIEW, person):
        raise PersonRegisteredElsewhere()
    return person, False


def typed_differences(
    person: Person, *, name: str = "", phone: str = "", employer_name: str = "", show_file: bool
) -> list[dict]:
    """Where what a submission typed differs from the person on file ("与档案不一致"). Phones are
    masked on both sides. `show_file` False (the viewer cannot see the person's file) leaves the
    file's values out: the viewer learns that they differ, not what is on file."""
    rows = []
    name = (name or "").strip()
    if name and name != person.name:
        rows.append({"field": "name", "label": _("姓名"), "typed": name, "on_file": person.name})
    phone = validators.normalize_mobile(phone or "")
    if phone and phone != person.phone:
        rows.append(
            {
                "field": "phone",
                "label": _("手机号码"),
                "typed": validators.mask_mobile(phone),
                "on_file": person.phone_masked or _("（未登记）"),
            }
        )
    employer_name = "".join((employer_name or "").split())
    on_file_employer = person.employer.name if person.employer_id else ""
    if employer_name and employer_name != "".join(on_file_employer.split()):
        rows.append(
            {
                "field": "employer",
                "label": _("工作单位"),
                "typed": employer_name,
                "on_file": on_file_employer or _("（未登记）"),
            }
        )
    for row in rows:
        row["applicable"] = row["field"] in APPLICABLE_FIELDS
        if not show_file:
            row["on_file"] = ""
    return rows


# typed values an officer may copy onto the file (an employer typed as text is only shown)
APPLICABLE_FIELDS = {"name", "phone"}


@transaction.atomic
def person_apply_typed(*, actor, person: Person, field: str, submission, source: str) -> Person:
    """The officer decides that what was typed on a submission (a case party, an aid application:
    anything with `typed_name` and `typed_phone`; `source` names it, e.g. a case number) replaces
    the value on file. Needs person-edit rights on the person; audited (phones masked)."""
    value = {"name": submission.typed_name, "phone": submission.typed_phone}.get(field, "")
    if not value:
        raise ValidationError(_("该项没有可更新的内容"))
    if actor is None:
        raise NotAllowed(_("您没有权限执行此操作"))
    _authorize(actor, Perm.PERSON_EDIT, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if field == "name":
        value = (value or "").strip()
        if not value:
            raise ValidationError({"name": [_("请填写姓名")]})
        old, new = person.name, value
        person.name = value
        fields = ["name"]
    elif field == "phone":
        value = validators.normalize_mobile(value or "")
        if message := validators.mobile_error(value):
            raise ValidationError({"phone": [message]})
        old, new = person.phone_masked, validators.mask_mobile(value)
        person.phone = value
        fields = ["phone_encrypted", "phone_hash"]
    else:
        raise ValidationError(_("该项不能更新到档案"))
    with disable_auditlog():
        person.save(update_fields=[*fields, "updated_at"])
    audit_event(
        person,
        actor,
        {field: [old, new]},
        _("按%(source)s中填写的信息更新档案") % {"source": source},
    )
    return person


# --- identity binding: an account is linked to a person only through these ------------------


def _bind(person: Person, user, actor, event: str) -> Person:
    person.user = user
    with disable_auditlog():
        person.save(update_fields=["user", "updated_at"])
    audit_event(person, actor, {"user": ["", user.get_username()]}, event)
    return person


@transaction.atomic
def person_link_user(*, actor, person: Person, username: str) -> Person:
    """(b) Staff with person-edit rights over the person link an account to them on purpose."""
    _authorize(actor, Perm.PERSON_EDIT, person)
    if actor is None:
        raise NotAllowed(_("您没有权限执行此操作"))
    person = Person.objects.select_for_update().get(pk=person.pk)
    user = get_user_model().objects.filter(username=(username or "").strip(), is_active=True)
    user = user.first()
    if user is None:
        raise ValidationError({"username": [_("没有这个账号")]})
    # A linked account reaches the person's own records everywhere (their cases in any union, as
    # the worker sees them). A staff, agency or enterprise-contact account, or the actor's own,
    # would so read files outside its scope (#11: dwk_rights linked a worker to szs_rights, who
    # then opened a 大武口 case): a worker is linked through their own worker account only.
    if (
        user.pk == actor.pk
        or user.is_superuser
        or user.is_staff
        or StaffRole.objects.filter(user=user, is_active=True).exists()
    ):
        raise ValidationError(
            {
                "username": [
                    _(
                        "工作人员、合作单位或企业联系人的账号不能绑定为职工档案；"
                        "请职工使用本人的职工账号"
                    )
                ]
            }
        )
    if person.user_id is not None:
        raise ValidationError(_("该人员已绑定平台账号，请先解除绑定"))
    if Person.objects.filter(user=user).exists():
        raise ValidationError({"username": [_("该账号已绑定其他人员档案")]})
    return _bind(person, user, actor, _("工作人员绑定账号"))


@transaction.atomic
def person_unlink_user(*, actor, person: Person) -> Person:
    _authorize(actor, Perm.PERSON_EDIT, person)
    if actor is None:
        raise NotAllowed(_("您没有权限执行此操作"))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is None:
        raise ValidationError(_("该人员未绑定平台账号"))
    old = person.user.get_username()
    person.user = None
    with disable_auditlog():
        person.save(update_fields=["user", "updated_at"])
    audit_event(person, actor, {"user": [old, ""]}, _("工作人员解除账号绑定"))
    return person


BIND_SENT = gettext_lazy(
    "如果您填写的身份证号码和手机号码与工会登记的档案一致，验证码已发送到该手机，"
    "请在短信所示的有效时间内填写。如未收到，请核对后重试，或联系您所在的工会。"
)


def binding_request(*, user, id_number: str, phone: str, consent_version: str) -> None:
    """(a) Step 1 of "绑定我的档案": a code goes to the phone ON FILE of the person with this ID
    number, only if the typed phone is that phone and the person has no account yet. The caller
    says the same thing whether or not anything matched (nothing here tells them)."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("请先登录"))
    id_number = validators.normalize_resident_id(id_number or "")
    phone = validators.normalize_mobile(phone or "")
    errors: dict[str, list[str]] = {}
    if message := validators.resident_id_error(id_number):
        errors["id_number"] = [message]
    if message := validators.mobile_error(phone):
        errors["phone"] = [message]
    if not consent_version:
        errors["consent"] = [str(consent.REQUIRED_MESSAGE)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Person.objects.filter(user=user).exists():
            raise ValidationError(_("您的账号已绑定档案"))
        request, _created = BindingRequest.objects.select_for_update().get_or_create(user=user)
        today = timezone.localdate()
        if request.requests_on != today:
            request.requests_on, request.requests_count = today, 0
        if request.requests_count >= settings.BIND_MAX_REQUESTS_PER_DAY:
            raise ValidationError(_("今天获取验证码的次数已达上限，请明天再试"))
        request.requests_count += 1
        person = person_find(id_number=id_number)
        matched = (
            person is not None
            and person.user_id is None
            and bool(person.phone)
            and person.phone_hash == blind_index(phone)
        )
        request.person = person if matched else None
        request.consent_version = consent_version
        request.consent_at = timezone.now()
        request.save()
        code = smscode.issue(request, "bind")
        if matched:
            on_file = person.phone
            text = _(
                "【职工娘家】您正在将平台账号绑定到本人档案，验证码 %(code)s，%(n)s分钟内有效。"
                "如非本人操作，请忽略。"
            ) % {"code": code, "n": settings.CARE_SMS_CODE_TTL_MINUTES}
            transaction.on_commit(lambda: send_sms(on_file, text))


def binding_confirm(*, user, code: str) -> Person:
    """(a) Step 2: the right code links the account to the person, audited. Refused when the
    person got an account meanwhile or this account already has a person."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("请先登录"))
    with transaction.atomic():  # a miss is counted and kept, then reported below
        request = BindingRequest.objects.select_for_update().filter(user=user).first()
        if request is None:
            raise ValidationError({"code": [_("请先获取验证码")]})
        problem = smscode.check(request, "bind", (code or "").strip())
        if problem is None and request.person_id is None:
            problem = ValidationError({"code": [_("验证码不正确")]})  # no code was ever sent
        if problem is None:
            person = Person.objects.select_for_update().get(pk=request.person_id)
            if person.user_id is not None or Person.objects.filter(user=user).exists():
                request.delete()
                raise ValidationError(_("该档案或您的账号已绑定，无法再次绑定"))
            _bind(person, user, user, _("职工本人短信验证绑定"))
            request.delete()
            return person
    raise problem


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
