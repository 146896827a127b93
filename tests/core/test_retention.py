"""Retention: every personal-data model declares a rule; the command lists and applies them,
audited, in batches, and a second run (or a run after a crash) finishes the job."""

import datetime
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soclocal.budgeting.models import Bid, Process
from soclocal.cases import services as cases
from soclocal.cases.models import Case, Contact, FamilyMember, Referral, YoungPerson
from soclocal.cli import main
from soclocal.core import retention
from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from soclocal.engagement.models import CommunityGroup, JoinRequest
from tests.cases.conftest import person_data, referral_data


def test_every_personal_model_declares_a_rule():
    missing = retention.undeclared()
    assert missing == [], (
        f"These models hold personal fields but declare no retention rule: {missing}. Add "
        "`retention = Rule(...)` (core/retention.py), or list them in NOT_PERSONAL with why.")


def test_exemptions_and_rules_name_real_models_and_fields():
    labels = {m._meta.label_lower for m in apps.get_models()}
    assert set(retention.NOT_PERSONAL) - labels - {"django_tasks_database.dbtaskresult"} == set()
    for bound in retention.rules():
        rule = bound.rule
        assert rule.action in retention.ACTIONS
        assert rule.purpose and rule.lawful_basis and rule.categories
        if rule.kept_with:
            assert rule.kept_with in labels
        else:
            retention.cutoff_for(bound)  # the date field resolves
        if rule.action == retention.ANONYMISE:
            assert rule.clear


def test_a_new_personal_model_without_a_rule_is_caught():
    class Volunteer(models.Model):
        name = models.CharField(max_length=100)
        phone = models.CharField(max_length=20)

        class Meta:
            app_label = "core"
            managed = False

    try:
        assert "core.volunteer" in retention.undeclared()
    finally:
        del apps.all_models["core"]["volunteer"]
        apps.clear_cache()
    assert "core.volunteer" not in retention.undeclared()


@pytest.fixture
def old_and_new(db):
    today = timezone.localdate()
    old = Process.objects.create(name="Old", slug="old", budget=Decimal(100),
                                 voting_close=today - datetime.timedelta(days=200))
    recent = Process.objects.create(name="Recent", slug="recent", budget=Decimal(100),
                                    voting_close=today - datetime.timedelta(days=20))
    for n, process in enumerate([old, old, old, recent]):
        Bid.objects.create(process=process, reference=str(n), title=f"Bid {n}", cost=Decimal(1),
                           contact_email=f"bidder{n}@example.org")
    group = CommunityGroup.objects.create(name="Test group")
    old_join = JoinRequest.objects.create(group=group, name="Old Asker",
                                          contact="old@example.org", message="Hello")
    JoinRequest.objects.filter(pk=old_join.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=91))
    JoinRequest.objects.create(group=group, name="New Asker", contact="new@example.org")
    return old, recent


def test_dry_run_lists_what_is_due_by_rule_and_changes_nothing(old_and_new, capsys):
    assert main(["retention", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "bid-contacts: 3 budgeting.bid due (180 days after voting closed; then anonymise)" \
        in out
    assert "join-request-contacts: 1 engagement.joinrequest due" in out
    assert "Nothing was changed" in out
    assert Bid.objects.exclude(contact_email="").count() == 4
    event = AuditEvent.objects.get(action="retention.dry_run")
    assert event.detail["rules"]["bid-contacts"] == {"due": 3, "done": 0}


def test_apply_anonymises_in_batches_audited_and_a_second_run_changes_nothing(old_and_new,
                                                                             capsys):
    old, recent = old_and_new
    assert main(["retention", "--apply", "--batch", "2"]) == 0
    assert "bid-contacts: 3 budgeting.bid due" in capsys.readouterr().out
    assert not old.bids.exclude(contact_email="").exists()
    assert recent.bids.get().contact_email == "bidder3@example.org"
    asker = JoinRequest.objects.get(contact="")
    assert (asker.name, asker.message) == ("", "") and asker.forgotten_at
    assert JoinRequest.objects.filter(contact="new@example.org").exists()
    batches = AuditEvent.objects.filter(action="retention.anonymised",
                                        object_type="budgeting.bid").order_by("seq")
    assert [e.detail["count"] for e in batches] == [2, 1]
    before = AuditEvent.objects.filter(action__startswith="retention.anonymised").count()
    assert main(["retention", "--apply"]) == 0
    assert "Nothing is due" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action__startswith="retention.anonymised").count() == before


def test_a_run_that_stops_part_way_is_finished_by_running_again(old_and_new):
    bound = retention.get("bid-contacts")

    def crash(bound, done):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        retention.apply(bound, batch=1, on_batch=crash)
    assert retention.due(bound).count() == 2  # the first batch is committed with its event
    assert AuditEvent.objects.filter(action="retention.anonymised").count() == 1
    assert retention.apply(bound, batch=1).count == 2
    assert retention.due(bound).count() == 0


def test_forget_contacts_is_kept_as_the_contact_rules_of_retention(old_and_new, capsys):
    assert main(["forget-contacts"]) == 0
    out = capsys.readouterr().out
    assert "bid-contacts" in out and "3 anonymised" in out
    assert "young-people" not in out


def test_an_unknown_rule_is_named(db, capsys):
    assert main(["retention", "--dry-run", "--rule", "nonsense"]) == 2
    assert "No retention rule is called nonsense" in capsys.readouterr().err


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ages=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=6))
def test_a_bid_is_due_exactly_when_voting_closed_more_than_180_days_ago(db, ages):
    Process.objects.all().delete()
    today = timezone.localdate()
    for n, age in enumerate(ages):
        process = Process.objects.create(name=f"P{n}", slug=f"p{n}", budget=Decimal(1),
                                         voting_close=today - datetime.timedelta(days=age))
        Bid.objects.create(process=process, reference="1", title="t", cost=Decimal(1),
                           contact_email="x@example.org")
    due = retention.due(retention.get("bid-contacts"))
    assert sorted(b.process.voting_close for b in due) == sorted(
        today - datetime.timedelta(days=a) for a in ages if a > 180)


