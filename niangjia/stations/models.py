"""工会驿站: stations, their opening-hour exceptions, visits, feedback, tallies and events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from niangjia.core.models import TimeStampedModel
from niangjia.core.scope import ScopeSpec
from niangjia.orgs.models import Enterprise, Org


class Amenity(models.TextChoices):
    HOT_WATER = "hot_water", _("热水")
    SEATING = "seating", _("座椅")
    CHARGING = "charging", _("充电")
    WIFI = "wifi", _("无线网络")
    MICROWAVE = "microwave", _("微波炉")
    TOILET = "toilet", _("卫生间")
    FIRST_AID = "first_aid", _("药箱")
    HEATING = "heating", _("空调/暖气")
    BOOKS = "books", _("图书")
    FRIDGE = "fridge", _("冰箱")
    TOOLS = "tools", _("维修工具")
    UMBRELLA = "umbrella", _("爱心雨伞")


class Station(TimeStampedModel):
    class Type(models.TextChoices):
        UNION = "union", _("工会驿站")
        OUTDOOR = "outdoor", _("户外劳动者服务站点")
        LOVE = "love", _("爱心驿站")
        CONTAINER = "container", _("集装箱式驿站")
        OTHER = "other", _("其他")

    class HostKind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        SHOP = "shop", _("商户")
        GOVERNMENT = "government", _("机关事业单位")
        UNION = "union", _("工会自建")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("运营中")  # listed in the public search
        SUSPENDED = "suspended", _("暂停服务")  # temporarily out of the public search
        CLOSED = "closed", _("已关闭")  # permanently closed, kept for the figures

    class Access(models.TextChoices):
        PUBLIC = "public", _("面向所有户外劳动者和公众开放")
        MEMBERS = "members", _("仅限会员/本单位职工")

    class CoordSystem(models.TextChoices):
        WGS84 = "wgs84", _("WGS-84（GPS）")
        GCJ02 = "gcj02", _("GCJ-02（高德/腾讯）")

    code = models.CharField(
        _("驿站编码"), max_length=32, unique=True, help_text=_("唯一编码，二维码中包含此编码")
    )
    name = models.CharField(_("名称"), max_length=100)
    type = models.CharField(_("类型"), max_length=12, choices=Type.choices, default=Type.UNION)
    org = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="stations", verbose_name=_("运营工会")
    )
    host_kind = models.CharField(
        _("承办单位类型"), max_length=12, choices=HostKind.choices, default=HostKind.OTHER
    )
    host_name = models.CharField(_("承办单位"), max_length=120, blank=True)
    host_enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stations",
        verbose_name=_("承办企业"),
    )
    address = models.CharField(_("地址"), max_length=200)
    # Stored in WGS-84 whatever came in; coord_system records what the source used, and
    # input_lat/input_lng keep the source's own numbers for checking against it later.
    lat = models.FloatField(_("纬度（WGS-84）"))
    lng = models.FloatField(_("经度（WGS-84）"))
    coord_system = models.CharField(
        _("录入坐标系"), max_length=6, choices=CoordSystem.choices, default=CoordSystem.GCJ02
    )
    input_lat = models.FloatField(_("录入纬度"))
    input_lng = models.FloatField(_("录入经度"))
    # amenity code -> ISO date it was last verified, e.g. {"hot_water": "2026-01-10"}: one column,
    # so the nearby search filters with has_key and needs no join
    amenities = models.JSONField(_("服务设施"), default=dict, blank=True)
    hours = models.JSONField(_("开放时间"), default=list, blank=True)
    hours_verified_on = models.DateField(_("开放时间核实日期"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    access = models.CharField(
        _("开放对象"), max_length=10, choices=Access.choices, default=Access.PUBLIC
    )
    photo = models.FileField(_("照片"), upload_to="stations/", blank=True)
    note = models.TextField(_("备注"), blank=True)

    scope = ScopeSpec(org="org")

    class Meta:
        verbose_name = _("驿站")
        verbose_name_plural = _("驿站")
        indexes = [
            # the nearby search's bounding box: a range on lat, lng checked inside the index
            models.Index(fields=["lat", "lng"], name="station_lat_lng"),
            models.Index(fields=["org", "name"], name="station_org_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="station_coords_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def amenity_labels(self) -> list[str]:
        return [Amenity(code).label for code in Amenity.values if code in self.amenities]

    @property
    def hours_text(self) -> str:
        from niangjia.stations.hours import format_hours

        return format_hours(self.hours)

    @property
    def gcj02(self) -> tuple[float, float]:
        from niangjia.stations.coords import wgs84_to_gcj02

        return wgs84_to_gcj02(self.lat, self.lng)


class StationException(TimeStampedModel):
    """A date range when the weekly hours do not apply: a holiday, a temporary closure, or
    special hours."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("节假日")
        CLOSURE = "closure", _("临时闭站")
        SPECIAL = "special", _("调整开放时间")

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("驿站")
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    # empty hours: closed on those days; otherwise these rules replace the weekly hours
    hours = models.JSONField(_("期间开放时间"), default=list, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    scope = ScopeSpec(org="station__org")

    class Meta:
        verbose_name = _("开放时间例外")
        verbose_name_plural = _("开放时间例外")
        indexes = [models.Index(fields=["station", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="station_exc_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.start_date}~{self.end_date} {self.get_kind_display()}"

    @property
    def closed(self) -> bool:
        return not self.hours


class Checkin(models.Model):
    """One visitor's check-in by QR code. At most one per device per station per hour."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("驿站")
    )
    device_id = models.CharField(_("设备标识"), max_length=64)
    hour = models.DateTimeField(_("时段"))  # the check-in time truncated to the hour (UTC)
    at = models.DateTimeField(_("签到时间"))

    scope = ScopeSpec(org="station__org")

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [
            # de-duplication is the database's job: two taps race, one row wins
            models.UniqueConstraint(
                fields=["station", "device_id", "hour"], name="station_checkin_once_per_hour"
            )
        ]
        indexes = [models.Index(fields=["station", "at"])]

    def __str__(self) -> str:
        return f"{self.station} {self.at:%Y-%m-%d %H:%M}"


class Rating(TimeStampedModel):
    """A visitor's rating of a station (one per device; rating again replaces it)."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("驿站")
    )
    device_id = models.CharField(_("设备标识"), max_length=64)
    score = models.PositiveSmallIntegerField(_("评分"))
    comment = models.CharField(_("评价"), max_length=300, blank=True)

    scope = ScopeSpec(org="station__org")

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "device_id"], name="station_rating_one_per_device"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="station_rating_1_to_5"
            ),
        ]


