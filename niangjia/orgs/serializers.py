from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from niangjia.core import validators
from niangjia.orgs.models import Enterprise, Member, Org, Person, StaffRole


class OrgSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    parent_id = serializers.IntegerField(write_only=True, required=True, label=_("上级组织"))

    class Meta:
        model = Org
        fields = [
            "id",
            "name",
            "kind",
            "level",
            "grassroots_type",
            "agency_type",
            "region_code",
            "address",
            "contact_name",
            "contact_phone",
            "depth",
            "parent",
            "parent_id",
        ]
        read_only_fields = ["depth"]
        extra_kwargs = {"level": {"required": False}}


class EnterpriseSerializer(serializers.ModelSerializer):
    has_union = serializers.BooleanField(read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    org = serializers.PrimaryKeyRelatedField(queryset=Org.objects.all(), label=_("所属工会组织"))

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "industry",
            "size",
            "employee_count",
            "address",
            "org",
            "union",
            "has_union",
            "member_count",
        ]
        read_only_fields = ["union"]
        # uniqueness is checked here so a duplicate is a 400 with a Chinese message
        extra_kwargs = {"credit_code": {"validators": []}}

    def validate_credit_code(self, value: str) -> str:
        value = validators.normalize_credit_code(value)
        if message := validators.credit_code_error(value):
            raise serializers.ValidationError(message)
        duplicates = Enterprise.objects.filter(credit_code=value)
        if self.instance is not None:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise serializers.ValidationError(_("该统一社会信用代码已登记"))
        return value


class PersonSerializer(serializers.ModelSerializer):
    """People are masked in the API: full numbers only go in, never out."""

    id_number = serializers.CharField(
        write_only=True, required=False, allow_blank=True, label=_("身份证号码")
    )
    phone = serializers.CharField(
        write_only=True, required=False, allow_blank=True, label=_("手机号码")
    )
    id_number_masked = serializers.CharField(read_only=True)
    phone_masked = serializers.CharField(read_only=True)
    # derived from the ID number: blank when none is on file (the schema says so)
    gender = serializers.ChoiceField(
        choices=Person.Gender.choices, read_only=True, allow_blank=True
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "id_number_masked",
            "phone_masked",
            "org",
            "employer",
        ]
        read_only_fields = ["gender", "birth_date", "org"]

    def validate_id_number(self, value: str) -> str:
        value = validators.normalize_resident_id(value)
        if value and (message := validators.resident_id_error(value)):
            raise serializers.ValidationError(message)
        return value

    def validate_phone(self, value: str) -> str:
        value = validators.normalize_mobile(value)
        if value and (message := validators.mobile_error(value)):
            raise serializers.ValidationError(message)
        return value


class MemberSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    union_name = serializers.CharField(source="union.name", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "person", "person_name", "union", "union_name", "join_date", "left_date"]
        read_only_fields = ["left_date"]


class StaffRoleSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    org_kind = serializers.CharField(source="org.kind", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = StaffRole
        fields = ["id", "role", "role_display", "org", "org_name", "org_kind", "enterprise"]


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class LinkUserSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, label=_("平台账号（用户名）"))


class BindRequestSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=30, label=_("身份证号码"))
    phone = serializers.CharField(max_length=20, label=_("工会登记的手机号码"))
    consent = serializers.BooleanField(
        label=_("单独同意处理敏感个人信息"),
        help_text=_("须为 true：同意按个人信息处理说明处理身份证号码等敏感个人信息"),
    )


class BindConfirmSerializer(serializers.Serializer):
    code = serializers.CharField(min_length=6, max_length=6, label=_("短信验证码"))


class AccessLogEntrySerializer(serializers.Serializer):
    """One line of "who looked at my file": who (name, the orgs of their roles), when, what, IP."""

    at = serializers.DateTimeField(label=_("时间"))
    user = serializers.CharField(label=_("查看人"))
    username = serializers.CharField(label=_("用户名"))
    orgs = serializers.ListField(child=serializers.CharField(), label=_("所属组织"))
    action = serializers.ChoiceField(
        choices=[("view", _("查看")), ("reveal", _("显示完整信息")), ("export", _("导出"))],
        label=_("操作"),
    )
    action_display = serializers.CharField(label=_("操作名称"))
    record_type = serializers.CharField(label=_("记录类型"))
    record = serializers.CharField(label=_("记录"))
    detail = serializers.CharField(label=_("说明"))
    ip = serializers.IPAddressField(allow_null=True, label=_("IP 地址"))


class SearchSerializer(serializers.Serializer):
    """The body of a `POST …/search/`: ID numbers and phones are posted, never put in a URL."""

    q = serializers.CharField(
        max_length=100, allow_blank=True, label=_("姓名、身份证号码或手机号码")
    )
