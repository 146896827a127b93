"""Saving, pages, files, the CLI and the sharing version of a real profile."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from soclocal.core.access import Role
from soclocal.core.disclosure import MARK
from soclocal.core.models import AuditEvent
from soclocal.profiles import services
from soclocal.profiles.exports import render_file
from soclocal.profiles.models import ProfileVersion


@pytest.fixture
def ward_profile(geography, crime_store, make_user):
    from soclocal.areas.models import Area

    analyst = make_user(Role.ANALYST)
    ward = Area.objects.get(type="ward", code="E05012287")
    return services.build_profile(analyst, ward, "2024-11", "2024-12")


def test_a_saved_profile_records_what_it_was_built_from(ward_profile):
    assert ward_profile.version == 1
    assert {s["month"] for s in ward_profile.source} == {"2024-11", "2024-12"}
    assert all(s["rows"] > 0 and s["checksum"] for s in ward_profile.source)
    assert ward_profile.weights["Robbery"] == 365.0
    assert AuditEvent.objects.filter(action="profile.built").exists()


def test_editing_texts_makes_a_new_version(ward_profile):
    new = services.edit_texts(ward_profile.built_by, ward_profile, {"risk": "High in the flats."})
    assert new.version == 2 and new.previous == ward_profile
    assert new.texts["risk"] == "High in the flats." and new.figures == ward_profile.figures
    ward_profile.refresh_from_db()
    assert ward_profile.texts["risk"] == ""


def test_json_has_every_crime_type_and_its_provenance(ward_profile):
    content, content_type, _ = render_file(ward_profile, "json", sharing=False)
    doc = json.loads(content)
    assert content_type == "application/json"
    assert set(doc["counts_by_crime_type"]) >= {"Anti-social behaviour", "Robbery", "Drugs"}
    assert len(doc["counts_by_crime_type"]) == 14
    assert doc["provenance"]["statement"].startswith("Built on ")
    for key in ("harm", "soc", "comparison", "trend", "lsoas", "hotspots", "deprivation",
                "outcomes", "texts", "period", "area"):
        assert key in doc


def test_pdf_csv_and_html_files(ward_profile):
    pdf, content_type, name = render_file(ward_profile, "pdf", sharing=True)
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF") and name.endswith(".pdf")
    from weasyprint import HTML

    html, _, _ = render_file(ward_profile, "html", sharing=True)
    assert len(HTML(string=html).render().pages) >= 2
    archive, _, _ = render_file(ward_profile, "csv", sharing=False)
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        assert "counts_by_crime_type.csv" in z.namelist()
        lines = z.read("counts_by_crime_type.csv").decode().splitlines()
        assert len(lines) == 15
    html, _, _ = render_file(ward_profile, "html", sharing=False)
    assert "<style>" in html and "<link" not in html and "Harm weights and SOC fractions used" in html


def test_the_sharing_version_hides_small_counts(ward_profile):
    from soclocal.profiles.selectors import document

    shared = document(ward_profile, sharing=True)
    full = ward_profile.figures
    for t, n in full["counts_by_crime_type"].items():
        shown = shared["counts_by_crime_type"][t]
        if 0 < n < 5:
            assert shown == MARK
        assert shown in (MARK, n)
        assert shown == MARK or shown == 0 or shown >= 5
    for r in shared["lsoas"]:
        assert r["count"] == MARK or r["count"] == 0 or r["count"] >= 5


def test_board_members_only_see_the_sharing_version(ward_profile, make_user, client):
    client.force_login(make_user(Role.BOARD_MEMBER))
    page = client.get(reverse("profiles:profile", args=[ward_profile.pk]))
    assert page.status_code == 200 and b"Sharing version" in page.content
    full = client.get(reverse("profiles:profile", args=[ward_profile.pk]) + "?version=full")
    assert b"Analyst version" not in full.content
    api = client.get(f"/api/v1/profiles/{ward_profile.pk}").json()
    assert api["profile"]["sharing"] is True


def test_the_analyst_page_and_downloads(ward_profile, client):
    client.force_login(ward_profile.built_by)
    page = client.get(reverse("profiles:profile", args=[ward_profile.pk]))
    assert page.status_code == 200
    assert b"data-profile-map" in page.content and b"data:image/svg+xml;base64," in page.content
    assert b"Built on" in page.content and b"Harm weights and SOC fractions used" in page.content
    for fmt in ("html", "json", "csv"):
        response = client.get(reverse("profiles:download", args=[ward_profile.pk, fmt]))
        assert response.status_code == 200, fmt
    geo = client.get(reverse("profiles:geojson", args=[ward_profile.pk])).json()
    assert geo["features"] and "rate" in geo["features"][0]["properties"]


def test_build_form_errors_keep_what_was_typed(ward_profile, client):
    client.force_login(ward_profile.built_by)
    response = client.post(reverse("profiles:build"),
                           {"area": "Nowhere at all", "month_from": "2024-13", "month_to": "x"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content and b"Nowhere at all" in response.content


def test_build_form_starts_a_job(ward_profile, client):
    client.force_login(ward_profile.built_by)
    response = client.post(reverse("profiles:build"), {"area": "E05012287",
                                                       "month_from": "2024-12",
                                                       "month_to": "2024-12"})
    assert response.status_code == 302 and "/jobs/" in response["Location"] or "job" in response[
        "Location"]


def test_harm_weights_page_saves_and_new_profiles_use_them(ward_profile, client):
    from soclocal.crime.store import CRIME_TYPES
    from soclocal.profiles.forms import _field_name

    client.force_login(ward_profile.built_by)
    data = {_field_name(t): "1" for t in CRIME_TYPES}
    data[_field_name("Robbery")] = "-3"
    bad = client.post(reverse("profiles:harm_weights"), data)
    assert bad.status_code == 200 and b"govuk-error-summary" in bad.content
    data[_field_name("Robbery")] = "500"
    assert client.post(reverse("profiles:harm_weights"), data).status_code == 302
    again = services.build_profile(ward_profile.built_by, ward_profile.area, "2024-12", "2024-12")
    assert again.weights["Robbery"] == 500 and again.figures["harm"]["weights"]["Robbery"] == 500


def test_cli_writes_json_for_a_local_authority_by_name(geography, crime_store, tmp_path):
    from soclocal.cli import main

    out = tmp_path / "nottingham.json"
    assert main(["profile", "Nottingham", "--from", "2024-12", "--to", "2024-12",
                 "--format", "json", "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["area"]["code"] == "E06000018" and doc["total"] > 0
    assert ProfileVersion.objects.count() == 1


def test_cli_explains_an_unknown_area(geography, crime_store, tmp_path, capsys):
    from soclocal.cli import main

    assert main(["profile", "Atlantis", "--from", "2024-12", "--to", "2024-12",
                 "--out", str(tmp_path / "x.html")]) == 1
    assert "No area has the code or name 'Atlantis'" in capsys.readouterr().err
