"""The union org tree, partner agencies, enterprises, people, members and staff roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

from niangjia.core import validators
from niangjia.core.models import TimeStampedModel
from niangjia.core.pii import EncryptedTextField, blind_index
from niangjia.core.scope import ScopeSpec

# Every path character is in treebeard's alphabet 0-9A-Z, all below "~" in byte order.
_PATH_END = "~"


def subtree_q(path: str, field: str = "path") -> Q:
    """Rows whose org path lies in the subtree at `path` (inclusive), as a range on the path.

    A range is indexed on both databases (SQLite's LIKE is case-insensitive and skips the
    index), and on PostgreSQL the path column uses the "C" collation (migration 0002) so that
    byte order holds whatever the database's locale.
    """
    return Q(**{f"{field}__gte": path, f"{field}__lt": path + _PATH_END})


class OrgManager(MP_NodeManager):
    def move(self, node, target, pos=None):
        """Move a subtree (the admin's "move" uses this too) and rewrite the copies of its
        paths that big tables keep for scope (Case.org_path, …), in the same transaction."""
        from django.db import transaction

        from niangjia.orgs.services import sync_scope_paths

        with transaction.atomic():
            result = super().move(node, target, pos)
            sync_scope_paths(node.pk)
        return result


class Org(MP_Node, TimeStampedModel):
    """A node of the union hierarchy, or a partner agency attached to one.

    Materialised path (treebeard): a subtree is `path LIKE 'prefix%'`, one indexed query however
    large the tree (Django adds a varchar_pattern_ops index for the unique path on PostgreSQL).
    """

    class Kind(models.TextChoices):
        UNION = "union", _("工会组织")  # a node of the union hierarchy
        AGENCY = "agency", _("协作单位")  # a partner agency attached to a union node

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        DISTRICT = "district", _("县区级")
        STREET = "street", _("乡镇/街道/园区")
        GRASSROOTS = "grassroots", _("基层工会")
        AGENCY = "agency", _("协作单位")  # agencies sit beside the hierarchy, not in a level

    class GrassrootsType(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业工会")
        VILLAGE = "village", _("村工会")
        JOINT = "joint", _("联合工会")
        INSTITUTION = "institution", _("机关事业单位工会")

    class AgencyType(models.TextChoices):
        HRSS = "hrss", _("人社局/劳动保障监察")
        ARBITRATION = "arbitration", _("劳动人事争议仲裁委员会")
        COURT = "court", _("人民法院")
        JUSTICE = "justice", _("司法局")
        POLICE = "police", _("公安机关")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(
        _("简称"), max_length=20, blank=True, help_text=_("用于案件编号等，如“大武口”")
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.UNION)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    grassroots_type = models.CharField(
        _("基层工会类型"), max_length=12, choices=GrassrootsType.choices, blank=True
    )
    agency_type = models.CharField(
        _("协作单位类型"), max_length=12, choices=AgencyType.choices, blank=True
    )
    region_code = models.CharField(
        _("行政区划代码"), max_length=6, validators=[validators.validate_region_code]
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    timezone = models.CharField(_("时区"), max_length=40, default="Asia/Shanghai")

    # No node_order_by: sorted insertion would rewrite the paths of later siblings' whole
    # subtrees on every insert. Children are appended; pages sort by name where it matters.
    scope = ScopeSpec(org="")
    objects = OrgManager()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        constraints = [
            # an agency says which agency it is; a union node never does
            models.CheckConstraint(
                condition=(Q(kind="agency") & ~Q(agency_type="") & Q(level="agency"))
                | (Q(kind="union") & Q(agency_type="") & ~Q(level="agency")),
                name="org_kind_matches_type",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_agency(self) -> bool:
        return self.kind == self.Kind.AGENCY


class Enterprise(TimeStampedModel):
    class Size(models.TextChoices):
        MICRO = "micro", _("微型")
        SMALL = "small", _("小型")
        MEDIUM = "medium", _("中型")
        LARGE = "large", _("大型")

    class Industry(models.TextChoices):  # GB/T 4754 sections most unions deal with
        AGRICULTURE = "A", _("农、林、牧、渔业")
        MINING = "B", _("采矿业")
        MANUFACTURING = "C", _("制造业")
        UTILITIES = "D", _("电力、热力、燃气及水生产和供应业")
        CONSTRUCTION = "E", _("建筑业")
        TRADE = "F", _("批发和零售业")
        LOGISTICS = "G", _("交通运输、仓储和邮政业")
        HOSPITALITY = "H", _("住宿和餐饮业")
        IT = "I", _("信息传输、软件和信息技术服务业")
        FINANCE = "J", _("金融业")
        REAL_ESTATE = "K", _("房地产业")
        BUSINESS_SERVICES = "L", _("租赁和商务服务业")
        RESEARCH = "M", _("科学研究和技术服务业")
        PUBLIC_FACILITIES = "N", _("水利、环境和公共设施管理业")
        RESIDENT_SERVICES = "O", _("居民服务、修理和其他服务业")
        EDUCATION = "P", _("教育")
        HEALTH = "Q", _("卫生和社会工作")
        CULTURE = "R", _("文化、体育和娱乐业")

    name = models.CharField(_("企业名称"), max_length=120)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validators.validate_credit_code],
    )
    industry = models.CharField(_("行业"), max_length=2, choices=Industry.choices)
    size = models.CharField(_("规模"), max_length=8, choices=Size.choices)
    employee_count = models.PositiveIntegerField(_("职工人数"), default=0)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    org = models.ForeignKey(
        Org,
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("所属工会组织"),
        help_text=_("覆盖该企业的工会组织（如园区、街道工会）"),
    )
    union = models.OneToOneField(
        Org,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprise",
        verbose_name=_("企业工会"),
    )

    scope = ScopeSpec(org="org", enterprise="pk")

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return self.name

    @property
    def has_union(self) -> bool:
        return self.union_id is not None


def _person_scope_also(paths: list[str]):
    # a person is also visible where they are a member of a union in the subtree
    q = Q()
    for path in paths:
        q |= subtree_q(path, "union__path")
    return Member.objects.filter(q).values("person_id")


class Person(TimeStampedModel):
    """One human. ID number and phone are encrypted; *_hash columns are their blind indexes."""

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number_encrypted = EncryptedTextField(_("身份证号码（加密）"), blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, null=True, editable=False)
    phone_encrypted = EncryptedTextField(_("手机号码（加密）"), blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    org = models.ForeignKey(
        Org,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("登记组织"),
        null=True,
        blank=True,
    )
    employer = models.ForeignKey(
        Enterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("工作单位"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("平台账号"),
    )

    scope = ScopeSpec(org="org", owner="user", also=_person_scope_also)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        # Declared here rather than as field options: field-level unique/db_index on a CharField
        # also makes PostgreSQL build a varchar_pattern_ops twin, useless for exact hash lookups.
        constraints = [
            # one Person per human, whichever module met them first
            models.UniqueConstraint(fields=["id_number_hash"], name="person_unique_id_number")
        ]
        indexes = [models.Index(fields=["phone_hash"], name="person_phone_hash")]

    def __str__(self) -> str:
        return self.name

    # The plaintext is only reachable through these properties, so the hash cannot drift from it
    # and birth date / gender always follow a valid ID number.
    @property
    def id_number(self) -> str:
        return self.id_number_encrypted or ""

    @id_number.setter
    def id_number(self, value: str) -> None:
        value = validators.normalize_resident_id(value or "")
        self.id_number_encrypted = value
        self.id_number_hash = blind_index(value) if value else None
        if value and validators.resident_id_error(value) is None:
            self.birth_date = validators.resident_id_birth_date(value)
            self.gender = validators.resident_id_gender(value)

    @property
    def phone(self) -> str:
        return self.phone_encrypted or ""

    @phone.setter
    def phone(self, value: str) -> None:
        value = validators.normalize_mobile(value or "")
        self.phone_encrypted = value
        self.phone_hash = blind_index(value) if value else ""

    @property
    def id_number_masked(self) -> str:
        return validators.mask_resident_id(self.id_number)

    @property
    def phone_masked(self) -> str:
        return validators.mask_mobile(self.phone)


class BindingRequest(TimeStampedModel):
    """A signed-in account's pending "绑定我的档案": the code sent to the phone on file of the
    person whose ID number and phone were typed. `person` is empty when they did not match (the
    account is told the same thing either way, and no code was sent). One per account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="binding_request"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    sms_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    sms_code_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    sms_code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    # code requests in the current day (Asia/Shanghai), to bound guessing across fresh codes
    requests_on = models.DateField(null=True, blank=True)
    requests_count = models.PositiveSmallIntegerField(default=0)
    consent_version = models.CharField(max_length=20, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("档案绑定申请")
        verbose_name_plural = _("档案绑定申请")

    def __str__(self) -> str:
        return str(self.user)


class Member(TimeStampedModel):
    """会员: a person's membership of a grassroots union."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("人员")
    )
    union = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="members", verbose_name=_("基层工会")
    )
    join_date = models.DateField(_("入会日期"))
    left_date = models.DateField(_("退会日期"), null=True, blank=True)

    scope = ScopeSpec(org="union", owner="person__user")

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        constraints = [
            # one current membership per person and union; history rows keep a left_date
            models.UniqueConstraint(
                fields=["person", "union"],
                condition=Q(left_date__isnull=True),
                name="member_one_active_per_union",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.union}"


class StaffRole(TimeStampedModel):
    """Binds a user to an org node with a role; the grant covers the node's whole subtree."""

    class Role(models.TextChoices):
        RIGHTS_OFFICER = "rights_officer", _("维权干部")
        STATION_MANAGER = "station_manager", _("驿站管理员")
        CARE_OFFICER = "care_officer", _("帮扶干部")
        CRAFTSMAN_COORDINATOR = "craftsman_coordinator", _("劳模工匠联络员")
        VENUE_MANAGER = "venue_manager", _("职工之家管理员")
        ORG_ADMIN = "org_admin", _("组织管理员")
        AGENCY_LIAISON = "agency_liaison", _("协作单位联络员")
        ENTERPRISE_CONTACT = "enterprise_contact", _("企业联系人")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("用户"),
    )
    org = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="staff_roles", verbose_name=_("组织")
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("企业"),
    )
    is_active = models.BooleanField(_("有效"), default=True)

    scope = ScopeSpec(org="org", owner="user", owner_via_person=False)

    class Meta:
        verbose_name = _("工作角色")
        verbose_name_plural = _("工作角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="staffrole_unique"),
            # an enterprise contact is bound to its enterprise; nobody else is
            models.CheckConstraint(
                condition=(Q(role="enterprise_contact") & Q(enterprise__isnull=False))
                | (~Q(role="enterprise_contact") & Q(enterprise__isnull=True)),
                name="staffrole_enterprise_only_for_contacts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org}"
