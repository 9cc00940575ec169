"""#11 §2: the anonymous complaint and case lookup pages are throttled per client address:
a 429 page in Chinese that keeps what was typed, and nothing written."""

from __future__ import annotations

from niangjia.rights.models import Case


def _complaint(world, i: int) -> dict:
    return {"name": f"赵大山{i}", "phone": f"139123400{i:02d}", "org": world.D1.pk,
            "employer_name": f"某物流公司{i}", "category": "wages", "workers_count": 1,
            "facts": f"三个月没发工资{i}", "consent": "on"}  # fmt: skip


def test_the_public_complaint_trips_its_throttle_with_a_429_page_that_keeps_the_input(
    client, world, rates
):
    rates("complaint", "2/hour")
    for i in range(2):
        assert client.post("/rights/complaint/", _complaint(world, i)).status_code == 200
    assert Case.objects.count() == 2
    response = client.post(
        "/rights/complaint/", _complaint(world, 7), HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "提交过于频繁" in page
    assert "三个月没发工资7" in page and 'value="某物流公司7"' in page
    assert Case.objects.count() == 2


def test_the_public_case_lookup_trips_its_throttle(client, world, rates):
    rates("lookup", "3/minute")
    for _ in range(3):
        response = client.post("/rights/lookup/", {"number": "X1", "phone": "13800000000"})
        assert response.status_code == 200
    response = client.post("/rights/lookup/", {"number": "X1", "phone": "13800000000"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "查询过于频繁" in page
    assert 'value="X1"' in page


def test_wrong_phones_for_one_case_number_lock_the_lookup_of_that_number(client, make_case):
    """Guessing a case's phone from many addresses: after 10 misses even the right phone is
    refused for the cool-off, on the page and in the API; other numbers are not affected."""
    from rest_framework.test import APIClient

    case = make_case()
    for i in range(10):
        response = client.post(
            "/rights/lookup/",
            {"number": case.number, "phone": f"1390000{i:04d}"},
            REMOTE_ADDR=f"198.51.100.{i}",
        )
        assert "未找到与该编号和手机号码相符的案件" in response.content.decode()
    response = client.post("/rights/lookup/", {"number": case.number, "phone": "13912345678"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "错误次数过多" in page
    assert "lookup-result" not in page
    api = APIClient().post("/api/v1/cases/lookup/", {"number": case.number, "phone": "13912345678"})
    assert api.status_code == 429
    assert "错误次数过多" in api.json()["detail"]
    response = client.post("/rights/lookup/", {"number": "WQ-OTHER", "phone": "13912345678"})
    assert response.status_code == 200  # another number is not locked
    assert "错误次数过多" not in response.content.decode()


def test_the_case_lookup_api_counts_wrong_phones_too(make_case):
    from rest_framework.test import APIClient

    case = make_case()
    for i in range(10):
        response = APIClient().post(
            "/api/v1/cases/lookup/",
            {"number": case.number, "phone": f"1390000{i:04d}"},
            REMOTE_ADDR=f"198.51.100.{i}",
        )
        assert response.status_code == 404
    response = APIClient().post(
        "/api/v1/cases/lookup/", {"number": case.number, "phone": "13912345678"}
    )
    assert response.status_code == 429
