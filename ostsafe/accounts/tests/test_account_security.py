"""Two-factor enrolment that a password alone cannot use, API tokens, passwords, lockout and session lifetime."""

import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ostsafe.accounts.middleware import SIGNED_IN_AT
from ostsafe.accounts.models import ApiToken
from ostsafe.accounts.services import PENDING_KEY
from ostsafe.accounts.tests.factories import UserFactory
from ostsafe.accounts.tests.test_sign_in import PASSWORD, current_code, sign_in
from ostsafe.audit.models import AccessEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_factor_required(settings):
    settings.OSTSAFE_REQUIRE_2FA = True


def code_for_key(key: str) -> str:
    return current_code(TOTPDevice(key=key))


def sign_in_with_code(client, user, device):
    sign_in(client, user.email)
    client.post(reverse("accounts:two_factor_verify"), {"token": current_code(device), "next": "/"})


# Two-factor enrolment ----------------------------------------------------------------------------------------------


def test_password_alone_cannot_enrol_a_second_authenticator(client, two_factor_required):
    user = UserFactory()
    TOTPDevice.objects.create(user=user, name="Own phone", confirmed=True)
    sign_in(client, user.email)  # the attacker has the password, not the phone

    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert PENDING_KEY not in client.session  # no secret was shown

    # Even with a secret of their own making, posting a code for it is refused.
    session = client.session
    session[PENDING_KEY] = "3132333435363738393031323334353637383930"
    session.save()
    client.post(reverse("accounts:two_factor_setup"), {"token": code_for_key(session[PENDING_KEY])})
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert client.get(reverse("families:caseload")).status_code == 302


