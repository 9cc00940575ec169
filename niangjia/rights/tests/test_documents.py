"""Case documents: versions, signing one way, Chinese text really drawn in the PDF, DOCX content,
scope of the downloads, guard rails."""

from __future__ import annotations

import datetime
import io
import random

import pypdfium2 as pdfium
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from rest_framework.test import APIClient

from niangjia.core.demo import fake_resident_id
from niangjia.core.models import AccessLog
from niangjia.rights import documents, services
from niangjia.rights.models import CaseDocument, DocumentImmutable, TimelineEntry
from niangjia.rights.services import ClaimInput, WorkerInput

DAY = datetime.date(2026, 7, 3)


@pytest.fixture
def mediated_case(world, make_case):
    officer = world.users["rights_officer"]
    case = make_case(
        workers=[
            WorkerInput(name="张建军", id_number="11010519491231002X", phone="13912345678"),
            WorkerInput(
                name="李卫东",
                id_number=fake_resident_id(random.Random(99), "640202"),
                phone="13912345679",
            ),
        ],
        contractors=[("general", "宁夏建工集团第三建筑公司"), ("team_leader", "马长贵")],
    )
    services.case_transition(case=case, action="accept", actor=officer, on=DAY)
    services.case_transition(case=case, action="mediate", actor=officer, on=DAY)
    services.agreement_record(
        case=case,
        actor=officer,
        terms="总承包单位先行垫付全部欠薪",
        amount="100000.00",
        signed_on=datetime.date(2026, 7, 10),
        payment_due_on=datetime.date(2026, 7, 17),
    )
    return case


def generate(case, world, kind="mediation_agreement"):
    return documents.document_generate(case=case, actor=world.users["rights_officer"], kind=kind)


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    text = []
    for i in range(len(pdf)):
        page = pdf[i]
        textpage = page.get_textpage()
        text.append(textpage.get_text_range())
        textpage.close()
        page.close()
    pdf.close()
    return "".join(text)


def test_amounts_in_capitals():
    assert documents.rmb_upper("140000.00") == "壹拾肆万元整"
    assert documents.rmb_upper("11666.67") == "壹万壹仟陆佰陆拾陆元陆角柒分"
    assert documents.rmb_upper("1005.05") == "壹仟零伍元零伍分"
    assert documents.rmb_upper("100010000") == "壹亿零壹万元整"
    assert documents.rmb_upper("0.50") == "伍角整"
    assert documents.rmb_upper("0") == "零元整"


def test_the_vendored_fonts_cover_gb2312_and_the_titles():
    from fontTools.ttLib import TTFont

    regular = TTFont(documents.FONT_DIR / "NJSerifSC-Regular.otf").getBestCmap()
    bold = TTFont(documents.FONT_DIR / "NJSansSC-Bold.otf").getBestCmap()
    sample = "劳动争议调解协议书仲裁申请此致委员会壹贰叁肆伍陆柒捌玖拾佰仟万元整〔〕（）：；，。"
    assert all(ord(c) in regular for c in sample + "亍鑫")  # level 2 hanzi too
    assert all(ord(c) in bold for c in "劳动争议调解协议书人事仲裁申请维权案件摘要")
    assert len(regular) > 7000 and (documents.FONT_DIR / "OFL.txt").exists()


def test_each_generation_adds_a_version_and_a_timeline_entry(world, mediated_case):
    first = generate(mediated_case, world)
    second = generate(mediated_case, world)
    summary = generate(mediated_case, world, "case_summary")
    assert (first.version, second.version, summary.version) == (1, 2, 1)
    assert first.docx.name != second.docx.name and first.pdf.name != second.pdf.name
    texts = list(
        TimelineEntry.objects.filter(case=mediated_case, kind="document").values_list(
            "text", flat=True
        )
    )
    assert texts == ["生成调解协议书 第1版", "生成调解协议书 第2版", "生成案件摘要 第1版"]
    # the stored files are exactly what the digests say
    first.refresh_from_db()
    assert documents._digest(first.pdf.read()) == first.pdf_sha256


