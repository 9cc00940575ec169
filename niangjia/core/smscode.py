"""One-time SMS codes: six digits, stored only as a keyed hash, dead after a TTL or a few wrong
tries. Used by the care receipts (a worker reads the code back to staff) and identity binding (a
worker proves the phone on file). The holder is any row with `sms_code_hash`, `sms_code_sent_at`
and `sms_code_attempts` columns; `purpose` keeps codes of different uses apart."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from niangjia.core.pii import blind_index

FIELDS = ["sms_code_hash", "sms_code_sent_at", "sms_code_attempts"]


def code_hash(purpose: str, holder_pk: int, code: str) -> str:
    return blind_index(f"{purpose}:{holder_pk}:{code}")


def issue(holder, purpose: str) -> str:
    """A fresh code for `holder` (saved as its hash, tries reset); returns the plain code to send.
    The code never goes into a log: only the SMS text carries it."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    holder.sms_code_hash = code_hash(purpose, holder.pk, code)
    holder.sms_code_sent_at = timezone.now()
    holder.sms_code_attempts = 0
    holder.save(update_fields=[*FIELDS, "updated_at"])
    return code


def check(holder, purpose: str, code: str) -> ValidationError | None:
    """None when `code` is right; otherwise the error to show, with a miss counted on `holder`
    (saved) and the code killed after CARE_SMS_CODE_MAX_ATTEMPTS misses. Call it on a row locked
    with select_for_update, in a transaction that commits the miss."""
    if not holder.sms_code_hash:
        return ValidationError({"code": [_("验证码已失效，请重新发送验证码")]})
    ttl = datetime.timedelta(minutes=settings.CARE_SMS_CODE_TTL_MINUTES)
    if holder.sms_code_sent_at and timezone.now() - holder.sms_code_sent_at > ttl:
        return ValidationError(
            {
                "code": [
                    _("验证码已过期（%(n)s 分钟内有效），请重新发送验证码")
                    % {"n": ttl.seconds // 60}
                ]
            }
        )
    if secrets.compare_digest(code_hash(purpose, holder.pk, code), holder.sms_code_hash):
        return None
    holder.sms_code_attempts += 1
    fields = ["sms_code_attempts", "updated_at"]
    left = settings.CARE_SMS_CODE_MAX_ATTEMPTS - holder.sms_code_attempts
    if left <= 0:
        holder.sms_code_hash = ""
        fields.append("sms_code_hash")
    holder.save(update_fields=fields)
    if left <= 0:
        return ValidationError({"code": [_("验证码错误次数过多，已失效，请重新发送验证码")]})
    return ValidationError({"code": [_("验证码不正确，还可尝试 %(n)s 次") % {"n": left}]})
