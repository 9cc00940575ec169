from __future__ import annotations

from django.urls import path

from niangjia.rights import public_views

app_name = "rights_public"

urlpatterns = [
    path("complaint/", public_views.complaint, name="complaint"),
    path("lookup/", public_views.lookup, name="lookup"),
]
