"""Public calculator endpoints (statutory deadlines, compensation): /api/v1/calculators/…"""

from __future__ import annotations

urlpatterns: list = []