def test_set_up_page_writes_nothing_on_get(client, two_factor_required):
    user = UserFactory()
    sign_in(client, user.email)
    for _ in range(3):
        assert client.get(reverse("accounts:two_factor_setup")).status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_first_authenticator_is_audited_and_emailed(client, two_factor_required, django_capture_on_commit_callbacks):
    user = UserFactory()
    sign_in(client, user.email)
    client.get(reverse("accounts:two_factor_setup"))
    key = client.session[PENDING_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:two_factor_setup"), {"token": code_for_key(key), "next": "/"})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert AccessEvent.objects.filter(user=user, action="account.authenticator_add").exists()
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "authenticator was added" in mail.outbox[0].subject


def test_verified_user_may_add_another_authenticator_and_is_told(
    client, two_factor_required, django_capture_on_commit_callbacks
):
    user = UserFactory()
    phone = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    sign_in_with_code(client, user, phone)
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200
    key = client.session[PENDING_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:two_factor_setup"), {"token": code_for_key(key), "next": "/"})
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 2
    assert len(mail.outbox) == 1


def test_removing_an_authenticator_is_audited_and_emailed(
    client, two_factor_required, django_capture_on_commit_callbacks
):
    user = UserFactory()
    phone = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    spare = TOTPDevice.objects.create(user=user, name="Spare", confirmed=True)
    sign_in_with_code(client, user, phone)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:authenticator_remove", args=[spare.pk]))
    assert not TOTPDevice.objects.filter(pk=spare.pk).exists()
    assert AccessEvent.objects.filter(user=user, action="account.authenticator_remove").exists()
    assert "removed" in mail.outbox[-1].subject


def test_the_last_authenticator_cannot_be_removed_by_its_owner(client, two_factor_required):
    user = UserFactory()
    phone = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    sign_in_with_code(client, user, phone)
    response = client.post(reverse("accounts:authenticator_remove", args=[phone.pk]), follow=True)
    assert TOTPDevice.objects.filter(pk=phone.pk).exists()
    assert "Add another authenticator before removing your last one" in response.content.decode()


def test_nobody_removes_another_persons_authenticator_from_their_account_page(client, two_factor_required):
    user, other = UserFactory(), UserFactory()
    phone = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    theirs = TOTPDevice.objects.create(user=other, name="Theirs", confirmed=True)
    sign_in_with_code(client, user, phone)
    assert client.post(reverse("accounts:authenticator_remove", args=[theirs.pk])).status_code == 404
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()


def test_account_pages_need_the_second_factor(client, two_factor_required):
    user = UserFactory()
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    sign_in(client, user.email)
    for name in ("accounts:account", "accounts:password_change", "accounts:api_token_create"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_administrator_resets_a_lost_phone_through_the_audited_service(
    admin_client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    TOTPDevice.objects.create(user=user, name="Lost phone", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:accounts_user_changelist"), {"action": "reset_two_factor", "_selected_action": [user.pk]}
        )
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AccessEvent.objects.filter(action="account.authenticator_remove", detail__startswith=f"{user.pk} ").exists()
    assert mail.outbox[-1].to == [user.email]


# API tokens --------------------------------------------------------------------------------------------------------


def make_token(client, name="Pharmacy feed", days=90) -> str:
    response = client.post(reverse("accounts:api_token_create"), {"name": name, "lifetime_days": days})
    assert response.status_code == 200, response.content
    return re.search(r'value="(ost_[^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def verified_client(client, two_factor_required, world):
    user = world.users["keyworker"]
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    sign_in_with_code(client, user, device)
    return client


@pytest.fixture
def api():
    """A second client with no session: only the token speaks for it."""
    return Client()


def test_token_is_shown_once_stored_hashed_and_works_with_bearer(verified_client, api, world):
    key = make_token(verified_client)
    token = ApiToken.objects.get(user=world.users["keyworker"])
    assert key not in token.key_hash and token.key_hash != key
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert key not in verified_client.get(reverse("accounts:account")).content.decode()

    response = api.get(reverse("household-list"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == world.household.pk
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_and_expired_tokens_stop_working(verified_client, api, world):
    key = make_token(verified_client)
    ApiToken.objects.filter(name="Pharmacy feed").update(expires_at=timezone.now())
    assert api.get(reverse("household-list"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401

    key = make_token(verified_client, name="Second")
    assert api.get(reverse("household-list"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    verified_client.post(reverse("accounts:api_token_revoke", args=[ApiToken.objects.get(name="Second").pk]))
    assert api.get(reverse("household-list"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert AccessEvent.objects.filter(action="account.api_token_revoke").exists()


def test_token_of_a_closed_account_stops_working(verified_client, api, world):
    key = make_token(verified_client)
    world.users["keyworker"].is_active = False
    world.users["keyworker"].save()
    assert api.get(reverse("household-list"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_nobody_revokes_another_persons_token(verified_client, world):
    theirs = ApiToken.objects.create(
        user=world.users["manager"], name="Theirs", prefix="x", key_hash="0" * 64, expires_at=timezone.now()
    )
    assert verified_client.post(reverse("accounts:api_token_revoke", args=[theirs.pk])).status_code == 404


def test_tokens_are_issued_only_to_people_signed_in_with_two_factor(client, world):
    user = world.users["keyworker"]
    client.force_login(user)  # two-factor not required here, and no authenticator set up
    response = client.post(reverse("accounts:api_token_create"), {"name": "Feed", "lifetime_days": 90})
    assert "Set up two-factor sign-in, and sign in with it" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_made_up_or_malformed_token_is_refused(api, world):
    for header in ("Bearer ost_nope_nope", "Bearer", "Bearer a b", "Token \xff"):
        response = api.get(reverse("household-list"), HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_administrators_see_when_each_token_was_last_used(verified_client, api, world):
    key = make_token(verified_client)
    api.get(reverse("household-list"), HTTP_AUTHORIZATION=f"Bearer {key}")
    administrator = UserFactory(role="administrator", is_staff=True, is_superuser=True)
    admin_device = TOTPDevice.objects.create(user=administrator, name="Phone", confirmed=True)
    admin = Client()
    sign_in_with_code(admin, administrator, admin_device)
    page = admin.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    used = ApiToken.objects.get().last_used_at
    assert "Pharmacy feed" in page and used is not None
    assert formats.localize(timezone.localtime(used)) in page
    assert key not in page


# Passwords ---------------------------------------------------------------------------------------------------------


def test_user_changes_their_own_password_and_is_told(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a-new-long-passphrase",
                "new_password2": "a-new-long-passphrase",
            },
        )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")
    assert mail.outbox[-1].to == [user.email] and "password was changed" in mail.outbox[-1].subject
    assert AccessEvent.objects.filter(user=user, action="account.password_change").exists()


def test_forgotten_password_is_reset_by_email_without_saying_who_has_an_account(client):
    user = UserFactory()
    known = client.post(reverse("accounts:password_reset"), {"email": user.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@test.ostsafe.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "reset-long-passphrase", "new_password2": "reset-long-passphrase"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("reset-long-passphrase")
    assert client.get(link, follow=True).context["validlink"] is False  # the link works once


# Lockout and sessions ----------------------------------------------------------------------------------------------


def test_lockout_is_per_account_so_another_address_cannot_carry_on(client):
    user = UserFactory()
    for _ in range(5):
        client.post(
            reverse("accounts:login"), {"username": user.email, "password": "wrong"}, REMOTE_ADDR="198.51.100.1"
        )
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.2"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_page_is_the_same_for_an_address_that_has_no_account(client):
    for email in ("nobody@test.ostsafe.example", UserFactory().email):
        for _ in range(5):
            client.post(reverse("accounts:login"), {"username": email, "password": "wrong"}, REMOTE_ADDR="198.51.100.9")
    first = client.post(
        reverse("accounts:login"), {"username": "nobody@test.ostsafe.example", "password": "x"}, REMOTE_ADDR="10.0.0.1"
    )
    assert first.status_code == 429


def test_one_address_spraying_many_accounts_is_locked_out(client, settings):
    users = [UserFactory() for _ in range(settings.OSTSAFE_SIGN_IN_FAILURES_PER_ADDRESS)]
    for user in users:
        client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
    fresh = UserFactory()
    response = client.post(
        reverse("accounts:login"), {"username": fresh.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 429


def test_a_few_typos_in_a_shared_office_do_not_lock_everyone_out(client):
    """Five colleagues behind one address each mistype once: the sixth still signs in."""
    for _ in range(5):
        client.post(
            reverse("accounts:login"), {"username": UserFactory().email, "password": "typo"}, REMOTE_ADDR="192.0.2.50"
        )
    colleague = UserFactory()
    response = client.post(
        reverse("accounts:login"), {"username": colleague.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.50"
    )
    assert response.status_code == 302


def test_session_ends_twelve_hours_after_sign_in_however_busy(client):
    user = UserFactory()
    sign_in(client, user.email)
    assert client.get(reverse("families:caseload")).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 60 * 60 - 1
    session.save()
    response = client.get(reverse("families:caseload"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert "_auth_user_id" not in client.session
