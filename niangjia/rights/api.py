"""REST endpoints of the rights module; api/urls.py calls register()."""

from __future__ import annotations

from niangjia.rights.calculator_api import urlpatterns as calculator_urls


def register(router) -> list:
    """Add this module's viewsets to the router; return extra URL patterns (plain API views)."""
    return [*calculator_urls]
