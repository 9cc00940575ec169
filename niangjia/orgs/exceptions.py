from __future__ import annotations

from django.core.exceptions import PermissionDenied


class NotAllowed(PermissionDenied):
    """The actor lacks the permission for this change (views answer 403 or 404)."""
