from __future__ import annotations

from niangjia.core.permissions import grants_for

ACTIVE_ROLE_SESSION_KEY = "active_role_id"


class ActiveRoleMiddleware:
    """Applies the org switcher: a user with several roles works in one of them at a time.

    Pages then show that role's scope; with nothing picked (or the pick revoked) all roles apply.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            role_id = request.session.get(ACTIVE_ROLE_SESSION_KEY)
            grants = grants_for(user)
            picked = [g for g in grants if g.pk == role_id]
            user.all_grants = grants
            user.active_role = picked[0] if picked else (grants[0] if len(grants) == 1 else None)
            if picked:
                user.active_grants = picked
        return self.get_response(request)
