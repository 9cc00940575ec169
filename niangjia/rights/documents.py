"""Case documents: the mediation agreement (调解协议书), the arbitration application (仲裁申请书)
and the case summary (案件摘要), each as DOCX and PDF from the same data.

A document is first laid out as a list of blocks (title, party lines, numbered requests, tables,
"此致", signature lines) built from the case; `render_pdf` draws the blocks through the HTML
template `templates/rights/documents/<kind>.html` with WeasyPrint, `render_docx` writes them
with python-docx. The PDF embeds the vendored CJK subsets in `rights/fonts/` (it does not depend
on the machine's fonts); the DOCX names 宋体/仿宋/黑体 as the East Asian fonts, which Word and WPS
have.

`document_generate` stores a new version (never overwriting an earlier one) in private storage,
puts "生成调解协议书 第2版" on the timeline; `document_sign` marks a version signed, one way, with an
optional scan. Downloads go through scoped, audited views (views.document_download, api.py).
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from niangjia.core.money import quantize
from niangjia.core.permissions import Perm, filter_for
from niangjia.orgs.models import Org, Person, subtree_q
from niangjia.rights import calculators
from niangjia.rights.models import (
    Case,
    CaseDocument,
    CaseWorker,
    ClaimItem,
    Recovery,
    TimelineEntry,
)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# WeasyPrint reports each layout step at INFO; the project's root logger would print them all
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
Kind = CaseDocument.Kind
# a group of more than this many workers is listed in a table instead of one block per person
PARTY_BLOCK_LIMIT = 3
SIGNABLE = {Kind.MEDIATION_AGREEMENT, Kind.ARBITRATION_APPLICATION}
SCAN_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}
BLANK = "＿＿＿＿＿＿"


# --- amounts and dates as the forms write them --------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_GROUPS = ["", "万", "亿", "万亿"]


DOCUMENT_LANGUAGE = "zh-hans"


def _four(n: int) -> str:
    out, zero = "", False
    for power, unit in ((3, "仟"), (2, "佰"), (1, "拾"), (0, "")):
        digit = n // 10**power % 10
        if digit:
            if zero:
                out += "零"
                zero = False
            out += _DIGITS[digit] + unit
        elif out:
            zero = True
    return out


def rmb_upper(amount: Decimal | str | int) -> str:
    """140000 → 壹拾肆万元整, 1005.05 → 壹仟零伍元零伍分: the amount in capitals that contracts carry."""
    amount = quantize(amount)
    if amount < 0:
        return "负" + rmb_upper(-amount)
    yuan = int(amount)
    jiao, fen = divmod(int((amount - yuan) * 100), 10)
    groups = []
    rest = yuan
    while rest:
        groups.append(rest % 10000)
        rest //= 10000
    out, pending_zero = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or group < 1000):
            out += "零"
        out += _four(group) + _GROUPS[index]
        pending_zero = False
    if not out and not jiao and not fen:
        return "零元整"
    if out:
        out += "元"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif fen and out:
        out += "零"
    if fen:
        out += _DIGITS[fen] + "分"
    else:
        out += "整"
    return out


def yuan(amount: Decimal | None) -> str:
    return f"{quantize(amount or 0):,}"


def cn_date(day: datetime.date | None) -> str:
    if day is None:
        return "　　　　年　　月　　日"
    return f"{day.year}年{day.month}月{day.day}日"


# --- the layout ---------------------------------------------------------------------------------


@dataclass
class Block:
    """One piece of a document. kind: title, meta, heading, para, lines, numbered, table,
    closing, signatures, note."""

    kind: str
    text: str = ""
    lines: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)  # a total row
    pairs: list[tuple[str, str]] = field(default_factory=list)  # signatures


@dataclass
class Layout:
    kind: str
    title: str
    blocks: list[Block]

    def text(self) -> str:
        """Every word of the document, for tests and search."""
        parts = [self.title]
        for b in self.blocks:
            parts += [b.text, *b.lines, *b.headers, *b.footer]
            parts += [cell for row in b.rows for cell in row]
            parts += [f"{k}{v}" for k, v in b.pairs]
        return "\n".join(p for p in parts if p)


def _case(case_id: int) -> Case:
    return (
        Case.objects.select_related("org", "officer", "employer")
        .prefetch_related(
            Prefetch(
                "workers",
                CaseWorker.objects.select_related("person").order_by("-is_representative", "pk"),
            ),
            Prefetch("claims", ClaimItem.objects.select_related("worker__person").order_by("pk")),
            "contractors",
            Prefetch("recoveries", Recovery.objects.order_by("on", "pk")),
            "shares__agency",
            "agency_acts__agency",
            "deadlines",
        )
        .get(pk=case_id)
    )


def _gender(person) -> str:
    return person.get_gender_display() if person.gender else BLANK


def _worker_lines(worker: CaseWorker, *, full: bool) -> list[str]:
    p = worker.person
    lines = [
        _("姓名：%(name)s　　性别：%(gender)s　　出生日期：%(birth)s")
        % {
            "name": p.name,
            "gender": _gender(p),
            "birth": cn_date(p.birth_date) if p.birth_date else BLANK,
        }
    ]
    if full:
        lines.append(_("公民身份号码：%(id)s") % {"id": p.id_number or BLANK})
        lines.append(_("联系电话：%(phone)s") % {"phone": p.phone or BLANK})
    lines.append(
        _("用工形式：%(form)s%(job)s")
        % {
            "form": worker.get_employment_form_display(),
            "job": _("　　岗位：%(job)s") % {"job": worker.job} if worker.job else "",
        }
    )
    return lines


def _employer_lines(case: Case) -> list[str]:
    employer = case.employer
    return [
        _("名称：%(name)s") % {"name": case.employer_name},
        _("统一社会信用代码：%(code)s") % {"code": employer.credit_code if employer else BLANK},
        _("住所：%(address)s") % {"address": (employer.address if employer else "") or BLANK},
        _("法定代表人（主要负责人）：%(blank)s　　联系电话：%(blank)s") % {"blank": BLANK},
    ]


def _contractor_blocks(case: Case) -> list[Block]:
    links = list(case.contractors.all())
    if not links:
        return []
    return [
        Block("heading", _("承包链条（相关单位及个人）")),
        Block("lines", lines=[f"{c.get_role_display()}：{c.name}" for c in links]),
        Block(
            "note",
            _(
                "依据《保障农民工工资支付条例》第二十九条、第三十条，分包单位拖欠农民工工资的，"
                "由施工总承包单位先行清偿，再依法进行追偿。"
            ),
        ),
    ]


def _claimed(case: Case) -> Decimal:
    return sum((c.amount for c in case.claims.all()), Decimal("0.00"))


def _claim_summary(case: Case) -> list[str]:
    """ "拖欠工资 140,000.00元（12 名职工）" per kind of claim."""
    by_kind: dict[str, list[ClaimItem]] = defaultdict(list)
    for claim in case.claims.all():
        by_kind[claim.kind].append(claim)
    out = []
    for items in by_kind.values():
        total = sum((c.amount for c in items), Decimal("0.00"))
        people = {c.worker_id for c in items if c.worker_id}
        suffix = _("（%(n)d名职工）") % {"n": len(people)} if len(people) > 1 else ""
        out.append(f"{items[0].get_kind_display()}{yuan(total)}元{suffix}")
    return out


def _period(claim: ClaimItem) -> str:
    if claim.period_start and claim.period_end:
        return f"{cn_date(claim.period_start)}至{cn_date(claim.period_end)}"
    if claim.period_start:
        return _("%(d)s起") % {"d": cn_date(claim.period_start)}
    return ""


def input_rows(inputs: dict, calculator: str = "") -> list[tuple[str, str]]:
    """The inputs of a computed claim with their Chinese labels, leaving out what was left empty
    or off: the claim's "计算依据" on the case page and its working in the application. In the
    order of the calculator's form: PostgreSQL's jsonb keeps the keys sorted by length."""
    from niangjia.rights.calculator_views import CALCULATORS

    calc = CALCULATORS.get(calculator)
    order = [name for name in calc.form_class.base_fields if name in inputs] if calc else []
    order += [name for name in inputs if name not in order]
    return [
        (str(calculators.FIELD_LABELS.get(name, name)), _("是") if value is True else str(value))
        for name in order
        if (value := inputs[name]) is not None and value != "" and value is not False
    ]


def _calculation_text(claim: ClaimItem) -> str:
    """The working of a computed claim in one sentence, with the articles applied."""
    if not claim.calculator:
        return ""
    inputs = claim.calculator_inputs or {}
    shown = [f"{label}{value}" for label, value in input_rows(inputs, claim.calculator)]
    basis = "、".join(f"《{a}》" for a in (claim.calculator_result or {}).get("legal_basis", []))
    return _("%(kind)s按%(calc)s计算（%(inputs)s），依据%(basis)s，计%(amount)s元。") % {
        "kind": claim.get_kind_display(),
        "calc": calculator_title(claim.calculator),
        "inputs": "，".join(shown),
        "basis": basis or "—",
        "amount": yuan(claim.amount),
    }


def calculator_title(slug: str) -> str:
    from niangjia.rights.calculator_views import CALCULATORS

    calc = CALCULATORS.get(slug)
    return str(calc.title) if calc else slug


def arbitration_commission(case: Case) -> str:
    """The commission the application goes to: a partner arbitration commission attached to the
    handling union or a union above it, else the one named after the handling union's area."""
    q = Q()
    for end in range(Org.steplen, len(case.org.path) + 1, Org.steplen):
        q |= subtree_q(case.org.path[:end]) & Q(depth=end // Org.steplen + 1)
    found = (
        Org.objects.filter(q, kind=Org.Kind.AGENCY, agency_type=Org.AgencyType.ARBITRATION)
        .order_by("-depth")
        .first()
    )
    if found is not None:
        return found.name
    area = case.org.name.split("（")[0]
    for suffix in ("总工会", "工会"):
        area = area.removesuffix(suffix)
    return _("%(area)s劳动人事争议仲裁委员会") % {"area": area}


def _workers_table(case: Case, *, with_ids: bool) -> Block:
    claims_by_worker: dict[int, Decimal] = defaultdict(Decimal)
    for claim in case.claims.all():
        if claim.worker_id:
            claims_by_worker[claim.worker_id] += claim.amount
    headers = [_("序号"), _("姓名"), _("性别")]
    if with_ids:
        headers += [_("公民身份号码"), _("联系电话")]
    headers += [_("请求金额（元）")]
    rows = []
    for i, w in enumerate(case.workers.all(), start=1):
        row = [str(i), w.person.name + (_("（代表人）") if w.is_representative else "")]
        row.append(_gender(w.person) if w.person.gender else "")
        if with_ids:
            row += [w.person.id_number, w.person.phone]
        row.append(yuan(claims_by_worker.get(w.pk, Decimal(0))))
        rows.append(row)
    footer = [_("合计"), "", ""] + (["", ""] if with_ids else []) + [yuan(_claimed(case))]
    return Block("table", headers=headers, rows=rows, footer=footer)


def _applicant_blocks(case: Case, *, full: bool) -> list[Block]:
    workers = list(case.workers.all())
    if len(workers) <= PARTY_BLOCK_LIMIT:
        blocks = []
        for i, worker in enumerate(workers, start=1):
            label = _("申请人") if len(workers) == 1 else _("申请人%(n)d") % {"n": i}
            blocks += [
                Block("heading", label),
                Block("lines", lines=_worker_lines(worker, full=full)),
            ]
        return blocks
    first = workers[0]
    return [
        Block("heading", _("申请人")),
        Block(
            "lines",
            lines=[
                _("%(name)s等%(n)d人（名单附后）") % {"name": first.person.name, "n": len(workers)},
                _("代表人：%(name)s　　联系电话：%(phone)s")
                % {"name": first.person.name, "phone": first.person.phone or BLANK},
            ],
        ),
    ]


def _payment_schedule(case: Case) -> list[Block]:
    agreed = case.agreement_amount or Decimal("0.00")
    paid = sum((r.amount for r in case.recoveries.all()), Decimal("0.00"))
    if paid >= agreed and agreed:
        status = _("已付清")
    elif paid:
        status = _("已付%(paid)s元，尚欠%(rest)s元") % {
            "paid": yuan(paid),
            "rest": yuan(agreed - paid),
        }
    else:
        status = _("待履行")
    blocks = [
        Block(
            "table",
            headers=[_("期次"), _("款项"), _("金额（元）"), _("履行期限"), _("履行情况")],
            rows=[
                [
                    "1",
                    _("调解协议约定款项"),
                    yuan(agreed),
                    cn_date(case.payment_due_on) if case.payment_due_on else _("协议生效后即付"),
                    status,
                ]
            ],
        )
    ]
    recoveries = list(case.recoveries.all())
    if recoveries:
        blocks.append(
            Block(
                "table",
                headers=[_("到账日期"), _("支付方"), _("类别"), _("金额（元）")],
                rows=[
                    [cn_date(r.on), r.payer, r.get_kind_display(), yuan(r.amount)]
                    for r in recoveries
                ],
                footer=[_("已履行合计"), "", "", yuan(paid)],
            )
        )
    return blocks


def layout_mediation_agreement(case: Case) -> Layout:
    if not case.agreement_terms:
        raise ValidationError(
            {
                "kind": _(
                    "尚未登记调解协议：请先在案件页“录入调解协议”中登记协议内容、金额和签订日期，"
                    "再生成调解协议书"
                )
            }
        )
    amount = case.agreement_amount or Decimal("0.00")
    workers = list(case.workers.all())
    blocks = [Block("meta", _("编号：%(n)s") % {"n": case.number})]
    blocks += _applicant_blocks(case, full=True)
    blocks += [Block("heading", _("被申请人")), Block("lines", lines=_employer_lines(case))]
    blocks += _contractor_blocks(case)
    blocks += [
        Block("heading", _("调解组织")),
        Block(
            "lines",
            lines=[
                _("%(org)s　　调解员：%(officer)s")
                % {
                    "org": case.org.name,
                    "officer": (case.officer.get_full_name() or case.officer.username)
                    if case.officer
                    else BLANK,
                }
            ],
        ),
        Block("heading", _("纠纷主要事实、争议事项")),
        Block("para", case.facts),
    ]
    claims = _claim_summary(case)
    if claims:
        blocks.append(
            Block(
                "para",
                _("申请人请求：%(claims)s，合计人民币%(total)s元。")
                % {"claims": "；".join(claims), "total": yuan(_claimed(case))},
            )
        )
    due = case.payment_due_on
    items = [
        case.agreement_terms,
        _("被申请人同意支付申请人人民币%(amount)s元（大写：%(upper)s）%(due)s。")
        % {
            "amount": yuan(amount),
            "upper": rmb_upper(amount),
            "due": _("，于%(d)s前付清") % {"d": cn_date(due)} if due else "",
        },
        _("履行方式及期限见下表；款项支付至申请人本人账户或经申请人书面确认的账户。"),
    ]
    if len(workers) > PARTY_BLOCK_LIMIT:
        items.append(_("各申请人应得金额按所附名单中各人请求金额的比例分配。"))
    items += [
        _("本协议履行完毕后，双方就本次劳动争议事项再无其他纠纷。"),
        _(
            "被申请人在协议约定期限内不履行的，申请人可以依法申请仲裁（《中华人民共和国劳动争议调解"
            "仲裁法》第十五条）；因支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项达成的，"
            "申请人可以持本协议书依法向人民法院申请支付令（同法第十六条）。"
        ),
        _(
            "双方当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认（《中华人民共和国"
            "人民调解法》第三十三条）。"
        ),
        _(
            "本协议自双方当事人签名或者盖章，经调解员签名并加盖调解组织印章后生效（《中华人民共和国"
            "劳动争议调解仲裁法》第十四条）。本协议一式三份，双方当事人和调解组织各执一份。"
        ),
    ]
    blocks += [
        Block("heading", _("经调解，双方自愿达成如下协议")),
        Block("numbered", lines=items),
        Block("heading", _("履行方式及期限")),
        *_payment_schedule(case),
    ]
    if len(workers) > PARTY_BLOCK_LIMIT:
        blocks += [Block("heading", _("申请人名单")), _workers_table(case, with_ids=True)]
    signed = cn_date(case.agreement_signed_on)
    blocks.append(
        Block(
            "signatures",
            pairs=[
                (_("申请人（签名）："), ""),
                (_("被申请人（盖章）："), ""),
                (_("法定代表人或委托代理人（签名）："), ""),
                (_("调解员（签名）："), ""),
                (_("调解组织（印章）："), case.org.name),
                (_("签订日期："), signed),
            ],
        )
    )
    return Layout(Kind.MEDIATION_AGREEMENT, _("劳动争议调解协议书"), blocks)


def layout_arbitration_application(case: Case) -> Layout:
    claims = list(case.claims.all())
    if not claims:
        raise ValidationError(
            {"kind": _("案件尚无请求事项：仲裁申请书须载明仲裁请求，请先添加至少一项请求事项")}
        )
    workers = list(case.workers.all())
    missing = [w.person.name for w in workers if not w.person.id_number or not w.person.phone]
    if missing:
        raise ValidationError(
            {
                "kind": _(
                    "仲裁申请书须载明申请人的公民身份号码和联系电话，以下职工缺少：%(names)s。"
                    "请先补充职工信息"
                )
                % {"names": "、".join(missing)}
            }
        )
    blocks = _applicant_blocks(case, full=True)
    blocks += [Block("heading", _("被申请人")), Block("lines", lines=_employer_lines(case))]
    blocks += _contractor_blocks(case)
    group = len(workers) > PARTY_BLOCK_LIMIT
    requests = []
    if group:
        by_kind: dict[str, Decimal] = defaultdict(Decimal)
        labels = {}
        for c in claims:
            by_kind[c.kind] += c.amount
            labels[c.kind] = c.get_kind_display()
        for kind, total in by_kind.items():
            requests.append(
                _(
                    "裁决被申请人支付申请人%(name)s等%(n)d人%(kind)s共计人民币%(amount)s元（各申请人金额见申请人名单）；"
                )
                % {
                    "name": workers[0].person.name,
                    "n": len(workers),
                    "kind": labels[kind],
                    "amount": yuan(total),
                }
            )
    else:
        for c in claims:
            who = c.worker.person.name if c.worker_id else ""
            period = _period(c)
            requests.append(
                _("裁决被申请人支付申请人%(who)s%(period)s%(kind)s人民币%(amount)s元；")
                % {
                    "who": who,
                    "period": period + "的" if period else "",
                    "kind": c.get_kind_display(),
                    "amount": yuan(c.amount),
                }
            )
    requests[-1] = requests[-1].removesuffix("；") + "。"
    blocks += [
        Block("heading", _("请求事项")),
        Block("numbered", lines=requests),
        Block(
            "para",
            _("以上请求金额合计人民币%(amount)s元（大写：%(upper)s）。")
            % {"amount": yuan(_claimed(case)), "upper": rmb_upper(_claimed(case))},
        ),
        Block("heading", _("事实与理由")),
        Block("para", case.facts),
    ]
    for claim in claims:
        if text := _calculation_text(claim):
            blocks.append(Block("para", text))
    if case.contractors.exists():
        blocks.append(
            Block(
                "para",
                _(
                    "本案涉及工程建设领域农民工工资。依据《保障农民工工资支付条例》第三十条，分包单位"
                    "拖欠农民工工资的，由施工总承包单位先行清偿。"
                ),
            )
        )
    blocks.append(
        Block(
            "para",
            _(
                "为维护申请人的合法权益，根据《中华人民共和国劳动争议调解仲裁法》第二十八条的规定，"
                "特向贵委申请仲裁，请依法裁决。"
            ),
        )
    )
    evidence = case.evidence.count()
    blocks += [
        Block("closing", lines=[_("此致"), arbitration_commission(case)]),
        Block(
            "signatures",
            pairs=[(_("申请人（签名）："), ""), (_("日期："), cn_date(None))],
        ),
        Block("heading", _("附")),
        Block(
            "lines",
            lines=[
                _("1. 本申请书副本%(n)d份（按被申请人人数提交）；") % {"n": 1},
                _("2. 申请人身份证复印件%(n)d份；") % {"n": len(workers)},
                _("3. 证据材料%(n)d份（证据清单另附）。") % {"n": evidence},
            ],
        ),
    ]
    if group:
        blocks += [Block("heading", _("申请人名单")), _workers_table(case, with_ids=True)]
    return Layout(Kind.ARBITRATION_APPLICATION, _("劳动人事争议仲裁申请书"), blocks)


def layout_case_summary(case: Case) -> Layout:
    def row(label, value):
        return [label, str(value) if value not in (None, "") else "—"]

    officer = case.officer.get_full_name() or case.officer.username if case.officer else ""
    facts_table = [
        row(_("案件编号"), case.number),
        row(_("承办工会"), case.org.name),
        row(_("承办人"), officer),
        row(_("来源 / 类别"), f"{case.get_source_display()} / {case.get_category_display()}"),
        row(
            _("阶段 / 结果"),
            case.get_stage_display() + (f" / {case.get_outcome_display()}" if case.outcome else ""),
        ),
        row(_("登记日期"), cn_date(case.received_on)),
        row(_("知道权利被侵害之日"), cn_date(case.infringed_on) if case.infringed_on else ""),
        row(
            _("劳动关系终止日"),
            cn_date(case.employment_ended_on) if case.employment_ended_on else "",
        ),
        row(_("受伤日期"), cn_date(case.injury_on) if case.injury_on else ""),
        row(_("结案日期"), cn_date(case.closed_on) if case.closed_on else ""),
    ]
    blocks = [
        Block("meta", _("生成于 %(d)s") % {"d": cn_date(timezone.localdate())}),
        Block("table", headers=[_("项目"), _("内容")], rows=facts_table),
        Block("heading", _("当事人")),
        Block(
            "table",
            headers=[_("姓名"), _("用工形式"), _("岗位"), _("手机号码")],
            rows=[
                [
                    w.person.name + (_("（代表人）") if w.is_representative else ""),
                    w.get_employment_form_display(),
                    w.job or "—",
                    w.person.phone_masked or "—",
                ]
                for w in case.workers.all()
            ],
        ),
        Block("lines", lines=_employer_lines(case)[:3]),
        *_contractor_blocks(case)[:2],
        Block("heading", _("请求事项")),
        Block(
            "table",
            headers=[_("请求事项"), _("职工"), _("金额（元）"), _("期间"), _("计算依据")],
            rows=[
                [
                    c.get_kind_display(),
                    c.worker.person.name if c.worker_id else "—",
                    yuan(c.amount),
                    _period(c) or "—",
                    calculator_title(c.calculator) if c.calculator else "—",
                ]
                for c in case.claims.all()
            ],
            footer=[_("合计"), "", yuan(_claimed(case)), "", ""],
        ),
    ]
    if case.agreement_terms:
        blocks += [
            Block("heading", _("调解协议")),
            Block(
                "lines",
                lines=[
                    case.agreement_terms,
                    _("协议金额：%(a)s元；签订日期：%(s)s；履行期限：%(d)s")
                    % {
                        "a": yuan(case.agreement_amount),
                        "s": cn_date(case.agreement_signed_on),
                        "d": cn_date(case.payment_due_on) if case.payment_due_on else "—",
                    },
                ],
            ),
        ]
    recoveries = list(case.recoveries.all())
    recovered = sum((r.amount for r in recoveries), Decimal("0.00"))
    blocks += [
        Block("heading", _("追回款项")),
        Block(
            "table",
            headers=[_("到账日期"), _("类别"), _("支付方"), _("金额（元）")],
            rows=[
                [cn_date(r.on), r.get_kind_display(), r.payer, yuan(r.amount)] for r in recoveries
            ],
            footer=[_("已追回合计"), "", "", yuan(recovered)],
        ),
    ]
    acts = [
        f"{cn_date(a.on)} {a.agency.name}：{a.get_kind_display()} {a.document_number}".strip()
        for a in case.agency_acts.all()
    ]
    shares = [
        f"{s.agency.name}（{s.get_kind_display()}，{s.get_access_display()}）"
        + (_("，已交回") if s.returned_at else "")
        for s in case.shares.all()
    ]
    if shares or acts:
        blocks += [Block("heading", _("协作单位")), Block("lines", lines=shares + acts)]
    deadlines = sorted(case.deadlines.all(), key=lambda d: d.due)
    if deadlines:
        blocks += [
            Block("heading", _("法定期限")),
            Block(
                "table",
                headers=[_("期限"), _("届满日"), _("状态"), _("法律依据")],
                rows=[
                    [d.name, cn_date(d.due), d.get_status_display(), d.legal_basis]
                    for d in deadlines
                ],
            ),
        ]
    blocks += [Block("heading", _("事实与理由")), Block("para", case.facts)]
    return Layout(Kind.CASE_SUMMARY, _("维权案件摘要"), blocks)


LAYOUTS = {
    Kind.MEDIATION_AGREEMENT: layout_mediation_agreement,
    Kind.ARBITRATION_APPLICATION: layout_arbitration_application,
    Kind.CASE_SUMMARY: layout_case_summary,
}


def _as_seen_by(case: Case, viewer) -> Case:
    """A party whose file `viewer` may not see (a person registered with another union, matched
    by the ID number typed for this case) appears in the document as typed for this case — name
    and phone — never with the other union's file (#11: szs_rights typed "化名" with a 大武口
    worker's ID number and the case summary printed the worker's real name; the arbitration
    application printed the phone on file)."""
    workers = list(case.workers.all())
    ids = {w.person_id for w in workers}
    visible = set(
        filter_for(viewer, Perm.PERSON_VIEW, Person.objects.filter(pk__in=ids)).values_list(
            "pk", flat=True
        )
    )
    stand_ins = {}
    for w in workers:
        if w.person_id in visible:
            continue
        stand_in = copy.copy(w.person)  # never saved: the layout reads it only
        stand_in.name = w.typed_name or BLANK
        stand_in.phone = w.typed_phone
        stand_ins[w.pk] = stand_in
        w.person = stand_in
    for claim in case.claims.all():
        if claim.worker_id in stand_ins:
            claim.worker.person = stand_ins[claim.worker_id]
    return case


def layout(case: Case, kind: str, viewer=None) -> Layout:
    """The document's blocks from the case; with `viewer`, the parties as that user may see
    them (see `_as_seen_by`)."""
    if kind not in LAYOUTS:
        raise ValidationError({"kind": _("文书类别不正确，可选：调解协议书、仲裁申请书、案件摘要")})
    full = _case(case.pk)
    if viewer is not None and not viewer.is_superuser:
        full = _as_seen_by(full, viewer)
    return LAYOUTS[kind](full)


def _redact(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        if old and old in text:
            text = text.replace(old, new)
    return text


def personal_layout(case: Case, kind: str, person_ids: set[int], author=None) -> Layout:
    """The document as one of the case's workers is given it (#11): the worker's own ID number,
    phone and birth date in full, every other party's ID number and phone masked and birth date
    left out. A group agreement lists a dozen colleagues; a worker gets what concerns them.
    Staff and partner agencies keep the full document (`layout`)."""
    doc = layout(case, kind, viewer=author)  # the parties as in the version the union made
    replacements: list[tuple[str, str]] = []
    birth_lines: list[tuple[str, str]] = []
    for worker in CaseWorker.objects.filter(case=case).select_related("person"):
        p = worker.person
        if p.pk in person_ids:
            continue
        if p.id_number:
            replacements.append((p.id_number, p.id_number_masked))
        if p.phone:
            replacements.append((p.phone, p.phone_masked))
        if p.birth_date:
            birth_lines.append((_("姓名：%(name)s") % {"name": p.name}, cn_date(p.birth_date)))
    # ID numbers first: a phone's digits never match inside a number already masked
    replacements.sort(key=lambda r: -len(r[0]))

    def clean(value: str) -> str:
        value = _redact(value, replacements)
        for name_label, birth in birth_lines:
            if value.startswith(name_label):
                value = value.replace(birth, BLANK)
        return value

    for b in doc.blocks:
        b.text = clean(b.text)
        b.lines = [clean(x) for x in b.lines]
        b.headers = [clean(x) for x in b.headers]
        b.rows = [[clean(x) for x in row] for row in b.rows]
        b.footer = [clean(x) for x in b.footer]
        b.pairs = [(k, clean(v)) for k, v in b.pairs]
    return doc


def personal_copy_pdf(document: CaseDocument, person_ids: set[int]) -> bytes:
    """A worker's copy of a signed version, rendered for them (see `personal_layout`), marked as
    a personal copy that yields to the signed original."""
    with translation.override(DOCUMENT_LANGUAGE):
        doc = personal_layout(document.case, document.kind, person_ids, author=document.created_by)
        doc.blocks.insert(
            0,
            Block(
                "meta",
                _(
                    "职工个人副本（第%(v)d版）：其他当事人的公民身份号码、联系电话已部分隐去；"
                    "内容以签署原件为准"
                )
                % {"v": document.version},
            ),
        )
        return render_pdf(doc)


def personal_copy_name(document: CaseDocument) -> str:
    return _("%(kind)s-%(number)s-第%(v)d版-个人副本.pdf") % {
        "kind": document.get_kind_display(),
        "number": document.case.number,
        "v": document.version,
    }


# --- PDF ----------------------------------------------------------------------------------------

_font_config = None


def _fonts():
    """One WeasyPrint font configuration per process: the vendored faces are registered once."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def render_html(doc: Layout) -> str:
    return render_to_string(
        f"rights/documents/{doc.kind}.html",
        {"doc": doc, "title": doc.title, "blocks": doc.blocks},
    )


def render_pdf(doc: Layout) -> bytes:
    from weasyprint import HTML

    html = HTML(string=render_html(doc), base_url=FONT_DIR.as_uri() + "/")
    return html.write_pdf(font_config=_fonts())


# --- DOCX ---------------------------------------------------------------------------------------

BODY_FONT = "仿宋"
TITLE_FONT = "黑体"
HEADING_FONT = "黑体"
TABLE_FONT = "宋体"
# paragraph styles defined once per document: (name, East Asian font, size pt, bold)
DOCX_STYLES = {
    "title": ("NJ Title", TITLE_FONT, 20, True),
    "heading": ("NJ Heading", HEADING_FONT, 12, True),
    "body": ("NJ Body", BODY_FONT, 12, False),
    "small": ("NJ Small", BODY_FONT, 10.5, False),
    "table": ("NJ Table", TABLE_FONT, 10.5, False),
    "table_head": ("NJ Table Head", HEADING_FONT, 10.5, True),
}


def _set_font(style, east_asia: str, size: float, bold: bool) -> None:
    """Latin text in Times New Roman, Chinese (w:eastAsia) in the given font: Word and WPS
    pick 仿宋/宋体/黑体 for the CJK characters from this attribute."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = "Times New Roman"
    style.font.size = Pt(size)
    style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _styles(document) -> dict:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    normal = document.styles["Normal"]
    _set_font(normal, BODY_FONT, 12, False)
    styles = {}
    for key, (name, east_asia, size, bold) in DOCX_STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.paragraph_format.space_after = Pt(3)
        _set_font(style, east_asia, size, bold)
        styles[key] = style
    # style objects, not names: assigning a name makes python-docx search the styles each time
    document._nj_styles = styles
    return styles


def _apply(paragraph, style) -> None:
    # the style id straight into w:pStyle: python-docx's `paragraph.style = …` compares with the
    # default style by scanning every style of the template, per paragraph (most of the time)
    paragraph._p.get_or_add_pPr().style = style.style_id


def _paragraph(document, text: str, style: str = "body", *, align=None, indent=False):
    from docx.shared import Pt

    p = document.add_paragraph(text)
    _apply(p, document._nj_styles[style])
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(DOCX_STYLES[style][2] * 2)
    return p


def _table(document, block: Block) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    rows = [block.headers, *block.rows] + ([block.footer] if block.footer else [])
    table = document.add_table(rows=len(rows), cols=len(block.headers))
    table.style = "Table Grid"
    last = len(rows) - 1
    # row.cells once per row: table.cell(r, c) walks the whole grid on every call
    for r, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        head = r == 0 or (bool(block.footer) and r == last)
        style = document._nj_styles["table_head" if head else "table"]
        for cell, value in zip(row.cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            _apply(paragraph, style)
            paragraph.add_run(str(value))
            if r == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph()


def render_docx(doc: Layout) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _styles(document)
    document.core_properties.title = doc.title
    document.core_properties.author = _("职工娘家")

    title = _paragraph(document, doc.title, "title", align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_after = Pt(12)
    for block in doc.blocks:
        if block.kind == "meta":
            _paragraph(document, block.text, "small", align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif block.kind == "heading":
            _paragraph(document, block.text, "heading").paragraph_format.space_before = Pt(6)
        elif block.kind == "para":
            _paragraph(document, block.text, indent=True)
        elif block.kind == "note":
            _paragraph(document, block.text, "small", indent=True)
        elif block.kind == "lines":
            for line in block.lines:
                _paragraph(document, line)
        elif block.kind == "numbered":
            for i, line in enumerate(block.lines, start=1):
                _paragraph(document, f"{i}. {line}", indent=True)
        elif block.kind == "table":
            _table(document, block)
        elif block.kind == "closing":
            _paragraph(document, block.lines[0], indent=True)
            for line in block.lines[1:]:
                _paragraph(document, line)
        elif block.kind == "signatures":
            document.add_paragraph()
            for label, value in block.pairs:
                p = _paragraph(
                    document,
                    label + (value or "＿＿＿＿＿＿＿＿＿＿"),
                    align=WD_ALIGN_PARAGRAPH.RIGHT,
                )
                p.paragraph_format.space_after = Pt(12)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- services -----------------------------------------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _filename(doc: CaseDocument, ext: str) -> str:
    return _("%(kind)s-%(number)s-第%(v)d版.%(ext)s") % {
        "kind": doc.get_kind_display(),
        "number": doc.case.number,
        "v": doc.version,
        "ext": ext,
    }


def download_name(doc: CaseDocument, what: str) -> str:
    if what == "scan":
        return doc.signed_scan_name or _filename(doc, "pdf")
    return _filename(doc, what)


@transaction.atomic
def document_generate(*, case: Case, actor, kind: str) -> CaseDocument:
    """Lay out, render DOCX and PDF, store them as the next version of this kind for the case."""
    from niangjia.rights.services import _require_union_staff, _timeline

    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_union_staff(actor, case)
    # legal papers are in Simplified Chinese whatever language the officer's screens are in
    with translation.override(DOCUMENT_LANGUAGE):
        # raises the guard-rail errors before anything is written
        doc = layout(case, kind, viewer=actor)
        docx_bytes = render_docx(doc)
        pdf_bytes = render_pdf(doc)
    last = case.documents.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0
    document = CaseDocument(
        case=case,
        kind=kind,
        version=last + 1,
        docx_sha256=_digest(docx_bytes),
        pdf_sha256=_digest(pdf_bytes),
        created_by=actor,
    )
    document.docx.save(f"{document.pdf_sha256[:12]}.docx", ContentFile(docx_bytes), save=False)
    document.pdf.save(f"{document.pdf_sha256[:12]}.pdf", ContentFile(pdf_bytes), save=False)
    document.save()
    _timeline(
        case,
        TimelineEntry.Kind.DOCUMENT,
        _("生成%(kind)s 第%(v)d版") % {"kind": document.get_kind_display(), "v": document.version},
        actor,
        document=document.pk,
        version=document.version,
        sha256=document.pdf_sha256,
    )
    return document


@transaction.atomic
def document_sign(
    *, document: CaseDocument, actor, scan: UploadedFile | None = None
) -> CaseDocument:
    """Mark a version as signed by the parties, with an optional scan of the signed paper. One
    way: a signed version stays signed and its files and scan are never replaced."""
    from niangjia.rights.services import _require_union_staff, _timeline, check_upload

    document = CaseDocument.objects.select_for_update().select_related("case").get(pk=document.pk)
    case = document.case
    _require_union_staff(actor, case)
    if document.kind not in SIGNABLE:
        raise ValidationError({"document": _("案件摘要是内部材料，无需签署")})
    if document.signed:
        raise ValidationError(
            {
                "document": _(
                    "该版本已标记为已签署，签署状态和扫描件不能更改；如需变更请重新生成新版本"
                )
            }
        )
    if scan is not None:
        ext, sha256 = check_upload(scan)
        if ext not in SCAN_TYPES:
            raise ValidationError({"scan": _("签署扫描件请上传 PDF、JPG 或 PNG 文件")})
        document.signed_scan.save(f"signed-{sha256[:12]}{ext}", scan, save=False)
        document.signed_scan_name = (scan.name or "")[:200]
        document.signed_scan_sha256 = sha256
    document.signed = True
    document.signed_at = timezone.now()
    document.signed_by = actor
    document.save()
    _timeline(
        case,
        TimelineEntry.Kind.DOCUMENT,
        _("%(kind)s 第%(v)d版已签署%(scan)s")
        % {
            "kind": document.get_kind_display(),
            "v": document.version,
            "scan": _("（已上传签署扫描件）") if scan is not None else "",
        },
        actor,
        document=document.pk,
    )
    return document


def documents_for(case: Case):
    return case.documents.select_related("created_by", "signed_by").order_by("kind", "-version")
