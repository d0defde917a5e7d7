import base64

import segno
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView

from ostsafe.core.views import add_service_errors

from . import services
from .forms import SignInForm, TokenForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


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
    template_name = "accounts/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.device = services.start_totp_setup(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        qr = segno.make(self.device.config_url, error="m")
        secret = self.device.bin_key
        return super().get_context_data(
            qr_svg=qr.svg_inline(scale=4, title="QR code for your authenticator app"),
            secret=base64.b32encode(secret).decode(),
            **kwargs,
        )

    def check(self, token):
        services.confirm_totp_device(request=self.request, device=self.device, token=token)


class TwoFactorVerifyView(_TwoFactorView):
    template_name = "accounts/two_factor_verify.html"

    def check(self, token):
        services.verify_second_factor(request=self.request, token=token)
