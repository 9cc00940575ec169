from __future__ import annotations

from django.urls import path

from niangjia.stations import views

app_name = "stations"

urlpatterns = [
    path("", views.station_list, name="station-list"),
    path("new/", views.station_create, name="station-create"),
    path("map/", views.station_map, name="station-map"),
    path("import/", views.station_import, name="station-import"),
    path("import/template.xlsx", views.import_template, name="import-template"),
    path("export.xlsx", views.station_export, name="station-export"),
    path("export-poi.csv", views.station_export_poi, name="station-export-poi"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/<int:pk>/resolve/", views.report_resolve, name="report-resolve"),
    path("figures/", views.station_figures, name="station-figures"),
    path("<int:pk>/", views.station_detail, name="station-detail"),
    path("<int:pk>/edit/", views.station_edit, name="station-edit"),
    path("<int:pk>/photo/", views.station_photo, name="station-photo"),
    path("<int:pk>/qr.<str:fmt>", views.station_qr, name="station-qr"),
    path("<int:pk>/exceptions/", views.exception_add, name="exception-add"),
    path(
        "<int:pk>/exceptions/<int:exception_pk>/edit/",
        views.exception_edit,
        name="exception-edit",
    ),
    path(
        "<int:pk>/exceptions/<int:exception_pk>/delete/",
        views.exception_delete,
        name="exception-delete",
    ),
    path("<int:pk>/tallies/", views.tally_add, name="tally-add"),
    path("<int:pk>/events/", views.event_add, name="event-add"),
]
