"""Domain errors of the care module; views and the API turn them into messages or HTTP 409."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class CareConflict(ValidationError):
    """A request that clashes with what is already recorded (HTTP 409 in the API)."""


class DuplicateDistribution(CareConflict):
    """The person already received this item in this campaign."""


class BudgetExceeded(CareConflict):
    """The hand-out would take spend past the approved budget."""


class CrossCampaignAid(CareConflict):
    """The person already received aid this season from a related campaign; a reason is needed."""

    def __init__(self, message, *, campaigns=()):
        super().__init__(message)
        self.campaigns = list(campaigns)
