from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from niangjia.care.models import AidApplication, Beneficiary, Campaign, Distribution, TargetGroup
from niangjia.care.tests.conftest import PNG, apply_for_aid, give
from niangjia.core.nav import PUBLIC_ENTRIES, STAFF_NAV


def login(client, care, who="care_officer"):
    client.force_login(care.world.users[who])
    return client


def test_nav_entries_are_registered():
    assert any(i.url_name == "care:campaign-list" and i.perm == "care.view" for i in STAFF_NAV)
    assert any(i.url_name == "care_public:home" and i.icon == "heart" for i in PUBLIC_ENTRIES)


@pytest.mark.parametrize(
    "url",
    [
        "/staff/care/",
        "/staff/care/beneficiaries/",
        "/staff/care/applications/",
        "/staff/care/new/",
        "/staff/care/beneficiaries/new/",
    ],
)
def test_staff_pages_render_and_outsider_is_refused(client, care, url):
    assert login(client, care).get(url).status_code == 200
    assert login(client, care, "outsider").get(url).status_code == 403


def test_campaign_pages_are_scoped(client, care):
    give(care)
    for suffix in ["", "figures/", "distribute/", "visits/new/", "import/"]:
        url = f"/staff/care/{care.campaign.pk}/{suffix}"
        assert login(client, care).get(url).status_code == 200, url
        assert login(client, care, "outsider").get(url).status_code == 404, url


def test_list_pages_run_a_constant_number_of_queries(client, care, django_assert_max_num_queries):
    from niangjia.care import services

    login(client, care)
    for i in range(15):
        services.campaign_create(
            actor=care.officer,
            org=care.world.D1,
            name=f"活动{i}",
            starts_on=care.campaign.starts_on,
            ends_on=care.campaign.ends_on,
            budget_amount=100,
        )
        Beneficiary.objects.create(
            person=care.world.p_e2 if i == 0 else care.world.p_moved,
            org=care.world.S1 if i == 0 else care.world.G1,
            category=TargetGroup.FRONTLINE,
        ) if i < 2 else None
    with django_assert_max_num_queries(12):
        assert client.get("/staff/care/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/staff/care/beneficiaries/").status_code == 200


