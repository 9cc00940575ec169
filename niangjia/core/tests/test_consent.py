"""#11 §4: public forms that collect sensitive personal information show a privacy notice and ask
for separate consent (PIPL arts. 14, 29); the consent is stored with the submission."""

from __future__ import annotations

import pytest

from niangjia.care.models import AidApplication
from niangjia.rights.models import Case

NOTICE = "个人信息处理说明"


@pytest.fixture
def complaint(world):
    return {
        "name": "赵大山", "phone": "13912340000", "org": world.D1.pk, "employer_name": "某物流公司",
        "category": "wages", "workers_count": 1, "facts": "三个月没发工资",
    }  # fmt: skip


@pytest.fixture
def application(world):
    return {
        "org": world.S1.pk, "name": "王困难", "id_number": "11010519491231002X",
        "phone": "13912345678", "level": "deep", "cause": "重病", "household_size": 3,
        "household_income_amount": "20000",
    }  # fmt: skip


def test_public_forms_show_the_privacy_notice_and_an_unticked_consent_box(client, world):
    for url in ("/rights/complaint/", "/care/apply/"):
        body = client.get(url).content.decode()
        assert NOTICE in body and "保存多久" in body and "谁保存" in body
        assert 'name="consent"' in body and "checked" not in body.split('name="consent"')[1][:80]


def test_complaint_without_consent_is_refused_and_keeps_what_was_typed(client, complaint):
    response = client.post("/rights/complaint/", complaint)
    body = response.content.decode()
    assert "勾选同意" in body and "三个月没发工资" in body and 'value="某物流公司"' in body
    assert not Case.objects.exists()
    client.post("/rights/complaint/", {**complaint, "consent": "on"})
    case = Case.objects.get()
    assert case.consent_version == "2026-12-v1" and case.consent_at is not None


def test_aid_application_without_consent_is_refused_and_keeps_what_was_typed(client, application):
    response = client.post("/care/apply/", application)
    body = response.content.decode()
    assert "勾选同意" in body and 'value="王困难"' in body
    assert not AidApplication.objects.exists()
    client.post("/care/apply/", {**application, "consent": "on"})
    stored = AidApplication.objects.get()
    assert stored.consent_version == "2026-12-v1" and stored.consent_at is not None


def test_the_service_refuses_an_online_complaint_without_consent(world):
    from django.core.exceptions import ValidationError

    from niangjia.rights import services
    from niangjia.rights.services import WorkerInput

    with pytest.raises(ValidationError, match="勾选同意"):
        services.case_create(
            actor=None, org=world.D1, source="online", category="wages", employer_name="某公司",
            facts="欠薪", workers=[WorkerInput(name="赵大山", phone="13912340000")],
        )  # fmt: skip
    assert not Case.objects.exists()
