import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from soclocal.accounts.models import User
from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from tests.conftest import PASSWORD


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_sign_in_and_out_are_audited(client, make_user):
    user = make_user(Role.ANALYST)
    response = sign_in(client, user.username)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get("/").status_code == 302
    actions = list(AuditEvent.objects.filter(actor_id=user.pk).values_list("action", flat=True))
    assert "auth.login" in actions and "auth.logout" in actions


def test_failed_sign_in_is_audited_and_shows_a_clear_error(client, make_user):
    user = make_user(Role.ANALYST)
    response = sign_in(client, user.username, "wrong-password")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.detail["username"] == user.username


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_until_an_admin_unlocks(client, make_user):
    user = make_user(Role.ANALYST)
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    for _ in range(3):
        sign_in(client, user.username, "wrong-password")
    response = sign_in(client, user.username)  # even the right password is refused now
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    admin_client = type(client)()
    admin_client.force_login(admin)
    admin_client.post(reverse("accounts:person_action", args=[user.pk, "unlock"]))
    assert sign_in(client, user.username).status_code == 302


def test_deactivated_account_cannot_sign_in(client, make_user):
    user = make_user(Role.ANALYST)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = sign_in(client, user.username)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_temporary_password_must_be_changed_before_anything_else(client, make_user):
    user = make_user(Role.ANALYST, must_change_password=True)
    sign_in(client, user.username)
    response = client.get(reverse("areas:explorer"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Another-good-pass-77",
        "new_password2": "Another-good-pass-77"})
    assert response.status_code == 302
    assert client.get(reverse("areas:explorer")).status_code == 200


def test_one_time_link_sets_a_password_once(client, make_user, org):
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    client.force_login(admin)
    response = client.post(reverse("accounts:person_new"), {
        "username": "fresh.person", "first_name": "Fresh", "last_name": "Person",
        "email": "", "job_title": "", "agency": org["police"].pk, "team": "",
        "roles": [Role.ANALYST], "method": "link"})
    assert response.status_code == 200
    link = re.search(r"http://testserver(/account/set-password/[^<\s]+/)", response.content.decode()).group(1)
    client.logout()
    data = {"new_password1": "My-own-password-42", "new_password2": "My-own-password-42"}
    assert client.post(link, data).status_code == 302
    assert sign_in(client, "fresh.person", "My-own-password-42").status_code == 302
    client.logout()
    assert client.post(link, data).status_code == 400  # used once


def test_new_account_form_keeps_what_was_typed_on_error(client, make_user, org):
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    client.force_login(admin)
    response = client.post(reverse("accounts:person_new"), {
        "username": "ok.name", "first_name": "Kept", "last_name": "", "agency": org["police"].pk,
        "team": org["youth_team"].pk, "roles": [], "method": "link"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and 'value="Kept"' in body
    assert not User.objects.filter(username="ok.name").exists()


@override_settings(SOCLOCAL_REQUIRE_2FA=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_two_factor_required_for_roles_that_see_personal_data(client, make_user):
    practitioner = make_user(Role.PRACTITIONER)
    sign_in(client, practitioner.username)
    response = client.get(reverse("areas:explorer"))
    assert response["Location"] == reverse("accounts:two_factor_setup")
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=practitioner)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert "not right" in response.content.decode()
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("areas:explorer")).status_code == 200

    # Next time: the code is asked for after the password.
    client.logout()
    sign_in(client, practitioner.username)
    assert client.get("/")["Location"] == reverse("accounts:two_factor_verify")


@override_settings(SOCLOCAL_REQUIRE_2FA=True)
def test_two_factor_not_forced_on_roles_without_personal_data(client, make_user):
    analyst = make_user(Role.ANALYST)
    sign_in(client, analyst.username)
    assert client.get(reverse("areas:explorer")).status_code == 200


def test_api_token_authenticates_and_revocation_stops_it(client, make_user):
    user = make_user(Role.ANALYST)
    client.force_login(user)
    response = client.post(reverse("accounts:tokens"), {"name": "Dashboard"})
    key = re.search(r"(scl_[A-Za-z0-9_-]+)", response.content.decode()).group(1)
    anonymous = type(client)()
    ok = anonymous.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert ok.status_code == 200 and ok.json()["username"] == user.username
    assert anonymous.get("/api/v1/me").status_code == 401
    token_id = user.api_tokens.get().pk
    client.post(reverse("accounts:token_revoke", args=[token_id]))
    assert anonymous.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_error_pages_are_friendly(client, make_user):
    client.force_login(make_user(Role.ANALYST))
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()
    response = client.get(reverse("core:audit"))
    assert response.status_code == 403
    assert "You do not have access" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/sign-in/", "/areas/"])
def test_strict_content_security_policy_is_sent(client, make_user, path):
    client.force_login(make_user(Role.ANALYST))
    csp = client.get(path).headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
