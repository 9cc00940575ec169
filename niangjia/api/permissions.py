"""The bridge from DRF to core.permissions: a viewset declares `permission` (read) and
`write_permission`; `ScopedViewSetMixin.get_queryset` always starts from `filter_for`."""

from __future__ import annotations

from rest_framework import permissions

from niangjia.core.permissions import Perm, filter_for, has_perm


def is_read(request, view) -> bool:
    """GET/HEAD/OPTIONS, or a `POST …/search/`: a lookup whose ID number or phone is posted
    because it must not travel in a URL (#11 §4) is still a read."""
    return request.method in permissions.SAFE_METHODS or getattr(view, "action", None) == "search"


class OrgScopedPermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if is_read(request, view):
            return True  # the scoped queryset decides what is visible
        return has_perm(request.user, view.write_permission)


class ScopedViewSetMixin:
    permission: Perm
    write_permission: Perm
    permission_classes = [OrgScopedPermission]

    def scoped(self, qs):
        perm = self.permission if is_read(self.request, self) else self.write_permission
        return filter_for(self.request.user, perm, qs)
