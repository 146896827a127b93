from django.urls import reverse
from django.utils import timezone

from soclocal.core import work
from soclocal.core.access import can

from . import selectors


@work.provider
def nrm_decisions(user):
    if not can(user, "nrm.view"):
        return
    today = timezone.localdate()
    for r in selectors.decisions_due(user):
        overdue = r.reasonable_grounds_due < today
        yield work.WorkItem(
            "NRM decisions overdue" if overdue else "NRM decisions due",
            f"Reasonable-grounds decision on referral {r.reference}"
            + (" is overdue: ask the competent authority" if overdue else ""),
            reverse("safeguarding:nrm", args=[r.pk]), due=r.reasonable_grounds_due,
            urgent=overdue)


@work.provider
def mace_reviews(user):
    """A child kept at a MACE panel is due for review: on the work of the panel's co-chairs and
    members, and of the owner of the child's case."""
    if not can(user, "mace.view"):
        return
    today = timezone.localdate()
    for h in selectors.reviews_due(user):
        yield work.WorkItem(
            "MACE reviews due",
            f"Review of {h.referral.case_reference} heard at the {h.meeting}",
            reverse("safeguarding:hearing", args=[h.pk]), due=h.review_due,
            urgent=h.review_due < today)
