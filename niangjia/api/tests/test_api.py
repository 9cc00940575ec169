from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from niangjia.core.demo import fake_credit_code
from niangjia.core.models import AccessLog
from niangjia.orgs.models import Enterprise, Org, Person


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.users["rights_officer"])
    return client


def test_a_token_is_issued_for_a_username_and_password(world):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "rights_officer", "password": "pw"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/").json()
    assert me["username"] == "rights_officer"
    assert me["roles"][0]["role"] == "rights_officer"
    assert me["roles"][0]["org_name"] == "甲区总工会"
    assert "rights.edit" in me["scopes"][0]["permissions"]


def test_a_wrong_password_gets_a_chinese_error(world):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "rights_officer", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "无法使用提供的认证信息登录" in str(response.json())


def test_anonymous_callers_are_refused_in_chinese(world):
    response = APIClient().get("/api/v1/orgs/")
    assert response.status_code == 401
    assert response.json()["detail"] == "身份认证信息未提供。"


def test_malformed_json_is_a_400_in_chinese(api):
    response = api.post("/api/v1/enterprises/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容不是有效的 JSON，请检查格式。"


def test_an_invalid_credit_code_is_refused_and_nothing_is_saved(api, world):
    before = Enterprise.objects.count()
    response = api.post(
        "/api/v1/enterprises/",
        {"name": "新企业", "credit_code": "91640202MA76ABCDE1", "industry": "C", "size": "small",
         "org": world.S1.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["credit_code"] == ["统一社会信用代码校验位不正确，请核对"]
    assert Enterprise.objects.count() == before


def test_an_enterprise_is_created_in_scope_with_a_normalised_code(api, world):
    import random

    code = fake_credit_code(random.Random(99), "640202")
    response = api.post(
        "/api/v1/enterprises/",
        {"name": "新企业", "credit_code": code.lower(), "industry": "C", "size": "small",
         "org": world.S1.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["credit_code"] == code
    assert response.json()["has_union"] is False


def test_an_enterprise_cannot_be_placed_outside_the_callers_scope(api, world):
    import random

    response = api.post(
        "/api/v1/enterprises/",
        {"name": "越界企业", "credit_code": fake_credit_code(random.Random(5), "220102"),
         "industry": "C", "size": "small", "org": world.D3.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 404
    assert not Enterprise.objects.filter(name="越界企业").exists()


def test_a_duplicate_credit_code_is_a_clear_400(api, world):
    response = api.post(
        "/api/v1/enterprises/",
        {"name": "重复", "credit_code": world.E1.credit_code, "industry": "C", "size": "small",
         "org": world.S1.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["credit_code"] == ["该统一社会信用代码已登记"]


def test_people_are_masked_in_the_api_and_found_by_exact_id_number(api, world):
    response = api.post("/api/v1/people/search/", {"q": world.p_e1.id_number}, format="json")
    rows = response.json()["results"]
    assert [r["name"] for r in rows] == ["甲职工"]
    assert rows[0]["id_number_masked"].count("*") == 8
    assert world.p_e1.id_number not in response.content.decode()
    assert "id_number" not in rows[0]


def test_people_search_never_takes_an_id_number_or_phone_from_the_url(api, world):
    """#11 §4: ID numbers and phones are posted to search/, a query string carrying one is a
    400 (it would sit in proxy and server logs)."""
    for q in (world.p_e1.id_number, world.p_e1.phone):
        response = api.get("/api/v1/people/", {"q": q})
        assert response.status_code == 400
        assert "search/" in str(response.json())
    by_phone = api.post("/api/v1/people/search/", {"q": world.p_e1.phone}, format="json").json()
    assert [r["name"] for r in by_phone["results"]] == ["甲职工"]
    assert [r["name"] for r in api.get("/api/v1/people/", {"q": "甲职工"}).json()["results"]] == [
        "甲职工"
    ]
    # a read: the people.view scope applies, a search writes nothing
    outsider = APIClient()
    outsider.force_authenticate(world.users["station_manager"])
    hidden = outsider.post("/api/v1/people/search/", {"q": world.p_e1.id_number}, format="json")
    assert hidden.json()["count"] == 0


def test_viewing_a_person_through_the_api_is_logged(api, world):
    api.get(f"/api/v1/people/{world.p_e1.pk}/")
    entry = AccessLog.objects.get()
    assert entry.user == world.users["rights_officer"]
    assert entry.target_id == str(world.p_e1.pk)


def test_an_invalid_id_number_is_refused_with_the_reason(api):
    response = api.post(
        "/api/v1/people/", {"name": "李四", "id_number": "110105194912310021"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["id_number"] == ["身份证号码校验位不正确，请核对"]
    assert not Person.objects.filter(name="李四").exists()


def test_registering_a_known_id_number_returns_the_same_person(api, world):
    response = api.post(
        "/api/v1/people/",
        {"name": "另一个名字", "id_number": world.p_e1.id_number, "phone": "13900000000"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["id"] == world.p_e1.pk
    assert Person.objects.filter(name="另一个名字").count() == 0


def test_an_org_admin_adds_a_child_org_and_the_level_is_checked(world):
    client = APIClient()
    client.force_authenticate(world.users["org_admin"])
    bad = client.post(
        "/api/v1/orgs/",
        {"name": "错层级", "level": "province", "region_code": "640202", "parent_id": world.D1.pk},
        format="json",
    )
    assert bad.status_code == 400
    assert "层级" in str(bad.json())
    good = client.post(
        "/api/v1/orgs/",
        {"name": "新街道", "level": "street", "region_code": "640202", "parent_id": world.D1.pk},
        format="json",
    )
    assert good.status_code == 201, good.json()
    assert good.json()["parent"] == world.D1.pk
    assert Org.objects.get(name="新街道").path.startswith(world.D1.path)


def test_an_invalid_region_code_is_refused(world):
    client = APIClient()
    client.force_authenticate(world.users["org_admin"])
    response = client.post(
        "/api/v1/orgs/",
        {"name": "新街道", "level": "street", "region_code": "99000", "parent_id": world.D1.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "region_code" in response.json()


def test_a_rights_officer_may_not_create_orgs(api, world):
    response = api.post(
        "/api/v1/orgs/",
        {"name": "x", "level": "street", "region_code": "640202", "parent_id": world.D1.pk},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有执行该操作的权限。"


def test_org_list_gives_parents_in_a_constant_number_of_queries(
    world, django_assert_max_num_queries
):
    client = APIClient()
    client.force_authenticate(world.users["superuser"])
    with django_assert_max_num_queries(4):
        rows = client.get("/api/v1/orgs/", {"page_size": 200}).json()["results"]
    parent_of = {r["name"]: r["parent"] for r in rows}
    assert parent_of["甲区人民法院"] == world.D1.pk
    assert parent_of["全国总工会"] is None


def test_the_openapi_schema_and_docs_are_served(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/enterprises/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_an_unknown_api_url_is_a_json_404(client, db):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404


def test_the_openapi_schema_validates_without_warnings(db, tmp_path):
    """Clients generate code from the schema: no unnamed views, no hash-suffixed enum names."""
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "CaseCategoryEnum" in text
    assert "PublicCaseView" in text
