"""Demo data for the intake assistant (after orgs): a rights officer of 大武口区总工会 has analysed a
handful of complaints and reviewed most of them, correcting some suggestions, so the corrections
report (/staff/intake/corrections/, as `admin`) has something to show. Loads once."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from niangjia.intake import services
from niangjia.intake.models import IntakeAnalysis

# (text, corrections the operator made: field -> corrected value; None = review not saved yet)
DEMO = [
    (
        "来电人王某反映：其与同村12名农民工在大武口区锦绣华庭小区工地做木工，包工头李某拖欠今年"
        "工资共计十四万元，多次讨要未果，工人情绪激动，扬言要去区政府门口拉横幅。",
        {"employer": "宁夏锦绣置业有限公司（锦绣华庭项目）"},
    ),
    (
        "公司说经营困难要裁员，让我们签协议自愿离职，只给一个月工资补偿。我在石嘴山市鑫源化工有限"
        "公司干了6年，月薪4800，按法律应该给经济补偿吧？",
        {"workers_count": 1, "amounts": ["4800.00", "28800.00"]},
    ),
    (
        "送外卖的时候被车撞了 腿骨折 住院半个月 站点说我们是众包 不算工伤 保险也不管 我是饿了么的骑手",
        {"workers_count": 1, "employer": "石嘴山市速达配送服务有限公司"},
    ),
    (
        "被炒了 就因为在群里说了句加班太多 经理就让我明天不用来了 连这个月工资都不想给",
        {"category": "wages"},
    ),
    (
        "我在大武口区华润万家超市做理货员，每天上班12个小时，一个月只休两天，从来没有加班费，请问"
        "加班费怎么算？",
        {},
    ),
    (
        "入职三年了，公司一直没给我们交社保，说是工资里已经包含了，现在我想补缴，公司不同意。单位是"
        "大武口区长城机械制造厂。",
        {"workers_count": 1},
    ),
    (
        "老板欠我们二十多个兄弟的工钱快半年了，马上过年了，一分钱没拿到，家里老人孩子都等着钱回家"
        "过年，再不给我们只能一起去讨说法了",
        {"workers_count": 23, "signals": "+months_of_wage"},
    ),
    (
        "本人于去年12月在石嘴山市恒通机械厂工作时右手被冲床压伤，已认定工伤，今年9月鉴定为九级伤残，"
        "厂里不愿意支付一次性伤残补助金，我月工资5200元。",
        None,
    ),
]


def load(stdout, full: bool = False) -> None:  # noqa: ARG001
    if IntakeAnalysis.objects.exists():
        stdout.write("接诉助手：已加载，跳过")
        return
    officer = get_user_model().objects.get(username="dwk_rights")
    corrected = 0
    for text, corrections in DEMO:
        analysis = services.analysis_create(actor=officer, text=text)
        if corrections is None:
            continue
        fields = {}
        for name in ("category", "amounts", "workers_count", "employer", "dates", "urgency"):
            if name in corrections:
                fields[name] = {"accepted": False, "value": corrections[name]}
            else:
                fields[name] = {"accepted": True}
        signals = list(analysis.suggestions["signals"])
        extra = corrections.get("signals", "")
        if extra.startswith("+") and extra[1:] not in signals:
            fields["signals"] = {"accepted": False, "value": [*signals, extra[1:]]}
        else:
            fields["signals"] = {"accepted": True}
        services.analysis_review(analysis=analysis, actor=officer, fields=fields)
        corrected += sum(1 for f in fields.values() if not f["accepted"])
    stdout.write(f"接诉助手：{len(DEMO)} 次分析，{corrected} 项更正")
