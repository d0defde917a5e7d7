import datetime
import importlib
import os

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ostsafe.accounts.tests.factories import UserFactory
from ostsafe.core.roles import Role

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp()
    return f"{totp.token():0{device.digits}d}"


def test_sign_in_with_email_in_any_case(client):
    user = UserFactory(email="kim.lee@test.ostsafe.example")
    response = sign_in(client, "Kim.Lee@Test.OSTSafe.example")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_gets_a_clear_message(client):
    UserFactory(email="kim@test.ostsafe.example")
    response = sign_in(client, "kim@test.ostsafe.example", "wrong-password")
    assert "The email address or password is not right" in response.content.decode()


def test_account_locks_after_five_failed_sign_ins(client):
    UserFactory(email="kim@test.ostsafe.example")
    for _ in range(5):
        sign_in(client, "kim@test.ostsafe.example", "wrong-password")
    response = sign_in(client, "kim@test.ostsafe.example")  # the right password, too late
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_idle_session_lasts_thirty_minutes_and_then_ends(client, settings):
    user = UserFactory()
    sign_in(client, user.email)
    assert client.session.get_expiry_age() == 30 * 60
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("families:caseload"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_use_renews_the_idle_limit_with_at_most_one_session_write_a_minute(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ostsafe.accounts.middleware import REFRESHED_AT

    sign_in(client, UserFactory().email)
    client.get(reverse("families:caseload"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("families:caseload"))
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
    session = client.session
    session[REFRESHED_AT] -= settings.OSTSAFE_SESSION_RENEW_SECONDS + 1  # a minute on
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    client.get(reverse("families:caseload"))
    renewed = Session.objects.get(session_key=session.session_key).expire_date
    assert renewed > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_partner_roles_land_on_shared_with_me_which_explains_what_they_will_see(client):
    user = UserFactory(role=Role.HEALTH_VISITOR)
    client.force_login(user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("sharing:shared_with_me")
    assert "No family has been shared with you yet" in response.content.decode()


class TestTwoFactor:
    @pytest.fixture(autouse=True)
    def _require_2fa(self, settings):
        settings.OSTSAFE_REQUIRE_2FA = True

    def test_password_alone_opens_nothing_and_first_sign_in_sets_up_an_authenticator(self, client):
        user = UserFactory()
        sign_in(client, user.email)
        response = client.get(reverse("families:caseload"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two_factor_setup"))

        setup = client.get(response["Location"])
        assert "<svg" in setup.content.decode()
        assert not TOTPDevice.objects.filter(user=user).exists()  # nothing written until a code proves the app
        device = TOTPDevice(user=user, key=client.session["ostsafe_pending_totp_key"])

        wrong = client.post(reverse("accounts:two_factor_setup"), {"token": "000000", "next": "/caseload/"})
        assert "The code is not right" in wrong.content.decode()

        right = client.post(reverse("accounts:two_factor_setup"), {"token": current_code(device), "next": "/caseload/"})
        assert right.status_code == 302 and right["Location"] == "/caseload/"
        assert client.get(reverse("families:caseload")).status_code == 200

    def test_later_sign_ins_ask_for_a_code(self, client):
        user = UserFactory()
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        sign_in(client, user.email)
        response = client.get(reverse("families:caseload"))
        assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
        client.post(reverse("accounts:two_factor_verify"), {"token": current_code(device), "next": "/caseload/"})
        assert client.get(reverse("families:caseload")).status_code == 200

    @pytest.mark.parametrize("role", list(Role))
    def test_every_role_needs_the_second_factor(self, client, role):
        user = UserFactory(role=role)
        sign_in(client, user.email)
        response = client.get("/")
        assert response.status_code == 302
        assert "/accounts/two-factor/" in response["Location"]

    def test_unverified_session_cannot_use_the_api(self, client):
        user = UserFactory()
        sign_in(client, user.email)
        response = client.get(reverse("household-list"))
        assert response.status_code == 403
        assert "Two-factor" in response.json()["detail"]


def test_production_settings_turn_two_factor_on(monkeypatch):
    monkeypatch.setitem(os.environ, "DJANGO_SECRET_KEY", "test-only-secret")
    production = importlib.import_module("ostsafe.config.settings_production")
    assert production.OSTSAFE_REQUIRE_2FA is True
    assert production.DEBUG is False
    assert production.SESSION_COOKIE_SECURE is True


def test_api_refuses_anonymous_callers(client, world):
    assert client.get(reverse("household-list")).status_code in (401, 403)


def test_openapi_schema_and_docs_are_served(client, world):
    client.force_login(world.users["keyworker"])
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/households/" in paths and "/api/prescriptions/{id}/" in paths
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert "swagger-ui" in docs.content.decode()


def test_only_administrators_reach_django_admin(client):
    administrator = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    keyworker = UserFactory(role=Role.KEYWORKER)
    client.force_login(keyworker)
    assert client.get("/admin/accounts/user/").status_code == 302
    client.force_login(administrator)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/assessments/risklevelpolicy/").status_code == 200


def test_openapi_schema_generates_without_warnings_or_errors():
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", "/dev/null")


def test_stay_signed_in_renews_the_idle_limit_and_only_for_a_signed_in_session(client, settings):
    user = UserFactory()
    url = reverse("accounts:stay_signed_in")
    assert client.post(url).status_code == 403
    client.force_login(user)
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    assert client.post(url).status_code == 204
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert client.get(url).status_code == 405


def test_every_signed_in_page_carries_the_timeout_warning_with_the_idle_limit(client, settings):
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:account")).content.decode()
    assert f'data-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    assert "Stay signed in" in page
