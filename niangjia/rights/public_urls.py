from __future__ import annotations

from django.urls import path

from niangjia.rights import calculator_views, public_views

app_name = "rights_public"

urlpatterns = [
    path("complaint/", public_views.complaint, name="complaint"),
    path("lookup/", public_views.lookup, name="lookup"),
    path("calculators/", calculator_views.calculator_list, name="calculators"),
    path("calculators/<slug:slug>/", calculator_views.calculator, name="calculator"),
    path("help/", calculator_views.help_list, name="help"),
    path("help/<slug:slug>/", calculator_views.help_page, name="help-page"),
]
