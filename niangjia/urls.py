from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from niangjia.core import views as core_views

urlpatterns = [
    path("", include("niangjia.core.public_urls")),
    path("staff/", include("niangjia.core.urls")),
    path("staff/orgs/", include("niangjia.orgs.urls")),
    path("staff/rights/", include("niangjia.rights.urls")),
    path("staff/stations/", include("niangjia.stations.urls")),
    path("staff/care/", include("niangjia.care.urls")),
    path("staff/hotline/", include("niangjia.hotline.urls")),
    path("staff/intake/", include("niangjia.intake.urls")),
    path("rights/", include("niangjia.rights.public_urls")),
    path("stations/", include("niangjia.stations.public_urls")),
    path("care/", include("niangjia.care.public_urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("niangjia.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "niangjia.core.views.page_not_found"
handler500 = "niangjia.core.views.server_error"
