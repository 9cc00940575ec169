from __future__ import annotations

from django.urls import path

from niangjia.rights import document_views, views

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
    path(
        "<int:pk>/documents/generate/",
        document_views.document_generate,
        name="document-generate",
    ),
    path(
        "<int:pk>/documents/<int:doc_id>/sign/",
        document_views.document_sign,
        name="document-sign",
    ),
    path(
        "<int:pk>/documents/<int:doc_id>/<slug:what>/",
        document_views.document_download,
        name="document-download",
    ),
    path(
        "<int:pk>/claims/compute/<slug:calculator>/",
        document_views.claim_compute,
        name="claim-compute",
    ),
    path(
        "<int:pk>/party/<int:worker_id>/apply/",
        views.party_apply_typed,
        name="party-apply-typed",
    ),
    path("<int:pk>/<slug:what>/", views.case_action, name="case-action"),
]
