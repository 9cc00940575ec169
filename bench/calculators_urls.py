"""The project's URLs plus `/bench/json/`: a minimal Django view that reads a JSON body and answers
JSON, the yardstick for the calculator endpoints' throughput under wrk."""

import json

from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def json_view(request):
    body = json.loads(request.body or b"{}")
    return JsonResponse({"received": len(body)})


urlpatterns = [
    path("bench/json/", json_view),
    path("", include("niangjia.urls")),
]
