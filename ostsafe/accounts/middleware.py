import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

# What a signed-in but not yet verified session may reach: signing in and out, two-factor set-up and check, and
# static assets. Not the rest of /accounts/: changing a password or making an API token needs the second factor too.
_EXEMPT_PREFIXES = (
    "/accounts/sign-in/",
    "/accounts/sign-out/",
    "/accounts/two-factor/",
    "/accounts/password-reset/",
    "/assets/",
)
SIGNED_IN_AT = "ostsafe_signed_in_at"
REFRESHED_AT = "ostsafe_refreshed_at"


class RequireTwoFactorMiddleware:
    """When OSTSAFE_REQUIRE_2FA is on, a password alone opens nothing: every role must pass a TOTP check.

    API calls with a token are checked by DRF after this middleware (the user is anonymous here): tokens are only
    issued to people with two-factor sign-in. Session API calls from an unverified session are refused with 403.
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


def note_sign_in_time(sender, request, user, **kwargs):
    """Signal receiver (user_logged_in): when this session began, for its absolute lifetime."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[REFRESHED_AT] = time.time()


def renew_idle_limit(session) -> None:
    """Push the session's idle limit (SESSION_COOKIE_AGE) forward from now: it is saved at the end of the request."""
    session[REFRESHED_AT] = time.time()


class SessionLifetimeMiddleware:
    """A session ends OSTSAFE_SESSION_MAX_AGE seconds after sign-in (12 hours), however busy it has been; the idle
    limit (SESSION_COOKIE_AGE) ends it sooner if it is left alone.

    The idle limit moves forward with use, but the session row is written at most once every
    OSTSAFE_SESSION_RENEW_SECONDS (a minute), not on every request: a busy counter's clicks cost no write each. An idle
    session therefore ends between 29 and 30 minutes after the last request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            started = request.session.get(SIGNED_IN_AT)
            if started is None or time.time() - started > settings.OSTSAFE_SESSION_MAX_AGE:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Your session has ended. Sign in again."}, status=401)
                return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
            if time.time() - request.session.get(REFRESHED_AT, 0) >= settings.OSTSAFE_SESSION_RENEW_SECONDS:
                renew_idle_limit(request.session)
        return self.get_response(request)
