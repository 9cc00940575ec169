"""A staff user's own account: change the password, list and revoke their API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niangjia.core import lockout, tokens
from niangjia.core.forms import StyledFormMixin


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    """Django's form (the old password, then AUTH_PASSWORD_VALIDATORS on the new one)."""


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "core/password_change.html"
    success_url = reverse_lazy("staff:home")

    def post(self, request, *args, **kwargs):
        # the old password is a password check too: a borrowed session must not guess it
        # forever, so misses count toward the account's login lockout, which refuses it here
        if lockout.guard_locked(request, request.user.get_username()):
            context = self.get_context_data(
                form=self.form_class(user=request.user), locked_message=lockout.lockout_message()
            )
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if "old_password" in form.errors:
            lockout.guard_failed(request=self.request, key=self.request.user.get_username())
        return super().form_invalid(form)

    def form_valid(self, form):
        # the session stays signed in; other sessions and every API token are revoked
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。其他设备上的登录和您的全部 API 令牌已失效。"))
        return response


_ISSUED_KEY = "issued_api_token"


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # post/redirect/get: a reload must not issue another token. The text waits in the
        # session for the one page that shows it, and is gone from there once shown.
        _row, request.session[_ISSUED_KEY] = tokens.token_issue(user=request.user)
        return redirect("staff:tokens")
    issued = request.session.pop(_ISSUED_KEY, None)
    rows = [{"id": tokens.token_id(t), "token": t} for t in tokens.tokens_for(request.user)]
    return render(
        request,
        "core/token_list.html",
        {"rows": rows, "issued": issued, "max_per_user": settings.API_TOKEN_MAX_PER_USER},
    )


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    if tokens.token_revoke(user=request.user, token_id_prefix=token_id):
        messages.success(request, _("令牌已撤销，使用它的程序将无法再访问接口。"))
    else:
        messages.error(request, _("未找到该令牌，可能已过期或已被撤销。"))
    return redirect("staff:tokens")


@require_POST
@login_required
def token_revoke_all(request: HttpRequest) -> HttpResponse:
    count = tokens.tokens_revoke_all(user=request.user)
    messages.success(request, _("已撤销全部 %(n)d 个令牌。") % {"n": count})
    return redirect("staff:tokens")


urlpatterns = [
    path("password/", PasswordChangeView.as_view(), name="password-change"),
    path("tokens/", token_list, name="tokens"),
    path("tokens/revoke-all/", token_revoke_all, name="tokens-revoke-all"),
    path("tokens/<str:token_id>/revoke/", token_revoke, name="token-revoke"),
]
