from django.urls import reverse

from soclocal.core import work
from soclocal.core.access import can

from . import selectors


@work.provider
def agreements_to_review(user):
    """Partnership admins: every information-sharing agreement past its review date."""
    if not can(user, "agreements.manage"):
        return
    for a in selectors.past_review(user):
        yield work.WorkItem(
            "Agreements past their review date",
            f"{a.reference} {a.title}: review was due; shares still rely on it",
            reverse("partnership:agreement", args=[a.pk]), due=a.review_on)
