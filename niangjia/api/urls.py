from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from niangjia.api import views
from niangjia.care import api as care_api
from niangjia.hotline import api as hotline_api
from niangjia.intake import api as intake_api
from niangjia.orgs import api as orgs_api
from niangjia.rights import api as rights_api
from niangjia.stations import api as stations_api

router = DefaultRouter()
router.register("orgs", orgs_api.OrgViewSet, basename="org")
router.register("enterprises", orgs_api.EnterpriseViewSet, basename="enterprise")
router.register("people", orgs_api.PersonViewSet, basename="person")
router.register("members", orgs_api.MemberViewSet, basename="member")

# Each domain module registers its own viewsets and plain API views.
module_urls = [
    u
    for module in (rights_api, stations_api, care_api, hotline_api, intake_api)
    for u in module.register(router)
]

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/tokens/", views.TokenListView.as_view(), name="api-tokens"),
    path("auth/tokens/<str:token_id>/", views.TokenDetailView.as_view(), name="api-token-revoke"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("me/bind/", orgs_api.BindRequestView.as_view(), name="api-me-bind"),
    path("me/bind/confirm/", orgs_api.BindConfirmView.as_view(), name="api-me-bind-confirm"),
    *module_urls,
    path("", include(router.urls)),
]
