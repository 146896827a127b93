"""Information-sharing agreements: what a share relies on, and the flag when review is due."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from soclocal.accounts.models import Agency
from soclocal.cases import services as cases_services
from soclocal.core import work
from soclocal.core.models import AuditEvent, Share
from soclocal.intelligence import services as intel_services
from soclocal.partnership import services
from soclocal.partnership.models import Agreement
from tests.cases.conftest import person_data, referral_data
from tests.intelligence.conftest import GRADE

from .conftest import agreement_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(people, org):
    return services.create_agreement(people["admin"], parties=[org["police"], org["youth"]],
                                     **agreement_data())


@pytest.fixture
def case(people):
    referral = cases_services.record_referral(people["practitioner"], person=person_data(),
                                              **referral_data())
    cases_services.triage(people["manager"], referral, decision="accept")
    return referral.case


def test_a_case_shared_with_another_agency_names_the_agreement_it_relies_on(
        people, org, case, agreement, client):
    """Acceptance: the share form offers the agreements in force, the share records the one
    chosen, and the case page shows it to both agencies."""
    client.force_login(people["practitioner"])
    form = client.get(f"/cases/{case.pk}/share/").content.decode()
    assert agreement.reference in form and "Information-sharing agreement" in form
    response = client.post(f"/cases/{case.pk}/share/", {
        "mode": "refer", "agency": org["police"].pk, "purpose": "Joint safety plan",
        "agreement": agreement.pk})
    assert response.status_code == 302
    share = Share.objects.get(object_id=case.pk, agency=org["police"])
    assert share.agreement == agreement
    event = AuditEvent.objects.get(action="cases.case.shared")
    assert event.detail["agreement"] == agreement.reference
    for who in ("practitioner", "police_practitioner"):
        client.force_login(people[who])
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert f"{agreement.reference} {agreement.title}" in page, who


def test_a_share_without_an_agreement_is_refused_and_the_form_keeps_what_was_typed(
        people, org, case, agreement, client):
    client.force_login(people["practitioner"])
    response = client.post(f"/cases/{case.pk}/share/", {
        "mode": "refer", "agency": org["police"].pk, "purpose": "Joint safety plan"})
    page = response.content.decode()
    assert response.status_code == 200 and "Joint safety plan" in page
    assert "Choose the information-sharing agreement this share relies on" in page
    with pytest.raises(ValidationError) as e:
        cases_services.share_case(people["practitioner"], case, agency=org["police"],
                                  purpose="Joint work")
    assert "agreement" in e.value.message_dict
    assert not Share.objects.exists()


def test_an_agreement_not_in_force_or_without_both_agencies_is_refused(people, org, case):
    other = Agency.objects.create(partnership=org["police"].partnership, name="Other Agency",
                                  kind="other")
    draft = services.create_agreement(people["admin"], parties=[org["police"], org["youth"]],
                                      **agreement_data(status="draft", title="Draft"))
    elsewhere = services.create_agreement(people["admin"], parties=[org["youth"], other],
                                          **agreement_data(title="Elsewhere"))
    with pytest.raises(ValidationError) as e:
        cases_services.share_case(people["practitioner"], case, agency=org["police"],
                                  purpose="Joint work", agreement=draft)
    assert "not in force" in e.value.message_dict["agreement"][0]
    with pytest.raises(ValidationError) as e:
        cases_services.share_case(people["practitioner"], case, agency=org["police"],
                                  purpose="Joint work", agreement=elsewhere)
    assert "Test Police is not party" in e.value.message_dict["agreement"][0]


def test_a_release_of_intelligence_names_its_agreement_and_the_partner_sees_it(
        people, org, agreement, client):
    report = intel_services.create_report(
        people["intel"], title="Flat", text="Cars call late", **GRADE)
    version = intel_services.sanitise(people["intel"], report, text="Cars call late at a flat")
    intel_services.approve_sanitised(people["intel2"], version)
    with pytest.raises(ValidationError) as e:
        intel_services.release(people["intel"], version, agency=org["youth"], purpose="Help")
    assert "agreement" in e.value.message_dict
    released = intel_services.release(people["intel"], version, agency=org["youth"],
                                      purpose="Help", agreement=agreement)
    assert released.agreement == agreement
    client.force_login(people["practitioner"])
    page = client.get(f"/intelligence/shared/{version.pk}/").content.decode()
    assert agreement.reference in page


def test_an_agreement_past_its_review_date_is_flagged_on_the_page_and_the_admins_queue(
        people, org, agreement, client):
    old = services.create_agreement(
        people["admin"], parties=[org["police"], org["youth"]],
        **agreement_data(title="Old agreement",
                         review_on=timezone.localdate() - timedelta(days=1)))
    assert old.past_review and not agreement.past_review
    client.force_login(people["practitioner"])
    page = client.get("/partnership/agreements/").content.decode()
    assert "1 agreement past its review date: " + old.reference in page
    assert client.get(f"/partnership/agreements/{old.pk}/").content.decode().count(
        "due for review") == 1
    admin_items = [i for i in work.for_user(people["admin"])
                   if i.heading == "Agreements past their review date"]
    assert [i.url for i in admin_items] == [f"/partnership/agreements/{old.pk}/"]
    assert admin_items[0].overdue
    home = client.get("/")
    assert "Agreements past their review date" not in home.content.decode()
    client.force_login(people["admin"])
    assert "Agreements past their review date" in client.get("/").content.decode()
    ended = services.update_agreement(people["admin"], old, parties=[org["police"], org["youth"]],
                                      **agreement_data(title="Old agreement", status="ended",
                                                       review_on=old.review_on))
    assert not ended.past_review
    assert not [i for i in work.for_user(people["admin"])
                if i.heading == "Agreements past their review date"]


def test_only_partnership_admins_keep_agreements(people, org):
    with pytest.raises(PermissionDenied):
        services.create_agreement(people["manager"], parties=[org["police"], org["youth"]],
                                  **agreement_data())
    assert AuditEvent.objects.filter(action="access.denied",
                                     actor_id=people["manager"].pk).exists()


def test_recording_an_agreement_checks_every_field_and_keeps_what_was_typed(people, org,
                                                                            client):
    client.force_login(people["admin"])
    response = client.post("/partnership/agreements/new/", {
        "title": "Half done", "status": "active", "parties": [org["police"].pk],
        "purposes": "Something"})
    page = response.content.decode()
    assert response.status_code == 200 and "Half done" in page
    for message in ("Choose at least two agencies", "Name the lawful basis",
                    "Give the date the agreement is to be reviewed",
                    "An agreement in force needs its signatories"):
        assert message in page
    assert not Agreement.objects.exists()


def test_the_document_is_uploaded_within_its_size_limit_and_downloaded_by_staff(
        people, org, client, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    client.force_login(people["admin"])
    data = {**agreement_data(), "parties": [org["police"].pk, org["youth"].pk],
            "starts_on": "2025-01-01", "review_on": "2099-01-01"}
    too_big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * services.MAX_DOCUMENT_BYTES)
    page = client.post("/partnership/agreements/new/", {**data, "document": too_big}
                       ).content.decode()
    assert "is larger than 10 MB" in page and not Agreement.objects.exists()
    wrong = SimpleUploadedFile("agreement.exe", b"MZ")
    page = client.post("/partnership/agreements/new/", {**data, "document": wrong}
                       ).content.decode()
    assert "must be a PDF" in page and not Agreement.objects.exists()
    signed = SimpleUploadedFile("signed agreement.pdf", b"%PDF-1.4 signed")
    response = client.post("/partnership/agreements/new/", {**data, "document": signed})
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    client.force_login(people["board"])
    download = client.get(f"/partnership/agreements/{agreement.pk}/document/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed"
    assert "signed agreement.pdf" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="partnership.agreement.document_read").exists()


def test_the_api_lists_agreements_and_those_past_review(people, org, agreement, client):
    services.create_agreement(people["admin"], parties=[org["police"], org["youth"]],
                              **agreement_data(title="Lapsed", starts_on=date(2019, 1, 1),
                                              review_on=date(2020, 1, 1)))
    client.force_login(people["practitioner"])
    everything = client.get("/api/v1/partnership/agreements").json()
    assert {a["title"] for a in everything} == {"Early intervention sharing", "Lapsed"}
    one = client.get(f"/api/v1/partnership/agreements/{agreement.pk}").json()
    assert one["lawful_bases"] == ["UK GDPR Article 6(1)(e)", "Children Act 2004 section 11"]
    assert one["parties"] == ["Test Police", "Test Youth Service"]
    lapsed = client.get("/api/v1/partnership/agreements?past_review=true").json()
    assert [a["title"] for a in lapsed] == ["Lapsed"] and lapsed[0]["past_review"]


def test_a_transfer_shows_the_receiving_manager_the_agreement_it_is_offered_under(
        people, org, case, agreement, client):
    transfer = cases_services.offer_transfer(people["practitioner"], case, agency=org["police"],
                                             reason="Better placed", agreement=agreement)
    client.force_login(people["police_manager"])
    page = client.get(f"/cases/{case.pk}/transfer/{transfer.pk}/").content.decode()
    assert f"{agreement.reference} {agreement.title}" in page


def test_an_admin_changes_an_agreement_on_its_page(people, org, agreement, client):
    client.force_login(people["admin"])
    form = client.get(f"/partnership/agreements/{agreement.pk}/edit/").content.decode()
    assert "Early intervention sharing" in form and "2099-01-01" in form
    response = client.post(f"/partnership/agreements/{agreement.pk}/edit/", {
        **agreement_data(review_on="2030-06-30", starts_on="2025-01-01"),
        "parties": [org["police"].pk, org["youth"].pk]})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.review_on == date(2030, 6, 30)
    event = AuditEvent.objects.filter(action="partnership.agreement.changed").get()
    assert event.detail["changed"] == ["review_on"]
