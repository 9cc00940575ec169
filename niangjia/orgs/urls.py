from __future__ import annotations

from django.urls import path

from niangjia.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.org_list, name="org-list"),
    path("<int:pk>/", views.org_detail, name="org-detail"),
    path("<int:pk>/add-child/", views.org_create_child, name="org-create-child"),
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise-create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person-reveal"),
    path("people/<int:pk>/link-user/", views.person_link_user, name="person-link-user"),
    path("people/<int:pk>/unlink-user/", views.person_unlink_user, name="person-unlink-user"),
    path("me/bind/", views.bind_my_file, name="bind"),
    path("people/<int:pk>/access-log/", views.person_access_log, name="person-access-log"),
]
