"""What early intervention work needs each person today, for the home page's work queue.

Items name cases by their reference, never the young person: the queue is a list to act on,
and the name is one click away on the case page, which records the viewing."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from soclocal.core import work
from soclocal.core.access import can

from . import selectors
from .models import Case, Plan, StarReading

# What a practitioner or mentor does themselves, and what waits for a manager's approval.
OWN_WORK = {"First contact": "Contacts due", "Assessment": "Assessments due",
            "Reassessment": "Reassessments due", "Plan review": "Plan reviews due"}
APPROVALS = {"Approve reading": "an outcomes star reading", "Approve plan": "a plan",
             "Approve closure": "a closure"}
NOT_ACTIVE = [Case.Status.CLOSED, Case.Status.SIGNPOSTED, Case.Status.DECLINED]


def _case_url(case):
    return reverse("cases:case", args=[case.pk])


@work.provider
def my_cases(user):
    """Contacts, assessments and reviews due on the cases the person works themselves."""
    if not can(user, "cases.view"):
        return
    mine = selectors.cases_for(user).filter(Q(practitioner=user) | Q(peer_mentor=user)) \
        .exclude(status__in=NOT_ACTIVE)
    for row in selectors.work_due(user, mine):
        heading = OWN_WORK.get(row["what"])
        if heading is None:
            continue
        yield work.WorkItem(heading, f"Case {row['case'].pk}: {row['what'].lower()} due",
                            _case_url(row["case"]), due=row["due"])


@work.provider
def approvals_and_referrals(user):
    """For managers: approvals waiting, referrals to triage and cases with nobody allocated."""
    if not can(user, "cases.manage"):
        return
    cases = selectors.cases_for(user, "cases.manage")
    # Only cases with something waiting for approval can have an approval due: the rest of
    # the agency's open cases are not fetched.
    waiting = Q(status=Case.Status.CLOSURE_REQUESTED) | Q(status=Case.Status.OPEN) & (
        Exists(StarReading.objects.filter(case=OuterRef("pk"), approved_at__isnull=True))
        | Exists(Plan.objects.filter(case=OuterRef("pk"), approved_at__isnull=True)))
    for row in selectors.work_due(user, cases.filter(waiting)):
        what = APPROVALS.get(row["what"])
        if what:
            yield work.WorkItem("Approvals", f"Case {row['case'].pk}: {what} to approve",
                                _case_url(row["case"]), due=row["due"])
    queue = selectors.referral_queue(user)
    oldest = queue.first()
    if oldest is not None:
        waiting = queue.count()
        yield work.WorkItem(
            "Referrals to triage",
            f"{waiting} referral{'s' if waiting != 1 else ''} waiting for triage",
            reverse("cases:queue"),
            due=oldest.received_at.date() + timedelta(days=selectors.TRIAGE_DUE_DAYS),
            urgent=selectors.queue_rows([oldest])[0]["overdue"])
    for case in cases.filter(status=Case.Status.OPEN, practitioner__isnull=True).order_by("pk"):
        yield work.WorkItem("Cases to allocate", f"Case {case.pk}: no practitioner allocated",
                            reverse("cases:allocate", args=[case.pk]))
