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
