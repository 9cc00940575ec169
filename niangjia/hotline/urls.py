from __future__ import annotations

from django.urls import path

from niangjia.hotline import views

app_name = "hotline"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("caller/", views.caller, name="caller"),
    path("suggest/", views.suggest, name="suggest"),
    path("records/", views.record_list, name="record-list"),
    path("records/<int:pk>/", views.record_detail, name="record-detail"),
    path("records/<int:pk>/phone/", views.record_phone, name="record-phone"),
    path("records/<int:pk>/convert/", views.convert, name="convert"),
    path("records/<int:pk>/callbacks/", views.callback_create, name="callback-create"),
    path("callbacks/", views.callback_list, name="callbacks"),
    path("callbacks/<int:pk>/complete/", views.callback_complete, name="callback-complete"),
    path("figures/", views.figures, name="figures"),
]
