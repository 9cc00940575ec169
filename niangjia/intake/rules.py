"""The rule table of the intake assistant: every rule has a name, the field it feeds, a one-line
description (shown to the operator beside each suggestion) and its pattern, compiled once at
import. `analyser.py` applies them; docs/intake.md explains them. To change what the assistant
reads, change it here, run `manage.py intake_eval`, and bump VERSION.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext_noop as N_

from niangjia.intake.numerals import NUMBER

VERSION = "1.1"
MAX_CHARS = 5000

CATEGORIES = (
    "wages",
    "injury",
    "termination",
    "compensation",
    "social_insurance",
    "overtime",
    "relationship",
    "other",
)
FIELDS = ("category", "amounts", "workers_count", "employer", "dates", "urgency", "signals")
SIGNALS = {
    "group_case": N_("群体性（10人以上或集体）"),
    "extreme_threat": N_("有过激言行倾向"),
    "injury": N_("受伤/工伤"),
    "disability": N_("伤残等级"),
    "death": N_("死亡"),
    "spring_festival": N_("春节前欠薪"),
    "months_of_wage": N_("按月数计的工资"),
    "no_contract": N_("未签劳动合同"),
    "platform_worker": N_("平台/新就业形态"),
    "pregnancy": N_("孕期/产期"),
    "migrant_worker": N_("农民工"),
}
URGENT_SIGNALS = ("group_case", "extreme_threat", "injury", "death", "spring_festival")
GROUP_SIZE = 10  # from this many workers a complaint is a group case (群体性)
SPRING_FESTIVAL_WINDOW = 42  # days before 正月初一 counted as "before Spring Festival"

# 正月初一 of each year (checked against the chinese-calendar package's Spring Festival holidays
# for every year it knows; see tests/test_analyser.py).
SPRING_FESTIVAL = {
    y: datetime.date(y, m, d)
    for y, m, d in [
        (2004, 1, 22), (2005, 2, 9), (2006, 1, 29), (2007, 2, 18), (2008, 2, 7), (2009, 1, 26),
        (2010, 2, 14), (2011, 2, 3), (2012, 1, 23), (2013, 2, 10), (2014, 1, 31), (2015, 2, 19),
        (2016, 2, 8), (2017, 1, 28), (2018, 2, 16), (2019, 2, 5), (2020, 1, 25), (2021, 2, 12),
        (2022, 2, 1), (2023, 1, 22), (2024, 2, 10), (2025, 1, 29), (2026, 2, 17), (2027, 2, 6),
        (2028, 1, 26), (2029, 2, 13), (2030, 2, 3), (2031, 1, 23), (2032, 2, 11), (2033, 1, 31),
        (2034, 2, 19), (2035, 2, 8),
    ]
}  # fmt: skip


@dataclass(frozen=True)
class Rule:
    name: str
    field: str
    description: str
    pattern: re.Pattern | None = None
    value: str = ""  # the category or signal the rule points to
    weight: int = 0  # category rules: how strongly the words point to the category


def _r(pattern: str) -> re.Pattern:
    return re.compile(pattern)


N = NUMBER
MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十[一]?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"  # noqa: E501
YEAR = r"(?:19\d{2}|20\d{2}|[二][〇○零][〇○零一二三四五六七八九]{2})"
MONEY_UNIT = r"(?:元钱|元|块钱|块|圆)"
# what follows a number that is a count, a length, a time or a rank, not money
NOT_MONEY_AFTER = r"(?![\d.]|多?(?:个|人|名|位|天|小时|点|号|年|月|日|次|岁|级|米|平|吨|公里|单|件|台|户|家|栋|层|%|％))"  # noqa: E501
APPROX = r"(?P<approx>多|余|来|几)?"

# --- amounts ------------------------------------------------------------------------------------
AMOUNT_RULES = [
    Rule(
        "amount.yuan",
        "amounts",
        N_("数字加货币单位：十四万元、14,000元、3000块、两千五百元"),
        _r(rf"(?P<num>{N}){APPROX}\s*{MONEY_UNIT}"),
    ),
    Rule(
        "amount.wan",
        "amounts",
        N_("带“万”的数额，未写“元”：1.4万、3万5、两万多"),
        _r(rf"(?P<num>{N}){APPROX}{NOT_MONEY_AFTER}"),  # kept only when the number has 万
    ),
    Rule(
        "amount.wan_approx",
        "amounts",
        N_("“八十多万”：约数乘以一万"),
        _r(rf"(?P<num>{N})(?P<approx>多|余|来)万{MONEY_UNIT}?(?!人|多人|个|名)"),
    ),
    Rule(
        "amount.context",
        "amounts",
        N_("工资、欠款、补偿等词后的数额：月薪5000、每个月两千五、一共欠三千二百"),
        _r(
            r"(?:工资|工钱|薪水|薪资|月薪|底薪|日薪|时薪|欠款|欠|共计|合计|总共|一共|补偿|赔偿|赔|"
            r"费用|费|报酬|押金|奖金|提成|每月|每个月|一个月|每天|一天|每人|一人|一个人|人均|给了|发了|只给|才给|扣了|扣)"
            rf"[^，。！？；,;\d一二两三四五六七八九十]{{0,4}}?(?P<num>\d{{3,7}}(?:\.\d+)?|[一二两三四五六七八九十][一二两三四五六七八九十零百千]*[百千][一二两三四五六七八九]?){APPROX}{NOT_MONEY_AFTER}"  # noqa: E501
        ),
    ),
]
# "三个月", "半年", "俩月": a number of months (年 counts twelve)
_MONTHS = r"\s*(?P<unit{i}>个\s*月|年|(?<=[两俩])月)"
MONTHS_OF_WAGE = Rule(
    "signal.months_of_wage",
    "signals",
    N_("几个月的工资：三个月工资、工资5个月没发、三个月没发工资"),
    _r(
        rf"(?P<num1>{N}|半){_MONTHS.format(i=1)}(?:的)?(?:工资|工钱|薪水|薪资)(?![是为有约]|\s*\d|[一二两三四五六七八九十]+[千百万元块])"  # noqa: E501
        rf"|(?:工资|工钱)[^，。！？]{{0,3}}?(?P<num2>{N}|半){_MONTHS.format(i=2)}(?:都|也|了)?(?:没|未|没有|不)(?:发|给|结|付)"  # noqa: E501
        rf"|(?P<num3>{N}|半){_MONTHS.format(i=3)}(?:的)?(?:都|也)?(?:没|未|没有|不)(?:发|给|结)(?:过)?(?:工资|工钱)"  # noqa: E501
    ),
)
MONTHLY_WAGE = Rule(
    "amount.monthly_wage",
    "amounts",
    N_("月工资（用于按月数计算欠薪）：月薪5000、工资每月4000、一个月两千五"),
    _r(
        r"(?:月薪|月工资|每月工资|工资每月|工资每个月|每个月工资|工资一个月|一个月工资|底薪|每月|每个月|一个月)"
        rf"(?:是|为|有|大概|约|差不多|才|只有|就)?\s*(?P<num>\d{{3,6}}|{N}){APPROX}\s*{MONEY_UNIT}?{NOT_MONEY_AFTER}"  # noqa: E501
    ),
)
MONTHS_X_WAGE = Rule(
    "amount.months_x_wage", "amounts", N_("月数乘以所述月工资：三个月工资 × 月薪5000")
)

# --- workers ------------------------------------------------------------------------------------
WORKER_NOUN = r"(?:农民工|民工|工人|工友|职工|员工|师傅|骑手|快递员|外卖员|兄弟|老乡|同事|姐妹|保洁员?|保安|司机|人)"  # noqa: E501
WORKER_RULES = [
    Rule(
        "workers.me_and",
        "workers_count",
        N_("“我和N个工友”：N加上本人"),
        _r(
            rf"(?:我和|我跟|我与|我同|我带着|我带了|我领着|我还有|我及|其与|其和|其同)\s*(?:同村|其他|另外)?(?P<num>{N}){APPROX}(?:个|名|位)?{WORKER_NOUN}"  # noqa: E501
        ),
    ),
    Rule(
        "workers.count",
        "workers_count",
        N_("数字加人称：12个农民工、二十多人、30余名工人"),
        _r(rf"(?<!第)(?P<num>{N}){APPROX}(?:个|名|位|号)?{WORKER_NOUN}"),
    ),
    Rule(
        "workers.single",
        "workers_count",
        N_("没有人数，也没有“我们”“大家”等多人说法：按1人"),
        _r(r"本人|我|来电人|来访人|来电职工|投诉人|该职工"),
    ),
]
# more than one worker, however many: then no count is better than "1"
PLURAL = _r(
    r"(?:我们|咱们|俺们)(?!单位|公司|厂|老板|站|家|这|那|经理|领导|主管|工地|项目|车间|店)|大家|工友们|兄弟们|工人们|同事们|姐妹们|一群|多名|多人|好多人|很多人|不少人|"
    r"一些人|几个人|我和|我跟|我与|我同|我带着|我带了|我领着|我还有|我及|其与|其和|其同"
)

# --- employer -----------------------------------------------------------------------------------
# strength: which suffix says "employer" most clearly (a company beats a site or a shop)
EMPLOYER_SUFFIXES = {
    "有限责任公司": 4,  # a registered name beats a bare "公司"
    "股份有限公司": 4,
    "有限公司": 4,
    "分公司": 4,
    "公司": 3,
    "集团": 3,
    "项目部": 2,
    "工程处": 2,
    "工厂": 2,
    "厂": 2,
    "医院": 2,
    "学校": 2,
    "驾校": 2,
    "幼儿园": 2,
    "养殖场": 2,
    "农场": 2,
    "合作社": 2,
    "煤矿": 2,
    "工地": 1,
    "超市": 1,
    "酒店": 1,
    "饭店": 1,
    "餐厅": 1,
    "餐馆": 1,
    "商场": 1,
    "店": 1,
    "配送站": 1,
    "站点": 1,
    "工作室": 1,
    "KTV": 1,
    "ktv": 1,
    "网吧": 1,
    "酒吧": 1,
    "会所": 1,
    "宾馆": 1,
    "旅馆": 1,
    "美容院": 1,
    "诊所": 1,
    "中心": 1,
}
EMPLOYER_RULE = Rule(
    "employer.suffix",
    "employer",
    N_("以有限公司/公司/集团/厂/项目部/工地/店等结尾的最长名称，不含前面的“在”“给”和动词"),
    _r("|".join(sorted(EMPLOYER_SUFFIXES, key=len, reverse=True))),
)
PLATFORM_RULE = Rule(
    "employer.platform",
    "employer",
    N_("没有单位全称时的平台名称：美团、饿了么、顺丰……"),
    _r(r"美团|饿了么|顺丰|京东|闪送|达达|货拉拉|滴滴|蜂鸟|圆通|中通|申通|韵达|极兔|菜鸟|邮政|德邦"),
)
# where a name stops when read leftwards from its suffix: punctuation, pronouns, prepositions and
# the verbs that come before an employer ("在…干活", "给…打工", "被…辞退")
EMPLOYER_BOUNDARY = _r(
    r"[\s，。、；：！？,.;:!?“”\"'《》【】\[\]]|我们|他们|咱们|这家|那家|一家|这个|那个|一个|"
    r"打工|干活|上班|工作|务工|入职时?|就职|发现|知道|通知|告诉|应聘|承包|分包|转包|包工头|老板|负责人|反映|投诉|举报|"
    r"拖欠|和我|和他|为我|进了|进入|进到|原来|以前|现在|之前|位于|原单位|本单位|单位为|单位|入职时|当时|那时|同时|"
    r"[在给到去于向找被是了与跟帮替把让从由对我他她你的说叫称欠及或等将要想但而却因所其该已曾没不啥才]"
)
EMPLOYER_GENERIC = _r(
    r"(?:建筑|建设|工程|物流|快递|外卖|装修|装饰|劳务|派遣|保洁|物业|科技|餐饮|服装|电子|家政|外包|"
    r"运输|安保|保安|广告|商贸|贸易|网络|人力资源|汽修|汽车|机械|食品|养殖|化工|钢铁|煤炭|纺织|印刷|"
    r"包装|服务|私人|个体|原来的|以前的|现在的|小|大|黑|新|老|某|该|本|原|一|这|那|哪|同一|上|下|"
    r"分|总|母|子|他们|我们|外地|本地|当地|附近|隔壁|[0-9一二三四五六七八九十两几]+[年月日号]?|个|家)+"
)
NOT_EMPLOYER = _r(
    r"工会|人社|劳动监察|仲裁|法院|派出所|政府|街道办|信访|12351|12345|社保中心|医保中心"
)  # noqa: E501

# --- dates --------------------------------------------------------------------------------------
DATE_RULES = [
    Rule(
        "date.ymd",
        "dates",
        N_("年月日：2024年3月15日"),
        _r(rf"(?P<y>{YEAR})\s*年\s*(?P<m>{MONTH})\s*月\s*(?P<d>{DAY})\s*[日号]"),
    ),
    Rule(
        "date.numeric",
        "dates",
        N_("数字日期：2024-03-15、2024.3.15、2024/3"),
        _r(
            r"(?<!\d)(?P<y>(?:19|20)\d{2})[./-](?P<m>1[0-2]|0?[1-9])(?:[./-](?P<d>3[01]|[12]\d|0?[1-9]))?(?![\d.])"
        ),  # noqa: E501
    ),
    Rule(
        "date.ym",
        "dates",
        N_("年月：2024年3月"),
        _r(rf"(?P<y>{YEAR})\s*年\s*(?P<m>{MONTH})\s*月(?:份)?"),
    ),
    Rule(
        "date.relative_year",
        "dates",
        N_("今年/去年/前年某月（某日），按分析日期推算"),
        _r(
            rf"(?P<rel>今年|去年|前年|明年)\s*(?:(?P<end>年底|底)|(?P<m>{MONTH})\s*月(?:份)?(?:\s*(?P<d>{DAY})\s*[日号])?)"
        ),  # noqa: E501
    ),
    Rule(
        "date.md",
        "dates",
        N_("月日（无年份）：3月15日；取最近的过去日期（不晚于分析日期一个月）"),
        _r(rf"(?<![\d年个第])(?P<m>{MONTH})\s*月\s*(?P<d>{DAY})\s*[日号]"),
    ),
    Rule(
        "date.m",
        "dates",
        N_("月份（无年份）：3月份；取最近的过去月份"),
        _r(
            rf"(?<![\d年个第每上下本这那])(?P<m>{MONTH})\s*月(?:份)?(?![\d一二三四五六七八九十]|[日号底初中])"
        ),  # noqa: E501
    ),
    Rule(
        "date.relative",
        "dates",
        N_("上个月、昨天、前天，按分析日期推算"),
        _r(r"(?P<word>上个月|上月|这个月|本月|昨天|前天)"),
    ),
    Rule(
        "date.spring_festival",
        "dates",
        N_("春节前/过年前/年前：取分析日期前后最近的春节（正月初一）"),
        _r(
            r"(?P<word>春节|过年|大年三十|除夕|年关|(?<![\d一二两三四五六七八九十几多去今明前每半当那这])年(?=前|后(?!天)))"
        ),  # noqa: E501
    ),
]

# --- category -----------------------------------------------------------------------------------
# (name, category, weight, pattern): a category's score is the sum of the weights of its rules
# that match; each rule counts once however often its words recur
# fmt: off
_C = [
    # wages: the arrears themselves
    ("category.wages.arrears", "wages", 3, r"欠薪|讨薪|拖欠工资|欠工资|工资拖欠|拖欠[^。！？，,；]{0,8}工资|欠[^。！？，,；]{0,16}(?:工资|工钱|血汗钱)"),  # noqa: E501
    ("category.wages.unpaid", "wages", 3, r"(?:工资|工钱|薪水)[^。！？，,；]{0,12}(?:(?:没|未|不|没有)(?:发|给|结|付|到账)|拖着|拖了|一直拖)|(?:不|没|未|没有)(?:发|给|结|付)(?:工资|工钱|薪水)"),  # noqa: E501
    ("category.wages.owed", "wages", 2, r"欠(?:了)?[^，。！？,;；]{0,6}?(?:钱|[\d.一二两三四五六七八九十]+多?(?:万|千|百|元|块))"),  # noqa: E501
    ("category.wages.partial", "wages", 2, r"只给了|只发了|才给了|才发了|少发|没给够|剩下的[^，。！？]{0,6}再给"),  # noqa: E501
    ("category.wages.words", "wages", 2, r"工钱|血汗钱|讨工资|要工资|结工资|劳务费|工程款|压(?:了)?(?:一个月|两个月)?工资|押(?:了)?工资|包工头跑|老板跑|跑路|低于[^，。！？]{0,4}最低工资"),  # noqa: E501
    ("category.wages.deduction", "wages", 3, r"克扣|扣(?:了)?(?:我们?|俺们?)?(?:的)?(?:工资|钱|[\d一二两三四五六七八九十]+)"),  # noqa: E501
    # injury
    ("category.injury.strong", "injury", 4, r"工伤|骨折|伤残|致残|断指|截肢|职业病|尘肺|工亡|(?:摔|砸|压|烫|割|扎|夹|撞|烧|绞|轧|碾|刺|划|碰)伤"),  # noqa: E501
    ("category.injury.words", "injury", 2, r"受伤|受了伤|轻伤|重伤|摔下来|掉下来|从[^。]{0,8}摔|(?:被|让)机器|死亡|身亡|去世|事故|没抢救过来|遇难"),  # noqa: E501
    ("category.injury.medical", "injury", 1, r"医药费|医疗费|住院|手术"),  # noqa: E501
    # termination
    ("category.termination.reinstate", "termination", 4, r"恢复劳动关系|恢复工作|继续履行(?:劳动)?合同|撤销(?:开除|辞退|解除)"),  # noqa: E501
    ("category.termination", "termination", 3, r"辞退|开除|解雇|被炒|炒了|炒鱿鱼|裁员|劝退|解除(?:劳动)?合同|不用来了|不让(?:我)?(?:来|上班|干了?)|让我走|叫我走|走人|被迫(?:辞职|离职)|逼(?:我)?(?:辞职|离职|写辞职)|末位淘汰|不(?:续签|再续)|终止(?:劳动)?合同"),  # noqa: E501
    # compensation
    ("category.compensation", "compensation", 4, r"经济补偿|补偿金|赔偿金|[Nn]\s*\+\s*1|2\s*[Nn]|遣散费|违法解除|二倍工资|双倍工资|两倍工资"),  # noqa: E501
    ("category.compensation.word", "compensation", 2, r"赔偿|补偿"),  # noqa: E501
    # social insurance
    ("category.social_insurance", "social_insurance", 4, r"社保|社会保险|五险|养老保险|医疗保险|医保|失业保险|失业金|生育保险|生育津贴|公积金|断缴|补缴|参保|缴费基数|(?:不|没|没有|未)(?:给)?(?:交|缴|买)(?:保险|社保)"),  # noqa: E501
    # overtime
    ("category.overtime.pay", "overtime", 4, r"加班费|加班工资|加班钱|加班(?:的钱)?(?:不|没|没有)(?:给|算|发)"),  # noqa: E501
    ("category.overtime.hours", "overtime", 3, r"天天加班|每天(?:干|上班|工作)\s*(?:1[1-9]|十[一二三四五六七八九]|[12]\d)\s*(?:个)?(?:小时|钟头)|996|007|(?:没有|没)(?:双休|休息日)|周末.{0,4}(?:加班|上班)|节假日.{0,4}(?:加班|上班)|(?:国庆|春节|五一|中秋|过年).{0,4}加班|一个月(?:只)?休(?:一|两|1|2)天"),  # noqa: E501
    ("category.overtime.word", "overtime", 1, r"加班"),  # noqa: E501
    # employment relationship
    ("category.relationship", "relationship", 4, r"劳动关系|合作关系|劳务关系|个体工商户|个体户"),  # noqa: E501
    ("category.relationship.denied", "relationship", 3, r"不承认|不认(?:我|账)|不是(?:他们|公司)的(?:员工|人)|证明.{0,8}(?:员工|工作过|在这干)"),  # noqa: E501
    ("category.relationship.contract", "relationship", 2, r"(?:没|未|没有|不)(?:跟我|和我|给我|与我)?(?:签|签订|订|给签)(?:过)?(?:书面)?(?:劳动)?合同|外包|挂靠|工牌|工作证"),  # noqa: E501
    # other matters (annual leave, deposits, ID cards, files, training costs…)
    ("category.other", "other", 3, r"押金|扣(?:押|了)?(?:我的)?身份证|身份证被扣|档案|离职证明|培训费|违约金|年假|年休假|带薪休假|性骚扰|歧视|竞业|体检费|服装费"),  # noqa: E501
]
# fmt: on
CATEGORY_RULES = [
    Rule(name, "category", N_("类别关键词"), _r(p), value=v, weight=w) for name, v, w, p in _C
]
CATEGORY_FALLBACK = Rule("category.fallback", "category", N_("没有任何类别关键词：其他"))
# when two categories score the same, the more specific one (earlier here) wins
CATEGORY_PRIORITY = (
    "injury",
    "compensation",
    "social_insurance",
    "overtime",
    "termination",
    "relationship",
    "wages",
    "other",
)

# --- signals ------------------------------------------------------------------------------------
SIGNAL_RULES = [
    Rule(
        "signal.threat",
        "signals",
        N_("过激言行：跳楼、不活了、堵门、拉横幅、一起去讨说法……"),
        _r(
            r"跳楼|跳河|跳桥|跳江|自杀|轻生|寻短见|不想活|不活了|活不下去|以死|同归于尽|跟(?:他|他们|老板)拼了|"
            r"喝农药|喝药|爬(?:上)?塔吊|上塔吊|爬(?:上)?楼顶|堵门|堵路|堵大门|拉横幅|拉条幅|打横幅|举牌|围堵|"
            r"静坐|闹事|上访|去(?:市|区|省)?政府(?:门口)?|找政府|弄死|堵在[^，。！？]{0,4}门口|"
            r"(?:一起|集体|都去|去公司|去工地|到公司|到工地)[^。！？]{0,10}讨(?:个)?说法"
        ),
        value="extreme_threat",
    ),
    Rule(
        "signal.injury",
        "signals",
        N_("受伤/工伤：工伤、摔伤、骨折、伤残……"),
        _r(
            r"工伤|受伤|受了伤|轻伤|重伤|骨折|伤残|致残|断指|截肢|职业病|尘肺|工亡|"
            r"(?:摔|砸|压|烫|割|扎|夹|撞|烧|绞|轧|碾|刺|划|碰)伤|摔下来|掉下来"
        ),
        value="injury",
    ),
    Rule(
        "signal.death",
        "signals",
        N_("死亡：死亡、身亡、去世、工亡"),
        _r(r"死亡|身亡|去世|工亡|没抢救过来|遇难"),
        value="death",
    ),
    Rule(
        "signal.disability",
        "signals",
        N_("伤残等级：鉴定为九级、伤残九级、九级伤残"),
        _r(
            rf"(?:鉴定|评定|认定|评)(?:为|成|是)?\s*(?P<num>{N})\s*级|伤残\s*(?P<num2>{N})\s*级|(?P<num3>{N})\s*级伤残"  # noqa: E501
        ),
        value="disability",
    ),
    Rule(
        "signal.group",
        "signals",
        N_("群体：集体、群体、全体、大家一起、联名……（或10人以上）"),
        _r(
            r"集体|群体|全体|全班组|整个班组|所有工人|所有工友|大家一起|一起去|联名|几十个人|几十号人|上百(?:个|号|名)?人"
        ),  # noqa: E501
        value="group_case",
    ),
    Rule(
        "signal.no_contract",
        "signals",
        N_("未签劳动合同"),
        _r(
            r"(?:没|未|没有|不)(?:跟我|和我|给我|与我)?(?:签|签订|订|给签)(?:过)?(?:书面)?(?:劳动)?合同|无(?:书面)?(?:劳动)?合同"
        ),  # noqa: E501
        value="no_contract",
    ),
    Rule(
        "signal.platform",
        "signals",
        N_("平台/新就业形态：骑手、外卖员、快递员、网约车……"),
        _r(r"骑手|外卖员|送外卖|跑外卖|快递员|快递小哥|配送员|网约车|闪送|跑单|众包"),
        value="platform_worker",
    ),
    Rule(
        "signal.pregnancy",
        "signals",
        N_("孕期/产期：怀孕、孕期、产假、哺乳期"),
        _r(r"怀孕|孕期|产假|哺乳期|产检"),
        value="pregnancy",
    ),
    Rule("signal.migrant", "signals", N_("农民工"), _r(r"农民工|民工"), value="migrant_worker"),
]
SPRING_WORDS = Rule(
    "signal.spring_festival",
    "signals",
    N_("欠薪案件提到春节/过年/年前/年后，或分析日期在春节前六周内"),
    _r(
        r"春节|过年|年关|腊月|小年|除夕|大年三十|(?<![\d一二两三四五六七八九十几多去今明前每半当那这])年[前后](?!天)"
    ),  # noqa: E501
    value="spring_festival",
)
GROUP_COUNT_RULE = Rule("signal.group_count", "signals", N_("人数达到10人"), value="group_case")
URGENCY_DEFAULT = Rule("urgency.default", "urgency", N_("没有紧急信号：一般"))
URGENCY_HIGH = Rule("urgency.signal", "urgency", N_("有群体、过激、受伤或春节前欠薪信号：紧急"))

RULES: dict[str, Rule] = {
    r.name: r
    for r in [
        *AMOUNT_RULES,
        MONTHLY_WAGE,
        MONTHS_X_WAGE,
        *WORKER_RULES,
        EMPLOYER_RULE,
        PLATFORM_RULE,
        *DATE_RULES,
        *CATEGORY_RULES,
        CATEGORY_FALLBACK,
        *SIGNAL_RULES,
        MONTHS_OF_WAGE,
        SPRING_WORDS,
        GROUP_COUNT_RULE,
        URGENCY_DEFAULT,
        URGENCY_HIGH,
    ]
}
