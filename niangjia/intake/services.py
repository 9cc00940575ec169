"""Writes of the intake assistant: run an analysis and keep it, store an operator's review.

Who may use it: the staff who register cases — case-edit rights over a union subtree (as the
12351 desk); a partner agency's share of a case is not enough. The corrections report is for
superusers and org admins.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from niangjia.core.permissions import SUBTREE_PERMS, Perm, grants_for
from niangjia.hotline.services import desk_orgs, may_use_desk
from niangjia.intake.analyser import (
    CATEGORIES,
    FIELDS,
    MAX_CHARS,
    SIGNALS,
    VERSION,
    analyse,
)
from niangjia.intake.models import IntakeAnalysis, IntakeCorrection
from niangjia.orgs.models import Org, StaffRole
from niangjia.rights.models import ClaimItem

MAX_EMPLOYER = 120


def may_use(user) -> bool:
    """The staff of the 12351 desk: case-edit rights over a union subtree."""
    return may_use_desk(user)


def may_see_report(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(g.role == StaffRole.Role.ORG_ADMIN for g in grants_for(user))


def org_for(user) -> Org | None:
    """The union an analysis is recorded for: the role picked in the switcher, else the highest
    granted node (as case intake and the hotline desk do)."""
    active = getattr(user, "active_role", None)
    if (
        active is not None
        and not active.org.is_agency
        and Perm.CASE_EDIT in SUBTREE_PERMS[active.role]
    ):
        return active.org
    return None if user.is_superuser else desk_orgs(user).order_by("depth", "path").first()


def clean_text(text) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({"text": _("请输入投诉内容。")})
    text = text.strip()
    if "\x00" in text:  # PostgreSQL cannot keep it in the suggestions' JSON
        raise ValidationError({"text": _("投诉内容不能包含空字符。")})
    if len(text) > MAX_CHARS:
        raise ValidationError(
            {
                "text": _("投诉内容过长：最多 %(max)d 字，现有 %(n)d 字。")
                % {"max": MAX_CHARS, "n": len(text)}
            }
        )
    return text


def analysis_create(*, actor, text: str, today: datetime.date | None = None) -> IntakeAnalysis:
    if not may_use(actor):
        raise PermissionDenied(_("只有维权工作人员可以使用接诉助手。"))
    text = clean_text(text)
    result = analyse(text, today=today or timezone.localdate())
    return IntakeAnalysis.objects.create(
        org=org_for(actor),
        user=actor,
        text=text,
        suggestions=result.as_dict(),
        analyser_version=VERSION,
    )


# --- review -------------------------------------------------------------------------------------
def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _date_ok(value: str) -> bool:
    """2024-03-15, 2024-03 or 2024, and a real date."""
    m = _DATE.match(value)
    if m is None:
        return False
    year, month, day = (int(g) if g else 1 for g in m.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def clean_value(field: str, value):
    """One field's corrected value in its canonical form, or a ValidationError in Chinese."""
    if field == "category":
        if value not in CATEGORIES:
            raise _error(
                field, _("类别无效：请使用 %(codes)s 之一。") % {"codes": "、".join(CATEGORIES)}
            )  # noqa: E501
        return value
    if field == "urgency":
        if value not in ("high", "normal"):
            raise _error(field, _("紧急程度只能是 high 或 normal。"))
        return value
    if field == "workers_count":
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            raise _error(field, _("人数必须是正整数。"))
        try:
            count = int(str(value))
        except ValueError:
            raise _error(field, _("人数必须是正整数。")) from None
        if not 1 <= count <= 100_000:
            raise _error(field, _("人数必须在 1 到 100000 之间。"))
        return count
    if field == "employer":
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            raise _error(field, _("用人单位必须是文字。"))
        value = value.strip()
        if "\x00" in value:
            raise _error(field, _("用人单位不能包含空字符。"))
        if len(value) > MAX_EMPLOYER:
            raise _error(field, _("用人单位名称最多 %(n)d 字。") % {"n": MAX_EMPLOYER})
        return value or None
    if not isinstance(value, list):
        raise _error(field, _("该字段应为列表。"))
    if field == "amounts":
        amounts = []
        for item in value:
            try:
                amount = Decimal(str(item).replace(",", ""))
            except InvalidOperation:
                raise _error(field, _("金额“%(v)s”不是有效数字。") % {"v": item}) from None
            if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
                raise _error(field, _("金额“%(v)s”超出范围。") % {"v": item})
            text = str(amount.quantize(Decimal("0.01")))
            if text not in amounts:
                amounts.append(text)
        return amounts
    if field == "dates":
        dates = []
        for item in value:
            if not isinstance(item, str) or not _date_ok(item):
                raise _error(
                    field,
                    _("日期“%(v)s”格式无效：请用 2024-03-15、2024-03 或 2024。") % {"v": item},
                )
            if item not in dates:
                dates.append(item)
        return dates
    if field == "signals":
        unknown = [s for s in value if not isinstance(s, str) or s not in SIGNALS]
        if unknown:
            raise _error(field, _("未知信号：%(v)s。") % {"v": "、".join(map(str, unknown))})
        return list(dict.fromkeys(value))
    raise _error(field, _("未知字段。"))


