from __future__ import annotations

from django.urls import path

from niangjia.care import views

app_name = "care"

urlpatterns = [
    path("", views.campaign_list, name="campaign-list"),
    path("new/", views.campaign_create, name="campaign-create"),
    path("<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign-edit"),
    path("<int:pk>/transition/", views.campaign_transition, name="campaign-transition"),
    path("<int:pk>/items/", views.item_add, name="item-add"),
    path("<int:pk>/budget/", views.budget_request, name="budget-request"),
    path("<int:pk>/distribute/", views.distribution_create, name="distribution-create"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit-create"),
    path("<int:pk>/figures/", views.campaign_figures, name="campaign-figures"),
    path("<int:pk>/export.xlsx", views.campaign_export, name="campaign-export"),
    path("<int:pk>/import/", views.import_create, name="import-create"),
    path("<int:pk>/import/template.xlsx", views.import_template, name="import-template"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/rerun/", views.import_rerun, name="import-rerun"),
    path("approvals/<int:pk>/decide/", views.budget_decide, name="budget-decide"),
    path("distributions/<int:pk>/", views.distribution_detail, name="distribution-detail"),
    path("distributions/<int:pk>/void/", views.distribution_void, name="distribution-void"),
    path(
        "distributions/<int:pk>/signature/",
        views.distribution_signature,
        name="distribution-signature",
    ),
    path(
        "distributions/<int:pk>/confirm/", views.distribution_confirm, name="distribution-confirm"
    ),
    path("distributions/<int:pk>/resend/", views.distribution_resend, name="distribution-resend"),
    path(
        "distributions/<int:pk>/payment/", views.distribution_payment, name="distribution-payment"
    ),
    path("beneficiaries/", views.beneficiary_list, name="beneficiary-list"),
    path("beneficiaries/new/", views.beneficiary_create, name="beneficiary-create"),
    path("beneficiaries/<int:pk>/", views.beneficiary_detail, name="beneficiary-detail"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application-decide"),
    path(
        "applications/<int:pk>/apply-typed/",
        views.application_apply_typed,
        name="application-apply-typed",
    ),
]