def test_a_signed_version_is_never_overwritten(world, mediated_case):
    officer = world.users["rights_officer"]
    v1 = generate(mediated_case, world)
    scan = SimpleUploadedFile("签字版.pdf", b"%PDF-1.4 signed scan", content_type="application/pdf")
    documents.document_sign(document=v1, actor=officer, scan=scan)
    v1.refresh_from_db()
    assert v1.signed and v1.signed_by == officer and v1.signed_scan_sha256
    pdf_before, scan_before = v1.pdf.read(), v1.signed_scan.name

    # regenerating adds version 2 and leaves the signed version 1 as it was
    v2 = generate(mediated_case, world)
    assert v2.version == 2 and not v2.signed
    v1.refresh_from_db()
    assert v1.pdf.read() == pdf_before and v1.signed_scan.name == scan_before

    # marking signed is one way and the scan cannot be replaced
    with pytest.raises(ValidationError, match="已标记为已签署"):
        documents.document_sign(
            document=v1, actor=officer, scan=SimpleUploadedFile("另一份.pdf", b"%PDF-1.4 other")
        )
    # nor can the files be swapped or the flag dropped behind the service's back
    v1.pdf.name = v2.pdf.name
    with pytest.raises(DocumentImmutable):
        v1.save()
    v1.refresh_from_db()
    v1.signed = False
    with pytest.raises(DocumentImmutable):
        v1.save()
    v1.refresh_from_db()
    with pytest.raises(DocumentImmutable):
        v1.delete()
    # an unsigned version's files are immutable too
    v2.docx.name = v1.docx.name
    with pytest.raises(DocumentImmutable):
        v2.save()


def test_the_pdf_carries_the_chinese_text_in_the_embedded_cjk_font(world, mediated_case):
    document = generate(mediated_case, world)
    data = document.pdf.read()
    text = pdf_text(data)
    for expected in ("劳动争议调解协议书", "张建军", "李卫东", "100,000.00", "壹拾万元整"):
        assert expected in text, expected
    assert "宁夏建工集团第三建筑公司" in text  # the contractor chain
    assert "2026年7月17日" in text  # the payment schedule

    pdf = pdfium.PdfDocument(data)
    page = pdf[0]
    textpage = page.get_textpage()
    # the fonts embedded for the title and the body are the vendored CJK subsets
    fonts = set()
    for index in range(textpage.count_chars()):
        buffer = (pdfium.raw.c_char * 256)()
        flags = pdfium.raw.c_int()
        length = pdfium.raw.FPDFText_GetFontInfo(textpage, index, buffer, 256, flags)
        fonts.add(bytes(buffer[: max(length - 1, 0)]).decode())
    fonts.discard("")  # generated characters (spaces, line ends) carry no font
    # WeasyPrint names the embedded subsets "ABCDEF+NJ-Serif-SC" and "ABCDEF+NJ-Sans-SC-Bold"
    assert {f.split("+")[-1] for f in fonts} == {"NJ-Serif-SC", "NJ-Sans-SC-Bold"}, fonts

    # and the title is drawn: page 1 rendered at 144 dpi, the band where the title sits holds
    # the ink of nine bold glyphs (empty boxes of a missing font would hold a fraction of it)
    image = page.render(scale=2).to_pil().convert("L")
    width, height = image.size
    band = image.crop(
        (int(width * 0.25), int(height * 0.09), int(width * 0.75), int(height * 0.15))
    )
    ink = sum(band.histogram()[:128])
    assert ink > 4500, ink  # measured: 6,282
    margin = image.crop((0, 0, width, int(height * 0.05)))  # the top margin stays white
    assert sum(margin.histogram()[:128]) == 0
    for obj in (textpage, page, pdf):
        obj.close()


def test_the_docx_holds_names_amounts_and_an_east_asian_font(world, mediated_case):
    document = generate(mediated_case, world, "arbitration_application")
    docx = Document(io.BytesIO(document.docx.read()))
    text = "\n".join(p.text for p in docx.paragraphs)
    for expected in ("劳动人事争议仲裁申请书", "张建军", "11010519491231002X", "13912345678"):
        assert expected in text, expected
    assert "60,000.00" in text and "40,000.00" in text
    assert "此致" in text and "甲区劳动人事争议仲裁委员会" in text
    # the paragraph styles name the Chinese fonts Word and WPS use for CJK text (w:eastAsia)
    fonts = docx.styles.element.xpath("//w:rFonts/@w:eastAsia")
    assert {"仿宋", "黑体", "宋体"} <= set(fonts)
    assert docx.paragraphs[0].style.name == "NJ Title" and docx.paragraphs[0].text.startswith(
        "劳动"
    )


