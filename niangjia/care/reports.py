"""The Excel report a union submits upward: a summary sheet and one sheet per item type."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook

from niangjia.care.models import Distribution
from niangjia.core import exports
from niangjia.core.validators import mask_resident_id

DETAIL_LIMIT = 200_000  # rows per item sheet; beyond that the sheet says so


def _title(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "项目"
    title, n = base, 2
    while title in used:
        title, n = f"{base[:25]}_{n}", n + 1
    used.add(title)
    return title


def campaign_workbook(figures: dict, distributions) -> bytes:
    """`figures` from selectors.campaign_figures; `distributions` the scoped live hand-outs of
    the same node (for the per-item lists)."""
    campaign, node = figures["campaign"], figures["node"]
    wb = Workbook(write_only=True)
    used: set[str] = {"汇总"}
    summary = wb.create_sheet("汇总")
    exports.append(summary, [f"{campaign.name} 送温暖活动统计表"])
    exports.append(summary, ["填报单位", node.name])
    exports.append(
        summary, ["活动期间", f"{campaign.starts_on:%Y-%m-%d} 至 {campaign.ends_on:%Y-%m-%d}"]
    )
    exports.append(summary, ["导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    exports.append(summary, [])
    exports.append(summary, ["走访企业（家）", figures["enterprises_visited"]])
    exports.append(summary, ["慰问人数（人）", figures["persons"]])
    exports.append(summary, ["慰问人次（人次）", figures["person_times"]])
    exports.append(summary, ["预算（元）", float(figures["budget"])])
    exports.append(summary, ["支出（元）", float(figures["spent"])])
    exports.append(summary, [])
    exports.append(summary, ["慰问项目", "类别", "人次", "数量", "金额（元）"])
    for row in figures["by_item"]:
        exports.append(
            summary,
            [row["name"], row["kind_label"], row["times"], row["quantity"], float(row["amount"])],
        )
    exports.append(summary, [])
    exports.append(summary, ["慰问对象类别", "人数", "人次", "金额（元）"])
    for row in figures["by_category"]:
        exports.append(summary, [row["label"], row["persons"], row["times"], float(row["amount"])])

    by_item: dict[int, list] = {row["id"]: [] for row in figures["by_item"]}
    qs = (
        distributions.filter(voided_at__isnull=True)
        .select_related(None)
        .order_by("item_id", "pk")
        .values_list(
            "item_id",
            "person__name",
            "person__id_number_encrypted",
            "org__name",
            "beneficiary__employer__name",
            "category",
            "quantity",
            "amount",
            "distributed_at",
            "receipt_kind",
        )
    )
    labels = dict(Distribution._meta.get_field("category").choices)
    receipts = dict(Distribution.ReceiptKind.choices)
    for count, row in enumerate(qs.iterator(chunk_size=2000)):
        if count >= DETAIL_LIMIT * max(1, len(by_item)):
            break
        by_item.setdefault(row[0], []).append(row)
    for item_row in figures["by_item"]:
        sheet = wb.create_sheet(_title(item_row["name"], used))
        exports.append(sheet, [f"{item_row['name']}（{item_row['kind_label']}）发放明细"])
        header = [
            "序号",
            "姓名",
            "身份证号码",
            "组织",
            "工作单位",
            "类别",
            "数量",
            "金额（元）",
            "发放时间",
            "签收方式",
        ]
        exports.append(sheet, header)
        rows = by_item.get(item_row["id"], [])
        for n, r in enumerate(rows[:DETAIL_LIMIT], start=1):
            id_number = r[2] or ""  # decrypted by the field on read
            exports.append(
                sheet,
                [
                    n,
                    r[1],
                    mask_resident_id(id_number),
                    r[3],
                    r[4] or "",
                    str(labels.get(r[5], r[5])),
                    r[6],
                    float(r[7]),
                    timezone.localtime(r[8]).strftime("%Y-%m-%d %H:%M"),
                    str(receipts.get(r[9], r[9])),
                ],
            )
        exports.append(
            sheet, ["合计", "", "", "", "", "", item_row["quantity"], float(item_row["amount"])]
        )
        if len(rows) > DETAIL_LIMIT:
            exports.append(sheet, [f"明细超过 {DETAIL_LIMIT} 行，其余未列出；合计为全部数据"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
