"""Security checks that run with the suite: Django's deployment check in production settings,
headers on every response, a size limit on every upload, and limits on how often one address
may send the sign-in and public forms."""

import importlib
import os
import pkgutil
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import soclocal
from soclocal.core.access import Role
from soclocal.core.forms import MaxUploadSize, limit_upload
from tests.core.test_access_matrix import PAGES, PUBLIC, url_kwargs_placeholder

SOCLOCAL = str(Path(sys.executable).parent / "soclocal")


def production(tmp_path, **extra):
    env = {**os.environ, "SOCLOCAL_MODE": "production", "SOCLOCAL_DATA_DIR": str(tmp_path),
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "soclocal.example.org",
           "DATABASE_URL": "", **extra}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return env


def test_the_deployment_check_is_clean_in_production_settings(tmp_path):
    run = subprocess.run([SOCLOCAL, "manage", "check", "--deploy", "--fail-level", "WARNING"],
                         env=production(tmp_path), capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


def test_production_answers_with_hsts_and_sends_plain_http_to_https(tmp_path):
    script = ("import django\ndjango.setup()\nfrom django.test import Client\n"
              "c = Client(HTTP_HOST='soclocal.example.org')\n"
              "r = c.get('/healthz', secure=True)\nprint(r.status_code, "
              "r.headers.get('Strict-Transport-Security'))\n"
              "r = c.get('/healthz')\nprint(r.status_code, r.headers.get('Location'))\n")
    env = production(tmp_path, DJANGO_SETTINGS_MODULE="soclocal.config.settings")
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    secure, plain = run.stdout.strip().splitlines()
    assert secure == "200 max-age=31536000; includeSubDomains; preload"
    assert plain == "301 https://soclocal.example.org/healthz"


HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_secure_headers(response, where):
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (where, name)
    csp = response.headers.get("Content-Security-Policy", "")
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                      "frame-ancestors 'none'", "object-src 'none'"):
        assert directive in csp, (where, directive)
    assert "unsafe-inline" not in csp, where


def test_every_page_answers_with_the_security_headers(client, make_user, org):
    """Every page in the access matrix, as someone with every role and as a visitor, and the
    answers in between: redirects, refusals, not found, API and error pages."""
    from tests.core.test_access_matrix import APP_MATRICES

    everyone = make_user(*Role.ALL)
    ctx = {}
    for matrix in APP_MATRICES:
        ctx.update(matrix.context())
    seen = set()
    for signed_in in (False, True):
        if signed_in:
            client.force_login(everyone)
        for name, (rule, _post) in PAGES.items():
            if name == "accounts:logout" or (not signed_in and rule != PUBLIC and name in seen):
                continue
            url = reverse(name, kwargs=url_kwargs_placeholder(name, ctx))
            response = client.get(url)
            seen.add(name)
            assert_secure_headers(response, (url, response.status_code))
        for url in ("/no-such-page/", "/api/v1/me", "/api/v1/openapi.json", "/api/v1/cases/0"):
            assert_secure_headers(client.get(url), url)


def test_the_error_pages_answer_with_the_security_headers(client, org, settings):
    from django.db import OperationalError, connection

    def gone(execute, sql, params, many, context):
        raise OperationalError("the database went away")

    client.raise_request_exception = False
    with connection.execute_wrapper(gone):
        response = client.get("/community/")
    assert response.status_code == 503
    assert_secure_headers(response, "503")


# Uploads ------------------------------------------------------------------------------------

def every_form_class():
    found = set()
    for module in pkgutil.walk_packages(soclocal.__path__, "soclocal."):
        if module.name.endswith(".forms"):
            for value in vars(importlib.import_module(module.name)).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm):
                    found.add(value)
    return found


def test_every_upload_has_a_size_limit():
    uploads = []
    for form_class in every_form_class():
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.FileField):
                uploads.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
                assert any(isinstance(v, MaxUploadSize) for v in field.validators), uploads[-1]
                assert field.max_upload_bytes > 0
    # The crime, intelligence, safeguarding, cases, budgeting and engagement uploads.
    assert len(uploads) >= 7, uploads


def test_a_file_over_the_limit_is_refused_naming_the_file_and_the_limit():
    class Form(forms.Form):
        file = limit_upload(forms.FileField(), 1 << 20, "split it into parts")

    big = SimpleUploadedFile("people.csv", b"x" * ((1 << 20) + 1))
    form = Form(files={"file": big})
    assert not form.is_valid()
    assert form.errors["file"] == ["people.csv is larger than 1 MB: split it into parts"]
    assert Form(files={"file": SimpleUploadedFile("people.csv", b"x" * (1 << 20))}).is_valid()


def test_a_real_upload_page_refuses_an_oversized_file(client, make_user):
    from soclocal.intelligence.forms import MAX_IMPORT_BYTES

    client.force_login(make_user(Role.INTELLIGENCE_OFFICER, agency="police"))
    big = SimpleUploadedFile("people.csv", b"surname\n" + b"x" * MAX_IMPORT_BYTES)
    response = client.post(reverse("intelligence:import"), {"action": "upload", "kind": "people",
                                                          "file": big})
    assert response.status_code in (200, 400)
    assert "people.csv is larger than 1 MB" in response.content.decode()


# Rate limits --------------------------------------------------------------------------------

@pytest.mark.parametrize("url,name", [
    ("/community/tell-us/", "tell-us"),
    ("/community/budgets/no-such-process/bid/", "bid"),
    ("/community/budgets/no-such-process/vote/", "vote"),
    ("/sign-in/", "sign-in"),
])
def test_one_address_sending_a_form_too_often_is_asked_to_wait(client, org, url, name, settings):
    settings.RATE_LIMITS = {name: (3, 600)}
    answers = [client.post(url, {}, REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)]
    assert 429 not in answers[:3] and answers[3] == 429
    limited = client.post(url, {}, REMOTE_ADDR="203.0.113.9")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    page = limited.content.decode()
    assert "Too many tries from your connection" in page and "Traceback" not in page
    assert_secure_headers(limited, url)
    # Another address, and reading the page, are not held back.
    assert client.post(url, {}, REMOTE_ADDR="198.51.100.7").status_code != 429
    assert client.get(url, REMOTE_ADDR="203.0.113.9").status_code != 429


def test_the_default_limits_leave_room_for_a_person(client, org):
    from soclocal.core.ratelimit import DEFAULTS

    for name, (most, seconds) in DEFAULTS.items():
        assert most >= 10 and seconds <= 3600, name
