from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


class NotAllowed(PermissionDenied):
    """The actor lacks the permission for this change (views answer 403 or 404)."""


class PersonRegisteredElsewhere(ValidationError):
    """An ID number typed on a create-or-match path belongs to a person outside the caller's
    scope. Says only that, and how to ask for a share: no field of that person."""

    def __init__(self):
        super().__init__(
            {
                "id_number": [
                    _(
                        "该身份证号码已由其他工会登记，您无权查看或使用该人员档案。如需在本单位"
                        "办理，请联系该职工本人或通过上级工会向登记工会申请共享档案。"
                    )
                ]
            }
        )
