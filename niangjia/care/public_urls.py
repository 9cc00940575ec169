from __future__ import annotations

from django.urls import path

from niangjia.care import public_views

app_name = "care_public"

urlpatterns = [
    path("", public_views.home, name="home"),
    path("apply/", public_views.apply, name="apply"),
    path("status/", public_views.status, name="status"),
    path("mine/", public_views.mine, name="mine"),
]
