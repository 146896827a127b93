"""Bidders' contact details and code checks are not kept longer than they are needed."""

import datetime
from decimal import Decimal

from django.utils import timezone

from soclocal.budgeting.models import Bid, ContactCheck, Process
from soclocal.cli import main
from soclocal.core.models import AuditEvent


def bid(process, ref, email="group@example.org", phone=""):
    return Bid.objects.create(process=process, reference=ref, title=ref, cost=Decimal(10),
                              contact_email=email, contact_phone=phone)


def test_contacts_are_forgotten_after_voting_closes_and_old_checks_go(db, capsys):
    today = timezone.localdate()
    old = Process.objects.create(name="Old", slug="old", budget=Decimal(100),
                                 voting_close=today - datetime.timedelta(days=200))
    recent = Process.objects.create(name="Recent", slug="recent", budget=Decimal(100),
                                    voting_close=today - datetime.timedelta(days=20))
    open_ = Process.objects.create(name="Open", slug="open", budget=Decimal(100))
    bid(old, "1"), bid(old, "2", email="", phone="+447700900123")
    bid(recent, "1"), bid(open_, "1")
    stale = ContactCheck.objects.create(address="a@example.org", code_hash="x")
    ContactCheck.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2))
    fresh = ContactCheck.objects.create(address="b@example.org", code_hash="y")

    assert main(["forget-contacts"]) == 0
    assert "bid-contacts: 2 budgeting.bid due" in capsys.readouterr().out
    assert not old.bids.exclude(contact_email="", contact_phone="").exists()
    assert recent.bids.get().contact_email and open_.bids.get().contact_email
    assert list(ContactCheck.objects.all()) == [fresh]
    bids = AuditEvent.objects.get(action="retention.anonymised", object_type="budgeting.bid")
    checks = AuditEvent.objects.get(action="retention.deleted",
                                    object_type="budgeting.contactcheck")
    assert bids.detail["count"] == 2 and checks.detail["count"] == 1
