"""#11 §5: free text the care pages and API read without a form (void and payment-failure
reasons, the reply to an aid application) longer than its column was a DataError 500 on
PostgreSQL. It is a field error in Chinese now, and nothing is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from niangjia.care import services
from niangjia.care.models import AidApplication
from niangjia.care.tests.conftest import apply_for_aid, give

TOO_LONG = "长" * 201


def test_a_void_reason_beyond_200_characters_is_a_field_error_on_the_page(client, care):
    d = give(care)
    client.force_login(care.officer)
    response = client.post(f"/staff/care/distributions/{d.pk}/void/", {"reason": TOO_LONG})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.voided_at is None and d.void_reason == ""
    page = client.get(response.url).content.decode()
    assert "最多可填写 200 个字，当前为 201 个字。" in page


def test_a_void_reason_beyond_200_characters_is_a_400_in_the_api(care):
    d = give(care)
    api = APIClient()
    api.force_authenticate(care.officer)
    response = api.post(f"/api/v1/distributions/{d.pk}/void/", {"reason": TOO_LONG}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    d.refresh_from_db()
    assert d.voided_at is None


def test_a_payment_failure_reason_beyond_200_characters_is_a_field_error(care):
    care.b1.bank_card = "6222021234567890123"
    care.b1.save()
    d = give(care, item=care.cash, amount=700, payment_method="bank")
    before = d.payment_status
    with pytest.raises(ValidationError, match="最多可填写 200 个字"):
        services.distribution_set_payment(
            actor=care.officer, distribution=d, status="failed", reason=TOO_LONG
        )
    d.refresh_from_db()
    assert (d.payment_status, d.payment_failure_reason) == (before, "")


def test_an_aid_reply_beyond_200_characters_is_a_field_error(care):
    application = apply_for_aid(care)
    with pytest.raises(ValidationError, match="最多可填写 200 个字"):
        services.application_decide(
            actor=care.officer, application=application, accept=False, reply=TOO_LONG
        )
    application.refresh_from_db()
    assert application.status == AidApplication.Status.SUBMITTED and application.reply == ""
