from __future__ import annotations

from django.urls import path

from niangjia.stations import public_views as views

app_name = "stations_public"

urlpatterns = [
    path("", views.station_map, name="map"),
    path("<str:code>/", views.station_page, name="station"),
    path("<str:code>/checkin/", views.checkin, name="checkin"),
    path("<str:code>/rate/", views.rate, name="rate"),
    path("<str:code>/report/", views.report, name="report"),
]
