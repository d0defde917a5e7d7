"""Sign-in security: authenticators for two-factor sign-in, API tokens, and telling people when their account
changes. Each write is one transaction with its audit event; the email to the account holder goes after commit."""

import hashlib
import secrets
import time
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import client_ip, record_change
from ostsafe.core.mail import queue_email
from ostsafe.core.services import DomainError

from .models import ApiToken

WRONG_CODE = "The code is not right. Enter the 6-digit code your authenticator app shows now"
PENDING_KEY = "ostsafe_pending_totp_key"
TOKEN_LIFETIMES_DAYS = (30, 90, 180, 365)


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def may_enrol_authenticator(request) -> bool:
    """A new authenticator may be added by someone with none yet, or by someone who has just proved they hold one.
    A password alone must never be enough to add a second device to an account that has one."""
    user = request.user
    return user.is_authenticated and (not has_authenticator(user) or user.is_verified())


def pending_totp_key(session) -> str:
    """The secret shown on the set-up page, kept in the session (not the database) until a code confirms it."""
    key = session.get(PENDING_KEY)
    if not key:
        key = session[PENDING_KEY] = random_hex(20)
    return key


def _tell_account_holder(user, subject: str, what: str, request=None) -> None:
    where = f" from the address {client_ip(request) or 'not known'}" if request is not None else ""
    body = (
        f"{user.full_name},\n\n{what} on {timezone.localtime():%-d %B %Y at %H:%M}{where}.\n\n"
        "If this was you, there is nothing more to do. If it was not, tell your administrator straight away: "
        "someone may have your password.\n\n"
        f"{settings.OSTSAFE_SERVICE_NAME}"
    )
    queue_email(to=user.email, subject=f"{settings.OSTSAFE_SERVICE_NAME}: {subject}", body=body)


@transaction.atomic
def enrol_authenticator(*, request, token: str, name: str = "Authenticator app") -> TOTPDevice:
    """Add the authenticator whose secret the set-up page showed, once a code from it proves it works. The session is
    then verified. Refused unless `may_enrol_authenticator`; fails when the code is wrong or out of date."""
    user = request.user
    if not may_enrol_authenticator(request):
        raise DomainError("Enter a code from the authenticator you already have before adding another")
    key = request.session.get(PENDING_KEY)
    if not key:
        raise DomainError({"token": "The set-up code has expired. Scan the new QR code and try again"})
    device = TOTPDevice(user=user, key=key, name=name, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    cleaned = token.replace(" ", "")
    if not cleaned.isdigit() or not totp.verify(int(cleaned), device.tolerance):
        raise DomainError({"token": WRONG_CODE})
    device.last_t = totp.t()
    device.full_clean()
    device.save()
    del request.session[PENDING_KEY]
    # Half-finished set-ups from before this page kept its secret in the session.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    otp_login(request, device)
    record_change(user=user, action=AuditAction.ACCOUNT_AUTHENTICATOR_ADD, household_id=None, detail=f"{device.pk}")
    _tell_account_holder(user, "an authenticator was added to your account", "An authenticator app was added", request)
    return device


@transaction.atomic
def remove_authenticator(*, device: TOTPDevice, removed_by, request=None) -> None:
    """Remove one of a person's authenticators (their own, or any, for an administrator resetting a lost phone).
    Refused when it is the person's last one and they remove it themselves while two-factor sign-in is required:
    that would let a password alone set up a new one."""
    owner = device.user
    remaining = TOTPDevice.objects.select_for_update().filter(user=owner, confirmed=True).exclude(pk=device.pk)
    if removed_by == owner and settings.OSTSAFE_REQUIRE_2FA and not remaining.exists():
        raise DomainError("Add another authenticator before removing your last one")
    device_id = device.pk
    device.delete()
    record_change(
        user=removed_by,
        action=AuditAction.ACCOUNT_AUTHENTICATOR_REMOVE,
        household_id=None,
        detail=f"{owner.pk} {device_id}",
    )
    who = "You removed" if removed_by == owner else f"{removed_by.full_name} removed"
    _tell_account_holder(
        owner, "an authenticator was removed from your account", f"{who} an authenticator app", request
    )


def verify_second_factor(*, request, token: str):
    """Check a code from the user's authenticator and mark the session as verified."""
    device = match_token(request.user, token.replace(" ", ""))
    if device is None:
        raise DomainError({"token": WRONG_CODE})
    otp_login(request, device)
    return device


def hash_token_key(key: str) -> str:
    # The key is 32 random bytes: a fast hash is enough (no dictionary to guess from), and lets a request find its
    # token by one index lookup.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_api_token(*, request, name: str, lifetime_days: int) -> tuple[ApiToken, str]:
    """Make an API token for the signed-in user and return it with its key (shown once, never stored). Only for
    people who have two-factor sign-in and have used it in this session: a token must not be a way around it."""
    user = request.user
    if not has_authenticator(user) or not user.is_verified():
        raise DomainError("Set up two-factor sign-in, and sign in with it, before making an API token")
    if lifetime_days not in TOKEN_LIFETIMES_DAYS:
        raise DomainError({"lifetime_days": "Choose how long the token lasts"})
    if not name.strip():
        raise DomainError({"name": "Enter a name that says what uses this token"})
    prefix = secrets.token_hex(4)
    key = f"ost_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=prefix,
        key_hash=hash_token_key(key),
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    token.full_clean()
    token.save()
    record_change(
        user=user, action=AuditAction.ACCOUNT_API_TOKEN_ISSUE, household_id=None, detail=f"{token.pk} {prefix}"
    )
    _tell_account_holder(
        user, "an API token was made for your account", f"An API token named '{token.name}' was made", request
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, token: ApiToken, revoked_by) -> ApiToken:
    """Stop a token working, at once. Revoking one that is already revoked changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), revoked_by
        token.save(update_fields=["revoked_at", "revoked_by"])
        record_change(
            user=revoked_by, action=AuditAction.ACCOUNT_API_TOKEN_REVOKE, household_id=None, detail=f"{token.pk}"
        )
    return token


def authenticate_api_token(key: str) -> ApiToken | None:
    """The usable token with this key, its last use noted (at most once a minute, to spare a write per request)."""
    token = ApiToken.objects.usable().select_related("user").filter(key_hash=hash_token_key(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def password_changed(*, user, request) -> None:
    """Audit a password change or reset and tell the account holder."""
    record_change(user=user, action=AuditAction.ACCOUNT_PASSWORD_CHANGE, household_id=None)
    _tell_account_holder(user, "your password was changed", "Your password was changed", request)


def address_is_spraying(request) -> bool:
    """Has this address failed to sign in OSTSAFE_SIGN_IN_FAILURES_PER_ADDRESS times in the last hour, across any
    accounts? (django-axes locks each account after five; this catches one address trying many accounts.)"""
    address = client_ip(request)
    if address is None:
        return False
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    failures = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return (failures or 0) >= settings.OSTSAFE_SIGN_IN_FAILURES_PER_ADDRESS
