from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from niangjia.core.money import format_yuan
from niangjia.core.permissions import has_perm

register = template.Library()


@register.filter
def yuan(amount) -> str:
    return format_yuan(amount)


@register.simple_tag(takes_context=True)
def can(context, perm: str, obj=None) -> bool:
    return has_perm(context["request"].user, perm, obj)


AUDIT_ACTIONS = {0: _("创建"), 1: _("修改"), 2: _("删除"), 3: _("访问")}


@register.filter
def audit_action(entry) -> str:
    return str(AUDIT_ACTIONS.get(entry.action, entry.get_action_display()))


@register.filter
def audit_value(value) -> str:
    """auditlog stores absent values as the string "None"; people read a dash."""
    return "—" if value in (None, "", "None") else str(value)


@register.filter
def carries_pii(value) -> bool:
    """Whether a text holds an ID number or phone: such a search term is never put in a link."""
    from niangjia.core.redact import carries_pii as check

    return check(value)
