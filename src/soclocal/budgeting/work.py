"""Participatory budgeting work for the home page: bids to moderate, votes closing soon."""

from django.urls import reverse

from soclocal.core import work
from soclocal.core.access import can

from . import selectors


@work.provider
def budgeting_work(user):
    if not can(user, "budgeting.manage"):
        return
    for process in selectors.bids_waiting(user):
        n = process.waiting
        yield work.WorkItem("Bids to moderate",
                            f"{n} bid{'s' if n != 1 else ''} waiting for a decision in "
                            f"{process.name}", reverse("budgeting:process", args=[process.pk]),
                            due=process.bids_close)
    for process in selectors.voting_closing(user):
        yield work.WorkItem("Voting closes soon",
                            f"{process.name} closes; {process.ballot_count} ballot"
                            f"{'s' if process.ballot_count != 1 else ''} so far",
                            reverse("budgeting:process", args=[process.pk]),
                            due=process.voting_close)
