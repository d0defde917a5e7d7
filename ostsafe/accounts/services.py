"""Sign-in security: TOTP devices for two-factor sign-in."""

from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from ostsafe.core.services import DomainError


@transaction.atomic
def start_totp_setup(*, user) -> TOTPDevice:
    """The user's unconfirmed authenticator (made on first call; kept until confirmed so the QR code stays valid)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_totp_device(*, request, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm a new authenticator with a code from it. Fails when the code is wrong or out of date."""
    if not device.verify_token(token.replace(" ", "")):
        raise DomainError({"token": "The code is not right. Enter the 6-digit code your authenticator app shows now"})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    return device


def verify_second_factor(*, request, token: str):
    """Check a code from the user's authenticator and mark the session as verified."""
    device = match_token(request.user, token.replace(" ", ""))
    if device is None:
        raise DomainError({"token": "The code is not right. Enter the 6-digit code your authenticator app shows now"})
    otp_login(request, device)
    return device
