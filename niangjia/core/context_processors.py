from __future__ import annotations

from django.urls import reverse

from niangjia.core import nav
from niangjia.core.permissions import has_perm


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"staff_nav": []}
    items = [
        {"item": item, "url": reverse(item.url_name)}
        for item in nav.STAFF_NAV
        if (item.perm is None or has_perm(user, item.perm))
        and (item.visible is None or item.visible(user))
    ]
    return {"staff_nav": items}
