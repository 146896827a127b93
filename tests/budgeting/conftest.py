from decimal import Decimal

import pytest

from soclocal.budgeting import services
from soclocal.budgeting.models import Bid, Process
from soclocal.core.access import Role


@pytest.fixture
def facilitator(make_user):
    return make_user(Role.COMMUNITY_FACILITATOR)


@pytest.fixture
def voting_process(db):
    """A process open for votes with three bids on an approval ballot."""
    process = Process.objects.create(name="Meadows fund", slug="meadows-fund",
                                     budget=Decimal(10000), status=Process.Status.VOTING,
                                     max_choices=3)
    for ref, title, cost in (("1", "Garden", 4000), ("2", "Football", 5000),
                             ("3", "Mural", 3000)):
        Bid.objects.create(process=process, reference=ref, title=title, cost=Decimal(cost),
                           status=Bid.Status.ACCEPTED, contact_email=f"group{ref}@example.org")
    return process


@pytest.fixture
def codes(voting_process):
    def issue(n):
        return services.issue_voter_codes(None, voting_process, n)

    return issue


@pytest.fixture(autouse=True)
def text_messages(settings):
    """Text messages are kept in memory, like Django's mail outbox, and start empty."""
    from soclocal.budgeting import sms

    settings.SMS_BACKEND = "locmem"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sms.outbox.clear()
    return sms.outbox
