"""The crime pages: uploading through a background job, the imports list, the API."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from soclocal.core.access import Role
from soclocal.core.models import Job
from soclocal.crime import store
from soclocal.crime.models import CrimeImport

from .conftest import NOTTS_FEB, NOTTS_JAN, data_lines

pytestmark = pytest.mark.django_db(transaction=True)


def assert_strict_csp_markup(html):
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert not re.search(r"<style\b", html)
    assert not re.search(r"\sstyle=", html)


@pytest.fixture
def analyst(make_user, login, data_dir):
    user = make_user(Role.ANALYST, agency="police")
    return login(user), user


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")


def test_upload_runs_an_import_job(analyst):
    client, user = analyst
    page = client.get(reverse("crime:upload"))
    assert page.status_code == 200
    assert_strict_csp_markup(page.content.decode())
    response = client.post(reverse("crime:upload"), {"files": [
        SimpleUploadedFile(NOTTS_JAN.name, NOTTS_JAN.read_bytes(), "text/csv"),
        SimpleUploadedFile(NOTTS_FEB.name, NOTTS_FEB.read_bytes(), "text/csv")]})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job",
                                                                           args=[job.pk])
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.errors
    record = CrimeImport.objects.get()
    assert record.created_by == user
    assert record.rows_in == data_lines(NOTTS_JAN) + data_lines(NOTTS_FEB)
    assert job.result_url == reverse("crime:import", args=[record.pk])
    listing = client.get(reverse("crime:imports")).content.decode()
    assert f"Import {record.pk}" in listing and "nottinghamshire" in listing
    assert_strict_csp_markup(listing)
    detail = client.get(job.result_url).content.decode()
    assert NOTTS_JAN.name in detail and record.files[0]["sha256"] in detail
    assert not list((store.root() / "uploads").iterdir())  # the upload is not kept


def test_upload_of_a_zip_with_rejects_accepted(analyst, tmp_path):
    client, _ = analyst
    buffer = io.BytesIO()
    broken = NOTTS_JAN.read_bytes().replace(b",E01", b",X01", 1)
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(f"2023-01/{NOTTS_JAN.name}", broken)
    client.post(reverse("crime:upload"), {
        "files": SimpleUploadedFile("archive.zip", buffer.getvalue(), "application/zip"),
        "accept_rejects": "on"})
    run_worker()
    record = CrimeImport.objects.get()
    assert record.status == CrimeImport.Status.DONE_WITH_REJECTS and record.rows_rejected == 1
    download = client.get(reverse("crime:rejects", args=[record.pk]))
    assert download.status_code == 200
    assert b"X01" in b"".join(download.streaming_content)


def test_failed_upload_shows_the_problems_on_the_job_page(analyst):
    client, _ = analyst
    broken = NOTTS_JAN.read_bytes().replace(b"Crime type", b"Crime kind", 1)
    client.post(reverse("crime:upload"), {
        "files": SimpleUploadedFile(NOTTS_JAN.name, broken, "text/csv")})
    run_worker()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert any("header" in e and NOTTS_JAN.name in e for e in job.errors)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "Crime kind" in page


def test_upload_form_keeps_errors_in_plain_english(analyst):
    client, _ = analyst
    response = client.post(reverse("crime:upload"), {
        "files": SimpleUploadedFile("notes.txt", b"hello", "text/plain"), "accept_rejects": "on"})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "notes.txt is neither" in html and "checked" in html
    assert not Job.objects.exists()


def test_api_lists_imports(analyst):
    client, _ = analyst
    from soclocal.crime.imports import import_paths

    record = import_paths([NOTTS_JAN])
    body = client.get("/api/v1/crime/imports").json()
    assert body[0]["id"] == record.pk and body[0]["files"][0]["rows"] == record.rows_in


def test_practitioner_cannot_upload(make_user, login, data_dir):
    client = login(make_user(Role.PRACTITIONER))
    assert client.get(reverse("crime:upload")).status_code == 403
    assert client.get("/api/v1/crime/imports").status_code == 403
