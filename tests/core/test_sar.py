"""Subject access: one action gathers everything held about a person from every context, with
other people's details redacted for review, audited; the same from the command line."""

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from soclocal.budgeting.models import Bid, Process
from soclocal.cases import services, star
from soclocal.cli import main
from soclocal.core import subject_access as sar
from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from tests.cases.conftest import person_data, referral_data


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def staff(make_user):
    return {"practitioner": make_user(Role.PRACTITIONER), "manager": make_user(Role.MANAGER),
            "admin": make_user(Role.PARTNERSHIP_ADMIN, username="dpo")}


def supported(staff, first, last, carer, phone, note):
    p, m = staff["practitioner"], staff["manager"]
    referral = services.record_referral(
        p, person=person_data(first_name=first, last_name=last),
        family=[{"name": carer, "relationship": "Mother", "is_caregiver": True, "phone": phone}],
        **referral_data(concerns=f"{carer} is worried about older boys."))
    services.triage(m, referral, decision="accept")
    case = referral.case
    services.allocate(m, case, practitioner=p)
    areas = list(star.default_instrument().areas.all())
    services.record_reading(p, case, taken_on=days_ago(7), scores={a.pk: 4 for a in areas},
                            action_plan=f"Plan for {first}")
    services.save_plan(p, case, goals=[(areas[7], f"{first} joins the boxing club")], actions=[
        {"for_whom": "young_person", "kind": "diversionary", "description": f"Taster for {first}",
         "owner": "Key worker"}])
    services.record_contact(p, case, happened_on=days_ago(3), duration_minutes=45,
                            kind="family", people_present=f"{first} and {carer}",
                            notes=f"Met {first} at home.")
    services.record_contact(p, case, happened_on=days_ago(1), duration_minutes=30,
                            kind="one_to_one", notes=f"{first} talked about school.")
    services.record_outreach(p, case, attempted_on=days_ago(5), method="door_knock",
                             notes=f"Knocked for {first}; {carer} answered.")
    case.refresh_from_db()
    return case


@pytest.fixture
def two_cases(staff):
    return (supported(staff, "Robin", "Subjectson", "Carol Subjectson", "07700 900111", "a"),
            supported(staff, "Other", "Childington", "Dana Childington", "07700 900333", "b"))


def unzip(content):
    z = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(z.namelist()) == ["redactions.json", "subject-access.json",
                                    "subject-access.pdf"]
    assert z.read("subject-access.pdf").startswith(b"%PDF")
    return (json.loads(z.read("subject-access.json")), json.loads(z.read("redactions.json")),
            z.read("subject-access.pdf"))


def part(data, heading):
    return next(p for p in data["parts"] if p["heading"] == heading)


def test_everything_about_a_young_person_and_nothing_about_another(staff, two_cases, tmp_path,
                                                                   capsys):
    case, other = two_cases
    out = tmp_path / "sar.zip"
    assert main(["sar", f"Case {case.pk}", "--out", str(out), "--purpose", "SAR 2026/14"]) == 0
    assert "young person Robin Subjectson" in capsys.readouterr().out
    data, redactions, _pdf = unzip(out.read_bytes())
    assert data["subjects"] == [{"kind": "young person", "label": "Robin Subjectson"}]
    assert [r["id"] for r in part(data, "Cases")["records"]] == [case.pk]
    assert len(part(data, "Referrals")["records"]) == case.referrals.count() == 1
    assert [r["id"] for r in part(data, "Outcomes star readings")["records"]] == \
        list(case.readings.values_list("pk", flat=True))
    assert [r["id"] for r in part(data, "Plans")["records"]] == \
        list(case.plans.values_list("pk", flat=True))
    assert sorted(r["id"] for r in part(data, "Contacts")["records"]) == \
        sorted(case.contacts.values_list("pk", flat=True))
    # Attempts to reach them and who was allocated to them are theirs too.
    assert [r["id"] for r in part(data, "Outreach attempts")["records"]] == \
        list(case.outreach.values_list("pk", flat=True))
    assert [r["id"] for r in part(data, "Allocations")["records"]] == \
        list(case.assignments.values_list("pk", flat=True))
    text = json.dumps(data)
    assert "Met Robin at home." in text and "Robin joins the boxing club" in text
    assert "Knocked for Robin" in text
    for other_child in ("Childington", "Other", "Dana"):
        assert other_child not in text
    assert f"cases.case {case.pk}" in {e["record"] for e in data["audit_events"]}
    assert f"cases.case {other.pk}" not in {e["record"] for e in data["audit_events"]}
    # The mother's name and phone are redacted wherever they appear, and listed for review.
    assert "Carol Subjectson" not in text and "07700 900111" not in text
    assert "[redacted: family member]" in text
    assert {r["text"] for r in redactions["redactions"]} == {"Carol Subjectson", "07700 900111"}
    event = AuditEvent.objects.get(action="subject_access.exported")
    assert event.purpose == "SAR 2026/14" and event.detail["subjects"] == ["young person"]