class Report(TimeStampedModel):
    """A visitor's problem report; a station with open reports is flagged to staff."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("应开放时未开放")
        NO_HOT_WATER = "no_hot_water", _("没有热水")
        AMENITY = "amenity", _("设施缺失或损坏")
        WRONG_LOCATION = "location", _("位置或地址有误")
        OTHER = "other", _("其他问题")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")  # flags the station
        RESOLVED = "resolved", _("已处理")  # staff fixed it or answered

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="reports", verbose_name=_("驿站")
    )
    kind = models.CharField(_("问题类型"), max_length=12, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    device_id = models.CharField(_("设备标识"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution = models.CharField(_("处理结果"), max_length=300, blank=True)

    scope = ScopeSpec(org="station__org")

    class Meta:
        verbose_name = _("问题反馈")
        verbose_name_plural = _("问题反馈")
        indexes = [
            # "open reports" is the list staff work from, and the station flag
            models.Index(fields=["status", "station"], name="station_report_status")
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.get_kind_display()}"


class Tally(TimeStampedModel):
    """Visits counted by staff for one day (stations without QR check-in, or paper registers)."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("驿站")
    )
    date = models.DateField(_("日期"))
    visits = models.PositiveIntegerField(_("接待人次"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    scope = ScopeSpec(org="station__org")

    class Meta:
        verbose_name = _("每日接待登记")
        verbose_name_plural = _("每日接待登记")
        constraints = [
            models.UniqueConstraint(fields=["station", "date"], name="station_tally_one_per_day")
        ]
        indexes = [models.Index(fields=["date"])]


class StationEvent(TimeStampedModel):
    """An event hosted at a station: a mobile-kitchen lunch, a winter hand-out."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="events", verbose_name=_("驿站")
    )
    date = models.DateField(_("日期"))
    title = models.CharField(_("活动内容"), max_length=120)
    served = models.PositiveIntegerField(_("服务人数"))
    note = models.CharField(_("备注"), max_length=300, blank=True)

    scope = ScopeSpec(org="station__org")

    class Meta:
        verbose_name = _("驿站活动")
        verbose_name_plural = _("驿站活动")
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"
