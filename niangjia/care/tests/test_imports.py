from __future__ import annotations

import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from niangjia.care import selectors
from niangjia.care.models import Beneficiary, Distribution, ImportJob
from niangjia.care.tests.conftest import give
from niangjia.core.demo import fake_resident_id
from niangjia.orgs.models import Person

HEADER = [
    "姓名",
    "身份证号码",
    "手机号码",
    "类别",
    "工作单位",
    "平台",
    "站点",
    "慰问项目",
    "数量",
    "金额",
]


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ids(n, seed=5):
    rng = random.Random(seed)
    return [fake_resident_id(rng, "640202") for _ in range(n)]


def run(client, care, data: bytes) -> ImportJob:
    client.force_login(care.officer)
    client.post(
        f"/staff/care/{care.campaign.pk}/import/",
        {"file": SimpleUploadedFile("list.xlsx", data)},
    )
    return ImportJob.objects.latest("pk")


def test_bad_rows_are_all_reported_with_row_numbers_and_nothing_is_saved(client, care):
    a, b, c = ids(3)
    data = xlsx(
        [
            ["张一", a, "13800000001", "困难职工", "甲企业", "", "", "慰问品礼包", 1, None],
            [
                "张二",
                "120116199001011230",
                "13800000002",
                "一线职工",
                "",
                "",
                "",
                "慰问品礼包",
                1,
                None,
            ],
            ["张三", b, "12345", "外星人", "", "", "", "慰问品礼包", 1, None],
            ["张一", a, "13800000001", "困难职工", "", "", "", "慰问品礼包", 1, None],
            ["张四", c, "", "困难职工", "", "", "", "困难职工慰问金", 1, 5000],
        ]
    )
    people_before = Person.objects.count()
    job = run(client, care, data)
    assert job.status == ImportJob.Status.INVALID
    by_row = {e["row"]: e["message"] for e in job.errors}
    assert set(by_row) == {3, 4, 5, 6}
    assert "校验位" in by_row[3]
    assert "手机号码" in by_row[4] and "类别“外星人”无效" in by_row[4]
    assert "与第 2 行重复" in by_row[5]
    assert "超过本活动每人限额" in by_row[6]
    assert not Distribution.objects.exists()
    assert Person.objects.count() == people_before


def test_a_clean_file_imports_everything_and_keeps_figures_exact(client, care):
    rows = [
        [
            f"工人{i}",
            id_,
            f"1390000{i:04d}",
            "新就业形态劳动者",
            "甲企业",
            "美团",
            "",
            "慰问品礼包",
            1,
            None,
        ]
        for i, id_ in enumerate(ids(20))
    ]
    rows.append(
        ["甲职工", care.world.p_e1.id_number, "", "困难职工", "", "", "", "困难职工慰问金", 1, 800]
    )
    job = run(client, care, xlsx(rows))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.created_count == 21 and job.processed == 21
    figures = selectors.campaign_figures(care.campaign)
    assert figures["person_times"] == 21 and figures["persons"] == 21
    care.campaign.refresh_from_db()
    assert care.campaign.spent_amount == Decimal("6800.00")
    # the existing person was found by the blind index, not created again
    assert Person.objects.filter(id_number_hash=care.world.p_e1.id_number_hash).count() == 1
    assert Beneficiary.objects.filter(platform="meituan", employer=care.world.E1).count() == 20


def test_a_person_already_served_is_a_bad_row(client, care):
    give(care)
    job = run(
        client,
        care,
        xlsx(
            [
                [
                    "甲职工",
                    care.world.p_e1.id_number,
                    "",
                    "困难职工",
                    "",
                    "",
                    "",
                    "慰问品礼包",
                    1,
                    None,
                ],
            ]
        ),
    )
    assert job.status == ImportJob.Status.INVALID
    assert job.errors[0]["row"] == 2 and "已在本活动中领取过" in job.errors[0]["message"]
    assert Distribution.objects.count() == 1


def test_a_file_over_the_budget_is_refused_whole(client, care):
    rows = [
        [f"工人{i}", id_, "", "一线职工", "", "", "", "慰问品礼包", 1, None]
        for i, id_ in enumerate(ids(40))
    ]  # 40 × 300 = 12,000 > 10,000
    job = run(client, care, xlsx(rows))
    assert job.status == ImportJob.Status.INVALID
    assert "超出活动剩余预算" in job.errors[-1]["message"]
    assert not Distribution.objects.exists()


def test_a_non_excel_upload_is_refused_in_chinese(client, care):
    client.force_login(care.officer)
    response = client.post(
        f"/staff/care/{care.campaign.pk}/import/",
        {"file": SimpleUploadedFile("list.csv", b"a,b")},
    )
    assert "请上传 .xlsx 格式的 Excel 文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_unreadable_xlsx_is_reported(client, care):
    # refused on the form before a job is created (issue #11 §5); see test_import_limits.py
    client.force_login(care.officer)
    response = client.post(
        f"/staff/care/{care.campaign.pk}/import/",
        {"file": SimpleUploadedFile("list.xlsx", b"not a zip")},
    )
    assert response.status_code == 200
    assert "不是有效的 Excel" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_progress_partial_is_served_to_htmx(client, care):
    job = run(
        client,
        care,
        xlsx(
            [
                [
                    "甲职工",
                    care.world.p_e1.id_number,
                    "",
                    "困难职工",
                    "",
                    "",
                    "",
                    "慰问品礼包",
                    1,
                    None,
                ]
            ]
        ),
    )
    response = client.get(f"/staff/care/imports/{job.pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="import-status"' in response.content.decode()
    client.force_login(care.world.users["outsider"])
    assert client.get(f"/staff/care/imports/{job.pk}/").status_code == 404