def test_a_group_case_lists_every_worker_in_a_table(world, make_case):
    workers = [
        WorkerInput(
            name=f"工友{i}",
            id_number=fake_resident_id(random.Random(200 + i), "640202"),
            phone=f"1390000{i:04d}",
        )
        for i in range(12)
    ]
    case = make_case(
        workers=workers,
        claims=[ClaimInput(kind="wages", amount="11666.67", worker_index=i) for i in range(12)],
    )
    document = generate(case, world, "arbitration_application")
    text = pdf_text(document.pdf.read())
    assert "工友0等12人" in text and "工友11" in text and "申请人名单" in text
    # one request per kind for the group, each worker's own amount in the list
    assert "工友0等12人拖欠工资共计人民币140,000.04元" in text.replace("\n", "")
    assert text.count("11,666.67") == 12


def test_guard_rails_say_what_is_missing(world, make_case):
    case = make_case()  # in intake: no agreement; 李卫东 has no ID number
    with pytest.raises(ValidationError, match="尚未登记调解协议"):
        generate(case, world)
    with pytest.raises(ValidationError, match="李卫东"):
        generate(case, world, "arbitration_application")
    no_claims = make_case(claims=[], employer_name="另一家公司")
    with pytest.raises(ValidationError, match="尚无请求事项"):
        generate(no_claims, world, "arbitration_application")
    assert not CaseDocument.objects.exists()
    summary = generate(case, world, "case_summary")
    with pytest.raises(ValidationError, match="无需签署"):
        documents.document_sign(document=summary, actor=world.users["rights_officer"])