def same_value(field: str, a, b) -> bool:
    if field in ("amounts", "dates", "signals"):
        return sorted(a or []) == sorted(b or [])
    return a == b


def parse_review(analysis: IntakeAnalysis, fields) -> dict[str, tuple[bool, object]]:
    """{"category": {"accepted": false, "value": "wages"}, …} → {field: (accepted, value)}.
    An accepted field keeps the suggestion; a corrected one needs its value (null clears an
    employer, a count). A "correction" equal to the suggestion counts as accepted."""
    if not isinstance(fields, dict) or not fields:
        raise ValidationError({"fields": _("请至少核对一个字段。")})
    unknown = [f for f in fields if f not in FIELDS]
    if unknown:
        raise ValidationError({"fields": _("未知字段：%(v)s。") % {"v": "、".join(unknown)}})
    parsed: dict[str, tuple[bool, object]] = {}
    for name, entry in fields.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("accepted"), bool):
            raise _error(name, _("请说明是否采纳建议（accepted 为 true 或 false）。"))
        suggested = analysis.suggestions.get(name)
        if entry["accepted"]:
            parsed[name] = (True, suggested)
            continue
        if "value" not in entry:
            raise _error(name, _("未采纳建议时请填写更正后的值。"))
        value = clean_value(name, entry["value"])
        parsed[name] = (same_value(name, value, suggested), value)
    return parsed


@transaction.atomic
def analysis_review(*, analysis: IntakeAnalysis, actor, fields) -> IntakeAnalysis:
    """Store the operator's verdict on each field. Reviewing again updates the same rows."""
    if not may_use(actor):
        raise PermissionDenied(_("只有维权工作人员可以使用接诉助手。"))
    parsed = parse_review(analysis, fields)
    analysis = IntakeAnalysis.objects.select_for_update().get(pk=analysis.pk)
    confirmed = dict(analysis.confirmed or {})
    for name, (accepted, value) in parsed.items():
        IntakeCorrection.objects.update_or_create(
            analysis=analysis,
            field=name,
            defaults={
                "suggested": analysis.suggestions.get(name),
                "corrected": value,
                "accepted": accepted,
                "by": actor,
            },
        )
        confirmed[name] = value
    analysis.confirmed = confirmed
    analysis.reviewed_at = timezone.now()
    analysis.save(update_fields=["confirmed", "reviewed_at"])
    return analysis


# --- from a reviewed analysis to the case form ---------------------------------------------------
def confirmed_values(analysis: IntakeAnalysis) -> dict:
    """The reviewed values, the suggestion where a field was not reviewed."""
    values = {name: analysis.suggestions.get(name) for name in FIELDS}
    values.update(analysis.confirmed or {})
    return values


def case_form_url(analysis: IntakeAnalysis) -> str:
    """The staff case form, pre-filled through GET parameters with the confirmed values.

    The complaint text is NOT put in the address (it is personal data and addresses end up in
    logs and browser history); the review page offers it for copying into 事实与理由."""
    values = confirmed_values(analysis)
    params: dict[str, str] = {}
    if values.get("category"):
        params["category"] = values["category"]
        params["claim_kind"] = ClaimItem.kind_for_category(values["category"])
    if values.get("employer"):
        params["employer_name"] = values["employer"][:MAX_EMPLOYER]
    amounts = [Decimal(a) for a in values.get("amounts") or []]
    if amounts:
        params["claim_amount"] = str(max(amounts))
    full_dates = [d for d in values.get("dates") or [] if len(d) == 10]
    if full_dates and values.get("category") == "injury":
        params["injury_on"] = full_dates[0]
    return f"{reverse('rights:case-create')}?{urlencode(params)}"
