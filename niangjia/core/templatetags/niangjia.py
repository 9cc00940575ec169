from __future__ import annotations

from django import template

from niangjia.core.money import format_yuan
from niangjia.core.permissions import has_perm

register = template.Library()


@register.filter
def yuan(amount) -> str:
    return format_yuan(amount)


@register.simple_tag(takes_context=True)
def can(context, perm: str, obj=None) -> bool:
    return has_perm(context["request"].user, perm, obj)
