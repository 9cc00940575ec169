"""The project's URLs plus `/bench/pk/<id>/`: a minimal Django view doing one primary-key query,
the yardstick for the nearby endpoint's throughput under wrk."""

from django.http import JsonResponse
from django.urls import include, path

from niangjia.stations.models import Station


def pk_view(request, pk: int):
    s = Station.objects.filter(pk=pk).values("id", "name").first()
    return JsonResponse(s or {})


urlpatterns = [
    path("bench/pk/<int:pk>/", pk_view),
    path("", include("niangjia.urls")),
]
