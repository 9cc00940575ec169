from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from niangjia.core import spreadsheets
from niangjia.core.forms import StyledFormMixin
from niangjia.orgs.models import Org
from niangjia.stations import coords, imports
from niangjia.stations.hours import format_hours
from niangjia.stations.models import Amenity, Report, Station, StationException


class StationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    code = forms.CharField(
        label=_("驿站编码"), max_length=32, required=False, help_text=_("留空自动生成")
    )
    type = forms.ChoiceField(label=_("类型"), choices=Station.Type.choices)
    org = forms.ModelChoiceField(label=_("运营工会"), queryset=Org.objects.none())
    host_kind = forms.ChoiceField(label=_("承办单位类型"), choices=Station.HostKind.choices)
    host_name = forms.CharField(label=_("承办单位"), max_length=120, required=False)
    host_credit_code = forms.CharField(
        label=_("承办企业统一社会信用代码"),
        max_length=18,
        required=False,
        help_text=_("承办单位是已登记的企业时填写，驿站将关联到该企业"),
    )
    address = forms.CharField(label=_("地址"), max_length=200)
    coord_system = forms.ChoiceField(
        label=_("坐标系"),
        choices=Station.CoordSystem.choices,
        initial=coords.GCJ02,
        help_text=_("从高德、腾讯地图拾取的坐标为 GCJ-02；GPS 设备的坐标为 WGS-84"),
    )
    lat = forms.CharField(label=_("纬度"), max_length=20)
    lng = forms.CharField(label=_("经度"), max_length=20)
    amenities = forms.MultipleChoiceField(
        label=_("服务设施"),
        choices=Amenity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hours = forms.CharField(
        label=_("开放时间"),
        max_length=300,
        help_text=_("如：周一至周五 08:00-18:00；周六、周日 09:00-17:00，或“24小时”"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    access = forms.ChoiceField(label=_("开放对象"), choices=Station.Access.choices)
    status = forms.ChoiceField(label=_("状态"), choices=Station.Status.choices)
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    verified = forms.BooleanField(
        label=_("已现场核实服务设施和开放时间（更新核实日期）"), required=False
    )

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()
        self.fields["amenities"].widget.attrs["class"] = ""

    @staticmethod
    def initial_for(station: Station) -> dict:
        return {
            "name": station.name,
            "code": station.code,
            "type": station.type,
            "org": station.org_id,
            "host_kind": station.host_kind,
            "host_name": station.host_name,
            "host_credit_code": station.host_enterprise.credit_code
            if station.host_enterprise_id
            else "",
            "address": station.address,
            "coord_system": station.coord_system,
            "lat": station.input_lat,
            "lng": station.input_lng,
            "amenities": list(station.amenities),
            "hours": format_hours(station.hours),
            "contact_name": station.contact_name,
            "contact_phone": station.contact_phone,
            "access": station.access,
            "status": station.status,
            "note": station.note,
        }


class ExceptionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=StationException.Kind.choices)
    start_date = forms.DateField(
        label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    hours_text = forms.CharField(
        label=_("期间开放时间"), required=False, help_text=_("留空表示期间闭站")
    )
    reason = forms.CharField(label=_("原因"), required=False, max_length=200)

    @staticmethod
    def initial_for(exception: StationException) -> dict:
        return {
            "kind": exception.kind,
            "start_date": exception.start_date,
            "end_date": exception.end_date,
            "hours_text": format_hours(exception.hours) if exception.hours else "",
            "reason": exception.reason,
        }


class TallyForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    visits = forms.IntegerField(label=_("接待人次"), min_value=0, max_value=100_000)


class EventForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("活动内容"), max_length=120)
    served = forms.IntegerField(label=_("服务人数"), min_value=0)
    note = forms.CharField(label=_("备注"), required=False, max_length=300)


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # size, a real .xlsx, its unpacked size: before any parsing (issue #11 §5)
        spreadsheets.check_xlsx(upload, max_rows=imports.max_rows())
        return upload


class ResolveForm(StyledFormMixin, forms.Form):
    resolution = forms.CharField(label=_("处理结果"), max_length=300)


class ReportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("遇到的问题"), choices=Report.Kind.choices)
    note = forms.CharField(
        label=_("补充说明"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
