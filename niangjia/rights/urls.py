from __future__ import annotations

from django.urls import path

from niangjia.rights import views

app_name = "rights"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.case_create, name="case-create"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path(
        "<int:pk>/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="evidence-download",
    ),
    path("<int:pk>/<slug:what>/", views.case_action, name="case-action"),
]
