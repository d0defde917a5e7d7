from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages a signed-in but not yet verified user may reach: signing in and out, two-factor set-up, static assets.
_EXEMPT_PREFIXES = ("/accounts/", "/assets/")


class RequireTwoFactorMiddleware:
    """When OSTSAFE_REQUIRE_2FA is on, a password alone opens nothing: every role must pass a TOTP check.

    API calls with a token are checked by DRF after this middleware (the user is anonymous here); session API
    calls from an unverified session are refused with 403.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.OSTSAFE_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Two-factor sign-in is required. Sign in again in the browser."}, status=403
                )
            target = (
                "accounts:two_factor_verify"
                if user.totpdevice_set.filter(confirmed=True).exists()
                else "accounts:two_factor_setup"
            )
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