def test_api_generate_list_sign_and_download(world, mediated_case, officer_api):
    url = f"/api/v1/cases/{mediated_case.pk}/documents/"
    created = officer_api.post(url, {"kind": "mediation_agreement"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["version"] == 1 and body["urls"]["pdf"].endswith(f"/documents/{body['id']}/pdf/")
    assert (
        officer_api.post(url, {"kind": "mediation_agreement"}, format="json").json()["version"] == 2
    )
    assert [d["version"] for d in officer_api.get(url).json()] == [2, 1]
    assert AccessLog.objects.filter(detail="生成调解协议书 第1版").exists()

    bad = officer_api.post(url, {"kind": "letter"}, format="json")
    assert bad.status_code == 400 and "文书类别不正确" in bad.json()["detail"]

    pdf = officer_api.get(body["urls"]["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(action="export", detail__endswith="第1版.pdf").exists()
    docx = officer_api.get(body["urls"]["docx"])
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]

    sign_url = f"{url}{body['id']}/sign/"
    scan = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\nfake", content_type="image/png")
    signed = officer_api.post(sign_url, {"scan": scan}, format="multipart")
    assert signed.status_code == 200, signed.json()
    assert signed.json()["signed"] and "scan" in signed.json()["urls"]
    again = officer_api.post(sign_url, {}, format="multipart")
    assert again.status_code == 400 and "已标记为已签署" in again.json()["detail"]


def test_api_guard_rail_is_a_400_with_a_chinese_detail(world, make_case, officer_api):
    case = make_case()
    response = officer_api.post(
        f"/api/v1/cases/{case.pk}/documents/", {"kind": "mediation_agreement"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("尚未登记调解协议")


def test_downloads_are_scoped_like_the_case(world, mediated_case, make_case):
    document = generate(mediated_case, world)
    urls = [
        f"/api/v1/cases/{mediated_case.pk}/documents/{document.pk}/pdf/",
        f"/staff/rights/{mediated_case.pk}/documents/{document.pk}/pdf/",
    ]
    outsider, court = APIClient(), APIClient()
    for client, user in ((outsider, "outsider"), (court, "agency_liaison")):
        client.force_authenticate(world.users[user])
        client.force_login(world.users[user])
    for url in urls:
        assert outsider.get(url).status_code == 404
        assert court.get(url).status_code == 404  # an agency without a share
    # another district's officer: out of scope
    root = world.users["superuser"]
    other = make_case(org=world.D2, actor=root, employer_name="乙区某公司")
    other_doc = documents.document_generate(case=other, actor=root, kind="case_summary")
    staff = APIClient()
    staff.force_authenticate(world.users["rights_officer"])
    assert (
        staff.get(f"/api/v1/cases/{mediated_case.pk}/documents/{other_doc.pk}/pdf/").status_code
        == 404
    )

    # once shared, the court may read and download but not generate or sign
    services.case_share(case=mediated_case, agency=world.AG1, actor=world.users["rights_officer"])
    for url in urls:
        response = court.get(url)
        assert response.status_code == 200, url
    listed = court.get(f"/api/v1/cases/{mediated_case.pk}/documents/")
    assert [d["id"] for d in listed.json()] == [document.pk]
    assert court.post(
        f"/api/v1/cases/{mediated_case.pk}/documents/", {"kind": "case_summary"}, format="json"
    ).status_code in {403, 404}


def test_case_page_generates_and_signs(world, mediated_case, client):
    client.force_login(world.users["rights_officer"])
    page = f"/staff/rights/{mediated_case.pk}/"
    response = client.post(f"{page}documents/generate/", {"kind": "mediation_agreement"})
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert 'id="documents"' in html and "调解协议书</strong> 第1版" in html
    assert "生成调解协议书 第1版" in html  # on the timeline
    document = CaseDocument.objects.get()
    scan = SimpleUploadedFile("signed.jpg", b"\xff\xd8\xff\xe0fake-jpeg", content_type="image/jpeg")
    client.post(f"{page}documents/{document.pk}/sign/", {"scan": scan})
    document.refresh_from_db()
    assert document.signed and document.signed_scan_name == "signed.jpg"
    html = client.get(page).content.decode()
    assert "已签署" in html and "签署扫描件" in html
    scan_response = client.get(f"{page}documents/{document.pk}/scan/")
    assert scan_response.status_code == 200
    assert 'filename="signed.jpg"' in scan_response["Content-Disposition"]
    # a guard rail shows as a message on the page, not a 500
    summary_error = client.post(
        f"{page}documents/generate/", {"kind": "nonsense"}, follow=True
    ).content.decode()
    assert "文书类别不正确" in summary_error


def test_documents_are_in_simplified_chinese_whatever_the_officer_s_language(world, mediated_case):
    from django.utils import translation

    with translation.override("en"):
        document = generate(mediated_case, world)
    text = pdf_text(document.pdf.read())
    assert "劳动争议调解协议书" in text
    assert "Mediation" not in text
    docx_text = "\n".join(p.text for p in Document(io.BytesIO(document.docx.read())).paragraphs)
    assert "调解协议书" in docx_text
    assert "Mediation" not in docx_text


def test_api_generate_refuses_a_body_that_is_not_an_object(world, make_case, officer_api):
    case = make_case()
    url = f"/api/v1/cases/{case.pk}/documents/"
    for body in (["case_summary"], "case_summary"):
        response = officer_api.post(url, body, format="json")
        assert response.status_code == 400, body
        assert "期待为字典类型" in response.json()["detail"]
    missing = officer_api.post(url, {}, format="json")
    assert missing.status_code == 400 and missing.json()["detail"].startswith("kind：")
    assert not CaseDocument.objects.exists()


def test_case_page_reports_refusals_and_successes_as_messages(world, mediated_case, client):
    page = f"/staff/rights/{mediated_case.pk}/"
    client.force_login(world.users["rights_officer"])
    done = client.post(f"{page}documents/generate/", {"kind": "mediation_agreement"}, follow=True)
    assert "已生成调解协议书 第1版" in done.content.decode()
    document = CaseDocument.objects.get()
    empty = SimpleUploadedFile("blank.pdf", b"", content_type="application/pdf")
    refused = client.post(f"{page}documents/{document.pk}/sign/", {"scan": empty}, follow=True)
    assert "签署扫描件（PDF/JPG/PNG，选填）：" in refused.content.decode()  # the field's label
    document.refresh_from_db()
    assert not document.signed
    signed = client.post(f"{page}documents/{document.pk}/sign/", follow=True).content.decode()
    assert "调解协议书 第1版已标记为已签署" in signed
    again = client.post(f"{page}documents/{document.pk}/sign/", follow=True).content.decode()
    assert "签署状态和扫描件不能更改" in again
    # signed without a scan: there is no scan to download
    assert client.get(f"{page}documents/{document.pk}/scan/").status_code == 404
    # a court the case is shared with reads it but may not generate: told why, nothing written
    services.case_share(case=mediated_case, agency=world.AG1, actor=world.users["rights_officer"])
    client.force_login(world.users["agency_liaison"])
    refused = client.post(f"{page}documents/generate/", {"kind": "case_summary"}, follow=True)
    assert refused.status_code == 200
    assert "只有承办工会的工作人员可以办理此操作" in refused.content.decode()
    assert CaseDocument.objects.count() == 1
