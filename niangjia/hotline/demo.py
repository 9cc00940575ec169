"""Demo desk of 大武口区总工会 (where dwk_rights works): about 150 calls and visits over the last
four months across categories and outcomes, a few turned into cases, callbacks done on time or
late, some pending (one overdue), and two earlier calls of worker_demo's number 13895270001 so
the desk shows that caller's earlier case. Written through the services. Loads once."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from niangjia.core.demo import fake_mobile, fake_name
from niangjia.core.pii import blind_index
from niangjia.hotline import services
from niangjia.hotline.models import Consultation
from niangjia.orgs.models import Org
from niangjia.rights.models import Case

KNOWN_PHONE = "13895270001"  # worker_demo (田小军), who has a case in mediation

CATEGORY_WEIGHTS = [
    ("wages", 34), ("policy", 20), ("social_insurance", 10), ("injury", 8), ("termination", 8),
    ("overtime", 7), ("compensation", 5), ("relationship", 4), ("other", 4),
]  # fmt: skip
QUESTIONS = {
    "wages": [
        (
            "公司已经两个月没发工资了，老板说等回款，我该怎么办？",
            "告知可先与企业协商，保留工资条、考勤等证据；协商不成可来工会登记或向劳动保障监察投诉。",
        ),
        (
            "工地包工头跑了，我们班组8个人的工资找谁要？",
            "根据保障农民工工资支付条例，施工总承包单位应先行清偿，建议收集考勤和工友名单来工会登记。",
        ),
        (
            "离职时公司扣了我半个月工资当违约金，合法吗？",
            "用人单位不得以违约金名义克扣工资（服务期和竞业限制除外），可要求足额支付。",
        ),
    ],
    "policy": [
        (
            "试用期最长可以约定多久？",
            "劳动合同期限三年以上的，试用期不得超过六个月；同一单位只能约定一次试用期。",
        ),
        (
            "今年的最低工资标准是多少？",
            "已告知本地现行月最低工资标准和小时最低工资标准，并说明不含加班工资和特殊津贴。",
        ),
        ("产假有多少天？男方有陪产假吗？", "已说明国家规定的98天产假及本省延长产假、陪产假天数。"),
        ("怎么申请困难职工帮扶？", "介绍了困难职工建档条件和所需材料，可到所在街道工会申请。"),
    ],
    "social_insurance": [
        (
            "公司一直没给我交社保，现在想补缴怎么办？",
            "可要求用人单位补缴，也可向社保经办机构或劳动保障监察投诉。",
        ),
        ("换工作后社保怎么转移？", "已说明养老保险关系转移接续的办理流程和所需材料。"),
    ],
    "injury": [
        (
            "上班路上骑电动车被撞了，算工伤吗？",
            "上下班途中受到非本人主要责任的交通事故伤害应认定为工伤，需在一年内申请工伤认定。",
        ),
        (
            "在车间手指被机器压伤，公司不给报工伤。",
            "单位应在30日内申请工伤认定；单位不申请的，本人可在一年内直接申请。",
        ),
    ],
    "termination": [
        (
            "公司突然让我明天不用来了，没有任何补偿。",
            "用人单位违法解除的应支付赔偿金；建议保留解除通知等证据，可来工会申请调解。",
        ),
        (
            "公司要搬迁到外地，不去就算我自动离职，合理吗？",
            "客观情况发生重大变化的应协商变更，协商不成解除的应支付经济补偿。",
        ),
    ],
    "overtime": [
        (
            "每周六都要加班，从来没有加班费。",
            "休息日加班又不能安排补休的，应按不低于工资200%支付；建议收集考勤记录。",
        ),
        (
            "国庆节加班只给了调休，可以要加班费吗？",
            "法定休假日加班应支付不低于300%的工资报酬，不能以调休代替。",
        ),
    ],
    "compensation": [
        (
            "干了五年被辞退，经济补偿怎么算？",
            "按工作年限每满一年支付一个月工资，六个月以上不满一年按一年计算。",
        ),
    ],
    "relationship": [
        (
            "跑外卖的，站点说我不是他们的员工，受伤了找谁？",
            "需先确认劳动关系；平台从业人员可了解职业伤害保障，已告知申请途径。",
        ),
    ],
    "other": [
        ("想咨询一下工会会员卡怎么办理。", "已告知会员服务卡的办理渠道。"),
        (
            "单位年休假不让休，也不给钱。",
            "未休年休假应按日工资的300%支付（含正常工资），可与单位协商或申请仲裁。",
        ),
    ],
}
EMPLOYERS = [
    "大武口区众鑫建筑劳务有限公司", "石嘴山市兴业商贸有限公司", "宁夏天元锰业集团大武口分公司",
    "大武口区美佳家政服务有限公司", "石嘴山市永昌汽修厂", "宁夏顺丰速运有限公司大武口分部", "",
]  # fmt: skip


def load(stdout, full: bool = False) -> None:
    if Consultation.objects.exists():
        stdout.write("12351热线：已加载，跳过")
        return
    officer = get_user_model().objects.get(username="dwk_rights")
    dwk = Org.objects.get(name="大武口区总工会")
    park = Org.objects.get(name__startswith="石嘴山高新技术产业开发区工会")
    rng = random.Random(12351)
    now = timezone.now()
    cases_loaded = Case.objects.exists()
    callers = [fake_mobile(rng) for _ in range(115)]  # some callers ring more than once
    count = 150 if not full else 1500
    converted = 0
    for i in range(count):
        days = rng.randint(1, 120)
        local = timezone.localtime(now - datetime.timedelta(days=days))
        hour = rng.choices(range(8, 21), [3, 8, 9, 7, 3, 5, 8, 7, 6, 4, 2, 1, 1])[0]
        started = local.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59))
        category = rng.choices([c for c, _ in CATEGORY_WEIGHTS], [w for _, w in CATEGORY_WEIGHTS])[
            0
        ]
        question, answer = rng.choice(QUESTIONS[category])
        roll = rng.random()
        outcome = "answered" if roll < 0.66 else "referred" if roll < 0.8 else "callback_needed"
        due = started + datetime.timedelta(days=rng.choice([1, 1, 2, 3]))
        needs_callback = outcome == "callback_needed" and due < now
        consultation = services.consultation_record(
            actor=officer,
            org=dwk if i % 4 else park,
            caller_phone=rng.choice(callers) if rng.random() < 0.93 else "",
            caller_name=fake_name(rng) if rng.random() < 0.6 else "",
            employer_name=rng.choice(EMPLOYERS) if category not in {"policy", "other"} else "",
            category=category,
            question=question,
            answer=answer,
            outcome=outcome if needs_callback or outcome != "callback_needed" else "answered",
            channel=rng.choices(["hotline", "walk_in", "online"], [80, 12, 8])[0],
            duration_seconds=rng.randint(60, 900)
            if rng.random() < 0.95
            else rng.randint(900, 2400),
            started_at=started,
            callback_due_at=due if needs_callback else None,
            callback_note="告知处理进展" if needs_callback else "",
            now=started,
        )
        if needs_callback:
            callback = consultation.callbacks.get()
            late = rng.random() < 0.2
            services.callback_complete(
                callback=callback,
                actor=officer,
                result_note="已回电告知处理进展，来电人表示满意",
                now=callback.due_at + datetime.timedelta(hours=5 if late else -2),
            )
        if (
            cases_loaded
            and converted < 6
            and category in {"wages", "injury", "termination"}
            and consultation.employer_name
            and consultation.caller_phone
            and days > 10
            and rng.random() < 0.4
        ):
            if not consultation.caller_name:
                Consultation.objects.filter(pk=consultation.pk).update(caller_name=fake_name(rng))
                consultation.refresh_from_db()
            services.consultation_convert(consultation=consultation, actor=officer)
            converted += 1
    _pending_callbacks(officer, dwk, rng, now)
    _known_caller(officer, park, now)
    stdout.write(f"12351热线：{Consultation.objects.count()} 条咨询，{converted} 条转为案件")


def _pending_callbacks(officer, dwk, rng, now) -> None:
    """Callbacks still to make: one overdue since yesterday, one later today, one tomorrow."""
    for offset_hours, question in (
        (-30, "反映企业欠薪，约定次日回电告知劳动监察处理情况。"),
        (-3, "咨询工伤认定材料，需核实后回电。"),
        (-1, "询问集体协商程序，需请示后答复。"),
    ):
        started = now + datetime.timedelta(hours=offset_hours)
        due = (
            started + datetime.timedelta(hours=20)
            if offset_hours < -24
            else now + datetime.timedelta(hours=2 if offset_hours == -3 else 26)
        )
        services.consultation_record(
            actor=officer,
            org=dwk,
            caller_phone=fake_mobile(rng),
            caller_name=fake_name(rng),
            category="wages"
            if offset_hours < -24
            else "injury"
            if offset_hours == -3
            else "policy",
            question=question,
            answer="已记录，承诺按时回电。",
            outcome="callback_needed",
            duration_seconds=rng.randint(120, 600),
            started_at=started,
            callback_due_at=due,
            callback_note="回电告知处理结果",
            now=started,
        )


def _known_caller(officer, park, now) -> None:
    """Two earlier calls of worker_demo's number: the desk shows them with his case."""
    case = (
        Case.objects.filter(workers__person__phone_hash=blind_index(KNOWN_PHONE))
        .order_by("-received_on")
        .first()
    )
    services.consultation_record(
        actor=officer,
        org=park,
        caller_phone=KNOWN_PHONE,
        caller_name="田小军",
        employer_name="宁夏星河新材料有限公司",
        category="overtime",
        question="连续半年每周六加班，公司不给加班费，怎么维权？",
        answer="休息日加班不能补休的应按200%支付；建议整理考勤记录，可网上投诉或到工会来访登记。",
        duration_seconds=415,
        started_at=now - datetime.timedelta(days=12, hours=3),
        now=now - datetime.timedelta(days=12),
    )
    later = services.consultation_record(
        actor=officer,
        org=park,
        caller_phone=KNOWN_PHONE,
        caller_name="田小军",
        employer_name="宁夏星河新材料有限公司",
        category="overtime",
        question="询问加班费案件的调解进展。",
        answer="已告知案件正在调解，调解员将与企业约定时间。",
        duration_seconds=190,
        started_at=now - datetime.timedelta(days=2, hours=5),
        now=now - datetime.timedelta(days=2),
    )
    if case is not None:
        Consultation.objects.filter(pk=later.pk).update(case=case)
