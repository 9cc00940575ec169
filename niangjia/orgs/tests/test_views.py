from __future__ import annotations

import pytest

from niangjia.core.models import AccessLog
from niangjia.orgs.models import Enterprise, Person


@pytest.fixture
def officer(client, world):
    client.force_login(world.users["rights_officer"])
    return client


def test_login_page_and_the_staff_home_show_the_role(client, world):
    response = client.post("/staff/login/", {"username": "rights_officer", "password": "pw"})
    assert response.status_code == 302
    home = client.get("/staff/").content.decode()
    assert "维权干部" in home
    assert "甲区总工会" in home


def test_a_wrong_password_keeps_the_username_and_says_why(client, world):
    response = client.post("/staff/login/", {"username": "rights_officer", "password": "x"})
    page = response.content.decode()
    assert "用户名或密码不正确" in page
    assert 'value="rights_officer"' in page


def test_anonymous_staff_pages_redirect_to_login(client, db):
    response = client.get("/staff/orgs/enterprises/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_enterprise_list_shows_only_the_scope(officer):
    page = officer.get("/staff/orgs/enterprises/").content.decode()
    assert "甲企业" in page
    assert "乙企业" not in page


def test_a_foreign_enterprise_page_is_a_404(officer, world):
    assert officer.get(f"/staff/orgs/enterprises/{world.E3.pk}/").status_code == 404


def test_a_rejected_enterprise_form_keeps_what_was_typed(officer, world):
    before = Enterprise.objects.count()
    response = officer.post(
        "/staff/orgs/enterprises/new/",
        {"name": "宁夏测试新材料有限公司", "credit_code": "91640202MA76ABCDE1", "industry": "C",
         "size": "small", "employee_count": "30", "address": "高新区纬三路", "org": world.S1.pk},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确" in page
    assert "宁夏测试新材料有限公司" in page
    assert "高新区纬三路" in page
    assert Enterprise.objects.count() == before


def test_editing_an_enterprise_shows_in_its_history(officer, world):
    officer.post(
        f"/staff/orgs/enterprises/{world.E1.pk}/edit/",
        {"name": "甲企业", "credit_code": world.E1.credit_code, "industry": "C", "size": "small",
         "employee_count": "77", "address": "", "org": world.S1.pk},
    )  # fmt: skip
    page = officer.get(f"/staff/orgs/enterprises/{world.E1.pk}/").content.decode()
    assert "变更记录" in page
    assert "50 → 77" in page
    assert "rights_officer" in page


def test_person_pages_mask_numbers_and_log_each_view(officer, world):
    page = officer.get(f"/staff/orgs/people/{world.p_e1.pk}/").content.decode()
    assert world.p_e1.id_number not in page
    assert world.p_e1.id_number_masked in page
    assert AccessLog.objects.filter(target_id=str(world.p_e1.pk), action="view").count() == 1


def test_revealing_needs_the_permission_and_is_logged(client, world):
    # a rights officer may not reveal
    client.force_login(world.users["rights_officer"])
    assert client.post(f"/staff/orgs/people/{world.p_e1.pk}/reveal/").status_code == 404
    # a care officer may, and the reveal is logged
    client.force_login(world.users["care_officer"])
    response = client.post(f"/staff/orgs/people/{world.p_e1.pk}/reveal/")
    assert world.p_e1.id_number in response.content.decode()
    assert AccessLog.objects.filter(action="reveal", user=world.users["care_officer"]).count() == 1


def test_registering_a_person_with_a_bad_id_keeps_the_form(officer):
    response = officer.post(
        "/staff/orgs/people/new/",
        {"name": "王五", "id_number": "11010519491231002", "phone": "1381234"},
    )
    page = response.content.decode()
    assert "身份证号码应为18位" in page
    assert "手机号码" in page
    assert 'value="王五"' in page
    assert not Person.objects.filter(name="王五").exists()


def test_editing_a_person_never_puts_the_full_phone_in_the_page(officer, world):
    page = officer.get(f"/staff/orgs/people/{world.p_e1.pk}/edit/").content.decode()
    assert world.p_e1.phone not in page
    assert world.p_e1.phone_masked in page
    # an empty phone keeps the old one
    officer.post(f"/staff/orgs/people/{world.p_e1.pk}/edit/", {"name": "甲职工改", "phone": ""})
    world.p_e1.refresh_from_db()
    assert world.p_e1.name == "甲职工改"
    assert world.p_e1.phone == "13800000002"


def test_org_detail_lists_children_and_agencies(officer, world):
    page = officer.get(f"/staff/orgs/{world.D1.pk}/").content.decode()
    assert "甲区人民法院" in page
    assert "甲街道工会" in page
    assert officer.get(f"/staff/orgs/{world.D3.pk}/").status_code == 404


def test_list_pages_run_a_constant_number_of_queries(officer, world, django_assert_max_num_queries):
    from niangjia.conftest_helpers import add_enterprises

    officer.get("/staff/orgs/enterprises/")  # warm caches (content types, session)
    with django_assert_max_num_queries(12) as few:
        officer.get("/staff/orgs/enterprises/")
    add_enterprises(world.S1, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        officer.get("/staff/orgs/enterprises/")


def test_language_switch_translates_the_staff_pages(officer):
    officer.post("/i18n/setlang/", {"language": "zh-hant", "next": "/staff/"})
    assert "組織" in officer.get("/staff/").content.decode()
    officer.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    assert "Organisations" in officer.get("/staff/").content.decode()


def test_the_public_home_is_mobile_first_and_in_chinese(client, db):
    page = client.get("/").content.decode()
    assert 'name="viewport"' in page
    assert "12351" in page
    assert 'lang="zh-hans"' in page


def test_person_search_by_id_number_is_posted_never_in_the_url(officer, world):
    """#11 §4: the search box posts; an ID number or phone in `?q=` is not used, and the
    pagination links never carry one."""
    page = officer.get("/staff/orgs/people/").content.decode()
    assert 'role="search" method="post"' in page
    found = officer.post("/staff/orgs/people/", {"q": world.p_e1.id_number}).content.decode()
    assert "甲职工" in found and "甲工人" not in found
    ignored = officer.get("/staff/orgs/people/", {"q": world.p_e1.id_number}).content.decode()
    assert "甲工人" in ignored  # the unfiltered list
    assert officer.get("/staff/orgs/people/", {"q": "甲职工"}).content.decode().count("甲工人") == 0