@pytest.fixture
def people(make_user):
    return {"practitioner": make_user(Role.PRACTITIONER), "manager": make_user(Role.MANAGER)}


@pytest.fixture
def old_case(people):
    """A young person whose only case closed seven years ago, with a family member, a contact
    and a referral; and another whose case is open."""
    referral = cases.record_referral(
        people["practitioner"], person=person_data(first_name="Ashley", last_name="Formerly"),
        family=[{"name": "K. Formerly", "relationship": "Aunt", "is_caregiver": True,
                 "phone": "07700 900222"}], **referral_data())
    cases.triage(people["manager"], referral, decision="accept")
    case = referral.case
    cases.allocate(people["manager"], case, practitioner=people["practitioner"])
    cases.record_contact(people["practitioner"], case, happened_on=timezone.localdate(),
                         duration_minutes=30, kind="one_to_one", notes="Talked about school.")
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED, closed_at=timezone.now() - datetime.timedelta(days=7 * 365))
    current = cases.record_referral(people["practitioner"],
                                    person=person_data(first_name="Current", last_name="Person"),
                                    **referral_data())
    return case, current.case


def test_a_young_person_is_deleted_with_everything_six_years_after_their_last_case_closed(
        old_case, people, client, capsys):
    case, current = old_case
    person = case.young_person
    assert main(["retention", "--dry-run", "--rule", "young-people"]) == 0
    assert "young-people: 1 cases.youngperson due" in capsys.readouterr().out
    client.force_login(people["practitioner"])
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 200
    search = {"name": "Ashley Formerly", "date_of_birth": person.date_of_birth.isoformat()}
    link = f'href="?young_person={person.pk}"'
    assert link in client.get(reverse("cases:referral_new"), search).content.decode()
    assert main(["retention", "--apply", "--rule", "young-people"]) == 0
    assert not YoungPerson.objects.filter(pk=person.pk).exists()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Referral.objects.filter(case_id=case.pk).exists()
    assert not Contact.objects.filter(case_id=case.pk).exists()
    assert not FamilyMember.objects.filter(name="K. Formerly").exists()
    assert Case.objects.filter(pk=current.pk).exists()
    # Gone from its page, the search, the dashboard and the report export.
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 404
    found = client.get(reverse("cases:referral_new"), search)
    assert found.status_code == 200 and link not in found.content.decode()
    assert "K. Formerly" not in found.content.decode()
    assert "Formerly" not in client.get(reverse("cases:dashboard")).content.decode()
    event = AuditEvent.objects.get(action="retention.deleted")
    assert event.detail == {"rule": "young-people", "count": 1, "ids": [person.pk]}


def test_the_retention_and_processing_pages_list_every_rule(db, make_user, client):
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    client.force_login(admin)
    page = client.get(reverse("core:retention")).content.decode()
    processing = client.get(reverse("core:processing")).content.decode()
    for bound in retention.rules():
        assert bound.rule.name in page and bound.rule.name in processing
    assert "UK GDPR Article 6(1)(e) public task" in processing
    pdf = client.get(reverse("core:processing_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="processing_record.exported").exists()


def test_the_record_of_processing_is_generated_from_the_rules(db):
    record = retention.processing_record()
    assert {e["rule"] for e in record} == {b.rule.name for b in retention.rules()}
    bids = next(e for e in record if e["rule"] == "bid-contacts")
    assert bids["retention"] == "180 days after voting closed" and bids["then"] == "anonymise"
    json.dumps(record)  # plain data, ready for any other format


def test_the_admin_is_told_on_their_home_page_what_retention_has_left(old_and_new, make_user,
                                                                     client):
    client.force_login(make_user(Role.PARTNERSHIP_ADMIN))
    home = client.get(reverse("core:home")).content.decode()
    assert "3 bids past their retention period not yet anonymised" in home
    retention.run(apply_changes=True)
    assert "past their retention period" not in client.get(reverse("core:home")).content.decode()
