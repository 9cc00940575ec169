"""Every write of the hotline desk goes through these functions: record a consultation, turn it
into a rights case (through `niangjia.rights.services.case_create`, never a copy of it), schedule
and complete callbacks, and the reminder sweep."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from niangjia.core import validators
from niangjia.core.permissions import (
    SUBTREE_PERMS,
    Perm,
    filter_for,
    grants_for,
    has_perm,
    users_with_perm,
)
from niangjia.hotline.models import CATEGORY_CHOICES, Callback, Consultation
from niangjia.orgs.exceptions import NotAllowed
from niangjia.orgs.models import Org
from niangjia.rights import services as rights
from niangjia.rights.models import Case, ClaimItem

MAX_DURATION = 6 * 60 * 60  # a call longer than six hours is a typing mistake
REMIND_AHEAD = datetime.timedelta(minutes=30)
# how the desk's channel becomes a case's source
SOURCE_FOR_CHANNEL = {
    Consultation.Channel.HOTLINE: Case.Source.HOTLINE,
    Consultation.Channel.WALK_IN: Case.Source.WALK_IN,
    Consultation.Channel.ONLINE: Case.Source.ONLINE,
}
CATEGORIES = {value for value, _label in CATEGORY_CHOICES}


# the claim a converted case starts with, by case category
def claim_kind_for(category: str) -> str:
    return ClaimItem.kind_for_category(category)


# --- who may use the desk ----------------------------------------------------------------------


def may_use_desk(user) -> bool:
    """The desk needs what case intake needs: case-edit rights over a union subtree (a partner
    agency's share of a case does not make it a hotline desk)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(
        Perm.CASE_EDIT in SUBTREE_PERMS[g.role] and not g.org.is_agency for g in grants_for(user)
    )


def desk_orgs(user):
    """Union nodes where `user` may take calls."""
    return filter_for(user, Perm.CASE_EDIT, Org.objects.filter(kind=Org.Kind.UNION))


def desk_org_for(user) -> Org | None:
    """The union a call is recorded for: the role picked in the switcher, else the highest granted
    node (as case intake does)."""
    active = getattr(user, "active_role", None)
    if (
        active is not None
        and not active.org.is_agency
        and Perm.CASE_EDIT in SUBTREE_PERMS[active.role]
    ):
        return active.org
    return desk_orgs(user).order_by("depth", "path").first()


# --- input helpers -----------------------------------------------------------------------------

_DURATION_RE = re.compile(r"^(?:(\d{1,2}):)?(\d{1,3})(?::(\d{1,2}))?$")


def parse_duration(text: str) -> int:
    """ "12" (minutes), "12:05" (minutes:seconds) or "1:02:05" → seconds."""
    text = validators._to_halfwidth(str(text or "")).strip().replace("：", ":")
    if not text:
        return 0
    match = _DURATION_RE.match(text)
    if not match:
        raise ValidationError({"duration": _("通话时长应写作“分:秒”，如 5:30")})
    hours, minutes, seconds = match.groups()
    if seconds is None:  # "12" or "1:05" read as minutes[:seconds]
        if hours is None:
            total = int(minutes) * 60
        else:
            total = int(hours) * 60 + int(minutes)
            if int(minutes) >= 60:
                raise ValidationError({"duration": _("秒数应小于60")})
    else:
        if int(seconds) >= 60 or int(minutes) >= 60:
            raise ValidationError({"duration": _("分钟数和秒数应小于60")})
        total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if total > MAX_DURATION:
        raise ValidationError({"duration": _("通话时长不能超过6小时")})
    return total


def normalize_phone(phone: str, field: str = "caller_phone") -> str:
    phone = validators.normalize_mobile(phone or "")
    if phone and (msg := validators.mobile_error(phone)):
        raise ValidationError({field: msg})
    return phone


def _authorize(actor, org: Org) -> None:
    if org.is_agency:
        raise ValidationError({"org": _("热线咨询须由工会组织受理")})
    if actor is not None and not has_perm(actor, Perm.CASE_EDIT, org):
        raise NotAllowed(_("您没有权限在该组织受理热线咨询"))


# --- consultations -----------------------------------------------------------------------------


