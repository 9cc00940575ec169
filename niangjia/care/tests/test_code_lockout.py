"""#11 §2: SMS receipt codes. Resending waits a minute and is throttled; wrong codes for one
phone count toward a lockout of that phone's codes (django-axes, like a login), so fresh codes
do not buy fresh guesses; the aid status lookup locks its code after repeated wrong phones."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from rest_framework.test import APIClient

from niangjia.care import services
from niangjia.care.models import AidApplication, Distribution
from niangjia.care.tests.conftest import apply_for_aid, give


@pytest.fixture
def sent(monkeypatch):
    texts: list[str] = []
    monkeypatch.setattr("niangjia.care.services.send_sms", lambda phone, text: texts.append(text))
    return texts


def _code(texts) -> str:
    return texts[-1].split("验证码 ")[1][:6]


def _age_code(d, seconds=61):
    Distribution.objects.filter(pk=d.pk).update(
        sms_code_sent_at=Distribution.objects.get(pk=d.pk).sms_code_sent_at
        - datetime.timedelta(seconds=seconds)
    )


def test_an_sms_code_is_not_resent_within_a_minute(care, sent):
    with TestCase.captureOnCommitCallbacks(execute=True):
        d = give(care)
    with pytest.raises(ValidationError, match="秒后再重新发送"):
        services.distribution_resend_code(actor=care.officer, distribution=d)
    assert len(sent) == 1
    _age_code(d)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.distribution_resend_code(actor=care.officer, distribution=d)
    assert len(sent) == 2


def test_sms_code_requests_trip_their_throttle(care, sent, settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], sms="1/hour")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    cache.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        d = give(care)
    client = Client()
    client.force_login(care.officer)
    url = f"/staff/care/distributions/{d.pk}/resend/"
    _age_code(d)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url)
    assert len(sent) == 2
    _age_code(d)
    with TestCase.captureOnCommitCallbacks(execute=True):
        page = client.post(url, follow=True).content.decode()
    assert "发送验证码过于频繁" in page
    assert len(sent) == 2


def _miss(client, d, wrong):
    return client.post(f"/staff/care/distributions/{d.pk}/confirm/", {"code": wrong}, follow=True)


def test_wrong_sms_codes_for_one_phone_lock_it_out_across_fresh_codes(care, sent):
    with TestCase.captureOnCommitCallbacks(execute=True):
        d = give(care)
    client = Client()
    client.force_login(care.officer)
    misses = 0
    while misses < 10:  # two codes' worth of wrong guesses (5 each), a resend between
        code = _code(sent)
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(5):
            _miss(client, d, wrong)
            misses += 1
        _age_code(d)
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.distribution_resend_code(actor=care.officer, distribution=d)
    page = _miss(client, d, _code(sent)).content.decode()  # the right code, now refused
    assert "错误次数过多，已暂时锁定" in page
    d.refresh_from_db()
    assert d.receipt_confirmed_at is None
    # the API refuses too, with a 429
    api = APIClient()
    api.force_authenticate(care.officer)
    response = api.post(
        f"/api/v1/distributions/{d.pk}/confirm/", {"code": _code(sent)}, format="json"
    )
    assert response.status_code == 429
    assert "错误次数过多" in response.json()["detail"]
    d.refresh_from_db()
    assert d.receipt_confirmed_at is None
    # the lockout key is a blind index, never the phone; the code is masked in axes' record
    attempt = AccessAttempt.objects.get()
    assert attempt.username.startswith("sms:")
    assert d.person.phone not in attempt.username
    assert "000000" not in attempt.post_data and "111111" not in attempt.post_data


def test_the_right_sms_code_clears_the_count(care, sent):
    with TestCase.captureOnCommitCallbacks(execute=True):
        d = give(care)
    client = Client()
    client.force_login(care.officer)
    code = _code(sent)
    _miss(client, d, "000000" if code != "000000" else "111111")
    assert AccessAttempt.objects.exists()
    _miss(client, d, code)
    d.refresh_from_db()
    assert d.receipt_confirmed_at is not None
    assert not AccessAttempt.objects.exists()


def test_the_aid_status_lookup_locks_a_code_after_repeated_wrong_phones(client, care):
    application = apply_for_aid(care)
    assert AidApplication.objects.count() == 1
    right_phone = AidApplication.objects.get().person.phone  # the phone on file
    for i in range(10):
        response = Client().post(
            "/care/status/",
            {"code": application.code, "phone": f"1390000{i:04d}"},
            REMOTE_ADDR=f"198.51.100.{i}",
        )
        assert "没有找到该申请" in response.content.decode()
    response = Client().post("/care/status/", {"code": application.code, "phone": right_phone})
    assert response.status_code == 429
    page = response.content.decode()
    assert "错误次数过多" in page
    assert "已提交" not in page
    attempts = AccessAttempt.objects.all()
    assert len({a.username for a in attempts}) == 1  # one key (the code), ten addresses
    assert all("1390000" not in a.post_data for a in attempts)
