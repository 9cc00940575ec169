from __future__ import annotations

from django.urls import path

from niangjia.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.analyse_page, name="analyse"),
    path("corrections/", views.corrections_page, name="corrections"),
    path("<int:pk>/", views.review_page, name="review"),
]
