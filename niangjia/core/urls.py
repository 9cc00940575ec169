from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from niangjia.core import account_views, calendar_views, views

app_name = "staff"

urlpatterns = [
    path("", views.staff_home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="core/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("switch-role/", views.switch_role, name="switch-role"),
    *account_views.urlpatterns,  # /staff/password/, /staff/tokens/ (own account)
    *calendar_views.urlpatterns,  # /staff/calendar/… (statutory calendar)
]