def test_a_case_reference_may_be_written_several_ways(two_cases):
    case, _ = two_cases
    for query in (f"Case {case.pk}", f"case-{case.pk}", f"C{case.pk}", str(case.pk)):
        assert [s.label for s in sar.find(query)] == ["Robin Subjectson"]


def test_a_staff_member_gets_their_account_and_what_they_did(staff, two_cases):
    report = sar.gather(staff["practitioner"].username)
    data = report.as_json()
    assert data["subjects"][0]["kind"] == "staff member"
    account = part(data, "Account")["records"][0]
    assert "password" not in account and account["roles"] == ["practitioner"]
    # What they did, and what was done to their account (here by the system, at set-up).
    assert {e["who"] for e in data["audit_events"]} == {staff["practitioner"].username, ""}
    assert any(e["action"].startswith("cases.") for e in data["audit_events"])


def test_a_bidder_is_found_by_the_email_address_they_gave(db):
    process = Process.objects.create(name="Fund", slug="fund", budget=Decimal(10))
    Bid.objects.create(process=process, reference="1", title="Kit", cost=Decimal(5),
                       contact_email="bidder@example.org")
    Bid.objects.create(process=process, reference="2", title="Art", cost=Decimal(5),
                       contact_email="someone.else@example.org")
    data = sar.gather("Bidder@example.org").as_json()
    assert [r["title"] for r in part(data, "Bids")["records"]] == ["Kit"]


def test_a_family_member_is_found_by_their_phone_number(two_cases):
    data = sar.gather("07700900111").as_json()
    assert data["subjects"] == [{"kind": "family member", "label": "Carol Subjectson"}]
    text = json.dumps(data)
    assert "Robin Subjectson" not in text and "[redacted: the young person]" in text


def test_no_match_says_what_to_give(db, capsys, tmp_path):
    assert main(["sar", "nobody-here", "--out", str(tmp_path / "x.zip")]) == 1
    assert "Nothing held matches 'nobody-here'" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()


def test_the_page_gives_the_zip_to_a_partnership_admin_only(staff, two_cases, client):
    case, _ = two_cases
    client.force_login(staff["admin"])
    assert client.get(reverse("core:subject_access")).status_code == 200
    response = client.post(reverse("core:subject_access"),
                           {"person": f"Case {case.pk}", "purpose": "Request of 1 May"})
    assert response["Content-Type"] == "application/zip"
    data, _, _ = unzip(response.content)
    assert data["subjects"][0]["label"] == "Robin Subjectson"
    missing = client.post(reverse("core:subject_access"),
                          {"person": "Case 99999", "purpose": "x"})
    assert "Nothing held matches" in missing.content.decode()
    assert 'value="Case 99999"' in missing.content.decode()  # what was typed is kept
    client.force_login(staff["manager"])
    assert client.post(reverse("core:subject_access"),
                       {"person": f"Case {case.pk}", "purpose": "x"}).status_code == 403
