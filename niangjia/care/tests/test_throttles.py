"""#11 §2: the anonymous aid application and its status lookup are throttled per client
address: a 429 page in Chinese that keeps what was typed, and nothing written."""

from __future__ import annotations

from niangjia.care.models import AidApplication


def _application(care, person) -> dict:
    return {
        "org": care.world.S1.pk,
        "name": "王困难",
        "id_number": person.id_number,
        "phone": "13912345678",
        "level": "deep",
        "cause": "重病住院",
        "household_size": 3,
        "household_income_amount": "20000",
        "consent": "on",
    }


def test_the_aid_application_trips_its_throttle_with_a_429_page_that_keeps_the_input(
    client, care, rates
):
    rates("aid_apply", "1/hour")
    assert client.post("/care/apply/", _application(care, care.world.p_e2)).status_code == 200
    assert AidApplication.objects.count() == 1
    response = client.post("/care/apply/", _application(care, care.world.p_e3))
    assert response.status_code == 429
    page = response.content.decode()
    assert "提交过于频繁" in page
    assert 'value="王困难"' in page and "重病住院" in page
    assert AidApplication.objects.count() == 1


def test_the_aid_status_lookup_trips_its_throttle(client, care, rates):
    rates("lookup", "2/minute")
    for _ in range(2):
        response = client.post("/care/status/", {"code": "KN00000001", "phone": "13800000000"})
        assert response.status_code == 200
        assert "没有找到该申请" in response.content.decode()
    response = client.post("/care/status/", {"code": "KN00000001", "phone": "13800000000"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "查询过于频繁" in page
    assert 'value="KN00000001"' in page
