"""The demo young people: every stage of the journey, loaded through the services."""

import pytest
from django.db.models import Count
from django.utils import timezone

from soclocal.cases import language, report
from soclocal.cases.demo import load_demo_cases
from soclocal.cases.models import (
    Case,
    Closure,
    Contact,
    Plan,
    Referral,
    StarReading,
    Transfer,
    YoungPerson,
)
from soclocal.core.models import AuditEvent, Share
from soclocal.demo import load_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_people()
    assert load_demo_cases() is True


def test_runs_once_and_is_idempotent(demo):
    people, events = YoungPerson.objects.count(), AuditEvent.objects.count()
    assert 55 <= people <= 65
    assert load_demo_cases() is False
    assert YoungPerson.objects.count() == people and AuditEvent.objects.count() == events


def test_every_stage_is_present_and_the_report_matches_the_records(demo):
    """One load checked several ways: loading takes seconds, so it is shared."""
    _every_stage_is_present()
    _people_are_of_age_and_dates_are_in_the_past()
    _demo_notes_do_not_blame_children()
    _the_service_report_matches_the_records()


def _every_stage_is_present():
    S = Case.Status
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {S.AWAITING_TRIAGE, S.OPEN, S.CLOSURE_REQUESTED, S.CLOSED, S.SIGNPOSTED,
                        S.DECLINED}
    assert Case.objects.filter(status=S.OPEN, practitioner__isnull=True).exists()
    assert Case.objects.filter(status=S.OPEN, first_engaged_on__isnull=True,
                               outreach__isnull=False).exists()
    assert Case.objects.filter(peer_mentor__isnull=False).exists()
    assert Contact.objects.filter(out_of_hours=True).exists()
    assert Contact.objects.filter(kind=Contact.Kind.INFORMAL, case__status=S.CLOSED).exists()
    assert StarReading.objects.filter(approved_at__isnull=True).exists()
    assert Case.objects.annotate(n=Count("readings")).filter(n__gte=3).exists()
    assert Plan.objects.filter(approved_at__isnull=True).exists()
    assert Plan.objects.filter(approved_at__isnull=False, reviews__isnull=False).exists()
    assert set(Closure.objects.filter(approved_at__isnull=False)
               .values_list("reason", flat=True)) == set(Closure.Reason.values)
    rereferred = [c for c in Case.objects.all() if c.referrals.count() > 1]
    assert len(rereferred) == 3
    assert Share.objects.filter(revoked_at__isnull=True, lawful_basis="Consent").exists()
    assert Transfer.objects.filter(status=Transfer.Status.PENDING).count() == 1
    assert Case.objects.values("owning_agency").distinct().count() == 2


def _people_are_of_age_and_dates_are_in_the_past():
    today = timezone.localdate()
    for person in YoungPerson.objects.all():
        assert 11 <= person.age_on(today) <= 18
    assert not Contact.objects.filter(happened_on__gt=today).exists()
    oldest = Referral.objects.order_by("received_at").first().received_at.date()
    assert (today - oldest).days <= 18 * 31


def _demo_notes_do_not_blame_children():
    for r in Referral.objects.all():
        assert not language.check_fields(concerns=r.concerns, risks=r.risks)
    for c in Contact.objects.all():
        assert not language.check(c.notes)


def _the_service_report_matches_the_records():
    figures = report.service_report(Case.objects.all())
    assert figures["referrals"] == Referral.objects.count()
    assert figures["young_people"] == YoungPerson.objects.count()
    assert figures["contacts"] == Contact.objects.count()
    assert figures["out_of_hours_contacts"] == Contact.objects.filter(out_of_hours=True).count()
    assert figures["rereferrals"] == 3
    assert figures["open_cases"] == Case.objects.filter(
        status__in=[Case.Status.OPEN, Case.Status.CLOSURE_REQUESTED]).count()
    assert sum(figures["by_closure"].values()) == Closure.objects.filter(
        approved_at__isnull=False).count()
    for value, label in Referral.Source.choices:
        assert figures["by_source"][label] == Referral.objects.filter(source=value).count()
    accepted = Case.objects.filter(referrals__decision="accept").distinct()
    assert sum(figures["engagement"].values()) == accepted.count()
    assert figures["engagement"]["Engaged"] == accepted.filter(
        first_engaged_on__isnull=False).count()
    assert figures["star_people"] == len([
        c for c in Case.objects.all() if c.readings.filter(approved_at__isnull=False).count() > 1])
