"""REST endpoints of the care module; api/urls.py calls register()."""

from __future__ import annotations


def register(router) -> list:
    """Add this module's viewsets to the router; return extra URL patterns (plain API views)."""
    return []