@transaction.atomic
def consultation_record(
    *,
    actor,
    org: Org,
    question: str,
    category: str,
    caller_phone: str = "",
    caller_name: str = "",
    employer_name: str = "",
    answer: str = "",
    outcome: str = Consultation.Outcome.ANSWERED,
    channel: str = Consultation.Channel.HOTLINE,
    duration_seconds: int = 0,
    started_at: datetime.datetime | None = None,
    callback_due_at: datetime.datetime | None = None,
    callback_note: str = "",
    now: datetime.datetime | None = None,
) -> Consultation:
    """Record one call or visit. It counts as a service whether or not a case follows. An outcome
    of "callback needed" schedules the callback (to the operator) in the same step."""
    _authorize(actor, org)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    try:
        caller_phone = normalize_phone(caller_phone)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not question.strip():
        errors["question"] = [_("请记录来电人咨询的问题")]
    if category not in CATEGORIES:
        errors["category"] = [_("请选择咨询类别")]
    if channel not in Consultation.Channel.values:
        errors["channel"] = [_("请选择渠道")]
    if outcome not in Consultation.Outcome.values:
        errors["outcome"] = [_("请选择处理结果")]
    elif outcome == Consultation.Outcome.CONVERTED:
        errors["outcome"] = [_("请使用“转为案件”按钮转为案件")]
    if not 0 <= int(duration_seconds or 0) <= MAX_DURATION:
        errors["duration"] = [_("通话时长应在0至6小时之间")]
    if started_at is not None and timezone.is_naive(started_at):
        errors["started_at"] = [_("来电时间须带时区")]
    elif started_at is not None and started_at > now + datetime.timedelta(minutes=5):
        errors["started_at"] = [_("来电时间不能晚于现在")]
    if outcome == Consultation.Outcome.CALLBACK and callback_due_at is None:
        errors["callback_due_at"] = [_("处理结果为“需回访”时，请填写回访时间")]
    if errors:
        raise ValidationError(errors)
    consultation = Consultation(
        org=org,
        org_path=org.path,
        operator=actor,
        caller_name=caller_name.strip()[:50],
        employer_name=employer_name.strip()[:120],
        started_at=started_at or now - datetime.timedelta(seconds=int(duration_seconds or 0)),
        duration_seconds=int(duration_seconds or 0),
        channel=channel,
        category=category,
        question=question.strip(),
        answer=answer.strip(),
        outcome=outcome,
    )
    consultation.caller_phone = caller_phone
    consultation.save()
    if callback_due_at is not None:
        try:
            callback_schedule(
                consultation=consultation,
                actor=actor,
                due_at=callback_due_at,
                note=callback_note,
                now=now,
            )
        except ValidationError as exc:  # the atomic block drops the consultation too
            raise ValidationError(
                {"callback_due_at": exc.message_dict.get("due_at", exc.messages)}
            ) from exc
    return consultation


def case_defaults(consultation: Consultation) -> dict:
    """What a case registered from this consultation starts with: everything the operator typed."""
    workers = []
    if consultation.caller_name or consultation.caller_phone:
        workers = [
            rights.WorkerInput(name=consultation.caller_name, phone=consultation.caller_phone)
        ]
    category = consultation.category
    return {
        "org": consultation.org,
        "source": SOURCE_FOR_CHANNEL[consultation.channel],
        "category": category if category in Case.Category.values else Case.Category.OTHER,
        "employer_name": consultation.employer_name,
        "facts": consultation.question,
        "workers": workers,
        "received_on": timezone.localtime(consultation.started_at).date(),
    }


