import base64
import binascii

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice

from ostsafe.core.views import add_service_errors

from . import selectors, services
from .forms import ApiTokenForm, SignInForm, TokenForm
from .middleware import renew_idle_limit
from .models import ApiToken


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if services.address_is_spraying(request):
            return render(request, "accounts/locked_out.html", status=429)
        return super().post(request, *args, **kwargs)


class SignOutView(auth_views.LogoutView):
    pass


class StaySignedInView(LoginRequiredMixin, View):
    """The session-timeout warning's "Stay signed in" (WCAG 2.2.1): renews the idle limit from now, whenever it was
    last renewed; the 12-hour limit from sign-in still holds."""

    raise_exception = True

    def post(self, request):
        renew_idle_limit(request.session)
        return HttpResponse(status=204)


class _TwoFactorView(LoginRequiredMixin, FormView):
    form_class = TokenForm

    def next_url(self):
        candidate = self.request.POST.get("next") or self.request.GET.get("next") or "/"
        if url_has_allowed_host_and_scheme(candidate, allowed_hosts={self.request.get_host()}):
            return candidate
        return "/"

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)

    def form_valid(self, form):
        try:
            self.check(form.cleaned_data["token"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return redirect(self.next_url())


class TwoFactorSetupView(_TwoFactorView):
    """Set up an authenticator: the first one after a first sign-in, or another one once signed in with a code.
    The page writes nothing to the database until a code from the new authenticator proves it works."""

    template_name = "accounts/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.may_enrol_authenticator(request):
            # A password alone may not add a device to an account that has one: prove the one you have first.
            return redirect(f"{reverse('accounts:two_factor_verify')}?next={request.get_full_path()}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        key = services.pending_totp_key(self.request.session)
        device = TOTPDevice(user=self.request.user, key=key, name="Authenticator app")
        qr = segno.make(device.config_url, error="m")
        return super().get_context_data(
            qr_svg=qr.svg_inline(scale=4, title="QR code for your authenticator app"),
            secret=base64.b32encode(binascii.unhexlify(key)).decode(),
            adding_another=services.has_authenticator(self.request.user),
            **kwargs,
        )

    def check(self, token):
        services.enrol_authenticator(request=self.request, token=token)


class TwoFactorVerifyView(_TwoFactorView):
    template_name = "accounts/two_factor_verify.html"

    def check(self, token):
        services.verify_second_factor(request=self.request, token=token)


class AccountView(LoginRequiredMixin, TemplateView):
    """Your account: password, authenticators and API tokens. Only ever the signed-in person's own."""

    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            devices=selectors.authenticators_of(user),
            tokens=selectors.api_tokens_of(user),
            may_add_authenticator=services.may_enrol_authenticator(self.request),
            may_make_token=services.has_authenticator(user) and user.is_verified(),
            nav_active="account",
            **kwargs,
        )


class RemoveAuthenticatorView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        device = get_object_or_404(TOTPDevice, user=request.user, confirmed=True, pk=pk)
        try:
            services.remove_authenticator(device=device, removed_by=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Authenticator removed")
        return redirect("accounts:account")


class ApiTokenCreateView(LoginRequiredMixin, FormView):
    template_name = "core/form_page.html"
    form_class = ApiTokenForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title="Make an API token",
            submit_label="Make token",
            cancel_url=reverse("accounts:account"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            token, key = services.issue_api_token(request=self.request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        # Shown once, on this response only (never stored, never cached: see core.middleware).
        return render(self.request, "accounts/api_token_made.html", {"token": token, "key": key})


class ApiTokenRevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        token = get_object_or_404(ApiToken, user=request.user, pk=pk)
        services.revoke_api_token(token=token, revoked_by=request.user)
        messages.success(request, f"API token '{token.name}' revoked: it no longer works")
        return redirect("accounts:account")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/form_page.html"
    success_url = reverse_lazy("accounts:account")
    extra_context = {"page_title": "Change your password", "submit_label": "Change password"}

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=self.request.user, request=self.request)
        messages.success(self.request, "Password changed")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user, request=self.request)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
