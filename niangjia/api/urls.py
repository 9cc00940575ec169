from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from niangjia.api import views
from niangjia.orgs import api as orgs_api

router = DefaultRouter()
router.register("orgs", orgs_api.OrgViewSet, basename="org")
router.register("enterprises", orgs_api.EnterpriseViewSet, basename="enterprise")
router.register("people", orgs_api.PersonViewSet, basename="person")
router.register("members", orgs_api.MemberViewSet, basename="member")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
