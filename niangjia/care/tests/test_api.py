from __future__ import annotations

from rest_framework.test import APIClient

from niangjia.care.models import Distribution
from niangjia.care.tests.conftest import give


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def post(user, care, **extra):
    body = {
        "campaign": care.campaign.pk,
        "beneficiary": care.b1.pk,
        "item": care.gift.pk,
        "quantity": 1,
        **extra,
    }
    return api(user).post("/api/v1/distributions/", body, format="json")


def test_campaigns_list_and_detail_include_items(care):
    response = api(care.officer).get("/api/v1/campaigns/")
    assert response.status_code == 200
    assert [c["name"] for c in response.json()["results"]] == ["甲区冬季送温暖"]
    detail = api(care.officer).get(f"/api/v1/campaigns/{care.campaign.pk}/").json()
    assert [(i["name"], i["kind"], i["unit_value"]) for i in detail["items"]] == [
        ("慰问品礼包", "gift", "300.00"),
        ("困难职工慰问金", "cash", "2000.00"),
    ]


def test_outsider_sees_no_campaigns_and_gets_404(care):
    assert api(care.world.users["outsider"]).get("/api/v1/campaigns/").json()["count"] == 0
    assert (
        api(care.world.users["outsider"]).get(f"/api/v1/campaigns/{care.campaign.pk}/").status_code
        == 404
    )


def test_post_distribution_201_then_409_with_chinese_detail(care):
    first = post(care.officer, care)
    assert first.status_code == 201, first.json()
    assert first.json()["campaign"] == care.campaign.pk
    second = post(care.officer, care)
    assert second.status_code == 409
    assert second.json()["detail"] == "甲职工 已在本活动中领取过“慰问品礼包”，不能重复发放"
    assert Distribution.objects.count() == 1


def test_cash_over_limit_is_400_and_nothing_saved(care):
    response = post(care.officer, care, item=care.cash.pk, amount="3000")
    assert response.status_code == 400
    assert "超过本活动每人限额" in response.json()["amount"][0]
    assert not Distribution.objects.exists()


def test_outsider_and_view_only_cannot_post(care):
    assert post(care.world.users["outsider"], care).status_code == 403
    assert post(care.world.users["rights_officer"], care).status_code == 403
    assert not Distribution.objects.exists()


def test_beneficiaries_scoped_and_masked(care):
    rows = api(care.officer).get("/api/v1/beneficiaries/").json()["results"]
    assert {r["name"] for r in rows} == {"甲职工", "甲工人"}
    assert all("*" in r["id_number_masked"] for r in rows)
    assert api(care.world.users["outsider"]).get("/api/v1/beneficiaries/").json()["count"] == 0


def test_figures_endpoint(care):
    give(care)
    data = api(care.officer).get(f"/api/v1/campaigns/{care.campaign.pk}/figures/").json()
    assert (data["persons"], data["person_times"], data["spent"]) == (1, 1, "300.00")
    node = (
        api(care.officer)
        .get(f"/api/v1/campaigns/{care.campaign.pk}/figures/?org={care.world.S1.pk}")
        .json()
    )
    assert node["person_times"] == 1 and node["org_name"] == "甲街道工会"
    outside = api(care.officer).get(
        f"/api/v1/campaigns/{care.campaign.pk}/figures/?org={care.world.D2.pk}"
    )
    assert outside.status_code == 404


def test_void_via_api_needs_reason(care):
    d = give(care)
    response = api(care.officer).post(f"/api/v1/distributions/{d.pk}/void/", {}, format="json")
    assert response.status_code == 400
    response = api(care.officer).post(
        f"/api/v1/distributions/{d.pk}/void/", {"reason": "错发"}, format="json"
    )
    assert response.status_code == 200 and response.json()["void_reason"] == "错发"


def test_worker_sees_own_distribution_only(care):
    give(care, beneficiary=care.b_worker)
    give(care)
    rows = api(care.world.users["worker"]).get("/api/v1/distributions/").json()["results"]
    assert [r["person_name"] for r in rows] == ["甲工人"]


def test_beneficiary_search_by_id_number_is_posted_never_in_the_url(care, client):
    """#11 §4: ID numbers never travel in URLs: `?q=<ID>` is a 400, `POST search/` finds."""
    officer = api(care.officer)
    id_number = care.b1.person.id_number
    assert officer.get("/api/v1/beneficiaries/", {"q": id_number}).status_code == 400
    found = officer.post("/api/v1/beneficiaries/search/", {"q": id_number}, format="json")
    assert found.status_code == 200
    assert [r["id"] for r in found.json()["results"]] == [care.b1.pk]
    assert id_number not in found.content.decode()
    client.force_login(care.officer)
    page = client.post("/staff/care/beneficiaries/", {"q": id_number}).content.decode()
    assert care.b1.person.name in page
    assert (
        'role="search" method="post"' in client.get("/staff/care/beneficiaries/").content.decode()
    )