def test_create_campaign_keeps_input_on_error(client, care):
    response = login(client, care).post(
        "/staff/care/new/",
        {
            "name": "新活动",
            "org": care.world.D1.pk,
            "starts_on": "2026-02-01",
            "ends_on": "2026-01-01",
            "budget_amount": "5000",
            "target_groups": ["hardship"],
        },
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert 'value="新活动"' in response.content.decode()
    assert Campaign.objects.count() == 1


def test_distribution_form_records_with_signature_and_refuses_duplicate(client, care):
    login(client, care)
    data = {
        "id_number": care.world.p_e1.id_number,
        "item": care.gift.pk,
        "quantity": 1,
        "receipt_kind": "signature",
    }
    response = client.post(
        f"/staff/care/{care.campaign.pk}/distribute/",
        {**data, "signature": SimpleUploadedFile("s.png", PNG)},
    )
    assert response.status_code == 302
    d = Distribution.objects.get()
    assert d.receipt_confirmed_at and d.signature.name.endswith(".png")
    response = client.post(
        f"/staff/care/{care.campaign.pk}/distribute/",
        {**data, "signature": SimpleUploadedFile("s.png", PNG)},
    )
    assert "已在本活动中领取过“慰问品礼包”，不能重复发放" in response.content.decode()
    assert Distribution.objects.count() == 1


def test_distribution_form_unknown_person(client, care):
    response = login(client, care).post(
        f"/staff/care/{care.campaign.pk}/distribute/",
        {
            "id_number": "11010519491231002X",
            "item": care.gift.pk,
            "quantity": 1,
            "receipt_kind": "sms",
        },
    )
    assert "本活动范围内没有该身份证号码的帮扶对象" in response.content.decode()


def test_void_via_page_and_outsider_cannot(client, care):
    d = give(care)
    login(client, care, "outsider").post(f"/staff/care/distributions/{d.pk}/void/", {"reason": "x"})
    d.refresh_from_db()
    assert d.voided_at is None
    login(client, care).post(f"/staff/care/distributions/{d.pk}/void/", {"reason": "错发"})
    d.refresh_from_db()
    assert d.void_reason == "错发"


def test_exported_excel_agrees_with_the_database(client, care):
    give(care)
    give(care, beneficiary=care.b_worker)
    give(care, item=care.cash, amount=700, payment_method="in_person")
    response = login(client, care).get(f"/staff/care/{care.campaign.pk}/export.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["汇总", "慰问品礼包", "困难职工慰问金"]
    summary = {r[0]: r[1:] for r in wb["汇总"].iter_rows(values_only=True) if r and r[0]}
    assert summary["慰问人数（人）"][0] == 2
    assert summary["慰问人次（人次）"][0] == 3
    assert summary["支出（元）"][0] == 1300
    gifts = [r for r in wb["慰问品礼包"].iter_rows(min_row=3, values_only=True) if r[0] != "合计"]
    assert len(gifts) == 2 and all("*" in r[2] for r in gifts)


def test_budget_request_and_second_officer_approval(client, care):
    login(client, care).post(
        f"/staff/care/{care.campaign.pk}/budget/", {"amount": "500", "reason": "增加站点"}
    )
    approval = care.campaign.approvals.get()
    login(client, care).post(f"/staff/care/approvals/{approval.pk}/decide/", {"approve": "1"})
    approval.refresh_from_db()
    assert approval.status == "requested"
    login(client, care, "org_admin").post(
        f"/staff/care/approvals/{approval.pk}/decide/", {"approve": "1"}
    )
    care.campaign.refresh_from_db()
    assert care.campaign.total_budget == 10500


def test_a_bad_budget_request_or_item_says_which_field_on_the_campaign_page(client, care):
    page = f"/staff/care/{care.campaign.pk}/"
    r = login(client, care).post(
        f"/staff/care/{care.campaign.pk}/budget/",
        {"amount": "-5", "reason": "增加站点"},
        follow=True,
    )
    assert r.redirect_chain[-1][0] == page
    assert "追加金额（元）：" in r.content.decode()
    assert not care.campaign.approvals.exists()
    r = client.post(f"/staff/care/{care.campaign.pk}/items/", {}, follow=True)
    assert r.redirect_chain[-1][0] == page
    shown = [str(m) for m in r.context["messages"]]
    assert any(m.startswith("项目名称：") for m in shown)
    assert not care.campaign.items.filter(name="").exists()


def test_public_apply_keeps_input_on_error_then_lookup(client, care):
    url = "/care/apply/"
    assert client.get(url).status_code == 200
    bad = {
        "org": care.world.S1.pk,
        "name": "王困难",
        "id_number": "120116199001011230",
        "phone": "13912345678",
        "level": "deep",
        "cause": "重病",
        "household_size": 3,
        "household_income_amount": "20000",
        "consent": "on",
    }
    response = client.post(url, bad)
    body = response.content.decode()
    assert "校验位" in body and 'value="王困难"' in body
    assert not AidApplication.objects.exists()
    person = care.world.p_e2
    on_file = (person.name, person.phone, person.employer_id, person.user_id)
    good = {**bad, "id_number": person.id_number}
    response = client.post(url, good)
    application = AidApplication.objects.get()
    assert application.code in response.content.decode()
    assert application.typed_name == "王困难" and application.typed_phone == "13912345678"
    person.refresh_from_db()
    assert (person.name, person.phone, person.employer_id, person.user_id) == on_file


def test_aid_status_lookup_uses_the_phone_on_file_not_the_one_a_second_submitter_typed(
    client, care
):
    # Turned around (#11): the lookup used to work with the phone a second submitter typed for
    # an existing person, because the application overwrote the phone on file.
    person = care.world.p_e2
    client.post(
        "/care/apply/",
        {
            "org": care.world.S1.pk, "name": "王困难", "id_number": person.id_number,
            "phone": "13912345678", "level": "deep", "cause": "重病", "household_size": 3,
            "household_income_amount": "20000", "consent": "on",
        },
    )  # fmt: skip
    application = AidApplication.objects.get()
    response = client.post("/care/status/", {"code": application.code, "phone": "13912345678"})
    assert "没有找到该申请" in response.content.decode()
    response = client.post("/care/status/", {"code": application.code, "phone": person.phone})
    assert "已提交" in response.content.decode()


def test_staff_accepts_application_opening_a_hardship_file(client, care):

    application = apply_for_aid(care)
    login(client, care, "outsider").post(
        f"/staff/care/applications/{application.pk}/decide/", {"accept": "1"}
    )
    application.refresh_from_db()
    assert application.status == "submitted"
    login(client, care).post(f"/staff/care/applications/{application.pk}/decide/", {"accept": "1"})
    application.refresh_from_db()
    assert application.status == "accepted"
    assert (
        Beneficiary.objects.get(person=care.world.p_e2, org=care.world.S1).hardship.level == "deep"
    )


def test_worker_sees_what_they_received(client, care):
    give(care, beneficiary=care.b_worker)
    give(care)
    response = login(client, care, "worker").get("/care/mine/")
    body = response.content.decode()
    assert "慰问品礼包" in body and body.count("list-group-item") == 1
    assert client.logout() is None
    assert client.get("/care/mine/").status_code == 302


def test_a_campaign_is_edited_with_the_enterprises_to_visit(client, world):
    import datetime
    from decimal import Decimal

    from niangjia.care import services
    from niangjia.care.models import Campaign

    officer = world.users["care_officer"]
    campaign = services.campaign_create(
        actor=officer, org=world.D1, name="春节送温暖", starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 2, 28), budget_amount=Decimal("10000"),
    )  # fmt: skip
    client.force_login(officer)
    response = client.post(
        f"/staff/care/{campaign.pk}/edit/",
        {"name": "春节送温暖（修订）", "starts_on": "2026-01-01", "ends_on": "2026-02-28",
         "budget_amount": "12000", "target_groups": ["hardship"], "teams": "一组：张三",
         "enterprises": [world.E1.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.name == "春节送温暖（修订）"
    assert list(campaign.enterprises.all()) == [world.E1]
    # an enterprise outside the officer's scope is not a valid choice
    bad = client.post(
        f"/staff/care/{campaign.pk}/edit/",
        {"name": "x", "starts_on": "2026-01-01", "ends_on": "2026-02-28", "budget_amount": "12000",
         "target_groups": ["hardship"], "enterprises": [world.E3.pk]},
    )  # fmt: skip
    assert bad.status_code == 200
    assert list(Campaign.objects.get(pk=campaign.pk).enterprises.all()) == [world.E1]


def test_care_export_escapes_a_formula_typed_as_a_name(client, care):
    formula = '=HYPERLINK("http://x","y")'
    type(care.b1.person).objects.filter(pk=care.b1.person_id).update(name=formula)
    give(care)
    response = login(client, care).get(f"/staff/care/{care.campaign.pk}/export.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r]
    assert all(c.data_type != "f" for c in cells)
    assert "'" + formula in [c.value for c in cells]
    summary = {r[0]: r[1:] for r in wb["汇总"].iter_rows(values_only=True) if r and r[0]}
    assert isinstance(summary["支出（元）"][0], int | float)  # amounts stay numbers