@transaction.atomic
def consultation_convert(*, consultation: Consultation, actor, **case_fields) -> tuple[Case, bool]:
    """Turn a consultation into a rights case with everything typed carried over; `case_fields`
    (what the intake form adds or corrects) override the carried-over values. Returns (case,
    created). Converting again (a double click) returns the case already linked. Missing case
    fields raise the case service's ValidationError, so the caller can show the intake form."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _authorize(actor, consultation.org)
    if consultation.case_id is not None:
        return consultation.case, False
    fields = {**case_defaults(consultation), **case_fields}
    case, created = rights.case_create(actor=actor, **fields)
    consultation.case = case
    consultation.outcome = Consultation.Outcome.CONVERTED
    consultation.save(update_fields=["case", "outcome"])
    text = _("由%(channel)s咨询记录转入（%(at)s，通话 %(duration)s）。") % {
        "channel": consultation.get_channel_display(),
        "at": timezone.localtime(consultation.started_at).strftime("%Y-%m-%d %H:%M"),
        "duration": consultation.duration_display,
    }
    if consultation.answer:
        text += _("接听时答复：%(answer)s") % {"answer": consultation.answer}
    rights.note_add(case=case, actor=actor, text=text)
    return case, created


# --- callbacks ---------------------------------------------------------------------------------


@transaction.atomic
def callback_schedule(
    *,
    consultation: Consultation,
    actor,
    due_at: datetime.datetime | None,
    assigned_to=None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Callback:
    """Schedule a callback (to the actor unless someone else is named) at a future time."""
    _authorize(actor, consultation.org)
    now = now or timezone.now()
    assigned_to = assigned_to or actor
    if due_at is None:
        raise ValidationError({"due_at": _("请填写回访时间")})
    if timezone.is_naive(due_at):
        raise ValidationError({"due_at": _("回访时间须带时区")})
    if due_at <= now:
        raise ValidationError({"due_at": _("回访时间须晚于现在")})
    if due_at > now + datetime.timedelta(days=366):
        raise ValidationError({"due_at": _("回访时间不能超过一年")})
    if assigned_to is None or (
        not users_with_perm(Perm.CASE_EDIT, consultation).filter(pk=assigned_to.pk).exists()
    ):
        raise ValidationError({"assigned_to": _("回访人须是该工会有维权权限的工作人员")})
    callback = Callback.objects.create(
        consultation=consultation,
        due_at=due_at,
        assigned_to=assigned_to,
        note=note.strip()[:200],
        created_by=actor,
    )
    if consultation.outcome == Consultation.Outcome.ANSWERED:
        Consultation.objects.filter(pk=consultation.pk).update(
            outcome=Consultation.Outcome.CALLBACK
        )
        consultation.outcome = Consultation.Outcome.CALLBACK
    return callback


def callback_complete(
    *, callback: Callback, actor, result_note: str, now: datetime.datetime | None = None
) -> Callback:
    """Mark a callback done with what came of it; done once (a second submit changes nothing)."""
    if actor is not None and actor.pk != callback.assigned_to_id:
        _authorize(actor, callback.consultation.org)
    result_note = result_note.strip()
    if not result_note:
        raise ValidationError({"result_note": _("请填写回访结果")})
    now = now or timezone.now()
    done = Callback.objects.filter(pk=callback.pk, done_at__isnull=True).update(
        done_at=now, result_note=result_note
    )
    if not done:
        raise ValidationError({"result_note": _("该回访已完成")})
    callback.refresh_from_db()
    return callback


def callback_reminders(*, now: datetime.datetime | None = None, ahead=REMIND_AHEAD) -> int:
    """Remind each callback's assignee once, when it falls due within `ahead` (or is overdue).
    Claims each callback with a compare-and-swap on `reminded_at`, so two workers running the
    sweep at once never send the same reminder twice. Returns the number sent."""
    from niangjia.core.notify import send_sms

    now = now or timezone.now()
    due = (
        Callback.objects.filter(
            done_at__isnull=True, reminded_at__isnull=True, due_at__lte=now + ahead
        )
        .select_related("assigned_to__person", "consultation")
        .order_by("due_at")
    )
    sent = 0
    for callback in due.iterator():
        claimed = Callback.objects.filter(pk=callback.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if not claimed:
            continue
        state = _("已逾期") if callback.due_at < now else _("即将到时")
        text = _("【职工娘家】12351热线回访%(state)s（%(due)s，来电 %(phone)s）：%(note)s") % {
            "state": state,
            "due": timezone.localtime(callback.due_at).strftime("%m-%d %H:%M"),
            "phone": callback.consultation.caller_phone_masked or _("未留号码"),
            "note": callback.note or callback.consultation.question[:30],
        }
        person = getattr(callback.assigned_to, "person", None)
        if person is not None and person.phone:
            send_sms(person.phone, text)
        sent += 1
    return sent
