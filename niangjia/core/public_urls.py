from __future__ import annotations

from django.urls import path

from niangjia.core import views

app_name = "public"

urlpatterns = [
    path("", views.public_home, name="home"),
]
