from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niangjia.core import nav
from niangjia.core.middleware import ACTIVE_ROLE_SESSION_KEY
from niangjia.core.permissions import Perm, filter_for, grants_for
from niangjia.orgs.models import Enterprise, Member, Org, Person


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def public_home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {"entries": nav.PUBLIC_ENTRIES})


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    # four counts in one query each: what the user is responsible for
    counts = {
        "orgs": filter_for(user, Perm.ORG_VIEW, Org.objects.filter(kind=Org.Kind.UNION)).count(),
        "agencies": filter_for(
            user, Perm.ORG_VIEW, Org.objects.filter(kind=Org.Kind.AGENCY)
        ).count(),
        "enterprises": filter_for(user, Perm.ENTERPRISE_VIEW, Enterprise.objects.all()).aggregate(
            total=Count("pk"), with_union=Count("pk", filter=Q(union__isnull=False))
        ),
        "members": filter_for(
            user, Perm.MEMBER_VIEW, Member.objects.filter(left_date__isnull=True)
        ).count(),
        "people": filter_for(user, Perm.PERSON_VIEW, Person.objects.all()).count(),
    }
    person = Person.objects.filter(user=user).first()
    panels = [p for p in (panel(request) for panel in nav.HOME_PANELS) if p]
    return render(
        request,
        "core/home.html",
        {"counts": counts, "grants": grants_for(user), "person": person, "panels": panels},
    )


@require_POST
@login_required
def switch_role(request: HttpRequest) -> HttpResponse:
    role_id = request.POST.get("role", "")
    grants = request.user.all_grants
    if role_id == "":
        request.session.pop(ACTIVE_ROLE_SESSION_KEY, None)
        messages.info(request, _("已切换为全部角色"))
    else:
        picked = [g for g in grants if str(g.pk) == role_id]
        if not picked:
            messages.error(request, _("无效的角色"))
        else:
            request.session[ACTIVE_ROLE_SESSION_KEY] = picked[0].pk
            messages.success(
                request,
                _("当前角色：%(role)s")
                % {"role": f"{picked[0].org} · {picked[0].get_role_display()}"},
            )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "staff:home"
    return redirect(target)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": _("服务器内部错误，请稍后重试。")}, status=500)
    return render(request, "500.html", status=500)
